/* SPDX-License-Identifier: BSD-3-Clause */
/* DUT process control: the harness starts the DUT (`sh -c spawn`) in its own process
 * group, watches it with waitpid(WNOHANG) so a crash is reported in words, runs the
 * reset command between TDs and stops the whole group at the end (POSIX.1-2008). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine_int.h"

const char *ek_signal_name(int sig)
{
    switch (sig) {
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    case SIGQUIT: return "SIGQUIT";
    case SIGILL: return "SIGILL";
    case SIGTRAP: return "SIGTRAP";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGUSR1: return "SIGUSR1";
    case SIGSEGV: return "SIGSEGV";
    case SIGUSR2: return "SIGUSR2";
    case SIGPIPE: return "SIGPIPE";
    case SIGALRM: return "SIGALRM";
    case SIGTERM: return "SIGTERM";
    case SIGCHLD: return "SIGCHLD";
    case SIGSYS: return "SIGSYS";
    default: return "SIG?";
    }
}

void ek_dutproc_status_text(int status, char *buf, size_t buflen)
{
    if (WIFEXITED(status))
        snprintf(buf, buflen, "exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(buf, buflen, "killed by signal %d (%s)%s", WTERMSIG(status), ek_signal_name(WTERMSIG(status)),
                 WCOREDUMP(status) ? ", core dumped" : "");
    else
        snprintf(buf, buflen, "stopped (status 0x%x)", (unsigned)status);
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* fork + exec sh -c; new_group: the child leads its own process group. */
static pid_t start_sh(const char *cmd, bool new_group, pid_t env_pid, char *err, size_t errlen)
{
    char pidtxt[24];
    snprintf(pidtxt, sizeof pidtxt, "%ld", (long)env_pid);
    fflush(NULL);   /* no buffered output duplicated into the child */
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        if (new_group)
            setpgid(0, 0);
        int fd = open("/dev/null", O_RDONLY);
        if (fd >= 0) {
            dup2(fd, STDIN_FILENO);
            if (fd != STDIN_FILENO)
                close(fd);
        }
        if (env_pid > 0)
            setenv("EK_DUT_PID", pidtxt, 1);
        else if (!new_group)
            unsetenv("EK_DUT_PID");
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    if (new_group)
        setpgid(pid, pid);   /* also here: no race with an early kill(-pid) */
    return pid;
}

int ek_dutproc_spawn(ek_dutproc *p, const char *cmd, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    pid_t pid = start_sh(cmd, true, 0, err, errlen);
    if (pid < 0)
        return -1;
    p->pid = pid;
    return 0;
}

bool ek_dutproc_alive(ek_dutproc *p, char *why, size_t whylen)
{
    if (p->pid <= 0) {
        snprintf(why, whylen, "not started");
        return false;
    }
    if (!p->exited) {
        int st;
        pid_t r = waitpid(p->pid, &st, WNOHANG);
        if (r == 0)
            return true;
        p->exited = true;
        p->status = r == p->pid ? st : 0;
    }
    ek_dutproc_status_text(p->status, why, whylen);
    return false;
}

int ek_dutproc_run(const char *cmd, pid_t dut_pid, uint32_t timeout_ms, char *err, size_t errlen)
{
    pid_t pid = start_sh(cmd, false, dut_pid, err, errlen);
    if (pid < 0)
        return -1;
    for (uint32_t waited = 0;; waited += 5) {
        int st;
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid) {
            if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
                return 0;
            char t[96];
            ek_dutproc_status_text(st, t, sizeof t);
            snprintf(err, errlen, "reset command %s", t);
            return -1;
        }
        if (r < 0) {
            snprintf(err, errlen, "reset command: waitpid: %s", strerror(errno));
            return -1;
        }
        if (waited >= timeout_ms) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            snprintf(err, errlen, "reset command still running after %u ms (killed)", (unsigned)timeout_ms);
            return -1;
        }
        sleep_ms(5);
    }
}

void ek_dutproc_stop(ek_dutproc *p, uint32_t grace_ms)
{
    if (p->pid <= 0)
        return;
    /* the group first: the shell's children go too (and remain after an exited leader) */
    kill(-p->pid, SIGTERM);
    for (uint32_t w = 0; !p->exited && w < grace_ms; w += 5) {
        char why[8];
        if (!ek_dutproc_alive(p, why, sizeof why))
            break;
        sleep_ms(5);
    }
    kill(-p->pid, SIGKILL);
    if (!p->exited) {
        int st;
        if (waitpid(p->pid, &st, 0) == p->pid)
            p->status = st;
        p->exited = true;
    }
}
