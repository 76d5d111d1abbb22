/* SPDX-License-Identifier: BSD-3-Clause */
/* What both roles of enroll-refdut (the 6LR / root / JP / JRC in main.c, the pledge in
 * pledge_main.c) share as processes: the signals a harness sends, the status line
 * format, number parsing and the ZEP URI --from-env mirrors. */
#ifndef EK_REFDUT_PROCESS_H
#define EK_REFDUT_PROCESS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Set by SIGTERM / SIGINT (stop) and SIGHUP (the harness's reset: a reboot). */
extern volatile sig_atomic_t ek_refdut_stop, ek_refdut_hup;

/* Installs the handlers without SA_RESTART and ignores SIGPIPE.  First thing in main: a
 * harness may send its reset right after spawning us, and the default action of SIGHUP
 * would kill the process. */
void ek_refdut_signals(void);
/* Status lines at or below `verbosity` (0 quiet, 1 default, 2 verbose) are written;
 * their time stamps count from this call. */
void ek_refdut_log_start(int verbosity);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void ek_refdut_log(int level, const char *fmt, ...);
/* A number in [lo, hi] as strtoull reads it with base 0 (decimal, 0x hex, 0 octal),
 * nothing after it. */
bool ek_refdut_parse_uint(const char *s, uint64_t lo, uint64_t hi, uint64_t *out);
/* The harness's radio URI seen from the DUT: zep://REMOTE?local=LOCAL becomes
 * zep://LOCAL?local=REMOTE.  False for anything else (then --radio is needed). */
bool ek_refdut_mirror_zep(const char *uri, char *out, size_t outlen);

#endif /* EK_REFDUT_PROCESS_H */
