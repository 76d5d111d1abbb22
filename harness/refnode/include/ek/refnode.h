/* SPDX-License-Identifier: BSD-3-Clause */
/* The reference 6LR + Join Proxy: the behaviour draft-ietf-roll-enrollment-
 * priority asks of a router, written once as a pure state machine (frames and times in,
 * frames out), so the same code runs in the enroll-refdut process over ZEP and in-process
 * behind the loop radio in unit tests.  One seeded defect can be switched on (--fault),
 * which is how the harness's mutation score is measured. */
#ifndef EK_REFNODE_H
#define EK_REFNODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ek/profile.h"
#include "ek/sec.h"

/* Seeded defects.  Each breaks exactly one requirement; ek_refnode_fault_info() names
 * it and the TD expected to catch it (the mutation test checks that mapping). */
typedef enum ek_refnode_fault {
    EK_FAULT_NONE = 0,
    EK_FAULT_IGNORE_OPTION,        /* "ignore-option": never adopts; behaves as if absent (0x40)   EP-13 */
    EK_FAULT_LOWER_PRIORITY,       /* "lower-priority": EB proxy = adopted - local cost            EP-15/19 */
    EK_FAULT_ADVERTISE_DISABLED,   /* "advertise-when-disabled": 0x7f adopted, EB still < 0x7f     EP-3 */
    EK_FAULT_R_BIT_INTO_VALUE,     /* "r-bit-into-value": priority octet read whole (R/T -> value) EP-20 */
    EK_FAULT_WRONG_DEFAULT,        /* "wrong-default": 0x00 instead of 0x40 without the option     EP-17 */
    EK_FAULT_FOLLOW_NEIGHBOUR,     /* "follow-neighbour": adopts from any DIO, not the parent      EP-5 */
    EK_FAULT_ADOPT_OLDER,          /* "adopt-older": adopts whatever version arrives last          EP-12 */
    EK_FAULT_NO_TRICKLE_RESET,     /* "no-trickle-reset": T=1 + newer version, no reset            EP-14 */
    EK_FAULT_WRAP_SATURATION,      /* "wrap-on-saturation": (min + cost) & 0x7f                     EP-15 */
    EK_FAULT_DROP_UNKNOWN_OPTIONS, /* "drop-unknown-options": a DIO with any unknown option is
                                       dropped whole (as Contiki-NG rpl-lite does)                 EP-21 */
    EK_FAULT_CRASH_MALFORMED,      /* "crash-on-malformed-length": dies (ek_refnode_dead) on an
                                       option whose Length does not fit                           S17 */
    EK_FAULT_IE_LENGTH,            /* "ie-length-wrong": Join-Info IE Length one too long          EB-2 */
    EK_FAULT_ALTER_OPTION,         /* "alter-option": propagates the option with DODAG size
                                       changed (MUST NOT alter, -16 §3.2)                          EP-9a */
    /* secured network (their fault_info profiles carry "+secured"): */
    EK_FAULT_ACCEPT_REPLAY,        /* "accepts-replayed-counter": no frame-counter replay check    S1 */
    EK_FAULT_COUNTER_BEFORE_MIC,   /* "counter-before-mic": stores the frame counter before the
                                       MIC verifies (a forged frame blocks later real ones)        S5 */
    EK_FAULT_ACCEPT_UNSECURED,     /* "accepts-unsecured-dio": uses unsecured DIOs in a secured
                                       network                                                      S5 */
    /* robustness and RPL-base faults, observable in legacy mode too (legacy_caught_by): */
    EK_FAULT_COPY_UNKNOWN_OPTIONS, /* "copy-unknown-options": copies the parent's options of types it
                                       does not implement into its own DIOs                        EP-21 */
    EK_FAULT_RANK_BEFORE_VALIDATE, /* "rank-before-validate": a DIO with an option running past its
                                       end moves our rank before the DIO is dropped                S17 */
    EK_FAULT_CRASH_EMPTY_OPTION,   /* "crash-on-empty-option": dies on an option (not PadN) with
                                       Length 0                                                    S17 */
    EK_FAULT_JI_P_WITHOUT_IID,     /* "ji-p-without-iid": Join-Info P = 1 without the IID octets  EB-2/EB-4 */
    EK_FAULT_TRICKLE_TOO_SLOW,     /* "trickle-too-slow": Imax one doubling too long and every DIO
                                       at the end of its interval (gaps 2 Imax)                    T-1 */
    EK_FAULT_JOIN_METRIC,          /* "join-metric-no-minus-one": EB join metric = DAGRank(rank)   EB-13 */
    EK_FAULT_RANK_BELOW_MIN_INC,   /* "rank-below-min-increase": rank = parent rank +
                                       MinHopRankIncrease / 2                                      R-1 */
    /* DODAG root faults (cfg.root; their fault_info profiles end in "+root"): */
    EK_FAULT_ROOT_NO_VERSION_BUMP, /* "root-no-version-bump": a new minimum or DODAG size goes out
                                       under the old option Version                                EP-10 */
    EK_FAULT_ROOT_SIZE_ROUNDED_DOWN, /* "root-size-rounded-down": DODAG size rounded down, below
                                       the routes the root holds                                   EP-4 */
    EK_FAULT_ROOT_T_WRONG,         /* "root-t-flag-wrong": T = 0 on an urgent change, 1 on a
                                       routine one                                                 EP-11 */
    EK_FAULT_ROOT_SIZE_DRIFT,      /* "root-same-version-new-contents": every other DIO carries the
                                       next DODAG size code under the same Version                 EP-10 */
    /* Join Proxy faults (cfg.cojp; their fault_info profiles end in "+jp"): */
    EK_FAULT_JP_FORWARD_WHEN_OFF,  /* "jp-forwards-when-disabled": forwards Join Requests while the
                                       adopted minimum is 0x7f                                     EP-3 */
    EK_FAULT_JP_IGNORE_JOIN_RATE,  /* "jp-ignores-join-rate": a non-zero join rate is not applied
                                       (0 still drops)                                             JP-1 */
    EK_FAULT_JP_IGNORE_BLACKLIST,  /* "jp-ignores-blacklist": forwards a blacklisted pledge's frames
                                                                                                   JP-2 */
    EK_FAULT_JP_CON_WHEN_STATELESS, /* "jp-con-when-stateless": the stateless JP forwards CON   JP-3 */
    /* JRC faults (cfg.jrc; "+jrc"): */
    EK_FAULT_JRC_REPLAY_AFTER_RESTART, /* "jrc-accepts-replay-after-restart": replay windows not
                                       persisted: a replayed Join Request is answered after a reboot S14 */
    EK_FAULT_JRC_SSN_REUSE,        /* "jrc-reuses-sequence-number": responses with their own Partial
                                       IV, the sequence number not persisted: reused after a reboot  */
    /* pledge faults (enroll-refdut --role pledge, ek/pledge.h; "+pledge"): */
    EK_FAULT_PLEDGE_JOIN_VIA_7F,   /* "pledge-joins-via-7f": proxy priority not looked at: 0x7f
                                       Join Proxies included, the first heard is used              EB-5 */
    EK_FAULT_PLEDGE_WRONG_JP_ADDRESS, /* "pledge-ignores-jp-iid": P = 1, yet the Join Request goes to
                                       the address derived from the EB's link-layer source         EB-4 */
    EK_FAULT_PLEDGE_SSN_REUSE,     /* "pledge-reuses-sequence-number": the OSCORE sequence number
                                       restarts at 0 after a reboot                                S7 */
    EK_FAULT_PLEDGE_ACCEPT_UNPROTECTED_ERROR, /* "pledge-accepts-unprotected-error": an unprotected
                                       4.xx / 5.xx response ends the join: it gives up             S13 */
    EK_FAULT_PLEDGE_ACCEPT_REPLAYED_UPDATE, /* "pledge-accepts-replayed-update": the replay window
                                       is not persisted: after a reboot a replayed Parameter Update
                                       is taken                                                    S15 */
    EK_FAULT_PLEDGE_OTHER_NETWORK, /* "pledge-takes-other-network": provisioned with a network ID,
                                       it still uses EBs of another                               S10 */
    EK_FAULT_JP_ACCEPT_REPLAYED_UPDATE, /* "jp-accepts-replayed-update": the Join Proxy's OSCORE
                                       replay window is not persisted: after a reboot a replayed
                                       Parameter Update is taken and answered                      JP-7 */
    EK_FAULT_COUNT
} ek_refnode_fault;

typedef struct ek_refnode_fault_info {
    ek_refnode_fault fault;
    const char *name;          /* command-line name */
    const char *breaks;        /* requirement IDs, e.g. "EP-12" */
    const char *caught_by;     /* TD ID expected to FAIL, e.g. "TP-EP-05" */
    const char *profiles;      /* wire profiles in which it is observable, e.g. "draft-09,draft-16";
                                  a trailing "+secured" (once, after the whole list, e.g.
                                  "draft-09,draft-16+secured") means: observable only with
                                  link-layer security on (cfg.secured / DUT [security]), so
                                  mutation tests run it in those profiles with security on;
                                  a trailing "+root" means: a fault of the DODAG root
                                  (cfg.root, DUT role root), run against a root DUT;
                                  "+jp": a Join Proxy fault (cfg.cojp), run against a
                                  6LR DUT with the cojp capability; "+pledge": a fault of
                                  the reference pledge (ek/pledge.h), run against a pledge
                                  DUT, and "+pledge+provisioned" one provisioned with the
                                  network ID of the harness's network (RFC 9031 §4.1) */
    const char *summary;
    const char *legacy_caught_by; /* TD expected to FAIL when the fault runs in legacy mode
                                     (cfg.legacy); "" = not observable there */
} ek_refnode_fault_info;

const ek_refnode_fault_info *ek_refnode_fault_info_get(ek_refnode_fault f);
/* By command-line name; EK_FAULT_COUNT if unknown. */
ek_refnode_fault ek_refnode_fault_parse(const char *name);

/* Trickle transmission time t within an interval I (RFC 6206 §4.2 rule 2: "a random
 * point in the interval, from [I/2, I)"); the extremes are legal fixed choices. */
typedef enum ek_refnode_trickle_phase {
    EK_TRICKLE_PHASE_RANDOM = 0, /* uniform in [I/2, I) (default) */
    EK_TRICKLE_PHASE_EARLY,      /* exactly I/2 */
    EK_TRICKLE_PHASE_LATE        /* I - 1 ns: the last instant of the interval */
} ek_refnode_trickle_phase;

/* Implementation choices a compliant 6LR may make; every value in range is legal, so
 * the harness must pass the node whatever they are (ek_refnode_variants() names useful
 * combinations).  ek_refnode_cfg_default() sets the defaults given here. */
typedef struct ek_refnode_choices {
    /* OF0 (OCP 0, RFC 6552 §4.1, §6.1): rank increase = (Rf * Sp + Sr) *
     * MinHopRankIncrease, so 1 .. 41 MinHopRankIncrease */
    uint8_t of0_rank_factor;     /* Rf, MINIMUM_RANK_FACTOR 1 .. MAXIMUM_RANK_FACTOR 4; default 1 */
    uint8_t of0_step_of_rank;    /* Sp, MINIMUM_STEP_OF_RANK 1 .. MAXIMUM_STEP_OF_RANK 9; default 2 */
    uint8_t of0_rank_stretch;    /* Sr, 0 .. MAXIMUM_RANK_STRETCH 5; default 0 */
    /* MRHOF (OCP 1, RFC 6719 §3.1 with the ETX metric, no metric container): rank
     * increase = max(MinHopRankIncrease, link ETX) (RFC 6550 §14: at least
     * MinHopRankIncrease).  ETX in RFC 6551 §4.3.2 units (x 128): 128 (ETX 1) ..
     * MAX_LINK_METRIC 512 (ETX 4, RFC 6719 §5); default 128 */
    uint16_t mrhof_link_etx;
    ek_refnode_trickle_phase trickle_phase; /* default EK_TRICKLE_PHASE_RANDOM */
    /* draft-03/-04: copy the received R bit into the propagated option (SHOULD, -03 §2;
     * EP-20); false sends R = 0.  Default true.  No effect in draft-09/-16. */
    bool r_copy;
    /* draft-16: send the option in the Length-4 form with one trailing octet (0), the
     * length printed in drafts -10..-16 (accepted as the same option, EK_MINPRIO_WARN_
     * ERRATUM_LEN4).  Default false.  No effect in other profiles. */
    bool len4_form;
    /* Enhanced Beacon period jitter, 0..25 % (RFC 8180 §4.5.2: EB_PERIOD is tunable):
     * each period drawn uniformly in [P (1 - j), P (1 + j)], so no gap exceeds (1 + j) P.
     * Default 0. */
    uint8_t eb_jitter_pct;
    /* DODAG root (cfg.root) only.  root_deferred: a routine change of the option (T = 0)
     * does not reset the root's Trickle timer; the new contents go out with the next DIO
     * Trickle sends (at most 1.5 Imax later, RFC 6206 §4.2).  Urgent changes still reset.
     * Default false (every change resets: a quick DIO). */
    bool root_deferred;
    /* root_size_coarse: the DODAG size is rounded up to a power of two (Sz 1, or the
     * smallest representable value when no power of two fits) instead of the smallest
     * representable value >= the routes: still >= the actual size (draft-16 §3.1 "round
     * up"), not the tightest.  Default false. */
    bool root_size_coarse;
    /* Join Proxy (cfg.cojp) only.  jp_stateful: keeps per-pledge state (RFC 9031 §7.1
     * allows it) and forwards with its own 2-octet token and the pledge's message type;
     * default false (stateless: the state object as an RFC 8974 token, NON). */
    bool jp_stateful;
    /* jp_no_dscp: forwarded join traffic carries DSCP 0 instead of AF43 (§6.1.1 SHOULD);
     * default false. */
    bool jp_no_dscp;
    /* JRC (cfg.jrc) only: responses carry their own Partial IV from the persisted sender
     * sequence number (RFC 8613 §8.3 allows either form); default false (the request's
     * nonce). */
    bool jrc_response_piv;
} ek_refnode_choices;

#define EK_REFNODE_EB_JITTER_MAX 25u
#define EK_REFNODE_ETX_ONE 128u     /* RFC 6551 §4.3.2: ETX x 128 */
#define EK_REFNODE_ETX_MAX 512u     /* RFC 6719 §5 MAX_LINK_METRIC */

#define EK_REFNODE_JRC_PLEDGES 4

typedef struct ek_refnode_cfg {
    ek_profile prof;            /* wire profile: option type/layout, IE layout */
    uint8_t ext[8];             /* our EUI-64 */
    uint16_t pan_id;
    uint8_t local_cost;         /* added to the adopted minimum for the EB proxy priority
                                   (-16 §3.2; EP-15); default 0x05 */
    /* Trickle before any DODAG Configuration option arrives.  Once the preferred parent's
     * DODAG Configuration is known (RFC 6550 §6.7.6, §8.3.1) it rules: Imin = 2^DIOIntMin
     * ms, Imax = Imin << DIOIntDoublings, k = DIORedundancyConstant. */
    uint32_t dio_imin_ms;       /* fallback Trickle Imin (RFC 6206 §4.1); fast default 16 */
    uint8_t dio_doublings;      /* fallback Imax = Imin << doublings; default 6 */
    uint8_t dio_redundancy;     /* fallback k; 0 = never suppress (RFC 6550 §8.3.1) */
    uint32_t eb_period_ms;      /* EB period once joined; default 50 */
    uint64_t seed;              /* Trickle randomness (xorshift, deterministic per seed) */
    ek_refnode_fault fault;
    ek_refnode_choices choices; /* compliant implementation choices (above) */
    /* Legacy mode: a 6LR built before the enrollment draft.  The enrollment option type is
     * not recognised (decoded with prof.mep_type = 0: an unknown option, skipped, never
     * adopted, never propagated) and no Enhanced Beacons are sent; RPL as usual. */
    bool legacy;
    /* Link-layer security (RFC 8180 §4.6): when secured, DIOs go out under k2 at
     * dio_level, EBs under k1 at eb_level; received frames must verify (unsecured and
     * wrongly keyed ones dropped), and per-sender frame counters must increase (updated
     * only after the MIC verifies; ASN freshness in ASN-nonce mode). */
    bool secured;
    ek_sec_key k1, k2;
    uint8_t eb_level, dio_level;
    bool asn_nonce;
    /* DODAG root (enroll-refdut --role root): originates the option (draft-16 §3.2, EP-8)
     * instead of adopting one.  Rank ROOT_RANK = MinHopRankIncrease 256 (RFC 6550 §8.2.2.2,
     * §17), DODAG Version 240, RPLInstanceID 0x1e, DODAGID fd00:: + its EUI-64-derived IID,
     * grounded, MOP 2; its own DODAG Configuration from dio_imin_ms (rounded down to a
     * power of two: DIOIntMin = log2), dio_doublings and dio_redundancy; DIOs on Trickle
     * from the first call on; no EBs; received DIOs are ignored (a DIS still resets
     * Trickle, RFC 6550 §8.3).  The option carries root_min and root_routes (the DODAG size,
     * draft-16 §3.1: the routes it counts), Version 240 first (RFC 6550 §7.2) under
     * draft-09/-16.  ek_refnode_command changes them at run time. */
    bool root;
    uint8_t root_min;           /* initial Min Priority, default 0x40 (EK_MEP_PRIO_DEFAULT) */
    uint32_t root_routes;       /* initial route count (DODAG size), default 0 */
    /* Join Proxy (RFC 9031; enroll-refdut --cojp): once joined, a pledge's link-local Join
     * Request (Proxy-Scheme "coap", §8.1.1) is forwarded to the JRC (jrc_addr, else the
     * DODAGID: the JRC co-located with the 6LBR, §6) through the preferred parent,
     * statelessly (§7.1), NON, DSCP AF43 (§6.1.1), and the JRC's response relayed back;
     * Parameter Updates (§8.2) under the CoJP context of cojp_psk and pledge ID = our
     * EUI-64 set the join rate (§8.4.2, averaged over cojp_rate_window_ms; 0 = drop all
     * join traffic) and the blacklist; nothing is forwarded while the adopted minimum is
     * 0x7f (draft-16 §3.1).  Unsecured networks only.  Reset keeps the OSCORE state. */
    bool cojp;
    uint8_t cojp_psk[32];
    uint8_t cojp_psk_len;       /* 16..32 (RFC 9031 §3: at least 128 bits) */
    uint32_t cojp_rate_window_ms; /* default 10000 (ACK_TIMEOUT, §7.2) */
    bool has_jrc_addr;
    uint8_t jrc_addr[16];
    /* JRC (enroll-refdut --role jrc): answers Join Requests sent to fd00:: + our IID (the
     * harness's DODAG prefix) by a Join Proxy, for the pledges it is provisioned with
     * (cojp_psk and jrc_pledge_id[], RFC 9031 §3, §7.3): a protected 2.04 with a
     * Configuration (a link-layer key and a short identifier, §8.4.2), a Diagnostic
     * Response 4.00 for a Join_Request that does not decode (§8.3.1); every OSCORE error
     * silently dropped (§7.3.2).  No DIOs, no EBs.  ek_refnode_reset is a reboot: the OSCORE
     * state survives (§7.3.1; ek_refnode_jrc_state persists it across processes). */
    bool jrc;
    uint8_t jrc_n_pledges;
    uint8_t jrc_pledge_id[EK_REFNODE_JRC_PLEDGES][16];
    uint8_t jrc_pledge_id_len[EK_REFNODE_JRC_PLEDGES];
} ek_refnode_cfg;

/* Secured receive, ASN-nonce mode: a frame whose ASN is more than this many slots
 * older than ours is stale (dropped); a frame that carries no ASN (not an EB, or an EB
 * with encrypted IEs) is tried with every ASN within this many slots of ours. */
#define EK_REFNODE_ASN_WINDOW 100u
/* Per-sender frame counters kept for the replay check (sender EUI-64 x key index);
 * when full the least recently updated entry is reused. */
#define EK_REFNODE_FC_ENTRIES 16u

void ek_refnode_cfg_default(ek_refnode_cfg *c);

/* Named compliant variants: a set of ek_refnode_choices (and for some the local cost,
 * always below 0x20) that a compliant device may use; the harness must pass each of
 * them in every wire profile, with or without link-layer security. */
typedef struct ek_refnode_variant_info {
    const char *name;          /* command-line name (enroll-refdut --variant) */
    const char *summary;
    uint16_t needs_ocp;        /* 0, or 1 when the harness must announce OCP 1 (MRHOF) in
                                  its DODAG Configuration for the choice to take effect */
    const char *matters_in;    /* wire profiles in which the choice shows ("all" or a list);
                                  the variant is legal in every profile, secured or not */
    ek_refnode_choices choices; /* what ek_refnode_variant_apply sets */
    int16_t local_cost;        /* local cost it sets, -1 = keeps cfg.local_cost */
} ek_refnode_variant_info;

/* The catalogue: *out = the first entry; returns the count (entry 0 is "default"). */
size_t ek_refnode_variants(const ek_refnode_variant_info **out);
/* Sets cfg->choices (and cfg->local_cost for the local-cost variants) to the named
 * variant's; every other field is kept.  0, or -1 for an unknown name (cfg untouched). */
int ek_refnode_variant_apply(const char *name, ek_refnode_cfg *cfg);

typedef struct ek_refnode ek_refnode;

/* What the node sends once joined (a parent chosen):
 *  - DIOs on Trickle (RFC 6206 §4.2; I starts at Imin on joining, RFC 6550 §8.3; Imin, Imax
 *    and k from the parent's DODAG Configuration): our rank (parent rank + the OF's rank
 *    increase: OCP 0 OF0 (Rf * Sp + Sr) * MinHopRankIncrease, default 2 x; OCP 1 MRHOF
 *    max(MinHopRankIncrease, link ETX); any other OCP is treated as OF0, where
 *    RFC 6550 §8.5 would allow leaf-only or no join), the parent's
 *    DODAG Configuration, and the adopted option re-encoded unchanged (none when nothing
 *    was adopted; the Length-4 form under choices.len4_form).
 *  - A DIO is dropped whole, with no state change, when an option runs past its end
 *    (RFC 6550 §6.7.1 framing broken); an option whose Length fits no layout of its
 *    known type is ignored and the rest of the DIO used.
 *  - EBs every eb_period_ms, the first one eb_period_ms after joining (ek/build.h layout):
 *    ASN = (now - node start) / 10 ms, node start = the first call after ek_refnode_new
 *    (ek_refnode_reset keeps the ASN running); Join Metric = DAGRank(rank) - 1
 *    (RFC 8180 §6.1); Join-Info R=1, P=0, proxy priority = state.proxy_priority, rank
 *    priority = DAGRank clipped to the field (0xfff rfc9032-literal, 0xff byte-aligned),
 *    PAN priority 0, network ID = the first 8 octets of the DODAGID.  EB periods vary by
 *    choices.eb_jitter_pct.  None in legacy mode. */

/* Per-node state, readable for tests and the refdut's status line. */
typedef struct ek_refnode_state {
    bool joined;                /* has a preferred parent */
    uint8_t parent_ext[8];
    uint16_t parent_rank, rank;
    uint8_t instance, dodag_version;
    uint8_t dodagid[16];
    bool has_option;            /* an option was adopted from the parent */
    uint8_t opt_version;        /* adopted option Version (draft-09/16) */
    bool opt_t;
    uint8_t min_priority;       /* adopted minimum, 0x40 when none (EP-17) */
    uint8_t proxy_priority;     /* what our EBs carry (EP-15) */
    uint32_t trickle_i_ms;      /* current Trickle interval */
    uint32_t trickle_imin_ms, trickle_imax_ms; /* in force (DODAG Configuration or fallback) */
    uint8_t trickle_k;
    bool has_conf;              /* a DODAG Configuration from the parent is in force */
    uint16_t ocp;               /* its OCP (0 before one arrives) */
    uint64_t dios_sent, ebs_sent, dios_received, dios_dropped, trickle_resets;
    bool dead;                  /* crash fault fired: the process must die */
    uint64_t jp_forwarded, jp_relayed, jp_dropped, jp_updates; /* Join Proxy (cfg.cojp) */
    uint64_t jrc_answered, jrc_dropped, jrc_diagnostics; /* JRC (cfg.jrc) */
    uint64_t jrc_state_writes;  /* changes of the OSCORE state to persist (§7.3.1) */
    /* secured network (cfg.secured; IEEE 802.15.4-2015 §9.2.5): frames dropped before
     * RPL saw them, by reason; every frame from another node counts once at most */
    uint64_t dropped_unsecured; /* Security Enabled = 0 */
    uint64_t dropped_mic;       /* no key for it, a key its frame type may not use (RFC 8180
                                   §4.6: EBs K1, data K2), no nonce possible, or the MIC did
                                   not verify */
    uint64_t dropped_replay;    /* frame counter not above the last accepted one, or stale ASN */
    uint32_t frame_counter;     /* our next outgoing frame counter (kept across resets) */
} ek_refnode_state;

/* NULL on allocation failure or an invalid cfg (errbuf says which field). */
ek_refnode *ek_refnode_new(const ek_refnode_cfg *cfg, char *errbuf, size_t errlen);
void ek_refnode_free(ek_refnode *n);
/* Forget everything learnt (parent, option, Trickle): what SIGHUP does in enroll-refdut. */
void ek_refnode_reset(ek_refnode *n, uint64_t now_ns);

/* One received MPDU (no FCS).  Anything undecodable or not for us is counted and
 * ignored; nothing a neighbour sends can crash it (except the crash fault). */
void ek_refnode_rx(ek_refnode *n, const uint8_t *mpdu, size_t len, uint64_t now_ns);
/* Earliest time something is due (DIO or EB), UINT64_MAX when idle (not joined). */
uint64_t ek_refnode_next_event(const ek_refnode *n);
/* Runs what is due at now; writes at most one MPDU into out and returns its length
 * (0 = nothing to send now; call again until 0). */
size_t ek_refnode_poll(ek_refnode *n, uint64_t now_ns, uint8_t *out, size_t cap);

void ek_refnode_get_state(const ek_refnode *n, ek_refnode_state *s);

/* A control command of the DODAG root (cfg.root), one line as the harness's [root]
 * templates send them to enroll-refdut's stdin:
 *   "min N"         routine change of the minimum (T = 0), N 0..127 decimal or 0x..
 *   "min N urgent"  important change (T = 1, draft-16 §3.2)
 *   "routes N"      the root now holds N routes: the DODAG size (draft-16 §3.1), routine
 * A change of the option's contents increments its Version (lollipop, RFC 6550 §7.2;
 * draft-09/-16, EP-10), sets T as asked and resets Trickle (choices.root_deferred: only
 * for urgent changes); the same contents again change nothing.  0, or -1 with the
 * reason in msg (not a root, unknown command, value out of range). */
int ek_refnode_command(ek_refnode *n, const char *line, uint64_t now_ns, char *msg, size_t msglen);

/* JRC (cfg.jrc): the mutable OSCORE state of every pledge context (RFC 9031 §7.3.1), to
 * write to persistent memory whenever state.jrc_state_writes moves; the octets written,
 * 0 when cap is short.  _restore loads such a record (false: malformed, nothing kept). */
size_t ek_refnode_jrc_state(const ek_refnode *n, uint8_t *out, size_t cap);
bool ek_refnode_jrc_restore(ek_refnode *n, const uint8_t *in, size_t len);

#endif /* EK_REFNODE_H */
