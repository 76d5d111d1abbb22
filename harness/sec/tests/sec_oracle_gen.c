/* SPDX-License-Identifier: BSD-3-Clause */
/* tshark oracle input: secured DIOs and EBs built with the frame builders and
 * ek_sec_protect, written to a pcap (LINKTYPE_IEEE802_15_4_WITHFCS = 195, FCS per
 * IEEE 802.15.4-2015 §7.2.10), plus copies with one MIC bit flipped.  Prints one line
 * per frame, "<frame number> ok|bad <what>", for tests/sec_tshark.sh to compare with
 * what stock tshark reports.  Usage: sec_oracle_gen OUT.pcap */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/build.h"
#include "ek/fcs.h"
#include "ek/sec.h"

static FILE *pc;
static unsigned nframes;

static void le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* libpcap file format: global header (magic a1b2c3d4 LE, 2.4, snaplen, linktype) and
 * per-record header (ts sec, ts usec, incl_len, orig_len). */
static void pcap_open(const char *path)
{
    uint8_t h[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0 };
    le32(h + 16, 65535);
    le32(h + 20, 195);
    pc = fopen(path, "wb");
    if (!pc || fwrite(h, 1, sizeof h, pc) != sizeof h) {
        perror(path);
        exit(2);
    }
}

static void pcap_frame(const uint8_t *mpdu, size_t n, const char *expect, const char *what)
{
    uint8_t f[200], rh[16];
    ek_buf b;
    ek_buf_init(&b, f, sizeof f);
    if (!ek_wr_bytes(&b, "mpdu", mpdu, n) || !ek_fcs16_append(&b)) {
        fprintf(stderr, "frame too long\n");
        exit(2);
    }
    nframes++;
    le32(rh, nframes);
    le32(rh + 4, 0);
    le32(rh + 8, (uint32_t)b.len);
    le32(rh + 12, (uint32_t)b.len);
    if (fwrite(rh, 1, 16, pc) != 16 || fwrite(f, 1, b.len, pc) != b.len) {
        perror("write");
        exit(2);
    }
    printf("%u %s %s\n", nframes, expect, what);
}

static const ek_build_node NODE = { { 0x00, 0x12, 0x4b, 0x00, 0x00, 0x00, 0x00, 0x01 }, 0xabcd, 0x10 };

static void secure(const uint8_t *plain, size_t n, const ek_wpan_sec *s, const ek_sec_key *k, const char *what)
{
    uint8_t out[EK_BUILD_MPDU_MAX + 40];
    size_t len;
    ek_sec_info info;
    ek_err e;
    ek_sec_env env = { 0 }; /* ASN 0: what tshark uses on DLT 195 without a TAP ASN TLV */
    if (ek_sec_protect(ek_view_make(plain, n), s, &env, k, NULL, out, sizeof out, &len, &info, &e) != EK_OK) {
        char buf[128];
        fprintf(stderr, "protect %s: %s\n", what, ek_err_format(&e, buf, sizeof buf));
        exit(2);
    }
    pcap_frame(out, len, "ok", what);
    if (info.mic_len) {
        char w2[160];
        out[info.mic_offset] ^= 0x01; /* one MIC bit */
        snprintf(w2, sizeof w2, "%s, MIC bit 0 flipped", what);
        pcap_frame(out, len, "bad", w2);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUT.pcap\n", argv[0]);
        return 2;
    }
    pcap_open(argv[1]);
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
    secure(eb, neb, &s, &k1, "EB level 1 K1 ASN nonce (0x69)");
    /* EB at level 5 (payload IEs encrypted, header terminator clear) */
    s.level = 5;
    secure(eb, neb, &s, &k1, "EB level 5 K1 ASN nonce (0x6d)");
    /* DIO, TSCH style: K2 level 5, KIM 1 index 2, ASN nonce (0x6d) */
    s.level = 5;
    s.key_index = 2;
    secure(dio, ndio, &s, &k2, "DIO level 5 K2 ASN nonce (0x6d)");
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
        secure(dio, ndio, &s, &k2, w);
    }
    fclose(pc);
    return 0;
}
