/* SPDX-License-Identifier: BSD-3-Clause */
/* Vector manifests in CBOR (RFC 8949) via libcbor 0.8: strict reader, canonical
 * writer (fixed key order, definite lengths, shortest integer forms), directory
 * listing.  Every rejection names the offending key ("expect.rank: ..."). */
#include <arpa/inet.h>
#include <cbor.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ek/decap.h"
#include "manifest.h"

#define MAX_FILE (1u << 20)

static bool fail(char *eb, size_t el, const char *fmt, ...)
{
    if (eb && el) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(eb, el, fmt, ap);
        va_end(ap);
    }
    return false;
}

bool ek_vec_status_parse(const char *name, ek_status *out)
{
    static const ek_status all[] = { EK_ERR_TRUNCATED, EK_ERR_MALFORMED, EK_ERR_UNSUPPORTED, EK_ERR_NOSPACE };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (!strcmp(name, ek_status_name(all[i]))) {
            *out = all[i];
            return true;
        }
    return false;
}

void ek_vec_init(ek_vec *v)
{
    memset(v, 0, sizeof *v);
    ek_profile p;
    ek_profile_default(&p);
    v->ep_type = p.mep_type;
    snprintf(v->ep_profile, sizeof v->ep_profile, "%s", ek_mep_profile_name(p.mep));
    snprintf(v->ie_profile, sizeof v->ie_profile, "%s", ek_ji_profile_name(p.ji));
}

void ek_vec_free(ek_vec *v)
{
    if (!v)
        return;
    free(v->frame);
    v->frame = NULL;
    v->frame_len = 0;
}

bool ek_vec_set_frame(ek_vec *v, const uint8_t *p, size_t n)
{
    uint8_t *q = malloc(n ? n : 1);
    if (!q)
        return false;
    if (n)
        memcpy(q, p, n);
    free(v->frame);
    v->frame = q;
    v->frame_len = n;
    return true;
}

ek_vec_kind ek_vec_kind_of(const ek_field *f)
{
    switch (f->kind) {
    case EK_FIELD_BOOL: return EK_VEC_BOOL;
    case EK_FIELD_U8: case EK_FIELD_U16: case EK_FIELD_U64: return EK_VEC_UINT;
    default: return EK_VEC_TEXT;
    }
}

static uint64_t kind_max(const ek_field *f)
{
    return f->kind == EK_FIELD_U8 ? UINT8_MAX : f->kind == EK_FIELD_U16 ? UINT16_MAX : UINT64_MAX;
}

const char *ek_vec_value_format(const ek_vec_value *v, char *buf, size_t len)
{
    switch (v->kind) {
    case EK_VEC_UINT: snprintf(buf, len, "%" PRIu64, v->u); break;
    case EK_VEC_BOOL: snprintf(buf, len, "%s", v->b ? "true" : "false"); break;
    case EK_VEC_TEXT: snprintf(buf, len, "%s", v->text); break;
    }
    return buf;
}

bool ek_vec_value_eq(const ek_vec_value *a, const ek_vec_value *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case EK_VEC_UINT: return a->u == b->u;
    case EK_VEC_BOOL: return a->b == b->b;
    case EK_VEC_TEXT: return strcmp(a->text, b->text) == 0;
    }
    return false;
}

static ek_vec_expect *expect_slot(ek_vec *v, const char *key, ek_vec_kind kind)
{
    const ek_field *f = ek_field_find(key);
    if (!f || ek_vec_kind_of(f) != kind || v->n_expect >= EK_VEC_MAX_EXPECT || ek_vec_expect_get(v, key))
        return NULL;
    ek_vec_expect *e = &v->expect[v->n_expect++];
    memset(e, 0, sizeof *e);
    snprintf(e->key, sizeof e->key, "%s", key);
    e->value.kind = kind;
    return e;
}

bool ek_vec_expect_uint(ek_vec *v, const char *key, uint64_t x)
{
    ek_vec_expect *e = expect_slot(v, key, EK_VEC_UINT);
    if (e)
        e->value.u = x;
    return e != NULL;
}

bool ek_vec_expect_bool(ek_vec *v, const char *key, bool x)
{
    ek_vec_expect *e = expect_slot(v, key, EK_VEC_BOOL);
    if (e)
        e->value.b = x;
    return e != NULL;
}

bool ek_vec_expect_text(ek_vec *v, const char *key, const char *x)
{
    if (strlen(x) >= EK_VEC_TEXT_MAX)
        return false;
    ek_vec_expect *e = expect_slot(v, key, EK_VEC_TEXT);
    if (e)
        snprintf(e->value.text, sizeof e->value.text, "%s", x);
    return e != NULL;
}

bool ek_vec_add_error(ek_vec *v, ek_status code, const char *field, uint64_t offset)
{
    if (v->n_errors >= EK_VEC_MAX_ERRORS || code == EK_OK || !field || strlen(field) >= EK_VEC_FIELD_MAX)
        return false;
    ek_vec_error *e = &v->errors[v->n_errors++];
    e->code = code;
    snprintf(e->field, sizeof e->field, "%s", field);
    e->offset = offset;
    return true;
}

bool ek_vec_add_ref(ek_vec *v, const char *ref)
{
    if (v->n_refs >= EK_VEC_MAX_REFS || strlen(ref) >= EK_VEC_REF_MAX)
        return false;
    snprintf(v->refs[v->n_refs++], EK_VEC_REF_MAX, "%s", ref);
    return true;
}

const ek_vec_value *ek_vec_expect_get(const ek_vec *v, const char *key)
{
    for (unsigned i = 0; i < v->n_expect; i++)
        if (!strcmp(v->expect[i].key, key))
            return &v->expect[i].value;
    return NULL;
}

bool ek_vec_profile(const ek_vec *v, ek_profile *out)
{
    ek_profile_default(out);
    out->mep_type = v->ep_type;
    if (!ek_mep_profile_parse(v->ep_profile, &out->mep) || !ek_ji_profile_parse(v->ie_profile, &out->ji))
        return false;
    for (unsigned i = 0; i < EK_LOWPAN_CONTEXTS; i++)
        if (v->contexts[i][0] && !ek_profile_set_context(out, i, v->contexts[i]))
            return false;
    return true;
}

/* ---- validation ---- */

static bool id_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-'
              || *s == '_' || *s == '.'))
            return false;
    return true;
}

static bool is_hex_lower(const char *s)
{
    size_t n = strlen(s);
    if (n & 1)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return false;
    return true;
}

static bool eui64_ok(const char *s)
{
    if (strlen(s) != 23)
        return false;
    for (int i = 0; i < 23; i++) {
        char c = s[i];
        if (i % 3 == 2 ? c != ':' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

static bool ipv6_canonical(const char *s)
{
    uint8_t a[16];
    char back[INET6_ADDRSTRLEN];
    if (inet_pton(AF_INET6, s, a) != 1 || !inet_ntop(AF_INET6, a, back, sizeof back))
        return false;
    return !strcmp(back, s);
}

/* A context "PREFIX/LEN" (RFC 6282 §3.1.2) in its one canonical spelling: RFC 5952
 * prefix, LEN decimal 0..128 without leading zeros, no prefix bit set past LEN.  NULL if
 * fine, else the reason. */
static const char *context_rule(const char *s)
{
    const char *slash = strchr(s, '/');
    char addr[INET6_ADDRSTRLEN];
    if (!slash || (size_t)(slash - s) >= sizeof addr)
        return "expected PREFIX/LEN, e.g. fd00::/64";
    memcpy(addr, s, (size_t)(slash - s));
    addr[slash - s] = '\0';
    if (!ipv6_canonical(addr))
        return "prefix must be canonical IPv6 text (RFC 5952)";
    const char *d = slash + 1;
    size_t nd = strlen(d);
    unsigned len = 0;
    if (nd == 0 || nd > 3 || (nd > 1 && d[0] == '0'))
        return "LEN must be a decimal 0..128 without leading zeros";
    for (size_t i = 0; i < nd; i++) {
        if (d[i] < '0' || d[i] > '9')
            return "LEN must be a decimal 0..128 without leading zeros";
        len = len * 10 + (unsigned)(d[i] - '0');
    }
    if (len > 128)
        return "LEN must be a decimal 0..128 without leading zeros";
    uint8_t a[16];
    if (inet_pton(AF_INET6, addr, a) != 1)
        return "prefix must be canonical IPv6 text (RFC 5952)";
    for (unsigned bit = len; bit < 128; bit++)
        if (a[bit / 8] & (0x80u >> (bit % 8)))
            return "prefix has bits set past LEN";
    return NULL;
}

bool ek_vec_set_context(ek_vec *v, unsigned n, const char *prefix_len)
{
    if (n >= EK_LOWPAN_CONTEXTS || !prefix_len || strlen(prefix_len) >= EK_VEC_CONTEXT_MAX
        || context_rule(prefix_len))
        return false;
    snprintf(v->contexts[n], EK_VEC_CONTEXT_MAX, "%s", prefix_len);
    v->has_profile = true;
    return true;
}

unsigned ek_vec_n_contexts(const ek_vec *v)
{
    unsigned n = 0;
    for (unsigned i = 0; i < EK_LOWPAN_CONTEXTS; i++)
        n += v->contexts[i][0] != '\0';
    return n;
}

/* A profile.keys entry name: [A-Za-z0-9._-]+, shorter than EK_VEC_KEY_NAME_MAX. */
static bool key_name_ok(const char *s)
{
    return memchr(s, 0, EK_VEC_KEY_NAME_MAX) && id_ok(s);
}

bool ek_vec_add_key(ek_vec *v, const char *name, const uint8_t key[EK_VEC_KEY_LEN], unsigned key_index)
{
    if (v->n_keys >= EK_VEC_MAX_KEYS || !name || strlen(name) >= EK_VEC_KEY_NAME_MAX || !key_name_ok(name)
        || key_index < 1 || key_index > 255 || (v->n_keys && key_index <= v->keys[v->n_keys - 1].key_index))
        return false;
    for (unsigned i = 0; i < v->n_keys; i++)
        if (!strcmp(v->keys[i].name, name))
            return false;
    ek_vec_key *k = &v->keys[v->n_keys++];
    memset(k, 0, sizeof *k);
    snprintf(k->name, sizeof k->name, "%s", name);
    memcpy(k->key, key, EK_VEC_KEY_LEN);
    k->key_index = (uint8_t)key_index;
    v->has_profile = true;
    return true;
}

/* Text expectations must be spelled exactly as ek_field_format renders them. */
static const char *text_rule(const ek_field *f, const char *val)
{
    switch (f->kind) {
    case EK_FIELD_EUI64:
        return eui64_ok(val) ? NULL : "expected EUI-64 text like 00:12:4b:00:14:b5:d9:c7";
    case EK_FIELD_IPV6:
        return ipv6_canonical(val) ? NULL : "expected canonical IPv6 text (RFC 5952)";
    case EK_FIELD_HEX8:
        return is_hex_lower(val) && strlen(val) == 16 ? NULL : "expected 16 lowercase hex digits";
    default:
        return is_hex_lower(val) ? NULL : "expected lowercase hex octets";
    }
}

bool ek_vec_validate(const ek_vec *v, char *eb, size_t el)
{
    if (!id_ok(v->id))
        return fail(eb, el, "id: '%s' must be non-empty [A-Za-z0-9._-]", v->id);
    if (!ek_cap_linktype_supported((int)v->linktype))
        return fail(eb, el, "linktype: %u is not a supported link type", v->linktype);
    if (!v->frame || v->frame_len == 0 || v->frame_len > EK_VEC_FRAME_MAX)
        return fail(eb, el, "frame: must hold 1..%u octets", EK_VEC_FRAME_MAX);
    ek_mep_profile mp;
    ek_ji_profile jp;
    if (!ek_mep_profile_parse(v->ep_profile, &mp))
        return fail(eb, el, "profile.ep_profile: unknown profile '%s'", v->ep_profile);
    if (!ek_ji_profile_parse(v->ie_profile, &jp))
        return fail(eb, el, "profile.ie_profile: unknown profile '%s'", v->ie_profile);
    for (unsigned i = 0; i < EK_LOWPAN_CONTEXTS; i++) {
        if (!v->contexts[i][0])
            continue;
        if (!v->has_profile)
            return fail(eb, el, "profile.contexts: context %u set but the vector has no profile", i);
        const char *why = memchr(v->contexts[i], 0, EK_VEC_CONTEXT_MAX) ? context_rule(v->contexts[i])
                                                                        : "text not terminated";
        if (why)
            return fail(eb, el, "profile.contexts: context %u '%.*s': %s", i, EK_VEC_CONTEXT_MAX - 1,
                        v->contexts[i], why);
    }
    if (v->n_keys > EK_VEC_MAX_KEYS)
        return fail(eb, el, "profile.keys: more than %d entries", EK_VEC_MAX_KEYS);
    if (v->n_keys && !v->has_profile)
        return fail(eb, el, "profile.keys: keys set but the vector has no profile");
    for (unsigned i = 0; i < v->n_keys; i++) {
        const ek_vec_key *k = &v->keys[i];
        if (!key_name_ok(k->name))
            return fail(eb, el, "profile.keys[%u].name: must be non-empty [A-Za-z0-9._-], at most %d octets", i,
                        EK_VEC_KEY_NAME_MAX - 1);
        if (k->key_index == 0)
            return fail(eb, el, "profile.keys[%u].key_index: 0 is never a key index (IEEE 802.15.4-2015 §9.4.4.3)",
                        i);
        if (i && k->key_index <= v->keys[i - 1].key_index)
            return fail(eb, el, "profile.keys[%u].key_index: %u %s", i, k->key_index,
                        k->key_index == v->keys[i - 1].key_index ? "given twice"
                                                                 : "out of order (list keys by ascending key_index)");
        for (unsigned j = 0; j < i; j++)
            if (!strcmp(v->keys[j].name, k->name))
                return fail(eb, el, "profile.keys[%u].name: '%s' given twice", i, k->name);
    }
    for (unsigned i = 0; i < v->n_expect; i++) {
        const ek_vec_expect *x = &v->expect[i];
        const ek_field *f = ek_field_find(x->key);
        if (!f)
            return fail(eb, el, "expect.%s: unknown key", x->key);
        ek_vec_kind k = ek_vec_kind_of(f);
        if (k != x->value.kind)
            return fail(eb, el, "expect.%s: must be %s", x->key,
                        k == EK_VEC_UINT ? "an unsigned integer" : k == EK_VEC_BOOL ? "a bool" : "a text string");
        if (k == EK_VEC_UINT && x->value.u > kind_max(f))
            return fail(eb, el, "expect.%s: %" PRIu64 " exceeds %" PRIu64, x->key, x->value.u, kind_max(f));
        for (unsigned j = 0; j < i; j++)
            if (!strcmp(v->expect[j].key, x->key))
                return fail(eb, el, "expect.%s: duplicate key", x->key);
        const char *why = k == EK_VEC_TEXT ? text_rule(f, x->value.text) : NULL;
        if (why)
            return fail(eb, el, "expect.%s: '%s': %s", x->key, x->value.text, why);
    }
    for (unsigned i = 0; i < v->n_errors; i++) {
        if (v->errors[i].code == EK_OK)
            return fail(eb, el, "error.code: must name a failure (TRUNCATED, MALFORMED, UNSUPPORTED, NOSPACE)");
        if (!v->errors[i].field[0])
            return fail(eb, el, "error.field: must not be empty");
    }
    if (v->wellformed && v->n_errors)
        return fail(eb, el, "error: a wellformed vector cannot expect an error");
    return true;
}

/* ---- CBOR reading ---- */

static bool get_text(const cbor_item_t *it, char *dst, size_t cap, const char *key, char *eb, size_t el)
{
    if (!cbor_isa_string(it) || !cbor_string_is_definite(it))
        return fail(eb, el, "%s: must be a (definite) text string", key);
    size_t n = cbor_string_length(it);
    const unsigned char *p = cbor_string_handle(it);
    if (n >= cap)
        return fail(eb, el, "%s: text longer than %zu octets", key, cap - 1);
    if (n && memchr(p, 0, n))
        return fail(eb, el, "%s: text contains NUL", key);
    if (n)
        memcpy(dst, p, n);
    dst[n] = '\0';
    return true;
}

static bool get_uint(const cbor_item_t *it, uint64_t max, uint64_t *out, const char *key, char *eb, size_t el)
{
    if (!cbor_isa_uint(it))
        return fail(eb, el, "%s: must be an unsigned integer", key);
    *out = cbor_get_int(it);
    if (*out > max)
        return fail(eb, el, "%s: %llu exceeds %llu", key, (unsigned long long)*out, (unsigned long long)max);
    return true;
}

static bool get_bool(const cbor_item_t *it, bool *out, const char *key, char *eb, size_t el)
{
    if (!cbor_isa_float_ctrl(it) || !cbor_is_bool(it))
        return fail(eb, el, "%s: must be a bool", key);
    *out = cbor_get_bool(it);
    return true;
}

/* Checks a map's keys: text, unique, from `allowed`; key text into keys[i]. */
static bool map_keys(const cbor_item_t *m, const char *what, const char *const *allowed, char keys[][EK_VEC_KEY_MAX],
                     size_t maxkeys, char *eb, size_t el)
{
    if (!cbor_isa_map(m))
        return fail(eb, el, "%s: must be a map", what);
    size_t n = cbor_map_size(m);
    struct cbor_pair *pr = cbor_map_handle(m);
    if (n > maxkeys)
        return fail(eb, el, "%s: too many keys (%zu > %zu)", what, n, maxkeys);
    for (size_t i = 0; i < n; i++) {
        char kname[EK_VEC_KEY_MAX + 8];
        snprintf(kname, sizeof kname, "%s key", what);
        if (!get_text(pr[i].key, keys[i], EK_VEC_KEY_MAX, kname, eb, el))
            return false;
        if (allowed) {
            bool ok = false;
            for (const char *const *a = allowed; *a; a++)
                ok = ok || !strcmp(*a, keys[i]);
            if (!ok)
                return fail(eb, el, "%s%s%s: unknown key", what[0] ? what : "", what[0] ? "." : "", keys[i]);
        }
        for (size_t j = 0; j < i; j++)
            if (!strcmp(keys[i], keys[j]))
                return fail(eb, el, "%s%s%s: duplicate key", what[0] ? what : "", what[0] ? "." : "", keys[i]);
    }
    return true;
}

static bool read_error_map(const cbor_item_t *m, ek_vec *v, const char *what, char *eb, size_t el)
{
    static const char *const allowed[] = { "code", "field", "offset", NULL };
    char keys[3][EK_VEC_KEY_MAX];
    char code[16] = "", field[EK_VEC_FIELD_MAX] = "";
    uint64_t off = 0;
    bool have[3] = { false, false, false };
    if (!map_keys(m, what, allowed, keys, 3, eb, el))
        return false;
    struct cbor_pair *pr = cbor_map_handle(m);
    for (size_t i = 0; i < cbor_map_size(m); i++) {
        char k[EK_VEC_KEY_MAX + 16];
        snprintf(k, sizeof k, "%s.%s", what, keys[i]);
        if (!strcmp(keys[i], "code")) {
            have[0] = get_text(pr[i].value, code, sizeof code, k, eb, el);
            ek_status st;
            if (!have[0])
                return false;
            if (!ek_vec_status_parse(code, &st))
                return fail(eb, el, "%s: '%s' is not TRUNCATED, MALFORMED, UNSUPPORTED or NOSPACE", k, code);
        } else if (!strcmp(keys[i], "field")) {
            if (!(have[1] = get_text(pr[i].value, field, sizeof field, k, eb, el)))
                return false;
        } else {
            if (!(have[2] = get_uint(pr[i].value, UINT32_MAX, &off, k, eb, el)))
                return false;
        }
    }
    static const char *const names[] = { "code", "field", "offset" };
    for (int i = 0; i < 3; i++)
        if (!have[i])
            return fail(eb, el, "%s.%s: missing", what, names[i]);
    ek_status st = EK_OK;
    ek_vec_status_parse(code, &st);
    if (!ek_vec_add_error(v, st, field, off))
        return fail(eb, el, "%s: too many errors (max %d) or empty field", what, EK_VEC_MAX_ERRORS);
    return true;
}

/* profile.contexts: [+ "N=PREFIX/LEN"], N decimal 0..15 (no leading zeros), strictly
 * ascending, so the array has one canonical form (RFC 6282 §3.1.2: 4-bit context ids). */
static bool read_contexts(const cbor_item_t *a, ek_vec *v, char *eb, size_t el)
{
    if (!cbor_isa_array(a) || !cbor_array_is_definite(a))
        return fail(eb, el, "profile.contexts: must be a (definite) array of text strings \"N=PREFIX/LEN\"");
    size_t n = cbor_array_size(a);
    if (n == 0)
        return fail(eb, el, "profile.contexts: empty array (omit the key instead)");
    if (n > EK_LOWPAN_CONTEXTS)
        return fail(eb, el, "profile.contexts: more than %d entries", EK_LOWPAN_CONTEXTS);
    cbor_item_t **it = cbor_array_handle(a);
    int last = -1;
    for (size_t j = 0; j < n; j++) {
        char kk[32], t[8 + EK_VEC_CONTEXT_MAX];
        snprintf(kk, sizeof kk, "profile.contexts[%zu]", j);
        if (!get_text(it[j], t, sizeof t, kk, eb, el))
            return false;
        const char *eq = strchr(t, '=');
        size_t nd = eq ? (size_t)(eq - t) : 0;
        int id = 0;
        bool ok = nd >= 1 && nd <= 2 && !(nd == 2 && t[0] == '0');
        for (size_t i = 0; ok && i < nd; i++) {
            ok = t[i] >= '0' && t[i] <= '9';
            id = id * 10 + (t[i] - '0');
        }
        if (!ok || id >= EK_LOWPAN_CONTEXTS)
            return fail(eb, el, "%s: '%s': expected N=PREFIX/LEN with N in 0..15, e.g. 0=fd00::/64", kk, t);
        if (id <= last)
            return fail(eb, el, "%s: '%s': context %d %s", kk, t, id,
                        id == last ? "given twice" : "out of order (list contexts by ascending N)");
        const char *why = strlen(eq + 1) >= EK_VEC_CONTEXT_MAX ? "too long" : context_rule(eq + 1);
        if (why)
            return fail(eb, el, "%s: '%s': %s", kk, t, why);
        snprintf(v->contexts[id], EK_VEC_CONTEXT_MAX, "%s", eq + 1);
        last = id;
    }
    return true;
}

/* profile.keys: [+ {"name": tstr, "key": bstr .size 16, "key_index": uint 1..255}],
 * strictly ascending key_index; each map has exactly these three keys. */
static bool read_keys(const cbor_item_t *a, ek_vec *v, char *eb, size_t el)
{
    static const char *const allowed[] = { "name", "key", "key_index", NULL };
    if (!cbor_isa_array(a) || !cbor_array_is_definite(a))
        return fail(eb, el, "profile.keys: must be a (definite) array of {\"name\", \"key\", \"key_index\"} maps");
    size_t n = cbor_array_size(a);
    if (n == 0)
        return fail(eb, el, "profile.keys: empty array (omit the key instead)");
    if (n > EK_VEC_MAX_KEYS)
        return fail(eb, el, "profile.keys: more than %d entries", EK_VEC_MAX_KEYS);
    cbor_item_t **it = cbor_array_handle(a);
    for (size_t j = 0; j < n; j++) {
        char what[32], keys[3][EK_VEC_KEY_MAX], kk[64];
        char name[EK_VEC_KEY_NAME_MAX] = "";
        uint8_t key[EK_VEC_KEY_LEN] = { 0 };
        uint64_t idx = 0;
        bool have[3] = { false, false, false };
        snprintf(what, sizeof what, "profile.keys[%zu]", j);
        if (!map_keys(it[j], what, allowed, keys, 3, eb, el))
            return false;
        struct cbor_pair *pr = cbor_map_handle(it[j]);
        for (size_t i = 0; i < cbor_map_size(it[j]); i++) {
            snprintf(kk, sizeof kk, "%s.%s", what, keys[i]);
            if (!strcmp(keys[i], "name")) {
                if (!get_text(pr[i].value, name, sizeof name, kk, eb, el))
                    return false;
                if (!key_name_ok(name))
                    return fail(eb, el, "%s: '%s' must be non-empty [A-Za-z0-9._-]", kk, name);
                have[0] = true;
            } else if (!strcmp(keys[i], "key")) {
                const cbor_item_t *b = pr[i].value;
                if (!cbor_isa_bytestring(b) || !cbor_bytestring_is_definite(b))
                    return fail(eb, el, "%s: must be a (definite) byte string", kk);
                if (cbor_bytestring_length(b) != EK_VEC_KEY_LEN)
                    return fail(eb, el, "%s: %zu octets, an AES-128 key has %d", kk, cbor_bytestring_length(b),
                                EK_VEC_KEY_LEN);
                memcpy(key, cbor_bytestring_handle(b), EK_VEC_KEY_LEN);
                have[1] = true;
            } else {
                if (!get_uint(pr[i].value, 255, &idx, kk, eb, el))
                    return false;
                if (idx == 0)
                    return fail(eb, el, "%s: 0 is never a key index (IEEE 802.15.4-2015 §9.4.4.3)", kk);
                have[2] = true;
            }
        }
        for (int i = 0; i < 3; i++)
            if (!have[i])
                return fail(eb, el, "%s.%s: missing", what, allowed[i]);
        if (v->n_keys && idx <= v->keys[v->n_keys - 1].key_index)
            return fail(eb, el, "%s.key_index: %u %s", what, (unsigned)idx,
                        idx == v->keys[v->n_keys - 1].key_index ? "given twice"
                                                                 : "out of order (list keys by ascending key_index)");
        for (unsigned i = 0; i < v->n_keys; i++)
            if (!strcmp(v->keys[i].name, name))
                return fail(eb, el, "%s.name: '%s' given twice", what, name);
        ek_vec_key *k = &v->keys[v->n_keys++];
        memset(k, 0, sizeof *k);
        snprintf(k->name, sizeof k->name, "%s", name);
        memcpy(k->key, key, EK_VEC_KEY_LEN);
        k->key_index = (uint8_t)idx;
    }
    return true;
}

static bool read_top(const cbor_item_t *root, ek_vec *v, char *eb, size_t el)
{
    static const char *const top[] = { "id", "description", "refs", "linktype", "frame", "wellformed",
                                       "profile", "expect", "error", NULL };
    static const char *const required[] = { "id", "description", "refs", "linktype", "frame", "wellformed",
                                            "expect", NULL };
    char keys[16][EK_VEC_KEY_MAX];
    if (!map_keys(root, "", top, keys, 16, eb, el))
        return false;
    size_t n = cbor_map_size(root);
    struct cbor_pair *pr = cbor_map_handle(root);
    for (const char *const *r = required; *r; r++) {
        bool found = false;
        for (size_t i = 0; i < n; i++)
            found = found || !strcmp(keys[i], *r);
        if (!found)
            return fail(eb, el, "%s: missing", *r);
    }
    for (size_t i = 0; i < n; i++) {
        const char *k = keys[i];
        const cbor_item_t *val = pr[i].value;
        uint64_t u = 0;
        if (!strcmp(k, "id")) {
            if (!get_text(val, v->id, sizeof v->id, k, eb, el))
                return false;
        } else if (!strcmp(k, "description")) {
            if (!get_text(val, v->description, sizeof v->description, k, eb, el))
                return false;
        } else if (!strcmp(k, "refs")) {
            if (!cbor_isa_array(val))
                return fail(eb, el, "refs: must be an array of text strings");
            if (cbor_array_size(val) > EK_VEC_MAX_REFS)
                return fail(eb, el, "refs: more than %d entries", EK_VEC_MAX_REFS);
            cbor_item_t **a = cbor_array_handle(val);
            for (size_t j = 0; j < cbor_array_size(val); j++) {
                char kk[32];
                snprintf(kk, sizeof kk, "refs[%zu]", j);
                if (!get_text(a[j], v->refs[j], EK_VEC_REF_MAX, kk, eb, el))
                    return false;
            }
            v->n_refs = (unsigned)cbor_array_size(val);
        } else if (!strcmp(k, "linktype")) {
            if (!get_uint(val, UINT32_MAX, &u, k, eb, el))
                return false;
            v->linktype = (uint32_t)u;
        } else if (!strcmp(k, "frame")) {
            if (!cbor_isa_bytestring(val) || !cbor_bytestring_is_definite(val))
                return fail(eb, el, "frame: must be a (definite) byte string");
            if (!ek_vec_set_frame(v, cbor_bytestring_handle(val), cbor_bytestring_length(val)))
                return fail(eb, el, "frame: out of memory");
        } else if (!strcmp(k, "wellformed")) {
            if (!get_bool(val, &v->wellformed, k, eb, el))
                return false;
        } else if (!strcmp(k, "profile")) {
            static const char *const pk[] = { "ep_type", "ep_profile", "ie_profile", "contexts", "keys", NULL };
            char keys2[5][EK_VEC_KEY_MAX];
            if (!map_keys(val, "profile", pk, keys2, 5, eb, el))
                return false;
            v->has_profile = true;
            struct cbor_pair *pp = cbor_map_handle(val);
            for (size_t j = 0; j < cbor_map_size(val); j++) {
                char kk[48];
                snprintf(kk, sizeof kk, "profile.%s", keys2[j]);
                if (!strcmp(keys2[j], "ep_type")) {
                    if (!get_uint(pp[j].value, 255, &u, kk, eb, el))
                        return false;
                    v->ep_type = (uint8_t)u;
                } else if (!strcmp(keys2[j], "contexts")) {
                    if (!read_contexts(pp[j].value, v, eb, el))
                        return false;
                } else if (!strcmp(keys2[j], "keys")) {
                    if (!read_keys(pp[j].value, v, eb, el))
                        return false;
                } else if (!get_text(pp[j].value, !strcmp(keys2[j], "ep_profile") ? v->ep_profile : v->ie_profile,
                                     EK_VEC_PROFILE_NAME_MAX, kk, eb, el)) {
                    return false;
                }
            }
        } else if (!strcmp(k, "expect")) {
            char keys2[EK_VEC_MAX_EXPECT][EK_VEC_KEY_MAX];
            if (!map_keys(val, "expect", NULL, keys2, EK_VEC_MAX_EXPECT, eb, el))
                return false;
            struct cbor_pair *pp = cbor_map_handle(val);
            for (size_t j = 0; j < cbor_map_size(val); j++) {
                char kk[48];
                snprintf(kk, sizeof kk, "expect.%s", keys2[j]);
                const ek_field *f = ek_field_find(keys2[j]);
                if (!f)
                    return fail(eb, el, "%s: unknown key", kk);
                ek_vec_expect *x = &v->expect[v->n_expect++];
                snprintf(x->key, sizeof x->key, "%s", keys2[j]);
                ek_vec_kind kind = ek_vec_kind_of(f);
                x->value.kind = kind;
                bool ok = kind == EK_VEC_UINT ? get_uint(pp[j].value, kind_max(f), &x->value.u, kk, eb, el)
                          : kind == EK_VEC_BOOL ? get_bool(pp[j].value, &x->value.b, kk, eb, el)
                                                   : get_text(pp[j].value, x->value.text, EK_VEC_TEXT_MAX, kk, eb, el);
                if (!ok)
                    return false;
            }
        } else { /* error */
            if (cbor_isa_array(val)) {
                v->error_is_array = true;
                cbor_item_t **a = cbor_array_handle(val);
                if (cbor_array_size(val) == 0)
                    return fail(eb, el, "error: empty array");
                for (size_t j = 0; j < cbor_array_size(val); j++) {
                    char kk[32];
                    snprintf(kk, sizeof kk, "error[%zu]", j);
                    if (!read_error_map(a[j], v, kk, eb, el))
                        return false;
                }
            } else if (!read_error_map(val, v, "error", eb, el)) {
                return false;
            }
        }
    }
    return ek_vec_validate(v, eb, el);
}

bool ek_vec_decode(const uint8_t *p, size_t n, ek_vec *out, char *eb, size_t el)
{
    struct cbor_load_result res;
    ek_vec_init(out);
    cbor_item_t *root = cbor_load(p, n, &res);
    if (!root || res.error.code != CBOR_ERR_NONE) {
        if (root)
            cbor_decref(&root);
        return fail(eb, el, "cbor: not well-formed CBOR (error %d at octet %zu)", (int)res.error.code,
                    res.error.position);
    }
    bool ok;
    if (res.read != n)
        ok = fail(eb, el, "cbor: %zu trailing octet(s) after the manifest map", n - res.read);
    else
        ok = read_top(root, out, eb, el);
    cbor_decref(&root);
    if (!ok) {
        ek_vec_free(out);
        ek_vec_init(out);
    }
    return ok;
}

bool ek_vec_load(const char *path, ek_vec *out, char *eb, size_t el)
{
    char why[384] = "";
    ek_vec_init(out);
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(eb, el, "%s: %s", path, strerror(errno));
    uint8_t *buf = malloc(MAX_FILE);
    size_t n = buf ? fread(buf, 1, MAX_FILE, f) : 0;
    bool too_big = buf && n == MAX_FILE && fgetc(f) != EOF;
    bool rd_err = ferror(f);
    fclose(f);
    if (!buf)
        return fail(eb, el, "%s: out of memory", path);
    if (rd_err || too_big) {
        free(buf);
        return fail(eb, el, "%s: %s", path, too_big ? "larger than 1 MiB" : "read error");
    }
    bool ok = ek_vec_decode(buf, n, out, why, sizeof why);
    free(buf);
    if (!ok)
        return fail(eb, el, "%s: %s", path, why);
    /* id must equal the file stem */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t bl = strlen(base);
    if (bl < 5 || strcmp(base + bl - 5, ".cbor") || strlen(out->id) != bl - 5 || strncmp(base, out->id, bl - 5)) {
        fail(eb, el, "%s: id: '%s' does not match the file name (want <id>.cbor)", path, out->id);
        ek_vec_free(out);
        return false;
    }
    return true;
}

/* ---- CBOR writing ---- */

static cbor_item_t *build_uint(uint64_t x)
{
    if (x <= UINT8_MAX)
        return cbor_build_uint8((uint8_t)x);
    if (x <= UINT16_MAX)
        return cbor_build_uint16((uint16_t)x);
    if (x <= UINT32_MAX)
        return cbor_build_uint32((uint32_t)x);
    return cbor_build_uint64(x);
}

static bool put(cbor_item_t *m, const char *key, cbor_item_t *val)
{
    if (!val)
        return false;
    cbor_item_t *k = cbor_build_string(key);
    if (!k) {
        cbor_decref(&val);
        return false;
    }
    bool ok = cbor_map_add(m, (struct cbor_pair){ .key = cbor_move(k), .value = cbor_move(val) });
    return ok;
}

static cbor_item_t *build_error(const ek_vec_error *e)
{
    cbor_item_t *m = cbor_new_definite_map(3);
    if (!m)
        return NULL;
    bool ok = put(m, "code", cbor_build_string(ek_status_name(e->code))) && put(m, "field", cbor_build_string(e->field))
              && put(m, "offset", build_uint(e->offset));
    if (!ok)
        cbor_decref(&m);
    return m;
}

bool ek_vec_encode(const ek_vec *v, uint8_t **out, size_t *outlen, char *eb, size_t el)
{
    *out = NULL;
    *outlen = 0;
    if (!ek_vec_validate(v, eb, el))
        return false;
    size_t nkeys = 7 + (v->has_profile ? 1 : 0) + (v->n_errors ? 1 : 0);
    cbor_item_t *m = cbor_new_definite_map(nkeys);
    cbor_item_t *refs = cbor_new_definite_array(v->n_refs);
    cbor_item_t *exp = cbor_new_definite_map(v->n_expect);
    bool ok = m && refs && exp;
    for (unsigned i = 0; ok && i < v->n_refs; i++)
        ok = cbor_array_push(refs, cbor_move(cbor_build_string(v->refs[i])));
    for (unsigned i = 0; ok && i < v->n_expect; i++) {
        const ek_vec_value *x = &v->expect[i].value;
        cbor_item_t *val = x->kind == EK_VEC_UINT ? build_uint(x->u)
                           : x->kind == EK_VEC_BOOL ? cbor_build_bool(x->b)
                                                    : cbor_build_string(x->text);
        ok = put(exp, v->expect[i].key, val);
    }
    ok = ok && put(m, "id", cbor_build_string(v->id)) && put(m, "description", cbor_build_string(v->description))
         && put(m, "refs", refs) && put(m, "linktype", build_uint(v->linktype))
         && put(m, "frame", cbor_build_bytestring(v->frame, v->frame_len))
         && put(m, "wellformed", cbor_build_bool(v->wellformed));
    refs = NULL;
    if (ok && v->has_profile) {
        unsigned nctx = ek_vec_n_contexts(v);
        cbor_item_t *p = cbor_new_definite_map(3 + (nctx ? 1 : 0) + (v->n_keys ? 1 : 0));
        ok = p && put(p, "ep_type", build_uint(v->ep_type)) && put(p, "ep_profile", cbor_build_string(v->ep_profile))
             && put(p, "ie_profile", cbor_build_string(v->ie_profile));
        if (ok && nctx) {
            /* after "ie_profile", ascending N: the canonical form read_contexts accepts */
            cbor_item_t *ca = cbor_new_definite_array(nctx);
            for (unsigned i = 0; ca && ok && i < EK_LOWPAN_CONTEXTS; i++) {
                char t[8 + EK_VEC_CONTEXT_MAX];
                if (!v->contexts[i][0])
                    continue;
                snprintf(t, sizeof t, "%u=%s", i, v->contexts[i]);
                cbor_item_t *s = cbor_build_string(t);
                ok = s && cbor_array_push(ca, cbor_move(s));
            }
            if (ok && ca)
                ok = put(p, "contexts", ca); /* put owns ca from here, even on failure */
            else if (ca)
                cbor_decref(&ca);
            ok = ok && ca;
        }
        if (ok && v->n_keys) {
            /* after "contexts", ascending key_index, each map name, key, key_index */
            cbor_item_t *ka = cbor_new_definite_array(v->n_keys);
            for (unsigned i = 0; ka && ok && i < v->n_keys; i++) {
                const ek_vec_key *k = &v->keys[i];
                cbor_item_t *km = cbor_new_definite_map(3);
                ok = km && put(km, "name", cbor_build_string(k->name))
                     && put(km, "key", cbor_build_bytestring(k->key, EK_VEC_KEY_LEN))
                     && put(km, "key_index", build_uint(k->key_index)) && cbor_array_push(ka, km);
                if (km)
                    cbor_decref(&km); /* the array holds its own reference */
            }
            if (ok && ka)
                ok = put(p, "keys", ka);
            else if (ka)
                cbor_decref(&ka);
            ok = ok && ka;
        }
        ok = ok && put(m, "profile", p);
        if (!ok && p)
            cbor_decref(&p);
    }
    ok = ok && put(m, "expect", exp);
    exp = NULL;
    if (ok && v->n_errors) {
        cbor_item_t *e;
        if (v->n_errors == 1 && !v->error_is_array) {
            e = build_error(&v->errors[0]);
        } else {
            e = cbor_new_definite_array(v->n_errors);
            for (unsigned i = 0; e && i < v->n_errors; i++) {
                cbor_item_t *one = build_error(&v->errors[i]);
                if (!one || !cbor_array_push(e, cbor_move(one))) {
                    cbor_decref(&e);
                    break;
                }
            }
        }
        ok = put(m, "error", e);
    }
    if (ok) {
        unsigned char *buf = NULL;
        size_t cap = 0;
        size_t len = cbor_serialize_alloc(m, &buf, &cap);
        if (len == 0) {
            ok = false;
        } else {
            *out = buf;
            *outlen = len;
        }
    }
    if (m)
        cbor_decref(&m);
    if (refs)
        cbor_decref(&refs);
    if (exp)
        cbor_decref(&exp);
    if (!ok)
        return fail(eb, el, "cbor: cannot build the manifest (out of memory)");
    return true;
}

bool ek_vec_save(const char *path, const ek_vec *v, char *eb, size_t el)
{
    uint8_t *buf;
    size_t n;
    char why[384];
    if (!ek_vec_encode(v, &buf, &n, why, sizeof why))
        return fail(eb, el, "%s: %s", path, why);
    FILE *f = fopen(path, "wb");
    if (!f) {
        free(buf);
        return fail(eb, el, "%s: %s", path, strerror(errno));
    }
    bool ok = fwrite(buf, 1, n, f) == n;
    ok = (fclose(f) == 0) && ok;
    free(buf);
    if (!ok)
        return fail(eb, el, "%s: write failed: %s", path, strerror(errno));
    return true;
}

/* ---- directory ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void ek_vec_paths_free(ek_vec_paths *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        free(p->path[i]);
    free(p->path);
    p->path = NULL;
    p->n = 0;
}

bool ek_vec_list_dir(const char *dir, ek_vec_paths *out, char *eb, size_t el)
{
    out->path = NULL;
    out->n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return fail(eb, el, "%s: %s", dir, strerror(errno));
    size_t cap = 0;
    struct dirent *de;
    bool ok = true;
    while ((de = readdir(d)) != NULL) {
        size_t nl = strlen(de->d_name);
        if (de->d_name[0] == '.' || nl < 6 || strcmp(de->d_name + nl - 5, ".cbor"))
            continue;
        size_t pl = strlen(dir) + 1 + nl + 1;
        char *p = malloc(pl);
        if (!p) {
            ok = false;
            break;
        }
        snprintf(p, pl, "%s/%s", dir, de->d_name);
        struct stat st;
        if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(p);
            continue;
        }
        if (out->n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **np = realloc(out->path, nc * sizeof *np);
            if (!np) {
                free(p);
                ok = false;
                break;
            }
            out->path = np;
            cap = nc;
        }
        out->path[out->n++] = p;
    }
    closedir(d);
    if (!ok) {
        ek_vec_paths_free(out);
        return fail(eb, el, "%s: out of memory", dir);
    }
    if (out->n)
        qsort(out->path, out->n, sizeof *out->path, cmp_str);
    return true;
}
