/* SPDX-License-Identifier: BSD-3-Clause */
/* The TD registry as data: stable IDs and run order, suites, well-formed steps (known
 * matcher keys, replay targets, precondition shape) and deterministic docs output. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/match.h"
#include "ek/suites.h"

static const char *const order[] = {
    "TP-EP-13", "TP-EP-14", "TP-EP-04", "TP-EP-06", "TP-EP-10", "TP-EP-11", "TP-EP-12", "TP-EP-05",
    "TP-EP-07", "TP-EP-09", "TP-EB-01", "TP-EB-09", "TP-ATK-S2", "TP-ATK-S3", "TP-ATK-S4", "TP-ATK-S6",
    "TP-ATK-REPLAY", "TP-LEG-01", "TP-LEG-02", "TP-LEG-03", "TP-LEG-04", "TP-LEG-05", "TP-LEG-06", "TP-SEC-01", "TP-SEC-02", "TP-SEC-03", "TP-SEC-04", "TP-SEC-05", "TP-SEC-06",
    "TP-EP-01", "TP-EP-02", "TP-EP-03", "TP-EP-08",
    "TP-EP-10b", "TP-CJ-01", "TP-CJ-02", "TP-CJ-03", "TP-CJ-04", "TP-ATK-S12",
    "TP-JRC-01", "TP-JRC-02", "TP-JRC-03", "TP-JRC-04", "TP-JRC-05",
    "TP-EB-03", "TP-EB-05", "TP-EB-02", "TP-EB-08", "TP-EB-06", "TP-EB-04",
    "TP-SEC-03-pledge", "TP-SEC-04-pledge", "TP-SEC-02-pledge",
};
#define N_ORDER (sizeof order / sizeof order[0])

Test(registry, run_order_is_the_documented_one)
{
    size_t n;
    const ek_td *const *all = ek_suites_all(&n);
    cr_assert_eq(n, N_ORDER);
    for (size_t i = 0; i < n; i++) {
        cr_expect_str_eq(all[i]->id, order[i]);
        cr_expect_eq(ek_suites_find(order[i]), all[i]);
    }
    cr_expect_null(ek_suites_find("TP-EP-99"));
    cr_expect_null(ek_suites_find("tp-ep-06"));   /* case-sensitive */
    cr_expect_null(ek_suites_find(NULL));
}

Test(registry, suites_partition_the_default_suite)
{
    const ek_td *out[64];
    size_t n, ns;
    ek_suites_all(&n);
    const ek_suite_info *s = ek_suites_list(&ns);
    cr_assert_eq(ns, 10);
    cr_expect_str_eq(s[0].name, "default");
    cr_expect_eq(ek_suites_select("default", out, 64), (int)n);
    int ep = ek_suites_select("ep", out, 64);
    cr_expect_eq(ep, 10);
    for (int i = 0; i < ep; i++)
        cr_expect_str_eq(out[i]->suite, "ep");
    int eb = ek_suites_select("eb", out, 64), atk = ek_suites_select("attack", out, 64);
    cr_expect_eq(eb, 2);
    cr_expect_eq(atk, 5);
    int sec = ek_suites_select("security", out, 64);
    cr_expect_eq(sec, 6);
    for (int i = 0; i < sec; i++) {
        cr_expect_str_eq(out[i]->suite, "security");
        /* not applicable to unsecured DUTs, nor to ones that send no DIO / EB */
        cr_expect_eq(out[i]->needs & (EK_CAP_SECURED | EK_CAP_SENDS_DIO | EK_CAP_SENDS_EB),
                     EK_CAP_SECURED | EK_CAP_SENDS_DIO | EK_CAP_SENDS_EB, "%s", out[i]->id);
    }
    int leg = ek_suites_select("legacy", out, 64);
    cr_expect_eq(leg, 6);
    for (int i = 0; i < leg; i++) {
        /* the legacy suite runs against any 6LR: it needs nothing but DIOs */
        cr_expect_str_eq(out[i]->suite, "legacy");
        cr_expect_eq(out[i]->needs, EK_CAP_SENDS_DIO, "%s", out[i]->id);
        cr_expect_eq(out[i]->profiles, EK_PROF_ALL, "%s", out[i]->id);
    }
    int root = ek_suites_select("root", out, 64);
    cr_expect_eq(root, 4);
    for (int i = 0; i < root; i++) {
        /* the DODAG root's TDs apply to role root only; every other TD to a 6LR */
        cr_expect_str_eq(out[i]->suite, "root");
        cr_expect_eq(out[i]->role, EK_NODE_ROOT, "%s", out[i]->id);
        cr_expect_eq(out[i]->needs, EK_CAP_SENDS_DIO | EK_CAP_MEP, "%s", out[i]->id);
    }
    int cojp = ek_suites_select("cojp", out, 64);
    cr_expect_eq(cojp, 6);
    for (int i = 0; i < cojp; i++) {
        /* a Join Proxy's CoJP TDs need the cojp capability: a 6LR without it gets n/a */
        cr_expect_eq(out[i]->role, EK_NODE_6LR, "%s", out[i]->id);
        cr_expect_neq(out[i]->needs & EK_CAP_COJP, 0u, "%s", out[i]->id);
        cr_expect_not_null(out[i]->agent, "%s", out[i]->id);
    }
    int jrc = ek_suites_select("jrc", out, 64);
    cr_expect_eq(jrc, 5);
    for (int i = 0; i < jrc; i++) {
        cr_expect_eq(out[i]->role, EK_NODE_JRC, "%s", out[i]->id);
        cr_expect_not_null(out[i]->agent, "%s", out[i]->id);
    }
    int pledge = ek_suites_select("pledge", out, 64);
    cr_expect_eq(pledge, 9);
    for (int i = 0; i < pledge; i++) {
        /* a pledge's TDs apply to role pledge only and need the harness's JPs and JRC */
        cr_expect_eq(out[i]->role, EK_NODE_PLEDGE, "%s", out[i]->id);
        cr_expect_eq(out[i]->needs, EK_CAP_PLEDGE, "%s", out[i]->id);
        cr_expect_not_null(out[i]->agent, "%s", out[i]->id);
    }
    cr_expect_eq((size_t)(ep + eb + atk + sec + leg + root + cojp + jrc + pledge), n);
    cr_expect_eq(ek_suites_select("nope", out, 64), -1);
    cr_expect_eq(ek_suites_select("ep", out, 3), 3);   /* capacity honoured */
    cr_expect_str_eq(out[2]->id, "TP-EP-04");
}

Test(registry, every_td_is_well_formed)
{
    size_t n;
    const ek_td *const *all = ek_suites_all(&n);
    for (size_t t = 0; t < n; t++) {
        const ek_td *td = all[t];
        cr_expect(td->title && td->objective && td->refs && td->config, "%s: text missing", td->id);
        /* every TD says where each expectation comes from */
        cr_expect(td->rule && strstr(td->rule, "§"), "%s: no expectation rule citing a section", td->id);
        cr_expect_neq(td->profiles, 0u, "%s: no profile", td->id);
        cr_expect_eq(td->profiles & ~EK_PROF_ALL, 0u, "%s", td->id);
        cr_expect(td->n_steps >= 2 && td->n_steps <= EK_TD_MAX_STEPS, "%s: %u steps", td->id, td->n_steps);
        for (size_t u = 0; u < t; u++)
            cr_expect_str_neq(all[u]->id, td->id);
        /* Precondition shape: a parent starts periodic DIOs first (A; B in TP-EP-13 and
         * TP-LEG-01, whose A DIOs are the stimulus under test) and the DUT's join is checked. */
        cr_expect_eq(td->steps[0].kind, EK_STEP_INJECT, "%s", td->id);
        if (td->role == EK_NODE_JRC) {
            /* a JRC is silent until asked: the harness's pledge asks first */
            cr_expect_eq(td->steps[0].stim.kind, EK_STIM_AGENT, "%s", td->id);
            continue;
        }
        if (td->role == EK_NODE_PLEDGE) {
            /* a pledge listens first: the harness's Join Proxies beacon periodically, and the
             * pledge's join traffic is judged as CoAP frames */
            cr_expect_eq(td->steps[0].stim.kind, EK_STIM_AGENT, "%s", td->id);
            cr_expect_neq(td->steps[0].stim.every.n, 0u, "%s", td->id);
            unsigned k = 0;
            while (k < td->n_steps && td->steps[k].kind == EK_STEP_INJECT)
                k++;
            cr_expect(k < td->n_steps && td->steps[k].match.cls == EK_CLASS_COAP, "%s", td->id);
            cr_expect_not_null(td->agent, "%s", td->id);
            continue;
        }
        if (td->role == EK_NODE_ROOT) {
            /* a root DUT is configured through its control command, then heard */
            cr_expect_eq(td->steps[0].stim.kind, EK_STIM_CMD, "%s", td->id);
        } else {
            cr_expect_eq(td->role, EK_NODE_6LR, "%s", td->id);
            bool b_first = strcmp(td->id, "TP-EP-13") == 0 || strcmp(td->id, "TP-LEG-01") == 0;
            cr_expect_eq(td->steps[0].stim.from, b_first ? EK_ROLE_B : EK_ROLE_A, "%s", td->id);
            cr_expect_neq(td->steps[0].stim.every.n, 0u, "%s", td->id);
        }
        cr_expect_eq(td->steps[1].kind, EK_STEP_EXPECT, "%s", td->id);
        cr_expect_eq(td->steps[1].match.cls, EK_CLASS_DIO, "%s", td->id);
        cr_expect_eq(td->steps[1].on_timeout, EK_V_INCONC, "%s", td->id);
        for (unsigned i = 0; i < td->n_steps; i++) {
            const ek_step *s = &td->steps[i];
            cr_expect(s->what && s->what[0], "%s step %u: no text", td->id, i + 1);
            cr_expect_eq(s->profiles & ~td->profiles, 0u, "%s step %u", td->id, i + 1);
            for (int c = 0; c < EK_MATCH_MAX_CONDS && s->match.conds[c].field; c++)
                cr_expect(ek_match_key_known(s->match.conds[c].field), "%s step %u: key %s", td->id, i + 1,
                          s->match.conds[c].field);
            if (s->kind == EK_STEP_INJECT && s->stim.kind == EK_STIM_REPLAY) {
                unsigned r = s->stim.replay_step;
                cr_expect(r >= 1 && r <= i && td->steps[r - 1].kind == EK_STEP_INJECT, "%s step %u", td->id,
                          i + 1);
            }
            if (s->kind == EK_STEP_INJECT && (s->stim.fc == EK_FC_SAME_AS_STEP || s->stim.fc == EK_FC_REWOUND)) {
                unsigned r = s->stim.fc_step;
                cr_expect(r >= 1 && r <= i && td->steps[r - 1].kind == EK_STEP_INJECT &&
                              td->steps[r - 1].stim.from == s->stim.from,
                          "%s step %u: fc_step %u is not an earlier INJECT by the same role", td->id, i + 1, r);
            }
            /* security variations only in TDs that need a secured DUT */
            if (s->kind == EK_STEP_INJECT && (s->stim.sec != EK_SSEC_AUTO || s->stim.fc != EK_FC_NEXT ||
                                              s->stim.kind == EK_STIM_EB))
                cr_expect(td->needs & EK_CAP_SECURED, "%s step %u: security stimulus in an unsecured TD", td->id,
                          i + 1);
            if (s->kind == EK_STEP_EXPECT || s->kind == EK_STEP_ALWAYS || s->kind == EK_STEP_EXPECT_NOT)
                cr_expect_neq(s->window.n, 0u, "%s step %u: empty window", td->id, i + 1);
        }
    }
}

static char *render(void (*fn)(FILE *), size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    cr_assert_not_null(f);
    fn(f);
    fclose(f);
    return buf;
}

Test(registry, markdown_is_deterministic_and_complete)
{
    size_t a_len, b_len, n;
    char *a = render(ek_suites_write_markdown, &a_len), *b = render(ek_suites_write_markdown, &b_len);
    cr_assert_eq(a_len, b_len);
    cr_expect_eq(memcmp(a, b, a_len), 0);
    const ek_td *const *all = ek_suites_all(&n);
    for (size_t t = 0; t < n; t++) {
        char h[64];
        snprintf(h, sizeof h, "## %s: ", all[t]->id);
        cr_expect_not_null(strstr(a, h), "no section for %s", all[t]->id);
    }
    cr_expect_not_null(strstr(a, "## Requirement traceability"));
    cr_expect_not_null(strstr(a, "| EP-12 | TP-EP-05, TP-ATK-S2, TP-ATK-REPLAY, TP-SEC-06 |"));
    cr_expect_not_null(strstr(a, "## Reference DUT faults"));
    cr_expect_not_null(strstr(a, "`ignore-option`"));
    cr_expect_not_null(strstr(a, "within 2 Imin"));
    cr_expect_not_null(strstr(a, "| S1 | TP-SEC-01, TP-SEC-03, TP-SEC-04 |"));
    cr_expect_not_null(strstr(a, "| S9 | TP-SEC-05 |"));
    cr_expect_not_null(strstr(a, "| EP-12 | TP-EP-05, TP-ATK-S2, TP-ATK-REPLAY, TP-SEC-06 | draft-16 §3.2; RFC 6550 §7.2 |"));
    cr_expect_null(strstr(a, "UNDEFINED"), "a requirement ID cited by a TD has no entry in req_defs (registry.c)");
    cr_expect_not_null(strstr(a, "frame counter of step 4 minus 0x1"));
    free(a);
    free(b);
}

Test(registry, list_has_one_line_per_td)
{
    size_t len, n;
    char *l = render(ek_suites_write_list, &len);
    ek_suites_all(&n);
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += l[i] == '\n';
    cr_expect_eq(lines, n);
    cr_expect_not_null(strstr(l, "TP-EP-06"));
    cr_expect_not_null(strstr(l, "draft-09,draft-16"));
    free(l);
}
