/* SPDX-License-Identifier: BSD-3-Clause */
/* The proof of issue 4 §6 in virtual time: the whole default suite runs through the
 * engine against the in-process reference node behind the loop radio.
 * (1) The compliant node passes every applicable TD in every profile, 20 seeds in a row.
 * (2) Mutation: every catalogued fault, under each profile it lists, makes at least one
 *     TD fail, and the TD its fault_info names (caught_by) is among them; the score is
 *     printed on stdout. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ek/engine.h"
#include "ek/radio.h"
#include "ek/refnode.h"
#include "ek/suites.h"

#define MAX_TDS 64
#define N_SEEDS 20

typedef struct peer {
    ek_refnode *n;
} peer;

static bool dead(const peer *p)
{
    ek_refnode_state s;
    ek_refnode_get_state(p->n, &s);
    return s.dead;
}

static void p_rx(void *ctx, const uint8_t *mpdu, size_t len, uint64_t now_ns)
{
    peer *p = ctx;
    if (!dead(p))
        ek_refnode_rx(p->n, mpdu, len, now_ns);
}

static uint64_t p_next(void *ctx)
{
    peer *p = ctx;
    return dead(p) ? UINT64_MAX : ek_refnode_next_event(p->n);
}

static void p_run(void *ctx, uint64_t now_ns, ek_radio *loop)
{
    peer *p = ctx;
    uint8_t buf[EK_RADIO_PSDU_MAX];
    size_t len;
    while (!dead(p) && (len = ek_refnode_poll(p->n, now_ns, buf, sizeof buf)) > 0)
        ek_radio_loop_emit(loop, buf, len);
}

static void p_reset(void *ctx, uint64_t now_ns)
{
    peer *p = ctx;
    ek_refnode_reset(p->n, now_ns);
}

/* DUT timing for a run; zero fields keep the reference defaults. */
typedef struct timing {
    uint32_t imin_ms;
    uint8_t doublings, redundancy;
    uint32_t eb_ms;
} timing;

/* Runs the default suite against a reference node; returns the number of TDs. */
static size_t run_suite_t(ek_mep_profile m, uint64_t seed, ek_refnode_fault fault, const timing *tm,
                          ek_td_result *res)
{
    ek_refnode_cfg cfg;
    ek_refnode_cfg_default(&cfg);
    if (tm) {
        cfg.dio_imin_ms = tm->imin_ms ? tm->imin_ms : cfg.dio_imin_ms;
        cfg.dio_doublings = tm->doublings ? tm->doublings : cfg.dio_doublings;
        cfg.dio_redundancy = tm->redundancy ? tm->redundancy : cfg.dio_redundancy;
        cfg.eb_period_ms = tm->eb_ms ? tm->eb_ms : cfg.eb_period_ms;
    }
    cfg.prof.mep = m;
    cfg.seed = seed;
    cfg.fault = fault;

    ek_dut d;
    ek_dut_default(&d);
    snprintf(d.name, sizeof d.name, "refnode");
    snprintf(d.radio_uri, sizeof d.radio_uri, "loop:");
    d.caps = EK_CAP_SENDS_DIO | EK_CAP_SENDS_EB;
    d.prof = cfg.prof;
    d.has_ext = true;
    memcpy(d.ext, cfg.ext, 8);
    d.pan_id = cfg.pan_id;
    d.dio_imin_ms = cfg.dio_imin_ms;
    d.dio_doublings = cfg.dio_doublings;
    d.dio_redundancy = cfg.dio_redundancy;
    d.eb_period_ms = cfg.eb_period_ms;

    char err[128];
    peer p = { ek_refnode_new(&cfg, err, sizeof err) };
    cr_assert_not_null(p.n, "ek_refnode_new: %s", err);
    ek_radio_loop_peer lp = { .ctx = &p, .rx = p_rx, .next_event = p_next, .run = p_run };
    ek_radio *loop = ek_radio_loop_new(&lp, 1000000000ull);
    cr_assert_not_null(loop);

    ek_engine_opts o = { .dut = &d, .radio = loop, .manage_dut = false, .reset_hook = p_reset, .reset_ctx = &p };
    size_t n;
    const ek_td *const *tds = ek_suites_all(&n);
    cr_assert_leq(n, MAX_TDS);
    ek_engine_run(&o, tds, n, res);
    ek_radio_close(loop);
    ek_refnode_free(p.n);
    return n;
}

static size_t run_suite(ek_mep_profile m, uint64_t seed, ek_refnode_fault fault, ek_td_result *res)
{
    return run_suite_t(m, seed, fault, NULL, res);
}

static const ek_mep_profile profiles[] = { EK_MEP_DRAFT03, EK_MEP_DRAFT04, EK_MEP_DRAFT09, EK_MEP_DRAFT16 };

Test(proof, compliant_reference_node_passes_every_applicable_td_20_seeds, .timeout = 600)
{
    static ek_td_result res[MAX_TDS];
    unsigned pass[MAX_TDS][4] = { { 0 } }, runs = 0, bad = 0;
    size_t n = 0;
    for (unsigned pi = 0; pi < 4; pi++) {
        for (uint64_t seed = 1; seed <= N_SEEDS; seed++) {
            n = run_suite(profiles[pi], seed * 0x9e3779b97f4a7c15ull, EK_FAULT_NONE, res);
            runs++;
            for (size_t t = 0; t < n; t++) {
                const ek_td_result *r = &res[t];
                bool want = (r->td->profiles & EK_PROF(profiles[pi])) != 0;
                cr_expect_eq(r->applicable, want, "%s %s: applicable %d", r->td->id,
                             ek_mep_profile_name(profiles[pi]), r->applicable);
                if (!r->applicable)
                    continue;
                if (r->verdict == EK_V_PASS) {
                    pass[t][pi]++;
                } else {
                    bad++;
                    cr_expect_eq(r->verdict, EK_V_PASS, "%s %s seed %llu: %s: %s", r->td->id,
                                 ek_mep_profile_name(profiles[pi]), (unsigned long long)seed,
                                 ek_verdict_name(r->verdict), r->reason);
                }
            }
        }
    }
    printf("# pass matrix (compliant reference node, %u seeds per profile)\n", N_SEEDS);
    printf("# %-14s %9s %9s %9s %9s\n", "TD", "draft-03", "draft-04", "draft-09", "draft-16");
    size_t nn;
    const ek_td *const *tds = ek_suites_all(&nn);
    for (size_t t = 0; t < n; t++) {
        printf("# %-14s", tds[t]->id);
        for (unsigned pi = 0; pi < 4; pi++) {
            if (tds[t]->profiles & EK_PROF(profiles[pi]))
                printf(" %6u/%-2u", pass[t][pi], N_SEEDS);
            else
                printf(" %9s", "n/a");
        }
        printf("\n");
    }
    printf("# %u suite runs, %u non-pass verdicts\n", runs, bad);
    fflush(stdout);
}

Test(proof, every_fault_is_caught_by_its_td, .timeout = 600)
{
    static ek_td_result res[MAX_TDS];
    unsigned faults = 0, caught = 0;
    for (int f = EK_FAULT_NONE + 1; f < EK_FAULT_COUNT; f++) {
        const ek_refnode_fault_info *fi = ek_refnode_fault_info_get((ek_refnode_fault)f);
        cr_assert_not_null(fi);
        cr_assert_not_null(ek_suites_find(fi->caught_by), "%s: caught_by %s is no TD", fi->name, fi->caught_by);
        faults++;
        bool ok = true;
        unsigned nprof = 0;
        char list[128];
        snprintf(list, sizeof list, "%s", fi->profiles);
        char *save = NULL;
        for (char *tok = strtok_r(list, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
            ek_mep_profile m;
            cr_assert(ek_mep_profile_parse(tok, &m), "%s: profile %s", fi->name, tok);
            nprof++;
            size_t n = run_suite(m, 0x5eed, (ek_refnode_fault)f, res);
            unsigned nfail = 0;
            bool named = false;
            char failing[512] = "";
            for (size_t t = 0; t < n; t++) {
                if (!res[t].applicable || res[t].verdict != EK_V_FAIL)
                    continue;
                nfail++;
                named = named || strcmp(res[t].td->id, fi->caught_by) == 0;
                size_t at = strlen(failing);
                snprintf(failing + at, sizeof failing - at, "%s%s", at ? "," : "", res[t].td->id);
            }
            bool hit = nfail > 0 && named;
            ok = ok && hit;
            printf("# fault %-26s %-9s %s: failing TDs [%s], expected %s\n", fi->name, tok, hit ? "caught" : "MISSED",
                   failing, fi->caught_by);
            cr_expect(hit, "fault %s under %s not caught by %s (failing: %s)", fi->name, tok, fi->caught_by,
                      failing[0] ? failing : "none");
        }
        cr_expect_gt(nprof, 0u, "%s lists no profile", fi->name);
        caught += ok && nprof > 0;
    }
    printf("mutation score: %u/%u faults caught\n", caught, faults);
    fflush(stdout);
}

/* The whole default suite in < 10 s of DUT time at fast timing (issue 4 §6 benchmark
 * target), and a step trace of one run per profile for the log. */
Test(proof, default_suite_takes_under_10_s_of_dut_time, .timeout = 120)
{
    static ek_td_result res[MAX_TDS];
    for (unsigned pi = 0; pi < 4; pi++) {
        size_t n = run_suite(profiles[pi], 1, EK_FAULT_NONE, res);
        uint64_t total = 0;
        unsigned infos = 0;
        printf("# ---- %s ----\n", ek_mep_profile_name(profiles[pi]));
        for (size_t t = 0; t < n; t++) {
            const ek_td_result *r = &res[t];
            if (!r->applicable)
                continue;
            uint64_t d = r->t_end_ns - r->t_start_ns;
            total += d;
            printf("# %-14s %-6s %5llu ms%s\n", r->td->id, ek_verdict_name(r->verdict),
                   (unsigned long long)(d / 1000000u), r->info ? " (INFO notes)" : "");
            for (unsigned i = 0; i < r->n_steps; i++) {
                const ek_step_result *s = &r->steps[i];
                if (!s->ran)
                    continue;
                infos += s->info;
                printf("#     %2u %-6s%s %s\n", i + 1, ek_verdict_name(s->verdict), s->info ? " INFO" : "", s->msg);
            }
        }
        printf("# %s: default suite %llu ms of DUT time, %u INFO step(s)\n", ek_mep_profile_name(profiles[pi]),
               (unsigned long long)(total / 1000000u), infos);
        cr_expect_lt(total, 10000000000ull, "%s: %llu ms", ek_mep_profile_name(profiles[pi]),
                     (unsigned long long)(total / 1000000u));
    }
    fflush(stdout);
}

/* The TDs are written in DUT units: other timings of the same compliant node pass too. */
Test(proof, compliant_node_passes_with_other_dut_timings, .timeout = 300)
{
    static ek_td_result res[MAX_TDS];
    static const timing tms[] = {
        { 8, 8, 10, 30 },     /* fast Imin, long Imax: many parent DIOs per interval */
        { 32, 5, 10, 100 },
        { 16, 6, 3, 200 },    /* small redundancy constant, slow EBs */
        { 64, 10, 10, 40 },   /* EBs faster than Imin */
    };
    for (size_t k = 0; k < sizeof tms / sizeof tms[0]; k++) {
        for (unsigned pi = 0; pi < 4; pi++) {
            for (uint64_t seed = 1; seed <= 5; seed++) {
                size_t n = run_suite_t(profiles[pi], seed, EK_FAULT_NONE, &tms[k], res);
                for (size_t t = 0; t < n; t++) {
                    const ek_td_result *r = &res[t];
                    if (r->applicable)
                        cr_expect_eq(r->verdict, EK_V_PASS, "Imin %u doublings %u k %u EB %u, %s seed %llu: %s: %s",
                                     tms[k].imin_ms, tms[k].doublings, tms[k].redundancy, tms[k].eb_ms,
                                     ek_mep_profile_name(profiles[pi]), (unsigned long long)seed,
                                     ek_verdict_name(r->verdict), r->reason);
                }
            }
        }
    }
}
