/* SPDX-License-Identifier: BSD-3-Clause */
/* report.html: escaping, the banner verdict (nothing judged is never green), the step
 * paths of the timelines, and whole pages that are well formed, self-contained and
 * escape what users and captures put in them. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "ek/build.h"
#include "htmlreport_int.h"

#define MS UINT64_C(1000000)

/* ---- helpers ------------------------------------------------------------------------ */

typedef struct mem {
    char *p;
    size_t len;
    FILE *f;
} mem;

static void mem_open(mem *m)
{
    memset(m, 0, sizeof *m);
    m->f = open_memstream(&m->p, &m->len);
    cr_assert_not_null(m->f);
}

static char *mem_close(mem *m)
{
    cr_assert_eq(fclose(m->f), 0);
    return m->p;
}

static char *esc(const char *s, size_t n)
{
    mem m;
    mem_open(&m);
    ek_html_esc_n(m.f, s, n);
    return mem_close(&m);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* Elements that never have an end tag (HTML Living Standard §13.1.2). */
static bool is_void(const char *name, size_t len)
{
    static const char *const v[] = { "meta", "br", "hr", "img", "input", "link", "col", "wbr" };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (strlen(v[i]) == len && !strncmp(v[i], name, len))
            return true;
    return false;
}

/* Every start tag is closed in order, attribute values are quoted and hold no raw '<'. */
static void assert_well_formed(const char *html)
{
    cr_assert(!strncmp(html, "<!DOCTYPE html>\n", 16));
    const char *stack[256];
    size_t lens[256], depth = 0;
    for (const char *p = html + 16; (p = strchr(p, '<'));) {
        const char *end = strchr(p, '>');
        cr_assert_not_null(end, "unterminated tag");
        for (const char *q = p + 1; q < end; q++)
            cr_assert_neq(*q, '<', "raw '<' inside a tag near: %.60s", p);
        if (p[1] == '/') {
            size_t len = (size_t)(end - p - 2);
            cr_assert_gt(depth, 0, "end tag without start: %.40s", p);
            depth--;
            cr_assert(lens[depth] == len && !strncmp(stack[depth], p + 2, len), "</%.*s> closes <%.*s>", (int)len,
                      p + 2, (int)lens[depth], stack[depth]);
        } else {
            size_t len = strcspn(p + 1, " >/\n");
            bool self_closed = end[-1] == '/';
            if (!self_closed && !is_void(p + 1, len)) {
                cr_assert_lt(depth, 256);
                stack[depth] = p + 1;
                lens[depth++] = len;
            }
        }
        p = end + 1;
    }
    cr_assert_eq(depth, 0, "%zu elements left open", depth);
}

static void assert_self_contained(const char *html)
{
    cr_assert_null(strstr(html, "http://"));
    cr_assert_null(strstr(html, "https://"));
    cr_assert_null(strstr(html, "<script"));
    cr_assert_null(strstr(html, "<link"));
    cr_assert_null(strstr(html, " src="));
    cr_assert_null(strstr(html, "url("));
    cr_assert_null(strstr(html, "@import"));
}

/* ---- escaping ----------------------------------------------------------------------- */

Test(html, escapes_markup_and_both_quotes)
{
    char *s = esc("a<b>&\"c'd", SIZE_MAX);
    cr_assert_str_eq(s, "a&lt;b&gt;&amp;&quot;c&#39;d");
    free(s);
}

Test(html, keeps_well_formed_utf8)
{
    /* é, €, U+1F600: 2-, 3- and 4-octet forms (RFC 3629 §3) */
    char *s = esc("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 x", SIZE_MAX);
    cr_assert_str_eq(s, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 x");
    free(s);
}

Test(html, replaces_ill_formed_utf8_and_controls)
{
    /* RFC 3629 §4: overlong C0 80, a lone continuation, a surrogate ED A0 80, F5 (above
     * U+10FFFF); then a C0 control and DEL; tab and newline stay */
    char *s = esc("\xc0\x80|\x80|\xed\xa0\x80|\xf5\x80\x80\x80|\x01\x7f|\t\n", SIZE_MAX);
    const char *want = "\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|"
                       "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|\t\n";
    cr_assert_str_eq(s, want);
    free(s);
}

Test(html, a_sequence_cut_by_the_bound_is_replaced)
{
    /* a fixed-size field ending inside a character must not let the reader run on */
    char *s = esc("ab\xe2\x82\xac", 4);
    cr_assert_str_eq(s, "ab\xef\xbf\xbd\xef\xbf\xbd");
    free(s);
    s = esc(NULL, 10);
    cr_assert_str_eq(s, "");
    free(s);
}

/* ---- banner verdict ----------------------------------------------------------------- */

Test(html, a_failed_node_fails_the_run)
{
    ek_html_counts c = { .nodes = 3, .pass = 2, .fail = 1 };
    cr_assert_eq(ek_html_verdict_of(&c), EK_HTML_FAIL);
    cr_assert_str_eq(ek_html_verdict_word(EK_HTML_FAIL), "FAIL");
}

Test(html, nothing_judged_is_never_green)
{
    ek_html_counts none = { 0 };
    cr_assert_eq(ek_html_verdict_of(&none), EK_HTML_NOTHING);
    /* nodes seen, but no rule applied to any of them */
    ek_html_counts seen = { .nodes = 4, .not_judged = 4 };
    cr_assert_eq(ek_html_verdict_of(&seen), EK_HTML_NOTHING);
    /* TDs that all ended "none" judged nothing either */
    ek_html_counts tds = { .td_other = 3 };
    cr_assert_eq(ek_html_verdict_of(&tds), EK_HTML_NOTHING);
    cr_assert_str_eq(ek_html_verdict_word(EK_HTML_NOTHING), "NOTHING JUDGED");
}

Test(html, pass_needs_a_judged_node_info_counts_as_judged)
{
    ek_html_counts c = { .nodes = 2, .info = 1, .not_judged = 1 };
    cr_assert_eq(ek_html_verdict_of(&c), EK_HTML_PASS);
    c = (ek_html_counts){ .nodes = 1, .pass = 1 };
    cr_assert_eq(ek_html_verdict_of(&c), EK_HTML_PASS);
}

Test(html, td_verdicts_order_fail_error_inconclusive)
{
    ek_html_counts c = { .nodes = 1, .pass = 1, .td_pass = 3, .td_inconc = 1 };
    cr_assert_eq(ek_html_verdict_of(&c), EK_HTML_INCONCLUSIVE);
    c.td_error = 1;
    cr_assert_eq(ek_html_verdict_of(&c), EK_HTML_ERROR);
    c.td_fail = 1;
    cr_assert_eq(ek_html_verdict_of(&c), EK_HTML_FAIL);
    ek_html_counts only_tds = { .td_pass = 2 };
    cr_assert_eq(ek_html_verdict_of(&only_tds), EK_HTML_PASS);
}

/* ---- timeline geometry -------------------------------------------------------------- */

typedef struct vtx {
    int x, y;
    bool move;               /* starts a subpath */
} vtx;

/* Parses "M x y", "H x", "V y" into the vertices the path passes through. */
static size_t parse_path(const char *d, vtx *out, size_t cap)
{
    size_t n = 0;
    int x = 0, y = 0;
    const char *p = d;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        char cmd = *p++;
        char *end = NULL;
        bool move = false;
        if (cmd == 'M') {
            x = (int)strtol(p, &end, 10);
            cr_assert_eq(*end, ' ', "M x y in '%s'", d);
            y = (int)strtol(end + 1, &end, 10);
            move = true;
        } else if (cmd == 'H')
            x = (int)strtol(p, &end, 10);
        else if (cmd == 'V')
            y = (int)strtol(p, &end, 10);
        else
            cr_assert_fail("unexpected command '%c' in '%s'", cmd, d);
        cr_assert_neq(end, p, "number expected in '%s'", d);
        p = end;
        cr_assert_lt(n, cap);
        out[n++] = (vtx){ x, y, move };
    }
    return n;
}

static const ek_html_axis axis = { 100, 1100, 1000 * MS, 5000 * MS };

static char *path_of(const ek_nc_point *p, size_t n, uint64_t t_end, ek_html_lane *ln, size_t *vertices)
{
    mem m;
    mem_open(&m);
    cr_assert(ek_html_lane_range(p, n, ln));
    *vertices = ek_html_step_path(m.f, p, n, t_end, &axis, ln);
    return mem_close(&m);
}

Test(html, step_path_has_a_vertex_at_every_point_inside_the_view)
{
    const ek_nc_point pts[] = {
        { 1000 * MS, 1, 256, true }, { 1500 * MS, 7, 512, true }, { 2600 * MS, 20, 384, true },
        { 2700 * MS, 21, 1024, true }, { 4200 * MS, 40, 256, true },
    };
    size_t n = sizeof pts / sizeof pts[0], nv;
    ek_html_lane ln = { 20, 54, 0, 0 };
    char *d = path_of(pts, n, 5000 * MS, &ln, &nv);
    cr_assert_eq(nv, n);
    cr_assert_eq(ln.vmin, 256);
    cr_assert_eq(ln.vmax, 1024);
    vtx v[64];
    size_t k = parse_path(d, v, 64);
    /* inside the plot and the lane (viewBox 0 0 1200 ...) */
    for (size_t i = 0; i < k; i++) {
        cr_assert(v[i].x >= axis.x0 && v[i].x <= axis.x1, "x %d in '%s'", v[i].x, d);
        cr_assert(v[i].y >= ln.top && v[i].y <= ln.top + ln.h, "y %d in '%s'", v[i].y, d);
    }
    /* a step line: the vertices, in order, include (x(t_i), y(v_i)) for every point,
     * reached horizontally then vertically */
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        int x = ek_html_x(&axis, pts[i].t_ns), y = ek_html_y(&ln, pts[i].v);
        while (at < k && !(v[at].x == x && v[at].y == y))
            at++;
        cr_assert_lt(at, k, "point %zu (%d,%d) not on '%s'", i, x, y, d);
        if (i > 0) /* held at the previous value up to x, then the step */
            cr_assert(v[at - 1].x == x && v[at - 1].y == ek_html_y(&ln, pts[i - 1].v), "step to point %zu in '%s'", i, d);
    }
    /* the last value holds to the end of the node's frames */
    cr_assert_eq(v[k - 1].x, axis.x1);
    cr_assert_eq(v[k - 1].y, ek_html_y(&ln, 256));
    /* larger values are drawn higher */
    cr_assert_lt(ek_html_y(&ln, 1024), ek_html_y(&ln, 512));
    cr_assert_lt(ek_html_y(&ln, 512), ek_html_y(&ln, 256));
    free(d);
}

Test(html, a_point_without_the_value_breaks_the_line)
{
    const ek_nc_point pts[] = {
        { 1000 * MS, 1, 0x20, true }, { 2000 * MS, 5, 0, false }, { 3000 * MS, 9, 0x50, true },
    };
    size_t nv;
    ek_html_lane ln = { 0, 54, 0, 0 };
    char *d = path_of(pts, 3, 4000 * MS, &ln, &nv);
    cr_assert_eq(nv, 2);
    vtx v[16];
    size_t k = parse_path(d, v, 16);
    cr_assert_eq(count(d, "M"), 2, "two subpaths: '%s'", d);
    /* the first segment ends at the option-less frame */
    cr_assert_eq(v[1].x, ek_html_x(&axis, 2000 * MS));
    cr_assert(v[2].move);
    cr_assert_eq(v[2].x, ek_html_x(&axis, 3000 * MS));
    cr_assert_eq(v[k - 1].x, ek_html_x(&axis, 4000 * MS));
    free(d);
}

Test(html, a_flat_series_is_centred_and_out_of_range_times_are_clamped)
{
    const ek_nc_point pts[] = { { 0, 1, 7, true }, { 9000 * MS, 2, 7, true } };
    size_t nv;
    ek_html_lane ln = { 30, 54, 0, 0 };
    char *d = path_of(pts, 2, 9500 * MS, &ln, &nv);
    vtx v[16];
    size_t k = parse_path(d, v, 16);
    for (size_t i = 0; i < k; i++) {
        cr_assert_eq(v[i].y, 30 + 27);
        cr_assert(v[i].x >= axis.x0 && v[i].x <= axis.x1);
    }
    free(d);
    ek_html_lane none = { 0, 54, 1, 2 };
    const ek_nc_point absent[] = { { 0, 1, 0, false } };
    cr_assert_not(ek_html_lane_range(absent, 1, &none));
    cr_assert_eq(none.vmin, 1, "untouched");
}

Test(html, tick_steps_are_round_and_few)
{
    cr_assert_eq(ek_html_tick_step(0), 1 * MS);
    cr_assert_eq(ek_html_tick_step(10000 * MS), 1000 * MS);
    cr_assert_eq(ek_html_tick_step(12000 * MS), 2000 * MS);
    cr_assert_eq(ek_html_tick_step(45000 * MS), 5000 * MS);
    cr_assert_eq(ek_html_tick_step(3600000 * MS), 500000 * MS);
    cr_assert_gt(ek_html_tick_step(UINT64_MAX), 0);
}

/* ---- whole pages -------------------------------------------------------------------- */

static char *page(const ek_netcheck *nc, const ek_html_opts *o)
{
    mem m;
    mem_open(&m);
    char err[256] = "";
    cr_assert_eq(ek_html_write(m.f, nc, o, err, sizeof err), 0, "%s", err);
    return mem_close(&m);
}

static ek_netcheck *checker(const ek_nc_decl *decl, size_t n_decl)
{
    ek_nc_cfg c;
    ek_nc_cfg_default(&c);
    c.eb_period_ms = 100;
    c.slack_ms = 20;
    c.adopt_ms = 500;
    c.decl = decl;
    c.n_decl = n_decl;
    c.closed_world = true; /* every node of the test networks is fed */
    ek_netcheck *nc = ek_nc_new(&c);
    cr_assert_not_null(nc);
    return nc;
}

Test(html, an_empty_checker_gives_a_valid_page_that_is_not_green)
{
    ek_netcheck *nc = checker(NULL, 0);
    ek_nc_finish(nc);
    char *h = page(nc, NULL);
    assert_well_formed(h);
    assert_self_contained(h);
    cr_assert_not_null(strstr(h, "<body data-verdict=\"NOTHING JUDGED\" data-nodes=\"0\">"));
    cr_assert_not_null(strstr(h, "class=\"banner v-nothing\""));
    cr_assert_null(strstr(h, "banner v-pass"));
    cr_assert_not_null(strstr(h, "<table id=\"interop\""));
    cr_assert_not_null(strstr(h, "<table id=\"findings\""));
    cr_assert_not_null(strstr(h, "<table id=\"rules\""));
    cr_assert_eq(count(h, "<section class=\"node"), 0);
    cr_assert_eq(count(h, "<tr class=\"finding"), 0);
    cr_assert(strlen(h) > 16 && !strcmp(h + strlen(h) - 8, "</html>\n"));
    free(h);
    cr_assert_eq(ek_html_run_verdict(nc, NULL), EK_HTML_NOTHING);
    ek_nc_free(nc);
}

static void node_ext(uint8_t last, uint8_t ext[8])
{
    const uint8_t base[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x00 };
    memcpy(ext, base, 8);
    ext[7] = last;
}

static uint64_t frame_no;

static void dio(ek_netcheck *nc, uint8_t id, uint16_t rank, uint8_t min, uint8_t version, uint64_t t)
{
    ek_profile prof;
    ek_profile_default(&prof);
    ek_build_node n = { .pan_id = 0xface, .seq = (uint8_t)frame_no };
    node_ext(id, n.ext);
    ek_build_dio d;
    ek_build_dio_init(&d);
    d.base.rank = rank;
    d.has_mep = true;
    d.mep.min_priority = min;
    d.mep.has_version = true;
    d.mep.version = version;
    d.mep.has_size = true;
    d.mep.size_code = 4;
    uint8_t buf[128];
    size_t len;
    ek_err e;
    cr_assert_eq(ek_build_dio_frame(&n, &d, &prof, buf, sizeof buf, &len, &e), EK_OK);
    static ek_frame f;
    ek_status st = ek_frame_decode_mpdu(ek_view_make(buf, len), NULL, &prof, &f);
    ek_nc_frame(nc, &f, st, f.n_errors ? &f.errors[0] : NULL, true, ++frame_no, t);
}

Test(html, a_failing_node_is_red_escaped_and_linked)
{
    ek_nc_decl decl = { 0 };
    node_ext(0x02, decl.ext);
    snprintf(decl.name, sizeof decl.name, "<i>a&b\"c'");
    ek_netcheck *nc = checker(&decl, 1);
    frame_no = 0;
    for (unsigned i = 0; i < 10; i++) {
        dio(nc, 0x0a, 256, 0x50, 241, i * 100 * MS);
        dio(nc, 0x02, 768, i < 5 ? 0x50 : 0x40, 241, i * 100 * MS + 20 * MS);
    }
    ek_nc_mark(nc, 500 * MS, 11, "root <says> \"hi\"");
    ek_nc_finish(nc);
    ek_html_td td = { "TP-EP-01", "a <title>", "fail", "rank & \"reason\"", 7 };
    ek_html_opts o = { .title = "t<1>", .tool = "enroll-check", .version = EK_VERSION,
                       .command = "enroll-check --node '02:00:5e:ef:00:00:00:02=<i>'",
                       .capture_href = "run.pcapng", .tds = &td, .n_tds = 1 };
    char *h = page(nc, &o);
    assert_well_formed(h);
    assert_self_contained(h);
    cr_assert_not_null(strstr(h, "<body data-verdict=\"FAIL\""));
    cr_assert_not_null(strstr(h, "class=\"banner v-fail\""));
    cr_assert_null(strstr(h, "<i>a&b"), "the declared name went out raw");
    cr_assert_not_null(strstr(h, "&lt;i&gt;a&amp;b&quot;c&#39;"));
    cr_assert_not_null(strstr(h, "root &lt;says&gt; &quot;hi&quot;"));
    cr_assert_not_null(strstr(h, "<title>t&lt;1&gt;</title>"));
    cr_assert_not_null(strstr(h, "<a id=\"capture\" href=\"run.pcapng\">"));
    cr_assert_not_null(strstr(h, "<tr class=\"td\" data-td=\"TP-EP-01\" data-verdict=\"fail\">"));
    cr_assert_eq(count(h, "<section class=\"node"), 2);
    cr_assert_not_null(strstr(h, "data-node=\"02:00:5e:ef:00:00:00:02\" data-outcome=\"fail\""));
    /* every finding row has its frame and an anchor that the timeline's points link to */
    size_t k = 0;
    size_t node = 0;
    while (node < ek_nc_node_count(nc) && ek_nc_node_at(nc, node)->ext[7] != 0x02)
        node++;
    const ek_nc_finding *fs = ek_nc_node_findings(nc, node, &k);
    cr_assert_geq(k, 1);
    cr_assert_eq(count(h, "<tr class=\"finding sev-fail\""), k);
    char want[128];
    snprintf(want, sizeof want, "id=\"f-%zu-%llu\"", node, (unsigned long long)fs[0].frame_no);
    cr_assert_not_null(strstr(h, want), "%s", want);
    snprintf(want, sizeof want, "<a href=\"#f-%zu-%llu\"><circle class=\"fail\"", node,
             (unsigned long long)fs[0].frame_no);
    cr_assert_not_null(strstr(h, want), "%s", want);
    cr_assert_not_null(strstr(h, "data-rule=\"min-below-parent\""));
    cr_assert_eq(count(h, "<circle class=\"fail\""), k);
    /* the not-judged cells are grey, never green */
    cr_assert_not_null(strstr(h, "<td class=\"o-nj\" data-rule="));
    cr_assert_null(strstr(h, "class=\"o-pass\" data-rule=\"network-id\""));
    free(h);
    ek_nc_free(nc);
}

Test(html, an_absolute_or_remote_capture_is_not_linked)
{
    ek_netcheck *nc = checker(NULL, 0);
    ek_nc_finish(nc);
    const char *bad[] = { "http://example.org/x.pcapng", "/tmp/run.pcapng", "file:run.pcapng" };
    for (size_t i = 0; i < 3; i++) {
        ek_html_opts o = { .capture_href = bad[i] };
        char *h = page(nc, &o);
        cr_assert_null(strstr(h, "id=\"capture\""), "%s", bad[i]);
        free(h);
    }
    ek_nc_free(nc);
}

Test(html, write_file_replaces_only_when_complete)
{
    ek_netcheck *nc = checker(NULL, 0);
    ek_nc_finish(nc);
    char err[256];
    cr_assert_eq(ek_html_write_file("html-test-report.html", nc, NULL, err, sizeof err), 0, "%s", err);
    FILE *f = fopen("html-test-report.html", "r");
    cr_assert_not_null(f);
    fclose(f);
    cr_assert_null(fopen("html-test-report.html.tmp", "r"));
    remove("html-test-report.html");
    cr_assert_eq(ek_html_write_file("no-such-dir/report.html", nc, NULL, err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "no-such-dir/report.html"), "%s", err);
    ek_nc_free(nc);
}

Test(html, a_large_network_lists_its_pairs_and_stays_well_formed)
{
    ek_netcheck *nc = checker(NULL, 0);
    frame_no = 0;
    /* a root and 60 6LRs below it: more rows than the interop matrix shows */
    for (unsigned i = 0; i < 4; i++) {
        dio(nc, 0xf0, 256, 0x20, 240, i * 100 * MS);
        for (uint8_t k = 1; k <= 60; k++)
            dio(nc, k, 768, 0x20, 240, i * 100 * MS + k * MS);
    }
    ek_nc_finish(nc);
    cr_assert_eq(ek_nc_node_count(nc), 61);
    size_t np = 0;
    (void)ek_nc_pairs(nc, &np);
    cr_assert_gt(np, 40);
    char *h = page(nc, NULL);
    assert_well_formed(h);
    assert_self_contained(h);
    cr_assert_not_null(strstr(h, "<table id=\"interop\" data-form=\"list\""));
    cr_assert_eq(count(h, "<tr class=\"pair "), np);
    cr_assert_eq(count(h, "<section class=\"node"), 61);
    cr_assert_eq(count(h, "<svg class=\"tl\""), 61);
    free(h);
    ek_nc_free(nc);
}

Test(html, nodes_the_harness_plays_are_not_counted_as_not_judged)
{
    ek_nc_decl decl = { .stimulus = true };
    node_ext(0x0a, decl.ext);
    ek_netcheck *nc = checker(&decl, 1);
    frame_no = 0;
    for (unsigned i = 0; i < 6; i++) {
        dio(nc, 0x0a, 256, 0x30, 241, i * 100 * MS);
        dio(nc, 0x01, 768, 0x30, 241, i * 100 * MS + 20 * MS);
    }
    ek_nc_finish(nc);
    char *h = page(nc, NULL);
    assert_well_formed(h);
    cr_assert_not_null(strstr(h, "<body data-verdict=\"PASS\""));
    cr_assert_not_null(strstr(h, "<li data-count=\"stimulus\">1 played by the harness</li>"));
    cr_assert_not_null(strstr(h, "<li data-count=\"not-judged\">0 not judged</li>"));
    cr_assert_not_null(strstr(h, "data-node=\"02:00:5e:ef:00:00:00:0a\" data-outcome=\"not judged\" data-stimulus=\"true\""));
    free(h);
    ek_nc_free(nc);
}

Test(html, a_failed_write_is_reported)
{
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        cr_skip_test("no /dev/full");
    ek_netcheck *nc = checker(NULL, 0);
    ek_nc_finish(nc);
    char err[256] = "";
    cr_assert_eq(ek_html_write(full, nc, NULL, err, sizeof err), -1);
    cr_assert_neq(err[0], '\0');
    fclose(full);
    cr_assert_eq(ek_html_write(NULL, nc, NULL, err, sizeof err), -1);
    ek_nc_free(nc);
}
