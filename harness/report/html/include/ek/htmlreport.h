/* SPDX-License-Identifier: BSD-3-Clause */
/* report.html: one self-contained page per run of the network checker (enroll-check,
 * enroll-harness TD and plugfest runs), written beside report.xml.  Everything is inline
 * (CSS in <style>, timelines as inline SVG), no script, no font or image fetched, so the
 * page reads the same offline, with scripting off, attached to a ticket or archived.
 * The DOM carries data-* hooks for scripted checks (docs/report-html.md). */
#ifndef EK_HTMLREPORT_H
#define EK_HTMLREPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ek/netcheck.h"

/* One TD result of a harness run, shown in the TD table (ek/runreport.h words). */
typedef struct ek_html_td {
    const char *id;                /* "TP-EP-01" */
    const char *title;
    const char *verdict;           /* "pass" "fail" "inconclusive" "error" "none" */
    const char *reason;            /* may be NULL */
    uint64_t frame_no;             /* the deciding frame, 0 = none */
} ek_html_td;

/* What the page says about the run.  Every string is borrowed, may be NULL, and is
 * escaped on output. */
typedef struct ek_html_opts {
    const char *title;             /* <title> and heading; NULL = "enrollkit report" */
    const char *tool;              /* "enroll-check" */
    const char *version;           /* EK_VERSION */
    const char *command;           /* the command line */
    const char *input;             /* capture files, radio URI */
    const char *capture_href;      /* relative path of the annotated pcapng; a value with a
                                      URI scheme or an absolute path is shown, not linked */
    const char *generated;         /* time stamp text ("2025-01-31 12:00:00 UTC"); NULL =
                                      none, so a page can be compared byte for byte */
    const ek_html_td *tds;         /* harness runs: the TD table; NULL = no table */
    size_t n_tds;
} ek_html_opts;

/* The run's verdict on the banner: FAIL when a node failed or a TD failed; else ERROR /
 * INCONCLUSIVE when a TD says so; else NOTHING JUDGED when no rule applied to any node
 * and no TD passed (never green); else PASS. */
typedef enum ek_html_verdict {
    EK_HTML_PASS = 0,
    EK_HTML_FAIL,
    EK_HTML_ERROR,
    EK_HTML_INCONCLUSIVE,
    EK_HTML_NOTHING
} ek_html_verdict;

ek_html_verdict ek_html_run_verdict(const ek_netcheck *nc, const ek_html_opts *o);
/* "PASS" "FAIL" "ERROR" "INCONCLUSIVE" "NOTHING JUDGED": the banner text and the value
 * of <body data-verdict>. */
const char *ek_html_verdict_word(ek_html_verdict v);

/* Writes the page to out (nc finished: ek_nc_finish).  Borrows nc and o.  0, or -1 with
 * a message in err when a write failed. */
int ek_html_write(FILE *out, const ek_netcheck *nc, const ek_html_opts *o, char *err, size_t errlen);
/* The same into PATH.tmp, renamed over path once complete, so a report cut short never
 * replaces a good one.  0, or -1 with a message naming the path. */
int ek_html_write_file(const char *path, const ek_netcheck *nc, const ek_html_opts *o, char *err,
                       size_t errlen);

#endif /* EK_HTMLREPORT_H */
