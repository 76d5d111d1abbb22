/* SPDX-License-Identifier: BSD-3-Clause */
/* OSCORE known answers and behaviour.  Sources: RFC 8613 Appendix C (C.1-C.3 key
 * derivation: info, keys, Common IV, nonces; C.4-C.8 protected requests and responses,
 * byte for byte, and back), RFC 5869 Appendix A.1/A.3 (HKDF-SHA256).  Then every error
 * path of unprotect, the replay window (§7.4) and its persisted state, the CoJP context
 * of RFC 9031 §7.3 end to end. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ek/oscore.h"

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

static void eq_hex(const uint8_t *got, size_t n, const char *want, const char *what)
{
    uint8_t w[256];
    size_t wn = hex(want, w);
    cr_assert_eq(n, wn, "%s: length %zu, want %zu", what, n, wn);
    cr_assert_arr_eq(got, w, n, "%s differs", what);
}

static const uint8_t SECRET[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
static const uint8_t SALT[8] = { 0x9e, 0x7c, 0xa9, 0x22, 0x23, 0x78, 0x63, 0x40 };
static const uint8_t IDCTX[8] = { 0x37, 0xcb, 0xf3, 0x21, 0x00, 0x17, 0xa2, 0xd3 };
static const uint8_t ID00[1] = { 0x00 }, ID01[1] = { 0x01 };

/* vector: 1 = C.1 (salt), 2 = C.2 (no salt, IDs 00/01), 3 = C.3 (salt, ID Context) */
static ek_oscore_ctx ctx_of(int vector, bool client)
{
    ek_oscore_params p;
    memset(&p, 0, sizeof p);
    p.master_secret = ek_view_make(SECRET, 16);
    ek_view none = ek_view_make(NULL, 0), one = ek_view_make(ID01, 1);
    ek_view cid = vector == 2 ? ek_view_make(ID00, 1) : none;
    if (vector != 2)
        p.master_salt = ek_view_make(SALT, 8);
    if (vector == 3) {
        p.has_id_context = true;
        p.id_context = ek_view_make(IDCTX, 8);
    }
    p.sender_id = client ? cid : one;
    p.recipient_id = client ? one : cid;
    ek_oscore_ctx c;
    ek_err e;
    cr_assert_eq(ek_oscore_derive(&p, &c, &e), EK_OK, "%s", e.field);
    return c;
}

/* ---- HKDF, RFC 5869 Appendix A ---- */

Test(oscore, hkdf_rfc5869_a1_and_a3)
{
    uint8_t ikm[22], salt[13], info[10], okm[42];
    memset(ikm, 0x0b, sizeof ikm);
    for (int i = 0; i < 13; i++)
        salt[i] = (uint8_t)i;
    for (int i = 0; i < 10; i++)
        info[i] = (uint8_t)(0xf0 + i);
    cr_assert(ek_oscore_hkdf_sha256(ek_view_make(salt, 13), ek_view_make(ikm, 22), ek_view_make(info, 10), okm, 42));
    eq_hex(okm, 42, "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865", "A.1 OKM");
    cr_assert(ek_oscore_hkdf_sha256(ek_view_make(NULL, 0), ek_view_make(ikm, 22), ek_view_make(NULL, 0), okm, 42));
    eq_hex(okm, 42, "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8", "A.3 OKM");
}

/* ---- key derivation, RFC 8613 C.1-C.3 ---- */

Test(oscore, info_c1_c3)
{
    uint8_t b[64];
    size_t n;
    ek_view ctx = ek_view_make(IDCTX, 8);
    n = ek_oscore_info(ek_view_make(NULL, 0), NULL, false, b, sizeof b);
    eq_hex(b, n, "8540f60a634b657910", "C.1.1 info sender key");
    n = ek_oscore_info(ek_view_make(ID01, 1), NULL, false, b, sizeof b);
    eq_hex(b, n, "854101f60a634b657910", "C.1.1 info recipient key");
    n = ek_oscore_info(ek_view_make(NULL, 0), NULL, true, b, sizeof b);
    eq_hex(b, n, "8540f60a6249560d", "C.1.1 info common IV");
    n = ek_oscore_info(ek_view_make(ID00, 1), NULL, false, b, sizeof b);
    eq_hex(b, n, "854100f60a634b657910", "C.2.1 info sender key");
    n = ek_oscore_info(ek_view_make(NULL, 0), &ctx, false, b, sizeof b);
    eq_hex(b, n, "85404837cbf3210017a2d30a634b657910", "C.3.1 info sender key");
    n = ek_oscore_info(ek_view_make(ID01, 1), &ctx, false, b, sizeof b);
    eq_hex(b, n, "8541014837cbf3210017a2d30a634b657910", "C.3.1 info recipient key");
    n = ek_oscore_info(ek_view_make(NULL, 0), &ctx, true, b, sizeof b);
    eq_hex(b, n, "85404837cbf3210017a2d30a6249560d", "C.3.1 info common IV");
    cr_assert_eq(ek_oscore_info(ek_view_make(NULL, 0), &ctx, true, b, 10), 0);
}

static void check_ctx(int vector, bool client, const char *skey, const char *rkey, const char *iv, const char *snonce,
                      const char *rnonce)
{
    ek_oscore_ctx c = ctx_of(vector, client);
    eq_hex(c.sender_key, 16, skey, "Sender Key");
    eq_hex(c.recipient_key, 16, rkey, "Recipient Key");
    eq_hex(c.common_iv, 13, iv, "Common IV");
    uint8_t z = 0, nonce[13];
    ek_oscore_nonce(c.common_iv, ek_view_make(c.sender_id, c.sender_id_len), ek_view_make(&z, 1), nonce);
    eq_hex(nonce, 13, snonce, "sender nonce");
    ek_oscore_nonce(c.common_iv, ek_view_make(c.recipient_id, c.recipient_id_len), ek_view_make(&z, 1), nonce);
    eq_hex(nonce, 13, rnonce, "recipient nonce");
    cr_assert_eq(c.ssn, 0);
    cr_assert_not(c.replay.any);
}

Test(oscore, c1_key_derivation_with_master_salt)
{
    check_ctx(1, true, "f0910ed7295e6ad4b54fc793154302ff", "ffb14e093c94c9cac9471648b4f98710",
              "4622d4dd6d944168eefb54987c", "4622d4dd6d944168eefb54987c", "4722d4dd6d944169eefb54987c");
    check_ctx(1, false, "ffb14e093c94c9cac9471648b4f98710", "f0910ed7295e6ad4b54fc793154302ff",
              "4622d4dd6d944168eefb54987c", "4722d4dd6d944169eefb54987c", "4622d4dd6d944168eefb54987c");
}

Test(oscore, c2_key_derivation_without_master_salt)
{
    check_ctx(2, true, "321b26943253c7ffb6003b0b64d74041", "e57b5635815177cd679ab4bcec9d7dda",
              "be35ae297d2dace910c52e99f9", "bf35ae297d2dace910c52e99f9", "bf35ae297d2dace810c52e99f9");
    check_ctx(2, false, "e57b5635815177cd679ab4bcec9d7dda", "321b26943253c7ffb6003b0b64d74041",
              "be35ae297d2dace910c52e99f9", "bf35ae297d2dace810c52e99f9", "bf35ae297d2dace910c52e99f9");
}

Test(oscore, c3_key_derivation_with_id_context)
{
    check_ctx(3, true, "af2a1300a5e95788b356336eeecd2b92", "e39a0c7c77b43f03b4b39ab9a268699f",
              "2ca58fb85ff1b81c0b7181b85e", "2ca58fb85ff1b81c0b7181b85e", "2da58fb85ff1b81d0b7181b85e");
    check_ctx(3, false, "e39a0c7c77b43f03b4b39ab9a268699f", "af2a1300a5e95788b356336eeecd2b92",
              "2ca58fb85ff1b81c0b7181b85e", "2da58fb85ff1b81d0b7181b85e", "2ca58fb85ff1b81c0b7181b85e");
}

Test(oscore, derive_errors)
{
    ek_oscore_params p;
    memset(&p, 0, sizeof p);
    ek_oscore_ctx c;
    ek_err e;
    cr_assert_eq(ek_oscore_derive(&p, &c, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "oscore.master_secret");
    uint8_t eight[8] = { 0 }, big[EK_OSCORE_ID_CONTEXT_MAX + 1] = { 0 };
    p.master_secret = ek_view_make(SECRET, 16);
    p.sender_id = ek_view_make(eight, 8);
    cr_assert_eq(ek_oscore_derive(&p, &c, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "oscore.sender_id");
    p.sender_id = ek_view_make(eight, 7);
    p.recipient_id = ek_view_make(eight, 8);
    cr_assert_eq(ek_oscore_derive(&p, &c, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "oscore.recipient_id");
    p.recipient_id = ek_view_make(eight, 7);
    p.has_id_context = true;
    p.id_context = ek_view_make(big, sizeof big);
    cr_assert_eq(ek_oscore_derive(&p, &c, &e), EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "oscore.id_context");
    p.id_context = ek_view_make(big, EK_OSCORE_ID_CONTEXT_MAX);
    cr_assert_eq(ek_oscore_derive(&p, &c, &e), EK_OK);
}

Test(oscore, aad_c4_c5)
{
    uint8_t b[96], piv = 0x14;
    size_t n = ek_oscore_aad(ek_view_make(NULL, 0), ek_view_make(&piv, 1), b, sizeof b);
    eq_hex(b, n, "8368456e63727970743040488501810a40411440", "C.4 AAD");
    n = ek_oscore_aad(ek_view_make(ID00, 1), ek_view_make(&piv, 1), b, sizeof b);
    eq_hex(b, n, "8368456e63727970743040498501810a4100411440", "C.5 AAD");
}

Test(oscore, piv_minimal_encoding)
{
    uint8_t p[5];
    cr_assert_eq(ek_oscore_piv_put(0, p), 1);
    cr_assert_eq(p[0], 0);
    cr_assert_eq(ek_oscore_piv_put(20, p), 1);
    cr_assert_eq(p[0], 0x14);
    cr_assert_eq(ek_oscore_piv_put(0x100, p), 2);
    cr_assert_eq(ek_oscore_piv_put(EK_OSCORE_SSN_MAX, p), 5);
    eq_hex(p, 5, "ffffffffff", "PIV 2^40-1");
}

/* ---- C.4-C.8: whole messages ---- */

typedef struct vec {
    int ctx;
    const char *plain, *prot, *nonce;
} vec;

static const vec C4 = { 1, "44015d1f00003974396c6f63616c686f737483747631",
                        "44025d1f00003974396c6f63616c686f7374620914ff612f1092f1776f1c1668b3825e",
                        "4622d4dd6d944168eefb549868" };
static const vec C5 = { 2, "440171c30000b932396c6f63616c686f737483747631",
                        "440271c30000b932396c6f63616c686f737463091400ff4ed339a5a379b0b8bc731fffb0",
                        "bf35ae297d2dace910c52e99ed" };
static const vec C6 = { 3, "44012f8eef9bbf7a396c6f63616c686f737483747631",
                        "44022f8eef9bbf7a396c6f63616c686f73746b19140837cbf3210017a2d3ff72cd7273fd331ac45cffbe55c3",
                        "2ca58fb85ff1b81c0b7181b84a" };
#define C7_PLAIN "64455d1f00003974ff48656c6c6f20576f726c6421"
#define C7_PROT "64445d1f0000397490ffdbaad1e9a7e7b2a813d3c31524378303cdafae119106"
#define C8_PROT "64445d1f00003974920100ff4d4c13669384b67354b2b6175ff4b8658c666a6cf88e"

/* Client protects (SSN 20) -> the RFC's bytes; server unprotects -> the RFC's request;
 * the same request again is a replay. */
static ek_oscore_req request_vector(const vec *v)
{
    ek_oscore_ctx cl = ctx_of(v->ctx, true), sv = ctx_of(v->ctx, false);
    cl.ssn = 20;
    cl.send_kid_context = v->ctx == 3; /* C.6: "requires it to be sent in the request" */
    uint8_t plain[128], out[256], back[256];
    size_t pn = hex(v->plain, plain), on, bn;
    ek_oscore_req rq, rs;
    ek_err e;
    cr_assert_eq(ek_oscore_protect_request(&cl, ek_view_make(plain, pn), out, sizeof out, &on, &rq, &e), EK_OK,
                 "%s", e.field);
    eq_hex(out, on, v->prot, "protected request");
    cr_assert_eq(cl.ssn, 21);
    eq_hex(rq.nonce, 13, v->nonce, "request nonce");
    cr_assert_eq(ek_oscore_unprotect_request(&sv, ek_view_make(out, on), 0, back, sizeof back, &bn, &rs, &e), EK_OK,
                 "%s @%zu", e.field, e.offset);
    eq_hex(back, bn, v->plain, "unprotected request");
    cr_assert_arr_eq(rs.nonce, rq.nonce, 13);
    cr_assert_eq(rs.kid_len, rq.kid_len);
    cr_assert_eq(rs.piv_len, 1);
    cr_assert_eq(rs.piv[0], 0x14);
    cr_assert(sv.replay.any && sv.replay.top == 20);
    cr_assert_eq(ek_oscore_unprotect_request(&sv, ek_view_make(out, on), 0, back, sizeof back, &bn, NULL, &e),
                 EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "oscore.replay");
    return rq;
}

Test(oscore, c4_request)
{
    request_vector(&C4);
}

Test(oscore, c5_request)
{
    request_vector(&C5);
}

Test(oscore, c6_request_with_kid_context)
{
    request_vector(&C6);
}

static void response_vector(bool with_piv, const char *prot)
{
    ek_oscore_req rq = request_vector(&C4);
    ek_oscore_ctx sv = ctx_of(1, false), cl = ctx_of(1, true);
    uint8_t plain[64], out[128], back[128];
    size_t pn = hex(C7_PLAIN, plain), on, bn;
    ek_err e;
    cr_assert_eq(ek_oscore_protect_response(&sv, &rq, with_piv, ek_view_make(plain, pn), out, sizeof out, &on, &e),
                 EK_OK, "%s", e.field);
    eq_hex(out, on, prot, "protected response");
    cr_assert_eq(sv.ssn, with_piv ? 1u : 0u);
    cr_assert_eq(ek_oscore_unprotect_response(&cl, &rq, ek_view_make(out, on), 0, back, sizeof back, &bn, &e), EK_OK,
                 "%s @%zu", e.field, e.offset);
    eq_hex(back, bn, C7_PLAIN, "unprotected response");
    /* a response is bound to its request: another request's PIV fails the tag */
    ek_oscore_req other = rq;
    other.piv[0] ^= 1;
    if (!with_piv)
        other.nonce[12] ^= 1;
    cr_assert_eq(ek_oscore_unprotect_response(&cl, &other, ek_view_make(out, on), 0, back, sizeof back, &bn, &e),
                 EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "oscore.tag");
    cr_assert_eq(e.offset, on - 8);
}

Test(oscore, c7_response_reusing_request_nonce)
{
    response_vector(false, C7_PROT);
}

Test(oscore, c8_response_with_partial_iv)
{
    response_vector(true, C8_PROT);
}

/* ---- unprotect error paths ---- */

static void unprot_err(ek_oscore_ctx *sv, const uint8_t *m, size_t n, ek_status code, const char *field, size_t off)
{
    uint8_t back[256];
    size_t bn;
    ek_err e;
    cr_assert_eq(ek_oscore_unprotect_request(sv, ek_view_make(m, n), 100, back, sizeof back, &bn, NULL, &e), code,
                 "want %s got %s", field, e.field ? e.field : "-");
    cr_assert_str_eq(e.field, field);
    cr_assert_eq(e.offset, off, "%s: offset %zu, want %zu", field, e.offset, off);
}

Test(oscore, unprotect_request_errors)
{
    uint8_t m[128];
    size_t n = hex(C4.prot, m);
    ek_oscore_ctx sv = ctx_of(1, false);
    /* every bit of the ciphertext and tag: the tag fails, reported at the tag */
    for (size_t i = 22; i < n; i++) {
        m[i] ^= 0x10;
        unprot_err(&sv, m, n, EK_ERR_MALFORMED, "oscore.tag", 100 + n - 8);
        m[i] ^= 0x10;
    }
    cr_assert_not(sv.replay.any, "a failed tag must not move the window");
    /* another Partial IV: another nonce, the tag fails */
    m[20] = 0x15;
    unprot_err(&sv, m, n, EK_ERR_MALFORMED, "oscore.tag", 100 + n - 8);
    m[20] = 0x14;
    /* the flag byte's reserved bit */
    m[19] = 0x89;
    unprot_err(&sv, m, n, EK_ERR_MALFORMED, "oscore.flags.reserved", 100 + 19);
    /* no kid (k = 0): 0x01 0x14 */
    m[19] = 0x01;
    unprot_err(&sv, m, n, EK_ERR_MALFORMED, "oscore.kid", 100 + 19);
    m[19] = 0x09;
    /* a response code outside */
    m[1] = EK_COAP_CHANGED;
    unprot_err(&sv, m, n, EK_ERR_MALFORMED, "coap.code", 101);
    m[1] = EK_COAP_POST;
    /* a context for someone else: kid 01 is not the client's Sender ID */
    ek_oscore_ctx wrong = ctx_of(1, true);
    unprot_err(&wrong, m, n, EK_ERR_UNSUPPORTED, "oscore.kid", 100 + 19);
    /* kid context sent to a context without ID Context */
    uint8_t c6[128];
    size_t n6 = hex(C6.prot, c6);
    unprot_err(&sv, c6, n6, EK_ERR_UNSUPPORTED, "oscore.kid_context", 100 + 19);
    /* ciphertext shorter than code + tag */
    unprot_err(&sv, m, 30, EK_ERR_MALFORMED, "oscore.ciphertext", 100 + 22);
    /* no OSCORE option at all */
    uint8_t plain[64];
    size_t pn = hex(C4.plain, plain);
    unprot_err(&sv, plain, pn, EK_ERR_MALFORMED, "oscore.option", 100);
    /* a truncated message: the CoAP decoder's error, frame-absolute */
    unprot_err(&sv, m, 19, EK_ERR_TRUNCATED, "coap.opt.value", 100 + 19);
    /* and the genuine message still opens afterwards */
    uint8_t back[128];
    size_t bn;
    ek_err e;
    cr_assert_eq(ek_oscore_unprotect_request(&sv, ek_view_make(m, n), 0, back, sizeof back, &bn, NULL, &e), EK_OK);
}

Test(oscore, unprotect_request_without_piv)
{
    /* a request whose OSCORE option has only a kid (0x08): Partial IV absent */
    ek_oscore_ctx sv = ctx_of(1, false);
    const uint8_t m[] = { 0x40, 0x02, 0x00, 0x01, 0x91, 0x08, 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
    unprot_err(&sv, m, sizeof m, EK_ERR_MALFORMED, "oscore.piv", 100 + 5);
}

Test(oscore, protect_errors)
{
    ek_oscore_ctx cl = ctx_of(1, true);
    uint8_t m[128], out[256];
    size_t n = hex(C4.prot, m), on;
    ek_err e;
    cr_assert_eq(ek_oscore_protect_request(&cl, ek_view_make(m, n), out, sizeof out, &on, NULL, &e),
                 EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "oscore.option");
    n = hex(C7_PLAIN, m);
    cr_assert_eq(ek_oscore_protect_request(&cl, ek_view_make(m, n), out, sizeof out, &on, NULL, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "coap.code");
    const uint8_t obs[] = { 0x40, 0x01, 0x00, 0x01, 0x60 }, puri[] = { 0x40, 0x01, 0x00, 0x01, 0xd1, 0x16, 'x' };
    cr_assert_eq(ek_oscore_protect_request(&cl, ek_view_make(obs, sizeof obs), out, sizeof out, &on, NULL, &e),
                 EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "oscore.observe");
    cr_assert_eq(ek_oscore_protect_request(&cl, ek_view_make(puri, sizeof puri), out, sizeof out, &on, NULL, &e),
                 EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "oscore.proxy_uri");
    n = hex(C4.plain, m);
    cr_assert_eq(ek_oscore_protect_request(&cl, ek_view_make(m, n), out, 20, &on, NULL, &e), EK_ERR_NOSPACE);
    cr_assert_eq(cl.ssn, 0, "a failed protect must not use a sequence number");
    /* the last sequence number 2^40 - 1, then the context is spent (§7.2.1) */
    cl.ssn = EK_OSCORE_SSN_MAX;
    cr_assert_eq(ek_oscore_protect_request(&cl, ek_view_make(m, n), out, sizeof out, &on, NULL, &e), EK_OK);
    cr_assert_eq(out[19], 0x0d); /* k | n = 5 */
    cr_assert_eq(ek_oscore_protect_request(&cl, ek_view_make(m, n), out, sizeof out, &on, NULL, &e),
                 EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "oscore.ssn");
}

/* ---- replay window (§7.4) ---- */

Test(oscore, replay_window_duplicates_old_and_jumps)
{
    ek_oscore_replay w;
    ek_oscore_replay_init(&w);
    cr_assert(ek_oscore_replay_check(&w, 0));
    ek_oscore_replay_accept(&w, 5);
    cr_assert_not(ek_oscore_replay_check(&w, 5), "duplicate");
    cr_assert(ek_oscore_replay_check(&w, 4), "older, in window, unseen");
    ek_oscore_replay_accept(&w, 4);
    cr_assert_not(ek_oscore_replay_check(&w, 4));
    ek_oscore_replay_accept(&w, 100);
    cr_assert_not(ek_oscore_replay_check(&w, 100));
    cr_assert_not(ek_oscore_replay_check(&w, 5), "left the window");
    cr_assert_not(ek_oscore_replay_check(&w, 36), "100 - 64: too old");
    cr_assert(ek_oscore_replay_check(&w, 37), "100 - 63: oldest in the window");
    ek_oscore_replay_accept(&w, 37);
    cr_assert_not(ek_oscore_replay_check(&w, 37));
    ek_oscore_replay_accept(&w, 101); /* slides by one: 37 is now too old */
    cr_assert_not(ek_oscore_replay_check(&w, 37));
    cr_assert_not(ek_oscore_replay_check(&w, 100));
    cr_assert(ek_oscore_replay_check(&w, 99));
    /* a jump of more than the window clears it */
    ek_oscore_replay_accept(&w, 1000000);
    cr_assert_eq(w.seen, 1);
    cr_assert(ek_oscore_replay_check(&w, 999999));
    cr_assert_not(ek_oscore_replay_check(&w, 101));
    /* 32 out-of-order arrivals inside the window, each accepted exactly once */
    ek_oscore_replay_init(&w);
    for (uint64_t i = 0; i < 32; i++) {
        uint64_t p = (i * 7) % 32;
        cr_assert(ek_oscore_replay_check(&w, p), "%llu", (unsigned long long)p);
        ek_oscore_replay_accept(&w, p);
        cr_assert_not(ek_oscore_replay_check(&w, p));
    }
    cr_assert_not(ek_oscore_replay_check(&w, EK_OSCORE_SSN_MAX + 1));
}

Test(oscore, persisted_state_restores_window_and_ssn)
{
    ek_oscore_ctx sv = ctx_of(1, false);
    uint8_t m[128], back[128], st[EK_OSCORE_STATE_LEN];
    size_t n = hex(C4.prot, m), bn;
    ek_err e;
    cr_assert_eq(ek_oscore_unprotect_request(&sv, ek_view_make(m, n), 0, back, sizeof back, &bn, NULL, &e), EK_OK);
    sv.ssn = 0x0102030405ull;
    ek_oscore_state_save(&sv, st);
    eq_hex(st, sizeof st, "01010203040501000000001400000000000000" "01", "saved state");
    /* "reboot": a fresh derivation replays the request; the restored state refuses it */
    ek_oscore_ctx rb = ctx_of(1, false);
    cr_assert(ek_oscore_state_load(&rb, st, sizeof st));
    cr_assert_eq(rb.ssn, 0x0102030405ull);
    cr_assert_eq(ek_oscore_unprotect_request(&rb, ek_view_make(m, n), 0, back, sizeof back, &bn, NULL, &e),
                 EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "oscore.replay");
    ek_oscore_ctx fresh = ctx_of(1, false);
    cr_assert_eq(ek_oscore_unprotect_request(&fresh, ek_view_make(m, n), 0, back, sizeof back, &bn, NULL, &e), EK_OK,
                 "without the persisted window the replay gets through: what RFC 9031 §7.3.1 forbids");
    /* damaged records are refused and leave the context alone */
    uint8_t bad[EK_OSCORE_STATE_LEN];
    memcpy(bad, st, sizeof bad);
    bad[0] = 2;
    cr_assert_not(ek_oscore_state_load(&fresh, bad, sizeof bad));
    memcpy(bad, st, sizeof bad);
    bad[6] = 4;
    cr_assert_not(ek_oscore_state_load(&fresh, bad, sizeof bad));
    memcpy(bad, st, sizeof bad);
    bad[19] = 0; /* top not marked as seen */
    cr_assert_not(ek_oscore_state_load(&fresh, bad, sizeof bad));
    cr_assert_not(ek_oscore_state_load(&fresh, st, sizeof st - 1));
    cr_assert(fresh.replay.top == 20 && fresh.ssn == 0);
    /* a spent context stays spent */
    fresh.ssn = EK_OSCORE_SSN_MAX + 1;
    ek_oscore_state_save(&fresh, st);
    ek_oscore_ctx again = ctx_of(1, false);
    cr_assert(ek_oscore_state_load(&again, st, sizeof st));
    cr_assert_eq(again.ssn, EK_OSCORE_SSN_MAX + 1);
}

/* ---- CoJP (RFC 9031 §7.3, §8.1) ---- */

static const uint8_t PSK[16] = { 0xde, 0xad, 0xbe, 0xef, 0xca, 0xfe, 0xde, 0xad,
                                 0xbe, 0xef, 0xca, 0xfe, 0xde, 0xad, 0xbe, 0xef };
static const uint8_t PLEDGE_ID[8] = { 0x00, 0x12, 0x4b, 0x00, 0x14, 0xb5, 0xd9, 0x01 };

Test(oscore, cojp_join_exchange_both_response_forms)
{
    ek_oscore_ctx pl, jrc;
    ek_err e;
    cr_assert_eq(ek_oscore_cojp_context(EK_OSCORE_COJP_PLEDGE, ek_view_make(PSK, 16), ek_view_make(PLEDGE_ID, 8), &pl,
                                        &e), EK_OK);
    cr_assert_eq(ek_oscore_cojp_context(EK_OSCORE_COJP_JRC, ek_view_make(PSK, 16), ek_view_make(PLEDGE_ID, 8), &jrc,
                                        &e), EK_OK);
    cr_assert_eq(pl.sender_id_len, 0);
    cr_assert_eq(pl.recipient_id_len, 3);
    cr_assert_arr_eq(pl.recipient_id, "JRC", 3);
    cr_assert_arr_eq(pl.sender_key, jrc.recipient_key, 16);
    cr_assert_arr_eq(pl.recipient_key, jrc.sender_key, 16);
    cr_assert_arr_eq(pl.common_iv, jrc.common_iv, 13);
    cr_assert(pl.send_kid_context);
    cr_assert_not(jrc.send_kid_context);

    /* Join Request, RFC 9031 §8.1.1: CON POST, Uri-Host "6tisch.arpa", Uri-Path "j",
     * Proxy-Scheme "coap", a payload */
    ek_coap_msg m;
    ek_coap_msg_init(&m);
    m.type = EK_COAP_CON;
    m.code = EK_COAP_POST;
    m.mid = 0x1234;
    const uint8_t tok[2] = { 0xab, 0xcd }, payload[] = { 0xa1, 0x05, 0x41, 0x01 };
    m.token = ek_view_make(tok, 2);
    cr_assert(ek_coap_opt_add(&m, EK_COAP_OPT_URI_HOST, ek_view_make((const uint8_t *)"6tisch.arpa", 11)));
    cr_assert(ek_coap_opt_add(&m, EK_COAP_OPT_URI_PATH, ek_view_make((const uint8_t *)"j", 1)));
    cr_assert(ek_coap_opt_add(&m, EK_COAP_OPT_PROXY_SCHEME, ek_view_make((const uint8_t *)"coap", 4)));
    m.payload = ek_view_make(payload, sizeof payload);
    uint8_t plain[128], prot[256], back[256];
    ek_buf b;
    ek_buf_init(&b, plain, sizeof plain);
    cr_assert_eq(ek_coap_encode(&m, NULL, &b, &e), EK_OK);
    size_t pn = b.len, on, bn;
    ek_oscore_req rq, rs;
    cr_assert_eq(ek_oscore_protect_request(&pl, ek_view_make(plain, pn), prot, sizeof prot, &on, &rq, &e), EK_OK);

    /* outer: POST, Uri-Host, OSCORE 19 00 08 <pledge id> (h k n=1, PIV 0, kid ""),
     * Proxy-Scheme; Uri-Path only inside */
    ek_coap_msg o;
    cr_assert_eq(ek_coap_decode(ek_view_make(prot, on), 0, NULL, &o, &e), EK_OK);
    cr_assert_eq(o.code, EK_COAP_POST);
    cr_assert_eq(o.n_opts, 3);
    cr_assert_eq(o.opts[0].number, EK_COAP_OPT_URI_HOST);
    cr_assert_eq(o.opts[1].number, EK_COAP_OPT_OSCORE);
    cr_assert_eq(o.opts[2].number, EK_COAP_OPT_PROXY_SCHEME);
    eq_hex(o.opts[1].value.p, o.opts[1].value.len, "19000800124b0014b5d901", "OSCORE option");
    cr_assert_null(ek_coap_opt_find(&o, EK_COAP_OPT_URI_PATH, NULL));
    cr_assert_eq(o.payload.len, 1 + 2 + 1 + sizeof payload + 8);

    cr_assert_eq(ek_oscore_unprotect_request(&jrc, ek_view_make(prot, on), 0, back, sizeof back, &bn, &rs, &e), EK_OK,
                 "%s @%zu", e.field, e.offset);
    cr_assert_eq(bn, pn);
    cr_assert_arr_eq(back, plain, pn);

    /* Join Response, §8.1.2: 2.04 Changed with a Configuration object */
    const uint8_t conf[] = { 0xa1, 0x02, 0x81, 0x41, 0x00 };
    ek_coap_msg r;
    ek_coap_msg_init(&r);
    r.type = EK_COAP_ACK;
    r.code = EK_COAP_CHANGED;
    r.mid = 0x1234;
    r.token = m.token;
    cr_assert(ek_coap_opt_add(&r, EK_COAP_OPT_CONTENT_FORMAT, ek_view_make((const uint8_t *)"\x3c", 1)));
    r.payload = ek_view_make(conf, sizeof conf);
    uint8_t rplain[64];
    ek_buf_init(&b, rplain, sizeof rplain);
    cr_assert_eq(ek_coap_encode(&r, NULL, &b, &e), EK_OK);
    size_t rn = b.len;
    for (int with_piv = 0; with_piv < 2; with_piv++) {
        cr_assert_eq(ek_oscore_protect_response(&jrc, &rs, with_piv, ek_view_make(rplain, rn), prot, sizeof prot,
                                                &on, &e), EK_OK);
        cr_assert_eq(ek_coap_decode(ek_view_make(prot, on), 0, NULL, &o, &e), EK_OK);
        cr_assert_eq(o.code, EK_COAP_CHANGED);
        cr_assert_eq(o.n_opts, 1, "Content-Format is Class E");
        cr_assert_eq(o.opts[0].value.len, with_piv ? 2u : 0u);
        cr_assert_eq(ek_oscore_unprotect_response(&pl, &rq, ek_view_make(prot, on), 0, back, sizeof back, &bn, &e),
                     EK_OK, "%s", e.field);
        cr_assert_eq(bn, rn);
        cr_assert_arr_eq(back, rplain, rn);
    }
    cr_assert_eq(jrc.ssn, 1);
    cr_assert_eq(pl.ssn, 1);
    /* a pledge with another identifier is another context */
    ek_oscore_ctx other;
    uint8_t id2[8];
    memcpy(id2, PLEDGE_ID, 8);
    id2[7] ^= 1;
    cr_assert_eq(ek_oscore_cojp_context(EK_OSCORE_COJP_JRC, ek_view_make(PSK, 16), ek_view_make(id2, 8), &other, &e),
                 EK_OK);
    cr_assert_eq(ek_oscore_protect_request(&pl, ek_view_make(plain, pn), prot, sizeof prot, &on, &rq, &e), EK_OK);
    cr_assert_eq(ek_oscore_unprotect_request(&other, ek_view_make(prot, on), 0, back, sizeof back, &bn, NULL, &e),
                 EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "oscore.kid_context");
}
