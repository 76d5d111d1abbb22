/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target: the RFC 9031 §8.4 CoJP object decoders (ek/cojp.h).  Byte 0 bits
 * 0-1 pick Join_Request, Configuration or Unsupported_Configuration (3: all three).
 * A clean decode must encode, the encoding must decode to the same object, and an
 * input flagged deterministic must re-encode to exactly itself (RFC 8949 §4.2.1). */
#include "ek/cojp.h"
#include "fuzz_util.h"

static void check_unsup(const ek_cojp_unsupported *u, const uint8_t *b, size_t n)
{
    if (u->n > EK_COJP_MAX_UNSUP)
        FZ_FAIL("unsupported n %u", u->n);
    for (unsigned i = 0; i < u->n; i++) {
        fz_view_in(u->p[i].addinfo, b, n, "unsupported.addinfo");
        fz_off_in(u->p[i].offset, FZ_ORIGIN, n, "unsupported.code");
        if (u->p[i].code != EK_COJP_CODE_UNSUPPORTED && u->p[i].code != EK_COJP_CODE_MALFORMED)
            FZ_FAIL("code %lld outside Table 7", (long long)u->p[i].code);
        if (u->p[i].addinfo_null == (u->p[i].addinfo.len != 0))
            FZ_FAIL("addinfo null flag disagrees with its view");
    }
}

static void check_unknown(const ek_cojp_unknown *u, unsigned nu, const uint8_t *b, size_t n)
{
    if (nu > EK_COJP_MAX_UNKNOWN)
        FZ_FAIL("n_unknown %u", nu);
    for (unsigned i = 0; i < nu; i++) {
        fz_view_in(u[i].value, b, n, "unknown.value");
        fz_off_in(u[i].offset, FZ_ORIGIN, n, "unknown");
        if (!u[i].value.len)
            FZ_FAIL("unknown label %lld without a value", (long long)u[i].label);
    }
}

/* Re-encoding: encoded_len agrees, and the bytes equal the input when it was
 * deterministic and nothing was dropped. */
static void check_reencode(ek_status st, const ek_buf *w, size_t len, const uint8_t *b, size_t n, bool exact,
                           const char *what)
{
    if (st != EK_OK)
        FZ_FAIL("%s: decoded object does not encode: %s", what, ek_status_name(st));
    if (w->len != len)
        FZ_FAIL("%s: encoded_len %zu != %zu", what, len, w->len);
    if (exact && !fz_view_eq(ek_buf_view(w), ek_view_make(b, n)))
        FZ_FAIL("%s: deterministic input does not re-encode to itself", what);
}

static void fuzz_jr(const uint8_t *b, size_t n)
{
    static ek_cojp_join_request jr, jr2;
    static uint8_t out[1024];
    ek_err e;
    fz_err_poison(&e);
    if (ek_cojp_join_request_decode(ek_view_make(b, n), FZ_ORIGIN, &jr, &e) != EK_OK) {
        fz_err_ok(&e, FZ_ORIGIN, n, "join_request");
        if (e.code == EK_ERR_NOSPACE)
            FZ_FAIL("decoder returned NOSPACE");
        return;
    }
    fz_err_cleared(&e, "ek_cojp_join_request_decode");
    fz_view_in(jr.network_id, b, n, "network_id");
    if (jr.role > EK_COJP_ROLE_6LBR)
        FZ_FAIL("role %u", jr.role);
    check_unsup(&jr.unsupported, b, n);
    check_unknown(jr.unknown, jr.n_unknown, b, n);
    char t[64];
    size_t tl = ek_cojp_join_request_format(&jr, t, sizeof t);
    if (strlen(t) != (tl < sizeof t ? tl : sizeof t - 1))
        FZ_FAIL("format length %zu vs text %zu", tl, strlen(t));
    ek_buf w;
    ek_buf_init(&w, out, sizeof out);
    ek_status st = ek_cojp_join_request_encode(&jr, &w, &e);
    bool exact = !(jr.flags & EK_COJP_F_NOT_DETERMINISTIC) && jr.n_unknown == 0 && jr.unknown_overflow == 0;
    /* a non-deterministic parameter_addinfo is refused by the encoder (copied verbatim) */
    if (st == EK_ERR_MALFORMED && (jr.flags & EK_COJP_F_NOT_DETERMINISTIC) && jr.has_unsupported)
        return;
    check_reencode(st, &w, ek_cojp_join_request_encoded_len(&jr), b, n, exact, "join_request");
    if (ek_cojp_join_request_decode(ek_buf_view(&w), 0, &jr2, &e) != EK_OK)
        FZ_FAIL("join_request: encoding does not decode: %s at %s", ek_status_name(e.code), e.field);
    if (jr2.role != jr.role || jr2.has_role != jr.has_role || !fz_view_eq(jr2.network_id, jr.network_id) ||
        jr2.has_unsupported != jr.has_unsupported || jr2.unsupported.n != jr.unsupported.n || jr2.flags)
        FZ_FAIL("join_request: decode(encode(x)) != x");
}

static void fuzz_cfg(const uint8_t *b, size_t n)
{
    static ek_cojp_config c, c2;
    static uint8_t out[1024];
    ek_err e;
    fz_err_poison(&e);
    if (ek_cojp_config_decode(ek_view_make(b, n), FZ_ORIGIN, &c, &e) != EK_OK) {
        fz_err_ok(&e, FZ_ORIGIN, n, "config");
        ek_cojp_unsup_param p;
        if (ek_cojp_diagnose(&e, &p) && (p.code > 1 || !p.addinfo_null))
            FZ_FAIL("diagnose gave code %lld", (long long)p.code);
        return;
    }
    fz_err_cleared(&e, "ek_cojp_config_decode");
    if (c.n_keys > EK_COJP_MAX_KEYS || c.n_blacklist > EK_COJP_MAX_BLACKLIST)
        FZ_FAIL("counts over capacity %u %u", c.n_keys, c.n_blacklist);
    if (c.has_keys && c.n_keys == 0)
        FZ_FAIL("empty key set accepted");
    for (unsigned i = 0; i < c.n_keys; i++) {
        fz_view_in(c.keys[i].key_value, b, n, "key_value");
        fz_view_in(c.keys[i].key_addinfo, b, n, "key_addinfo");
        fz_off_in(c.keys[i].offset, FZ_ORIGIN, n, "ll_key");
        if (c.keys[i].key_value.len != EK_COJP_KEY_LEN || c.keys[i].key_id > EK_COJP_KEY_ID_MAX ||
            c.keys[i].key_usage > EK_COJP_KU_MAX)
            FZ_FAIL("key %u out of range", i);
    }
    for (unsigned i = 0; i < c.n_blacklist; i++)
        fz_view_in(c.blacklist[i], b, n, "blacklist");
    fz_view_in(c.short_id.identifier, b, n, "short_id");
    fz_view_in(c.jrc_address, b, n, "jrc_address");
    fz_view_in(c.ignored_short_id, b, n, "ignored_short_id");
    fz_view_in(c.ignored_jrc_address, b, n, "ignored_jrc_address");
    if (c.has_short_id && c.short_id.identifier.len != EK_COJP_SHORT_ID_LEN)
        FZ_FAIL("short id length %zu", c.short_id.identifier.len);
    if (c.has_jrc_address && c.jrc_address.len != EK_COJP_JRC_ADDR_LEN)
        FZ_FAIL("jrc address length %zu", c.jrc_address.len);
    check_unknown(c.unknown, c.n_unknown, b, n);
    char t[64];
    size_t tl = ek_cojp_config_format(&c, t, sizeof t);
    if (strlen(t) != (tl < sizeof t ? tl : sizeof t - 1))
        FZ_FAIL("format length %zu vs text %zu", tl, strlen(t));
    ek_buf w;
    ek_buf_init(&w, out, sizeof out);
    ek_status st = ek_cojp_config_encode(&c, &w, &e);
    bool exact = !(c.flags & (EK_COJP_F_NOT_DETERMINISTIC | EK_COJP_F_SHORT_ID_IGNORED |
                              EK_COJP_F_JRC_ADDR_DISCARDED)) &&
                 c.n_unknown == 0 && c.unknown_overflow == 0;
    check_reencode(st, &w, ek_cojp_config_encoded_len(&c), b, n, exact, "config");
    if (ek_cojp_config_decode(ek_buf_view(&w), 0, &c2, &e) != EK_OK)
        FZ_FAIL("config: encoding does not decode: %s at %s", ek_status_name(e.code), e.field);
    if (c2.n_keys != c.n_keys || c2.has_short_id != c.has_short_id || c2.n_blacklist != c.n_blacklist ||
        c2.join_rate != c.join_rate || (c2.flags & ~EK_COJP_F_KEY_MIC_REUSE) != 0)
        FZ_FAIL("config: decode(encode(x)) != x");
}

static void fuzz_unsup(const uint8_t *b, size_t n)
{
    static ek_cojp_unsupported u;
    static uint8_t out[1024];
    ek_err e;
    fz_err_poison(&e);
    if (ek_cojp_unsupported_decode(ek_view_make(b, n), FZ_ORIGIN, &u, &e) != EK_OK) {
        fz_err_ok(&e, FZ_ORIGIN, n, "unsupported");
        return;
    }
    fz_err_cleared(&e, "ek_cojp_unsupported_decode");
    check_unsup(&u, b, n);
    ek_buf w;
    ek_buf_init(&w, out, sizeof out);
    ek_status st = ek_cojp_unsupported_encode(&u, &w, &e);
    if (u.flags & EK_COJP_F_NOT_DETERMINISTIC) {
        /* a non-deterministic addinfo is refused by the encoder (copied verbatim) */
        if (st != EK_OK && st != EK_ERR_MALFORMED)
            FZ_FAIL("unsupported: status %s", ek_status_name(st));
        return;
    }
    check_reencode(st, &w, ek_cojp_unsupported_encoded_len(&u), b, n, true, "unsupported");
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 1)
        return 0;
    unsigned sel = d[0] & 3;
    const uint8_t *b = d + 1;
    size_t len = n - 1;
    if (sel == 0 || sel == 3)
        fuzz_jr(b, len);
    if (sel == 1 || sel == 3)
        fuzz_cfg(b, len);
    if (sel == 2 || sel == 3)
        fuzz_unsup(b, len);
    return 0;
}
