/* SPDX-License-Identifier: BSD-3-Clause */
/* enroll-harness --plugfest SETUP.ini (plugfest.h, docs/plugfest.md).
 *
 * The set-up file (libinih, as the DUT profiles of harness/engine/dut.c) describes the
 * network: [network] the wire profile and timing, [node NAME] one section per device
 * (its EUI-64 and the command that starts it), [links] an optional topology, [scenario]
 * timed changes of the root's enrollment option.  The run: an in-process ZEP hub
 * (ek/zephub.h), every node started in its own process group, the harness as DODAG root
 * (RFC 6550 §8.2.2.2: rank = MinHopRankIncrease, DODAG Configuration §6.7.6, the
 * Minimum Enrollment Priority option of draft-ietf-roll-enrollment-priority in the
 * network's layout) and, on request, a rogue neighbour; every frame the hub sees goes to
 * one network checker (ek/netcheck.h) live, and into DIR: capture.pcapng (written as
 * frames arrive), findings.jsonl (streamed), report.xml, summary.txt, report.html,
 * setup.ini and enroll-check.args (the same judgement offline with enroll-check). */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <ini.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "ek/build.h"
#include "ek/consts.h"
#include "ek/frame.h"
#include "ek/htmlreport.h"
#include "ek/lladdr.h"
#include "ek/minprio.h"
#include "ek/ncreport.h"
#include "ek/netcheck.h"
#include "ek/radio.h"
#include "ek/rpl.h"
#include "ek/zephub.h"
#include "plugfest.h"

#ifndef EK_VERSION
#define EK_VERSION "unknown"
#endif

#define EX_PASS 0
#define EX_FAIL 1
#define EX_HARNESS 2
#define EX_USAGE 64

#define PF_MAX_NODES 48
#define PF_MAX_STEPS 128
#define PF_MAX_LINKS 512
#define PF_CMD_MAX 2048
#define PF_NAME_MAX 32
#define PF_MAX_LINE 200            /* libinih INI_MAX_LINE in Debian's build */
#define NS_PER_MS UINT64_C(1000000)
#define NS_PER_S UINT64_C(1000000000)
#define SLOT_NS (10 * NS_PER_MS)   /* RFC 8180 §4.1: 10 ms timeslots (the EB's ASN) */
#define REGISTER_WAIT_MS 3000      /* how long a started node may take to reach the hub */
#define STOP_GRACE_MS 1000         /* SIGTERM, then SIGKILL */
#define LIVENESS_MS 100
#define ROGUE_RANK_DEFAULT 0x4000  /* far below every node: never a parent (RFC 6550 §3.5.1) */
#define UNKNOWN_OPT_LEN 4

static const uint8_t ROOT_EXT[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x0a }; /* harness role A */
static const uint8_t ROGUE_EXT[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x0c }; /* harness rogue */

static const char usage_text[] =
    "Usage: enroll-harness --plugfest SETUP.ini [--out DIR] [--duration-scale X] [--seed N]\n"
    "                      [--quiet]\n"
    "\n"
    "Runs a whole network on an in-process ZEP hub: starts every node of SETUP.ini, plays\n"
    "the DODAG root (and a rogue neighbour) through the file's scenario of enrollment-option\n"
    "changes, hears every frame and judges every node live with the network checker that\n"
    "enroll-check runs offline.\n"
    "\n"
    "  --plugfest SETUP.ini   the set-up file: [network], one [node NAME] per device,\n"
    "                         optional [links] and [scenario] (docs/plugfest.md)\n"
    "  --out DIR              reports (default plugfest-NAME, NAME = SETUP's base name):\n"
    "                         capture.pcapng, findings.jsonl, report.xml, summary.txt,\n"
    "                         report.html, setup.ini, enroll-check.args, NODE.log\n"
    "  --duration-scale X     multiply every scenario time by X (0.05..100, default 1)\n"
    "  --seed N               base of the per-node seeds ({seed} = N * 1000 + node number;\n"
    "                         default [network] seed, else 1)\n"
    "  --quiet, -q            no progress and no findings on stderr; one verdict line on\n"
    "                         stdout instead of the summary\n"
    "  --help, -h\n"
    "\n"
    "Exit status: 0 every judged node passed; 1 a node failed a rule or died; 2 the test\n"
    "bed broke (hub, a node that could not start, a report) or the run was interrupted;\n"
    "3 nothing was judged; 64 usage error or a bad set-up file.\n";

/* ---- the set-up ------------------------------------------------------------------------ */

typedef enum pf_act { PF_ACT_ROOT = 0, PF_ACT_ROGUE, PF_ACT_MARK, PF_ACT_END } pf_act;

/* One scenario step: "T = root min=0x50 version=241 t=1", "T = rogue min=0 version=250",
 * "T = rogue off", "T = mark TEXT", "T = end". */
typedef struct pf_step {
    double t_s;
    int line;
    pf_act act;
    char text[96];
    bool has_min, has_version, has_t, has_size, has_rank, off;
    uint8_t min, version;
    bool t;
    uint32_t size;
    uint16_t rank;
    int unknown;                   /* -1 unchanged, -2 removed, else the option type */
} pf_step;

typedef struct pf_node {
    char name[PF_NAME_MAX];
    int line;                      /* of its [node NAME] header */
    bool has_ext;
    uint8_t ext[8];
    char command[PF_CMD_MAX];      /* command = ... (or refdut = ARGS) */
    bool is_refdut;
    bool legacy, role_root, has_role;
    char vendor[64], description[192];
    bool has_network_id, has_pan_priority;
    uint8_t network_id[16], network_id_len, pan_priority;
    int seen[16];                  /* line of each key (node_keys order) */
    /* runtime */
    char cmd_final[PF_CMD_MAX + 512];
    char log_path[PATH_MAX];
    pid_t pid;
    bool started, exited, died, stopped_by_us, registered, group_done;
    int status;
    uint64_t t_exit_ns;
    size_t client;
    unsigned seed;
} pf_node;

#define PF_ROOT_REF (-1)
#define PF_ROGUE_REF (-2)

typedef struct pf_link {
    char a[PF_NAME_MAX], b[PF_NAME_MAX];
    int line;
} pf_link;

typedef struct pf_setup {
    char path[PATH_MAX];
    char name[64];                 /* [network] name, else the file's base name */
    ek_profile prof;
    uint16_t pan;
    uint8_t channel;
    char root_name[PF_NAME_MAX];   /* "harness" or a node */
    int root_node;                 /* -1: the harness */
    uint32_t eb_period_ms, dio_period_ms, dio_imin_ms, adopt_ms, slack_ms;
    uint8_t dio_doublings, dio_redundancy, ocp;
    uint16_t mhri;
    uint8_t network_id[16], network_id_len;
    uint8_t root_ext[8], rogue_ext[8];
    char hub_host[16];
    uint16_t hub_port;
    unsigned seed;
    pf_node nodes[PF_MAX_NODES];
    size_t n_nodes;
    pf_link links[PF_MAX_LINKS];
    size_t n_links;
    pf_step steps[PF_MAX_STEPS];
    size_t n_steps;
    int net_seen[32];
} pf_setup;

/* ---- small parsers ---------------------------------------------------------------------- */

static bool parse_u(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s || *s == '-' || *s == '+')
        return false;
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(s, &end, 0);
    if (errno || end == s)
        return false;
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

static bool parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = { "true", "yes", "on", "1" };
    static const char *const no[] = { "false", "no", "off", "0" };
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return *out = true, true;
        if (strcasecmp(s, no[i]) == 0)
            return *out = false, true;
    }
    return false;
}

/* 1..16 octets of hex ("fd00000000000000", ':' or '-' between octets allowed). */
static bool parse_hex_id(const char *s, uint8_t *out, uint8_t *len)
{
    int n = ek_hex_octets(s, out, 16);
    if (n < 1)
        return false;
    *len = (uint8_t)n;
    return true;
}

static bool valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= PF_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.'))
            return false;
    }
    return strcmp(s, "root") != 0 && strcmp(s, "rogue") != 0 && strcmp(s, "harness") != 0;
}

static void fmt_ext(const uint8_t e[8], char out[24])
{
    snprintf(out, 24, "%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x", e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7]);
}

/* RFC 6550 §7.2: the next value of a lollipop counter (127 and 255 wrap to 0). */
static uint8_t lollipop_next(uint8_t v)
{
    return (v == 127 || v == 255) ? 0 : (uint8_t)(v + 1);
}

/* ---- INI reading -------------------------------------------------------------------------- */

typedef struct pf_parse {
    pf_setup *s;
    const char *file;
    FILE *f;
    int line;
    bool raw_indented;
    int err_line;
    char *err;
    size_t errlen;
    char section[80];              /* the current section as the reader saw its header */
    int section_line;
    int node;                      /* the current [node NAME], -1 */
    char last_key[64];             /* for continuation lines */
    char last_section[80];
} pf_parse;

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void perr(pf_parse *p, int line, const char *what, const char *fmt, ...)
{
    if (p->err_line)
        return; /* the first error is the one that counts */
    p->err_line = line ? line : 1;
    char why[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    snprintf(p->err, p->errlen, "%s:%d: %s: %s", p->file, p->err_line, what, why);
}

/* fgets-style reader for ini_parse_stream: counts lines (Debian's libinih passes no line
 * number to the handler), remembers section headers (a section without keys still
 * exists) and turns an over-long line into an error instead of letting libinih parse
 * its tail as a line of its own. */
static char *pf_reader(char *str, int num, void *stream)
{
    pf_parse *p = stream;
    if (!fgets(str, num, p->f))
        return NULL;
    p->line++;
    p->raw_indented = str[0] == ' ' || str[0] == '\t';
    size_t n = strlen(str);
    if (n > 0 && str[n - 1] != '\n' && !feof(p->f)) {
        int ch;
        while ((ch = fgetc(p->f)) != EOF && ch != '\n') {
        }
        perr(p, p->line, "line", "longer than %d characters (libinih limit; continue a long command on "
                                 "indented lines)", PF_MAX_LINE - 2);
        snprintf(str, (size_t)num, "\n");
        return str;
    }
    const char *q = str;
    while (*q == ' ' || *q == '\t')
        q++;
    if (*q == '[') {
        const char *e = strchr(q, ']');
        size_t len = e ? (size_t)(e - q - 1) : 0;
        if (e && len >= sizeof p->section)
            perr(p, p->line, "section", "a section name of more than %zu characters", sizeof p->section - 1);
        else if (e) {
            /* libinih trims the name; so do we */
            const char *b = q + 1;
            while (len && (*b == ' ' || *b == '\t'))
                b++, len--;
            while (len && (b[len - 1] == ' ' || b[len - 1] == '\t'))
                len--;
            memcpy(p->section, b, len);
            p->section[len] = 0;
            p->section_line = p->line;
            if (strncmp(p->section, "node", 4) == 0 && (p->section[4] == ' ' || p->section[4] == '\t' ||
                                                         p->section[4] == 0)) {
                /* a [node NAME] section exists from its header on, keys or not */
                const char *nm = p->section + 4;
                while (*nm == ' ' || *nm == '\t')
                    nm++;
                pf_setup *s = p->s;
                if (!valid_name(nm))
                    perr(p, p->line, "section", "[%s]: a node name is 1..%d of A-Z a-z 0-9 - _ . and not root, "
                                                "rogue or harness", p->section, PF_NAME_MAX - 1);
                else if (s->n_nodes >= PF_MAX_NODES)
                    perr(p, p->line, "section", "more than %d nodes", PF_MAX_NODES);
                else {
                    for (size_t i = 0; i < s->n_nodes; i++)
                        if (strcmp(s->nodes[i].name, nm) == 0) {
                            perr(p, p->line, "section", "[node %s] given twice (first on line %d)", nm,
                                 s->nodes[i].line);
                            return str;
                        }
                    pf_node *nd = &s->nodes[s->n_nodes++];
                    memset(nd, 0, sizeof *nd);
                    snprintf(nd->name, sizeof nd->name, "%s", nm);
                    nd->line = p->line;
                }
            } else if (strcmp(p->section, "network") != 0 && strcmp(p->section, "links") != 0 &&
                       strcmp(p->section, "scenario") != 0) {
                perr(p, p->line, "section", "[%s]: unknown section (expected [network], [node NAME], [links] or "
                                            "[scenario])", p->section);
            }
        }
    }
    return str;
}

static int node_index(const pf_setup *s, const char *name)
{
    for (size_t i = 0; i < s->n_nodes; i++)
        if (strcmp(s->nodes[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* [network] */
enum {
    NK_EP_PROFILE, NK_EP_TYPE, NK_IE_PROFILE, NK_PAN, NK_CHANNEL, NK_ROOT, NK_EB_PERIOD, NK_NETWORK_ID,
    NK_DIO_PERIOD, NK_IMIN, NK_DOUBLINGS, NK_REDUNDANCY, NK_MHRI, NK_OCP, NK_ADOPT, NK_SLACK, NK_ROOT_ADDR,
    NK_ROGUE_ADDR, NK_HUB, NK_HUB_PORT, NK_SEED, NK_NAME, NK_COUNT
};
static const char *const net_keys[NK_COUNT] = {
    "ep_profile", "ep_type", "ie_profile", "pan", "channel", "root", "eb_period_ms", "network_id",
    "dio_period_ms", "dio_imin_ms", "dio_doublings", "dio_redundancy", "min_hop_rank_inc", "ocp", "adopt_ms",
    "slack_ms", "root_address", "rogue_address", "hub", "hub_port", "seed", "name"
};

static bool net_set(pf_setup *s, int k, const char *v, char *why, size_t wl)
{
    unsigned long x;
    switch (k) {
    case NK_EP_PROFILE:
        if (ek_mep_profile_parse(v, &s->prof.mep))
            return true;
        snprintf(why, wl, "'%s': expected draft-03, draft-04, draft-09 or draft-16", v);
        return false;
    case NK_EP_TYPE:
        /* RFC 6550 §6.7: 0x00-0x09 are RPL's own options; IANA has assigned none to the
         * enrollment option (provisional default 0x2a) */
        if (parse_u(v, 0x0a, 0xff, &x))
            return s->prof.mep_type = (uint8_t)x, true;
        snprintf(why, wl, "'%s': expected an option type 0x0a..0xff", v);
        return false;
    case NK_IE_PROFILE:
        if (ek_ji_profile_parse(v, &s->prof.ji))
            return true;
        snprintf(why, wl, "'%s': expected rfc9032-literal or byte-aligned", v);
        return false;
    case NK_PAN:
        if (parse_u(v, 0, 0xfffe, &x)) /* 0xffff is the broadcast PAN ID (§7.2.2.4) */
            return s->pan = (uint16_t)x, true;
        snprintf(why, wl, "'%s': expected a PAN ID 0..0xfffe", v);
        return false;
    case NK_CHANNEL:
        if (parse_u(v, 11, 26, &x)) /* IEEE 802.15.4-2015 §10.1.2.2 */
            return s->channel = (uint8_t)x, true;
        snprintf(why, wl, "'%s': expected a channel 11..26", v);
        return false;
    case NK_ROOT:
        if (strlen(v) >= sizeof s->root_name || (!valid_name(v) && strcmp(v, "harness") != 0)) {
            snprintf(why, wl, "'%s': expected harness or the name of a [node NAME]", v);
            return false;
        }
        snprintf(s->root_name, sizeof s->root_name, "%s", v);
        return true;
    case NK_EB_PERIOD:
    case NK_DIO_PERIOD:
    case NK_ADOPT:
    case NK_SLACK:
        if (!parse_u(v, k == NK_SLACK ? 0 : 10, 600000, &x)) {
            snprintf(why, wl, "'%s': expected milliseconds %u..600000", v, k == NK_SLACK ? 0u : 10u);
            return false;
        }
        if (k == NK_EB_PERIOD)
            s->eb_period_ms = (uint32_t)x;
        else if (k == NK_DIO_PERIOD)
            s->dio_period_ms = (uint32_t)x;
        else if (k == NK_ADOPT)
            s->adopt_ms = (uint32_t)x;
        else
            s->slack_ms = (uint32_t)x;
        return true;
    case NK_NETWORK_ID:
        if (parse_hex_id(v, s->network_id, &s->network_id_len))
            return true;
        snprintf(why, wl, "'%s': expected 1..16 octets in hex (RFC 9032 §2)", v);
        return false;
    case NK_IMIN:
        /* RFC 6550 §6.7.6: DIOIntMin is a power of two in ms */
        if (parse_u(v, 1, 1u << 20, &x) && (x & (x - 1)) == 0)
            return s->dio_imin_ms = (uint32_t)x, true;
        snprintf(why, wl, "'%s': expected a power of two 1..1048576 (DIOIntMin = log2, RFC 6550 §6.7.6)", v);
        return false;
    case NK_DOUBLINGS:
    case NK_REDUNDANCY:
        if (!parse_u(v, 0, k == NK_DOUBLINGS ? 20 : 255, &x)) {
            snprintf(why, wl, "'%s': expected 0..%u", v, k == NK_DOUBLINGS ? 20u : 255u);
            return false;
        }
        if (k == NK_DOUBLINGS)
            s->dio_doublings = (uint8_t)x;
        else
            s->dio_redundancy = (uint8_t)x;
        return true;
    case NK_MHRI:
        if (parse_u(v, 1, 0x8000, &x))
            return s->mhri = (uint16_t)x, true;
        snprintf(why, wl, "'%s': expected MinHopRankIncrease 1..32768 (RFC 6550 §6.7.6)", v);
        return false;
    case NK_OCP:
        if (parse_u(v, 0, 1, &x)) /* OF0 (RFC 6552), MRHOF (RFC 6719) */
            return s->ocp = (uint8_t)x, true;
        snprintf(why, wl, "'%s': expected 0 (OF0) or 1 (MRHOF)", v);
        return false;
    case NK_ROOT_ADDR:
    case NK_ROGUE_ADDR:
        if (ek_eui64_parse(v, k == NK_ROOT_ADDR ? s->root_ext : s->rogue_ext))
            return true;
        snprintf(why, wl, "'%s': expected an EUI-64 such as 02:00:5e:ef:00:00:00:0a", v);
        return false;
    case NK_HUB:
        if (strcmp(v, "127.0.0.1") == 0 || strcmp(v, "::1") == 0)
            return snprintf(s->hub_host, sizeof s->hub_host, "%s", v), true;
        snprintf(why, wl, "'%s': expected 127.0.0.1 or ::1 (loopback only)", v);
        return false;
    case NK_HUB_PORT:
        if (parse_u(v, 0, 65535, &x))
            return s->hub_port = (uint16_t)x, true;
        snprintf(why, wl, "'%s': expected a UDP port, 0 = ephemeral", v);
        return false;
    case NK_SEED:
        if (parse_u(v, 0, 1000000, &x))
            return s->seed = (unsigned)x, true;
        snprintf(why, wl, "'%s': expected 0..1000000", v);
        return false;
    case NK_NAME:
        if (strlen(v) < sizeof s->name && v[0])
            return snprintf(s->name, sizeof s->name, "%s", v), true;
        snprintf(why, wl, "expected 1..%zu characters", sizeof s->name - 1);
        return false;
    default:
        return false;
    }
}

/* [node NAME] */
enum {
    DK_ADDRESS, DK_COMMAND, DK_REFDUT, DK_LEGACY, DK_ROLE, DK_VENDOR, DK_DESCRIPTION, DK_NETWORK_ID,
    DK_PAN_PRIORITY, DK_EXPECT, DK_COUNT
};
static const char *const node_keys[DK_COUNT] = { "address", "command", "refdut", "legacy", "role", "vendor",
                                                 "description", "network_id", "pan_priority", "expect" };

static bool node_set(pf_node *n, int k, const char *v, bool append, char *why, size_t wl)
{
    unsigned long x;
    switch (k) {
    case DK_ADDRESS:
        if (ek_eui64_parse(v, n->ext))
            return n->has_ext = true, true;
        snprintf(why, wl, "'%s': expected an EUI-64 such as 02:00:5e:ef:00:00:01:01", v);
        return false;
    case DK_COMMAND:
    case DK_REFDUT:
    case DK_DESCRIPTION: {
        char *dst = k == DK_DESCRIPTION ? n->description : n->command;
        size_t cap = k == DK_DESCRIPTION ? sizeof n->description : sizeof n->command;
        size_t have = append ? strlen(dst) : 0;
        int w = snprintf(dst + have, cap - have, "%s%s", append && have ? " " : "", v);
        if (w < 0 || (size_t)w >= cap - have) {
            snprintf(why, wl, "longer than %zu characters", cap - 1);
            return false;
        }
        if (k == DK_REFDUT)
            n->is_refdut = true;
        return true;
    }
    case DK_LEGACY:
        if (parse_bool(v, &n->legacy))
            return true;
        snprintf(why, wl, "'%s': expected true or false", v);
        return false;
    case DK_ROLE:
        if (strcmp(v, "6lr") == 0 || strcmp(v, "root") == 0)
            return n->role_root = v[0] == 'r', n->has_role = true, true;
        snprintf(why, wl, "'%s': expected 6lr or root", v);
        return false;
    case DK_VENDOR:
        if (strlen(v) < sizeof n->vendor)
            return snprintf(n->vendor, sizeof n->vendor, "%s", v), true;
        snprintf(why, wl, "longer than %zu characters", sizeof n->vendor - 1);
        return false;
    case DK_NETWORK_ID:
        if (parse_hex_id(v, n->network_id, &n->network_id_len))
            return n->has_network_id = true, true;
        snprintf(why, wl, "'%s': expected 1..16 octets in hex (RFC 9032 §2)", v);
        return false;
    case DK_PAN_PRIORITY:
        if (parse_u(v, 0, 255, &x))
            return n->pan_priority = (uint8_t)x, n->has_pan_priority = true, true;
        snprintf(why, wl, "'%s': expected 0..255 (RFC 9032 §2)", v);
        return false;
    case DK_EXPECT:
        return true; /* for test scripts (tools/tests/plugfest_test.sh); the harness ignores it */
    default:
        return false;
    }
}

/* "root min=0x50 version=241 t=1 size=20 unknown-option=0xf0|none",
 * "rogue min=0x00 version=250 rank=4096 | rogue off", "mark TEXT", "end". */
static bool parse_step(const char *v, pf_step *st, char *why, size_t wl)
{
    memset(st, 0, sizeof *st);
    st->unknown = -1;
    snprintf(st->text, sizeof st->text, "%s", v);
    char buf[256];
    if (strlen(v) >= sizeof buf) {
        snprintf(why, wl, "longer than %zu characters", sizeof buf - 1);
        return false;
    }
    snprintf(buf, sizeof buf, "%s", v);
    char *save = NULL;
    char *w = strtok_r(buf, " \t", &save);
    if (!w) {
        snprintf(why, wl, "empty step (expected root ..., rogue ..., mark TEXT or end)");
        return false;
    }
    if (strcmp(w, "end") == 0) {
        st->act = PF_ACT_END;
        if (strtok_r(NULL, " \t", &save)) {
            snprintf(why, wl, "'end' takes nothing after it");
            return false;
        }
        return true;
    }
    if (strcmp(w, "mark") == 0) {
        st->act = PF_ACT_MARK;
        const char *rest = v + 4;
        while (*rest == ' ' || *rest == '\t')
            rest++;
        if (!*rest) {
            snprintf(why, wl, "'mark' needs a text");
            return false;
        }
        snprintf(st->text, sizeof st->text, "%s", rest);
        return true;
    }
    if (strcmp(w, "root") != 0 && strcmp(w, "rogue") != 0) {
        snprintf(why, wl, "'%s': a step starts with root, rogue, mark or end", w);
        return false;
    }
    st->act = w[1] == 'o' && w[2] == 'o' ? PF_ACT_ROOT : PF_ACT_ROGUE;
    bool any = false;
    while ((w = strtok_r(NULL, " \t", &save))) {
        any = true;
        unsigned long x;
        char *eq = strchr(w, '=');
        if (st->act == PF_ACT_ROGUE && strcmp(w, "off") == 0) {
            st->off = true;
            continue;
        }
        if (!eq) {
            snprintf(why, wl, "'%s': expected KEY=VALUE (min, version, t, size, %s)", w,
                     st->act == PF_ACT_ROOT ? "unknown-option" : "rank, or off");
            return false;
        }
        *eq = 0;
        const char *val = eq + 1;
        if (strcmp(w, "min") == 0) {
            /* draft-16 §3.1: 7 bits, 0x7f = enrollment off */
            if (!parse_u(val, 0, EK_MEP_PRIO_DISABLED, &x))
                return snprintf(why, wl, "min=%s: expected 0..0x7f", val), false;
            st->has_min = true, st->min = (uint8_t)x;
        } else if (strcmp(w, "version") == 0) {
            if (!parse_u(val, 0, 255, &x))
                return snprintf(why, wl, "version=%s: expected 0..255 (lollipop, RFC 6550 §7.2)", val), false;
            st->has_version = true, st->version = (uint8_t)x;
        } else if (strcmp(w, "t") == 0) {
            if (!parse_bool(val, &st->t))
                return snprintf(why, wl, "t=%s: expected 0 or 1", val), false;
            st->has_t = true;
        } else if (strcmp(w, "size") == 0) {
            if (!parse_u(val, 0, 0xffffffffu, &x))
                return snprintf(why, wl, "size=%s: expected a DODAG size", val), false;
            st->has_size = true, st->size = (uint32_t)x;
        } else if (strcmp(w, "rank") == 0 && st->act == PF_ACT_ROGUE) {
            if (!parse_u(val, 1, 0xfffe, &x))
                return snprintf(why, wl, "rank=%s: expected 1..0xfffe", val), false;
            st->has_rank = true, st->rank = (uint16_t)x;
        } else if (strcmp(w, "unknown-option") == 0 && st->act == PF_ACT_ROOT) {
            if (strcmp(val, "none") == 0)
                st->unknown = -2;
            else if (parse_u(val, 0x0a, 0xff, &x))
                st->unknown = (int)x; /* RFC 6550 §6.7: 0x00-0x09 are known options */
            else
                return snprintf(why, wl, "unknown-option=%s: expected an option type 0x0a..0xff or none", val),
                       false;
        } else {
            snprintf(why, wl, "'%s': unknown key for %s (min, version, t, size, %s)", w,
                     st->act == PF_ACT_ROOT ? "root" : "rogue", st->act == PF_ACT_ROOT ? "unknown-option" : "rank, off");
            return false;
        }
    }
    if (!any) {
        snprintf(why, wl, "'%s' needs something to change", st->act == PF_ACT_ROOT ? "root" : "rogue");
        return false;
    }
    if (st->off && (st->has_min || st->has_version || st->has_rank || st->has_t || st->has_size)) {
        snprintf(why, wl, "'rogue off' takes nothing else");
        return false;
    }
    return true;
}

static int pf_handler(void *user, const char *section, const char *name, const char *value)
{
    pf_parse *p = user;
    pf_setup *s = p->s;
    char what[128], why[400];
    if (!value)
        value = "";
    if (p->err_line)
        return 1;
    bool cont = p->raw_indented && strcmp(p->last_section, section) == 0 && strcmp(p->last_key, name) == 0;
    snprintf(p->last_section, sizeof p->last_section, "%s", section);
    snprintf(p->last_key, sizeof p->last_key, "%s", name);
    if (!section[0]) {
        perr(p, p->line, name, "key outside a section (start with [network])");
        return 1;
    }
    if (strcmp(section, "network") == 0) {
        snprintf(what, sizeof what, "network.%s", name);
        int k = -1;
        for (int i = 0; i < NK_COUNT; i++)
            if (strcmp(net_keys[i], name) == 0)
                k = i;
        if (k < 0) {
            perr(p, p->line, what, "unknown key (ep_profile, ep_type, ie_profile, pan, channel, root, eb_period_ms, "
                                   "network_id, dio_period_ms, dio_imin_ms, dio_doublings, dio_redundancy, "
                                   "min_hop_rank_inc, ocp, adopt_ms, slack_ms, root_address, rogue_address, hub, "
                                   "hub_port, seed, name)");
            return 1;
        }
        if (s->net_seen[k]) {
            perr(p, p->line, what, cont ? "continuation lines are not allowed (value starts on line %d)"
                                        : "given twice (first on line %d)",
                 s->net_seen[k]);
            return 1;
        }
        s->net_seen[k] = p->line;
        if (!net_set(s, k, value, why, sizeof why))
            perr(p, p->line, what, "%s", why);
        return 1;
    }
    if (strncmp(section, "node", 4) == 0 && (section[4] == ' ' || section[4] == '\t')) {
        const char *nm = section + 5;
        while (*nm == ' ' || *nm == '\t')
            nm++;
        int ni = node_index(s, nm);
        if (ni < 0)
            return 1; /* the reader reported the section */
        pf_node *n = &s->nodes[ni];
        snprintf(what, sizeof what, "[node %s] %s", n->name, name);
        int k = -1;
        for (int i = 0; i < DK_COUNT; i++)
            if (strcmp(node_keys[i], name) == 0)
                k = i;
        if (k < 0) {
            perr(p, p->line, what, "unknown key (address, command, refdut, legacy, role, vendor, description, "
                                   "network_id, pan_priority, expect)");
            return 1;
        }
        bool append = false;
        if (n->seen[k]) {
            if (cont && (k == DK_COMMAND || k == DK_REFDUT || k == DK_DESCRIPTION)) {
                append = true;
            } else {
                perr(p, p->line, what, cont ? "continuation lines are only allowed for command, refdut and "
                                              "description"
                                            : "given twice (first on line %d)",
                     n->seen[k]);
                return 1;
            }
        } else {
            n->seen[k] = p->line;
        }
        if ((k == DK_COMMAND && n->seen[DK_REFDUT]) || (k == DK_REFDUT && n->seen[DK_COMMAND])) {
            perr(p, p->line, what, "give command or refdut, not both (the other is on line %d)",
                 n->seen[k == DK_COMMAND ? DK_REFDUT : DK_COMMAND]);
            return 1;
        }
        if (!node_set(n, k, value, append, why, sizeof why))
            perr(p, p->line, what, "%s", why);
        return 1;
    }
    if (strcmp(section, "links") == 0) {
        snprintf(what, sizeof what, "links.%s", name);
        char buf[PF_MAX_LINE + 8];
        snprintf(buf, sizeof buf, "%s", value);
        char *save = NULL;
        int count = 0;
        for (char *w = strtok_r(buf, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save)) {
            if (s->n_links >= PF_MAX_LINKS) {
                perr(p, p->line, what, "more than %d links", PF_MAX_LINKS);
                return 1;
            }
            if (strlen(name) >= PF_NAME_MAX || strlen(w) >= PF_NAME_MAX) {
                perr(p, p->line, what, "'%s': names are at most %d characters", w, PF_NAME_MAX - 1);
                return 1;
            }
            pf_link *l = &s->links[s->n_links++];
            snprintf(l->a, sizeof l->a, "%s", name);
            snprintf(l->b, sizeof l->b, "%s", w);
            l->line = p->line;
            count++;
        }
        if (!count)
            perr(p, p->line, what, "expected the names this node hears (NAME = OTHER OTHER ...)");
        return 1;
    }
    if (strcmp(section, "scenario") == 0) {
        snprintf(what, sizeof what, "scenario.%s", name);
        char *end = NULL;
        errno = 0;
        double t = strtod(name, &end);
        if (errno || end == name || *end || !(t >= 0 && t <= 86400)) {
            perr(p, p->line, what, "the key is the step's time in seconds (0..86400), e.g. 4 or 2.5");
            return 1;
        }
        if (s->n_steps >= PF_MAX_STEPS) {
            perr(p, p->line, what, "more than %d steps", PF_MAX_STEPS);
            return 1;
        }
        pf_step *st = &s->steps[s->n_steps];
        if (!parse_step(value, st, why, sizeof why)) {
            perr(p, p->line, what, "%s", why);
            return 1;
        }
        st->t_s = t;
        st->line = p->line;
        s->n_steps++;
        return 1;
    }
    return 1; /* unknown section: the reader reported it */
}

static void setup_defaults(pf_setup *s, const char *path)
{
    memset(s, 0, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", path);
    ek_profile_default(&s->prof);
    s->pan = 0xface;
    s->channel = 26;
    snprintf(s->root_name, sizeof s->root_name, "harness");
    s->root_node = -1;
    s->eb_period_ms = 100;
    s->dio_period_ms = 250;
    s->dio_imin_ms = 16;       /* DIOIntMin 4 */
    s->dio_doublings = 5;      /* Imax 512 ms: a short run still sees the steady state */
    s->dio_redundancy = 10;    /* RFC 6550 §17 DEFAULT_DIO_REDUNDANCY_CONSTANT */
    s->mhri = 256;             /* RFC 6550 §17 DEFAULT_MIN_HOP_RANK_INCREASE */
    s->adopt_ms = 2000;
    s->slack_ms = 100;
    /* RFC 9032 §2 network ID: the reference node advertises the first 8 octets of the
     * DODAGID (fd00::1); the root's EBs do the same by default */
    s->network_id[0] = 0xfd;
    s->network_id_len = 8;
    memcpy(s->root_ext, ROOT_EXT, 8);
    memcpy(s->rogue_ext, ROGUE_EXT, 8);
    snprintf(s->hub_host, sizeof s->hub_host, "127.0.0.1");
    s->seed = 1;
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    snprintf(s->name, sizeof s->name, "%.63s", b);
    char *dot = strrchr(s->name, '.');
    if (dot && dot != s->name && strcmp(dot, ".ini") == 0)
        *dot = 0;
}

/* The default scenario (emulated seconds; --duration-scale multiplies): a raise with
 * T = 1 (draft-16 §3.2: a Trickle reset), a lowering, a minimum near the top (minimum +
 * local cost must saturate at 0x7f, draft-16 §3.2), 0x7f (enrollment off, §3.1) and back
 * on, a new Version with each change, then an unknown option type in the root's DIOs
 * (RFC 6550 §6.7.1: skipped, never propagated) and a rogue neighbour far down the DODAG
 * with a newer Version and minimum 0 (adopted only from the preferred parent, -16 §3.1). */
static void default_scenario(pf_setup *s, bool harness_root)
{
    static const struct { double t; const char *v; } root_steps[] = {
        { 0.0, "root min=0x20 version=240" },
        { 1.25, "root min=0x50 version=241 t=1" },
        { 2.5, "root min=0x30 version=242" },
        { 3.75, "root min=0x7c version=243" },
        { 5.0, "root min=0x7f version=244" },
        { 6.25, "root min=0x40 version=245" },
        { 7.5, "root unknown-option=0xf0" },
        { 8.5, "rogue min=0x00 version=250" },
        { 10.0, "end" },
    };
    static const struct { double t; const char *v; } node_root_steps[] = {
        { 0.0, "mark the network forms under its own root" },
        { 6.0, "rogue min=0x00 version=250" },
        { 10.0, "end" },
    };
    char why[200];
    s->n_steps = 0;
    size_t n = harness_root ? sizeof root_steps / sizeof root_steps[0] : sizeof node_root_steps / sizeof node_root_steps[0];
    for (size_t i = 0; i < n; i++) {
        pf_step *st = &s->steps[s->n_steps++];
        if (!parse_step(harness_root ? root_steps[i].v : node_root_steps[i].v, st, why, sizeof why))
            abort(); /* a constant above is wrong: a build defect, caught by every test run */
        st->t_s = harness_root ? root_steps[i].t : node_root_steps[i].t;
        st->line = 0;
    }
}

static int cmp_steps(const void *a, const void *b)
{
    const pf_step *x = a, *y = b;
    if (x->t_s != y->t_s)
        return x->t_s < y->t_s ? -1 : 1;
    return x->line - y->line; /* stable: file order at one time */
}

/* Cross-key checks once the file is read: each names the file, the line and the key. */
static void setup_check(pf_parse *p)
{
    pf_setup *s = p->s;
    char what[96];
    if (!s->n_nodes) {
        perr(p, 1, "node", "no [node NAME] section: a plugfest needs at least one device");
        return;
    }
    bool harness_root = strcmp(s->root_name, "harness") == 0;
    for (size_t i = 0; i < s->n_nodes && !p->err_line; i++) {
        pf_node *n = &s->nodes[i];
        snprintf(what, sizeof what, "[node %s]", n->name);
        if (!n->has_ext)
            perr(p, n->line, what, "address = EUI-64 is required");
        else if (!n->command[0] && !n->is_refdut)
            perr(p, n->line, what, "command = SHELL COMMAND or refdut = ARGS is required");
        else if ((harness_root && memcmp(n->ext, s->root_ext, 8) == 0) || memcmp(n->ext, s->rogue_ext, 8) == 0)
            perr(p, n->seen[DK_ADDRESS], what, "address is the harness's %s (network.%s)",
                 memcmp(n->ext, s->rogue_ext, 8) != 0 ? "root" : "rogue",
                 memcmp(n->ext, s->rogue_ext, 8) != 0 ? "root_address" : "rogue_address");
        for (size_t j = 0; j < i && !p->err_line; j++)
            if (memcmp(s->nodes[j].ext, n->ext, 8) == 0)
                perr(p, n->seen[DK_ADDRESS], what, "address already used by [node %s]", s->nodes[j].name);
    }
    if (p->err_line)
        return;
    if (harness_root && memcmp(s->root_ext, s->rogue_ext, 8) == 0) {
        perr(p, s->net_seen[NK_ROGUE_ADDR] ? s->net_seen[NK_ROGUE_ADDR] : s->net_seen[NK_ROOT_ADDR],
             "network.rogue_address", "the same EUI-64 as root_address");
        return;
    }
    /* the root: the harness, or one node whose role is root */
    if (!harness_root) {
        int ri = node_index(s, s->root_name);
        if (ri < 0) {
            perr(p, s->net_seen[NK_ROOT], "network.root", "'%s' is no [node NAME] of this file", s->root_name);
            return;
        }
        if (s->nodes[ri].has_role && !s->nodes[ri].role_root) {
            perr(p, s->nodes[ri].seen[DK_ROLE], "role", "[node %s] is network.root: its role must be root",
                 s->root_name);
            return;
        }
        s->nodes[ri].role_root = true;
        s->root_node = ri;
    }
    for (size_t i = 0; i < s->n_nodes; i++)
        if (s->nodes[i].role_root && (int)i != s->root_node) {
            snprintf(what, sizeof what, "[node %s] role", s->nodes[i].name);
            perr(p, s->nodes[i].seen[DK_ROLE], what, "root, but network.root is %s (one root per network)",
                 s->root_name);
            return;
        }
    /* links name nodes, root or rogue */
    for (size_t i = 0; i < s->n_links; i++) {
        const char *nm[2] = { s->links[i].a, s->links[i].b };
        for (int k = 0; k < 2; k++)
            if (strcmp(nm[k], "root") != 0 && strcmp(nm[k], "rogue") != 0 && node_index(s, nm[k]) < 0) {
                snprintf(what, sizeof what, "links.%s", s->links[i].a);
                perr(p, s->links[i].line, what, "'%s' is no [node NAME] (nor root, rogue)", nm[k]);
                return;
            }
        if (strcmp(s->links[i].a, s->links[i].b) == 0) {
            snprintf(what, sizeof what, "links.%s", s->links[i].a);
            perr(p, s->links[i].line, what, "a node linked to itself");
            return;
        }
    }
    /* scenario */
    if (!s->n_steps) {
        default_scenario(s, s->root_node < 0);
    } else {
        qsort(s->steps, s->n_steps, sizeof s->steps[0], cmp_steps);
        for (size_t i = 0; i < s->n_steps; i++) {
            pf_step *st = &s->steps[i];
            char t[32];
            snprintf(t, sizeof t, "scenario.%g", st->t_s);
            if (st->act == PF_ACT_ROOT && s->root_node >= 0) {
                perr(p, st->line, t, "root steps need the harness as root (network.root = %s: that node is "
                                     "configured by its own command)", s->root_name);
                return;
            }
            if (st->act == PF_ACT_ROOT && st->unknown >= 0 && st->unknown == s->prof.mep_type) {
                perr(p, st->line, t, "unknown-option=0x%02x is the enrollment option's type (network.ep_type)",
                     (unsigned)st->unknown);
                return;
            }
            if (st->has_size && s->prof.mep == EK_MEP_DRAFT03) {
                perr(p, st->line, t, "size=: the draft-03 layout has no DODAG size");
                return;
            }
            if (st->has_size) {
                uint8_t e;
                uint16_t c;
                if (!ek_minprio_size_encode(st->size, s->prof.mep, &e, &c)) {
                    perr(p, st->line, t, "size=%lu does not fit the %s layout", (unsigned long)st->size,
                         ek_mep_profile_name(s->prof.mep));
                    return;
                }
            }
            if (st->act == PF_ACT_END && i + 1 < s->n_steps) {
                snprintf(t, sizeof t, "scenario.%g", s->steps[i + 1].t_s);
                perr(p, s->steps[i + 1].line, t, "a step after 'end' (line %d)", st->line);
                return;
            }
        }
        if (s->steps[s->n_steps - 1].act != PF_ACT_END) {
            /* an implicit end two seconds after the last step */
            if (s->n_steps >= PF_MAX_STEPS) {
                perr(p, s->steps[s->n_steps - 1].line, "scenario", "more than %d steps", PF_MAX_STEPS - 1);
                return;
            }
            pf_step *e = &s->steps[s->n_steps++];
            memset(e, 0, sizeof *e);
            e->act = PF_ACT_END;
            e->t_s = s->steps[s->n_steps - 2].t_s + 2.0;
            e->unknown = -1;
            snprintf(e->text, sizeof e->text, "end");
        }
    }
}

/* 0, or -1 with "FILE:LINE: KEY: why" in err. */
static int setup_load(const char *path, pf_setup *s, char *err, size_t errlen)
{
    setup_defaults(s, path);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    pf_parse p = { .s = s, .file = path, .f = f, .err = err, .errlen = errlen, .node = -1 };
    int rc = ini_parse_stream(pf_reader, &p, pf_handler, &p);
    bool read_err = ferror(f);
    fclose(f);
    if (read_err) {
        snprintf(err, errlen, "%s: read error", path);
        return -1;
    }
    if (rc > 0 && (!p.err_line || rc < p.err_line)) {
        /* libinih's own syntax error (no '=' or an unclosed '[') came first */
        p.err_line = 0;
        perr(&p, rc, "syntax", "expected [section] or key = value");
    } else if (rc < 0 && !p.err_line) {
        snprintf(err, errlen, "%s: libinih error %d", path, rc);
        return -1;
    }
    if (!p.err_line)
        setup_check(&p);
    return p.err_line ? -1 : 0;
}

/* ---- node commands ---------------------------------------------------------------------- */

/* The enroll-refdut beside this binary: installed (same directory) or in the build tree
 * (tools/refdut/ next to tools/enroll-harness/); else the one on PATH. */
static void refdut_path(char *out, size_t n)
{
    char exe[PATH_MAX];
    ssize_t l = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (l > 0) {
        exe[l] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            char c[PATH_MAX + 32];
            snprintf(c, sizeof c, "%s/enroll-refdut", exe);
            if (access(c, X_OK) == 0 && strlen(c) < n) {
                snprintf(out, n, "%s", c);
                return;
            }
            snprintf(c, sizeof c, "%s/../refdut/enroll-refdut", exe);
            if (access(c, X_OK) == 0 && strlen(c) < n) {
                snprintf(out, n, "%s", c);
                return;
            }
        }
    }
    snprintf(out, n, "enroll-refdut");
}

/* 'text' for /bin/sh; false when it does not fit. */
static bool sh_quote(const char *in, char *out, size_t n)
{
    size_t w = 0;
    if (w + 1 >= n)
        return false;
    out[w++] = '\'';
    for (const char *c = in; *c; c++) {
        const char *piece = *c == '\'' ? "'\\''" : NULL;
        size_t pl = piece ? 4 : 1;
        if (w + pl + 2 >= n)
            return false;
        if (piece)
            memcpy(out + w, piece, pl);
        else
            out[w] = *c;
        w += pl;
    }
    out[w++] = '\'';
    out[w] = 0;
    return true;
}

/* Replaces {hub} {address} {seed} {name} {pan} {channel}; everything else (${VAR} too)
 * is left to the shell.  false when the result does not fit. */
static bool expand(const char *tmpl, const pf_setup *s, const pf_node *n, const char *hub, char *out, size_t cap)
{
    char addr[24], seed[16], pan[8], ch[4];
    fmt_ext(n->ext, addr);
    snprintf(seed, sizeof seed, "%u", n->seed);
    snprintf(pan, sizeof pan, "0x%04x", (unsigned)s->pan);
    snprintf(ch, sizeof ch, "%u", (unsigned)s->channel);
    const struct { const char *k, *v; } ph[] = { { "{hub}", hub },   { "{address}", addr }, { "{seed}", seed },
                                                 { "{name}", n->name }, { "{pan}", pan },  { "{channel}", ch } };
    size_t w = 0;
    for (const char *c = tmpl; *c;) {
        const char *v = NULL;
        size_t kl = 0;
        for (size_t i = 0; i < sizeof ph / sizeof ph[0] && !v; i++)
            if (strncmp(c, ph[i].k, strlen(ph[i].k)) == 0)
                v = ph[i].v, kl = strlen(ph[i].k);
        const char *src = v ? v : c;
        size_t sl = v ? strlen(v) : 1;
        if (w + sl + 1 > cap)
            return false;
        memcpy(out + w, src, sl);
        w += sl;
        c += v ? kl : 1;
    }
    out[w] = 0;
    return true;
}

/* The shell command of a node: its command =, or enroll-refdut with the network's
 * settings and its own ARGS after them (a later option wins). */
static bool node_command(const pf_setup *s, pf_node *n, const char *hub, const char *refdut, char *err, size_t errlen)
{
    char tmpl[PF_CMD_MAX + 512];
    if (n->is_refdut) {
        char q[PATH_MAX * 2];
        if (!sh_quote(refdut, q, sizeof q)) {
            snprintf(err, errlen, "[node %s]: the enroll-refdut path is too long", n->name);
            return false;
        }
        int w = snprintf(tmpl, sizeof tmpl,
                         "exec %s --radio {hub} --address {address} --seed {seed} --pan {pan} --channel {channel} "
                         "--ep-profile %s --ep-type 0x%02x --ie-profile %s --eb-period-ms %u%s%s%s",
                         q, ek_mep_profile_name(s->prof.mep), (unsigned)s->prof.mep_type,
                         ek_ji_profile_name(s->prof.ji), (unsigned)s->eb_period_ms, n->legacy ? " --legacy" : "",
                         n->command[0] ? " " : "", n->command);
        if (w < 0 || (size_t)w >= sizeof tmpl) {
            snprintf(err, errlen, "[node %s]: the enroll-refdut command is too long", n->name);
            return false;
        }
    } else {
        snprintf(tmpl, sizeof tmpl, "%s", n->command);
    }
    if (!expand(tmpl, s, n, hub, n->cmd_final, sizeof n->cmd_final)) {
        snprintf(err, errlen, "[node %s]: the command is too long once {hub}, {address}, {seed} are filled in",
                 n->name);
        return false;
    }
    return true;
}

/* ---- node processes (POSIX.1-2008 process groups, as harness/engine/dutproc.c) ----------- */

static void sleep_ms(unsigned ms)
{
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static const char *sig_name(int sig)
{
    switch (sig) {
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    case SIGQUIT: return "SIGQUIT";
    case SIGILL: return "SIGILL";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGSEGV: return "SIGSEGV";
    case SIGPIPE: return "SIGPIPE";
    case SIGTERM: return "SIGTERM";
    default: return "SIG?";
    }
}

static void status_text(int st, char *buf, size_t n)
{
    if (WIFEXITED(st))
        snprintf(buf, n, "exited with status %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        snprintf(buf, n, "killed by signal %d (%s)%s", WTERMSIG(st), sig_name(WTERMSIG(st)),
                 WCOREDUMP(st) ? ", core dumped" : "");
    else
        snprintf(buf, n, "status 0x%x", (unsigned)st);
}

/* sh -c COMMAND in a new process group; stdout and stderr into the node's log, stdin
 * /dev/null.  0, or -1 + err. */
static int node_spawn(pf_node *n, const char *hub, char *err, size_t errlen)
{
    int log_fd = open(n->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0666);
    if (log_fd < 0) {
        snprintf(err, errlen, "%s: %s", n->log_path, strerror(errno));
        return -1;
    }
    char addr[24], seed[16];
    fmt_ext(n->ext, addr);
    snprintf(seed, sizeof seed, "%u", n->seed);
    pid_t parent = getpid();
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        close(log_fd);
        return -1;
    }
    if (pid == 0) {
        setpgid(0, 0);
#ifdef __linux__
        /* the node goes when the harness does, even if the harness is killed outright */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(127);
#else
        (void)parent;
#endif
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0 && nul != STDIN_FILENO)
            dup2(nul, STDIN_FILENO), close(nul);
        dup2(log_fd, STDOUT_FILENO);
        dup2(log_fd, STDERR_FILENO);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        setenv("EK_HUB_URI", hub, 1);
        setenv("EK_NODE_NAME", n->name, 1);
        setenv("EK_NODE_ADDRESS", addr, 1);
        setenv("EK_NODE_SEED", seed, 1);
        execl("/bin/sh", "sh", "-c", n->cmd_final, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid); /* here too: no race with an early kill(-pid) */
    close(log_fd);
    n->pid = pid;
    n->started = true;
    return 0;
}

/* true while it runs; records the status once it ended. */
static bool node_alive(pf_node *n)
{
    if (!n->started || n->exited)
        return false;
    int st;
    pid_t r = waitpid(n->pid, &st, WNOHANG);
    if (r == 0)
        return true;
    n->exited = true;
    n->status = r == n->pid ? st : 0;
    n->t_exit_ns = ek_mono_ns();
    return false;
}

/* Every node's group gets SIGTERM, then SIGKILL after the grace; each is reaped.  A group
 * is signalled by this function only once (its ID may be reused after that). */
static void stop_all(pf_setup *s)
{
    for (size_t i = 0; i < s->n_nodes; i++) {
        pf_node *n = &s->nodes[i];
        if (!n->started || n->group_done)
            continue;
        if (node_alive(n))
            n->stopped_by_us = true;
        kill(-n->pid, SIGTERM); /* the group: a shell's children too */
    }
    for (unsigned w = 0; w < STOP_GRACE_MS; w += 10) {
        bool any = false;
        for (size_t i = 0; i < s->n_nodes; i++)
            any |= !s->nodes[i].group_done && node_alive(&s->nodes[i]);
        if (!any)
            break;
        sleep_ms(10);
    }
    for (size_t i = 0; i < s->n_nodes; i++) {
        pf_node *n = &s->nodes[i];
        if (!n->started || n->group_done)
            continue;
        kill(-n->pid, SIGKILL); /* leftovers of the group, and a leader that ignored SIGTERM */
        if (!n->exited) {
            int st;
            if (waitpid(n->pid, &st, 0) == n->pid)
                n->status = st;
            n->exited = true;
            n->t_exit_ns = ek_mono_ns();
        }
        n->group_done = true;
    }
}

/* ---- the run ------------------------------------------------------------------------------ */

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

typedef struct pf_opts {
    const char *setup, *out;
    double scale;
    bool has_seed, quiet;
    unsigned seed;
    char cmdline[2048];
} pf_opts;

typedef struct printed_key {
    size_t node;
    unsigned rule;
    uint64_t more;
} printed_key;

typedef struct pf_run {
    pf_setup *s;
    const pf_opts *o;
    ek_zephub *hub;
    ek_netcheck *nc;
    ek_frame *f;
    FILE *jsonl;
    ek_ncr_capture *cap;
    char dir[PATH_MAX];
    char p_capture[PATH_MAX + 32], p_jsonl[PATH_MAX + 32], p_junit[PATH_MAX + 32], p_summary[PATH_MAX + 32],
        p_html[PATH_MAX + 32], p_setup[PATH_MAX + 32], p_args[PATH_MAX + 32];
    uint64_t frame_no;
    uint64_t t0;                   /* monotonic ns of scenario time 0 */
    int64_t wall_off;              /* CLOCK_REALTIME - CLOCK_MONOTONIC at the start, ns */
    bool io_failed, harness_failed;
    size_t waiting;                /* the node whose registration we await, SIZE_MAX none */
    /* the root the harness plays */
    bool root_has_min, root_t, root_has_size;
    uint8_t root_min, root_version;
    uint32_t root_size;
    int root_unknown;              /* option type, -1 none */
    uint8_t root_seq, rogue_seq;
    /* the rogue */
    bool rogue_on, rogue_has_min, rogue_t, rogue_has_size;
    uint8_t rogue_min, rogue_version;
    uint32_t rogue_size;
    uint16_t rogue_rank;
    /* the DODAG a node root announced (root = NODE): the rogue joins it */
    bool dodag_known;
    uint8_t dodag_instance, dodag_version, dodagid[16];
    /* findings printed on stderr: the first per node and rule */
    printed_key printed[512];
    size_t n_printed;
    uint64_t findings;
} pf_run;

static uint64_t wall_of(const pf_run *r, uint64_t mono)
{
    return (uint64_t)((int64_t)mono + r->wall_off);
}

static double rel_s(const pf_run *r, uint64_t mono)
{
    return mono >= r->t0 ? (double)(mono - r->t0) / 1e9 : -(double)(r->t0 - mono) / 1e9;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void progress(const pf_run *r, const char *fmt, ...)
{
    if (r->o->quiet)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    double t = r->t0 ? rel_s(r, ek_mono_ns()) : 0.0;
    fprintf(stderr, "[%7.2f s] %s\n", t, line);
}

static void on_finding(void *ctx, const ek_nc_finding *f)
{
    pf_run *r = ctx;
    r->findings++;
    if (r->jsonl) {
        ek_ncr_jsonl_finding(r->jsonl, r->nc, f);
        if (fflush(r->jsonl) != 0)
            r->io_failed = true;
    }
    if (r->cap)
        ek_ncr_capture_note(r->cap, r->nc, f);
    /* stderr: the first finding per node and rule; the rest are in findings.jsonl */
    const ek_nc_node *nd = ek_nc_node_at(r->nc, f->node);
    if (r->o->quiet || (nd && nd->stimulus))
        return;
    for (size_t i = 0; i < r->n_printed; i++)
        if (r->printed[i].node == f->node && r->printed[i].rule == f->rule) {
            r->printed[i].more++;
            return;
        }
    if (r->n_printed < sizeof r->printed / sizeof r->printed[0])
        r->printed[r->n_printed++] = (printed_key){ .node = f->node, .rule = f->rule };
    size_t nr;
    const ek_nc_rule *rules = ek_nc_rules(&nr);
    char label[96];
    ek_nc_node_label(r->nc, f->node, label, sizeof label);
    progress(r, "%s %s %s frame %" PRIu64 ": %s", f->severity == EK_MON_FAIL ? "FAIL" : "INFO",
             f->rule < nr ? rules[f->rule].name : "?", label, f->frame_no, f->msg);
}

/* Every frame on the channel, in the order the hub saw them: judged, then recorded
 * (the findings it caused become its packet comments). */
static void take_frame(pf_run *r, const ek_zephub_event *ev)
{
    r->frame_no++;
    uint64_t t = wall_of(r, ev->t_ns);
    ek_status st = ek_frame_decode(ek_view_make(ev->psdu, ev->len), true, &r->s->prof, r->f);
    ek_nc_frame(r->nc, r->f, st, r->f->n_errors ? &r->f->errors[0] : NULL, ev->fcs_ok, r->frame_no, t);
    if (r->cap && ek_ncr_capture_frame(r->cap, t, ev->psdu, ev->len) != 0 && !r->io_failed) {
        fprintf(stderr, "enroll-harness: %s\n", ek_ncr_capture_errmsg(r->cap));
        r->io_failed = true;
    }
    /* a node root's DODAG, for the rogue (RFC 6550 §6.3.1: instance, DODAGID, version) */
    if (r->s->root_node >= 0 && !r->dodag_known && r->f->sum.has_dio && ev->has_from &&
        memcmp(ev->from, r->s->nodes[r->s->root_node].ext, 8) == 0) {
        r->dodag_known = true;
        r->dodag_instance = r->f->sum.instance_id;
        r->dodag_version = r->f->sum.version;
        memcpy(r->dodagid, r->f->sum.dodagid, 16);
    }
}

static void mark(pf_run *r, uint64_t mono, const char *text)
{
    ek_nc_mark(r->nc, wall_of(r, mono), r->frame_no, text);
}

/* A client of the hub registered: name it after the node it is. */
static void take_client(pf_run *r, size_t ci)
{
    pf_setup *s = r->s;
    const ek_zephub_client *c = ek_zephub_client_at(r->hub, ci);
    if (!c)
        return;
    int ni = -1;
    /* its own EUI-64 (HELLO or first frame) names a node not yet registered */
    for (size_t i = 0; i < s->n_nodes && c->has_eui64; i++)
        if (!s->nodes[i].registered && memcmp(s->nodes[i].ext, c->eui64, 8) == 0)
            ni = (int)i;
    /* else it is the node started last (the nodes start one at a time) */
    if (ni < 0 && r->waiting != SIZE_MAX && !s->nodes[r->waiting].registered)
        ni = (int)r->waiting;
    char e[24] = "unknown";
    if (ni < 0) {
        if (c->has_eui64)
            fmt_ext(c->eui64, e);
        progress(r, "hub: a client not in the set-up registered from %s (EUI-64 %s)", c->addr, e);
        return;
    }
    pf_node *n = &s->nodes[ni];
    const char *how = c->how == EK_ZEPHUB_EUI_HELLO ? "HELLO" : c->how == EK_ZEPHUB_EUI_FRAME ? "first frame" : "?";
    char said[64] = "";
    if (c->has_eui64 && memcmp(c->eui64, n->ext, 8) != 0) {
        fmt_ext(c->eui64, e);
        snprintf(said, sizeof said, ", its %s said %s", how, e);
    }
    ek_zephub_client_set_eui64(r->hub, ci, n->ext);
    n->registered = true;
    n->client = ci;
    progress(r, "node %s registered from %s (%s%s)", n->name, c->addr, how, said);
}

static int hub_wait(pf_run *r, uint64_t deadline)
{
    ek_zephub_event ev;
    int rc = ek_zephub_poll(r->hub, &ev, deadline);
    if (rc < 0) {
        fprintf(stderr, "enroll-harness: %s\n", ek_zephub_errmsg(r->hub));
        r->harness_failed = true;
        return -1;
    }
    if (rc == 1) {
        if (ev.kind == EK_ZEPHUB_EV_CLIENT)
            take_client(r, ev.client);
        else
            take_frame(r, &ev);
    }
    return rc;
}

static void report_death(pf_run *r, pf_node *n)
{
    char why[96], text[160];
    status_text(n->status, why, sizeof why);
    n->died = true;
    snprintf(text, sizeof text, "%s died: %s", n->name, why);
    mark(r, n->t_exit_ns, text);
    if (!r->o->quiet)
        fprintf(stderr, "[%7.2f s] node %s (pid %ld) died: %s; its output: %s\n", rel_s(r, n->t_exit_ns), n->name,
                (long)n->pid, why, n->log_path);
}

static void check_nodes(pf_run *r)
{
    for (size_t i = 0; i < r->s->n_nodes; i++) {
        pf_node *n = &r->s->nodes[i];
        if (n->started && !n->exited && !node_alive(n))
            report_death(r, n);
    }
}

/* Starts the nodes one at a time and waits for each to reach the hub, so a node whose
 * HELLO carries a default EUI-64 is still told apart (ek_zephub_client_set_eui64). */
static int start_nodes(pf_run *r)
{
    pf_setup *s = r->s;
    char refdut[PATH_MAX], err[600];
    refdut_path(refdut, sizeof refdut);
    for (size_t i = 0; i < s->n_nodes && !g_stop; i++) {
        pf_node *n = &s->nodes[i];
        if (!node_command(s, n, ek_zephub_uri(r->hub), refdut, err, sizeof err) ||
            node_spawn(n, ek_zephub_uri(r->hub), err, sizeof err) != 0) {
            fprintf(stderr, "enroll-harness: cannot start node %s: %s\n", n->name, err);
            return -1;
        }
        progress(r, "node %s started (pid %ld): %s", n->name, (long)n->pid, n->cmd_final);
        r->waiting = i;
        uint64_t until = ek_mono_ns() + REGISTER_WAIT_MS * NS_PER_MS;
        while (!n->registered && !g_stop) {
            uint64_t now = ek_mono_ns();
            if (now >= until) {
                progress(r, "node %s did not reach the hub within %u ms (no HELLO, no frame); it is named by "
                            "the MAC source of its first frame if it talks later", n->name, REGISTER_WAIT_MS);
                break;
            }
            uint64_t d = now + 20 * NS_PER_MS;
            if (hub_wait(r, d < until ? d : until) < 0)
                return -1;
            if (!node_alive(n)) {
                report_death(r, n);
                break;
            }
        }
        r->waiting = SIZE_MAX;
    }
    return 0;
}

/* ---- what the harness sends: the root's DIOs and EBs, the rogue's DIOs -------------------- */

static void fill_mep(const pf_setup *s, ek_minprio *m, uint8_t min, uint8_t version, bool t, bool has_size,
                     uint32_t size)
{
    ek_mep_profile p = s->prof.mep;
    memset(m, 0, sizeof *m);
    m->profile = p;
    m->type = s->prof.mep_type;
    m->length = ek_minprio_data_len(p);
    m->min_priority = min;
    m->has_version = p == EK_MEP_DRAFT09 || p == EK_MEP_DRAFT16; /* draft-09 §3.1, -16 §3.1 */
    m->version = m->has_version ? version : 0;
    m->t = m->has_version && t;
    m->has_size = p != EK_MEP_DRAFT03;
    if (m->has_size) {
        /* -16 §3.1: the root rounds the DODAG size up to what the field can say; the
         * default is the set-up's node count plus the root */
        uint32_t n = has_size ? size : (uint32_t)s->n_nodes + 1;
        if (ek_minprio_size_encode(n, p, &m->exp, &m->size_code))
            m->dodag_size = (uint32_t)m->size_code << m->exp;
    }
}

static void fill_conf(const pf_setup *s, ek_rpl_dodag_conf *c)
{
    unsigned lg = 0;
    while (lg < 31 && (1u << (lg + 1)) <= s->dio_imin_ms)
        lg++; /* DIOIntMin = log2(Imin in ms), RFC 6550 §6.7.6 */
    c->dio_int_min = (uint8_t)lg;
    c->dio_int_doublings = s->dio_doublings;
    c->dio_redundancy = s->dio_redundancy;
    c->min_hop_rank_inc = s->mhri;
    c->ocp = s->ocp;
}

static void send_frame(pf_run *r, const uint8_t ext[8], const uint8_t *mpdu, size_t len)
{
    ek_zephub_event ev;
    if (ek_zephub_inject(r->hub, ext, mpdu, len, &ev) < 0) {
        fprintf(stderr, "enroll-harness: %s\n", ek_zephub_errmsg(r->hub));
        r->harness_failed = true;
        return;
    }
    take_frame(r, &ev);
}

static void send_root_dio(pf_run *r)
{
    const pf_setup *s = r->s;
    ek_build_node node = { .pan_id = s->pan, .seq = r->root_seq++ };
    memcpy(node.ext, s->root_ext, 8);
    ek_build_dio d;
    ek_build_dio_init(&d); /* instance 0x1e, DODAG Version 240, DODAGID fd00::1 */
    d.base.rank = s->mhri; /* RFC 6550 §8.2.2.2: ROOT_RANK = MinHopRankIncrease */
    d.has_conf = true;
    fill_conf(s, &d.conf);
    if (r->root_has_min) {
        d.has_mep = true;
        fill_mep(s, &d.mep, r->root_min, r->root_version, r->root_t, r->root_has_size, r->root_size);
    }
    if (r->root_unknown >= 0) {
        /* RFC 6550 §6.7.1: Type | Length | data, a type this network does not implement */
        static const uint8_t data[UNKNOWN_OPT_LEN] = { 'e', 'k', 0x00, 0x01 };
        d.extra[0].type = (uint8_t)r->root_unknown;
        d.extra[0].length = UNKNOWN_OPT_LEN;
        d.extra[0].data_len = UNKNOWN_OPT_LEN;
        memcpy(d.extra[0].data, data, UNKNOWN_OPT_LEN);
        d.n_extra = 1;
        d.extra_pos = EK_BUILD_OPT_LAST;
    }
    uint8_t out[EK_BUILD_MPDU_MAX];
    size_t len = 0;
    ek_err e;
    if (ek_build_dio_frame(&node, &d, &s->prof, out, sizeof out, &len, &e) != EK_OK) {
        fprintf(stderr, "enroll-harness: cannot build the root's DIO: %s at offset %zu\n", e.field ? e.field : "?",
                e.offset);
        r->harness_failed = true;
        return;
    }
    send_frame(r, s->root_ext, out, len);
}

static void send_root_eb(pf_run *r, uint64_t now)
{
    const pf_setup *s = r->s;
    ek_build_node node = { .pan_id = s->pan, .seq = r->root_seq++ };
    memcpy(node.ext, s->root_ext, 8);
    ek_build_eb e;
    ek_build_eb_init(&e);
    e.asn = ((now - r->t0) / SLOT_NS) & UINT64_C(0xffffffffff); /* 40 bits, IEEE 802.15.4-2015 §7.4.4.2 */
    e.join_metric = 0;  /* RFC 8180 §6.1: DAGRank(ROOT_RANK) - 1 = 0 */
    e.has_ji = true;
    e.ji.r = true;
    e.ji.proxy_prio = r->root_has_min ? r->root_min : EK_MEP_PRIO_DEFAULT;
    e.ji.rank_prio = 1; /* DAGRank(ROOT_RANK) */
    e.ji.pan_prio = 0;
    e.ji.network_id = ek_view_make(s->network_id, s->network_id_len);
    uint8_t out[EK_BUILD_MPDU_MAX];
    size_t len = 0;
    ek_err er;
    if (ek_build_eb_frame(&node, &e, &s->prof, out, sizeof out, &len, &er) != EK_OK) {
        fprintf(stderr, "enroll-harness: cannot build the root's EB: %s at offset %zu\n", er.field ? er.field : "?",
                er.offset);
        r->harness_failed = true;
        return;
    }
    send_frame(r, s->root_ext, out, len);
}

static void send_rogue_dio(pf_run *r)
{
    const pf_setup *s = r->s;
    ek_build_node node = { .pan_id = s->pan, .seq = r->rogue_seq++ };
    memcpy(node.ext, s->rogue_ext, 8);
    ek_build_dio d;
    ek_build_dio_init(&d);
    if (s->root_node >= 0) {
        if (!r->dodag_known)
            return; /* the node root has not announced its DODAG yet */
        d.base.instance = r->dodag_instance;
        d.base.version = r->dodag_version;
        memcpy(d.base.dodagid, r->dodagid, 16);
    }
    d.base.rank = r->rogue_rank;
    d.has_conf = true;
    fill_conf(s, &d.conf);
    if (r->rogue_has_min) {
        d.has_mep = true;
        fill_mep(s, &d.mep, r->rogue_min, r->rogue_version, r->rogue_t, r->rogue_has_size, r->rogue_size);
    }
    uint8_t out[EK_BUILD_MPDU_MAX];
    size_t len = 0;
    ek_err e;
    if (ek_build_dio_frame(&node, &d, &s->prof, out, sizeof out, &len, &e) != EK_OK) {
        fprintf(stderr, "enroll-harness: cannot build the rogue's DIO: %s at offset %zu\n", e.field ? e.field : "?",
                e.offset);
        r->harness_failed = true;
        return;
    }
    send_frame(r, s->rogue_ext, out, len);
}

/* One scenario step; false at 'end'. */
static bool run_step(pf_run *r, size_t i, uint64_t now)
{
    const pf_setup *s = r->s;
    const pf_step *st = &s->steps[i];
    char text[160];
    const char *what = st->act == PF_ACT_MARK ? "mark " : "";
    if (st->line)
        progress(r, "step %zu/%zu (line %d): %s%s", i + 1, s->n_steps, st->line, what, st->text);
    else
        progress(r, "step %zu/%zu (default scenario): %s%s", i + 1, s->n_steps, what, st->text);
    switch (st->act) {
    case PF_ACT_END:
        mark(r, now, "end");
        return false;
    case PF_ACT_MARK:
        mark(r, now, st->text);
        return true;
    case PF_ACT_ROOT: {
        bool changed = (st->has_min && (!r->root_has_min || st->min != r->root_min)) || st->has_size;
        if (st->has_min)
            r->root_min = st->min, r->root_has_min = true;
        if (st->has_size)
            r->root_has_size = true, r->root_size = st->size;
        /* draft-16 §3.2: every change of the option comes with a newer Version */
        if (st->has_version)
            r->root_version = st->version;
        else if (changed && r->root_has_min)
            r->root_version = lollipop_next(r->root_version);
        r->root_t = st->has_t ? st->t : false;
        if (st->unknown == -2)
            r->root_unknown = -1;
        else if (st->unknown >= 0)
            r->root_unknown = st->unknown;
        char unk[48] = "";
        if (r->root_unknown >= 0)
            snprintf(unk, sizeof unk, ", unknown option type 0x%02x", (unsigned)r->root_unknown);
        if (r->root_has_min)
            snprintf(text, sizeof text, "root: minimum 0x%02x, version %u%s%s", r->root_min, r->root_version,
                     r->root_t ? ", T=1" : "", unk);
        else
            snprintf(text, sizeof text, "root: no enrollment option%s", unk);
        mark(r, now, text);
        send_root_dio(r); /* the change goes out at once (RFC 6206 §4.2: an inconsistency) */
        return true;
    }
    case PF_ACT_ROGUE:
        if (st->off) {
            r->rogue_on = false;
            mark(r, now, "rogue: silent");
            return true;
        }
        r->rogue_on = true;
        if (st->has_min)
            r->rogue_min = st->min, r->rogue_has_min = true;
        if (st->has_version)
            r->rogue_version = st->version;
        if (st->has_t)
            r->rogue_t = st->t;
        if (st->has_size)
            r->rogue_has_size = true, r->rogue_size = st->size;
        if (st->has_rank)
            r->rogue_rank = st->rank;
        snprintf(text, sizeof text, "rogue: rank %u, minimum 0x%02x, version %u", (unsigned)r->rogue_rank,
                 r->rogue_min, r->rogue_version);
        mark(r, now, text);
        send_rogue_dio(r);
        return true;
    }
    return true;
}

/* The scenario on the hub's clock: steps, the root's DIOs every dio_period_ms and EBs
 * every eb_period_ms, the rogue's DIOs, node liveness; every frame judged as it comes. */
static void run_scenario(pf_run *r)
{
    const pf_setup *s = r->s;
    bool harness_root = s->root_node < 0;
    uint64_t dio_ns = (uint64_t)s->dio_period_ms * NS_PER_MS, eb_ns = (uint64_t)s->eb_period_ms * NS_PER_MS;
    uint64_t next_dio = r->t0, next_eb = r->t0 + eb_ns / 2, next_rogue = UINT64_MAX;
    uint64_t next_live = r->t0 + LIVENESS_MS * NS_PER_MS;
    size_t step = 0;
    while (!g_stop && !r->harness_failed) {
        uint64_t now = ek_mono_ns();
        while (step < s->n_steps && now >= r->t0 + (uint64_t)(s->steps[step].t_s * r->o->scale * 1e9)) {
            if (!run_step(r, step++, now))
                return;
            if (r->rogue_on && next_rogue == UINT64_MAX)
                next_rogue = now + dio_ns;
            if (!r->rogue_on)
                next_rogue = UINT64_MAX;
            if (s->steps[step - 1].act == PF_ACT_ROOT)
                next_dio = now + dio_ns;
        }
        if (harness_root && now >= next_dio) {
            send_root_dio(r);
            next_dio += dio_ns;
            if (next_dio <= now)
                next_dio = now + dio_ns; /* late: no burst to catch up */
        }
        if (harness_root && now >= next_eb) {
            send_root_eb(r, now);
            next_eb += eb_ns;
            if (next_eb <= now)
                next_eb = now + eb_ns;
        }
        if (r->rogue_on && now >= next_rogue) {
            send_rogue_dio(r);
            next_rogue += dio_ns;
            if (next_rogue <= now)
                next_rogue = now + dio_ns;
        }
        if (now >= next_live) {
            check_nodes(r);
            next_live = now + LIVENESS_MS * NS_PER_MS;
        }
        uint64_t d = next_live;
        if (step < s->n_steps) {
            uint64_t ts = r->t0 + (uint64_t)(s->steps[step].t_s * r->o->scale * 1e9);
            if (ts < d)
                d = ts;
        }
        if (harness_root && next_dio < d)
            d = next_dio;
        if (harness_root && next_eb < d)
            d = next_eb;
        if (next_rogue < d)
            d = next_rogue;
        /* read until the next timer: every datagram already waiting is handled first */
        while (!g_stop) {
            int rc = hub_wait(r, d);
            if (rc <= 0)
                break;
        }
    }
}

/* Whatever is still in the socket after the end (frames already on the air). */
static void drain(pf_run *r)
{
    while (!r->harness_failed && hub_wait(r, ek_mono_ns()) == 1) {
    }
}

/* ---- reports ----------------------------------------------------------------------------- */

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (!in)
        return -1;
    FILE *out = fopen(to, "wb");
    if (!out) {
        fclose(in);
        return -1;
    }
    char buf[8192];
    size_t n;
    bool bad = false;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        bad |= fwrite(buf, 1, n, out) != n;
    bad |= ferror(in) != 0;
    fclose(in);
    bad |= fclose(out) != 0;
    return bad ? -1 : 0;
}

static int mkdir_p(const char *dir)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp)
        return errno = ENAMETOOLONG, -1;
    for (char *p = tmp + 1;; p++) {
        if (*p == '/' || *p == 0) {
            char c = *p;
            *p = 0;
            if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
                return -1;
            *p = c;
            if (!c)
                break;
        }
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return errno = ENOTDIR, -1;
    return 0;
}

/* The same judgement offline: one enroll-check argument per line (docs/plugfest.md). */
static int write_check_args(const pf_run *r)
{
    const pf_setup *s = r->s;
    FILE *f = fopen(r->p_args, "w");
    if (!f)
        return -1;
    char e[24];
    fprintf(f, "--ep-profile\n%s\n--ep-type\n0x%02x\n--ie-profile\n%s\n", ek_mep_profile_name(s->prof.mep),
            (unsigned)s->prof.mep_type, ek_ji_profile_name(s->prof.ji));
    fprintf(f, "--eb-period-ms\n%u\n--slack-ms\n%u\n--adopt-ms\n%u\n--closed-world\n",
            (unsigned)(s->eb_period_ms + s->eb_period_ms / 4), (unsigned)s->slack_ms, (unsigned)s->adopt_ms);
    if (s->root_node < 0) {
        fmt_ext(s->root_ext, e);
        fprintf(f, "--node\nroot=%s,root\n", e);
    }
    fmt_ext(s->rogue_ext, e);
    fprintf(f, "--node\nrogue=%s\n", e);
    for (size_t i = 0; i < s->n_nodes; i++) {
        const pf_node *n = &s->nodes[i];
        fmt_ext(n->ext, e);
        fprintf(f, "--node\n%s=%s%s%s\n", n->name, e, n->legacy ? ",legacy" : "", (int)i == s->root_node ? ",root" : "");
    }
    return fclose(f) == 0 ? 0 : -1;
}

static void node_fates(FILE *o, const pf_run *r)
{
    const pf_setup *s = r->s;
    ek_zephub_stats hs;
    ek_zephub_get_stats(r->hub, &hs);
    fprintf(o, "hub %s: %" PRIu64 " frames from nodes, %" PRIu64 " sent by the harness, %" PRIu64
               " copies relayed, %" PRIu64 " blocked by the topology, %" PRIu64 " malformed datagrams\n",
            ek_zephub_uri(r->hub), hs.frames, hs.injected, hs.relayed, hs.blocked, hs.malformed);
    for (size_t i = 0; i < s->n_nodes; i++) {
        const pf_node *n = &s->nodes[i];
        char e[24], st[96] = "not started";
        fmt_ext(n->ext, e);
        if (n->died) {
            char why[80];
            status_text(n->status, why, sizeof why);
            snprintf(st, sizeof st, "DIED at %.2f s: %s", rel_s(r, n->t_exit_ns), why);
        } else if (n->stopped_by_us) {
            snprintf(st, sizeof st, "ran to the end");
        } else if (n->started) {
            char why[80];
            status_text(n->status, why, sizeof why);
            snprintf(st, sizeof st, "ended: %s", why);
        }
        const ek_zephub_client *c = n->registered ? ek_zephub_client_at(r->hub, n->client) : NULL;
        fprintf(o, "node %-16s %s %s%s%s; %s, %" PRIu64 " frames sent; %s; log %s\n", n->name, e,
                n->legacy ? "legacy" : "6lr", n->vendor[0] ? ", " : "", n->vendor,
                c ? "registered" : "never reached the hub", c ? c->frames_in : 0, st, n->log_path);
    }
}

static int write_reports(pf_run *r, bool interrupted)
{
    const pf_setup *s = r->s;
    int rc = 0;
    char err[700];
    if (r->jsonl) {
        ek_ncr_jsonl_end(r->jsonl, r->nc, true);
        if (fclose(r->jsonl) != 0) {
            fprintf(stderr, "enroll-harness: %s: %s\n", r->p_jsonl, strerror(errno));
            rc = -1;
        }
        r->jsonl = NULL;
    }
    if (r->cap) {
        if (ek_ncr_capture_close(r->cap) != 0) {
            fprintf(stderr, "enroll-harness: %s: write failed\n", r->p_capture);
            rc = -1;
        }
        r->cap = NULL;
    }
    char run_name[128];
    snprintf(run_name, sizeof run_name, "plugfest %s", s->name);
    if (ek_ncr_junit(r->p_junit, r->nc, run_name, err, sizeof err) != 0) {
        fprintf(stderr, "enroll-harness: %s\n", err);
        rc = -1;
    }
    char title[160], input[PATH_MAX + 160];
    snprintf(title, sizeof title, "plugfest %s", s->name);
    snprintf(input, sizeof input, "%s: %zu nodes on %s", s->path, s->n_nodes, ek_zephub_uri(r->hub));
    ek_html_opts ho;
    memset(&ho, 0, sizeof ho);
    ho.title = title;
    ho.tool = "enroll-harness --plugfest";
    ho.version = EK_VERSION;
    ho.command = r->o->cmdline;
    ho.input = input;
    ho.capture_href = "capture.pcapng";
    if (ek_html_write_file(r->p_html, r->nc, &ho, err, sizeof err) != 0) {
        fprintf(stderr, "enroll-harness: %s\n", err);
        rc = -1;
    }
    if (write_check_args(r) != 0) {
        fprintf(stderr, "enroll-harness: %s: %s\n", r->p_args, strerror(errno));
        rc = -1;
    }
    FILE *sum = fopen(r->p_summary, "w");
    if (!sum) {
        fprintf(stderr, "enroll-harness: %s: %s\n", r->p_summary, strerror(errno));
        return -1;
    }
    fprintf(sum, "enroll-harness %s plugfest %s (%s): %s, option type 0x%02x, %s; seed %u, duration scale %g%s\n",
            EK_VERSION, s->name, s->path, ek_mep_profile_name(s->prof.mep), (unsigned)s->prof.mep_type,
            ek_ji_profile_name(s->prof.ji), r->o->has_seed ? r->o->seed : s->seed, r->o->scale,
            interrupted ? "; INTERRUPTED" : "");
    node_fates(sum, r);
    fputc('\n', sum);
    ek_ncr_text(sum, r->nc);
    fprintf(sum, "\njudge the capture again offline: enroll-check $(cat %s) %s\n", r->p_args, r->p_capture);
    if (fclose(sum) != 0) {
        fprintf(stderr, "enroll-harness: %s: %s\n", r->p_summary, strerror(errno));
        rc = -1;
    }
    return rc;
}

/* ---- options, main ------------------------------------------------------------------------ */

bool ek_plugfest_requested(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return false;
        if (strcmp(argv[i], "--plugfest") == 0 || strncmp(argv[i], "--plugfest=", 11) == 0)
            return true;
    }
    return false;
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("enroll-harness: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'enroll-harness --plugfest --help' for more information.\n", stderr);
    return EX_USAGE;
}

static int parse_opts(int argc, char **argv, pf_opts *o)
{
    enum { O_PLUGFEST = 256, O_OUT, O_SCALE, O_SEED, O_QUIET, O_HELP };
    static const struct option longopts[] = {
        { "plugfest", required_argument, NULL, O_PLUGFEST }, { "out", required_argument, NULL, O_OUT },
        { "duration-scale", required_argument, NULL, O_SCALE }, { "seed", required_argument, NULL, O_SEED },
        { "quiet", no_argument, NULL, O_QUIET },              { "help", no_argument, NULL, O_HELP },
        { NULL, 0, NULL, 0 }
    };
    memset(o, 0, sizeof *o);
    o->scale = 1.0;
    /* "--plugfest --help": --help must not be taken for the set-up file's name */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_text, stdout);
            return -1;
        }
    }
    size_t w = 0;
    for (int i = 0; i < argc && w + 2 < sizeof o->cmdline; i++) {
        int k = snprintf(o->cmdline + w, sizeof o->cmdline - w, "%s%s", i ? " " : "", argv[i]);
        if (k < 0)
            break;
        w += (size_t)k;
    }
    opterr = 0;
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, ":hq", longopts, NULL)) != -1) {
        switch (ch) {
        case O_PLUGFEST: o->setup = optarg; break;
        case O_OUT: o->out = optarg; break;
        case O_SCALE: {
            char *end = NULL;
            errno = 0;
            double v = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(v >= 0.05 && v <= 100))
                return usage_error("--duration-scale: expected a factor 0.05..100, not '%s'", optarg);
            o->scale = v;
            break;
        }
        case O_SEED: {
            unsigned long v;
            if (!parse_u(optarg, 0, 1000000, &v))
                return usage_error("--seed: expected 0..1000000, not '%s'", optarg);
            o->seed = (unsigned)v;
            o->has_seed = true;
            break;
        }
        case 'q':
        case O_QUIET: o->quiet = true; break;
        case 'h':
        case O_HELP: fputs(usage_text, stdout); return -1;
        case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("option '%s' does not go with --plugfest (see --plugfest --help)", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if (!o->setup)
        return usage_error("%s", "--plugfest SETUP.ini is required");
    return 0;
}

static int finish_run(pf_run *r, int rc)
{
    stop_all(r->s);
    if (r->jsonl)
        fclose(r->jsonl);
    if (r->cap)
        ek_ncr_capture_close(r->cap);
    ek_nc_free(r->nc);
    free(r->f);
    ek_zephub_close(r->hub);
    return rc;
}

int ek_plugfest_main(int argc, char **argv)
{
    static pf_opts o;
    int rc = parse_opts(argc, argv, &o);
    if (rc < 0)
        return 0; /* --help */
    if (rc)
        return rc;
    static pf_setup s;
    char err[1200];
    if (setup_load(o.setup, &s, err, sizeof err) != 0) {
        fprintf(stderr, "enroll-harness: %s\n", err);
        return EX_USAGE;
    }
    unsigned seed = o.has_seed ? o.seed : s.seed;
    static pf_run r;
    memset(&r, 0, sizeof r);
    r.s = &s;
    r.o = &o;
    r.waiting = SIZE_MAX;
    r.root_unknown = -1;
    r.root_version = 240;  /* RFC 6550 §7.2 lollipop start */
    r.rogue_rank = ROGUE_RANK_DEFAULT;
    r.rogue_version = 240;
    if (o.out)
        snprintf(r.dir, sizeof r.dir, "%s", o.out);
    else
        snprintf(r.dir, sizeof r.dir, "plugfest-%s", s.name);
    if (mkdir_p(r.dir) != 0) {
        fprintf(stderr, "enroll-harness: --out %s: %s\n", r.dir, strerror(errno));
        return EX_HARNESS;
    }
    snprintf(r.p_capture, sizeof r.p_capture, "%s/capture.pcapng", r.dir);
    snprintf(r.p_jsonl, sizeof r.p_jsonl, "%s/findings.jsonl", r.dir);
    snprintf(r.p_junit, sizeof r.p_junit, "%s/report.xml", r.dir);
    snprintf(r.p_summary, sizeof r.p_summary, "%s/summary.txt", r.dir);
    snprintf(r.p_html, sizeof r.p_html, "%s/report.html", r.dir);
    snprintf(r.p_setup, sizeof r.p_setup, "%s/setup.ini", r.dir);
    snprintf(r.p_args, sizeof r.p_args, "%s/enroll-check.args", r.dir);
    for (size_t i = 0; i < s.n_nodes; i++) {
        pf_node *n = &s.nodes[i];
        n->seed = seed * 1000u + (unsigned)i + 1u;
        if (snprintf(n->log_path, sizeof n->log_path, "%s/%s.log", r.dir, n->name) >= (int)sizeof n->log_path) {
            fprintf(stderr, "enroll-harness: --out %s: path too long\n", r.dir);
            return EX_HARNESS;
        }
    }
    struct stat sa, sb;
    if (!(stat(o.setup, &sa) == 0 && stat(r.p_setup, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino) &&
        copy_file(o.setup, r.p_setup) != 0) {
        fprintf(stderr, "enroll-harness: %s: cannot copy the set-up: %s\n", r.p_setup, strerror(errno));
        return EX_HARNESS;
    }

    /* the hub */
    ek_zephub_opts ho;
    ek_zephub_opts_default(&ho);
    ho.host = s.hub_host;
    ho.port = s.hub_port;
    ho.channel = s.channel;
    if (ek_zephub_open(&ho, &r.hub, err, sizeof err) != 0) {
        fprintf(stderr, "enroll-harness: %s\n", err);
        return EX_HARNESS;
    }
    /* topology: names -> EUI-64s; 'root' is the DODAG root (the harness or a node) */
    const uint8_t *root_ext = s.root_node >= 0 ? s.nodes[s.root_node].ext : s.root_ext;
    bool rogue_named = false;
    for (size_t i = 0; i < s.n_links; i++) {
        const uint8_t *e[2];
        const char *nm[2] = { s.links[i].a, s.links[i].b };
        for (int k = 0; k < 2; k++) {
            rogue_named |= strcmp(nm[k], "rogue") == 0;
            e[k] = strcmp(nm[k], "root") == 0    ? root_ext
                   : strcmp(nm[k], "rogue") == 0 ? s.rogue_ext
                                                 : s.nodes[node_index(&s, nm[k])].ext;
        }
        if (ek_zephub_link(r.hub, e[0], e[1]) != 0) {
            fprintf(stderr, "enroll-harness: %s\n", ek_zephub_errmsg(r.hub));
            return finish_run(&r, EX_HARNESS);
        }
    }
    if (s.n_links && !rogue_named) {
        /* a rogue the topology does not name is heard where the root is */
        for (size_t i = 0; i < s.n_nodes; i++)
            if (ek_zephub_linked(r.hub, root_ext, s.nodes[i].ext) && ek_zephub_link(r.hub, s.rogue_ext, s.nodes[i].ext) != 0)
                return finish_run(&r, EX_HARNESS);
    }

    /* the checker: every node declared; the harness's root and rogue are stimuli */
    ek_nc_decl decl[PF_MAX_NODES + 2];
    memset(decl, 0, sizeof decl);
    size_t nd = 0;
    for (size_t i = 0; i < s.n_nodes; i++, nd++) {
        const pf_node *n = &s.nodes[i];
        memcpy(decl[nd].ext, n->ext, 8);
        snprintf(decl[nd].name, sizeof decl[nd].name, "%s", n->name);
        decl[nd].legacy = n->legacy;
        decl[nd].is_root = (int)i == s.root_node;
        decl[nd].mon.min_hop_rank_inc = s.mhri;
        if (n->has_network_id) {
            decl[nd].mon.has_network_id = true;
            memcpy(decl[nd].mon.network_id, n->network_id, n->network_id_len);
            decl[nd].mon.network_id_len = n->network_id_len;
        }
        if (n->has_pan_priority) {
            decl[nd].mon.has_pan_priority = true;
            decl[nd].mon.pan_priority = n->pan_priority;
        }
    }
    if (s.root_node < 0) {
        memcpy(decl[nd].ext, s.root_ext, 8);
        snprintf(decl[nd].name, sizeof decl[nd].name, "root");
        decl[nd].is_root = true;
        decl[nd].stimulus = true;
        decl[nd].mon.min_hop_rank_inc = s.mhri;
        nd++;
    }
    memcpy(decl[nd].ext, s.rogue_ext, 8);
    snprintf(decl[nd].name, sizeof decl[nd].name, "rogue");
    decl[nd].stimulus = true;
    decl[nd].mon.min_hop_rank_inc = s.mhri;
    nd++;
    ek_nc_cfg cfg;
    ek_nc_cfg_default(&cfg);
    cfg.prof = s.prof;
    /* RFC 8180 §4.5.2 leaves EB_PERIOD to the implementation; a node may jitter its period
     * by up to 25 % (the refdut's eb-jitter variants): the grace covers the longest one */
    cfg.eb_period_ms = s.eb_period_ms + s.eb_period_ms / 4;
    cfg.slack_ms = s.slack_ms;
    cfg.adopt_ms = s.adopt_ms;
    cfg.closed_world = true; /* every node of the network is declared and heard */
    cfg.decl = decl;
    cfg.n_decl = nd;
    r.nc = ek_nc_new(&cfg);
    r.f = malloc(sizeof *r.f);
    if (!r.nc || !r.f) {
        fprintf(stderr, "enroll-harness: out of memory\n");
        return finish_run(&r, EX_HARNESS);
    }
    ek_nc_set_sink(r.nc, on_finding, &r);
    r.jsonl = fopen(r.p_jsonl, "w");
    if (!r.jsonl) {
        fprintf(stderr, "enroll-harness: %s: %s\n", r.p_jsonl, strerror(errno));
        return finish_run(&r, EX_HARNESS);
    }
    char shb[2600];
    snprintf(shb, sizeof shb,
             "enroll-harness %s plugfest %s: every frame on the ZEP hub %s (the nodes', the harness's root and "
             "rogue); findings of the live network checker as packet comments. Command: %.1800s",
             EK_VERSION, s.name, ek_zephub_uri(r.hub), o.cmdline);
    if (ek_ncr_capture_open(r.p_capture, shb, &r.cap, err, sizeof err) != 0) {
        fprintf(stderr, "enroll-harness: %s\n", err);
        return finish_run(&r, EX_HARNESS);
    }

    struct sigaction sact;
    memset(&sact, 0, sizeof sact);
    sact.sa_handler = on_signal; /* no SA_RESTART: a wait returns early */
    sigemptyset(&sact.sa_mask);
    sigaction(SIGINT, &sact, NULL);
    sigaction(SIGTERM, &sact, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct timespec rt, mt;
    clock_gettime(CLOCK_REALTIME, &rt);
    clock_gettime(CLOCK_MONOTONIC, &mt);
    r.wall_off = ((int64_t)rt.tv_sec - (int64_t)mt.tv_sec) * (int64_t)NS_PER_S + ((int64_t)rt.tv_nsec - mt.tv_nsec);
    double total = s.steps[s.n_steps - 1].t_s * o.scale;
    if (!o.quiet)
        fprintf(stderr,
                "enroll-harness: plugfest %s: hub %s, %zu nodes, %s option type 0x%02x, %s; scenario %zu steps, "
                "%.1f s; reports in %s\n",
                s.name, ek_zephub_uri(r.hub), s.n_nodes, ek_mep_profile_name(s.prof.mep), (unsigned)s.prof.mep_type,
                ek_ji_profile_name(s.prof.ji), s.n_steps, total, r.dir);
    int start_rc = start_nodes(&r);
    r.t0 = ek_mono_ns();
    if (start_rc == 0 && !g_stop) {
        mark(&r, r.t0, "scenario starts");
        run_scenario(&r);
        drain(&r);
    }
    stop_all(&s);
    drain(&r);
    bool interrupted = g_stop != 0;
    if (interrupted && !o.quiet)
        fprintf(stderr, "enroll-harness: interrupted; reports written up to the interruption\n");
    check_nodes(&r); /* a death in the last interval */
    ek_nc_finish(r.nc);
    int wrc = write_reports(&r, interrupted);

    int status = ek_ncr_exit_status(r.nc);
    size_t died = 0;
    for (size_t i = 0; i < s.n_nodes; i++)
        died += s.nodes[i].died;
    if (!o.quiet) {
        ek_ncr_text(stdout, r.nc);
        if (died)
            node_fates(stdout, &r);
        fprintf(stderr, "enroll-harness: reports: %s %s %s %s %s %s %s\n", r.p_summary, r.p_junit, r.p_html,
                r.p_jsonl, r.p_capture, r.p_setup, r.p_args);
    } else {
        printf("plugfest %s: %s (%zu nodes, %" PRIu64 " frames, %" PRIu64 " findings)%s\n", s.name,
               ek_ncr_run_word(r.nc), ek_nc_node_count(r.nc), ek_nc_frames(r.nc), r.findings,
               died ? "; a node died" : "");
    }
    /* a device that dies during the run failed, whatever its frames said */
    if (died && status != EX_FAIL) {
        fprintf(stderr, "enroll-harness: %zu node%s died during the run (summary.txt, NODE.log)\n", died,
                died == 1 ? "" : "s");
        status = EX_FAIL;
    }
    if ((start_rc != 0 || r.harness_failed || r.io_failed || wrc != 0 || interrupted) && status != EX_FAIL)
        status = EX_HARNESS;
    fflush(stdout);
    return finish_run(&r, status);
}
