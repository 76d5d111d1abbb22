/* SPDX-License-Identifier: BSD-3-Clause */
/* Run-report tests on synthetic results (pass, fail, inconclusive, error, not applicable,
 * no verdict): JUnit parsed back with libxml2 (and `xmllint --noout` when installed),
 * valid after every TD; TAP parsed back line by line (and its YAML by python3-yaml when
 * present); summary table and totals; progress on tty and non-tty; fan-out; the
 * capture observer read back through libpcap.  Reasons carry XML/YAML/TAP special
 * characters, UTF-8, controls and invalid UTF-8, and must survive (cleaned only). */
#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ek/pcapio.h"
#include "ek/runreport.h"

/* ---- synthetic TDs and results ---- */

static const ek_step steps3[] = {
    { .kind = EK_STEP_INJECT, .what = "A sends a DIO with min 0x30" },
    { .kind = EK_STEP_EXPECT, .what = "DUT sends an EB" },
    { .kind = EK_STEP_ALWAYS, .what = "EB proxy priority >= 0x30 & < 0x7f" },
};

static const ek_td tds[] = {
    { .id = "TP-EP-01", .suite = "ep", .title = "Unknown option tolerated", .refs = "EP-21", .steps = steps3, .n_steps = 3 },
    { .id = "TP-EP-06", .suite = "ep", .title = "Proxy priority <never> below \"min\" & co #1", .refs = "EP-15", .steps = steps3, .n_steps = 3 },
    { .id = "TP-EB-02", .suite = "eb", .title = "EB framing", .refs = "EB-2", .steps = steps3, .n_steps = 3 },
    { .id = "TP-EP-12", .suite = "ep", .title = "Version ordering", .refs = "EP-12", .steps = steps3, .n_steps = 3 },
    { .id = "TP-EP-13", .suite = "ep", .title = "Draft-16 only", .refs = "EP-13", .steps = steps3, .n_steps = 3 },
    { .id = "TP-S2-01", .suite = "attack", .title = "Never ran", .refs = "S2", .steps = steps3, .n_steps = 3 },
};
#define NT (sizeof tds / sizeof tds[0])

/* Reason with XML, YAML and TAP specials, UTF-8 (é, →), a control and invalid UTF-8. */
#define NASTY "TP-EP-06 step 3: proxy <prio> 0x30 < min 0x40 & \"q\" 'a' # no \\ x: y \xc3\xa9\xe2\x86\x92 \x01\xff -> FAIL"
#define NASTY_CLEAN "TP-EP-06 step 3: proxy <prio> 0x30 < min 0x40 & \"q\" 'a' # no \\ x: y \xc3\xa9\xe2\x86\x92 ?? -> FAIL"

static void make_results(ek_td_result r[NT])
{
    memset(r, 0, NT * sizeof *r);
    for (size_t i = 0; i < NT; i++) {
        r[i].td = &tds[i];
        r[i].applicable = true;
        r[i].n_steps = 3;
        r[i].t_start_ns = 1000000000ull * i;
        r[i].t_end_ns = r[i].t_start_ns + 250000000ull;
        r[i].injected = 2;
        r[i].observed = 5;
        for (unsigned s = 0; s < 3; s++) {
            r[i].steps[s].ran = true;
            r[i].steps[s].verdict = EK_V_PASS;
            r[i].steps[s].t_ns = 10000000ull * (s + 1);
        }
    }
    r[0].verdict = EK_V_PASS;
    snprintf(r[0].steps[2].msg, EK_MSG_MAX, "EB proxy priority 0x35 >= 0x30 (frame 4)");
    r[0].steps[2].frame_no = 4;

    r[1].verdict = EK_V_FAIL;
    snprintf(r[1].reason, EK_MSG_MAX, "%s", NASTY);
    r[1].deciding_frame = 41;
    r[1].deciding_step = 3;
    r[1].steps[2].verdict = EK_V_FAIL;
    r[1].steps[2].frame_no = 41;
    snprintf(r[1].steps[2].msg, EK_MSG_MAX, "%s", NASTY);

    r[2].verdict = EK_V_INCONC;
    snprintf(r[2].reason, EK_MSG_MAX, "TP-EB-02 step 2: no EB seen in 500 ms: cannot observe");
    r[2].deciding_step = 2;
    r[2].steps[1].verdict = EK_V_INCONC;
    r[2].steps[2].ran = false;

    r[3].verdict = EK_V_ERROR;
    snprintf(r[3].reason, EK_MSG_MAX, "DUT process exited (status 139) during TP-EP-06");
    r[3].steps[0].verdict = EK_V_ERROR;
    r[3].steps[1].ran = r[3].steps[2].ran = false;

    r[4].applicable = false;
    snprintf(r[4].na_reason, EK_MSG_MAX, "profile draft-03 & <not> \"16\"");
    r[4].n_steps = 0;

    r[5].verdict = EK_V_NONE; /* the run stopped before it */
    r[5].n_steps = 0;
    r[5].t_end_ns = r[5].t_start_ns;
}

static ek_dut test_dut(void)
{
    ek_dut d;
    memset(&d, 0, sizeof d);
    snprintf(d.name, sizeof d.name, "refdut <&>");
    return d;
}

static void tmpname(char *buf, size_t n, const char *suffix)
{
    snprintf(buf, n, "/tmp/ek-runreport-%ld-%s", (long)getpid(), suffix);
}

/* Drives an observer through a run: every TD ends (up to `upto`), then run_end. */
static void drive(const ek_run_observer *o, ek_td_result *r, size_t upto, bool end)
{
    ek_dut d = test_dut();
    if (o->run_begin) o->run_begin(o->ctx, &d, "zep://127.0.0.1:17754 (ch 26)", NT);
    for (size_t i = 0; i < upto; i++) {
        if (o->td_begin) o->td_begin(o->ctx, r[i].td, i, NT);
        for (unsigned s = 1; s <= r[i].n_steps; s++)
            if (o->step_begin) o->step_begin(o->ctx, r[i].td, s, tds[i].steps[s - 1].what, 1000000ull * s);
        if (o->td_end) o->td_end(o->ctx, &r[i], NULL, 0);
    }
    if (end && o->run_end) o->run_end(o->ctx, r, NT);
}

/* ---- XML helpers ---- */

static char *xpath_str(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr c = xmlXPathNewContext(doc);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, c);
    cr_assert_not_null(o, "%s", expr);
    xmlChar *s = xmlXPathCastToString(o);
    char *r = strdup((const char *)s);
    xmlFree(s);
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(c);
    return r;
}

static void assert_xpath(xmlDocPtr doc, const char *expr, const char *want)
{
    char *got = xpath_str(doc, expr);
    cr_assert_str_eq(got, want, "%s", expr);
    free(got);
}

static bool have(const char *cmd)
{
    char buf[256];
    snprintf(buf, sizeof buf, "command -v %s >/dev/null 2>&1", cmd);
    return system(buf) == 0;
}

/* tshark 4.0 prints a string field in "-T fields" output as it is; newer releases escape
 * backslash, tab, CR and LF as \\, \t, \r, \n.  Undoing exactly those escapes gives the
 * stored text on every version (a lone backslash before any other character, as 4.0
 * prints one, stays). */
static void unescape_tshark_fields(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++) {
        if (r[0] == '\\' && r[1]) {
            const char *from = "\\trn", *to = "\\\t\r\n";
            const char *hit = strchr(from, r[1]);
            if (hit) {
                *w++ = to[hit - from];
                r++;
                continue;
            }
        }
        *w++ = *r;
    }
    *w = 0;
}

Test(report, junit_maps_every_verdict_and_keeps_special_characters)
{
    char path[128], err[512];
    tmpname(path, sizeof path, "all.xml");
    ek_rr_junit *j;
    ek_rr_junit_opts o = { .attachment = "out/run.pcapng", .dut_config = "[dut]\nname = x & y\n",
                           .command = "enroll-harness --dut a.ini" };
    cr_assert_eq(ek_rr_junit_open(path, &o, &j, err, sizeof err), 0, "%s", err);
    ek_td_result r[NT];
    make_results(r);
    ek_run_observer ob = ek_rr_junit_observer(j);
    drive(&ob, r, NT - 1, true);
    cr_assert_str_eq(ek_rr_junit_errmsg(j), "");
    cr_assert_eq(ek_rr_junit_close(j), 0);

    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    cr_assert_not_null(doc);
    assert_xpath(doc, "string(/testsuites/@tests)", "6");
    assert_xpath(doc, "string(/testsuites/@failures)", "1");
    assert_xpath(doc, "string(/testsuites/@errors)", "3"); /* inconc, error, none */
    assert_xpath(doc, "string(/testsuites/@skipped)", "1");
    assert_xpath(doc, "count(/testsuites/testsuite)", "3");
    assert_xpath(doc, "string(/testsuites/testsuite[1]/@name)", "ep");
    assert_xpath(doc, "string(/testsuites/testsuite[1]/@tests)", "4");
    assert_xpath(doc, "count(//testcase)", "6");
    assert_xpath(doc, "string((//testcase)[1]/@classname)", "ep");
    assert_xpath(doc, "string((//testcase)[1]/@name)", "TP-EP-01 Unknown option tolerated");
    assert_xpath(doc, "string((//testcase)[1]/@time)", "0.250");
    assert_xpath(doc, "count((//testcase)[1]/*[self::failure or self::error or self::skipped])", "0");
    assert_xpath(doc, "string(//testcase[2]/@name)", "TP-EP-06 Proxy priority <never> below \"min\" & co #1");
    assert_xpath(doc, "string(//testcase[2]/failure/@message)", NASTY_CLEAN);
    assert_xpath(doc, "string(//testcase[2]/failure/@type)", "fail");
    assert_xpath(doc, "string(//testcase[@name='TP-EB-02 EB framing']/error/@type)", "inconclusive");
    assert_xpath(doc, "string(//testcase[starts-with(@name,'TP-EP-12')]/error/@type)", "error");
    assert_xpath(doc, "string(//testcase[starts-with(@name,'TP-EP-12')]/error/@message)",
                 "DUT process exited (status 139) during TP-EP-06");
    assert_xpath(doc, "string(//testcase[starts-with(@name,'TP-EP-13')]/skipped/@message)",
                 "not applicable: profile draft-03 & <not> \"16\"");
    assert_xpath(doc, "string(//testcase[starts-with(@name,'TP-S2-01')]/error/@type)", "none");
    assert_xpath(doc, "string(//testsuite[1]/properties/property[@name='dut.name']/@value)", "refdut <&>");
    assert_xpath(doc, "string(//testsuite[1]/properties/property[@name='dut.config']/@value)",
                 "[dut]\nname = x & y\n");
    char *out = xpath_str(doc, "string(//testcase[2]/system-out)");
    cr_assert(strstr(out, "[[ATTACHMENT|out/run.pcapng]]") != NULL, "%s", out);
    cr_assert(strstr(out, "step 3 fail: EB proxy priority >= 0x30 & < 0x7f -- " NASTY_CLEAN " [frame 41]") != NULL,
              "%s", out);
    cr_assert(strstr(out, "step 1 pass: A sends a DIO with min 0x30") != NULL, "%s", out);
    free(out);
    out = xpath_str(doc, "string(//testcase[@name='TP-EB-02 EB framing']/system-out)");
    cr_assert(strstr(out, "step 3 not run: ") != NULL, "%s", out);
    free(out);
    xmlFreeDoc(doc);

    if (have("xmllint")) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "xmllint --noout %s", path);
        cr_assert_eq(system(cmd), 0);
    }
    unlink(path);
}

Test(report, junit_is_complete_after_every_td_and_leaves_no_tmp)
{
    char path[128], tmp[160], err[512];
    tmpname(path, sizeof path, "inc.xml");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    ek_rr_junit *j;
    cr_assert_eq(ek_rr_junit_open(path, NULL, &j, err, sizeof err), 0, "%s", err);
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET); /* valid before the run */
    cr_assert_not_null(doc);
    assert_xpath(doc, "string(/testsuites/@tests)", "0");
    xmlFreeDoc(doc);

    ek_td_result r[NT];
    make_results(r);
    ek_run_observer ob = ek_rr_junit_observer(j);
    ek_dut d = test_dut();
    ob.run_begin(ob.ctx, &d, "loop:", NT);
    for (size_t i = 0; i < NT; i++) {
        ob.td_end(ob.ctx, &r[i], NULL, 0);
        /* A run killed right now still leaves a complete, parseable report. */
        doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
        cr_assert_not_null(doc, "after TD %zu", i);
        char want[16];
        snprintf(want, sizeof want, "%zu", i + 1);
        assert_xpath(doc, "count(//testcase)", want);
        xmlFreeDoc(doc);
        cr_assert_neq(access(tmp, F_OK), 0, "tmp file left behind");
    }
    cr_assert_eq(ek_rr_junit_close(j), 0);
    unlink(path);
}

Test(report, junit_open_error_names_the_path)
{
    char err[512];
    ek_rr_junit *j = (ek_rr_junit *)1;
    cr_assert_eq(ek_rr_junit_open("/nonexistent-dir/r.xml", NULL, &j, err, sizeof err), -1);
    cr_assert_null(j);
    cr_assert(strstr(err, "/nonexistent-dir/r.xml") != NULL, "%s", err);
}

/* ---- TAP ---- */

/* Inverse of the writer's YAML double-quoted scalar (\" \\ \n \t). */
static void yaml_unquote(const char *s, char *out, size_t len)
{
    size_t o = 0;
    cr_assert_eq(*s, '"', "%s", s);
    for (s++; *s && *s != '"' && o + 1 < len; s++) {
        if (*s == '\\') {
            s++;
            out[o++] = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s;
        } else out[o++] = *s;
    }
    cr_assert_eq(*s, '"');
    out[o] = 0;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}

Test(report, tap_stream_parses_back)
{
    char path[128], err[512];
    tmpname(path, sizeof path, "r.tap");
    ek_rr_tap *t;
    cr_assert_eq(ek_rr_tap_open(path, &t, err, sizeof err), 0, "%s", err);
    ek_td_result r[NT];
    make_results(r);
    ek_run_observer ob = ek_rr_tap_observer(t);
    drive(&ob, r, NT - 1, true); /* the last TD never ended: run_end closes the plan */
    cr_assert_eq(ek_rr_tap_close(t), 0);

    char *all = slurp(path);
    char *save = NULL;
    int lineno = 0, points = 0;
    bool in_yaml = false, saw_reason = false;
    const char *want_points[] = {
        "ok 1 - TP-EP-01 Unknown option tolerated",
        "not ok 2 - TP-EP-06 Proxy priority <never> below \"min\" & co \\#1",
        "not ok 3 - TP-EB-02 EB framing",
        "not ok 4 - TP-EP-12 Version ordering",
        "ok 5 - TP-EP-13 Draft-16 only # SKIP not applicable: profile draft-03 & <not> \"16\"",
        "not ok 6 - TP-S2-01 # did not run",
    };
    for (char *l = strtok_r(all, "\n", &save); l; l = strtok_r(NULL, "\n", &save), lineno++) {
        if (lineno == 0) cr_assert_str_eq(l, "TAP version 13");
        if (lineno == 1) cr_assert_str_eq(l, "1..6");
        if (strcmp(l, "  ---") == 0) {
            cr_assert(!in_yaml);
            in_yaml = true;
            continue;
        }
        if (strcmp(l, "  ...") == 0) {
            cr_assert(in_yaml);
            in_yaml = false;
            continue;
        }
        if (in_yaml) {
            cr_assert(strncmp(l, "  ", 2) == 0, "YAML not indented: %s", l);
            if (points == 2 && strncmp(l, "  reason: ", 10) == 0) {
                char got[512];
                yaml_unquote(l + 10, got, sizeof got);
                cr_assert_str_eq(got, NASTY_CLEAN);
                saw_reason = true;
            }
            if (points == 2 && strncmp(l, "  deciding_frame: ", 18) == 0) cr_assert_str_eq(l + 18, "41");
            if (points == 3) cr_assert(strncmp(l, "  verdict: ", 11) != 0 || strcmp(l + 11, "inconclusive") == 0);
            continue;
        }
        if (strncmp(l, "ok ", 3) == 0 || strncmp(l, "not ok ", 7) == 0) {
            cr_assert_lt(points, 6);
            if (points == 1) {
                /* '#' in the title would start a directive: the writer escapes it. */
                cr_assert_str_eq(l, want_points[1]);
            } else cr_assert_str_eq(l, want_points[points], "point %d", points + 1);
            points++;
        }
    }
    cr_assert_eq(points, 6);
    cr_assert(saw_reason);
    cr_assert(!in_yaml);
    cr_assert(strstr(slurp(path), "# 6 TDs: 1 pass, 1 fail, 1 inconclusive, 1 error, 1 not applicable, 1 without verdict") !=
              NULL);

    /* An independent YAML parser agrees, when python3-yaml is installed. */
    if (system("python3 -c 'import yaml' >/dev/null 2>&1") == 0) {
        char cmd[1024];
        snprintf(cmd, sizeof cmd,
                 "python3 -c 'import sys,yaml\n"
                 "t=open(sys.argv[1],encoding=\"utf-8\").read().split(\"\\n\")\n"
                 "blocks=[];cur=None\n"
                 "for l in t:\n"
                 "  if l==\"  ---\": cur=[]\n"
                 "  elif l==\"  ...\": blocks.append(yaml.safe_load(\"\\n\".join(x[2:] for x in cur))); cur=None\n"
                 "  elif cur is not None: cur.append(l)\n"
                 "b=blocks[1]\n"
                 "assert b[\"verdict\"]==\"fail\", b\n"
                 "assert b[\"deciding_frame\"]==41\n"
                 "assert b[\"steps\"][2][\"frame\"]==41\n"
                 "assert b[\"reason\"].startswith(\"TP-EP-06 step 3: proxy <prio> 0x30 < min 0x40 & \\\"q\\\" \")\n"
                 "assert \"\\u00e9\\u2192 ?? -> FAIL\" in b[\"reason\"], b[\"reason\"]\n"
                 "assert blocks[4][\"verdict\"]==\"not applicable\"\n"
                 "assert blocks[2][\"steps\"][2][\"verdict\"]==\"not run\"\n"
                 "' %s",
                 path);
        cr_assert_eq(system(cmd), 0, "python yaml check failed");
    }
    unlink(path);
}

/* ---- summary ---- */

Test(report, summary_table_rows_cut_reasons_and_totals)
{
    ek_td_result r[NT];
    make_results(r);
    char *buf = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&buf, &len);
    ek_rr_summary_write(o, r, NT);
    fclose(o);
    cr_assert(strstr(buf, "TD        verdict      time  reason\n") == buf, "%s", buf);
    cr_assert(strstr(buf, "TP-EP-01  pass       0.25 s  \n") != NULL, "%s", buf);
    cr_assert(strstr(buf, "TP-EB-02  INCONC     0.25 s  TP-EB-02 step 2: no EB seen in 500 ms: cannot observe\n") != NULL,
              "%s", buf);
    cr_assert(strstr(buf, "TP-EP-13  n/a        0.25 s  profile draft-03 & <not> \"16\"\n") != NULL, "%s", buf);
    cr_assert(strstr(buf, "TP-S2-01  NONE       0.00 s  \n") != NULL, "%s", buf);
    /* The FAIL reason is longer than the column: cut to 64 characters ending in "...". */
    const char *row = strstr(buf, "TP-EP-06  FAIL       0.25 s  ");
    cr_assert_not_null(row, "%s", buf);
    const char *reason = row + strlen("TP-EP-06  FAIL       0.25 s  ");
    char line[512];
    sscanf(reason, "%511[^\n]", line);
    cr_assert_eq(strlen("TP-EP-06 step 3: proxy <prio> 0x30 < min 0x40 & \"q\" 'a' # no ..."), 64);
    cr_assert_str_eq(line, "TP-EP-06 step 3: proxy <prio> 0x30 < min 0x40 & \"q\" 'a' # no ...");
    cr_assert(strstr(buf, "6 TDs: 1 pass, 1 fail, 1 inconclusive, 1 error, 1 not applicable, 1 without verdict (1.25 s)\n") !=
              NULL, "%s", buf);
    /* what applied, what did not and why, before the totals */
    cr_assert(strstr(buf, "applicable: 5 of 6 TDs\n"
                          "n/a: profile draft-03 & <not> \"16\": TP-EP-13\n"
                          "no check ran: TP-S2-01\n"
                          "6 TDs: ") != NULL, "%s", buf);
    free(buf);
}

Test(report, applicability_groups_reasons_and_names_the_dut)
{
    ek_td_result r[NT];
    make_results(r);
    for (size_t i = 0; i < NT; i++) {
        r[i].applicable = i == 0;
        snprintf(r[i].na_reason, EK_MSG_MAX, "%s", i % 2 ? "needs eb, mep" : "not for profile draft-03");
    }
    ek_dut d;
    ek_dut_default(&d);
    d.caps = EK_CAP_SENDS_DIO;
    char desc[160];
    ek_rr_dut_desc(&d, desc, sizeof desc);
    cr_assert_str_eq(desc, "capabilities dio; wire profile draft-16");
    char *buf = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&buf, &len);
    ek_rr_applicability_write(o, r, NT, desc);
    fclose(o);
    cr_assert_str_eq(buf, "applicable: 1 of 6 TDs (capabilities dio; wire profile draft-16)\n"
                          "n/a: needs eb, mep: TP-EP-06, TP-EP-12, TP-S2-01\n"
                          "n/a: not for profile draft-03: TP-EB-02, TP-EP-13\n");
    free(buf);
}

Test(report, nothing_tested_catches_empty_and_silent_runs)
{
    ek_td_result r[NT];
    char why[256];
    ek_dut d;
    ek_dut_default(&d);
    d.caps = EK_CAP_SENDS_DIO;
    make_results(r);
    r[0].dut_dios = 3;
    cr_assert_not(ek_rr_nothing_tested(r, NT, &d, why, sizeof why), "%s", why);
    cr_assert(ek_rr_nothing_tested(r, 0, &d, why, sizeof why));
    cr_assert_str_eq(why, "no TD was selected");
    /* heard nothing at all: passing TDs tested nothing */
    r[0].dut_dios = 0;
    cr_assert(ek_rr_nothing_tested(r, NT, &d, why, sizeof why));
    cr_assert_str_eq(why, "the DUT was never heard: no DIO, EB or CoAP frame from it during the 5 applicable TDs");
    r[2].dut_ebs = 1;
    cr_assert_not(ek_rr_nothing_tested(r, NT, &d, why, sizeof why), "%s", why);
    /* every applicable TD without verdict */
    for (size_t i = 0; i < NT; i++)
        r[i].verdict = EK_V_NONE;
    cr_assert(ek_rr_nothing_tested(r, NT, &d, why, sizeof why));
    cr_assert_str_eq(why, "none of the 5 applicable TDs ran a check (every step was skipped)");
    /* none applicable */
    for (size_t i = 0; i < NT; i++)
        r[i].applicable = false;
    cr_assert(ek_rr_nothing_tested(r, NT, &d, why, sizeof why));
    cr_assert_str_eq(why, "none of the 6 selected TDs applies to this DUT (capabilities dio; wire profile draft-16)");
    cr_assert(ek_rr_nothing_tested(r, NT, NULL, why, sizeof why));
    cr_assert_str_eq(why, "none of the 6 selected TDs applies to this DUT");
}

Test(report, summary_observer_writes_file_and_terminal)
{
    char path[128];
    tmpname(path, sizeof path, "summary.txt");
    ek_td_result r[NT];
    make_results(r);
    char *buf = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&buf, &len);
    ek_rr_summary s;
    ek_rr_summary_init(&s, o, path);
    ek_run_observer ob = ek_rr_summary_observer(&s);
    drive(&ob, r, NT, true);
    fclose(o);
    cr_assert(!s.failed, "%s", s.err);
    cr_assert_str_eq(slurp(path), buf);
    free(buf);
    unlink(path);

    ek_rr_summary_init(&s, NULL, "/nonexistent-dir/summary.txt");
    ob = ek_rr_summary_observer(&s);
    drive(&ob, r, NT, true);
    cr_assert(s.failed);
    cr_assert(strstr(s.err, "/nonexistent-dir/summary.txt") != NULL, "%s", s.err);
}

Test(report, utf8_cut_never_splits_a_character)
{
    ek_td_result r[1];
    memset(r, 0, sizeof r);
    r[0].td = &tds[0];
    r[0].applicable = true;
    r[0].verdict = EK_V_FAIL;
    for (int i = 0; i < 100; i++) memcpy(r[0].reason + 2 * i, "\xc3\xa9", 2); /* 100 x é */
    char *buf = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&buf, &len);
    ek_rr_summary_write(o, r, 1);
    fclose(o);
    char want[256] = { 0 };
    for (int i = 0; i < 61; i++) memcpy(want + 2 * i, "\xc3\xa9", 2);
    strcat(want, "...\n");
    cr_assert(strstr(buf, want) != NULL, "%s", buf);
    free(buf);
}

/* ---- progress ---- */

Test(report, progress_plain_lines_when_not_a_tty)
{
    ek_td_result r[NT];
    make_results(r);
    char *buf = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&buf, &len);
    ek_rr_progress p;
    ek_rr_progress_init(&p, o, false);
    ek_run_observer ob = ek_rr_progress_observer(&p);
    drive(&ob, r, 2, true);
    fclose(o);
    cr_assert_null(strchr(buf, '\r'));
    cr_assert_null(strchr(buf, '\033'));
    cr_assert_str_eq(buf, "enroll-harness: 6 TDs against refdut <&> via zep://127.0.0.1:17754 (ch 26)\n"
                          "[1/6] TP-EP-01 pass 0.25 s\n"
                          "[2/6] TP-EP-06 fail 0.25 s: " NASTY_CLEAN "\n");
    free(buf);
}

Test(report, progress_rewrites_one_line_on_a_tty)
{
    ek_td_result r[NT];
    make_results(r);
    char *buf = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&buf, &len);
    ek_rr_progress p;
    ek_rr_progress_init(&p, o, true); /* not a real tty: width stays 80 */
    cr_assert_eq(p.width, 80);
    ek_run_observer ob = ek_rr_progress_observer(&p);
    drive(&ob, r, 1, true);
    fclose(o);
    cr_assert(strstr(buf, "\r\033[K[1/6] TP-EP-01 step 2/3 0.0 s: DUT sends an EB") != NULL, "%s", buf);
    cr_assert(strstr(buf, "\r\033[K[1/6] TP-EP-01 pass 0.25 s\n") != NULL, "%s", buf);
    /* Nothing but the finished-TD line ends with a newline. */
    size_t nl = 0;
    for (char *q = buf; *q; q++) nl += *q == '\n';
    cr_assert_eq(nl, 2);
    free(buf);
}

/* ---- fan-out ---- */

static int calls[5];
static void c_rb(void *c, const ek_dut *d, const char *x, size_t n) { (void)d; (void)x; (void)n; calls[0] += *(int *)c; }
static void c_tb(void *c, const ek_td *t, size_t i, size_t n) { (void)t; (void)i; (void)n; calls[1] += *(int *)c; }
static void c_sb(void *c, const ek_td *t, unsigned s, const char *w, uint64_t e) { (void)t; (void)s; (void)w; (void)e; calls[2] += *(int *)c; }
static void c_te(void *c, const ek_td_result *r, const ek_run_frame *f, size_t n) { (void)r; (void)f; (void)n; calls[3] += *(int *)c; }
static void c_re(void *c, const ek_td_result *r, size_t n) { (void)r; (void)n; calls[4] += *(int *)c; }

Test(report, fanout_calls_every_observer_and_skips_null_callbacks)
{
    static int one = 1, ten = 10;
    ek_rr_fanout f;
    ek_rr_fanout_init(&f);
    ek_run_observer a = { .ctx = &one, .run_begin = c_rb, .td_begin = c_tb, .step_begin = c_sb, .td_end = c_te, .run_end = c_re };
    ek_run_observer b = { .ctx = &ten, .td_end = c_te };
    cr_assert_eq(ek_rr_fanout_add(&f, &a), 0);
    cr_assert_eq(ek_rr_fanout_add(&f, &b), 0);
    for (int i = 2; i < EK_RR_FANOUT_MAX; i++) cr_assert_eq(ek_rr_fanout_add(&f, &(ek_run_observer){ 0 }), 0);
    cr_assert_eq(ek_rr_fanout_add(&f, &a), -1);
    ek_td_result r[NT];
    make_results(r);
    ek_run_observer ob = ek_rr_fanout_observer(&f);
    drive(&ob, r, NT, true);
    cr_assert_eq(calls[0], 1);
    cr_assert_eq(calls[1], (int)NT);
    cr_assert_eq(calls[2], 4 * 3); /* n_steps 3,3,3,3,0,0 */
    cr_assert_eq(calls[3], (int)NT * 11);
    cr_assert_eq(calls[4], 1);
}

/* ---- capture observer ---- */

Test(report, capture_observer_writes_frames_with_comments)
{
    char path[128], err[512];
    tmpname(path, sizeof path, "run.pcapng");
    ek_rr_capture *c;
    cr_assert_eq(ek_rr_capture_open(path, "enroll-harness test run", "loop:", &c, err, sizeof err), 0, "%s", err);
    static ek_run_frame fr[4];
    memset(fr, 0, sizeof fr);
    /* Data frame 2015, PAN 0xabcd -> broadcast, ext src, last 2 octets a dummy FCS
     * (tshark shows "FCS: ... (Incorrect)"; only comments and flags are checked). */
    static const uint8_t m[] = { 0x41, 0xd8, 0x07, 0xcd, 0xab, 0xff, 0xff, 0xc7, 0xd9, 0xb5, 0x14, 0x00, 0x4b, 0x12, 0x00, 0x00, 0x00, 0x00 };
    for (int i = 0; i < 4; i++) {
        fr[i].no = (uint64_t)i + 1;
        /* Radio clock 5 s + i us; wall clock drifting by 7 ns per frame: the capture
         * follows the radio clock, anchored at the first frame's wall time. */
        fr[i].t_ns = 5000000000ull + (uint64_t)i * 1000;
        fr[i].t_wall_ns = 1700000000000000000ull + (uint64_t)i * 1007;
        fr[i].outbound = i % 2 == 0;
        fr[i].len = sizeof m;
        memcpy(fr[i].psdu, m, sizeof m);
    }
    snprintf(fr[0].comment, EK_MSG_MAX, "TP-EP-06 start");
    snprintf(fr[3].comment, EK_MSG_MAX, "%s", NASTY);
    ek_td_result r[NT];
    make_results(r);
    ek_run_observer ob = ek_rr_capture_observer(c);
    ob.td_end(ob.ctx, &r[0], fr, 3);
    ob.td_end(ob.ctx, &r[1], fr + 2, 2); /* frame 3 repeated: written once */
    cr_assert_eq(ek_rr_capture_count(c), 4);
    cr_assert_eq(ek_rr_capture_close(c), 0);

    ek_cap_reader *rd;
    ek_cap_record rec;
    cr_assert_eq(ek_cap_open(path, &rd, err, sizeof err), EK_CAP_IO_OK, "%s", err);
    cr_assert_eq(ek_cap_linktype(rd), 195);
    int n = 0;
    while (ek_cap_next(rd, &rec) == EK_CAP_IO_OK) {
        cr_assert_eq(rec.ts_nsec, (uint32_t)n * 1000);
        cr_assert_eq(rec.data.len, sizeof m);
        n++;
    }
    ek_cap_close(rd);
    cr_assert_eq(n, 4);

    if (have("tshark")) {
        char cmd[512];
        snprintf(cmd, sizeof cmd,
                 "tshark -r %s -T fields -e frame.number -e frame.packet_flags_direction -e frame.comment 2>/dev/null", path);
        FILE *p = popen(cmd, "r");
        char all[2048] = { 0 };
        size_t got = fread(all, 1, sizeof all - 1, p);
        pclose(p);
        all[got] = 0;
        unescape_tshark_fields(all);
        cr_assert(strstr(all, "1\t0x00000002\tTP-EP-06 start\n") != NULL, "%s", all);
        cr_assert(strstr(all, "2\t0x00000001\t\n") != NULL, "%s", all);
        cr_assert(strstr(all, "4\t0x00000001\t" NASTY_CLEAN "\n") != NULL, "%s", all);
    }
    unlink(path);
}
