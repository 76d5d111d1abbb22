/* SPDX-License-Identifier: BSD-3-Clause */
/* Verdict names (TTCN-3 lattice none < pass < inconc < fail < error, ETSI ES 201 873-1
 * §24.1) and the process exit code of a run. */
#include <stdarg.h>
#include <stdio.h>

#include "engine_int.h"

const char *ek_verdict_name(ek_verdict v)
{
    switch (v) {
    case EK_V_NONE: return "none";
    case EK_V_PASS: return "pass";
    case EK_V_INCONC: return "inconc";
    case EK_V_FAIL: return "fail";
    case EK_V_ERROR: return "error";
    }
    return "?";
}

int ek_engine_exit_code(const ek_td_result *results, size_t n)
{
    bool fail = false, other = false;
    for (size_t i = 0; i < n; i++) {
        if (!results[i].applicable)
            continue;
        fail |= results[i].verdict == EK_V_FAIL;
        other |= results[i].verdict == EK_V_ERROR || results[i].verdict == EK_V_INCONC;
    }
    /* Any fail wins even over an error: a DUT defect was shown. */
    return fail ? 1 : other ? 2 : 0;
}

void ek_msgf(char *dst, size_t n, const char *fmt, ...)
{
    va_list ap;
    if (n == 0)
        return;
    va_start(ap, fmt);
    (void)vsnprintf(dst, n, fmt, ap);
    va_end(ap);
}
