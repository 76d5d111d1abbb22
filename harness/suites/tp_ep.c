/* SPDX-License-Identifier: BSD-3-Clause */
/* TP-EP-*: the Minimum Enrollment Priority option at a 6LR / Join Proxy DUT
 * (draft-ietf-roll-enrollment-priority -03 §2, -09/-16 §3; RFC 6550 §6.7.1, §7.2;
 * RFC 6206 §4.2).  The harness plays the parent A (rank 256) and a worse neighbour B
 * (rank 1024); the DUT's EB proxy priority and its own DIOs are what we judge.  Bounds
 * such as "< 0x40 once 0x10 is adopted" hold for a DUT local cost up to the TD's max_cost;
 * a DUT profile declaring a larger max_local_cost makes the TD not applicable. */
#include "suites_int.h"

/* ---- TP-EP-13: unknown option first (EP-21) ----
 * The DUT first joins B with plain DIOs, so it is heard before the stimulus under test
 * (a DUT never heard in the first TD would be an ERROR: the harness cannot tell a dropped
 * DIO from a wrong radio setting).  A, a much better parent, then sends the DIOs with the
 * unknown option first: only a DUT that parses them moves to A and adopts A's option.
 * B's rank (5632 = 44 x 128) is chosen so that every legal rank through B (at least
 * 5632 + 128) lies above every legal OF0 rank through A (at most 256 + 41 x 128 = 5504,
 * RFC 6552 §4.1): the DUT's rank alone tells which parent it uses, whatever its step of
 * rank or stretch. */
#define EP13_RANK_B 5632
static const ek_step ep13_steps[] = {
    { .kind = EK_STEP_INJECT,
      .what = "B (rank 5632) sends periodic DIOs: DODAG Configuration (MinHopRankIncrease 128), "
              "option v240 min 0x60",
      .stim = { .from = EK_ROLE_B, .kind = EK_STIM_DIO, .rank = EP13_RANK_B,
                .mep = { .present = true, .version = 240, .min = 0x60 },
                .every = PARENT_EVERY, .tweak = ek_st_conf_mhri_128 } },
    { .kind = EK_STEP_EXPECT, .what = "precondition: the DUT joins B and sends a DIO",
      .match = { .cls = EK_CLASS_DIO }, W_JOIN_DIO, .on_timeout = EK_V_INCONC },
    { .kind = EK_STEP_INJECT,
      .what = "A (rank 256) sends periodic DIOs: unknown option 0xf0 first, then DODAG Configuration "
              "(MinHopRankIncrease 128) and the option v241 min 0x10",
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_DIO,
                .mep = { .present = true, .version = 241, .min = 0x10 },
                .extra_hex = "f0 02 aa bb", .extra_pos = EK_BUILD_OPT_FIRST,
                .every = PARENT_EVERY, .tweak = ek_st_conf_mhri_128 } },
    { .kind = EK_STEP_EXPECT,
      .what = "DUT parses A's DIO and moves to A: DIO rank is a legal rank through A "
              "(256 + 128 .. 256 + 41 x 128 under OF0)",
      .match = { .cls = EK_CLASS_DIO, .pred = ek_sp_rank_via_a },
      .window = D_PARENT_SWITCH, .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_EXPECT,
      .what = "DUT adopts A's option: EB proxy in [0x10, 0x40) (B's 0x60 or the 0x40 default otherwise)",
      .match = { .cls = EK_CLASS_EB,
                 .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x10 }, { "enroll.ji.proxy_priority", EK_OP_LT, 0x40 } } },
      .window = D_EB(3), .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_ep_13 = {
    .id = "TP-EP-13", .suite = "ep",
    .title = "Unknown option before DODAG Configuration and the enrollment option",
    .objective = "A 6LR skips an unknown RPL option silently and parses the rest of the DIO: it selects "
                 "the sender as parent, uses the DODAG Configuration option that follows and adopts the "
                 "enrollment option.",
    .refs = "EP-21, EP-13 (RFC 6550 §6.7.1, §8.2.2; draft-16 §3.2)",
    .rule = "Rank through A: at least A's rank + MinHopRankIncrease (RFC 6550 §14), at most + 41 x "
            "MinHopRankIncrease under OF0 (RFC 6552 §4.1: (Rf 1..4 x Sp 1..9 + Sr 0..5)) or + max(MHRI, "
            "MAX_LINK_METRIC 512) under MRHOF (RFC 6719 §5); B's rank puts every rank through B above "
            "that range.  Adoption: EB proxy priority >= A's minimum (draft-16 §3.2) and below B's 0x60 "
            "and the 0x40 default.  The DUT may move to A on any of A's first three DIOs (RFC 6550 "
            "§8.2.1: when a node uses a new neighbour is its own policy), and its DIO may come up to "
            "1.5 Imax after that (RFC 6206 §4.2): a parent change need not reset Trickle (RFC 6550 §8.3 "
            "leaves it to the implementation).",
    .config = "B: neighbour, rank 5632, DIO every Imax without unknown options (MinHopRankIncrease 128, "
              "v240 min 0x60), so the DUT joins and is heard first.  A: root/parent, rank 256, DIO every "
              "Imax with option type 0xf0 (unknown) placed first, then DODAG Configuration with "
              "MinHopRankIncrease 128, then the enrollment option (v241, min 0x10).",
    .max_cost = 0x2f,
    .profiles = EK_PROF_ALL, .needs = NEEDS_JP,
    .steps = ep13_steps, .n_steps = EK_N_STEPS(ep13_steps),
};

/* ---- TP-EP-14: malformed lengths (S17) ---- */
static const ek_step ep14_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v240 min 0x10", 240, false, 0x10),
    STEP_JOINED,
    { .kind = EK_STEP_EXPECT, .what = "precondition: DUT adopted min 0x10 (EB proxy in [0x10, 0x40))",
      .match = { .cls = EK_CLASS_EB,
                 .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x10 }, { "enroll.ji.proxy_priority", EK_OP_LT, 0x40 } } },
      .window = D_EB(3), .on_timeout = EK_V_INCONC },
    { .kind = EK_STEP_INJECT,
      .what = "A: options of the enrollment type with Length 0, 1 (not draft-03) and 2 first "
              "(data saying min 0x7f), then DODAG Configuration and a valid option v241 min 0x20",
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_DIO,
                .mep = { .present = true, .version = 241, .min = 0x20 },
                .every = PARENT_EVERY, .tweak = ek_st_malformed_first } },
    { .kind = EK_STEP_ALWAYS,
      .what = "malformed options never adopted: every EB proxy in [0x10, 0x40) (the later valid min 0x20 "
              "adopted, or the whole DIO dropped and 0x10 kept)",
      .match = { .cls = EK_CLASS_EB,
                 .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x10 }, { "enroll.ji.proxy_priority", EK_OP_LT, 0x40 } } },
      .window = D_EB(3), .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_INJECT,
      .what = "A: valid option v242 min 0x30, then a last option of the enrollment type whose "
              "Length 255 runs beyond the end of the DIO",
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_DIO,
                .mep = { .present = true, .version = 242, .min = 0x30 },
                .every = PARENT_EVERY, .tweak = ek_st_len255_last } },
    { .kind = EK_STEP_ALWAYS,
      .what = "Length 255 not adopted: every EB proxy stays in [0x10, 0x50) (the DIO may be used or dropped)",
      .match = { .cls = EK_CLASS_EB,
                 .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x10 }, { "enroll.ji.proxy_priority", EK_OP_LT, 0x50 } } },
      .window = D_EB(3), .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_INJECT, .profiles = P16,
      .what = "A: the option v243 min 0x58 with Length 4 and one trailing octet (-10..-16 erratum)",
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_DIO,
                .mep = { .present = true, .version = 243, .min = 0x58 },
                .every = PARENT_EVERY, .tweak = ek_st_len4_trailing } },
    { .kind = EK_STEP_EXPECT, .profiles = P16, .info_profiles = P16,
      .what = "Length 4 accepted (INFO if not): EB proxy in [0x58, 0x7f]",
      .match = { .cls = EK_CLASS_EB,
                 .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x58 }, { "enroll.ji.proxy_priority", EK_OP_LE, 0x7f } } },
      .window = D_EB(3), .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_EXPECT, .what = "no crash: the DUT still sends EBs",
      .match = { .cls = EK_CLASS_EB }, .window = D_EB(3), .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_EXPECT, .what = "no crash: the DUT still sends DIOs (within 1.5 Imax)",
      .match = { .cls = EK_CLASS_DIO }, .window = D_NEXT_DIO, .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_ep_14 = {
    .id = "TP-EP-14", .suite = "ep",
    .title = "Malformed option lengths",
    .objective = "An enrollment option whose Length fits no layout (0, 1, 2, 255 beyond the end) is "
                 "ignored without a crash and never adopted; the options after it are still parsed. "
                 "Under draft-16 the Length-4 erratum form is accepted (INFO if not).",
    .refs = "S17, EP-2, EP-21 (RFC 6550 §6.7.1; draft-16 §3.1)",
    .config = "A: parent, rank 256, DIO every Imax; malformed options carry data that would read as "
              "min 0x7f.",
    .rule = "A malformed option is never adopted (RFC 6550 §6.7.1 option format; draft-16 §3.1 layout): "
            "read as data it says 0x7f, which every window excludes.  Whether a DIO with a malformed option "
            "is dropped whole or used without that option is the implementation's choice (RFC 6550 §6.7.1 "
            "says nothing), so each window admits both outcomes.  The Length-4 form is INFO only: its "
            "minimum 0x58 is above every earlier minimum plus a local cost <= 0x1f.  "
            "The last DIO check waits 1.5 Imax, the longest legal Trickle gap (RFC 6206 §4.2).",
    .max_cost = 0x1f,
    .profiles = EK_PROF_ALL, .needs = NEEDS_JP,
    .steps = ep14_steps, .n_steps = EK_N_STEPS(ep14_steps),
};

/* ---- TP-EP-04: propagation (EP-9a, EP-19, EP-20) ---- */
static const ek_step ep04_steps[] = {
    { .kind = EK_STEP_INJECT,
      .what = "A sends periodic DIOs with the option v240 T=0 min 0x20, DODAG size 100, R=1 (draft-03/04)",
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_DIO,
                .mep = { .present = true, .version = 240, .r = true, .min = 0x20, .size = 100 },
                .every = PARENT_EVERY } },
    STEP_JOINED,
    { .kind = EK_STEP_EXPECT,
      .what = "DUT's DIO carries the parent's option: byte-identical (draft-09/16); min >= 0x20 and "
              "size unchanged (draft-03/04)",
      .match = { .cls = EK_CLASS_DIO, .pred = ek_sp_propagated }, .window = D_NEXT_DIO, .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_EXPECT, .profiles = P_UNVERSIONED,
      .what = "R ignored on receipt (EP-20): EB proxy below 0x7f (R read into the value gives >= 0xa0)",
      .match = { .cls = EK_CLASS_EB,
                 .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x20 }, { "enroll.ji.proxy_priority", EK_OP_LT, 0x7f } } },
      .window = D_EB(3), .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_EXPECT, .profiles = P_UNVERSIONED, .info_profiles = P_UNVERSIONED,
      .what = "R copied into the propagated option (SHOULD, EP-20): DUT DIO has R=1",
      .match = { .cls = EK_CLASS_DIO, .conds = { { "enroll.mep.r", EK_OP_EQ, 1 } } },
      .window = D_NEXT_DIO, .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_ep_04 = {
    .id = "TP-EP-04", .suite = "ep",
    .title = "Propagation of the parent's option",
    .objective = "A 6LR's DIOs carry the option of its parent unchanged (draft-09/16: byte-identical); "
                 "under draft-03/04 the value never falls below the received one, the size is kept, "
                 "R is ignored on receipt and copied.",
    .refs = "EP-9a, EP-19, EP-20, EP-5 (draft-16 §3.2; draft-03 §2)",
    .config = "A: parent, rank 256, DIO every Imax, option v240 T=0 min 0x20 DODAG size 100 (R=1 in "
              "the draft-03/04 layouts).",
    .rule = "draft-09/16: the option's octets equal the parent's (draft-16 §3.2 MUST NOT alter); under "
            "draft-16 the Length-4 form printed in drafts -10..-16 with the same fields is accepted.  "
            "draft-03/04: min >= the parent's (draft-03 §2), size unchanged; copying R is a SHOULD (INFO).",
    .max_cost = 0x5e,
    .profiles = EK_PROF_ALL, .needs = NEEDS_JP,
    .steps = ep04_steps, .n_steps = EK_N_STEPS(ep04_steps),
};

/* ---- TP-EP-06: adoption (EP-13, EP-15) ---- */
static const ek_step ep06_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v240 min 0x10", 240, false, 0x10),
    STEP_JOINED,
    { .kind = EK_STEP_EXPECT, .what = "DUT adopts min 0x10: EB proxy in [0x10, 0x30)",
      .match = { .cls = EK_CLASS_EB,
                 .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x10 }, { "enroll.ji.proxy_priority", EK_OP_LT, 0x30 } } },
      .window = D_EB(3), .on_timeout = EK_V_FAIL },
    STEP_PARENT("A sends a newer version: v241 T=0 min 0x30", 241, false, 0x30),
    { .kind = EK_STEP_EXPECT, .what = "DUT adopts the newer version: EB proxy in [0x30, 0x7f]",
      .match = { .cls = EK_CLASS_EB,
                 .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x30 }, { "enroll.ji.proxy_priority", EK_OP_LE, 0x7f } } },
      .window = D_EB(3), .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_ALWAYS, .what = "every later EB proxy stays in [0x30, 0x7f]",
      .match = { .cls = EK_CLASS_EB,
                 .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x30 }, { "enroll.ji.proxy_priority", EK_OP_LE, 0x7f } } },
      .window = D_EB(3), .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_ep_06 = {
    .id = "TP-EP-06", .suite = "ep",
    .title = "Adoption of a newer option: EB proxy priority >= minimum",
    .objective = "A JP adopts the parent's newer option and advertises a proxy priority of at least "
                 "the minimum and at most 0x7f.",
    .refs = "EP-13, EP-15 (draft-16 §3.2; RFC 9032 §2)",
    .config = "A: parent, rank 256, DIO every Imax, v240 min 0x10 then v241 min 0x30 (draft-03/04 "
              "layouts have no version: the new value alone).",
    .rule = "EB proxy priority >= the adopted minimum and <= 0x7f (draft-16 §3.2); the upper bounds that "
            "prove adoption (below the 0x40 default, below an older value) hold for a local "
            "cost up to max_cost.",
    .max_cost = 0x1f,
    .profiles = EK_PROF_ALL, .needs = NEEDS_JP,
    .steps = ep06_steps, .n_steps = EK_N_STEPS(ep06_steps),
};

/* ---- TP-EP-10: 0x7f disables the JP (EP-3) ---- */
static const ek_step ep10_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v240 min 0x20", 240, false, 0x20),
    STEP_JOINED,
    { .kind = EK_STEP_EXPECT, .what = "precondition: the DUT is a Join Proxy (EB proxy in [0x20, 0x7f))",
      .match = { .cls = EK_CLASS_EB,
                 .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x20 }, { "enroll.ji.proxy_priority", EK_OP_LT, 0x7f } } },
      .window = D_EB(3), .on_timeout = EK_V_INCONC },
    STEP_PARENT("A switches enrollment off: v241 min 0x7f", 241, false, 0x7f),
    { .kind = EK_STEP_WAIT, .what = "one EB period for an EB built before the change", .window = D_EB(1) },
    { .kind = EK_STEP_EXPECT_NOT, .what = "no EB advertises a proxy priority below 0x7f (JP off)",
      .match = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.proxy_priority", EK_OP_LT, 0x7f } } },
      .window = D_EB(4) },
};

const ek_td ek_td_ep_10 = {
    .id = "TP-EP-10", .suite = "ep",
    .title = "Minimum 0x7f switches the Join Proxy off",
    .objective = "With min priority 0x7f from the parent, the DUT's EBs (if any) carry proxy priority 0x7f.",
    .refs = "EP-3, EP-15, EB-5 (draft-16 §3.1; RFC 9032 §2)",
    .config = "A: parent, rank 256, DIO every Imax, option v240 min 0x20 until the DUT advertises itself as "
              "a Join Proxy, then v241 min 0x7f.  Forwarding of join traffic (pledge emulation) is not "
              "checked here.",
    .rule = "0x7f disables the Join Proxy (draft-16 §3.1; RFC 9032 §2: proxy priority 0x7f = not a JP): "
            "no EB below 0x7f after one EB period of grace (an EB may be built before the DIO arrives).  "
            "Sending no EB at all is also compliant, so the TD first requires the DUT to be a JP: a device "
            "that never sends EBs cannot pass it vacuously.",
    .max_cost = 0x5e,
    .profiles = EK_PROF_ALL, .needs = NEEDS_JP,
    .steps = ep10_steps, .n_steps = EK_N_STEPS(ep10_steps),
};

/* ---- TP-EP-11: saturation (EP-15) ---- */
static const ek_step ep11_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v240 min 0x7e", 240, false, 0x7e),
    STEP_JOINED,
    { .kind = EK_STEP_EXPECT, .what = "an EB is seen with proxy priority >= 0x7e",
      .match = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x7e } } },
      .window = D_EB(3), .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_EXPECT_NOT, .what = "min + local cost saturates at 0x7f, never wraps: no EB below 0x7e",
      .match = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.proxy_priority", EK_OP_LT, 0x7e } } },
      .window = D_EB(3) },
};

const ek_td ek_td_ep_11 = {
    .id = "TP-EP-11", .suite = "ep",
    .title = "Saturation at 0x7f",
    .objective = "The adopted minimum plus the local cost is capped at 0x7f and never wraps to a low value.",
    .refs = "EP-15, EP-19 (draft-16 §3.2; draft-03 §2)",
    .config = "A: parent, rank 256, DIO every Imax, option v240 min 0x7e; the DUT's own local cost "
              "(no NCE filling by emulated pledges in this wave).",
    .rule = "min + local cost saturates at 0x7f (draft-16 §3.2: at most 0x7f); any cost >= 0 gives a "
            "value >= 0x7e, so below 0x7e means a wrap.",
    .profiles = EK_PROF_ALL, .needs = NEEDS_JP,
    .steps = ep11_steps, .n_steps = EK_N_STEPS(ep11_steps),
};

/* ---- TP-EP-12: no option -> 0x40 (EP-17) ---- */
static const ek_step ep12_steps[] = {
    { .kind = EK_STEP_INJECT, .what = "A sends periodic DIOs without the option",
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_DIO, .every = PARENT_EVERY } },
    STEP_JOINED,
    { .kind = EK_STEP_EXPECT,
      .what = "EB proxy >= 0x40 (SHOULD, EP-17: a failure is reported as FAIL, 'not recommended')",
      .match = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x40 } } },
      .window = D_EB(3), .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_EXPECT_NOT, .what = "no EB below 0x40 (SHOULD, EP-17)",
      .match = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.proxy_priority", EK_OP_LT, 0x40 } } },
      .window = D_EB(3) },
    { .kind = EK_STEP_ALWAYS, .profiles = EK_PROF_VERSIONED,
      .what = "the DUT does not originate the option (only the root does, EP-8): its next DIOs carry none",
      .match = { .cls = EK_CLASS_DIO, .conds = { { "enroll.mep.min_priority", EK_OP_ABSENT, 0 } } },
      .window = D_NEXT_DIO, .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_ep_12 = {
    .id = "TP-EP-12", .suite = "ep",
    .title = "No option received: base 0x40",
    .objective = "A JP that receives no option on any path uses 0x40 as its base: its EB proxy priority "
                 "is at least 0x40.  EP-17 is a SHOULD: a failure is reported as FAIL with that note.",
    .refs = "EP-17, EP-8 (draft-16 §4.1, §3.2; draft-03 §2.1)",
    .config = "A: parent, rank 256, DIO every Imax, no enrollment option.",
    .rule = "Without any option the base is 0x40 (draft-16 §4.1, a SHOULD), so the proxy priority is >= "
            "0x40; only the root originates the option (draft-16 §3.2), so a 6LR's DIO carries none "
            "(draft-09/16).",
    .profiles = EK_PROF_ALL, .needs = NEEDS_JP,
    .steps = ep12_steps, .n_steps = EK_N_STEPS(ep12_steps),
};

/* ---- TP-EP-05: version ordering (EP-12, RFC 6550 §7.2) ---- */
#define EB_RANGE(what_, lo_, hi_, kind_)                                                            \
    { .kind = (kind_), .what = (what_),                                                             \
      .match = { .cls = EK_CLASS_EB,                                                                \
                 .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, (lo_) }, { "enroll.ji.proxy_priority", EK_OP_LT, (hi_) } } }, \
      .window = D_EB(2), .on_timeout = EK_V_FAIL }

static const ek_step ep05_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v5 min 0x20", 5, false, 0x20),
    STEP_JOINED,
    EB_RANGE("DUT adopted v5: EB proxy in [0x20, 0x40)", 0x20, 0x40, EK_STEP_EXPECT),
    STEP_PARENT("A sends the older v4 min 0x05", 4, false, 0x05),
    EB_RANGE("v4 is older: every EB proxy stays in [0x20, 0x40)", 0x20, 0x40, EK_STEP_ALWAYS),
    STEP_PARENT("A sends v240 min 0x30 (240 is newer than 5: 256 + 5 - 240 > 16)", 240, false, 0x30),
    EB_RANGE("DUT adopts v240: EB proxy in [0x30, 0x50)", 0x30, 0x50, EK_STEP_EXPECT),
    STEP_PARENT("A sends v5 min 0x08 (240 stays newer)", 5, false, 0x08),
    EB_RANGE("v5 is older than 240: every EB proxy stays in [0x30, 0x50)", 0x30, 0x50, EK_STEP_ALWAYS),
    STEP_PARENT("A sends v250 min 0x38 (250 is newer than 240)", 250, false, 0x38),
    EB_RANGE("DUT adopts v250: EB proxy in [0x38, 0x58)", 0x38, 0x58, EK_STEP_EXPECT),
    STEP_PARENT("A sends v5 min 0x10 (5 is newer than 250: 256 + 5 - 250 <= 16)", 5, false, 0x10),
    EB_RANGE("DUT adopts v5 after v250: EB proxy in [0x10, 0x30)", 0x10, 0x30, EK_STEP_EXPECT),
};

const ek_td ek_td_ep_05 = {
    .id = "TP-EP-05", .suite = "ep",
    .title = "Version ordering (lollipop)",
    .objective = "The DUT ignores an option whose Version is older than the adopted one in lollipop "
                 "order and adopts a newer one, across the linear/circular boundary.",
    .refs = "EP-12, EP-13 (draft-16 §3.2; RFC 6550 §7.2)",
    .config = "A: parent, rank 256, DIO every Imax; Versions 5, 4, 240, 5, 250, 5 in turn.",
    .rule = "Versions ordered as RFC 6550 §7.2 lollipop counters (draft-16 §3.2: an older version is "
            "ignored). EB proxy priority >= the adopted minimum and <= 0x7f (draft-16 §3.2); the upper "
            "bounds that prove adoption (below the 0x40 default, below an older value) hold for a local "
            "cost up to max_cost.",
    .max_cost = 0x1f,
    .profiles = EK_PROF_VERSIONED, .needs = NEEDS_JP,
    .steps = ep05_steps, .n_steps = EK_N_STEPS(ep05_steps),
};

/* ---- TP-EP-07: Trickle reset (EP-14, EP-6) ---- */
static const ek_step ep07_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v240 T=0 min 0x20", 240, false, 0x20),
    STEP_JOINED,
    { .kind = EK_STEP_EXPECT,
      .what = "precondition: the DUT's Trickle interval has grown (a DIO >= max(8 Imin, 6 Imin + 3 slack) after its previous one)",
      .match = { .cls = EK_CLASS_DIO, .pred = ek_sp_trickle_grown },
      .window = D_IMAX(2), .on_timeout = EK_V_INCONC },
    STEP_PARENT("right after that DIO, A sends a newer version with T=1: v241 min 0x20", 241, true, 0x20),
    { .kind = EK_STEP_EXPECT,
      .what = "Trickle reset: a DUT DIO within 2 Imin (an unreset timer cannot send that early)",
      .match = { .cls = EK_CLASS_DIO }, .window = D_IMIN(2), .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_EXPECT, .profiles = P16,
      .what = "precondition: the Trickle interval has grown again",
      .match = { .cls = EK_CLASS_DIO, .pred = ek_sp_trickle_grown },
      .window = D_IMAX(2), .on_timeout = EK_V_INCONC },
    { .kind = EK_STEP_INJECT, .profiles = P16,
      .what = "right after that DIO, A raises the minimum with T=0: v242 min 0x30",
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_DIO,
                .mep = { .present = true, .version = 242, .min = 0x30 }, .every = PARENT_EVERY } },
    { .kind = EK_STEP_EXPECT, .profiles = P16,
      .what = "a rise is an inconsistency (EP-6): a DUT DIO within 2 Imin",
      .match = { .cls = EK_CLASS_DIO }, .window = D_IMIN(2), .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_ep_07 = {
    .id = "TP-EP-07", .suite = "ep",
    .title = "Trickle reset on a newer version with T=1",
    .objective = "A newer option Version with T=1 (and, under draft-16, a rise of the minimum) resets the "
                 "DUT's DIO Trickle timer: a DIO follows within about 2 Imin instead of a full interval.",
    .refs = "EP-14, EP-6 (draft-16 §3.1, §3.2; RFC 6206 §4.2)",
    .config = "A: parent, rank 256, DIO every Imax (at most about one per DUT Trickle interval).  The stimulus goes out "
              "right after a DUT DIO seen G >= 3 W after the previous one (W = 2 Imin + slack, the check "
              "window; G >= 8 Imin at least).  As a Trickle DIO falls in [I/2, I) of its interval, G < 1.5 I "
              "and the next unreset DIO is >= I/2 > W away, so only a reset explains a DIO within W.  "
              "Needs Imax >= 16 Imin (doublings >= 4); otherwise the precondition is INCONC.",
    .rule = "RFC 6206 §4.2: a transmission falls in [I/2, I), so after a gap G >= 3 W between two DIOs "
            "the next unreset DIO is more than W = 2 Imin + slack away; a DIO within W shows the reset "
            "that draft-16 §3.2 (T = 1, newer version) and §3.1 (a rise) require.",
    .profiles = EK_PROF_VERSIONED, .needs = NEEDS_JP,
    .steps = ep07_steps, .n_steps = EK_N_STEPS(ep07_steps),
};

/* ---- TP-EP-09: selected parent only (EP-5) ---- */
static const ek_step ep09_steps[] = {
    STEP_PARENT("A (rank 256) sends periodic DIOs with the option v240 min 0x10", 240, false, 0x10),
    STEP_JOINED,
    { .kind = EK_STEP_INJECT, .what = "B (rank 1024) sends periodic DIOs with a newer version v241 min 0x60",
      .stim = { .from = EK_ROLE_B, .kind = EK_STIM_DIO,
                .mep = { .present = true, .version = 241, .min = 0x60 }, .every = PARENT_EVERY } },
    { .kind = EK_STEP_INJECT, .at = D_IMIN(2), .what = "B sends a still newer version v242 min 0x60",
      .stim = { .from = EK_ROLE_B, .kind = EK_STIM_DIO,
                .mep = { .present = true, .version = 242, .min = 0x60 }, .every = PARENT_EVERY } },
    { .kind = EK_STEP_ALWAYS, .info_profiles = P03 | P04 | P09,
      .what = "the DUT follows A only: every EB proxy below 0x60",
      .match = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.proxy_priority", EK_OP_LT, 0x60 } } },
      .window = D_EB(4), .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_ep_09 = {
    .id = "TP-EP-09", .suite = "ep",
    .title = "Option taken from the selected parent only",
    .objective = "The option is adopted from the preferred parent only; a worse neighbour's newer "
                 "versions change nothing.  FAIL under draft-16 (§3.1), INFO under draft-03/04/09 "
                 "(which DIOs count is not stated there).",
    .refs = "EP-5 (draft-16 §3.1)",
    .config = "A: parent, rank 256, DIO every Imax, v240 min 0x10.  B: neighbour, rank 1024, DIO every "
              "Imax, v241 then v242, min 0x60.",
    .rule = "The option is taken from the preferred parent only.  Which DIOs the option is taken from: "
            "draft-16 §3.1 says a 6LR \"uses the contents of this option from whichever parent it "
            "selects\"; §3.2's \"MUST adopt\" does not repeat the restriction. The TDs read §3.1 as "
            "binding under draft-16 (FAIL) and report the other profiles, whose text is silent, as "
            "INFO.  B's rank 1024 is "
            "never better than A's 256 through OF0 or MRHOF over equal links (RFC 6552 §4.1, RFC 6719 §5).",
    .max_cost = 0x4f,
    .profiles = EK_PROF_ALL, .needs = NEEDS_JP,
    .steps = ep09_steps, .n_steps = EK_N_STEPS(ep09_steps),
};
