/* SPDX-License-Identifier: BSD-3-Clause */
/* TP-SEC-*: a 6LR / Join Proxy in a network with IEEE 802.15.4 link-layer security
 * (RFC 8180 §4.6: DIOs under K2, EBs authenticated under K1; IEEE 802.15.4-2015 §9.2.5
 * incoming frame security: MIC first, then a per-sender frame counter that must grow).
 * Attack scenarios of the security considerations (draft-16 §5, RFC 9031 §9): S1 L2 replay, S5 unsecured / wrongly keyed DIOs,
 * S9 EBs under the published default K1, and S2 (stale version) with fresh counters.
 * Every stimulus is secured as the network does (EK_SSEC_AUTO) unless a step says
 * otherwise; the DUT's EB proxy priority shows what it adopted (EP-15, cost < 0x10). */
#include <stdio.h>
#include <string.h>

#include "ek/sec.h"
#include "suites_int.h"


/* The DUT's EB proxy priority lies in [lo, hi): what it adopted (min + cost). */
#define EB_IN(lo_, hi_) { { "enroll.ji.proxy_priority", EK_OP_GE, (lo_) }, { "enroll.ji.proxy_priority", EK_OP_LT, (hi_) } }
#define EB_IN_SEC(lo_, hi_)                                                                 \
    { { "enroll.ji.proxy_priority", EK_OP_GE, (lo_) }, { "enroll.ji.proxy_priority", EK_OP_LT, (hi_) },         \
      { "wpan.security", EK_OP_EQ, 1 }, { "enroll.decode.mic_ok", EK_OP_EQ, 1 } }

#define STEP_EB_PRECOND(what_, lo_, hi_)                                                    \
    { .kind = EK_STEP_EXPECT, .what = (what_),                                              \
      .match = { .cls = EK_CLASS_EB, .conds = EB_IN(lo_, hi_) },                            \
      .window = D_EB(3), .on_timeout = EK_V_INCONC }

/* ... and every EB in the window is secured and verifies under the network's K1. */
#define STEP_EB_STAYS(what_, lo_, hi_)                                                      \
    { .kind = EK_STEP_ALWAYS, .what = (what_),                                              \
      .match = { .cls = EK_CLASS_EB, .conds = EB_IN_SEC(lo_, hi_) },                        \
      .window = D_EB(3), .on_timeout = EK_V_FAIL }

#define STEP_EB_BECOMES(what_, lo_, hi_)                                                    \
    { .kind = EK_STEP_EXPECT, .what = (what_),                                              \
      .match = { .cls = EK_CLASS_EB, .conds = EB_IN(lo_, hi_) },                            \
      .window = D_EB(3), .on_timeout = EK_V_FAIL }

/* A window that surely holds one DUT DIO when Trickle was not reset: consecutive DIOs
 * are up to 1.5 Imax apart (RFC 6206 §4.2: sent in [I/2, I) of each interval). */
#define DIO_SURELY D_IMAX(2)

/* A single (not periodic) DIO from A: the parent's address, security and counter as given. */
#define DIO_A(what_, ver_, t_, min_, sec_, fc_, fcstep_, fcdelta_)                          \
    { .kind = EK_STEP_INJECT, .what = (what_),                                              \
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_DIO,                                     \
                .mep = { .present = true, .version = (ver_), .t = (t_), .min = (min_) },    \
                .sec = (sec_), .fc = (fc_), .fc_step = (fcstep_), .fc_delta = (fcdelta_) } }

/* ---- shared predicates ---- */

/* The Auxiliary Security Header level the network uses for this frame's class (DUT
 * profile: dio_level for DIOs, eb_level for EBs; RFC 8180 §4.6). */
bool ek_sp_sec_level(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    bool eb = ek_frame_is_class(f, EK_CLASS_EB);
    unsigned want = eb ? ctx->dut->eb_level : ctx->dut->dio_level;
    const char *key = eb ? "eb_level" : "dio_level";
    if (!ctx->frame_sec.secured) {
        snprintf(why, whylen, "sent unsecured (profile %s %u)", key, want);
        return false;
    }
    if (ctx->frame_sec.level != want) {
        snprintf(why, whylen, "security level %u != the profile's %s %u", ctx->frame_sec.level, key, want);
        return false;
    }
    snprintf(why, whylen, "security level %u = %s", want, key);
    return true;
}

/* S9 is only testable when the network's K1 is not the published default one
 * ("K1-minimal15", ek/sec.h): otherwise the "forged" EBs verify legitimately. */
bool ek_sp_k1_not_default(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    (void)f;
    ek_sec_key def;
    if (!ek_sec_key_named("K1-minimal15", &def)) {
        snprintf(why, whylen, "harness: no named key K1-minimal15");
        return false;
    }
    if (memcmp(def.key, ctx->dut->k1.key, EK_SEC_KEY_LEN) == 0) {
        snprintf(why, whylen, "profile k1 is the published K1-minimal15: S9 untestable (set [security] k1 to the "
                              "network's own key)");
        return false;
    }
    snprintf(why, whylen, "network K1 differs from K1-minimal15");
    return true;
}

/* The highest ASN announced by the forged EBs of this TD so far (0 = none). */
static uint64_t forged_asn(const ek_td_ctx *ctx)
{
    uint64_t a = 0;
    for (unsigned i = 0; i + 1 < ctx->step && i < ctx->td->n_steps; i++) {
        const ek_step *s = &ctx->td->steps[i];
        if (s->kind == EK_STEP_INJECT && s->stim.kind == EK_STIM_EB && s->stim.eb_asn > a)
            a = s->stim.eb_asn;
    }
    return a;
}

/* S9: the DUT did not take the forged EBs' time: its ASN stays below the (far future)
 * ASN they announced, and its EBs still verify under the network's K1 (sec.mic_ok). */
bool ek_sp_asn_not_forged(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    uint64_t forged = forged_asn(ctx);
    if (!f->sum.has_asn) {
        snprintf(why, whylen, "EB without a TSCH Synchronization IE (no ASN)");
        return false;
    }
    if (forged && f->sum.asn >= forged) {
        snprintf(why, whylen, "EB ASN 0x%010llx jumped to the forged EBs' time (>= 0x%010llx)",
                 (unsigned long long)f->sum.asn, (unsigned long long)forged);
        return false;
    }
    snprintf(why, whylen, "EB ASN 0x%010llx < forged 0x%010llx", (unsigned long long)f->sum.asn,
             (unsigned long long)forged);
    return true;
}

/* ---- TP-SEC-01: L2 replay (S1) ----
 * The EB part: a neighbour's EB and its byte-identical replay.  Nothing in the EB may
 * move the DUT (its parent and option come from DIOs); what is judged is that it keeps
 * working unchanged.  The ASN is arbitrary: the DUT's time source is A. */
#define REPLAY_EB_ASN 0x1000ull

static const ek_step sec01_steps[] = {
    STEP_PARENT("A sends periodic secured DIOs with the option v10 min 0x20", 10, false, 0x20),
    STEP_JOINED,
    STEP_EB_PRECOND("precondition: DUT adopted min 0x20 (EB proxy in [0x20, 0x30))", 0x20, 0x30),
    STEP_PARENT("A sends periodic secured DIOs with a newer option v11 min 0x40 (fresh counters)", 11, false, 0x40),
    STEP_EB_BECOMES("DUT adopts v11: EB proxy in [0x40, 0x50)", 0x40, 0x50),
    { .kind = EK_STEP_INJECT,
      .what = "an attacker re-sends step 1's secured v10 min 0x20 DIO byte-identical (A's source, old counter)",
      .stim = { .from = EK_ROLE_ROGUE, .kind = EK_STIM_REPLAY, .replay_step = 1 } },
    STEP_EB_STAYS("L2 replay dropped (counter not above A's last): every EB proxy stays in [0x40, 0x50)", 0x40,
                  0x50),
    DIO_A("A's address, the counter of step 4's DIO unchanged, other contents: newer v12 T=1 min 0x10", 12, true,
          0x10, EK_SSEC_AUTO, EK_FC_SAME_AS_STEP, 4, 0),
    STEP_EB_STAYS("same-counter frame dropped although its MIC verifies: every EB proxy stays in [0x40, 0x50)",
                  0x40, 0x50),
    STEP_PARENT("A's next real DIO (next counter): v13 T=1 min 0x10", 13, true, 0x10),
    STEP_EB_BECOMES("the DUT still accepts A: EB proxy in [0x10, 0x20)", 0x10, 0x20),
    { .kind = EK_STEP_INJECT, .what = "B (a network member) sends one EB authenticated under the network's K1",
      .stim = { .from = EK_ROLE_B, .kind = EK_STIM_EB, .eb_asn = REPLAY_EB_ASN } },
    { .kind = EK_STEP_INJECT, .what = "an attacker re-sends B's EB byte-identical (B's source, old counter)",
      .stim = { .from = EK_ROLE_ROGUE, .kind = EK_STIM_REPLAY, .replay_step = 12 } },
    { .kind = EK_STEP_ALWAYS,
      .what = "EB replay changes nothing: every EB keeps proxy in [0x10, 0x20) and verifies under K1",
      .match = { .cls = EK_CLASS_EB, .conds = EB_IN_SEC(0x10, 0x20) },
      .window = D_EB(3), .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_EXPECT, .what = "the DUT keeps its parent A: a DIO with a legal rank through A",
      .match = { .cls = EK_CLASS_DIO, .pred = ek_sp_rank_via_a },
      .window = DIO_SURELY, .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_sec_01 = {
    .id = "TP-SEC-01", .suite = "security",
    .title = "S1: L2 replay of a secured DIO and EB, and a frame counter re-used with other contents",
    .objective = "A secured DIO re-sent byte-identical after a newer one, and a secured DIO whose frame counter "
                 "equals one already accepted from that sender (other contents, valid MIC), are dropped: the "
                 "counter must be strictly greater than the last one accepted from the sender.  Under "
                 "draft-03/04 the replayed value would be adopted (no version), under every profile the "
                 "same-counter frame would.  A replayed EB changes nothing.",
    .refs = "S1, EP-22 (IEEE 802.15.4-2015 §9.2.5; RFC 8180 §4.6; draft-16 §5)",
    .config = "Secured network (DUT profile [security]).  A: parent, rank 256, secured DIO every Imax: v10 min "
              "0x20, then v11 min 0x40; the v10 frame re-sent unchanged; one DIO from A with step 4's counter "
              "and v12 T=1 min 0x10; then v13 T=1 min 0x10 with the next counter.  B: one EB under the "
              "network's K1 (ASN 0x1000), then re-sent unchanged.",
    .rule = "IEEE 802.15.4-2015 §9.2.5: a frame whose counter is not above the sender's last accepted one "
            "is dropped, so the replayed frames change nothing the DUT advertises.",
    .max_cost = 0x0f,
    .profiles = EK_PROF_ALL, .needs = NEEDS_JP | EK_CAP_SECURED,
    .steps = sec01_steps, .n_steps = EK_N_STEPS(sec01_steps),
};

/* ---- TP-SEC-02: unsecured and wrongly keyed DIOs (S5) ---- */
static const ek_step sec02_steps[] = {
    STEP_PARENT("A sends periodic secured DIOs with the option v10 min 0x30", 10, false, 0x30),
    STEP_JOINED,
    STEP_EB_PRECOND("precondition: DUT adopted min 0x30 (EB proxy in [0x30, 0x40))", 0x30, 0x40),
    DIO_A("unsecured DIO from A's address: newer v11 T=1, lower min 0x00", 11, true, 0x00, EK_SSEC_NONE, EK_FC_NEXT,
          0, 0),
    STEP_EB_STAYS("unsecured DIO dropped: every EB proxy stays in [0x30, 0x40)", 0x30, 0x40),
    DIO_A("unsecured DIO from A's address: newer v12 T=1, higher min 0x7f", 12, true, 0x7f, EK_SSEC_NONE, EK_FC_NEXT,
          0, 0),
    STEP_EB_STAYS("unsecured DIO dropped: every EB proxy stays in [0x30, 0x40) (JP not switched off)", 0x30, 0x40),
    DIO_A("DIO from A's address under a wrong key (same key index, next counter): newer v13 T=1, lower min 0x00",
          13, true, 0x00, EK_SSEC_WRONG_KEY, EK_FC_NEXT, 0, 0),
    STEP_EB_STAYS("wrongly keyed DIO dropped (MIC fails): every EB proxy stays in [0x30, 0x40)", 0x30, 0x40),
    DIO_A("DIO from A's address under a wrong key: newer v14 T=1, higher min 0x7f", 14, true, 0x7f,
          EK_SSEC_WRONG_KEY, EK_FC_NEXT, 0, 0),
    STEP_EB_STAYS("wrongly keyed DIO dropped: every EB proxy stays in [0x30, 0x40)", 0x30, 0x40),
    STEP_PARENT("A's next real secured DIO: v15 T=1 min 0x10", 15, true, 0x10),
    STEP_EB_BECOMES("the DUT still accepts A: EB proxy in [0x10, 0x20)", 0x10, 0x20),
    { .kind = EK_STEP_EXPECT,
      .what = "the DUT's next DIO (carrying v15 where versioned) is secured at the profile's dio_level and "
              "verifies under K2",
      .match = { .cls = EK_CLASS_DIO,
                 .conds = { { "wpan.security", EK_OP_EQ, 1 }, { "enroll.decode.mic_ok", EK_OP_EQ, 1 } },
                 .pred = ek_sp_sec_level },
      .window = DIO_SURELY, .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_EXPECT, .what = "the DUT's next EB is secured at the profile's eb_level and verifies under K1",
      .match = { .cls = EK_CLASS_EB,
                 .conds = { { "wpan.security", EK_OP_EQ, 1 }, { "enroll.decode.mic_ok", EK_OP_EQ, 1 } },
                 .pred = ek_sp_sec_level },
      .window = D_EB(3), .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_sec_02 = {
    .id = "TP-SEC-02", .suite = "security",
    .title = "S5: unsecured or wrongly keyed DIO with a lower or higher priority",
    .objective = "In a secured network an unsecured DIO, or one secured under a key the DUT does not hold, has "
                 "no effect even when it names the parent and carries a newer version with min 0x00 or 0x7f; "
                 "the real parent's next DIO is still accepted, and the DUT secures its own DIOs and EBs.",
    .refs = "S5, EP-22 (IEEE 802.15.4-2015 §9.2.5; RFC 8180 §4.6; draft-16 §5; RFC 7416)",
    .config = "Secured network.  A: parent, rank 256, secured DIO every Imax v10 min 0x30.  Then single DIOs "
              "with A's address: unsecured v11 T=1 min 0x00, unsecured v12 T=1 min 0x7f, wrong key v13 T=1 "
              "min 0x00, wrong key v14 T=1 min 0x7f; then A's real v15 T=1 min 0x10, periodic.",
    .rule = "RFC 8180 §4.6: DIOs are secured with K2; IEEE 802.15.4-2015 §9.2.5 drops unsecured frames "
            "and frames whose MIC fails, so their minimum is never adopted.",
    .max_cost = 0x0f,
    .profiles = EK_PROF_ALL, .needs = NEEDS_JP | EK_CAP_SECURED,
    .steps = sec02_steps, .n_steps = EK_N_STEPS(sec02_steps),
};

/* ---- TP-SEC-03: counter rewound ---- */
static const ek_step sec03_steps[] = {
    STEP_PARENT("A sends periodic secured DIOs with the option v10 min 0x30", 10, false, 0x30),
    STEP_JOINED,
    STEP_EB_PRECOND("precondition: DUT adopted min 0x30 (EB proxy in [0x30, 0x40))", 0x30, 0x40),
    STEP_PARENT("A goes on with periodic secured DIOs v10 min 0x30 (a fresh counter)", 10, false, 0x30),
    DIO_A("A's address, counter one below step 4's DIO, valid MIC: newer v11 T=1 min 0x10", 11, true, 0x10,
          EK_SSEC_AUTO, EK_FC_REWOUND, 4, 1),
    STEP_EB_STAYS("rewound counter dropped: every EB proxy stays in [0x30, 0x40)", 0x30, 0x40),
    { .kind = EK_STEP_ALWAYS, .what = "the DUT's next DIOs do not announce the rewound frame's version v11",
      .match = { .cls = EK_CLASS_DIO, .conds = { { "enroll.mep.version", EK_OP_NE, 11 } } },
      .window = D_NEXT_DIO, .on_timeout = EK_V_FAIL, .profiles = EK_PROF_VERSIONED },
    STEP_PARENT("A's next real secured DIO: v12 T=1 min 0x10", 12, true, 0x10),
    STEP_EB_BECOMES("the DUT still accepts A: EB proxy in [0x10, 0x20)", 0x10, 0x20),
};

const ek_td ek_td_sec_03 = {
    .id = "TP-SEC-03", .suite = "security",
    .title = "DIO with the frame counter rewound, carrying a newer version",
    .objective = "A secured DIO (valid MIC) whose frame counter is below the last one accepted from its sender "
                 "is dropped, though its option is newer; the sender's next DIO is accepted.",
    .refs = "S1, EP-22 (IEEE 802.15.4-2015 §9.2.5; RFC 8180 §4.6)",
    .config = "Secured network.  A: parent, rank 256, secured DIO every Imax v10 min 0x30 (restarted once); one "
              "DIO from A with step 4's counter minus 1 and v11 T=1 min 0x10; then v12 T=1 min 0x10 with the "
              "next counter.",
    .rule = "IEEE 802.15.4-2015 §9.2.5: a rewound counter is a replay; the newer version it carries is "
            "not adopted.",
    .max_cost = 0x0f,
    .profiles = EK_PROF_ALL, .needs = NEEDS_JP | EK_CAP_SECURED,
    .steps = sec03_steps, .n_steps = EK_N_STEPS(sec03_steps),
};

/* ---- TP-SEC-04: forged DIO with a huge counter must not advance the counter ----
 * "Huge": step 1's counter minus 2^31 modulo 2^32, i.e. 2^31 above it (far above any
 * counter A reaches in a run, and far from 0xffffffff, which §9.2.5 refuses anyway). */
static const ek_step sec04_steps[] = {
    STEP_PARENT("A sends periodic secured DIOs with the option v10 min 0x30", 10, false, 0x30),
    STEP_JOINED,
    STEP_EB_PRECOND("precondition: DUT adopted min 0x30 (EB proxy in [0x30, 0x40))", 0x30, 0x40),
    DIO_A("forged DIO from A's address under a wrong key, frame counter 2^31 above A's: newer v11 T=1 min 0x00", 11,
          true, 0x00, EK_SSEC_WRONG_KEY, EK_FC_REWOUND, 1, 0x80000000u),
    STEP_EB_STAYS("forged DIO dropped (MIC fails): every EB proxy stays in [0x30, 0x40)", 0x30, 0x40),
    STEP_PARENT("A's next real secured DIO (next counter, far below the forged one): v12 T=1 min 0x10", 12, true,
                0x10),
    STEP_EB_BECOMES("adopted, so the forged frame did not advance A's counter: EB proxy in [0x10, 0x20)", 0x10, 0x20),
};

const ek_td ek_td_sec_04 = {
    .id = "TP-SEC-04", .suite = "security",
    .title = "Forged DIO with a huge frame counter does not block the parent",
    .objective = "The stored frame counter of a sender is updated only after the MIC verifies: a DIO under a "
                 "wrong key with a counter far ahead must not make the parent's next real DIO look like a "
                 "replay.",
    .refs = "S5, S1, EP-22 (IEEE 802.15.4-2015 §9.2.5 incoming frame security procedure; RFC 8180 §4.6)",
    .config = "Secured network.  A: parent, rank 256, secured DIO every Imax v10 min 0x30; one DIO with A's "
              "address under a wrong key, counter = step 1's + 2^31, v11 T=1 min 0x00; then A's real v12 T=1 "
              "min 0x10 with the next counter, periodic.",
    .rule = "IEEE 802.15.4-2015 §9.2.5 updates the stored counter only after the MIC verifies, so a "
            "forged frame cannot block the parent's later frames.",
    .max_cost = 0x0f,
    .profiles = EK_PROF_ALL, .needs = NEEDS_JP | EK_CAP_SECURED,
    .steps = sec04_steps, .n_steps = EK_N_STEPS(sec04_steps),
};

/* ---- TP-SEC-05: EBs under the published default K1 at an enrolled DUT (S9) ---- */
#define FORGED_ASN 0xf000000000ull   /* ~ 3 centuries of 10 ms slots ahead */

static const ek_step sec05_steps[] = {
    STEP_PARENT("A sends periodic secured DIOs with the option v10 min 0x30", 10, false, 0x30),
    STEP_JOINED,
    { .kind = EK_STEP_EXPECT,
      .what = "precondition: the network's K1 is not the published default K1-minimal15, and the DUT adopted "
              "min 0x30 (EB proxy in [0x30, 0x40), verifying under K1)",
      .match = { .cls = EK_CLASS_EB, .conds = EB_IN_SEC(0x30, 0x40), .pred = ek_sp_k1_not_default },
      .window = D_EB(3), .on_timeout = EK_V_INCONC },
    { .kind = EK_STEP_INJECT,
      .what = "ROGUE sends EBs authenticated with the published default K1, ASN 0xf000000000, every EB period",
      .stim = { .from = EK_ROLE_ROGUE, .kind = EK_STIM_EB, .sec = EK_SSEC_DEFAULT_K1, .eb_asn = FORGED_ASN,
                .every = D_EB(1) } },
    { .kind = EK_STEP_ALWAYS,
      .what = "no state change: every EB keeps proxy in [0x30, 0x40), verifies under the network's K1 and its "
              "ASN does not jump to the forged one",
      .match = { .cls = EK_CLASS_EB, .conds = EB_IN_SEC(0x30, 0x40), .pred = ek_sp_asn_not_forged },
      .window = D_EB(4), .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_EXPECT, .what = "the DUT keeps its parent A: a DIO with a legal rank through A",
      .match = { .cls = EK_CLASS_DIO, .pred = ek_sp_rank_via_a },
      .window = DIO_SURELY, .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_ALWAYS, .what = "still no state change after the DIO check: EBs as before",
      .match = { .cls = EK_CLASS_EB, .conds = EB_IN_SEC(0x30, 0x40), .pred = ek_sp_asn_not_forged },
      .window = D_EB(2), .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_sec_05 = {
    .id = "TP-SEC-05", .suite = "security",
    .title = "S9: EBs authenticated with the published default K1 at an enrolled DUT",
    .objective = "An enrolled node accepts EBs only under its network's K1: EBs under the well-known default K1 "
                 "(network K1 differs) change nothing - parent, rank, proxy priority, and the DUT's ASN stays its "
                 "own.  Needs a DUT profile whose k1 is not K1-minimal15 (else inconclusive).",
    .refs = "S9 (RFC 8180 §4.6; RFC 9031 §3; IEEE 802.15.4-2015 §9.2.5)",
    .config = "Secured network whose K1 is not the published default.  A: parent, rank 256, secured DIO every "
              "Imax v10 min 0x30.  ROGUE: EBs under K1-minimal15 every EB period announcing ASN "
              "0xf000000000.",
    .rule = "RFC 8180 §4.6, RFC 9031 §3: after enrollment K1 is not the published default; an EB under "
            "the default fails the MIC and its ASN is not taken.",
    .max_cost = 0x0f,
    .profiles = EK_PROF_ALL, .needs = NEEDS_JP | EK_CAP_SECURED,
    .steps = sec05_steps, .n_steps = EK_N_STEPS(sec05_steps),
};

/* ---- TP-SEC-06: RPL-level stale-version replay under security ---- */
static const ek_step sec06_steps[] = {
    STEP_PARENT("A sends periodic secured DIOs with the option v10 min 0x20", 10, false, 0x20),
    STEP_JOINED,
    STEP_EB_PRECOND("precondition: DUT adopted min 0x20 (EB proxy in [0x20, 0x30))", 0x20, 0x30),
    STEP_PARENT("A sends a newer version: v11 min 0x40", 11, false, 0x40),
    STEP_EB_BECOMES("DUT adopts v11: EB proxy in [0x40, 0x50)", 0x40, 0x50),
    STEP_PARENT("the parent (an insider with the keys) re-sends the old option v10 min 0x20 with fresh counters",
                10, false, 0x20),
    STEP_EB_STAYS("stale version ignored though the frames verify: every EB proxy stays in [0x40, 0x50)", 0x40,
                  0x50),
    { .kind = EK_STEP_ALWAYS, .what = "the DUT's next DIOs do not announce the stale version v10 again",
      .match = { .cls = EK_CLASS_DIO, .conds = { { "enroll.mep.version", EK_OP_NE, 10 } } },
      .window = D_NEXT_DIO, .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_sec_06 = {
    .id = "TP-SEC-06", .suite = "security",
    .title = "RPL-level stale-version replay under security",
    .objective = "Link-layer security does not stop an insider: a correctly secured DIO (fresh counter) with "
                 "an older option Version is still ignored by the RPL rule.",
    .refs = "S2, EP-12 (draft-16 §3.2, §5; RFC 6550 §7.2; RFC 8180 §4.6)",
    .config = "Secured network.  A: parent, rank 256, secured DIO every Imax: v10 min 0x20, v11 min 0x40, then "
              "v10 min 0x20 again with fresh frame counters.",
    .rule = "RFC 6550 §7.2 lollipop order still applies under security (draft-16 §3.2, §5): a correctly "
            "secured older version is ignored.",
    .max_cost = 0x0f,
    .profiles = EK_PROF_VERSIONED, .needs = NEEDS_JP | EK_CAP_SECURED,
    .steps = sec06_steps, .n_steps = EK_N_STEPS(sec06_steps),
};
