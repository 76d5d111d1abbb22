/* SPDX-License-Identifier: BSD-3-Clause */
/* Network checker: judges EVERY node seen on one channel (a capture, a sniffer, a
 * plugfest run), each by its own address, with the passive monitors the engine runs
 * during TDs (ek/monitor.h, one implementation) plus network-level rules that need
 * several nodes at once.  Pure: decoded frames and times in, findings out; memory
 * bounded by the number of nodes, never by the number of frames.
 *
 * Network-level rules (each finding names the rule, the requirement ID and section):
 *   min-below-parent EP-19, EP-9  draft-03 §2, draft-16 §3.2: a 6LR's DIO minimum is
 *                    below the minimum of its parent.  The parent is inferred, and the
 *                    finding says how: the L2 destination of the node's storing-mode
 *                    DAOs (RFC 6550 §9.2), else every neighbour of the same DODAG with a
 *                    lower rank (the node may have chosen any of them: the lowest
 *                    minimum among them is the bound).  The parent's value in force is
 *                    the lowest one it advertised within adopt_ms before the node's DIO.
 *                    FAIL.
 *   option-dropped   EP-5  draft-16 §3.1: a node that advertised the option before sends
 *                    DIOs without it while its parent still carries it.  A node declared
 *                    legacy is never judged.  FAIL.
 *   version-bump     EP-10 draft-16 §3.2: the DODAG root changed Min Priority or DODAG
 *                    Size without a newer Version (draft-09 / draft-16 layouts).  FAIL.
 *   version-order    EP-12 draft-16 §3.2, RFC 6550 §7.2: a 6LR advertises a Version older
 *                    (lollipop order) than one it advertised before.  FAIL.
 *   jp-off           EP-3, EP-15 draft-16 §3.1, §3.2: the node advertised minimum 0x7f
 *                    (enrollment off) and, after adopt_ms, still sends EBs with a
 *                    Join-Info proxy priority below 0x7f.  FAIL.
 *   network-id       EB-8  RFC 9032 §2: Join Proxies of one PAN advertise different
 *                    network IDs; the finding goes to the nodes that differ from the one
 *                    most JPs advertise (ties: the earliest seen wins).  FAIL.
 *   malformed        S17   RFC 6550 §6.7.1, RFC 8137 §4-5: a frame of the node does not
 *                    decode (option or IE framing, 6LoWPAN, IPv6); the field and offset
 *                    the codec names.  A bad FCS is noise, not the node's fault: counted,
 *                    not judged.  FAIL.
 *   frame-counter    IEEE 802.15.4-2015 §9.2.1, §9.4.1.1: a secured frame of the node
 *                    whose frame counter (per key: Key ID Mode + Key Source + Index) is
 *                    not above the last one it sent: a replay when the whole frame is a
 *                    repeat, a regression otherwise.  FAIL.
 * plus the monitors' rules per node (ek/monitor.h): copied-option EP-21, proxy-below-min
 * EP-15, ji-framing EB-1/EB-2, ji-reserved EB-3, ji-declared EB-4/EB-8 (declared nodes
 * only), join-metric EB-13, rank-increase (closed world only).
 *
 * Every rule keeps, per node, how often it was judged and how often it failed, so a node
 * on which no rule ever applied is "not judged", never PASS. */
#ifndef EK_NETCHECK_H
#define EK_NETCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ek/frame.h"
#include "ek/monitor.h"
#include "ek/profile.h"

typedef struct ek_netcheck ek_netcheck;

/* ---- configuration ------------------------------------------------------------------ */

/* What is declared about one node (a plugfest set-up file, enroll-check --node). */
typedef struct ek_nc_decl {
    uint8_t ext[8];                /* EUI-64, canonical order */
    char name[32];                 /* "vendor-a"; "" = the address */
    bool legacy;                   /* no enrollment-option capability */
    bool is_root;                  /* the DODAG root (else inferred from its DIOs) */
    bool stimulus;                 /* played by the harness (its stimuli break rules on
                                      purpose): learnt from, never judged */
    ek_monitor_cfg mon;            /* declared Join-Info values, MHRI; prof, eb_period_ms,
                                      slack_ms and implements_mep are taken from the
                                      checker's configuration and `legacy` */
} ek_nc_decl;

typedef struct ek_nc_cfg {
    ek_profile prof;               /* wire profile of the whole network */
    uint32_t eb_period_ms;         /* longest EB period any node uses (grace windows) */
    uint32_t slack_ms;             /* frames crossing on the air, processing delay */
    uint32_t adopt_ms;             /* how long a node may take to adopt its parent's new
                                      minimum (min-below-parent, jp-off); 0 = 2 s */
    bool closed_world;             /* every node of the network is seen (plugfest runs) */
    const ek_nc_decl *decl;        /* declared nodes (copied), may be NULL */
    size_t n_decl;
    size_t max_nodes;              /* 0 = 1024; nodes beyond it are counted, not judged */
    size_t keep_findings;          /* findings kept per node and rule for reports; 0 = 8 */
    bool skip_timelines;           /* the RANK, PROXY and VERSION series (ek_nc_series: the
                                      HTML report's timelines) are not kept; no rule reads
                                      them.  MIN is kept: its points back the rules */
} ek_nc_cfg;

void ek_nc_cfg_default(ek_nc_cfg *c);

/* ---- findings ----------------------------------------------------------------------- */

typedef enum ek_nc_outcome {
    EK_NC_NOT_JUDGED = 0,          /* the rule never applied to the node */
    EK_NC_PASS,
    EK_NC_INFO,                    /* only INFO findings */
    EK_NC_FAIL
} ek_nc_outcome;

typedef struct ek_nc_finding {
    size_t node;                   /* index (ek_nc_node_at) */
    unsigned rule;                 /* index into ek_nc_rules() */
    ek_monitor_severity severity;
    uint64_t frame_no;             /* the deciding frame (1-based, capture order) */
    uint64_t t_ns;
    uint64_t other_frame_no;       /* the frame it was judged against (parent's DIO, earlier
                                      frame counter, ...); 0 = none */
    char msg[EK_MONITOR_MSG_MAX];
} ek_nc_finding;

/* Called for every finding as it is made (may be NULL). */
typedef void (*ek_nc_sink)(void *ctx, const ek_nc_finding *f);

/* ---- rules -------------------------------------------------------------------------- */

typedef struct ek_nc_rule {
    const char *name;              /* "min-below-parent", "copied-option", ... */
    const char *req;               /* "EP-19, EP-9"; "" when no requirement ID covers it */
    const char *section;           /* "draft-ietf-roll-enrollment-priority-03 §2, -16 §3.2" */
    const char *summary;           /* one line for reports */
} ek_nc_rule;

/* The catalogue: the monitors' rules (in EK_MON_R_* bit order) then the network rules. */
const ek_nc_rule *ek_nc_rules(size_t *n);
/* Index of a rule by name, -1 when unknown. */
int ek_nc_rule_index(const char *name);

/* ---- nodes -------------------------------------------------------------------------- */

typedef enum ek_nc_series_kind {
    EK_NC_SERIES_RANK = 0,         /* DIO rank */
    EK_NC_SERIES_MIN,              /* DIO enrollment minimum (has = option present) */
    EK_NC_SERIES_PROXY,            /* EB Join-Info proxy priority */
    EK_NC_SERIES_VERSION,          /* DIO option Version (draft-09/16), else DODAG Version */
    EK_NC_SERIES_KINDS
} ek_nc_series_kind;

/* One change of an advertised value (a repeat adds nothing). */
typedef struct ek_nc_point {
    uint64_t t_ns, frame_no;
    uint16_t v;
    bool has;                      /* false: the frame did not carry the value */
} ek_nc_point;

#define EK_NC_SERIES_MAX 256       /* change points kept per series (then thinned: every
                                      other point dropped, the first and last kept) */

typedef enum ek_nc_role_bits {
    EK_NC_ROLE_ROOT = 1u << 0,     /* sent DIOs as the DODAG root (rank = MinHopRankIncrease,
                                      or its address is the DODAGID) */
    EK_NC_ROLE_6LR = 1u << 1,      /* sent DIOs below the root */
    EK_NC_ROLE_JP = 1u << 2,       /* sent EBs with a Join-Info IE */
    EK_NC_ROLE_LEAF = 1u << 3      /* sent frames, never a DIO */
} ek_nc_role_bits;

typedef struct ek_nc_tally {
    uint64_t judged, failed, info; /* frames the rule judged; FAIL / INFO findings */
    uint64_t first_fail_frame;     /* 0 = none */
} ek_nc_tally;

typedef struct ek_nc_node {
    /* (the fields every frame updates come first) */
    uint8_t ext[8];                /* EUI-64 (or 0x0000:PAN:short for short-address-only
                                      senders: ext[0..1] 0, [2..3] PAN, [6..7] short) */
    bool ext_known;
    bool declared, legacy, stimulus;
    uint16_t pan;
    uint32_t roles;                /* ek_nc_role_bits seen */
    uint64_t frames, last_frame, t_last_ns;
    uint64_t dios, ebs, daos, malformed, fcs_bad, secured;
    uint64_t first_frame, t_first_ns;
    char name[32];                 /* declared name, else "" */
    /* parent as last inferred: index, how ("DAO", "rank"), the frame that told */
    bool has_parent;
    size_t parent;
    const char *parent_how;
    uint64_t parent_frame;
} ek_nc_node;

/* ---- the checker -------------------------------------------------------------------- */

/* NULL on allocation failure. */
ek_netcheck *ek_nc_new(const ek_nc_cfg *cfg);
void ek_nc_free(ek_netcheck *nc);
void ek_nc_set_sink(ek_netcheck *nc, ek_nc_sink sink, void *ctx);

/* One frame off the air, in capture order.  st / err: what ek_frame_decode returned
 * (f is still read for what decoded: the MAC source names the sender of a malformed
 * frame).  fcs_ok false: a corrupted frame, counted against nobody.  frame_no counts
 * from 1.  A frame whose sender cannot be told (no source address) is counted only. */
void ek_nc_frame(ek_netcheck *nc, const ek_frame *f, ek_status st, const ek_err *err, bool fcs_ok,
                 uint64_t frame_no, uint64_t t_ns);
/* A stimulus or event to show on timelines ("root: minimum 0x30, version 241"). */
void ek_nc_mark(ek_netcheck *nc, uint64_t t_ns, uint64_t frame_no, const char *text);
/* Every node was reset (a harness starting its next TD): what the checker learnt about
 * each node (its monitor, latest DIO, option versions, frame counters, parent) is
 * forgotten, so no rule compares across the reset; tallies, findings, series and pairs
 * stay, and `why` becomes a timeline mark. */
void ek_nc_restart(ek_netcheck *nc, uint64_t t_ns, uint64_t frame_no, const char *why);
/* End of input: rules that judge the whole run (network-id) make their findings. */
void ek_nc_finish(ek_netcheck *nc);

uint64_t ek_nc_frames(const ek_netcheck *nc);
uint64_t ek_nc_frames_unattributed(const ek_netcheck *nc);
uint64_t ek_nc_nodes_dropped(const ek_netcheck *nc);   /* frames of senders beyond max_nodes */
uint64_t ek_nc_frames_corrupted(const ek_netcheck *nc); /* bad FCS: counted against nobody */
size_t ek_nc_node_count(const ek_netcheck *nc);
const ek_nc_node *ek_nc_node_at(const ek_netcheck *nc, size_t i);
/* "vendor-a (02:00:5e:ef:00:00:00:01)" or the address alone. */
void ek_nc_node_label(const ek_netcheck *nc, size_t i, char *buf, size_t len);
/* The node's verdict over every rule: FAIL if one failed, PASS if one was judged and
 * none failed (INFO when only INFO findings), NOT_JUDGED when no rule ever applied.
 * Frames that merely decode (malformed judged, nothing else) leave a node NOT_JUDGED. */
ek_nc_outcome ek_nc_node_outcome(const ek_netcheck *nc, size_t i);
ek_nc_tally ek_nc_node_tally(const ek_netcheck *nc, size_t node, unsigned rule);
ek_nc_outcome ek_nc_tally_outcome(const ek_nc_tally *t);
/* The findings kept for one node (at most keep_findings per rule, first ones). */
const ek_nc_finding *ek_nc_node_findings(const ek_netcheck *nc, size_t node, size_t *n);
/* A node's change points of one value, oldest first. */
const ek_nc_point *ek_nc_series(const ek_netcheck *nc, size_t node, ek_nc_series_kind k, size_t *n);

/* Timeline marks (ek_nc_mark), oldest first. */
typedef struct ek_nc_mark_rec {
    uint64_t t_ns, frame_no;
    char text[96];
} ek_nc_mark_rec;
const ek_nc_mark_rec *ek_nc_marks(const ek_netcheck *nc, size_t *n);

/* ---- interop: what each pair of nodes did with each other ---------------------------- */

typedef enum ek_nc_pair_bits {
    EK_NC_PAIR_PARENT = 1u << 0,       /* a chose b as parent (DAO towards b, or rank) */
    EK_NC_PAIR_ADOPTED_MIN = 1u << 1,  /* a's minimum followed a change of b's within adopt_ms */
    EK_NC_PAIR_HEARD_EB = 1u << 2,     /* b's EB was the last Join-Info EB of a's PAN before
                                          a's first frame: a probably joined through b */
    EK_NC_PAIR_COPIED = 1u << 3,       /* a copied an option from b (copied-option) */
    EK_NC_PAIR_BELOW = 1u << 4         /* a advertised less than b while b was its parent */
} ek_nc_pair_bits;

typedef struct ek_nc_pair {
    size_t a, b;
    uint32_t bits;
    uint64_t frame_no;                 /* first frame that showed it */
} ek_nc_pair;

const ek_nc_pair *ek_nc_pairs(const ek_netcheck *nc, size_t *n);

#endif /* EK_NETCHECK_H */
