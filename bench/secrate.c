/* SPDX-License-Identifier: BSD-3-Clause */
/* Benchmark (not a test; docs/performance.md "Link-layer security"): DIOs built per
 * second unsecured vs secured (ek_build_dio_frame + ek_sec_protect, K2, levels 1 and 5)
 * and decoded per second unsecured vs verified (ek_sec_unprotect + ek_frame_decode).
 * One parseable line per result:
 *   secrate op=build|verify level=N frames=N fps=X ratio_to_unsecured=X
 * usage: ek-bench-secrate [FRAMES]   (default 200000) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ek/build.h"
#include "ek/frame.h"
#include "ek/sec.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static ek_frame F; /* 14 KB: static, not on the stack */

int main(int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && (argv[1][0] < '0' || argv[1][0] > '9'))) {
        fprintf(stderr, "usage: ek-bench-secrate [FRAMES]   (default 200000)\n"
                        "DIOs built and decoded per second, unsecured vs IEEE 802.15.4 CCM* (K2,\n"
                        "levels 1 and 5); one parseable line per result (docs/performance.md).\n");
        return argc == 2 && !strcmp(argv[1], "--help") ? 0 : 64;
    }
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000;
    ek_profile prof;
    ek_profile_default(&prof);
    ek_build_node node = { .ext = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x0a }, .pan_id = 0xface, .seq = 0 };
    ek_build_dio d;
    ek_build_dio_init(&d);
    d.has_mep = true;
    d.mep.version = 241;
    d.mep.min_priority = 0x20;
    ek_sec_key k2;
    if (!ek_sec_key_named("K2-contiki", &k2))
        return 2;
    ek_sec_keyring ring;
    ek_sec_keyring_init(&ring);
    (void)ek_sec_keyring_add(&ring, &k2);
    static const uint8_t levels[] = { 0, 1, 5 };
    double build_fps[3] = { 0 }, verify_fps[3] = { 0 };
    volatile size_t sink = 0;
    for (unsigned li = 0; li < 3; li++) {
        uint8_t lvl = levels[li];
        uint8_t plain[EK_BUILD_MPDU_MAX], sec[EK_BUILD_MPDU_MAX + 32], out[EK_BUILD_MPDU_MAX + 32];
        size_t plen = 0, slen = 0, olen = 0;
        ek_err err;
        ek_wpan_sec s = { .level = lvl, .key_id_mode = 1, .key_index = k2.key_index };
        /* build: the DIO, then (levels 1, 5) CCM* */
        double t0 = now_s();
        for (unsigned long i = 0; i < n; i++) {
            node.seq = (uint8_t)i;
            if (ek_build_dio_frame(&node, &d, &prof, plain, sizeof plain, &plen, &err) != EK_OK)
                return 3;
            if (lvl) {
                s.frame_counter = (uint32_t)i;
                ek_sec_info info;
                if (ek_sec_protect(ek_view_make(plain, plen), &s, NULL, &k2, &prof, sec, sizeof sec, &slen, &info,
                                   &err) != EK_OK)
                    return 4;
                sink += slen;
            }
            sink += plen;
        }
        build_fps[li] = (double)n / (now_s() - t0);
        /* verify: (levels 1, 5) CCM* check, then the whole-frame decode */
        const uint8_t *wire = lvl ? sec : plain;
        size_t wlen = lvl ? slen : plen;
        t0 = now_s();
        for (unsigned long i = 0; i < n; i++) {
            ek_view v = ek_view_make(wire, wlen);
            if (lvl) {
                ek_sec_info info;
                if (ek_sec_unprotect(v, &ring, NULL, NULL, &prof, out, sizeof out, &olen, &info, &err) != EK_OK)
                    return 5;
                v = ek_view_make(out, olen);
            }
            if (ek_frame_decode(v, false, &prof, &F) != EK_OK || !F.sum.has_mep)
                return 6;
            sink += F.sum.min_priority;
        }
        verify_fps[li] = (double)n / (now_s() - t0);
    }
    for (unsigned li = 0; li < 3; li++) {
        printf("secrate op=build level=%u frames=%lu fps=%.0f ratio_to_unsecured=%.3f\n", levels[li], n, build_fps[li],
               build_fps[li] / build_fps[0]);
        printf("secrate op=verify level=%u frames=%lu fps=%.0f ratio_to_unsecured=%.3f\n", levels[li], n,
               verify_fps[li], verify_fps[li] / verify_fps[0]);
    }
    return sink == 0;
}
