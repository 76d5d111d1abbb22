/* SPDX-License-Identifier: BSD-3-Clause */
/* DUT process control: the harness starts the DUT (`sh -c spawn`) in its own process
 * group with its stdout/stderr in a log file and its stdin on a pipe, writes the
 * profile's stdin_file and init_commands there, watches it with waitpid(WNOHANG) so a
 * crash is reported in words, runs the reset command between TDs and stops the whole
 * group at the end (POSIX.1-2008). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/stat.h>
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

/* fork + exec sh -c; new_group: the child leads its own process group.  in_fd becomes
 * its stdin (-1 = /dev/null), out_fd its stdout and stderr (-1 = /dev/null). */
static pid_t start_sh(const char *cmd, bool new_group, pid_t env_pid, int in_fd, int out_fd, char *err,
                      size_t errlen)
{
    char pidtxt[24];
    snprintf(pidtxt, sizeof pidtxt, "%ld", (long)env_pid);
    fflush(NULL);   /* no buffered output duplicated into the child */
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        if (new_group)
            setpgid(0, 0);
#ifdef __linux__
        /* a harness that dies outright (a crash, SIGKILL) takes the DUT with it; `exec` in
         * spawn keeps this across the shell */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(127);   /* it died before the line above */
#else
        (void)parent;
#endif
        int null_fd = open("/dev/null", O_RDWR);
        int in = in_fd >= 0 ? in_fd : null_fd, out = out_fd >= 0 ? out_fd : null_fd;
        if (in >= 0 && in != STDIN_FILENO)
            dup2(in, STDIN_FILENO);
        if (out >= 0) {
            if (out != STDOUT_FILENO)
                dup2(out, STDOUT_FILENO);
            if (out != STDERR_FILENO)
                dup2(out, STDERR_FILENO);
        }
        if (null_fd > STDERR_FILENO)
            close(null_fd);
        /* in_fd and out_fd are close-on-exec in the parent, so the exec drops them */
        signal(SIGPIPE, SIG_DFL);   /* the harness ignores it; the DUT gets the default back */
        signal(SIGTERM, SIG_DFL);   /* and whatever the harness blocked: stop and the death */
        sigset_t none;              /* signal above must reach it */
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
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

static int set_cloexec(int fd, bool nonblock)
{
    int fl = fcntl(fd, F_GETFD);
    if (fl < 0 || fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0)
        return -1;
    if (nonblock) {
        fl = fcntl(fd, F_GETFL);
        if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
            return -1;
    }
    return 0;
}

int ek_dutproc_spawn_io(ek_dutproc *p, const char *cmd, const char *log_path, bool want_stdin, char *err,
                        size_t errlen)
{
    memset(p, 0, sizeof *p);
    const char *lp = log_path && log_path[0] ? log_path : "/dev/null";
    int log_fd = open(lp, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0666);
    if (log_fd < 0) {
        snprintf(err, errlen, "cannot open the DUT log %s: %s", lp, strerror(errno));
        return -1;
    }
    int pfd[2] = { -1, -1 };
    if (want_stdin && (pipe(pfd) != 0 || set_cloexec(pfd[0], false) != 0 || set_cloexec(pfd[1], true) != 0)) {
        snprintf(err, errlen, "DUT stdin pipe: %s", strerror(errno));
        if (pfd[0] >= 0)
            close(pfd[0]), close(pfd[1]);
        close(log_fd);
        return -1;
    }
    pid_t pid = start_sh(cmd, true, 0, pfd[0], log_fd, err, errlen);
    if (pfd[0] >= 0)
        close(pfd[0]);   /* the child's end */
    if (pid < 0) {
        if (pfd[1] >= 0)
            close(pfd[1]);
        close(log_fd);
        return -1;
    }
    p->pid = pid;
    p->has_log = true;
    p->log_fd = log_fd;
    p->has_stdin = want_stdin;
    p->stdin_fd = want_stdin ? pfd[1] : 0;
    return 0;
}

int ek_dutproc_spawn(ek_dutproc *p, const char *cmd, char *err, size_t errlen)
{
    return ek_dutproc_spawn_io(p, cmd, NULL, false, err, errlen);
}

static bool holds(const char *buf, size_t n, const char *text, size_t tl)
{
    for (size_t i = 0; i + tl <= n; i++)
        if (buf[i] == text[0] && memcmp(buf + i, text, tl) == 0)
            return true;
    return false;
}

int ek_dutproc_watch_log(ek_dutproc *p, const char *path, char *err, size_t errlen)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        snprintf(err, errlen, "cannot read the DUT log %s back: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "the DUT log %s is not a regular file (a FIFO or a terminal?): it cannot be read back",
                 path);
        close(fd);
        return -1;
    }
    p->has_watch = true;
    p->watch_fd = fd;
    p->watch_seen = 0;
    return 0;
}

bool ek_dutproc_log_has(ek_dutproc *p, const char *text)
{
    size_t tl = strlen(text);
    char buf[4096];
    if (!p->has_watch || tl == 0 || tl > 255)
        return false;
    for (;;) {
        ssize_t got = pread(p->watch_fd, buf, sizeof buf, p->watch_seen);
        if (got < (ssize_t)tl)
            return false;   /* nothing new, or too little yet to hold it */
        if (holds(buf, (size_t)got, text, tl))
            return true;
        /* a match may straddle what is there now and what comes next */
        p->watch_seen += got - (ssize_t)(tl - 1);
        if ((size_t)got < sizeof buf)
            return false;
    }
}

void ek_dutproc_log_skip(ek_dutproc *p)
{
    struct stat st;
    if (p->has_watch && fstat(p->watch_fd, &st) == 0)
        p->watch_seen = st.st_size;
}

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Writes buf[0..n) to the DUT's stdin before deadline (CLOCK_MONOTONIC ms).  SIGPIPE is
 * blocked around the write and a SIGPIPE it raised is consumed, so a DUT that closed its
 * stdin is an EPIPE message, not the harness's death, whatever the caller's disposition. */
static int stdin_write(ek_dutproc *p, const char *buf, size_t n, uint64_t deadline, size_t *total, char *err,
                       size_t errlen)
{
    sigset_t pipe_set, old, pending;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    sigpending(&pending);
    bool was_pending = sigismember(&pending, SIGPIPE) == 1;
    int rc = 0;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(p->stdin_fd, buf + done, n - done);
        if (w > 0) {
            done += (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            uint64_t now = mono_ms();
            if (now < deadline) {
                struct pollfd pf = { .fd = p->stdin_fd, .events = POLLOUT };
                int left = (int)(deadline - now);
                (void)poll(&pf, 1, left > 50 ? 50 : left);
                continue;
            }
            snprintf(err, errlen, "the DUT does not read its stdin (%zu bytes written, %zu waiting after %u ms)",
                     *total + done, n - done, (unsigned)EK_DUTPROC_STDIN_TIMEOUT_MS);
        } else if (w < 0 && errno == EPIPE) {
            snprintf(err, errlen, "the DUT closed its stdin (EPIPE) after %zu bytes", *total + done);
        } else {
            snprintf(err, errlen, "writing the DUT's stdin: %s", w < 0 ? strerror(errno) : "no progress");
        }
        rc = -1;
        break;
    }
    if (!was_pending) {
        sigpending(&pending);
        if (sigismember(&pending, SIGPIPE) == 1) {
            struct timespec zero = { 0, 0 };
            (void)sigtimedwait(&pipe_set, NULL, &zero);
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    *total += done;
    return rc;
}

int ek_dutproc_send_init(ek_dutproc *p, const ek_dut *d, char *err, size_t errlen)
{
    if (errlen)
        err[0] = '\0';
    if (!d->stdin_file[0] && !d->init_commands[0])
        return 0;
    if (!p->has_stdin) {
        snprintf(err, errlen, "the DUT has no stdin pipe (spawned without one, or not spawned by the harness)");
        return -1;
    }
    uint64_t deadline = mono_ms() + EK_DUTPROC_STDIN_TIMEOUT_MS;
    size_t total = 0;
    char buf[4096];
    if (d->stdin_file[0]) {
        FILE *f = fopen(d->stdin_file, "rb");
        if (!f) {
            snprintf(err, errlen, "stdin_file %s: %s", d->stdin_file, strerror(errno));
            return -1;
        }
        size_t n;
        char last = '\n';
        int rc = 0;
        while (rc == 0 && (n = fread(buf, 1, sizeof buf, f)) > 0) {
            last = buf[n - 1];
            rc = stdin_write(p, buf, n, deadline, &total, err, errlen);
        }
        bool bad = ferror(f);
        fclose(f);
        if (rc == 0 && bad) {
            snprintf(err, errlen, "stdin_file %s: read error", d->stdin_file);
            return -1;
        }
        if (rc == 0 && last != '\n')
            rc = stdin_write(p, "\n", 1, deadline, &total, err, errlen);
        if (rc != 0)
            return -1;
    }
    for (const char *s = d->init_commands; *s;) {
        const char *bar = strchr(s, '|');
        const char *end = bar ? bar : s + strlen(s);
        while (s < end && (*s == ' ' || *s == '\t'))
            s++;
        const char *e = end;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        size_t n = (size_t)(e - s);
        if (n + 1 > sizeof buf)
            n = sizeof buf - 1;
        memcpy(buf, s, n);
        buf[n++] = '\n';
        if (stdin_write(p, buf, n, deadline, &total, err, errlen) != 0)
            return -1;
        if (!bar)
            break;
        s = bar + 1;
    }
    return 0;
}

int ek_dutproc_send_line(ek_dutproc *p, const char *line, char *err, size_t errlen)
{
    if (errlen)
        err[0] = '\0';
    if (!p->has_stdin) {
        snprintf(err, errlen, "the DUT has no stdin pipe (spawned without one, or not spawned by the harness)");
        return -1;
    }
    char buf[4096];
    size_t n = strlen(line);
    if (n + 1 > sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, line, n);
    buf[n++] = '\n';
    size_t total = 0;
    return stdin_write(p, buf, n, mono_ms() + EK_DUTPROC_STDIN_TIMEOUT_MS, &total, err, errlen) == 0 ? 0 : -1;
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

static int run_cmd(const char *cmd, pid_t dut_pid, int out_fd, uint32_t timeout_ms, char *err, size_t errlen)
{
    pid_t pid = start_sh(cmd, false, dut_pid, -1, out_fd, err, errlen);
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

int ek_dutproc_run_io(const ek_dutproc *p, const char *cmd, uint32_t timeout_ms, char *err, size_t errlen)
{
    return run_cmd(cmd, p->pid, p->has_log ? p->log_fd : -1, timeout_ms, err, errlen);
}

int ek_dutproc_run(const char *cmd, pid_t dut_pid, uint32_t timeout_ms, char *err, size_t errlen)
{
    return run_cmd(cmd, dut_pid, -1, timeout_ms, err, errlen);
}

void ek_dutproc_stop(ek_dutproc *p, uint32_t grace_ms)
{
    if (p->has_stdin) {
        close(p->stdin_fd);   /* EOF first: a shell-driven DUT may end by itself */
        p->has_stdin = false;
    }
    if (p->has_watch)
        close(p->watch_fd), p->has_watch = false;
    if (p->pid <= 0) {
        if (p->has_log)
            close(p->log_fd), p->has_log = false;
        return;
    }
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
    if (p->has_log) {
        close(p->log_fd);
        p->has_log = false;
    }
}
