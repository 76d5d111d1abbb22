/* SPDX-License-Identifier: BSD-3-Clause */
/* report.html of a harness run (htmlrun.c): the network checker restarts with each TD, the
 * DUT being reset there.  A root talks unasked: its DIO sent just before the reset takes
 * effect and its first DIO after it (the Version counter back at its start) arrive within
 * a few ms of each other.  Read as one history they are a Version going backwards; the
 * frames within slack_ms of the reset are left out, and a real regression after that
 * window is still a FAIL.  The same holds for a reset step inside a TD. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ek/build.h"
#include "ek/dut.h"
#include "ek/fcs.h"
#include "ek/td.h"
#include "ek/wr.h"
#include "htmlrun.h"

#define MS UINT64_C(1000000)
#define T0 UINT64_C(1700000000000000000) /* wall clock of the run's start */

static ek_dut dut;
static uint64_t next_no;

/* A DIO from `from` (rank 256) with the option at minimum `min`, Version `v`, at radio
 * time t_ns. */
static ek_run_frame dio_from(const uint8_t from[8], uint8_t min, uint8_t v, uint64_t t_ns)
{
    ek_run_frame f;
    memset(&f, 0, sizeof f);
    ek_build_node n = { .pan_id = dut.pan_id, .seq = (uint8_t)next_no };
    memcpy(n.ext, from, 8);
    ek_build_dio d;
    ek_build_dio_init(&d);
    d.base.rank = 256;
    d.has_mep = true;
    d.mep.min_priority = min;
    d.mep.has_version = true;
    d.mep.version = v;
    d.mep.has_size = true;
    d.mep.size_code = 4;
    size_t len;
    ek_err e;
    cr_assert_eq(ek_build_dio_frame(&n, &d, &dut.prof, f.psdu, sizeof f.psdu - 2, &len, &e), EK_OK);
    ek_buf b;
    ek_buf_init(&b, f.psdu, sizeof f.psdu);
    b.len = len;
    cr_assert(ek_fcs16_append(&b));
    f.len = b.len;
    f.no = ++next_no;
    f.t_ns = t_ns;
    f.t_wall_ns = T0 + t_ns;
    f.channel = 26;
    return f;
}

/* A DIO from the DUT (a root) received at radio time t_ns. */
static ek_run_frame dio(uint8_t min, uint8_t v, uint64_t t_ns)
{
    return dio_from(dut.ext, min, v, t_ns);
}

/* A DIO the harness sent (role A, a stimulus node) at radio time t_ns. */
static ek_run_frame harness_dio(uint64_t t_ns)
{
    uint8_t a[8];
    ek_td_role_ext(EK_ROLE_A, a);
    ek_run_frame f = dio_from(a, 0x40, 241, t_ns);
    f.outbound = true;
    return f;
}

/* r: td's result, applicable and passed, everything else 0. */
static ek_td_result *passed_td(ek_td_result *r, const ek_td *td)
{
    memset(r, 0, sizeof *r);
    r->td = td;
    r->applicable = true;
    r->verdict = EK_V_PASS;
    return r;
}

/* A run of two TDs, the second one rb (its frames td2), then the number of FAIL findings
 * of the Version rules report.html shows. */
static int fails_with(ek_td_result *rb, const ek_run_frame *td2, size_t n2)
{
    char path[512];
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/ek-htmlrun-%ld.html", tmp && tmp[0] ? tmp : "/tmp", (long)getpid());
    ek_htmlrun *h = ek_htmlrun_new(path, NULL, "test");
    cr_assert(h);
    ek_run_observer o = ek_htmlrun_observer(h);
    o.run_begin(o.ctx, &dut, "test radio", 2);
    static const ek_td td_a = { .id = "TP-A", .title = "before the reset" };
    static ek_td_result ra;
    passed_td(&ra, &td_a);
    /* before the reset: the root bumped its Version to 243 with each change */
    ek_run_frame a[3] = { dio(0x40, 241, 100 * MS), dio(0x30, 242, 400 * MS), dio(0x7f, 243, 800 * MS) };
    o.td_end(o.ctx, &ra, a, 3);
    o.td_end(o.ctx, rb, td2, n2);
    cr_assert_eq(ek_htmlrun_close(h), 0);
    FILE *f = fopen(path, "r");
    cr_assert(f);
    static char page[1 << 20];
    size_t len = fread(page, 1, sizeof page - 1, f);
    page[len] = '\0';
    fclose(f);
    unlink(path);
    int n = 0;
    for (const char *p = page; (p = strstr(p, "class=\"finding sev-fail\"")) != NULL; p++) {
        const char *rule = strstr(p, "data-rule=\"");
        if (rule && strncmp(rule, "data-rule=\"version-", 19) == 0)
            n++;
    }
    return n;
}

/* The second TD's result, passed. */
static ek_td_result *second_td(void)
{
    static const ek_td td_b = { .id = "TP-B", .title = "the second TD" };
    static ek_td_result rb;
    return passed_td(&rb, &td_b);
}

/* The second TD after a reset done at t_reset_ns (0: none) with step 1 at t_step1_ns. */
static int fails_in_report(const ek_run_frame *td2, size_t n2, uint64_t t_reset_ns, uint64_t t_step1_ns)
{
    ek_td_result *rb = second_td();
    rb->t_reset_ns = t_reset_ns;
    rb->t_step1_ns = t_step1_ns;
    return fails_with(rb, td2, n2);
}

/* The second TD (from 900 ms) resets the DUT in its step 1, issued at t_reset_ns (0: not
 * known, as offline), the step ending at step_end_ns (ready_ms after the command). */
static int fails_mid_td(const ek_run_frame *td2, size_t n2, uint64_t t_reset_ns, uint64_t step_end_ns)
{
    ek_td_result *r = second_td();
    r->t_start_ns = 900 * MS;
    r->t_step1_ns = 900 * MS;
    r->n_steps = 2;
    r->steps[0].ran = true;
    r->steps[0].t_reset_ns = t_reset_ns;
    r->steps[0].t_ns = step_end_ns - r->t_start_ns;
    r->steps[1].ran = true;
    r->steps[1].t_ns = 1500 * MS - r->t_start_ns;
    return fails_with(r, td2, n2);
}

static void setup(void)
{
    ek_dut_default(&dut);
    dut.has_ext = true;
    const uint8_t ext[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x01 };
    memcpy(dut.ext, ext, 8);
    dut.caps = EK_CAP_SENDS_DIO | EK_CAP_MEP | EK_CAP_ROOT;
    dut.slack_ms = 20;
    next_no = 0;
}

TestSuite(htmlrun, .init = setup);

/* A root's DIO in flight from before a reset (Version 243, min 0x7f) received at old_ms,
 * the restarted root's first DIO (Version 241) at new_ms, then its own history from 241. */
static void across_reset(ek_run_frame b[4], uint64_t old_ms, uint64_t new_ms)
{
    b[0] = dio(0x7f, 243, old_ms * MS);
    b[1] = dio(0x40, 241, new_ms * MS);
    b[2] = dio(0x40, 241, 1150 * MS);
    b[3] = dio(0x30, 242, 1400 * MS);
}

/* reset done at 1000 ms: the in-flight DIO at +2 ms, the first after it at +5 ms */
Test(htmlrun, frames_either_side_of_a_reset_are_not_one_history)
{
    ek_run_frame b[4];
    across_reset(b, 1002, 1005);
    cr_assert_eq(fails_in_report(b, 4, 1000 * MS, 0), 0);
}

/* the same frames with no reset time known are judged as one history: the case above is
 * decided by the window, not by the checker missing the regression */
Test(htmlrun, without_the_reset_time_the_same_frames_fail)
{
    ek_run_frame b[4];
    across_reset(b, 1002, 1005);
    cr_assert_gt(fails_in_report(b, 4, 0, 0), 0);
}

/* after the window, a Version going backwards is a FAIL as ever */
Test(htmlrun, a_regression_after_the_window_still_fails)
{
    ek_run_frame b[4] = { dio(0x40, 241, 1005 * MS), dio(0x30, 242, 1100 * MS), dio(0x30, 242, 1200 * MS),
                          dio(0x20, 241, 1400 * MS) };
    cr_assert_gt(fails_in_report(b, 4, 1000 * MS, 0), 0);
}

/* a reboot slower than slack_ms (a reset command returns before it is over): the window
 * lasts until step 1, after ready_ms */
Test(htmlrun, the_window_lasts_until_step_1)
{
    ek_run_frame b[4];
    across_reset(b, 1040, 1070);
    cr_assert_eq(fails_in_report(b, 4, 1000 * MS, 1100 * MS), 0);
    next_no = 0;
    cr_assert_gt(fails_in_report(b, 4, 1000 * MS, 0), 0);   /* only slack_ms: judged, and failed */
}

/* A reset step inside a TD: the checker restarts there too, and leaves out the DUT frames
 * of its window (until the step ended); the same frames with no reset time known fail,
 * and a regression after the window still fails. */
Test(htmlrun, a_reset_step_inside_a_td_restarts_the_checker)
{
    ek_run_frame b[4];
    across_reset(b, 1040, 1070);
    cr_assert_eq(fails_mid_td(b, 4, 1000 * MS, 1100 * MS), 0);
    next_no = 0;
    across_reset(b, 1040, 1070);
    cr_assert_gt(fails_mid_td(b, 4, 0, 1100 * MS), 0);
    next_no = 0;
    ek_run_frame c[4] = { dio(0x40, 241, 1105 * MS), dio(0x30, 242, 1200 * MS), dio(0x30, 242, 1300 * MS),
                          dio(0x20, 241, 1400 * MS) };
    cr_assert_gt(fails_mid_td(c, 4, 1000 * MS, 1100 * MS), 0);
}

/* The harness sending during the reset step (a periodic stimulus) does not end the
 * window; its next step's stimulus does */
Test(htmlrun, only_the_next_steps_stimulus_ends_a_reset_steps_window)
{
    ek_run_frame b[5];
    b[0] = harness_dio(1010 * MS);
    across_reset(b + 1, 1040, 1070);
    cr_assert_eq(fails_mid_td(b, 5, 1000 * MS, 1100 * MS), 0);
    /* the step ended at 1005 ms and the harness sent at 1010, within slack_ms (20) of the
     * reset: the window ends there, and the DUT frames after it are judged across the reset */
    next_no = 0;
    ek_run_frame c[5];
    c[0] = harness_dio(1010 * MS);
    across_reset(c + 1, 1012, 1015);
    cr_assert_gt(fails_mid_td(c, 5, 1000 * MS, 1005 * MS), 0);
}

/* No reset before the TD, a reset step before its first stimulus: the checker restarts at
 * the reset step only, so the rebooted DUT's history before the stimulus still counts
 * (242, then 241 after the stimulus, is a step back) */
Test(htmlrun, a_reset_step_before_the_first_stimulus_restarts_once)
{
    ek_run_frame b[4] = { dio(0x40, 241, 1150 * MS), dio(0x30, 242, 1160 * MS), harness_dio(1200 * MS),
                          dio(0x30, 241, 1300 * MS) };
    cr_assert_gt(fails_mid_td(b, 4, 1000 * MS, 1100 * MS), 0);
}
