/* SPDX-License-Identifier: BSD-3-Clause */
/* The TTCN-3 verdict lattice (none < pass < inconc < fail < error), verdict names and
 * the run's exit code (0 all pass, 1 any fail, 2 error/inconclusive). */
#include <criterion/criterion.h>

#include "ek/engine.h"

Test(verdict, merge_only_moves_up_the_lattice)
{
    static const ek_verdict all[] = { EK_V_NONE, EK_V_PASS, EK_V_INCONC, EK_V_FAIL, EK_V_ERROR };
    for (size_t i = 0; i < 5; i++)
        for (size_t j = 0; j < 5; j++) {
            ek_verdict m = ek_verdict_merge(all[i], all[j]);
            cr_assert_eq(m, all[i > j ? i : j], "%zu %zu", i, j);
            cr_assert_eq(m, ek_verdict_merge(all[j], all[i]));   /* commutative */
        }
    /* a later pass never hides an earlier fail (TTCN-3 overwrite rule) */
    cr_assert_eq(ek_verdict_merge(EK_V_FAIL, EK_V_PASS), EK_V_FAIL);
    cr_assert_eq(ek_verdict_merge(EK_V_INCONC, EK_V_PASS), EK_V_INCONC);
    cr_assert_eq(ek_verdict_merge(EK_V_FAIL, EK_V_ERROR), EK_V_ERROR);
}

Test(verdict, names_are_the_ttcn3_words)
{
    cr_assert_str_eq(ek_verdict_name(EK_V_NONE), "none");
    cr_assert_str_eq(ek_verdict_name(EK_V_PASS), "pass");
    cr_assert_str_eq(ek_verdict_name(EK_V_INCONC), "inconc");
    cr_assert_str_eq(ek_verdict_name(EK_V_FAIL), "fail");
    cr_assert_str_eq(ek_verdict_name(EK_V_ERROR), "error");
    cr_assert_str_eq(ek_verdict_name((ek_verdict)42), "?");
}

static ek_td_result res(ek_verdict v, bool applicable)
{
    ek_td_result r;
    memset(&r, 0, sizeof r);
    r.verdict = v;
    r.applicable = applicable;
    return r;
}

Test(verdict, exit_code_fail_wins_over_error_and_na_is_ignored)
{
    ek_td_result r[4];
    r[0] = res(EK_V_PASS, true);
    r[1] = res(EK_V_FAIL, false);   /* not applicable: ignored whatever it says */
    cr_assert_eq(ek_engine_exit_code(r, 2), 0);
    r[2] = res(EK_V_INCONC, true);
    cr_assert_eq(ek_engine_exit_code(r, 3), 2);
    r[3] = res(EK_V_ERROR, true);
    cr_assert_eq(ek_engine_exit_code(r, 4), 2);
    r[1].applicable = true;
    cr_assert_eq(ek_engine_exit_code(r, 4), 1);   /* any fail -> 1, even with errors */
    cr_assert_eq(ek_engine_exit_code(r, 0), 0);
    r[0] = res(EK_V_NONE, true);
    cr_assert_eq(ek_engine_exit_code(r, 1), 0);
}
