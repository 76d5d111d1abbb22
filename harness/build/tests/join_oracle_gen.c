/* SPDX-License-Identifier: BSD-3-Clause */
/* tshark oracle input for the CoJP frame builders (ek/join.h): every message kind the
 * harness and enroll-refdut send, built by the same functions, in IEEE 802.15.4 frames
 * with FCS (LINKTYPE_IEEE802_15_4_WITHFCS = 195):
 *   1 Join Request, pledge -> JP, link-local (RFC 9031 §8.1.1)
 *   2 Join Response 2.04 + Configuration, request nonce reused (§8.1.2, RFC 8613 §8.3)
 *   3 Join Request (a second attempt: the next Partial IV)
 *   4 Join Response 4.00 + Unsupported_Configuration, own Partial IV (§8.3.1)
 *   5 Parameter Update (join rate 0, a blacklist), JRC -> node, global addresses, CON
 *     (§8.2.1)
 *   6 the node's empty 2.04 to it
 * Prints one line per frame for join_tshark.sh:
 *   "<frame> yes|no <outer code> <Uri-Host or -> <inner code> <inner Uri-Path or -> <plaintext hex>"
 * (no: tshark cannot find a context for it, see `findable`)
 * Usage: join_oracle_gen OUT.pcap PSK-HEX PLEDGE-ID-HEX */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/coap.h"
#include "ek/cojp.h"
#include "ek/consts.h"
#include "ek/decap.h"
#include "ek/fcs.h"
#include "ek/build.h"
#include "ek/join.h"
#include "ek/oscore.h"
#include "ek/pcapio.h"

static ek_cap_writer *w;
static unsigned nframes;
/* "yes": tshark can find the context; "no": a JRC request carries no kid context
 * (RFC 9031 §8.2.1: the node knows its one context), and tshark 4.0-4.4 match a UAT row
 * by kid and ID Context together, so it cannot pick the CoJP row for it. */
static const char *findable = "yes";

static void die(const char *what, const ek_err *e)
{
    char b[160];
    fprintf(stderr, "join_oracle_gen: %s: %s\n", what, e ? ek_err_format(e, b, sizeof b) : "failed");
    exit(2);
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

static const uint8_t PLEDGE[8] = { 0x00, 0x12, 0x4b, 0x00, 0x14, 0xb5, 0xd9, 0x01 };
static const uint8_t JP[8] = { 0x00, 0x12, 0x4b, 0x00, 0x14, 0xb5, 0xd9, 0x02 };
static const uint8_t PREFIX[8] = { 0xfd, 0x00, 0, 0, 0, 0, 0, 0 };
#define PAN 0xabcd

/* The CoAP datagram in a frame, with FCS, into the capture. */
static void frame(const ek_join_link *l, const uint8_t *coap, size_t n)
{
    uint8_t mpdu[EK_BUILD_MPDU_MAX + 2];
    size_t len;
    ek_err e;
    if (ek_join_udp_frame(l, ek_view_make(coap, n), NULL, mpdu, EK_BUILD_MPDU_MAX, &len, &e) != EK_OK)
        die("udp frame", &e);
    uint16_t fcs = ek_fcs16(ek_view_make(mpdu, len));
    mpdu[len] = (uint8_t)fcs;
    mpdu[len + 1] = (uint8_t)(fcs >> 8);
    nframes++;
    if (ek_cap_write(w, 1700000000u + nframes, 0, ek_view_make(mpdu, len + 2)) != EK_CAP_IO_OK)
        die(ek_cap_writer_errmsg(w), NULL);
}

/* What the receiver decrypts, from the message unprotect gave back (RFC 8613 §5.3: the
 * plaintext is the inner code, the Class E options and the payload; Class U options
 * are Uri-Host, Uri-Port, Proxy-Scheme and OSCORE itself, §4.1). */
static void expect(unsigned outer, const char *host, const uint8_t *msg, size_t msg_len)
{
    ek_coap_msg m;
    ek_err e;
    if (ek_coap_decode(ek_view_make(msg, msg_len), 0, NULL, &m, &e) != EK_OK)
        die("inner message", &e);
    ek_coap_opt inner[EK_COAP_MAX_OPTS];
    unsigned n = 0;
    for (unsigned i = 0; i < m.n_opts; i++) {
        uint16_t o = m.opts[i].number;
        if (o != EK_COAP_OPT_URI_HOST && o != EK_COAP_OPT_URI_PORT && o != EK_COAP_OPT_PROXY_SCHEME &&
            o != EK_COAP_OPT_OSCORE)
            inner[n++] = m.opts[i];
    }
    uint8_t plain[EK_OSCORE_MSG_MAX];
    plain[0] = m.code;
    ek_buf b;
    ek_buf_init(&b, plain + 1, sizeof plain - 1);
    if (ek_coap_opts_encode(inner, n, m.payload, &b, &e) != EK_OK)
        die("plaintext", &e);
    const ek_coap_opt *p = ek_coap_opt_find(&m, EK_COAP_OPT_URI_PATH, NULL);
    printf("%u %s %u %s %u %.*s ", nframes, findable, outer, host, m.code, p ? (int)p->value.len : 1,
           p ? (const char *)p->value.p : "-");
    for (size_t i = 0; i < 1 + b.len; i++)
        printf("%02x", plain[i]);
    printf("\n");
}

/* Opens what was just built, as its receiver does, to learn the plaintext. */
static void check_request(const uint8_t *coap, size_t n, ek_oscore_ctx rx, const char *host)
{
    uint8_t token[EK_JOIN_TOKEN_MAX], plain[EK_OSCORE_MSG_MAX], inner[EK_OSCORE_MSG_MAX];
    size_t tl, pl, il;
    ek_oscore_req req;
    ek_err e;
    if (ek_join_coap_split(ek_view_make(coap, n), 0, token, &tl, plain, sizeof plain, &pl, &e) != EK_OK ||
        ek_oscore_unprotect_request(&rx, ek_view_make(plain, pl), 0, inner, sizeof inner, &il, &req, &e) != EK_OK)
        die("own request does not open", &e);
    expect(EK_COAP_POST, host, inner, il);
}

static void check_response(const uint8_t *coap, size_t n, const ek_oscore_ctx *rx, const ek_oscore_req *req)
{
    uint8_t token[EK_JOIN_TOKEN_MAX], plain[EK_OSCORE_MSG_MAX], inner[EK_OSCORE_MSG_MAX];
    size_t tl, pl, il;
    ek_err e;
    if (ek_join_coap_split(ek_view_make(coap, n), 0, token, &tl, plain, sizeof plain, &pl, &e) != EK_OK ||
        ek_oscore_unprotect_response(rx, req, ek_view_make(plain, pl), 0, inner, sizeof inner, &il, &e) != EK_OK)
        die("own response does not open", &e);
    expect(EK_COAP_CHANGED, "-", inner, il);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: join_oracle_gen OUT.pcap PSK-HEX PLEDGE-ID-HEX\n");
        return 2;
    }
    uint8_t psk[32], pid[16];
    size_t psk_len = unhex(argv[2], psk, sizeof psk), pid_len = unhex(argv[3], pid, sizeof pid);
    char ebuf[256];
    if (ek_cap_writer_open(argv[1], EK_LT_IEEE802_15_4_WITHFCS, &w, ebuf, sizeof ebuf) != EK_CAP_IO_OK) {
        fprintf(stderr, "join_oracle_gen: %s\n", ebuf);
        return 2;
    }
    ek_oscore_ctx pledge, jrc;
    ek_err e;
    if (ek_oscore_cojp_context(EK_OSCORE_COJP_PLEDGE, ek_view_make(psk, psk_len), ek_view_make(pid, pid_len),
                               &pledge, &e) != EK_OK ||
        ek_oscore_cojp_context(EK_OSCORE_COJP_JRC, ek_view_make(psk, psk_len), ek_view_make(pid, pid_len), &jrc,
                               &e) != EK_OK)
        die("context", &e);

    ek_join_link up, down;
    ek_join_link_ll(&up, PLEDGE, JP, PAN);
    ek_join_link_ll(&down, JP, PLEDGE, PAN);
    static const uint8_t nid[] = { 0xca, 0xfe };
    ek_cojp_join_request jr;
    memset(&jr, 0, sizeof jr);
    jr.network_id = ek_view_make(nid, sizeof nid);
    static const uint8_t key[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
    static const uint8_t sid[2] = { 0x00, 0x07 };
    ek_cojp_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.has_keys = true;
    cfg.n_keys = 1;
    cfg.keys[0].key_id = 1;
    cfg.keys[0].key_value = ek_view_make(key, sizeof key);
    cfg.has_short_id = true;
    cfg.short_id.identifier = ek_view_make(sid, sizeof sid);
    cfg.has_join_rate = true;
    cfg.join_rate = 20;

    uint8_t coap[EK_JOIN_COAP_MAX];
    size_t n;
    ek_oscore_req req;
    ek_join_hdr h = { .type = EK_COAP_CON, .mid = 0x1001, .token = { 0x4a, 0x01 }, .token_len = 2 };

    /* 1, 2 */
    ek_oscore_ctx rx = jrc;
    if (ek_join_request_msg(&pledge, &h, &jr, ek_view_make(NULL, 0), coap, sizeof coap, &n, &req, &e) != EK_OK)
        die("join request", &e);
    frame(&up, coap, n);
    check_request(coap, n, rx, "6tisch.arpa");
    ek_join_hdr ha = h;
    ha.type = EK_COAP_ACK;
    ek_join_resp r = { .code = EK_COAP_CHANGED, .config = &cfg, .with_piv = false };
    if (ek_join_response_msg(&jrc, &req, &ha, &r, coap, sizeof coap, &n, &e) != EK_OK)
        die("join response", &e);
    frame(&down, coap, n);
    check_response(coap, n, &pledge, &req);

    /* 3, 4 */
    h.mid++;
    h.token[1]++;
    rx = jrc;
    if (ek_join_request_msg(&pledge, &h, &jr, ek_view_make(NULL, 0), coap, sizeof coap, &n, &req, &e) != EK_OK)
        die("join request", &e);
    frame(&up, coap, n);
    check_request(coap, n, rx, "6tisch.arpa");
    ek_cojp_unsupported un;
    memset(&un, 0, sizeof un);
    un.n = 1;
    un.p[0].code = 1;   /* Unsupported (RFC 9031 §8.4.5 Table 7) */
    un.p[0].label = 2;  /* the link-layer key set */
    un.p[0].addinfo_null = true;
    ha = h;
    ha.type = EK_COAP_ACK;
    ek_join_resp r2 = { .code = EK_COAP_BAD_REQUEST, .unsupported = &un, .with_piv = true };
    if (ek_join_response_msg(&jrc, &req, &ha, &r2, coap, sizeof coap, &n, &e) != EK_OK)
        die("error response", &e);
    frame(&down, coap, n);
    {
        uint8_t token[EK_JOIN_TOKEN_MAX], plain[EK_OSCORE_MSG_MAX], inner[EK_OSCORE_MSG_MAX];
        size_t tl, pl, il;
        if (ek_join_coap_split(ek_view_make(coap, n), 0, token, &tl, plain, sizeof plain, &pl, &e) != EK_OK ||
            ek_oscore_unprotect_response(&pledge, &req, ek_view_make(plain, pl), 0, inner, sizeof inner, &il, &e) !=
                EK_OK)
            die("own error response does not open", &e);
        expect(EK_COAP_CHANGED, "-", inner, il);
    }

    /* 5, 6: the JRC's Parameter Update to the node's global address */
    ek_join_link pu, pr;
    memset(&pu, 0, sizeof pu);
    memcpy(pu.src_ext, JP, 8); /* the last hop to the node */
    memcpy(pu.dst_ext, PLEDGE, 8);
    pu.pan_id = PAN;
    pu.seq = 9;
    ek_join_global_addr(PREFIX, JP, pu.src_ip);
    pu.src_ip[15] = 1; /* fd00::1, the JRC */
    memset(pu.src_ip + 8, 0, 7);
    ek_join_global_addr(PREFIX, PLEDGE, pu.dst_ip);
    pu.src_port = pu.dst_port = EK_COAP_PORT;
    pu.hlim = 63;
    pr = pu;
    memcpy(pr.src_ext, PLEDGE, 8);
    memcpy(pr.dst_ext, JP, 8);
    memcpy(pr.src_ip, pu.dst_ip, 16);
    memcpy(pr.dst_ip, pu.src_ip, 16);
    pr.hlim = 64;
    findable = "no";
    h.mid = 0x2001;
    h.token[0] = 0x50;
    rx = pledge;
    ek_cojp_config upd; /* what a Parameter Update sets (§8.2): the join rate, a blacklist */
    memset(&upd, 0, sizeof upd);
    upd.has_join_rate = true;
    upd.join_rate = 0;
    upd.has_blacklist = true;
    upd.n_blacklist = 1;
    upd.blacklist[0] = ek_view_make(PLEDGE, sizeof PLEDGE);
    if (ek_join_param_update_msg(&jrc, &h, &upd, coap, sizeof coap, &n, &req, &e) != EK_OK)
        die("parameter update", &e);
    frame(&pu, coap, n);
    check_request(coap, n, rx, "6tisch.arpa");
    ha = h;
    ha.type = EK_COAP_ACK;
    if (ek_join_empty_response_msg(&rx, &req, &ha, EK_COAP_CHANGED, coap, sizeof coap, &n, &e) != EK_OK)
        die("empty response", &e);
    frame(&pr, coap, n);
    check_response(coap, n, &jrc, &req);

    if (ek_cap_writer_close(w) != EK_CAP_IO_OK)
        die("close", NULL);
    return 0;
}
