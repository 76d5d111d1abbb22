/* SPDX-License-Identifier: BSD-3-Clause */
/* report.html (ek/htmlreport.h): the network checker's findings as one self-contained
 * page.  Written in one pass straight from the checker's tables; the only allocation is
 * the list of findings sorted by frame.  Every string that came from a user or a capture
 * (node names, messages, marks, the command line) goes through ek_html_esc. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "htmlreport_int.h"

/* ---- escaping ----------------------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at p (at most n bytes), 0 when ill-formed
 * (RFC 3629 §4: no overlong forms, no surrogates, nothing above U+10FFFF). */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t len;
    unsigned lo = 0x80, hi = 0xbf;          /* range of the second byte */
    if (c >= 0xc2 && c <= 0xdf)
        len = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xed)
            hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
    } else
        return 0;
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    return len;
}

void ek_html_esc_n(FILE *o, const char *s, size_t n)
{
    static const char repl[] = "\xef\xbf\xbd"; /* U+FFFD */
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n && p[i]) {
        unsigned c = p[i];
        if (c < 0x80) {
            switch (c) {
            case '&': fputs("&amp;", o); break;
            case '<': fputs("&lt;", o); break;
            case '>': fputs("&gt;", o); break;
            case '"': fputs("&quot;", o); break;
            case '\'': fputs("&#39;", o); break;
            default:
                /* C0 controls and DEL are parse errors in HTML text (§13.2.2) */
                if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
                    fputs(repl, o);
                else
                    fputc((int)c, o);
            }
            i++;
            continue;
        }
        size_t len = utf8_seq(p + i, n - i);
        if (!len) {
            fputs(repl, o);
            i++;
        } else {
            fwrite(p + i, 1, len, o);
            i += len;
        }
    }
}

void ek_html_esc(FILE *o, const char *s)
{
    ek_html_esc_n(o, s, SIZE_MAX);
}

/* ---- verdict ------------------------------------------------------------------------ */

ek_html_verdict ek_html_verdict_of(const ek_html_counts *c)
{
    if (c->fail || c->td_fail)
        return EK_HTML_FAIL;
    if (c->td_error)
        return EK_HTML_ERROR;
    if (c->td_inconc)
        return EK_HTML_INCONCLUSIVE;
    /* a run on which no rule applied and no TD passed has shown nothing: never green */
    if (c->pass + c->info + c->td_pass == 0)
        return EK_HTML_NOTHING;
    return EK_HTML_PASS;
}

const char *ek_html_verdict_word(ek_html_verdict v)
{
    switch (v) {
    case EK_HTML_PASS: return "PASS";
    case EK_HTML_FAIL: return "FAIL";
    case EK_HTML_ERROR: return "ERROR";
    case EK_HTML_INCONCLUSIVE: return "INCONCLUSIVE";
    case EK_HTML_NOTHING: return "NOTHING JUDGED";
    }
    return "ERROR";
}

static const char *verdict_class(ek_html_verdict v)
{
    switch (v) {
    case EK_HTML_PASS: return "v-pass";
    case EK_HTML_FAIL: return "v-fail";
    case EK_HTML_NOTHING: return "v-nothing";
    case EK_HTML_ERROR:
    case EK_HTML_INCONCLUSIVE: break;
    }
    return "v-inconc";
}

static void count_run(const ek_netcheck *nc, const ek_html_opts *o, ek_html_counts *c)
{
    memset(c, 0, sizeof *c);
    c->nodes = nc ? ek_nc_node_count(nc) : 0;
    for (size_t i = 0; i < c->nodes; i++) {
        const ek_nc_node *n = ek_nc_node_at(nc, i);
        if (n && n->stimulus && ek_nc_node_outcome(nc, i) == EK_NC_NOT_JUDGED) {
            c->stimulus++;
            continue;
        }
        switch (ek_nc_node_outcome(nc, i)) {
        case EK_NC_PASS: c->pass++; break;
        case EK_NC_INFO: c->info++; break;
        case EK_NC_FAIL: c->fail++; break;
        case EK_NC_NOT_JUDGED: c->not_judged++; break;
        }
    }
    for (size_t i = 0; o && o->tds && i < o->n_tds; i++) {
        const char *w = o->tds[i].verdict ? o->tds[i].verdict : "";
        if (!strcmp(w, "pass"))
            c->td_pass++;
        else if (!strcmp(w, "fail"))
            c->td_fail++;
        else if (!strcmp(w, "error"))
            c->td_error++;
        else if (!strcmp(w, "inconclusive"))
            c->td_inconc++;
        else
            c->td_other++;
    }
}

ek_html_verdict ek_html_run_verdict(const ek_netcheck *nc, const ek_html_opts *o)
{
    ek_html_counts c;
    count_run(nc, o, &c);
    return ek_html_verdict_of(&c);
}

/* ---- timeline geometry -------------------------------------------------------------- */

int ek_html_x(const ek_html_axis *ax, uint64_t t)
{
    if (t <= ax->t0 || ax->t1 <= ax->t0)
        return ax->x0;
    if (t >= ax->t1)
        return ax->x1;
    double f = (double)(t - ax->t0) / (double)(ax->t1 - ax->t0);
    return ax->x0 + (int)(f * (ax->x1 - ax->x0) + 0.5);
}

int ek_html_y(const ek_html_lane *ln, uint16_t v)
{
    int lo = ln->top + ln->h - EK_HTML_LANE_PAD, hi = ln->top + EK_HTML_LANE_PAD;
    if (ln->vmax <= ln->vmin)
        return ln->top + ln->h / 2;
    if (v <= ln->vmin)
        return lo;
    if (v >= ln->vmax)
        return hi;
    double f = (double)(v - ln->vmin) / (double)(ln->vmax - ln->vmin);
    return lo - (int)(f * (lo - hi) + 0.5);
}

bool ek_html_lane_range(const ek_nc_point *p, size_t n, ek_html_lane *ln)
{
    bool any = false;
    uint16_t lo = 0, hi = 0;
    for (size_t i = 0; i < n; i++) {
        if (!p[i].has)
            continue;
        if (!any || p[i].v < lo)
            lo = p[i].v;
        if (!any || p[i].v > hi)
            hi = p[i].v;
        any = true;
    }
    if (any) {
        ln->vmin = lo;
        ln->vmax = hi;
    }
    return any;
}

size_t ek_html_step_path(FILE *o, const ek_nc_point *p, size_t n, uint64_t t_end, const ek_html_axis *ax,
                         const ek_html_lane *ln)
{
    bool open = false;
    size_t vertices = 0;
    for (size_t i = 0; i < n; i++) {
        int x = ek_html_x(ax, p[i].t_ns);
        if (p[i].has) {
            int y = ek_html_y(ln, p[i].v);
            if (open)
                fprintf(o, " H%d V%d", x, y);
            else
                fprintf(o, "%sM%d %d", vertices ? " " : "", x, y);
            open = true;
            vertices++;
        } else if (open) {
            fprintf(o, " H%d", x); /* the value is gone from this frame on */
            open = false;
        }
    }
    if (open)
        fprintf(o, " H%d", ek_html_x(ax, t_end));
    return vertices;
}

uint64_t ek_html_tick_step(uint64_t span_ns)
{
    static const uint64_t mult[] = { 1, 2, 5 };
    uint64_t dec = 1000000; /* from 1 ms */
    for (;;) {
        for (size_t i = 0; i < 3; i++) {
            uint64_t s = mult[i] * dec;
            if (span_ns / s <= 10)
                return s;
        }
        if (dec > UINT64_MAX / 10 / 5)
            return 5 * dec;
        dec *= 10;
    }
}

/* ---- page --------------------------------------------------------------------------- */

enum {
    SVG_W = 1200,       /* viewBox width; the page scales it to the column */
    SVG_L = 136,        /* label column */
    SVG_R = 16,
    SVG_TOP = 18,       /* mark numbers */
    LANE_H = 54,
    LANE_GAP = 4,
    STRIP_H = 20,       /* findings not tied to one value */
    AXIS_H = 24,
    N_LANES = EK_NC_SERIES_KINDS,
    SVG_H = SVG_TOP + N_LANES * (LANE_H + LANE_GAP) + STRIP_H + AXIS_H,
    INTEROP_MATRIX_MAX = 40 /* more nodes than this on an axis: a list of pairs */
};

typedef struct page {
    FILE *o;
    const ek_netcheck *nc;
    const ek_html_opts *opt;
    const ek_nc_rule *rules;
    size_t n_rules, n_nodes;
    ek_html_axis ax;
    bool has_time;
} page;

static const char *const css[] = {
    "*{box-sizing:border-box}",
    "body{margin:0;font:14px/1.4 'DejaVu Sans','Liberation Sans',Arial,sans-serif;color:#212121;"
    "background:#fafafa}",
    "main{max-width:1240px;margin:0 auto;padding:0 16px 32px}",
    "h1{margin:0;font-size:22px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ccc}",
    "h3{font-size:15px;margin:0 0 4px;font-family:'DejaVu Sans Mono',monospace}",
    ".banner{padding:14px 16px;color:#fff;margin:0 0 12px}",
    ".banner .verdict{font-size:30px;font-weight:bold;letter-spacing:1px;margin:4px 0}",
    ".banner ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:6px 18px}",
    ".v-pass{background:#2e7d32}.v-fail{background:#c62828}.v-nothing{background:#616161}",
    ".v-inconc{background:#e65100}",
    "table{border-collapse:collapse;background:#fff;margin:4px 0 8px}",
    "th,td{border:1px solid #d0d0d0;padding:3px 6px;text-align:left;vertical-align:top}",
    "th{background:#eceff1;font-weight:600}",
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}",
    ".mono,td.frame{font-family:'DejaVu Sans Mono',monospace;font-size:12px}",
    ".wide{overflow-x:auto;max-width:100%}",
    "#rules th.rule{font-size:11px;min-width:60px;max-width:76px;font-weight:600}",
    "#rules th.nl{font-size:12px;max-width:220px;border-left:5px solid #9e9e9e}#rules th.nd-fail{border-left-color:"
    "#c62828}#rules th.nd-pass{border-left-color:#2e7d32}#rules th.nd-info{border-left-color:#1565c0}",
    ".addr{font-family:'DejaVu Sans Mono',monospace;font-size:11px;white-space:nowrap}",
    "#rules td{font-size:11px;padding:2px 4px}#rules td.o-fail,#rules td.o-pass{white-space:nowrap}",
    ".o-pass{color:#1b5e20;background:#e8f5e9}.o-fail{color:#fff;background:#c62828;font-weight:bold}",
    ".o-fail a{color:#fff}",
    ".o-info{color:#0d47a1;background:#e3f2fd}.o-nj{color:#757575;background:#eee}",
    ".o-inconc{color:#e65100;background:#fff3e0}",
    "tr.finding.sev-info td{color:#0d47a1}tr.finding:target{outline:3px solid #ff9800}",
    "section.node{background:#fff;border:1px solid #d0d0d0;border-left:6px solid #9e9e9e;"
    "padding:8px 10px;margin:10px 0}",
    "section.nd-fail{border-left-color:#c62828}section.nd-pass{border-left-color:#2e7d32}",
    "section.nd-info{border-left-color:#1565c0}",
    ".badge{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;font-weight:bold}",
    ".facts{margin:2px 0 6px;color:#424242;font-size:13px}",
    "svg.tl{width:100%;height:auto;display:block}",
    "svg.tl .bg{fill:#f5f7f8}svg.tl .ln{font-size:13px;fill:#37474f}",
    "svg.tl .lv{font-size:11px;fill:#607d8b}svg.tl .tk{font-size:11px;fill:#607d8b}",
    "svg.tl .tick{stroke:#cfd8dc;stroke-width:1}",
    "svg.tl .s{fill:none;stroke-width:2;stroke-linejoin:round;stroke-linecap:round}",
    "svg.tl .ref{fill:none;stroke-width:1.5;stroke-dasharray:4 3;opacity:.55}",
    "svg.tl .pv{font-size:10px;fill:#455a64}",
    ".s-rank{stroke:#37474f}.s-min{stroke:#6a1b9a}.s-proxy{stroke:#00838f}.s-version{stroke:#ef6c00}",
    "svg.tl .mark line{stroke:#1565c0;stroke-width:1.5;stroke-dasharray:5 3}",
    "svg.tl .mark text{font-size:11px;fill:#1565c0;font-weight:bold}",
    "svg.tl .fail{fill:#d50000;stroke:#fff;stroke-width:1}svg.tl .info{fill:#1565c0}",
    "svg.tl .none{font-size:11px;fill:#9e9e9e;font-style:italic}",
    "#interop td{font-size:12px}#interop td.rel{background:#f1f8e9}#interop td.bad{background:#ffebee;"
    "color:#b71c1c}",
    "dl.run{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}",
    "dl.run dt{font-weight:600}dl.run dd{margin:0;word-break:break-all}",
    ".legend span{margin-right:14px;font-size:12px;white-space:nowrap;display:inline-block}.legend i{display:inline-block;width:18px;height:3px;"
    "vertical-align:middle;margin-right:4px}",
    "footer{color:#757575;font-size:12px;margin-top:24px}",
};

static void put_u64(FILE *o, uint64_t v)
{
    fprintf(o, "%" PRIu64, v);
}

/* "12.345" seconds from ns, with integer arithmetic (locale-proof). */
static void put_secs(FILE *o, uint64_t ns)
{
    fprintf(o, "%" PRIu64 ".%03u", ns / 1000000000u, (unsigned)(ns / 1000000u % 1000u));
}

static void node_addr(const ek_nc_node *n, char buf[24])
{
    snprintf(buf, 24, "%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x", n->ext[0], n->ext[1], n->ext[2], n->ext[3],
             n->ext[4], n->ext[5], n->ext[6], n->ext[7]);
}

static const char *outcome_word(ek_nc_outcome o)
{
    switch (o) {
    case EK_NC_PASS: return "pass";
    case EK_NC_INFO: return "info";
    case EK_NC_FAIL: return "fail";
    case EK_NC_NOT_JUDGED: break;
    }
    return "not judged";
}

static const char *outcome_class(ek_nc_outcome o)
{
    switch (o) {
    case EK_NC_PASS: return "o-pass";
    case EK_NC_INFO: return "o-info";
    case EK_NC_FAIL: return "o-fail";
    case EK_NC_NOT_JUDGED: break;
    }
    return "o-nj";
}

static const char *td_class(const char *w)
{
    if (!w)
        return "o-nj";
    if (!strcmp(w, "pass"))
        return "o-pass";
    if (!strcmp(w, "fail"))
        return "o-fail";
    if (!strcmp(w, "error") || !strcmp(w, "inconclusive"))
        return "o-inconc";
    return "o-nj";
}

static void put_roles(FILE *o, uint32_t roles)
{
    static const struct { uint32_t bit; const char *w; } tab[] = {
        { EK_NC_ROLE_ROOT, "root" }, { EK_NC_ROLE_6LR, "6LR" },
        { EK_NC_ROLE_JP, "Join Proxy" }, { EK_NC_ROLE_LEAF, "leaf" },
    };
    bool any = false;
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (roles & tab[i].bit) {
            fprintf(o, "%s%s", any ? ", " : "", tab[i].w);
            any = true;
        }
    if (!any)
        fputs("none seen", o);
}

static void put_label(const page *pg, size_t i)
{
    char buf[128];
    ek_nc_node_label(pg->nc, i, buf, sizeof buf);
    ek_html_esc_n(pg->o, buf, sizeof buf);
}

/* A link to a node's section, by its label. */
static void put_node_link(const page *pg, size_t i)
{
    fprintf(pg->o, "<a href=\"#n-%zu\">", i);
    put_label(pg, i);
    fputs("</a>", pg->o);
}

static void head(const page *pg, const char *title)
{
    FILE *o = pg->o;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", o);
    if (pg->opt->tool) {
        fputs("<meta name=\"generator\" content=\"", o);
        ek_html_esc(o, pg->opt->tool);
        if (pg->opt->version) {
            fputc(' ', o);
            ek_html_esc(o, pg->opt->version);
        }
        fputs("\">\n", o);
    }
    fputs("<title>", o);
    ek_html_esc(o, title);
    fputs("</title>\n<style>\n", o);
    for (size_t i = 0; i < sizeof css / sizeof css[0]; i++) {
        fputs(css[i], o);
        fputc('\n', o);
    }
    fputs("</style>\n</head>\n", o);
}

static uint64_t total_findings(const page *pg, uint64_t *fail_n)
{
    uint64_t all = 0, fails = 0;
    for (size_t i = 0; i < pg->n_nodes; i++)
        for (size_t r = 0; r < pg->n_rules; r++) {
            ek_nc_tally t = ek_nc_node_tally(pg->nc, i, (unsigned)r);
            all += t.failed + t.info;
            fails += t.failed;
        }
    *fail_n = fails;
    return all;
}

static void banner(const page *pg, const char *title, ek_html_verdict v, const ek_html_counts *c)
{
    FILE *o = pg->o;
    uint64_t fails = 0, all = total_findings(pg, &fails);
    fprintf(o, "<header id=\"banner\" class=\"banner %s\" data-verdict=\"%s\">\n<h1>", verdict_class(v),
            ek_html_verdict_word(v));
    ek_html_esc(o, title);
    fprintf(o, "</h1>\n<p class=\"verdict\">%s</p>\n<ul class=\"counts\">\n", ek_html_verdict_word(v));
    fprintf(o, "<li data-count=\"nodes\">%zu nodes</li>\n", c->nodes);
    fprintf(o, "<li data-count=\"pass\">%zu pass</li>\n", c->pass + c->info);
    if (c->info)
        fprintf(o, "<li data-count=\"info\">(%zu of them with INFO)</li>\n", c->info);
    fprintf(o, "<li data-count=\"fail\">%zu fail</li>\n", c->fail);
    fprintf(o, "<li data-count=\"not-judged\">%zu not judged</li>\n", c->not_judged);
    if (c->stimulus)
        fprintf(o, "<li data-count=\"stimulus\">%zu played by the harness</li>\n", c->stimulus);
    fputs("<li data-count=\"frames\">", o);
    put_u64(o, ek_nc_frames(pg->nc));
    fputs(" frames</li>\n<li data-count=\"findings\">", o);
    put_u64(o, all);
    fputs(" findings (", o);
    put_u64(o, fails);
    fputs(" FAIL)</li>\n", o);
    if (pg->opt->tds)
        fprintf(o, "<li data-count=\"tds\">%zu TDs: %zu pass, %zu fail, %zu error, %zu inconclusive</li>\n",
                pg->opt->n_tds, c->td_pass, c->td_fail, c->td_error, c->td_inconc);
    uint64_t un = ek_nc_frames_unattributed(pg->nc), dropped = ek_nc_nodes_dropped(pg->nc);
    if (un) {
        fputs("<li data-count=\"unattributed\">", o);
        put_u64(o, un);
        fputs(" frames without a sender</li>\n", o);
    }
    if (dropped) {
        fputs("<li data-count=\"dropped\">", o);
        put_u64(o, dropped);
        fputs(" senders beyond the node limit, not judged</li>\n", o);
    }
    fputs("</ul>\n", o);
    if (v == EK_HTML_NOTHING)
        fputs("<p>No rule applied to any node: the capture shows nothing this toolkit can judge "
              "(no DIO with the option, no Enhanced Beacon with Join-Info, ...).</p>\n", o);
    fputs("</header>\n", o);
}

/* Only a relative reference is linked: the page must not point off the machine. */
static bool href_is_relative(const char *h)
{
    if (!h || !*h || *h == '/' || *h == '\\')
        return false;
    size_t colon = strcspn(h, ":/?#");
    return h[colon] != ':';
}

static void run_info(const page *pg)
{
    FILE *o = pg->o;
    const ek_html_opts *op = pg->opt;
    fputs("<section id=\"run\">\n<dl class=\"run\">\n", o);
    if (op->tool) {
        fputs("<dt>tool</dt><dd>", o);
        ek_html_esc(o, op->tool);
        if (op->version) {
            fputc(' ', o);
            ek_html_esc(o, op->version);
        }
        fputs("</dd>\n", o);
    }
    if (op->command) {
        fputs("<dt>command</dt><dd class=\"mono\">", o);
        ek_html_esc(o, op->command);
        fputs("</dd>\n", o);
    }
    if (op->input) {
        fputs("<dt>input</dt><dd class=\"mono\">", o);
        ek_html_esc(o, op->input);
        fputs("</dd>\n", o);
    }
    if (op->capture_href) {
        fputs("<dt>capture</dt><dd class=\"mono\">", o);
        if (href_is_relative(op->capture_href)) {
            fputs("<a id=\"capture\" href=\"", o);
            ek_html_esc(o, op->capture_href);
            fputs("\">", o);
            ek_html_esc(o, op->capture_href);
            fputs("</a> (the deciding frames carry the findings as packet comments)", o);
        } else
            ek_html_esc(o, op->capture_href);
        fputs("</dd>\n", o);
    }
    if (op->generated) {
        fputs("<dt>written</dt><dd>", o);
        ek_html_esc(o, op->generated);
        fputs("</dd>\n", o);
    }
    fputs("</dl>\n</section>\n", o);
}

static void td_table(const page *pg)
{
    FILE *o = pg->o;
    if (!pg->opt->tds)
        return;
    fputs("<section id=\"td-results\">\n<h2>Test descriptions</h2>\n<table id=\"tds\">\n"
          "<thead><tr><th>TD</th><th>title</th><th>verdict</th><th>reason</th>"
          "<th class=\"num\">deciding frame</th></tr></thead>\n<tbody>\n", o);
    for (size_t i = 0; i < pg->opt->n_tds; i++) {
        const ek_html_td *t = &pg->opt->tds[i];
        const char *w = t->verdict ? t->verdict : "none";
        fputs("<tr class=\"td\" data-td=\"", o);
        ek_html_esc(o, t->id);
        fputs("\" data-verdict=\"", o);
        ek_html_esc(o, w);
        fputs("\"><td class=\"mono\">", o);
        ek_html_esc(o, t->id);
        fputs("</td><td>", o);
        ek_html_esc(o, t->title);
        fprintf(o, "</td><td class=\"%s\">", td_class(w));
        ek_html_esc(o, w);
        fputs("</td><td>", o);
        ek_html_esc(o, t->reason);
        fputs("</td><td class=\"num frame\">", o);
        if (t->frame_no)
            put_u64(o, t->frame_no);
        fputs("</td></tr>\n", o);
    }
    fputs("</tbody>\n</table>\n</section>\n", o);
}

/* Whether a finding of the node on that frame is kept (its row, and so its anchor,
 * exists). */
static bool finding_kept(const page *pg, size_t node, uint64_t frame_no)
{
    size_t n = 0;
    const ek_nc_finding *fs = ek_nc_node_findings(pg->nc, node, &n);
    for (size_t i = 0; fs && frame_no && i < n; i++)
        if (fs[i].frame_no == frame_no)
            return true;
    return false;
}

static void rules_table(const page *pg)
{
    FILE *o = pg->o;
    fputs("<section id=\"rule-results\">\n<h2>Nodes &times; rules</h2>\n"
          "<p class=\"facts\">FAIL failed/judged frames; pass judged frames; "
          "<span class=\"o-nj\">not judged</span>: the rule never applied to the node "
          "(nothing to judge is not a pass).</p>\n<div class=\"wide\">\n<table id=\"rules\">\n"
          "<thead><tr><th class=\"nl\">node</th>", o);
    for (size_t r = 0; r < pg->n_rules; r++) {
        fputs("<th class=\"rule\" title=\"", o);
        ek_html_esc(o, pg->rules[r].req);
        fputs(" ", o);
        ek_html_esc(o, pg->rules[r].section);
        fputs("\">", o);
        ek_html_esc(o, pg->rules[r].name);
        fputs("</th>", o);
    }
    fputs("</tr></thead>\n<tbody>\n", o);
    for (size_t i = 0; i < pg->n_nodes; i++) {
        const ek_nc_node *n = ek_nc_node_at(pg->nc, i);
        char addr[24];
        node_addr(n, addr);
        ek_nc_outcome no = ek_nc_node_outcome(pg->nc, i);
        fprintf(o, "<tr class=\"node-rules\" data-node=\"%s\" data-outcome=\"%s\"><th class=\"nl nd-%s\">"
                   "<a href=\"#n-%zu\">", addr, outcome_word(no), outcome_class(no) + 2, i);
        if (n->name[0]) { /* the name, then the address unbroken */
            ek_html_esc_n(o, n->name, sizeof n->name);
            fputs("<br>", o);
        }
        fprintf(o, "<span class=\"addr\">%s</span></a>%s</th>", addr, n->stimulus ? "<br>played by the harness" : "");
        for (size_t r = 0; r < pg->n_rules; r++) {
            ek_nc_tally t = ek_nc_node_tally(pg->nc, i, (unsigned)r);
            ek_nc_outcome to = ek_nc_tally_outcome(&t);
            fprintf(o, "<td class=\"%s\" data-rule=\"", outcome_class(to));
            ek_html_esc(o, pg->rules[r].name);
            fprintf(o, "\" data-outcome=\"%s\" data-judged=\"%" PRIu64 "\" data-failed=\"%" PRIu64 "\" title=\"",
                    outcome_word(to), t.judged, t.failed);
            ek_html_esc(o, pg->rules[r].name);
            fprintf(o, ": judged %" PRIu64 ", failed %" PRIu64 ", info %" PRIu64, t.judged, t.failed, t.info);
            if (t.first_fail_frame)
                fprintf(o, ", first FAIL frame %" PRIu64, t.first_fail_frame);
            fputs("\">", o);
            switch (to) {
            case EK_NC_FAIL:
                if (finding_kept(pg, i, t.first_fail_frame))
                    fprintf(o, "<a href=\"#f-%zu-%" PRIu64 "\">FAIL %" PRIu64 "/%" PRIu64 "</a>", i, t.first_fail_frame,
                            t.failed, t.judged);
                else
                    fprintf(o, "FAIL %" PRIu64 "/%" PRIu64, t.failed, t.judged);
                break;
            case EK_NC_INFO:
                fprintf(o, "info %" PRIu64 "/%" PRIu64, t.info, t.judged);
                break;
            case EK_NC_PASS:
                fprintf(o, "pass %" PRIu64, t.judged);
                break;
            case EK_NC_NOT_JUDGED:
                fputs("not judged", o);
                break;
            }
            fputs("</td>", o);
        }
        fputs("</tr>\n", o);
    }
    if (!pg->n_nodes)
        fprintf(o, "<tr><td colspan=\"%zu\" class=\"o-nj\">no node sent a frame</td></tr>\n", pg->n_rules + 1);
    fputs("</tbody>\n</table>\n</div>\n</section>\n", o);
}

/* When a finding was made: the checker's time, else (a finding made at the end of the
 * run carries time 0) the time of its frame when one of the node's series recorded that
 * frame.  false: unknown. */
static bool finding_time(const page *pg, size_t node, const ek_nc_finding *f, uint64_t *t)
{
    *t = f->t_ns;
    if (f->t_ns)
        return true;
    const ek_nc_node *n = ek_nc_node_at(pg->nc, node);
    if (n && f->frame_no && (f->frame_no == n->first_frame || f->frame_no == n->last_frame)) {
        *t = f->frame_no == n->first_frame ? n->t_first_ns : n->t_last_ns;
        return true;
    }
    for (int k = 0; k < EK_NC_SERIES_KINDS; k++) {
        size_t np = 0;
        const ek_nc_point *p = ek_nc_series(pg->nc, node, (ek_nc_series_kind)k, &np);
        for (size_t i = 0; p && i < np; i++)
            if (p[i].frame_no == f->frame_no) {
                *t = p[i].t_ns;
                return true;
            }
    }
    return false;
}

typedef struct fref {
    size_t node;
    const ek_nc_finding *f;
} fref;

static int fref_cmp(const void *a, const void *b)
{
    const fref *x = a, *y = b;
    if (x->f->frame_no != y->f->frame_no)
        return x->f->frame_no < y->f->frame_no ? -1 : 1;
    if (x->node != y->node)
        return x->node < y->node ? -1 : 1;
    return (x->f->rule > y->f->rule) - (x->f->rule < y->f->rule);
}

/* Whether an earlier kept finding of the node names the same frame: ids stay unique. */
static bool frame_seen_before(const ek_nc_finding *fs, size_t k, uint64_t frame_no)
{
    for (size_t j = 0; j < k; j++)
        if (fs[j].frame_no == frame_no)
            return true;
    return false;
}

static bool is_first_of_frame(const page *pg, const fref *r)
{
    size_t n = 0;
    const ek_nc_finding *fs = ek_nc_node_findings(pg->nc, r->node, &n);
    size_t k = (size_t)(r->f - fs);
    return k >= n || !frame_seen_before(fs, k, r->f->frame_no);
}

static const ek_nc_rule *rule_of(const page *pg, unsigned r)
{
    static const ek_nc_rule unknown = { "unknown", "", "", "" };
    return r < pg->n_rules ? &pg->rules[r] : &unknown;
}

static int findings_table(const page *pg)
{
    FILE *o = pg->o;
    size_t total = 0;
    for (size_t i = 0; i < pg->n_nodes; i++) {
        size_t n = 0;
        (void)ek_nc_node_findings(pg->nc, i, &n);
        total += n;
    }
    fref *all = NULL;
    if (total && !(all = calloc(total, sizeof *all)))
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < pg->n_nodes; i++) {
        size_t n = 0;
        const ek_nc_finding *fs = ek_nc_node_findings(pg->nc, i, &n);
        for (size_t j = 0; j < n && k < total; j++)
            all[k++] = (fref){ i, &fs[j] };
    }
    if (k > 1)
        qsort(all, k, sizeof *all, fref_cmp);

    fputs("<section id=\"findings-sec\">\n<h2>Findings</h2>\n", o);
    if (k)
        fputs("<p class=\"facts\">In frame order; at most the first few per node and rule are kept "
              "(the counts above are complete). The frame numbers are those of the capture.</p>\n", o);
    fputs("<table id=\"findings\">\n<thead><tr><th>node</th><th>rule</th><th>requirement</th><th>section</th>"
          "<th>severity</th><th class=\"num\">frame</th><th class=\"num\">against</th><th class=\"num\">t (s)</th>"
          "<th>message</th></tr></thead>\n<tbody>\n", o);
    for (size_t j = 0; j < k; j++) {
        const fref *r = &all[j];
        const ek_nc_rule *ru = rule_of(pg, r->f->rule);
        const ek_nc_node *n = ek_nc_node_at(pg->nc, r->node);
        char addr[24];
        node_addr(n, addr);
        bool info = r->f->severity == EK_MON_INFO;
        fprintf(o, "<tr class=\"finding sev-%s\"", info ? "info" : "fail");
        if (is_first_of_frame(pg, r))
            fprintf(o, " id=\"f-%zu-%" PRIu64 "\"", r->node, r->f->frame_no);
        fprintf(o, " data-node=\"%s\" data-rule=\"", addr);
        ek_html_esc(o, ru->name);
        fprintf(o, "\" data-frame=\"%" PRIu64 "\" data-severity=\"%s\"><td>", r->f->frame_no, info ? "INFO" : "FAIL");
        put_node_link(pg, r->node);
        fputs("</td><td class=\"mono\">", o);
        ek_html_esc(o, ru->name);
        fputs("</td><td>", o);
        ek_html_esc(o, ru->req);
        fputs("</td><td>", o);
        ek_html_esc(o, ru->section);
        fprintf(o, "</td><td class=\"%s\">%s</td><td class=\"num frame\"><a href=\"#f-%zu-%" PRIu64 "\">%" PRIu64
                   "</a></td><td class=\"num frame\">",
                info ? "o-info" : "o-fail", info ? "INFO" : "FAIL", r->node, r->f->frame_no, r->f->frame_no);
        if (r->f->other_frame_no)
            put_u64(o, r->f->other_frame_no);
        fputs("</td><td class=\"num\">", o);
        uint64_t t;
        if (finding_time(pg, r->node, r->f, &t))
            put_secs(o, t >= pg->ax.t0 ? t - pg->ax.t0 : 0);
        fputs("</td><td>", o);
        ek_html_esc_n(o, r->f->msg, sizeof r->f->msg);
        fputs("</td></tr>\n", o);
    }
    if (!k)
        fputs("<tr><td colspan=\"9\" class=\"o-nj\">no findings</td></tr>\n", o);
    fputs("</tbody>\n</table>\n</section>\n", o);
    free(all);
    return 0;
}

/* ---- interop ------------------------------------------------------------------------ */

static const struct { uint32_t bit; const char *word, *token; } pair_words[] = {
    { EK_NC_PAIR_PARENT, "parent", "parent" },
    { EK_NC_PAIR_ADOPTED_MIN, "adopted min", "adopted-min" },
    { EK_NC_PAIR_HEARD_EB, "joined via EB", "heard-eb" },
    { EK_NC_PAIR_COPIED, "copied", "copied" },
    { EK_NC_PAIR_BELOW, "below parent", "below" },
};
#define PAIR_BAD (EK_NC_PAIR_COPIED | EK_NC_PAIR_BELOW)

static void put_pair_tokens(FILE *o, uint32_t bits)
{
    bool any = false;
    for (size_t i = 0; i < sizeof pair_words / sizeof pair_words[0]; i++)
        if (bits & pair_words[i].bit) {
            fprintf(o, "%s%s", any ? " " : "", pair_words[i].token);
            any = true;
        }
}

static void put_pair_words(FILE *o, uint32_t bits)
{
    bool any = false;
    for (size_t i = 0; i < sizeof pair_words / sizeof pair_words[0]; i++)
        if (bits & pair_words[i].bit) {
            fprintf(o, "%s%s", any ? ", " : "", pair_words[i].word);
            any = true;
        }
}

static bool pair_ok(const page *pg, const ek_nc_pair *p)
{
    return p->a < pg->n_nodes && p->b < pg->n_nodes;
}

/* Sorted distinct node indices (a's or b's) of the pairs; returns the count. */
static size_t pair_axis(const page *pg, const ek_nc_pair *p, size_t n, bool side_b, size_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!pair_ok(pg, &p[i]))
            continue;
        size_t v = side_b ? p[i].b : p[i].a;
        size_t at = 0;
        while (at < k && out[at] < v)
            at++;
        if (at < k && out[at] == v)
            continue;
        memmove(out + at + 1, out + at, (k - at) * sizeof *out);
        out[at] = v;
        k++;
    }
    return k;
}

/* Every pair (a, b) merged: the bits ORed, the earliest frame. */
static uint32_t pair_bits(const ek_nc_pair *p, size_t n, size_t a, size_t b, uint64_t *frame)
{
    uint32_t bits = 0;
    *frame = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i].a == a && p[i].b == b) {
            bits |= p[i].bits;
            if (p[i].frame_no && (!*frame || p[i].frame_no < *frame))
                *frame = p[i].frame_no;
        }
    return bits;
}

static int interop(const page *pg)
{
    FILE *o = pg->o;
    size_t np = 0;
    const ek_nc_pair *p = ek_nc_pairs(pg->nc, &np);
    if (!p)
        np = 0;
    size_t *rows = NULL, *cols = NULL, nr = 0, nc = 0;
    if (np) {
        rows = calloc(np, sizeof *rows);
        cols = calloc(np, sizeof *cols);
        if (!rows || !cols) {
            free(rows);
            free(cols);
            return -1;
        }
        nr = pair_axis(pg, p, np, false, rows);
        nc = pair_axis(pg, p, np, true, cols);
    }
    if (!nr)
        np = 0; /* no pair names two nodes of the table */
    bool matrix = np && nr <= INTEROP_MATRIX_MAX && nc <= INTEROP_MATRIX_MAX;
    fputs("<section id=\"interop-sec\">\n<h2>Interoperation</h2>\n"
          "<p class=\"facts\">Row node a, column node b: what a did with b. parent: a chose b as parent; "
          "adopted min: a's minimum followed a change of b's; joined via EB: b's Enhanced Beacon was the last "
          "Join-Info EB before a appeared; copied: a forwarded an option it heard from b (RFC 6550 &sect;6.7.1); "
          "below parent: a advertised a minimum below b's while b was its parent "
          "(draft-ietf-roll-enrollment-priority-16 &sect;3.2).</p>\n", o);
    fprintf(o, "<table id=\"interop\" data-form=\"%s\" data-pairs=\"%zu\">\n", matrix ? "matrix" : "list", np);
    if (!np) {
        fputs("<tbody><tr><td class=\"o-nj\">no pair of nodes was seen acting on each other</td></tr></tbody>\n", o);
    } else if (matrix) {
        fputs("<thead><tr><th>a \\ b</th>", o);
        for (size_t j = 0; j < nc; j++) {
            fputs("<th>", o);
            put_node_link(pg, cols[j]);
            fputs("</th>", o);
        }
        fputs("</tr></thead>\n<tbody>\n", o);
        for (size_t i = 0; i < nr; i++) {
            char aa[24];
            node_addr(ek_nc_node_at(pg->nc, rows[i]), aa);
            fprintf(o, "<tr data-node=\"%s\"><th>", aa);
            put_node_link(pg, rows[i]);
            fputs("</th>", o);
            for (size_t j = 0; j < nc; j++) {
                uint64_t fr = 0;
                uint32_t bits = pair_bits(p, np, rows[i], cols[j], &fr);
                if (!bits || rows[i] == cols[j]) {
                    fputs("<td></td>", o);
                    continue;
                }
                char ba[24];
                node_addr(ek_nc_node_at(pg->nc, cols[j]), ba);
                fprintf(o, "<td class=\"pair %s\" data-a=\"%s\" data-b=\"%s\" data-bits=\"", bits & PAIR_BAD ? "bad" : "rel",
                        aa, ba);
                put_pair_tokens(o, bits);
                fputs("\" title=\"first seen in frame ", o);
                put_u64(o, fr);
                fputs("\">", o);
                put_pair_words(o, bits);
                fputs("</td>", o);
            }
            fputs("</tr>\n", o);
        }
        fputs("</tbody>\n", o);
    } else {
        fputs("<thead><tr><th>a</th><th>b</th><th>relation</th><th class=\"num\">first frame</th></tr></thead>\n"
              "<tbody>\n", o);
        for (size_t i = 0; i < np; i++) {
            if (!pair_ok(pg, &p[i]))
                continue;
            char aa[24], ba[24];
            node_addr(ek_nc_node_at(pg->nc, p[i].a), aa);
            node_addr(ek_nc_node_at(pg->nc, p[i].b), ba);
            fprintf(o, "<tr class=\"pair %s\" data-a=\"%s\" data-b=\"%s\" data-bits=\"",
                    p[i].bits & PAIR_BAD ? "bad" : "rel", aa, ba);
            put_pair_tokens(o, p[i].bits);
            fputs("\"><td>", o);
            put_node_link(pg, p[i].a);
            fputs("</td><td>", o);
            put_node_link(pg, p[i].b);
            fputs("</td><td>", o);
            put_pair_words(o, p[i].bits);
            fputs("</td><td class=\"num frame\">", o);
            put_u64(o, p[i].frame_no);
            fputs("</td></tr>\n", o);
        }
        fputs("</tbody>\n", o);
    }
    fputs("</table>\n</section>\n", o);
    free(rows);
    free(cols);
    return 0;
}

/* ---- timelines ---------------------------------------------------------------------- */

static const struct {
    const char *name, *cls;
    bool hex;                      /* priorities read as the drafts write them */
} lanes[N_LANES] = {
    [EK_NC_SERIES_RANK] = { "rank", "s-rank", false },
    [EK_NC_SERIES_MIN] = { "minimum", "s-min", true },
    [EK_NC_SERIES_PROXY] = { "EB proxy", "s-proxy", true },
    [EK_NC_SERIES_VERSION] = { "version", "s-version", false },
};

/* The lane a finding is drawn in: the value its rule is about; N_LANES = the strip. */
static int finding_lane(const char *rule)
{
    static const struct { const char *rule; int lane; } map[] = {
        { "rank-increase", EK_NC_SERIES_RANK },      { "join-metric", EK_NC_SERIES_RANK },
        { "min-below-parent", EK_NC_SERIES_MIN },    { "option-dropped", EK_NC_SERIES_MIN },
        { "proxy-below-min", EK_NC_SERIES_PROXY },   { "jp-off", EK_NC_SERIES_PROXY },
        { "ji-framing", EK_NC_SERIES_PROXY },        { "ji-reserved", EK_NC_SERIES_PROXY },
        { "ji-declared", EK_NC_SERIES_PROXY },       { "network-id", EK_NC_SERIES_PROXY },
        { "version-bump", EK_NC_SERIES_VERSION },    { "version-order", EK_NC_SERIES_VERSION },
    };
    for (size_t i = 0; rule && i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(rule, map[i].rule))
            return map[i].lane;
    return N_LANES;
}

static int lane_top(int lane)
{
    return SVG_TOP + lane * (LANE_H + LANE_GAP);
}

static void put_value(FILE *o, uint16_t v, bool hex)
{
    fprintf(o, hex ? "0x%02x" : "%u", (unsigned)v);
}

/* Tick label: seconds with as many decimals as the step needs. */
static void put_tick(FILE *o, uint64_t rel, uint64_t step)
{
    if (step >= 1000000000u)
        fprintf(o, "%" PRIu64 " s", rel / 1000000000u);
    else if (step >= 100000000u)
        fprintf(o, "%" PRIu64 ".%01u s", rel / 1000000000u, (unsigned)(rel / 100000000u % 10u));
    else if (step >= 10000000u)
        fprintf(o, "%" PRIu64 ".%02u s", rel / 1000000000u, (unsigned)(rel / 10000000u % 100u));
    else
        fprintf(o, "%" PRIu64 ".%03u s", rel / 1000000000u, (unsigned)(rel / 1000000u % 1000u));
}

typedef struct reference {
    const ek_nc_point *p;
    size_t n;
    uint64_t t_end;
    int kind;                      /* the lane whose colour it takes */
    char what[160];                /* its tooltip */
} reference;

static void reference_of(const page *pg, size_t i, int lane, reference *r)
{
    const ek_nc_node *n = ek_nc_node_at(pg->nc, i);
    char label[128];
    r->n = 0;
    if (lane == EK_NC_SERIES_MIN && n->has_parent && n->parent < pg->n_nodes && n->parent != i) {
        const ek_nc_node *par = ek_nc_node_at(pg->nc, n->parent);
        r->p = ek_nc_series(pg->nc, n->parent, EK_NC_SERIES_MIN, &r->n);
        r->t_end = par->t_last_ns;
        ek_nc_node_label(pg->nc, n->parent, label, sizeof label);
        snprintf(r->what, sizeof r->what, "minimum of the parent, %s", label);
    } else if (lane == EK_NC_SERIES_PROXY) {
        r->p = ek_nc_series(pg->nc, i, EK_NC_SERIES_MIN, &r->n);
        r->t_end = n->t_last_ns;
        snprintf(r->what, sizeof r->what, "the node's own minimum");
    } else
        return;
    r->kind = EK_NC_SERIES_MIN;
    if (!r->p)
        r->n = 0;
}

/* The value at each change, beside the line, while they are few enough to read. */
static void value_labels(FILE *o, const ek_nc_point *p, size_t n, const ek_html_axis *ax, const ek_html_lane *ln,
                         bool hex)
{
    enum { MAX_LABELLED = 24, MIN_GAP = 40 };
    if (n > MAX_LABELLED)
        return;
    int last_x = INT32_MIN / 2;
    bool any = false;
    uint16_t last_v = 0;
    for (size_t k = 0; k < n; k++) {
        if (!p[k].has || (any && p[k].v == last_v))
            continue;
        int x = ek_html_x(ax, p[k].t_ns), y = ek_html_y(ln, p[k].v);
        if (x - last_x < MIN_GAP)
            continue;
        /* above the line, or below it at the top of the band */
        int ty = y - 4 < ln->top + 10 ? y + 12 : y - 4;
        fprintf(o, "<text class=\"pv\" x=\"%d\" y=\"%d\">", x + 3, ty);
        put_value(o, p[k].v, hex);
        fputs("</text>", o);
        last_x = x;
        last_v = p[k].v;
        any = true;
    }
    fputc('\n', o);
}

static void timeline(const page *pg, size_t i, const ek_nc_node *n)
{
    FILE *o = pg->o;
    const ek_html_axis *ax = &pg->ax;
    int strip_top = lane_top(N_LANES), axis_y = strip_top + STRIP_H;
    fprintf(o, "<svg class=\"tl\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
               "aria-label=\"timelines of the advertised values\">\n",
            SVG_W, SVG_H, SVG_W, SVG_H);

    /* time ticks, under everything else */
    uint64_t span = ax->t1 - ax->t0, step = ek_html_tick_step(span);
    for (uint64_t rel = 0; rel <= span; rel += step) {
        int x = ek_html_x(ax, ax->t0 + rel);
        fprintf(o, "<line class=\"tick\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", x, SVG_TOP, x, axis_y);
        fprintf(o, "<text class=\"tk\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">", x, axis_y + 16);
        put_tick(o, rel, step);
        fputs("</text>\n", o);
        if (span - rel < step)
            break;
    }

    ek_html_lane ln[N_LANES];
    bool has[N_LANES];
    for (int k = 0; k < N_LANES; k++) {
        size_t np = 0;
        const ek_nc_point *p = ek_nc_series(pg->nc, i, (ek_nc_series_kind)k, &np);
        if (!p)
            np = 0;
        ln[k] = (ek_html_lane){ lane_top(k), LANE_H, 0, 0 };
        has[k] = ek_html_lane_range(p, np, &ln[k]);
        /* the value this one is held against, dashed underneath: the parent's minimum in
         * the minimum lane (min-below-parent, draft-16 §3.2), the node's own minimum in the
         * EB proxy lane (proxy-below-min, §3.2); the lane's scale covers both */
        reference ref = { 0 };
        if (has[k])
            reference_of(pg, i, k, &ref);
        ek_html_lane rl = ln[k];
        if (ref.n && ek_html_lane_range(ref.p, ref.n, &rl)) {
            ln[k].vmin = rl.vmin < ln[k].vmin ? rl.vmin : ln[k].vmin;
            ln[k].vmax = rl.vmax > ln[k].vmax ? rl.vmax : ln[k].vmax;
        } else
            ref.n = 0;
        fprintf(o, "<g class=\"lane\" data-series=\"%s\" data-points=\"%zu\">", lanes[k].cls + 2, np);
        fprintf(o, "<rect class=\"bg\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>", ax->x0, ln[k].top,
                ax->x1 - ax->x0, LANE_H);
        fprintf(o, "<text class=\"ln\" x=\"6\" y=\"%d\">%s</text>", ln[k].top + LANE_H / 2 + 4, lanes[k].name);
        if (!has[k]) {
            fprintf(o, "<text class=\"none\" x=\"%d\" y=\"%d\">not advertised</text></g>\n", ax->x0 + 8,
                    ln[k].top + LANE_H / 2 + 4);
            continue;
        }
        fprintf(o, "<text class=\"lv\" x=\"%d\" y=\"%d\" text-anchor=\"end\">", SVG_L - 6,
                ek_html_y(&ln[k], ln[k].vmax) + 4);
        put_value(o, ln[k].vmax, lanes[k].hex);
        fputs("</text>", o);
        if (ln[k].vmin != ln[k].vmax) {
            fprintf(o, "<text class=\"lv\" x=\"%d\" y=\"%d\" text-anchor=\"end\">", SVG_L - 6,
                    ek_html_y(&ln[k], ln[k].vmin) + 4);
            put_value(o, ln[k].vmin, lanes[k].hex);
            fputs("</text>", o);
        }
        if (ref.n) {
            fprintf(o, "\n<path class=\"ref %s\" d=\"", lanes[ref.kind].cls);
            ek_html_step_path(o, ref.p, ref.n, ref.t_end, ax, &ln[k]);
            fputs("\"><title>", o);
            ek_html_esc(o, ref.what);
            fputs("</title></path>", o);
        }
        fprintf(o, "\n<path class=\"s %s\" d=\"", lanes[k].cls);
        ek_html_step_path(o, p, np, n->t_last_ns, ax, &ln[k]);
        fprintf(o, "\"><title>%s: %zu change points</title></path>\n", lanes[k].name, np);
        value_labels(o, p, np, ax, &ln[k], lanes[k].hex);
        fputs("</g>\n", o);
    }
    fprintf(o, "<text class=\"ln\" x=\"6\" y=\"%d\">findings</text>\n", strip_top + STRIP_H / 2 + 4);

    /* stimuli and events, across every lane */
    size_t nm = 0;
    const ek_nc_mark_rec *m = ek_nc_marks(pg->nc, &nm);
    int numbered_x = INT32_MIN / 2;
    for (size_t k = 0; m && k < nm; k++) {
        int x = ek_html_x(ax, m[k].t_ns);
        fprintf(o, "<g class=\"mark\" data-frame=\"%" PRIu64 "\"><title>", m[k].frame_no);
        fprintf(o, "%zu: ", k + 1);
        ek_html_esc_n(o, m[k].text, sizeof m[k].text);
        fprintf(o, " (frame %" PRIu64 ")</title><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", m[k].frame_no, x,
                SVG_TOP - 2, x, axis_y);
        /* numbers that would overlap the previous one are left to the tooltip */
        if (x - numbered_x >= 8 + 7 * (k + 1 >= 10 ? 2 : 1)) {
            fprintf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%zu</text>", x, SVG_TOP - 5, k + 1);
            numbered_x = x;
        }
        fputs("</g>\n", o);
    }

    /* findings: on the value their rule is about, at the value then in force */
    size_t nf = 0;
    const ek_nc_finding *fs = ek_nc_node_findings(pg->nc, i, &nf);
    for (size_t k = 0; fs && k < nf; k++) {
        const ek_nc_rule *ru = rule_of(pg, fs[k].rule);
        uint64_t t;
        if (!finding_time(pg, i, &fs[k], &t))
            t = ax->t0;
        int lane = finding_lane(ru->name), x = ek_html_x(ax, t), y = strip_top + STRIP_H / 2;
        if (lane < N_LANES) {
            y = ln[lane].top + LANE_H / 2;
            size_t np = 0;
            const ek_nc_point *p = ek_nc_series(pg->nc, i, (ek_nc_series_kind)lane, &np);
            const ek_nc_point *in_force = NULL;
            for (size_t q = 0; p && q < np && p[q].t_ns <= t; q++)
                in_force = &p[q];
            if (has[lane] && in_force && in_force->has)
                y = ek_html_y(&ln[lane], in_force->v);
        }
        bool info = fs[k].severity == EK_MON_INFO;
        fprintf(o, "<a href=\"#f-%zu-%" PRIu64 "\"><circle class=\"%s\" cx=\"%d\" cy=\"%d\" r=\"%d\" "
                   "data-rule=\"", i, fs[k].frame_no, info ? "info" : "fail", x, y, info ? 3 : 5);
        ek_html_esc(o, ru->name);
        fprintf(o, "\" data-frame=\"%" PRIu64 "\"><title>%s ", fs[k].frame_no, info ? "INFO" : "FAIL");
        ek_html_esc(o, ru->name);
        fprintf(o, ", frame %" PRIu64 ": ", fs[k].frame_no);
        ek_html_esc_n(o, fs[k].msg, sizeof fs[k].msg);
        fputs("</title></circle></a>\n", o);
    }
    fputs("</svg>\n", o);
}

/* Whether the node has anything to draw: a value advertised or a finding. */
static bool has_timeline(const page *pg, size_t i)
{
    size_t n = 0;
    if (ek_nc_node_findings(pg->nc, i, &n) && n)
        return true;
    for (int k = 0; k < EK_NC_SERIES_KINDS; k++)
        if (ek_nc_series(pg->nc, i, (ek_nc_series_kind)k, &n) && n)
            return true;
    return false;
}

static void node_sections(const page *pg)
{
    FILE *o = pg->o;
    fputs("<section id=\"nodes\">\n<h2>Nodes</h2>\n", o);
    if (pg->n_nodes && pg->has_time)
        fputs("<p class=\"legend\"><span><i style=\"background:#37474f\"></i>rank (RFC 6550 &sect;6.3.1)</span>"
              "<span><i style=\"background:#6a1b9a\"></i>minimum enrollment priority "
              "(draft-ietf-roll-enrollment-priority-16 &sect;3.1)</span>"
              "<span><i style=\"background:#00838f\"></i>EB Join-Info proxy priority (RFC 9032 &sect;2)</span>"
              "<span><i style=\"background:#ef6c00\"></i>version</span>"
              "<span><i style=\"background:#1565c0\"></i>mark (stimulus)</span>"
              "<span><i style=\"background:repeating-linear-gradient(90deg,#6a1b9a 0 4px,transparent 4px 7px);"
              "opacity:.55\"></i>held against: the parent's minimum, the node's own minimum under its EB proxy</span>"
              "<span><i style=\"background:#d50000;height:8px;width:8px;border-radius:4px\"></i>FAIL "
              "finding</span></p>\n", o);
    if (!pg->n_nodes)
        fputs("<p class=\"o-nj\">No node sent a frame.</p>\n", o);
    for (size_t i = 0; i < pg->n_nodes; i++) {
        const ek_nc_node *n = ek_nc_node_at(pg->nc, i);
        ek_nc_outcome no = ek_nc_node_outcome(pg->nc, i);
        char addr[24];
        node_addr(n, addr);
        fprintf(o, "<section class=\"node nd-%s\" id=\"n-%zu\" data-node=\"%s\" data-outcome=\"%s\"%s "
                   "data-roles=\"", outcome_class(no) + 2, i, addr, outcome_word(no),
                n->stimulus ? " data-stimulus=\"true\"" : "");
        put_roles(o, n->roles);
        fputs("\">\n<h3>", o);
        put_label(pg, i);
        fprintf(o, " <span class=\"badge %s\">%s</span></h3>\n<p class=\"facts\">", outcome_class(no),
                no == EK_NC_FAIL ? "FAIL" : n->stimulus && no == EK_NC_NOT_JUDGED ? "harness" : outcome_word(no));
        put_roles(o, n->roles);
        if (n->stimulus)
            fputs("; played by the harness: its stimuli break rules on purpose, learnt from, never judged", o);
        else if (n->declared)
            fputs(n->legacy ? "; declared, legacy (no enrollment option)" : "; declared", o);
        fprintf(o, "; PAN 0x%04x; ", (unsigned)n->pan);
        fprintf(o, "%" PRIu64 " frames (%" PRIu64 " DIO, %" PRIu64 " EB, %" PRIu64 " DAO, %" PRIu64
                   " secured, %" PRIu64 " malformed, %" PRIu64 " bad FCS), frames %" PRIu64 "&ndash;%" PRIu64,
                n->frames, n->dios, n->ebs, n->daos, n->secured, n->malformed, n->fcs_bad, n->first_frame,
                n->last_frame);
        if (n->has_parent && n->parent < pg->n_nodes) {
            fputs("; parent ", o);
            put_node_link(pg, n->parent);
            fputs(" (", o);
            ek_html_esc(o, n->parent_how ? n->parent_how : "inferred");
            fprintf(o, ", frame %" PRIu64 ")", n->parent_frame);
        }
        fputs("</p>\n", o);
        /* which rules failed, so the section reads on its own */
        bool any = false;
        for (size_t r = 0; r < pg->n_rules; r++) {
            ek_nc_tally t = ek_nc_node_tally(pg->nc, i, (unsigned)r);
            if (!t.failed)
                continue;
            fputs(any ? ", " : "<p class=\"facts\">failed: ", o);
            ek_html_esc(o, pg->rules[r].name);
            fprintf(o, " (%" PRIu64 "&times;, first in frame %" PRIu64 ")", t.failed, t.first_fail_frame);
            any = true;
        }
        if (any)
            fputs("</p>\n", o);
        if (pg->has_time && has_timeline(pg, i))
            timeline(pg, i, n);
        else
            fputs("<p class=\"facts o-nj\">advertised no rank, minimum, proxy priority or version</p>\n", o);
        fputs("</section>\n", o);
    }
    fputs("</section>\n", o);
}

static void marks_table(const page *pg)
{
    FILE *o = pg->o;
    size_t nm = 0;
    const ek_nc_mark_rec *m = ek_nc_marks(pg->nc, &nm);
    if (!m || !nm)
        return;
    fputs("<section id=\"marks-sec\">\n<h2>Marks</h2>\n<table id=\"marks\">\n<thead><tr><th class=\"num\">#</th>"
          "<th class=\"num\">t (s)</th><th class=\"num\">frame</th><th>event</th></tr></thead>\n<tbody>\n", o);
    for (size_t k = 0; k < nm; k++) {
        fprintf(o, "<tr class=\"mark\" data-frame=\"%" PRIu64 "\"><td class=\"num\">%zu</td><td class=\"num\">",
                m[k].frame_no, k + 1);
        put_secs(o, m[k].t_ns >= pg->ax.t0 ? m[k].t_ns - pg->ax.t0 : 0);
        fputs("</td><td class=\"num frame\">", o);
        put_u64(o, m[k].frame_no);
        fputs("</td><td>", o);
        ek_html_esc_n(o, m[k].text, sizeof m[k].text);
        fputs("</td></tr>\n", o);
    }
    fputs("</tbody>\n</table>\n</section>\n", o);
}

static void catalogue(const page *pg)
{
    FILE *o = pg->o;
    fputs("<section id=\"catalogue-sec\">\n<h2>Rules</h2>\n<table id=\"catalogue\">\n<thead><tr><th>rule</th>"
          "<th>requirement</th><th>section</th><th>what it checks</th></tr></thead>\n<tbody>\n", o);
    for (size_t r = 0; r < pg->n_rules; r++) {
        fputs("<tr><td class=\"mono\">", o);
        ek_html_esc(o, pg->rules[r].name);
        fputs("</td><td>", o);
        ek_html_esc(o, pg->rules[r].req);
        fputs("</td><td>", o);
        ek_html_esc(o, pg->rules[r].section);
        fputs("</td><td>", o);
        ek_html_esc(o, pg->rules[r].summary);
        fputs("</td></tr>\n", o);
    }
    fputs("</tbody>\n</table>\n</section>\n", o);
}

/* The run's time span: every node's frames and every mark. */
static void time_span(page *pg)
{
    bool any = false;
    uint64_t lo = 0, hi = 0;
    for (size_t i = 0; i < pg->n_nodes; i++) {
        const ek_nc_node *n = ek_nc_node_at(pg->nc, i);
        if (!n || !n->frames)
            continue;
        if (!any || n->t_first_ns < lo)
            lo = n->t_first_ns;
        if (!any || n->t_last_ns > hi)
            hi = n->t_last_ns;
        any = true;
    }
    size_t nm = 0;
    const ek_nc_mark_rec *m = ek_nc_marks(pg->nc, &nm);
    for (size_t k = 0; m && k < nm; k++) {
        if (!any || m[k].t_ns < lo)
            lo = m[k].t_ns;
        if (!any || m[k].t_ns > hi)
            hi = m[k].t_ns;
        any = true;
    }
    pg->has_time = any;
    pg->ax = (ek_html_axis){ SVG_L, SVG_W - SVG_R, lo, hi };
}

static void set_err(char *err, size_t errlen, const char *msg, const char *path)
{
    if (err && errlen)
        snprintf(err, errlen, "%s%s%s", path ? path : "", path ? ": " : "", msg);
}

int ek_html_write(FILE *out, const ek_netcheck *nc, const ek_html_opts *o, char *err, size_t errlen)
{
    static const ek_html_opts none = { 0 };
    if (!out || !nc) {
        set_err(err, errlen, "no output or no checker", NULL);
        return -1;
    }
    page pg = { .o = out, .nc = nc, .opt = o ? o : &none };
    pg.rules = ek_nc_rules(&pg.n_rules);
    if (!pg.rules)
        pg.n_rules = 0;
    pg.n_nodes = ek_nc_node_count(nc);
    time_span(&pg);
    const char *title = pg.opt->title ? pg.opt->title : "enrollkit report";
    ek_html_counts c;
    count_run(nc, pg.opt, &c);
    ek_html_verdict v = ek_html_verdict_of(&c);

    head(&pg, title);
    fprintf(out, "<body data-verdict=\"%s\" data-nodes=\"%zu\">\n", ek_html_verdict_word(v), pg.n_nodes);
    banner(&pg, title, v, &c);
    fputs("<main>\n", out);
    run_info(&pg);
    td_table(&pg);
    /* overview first (tallies, who worked with whom), then each node's timelines, then
     * the evidence they link to */
    rules_table(&pg);
    int rc = interop(&pg);
    if (rc == 0) {
        marks_table(&pg);
        node_sections(&pg);
        rc = findings_table(&pg);
    }
    if (rc == 0) {
        catalogue(&pg);
        fputs("<footer>", out);
        ek_html_esc(out, pg.opt->tool ? pg.opt->tool : "enrollkit");
        fputs(" report: self-contained, no script, no external resource. Requirement IDs and sections: "
              "RFC 9032, RFC 6550, draft-ietf-roll-enrollment-priority.</footer>\n</main>\n</body>\n</html>\n", out);
    }
    if (rc != 0) {
        set_err(err, errlen, "out of memory", NULL);
        return -1;
    }
    if (fflush(out) != 0 || ferror(out)) {
        set_err(err, errlen, strerror(errno ? errno : EIO), NULL);
        return -1;
    }
    return 0;
}

int ek_html_write_file(const char *path, const ek_netcheck *nc, const ek_html_opts *o, char *err, size_t errlen)
{
    if (!path || !*path) {
        set_err(err, errlen, "no path", NULL);
        return -1;
    }
    size_t tl = strlen(path) + sizeof ".tmp";
    char *tmp = malloc(tl);
    if (!tmp) {
        set_err(err, errlen, "out of memory", path);
        return -1;
    }
    snprintf(tmp, tl, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        set_err(err, errlen, strerror(errno), tmp);
        free(tmp);
        return -1;
    }
    char why[256] = "";
    int rc = ek_html_write(f, nc, o, why, sizeof why);
    if (fclose(f) != 0 && rc == 0) {
        snprintf(why, sizeof why, "%s", strerror(errno));
        rc = -1;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        snprintf(why, sizeof why, "rename from %s: %s", tmp, strerror(errno));
        rc = -1;
    }
    if (rc != 0) {
        set_err(err, errlen, why, path);
        remove(tmp);
    }
    free(tmp);
    return rc;
}
