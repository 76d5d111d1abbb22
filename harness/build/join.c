/* SPDX-License-Identifier: BSD-3-Clause */
/* CoJP (RFC 9031) frames: UDP in IEEE 802.15.4 + 6LoWPAN, OSCORE-protected Join
 * Request / Join Response / Parameter Update, RFC 8974 extended tokens for the
 * stateless Join Proxy, and the parser.  Layer by layer through the codec's encoders
 * (CoAP -> OSCORE -> UDP -> IPHC + NHC -> MAC), as oscore_oracle_gen.c does. */
#include "ek/join.h"

#include <stdio.h>
#include <string.h>

#include "ek/build.h"
#include "ek/consts.h"
#include "ek/icmp6.h"
#include "ek/lowpan.h"
#include "ek/wpan.h"

#define LAYER_MAX 256

void ek_join_link_ll(ek_join_link *l, const uint8_t src_ext[8], const uint8_t dst_ext[8], uint16_t pan_id)
{
    memset(l, 0, sizeof *l);
    memcpy(l->src_ext, src_ext, 8);
    memcpy(l->dst_ext, dst_ext, 8);
    l->pan_id = pan_id;
    ek_build_ll_addr(src_ext, l->src_ip);
    ek_build_ll_addr(dst_ext, l->dst_ip);
    l->src_port = EK_COAP_PORT;
    l->dst_port = EK_COAP_PORT;
    l->hlim = 64;
}

void ek_join_global_addr(const uint8_t prefix[8], const uint8_t ext[8], uint8_t out[16])
{
    memcpy(out, prefix, 8);
    memcpy(out + 8, ext, 8);
    out[8] ^= 0x02; /* RFC 4944 §6: U/L bit inverted */
}

static ek_lladdr ll_ext(const uint8_t e[8])
{
    ek_lladdr a;
    memset(&a, 0, sizeof a);
    a.mode = EK_WPAN_AM_EXT;
    memcpy(a.ext, e, 8);
    return a;
}

ek_status ek_join_udp_frame(const ek_join_link *l, ek_view payload, const ek_profile *prof, uint8_t *out,
                            size_t cap, size_t *len, ek_err *err)
{
    ek_err_clear(err);
    ek_profile dp;
    if (!prof) {
        ek_profile_default(&dp);
        prof = &dp;
    }
    if (payload.len > LAYER_MAX - 8)
        return ek_err_set(err, EK_ERR_NOSPACE, "udp.payload", 0);
    ek_ipv6_hdr ip;
    memset(&ip, 0, sizeof ip);
    ip.nh = EK_IPV6_NH_UDP;
    ip.hlim = l->hlim;
    ip.tc = (uint8_t)((l->dscp & 0x3f) << 2); /* RFC 2474 §3: DSCP in the upper six bits */
    memcpy(ip.src, l->src_ip, 16);
    memcpy(ip.dst, l->dst_ip, 16);
    ip.payload_len = (uint16_t)(8 + payload.len);
    ek_udp_hdr udp;
    memset(&udp, 0, sizeof udp);
    udp.src_port = l->src_port;
    udp.dst_port = l->dst_port;
    udp.length = ip.payload_len;

    /* RFC 768 header with a zero checksum, for the RFC 8200 §8.1 sum (mandatory in IPv6) */
    uint8_t dgram[LAYER_MAX];
    ek_buf b;
    ek_buf_init(&b, dgram, sizeof dgram);
    ek_wr_be16(&b, "udp.src", udp.src_port);
    ek_wr_be16(&b, "udp.dst", udp.dst_port);
    ek_wr_be16(&b, "udp.length", udp.length);
    ek_wr_be16(&b, "udp.checksum", 0);
    ek_wr_view(&b, "udp.payload", payload);
    if (!ek_buf_ok(&b)) {
        *err = b.err;
        return err->code;
    }
    udp.checksum = ek_inet6_checksum(ip.src, ip.dst, EK_IPV6_NH_UDP, ek_view_make(dgram, b.len), 6);

    ek_wpan_frame f;
    ek_wpan_frame_init(&f);
    f.frame_type = EK_WPAN_FT_DATA;
    f.version = EK_WPAN_VER_2015;
    f.seq = l->seq;
    f.ack_request = true;
    f.pan_id_compression = true; /* IEEE 802.15.4-2015 Table 7-2: dst PAN only */
    f.dst_pan = l->pan_id;
    f.src_pan = l->pan_id;
    f.src = ll_ext(l->src_ext);
    f.dst = ll_ext(l->dst_ext);
    ek_ie_list_init(&f.ies);
    uint8_t lp[LAYER_MAX];
    ek_buf_init(&b, lp, sizeof lp);
    ek_status st = ek_lowpan_encode_max(&ip, &udp, payload, &f.src, &f.dst, prof, &b, err);
    if (st != EK_OK)
        return st;
    f.payload = ek_view_make(lp, b.len);
    ek_buf_init(&b, out, cap);
    st = ek_wpan_encode(&f, prof, &b, err);
    if (st != EK_OK)
        return st;
    if (b.len > EK_BUILD_MPDU_MAX)
        return ek_err_set(err, EK_ERR_NOSPACE, "wpan.frame_length", EK_BUILD_MPDU_MAX);
    *len = b.len;
    return EK_OK;
}

/* ---- RFC 8974 extended tokens ---- */

ek_status ek_join_coap_encode(const ek_coap_msg *msg, ek_view token, ek_buf *out, ek_err *err)
{
    ek_err_clear(err);
    /* RFC 8974 §2.1: TKL 0-8 the length itself; 9-12 reserved (so no token of 9-12
     * octets exists); 13: one octet, length - 13; 14: two octets, length - 269 (never
     * needed below EK_JOIN_TOKEN_MAX) */
    if (token.len > EK_JOIN_TOKEN_MAX || (token.len > EK_COAP_TOKEN_MAX && token.len < 13))
        return ek_err_set(err, EK_ERR_MALFORMED, "coap.tkl", out->len);
    ek_coap_msg m = *msg;
    m.token = ek_view_make(NULL, 0);
    uint8_t tmp[EK_OSCORE_MSG_MAX];
    ek_buf t;
    ek_buf_init(&t, tmp, sizeof tmp);
    ek_status st = ek_coap_encode(&m, NULL, &t, err);
    if (st != EK_OK)
        return st;
    uint8_t tkl = (uint8_t)(token.len <= EK_COAP_TOKEN_MAX ? token.len : 13);
    ek_wr_u8(out, "coap.hdr", (uint8_t)((tmp[0] & 0xF0) | tkl));
    ek_wr_bytes(out, "coap.hdr", tmp + 1, 3);
    if (tkl == 13)
        ek_wr_u8(out, "coap.tkl_ext", (uint8_t)(token.len - 13));
    ek_wr_view(out, "coap.token", token);
    ek_wr_bytes(out, "coap.opt", tmp + 4, t.len - 4);
    if (!ek_buf_ok(out)) {
        *err = out->err;
        return err->code;
    }
    return EK_OK;
}

ek_status ek_join_coap_split(ek_view in, size_t origin, uint8_t token[EK_JOIN_TOKEN_MAX], size_t *token_len,
                             uint8_t *plain, size_t cap, size_t *plain_len, ek_err *err)
{
    ek_err_clear(err);
    if (in.len < EK_COAP_HDR_LEN)
        return ek_err_set(err, EK_ERR_TRUNCATED, "coap.hdr", origin);
    unsigned tkl = in.p[0] & 0x0F;
    size_t at = EK_COAP_HDR_LEN, tl;
    if (tkl == 15 || (tkl > EK_COAP_TOKEN_MAX && tkl < 13)) /* RFC 8974 §2.1: reserved */
        return ek_err_set(err, EK_ERR_MALFORMED, "coap.tkl", origin);
    if (tkl == 13) {
        if (in.len < at + 1)
            return ek_err_set(err, EK_ERR_TRUNCATED, "coap.tkl_ext", origin + at);
        tl = 13u + in.p[at];
        at += 1;
    } else if (tkl == 14) {
        if (in.len < at + 2)
            return ek_err_set(err, EK_ERR_TRUNCATED, "coap.tkl_ext", origin + at);
        tl = 269u + ((size_t)in.p[at] << 8 | in.p[at + 1]);
        at += 2;
    } else {
        tl = tkl;
    }
    if (tl > EK_JOIN_TOKEN_MAX)
        return ek_err_set(err, EK_ERR_UNSUPPORTED, "coap.tkl", origin);
    if (in.len < at + tl)
        return ek_err_set(err, EK_ERR_TRUNCATED, "coap.token", origin + at);
    size_t rest = in.len - at - tl;
    if (cap < EK_COAP_HDR_LEN + rest)
        return ek_err_set(err, EK_ERR_NOSPACE, "coap.opt", origin + at + tl);
    memcpy(token, in.p + at, tl);
    *token_len = tl;
    plain[0] = (uint8_t)(in.p[0] & 0xF0);
    memcpy(plain + 1, in.p + 1, 3);
    memcpy(plain + EK_COAP_HDR_LEN, in.p + at + tl, rest);
    *plain_len = EK_COAP_HDR_LEN + rest;
    return EK_OK;
}

/* ---- messages ---- */

static ek_view cstr(const char *s)
{
    return ek_view_make((const uint8_t *)s, strlen(s));
}

/* Encodes m (token empty) into plain, protects it as a request, then writes it with
 * h's header fields and token. */
static ek_status finish_request(ek_oscore_ctx *ctx, const ek_join_hdr *h, ek_coap_msg *m, uint8_t *out,
                                size_t cap, size_t *len, ek_oscore_req *req, ek_err *err)
{
    uint8_t plain[EK_JOIN_COAP_MAX * 2], prot[EK_JOIN_COAP_MAX * 2];
    size_t pn, on;
    ek_buf b;
    m->type = h->type;
    m->mid = h->mid;
    m->token = ek_view_make(NULL, 0);
    ek_buf_init(&b, plain, sizeof plain);
    ek_status st = ek_coap_encode(m, NULL, &b, err);
    if (st != EK_OK)
        return st;
    pn = b.len;
    ek_oscore_req rq;
    st = ek_oscore_protect_request(ctx, ek_view_make(plain, pn), prot, sizeof prot, &on, req ? req : &rq, err);
    if (st != EK_OK)
        return st;
    ek_coap_msg pm;
    st = ek_coap_decode(ek_view_make(prot, on), 0, NULL, &pm, err);
    if (st != EK_OK)
        return st;
    ek_buf_init(&b, out, cap);
    st = ek_join_coap_encode(&pm, ek_view_make(h->token, h->token_len), &b, err);
    if (st != EK_OK)
        return st;
    *len = b.len;
    return EK_OK;
}

ek_status ek_join_request_msg(ek_oscore_ctx *pledge, const ek_join_hdr *h, const ek_cojp_join_request *jr,
                              ek_view jr_raw, uint8_t *out, size_t cap, size_t *len, ek_oscore_req *req,
                              ek_err *err)
{
    ek_err_clear(err);
    uint8_t obj[EK_JOIN_COAP_MAX];
    ek_view payload = jr_raw;
    if (!jr_raw.p) {
        ek_buf b;
        ek_buf_init(&b, obj, sizeof obj);
        ek_status st = ek_cojp_join_request_encode(jr, &b, err);
        if (st != EK_OK)
            return st;
        payload = ek_view_make(obj, b.len);
    }
    /* RFC 9031 §8.1.1: "the Uri-Host option with its value set to 6tisch.arpa",
     * "the Uri-Path option set to j", "the Proxy-Scheme option set to coap" */
    ek_coap_msg m;
    ek_coap_msg_init(&m);
    m.code = EK_COAP_POST;
    if (!ek_coap_opt_add(&m, EK_COAP_OPT_URI_HOST, cstr(EK_JOIN_URI_HOST)) ||
        !ek_coap_opt_add(&m, EK_COAP_OPT_URI_PATH, cstr(EK_JOIN_URI_PATH)) ||
        !ek_coap_opt_add(&m, EK_COAP_OPT_PROXY_SCHEME, cstr(EK_JOIN_PROXY_SCHEME)))
        return ek_err_set(err, EK_ERR_NOSPACE, "coap.opt", 0);
    m.payload = payload;
    return finish_request(pledge, h, &m, out, cap, len, req, err);
}

static ek_status finish_response(ek_oscore_ctx *ctx, const ek_oscore_req *req, bool with_piv,
                                 const ek_join_hdr *h, ek_coap_msg *m, uint8_t *out, size_t cap, size_t *len,
                                 ek_err *err)
{
    uint8_t plain[EK_JOIN_COAP_MAX * 2], prot[EK_JOIN_COAP_MAX * 2];
    size_t pn, on;
    ek_buf b;
    m->type = h->type;
    m->mid = h->mid;
    m->token = ek_view_make(NULL, 0);
    ek_buf_init(&b, plain, sizeof plain);
    ek_status st = ek_coap_encode(m, NULL, &b, err);
    if (st != EK_OK)
        return st;
    pn = b.len;
    st = ek_oscore_protect_response(ctx, req, with_piv, ek_view_make(plain, pn), prot, sizeof prot, &on, err);
    if (st != EK_OK)
        return st;
    ek_coap_msg pm;
    st = ek_coap_decode(ek_view_make(prot, on), 0, NULL, &pm, err);
    if (st != EK_OK)
        return st;
    ek_buf_init(&b, out, cap);
    st = ek_join_coap_encode(&pm, ek_view_make(h->token, h->token_len), &b, err);
    if (st != EK_OK)
        return st;
    *len = b.len;
    return EK_OK;
}

ek_status ek_join_response_msg(ek_oscore_ctx *jrc, const ek_oscore_req *req, const ek_join_hdr *h,
                               const ek_join_resp *r, uint8_t *out, size_t cap, size_t *len, ek_err *err)
{
    ek_err_clear(err);
    uint8_t obj[EK_JOIN_COAP_MAX], cf[4];
    ek_buf b;
    ek_buf_init(&b, obj, sizeof obj);
    ek_status st = EK_OK;
    if (r->code == EK_COAP_CHANGED && r->config)
        st = ek_cojp_config_encode(r->config, &b, err);
    else if (r->code != EK_COAP_CHANGED && r->unsupported)
        st = ek_cojp_unsupported_encode(r->unsupported, &b, err);
    if (st != EK_OK)
        return st;
    ek_coap_msg m;
    ek_coap_msg_init(&m);
    m.code = r->code;
    if (b.len > 0) {
        /* RFC 9031 §8.1.2 / §8.3.2: application/cbor */
        if (!ek_coap_opt_add(&m, EK_COAP_OPT_CONTENT_FORMAT, ek_view_make(cf, ek_coap_uint_put(EK_COAP_CF_CBOR, cf))))
            return ek_err_set(err, EK_ERR_NOSPACE, "coap.opt", 0);
        m.payload = ek_view_make(obj, b.len);
    }
    return finish_response(jrc, req, r->with_piv, h, &m, out, cap, len, err);
}

ek_status ek_join_param_update_msg(ek_oscore_ctx *jrc, const ek_join_hdr *h, const ek_cojp_config *cfg,
                                   uint8_t *out, size_t cap, size_t *len, ek_oscore_req *req, ek_err *err)
{
    ek_err_clear(err);
    uint8_t obj[EK_JOIN_COAP_MAX];
    ek_buf b;
    ek_buf_init(&b, obj, sizeof obj);
    ek_status st = ek_cojp_config_encode(cfg, &b, err);
    if (st != EK_OK)
        return st;
    /* RFC 9031 §8.2.1: POST (the type is the caller's: CON per §8.2.1), Uri-Host
     * "6tisch.arpa", Uri-Path "j", the Configuration as payload (no Content-Format is
     * listed there) */
    ek_coap_msg m;
    ek_coap_msg_init(&m);
    m.code = EK_COAP_POST;
    if (!ek_coap_opt_add(&m, EK_COAP_OPT_URI_HOST, cstr(EK_JOIN_URI_HOST)) ||
        !ek_coap_opt_add(&m, EK_COAP_OPT_URI_PATH, cstr(EK_JOIN_URI_PATH)))
        return ek_err_set(err, EK_ERR_NOSPACE, "coap.opt", 0);
    m.payload = ek_view_make(obj, b.len);
    return finish_request(jrc, h, &m, out, cap, len, req, err);
}

ek_status ek_join_empty_response_msg(ek_oscore_ctx *ctx, const ek_oscore_req *req, const ek_join_hdr *h,
                                     uint8_t code, uint8_t *out, size_t cap, size_t *len, ek_err *err)
{
    ek_err_clear(err);
    ek_coap_msg m;
    ek_coap_msg_init(&m);
    m.code = code;
    return finish_response(ctx, req, false, h, &m, out, cap, len, err);
}

/* ---- state object ---- */

size_t ek_join_state_put(const ek_join_state *s, uint8_t *out, size_t cap)
{
    size_t n = 11 + s->token_len;
    if (n < EK_JOIN_STATE_MIN)
        n = EK_JOIN_STATE_MIN;
    if (s->token_len > EK_COAP_TOKEN_MAX || cap < n)
        return 0;
    memset(out, 0, n);
    memcpy(out, s->pledge_ext, 8);
    out[8] = (uint8_t)(s->pledge_port >> 8);
    out[9] = (uint8_t)s->pledge_port;
    out[10] = (uint8_t)s->token_len;
    memcpy(out + 11, s->token, s->token_len);
    return n;
}

bool ek_join_state_get(const uint8_t *in, size_t len, ek_join_state *s)
{
    if (len < EK_JOIN_STATE_MIN || len > EK_JOIN_STATE_MAX)
        return false;
    size_t tl = in[10], n = 11 + tl;
    if (tl > EK_COAP_TOKEN_MAX || (n < EK_JOIN_STATE_MIN ? EK_JOIN_STATE_MIN : n) != len)
        return false;
    for (size_t i = n; i < len; i++)
        if (in[i] != 0)
            return false;
    memset(s, 0, sizeof *s);
    memcpy(s->pledge_ext, in, 8);
    s->pledge_port = (uint16_t)(in[8] << 8 | in[9]);
    s->token_len = tl;
    memcpy(s->token, in + 11, tl);
    return true;
}

/* ---- parsing ---- */

static bool opt_is(const ek_coap_opt *o, const char *s)
{
    size_t n = strlen(s);
    return o && o->value.len == n && memcmp(o->value.p, s, n) == 0;
}

ek_status ek_join_parse(const ek_frame *f, ek_join_msg *out, ek_err *err)
{
    ek_err_clear(err);
    memset(out, 0, sizeof *out);
    out->kind = EK_JOIN_NOT_COAP;
    if (!f->has_net || !f->net.has_ipv6 || !f->net.has_udp || !f->sum.has_ipv6)
        return EK_OK;
    if (f->has_mac && f->mac.src.mode == EK_WPAN_AM_EXT) {
        out->has_src_ext = true;
        memcpy(out->src_ext, f->mac.src.ext, 8);
    }
    if (f->has_mac && f->mac.dst.mode == EK_WPAN_AM_EXT) {
        out->has_dst_ext = true;
        memcpy(out->dst_ext, f->mac.dst.ext, 8);
    }
    memcpy(out->src_ip, f->net.ip.src, 16);
    memcpy(out->dst_ip, f->net.ip.dst, 16);
    out->src_port = f->net.udp.src_port;
    out->dst_port = f->net.udp.dst_port;
    out->dscp = (uint8_t)(f->net.ip.tc >> 2);
    out->ecn = (uint8_t)(f->net.ip.tc & 3);
    out->udp_len = f->net.payload.len;
    ek_status st = ek_join_coap_split(f->net.payload, f->net.payload_offset, out->token, &out->token_len,
                                      out->plain, sizeof out->plain, &out->plain_len, err);
    if (st != EK_OK)
        return st;
    st = ek_coap_decode(ek_view_make(out->plain, out->plain_len), 0, NULL, &out->coap, err);
    if (st != EK_OK) {
        /* the offset is inside plain[]: move it past the token to the frame */
        err->offset += f->net.payload_offset + (f->net.payload.len - out->plain_len);
        return st;
    }
    uint8_t cls = EK_COAP_CODE_CLASS(out->coap.code);
    if (out->coap.code == EK_COAP_EMPTY)
        out->kind = EK_JOIN_EMPTY;
    else if (cls == 0)
        out->kind = EK_JOIN_REQUEST;
    else if (cls >= 2)
        out->kind = EK_JOIN_RESPONSE;
    else
        return ek_err_set(err, EK_ERR_MALFORMED, "coap.code", f->net.payload_offset + 1); /* class 1 reserved */
    const ek_coap_opt *o = ek_coap_opt_find(&out->coap, EK_COAP_OPT_URI_HOST, NULL);
    out->has_uri_host = o != NULL;
    out->uri_host_jrc = opt_is(o, EK_JOIN_URI_HOST);
    o = ek_coap_opt_find(&out->coap, EK_COAP_OPT_PROXY_SCHEME, NULL);
    out->has_proxy_scheme = o != NULL;
    out->proxy_scheme_coap = opt_is(o, EK_JOIN_PROXY_SCHEME);
    o = ek_coap_opt_find(&out->coap, EK_COAP_OPT_OSCORE, NULL);
    out->oscore = o != NULL;
    if (o) {
        ek_err oe;
        out->osc_ok = ek_oscore_opt_decode(o->value, 0, NULL, &out->osc, &oe) == EK_OK;
    }
    return EK_OK;
}

ek_status ek_join_parse_mpdu(ek_view mpdu, const ek_profile *prof, ek_join_msg *out, ek_err *err)
{
    static ek_frame f; /* large; callers are single-threaded front ends and tests */
    ek_frame_fcs known = { 0, true };
    /* a problem in a layer the parse does not use leaves the others decoded (frame.h);
     * ek_join_parse looks only at what decoded */
    ek_status dec = ek_frame_decode_mpdu(mpdu, &known, prof, &f);
    (void)dec;
    return ek_join_parse(&f, out, err);
}

static void decode_object(ek_join_msg *m, bool join_request)
{
    ek_view p = m->inner_msg.payload;
    if (p.len == 0)
        return;
    if (join_request) {
        m->has_join_request = ek_cojp_join_request_decode(p, 0, &m->jr, &m->object_err) == EK_OK;
    } else if (m->inner_msg.code == EK_COAP_CHANGED || m->inner_msg.code == EK_COAP_POST) {
        m->has_config = ek_cojp_config_decode(p, 0, &m->cfg, &m->object_err) == EK_OK;
    } else {
        m->has_unsupported = ek_cojp_unsupported_decode(p, 0, &m->unsupported, &m->object_err) == EK_OK;
    }
}

ek_status ek_join_open_request(ek_join_msg *m, ek_oscore_ctx *ctx, ek_oscore_req *req, ek_err *err)
{
    ek_err_clear(err);
    ek_oscore_req rq;
    ek_status st = ek_oscore_unprotect_request(ctx, ek_view_make(m->plain, m->plain_len), 0, m->inner,
                                               sizeof m->inner, &m->inner_len, req ? req : &rq, err);
    if (st != EK_OK)
        return st;
    st = ek_coap_decode(ek_view_make(m->inner, m->inner_len), 0, NULL, &m->inner_msg, err);
    if (st != EK_OK)
        return st;
    m->opened = true;
    const ek_coap_opt *p = ek_coap_opt_find(&m->inner_msg, EK_COAP_OPT_URI_PATH, NULL);
    m->path_j = opt_is(p, EK_JOIN_URI_PATH) && !ek_coap_opt_find(&m->inner_msg, EK_COAP_OPT_URI_PATH, p);
    /* a JRC context (Sender ID "JRC", RFC 9031 §7.3) receives Join Requests */
    bool jrc = ctx->sender_id_len == 3 && memcmp(ctx->sender_id, EK_OSCORE_COJP_JRC_ID, 3) == 0;
    decode_object(m, jrc);
    return EK_OK;
}

ek_status ek_join_open_response(ek_join_msg *m, const ek_oscore_ctx *ctx, const ek_oscore_req *req, ek_err *err)
{
    ek_err_clear(err);
    ek_status st = ek_oscore_unprotect_response(ctx, req, ek_view_make(m->plain, m->plain_len), 0, m->inner,
                                                sizeof m->inner, &m->inner_len, err);
    if (st != EK_OK)
        return st;
    st = ek_coap_decode(ek_view_make(m->inner, m->inner_len), 0, NULL, &m->inner_msg, err);
    if (st != EK_OK)
        return st;
    m->opened = true;
    decode_object(m, false);
    return EK_OK;
}

static size_t addr_fmt(const uint8_t a[16], char *b, size_t n)
{
    /* RFC 5952 §4.2.1 is not attempted beyond dropping leading zeros of each group */
    size_t u = 0;
    for (int i = 0; i < 8; i++) {
        unsigned g = (unsigned)(a[2 * i] << 8 | a[2 * i + 1]);
        int w = snprintf(b + u, u < n ? n - u : 0, i ? ":%x" : "%x", g);
        u += (size_t)(w > 0 ? w : 0);
    }
    return u;
}

size_t ek_join_msg_format(const ek_join_msg *m, char *buf, size_t len)
{
    static const char *types[] = { "CON", "NON", "ACK", "RST" };
    char s[48], d[48];
    if (m->kind == EK_JOIN_NOT_COAP)
        return (size_t)snprintf(buf, len, "not CoAP");
    addr_fmt(m->src_ip, s, sizeof s);
    addr_fmt(m->dst_ip, d, sizeof d);
    return (size_t)snprintf(buf, len, "CoJP %s %s %u.%02u [%s]:%u -> [%s]:%u DSCP %u token %zuo%s",
                            m->kind == EK_JOIN_REQUEST ? "request" : m->kind == EK_JOIN_RESPONSE ? "response" : "empty",
                            types[m->coap.type & 3], EK_COAP_CODE_CLASS(m->coap.code),
                            EK_COAP_CODE_DETAIL(m->coap.code), s, m->src_port, d, m->dst_port, m->dscp, m->token_len,
                            m->oscore ? " OSCORE" : " unprotected");
}
