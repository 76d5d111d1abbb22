/* SPDX-License-Identifier: BSD-3-Clause */
/* Passive monitors: rules judged on EVERY frame a node sends, not only on the frame a
 * TD step waits for.  Pure (frames and times in, findings out; no I/O, no allocation
 * beyond the caller's struct), so the engine runs them during every TD and an offline
 * capture checker can run the same code per node.
 *
 * Rules (each finding names its rule, the requirement ID and the spec section):
 *   copied-option   EP-21  RFC 6550 §6.7.1: a DIO of the node carries an option type the
 *                          node heard from a neighbour and does not itself implement
 *                          (an unknown type: one the codec keeps raw though it decoded
 *                          fine, RFC 6550's Target Descriptor 0x09 excepted; the
 *                          enrollment type prof.mep_type too when the node lacks the
 *                          enrollment-option capability).  Pad1/PadN never.  One finding
 *                          per type and DIO, naming the first neighbour heard sending it.
 *                          FAIL.
 *   proxy-below-min EP-15  draft-16 §3.2: an EB's proxy priority is below the minimum the
 *                          node itself advertised in its latest DIO (that DIO older than
 *                          one EB period + slack, so an EB built before the change is
 *                          not judged: within that grace every minimum in force during
 *                          the last EB period + slack is accepted, and the lowest one is
 *                          the bound).  Not judged while no DIO, or a DIO without the
 *                          option, is in force in that window.  Nor
 *                          when the node's likely parent (its lowest-rank neighbour)
 *                          sent a lower minimum since its latest DIO, in a version not
 *                          older than the node's.  draft-09/-16 only: draft-03 §2 lets a
 *                          6LR raise the minimum it propagates apart from its JP base.
 *                          FAIL.
 *   ji-framing      EB-1, EB-2  RFC 9032 §2, RFC 8137 §4-5: the Join-Info IE's content
 *                          length is not 5 + 8P + N with N <= 16, or the IE does not
 *                          decode, or the IE list breaks after it; also an EB whose IE
 *                          list breaks before any Join-Info (a wrong Length can hide
 *                          it; the matcher's ji.length_ok does the same).  FAIL.
 *   ji-reserved     EB-3   RFC 9032 §2: reserved bits sent as non-zero.  INFO.
 *   ji-declared     EB-4, EB-8  RFC 9032 §2: the network ID, the Join Proxy interface ID
 *                          (or P = 0 when declared "none") or the PAN priority differs
 *                          from what the DUT profile declares it is configured to
 *                          advertise.  Only for declared values.  FAIL.
 *   join-metric     EB-13  RFC 8180 §6.1: the TSCH Synchronization IE's join metric is
 *                          not DAGRank(rank) - 1 (RFC 6550 §3.5.1, clamped at 0 and 255)
 *                          for the rank the node advertised in its latest DIO (or the
 *                          one before it, within one EB period + slack of a change),
 *                          with ek_monitor_mhri().  Not judged before a rank is known
 *                          for the whole window.  For INFINITE_RANK 255 is accepted too.
 *                          An EB that fits none waits for the node's next DIO and is
 *                          reported there unless it fits that DIO's rank (an EB may show
 *                          a new rank before a DIO does).  FAIL.
 *   rank-increase  RFC 6550 §3.5.1, §14 ("the increase in Rank must be at least
 *                          MinHopRankIncrease"): in a closed world (every node the DUT can
 *                          hear is known: the harness plays them all), a DIO rank below
 *                          the lowest rank any neighbour of the same DODAG advertised
 *                          plus MinHopRankIncrease (ek_monitor_mhri, counting the DODAG
 *                          Configuration option of the DIO judged).  INFINITE_RANK
 *                          (0xffff, poisoning) is never judged, as node or neighbour
 *                          rank; nor after the neighbour table overflowed.  A neighbour whose rank rose less than
 *                          slack_ms ago still counts with its previous rank.  FAIL.
 *
 * Grace windows are judged on change histories (ek_monitor_hist): a value "in force
 * during [t - w, t]" is the one set by the last change at or before t - w plus every
 * change after it.  Ages are strict: a DIO is older than w when t - t_dio > w. */
#ifndef EK_MONITOR_H
#define EK_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ek/frame.h"
#include "ek/profile.h"

#define EK_MONITOR_MSG_MAX 256
#define EK_MONITOR_MAX_FINDINGS 8     /* per frame */
#define EK_MONITOR_MAX_NEIGHBOURS 16
#define EK_MONITOR_MAX_TYPES 32       /* option types remembered from neighbours */
#define EK_MONITOR_HISTORY 8          /* changes of rank / minimum remembered */

/* The rules, as bits of ek_monitor.judged: which rules reached a verdict (held or not)
 * on the latest frame given to ek_monitor_node_frame.  A rule that had nothing to judge
 * (no Join-Info, no DIO in force, a grace window) leaves its bit clear, so a checker can
 * tell "held" from "never applied". */
enum {
    EK_MON_R_COPIED_OPTION = 1u << 0,
    EK_MON_R_RANK_INCREASE = 1u << 1,
    EK_MON_R_JI_FRAMING = 1u << 2,
    EK_MON_R_JI_RESERVED = 1u << 3,
    EK_MON_R_JI_DECLARED = 1u << 4,
    EK_MON_R_PROXY_BELOW_MIN = 1u << 5,
    EK_MON_R_JOIN_METRIC = 1u << 6
};
#define EK_MON_N_RULES 7
/* "copied-option", ... for bit i (1u << i); NULL past the last. */
const char *ek_monitor_rule_name(unsigned i);

typedef enum ek_monitor_severity {
    EK_MON_FAIL = 0,
    EK_MON_INFO
} ek_monitor_severity;

typedef struct ek_monitor_finding {
    const char *rule;          /* "copied-option", "proxy-below-min", ... (static) */
    const char *req;           /* "EP-21", "EB-1, EB-2", ... (static); "" for rank-increase,
                                  which no requirement ID covers */
    const char *section;       /* "RFC 6550 §6.7.1" (static) */
    ek_monitor_severity severity;
    char msg[EK_MONITOR_MSG_MAX]; /* "DIO carries option type 0xf0 heard from
                                     02:00:5e:ef:00:00:00:0a (frame 12): unknown options
                                     must not be forwarded" */
} ek_monitor_finding;

/* What the node is and what it declares.  Everything is copied by ek_monitor_init. */
typedef struct ek_monitor_cfg {
    bool implements_mep;           /* the enrollment-option capability */
    uint16_t min_hop_rank_inc;     /* the DODAG's MinHopRankIncrease when the node's DIOs
                                      carry no DODAG Configuration option; 0 = 256 */
    uint32_t eb_period_ms, slack_ms;
    bool closed_world;             /* every neighbour of the node is fed to
                                      ek_monitor_neighbour_frame (active harness runs) */
    /* What the node is configured to advertise in its Join-Info (0 = not declared). */
    bool has_network_id;
    uint8_t network_id[16];
    uint8_t network_id_len;        /* 1..16 */
    enum { EK_MON_IID_UNDECLARED = 0, EK_MON_IID_NONE, EK_MON_IID_VALUE } jp_iid_mode;
    uint8_t jp_iid[8];
    bool has_pan_priority;
    uint8_t pan_priority;
    ek_profile prof;               /* wire profile: option type/layout, IE layout (last: the
                                      flags above share a cache line with a monitor's state) */
} ek_monitor_cfg;

typedef struct ek_monitor_neighbour {
    uint64_t key;                  /* ext as one word: scans compare it */
    uint8_t ext[8];
    uint8_t instance, dodagid[16];
    uint16_t rank;
    uint16_t mhri;                 /* from its DODAG Configuration option, 0 = none seen */
    uint16_t prev_rank;            /* the rank before its latest change (= rank if none) */
    uint64_t t_rank_ns;            /* when rank last changed */
} ek_monitor_neighbour;

/* The last EK_MONITOR_HISTORY changes of one value the node advertises in its DIOs (a
 * DIO repeating the current value adds nothing).  Entry i lives at [i % HISTORY];
 * n counts every change since reset, so n > HISTORY means the oldest are forgotten. */
typedef struct ek_monitor_hist {
    uint64_t t_ns[EK_MONITOR_HISTORY]; /* the DIO that made the change */
    uint16_t v[EK_MONITOR_HISTORY];
    bool has[EK_MONITOR_HISTORY];      /* false: the DIO did not carry the value */
    unsigned n;
} ek_monitor_hist;

/* The DIO senders one or more monitors hear: each one's latest rank, DODAG and
 * MinHopRankIncrease, and the option types some node may not implement (unrecognised
 * ones, and the enrollment type) with their first two senders.  A monitor keeps its own
 * (EK_MONITOR_MAX_NEIGHBOURS entries).  A checker of many nodes on one channel keeps one
 * for all of them (ek_monitor_share): a DIO then updates it once, not once per node,
 * and each node skips its own entry. */
typedef struct ek_monitor_nbtab {
    ek_monitor_neighbour *nb;      /* cap entries (a shared table: the caller's storage) */
    size_t cap, n;                 /* nb[0..n-1] in use, in the order first heard */
    uint8_t mep_type;              /* the profile's enrollment option type (0 = none) */
    struct {
        uint8_t type;
        bool raw_unknown;          /* kept raw though well formed: no node implements it */
        unsigned n_from;           /* senders named below: 1 or 2 (distinct) */
        uint64_t frame_no[2];
        uint8_t from[2][8];
    } types[EK_MONITOR_MAX_TYPES];
    unsigned n_types;
    unsigned dropped;              /* senders not stored (table full): rank-increase stops */
    unsigned types_dropped;        /* option types not stored (types[] full) */
} ek_monitor_nbtab;

/* The monitor state of one node.  Plain data: the caller owns it (stack, array). */
typedef struct ek_monitor {
    ek_monitor_nbtab *shared;      /* ek_monitor_share: the channel's table, NULL = own */
    bool has_self;                 /* its own entry in the shared table, skipped */
    uint64_t self_key;
    /* the node's own latest DIO and the one before it */
    bool has_dio, has_prev_dio;
    uint16_t rank, prev_rank;
    uint16_t own_mhri;             /* from its own DODAG Configuration option, 0 = none */
    bool has_min;                  /* its latest DIO carried a valid enrollment option */
    uint8_t min_priority, prev_min_priority;
    bool prev_has_min;
    uint64_t t_dio_ns;             /* time of its latest DIO */
    /* A neighbour appeared or changed its rank or MinHopRankIncrease since the node's latest
     * DIO: the node's rank may already have moved in its EBs (join-metric waits for its
     * next DIO). */
    bool nb_changed_since;
    /* The lowest enrollment minimum a neighbour's DIO carried since the node's latest DIO
     * (0 after a neighbour DIO without the option): the node may already have adopted it
     * and show it in its EBs before its next DIO says so (proxy-below-min). */
    bool has_nb_min_since;
    uint8_t nb_min_since;
    /* the option Version in the node's latest DIO (draft-09/16), for nb_min_since */
    bool has_node_ver;
    uint8_t node_ver;
    /* the newest Version the likely parent sent since then: the node may have adopted it
     * unseen, and lollipop order is not transitive (RFC 6550 §7.2) */
    bool has_nb_ver;
    uint8_t nb_ver;
    /* when a neighbour DIO last set one of the three above: a node DIO within slack_ms
     * after it may have crossed it on the air, so it does not clear them */
    uint64_t t_nb_since_ns;
    /* join-metric: an EB whose metric fits no advertised rank waits for the node's next
     * DIO (RFC 6550 §8.3 does not make a rank change send one at once; RFC 6719 ranks
     * drift with the link metric): judged then, against that DIO's rank too */
    bool jm_pending;
    uint8_t jm_got;
    uint64_t jm_t_ns;
    unsigned jm_n;                 /* the ranks it fit none of (formatted when reported) */
    uint16_t jm_rank[EK_MONITOR_HISTORY];
    uint16_t jm_mhri;
    uint64_t jm_dio_age_ns;
    uint64_t frames, dios, ebs;    /* frames of the node judged */
    uint8_t instance, dodagid[16]; /* the DODAG of its latest DIO */
    ek_monitor_hist rank_hist;     /* rank changes (join-metric grace) */
    ek_monitor_hist min_hist;      /* minimum changes, has = a valid enrollment option
                                      (proxy-below-min grace); only with implements_mep */
    uint32_t judged;               /* EK_MON_R_* bits: rules judged on the latest node frame
                                      (a pending join-metric verdict counts when decided) */
    uint32_t terse;                /* EK_MON_R_* bits set by the caller: findings of those
                                      rules carry an empty msg (it keeps no more of them) */
    ek_monitor_cfg cfg;
    /* Last: a checker of many nodes shares one table (ek_monitor_share) and never touches
     * these, so a node frame's state stays in few cache lines. */
    ek_monitor_nbtab own;          /* its neighbours when no table is shared (own.nb unused:
                                      own_nb[], so the struct may be copied or moved) */
    ek_monitor_neighbour own_nb[EK_MONITOR_MAX_NEIGHBOURS];
} ek_monitor;

void ek_monitor_init(ek_monitor *m, const ek_monitor_cfg *cfg);
/* Forget what was learnt (neighbours, heard option types, the node's DIOs); keeps cfg.
 * The engine calls it at the start of every TD (the DUT is reset there). */
void ek_monitor_reset(ek_monitor *m);

/* A frame from another node (a neighbour of the monitored node): its DIOs teach the
 * neighbour ranks, the DODAG's MinHopRankIncrease and the option types it carries.
 * frame_no is kept for messages.  Frames that are not DIOs are ignored. */
void ek_monitor_neighbour_frame(ek_monitor *m, const ek_frame *f, uint64_t frame_no, uint64_t t_ns);

/* A frame the monitored node sent: judged by every rule, then learnt from (its rank and
 * minimum; the MinHopRankIncrease of its DIO is learnt first, as its rank is built with
 * it).  Writes at most min(cap, EK_MONITOR_MAX_FINDINGS) findings in a fixed rule order
 * (copied-option, rank-increase, ji-framing, ji-reserved, ji-declared, proxy-below-min,
 * join-metric) and returns how many (0 = all rules hold).  out may be NULL with cap 0. */
size_t ek_monitor_node_frame(ek_monitor *m, const ek_frame *f, uint64_t t_ns, ek_monitor_finding *out, size_t cap);
/* Whether ek_monitor_node_frame has anything to judge or learn in f: a DIO, payload IEs or
 * an IE list that broke (a Join-Info IE, or one a wrong Length hides), a TSCH ASN.  A
 * caller that judges many frames may hand over only those: the monitor's frames and ebs
 * counters are all that would miss the others. */
static inline bool ek_monitor_frame_matters(const ek_frame *f)
{
    return (f->sum.has_dio && f->has_rpl) ||
           (f->has_mac && (f->mac.ies.n_pl || f->mac.ies.err.code != EK_OK || f->sum.has_asn));
}

/* What a neighbour's DIO teaches, decoded once: the same for every node that hears it,
 * so a checker of many nodes prepares it once (ek_monitor_nbtab_dio on their shared table,
 * then ek_monitor_hear per node). */
typedef struct ek_monitor_nbdio {
    bool is_dio, whole;            /* whole: no option failed to decode (rank / DODAG learnt) */
    uint8_t ext[8];                /* sender */
    uint16_t rank, mhri;           /* mhri 0 = no DODAG Configuration option */
    uint8_t instance, dodagid[16];
    bool has_mep, has_version;
    uint8_t min_priority, version;
    uint8_t types[EK_RPL_MAX_OPTS];/* distinct option types carried (Pad1 / PadN not) */
    bool type_raw_unknown[EK_RPL_MAX_OPTS]; /* kept raw though well formed: not recognised */
    unsigned n_types;
    size_t slot_hint;              /* set by the caller: the sender's ek_monitor_nbnews.slot
                                      from its previous DIO (0 = unknown; a wrong one is
                                      ignored) */
} ek_monitor_nbdio;

void ek_monitor_nb_prepare(const ek_frame *f, ek_monitor_nbdio *d);
/* ek_monitor_neighbour_frame(m, f, ...) = prepare + this. */
void ek_monitor_neighbour_dio(ek_monitor *m, const ek_monitor_nbdio *d, uint64_t frame_no, uint64_t t_ns);

/* What one DIO changed in a neighbour table, for the monitors that share it. */
typedef struct ek_monitor_nbnews {
    bool changed;                  /* the sender appeared, or changed its rank or
                                      MinHopRankIncrease (the node's rank may follow) */
    bool had;                      /* the sender was in the table before this DIO */
    uint16_t prev_rank;            /* its rank before this DIO (when had) */
    unsigned n_lower;              /* other senders of its DODAG ranked below this DIO's
                                      rank: 0, 1, or 2 meaning two or more */
    uint64_t lower_key;            /* the one, when n_lower is 1 */
    size_t slot;                   /* the sender's entry + 1 (0 = not stored) */
} ek_monitor_nbnews;

/* A table for many monitors: store holds cap entries and must outlive it. */
void ek_monitor_nbtab_init(ek_monitor_nbtab *t, ek_monitor_neighbour *store, size_t cap, uint8_t mep_type);
void ek_monitor_nbtab_reset(ek_monitor_nbtab *t);
/* Learns a neighbour's DIO into the table once; news says what each sharing monitor
 * hears of it (ek_monitor_hear). */
void ek_monitor_nbtab_dio(ek_monitor_nbtab *t, const ek_monitor_nbdio *d, uint64_t frame_no, uint64_t t_ns,
                          ek_monitor_nbnews *news);
/* The monitor reads its neighbours from t (kept by the caller) from now on, skipping the
 * entry of its own EUI-64 self (NULL: none). */
void ek_monitor_share(ek_monitor *m, ek_monitor_nbtab *t, const uint8_t self[8]);
/* The per-node part of a neighbour's DIO, after ek_monitor_nbtab_dio on the shared
 * table: whether the node's rank or minimum may move before its next DIO says so.  The
 * caller may skip nodes the DIO cannot teach (a sender ranked above the node, before and
 * after the DIO): they would hold back less.  ek_monitor_neighbour_dio = both steps. */
void ek_monitor_hear(ek_monitor *m, const ek_monitor_nbdio *d, const ek_monitor_nbnews *news, uint64_t t_ns);
/* ek_monitor_hear when news->changed and news->n_lower >= 2 (the sender is nobody's
 * likely parent): all a node hears is that a neighbour moved.  Inline, as a checker
 * tells every node above the sender. */
static inline void ek_monitor_hear_moved(ek_monitor *m, uint64_t t_ns)
{
    m->nb_changed_since = true;
    m->t_nb_since_ns = t_ns;
}

/* Whether a neighbour sent option type `type` that the node does not implement (the
 * types copied-option looks for); the first sender's frame number and address when so.
 * frame_no and from may be NULL. */
bool ek_monitor_heard(const ek_monitor *m, uint8_t type, uint64_t *frame_no, uint8_t from[8]);
/* How many such option types it heard; how many neighbours it knows. */
unsigned ek_monitor_n_heard(const ek_monitor *m);
size_t ek_monitor_n_neighbours(const ek_monitor *m);

/* DAGRank(rank) - 1 clamped to 0..255, the join metric RFC 8180 §6.1 asks for, with
 * MinHopRankIncrease mhri (0 = 256). */
uint8_t ek_monitor_join_metric_for(uint16_t rank, uint16_t mhri);

/* The node's latest advertised rank / minimum (false when none seen yet). */
bool ek_monitor_node_rank(const ek_monitor *m, uint16_t *rank);
bool ek_monitor_node_min(const ek_monitor *m, uint8_t *min_priority);
/* The MinHopRankIncrease in force for the node: its own DODAG Configuration option's,
 * else the lowest-rank neighbour's, else cfg's (256 when 0). */
uint16_t ek_monitor_mhri(const ek_monitor *m);

#endif /* EK_MONITOR_H */
