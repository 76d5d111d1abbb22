/* SPDX-License-Identifier: BSD-3-Clause */
/* CoJP frame tests: a Join Request built by the pledge decodes (ek_frame_decode) and
 * parses back to what went in and opens under the JRC context (RFC 9031 §8.1.1, §7.3);
 * the Join Response and the Parameter Update open at the other side (§8.1.2, §8.2.1);
 * a replay and a damaged tag do not open (RFC 8613 §7.4, §8.2); RFC 8974 extended
 * tokens and the stateless Join Proxy's state object round trip and refuse the
 * reserved lengths; a JP -> JRC frame with global addresses and AF43 fits one MPDU. */
#include <criterion/criterion.h>
#include <string.h>

#include "ek/build.h"
#include "ek/frame.h"
#include "ek/join.h"
#include "ek_test_rng.h"

static const uint8_t PLEDGE[8] = { 0x00, 0x12, 0x4b, 0x00, 0x14, 0xb5, 0xd9, 0x01 };
static const uint8_t JP[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t JRC[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t PSK[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
static const uint8_t NETID[3] = { 0xca, 0xfe, 0x01 };
static const uint8_t PREFIX[8] = { 0xfd, 0, 0, 0, 0, 0, 0, 0 };
#define PAN 0xface

static ek_oscore_ctx pl, jrc;
static ek_join_msg M; /* big */
static ek_frame F;

static void ctxs(void)
{
    ek_err e;
    cr_assert_eq(ek_oscore_cojp_context(EK_OSCORE_COJP_PLEDGE, ek_view_make(PSK, 16), ek_view_make(PLEDGE, 8), &pl, &e),
                 EK_OK);
    cr_assert_eq(ek_oscore_cojp_context(EK_OSCORE_COJP_JRC, ek_view_make(PSK, 16), ek_view_make(PLEDGE, 8), &jrc, &e),
                 EK_OK);
}

static ek_cojp_join_request jr_of(void)
{
    ek_cojp_join_request jr;
    memset(&jr, 0, sizeof jr);
    jr.network_id = ek_view_make(NETID, sizeof NETID);
    return jr;
}

/* The pledge's Join Request to its JP, link-local (RFC 9031 §5, §8.1.1). */
static size_t pledge_request(uint8_t type, const uint8_t *tok, size_t tl, uint8_t *mpdu, ek_oscore_req *rq)
{
    ek_join_hdr h;
    memset(&h, 0, sizeof h);
    h.type = type;
    h.mid = 0x1234;
    if (tl) /* memcpy from NULL is undefined even for 0 octets (C11 7.24.1) */
        memcpy(h.token, tok, tl);
    h.token_len = tl;
    ek_cojp_join_request jr = jr_of();
    uint8_t coap[EK_JOIN_COAP_MAX];
    size_t cn, n;
    ek_err e;
    cr_assert_eq(ek_join_request_msg(&pl, &h, &jr, ek_view_make(NULL, 0), coap, sizeof coap, &cn, rq, &e), EK_OK, "%s",
                 e.field ? e.field : "");
    ek_join_link l;
    ek_join_link_ll(&l, PLEDGE, JP, PAN);
    l.src_port = 61616;
    cr_assert_eq(ek_join_udp_frame(&l, ek_view_make(coap, cn), NULL, mpdu, EK_BUILD_MPDU_MAX, &n, &e), EK_OK, "%s",
                 e.field ? e.field : "");
    return n;
}

Test(join, request_parses_and_opens_at_the_jrc)
{
    ctxs();
    uint8_t mpdu[EK_BUILD_MPDU_MAX];
    static const uint8_t tok[2] = { 0x4a, 0x01 };
    ek_oscore_req rq, rs;
    size_t n = pledge_request(EK_COAP_CON, tok, 2, mpdu, &rq);
    ek_err e;
    cr_assert_eq(ek_frame_decode_mpdu(ek_view_make(mpdu, n), NULL, NULL, &F), EK_OK);
    cr_assert_eq(ek_join_parse(&F, &M, &e), EK_OK);
    cr_assert_eq(M.kind, EK_JOIN_REQUEST);
    cr_assert_eq(M.coap.type, EK_COAP_CON);
    cr_assert_eq(M.coap.code, EK_COAP_POST); /* OSCORE outer code of a POST (RFC 8613 §4.2) */
    cr_assert_eq(M.coap.mid, 0x1234);
    cr_assert_eq(M.token_len, 2);
    cr_assert_arr_eq(M.token, tok, 2);
    cr_assert(M.has_src_ext && M.has_dst_ext);
    cr_assert_arr_eq(M.src_ext, PLEDGE, 8);
    cr_assert_arr_eq(M.dst_ext, JP, 8);
    uint8_t ll[16];
    ek_build_ll_addr(PLEDGE, ll);
    cr_assert_arr_eq(M.src_ip, ll, 16);
    cr_assert_eq(M.src_port, 61616);
    cr_assert_eq(M.dst_port, EK_COAP_PORT);
    cr_assert_eq(M.dscp, 0);
    cr_assert(M.uri_host_jrc && M.proxy_scheme_coap && M.oscore && M.osc_ok);
    cr_assert(M.osc.has_kid_context);
    cr_assert_eq(M.osc.kid_context.len, 8);
    cr_assert_arr_eq(M.osc.kid_context.p, PLEDGE, 8); /* kid context = pledge ID, RFC 9031 §7.3 */
    cr_assert(M.osc.has_kid);
    cr_assert_eq(M.osc.kid.len, 0); /* the pledge's Sender ID is empty */
    cr_assert(!M.opened);
    cr_assert_eq(ek_join_open_request(&M, &jrc, &rs, &e), EK_OK, "%s", e.field ? e.field : "");
    cr_assert(M.opened && M.path_j && M.has_join_request);
    cr_assert_eq(M.inner_msg.code, EK_COAP_POST);
    cr_assert_eq(M.jr.network_id.len, sizeof NETID);
    cr_assert_arr_eq(M.jr.network_id.p, NETID, sizeof NETID);
    cr_assert_eq(memcmp(rq.nonce, rs.nonce, EK_OSCORE_NONCE_LEN), 0);
    char line[200];
    ek_join_msg_format(&M, line, sizeof line);
    cr_assert(strstr(line, "request CON 0.02") && strstr(line, "OSCORE"), "%s", line);
}

Test(join, replayed_request_does_not_open)
{
    ctxs();
    uint8_t mpdu[EK_BUILD_MPDU_MAX];
    ek_oscore_req rq;
    size_t n = pledge_request(EK_COAP_NON, NULL, 0, mpdu, &rq);
    ek_err e;
    cr_assert_eq(ek_join_parse_mpdu(ek_view_make(mpdu, n), NULL, &M, &e), EK_OK);
    cr_assert_eq(ek_join_open_request(&M, &jrc, NULL, &e), EK_OK);
    cr_assert_eq(ek_join_parse_mpdu(ek_view_make(mpdu, n), NULL, &M, &e), EK_OK);
    cr_assert_eq(ek_join_open_request(&M, &jrc, NULL, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "oscore.replay"); /* RFC 8613 §7.4 */
    cr_assert(!M.opened && !M.has_join_request);
}

Test(join, damaged_tag_does_not_open_and_leaves_the_window)
{
    ctxs();
    uint8_t mpdu[EK_BUILD_MPDU_MAX];
    ek_oscore_req rq;
    size_t n = pledge_request(EK_COAP_CON, NULL, 0, mpdu, &rq);
    ek_err e;
    cr_assert_eq(ek_frame_decode_mpdu(ek_view_make(mpdu, n), NULL, NULL, &F), EK_OK);
    /* the last UDP payload octet is the tag's last; the UDP checksum is not our concern */
    ((uint8_t *)F.net.payload.p)[F.net.payload.len - 1] ^= 0x80;
    cr_assert_eq(ek_join_parse(&F, &M, &e), EK_OK);
    ek_oscore_replay before = jrc.replay;
    cr_assert_neq(ek_join_open_request(&M, &jrc, NULL, &e), EK_OK);
    cr_assert_str_eq(e.field, "oscore.tag");
    cr_assert_eq(memcmp(&before, &jrc.replay, sizeof before), 0);
}

Test(join, response_carries_the_configuration)
{
    ctxs();
    uint8_t mpdu[EK_BUILD_MPDU_MAX], coap[EK_JOIN_COAP_MAX];
    ek_oscore_req rq, rs;
    size_t n = pledge_request(EK_COAP_CON, (const uint8_t *)"\x01", 1, mpdu, &rq);
    ek_err e;
    cr_assert_eq(ek_join_parse_mpdu(ek_view_make(mpdu, n), NULL, &M, &e), EK_OK);
    cr_assert_eq(ek_join_open_request(&M, &jrc, &rs, &e), EK_OK);
    static const uint8_t bl[8] = { 0x00, 0x12, 0x4b, 0, 0, 0, 0, 0x99 };
    ek_cojp_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.has_join_rate = true;
    cfg.join_rate = 20;
    cfg.has_blacklist = true;
    cfg.n_blacklist = 1;
    cfg.blacklist[0] = ek_view_make(bl, 8);
    for (int with_piv = 0; with_piv < 2; with_piv++) {
        ek_join_hdr h;
        memset(&h, 0, sizeof h);
        h.type = EK_COAP_ACK;
        h.mid = 0x1234;
        h.token[0] = 0x01;
        h.token_len = 1;
        ek_join_resp r = { EK_COAP_CHANGED, &cfg, NULL, with_piv != 0 };
        size_t cn;
        cr_assert_eq(ek_join_response_msg(&jrc, &rs, &h, &r, coap, sizeof coap, &cn, &e), EK_OK);
        ek_join_link l;
        ek_join_link_ll(&l, JP, PLEDGE, PAN);
        l.dst_port = 61616;
        cr_assert_eq(ek_join_udp_frame(&l, ek_view_make(coap, cn), NULL, mpdu, sizeof mpdu, &n, &e), EK_OK);
        cr_assert_eq(ek_join_parse_mpdu(ek_view_make(mpdu, n), NULL, &M, &e), EK_OK);
        cr_assert_eq(M.kind, EK_JOIN_RESPONSE);
        cr_assert_eq(M.coap.type, EK_COAP_ACK);
        cr_assert_eq(M.coap.code, EK_COAP_CHANGED);
        cr_assert_eq(M.osc.piv.len, with_piv ? 1u : 0u);
        cr_assert_eq(ek_join_open_response(&M, &pl, &rq, &e), EK_OK, "%s", e.field ? e.field : "");
        cr_assert(M.has_config);
        cr_assert(M.cfg.has_join_rate);
        cr_assert_eq(M.cfg.join_rate, 20);
        cr_assert_eq(M.cfg.n_blacklist, 1);
        cr_assert_arr_eq(M.cfg.blacklist[0].p, bl, 8);
        /* another pledge's request binding does not open it */
        ek_oscore_req other = rq;
        other.nonce[12] ^= 1;
        other.piv[0] ^= 1;
        cr_assert_neq(ek_join_open_response(&M, &pl, &other, &e), EK_OK);
    }
}

Test(join, error_response_carries_unsupported_configuration)
{
    ctxs();
    uint8_t mpdu[EK_BUILD_MPDU_MAX], coap[EK_JOIN_COAP_MAX];
    ek_oscore_req rq, rs;
    size_t n = pledge_request(EK_COAP_CON, NULL, 0, mpdu, &rq);
    ek_err e;
    cr_assert_eq(ek_join_parse_mpdu(ek_view_make(mpdu, n), NULL, &M, &e), EK_OK);
    cr_assert_eq(ek_join_open_request(&M, &jrc, &rs, &e), EK_OK);
    ek_cojp_unsupported u;
    memset(&u, 0, sizeof u);
    u.n = 1;
    u.p[0].code = EK_COJP_CODE_MALFORMED;
    u.p[0].label = EK_COJP_LABEL_NETWORK_ID;
    u.p[0].addinfo_null = true;
    ek_join_hdr h;
    memset(&h, 0, sizeof h);
    h.type = EK_COAP_ACK;
    ek_join_resp r = { EK_COAP_BAD_REQUEST, NULL, &u, false };
    size_t cn;
    cr_assert_eq(ek_join_response_msg(&jrc, &rs, &h, &r, coap, sizeof coap, &cn, &e), EK_OK);
    ek_join_link l;
    ek_join_link_ll(&l, JP, PLEDGE, PAN);
    cr_assert_eq(ek_join_udp_frame(&l, ek_view_make(coap, cn), NULL, mpdu, sizeof mpdu, &n, &e), EK_OK);
    cr_assert_eq(ek_join_parse_mpdu(ek_view_make(mpdu, n), NULL, &M, &e), EK_OK);
    cr_assert_eq(M.coap.code, EK_COAP_CHANGED); /* outer code of every OSCORE response */
    cr_assert_eq(ek_join_open_response(&M, &pl, &rq, &e), EK_OK);
    cr_assert_eq(M.inner_msg.code, EK_COAP_BAD_REQUEST);
    cr_assert(M.has_unsupported && !M.has_config);
    cr_assert_eq(M.unsupported.p[0].label, EK_COJP_LABEL_NETWORK_ID);
}

Test(join, malformed_object_opens_but_is_not_a_join_request)
{
    ctxs();
    static const uint8_t bad[] = { 0xa1, 0x05, 0x01 }; /* network identifier not a bstr (§8.4.1) */
    ek_join_hdr h;
    memset(&h, 0, sizeof h);
    h.type = EK_COAP_CON;
    uint8_t coap[EK_JOIN_COAP_MAX];
    size_t cn;
    ek_err e;
    cr_assert_eq(ek_join_request_msg(&pl, &h, NULL, ek_view_make(bad, sizeof bad), coap, sizeof coap, &cn, NULL, &e),
                 EK_OK);
    ek_join_link l;
    ek_join_link_ll(&l, PLEDGE, JP, PAN);
    uint8_t mpdu[EK_BUILD_MPDU_MAX];
    size_t n;
    cr_assert_eq(ek_join_udp_frame(&l, ek_view_make(coap, cn), NULL, mpdu, sizeof mpdu, &n, &e), EK_OK);
    cr_assert_eq(ek_join_parse_mpdu(ek_view_make(mpdu, n), NULL, &M, &e), EK_OK);
    cr_assert_eq(ek_join_open_request(&M, &jrc, NULL, &e), EK_OK);
    cr_assert(M.opened && M.path_j && !M.has_join_request);
    cr_assert_neq(M.object_err.code, EK_OK);
    ek_cojp_unsup_param d;
    cr_assert(ek_cojp_diagnose(&M.object_err, &d));
    cr_assert_eq(d.label, EK_COJP_LABEL_NETWORK_ID);
}

Test(join, parameter_update_opens_at_the_node)
{
    ctxs();
    ek_cojp_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.has_join_rate = true;
    cfg.join_rate = 0;
    ek_join_hdr h;
    memset(&h, 0, sizeof h);
    h.type = EK_COAP_CON;
    h.mid = 7;
    uint8_t coap[EK_JOIN_COAP_MAX], mpdu[EK_BUILD_MPDU_MAX];
    size_t cn, n;
    ek_err e;
    ek_oscore_req rq, rs;
    cr_assert_eq(ek_join_param_update_msg(&jrc, &h, &cfg, coap, sizeof coap, &cn, &rq, &e), EK_OK);
    ek_join_link l;
    memset(&l, 0, sizeof l);
    memcpy(l.src_ext, JRC, 8);
    memcpy(l.dst_ext, JP, 8);
    l.pan_id = PAN;
    ek_join_global_addr(PREFIX, JRC, l.src_ip);
    ek_join_global_addr(PREFIX, JP, l.dst_ip);
    l.src_port = l.dst_port = EK_COAP_PORT;
    l.hlim = 64;
    cr_assert_eq(ek_join_udp_frame(&l, ek_view_make(coap, cn), NULL, mpdu, sizeof mpdu, &n, &e), EK_OK);
    cr_assert_eq(ek_join_parse_mpdu(ek_view_make(mpdu, n), NULL, &M, &e), EK_OK);
    cr_assert_eq(M.kind, EK_JOIN_REQUEST);
    cr_assert(M.uri_host_jrc && !M.has_proxy_scheme); /* §8.2.1 */
    cr_assert_eq(M.osc.kid.len, 3); /* "JRC" */
    cr_assert_eq(ek_join_open_request(&M, &pl, &rs, &e), EK_OK, "%s", e.field ? e.field : "");
    cr_assert(M.path_j && M.has_config && M.cfg.has_join_rate);
    cr_assert_eq(M.cfg.join_rate, 0);
    /* the node's empty 2.04 opens at the JRC */
    h.type = EK_COAP_ACK;
    cr_assert_eq(ek_join_empty_response_msg(&pl, &rs, &h, EK_COAP_CHANGED, coap, sizeof coap, &cn, &e), EK_OK);
    uint8_t plain[64];
    size_t pn, tl;
    uint8_t tok[EK_JOIN_TOKEN_MAX];
    cr_assert_eq(ek_join_coap_split(ek_view_make(coap, cn), 0, tok, &tl, plain, sizeof plain, &pn, &e), EK_OK);
    uint8_t inner[64];
    size_t in;
    cr_assert_eq(ek_oscore_unprotect_response(&jrc, &rq, ek_view_make(plain, pn), 0, inner, sizeof inner, &in, &e),
                 EK_OK);
}

Test(join, forwarded_request_fits_with_global_addresses_af43_and_state_token)
{
    /* what a stateless JP sends the JRC (RFC 9031 §6.1.1, §7.1): NON, AF43, global
     * addresses, Uri-Host and Proxy-Scheme removed, the state object as the token */
    ctxs();
    uint8_t mpdu[EK_BUILD_MPDU_MAX];
    static const uint8_t ptok[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    ek_oscore_req rq;
    size_t n = pledge_request(EK_COAP_CON, ptok, 8, mpdu, &rq);
    ek_err e;
    cr_assert_eq(ek_join_parse_mpdu(ek_view_make(mpdu, n), NULL, &M, &e), EK_OK);
    ek_coap_msg fw = M.coap;
    unsigned k = 0;
    for (unsigned i = 0; i < fw.n_opts; i++)
        if (fw.opts[i].number != EK_COAP_OPT_URI_HOST && fw.opts[i].number != EK_COAP_OPT_PROXY_SCHEME)
            fw.opts[k++] = fw.opts[i];
    fw.n_opts = k;
    fw.type = EK_COAP_NON;
    ek_join_state st;
    memset(&st, 0, sizeof st);
    memcpy(st.pledge_ext, PLEDGE, 8);
    st.pledge_port = M.src_port;
    memcpy(st.token, M.token, M.token_len);
    st.token_len = M.token_len;
    uint8_t tok[EK_JOIN_STATE_MAX];
    size_t tl = ek_join_state_put(&st, tok, sizeof tok);
    cr_assert_eq(tl, EK_JOIN_STATE_MAX);
    uint8_t coap[EK_JOIN_COAP_MAX];
    ek_buf b;
    ek_buf_init(&b, coap, sizeof coap);
    cr_assert_eq(ek_join_coap_encode(&fw, ek_view_make(tok, tl), &b, &e), EK_OK);
    cr_assert_eq(coap[0] & 0x0f, 13);
    cr_assert_eq(coap[4], tl - 13);
    ek_join_link l;
    memset(&l, 0, sizeof l);
    memcpy(l.src_ext, JP, 8);
    memcpy(l.dst_ext, JRC, 8);
    l.pan_id = PAN;
    ek_join_global_addr(PREFIX, JP, l.src_ip);
    ek_join_global_addr(PREFIX, JRC, l.dst_ip);
    l.src_port = l.dst_port = EK_COAP_PORT;
    l.dscp = EK_JOIN_DSCP_AF43;
    l.hlim = 64;
    uint8_t out[EK_BUILD_MPDU_MAX];
    cr_assert_eq(ek_join_udp_frame(&l, ek_buf_view(&b), NULL, out, sizeof out, &n, &e), EK_OK, "%s",
                 e.field ? e.field : "");
    cr_assert_eq(ek_join_parse_mpdu(ek_view_make(out, n), NULL, &M, &e), EK_OK);
    cr_assert_eq(M.kind, EK_JOIN_REQUEST);
    cr_assert_eq(M.coap.type, EK_COAP_NON);
    cr_assert_eq(M.dscp, EK_JOIN_DSCP_AF43);
    cr_assert_arr_eq(M.dst_ip, l.dst_ip, 16);
    cr_assert(!M.has_uri_host && !M.has_proxy_scheme);
    ek_join_state back;
    cr_assert(ek_join_state_get(M.token, M.token_len, &back));
    cr_assert_arr_eq(back.pledge_ext, PLEDGE, 8);
    cr_assert_eq(back.pledge_port, 61616);
    cr_assert_eq(back.token_len, 8);
    cr_assert_arr_eq(back.token, ptok, 8);
    /* the JRC opens it: Class U options are not in the AAD (RFC 8613 §4.1, §5.4) */
    cr_assert_eq(ek_join_open_request(&M, &jrc, NULL, &e), EK_OK, "%s", e.field ? e.field : "");
    cr_assert(M.has_join_request);
}

Test(join, extended_tokens_round_trip_and_reserved_lengths_refused)
{
    ek_coap_msg m;
    ek_coap_msg_init(&m);
    m.type = EK_COAP_NON;
    m.code = EK_COAP_POST;
    m.mid = 9;
    static const uint8_t pay[3] = { 1, 2, 3 };
    m.payload = ek_view_make(pay, 3);
    uint8_t tok[EK_JOIN_TOKEN_MAX + 1];
    uint32_t s = 0x1badcafe;
    for (size_t i = 0; i < sizeof tok; i++)
        tok[i] = (uint8_t)ek_test_xorshift32(&s);
    for (size_t tl = 0; tl <= EK_JOIN_TOKEN_MAX + 1; tl++) {
        uint8_t out[128], back[EK_JOIN_TOKEN_MAX], plain[128];
        ek_buf b;
        ek_err e;
        ek_buf_init(&b, out, sizeof out);
        ek_status st = ek_join_coap_encode(&m, ek_view_make(tok, tl), &b, &e);
        if ((tl > 8 && tl < 13) || tl > EK_JOIN_TOKEN_MAX) {
            cr_assert_eq(st, EK_ERR_MALFORMED, "token %zu", tl); /* RFC 8974 §2.1 */
            continue;
        }
        cr_assert_eq(st, EK_OK, "token %zu", tl);
        size_t bl, pn;
        cr_assert_eq(ek_join_coap_split(ek_buf_view(&b), 0, back, &bl, plain, sizeof plain, &pn, &e), EK_OK);
        cr_assert_eq(bl, tl);
        cr_assert_arr_eq(back, tok, tl);
        ek_coap_msg d;
        cr_assert_eq(ek_coap_decode(ek_view_make(plain, pn), 0, NULL, &d, &e), EK_OK);
        cr_assert_eq(d.mid, 9);
        cr_assert_eq(d.payload.len, 3);
        /* every prefix short of the token is TRUNCATED, never read past */
        size_t hdr = 4 + (tl >= 13 ? 1 : 0) + tl;
        for (size_t k = 0; k < hdr; k++)
            cr_assert_eq(ek_join_coap_split(ek_view_make(out, k), 0, back, &bl, plain, sizeof plain, &pn, &e),
                         EK_ERR_TRUNCATED, "token %zu prefix %zu", tl, k);
    }
    uint8_t raw[8] = { 0x49, 0x02, 0, 1 }; /* TKL 9: reserved */
    uint8_t back[EK_JOIN_TOKEN_MAX], plain[16];
    size_t bl, pn;
    ek_err e;
    cr_assert_eq(ek_join_coap_split(ek_view_make(raw, 8), 0, back, &bl, plain, sizeof plain, &pn, &e),
                 EK_ERR_MALFORMED);
    raw[0] = 0x4f; /* TKL 15 */
    cr_assert_eq(ek_join_coap_split(ek_view_make(raw, 8), 0, back, &bl, plain, sizeof plain, &pn, &e),
                 EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "coap.tkl");
    raw[0] = 0x4e; /* TKL 14: 269 + ... is beyond enrollkit's bound */
    cr_assert_eq(ek_join_coap_split(ek_view_make(raw, 8), 0, back, &bl, plain, sizeof plain, &pn, &e),
                 EK_ERR_UNSUPPORTED);
}

Test(join, state_object_checks_length_and_padding)
{
    ek_join_state s, b;
    memset(&s, 0, sizeof s);
    memcpy(s.pledge_ext, PLEDGE, 8);
    s.pledge_port = 5683;
    uint8_t o[EK_JOIN_STATE_MAX];
    for (size_t tl = 0; tl <= 8; tl++) {
        s.token_len = tl;
        memset(s.token, 0xa5, tl);
        size_t n = ek_join_state_put(&s, o, sizeof o);
        cr_assert_eq(n, tl + 11 < 13 ? 13 : tl + 11);
        cr_assert(ek_join_state_get(o, n, &b));
        cr_assert_eq(b.token_len, tl);
        cr_assert_eq(b.pledge_port, 5683);
        cr_assert(!ek_join_state_get(o, n - 1, &b));
        if (n == 13 && tl < 2) {
            o[12] = 1; /* padding must be zero */
            cr_assert(!ek_join_state_get(o, n, &b));
        }
    }
    s.token_len = 9;
    cr_assert_eq(ek_join_state_put(&s, o, sizeof o), 0);
    s.token_len = 8;
    cr_assert_eq(ek_join_state_put(&s, o, 18), 0);
}

Test(join, a_dio_is_not_coap)
{
    ek_build_node node = { .ext = { 2, 0, 0x5e, 0xef, 0, 0, 0, 9 }, .pan_id = PAN, .seq = 1 };
    ek_build_dio d;
    ek_build_dio_init(&d);
    uint8_t mpdu[EK_BUILD_MPDU_MAX];
    size_t n;
    ek_err e;
    cr_assert_eq(ek_build_dio_frame(&node, &d, NULL, mpdu, sizeof mpdu, &n, &e), EK_OK);
    cr_assert_eq(ek_join_parse_mpdu(ek_view_make(mpdu, n), NULL, &M, &e), EK_OK);
    cr_assert_eq(M.kind, EK_JOIN_NOT_COAP);
}

Test(join, oversize_datagram_is_nospace)
{
    ek_join_link l;
    ek_join_link_ll(&l, PLEDGE, JP, PAN);
    uint8_t big[120] = { 0x50 }, mpdu[EK_BUILD_MPDU_MAX];
    size_t n;
    ek_err e;
    cr_assert_eq(ek_join_udp_frame(&l, ek_view_make(big, sizeof big), NULL, mpdu, sizeof mpdu, &n, &e),
                 EK_ERR_NOSPACE);
}
