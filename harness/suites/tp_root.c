/* SPDX-License-Identifier: BSD-3-Clause */
/* TP-EP-01, -02, -03, -08: the Minimum Enrollment Priority option at a DODAG root DUT
 * (DUT profile role = root), the node that generates the option's contents
 * (draft-ietf-roll-enrollment-priority-16 §3.2; -03 §2; RFC 6550 §6.7.1, §7.2, §6.7.6;
 * RFC 6206 §4.2).  The harness sends no frames: it changes the root's configured minimum
 * through the profile's control commands ([root] cmd_set_min, cmd_set_min_urgent) and
 * judges the root's DIOs.  The DODAG size the root should advertise is the one its
 * profile declares ([root] dodag_size): the routes the root holds while it is tested. */
#include <stdio.h>
#include <string.h>

#include "ek/minprio.h"
#include "ek/rpl.h"
#include "suites_int.h"

#define NEEDS_ROOT (EK_CAP_SENDS_DIO | EK_CAP_MEP)
#define P_SIZED (P04 | P09 | P16)

/* The DUT DIO's option of the configured type: the first one, decoded or not. */
static const ek_rpl_opt *root_opt(const ek_td_ctx *ctx, const ek_frame *f)
{
    for (unsigned i = 0; i < f->rpl.n_opts; i++) {
        const ek_rpl_opt *o = &f->rpl.opts[i];
        if (o->type == ctx->dut->prof.mep_type)
            return o;
    }
    return NULL;
}

/* The decoded option, or NULL with the reason. */
static const ek_minprio *root_mep(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    const ek_rpl_opt *o = root_opt(ctx, f);
    if (!o) {
        snprintf(why, whylen, "DIO without an option of type 0x%02x", (unsigned)ctx->dut->prof.mep_type);
        return NULL;
    }
    if (o->err.code != EK_OK || o->kind != EK_RPL_OPTK_MEP) {
        snprintf(why, whylen, "option type 0x%02x Length %u does not decode in the %s layout (%s at octet %zu)",
                 (unsigned)o->type, (unsigned)o->length, ek_mep_profile_name(ctx->dut->prof.mep),
                 o->err.field ? o->err.field : "?", o->err.offset);
        return NULL;
    }
    return &o->u.mep;
}

bool ek_sp_root_layout(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    return root_mep(ctx, f, why, whylen) != NULL;
}

/* The smallest value the profile's size field can carry that is >= n (draft-16 §3.1). */
static bool smallest_size(uint32_t n, ek_mep_profile m, uint32_t *out)
{
    uint8_t exp = 0;
    uint16_t code = 0;
    bool ok = ek_minprio_size_encode(n, m, &exp, &code);
    *out = (uint32_t)code << exp;
    return ok;
}

bool ek_sp_root_size_covers(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    const ek_minprio *m = root_mep(ctx, f, why, whylen);
    if (!m)
        return false;
    if (!ctx->dut->has_dodag_size || !m->has_size)
        return true; /* nothing declared to compare with */
    if (m->dodag_size >= ctx->dut->dodag_size)
        return true;
    snprintf(why, whylen, "DODAG size %u (DODAGSz %u x 2^%u) < the %u routes the root holds (draft-16 §3.1: "
             "round up)", (unsigned)m->dodag_size, (unsigned)m->size_code, (unsigned)m->exp,
             (unsigned)ctx->dut->dodag_size);
    return false;
}

bool ek_sp_root_size_minimal(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    const ek_minprio *m = root_mep(ctx, f, why, whylen);
    if (!m)
        return false;
    if (!ctx->dut->has_dodag_size || !m->has_size)
        return true;
    uint32_t want = 0;
    (void)smallest_size(ctx->dut->dodag_size, ctx->dut->prof.mep, &want);
    if (m->dodag_size == want)
        return true;
    snprintf(why, whylen, "DODAG size %u (code %u x 2^%u) for %u routes; the smallest representable value >= %u "
             "is %u", (unsigned)m->dodag_size, (unsigned)m->size_code, (unsigned)m->exp,
             (unsigned)ctx->dut->dodag_size, (unsigned)ctx->dut->dodag_size, (unsigned)want);
    return false;
}

/* draft-16 §3.2: the root MUST increment the Version whenever Min Priority or DODAG Size
 * changes, so two DIOs with the same Version carry the same contents (T included: it
 * belongs to the version, §3.1), and a change comes with a newer Version (RFC 6550 §7.2
 * lollipop order).  Judged on consecutive DIOs of the root. */
bool ek_sp_root_version_order(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    const ek_minprio *m = root_mep(ctx, f, why, whylen);
    if (!m)
        return false;
    if (!ctx->has_prev_dio || !ctx->prev_dio_has_mep)
        return true;
    const ek_minprio *p = &ctx->prev_dio_mep;
    bool same = p->min_priority == m->min_priority && p->t == m->t && p->has_size == m->has_size &&
                p->dodag_size == m->dodag_size;
    if (p->version == m->version) {
        if (same)
            return true;
        snprintf(why, whylen, "Version %u again with other contents: min 0x%02x T=%d size %u, the previous DIO "
                 "min 0x%02x T=%d size %u (draft-16 §3.2: a change MUST increment the Version)",
                 (unsigned)m->version, (unsigned)m->min_priority, m->t ? 1 : 0, (unsigned)m->dodag_size,
                 (unsigned)p->min_priority, p->t ? 1 : 0, (unsigned)p->dodag_size);
        return false;
    }
    int c = ek_rpl_lollipop_cmp(m->version, p->version);
    if (c == 1)
        return true;
    snprintf(why, whylen, "Version %u after %u is %s in lollipop order (RFC 6550 §7.2)", (unsigned)m->version,
             (unsigned)p->version, c == EK_RPL_LOLLIPOP_INCOMPARABLE ? "not comparable" : "older");
    return false;
}

/* Imin and Imax of the DUT's own DODAG Configuration in this DIO (RFC 6550 §6.7.6:
 * Imin = 2^DIOIntMin ms, Imax = Imin << DIOIntDoublings); the profile's [timing] when the
 * DIO carries none.  Returns true when taken from the DIO. */
static bool advertised_trickle(const ek_td_ctx *ctx, const ek_frame *f, uint64_t *imin_ns, uint64_t *imax_ns)
{
    uint64_t imin_ms = ctx->dut->dio_imin_ms, imax_ms = ek_dut_ms_per_unit(ctx->dut, EK_T_IMAX);
    bool adv = false;
    for (unsigned i = 0; i < f->rpl.n_opts; i++) {
        const ek_rpl_opt *o = &f->rpl.opts[i];
        if (o->kind != EK_RPL_OPTK_DODAG_CONF || o->err.code != EK_OK)
            continue;
        unsigned e = o->u.conf.dio_int_min, d = o->u.conf.dio_int_doublings;
        if (e + d > 40)
            break; /* beyond any window: keep the profile's */
        imin_ms = 1ull << e;
        imax_ms = imin_ms << d;
        adv = true;
        break;
    }
    *imin_ns = imin_ms * 1000000ull;
    *imax_ns = imax_ms * 1000000ull;
    return adv;
}

/* The DIO came at most 1.5 Imax (+ slack) after the step began (the control command):
 * RFC 6206 §4.2 puts each transmission in [I/2, I) of its interval and I <= Imax, so
 * without a reset the next DIO after any instant is at most 1.5 Imax away; the root's
 * own Imax, from its DODAG Configuration. */
bool ek_sp_root_trickle_bound(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    uint64_t imin, imax;
    bool adv = advertised_trickle(ctx, f, &imin, &imax);
    uint64_t bound = imax + imax / 2 + (uint64_t)ctx->dut->slack_ms * 1000000ull;
    uint64_t d = ctx->t_frame_ns > ctx->t_step_start_ns ? ctx->t_frame_ns - ctx->t_step_start_ns : 0;
    if (d <= bound)
        return true;
    snprintf(why, whylen, "%llu ms after the command; 1.5 Imax (%s %llu ms) + slack allows %llu ms (RFC 6206 §4.2)",
             (unsigned long long)(d / 1000000u), adv ? "its DODAG Configuration's Imax" : "the profile's Imax",
             (unsigned long long)(imax / 1000000u), (unsigned long long)(bound / 1000000u));
    return false;
}

/* INFO: the previous step's DIO (the new value) came within 2 Imin + slack of the command
 * that step followed (a Trickle reset: t in [Imin/2, Imin)); otherwise it was deferred to
 * the timer's next transmission.  Both are allowed. */
bool ek_sp_root_quick(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    uint64_t imin, imax;
    (void)advertised_trickle(ctx, f, &imin, &imax);
    unsigned prev = ctx->step > 1 ? ctx->step - 1 : 1;
    uint64_t cmd = ctx->t_step_begin_ns[prev];
    uint64_t d = ctx->t_step_start_ns > cmd ? ctx->t_step_start_ns - cmd : 0;
    uint64_t quick = 2 * imin + (uint64_t)ctx->dut->slack_ms * 1000000ull;
    if (d <= quick)
        return true;
    snprintf(why, whylen, "deferred: the new minimum came %llu ms after the command, with the timer's next "
             "transmission, not within 2 Imin + slack (%llu ms) of a reset", (unsigned long long)(d / 1000000u),
             (unsigned long long)(quick / 1000000u));
    return false;
}

#define STEP_CMD(what_, cmd_, v_)                                                                   \
    { .kind = EK_STEP_INJECT, .what = (what_), .stim = { .kind = EK_STIM_CMD, .cmd = (cmd_), .cmd_arg = (v_) } }

/* The root applies a configured minimum: a precondition (how it encodes it is TP-EP-01's). */
#define STEP_SHOWS(what_, v_)                                                                       \
    { .kind = EK_STEP_EXPECT, .what = (what_),                                                      \
      .match = { .cls = EK_CLASS_DIO, .conds = { { "enroll.mep.min_priority", EK_OP_EQ, (v_) } } }, \
      .window = D_HALF_IMAX(4), .on_timeout = EK_V_INCONC }

#define ROOT_SIZE_RULE  \
    "DODAG size: draft-16 §3.1 DODAG Size = DODAGSz x 2^Exp; \"when the actual size falls between two such values, "  \
    "the DODAG Root is to always round up\", so the advertised size is >= the routes the root holds (FAIL under "  \
    "draft-16) and, at best, the smallest representable such value (INFO when not: the draft calls the size an "  \
    "approximation).  The drafts -04..-09 (12-bit size, exp) carry no rounding rule and treat the size as an "  \
    "approximation (-09 §3.1), so a size below the actual one is INFO there.  The actual size is the DUT profile's "  \
    "[root] dodag_size: -16 §3.1 lets the root measure the size from DAO activity (then it counts routes, not "  \
    "nodes) and leaves other sources open, so the harness does not play DAO senders, whose routes a root would "  \
    "count only on an isolated test bed and with the DODAG's security; it takes the size the root holds as "  \
    "declared (a test bed of that many routes, or routes installed through the stack's own commands, e.g. "  \
    "init_commands), which every root can be tested with.  Not declared: the size is not judged."


/* ---- TP-EP-01: layout, Length and DODAG size (EP-1, EP-2, EP-3, EP-4) ---- */
static const ek_step ep01_steps[] = {
    STEP_CMD("set the root's minimum to 0x10 (routine)", EK_CMD_SET_MIN, 0x10),
    /* after its reset the root's Trickle starts with I in [Imin, Imax] and sends at t < I
     * (RFC 6206 §4.2 step 1): within one Imax */
    { .kind = EK_STEP_EXPECT, .what = "precondition: the root sends DIOs",
      .match = { .cls = EK_CLASS_DIO }, .window = D_IMAX(1), .on_timeout = EK_V_INCONC },
    { .kind = EK_STEP_EXPECT,
      .what = "a root DIO carries the option, decoding in the profile's layout, with min 0x10",
      .match = { .cls = EK_CLASS_DIO, .conds = { { "enroll.mep.min_priority", EK_OP_EQ, 0x10 } },
                 .pred = ek_sp_root_layout },
      .window = D_HALF_IMAX(4), .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_NEXT, .profiles = P_SIZED, .info_profiles = P04 | P09,
      .what = "its DODAG size is at least the routes the root holds (dodag_size)",
      .match = { .cls = EK_CLASS_DIO, .pred = ek_sp_root_size_covers },
      .window = D_NEXT_DIO, .on_timeout = EK_V_INCONC },
    { .kind = EK_STEP_NEXT, .profiles = P_SIZED, .info_profiles = P_SIZED,
      .what = "its DODAG size is the smallest representable value >= the routes",
      .match = { .cls = EK_CLASS_DIO, .pred = ek_sp_root_size_minimal },
      .window = D_NEXT_DIO, .on_timeout = EK_V_INCONC },
    { .kind = EK_STEP_NEXT, .profiles = P16, .info_profiles = P16,
      .what = "Length 3 (the 3-octet body; Length 4 as printed in drafts -10..-16 is INFO)",
      .match = { .cls = EK_CLASS_DIO, .conds = { { "enroll.mep.length", EK_OP_EQ, 3 } } },
      .window = D_NEXT_DIO, .on_timeout = EK_V_INCONC },
};

const ek_td ek_td_ep_01 = {
    .id = "TP-EP-01", .suite = "root",
    .title = "Root option: layout, Length and DODAG size",
    .objective = "The DODAG root's DIOs carry the option in the profile's layout with the configured minimum; its "
                 "DODAG size covers the routes the root holds (draft-16: rounded up) and is the smallest such "
                 "representable value.  FAIL on a wrong layout or Length, or (draft-16) a size below the actual "
                 "one; INFO when the size is not the tightest, or under draft-16 for Length 4.",
    .refs = "EP-1, EP-2, EP-3, EP-4 (draft-16 §3.1; draft-03 §2; RFC 6550 §6.7.1)",
    .config = "The DUT is the DODAG root (role root), [root] dodag_size routes in its DODAG.  The harness sends no "
              "frames; it sets the root's minimum with cmd_set_min.",
    .rule = "Layout and Length: the profile's own (RFC 6550 §6.7.1: Length counts the data only; draft-03 §2: 1, "
            "draft-04: 3, draft-09 §3.1: 4, draft-16 §3.1: 3 for the 3-octet body, Length 4 with one trailing octet "
            "as -10..-16 print it = INFO); an option that does not decode in the layout fails.  Min Priority: "
            "the value the command set (7 bits, draft-16 §3.1).  " ROOT_SIZE_RULE,
    .profiles = EK_PROF_ALL, .needs = NEEDS_ROOT, .role = EK_NODE_ROOT,
    .steps = ep01_steps, .n_steps = EK_N_STEPS(ep01_steps),
};

/* ---- TP-EP-02: Version on a change (EP-10) ---- */
static const ek_step ep02_steps[] = {
    STEP_CMD("set the root's minimum to 0x10 (routine)", EK_CMD_SET_MIN, 0x10),
    STEP_SHOWS("precondition: a root DIO with min 0x10", 0x10),
    { .kind = EK_STEP_ALWAYS,
      .what = "every root DIO: the same Version as the DIO before it with the same contents, or a newer one",
      .match = { .cls = EK_CLASS_DIO, .pred = ek_sp_root_version_order },
      .window = D_NEXT_DIO, .on_timeout = EK_V_INCONC },
    STEP_CMD("change the root's minimum to 0x30 (routine)", EK_CMD_SET_MIN, 0x30),
    { .kind = EK_STEP_ALWAYS,
      .what = "every root DIO meanwhile: new contents only under a newer Version (lollipop order)",
      .match = { .cls = EK_CLASS_DIO, .pred = ek_sp_root_version_order },
      .window = D_HALF_IMAX(4), .on_timeout = EK_V_INCONC },
    { .kind = EK_STEP_EXPECT,
      .what = "precondition: the root advertises min 0x30 (under a newer Version: still judged)",
      .match = { .cls = EK_CLASS_DIO, .conds = { { "enroll.mep.min_priority", EK_OP_EQ, 0x30 } },
                 .pred = ek_sp_root_version_order },
      .window = D_NEXT_DIO, .on_timeout = EK_V_INCONC },
};

const ek_td ek_td_ep_02 = {
    .id = "TP-EP-02", .suite = "root",
    .title = "Root increments the option Version on every change",
    .objective = "When the root's minimum changes, its DIOs carry a newer option Version (RFC 6550 §7.2 lollipop "
                 "order), and any two consecutive DIOs with the same Version carry the same contents.",
    .refs = "EP-10 (draft-16 §3.2; RFC 6550 §7.2)",
    .config = "The DUT is the DODAG root (role root).  The harness sets its minimum to 0x10, then to 0x30, with "
              "cmd_set_min, and sends no frames.",
    .rule = "draft-16 §3.2: \"Whenever the DODAG root changes the values of the minimum enrollment priority or "
            "DODAG Size in the option, it MUST also increment the value of Version Number\" - the option's own "
            "Version, a lollipop counter (RFC 6550 §7.2), not the DIO's DODAG Version Number, which the option "
            "leaves alone (incrementing that would be a global repair, RFC 6550 §8.2.2.1).  Judged on consecutive "
            "root DIOs: the same Version means identical Min Priority, T and DODAG size; another Version must be "
            "newer in lollipop order.  Nothing is assumed about the Version's value or step.  draft-03/-04 carry "
            "no Version: not applicable.",
    .profiles = EK_PROF_VERSIONED, .needs = NEEDS_ROOT, .role = EK_NODE_ROOT,
    .steps = ep02_steps, .n_steps = EK_N_STEPS(ep02_steps),
};

/* ---- TP-EP-03: T on urgent and routine changes (EP-11) ---- */
static const ek_step ep03_steps[] = {
    STEP_CMD("set the root's minimum to 0x10 (routine)", EK_CMD_SET_MIN, 0x10),
    STEP_SHOWS("precondition: a root DIO with min 0x10", 0x10),
    { .kind = EK_STEP_NEXT, .what = "a routine change carries T = 0",
      .match = { .cls = EK_CLASS_DIO,
                 .conds = { { "enroll.mep.min_priority", EK_OP_EQ, 0x10 }, { "enroll.mep.t", EK_OP_EQ, 0 } } },
      .window = D_NEXT_DIO, .on_timeout = EK_V_INCONC },
    STEP_CMD("switch enrollment off at once: minimum 0x7f, urgent", EK_CMD_SET_MIN_URGENT, 0x7f),
    STEP_SHOWS("precondition: a root DIO with min 0x7f", 0x7f),
    { .kind = EK_STEP_NEXT, .info_profiles = P09, .what = "an urgent change carries T = 1",
      .match = { .cls = EK_CLASS_DIO,
                 .conds = { { "enroll.mep.min_priority", EK_OP_EQ, 0x7f }, { "enroll.mep.t", EK_OP_EQ, 1 } } },
      .window = D_NEXT_DIO, .on_timeout = EK_V_INCONC },
};

const ek_td ek_td_ep_03 = {
    .id = "TP-EP-03", .suite = "root",
    .title = "Root sets T for urgent changes only",
    .objective = "The root sets T = 1 in the option for an important (urgent) change and T = 0 for a routine one. "
                 "FAIL on a mismatch; under draft-09 a missing T on the urgent change is INFO.",
    .refs = "EP-11 (draft-16 §3.2)",
    .config = "The DUT is the DODAG root (role root).  The harness sets the minimum 0x10 with cmd_set_min, then "
              "0x7f (enrollment off) with cmd_set_min_urgent, and sends no frames.",
    .rule = "draft-16 §3.2: \"if the change is considered important ... the DODAG Root MUST also set the T bit to "
            "1; otherwise, it MUST set the bit to 0\".  Which change is important is the operator's call, here "
            "the command used (cmd_set_min_urgent); the T the root's DIOs carry is compared with it.  draft-09 "
            "words the first half as SHOULD (the -09 row of the version table in the spec digest; the -09 text is "
            "not among the bundled drafts): T = 0 on the urgent change is INFO there, T = 1 on a routine one "
            "still FAIL.  draft-03/-04 have no T bit (draft-03 §2 has R, reserved): not applicable.",
    .profiles = EK_PROF_VERSIONED, .needs = NEEDS_ROOT, .role = EK_NODE_ROOT,
    .steps = ep03_steps, .n_steps = EK_N_STEPS(ep03_steps),
};

/* ---- TP-EP-08: a lowered minimum reaches the DIOs within the Trickle bound (EP-7) ---- */
static const ek_step ep08_steps[] = {
    STEP_CMD("set the root's minimum to 0x30 (routine)", EK_CMD_SET_MIN, 0x30),
    STEP_SHOWS("precondition: a root DIO with min 0x30", 0x30),
    { .kind = EK_STEP_WAIT, .what = "the root's Trickle interval grows towards Imax", .window = D_IMAX(2) },
    STEP_CMD("lower the root's minimum to 0x10 (routine)", EK_CMD_SET_MIN, 0x10),
    { .kind = EK_STEP_EXPECT,
      .what = "a root DIO with min 0x10 within 1.5 Imax of the root's own DODAG Configuration",
      .match = { .cls = EK_CLASS_DIO, .conds = { { "enroll.mep.min_priority", EK_OP_EQ, 0x10 } },
                 .pred = ek_sp_root_trickle_bound },
      .window = D_HALF_IMAX(6), .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_NEXT, .info_profiles = EK_PROF_ALL,
      .what = "quick (a Trickle reset: within 2 Imin) or deferred to the next transmission: both allowed",
      .match = { .cls = EK_CLASS_DIO, .pred = ek_sp_root_quick },
      .window = D_NEXT_DIO, .on_timeout = EK_V_INCONC },
};

const ek_td ek_td_ep_08 = {
    .id = "TP-EP-08", .suite = "root",
    .title = "Root lowers the minimum: quick or deferred DIO, within the Trickle bound",
    .objective = "After the root's minimum is lowered (a routine change), its DIOs carry the new value within "
                 "1.5 Imax of the Trickle timer its own DODAG Configuration advertises.  Whether it resets the "
                 "timer (quick DIO) or waits for the next transmission (deferred) is INFO: both are allowed.",
    .refs = "EP-7, T-1 (draft-16 §3.1, §3.2; RFC 6206 §4.2; RFC 6550 §6.7.6, §8.3)",
    .config = "The DUT is the DODAG root (role root).  The harness sets the minimum 0x30, waits 2 Imax, lowers it "
              "to 0x10 with cmd_set_min, and sends no frames (no DIO of the harness can suppress the root's).",
    .rule = "draft-16 §3.1: a lower minimum MAY be treated as an inconsistency or wait for the Trickle timer (EP-7, "
            "worded for the 6LR that receives it; a routine change, T = 0 under §3.2, asks the root for no more). "
            "Either way the root's next DIO carries it, and RFC 6206 §4.2 puts that DIO at most 1.5 Imax after any "
            "instant (t in [I/2, I), I <= Imax; nothing suppresses it, the harness being silent).  Imax is the "
            "root's own: 2^DIOIntMin << DIOIntDoublings ms from the DODAG Configuration option in the DIO judged "
            "(RFC 6550 §6.7.6), the profile's [timing] when it carries none; plus the profile's slack.  Quick = "
            "within 2 Imin + slack of the command (a reset starts I at Imin, t < Imin).",
    .profiles = EK_PROF_ALL, .needs = NEEDS_ROOT, .role = EK_NODE_ROOT,
    .steps = ep08_steps, .n_steps = EK_N_STEPS(ep08_steps),
};
