/* SPDX-License-Identifier: BSD-3-Clause */
/* The harness's two error rates in virtual time: the whole default suite runs through the
 * engine against the in-process reference node behind the loop radio.
 * (1) False verdicts: every compliant variant of the node (ek_refnode_variants: every
 *     legal implementation choice - step of rank, stretch, MRHOF, Trickle phase, R copy,
 *     Length-4 form, EB jitter, local cost) passes every applicable TD in every profile,
 *     several seeds, with link-layer security off and on; the legacy node (no option,
 *     no EBs) passes the TDs that apply to it.  The false-verdict rate is printed.
 * (2) Mutation: every catalogued fault, under each profile it lists, makes at least one
 *     TD fail, and the TD its fault_info names (caught_by) is among them, with security
 *     off and on; a fault whose profile list ends with "+secured" runs only with security
 *     on; a fault with a legacy_caught_by TD is also run in legacy mode.  The score is
 *     printed on stdout. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ek/engine.h"
#include "ek/radio.h"
#include "ek/refnode.h"
#include "ek/sec.h"
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

/* A root DUT's control commands, as enroll-refdut reads them from stdin. */
static int p_cmd(void *ctx, const char *line, uint64_t now_ns)
{
    peer *p = ctx;
    char msg[160];
    return ek_refnode_command(p->n, line, now_ns, msg, sizeof msg);
}

/* DUT timing for a run; zero fields keep the reference defaults. */
typedef struct timing {
    uint32_t imin_ms;
    uint8_t doublings, redundancy;
    uint32_t eb_ms;
} timing;

/* The secured network of the proof: K1 is NOT the published default (TP-SEC-05
 * needs that), K2 is Contiki-NG's example key; levels as RFC 8180 §4.6 / ek/dut.h
 * defaults (EB 1 MIC-32, DIO 5 ENC-MIC-32).  The same keys as
 * examples/dut/refdut-zep-secured.ini. */
#define PROOF_K1_HEX "4b312d6e6f742d64656661756c742121"   /* ASCII "K1-not-default!!" */

static void secure(ek_refnode_cfg *cfg)
{
    uint8_t k1[EK_SEC_KEY_LEN];
    cr_assert(ek_sec_key_parse_hex(PROOF_K1_HEX, k1));
    ek_sec_key_make(&cfg->k1, "K1-proof", k1, 1);
    cr_assert(ek_sec_key_named("K2-contiki", &cfg->k2));
    cfg->secured = true;
}

/* Runs the default suite against a reference node (link-layer security on when
 * `secured`); returns the number of TDs. */
/* The DUT profile a run uses (filled by run_suite_v, for applicability checks). */
static ek_dut last_dut;
/* [wire] ep_length of the next runs (0 = the layout's own) */
static uint8_t g_ep_length;
/* The next runs' DUT is the DODAG root (role root, enroll-refdut --role root) holding
 * ROOT_ROUTES routes, with the reference DUT's control commands: the root TDs apply. */
static bool g_root;
#define ROOT_ROUTES 100u
/* The next runs' DUT is a Join Proxy (capability cojp, enroll-refdut --cojp) with the
 * reference profile's [cojp] keys (examples/dut/refdut-zep-jp.ini): the cojp TDs apply. */
static bool g_jp;
/* The next runs' DUT is the JRC (role jrc, enroll-refdut --role jrc) provisioned with
 * JP_PSK and JRC_PLEDGE (examples/dut/refdut-zep-jrc.ini). */
static bool g_jrc;
static const uint8_t JRC_PLEDGE[8] = { 0x00, 0x12, 0x4b, 0x00, 0x14, 0xb5, 0xd9, 0x01 };
#define JP_WINDOW_MS 1000u
static const uint8_t JP_PSK[16] = { 0x6a, 0x70, 0x2d, 0x70, 0x73, 0x6b, 0x2d, 0x72,
                                    0x65, 0x66, 0x64, 0x75, 0x74, 0x2d, 0x30, 0x31 }; /* "jp-psk-refdut-01" */

static size_t run_suite_v(ek_mep_profile m, uint64_t seed, ek_refnode_fault fault, const timing *tm, bool secured,
                          const char *variant, bool legacy, ek_td_result *res)
{
    ek_refnode_cfg cfg;
    ek_refnode_cfg_default(&cfg);
    uint16_t ocp = 0;
    if (variant) {
        cr_assert_eq(ek_refnode_variant_apply(variant, &cfg), 0, "variant %s", variant);
        const ek_refnode_variant_info *v;
        size_t nv = ek_refnode_variants(&v);
        for (size_t i = 0; i < nv; i++)
            if (strcmp(v[i].name, variant) == 0)
                ocp = v[i].needs_ocp;
    }
    cfg.legacy = legacy;
    if (secured)
        secure(&cfg);
    if (tm) {
        cfg.dio_imin_ms = tm->imin_ms ? tm->imin_ms : cfg.dio_imin_ms;
        cfg.dio_doublings = tm->doublings ? tm->doublings : cfg.dio_doublings;
        cfg.dio_redundancy = tm->redundancy ? tm->redundancy : cfg.dio_redundancy;
        cfg.eb_period_ms = tm->eb_ms ? tm->eb_ms : cfg.eb_period_ms;
    }
    cfg.prof.mep = m;
    cfg.seed = seed;
    cfg.fault = fault;
    cfg.root = g_root;
    cfg.root_routes = g_root ? ROOT_ROUTES : 0;
    if (g_jrc) {
        cfg.jrc = true;
        memcpy(cfg.cojp_psk, JP_PSK, sizeof JP_PSK);
        cfg.cojp_psk_len = sizeof JP_PSK;
        cfg.jrc_n_pledges = 1;
        memcpy(cfg.jrc_pledge_id[0], JRC_PLEDGE, 8);
        cfg.jrc_pledge_id_len[0] = 8;
    }
    if (g_jp) {
        cfg.cojp = true;
        memcpy(cfg.cojp_psk, JP_PSK, sizeof JP_PSK);
        cfg.cojp_psk_len = sizeof JP_PSK;
        cfg.cojp_rate_window_ms = JP_WINDOW_MS;
    }

    ek_dut d;
    ek_dut_default(&d);
    snprintf(d.name, sizeof d.name, "refnode");
    snprintf(d.radio_uri, sizeof d.radio_uri, "loop:");
    d.caps = legacy ? EK_CAP_SENDS_DIO : EK_CAP_SENDS_DIO | EK_CAP_SENDS_EB | EK_CAP_MEP;
    d.ocp = ocp;   /* the harness announces the OCP the variant needs (MRHOF) */
    d.ep_length = g_ep_length;
    /* declared, as a real device's profile would: the local cost it adds (at least 0x0f) */
    d.max_local_cost = cfg.local_cost > EK_DUT_MAX_LOCAL_COST_DEFAULT ? cfg.local_cost : EK_DUT_MAX_LOCAL_COST_DEFAULT;
    /* what the reference node advertises, declared as a real device's profile would:
     * network ID = the first 8 octets of the DODAGID it joins (fd00::1), P = 0 */
    static const uint8_t nid[8] = { 0xfd, 0x00, 0, 0, 0, 0, 0, 0 };
    d.has_network_id = true;
    memcpy(d.network_id, nid, 8);
    d.network_id_len = 8;
    d.jp_iid_mode = EK_DUT_IID_NONE;
    d.prof = cfg.prof;
    d.has_ext = true;
    memcpy(d.ext, cfg.ext, 8);
    d.pan_id = cfg.pan_id;
    d.dio_imin_ms = cfg.dio_imin_ms;
    d.dio_doublings = cfg.dio_doublings;
    d.dio_redundancy = cfg.dio_redundancy;
    d.eb_period_ms = cfg.eb_period_ms;
    if (g_root) {   /* examples/dut/refdut-zep-root.ini: what a root's profile declares */
        d.role = EK_NODE_ROOT;
        d.caps = EK_CAP_SENDS_DIO | EK_CAP_MEP;
        d.has_network_id = false;
        d.jp_iid_mode = EK_DUT_IID_UNDECLARED;
        snprintf(d.cmd_set_min, sizeof d.cmd_set_min, "min %%u");
        snprintf(d.cmd_set_min_urgent, sizeof d.cmd_set_min_urgent, "min %%u urgent");
        d.has_dodag_size = true;
        d.dodag_size = ROOT_ROUTES;
    }
    if (g_jrc) {   /* examples/dut/refdut-zep-jrc.ini */
        d.role = EK_NODE_JRC;
        d.caps = 0;
        d.has_network_id = false;
        d.jp_iid_mode = EK_DUT_IID_UNDECLARED;
        memcpy(d.cojp_psk, JP_PSK, sizeof JP_PSK);
        d.cojp_psk_len = sizeof JP_PSK;
        memcpy(d.cojp_pledge_id, JRC_PLEDGE, 8);
        d.cojp_pledge_id_len = 8;
        d.cojp_ack_timeout_ms = JP_WINDOW_MS;
    }
    if (g_jp) {   /* examples/dut/refdut-zep-jp.ini: capability cojp and its [cojp] keys */
        d.caps |= EK_CAP_COJP;
        memcpy(d.cojp_psk, JP_PSK, sizeof JP_PSK);
        d.cojp_psk_len = sizeof JP_PSK;
        d.cojp_ack_timeout_ms = JP_WINDOW_MS;
        d.cojp_jp_stateless = !cfg.choices.jp_stateful; /* what the device declares */
    }
    if (cfg.secured) {   /* the DUT profile's [security] section, as the node is configured */
        d.secured = true;
        d.caps |= EK_CAP_SECURED;
        d.k1 = cfg.k1;
        d.k2 = cfg.k2;
        d.eb_level = cfg.eb_level;
        d.dio_level = cfg.dio_level;
        d.asn_nonce = cfg.asn_nonce;
    }

    char err[128];
    peer p = { ek_refnode_new(&cfg, err, sizeof err) };
    cr_assert_not_null(p.n, "ek_refnode_new: %s", err);
    ek_radio_loop_peer lp = { .ctx = &p, .rx = p_rx, .next_event = p_next, .run = p_run };
    ek_radio *loop = ek_radio_loop_new(&lp, 1000000000ull);
    cr_assert_not_null(loop);

    ek_engine_opts o = { .dut = &d, .radio = loop, .manage_dut = false, .reset_hook = p_reset, .reset_ctx = &p,
                         .cmd_hook = p_cmd, .cmd_ctx = &p };
    size_t n;
    const ek_td *const *tds = ek_suites_all(&n);
    cr_assert_leq(n, MAX_TDS);
    ek_engine_run(&o, tds, n, res);
    ek_radio_close(loop);
    ek_refnode_free(p.n);
    last_dut = d;
    return n;
}

static size_t run_suite_ts(ek_mep_profile m, uint64_t seed, ek_refnode_fault fault, const timing *tm, bool secured,
                           ek_td_result *res)
{
    return run_suite_v(m, seed, fault, tm, secured, NULL, false, res);
}

static size_t run_suite(ek_mep_profile m, uint64_t seed, ek_refnode_fault fault, bool secured, ek_td_result *res)
{
    return run_suite_ts(m, seed, fault, NULL, secured, res);
}

/* Applicable to this run: the profile is the TD's, the DUT declares what it needs and
 * plays the TD's role (a 6LR unless g_root). */
static bool applicable(const ek_td *td, ek_mep_profile m, bool secured)
{
    unsigned caps = (g_root ? EK_CAP_SENDS_DIO | EK_CAP_MEP : EK_CAP_SENDS_DIO | EK_CAP_SENDS_EB | EK_CAP_MEP) |
                    (secured ? EK_CAP_SECURED : 0u) | (g_jp ? EK_CAP_COJP : 0u);
    if (g_jrc)
        return (td->profiles & EK_PROF(m)) != 0 && td->needs == 0 && td->role == EK_NODE_JRC;
    return (td->profiles & EK_PROF(m)) != 0 && (td->needs & ~caps) == 0 && !(g_jp && secured) &&
           td->role == (g_root ? EK_NODE_ROOT : EK_NODE_6LR);
}

static const ek_mep_profile profiles[] = { EK_MEP_DRAFT03, EK_MEP_DRAFT04, EK_MEP_DRAFT09, EK_MEP_DRAFT16 };

/* One pass matrix: every profile, N_SEEDS seeds, security off or on. */
static void compliant_matrix(bool secured)
{
    static ek_td_result res[MAX_TDS];
    unsigned pass[MAX_TDS][4] = { { 0 } }, runs = 0, bad = 0, verdicts = 0;
    size_t n = 0;
    for (unsigned pi = 0; pi < 4; pi++) {
        for (uint64_t seed = 1; seed <= N_SEEDS; seed++) {
            n = run_suite(profiles[pi], seed * 0x9e3779b97f4a7c15ull, EK_FAULT_NONE, secured, res);
            runs++;
            for (size_t t = 0; t < n; t++) {
                const ek_td_result *r = &res[t];
                bool want = applicable(r->td, profiles[pi], secured);
                cr_expect_eq(r->applicable, want, "%s %s%s: applicable %d (%s)", r->td->id,
                             ek_mep_profile_name(profiles[pi]), secured ? "+secured" : "", r->applicable,
                             r->na_reason);
                if (!r->applicable)
                    continue;
                verdicts++;
                if (r->verdict == EK_V_PASS) {
                    pass[t][pi]++;
                } else {
                    bad++;
                    cr_expect_eq(r->verdict, EK_V_PASS, "%s %s%s seed %llu: %s: %s", r->td->id,
                                 ek_mep_profile_name(profiles[pi]), secured ? "+secured" : "",
                                 (unsigned long long)seed, ek_verdict_name(r->verdict), r->reason);
                }
            }
        }
    }
    printf("# pass matrix (compliant reference node, security %s, %u seeds per profile)\n", secured ? "ON" : "off",
           N_SEEDS);
    printf("# %-14s %9s %9s %9s %9s\n", "TD", "draft-03", "draft-04", "draft-09", "draft-16");
    size_t nn;
    const ek_td *const *tds = ek_suites_all(&nn);
    for (size_t t = 0; t < n; t++) {
        printf("# %-14s", tds[t]->id);
        for (unsigned pi = 0; pi < 4; pi++) {
            if (applicable(tds[t], profiles[pi], secured))
                printf(" %6u/%-2u", pass[t][pi], N_SEEDS);
            else
                printf(" %9s", "n/a");
        }
        printf("\n");
    }
    printf("# security %s: %u suite runs, %u applicable verdicts, %u non-pass\n", secured ? "ON" : "off", runs,
           verdicts, bad);
    fflush(stdout);
}

Test(proof, compliant_reference_node_passes_every_applicable_td_20_seeds, .timeout = 600)
{
    compliant_matrix(false);
}

/* Secured proof: with link-layer security on, the compliant node passes every applicable
 * TD - the TP-SEC ones and the older ones with their stimuli secured (EK_SSEC_AUTO). */
Test(proof, compliant_secured_node_passes_every_applicable_td_20_seeds, .timeout = 600)
{
    compliant_matrix(true);
}

Test(proof, every_fault_is_caught_by_its_td, .timeout = 600)
{
    static ek_td_result res[MAX_TDS];
    unsigned faults = 0, caught = 0, runs = 0;
    for (int f = EK_FAULT_NONE + 1; f < EK_FAULT_COUNT; f++) {
        const ek_refnode_fault_info *fi = ek_refnode_fault_info_get((ek_refnode_fault)f);
        cr_assert_not_null(fi);
        cr_assert_not_null(ek_suites_find(fi->caught_by), "%s: caught_by %s is no TD", fi->name, fi->caught_by);
        faults++;
        bool ok = true;
        unsigned nprof = 0;
        char list[128];
        snprintf(list, sizeof list, "%s", fi->profiles);
        /* "+pledge": a fault of the reference pledge, run by pledge_proof_test.c */
        if (strstr(list, "+pledge")) {
            faults--;
            continue;
        }
        /* A trailing "+secured" after the whole list ("draft-09,draft-16+secured"): the
         * fault is observable only with link-layer security on (ek/refnode.h). */
        static const char sfx[] = "+secured", rsfx[] = "+root", jsfx[] = "+jp", csfx[] = "+jrc";
        size_t ll = strlen(list);
        bool secured = ll > sizeof sfx - 1 && strcmp(list + ll - (sizeof sfx - 1), sfx) == 0;
        if (secured)
            list[ll - (sizeof sfx - 1)] = '\0';
        /* "+root": a fault of the DODAG root, run against a root DUT */
        ll = strlen(list);
        g_root = ll > sizeof rsfx - 1 && strcmp(list + ll - (sizeof rsfx - 1), rsfx) == 0;
        if (g_root)
            list[ll - (sizeof rsfx - 1)] = '\0';
        /* "+jp": a Join Proxy fault, run against a JP DUT (unsecured: the harness's
         * pledges and JRC send unsecured frames) */
        ll = strlen(list);
        g_jp = ll > sizeof jsfx - 1 && strcmp(list + ll - (sizeof jsfx - 1), jsfx) == 0;
        if (g_jp)
            list[ll - (sizeof jsfx - 1)] = '\0';
        ll = strlen(list);
        g_jrc = ll > sizeof csfx - 1 && strcmp(list + ll - (sizeof csfx - 1), csfx) == 0;
        if (g_jrc)
            list[ll - (sizeof csfx - 1)] = '\0';
        /* The faults are caught with security off (their listed profiles) and
         * with it on too: securing the stimuli must not blunt a TD. */
        char *save = NULL;
        for (char *tok = strtok_r(list, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
            ek_mep_profile m;
            cr_assert(ek_mep_profile_parse(tok, &m), "%s: profile %s", fi->name, tok);
            for (int pass = secured ? 1 : 0; pass < (g_jp || g_jrc ? 1 : 2); pass++) {
                bool sec_on = pass == 1;
                nprof++;
                size_t n = run_suite(m, 0x5eed, (ek_refnode_fault)f, sec_on, res);
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
                printf("# fault %-30s %-8s%-8s%s %s: failing TDs [%s], expected %s\n", fi->name, tok,
                       sec_on ? "+secured" : "", g_root ? " root" : "", hit ? "caught" : "MISSED", failing,
                       fi->caught_by);
                cr_expect(hit, "fault %s under %s%s not caught by %s (failing: %s)", fi->name, tok,
                          sec_on ? "+secured" : "", fi->caught_by, failing[0] ? failing : "none");
            }
        }
        cr_expect_gt(nprof, 0u, "%s lists no profile", fi->name);
        caught += ok && nprof > 0;
        runs += nprof;
        g_root = false;
        g_jp = false;
        g_jrc = false;
    }
    printf("mutation score: %u/%u faults caught (%u fault x profile x security runs)\n", caught, faults, runs);
    fflush(stdout);
}

/* The whole default suite in < 15 s of DUT time at the reference DUT profile's timing
 * (examples/dut/refdut-zep.ini: Imin 16 ms, Imax 512 ms, EB every 50 ms), the security
 * suite included (< 20 s then), and a step trace of one run per profile, security off
 * and on, for the log.  Over ZEP the same run takes about as long. */
Test(proof, default_suite_takes_under_15_s_of_dut_time, .timeout = 120)
{
    static ek_td_result res[MAX_TDS];
    static const timing ref_profile = { 16, 5, 10, 50 };
    for (unsigned k = 0; k < 8; k++) {
        unsigned pi = k % 4;
        bool secured = k >= 4;
        size_t n = run_suite_ts(profiles[pi], 1, EK_FAULT_NONE, &ref_profile, secured, res);
        uint64_t total = 0, total_nonsec = 0;
        unsigned infos = 0;
        printf("# ---- %s%s ----\n", ek_mep_profile_name(profiles[pi]), secured ? " secured" : "");
        for (size_t t = 0; t < n; t++) {
            const ek_td_result *r = &res[t];
            if (!r->applicable)
                continue;
            uint64_t d = r->t_end_ns - r->t_start_ns;
            total += d;
            if (strcmp(r->td->suite, "security") != 0)
                total_nonsec += d;
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
        printf("# %s%s: default suite %llu ms of DUT time, %u INFO step(s)\n", ek_mep_profile_name(profiles[pi]),
               secured ? " secured" : "", (unsigned long long)(total / 1000000u), infos);
        /* the target holds with or without security; the security suite (secured DUTs
         * only) adds about 3.5 s */
        cr_expect_lt(total_nonsec, 15000000000ull, "%s%s: %llu ms without the security suite",
                     ek_mep_profile_name(profiles[pi]), secured ? " secured" : "",
                     (unsigned long long)(total_nonsec / 1000000u));
        cr_expect_lt(total, 20000000000ull, "%s%s: %llu ms", ek_mep_profile_name(profiles[pi]),
                     secured ? " secured" : "", (unsigned long long)(total / 1000000u));
    }
    fflush(stdout);
}

/* The TDs are written in DUT units: other timings of the same compliant node pass too,
 * with security off and on. */
Test(proof, compliant_node_passes_with_other_dut_timings, .timeout = 300)
{
    static ek_td_result res[MAX_TDS];
    static const timing tms[] = {
        { 8, 8, 10, 30 },     /* fast Imin, long Imax: many parent DIOs per interval */
        { 32, 5, 10, 100 },
        { 16, 6, 4, 200 },    /* the smallest redundancy constant the harness allows, slow EBs */
        { 64, 10, 10, 40 },   /* EBs faster than Imin */
    };
    for (unsigned sec = 0; sec < 2; sec++) {   /* security off, then on */
        for (size_t k = 0; k < sizeof tms / sizeof tms[0]; k++) {
            for (unsigned pi = 0; pi < 4; pi++) {
                for (uint64_t seed = 1; seed <= 5; seed++) {
                    size_t n = run_suite_ts(profiles[pi], seed, EK_FAULT_NONE, &tms[k], sec == 1, res);
                    for (size_t t = 0; t < n; t++) {
                        const ek_td_result *r = &res[t];
                        if (r->applicable)
                            cr_expect_eq(r->verdict, EK_V_PASS,
                                         "Imin %u doublings %u k %u EB %u, %s%s seed %llu: %s: %s", tms[k].imin_ms,
                                         tms[k].doublings, tms[k].redundancy, tms[k].eb_ms,
                                         ek_mep_profile_name(profiles[pi]), sec ? "+secured" : "",
                                         (unsigned long long)seed, ek_verdict_name(r->verdict), r->reason);
                    }
                }
            }
        }
    }
}

/* ---- false verdicts: compliant variants ---- */

#define VARIANT_SEEDS 5

/* Every compliant variant x every profile x VARIANT_SEEDS seeds, security off and on:
 * zero FAIL / INCONC / ERROR allowed.  The rate is printed beside the mutation score. */
Test(proof, every_compliant_variant_passes_every_applicable_td, .timeout = 900)
{
    static ek_td_result res[MAX_TDS];
    const ek_refnode_variant_info *v;
    size_t nv = ek_refnode_variants(&v);
    cr_assert_geq(nv, 20, "only %zu compliant variants", nv);
    unsigned long verdicts = 0, false_verdicts = 0, runs = 0;
    for (size_t vi = 0; vi < nv; vi++) {
        unsigned bad_v = 0;
        for (unsigned sec = 0; sec < 2; sec++) {
            for (unsigned pi = 0; pi < 4; pi++) {
                for (uint64_t seed = 1; seed <= VARIANT_SEEDS; seed++) {
                    size_t n = run_suite_v(profiles[pi], seed * 0x2545f4914f6cdd1dull, EK_FAULT_NONE, NULL, sec == 1,
                                           v[vi].name, false, res);
                    runs++;
                    for (size_t t = 0; t < n; t++) {
                        const ek_td_result *r = &res[t];
                        if (!r->applicable)
                            continue;
                        verdicts++;
                        if (r->verdict != EK_V_PASS) {
                            false_verdicts++;
                            bad_v++;
                            cr_expect_eq(r->verdict, EK_V_PASS, "variant %s, %s%s seed %llu: %s: %s", v[vi].name,
                                         ek_mep_profile_name(profiles[pi]), sec ? "+secured" : "",
                                         (unsigned long long)seed, ek_verdict_name(r->verdict), r->reason);
                        }
                    }
                }
            }
        }
        printf("# variant %-28s %s\n", v[vi].name, bad_v ? "FALSE VERDICTS" : "all pass");
    }
    printf("false-verdict rate: %lu/%lu applicable verdicts over %zu compliant variants (%lu suite runs)\n",
           false_verdicts, verdicts, nv, runs);
    fflush(stdout);
}

/* A 6LR without the option (legacy mode: the type is unknown to it, no EBs) passes every
 * TD that applies to capabilities "dio", and at least five apply. */
Test(proof, legacy_node_passes_the_tds_that_apply_to_it, .timeout = 300)
{
    static ek_td_result res[MAX_TDS];
    for (unsigned sec = 0; sec < 2; sec++) {
        for (unsigned pi = 0; pi < 4; pi++) {
            for (uint64_t seed = 1; seed <= 10; seed++) {
                size_t n = run_suite_v(profiles[pi], seed, EK_FAULT_NONE, NULL, sec == 1, NULL, true, res);
                unsigned napp = 0;
                for (size_t t = 0; t < n; t++) {
                    const ek_td_result *r = &res[t];
                    char why[EK_MSG_MAX];
                    cr_expect_eq(r->applicable, ek_td_applicable(r->td, &last_dut, why, sizeof why), "%s",
                                 r->td->id);
                    if (!r->applicable)
                        continue;
                    napp++;
                    cr_expect_eq(r->verdict, EK_V_PASS, "legacy %s%s seed %llu: %s: %s: %s",
                                 ek_mep_profile_name(profiles[pi]), sec ? "+secured" : "", (unsigned long long)seed,
                                 r->td->id, ek_verdict_name(r->verdict), r->reason);
                }
                cr_expect_geq(napp, 5u, "legacy %s: only %u TDs apply", ek_mep_profile_name(profiles[pi]), napp);
            }
        }
    }
}

/* Faults observable in legacy mode are caught there by their legacy_caught_by TD. */
Test(proof, legacy_faults_are_caught, .timeout = 300)
{
    static ek_td_result res[MAX_TDS];
    unsigned faults = 0, caught = 0;
    for (int f = EK_FAULT_NONE + 1; f < EK_FAULT_COUNT; f++) {
        const ek_refnode_fault_info *fi = ek_refnode_fault_info_get((ek_refnode_fault)f);
        if (!fi->legacy_caught_by || !fi->legacy_caught_by[0])
            continue;
        cr_assert_not_null(ek_suites_find(fi->legacy_caught_by), "%s: %s is no TD", fi->name, fi->legacy_caught_by);
        faults++;
        bool ok = true;
        for (unsigned pi = 0; pi < 4; pi++) {
            size_t n = run_suite_v(profiles[pi], 0x1e9, (ek_refnode_fault)f, NULL, false, NULL, true, res);
            bool named = false;
            char failing[512] = "";
            for (size_t t = 0; t < n; t++) {
                if (!res[t].applicable || res[t].verdict != EK_V_FAIL)
                    continue;
                named = named || strcmp(res[t].td->id, fi->legacy_caught_by) == 0;
                size_t at = strlen(failing);
                snprintf(failing + at, sizeof failing - at, "%s%s", at ? "," : "", res[t].td->id);
            }
            ok = ok && named;
            printf("# legacy fault %-26s %-8s: failing TDs [%s], expected %s\n", fi->name,
                   ek_mep_profile_name(profiles[pi]), failing, fi->legacy_caught_by);
            cr_expect(named, "legacy fault %s under %s not caught by %s (failing: %s)", fi->name,
                      ek_mep_profile_name(profiles[pi]), fi->legacy_caught_by, failing[0] ? failing : "none");
        }
        caught += ok;
    }
    cr_expect_geq(faults, 3u);
    printf("legacy mutation score: %u/%u faults caught\n", caught, faults);
    fflush(stdout);
}

/* A draft-16 DUT built from the printed "Opt Length = 4" (drafts -10..-16) is sent that
 * form (profile ep_length = 4): every compliant variant still passes everything. */
Test(proof, harness_sending_the_length_4_form_has_no_false_verdicts, .timeout = 300)
{
    static ek_td_result res[MAX_TDS];
    const ek_refnode_variant_info *v;
    size_t nv = ek_refnode_variants(&v);
    unsigned verdicts = 0;
    g_ep_length = 4;
    for (size_t vi = 0; vi < nv; vi++) {
        for (uint64_t seed = 1; seed <= 2; seed++) {
            size_t n = run_suite_v(EK_MEP_DRAFT16, seed, EK_FAULT_NONE, NULL, seed == 2, v[vi].name, false, res);
            for (size_t t = 0; t < n; t++) {
                if (!res[t].applicable)
                    continue;
                verdicts++;
                cr_expect_eq(res[t].verdict, EK_V_PASS, "Length-4 stimuli, variant %s seed %llu: %s: %s: %s",
                             v[vi].name, (unsigned long long)seed, res[t].td->id, ek_verdict_name(res[t].verdict),
                             res[t].reason);
            }
        }
    }
    g_ep_length = 0;
    cr_expect_gt(verdicts, 0u);
}

/* ---- the DODAG root (role root) ---- */

#define ROOT_SEEDS 3

/* Every compliant variant as a root (the root choices - deferred DIO, a coarse size - and
 * every 6LR choice that still shows in a root: Trickle phase, the Length-4 form), every
 * profile, ROOT_SEEDS seeds, security off and on: every root TD that applies passes, and
 * every 6LR TD is not applicable (role).  The false-verdict rate of the root TDs is
 * printed. */
Test(proof, every_compliant_root_variant_passes_the_root_tds, .timeout = 600)
{
    static ek_td_result res[MAX_TDS];
    const ek_refnode_variant_info *v;
    size_t nv = ek_refnode_variants(&v);
    unsigned long verdicts = 0, false_verdicts = 0, infos = 0;
    g_root = true;
    for (size_t vi = 0; vi < nv; vi++) {
        unsigned bad_v = 0;
        for (unsigned sec = 0; sec < 2; sec++) {
            for (unsigned pi = 0; pi < 4; pi++) {
                for (uint64_t seed = 1; seed <= ROOT_SEEDS; seed++) {
                    size_t n = run_suite_v(profiles[pi], seed * 0x2545f4914f6cdd1dull, EK_FAULT_NONE, NULL, sec == 1,
                                           v[vi].name, false, res);
                    unsigned napp = 0;
                    for (size_t t = 0; t < n; t++) {
                        const ek_td_result *r = &res[t];
                        cr_expect_eq(r->applicable, applicable(r->td, profiles[pi], sec == 1), "%s %s: %s",
                                     r->td->id, ek_mep_profile_name(profiles[pi]), r->na_reason);
                        if (!r->applicable)
                            continue;
                        napp++;
                        verdicts++;
                        infos += r->info;
                        if (r->verdict != EK_V_PASS) {
                            false_verdicts++;
                            bad_v++;
                            cr_expect_eq(r->verdict, EK_V_PASS, "root variant %s, %s%s seed %llu: %s: %s",
                                         v[vi].name, ek_mep_profile_name(profiles[pi]), sec ? "+secured" : "",
                                         (unsigned long long)seed, ek_verdict_name(r->verdict), r->reason);
                        }
                    }
                    /* TP-EP-01 and -08 in every profile, -02 and -03 in draft-09/-16 */
                    cr_expect_eq(napp, profiles[pi] == EK_MEP_DRAFT09 || profiles[pi] == EK_MEP_DRAFT16 ? 4u : 2u,
                                 "%s: %u root TDs applied", ek_mep_profile_name(profiles[pi]), napp);
                }
            }
        }
        printf("# root variant %-28s %s\n", v[vi].name, bad_v ? "FALSE VERDICTS" : "all pass");
    }
    g_root = false;
    printf("root false-verdict rate: %lu/%lu applicable verdicts over %zu compliant variants (%lu with INFO notes)\n",
           false_verdicts, verdicts, nv, infos);
    fflush(stdout);
}

/* The root's INFO steps can fire: a coarse size (128 for 100 routes) is INFO on TP-EP-01
 * and a deferred routine change INFO on TP-EP-08; the default root is quick and tight. */
static const ek_td_result *find_res(const ek_td_result *res, size_t n, const char *id)
{
    for (size_t t = 0; t < n; t++)
        if (strcmp(res[t].td->id, id) == 0)
            return &res[t];
    return NULL;
}

Test(proof, root_info_notes_name_the_choice)
{
    static ek_td_result res[MAX_TDS];
    g_root = true;
    size_t n = run_suite_v(EK_MEP_DRAFT16, 7, EK_FAULT_NONE, NULL, false, "default", false, res);
    const ek_td_result *r01 = find_res(res, n, "TP-EP-01"), *r08 = find_res(res, n, "TP-EP-08");
    cr_assert(r01 && r08);
    cr_expect_eq(r01->verdict, EK_V_PASS, "%s", r01->reason);
    cr_expect_not(r01->info, "the default root's size is the tightest");
    cr_expect_not(r08->info, "the default root resets Trickle on a change");
    n = run_suite_v(EK_MEP_DRAFT16, 7, EK_FAULT_NONE, NULL, false, "root-size-coarse", false, res);
    r01 = find_res(res, n, "TP-EP-01");
    cr_expect_eq(r01->verdict, EK_V_PASS, "%s", r01->reason);
    cr_expect(r01->info && r01->steps[4].info, "a size of 128 for 100 routes is an INFO note");
    cr_expect(strstr(r01->steps[4].msg, "is 104") != NULL, "%s", r01->steps[4].msg);
    n = run_suite_v(EK_MEP_DRAFT16, 7, EK_FAULT_NONE, NULL, false, "root-deferred-trickle-late", false, res);
    r08 = find_res(res, n, "TP-EP-08");
    cr_expect_eq(r08->verdict, EK_V_PASS, "%s", r08->reason);
    cr_expect(r08->info && r08->steps[5].info, "a deferred change is an INFO note: %s", r08->steps[5].msg);
    g_root = false;
}

/* TP-EP-08 can fail: a root whose timer runs one doubling beyond the Imax it advertises,
 * every DIO at the end of its interval (trickle-too-slow), and that defers routine
 * changes shows the lowered minimum later than 1.5 of its advertised Imax. */
Test(proof, root_slower_than_its_own_trickle_fails_tp_ep_08)
{
    static ek_td_result res[MAX_TDS];
    g_root = true;
    unsigned fails = 0;
    for (uint64_t seed = 1; seed <= 4; seed++) {
        size_t n = run_suite_v(profiles[seed % 4], seed, EK_FAULT_TRICKLE_TOO_SLOW, NULL, false, "root-deferred",
                               false, res);
        const ek_td_result *r08 = find_res(res, n, "TP-EP-08");
        cr_assert(r08);
        printf("# slow root %s: TP-EP-08 %s: %s\n", ek_mep_profile_name(profiles[seed % 4]),
               ek_verdict_name(r08->verdict), r08->reason);
        fails += r08->verdict == EK_V_FAIL;
    }
    g_root = false;
    cr_expect_eq(fails, 4u, "TP-EP-08 failed %u of 4 slow roots", fails);
}

/* ---- the Join Proxy (capability cojp) ---- */

#define JP_SEEDS 3

/* Every compliant variant as a Join Proxy (the JP choices - stateful, no DSCP - and every
 * 6LR choice), every profile, JP_SEEDS seeds, security off: every TD that applies passes,
 * the six cojp TDs among them; a JP without DSCP AF43 passes TP-CJ-03 with an INFO note. */
Test(proof, every_compliant_jp_variant_passes_the_cojp_tds, .timeout = 600)
{
    static ek_td_result res[MAX_TDS];
    const ek_refnode_variant_info *v;
    size_t nv = ek_refnode_variants(&v);
    unsigned long verdicts = 0, false_verdicts = 0, infos = 0;
    g_jp = true;
    for (size_t vi = 0; vi < nv; vi++) {
        if (v[vi].choices.root_deferred || v[vi].choices.root_size_coarse)
            continue; /* a root's choices */
        unsigned bad_v = 0;
        for (unsigned pi = 0; pi < 4; pi++) {
            for (uint64_t seed = 1; seed <= JP_SEEDS; seed++) {
                size_t n = run_suite_v(profiles[pi], seed * 0x9e3779b97f4a7c15ull, EK_FAULT_NONE, NULL, false,
                                       v[vi].name, false, res);
                unsigned ncojp = 0;
                for (size_t t = 0; t < n; t++) {
                    const ek_td_result *r = &res[t];
                    cr_expect_eq(r->applicable, applicable(r->td, profiles[pi], false), "%s %s: %s", r->td->id,
                                 ek_mep_profile_name(profiles[pi]), r->na_reason);
                    if (!r->applicable)
                        continue;
                    verdicts++;
                    infos += r->info;
                    ncojp += strcmp(r->td->suite, "cojp") == 0;
                    if (r->verdict != EK_V_PASS) {
                        false_verdicts++;
                        bad_v++;
                        cr_expect_eq(r->verdict, EK_V_PASS, "JP variant %s, %s seed %llu: %s: %s: %s", v[vi].name,
                                     ek_mep_profile_name(profiles[pi]), (unsigned long long)seed, r->td->id,
                                     ek_verdict_name(r->verdict), r->reason);
                    }
                    if (strcmp(r->td->id, "TP-CJ-03") == 0)
                        cr_expect_eq(r->info, v[vi].choices.jp_no_dscp, "JP variant %s: TP-CJ-03 INFO %d", v[vi].name,
                                     r->info);
                }
                cr_expect_eq(ncojp, 6u, "%s: %u cojp TDs applied", ek_mep_profile_name(profiles[pi]), ncojp);
            }
        }
        printf("# JP variant %-28s %s\n", v[vi].name, bad_v ? "FALSE VERDICTS" : "all pass");
    }
    g_jp = false;
    printf("JP false-verdict rate: %lu/%lu applicable verdicts (%lu with INFO notes)\n", false_verdicts, verdicts,
           infos);
    fflush(stdout);
}

/* A 6LR without the cojp capability: the cojp TDs are not applicable, never a FAIL. */
Test(proof, a_6lr_without_cojp_gets_no_cojp_verdict)
{
    static ek_td_result res[MAX_TDS];
    size_t n = run_suite_v(EK_MEP_DRAFT16, 3, EK_FAULT_NONE, NULL, false, "default", false, res);
    unsigned ncojp = 0;
    for (size_t t = 0; t < n; t++)
        if (strcmp(res[t].td->suite, "cojp") == 0) {
            ncojp++;
            cr_expect_not(res[t].applicable, "%s applies to a 6LR without cojp", res[t].td->id);
            cr_expect(strstr(res[t].na_reason, "cojp") != NULL, "%s: %s", res[t].td->id, res[t].na_reason);
        }
    cr_expect_eq(ncojp, 6u);
}

/* ---- the JRC (role jrc) ---- */

/* The reference JRC and its compliant variant (responses with their own Partial IV), every
 * profile, JP_SEEDS seeds: the five JRC TDs apply and pass, no other TD applies. */
Test(proof, the_compliant_jrc_passes_the_jrc_tds, .timeout = 600)
{
    static ek_td_result res[MAX_TDS];
    static const char *const vars[] = { "default", "jrc-response-piv" };
    unsigned long verdicts = 0;
    g_jrc = true;
    for (unsigned vi = 0; vi < 2; vi++)
        for (unsigned pi = 0; pi < 4; pi++)
            for (uint64_t seed = 1; seed <= JP_SEEDS; seed++) {
                size_t n = run_suite_v(profiles[pi], seed, EK_FAULT_NONE, NULL, false, vars[vi], false, res);
                unsigned napp = 0;
                for (size_t t = 0; t < n; t++) {
                    const ek_td_result *r = &res[t];
                    cr_expect_eq(r->applicable, applicable(r->td, profiles[pi], false), "%s: %s", r->td->id,
                                 r->na_reason);
                    if (!r->applicable)
                        continue;
                    napp++;
                    verdicts++;
                    cr_expect_eq(r->verdict, EK_V_PASS, "JRC %s, %s seed %llu: %s: %s: %s", vars[vi],
                                 ek_mep_profile_name(profiles[pi]), (unsigned long long)seed, r->td->id,
                                 ek_verdict_name(r->verdict), r->reason);
                }
                cr_expect_eq(napp, 5u, "%u JRC TDs applied", napp);
            }
    g_jrc = false;
    printf("JRC: %lu applicable verdicts\n", verdicts);
}

/* The JRC's persisted state record: what ek_refnode_jrc_state writes (per pledge: id
 * length, id, the 20-octet OSCORE state), a new node restores; a damaged one is refused. */
Test(proof, jrc_state_survives_a_new_process)
{
    ek_refnode_cfg cfg;
    ek_refnode_cfg_default(&cfg);
    cfg.jrc = true;
    memcpy(cfg.cojp_psk, JP_PSK, sizeof JP_PSK);
    cfg.cojp_psk_len = sizeof JP_PSK;
    cfg.jrc_n_pledges = 1;
    memcpy(cfg.jrc_pledge_id[0], JRC_PLEDGE, 8);
    cfg.jrc_pledge_id_len[0] = 8;
    char err[128];
    ek_refnode *a = ek_refnode_new(&cfg, err, sizeof err);
    cr_assert_not_null(a, "%s", err);
    uint8_t rec[256];
    size_t n0 = ek_refnode_jrc_state(a, rec, sizeof rec);
    cr_assert_eq(n0, 1 + 8 + 20); /* id length, id, ek_oscore_state_save */
    ek_refnode *b = ek_refnode_new(&cfg, err, sizeof err);
    cr_assert(ek_refnode_jrc_restore(b, rec, n0));
    rec[0] = 200; /* a length running past the record */
    cr_assert_not(ek_refnode_jrc_restore(b, rec, n0));
    ek_refnode_free(a);
    ek_refnode_free(b);
}
