/* SPDX-License-Identifier: BSD-3-Clause */
/* The run's evidence as one pcapng: every
 * injected (outbound) and observed (inbound) frame, link type 195 with the FCS, the
 * engine's comments ("TP-EP-06 step 3: ... -> FAIL") as packet comments.  Frames are
 * appended and flushed as each TD ends; packet numbers equal the engine's run-wide
 * frame numbers as long as the engine reports every frame once, in order. */
#include <stdlib.h>
#include <string.h>

#include "ek/pcapng.h"
#include "ek/runreport.h"
#include "rr_internal.h"

struct ek_rr_capture {
    ek_pcapng *w;
    uint64_t last_no;
    bool have_base;
    uint64_t wall0, t0;        /* first frame: wall clock and radio clock */
    bool failed;
    char err[600];
};

int ek_rr_capture_open(const char *path, const char *shb_comment, const char *if_name, ek_rr_capture **out,
                       char *err, size_t errlen)
{
    *out = NULL;
    ek_rr_capture *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    ek_pcapng_opts o;
    ek_pcapng_opts_default(&o);
    o.shb_comment = shb_comment;
    o.if_name = if_name;
    o.if_description = "IEEE 802.15.4 frames injected (outbound) and observed (inbound) by enroll-harness";
    if (ek_pcapng_open(path, &o, &c->w, err, errlen) != EK_CAP_IO_OK) {
        free(c);
        return -1;
    }
    *out = c;
    return 0;
}

static void cap_td_end(void *ctx, const ek_td_result *r, const ek_run_frame *frames, size_t n_frames)
{
    ek_rr_capture *c = ctx;
    (void)r;
    for (size_t i = 0; i < n_frames && !c->failed; i++) {
        const ek_run_frame *f = &frames[i];
        if (f->no && f->no <= c->last_no) continue; /* already written (shared between TDs) */
        /* Timestamps follow the radio clock, anchored to the wall clock at the first
         * frame: the same as wall time for live radios (without its jumps), and the
         * virtual time line for loop: and file: radios, so offline re-evaluation of
         * this capture sees the same gaps the engine saw. */
        if (!c->have_base) {
            c->have_base = true;
            c->wall0 = f->t_wall_ns ? f->t_wall_ns : f->t_ns;
            c->t0 = f->t_ns;
        }
        uint64_t t = c->wall0 + (f->t_ns >= c->t0 ? f->t_ns - c->t0 : 0);
        size_t len = f->len <= sizeof f->psdu ? f->len : sizeof f->psdu;
        char comment[EK_MSG_MAX * 2];
        ek_rr_clean_utf8(f->comment, comment, sizeof comment); /* opt_comment is UTF-8 (§3.5) */
        if (ek_pcapng_write(c->w, t, f->psdu, len, f->outbound ? EK_PCAPNG_DIR_OUT : EK_PCAPNG_DIR_IN,
                            comment[0] ? comment : NULL) != EK_CAP_IO_OK) {
            snprintf(c->err, sizeof c->err, "%s", ek_pcapng_errmsg(c->w));
            c->failed = true;
        }
        if (f->no) c->last_no = f->no;
    }
}

ek_run_observer ek_rr_capture_observer(ek_rr_capture *c)
{
    return (ek_run_observer){ .ctx = c, .td_end = cap_td_end };
}

uint64_t ek_rr_capture_count(const ek_rr_capture *c)
{
    return ek_pcapng_count(c->w);
}

const char *ek_rr_capture_errmsg(const ek_rr_capture *c)
{
    return c->err;
}

int ek_rr_capture_close(ek_rr_capture *c)
{
    if (!c) return 0;
    int rc = c->failed ? -1 : 0;
    if (ek_pcapng_close(c->w) != EK_CAP_IO_OK) rc = -1;
    free(c);
    return rc;
}
