/* SPDX-License-Identifier: BSD-3-Clause */
/* CoAP codec (RFC 7252 §3, §3.1, §4.1) and the OSCORE option value (RFC 8613 §6.1):
 * the messages of RFC 8613 Appendix C, extended option forms, every error path with
 * its field and offset, prefix sweeps, randomized round trips. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ek/coap.h"
#include "ek_test_rng.h"

#define ORG 17u /* a non-zero origin: every offset is frame-absolute */

static size_t hex(const char *h, uint8_t *out)
{
    size_t n = 0;
    for (; h[0] && h[1]; h += 2) {
        unsigned v;
        cr_assert_eq(sscanf(h, "%2x", &v), 1);
        out[n++] = (uint8_t)v;
    }
    return n;
}

static ek_status dec(const uint8_t *w, size_t n, ek_coap_msg *m, ek_err *e)
{
    return ek_coap_decode(ek_view_make(w, n), ORG, NULL, m, e);
}

static void roundtrip(const uint8_t *w, size_t n)
{
    ek_coap_msg m;
    ek_err e;
    cr_assert_eq(dec(w, n, &m, &e), EK_OK, "%s @%zu", e.field, e.offset);
    uint8_t out[512];
    ek_buf b;
    ek_buf_init(&b, out, sizeof out);
    cr_assert_eq(ek_coap_encode(&m, NULL, &b, &e), EK_OK);
    cr_assert_eq(b.len, n);
    cr_assert_eq(ek_coap_encoded_len(&m), n);
    cr_assert_arr_eq(out, w, n);
}

static void expect_err(const uint8_t *w, size_t n, ek_status code, const char *field, size_t off)
{
    ek_coap_msg m;
    ek_err e;
    cr_assert_eq(dec(w, n, &m, &e), code, "want %s, got %s", field, e.field ? e.field : "(none)");
    cr_assert_str_eq(e.field, field);
    cr_assert_eq(e.offset, off, "%s: offset %zu, want %zu", field, e.offset, off);
}

/* RFC 8613 C.4 unprotected request.  tshark: "CON, MID:23839, GET, TKN:00 00 39 74,
 * coap://localhost/tv1". */
Test(coap, c4_request_fields_offsets_roundtrip)
{
    uint8_t w[64];
    size_t n = hex("44015d1f00003974396c6f63616c686f737483747631", w);
    ek_coap_msg m;
    ek_err e;
    cr_assert_eq(dec(w, n, &m, &e), EK_OK);
    cr_assert_eq(m.version, 1);
    cr_assert_eq(m.type, EK_COAP_CON);
    cr_assert_eq(m.code, EK_COAP_GET);
    cr_assert_eq(m.mid, 0x5d1f);
    cr_assert_eq(m.token.len, 4);
    cr_assert_eq(m.token.p, w + 4);
    cr_assert_eq(m.n_opts, 2);
    cr_assert_eq(m.opts[0].number, EK_COAP_OPT_URI_HOST);
    cr_assert_eq(m.opts[0].offset, ORG + 8);
    cr_assert_eq(m.opts[0].value.len, 9);
    cr_assert_arr_eq(m.opts[0].value.p, "localhost", 9);
    cr_assert_eq(m.opts[1].number, EK_COAP_OPT_URI_PATH);
    cr_assert_eq(m.opts[1].offset, ORG + 18);
    cr_assert_arr_eq(m.opts[1].value.p, "tv1", 3);
    cr_assert_eq(m.payload.len, 0);
    roundtrip(w, n);
}

/* RFC 8613 C.7 protected response: ACK 2.04, empty OSCORE option (0x90), payload. */
Test(coap, c7_response_empty_option_and_payload)
{
    uint8_t w[64];
    size_t n = hex("64445d1f0000397490ffdbaad1e9a7e7b2a813d3c31524378303cdafae119106", w);
    ek_coap_msg m;
    ek_err e;
    cr_assert_eq(dec(w, n, &m, &e), EK_OK);
    cr_assert_eq(m.type, EK_COAP_ACK);
    cr_assert_eq(m.code, EK_COAP_CHANGED);
    cr_assert_eq(m.n_opts, 1);
    cr_assert_eq(m.opts[0].number, EK_COAP_OPT_OSCORE);
    cr_assert_eq(m.opts[0].value.len, 0);
    cr_assert_eq(m.payload.len, 22);
    cr_assert_eq(m.payload_offset, ORG + 10);
    cr_assert_eq(m.payload.p, w + 10);
    roundtrip(w, n);
}

/* Extended forms (RFC 7252 §3.1): delta 13+ext8 (Proxy-Scheme 39 after Uri-Host 3:
 * delta 36 = 13 + 23), delta 14+ext16 (option 400 = 39 + 361 = 269 + 92), length 13+ext
 * (20 octets) and 14+ext (300 octets). */
Test(coap, extended_delta_and_length_forms)
{
    uint8_t w[400];
    size_t n = 0;
    w[n++] = 0x52; /* CON, TKL 2 */
    w[n++] = EK_COAP_POST;
    w[n++] = 0x12;
    w[n++] = 0x34;
    w[n++] = 0xaa;
    w[n++] = 0xbb;
    w[n++] = 0x3b; /* Uri-Host, 11 */
    memcpy(w + n, "6tisch.arpa", 11);
    n += 11;
    w[n++] = 0xd4; /* delta 13 + 23 = 36 -> 39, length 4 */
    w[n++] = 23;
    memcpy(w + n, "coap", 4);
    n += 4;
    w[n++] = 0xed; /* delta 269 + 92 = 361 -> 400, length 13 + 7 = 20 */
    w[n++] = 0;
    w[n++] = 92;
    w[n++] = 7;
    memset(w + n, 'x', 20);
    n += 20;
    w[n++] = 0x0e; /* delta 0 -> 400 again, length 269 + 31 = 300 */
    w[n++] = 0;
    w[n++] = 31;
    memset(w + n, 'y', 300);
    n += 300;
    w[n++] = 0xff;
    w[n++] = 0xa0;
    ek_coap_msg m;
    ek_err e;
    cr_assert_eq(dec(w, n, &m, &e), EK_OK, "%s", e.field);
    cr_assert_eq(m.n_opts, 4);
    cr_assert_eq(m.opts[1].number, EK_COAP_OPT_PROXY_SCHEME);
    cr_assert_eq(m.opts[2].number, 400);
    cr_assert_eq(m.opts[2].value.len, 20);
    cr_assert_eq(m.opts[3].number, 400);
    cr_assert_eq(m.opts[3].value.len, 300);
    cr_assert_eq(m.payload.len, 1);
    roundtrip(w, n);
    /* the largest option number, 65535 = 269 + 65266 */
    const uint8_t big[] = { 0x40, 0x01, 0, 0, 0xe0, 0xfe, 0xf2 };
    cr_assert_eq(dec(big, sizeof big, &m, &e), EK_OK);
    cr_assert_eq(m.opts[0].number, 65535);
    roundtrip(big, sizeof big);
}

Test(coap, empty_message_ack_and_rst)
{
    const uint8_t ack[] = { 0x60, 0x00, 0xbe, 0xef };
    ek_coap_msg m;
    ek_err e;
    cr_assert_eq(dec(ack, sizeof ack, &m, &e), EK_OK);
    cr_assert_eq(m.type, EK_COAP_ACK);
    cr_assert_eq(m.mid, 0xbeef);
    roundtrip(ack, sizeof ack);
    const uint8_t rst[] = { 0x70, 0x00, 0x00, 0x01 };
    roundtrip(rst, sizeof rst);
}

/* ---- every error path: code, field and frame-absolute offset ---- */

Test(coap, err_header_truncated)
{
    const uint8_t w[] = { 0x40, 0x01, 0x00 };
    ek_coap_msg m;
    ek_err e;
    for (size_t n = 0; n < 4; n++) {
        cr_assert_eq(dec(w, n, &m, &e), EK_ERR_TRUNCATED);
        cr_assert_str_eq(e.field, "coap.hdr");
        cr_assert_eq(e.offset, ORG);
        cr_assert_eq(e.need, 4);
        cr_assert_eq(e.have, n);
    }
}

Test(coap, err_version_not_1)
{
    const uint8_t v0[] = { 0x00, 0x01, 0, 0 }, v2[] = { 0x80, 0x01, 0, 0 }, v3[] = { 0xc0, 0x01, 0, 0 };
    expect_err(v0, 4, EK_ERR_UNSUPPORTED, "coap.version", ORG);
    expect_err(v2, 4, EK_ERR_UNSUPPORTED, "coap.version", ORG);
    expect_err(v3, 4, EK_ERR_UNSUPPORTED, "coap.version", ORG);
}

Test(coap, err_tkl_9_to_15)
{
    for (uint8_t t = 9; t <= 15; t++) {
        uint8_t w[24] = { (uint8_t)(0x40 | t), EK_COAP_POST, 0, 1 };
        expect_err(w, sizeof w, EK_ERR_MALFORMED, "coap.tkl", ORG);
    }
}

Test(coap, err_token_truncated)
{
    const uint8_t w[] = { 0x48, 0x02, 0, 1, 1, 2, 3 };
    expect_err(w, sizeof w, EK_ERR_TRUNCATED, "coap.token", ORG + 4);
}

/* RFC 7252 §4.1: an Empty message has TKL 0 and no bytes after the Message ID. */
Test(coap, err_empty_message_with_token_or_bytes)
{
    const uint8_t tok[] = { 0x61, 0x00, 0, 1, 0xaa }, extra[] = { 0x60, 0x00, 0, 1, 0xff, 0x01 };
    expect_err(tok, sizeof tok, EK_ERR_MALFORMED, "coap.tkl", ORG);
    expect_err(extra, sizeof extra, EK_ERR_MALFORMED, "coap.code", ORG + 4);
}

Test(coap, err_option_delta_nibble_15)
{
    const uint8_t w[] = { 0x41, 0x02, 0, 1, 0x7e, 0xb1, 'j', 0xf1, 0x00 };
    expect_err(w, sizeof w, EK_ERR_MALFORMED, "coap.opt.delta", ORG + 7);
}

Test(coap, err_option_length_nibble_15)
{
    const uint8_t w[] = { 0x40, 0x02, 0, 1, 0xb1, 'j', 0x1f, 0x00 };
    expect_err(w, sizeof w, EK_ERR_MALFORMED, "coap.opt.length", ORG + 6);
}

Test(coap, err_payload_marker_without_payload)
{
    const uint8_t w[] = { 0x40, 0x02, 0, 1, 0xb1, 'j', 0xff };
    expect_err(w, sizeof w, EK_ERR_MALFORMED, "coap.payload_marker", ORG + 6);
    const uint8_t bare[] = { 0x40, 0x45, 0, 1, 0xff };
    expect_err(bare, sizeof bare, EK_ERR_MALFORMED, "coap.payload_marker", ORG + 4);
}

Test(coap, err_extension_octets_truncated)
{
    const uint8_t d13[] = { 0x40, 0x02, 0, 1, 0xd0 }, d14[] = { 0x40, 0x02, 0, 1, 0xe0, 0x01 };
    expect_err(d13, sizeof d13, EK_ERR_TRUNCATED, "coap.opt.delta_ext", ORG + 5);
    expect_err(d14, sizeof d14, EK_ERR_TRUNCATED, "coap.opt.delta_ext", ORG + 5);
    const uint8_t l13[] = { 0x40, 0x02, 0, 1, 0x3d }, l14[] = { 0x40, 0x02, 0, 1, 0xde, 0x00, 0x00 };
    expect_err(l13, sizeof l13, EK_ERR_TRUNCATED, "coap.opt.length_ext", ORG + 5);
    expect_err(l14, sizeof l14, EK_ERR_TRUNCATED, "coap.opt.length_ext", ORG + 6);
}

Test(coap, err_option_value_truncated)
{
    const uint8_t w[] = { 0x40, 0x02, 0, 1, 0x33, 'a' };
    ek_coap_msg m;
    ek_err e;
    cr_assert_eq(dec(w, sizeof w, &m, &e), EK_ERR_TRUNCATED);
    cr_assert_str_eq(e.field, "coap.opt.value");
    cr_assert_eq(e.offset, ORG + 5);
    cr_assert_eq(e.need, 3);
    cr_assert_eq(e.have, 1);
}

Test(coap, err_option_number_over_65535)
{
    /* 65535 then delta 1 */
    const uint8_t w[] = { 0x40, 0x02, 0, 1, 0xe0, 0xfe, 0xf2, 0x10 };
    expect_err(w, sizeof w, EK_ERR_MALFORMED, "coap.opt.delta", ORG + 7);
    /* one delta of 269 + 65535 */
    const uint8_t one[] = { 0x40, 0x02, 0, 1, 0xe0, 0xff, 0xff };
    expect_err(one, sizeof one, EK_ERR_MALFORMED, "coap.opt.delta", ORG + 4);
}

Test(coap, err_too_many_options_names_the_first_one_over)
{
    uint8_t w[64] = { 0x40, 0x02, 0, 1 };
    size_t n = 4;
    for (unsigned i = 0; i < EK_COAP_MAX_OPTS; i++)
        w[n++] = i == 0 ? 0xb0 : 0x00; /* Uri-Path "" x 24 */
    ek_coap_msg m;
    ek_err e;
    cr_assert_eq(dec(w, n, &m, &e), EK_OK);
    cr_assert_eq(m.n_opts, EK_COAP_MAX_OPTS);
    w[n++] = 0x00;
    expect_err(w, n, EK_ERR_UNSUPPORTED, "coap.opt", ORG + n - 1);
}

/* Every prefix of a valid message: OK at an option boundary, else TRUNCATED, or the
 * payload marker error when cut right after 0xFF - never a crash, never a wrong field. */
Test(coap, prefix_sweep)
{
    uint8_t w[64];
    size_t n = hex("44025d1f00003974396c6f63616c686f7374620914ff612f1092f1776f1c1668b3825e", w);
    ek_coap_msg m;
    ek_err e;
    for (size_t k = 0; k < n; k++) {
        ek_status st = dec(w, k, &m, &e);
        if (k == 8 || k == 18 || k == 21 || k > 22) {
            cr_assert_eq(st, EK_OK, "prefix %zu", k);
        } else if (k == 22) {
            cr_assert_eq(st, EK_ERR_MALFORMED);
            cr_assert_str_eq(e.field, "coap.payload_marker");
        } else {
            cr_assert_eq(st, EK_ERR_TRUNCATED, "prefix %zu: %s", k, e.field);
            cr_assert(e.offset >= ORG && e.offset <= ORG + k);
        }
    }
}

/* ---- encoder ---- */

/* CoJP Join Request outer options added out of order come out sorted; repeated Uri-Path
 * segments keep their order (RFC 7252 §5.4.5). */
Test(coap, encode_sorts_stably)
{
    ek_coap_msg m;
    ek_coap_msg_init(&m);
    m.type = EK_COAP_CON;
    m.code = EK_COAP_POST;
    m.mid = 7;
    cr_assert(ek_coap_opt_add(&m, EK_COAP_OPT_PROXY_SCHEME, ek_view_make((const uint8_t *)"coap", 4)));
    cr_assert(ek_coap_opt_add(&m, EK_COAP_OPT_URI_PATH, ek_view_make((const uint8_t *)"a", 1)));
    cr_assert(ek_coap_opt_add(&m, EK_COAP_OPT_URI_HOST, ek_view_make((const uint8_t *)"h", 1)));
    cr_assert(ek_coap_opt_add(&m, EK_COAP_OPT_URI_PATH, ek_view_make((const uint8_t *)"b", 1)));
    uint8_t out[64];
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, out, sizeof out);
    cr_assert_eq(ek_coap_encode(&m, NULL, &b, &e), EK_OK);
    const uint8_t want[] = { 0x40, 0x02, 0x00, 0x07, 0x31, 'h', 0x81, 'a', 0x01, 'b', 0xd4, 15, 'c', 'o', 'a', 'p' };
    cr_assert_eq(b.len, sizeof want);
    cr_assert_arr_eq(out, want, sizeof want);
    cr_assert_eq(ek_coap_encoded_len(&m), sizeof want);
    ek_coap_msg d;
    cr_assert_eq(dec(out, b.len, &d, &e), EK_OK);
    const ek_coap_opt *p = ek_coap_opt_find(&d, EK_COAP_OPT_URI_PATH, NULL);
    cr_assert(p && p->value.p[0] == 'a');
    p = ek_coap_opt_find(&d, EK_COAP_OPT_URI_PATH, p);
    cr_assert(p && p->value.p[0] == 'b');
    cr_assert_null(ek_coap_opt_find(&d, EK_COAP_OPT_URI_PATH, p));
    cr_assert_null(ek_coap_opt_find(&d, EK_COAP_OPT_OSCORE, NULL));
}

Test(coap, encode_errors)
{
    ek_coap_msg m;
    uint8_t out[64], tok[9] = { 0 };
    ek_buf b;
    ek_err e;
    ek_coap_msg_init(&m);
    m.type = 4;
    m.code = EK_COAP_GET;
    ek_buf_init(&b, out, sizeof out);
    cr_assert_eq(ek_coap_encode(&m, NULL, &b, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "coap.type");
    m.type = 0;
    m.token = ek_view_make(tok, 9);
    cr_assert_eq(ek_coap_encode(&m, NULL, &b, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "coap.tkl");
    m.token = ek_view_make(tok, 1);
    m.code = EK_COAP_EMPTY;
    cr_assert_eq(ek_coap_encode(&m, NULL, &b, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "coap.code");
    m.code = EK_COAP_GET;
    ek_buf_init(&b, out, 6);
    cr_assert(ek_coap_opt_add(&m, EK_COAP_OPT_URI_PATH, ek_view_make((const uint8_t *)"abc", 3)));
    cr_assert_eq(ek_coap_encode(&m, NULL, &b, &e), EK_ERR_NOSPACE);
    for (unsigned i = 1; i < EK_COAP_MAX_OPTS; i++)
        cr_assert(ek_coap_opt_add(&m, 1, ek_view_make(NULL, 0)));
    cr_assert_not(ek_coap_opt_add(&m, 1, ek_view_make(NULL, 0)));
}

Test(coap, uint_option_values)
{
    uint8_t buf[4];
    cr_assert_eq(ek_coap_uint_put(0, buf), 0);
    cr_assert_eq(ek_coap_uint_put(60, buf), 1);
    cr_assert_eq(buf[0], 60);
    cr_assert_eq(ek_coap_uint_put(0x1234, buf), 2);
    cr_assert_eq(ek_coap_uint_put(0x12345678, buf), 4);
    ek_coap_opt o = { EK_COAP_OPT_MAX_AGE, ek_view_make(buf, 4), 0 };
    uint32_t v;
    cr_assert(ek_coap_opt_uint_get(&o, &v));
    cr_assert_eq(v, 0x12345678);
    uint8_t five[5] = { 0 };
    o.value = ek_view_make(five, 5);
    cr_assert_not(ek_coap_opt_uint_get(&o, &v));
}

/* Seeded random messages: encode -> decode -> encode is the identity. */
Test(coap, random_roundtrip)
{
    uint32_t s = 0xc0a9u;
    static uint8_t vals[EK_COAP_MAX_OPTS][300];
    for (int iter = 0; iter < 500; iter++) {
        ek_coap_msg m;
        ek_coap_msg_init(&m);
        m.type = ek_test_xorshift32(&s) & 3;
        m.code = (uint8_t)(1 + ek_test_xorshift32(&s) % 200);
        m.mid = (uint16_t)ek_test_xorshift32(&s);
        uint8_t tok[8];
        m.token = ek_view_make(tok, ek_test_xorshift32(&s) % 9);
        for (size_t i = 0; i < m.token.len; i++)
            tok[i] = (uint8_t)ek_test_xorshift32(&s);
        unsigned n = ek_test_xorshift32(&s) % (EK_COAP_MAX_OPTS + 1);
        for (unsigned i = 0; i < n; i++) {
            uint32_t r = ek_test_xorshift32(&s);
            uint16_t num = (uint16_t)(r % 4 == 0 ? r >> 16 : r % 4 == 1 ? (r >> 8) % 300 : (r >> 8) % 40);
            size_t len = (r >> 4) % 7 == 0 ? 200 + (r >> 20) % 100 : (r >> 4) % 20;
            for (size_t k = 0; k < len; k++)
                vals[i][k] = (uint8_t)ek_test_xorshift32(&s);
            cr_assert(ek_coap_opt_add(&m, num, ek_view_make(vals[i], len)));
        }
        uint8_t pl[16];
        m.payload = ek_view_make(pl, ek_test_xorshift32(&s) % 17);
        memset(pl, 0x5a, sizeof pl);
        static uint8_t a[8192], c[8192];
        ek_buf b;
        ek_err e;
        ek_buf_init(&b, a, sizeof a);
        cr_assert_eq(ek_coap_encode(&m, NULL, &b, &e), EK_OK);
        cr_assert_eq(b.len, ek_coap_encoded_len(&m));
        ek_coap_msg d;
        cr_assert_eq(ek_coap_decode(ek_view_make(a, b.len), 0, NULL, &d, &e), EK_OK, "iter %d: %s @%zu", iter,
                     e.field, e.offset);
        cr_assert_eq(d.n_opts, n);
        for (unsigned i = 1; i < d.n_opts; i++)
            cr_assert_leq(d.opts[i - 1].number, d.opts[i].number);
        ek_buf bc;
        ek_buf_init(&bc, c, sizeof c);
        cr_assert_eq(ek_coap_encode(&d, NULL, &bc, &e), EK_OK);
        cr_assert_eq(bc.len, b.len);
        cr_assert_arr_eq(c, a, b.len);
    }
}

/* ---- OSCORE option value, RFC 8613 §6.1 ---- */

static void opt_rt(const char *h, ek_oscore_opt *o)
{
    uint8_t w[64], out[64];
    size_t n = hex(h, w);
    ek_err e;
    cr_assert_eq(ek_oscore_opt_decode(ek_view_make(w, n), ORG, NULL, o, &e), EK_OK, "%s: %s", h, e.field);
    ek_buf b;
    ek_buf_init(&b, out, sizeof out);
    cr_assert_eq(ek_oscore_opt_encode(o, NULL, &b, &e), EK_OK);
    cr_assert_eq(b.len, n, "%s", h);
    cr_assert_eq(ek_oscore_opt_encoded_len(o), n);
    cr_assert_arr_eq(out, w, n);
}

/* The option values of RFC 8613 C.4, C.5, C.6, C.7, C.8. */
Test(oscore_opt, appendix_c_values)
{
    ek_oscore_opt o;
    opt_rt("0914", &o); /* C.4: n=1 k, PIV 14, kid empty */
    cr_assert_eq(o.piv.len, 1);
    cr_assert_eq(o.piv.p[0], 0x14);
    cr_assert(o.has_kid);
    cr_assert_eq(o.kid.len, 0);
    cr_assert_not(o.has_kid_context);
    opt_rt("091400", &o); /* C.5: kid 00 */
    cr_assert_eq(o.kid.len, 1);
    cr_assert_eq(o.kid.p[0], 0);
    opt_rt("19140837cbf3210017a2d3", &o); /* C.6: h k n=1, kid context 8 octets */
    cr_assert(o.has_kid_context);
    cr_assert_eq(o.kid_context.len, 8);
    cr_assert_eq(o.kid_context.p[0], 0x37);
    cr_assert(o.has_kid);
    cr_assert_eq(o.kid.len, 0);
    opt_rt("", &o); /* C.7: empty */
    cr_assert_not(o.has_kid);
    cr_assert_eq(o.piv.len, 0);
    opt_rt("0100", &o); /* C.8: PIV 00, no kid */
    cr_assert_eq(o.piv.len, 1);
    cr_assert_not(o.has_kid);
    opt_rt("0d0102030405aabb", &o); /* 5-octet PIV, kid aabb */
    cr_assert_eq(o.piv.len, 5);
    cr_assert_eq(o.kid.len, 2);
}

static void opt_err(const char *h, ek_status code, const char *field, size_t off)
{
    uint8_t w[64];
    size_t n = hex(h, w);
    ek_oscore_opt o;
    ek_err e;
    cr_assert_eq(ek_oscore_opt_decode(ek_view_make(w, n), ORG, NULL, &o, &e), code, "%s", h);
    cr_assert_str_eq(e.field, field, "%s", h);
    cr_assert_eq(e.offset, off, "%s: offset %zu", h, e.offset);
}

Test(oscore_opt, errors_name_field_and_offset)
{
    opt_err("00", EK_ERR_MALFORMED, "oscore.flags", ORG);
    opt_err("2914", EK_ERR_MALFORMED, "oscore.flags.reserved", ORG);
    opt_err("4914", EK_ERR_MALFORMED, "oscore.flags.reserved", ORG);
    opt_err("8914", EK_ERR_MALFORMED, "oscore.flags.reserved", ORG);
    opt_err("06010203040506", EK_ERR_MALFORMED, "oscore.flags.n", ORG);
    opt_err("0f01020304050607", EK_ERR_MALFORMED, "oscore.flags.n", ORG);
    opt_err("0301", EK_ERR_TRUNCATED, "oscore.piv", ORG + 1);
    opt_err("10", EK_ERR_TRUNCATED, "oscore.kid_context.len", ORG + 1);
    opt_err("1105", EK_ERR_TRUNCATED, "oscore.kid_context.len", ORG + 2);
    opt_err("1005aabb", EK_ERR_TRUNCATED, "oscore.kid_context", ORG + 2);
    opt_err("0114aa", EK_ERR_MALFORMED, "oscore.kid", ORG + 2);
}

Test(oscore_opt, encode_refuses_long_piv_and_kid_context)
{
    uint8_t six[6] = { 0 }, big[256] = { 0 }, out[300];
    ek_oscore_opt o;
    memset(&o, 0, sizeof o);
    o.piv = ek_view_make(six, 6);
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, out, sizeof out);
    cr_assert_eq(ek_oscore_opt_encode(&o, NULL, &b, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "oscore.piv");
    o.piv = ek_view_make(six, 1);
    o.has_kid_context = true;
    o.kid_context = ek_view_make(big, 256);
    cr_assert_eq(ek_oscore_opt_encode(&o, NULL, &b, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "oscore.kid_context");
}
