/* SPDX-License-Identifier: BSD-3-Clause */
/* The end-of-run table (TD, verdict, time, reason cut to fit) and the totals line, on
 * the terminal and in summary.txt.  Verdicts that need attention are upper-case. */
#include <errno.h>
#include <string.h>

#include "ek/runreport.h"
#include "rr_internal.h"

void ek_rr_summary_totals(char *buf, size_t len, const ek_td_result *r, size_t n)
{
    size_t pass = 0, fail = 0, inconc = 0, err = 0, na = 0, none = 0;
    double t = 0;
    for (size_t i = 0; i < n; i++) {
        t += ek_rr_td_seconds(&r[i]);
        if (!r[i].applicable) na++;
        else switch (r[i].verdict) {
            case EK_V_PASS: pass++; break;
            case EK_V_FAIL: fail++; break;
            case EK_V_INCONC: inconc++; break;
            case EK_V_ERROR: err++; break;
            case EK_V_NONE: none++; break;
            }
    }
    int k = snprintf(buf, len, "%zu TDs: %zu pass, %zu fail, %zu inconclusive, %zu error, %zu not applicable",
                     n, pass, fail, inconc, err, na);
    if (none && k >= 0 && (size_t)k < len)
        k += snprintf(buf + k, len - (size_t)k, ", %zu without verdict", none);
    if (k >= 0 && (size_t)k < len) snprintf(buf + k, len - (size_t)k, " (%.2f s)", t);
}

static const char *word_upper(const ek_td_result *r)
{
    if (!r->applicable) return "n/a";
    switch (r->verdict) {
    case EK_V_PASS: return r->info ? "pass*" : "pass";
    case EK_V_FAIL: return "FAIL";
    case EK_V_INCONC: return "INCONC";
    case EK_V_ERROR: return "ERROR";
    case EK_V_NONE: break;
    }
    return "NONE";
}

void ek_rr_summary_write(FILE *o, const ek_td_result *r, size_t n)
{
    size_t idw = 2;
    for (size_t i = 0; i < n; i++) {
        size_t l = r[i].td && r[i].td->id ? strlen(r[i].td->id) : 1;
        if (l > idw) idw = l;
    }
    fprintf(o, "%-*s  %-7s  %8s  %s\n", (int)idw, "TD", "verdict", "time", "reason");
    bool info = false;
    for (size_t i = 0; i < n; i++) {
        const ek_td_result *x = &r[i];
        const char *why = !x->applicable ? x->na_reason : x->reason;
        char cut[EK_RR_REASON_WIDTH * 4 + 8];
        ek_rr_cut(why, EK_RR_REASON_WIDTH, cut, sizeof cut);
        if (x->applicable && x->verdict == EK_V_PASS && x->info) info = true;
        fprintf(o, "%-*s  %-7s  %6.2f s  %s\n", (int)idw, x->td && x->td->id ? x->td->id : "?", word_upper(x),
                ek_rr_td_seconds(x), cut);
    }
    char tot[256];
    ek_rr_summary_totals(tot, sizeof tot, r, n);
    if (info) fputs("(pass* = passed with INFO notes: a SHOULD/MAY not met under this profile)\n", o);
    fprintf(o, "%s\n", tot);
}

void ek_rr_summary_init(ek_rr_summary *s, FILE *out, const char *path)
{
    memset(s, 0, sizeof *s);
    s->out = out;
    if (path) snprintf(s->path, sizeof s->path, "%s", path);
}

static void su_run_end(void *ctx, const ek_td_result *results, size_t n)
{
    ek_rr_summary *s = ctx;
    if (s->out) {
        ek_rr_summary_write(s->out, results, n);
        fflush(s->out);
    }
    if (s->path[0]) {
        FILE *f = fopen(s->path, "w");
        if (!f) {
            snprintf(s->err, sizeof s->err, "%s: cannot create: %s", s->path, strerror(errno));
            s->failed = true;
            return;
        }
        ek_rr_summary_write(f, results, n);
        if (ferror(f) | fclose(f)) {
            snprintf(s->err, sizeof s->err, "%s: write failed", s->path);
            s->failed = true;
        }
    }
}

ek_run_observer ek_rr_summary_observer(ek_rr_summary *s)
{
    return (ek_run_observer){ .ctx = s, .run_end = su_run_end };
}
