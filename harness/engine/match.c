/* SPDX-License-Identifier: BSD-3-Clause */
/* Conditions over decoded frames (docs/harness.md "Matcher keys"): the ek_fields table
 * (ek/fields.h) plus extra keys read from the decoded layers - the enrollment option
 * (draft-ietf-roll-enrollment-priority, RFC 6550 §6.7.1 framing) and the RFC 9032 §2
 * Join-Info IE.  Never looks at raw bytes: what we judge is what the codec decoded. */
#include <stdio.h>
#include <string.h>

#include "ek/coap.h"
#include "ek/consts.h"
#include "ek/fields.h"
#include "ek/engine.h"
#include "ek/match.h"

typedef enum xkey {
    X_MEP_VERSION, X_MEP_T, X_MEP_R, X_MEP_LENGTH, X_MEP_EXP, X_MEP_SIZE_CODE, X_MEP_SIZE,
    X_JI_RESERVED, X_JI_P, X_JI_R, X_JI_LENGTH_OK,
    X_SEC_SECURED, X_SEC_MIC_OK, X_SEC_LEVEL, X_SEC_FC, X_COUNT
} xkey;

static const char *const xkey_names[X_COUNT] = {
    "enroll.mep.version", "enroll.mep.t", "enroll.mep.r", "enroll.mep.length", "enroll.mep.exp", "enroll.mep.dodag_size_code", "enroll.mep.dodag_size",
    "enroll.ji.reserved", "enroll.ji.p", "enroll.ji.r", "enroll.decode.ji_length_ok",
    "wpan.security", "enroll.decode.mic_ok", "wpan.aux_sec.sec_level", "wpan.aux_sec.frame_counter",
};

static int xkey_find(const char *key)
{
    for (int i = 0; i < X_COUNT; i++)
        if (strcmp(key, xkey_names[i]) == 0)
            return i;
    return -1;
}

bool ek_match_key_known(const char *key)
{
    return key && (ek_field_find(key) != NULL || xkey_find(key) >= 0);
}

/* The first enrollment option of a DIO.  any_kind: also an option of the configured type
 * that failed to decode (kept RAW with its err) - its Length octet is still on the wire. */
static const ek_rpl_opt *find_mep(const ek_frame *f, const ek_profile *prof, bool any_kind)
{
    if (!f->has_rpl || !f->sum.has_dio)
        return NULL;
    for (unsigned i = 0; i < f->rpl.n_opts && i < EK_RPL_MAX_OPTS; i++) {
        const ek_rpl_opt *o = &f->rpl.opts[i];
        if (o->kind == EK_RPL_OPTK_MEP && o->err.code == EK_OK)
            return o;
        if (any_kind && prof->mep_type != 0 && o->type == prof->mep_type &&
            (o->kind == EK_RPL_OPTK_MEP || o->kind == EK_RPL_OPTK_RAW))
            return o;
    }
    return NULL;
}

/* IEEE 802.15.4-2015 §9.4: what the harness learnt while unprotecting (sec), or the
 * frame's own Auxiliary Security Header when nothing was verified. */
static bool sec_value(int k, const ek_frame *f, const ek_frame_sec *sec, uint64_t *v)
{
    ek_frame_sec own;
    if (!sec) {
        memset(&own, 0, sizeof own);
        own.secured = f->has_mac && f->mac.security;
        own.level = own.secured ? f->mac.sec.level : 0;
        own.has_fc = own.secured && !f->mac.sec.fc_suppressed;
        own.frame_counter = own.has_fc ? f->mac.sec.frame_counter : 0;
        sec = &own;
    }
    switch (k) {
    case X_SEC_SECURED: *v = sec->secured; return f->has_mac || sec->secured;
    case X_SEC_MIC_OK: *v = sec->mic_ok; return sec->secured && sec->checked;
    case X_SEC_LEVEL: *v = sec->level; return sec->secured;
    case X_SEC_FC: *v = sec->frame_counter; return sec->secured && sec->has_fc;
    default: return false;
    }
}

static bool xkey_value(int k, const ek_frame *f, const ek_frame_sec *sec, const ek_profile *prof, uint64_t *v)
{
    if (k >= X_SEC_SECURED)
        return sec_value(k, f, sec, v);
    if (k <= X_MEP_SIZE) {
        const ek_rpl_opt *o = find_mep(f, prof, k == X_MEP_LENGTH);
        if (!o)
            return false;
        const ek_minprio *m = &o->u.mep;
        switch (k) {
        case X_MEP_LENGTH: *v = o->length; return true;
        case X_MEP_VERSION: *v = m->version; return m->has_version;
        case X_MEP_T: *v = m->t; return m->has_version;   /* T exists with Version (-09, -16) */
        case X_MEP_R: *v = m->r; return !m->has_version;  /* R exists in -03/-04 only */
        case X_MEP_EXP: *v = m->exp; return m->has_size;
        case X_MEP_SIZE_CODE: *v = m->size_code; return m->has_size;
        case X_MEP_SIZE: *v = m->dodag_size; return m->has_size;
        default: return false;
        }
    }
    if (!f->has_mac)
        return false;
    const ek_ie_list *l = &f->mac.ies;
    if (k == X_JI_LENGTH_OK) {
        /* RFC 8137 §4 / RFC 9032 §2: the IETF IE's Length must cover exactly the Join-Info
         * content.  Present for a frame carrying a Join-Info IETF IE, and for an EB whose
         * IE list broke (a wrong Length may hide the IE itself). */
        for (unsigned i = 0; i < l->n_pl && i < EK_IE_MAX_PAYLOAD; i++) {
            const ek_ie_payload *p = &l->pl[i];
            if (p->group == EK_IE_GROUP_IETF && p->has_subtype && p->subtype == prof->ji_subtype) {
                *v = p->has_ji && p->err.code == EK_OK && l->err.code == EK_OK;
                return true;
            }
        }
        if (l->err.code != EK_OK && ek_frame_is_class(f, EK_CLASS_EB)) {
            *v = 0;
            return true;
        }
        return false;
    }
    const ek_enroll_ie *ji = ek_ie_find_ji(l);
    if (!ji)
        return false;
    switch (k) {
    case X_JI_RESERVED: *v = ji->reserved; return true;
    case X_JI_P: *v = ji->p; return true;
    case X_JI_R: *v = ji->r; return true;
    default: return false;
    }
}

static uint64_t be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

bool ek_match_value(const ek_frame *f, const ek_profile *prof, const char *key, uint64_t *v, bool *comparable)
{
    return ek_match_value_sec(f, NULL, prof, key, v, comparable);
}

bool ek_match_value_sec(const ek_frame *f, const ek_frame_sec *sec, const ek_profile *prof, const char *key,
                        uint64_t *v, bool *comparable)
{
    *v = 0;
    *comparable = true;
    int k = xkey_find(key);
    if (k >= 0)
        return xkey_value(k, f, sec, prof, v);
    const ek_field *fd = ek_field_find(key);
    if (!fd || !ek_field_present(fd, &f->sum))
        return false;
    const unsigned char *p = (const unsigned char *)&f->sum + fd->val_off;
    switch (fd->kind) {
    case EK_FIELD_BOOL: { bool b; memcpy(&b, p, sizeof b); *v = b; break; }
    case EK_FIELD_U8: *v = *p; break;
    case EK_FIELD_U16: { uint16_t x; memcpy(&x, p, sizeof x); *v = x; break; }
    case EK_FIELD_U64: { uint64_t x; memcpy(&x, p, sizeof x); *v = x; break; }
    case EK_FIELD_EUI64:
    case EK_FIELD_HEX8: *v = be64(p); break;
    case EK_FIELD_IPV6:
    case EK_FIELD_VIEW: *comparable = false; break;
    }
    return true;
}

const char *ek_op_name(ek_op op)
{
    static const char *const n[] = { "==", "!=", "<", "<=", ">", ">=", "present", "absent" };
    return (unsigned)op < sizeof n / sizeof n[0] ? n[op] : "?";
}

/* The relation that holds when `op` does not. */
static ek_op negate(ek_op op)
{
    static const ek_op n[] = { EK_OP_NE, EK_OP_EQ, EK_OP_GE, EK_OP_GT, EK_OP_LE, EK_OP_LT, EK_OP_ABSENT, EK_OP_PRESENT };
    return (unsigned)op < sizeof n / sizeof n[0] ? n[op] : op;
}

bool ek_frame_is_class(const ek_frame *f, ek_frame_class cls)
{
    switch (cls) {
    case EK_CLASS_ANY: return true;
    case EK_CLASS_DIO: return f->sum.has_dio;
    case EK_CLASS_EB:
        /* IEEE 802.15.4-2015 §7.3.1.4: an Enhanced Beacon is a version 2 beacon frame */
        return f->sum.has_mac && f->sum.frame_type == EK_WPAN_FT_BEACON && f->sum.frame_version == EK_WPAN_VER_2015;
    case EK_CLASS_COAP:
        /* RFC 7252 §12.6: the default CoAP port, either way */
        return f->has_net && f->net.has_udp &&
               (f->net.udp.dst_port == EK_COAP_PORT || f->net.udp.src_port == EK_COAP_PORT);
    }
    return false;
}

const char *ek_frame_class_name(ek_frame_class cls)
{
    return cls == EK_CLASS_DIO ? "DIO" : cls == EK_CLASS_EB ? "EB" : cls == EK_CLASS_COAP ? "CoAP frame" : "frame";
}

/* Priorities, PAN IDs and flag octets read best in hex, counts and ranks in decimal. */
static void fmt_value(const char *key, uint64_t v, char *buf, size_t n)
{
    const ek_field *fd = ek_field_find(key);
    if (fd && (fd->kind == EK_FIELD_EUI64 || fd->kind == EK_FIELD_HEX8)) {
        snprintf(buf, n, "%016llx", (unsigned long long)v);
        return;
    }
    const char *leaf = strrchr(key, '.') ? strrchr(key, '.') + 1 : key;
    if (strstr(leaf, "priority") || strcmp(leaf, "dst_pan") == 0 || strcmp(leaf, "src_pan") == 0 ||
        strcmp(key, "enroll.ji.reserved") == 0)
        snprintf(buf, n, v > 0xff ? "0x%04llx" : "0x%02llx", (unsigned long long)v);
    else
        snprintf(buf, n, "%llu", (unsigned long long)v);
}

static bool holds(ek_op op, uint64_t a, uint64_t b)
{
    switch (op) {
    case EK_OP_EQ: return a == b;
    case EK_OP_NE: return a != b;
    case EK_OP_LT: return a < b;
    case EK_OP_LE: return a <= b;
    case EK_OP_GT: return a > b;
    case EK_OP_GE: return a >= b;
    case EK_OP_PRESENT: return true;
    case EK_OP_ABSENT: return false;
    }
    return false;
}

static bool cond_eval(const ek_cond *c, const ek_frame *f, const ek_frame_sec *sec, const ek_profile *prof,
                      char *why, size_t whylen);

bool ek_cond_eval(const ek_cond *c, const ek_frame *f, const ek_profile *prof, char *why, size_t whylen)
{
    return cond_eval(c, f, NULL, prof, why, whylen);
}

static bool cond_eval(const ek_cond *c, const ek_frame *f, const ek_frame_sec *sec, const ek_profile *prof,
                      char *why, size_t whylen)
{
    char want[32], got[32];
    uint64_t v;
    bool comparable;
    if (!ek_match_key_known(c->field)) {
        snprintf(why, whylen, "unknown field '%s'", c->field ? c->field : "(null)");
        return false;
    }
    bool present = ek_match_value_sec(f, sec, prof, c->field, &v, &comparable);
    if (c->op == EK_OP_ABSENT || c->op == EK_OP_PRESENT) {
        bool ok = present == (c->op == EK_OP_PRESENT);
        if (present && comparable) {
            fmt_value(c->field, v, got, sizeof got);
            snprintf(why, whylen, "%s present (%s)", c->field, got);
        } else {
            snprintf(why, whylen, present ? "%s present" : "no %s", c->field);
        }
        return ok;
    }
    if (!present) {
        snprintf(why, whylen, "no %s", c->field);
        return false;
    }
    if (!comparable) {
        snprintf(why, whylen, "%s is not a number (only present/absent apply)", c->field);
        return false;
    }
    bool ok = holds(c->op, v, c->value);
    fmt_value(c->field, v, got, sizeof got);
    fmt_value(c->field, c->value, want, sizeof want);
    snprintf(why, whylen, "%s %s %s %s", c->field, got, ek_op_name(ok ? c->op : negate(c->op)), want);
    return ok;
}

static bool conds_eval(const ek_match *m, const ek_frame *f, const ek_frame_sec *sec, const ek_profile *prof,
                       unsigned *n_ok, char *why, size_t whylen);

bool ek_conds_eval(const ek_match *m, const ek_frame *f, const ek_profile *prof, unsigned *n_ok, char *why,
                   size_t whylen)
{
    return conds_eval(m, f, NULL, prof, n_ok, why, whylen);
}

static bool conds_eval(const ek_match *m, const ek_frame *f, const ek_frame_sec *sec, const ek_profile *prof,
                       unsigned *n_ok, char *why, size_t whylen)
{
    char fact[96];
    size_t used = 0;
    unsigned ok = 0;
    bool all = true, first_fail_set = false;
    if (whylen)
        why[0] = '\0';
    for (unsigned i = 0; i < EK_MATCH_MAX_CONDS && m->conds[i].field; i++) {
        if (cond_eval(&m->conds[i], f, sec, prof, fact, sizeof fact)) {
            ok++;
            if (all && used + 1 < whylen) {   /* collect held facts while nothing failed */
                int w = snprintf(why + used, whylen - used, "%s%s", used ? ", " : "", fact);
                used = w < 0 ? used : used + (size_t)w >= whylen ? whylen - 1 : used + (size_t)w;
            }
        } else {
            all = false;
            if (!first_fail_set) {
                snprintf(why, whylen, "%s", fact);
                first_fail_set = true;
            }
        }
    }
    if (n_ok)
        *n_ok = ok;
    return all;
}

bool ek_match_frame(const ek_match *m, const struct ek_td_ctx *ctx, const ek_frame *f, const ek_profile *prof,
                    unsigned *n_ok, char *why, size_t whylen)
{
    if (n_ok)
        *n_ok = 0;
    if (!ek_frame_is_class(f, m->cls)) {
        snprintf(why, whylen, "not a%s %s", m->cls == EK_CLASS_EB ? "n" : "", ek_frame_class_name(m->cls));
        return false;
    }
    if (!conds_eval(m, f, ctx ? &ctx->frame_sec : NULL, prof, n_ok, why, whylen))
        return false;
    if (m->pred) {
        char pw[192];
        pw[0] = '\0';
        if (!m->pred(ctx, f, pw, sizeof pw)) {
            snprintf(why, whylen, "%s", pw[0] ? pw : "predicate failed");
            return false;
        }
        if (pw[0]) {   /* a passing predicate may say what it saw */
            size_t u = strlen(why);
            if (u + 1 < whylen)
                snprintf(why + u, whylen - u, "%s%s", u ? ", " : "", pw);
        }
        if (n_ok)
            (*n_ok)++;
    }
    return true;
}

void ek_match_describe(const ek_match *m, char *buf, size_t buflen)
{
    size_t u = 0;
    int w = snprintf(buf, buflen, "%s", ek_frame_class_name(m->cls));
    u = w < 0 ? 0 : (size_t)w;
    for (unsigned i = 0; i < EK_MATCH_MAX_CONDS && m->conds[i].field && u + 1 < buflen; i++) {
        const ek_cond *c = &m->conds[i];
        char want[32];
        if (c->op == EK_OP_PRESENT || c->op == EK_OP_ABSENT)
            w = snprintf(buf + u, buflen - u, "%s%s %s", i ? ", " : " with ", c->field, ek_op_name(c->op));
        else {
            fmt_value(c->field, c->value, want, sizeof want);
            w = snprintf(buf + u, buflen - u, "%s%s %s %s", i ? ", " : " with ", c->field, ek_op_name(c->op), want);
        }
        u = w < 0 ? u : u + (size_t)w;
    }
    if (m->pred && u + 1 < buflen)
        snprintf(buf + u, buflen - u, "%s", m->conds[0].field ? " and the TD's check" : " passing the TD's check");
}
