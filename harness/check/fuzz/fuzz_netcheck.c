/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target: the network checker (ek/netcheck.h) fed a stream of hostile frames
 * from a handful of senders.  It must survive every input, keep its memory bounded by
 * the number of nodes, and keep its books straight: a finding names a known node, rule
 * and frame; kept findings and series stay within their caps; a node's outcome agrees
 * with its tallies. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ek/frame.h"
#include "ek/netcheck.h"
#include "fuzz_util.h"

/* Input: byte 0 = configuration (bits 0-1 wire profile, bit 2 Join-Info layout, bit 3
 * closed world, bit 4 declare node 0x0a legacy, bit 5 stimulus), then chunks
 * [len:1][MPDU:len] (the refnode target's format, so its seeds serve here too), each
 * STEP_NS after the previous one; a chunk whose first octet is 0xff restarts the
 * checker's learnt state instead. */
#define STEP_NS (37ull * 1000000ull)

static ek_frame fz_f;
static uint64_t fz_frames;

static void on_finding(void *ctx, const ek_nc_finding *f)
{
    const ek_netcheck *nc = ctx;
    size_t n_rules;
    (void)ek_nc_rules(&n_rules);
    if (f->node >= ek_nc_node_count(nc))
        FZ_FAIL("finding for node %zu of %zu", f->node, ek_nc_node_count(nc));
    if (f->rule >= n_rules)
        FZ_FAIL("finding for rule %u of %zu", f->rule, n_rules);
    if (f->frame_no > fz_frames || f->other_frame_no > fz_frames)
        FZ_FAIL("finding names frame %llu / %llu after %llu frames", (unsigned long long)f->frame_no,
                (unsigned long long)f->other_frame_no, (unsigned long long)fz_frames);
    if (!memchr(f->msg, '\0', sizeof f->msg) || !f->msg[0])
        FZ_FAIL("finding without a message");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t cfgb = data[0];
    ek_nc_cfg c;
    ek_nc_cfg_default(&c);
    c.prof.mep = (ek_mep_profile)(cfgb & 3);
    c.prof.ji = (cfgb & 4) ? EK_JI_BYTE_ALIGNED : EK_JI_RFC9032_LITERAL;
    c.closed_world = (cfgb & 8) != 0;
    c.eb_period_ms = 100;
    c.slack_ms = 20;
    c.adopt_ms = 300;
    c.max_nodes = 8; /* so the node limit is reached too */
    ek_nc_decl d;
    memset(&d, 0, sizeof d);
    d.ext[7] = 0x0a;
    d.legacy = (cfgb & 16) != 0;
    d.stimulus = (cfgb & 32) != 0;
    c.decl = &d;
    c.n_decl = 1;
    ek_netcheck *nc = ek_nc_new(&c);
    if (!nc)
        FZ_FAIL("ek_nc_new failed");
    ek_nc_set_sink(nc, on_finding, nc);
    fz_frames = 0;
    uint64_t t = 1000000000ull;
    size_t i = 1;
    while (i < size) {
        size_t len = data[i++];
        if (len > size - i)
            len = size - i;
        if (len && data[i] == 0xff) {
            ek_nc_restart(nc, t, fz_frames, "restart");
        } else {
            uint8_t mpdu[256];
            memcpy(mpdu, data + i, len);
            ek_status st = ek_frame_decode_mpdu(ek_view_make(mpdu, len), NULL, &c.prof, &fz_f);
            fz_frames++;
            ek_nc_frame(nc, &fz_f, st, fz_f.n_errors ? &fz_f.errors[0] : NULL, (len & 7) != 7, fz_frames, t);
        }
        i += len;
        t += STEP_NS;
    }
    ek_nc_finish(nc);

    size_t n_rules;
    (void)ek_nc_rules(&n_rules);
    if (ek_nc_node_count(nc) > 8)
        FZ_FAIL("%zu nodes beyond the limit of 8", ek_nc_node_count(nc));
    if (ek_nc_frames(nc) != fz_frames)
        FZ_FAIL("frames %llu != %llu given", (unsigned long long)ek_nc_frames(nc), (unsigned long long)fz_frames);
    for (size_t n = 0; n < ek_nc_node_count(nc); n++) {
        size_t k;
        const ek_nc_finding *f = ek_nc_node_findings(nc, n, &k);
        if (k > 8 * n_rules)
            FZ_FAIL("node %zu keeps %zu findings", n, k);
        for (size_t j = 0; j < k; j++)
            if (f[j].node != n)
                FZ_FAIL("node %zu keeps a finding of node %zu", n, f[j].node);
        bool failed = false;
        for (unsigned r = 0; r < n_rules; r++) {
            ek_nc_tally tl = ek_nc_node_tally(nc, n, r);
            failed |= tl.failed > 0;
            if (tl.failed && !tl.first_fail_frame)
                FZ_FAIL("node %zu rule %u failed without a first frame", n, r);
        }
        if (failed != (ek_nc_node_outcome(nc, n) == EK_NC_FAIL))
            FZ_FAIL("node %zu outcome disagrees with its tallies", n);
        if (ek_nc_node_at(nc, n)->stimulus && ek_nc_node_outcome(nc, n) != EK_NC_NOT_JUDGED)
            FZ_FAIL("stimulus node %zu was judged", n);
        for (int s = 0; s < EK_NC_SERIES_KINDS; s++) {
            size_t np;
            const ek_nc_point *p = ek_nc_series(nc, n, (ek_nc_series_kind)s, &np);
            if (np > EK_NC_SERIES_MAX)
                FZ_FAIL("series %d of node %zu holds %zu points", s, n, np);
            for (size_t j = 1; j < np; j++)
                if (p[j].t_ns < p[j - 1].t_ns)
                    FZ_FAIL("series %d of node %zu goes back in time", s, n);
        }
    }
    size_t np;
    const ek_nc_pair *p = ek_nc_pairs(nc, &np);
    for (size_t j = 0; j < np; j++)
        if (p[j].a >= ek_nc_node_count(nc) || p[j].b >= ek_nc_node_count(nc) || p[j].a == p[j].b)
            FZ_FAIL("pair %zu -> %zu", p[j].a, p[j].b);
    ek_nc_free(nc);
    return 0;
}
