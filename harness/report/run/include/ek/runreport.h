/* SPDX-License-Identifier: BSD-3-Clause */
/* Run reports: JUnit XML (libxml2 xmlTextWriter), a TAP 13 stream with YAML
 * diagnostics, the end-of-run summary table, terminal progress and the annotated pcapng
 * capture.  Each is an ek_run_observer; ek_rr_fanout combines them.  Every file report is
 * complete after each TD (JUnit rewritten via tmp + rename, TAP and pcapng flushed), so a
 * run that stops half-way still leaves valid reports. */
#ifndef EK_RUNREPORT_H
#define EK_RUNREPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ek/engine.h"

/* Report words for a verdict: "pass" "fail" "inconclusive" "error" "none". */
const char *ek_rr_verdict_word(ek_verdict v);
/* Seconds a TD took (radio clock). */
double ek_rr_td_seconds(const ek_td_result *r);

/* ---- fan-out: one observer calling several in order ---- */
#define EK_RR_FANOUT_MAX 8
typedef struct ek_rr_fanout {
    ek_run_observer obs[EK_RR_FANOUT_MAX];
    size_t n;
} ek_rr_fanout;

void ek_rr_fanout_init(ek_rr_fanout *f);
/* Copies *o; returns 0, or -1 when full. */
int ek_rr_fanout_add(ek_rr_fanout *f, const ek_run_observer *o);
ek_run_observer ek_rr_fanout_observer(ek_rr_fanout *f);

/* ---- JUnit XML ----
 * <testsuites> with one <testsuite> per TD suite ("ep", "eb", "attack"), a <testcase
 * classname=SUITE name="ID title" time=S> per TD; <failure> for fail, <error type=
 * "inconclusive"|"error"> otherwise, <skipped> for not applicable; <system-out> has the
 * per-step partial verdicts and "[[ATTACHMENT|pcapng]]" (GitLab). */
typedef struct ek_rr_junit ek_rr_junit;
typedef struct ek_rr_junit_opts {
    const char *attachment;    /* pcapng path for [[ATTACHMENT|...]]; NULL = none */
    const char *dut_config;    /* effective DUT profile (INI text) for <properties>; may be NULL */
    const char *command;       /* command line, for <properties>; may be NULL */
} ek_rr_junit_opts;

/* Writes an empty, valid report at once (so an unwritable path fails before the run).
 * Returns 0, or -1 with a message naming the path. */
int ek_rr_junit_open(const char *path, const ek_rr_junit_opts *o, ek_rr_junit **out,
                     char *err, size_t errlen);
ek_run_observer ek_rr_junit_observer(ek_rr_junit *j);
/* Rewrites the whole file now from what it has (tmp + rename).  0 or -1. */
int ek_rr_junit_flush(ek_rr_junit *j);
const char *ek_rr_junit_errmsg(const ek_rr_junit *j);   /* "" when fine */
/* Frees j; returns -1 if any write failed (see the message first). */
int ek_rr_junit_close(ek_rr_junit *j);

/* ---- TAP 13 ----
 * "TAP version 13", the plan, then per TD "ok N - ID title" / "not ok N - ..." (fail,
 * inconclusive, error) / "ok N - ... # SKIP not applicable: reason", each followed by a
 * YAML block (verdict, reason, deciding frame, steps).  Flushed after every TD. */
typedef struct ek_rr_tap ek_rr_tap;
/* path NULL or "-" = stdout. */
int ek_rr_tap_open(const char *path, ek_rr_tap **out, char *err, size_t errlen);
ek_rr_tap *ek_rr_tap_new(FILE *o);   /* not closed by ek_rr_tap_close */
ek_run_observer ek_rr_tap_observer(ek_rr_tap *t);
int ek_rr_tap_close(ek_rr_tap *t);

/* ---- summary table ---- */
#define EK_RR_REASON_WIDTH 64
/* "TD  verdict  time  reason" rows (reason cut to EK_RR_REASON_WIDTH columns; a TD that
 * does not apply shows "n/a" and why), the applicability lines (ek_rr_applicability_write,
 * without the DUT description) and the totals line.  The summary observer writes the
 * same with its DUT description. */
void ek_rr_summary_write(FILE *o, const ek_td_result *r, size_t n);
/* Totals only: "12 TDs: 10 pass, 1 fail, 0 inconclusive, 0 error, 1 not applicable". */
void ek_rr_summary_totals(char *buf, size_t len, const ek_td_result *r, size_t n);

typedef struct ek_rr_summary {
    FILE *out;                 /* the terminal (stdout), may be NULL */
    char path[1024];           /* also written to this file at run end ("" = none) */
    char dut_desc[160];        /* ek_rr_dut_desc of the run's DUT (set at run_begin) */
    bool failed;
    char err[1100];
} ek_rr_summary;
void ek_rr_summary_init(ek_rr_summary *s, FILE *out, const char *path);
ek_run_observer ek_rr_summary_observer(ek_rr_summary *s);

/* ---- applicability: what ran, and no silent green ---- */
/* "capabilities dio, eb, mep; wire profile draft-16": what applicability depends on. */
void ek_rr_dut_desc(const ek_dut *d, char *buf, size_t len);
/* The lines the table ends with (before the totals): "applicable: 17 of 29 TDs
 * (DUT_DESC)" and, per distinct reason, the TDs that do not apply ("n/a: needs eb, mep:
 * TP-EB-01, TP-EB-02"); TDs applicable but not run are listed as "not run: ...".
 * dut_desc may be NULL or "". */
void ek_rr_applicability_write(FILE *o, const ek_td_result *r, size_t n, const char *dut_desc);
/* Whether the run tested nothing although no verdict says so: no TD selected, none
 * applicable, no applicable TD that ran a check (all without verdict), or no DIO or EB
 * from the DUT in the whole run.  true with the reason in why ("none of the 6 selected
 * TDs applies to this DUT (capabilities dio; wire profile draft-16)"); d may be NULL. */
bool ek_rr_nothing_tested(const ek_td_result *r, size_t n, const ek_dut *d, char *why, size_t len);

/* ---- terminal progress on stderr ----
 * On a tty one line rewritten with \r ("[3/12] TP-EP-06 step 2/5 1.2 s: what"), a
 * line per finished TD; otherwise plain lines. */
typedef struct ek_rr_progress {
    FILE *out;
    bool tty;
    unsigned width;            /* columns on a tty (lines are cut to fit) */
    size_t index, total;
    const ek_td *td;
    bool dirty;                /* a \r line is showing */
} ek_rr_progress;
void ek_rr_progress_init(ek_rr_progress *p, FILE *out, bool tty);
ek_run_observer ek_rr_progress_observer(ek_rr_progress *p);

/* ---- annotated capture: every injected/observed frame into one pcapng ----
 * Link type 195 (802.15.4 with FCS), ns timestamps (t_wall_ns), direction flags,
 * the engine's comments as packet comments; written as each TD ends. */
typedef struct ek_rr_capture ek_rr_capture;
int ek_rr_capture_open(const char *path, const char *shb_comment, const char *if_name,
                       ek_rr_capture **out, char *err, size_t errlen);
ek_run_observer ek_rr_capture_observer(ek_rr_capture *c);
uint64_t ek_rr_capture_count(const ek_rr_capture *c);
const char *ek_rr_capture_errmsg(const ek_rr_capture *c);
int ek_rr_capture_close(ek_rr_capture *c);

#endif /* EK_RUNREPORT_H */
