/* SPDX-License-Identifier: BSD-3-Clause */
/* tshark oracle input: secured DIOs and EBs built with the frame builders and
 * ek_sec_protect, written to pcaps (LINKTYPE_IEEE802_15_4_WITHFCS = 195, and
 * LINKTYPE_IEEE802_15_4_TAP = 283 carrying the ASN; FCS per IEEE 802.15.4-2015 §7.2.10),
 * plus copies with one MIC bit flipped or received one ASN later.  Prints one line per
 * frame, "<dlt> <frame number> ok|bad <what>", for tests/sec_tshark.sh to compare with
 * what stock tshark reports.  Usage: sec_oracle_gen OUT195.pcap OUT283.pcap */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/build.h"
#include "ek/fcs.h"
#include "ek/sec.h"

/* One pcap per link type: 195 (MPDU + FCS) and 283 (TAP header with FCS-type and ASN
 * TLVs, then MPDU + FCS), so the ASN nonce is checked with a non-zero ASN too. */
typedef struct pcapf {
    FILE *f;
    unsigned dlt, n;
} pcapf;

static pcapf P195 = { NULL, 195, 0 }, P283 = { NULL, 283, 0 };

static void le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* libpcap file format: global header (magic a1b2c3d4 LE, 2.4, snaplen, linktype) and
 * per-record header (ts sec, ts usec, incl_len, orig_len). */
static void pcap_open(pcapf *pf, const char *path)
{
    uint8_t h[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0 };
    le32(h + 16, 65535);
    le32(h + 20, pf->dlt);
    pf->f = fopen(path, "wb");
    if (!pf->f || fwrite(h, 1, sizeof h, pf->f) != sizeof h) {
        perror(path);
        exit(2);
    }
}

static void pcap_frame(pcapf *pf, const uint8_t *mpdu, size_t n, uint64_t asn, const char *expect,
                       const char *what)
{
    uint8_t f[256], rh[16];
    ek_buf b;
    ek_buf_init(&b, f, sizeof f);
    if (pf->dlt == 283) {
        /* LINKTYPE_IEEE802_15_4_TAP: version 0 | reserved 0 | length LE16 = 24;
         * TLV FCS type (0) len 1 = 1 (CRC-16) + 3 pad; TLV ASN (7) len 8 = asn LE64 */
        static const uint8_t tap[] = { 0, 0, 24, 0, 0, 0, 1, 0, 1, 0, 0, 0, 7, 0, 8, 0 };
        ek_wr_bytes(&b, "tap", tap, sizeof tap);
        ek_wr_le64(&b, "tap.asn", asn);
    }
    size_t mpdu_at = b.len;
    ek_wr_bytes(&b, "mpdu", mpdu, n);
    /* FCS over the MPDU only */
    uint16_t fcs = ek_fcs16(ek_view_make(f + mpdu_at, n));
    ek_wr_le16(&b, "fcs", fcs);
    if (!ek_buf_ok(&b)) {
        fprintf(stderr, "frame too long\n");
        exit(2);
    }
    pf->n++;
    le32(rh, pf->n);
    le32(rh + 4, 0);
    le32(rh + 8, (uint32_t)b.len);
    le32(rh + 12, (uint32_t)b.len);
    if (fwrite(rh, 1, 16, pf->f) != 16 || fwrite(f, 1, b.len, pf->f) != b.len) {
        perror("write");
        exit(2);
    }
    printf("%u %u %s %s\n", pf->dlt, pf->n, expect, what);
}

static const ek_build_node NODE = { .ext = { 0x00, 0x12, 0x4b, 0x00, 0x00, 0x00, 0x00, 0x01 }, .pan_id = 0xabcd, .seq = 0x10 };

/* Secures plain, writes it (expect ok) and a copy with MIC bit 0 flipped (expect bad);
 * on DLT 283 also the intact frame with the TAP ASN one slot later (expect bad). */
static void secure(pcapf *pf, const uint8_t *plain, size_t n, const ek_wpan_sec *s, const ek_sec_key *k,
                   uint64_t asn, const char *what)
{
    uint8_t out[EK_BUILD_MPDU_MAX + 40];
    size_t len;
    ek_sec_info info;
    ek_err e;
    ek_sec_env env = { 0 };
    env.asn = asn; /* DLT 195: 0, what tshark uses without a TAP ASN TLV */
    if (ek_sec_protect(ek_view_make(plain, n), s, &env, k, NULL, out, sizeof out, &len, &info, &e) != EK_OK) {
        char buf[128];
        fprintf(stderr, "protect %s: %s\n", what, ek_err_format(&e, buf, sizeof buf));
        exit(2);
    }
    pcap_frame(pf, out, len, asn, "ok", what);
    if (info.mic_len) {
        char w2[200];
        out[info.mic_offset] ^= 0x01; /* one MIC bit */
        snprintf(w2, sizeof w2, "%s, MIC bit 0 flipped", what);
        pcap_frame(pf, out, len, asn, "bad", w2);
        out[info.mic_offset] ^= 0x01;
        if (pf->dlt == 283 && s->asn_in_nonce) {
            snprintf(w2, sizeof w2, "%s, received at ASN + 1", what);
            pcap_frame(pf, out, len, asn + 1, "bad", w2);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s OUT195.pcap OUT283.pcap\n", argv[0]);
        return 2;
    }
    pcap_open(&P195, argv[1]);
    pcap_open(&P283, argv[2]);
    ek_profile prof;
    ek_profile_default(&prof);
    ek_sec_key k1, k2;
    if (!ek_sec_key_named("K1-minimal15", &k1) || !ek_sec_key_named("K2-contiki", &k2))
        return 2;

    uint8_t dio[EK_BUILD_MPDU_MAX], eb[EK_BUILD_MPDU_MAX];
    size_t ndio, neb;
    ek_err e;
    ek_build_dio d;
    ek_build_dio_init(&d);
    if (ek_build_dio_frame(&NODE, &d, &prof, dio, sizeof dio, &ndio, &e) != EK_OK)
        return 2;
    ek_build_eb be;
    ek_build_eb_init(&be);
    be.asn = 0x0a1b2c3d4eull;
    be.join_metric = 1;
    be.has_ji = true;
    be.ji.proxy_prio = 0x22;
    be.ji.rank_prio = 0x10;
    be.ji.pan_prio = 1;
    if (ek_build_eb_frame(&NODE, &be, &prof, eb, sizeof eb, &neb, &e) != EK_OK)
        return 2;

    ek_wpan_sec s;
    /* RFC 8180 §4.6: EB authenticated with K1, level 1, KIM 1 index 1, ASN nonce (0x69) */
    memset(&s, 0, sizeof s);
    s.level = 1;
    s.key_id_mode = 1;
    s.key_index = 1;
    s.fc_suppressed = true;
    s.asn_in_nonce = true;
    secure(&P195, eb, neb, &s, &k1, 0, "EB level 1 K1 ASN nonce (0x69)");
    secure(&P283, eb, neb, &s, &k1, be.asn, "EB level 1 K1 ASN nonce (0x69), TAP ASN 0x0a1b2c3d4e");
    /* EB at level 5 (payload IEs encrypted, header terminator clear) */
    s.level = 5;
    secure(&P195, eb, neb, &s, &k1, 0, "EB level 5 K1 ASN nonce (0x6d)");
    secure(&P283, eb, neb, &s, &k1, be.asn, "EB level 5 K1 ASN nonce (0x6d), TAP ASN 0x0a1b2c3d4e");
    /* DIO, TSCH style: K2 level 5, KIM 1 index 2, ASN nonce (0x6d) */
    s.level = 5;
    s.key_index = 2;
    secure(&P195, dio, ndio, &s, &k2, 0, "DIO level 5 K2 ASN nonce (0x6d)");
    secure(&P283, dio, ndio, &s, &k2, 0x0a1b2c3d4full, "DIO level 5 K2 ASN nonce (0x6d), TAP ASN 0x0a1b2c3d4f");
    /* DIO, frame counter nonce, every MIC length and ENC-only */
    static const uint8_t levels[] = { 1, 2, 3, 4, 5, 6, 7 };
    for (size_t i = 0; i < sizeof levels; i++) {
        char w[96];
        memset(&s, 0, sizeof s);
        s.level = levels[i];
        s.key_id_mode = 1;
        s.key_index = 2;
        s.frame_counter = 0x01020304u + (uint32_t)i;
        snprintf(w, sizeof w, "DIO level %u K2 frame counter 0x%08x", s.level, (unsigned)s.frame_counter);
        secure(&P195, dio, ndio, &s, &k2, 0, w);
    }
    fclose(P195.f);
    fclose(P283.f);
    return 0;
}
