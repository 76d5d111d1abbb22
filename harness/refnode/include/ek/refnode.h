/* SPDX-License-Identifier: BSD-3-Clause */
/* The reference 6LR + Join Proxy (issue 4 §3): the behaviour draft-ietf-roll-enrollment-
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
    /* issue 5 (secured network; their fault_info profiles carry "+secured"): */
    EK_FAULT_ACCEPT_REPLAY,        /* "accepts-replayed-counter": no frame-counter replay check    S1 */
    EK_FAULT_COUNTER_BEFORE_MIC,   /* "counter-before-mic": stores the frame counter before the
                                       MIC verifies (a forged frame blocks later real ones)        S5 */
    EK_FAULT_ACCEPT_UNSECURED,     /* "accepts-unsecured-dio": uses unsecured DIOs in a secured
                                       network                                                      S5 */
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
                                  mutation tests run it in those profiles with security on */
    const char *summary;
} ek_refnode_fault_info;

const ek_refnode_fault_info *ek_refnode_fault_info_get(ek_refnode_fault f);
/* By command-line name; EK_FAULT_COUNT if unknown. */
ek_refnode_fault ek_refnode_fault_parse(const char *name);

typedef struct ek_refnode_cfg {
    ek_profile prof;            /* wire profile: option type/layout, IE layout */
    uint8_t ext[8];             /* our EUI-64 */
    uint16_t pan_id;
    uint8_t local_cost;         /* added to the adopted minimum for the EB proxy priority
                                   (-16 §3.2; EP-15); default 0x05 */
    uint32_t dio_imin_ms;       /* Trickle Imin (RFC 6206 §4.1); fast default 16 */
    uint8_t dio_doublings;      /* Imax = Imin << doublings; default 6 */
    uint8_t dio_redundancy;     /* k; 0 = never suppress (RFC 6550 §8.3.1) */
    uint32_t eb_period_ms;      /* EB period once joined; default 50 */
    uint64_t seed;              /* Trickle randomness (xorshift, deterministic per seed) */
    ek_refnode_fault fault;
    /* Link-layer security (issue 5; RFC 8180 §4.6): when secured, DIOs go out under k2 at
     * dio_level, EBs under k1 at eb_level; received frames must verify (unsecured and
     * wrongly keyed ones dropped), and per-sender frame counters must increase (updated
     * only after the MIC verifies; ASN freshness in ASN-nonce mode). */
    bool secured;
    ek_sec_key k1, k2;
    uint8_t eb_level, dio_level;
    bool asn_nonce;
} ek_refnode_cfg;

/* Secured receive, ASN-nonce mode: a frame whose ASN is more than this many slots
 * older than ours is stale (dropped); a frame that carries no ASN (not an EB, or an EB
 * with encrypted IEs) is tried with every ASN within this many slots of ours. */
#define EK_REFNODE_ASN_WINDOW 100u
/* Per-sender frame counters kept for the replay check (sender EUI-64 x key index);
 * when full the least recently updated entry is reused. */
#define EK_REFNODE_FC_ENTRIES 16u

void ek_refnode_cfg_default(ek_refnode_cfg *c);

typedef struct ek_refnode ek_refnode;

/* What the node sends once joined (a parent chosen):
 *  - DIOs on Trickle (RFC 6206 §4.2; I starts at Imin on joining, RFC 6550 §8.3): our rank
 *    (OF0, parent rank + 2 * MinHopRankIncrease), the parent's DODAG Configuration, and the
 *    adopted option re-encoded unchanged (none when nothing was adopted).
 *  - EBs every eb_period_ms, the first one eb_period_ms after joining (ek/build.h layout):
 *    ASN = (now - node start) / 10 ms, node start = the first call after ek_refnode_new
 *    (ek_refnode_reset keeps the ASN running); Join Metric = DAGRank(rank) - 1
 *    (RFC 8180 §6.1); Join-Info R=1, P=0, proxy priority = state.proxy_priority, rank
 *    priority = DAGRank clipped to the field (0xfff rfc9032-literal, 0xff byte-aligned),
 *    PAN priority 0, network ID = the first 8 octets of the DODAGID. */

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
    uint64_t dios_sent, ebs_sent, dios_received, dios_dropped, trickle_resets;
    bool dead;                  /* crash fault fired: the process must die */
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

#endif /* EK_REFNODE_H */
