/* SPDX-License-Identifier: BSD-3-Clause */
/* enroll-harness: the conformance harness front end.  Loads a DUT profile,
 * opens its radio, runs the selected TDs through the engine and writes the reports:
 * progress on stderr, a summary table on stdout, JUnit XML, TAP 13 and one annotated
 * pcapng per run; a spawned DUT's own output goes to dut.log.  Exit status: 0 all pass,
 * 1 any fail, 2 error/inconclusive, 3 nothing tested (no silent green), 64 usage.
 * docs/enroll-harness.md is the manual. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ek/engine.h"
#include "ek/radio.h"
#include "ek/refnode.h"
#include "ek/runreport.h"
#include "htmlrun.h"
#include "ek/suites.h"
#include "plugfest.h"

#ifndef EK_VERSION
#define EK_VERSION "unknown"
#endif

#define EX_USAGE_CODE 64
#define EX_HARNESS 2
#define EX_NOTHING_TESTED 3
#define MAX_SETS 64
#define MAX_TDS 256

static const char usage_text[] =
    "Usage: enroll-harness --dut PROFILE.ini|URI [OPTIONS]\n"
    "       enroll-harness --list [--format text|markdown]\n"
    "\n"
    "Runs enrollkit's conformance test descriptions (TDs) against a device under test\n"
    "(DUT): the harness plays the DODAG root, parents and rogue neighbours over a radio,\n"
    "injects crafted DIOs, watches the DIOs and Enhanced Beacons the DUT sends and gives\n"
    "each TD a verdict (pass, fail, inconclusive, error, or not applicable) with its\n"
    "evidence: the deciding frames carry packet comments in the run's pcapng.\n"
    "\n"
    "DUT:\n"
    "  --dut PROFILE.ini|URI  DUT profile (INI, docs/harness.md; examples/dut/) or a radio\n"
    "                         URI with default settings: zep://HOST:PORT[?local=HOST:PORT],\n"
    "                         zep-dispatch://HOST:PORT, pcap:IFACE[?dlt=N], file:CAPTURE\n"
    "                         (offline re-evaluation), loop:[refnode][?fault=NAME]\n"
    "                         (in-process reference node on a virtual clock)\n"
    "  --set SECTION.KEY=VALUE  override one profile key (repeatable), e.g.\n"
    "                         --set wire.ep_profile=draft-09 --set timing.slack_ms=100\n"
    "  --dut-log FILE         where a spawned DUT's stdout and stderr go (default with\n"
    "                         --out: DIR/dut.log; otherwise discarded, with a note)\n"
    "\n"
    "Selection (default: the \"default\" suite, every TD):\n"
    "  --suite NAME           run one suite (--list shows them: default, ep, eb, attack,\n"
    "                         legacy, security)\n"
    "  --td ID                run this TD (repeatable, or comma-separated: TP-EP-13,TP-EP-06)\n"
    "  --runs N               run the selection N times, stopping at the first run that is\n"
    "                         not all-pass; reports hold the last run (default 1)\n"
    "  --allow-empty          exit 0 even when nothing was tested (no TD applies, or the\n"
    "                         DUT was never heard); default: exit 3\n"
    "  --list                 print the TD registry and exit\n"
    "  --format text|markdown format of --list (markdown = docs/test-descriptions.md)\n"
    "\n"
    "Reports:\n"
    "  --out DIR              write report.xml (JUnit), report.html, report.tap, run.pcapng,\n"
    "                         summary.txt, dut.ini (effective profile) and dut.log (the\n"
    "                         spawned DUT's output) into DIR (created if needed)\n"
    "  --junit FILE           JUnit XML, rewritten completely after every TD\n"
    "  --tap [FILE]           TAP 13 with YAML diagnostics to FILE, or to stdout (the summary\n"
    "                         table then goes to stderr)\n"
    "  --pcap FILE            pcapng of every injected (outbound) and observed (inbound) frame,\n"
    "                         deciding frames commented; link type 195\n"
    "  --quiet                no progress and no table; only the totals line\n"
    "  --help, --version\n"
    "\n"
    "Explicit --junit/--tap/--pcap/--dut-log paths win over the --out defaults.  Progress\n"
    "(TD i/N, step, elapsed) goes to stderr; the summary table, then what applied to the\n"
    "DUT (\"applicable: N of M TDs\", the others grouped by reason), to stdout; the DUT's\n"
    "own output never goes to either.  SIGINT/SIGTERM stop the\n"
    "run at once: the running TD and the remaining ones are error (\"interrupted\") and\n"
    "every report is still complete; a second signal kills at once.\n"
    "\n"
    "Exit status:\n"
    "  0   every applicable TD passed (not applicable TDs are ignored)\n"
    "  1   at least one TD failed: the DUT misbehaved\n"
    "  2   no failure, but an error or inconclusive verdict (the harness or test bed broke,\n"
    "      or could not observe), or the radio / a report file could not be opened\n"
    "  3   nothing was tested: no selected TD applies to the DUT, no applicable TD ran a\n"
    "      check, or the DUT was never heard (no DIO or EB); --allow-empty makes it 0\n"
    "  64  usage error (bad option, unknown suite or TD, unreadable profile)\n"
    "\n"
    "Examples:\n"
    "  enroll-harness --dut examples/dut/refdut-zep.ini --out /tmp/ekrun\n"
    "  enroll-harness --dut my-6lr.ini --suite ep --junit report.xml --pcap run.pcapng\n"
    "  enroll-harness --dut loop:refnode?fault=lower-priority --td TP-EP-06 --tap\n"
    "  enroll-harness --dut file:/tmp/ekrun/run.pcapng --set wire.ep_profile=draft-16\n"
    "\n"
    "See docs/enroll-harness.md (this manual), docs/harness.md (profile keys, TD model)\n"
    "and docs/radios.md (radio URIs).\n";

/* Printed after usage_text (one string may not exceed 4095 characters, C11 §5.2.4.1). */
static const char plugfest_usage_text[] =
    "\n"
    "Plugfest: a whole network on an in-process ZEP hub (docs/plugfest.md):\n"
    "  enroll-harness --plugfest SETUP.ini [--out DIR] [--duration-scale X] [--seed N] [--quiet]\n"
    "                         start every node of SETUP.ini, play the root through its\n"
    "                         scenario, judge every node live with the network checker\n"
    "                         (enroll-harness --plugfest --help lists the options)\n";

static volatile int g_interrupted;

static void on_signal(int sig)
{
    (void)sig;
    g_interrupted = 1;
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("enroll-harness: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'enroll-harness --help' for more information.\n", stderr);
    return EX_USAGE_CODE;
}

/* ---- in-process reference node behind the loop radio (loop:refnode) ---- */

typedef struct loop_peer {
    ek_refnode *node;
} loop_peer;

static void lp_rx(void *ctx, const uint8_t *mpdu, size_t len, uint64_t now_ns)
{
    loop_peer *p = ctx;
    ek_refnode_rx(p->node, mpdu, len, now_ns);
}

static uint64_t lp_next(void *ctx)
{
    loop_peer *p = ctx;
    return ek_refnode_next_event(p->node);
}

static void lp_run(void *ctx, uint64_t now_ns, ek_radio *loop)
{
    loop_peer *p = ctx;
    uint8_t buf[EK_RADIO_PSDU_MAX];
    size_t n;
    while ((n = ek_refnode_poll(p->node, now_ns, buf, sizeof buf)) > 0) ek_radio_loop_emit(loop, buf, n);
}

static void lp_reset(void *ctx, uint64_t now_ns)
{
    loop_peer *p = ctx;
    ek_refnode_reset(p->node, now_ns);
}

/* A root DUT's control commands, as enroll-refdut --role root reads them on stdin. */
static int lp_cmd(void *ctx, const char *line, uint64_t now_ns)
{
    loop_peer *p = ctx;
    char msg[160];
    return ek_refnode_command(p->node, line, now_ns, msg, sizeof msg);
}

/* "loop:", "loop:refnode", "loop:refnode?fault=NAME" -> the reference node; 0 or -1. */
static int open_loop(const char *uri, const ek_dut *d, loop_peer *lp, ek_radio_loop_peer *peer, ek_radio **radio,
                     char *err, size_t errlen)
{
    const char *rest = uri + strlen("loop:");
    ek_refnode_cfg cfg;
    ek_refnode_cfg_default(&cfg);
    if (strncmp(rest, "refnode", 7) == 0) rest += 7;
    if (*rest == '?') {
        rest++;
        if (strncmp(rest, "fault=", 6) != 0) {
            snprintf(err, errlen, "%s: unknown parameter '%s' (only fault=NAME)", uri, rest);
            return -1;
        }
        cfg.fault = ek_refnode_fault_parse(rest + 6);
        if (cfg.fault == EK_FAULT_COUNT) {
            snprintf(err, errlen, "%s: unknown fault '%s' (enroll-refdut --list-faults)", uri, rest + 6);
            return -1;
        }
    } else if (*rest) {
        snprintf(err, errlen, "%s: expected loop:, loop:refnode or loop:refnode?fault=NAME", uri);
        return -1;
    }
    cfg.prof = d->prof;
    if (d->has_ext) memcpy(cfg.ext, d->ext, 8);
    cfg.pan_id = d->pan_id;
    cfg.dio_imin_ms = d->dio_imin_ms;
    cfg.dio_doublings = d->dio_doublings;
    cfg.dio_redundancy = d->dio_redundancy;
    cfg.eb_period_ms = d->eb_period_ms;
    /* link-layer security follows the DUT profile's [security] */
    cfg.secured = d->secured;
    cfg.k1 = d->k1;
    cfg.k2 = d->k2;
    cfg.eb_level = d->eb_level;
    cfg.dio_level = d->dio_level;
    cfg.asn_nonce = d->asn_nonce;
    /* a profile without "mep" describes a legacy 6LR: the node plays one, as
     * enroll-refdut --from-env does */
    cfg.legacy = !(d->caps & EK_CAP_MEP);
    /* role = root: the reference root, holding the profile's dodag_size routes (what
     * examples/dut/refdut-zep-root.ini installs with its init_commands) */
    cfg.root = d->role == EK_NODE_ROOT;
    cfg.root_routes = d->has_dodag_size ? d->dodag_size : 0;
    lp->node = ek_refnode_new(&cfg, err, errlen);
    if (!lp->node) return -1;
    *peer = (ek_radio_loop_peer){ .ctx = lp, .rx = lp_rx, .next_event = lp_next, .run = lp_run };
    *radio = ek_radio_loop_new(peer, 1000000000ull);
    if (!*radio) {
        snprintf(err, errlen, "%s: out of memory", uri);
        ek_refnode_free(lp->node);
        lp->node = NULL;
        return -1;
    }
    return 0;
}

/* ---- small helpers ---- */

static int mkdir_p(const char *dir, char *err, size_t errlen)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp) {
        snprintf(err, errlen, "%.900s...: path too long", dir);
        return -1;
    }
    for (char *p = tmp + 1;; p++) {
        if (*p == '/' || *p == 0) {
            char c = *p;
            *p = 0;
            if (mkdir(tmp, 0777) != 0 && errno != EEXIST) {
                snprintf(err, errlen, "%.900s: cannot create directory: %s", tmp, strerror(errno));
                return -1;
            }
            *p = c;
            if (!c) break;
        }
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%.900s: not a directory", dir);
        return -1;
    }
    return 0;
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* EK_BUILD_DIR = the meson build root when this binary runs from it (dut.h), so
 * profiles find build-tree tools such as enroll-refdut. */
static void export_build_dir(void)
{
#ifdef EK_BUILD_ROOT
    if (getenv("EK_BUILD_DIR")) return;
    char exe[PATH_MAX], root[PATH_MAX];
    if (!realpath("/proc/self/exe", exe) || !realpath(EK_BUILD_ROOT, root)) return;
    size_t n = strlen(root);
    if (strncmp(exe, root, n) == 0 && exe[n] == '/') setenv("EK_BUILD_DIR", root, 0);
#endif
}

static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

typedef struct cli {
    const char *dut;
    const char *sets[MAX_SETS];
    size_t n_sets;
    const char *suite;
    char *td_args[MAX_TDS];
    size_t n_td_args;
    const char *junit, *tap, *pcap, *out, *dut_log;
    bool tap_on, list, quiet, allow_empty;
    const char *format;
    unsigned long runs;
} cli;

enum {
    O_DUT = 256, O_SET, O_SUITE, O_TD, O_JUNIT, O_TAP, O_PCAP, O_OUT, O_LIST, O_FORMAT, O_RUNS, O_QUIET, O_HELP,
    O_VERSION, O_DUT_LOG, O_ALLOW_EMPTY
};

static int parse_args(int argc, char **argv, cli *c)
{
    static const struct option opts[] = {
        { "dut", required_argument, NULL, O_DUT },     { "set", required_argument, NULL, O_SET },
        { "suite", required_argument, NULL, O_SUITE }, { "td", required_argument, NULL, O_TD },
        { "junit", required_argument, NULL, O_JUNIT }, { "tap", optional_argument, NULL, O_TAP },
        { "pcap", required_argument, NULL, O_PCAP },   { "out", required_argument, NULL, O_OUT },
        { "list", no_argument, NULL, O_LIST },         { "format", required_argument, NULL, O_FORMAT },
        { "runs", required_argument, NULL, O_RUNS },   { "quiet", no_argument, NULL, O_QUIET },
        { "help", no_argument, NULL, O_HELP },         { "version", no_argument, NULL, O_VERSION },
        { "dut-log", required_argument, NULL, O_DUT_LOG }, { "allow-empty", no_argument, NULL, O_ALLOW_EMPTY },
        { NULL, 0, NULL, 0 }
    };
    memset(c, 0, sizeof *c);
    c->runs = 1;
    c->format = "text";
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":hq", opts, NULL)) != -1) {
        switch (ch) {
        case O_DUT: c->dut = optarg; break;
        case O_SET:
            if (c->n_sets >= MAX_SETS) return usage_error("too many --set (at most %s)", "64");
            c->sets[c->n_sets++] = optarg;
            break;
        case O_SUITE: c->suite = optarg; break;
        case O_TD: {
            char *save = NULL;
            for (char *t = strtok_r(optarg, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
                if (c->n_td_args >= MAX_TDS) return usage_error("too many --td (at most %s)", "256");
                c->td_args[c->n_td_args++] = t;
            }
            break;
        }
        case O_JUNIT: c->junit = optarg; break;
        case O_TAP:
            c->tap_on = true;
            c->tap = optarg;
            /* "--tap FILE": an optional argument may also be the next word. */
            if (!optarg && optind < argc && argv[optind][0] != '-') c->tap = argv[optind++];
            break;
        case O_PCAP: c->pcap = optarg; break;
        case O_OUT: c->out = optarg; break;
        case O_DUT_LOG: c->dut_log = optarg; break;
        case O_ALLOW_EMPTY: c->allow_empty = true; break;
        case O_LIST: c->list = true; break;
        case O_FORMAT:
            if (strcmp(optarg, "text") != 0 && strcmp(optarg, "markdown") != 0)
                return usage_error("--format: expected text or markdown, not '%s'", optarg);
            c->format = optarg;
            break;
        case O_RUNS: {
            char *end;
            errno = 0;
            unsigned long v = strtoul(optarg, &end, 10);
            if (errno || *end || v < 1 || v > 100000 || optarg[0] == '-')
                return usage_error("--runs: expected a count 1..100000, not '%s'", optarg);
            c->runs = v;
            break;
        }
        case 'q':
        case O_QUIET: c->quiet = true; break;
        case 'h':
        case O_HELP:
            fputs(usage_text, stdout);
            fputs(plugfest_usage_text, stdout);
            return -1;
        case O_VERSION: printf("enroll-harness (enrollkit) %s\n", EK_VERSION); return -1;
        case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
        default: return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) return usage_error("unexpected argument '%s'", argv[optind]);
    if (c->list) return 0;
    if (!c->dut) return usage_error("%s", "--dut PROFILE.ini|URI is required");
    if (c->suite && c->n_td_args) return usage_error("%s", "give --suite or --td, not both");
    return 0;
}

static int list_registry(const char *format)
{
    if (strcmp(format, "markdown") == 0) ek_suites_write_markdown(stdout);
    else {
        size_t n;
        const ek_suite_info *s = ek_suites_list(&n);
        ek_suites_write_list(stdout);
        printf("\nSuites:\n");
        for (size_t i = 0; i < n; i++) printf("  %-8s %s\n", s[i].name, s[i].summary ? s[i].summary : "");
    }
    return fflush(stdout) == 0 ? 0 : EX_HARNESS;
}

static int select_tds(const cli *c, const ek_td **tds, size_t *n)
{
    if (c->n_td_args) {
        *n = 0;
        for (size_t i = 0; i < c->n_td_args; i++) {
            const ek_td *td = ek_suites_find(c->td_args[i]);
            if (!td) return usage_error("unknown TD '%s' (enroll-harness --list shows them)", c->td_args[i]);
            tds[(*n)++] = td;
        }
        return 0;
    }
    const char *suite = c->suite ? c->suite : "default";
    int k = ek_suites_select(suite, tds, MAX_TDS);
    if (k < 0) {
        size_t ns;
        const ek_suite_info *s = ek_suites_list(&ns);
        char names[256] = "";
        for (size_t i = 0; i < ns; i++) {
            size_t l = strlen(names);
            snprintf(names + l, sizeof names - l, "%s%s", i ? ", " : "", s[i].name);
        }
        fprintf(stderr, "enroll-harness: unknown suite '%s' (known: %s)\n", suite, names);
        fputs("Try 'enroll-harness --help' for more information.\n", stderr);
        return EX_USAGE_CODE;
    }
    *n = (size_t)k > MAX_TDS ? MAX_TDS : (size_t)k;
    return 0;
}

static int load_dut(const cli *c, ek_dut *d)
{
    char err[1024];
    ek_dut_default(d);
    struct stat st;
    bool is_file = stat(c->dut, &st) == 0;
    if (is_file) {
        if (ek_dut_load(c->dut, d, err, sizeof err) != 0) return usage_error("%s", err);
    } else if (strchr(c->dut, ':')) {
        if (ek_dut_from_uri(c->dut, d, err, sizeof err) != 0) return usage_error("--dut: %s", err);
    } else {
        char m[PATH_MAX + 64];
        snprintf(m, sizeof m, "--dut %s: %s (neither a profile file nor a radio URI)", c->dut, strerror(errno));
        return usage_error("%s", m);
    }
    for (size_t i = 0; i < c->n_sets; i++)
        if (ek_dut_set(d, c->sets[i], err, sizeof err) != 0) return usage_error("--set: %s", err);
    if (c->n_sets && ek_dut_check(d, err, sizeof err) != 0) return usage_error("--set: %s", err);
    return 0;
}

/* "nothing was tested: WHY. HINT. --allow-empty accepts an empty run." */
static void nothing_tested_message(char *msg, size_t len, const char *why, const ek_dut *d, size_t n,
                                   const ek_td_result *r, bool allowed)
{
    size_t app = 0;
    for (size_t i = 0; i < n; i++) app += r[i].applicable;
    const char *hint = "";
    static const ek_td *probe[MAX_TDS];
    if (app == 0 && n > 0 && !(d->caps & EK_CAP_MEP) && ek_suites_select("legacy", probe, MAX_TDS) > 0)
        hint = " The legacy suite (--suite legacy) runs against a 6LR without the option.";
    else if (app == 0 && n > 0)
        hint = " Check dut.capabilities and wire.ep_profile (enroll-harness --list shows what each TD needs).";
    else if (app > 0)
        hint = " Check the radio URI, channel, PAN ID and DUT address; run.pcapng shows what was on the air.";
    snprintf(msg, len, "nothing was tested: %s.%s %s", why, hint,
             allowed ? "Accepted (--allow-empty)." : "--allow-empty accepts an empty run.");
}

/* Appends one line to a report file (summary.txt); best effort. */
static void append_line(const char *path, const char *line)
{
    FILE *f = fopen(path, "a");
    if (!f) return;
    fprintf(f, "%s\n", line);
    fclose(f);
}

/* The reports of one run. */
typedef struct reports {
    ek_rr_fanout fan;
    ek_rr_progress prog;
    ek_rr_summary sum;
    ek_rr_junit *junit;
    ek_rr_tap *tap;
    ek_rr_capture *cap;
    ek_htmlrun *html;
} reports;

typedef struct paths {
    char *junit, *tap, *pcap, *summary, *dut_ini, *dut_log, *html;
    bool tap_stdout;
} paths;

static int free_paths(paths *p, int rc)
{
    free(p->dut_log);
    free(p->junit);
    free(p->tap);
    free(p->pcap);
    free(p->summary);
    free(p->dut_ini);
    free(p->html);
    memset(p, 0, sizeof *p);
    return rc;
}

static int open_reports(reports *r, const cli *c, const paths *p, const ek_dut *d, const char *radio_desc,
                        const char *dut_ini, const char *cmdline, size_t n_tds)
{
    char err[1200];
    memset(r, 0, sizeof *r);
    ek_rr_fanout_init(&r->fan);
    if (!c->quiet) {
        ek_rr_progress_init(&r->prog, stderr, isatty(fileno(stderr)) == 1);
        ek_run_observer o = ek_rr_progress_observer(&r->prog);
        ek_rr_fanout_add(&r->fan, &o);
    }
    if (p->pcap) {
        char shb[1024];
        snprintf(shb, sizeof shb,
                 "enroll-harness %s run: DUT %s via %s, %zu TDs; evidence: outbound = injected by the "
                 "harness, inbound = sent by the DUT; deciding frames carry comments. Command: %s",
                 EK_VERSION, d->name[0] ? d->name : "(unnamed)", radio_desc, n_tds, cmdline);
        if (ek_rr_capture_open(p->pcap, shb, radio_desc, &r->cap, err, sizeof err) != 0) {
            fprintf(stderr, "enroll-harness: %s\n", err);
            return EX_HARNESS;
        }
        ek_run_observer o = ek_rr_capture_observer(r->cap);
        ek_rr_fanout_add(&r->fan, &o);
    }
    if (p->junit) {
        ek_rr_junit_opts jo = { .attachment = p->pcap, .dut_config = dut_ini, .command = cmdline };
        if (ek_rr_junit_open(p->junit, &jo, &r->junit, err, sizeof err) != 0) {
            fprintf(stderr, "enroll-harness: %s\n", err);
            return EX_HARNESS;
        }
        ek_run_observer o = ek_rr_junit_observer(r->junit);
        ek_rr_fanout_add(&r->fan, &o);
    }
    if (p->tap || p->tap_stdout) {
        if (ek_rr_tap_open(p->tap_stdout ? NULL : p->tap, &r->tap, err, sizeof err) != 0) {
            fprintf(stderr, "enroll-harness: %s\n", err);
            return EX_HARNESS;
        }
        ek_run_observer o = ek_rr_tap_observer(r->tap);
        ek_rr_fanout_add(&r->fan, &o);
    }
    if (p->html) {
        /* the page links the capture beside it (both in --out DIR) */
        const char *href = p->pcap ? strrchr(p->pcap, '/') : NULL;
        r->html = ek_htmlrun_new(p->html, href ? href + 1 : p->pcap, cmdline);
        if (!r->html) {
            fprintf(stderr, "enroll-harness: %s: out of memory\n", p->html);
            return EX_HARNESS;
        }
        ek_run_observer o = ek_htmlrun_observer(r->html);
        ek_rr_fanout_add(&r->fan, &o);
    }
    /* The table goes to stdout unless TAP is there; --quiet keeps only the totals. */
    ek_rr_summary_init(&r->sum, c->quiet ? NULL : (p->tap_stdout ? stderr : stdout), p->summary);
    ek_run_observer o = ek_rr_summary_observer(&r->sum);
    ek_rr_fanout_add(&r->fan, &o);
    return 0;
}

/* Closes every report; 0, or -1 after printing what failed. */
static int close_reports(reports *r)
{
    int rc = 0;
    if (r->junit) {
        if (ek_rr_junit_close(r->junit) != 0) rc = -1, fprintf(stderr, "enroll-harness: %s\n", "JUnit report incomplete");
    }
    if (r->tap && ek_rr_tap_close(r->tap) != 0) rc = -1, fprintf(stderr, "enroll-harness: TAP output failed\n");
    if (r->cap) {
        if (ek_rr_capture_errmsg(r->cap)[0]) fprintf(stderr, "enroll-harness: %s\n", ek_rr_capture_errmsg(r->cap));
        if (ek_rr_capture_close(r->cap) != 0) rc = -1;
    }
    if (r->html && ek_htmlrun_close(r->html) != 0) rc = -1;
    r->html = NULL;
    if (r->sum.failed) rc = -1, fprintf(stderr, "enroll-harness: %s\n", r->sum.err);
    return rc;
}

int main(int argc, char **argv)
{
    if (ek_plugfest_requested(argc, argv))
        return ek_plugfest_main(argc, argv);
    cli c;
    int rc = parse_args(argc, argv, &c);
    if (rc < 0) return 0;   /* --help / --version */
    if (rc) return rc;
    if (c.list) return list_registry(c.format);

    static const ek_td *tds[MAX_TDS];
    size_t n = 0;
    if ((rc = select_tds(&c, tds, &n)) != 0) return rc;

    static ek_dut dut;
    if ((rc = load_dut(&c, &dut)) != 0) return rc;
    bool offline = strncmp(dut.radio_uri, "file:", 5) == 0;
    bool loop = strncmp(dut.radio_uri, "loop:", 5) == 0;
    /* Offline: the capture holds only what followed each reset and boot wait, so waiting
     * ready_ms again would swallow recorded DUT frames; no DUT is started or reset. */
    if (offline) dut.ready_ms = 0;

    /* Output paths: explicit options win over the --out defaults. */
    paths p = { 0 };
    char err[1200];
    if (c.out) {
        if (mkdir_p(c.out, err, sizeof err) != 0) {
            fprintf(stderr, "enroll-harness: --out: %s\n", err);
            return free_paths(&p, EX_HARNESS);
        }
        p.junit = join(c.out, "report.xml");
        p.tap = join(c.out, "report.tap");
        p.pcap = join(c.out, "run.pcapng");
        p.summary = join(c.out, "summary.txt");
        p.dut_ini = join(c.out, "dut.ini");
        p.dut_log = join(c.out, "dut.log");
        p.html = join(c.out, "report.html");
    }
    if (c.dut_log) free(p.dut_log), p.dut_log = strdup(c.dut_log);
    if (c.junit) free(p.junit), p.junit = strdup(c.junit);
    if (c.pcap) free(p.pcap), p.pcap = strdup(c.pcap);
    if (c.tap_on) {
        free(p.tap);
        p.tap = NULL;
        if (c.tap && strcmp(c.tap, "-") != 0) p.tap = strdup(c.tap);
        else p.tap_stdout = true;
    }
    if (offline) {
        const char *in = dut.radio_uri + 5;
        const char *outs[] = { p.junit, p.tap, p.pcap, p.summary, p.dut_ini, p.dut_log, p.html };
        for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++)
            if (outs[i] && (same_file(in, outs[i]) || strcmp(in, outs[i]) == 0))
                return free_paths(&p, usage_error("%s is the capture being evaluated; write the reports elsewhere",
                                                  outs[i]));
    }

    /* The spawned DUT's own output goes to a log, never into the harness's output (the
     * table and --tap share stdout); its stdin carries stdin_file and init_commands. */
    bool spawns = !offline && !loop && dut.spawn[0];
    if (spawns && dut.stdin_file[0] && access(dut.stdin_file, R_OK) != 0) {
        snprintf(err, sizeof err, "dut.stdin_file: %.900s: %s", dut.stdin_file, strerror(errno));
        return free_paths(&p, usage_error("%s", err));
    }
    if (!spawns && (dut.stdin_file[0] || dut.init_commands[0]) && !offline)
        fprintf(stderr, "enroll-harness: note: dut.stdin_file and dut.init_commands are only sent to a DUT the "
                        "harness starts (dut.spawn); ignored\n");
    if (spawns && !p.dut_log)
        fprintf(stderr, "enroll-harness: note: the DUT's output is discarded; --out DIR keeps it in DIR/dut.log, "
                        "--dut-log FILE elsewhere\n");
#ifndef EK_ENGINE_HAS_DUT_LOG
    if (spawns && p.dut_log)
        fprintf(stderr, "enroll-harness: note: this build's engine cannot log the DUT's output; %s stays empty\n",
                p.dut_log);
#endif

    /* Effective profile (reports, dut.ini). */
    static char dut_ini[16384];
    if (ek_dut_write(&dut, dut_ini, sizeof dut_ini) < 0) dut_ini[0] = 0;
    if (p.dut_ini && dut_ini[0]) {
        FILE *f = fopen(p.dut_ini, "w");
        bool bad = !f;
        if (f) {
            bad = fputs(dut_ini, f) < 0;
            bad = (fclose(f) != 0) || bad;
        }
        if (bad) {
            fprintf(stderr, "enroll-harness: %s: cannot write: %s\n", p.dut_ini, strerror(errno));
            return free_paths(&p, EX_HARNESS);
        }
    }
    char cmdline[2048] = "";
    for (int i = 0; i < argc; i++) {
        size_t l = strlen(cmdline);
        snprintf(cmdline + l, sizeof cmdline - l, "%s%s", i ? " " : "", argv[i]);
    }

    /* spawn and reset commands see the effective profile (EK_<SECTION>_<KEY>) and
     * EK_BUILD_DIR, so a spawned emulated DUT follows --set overrides (ek/dut.h). */
    export_build_dir();
    if (ek_dut_setenv(&dut) != 0) {
        fprintf(stderr, "enroll-harness: cannot export the DUT profile to the environment\n");
        return free_paths(&p, EX_HARNESS);
    }

    /* Radio. */
    ek_radio *radio = NULL;
    static loop_peer lp;
    static ek_radio_loop_peer peer;
    if (loop) {
        if (open_loop(dut.radio_uri, &dut, &lp, &peer, &radio, err, sizeof err) != 0)
            return free_paths(&p, usage_error("--dut: %s", err));
    } else {
        ek_radio_opts ro;
        ek_radio_opts_default(&ro);
        ro.channel = dut.channel;
        ro.pace = dut.pace;
        if (ek_radio_open(dut.radio_uri, &ro, &radio, err, sizeof err) != 0) {
            fprintf(stderr, "enroll-harness: cannot open the radio: %s\n", err);
            return free_paths(&p, EX_HARNESS);
        }
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = (int)SA_RESETHAND; /* a second signal kills */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);   /* a closed TAP reader must not kill the run mid-report */

    ek_td_result *results = calloc(n ? n : 1, sizeof *results);
    if (!results) {
        fprintf(stderr, "enroll-harness: out of memory\n");
        ek_radio_close(radio);
        if (lp.node) ek_refnode_free(lp.node);
        return free_paths(&p, EX_HARNESS);
    }
    int exit_code = 0;
    bool report_failed = false, ran = false;
    for (unsigned long run = 1; run <= c.runs; run++) {
        reports rep;
        const char *desc = ek_radio_describe(radio);
        if ((rc = open_reports(&rep, &c, &p, &dut, desc, dut_ini, cmdline, n)) != 0) {
            close_reports(&rep);
            exit_code = rc;
            break;
        }
        ek_run_observer obs = ek_rr_fanout_observer(&rep.fan);
        ek_engine_opts eo = {
            .dut = &dut,
            .radio = radio,
            .obs = &obs,
            .manage_dut = !offline && !loop,
            .offline = offline,   /* a capture: no reset, the capture's clock, open world */
            .reset_hook = loop ? lp_reset : NULL,
            .cmd_hook = loop ? lp_cmd : NULL,
            .reset_ctx = loop ? &lp : NULL,
            .cmd_ctx = loop ? &lp : NULL,
            .interrupted = &g_interrupted,
        };
#ifdef EK_ENGINE_HAS_DUT_LOG
        eo.dut_log_path = p.dut_log;
#endif
        ek_engine_run(&eo, tds, n, results);
        ran = true;
        if (close_reports(&rep) != 0) report_failed = true;
        exit_code = ek_engine_exit_code(results, n);
        char tot[256];
        ek_rr_summary_totals(tot, sizeof tot, results, n);
        if (c.quiet) fprintf(p.tap_stdout ? stderr : stdout, "%s\n", tot);
        /* No silent green: a run whose verdicts say nothing against the DUT but that
         * tested nothing (nothing applied, no check ran, the DUT was never heard). */
        if (exit_code == 0 && !g_interrupted) {
            char why[EK_MSG_MAX + 160];
            if (ek_rr_nothing_tested(results, n, &dut, why, sizeof why)) {
                char msg[sizeof why + 512];
                nothing_tested_message(msg, sizeof msg, why, &dut, n, results, c.allow_empty);
                fprintf(stderr, "enroll-harness: %s\n", msg);
                if (p.summary) append_line(p.summary, msg);
                if (!c.allow_empty) exit_code = EX_NOTHING_TESTED;
            }
        }
        if (c.runs > 1) fprintf(stderr, "enroll-harness: run %lu/%lu: %s\n", run, c.runs, tot);
        if (exit_code != 0 || g_interrupted) break;
    }
    if (g_interrupted) fprintf(stderr, "enroll-harness: interrupted; reports written up to the interruption\n");
    if (report_failed && exit_code == 0) exit_code = EX_HARNESS;
    if (ran && (p.pcap || p.junit || p.tap || p.summary)) {
        fprintf(stderr, "enroll-harness: reports:");
        if (p.junit) fprintf(stderr, " %s", p.junit);
        if (p.tap) fprintf(stderr, " %s", p.tap);
        if (p.pcap) fprintf(stderr, " %s", p.pcap);
        if (p.summary) fprintf(stderr, " %s", p.summary);
        if (p.dut_log && !offline && !loop && dut.spawn[0]) fprintf(stderr, " %s", p.dut_log);
        fprintf(stderr, "\n");
    }
    if (ran && !c.quiet) {
        /* Radio counters and the measured injection pacing error. */
        ek_radio_stats st;
        ek_radio_get_stats(radio, &st);
        fprintf(stderr, "enroll-harness: radio %s: sent %llu, received %llu, dropped %llu",
                ek_radio_describe(radio), (unsigned long long)st.sent, (unsigned long long)st.received,
                (unsigned long long)st.dropped);
        if (st.paced)
            fprintf(stderr, "; %llu paced sends, pacing error mean %.1f us, max %.1f us",
                    (unsigned long long)st.paced, (double)st.pacing_err_sum_ns / (double)st.paced / 1e3,
                    (double)st.pacing_err_max_ns / 1e3);
        fprintf(stderr, "\n");
    }
    free(results);
    ek_radio_close(radio);
    if (lp.node) ek_refnode_free(lp.node);
    fflush(stdout);
    return free_paths(&p, exit_code);
}
