/* SPDX-License-Identifier: BSD-3-Clause */
/* The pure pieces of report.html (ek/htmlreport.h), apart so the unit tests reach them:
 * HTML escaping, the banner verdict from counts, and the timeline geometry (time axis,
 * value lanes, step paths).  Coordinates are integers in SVG user units, so the output
 * does not depend on the C locale's decimal separator. */
#ifndef EK_HTMLREPORT_INT_H
#define EK_HTMLREPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ek/htmlreport.h"

/* Writes at most n bytes of s (stops at NUL) as HTML text that is also safe inside a
 * double- or single-quoted attribute (HTML Living Standard §13.1.2.3-4): & < > " ' as
 * character references, C0 controls other than tab / newline, DEL and invalid UTF-8
 * (RFC 3629 §4) as U+FFFD.  s NULL writes nothing. */
void ek_html_esc_n(FILE *o, const char *s, size_t n);
void ek_html_esc(FILE *o, const char *s);

/* What the banner verdict is made from. */
typedef struct ek_html_counts {
    size_t nodes, pass, info, fail, not_judged;
    size_t stimulus;               /* nodes the harness plays: never judged, not counted
                                      as not judged either */
    size_t td_pass, td_fail, td_error, td_inconc, td_other;
} ek_html_counts;
ek_html_verdict ek_html_verdict_of(const ek_html_counts *c);

/* The time axis of every timeline: t0..t1 (ns) onto x0..x1 (user units). */
typedef struct ek_html_axis {
    int x0, x1;
    uint64_t t0, t1;
} ek_html_axis;
/* One value lane: vmin..vmax onto the band top + pad .. top + h - pad, larger values up. */
typedef struct ek_html_lane {
    int top, h;
    uint16_t vmin, vmax;
} ek_html_lane;
#define EK_HTML_LANE_PAD 8

/* x of time t, clamped to the axis. */
int ek_html_x(const ek_html_axis *ax, uint64_t t);
/* y of value v, clamped to the band; the middle when vmin == vmax. */
int ek_html_y(const ek_html_lane *ln, uint16_t v);
/* vmin / vmax of the points that carry a value; false (lane untouched) when none does. */
bool ek_html_lane_range(const ek_nc_point *p, size_t n, ek_html_lane *ln);
/* The step line of a series as an SVG path's d value: every point that carries a value
 * is a vertex (the previous value holds until its time, then the line steps to it); a
 * point without the value ends the line there, the next value starts a new subpath; the
 * last value holds until t_end.  Returns how many points are vertices. */
size_t ek_html_step_path(FILE *o, const ek_nc_point *p, size_t n, uint64_t t_end, const ek_html_axis *ax,
                         const ek_html_lane *ln);
/* Tick spacing (ns) for a span: 1, 2 or 5 times a power of ten, at most 10 ticks. */
uint64_t ek_html_tick_step(uint64_t span_ns);

#endif /* EK_HTMLREPORT_INT_H */
