/* SPDX-License-Identifier: BSD-3-Clause */
/* Reports of the network checker (ek/netcheck.h): a text summary, JSON Lines, JUnit XML
 * (one test case per node x rule) and an annotated pcapng whose deciding frames carry
 * the findings as packet comments.  Shared by enroll-check and enroll-harness --plugfest,
 * so a capture judged offline and a run judged live report alike. */
#ifndef EK_NCREPORT_H
#define EK_NCREPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ek/netcheck.h"

/* Exit status both tools use: 0 every node judged passed (INFO allowed), 1 a FAIL,
 * 3 nothing judged at all (no rule applied to any node: never green). */
#define EK_NCR_EXIT_PASS 0
#define EK_NCR_EXIT_FAIL 1
#define EK_NCR_EXIT_NOTHING 3
int ek_ncr_exit_status(const ek_netcheck *nc);
/* "PASS", "FAIL", "NOTHING JUDGED" for the whole run. */
const char *ek_ncr_run_word(const ek_netcheck *nc);
/* "pass", "fail", "info", "not judged". */
const char *ek_ncr_outcome_word(ek_nc_outcome o);

/* Text summary: one line per node (outcome, roles, frames, rules judged / failed), the
 * findings kept (node, rule, requirement, frame, message), the totals line. */
void ek_ncr_text(FILE *o, const ek_netcheck *nc);

/* JSON Lines, one object per line, each with "type":
 *   finding  {"type":"finding","node":"02:..","name":"..","rule":"..","req":"..",
 *             "section":"..","severity":"FAIL"|"INFO","frame":N,"other_frame":N|null,
 *             "t":seconds,"msg":".."}
 *   node     {"type":"node","node":..,"name":..,"outcome":"pass"|"fail"|"info"|"not judged",
 *             "roles":["root","6lr","jp","leaf"],"frames":N,"dios":N,"ebs":N,
 *             "malformed":N,"parent":"02:.."|null,"parent_how":".."|null,
 *             "rules":{"min-below-parent":{"judged":N,"failed":N,"outcome":".."},...}}
 *   pair     {"type":"pair","a":..,"b":..,"relations":["parent","adopted-min",..],"frame":N}
 *   run      {"type":"run","verdict":"PASS"|"FAIL"|"NOTHING JUDGED","nodes":N,
 *             "frames":N,"unattributed":N,"findings":N}
 * ek_ncr_jsonl_finding streams one finding as it is made; ek_ncr_jsonl_end writes the
 * node, pair and run lines (findings too when stream_findings was false). */
void ek_ncr_jsonl_finding(FILE *o, const ek_netcheck *nc, const ek_nc_finding *f);
void ek_ncr_jsonl_end(FILE *o, const ek_netcheck *nc, bool findings_streamed);

/* JUnit XML: <testsuite name=suite> per node (its label), a <testcase classname=NODE
 * name="RULE (REQ)"> per rule: <failure> with the findings for FAIL, <skipped> for not
 * judged (so "nothing applied" is visible, never green).  tmp + rename.  0 or -1. */
int ek_ncr_junit(const char *path, const ek_netcheck *nc, const char *run_name, char *err, size_t errlen);

/* Annotated pcapng, written as frames arrive (nothing is lost when a run stops):
 * link type 195, one record per frame, the findings decided on a frame as its packet
 * comments ("FAIL min-below-parent EP-19 node ...: msg"); a finding about an earlier
 * frame (decided later) goes on the current frame and names the frame it is about. */
typedef struct ek_ncr_capture ek_ncr_capture;
int ek_ncr_capture_open(const char *path, const char *shb_comment, ek_ncr_capture **out, char *err,
                        size_t errlen);
/* Queue a finding for the next record (call from the checker's sink). */
void ek_ncr_capture_note(ek_ncr_capture *c, const ek_netcheck *nc, const ek_nc_finding *f);
/* One frame: PSDU (MPDU + FCS). */
int ek_ncr_capture_frame(ek_ncr_capture *c, uint64_t t_ns, const uint8_t *psdu, size_t len);
const char *ek_ncr_capture_errmsg(const ek_ncr_capture *c);
int ek_ncr_capture_close(ek_ncr_capture *c);

#endif /* EK_NCREPORT_H */
