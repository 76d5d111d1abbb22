/* SPDX-License-Identifier: BSD-3-Clause */
/* DUT process control: spawn in its own process group, death in words (exit status,
 * signal name), reset commands with EK_DUT_PID, group kill at the end; the DUT's output
 * in its log (never the harness's stdout), its stdin fed from stdin_file and
 * init_commands, a DUT that closes or never reads its stdin reported in words. */
#include <criterion/criterion.h>
#include <fcntl.h>
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

/* ---- I/O: the log and the stdin pipe ---- */

/* The whole file as a string (at most cap - 1 bytes); "" when missing. */
static void slurp(const char *path, char *buf, size_t cap)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static void tmp_path(char *path, size_t n, const char *what)
{
    snprintf(path, n, "/tmp/ek-dutproc-%s-%ld", what, (long)getpid());
    unlink(path);
}

/* Waits until the DUT exited by itself (stdin closed / command done). */
static void wait_exit(ek_dutproc *p)
{
    char why[96];
    wait_dead(p, why, sizeof why);
}

Test(dutproc, stdout_and_stderr_go_to_the_log_not_to_the_harness, .timeout = 10)
{
    char log[96], err[256], text[256];
    tmp_path(log, sizeof log, "log");
    /* the harness's own stdout is a file we can inspect: the DUT must not write there */
    char out[96];
    tmp_path(out, sizeof out, "stdout");
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    cr_assert(saved >= 0 && fd >= 0);
    dup2(fd, STDOUT_FILENO);
    close(fd);
    ek_dutproc p;
    int rc = ek_dutproc_spawn_io(&p, "echo hello; echo oops >&2", log, false, err, sizeof err);
    if (rc == 0)
        wait_exit(&p);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert(p.has_log);
    cr_assert_not(p.has_stdin);
    /* a reset command's output lands in the same log, after the DUT's */
    cr_assert_eq(ek_dutproc_run_io(&p, "echo reset-said-this", 5000, err, sizeof err), 0, "%s", err);
    ek_dutproc_stop(&p, 100);
    cr_assert_not(p.has_log);
    slurp(log, text, sizeof text);
    cr_assert_str_eq(text, "hello\noops\nreset-said-this\n");
    slurp(out, text, sizeof text);
    cr_assert_str_eq(text, "", "the DUT wrote into the harness's stdout: %s", text);
    unlink(log);
    unlink(out);
}

Test(dutproc, no_log_path_discards_the_output, .timeout = 10)
{
    char err[256];
    ek_dutproc p;
    cr_assert_eq(ek_dutproc_spawn(&p, "echo to-dev-null", err, sizeof err), 0, "%s", err);
    wait_exit(&p);
    cr_assert_eq(ek_dutproc_run_io(&p, "true", 5000, err, sizeof err), 0, "%s", err);
    ek_dutproc_stop(&p, 100);
    cr_assert_eq(ek_dutproc_spawn_io(&p, "true", "/nonexistent-dir/dut.log", false, err, sizeof err), -1);
    cr_assert_str_eq(err, "cannot open the DUT log /nonexistent-dir/dut.log: No such file or directory");
    cr_assert_eq(p.pid, 0);
}

Test(dutproc, stdin_file_then_init_commands_reach_the_dut, .timeout = 10)
{
    char got[96], conf[96], err[256], cmd[200], text[512];
    tmp_path(got, sizeof got, "stdin-got");
    tmp_path(conf, sizeof conf, "stdin-conf");
    FILE *f = fopen(conf, "w");
    cr_assert(f);
    fputs("ifconfig 7 set pan_id 0xface\nifconfig 7 set chan 26", f);   /* no final newline */
    fclose(f);
    ek_dut d;
    ek_dut_default(&d);
    snprintf(d.stdin_file, sizeof d.stdin_file, "%s", conf);
    snprintf(d.init_commands, sizeof d.init_commands, "rpl init 7 |  rpl root 7 fd00::1  ||last");
    snprintf(cmd, sizeof cmd, "cat > %s", got);
    ek_dutproc p;
    cr_assert_eq(ek_dutproc_spawn_io(&p, cmd, NULL, true, err, sizeof err), 0, "%s", err);
    cr_assert(p.has_stdin);
    cr_assert_eq(ek_dutproc_send_init(&p, &d, err, sizeof err), 0, "%s", err);
    /* after a reset the same lines go again */
    cr_assert_eq(ek_dutproc_send_init(&p, &d, err, sizeof err), 0, "%s", err);
    /* EOF on its stdin ends cat by itself (ek_dutproc_stop closes the pipe the same way,
     * but follows with SIGTERM at once) */
    close(p.stdin_fd);
    p.has_stdin = false;
    wait_exit(&p);
    cr_assert(WIFEXITED(p.status) && WEXITSTATUS(p.status) == 0, "cat did not end on EOF");
    ek_dutproc_stop(&p, 100);
    slurp(got, text, sizeof text);
    static const char once[] = "ifconfig 7 set pan_id 0xface\nifconfig 7 set chan 26\nrpl init 7\n"
                               "rpl root 7 fd00::1\n\nlast\n";
    char want[512];
    snprintf(want, sizeof want, "%s%s", once, once);
    cr_assert_str_eq(text, want);
    unlink(got);
    unlink(conf);
}

Test(dutproc, send_init_errors_are_messages, .timeout = 20)
{
    char err[256], big[96];
    ek_dut d;
    ek_dut_default(&d);
    ek_dutproc p;
    /* nothing to send is fine even without a pipe */
    memset(&p, 0, sizeof p);
    cr_assert_eq(ek_dutproc_send_init(&p, &d, err, sizeof err), 0);
    snprintf(d.init_commands, sizeof d.init_commands, "help");
    cr_assert_eq(ek_dutproc_send_init(&p, &d, err, sizeof err), -1);
    cr_assert_str_eq(err, "the DUT has no stdin pipe (spawned without one, or not spawned by the harness)");

    /* a DUT that closed its stdin: EPIPE in words, and the test process (SIGPIPE at its
     * default disposition) survives */
    signal(SIGPIPE, SIG_DFL);
    cr_assert_eq(ek_dutproc_spawn_io(&p, "exec 0<&-; sleep 30", NULL, true, err, sizeof err), 0, "%s", err);
    nanosleep(&(struct timespec){ 0, 200000000L }, NULL);
    cr_assert_eq(ek_dutproc_send_init(&p, &d, err, sizeof err), -1);
    cr_assert_str_eq(err, "the DUT closed its stdin (EPIPE) after 0 bytes");
    sigset_t pending;
    sigpending(&pending);
    cr_assert_not(sigismember(&pending, SIGPIPE), "a SIGPIPE was left pending");
    ek_dutproc_stop(&p, 500);

    /* an unreadable stdin_file names the path */
    d.init_commands[0] = '\0';
    snprintf(d.stdin_file, sizeof d.stdin_file, "/nonexistent-dir/init.txt");
    cr_assert_eq(ek_dutproc_spawn_io(&p, "sleep 30", NULL, true, err, sizeof err), 0, "%s", err);
    cr_assert_eq(ek_dutproc_send_init(&p, &d, err, sizeof err), -1);
    cr_assert_str_eq(err, "stdin_file /nonexistent-dir/init.txt: No such file or directory");

    /* a DUT that never reads: the pipe fills, the harness gives up after the timeout */
    tmp_path(big, sizeof big, "stdin-big");
    FILE *f = fopen(big, "w");
    cr_assert(f);
    for (int i = 0; i < 4096; i++)
        fputs("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n", f);   /* 256 KiB */
    fclose(f);
    snprintf(d.stdin_file, sizeof d.stdin_file, "%s", big);
    cr_assert_eq(ek_dutproc_send_init(&p, &d, err, sizeof err), -1);
    cr_assert(strncmp(err, "the DUT does not read its stdin (", 33) == 0, "%s", err);
    cr_assert(strstr(err, "after 2000 ms)") != NULL, "%s", err);
    ek_dutproc_stop(&p, 500);
    unlink(big);
}

/* dut.ready_line: found when the line arrives in pieces across two looks, not before it
 * is complete, nor without a watched log. */
Test(dutproc, log_has_finds_the_ready_line_wherever_it_lands, .timeout = 10)
{
    char log[96], err[256];
    tmp_path(log, sizeof log, "ready");
    ek_dutproc p;
    /* 4090 octets of chatter, then the line in two writes 200 ms apart, straddling 4096 */
    cr_assert_eq(ek_dutproc_spawn_io(&p, "head -c 4090 /dev/zero | tr '\\0' x; printf 'up o'; sleep 0.2; "
                                         "printf 'n zep\\n'; sleep 30", log, false, err, sizeof err), 0, "%s", err);
    cr_assert_eq(ek_dutproc_watch_log(&p, log, err, sizeof err), 0, "%s", err);
    bool seen_early = false, seen = false;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < 400 && !seen; i++) {
        seen = ek_dutproc_log_has(&p, "up on zep");
        if (!seen)
            nanosleep(&(struct timespec){ 0, 5000000L }, NULL);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    /* "up o" alone, before the rest arrived 200 ms later, must not count */
    seen_early = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 < 150;
    cr_assert(seen, "ready line never found");
    cr_assert(!seen_early);
    cr_assert(!ek_dutproc_log_has(&p, "never printed"));
    cr_assert(!ek_dutproc_log_has(&p, ""));
    ek_dutproc_stop(&p, 500);
    unlink(log);

    ek_dutproc none;
    memset(&none, 0, sizeof none);
    cr_assert(!ek_dutproc_log_has(&none, "up on"));   /* no log: nothing to look at */
}

/* The scan reads 4 KiB at a time: a text anywhere in a log written before the first look,
 * across every read boundary, is found in one look; one absent is not. */
Test(dutproc, log_has_finds_the_text_across_its_reads)
{
    char log[96], err[256];
    tmp_path(log, sizeof log, "scan");
    static char big[20000];
    static const char text[] = "up on zep://127.0.0.1";
    for (size_t at = 4000; at < 12400; at += 7) {
        memset(big, 'x', sizeof big);
        memcpy(big + at, text, sizeof text - 1);
        FILE *f = fopen(log, "w");
        cr_assert(f);
        cr_assert_eq(fwrite(big, 1, sizeof big, f), sizeof big);
        fclose(f);
        ek_dutproc p;
        memset(&p, 0, sizeof p);
        cr_assert_eq(ek_dutproc_watch_log(&p, log, err, sizeof err), 0, "%s", err);
        cr_assert(ek_dutproc_log_has(&p, text), "text at %zu not found", at);
        ek_dutproc_stop(&p, 0);
    }
    ek_dutproc p;
    memset(&p, 0, sizeof p);
    cr_assert_eq(ek_dutproc_watch_log(&p, log, err, sizeof err), 0, "%s", err);
    cr_assert(!ek_dutproc_log_has(&p, "up on zep://127.0.0.2"));
    ek_dutproc_stop(&p, 0);
    unlink(log);
}

/* dut.reset_line: after ek_dutproc_log_skip only a new occurrence counts, not the line a
 * previous reset printed. */
Test(dutproc, log_skip_leaves_earlier_lines_behind)
{
    char log[96], err[256];
    tmp_path(log, sizeof log, "skip");
    FILE *f = fopen(log, "w");
    cr_assert(f);
    fputs("up on zep\nSIGHUP: state forgotten\n", f);
    fflush(f);
    ek_dutproc p;
    memset(&p, 0, sizeof p);
    cr_assert_eq(ek_dutproc_watch_log(&p, log, err, sizeof err), 0, "%s", err);
    cr_assert(ek_dutproc_log_has(&p, "SIGHUP: state forgotten"), "before the skip the old line counts");
    ek_dutproc_log_skip(&p);
    cr_assert_not(ek_dutproc_log_has(&p, "SIGHUP: state forgotten"), "the old line no longer counts");
    fputs("tx DIO\nSIGHUP: state forg", f);
    fflush(f);
    cr_assert_not(ek_dutproc_log_has(&p, "SIGHUP: state forgotten"), "half a line is not the line");
    fputs("otten\n", f);
    fflush(f);
    cr_assert(ek_dutproc_log_has(&p, "SIGHUP: state forgotten"), "the new line counts");
    fclose(f);
    ek_dutproc_stop(&p, 0);
    unlink(log);

    ek_dutproc none;
    memset(&none, 0, sizeof none);
    ek_dutproc_log_skip(&none);   /* no log: nothing to do */
    cr_assert_not(ek_dutproc_log_has(&none, "SIGHUP"));
}

/* A log that cannot be read back is refused in words, not waited on until the timeout. */
Test(dutproc, watch_log_refuses_what_cannot_be_read_back)
{
    char err[256];
    ek_dutproc p;
    memset(&p, 0, sizeof p);
    cr_assert_eq(ek_dutproc_watch_log(&p, "/dev/null", err, sizeof err), -1);
    cr_assert(strstr(err, "/dev/null is not a regular file"), "%s", err);
    cr_assert_eq(ek_dutproc_watch_log(&p, "/nonexistent/dir/dut.log", err, sizeof err), -1);
    cr_assert(strstr(err, "cannot read the DUT log /nonexistent/dir/dut.log back"), "%s", err);
    cr_assert(!p.has_watch);
}

#ifdef __linux__
#include <sys/prctl.h>
/* A harness that dies without stopping its DUT (a crash, SIGKILL) leaves nothing running:
 * the DUT gets SIGTERM with its parent's death. */
Test(dutproc, a_harness_dying_outright_takes_its_dut_along, .timeout = 10)
{
    cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);   /* the orphan comes back to us */
    char path[96];
    tmp_path(path, sizeof path, "orphan");
    pid_t harness = fork();
    cr_assert_geq(harness, 0);
    if (harness == 0) {
        ek_dutproc p;
        char err[128], cmd[400];
        snprintf(cmd, sizeof cmd, "echo $$ > %s.tmp && mv %s.tmp %s && exec sleep 30", path, path, path);
        if (ek_dutproc_spawn(&p, cmd, err, sizeof err) != 0)
            _exit(1);
        for (int i = 0; i < 1000 && access(path, F_OK) != 0; i++)
            nanosleep(&(struct timespec){ 0, 5000000L }, NULL);
        _exit(access(path, F_OK) == 0 ? 0 : 2);   /* no ek_dutproc_stop */
    }
    int st;
    cr_assert_eq(waitpid(harness, &st, 0), harness);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the stand-in harness could not start its DUT");
    long dut = 0;
    FILE *f = fopen(path, "r");
    cr_assert(f);
    cr_assert_eq(fscanf(f, "%ld", &dut), 1);
    fclose(f);
    unlink(path);
    bool gone = false;   /* reaped by us, its subreaper */
    for (int i = 0; i < 1000 && !gone; i++) {
        gone = waitpid((pid_t)dut, &st, WNOHANG) == (pid_t)dut;
        if (!gone)
            nanosleep(&(struct timespec){ 0, 5000000L }, NULL);
    }
    if (!gone)
        kill((pid_t)dut, SIGKILL);
    cr_assert(gone, "the DUT outlived its harness");
    cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
}
#endif
