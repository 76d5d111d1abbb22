/* SPDX-License-Identifier: BSD-3-Clause */
/* Network checker (ek/netcheck.h): one ek_monitor per node for the per-node rules, and
 * the network-level rules over what every node advertised.  Memory grows with nodes
 * only: per node a fixed state, change series capped at EK_NC_SERIES_MAX points and at
 * most keep_findings findings per rule.  RFC 6550 §3.5.1, §6.7.1, §7.2, §8.2.2.2;
 * RFC 9032 §2; IEEE 802.15.4-2015 §9.2.1, §9.4.1; draft-ietf-roll-enrollment-priority-03
 * §2, -16 §3.1, §3.2. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/consts.h"
#include "ek/ie.h"
#include "ek/match.h"
#include "ek/minprio.h"
#include "ek/netcheck.h"
#include "ek/rpl.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define NS_PER_MS UINT64_C(1000000)
#define VLOG_CAP 4096              /* Version DIOs replayable (a node's DIO interval holds fewer) */
#define INFINITE_RANK 0xffffu      /* RFC 6550 §17 */
#define DEFAULT_MHRI 256u          /* RFC 6550 §17 DEFAULT_MIN_HOP_RANK_INCREASE */
#define MEP_OFF 0x7f               /* draft-16 §3.1: 0x7f = the Join Proxy is disabled */
#define DAO_PARENTS 4              /* DAO parents remembered per node (least recent dropped) */
#define ALIASES 256                /* short addresses mapped to an EUI-64 */
#define FC_KEYS 4                  /* keys tracked per sender (K1, K2 and spares) */
#define MARKS_MAX 1024
#define PAIRS_MAX 4096
#define PAIR_SLOTS 8192            /* power of two, > PAIRS_MAX */

/* Network rules follow the monitors' rules in the catalogue. */
enum {
    R_MIN_BELOW_PARENT = EK_MON_N_RULES,
    R_OPTION_DROPPED,
    R_VERSION_BUMP,
    R_VERSION_ORDER,
    R_JP_OFF,
    R_NETWORK_ID,
    R_MALFORMED,
    R_FRAME_COUNTER,
    N_RULES
};

static const ek_nc_rule rules[N_RULES] = {
    { "copied-option", "EP-21", "RFC 6550 §6.7.1", "no DIO carries an option type the node heard and does not implement" },
    { "rank-increase", "", "RFC 6550 §3.5.1, §14", "a rank at least MinHopRankIncrease above the lowest neighbour's" },
    { "ji-framing", "EB-1, EB-2", "RFC 9032 §2, RFC 8137 §4-5", "the Join-Info IE is 5 + 8P + N octets and the IE list decodes" },
    { "ji-reserved", "EB-3", "RFC 9032 §2", "Join-Info reserved bits sent as 0" },
    { "ji-declared", "EB-4, EB-8", "RFC 9032 §2", "Join-Info values as the node's declaration says" },
    { "proxy-below-min", "EP-15", "draft-ietf-roll-enrollment-priority-16 §3.2", "EB proxy priority never below the node's own minimum" },
    { "join-metric", "EB-13", "RFC 8180 §6.1", "EB join metric = DAGRank(rank) - 1" },
    { "min-below-parent", "EP-19, EP-9a", "draft-ietf-roll-enrollment-priority-03 §2, -16 §3.2",
      "a 6LR's minimum never below its parent's" },
    { "option-dropped", "EP-5", "draft-ietf-roll-enrollment-priority-16 §3.1",
      "a node that carried the option keeps carrying it while its parents do" },
    { "version-bump", "EP-10", "draft-ietf-roll-enrollment-priority-16 §3.2",
      "the root gives every new Min Priority / DODAG Size a newer Version" },
    { "version-order", "EP-12", "draft-ietf-roll-enrollment-priority-16 §3.2, RFC 6550 §7.2",
      "no node goes back to an older option Version" },
    { "jp-off", "EP-3, EP-15", "draft-ietf-roll-enrollment-priority-16 §3.1, §3.2",
      "minimum 0x7f: EBs say proxy priority 0x7f (not a Join Proxy)" },
    { "network-id", "EB-8", "RFC 9032 §2", "every Join Proxy of a PAN advertises the same network ID" },
    { "malformed", "", "RFC 6550 §6.7.1, RFC 8137 §4-5, RFC 6282 §3", "every frame of the node decodes" },
    { "frame-counter", "", "IEEE 802.15.4-2015 §9.2.1, §9.4.1.1", "secured frames: the frame counter per key always rises" },
};

const ek_nc_rule *ek_nc_rules(size_t *n)
{
    *n = N_RULES;
    return rules;
}

int ek_nc_rule_index(const char *name)
{
    for (int i = 0; i < N_RULES; i++)
        if (strcmp(rules[i].name, name) == 0)
            return i;
    return -1;
}

/* ---- state ----------------------------------------------------------------------------- */

typedef struct series {
    ek_nc_point *p;
    size_t n, cap;
    uint64_t t_since;          /* the start of the latest run of present values */
    /* the newest point (p[n - 1] when n), read without touching p */
    uint64_t t_last;
    uint16_t v_last;
    bool has_last;
    bool thinned;              /* points were dropped: p is for the timelines only */
} series;

/* The MIN series as the rules read it (min_low, min_covered), kept apart from the
 * timeline's points: exact however much those are thinned (a thinned-away low value
 * would raise the bound min-below-parent judges against; where time steps back, see
 * min_low_scan), and compact, as every DIO
 * reads it for each of the sender's possible parents.  It mirrors the series' newest
 * point and present run, and keeps the candidates of a sliding-window minimum: in
 * increasing value, each with the time its value stopped being in force (the next
 * point's time; UINT64_MAX for the newest).  A point dropped from the candidates was
 * followed by one no higher, in force within any window it was.  Increasing octets:
 * at most 256 candidates, allocated as needed (a few, typically: the node state stays
 * small). */
typedef struct low_cand {
    uint64_t end;
    uint8_t v;
} low_cand;

typedef struct low_window {
    bool any, has_last;        /* a point yet; the newest one carried a value */
    uint8_t v_last;
    unsigned n;                /* candidates; 0 while absent */
    uint64_t t_last, t_since;  /* the newest point; the start of the present run */
    uint64_t from;             /* the candidates hold every point in force at or after
                                  this time: the present run's start, or the point's
                                  own when time stepped back; UINT64_MAX when out of
                                  memory */
    low_cand *c;
    unsigned cap;
} low_window;

typedef struct fc_key {
    bool used;
    uint8_t kim, index, source[8];
    uint32_t last;
    uint64_t frame;
    uint32_t digest;           /* of the MPDU that carried `last`: a repeat = a replay */
} fc_key;

/* A node's state, the fields every frame touches first (with pub's counters), then the
 * DIO state, the monitor, and what findings and reports read. */
typedef struct node {
    /* every frame, beside pub's first fields (frames, last_frame, t_last_ns) */
    uint32_t full_rules; /* bit r: kept[r] reached keep_findings (the monitor
                                  rules are the first EK_MON_N_RULES, in its order and bits) */
    bool decl_root;
    uint64_t malformed_judged; /* frames rule malformed judged (judged[R_MALFORMED] unused) */
    ek_nc_node pub;
    uint64_t judged[N_RULES];  /* frames each other rule judged (ek_nc_node_tally reads
                                  these and malformed_judged) */
    unsigned n_dao;
    /* storing-mode DAO parents, most recently addressed first (RFC 6550 §9.2: DAOs go to
     * the DAO parent set, which may hold several) */
    struct {
        uint8_t ext[8];
        uint64_t frame;
    } dao[DAO_PARENTS];
    /* the latest DIO */
    bool has_dio;
    uint16_t rank, mhri;
    uint8_t instance;          /* its DODAGID is in node_lite */
    bool has_opt, ever_opt;
    ek_minprio opt;
    uint64_t dio_frame, t_dio;
    uint8_t max_ver;           /* the option Version of its latest DIO that had one
                                  (when lite.reach.has) */
    uint64_t max_ver_frame;
    low_window min_low;        /* of s[EK_NC_SERIES_MIN] */
    series s[EK_NC_SERIES_KINDS];
    ek_monitor mon;
    /* findings: tally[r].judged unused (judged[r], malformed_judged count) */
    ek_nc_tally tally[N_RULES];
    uint32_t kept[N_RULES];
    ek_nc_finding *find;
    size_t n_find, cap_find;
    /* Join-Info network ID, latest */
    bool has_nid;
    uint8_t nid[16], nid_len;
    uint64_t nid_frame, t_nid;
    fc_key fc[FC_KEYS];
} node;

/* What parents_of() scans, kept apart from the large node state so a scan over every
 * node stays in cache. */
typedef struct node_lite {
    bool has_dio;
    uint8_t instance;
    uint16_t rank;
    uint32_t nb_slot;          /* its entry in the shared neighbour table + 1, 0 = none */
    uint32_t dodag_key;        /* dodag_key() of its latest DIO, 0 before one */
    uint8_t dodagid[16];       /* of its latest DIO, checked on a dodag_key match */
    /* Its latest DIO with an option Version (node.max_ver): the Versions its possible
     * parents sent since then are the ones after vlog sequence number seq; rank_max is
     * the highest rank it advertised since (a sender below that may have been a parent) */
    struct {
        bool has;
        uint16_t rank_max;
        uint64_t seq;
    } reach;
} node_lite;

struct ek_netcheck {
    ek_nc_cfg cfg;
    ek_nc_decl *decl;
    node *nodes;
    node_lite *lite;
    /* every DIO sender's latest rank, DODAG and option types, shared by all the monitors
     * (one channel: every node hears every DIO) */
    ek_monitor_nbtab nbtab;
    ek_monitor_neighbour *nbstore;
    size_t n_nodes, cap_nodes;
    /* open addressing over the address as one word: a probe never touches the large
     * node state */
    struct node_slot {
        uint64_t key;
        uint32_t idx;          /* node index + 1, 0 = empty */
    } *slots;
    size_t n_slots;
    unsigned slot_shift;       /* 64 - log2(n_slots) */
    uint64_t frames, unattributed, dropped_nodes, corrupted;
    ek_nc_sink sink;
    void *sink_ctx;
    ek_nc_mark_rec *marks;
    size_t n_marks;
    ek_nc_pair *pairs;
    size_t n_pairs;
    uint16_t pair_slot[PAIR_SLOTS];
    /* short addresses whose node revealed its EUI-64 (alias_of) */
    struct { uint32_t key; uint8_t ext[8]; } alias[ALIASES];
    unsigned n_alias;
    /* the last Join-Info EB sender per PAN (HEARD_EB) */
    struct { bool used; uint16_t pan; size_t node; uint64_t frame; } last_eb[16];
    bool finished;
    uint64_t next_other;
    /* newer_than[b][a / 64] bit a % 64: Version a is newer than b (RFC 6550 §7.2
     * lollipop order) */
    uint64_t newer_than[256][4];
    /* The latest VLOG_CAP DIOs with an option Version, entry seq at [seq % VLOG_CAP]:
     * version-order replays them only when a node seems to go back */
    struct vlog_entry {
        uint32_t sender;
        uint16_t rank;
        uint8_t instance, version;
    } *vlog;
    uint32_t *vlog_back;       /* per entry: how many entries back the previous one of its
                                  Version is, 0 for none in the log */
    uint64_t vlog_seq;         /* entries written */
    uint64_t ver_sent[256];    /* per Version: the sequence number of its latest entry + 1 */
    uint32_t *scratch;         /* max_nodes (+ 4) node indices, for one scan at a time */
    /* per node: its rank, 0x10000 before its first DIO (below every sender); 0 past the
     * last node, to a multiple of 4 (ranked_above reads four at a time) */
    uint32_t *rank_key;
};

void ek_nc_cfg_default(ek_nc_cfg *c)
{
    memset(c, 0, sizeof *c);
    ek_profile_default(&c->prof);
    c->eb_period_ms = 1000;
    c->slack_ms = 100;
    c->adopt_ms = 2000;
}

static uint64_t adopt_ns(const ek_netcheck *nc)
{
    return (uint64_t)(nc->cfg.adopt_ms ? nc->cfg.adopt_ms : 2000) * NS_PER_MS;
}

static uint64_t grace_ns(const ek_netcheck *nc)
{
    return ((uint64_t)nc->cfg.eb_period_ms + nc->cfg.slack_ms) * NS_PER_MS;
}

/* The longest window series_low is asked about on the MIN series. */
static uint64_t low_keep_ns(const ek_netcheck *nc)
{
    return adopt_ns(nc) > grace_ns(nc) ? adopt_ns(nc) : grace_ns(nc);
}

static uint64_t age(uint64_t t, uint64_t then)
{
    return t > then ? t - then : 0;
}

static void fmt_ext(const uint8_t e[8], char out[24])
{
    snprintf(out, 24, "%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x", e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7]);
}

ek_netcheck *ek_nc_new(const ek_nc_cfg *cfg)
{
    ek_netcheck *nc = calloc(1, sizeof *nc);
    if (!nc)
        return NULL;
    nc->cfg = *cfg;
    if (!nc->cfg.max_nodes)
        nc->cfg.max_nodes = 1024;
    if (!nc->cfg.keep_findings)
        nc->cfg.keep_findings = 8;
    if (!nc->cfg.adopt_ms)
        nc->cfg.adopt_ms = 2000;
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++)
            if (ek_rpl_lollipop_cmp((uint8_t)a, (uint8_t)b) == 1)
                nc->newer_than[b][a >> 6] |= 1ull << (a & 63);
    nc->n_slots = 64; /* grows with the nodes (add_node): a small table stays in L1 */
    nc->slot_shift = 64 - 6;
    nc->slots = calloc(nc->n_slots, sizeof *nc->slots);
    nc->nbstore = calloc(nc->cfg.max_nodes, sizeof *nc->nbstore);
    nc->vlog = calloc(VLOG_CAP, sizeof *nc->vlog);
    nc->vlog_back = calloc(VLOG_CAP, sizeof *nc->vlog_back);
    nc->scratch = calloc(nc->cfg.max_nodes + 4, sizeof *nc->scratch);
    nc->rank_key = calloc(nc->cfg.max_nodes + 4, sizeof *nc->rank_key);
    ek_monitor_nbtab_init(&nc->nbtab, nc->nbstore, nc->cfg.max_nodes, nc->cfg.prof.mep_type);
    if (cfg->n_decl) {
        nc->decl = calloc(cfg->n_decl, sizeof *nc->decl);
        if (nc->decl)
            memcpy(nc->decl, cfg->decl, cfg->n_decl * sizeof *nc->decl);
    }
    nc->cfg.decl = nc->decl;
    if (!nc->slots || !nc->nbstore || !nc->vlog || !nc->vlog_back || !nc->scratch || !nc->rank_key || (cfg->n_decl && !nc->decl)) {
        ek_nc_free(nc);
        return NULL;
    }
    return nc;
}

void ek_nc_free(ek_netcheck *nc)
{
    if (!nc)
        return;
    for (size_t i = 0; i < nc->n_nodes; i++) {
        free(nc->nodes[i].find);
        free(nc->nodes[i].min_low.c);
        for (int k = 0; k < EK_NC_SERIES_KINDS; k++)
            free(nc->nodes[i].s[k].p);
    }
    free(nc->nodes);
    free(nc->lite);
    free(nc->nbstore);
    free(nc->vlog);
    free(nc->vlog_back);
    free(nc->scratch);
    free(nc->rank_key);
    free(nc->slots);
    free(nc->decl);
    free(nc->marks);
    free(nc->pairs);
    free(nc);
}

void ek_nc_set_sink(ek_netcheck *nc, ek_nc_sink sink, void *ctx)
{
    nc->sink = sink;
    nc->sink_ctx = ctx;
}

/* ---- node table ------------------------------------------------------------------------- */

static uint64_t addr_key(const uint8_t ext[8])
{
    uint64_t k;
    memcpy(&k, ext, 8);
    return k;
}

/* Fibonacci hashing: the top bits of the product depend on every bit of the address
 * (nodes often differ only in its last byte, which lands in the product's top byte). */
static size_t slot_of(const ek_netcheck *nc, uint64_t key)
{
    return (size_t)((key * 0x9e3779b97f4a7c15ull) >> nc->slot_shift);
}

static void slot_put(ek_netcheck *nc, uint64_t key, size_t idx)
{
    size_t s = slot_of(nc, key);
    while (nc->slots[s].idx)
        s = (s + 1) & (nc->n_slots - 1);
    nc->slots[s] = (struct node_slot){ .key = key, .idx = (uint32_t)(idx + 1) };
}

/* Doubles the node table when half full (linear probing stays short). */
static bool grow_slots(ek_netcheck *nc)
{
    struct node_slot *old = nc->slots;
    size_t n_old = nc->n_slots;
    struct node_slot *t = calloc(2 * n_old, sizeof *t);
    if (!t)
        return false;
    nc->slots = t;
    nc->n_slots = 2 * n_old;
    nc->slot_shift--;
    for (size_t i = 0; i < n_old; i++)
        if (old[i].idx)
            slot_put(nc, old[i].key, old[i].idx - 1);
    free(old);
    return true;
}

static node *find_node(ek_netcheck *nc, const uint8_t ext[8], size_t *idx)
{
    uint64_t key = addr_key(ext);
    for (size_t s = slot_of(nc, key);; s = (s + 1) & (nc->n_slots - 1)) {
        if (!nc->slots[s].idx)
            return NULL;
        if (nc->slots[s].key == key) {
            *idx = nc->slots[s].idx - 1;
            return &nc->nodes[*idx];
        }
    }
}

static const ek_nc_decl *decl_of(const ek_netcheck *nc, const uint8_t ext[8])
{
    for (size_t i = 0; i < nc->cfg.n_decl; i++)
        if (memcmp(nc->decl[i].ext, ext, 8) == 0)
            return &nc->decl[i];
    return NULL;
}

static node *add_node(ek_netcheck *nc, const uint8_t ext[8], bool ext_known, uint16_t pan, size_t *idx)
{
    if (nc->n_nodes >= nc->cfg.max_nodes) {
        nc->dropped_nodes++;
        return NULL;
    }
    if (nc->n_nodes == nc->cap_nodes) {
        size_t cap = nc->cap_nodes ? 2 * nc->cap_nodes : 16;
        node *p = realloc(nc->nodes, cap * sizeof *p);
        if (!p) {
            nc->dropped_nodes++;
            return NULL;
        }
        nc->nodes = p;
        node_lite *l = realloc(nc->lite, cap * sizeof *l);
        if (!l) {
            nc->dropped_nodes++;
            return NULL;
        }
        nc->lite = l;
        nc->cap_nodes = cap;
    }
    if (2 * (nc->n_nodes + 1) > nc->n_slots && !grow_slots(nc)) {
        nc->dropped_nodes++;
        return NULL;
    }
    nc->lite[nc->n_nodes] = (node_lite){ 0 };
    nc->rank_key[nc->n_nodes] = 0x10000;
    *idx = nc->n_nodes++;
    node *n = &nc->nodes[*idx];
    memset(n, 0, sizeof *n);
    memcpy(n->pub.ext, ext, 8);
    n->pub.ext_known = ext_known;
    n->pub.pan = pan;
    const ek_nc_decl *d = decl_of(nc, ext);
    ek_monitor_cfg mc;
    memset(&mc, 0, sizeof mc);
    if (d) {
        mc = d->mon;
        n->pub.declared = true;
        n->pub.legacy = d->legacy;
        n->pub.stimulus = d->stimulus;
        n->decl_root = d->is_root;
        snprintf(n->pub.name, sizeof n->pub.name, "%s", d->name);
    }
    mc.prof = nc->cfg.prof;
    mc.implements_mep = !(d && d->legacy);
    mc.eb_period_ms = nc->cfg.eb_period_ms;
    mc.slack_ms = nc->cfg.slack_ms;
    mc.closed_world = nc->cfg.closed_world;
    ek_monitor_init(&n->mon, &mc);
    ek_monitor_share(&n->mon, &nc->nbtab, ext);

    slot_put(nc, addr_key(ext), *idx);
    /* The DIOs sent before its first frame (the one that made it join, typically) are in
     * the shared table already; they appeared to it as new neighbours do. */
    uint64_t t_last = 0;
    bool any = false;
    for (size_t i = 0; i < *idx; i++) {
        const node *o = &nc->nodes[i];
        if (o->has_dio && (!any || o->t_dio > t_last))
            t_last = o->t_dio;
        any |= o->has_dio;
    }
    if (any) {
        ek_monitor_nbdio d = { .is_dio = true };
        ek_monitor_nbnews news = { .changed = true, .n_lower = 2 };
        ek_monitor_hear(&n->mon, &d, &news, t_last);
    }
    return n;
}

/* The sender's identity: its EUI-64, else PAN + short address (ek/netcheck.h). */
/* The EUI-64 a short-address sender revealed: its link-local IPv6 source carries an
 * interface ID that is not the short-address form (RFC 4944 §6: 0000:00ff:fe00:XXXX), so
 * the node built it from its EUI-64 (RFC 4944 §6, RFC 4291 Appendix A: U/L bit
 * inverted).  Remembered per PAN and short address: its later frames, with or without
 * IPv6, count for that node. */
static bool alias_of(ek_netcheck *nc, const ek_frame *f, uint16_t pan, bool learn, uint8_t ext[8])
{
    const ek_frame_summary *s = &f->sum;
    static const uint8_t LL[8] = { 0xfe, 0x80 }, SHORT_IID[4] = { 0, 0xff, 0xfe, 0 };
    uint32_t key = (uint32_t)pan << 16 | s->src16;
    /* Both short-address forms (RFC 6282 §3.2.2 0000:00ff:fe00:XXXX, RFC 4944 §6
     * PAN:00ff:fe00:XXXX) show no EUI-64; under a mesh header (RFC 4944 §5.2) the MAC
     * sender is a relay, not the packet's originator. */
    if (learn && s->has_ipv6 && !f->net.mesh.present && memcmp(s->ip_src, LL, 8) == 0 &&
        memcmp(s->ip_src + 10, SHORT_IID, 4) != 0) {
        unsigned i = 0;
        while (i < nc->n_alias && nc->alias[i].key != key)
            i++;
        if (i == nc->n_alias && nc->n_alias < ALIASES)
            nc->n_alias++;
        if (i < nc->n_alias) {
            nc->alias[i].key = key;
            memcpy(nc->alias[i].ext, s->ip_src + 8, 8);
            nc->alias[i].ext[0] ^= 0x02;
        }
    }
    for (unsigned i = 0; i < nc->n_alias; i++)
        if (nc->alias[i].key == key) {
            memcpy(ext, nc->alias[i].ext, 8);
            return true;
        }
    return false;
}

static bool sender_of(ek_netcheck *nc, const ek_frame *f, bool fcs_ok, uint8_t ext[8], bool *ext_known,
                      uint16_t *pan)
{
    const ek_frame_summary *s = &f->sum;
    *pan = s->has_src_pan ? s->src_pan : s->has_dst_pan ? s->dst_pan : 0xffff;
    if (s->has_src64) {
        memcpy(ext, s->src64, 8);
        *ext_known = true;
        return true;
    }
    if (s->has_src16 && alias_of(nc, f, *pan, fcs_ok, ext)) {
        *ext_known = true;
        return true;
    }
    if (s->has_src16) {
        memset(ext, 0, 8);
        ext[2] = (uint8_t)(*pan >> 8);
        ext[3] = (uint8_t)*pan;
        ext[6] = (uint8_t)(s->src16 >> 8);
        ext[7] = (uint8_t)s->src16;
        *ext_known = false;
        return true;
    }
    return false;
}

/* ---- findings, series, pairs ------------------------------------------------------------ */

/* Whether the next finding of this node and rule is kept or streamed (so worth formatting). */
static bool finding_wanted(const ek_netcheck *nc, size_t ni, unsigned rule)
{
    return nc->sink || nc->nodes[ni].kept[rule] < nc->cfg.keep_findings;
}

/* Counts the finding; keeps it (the first keep_findings per node and rule) and hands it
 * to the sink.  msg may be NULL when !finding_wanted(). */
static void finding_msg(ek_netcheck *nc, size_t ni, unsigned rule, ek_monitor_severity sev, uint64_t frame_no,
                        uint64_t t_ns, const char *msg)
{
    node *n = &nc->nodes[ni];
    ek_nc_finding f;
    f.node = ni;
    f.rule = rule;
    f.severity = sev;
    f.frame_no = frame_no;
    f.t_ns = t_ns;
    f.other_frame_no = nc->next_other;
    nc->next_other = 0;
    if (msg)
        snprintf(f.msg, sizeof f.msg, "%s", msg);
    else
        f.msg[0] = '\0';
    ek_nc_tally *t = &n->tally[rule];
    if (sev == EK_MON_FAIL) {
        t->failed++;
        if (!t->first_fail_frame)
            t->first_fail_frame = frame_no;
    } else {
        t->info++;
    }
    if (n->kept[rule] < nc->cfg.keep_findings) {
        if (n->n_find == n->cap_find) {
            size_t cap = n->cap_find ? 2 * n->cap_find : 4;
            ek_nc_finding *p = realloc(n->find, cap * sizeof *p);
            if (p) {
                n->find = p;
                n->cap_find = cap;
            }
        }
        if (n->n_find < n->cap_find) {
            n->find[n->n_find++] = f;
            if (++n->kept[rule] == nc->cfg.keep_findings && rule < 32)
                n->full_rules |= 1u << rule;
        }
    }
    if (nc->sink)
        nc->sink(nc->sink_ctx, &f);
}

#if defined(__GNUC__)
__attribute__((format(printf, 7, 8)))
#endif
static void finding(ek_netcheck *nc, size_t ni, unsigned rule, ek_monitor_severity sev, uint64_t frame_no,
                    uint64_t t_ns, const char *fmt, ...)
{
    char msg[EK_MONITOR_MSG_MAX];
    bool want = finding_wanted(nc, ni, rule);
    if (want) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
    }
    finding_msg(nc, ni, rule, sev, frame_no, t_ns, want ? msg : NULL);
}

/* The frame the next finding was judged against (consumed by finding()). */
static void with_other(ek_netcheck *nc, uint64_t other)
{
    nc->next_other = other;
}

/* Whether a point (t, has, v) is a change of series s (series_note keeps only those). */
static bool series_changes(const series *s, bool has, uint16_t v)
{
    return !s->n || s->has_last != has || (has && s->v_last != v);
}

static void series_note(series *s, uint64_t t, uint64_t frame_no, bool has, uint16_t v)
{
    if (!series_changes(s, has, v))
        return;
    if (has && (!s->n || !s->has_last))
        s->t_since = t;
    if (s->n == EK_NC_SERIES_MAX) {
        s->thinned = true;
        /* thin: keep the first and the newest point, every point where the value went
         * missing (a restart, a DIO without the option) or came back, and every other one
         * of the rest; plain halving when that is not enough */
        size_t w = 1;
        for (size_t r = 1; r < s->n; r++)
            if (r == s->n - 1 || !s->p[r].has || !s->p[r - 1].has || r % 2 == 0)
                s->p[w++] = s->p[r];
        if (w > EK_NC_SERIES_MAX * 3 / 4) {
            w = 1;
            for (size_t r = 2; r < s->n; r += 2)
                s->p[w++] = s->p[r];
            s->p[w++] = s->p[s->n - 1];
        }
        s->n = w;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 8;
        if (cap > EK_NC_SERIES_MAX)
            cap = EK_NC_SERIES_MAX;
        ek_nc_point *p = realloc(s->p, cap * sizeof *p);
        if (!p)
            return;
        s->p = p;
        s->cap = cap;
    }
    s->p[s->n++] = (ek_nc_point){ .t_ns = t, .frame_no = frame_no, .v = has ? v : 0, .has = has };
    s->t_last = t;
    s->v_last = has ? v : 0;
    s->has_last = has;
}

/* With series_note of the MIN series: the same point.  keep_ns: the longest window
 * min_low is asked about. */
static void low_note(low_window *l, uint64_t t, bool has, uint8_t v, uint64_t keep_ns)
{
    if (l->any && l->has_last == has && (!has || l->v_last == v))
        return; /* no change: series_note keeps none either */
    bool back = l->any && t < l->t_last;
    bool run_begins = has && (!l->any || !l->has_last);
    if (run_begins)
        l->t_since = t;
    l->any = true;
    l->has_last = has;
    l->v_last = has ? v : 0;
    l->t_last = t;
    if (!has) {
        l->n = 0;
        return;
    }
    if (run_begins || back) {
        /* nothing before a run is in force after its start; after a point that stepped
         * back in time (a capture whose clock did), windows that begin before it are
         * left to min_low's fallback */
        l->n = 0;
        l->from = t;
    }
    if (l->n)
        l->c[l->n - 1].end = t; /* the newest is always the last candidate */
    while (l->n && l->c[l->n - 1].v >= v)
        l->n--;
    /* out of every window from now on: ended keep_ns before the newest point */
    unsigned drop = 0;
    while (drop < l->n && age(t, l->c[drop].end) >= keep_ns)
        drop++;
    if (drop) {
        for (unsigned k = drop; k < l->n; k++)
            l->c[k - drop] = l->c[k];
        l->n -= drop;
    }
    if (l->n == l->cap) { /* above every value left, all octets: n stays <= 256 */
        unsigned cap = l->cap ? 2 * l->cap : 8;
        low_cand *c = realloc(l->c, cap * sizeof *c);
        if (!c) {
            l->n = 0;
            l->from = UINT64_MAX;
            return;
        }
        l->c = c;
        l->cap = cap;
    }
    l->c[l->n].end = UINT64_MAX;
    l->c[l->n++].v = v;
}

/* The lowest value in force during [t - w, t] (false when the series does not reach
 * back to t - w, or the value was absent at some point of the window), from its points:
 * min_low answers exactly for the MIN series, this scan when time stepped back. */
static bool series_low(const series *s, uint64_t t, uint64_t w, uint16_t *low)
{
    /* In time order (a merged capture may step back: then scan), the present run and
     * the latest point decide most questions without a scan. */
    if (s->n && s->t_last <= t) {
        if (!s->has_last || age(t, s->t_since) < w)
            return false;
        if (age(t, s->t_last) >= w) {
            *low = s->v_last;
            return true;
        }
    }
    bool seen_start = false;
    uint16_t lo = 0xffff;
    for (size_t k = s->n; k-- > 0;) {
        const ek_nc_point *p = &s->p[k];
        if (p->t_ns > t)
            continue;
        if (!p->has)
            return false;
        lo = p->v < lo ? p->v : lo;
        if (age(t, p->t_ns) >= w) {
            seen_start = true;
            break;
        }
    }
    if (!seen_start)
        return false;
    *low = lo;
    return true;
}

/* Whether a value was present throughout [t - w, t] (series_low without the value). */
static bool series_covered(const series *s, uint64_t t, uint64_t w)
{
    if (s->n && s->t_last <= t)
        return s->has_last && age(t, s->t_since) >= w;
    uint16_t lo;
    return series_low(s, t, w, &lo);
}

/* What the candidates cannot answer (a window that begins before a step back in time,
 * or ends before the newest point: the capture's clock went back): the series' points,
 * while they are all there; once thinned, not judged (false) rather than judged against
 * a bound a dropped point would have lowered. */
static bool min_low_scan(const node *n, uint64_t t, uint64_t w, uint16_t *low)
{
    const series *s = &n->s[EK_NC_SERIES_MIN];
    return !s->thinned && series_low(s, t, w, low);
}

/* series_low of node n's MIN series over [t - w, t], w at most low_keep_ns, exact
 * however long the run. */
static bool min_low(const node *n, uint64_t t, uint64_t w, uint16_t *low)
{
    const low_window *l = &n->min_low;
    if (!l->any || l->t_last > t)
        return min_low_scan(n, t, w, low);
    if (!l->has_last || age(t, l->t_since) < w)
        return false;
    if (age(t, l->t_last) >= w) {
        *low = l->v_last;
        return true;
    }
    /* the run began by t - w: the first candidate still in force then is the lowest */
    if (t - w >= l->from)
        for (unsigned k = 0; k < l->n; k++)
            if (l->c[k].end > t - w) {
                *low = l->c[k].v;
                return true;
            }
    return min_low_scan(n, t, w, low);
}

/* series_covered of node n's MIN series. */
static bool min_covered(const node *n, uint64_t t, uint64_t w)
{
    const low_window *l = &n->min_low;
    if (!l->any || l->t_last > t)
        return series_covered(&n->s[EK_NC_SERIES_MIN], t, w);
    return l->has_last && age(t, l->t_since) >= w;
}

static void pair_note(ek_netcheck *nc, size_t a, size_t b, uint32_t bit, uint64_t frame_no)
{
    /* open addressing over PAIR_SLOTS (twice PAIRS_MAX): index + 1, 0 = empty */
    size_t h = (a * 1315423911u + b * 2654435761u) & (PAIR_SLOTS - 1);
    for (;; h = (h + 1) & (PAIR_SLOTS - 1)) {
        uint16_t k = nc->pair_slot[h];
        if (!k)
            break;
        if (nc->pairs[k - 1].a == a && nc->pairs[k - 1].b == b) {
            nc->pairs[k - 1].bits |= bit;
            return;
        }
    }
    if (nc->n_pairs >= PAIRS_MAX)
        return;
    if (nc->n_pairs % 64 == 0) {
        ek_nc_pair *p = realloc(nc->pairs, (nc->n_pairs + 64) * sizeof *p);
        if (!p)
            return;
        nc->pairs = p;
    }
    nc->pair_slot[h] = (uint16_t)(nc->n_pairs + 1);
    nc->pairs[nc->n_pairs++] = (ek_nc_pair){ .a = a, .b = b, .bits = bit, .frame_no = frame_no };
}

/* ---- what a frame carries ------------------------------------------------------------- */

static bool is_dio(const ek_frame *f)
{
    return f->sum.has_dio && f->has_rpl;
}

static const ek_minprio *dio_mep(const ek_frame *f)
{
    for (unsigned i = 0; f->has_rpl && i < f->rpl.n_opts && i < EK_RPL_MAX_OPTS; i++)
        if (f->rpl.opts[i].kind == EK_RPL_OPTK_MEP && f->rpl.opts[i].err.code == EK_OK)
            return &f->rpl.opts[i].u.mep;
    return NULL;
}

static uint16_t dio_mhri(const ek_frame *f)
{
    for (unsigned i = 0; i < f->rpl.n_opts && i < EK_RPL_MAX_OPTS; i++)
        if (f->rpl.opts[i].kind == EK_RPL_OPTK_DODAG_CONF && f->rpl.opts[i].err.code == EK_OK)
            return f->rpl.opts[i].u.conf.min_hop_rank_inc;
    return 0;
}

static bool is_dao(const ek_frame *f)
{
    return f->sum.has_icmp6 && f->sum.icmp6_type == EK_ICMP6_TYPE_RPL && f->sum.icmp6_code == EK_RPL_CODE_DAO;
}

/* RFC 6550 §6.7.8, §9.3: a DAO whose Transit Information options all carry Path Lifetime
 * 0 is a No-Path DAO; it withdraws the sender's own DAO parent only when a Target is the
 * sender's own address (IID = its EUI-64, U/L bit inverted, RFC 4944 §6).  A 6LR also
 * relays its children's No-Paths to its current parents (§9.3, §12). */
static bool no_path_dao_of(const ek_frame *f, const uint8_t ext[8])
{
    unsigned transit = 0;
    bool own_target = false;
    for (unsigned i = 0; f->has_rpl && i < f->rpl.n_opts && i < EK_RPL_MAX_OPTS; i++) {
        const ek_rpl_opt *o = &f->rpl.opts[i];
        if (o->err.code != EK_OK)
            continue;
        if (o->kind == EK_RPL_OPTK_TARGET && o->u.target.prefix_len == 128 && o->u.target.prefix_bytes == 16) {
            uint8_t iid[8];
            memcpy(iid, o->u.target.prefix + 8, 8);
            iid[0] ^= 0x02;
            own_target |= memcmp(iid, ext, 8) == 0;
        }
        if (o->kind != EK_RPL_OPTK_TRANSIT)
            continue;
        if (o->u.transit.path_lifetime != 0)
            return false;
        transit++;
    }
    return transit > 0 && own_target;
}

/* RFC 6550 §8.2.2.2: the root advertises ROOT_RANK = MinHopRankIncrease; its address is
 * the DODAGID (§6.3.1) when it sends from it. */
static bool dio_from_root(const node *n, const ek_frame *f)
{
    if (n->decl_root)
        return true;
    /* this DIO's DODAG Configuration option, else the one the node sent before (RFC 6550
     * does not ask for it in every DIO) */
    uint16_t mhri = dio_mhri(f);
    if (!mhri)
        mhri = n->mhri;
    if (f->sum.rank == (mhri ? mhri : DEFAULT_MHRI))
        return true;
    return f->sum.has_ipv6 && memcmp(f->sum.ip_src, f->sum.dodagid, 16) == 0;
}

/* ---- network rules on a node's DIO ------------------------------------------------------ */

/* The DODAG (RPL instance and DODAGID) of a DIO as one word, never 0: equal DODAGs,
 * equal keys (parents_of confirms a match on the full DODAGID). */
static uint32_t dodag_key(const ek_frame *f)
{
    uint64_t a, b;
    memcpy(&a, f->sum.dodagid, 8);
    memcpy(&b, f->sum.dodagid + 8, 8);
    uint64_t h = (a ^ b * 0x9e3779b97f4a7c15ull ^ f->sum.instance_id) * 0xff51afd7ed558ccdull;
    return (uint32_t)(h >> 32) | 1;
}

/* Whether Version a is newer than b (RFC 6550 §7.2 lollipop order: ek_rpl_lollipop_cmp
 * (a, b) == 1), from the table: no branch on random Versions. */
static inline bool newer(const ek_netcheck *nc, uint8_t a, uint8_t b)
{
    return (nc->newer_than[b][a >> 6] >> (a & 63)) & 1;
}

/* The node's possible parents: its DAO parent when it sent storing-mode DAOs, else every
 * node of the same DODAG advertising a lower rank (RFC 6550 §3.5.1: a parent's rank is
 * lower).  Returns how many, at most cap, and how they were found. */
static size_t parents_of(ek_netcheck *nc, size_t ni, const ek_frame *f, size_t *out, size_t cap, const char **how)
{
    node *n = &nc->nodes[ni];
    size_t k = 0;
    /* its DAO parents of this DODAG ranked below it; only while the one it addressed last
     * is among them (that one unheard: it may have moved on, so rank evidence decides) */
    for (unsigned d = 0; d < n->n_dao && k < cap; d++) {
        size_t pi;
        const node_lite *p = find_node(nc, n->dao[d].ext, &pi) ? &nc->lite[pi] : NULL;
        bool usable = p && p->has_dio && p->rank < f->sum.rank && p->instance == f->sum.instance_id &&
                      memcmp(p->dodagid, f->sum.dodagid, 16) == 0;
        if (!usable && d == 0)
            break;
        if (usable)
            out[k++] = pi;
    }
    if (k) {
        *how = "DAO";
        return k;
    }
    *how = "rank";
    /* every node ranked below it in a DODAG of the same key (no branch per node: the
     * ranks of a network in motion make those unpredictable), then the DODAGID checked */
    uint32_t key = dodag_key(f), *cand = nc->scratch;
    size_t nc_ = 0;
    for (size_t i = 0; i < nc->n_nodes; i++) {
        const node_lite *c = &nc->lite[i];
        cand[nc_] = (uint32_t)i;
        nc_ += (c->rank < f->sum.rank) & (c->dodag_key == key) & (c->rank != INFINITE_RANK) & (i != ni);
    }
    for (size_t j = 0; j < nc_ && k < cap; j++)
        if (nc->lite[cand[j]].instance == f->sum.instance_id &&
            memcmp(nc->lite[cand[j]].dodagid, f->sum.dodagid, 16) == 0)
            out[k++] = cand[j];
    return k;
}

/* The possible parents of the node sending the DIO, found once per DIO. */
typedef struct parents {
    size_t idx[64];
    size_t n;
    const char *how;
    bool root;                 /* the DIO is the root's (dio_from_root): no parents */
} parents;

static void rule_min_below_parent(ek_netcheck *nc, size_t ni, const ek_frame *f, const ek_minprio *o,
                                  const parents *pp, uint64_t frame_no, uint64_t t)
{
    node *n = &nc->nodes[ni];
    const size_t *par = pp->idx;
    const char *how = pp->how;
    size_t np = pp->n;
    if (!np || f->sum.rank == INFINITE_RANK)
        return;
    uint16_t bound = 0xffff;
    size_t from = 0;
    for (size_t k = 0; k < np; k++) {
        const node *c = &nc->nodes[par[k]];
        /* The node holds a newer Version than that parent showed: in the open world it may
         * come from a DIO the capture missed.  In a closed world every DIO is seen, so it
         * came from a node that is not a parent (EP-5): judged. */
        if (!nc->cfg.closed_world && o->has_version && c->has_opt && c->opt.has_version &&
            newer(nc, o->version, c->opt.version))
            return;
        uint16_t lo;
        if (!min_low(c, t, adopt_ns(nc), &lo))
            return; /* a possible parent without the option, or not known long enough */
        if (lo < bound) {
            bound = lo;
            from = par[k];
        }
    }
    /* option-dropped is judged by the caller; here the node carries the option */
    n->judged[R_MIN_BELOW_PARENT]++;
    if (np == 1) {
        n->pub.has_parent = true;
        n->pub.parent = par[0];
        n->pub.parent_how = how;
        n->pub.parent_frame = nc->nodes[par[0]].dio_frame;
    }
    if (o->min_priority >= bound)
        return;
    char a[24] = "";
    if (finding_wanted(nc, ni, R_MIN_BELOW_PARENT)) /* else finding() formats nothing */
        fmt_ext(nc->nodes[from].pub.ext, a);
    with_other(nc, nc->nodes[from].dio_frame);
    /* Open world and parents guessed from rank: the node's real parent may be one the
     * capture does not hear (out of the sniffer's range), so the rank evidence is INFO. */
    ek_monitor_severity sev = nc->cfg.closed_world || strcmp(how, "DAO") == 0 ? EK_MON_FAIL : EK_MON_INFO;
    if (np == 1)
        finding(nc, ni, R_MIN_BELOW_PARENT, sev, frame_no, t,
                "DIO minimum 0x%02x < 0x%02x, the lowest minimum its parent %s (inferred from %s) advertised within "
                "the last %u ms: a 6LR may only raise it",
                o->min_priority, bound, a, how, (unsigned)nc->cfg.adopt_ms);
    else
        finding(nc, ni, R_MIN_BELOW_PARENT, sev, frame_no, t,
                "DIO minimum 0x%02x (rank %u) < 0x%02x, the lowest minimum any of its %zu possible parents (%s; "
                "lowest from %s) advertised within the last %u ms: a 6LR may only raise it",
                o->min_priority, f->sum.rank, bound, np, strcmp(how, "DAO") == 0 ? "its DAO parents" : "lower ranks",
                a, (unsigned)nc->cfg.adopt_ms);
    pair_note(nc, ni, from, EK_NC_PAIR_BELOW, frame_no);
}

static void rule_option_dropped(ek_netcheck *nc, size_t ni, const ek_frame *f, const parents *pp,
                                uint64_t frame_no, uint64_t t)
{
    node *n = &nc->nodes[ni];
    /* A node that carried the option before, or (closed world) one declared with the
     * capability, must carry what its parents carry (EP-5, EP-13) */
    bool capable = n->ever_opt || (nc->cfg.closed_world && n->pub.declared && !n->pub.legacy);
    if (n->pub.legacy || !capable || f->sum.rank == INFINITE_RANK)
        return; /* a poisoning DIO (RFC 6550 §8.2.2.5) leaves the DODAG: nothing to carry */
    const size_t *par = pp->idx;
    const char *how = pp->how;
    size_t np = pp->n;
    if (!np)
        return;
    for (size_t k = 0; k < np; k++)
        if (!min_covered(&nc->nodes[par[k]], t, adopt_ns(nc)))
            return; /* a parent without it: the node may follow that one */
    n->judged[R_OPTION_DROPPED]++;
    if (dio_mep(f))
        return;
    finding(nc, ni, R_OPTION_DROPPED, EK_MON_FAIL, frame_no, t,
            "DIO without the enrollment option although the node %s and all %zu possible parents "
            "(inferred from %s) carried it for the last %u ms",
            n->ever_opt ? "sent it before" : "is declared to implement it", np, how, (unsigned)nc->cfg.adopt_ms);
}

static bool reached_by_chain(const ek_netcheck *nc, size_t ni, uint8_t from, uint8_t v, bool *followed);

static bool opt_same_contents(const ek_minprio *a, const ek_minprio *b)
{
    return a->min_priority == b->min_priority && a->has_size == b->has_size &&
           (!a->has_size || (a->exp == b->exp && a->size_code == b->size_code));
}

static void rule_versions(ek_netcheck *nc, size_t ni, const ek_frame *f, const ek_minprio *o, bool root,
                          uint64_t frame_no, uint64_t t)
{
    node *n = &nc->nodes[ni];
    if (!o->has_version)
        return;
    if (n->has_dio && (n->instance != f->sum.instance_id || memcmp(nc->lite[ni].dodagid, f->sum.dodagid, 16) != 0)) {
        /* another RPL instance or DODAG: Versions of different DODAGs are not compared */
        nc->lite[ni].reach.has = false;
        return;
    }
    /* Back to 240, the lollipop's start (RFC 6550 §7.2: 256 - SEQUENCE_WINDOW): the node
     * most likely restarted. */
    node_lite *l = &nc->lite[ni];
    bool restart = o->version == 240 && l->reach.has && newer(nc, n->max_ver, o->version);
    /* version-bump, EP-10: the root's own changes */
    if (root && n->has_opt && n->opt.has_version) {
        n->judged[R_VERSION_BUMP]++;
        if (!opt_same_contents(o, &n->opt) && !newer(nc, o->version, n->opt.version)) {
            with_other(nc, n->dio_frame);
            finding(nc, ni, R_VERSION_BUMP, restart ? EK_MON_INFO : EK_MON_FAIL, frame_no, t,
                    "root changed the option (min 0x%02x -> 0x%02x, size %u -> %u) under Version %u after %u: "
                    "every change needs a newer Version%s",
                    n->opt.min_priority, o->min_priority, (unsigned)n->opt.dodag_size, (unsigned)o->dodag_size,
                    o->version, n->opt.version, restart ? " (or the root restarted its counter)" : "");
        }
    }
    /* version-order, EP-12: never back to an older Version.  Legal moves since the node's
     * previous DIO: a newer Version, or one reached through a chain of newer Versions its
     * possible parents sent (reached_by_chain, from the Version log).  In the open world a parent's DIO the capture
     * missed could complete the chain, so an apparent step back is INFO there. */
    bool older = l->reach.has && newer(nc, n->max_ver, o->version);
    bool followed = true, reached = !l->reach.has || o->version == n->max_ver || newer(nc, o->version, n->max_ver);
    if (l->reach.has && !reached)
        reached = reached_by_chain(nc, ni, n->max_ver, o->version, &followed);
    if (l->reach.has && followed) {
        if (reached || older) {
            n->judged[R_VERSION_ORDER]++;
            if (!reached) {
                with_other(nc, n->max_ver_frame);
                finding(nc, ni, R_VERSION_ORDER, nc->cfg.closed_world && !restart ? EK_MON_FAIL : EK_MON_INFO,
                        frame_no, t,
                        "DIO option Version %u is older (RFC 6550 §7.2 lollipop order) than Version %u the node "
                        "advertised in frame %llu, and no chain of newer Versions from its possible parents leads "
                        "there%s: an older option must be ignored",
                        o->version, n->max_ver, (unsigned long long)n->max_ver_frame,
                        restart ? " (unless the node restarted)" : nc->cfg.closed_world ? "" : " (unless the capture missed one)");
            }
        }
    }
    n->max_ver = o->version;
    n->max_ver_frame = frame_no;
    l->reach.has = true;
    l->reach.rank_max = f->sum.rank;
    l->reach.seq = nc->vlog_seq;
}

/* Whether node ni may have moved from Version from to v since its latest DIO with a
 * Version: through a chain of ever newer Versions its possible parents (ranked below it,
 * same RPL instance) sent since then, in the order sent.  *followed is false when too
 * many such Versions, or more DIOs than the log keeps, make the chain unknown. */
static bool reached_by_chain(const ek_netcheck *nc, size_t ni, uint8_t from, uint8_t v, bool *followed)
{
    const node_lite *j = &nc->lite[ni];
    *followed = true;
    if (nc->ver_sent[v] <= j->reach.seq)
        return false; /* nobody sent v since: no chain ends there (however long the log) */
    if (nc->vlog_seq - j->reach.seq > VLOG_CAP) {
        *followed = false; /* the log no longer holds them all */
        return false;
    }
    /* the Versions the node may hold (at most 8 followed), and the ones it may move to
     * next: newer than one it holds, not held */
    uint64_t held[4] = { 0 }, next[4];
    held[from >> 6] = 1ull << (from & 63);
    for (unsigned k = 0; k < 4; k++)
        next[k] = nc->newer_than[from][k] & ~held[k];
    unsigned n = 1;
    uint32_t rank_max = j->reach.rank_max;
    uint8_t instance = j->instance;
    /* A chain ends with a DIO of Version v from a possible parent: none comes after the
     * latest such one, and without one nothing leads to v however many Versions came. */
    uint64_t end = nc->ver_sent[v] - 1;
    for (;;) {
        const struct vlog_entry *e = &nc->vlog[end % VLOG_CAP];
        if (e->sender != ni && e->rank < rank_max && e->instance == instance)
            break;
        uint32_t back = nc->vlog_back[end % VLOG_CAP];
        if (!back || end - back < j->reach.seq)
            return false;
        end -= back;
    }
    for (uint64_t q = j->reach.seq; q <= end; q++) {
        const struct vlog_entry *e = &nc->vlog[q % VLOG_CAP];
        uint8_t ver = e->version;
        /* one branch for all the tests: random ranks and Versions defeat prediction */
        if ((e->sender == ni) | (e->rank >= rank_max) | (e->instance != instance) |
            (((next[ver >> 6] >> (ver & 63)) & 1) == 0))
            continue;
        if (ver == v)
            return true;
        if (n == 8) {
            *followed = false; /* too many to follow: not judged */
            return false;
        }
        n++;
        held[ver >> 6] |= 1ull << (ver & 63);
        for (unsigned k = 0; k < 4; k++)
            next[k] = (next[k] | nc->newer_than[ver][k]) & ~held[k];
    }
    return false; /* v is not from (the caller checked) and was never added */
}

/* ADOPTED_MIN: the node's new minimum equals one a possible parent changed to lately. */
static void note_adoption(ek_netcheck *nc, size_t ni, const parents *pp, uint8_t v, uint64_t frame_no, uint64_t t)
{
    for (size_t k = 0; k < pp->n; k++) {
        const size_t *par = pp->idx;
        const low_window *l = &nc->nodes[par[k]].min_low;
        if (l->has_last && l->v_last == v && age(t, l->t_last) <= adopt_ns(nc))
            pair_note(nc, ni, par[k], EK_NC_PAIR_ADOPTED_MIN, frame_no);
    }
}

static void learn_dio(ek_netcheck *nc, size_t ni, const ek_frame *f, const ek_minprio *o, const parents *pp,
                      uint64_t frame_no, uint64_t t)
{
    node *n = &nc->nodes[ni];
    bool changed_min = o && (!n->has_opt || n->opt.min_priority != o->min_priority);
    n->has_dio = true;
    n->rank = f->sum.rank;
    n->instance = f->sum.instance_id;
    nc->lite[ni].has_dio = true;
    nc->lite[ni].instance = f->sum.instance_id;
    nc->lite[ni].rank = f->sum.rank;
    nc->rank_key[ni] = f->sum.rank;
    nc->lite[ni].dodag_key = dodag_key(f);
    if (nc->lite[ni].reach.has && f->sum.rank > nc->lite[ni].reach.rank_max)
        nc->lite[ni].reach.rank_max = f->sum.rank;
    memcpy(nc->lite[ni].dodagid, f->sum.dodagid, 16);
    uint16_t mh = dio_mhri(f);
    if (mh)
        n->mhri = mh;
    n->has_opt = o != NULL;
    if (o) {
        n->opt = *o;
        n->ever_opt = true;
    }
    n->dio_frame = frame_no;
    n->t_dio = t;
    low_note(&n->min_low, t, o != NULL, o ? o->min_priority : 0, low_keep_ns(nc));
    series_note(&n->s[EK_NC_SERIES_MIN], t, frame_no, o != NULL, o ? o->min_priority : 0);
    if (!nc->cfg.skip_timelines) {
        series_note(&n->s[EK_NC_SERIES_RANK], t, frame_no, true, f->sum.rank);
        series_note(&n->s[EK_NC_SERIES_VERSION], t, frame_no, true,
                    o && o->has_version ? o->version : f->sum.version);
    }
    if (changed_min && !pp->root)
        note_adoption(nc, ni, pp, o->min_priority, frame_no, t);
    if (!pp->root && pp->n == 1)
        pair_note(nc, ni, pp->idx[0], EK_NC_PAIR_PARENT, frame_no);
}

/* ---- EB rules ----------------------------------------------------------------------------- */

static void rule_jp_off(ek_netcheck *nc, size_t ni, const ek_frame *f, uint64_t frame_no, uint64_t t)
{
    node *n = &nc->nodes[ni];
    uint16_t lo;
    /* off for the whole of the last EB period + slack: an EB built before that DIO is not
     * judged */
    if (!min_low(n, t, grace_ns(nc), &lo) || lo != MEP_OFF)
        return;
    /* its likely parent sent a lower minimum since the node's latest DIO: the EB may show
     * it adopted (the monitor's proxy-below-min grants the same) */
    if (n->mon.has_nb_min_since && n->mon.nb_min_since < MEP_OFF)
        return;
    n->judged[R_JP_OFF]++;
    if (f->sum.proxy_priority == MEP_OFF)
        return;
    with_other(nc, n->dio_frame);
    finding(nc, ni, R_JP_OFF, EK_MON_FAIL, frame_no, t,
            "EB proxy priority 0x%02x although the node's minimum has been 0x7f (enrollment off) for more than "
            "%u ms: a Join Proxy must say 0x7f",
            f->sum.proxy_priority, (unsigned)(nc->cfg.eb_period_ms + nc->cfg.slack_ms));
}

static void note_eb(ek_netcheck *nc, size_t ni, const ek_frame *f, uint64_t frame_no, uint64_t t)
{
    node *n = &nc->nodes[ni];
    if (!nc->cfg.skip_timelines)
        series_note(&n->s[EK_NC_SERIES_PROXY], t, frame_no, true, f->sum.proxy_priority);
    n->has_nid = true;
    n->nid_len = (uint8_t)(f->sum.network_id.len > 16 ? 16 : f->sum.network_id.len);
    if (n->nid_len)
        memcpy(n->nid, f->sum.network_id.p, n->nid_len);
    n->nid_frame = frame_no;
    n->t_nid = t;
    size_t free_i = 16;
    for (size_t i = 0; i < 16; i++) {
        if (nc->last_eb[i].used && nc->last_eb[i].pan == n->pub.pan) {
            free_i = i;
            break;
        }
        if (!nc->last_eb[i].used && free_i == 16)
            free_i = i;
    }
    if (free_i < 16) {
        nc->last_eb[free_i].used = true;
        nc->last_eb[free_i].pan = n->pub.pan;
        nc->last_eb[free_i].node = ni;
        nc->last_eb[free_i].frame = frame_no;
    }
}

/* ---- malformed and frame counters ------------------------------------------------------ */

/* An ICMPv6 message whose checksum was checked and is wrong: discarded by every
 * receiver, so nothing is learnt from it either. */
static bool bad_icmp6_checksum(const ek_frame *f)
{
    return f->sum.has_icmp6 && f->sum.icmp6_checksum_status == 0;
}

static void rule_malformed(ek_netcheck *nc, size_t ni, const ek_frame *f, ek_status st, const ek_err *err,
                           uint64_t frame_no, uint64_t t)
{
    node *n = &nc->nodes[ni];
    const ek_err *e = NULL;
    for (unsigned i = 0; i < f->n_errors && !e; i++)
        if (f->errors[i].code == EK_ERR_MALFORMED || f->errors[i].code == EK_ERR_TRUNCATED)
            e = &f->errors[i];
    if (!e && err && (st == EK_ERR_MALFORMED || st == EK_ERR_TRUNCATED))
        e = err;
    if (!e && f->n_errors && !(st == EK_OK || st == EK_ERR_MALFORMED || st == EK_ERR_TRUNCATED))
        return; /* only UNSUPPORTED: outside what the codec decodes, not judged */
    n->malformed_judged++;
    if (!e && bad_icmp6_checksum(f)) {
        /* RFC 4443 §2.3: a receiver discards it.  A context the checker was given wrong
         * would give the same (RFC 6282 §3.1.1: SAC=1 except the unspecified address,
         * DAC=1 unicast or multicast): then only INFO, with the hint.  So is a message
         * the sender may only have relayed: a router does not recompute the checksum, so
         * only a link-local source without a mesh header is surely the sender's own. */
        const ek_lowpan_pkt *p = &f->net;
        static const uint8_t LL[8] = { 0xfe, 0x80 };
        bool ctx = p->compressed && ((p->iphc.sac && p->iphc.sam != 0) || p->iphc.dac);
        bool own = !p->mesh.present && f->sum.has_ipv6 && memcmp(f->sum.ip_src, LL, 8) == 0;
        n->pub.malformed++;
        finding(nc, ni, R_MALFORMED, ctx || !own ? EK_MON_INFO : EK_MON_FAIL, frame_no, t,
                "ICMPv6 checksum wrong (RFC 4443 §2.3): every receiver discards this message%s",
                ctx ? " (or the 6LoWPAN context the checker was given differs from the network's: --context)"
                : p->mesh.present ? " (the sender may only have relayed it: it came under a mesh header)"
                : !own ? " (the sender may only have relayed it: its source is not link-local)" : "");
        return;
    }
    if (!e)
        return;
    n->pub.malformed++;
    finding(nc, ni, R_MALFORMED, EK_MON_FAIL, frame_no, t, "frame does not decode: %s %s at offset %zu",
            e->field ? e->field : "?", ek_status_name(e->code), e->offset);
}

static uint32_t digest(const ek_frame *f)
{
    /* FNV-1a over what follows the clear header: the same octets twice = a replay */
    uint32_t h = 2166136261u ^ f->mac.seq;
    const ek_view *v[3] = { &f->mac.ciphertext, &f->mac.payload, &f->mac.mic };
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; v[k]->p && i < v[k]->len; i++)
            h = (h ^ v[k]->p[i]) * 16777619u;
    return h;
}

static void rule_frame_counter(ek_netcheck *nc, size_t ni, const ek_frame *f, uint64_t frame_no, uint64_t t)
{
    node *n = &nc->nodes[ni];
    if (!f->has_mac || !f->mac.security || f->mac.sec.fc_suppressed || f->mac.sec.asn_in_nonce ||
        f->mac.sec.key_id_mode == 0)
        return; /* TSCH may suppress the counter or put the ASN in the nonce (§9.3.2.2,
                   §9.4.1.1); implicit keys may be pairwise, one counter per peer */
    const ek_wpan_sec *s = &f->mac.sec;
    size_t srclen = s->key_id_mode == 2 ? 4 : s->key_id_mode == 3 ? 8 : 0;
    fc_key *k = NULL, *free_k = NULL;
    for (int i = 0; i < FC_KEYS && !k; i++) {
        fc_key *c = &n->fc[i];
        if (c->used && c->kim == s->key_id_mode && c->index == s->key_index && memcmp(c->source, s->key_source, srclen) == 0)
            k = c;
        else if (!c->used && !free_k)
            free_k = c;
    }
    uint32_t d = digest(f);
    if (!k) {
        if (!free_k)
            return;
        free_k->used = true;
        free_k->kim = s->key_id_mode;
        free_k->index = s->key_index;
        memset(free_k->source, 0, 8);
        memcpy(free_k->source, s->key_source, srclen);
        free_k->last = s->frame_counter;
        free_k->frame = frame_no;
        free_k->digest = d;
        return;
    }
    if (s->frame_counter == k->last && d == k->digest)
        return; /* the same frame again: a MAC retransmission, or two sniffers that both heard it */
    n->judged[R_FRAME_COUNTER]++;
    if (s->frame_counter > k->last) {
        k->last = s->frame_counter;
        k->frame = frame_no;
        k->digest = d;
        return;
    }
    /* In the open world a replay by an attacker carries the victim's address: INFO. */
    bool replay = s->frame_counter == k->last;
    with_other(nc, k->frame);
    finding(nc, ni, R_FRAME_COUNTER, nc->cfg.closed_world ? EK_MON_FAIL : EK_MON_INFO, frame_no, t,
            "%s: frame counter %u (key index %u) not above %u in frame %llu",
            replay ? "frame counter reused with other contents" : "frame counter went back", (unsigned)s->frame_counter, s->key_index,
            (unsigned)k->last, (unsigned long long)k->frame);
}

/* ---- the frame ------------------------------------------------------------------------------ */

static void monitor_frame(ek_netcheck *nc, size_t ni, const ek_frame *f, uint64_t frame_no, uint64_t t)
{
    node *n = &nc->nodes[ni];
    ek_monitor_finding out[EK_MONITOR_MAX_FINDINGS];
    n->mon.terse = nc->sink ? 0 : n->full_rules; /* no message formatted for those */
    size_t k = ek_monitor_node_frame(&n->mon, f, t, out, EK_MONITOR_MAX_FINDINGS);
    for (uint32_t b = n->mon.judged, r = 0; b; b >>= 1, r++)
        n->judged[r] += b & 1;
    for (size_t i = 0; i < k; i++) {
        int r = ek_nc_rule_index(out[i].rule);
        if (r < 0)
            continue;
        n->judged[r] += !(n->mon.judged & (1u << r)); /* a finding is a judgement */
        if (r == 0) {
            /* copied-option: the pair with the neighbour it was heard from */
            for (unsigned o = 0; f->has_rpl && o < f->rpl.n_opts && o < EK_RPL_MAX_OPTS; o++) {
                uint64_t no;
                uint8_t from[8];
                size_t bi;
                if (ek_monitor_heard(&n->mon, f->rpl.opts[o].type, &no, from) && find_node(nc, from, &bi)) {
                    with_other(nc, no);
                    pair_note(nc, ni, bi, EK_NC_PAIR_COPIED, frame_no);
                }
            }
        }
        finding_msg(nc, ni, (unsigned)r, out[i].severity, frame_no, t,
                    n->mon.terse & (1u << r) ? NULL : out[i].msg);
    }
}

/* The nodes but skip ranked above `above`, in index order, into to[] (room for n_nodes
 * + 4); how many.  Four at a time and without a branch per node: the ranks of a network
 * in motion make those unpredictable. */
static size_t ranked_above(const ek_netcheck *nc, uint32_t above, size_t skip, uint32_t *to)
{
    size_t n_to = 0;
#if defined(__SSE2__)
    /* lanes[m]: the positions of m's set bits, packed; count[m]: how many */
    static const uint32_t lanes[16][4] = {
        { 0 }, { 0 }, { 1 }, { 0, 1 }, { 2 }, { 0, 2 }, { 1, 2 }, { 0, 1, 2 },
        { 3 }, { 0, 3 }, { 1, 3 }, { 0, 1, 3 }, { 2, 3 }, { 0, 2, 3 }, { 1, 2, 3 }, { 0, 1, 2, 3 },
    };
    static const uint8_t count[16] = { 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4 };
    const __m128i lim = _mm_set1_epi32((int)above); /* keys <= 0x10000: a signed compare is exact */
    for (size_t i = 0; i < nc->n_nodes; i += 4) {
        __m128i k = _mm_loadu_si128((const __m128i *)(const void *)(nc->rank_key + i));
        unsigned m = (unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpgt_epi32(k, lim)));
        if (skip - i < 4)
            m &= ~(1u << (skip - i));
        __m128i idx = _mm_add_epi32(_mm_set1_epi32((int)i), _mm_loadu_si128((const __m128i *)(const void *)lanes[m]));
        _mm_storeu_si128((__m128i *)(void *)(to + n_to), idx);
        n_to += count[m];
    }
#else
    for (size_t i = 0; i < nc->n_nodes; i++) {
        to[n_to] = (uint32_t)i;
        n_to += (nc->rank_key[i] > above) & (i != skip);
    }
#endif
    return n_to;
}

/* Every other node may hear the DIO (one channel): the shared table learns it once.
 * Then each node it can teach (a possible parent: the sender ranked below it, before or
 * after this DIO) hears whether its rank or minimum may move before its next DIO says
 * so (its likely parent's minimum and Version; the Version log is written here too).
 * Nodes ranked at or below the sender, before and after, cannot have it as a parent. */
static void feed_neighbours(ek_netcheck *nc, size_t si, const ek_frame *f, uint64_t frame_no, uint64_t t)
{
    ek_monitor_nbdio d;
    ek_monitor_nb_prepare(f, &d);
    memcpy(d.ext, nc->nodes[si].pub.ext, 8); /* the table knows nodes as the checker does */
    d.slot_hint = nc->lite[si].nb_slot;
    ek_monitor_nbnews news;
    ek_monitor_nbtab_dio(&nc->nbtab, &d, frame_no, t, &news);
    if (news.slot)
        nc->lite[si].nb_slot = news.slot;
    if (d.has_mep && d.has_version) {
        uint64_t q = nc->vlog_seq++, prev = nc->ver_sent[d.version]; /* + 1 */
        nc->vlog[q % VLOG_CAP] = (struct vlog_entry){ .sender = (uint32_t)si, .rank = d.rank,
                                                      .instance = d.instance, .version = d.version };
        nc->vlog_back[q % VLOG_CAP] = prev && q - (prev - 1) < VLOG_CAP ? (uint32_t)(q - (prev - 1)) : 0;
        nc->ver_sent[d.version] = nc->vlog_seq;
    }
    bool tell_all = news.changed || news.n_lower == 0;
    if (!tell_all && news.n_lower >= 2)
        return; /* no node's state moves */
    /* the nodes it can teach: ranked above it before or after this DIO (no DIO: above all) */
    uint32_t above = d.rank;
    if (news.had && news.prev_rank < above)
        above = news.prev_rank;
    if (!tell_all) { /* only the one ranked below it may take it as its likely parent */
        uint8_t ext[8];
        size_t i;
        memcpy(ext, &news.lower_key, 8);
        if (find_node(nc, ext, &i) && i != si && nc->rank_key[i] > above)
            ek_monitor_hear(&nc->nodes[i].mon, &d, &news, t);
        return;
    }
    uint32_t *to = nc->scratch;
    size_t n_to = ranked_above(nc, above, si, to);
    if (news.n_lower >= 2 && d.is_dio) { /* then news.changed: nobody's likely parent moved */
        for (size_t j = 0; j < n_to; j++)
            ek_monitor_hear_moved(&nc->nodes[to[j]].mon, t);
        return;
    }
    for (size_t j = 0; j < n_to; j++)
        ek_monitor_hear(&nc->nodes[to[j]].mon, &d, &news, t);
}

void ek_nc_frame(ek_netcheck *nc, const ek_frame *f, ek_status st, const ek_err *err, bool fcs_ok,
                 uint64_t frame_no, uint64_t t_ns)
{
    nc->frames++;
    uint8_t ext[8];
    bool ext_known;
    uint16_t pan;
    if (!f->has_mac || !sender_of(nc, f, fcs_ok, ext, &ext_known, &pan)) {
        nc->unattributed++;
        return;
    }
    if (!fcs_ok) {
        nc->corrupted++; /* noise on the air: its address may be a corrupted one too */
        return;
    }
    size_t ni;
    node *n = find_node(nc, ext, &ni);
    bool first = false;
    if (!n) {
        n = add_node(nc, ext, ext_known, pan, &ni);
        if (!n)
            return; /* beyond max_nodes: counted in dropped_nodes */
        first = true;
        n->pub.first_frame = frame_no;
        n->pub.t_first_ns = t_ns;
    }
    n->pub.frames++;
    n->pub.last_frame = frame_no;
    n->pub.t_last_ns = t_ns;
    if (f->sum.has_src_pan || f->sum.has_dst_pan)
        n->pub.pan = pan;
    if (f->mac.security)
        n->pub.secured++;
    if (first) {
        for (size_t i = 0; i < 16; i++)
            if (nc->last_eb[i].used && nc->last_eb[i].pan == n->pub.pan && nc->last_eb[i].node != ni)
                pair_note(nc, ni, nc->last_eb[i].node, EK_NC_PAIR_HEARD_EB, nc->last_eb[i].frame);
    }

    bool discarded = bad_icmp6_checksum(f); /* judged as malformed only */
    if (!n->pub.stimulus) {
        rule_malformed(nc, ni, f, st, err, frame_no, t_ns);
        rule_frame_counter(nc, ni, f, frame_no, t_ns);
        if (!discarded && ek_monitor_frame_matters(f))
            monitor_frame(nc, ni, f, frame_no, t_ns);
        n = &nc->nodes[ni];
    }
    bool judge = !n->pub.stimulus;

    if (is_dao(f) && f->sum.has_dst64 && !discarded && no_path_dao_of(f, n->pub.ext)) {
        /* RFC 6550 §6.4.3, §9.8: a No-Path DAO withdraws the routes from that parent,
         * typically the one the node just left */
        unsigned d = 0;
        while (d < n->n_dao && memcmp(n->dao[d].ext, f->sum.dst64, 8) != 0)
            d++;
        if (d < n->n_dao) {
            memmove(&n->dao[d], &n->dao[d + 1], (n->n_dao - d - 1) * sizeof n->dao[0]);
            n->n_dao--;
        }
        n->pub.daos++;
    } else if (is_dao(f) && f->sum.has_dst64 && !discarded) {
        unsigned d = 0;
        while (d < n->n_dao && memcmp(n->dao[d].ext, f->sum.dst64, 8) != 0)
            d++;
        if (d == n->n_dao && n->n_dao < DAO_PARENTS)
            n->n_dao++;
        if (d == DAO_PARENTS)
            d--; /* the least recently addressed one makes room */
        memmove(&n->dao[1], &n->dao[0], d * sizeof n->dao[0]);
        memcpy(n->dao[0].ext, f->sum.dst64, 8);
        n->dao[0].frame = frame_no;
        n->pub.daos++;
    }
    bool dio = is_dio(f) && !discarded;
    const ek_minprio *o = dio ? dio_mep(f) : NULL;
    if (dio) {
        n->pub.dios++;
        bool root = dio_from_root(n, f);
        n->pub.roles |= root ? EK_NC_ROLE_ROOT : EK_NC_ROLE_6LR;
        parents pp; /* idx[] is written up to n only: no zeroing per DIO */
        pp.n = 0;
        pp.how = "";
        pp.root = root;
        if (!root)
            pp.n = parents_of(nc, ni, f, pp.idx, 64, &pp.how);
        if (judge && !root && !n->pub.legacy) {
            if (o)
                rule_min_below_parent(nc, ni, f, o, &pp, frame_no, t_ns);
            rule_option_dropped(nc, ni, f, &pp, frame_no, t_ns);
        }
        if (judge && o && !n->pub.legacy)
            rule_versions(nc, ni, f, o, root, frame_no, t_ns);
        learn_dio(nc, ni, f, n->pub.legacy ? NULL : o, &pp, frame_no, t_ns);
        feed_neighbours(nc, ni, f, frame_no, t_ns);
    }
    if (f->sum.has_ji) {
        n->pub.roles |= EK_NC_ROLE_JP;
        n->pub.ebs++;
        if (judge && !n->pub.legacy)
            rule_jp_off(nc, ni, f, frame_no, t_ns);
        note_eb(nc, ni, f, frame_no, t_ns);
    } else if (f->has_mac && ek_frame_is_class(f, EK_CLASS_EB)) {
        n->pub.ebs++;
    }
}

void ek_nc_mark(ek_netcheck *nc, uint64_t t_ns, uint64_t frame_no, const char *text)
{
    if (nc->n_marks >= MARKS_MAX)
        return;
    if (nc->n_marks % 32 == 0) {
        ek_nc_mark_rec *p = realloc(nc->marks, (nc->n_marks + 32) * sizeof *p);
        if (!p)
            return;
        nc->marks = p;
    }
    ek_nc_mark_rec *m = &nc->marks[nc->n_marks++];
    m->t_ns = t_ns;
    m->frame_no = frame_no;
    snprintf(m->text, sizeof m->text, "%s", text);
}

void ek_nc_restart(ek_netcheck *nc, uint64_t t_ns, uint64_t frame_no, const char *why)
{
    for (size_t i = 0; i < nc->n_nodes; i++) {
        node *n = &nc->nodes[i];
        ek_monitor_reset(&n->mon);
        n->has_dio = n->has_opt = n->ever_opt = false;
        n->n_dao = 0;
        memset(n->fc, 0, sizeof n->fc); /* the network ID is configuration: it stays */
        nc->lite[i] = (node_lite){ 0 };
        nc->rank_key[i] = 0x10000;
        /* a change series restarts too: a value after the reset is not a change of one
         * before it for the rules that read them */
        low_note(&n->min_low, t_ns, false, 0, low_keep_ns(nc));
        for (int k = 0; k < EK_NC_SERIES_KINDS; k++)
            if (k == EK_NC_SERIES_MIN || !nc->cfg.skip_timelines)
                series_note(&n->s[k], t_ns, frame_no, false, 0);
    }
    ek_monitor_nbtab_reset(&nc->nbtab);
    memset(nc->last_eb, 0, sizeof nc->last_eb);
    ek_nc_mark(nc, t_ns, frame_no, why ? why : "reset");
}

static bool same_nid(const node *a, const node *b)
{
    return a->nid_len == b->nid_len && memcmp(a->nid, b->nid, a->nid_len) == 0;
}

static bool nid_voter(const node *b, uint16_t pan)
{
    return b->has_nid && !b->pub.stimulus && b->pub.pan == pan;
}

/* network-id, EB-8 (RFC 9032 §2: the PANs of one JRC share a network ID): the Join
 * Proxies of a PAN (stimulus nodes aside) should agree.  A node whose ID differs from the
 * one a strict majority of its PAN's Join Proxies advertise fails; without a strict
 * majority (a tie, two networks sharing a PAN ID) the difference is INFO.  O(n^2): the
 * majority candidate by Boyer-Moore vote, then counted. */
void ek_nc_finish(ek_netcheck *nc)
{
    if (nc->finished)
        return;
    nc->finished = true;
    for (size_t i = 0; i < nc->n_nodes; i++) {
        node *a = &nc->nodes[i];
        if (!a->has_nid || a->pub.stimulus)
            continue;
        uint16_t pan = a->pub.pan;
        size_t jps = 0, agree = 0, cand = i, lead = 0;
        for (size_t j = 0; j < nc->n_nodes; j++) {
            const node *b = &nc->nodes[j];
            if (!nid_voter(b, pan))
                continue;
            jps++;
            agree += same_nid(a, b);
            if (lead == 0) {
                cand = j;
                lead = 1;
            } else {
                lead += same_nid(&nc->nodes[cand], b) ? 1 : (size_t)-1;
            }
        }
        if (jps < 2)
            continue;
        a->judged[R_NETWORK_ID]++;
        if (agree * 2 > jps)
            continue; /* the node is with the majority */
        node *w = &nc->nodes[cand];
        size_t votes = 0;
        for (size_t j = 0; j < nc->n_nodes; j++)
            votes += nid_voter(&nc->nodes[j], pan) && same_nid(w, &nc->nodes[j]);
        if (same_nid(w, a)) {
            /* no value holds a majority: name any other one */
            for (size_t j = 0; j < nc->n_nodes; j++)
                if (nid_voter(&nc->nodes[j], pan) && !same_nid(a, &nc->nodes[j])) {
                    w = &nc->nodes[j];
                    break;
                }
            votes = 0;
            for (size_t j = 0; j < nc->n_nodes; j++)
                votes += nid_voter(&nc->nodes[j], pan) && same_nid(w, &nc->nodes[j]);
        }
        bool majority = votes * 2 > jps;
        char x[40] = "none", y[40] = "none", wl[24];
        for (size_t k = 0; k < a->nid_len; k++)
            snprintf(x + 2 * k, sizeof x - 2 * k, "%02x", a->nid[k]);
        for (size_t k = 0; k < w->nid_len; k++)
            snprintf(y + 2 * k, sizeof y - 2 * k, "%02x", w->nid[k]);
        fmt_ext(w->pub.ext, wl);
        with_other(nc, w->nid_frame);
        finding(nc, i, R_NETWORK_ID, majority ? EK_MON_FAIL : EK_MON_INFO, a->nid_frame, a->t_nid,
                "Join-Info network ID %s differs from %s, advertised by %zu of the %zu Join Proxies of PAN 0x%04x "
                "(e.g. %s)%s",
                x, y, votes, jps, pan, wl, majority ? "" : ": no majority (two networks on one PAN ID?)");
    }
}

/* ---- accessors ------------------------------------------------------------------------------ */

uint64_t ek_nc_frames(const ek_netcheck *nc) { return nc->frames; }
uint64_t ek_nc_frames_unattributed(const ek_netcheck *nc) { return nc->unattributed; }
uint64_t ek_nc_nodes_dropped(const ek_netcheck *nc) { return nc->dropped_nodes; }
uint64_t ek_nc_frames_corrupted(const ek_netcheck *nc) { return nc->corrupted; }
size_t ek_nc_node_count(const ek_netcheck *nc) { return nc->n_nodes; }

const ek_nc_node *ek_nc_node_at(const ek_netcheck *nc, size_t i)
{
    return i < nc->n_nodes ? &nc->nodes[i].pub : NULL;
}

void ek_nc_node_label(const ek_netcheck *nc, size_t i, char *buf, size_t len)
{
    if (i >= nc->n_nodes) {
        snprintf(buf, len, "?");
        return;
    }
    const ek_nc_node *n = &nc->nodes[i].pub;
    char a[24];
    if (n->ext_known)
        fmt_ext(n->ext, a);
    else
        snprintf(a, sizeof a, "0x%04x@0x%04x", (unsigned)(n->ext[6] << 8 | n->ext[7]),
                 (unsigned)(n->ext[2] << 8 | n->ext[3]));
    if (n->name[0])
        snprintf(buf, len, "%s (%s)", n->name, a);
    else
        snprintf(buf, len, "%s", a);
}

ek_nc_tally ek_nc_node_tally(const ek_netcheck *nc, size_t node_i, unsigned rule)
{
    ek_nc_tally z = { 0 };
    if (node_i >= nc->n_nodes || rule >= N_RULES)
        return z;
    z = nc->nodes[node_i].tally[rule];
    z.judged = rule == R_MALFORMED ? nc->nodes[node_i].malformed_judged : nc->nodes[node_i].judged[rule];
    return z;
}

ek_nc_outcome ek_nc_tally_outcome(const ek_nc_tally *t)
{
    if (t->failed)
        return EK_NC_FAIL;
    if (t->info)
        return EK_NC_INFO;
    return t->judged ? EK_NC_PASS : EK_NC_NOT_JUDGED;
}

ek_nc_outcome ek_nc_node_outcome(const ek_netcheck *nc, size_t i)
{
    if (i >= nc->n_nodes)
        return EK_NC_NOT_JUDGED;
    ek_nc_outcome worst = EK_NC_NOT_JUDGED;
    bool substantive = false;
    for (unsigned r = 0; r < N_RULES; r++) {
        ek_nc_tally t = ek_nc_node_tally(nc, i, r);
        ek_nc_outcome o = ek_nc_tally_outcome(&t);
        if (o > worst)
            worst = o;
        /* every frame "decodes": that alone says nothing about enrollment control */
        substantive |= r != R_MALFORMED && o != EK_NC_NOT_JUDGED;
    }
    return worst == EK_NC_FAIL || substantive ? worst : EK_NC_NOT_JUDGED;
}

const ek_nc_finding *ek_nc_node_findings(const ek_netcheck *nc, size_t node_i, size_t *n)
{
    if (node_i >= nc->n_nodes) {
        *n = 0;
        return NULL;
    }
    *n = nc->nodes[node_i].n_find;
    return nc->nodes[node_i].find;
}

const ek_nc_point *ek_nc_series(const ek_netcheck *nc, size_t node_i, ek_nc_series_kind k, size_t *n)
{
    if (node_i >= nc->n_nodes || (unsigned)k >= EK_NC_SERIES_KINDS) {
        *n = 0;
        return NULL;
    }
    *n = nc->nodes[node_i].s[k].n;
    return nc->nodes[node_i].s[k].p;
}

const ek_nc_mark_rec *ek_nc_marks(const ek_netcheck *nc, size_t *n)
{
    *n = nc->n_marks;
    return nc->marks;
}

const ek_nc_pair *ek_nc_pairs(const ek_netcheck *nc, size_t *n)
{
    *n = nc->n_pairs;
    return nc->pairs;
}
