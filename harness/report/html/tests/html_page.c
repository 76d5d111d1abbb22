/* SPDX-License-Identifier: BSD-3-Clause */
/* html_page: builds a small network from real frames and writes its report.html, for
 * the browser test (html_render.sh).  The frames come from the frame builders, go to a
 * pcap file (LINKTYPE 195, with FCS), and are read back through the capture layer and
 * ek_cap_decode_record as enroll-check reads a capture; then judged by the checker.
 *
 *   html_page mixed DIR     DIR/network.pcap and DIR/report.html: a root that raises
 *                           its minimum (a timeline mark), a 6LR that follows it, a 6LR
 *                           that stays below it (min-below-parent, draft-16 §3.2), a Join
 *                           Proxy with another network ID (RFC 9032 §2), a node sending a
 *                           malformed option (RFC 6550 §6.7.1), a pledge that only sends
 *                           DISes, some corrupted (not judged); two declared names, one full
 *                           of markup
 *   html_page nothing DIR   DIR/report.html of a run on which no rule applied (only that
 *                           pledge)
 *
 * Prints what the page must show, one fact a line: "verdict W", "nodes N",
 * "finding NODE RULE FRAME" per finding kept, "pairs N", "name TEXT" per declared name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/build.h"
#include "ek/decap.h"
#include "ek/htmlreport.h"
#include "ek/netcheck.h"
#include "ek/pcapio.h"
#include "ek/recdecode.h"
#include "ek/wr.h"

#define MS UINT64_C(1000000)
#define MAX_FRAMES 512

/* Markup, quotes and an ampersand: a declared name must show as text, never as markup. */
static const char hostile_name[] = "vendor <b>&\"x'</b>";

typedef struct frame_rec {
    uint64_t t_ns;
    uint8_t psdu[EK_BUILD_MPDU_MAX + 2];
    size_t len;
} frame_rec;

typedef struct net {
    ek_profile prof;
    frame_rec fr[MAX_FRAMES];
    size_t n;
    uint8_t seq;
    /* the frame index of the root's raise, for the timeline mark */
    size_t mark_at;
} net;

static void die(const char *what)
{
    fprintf(stderr, "html_page: %s\n", what);
    exit(2);
}

static void node_ext(uint8_t last, uint8_t ext[8])
{
    const uint8_t base[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x00 };
    memcpy(ext, base, 8);
    ext[7] = last;
}

/* Keeps the MPDU with its FCS (IEEE 802.15.4-2015 §7.2.10). */
static void keep(net *w, const uint8_t *mpdu, size_t len, uint64_t t)
{
    if (w->n >= MAX_FRAMES)
        die("too many frames");
    frame_rec *r = &w->fr[w->n++];
    ek_buf b;
    ek_buf_init(&b, r->psdu, sizeof r->psdu);
    ek_err err;
    if (ek_cap_encap(EK_LT_IEEE802_15_4_WITHFCS, ek_view_make(mpdu, len), true, NULL, &b, &err) != EK_OK)
        die("encap");
    r->len = b.len;
    r->t_ns = t;
}

static ek_build_node sender(net *w, uint8_t id)
{
    ek_build_node n = { .pan_id = 0xface, .seq = w->seq++ };
    node_ext(id, n.ext);
    return n;
}

static void dio(net *w, uint8_t id, uint16_t rank, int min, uint8_t version, uint64_t t)
{
    ek_build_node n = sender(w, id);
    ek_build_dio d;
    ek_build_dio_init(&d);
    d.base.rank = rank;
    if (min >= 0) {
        d.has_mep = true;
        d.mep.min_priority = (uint8_t)min;
        d.mep.has_version = true;
        d.mep.version = version;
        d.mep.has_size = true;
        d.mep.size_code = 4;
    }
    uint8_t buf[EK_BUILD_MPDU_MAX];
    size_t len;
    ek_err e;
    if (ek_build_dio_frame(&n, &d, &w->prof, buf, sizeof buf, &len, &e) != EK_OK)
        die("DIO");
    keep(w, buf, len, t);
}

static void eb(net *w, uint8_t id, uint8_t proxy, const char *nid, uint64_t t)
{
    ek_build_node n = sender(w, id);
    ek_build_eb e;
    ek_build_eb_init(&e);
    e.asn = t / (10 * MS);
    e.join_metric = 2; /* DAGRank(768) - 1, RFC 8180 §6.1 */
    e.has_ji = true;
    e.ji.proxy_prio = proxy;
    e.ji.rank_prio = 1;
    e.ji.pan_prio = 1;
    e.ji.network_id = ek_view_make((const uint8_t *)nid, strlen(nid));
    uint8_t buf[EK_BUILD_MPDU_MAX];
    size_t len;
    ek_err err;
    if (ek_build_eb_frame(&n, &e, &w->prof, buf, sizeof buf, &len, &err) != EK_OK)
        die("EB");
    keep(w, buf, len, t);
}

/* A pledge's DIS, and the same DIS with its FCS hit on the air.  The clean one makes
 * the node (whose frames only decode: not judged); the corrupted one is noise, counted
 * for the run and against nobody. */
static void dis_corrupted(net *w, uint8_t id, uint64_t t)
{
    ek_build_node n = sender(w, id);
    uint8_t buf[EK_BUILD_MPDU_MAX];
    size_t len;
    ek_err e;
    if (ek_build_dis_frame(&n, &w->prof, buf, sizeof buf, &len, &e) != EK_OK)
        die("DIS");
    keep(w, buf, len, t);
    keep(w, buf, len, t + MS);
    w->fr[w->n - 1].psdu[w->fr[w->n - 1].len - 1] ^= 0xff;
}

/* A DIO whose enrollment option's Length runs past the message (RFC 6550 §6.7.1). */
static void bad_dio(net *w, uint8_t id, uint64_t t)
{
    ek_build_node n = sender(w, id);
    ek_build_dio d;
    ek_build_dio_init(&d);
    d.base.rank = 1024;
    d.n_extra = 1;
    d.extra_pos = EK_BUILD_OPT_LAST;
    d.extra[0] = (ek_build_raw_opt){ .type = 0x2a, .length = 9, .data_len = 1, .data = { 0x20 } };
    uint8_t buf[EK_BUILD_MPDU_MAX];
    size_t len;
    ek_err e;
    if (ek_build_dio_frame(&n, &d, &w->prof, buf, sizeof buf, &len, &e) != EK_OK)
        die("malformed DIO");
    keep(w, buf, len, t);
}

/* Root 0x0a raises its minimum from 0x20 to 0x50 (version 241) at 1.0 s; 0x01 follows
 * it, 0x02 stays at 0x40 (below its parent's 0x50); 0x03 is a Join Proxy of another
 * network; 0x05 sends a malformed option; 0x07 is heard only with a bad FCS. */
static void mixed(net *w)
{
    for (unsigned i = 0; i < 30; i++) {
        uint64_t t = i * 100 * MS;
        bool raised = i >= 10;
        int root_min = raised ? 0x50 : 0x20;
        uint8_t ver = raised ? 241 : 240;
        if (i == 10)
            w->mark_at = w->n;
        dio(w, 0x0a, 256, root_min, ver, t);
        int m1 = i >= 13 ? 0x50 : 0x20;
        dio(w, 0x01, 768, m1, i >= 13 ? 241 : 240, t + 30 * MS);
        int m2 = i >= 20 ? 0x40 : i >= 13 ? 0x50 : 0x20;
        dio(w, 0x02, 768, m2, i >= 13 ? 241 : 240, t + 40 * MS);
        eb(w, 0x01, (uint8_t)(m1 + 5), "net", t + 60 * MS);
        eb(w, 0x02, (uint8_t)(m2 + 5), "net", t + 70 * MS);
        if (i % 3 == 0)
            eb(w, 0x03, 0x60, "other", t + 80 * MS);
        if (i == 5)
            bad_dio(w, 0x05, t + 90 * MS);
        if (i % 5 == 0)
            dis_corrupted(w, 0x07, t + 95 * MS);
    }
}

static void write_pcap(const net *w, const char *path)
{
    char eb[512];
    ek_cap_writer *cw = NULL;
    if (ek_cap_writer_open(path, EK_LT_IEEE802_15_4_WITHFCS, &cw, eb, sizeof eb) != EK_CAP_IO_OK)
        die(eb);
    for (size_t i = 0; i < w->n; i++) {
        const frame_rec *r = &w->fr[i];
        if (ek_cap_write(cw, r->t_ns / 1000000000u, (uint32_t)(r->t_ns / 1000u % 1000000u),
                         ek_view_make(r->psdu, r->len)) != EK_CAP_IO_OK)
            die(ek_cap_writer_errmsg(cw));
    }
    if (ek_cap_writer_close(cw) != EK_CAP_IO_OK)
        die("closing the capture");
}

/* Reads the capture back and judges every record, as enroll-check does. */
static void judge(ek_netcheck *nc, const net *w, const char *path)
{
    char eb[512];
    ek_cap_reader *r = NULL;
    if (ek_cap_open(path, &r, eb, sizeof eb) != EK_CAP_IO_OK)
        die(eb);
    static ek_frame f;
    ek_cap_record rec;
    ek_cap_io io;
    while ((io = ek_cap_next(r, &rec)) == EK_CAP_IO_OK) {
        ek_cap_frame cf;
        ek_status st = ek_cap_decode_record(&rec, &w->prof, &f, &cf);
        uint64_t t = rec.ts_sec * 1000000000u + rec.ts_nsec;
        if (w->mark_at && rec.index == w->mark_at + 1)
            ek_nc_mark(nc, t, rec.index, "root: minimum 0x50, version 241");
        ek_nc_frame(nc, &f, st, f.n_errors ? &f.errors[0] : NULL, !f.sum.has_fcs || f.sum.fcs_ok, rec.index, t);
    }
    if (io != EK_CAP_IO_EOF)
        die(ek_cap_errmsg(r));
    ek_cap_close(r);
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "mixed") && strcmp(argv[1], "nothing"))) {
        fprintf(stderr, "usage: html_page mixed|nothing DIR\n");
        return 1;
    }
    bool is_mixed = !strcmp(argv[1], "mixed");
    static net w;
    ek_profile_default(&w.prof);
    char pcap[1024], html[1024];
    snprintf(pcap, sizeof pcap, "%s/network.pcap", argv[2]);
    snprintf(html, sizeof html, "%s/report.html", argv[2]);

    ek_nc_decl decl[2];
    memset(decl, 0, sizeof decl);
    node_ext(0x01, decl[0].ext);
    snprintf(decl[0].name, sizeof decl[0].name, "vendor-a");
    node_ext(0x02, decl[1].ext);
    snprintf(decl[1].name, sizeof decl[1].name, "%s", hostile_name);

    ek_nc_cfg cfg;
    ek_nc_cfg_default(&cfg);
    cfg.prof = w.prof;
    cfg.eb_period_ms = 100;
    cfg.slack_ms = 20;
    cfg.adopt_ms = 500;
    cfg.decl = decl;
    cfg.n_decl = 2;
    cfg.closed_world = true; /* every node of the emulated network is in the capture */
    ek_netcheck *nc = ek_nc_new(&cfg);
    if (!nc)
        die("out of memory");

    if (is_mixed)
        mixed(&w);
    else
        for (unsigned i = 0; i < 5; i++)
            dis_corrupted(&w, 0x07, i * 100 * MS);
    write_pcap(&w, pcap);
    judge(nc, &w, pcap);
    ek_nc_finish(nc);

    ek_html_opts o;
    memset(&o, 0, sizeof o);
    o.title = is_mixed ? "enrollkit report: mixed network" : "enrollkit report: nothing to judge";
    o.tool = "html_page";
    o.version = EK_VERSION;
    o.command = is_mixed ? "html_page mixed DIR" : "html_page nothing DIR";
    o.input = "network.pcap";
    o.capture_href = "network.pcap";
    char err[512];
    if (ek_html_write_file(html, nc, &o, err, sizeof err) != 0)
        die(err);

    printf("verdict %s\n", ek_html_verdict_word(ek_html_run_verdict(nc, &o)));
    printf("nodes %zu\n", ek_nc_node_count(nc));
    size_t nr = 0;
    const ek_nc_rule *rules = ek_nc_rules(&nr);
    for (size_t i = 0; i < ek_nc_node_count(nc); i++) {
        const ek_nc_node *n = ek_nc_node_at(nc, i);
        size_t k = 0;
        const ek_nc_finding *fs = ek_nc_node_findings(nc, i, &k);
        for (size_t j = 0; j < k; j++)
            printf("finding %02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x %s %llu\n", n->ext[0], n->ext[1], n->ext[2],
                   n->ext[3], n->ext[4], n->ext[5], n->ext[6], n->ext[7],
                   fs[j].rule < nr ? rules[fs[j].rule].name : "unknown", (unsigned long long)fs[j].frame_no);
    }
    size_t np = 0;
    (void)ek_nc_pairs(nc, &np);
    printf("pairs %zu\n", np);
    if (is_mixed)
        printf("name %s\n", hostile_name);
    ek_nc_free(nc);
    return 0;
}
