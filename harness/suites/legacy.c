/* SPDX-License-Identifier: BSD-3-Clause */
/* TP-LEG-*: what every RPL 6LR must do with the enrollment option whether or not it
 * implements it - a stack that predates the option (no "mep" capability) is a
 * first-class DUT.  It joins DODAGs whose DIOs carry the option and other unknown
 * options, never forwards an option it does not implement, survives malformed ones with
 * no state change, keeps its Trickle timer within RFC 6206's bounds and answers a DIS
 * storm (RFC 6550 §6.7.1, §8.3, §14; RFC 6206 §4.2; RFC 6552 §4.1).  Every expectation
 * is a legal range or what the DUT itself advertised earlier; only "dio" is needed. */
#include "suites_int.h"

#define NEEDS_6LR EK_CAP_SENDS_DIO

#define RANK_RULE                                                                                   \
    "A legal rank through A: at least A's rank + MinHopRankIncrease (RFC 6550 §14), at most + 41 x "  \
    "MinHopRankIncrease under OF0 (RFC 6552 §4.1, §6.1: Rf 1..4 x Sp 1..9 + Sr 0..5) or + max(MHRI, "  \
    "MAX_LINK_METRIC 512) under MRHOF (RFC 6719 §5), with the DODAG Configuration A sends."

/* ---- TP-LEG-01: joins through unknown options ----
 * As TP-EP-13: the DUT first joins B with plain DIOs, so it is heard before the stimulus
 * under test (a DUT that is never heard is an ERROR, because a wrong radio setting looks
 * the same), then A - much better - sends the option and unknown options.  B's rank
 * (5632 = 44 x 128) puts every legal rank through B above every legal rank through A. */
static const ek_step leg01_steps[] = {
    { .kind = EK_STEP_INJECT,
      .what = "B (rank 5632) sends periodic DIOs: DODAG Configuration (MinHopRankIncrease 128), no other option",
      .stim = { .from = EK_ROLE_B, .kind = EK_STIM_DIO, .rank = 5632, .every = PARENT_EVERY,
                .tweak = ek_st_conf_mhri_128 } },
    { .kind = EK_STEP_EXPECT, .what = "precondition: the DUT joins B and sends a DIO",
      .match = { .cls = EK_CLASS_DIO }, W_JOIN_DIO, .on_timeout = EK_V_INCONC },
    { .kind = EK_STEP_INJECT,
      .what = "A (rank 256) sends periodic DIOs: unknown option 0xf0 first, then DODAG Configuration "
              "(MinHopRankIncrease 128) and the enrollment option v240 min 0x20",
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_DIO,
                .mep = { .present = true, .version = 240, .min = 0x20 },
                .extra_hex = "f0 02 aa bb", .extra_pos = EK_BUILD_OPT_FIRST,
                .every = PARENT_EVERY, .tweak = ek_st_conf_mhri_128 } },
    { .kind = EK_STEP_EXPECT, .what = "the DUT parses A's DIOs and moves to A: a DIO with a legal rank through A",
      .match = { .cls = EK_CLASS_DIO, .pred = ek_sp_rank_via_a }, .window = D_PARENT_SWITCH, .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_INJECT,
      .what = "A: DODAG Configuration, the enrollment option v241 min 0x20, then unknown option 0xf1 last",
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_DIO,
                .mep = { .present = true, .version = 241, .min = 0x20 },
                .extra_hex = "f1 03 01 02 03", .extra_pos = EK_BUILD_OPT_LAST,
                .every = PARENT_EVERY, .tweak = ek_st_conf_mhri_128 } },
    { .kind = EK_STEP_NEXT, .what = "the DUT stays joined through A: its next DIO has a legal rank through A",
      .match = { .cls = EK_CLASS_DIO, .pred = ek_sp_rank_via_a }, .window = D_NEXT_DIO, .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_leg_01 = {
    .id = "TP-LEG-01", .suite = "legacy",
    .title = "Joins a DODAG whose DIOs carry the enrollment option and unknown options",
    .objective = "A 6LR, with or without the enrollment option, skips options it does not know wherever they "
                 "stand (before or after the DODAG Configuration option), joins the DODAG and computes its "
                 "rank from the DODAG Configuration option that the unknown options surround.",
    .refs = "EP-21, R-1 (RFC 6550 §6.7.1, §6.7.6, §14)",
    .config = "B: neighbour, rank 5632, DIO every Imax with only a DODAG Configuration option (MinHopRankIncrease "
              "128), so the DUT joins and is heard first.  A: root / parent, rank 256, DIO every Imax with "
              "MinHopRankIncrease 128, the enrollment option (the profile's type and layout) and unknown option "
              "types 0xf0 (first) then 0xf1 (last).",
    .rule = RANK_RULE "  Every rank through B (at least 5632 + 128) lies above that range, so a DUT that drops "
            "DIOs with unknown options stays with B (FAIL).  The DUT may move on any of A's first three "
            "DIOs (RFC 6550 §8.2.1: when a node uses a new neighbour is its own policy), and its DIO may "
            "come up to 1.5 Imax after that (RFC 6206 §4.2): a parent change need not reset Trickle.",
    .profiles = EK_PROF_ALL, .needs = NEEDS_6LR,
    .steps = leg01_steps, .n_steps = EK_N_STEPS(leg01_steps),
};

/* ---- TP-LEG-02: never forwards what it does not implement ---- */
static const ek_step leg02_steps[] = {
    { .kind = EK_STEP_INJECT,
      .what = "A sends periodic DIOs: unknown options 0xf0 and 0xf5 first, DODAG Configuration, the "
              "enrollment option v240 min 0x20",
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_DIO,
                .mep = { .present = true, .version = 240, .min = 0x20 },
                .extra_hex = "f0 02 aa bb; f5 04 01 02 03 04", .extra_pos = EK_BUILD_OPT_FIRST,
                .every = PARENT_EVERY } },
    STEP_JOINED,
    { .kind = EK_STEP_NEXT,
      .what = "the DUT's next DIO carries neither 0xf0, 0xf5 nor (without the mep capability) the enrollment "
              "option (the monitors judge every other DIO of the run the same way)",
      .match = { .cls = EK_CLASS_DIO, .pred = ek_sp_no_copied_option }, .window = D_NEXT_DIO,
      .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_leg_02 = {
    .id = "TP-LEG-02", .suite = "legacy",
    .title = "Never forwards an option it does not implement",
    .objective = "A 6LR's own DIOs carry only options it understands: unknown options of its parent's DIO are "
                 "not copied, and a stack without the enrollment option does not forward it (only a DUT that "
                 "implements it propagates it, TP-EP-04).",
    .refs = "EP-21, EP-8 (RFC 6550 §6.7.1; draft-16 §3.2)",
    .config = "A: root / parent, rank 256, DIO every Imax with unknown options 0xf0 (2 octets) and 0xf5 "
              "(4 octets) before the DODAG Configuration and enrollment options.",
    .rule = "Option types the DUT heard in a neighbour's DIO and does not implement (unknown types; the "
            "enrollment type when the profile lacks mep) must not appear in its DIOs (RFC 6550 §6.7.1).  Types it originates "
            "that no neighbour sent are not judged: a stack may carry options this harness does not know.",
    .profiles = EK_PROF_ALL, .needs = NEEDS_6LR,
    .steps = leg02_steps, .n_steps = EK_N_STEPS(leg02_steps),
};

/* ---- TP-LEG-03: malformed and empty options ---- */
static const ek_step leg03_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v240 min 0x20", 240, false, 0x20),
    STEP_JOINED,
    { .kind = EK_STEP_INJECT,
      .what = "A: unknown option 0xf3 with Length 0, options of the enrollment type with Length 0, 1 (not "
              "draft-03) and 2 first, then DODAG Configuration and a valid option v241 min 0x20",
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_DIO,
                .mep = { .present = true, .version = 241, .min = 0x20 },
                .extra_hex = "f3 00", .every = PARENT_EVERY, .tweak = ek_st_malformed_first } },
    { .kind = EK_STEP_NEXT,
      .what = "the DUT survives and stays joined through A: its next DIO has a legal rank through A",
      .match = { .cls = EK_CLASS_DIO, .pred = ek_sp_rank_via_a }, .window = D_NEXT_DIO, .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_leg_03 = {
    .id = "TP-LEG-03", .suite = "legacy",
    .title = "Options of the enrollment type with every short length, and an empty unknown option",
    .objective = "Options whose Length is 0, 1 or 2 (to a stack without the option they are unknown options; "
                 "to one with it, malformed ones) neither crash the DUT nor detach it.",
    .refs = "S17, EP-21 (RFC 6550 §6.7.1)",
    .config = "A: root / parent, rank 256, DIO every Imax; the short options carry data that would read as "
              "min 0x7f.",
    .rule = RANK_RULE "  The DUT must still send DIOs within 1.5 Imax (RFC 6206 §4.2).",
    .profiles = EK_PROF_ALL, .needs = NEEDS_6LR,
    .steps = leg03_steps, .n_steps = EK_N_STEPS(leg03_steps),
};

/* ---- TP-LEG-04: a truncated DIO changes nothing ---- */
static const ek_step leg04_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v240 min 0x20", 240, false, 0x20),
    STEP_JOINED,
    { .kind = EK_STEP_INJECT,
      .what = "A: rank 1280 instead of 256, the option v241 min 0x30, then a last option of the enrollment "
              "type whose Length 255 runs past the end of the DIO",
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_DIO, .rank = 1280,
                .mep = { .present = true, .version = 241, .min = 0x30 },
                .every = PARENT_EVERY, .tweak = ek_st_len255_last } },
    { .kind = EK_STEP_NEXT,
      .what = "the malformed DIO changes nothing: the DUT's next DIO keeps the rank it had before",
      .match = { .cls = EK_CLASS_DIO, .pred = ek_sp_rank_unchanged }, .window = D_NEXT_DIO,
      .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_leg_04 = {
    .id = "TP-LEG-04", .suite = "legacy",
    .title = "A DIO whose last option runs past its end changes no state, not even the rank",
    .objective = "A DIO that is malformed as a whole (its last option's Length runs past the end of the "
                 "message) is discarded: the parent's new rank it carries is not taken, so the DUT's own "
                 "rank does not move.  Catches stacks that update the neighbour before validating options.",
    .refs = "S17 (RFC 6550 §6.7.1)",
    .config = "A: root / parent, rank 256 then (in the malformed DIOs only) 1280, DIO every Imax.",
    .rule = "The DUT's rank after the malformed DIOs is the rank it advertised before them (within half the "
            "1024 a rank through the malformed DIO's rank would add, for ranks that drift with link "
            "metrics, RFC 6719): an option whose Length exceeds the message makes the DIO malformed "
            "(RFC 6550 §6.7.1: Option Length counts the octets that follow), and a malformed message must "
            "not change state.",
    .profiles = EK_PROF_ALL, .needs = NEEDS_6LR,
    .steps = leg04_steps, .n_steps = EK_N_STEPS(leg04_steps),
};

/* ---- TP-LEG-05: Trickle within RFC 6206's bounds ---- */
static const ek_step leg05_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v240 min 0x20", 240, false, 0x20),
    STEP_JOINED,
    { .kind = EK_STEP_ALWAYS, .what = "every DIO follows the previous one within 1.5 Imax + slack",
      .match = { .cls = EK_CLASS_DIO, .pred = ek_sp_trickle_gap_ok }, .window = D_IMAX(5),
      .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_EXPECT, .what = "and the next DIO comes within 1.5 Imax",
      .match = { .cls = EK_CLASS_DIO }, .window = D_NEXT_DIO, .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_leg_05 = {
    .id = "TP-LEG-05", .suite = "legacy",
    .title = "DIO Trickle timer within the bounds of the DODAG's configuration",
    .objective = "With the Trickle parameters of the DODAG Configuration option (the profile's Imin, "
                 "doublings and redundancy), consecutive DIOs are never further apart than RFC 6206 allows.",
    .refs = "T-1 (RFC 6206 §4.2; RFC 6550 §8.3.1)",
    .config = "A: root / parent, rank 256, DIO every Imax (at most one per DUT interval, below the redundancy "
              "constant k >= 2, so the DUT's DIOs are never suppressed).",
    .rule = "A Trickle transmission falls in [I/2, I) of its interval and I <= Imax, so two consecutive DIOs "
            "are less than I/2 + I <= 1.5 Imax apart (RFC 6206 §4.2); Imax = Imin x 2^doublings from the "
            "DODAG Configuration (RFC 6550 §8.3.1).  Needs a redundancy constant of 0 or >= 2.",
    .profiles = EK_PROF_ALL, .needs = NEEDS_6LR,
    .steps = leg05_steps, .n_steps = EK_N_STEPS(leg05_steps),
};

/* ---- TP-LEG-06: DIS storm ---- */
#define DIS_FROM_B                                                                                  \
    { .kind = EK_STEP_INJECT, .what = "B: a multicast DIS", .stim = { .from = EK_ROLE_B, .kind = EK_STIM_DIS } }

static const ek_step leg06_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v240 min 0x20", 240, false, 0x20),
    STEP_JOINED,
    { .kind = EK_STEP_EXPECT,
      .what = "precondition: the DUT's Trickle interval has grown (a DIO >= max(8 Imin, 6 Imin + 3 slack) "
              "after its previous one)",
      .match = { .cls = EK_CLASS_DIO, .pred = ek_sp_trickle_grown }, .window = D_IMAX(2),
      .on_timeout = EK_V_INCONC },
    DIS_FROM_B, DIS_FROM_B, DIS_FROM_B, DIS_FROM_B, DIS_FROM_B,
    DIS_FROM_B, DIS_FROM_B, DIS_FROM_B, DIS_FROM_B, DIS_FROM_B,
    { .kind = EK_STEP_EXPECT, .what = "a multicast DIS resets Trickle: a DUT DIO within 2 Imin",
      .match = { .cls = EK_CLASS_DIO }, .window = D_IMIN(2), .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_NEXT, .what = "the DUT keeps working through A: its next DIO has a legal rank through A",
      .match = { .cls = EK_CLASS_DIO, .pred = ek_sp_rank_via_a }, .window = D_NEXT_DIO, .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_leg_06 = {
    .id = "TP-LEG-06", .suite = "legacy",
    .title = "DIS storm: Trickle reset, and the DUT keeps working",
    .objective = "Ten multicast DIS messages in a row reset the DUT's Trickle timer (a DIO within about Imin) "
                 "and leave it joined and sending DIOs.",
    .refs = "R-2, S6 (RFC 6550 §8.3; RFC 6206 §4.2)",
    .config = "A: root / parent, rank 256, DIO every Imax.  B: sends 10 multicast DIS without a Solicited "
              "Information option, back to back, once the DUT's interval has grown.",
    .rule = "RFC 6550 §8.3: a multicast DIS without Solicited Information MUST reset the Trickle timer, so "
            "the next DIO falls in [Imin/2, Imin).  The stimulus goes out right after a DIO that came "
            ">= max(8 Imin, 3 (2 Imin + slack)) after the previous one, so an unreset timer cannot send "
            "within the 2 Imin window (as TP-EP-07).  " RANK_RULE,
    .profiles = EK_PROF_ALL, .needs = NEEDS_6LR,
    .steps = leg06_steps, .n_steps = EK_N_STEPS(leg06_steps),
};
