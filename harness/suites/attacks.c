/* SPDX-License-Identifier: BSD-3-Clause */
/* Attack scenarios without link-layer security: S2 stale version, S3
 * rogue lower minimum from a non-parent, S4 raise to 0x7f, S6 Trickle storm, and an
 * RPL-level replay of an older DIO (draft-16 §5; RFC 6550 §7.2; RFC 6206 §4.2).  The
 * insider holds the keys, so only the option's own rules protect the DUT. */
#include "suites_int.h"

/* ---- TP-ATK-S2: stale version from an insider ---- */
static const ek_step s2_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v20 min 0x10", 20, false, 0x10),
    STEP_JOINED,
    { .kind = EK_STEP_EXPECT, .what = "precondition: DUT adopted min 0x10 (EB proxy in [0x10, 0x30))",
      .match = { .cls = EK_CLASS_EB,
                 .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x10 }, { "enroll.ji.proxy_priority", EK_OP_LT, 0x30 } } },
      .window = D_EB(3), .on_timeout = EK_V_INCONC },
    STEP_PARENT("the parent (insider) re-sends an older version: v19 min 0x00", 19, false, 0x00),
    { .kind = EK_STEP_ALWAYS, .what = "stale version ignored: every EB proxy stays >= 0x10",
      .match = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x10 } } },
      .window = D_EB(3), .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_atk_s2 = {
    .id = "TP-ATK-S2", .suite = "attack",
    .title = "S2: stale-version DIO from an insider",
    .objective = "An option whose Version is older than the adopted one (lollipop order) is ignored, even "
                 "from the parent and even with a lower minimum.",
    .refs = "S2, EP-12 (draft-16 §3.2, §5; RFC 6550 §7.2)",
    .config = "A: parent (the insider), rank 256, DIO every Imax: v20 min 0x10, then v19 min 0x00.",
    .rule = "An older version (RFC 6550 §7.2 lollipop) is ignored even from the parent (draft-16 §3.2), "
            "so the proxy priority stays >= the adopted minimum 0x10 (draft-16 §3.2).  The precondition "
            "range [0x10, 0x30) separates adoption from the 0x40 default.",
    .max_cost = 0x1f,
    .profiles = EK_PROF_VERSIONED, .needs = NEEDS_JP,
    .steps = s2_steps, .n_steps = EK_N_STEPS(s2_steps),
};

/* ---- TP-ATK-S3: rogue lower minimum from a non-parent ---- */
static const ek_step s3_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v240 min 0x10", 240, false, 0x10),
    STEP_JOINED,
    { .kind = EK_STEP_EXPECT, .what = "precondition: DUT adopted min 0x10 (EB proxy in [0x10, 0x30))",
      .match = { .cls = EK_CLASS_EB,
                 .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x10 }, { "enroll.ji.proxy_priority", EK_OP_LT, 0x30 } } },
      .window = D_EB(3), .on_timeout = EK_V_INCONC },
    { .kind = EK_STEP_INJECT,
      .what = "ROGUE (rank 1024, not the parent) sends periodic DIOs: newer v241 T=1 min 0x00",
      .stim = { .from = EK_ROLE_ROGUE, .kind = EK_STIM_DIO,
                .mep = { .present = true, .version = 241, .t = true, .min = 0x00 },
                .every = PARENT_EVERY } },
    { .kind = EK_STEP_ALWAYS, .info_profiles = P03 | P04 | P09,
      .what = "no effect: every EB proxy stays >= 0x10",
      .match = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x10 } } },
      .window = D_EB(3), .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_ALWAYS, .info_profiles = P03 | P04 | P09,
      .what = "the DUT's next DIOs keep its parent's minimum 0x10",
      .match = { .cls = EK_CLASS_DIO, .conds = { { "enroll.mep.min_priority", EK_OP_GE, 0x10 } } },
      .window = D_NEXT_DIO, .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_atk_s3 = {
    .id = "TP-ATK-S3", .suite = "attack",
    .title = "S3: rogue lower minimum from a non-parent neighbour",
    .objective = "An insider that is not the selected parent announces min 0x00 with newer versions: the "
                 "DUT's EBs and DIOs never go below what its parent gave.",
    .refs = "S3, EP-5, EP-19, EP-9a (draft-16 §3.1, §5; draft-03 §2)",
    .config = "A: parent, rank 256, DIO every Imax, v240 min 0x10.  ROGUE: rank 1024, DIO every Imax, "
              "v241 T=1 min 0x00.",
    .rule = "Only the preferred parent's option counts: EBs >= 0x10 and DIO minimums >= 0x10. "
            "Which DIOs the option is taken from: draft-16 §3.1 says a 6LR \"uses the contents of this "
            "option from whichever parent it selects\"; §3.2's \"MUST adopt\" does not repeat the "
            "restriction. The TDs read §3.1 as binding under draft-16 (FAIL) and report the other "
            "profiles, whose text is silent, as INFO.  ROGUE's rank is never better than A's through "
            "any OF0 or MRHOF "
            "choice (RFC 6552 §4.1, RFC 6719 §5: same link costs).",
    .max_cost = 0x1f,
    .profiles = EK_PROF_ALL, .needs = NEEDS_JP,
    .steps = s3_steps, .n_steps = EK_N_STEPS(s3_steps),
};

/* ---- TP-ATK-S4: raise to 0x7f stalls enrollment; a newer version re-enables ---- */
static const ek_step s4_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v240 min 0x20", 240, false, 0x20),
    STEP_JOINED,
    { .kind = EK_STEP_EXPECT, .what = "precondition: JP on (EB proxy in [0x20, 0x7f))",
      .match = { .cls = EK_CLASS_EB,
                 .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x20 }, { "enroll.ji.proxy_priority", EK_OP_LT, 0x7f } } },
      .window = D_EB(3), .on_timeout = EK_V_INCONC },
    STEP_PARENT("the parent (insider) raises the minimum to 0x7f: v241 T=1", 241, true, 0x7f),
    { .kind = EK_STEP_WAIT, .what = "one EB period for an EB built before the change", .window = D_EB(1) },
    { .kind = EK_STEP_EXPECT_NOT, .what = "the JP switches off: no EB with proxy priority below 0x7f",
      .match = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.proxy_priority", EK_OP_LT, 0x7f } } },
      .window = D_EB(3) },
    STEP_PARENT("a newer version re-enables enrollment: v242 T=1 min 0x20", 242, true, 0x20),
    { .kind = EK_STEP_EXPECT, .what = "the JP is on again: EB proxy in [0x20, 0x7f)",
      .match = { .cls = EK_CLASS_EB,
                 .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x20 }, { "enroll.ji.proxy_priority", EK_OP_LT, 0x7f } } },
      .window = D_EB(3), .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_atk_s4 = {
    .id = "TP-ATK-S4", .suite = "attack",
    .title = "S4: minimum raised to 0x7f by the parent",
    .objective = "A minimum of 0x7f from the parent switches the Join Proxy off (EB proxy 0x7f); a newer "
                 "version with a lower minimum switches it on again.",
    .refs = "S4, EP-3, EP-13, EP-15 (draft-16 §3.1, §3.2, §5)",
    .config = "A: parent (the insider), rank 256, DIO every Imax: v240 min 0x20, v241 T=1 min 0x7f, "
              "v242 T=1 min 0x20.",
    .rule = "0x7f switches the JP off (draft-16 §3.1; RFC 9032 §2) after one EB period of grace; a newer "
            "version brings it back (draft-16 §3.2). EB proxy priority >= the adopted minimum and <= 0x7f "
            "(draft-16 §3.2); the upper bounds that prove adoption (below the 0x40 default, below an "
            "older value) hold for a local cost up to the TD's max_cost.",
    .max_cost = 0x5e,
    .profiles = EK_PROF_ALL, .needs = NEEDS_JP,
    .steps = s4_steps, .n_steps = EK_N_STEPS(s4_steps),
};

/* ---- TP-ATK-S6: Trickle storm ---- */
#define STORM(v_)                                                                                   \
    { .kind = EK_STEP_INJECT, .at = D_IMIN(2), .what = "A: newer version v" #v_ " T=1 min 0x20",    \
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_DIO,                                             \
                .mep = { .present = true, .version = (v_), .t = true, .min = 0x20 } } }

static const ek_step s6_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v10 min 0x20", 10, false, 0x20),
    STEP_JOINED,
    STORM(11), STORM(12), STORM(13), STORM(14), STORM(15), STORM(16), STORM(17), STORM(18),
    STORM(19), STORM(20), STORM(21), STORM(22), STORM(23), STORM(24), STORM(25), STORM(26),
    STORM(27), STORM(28), STORM(29),
    STEP_PARENT("A: newer version v30 T=1 min 0x20, then periodic", 30, true, 0x20),
    { .kind = EK_STEP_ALWAYS, .info_profiles = EK_PROF_VERSIONED,
      .what = "DIO rate after the storm (INFO: no rate limit in the spec): every DIO carries v30",
      .match = { .cls = EK_CLASS_DIO, .conds = { { "enroll.mep.version", EK_OP_EQ, 30 } } },
      .window = D_IMIN(8), .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_EXPECT, .what = "the DUT keeps working: EBs with proxy priority in [0x20, 0x7f)",
      .match = { .cls = EK_CLASS_EB,
                 .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x20 }, { "enroll.ji.proxy_priority", EK_OP_LT, 0x7f } } },
      .window = D_EB(3), .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_EXPECT, .what = "the DUT keeps working: it still sends DIOs (within 1.5 Imax)",
      .match = { .cls = EK_CLASS_DIO }, .window = D_NEXT_DIO, .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_atk_s6 = {
    .id = "TP-ATK-S6", .suite = "attack",
    .title = "S6: Trickle storm of newer versions with T=1",
    .objective = "Twenty newer versions with T=1 in quick succession: the DUT resets Trickle as required, "
                 "keeps working and still sends DIOs and EBs; its DIO rate is recorded (INFO).",
    .refs = "S6, EP-14 (draft-16 §3.2, §5; RFC 6206 §4.2)",
    .config = "A: parent, rank 256: v10 min 0x20 periodic, then v11..v30 T=1 one every 2 Imin (the "
              "plugfest's 1 s spacing shortened to DUT units).",
    .rule = "Each newer version with T = 1 resets Trickle (draft-16 §3.2); afterwards the DUT must still "
            "send EBs within 3 EB periods and a DIO within 1.5 Imax (RFC 6206 §4.2).  The DIO rate is "
            "INFO: the draft sets no limit.",
    .max_cost = 0x5e,
    .profiles = EK_PROF_VERSIONED, .needs = NEEDS_JP,
    .steps = s6_steps, .n_steps = EK_N_STEPS(s6_steps),
};

/* ---- TP-ATK-REPLAY: RPL-level replay of an older DIO ---- */
static const ek_step replay_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v10 min 0x20", 10, false, 0x20),
    STEP_JOINED,
    { .kind = EK_STEP_EXPECT, .what = "precondition: DUT adopted min 0x20 (EB proxy in [0x20, 0x40))",
      .match = { .cls = EK_CLASS_EB,
                 .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x20 }, { "enroll.ji.proxy_priority", EK_OP_LT, 0x40 } } },
      .window = D_EB(3), .on_timeout = EK_V_INCONC },
    STEP_PARENT("A sends a newer version: v11 min 0x40", 11, false, 0x40),
    { .kind = EK_STEP_EXPECT, .what = "DUT adopts v11: EB proxy >= 0x40",
      .match = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x40 } } },
      .window = D_EB(3), .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_INJECT, .what = "an insider replays step 1's v10 DIO byte-identical",
      .stim = { .from = EK_ROLE_ROGUE, .kind = EK_STIM_REPLAY, .replay_step = 1 } },
    { .kind = EK_STEP_ALWAYS, .what = "replay ignored: every EB proxy stays >= 0x40",
      .match = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x40 } } },
      .window = D_EB(3), .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_atk_replay = {
    .id = "TP-ATK-REPLAY", .suite = "attack",
    .title = "RPL-level replay of an older DIO",
    .objective = "A byte-identical copy of an earlier DIO (older option Version) re-sent after a newer "
                 "one must not be adopted.",
    .refs = "S2, EP-12 (draft-16 §3.2, §5; RFC 6550 §7.2)",
    .config = "A: parent, rank 256, DIO every Imax: v10 min 0x20, then v11 min 0x40; the v10 frame is "
              "then re-sent unchanged (same MAC sequence number and source).",
    .rule = "A byte-identical older DIO carries an older version (RFC 6550 §7.2) and is ignored (draft-16 "
            "§3.2): the proxy priority stays >= the adopted minimum.",
    .max_cost = 0x1f,
    .profiles = EK_PROF_VERSIONED, .needs = NEEDS_JP,
    .steps = replay_steps, .n_steps = EK_N_STEPS(replay_steps),
};
