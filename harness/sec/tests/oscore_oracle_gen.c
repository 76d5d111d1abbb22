/* SPDX-License-Identifier: BSD-3-Clause */
/* tshark oracle input for OSCORE: CoJP join exchanges (RFC 9031 §8.1) protected with
 * ek_oscore_* under the CoJP context (§7.3), carried link-local between a pledge and its
 * Join Proxy (§5: fe80:: addresses, UDP to port 5683) in IEEE 802.15.4 data frames
 * (2006 frame version, extended addresses, 6LoWPAN IPHC + UDP NHC by ek_lowpan, FCS:
 * LINKTYPE_IEEE802_15_4_WITHFCS = 195).  Exchanges: (1) response reusing the request
 * nonce (RFC 8613 §8.3, empty OSCORE option), (2) response with its own Partial IV,
 * (3) a request whose tag has one bit flipped.  Prints one line per frame for
 * oscore_tshark.sh: "<frame> ok|bad <inner Uri-Path or -> <inner code> <plaintext hex>".
 * Usage: oscore_oracle_gen OUT.pcap PSK-HEX PLEDGE-ID-HEX */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/coap.h"
#include "ek/consts.h"
#include "ek/fcs.h"
#include "ek/icmp6.h"
#include "ek/lowpan.h"
#include "ek/oscore.h"
#include "ek/wpan.h"

static FILE *pcap;
static unsigned nframes;

static void die(const char *what, const ek_err *e)
{
    char b[160];
    fprintf(stderr, "oscore_oracle_gen: %s: %s\n", what, e ? ek_err_format(e, b, sizeof b) : "failed");
    exit(2);
}

static void le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
    size_t n = 0;
    for (; h[0] && h[1] && n < cap; h += 2) {
        int a = ek_hex_digit(h[0]), b = ek_hex_digit(h[1]);
        if (a < 0 || b < 0)
            die("bad hex argument", NULL);
        out[n++] = (uint8_t)(a << 4 | b);
    }
    return n;
}

/* Pledge and Join Proxy: EUI-64s, link-local fe80::IID (RFC 4944 §6: U/L bit flipped). */
static const uint8_t PLEDGE_EXT[8] = { 0x00, 0x12, 0x4b, 0x00, 0x14, 0xb5, 0xd9, 0x01 };
static const uint8_t JP_EXT[8] = { 0x00, 0x12, 0x4b, 0x00, 0x14, 0xb5, 0xd9, 0x02 };
#define PLEDGE_PORT 61616 /* the pledge's source port (any; 0xF0B0) */
#define PAN 0xabcd

static void ll_addr(const uint8_t ext[8], uint8_t out[16])
{
    memset(out, 0, 16);
    out[0] = 0xfe;
    out[1] = 0x80;
    memcpy(out + 8, ext, 8);
    out[8] ^= 0x02;
}

static ek_lladdr lladdr(const uint8_t ext[8])
{
    ek_lladdr a;
    memset(&a, 0, sizeof a);
    a.mode = EK_WPAN_AM_EXT;
    memcpy(a.ext, ext, 8);
    return a;
}

/* UDP datagram (RFC 768; checksum over the RFC 8200 §8.1 pseudo-header, mandatory in
 * IPv6) -> IPHC (RFC 6282 §3.1.1, addresses elided from the MAC ones) + UDP NHC (§4.3.3,
 * checksum inline) -> 802.15.4 data frame, ack requested -> pcap record with FCS. */
static void frame(bool from_pledge, uint8_t seq, const uint8_t *coap, size_t n)
{
    ek_ipv6_hdr ip;
    memset(&ip, 0, sizeof ip);
    ip.nh = EK_IPV6_NH_UDP;
    ip.hlim = 64;
    ll_addr(from_pledge ? PLEDGE_EXT : JP_EXT, ip.src);
    ll_addr(from_pledge ? JP_EXT : PLEDGE_EXT, ip.dst);
    ip.payload_len = (uint16_t)(8 + n);
    ek_udp_hdr udp;
    memset(&udp, 0, sizeof udp);
    udp.src_port = from_pledge ? PLEDGE_PORT : EK_COAP_PORT;
    udp.dst_port = from_pledge ? EK_COAP_PORT : PLEDGE_PORT;
    udp.length = ip.payload_len;
    uint8_t dgram[256];
    ek_buf b;
    ek_buf_init(&b, dgram, sizeof dgram);
    ek_wr_be16(&b, "udp.src", udp.src_port);
    ek_wr_be16(&b, "udp.dst", udp.dst_port);
    ek_wr_be16(&b, "udp.length", udp.length);
    ek_wr_be16(&b, "udp.checksum", 0);
    ek_wr_bytes(&b, "udp.payload", coap, n);
    if (!ek_buf_ok(&b))
        die("datagram too long", NULL);
    udp.checksum = ek_inet6_checksum(ip.src, ip.dst, EK_IPV6_NH_UDP, ek_view_make(dgram, b.len), 6);

    ek_wpan_frame f;
    ek_wpan_frame_init(&f);
    f.frame_type = EK_WPAN_FT_DATA;
    f.version = EK_WPAN_VER_2006;
    f.seq = seq;
    f.ack_request = true;
    f.pan_id_compression = true; /* one PAN ID, IEEE 802.15.4-2006 §7.2.1.1.5 */
    f.dst_pan = PAN;
    f.src_pan = PAN;
    f.src = lladdr(from_pledge ? PLEDGE_EXT : JP_EXT);
    f.dst = lladdr(from_pledge ? JP_EXT : PLEDGE_EXT);
    uint8_t lp[256];
    ek_err e;
    ek_buf_init(&b, lp, sizeof lp);
    if (ek_lowpan_encode_max(&ip, &udp, ek_view_make(coap, n), &f.src, &f.dst, NULL, &b, &e) != EK_OK)
        die("6lowpan", &e);
    f.payload = ek_view_make(lp, b.len);
    uint8_t mpdu[300];
    ek_buf_init(&b, mpdu, sizeof mpdu);
    if (ek_wpan_encode(&f, NULL, &b, &e) != EK_OK)
        die("mac", &e);
    if (b.len > 125) /* aMaxPhyPacketSize 127 - FCS 2 */
        die("frame over 127 octets", NULL);
    uint16_t fcs = ek_fcs16(ek_view_make(mpdu, b.len));
    mpdu[b.len] = (uint8_t)fcs;
    mpdu[b.len + 1] = (uint8_t)(fcs >> 8);
    size_t len = b.len + 2;
    uint8_t rh[16];
    nframes++;
    le32(rh, 1700000000u + nframes);
    le32(rh + 4, 0);
    le32(rh + 8, (uint32_t)len);
    le32(rh + 12, (uint32_t)len);
    if (fwrite(rh, 1, 16, pcap) != 16 || fwrite(mpdu, 1, len, pcap) != len)
        die("write", NULL);
}

static size_t encode(const ek_coap_msg *m, uint8_t *out, size_t cap)
{
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, out, cap);
    if (ek_coap_encode(m, NULL, &b, &e) != EK_OK)
        die("coap encode", &e);
    return b.len;
}

/* What tshark must show as "Decrypted OSCORE": code | Class E options | 0xFF payload
 * (RFC 8613 §5.3), computed independently of ek_oscore from the unprotected message. */
static void print_expect(const char *verdict, const char *path, const ek_coap_msg *m)
{
    ek_coap_opt inner[EK_COAP_MAX_OPTS];
    unsigned ni = 0;
    for (unsigned i = 0; i < m->n_opts; i++)
        if (m->opts[i].number != EK_COAP_OPT_URI_HOST && m->opts[i].number != EK_COAP_OPT_PROXY_SCHEME)
            inner[ni++] = m->opts[i];
    uint8_t pt[256];
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, pt, sizeof pt);
    ek_wr_u8(&b, "code", m->code);
    if (ek_coap_opts_encode(inner, ni, m->payload, &b, &e) != EK_OK)
        die("plaintext", &e);
    printf("%u %s %s %u ", nframes, verdict, path, m->code);
    for (size_t i = 0; i < b.len; i++)
        printf("%02x", pt[i]);
    printf("\n");
}

/* One join exchange.  mode 0: response without Partial IV; 1: with; 2: request tag
 * damaged (no response). */
static void exchange(ek_oscore_ctx *pl, ek_oscore_ctx *jrc, int mode, uint16_t mid, const uint8_t tok[2])
{
    /* RFC 9031 §8.1.1 Join Request: CON POST, Uri-Host "6tisch.arpa", Uri-Path "j",
     * Proxy-Scheme "coap", payload a Join_Request {5: h'cafe'} (network identifier, §8.4.1) */
    static const uint8_t join_req[] = { 0xa1, 0x05, 0x42, 0xca, 0xfe };
    ek_coap_msg m;
    ek_coap_msg_init(&m);
    m.type = EK_COAP_CON;
    m.code = EK_COAP_POST;
    m.mid = mid;
    m.token = ek_view_make(tok, 2); /* tshark pairs a response with its request by token */
    if (!ek_coap_opt_add(&m, EK_COAP_OPT_URI_HOST, ek_view_make((const uint8_t *)"6tisch.arpa", 11)) ||
        !ek_coap_opt_add(&m, EK_COAP_OPT_URI_PATH, ek_view_make((const uint8_t *)"j", 1)) ||
        !ek_coap_opt_add(&m, EK_COAP_OPT_PROXY_SCHEME, ek_view_make((const uint8_t *)"coap", 4)))
        die("options", NULL);
    m.payload = ek_view_make(join_req, sizeof join_req);
    uint8_t plain[256], prot[256], back[256];
    size_t pn = encode(&m, plain, sizeof plain), on, bn;
    ek_oscore_req rq, rs;
    ek_err e;
    if (ek_oscore_protect_request(pl, ek_view_make(plain, pn), prot, sizeof prot, &on, &rq, &e) != EK_OK)
        die("protect request", &e);
    if (mode == 2) {
        prot[on - 1] ^= 0x01; /* the tag's last bit */
        frame(true, (uint8_t)mid, prot, on);
        print_expect("bad", "-", &m);
        return;
    }
    frame(true, (uint8_t)mid, prot, on);
    print_expect("ok", "j", &m);
    /* the JRC side (reached through the Join Proxy, §7: the proxy is transparent to OSCORE) */
    if (ek_oscore_unprotect_request(jrc, ek_view_make(prot, on), 0, back, sizeof back, &bn, &rs, &e) != EK_OK)
        die("unprotect request", &e);
    if (bn != pn || memcmp(back, plain, pn) != 0)
        die("request round trip", NULL);
    /* §8.1.2 Join Response: 2.04 Changed, Content-Format application/cbor (Class E) and a
     * payload (bytes only; CoJP objects are another module's) */
    static const uint8_t conf[] = { 0xa1, 0x02, 0x41, 0x00, 0x00 };
    uint8_t cf[4];
    ek_coap_msg r;
    ek_coap_msg_init(&r);
    r.type = EK_COAP_ACK;
    r.code = EK_COAP_CHANGED;
    r.mid = mid;
    r.token = m.token;
    if (!ek_coap_opt_add(&r, EK_COAP_OPT_CONTENT_FORMAT, ek_view_make(cf, ek_coap_uint_put(EK_COAP_CF_CBOR, cf))))
        die("options", NULL);
    r.payload = ek_view_make(conf, sizeof conf);
    pn = encode(&r, plain, sizeof plain);
    if (ek_oscore_protect_response(jrc, &rs, mode == 1, ek_view_make(plain, pn), prot, sizeof prot, &on, &e) != EK_OK)
        die("protect response", &e);
    if (ek_oscore_unprotect_response(pl, &rq, ek_view_make(prot, on), 0, back, sizeof back, &bn, &e) != EK_OK)
        die("unprotect response", &e);
    frame(false, (uint8_t)(mid + 0x40), prot, on);
    print_expect("ok", "-", &r);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s OUT.pcap PSK-HEX PLEDGE-ID-HEX\n", argv[0]);
        return 2;
    }
    uint8_t psk[32], pid[EK_OSCORE_ID_CONTEXT_MAX];
    size_t pskn = unhex(argv[2], psk, sizeof psk), pidn = unhex(argv[3], pid, sizeof pid);
    ek_oscore_ctx pl, jrc;
    ek_err e;
    if (ek_oscore_cojp_context(EK_OSCORE_COJP_PLEDGE, ek_view_make(psk, pskn), ek_view_make(pid, pidn), &pl, &e) !=
            EK_OK ||
        ek_oscore_cojp_context(EK_OSCORE_COJP_JRC, ek_view_make(psk, pskn), ek_view_make(pid, pidn), &jrc, &e) != EK_OK)
        die("context", &e);
    pcap = fopen(argv[1], "wb");
    /* libpcap file header: magic a1b2c3d4 (LE), 2.4, snaplen, LINKTYPE 195 */
    uint8_t h[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0 };
    le32(h + 16, 65535);
    le32(h + 20, 195);
    if (!pcap || fwrite(h, 1, sizeof h, pcap) != sizeof h)
        die(argv[1], NULL);
    static const uint8_t t1[2] = { 0x4a, 0x01 }, t2[2] = { 0x4a, 0x02 }, t3[2] = { 0x4a, 0x03 };
    exchange(&pl, &jrc, 0, 0x1001, t1);
    exchange(&pl, &jrc, 1, 0x1002, t2);
    exchange(&pl, &jrc, 2, 0x1003, t3);
    if (fclose(pcap) != 0)
        die("close", NULL);
    return 0;
}
