/* SPDX-License-Identifier: BSD-3-Clause */
/* TP-EB-*: the RFC 9032 6tisch-Join-Info IE in the DUT's Enhanced Beacons (RFC 9032 §2,
 * §5; RFC 8137 §4-5; RFC 8180 §6.1).  The harness plays the parent A (rank 256); what the
 * DUT itself advertises (its rank, its minimum) sets the expectations. */
#include "suites_int.h"

#define NEEDS_EB (EK_CAP_SENDS_DIO | EK_CAP_SENDS_EB)

/* ---- TP-EB-01: EB framing ---- */
static const ek_step eb01_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v240 min 0x20", 240, false, 0x20),
    STEP_JOINED,
    { .kind = EK_STEP_EXPECT,
      .what = "an EB with an IETF IE subtype 2 whose Length is 5 + 8P + N, N <= 16, decoding cleanly, "
              "with the network ID, interface ID and PAN priority the profile declares",
      .match = { .cls = EK_CLASS_EB,
                 .conds = { { "enroll.decode.ji_length_ok", EK_OP_EQ, 1 }, { "enroll.ji.proxy_priority", EK_OP_PRESENT, 0 } },
                 .pred = ek_sp_eb_declared },
      .window = D_EB(3), .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_ALWAYS, .what = "every later EB is framed the same way",
      .match = { .cls = EK_CLASS_EB,
                 .conds = { { "enroll.decode.ji_length_ok", EK_OP_EQ, 1 }, { "enroll.ji.proxy_priority", EK_OP_PRESENT, 0 } },
                 .pred = ek_sp_eb_declared },
      .window = D_EB(3), .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_ALWAYS, .info_profiles = EK_PROF_ALL,
      .what = "reserved bits sent as 0 (SHOULD, EB-3: INFO if not)",
      .match = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.reserved", EK_OP_EQ, 0 } } },
      .window = D_EB(2), .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_eb_01 = {
    .id = "TP-EB-01", .suite = "eb",
    .title = "Join-Info IE framing in the DUT's EBs",
    .objective = "The DUT's EBs carry the Join-Info as an IETF payload IE (group 0x5) of subtype 2 whose "
                 "content length is 5 + 8P + N with N <= 16, and the whole EB decodes without error; "
                 "reserved bits 0 (INFO otherwise).",
    .refs = "EB-1, EB-2, EB-3, EB-4, EB-8, EB-13 (RFC 9032 §2, §5; RFC 8137 §4, §5)",
    .config = "A: parent, rank 256, DIO every Imax, option v240 min 0x20 (an unknown option to a DUT "
              "without the enrollment option, which may still be a Join Proxy); the IE profile and subtype "
              "of the DUT profile.  Security (MIC-only EBs) is checked in the security suite.",
    .rule = "Content length = 5 + 8P + N with 0 <= N <= 16 (RFC 9032 §2); when P = 1 the 8 interface-ID "
            "octets are there (RFC 9032 §2).  Network ID, Join Proxy interface ID (or P = 0 for jp_iid = "
            "none) and PAN priority are compared only when the DUT profile declares them ([dut] "
            "network_id, jp_iid, pan_priority): the harness cannot know a device's configuration otherwise.",
    .profiles = EK_PROF_ALL, .needs = NEEDS_EB,
    .steps = eb01_steps, .n_steps = EK_N_STEPS(eb01_steps),
};

/* ---- TP-EB-09: proxy priority tracks the root, join metric does not ---- */
#define EB_TRACK(what_, lo_, hi_)                                                                   \
    { .kind = EK_STEP_EXPECT, .what = (what_),                                                      \
      .match = { .cls = EK_CLASS_EB,                                                                \
                 .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, (lo_) }, { "enroll.ji.proxy_priority", EK_OP_LT, (hi_) } }, \
                 .pred = ek_sp_join_metric },                                                       \
      .window = D_EB(3), .on_timeout = EK_V_FAIL }

static const ek_step eb09_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v240 min 0x10", 240, false, 0x10),
    STEP_JOINED,
    EB_TRACK("EB proxy in [0x10, 0x40), join metric = DAGRank(the DUT's advertised rank) - 1", 0x10, 0x40),
    STEP_PARENT("the root raises the minimum: v241 T=1 min 0x40", 241, true, 0x40),
    EB_TRACK("EB proxy tracks it: [0x40, 0x70), join metric still DAGRank - 1", 0x40, 0x70),
    STEP_PARENT("the root lowers the minimum: v242 T=1 min 0x20", 242, true, 0x20),
    EB_TRACK("EB proxy tracks it: [0x20, 0x40), join metric still DAGRank - 1", 0x20, 0x40),
    { .kind = EK_STEP_ALWAYS,
      .what = "every later EB keeps tracking the root: proxy in [0x20, 0x40) (its join metric is judged by "
              "the join-metric monitor, against the DUT's DIOs before and after it)",
      .match = { .cls = EK_CLASS_EB,
                 .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x20 }, { "enroll.ji.proxy_priority", EK_OP_LT, 0x40 } } },
      .window = D_EB(2), .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_eb_09 = {
    .id = "TP-EB-09", .suite = "eb",
    .title = "Proxy priority tracks the root; the TSCH join metric does not",
    .objective = "When the root changes the minimum, the JP's EB proxy priority follows it, while the "
                 "TSCH Synchronization IE join metric stays DAGRank(rank) - 1.",
    .refs = "EP-15, EB-13 (draft-16 §3.2; RFC 9032 §2; RFC 8180 §6.1)",
    .config = "A: parent, rank 256, DODAG Configuration with the profile's MinHopRankIncrease, DIO every "
              "Imax, min 0x10, then 0x40, then 0x20 (newer versions, T=1).",
    .rule = "Join metric = DAGRank(rank) - 1 (RFC 8180 §6.1; DAGRank = floor(rank / MinHopRankIncrease), RFC "
            "6550 §3.5.1) of the rank the DUT itself advertises in its latest DIO (or the one before, across "
            "a change) and the MinHopRankIncrease of the DODAG Configuration it advertises; any legal rank "
            "(RFC 6552 §4.1 step of rank 1..9, stretch 0..5) passes.  Proxy priority >= the minimum "
            "(draft-16 §3.2).",
    .max_cost = 0x1f,
    .profiles = EK_PROF_ALL, .needs = NEEDS_JP,
    .steps = eb09_steps, .n_steps = EK_N_STEPS(eb09_steps),
};
