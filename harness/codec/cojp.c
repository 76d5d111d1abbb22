/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 9031 §8.4 CoJP objects over CBOR (RFC 8949).  Items are read one header at a
 * time with libcbor's cbor_stream_decode (no allocation; byte strings arrive as
 * pointers into the input, kept as views) behind an ek_rd cursor that owns the
 * position and the first error.  Encoding uses libcbor's cbor_encode_* heads, which
 * are always the shortest form (RFC 8949 §4.2.1). */
#include <cbor.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ek/cojp.h"
#include "ek/rd.h"

/* Dotted field names: also the JSON keys / display-filter names. */
#define F_JR "cojp.join_request"
#define F_JR_LABEL "cojp.join_request.label"
#define F_JR_UNKNOWN "cojp.join_request.unknown"
#define F_JR_ROLE "cojp.join_request.role"
#define F_JR_NETID "cojp.join_request.network_id"
#define F_UNSUP "cojp.unsupported"
#define F_UNSUP_CODE "cojp.unsupported.code"
#define F_UNSUP_LABEL "cojp.unsupported.label"
#define F_UNSUP_ADDINFO "cojp.unsupported.addinfo"
#define F_CFG "cojp.config"
#define F_CFG_LABEL "cojp.config.label"
#define F_CFG_UNKNOWN "cojp.config.unknown"
#define F_KEYSET "cojp.config.ll_key_set"
#define F_KEY_ID "cojp.config.ll_key.key_id"
#define F_KEY_USAGE "cojp.config.ll_key.key_usage"
#define F_KEY_VALUE "cojp.config.ll_key.key_value"
#define F_KEY_ADDINFO "cojp.config.ll_key.key_addinfo"
#define F_SID "cojp.config.short_id"
#define F_SID_ID "cojp.config.short_id.identifier"
#define F_SID_LEASE "cojp.config.short_id.lease_time"
#define F_JRC "cojp.config.jrc_address"
#define F_BL "cojp.config.blacklist"
#define F_BL_ID "cojp.config.blacklist.pledge_id"
#define F_JOIN_RATE "cojp.config.join_rate"

/* ------------------------------------------------------------------------------------ */
/* One CBOR data item head (RFC 8949 §3), filled by the libcbor callbacks. */

typedef enum cj_kind {
    CJ_UINT,   /* major 0 */
    CJ_NEGINT, /* major 1: value -1 - val */
    CJ_BSTR,   /* major 2 */
    CJ_TSTR,   /* major 3 */
    CJ_ARRAY,  /* major 4 */
    CJ_MAP,    /* major 5: val = pairs */
    CJ_TAG,    /* major 6 */
    CJ_SIMPLE, /* major 7 simple value val (20 false .. 23 undefined) */
    CJ_FLOAT,  /* major 7 float, width fw */
    CJ_BREAK   /* 0xff */
} cj_kind;

typedef struct cj_item {
    cj_kind kind;
    bool indef;   /* indefinite-length string / array / map (RFC 8949 §3.2) */
    uint8_t fw;   /* float width 2, 4, 8 */
    uint64_t val; /* argument: integer, length, pair count, tag number, simple value */
    ek_view data; /* definite string content, borrowed */
    double f;
    size_t at; /* absolute offset of the head */
} cj_item;

typedef struct cj {
    ek_rd rd;
    bool det; /* every item read so far is in RFC 8949 §4.2.1 deterministic form */
} cj;

static void cb_u8(void *c, uint8_t v) { ((cj_item *)c)->kind = CJ_UINT, ((cj_item *)c)->val = v; }
static void cb_u16(void *c, uint16_t v) { ((cj_item *)c)->kind = CJ_UINT, ((cj_item *)c)->val = v; }
static void cb_u32(void *c, uint32_t v) { ((cj_item *)c)->kind = CJ_UINT, ((cj_item *)c)->val = v; }
static void cb_u64(void *c, uint64_t v) { ((cj_item *)c)->kind = CJ_UINT, ((cj_item *)c)->val = v; }
static void cb_n8(void *c, uint8_t v) { ((cj_item *)c)->kind = CJ_NEGINT, ((cj_item *)c)->val = v; }
static void cb_n16(void *c, uint16_t v) { ((cj_item *)c)->kind = CJ_NEGINT, ((cj_item *)c)->val = v; }
static void cb_n32(void *c, uint32_t v) { ((cj_item *)c)->kind = CJ_NEGINT, ((cj_item *)c)->val = v; }
static void cb_n64(void *c, uint64_t v) { ((cj_item *)c)->kind = CJ_NEGINT, ((cj_item *)c)->val = v; }

static void cb_str(cj_item *it, cj_kind k, cbor_data p, size_t n)
{
    it->kind = k;
    it->val = n;
    it->data = ek_view_make(n ? p : NULL, n);
}
static void cb_bstr(void *c, cbor_data p, size_t n) { cb_str(c, CJ_BSTR, p, n); }
static void cb_tstr(void *c, cbor_data p, size_t n) { cb_str(c, CJ_TSTR, p, n); }
static void cb_bstr_indef(void *c) { ((cj_item *)c)->kind = CJ_BSTR, ((cj_item *)c)->indef = true; }
static void cb_tstr_indef(void *c) { ((cj_item *)c)->kind = CJ_TSTR, ((cj_item *)c)->indef = true; }
static void cb_arr(void *c, size_t n) { ((cj_item *)c)->kind = CJ_ARRAY, ((cj_item *)c)->val = n; }
static void cb_arr_indef(void *c) { ((cj_item *)c)->kind = CJ_ARRAY, ((cj_item *)c)->indef = true; }
static void cb_map(void *c, size_t n) { ((cj_item *)c)->kind = CJ_MAP, ((cj_item *)c)->val = n; }
static void cb_map_indef(void *c) { ((cj_item *)c)->kind = CJ_MAP, ((cj_item *)c)->indef = true; }
static void cb_tag(void *c, uint64_t v) { ((cj_item *)c)->kind = CJ_TAG, ((cj_item *)c)->val = v; }

static void cb_float(cj_item *it, uint8_t w, double f)
{
    it->kind = CJ_FLOAT;
    it->fw = w;
    it->f = f;
}
static void cb_f2(void *c, float f) { cb_float(c, 2, f); }
static void cb_f4(void *c, float f) { cb_float(c, 4, f); }
static void cb_f8(void *c, double f) { cb_float(c, 8, f); }
static void cb_undef(void *c) { ((cj_item *)c)->kind = CJ_SIMPLE, ((cj_item *)c)->val = 23; }
static void cb_null(void *c) { ((cj_item *)c)->kind = CJ_SIMPLE, ((cj_item *)c)->val = 22; }
static void cb_bool(void *c, bool b) { ((cj_item *)c)->kind = CJ_SIMPLE, ((cj_item *)c)->val = b ? 21 : 20; }
static void cb_break(void *c) { ((cj_item *)c)->kind = CJ_BREAK; }

/* libcbor calls every callback unconditionally: none may be NULL. */
static const struct cbor_callbacks cj_cbs = {
    .uint8 = cb_u8, .uint16 = cb_u16, .uint32 = cb_u32, .uint64 = cb_u64,
    .negint8 = cb_n8, .negint16 = cb_n16, .negint32 = cb_n32, .negint64 = cb_n64,
    .byte_string = cb_bstr, .byte_string_start = cb_bstr_indef,
    .string = cb_tstr, .string_start = cb_tstr_indef,
    .array_start = cb_arr, .indef_array_start = cb_arr_indef,
    .map_start = cb_map, .indef_map_start = cb_map_indef,
    .tag = cb_tag,
    .float2 = cb_f2, .float4 = cb_f4, .float8 = cb_f8,
    .undefined = cb_undef, .null = cb_null, .boolean = cb_bool,
    .indef_break = cb_break,
};

/* RFC 8949 §4.2.1 / §4.2.2 rule 1: an argument uses the shortest head. */
static bool arg_shortest(uint64_t v, size_t head)
{
    size_t want = v < 24 ? 1 : v <= 0xff ? 2 : v <= 0xffff ? 3 : v <= 0xffffffffu ? 5 : 9;
    return head == want;
}

/* True if sig * 2^(e - src_m) (sig with src_m fraction bits) is exactly representable
 * in a binary format with m fraction bits and normal exponents emin..emax. */
static bool fits_fp(uint64_t sig, int e, int src_m, int m, int emin, int emax)
{
    if (e > emax || e < emin - m)
        return false;
    int s = e >= emin ? src_m - m : src_m + emin - m - e;
    return (sig & ((UINT64_C(1) << s) - 1)) == 0;
}

/* RFC 8949 §4.2.1: a float uses the shortest of binary16/32/64 that keeps its value;
 * NaN only as f9 7e00 (§4.2.2), which a float2 NaN is taken to be. */
static bool float_shortest(const cj_item *it)
{
    if (it->fw == 2)
        return true;
    if (isnan(it->f))
        return false;
    if (it->fw == 8) {
        uint64_t b;
        memcpy(&b, &it->f, sizeof b);
        int ex = (int)((b >> 52) & 0x7ff);
        uint64_t mant = b & ((UINT64_C(1) << 52) - 1);
        if (ex == 0x7ff || (ex == 0 && mant == 0))
            return false; /* infinity and zero fit binary16 */
        if (ex == 0)
            return true; /* binary64 subnormals are below binary32's range */
        return !fits_fp(mant | (UINT64_C(1) << 52), ex - 1023, 52, 23, -126, 127);
    }
    float g = (float)it->f;
    uint32_t b;
    memcpy(&b, &g, sizeof b);
    int ex = (int)((b >> 23) & 0xff);
    uint32_t mant = b & 0x7fffffu;
    if (ex == 0xff || (ex == 0 && mant == 0))
        return false;
    if (ex == 0)
        return true;
    return !fits_fp(mant | (1u << 23), ex - 127, 23, 10, -14, 15);
}

/* libcbor 0.8 rejects every simple value it has no callback for.  RFC 8949 §3.3: e0..f3
 * are well-formed unassigned simple values, f8 xx is well-formed for xx >= 32 only. */
static bool cj_simple(cj *c, const char *field, cj_item *it)
{
    uint8_t b = 0, v = 0;
    if (!ek_rd_peek_u8(&c->rd, &b) || (b < 0xe0 || (b > 0xf3 && b != 0xf8)))
        return ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, field, it->at); /* RFC 8949 §3: AI 28-30, §3.2.4 */
    ek_rd_skip(&c->rd, 1, field);
    it->kind = CJ_SIMPLE;
    it->val = b & 0x1f;
    if (b != 0xf8)
        return true;
    if (!ek_rd_u8(&c->rd, field, &v))
        return false;
    if (v < 32)
        return ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, field, it->at);
    it->val = v;
    return true;
}

/* Reads the next item head (and a definite string's content).  Records TRUNCATED
 * (need = bytes the item needs) or MALFORMED at the head's offset. */
static bool cj_next(cj *c, const char *field, cj_item *it)
{
    memset(it, 0, sizeof *it);
    it->at = ek_rd_offset(&c->rd);
    ek_view rest = ek_rd_peek_rest(&c->rd);
    if (!ek_rd_ok(&c->rd))
        return false;
    if (rest.len == 0)
        return ek_rd_take(&c->rd, 1, field) != NULL; /* records TRUNCATED need 1 have 0 */
    struct cbor_decoder_result r = cbor_stream_decode(rest.p, rest.len, &cj_cbs, it);
    if (r.status == CBOR_DECODER_NEDATA) {
        /* libcbor adds a declared length to what it read: it may wrap. */
        ek_rd_take(&c->rd, r.required > rest.len ? r.required : SIZE_MAX, field);
        return false;
    }
    if (r.status != CBOR_DECODER_FINISHED)
        return cj_simple(c, field, it);
    bool det;
    switch (it->kind) {
    case CJ_BSTR:
    case CJ_TSTR:
        det = !it->indef && arg_shortest(it->val, r.read - it->val);
        break;
    case CJ_ARRAY:
    case CJ_MAP:
        det = !it->indef && arg_shortest(it->val, r.read);
        break;
    case CJ_FLOAT:
        det = float_shortest(it);
        break;
    case CJ_SIMPLE:
    case CJ_BREAK:
        det = true;
        break;
    default:
        det = arg_shortest(it->val, r.read);
        break;
    }
    if (!det)
        c->det = false; /* RFC 8949 §4.2.1: no indefinite lengths, shortest heads */
    return ek_rd_skip(&c->rd, r.read, field);
}

/* Elements of an array or map, definite or indefinite. */
typedef struct cj_seq {
    bool indef;
    uint64_t left;
} cj_seq;

static cj_seq cj_seq_of(const cj_item *it)
{
    cj_seq s = { it->indef, it->indef ? 0 : it->val };
    return s;
}

/* True while another element follows.  An indefinite container's break is consumed
 * here; with no bytes left it answers true so the next read reports TRUNCATED. */
static bool cj_seq_more(cj *c, cj_seq *s)
{
    uint8_t b;
    if (!ek_rd_ok(&c->rd))
        return false;
    if (!s->indef)
        return s->left > 0;
    if (ek_rd_peek_u8(&c->rd, &b) && b == 0xff) {
        ek_rd_skip(&c->rd, 1, "cojp.break");
        s->indef = false;
        s->left = 0;
        return false;
    }
    return true;
}

static void cj_seq_took(cj_seq *s)
{
    if (!s->indef && s->left)
        s->left--;
}

/* The bytes from absolute offset `at` to the cursor: one whole encoded item. */
static ek_view cj_span(const cj *c, size_t at)
{
    return ek_view_make(c->rd.p + (at - c->rd.origin), ek_rd_offset(&c->rd) - at);
}

static bool cj_skip(cj *c, const char *field, unsigned depth);

/* Checks the rest of an item whose head is read: well-formed (RFC 8949 §3, §3.2.3
 * string chunks, §3.2.1 breaks), at most EK_COJP_MAX_DEPTH levels deep. */
static bool cj_skip_rest(cj *c, const char *field, unsigned depth, const cj_item *it)
{
    cj_seq s = cj_seq_of(it);
    switch (it->kind) {
    case CJ_BREAK: /* RFC 8949 §3.2.1: a break only ends an indefinite-length item */
        return ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, field, it->at);
    case CJ_BSTR:
    case CJ_TSTR:
        /* RFC 8949 §3.2.3: chunks are definite strings of the same major type. */
        while (it->indef && cj_seq_more(c, &s)) {
            cj_item ch;
            if (!cj_next(c, field, &ch))
                return false;
            if (ch.kind != it->kind || ch.indef)
                return ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, field, ch.at);
        }
        return ek_rd_ok(&c->rd);
    case CJ_ARRAY:
    case CJ_MAP:
    case CJ_TAG:
        if (depth >= EK_COJP_MAX_DEPTH)
            return ek_rd_fail_at(&c->rd, EK_ERR_UNSUPPORTED, field, it->at);
        if (it->kind == CJ_TAG)
            return cj_skip(c, field, depth + 1);
        {
            ek_view prev = { NULL, 0 };
            bool first = true;
            while (cj_seq_more(c, &s)) {
                size_t k_at = ek_rd_offset(&c->rd);
                if (!cj_skip(c, field, depth + 1))
                    return false;
                if (it->kind == CJ_MAP) {
                    /* RFC 8949 §4.2.1: keys in bytewise lexicographic order of their
                     * encodings.  Duplicates (§5.6) in an "any" value are only
                     * flagged as not deterministic. */
                    ek_view k = cj_span(c, k_at);
                    size_t m = k.len < prev.len ? k.len : prev.len;
                    int cmp = m ? memcmp(prev.p, k.p, m) : 0;
                    if (!first && (cmp > 0 || (cmp == 0 && prev.len >= k.len)))
                        c->det = false;
                    prev = k;
                    first = false;
                    if (!cj_skip(c, field, depth + 1))
                        return false;
                }
                cj_seq_took(&s);
            }
        }
        return ek_rd_ok(&c->rd);
    default:
        return true;
    }
}

static bool cj_skip(cj *c, const char *field, unsigned depth)
{
    cj_item it;
    return cj_next(c, field, &it) && cj_skip_rest(c, field, depth, &it);
}

static bool cj_expect(cj *c, const char *field, cj_kind k, cj_item *it)
{
    if (!cj_next(c, field, it))
        return false;
    if (it->kind != k)
        return ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, field, it->at);
    return true;
}

/* A byte string kept as a view: an indefinite-length one is chunked and cannot be
 * borrowed, so it is UNSUPPORTED (RFC 9031 does not forbid it). */
static bool cj_bstr(cj *c, const char *field, cj_item *it, ek_view *v)
{
    if (!cj_expect(c, field, CJ_BSTR, it))
        return false;
    if (it->indef)
        return ek_rd_fail_at(&c->rd, EK_ERR_UNSUPPORTED, field, it->at);
    *v = it->data;
    return true;
}

/* An int (CDDL `int`, RFC 8610 §3.3: major 0 or 1) that fits int64_t. */
static bool cj_int(cj *c, const char *field, cj_item *it, int64_t *v)
{
    if (!cj_next(c, field, it))
        return false;
    if (it->kind != CJ_UINT && it->kind != CJ_NEGINT)
        return ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, field, it->at);
    if (it->val > (uint64_t)INT64_MAX)
        return ek_rd_fail_at(&c->rd, EK_ERR_UNSUPPORTED, field, it->at);
    *v = it->kind == CJ_UINT ? (int64_t)it->val : -1 - (int64_t)it->val;
    return true;
}

static void cj_open(cj *c, ek_view in, size_t origin)
{
    ek_rd_init(&c->rd, in, origin);
    c->det = true;
}

/* ------------------------------------------------------------------------------------ */
/* Map framing shared by Join_Request and Configuration (RFC 9031 §8.4.1, §8.4.2). */

typedef struct cj_map {
    cj_item head;
    cj_seq seq;
    unsigned n;
    int64_t seen[EK_COJP_MAX_MAP_ENTRIES];
    ek_view prev_key;
} cj_map;

static bool map_open(cj *c, const char *field, cj_map *m)
{
    memset(m, 0, sizeof *m);
    if (!cj_expect(c, field, CJ_MAP, &m->head)) /* §8.4.1 / §8.4.2: built on a CBOR map */
        return false;
    m->seq = cj_seq_of(&m->head);
    return true;
}

/* Next label, or false at the end of the map (or on an error). */
static bool map_label(cj *c, cj_map *m, const char *obj_field, const char *label_field, int64_t *label,
                      size_t *at)
{
    cj_item it;
    if (!cj_seq_more(c, &m->seq))
        return false;
    *at = ek_rd_offset(&c->rd);
    if (m->n == EK_COJP_MAX_MAP_ENTRIES)
        return ek_rd_fail_at(&c->rd, EK_ERR_UNSUPPORTED, obj_field, *at);
    /* RFC 9031 §11.1: "The label is an integer". */
    if (!cj_int(c, label_field, &it, label))
        return false;
    /* RFC 8949 §5.6: a map with a duplicated key is not valid; §8.4.1 / §8.4.2 define
     * each parameter once. */
    for (unsigned i = 0; i < m->n; i++)
        if (m->seen[i] == *label)
            return ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, label_field, *at);
    /* RFC 8949 §4.2.1: keys sorted by their encodings (labels are distinct here). */
    ek_view k = cj_span(c, *at);
    if (m->n) {
        size_t mm = k.len < m->prev_key.len ? k.len : m->prev_key.len;
        int cmp = memcmp(m->prev_key.p, k.p, mm);
        if (cmp > 0 || (cmp == 0 && m->prev_key.len > k.len))
            c->det = false;
    }
    m->prev_key = k;
    m->seen[m->n++] = *label;
    cj_seq_took(&m->seq);
    return true;
}

static void keep_unknown(cj *c, int64_t label, size_t at, size_t v_at, ek_cojp_unknown *arr, unsigned *n,
                         unsigned *overflow)
{
    if (*n < EK_COJP_MAX_UNKNOWN) {
        arr[*n].label = label;
        arr[*n].offset = at;
        arr[*n].value = cj_span(c, v_at);
        (*n)++;
    } else {
        (*overflow)++;
    }
}

/* RFC 9031 §8.1.1 / §8.1.2 / §8.3.2: the payload is one CoJP object; bytes after it
 * are not part of any item. */
static ek_status cj_finish(cj *c, const char *obj_field, unsigned *flags, ek_err *err)
{
    if (ek_rd_ok(&c->rd) && ek_rd_left(&c->rd))
        ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, obj_field, ek_rd_offset(&c->rd));
    if (!c->det)
        *flags |= EK_COJP_F_NOT_DETERMINISTIC;
    return ek_rd_finish(&c->rd, err);
}

/* ------------------------------------------------------------------------------------ */
/* Unsupported_Configuration, RFC 9031 §8.4.5. */

static bool dec_unsup(cj *c, ek_cojp_unsupported *u)
{
    cj_item a, it;
    if (!cj_expect(c, F_UNSUP, CJ_ARRAY, &a)) /* §8.4.5: "encoded as a CBOR array" */
        return false;
    cj_seq s = cj_seq_of(&a);
    unsigned i = 0;
    size_t end_at = ek_rd_offset(&c->rd);
    for (; cj_seq_more(c, &s); i++, end_at = ek_rd_offset(&c->rd)) {
        ek_cojp_unsup_param *p = &u->p[u->n < EK_COJP_MAX_UNSUP ? u->n : 0];
        switch (i % 3) {
        case 0: /* code : int, Table 7 */
            if (u->n == EK_COJP_MAX_UNSUP)
                return ek_rd_fail_at(&c->rd, EK_ERR_UNSUPPORTED, F_UNSUP, ek_rd_offset(&c->rd));
            memset(p, 0, sizeof *p);
            p->offset = ek_rd_offset(&c->rd);
            if (!cj_int(c, F_UNSUP_CODE, &it, &p->code))
                return false;
            if (p->code != EK_COJP_CODE_UNSUPPORTED && p->code != EK_COJP_CODE_MALFORMED)
                return ek_rd_fail_at(&c->rd, EK_ERR_UNSUPPORTED, F_UNSUP_CODE, it.at);
            break;
        case 1: /* parameter_label : int, any label of §11.1, known or not */
            if (!cj_int(c, F_UNSUP_LABEL, &it, &p->label))
                return false;
            break;
        default: /* parameter_addinfo : nil / any */
            if (!cj_next(c, F_UNSUP_ADDINFO, &it))
                return false;
            p->addinfo_null = it.kind == CJ_SIMPLE && it.val == 22;
            if (!p->addinfo_null && !cj_skip_rest(c, F_UNSUP_ADDINFO, 0, &it))
                return false;
            p->addinfo = p->addinfo_null ? ek_view_make(NULL, 0) : cj_span(c, it.at);
            /* §8.4.5: with code "Malformed", parameter_addinfo MUST be null. */
            if (p->code == EK_COJP_CODE_MALFORMED && !p->addinfo_null)
                return ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, F_UNSUP_ADDINFO, it.at);
            u->n++;
            break;
        }
        cj_seq_took(&s);
    }
    if (!ek_rd_ok(&c->rd))
        return false;
    if (i == 0) /* §8.4.5 CDDL `[ + parameter ]`: at least one */
        return ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, F_UNSUP, a.at);
    if (i % 3) /* §8.4.5: all three of code, parameter_label, parameter_addinfo MUST be included */
        return ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, i % 3 == 1 ? F_UNSUP_LABEL : F_UNSUP_ADDINFO, end_at);
    return true;
}

ek_status ek_cojp_unsupported_decode(ek_view in, size_t origin, ek_cojp_unsupported *out, ek_err *err)
{
    cj c;
    memset(out, 0, sizeof *out);
    cj_open(&c, in, origin);
    dec_unsup(&c, out);
    return cj_finish(&c, F_UNSUP, &out->flags, err);
}

/* ------------------------------------------------------------------------------------ */
/* Join_Request, RFC 9031 §8.4.1. */

ek_status ek_cojp_join_request_decode(ek_view in, size_t origin, ek_cojp_join_request *out, ek_err *err)
{
    cj c;
    cj_map m;
    cj_item it;
    int64_t label;
    size_t at;
    bool has_netid = false;
    memset(out, 0, sizeof *out);
    cj_open(&c, in, origin);
    if (map_open(&c, F_JR, &m)) {
        while (map_label(&c, &m, F_JR, F_JR_LABEL, &label, &at)) {
            switch (label) {
            case EK_COJP_LABEL_ROLE: /* Table 2: unsigned integer; Table 3: 0 or 1 */
                if (!cj_expect(&c, F_JR_ROLE, CJ_UINT, &it))
                    break;
                if (it.val > EK_COJP_ROLE_6LBR) {
                    ek_rd_fail_at(&c.rd, EK_ERR_UNSUPPORTED, F_JR_ROLE, it.at);
                    break;
                }
                out->has_role = true;
                out->role = (uint8_t)it.val;
                break;
            case EK_COJP_LABEL_NETWORK_ID: /* Table 2: byte string */
                has_netid = cj_bstr(&c, F_JR_NETID, &it, &out->network_id);
                break;
            case EK_COJP_LABEL_UNSUPPORTED: /* Table 2: Unsupported_Configuration */
                out->has_unsupported = dec_unsup(&c, &out->unsupported);
                break;
            default: { /* §8.3.1: kept, answered as Unsupported (ek_cojp_join_request_diagnose) */
                size_t v_at = ek_rd_offset(&c.rd);
                if (cj_skip(&c, F_JR_UNKNOWN, 0))
                    keep_unknown(&c, label, at, v_at, out->unknown, &out->n_unknown, &out->unknown_overflow);
                break;
            }
            }
        }
        /* §8.4.1: the network identifier "MUST be included". */
        if (ek_rd_ok(&c.rd) && !has_netid)
            ek_rd_fail_at(&c.rd, EK_ERR_MALFORMED, F_JR_NETID, m.head.at);
    }
    return cj_finish(&c, F_JR, &out->flags, err);
}

/* ------------------------------------------------------------------------------------ */
/* Configuration, RFC 9031 §8.4.2, with Link_Layer_Key (§8.4.3) and Short_Identifier
 * (§8.4.4). */

/* §8.4.3 Table 6: the MIC length of each key usage is 32 << (usage % 3). */
static unsigned usage_mic(uint8_t usage) { return 32u << (usage % 3); }

static bool peek_major(const cj *c, uint8_t major)
{
    uint8_t b;
    return ek_rd_peek_u8(&c->rd, &b) && (b >> 5) == major;
}

static bool dec_keys(cj *c, ek_cojp_config *out)
{
    cj_item a, it;
    if (!cj_expect(c, F_KEYSET, CJ_ARRAY, &a)) /* Table 4: array */
        return false;
    cj_seq s = cj_seq_of(&a);
    size_t end_at;
    while (cj_seq_more(c, &s)) {
        /* §8.4.3: key_id, a uint, MUST be included; "a uint that follows a byte string
         * signals ... a new Link_Layer_Key". */
        if (!cj_expect(c, F_KEY_ID, CJ_UINT, &it))
            return false;
        cj_seq_took(&s);
        if (out->n_keys == EK_COJP_MAX_KEYS)
            return ek_rd_fail_at(&c->rd, EK_ERR_UNSUPPORTED, F_KEYSET, it.at);
        ek_cojp_ll_key *k = &out->keys[out->n_keys];
        memset(k, 0, sizeof *k);
        k->offset = it.at;
        /* §8.4.3 / §8.4.3.3: larger than 254 (255 reserved by IEEE 802.15.4) = invalid. */
        if (it.val > EK_COJP_KEY_ID_MAX)
            return ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, F_KEY_ID, it.at);
        k->key_id = (uint8_t)it.val;
        end_at = ek_rd_offset(&c->rd);
        if (!cj_seq_more(c, &s)) /* §8.4.3: key_value MUST be included */
            return ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, F_KEY_VALUE, end_at);
        if (!cj_next(c, F_KEY_VALUE, &it))
            return false;
        cj_seq_took(&s);
        if (it.kind == CJ_UINT || it.kind == CJ_NEGINT) {
            /* §8.4.3: key_usage : int, values of Table 6 (registry §11.2) */
            if (it.kind == CJ_NEGINT || it.val > EK_COJP_KU_MAX)
                return ek_rd_fail_at(&c->rd, EK_ERR_UNSUPPORTED, F_KEY_USAGE, it.at);
            k->has_key_usage = true;
            k->key_usage = (uint8_t)it.val;
            end_at = ek_rd_offset(&c->rd);
            if (!cj_seq_more(c, &s))
                return ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, F_KEY_VALUE, end_at);
            if (!cj_next(c, F_KEY_VALUE, &it))
                return false;
            cj_seq_took(&s);
        }
        if (it.kind != CJ_BSTR)
            return ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, F_KEY_VALUE, it.at);
        if (it.indef)
            return ek_rd_fail_at(&c->rd, EK_ERR_UNSUPPORTED, F_KEY_VALUE, it.at);
        /* §8.4.3: a length other than the usage's key length (16 for every row of
         * Table 6) -> the key MUST be discarded and the error signalled (§8.3.1). */
        if (it.val != EK_COJP_KEY_LEN)
            return ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, F_KEY_VALUE, it.at);
        k->key_value = it.data;
        end_at = ek_rd_offset(&c->rd);
        bool more = cj_seq_more(c, &s);
        if (more && ek_rd_left(&c->rd) == 0) /* the next element (addinfo or key) is cut off */
            return ek_rd_take(&c->rd, 1, F_KEY_ADDINFO) != NULL;
        if (more && peek_major(c, 2)) { /* ? key_addinfo : bstr */
            if (!cj_bstr(c, F_KEY_ADDINFO, &it, &k->key_addinfo))
                return false;
            cj_seq_took(&s);
            k->has_key_addinfo = true;
        }
        if (!ek_rd_ok(&c->rd))
            return false;
        /* §8.4.3.3 (IEEE 802.15.4): key_id 0 = Key ID Mode 0, key_addinfo MUST be
         * present: the peer's short (2), long (8) or long+short (10) address.  key_id
         * != 0 = Modes 1-3: absent, or exactly 4 or 8 octets of Key Source. */
        if (k->key_id == 0 && !k->has_key_addinfo)
            return ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, F_KEY_ADDINFO, end_at);
        if (k->has_key_addinfo) {
            size_t n = k->key_addinfo.len;
            bool ok = k->key_id == 0 ? (n == 2 || n == 8 || n == 10) : (n == 4 || n == 8);
            if (!ok)
                return ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, F_KEY_ADDINFO, it.at);
        }
        out->n_keys++;
    }
    if (!ek_rd_ok(&c->rd))
        return false;
    /* §8.4.2: "When present, the link-layer key set parameter MUST contain at least one
     * key" (CDDL `[ +Link_Layer_Key ]`). */
    if (out->n_keys == 0)
        return ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, F_KEYSET, a.at);
    /* §8.4.3.3: "Implementations MUST use different link-layer keys when using
     * different authentication tag (MIC) lengths" - the sender broke it; flagged. */
    for (unsigned i = 0; i < out->n_keys; i++)
        for (unsigned j = i + 1; j < out->n_keys; j++)
            if (usage_mic(out->keys[i].key_usage) != usage_mic(out->keys[j].key_usage) &&
                memcmp(out->keys[i].key_value.p, out->keys[j].key_value.p, EK_COJP_KEY_LEN) == 0)
                out->flags |= EK_COJP_F_KEY_MIC_REUSE;
    return true;
}

/* §8.4.4.1: a 2-octet identifier other than the reserved 0xfffe and 0xffff.  The RFC
 * gives no byte order; the byte string is read first octet first. */
static bool short_id_valid(ek_view id, size_t at)
{
    ek_rd r;
    uint16_t v;
    if (id.len != EK_COJP_SHORT_ID_LEN)
        return false;
    ek_rd_init(&r, id, at);
    return ek_rd_be16(&r, F_SID_ID, &v) && v != 0xfffe && v != 0xffff;
}

static bool dec_short_id(cj *c, ek_cojp_config *out)
{
    cj_item a, it;
    ek_cojp_short_id sid;
    memset(&sid, 0, sizeof sid);
    if (!cj_expect(c, F_SID, CJ_ARRAY, &a)) /* §8.4.4: a CBOR array */
        return false;
    cj_seq s = cj_seq_of(&a);
    if (!cj_seq_more(c, &s)) /* §8.4.4: identifier "MUST be included" */
        return ek_rd_ok(&c->rd) ? ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, F_SID, a.at) : false;
    if (!cj_bstr(c, F_SID_ID, &it, &sid.identifier))
        return false;
    size_t id_at = it.at;
    cj_seq_took(&s);
    if (cj_seq_more(c, &s)) { /* ? lease_time : uint */
        if (!cj_expect(c, F_SID_LEASE, CJ_UINT, &it))
            return false;
        cj_seq_took(&s);
        sid.has_lease_time = true;
        sid.lease_time = it.val;
    }
    size_t extra_at = ek_rd_offset(&c->rd);
    if (cj_seq_more(c, &s)) /* §8.4.4 CDDL: two elements at most */
        return ek_rd_fail_at(&c->rd, EK_ERR_MALFORMED, F_SID, extra_at);
    if (!ek_rd_ok(&c->rd))
        return false;
    /* §8.4.4: "If the identifier is invalid, the decoder MUST silently ignore the
     * Short_Identifier object" - not an error; flagged for the harness. */
    if (short_id_valid(sid.identifier, id_at)) {
        out->has_short_id = true;
        out->short_id = sid;
    } else {
        out->flags |= EK_COJP_F_SHORT_ID_IGNORED;
        out->ignored_short_id = sid.identifier;
    }
    return true;
}

static bool dec_blacklist(cj *c, ek_cojp_config *out)
{
    cj_item a, it;
    if (!cj_expect(c, F_BL, CJ_ARRAY, &a)) /* Table 4: array; CDDL `[ *bstr ]`, zero or more */
        return false;
    cj_seq s = cj_seq_of(&a);
    while (cj_seq_more(c, &s)) {
        if (out->n_blacklist == EK_COJP_MAX_BLACKLIST)
            return ek_rd_fail_at(&c->rd, EK_ERR_UNSUPPORTED, F_BL, ek_rd_offset(&c->rd));
        if (!cj_bstr(c, F_BL_ID, &it, &out->blacklist[out->n_blacklist]))
            return false;
        out->n_blacklist++;
        cj_seq_took(&s);
    }
    return ek_rd_ok(&c->rd);
}

ek_status ek_cojp_config_decode(ek_view in, size_t origin, ek_cojp_config *out, ek_err *err)
{
    cj c;
    cj_map m;
    cj_item it;
    int64_t label;
    size_t at;
    ek_view v;
    memset(out, 0, sizeof *out);
    cj_open(&c, in, origin);
    if (map_open(&c, F_CFG, &m)) {
        while (map_label(&c, &m, F_CFG, F_CFG_LABEL, &label, &at)) {
            switch (label) {
            case EK_COJP_LABEL_LL_KEY_SET:
                out->has_keys = dec_keys(&c, out);
                break;
            case EK_COJP_LABEL_SHORT_ID:
                dec_short_id(&c, out);
                break;
            case EK_COJP_LABEL_JRC_ADDRESS: /* Table 4: byte string */
                if (!cj_bstr(&c, F_JRC, &it, &v))
                    break;
                /* §8.4.2: "If the length of the byte string is different from 16, the
                 * parameter MUST be discarded." */
                if (v.len == EK_COJP_JRC_ADDR_LEN) {
                    out->has_jrc_address = true;
                    out->jrc_address = v;
                } else {
                    out->flags |= EK_COJP_F_JRC_ADDR_DISCARDED;
                    out->ignored_jrc_address = v;
                }
                break;
            case EK_COJP_LABEL_BLACKLIST:
                out->has_blacklist = dec_blacklist(&c, out);
                break;
            case EK_COJP_LABEL_JOIN_RATE: /* Table 4: unsigned integer */
                if (cj_expect(&c, F_JOIN_RATE, CJ_UINT, &it)) {
                    out->has_join_rate = true;
                    out->join_rate = it.val;
                }
                break;
            default: { /* includes role / network identifier / unsupported: not
                        * Configuration parameters (Table 4); §8.3.1 answers them */
                size_t v_at = ek_rd_offset(&c.rd);
                if (cj_skip(&c, F_CFG_UNKNOWN, 0))
                    keep_unknown(&c, label, at, v_at, out->unknown, &out->n_unknown, &out->unknown_overflow);
                break;
            }
            }
        }
    }
    return cj_finish(&c, F_CFG, &out->flags, err);
}

/* ------------------------------------------------------------------------------------ */
/* Encoders: libcbor writes every head in its shortest form (RFC 8949 §4.2.1), map keys
 * are written in ascending label order (1-octet heads: the bytewise order too). */

static void cw_head(ek_buf *b, const char *field, const unsigned char *t, size_t n)
{
    ek_wr_bytes(b, field, t, n);
}

static void cw_uint(ek_buf *b, const char *field, uint64_t v)
{
    unsigned char t[9];
    cw_head(b, field, t, cbor_encode_uint(v, t, sizeof t));
}

static void cw_int(ek_buf *b, const char *field, int64_t v)
{
    unsigned char t[9];
    size_t n = v >= 0 ? cbor_encode_uint((uint64_t)v, t, sizeof t)
                      : cbor_encode_negint((uint64_t)(-1 - v), t, sizeof t);
    cw_head(b, field, t, n);
}

static void cw_bstr(ek_buf *b, const char *field, ek_view v)
{
    unsigned char t[9];
    cw_head(b, field, t, cbor_encode_bytestring_start(v.len, t, sizeof t));
    if (v.len)
        ek_wr_view(b, field, v);
}

static void cw_array(ek_buf *b, const char *field, size_t n)
{
    unsigned char t[9];
    cw_head(b, field, t, cbor_encode_array_start(n, t, sizeof t));
}

static void cw_map(ek_buf *b, const char *field, size_t n)
{
    unsigned char t[9];
    cw_head(b, field, t, cbor_encode_map_start(n, t, sizeof t));
}

static bool view_bad(ek_view v) { return v.len && !v.p; }

/* Abandons a half-written object: nothing is appended on a validation error. */
static ek_status enc_fail(ek_buf *b, size_t start, ek_err *err, ek_status code, const char *field, size_t at)
{
    if (b->err.code == EK_OK)
        b->len = start;
    return ek_err_set(err, code, field, at);
}

/* A caller's parameter_addinfo: exactly one well-formed, deterministic item. */
static bool addinfo_ok(ek_view v)
{
    cj c;
    if (!v.len || !v.p)
        return false;
    cj_open(&c, v, 0);
    return cj_skip(&c, F_UNSUP_ADDINFO, 0) && ek_rd_left(&c.rd) == 0 && c.det;
}

static ek_status enc_unsup(const ek_cojp_unsupported *u, ek_buf *b, size_t start, ek_err *err)
{
    if (u->n == 0) /* §8.4.5: at least one Unsupported_Parameter */
        return enc_fail(b, start, err, EK_ERR_MALFORMED, F_UNSUP, b->len);
    if (u->n > EK_COJP_MAX_UNSUP)
        return enc_fail(b, start, err, EK_ERR_UNSUPPORTED, F_UNSUP, b->len);
    cw_array(b, F_UNSUP, 3 * (size_t)u->n);
    for (unsigned i = 0; i < u->n; i++) {
        const ek_cojp_unsup_param *p = &u->p[i];
        if (p->code != EK_COJP_CODE_UNSUPPORTED && p->code != EK_COJP_CODE_MALFORMED) /* Table 7 */
            return enc_fail(b, start, err, EK_ERR_UNSUPPORTED, F_UNSUP_CODE, b->len);
        cw_int(b, F_UNSUP_CODE, p->code);
        cw_int(b, F_UNSUP_LABEL, p->label);
        /* §8.4.5: null for "Malformed"; otherwise null or one CBOR item */
        if ((!p->addinfo_null && p->code == EK_COJP_CODE_MALFORMED) ||
            (!p->addinfo_null && !addinfo_ok(p->addinfo)))
            return enc_fail(b, start, err, EK_ERR_MALFORMED, F_UNSUP_ADDINFO, b->len);
        if (p->addinfo_null)
            ek_wr_u8(b, F_UNSUP_ADDINFO, 0xf6); /* RFC 8949 §3.3: simple value 22, null */
        else
            ek_wr_view(b, F_UNSUP_ADDINFO, p->addinfo);
    }
    return EK_OK;
}

ek_status ek_cojp_unsupported_encode(const ek_cojp_unsupported *in, ek_buf *out, ek_err *err)
{
    ek_status st = enc_unsup(in, out, out->len, err);
    return st != EK_OK ? st : ek_buf_finish(out, err);
}

ek_status ek_cojp_join_request_encode(const ek_cojp_join_request *in, ek_buf *out, ek_err *err)
{
    size_t start = out->len;
    if (in->has_role && in->role > EK_COJP_ROLE_6LBR) /* Table 3 */
        return enc_fail(out, start, err, EK_ERR_UNSUPPORTED, F_JR_ROLE, start);
    if (view_bad(in->network_id))
        return enc_fail(out, start, err, EK_ERR_MALFORMED, F_JR_NETID, start);
    cw_map(out, F_JR, (size_t)in->has_role + 1 + (size_t)in->has_unsupported);
    if (in->has_role) {
        cw_uint(out, F_JR_LABEL, EK_COJP_LABEL_ROLE);
        cw_uint(out, F_JR_ROLE, in->role);
    }
    cw_uint(out, F_JR_LABEL, EK_COJP_LABEL_NETWORK_ID); /* §8.4.1: MUST be included */
    cw_bstr(out, F_JR_NETID, in->network_id);
    if (in->has_unsupported) {
        cw_uint(out, F_JR_LABEL, EK_COJP_LABEL_UNSUPPORTED);
        ek_status st = enc_unsup(&in->unsupported, out, start, err);
        if (st != EK_OK)
            return st;
    }
    return ek_buf_finish(out, err);
}

static ek_status enc_key(const ek_cojp_ll_key *k, ek_buf *b, size_t start, ek_err *err)
{
    if (k->key_id > EK_COJP_KEY_ID_MAX) /* §8.4.3.3 */
        return enc_fail(b, start, err, EK_ERR_MALFORMED, F_KEY_ID, b->len);
    cw_uint(b, F_KEY_ID, k->key_id);
    if (k->has_key_usage) {
        if (k->key_usage > EK_COJP_KU_MAX) /* Table 6 */
            return enc_fail(b, start, err, EK_ERR_UNSUPPORTED, F_KEY_USAGE, b->len);
        cw_uint(b, F_KEY_USAGE, k->key_usage);
    }
    if (k->key_value.len != EK_COJP_KEY_LEN || !k->key_value.p) /* §8.4.3 */
        return enc_fail(b, start, err, EK_ERR_MALFORMED, F_KEY_VALUE, b->len);
    cw_bstr(b, F_KEY_VALUE, k->key_value);
    size_t n = k->key_addinfo.len;
    if (k->key_id == 0 ? !(k->has_key_addinfo && (n == 2 || n == 8 || n == 10)) /* §8.4.3.3 */
                       : (k->has_key_addinfo && n != 4 && n != 8))
        return enc_fail(b, start, err, EK_ERR_MALFORMED, F_KEY_ADDINFO, b->len);
    if (k->has_key_addinfo) {
        if (view_bad(k->key_addinfo))
            return enc_fail(b, start, err, EK_ERR_MALFORMED, F_KEY_ADDINFO, b->len);
        cw_bstr(b, F_KEY_ADDINFO, k->key_addinfo);
    }
    return EK_OK;
}

ek_status ek_cojp_config_encode(const ek_cojp_config *in, ek_buf *out, ek_err *err)
{
    size_t start = out->len;
    ek_status st;
    cw_map(out, F_CFG,
           (size_t)in->has_keys + in->has_short_id + in->has_jrc_address + in->has_blacklist +
               in->has_join_rate);
    if (in->has_keys) {
        if (in->n_keys == 0) /* §8.4.2: at least one key */
            return enc_fail(out, start, err, EK_ERR_MALFORMED, F_KEYSET, out->len);
        if (in->n_keys > EK_COJP_MAX_KEYS)
            return enc_fail(out, start, err, EK_ERR_UNSUPPORTED, F_KEYSET, out->len);
        size_t elems = 0;
        for (unsigned i = 0; i < in->n_keys; i++)
            elems += 2u + in->keys[i].has_key_usage + in->keys[i].has_key_addinfo;
        cw_uint(out, F_CFG_LABEL, EK_COJP_LABEL_LL_KEY_SET);
        cw_array(out, F_KEYSET, elems);
        for (unsigned i = 0; i < in->n_keys; i++)
            if ((st = enc_key(&in->keys[i], out, start, err)) != EK_OK)
                return st;
    }
    if (in->has_short_id) {
        if (!in->short_id.identifier.p || !short_id_valid(in->short_id.identifier, 0)) /* §8.4.4.1 */
            return enc_fail(out, start, err, EK_ERR_MALFORMED, F_SID_ID, out->len);
        cw_uint(out, F_CFG_LABEL, EK_COJP_LABEL_SHORT_ID);
        cw_array(out, F_SID, 1u + in->short_id.has_lease_time);
        cw_bstr(out, F_SID_ID, in->short_id.identifier);
        if (in->short_id.has_lease_time)
            cw_uint(out, F_SID_LEASE, in->short_id.lease_time);
    }
    if (in->has_jrc_address) {
        if (in->jrc_address.len != EK_COJP_JRC_ADDR_LEN || !in->jrc_address.p) /* §8.4.2 */
            return enc_fail(out, start, err, EK_ERR_MALFORMED, F_JRC, out->len);
        cw_uint(out, F_CFG_LABEL, EK_COJP_LABEL_JRC_ADDRESS);
        cw_bstr(out, F_JRC, in->jrc_address);
    }
    if (in->has_blacklist) {
        if (in->n_blacklist > EK_COJP_MAX_BLACKLIST)
            return enc_fail(out, start, err, EK_ERR_UNSUPPORTED, F_BL, out->len);
        cw_uint(out, F_CFG_LABEL, EK_COJP_LABEL_BLACKLIST);
        cw_array(out, F_BL, in->n_blacklist);
        for (unsigned i = 0; i < in->n_blacklist; i++) {
            if (view_bad(in->blacklist[i]))
                return enc_fail(out, start, err, EK_ERR_MALFORMED, F_BL_ID, out->len);
            cw_bstr(out, F_BL_ID, in->blacklist[i]);
        }
    }
    if (in->has_join_rate) {
        cw_uint(out, F_CFG_LABEL, EK_COJP_LABEL_JOIN_RATE);
        cw_uint(out, F_JOIN_RATE, in->join_rate);
    }
    return ek_buf_finish(out, err);
}

/* Encoded sizes: the encoder run over a counting writer (ek_buf with no memory). */
size_t ek_cojp_join_request_encoded_len(const ek_cojp_join_request *in)
{
    ek_buf b;
    ek_buf_init(&b, NULL, 0);
    ek_status st = ek_cojp_join_request_encode(in, &b, NULL);
    return st == EK_OK || st == EK_ERR_NOSPACE ? b.len : 0;
}

size_t ek_cojp_config_encoded_len(const ek_cojp_config *in)
{
    ek_buf b;
    ek_buf_init(&b, NULL, 0);
    ek_status st = ek_cojp_config_encode(in, &b, NULL);
    return st == EK_OK || st == EK_ERR_NOSPACE ? b.len : 0;
}

size_t ek_cojp_unsupported_encoded_len(const ek_cojp_unsupported *in)
{
    ek_buf b;
    ek_buf_init(&b, NULL, 0);
    ek_status st = ek_cojp_unsupported_encode(in, &b, NULL);
    return st == EK_OK || st == EK_ERR_NOSPACE ? b.len : 0;
}

/* ------------------------------------------------------------------------------------ */
/* Diagnostics, RFC 9031 §8.3.1 / §8.4.5. */

bool ek_cojp_diagnose(const ek_err *err, ek_cojp_unsup_param *out)
{
    /* Field prefix -> the top-level parameter (Table 5) the error lies in. */
    static const struct {
        const char *prefix;
        int64_t label;
    } map[] = {
        { F_JR_ROLE, EK_COJP_LABEL_ROLE },         { F_JR_NETID, EK_COJP_LABEL_NETWORK_ID },
        { F_UNSUP, EK_COJP_LABEL_UNSUPPORTED },    { "cojp.config.ll_key", EK_COJP_LABEL_LL_KEY_SET },
        { F_SID, EK_COJP_LABEL_SHORT_ID },         { F_JRC, EK_COJP_LABEL_JRC_ADDRESS },
        { F_BL, EK_COJP_LABEL_BLACKLIST },         { F_JOIN_RATE, EK_COJP_LABEL_JOIN_RATE },
    };
    if (!err || !err->field || err->code == EK_OK || err->code == EK_ERR_NOSPACE)
        return false;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        size_t n = strlen(map[i].prefix);
        if (strncmp(err->field, map[i].prefix, n) == 0) {
            memset(out, 0, sizeof *out);
            /* Table 7: "Unsupported" = a setting the stack does not support;
             * "Malformed" = a malformed value.  addinfo null: §8.4.5, the JRC SHOULD
             * NOT try the parameter again. */
            out->code = err->code == EK_ERR_UNSUPPORTED ? EK_COJP_CODE_UNSUPPORTED : EK_COJP_CODE_MALFORMED;
            out->label = map[i].label;
            out->addinfo_null = true;
            return true;
        }
    }
    return false;
}

static unsigned diagnose_unknown(const ek_cojp_unknown *u, unsigned n, ek_cojp_unsupported *out)
{
    unsigned added = 0;
    for (unsigned i = 0; i < n && out->n < EK_COJP_MAX_UNSUP; i++, added++) {
        ek_cojp_unsup_param *p = &out->p[out->n++];
        memset(p, 0, sizeof *p);
        p->code = EK_COJP_CODE_UNSUPPORTED; /* §8.3.1, §8.4.5: acted upon regardless of value */
        p->label = u[i].label;
        p->addinfo_null = true;
    }
    return added;
}

unsigned ek_cojp_config_diagnose(const ek_cojp_config *cfg, ek_cojp_unsupported *out)
{
    return diagnose_unknown(cfg->unknown, cfg->n_unknown, out);
}

unsigned ek_cojp_join_request_diagnose(const ek_cojp_join_request *jr, ek_cojp_unsupported *out)
{
    return diagnose_unknown(jr->unknown, jr->n_unknown, out);
}

/* ------------------------------------------------------------------------------------ */
/* Names (RFC 9031 Tables 3, 5, 6, 7). */

const char *ek_cojp_role_name(uint64_t role)
{
    switch (role) {
    case EK_COJP_ROLE_6TISCH_NODE: return "6TiSCH Node";
    case EK_COJP_ROLE_6LBR: return "6LBR";
    }
    return NULL;
}

const char *ek_cojp_key_usage_name(int64_t usage)
{
    static const char *const names[EK_COJP_KU_MAX + 1] = {
        "6TiSCH-K1K2-ENC-MIC32", "6TiSCH-K1K2-ENC-MIC64", "6TiSCH-K1K2-ENC-MIC128",
        "6TiSCH-K1K2-MIC32",     "6TiSCH-K1K2-MIC64",     "6TiSCH-K1K2-MIC128",
        "6TiSCH-K1-MIC32",       "6TiSCH-K1-MIC64",       "6TiSCH-K1-MIC128",
        "6TiSCH-K2-MIC32",       "6TiSCH-K2-MIC64",       "6TiSCH-K2-MIC128",
        "6TiSCH-K2-ENC-MIC32",   "6TiSCH-K2-ENC-MIC64",   "6TiSCH-K2-ENC-MIC128",
    };
    return usage >= 0 && usage <= EK_COJP_KU_MAX ? names[usage] : NULL;
}

const char *ek_cojp_code_name(int64_t code)
{
    switch (code) {
    case EK_COJP_CODE_UNSUPPORTED: return "Unsupported";
    case EK_COJP_CODE_MALFORMED: return "Malformed";
    }
    return NULL;
}

const char *ek_cojp_label_name(int64_t label)
{
    switch (label) {
    case EK_COJP_LABEL_ROLE: return "role";
    case EK_COJP_LABEL_LL_KEY_SET: return "link-layer key set";
    case EK_COJP_LABEL_SHORT_ID: return "short identifier";
    case EK_COJP_LABEL_JRC_ADDRESS: return "JRC address";
    case EK_COJP_LABEL_NETWORK_ID: return "network identifier";
    case EK_COJP_LABEL_BLACKLIST: return "blacklist";
    case EK_COJP_LABEL_JOIN_RATE: return "join rate";
    case EK_COJP_LABEL_UNSUPPORTED: return "unsupported configuration";
    }
    return NULL;
}

/* ------------------------------------------------------------------------------------ */
/* Text renderings. */

typedef struct fmt {
    char *p;
    size_t cap, len;
} fmt;

__attribute__((format(printf, 2, 3))) static void fa(fmt *f, const char *spec, ...)
{
    va_list ap;
    va_start(ap, spec);
    bool room = f->p && f->len < f->cap;
    int n = vsnprintf(room ? f->p + f->len : NULL, room ? f->cap - f->len : 0, spec, ap);
    va_end(ap);
    if (n > 0)
        f->len += (size_t)n;
}

static void fa_hex(fmt *f, ek_view v)
{
    fa(f, "h'");
    for (size_t i = 0; i < v.len; i++)
        fa(f, "%02x", v.p[i]);
    fa(f, "'");
}

static void fa_named(fmt *f, int64_t v, const char *name)
{
    if (name)
        fa(f, "%" PRId64 " (%s)", v, name);
    else
        fa(f, "%" PRId64, v);
}

/* Unknown labels as "label N: h'<encoded value>'"; sep goes before the first one. */
static void fa_unknown(fmt *f, const char *sep, const ek_cojp_unknown *u, unsigned n, unsigned overflow)
{
    for (unsigned i = 0; i < n && i < EK_COJP_MAX_UNKNOWN; i++) {
        fa(f, "%slabel %" PRId64 ": ", i ? ", " : sep, u[i].label);
        fa_hex(f, u[i].value);
    }
    if (overflow)
        fa(f, "%s(%u more unknown labels)", n ? ", " : sep, overflow);
}

static void fa_unsup(fmt *f, const ek_cojp_unsupported *u)
{
    fa(f, "[");
    for (unsigned i = 0; i < u->n && i < EK_COJP_MAX_UNSUP; i++) {
        const ek_cojp_unsup_param *p = &u->p[i];
        fa(f, "%s{code: ", i ? ", " : "");
        fa_named(f, p->code, ek_cojp_code_name(p->code));
        fa(f, ", parameter_label: ");
        fa_named(f, p->label, ek_cojp_label_name(p->label));
        fa(f, ", parameter_addinfo: ");
        if (p->addinfo_null)
            fa(f, "null");
        else {
            fa(f, "cbor ");
            fa_hex(f, p->addinfo);
        }
        fa(f, "}");
    }
    fa(f, "]");
}

static size_t fmt_end(fmt *f)
{
    if (f->p && f->cap && f->len < f->cap)
        f->p[f->len] = '\0';
    else if (f->p && f->cap)
        f->p[f->cap - 1] = '\0';
    return f->len;
}

size_t ek_cojp_unsupported_format(const ek_cojp_unsupported *u, char *buf, size_t len)
{
    fmt f = { buf, len, 0 };
    fa_unsup(&f, u);
    return fmt_end(&f);
}

size_t ek_cojp_join_request_format(const ek_cojp_join_request *jr, char *buf, size_t len)
{
    fmt f = { buf, len, 0 };
    fa(&f, "{role: ");
    fa_named(&f, jr->role, ek_cojp_role_name(jr->role));
    if (!jr->has_role)
        fa(&f, " default");
    fa(&f, ", network_identifier: ");
    fa_hex(&f, jr->network_id);
    if (jr->has_unsupported) {
        fa(&f, ", unsupported_configuration: ");
        fa_unsup(&f, &jr->unsupported);
    }
    fa_unknown(&f, ", ", jr->unknown, jr->n_unknown, jr->unknown_overflow);
    fa(&f, "}");
    return fmt_end(&f);
}

size_t ek_cojp_config_format(const ek_cojp_config *cfg, char *buf, size_t len)
{
    fmt f = { buf, len, 0 };
    const char *sep = "";
    fa(&f, "{");
    if (cfg->has_keys) {
        fa(&f, "link_layer_key_set: [");
        for (unsigned i = 0; i < cfg->n_keys && i < EK_COJP_MAX_KEYS; i++) {
            const ek_cojp_ll_key *k = &cfg->keys[i];
            fa(&f, "%s{key_id: %u, key_usage: ", i ? ", " : "", k->key_id);
            fa_named(&f, k->key_usage, ek_cojp_key_usage_name(k->key_usage));
            if (!k->has_key_usage)
                fa(&f, " default");
            fa(&f, ", key_value: ");
            fa_hex(&f, k->key_value);
            if (k->has_key_addinfo) {
                fa(&f, ", key_addinfo: ");
                fa_hex(&f, k->key_addinfo);
            }
            fa(&f, "}");
        }
        fa(&f, "]");
        sep = ", ";
    }
    if (cfg->has_short_id) {
        fa(&f, "%sshort_identifier: {identifier: ", sep);
        fa_hex(&f, cfg->short_id.identifier);
        if (cfg->short_id.has_lease_time)
            fa(&f, ", lease_time: %" PRIu64 " h}", cfg->short_id.lease_time);
        else
            fa(&f, ", lease_time: infinity}");
        sep = ", ";
    } else if (cfg->flags & EK_COJP_F_SHORT_ID_IGNORED) {
        fa(&f, "%sshort_identifier: ignored ", sep);
        fa_hex(&f, cfg->ignored_short_id);
        sep = ", ";
    }
    if (cfg->has_jrc_address) {
        fa(&f, "%sjrc_address: ", sep);
        fa_hex(&f, cfg->jrc_address);
        sep = ", ";
    } else if (cfg->flags & EK_COJP_F_JRC_ADDR_DISCARDED) {
        fa(&f, "%sjrc_address: discarded ", sep);
        fa_hex(&f, cfg->ignored_jrc_address);
        sep = ", ";
    }
    if (cfg->has_blacklist) {
        fa(&f, "%sblacklist: [", sep);
        for (unsigned i = 0; i < cfg->n_blacklist && i < EK_COJP_MAX_BLACKLIST; i++) {
            fa(&f, "%s", i ? ", " : "");
            fa_hex(&f, cfg->blacklist[i]);
        }
        fa(&f, "]");
        sep = ", ";
    }
    if (cfg->has_join_rate) {
        fa(&f, "%sjoin_rate: %" PRIu64 " B/s", sep, cfg->join_rate);
        sep = ", ";
    }
    fa_unknown(&f, sep, cfg->unknown, cfg->n_unknown, cfg->unknown_overflow);
    fa(&f, "}");
    return fmt_end(&f);
}
