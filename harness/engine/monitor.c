/* SPDX-License-Identifier: BSD-3-Clause */
/* Passive monitors (ek/monitor.h): rules over every frame a node sends, judged on what
 * the codec decoded (ek_frame), never on raw bytes.  Pure: frames and times in,
 * findings out.  RFC 6550 §3.5.1, §6.7.1, §14; RFC 8180 §6.1; RFC 8137 §4-5;
 * RFC 9032 §2; draft-ietf-roll-enrollment-priority-16 §3.2. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ek/consts.h"
#include "ek/ie.h"
#include "ek/match.h"
#include "ek/minprio.h"
#include "ek/rpl.h"
#include "ek/monitor.h"

#define INFINITE_RANK 0xffffu            /* RFC 6550 §17 */
#define DEFAULT_MHRI 256u                /* RFC 6550 §17 DEFAULT_MIN_HOP_RANK_INCREASE */
#define NS_PER_MS UINT64_C(1000000)

/* ---- findings ---------------------------------------------------------------------- */

typedef struct sink {
    ek_monitor_finding *out;
    size_t cap, n;
} sink;

#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static void add(sink *s, const char *rule, const char *req, const char *section, ek_monitor_severity sev,
                const char *fmt, ...)
{
    if (s->n >= s->cap || s->n >= EK_MONITOR_MAX_FINDINGS)
        return;
    ek_monitor_finding *f = &s->out[s->n++];
    f->rule = rule;
    f->req = req;
    f->section = section;
    f->severity = sev;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->msg, sizeof f->msg, fmt, ap);
    va_end(ap);
}

static void fmt_ext(const uint8_t e[8], char out[24])
{
    snprintf(out, 24, "%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x", e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7]);
}

static unsigned long long ms_of(uint64_t ns)
{
    return (unsigned long long)(ns / NS_PER_MS);
}

/* t - then, 0 when `then` is not before t (frames handed over out of order). */
static uint64_t age(uint64_t t, uint64_t then)
{
    return t > then ? t - then : 0;
}

static uint64_t grace_ns(const ek_monitor *m)
{
    return ((uint64_t)m->cfg.eb_period_ms + m->cfg.slack_ms) * NS_PER_MS;
}

/* ---- change histories ---------------------------------------------------------------- */

static void hist_note(ek_monitor_hist *h, uint64_t t, bool has, uint16_t v)
{
    if (h->n > 0) {
        unsigned last = (h->n - 1) % EK_MONITOR_HISTORY;
        if (h->has[last] == has && (!has || h->v[last] == v))
            return;
    }
    unsigned i = h->n % EK_MONITOR_HISTORY;
    h->t_ns[i] = t;
    h->has[i] = has;
    h->v[i] = has ? v : 0;
    h->n++;
}

/* The values in force during [t - w, t], newest first, into idx[] (history indexes).
 * Returns false when the window reaches back before the first change remembered (no
 * value known then: nothing seen yet, or forgotten), true otherwise. */
static bool hist_window(const ek_monitor_hist *h, uint64_t t, uint64_t w, unsigned idx[EK_MONITOR_HISTORY],
                        unsigned *n_idx)
{
    *n_idx = 0;
    unsigned kept = h->n < EK_MONITOR_HISTORY ? h->n : EK_MONITOR_HISTORY;
    for (unsigned k = 0; k < kept; k++) {
        unsigned i = (h->n - 1 - k) % EK_MONITOR_HISTORY;
        idx[(*n_idx)++] = i;
        if (age(t, h->t_ns[i]) > w)
            return true; /* set before the window opened: in force at its start */
    }
    return false;
}

/* ---- setup and accessors ------------------------------------------------------------- */

void ek_monitor_init(ek_monitor *m, const ek_monitor_cfg *cfg)
{
    memset(m, 0, sizeof *m);
    m->cfg = *cfg;
}

void ek_monitor_reset(ek_monitor *m)
{
    ek_monitor_cfg cfg = m->cfg;
    ek_monitor_init(m, &cfg);
}

const char *ek_monitor_rule_name(unsigned i)
{
    static const char *const names[EK_MON_N_RULES] = {
        "copied-option", "rank-increase", "ji-framing", "ji-reserved", "ji-declared", "proxy-below-min", "join-metric",
    };
    return i < EK_MON_N_RULES ? names[i] : NULL;
}

uint8_t ek_monitor_join_metric_for(uint16_t rank, uint16_t mhri)
{
    unsigned dag = rank / (mhri ? mhri : DEFAULT_MHRI); /* RFC 6550 §3.5.1 DAGRank() */
    return (uint8_t)(dag == 0 ? 0 : dag - 1 > 0xff ? 0xff : dag - 1);
}

bool ek_monitor_node_rank(const ek_monitor *m, uint16_t *rank)
{
    if (m->has_dio && rank)
        *rank = m->rank;
    return m->has_dio;
}

bool ek_monitor_node_min(const ek_monitor *m, uint8_t *min_priority)
{
    bool ok = m->has_dio && m->has_min;
    if (ok && min_priority)
        *min_priority = m->min_priority;
    return ok;
}

static bool same_dodag(const ek_monitor *m, const ek_monitor_neighbour *n)
{
    return n->instance == m->instance && memcmp(n->dodagid, m->dodagid, 16) == 0;
}

uint16_t ek_monitor_mhri(const ek_monitor *m)
{
    if (m->own_mhri)
        return m->own_mhri;
    /* The lowest-rank neighbour that told us one; of the node's DODAG when one matches. */
    for (int pass = m->has_dio ? 0 : 1; pass < 2; pass++) {
        const ek_monitor_neighbour *best = NULL;
        for (unsigned i = 0; i < EK_MONITOR_MAX_NEIGHBOURS; i++) {
            const ek_monitor_neighbour *n = &m->nb[i];
            if (!n->used || !n->mhri || (pass == 0 && !same_dodag(m, n)))
                continue;
            if (!best || n->rank < best->rank)
                best = n;
        }
        if (best)
            return best->mhri;
    }
    return m->cfg.min_hop_rank_inc ? m->cfg.min_hop_rank_inc : DEFAULT_MHRI;
}

/* ---- what a DIO carries ------------------------------------------------------------- */

/* MinHopRankIncrease of the frame's DODAG Configuration option (RFC 6550 §6.7.6), 0 if
 * none (0 itself is unusable as a divisor and read as none). */
static uint16_t dio_mhri(const ek_frame *f)
{
    for (unsigned i = 0; i < f->rpl.n_opts && i < EK_RPL_MAX_OPTS; i++) {
        const ek_rpl_opt *o = &f->rpl.opts[i];
        if (o->kind == EK_RPL_OPTK_DODAG_CONF && o->err.code == EK_OK)
            return o->u.conf.min_hop_rank_inc;
    }
    return 0;
}

static bool is_dio(const ek_frame *f)
{
    return f->sum.has_dio && f->has_rpl;
}

static void frame_source(const ek_frame *f, uint8_t ext[8])
{
    if (f->sum.has_src64)
        memcpy(ext, f->sum.src64, 8);
    else if (f->sum.has_ipv6)
        memcpy(ext, f->sum.ip_src + 8, 8); /* the link-local IID stands for the node */
    else
        memset(ext, 0, 8);
}

/* ---- neighbours ------------------------------------------------------------------------ */

/* The enrollment option a DIO carries (valid), or NULL. */
static const ek_minprio *dio_mep(const ek_frame *f)
{
    for (unsigned i = 0; f->has_rpl && i < f->rpl.n_opts && i < EK_RPL_MAX_OPTS; i++)
        if (f->rpl.opts[i].kind == EK_RPL_OPTK_MEP && f->rpl.opts[i].err.code == EK_OK)
            return &f->rpl.opts[i].u.mep;
    return NULL;
}

void ek_monitor_nb_prepare(const ek_frame *f, ek_monitor_nbdio *d)
{
    memset(d, 0, sizeof *d);
    d->is_dio = is_dio(f);
    if (!d->is_dio)
        return;
    frame_source(f, d->ext);
    /* A DIO with a broken option may be discarded whole by the node (RFC 6550 §6.7.1
     * framing), so its rank and DODAG are not learnt - only the option types it carried. */
    d->whole = f->has_rpl && f->rpl.n_opt_errors == 0;
    d->rank = f->sum.rank;
    d->instance = f->sum.instance_id;
    memcpy(d->dodagid, f->sum.dodagid, 16);
    d->mhri = dio_mhri(f);
    const ek_minprio *o = dio_mep(f);
    d->has_mep = o != NULL;
    if (o) {
        d->min_priority = o->min_priority;
        d->has_version = o->has_version;
        d->version = o->version;
    }
    for (unsigned i = 0; i < f->rpl.n_opts && i < EK_RPL_MAX_OPTS; i++) {
        const ek_rpl_opt *op = &f->rpl.opts[i];
        if (op->kind == EK_RPL_OPTK_PAD1 || op->kind == EK_RPL_OPTK_PADN)
            continue;
        bool raw_unknown = op->kind == EK_RPL_OPTK_RAW && op->err.code == EK_OK && op->type != EK_RPL_OPT_TARGET_DESC;
        bool seen = false;
        for (unsigned k = 0; k < d->n_types && !seen; k++)
            seen = d->types[k] == op->type;
        if (seen || d->n_types >= EK_RPL_MAX_OPTS)
            continue;
        d->types[d->n_types] = op->type;
        d->type_raw_unknown[d->n_types] = raw_unknown;
        d->n_types++;
    }
}

/* An option type the node does not implement (RFC 6550 §6.7.1 "not recognized"): one the
 * codec kept raw though it decoded fine (so not a known type with bad data), except
 * RFC 6550's Target Descriptor (§6.7.11), which the codec keeps raw on purpose; and the
 * enrollment type when the node lacks that capability (decoded as MEP, or raw when its
 * data did not fit the profile). */
static bool nb_not_implemented(const ek_monitor *m, const ek_monitor_nbdio *d, unsigned k)
{
    if (m->cfg.prof.mep_type != 0 && d->types[k] == m->cfg.prof.mep_type)
        return !m->cfg.implements_mep;
    return d->type_raw_unknown[k];
}

/* Whether the sender of this DIO is the node's likely parent: no other neighbour of the
 * same DODAG known with a lower rank than this DIO states. */
static bool nb_likely_parent(const ek_monitor *m, const ek_monitor_nbdio *d, uint64_t key)
{
    for (unsigned i = 0; i < EK_MONITOR_MAX_NEIGHBOURS; i++) {
        /* the packed rank first: it rules most entries out */
        if (!(m->nb_used & (1u << i)) || m->nb_rank[i] >= d->rank || m->nb_key[i] == key)
            continue;
        const ek_monitor_neighbour *n = &m->nb[i];
        if (n->instance == d->instance && memcmp(n->dodagid, d->dodagid, 16) == 0)
            return false;
    }
    return true;
}

void ek_monitor_neighbour_dio(ek_monitor *m, const ek_monitor_nbdio *d, uint64_t frame_no, uint64_t t_ns)
{
    if (!d->is_dio)
        return;
    uint64_t key;
    memcpy(&key, d->ext, 8);
    ek_monitor_neighbour *n = NULL;
    int slot = -1, free_slot = -1;
    for (unsigned i = 0; d->whole && i < EK_MONITOR_MAX_NEIGHBOURS; i++) {
        if (m->nb_used & (1u << i)) {
            if (m->nb_key[i] == key) {
                slot = (int)i;
                break;
            }
        } else if (free_slot < 0) {
            free_slot = (int)i;
        }
    }
    if (slot >= 0) {
        n = &m->nb[slot];
    } else if (d->whole && free_slot >= 0) {
        m->nb_changed_since = true;
        m->t_nb_since_ns = t_ns;
        slot = free_slot;
        n = &m->nb[slot];
        memset(n, 0, sizeof *n);
        n->used = true;
        memcpy(n->ext, d->ext, 8);
        n->rank = n->prev_rank = d->rank;
        n->t_rank_ns = t_ns;
        m->nb_used |= 1u << slot;
        m->nb_key[slot] = key;
        m->nb_rank[slot] = d->rank;
    }
    if (n) {
        if (n->rank != d->rank || (d->mhri && d->mhri != n->mhri)) {
            m->nb_changed_since = true;
            m->t_nb_since_ns = t_ns;
        }
        if (n->rank != d->rank) {
            n->prev_rank = n->rank;
            n->t_rank_ns = t_ns;
        }
        n->rank = d->rank;
        m->nb_rank[slot] = d->rank;
        n->instance = d->instance;
        if (memcmp(n->dodagid, d->dodagid, 16) != 0)
            memcpy(n->dodagid, d->dodagid, 16);
        if (d->mhri)
            n->mhri = d->mhri;
    } else if (d->whole) {
        m->nb_dropped++;
    }

    if (m->cfg.implements_mep && nb_likely_parent(m, d, key)) {
        /* a minimum the node may already have adopted and shown in its EBs before its next
         * DIO says so: from its likely parent only, in a version not older than its own,
         * and 0x40 (draft-16 §4.1) for a DIO without the option */
        bool has_ref = m->has_nb_ver || m->has_node_ver;
        uint8_t ref = m->has_nb_ver ? m->nb_ver : m->node_ver;
        bool older = d->has_mep && d->has_version && has_ref && ek_rpl_lollipop_cmp(ref, d->version) == 1;
        uint8_t v = d->has_mep ? d->min_priority : EK_MEP_PRIO_DEFAULT;
        if (!older) {
            if (!m->has_nb_min_since || v < m->nb_min_since)
                m->nb_min_since = v;
            m->has_nb_min_since = true;
            m->t_nb_since_ns = t_ns;
            if (d->has_mep && d->has_version) {
                m->nb_ver = d->version;
                m->has_nb_ver = true;
            }
        }
    }

    for (unsigned k = 0; k < d->n_types; k++) {
        if (!nb_not_implemented(m, d, k))
            continue;
        bool known = false;
        for (unsigned h = 0; h < m->n_heard && !known; h++)
            known = m->heard[h].type == d->types[k];
        if (known)
            continue; /* the first neighbour heard sending it is the one named */
        if (m->n_heard >= EK_MONITOR_MAX_TYPES) {
            m->heard_dropped++;
            continue;
        }
        m->heard[m->n_heard].type = d->types[k];
        m->heard[m->n_heard].frame_no = frame_no;
        memcpy(m->heard[m->n_heard].from, d->ext, 8);
        m->n_heard++;
    }
}

void ek_monitor_neighbour_frame(ek_monitor *m, const ek_frame *f, uint64_t frame_no, uint64_t t_ns)
{
    ek_monitor_nbdio d;
    ek_monitor_nb_prepare(f, &d);
    ek_monitor_neighbour_dio(m, &d, frame_no, t_ns);
}

/* ---- rules on the node's DIOs -------------------------------------------------------- */

/* copied-option, EP-21: RFC 6550 §6.7.1 has a receiver ignore what it does not
 * recognise, so such an option can only be in the node's DIO if it was copied. */
bool ek_monitor_heard(const ek_monitor *m, uint8_t type, uint64_t *frame_no, uint8_t from[8])
{
    for (unsigned k = 0; k < m->n_heard; k++) {
        if (m->heard[k].type != type)
            continue;
        if (frame_no)
            *frame_no = m->heard[k].frame_no;
        if (from)
            memcpy(from, m->heard[k].from, 8);
        return true;
    }
    return false;
}

static void rule_copied_option(const ek_monitor *m, const ek_frame *f, sink *s)
{
    uint8_t done[EK_RPL_MAX_OPTS];
    unsigned n_done = 0;
    for (unsigned i = 0; i < f->rpl.n_opts && i < EK_RPL_MAX_OPTS; i++) {
        const ek_rpl_opt *o = &f->rpl.opts[i];
        if (o->kind == EK_RPL_OPTK_PAD1 || o->kind == EK_RPL_OPTK_PADN)
            continue;
        bool dup = false;
        for (unsigned k = 0; k < n_done && !dup; k++)
            dup = done[k] == o->type;
        if (dup)
            continue;
        uint64_t no;
        uint8_t ext[8];
        if (!ek_monitor_heard(m, o->type, &no, ext))
            continue;
        char from[24];
        fmt_ext(ext, from);
        bool mep = m->cfg.prof.mep_type != 0 && o->type == m->cfg.prof.mep_type;
        /* Outside a closed world another stack may originate the same newer option type
         * (one the codec does not know): only the enrollment option of a node declared
         * without it is certainly a copy there. */
        ek_monitor_severity sev = m->cfg.closed_world || mep ? EK_MON_FAIL : EK_MON_INFO;
        add(s, "copied-option", "EP-21", "RFC 6550 §6.7.1", sev,
            "DIO carries option type 0x%02x heard from %s (frame %llu): %s must not be forwarded", o->type, from,
            (unsigned long long)no,
            mep ? "the enrollment option of a node without that capability" : "an unrecognized option");
        done[n_done++] = o->type;
    }
}

/* rank-increase: RFC 6550 §3.5.1 / §14, a rank at least MinHopRankIncrease above the
 * lowest neighbour of the same DODAG (RPLInstanceID + DODAGID), the node's only
 * possible parents when the harness plays every neighbour. */
static void rule_rank_increase(ek_monitor *m, const ek_frame *f, uint64_t t, sink *s)
{
    if (!m->cfg.closed_world || m->nb_dropped || f->sum.rank == INFINITE_RANK)
        return;
    uint64_t slack = (uint64_t)m->cfg.slack_ms * NS_PER_MS;
    const ek_monitor_neighbour *low = NULL;
    uint16_t low_rank = 0;
    for (unsigned i = 0; i < EK_MONITOR_MAX_NEIGHBOURS; i++) {
        const ek_monitor_neighbour *n = &m->nb[i];
        if (!n->used || n->instance != f->sum.instance_id || memcmp(n->dodagid, f->sum.dodagid, 16) != 0)
            continue;
        uint16_t r = n->rank;
        /* a rise the node may not have processed yet: the previous rank still counts */
        if (n->prev_rank < r && age(t, n->t_rank_ns) <= slack)
            r = n->prev_rank;
        if (r == INFINITE_RANK)
            continue;
        if (!low || r < low_rank) {
            low = n;
            low_rank = r;
        }
    }
    if (!low)
        return;
    unsigned mhri = ek_monitor_mhri(m);
    if (f->sum.rank <= mhri || (f->sum.has_ipv6 && memcmp(f->sum.ip_src, f->sum.dodagid, 16) == 0))
        return; /* the DODAG root (ROOT_RANK = MinHopRankIncrease, RFC 6550 §8.2.2.2): no parent */
    m->judged |= EK_MON_R_RANK_INCREASE;
    unsigned floor = (unsigned)low_rank + mhri;
    if (f->sum.rank >= floor)
        return;
    char from[24];
    fmt_ext(low->ext, from);
    add(s, "rank-increase", "", "RFC 6550 §3.5.1, §14", EK_MON_FAIL,
        "DIO rank %u < %u = rank %u of neighbour %s (lowest in instance %u of its DODAG) + MinHopRankIncrease %u",
        f->sum.rank, floor, low_rank, from, f->sum.instance_id, mhri);
}

/* ---- rules on the Join-Info IE ------------------------------------------------------- */

/* The IETF IE carrying the Join-Info subtype (RFC 8137 §4-5), NULL if none.  Same test as
 * the matcher's ji.length_ok (match.c). */
static const ek_ie_payload *ji_ie(const ek_frame *f, const ek_profile *prof)
{
    const ek_ie_list *l = &f->mac.ies;
    for (unsigned i = 0; i < l->n_pl && i < EK_IE_MAX_PAYLOAD; i++) {
        const ek_ie_payload *p = &l->pl[i];
        if (p->group == EK_IE_GROUP_IETF && p->has_subtype && p->subtype == prof->ji_subtype)
            return p;
    }
    return NULL;
}

/* ji-framing, EB-1/EB-2: RFC 9032 §2 content = 5 + 8P + N octets (subtype counted),
 * N <= 16; the codec refuses any other length (TRUNCATED / MALFORMED on the IE) and a
 * Length beyond the content breaks the IE list.  An EB whose list broke before any
 * Join-Info is judged too: a wrong Length can hide the IE itself (as the matcher does). */
static void rule_ji_framing(ek_monitor *m, const ek_frame *f, sink *s)
{
    const ek_ie_list *l = &f->mac.ies;
    const ek_ie_payload *p = ji_ie(f, &m->cfg.prof);
    if (p || (l->err.code != EK_OK && ek_frame_is_class(f, EK_CLASS_EB)))
        m->judged |= EK_MON_R_JI_FRAMING;
    const ek_err *e = NULL;
    if (p && (!p->has_ji || p->err.code != EK_OK))
        e = &p->err;
    else if (l->err.code != EK_OK && (p || ek_frame_is_class(f, EK_CLASS_EB)))
        e = &l->err;
    if (!e)
        return;
    const char *field = e->field ? e->field : "?";
    if (p)
        add(s, "ji-framing", "EB-1, EB-2", "RFC 9032 §2, RFC 8137 §4-5", EK_MON_FAIL,
            "%s (IETF IE at offset %zu, %zu content octets): %s %s at offset %zu; its Length must cover "
            "5 + 8P + N octets, N <= 16",
            e == &p->err ? "Join-Info IE does not decode" : "IE list breaks after the Join-Info IE", p->offset,
            p->content.len, field, ek_status_name(e->code), e->offset);
    else
        add(s, "ji-framing", "EB-1, EB-2", "RFC 9032 §2, RFC 8137 §4-5", EK_MON_FAIL,
            "EB IE list does not decode (%s %s at offset %zu) and shows no Join-Info IE: a wrong IE Length "
            "may hide it",
            field, ek_status_name(e->code), e->offset);
}

static void rule_ji_reserved(const ek_enroll_ie *ji, sink *s)
{
    if (ji->reserved)
        add(s, "ji-reserved", "EB-3", "RFC 9032 §2", EK_MON_INFO,
            "Join-Info reserved bits sent as 0x%02x, not 0 (receivers ignore them)", ji->reserved);
}

static void fmt_hex(const uint8_t *p, size_t n, char *out, size_t cap)
{
    size_t w = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && w + 3 <= cap; i++)
        w += (size_t)snprintf(out + w, cap - w, "%02x", p[i]);
}

/* ji-declared, EB-4/EB-8: only what the DUT profile declares is compared. */
static void rule_ji_declared(const ek_monitor *m, const ek_enroll_ie *ji, sink *s)
{
    const ek_monitor_cfg *c = &m->cfg;
    char a[40], b[40];
    if (c->has_network_id) {
        size_t want = c->network_id_len > 16 ? 16 : c->network_id_len;
        if (ji->network_id.len != want || memcmp(ji->network_id.p, c->network_id, want) != 0) {
            fmt_hex(ji->network_id.p, ji->network_id.len, a, sizeof a);
            fmt_hex(c->network_id, want, b, sizeof b);
            add(s, "ji-declared", "EB-4, EB-8", "RFC 9032 §2", EK_MON_FAIL,
                "Join-Info network ID %s%s (%zu octets) differs from the declared %s (%zu octets)",
                ji->network_id.len ? "0x" : "", ji->network_id.len ? a : "none", ji->network_id.len, b, want);
        }
    }
    if (c->jp_iid_mode == EK_MON_IID_NONE && ji->p) {
        fmt_hex(ji->jp_iid, 8, a, sizeof a);
        add(s, "ji-declared", "EB-4, EB-8", "RFC 9032 §2", EK_MON_FAIL,
            "Join-Info P = 1 with Join Proxy IID 0x%s, declared none (P = 0: the IID comes from the L2 address)", a);
    } else if (c->jp_iid_mode == EK_MON_IID_VALUE && (!ji->p || memcmp(ji->jp_iid, c->jp_iid, 8) != 0)) {
        fmt_hex(c->jp_iid, 8, b, sizeof b);
        if (!ji->p) {
            add(s, "ji-declared", "EB-4, EB-8", "RFC 9032 §2", EK_MON_FAIL,
                "Join-Info P = 0 (no Join Proxy IID), declared IID 0x%s", b);
        } else {
            fmt_hex(ji->jp_iid, 8, a, sizeof a);
            add(s, "ji-declared", "EB-4, EB-8", "RFC 9032 §2", EK_MON_FAIL,
                "Join-Info Join Proxy IID 0x%s differs from the declared 0x%s", a, b);
        }
    }
    if (c->has_pan_priority && ji->pan_prio != c->pan_priority)
        add(s, "ji-declared", "EB-4, EB-8", "RFC 9032 §2", EK_MON_FAIL,
            "Join-Info PAN priority 0x%02x differs from the declared 0x%02x", ji->pan_prio, c->pan_priority);
}

/* proxy-below-min, EP-15: draft-16 §3.2, the proxy priority is the adopted minimum plus
 * local considerations, so never below the minimum the node itself advertises. */
static void rule_proxy_below_min(ek_monitor *m, const ek_enroll_ie *ji, uint64_t t, sink *s)
{
    if (m->cfg.prof.mep != EK_MEP_DRAFT09 && m->cfg.prof.mep != EK_MEP_DRAFT16)
        return; /* draft-03 §2: a 6LR may raise the minimum it propagates apart from its JP base */
    unsigned idx[EK_MONITOR_HISTORY], n;
    uint64_t w = grace_ns(m);
    if (!hist_window(&m->min_hist, t, w, idx, &n))
        return; /* no DIO in force at the window's start */
    const ek_monitor_hist *h = &m->min_hist;
    unsigned low = 0;
    for (unsigned k = 0; k < n; k++) {
        if (!h->has[idx[k]])
            return; /* a DIO without the option in force: the 0x40 default is a TD's matter */
        if (k == 0 || h->v[idx[k]] < h->v[idx[low]])
            low = k;
    }
    uint8_t bound = (uint8_t)h->v[idx[low]];
    m->judged |= EK_MON_R_PROXY_BELOW_MIN;
    if (ji->proxy_prio >= bound)
        return;
    if (m->has_nb_min_since && ji->proxy_prio >= m->nb_min_since)
        return; /* a lower minimum from a neighbour since the node's latest DIO: maybe adopted */
    if (n == 1)
        add(s, "proxy-below-min", "EP-15", "draft-ietf-roll-enrollment-priority-16 §3.2", EK_MON_FAIL,
            "EB proxy priority 0x%02x < the minimum 0x%02x the node advertised in its DIO %llu ms earlier",
            ji->proxy_prio, bound, ms_of(age(t, m->t_dio_ns)));
    else
        add(s, "proxy-below-min", "EP-15", "draft-ietf-roll-enrollment-priority-16 §3.2", EK_MON_FAIL,
            "EB proxy priority 0x%02x < 0x%02x, the lowest minimum the node advertised within the last %llu ms "
            "(EB period + slack; latest DIO %llu ms earlier)",
            ji->proxy_prio, bound, ms_of(w), ms_of(age(t, m->t_dio_ns)));
}

/* join-metric, EB-13: RFC 8180 §6.1 Join Metric = DAGRank(rank) - 1. */
static void rule_join_metric(ek_monitor *m, const ek_frame *f, uint64_t t)
{
    unsigned idx[EK_MONITOR_HISTORY], n;
    uint64_t w = grace_ns(m);
    if (m->nb_changed_since)
        return; /* its next DIO will say which rank the EB's join metric may reflect */
    if (!hist_window(&m->rank_hist, t, w, idx, &n))
        return;
    const ek_monitor_hist *h = &m->rank_hist;
    uint16_t mhri = ek_monitor_mhri(m);
    uint8_t got = f->sum.join_metric;
    for (unsigned k = 0; k < n; k++) {
        uint16_t r = h->v[idx[k]];
        if (got == ek_monitor_join_metric_for(r, mhri) || (r == INFINITE_RANK && got == 0xff)) {
            /* 0xff for INFINITE_RANK: a detached node's "infinitely far", the largest metric */
            m->judged |= EK_MON_R_JOIN_METRIC;
            return;
        }
    }
    if (m->jm_pending)
        return; /* the first unexplained EB is the one reported */
    m->jm_pending = true;
    m->jm_got = got;
    m->jm_t_ns = t;
    uint16_t r = h->v[idx[0]];
    if (n == 1) {
        snprintf(m->jm_msg, sizeof m->jm_msg,
                 "EB join metric %u != %u = DAGRank(%u) - 1 for the rank in the node's DIO %llu ms before that EB "
                 "(MinHopRankIncrease %u)",
                 got, ek_monitor_join_metric_for(r, mhri), r, ms_of(age(t, m->t_dio_ns)), mhri);
    } else {
        char list[96];
        size_t wpos = 0;
        list[0] = '\0';
        for (unsigned k = 0; k < n && wpos + 16 < sizeof list; k++)
            wpos += (size_t)snprintf(list + wpos, sizeof list - wpos, "%s%u (rank %u)", k ? ", " : "",
                                     ek_monitor_join_metric_for(h->v[idx[k]], mhri), h->v[idx[k]]);
        snprintf(m->jm_msg, sizeof m->jm_msg,
                 "EB join metric %u is none of %s, DAGRank(rank) - 1 for the ranks the node advertised within "
                 "%llu ms before that EB (MinHopRankIncrease %u)",
                 got, list, ms_of(w), mhri);
    }
}

/* ---- the node ------------------------------------------------------------------------- */

static void learn_dio(ek_monitor *m, const ek_frame *f, uint64_t t)
{
    bool has_min = m->cfg.implements_mep && f->sum.has_mep;
    if (m->has_dio) {
        m->has_prev_dio = true;
        m->prev_rank = m->rank;
        m->prev_has_min = m->has_min;
        m->prev_min_priority = m->min_priority;
    }
    m->has_dio = true;
    m->rank = f->sum.rank;
    m->has_min = has_min;
    m->min_priority = has_min ? f->sum.min_priority : 0;
    m->instance = f->sum.instance_id;
    memcpy(m->dodagid, f->sum.dodagid, 16);
    m->t_dio_ns = t;
    const ek_minprio *o = dio_mep(f);
    m->has_node_ver = o && o->has_version;
    m->node_ver = m->has_node_ver ? o->version : 0;
    hist_note(&m->rank_hist, t, true, f->sum.rank);
    hist_note(&m->min_hist, t, has_min, m->min_priority);
}

size_t ek_monitor_node_frame(ek_monitor *m, const ek_frame *f, uint64_t t_ns, ek_monitor_finding *out, size_t cap)
{
    sink s = { .out = out, .cap = out ? cap : 0, .n = 0 };
    m->frames++;
    m->judged = 0;
    if (is_dio(f)) {
        m->dios++;
        /* the MinHopRankIncrease this very DIO states is the one its rank is built with */
        uint16_t mh = dio_mhri(f);
        if (mh)
            m->own_mhri = mh;
        rule_copied_option(m, f, &s);
        if (m->n_heard)
            m->judged |= EK_MON_R_COPIED_OPTION; /* something to copy was heard */
        rule_rank_increase(m, f, t_ns, &s);
    }
    if (f->has_mac) {
        if (ek_frame_is_class(f, EK_CLASS_EB))
            m->ebs++;
        rule_ji_framing(m, f, &s);
        const ek_enroll_ie *ji = ek_ie_find_ji(&f->mac.ies);
        if (ji) {
            rule_ji_reserved(ji, &s);
            m->judged |= EK_MON_R_JI_RESERVED;
            if (m->cfg.has_network_id || m->cfg.jp_iid_mode != EK_MON_IID_UNDECLARED || m->cfg.has_pan_priority)
                m->judged |= EK_MON_R_JI_DECLARED;
            rule_ji_declared(m, ji, &s);
            rule_proxy_below_min(m, ji, t_ns, &s);
        }
        if (f->sum.has_asn)
            rule_join_metric(m, f, t_ns);
    }
    if (is_dio(f)) {
        learn_dio(m, f, t_ns);
        /* its own DIO now says what it adopted - unless it crossed the neighbour's DIO on
         * the air (sent before that one could be processed) */
        if (t_ns >= m->t_nb_since_ns + (uint64_t)m->cfg.slack_ms * 1000000u) {
            m->has_nb_min_since = false;
            m->has_nb_ver = false;
            m->nb_changed_since = false;
        }
        if (m->jm_pending) {
            /* the EB may have shown this DIO's rank first: judged now */
            m->jm_pending = false;
            m->judged |= EK_MON_R_JOIN_METRIC;
            if (m->jm_got != ek_monitor_join_metric_for(m->rank, ek_monitor_mhri(m)))
                add(&s, "join-metric", "EB-13", "RFC 8180 §6.1", EK_MON_FAIL,
                    "%s, nor for rank %u in the node's next DIO, %llu ms after it", m->jm_msg, m->rank,
                    ms_of(age(t_ns, m->jm_t_ns)));
        }
    }
    return s.n;
}
