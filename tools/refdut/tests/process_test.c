/* SPDX-License-Identifier: BSD-3-Clause */
/* enroll-refdut's process plumbing (process.c): which comes first, a pending SIGHUP (the
 * harness's reset) or a frame read together with it.  The harness sends its reset, waits,
 * then its first stimulus; a refdut that gets the CPU late reads both at once and must
 * reboot before the stimulus, yet after a frame that arrived before the reset. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../process.h"
#include "ek/radio.h"

#define MS 1000000ull

static const uint8_t FRAME[] = { 0x41, 0xd8, 0x01, 0xce, 0xfa, 0xff, 0xff, 0x01, 0x00, 0x00,
                                 0x00, 0x00, 0x00, 0x5e, 0x02, 0x42 };

static ek_radio *open_ok(const char *uri)
{
    ek_radio_opts o;
    ek_radio_opts_default(&o);
    ek_radio *r = NULL;
    char err[256];
    cr_assert_eq(ek_radio_open(uri, &o, &r, err, sizeof err), 0, "%s: %s", uri, err);
    return r;
}

static void sleep_ms(long ms)
{
    nanosleep(&(struct timespec){ ms / 1000, (ms % 1000) * 1000000L }, NULL);
}

static void recv_ok(ek_radio *r, ek_radio_frame *f)
{
    cr_assert_eq(ek_radio_recv(r, f, ek_radio_now(r) + 2000 * MS), 1, "%s", ek_radio_errmsg(r));
}

/* Linux turns receive stamps on lazily: wait until a datagram read 20 ms late is stamped
 * at least 10 ms before its reading. */
static void until_arrival_stamps(ek_radio *rx, ek_radio *tx)
{
    for (int i = 0; i < 50; i++) {
        cr_assert_eq(ek_radio_send(tx, FRAME, sizeof FRAME, NULL), 0, "%s", ek_radio_errmsg(tx));
        sleep_ms(20);
        uint64_t read_at = ek_radio_now(rx);
        ek_radio_frame f;
        recv_ok(rx, &f);
        if (f.t_ns + 10 * MS <= read_at)
            return;
    }
    cr_assert_fail("no arrival time stamp in 50 datagrams");
}

Test(refdut_process, a_reset_comes_first_only_for_frames_that_arrived_after_it)
{
    ek_refdut_signals();
    ek_radio *a = open_ok("zep://127.0.0.1:0");
    char uri[128];
    snprintf(uri, sizeof uri, "zep://127.0.0.1:%u?local=127.0.0.1:0", (unsigned)ek_radio_local_port(a));
    ek_radio *b = open_ok(uri);
    until_arrival_stamps(a, b);

    /* before: the last frame of the previous TD; then the reset; then the stimulus */
    cr_assert_eq(ek_radio_send(b, FRAME, sizeof FRAME, NULL), 0);
    sleep_ms(30);
    cr_assert_eq(raise(SIGHUP), 0);
    cr_assert(ek_refdut_hup, "the handler records the reset");
    sleep_ms(30);
    cr_assert_eq(ek_radio_send(b, FRAME, sizeof FRAME, NULL), 0);
    sleep_ms(30);
    ek_radio_frame before, after;   /* both read only now, as by a refdut that ran late */
    recv_ok(a, &before);
    recv_ok(a, &after);
    cr_assert_not(ek_refdut_hup_came_first(a, before.t_ns), "a frame from before the reset is handled first");
    cr_assert(ek_refdut_hup_came_first(a, after.t_ns), "the reset comes before a frame sent after it");

    ek_refdut_hup = 0;
    cr_assert_not(ek_refdut_hup_came_first(a, after.t_ns), "no reset pending");
    ek_radio_close(a);
    ek_radio_close(b);
}

/* A virtual clock's frame times are not CLOCK_MONOTONIC: never compared with the signal's. */
Test(refdut_process, no_order_on_a_virtual_clock)
{
    ek_refdut_signals();
    ek_radio *l = open_ok("loop:");
    cr_assert_not(ek_radio_is_live(l));
    cr_assert_eq(raise(SIGHUP), 0);
    cr_assert_not(ek_refdut_hup_came_first(l, UINT64_MAX));
    ek_refdut_hup = 0;
    ek_radio_close(l);
}
