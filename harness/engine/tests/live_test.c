/* SPDX-License-Identifier: BSD-3-Clause */
/* The runner over a live radio (ZEP on loopback) whose reader is late: a step's
 * predicate stalls past the window's end, as a harness starved of CPU would.  A DUT
 * frame that arrived inside the window still counts for it; one that arrived after the
 * window's end counts for the next step only.  Windows are judged by arrival time (the
 * kernel's receive stamp), never by when the harness got round to reading. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "ek/build.h"
#include "ek/engine.h"
#include "ek/radio.h"

#define MS 1000000ull

static ek_radio *harness_radio, *dut_radio;
static ek_dut dut;
static const uint8_t DUT_EXT[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x01 };

/* A DIO of the DUT, told apart by its rank. */
static void dut_sends_dio(uint16_t rank)
{
    static uint8_t seq;
    ek_build_node n = { .pan_id = 0xface, .seq = seq++ };
    memcpy(n.ext, DUT_EXT, 8);
    ek_build_dio d;
    ek_build_dio_init(&d);
    d.base.rank = rank;
    uint8_t out[EK_BUILD_MPDU_MAX];
    size_t len = 0;
    ek_err e;
    cr_assert_eq(ek_build_dio_frame(&n, &d, &dut.prof, out, sizeof out, &len, &e), EK_OK);
    cr_assert_eq(ek_radio_send(dut_radio, out, len, NULL), 0, "%s", ek_radio_errmsg(dut_radio));
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* The stall: on the DUT's DIO of rank 300 the predicate sleeps well past the window
 * (50 ms + slack 20 ms), sends the DIO of rank 900 once the window is over, and says no. */
#define STALL_MS 250
static bool stall_on_300(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    (void)ctx;
    if (f->sum.rank == 300) {
        sleep_ms(STALL_MS);
        dut_sends_dio(900);
        snprintf(why, whylen, "rank 300 (stalled)");
        return false;
    }
    snprintf(why, whylen, "rank %u", (unsigned)f->sum.rank);
    return f->sum.rank == 600;
}
static bool stall_then_900(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    if (f->sum.rank == 300)
        return stall_on_300(ctx, f, why, whylen);
    snprintf(why, whylen, "rank %u", (unsigned)f->sum.rank);
    return f->sum.rank == 900;
}
static bool rank_900(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    (void)ctx;
    snprintf(why, whylen, "rank %u", (unsigned)f->sum.rank);
    return f->sum.rank == 900;
}

static const ek_step late_steps[] = {
    { .kind = EK_STEP_EXPECT, .what = "the DIO of rank 600 (it came in the window)",
      .match = { .cls = EK_CLASS_DIO, .pred = stall_on_300 }, .window = EK_MS(50) },
    { .kind = EK_STEP_EXPECT, .what = "the DIO of rank 900 (it came after step 1's window)",
      .match = { .cls = EK_CLASS_DIO, .pred = rank_900 }, .window = EK_MS(50) },
};
static const ek_td td_late = { "TP-T-40", "t", "late reader", "obj", "-", "cfg", EK_PROF_ALL, 0, late_steps, 2,
                               "rule", 0, EK_NODE_6LR, NULL, NULL };

static const ek_step after_steps[] = {
    /* INFO: its timeout is reported, and the TD goes on to step 2 */
    { .kind = EK_STEP_EXPECT, .what = "the DIO of rank 900 (it came only after this window)",
      .match = { .cls = EK_CLASS_DIO, .pred = stall_then_900 }, .window = EK_MS(50), .info_profiles = EK_PROF_ALL },
    { .kind = EK_STEP_EXPECT, .what = "the DIO of rank 900 (in this window)",
      .match = { .cls = EK_CLASS_DIO, .pred = rank_900 }, .window = EK_MS(50) },
};
static const ek_td td_after = { "TP-T-41", "t", "frame after the window", "obj", "-", "cfg", EK_PROF_ALL, 0,
                                after_steps, 2, "rule", 0, EK_NODE_6LR, NULL, NULL };

/* The harness's radio learns its peer from the DUT's first datagram (ports from the
 * kernel).  Linux turns receive time stamps on lazily (a deferred static key), so the
 * DUT sends until a datagram that waited 20 ms is stamped at least 10 ms before it was
 * read: from then on, frames carry their arrival. */
static void setup_live(void)
{
    char mirror[96], err[EK_RADIO_ERRLEN];
    cr_assert_eq(ek_radio_open("zep://127.0.0.1:0", NULL, &harness_radio, err, sizeof err), 0, "%s", err);
    snprintf(mirror, sizeof mirror, "zep://127.0.0.1:%u?local=127.0.0.1:0", (unsigned)ek_radio_local_port(harness_radio));
    cr_assert_eq(ek_radio_open(mirror, NULL, &dut_radio, err, sizeof err), 0, "%s", err);
    static const uint8_t ping[] = { 0x41, 0x08, 0x00, 0xff, 0xff, 0xff, 0xff }; /* data, broadcast, no payload */
    bool stamped = false;
    for (int i = 0; i < 50 && !stamped; i++) {
        cr_assert_eq(ek_radio_send(dut_radio, ping, sizeof ping, NULL), 0, "%s", ek_radio_errmsg(dut_radio));
        sleep_ms(20);
        uint64_t read_at = ek_radio_now(harness_radio);
        ek_radio_frame f;
        cr_assert_eq(ek_radio_recv(harness_radio, &f, read_at + 2000 * MS), 1, "%s", ek_radio_errmsg(harness_radio));
        stamped = f.t_ns + 10 * MS <= read_at;
    }
    cr_assert(stamped, "no arrival time stamp in 50 datagrams");
    ek_dut_default(&dut);
    dut.caps = EK_CAP_SENDS_DIO;
    memcpy(dut.ext, DUT_EXT, 8);
    dut.has_ext = true;
}

static void teardown_live(void)
{
    ek_radio_close(harness_radio);
    ek_radio_close(dut_radio);
}

/* As step 1 begins the DUT sends the DIO of rank 300 (and, for td_late, the one of
 * rank 600 right after it): both arrive inside step 1's window. */
static void on_step_begin(void *ctx, const ek_td *td, unsigned step, const char *what, uint64_t elapsed_ns)
{
    (void)ctx;
    (void)what;
    (void)elapsed_ns;
    if (step != 1)
        return;
    dut_sends_dio(300);
    if (td == &td_late)
        dut_sends_dio(600);
}

static void run_one(const ek_td *td, ek_td_result *res)
{
    ek_run_observer obs = { .step_begin = on_step_begin };
    ek_engine_opts o = { .dut = &dut, .radio = harness_radio, .obs = &obs };
    const ek_td *tds[] = { td };
    ek_engine_run(&o, tds, 1, res);
}

Test(live, a_frame_that_arrived_in_the_window_counts_though_it_was_read_after_it, .init = setup_live,
     .fini = teardown_live)
{
    ek_td_result res;
    run_one(&td_late, &res);
    cr_assert_eq(res.steps[0].verdict, EK_V_PASS, "%s", res.steps[0].msg);
    cr_assert(strstr(res.steps[0].msg, "rank 600"), "%s", res.steps[0].msg);
    /* read long after the window (the stall), judged by arrival */
    cr_assert_geq(res.steps[0].t_ns, STALL_MS * MS, "step 1 ended after %llu ns",
                  (unsigned long long)res.steps[0].t_ns);
    cr_assert_eq(res.steps[1].verdict, EK_V_PASS, "%s", res.steps[1].msg);
    cr_assert_eq(res.verdict, EK_V_PASS);
}

/* ---- a harness woken late inside its receive call ----
 * At 69 ms into step 1's 70 ms window (50 ms + slack) a signal handler stalls the harness
 * for 40 ms, as a scheduler would; the DUT's DIO of rank 900 is sent 80 ms after step 1
 * began, after the window.  The harness reads it on waking, before it looks at the clock
 * again: by its arrival time it belongs to step 2 (step 1 is INFO so that step 2 runs).
 * Whatever the timing, the DIO arrives after step 1's end, so a correct engine always
 * passes; an engine that judges by read order fails when the stall lines up. */
static pthread_t sender_thread;
static void stall_40ms(int sig)
{
    (void)sig;
    sleep_ms(40);
}
static void *send_900_after_80ms(void *arg)
{
    (void)arg;
    sleep_ms(80);
    dut_sends_dio(900);
    return NULL;
}
static void on_step_begin_stalling(void *ctx, const ek_td *td, unsigned step, const char *what, uint64_t elapsed_ns)
{
    (void)ctx;
    (void)td;
    (void)what;
    (void)elapsed_ns;
    if (step != 1)
        return;
    struct sigaction sa = { .sa_handler = stall_40ms };
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = { .it_value = { 0, 69000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    cr_assert_eq(pthread_create(&sender_thread, NULL, send_900_after_80ms, NULL), 0);
}

static const ek_step stalled_steps[] = {
    { .kind = EK_STEP_EXPECT, .what = "no DIO of rank 900 yet (it comes after this window)",
      .match = { .cls = EK_CLASS_DIO, .pred = rank_900 }, .window = EK_MS(50), .info_profiles = EK_PROF_ALL },
    { .kind = EK_STEP_EXPECT, .what = "the DIO of rank 900", .match = { .cls = EK_CLASS_DIO, .pred = rank_900 },
      .window = EK_MS(50) },
};
static const ek_td td_stalled = { "TP-T-42", "t", "woken late inside recv", "obj", "-", "cfg", EK_PROF_ALL, 0,
                                  stalled_steps, 2, "rule", 0, EK_NODE_6LR, NULL, NULL };

Test(live, a_frame_read_after_a_late_wake_up_is_judged_by_its_arrival, .init = setup_live, .fini = teardown_live)
{
    ek_run_observer obs = { .step_begin = on_step_begin_stalling };
    ek_engine_opts o = { .dut = &dut, .radio = harness_radio, .obs = &obs };
    const ek_td *tds[] = { &td_stalled };
    ek_td_result res;
    ek_engine_run(&o, tds, 1, &res);
    pthread_join(sender_thread, NULL);
    signal(SIGALRM, SIG_DFL);
    cr_assert(res.steps[0].info, "step 1 judged a DIO that came after its window: %s", res.steps[0].msg);
    cr_assert_eq(res.steps[1].verdict, EK_V_PASS, "%s", res.steps[1].msg);
}

/* A guard for the other side: the drain at a window's end must not take a frame that
 * came after the end (this passes on an engine without the drain, too). */
Test(live, a_frame_that_arrived_after_the_window_is_left_to_the_next_step, .init = setup_live,
     .fini = teardown_live)
{
    ek_td_result res;
    run_one(&td_after, &res);
    cr_assert(res.steps[0].info, "%s", res.steps[0].msg);
    cr_assert(strstr(res.steps[0].msg, "no DIO"), "the rank 900 DIO came after the window: %s", res.steps[0].msg);
    cr_assert_eq(res.steps[1].verdict, EK_V_PASS, "%s", res.steps[1].msg);
    cr_assert(strstr(res.steps[1].msg, "rank 900"), "%s", res.steps[1].msg);
}
