/* SPDX-License-Identifier: BSD-3-Clause */
/* report.html for a TD run (htmlrun.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/frame.h"
#include "ek/htmlreport.h"
#include "ek/netcheck.h"
#include "ek/runreport.h"
#include "ek/td.h"
#include "htmlrun.h"

typedef struct td_row {
    ek_html_td row;
    char id[32], title[160], reason[EK_MSG_MAX];
} td_row;

struct ek_htmlrun {
    char *path, *href, *command;
    char input[256];
    ek_netcheck *nc;
    ek_profile prof;
    uint32_t slack_ms;   /* the DUT profile's: frames around a reset */
    ek_frame *f;
    td_row *tds;
    size_t n_tds, cap_tds;
    bool failed;
};

ek_htmlrun *ek_htmlrun_new(const char *path, const char *capture_href, const char *command)
{
    ek_htmlrun *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->path = strdup(path);
    h->href = capture_href ? strdup(capture_href) : NULL;
    h->command = strdup(command ? command : "");
    h->f = malloc(sizeof *h->f);
    if (!h->path || !h->command || !h->f || (capture_href && !h->href)) {
        free(h->path);
        free(h->href);
        free(h->command);
        free(h->f);
        free(h);
        return NULL;
    }
    return h;
}

static void run_begin(void *ctx, const ek_dut *dut, const char *radio_desc, size_t n_tds)
{
    ek_htmlrun *h = ctx;
    h->prof = dut->prof;
    h->slack_ms = dut->slack_ms;
    snprintf(h->input, sizeof h->input, "%s via %s", dut->name[0] ? dut->name : "DUT", radio_desc);
    /* the DUT is judged; the nodes the harness plays break rules on purpose */
    ek_nc_decl decl[EK_ROLE_COUNT + 1];
    memset(decl, 0, sizeof decl);
    static const char *const names[EK_ROLE_COUNT] = { "harness A", "harness B", "harness rogue" };
    size_t nd = 0;
    for (int r = 0; r < EK_ROLE_COUNT; r++, nd++) {
        ek_td_role_ext((ek_role)r, decl[nd].ext);
        snprintf(decl[nd].name, sizeof decl[nd].name, "%s", names[r]);
        decl[nd].stimulus = true;
    }
    if (dut->has_ext) {
        memcpy(decl[nd].ext, dut->ext, 8);
        snprintf(decl[nd].name, sizeof decl[nd].name, "%.31s", dut->name[0] ? dut->name : "DUT");
        decl[nd].legacy = !(dut->caps & EK_CAP_MEP);
        nd++;
    }
    ek_nc_cfg c;
    ek_nc_cfg_default(&c);
    c.prof = dut->prof;
    c.eb_period_ms = dut->eb_period_ms;
    c.slack_ms = dut->slack_ms;
    c.closed_world = true; /* the harness plays every neighbour */
    c.decl = decl;
    c.n_decl = nd;
    h->nc = ek_nc_new(&c);
    if (!h->nc)
        h->failed = true;
    (void)n_tds;
}

/* A DUT reset inside a TD (a reset step): the checker restarts there, and the DUT frames
 * received from the reset until its step ended (ready_ms after the command returned), at
 * least slack_ms, never past the harness's first frame after the step, are left out, as
 * around a reset before the TD (td_end).  The harness may send during the step itself (a
 * periodic stimulus, an agent's answer): that does not end the window. */
typedef struct mid_reset {
    uint64_t from, until;
    unsigned step;
} mid_reset;

static size_t mid_resets(const ek_td_result *r, const ek_run_frame *frames, size_t n_frames, uint32_t slack_ms,
                         mid_reset *out)
{
    size_t n = 0;
    for (unsigned k = 0; k < r->n_steps && k < EK_TD_MAX_STEPS; k++) {
        const ek_step_result *sr = &r->steps[k];
        if (!sr->ran || !sr->t_reset_ns)
            continue;
        mid_reset m = { .from = sr->t_reset_ns, .until = sr->t_reset_ns + (uint64_t)slack_ms * 1000000u, .step = k + 1 };
        uint64_t step_end = r->t_start_ns + sr->t_ns;
        if (step_end > m.until)
            m.until = step_end;
        for (size_t i = 0; i < n_frames; i++)
            if (frames[i].outbound && frames[i].t_ns >= step_end) {
                if (frames[i].t_ns < m.until)
                    m.until = frames[i].t_ns;
                break;
            }
        out[n++] = m;
    }
    return n;
}

static void td_end(void *ctx, const ek_td_result *r, const ek_run_frame *frames, size_t n_frames)
{
    ek_htmlrun *h = ctx;
    if (!h->nc)
        return;
    char why[64];
    snprintf(why, sizeof why, "%s begins", r->td->id);
    /* A DUT reset before the TD: the checker restarts with the TD.  The DUT frames received
     * until the TD's first step (the reset, then ready_ms) may come from either side of
     * the reset: sent just before it took effect, or the first words of a DUT that talks
     * unasked (a root); a reset command returns before a reboot is over.  The engine's
     * monitors judge them; the checker, whose Version rules would take the two sides
     * for one history, leaves them out, at least up to slack_ms after the reset and never
     * past the first stimulus.  Without a reset (the first TD after spawn, a DUT without
     * reset command) the checker restarts at the first stimulus, as the DUT frames before
     * it continue what came before. */
    size_t first_out = 0;
    while (first_out < n_frames && !frames[first_out].outbound)
        first_out++;
    size_t restart_at = r->t_reset_ns || first_out == n_frames ? 0 : first_out;
    uint64_t unsure_until = 0;
    if (r->t_reset_ns) {
        unsure_until = r->t_reset_ns + (uint64_t)h->slack_ms * 1000000u;
        if (r->t_step1_ns > unsure_until)
            unsure_until = r->t_step1_ns;
        if (first_out < n_frames && frames[first_out].t_ns < unsure_until)
            unsure_until = frames[first_out].t_ns;
    }
    mid_reset mid[EK_TD_MAX_STEPS];
    size_t n_mid = mid_resets(r, frames, n_frames, h->slack_ms, mid), next_mid = 0;
    const mid_reset *in = NULL; /* the latest reset step the frames reached */
    for (size_t i = 0; i < n_frames; i++) {
        const ek_run_frame *fr = &frames[i];
        if (i == restart_at && r->t_reset_ns) /* the TD-level reset came before all of it */
            ek_nc_restart(h->nc, fr->t_wall_ns, fr->no, why);
        /* marked at the first frame after the reset: the radio's clock may be virtual
         * (loop:), so its time is not moved onto the wall clock */
        for (; next_mid < n_mid && fr->t_ns >= mid[next_mid].from; next_mid++) {
            char mark[64];
            snprintf(mark, sizeof mark, "%s step %u: reset", r->td->id, mid[next_mid].step);
            ek_nc_restart(h->nc, fr->t_wall_ns, fr->no, mark);
            in = &mid[next_mid];
        }
        /* the first stimulus, unless a reset step before it restarted the checker already:
         * the DUT frames since are the rebooted DUT's history */
        if (i == restart_at && !r->t_reset_ns && !in)
            ek_nc_restart(h->nc, fr->t_wall_ns, fr->no, why);
        if (r->t_reset_ns && !fr->outbound && fr->t_ns < unsure_until)
            continue;
        if (in && !fr->outbound && fr->t_ns < in->until)
            continue;
        ek_status st = ek_frame_decode(ek_view_make(fr->psdu, fr->len), true, &h->prof, h->f);
        ek_nc_frame(h->nc, h->f, st, h->f->n_errors ? &h->f->errors[0] : NULL, !h->f->sum.has_fcs || h->f->sum.fcs_ok,
                    fr->no, fr->t_wall_ns);
    }
    if (h->n_tds == h->cap_tds) {
        size_t cap = h->cap_tds ? 2 * h->cap_tds : 32;
        td_row *p = realloc(h->tds, cap * sizeof *p);
        if (!p) {
            h->failed = true;
            return;
        }
        h->tds = p;
        h->cap_tds = cap;
    }
    td_row *t = &h->tds[h->n_tds++];
    memset(t, 0, sizeof *t);
    snprintf(t->id, sizeof t->id, "%s", r->td->id);
    snprintf(t->title, sizeof t->title, "%s", r->td->title);
    snprintf(t->reason, sizeof t->reason, "%s", r->applicable ? r->reason : r->na_reason);
    t->row.frame_no = r->deciding_frame;
    t->row.verdict = r->applicable ? ek_rr_verdict_word(r->verdict) : "none";
}

static void run_end(void *ctx, const ek_td_result *results, size_t n)
{
    (void)ctx;
    (void)results;
    (void)n;
}

ek_run_observer ek_htmlrun_observer(ek_htmlrun *h)
{
    ek_run_observer o = { .ctx = h, .run_begin = run_begin, .td_end = td_end, .run_end = run_end };
    return o;
}

int ek_htmlrun_close(ek_htmlrun *h)
{
    if (!h)
        return 0;
    int rc = 0;
    if (h->nc) {
        ek_nc_finish(h->nc);
        for (size_t i = 0; i < h->n_tds; i++) {
            /* the row's strings point into the row: set them once the array stops moving */
            h->tds[i].row.id = h->tds[i].id;
            h->tds[i].row.title = h->tds[i].title;
            h->tds[i].row.reason = h->tds[i].reason;
        }
        ek_html_td rows_stack[1];
        ek_html_td *rows = h->n_tds ? malloc(h->n_tds * sizeof *rows) : rows_stack;
        if (!rows) {
            rc = -1;
        } else {
            for (size_t i = 0; i < h->n_tds; i++)
                rows[i] = h->tds[i].row;
            ek_html_opts o;
            memset(&o, 0, sizeof o);
            o.title = "enroll-harness";
            o.tool = "enroll-harness";
            o.version = EK_VERSION;
            o.command = h->command;
            o.input = h->input;
            o.capture_href = h->href;
            o.tds = rows;
            o.n_tds = h->n_tds;
            char err[600];
            if (ek_html_write_file(h->path, h->nc, &o, err, sizeof err) != 0) {
                fprintf(stderr, "enroll-harness: %s\n", err);
                rc = -1;
            }
            if (rows != rows_stack)
                free(rows);
        }
    }
    if (h->failed) {
        fprintf(stderr, "enroll-harness: %s: out of memory while collecting the run\n", h->path);
        rc = -1;
    }
    ek_nc_free(h->nc);
    free(h->tds);
    free(h->f);
    free(h->path);
    free(h->href);
    free(h->command);
    free(h);
    return rc;
}
