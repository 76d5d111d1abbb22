/* SPDX-License-Identifier: BSD-3-Clause */
/* The reference 6LR + Join Proxy: parent selection and OF0 rank (RFC 6550 §8.2, RFC 6552
 * §4.1), DIO Trickle (RFC 6206 §4.2, RFC 6550 §8.3), the Minimum Enrollment Priority
 * rules of draft-ietf-roll-enrollment-priority (-03 §2, -09/-16 §3.1-3.2, §4.1) and RFC 8180
 * §6.1 Enhanced Beacons with the RFC 9032 Join-Info IE; in a secured network (RFC 8180
 * §4.6) DIOs under K2 and EBs under K1, and the IEEE 802.15.4-2015 §9.2.5 incoming frame
 * checks with per-sender frame counters.  Pure: frames and times in, frames out; the
 * only allocation is the node itself. */
#include "ek/refnode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/build.h"
#include "ek/consts.h"
#include "ek/frame.h"
#include "ek/rpl.h"
#include "jp_int.h"
#include "jrc_int.h"

#define NS_PER_MS 1000000ull
#define SLOT_NS (10ull * NS_PER_MS)  /* RFC 8180 §4.1: 10 ms timeslots -> ASN */
#define RANK_INFINITE 0xffffu        /* RFC 6550 §17 INFINITE_RANK */
#define MAX_NEIGHBOURS 8
#define OUR_DTSN 240                 /* RFC 6550 §7.2 lollipop start; never incremented */
#define PLAIN_MAX 256                /* unsecured copy of a received frame (PSDU <= 127) */
#define MHRI_DEFAULT 256u            /* RFC 6550 §17 DEFAULT_MIN_HOP_RANK_INCREASE */
#define IMIN_EXP_MAX 31u             /* 2^DIOIntMin ms kept within 32 bits */
#define IMAX_MS_MAX (1ull << 36)     /* Imax cap (about 2 years): no overflow in ns */

/* ------------------------------------------------------------------ faults */

static const ek_refnode_fault_info FAULTS[EK_FAULT_COUNT] = {
    { EK_FAULT_NONE, "none", "", "", "", "compliant reference node", "" },
    { EK_FAULT_IGNORE_OPTION, "ignore-option", "EP-13", "TP-EP-06", "draft-03,draft-04,draft-09,draft-16",
      "never adopts the option: min stays 0x40, EB proxy 0x40 + local cost (caught when the "
      "stimulus minimum is above 0x40 + local cost)", "" },
    { EK_FAULT_LOWER_PRIORITY, "lower-priority", "EP-15,EP-19", "TP-EP-06", "draft-03,draft-04,draft-09,draft-16",
      "EB proxy priority = adopted minimum - local cost (below the minimum)", "" },
    { EK_FAULT_ADVERTISE_DISABLED, "advertise-when-disabled", "EP-3", "TP-EP-10",
      "draft-03,draft-04,draft-09,draft-16", "adopted 0x7f still gives EB proxy priority 0x7e", "" },
    { EK_FAULT_R_BIT_INTO_VALUE, "r-bit-into-value", "EP-20", "TP-EP-04", "draft-03,draft-04",
      "reads the priority octet whole (R | min), so R=1 makes the value >= 0x80, saturated to "
      "0x7f: the propagated option's min becomes 0x7f and the EB proxy 0x7f (under draft-09/16 "
      "the octet holds T, so T=1 does the same; TP-EP-04 sends T=0 there, hence draft-03/-04)", "" },
    { EK_FAULT_WRONG_DEFAULT, "wrong-default", "EP-17", "TP-EP-12", "draft-03,draft-04,draft-09,draft-16",
      "without an option from the parent the minimum is 0x00 instead of 0x40", "" },
    { EK_FAULT_FOLLOW_NEIGHBOUR, "follow-neighbour", "EP-5", "TP-EP-09", "draft-16",
      "adopts the option from any DIO of the DODAG, not only the preferred parent's (observable "
      "in every profile; TP-EP-09 fails it under draft-16, INFO elsewhere)", "" },
    { EK_FAULT_ADOPT_OLDER, "adopt-older", "EP-12", "TP-EP-05", "draft-09,draft-16",
      "adopts whatever option version arrives last, older ones included", "" },
    { EK_FAULT_NO_TRICKLE_RESET, "no-trickle-reset", "EP-14,EP-6", "TP-EP-07", "draft-09,draft-16",
      "option changes never reset the DIO Trickle timer (neither T=1 with a newer version nor a "
      "draft-16 rise of the minimum)", "" },
    { EK_FAULT_WRAP_SATURATION, "wrap-on-saturation", "EP-15", "TP-EP-11", "draft-03,draft-04,draft-09,draft-16",
      "EB proxy priority = (minimum + local cost) & 0x7f: wraps instead of saturating at 0x7f", "" },
    { EK_FAULT_DROP_UNKNOWN_OPTIONS, "drop-unknown-options", "EP-21", "TP-EP-13",
      "draft-03,draft-04,draft-09,draft-16",
      "drops a whole DIO that carries any unknown option (as Contiki-NG rpl-lite does)", "TP-LEG-01" },
    { EK_FAULT_CRASH_MALFORMED, "crash-on-malformed-length", "S17", "TP-EP-14",
      "draft-03,draft-04,draft-09,draft-16",
      "dies (state.dead; enroll-refdut aborts) on a DIO option whose Length does not fit", "" },
    { EK_FAULT_IE_LENGTH, "ie-length-wrong", "EB-2", "TP-EB-01", "draft-03,draft-04,draft-09,draft-16",
      "Join-Info IETF IE Length one octet too long", "" },
    { EK_FAULT_ALTER_OPTION, "alter-option", "EP-9a", "TP-EP-04", "draft-04,draft-09,draft-16",
      "propagates the option with the DODAG size code changed (draft-03 has no size field)", "" },
    /* "+secured" = observable only with link-layer security on (ek/refnode.h) */
    { EK_FAULT_ACCEPT_REPLAY, "accepts-replayed-counter", "S1", "TP-SEC-01", "draft-09,draft-16+secured",
      "no frame-counter check: a secured DIO replayed with its counter unchanged (or rewound) is "
      "used (TP-SEC-01 sends newer option versions under an old counter, hence draft-09/-16)", "" },
    { EK_FAULT_COUNTER_BEFORE_MIC, "counter-before-mic", "S5", "TP-SEC-04", "draft-09,draft-16+secured",
      "stores the sender's frame counter before the MIC verifies: a forged frame with a huge "
      "counter makes the real parent's next DIOs look like replays (IEEE 802.15.4-2015 §9.2.5)", "" },
    { EK_FAULT_ACCEPT_UNSECURED, "accepts-unsecured-dio", "S5", "TP-SEC-02",
      "draft-03,draft-04,draft-09,draft-16+secured",
      "uses unsecured DIOs in a secured network (RFC 8180 §4.6: data frames are secured with K2)", "" },
    /* robustness and RPL-base faults: observable in legacy mode too (last column) */
    { EK_FAULT_COPY_UNKNOWN_OPTIONS, "copy-unknown-options", "EP-21", "TP-LEG-02",
      "draft-03,draft-04,draft-09,draft-16",
      "copies every option of a type it does not implement from its preferred parent's latest DIO "
      "into its own DIOs (RFC 6550 §6.7.1: unknown options are skipped, not propagated)",
      "TP-LEG-02" },
    { EK_FAULT_RANK_BEFORE_VALIDATE, "rank-before-validate", "S17", "TP-LEG-04",
      "draft-03,draft-04,draft-09,draft-16",
      "on a DIO whose last option runs past its end, first stores the sender's rank and recomputes "
      "parent and rank, then drops the rest (the compliant node drops such a DIO whole)",
      "TP-LEG-04" },
    { EK_FAULT_CRASH_EMPTY_OPTION, "crash-on-empty-option", "S17", "TP-EP-14",
      "draft-03,draft-04,draft-09,draft-16",
      "dies (state.dead; enroll-refdut aborts) on a DIO carrying an option other than PadN with "
      "Length 0, unknown types included",
      "TP-LEG-03" },
    { EK_FAULT_JI_P_WITHOUT_IID, "ji-p-without-iid", "EB-2,EB-4", "TP-EB-01",
      "draft-03,draft-04,draft-09,draft-16",
      "Join-Info with P = 1 but no Join Proxy interface ID (content 5 + network ID octets; RFC 9032 §2)",
      "" },
    { EK_FAULT_TRICKLE_TOO_SLOW, "trickle-too-slow", "T-1", "TP-LEG-05",
      "draft-03,draft-04,draft-09,draft-16",
      "Imax one doubling beyond the DODAG's and every DIO at the very end of its interval: steady "
      "gaps of 2 Imax (RFC 6206 §4.2 allows at most 1.5 Imax)",
      "TP-LEG-05" },
    { EK_FAULT_JOIN_METRIC, "join-metric-no-minus-one", "EB-13", "TP-EB-09",
      "draft-03,draft-04,draft-09,draft-16",
      "EB join metric = DAGRank(rank) instead of DAGRank(rank) - 1 (RFC 8180 §6.1)",
      "" },
    { EK_FAULT_RANK_BELOW_MIN_INC, "rank-below-min-increase", "R-1", "TP-LEG-01",
      "draft-03,draft-04,draft-09,draft-16",
      "rank = parent rank + MinHopRankIncrease / 2 (RFC 6550 §14: the increase is at least "
      "MinHopRankIncrease)",
      "TP-LEG-01" },
    /* DODAG root faults: "+root" = run against a root DUT (cfg.root, role root) */
    { EK_FAULT_ROOT_NO_VERSION_BUMP, "root-no-version-bump", "EP-10", "TP-EP-02", "draft-09,draft-16+root",
      "the root changes the minimum or the DODAG size in its option without incrementing the option "
      "Version (draft-16 §3.2: MUST increment)", "" },
    { EK_FAULT_ROOT_SIZE_ROUNDED_DOWN, "root-size-rounded-down", "EP-4", "TP-EP-01", "draft-16+root",
      "the root rounds the DODAG size down (100 routes -> Exp 3, DODAGSz 12 = 96) where draft-16 §3.1 "
      "rounds up (draft-04/-09 encode 100 exactly, hence draft-16)", "" },
    { EK_FAULT_ROOT_T_WRONG, "root-t-flag-wrong", "EP-11", "TP-EP-03", "draft-09,draft-16+root",
      "the root sets T = 0 for an urgent change and T = 1 for a routine one (draft-16 §3.2)", "" },
    { EK_FAULT_ROOT_SIZE_DRIFT, "root-same-version-new-contents", "EP-10", "TP-EP-02", "draft-09,draft-16+root",
      "every other DIO of the root carries the next DODAG size code under the same option Version "
      "(a size that drifts between DIOs without a Version increment)", "" },
    /* Join Proxy faults: "+jp" = run against a 6LR DUT declaring cojp (cfg.cojp) */
    { EK_FAULT_JP_FORWARD_WHEN_OFF, "jp-forwards-when-disabled", "EP-3,JP-6", "TP-EP-10b", "draft-09,draft-16+jp",
      "the Join Proxy forwards pledges' Join Requests while the adopted minimum is 0x7f (enrollment off, "
      "draft-16 §3.1)", "" },
    { EK_FAULT_JP_IGNORE_JOIN_RATE, "jp-ignores-join-rate", "JP-1", "TP-CJ-01", "draft-09,draft-16+jp",
      "a non-zero join rate from the JRC is not applied: join traffic forwarded above it (RFC 9031 §8.4.2: "
      "MUST be used to set PROBING_RATE)", "" },
    { EK_FAULT_JP_IGNORE_BLACKLIST, "jp-ignores-blacklist", "JP-2", "TP-CJ-02", "draft-09,draft-16+jp",
      "forwards the Join Requests of a blacklisted pledge (RFC 9031 §8.4.2: MUST silently drop)", "" },
    { EK_FAULT_JP_CON_WHEN_STATELESS, "jp-con-when-stateless", "JP-3", "TP-CJ-03", "draft-09,draft-16+jp",
      "the stateless Join Proxy forwards the pledge's request as CON (RFC 9031 §7.1: MUST be NON)", "" },
    /* JRC faults: "+jrc" = run against a JRC DUT (cfg.jrc, role jrc) */
    { EK_FAULT_JRC_REPLAY_AFTER_RESTART, "jrc-accepts-replay-after-restart", "S14,JRC-3", "TP-JRC-03",
      "draft-16+jrc", "the JRC keeps its OSCORE replay windows in RAM only: after a reboot a replayed Join "
      "Request is answered with a 2.04 (RFC 9031 §7.3.1: MUST be persisted; RFC 8613 §7.4)", "" },
    { EK_FAULT_JRC_SSN_REUSE, "jrc-reuses-sequence-number", "JRC-3", "TP-JRC-03", "draft-16+jrc",
      "the JRC's responses carry their own Partial IV, but its sender sequence number restarts at 0 after a "
      "reboot: a nonce reused under the same key (RFC 9031 §7.3.1, RFC 8613 §7.2.1)", "" },
    /* pledge faults: "+pledge" = run against a pledge DUT (ek/pledge.h, role pledge) */
    { EK_FAULT_PLEDGE_JOIN_VIA_7F, "pledge-joins-via-7f", "EB-5", "TP-EB-03", "draft-16+pledge",
      "the proxy priority is not looked at: a Join Proxy whose EBs say 0x7f is a candidate like any other "
      "and the first one heard is used (RFC 9032 §2: 0x7f = never a Join Proxy)", "" },
    { EK_FAULT_PLEDGE_WRONG_JP_ADDRESS, "pledge-ignores-jp-iid", "EB-4", "TP-EB-05", "draft-16+pledge",
      "with P = 1 the Join Request still goes to the address derived from the EB's link-layer source, not "
      "to fe80:: + the advertised interface ID (RFC 9032 §2)", "" },
    { EK_FAULT_PLEDGE_SSN_REUSE, "pledge-reuses-sequence-number", "S7", "TP-SEC-02-pledge", "draft-16+pledge",
      "the OSCORE sender sequence number restarts at 0 after a reboot: Partial IVs (nonces) reused under the "
      "PSK (RFC 9031 §7.3, §7.3.1; RFC 8613 Appendix B.1.1)", "" },
    { EK_FAULT_PLEDGE_ACCEPT_UNPROTECTED_ERROR, "pledge-accepts-unprotected-error", "S13", "TP-SEC-03-pledge",
      "draft-16+pledge", "an unprotected 4.xx / 5.xx response to the Join Request ends the join: the pledge "
      "stops retransmitting and gives up (RFC 9031 §7.3.2: MUST silently discard)", "" },
    { EK_FAULT_PLEDGE_ACCEPT_REPLAYED_UPDATE, "pledge-accepts-replayed-update", "S15", "TP-SEC-04-pledge",
      "draft-16+pledge", "the OSCORE replay window is kept in RAM only: after a reboot a replayed Parameter "
      "Update is taken and answered (RFC 9031 §7.3.1: MUST be persisted)", "" },
    { EK_FAULT_PLEDGE_OTHER_NETWORK, "pledge-takes-other-network", "S10", "TP-SEC-02-pledge",
      "draft-16+pledge+provisioned", "provisioned with a network ID, it still joins through EBs that carry "
      "another (RFC 9031 §4.1)", "" },
    /* a Join Proxy fault appended after the others (the catalogue's order is the enum's) */
    { EK_FAULT_JP_ACCEPT_REPLAYED_UPDATE, "jp-accepts-replayed-update", "JP-7", "TP-CJ-04", "draft-09,draft-16+jp",
      "the Join Proxy keeps its OSCORE replay window in RAM only: after a reboot a replayed Parameter Update is "
      "taken and answered (RFC 9031 §7.3.1: MUST be persisted; §7.3.2: silently dropped)", "" },
};

const ek_refnode_fault_info *ek_refnode_fault_info_get(ek_refnode_fault f)
{
    if ((unsigned)f >= EK_FAULT_COUNT)
        return NULL;
    return &FAULTS[f];
}

ek_refnode_fault ek_refnode_fault_parse(const char *name)
{
    if (!name)
        return EK_FAULT_COUNT;
    for (unsigned i = 0; i < EK_FAULT_COUNT; i++)
        if (strcmp(FAULTS[i].name, name) == 0)
            return (ek_refnode_fault)i;
    return EK_FAULT_COUNT;
}

/* ------------------------------------------------------------------ variants */

/* V(name, summary, needs_ocp, matters_in, Rf, Sp, Sr, link ETX x 128, Trickle phase,
 *   R copied, Length-4 form, EB jitter %, local cost or -1 to keep cfg.local_cost) */
#define V(nm, sum, ocp, in, rf, sp, sr, etx, ph, rc, l4, jit, cost)                                          \
    { .name = nm, .summary = sum, .needs_ocp = ocp, .matters_in = in,                                         \
      .choices = { .of0_rank_factor = rf, .of0_step_of_rank = sp, .of0_rank_stretch = sr,                     \
                   .mrhof_link_etx = etx, .trickle_phase = EK_TRICKLE_PHASE_##ph, .r_copy = rc,              \
                   .len4_form = l4, .eb_jitter_pct = jit },                                                   \
      .local_cost = cost }

#define ALL "all"
#define D0304 "draft-03,draft-04"
#define D16 "draft-16"

static const ek_refnode_variant_info VARIANTS[] = {
    V("default", "the defaults: OF0 Rf 1 Sp 2 Sr 0 (rank + 2 MinHopRankIncrease), Trickle t random in "
                   "[I/2, I), R copied, canonical lengths, EBs exactly every period, local cost 5",
      0, ALL, 1, 2, 0, 128, RANDOM, true, false, 0, -1),
    V("step-1", "OF0 Sp 1 (MINIMUM_STEP_OF_RANK): rank + 1 MinHopRankIncrease, the smallest legal increase",
      0, ALL, 1, 1, 0, 128, RANDOM, true, false, 0, -1),
    V("step-9", "OF0 Sp 9 (MAXIMUM_STEP_OF_RANK): rank + 9 MinHopRankIncrease",
      0, ALL, 1, 9, 0, 128, RANDOM, true, false, 0, -1),
    V("rf-2", "OF0 Rf 2, Sp 2: rank + 4 MinHopRankIncrease",
      0, ALL, 2, 2, 0, 128, RANDOM, true, false, 0, -1),
    V("rf-4-step-1", "OF0 Rf 4 (MAXIMUM_RANK_FACTOR), Sp 1: rank + 4 MinHopRankIncrease",
      0, ALL, 4, 1, 0, 128, RANDOM, true, false, 0, -1),
    V("stretch-5", "OF0 Sr 5 (MAXIMUM_RANK_STRETCH), Sp 2: rank + 7 MinHopRankIncrease",
      0, ALL, 1, 2, 5, 128, RANDOM, true, false, 0, -1),
    V("rf-4-step-9-stretch-5", "OF0 Rf 4, Sp 9, Sr 5: rank + 41 MinHopRankIncrease, the largest OF0 increase",
      0, ALL, 4, 9, 5, 128, RANDOM, true, false, 0, -1),
    V("trickle-early", "every DIO at exactly I/2 (RFC 6206 §4.2: t in [I/2, I))",
      0, ALL, 1, 2, 0, 128, EARLY, true, false, 0, -1),
    V("trickle-late", "every DIO at the very end of its interval (I - 1 ns): gaps up to Imax + Imax/2 "
                        "after a reset, Imax in steady state",
      0, ALL, 1, 2, 0, 128, LATE, true, false, 0, -1),
    V("trickle-late-step-9", "trickle-late and OF0 Sp 9",
      0, ALL, 1, 9, 0, 128, LATE, true, false, 0, -1),
    V("trickle-early-step-1", "trickle-early and OF0 Sp 1",
      0, ALL, 1, 1, 0, 128, EARLY, true, false, 0, -1),
    V("no-r-copy", "draft-03/-04: the propagated option carries R = 0 (copying R is a SHOULD, EP-20)",
      0, D0304, 1, 2, 0, 128, RANDOM, false, false, 0, -1),
    V("len4", "draft-16: the option sent with Length 4 and one trailing octet (the length printed in "
                "drafts -10..-16)",
      0, D16, 1, 2, 0, 128, RANDOM, true, true, 0, -1),
    V("len4-no-r-copy", "len4 and no-r-copy (each shows in its own profiles)",
      0, "draft-03,draft-04,draft-16", 1, 2, 0, 128, RANDOM, false, true, 0, -1),
    V("eb-jitter-25", "each EB period drawn uniformly in [0.75 P, 1.25 P]",
      0, ALL, 1, 2, 0, 128, RANDOM, true, false, 25, -1),
    V("eb-jitter-10-trickle-early", "EB periods in [0.9 P, 1.1 P] and every DIO at I/2",
      0, ALL, 1, 2, 0, 128, EARLY, true, false, 10, -1),
    V("eb-jitter-25-trickle-late", "EB periods in [0.75 P, 1.25 P] and every DIO at the end of its interval",
      0, ALL, 1, 2, 0, 128, LATE, true, false, 25, -1),
    V("mrhof-etx-1", "MRHOF (OCP 1) with link ETX 1 (128): rank + max(MinHopRankIncrease, 128)",
      1, ALL, 1, 2, 0, 128, RANDOM, true, false, 0, -1),
    V("mrhof-etx-2.5", "MRHOF (OCP 1) with link ETX 2.5 (320): rank + max(MinHopRankIncrease, 320)",
      1, ALL, 1, 2, 0, 320, RANDOM, true, false, 0, -1),
    V("mrhof-etx-4", "MRHOF (OCP 1) with link ETX 4 (512, MAX_LINK_METRIC): rank + max(MinHopRankIncrease, 512)",
      1, ALL, 1, 2, 0, 512, RANDOM, true, false, 0, -1),
    V("mrhof-etx-4-trickle-late", "mrhof-etx-4 and every DIO at the end of its interval",
      1, ALL, 1, 2, 0, 512, LATE, true, false, 0, -1),
    V("local-cost-0", "local cost 0: EB proxy priority = the adopted minimum",
      0, ALL, 1, 2, 0, 128, RANDOM, true, false, 0, 0),
    V("local-cost-0x1f", "local cost 0x1f (the largest the TDs allow for)",
      0, ALL, 1, 2, 0, 128, RANDOM, true, false, 0, 0x1f),
    V("max-of0-all-late", "rf-4-step-9-stretch-5, trickle-late, eb-jitter-25, no-r-copy, len4, local cost 0x1f: "
                            "every choice at its slow / large end",
      0, ALL, 4, 9, 5, 128, LATE, false, true, 25, 0x1f),
    V("min-of0-all-early", "step-1, trickle-early, eb-jitter-25, local cost 0: every choice at its fast / "
                             "small end",
      0, ALL, 1, 1, 0, 128, EARLY, true, false, 25, 0),
    /* choices of a DODAG root (no effect in a 6LR) */
    { .name = "root-deferred",
      .summary = "root: a routine change waits for the next Trickle transmission (no reset; urgent changes "
                 "still reset)",
      .matters_in = ALL,
      .choices = { .of0_rank_factor = 1, .of0_step_of_rank = 2, .mrhof_link_etx = 128,
                   .trickle_phase = EK_TRICKLE_PHASE_RANDOM, .r_copy = true, .root_deferred = true },
      .local_cost = -1 },
    { .name = "root-deferred-trickle-late",
      .summary = "root-deferred and every DIO at the end of its interval: the latest a routine change may show",
      .matters_in = ALL,
      .choices = { .of0_rank_factor = 1, .of0_step_of_rank = 2, .mrhof_link_etx = 128,
                   .trickle_phase = EK_TRICKLE_PHASE_LATE, .r_copy = true, .root_deferred = true },
      .local_cost = -1 },
    { .name = "root-size-coarse",
      .summary = "root: DODAG size rounded up to a power of two (100 routes -> 128), not the tightest value",
      .matters_in = "draft-04,draft-09,draft-16",
      .choices = { .of0_rank_factor = 1, .of0_step_of_rank = 2, .mrhof_link_etx = 128,
                   .trickle_phase = EK_TRICKLE_PHASE_RANDOM, .r_copy = true, .root_size_coarse = true },
      .local_cost = -1 },
    /* choices of a Join Proxy (cfg.cojp; no effect without it) */
    { .name = "jp-stateful",
      .summary = "Join Proxy: keeps per-pledge state (RFC 9031 §7.1 allows it), forwards with its own 2-octet "
                 "token and the pledge's message type (CON), relays the piggybacked answer",
      .matters_in = ALL,
      .choices = { .of0_rank_factor = 1, .of0_step_of_rank = 2, .mrhof_link_etx = 128,
                   .trickle_phase = EK_TRICKLE_PHASE_RANDOM, .r_copy = true, .jp_stateful = true },
      .local_cost = -1 },
    { .name = "jrc-response-piv",
      .summary = "JRC: responses carry their own Partial IV from the persisted sender sequence number "
                 "(RFC 8613 §8.3 allows either form)",
      .matters_in = ALL,
      .choices = { .of0_rank_factor = 1, .of0_step_of_rank = 2, .mrhof_link_etx = 128,
                   .trickle_phase = EK_TRICKLE_PHASE_RANDOM, .r_copy = true, .jrc_response_piv = true },
      .local_cost = -1 },
    { .name = "jp-no-dscp",
      .summary = "Join Proxy: forwarded join traffic carries DSCP 0, not AF43 (RFC 9031 §6.1.1 SHOULD; INFO on "
                 "TP-CJ-03)",
      .matters_in = ALL,
      .choices = { .of0_rank_factor = 1, .of0_step_of_rank = 2, .mrhof_link_etx = 128,
                   .trickle_phase = EK_TRICKLE_PHASE_RANDOM, .r_copy = true, .jp_no_dscp = true },
      .local_cost = -1 },
};

#undef ALL
#undef D0304
#undef D16

#define N_VARIANTS (sizeof VARIANTS / sizeof VARIANTS[0])

size_t ek_refnode_variants(const ek_refnode_variant_info **out)
{
    if (out)
        *out = VARIANTS;
    return N_VARIANTS;
}

int ek_refnode_variant_apply(const char *name, ek_refnode_cfg *cfg)
{
    if (!name || !cfg)
        return -1;
    for (size_t i = 0; i < N_VARIANTS; i++) {
        const ek_refnode_variant_info *v = &VARIANTS[i];
        if (strcmp(v->name, name) != 0)
            continue;
        cfg->choices = v->choices;
        if (v->local_cost >= 0)
            cfg->local_cost = (uint8_t)v->local_cost;
        return 0;
    }
    return -1;
}

/* ------------------------------------------------------------------ node */

/* Last frame counter accepted from one sender under one key (IEEE 802.15.4-2015
 * §9.2.5: the incoming counter must exceed it; it is updated after the MIC verifies). */
typedef struct fc_entry {
    bool used;
    uint8_t ext[8];
    uint8_t key_index;
    uint32_t last;
    uint64_t stamp;              /* for reuse of the least recently updated entry */
} fc_entry;

typedef struct neighbour {
    bool used;
    uint8_t ext[8];
    uint16_t rank;
    uint8_t instance, version;   /* RPLInstanceID, DODAG Version (RFC 6550 §6.3.1) */
    uint8_t dodagid[16];
    bool g;
    uint8_t mop, prf;
    bool has_conf;
    ek_rpl_dodag_conf conf;      /* latest DODAG Configuration (§6.7.6) it sent */
} neighbour;

struct ek_refnode {
    ek_refnode_cfg cfg;
    ek_refnode_state st;
    uint64_t rng;                /* xorshift64 state */
    bool have_start;
    uint64_t start_ns;           /* node start: ASN 0 (first call after new) */
    uint8_t seq;                 /* MAC sequence number */

    neighbour nb[MAX_NEIGHBOURS];
    int parent;                  /* index into nb, -1 when detached */
    bool has_conf;
    ek_rpl_dodag_conf conf;      /* taken from the parent, propagated (§6.7.6) */
    bool g;
    uint8_t mop, prf;

    ek_minprio opt;              /* adopted option, re-encoded in our DIOs (EP-9a) */
    ek_profile dec_prof;         /* decoding profile: cfg.prof, mep_type 0 in legacy mode */
    /* copy-unknown-options fault: the parent's latest unknown options */
    ek_build_raw_opt copied[EK_BUILD_MAX_EXTRA_OPTS];
    unsigned n_copied;

    /* Trickle (RFC 6206 §4.2), all in ns */
    bool trickle_on;
    uint64_t imin, imax, i;      /* interval lengths */
    uint64_t i_start, i_end, t_at;
    bool t_done;                 /* rule 4 already ran in this interval */
    unsigned c;                  /* consistent transmissions heard */
    unsigned k;                  /* redundancy constant in force */
    uint64_t eb_at;
    uint64_t rng_eb;             /* EB jitter: its own stream, so Trickle times do not move */

    ek_frame rx;                 /* decode scratch (large: kept off the stack) */

    /* link-layer security (cfg.secured) */
    ek_sec_keyring ring;         /* k[0] = K1, k[1] = K2 */
    fc_entry fc[EK_REFNODE_FC_ENTRIES];
    uint64_t fc_stamp;
    uint32_t tx_fc;              /* our frame counter: never reset (a reused counter would
                                    reuse a CCM* nonce under the same key) */
    bool tx_fc_exhausted;
    uint8_t plain[PLAIN_MAX];    /* unsecured copy of the frame being received */

    /* DODAG root (cfg.root) */
    bool root_started;           /* Trickle running (started at the first call with a time) */
    uint8_t root_min;            /* configured minimum */
    uint32_t root_routes;        /* routes held: the DODAG size (draft-16 §3.1) */
    bool root_drift;             /* root-same-version-new-contents: this DIO drifts */

    ek_jp jp;                    /* Join Proxy (cfg.cojp), jp.c */
    ek_jrc jrc;                  /* JRC (cfg.jrc), jrc.c */
};

void ek_refnode_cfg_default(ek_refnode_cfg *c)
{
    static const uint8_t EXT[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x01 };
    memset(c, 0, sizeof *c);
    ek_profile_default(&c->prof);
    memcpy(c->ext, EXT, 8);
    c->pan_id = 0xface;
    c->local_cost = 0x05;
    c->dio_imin_ms = 16;
    c->dio_doublings = 6;
    c->dio_redundancy = 10;
    c->eb_period_ms = 50;
    c->seed = 1;
    c->fault = EK_FAULT_NONE;
    memset(&c->choices, 0, sizeof c->choices);
    c->choices.of0_rank_factor = 1;  /* RFC 6552 §6.1 DEFAULT_RANK_FACTOR */
    c->choices.of0_step_of_rank = 2; /* within MINIMUM..MAXIMUM_STEP_OF_RANK (1..9) */
    c->choices.of0_rank_stretch = 0; /* DEFAULT_RANK_STRETCH */
    c->choices.mrhof_link_etx = EK_REFNODE_ETX_ONE;
    c->choices.trickle_phase = EK_TRICKLE_PHASE_RANDOM;
    c->choices.r_copy = true;
    c->choices.len4_form = false;
    c->choices.eb_jitter_pct = 0;
    c->legacy = false;
    /* RFC 8180 §4.6 keys; defaults are the published Contiki-NG ones (ek/sec.h) */
    c->secured = false;
    (void)ek_sec_key_named("K1-minimal15", &c->k1);
    (void)ek_sec_key_named("K2-contiki", &c->k2);
    c->eb_level = 1;  /* MIC-32: EBs authenticated only (RFC 8180 §4.6) */
    c->dio_level = 5; /* ENC-MIC-32 */
    c->asn_nonce = false;
    c->root = false;
    c->root_min = EK_MEP_PRIO_DEFAULT;
    c->root_routes = 0;
    c->cojp = false;
    c->cojp_psk_len = 0;
    c->cojp_rate_window_ms = 10000; /* RFC 9031 §7.2 ACK_TIMEOUT */
    c->has_jrc_addr = false;
    c->jrc = false;
    c->jrc_n_pledges = 0;
}

static uint64_t xorshift(uint64_t *state)
{
    /* xorshift64 (Marsaglia 2003, 13/7/17): deterministic per seed */
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

static uint64_t rnd(ek_refnode *n)
{
    return xorshift(&n->rng);
}

static void seed_rngs(ek_refnode *n)
{
    n->rng = n->cfg.seed ? n->cfg.seed : 0x9e3779b97f4a7c15ull;
    n->rng_eb = n->rng ^ 0xd1b54a32d192ed03ull;
    if (!n->rng_eb)
        n->rng_eb = 1;
}

static bool has_fault(const ek_refnode *n, ek_refnode_fault f)
{
    return n->cfg.fault == f;
}

static uint16_t min_hop(const ek_refnode *n)
{
    uint16_t m = n->has_conf ? n->conf.min_hop_rank_inc : MHRI_DEFAULT;
    return m ? m : MHRI_DEFAULT; /* a zero MinHopRankIncrease would divide by zero: §17 default */
}

/* RFC 6550 §3.5.1: DAGRank(rank) = floor(rank / MinHopRankIncrease). */
static unsigned dag_rank(const ek_refnode *n, uint16_t rank)
{
    return rank / min_hop(n);
}

/* ---- Trickle, RFC 6206 §4.2 ---- */

/* Imin, Imax and k in force (RFC 6550 §8.3.1): from the parent's DODAG Configuration
 * (Imin = 2^DIOIntMin ms, Imax = Imin << DIOIntDoublings, k = DIORedundancyConstant)
 * once there is one, cfg's fallback values before. */
static void trickle_params(ek_refnode *n)
{
    uint64_t imin_ms, imax_ms;
    unsigned doublings;
    if (n->has_conf) {
        unsigned e = n->conf.dio_int_min > IMIN_EXP_MAX ? IMIN_EXP_MAX : n->conf.dio_int_min;
        imin_ms = 1ull << e;
        doublings = n->conf.dio_int_doublings;
        n->k = n->conf.dio_redundancy;
    } else {
        imin_ms = n->cfg.dio_imin_ms;
        doublings = n->cfg.dio_doublings;
        n->k = n->cfg.dio_redundancy;
    }
    if (has_fault(n, EK_FAULT_TRICKLE_TOO_SLOW))
        doublings++; /* the defect: one doubling beyond the DODAG's */
    imax_ms = imin_ms;
    for (unsigned d = 0; d < doublings && imax_ms < IMAX_MS_MAX; d++)
        imax_ms <<= 1;
    if (imax_ms > IMAX_MS_MAX)
        imax_ms = IMAX_MS_MAX;
    if (imin_ms > imax_ms)
        imin_ms = imax_ms;
    n->imin = imin_ms * NS_PER_MS;
    n->imax = imax_ms * NS_PER_MS;
}

/* The preferred parent's DODAG Configuration (§6.7.6): propagated, and it drives our
 * Trickle and rank (§8.3.1, §8.2.2). */
static void adopt_conf(ek_refnode *n, const ek_rpl_dodag_conf *c)
{
    n->has_conf = true;
    n->conf = *c;
    trickle_params(n);
}

/* Rule 2: an interval of length n->i begins at `at`. */
static void trickle_begin(ek_refnode *n, uint64_t at)
{
    n->i_start = at;
    n->i_end = at + n->i;
    n->c = 0;
    uint64_t half = n->i / 2;
    ek_refnode_trickle_phase ph = n->cfg.choices.trickle_phase;
    if (has_fault(n, EK_FAULT_TRICKLE_TOO_SLOW))
        ph = EK_TRICKLE_PHASE_LATE; /* the defect's second half: always the last instant */
    if (ph == EK_TRICKLE_PHASE_EARLY)
        n->t_at = at + half; /* the earliest t rule 2 allows */
    else if (ph == EK_TRICKLE_PHASE_LATE)
        n->t_at = at + (n->i > half ? n->i - 1 : half); /* the latest t in [I/2, I) */
    else
        n->t_at = at + half + (n->i - half ? rnd(n) % (n->i - half) : 0);
    n->t_done = false;
}

/* Rule 6 (also used to start: RFC 6550 §8.3 joining a DODAG Version is an inconsistency,
 * so rule 1's I is Imin). */
static void trickle_inconsistent(ek_refnode *n, uint64_t now)
{
    if (n->trickle_on && n->i == n->imin)
        return; /* rule 6: "If I is equal to Imin ... Trickle does nothing" */
    bool was_on = n->trickle_on;
    n->trickle_on = true;
    n->i = n->imin;
    trickle_begin(n, now);
    if (was_on)
        n->st.trickle_resets++;
}

/* Rule 5: every interval that has ended by `now` doubles I (capped at Imax). */
static void trickle_roll(ek_refnode *n, uint64_t now)
{
    while (n->trickle_on && n->t_done && n->i_end <= now) {
        uint64_t at = n->i_end;
        n->i = n->i * 2 > n->imax ? n->imax : n->i * 2;
        trickle_begin(n, at);
    }
}

/* ---- enrollment option state ---- */

static uint8_t default_min(const ek_refnode *n)
{
    /* -16 §4.1 / -03 §2.1: SHOULD assume 0x40 when no option is received */
    return has_fault(n, EK_FAULT_WRONG_DEFAULT) ? 0x00 : EK_MEP_PRIO_DEFAULT;
}

static void recompute_priorities(ek_refnode *n)
{
    uint8_t min = n->st.has_option ? n->opt.min_priority : default_min(n);
    n->st.min_priority = min;
    unsigned cost = n->cfg.local_cost;
    uint8_t proxy;
    if (min >= EK_MEP_PRIO_DISABLED) {
        /* -16 §3.1: 0x7f disables the Join Proxy; RFC 9032 §2: 0x7f = never a JP */
        proxy = has_fault(n, EK_FAULT_ADVERTISE_DISABLED) ? EK_MEP_PRIO_DISABLED - 1 : EK_MEP_PRIO_DISABLED;
    } else if (has_fault(n, EK_FAULT_LOWER_PRIORITY)) {
        proxy = (uint8_t)(min > cost ? min - cost : 0);
    } else if (has_fault(n, EK_FAULT_WRAP_SATURATION)) {
        proxy = (uint8_t)((min + cost) & 0x7f);
    } else {
        /* -16 §3.2: adopted minimum + local considerations, at most 0x7f (EP-15) */
        unsigned s = min + cost;
        proxy = (uint8_t)(s > EK_MEP_PRIO_DISABLED ? EK_MEP_PRIO_DISABLED : s);
    }
    n->st.proxy_priority = proxy;
}

/* One enrollment option from a DIO we accept it from (the preferred parent; any DODAG
 * member under the follow-neighbour fault). */
static void take_option(ek_refnode *n, const ek_minprio *rx, uint64_t now)
{
    if (has_fault(n, EK_FAULT_IGNORE_OPTION))
        return;
    ek_minprio m = *rx;
    if (has_fault(n, EK_FAULT_R_BIT_INTO_VALUE)) {
        /* the defect: the whole priority octet is the value (R / T included), saturated */
        unsigned whole = (m.r || m.t ? 0x80u : 0u) | m.min_priority;
        m.min_priority = (uint8_t)(whole > EK_MEP_PRIO_DISABLED ? EK_MEP_PRIO_DISABLED : whole);
    }
    bool had = n->st.has_option;
    ek_minprio old = n->opt;
    bool reset = false;
    if (n->cfg.prof.mep == EK_MEP_DRAFT09 || n->cfg.prof.mep == EK_MEP_DRAFT16) {
        /* -16 §3.2: vl newer than vr (lollipop, RFC 6550 §7.2) -> ignore; otherwise adopt
         * Version, Min Priority, DODAG Size and T.  An equal version is "otherwise":
         * adopted, which changes nothing when the root obeys EP-10.  Incomparable versions
         * (§7.2 rule 4: "minimize the resulting changes to its own state") are ignored. */
        int cmp = had ? ek_rpl_lollipop_cmp(old.version, m.version) : -1;
        if ((cmp == 1 || cmp == EK_RPL_LOLLIPOP_INCOMPARABLE) && !has_fault(n, EK_FAULT_ADOPT_OLDER))
            return;
        bool newer = !had || ek_rpl_lollipop_cmp(m.version, old.version) == 1;
        if (newer && m.t)
            reset = true; /* -16 §3.2: vl < vr and T=1 -> MUST reset (EP-14) */
        if (n->cfg.prof.mep == EK_MEP_DRAFT16 && had && m.min_priority > old.min_priority)
            reset = true; /* -16 §3.1: a rise from the parent is inconsistent (EP-6) */
    }
    /* -03 §2 / -04: no version; the parent's latest value is taken.  R is ignored on
     * receipt (EP-20) and kept only to be copied into the option we send. */
    n->opt = m;
    n->st.has_option = true;
    n->st.opt_version = m.version;
    n->st.opt_t = m.t;
    recompute_priorities(n);
    if (reset && !has_fault(n, EK_FAULT_NO_TRICKLE_RESET))
        trickle_inconsistent(n, now);
}

/* ---- DODAG root (cfg.root) ---- */

static void clock_start(ek_refnode *n, uint64_t now);

/* RFC 6550 §7.2 rule 2: past the maximum the counter wraps to 0; the maximum is 255 in
 * the linear region (>= 128) and 127 in the circular one. */
static uint8_t lollipop_inc(uint8_t v)
{
    if (v >= 128)
        return v == 255 ? 0 : (uint8_t)(v + 1);
    return v == 127 ? 0 : (uint8_t)(v + 1);
}

/* The DODAG size field for `routes` in our layout: draft-16 §3.1 DODAGSz x 2^Exp with a
 * 4-bit DODAGSz, draft-04/-09 a 12-bit code x 2^exp; "the DODAG Root is to always round
 * up" (-16 §3.1), to the smallest representable value (ek_minprio_size_encode). */
static void root_size(const ek_refnode *n, uint32_t routes, uint8_t *exp, uint16_t *code)
{
    ek_mep_profile m = n->cfg.prof.mep;
    uint32_t maxc = m == EK_MEP_DRAFT16 ? 0xfu : 0xfffu;
    unsigned e = 0;
    if (has_fault(n, EK_FAULT_ROOT_SIZE_ROUNDED_DOWN)) {
        /* the defect: the smallest unit that holds the value, the remainder dropped */
        while (e < 15 && (routes >> e) > maxc)
            e++;
        *exp = (uint8_t)e;
        *code = (uint16_t)((routes >> e) > maxc ? maxc : routes >> e);
        return;
    }
    if (n->cfg.choices.root_size_coarse && routes > 1) {
        while (e < 15 && (1ul << e) < routes)
            e++;
        if ((1ul << e) >= routes) { /* 1 x 2^e: >= routes, a legal rounding up, not the tightest */
            *exp = (uint8_t)e;
            *code = 1;
            return;
        }
    }
    /* false above the largest value (15 x 2^15 under -16): the largest is written */
    (void)ek_minprio_size_encode(routes, m, exp, code);
}

/* The option contents from the configured minimum and routes; Version and T are kept. */
static void root_contents(const ek_refnode *n, ek_minprio *o)
{
    ek_mep_profile m = n->cfg.prof.mep;
    o->profile = m;
    o->type = n->cfg.prof.mep_type;
    o->length = ek_minprio_data_len(m);
    o->r = false; /* -03 §2: R SHOULD be sent as 0 */
    o->min_priority = n->root_min;
    o->has_version = m == EK_MEP_DRAFT09 || m == EK_MEP_DRAFT16;
    o->has_size = m != EK_MEP_DRAFT03;
    o->exp = 0;
    o->size_code = 0;
    if (o->has_size)
        root_size(n, n->root_routes, &o->exp, &o->size_code);
    o->dodag_size = (uint32_t)o->size_code << o->exp;
}

static void root_publish(ek_refnode *n)
{
    n->st.has_option = true;
    n->st.opt_version = n->opt.version;
    n->st.opt_t = n->opt.t;
    recompute_priorities(n);
}

/* The root's state after new/reset: ROOT_RANK (RFC 6550 §8.2.2.2: MinHopRankIncrease),
 * its own DODAG Configuration (§6.7.6) and the option, Version 240 (§7.2 rule 1). */
static void root_init(ek_refnode *n)
{
    ek_build_dio d;
    ek_build_dio_init(&d); /* RFC 6550 §17 defaults for the fields we do not set */
    n->st.joined = true;
    n->st.rank = MHRI_DEFAULT;
    n->st.parent_rank = RANK_INFINITE;
    n->st.instance = d.base.instance;
    n->st.dodag_version = 240;
    memset(n->st.dodagid, 0, 16);
    n->st.dodagid[0] = 0xfd;
    memcpy(n->st.dodagid + 8, n->cfg.ext, 8);
    n->st.dodagid[8] ^= 0x02; /* RFC 4944 §6: IID from the EUI-64, U/L bit inverted */
    n->g = true;
    n->mop = d.base.mop;
    n->prf = 0;
    ek_rpl_dodag_conf c = d.conf;
    unsigned e = 0;
    while (e < IMIN_EXP_MAX && (2ull << e) <= n->cfg.dio_imin_ms)
        e++;
    c.dio_int_min = (uint8_t)e; /* Imin = 2^DIOIntMin ms */
    c.dio_int_doublings = n->cfg.dio_doublings;
    c.dio_redundancy = n->cfg.dio_redundancy;
    c.min_hop_rank_inc = MHRI_DEFAULT;
    c.ocp = 0;
    adopt_conf(n, &c);
    n->root_min = n->cfg.root_min > EK_MEP_PRIO_DISABLED ? EK_MEP_PRIO_DISABLED : n->cfg.root_min;
    n->root_routes = n->cfg.root_routes;
    memset(&n->opt, 0, sizeof n->opt);
    root_contents(n, &n->opt);
    n->opt.version = 240;
    n->opt.t = false;
    root_publish(n);
    n->root_started = false;
    n->root_drift = false;
    n->eb_at = UINT64_MAX; /* the reference root sends DIOs only */
}

static void root_start(ek_refnode *n, uint64_t now)
{
    if (!n->cfg.root || n->root_started)
        return;
    n->root_started = true;
    n->trickle_on = false;
    trickle_inconsistent(n, now); /* RFC 6550 §8.3: I = Imin when the DODAG starts */
}

/* A new minimum / route count.  draft-16 §3.2: whenever the root changes Min Priority or
 * DODAG Size it MUST increment the Version, and set T for an important change, else clear
 * it.  The root's own Trickle timer is reset (RFC 6206 §4.2 rule 6, the change is an
 * inconsistency it wants propagated) unless choices.root_deferred and routine. */
static void root_apply(ek_refnode *n, uint8_t min, uint32_t routes, bool urgent, uint64_t now)
{
    n->root_min = min;
    n->root_routes = routes;
    ek_minprio nw = n->opt;
    root_contents(n, &nw);
    if (nw.min_priority == n->opt.min_priority && nw.exp == n->opt.exp && nw.size_code == n->opt.size_code)
        return; /* the same contents: nothing changes, no new Version */
    if (nw.has_version) {
        if (!has_fault(n, EK_FAULT_ROOT_NO_VERSION_BUMP))
            nw.version = lollipop_inc(n->opt.version);
        nw.t = has_fault(n, EK_FAULT_ROOT_T_WRONG) ? !urgent : urgent;
    }
    n->opt = nw;
    root_publish(n);
    if (n->root_started && (urgent || !n->cfg.choices.root_deferred))
        trickle_inconsistent(n, now);
}

static bool parse_num(const char *t, unsigned long max, unsigned long *out)
{
    char *end = NULL;
    if (!t || !*t || *t == '-' || *t == '+')
        return false;
    unsigned long v = strtoul(t, &end, 0);
    if (!end || *end || v > max)
        return false;
    *out = v;
    return true;
}

int ek_refnode_command(ek_refnode *n, const char *line, uint64_t now_ns, char *msg, size_t msglen)
{
    char buf[128], *tok[4] = { NULL, NULL, NULL, NULL };
    unsigned nt = 0;
    if (msg && msglen)
        msg[0] = '\0';
    if (!n || !line)
        return -1;
    if (!n->cfg.root) {
        if (msg)
            snprintf(msg, msglen, "not a DODAG root (--role root)");
        return -1;
    }
    snprintf(buf, sizeof buf, "%s", line);
    char *save = NULL;
    for (char *t = strtok_r(buf, " \t\r\n", &save); t && nt < 4; t = strtok_r(NULL, " \t\r\n", &save))
        tok[nt++] = t;
    unsigned long v = 0;
    clock_start(n, now_ns);
    root_start(n, now_ns);
    trickle_roll(n, now_ns);
    if (nt >= 2 && nt <= 3 && strcmp(tok[0], "min") == 0 && parse_num(tok[1], EK_MEP_PRIO_DISABLED, &v) &&
        (nt == 2 || strcmp(tok[2], "urgent") == 0)) {
        root_apply(n, (uint8_t)v, n->root_routes, nt == 3, now_ns);
    } else if (nt == 2 && strcmp(tok[0], "routes") == 0 && parse_num(tok[1], UINT32_MAX, &v)) {
        root_apply(n, n->root_min, (uint32_t)v, false, now_ns);
    } else {
        if (msg)
            snprintf(msg, msglen, "unknown command \"%s\" (min N [urgent], routes N)", line);
        return -1;
    }
    if (msg)
        snprintf(msg, msglen, "option min 0x%02x size %u (routes %u) version %u T=%d", n->opt.min_priority,
                 (unsigned)n->opt.dodag_size, (unsigned)n->root_routes, n->opt.version, n->opt.t ? 1 : 0);
    return 0;
}

/* ---- lifecycle ---- */

static void forget(ek_refnode *n)
{
    memset(n->nb, 0, sizeof n->nb);
    n->parent = -1;
    n->has_conf = false;
    trickle_params(n); /* the fallback until a DODAG Configuration arrives */
    memset(&n->opt, 0, sizeof n->opt);
    n->n_copied = 0;
    n->trickle_on = false;
    n->t_done = false;
    n->c = 0;
    n->eb_at = UINT64_MAX;
    /* received frame counters are learnt state (the harness's roles start afresh after
     * a reset); our own counter is not */
    memset(n->fc, 0, sizeof n->fc);
    n->fc_stamp = 0;
    memset(&n->st, 0, sizeof n->st); /* counters too: a reset node starts afresh */
    n->st.rank = RANK_INFINITE;
    n->st.parent_rank = RANK_INFINITE;
    n->st.trickle_i_ms = 0;
    recompute_priorities(n);
    if (n->cfg.root)
        root_init(n);
    ek_jp_reset(&n->jp, &n->cfg);
    if (n->cfg.jrc)
        ek_jrc_reboot(&n->jrc, &n->cfg);
}

/* Levels with a MIC (IEEE 802.15.4-2015 §9.4.2.2 Table 9-6): 4 (ENC only) could not be
 * verified, so nobody would accept it (EK_SEC_LEVELS_WITH_MIC). */
static bool level_ok(uint8_t l)
{
    return l >= 1 && l <= 7 && l != 4;
}

/* Two keys a frame could not tell apart (§9.2.2 KeyDescriptor lookup). */
static bool same_key_id(const ek_sec_key *a, const ek_sec_key *b)
{
    static const uint8_t ks_len[4] = { 0, 0, 4, 8 };
    if (a->key_id_mode != b->key_id_mode)
        return false;
    if (a->key_id_mode == 0)
        return true;
    return a->key_index == b->key_index &&
           memcmp(a->key_source, b->key_source, ks_len[a->key_id_mode & 3]) == 0;
}

ek_refnode *ek_refnode_new(const ek_refnode_cfg *cfg, char *errbuf, size_t errlen)
{
    const char *bad = NULL;
    if (!cfg)
        bad = "cfg";
    else if ((unsigned)cfg->fault >= EK_FAULT_COUNT)
        bad = "fault";
    else if (cfg->dio_imin_ms == 0)
        bad = "dio_imin_ms";
    else if (cfg->dio_doublings > 24)
        bad = "dio_doublings";
    else if (cfg->choices.of0_rank_factor < 1 || cfg->choices.of0_rank_factor > 4)
        bad = "choices.of0_rank_factor (Rf 1..4, RFC 6552 §6.1)";
    else if (cfg->choices.of0_step_of_rank < 1 || cfg->choices.of0_step_of_rank > 9)
        bad = "choices.of0_step_of_rank (Sp 1..9, RFC 6552 §6.1)";
    else if (cfg->choices.of0_rank_stretch > 5)
        bad = "choices.of0_rank_stretch (Sr 0..5, RFC 6552 §6.1)";
    else if (cfg->choices.mrhof_link_etx < EK_REFNODE_ETX_ONE || cfg->choices.mrhof_link_etx > EK_REFNODE_ETX_MAX)
        bad = "choices.mrhof_link_etx (128..512, RFC 6719 §5)";
    else if ((unsigned)cfg->choices.trickle_phase > EK_TRICKLE_PHASE_LATE)
        bad = "choices.trickle_phase";
    else if (cfg->choices.eb_jitter_pct > EK_REFNODE_EB_JITTER_MAX)
        bad = "choices.eb_jitter_pct (0..25)";
    else if (cfg->eb_period_ms == 0)
        bad = "eb_period_ms";
    else if (cfg->local_cost > EK_MEP_PRIO_DISABLED)
        bad = "local_cost";
    else if ((unsigned)cfg->prof.mep > EK_MEP_DRAFT16)
        bad = "prof.mep";
    else if ((unsigned)cfg->prof.ji > EK_JI_BYTE_ALIGNED)
        bad = "prof.ji";
    else if (cfg->secured && !level_ok(cfg->eb_level))
        bad = "eb_level";
    else if (cfg->secured && !level_ok(cfg->dio_level))
        bad = "dio_level";
    else if (cfg->secured && (cfg->k1.key_id_mode > 3 || cfg->k2.key_id_mode > 3))
        bad = "k1/k2 key_id_mode";
    else if (cfg->secured && same_key_id(&cfg->k1, &cfg->k2))
        bad = "k2 (same key identifier as k1)";
    else if (cfg->root && cfg->legacy)
        bad = "root (a legacy node cannot originate the option)";
    else if (cfg->root && cfg->root_min > EK_MEP_PRIO_DISABLED)
        bad = "root_min (0..0x7f, draft-16 §3.1)";
    else if (cfg->root && (cfg->dio_doublings > 20 || cfg->dio_imin_ms > (1u << 20)))
        bad = "dio_imin_ms / dio_doublings of a root (its DODAG Configuration carries them)";
    else if (cfg->cojp && (cfg->cojp_psk_len < 16 || cfg->cojp_psk_len > 32))
        bad = "cojp_psk (16..32 octets, RFC 9031 §3)";
    else if (cfg->cojp && (cfg->root || cfg->legacy || cfg->secured))
        bad = "cojp (a Join Proxy is an unsecured, non-legacy 6LR here)";
    else if (cfg->cojp && cfg->cojp_rate_window_ms == 0)
        bad = "cojp_rate_window_ms";
    else if (cfg->jrc && (cfg->cojp_psk_len < 16 || cfg->cojp_psk_len > 32))
        bad = "cojp_psk of the JRC (16..32 octets, RFC 9031 §3)";
    else if (cfg->jrc && (cfg->jrc_n_pledges == 0 || cfg->jrc_n_pledges > EK_REFNODE_JRC_PLEDGES))
        bad = "jrc_n_pledges (1..4 provisioned pledge IDs)";
    else if (cfg->jrc && (cfg->root || cfg->legacy || cfg->secured || cfg->cojp))
        bad = "jrc (the JRC is neither root, legacy, secured nor a Join Proxy here)";
    if (bad) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "invalid refnode configuration: %s", bad);
        return NULL;
    }
    ek_refnode *n = calloc(1, sizeof *n);
    if (!n) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "out of memory");
        return NULL;
    }
    n->cfg = *cfg;
    n->dec_prof = cfg->prof;
    if (cfg->legacy)
        n->dec_prof.mep_type = 0; /* pre-draft: the enrollment type is an unknown option */
    seed_rngs(n);
    ek_sec_keyring_init(&n->ring);
    if (cfg->secured) {
        (void)ek_sec_keyring_add(&n->ring, &cfg->k1); /* room for EK_SEC_MAX_KEYS */
        (void)ek_sec_keyring_add(&n->ring, &cfg->k2);
    }
    ek_jp_init(&n->jp, cfg);
    ek_jrc_init(&n->jrc, cfg);
    forget(n);
    return n;
}

void ek_refnode_free(ek_refnode *n)
{
    free(n);
}

static void clock_start(ek_refnode *n, uint64_t now)
{
    if (!n->have_start) {
        n->have_start = true;
        n->start_ns = now;
    }
}

/* Our ASN at `now` (RFC 8180 §4.1 10 ms slots since the node started; 40 bits,
 * IEEE 802.15.4-2015 §7.4.4.2). */
static uint64_t cur_asn(const ek_refnode *n, uint64_t now)
{
    return (now > n->start_ns ? (now - n->start_ns) / SLOT_NS : 0) & 0xffffffffffull;
}

void ek_refnode_reset(ek_refnode *n, uint64_t now_ns)
{
    /* the TSCH clock (ASN) keeps running: it is the network's, not learnt state */
    clock_start(n, now_ns);
    seed_rngs(n);
    forget(n);
    root_start(n, now_ns);
}

/* ---- receive ---- */

static neighbour *nb_slot(ek_refnode *n, const uint8_t ext[8])
{
    neighbour *free_slot = NULL;
    for (unsigned i = 0; i < MAX_NEIGHBOURS; i++) {
        if (n->nb[i].used && memcmp(n->nb[i].ext, ext, 8) == 0)
            return &n->nb[i];
        if (!n->nb[i].used && !free_slot)
            free_slot = &n->nb[i];
    }
    if (!free_slot) {
        /* full: replace the worst non-parent entry */
        for (unsigned i = 0; i < MAX_NEIGHBOURS; i++)
            if ((int)i != n->parent && (!free_slot || n->nb[i].rank > free_slot->rank))
                free_slot = &n->nb[i];
    }
    memset(free_slot, 0, sizeof *free_slot);
    free_slot->used = true;
    memcpy(free_slot->ext, ext, 8);
    return free_slot;
}

static bool same_dodag(const neighbour *a, const ek_refnode_state *s)
{
    return a->instance == s->instance && memcmp(a->dodagid, s->dodagid, 16) == 0;
}

/* Our rank increase through neighbour c, from the DODAG Configuration it sent (ours
 * when it sent none; RFC 6550 §17 defaults before any):
 *  - OCP 1, MRHOF (RFC 6719 §3.1, ETX, no metric container): max(MinHopRankIncrease,
 *    link ETX x 128) - RFC 6550 §14: never below MinHopRankIncrease;
 *  - OCP 0, OF0 (RFC 6552 §4.1): (Rf * Sp + Sr) * MinHopRankIncrease;
 *  - any other OCP: an OF we do not implement.  RFC 6550 §8.5 / §18.6 let a node join
 *    as a leaf or not at all; we deliberately behave as OF0 instead, so our DIOs (and
 *    every other rule) stay observable. */
static uint32_t rank_increase(const ek_refnode *n, const neighbour *c)
{
    const ek_rpl_dodag_conf *conf = c->has_conf ? &c->conf : n->has_conf ? &n->conf : NULL;
    uint32_t mhri = conf && conf->min_hop_rank_inc ? conf->min_hop_rank_inc : MHRI_DEFAULT;
    uint16_t ocp = conf ? conf->ocp : 0;
    const ek_refnode_choices *ch = &n->cfg.choices;
    if (has_fault(n, EK_FAULT_RANK_BELOW_MIN_INC))
        return mhri / 2 ? mhri / 2 : 1; /* the defect: half the minimum */
    if (ocp == 1) {
        uint32_t etx = ch->mrhof_link_etx;
        return etx > mhri ? etx : mhri;
    }
    return ((uint32_t)ch->of0_rank_factor * ch->of0_step_of_rank + ch->of0_rank_stretch) * mhri;
}

/* A neighbour we can take as parent: our rank through it (its rank + our rank
 * increase) must stay below INFINITE_RANK, so that our rank is strictly greater than
 * the parent's (RFC 6550 §8.2.2.4 rule 1) - a clipped rank would equal it.  Found by
 * fuzz_refnode (docs/fuzzing.md). */
static bool usable_parent(const ek_refnode *n, const neighbour *c)
{
    return c->used && (uint32_t)c->rank + rank_increase(n, c) < RANK_INFINITE;
}

/* One EB period in ns: P, or drawn uniformly in [P (1 - j), P (1 + j)] with the
 * choices' jitter j. */
static uint64_t eb_period(ek_refnode *n)
{
    uint64_t p = (uint64_t)n->cfg.eb_period_ms * NS_PER_MS;
    uint64_t j = n->cfg.choices.eb_jitter_pct;
    if (!j)
        return p;
    uint64_t lo = p / 100u * (100u - j) + p % 100u * (100u - j) / 100u;
    uint64_t hi = p / 100u * (100u + j) + p % 100u * (100u + j) / 100u;
    if (lo == 0)
        lo = 1;
    return lo + xorshift(&n->rng_eb) % (hi - lo + 1u);
}

/* Parent selection (RFC 6550 §8.2.2, RFC 6552 §4): among neighbours of our DODAG and
 * Version with a finite rank, the lowest rank; a different neighbour replaces the
 * current parent only when at least one MinHopRankIncrease better (hysteresis). */
static void select_parent(ek_refnode *n, uint64_t now)
{
    int best = -1;
    for (int i = 0; i < MAX_NEIGHBOURS; i++) {
        const neighbour *c = &n->nb[i];
        if (!usable_parent(n, c))
            continue;
        if (n->st.joined && (!same_dodag(c, &n->st) || c->version != n->st.dodag_version))
            continue;
        if (best < 0 || c->rank < n->nb[best].rank)
            best = i;
    }
    int old = n->parent;
    int pick = old;
    if (old >= 0 && !usable_parent(n, &n->nb[old]))
        pick = best; /* poisoned parent (§8.2.2.5), or one too deep: move to the best, or detach */
    else if (old < 0)
        pick = best;
    else if (best >= 0 && best != old && (uint32_t)n->nb[best].rank + min_hop(n) <= n->nb[old].rank)
        pick = best;
    if (pick < 0) {
        if (n->st.joined) {
            /* detached (§8.2.2.5): silent until a usable DIO arrives; the adopted
             * option is kept (its version still orders what comes next) */
            n->parent = -1;
            n->st.joined = false;
            n->trickle_on = false;
            n->eb_at = UINT64_MAX;
            n->st.rank = n->st.parent_rank = RANK_INFINITE;
        }
        return;
    }
    const neighbour *p = &n->nb[pick];
    bool was_joined = n->st.joined;
    n->parent = pick;
    if (p->has_conf)
        adopt_conf(n, &p->conf);
    n->g = p->g;
    n->mop = p->mop;
    n->prf = p->prf;
    uint16_t old_rank = n->st.rank;
    uint8_t old_version = n->st.dodag_version;
    /* parent rank + the OF's increase (below INFINITE_RANK: usable_parent) */
    uint32_t r = (uint32_t)p->rank + rank_increase(n, p);
    n->st.rank = (uint16_t)(r >= RANK_INFINITE ? RANK_INFINITE - 1 : r);
    n->st.parent_rank = p->rank;
    memcpy(n->st.parent_ext, p->ext, 8);
    n->st.instance = p->instance;
    n->st.dodag_version = p->version;
    memcpy(n->st.dodagid, p->dodagid, 16);
    n->st.joined = true;
    if (!was_joined) {
        /* §8.3: joining a DODAG Version is an inconsistency; EBs start one period later */
        n->trickle_on = false;
        trickle_inconsistent(n, now);
        n->eb_at = n->cfg.legacy ? UINT64_MAX : now + eb_period(n);
    } else if (pick != old || n->st.rank != old_rank || n->st.dodag_version != old_version) {
        /* §8.3 first paragraph: a DIO that changes the preferred parent or our Rank is
         * not consistent */
        trickle_inconsistent(n, now);
    }
}

static bool dio_has_unknown_option(const ek_rpl_msg *m)
{
    for (unsigned i = 0; i < m->n_opts; i++)
        if (m->opts[i].kind == EK_RPL_OPTK_RAW && m->opts[i].err.code == EK_OK)
            return true;
    return m->opts_dropped > 0;
}

/* An option ran past the end of the message (the codec's TRUNCATED
 * "icmpv6.rpl.opt.length": RFC 6550 §6.7.1 framing broken, nothing after it can be
 * trusted).  An error on an option beyond the stored ones counts too: it cannot be told
 * apart, and dropping is the careful side. */
static bool dio_truncated(const ek_rpl_msg *m)
{
    unsigned seen_errors = 0;
    for (unsigned i = 0; i < m->n_opts; i++) {
        if (m->opts[i].err.code == EK_OK)
            continue;
        seen_errors++;
        if (m->opts[i].err.code == EK_ERR_TRUNCATED)
            return true;
    }
    return m->n_opt_errors > seen_errors;
}

/* An option other than Pad1/PadN with Length 0 (crash-on-empty-option's trigger). */
static bool dio_has_empty_option(const ek_rpl_msg *m)
{
    for (unsigned i = 0; i < m->n_opts; i++) {
        const ek_rpl_opt *o = &m->opts[i];
        if (o->type != EK_RPL_OPT_PAD1 && o->type != EK_RPL_OPT_PADN && o->length == 0 &&
            o->err.code != EK_ERR_TRUNCATED)
            return true;
    }
    return false;
}

/* copy-unknown-options: keeps the options of types we do not implement (RAW and well
 * framed) of the parent's latest DIO, to be sent in ours. */
static void keep_unknown_options(ek_refnode *n, const ek_rpl_msg *m)
{
    n->n_copied = 0;
    for (unsigned i = 0; i < m->n_opts && n->n_copied < EK_BUILD_MAX_EXTRA_OPTS; i++) {
        const ek_rpl_opt *o = &m->opts[i];
        if (o->kind != EK_RPL_OPTK_RAW || o->err.code != EK_OK || o->data.len > EK_BUILD_RAW_OPT_MAX)
            continue;
        ek_build_raw_opt *r = &n->copied[n->n_copied++];
        memset(r, 0, sizeof *r);
        r->type = o->type;
        r->length = o->length;
        r->data_len = (uint8_t)o->data.len;
        if (o->data.len)
            memcpy(r->data, o->data.p, o->data.len);
    }
}

static void rx_dio(ek_refnode *n, const ek_frame *f, uint64_t now)
{
    const ek_rpl_msg *m = &f->rpl;
    const ek_rpl_dio *b = &m->base.dio;
    n->st.dios_received++;
    if (has_fault(n, EK_FAULT_CRASH_MALFORMED) && m->n_opt_errors > 0) {
        n->st.dead = true; /* the defect: enroll-refdut abort()s on this */
        return;
    }
    if (has_fault(n, EK_FAULT_CRASH_EMPTY_OPTION) && dio_has_empty_option(m)) {
        n->st.dead = true; /* the defect: enroll-refdut abort()s on this */
        return;
    }
    if (has_fault(n, EK_FAULT_DROP_UNKNOWN_OPTIONS) && dio_has_unknown_option(m)) {
        n->st.dios_dropped++;
        return;
    }
    if (n->st.joined && (b->instance != n->st.instance || memcmp(b->dodagid, n->st.dodagid, 16) != 0)) {
        n->st.dios_dropped++; /* one DODAG at a time */
        return;
    }
    if (dio_truncated(m)) {
        /* the message is not what its sender meant: dropped whole, before any state
         * (neighbour, rank, parent, option, Trickle) is touched */
        if (has_fault(n, EK_FAULT_RANK_BEFORE_VALIDATE)) {
            /* the defect: the sender's rank is stored and acted on first */
            neighbour *s = nb_slot(n, f->sum.src64);
            s->rank = b->rank;
            s->instance = b->instance;
            s->version = b->version;
            memcpy(s->dodagid, b->dodagid, 16);
            select_parent(n, now);
        }
        n->st.dios_dropped++;
        return;
    }
    neighbour *s = nb_slot(n, f->sum.src64);
    s->rank = b->rank;
    s->instance = b->instance;
    s->version = b->version;
    memcpy(s->dodagid, b->dodagid, 16);
    s->g = b->g;
    s->mop = b->mop;
    s->prf = b->prf;
    const ek_minprio *opt = NULL;
    for (unsigned i = 0; i < m->n_opts; i++) {
        const ek_rpl_opt *o = &m->opts[i];
        if (o->err.code != EK_OK)
            continue; /* malformed: ignored, the rest of the DIO still used (TP-EP-14) */
        if (o->kind == EK_RPL_OPTK_DODAG_CONF) {
            s->has_conf = true;
            s->conf = o->u.conf;
        } else if (o->kind == EK_RPL_OPTK_MEP && !opt) {
            opt = &o->u.mep;
        }
    }
    bool parent_dio_version_newer = n->st.joined && n->parent >= 0 && s == &n->nb[n->parent] &&
                                    ek_rpl_lollipop_cmp(b->version, n->st.dodag_version) == 1;
    if (parent_dio_version_newer) {
        /* the parent moved to a new DODAG Version: follow it (§8.2.2.3); others stay behind */
        n->st.dodag_version = b->version;
    }
    uint16_t rank_before = n->st.rank;
    int parent_before = n->parent;
    select_parent(n, now);
    if (parent_dio_version_newer)
        trickle_inconsistent(n, now); /* §8.3: joining a new DODAG Version */
    bool from_parent = n->parent >= 0 && s == &n->nb[n->parent];
    if (from_parent && s->has_conf)
        adopt_conf(n, &s->conf);
    if (from_parent && has_fault(n, EK_FAULT_COPY_UNKNOWN_OPTIONS))
        keep_unknown_options(n, m);
    if (opt && (from_parent || (has_fault(n, EK_FAULT_FOLLOW_NEIGHBOUR) && n->st.joined)))
        take_option(n, opt, now);
    /* §8.3: a DIO from a lesser DAGRank that changes nothing is consistent (rule 3) */
    if (n->trickle_on && n->parent == parent_before && n->st.rank == rank_before &&
        dag_rank(n, b->rank) < dag_rank(n, n->st.rank))
        n->c++;
}

/* RFC 6550 §8.3: a multicast DIS without a Solicited Information option (or one that
 * matches us) resets Trickle; a unicast DIS does not (the unicast DIO it asks for is
 * not sent: our radios' frame builder only sends DIOs to ff02::1a). */
static void rx_dis(ek_refnode *n, const ek_frame *f, uint64_t now)
{
    bool solicited = false;
    for (unsigned i = 0; i < f->rpl.n_opts; i++)
        solicited |= f->rpl.opts[i].kind == EK_RPL_OPTK_SOLICITED;
    if (n->st.joined && !solicited && f->sum.ip_dst[0] == 0xff)
        trickle_inconsistent(n, now);
}

/* ---- secured receive: IEEE 802.15.4-2015 §9.2.5 incoming frame security ---- */

static fc_entry *fc_find(ek_refnode *n, const uint8_t ext[8], uint8_t key_index)
{
    for (unsigned i = 0; i < EK_REFNODE_FC_ENTRIES; i++)
        if (n->fc[i].used && n->fc[i].key_index == key_index && memcmp(n->fc[i].ext, ext, 8) == 0)
            return &n->fc[i];
    return NULL;
}

/* §9.2.5: the DeviceDescriptor's FrameCounter becomes the received one (we keep the last
 * accepted value; "greater than" below is the same rule as the standard's ">= stored + 1"). */
static void fc_store(ek_refnode *n, const uint8_t ext[8], uint8_t key_index, uint32_t fc)
{
    fc_entry *e = fc_find(n, ext, key_index);
    if (!e) {
        e = &n->fc[0];
        for (unsigned i = 0; i < EK_REFNODE_FC_ENTRIES; i++) {
            if (!n->fc[i].used) {
                e = &n->fc[i];
                break;
            }
            if (n->fc[i].stamp < e->stamp)
                e = &n->fc[i];
        }
        memset(e, 0, sizeof *e);
        e->used = true;
        memcpy(e->ext, ext, 8);
        e->key_index = key_index;
    }
    e->last = fc;
    e->stamp = ++n->fc_stamp;
}

static bool is_mic_mismatch(const ek_err *e)
{
    return e->code == EK_ERR_MALFORMED && e->field && strcmp(e->field, "wpan.mic") == 0;
}

/* The plaintext of a received frame that passes the checks (points into n->plain, or
 * at mpdu itself for an unsecured DIO under the accepts-unsecured-dio fault), NULL if
 * dropped.  Order (§9.2.5): security present, frame counter above the sender's last
 * accepted one (0xffffffff never: COUNTER_ERROR), ASN fresh (asn_nonce mode), key
 * lookup and MIC, the key allowed for the frame type (RFC 8180 §4.6: EBs K1, the rest
 * K2), and only then the sender's counter updated. */
static const uint8_t *secure_rx(ek_refnode *n, const uint8_t *mpdu, size_t len, uint64_t now, size_t *plain_len)
{
    ek_frame *f = &n->rx;
    ek_status st = ek_frame_decode(ek_view_make(mpdu, len), false, &n->dec_prof, f);
    (void)st; /* a secured frame's payload may be ciphertext: only the MAC header matters here */
    const ek_frame_summary *s = &f->sum;
    if (!f->has_mac || !s->has_src64 || memcmp(s->src64, n->cfg.ext, 8) == 0)
        return NULL; /* no nonce without the sender's EUI-64; ignored as when unsecured */
    if (!f->mac.security) {
        if (has_fault(n, EK_FAULT_ACCEPT_UNSECURED) && s->has_dio) {
            *plain_len = len; /* the defect: an unsecured DIO is used */
            return mpdu;
        }
        n->st.dropped_unsecured++;
        return NULL;
    }
    const ek_wpan_sec *sec = &f->mac.sec;
    uint8_t key_index = sec->key_id_mode ? sec->key_index : 0;
    uint32_t fc = sec->frame_counter;
    bool has_fc = !sec->fc_suppressed;
    if (has_fc && !has_fault(n, EK_FAULT_ACCEPT_REPLAY)) {
        const fc_entry *e = fc_find(n, s->src64, key_index);
        if (fc == UINT32_MAX || (e && fc <= e->last)) {
            n->st.dropped_replay++;
            return NULL;
        }
    }
    /* ASN in the nonce (§9.3.2.2): an EB announces its own ASN (TSCH Synchronization IE,
     * in clear at MIC-only levels); any other frame was sent in "our" slot, give or take
     * the window. */
    uint64_t asn_lo = 0, asn_hi = 0;
    if (sec->asn_in_nonce) {
        uint64_t cur = cur_asn(n, now);
        if (s->has_asn) {
            if (n->cfg.asn_nonce && s->asn + EK_REFNODE_ASN_WINDOW < cur) {
                n->st.dropped_replay++; /* stale ASN (RFC 8180 §4.6: the ASN only grows) */
                return NULL;
            }
            asn_lo = asn_hi = s->asn;
        } else {
            asn_lo = cur > EK_REFNODE_ASN_WINDOW ? cur - EK_REFNODE_ASN_WINDOW : 0;
            asn_hi = cur + EK_REFNODE_ASN_WINDOW;
        }
    }
    if (has_fc && has_fault(n, EK_FAULT_COUNTER_BEFORE_MIC))
        fc_store(n, s->src64, key_index, fc); /* the defect: before the MIC is known good */
    bool beacon = s->frame_type == EK_WPAN_FT_BEACON;
    ek_sec_info info;
    ek_err err;
    size_t out_len = 0;
    ek_status u = EK_ERR_MALFORMED;
    for (uint64_t a = asn_lo;; a++) {
        ek_sec_env env;
        memset(&env, 0, sizeof env);
        env.asn = a;
        u = ek_sec_unprotect(ek_view_make(mpdu, len), &n->ring, NULL, &env, &n->dec_prof, n->plain, sizeof n->plain,
                             &out_len, &info, &err);
        if (u == EK_OK || !sec->asn_in_nonce || !is_mic_mismatch(&err) || a >= asn_hi)
            break;
    }
    const ek_sec_key *want = beacon ? &n->ring.k[0] : &n->ring.k[1];
    if (u != EK_OK || info.key != want) {
        n->st.dropped_mic++;
        return NULL;
    }
    if (has_fc)
        fc_store(n, s->src64, key_index, fc);
    *plain_len = out_len;
    return n->plain;
}

void ek_refnode_rx(ek_refnode *n, const uint8_t *mpdu, size_t len, uint64_t now_ns)
{
    if (!n || n->st.dead || !mpdu)
        return;
    clock_start(n, now_ns);
    root_start(n, now_ns);
    trickle_roll(n, now_ns);
    if (n->cfg.secured) {
        size_t plain_len = 0;
        const uint8_t *plain = secure_rx(n, mpdu, len, now_ns, &plain_len);
        if (!plain)
            return;
        mpdu = plain;
        len = plain_len;
    }
    ek_frame *f = &n->rx;
    ek_status st = ek_frame_decode(ek_view_make(mpdu, len), false, &n->dec_prof, f);
    (void)st; /* errors stay on the parts that failed; the has_* flags say what is usable */
    const ek_frame_summary *s = &f->sum;
    if (n->cfg.jrc) {
        if (s->has_mac && !s->secured && s->has_dst64 && memcmp(s->dst64, n->cfg.ext, 8) == 0 && f->has_net &&
            f->net.has_udp)
            ek_jrc_rx(&n->jrc, &n->cfg, f, &n->seq);
        return; /* the JRC takes part in no DODAG here */
    }
    if (n->jp.on && s->has_mac && !s->secured && s->has_dst64 && memcmp(s->dst64, n->cfg.ext, 8) == 0 &&
        f->has_net && f->net.has_udp) {
        ek_jp_env env = { &n->cfg, n->st.joined,
                          n->st.min_priority >= EK_MEP_PRIO_DISABLED || n->st.proxy_priority >= EK_MEP_PRIO_DISABLED,
                          n->st.parent_ext, n->st.dodagid, &n->seq };
        ek_jp_rx(&n->jp, &env, f, now_ns);
        return;
    }
    if (!s->has_mac || s->secured || !s->has_icmp6 || !f->has_rpl || !s->has_src64)
        return;
    if (memcmp(s->src64, n->cfg.ext, 8) == 0 || s->icmp6_type != EK_ICMP6_TYPE_RPL)
        return;
    if (n->cfg.root && s->icmp6_code == EK_RPL_CODE_DIO) {
        n->st.dios_received++; /* a root joins nobody: other DIOs change nothing */
        return;
    }
    if (s->icmp6_code == EK_RPL_CODE_DIO && s->has_dio) {
        if (!s->icmp6_checksum_ok) {
            n->st.dios_received++;
            n->st.dios_dropped++;
            return;
        }
        rx_dio(n, f, now_ns);
    } else if (s->icmp6_code == EK_RPL_CODE_DIS && s->icmp6_checksum_ok) {
        rx_dis(n, f, now_ns);
    }
}

/* ---- transmit ---- */

/* Secures the unsecured frame in out[0..len) in place (RFC 8180 §4.6: EBs under K1 at
 * eb_level, everything else under K2 at dio_level; KIM and index from the key; nonce
 * from our frame counter, or from `asn` with asn_nonce).  0 if it cannot be sent. */
static size_t secure_tx(ek_refnode *n, bool eb, uint64_t asn, uint8_t *out, size_t len, size_t cap)
{
    if (n->tx_fc_exhausted)
        return 0; /* §9.2.2: counter 0xffffffff used up - no more secured frames */
    const ek_sec_key *k = eb ? &n->cfg.k1 : &n->cfg.k2;
    ek_wpan_sec sec;
    memset(&sec, 0, sizeof sec);
    sec.level = eb ? n->cfg.eb_level : n->cfg.dio_level;
    sec.key_id_mode = k->key_id_mode;
    sec.key_index = k->key_index;
    memcpy(sec.key_source, k->key_source, sizeof sec.key_source);
    sec.frame_counter = n->tx_fc;
    /* ASN nonce only for EBs: they state their ASN (TSCH Synchronization IE); our radios
     * are not slotted, so no other frame has an ASN both sides agree on (docs/security.md) */
    sec.asn_in_nonce = n->cfg.asn_nonce && eb;
    ek_sec_env env;
    memset(&env, 0, sizeof env);
    env.asn = asn;
    size_t out_len = 0;
    ek_err err;
    if (ek_sec_protect(ek_view_make(out, len), &sec, &env, k, &n->cfg.prof, out, cap, &out_len, NULL, &err) != EK_OK)
        return 0;
    if (n->tx_fc == UINT32_MAX)
        n->tx_fc_exhausted = true;
    else
        n->tx_fc++;
    return out_len;
}

static size_t make_dio(ek_refnode *n, uint64_t now, uint8_t *out, size_t cap)
{
    ek_build_dio d;
    ek_build_dio_init(&d);
    d.base.instance = n->st.instance;
    d.base.version = n->st.dodag_version;
    d.base.rank = n->st.rank;
    d.base.g = n->g;
    d.base.mop = n->mop;
    d.base.prf = n->prf;
    d.base.dtsn = OUR_DTSN;
    memcpy(d.base.dodagid, n->st.dodagid, 16);
    if (n->has_conf)
        d.conf = n->conf; /* §6.7.6: propagated from the parent unchanged */
    /* EP-8/EP-17: only the root originates the option; without one adopted we send none */
    d.has_mep = n->st.has_option;
    if (d.has_mep) {
        d.mep = n->opt; /* EP-9a: re-encoded unchanged */
        if (has_fault(n, EK_FAULT_ALTER_OPTION) && d.mep.has_size) {
            unsigned mask = n->cfg.prof.mep == EK_MEP_DRAFT16 ? 0xfu : 0xfffu;
            d.mep.size_code = (uint16_t)((d.mep.size_code + 1u) & mask);
        }
        if (n->cfg.root && has_fault(n, EK_FAULT_ROOT_SIZE_DRIFT) && d.mep.has_size) {
            /* the defect: every other DIO a size one code up, the Version unchanged */
            unsigned mask = n->cfg.prof.mep == EK_MEP_DRAFT16 ? 0xfu : 0xfffu;
            if (n->root_drift)
                d.mep.size_code = (uint16_t)((d.mep.size_code + 1u) & mask);
            n->root_drift = !n->root_drift;
        }
        /* -03 §2: R SHOULD be copied (EP-20); a node may send 0 (choices.r_copy) */
        if (!n->cfg.choices.r_copy)
            d.mep.r = false;
        /* -16 §3.1 as printed in -10..-16: Length 4, one trailing octet (the same option
         * to every -16 decoder, EK_MINPRIO_WARN_ERRATUM_LEN4) */
        if (n->cfg.choices.len4_form && n->cfg.prof.mep == EK_MEP_DRAFT16 && !d.mep.erratum_len4) {
            d.mep.erratum_len4 = true;
            d.mep.trailing = 0;
        }
    }
    ek_build_node node = { .pan_id = 0 }; /* all zero: fields added later stay off */
    memcpy(node.ext, n->cfg.ext, 8);
    node.pan_id = n->cfg.pan_id;
    node.seq = n->seq;
    size_t len = 0;
    ek_err e;
    /* copy-unknown-options: the parent's unknown options after ours; as many as fit */
    unsigned extra = has_fault(n, EK_FAULT_COPY_UNKNOWN_OPTIONS) ? n->n_copied : 0;
    for (;;) {
        d.n_extra = extra;
        if (extra)
            memcpy(d.extra, n->copied, extra * sizeof d.extra[0]);
        d.extra_pos = EK_BUILD_OPT_LAST;
        if (ek_build_dio_frame(&node, &d, &n->cfg.prof, out, cap, &len, &e) == EK_OK)
            break;
        if (extra == 0)
            return 0;
        extra--;
    }
    if (n->cfg.secured && (len = secure_tx(n, false, cur_asn(n, now), out, len, cap)) == 0)
        return 0;
    n->seq++;
    n->st.dios_sent++;
    return len;
}

/* ji-p-without-iid: sets P (0x40 of the first content octet, both RFC 9032 §2 readings)
 * in the Join-Info of an EB built with P = 0, so no IID octets follow it. */
static void set_p_bit(ek_refnode *n, uint8_t *out, size_t len)
{
    ek_frame *f = &n->rx;
    ek_status st = ek_frame_decode(ek_view_make(out, len), false, &n->cfg.prof, f);
    (void)st;
    for (unsigned i = 0; i < f->mac.ies.n_pl && i < EK_IE_MAX_PAYLOAD; i++) {
        const ek_ie_payload *p = &f->mac.ies.pl[i];
        if (p->has_ji && p->sub_content.len > 0 && p->sub_content.p >= out && p->sub_content.p < out + len) {
            out[p->sub_content.p - out] |= 0x40;
            return;
        }
    }
}

static size_t make_eb(ek_refnode *n, uint64_t now, uint8_t *out, size_t cap)
{
    ek_build_eb e;
    ek_build_eb_init(&e);
    e.asn = cur_asn(n, now);
    unsigned dr = dag_rank(n, n->st.rank);
    unsigned jm = has_fault(n, EK_FAULT_JOIN_METRIC) ? dr : dr == 0 ? 0 : dr - 1; /* RFC 8180 §6.1 */
    e.join_metric = (uint8_t)(jm > 255 ? 255 : jm);
    e.has_ji = true;
    /* RFC 9032 §2: R=1 (we route for SLAAC hosts), P=0 (IID from our L2 address), proxy
     * priority from the enrollment option (EP-15), rank priority = DAGRank clipped to the
     * field (12 bits literal, 8 bits byte-aligned), PAN priority 0 (we are no 6LBR),
     * network ID = the first 8 octets of the DODAGID (stable, shared by every JP of the
     * DODAG; RFC 9032 §4 suggests a hash of it, which the harness does not need). */
    e.ji.r = true;
    e.ji.p = false;
    e.ji.proxy_prio = n->st.proxy_priority;
    unsigned rmax = n->cfg.prof.ji == EK_JI_RFC9032_LITERAL ? 0xfffu : 0xffu;
    e.ji.rank_prio = (uint16_t)(dr > rmax ? rmax : dr);
    e.ji.pan_prio = 0;
    e.ji.network_id = ek_view_make(n->st.dodagid, 8);
    e.ji_len_delta = has_fault(n, EK_FAULT_IE_LENGTH) ? 1 : 0;
    ek_build_node node = { .pan_id = 0 }; /* all zero: fields added later stay off */
    memcpy(node.ext, n->cfg.ext, 8);
    node.pan_id = n->cfg.pan_id;
    node.seq = n->seq;
    size_t len = 0;
    ek_err err;
    if (ek_build_eb_frame(&node, &e, &n->cfg.prof, out, cap, &len, &err) != EK_OK)
        return 0;
    if (has_fault(n, EK_FAULT_JI_P_WITHOUT_IID))
        set_p_bit(n, out, len);
    if (n->cfg.secured && (len = secure_tx(n, true, e.asn, out, len, cap)) == 0)
        return 0;
    n->seq++;
    n->st.ebs_sent++;
    return len;
}

uint64_t ek_refnode_next_event(const ek_refnode *n)
{
    if (n && n->cfg.jrc)
        return n->jrc.nq ? 0 : UINT64_MAX;
    if (!n || n->st.dead || !n->st.joined)
        return UINT64_MAX;
    if (n->cfg.root && !n->root_started)
        return 0; /* a root starts its Trickle timer at the first call that brings a time */
    if (n->jp.nq)
        return 0; /* join traffic queued: due now */
    uint64_t t = n->eb_at;
    if (n->trickle_on) {
        /* when t already ran, the next thing due is the interval's end (rule 5) */
        uint64_t d = n->t_done ? n->i_end : n->t_at;
        if (d < t)
            t = d;
    }
    return t;
}

size_t ek_refnode_poll(ek_refnode *n, uint64_t now_ns, uint8_t *out, size_t cap)
{
    if (n && n->cfg.jrc && out)
        return ek_jrc_pop(&n->jrc, out, cap);
    if (!n || n->st.dead || !n->st.joined || !out)
        return 0;
    clock_start(n, now_ns);
    root_start(n, now_ns);
    if (n->jp.nq)
        return ek_jp_pop(&n->jp, out, cap);
    for (;;) {
        trickle_roll(n, now_ns);
        bool dio_due = n->trickle_on && !n->t_done && n->t_at <= now_ns;
        bool eb_due = n->eb_at <= now_ns;
        if (dio_due && (!eb_due || n->t_at <= n->eb_at)) {
            n->t_done = true;
            /* rule 4: transmit iff c < k; k = 0 means never suppress (RFC 6550 §8.3.1) */
            if (n->k == 0 || n->c < n->k)
                return make_dio(n, now_ns, out, cap);
            continue;
        }
        if (eb_due) {
            uint64_t p = eb_period(n);
            n->eb_at += p;
            if (n->eb_at <= now_ns)
                n->eb_at = now_ns + p; /* polled late: no burst of missed EBs */
            return make_eb(n, now_ns, out, cap);
        }
        return 0;
    }
}

void ek_refnode_get_state(const ek_refnode *n, ek_refnode_state *s)
{
    *s = n->st;
    s->trickle_i_ms = n->trickle_on ? (uint32_t)(n->i / NS_PER_MS) : 0;
    uint64_t imax_ms = n->imax / NS_PER_MS;
    s->trickle_imin_ms = (uint32_t)(n->imin / NS_PER_MS);
    s->trickle_imax_ms = imax_ms > UINT32_MAX ? UINT32_MAX : (uint32_t)imax_ms;
    s->trickle_k = (uint8_t)n->k;
    s->has_conf = n->has_conf;
    s->ocp = n->has_conf ? n->conf.ocp : 0;
    s->frame_counter = n->tx_fc;
    s->jp_forwarded = n->jp.forwarded;
    s->jp_relayed = n->jp.relayed;
    s->jp_dropped = n->jp.dropped;
    s->jp_updates = n->jp.updates;
    s->jrc_answered = n->jrc.answered;
    s->jrc_dropped = n->jrc.dropped;
    s->jrc_diagnostics = n->jrc.diagnostics;
    s->jrc_state_writes = n->jrc.state_writes;
}

size_t ek_refnode_jrc_state(const ek_refnode *n, uint8_t *out, size_t cap)
{
    return n->cfg.jrc ? ek_jrc_state(&n->jrc, &n->cfg, out, cap) : 0;
}

bool ek_refnode_jrc_restore(ek_refnode *n, const uint8_t *in, size_t len)
{
    if (!n->cfg.jrc)
        return false;
    ek_jrc copy = n->jrc;
    if (!ek_jrc_restore(&copy, &n->cfg, in, len))
        return false;
    n->jrc = copy;
    return true;
}
