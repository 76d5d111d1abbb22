/* SPDX-License-Identifier: BSD-3-Clause */
/* The end-of-run table (TD, verdict, time, reason cut to fit), what applied to the DUT
 * and what did not (and why), and the totals line, on the terminal and in summary.txt.
 * Verdicts that need attention are upper-case.  Also the "nothing tested" test that
 * keeps a run without any real check from passing silently. */
#include <errno.h>
#include <stdio.h>
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

void ek_rr_dut_desc(const ek_dut *d, char *buf, size_t len)
{
    char caps[96];
    snprintf(buf, len, "capabilities %s; wire profile %s", ek_dut_caps_format(d->caps, caps, sizeof caps),
             ek_mep_profile_name(d->prof.mep));
}

/* "TP-EB-01, TP-EB-02" after a prefix, wrapped at about 100 columns. */
static void id_list(FILE *o, const char *prefix, const ek_td_result *r, size_t n, size_t from, bool na)
{
    const char *why = na ? r[from].na_reason : "";
    size_t col = (size_t)fprintf(o, "%s", prefix);
    bool first = true;
    for (size_t i = from; i < n; i++) {
        if (na ? (r[i].applicable || strcmp(r[i].na_reason, why) != 0) : !(r[i].applicable && r[i].verdict == EK_V_NONE))
            continue;
        const char *id = r[i].td && r[i].td->id ? r[i].td->id : "?";
        if (!first && col + strlen(id) + 2 > 100) {
            fputs(",\n   ", o);
            col = 3;
        } else if (!first) {
            fputs(", ", o);
            col += 2;
        }
        col += (size_t)fprintf(o, "%s", id);
        first = false;
    }
    fputc('\n', o);
}

void ek_rr_applicability_write(FILE *o, const ek_td_result *r, size_t n, const char *dut_desc)
{
    size_t app = 0, none = 0;
    for (size_t i = 0; i < n; i++) {
        app += r[i].applicable;
        none += r[i].applicable && r[i].verdict == EK_V_NONE;
    }
    fprintf(o, "applicable: %zu of %zu TDs", app, n);
    if (dut_desc && dut_desc[0])
        fprintf(o, " (%s)", dut_desc);
    fputc('\n', o);
    /* one line per distinct reason, in the order the reasons first occur */
    for (size_t i = 0; i < n; i++) {
        if (r[i].applicable)
            continue;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !r[j].applicable && strcmp(r[j].na_reason, r[i].na_reason) == 0;
        if (seen)
            continue;
        char prefix[EK_MSG_MAX + 16];
        snprintf(prefix, sizeof prefix, "n/a: %s: ", r[i].na_reason);
        id_list(o, prefix, r, n, i, true);
    }
    if (none)
        id_list(o, "no check ran: ", r, n, 0, false);
}

bool ek_rr_nothing_tested(const ek_td_result *r, size_t n, const ek_dut *d, char *why, size_t len)
{
    char desc[160] = "";
    if (d)
        ek_rr_dut_desc(d, desc, sizeof desc);
    size_t app = 0, checked = 0;
    unsigned long heard = 0;
    for (size_t i = 0; i < n; i++) {
        if (!r[i].applicable)
            continue;
        app++;
        checked += r[i].verdict != EK_V_NONE;
        heard += (unsigned long)r[i].dut_dios + r[i].dut_ebs + r[i].dut_coap;
    }
    if (n == 0)
        snprintf(why, len, "no TD was selected");
    else if (app == 0)
        snprintf(why, len, "none of the %zu selected TDs applies to this DUT%s%s%s", n, desc[0] ? " (" : "", desc,
                 desc[0] ? ")" : "");
    else if (checked == 0)
        snprintf(why, len, "none of the %zu applicable TDs ran a check (every step was skipped)", app);
    else if (heard == 0)
        snprintf(why, len, "the DUT was never heard: no DIO, EB or CoAP frame from it during the %zu applicable TDs", app);
    else
        return false;
    return true;
}

static void write_table(FILE *o, const ek_td_result *r, size_t n, const char *dut_desc)
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
    ek_rr_applicability_write(o, r, n, dut_desc);
    fprintf(o, "%s\n", tot);
}

void ek_rr_summary_write(FILE *o, const ek_td_result *r, size_t n)
{
    write_table(o, r, n, NULL);
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
        write_table(s->out, results, n, s->dut_desc);
        fflush(s->out);
    }
    if (s->path[0]) {
        FILE *f = fopen(s->path, "w");
        if (!f) {
            snprintf(s->err, sizeof s->err, "%s: cannot create: %s", s->path, strerror(errno));
            s->failed = true;
            return;
        }
        write_table(f, results, n, s->dut_desc);
        if (ferror(f) | fclose(f)) {
            snprintf(s->err, sizeof s->err, "%s: write failed", s->path);
            s->failed = true;
        }
    }
}

static void su_run_begin(void *ctx, const ek_dut *dut, const char *radio_desc, size_t n_tds)
{
    ek_rr_summary *s = ctx;
    (void)radio_desc;
    (void)n_tds;
    s->dut_desc[0] = '\0';
    if (dut)
        ek_rr_dut_desc(dut, s->dut_desc, sizeof s->dut_desc);
}

ek_run_observer ek_rr_summary_observer(ek_rr_summary *s)
{
    return (ek_run_observer){ .ctx = s, .run_begin = su_run_begin, .run_end = su_run_end };
}
