/* SPDX-License-Identifier: BSD-3-Clause */
/* The harness's error rates for pledge DUTs, in virtual time: the pledge suite runs
 * through the engine against the in-process reference pledge (ek/pledge.h) behind the
 * loop radio.  (1) False verdicts: every compliant pledge variant passes every TD that
 * applies, unprovisioned and provisioned with the harness network's ID, several seeds
 * and ACK_TIMEOUTs.  (2) Mutation: every pledge fault of the catalogue ("+pledge" in its
 * profiles, "+provisioned" = with a provisioned network ID) fails the TD its fault_info
 * names.  The reset between TDs and inside them is the pledge's reboot: its persistent
 * record survives it, as it would on the device. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ek/engine.h"
#include "ek/frame.h"
#include "ek/pledge.h"
#include "ek/radio.h"
#include "ek/refnode.h"
#include "ek/suites.h"

#define MAX_TDS 96

static const uint8_t PSK[16] = { 0xcb, 0x17, 0x4a, 0x1e, 0x9c, 0x35, 0x0b, 0x61, 0x77, 0x2d, 0x8e, 0x40, 0x52, 0xf3,
                                 0x19, 0xa6 };
/* the harness network's ID when the profile provisions none (tp_pledge.c DEFAULT_NID) */
static const uint8_t NET_ID[16] = { 0xfd, 0x00, 0x65, 0x6b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01 };

/* Defects no catalogued fault emulates, put in front of the compliant pledge: EBs it
 * wrongly refuses never reach it.  They show that TP-EB-02, -06 and -08 can fail. */
typedef enum filter { F_NONE = 0, F_RESERVED, F_SIX_P, F_EMPTY_NETWORK_ID } filter;
static filter g_filter;

static bool refused(const uint8_t *mpdu, size_t len)
{
    static ek_frame f;
    ek_profile prof;
    ek_profile_default(&prof);
    ek_status st = ek_frame_decode(ek_view_make(mpdu, len), false, &prof, &f);
    (void)st;
    if (!f.sum.has_ji)
        return false;
    switch (g_filter) {
    case F_RESERVED: return f.sum.ji_reserved != 0;   /* rejects res != 0 (EB-3) */
    case F_EMPTY_NETWORK_ID: return f.sum.network_id_len == 0;   /* rejects N = 0 (EB-2) */
    case F_SIX_P:   /* stops at the first IETF IE that is not Join-Info (EB-11) */
        for (unsigned i = 0; f.has_mac && i < f.mac.ies.n_pl; i++)
            if (f.mac.ies.pl[i].has_subtype && f.mac.ies.pl[i].subtype != prof.ji_subtype)
                return true;
        return false;
    default: return false;
    }
}

/* A pledge that finds the EBs late (channel hopping, duty-cycled listening): after every
 * reboot it hears nothing for g_deaf_ns. */
static uint64_t g_deaf_ns, g_deaf_until;

static void p_rx(void *ctx, const uint8_t *mpdu, size_t len, uint64_t now_ns)
{
    if (g_filter != F_NONE && refused(mpdu, len))
        return;
    if (now_ns < g_deaf_until)
        return;
    ek_pledge_rx(ctx, mpdu, len, now_ns);
}

static uint64_t p_next(void *ctx)
{
    return ek_pledge_next_event(ctx);
}

static void p_run(void *ctx, uint64_t now_ns, ek_radio *loop)
{
    uint8_t buf[EK_RADIO_PSDU_MAX];
    size_t len;
    while ((len = ek_pledge_poll(ctx, now_ns, buf, sizeof buf)) > 0)
        ek_radio_loop_emit(loop, buf, len);
}

static void p_reset(void *ctx, uint64_t now_ns)
{
    g_deaf_until = now_ns + g_deaf_ns;
    ek_pledge_reboot(ctx, now_ns);
}

typedef struct run_cfg {
    const char *variant;
    ek_refnode_fault fault;
    bool provisioned;
    uint32_t ack_ms;
    uint64_t seed;
    ek_ji_profile ji;
    uint32_t scan_ms;   /* 0: the variant's */
    uint32_t join_ms;   /* the profile's [timing] join_ms: 0 = the 2000 ms examples/dut/
                           refdut-zep-pledge.ini declares, JOIN_UNDECLARED = none */
} run_cfg;
#define JOIN_UNDECLARED UINT32_MAX

/* Runs every TD (the 6LR, root, JP and JRC ones are not applicable to a pledge). */
static size_t run_pledge(const run_cfg *rc, ek_td_result *res, ek_dut *dut_out)
{
    ek_pledge_cfg cfg;
    ek_pledge_cfg_default(&cfg);
    if (rc->variant)
        cr_assert_eq(ek_pledge_variant_apply(rc->variant, &cfg), 0, "variant %s", rc->variant);
    memcpy(cfg.psk, PSK, sizeof PSK);
    cfg.psk_len = sizeof PSK;
    cfg.ack_timeout_ms = rc->ack_ms;
    cfg.seed = rc->seed;
    cfg.fault = rc->fault;
    cfg.prof.ji = rc->ji;
    if (rc->scan_ms)
        cfg.choices.scan_ms = rc->scan_ms;
    if (rc->provisioned) {
        cfg.has_network_id = true;
        memcpy(cfg.network_id, NET_ID, 16);
        cfg.network_id_len = 16;
    }
    /* the DUT profile, as examples/dut/refdut-zep-pledge.ini declares the reference pledge */
    ek_dut d;
    ek_dut_default(&d);
    snprintf(d.name, sizeof d.name, "pledge");
    snprintf(d.radio_uri, sizeof d.radio_uri, "loop:");
    d.role = EK_NODE_PLEDGE;
    d.caps = EK_CAP_PLEDGE;
    d.prof = cfg.prof;
    d.has_ext = true;
    memcpy(d.ext, cfg.ext, 8);
    d.pan_id = cfg.pan_id;
    d.cojp_psk_len = cfg.psk_len;
    memcpy(d.cojp_psk, cfg.psk, cfg.psk_len);
    d.cojp_pledge_id_len = cfg.pledge_id_len;
    memcpy(d.cojp_pledge_id, cfg.pledge_id, cfg.pledge_id_len);
    d.cojp_ack_timeout_ms = rc->ack_ms;
    d.join_ms = rc->join_ms == JOIN_UNDECLARED ? 0 : rc->join_ms ? rc->join_ms : 2000;
    if (rc->provisioned) {
        d.cojp_has_network_id = true;
        memcpy(d.cojp_network_id, NET_ID, 16);
        d.cojp_network_id_len = 16;
    }
    char err[128];
    ek_pledge *p = ek_pledge_new(&cfg, NULL, 0, err, sizeof err);
    cr_assert_not_null(p, "ek_pledge_new: %s", err);
    ek_radio_loop_peer lp = { .ctx = p, .rx = p_rx, .next_event = p_next, .run = p_run };
    ek_radio *loop = ek_radio_loop_new(&lp, 1000000000ull);
    cr_assert_not_null(loop);
    ek_engine_opts o = { .dut = &d, .radio = loop, .manage_dut = false, .reset_hook = p_reset, .reset_ctx = p };
    size_t n;
    const ek_td *const *tds = ek_suites_all(&n);
    cr_assert_leq(n, MAX_TDS);
    ek_engine_run(&o, tds, n, res);
    ek_radio_close(loop);
    ek_pledge_free(p);
    if (dut_out)
        *dut_out = d;
    return n;
}

static unsigned count_pledge_tds(void)
{
    size_t n;
    const ek_td *const *tds = ek_suites_all(&n);
    unsigned k = 0;
    for (size_t i = 0; i < n; i++)
        k += tds[i]->role == EK_NODE_PLEDGE;
    return k;
}

Test(pledge_proof, every_compliant_pledge_variant_passes_every_applicable_td, .timeout = 600)
{
    static ek_td_result res[MAX_TDS];
    const ek_pledge_variant_info *v;
    size_t nv = ek_pledge_variants(&v);
    cr_assert_geq(nv, 5u);
    unsigned long verdicts = 0, bad = 0, infos = 0;
    static const uint32_t acks[] = { 50, 100, 37 };
    for (size_t vi = 0; vi < nv; vi++) {
        for (unsigned prov = 0; prov < 2; prov++) {
            for (uint64_t seed = 1; seed <= 3; seed++) {
                run_cfg rc = { v[vi].name, EK_FAULT_NONE, prov == 1, acks[seed % 3], seed * 0x2545f4914f6cdd1dull,
                               seed == 2 ? EK_JI_BYTE_ALIGNED : EK_JI_RFC9032_LITERAL, 0, 0 };
                ek_dut d;
                size_t n = run_pledge(&rc, res, &d);
                unsigned napp = 0;
                for (size_t t = 0; t < n; t++) {
                    const ek_td_result *r = &res[t];
                    char why[EK_MSG_MAX];
                    cr_expect_eq(r->applicable, ek_td_applicable(r->td, &d, why, sizeof why), "%s", r->td->id);
                    if (!r->applicable)
                        continue;
                    cr_expect_eq(r->td->role, EK_NODE_PLEDGE, "%s applies to a pledge", r->td->id);
                    napp++;
                    verdicts++;
                    infos += r->info;
                    if (r->verdict != EK_V_PASS) {
                        bad++;
                        cr_expect_eq(r->verdict, EK_V_PASS, "pledge variant %s%s ACK %u seed %llu: %s: %s", v[vi].name,
                                     prov ? " provisioned" : "", rc.ack_ms, (unsigned long long)seed,
                                     ek_verdict_name(r->verdict), r->reason);
                    }
                }
                /* every pledge TD; TP-EB-06 not for a provisioned pledge */
                cr_expect_eq(napp, count_pledge_tds() - (prov ? 1u : 0u), "%u pledge TDs applied", napp);
            }
        }
        printf("# pledge variant %-20s done\n", v[vi].name);
    }
    printf("pledge false-verdict rate: %lu/%lu applicable verdicts over %zu compliant variants (%lu with INFO notes)\n",
           bad, verdicts, nv, infos);
    fflush(stdout);
}

Test(pledge_proof, every_pledge_fault_is_caught_by_its_td, .timeout = 600)
{
    static ek_td_result res[MAX_TDS];
    unsigned faults = 0, caught = 0;
    for (int f = EK_FAULT_NONE + 1; f < EK_FAULT_COUNT; f++) {
        const ek_refnode_fault_info *fi = ek_refnode_fault_info_get((ek_refnode_fault)f);
        if (!fi || !strstr(fi->profiles, "+pledge"))
            continue;
        cr_assert_not_null(ek_suites_find(fi->caught_by), "%s: %s is no TD", fi->name, fi->caught_by);
        faults++;
        bool prov = strstr(fi->profiles, "+provisioned") != NULL;
        bool ok = true;
        for (uint64_t seed = 1; seed <= 2; seed++) {
            run_cfg rc = { NULL, (ek_refnode_fault)f, prov, 50, seed, EK_JI_RFC9032_LITERAL, 0, 0 };
            size_t n = run_pledge(&rc, res, NULL);
            bool named = false;
            char failing[512] = "";
            for (size_t t = 0; t < n; t++) {
                if (!res[t].applicable || res[t].verdict != EK_V_FAIL)
                    continue;
                named = named || strcmp(res[t].td->id, fi->caught_by) == 0;
                size_t at = strlen(failing);
                snprintf(failing + at, sizeof failing - at, "%s%s", at ? "," : "", res[t].td->id);
            }
            const ek_td_result *want = NULL;
            for (size_t t = 0; t < n; t++)
                if (strcmp(res[t].td->id, fi->caught_by) == 0)
                    want = &res[t];
            printf("# pledge fault %-34s seed %llu: failing [%s], expected %s (%s)\n", fi->name,
                   (unsigned long long)seed, failing, fi->caught_by, want ? want->reason : "?");
            cr_expect(named, "pledge fault %s not caught by %s (failing: %s)", fi->name, fi->caught_by,
                      failing[0] ? failing : "none");
            ok = ok && named;
        }
        caught += ok;
    }
    cr_expect_geq(faults, 6u);
    printf("pledge mutation score: %u/%u faults caught\n", caught, faults);
    fflush(stdout);
}

/* The persistent record survives a process restart (enroll-refdut --state-file): a new
 * pledge created from the record of an old one never reuses a Partial IV. */
Test(pledge_proof, persistent_record_keeps_the_sequence_number_rising)
{
    ek_pledge_cfg cfg;
    ek_pledge_cfg_default(&cfg);
    memcpy(cfg.psk, PSK, sizeof PSK);
    cfg.psk_len = sizeof PSK;
    char err[64];
    ek_pledge *p = ek_pledge_new(&cfg, NULL, 0, err, sizeof err);
    cr_assert_not_null(p);
    ek_pledge_state s;
    ek_pledge_get_state(p, &s);
    cr_expect_eq(s.ssn, 0u);
    uint8_t nv[EK_PLEDGE_NV_LEN];
    uint64_t gen = 0;
    ek_pledge_nv(p, nv, &gen);
    ek_pledge_free(p);
    p = ek_pledge_new(&cfg, nv, sizeof nv, err, sizeof err);
    cr_assert_not_null(p);
    ek_pledge_get_state(p, &s);
    cr_expect_geq(s.ssn, (uint64_t)EK_PLEDGE_SSN_AHEAD, "restarted at %llu", (unsigned long long)s.ssn);
    ek_pledge_free(p);
    cfg.fault = EK_FAULT_PLEDGE_SSN_REUSE;
    p = ek_pledge_new(&cfg, nv, sizeof nv, err, sizeof err);
    ek_pledge_get_state(p, &s);
    cr_expect_eq(s.ssn, 0u, "the seeded defect restarts at 0");
    ek_pledge_free(p);
    cfg.psk_len = 8;
    cr_expect_null(ek_pledge_new(&cfg, NULL, 0, err, sizeof err));
    cr_expect(strstr(err, "PSK") != NULL, "%s", err);
}

/* TP-EB-02, -06 and -08 fail a pledge that refuses what they offer, and only those. */
Test(pledge_proof, join_info_tds_fail_a_pledge_that_refuses_well_formed_ebs, .timeout = 120)
{
    static ek_td_result res[MAX_TDS];
    static const struct { filter f; const char *td; } cases[] = {
        { F_RESERVED, "TP-EB-02" }, { F_EMPTY_NETWORK_ID, "TP-EB-06" }, { F_SIX_P, "TP-EB-08" },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        g_filter = cases[c].f;
        run_cfg rc = { NULL, EK_FAULT_NONE, false, 50, 3, EK_JI_RFC9032_LITERAL, 0, 0 };
        size_t n = run_pledge(&rc, res, NULL);
        for (size_t t = 0; t < n; t++) {
            if (!res[t].applicable)
                continue;
            bool want_fail = strcmp(res[t].td->id, cases[c].td) == 0;
            if (want_fail)
                printf("# refusing pledge, %s: %s\n", cases[c].td, res[t].reason);
            cr_expect_eq(res[t].verdict, want_fail ? EK_V_FAIL : EK_V_PASS, "filter %d: %s: %s: %s", (int)g_filter,
                         res[t].td->id, ek_verdict_name(res[t].verdict), res[t].reason);
        }
    }
    g_filter = F_NONE;
}

/* How a pledge finds the EBs and how long it scans before its Join Request are its own
 * choices (RFC 9031 §4.1).  Two slow pledges, beyond the 40 EB periods (2 s here) assumed
 * when the profile declares no join time: one scans 3 s (never heard in the first TD, so
 * the run errors), one finds the EBs 2.1 s after each reboot (heard, then silent or late
 * in later TDs and rounds).  Without the declaration neither is failed; with it ([timing]
 * join_ms = 4000) both pass every TD, TP-SEC-02-pledge's three scans included. */
Test(pledge_proof, a_slow_pledge_is_never_failed_and_passes_once_its_profile_declares_its_join_time, .timeout = 120)
{
    static ek_td_result res[MAX_TDS];
    for (unsigned kind = 0; kind < 4; kind++) {
        bool declared = kind & 1, deaf = kind & 2;
        g_deaf_ns = deaf ? 2100000000ull : 0;
        g_deaf_until = 0;
        run_cfg rc = { "default", EK_FAULT_NONE, false, 50, 7, EK_JI_RFC9032_LITERAL, deaf ? 0 : 3000,
                       declared ? 4000 : JOIN_UNDECLARED };
        ek_dut d;
        size_t n = run_pledge(&rc, res, &d);
        unsigned applied = 0, not_pass = 0;
        for (size_t t = 0; t < n; t++) {
            const ek_td_result *r = &res[t];
            if (!r->applicable)
                continue;
            applied++;
            cr_expect_neq(r->verdict, EK_V_FAIL, "%s, %s join time: %s fails: %s", deaf ? "late EBs" : "long scan",
                          declared ? "declared" : "default", r->td->id, r->reason);
            if (declared)
                cr_expect_eq(r->verdict, EK_V_PASS, "%s, declared join time: %s: %s %s", deaf ? "late EBs" : "long scan",
                             r->td->id, ek_verdict_name(r->verdict), r->reason);
            not_pass += r->verdict != EK_V_PASS;
            if (!declared && r->verdict == EK_V_ERROR && r->reason[0])
                cr_expect(strstr(r->reason, "[timing] join_ms") || strstr(r->reason, "not run"), "%s: %s", r->td->id,
                          r->reason);
        }
        cr_assert_eq(applied, count_pledge_tds());
        if (!declared && !deaf)
            cr_expect_eq(not_pass, applied, "a 3 s scan within a 2 s join time: %u of %u TDs passed",
                         applied - not_pass, applied);
        if (!declared && deaf)
            cr_expect_gt(not_pass, 0u, "finding the EBs 2.1 s late within a 2 s join time: every TD passed");
    }
    g_deaf_ns = g_deaf_until = 0;
}
