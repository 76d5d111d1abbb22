/* SPDX-License-Identifier: BSD-3-Clause */
/* enroll-check: judge every node seen in captures (several files merged by time) or on
 * a live radio with the network checker (ek/netcheck.h), the same monitors the harness
 * runs during its TDs, and write a text summary, JSON Lines, JUnit XML, an annotated
 * pcapng and report.html. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ek/fcs.h"
#include "ek/htmlreport.h"
#include "ek/lladdr.h"
#include "ek/ncreport.h"
#include "ek/netcheck.h"
#include "ek/pcapio.h"
#include "ek/radio.h"
#include "ek/recdecode.h"

static const char usage[] =
    "Usage: enroll-check [OPTIONS] FILE...\n"
    "       enroll-check [OPTIONS] --radio URI [--duration S]\n"
    "\n"
    "Judge every node seen in IEEE 802.15.4 captures (pcap or pcapng; link types 195, 230,\n"
    "283 and ZEP over UDP; several files are merged by time) or on a live radio, each by its\n"
    "address, against the RFC 9032 Enrollment IE and draft-ietf-roll-enrollment-priority\n"
    "rules a passive observer can check (docs/enroll-check.md lists them).\n"
    "\n"
    "Input:\n"
    "  --radio URI          listen on a radio instead of files: zep-listen://HOST:PORT,\n"
    "                       zep-dispatch://HOST:PORT, pcap:IFACE, pcap-zep:IFACE (docs/radios.md)\n"
    "  --duration S         stop listening after S seconds (default: until SIGINT, SIGTERM or\n"
    "                       SIGHUP; the reports are written then)\n"
    "  --ep-type N          option type of the enrollment-priority option (default 0x2a)\n"
    "  --ep-profile P       draft-03, draft-04, draft-09, draft-16 (default)\n"
    "  --ie-profile P       rfc9032-literal (default), byte-aligned\n"
    "  --context N=PREFIX   6LoWPAN context N (0..15), e.g. 0=fd00::/64 (repeatable)\n"
    "Network:\n"
    "  --node NAME=EUI64[,legacy][,root][,stimulus][,network-id=HEX][,jp-iid=HEX|none]\n"
    "         [,pan-priority=N]\n"
    "                       declare a node: its name in reports; legacy = no enrollment\n"
    "                       option (never judged on it); root = the DODAG root; stimulus =\n"
    "                       a test node that breaks rules on purpose (learnt from, never\n"
    "                       judged); network-id, jp-iid (8 octets, or none: P = 0), pan-priority\n"
    "                       = what it is configured to advertise in its Join-Info, judged\n"
    "                       (ji-declared, RFC 9032 §2) (repeatable)\n"
    "  --eb-period-ms N     longest EB period of any node (default 1000): EB grace windows\n"
    "  --slack-ms N         frames crossing on the air, processing delay (default 100)\n"
    "  --adopt-ms N         time a 6LR may take to adopt its parent's minimum (default 2000;\n"
    "                       0 = the default)\n"
    "  --closed-world       every node of the network is in the input (a plugfest hub's or\n"
    "                       testbed capture): parents guessed from rank, version steps back,\n"
    "                       frame-counter replays and copied unknown options are FAIL, not INFO,\n"
    "                       and rank-increase applies\n"
    "Output:\n"
    "  --out DIR            write DIR/summary.txt, findings.jsonl, report.xml, annotated.pcapng\n"
    "                       and report.html\n"
    "  --jsonl FILE         findings, nodes, pairs and the run as JSON Lines ('-' = stdout)\n"
    "  --junit FILE         JUnit XML: a test suite per node, a test case per rule\n"
    "  --pcapng FILE        every frame, the deciding ones with the findings as comments\n"
    "  --html FILE          self-contained HTML report (timelines, findings, interop matrix)\n"
    "  -q, --quiet          no summary on stdout, no progress on stderr\n"
    "  -h, --help           show this help\n"
    "  --version            show the version\n"
    "\n"
    "Exit status: 0 every node judged passed; 1 a rule failed; 2 usage, file or radio error;\n"
    "3 nothing was judged (no rule applied to any node: never green).\n";

#define MAX_DECL 256
#define MAX_FILES 64

typedef struct options {
    ek_nc_cfg cfg;
    ek_nc_decl decl[MAX_DECL];
    size_t n_decl;
    const char *radio;
    double duration;
    const char *out_dir, *jsonl, *junit, *pcapng, *html;
    bool quiet;
    char cmdline[1024];
} options;

static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(s, &end, 0);
    if (errno || !end || *end || end == s || v > max)
        return false;
    *out = v;
    return true;
}

/* NAME=EUI64[,legacy][,root][,stimulus][,network-id=HEX][,jp-iid=HEX|none][,pan-priority=N] */
static bool parse_node(const char *arg, ek_nc_decl *d)
{
    memset(d, 0, sizeof *d);
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof d->name)
        return false;
    memcpy(d->name, arg, (size_t)(eq - arg));
    char buf[256];
    if ((size_t)snprintf(buf, sizeof buf, "%s", eq + 1) >= sizeof buf)
        return false;
    char *save = NULL;
    char *tok = strtok_r(buf, ",", &save);
    if (!tok || !ek_eui64_parse(tok, d->ext))
        return false;
    while ((tok = strtok_r(NULL, ",", &save))) {
        unsigned long v;
        if (strcmp(tok, "legacy") == 0) {
            d->legacy = true;
        } else if (strcmp(tok, "root") == 0) {
            d->is_root = true;
        } else if (strcmp(tok, "stimulus") == 0) {
            d->stimulus = true;
        } else if (strncmp(tok, "network-id=", 11) == 0) {
            int len = ek_hex_octets(tok + 11, d->mon.network_id, sizeof d->mon.network_id);
            if (len < 1)
                return false;
            d->mon.has_network_id = true;
            d->mon.network_id_len = (uint8_t)len;
        } else if (strcmp(tok, "jp-iid=none") == 0) {
            d->mon.jp_iid_mode = EK_MON_IID_NONE;
        } else if (strncmp(tok, "jp-iid=", 7) == 0) {
            if (ek_hex_octets(tok + 7, d->mon.jp_iid, sizeof d->mon.jp_iid) != 8)
                return false;
            d->mon.jp_iid_mode = EK_MON_IID_VALUE;
        } else if (strncmp(tok, "pan-priority=", 13) == 0) {
            if (!parse_uint(tok + 13, 255, &v))
                return false;
            d->mon.has_pan_priority = true;
            d->mon.pan_priority = (uint8_t)v;
        } else {
            return false;
        }
    }
    return true;
}

static int parse_args(int argc, char **argv, options *o)
{
    enum { O_RADIO = 256, O_DURATION, O_EP_TYPE, O_EP_PROFILE, O_IE_PROFILE, O_CONTEXT, O_NODE, O_EB_PERIOD,
           O_SLACK, O_ADOPT, O_CLOSED, O_OUT, O_JSONL, O_JUNIT, O_PCAPNG, O_HTML, O_VERSION };
    static const struct option longopts[] = {
        { "radio", required_argument, NULL, O_RADIO },
        { "duration", required_argument, NULL, O_DURATION },
        { "ep-type", required_argument, NULL, O_EP_TYPE },
        { "ep-profile", required_argument, NULL, O_EP_PROFILE },
        { "ie-profile", required_argument, NULL, O_IE_PROFILE },
        { "context", required_argument, NULL, O_CONTEXT },
        { "node", required_argument, NULL, O_NODE },
        { "eb-period-ms", required_argument, NULL, O_EB_PERIOD },
        { "slack-ms", required_argument, NULL, O_SLACK },
        { "adopt-ms", required_argument, NULL, O_ADOPT },
        { "closed-world", no_argument, NULL, O_CLOSED },
        { "out", required_argument, NULL, O_OUT },
        { "jsonl", required_argument, NULL, O_JSONL },
        { "junit", required_argument, NULL, O_JUNIT },
        { "pcapng", required_argument, NULL, O_PCAPNG },
        { "html", required_argument, NULL, O_HTML },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, O_VERSION },
        { NULL, 0, NULL, 0 },
    };
    ek_nc_cfg_default(&o->cfg);
    size_t w = 0;
    for (int i = 0; i < argc && w + 2 < sizeof o->cmdline; i++)
        w += (size_t)snprintf(o->cmdline + w, sizeof o->cmdline - w, "%s%s", i ? " " : "", argv[i]);
    int c;
    unsigned long v;
    while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (c) {
        case O_RADIO: o->radio = optarg; break;
        case O_DURATION: {
            char *end = NULL;
            o->duration = strtod(optarg, &end);
            if (!end || *end || !(o->duration > 0 && o->duration <= 1e9)) {
                fprintf(stderr, "enroll-check: --duration '%s': expected seconds, 0 < S <= 1e9\n", optarg);
                return 2;
            }
            break;
        }
        case O_EP_TYPE:
            if (!parse_uint(optarg, 255, &v)) {
                fprintf(stderr, "enroll-check: --ep-type '%s': expected 0..255\n", optarg);
                return 2;
            }
            o->cfg.prof.mep_type = (uint8_t)v;
            break;
        case O_EP_PROFILE:
            if (!ek_mep_profile_parse(optarg, &o->cfg.prof.mep)) {
                fprintf(stderr, "enroll-check: --ep-profile '%s': expected draft-03, draft-04, draft-09 or draft-16\n",
                        optarg);
                return 2;
            }
            break;
        case O_IE_PROFILE:
            if (!ek_ji_profile_parse(optarg, &o->cfg.prof.ji)) {
                fprintf(stderr, "enroll-check: --ie-profile '%s': expected rfc9032-literal or byte-aligned\n", optarg);
                return 2;
            }
            break;
        case O_CONTEXT: {
            char *end = NULL;
            unsigned long n = strtoul(optarg, &end, 10);
            if (!end || *end != '=' || n > 15 || !ek_profile_set_context(&o->cfg.prof, (unsigned)n, end + 1)) {
                fprintf(stderr, "enroll-check: --context '%s': expected N=PREFIX/LEN with N in 0..15\n", optarg);
                return 2;
            }
            break;
        }
        case O_NODE:
            if (o->n_decl >= MAX_DECL || !parse_node(optarg, &o->decl[o->n_decl])) {
                fprintf(stderr,
                        "enroll-check: --node '%s': expected NAME=EUI64[,legacy][,root][,stimulus][,network-id=HEX]"
                        "[,jp-iid=HEX|none][,pan-priority=N] (at most %d)\n",
                        optarg, MAX_DECL);
                return 2;
            }
            o->n_decl++;
            break;
        case O_EB_PERIOD:
        case O_SLACK:
        case O_ADOPT:
            if (!parse_uint(optarg, 3600000, &v)) {
                fprintf(stderr, "enroll-check: '%s': expected milliseconds 0..3600000\n", optarg);
                return 2;
            }
            if (c == O_EB_PERIOD)
                o->cfg.eb_period_ms = (uint32_t)v;
            else if (c == O_SLACK)
                o->cfg.slack_ms = (uint32_t)v;
            else
                o->cfg.adopt_ms = (uint32_t)v;
            break;
        case O_CLOSED: o->cfg.closed_world = true; break;
        case O_OUT: o->out_dir = optarg; break;
        case O_JSONL: o->jsonl = optarg; break;
        case O_JUNIT: o->junit = optarg; break;
        case O_PCAPNG: o->pcapng = optarg; break;
        case O_HTML: o->html = optarg; break;
        case 'q': o->quiet = true; break;
        case 'h': fputs(usage, stdout); exit(0);
        case O_VERSION: puts("enroll-check (enrollkit) " EK_VERSION); exit(0);
        default: fputs(usage, stderr); return 2;
        }
    }
    if (o->radio && optind < argc) {
        fputs("enroll-check: give capture files or --radio, not both\n", stderr);
        return 2;
    }
    if (!o->radio && optind >= argc) {
        fputs("enroll-check: no capture file given (see --help)\n", stderr);
        return 2;
    }
    if (argc - optind > MAX_FILES) {
        fprintf(stderr, "enroll-check: at most %d capture files\n", MAX_FILES);
        return 2;
    }
    o->cfg.decl = o->decl;
    o->cfg.n_decl = o->n_decl;
    return 0;
}

/* ---- the run: checker, streamed outputs ------------------------------------------------- */

typedef struct run {
    const options *o;
    ek_netcheck *nc;
    ek_frame *f;
    FILE *jsonl;
    bool jsonl_stdout;
    ek_ncr_capture *cap;
    uint64_t frame_no;
    char jsonl_path[1200], junit_path[1200], pcapng_path[1200], html_path[1200], summary_path[1200];
    bool tty;
    int rc;
} run;

static void on_finding(void *ctx, const ek_nc_finding *f)
{
    run *r = ctx;
    if (r->jsonl)
        ek_ncr_jsonl_finding(r->jsonl, r->nc, f);
    if (r->cap)
        ek_ncr_capture_note(r->cap, r->nc, f);
}

/* One frame in capture order: judged, then written with its findings. */
static void judge(run *r, ek_status st, bool fcs_ok, uint64_t t_ns, const uint8_t *mpdu, size_t mpdu_len)
{
    r->frame_no++;
    ek_nc_frame(r->nc, r->f, st, r->f->n_errors ? &r->f->errors[0] : NULL, fcs_ok, r->frame_no, t_ns);
    if (r->cap) {
        /* link type 195: the MPDU and an FCS (recomputed when the source had none) */
        uint8_t psdu[EK_FRAME_MAX_PSDU + 2 + 2048];
        size_t n = mpdu_len < sizeof psdu - 2 ? mpdu_len : sizeof psdu - 2;
        if (n)
            memcpy(psdu, mpdu, n);
        uint16_t fcs = r->f->sum.has_fcs ? r->f->sum.fcs : ek_fcs16(ek_view_make(psdu, n));
        psdu[n] = (uint8_t)fcs;
        psdu[n + 1] = (uint8_t)(fcs >> 8);
        if (ek_ncr_capture_frame(r->cap, t_ns, psdu, n + 2) != 0 && r->rc < 2) {
            fprintf(stderr, "enroll-check: %s\n", ek_ncr_capture_errmsg(r->cap));
            r->rc = 2;
        }
    }
    if (r->tty && !r->o->quiet && r->frame_no % 100000 == 0)
        fprintf(stderr, "\r%" PRIu64 " frames, %zu nodes", r->frame_no, ek_nc_node_count(r->nc));
}

/* ---- files, merged by time ---------------------------------------------------------------- */

typedef struct input {
    const char *path;
    ek_cap_reader *r;
    ek_cap_record rec;
    bool has;
} input;

static uint64_t rec_ns(const ek_cap_record *rec)
{
    return rec->ts_sec * UINT64_C(1000000000) + rec->ts_nsec;
}

static bool advance(run *r, input *in)
{
    ek_cap_io io = ek_cap_next(in->r, &in->rec);
    in->has = io == EK_CAP_IO_OK;
    if (io != EK_CAP_IO_OK && io != EK_CAP_IO_EOF) {
        fprintf(stderr, "enroll-check: %s: %s\n", in->path, ek_cap_errmsg(in->r));
        r->rc = 2;
    }
    return in->has;
}

static void check_files(run *r, int n, char **paths)
{
    input in[MAX_FILES];
    int open_n = 0;
    for (int i = 0; i < n; i++) {
        char errbuf[512];
        in[open_n].path = paths[i];
        if (ek_cap_open(paths[i], &in[open_n].r, errbuf, sizeof errbuf) != EK_CAP_IO_OK) {
            fprintf(stderr, "enroll-check: %s\n", errbuf);
            r->rc = 2;
            continue;
        }
        int lt = ek_cap_linktype(in[open_n].r);
        if (!ek_cap_linktype_supported(lt))
            fprintf(stderr, "enroll-check: %s: link type %d (%s) is not supported; its frames count against nobody\n",
                    paths[i], lt, ek_cap_linktype_name(lt));
        advance(r, &in[open_n]);
        open_n++;
    }
    for (;;) {
        int best = -1;
        for (int i = 0; i < open_n; i++)
            if (in[i].has && (best < 0 || rec_ns(&in[i].rec) < rec_ns(&in[best].rec)))
                best = i;
        if (best < 0)
            break;
        ek_cap_frame cf;
        ek_status st = ek_cap_decode_record(&in[best].rec, &r->o->cfg.prof, r->f, &cf);
        bool zep_ack = cf.has_zep && !cf.mpdu.p;
        if (!zep_ack) {
            bool fcs_ok = !r->f->sum.has_fcs || r->f->sum.fcs_ok;
            judge(r, st, fcs_ok, rec_ns(&in[best].rec), cf.mpdu.p, cf.mpdu.p ? cf.mpdu.len : 0);
        }
        advance(r, &in[best]);
    }
    for (int i = 0; i < open_n; i++)
        ek_cap_close(in[i].r);
}

/* ---- live ------------------------------------------------------------------------------------ */

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void check_radio(run *r)
{
    ek_radio_opts ro;
    ek_radio_opts_default(&ro);
    ro.channel = 0;
    ek_radio *radio = NULL;
    char errbuf[EK_RADIO_ERRLEN];
    if (ek_radio_open(r->o->radio, &ro, &radio, errbuf, sizeof errbuf) != 0) {
        fprintf(stderr, "enroll-check: %s\n", errbuf);
        r->rc = 2;
        return;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL); /* a closed terminal: stop and still write the reports */
    if (!r->o->quiet)
        fprintf(stderr, "enroll-check: listening on %s%s\n", ek_radio_describe(radio),
                r->o->duration > 0 ? "" : " (SIGINT to stop)");
    uint64_t start = ek_radio_now(radio);
    uint64_t end = r->o->duration > 0 ? start + (uint64_t)(r->o->duration * 1e9) : UINT64_MAX;
    while (!stop_flag) {
        uint64_t now = ek_radio_now(radio);
        if (now >= end)
            break;
        uint64_t deadline = now + 200 * UINT64_C(1000000); /* wake to see signals */
        ek_radio_frame fr;
        int got = ek_radio_recv(radio, &fr, deadline < end ? deadline : end);
        if (got < 0) {
            fprintf(stderr, "enroll-check: %s\n", ek_radio_errmsg(radio));
            r->rc = 2;
            break;
        }
        if (got == 0)
            continue;
        ek_status st = ek_frame_decode(ek_view_make(fr.psdu, fr.len), true, &r->o->cfg.prof, r->f);
        /* wall-clock times, as a capture file's: the pcapng, JSON Lines and report.html show them */
        judge(r, st, fr.fcs_ok, ek_radio_wall_ns(radio, fr.t_ns), fr.psdu, fr.len >= 2 ? fr.len - 2 : 0);
        if (ek_radio_eof(radio))
            break;
    }
    ek_radio_close(radio);
}

/* ---- main ------------------------------------------------------------------------------------- */

static const char *in_dir(char *buf, size_t len, const char *dir, const char *name)
{
    snprintf(buf, len, "%s/%s", dir, name);
    return buf;
}

static int open_outputs(run *r)
{
    const options *o = r->o;
    const char *jsonl = o->jsonl, *junit = o->junit, *pcapng = o->pcapng, *html = o->html;
    if (o->out_dir) {
        if (mkdir(o->out_dir, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "enroll-check: --out %s: %s\n", o->out_dir, strerror(errno));
            return 2;
        }
        if (!jsonl)
            jsonl = in_dir(r->jsonl_path, sizeof r->jsonl_path, o->out_dir, "findings.jsonl");
        if (!junit)
            junit = in_dir(r->junit_path, sizeof r->junit_path, o->out_dir, "report.xml");
        if (!pcapng)
            pcapng = in_dir(r->pcapng_path, sizeof r->pcapng_path, o->out_dir, "annotated.pcapng");
        if (!html)
            html = in_dir(r->html_path, sizeof r->html_path, o->out_dir, "report.html");
        in_dir(r->summary_path, sizeof r->summary_path, o->out_dir, "summary.txt");
    }
    if (jsonl && strcmp(jsonl, "-") == 0) {
        r->jsonl = stdout;
        r->jsonl_stdout = true;
        setvbuf(stdout, NULL, _IOLBF, 0); /* a finding reaches a pipe as it is made */
    } else if (jsonl) {
        r->jsonl = fopen(jsonl, "w");
        if (!r->jsonl) {
            fprintf(stderr, "enroll-check: %s: %s\n", jsonl, strerror(errno));
            return 2;
        }
        if (jsonl != r->jsonl_path)
            snprintf(r->jsonl_path, sizeof r->jsonl_path, "%s", jsonl);
    }
    if (junit && junit != r->junit_path)
        snprintf(r->junit_path, sizeof r->junit_path, "%s", junit);
    if (html && html != r->html_path)
        snprintf(r->html_path, sizeof r->html_path, "%s", html);
    if (pcapng) {
        char err[600];
        if (ek_ncr_capture_open(pcapng, "enroll-check: every frame; findings as packet comments", &r->cap, err,
                                sizeof err) != 0) {
            fprintf(stderr, "enroll-check: %s\n", err);
            if (r->jsonl && !r->jsonl_stdout)
                fclose(r->jsonl);
            r->jsonl = NULL;
            return 2;
        }
        if (pcapng != r->pcapng_path)
            snprintf(r->pcapng_path, sizeof r->pcapng_path, "%s", pcapng);
    }
    return 0;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static void write_reports(run *r, int n_files, char **files)
{
    const options *o = r->o;
    if (r->jsonl) {
        ek_ncr_jsonl_end(r->jsonl, r->nc, true);
        if (!r->jsonl_stdout && fclose(r->jsonl) != 0) {
            fprintf(stderr, "enroll-check: %s: %s\n", r->jsonl_path, strerror(errno));
            r->rc = 2;
        }
        r->jsonl = NULL;
    }
    if (r->cap && ek_ncr_capture_close(r->cap) != 0) {
        fprintf(stderr, "enroll-check: %s: write failed\n", r->pcapng_path);
        r->rc = 2;
    }
    r->cap = NULL;
    char err[600];
    if (r->junit_path[0] && ek_ncr_junit(r->junit_path, r->nc, "enroll-check", err, sizeof err) != 0) {
        fprintf(stderr, "enroll-check: %s\n", err);
        r->rc = 2;
    }
    if (r->html_path[0]) {
        char input[1024];
        size_t w = 0;
        input[0] = '\0';
        if (o->radio)
            snprintf(input, sizeof input, "%s", o->radio);
        for (int i = 0; i < n_files && w + 2 < sizeof input; i++)
            w += (size_t)snprintf(input + w, sizeof input - w, "%s%s", i ? ", " : "", files[i]);
        ek_html_opts ho;
        memset(&ho, 0, sizeof ho);
        ho.title = "enroll-check";
        ho.tool = "enroll-check";
        ho.version = EK_VERSION;
        ho.command = o->cmdline;
        ho.input = input;
        ho.capture_href = r->pcapng_path[0] ? base_name(r->pcapng_path) : NULL;
        if (ek_html_write_file(r->html_path, r->nc, &ho, err, sizeof err) != 0) {
            fprintf(stderr, "enroll-check: %s\n", err);
            r->rc = 2;
        }
    }
    if (r->summary_path[0]) {
        FILE *s = fopen(r->summary_path, "w");
        if (!s) {
            fprintf(stderr, "enroll-check: %s: %s\n", r->summary_path, strerror(errno));
            r->rc = 2;
        } else {
            ek_ncr_text(s, r->nc);
            if (fclose(s) != 0)
                r->rc = 2;
        }
    }
    if (!o->quiet && !r->jsonl_stdout)
        ek_ncr_text(stdout, r->nc);
}

int main(int argc, char **argv)
{
    static options o;
    int rc = parse_args(argc, argv, &o);
    if (rc)
        return rc;
    run r = { .o = &o, .tty = isatty(2) };
    o.cfg.skip_timelines = !o.html && !o.out_dir; /* only report.html draws them */
    r.f = malloc(sizeof *r.f);
    r.nc = ek_nc_new(&o.cfg);
    if (!r.f || !r.nc) {
        fputs("enroll-check: out of memory\n", stderr);
        return 2;
    }
    rc = open_outputs(&r);
    if (r.jsonl || r.cap) /* findings are streamed: formatted as they are made */
        ek_nc_set_sink(r.nc, on_finding, &r);
    if (rc) {
        ek_nc_free(r.nc);
        free(r.f);
        return rc;
    }
    if (o.radio)
        check_radio(&r);
    else
        check_files(&r, argc - optind, argv + optind);
    if (r.tty && !o.quiet && r.frame_no >= 100000)
        fputc('\n', stderr);
    ek_nc_finish(r.nc);
    write_reports(&r, o.radio ? 0 : argc - optind, argv + optind);
    int status = r.rc ? r.rc : ek_ncr_exit_status(r.nc);
    ek_nc_free(r.nc);
    free(r.f);
    if (fflush(stdout) != 0)
        status = 2;
    return status;
}
