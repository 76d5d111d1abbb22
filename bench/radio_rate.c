/* SPDX-License-Identifier: BSD-3-Clause */
/* Benchmark (not a test; docs/performance.md): ZEP radio injection rate over UDP
 * loopback, unpaced, against the IEEE 802.15.4 2.4 GHz O-QPSK air-time limit for the
 * same PSDU size (ek_airtime_ns: (SHR 5 + PHR 1 + PSDU) x 32 us), and the pacing error
 * of paced sends.  One parseable line per result:
 *   radio_rate mode=unpaced psdu=N frames=N sent_fps=X recv_fps=X delivered=N airtime_fps=X ratio=X
 *   radio_rate mode=paced psdu=N frames=N fps=X airtime_fps=X err_mean_ns=X err_max_ns=X
 * usage: ek-bench-radio-rate [UNPACED_FRAMES [PACED_FRAMES]]   (defaults 200000, 500) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/radio.h"

typedef struct rx_ctx {
    ek_radio *r;
    uint64_t want, got, first_t, last_t;
} rx_ctx;

static void *rx_main(void *arg)
{
    rx_ctx *c = arg;
    ek_radio_frame f;
    while (c->got < c->want) {
        /* 300 ms without a frame: the sender is done and the rest was lost. */
        int rc = ek_radio_recv(c->r, &f, ek_radio_now(c->r) + 300000000u);
        if (rc != 1)
            break;
        if (!c->got)
            c->first_t = f.t_ns;
        c->last_t = f.t_ns;
        c->got++;
    }
    return NULL;
}

static void mk(uint8_t *m, size_t n)
{
    /* Data frame, PAN ID compression, short addresses (2006): 41 88 seq face ffff 0001 */
    static const uint8_t hdr[] = { 0x41, 0x88, 0x00, 0xce, 0xfa, 0xff, 0xff, 0x01, 0x00 };
    memcpy(m, hdr, sizeof hdr);
    for (size_t i = sizeof hdr; i < n; i++)
        m[i] = (uint8_t)i;
}

static int open_pair(ek_radio **rx, ek_radio **tx, bool pace)
{
    char eb[EK_RADIO_ERRLEN], uri[64];
    ek_radio_opts o;
    ek_radio_opts_default(&o);
    if (ek_radio_open("zep-listen://127.0.0.1:0", &o, rx, eb, sizeof eb)) {
        fprintf(stderr, "%s\n", eb);
        return -1;
    }
    snprintf(uri, sizeof uri, "zep://127.0.0.1:%u", (unsigned)ek_radio_local_port(*rx));
    o.pace = pace;
    if (ek_radio_open(uri, &o, tx, eb, sizeof eb)) {
        fprintf(stderr, "%s\n", eb);
        ek_radio_close(*rx);
        return -1;
    }
    return 0;
}

static int unpaced(size_t psdu, uint64_t n)
{
    ek_radio *rx, *tx;
    if (open_pair(&rx, &tx, false))
        return 1;
    rx_ctx c = { rx, n, 0, 0, 0 };
    pthread_t th;
    pthread_create(&th, NULL, rx_main, &c);
    uint8_t m[EK_RADIO_PSDU_MAX];
    mk(m, psdu - 2);
    uint64_t t0 = ek_mono_ns();
    for (uint64_t i = 0; i < n; i++) {
        m[2] = (uint8_t)i;
        if (ek_radio_send(tx, m, psdu - 2, NULL)) {
            fprintf(stderr, "send: %s\n", ek_radio_errmsg(tx));
            break;
        }
    }
    uint64_t t1 = ek_mono_ns();
    pthread_join(th, NULL);
    double sent_fps = (double)n * 1e9 / (double)(t1 - t0);
    /* Delivered rate over the whole run: first send to last frame received. */
    double recv_fps = c.got > 1 ? (double)c.got * 1e9 / (double)(c.last_t - t0) : 0;
    double air_fps = 1e9 / (double)ek_airtime_ns(psdu);
    printf("radio_rate mode=unpaced psdu=%zu frames=%llu sent_fps=%.0f recv_fps=%.0f delivered=%llu "
           "airtime_fps=%.1f ratio=%.1f\n",
           psdu, (unsigned long long)n, sent_fps, recv_fps, (unsigned long long)c.got, air_fps, recv_fps / air_fps);
    ek_radio_close(tx);
    ek_radio_close(rx);
    return 0;
}

static int paced(size_t psdu, uint64_t n)
{
    ek_radio *rx, *tx;
    if (open_pair(&rx, &tx, true))
        return 1;
    rx_ctx c = { rx, n, 0, 0, 0 };
    pthread_t th;
    pthread_create(&th, NULL, rx_main, &c);
    uint8_t m[EK_RADIO_PSDU_MAX];
    mk(m, psdu - 2);
    uint64_t t0 = 0, t = 0;
    for (uint64_t i = 0; i < n; i++) {
        m[2] = (uint8_t)i;
        if (ek_radio_send(tx, m, psdu - 2, &t)) {
            fprintf(stderr, "send: %s\n", ek_radio_errmsg(tx));
            break;
        }
        if (!i)
            t0 = t;
    }
    pthread_join(th, NULL);
    ek_radio_stats st;
    ek_radio_get_stats(tx, &st);
    double fps = n > 1 ? (double)(n - 1) * 1e9 / (double)(t - t0) : 0;
    printf("radio_rate mode=paced psdu=%zu frames=%llu fps=%.1f airtime_fps=%.1f err_mean_ns=%lld "
           "err_max_ns=%lld delivered=%llu\n",
           psdu, (unsigned long long)n, fps, 1e9 / (double)ek_airtime_ns(psdu),
           st.paced ? (long long)(st.pacing_err_sum_ns / (int64_t)st.paced) : 0LL,
           (long long)st.pacing_err_max_ns, (unsigned long long)c.got);
    ek_radio_close(tx);
    ek_radio_close(rx);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 3 || (argc > 1 && (argv[1][0] < '0' || argv[1][0] > '9'))) {
        fprintf(stderr, "usage: ek-bench-radio-rate [UNPACED_FRAMES [PACED_FRAMES]]   (defaults 200000, 500)\n"
                        "ZEP injection rate over UDP loopback vs the 802.15.4 air-time limit, and the\n"
                        "pacing error of paced sends; one parseable line per result (docs/performance.md).\n");
        return argc > 1 && !strcmp(argv[1], "--help") ? 0 : 64;
    }
    uint64_t nu = argc > 1 ? strtoull(argv[1], NULL, 10) : 200000;
    uint64_t np = argc > 2 ? strtoull(argv[2], NULL, 10) : 500;
    int rc = 0;
    static const size_t sizes[] = { 127, 40 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        rc |= unpaced(sizes[i], nu);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        rc |= paced(sizes[i], np);
    return rc;
}
