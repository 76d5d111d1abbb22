/* SPDX-License-Identifier: BSD-3-Clause */
/* enroll-refdut's process plumbing shared by both roles (process.h). */
#include "process.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/radio.h"

volatile sig_atomic_t ek_refdut_stop, ek_refdut_hup;
static uint64_t log_t0;
static int log_verbosity = 1;

static void on_signal(int sig)
{
    if (sig == SIGHUP)
        ek_refdut_hup = 1;
    else
        ek_refdut_stop = 1;
}

void ek_refdut_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

void ek_refdut_log_start(int verbosity)
{
    log_verbosity = verbosity;
    log_t0 = ek_mono_ns();
}

void ek_refdut_log(int level, const char *fmt, ...)
{
    if (level > log_verbosity)
        return;
    uint64_t t = ek_mono_ns() - log_t0;
    fprintf(stderr, "enroll-refdut: +%" PRIu64 ".%03" PRIu64 " s ", t / 1000000000u, t / 1000000u % 1000u);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

bool ek_refdut_parse_uint(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    if (!s || *s < '0' || *s > '9')
        return false;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || !end || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

bool ek_refdut_mirror_zep(const char *uri, char *out, size_t outlen)
{
    static const char scheme[] = "zep://";
    const char *q = strstr(uri, "?local=");
    if (strncmp(uri, scheme, sizeof scheme - 1) != 0 || !q)
        return false;
    const char *remote = uri + sizeof scheme - 1;
    const char *local = q + strlen("?local=");
    if (q == remote || memchr(remote, '&', (size_t)(q - remote)) || !*local || strchr(local, '&') ||
        strchr(local, '?'))
        return false;
    int n = snprintf(out, outlen, "zep://%s?local=%.*s", local, (int)(q - remote), remote);
    return n > 0 && (size_t)n < outlen;
}
