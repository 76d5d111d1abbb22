/* SPDX-License-Identifier: BSD-3-Clause */
/* Engine internals shared by its source files and unit tests (not installed):
 * stimulus building (stim.c) and DUT process control (dutproc.c). */
#ifndef EK_ENGINE_INT_H
#define EK_ENGINE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ek/engine.h"

/* snprintf for messages that may be cut at their buffer's end (on purpose: reports
 * carry at most EK_MSG_MAX - 1 characters). */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void ek_msgf(char *dst, size_t n, const char *fmt, ...);

/* ---- stim.c ---- */
/* Default DIO rank of a role: A 256 (root / preferred parent), B and ROGUE 1024. */
uint16_t ek_stim_role_rank(ek_role r);
const char *ek_role_name(ek_role r);   /* "A" "B" "ROGUE" */

/* Parses extra_hex ("f0 02 aa bb; f1 00"): per option Type, Length as declared, then
 * data.  Without ';' between options the declared Length splits them while it fits; the
 * data of an option whose Length runs past the text is what remains.  Returns the number
 * of options (0 for NULL / empty), -1 with a message on bad hex or too many. */
int ek_stim_parse_extra(const char *hex, ek_build_raw_opt *out, unsigned cap, char *err, size_t errlen);

/* The DIO of a stimulus (kind EK_STIM_DIO): role address, PAN from the DUT profile,
 * MAC sequence `seq`, option in dut->prof.  *mep / *has_mep: the option it carries.
 * ctx is handed to stim->tweak.  Returns 0, or -1 with the reason in err. */
int ek_stim_build(const ek_stimulus *s, const ek_dut *dut, const ek_td_ctx *ctx, uint8_t seq, uint8_t *out,
                  size_t cap, size_t *len, ek_minprio *mep, bool *has_mep, char *err, size_t errlen);
/* The Enhanced Beacon of a stimulus (kind EK_STIM_EB, RFC 8180 §6.1): role address,
 * PAN from the DUT profile, ASN s->eb_asn, join metric DAGRank(rank) - 1, Join-Info
 * (dut->prof) with proxy priority EK_STIM_EB_PROXY_PRIO.  Unsecured.  0, or -1 + err. */
#define EK_STIM_EB_PROXY_PRIO 0x20
int ek_stim_build_eb(const ek_stimulus *s, const ek_dut *dut, uint8_t seq, uint8_t *out, size_t cap, size_t *len,
                     char *err, size_t errlen);
/* A multicast DIS from the stimulus's role (RFC 6550 §6.2: no Solicited Information, so
 * every receiver MUST reset its Trickle timer, §8.3).  Unsecured.  0, or -1 + err. */
int ek_stim_build_dis(const ek_stimulus *s, const ek_dut *dut, uint8_t seq, uint8_t *out, size_t cap, size_t *len,
                      char *err, size_t errlen);
/* The DODAG Configuration option the harness's roles send: RFC 6550 §6.7.6 with the DUT
 * profile's [timing] (DIOIntMin = log2(dio_imin_ms), doublings, redundancy) and [dodag]
 * (MinHopRankIncrease, OCP), so the DUT's Trickle and rank follow what the windows assume. */
void ek_stim_conf(const ek_dut *dut, ek_rpl_dodag_conf *conf);
/* The key and level a stimulus is secured with (RFC 8180 §4.6): false when it
 * goes unsecured (security off in the profile, or s->sec == EK_SSEC_NONE).  AUTO: K2 at
 * dio_level for DIOs, K1 at eb_level for EBs; WRONG_KEY: that key's index with other
 * octets; DEFAULT_K1: "K1-minimal15", key index 1, at the frame kind's level. */
bool ek_stim_sec_key(const ek_stimulus *s, const ek_dut *dut, bool is_eb, ek_sec_key *key, uint8_t *level);
/* Secures the unsecured MPDU buf[0..*len) in place per ek_stim_sec_key with frame counter
 * fc (and ASN asn in ASN-nonce mode); *secured says whether it did.  0, or -1 + err. */
int ek_stim_secure(const ek_stimulus *s, const ek_dut *dut, bool is_eb, uint32_t fc, uint64_t asn, uint8_t *buf,
                   size_t cap, size_t *len, bool *secured, char *err, size_t errlen);
/* One line: "DIO from A rank 256 version 240 min 0x30 v241 T=0 +1 extra". */
void ek_stim_describe(const ek_stimulus *s, char *buf, size_t buflen);

/* ---- dutproc.c ---- */
/* A zero-initialised ek_dutproc is "no process, no log, no stdin". */
typedef struct ek_dutproc {
    pid_t pid;           /* process (and process group) id, 0 = none */
    bool exited;         /* reaped */
    int status;          /* waitpid status once exited */
    bool has_log;        /* log_fd is open */
    int log_fd;          /* the DUT log (or /dev/null): the DUT's and reset commands' stdout/stderr */
    bool has_stdin;      /* stdin_fd is open */
    int stdin_fd;        /* write end of the DUT's stdin pipe (non-blocking, close-on-exec) */
    bool has_watch;      /* watch_fd is open */
    int watch_fd;        /* the log read back (ek_dutproc_watch_log), read-only */
    off_t watch_seen;    /* ek_dutproc_log_has: where its next look starts */
} ek_dutproc;

/* How long ek_dutproc_send_init waits for a DUT that does not read its stdin. */
#define EK_DUTPROC_STDIN_TIMEOUT_MS 2000u

/* Starts `sh -c cmd` in its own process group.  Its stdout and stderr go to log_path
 * (created or truncated; NULL = /dev/null), never to the harness's own output; its stdin
 * is a pipe p keeps open when want_stdin (ek_dutproc_send_init), else /dev/null.  The log
 * stays open for ek_dutproc_run_io.  0, or -1 + err (nothing left open). */
int ek_dutproc_spawn_io(ek_dutproc *p, const char *cmd, const char *log_path, bool want_stdin, char *err,
                        size_t errlen);
/* ek_dutproc_spawn_io(p, cmd, NULL, false, ...): output discarded, stdin /dev/null. */
int ek_dutproc_spawn(ek_dutproc *p, const char *cmd, char *err, size_t errlen);
/* Opens the DUT log at `path` (the one given to ek_dutproc_spawn_io) for reading back:
 * 0, or -1 + err when it cannot be read or is not a regular file (a FIFO or a terminal
 * cannot be read back).  Closed by ek_dutproc_stop. */
int ek_dutproc_watch_log(ek_dutproc *p, const char *path, char *err, size_t errlen);
/* Whether the watched log holds `text` (1..255 characters; what the DUT's stdio still
 * buffers is not there yet), reading only what came since the last look; one text at a
 * time (ek_dutproc_log_skip before looking for another).  false without a watched log. */
bool ek_dutproc_log_has(ek_dutproc *p, const char *text);
/* The next ek_dutproc_log_has looks only at what the DUT prints from now on (a reset
 * acknowledged by a line it also printed before). */
void ek_dutproc_log_skip(ek_dutproc *p);
/* Writes d->stdin_file's content (a final '\n' added when missing), then each
 * d->init_commands line ('|'-separated, blanks around each trimmed, '\n'-terminated) to
 * the DUT's stdin.  Never blocks longer than EK_DUTPROC_STDIN_TIMEOUT_MS in all and never
 * raises SIGPIPE.  0 (also when there is nothing to send), or -1 + err: no stdin pipe,
 * unreadable file, the DUT closed its stdin (EPIPE), or it does not read. */
int ek_dutproc_send_init(ek_dutproc *p, const ek_dut *d, char *err, size_t errlen);
/* Writes one line (a newline appended) to the DUT's stdin pipe, with the same time bound
 * as ek_dutproc_send_init.  0, or -1 with the reason. */
int ek_dutproc_send_line(ek_dutproc *p, const char *line, char *err, size_t errlen);
/* waitpid(WNOHANG): true while running; false once exited, with "exited with status 3" /
 * "killed by signal 6 (SIGABRT)" in why. */
bool ek_dutproc_alive(ek_dutproc *p, char *why, size_t whylen);
/* Runs a reset command (sh -c) with EK_DUT_PID = p->pid (unset when 0), stdin /dev/null
 * and its output in p's log (/dev/null when p has none), waiting at most timeout_ms.
 * 0, or -1 with the reason ("reset command exited with status 1"). */
int ek_dutproc_run_io(const ek_dutproc *p, const char *cmd, uint32_t timeout_ms, char *err, size_t errlen);
/* The same without a DUT log: EK_DUT_PID = dut_pid (unset when 0), output discarded. */
int ek_dutproc_run(const char *cmd, pid_t dut_pid, uint32_t timeout_ms, char *err, size_t errlen);
/* Closes the DUT's stdin (EOF for it), SIGTERM to the group, up to grace_ms for it to
 * go, then SIGKILL; reaps the leader; closes the log. */
void ek_dutproc_stop(ek_dutproc *p, uint32_t grace_ms);
/* A waitpid status in words. */
void ek_dutproc_status_text(int status, char *buf, size_t buflen);
/* "SIGABRT" for 6; "SIG?" when unknown. */
const char *ek_signal_name(int sig);

#endif /* EK_ENGINE_INT_H */
