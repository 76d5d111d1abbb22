/* SPDX-License-Identifier: BSD-3-Clause */
/* The TD registry: the run order, the suites, `--list` and the generated
 * docs/test-descriptions.md with its requirement -> TD and fault -> TD tables.  Output is
 * deterministic (no clock, no addresses), so CI can diff the checked-in file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/refnode.h"
#include "suites_int.h"

/* Run order: tolerance and malformed input first, then propagation, adoption, 0x7f,
 * saturation, default, version ordering, Trickle, parent selection; EB; attacks; what
 * every 6LR must do with or without the option (legacy); then link-layer security
 * (applicable only to DUTs whose profile has [security] on); then the DODAG root's TDs
 * (applicable only to DUTs of role root). */
static const ek_td *const all_tds[] = {
    &ek_td_ep_13, &ek_td_ep_14, &ek_td_ep_04, &ek_td_ep_06, &ek_td_ep_10, &ek_td_ep_11,
    &ek_td_ep_12, &ek_td_ep_05, &ek_td_ep_07, &ek_td_ep_09,
    &ek_td_eb_01, &ek_td_eb_09,
    &ek_td_atk_s2, &ek_td_atk_s3, &ek_td_atk_s4, &ek_td_atk_s6, &ek_td_atk_replay,
    &ek_td_leg_01, &ek_td_leg_02, &ek_td_leg_03, &ek_td_leg_04, &ek_td_leg_05, &ek_td_leg_06,
    &ek_td_sec_01, &ek_td_sec_02, &ek_td_sec_03, &ek_td_sec_04, &ek_td_sec_05, &ek_td_sec_06,
    &ek_td_ep_01, &ek_td_ep_02, &ek_td_ep_03, &ek_td_ep_08,
    &ek_td_ep_10b, &ek_td_cj_01, &ek_td_cj_02, &ek_td_cj_03, &ek_td_cj_04, &ek_td_atk_s12,
    &ek_td_jrc_01, &ek_td_jrc_02, &ek_td_jrc_03, &ek_td_jrc_04, &ek_td_jrc_05,
    &ek_td_eb_03, &ek_td_eb_05, &ek_td_eb_02, &ek_td_eb_08, &ek_td_eb_06, &ek_td_eb_04,
    &ek_td_sec_03_pledge, &ek_td_sec_04_pledge, &ek_td_sec_02_pledge,
};
#define N_TDS (sizeof all_tds / sizeof all_tds[0])

static const ek_suite_info suites[] = {
    { "default", "every TD below, in run order" },
    { "ep", "Minimum Enrollment Priority option at a 6LR / Join Proxy (TP-EP-*)" },
    { "eb", "Join-Info IE in the DUT's Enhanced Beacons (TP-EB-*)" },
    { "attack", "malicious-priority scenarios S2, S3, S4, S6 and RPL-level replay (TP-ATK-*)" },
    { "legacy", "what every RPL 6LR must do with the option, implemented or not: join through it and "
                "unknown options, never forward them, survive malformed ones with no state change, "
                "Trickle bounds, DIS storm (TP-LEG-*; needs only dio)" },
    { "security", "link-layer security: L2 replay S1, unsecured / wrongly keyed DIOs S5, default K1 S9, "
                  "frame counters, stale version under security (TP-SEC-*; secured DUTs only)" },
    { "root", "the DODAG root's side of the option: layout and DODAG size, Version on a change, T on urgent "
              "changes, a lowered minimum within the Trickle bound (TP-EP-01, -02, -03, -08; DUT role root)" },
    { "cojp", "CoJP through a Join Proxy DUT (RFC 9031): nothing forwarded at 0x7f, join rate, blacklist, NON "
              "and AF43, Parameter Update replay S15, the pledge flood S12 (TP-EP-10b, TP-CJ-01..04, TP-ATK-S12; capability cojp)" },
    { "jrc", "the JRC as the DUT (RFC 9031 §7-§8): a Join Request answered, S14 replay before and after a reboot, "
             "a malformed Join_Request, an unknown pledge ID (TP-JRC-01..05; DUT role jrc)" },
    { "pledge", "a pledge joining through the harness's Join Proxies and JRC (RFC 9032 §2, RFC 9031): Join Proxy "
                "choice from Join-Info (0x7f, reserved bits, rank priority, P and the address, network ID "
                "lengths, other IETF IEs), fake networks and Partial IVs S7/S10, unprotected errors S13, "
                "Parameter Update replay S15 (TP-EB-02..06, -08, TP-SEC-02/03/04-pledge; DUT role pledge)" },
};
#define N_SUITES (sizeof suites / sizeof suites[0])

const ek_td *const *ek_suites_all(size_t *n)
{
    if (n)
        *n = N_TDS;
    return all_tds;
}

const ek_td *ek_suites_find(const char *id)
{
    if (!id)
        return NULL;
    for (size_t i = 0; i < N_TDS; i++)
        if (strcmp(all_tds[i]->id, id) == 0)
            return all_tds[i];
    return NULL;
}

const ek_suite_info *ek_suites_list(size_t *n)
{
    if (n)
        *n = N_SUITES;
    return suites;
}

int ek_suites_select(const char *suite, const ek_td **out, size_t cap)
{
    if (!suite)
        return -1;
    bool all = strcmp(suite, "default") == 0, known = all;
    for (size_t s = 0; s < N_SUITES; s++)
        known = known || strcmp(suites[s].name, suite) == 0;
    if (!known)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < N_TDS; i++) {
        if (!all && strcmp(all_tds[i]->suite, suite) != 0)
            continue;
        if (k < cap && out)
            out[k] = all_tds[i];
        k++;
    }
    return (int)(k < cap ? k : cap);
}

/* ---- text helpers ---- */

/* "draft-09,draft-16" (sep ",") or "draft-09, draft-16". */
static void profiles_text(unsigned mask, const char *sep, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int m = EK_MEP_DRAFT03; m <= EK_MEP_DRAFT16; m++) {
        if (!(mask & EK_PROF(m)))
            continue;
        int w = snprintf(buf + at, len - at, "%s%s", at ? sep : "", ek_mep_profile_name((ek_mep_profile)m));
        if (w < 0 || (size_t)w >= len - at)
            return;
        at += (size_t)w;
    }
    if (at == 0)
        snprintf(buf, len, "none");
}

static void caps_text(unsigned caps, char *buf, size_t len)
{
    static const struct { unsigned bit; const char *name; } names[] = {
        { EK_CAP_SENDS_DIO, "dio" }, { EK_CAP_SENDS_EB, "eb" }, { EK_CAP_SECURED, "secured" },
        { EK_CAP_ROOT, "root" }, { EK_CAP_PLEDGE, "pledge" }, { EK_CAP_MEP, "mep" },
    };
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!(caps & names[i].bit))
            continue;
        int w = snprintf(buf + at, len - at, "%s%s", at ? ", " : "", names[i].name);
        if (w < 0 || (size_t)w >= len - at)
            return;
        at += (size_t)w;
    }
    if (at == 0)
        snprintf(buf, len, "none");
}

/* The requirement IDs of a refs string: the part before '(' ("EP-13, EP-15"). */
static void refs_ids(const char *refs, char *buf, size_t len)
{
    const char *p = strchr(refs, '(');
    size_t n = p ? (size_t)(p - refs) : strlen(refs);
    while (n > 0 && refs[n - 1] == ' ')
        n--;
    if (n >= len)
        n = len - 1;
    memcpy(buf, refs, n);
    buf[n] = '\0';
}

static void dur_text(ek_dur d, char *buf, size_t len)
{
    switch (d.unit) {
    case EK_T_MS: snprintf(buf, len, "%u ms", d.n); break;
    case EK_T_IMIN: snprintf(buf, len, "%u Imin", d.n); break;
    case EK_T_IMAX: snprintf(buf, len, "%u Imax", d.n); break;
    case EK_T_EB: snprintf(buf, len, "%u EB period%s", d.n, d.n == 1 ? "" : "s"); break;
    case EK_T_ACK: snprintf(buf, len, "%u ACK_TIMEOUT", d.n); break;
    case EK_T_JOIN:
        if (d.n == 1)
            snprintf(buf, len, "the pledge's join time ([timing] join_ms)");
        else
            snprintf(buf, len, "%u x the pledge's join time ([timing] join_ms)", d.n);
        break;
    case EK_T_HALF_IMAX:
        if (d.n % 2 == 0)
            snprintf(buf, len, "%u Imax", d.n / 2);
        else
            snprintf(buf, len, "%u.5 Imax", d.n / 2);
        break;
    default: snprintf(buf, len, "%u ?", d.n); break;
    }
}

/* A step's window: "2 Imax", or "200 ACK_TIMEOUT + 3 x the pledge's join time (...)". */
static void window_text(const ek_step *s, char *buf, size_t len)
{
    dur_text(s->window, buf, len);
    if (s->window_plus.n) {
        char plus[96];
        dur_text(s->window_plus, plus, sizeof plus);
        size_t u = strlen(buf);
        snprintf(buf + u, len - u, " + %s", plus);
    }
}

static const char *role_name(ek_role r)
{
    switch (r) {
    case EK_ROLE_A: return "A";
    case EK_ROLE_B: return "B";
    case EK_ROLE_ROGUE: return "ROGUE";
    default: return "?";
    }
}

static const char *class_name(ek_frame_class c)
{
    switch (c) {
    case EK_CLASS_DIO: return "DIO";
    case EK_CLASS_EB: return "EB";
    default: return "frame";
    }
}

static const char *op_text(ek_op op)
{
    static const char *const n[] = { "==", "!=", "<", "<=", ">", ">=", "present", "absent" };
    return (unsigned)op < sizeof n / sizeof n[0] ? n[op] : "?";
}

static const char *pred_name(bool (*pred)(const ek_td_ctx *, const ek_frame *, char *, size_t))
{
    if (pred == ek_sp_propagated)
        return "option unchanged from the parent's";
    if (pred == ek_sp_trickle_grown)
        return ">= max(8 Imin, 3 * (2 Imin + slack)) after the DUT's previous DIO";
    if (pred == ek_sp_clean_decode)
        return "frame decodes without error";
    if (pred == ek_sp_sec_level)
        return "security level = the profile's dio_level / eb_level";
    if (pred == ek_sp_k1_not_default)
        return "profile k1 is not K1-minimal15";
    if (pred == ek_sp_asn_not_forged)
        return "ASN below the forged EBs' ASN";
    if (pred == ek_sp_rank_via_a)
        return "rank legal through A";
    if (pred == ek_sp_rank_unchanged)
        return "rank as before the stimulus";
    if (pred == ek_sp_join_metric)
        return "join metric = DAGRank(advertised rank) - 1";
    if (pred == ek_sp_no_copied_option)
        return "no option copied from a neighbour";
    if (pred == ek_sp_trickle_gap_ok)
        return "<= 1.5 Imax + slack after the DUT's previous DIO";
    if (pred == ek_sp_eb_declared)
        return "decodes cleanly, declared Join-Info values";
    if (pred == ek_sp_root_layout)
        return "option decodes in the profile's layout";
    if (pred == ek_sp_root_size_covers)
        return "DODAG size >= dodag_size";
    if (pred == ek_sp_root_size_minimal)
        return "DODAG size = the smallest representable value >= dodag_size";
    if (pred == ek_sp_root_version_order)
        return "same Version as the previous DIO: same contents; else newer (lollipop)";
    if (pred == ek_sp_root_trickle_bound)
        return "<= 1.5 Imax (the DUT's own DODAG Configuration) + slack after the command";
    if (pred == ek_sp_root_quick)
        return "the new value came within 2 Imin + slack of the command";
    if (pred == ek_sp_pl_jr_to_a)
        return "a Join Request to A at the address its Join-Info names";
    if (pred == ek_sp_pl_jr_to_b)
        return "a Join Request to B at the address its Join-Info names";
    if (pred == ek_sp_pl_any_jr_to_a)
        return "a Join Request to A";
    if (pred == ek_sp_pl_jr_to_malformed)
        return "a Join Request to a Join Proxy with malformed Join-Info";
    if (pred == ek_sp_pl_joined_via_a)
        return "a Join Request to A that the JRC answered with a 2.04";
    if (pred == ek_sp_pl_piv_rising)
        return "a new Join Request's Partial IV above every earlier one; none to another network when provisioned";
    if (pred == ek_sp_pl_piv_after_reboot)
        return "a new Join Request with a Partial IV above every one before the reboot";
    if (pred == ek_sp_pl_retrans1)
        return "retransmission 1, ACK_TIMEOUT x [1, 1.5] after the request";
    if (pred == ek_sp_pl_retrans2)
        return "retransmission 2, 2 ACK_TIMEOUT x [1, 1.5] after the previous";
    if (pred == ek_sp_pl_retrans3)
        return "retransmission 3, 4 ACK_TIMEOUT x [1, 1.5] after the previous";
    if (pred == ek_sp_pl_pu1_answered)
        return "a 2.04 to Parameter Update 1 that verifies";
    if (pred == ek_sp_pl_pu2_answered)
        return "a 2.04 to Parameter Update 2 that verifies";
    if (pred == ek_sp_pl_pu1_answered_again)
        return "a second 2.04 to Parameter Update 1 that verifies";
    if (pred == ek_sp_pl_rank_ignored)
        return "the choice of Join Proxy does not follow the rank priority";
    return "predicate";
}

static void match_text(const ek_match *m, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int i = 0; i < EK_MATCH_MAX_CONDS && m->conds[i].field; i++) {
        const ek_cond *c = &m->conds[i];
        int w;
        if (c->op == EK_OP_PRESENT || c->op == EK_OP_ABSENT)
            w = snprintf(buf + at, len - at, "%s`%s %s`", at ? ", " : "", c->field, op_text(c->op));
        else if (strstr(c->field, "priority"))
            w = snprintf(buf + at, len - at, "%s`%s %s 0x%02llx`", at ? ", " : "", c->field, op_text(c->op),
                         (unsigned long long)c->value);
        else
            w = snprintf(buf + at, len - at, "%s`%s %s %llu`", at ? ", " : "", c->field, op_text(c->op),
                         (unsigned long long)c->value);
        if (w < 0 || (size_t)w >= len - at)
            return;
        at += (size_t)w;
    }
    if (m->pred)
        snprintf(buf + at, len - at, "%s%s", at ? ", " : "", pred_name(m->pred));
}

/* Link-layer security of a stimulus, only when it differs from the network's (AUTO,
 * next counter), so unsecured-network TDs read as before. */
static void stim_sec_text(const ek_stimulus *st, FILE *o)
{
    switch (st->sec) {
    case EK_SSEC_NONE: fputs(", unsecured", o); break;
    case EK_SSEC_WRONG_KEY: fputs(", wrong key", o); break;
    case EK_SSEC_DEFAULT_K1: fputs(", under K1-minimal15", o); break;
    default: break;
    }
    if (st->fc == EK_FC_SAME_AS_STEP)
        fprintf(o, ", frame counter of step %u", st->fc_step);
    else if (st->fc == EK_FC_REWOUND)
        fprintf(o, ", frame counter of step %u minus 0x%x (mod 2^32)", st->fc_step, st->fc_delta);
}

static void write_step(FILE *o, unsigned i, const ek_step *s)
{
    char d[48], w[160], m[512], p[64];
    fprintf(o, "%u. ", i);
    switch (s->kind) {
    case EK_STEP_INJECT:
        dur_text(s->at, d, sizeof d);
        if (s->stim.kind == EK_STIM_REPLAY)
            fprintf(o, "**inject** (replay of step %u, as %s", s->stim.replay_step, role_name(s->stim.from));
        else if (s->stim.kind == EK_STIM_STOP)
            fprintf(o, "**stop** (%s's periodic DIOs", role_name(s->stim.from));
        else if (s->stim.kind == EK_STIM_DIS)
            fprintf(o, "**inject** (multicast DIS from %s", role_name(s->stim.from));
        else if (s->stim.kind == EK_STIM_CMD)
            fprintf(o, "**command** (`%s` %u = 0x%02x to the DUT",
                    s->stim.cmd == EK_CMD_SET_MIN_URGENT ? "cmd_set_min_urgent" : "cmd_set_min",
                    (unsigned)s->stim.cmd_arg, (unsigned)s->stim.cmd_arg);
        else if (s->stim.kind == EK_STIM_EB)
            fprintf(o, "**inject** (EB from %s, ASN 0x%010llx", role_name(s->stim.from),
                    (unsigned long long)s->stim.eb_asn);
        else
            fprintf(o, "**inject** (DIO from %s", role_name(s->stim.from));
        stim_sec_text(&s->stim, o);
        if (s->at.n)
            fprintf(o, ", after %s", d);
        if (s->stim.every.n) {
            dur_text(s->stim.every, w, sizeof w);
            fprintf(o, ", every %s", w);
        }
        fprintf(o, "): %s", s->what);
        break;
    case EK_STEP_WAIT:
        window_text(s, w, sizeof w);
        fprintf(o, "**wait** %s: %s", w, s->what);
        break;
    case EK_STEP_EXPECT:
    case EK_STEP_EXPECT_NOT:
    case EK_STEP_NEXT:
    case EK_STEP_ALWAYS: {
        const char *k = s->kind == EK_STEP_EXPECT ? "expect" : s->kind == EK_STEP_EXPECT_NOT ? "expect no" : "always";
        window_text(s, w, sizeof w);
        if (s->kind == EK_STEP_NEXT)
            fprintf(o, "**next** DUT %s, within %s", class_name(s->match.cls), w);
        else if (s->kind == EK_STEP_ALWAYS)
            fprintf(o, "**always**, every DUT %s for %s", class_name(s->match.cls), w);
        else
            fprintf(o, "**%s** DUT %s within %s", k, class_name(s->match.cls), w);
        if (s->kind != EK_STEP_EXPECT_NOT)
            fprintf(o, " (none seen: %s)",
                    ek_verdict_name(s->on_timeout == EK_V_NONE ? EK_V_FAIL : s->on_timeout));
        fprintf(o, ": %s", s->what);
        match_text(&s->match, m, sizeof m);
        if (m[0])
            fprintf(o, " [%s]", m);
        break;
    }
    default:
        fprintf(o, "%s", s->what);
        break;
    }
    if (s->profiles) {
        profiles_text(s->profiles, ", ", p, sizeof p);
        fprintf(o, " *(only %s)*", p);
    }
    if (s->info_profiles) {
        profiles_text(s->info_profiles, ", ", p, sizeof p);
        fprintf(o, " *(INFO under %s)*", p);
    }
    fprintf(o, "\n");
}

/* ---- traceability ---- */

/* The requirement IDs the TDs cite (the part of .refs before the parenthesis), each with
 * the document section it comes from.  "draft-NN" = draft-ietf-roll-enrollment-priority-NN.
 * A TD citing an ID missing here shows UNDEFINED in the docs (registry_test fails). */
typedef struct req_def {
    const char *id, *source, *text;
} req_def;

static const req_def req_defs[] = {
    { "EB-1", "RFC 9032 §2, §5; RFC 8137 §4",
      "The Join-Info travels in an IETF payload IE (group 0x5) with subtype 2 (6tisch-Join-Info)." },
    { "EB-2", "RFC 9032 §2",
      "Its content is 5 + 8·P + N octets (subtype octet included), with a network ID of N ≤ 16 octets." },
    { "EB-3", "RFC 9032 §2", "The res bits SHOULD be sent as 0 and MUST be ignored on receipt." },
    { "EB-4", "RFC 9032 §2", "The 8-octet Join Proxy Interface ID is present if and only if P = 1." },
    { "EB-5", "RFC 9032 §2", "Proxy priority 0x7f: the sender is never to be considered a viable Join Proxy." },
    { "EB-6", "RFC 9032 §2", "Pledges MUST ignore the rank priority; only enrolled nodes compare it." },
    { "EB-8", "RFC 9032 §2", "All PANs served by one JRC carry a common network ID (MUST)." },
    { "EB-11", "RFC 8137 §4", "A frame may hold several IETF IEs: the receiver iterates over them and skips "
                              "subtypes it does not know." },
    { "EB-13", "RFC 8180 §4.6, §6.1",
      "EBs are authenticated, not encrypted; the TSCH Join Metric is DAGRank(rank) - 1." },
    { "EP-1", "draft-16 §3.1; RFC 6550 §6.7.1",
      "The option is carried in DIOs issued by the DODAG root, as a RPL control message option." },
    { "EP-2", "RFC 6550 §6.7.1; draft-16 §3.1; draft-03 §2",
      "Option Length counts the option data only: 1 (draft-03), 3 (draft-04, draft-16; the draft-16 figure "
      "prints 4), 4 (draft-09)." },
    { "EP-3", "draft-16 §3.1; draft-03 §2", "Min Priority is 7 bits; 0x7f disables the Join Proxy function." },
    { "EP-4", "draft-16 §3.1",
      "DODAG Size = DODAGSz x 2^Exp; the root rounds up, so the size advertised is at least the actual one (the "
      "routes it counts when measured from DAOs)." },
    { "EP-5", "draft-16 §3.1",
      "A 6LR bases the option it sends on the option of the parent it selects." },
    { "EP-6", "draft-16 §3.1; RFC 6206 §4.2",
      "A rise of the parent's minimum above the last value seen MUST count as a Trickle inconsistency." },
    { "EP-7", "draft-16 §3.1; RFC 6206 §4.2",
      "A lower minimum MAY be treated as inconsistent (a quick DIO) or wait for the Trickle timer." },
    { "EP-8", "draft-16 §3.2", "The option's contents MUST be generated by the DODAG root." },
    { "EP-9a", "draft-16 §3.2", "A 6LR MUST NOT change the option when propagating it." },
    { "EP-10", "draft-16 §3.2; RFC 6550 §7.2",
      "Whenever the root changes Min Priority or DODAG Size it MUST increment the option's Version (lollipop)." },
    { "EP-11", "draft-16 §3.2",
      "The root MUST set T = 1 for an important change and T = 0 otherwise (draft-09: SHOULD set)." },
    { "EP-12", "draft-16 §3.2; RFC 6550 §7.2",
      "If the locally adopted version is newer than the received one (lollipop order), the option MUST be "
      "ignored." },
    { "EP-13", "draft-16 §3.2",
      "Otherwise the 6LR MUST adopt Version, Min Priority, DODAG Size and T." },
    { "EP-14", "draft-16 §3.2",
      "If the received version is newer and T = 1, the 6LR MUST reset its DIO Trickle timer." },
    { "EP-15", "draft-16 §3.2; draft-03 §2",
      "A Join Proxy adds its local considerations to the adopted minimum, up to 0x7f; below 0x7f the Join "
      "Proxy function is enabled." },
    { "EP-17", "draft-16 §4.1; draft-03 §2.1",
      "A 6LR that supports the option but receives it on no path SHOULD use 0x40 as its base value." },
    { "EP-19", "draft-03 §2", "The priority can only be increased by each 6LR, up to 0x7f." },
    { "EP-20", "draft-03 §2", "R SHOULD be sent as 0, MUST be ignored on receipt and SHOULD be copied." },
    { "EP-21", "RFC 6550 §6.7.1; draft-16 §4.1",
      "A node that does not implement the option MUST silently ignore it, process the remaining options, "
      "and does not propagate it." },
    { "EP-22", "draft-16 §5; RFC 7416",
      "The option travels in layer-2 secured DIOs or in layer-3 Secure DIOs." },
    { "JP-1", "RFC 9031 §8.4.2, §7.2, §9",
      "A Join Proxy keeps the average rate of join traffic it forwards to the JRC within the join rate of its "
      "Configuration (measured over a short window, e.g. ACK_TIMEOUT); join rate 0: all join traffic "
      "silently dropped." },
    { "JP-2", "RFC 9031 §8.4.2",
      "A joined node MUST silently drop any link-layer frames of a pledge its blacklist names; a new blacklist "
      "overwrites the old one." },
    { "JP-3", "RFC 9031 §7.1",
      "A Join Proxy operating statelessly MUST forward the pledge's request as NON, whatever the pledge sent." },
    { "JP-4", "RFC 9031 §6.1.1",
      "A Join Proxy SHOULD set DSCP AF43 on the join traffic it forwards to the JRC." },
    { "JP-5", "RFC 9031 §7, §7.1",
      "The Join Proxy forwards the pledge's request to the JRC and the JRC's response back to the pledge "
      "(its state in the echoed token when stateless)." },
    { "JP-6", "draft-16 §3.1; RFC 9031 §6",
      "With enrollment off (minimum 0x7f) the Join Proxy forwards no join traffic." },
    { "JP-7", "RFC 9031 §7.3.1, §7.3.2",
      "A joined node keeps its OSCORE replay window with the JRC in persistent memory: a Parameter Update "
      "replayed after a reboot is silently dropped." },
    { "JRC-1", "RFC 9031 §8.1.2, §7.1, §7.3",
      "The JRC answers a provisioned pledge's Join Request with a protected 2.04 carrying a Configuration, "
      "echoing the Join Proxy's (extended) token." },
    { "JRC-2", "RFC 9031 §7.3.2; RFC 8613 §7.4, §8.2",
      "OSCORE errors during the join (no context for the pledge ID, a failed tag, a replayed Partial IV) MUST "
      "be silently dropped: no response at all." },
    { "JRC-3", "RFC 9031 §7.3.1; RFC 8613 §7.2.1, Appendix B.1.1",
      "The JRC's Sender Sequence Numbers and Replay Windows MUST be kept in persistent memory: no replay "
      "accepted and no nonce reused after a reboot." },
    { "JRC-4", "RFC 9031 §8.3.1, §8.3.2",
      "A Join_Request whose processing fails gets a Diagnostic Response: a protected 4.00 with an "
      "Unsupported_Configuration (MUST)." },
    { "R-1", "RFC 6550 §6.7.1, §6.7.6, §14",
      "A 6LR joins through DIOs whose options it does not know and takes its rank from the DODAG "
      "Configuration option." },
    { "R-2", "RFC 6550 §8.3",
      "A multicast DIS without a Solicited Information option resets the DIO Trickle timer." },
    { "S1", "IEEE 802.15.4-2015 §9.2.5; RFC 8180 §4.6",
      "Attack: link-layer replay of a secured DIO or EB, or a reused frame counter; the frame is dropped." },
    { "S2", "draft-16 §3.2, §5; RFC 6550 §7.2",
      "Attack: stale-version DIO from an insider holding the keys; the option is ignored." },
    { "S3", "draft-16 §3.1, §5",
      "Attack: lower minimum from an insider that is not the selected parent; no effect." },
    { "S4", "draft-16 §3.1, §5",
      "Attack: minimum raised to 0x7f by the parent; the Join Proxy switches off." },
    { "S7", "RFC 9031 §7.3, §9; RFC 8180 §9",
      "Attack: fake EBs with an attractive proxy priority and a copied network ID; the pledge fails at OSCORE or "
      "times out, moves on, and never reuses an OSCORE sequence number." },
    { "S10", "RFC 9031 §4.1, §7.3.2",
      "Attack: misdirection to a wrong network; a pledge provisioned with a network ID uses only matching EBs." },
    { "S13", "RFC 9031 §7.3.2",
      "Attack: bogus unprotected CoAP error responses to the pledge; silently discarded (MUST)." },
    { "S15", "RFC 9031 §7.3.1; RFC 8613 §7.4",
      "Attack: a replayed Parameter Update, also after a reboot of the node; refused (persistent replay window)." },
    { "S12", "RFC 9031 §6, §7.2, §8.4.2, §9",
      "Attack: a flood of pledges at a Join Proxy; it keeps the join rate and the blacklist and stays alive." },
    { "S14", "RFC 9031 §7.3.1; RFC 8613 §7.4",
      "Attack: a Join Request replayed to the JRC, also after a JRC reboot; no second 2.04." },
    { "S5", "draft-16 §5; RFC 8180 §4.6; RFC 7416",
      "Attack: unsecured or wrongly keyed DIO in a secured network; dropped." },
    { "S6", "draft-16 §3.2, §5; RFC 6206 §4.2",
      "Attack: Trickle storm (newer versions with T = 1, DIS floods); the DUT resets as required and keeps "
      "working." },
    { "S9", "RFC 8180 §4.6; RFC 9031 §3",
      "Attack: EBs under the published default K1 at an enrolled node; not accepted." },
    { "S17", "RFC 6550 §6.7.1",
      "Attack: malformed options (bad lengths, running past the message); no crash, the option is ignored, "
      "no state change." },
    { "T-1", "RFC 6206 §4.2; RFC 6550 §8.3.1",
      "DIO intervals stay within the Trickle bounds of the DODAG Configuration option." },
};

static const req_def *req_find(const char *id)
{
    for (size_t i = 0; i < sizeof req_defs / sizeof req_defs[0]; i++)
        if (strcmp(req_defs[i].id, id) == 0)
            return &req_defs[i];
    return NULL;
}

typedef struct req_row {
    char id[16];
    const ek_td *tds[N_TDS];
    size_t n;
} req_row;

/* Natural order: prefix, then number, then suffix ("EP-9a" < "EP-10"). */
static int req_cmp(const void *a, const void *b)
{
    const char *x = ((const req_row *)a)->id, *y = ((const req_row *)b)->id;
    size_t px = strcspn(x, "0123456789"), py = strcspn(y, "0123456789");
    int c = strncmp(x, y, px < py ? px : py);
    if (c || px != py)
        return c ? c : (px < py ? -1 : 1);
    long nx = strtol(x + px, NULL, 10), ny = strtol(y + py, NULL, 10);
    if (nx != ny)
        return nx < ny ? -1 : 1;
    return strcmp(x, y);
}

static void cell(FILE *o, const char *t);

static void write_traceability(FILE *o)
{
    static req_row rows[128];
    size_t nrows = 0;
    for (size_t t = 0; t < N_TDS; t++) {
        char ids[256];
        refs_ids(all_tds[t]->refs, ids, sizeof ids);
        for (char *tok = strtok(ids, ", "); tok; tok = strtok(NULL, ", ")) {
            size_t r = 0;
            while (r < nrows && strcmp(rows[r].id, tok) != 0)
                r++;
            if (r == nrows) {
                if (nrows == sizeof rows / sizeof rows[0])
                    continue;
                memset(&rows[r], 0, sizeof rows[r]);
                snprintf(rows[r].id, sizeof rows[r].id, "%s", tok);
                nrows++;
            }
            if (rows[r].n < N_TDS && (rows[r].n == 0 || rows[r].tds[rows[r].n - 1] != all_tds[t]))
                rows[r].tds[rows[r].n++] = all_tds[t];   /* an ID repeated in one TD's refs counts once */
        }
    }
    qsort(rows, nrows, sizeof rows[0], req_cmp);
    fprintf(o, "## Requirement traceability\n\n");
    fprintf(o, "Requirement IDs are enrollkit's labels for the rules the TDs check: EP-n the Minimum "
               "Enrollment Priority rules of draft-ietf-roll-enrollment-priority (draft-NN below = "
               "draft-ietf-roll-enrollment-priority-NN), EB-n the Join-Info rules of RFC 9032 and RFC 8180, "
               "Sn attack scenarios (draft-16 §5 and the RFCs cited), R-n RFC 6550's rank and DIS rules, "
               "T-1 RFC 6206's Trickle bounds, JP-n and JRC-n the Join Proxy's and the JRC's rules of RFC 9031.  "
               "Source gives the section each one comes from.\n\n");
    fprintf(o, "| Requirement | TDs | Source | Rule |\n|---|---|---|---|\n");
    for (size_t r = 0; r < nrows; r++) {
        const req_def *d = req_find(rows[r].id);
        fprintf(o, "| %s | ", rows[r].id);
        for (size_t i = 0; i < rows[r].n; i++)
            fprintf(o, "%s%s", i ? ", " : "", rows[r].tds[i]->id);
        fprintf(o, " | %s | ", d ? d->source : "UNDEFINED");
        cell(o, d ? d->text : "UNDEFINED");
        fprintf(o, " |\n");
    }
    fprintf(o, "\n");
}

/* A markdown table cell: '|' escaped, newlines flattened. */
static void cell(FILE *o, const char *t)
{
    for (; t && *t; t++) {
        if (*t == '|')
            fputs("\\|", o);
        else
            fputc(*t == '\n' ? ' ' : *t, o);
    }
}

static void write_faults(FILE *o)
{
    fprintf(o, "## Reference DUT faults\n\n");
    fprintf(o, "Each `enroll-refdut --fault NAME` breaks one requirement; the mutation test "
               "(`harness/suites/tests`) checks that the named TD fails under the listed profiles.\n\n");
    fprintf(o, "| Fault | Breaks | Caught by | Profiles | Summary |\n|---|---|---|---|---|\n");
    for (int f = EK_FAULT_NONE + 1; f < EK_FAULT_COUNT; f++) {
        const ek_refnode_fault_info *fi = ek_refnode_fault_info_get((ek_refnode_fault)f);
        if (!fi)
            continue;
        fprintf(o, "| `%s` | ", fi->name ? fi->name : "?");
        cell(o, fi->breaks);
        fputs(" | ", o);
        cell(o, fi->caught_by);
        fputs(" | ", o);
        cell(o, fi->profiles);
        fputs(" | ", o);
        cell(o, fi->summary);
        fputs(" |\n", o);
    }
    fprintf(o, "\n");
}

static size_t suite_count(const char *name)
{
    size_t k = 0;
    for (size_t i = 0; i < N_TDS; i++)
        k += strcmp(name, "default") == 0 || strcmp(all_tds[i]->suite, name) == 0;
    return k;
}

void ek_suites_write_markdown(FILE *o)
{
    char prof[96], caps[64], ids[256];
    fprintf(o, "# enrollkit test descriptions\n\n");
    fprintf(o, "<!-- Generated from the TD registry (harness/suites) by gen_tdmd; do not edit. "
               "The meson test td_doc_current fails when this file is out of date. -->\n\n");
    fprintf(o, "Every TD below is data in `harness/suites` (the single source of truth; "
               "`enroll-harness --list` prints the same registry).  Durations are in the DUT's own "
               "units from its DUT profile: **Imin** = DIO Trickle Imin, **Imax** = Imin << doublings, "
               "**EB period** = Enhanced Beacon period; every window also gets the profile's slack.  "
               "Roles: **A** = DODAG root / preferred parent (rank 256), **B** = a worse neighbour "
               "(rank 1024 unless the TD gives another), **ROGUE** = an insider (rank 1024).  Verdicts: pass < inconc < fail < "
               "error; INFO marks a failed step that the spec words as SHOULD/MAY in that profile.  "
               "With a secured DUT profile ([security] enabled) every stimulus is secured as the "
               "network does (DIOs under K2, EBs under K1, the sender's next frame counter) unless "
               "its step says otherwise; the TP-SEC TDs need such a profile.\n\n");
    fprintf(o, "## Suites\n\n| Suite | TDs | Summary |\n|---|---|---|\n");
    for (size_t s = 0; s < N_SUITES; s++)
        fprintf(o, "| `%s` | %zu | %s |\n", suites[s].name, suite_count(suites[s].name), suites[s].summary);
    fprintf(o, "\n## Index\n\n| ID | Suite | Profiles | Requirements | Title |\n|---|---|---|---|---|\n");
    for (size_t t = 0; t < N_TDS; t++) {
        const ek_td *td = all_tds[t];
        profiles_text(td->profiles, ", ", prof, sizeof prof);
        refs_ids(td->refs, ids, sizeof ids);
        fprintf(o, "| [%s](#%s) | %s | %s | %s | ", td->id, td->id, td->suite, prof, ids);
        cell(o, td->title);
        fputs(" |\n", o);
    }
    fprintf(o, "\n");
    for (size_t t = 0; t < N_TDS; t++) {
        const ek_td *td = all_tds[t];
        profiles_text(td->profiles, ", ", prof, sizeof prof);
        caps_text(td->needs, caps, sizeof caps);
        fprintf(o, "<a id=\"%s\"></a>\n\n## %s: %s\n\n", td->id, td->id, td->title);
        fprintf(o, "- **Suite:** `%s`\n", td->suite);
        fprintf(o, "- **Objective:** %s\n", td->objective);
        fprintf(o, "- **References:** %s\n", td->refs);
        fprintf(o, "- **Profiles:** %s\n", prof);
        fprintf(o, "- **Needs (DUT capabilities):** %s\n", caps);
        if (td->role != EK_NODE_6LR)
            fprintf(o, "- **DUT role:** %s (not applicable to other roles)\n", ek_node_role_name(td->role));
        fprintf(o, "- **Configuration:** %s\n", td->config);
        if (td->rule)
            fprintf(o, "- **Expectations and their sources:** %s\n", td->rule);
        if (td->max_cost)
            fprintf(o, "- **Local cost:** applies when the DUT profile's max_local_cost is at most 0x%02x (the EB "
                       "windows tell the minimums apart only then)\n", td->max_cost);
        fprintf(o, "\n");
        fprintf(o, "Steps:\n\n");
        for (unsigned i = 0; i < td->n_steps; i++)
            write_step(o, i + 1, &td->steps[i]);
        fprintf(o, "\n");
    }
    write_traceability(o);
    write_faults(o);
}

void ek_suites_write_list(FILE *o)
{
    char prof[96], ids[256];
    for (size_t t = 0; t < N_TDS; t++) {
        const ek_td *td = all_tds[t];
        profiles_text(td->profiles, ",", prof, sizeof prof);
        refs_ids(td->refs, ids, sizeof ids);
        fprintf(o, "%-14s %-7s %-35s %-28s %s\n", td->id, td->suite, prof, ids, td->title);
    }
}
