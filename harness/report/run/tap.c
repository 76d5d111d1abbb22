/* SPDX-License-Identifier: BSD-3-Clause */
/* TAP 13 stream (testanything.org/tap-version-13-specification.html): version line,
 * plan, one "ok"/"not ok" line per TD with a YAML diagnostics block (verdict, reason,
 * deciding frame, steps).  Strings in YAML are double-quoted scalars (YAML 1.2 §7.3.1)
 * so any reason text survives; description lines have '#' escaped as TAP requires. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ek/runreport.h"
#include "rr_internal.h"

struct ek_rr_tap {
    FILE *o;
    bool owned;
    size_t n;          /* test points written */
    bool planned;
};

/* YAML double-quoted scalar: \" \\ and escapes for controls; UTF-8 passes through. */
static void yq(FILE *o, const char *s)
{
    char clean[2048];
    ek_rr_clean_utf8(s, clean, sizeof clean);
    fputc('"', o);
    for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", o); break;
        case '\\': fputs("\\\\", o); break;
        case '\n': fputs("\\n", o); break;
        case '\t': fputs("\\t", o); break;
        default: fputc(*p, o);
        }
    }
    fputc('"', o);
}

/* A test-point description: one line, '#' escaped (TAP 13: "\#"), backslash doubled. */
static void desc(FILE *o, const char *s)
{
    char clean[1024];
    ek_rr_clean_utf8(s, clean, sizeof clean);
    for (const char *p = clean; *p; p++) {
        if (*p == '\n' || *p == '\t') fputc(' ', o);
        else if (*p == '#' || *p == '\\') {
            fputc('\\', o);
            fputc(*p, o);
        } else fputc(*p, o);
    }
}

int ek_rr_tap_open(const char *path, ek_rr_tap **out, char *err, size_t errlen)
{
    *out = NULL;
    if (!path || strcmp(path, "-") == 0) {
        *out = ek_rr_tap_new(stdout);
        if (!*out) snprintf(err, errlen, "stdout: out of memory");
        return *out ? 0 : -1;
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
        return -1;
    }
    ek_rr_tap *t = ek_rr_tap_new(f);
    if (!t) {
        fclose(f);
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    t->owned = true;
    *out = t;
    return 0;
}

ek_rr_tap *ek_rr_tap_new(FILE *o)
{
    ek_rr_tap *t = calloc(1, sizeof *t);
    if (t) t->o = o;
    return t;
}

static void tp_run_begin(void *ctx, const ek_dut *dut, const char *radio_desc, size_t n_tds)
{
    ek_rr_tap *t = ctx;
    t->n = 0;
    fputs("TAP version 13\n", t->o);
    fprintf(t->o, "1..%zu\n", n_tds);
    t->planned = true;
    fputs("# enrollkit ", t->o);
    desc(t->o, dut ? dut->name : "");
    fputs(" via ", t->o);
    desc(t->o, radio_desc ? radio_desc : "");
    fputc('\n', t->o);
    fflush(t->o);
}

static void tp_td_end(void *ctx, const ek_td_result *r, const ek_run_frame *frames, size_t n_frames)
{
    ek_rr_tap *t = ctx;
    FILE *o = t->o;
    const ek_td *td = r->td;
    (void)frames;
    (void)n_frames;
    bool ok = !r->applicable || r->verdict == EK_V_PASS;
    fprintf(o, "%s %zu - ", ok ? "ok" : "not ok", ++t->n);
    desc(o, td && td->id ? td->id : "?");
    fputc(' ', o);
    desc(o, td && td->title ? td->title : "");
    if (!r->applicable) {
        fputs(" # SKIP not applicable: ", o);
        desc(o, r->na_reason);
    }
    fputc('\n', o);

    fputs("  ---\n", o);
    fprintf(o, "  verdict: %s\n", r->applicable ? ek_rr_verdict_word(r->verdict) : "not applicable");
    if (!r->applicable) {
        fputs("  reason: ", o);
        yq(o, r->na_reason);
        fputc('\n', o);
    } else {
        if (r->info) fputs("  info: true\n", o);
        if (r->reason[0]) {
            fputs("  reason: ", o);
            yq(o, r->reason);
            fputc('\n', o);
        }
        if (r->deciding_frame) fprintf(o, "  deciding_frame: %llu\n", (unsigned long long)r->deciding_frame);
        if (r->deciding_step) fprintf(o, "  deciding_step: %u\n", r->deciding_step);
        fprintf(o, "  duration_ms: %.3f\n", ek_rr_td_seconds(r) * 1e3);
        fprintf(o, "  frames: { injected: %u, observed: %u }\n", r->injected, r->observed);
        if (td && td->refs) {
            fputs("  requirements: ", o);
            yq(o, td->refs);
            fputc('\n', o);
        }
        if (r->n_steps) fputs("  steps:\n", o);
        for (unsigned i = 0; i < r->n_steps && i < EK_TD_MAX_STEPS; i++) {
            const ek_step_result *s = &r->steps[i];
            fprintf(o, "    - step: %u\n", i + 1);
            fprintf(o, "      verdict: %s\n", ek_rr_step_word(s));
            if (s->info) fputs("      info: true\n", o);
            if (td && i < td->n_steps && td->steps[i].what) {
                fputs("      what: ", o);
                yq(o, td->steps[i].what);
                fputc('\n', o);
            }
            if (s->msg[0]) {
                fputs("      msg: ", o);
                yq(o, s->msg);
                fputc('\n', o);
            }
            if (s->frame_no) fprintf(o, "      frame: %llu\n", (unsigned long long)s->frame_no);
        }
    }
    fputs("  ...\n", o);
    fflush(o);
}

static void tp_run_end(void *ctx, const ek_td_result *results, size_t n)
{
    ek_rr_tap *t = ctx;
    char tot[256];
    ek_rr_summary_totals(tot, sizeof tot, results, n);
    /* Keep the stream consistent with the plan even if some TD never ended. */
    for (size_t i = t->n; i < n; i++) {
        fprintf(t->o, "not ok %zu - ", ++t->n);
        desc(t->o, results[i].td && results[i].td->id ? results[i].td->id : "?");
        fputs(" # did not run\n", t->o);
    }
    fprintf(t->o, "# %s\n", tot);
    fflush(t->o);
}

ek_run_observer ek_rr_tap_observer(ek_rr_tap *t)
{
    return (ek_run_observer){ .ctx = t, .run_begin = tp_run_begin, .td_end = tp_td_end, .run_end = tp_run_end };
}

int ek_rr_tap_close(ek_rr_tap *t)
{
    if (!t) return 0;
    int rc = ferror(t->o) ? -1 : 0;
    if (t->owned && fclose(t->o) != 0) rc = -1;
    free(t);
    return rc;
}
