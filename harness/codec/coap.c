/* SPDX-License-Identifier: BSD-3-Clause */
/* CoAP message codec (RFC 7252 §3, §3.1, §3.2, §4.1) and the OSCORE option value
 * (RFC 8613 §6.1).  Every read goes through ek_rd; every write through ek_buf. */
#include <string.h>

#include "ek/coap.h"
#include "ek/rd.h"

void ek_coap_msg_init(ek_coap_msg *m)
{
    memset(m, 0, sizeof *m);
    m->version = EK_COAP_VERSION;
}

/* RFC 7252 §3.1: a 4-bit Option Delta / Option Length nibble.  0-12: the value; 13: one
 * extension octet, value - 13; 14: two octets (network order), value - 269; 15: reserved
 * (the caller has already told the 0xFF payload marker apart). */
static bool read_ext(ek_rd *rd, uint8_t nib, const char *ext_field, uint32_t *out)
{
    if (nib == 13) {
        uint8_t e;
        if (!ek_rd_u8(rd, ext_field, &e))
            return false;
        *out = 13u + e;
    } else if (nib == 14) {
        uint16_t e;
        if (!ek_rd_be16(rd, ext_field, &e))
            return false;
        *out = 269u + e;
    } else {
        *out = nib;
    }
    return true;
}

static ek_status opts_decode(ek_rd *rd, ek_coap_msg *out)
{
    uint32_t number = 0;
    while (ek_rd_ok(rd) && ek_rd_left(rd) > 0) {
        size_t at = ek_rd_offset(rd);
        uint8_t b;
        if (!ek_rd_u8(rd, "coap.opt", &b))
            break;
        if (b == EK_COAP_PAYLOAD_MARKER) {
            /* RFC 7252 §3: "The presence of a marker followed by a zero-length payload
             * MUST be processed as a message format error." */
            if (ek_rd_left(rd) == 0) {
                ek_rd_fail_at(rd, EK_ERR_MALFORMED, "coap.payload_marker", at);
                break;
            }
            out->payload_offset = ek_rd_offset(rd);
            out->payload = ek_rd_rest(rd);
            break;
        }
        uint8_t dn = b >> 4, ln = b & 0x0F;
        /* RFC 7252 §3.1: delta 15 without length 15 is a message format error; length
         * 15 is reserved and also a format error. */
        if (dn == 15) {
            ek_rd_fail_at(rd, EK_ERR_MALFORMED, "coap.opt.delta", at);
            break;
        }
        if (ln == 15) {
            ek_rd_fail_at(rd, EK_ERR_MALFORMED, "coap.opt.length", at);
            break;
        }
        uint32_t delta, len;
        if (!read_ext(rd, dn, "coap.opt.delta_ext", &delta) || !read_ext(rd, ln, "coap.opt.length_ext", &len))
            break;
        number += delta;
        if (number > EK_COAP_OPT_NUMBER_MAX) { /* RFC 7252 §12.2: 16-bit numbers */
            ek_rd_fail_at(rd, EK_ERR_MALFORMED, "coap.opt.delta", at);
            break;
        }
        ek_view v;
        if (!ek_rd_view(rd, len, "coap.opt.value", &v))
            break;
        if (out->n_opts >= EK_COAP_MAX_OPTS) {
            ek_rd_fail_at(rd, EK_ERR_UNSUPPORTED, "coap.opt", at);
            break;
        }
        ek_coap_opt *o = &out->opts[out->n_opts++];
        o->number = (uint16_t)number;
        o->value = v;
        o->offset = at;
    }
    return rd->err.code;
}

ek_status ek_coap_opts_decode(ek_view in, size_t origin, ek_coap_msg *out, ek_err *err)
{
    ek_rd rd;
    ek_rd_init(&rd, in, origin);
    out->n_opts = 0;
    out->payload = ek_view_make(NULL, 0);
    out->payload_offset = 0;
    opts_decode(&rd, out);
    return ek_rd_finish(&rd, err);
}

ek_status ek_coap_decode(ek_view in, size_t origin, const ek_profile *prof, ek_coap_msg *out, ek_err *err)
{
    (void)prof; /* CoAP has no enrollkit profile choice */
    ek_rd rd;
    ek_coap_msg_init(out);
    ek_rd_init(&rd, in, origin);
    /* RFC 7252 §3: the fixed 4-octet header; a short one is reported at its first
     * octet with need 4 (a child cursor over it, so the fetches below cannot fail). */
    ek_rd h;
    if (!ek_rd_sub(&rd, EK_COAP_HDR_LEN, "coap.hdr", &h))
        return ek_rd_finish(&rd, err);
    uint8_t b0;
    ek_rd_u8(&h, "coap.hdr", &b0);
    ek_rd_u8(&h, "coap.code", &out->code);
    ek_rd_be16(&h, "coap.mid", &out->mid);
    /* RFC 7252 §3: Ver(2) | T(2) | TKL(4) */
    out->version = b0 >> 6;
    out->type = (b0 >> 4) & 3;
    uint8_t tkl = b0 & 0x0F;
    if (out->version != EK_COAP_VERSION) {
        ek_rd_fail_at(&rd, EK_ERR_UNSUPPORTED, "coap.version", origin);
        return ek_rd_finish(&rd, err);
    }
    if (tkl > EK_COAP_TOKEN_MAX) { /* §3: 9-15 reserved, a message format error */
        ek_rd_fail_at(&rd, EK_ERR_MALFORMED, "coap.tkl", origin);
        return ek_rd_finish(&rd, err);
    }
    if (out->code == EK_COAP_EMPTY) {
        /* RFC 7252 §4.1: an Empty message has TKL 0 and nothing after the Message ID. */
        if (tkl != 0)
            ek_rd_fail_at(&rd, EK_ERR_MALFORMED, "coap.tkl", origin);
        else if (ek_rd_left(&rd) != 0)
            ek_rd_fail_at(&rd, EK_ERR_MALFORMED, "coap.code", ek_rd_offset(&rd));
        return ek_rd_finish(&rd, err);
    }
    if (!ek_rd_view(&rd, tkl, "coap.token", &out->token))
        return ek_rd_finish(&rd, err);
    opts_decode(&rd, out);
    return ek_rd_finish(&rd, err);
}

/* Stable order of option indices by number (insertion sort: n <= EK_COAP_MAX_OPTS, and
 * stability keeps repeated options such as Uri-Path segments in order, §5.4.5). */
static void sort_index(const ek_coap_opt *opts, unsigned n, unsigned char *idx)
{
    for (unsigned i = 0; i < n; i++) {
        unsigned j = i;
        while (j > 0 && opts[idx[j - 1]].number > opts[i].number) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = (unsigned char)i;
    }
}

/* RFC 7252 §3.1: the nibble and extension octets for a delta or length v. */
static uint8_t nibble(uint32_t v)
{
    return v < 13 ? (uint8_t)v : v < 269 ? 13 : 14;
}

static void write_ext(ek_buf *b, uint32_t v, const char *field)
{
    if (v >= 269)
        ek_wr_be16(b, field, (uint16_t)(v - 269));
    else if (v >= 13)
        ek_wr_u8(b, field, (uint8_t)(v - 13));
}

static size_t ext_len(uint32_t v)
{
    return v < 13 ? 0 : v < 269 ? 1 : 2;
}

ek_status ek_coap_opts_encode(const ek_coap_opt *opts, unsigned n, ek_view payload, ek_buf *out, ek_err *err)
{
    if (n > EK_COAP_MAX_OPTS)
        return ek_err_set(err, EK_ERR_UNSUPPORTED, "coap.opt", out->len);
    for (unsigned i = 0; i < n; i++)
        if (opts[i].value.len > EK_COAP_OPT_LEN_MAX)
            return ek_err_set(err, EK_ERR_MALFORMED, "coap.opt.length", out->len);
    unsigned char idx[EK_COAP_MAX_OPTS];
    sort_index(opts, n, idx);
    uint32_t prev = 0;
    for (unsigned i = 0; i < n; i++) {
        const ek_coap_opt *o = &opts[idx[i]];
        uint32_t delta = o->number - prev, len = (uint32_t)o->value.len;
        prev = o->number;
        ek_wr_u8(out, "coap.opt", (uint8_t)(nibble(delta) << 4 | nibble(len)));
        write_ext(out, delta, "coap.opt.delta_ext");
        write_ext(out, len, "coap.opt.length_ext");
        ek_wr_view(out, "coap.opt.value", o->value);
    }
    if (payload.len) {
        ek_wr_u8(out, "coap.payload_marker", EK_COAP_PAYLOAD_MARKER);
        ek_wr_view(out, "coap.payload", payload);
    }
    return ek_buf_finish(out, err);
}

size_t ek_coap_opts_encoded_len(const ek_coap_opt *opts, unsigned n, ek_view payload)
{
    size_t len = 0;
    /* option numbers in sorted order give the deltas; the sum over sorted deltas */
    unsigned char idx[EK_COAP_MAX_OPTS];
    if (n > EK_COAP_MAX_OPTS)
        n = EK_COAP_MAX_OPTS;
    sort_index(opts, n, idx);
    uint32_t prev = 0;
    for (unsigned i = 0; i < n; i++) {
        const ek_coap_opt *o = &opts[idx[i]];
        len += 1 + ext_len(o->number - prev) + ext_len((uint32_t)o->value.len) + o->value.len;
        prev = o->number;
    }
    if (payload.len)
        len += 1 + payload.len;
    return len;
}

ek_status ek_coap_encode(const ek_coap_msg *in, const ek_profile *prof, ek_buf *out, ek_err *err)
{
    (void)prof;
    if (in->type > EK_COAP_RST)
        return ek_err_set(err, EK_ERR_MALFORMED, "coap.type", out->len);
    if (in->token.len > EK_COAP_TOKEN_MAX)
        return ek_err_set(err, EK_ERR_MALFORMED, "coap.tkl", out->len);
    if (in->code == EK_COAP_EMPTY && (in->token.len || in->n_opts || in->payload.len))
        return ek_err_set(err, EK_ERR_MALFORMED, "coap.code", out->len + 1); /* §4.1 */
    /* RFC 7252 §3: Ver = 1 | T | TKL, Code, Message ID, Token */
    ek_wr_u8(out, "coap.hdr", (uint8_t)(EK_COAP_VERSION << 6 | in->type << 4 | in->token.len));
    ek_wr_u8(out, "coap.code", in->code);
    ek_wr_be16(out, "coap.mid", in->mid);
    ek_wr_view(out, "coap.token", in->token);
    if (!ek_buf_ok(out))
        return ek_buf_finish(out, err);
    return ek_coap_opts_encode(in->opts, in->n_opts, in->payload, out, err);
}

size_t ek_coap_encoded_len(const ek_coap_msg *in)
{
    return EK_COAP_HDR_LEN + in->token.len + ek_coap_opts_encoded_len(in->opts, in->n_opts, in->payload);
}

const ek_coap_opt *ek_coap_opt_find(const ek_coap_msg *m, uint16_t number, const ek_coap_opt *after)
{
    unsigned i = after ? (unsigned)(after - m->opts) + 1 : 0;
    for (; i < m->n_opts && i < EK_COAP_MAX_OPTS; i++)
        if (m->opts[i].number == number)
            return &m->opts[i];
    return NULL;
}

bool ek_coap_opt_add(ek_coap_msg *m, uint16_t number, ek_view value)
{
    if (m->n_opts >= EK_COAP_MAX_OPTS)
        return false;
    ek_coap_opt *o = &m->opts[m->n_opts++];
    o->number = number;
    o->value = value;
    o->offset = 0;
    return true;
}

bool ek_coap_opt_uint_get(const ek_coap_opt *o, uint32_t *out)
{
    *out = 0;
    if (o->value.len > 4)
        return false;
    for (size_t i = 0; i < o->value.len; i++)
        *out = *out << 8 | o->value.p[i];
    return true;
}

size_t ek_coap_uint_put(uint32_t v, uint8_t buf[4])
{
    size_t n = v > 0xFFFFFFu ? 4 : v > 0xFFFFu ? 3 : v > 0xFFu ? 2 : v ? 1 : 0; /* §3.2: 0 = empty */
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    return n;
}

/* ---- OSCORE option value (RFC 8613 §6.1) ---- */

ek_status ek_oscore_opt_decode(ek_view in, size_t origin, const ek_profile *prof, ek_oscore_opt *out, ek_err *err)
{
    (void)prof;
    ek_rd rd;
    memset(out, 0, sizeof *out);
    ek_rd_init(&rd, in, origin);
    if (in.len == 0) /* §6.1: every flag zero, value empty */
        return ek_rd_finish(&rd, err);
    uint8_t flags;
    ek_rd_u8(&rd, "oscore.flags", &flags);
    if (flags == 0) {
        /* §6.1: "If all flag bits are zero, the OSCORE option value SHALL be empty." */
        ek_rd_fail_at(&rd, EK_ERR_MALFORMED, "oscore.flags", origin);
        return ek_rd_finish(&rd, err);
    }
    if (flags & EK_OSCORE_FLAG_RESERVED) { /* §6.1 bits 0-2; §8.2 item 2: malformed */
        ek_rd_fail_at(&rd, EK_ERR_MALFORMED, "oscore.flags.reserved", origin);
        return ek_rd_finish(&rd, err);
    }
    uint8_t n = flags & EK_OSCORE_FLAG_N;
    if (n > EK_OSCORE_PIV_MAX) { /* §6.1: n = 6 and n = 7 are reserved */
        ek_rd_fail_at(&rd, EK_ERR_MALFORMED, "oscore.flags.n", origin);
        return ek_rd_finish(&rd, err);
    }
    if (!ek_rd_view(&rd, n, "oscore.piv", &out->piv))
        return ek_rd_finish(&rd, err);
    if (flags & EK_OSCORE_FLAG_H) {
        uint8_t s;
        out->has_kid_context = true;
        if (!ek_rd_u8(&rd, "oscore.kid_context.len", &s) || !ek_rd_view(&rd, s, "oscore.kid_context", &out->kid_context))
            return ek_rd_finish(&rd, err);
    }
    if (flags & EK_OSCORE_FLAG_K) {
        out->has_kid = true;
        out->kid = ek_rd_rest(&rd); /* §6.1: kid is the rest of the value */
    } else if (ek_rd_left(&rd) != 0) {
        ek_rd_fail_at(&rd, EK_ERR_MALFORMED, "oscore.kid", ek_rd_offset(&rd));
    }
    return ek_rd_finish(&rd, err);
}

static uint8_t oscore_flags(const ek_oscore_opt *in)
{
    return (uint8_t)((in->has_kid_context ? EK_OSCORE_FLAG_H : 0) | (in->has_kid ? EK_OSCORE_FLAG_K : 0) |
                     (uint8_t)in->piv.len);
}

ek_status ek_oscore_opt_encode(const ek_oscore_opt *in, const ek_profile *prof, ek_buf *out, ek_err *err)
{
    (void)prof;
    if (in->piv.len > EK_OSCORE_PIV_MAX)
        return ek_err_set(err, EK_ERR_MALFORMED, "oscore.piv", out->len);
    if (in->has_kid_context && in->kid_context.len > 255)
        return ek_err_set(err, EK_ERR_MALFORMED, "oscore.kid_context", out->len);
    uint8_t flags = oscore_flags(in);
    if (flags) { /* §6.1: all-zero flags = empty value */
        ek_wr_u8(out, "oscore.flags", flags);
        ek_wr_view(out, "oscore.piv", in->piv);
        if (in->has_kid_context) {
            ek_wr_u8(out, "oscore.kid_context.len", (uint8_t)in->kid_context.len);
            ek_wr_view(out, "oscore.kid_context", in->kid_context);
        }
        if (in->has_kid)
            ek_wr_view(out, "oscore.kid", in->kid);
    }
    return ek_buf_finish(out, err);
}

size_t ek_oscore_opt_encoded_len(const ek_oscore_opt *in)
{
    if (!oscore_flags(in))
        return 0;
    return 1 + in->piv.len + (in->has_kid_context ? 1 + in->kid_context.len : 0) + (in->has_kid ? in->kid.len : 0);
}
