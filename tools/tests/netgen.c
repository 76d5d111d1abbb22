/* SPDX-License-Identifier: BSD-3-Clause */
/* netgen: writes the capture of a small emulated network for enroll-check's tests: a
 * root (02:00:5e:ef:00:00:00:0a) whose minimum goes 0x20 -> 0x50 -> 0x7f -> 0x30 in newer
 * option Versions, and 6LRs 02:00:5e:ef:00:00:00:01.. (rank 768) that follow it with
 * Enhanced Beacons (proxy = minimum + 5, join metric DAGRank - 1, network ID "net"),
 * each 100 ms period.  A node may carry one seeded fault:
 *   ignore      keeps the minimum at 0x40 (min-below-parent once the root says 0x50)
 *   proxy-low   EB proxy = minimum - 5 (proxy-below-min)
 *   jp-on       EB proxy 0x7e while the minimum is 0x7f (jp-off, proxy-below-min)
 *   metric      join metric DAGRank(rank) (join-metric)
 *   netid       network ID "other" (network-id)
 * usage: netgen [-p PERIODS] OUT.pcap FIRST_HALF.pcap SECOND_HALF.pcap SPEC...
 * SPEC = ok | FAULT (one per 6LR); the two halves split the same frames by time, for the
 * merge test.  PERIODS (default 80) makes long captures for timing runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/build.h"
#include "ek/fcs.h"
#include "ek/pcapio.h"

#define MS UINT64_C(1000000)
#define MAX_NODES 16

static ek_profile prof;
static ek_cap_writer *w_all, *w_half[2];
static unsigned periods = 80;
static uint64_t t_split;

static void put(const uint8_t *mpdu, size_t len, uint64_t t)
{
    uint8_t rec[160];
    memcpy(rec, mpdu, len);
    uint16_t fcs = ek_fcs16(ek_view_make(mpdu, len));
    rec[len] = (uint8_t)fcs;
    rec[len + 1] = (uint8_t)(fcs >> 8);
    ek_view v = ek_view_make(rec, len + 2);
    uint64_t sec = 1700000000 + t / 1000000000, usec = (t % 1000000000) / 1000;
    if (ek_cap_write(w_all, sec, (uint32_t)usec, v) != EK_CAP_IO_OK ||
        ek_cap_write(w_half[t >= t_split], sec, (uint32_t)usec, v) != EK_CAP_IO_OK) {
        fputs("netgen: write failed\n", stderr);
        exit(2);
    }
}

static void node(uint8_t id, ek_build_node *n)
{
    static uint8_t seq;
    const uint8_t base[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x00 };
    memset(n, 0, sizeof *n);
    memcpy(n->ext, base, 8);
    n->ext[7] = id;
    n->pan_id = 0xface;
    n->seq = seq++;
}

static void dio(uint8_t id, uint16_t rank, uint8_t min, uint8_t version, uint64_t t)
{
    ek_build_node n;
    node(id, &n);
    ek_build_dio d;
    ek_build_dio_init(&d);
    d.base.rank = rank;
    d.has_mep = true;
    d.mep.min_priority = min;
    d.mep.has_version = true;
    d.mep.version = version;
    d.mep.has_size = true;
    d.mep.size_code = 4;
    uint8_t b[128];
    size_t len;
    ek_err e;
    if (ek_build_dio_frame(&n, &d, &prof, b, sizeof b, &len, &e) != EK_OK)
        exit(2);
    put(b, len, t);
}

static void eb(uint8_t id, uint8_t proxy, uint8_t metric, const char *nid, uint64_t t)
{
    ek_build_node n;
    node(id, &n);
    ek_build_eb e;
    ek_build_eb_init(&e);
    e.asn = t / (10 * MS);
    e.join_metric = metric;
    e.has_ji = true;
    e.ji.proxy_prio = proxy;
    e.ji.rank_prio = 1;
    e.ji.pan_prio = 1;
    e.ji.network_id = ek_view_make((const uint8_t *)nid, strlen(nid));
    uint8_t b[128];
    size_t len;
    ek_err err;
    if (ek_build_eb_frame(&n, &e, &prof, b, sizeof b, &len, &err) != EK_OK)
        exit(2);
    put(b, len, t);
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "-p") == 0) {
        periods = (unsigned)strtoul(argv[2], NULL, 10);
        argc -= 2;
        argv += 2;
    }
    t_split = (uint64_t)(periods / 2) * 100 * MS;
    if (periods < 4 || argc < 5 || argc - 4 > MAX_NODES) {
        fputs("usage: netgen [-p PERIODS >= 4] OUT.pcap FIRST_HALF.pcap SECOND_HALF.pcap SPEC... (ok|ignore|proxy-low|jp-on|metric|netid)\n",
              stderr);
        return 2;
    }
    ek_profile_default(&prof);
    char err[512];
    if (ek_cap_writer_open(argv[1], 195, &w_all, err, sizeof err) != EK_CAP_IO_OK ||
        ek_cap_writer_open(argv[2], 195, &w_half[0], err, sizeof err) != EK_CAP_IO_OK ||
        ek_cap_writer_open(argv[3], 195, &w_half[1], err, sizeof err) != EK_CAP_IO_OK) {
        fprintf(stderr, "netgen: %s\n", err);
        return 2;
    }
    int n_lr = argc - 4;
    /* the root's minimum per quarter of the run, each in a newer Version */
    static const uint8_t mins[4] = { 0x20, 0x50, 0x7f, 0x30 };
    uint8_t adopted[MAX_NODES] = { 0 };
    for (unsigned p = 0; p < periods; p++) {
        uint64_t t = (uint64_t)p * 100 * MS;
        unsigned q = (unsigned)((uint64_t)p * 4 / periods);
        uint8_t rmin = mins[q], ver = (uint8_t)(240 + q);
        dio(0x0a, 256, rmin, ver, t);
        for (int i = 0; i < n_lr; i++) {
            const char *spec = argv[4 + i];
            uint8_t id = (uint8_t)(i + 1);
            uint8_t min = strcmp(spec, "ignore") == 0 ? 0x40 : rmin;
            adopted[i] = min;
            dio(id, 768, min, ver, t + (uint64_t)(30 + 5 * i) * MS);
        }
        for (int i = 0; i < n_lr; i++) {
            const char *spec = argv[4 + i];
            uint8_t id = (uint8_t)(i + 1);
            unsigned proxy = adopted[i] + 5u > 0x7f ? 0x7f : adopted[i] + 5u;
            if (strcmp(spec, "proxy-low") == 0)
                proxy = adopted[i] >= 5 ? adopted[i] - 5u : 0;
            if (strcmp(spec, "jp-on") == 0 && adopted[i] == 0x7f)
                proxy = 0x7e;
            uint8_t metric = strcmp(spec, "metric") == 0 ? 3 : 2; /* DAGRank(768) - 1 = 2 */
            const char *nid = strcmp(spec, "netid") == 0 ? "other" : "net";
            eb(id, (uint8_t)proxy, metric, nid, t + (uint64_t)(70 + 3 * i) * MS);
        }
    }
    if (ek_cap_writer_close(w_all) != EK_CAP_IO_OK || ek_cap_writer_close(w_half[0]) != EK_CAP_IO_OK ||
        ek_cap_writer_close(w_half[1]) != EK_CAP_IO_OK)
        return 2;
    return 0;
}
