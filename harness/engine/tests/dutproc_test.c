/* SPDX-License-Identifier: BSD-3-Clause */
/* DUT process control: spawn in its own process group, death in words (exit status,
 * signal name), reset commands with EK_DUT_PID, group kill at the end. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine_int.h"

static void wait_dead(ek_dutproc *p, char *why, size_t n)
{
    for (int i = 0; i < 400; i++) {
        if (!ek_dutproc_alive(p, why, n))
            return;
        nanosleep(&(struct timespec){ 0, 5000000L }, NULL);
    }
    cr_assert_fail("process still alive");
}

Test(dutproc, status_in_words)
{
    char b[96];
    ek_dutproc_status_text(3 << 8, b, sizeof b);   /* W_EXITCODE(3, 0) */
    cr_assert_str_eq(b, "exited with status 3");
    ek_dutproc_status_text(SIGABRT, b, sizeof b);
    cr_assert_str_eq(b, "killed by signal 6 (SIGABRT)");
    cr_assert_str_eq(ek_signal_name(SIGSEGV), "SIGSEGV");
    cr_assert_str_eq(ek_signal_name(64), "SIG?");
}

Test(dutproc, abort_is_reported_with_the_signal, .timeout = 10)
{
    ek_dutproc p;
    char err[128], why[128];
    cr_assert_eq(ek_dutproc_spawn(&p, "kill -ABRT $$", err, sizeof err), 0);
    wait_dead(&p, why, sizeof why);
    cr_assert(strncmp(why, "killed by signal 6 (SIGABRT)", 28) == 0, "%s", why);
    cr_assert(!ek_dutproc_alive(&p, why, sizeof why));   /* stays dead, same words */
    ek_dutproc_stop(&p, 100);
}

Test(dutproc, exit_status_and_own_group, .timeout = 10)
{
    ek_dutproc p;
    char err[128], why[128];
    cr_assert_eq(ek_dutproc_spawn(&p, "exit 7", err, sizeof err), 0);
    wait_dead(&p, why, sizeof why);
    cr_assert_str_eq(why, "exited with status 7");
    cr_assert_eq(ek_dutproc_spawn(&p, "sleep 30", err, sizeof err), 0);
    cr_assert(ek_dutproc_alive(&p, why, sizeof why));
    for (int i = 0; i < 200 && getpgid(p.pid) != p.pid; i++)
        nanosleep(&(struct timespec){ 0, 5000000L }, NULL);
    cr_assert_eq(getpgid(p.pid), p.pid);   /* leads its own process group */
    ek_dutproc_stop(&p, 500);
    cr_assert(p.exited);
    cr_assert(WIFSIGNALED(p.status));
    cr_assert_eq(WTERMSIG(p.status), SIGTERM);
}

Test(dutproc, stop_kills_the_whole_group, .timeout = 10)
{
    ek_dutproc p;
    char err[128], path[64], why[64];
    snprintf(path, sizeof path, "/tmp/ek-dutproc-%ld.pid", (long)getpid());
    char cmd[200];
    /* a child that ignores nothing and outlives a naive kill of the shell */
    snprintf(cmd, sizeof cmd, "sleep 30 & echo $! > %s; wait", path);
    cr_assert_eq(ek_dutproc_spawn(&p, cmd, err, sizeof err), 0);
    long child = 0;
    for (int i = 0; i < 400 && child <= 0; i++) {
        FILE *f = fopen(path, "r");
        if (f) {
            if (fscanf(f, "%ld", &child) != 1)
                child = 0;
            fclose(f);
        }
        if (child <= 0)
            nanosleep(&(struct timespec){ 0, 5000000L }, NULL);
    }
    cr_assert_gt(child, 0);
    ek_dutproc_stop(&p, 500);
    int gone = 0;
    for (int i = 0; i < 400 && !gone; i++) {
        gone = kill((pid_t)child, 0) != 0;
        if (!gone)
            nanosleep(&(struct timespec){ 0, 5000000L }, NULL);
    }
    cr_assert(gone, "grandchild survived");
    (void)why;
    unlink(path);
}

Test(dutproc, reset_command_sees_the_pid_and_reports_failure, .timeout = 10)
{
    char err[128], path[64], cmd[160];
    snprintf(path, sizeof path, "/tmp/ek-dutproc-reset-%ld", (long)getpid());
    snprintf(cmd, sizeof cmd, "echo \"$EK_DUT_PID\" > %s", path);
    cr_assert_eq(ek_dutproc_run(cmd, 4242, 5000, err, sizeof err), 0, "%s", err);
    FILE *f = fopen(path, "r");
    cr_assert(f);
    long v = 0;
    cr_assert_eq(fscanf(f, "%ld", &v), 1);
    fclose(f);
    cr_assert_eq(v, 4242);
    unlink(path);
    cr_assert_eq(ek_dutproc_run("exit 1", 0, 5000, err, sizeof err), -1);
    cr_assert_str_eq(err, "reset command exited with status 1");
    cr_assert_eq(ek_dutproc_run("sleep 5", 0, 50, err, sizeof err), -1);
    cr_assert_str_eq(err, "reset command still running after 50 ms (killed)");
}
