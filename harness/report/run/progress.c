/* SPDX-License-Identifier: BSD-3-Clause */
/* Terminal progress: "[3/12] TP-EP-06 step 2/5 1.2 s: what".  On a tty the line is
 * rewritten in place (\r + erase to end of line, ECMA-48 EL) and cut to the width so it
 * never wraps; a finished TD leaves one line.  Elsewhere (CI logs) plain lines. */
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ek/runreport.h"
#include "rr_internal.h"

void ek_rr_progress_init(ek_rr_progress *p, FILE *out, bool tty)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    p->tty = tty;
    p->width = 80;
    struct winsize ws;
    if (tty && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) p->width = ws.ws_col;
}

static const char *tdid(const ek_td *td)
{
    return td && td->id ? td->id : "?";
}

/* A transient line (tty only). */
static void show(ek_rr_progress *p, const char *line)
{
    char cut[1024];
    ek_rr_cut(line, p->width - 1, cut, sizeof cut);
    fprintf(p->out, "\r\033[K%s", cut);
    fflush(p->out);
    p->dirty = true;
}

static void pr_run_begin(void *ctx, const ek_dut *dut, const char *radio_desc, size_t n_tds)
{
    ek_rr_progress *p = ctx;
    p->total = n_tds;
    fprintf(p->out, "enroll-harness: %zu TD%s against %s via %s\n", n_tds, n_tds == 1 ? "" : "s",
            dut && dut->name[0] ? dut->name : "the DUT", radio_desc ? radio_desc : "?");
    fflush(p->out);
}

static void pr_td_begin(void *ctx, const ek_td *td, size_t index, size_t total)
{
    ek_rr_progress *p = ctx;
    p->index = index;
    p->total = total;
    p->td = td;
    char line[512];
    snprintf(line, sizeof line, "[%zu/%zu] %s %s", index + 1, total, tdid(td), td && td->title ? td->title : "");
    if (p->tty) show(p, line);
}

static void pr_step_begin(void *ctx, const ek_td *td, unsigned step, const char *what, uint64_t elapsed_ns)
{
    ek_rr_progress *p = ctx;
    char line[512];
    /* Elapsed before the text: a long step description is what gets cut. */
    snprintf(line, sizeof line, "[%zu/%zu] %s step %u/%u %.1f s: %s", p->index + 1, p->total, tdid(td), step,
             td ? td->n_steps : 0, (double)elapsed_ns / 1e9, what ? what : "");
    if (p->tty) show(p, line);
}

static void pr_td_end(void *ctx, const ek_td_result *r, const ek_run_frame *frames, size_t n_frames)
{
    ek_rr_progress *p = ctx;
    (void)frames;
    (void)n_frames;
    char line[1024], why[EK_MSG_MAX * 2];
    const char *v = !r->applicable ? "n/a" : ek_rr_verdict_word(r->verdict);
    const char *reason = !r->applicable ? r->na_reason : r->reason;
    ek_rr_cut(reason, 200, why, sizeof why);
    snprintf(line, sizeof line, "[%zu/%zu] %s %s %.2f s%s%s", p->index + 1, p->total, tdid(r->td), v,
             ek_rr_td_seconds(r), why[0] ? ": " : "", why);
    if (p->tty) {
        fputs("\r\033[K", p->out);
        p->dirty = false;
    }
    fprintf(p->out, "%s\n", line);
    fflush(p->out);
}

static void pr_run_end(void *ctx, const ek_td_result *results, size_t n)
{
    ek_rr_progress *p = ctx;
    (void)results;
    (void)n;
    if (p->dirty) {
        fputs("\r\033[K", p->out);
        p->dirty = false;
        fflush(p->out);
    }
}

ek_run_observer ek_rr_progress_observer(ek_rr_progress *p)
{
    return (ek_run_observer){ .ctx = p,
                              .run_begin = pr_run_begin,
                              .td_begin = pr_td_begin,
                              .step_begin = pr_step_begin,
                              .td_end = pr_td_end,
                              .run_end = pr_run_end };
}
