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
    uint32_t terse;            /* rules whose msg is not formatted (ek_monitor.terse) */
} sink;

static uint32_t rule_bit(const char *rule)
{
    for (unsigned i = 0; ek_monitor_rule_name(i); i++)
        if (strcmp(ek_monitor_rule_name(i), rule) == 0)
            return 1u << i;
    return 0;
}

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
    if (s->terse && (s->terse & rule_bit(rule))) {
        f->msg[0] = '\0';
        return;
    }
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

/* The lowest of hist_window's values, and how many there are: false when hist_window is,
 * or when one of them is absent.  One pass, and no branch on the values (random ones
 * defeat prediction). */
static bool hist_low(const ek_monitor_hist *h, uint64_t t, uint64_t w, uint16_t *low, unsigned *n_vals)
{
    unsigned kept = h->n < EK_MONITOR_HISTORY ? h->n : EK_MONITOR_HISTORY;
    uint16_t lo = 0xffff;
    bool all = true;
    for (unsigned k = 0; k < kept; k++) {
        unsigned i = (h->n - 1 - k) % EK_MONITOR_HISTORY;
        lo = h->v[i] < lo ? h->v[i] : lo;
        all &= h->has[i];
        if (age(t, h->t_ns[i]) > w) {
            *low = lo;
            *n_vals = k + 1;
            return all;
        }
    }
    return false;
}

/* ---- setup and accessors ------------------------------------------------------------- */

void ek_monitor_init(ek_monitor *m, const ek_monitor_cfg *cfg)
{
    memset(m, 0, sizeof *m);
    m->cfg = *cfg;
    m->own.cap = EK_MONITOR_MAX_NEIGHBOURS;
    m->own.mep_type = cfg->prof.mep_type;
}

/* A shared table stays the caller's: only the node's own state is forgotten. */
void ek_monitor_reset(ek_monitor *m)
{
    ek_monitor_cfg cfg = m->cfg;
    ek_monitor_nbtab *shared = m->shared;
    bool has_self = m->has_self;
    uint64_t self_key = m->self_key;
    ek_monitor_init(m, &cfg);
    m->shared = shared;
    m->has_self = has_self;
    m->self_key = self_key;
}

void ek_monitor_nbtab_init(ek_monitor_nbtab *t, ek_monitor_neighbour *store, size_t cap, uint8_t mep_type)
{
    memset(t, 0, sizeof *t);
    t->nb = store;
    t->cap = cap;
    t->mep_type = mep_type;
}

void ek_monitor_nbtab_reset(ek_monitor_nbtab *t)
{
    ek_monitor_nbtab_init(t, t->nb, t->cap, t->mep_type);
}

void ek_monitor_share(ek_monitor *m, ek_monitor_nbtab *t, const uint8_t self[8])
{
    m->shared = t;
    m->has_self = self != NULL;
    m->self_key = 0;
    if (self)
        memcpy(&m->self_key, self, 8);
}

/* The table the monitor reads and its entries (a monitor's own entries live in the
 * monitor itself, not behind own.nb, so a copied monitor stays valid). */
static const ek_monitor_nbtab *tab_of(const ek_monitor *m)
{
    return m->shared ? m->shared : &m->own;
}

static const ek_monitor_neighbour *entries_of(const ek_monitor *m)
{
    return m->shared ? m->shared->nb : m->own_nb;
}

/* Entry i of the monitor's table is one of its neighbours (not its own entry). */
static bool is_other(const ek_monitor *m, const ek_monitor_neighbour *n)
{
    return !m->has_self || n->key != m->self_key;
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
        const ek_monitor_neighbour *best = NULL, *nb = entries_of(m);
        for (size_t i = 0; i < tab_of(m)->n; i++) {
            const ek_monitor_neighbour *n = &nb[i];
            if (!n->mhri || !is_other(m, n) || (pass == 0 && !same_dodag(m, n)))
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

/* Whether option type `type`, as the table recorded it, is one the node does not
 * implement (RFC 6550 §6.7.1 "not recognized"): one the codec kept raw though it decoded
 * fine (so not a known type with bad data), except RFC 6550's Target Descriptor
 * (§6.7.11), which the codec keeps raw on purpose; and the enrollment type when the node
 * lacks that capability (decoded as MEP, or raw when its data did not fit the profile). */
static bool not_implemented(const ek_monitor *m, uint8_t type, bool raw_unknown)
{
    if (m->cfg.prof.mep_type != 0 && type == m->cfg.prof.mep_type)
        return !m->cfg.implements_mep;
    return raw_unknown;
}

static bool type_recorded(const ek_monitor_nbtab *t, const ek_monitor_nbdio *d, unsigned k)
{
    return d->type_raw_unknown[k] || (t->mep_type != 0 && d->types[k] == t->mep_type);
}

/* The option types of the DIO that some node may not implement, with their first two
 * senders (a node that sent the type first itself is named the other one). */
static void tab_note_types(ek_monitor_nbtab *t, const ek_monitor_nbdio *d, uint64_t frame_no)
{
    for (unsigned k = 0; k < d->n_types; k++) {
        if (!type_recorded(t, d, k))
            continue;
        unsigned h = 0;
        while (h < t->n_types && t->types[h].type != d->types[k])
            h++;
        if (h == t->n_types) {
            if (t->n_types >= EK_MONITOR_MAX_TYPES) {
                t->types_dropped++;
                continue;
            }
            memset(&t->types[h], 0, sizeof t->types[h]);
            t->types[h].type = d->types[k];
            t->n_types++;
        }
        t->types[h].raw_unknown |= d->type_raw_unknown[k];
        unsigned nf = t->types[h].n_from;
        if (nf >= 2 || (nf == 1 && memcmp(t->types[h].from[0], d->ext, 8) == 0))
            continue;
        t->types[h].frame_no[nf] = frame_no;
        memcpy(t->types[h].from[nf], d->ext, 8);
        t->types[h].n_from++;
    }
}

/* The table update behind ek_monitor_nbtab_dio; nb = t's entries. */
static void tab_dio(ek_monitor_nbtab *t, ek_monitor_neighbour *nb, const ek_monitor_nbdio *d, uint64_t frame_no,
                    uint64_t t_ns, ek_monitor_nbnews *news)
{
    memset(news, 0, sizeof *news);
    if (!d->is_dio)
        return;
    uint64_t key;
    memcpy(&key, d->ext, 8);
    ek_monitor_neighbour *n = NULL;
    if (d->slot_hint && d->slot_hint <= t->n && nb[d->slot_hint - 1].key == key)
        n = &nb[d->slot_hint - 1];
    /* One pass: the sender's entry, and the senders of its DODAG ranked below this DIO
     * (the sender is the likely parent of any node that knows none of them); two of
     * those are as many as matter. */
    for (size_t i = 0; i < t->n; i++) {
        ek_monitor_neighbour *e = &nb[i];
        if (e->key == key) {
            n = e;
            continue;
        }
        if (e->rank >= d->rank || e->instance != d->instance || memcmp(e->dodagid, d->dodagid, 16) != 0)
            continue;
        if (news->n_lower++ == 0) {
            news->lower_key = e->key;
        } else {
            news->n_lower = 2;
            if (n)
                break;
        }
    }
    /* A DIO with a broken option may be discarded whole by the node (RFC 6550 §6.7.1
     * framing), so its rank and DODAG are not learnt - only the option types it carried. */
    if (d->whole) {
        news->had = n != NULL;
        if (!n && t->n < t->cap) {
            news->changed = true;
            n = &nb[t->n++];
            memset(n, 0, sizeof *n);
            n->key = key;
            memcpy(n->ext, d->ext, 8);
            n->rank = n->prev_rank = d->rank;
            n->t_rank_ns = t_ns;
        }
        if (n) {
            news->prev_rank = n->rank;
            if (n->rank != d->rank || (d->mhri && d->mhri != n->mhri))
                news->changed = true;
            if (n->rank != d->rank) {
                n->prev_rank = n->rank;
                n->t_rank_ns = t_ns;
            }
            n->rank = d->rank;
            n->instance = d->instance;
            if (memcmp(n->dodagid, d->dodagid, 16) != 0)
                memcpy(n->dodagid, d->dodagid, 16);
            if (d->mhri)
                n->mhri = d->mhri;
        } else {
            t->dropped++;
        }
    }
    news->slot = n ? (size_t)(n - nb) + 1 : 0;
    tab_note_types(t, d, frame_no);
}

void ek_monitor_nbtab_dio(ek_monitor_nbtab *t, const ek_monitor_nbdio *d, uint64_t frame_no, uint64_t t_ns,
                          ek_monitor_nbnews *news)
{
    if (!t->nb) { /* a monitor's own table (its entries live in the monitor): use ek_monitor_neighbour_dio */
        memset(news, 0, sizeof *news);
        return;
    }
    tab_dio(t, t->nb, d, frame_no, t_ns, news);
}

void ek_monitor_hear(ek_monitor *m, const ek_monitor_nbdio *d, const ek_monitor_nbnews *news, uint64_t t_ns)
{
    if (!d->is_dio)
        return;
    if (news->changed)
        ek_monitor_hear_moved(m, t_ns);
    /* The likely parent: no other neighbour of the same DODAG known with a lower rank
     * (the node's own entry in a shared table does not count). */
    bool likely_parent = news->n_lower == 0 || (news->n_lower == 1 && m->has_self && news->lower_key == m->self_key);
    if (m->cfg.implements_mep && likely_parent) {
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
}

void ek_monitor_neighbour_dio(ek_monitor *m, const ek_monitor_nbdio *d, uint64_t frame_no, uint64_t t_ns)
{
    ek_monitor_nbnews news;
    if (m->shared)
        tab_dio(m->shared, m->shared->nb, d, frame_no, t_ns, &news);
    else
        tab_dio(&m->own, m->own_nb, d, frame_no, t_ns, &news);
    ek_monitor_hear(m, d, &news, t_ns);
}

void ek_monitor_neighbour_frame(ek_monitor *m, const ek_frame *f, uint64_t frame_no, uint64_t t_ns)
{
    ek_monitor_nbdio d;
    ek_monitor_nb_prepare(f, &d);
    ek_monitor_neighbour_dio(m, &d, frame_no, t_ns);
}

size_t ek_monitor_n_neighbours(const ek_monitor *m)
{
    const ek_monitor_nbtab *t = tab_of(m);
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++)
        n += is_other(m, &entries_of(m)[i]);
    return n;
}

/* ---- rules on the node's DIOs -------------------------------------------------------- */

/* copied-option, EP-21: RFC 6550 §6.7.1 has a receiver ignore what it does not
 * recognise, so such an option can only be in the node's DIO if it was copied. */
bool ek_monitor_heard(const ek_monitor *m, uint8_t type, uint64_t *frame_no, uint8_t from[8])
{
    const ek_monitor_nbtab *t = tab_of(m);
    for (unsigned k = 0; k < t->n_types; k++) {
        if (t->types[k].type != type)
            continue;
        if (!not_implemented(m, type, t->types[k].raw_unknown))
            return false;
        for (unsigned i = 0; i < t->types[k].n_from; i++) {
            uint64_t key;
            memcpy(&key, t->types[k].from[i], 8);
            if (m->has_self && key == m->self_key)
                continue; /* the node itself sent it first: the other sender is the one */
            if (frame_no)
                *frame_no = t->types[k].frame_no[i];
            if (from)
                memcpy(from, t->types[k].from[i], 8);
            return true;
        }
        return false;
    }
    return false;
}

unsigned ek_monitor_n_heard(const ek_monitor *m)
{
    const ek_monitor_nbtab *t = tab_of(m);
    unsigned n = 0;
    for (unsigned k = 0; k < t->n_types; k++)
        n += ek_monitor_heard(m, t->types[k].type, NULL, NULL);
    return n;
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
    if (!m->cfg.closed_world || tab_of(m)->dropped || f->sum.rank == INFINITE_RANK)
        return;
    uint64_t slack = (uint64_t)m->cfg.slack_ms * NS_PER_MS;
    const ek_monitor_neighbour *low = NULL, *nb = entries_of(m);
    uint16_t low_rank = 0;
    for (size_t i = 0; i < tab_of(m)->n; i++) {
        const ek_monitor_neighbour *n = &nb[i];
        if (!is_other(m, n) || n->instance != f->sum.instance_id || memcmp(n->dodagid, f->sum.dodagid, 16) != 0)
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
    unsigned n;
    uint16_t low;
    uint64_t w = grace_ns(m);
    /* not judged with no DIO in force at the window's start, or one without the option in
     * force (the 0x40 default is a TD's matter) */
    if (!hist_low(&m->min_hist, t, w, &low, &n))
        return;
    uint8_t bound = (uint8_t)low;
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
    m->jm_n = n;
    for (unsigned k = 0; k < n; k++)
        m->jm_rank[k] = h->v[idx[k]];
    m->jm_mhri = mhri;
    m->jm_dio_age_ns = age(t, m->t_dio_ns);
}

/* The pending join-metric finding: formatted only when reported. */
static void add_join_metric(ek_monitor *m, uint64_t t, sink *s)
{
    char head[EK_MONITOR_MSG_MAX];
    head[0] = '\0';
    if (s->terse & EK_MON_R_JOIN_METRIC) {
        add(s, "join-metric", "EB-13", "RFC 8180 §6.1", EK_MON_FAIL, "%s", "");
        return;
    }
    uint16_t mhri = m->jm_mhri;
    if (m->jm_n == 1) {
        uint16_t r = m->jm_rank[0];
        snprintf(head, sizeof head,
                 "EB join metric %u != %u = DAGRank(%u) - 1 for the rank in the node's DIO %llu ms before that EB "
                 "(MinHopRankIncrease %u)",
                 m->jm_got, ek_monitor_join_metric_for(r, mhri), r, ms_of(m->jm_dio_age_ns), mhri);
    } else {
        char list[96];
        size_t wpos = 0;
        list[0] = '\0';
        for (unsigned k = 0; k < m->jm_n && wpos + 16 < sizeof list; k++)
            wpos += (size_t)snprintf(list + wpos, sizeof list - wpos, "%s%u (rank %u)", k ? ", " : "",
                                     ek_monitor_join_metric_for(m->jm_rank[k], mhri), m->jm_rank[k]);
        snprintf(head, sizeof head,
                 "EB join metric %u is none of %s, DAGRank(rank) - 1 for the ranks the node advertised within "
                 "%llu ms before that EB (MinHopRankIncrease %u)",
                 m->jm_got, list, ms_of(grace_ns(m)), mhri);
    }
    add(s, "join-metric", "EB-13", "RFC 8180 §6.1", EK_MON_FAIL, "%s, nor for rank %u in the node's next DIO, %llu ms after it",
        head, m->rank, ms_of(age(t, m->jm_t_ns)));
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
    sink s = { .out = out, .cap = out ? cap : 0, .n = 0, .terse = m->terse };
    m->frames++;
    m->judged = 0;
    if (is_dio(f)) {
        m->dios++;
        /* the MinHopRankIncrease this very DIO states is the one its rank is built with */
        uint16_t mh = dio_mhri(f);
        if (mh)
            m->own_mhri = mh;
        rule_copied_option(m, f, &s);
        if (ek_monitor_n_heard(m))
            m->judged |= EK_MON_R_COPIED_OPTION; /* something to copy was heard */
        rule_rank_increase(m, f, t_ns, &s);
    }
    if (f->has_mac) {
        if (ek_frame_is_class(f, EK_CLASS_EB))
            m->ebs++;
        /* no payload IE and a whole list: no Join-Info, nothing that could hide one
         * (ek_monitor_frame_matters) */
        bool ies = f->mac.ies.n_pl || f->mac.ies.err.code != EK_OK;
        if (ies)
            rule_ji_framing(m, f, &s);
        const ek_enroll_ie *ji = ies ? ek_ie_find_ji(&f->mac.ies) : NULL;
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
                add_join_metric(m, t_ns, &s);
        }
    }
    return s.n;
}
