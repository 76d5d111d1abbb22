/* SPDX-License-Identifier: BSD-3-Clause */
/* JUnit XML for CI (the de-facto schema GitLab, Jenkins and meson read): written with libxml2's xmlTextWriter, which does all escaping; strings are only
 * cleaned to valid UTF-8 XML 1.0 characters first.  The whole document is rewritten to
 * PATH.tmp and renamed over PATH after every TD, so PATH is always a complete file. */
#include <errno.h>
#include <libxml/xmlwriter.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ek/runreport.h"
#include "rr_internal.h"

#ifndef EK_VERSION
#define EK_VERSION "unknown"
#endif

struct ek_rr_junit {
    char *path, *tmp;
    char *attachment, *dut_config, *command;
    char dut_name[64];
    char radio[EK_MSG_MAX];
    char started[32];          /* ISO 8601 UTC, run start */
    ek_td_result *res;
    size_t n, cap;
    bool failed;
    char err[1200];
};

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void set_err(ek_rr_junit *j, const char *fmt, ...)
{
    va_list ap;
    int k = snprintf(j->err, sizeof j->err, "%s: ", j->path);
    if (k < 0 || (size_t)k >= sizeof j->err) k = 0;
    va_start(ap, fmt);
    vsnprintf(j->err + k, sizeof j->err - (size_t)k, fmt, ap);
    va_end(ap);
    j->failed = true;
}

static void now_iso(char *buf, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- writing helpers: every string goes through ek_rr_clean_utf8 ---- */

typedef struct wctx {
    xmlTextWriterPtr w;
    int rc;   /* first negative libxml2 return */
} wctx;

static void chk(wctx *c, int r)
{
    if (r < 0 && c->rc >= 0) c->rc = r;
}

static void start(wctx *c, const char *name)
{
    chk(c, xmlTextWriterStartElement(c->w, BAD_CAST name));
}

static void end(wctx *c)
{
    chk(c, xmlTextWriterEndElement(c->w));
}

static void attr(wctx *c, const char *name, const char *val)
{
    char clean[4096];
    ek_rr_clean_utf8(val, clean, sizeof clean);
    chk(c, xmlTextWriterWriteAttribute(c->w, BAD_CAST name, BAD_CAST clean));
}

static void attrf(wctx *c, const char *name, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    attr(c, name, buf);
}

static void text(wctx *c, const char *s)
{
    size_t n = strlen(s) + 1;
    char *clean = malloc(n);
    if (!clean) {
        chk(c, -1);
        return;
    }
    ek_rr_clean_utf8(s, clean, n);
    chk(c, xmlTextWriterWriteString(c->w, BAD_CAST clean));
    free(clean);
}

static void property(wctx *c, const char *name, const char *val)
{
    if (!val) return;
    start(c, "property");
    attr(c, "name", name);
    attr(c, "value", val);
    end(c);
}

/* Growing text buffer for <system-out>. */
typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k < 0) return;
    if (b->len + (size_t)k + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 1024;
        while (nc < b->len + (size_t)k + 1) nc *= 2;
        char *np = realloc(b->p, nc);
        if (!np) return;
        b->p = np;
        b->cap = nc;
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)k;
}

typedef struct counts {
    size_t tests, failures, errors, skipped;
    double time;
} counts;

static void count(counts *k, const ek_td_result *r)
{
    k->tests++;
    k->time += ek_rr_td_seconds(r);
    if (!r->applicable) k->skipped++;
    else if (r->verdict == EK_V_FAIL) k->failures++;
    else if (r->verdict != EK_V_PASS) k->errors++;   /* inconclusive, error, none */
}

static const char *suite_of(const ek_td_result *r)
{
    return r->td && r->td->suite ? r->td->suite : "enrollkit";
}

static void write_counts(wctx *c, const counts *k)
{
    attrf(c, "tests", "%zu", k->tests);
    attrf(c, "failures", "%zu", k->failures);
    attrf(c, "errors", "%zu", k->errors);
    attrf(c, "skipped", "%zu", k->skipped);
    attrf(c, "time", "%.3f", k->time);
}

static void write_testcase(wctx *c, const ek_rr_junit *j, const ek_td_result *r)
{
    const ek_td *td = r->td;
    char name[512];
    snprintf(name, sizeof name, "%s %s", td && td->id ? td->id : "?", td && td->title ? td->title : "");
    start(c, "testcase");
    attr(c, "classname", suite_of(r));
    attr(c, "name", name);
    attrf(c, "time", "%.3f", ek_rr_td_seconds(r));

    if (!r->applicable) {
        char msg[EK_MSG_MAX + 32];
        snprintf(msg, sizeof msg, "not applicable: %s", r->na_reason);
        start(c, "skipped");
        attr(c, "message", msg);
        end(c);
        end(c);
        return;
    }
    char detail[EK_MSG_MAX + 96];
    snprintf(detail, sizeof detail, "%s (step %u, deciding frame %llu)", r->reason, r->deciding_step,
             (unsigned long long)r->deciding_frame);
    if (r->verdict == EK_V_FAIL) {
        start(c, "failure");
        attr(c, "message", r->reason);
        attr(c, "type", "fail");
        text(c, detail);
        end(c);
    } else if (r->verdict != EK_V_PASS) {
        /* JUnit has no inconclusive: it is an <error> whose type says which (§2 lattice). */
        start(c, "error");
        attr(c, "message", r->verdict == EK_V_NONE ? "no verdict: the TD did not run to the end" : r->reason);
        attr(c, "type", ek_rr_verdict_word(r->verdict));
        text(c, detail);
        end(c);
    }

    sbuf b = { 0 };
    sb_printf(&b, "%s: %s\n", td && td->id ? td->id : "?", ek_rr_verdict_word(r->verdict));
    if (td && td->refs) sb_printf(&b, "requirements: %s\n", td->refs);
    if (r->reason[0]) sb_printf(&b, "reason: %s\n", r->reason);
    if (r->deciding_frame) sb_printf(&b, "deciding frame: %llu (step %u)\n",
                                     (unsigned long long)r->deciding_frame, r->deciding_step);
    for (unsigned i = 0; i < r->n_steps && i < EK_TD_MAX_STEPS; i++) {
        const ek_step_result *s = &r->steps[i];
        const char *what = td && i < td->n_steps && td->steps[i].what ? td->steps[i].what : "";
        if (!s->ran) {
            sb_printf(&b, "step %u not run: %s\n", i + 1, what);
            continue;
        }
        sb_printf(&b, "step %u %s%s: %s", i + 1, ek_rr_step_word(s), s->info ? " (INFO)" : "", what);
        if (s->msg[0]) sb_printf(&b, " -- %s", s->msg);
        if (s->frame_no) sb_printf(&b, " [frame %llu]", (unsigned long long)s->frame_no);
        sb_printf(&b, " @%.3f s\n", (double)s->t_ns / 1e9);
    }
    sb_printf(&b, "frames: %u injected, %u observed\n", r->injected, r->observed);
    if (j->attachment) sb_printf(&b, "[[ATTACHMENT|%s]]\n", j->attachment);
    start(c, "system-out");
    text(c, b.p ? b.p : "");
    end(c);
    free(b.p);
    end(c);
}

/* libxml2 prints I/O errors on stderr itself; ours name the path, so mute its own while
 * the file is opened (the previous handler is restored). */
static void quiet_xml_error(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static int write_doc(ek_rr_junit *j)
{
    xmlGenericErrorFunc prev = xmlGenericError;
    void *prev_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, quiet_xml_error);
    errno = 0;
    wctx c = { xmlNewTextWriterFilename(j->tmp, 0), 0 };
    int open_errno = errno;
    xmlSetGenericErrorFunc(prev_ctx, prev);
    if (!c.w) {
        set_err(j, "cannot create %s: %s", j->tmp, open_errno ? strerror(open_errno) : "libxml2 could not open it");
        return -1;
    }
    chk(&c, xmlTextWriterSetIndent(c.w, 1));
    chk(&c, xmlTextWriterSetIndentString(c.w, BAD_CAST "  "));
    chk(&c, xmlTextWriterStartDocument(c.w, NULL, "UTF-8", NULL));

    counts all = { 0 };
    for (size_t i = 0; i < j->n; i++) count(&all, &j->res[i]);
    start(&c, "testsuites");
    attr(&c, "name", "enrollkit");
    write_counts(&c, &all);

    /* One <testsuite> per TD suite, in order of first appearance. */
    bool *done = calloc(j->n ? j->n : 1, sizeof *done);
    if (!done) chk(&c, -1);
    for (size_t i = 0; done && i < j->n; i++) {
        if (done[i]) continue;
        const char *suite = suite_of(&j->res[i]);
        counts k = { 0 };
        for (size_t m = i; m < j->n; m++)
            if (strcmp(suite_of(&j->res[m]), suite) == 0) count(&k, &j->res[m]);
        start(&c, "testsuite");
        attr(&c, "name", suite);
        write_counts(&c, &k);
        attr(&c, "timestamp", j->started);
        start(&c, "properties");
        property(&c, "enrollkit.version", EK_VERSION);
        property(&c, "dut.name", j->dut_name);
        property(&c, "radio", j->radio);
        property(&c, "command", j->command);
        property(&c, "dut.config", j->dut_config);
        end(&c);
        for (size_t m = i; m < j->n; m++) {
            if (done[m] || strcmp(suite_of(&j->res[m]), suite) != 0) continue;
            done[m] = true;
            write_testcase(&c, j, &j->res[m]);
        }
        end(&c);
    }
    free(done);
    end(&c);
    chk(&c, xmlTextWriterEndDocument(c.w));
    chk(&c, xmlTextWriterFlush(c.w));
    xmlFreeTextWriter(c.w);
    if (c.rc < 0) {
        set_err(j, "writing %s failed", j->tmp);
        remove(j->tmp);
        return -1;
    }
    if (rename(j->tmp, j->path) != 0) {
        set_err(j, "rename from %s: %s", j->tmp, strerror(errno));
        remove(j->tmp);
        return -1;
    }
    return 0;
}

int ek_rr_junit_flush(ek_rr_junit *j)
{
    return write_doc(j);
}

int ek_rr_junit_open(const char *path, const ek_rr_junit_opts *o, ek_rr_junit **out, char *err,
                     size_t errlen)
{
    *out = NULL;
    ek_rr_junit *j = calloc(1, sizeof *j);
    size_t tl = strlen(path) + 8;
    if (!j || !(j->path = strdup(path)) || !(j->tmp = malloc(tl))) {
        if (j) free(j->path);
        free(j);
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    snprintf(j->tmp, tl, "%s.tmp", path);
    if (o) {
        j->attachment = dup_or_null(o->attachment);
        j->dut_config = dup_or_null(o->dut_config);
        j->command = dup_or_null(o->command);
    }
    now_iso(j->started, sizeof j->started);
    if (write_doc(j) != 0) {
        snprintf(err, errlen, "%s", j->err);
        ek_rr_junit_close(j);
        return -1;
    }
    *out = j;
    return 0;
}

static void ju_run_begin(void *ctx, const ek_dut *dut, const char *radio_desc, size_t n_tds)
{
    ek_rr_junit *j = ctx;
    (void)n_tds;
    j->n = 0;
    now_iso(j->started, sizeof j->started);
    snprintf(j->dut_name, sizeof j->dut_name, "%s", dut ? dut->name : "");
    snprintf(j->radio, sizeof j->radio, "%s", radio_desc ? radio_desc : "");
    write_doc(j);
}

static bool reserve(ek_rr_junit *j, size_t n)
{
    if (n <= j->cap) return true;
    size_t nc = j->cap ? j->cap * 2 : 16;
    while (nc < n) nc *= 2;
    ek_td_result *np = realloc(j->res, nc * sizeof *np);
    if (!np) {
        set_err(j, "out of memory");
        return false;
    }
    j->res = np;
    j->cap = nc;
    return true;
}

static void ju_td_end(void *ctx, const ek_td_result *r, const ek_run_frame *frames, size_t n_frames)
{
    ek_rr_junit *j = ctx;
    (void)frames;
    (void)n_frames;
    if (!reserve(j, j->n + 1)) return;
    j->res[j->n++] = *r;
    write_doc(j);
}

static void ju_run_end(void *ctx, const ek_td_result *results, size_t n)
{
    ek_rr_junit *j = ctx;
    /* The engine's final array is authoritative (it has every TD, run or not). */
    if (results && n && reserve(j, n)) {
        memcpy(j->res, results, n * sizeof *results);
        j->n = n;
    }
    write_doc(j);
}

ek_run_observer ek_rr_junit_observer(ek_rr_junit *j)
{
    return (ek_run_observer){ .ctx = j, .run_begin = ju_run_begin, .td_end = ju_td_end, .run_end = ju_run_end };
}

const char *ek_rr_junit_errmsg(const ek_rr_junit *j)
{
    return j->err;
}

int ek_rr_junit_close(ek_rr_junit *j)
{
    if (!j) return 0;
    int rc = j->failed ? -1 : 0;
    free(j->path);
    free(j->tmp);
    free(j->attachment);
    free(j->dut_config);
    free(j->command);
    free(j->res);
    free(j);
    return rc;
}
