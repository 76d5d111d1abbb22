/* SPDX-License-Identifier: BSD-3-Clause */
/* The fan-out observer (one engine callback -> every report writer, in order) and the
 * small text helpers the writers share: UTF-8 cleaning (XML 1.0 §2.2 allows no C0
 * controls but tab/LF/CR; RFC 3629 §4 well-formed sequences) and column-aware cutting. */
#include <stdint.h>
#include <string.h>

#include "ek/runreport.h"
#include "rr_internal.h"

const char *ek_rr_verdict_word(ek_verdict v)
{
    switch (v) {
    case EK_V_PASS: return "pass";
    case EK_V_INCONC: return "inconclusive";
    case EK_V_FAIL: return "fail";
    case EK_V_ERROR: return "error";
    case EK_V_NONE: break;
    }
    return "none";
}

const char *ek_rr_step_word(const ek_step_result *s)
{
    if (!s->ran) return "not run";
    return s->verdict == EK_V_NONE ? "done" : ek_rr_verdict_word(s->verdict);
}

double ek_rr_td_seconds(const ek_td_result *r)
{
    if (r->t_end_ns <= r->t_start_ns) return 0.0;
    return (double)(r->t_end_ns - r->t_start_ns) / 1e9;
}

/* Length of the well-formed UTF-8 sequence at s (RFC 3629 §4), 0 if ill-formed. */
static size_t utf8_seq(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80) return 1;
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c == 0xE0) { n = 3; lo = 0xA0; }
    else if (c == 0xED) { n = 3; hi = 0x9F; } /* no surrogates */
    else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) n = 3;
    else if (c == 0xF0) { n = 4; lo = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) n = 4;
    else if (c == 0xF4) { n = 4; hi = 0x8F; }
    else return 0;
    if (s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF) return 0;
    return n;
}

void ek_rr_clean_utf8(const char *s, char *out, size_t outlen)
{
    if (!outlen) return;
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        size_t n = utf8_seq(p);
        if (n == 0 || (n == 1 && *p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7f) {
            if (o + 1 >= outlen) break;
            out[o++] = '?';
            p++;
            continue;
        }
        if (o + n >= outlen) break;
        memcpy(out + o, p, n);
        o += n;
        p += n;
    }
    out[o] = 0;
}

size_t ek_rr_cols(const char *s)
{
    size_t c = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80) c++;
    return c;
}

void ek_rr_cut(const char *s, size_t cols, char *out, size_t outlen)
{
    if (!outlen) return;
    char clean[1024];
    ek_rr_clean_utf8(s, clean, sizeof clean);
    for (char *q = clean; *q; q++)
        if (*q == '\n' || *q == '\t') *q = ' '; /* one table row */
    size_t total = ek_rr_cols(clean);
    size_t keep = total <= cols ? total : (cols > 3 ? cols - 3 : 0);
    size_t i = 0, c = 0;
    while (clean[i] && c < keep) {
        i++;
        while (((unsigned char)clean[i] & 0xC0) == 0x80) i++;
        c++;
    }
    if (i >= outlen) i = outlen - 1;
    while (i > 0 && ((unsigned char)clean[i] & 0xC0) == 0x80) i--; /* buffer too small */
    memcpy(out, clean, i);
    out[i] = 0;
    if (keep < total && i + 4 <= outlen) memcpy(out + i, "...", 4);
}

/* ---- fan-out ---- */

void ek_rr_fanout_init(ek_rr_fanout *f) { memset(f, 0, sizeof *f); }

int ek_rr_fanout_add(ek_rr_fanout *f, const ek_run_observer *o)
{
    if (f->n >= EK_RR_FANOUT_MAX) return -1;
    f->obs[f->n++] = *o;
    return 0;
}

static void fo_run_begin(void *ctx, const ek_dut *dut, const char *radio_desc, size_t n_tds)
{
    ek_rr_fanout *f = ctx;
    for (size_t i = 0; i < f->n; i++)
        if (f->obs[i].run_begin) f->obs[i].run_begin(f->obs[i].ctx, dut, radio_desc, n_tds);
}

static void fo_td_begin(void *ctx, const ek_td *td, size_t index, size_t total)
{
    ek_rr_fanout *f = ctx;
    for (size_t i = 0; i < f->n; i++)
        if (f->obs[i].td_begin) f->obs[i].td_begin(f->obs[i].ctx, td, index, total);
}

static void fo_step_begin(void *ctx, const ek_td *td, unsigned step, const char *what, uint64_t elapsed_ns)
{
    ek_rr_fanout *f = ctx;
    for (size_t i = 0; i < f->n; i++)
        if (f->obs[i].step_begin) f->obs[i].step_begin(f->obs[i].ctx, td, step, what, elapsed_ns);
}

static void fo_td_end(void *ctx, const ek_td_result *r, const ek_run_frame *frames, size_t n_frames)
{
    ek_rr_fanout *f = ctx;
    for (size_t i = 0; i < f->n; i++)
        if (f->obs[i].td_end) f->obs[i].td_end(f->obs[i].ctx, r, frames, n_frames);
}

static void fo_run_end(void *ctx, const ek_td_result *results, size_t n)
{
    ek_rr_fanout *f = ctx;
    for (size_t i = 0; i < f->n; i++)
        if (f->obs[i].run_end) f->obs[i].run_end(f->obs[i].ctx, results, n);
}

ek_run_observer ek_rr_fanout_observer(ek_rr_fanout *f)
{
    return (ek_run_observer){ .ctx = f,
                              .run_begin = fo_run_begin,
                              .td_begin = fo_td_begin,
                              .step_begin = fo_step_begin,
                              .td_end = fo_td_end,
                              .run_end = fo_run_end };
}
