/* SPDX-License-Identifier: BSD-3-Clause */
/* Network checker: each rule fails the node that breaks it and no other, holds within
 * its grace windows, and a run in which nothing applied is not green.  Frames are built
 * with the harness's frame builders and decoded with the codec, as off the air. */
#include <criterion/criterion.h>
#include <string.h>

#include "ek/build.h"
#include "ek/ncreport.h"
#include "ek/netcheck.h"

#define MS UINT64_C(1000000)

static ek_profile prof;
static ek_frame frame;

static void node_ext(uint8_t last, uint8_t ext[8])
{
    const uint8_t base[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x00 };
    memcpy(ext, base, 8);
    ext[7] = last;
}

/* A checker at the tests' timing (EBs every 100 ms, slack 20 ms, adoption 500 ms). */
static ek_netcheck *checker_with(bool closed_world, bool skip_timelines)
{
    ek_profile_default(&prof);
    ek_nc_cfg c;
    ek_nc_cfg_default(&c);
    c.prof = prof;
    c.eb_period_ms = 100;
    c.slack_ms = 20;
    c.adopt_ms = 500;
    c.closed_world = closed_world;
    c.skip_timelines = skip_timelines;
    ek_netcheck *nc = ek_nc_new(&c);
    cr_assert_not_null(nc);
    return nc;
}

static ek_netcheck *new_checker(void)
{
    return checker_with(false, false);
}

static uint64_t frame_no;

static void feed(ek_netcheck *nc, const uint8_t *mpdu, size_t len, uint64_t t)
{
    uint8_t psdu[160];
    memcpy(psdu, mpdu, len);
    ek_status st = ek_frame_decode_mpdu(ek_view_make(psdu, len), NULL, &prof, &frame);
    ek_nc_frame(nc, &frame, st, frame.n_errors ? &frame.errors[0] : NULL, true, ++frame_no, t);
}

static size_t dio_bytes(uint8_t id, uint16_t rank, int min, uint8_t version, uint8_t buf[128]);

/* A DIO of node `id` with rank and (min >= 0) the enrollment option. */
static void dio(ek_netcheck *nc, uint8_t id, uint16_t rank, int min, uint8_t version, uint64_t t)
{
    uint8_t buf[128];
    size_t len = dio_bytes(id, rank, min, version, buf);
    feed(nc, buf, len, t);
}

static size_t dio_bytes(uint8_t id, uint16_t rank, int min, uint8_t version, uint8_t buf[128])
{
    ek_build_node n = { .pan_id = 0xface, .seq = (uint8_t)frame_no };
    node_ext(id, n.ext);
    ek_build_dio d;
    ek_build_dio_init(&d);
    d.base.rank = rank;
    if (min >= 0) {
        d.has_mep = true;
        d.mep.min_priority = (uint8_t)min;
        d.mep.has_version = true;
        d.mep.version = version;
        d.mep.has_size = true;
        d.mep.exp = 0;
        d.mep.size_code = 4;
    }
    size_t len;
    ek_err e;
    cr_assert_eq(ek_build_dio_frame(&n, &d, &prof, buf, 128, &len, &e), EK_OK);
    return len;
}

static void eb(ek_netcheck *nc, uint8_t id, uint8_t proxy, uint8_t join_metric, const char *nid, uint64_t t)
{
    ek_build_node n = { .pan_id = 0xface, .seq = (uint8_t)frame_no };
    node_ext(id, n.ext);
    ek_build_eb e;
    ek_build_eb_init(&e);
    e.asn = t / (10 * MS);
    e.join_metric = join_metric;
    e.has_ji = true;
    e.ji.proxy_prio = proxy;
    e.ji.rank_prio = 1;
    e.ji.pan_prio = 1;
    e.ji.network_id = ek_view_make((const uint8_t *)nid, strlen(nid));
    uint8_t buf[128];
    size_t len;
    ek_err err;
    cr_assert_eq(ek_build_eb_frame(&n, &e, &prof, buf, sizeof buf, &len, &err), EK_OK);
    feed(nc, buf, len, t);
}

static size_t node_index(const ek_netcheck *nc, uint8_t id)
{
    uint8_t ext[8];
    node_ext(id, ext);
    for (size_t i = 0; i < ek_nc_node_count(nc); i++)
        if (memcmp(ek_nc_node_at(nc, i)->ext, ext, 8) == 0)
            return i;
    cr_assert_fail("node %u not seen", id);
    return 0;
}

static ek_nc_outcome rule_outcome(const ek_netcheck *nc, uint8_t id, const char *rule)
{
    int r = ek_nc_rule_index(rule);
    cr_assert_geq(r, 0, "rule %s", rule);
    ek_nc_tally t = ek_nc_node_tally(nc, node_index(nc, id), (unsigned)r);
    return ek_nc_tally_outcome(&t);
}

/* A root (0x0a, rank 256) and two 6LRs (0x01, 0x02, rank 768) that follow it (their DIOs
 * more than the slack after the root's, so they show what they adopted); EBs with
 * proxy = minimum + 5 and the right join metric (DAGRank(768) - 1 = 2). */
static void compliant_period(ek_netcheck *nc, int min, uint8_t ver, uint64_t t, int min6lr)
{
    dio(nc, 0x0a, 256, min, ver, t);
    dio(nc, 0x01, 768, min6lr, ver, t + 30 * MS);
    dio(nc, 0x02, 768, min6lr, ver, t + 40 * MS);
    eb(nc, 0x01, (uint8_t)(min6lr + 5 > 0x7f ? 0x7f : min6lr + 5), 2, "net", t + 60 * MS);
    eb(nc, 0x02, (uint8_t)(min6lr + 5 > 0x7f ? 0x7f : min6lr + 5), 2, "net", t + 80 * MS);
}

Test(netcheck, compliant_network_passes_every_node)
{
    ek_netcheck *nc = new_checker();
    for (unsigned i = 0; i < 20; i++)
        compliant_period(nc, 0x20, 240, i * 100 * MS, 0x20);
    ek_nc_finish(nc);
    cr_assert_eq(ek_nc_node_count(nc), 3);
    for (size_t i = 0; i < 3; i++)
        cr_assert_eq(ek_nc_node_outcome(nc, i), EK_NC_PASS, "node %zu", i);
    cr_assert_eq(rule_outcome(nc, 0x01, "min-below-parent"), EK_NC_PASS);
    cr_assert_eq(rule_outcome(nc, 0x01, "proxy-below-min"), EK_NC_PASS);
    cr_assert_eq(rule_outcome(nc, 0x01, "join-metric"), EK_NC_PASS);
    cr_assert_eq(rule_outcome(nc, 0x01, "network-id"), EK_NC_PASS);
    cr_assert_eq(rule_outcome(nc, 0x0a, "min-below-parent"), EK_NC_NOT_JUDGED, "the root has no parent");
    cr_assert_eq(ek_ncr_exit_status(nc), EK_NCR_EXIT_PASS);
    cr_assert(ek_nc_node_at(nc, node_index(nc, 0x0a))->roles & EK_NC_ROLE_ROOT);
    cr_assert(ek_nc_node_at(nc, node_index(nc, 0x01))->roles & EK_NC_ROLE_JP);
    ek_nc_free(nc);
}

static ek_netcheck *new_closed_checker(void);

Test(netcheck, minimum_below_parent_fails_that_node_only)
{
    ek_netcheck *nc = new_closed_checker();
    for (unsigned i = 0; i < 10; i++)
        compliant_period(nc, 0x50, 241, i * 100 * MS, 0x50);
    /* node 0x02 then goes down to 0x40 while the root stays at 0x50 */
    for (unsigned i = 10; i < 20; i++) {
        dio(nc, 0x0a, 256, 0x50, 241, i * 100 * MS);
        dio(nc, 0x01, 768, 0x50, 241, i * 100 * MS + 10 * MS);
        dio(nc, 0x02, 768, 0x40, 241, i * 100 * MS + 20 * MS);
    }
    ek_nc_finish(nc);
    cr_assert_eq(rule_outcome(nc, 0x02, "min-below-parent"), EK_NC_FAIL);
    cr_assert_eq(rule_outcome(nc, 0x01, "min-below-parent"), EK_NC_PASS);
    cr_assert_eq(ek_nc_node_outcome(nc, node_index(nc, 0x0a)), EK_NC_PASS);
    size_t k;
    const ek_nc_finding *f = ek_nc_node_findings(nc, node_index(nc, 0x02), &k);
    cr_assert_geq(k, 1);
    cr_assert_str_eq(ek_nc_rules(&(size_t){ 0 })[f[0].rule].name, "min-below-parent");
    cr_assert_neq(f[0].other_frame_no, 0, "names the parent's DIO");
    cr_assert(strstr(f[0].msg, "0x40 < 0x50"), "%s", f[0].msg);
    cr_assert_eq(ek_ncr_exit_status(nc), EK_NCR_EXIT_FAIL);
    ek_nc_free(nc);
    /* a capture (open world) with the parent guessed from rank: the real parent may be
     * out of the sniffer's range, so INFO */
    nc = new_checker();
    for (unsigned i = 0; i < 10; i++)
        compliant_period(nc, 0x50, 241, i * 100 * MS, 0x50);
    for (unsigned i = 10; i < 20; i++) {
        dio(nc, 0x0a, 256, 0x50, 241, i * 100 * MS);
        dio(nc, 0x02, 768, 0x40, 241, i * 100 * MS + 20 * MS);
    }
    ek_nc_finish(nc);
    cr_assert_eq(rule_outcome(nc, 0x02, "min-below-parent"), EK_NC_INFO);
    ek_nc_free(nc);
}

Test(netcheck, a_raise_is_adopted_within_the_adopt_window)
{
    ek_netcheck *nc = new_checker();
    for (unsigned i = 0; i < 10; i++)
        compliant_period(nc, 0x20, 240, i * 100 * MS, 0x20);
    /* the root raises to 0x50; the 6LRs still say 0x20 300 ms later (adopt window 500),
     * then follow */
    for (unsigned i = 10; i < 13; i++) {
        dio(nc, 0x0a, 256, 0x50, 241, i * 100 * MS);
        dio(nc, 0x01, 768, 0x20, 240, i * 100 * MS + 10 * MS);
    }
    for (unsigned i = 13; i < 25; i++)
        compliant_period(nc, 0x50, 241, i * 100 * MS, 0x50);
    ek_nc_finish(nc);
    cr_assert_eq(rule_outcome(nc, 0x01, "min-below-parent"), EK_NC_PASS);
    cr_assert_eq(ek_nc_node_outcome(nc, node_index(nc, 0x01)), EK_NC_PASS);
    /* the pair shows the adoption */
    size_t np;
    const ek_nc_pair *p = ek_nc_pairs(nc, &np);
    bool adopted = false;
    for (size_t i = 0; i < np; i++)
        adopted |= p[i].a == node_index(nc, 0x01) && p[i].b == node_index(nc, 0x0a) &&
                   (p[i].bits & EK_NC_PAIR_ADOPTED_MIN);
    cr_assert(adopted);
    ek_nc_free(nc);
}

Test(netcheck, enrollment_off_but_still_a_join_proxy)
{
    ek_netcheck *nc = new_checker();
    for (unsigned i = 0; i < 10; i++)
        compliant_period(nc, 0x7f, 241, i * 100 * MS, 0x7f);
    for (unsigned i = 10; i < 15; i++) {
        dio(nc, 0x0a, 256, 0x7f, 241, i * 100 * MS);
        dio(nc, 0x01, 768, 0x7f, 241, i * 100 * MS + 10 * MS);
        eb(nc, 0x01, 0x7e, 2, "net", i * 100 * MS + 40 * MS);
        eb(nc, 0x02, 0x7f, 2, "net", i * 100 * MS + 60 * MS);
    }
    ek_nc_finish(nc);
    cr_assert_eq(rule_outcome(nc, 0x01, "jp-off"), EK_NC_FAIL);
    cr_assert_eq(rule_outcome(nc, 0x02, "jp-off"), EK_NC_PASS);
    ek_nc_free(nc);
}

Test(netcheck, root_changes_without_a_new_version)
{
    ek_netcheck *nc = new_checker();
    for (unsigned i = 0; i < 5; i++)
        dio(nc, 0x0a, 256, 0x20, 241, i * 100 * MS);
    dio(nc, 0x0a, 256, 0x30, 241, 600 * MS);
    ek_nc_finish(nc);
    cr_assert_eq(rule_outcome(nc, 0x0a, "version-bump"), EK_NC_FAIL);
    ek_nc_free(nc);
}

static ek_netcheck *new_closed_checker(void)
{
    return checker_with(true, false);
}

Test(netcheck, a_node_goes_back_to_an_older_version)
{
    /* closed world: every frame is seen, so the step back is a FAIL */
    ek_netcheck *nc = new_closed_checker();
    for (unsigned i = 0; i < 5; i++)
        compliant_period(nc, 0x20, 242, i * 100 * MS, 0x20);
    dio(nc, 0x0a, 256, 0x20, 241, 550 * MS); /* an older Version offered... */
    dio(nc, 0x01, 768, 0x20, 241, 600 * MS); /* ...and taken */
    ek_nc_finish(nc);
    cr_assert_eq(rule_outcome(nc, 0x01, "version-order"), EK_NC_FAIL);
    cr_assert_eq(rule_outcome(nc, 0x02, "version-order"), EK_NC_PASS);
    ek_nc_free(nc);
    /* open world: a DIO the capture missed could explain it: INFO */
    nc = new_checker();
    for (unsigned i = 0; i < 5; i++)
        compliant_period(nc, 0x20, 242, i * 100 * MS, 0x20);
    dio(nc, 0x01, 768, 0x20, 241, 600 * MS);
    ek_nc_finish(nc);
    cr_assert_eq(rule_outcome(nc, 0x01, "version-order"), EK_NC_INFO);
    ek_nc_free(nc);
}

Test(netcheck, a_chain_of_newer_versions_is_not_a_step_back)
{
    /* RFC 6550 §7.2: 250 is newer than 240 and 5 newer than 250, though 5 is older than
     * 240 (256 + 5 - 240 > SEQUENCE_WINDOW): a node may go 240 -> 5 when its parent went
     * through 250 between its DIOs */
    ek_netcheck *nc = new_closed_checker();
    dio(nc, 0x0a, 256, 0x20, 240, 0);
    dio(nc, 0x01, 768, 0x20, 240, 30 * MS);
    dio(nc, 0x0a, 256, 0x38, 250, 100 * MS);
    dio(nc, 0x0a, 256, 0x10, 5, 200 * MS);
    dio(nc, 0x01, 768, 0x10, 5, 230 * MS);
    ek_nc_finish(nc);
    cr_assert_eq(rule_outcome(nc, 0x01, "version-order"), EK_NC_PASS);
    ek_nc_free(nc);
}

Test(netcheck, enrollment_back_on_while_its_dio_still_says_off)
{
    /* the parent re-enables enrollment; the node's EB shows the new minimum before its
     * next DIO does: adopted, not a Join Proxy that ignores 0x7f */
    ek_netcheck *nc = new_checker();
    for (unsigned i = 0; i < 10; i++)
        compliant_period(nc, 0x7f, 241, i * 100 * MS, 0x7f);
    dio(nc, 0x0a, 256, 0x20, 242, 1000 * MS);
    eb(nc, 0x01, 0x25, 2, "net", 1010 * MS);
    ek_nc_finish(nc);
    cr_assert_eq(rule_outcome(nc, 0x01, "jp-off"), EK_NC_PASS);
    ek_nc_free(nc);
}

Test(netcheck, the_odd_network_id_fails)
{
    ek_netcheck *nc = new_checker();
    for (unsigned i = 0; i < 3; i++) {
        eb(nc, 0x01, 0x25, 2, "net", i * 100 * MS);
        eb(nc, 0x02, 0x25, 2, "net", i * 100 * MS + 10 * MS);
        eb(nc, 0x03, 0x25, 2, "other", i * 100 * MS + 20 * MS);
    }
    ek_nc_finish(nc);
    cr_assert_eq(rule_outcome(nc, 0x03, "network-id"), EK_NC_FAIL);
    cr_assert_eq(rule_outcome(nc, 0x01, "network-id"), EK_NC_PASS);
    cr_assert_eq(rule_outcome(nc, 0x02, "network-id"), EK_NC_PASS);
    ek_nc_free(nc);
}

Test(netcheck, a_malformed_option_is_its_senders)
{
    ek_netcheck *nc = new_checker();
    ek_build_node n = { .pan_id = 0xface };
    node_ext(0x05, n.ext);
    ek_build_dio d;
    ek_build_dio_init(&d);
    d.base.rank = 512;
    d.n_extra = 1;
    d.extra[0] = (ek_build_raw_opt){ .type = 0x2a, .length = 9, .data_len = 1, .data = { 0x20 } };
    uint8_t buf[128];
    size_t len;
    ek_err e;
    cr_assert_eq(ek_build_dio_frame(&n, &d, &prof, buf, sizeof buf, &len, &e), EK_OK);
    feed(nc, buf, len, 0);
    dio(nc, 0x0a, 256, 0x20, 240, 10 * MS);
    ek_nc_finish(nc);
    cr_assert_eq(rule_outcome(nc, 0x05, "malformed"), EK_NC_FAIL);
    cr_assert_eq(rule_outcome(nc, 0x0a, "malformed"), EK_NC_PASS);
    ek_nc_free(nc);
}

Test(netcheck, nothing_applied_is_not_green)
{
    ek_netcheck *nc = new_checker();
    /* a frame without a source address counts against nobody */
    ek_frame empty;
    memset(&empty, 0, sizeof empty);
    ek_nc_frame(nc, &empty, EK_ERR_TRUNCATED, NULL, true, 1, 0);
    cr_assert_eq(ek_nc_frames_unattributed(nc), 1);
    ek_nc_finish(nc);
    cr_assert_eq(ek_nc_node_count(nc), 0);
    cr_assert_eq(ek_ncr_exit_status(nc), EK_NCR_EXIT_NOTHING);
    cr_assert_str_eq(ek_ncr_run_word(nc), "NOTHING JUDGED");
    ek_nc_free(nc);
}

Test(netcheck, memory_is_bounded_by_nodes_not_frames)
{
    ek_netcheck *nc = new_checker();
    /* 4,000 changes of the root's minimum: the series stays within its cap and keeps the
     * newest point */
    for (unsigned i = 0; i < 4000; i++)
        dio(nc, 0x0a, 256, (int)(i % 100), (uint8_t)(241 + i % 2), i * MS);
    size_t n;
    const ek_nc_point *p = ek_nc_series(nc, node_index(nc, 0x0a), EK_NC_SERIES_MIN, &n);
    cr_assert_leq(n, EK_NC_SERIES_MAX);
    cr_assert_eq(p[n - 1].v, 3999 % 100);
    cr_assert_eq(p[0].t_ns, 0, "the first point stays");
    /* findings kept per rule are capped, the tally counts them all */
    size_t k;
    (void)ek_nc_node_findings(nc, node_index(nc, 0x0a), &k);
    cr_assert_leq(k, 8 * 15);
    ek_nc_tally t = ek_nc_node_tally(nc, node_index(nc, 0x0a), (unsigned)ek_nc_rule_index("version-bump"));
    cr_assert_gt(t.failed, 8);
    ek_nc_free(nc);
}

Test(netcheck, a_reset_ends_every_comparison)
{
    ek_netcheck *nc = new_checker();
    for (unsigned i = 0; i < 5; i++)
        compliant_period(nc, 0x20, 243, i * 100 * MS, 0x20);
    /* the harness resets every node and starts again from Version 240 */
    ek_nc_restart(nc, 550 * MS, frame_no, "TD 2 begins");
    for (unsigned i = 6; i < 12; i++)
        compliant_period(nc, 0x30, 240, i * 100 * MS, 0x30);
    ek_nc_finish(nc);
    cr_assert_eq(rule_outcome(nc, 0x01, "version-order"), EK_NC_PASS);
    cr_assert_eq(rule_outcome(nc, 0x0a, "version-bump"), EK_NC_PASS);
    size_t nm;
    const ek_nc_mark_rec *m = ek_nc_marks(nc, &nm);
    cr_assert_eq(nm, 1);
    cr_assert_str_eq(m[0].text, "TD 2 begins");
    ek_nc_free(nc);
}

Test(netcheck, decoding_alone_is_not_judged)
{
    ek_netcheck *nc = new_checker();
    ek_build_node n = { .pan_id = 0xface };
    node_ext(0x07, n.ext);
    uint8_t buf[128];
    size_t len;
    ek_err e;
    cr_assert_eq(ek_build_dis_frame(&n, &prof, buf, sizeof buf, &len, &e), EK_OK);
    feed(nc, buf, len, 0);
    ek_nc_finish(nc);
    cr_assert_eq(ek_nc_node_count(nc), 1);
    cr_assert_eq(rule_outcome(nc, 0x07, "malformed"), EK_NC_PASS);
    cr_assert_eq(ek_nc_node_outcome(nc, 0), EK_NC_NOT_JUDGED);
    cr_assert_eq(ek_ncr_exit_status(nc), EK_NCR_EXIT_NOTHING);
    ek_nc_free(nc);
}

Test(netcheck, stimulus_nodes_teach_but_are_not_judged)
{
    ek_profile_default(&prof);
    ek_nc_decl d[1];
    memset(d, 0, sizeof d);
    node_ext(0x0a, d[0].ext);
    snprintf(d[0].name, sizeof d[0].name, "harness A");
    d[0].stimulus = true;
    ek_nc_cfg c;
    ek_nc_cfg_default(&c);
    c.prof = prof;
    c.eb_period_ms = 100;
    c.slack_ms = 20;
    c.adopt_ms = 500;
    c.decl = d;
    c.n_decl = 1;
    c.closed_world = true; /* a harness run */
    ek_netcheck *nc = ek_nc_new(&c);
    cr_assert_not_null(nc);
    /* the played root goes back in Version on purpose; the node under it keeps 0x40 */
    for (unsigned i = 0; i < 10; i++) {
        dio(nc, 0x0a, 256, 0x50, (uint8_t)(i % 2 ? 241 : 242), i * 100 * MS);
        dio(nc, 0x01, 768, 0x40, 242, i * 100 * MS + 30 * MS);
    }
    ek_nc_finish(nc);
    cr_assert_eq(ek_nc_node_outcome(nc, node_index(nc, 0x0a)), EK_NC_NOT_JUDGED);
    cr_assert(ek_nc_node_at(nc, node_index(nc, 0x0a))->stimulus);
    cr_assert_eq(rule_outcome(nc, 0x01, "min-below-parent"), EK_NC_FAIL, "its DIOs still make it a parent");
    ek_nc_free(nc);
}

Test(netcheck, monitor_rules_come_first_in_the_monitors_order)
{
    /* the checker indexes its tallies with the monitor's rule bits */
    size_t n;
    const ek_nc_rule *r = ek_nc_rules(&n);
    cr_assert_geq(n, EK_MON_N_RULES);
    for (unsigned i = 0; i < EK_MON_N_RULES; i++)
        cr_assert_str_eq(r[i].name, ek_monitor_rule_name(i));
}

Test(netcheck, kept_monitor_findings_carry_their_message_and_all_are_counted)
{
    ek_netcheck *nc = new_checker();
    dio(nc, 0x0a, 256, 0x20, 241, 0);
    dio(nc, 0x01, 768, 0x20, 241, 30 * MS);
    /* twelve EBs with join metric 9, each followed by a DIO still at rank 768 (metric 2) */
    for (unsigned i = 0; i < 12; i++) {
        uint64_t t = 200 * MS + i * 100 * MS;
        eb(nc, 0x01, 0x25, 9, "net", t);
        dio(nc, 0x01, 768, 0x20, 241, t + 50 * MS);
    }
    ek_nc_finish(nc);
    size_t k, jm = 0;
    const ek_nc_finding *f = ek_nc_node_findings(nc, node_index(nc, 0x01), &k);
    for (size_t i = 0; i < k; i++) {
        if (f[i].rule != (unsigned)ek_nc_rule_index("join-metric"))
            continue;
        jm++;
        cr_assert(strstr(f[i].msg, "EB join metric 9 != 2"), "%s", f[i].msg);
    }
    cr_assert_eq(jm, 8);
    ek_nc_tally t = ek_nc_node_tally(nc, node_index(nc, 0x01), (unsigned)ek_nc_rule_index("join-metric"));
    cr_assert_eq(t.failed, 12);
    ek_nc_free(nc);
}

Test(netcheck, a_version_chain_longer_than_its_log_is_not_judged)
{
    /* the parent's Versions since the node's DIO are more than the checker replays, the
     * last of them the one the node shows: an apparent step back is not judged either way */
    ek_netcheck *nc = new_closed_checker();
    dio(nc, 0x0a, 256, 0x20, 242, 0);
    dio(nc, 0x01, 768, 0x20, 242, 30 * MS);
    for (unsigned i = 0; i < 5000; i++)
        dio(nc, 0x0a, 256, 0x20, 242, 100 * MS + i * MS);
    dio(nc, 0x0a, 256, 0x20, 241, 5900 * MS);
    dio(nc, 0x01, 768, 0x20, 241, 6000 * MS);
    ek_nc_finish(nc);
    cr_assert_eq(rule_outcome(nc, 0x01, "version-order"), EK_NC_NOT_JUDGED);
    ek_nc_free(nc);
    /* the same within the log: judged (FAIL, closed world) */
    nc = new_closed_checker();
    dio(nc, 0x0a, 256, 0x20, 242, 0);
    dio(nc, 0x01, 768, 0x20, 242, 30 * MS);
    for (unsigned i = 0; i < 50; i++)
        dio(nc, 0x0a, 256, 0x20, 242, 100 * MS + i * MS);
    dio(nc, 0x0a, 256, 0x20, 241, 5900 * MS);
    dio(nc, 0x01, 768, 0x20, 241, 6000 * MS);
    ek_nc_finish(nc);
    cr_assert_eq(rule_outcome(nc, 0x01, "version-order"), EK_NC_FAIL);
    ek_nc_free(nc);
}

Test(netcheck, a_version_nobody_sent_since_is_judged_past_any_log)
{
    /* no DIO since the node's latest carried Version 241: no chain can end there, however
     * many Versions its parents went through (more than are followed, more than the log
     * keeps) */
    ek_netcheck *nc = new_closed_checker();
    dio(nc, 0x0a, 256, 0x20, 242, 0);
    dio(nc, 0x01, 768, 0x20, 242, 30 * MS);
    for (unsigned i = 0; i < 5000; i++)
        dio(nc, 0x0a, 256, 0x20, (uint8_t)(243 + i % 12), 100 * MS + i * MS);
    dio(nc, 0x01, 768, 0x20, 241, 6000 * MS);
    ek_nc_finish(nc);
    cr_assert_eq(rule_outcome(nc, 0x01, "version-order"), EK_NC_FAIL);
    ek_nc_free(nc);
}

/* A DIO of a closed-world network (minimum 0x20) at `ms`; run > 1: that many ever newer
 * Versions from `version` on, 10 ms apart. */
typedef struct vdio {
    uint8_t id;
    uint16_t rank;
    uint8_t version;
    unsigned ms, run;
} vdio;

/* version-order's outcome for the 6LR 0x01 after those DIOs, in order. */
static ek_nc_outcome version_order_after(const vdio *d, size_t n)
{
    ek_netcheck *nc = new_closed_checker();
    for (size_t i = 0; i < n; i++)
        for (unsigned k = 0; k < (d[i].run ? d[i].run : 1); k++)
            dio(nc, d[i].id, d[i].rank, 0x20, (uint8_t)(d[i].version + k), (d[i].ms + 10 * k) * MS);
    ek_nc_finish(nc);
    ek_nc_outcome o = rule_outcome(nc, 0x01, "version-order");
    ek_nc_free(nc);
    return o;
}

Test(netcheck, newer_versions_after_the_last_one_shown_do_not_hide_a_step_back)
{
    /* the parent sent 241 (older than the node's 242) and then more newer Versions than
     * are followed: no chain can end at 241 after its last DIO, so the node's 241 is a
     * step back however many Versions came later */
    static const vdio before[] = { { 0x0a, 256, 242, 0, 0 },   { 0x01, 768, 242, 30, 0 }, { 0x0a, 256, 241, 100, 0 },
                                   { 0x0a, 256, 243, 200, 12 }, { 0x01, 768, 241, 600, 0 } };
    cr_assert_eq(version_order_after(before, 5), EK_NC_FAIL);
    /* 241 sent again after them: the chain is not followed that far, so not judged */
    static const vdio again[] = { { 0x0a, 256, 242, 0, 0 },    { 0x01, 768, 242, 30, 0 }, { 0x0a, 256, 243, 200, 12 },
                                  { 0x0a, 256, 241, 500, 0 }, { 0x01, 768, 241, 600, 0 } };
    cr_assert_eq(version_order_after(again, 5), EK_NC_NOT_JUDGED);
}

Test(netcheck, a_version_only_non_parents_sent_is_a_step_back_however_many_came)
{
    /* the parent went through more newer Versions than are followed, and only a node
     * ranked above the 6LR (not a possible parent) sent 241: nothing leads the 6LR there */
    static const vdio d[] = { { 0x0a, 256, 242, 0, 0 },    { 0x01, 768, 242, 30, 0 }, { 0x0a, 256, 243, 100, 12 },
                              { 0x03, 1024, 241, 300, 0 }, { 0x01, 768, 241, 600, 0 } };
    cr_assert_eq(version_order_after(d, 5), EK_NC_FAIL);
}

Test(netcheck, the_replay_finds_a_parents_dio_behind_a_non_parents_of_the_same_version)
{
    /* 240 -> 250 -> 5 through the parent (RFC 6550 §7.2: 5 is older than 240 but newer
     * than 250); a node ranked above the 6LR sent 5 after the parent did: the chain ends
     * at the parent's 5, found behind the latest DIO with that Version */
    static const vdio via[] = { { 0x0a, 256, 240, 0, 0 },   { 0x01, 768, 240, 30, 0 },  { 0x0a, 256, 250, 100, 0 },
                                { 0x0a, 256, 5, 200, 0 },   { 0x03, 1024, 5, 250, 0 }, { 0x01, 768, 5, 300, 0 } };
    cr_assert_eq(version_order_after(via, 6), EK_NC_PASS);
    /* the parent's 250 and 5 came before the 6LR's own 240: since then only a node above
     * it sent 5, so nothing leads there */
    static const vdio late[] = { { 0x0a, 256, 250, 0, 0 },  { 0x0a, 256, 5, 10, 0 },  { 0x01, 768, 240, 30, 0 },
                                 { 0x03, 1024, 5, 250, 0 }, { 0x01, 768, 5, 300, 0 } };
    cr_assert_eq(version_order_after(late, 5), EK_NC_FAIL);
}

/* The same frames for two checkers, time stepping back once (the rules then read the
 * MIN series' points). */
static void faulty_network(ek_netcheck *nc)
{
    for (unsigned i = 0; i < 10; i++)
        compliant_period(nc, 0x30, 241, i * 100 * MS, 0x30);
    for (unsigned i = 10; i < 14; i++) {
        dio(nc, 0x0a, 256, 0x30, (uint8_t)(241 + i), i * 100 * MS);
        dio(nc, 0x02, 768, 0x20, (uint8_t)(241 + i), i * 100 * MS + 30 * MS);
        eb(nc, 0x02, 0x10, 7, "other", i * 100 * MS + 60 * MS);
    }
    dio(nc, 0x01, 768, 0x30, 241, 1350 * MS);
    compliant_period(nc, 0x30, 255, 1200 * MS, 0x28); /* the clock went back */
    ek_nc_restart(nc, 1400 * MS, ++frame_no, "a reset");
    compliant_period(nc, 0x30, 241, 1500 * MS, 0x30);
}

Test(netcheck, without_timelines_the_verdicts_are_the_same)
{
    ek_netcheck *full = new_checker(), *lean = checker_with(false, true);
    frame_no = 0;
    faulty_network(full);
    frame_no = 0;
    faulty_network(lean);
    ek_nc_finish(full);
    ek_nc_finish(lean);
    size_t n_rules, fails = 0;
    ek_nc_rules(&n_rules);
    cr_assert_eq(ek_nc_node_count(full), ek_nc_node_count(lean));
    for (size_t i = 0; i < ek_nc_node_count(full); i++) {
        for (unsigned r = 0; r < n_rules; r++) {
            ek_nc_tally a = ek_nc_node_tally(full, i, r), b = ek_nc_node_tally(lean, i, r);
            cr_assert(a.judged == b.judged && a.failed == b.failed && a.info == b.info, "node %zu rule %u", i, r);
            fails += a.failed;
        }
        size_t na, nb;
        const ek_nc_point *pa = ek_nc_series(full, i, EK_NC_SERIES_MIN, &na);
        const ek_nc_point *pb = ek_nc_series(lean, i, EK_NC_SERIES_MIN, &nb);
        cr_assert_eq(na, nb);
        for (size_t k = 0; k < na; k++)
            cr_assert(pa[k].t_ns == pb[k].t_ns && pa[k].frame_no == pb[k].frame_no && pa[k].v == pb[k].v &&
                      pa[k].has == pb[k].has, "node %zu MIN point %zu", i, k);
        ek_nc_series(lean, i, EK_NC_SERIES_RANK, &nb);
        cr_assert_eq(nb, 0);
        ek_nc_series(lean, i, EK_NC_SERIES_PROXY, &nb);
        cr_assert_eq(nb, 0);
        ek_nc_series(lean, i, EK_NC_SERIES_VERSION, &nb);
        cr_assert_eq(nb, 0);
        ek_nc_series(full, i, EK_NC_SERIES_RANK, &na);
        cr_assert_gt(na, 0, "the full checker draws every DIO sender's rank");
    }
    cr_assert_geq(fails, 3, "the network breaks rules: the comparison covers findings");
    ek_nc_free(full);
    ek_nc_free(lean);
}

Test(netcheck, a_message_with_a_wrong_checksum_is_malformed_and_teaches_nothing)
{
    ek_netcheck *nc = new_closed_checker();
    for (unsigned i = 0; i < 5; i++)
        compliant_period(nc, 0x20, 241, i * 100 * MS, 0x20);
    /* node 0x01's DIO saying minimum 0x10 (below its parent's 0x20) with rank 769 in
     * place of the 768 its checksum was computed over */
    uint8_t a[128], b[128];
    frame_no++;
    size_t la = dio_bytes(0x01, 768, 0x10, 241, a);
    frame_no--;
    size_t lb = dio_bytes(0x01, 769, 0x10, 241, b);
    cr_assert_eq(la, lb);
    size_t last = la;
    for (size_t i = 0; i < la; i++)
        if (a[i] != b[i])
            last = i;
    cr_assert_lt(last, la);
    a[last] = b[last];
    feed(nc, a, la, 550 * MS);
    cr_assert(frame.sum.has_dio && frame.sum.rank == 769 && frame.sum.icmp6_checksum_status == 0);
    ek_nc_finish(nc);
    cr_assert_eq(rule_outcome(nc, 0x01, "malformed"), EK_NC_FAIL);
    cr_assert_neq(rule_outcome(nc, 0x01, "min-below-parent"), EK_NC_FAIL, "a discarded DIO is not judged");
    size_t k;
    const ek_nc_finding *f = ek_nc_node_findings(nc, node_index(nc, 0x01), &k);
    bool said = false;
    for (size_t i = 0; i < k; i++)
        said |= strstr(f[i].msg, "ICMPv6 checksum wrong (RFC 4443 §2.3)") != NULL;
    cr_assert(said);
    size_t n;
    const ek_nc_point *p = ek_nc_series(nc, node_index(nc, 0x01), EK_NC_SERIES_RANK, &n);
    cr_assert_eq(p[n - 1].v, 768, "its rank is not learnt from it");
    ek_nc_free(nc);

    /* The same message relayed: from a source that is not link-local, or under a mesh
     * header, the checksum may be the originator's fault (routers do not recompute it). */
    for (int mesh = 0; mesh < 2; mesh++) {
        nc = new_closed_checker();
        for (unsigned i = 0; i < 5; i++)
            compliant_period(nc, 0x20, 241, i * 100 * MS, 0x20);
        uint8_t psdu[160];
        memcpy(psdu, a, la);
        ek_status st = ek_frame_decode_mpdu(ek_view_make(psdu, la), NULL, &prof, &frame);
        cr_assert(frame.sum.icmp6_checksum_status == 0);
        if (mesh)
            frame.net.mesh.present = true;
        else
            frame.sum.ip_src[0] = 0xfd, frame.sum.ip_src[1] = 0x00; /* a ULA source */
        ek_nc_frame(nc, &frame, st, frame.n_errors ? &frame.errors[0] : NULL, true, ++frame_no, 550 * MS);
        ek_nc_finish(nc);
        cr_assert_eq(rule_outcome(nc, 0x01, "malformed"), EK_NC_INFO, "relayed (%s)", mesh ? "mesh" : "ULA");
        ek_nc_free(nc);
    }
}

static void dao_lifetime(ek_netcheck *nc, uint8_t id, uint8_t parent, uint8_t path_lifetime, uint64_t t)
{
    ek_build_node n = { .pan_id = 0xface, .seq = (uint8_t)frame_no };
    node_ext(id, n.ext);
    uint8_t p[8], buf[128];
    node_ext(parent, p);
    size_t len;
    ek_err e;
    cr_assert_eq(ek_build_dao_frame(&n, p, 0x1e, path_lifetime, &prof, buf, sizeof buf, &len, &e), EK_OK);
    feed(nc, buf, len, t);
    cr_assert(frame.sum.has_icmp6 && frame.sum.icmp6_checksum_status == 1);
}

static void dao(ek_netcheck *nc, uint8_t id, uint8_t parent, uint64_t t)
{
    dao_lifetime(nc, id, parent, 30, t);
}

/* Root 0x0a (minimum 0x20), 6LRs 0x01 (0x30) and 0x02 (0x50) at rank 512, and 0x03 at
 * rank 768 sending its DAOs to both (its DAO parent set), with minimum child_min. */
static void two_dao_parents(ek_netcheck *nc, int child_min)
{
    for (unsigned i = 0; i < 10; i++) {
        uint64_t t = i * 100 * MS;
        dio(nc, 0x0a, 256, 0x20, 241, t);
        dio(nc, 0x01, 512, 0x30, 241, t + 10 * MS);
        dio(nc, 0x02, 512, 0x50, 241, t + 20 * MS);
        dao(nc, 0x03, 0x01, t + 30 * MS);
        dao(nc, 0x03, 0x02, t + 40 * MS);
        dio(nc, 0x03, 768, child_min, 241, t + 50 * MS);
    }
    ek_nc_finish(nc);
}

Test(netcheck, every_dao_parent_counts_not_only_the_latest)
{
    /* 0x30 is at or above the minimum of one of its DAO parents: it may follow 0x01 though
     * its latest DAO went to 0x02 */
    ek_netcheck *nc = new_checker();
    two_dao_parents(nc, 0x30);
    cr_assert_eq(rule_outcome(nc, 0x03, "min-below-parent"), EK_NC_PASS);
    ek_nc_free(nc);
    /* below both: a FAIL even in the open world (DAOs name the parents) */
    nc = new_checker();
    two_dao_parents(nc, 0x28);
    cr_assert_eq(rule_outcome(nc, 0x03, "min-below-parent"), EK_NC_FAIL);
    size_t k;
    const ek_nc_finding *f = ek_nc_node_findings(nc, node_index(nc, 0x03), &k);
    cr_assert_gt(k, 0);
    cr_assert(strstr(f[0].msg, "any of its 2 possible parents (its DAO parents;"), "%s", f[0].msg);
    ek_nc_free(nc);
}

Test(netcheck, a_no_path_dao_withdraws_that_parent)
{
    /* 0x03 leaves 0x01 (a No-Path DAO to it, RFC 6550 §6.4.3) and keeps 0x02: its
     * minimum 0x30 is then below its one DAO parent's 0x50 */
    ek_netcheck *nc = new_checker();
    for (unsigned i = 0; i < 10; i++) {
        uint64_t t = i * 100 * MS;
        dio(nc, 0x0a, 256, 0x20, 241, t);
        dio(nc, 0x01, 512, 0x30, 241, t + 10 * MS);
        dio(nc, 0x02, 512, 0x50, 241, t + 20 * MS);
        dao(nc, 0x03, 0x02, t + 30 * MS);
        dao_lifetime(nc, 0x03, 0x01, 0, t + 40 * MS);
        dio(nc, 0x03, 768, 0x30, 241, t + 50 * MS);
    }
    ek_nc_finish(nc);
    cr_assert_eq(rule_outcome(nc, 0x03, "min-below-parent"), EK_NC_FAIL);
    size_t k;
    const ek_nc_finding *f = ek_nc_node_findings(nc, node_index(nc, 0x03), &k);
    cr_assert_gt(k, 0);
    cr_assert(strstr(f[0].msg, "(inferred from DAO)"), "%s", f[0].msg);
    ek_nc_free(nc);

    /* A No-Path for a child's Target that 0x03 relays to its parent 0x01 (RFC 6550 §9.3)
     * withdraws the child's route, not that parent: 0x01 stays one, and 0x30 holds */
    nc = new_checker();
    for (unsigned i = 0; i < 10; i++) {
        uint64_t t = i * 100 * MS;
        dio(nc, 0x0a, 256, 0x20, 241, t);
        dio(nc, 0x01, 512, 0x30, 241, t + 10 * MS);
        dio(nc, 0x02, 512, 0x50, 241, t + 20 * MS);
        dao(nc, 0x03, 0x02, t + 30 * MS);
        ek_build_node n = { .pan_id = 0xface, .seq = (uint8_t)frame_no };
        node_ext(0x03, n.ext);
        uint8_t p[8], buf[128];
        node_ext(0x01, p);
        size_t len;
        ek_err e;
        cr_assert_eq(ek_build_dao_frame(&n, p, 0x1e, 0, &prof, buf, sizeof buf, &len, &e), EK_OK);
        ek_status st = ek_frame_decode_mpdu(ek_view_make(buf, len), NULL, &prof, &frame);
        bool changed = false;
        for (unsigned o = 0; o < frame.rpl.n_opts; o++)
            if (frame.rpl.opts[o].kind == EK_RPL_OPTK_TARGET) {
                frame.rpl.opts[o].u.target.prefix[15] ^= 0x44; /* a child's address */
                changed = true;
            }
        cr_assert(changed);
        ek_nc_frame(nc, &frame, st, NULL, true, ++frame_no, t + 40 * MS);
        dio(nc, 0x03, 768, 0x30, 241, t + 50 * MS);
    }
    ek_nc_finish(nc);
    cr_assert_eq(rule_outcome(nc, 0x03, "min-below-parent"), EK_NC_PASS);
    ek_nc_free(nc);
}

Test(netcheck, a_short_address_sender_that_shows_its_eui64_is_that_node)
{
    /* node 0x01 sends its DIOs with MAC short address 0x0001; its link-local source
     * (fe80::IID from its EUI-64, carried inline) names it, and an EB with its extended
     * address is the same node */
    ek_netcheck *nc = new_checker();
    dio(nc, 0x0a, 256, 0x20, 241, 0);
    ek_build_node n = { .pan_id = 0xface, .seq = 1, .use_short = true, .short_addr = 0x0001 };
    node_ext(0x01, n.ext);
    ek_build_dio d;
    ek_build_dio_init(&d);
    d.base.rank = 768;
    uint8_t buf[128];
    size_t len;
    ek_err e;
    cr_assert_eq(ek_build_dio_frame(&n, &d, &prof, buf, sizeof buf, &len, &e), EK_OK);
    feed(nc, buf, len, 10 * MS);
    cr_assert(frame.sum.has_src16 && !frame.sum.has_src64);
    eb(nc, 0x01, 0x45, 2, "net", 20 * MS);
    ek_nc_finish(nc);
    cr_assert_eq(ek_nc_node_count(nc), 2, "root and one 6LR, not a third node for the short address");
    const ek_nc_node *p = ek_nc_node_at(nc, node_index(nc, 0x01));
    cr_assert_eq(p->dios, 1);
    cr_assert_eq(p->ebs, 1);
    ek_nc_free(nc);

    /* Neither short-address IID form (RFC 6282 0000:00ff:fe00:XXXX, RFC 4944 §6
     * PAN:00ff:fe00:XXXX) nor a frame under a mesh header names an EUI-64: the short
     * address stays a node of its own */
    for (int form = 0; form < 3; form++) {
        nc = new_checker();
        dio(nc, 0x0a, 256, 0x20, 241, 0);
        uint8_t psdu[160];
        memcpy(psdu, buf, len);
        ek_status st = ek_frame_decode_mpdu(ek_view_make(psdu, len), NULL, &prof, &frame);
        static const uint8_t iid[2][8] = { { 0, 0, 0, 0xff, 0xfe, 0, 0, 1 }, { 0xfa, 0xce, 0, 0xff, 0xfe, 0, 0, 1 } };
        if (form < 2)
            memcpy(frame.sum.ip_src + 8, iid[form], 8);
        else
            frame.net.mesh.present = true;
        ek_nc_frame(nc, &frame, st, NULL, true, ++frame_no, 10 * MS);
        eb(nc, 0x01, 0x45, 2, "net", 20 * MS);
        ek_nc_finish(nc);
        cr_assert_eq(ek_nc_node_count(nc), 3, "form %d: the short address is not taken for node 0x01", form);
        ek_nc_free(nc);
    }
}

/* A parent that changes its minimum at every DIO, cycling through 0x40..0x43: its MIN
 * series is thinned for the timelines once it holds EK_NC_SERIES_MAX points (every other
 * point kept), yet min-below-parent must still see every minimum the parent advertised
 * within the adopt window.  A child at the lowest of them passes whichever values
 * thinning dropped (every phase of the cycle), one below them fails, and a low value
 * stops counting once it left the window. */
static ek_netcheck *cycling_parent(unsigned phase, int child_min, unsigned n_dios, uint64_t *t_end)
{
    ek_netcheck *nc = new_closed_checker();
    uint64_t t = 0;
    for (unsigned i = 0; i < n_dios; i++, t += 10 * MS) {
        dio(nc, 0x0a, 256, 0x40 + (int)((i + phase) % 4), 241, t);
        dio(nc, 0x01, 768, child_min, 241, t + 5 * MS);
    }
    *t_end = t;
    return nc;
}

Test(netcheck, every_minimum_in_the_window_counts_however_long_the_run)
{
    const unsigned n_dios = 3 * EK_NC_SERIES_MAX;
    const unsigned rule = (unsigned)ek_nc_rule_index("min-below-parent");
    uint64_t t;
    for (unsigned phase = 0; phase < 4; phase++) {
        ek_netcheck *nc = cycling_parent(phase, 0x40, n_dios, &t);
        ek_nc_finish(nc);
        size_t points;
        cr_assert_not_null(ek_nc_series(nc, node_index(nc, 0x0a), EK_NC_SERIES_MIN, &points));
        cr_assert_lt(points, n_dios, "the parent's series was thinned (%zu points)", points);
        ek_nc_tally tl = ek_nc_node_tally(nc, node_index(nc, 0x01), rule);
        cr_assert_eq(tl.failed + tl.info, 0, "phase %u: %llu false findings", phase, (unsigned long long)tl.failed);
        cr_assert_geq(tl.judged, n_dios - 60, "judged on every DIO after the first window: %llu",
                      (unsigned long long)tl.judged);
        ek_nc_free(nc);

        nc = cycling_parent(phase, 0x3f, n_dios, &t);
        ek_nc_finish(nc);
        tl = ek_nc_node_tally(nc, node_index(nc, 0x01), rule);
        cr_assert_geq(tl.judged, n_dios - 60);
        cr_assert_eq(tl.failed, tl.judged, "0x3f is below 0x40 on every judged DIO (phase %u)", phase);
        ek_nc_free(nc);

        /* the parent then stays at 0x41 beyond the window: 0x40 is no longer a bound.  Its
         * last 0x40 came d DIOs before the end of the cycle and was in force until the
         * next root DIO; the child's DIO j comes 10 j + 5 ms after the cycle: out of the
         * 500 ms window from j = 50 - d on */
        nc = cycling_parent(phase, 0x40, n_dios, &t);
        for (unsigned j = 0; j < 100; j++, t += 10 * MS) {
            dio(nc, 0x0a, 256, 0x41, 241, t);
            dio(nc, 0x01, 768, 0x40, 241, t + 5 * MS);
        }
        ek_nc_finish(nc);
        tl = ek_nc_node_tally(nc, node_index(nc, 0x01), rule);
        unsigned d = (n_dios - 1 + phase) % 4;
        cr_assert_eq(tl.failed, 50 + d, "phase %u: FAIL once 0x40 left the window: %llu", phase,
                     (unsigned long long)tl.failed);
        ek_nc_free(nc);
    }
}

/* The bound is exactly the lowest minimum in force within the window, on any shape of
 * changes: a parent whose minimum climbs in a sawtooth (every DIO a new candidate, far
 * more than a window holds, thinned twice over) against a child at exactly that bound
 * (never a finding) and at one below it (a FAIL on every judged DIO). */
Test(netcheck, the_bound_is_the_exact_window_minimum_on_a_sawtooth)
{
    enum { N = 3 * EK_NC_SERIES_MAX, STEP = 10, WINDOW = 500 /* new_closed_checker's adopt_ms */ };
    static int parent[N];
    for (unsigned i = 0; i < N; i++)
        parent[i] = 1 + (int)(i % 0x70); /* a climb of 112 DIOs, longer than a window: 1..0x70 */
    for (int below = 0; below < 2; below++) {
        ek_netcheck *nc = new_closed_checker();
        unsigned expect_judged = 0;
        for (unsigned i = 0; i < N; i++) {
            uint64_t t = (uint64_t)i * STEP * MS;
            dio(nc, 0x0a, 256, parent[i], 241, t);
            /* the child 5 ms later: the parent's values in force within the last 500 ms,
             * from the one in force at its start (the parent's DIO k at k * STEP) */
            int64_t start = (int64_t)(i * STEP) + 5 - WINDOW;
            int bound = -1;
            if (start >= 0) {
                bound = parent[i];
                for (int64_t k = start / STEP; k <= (int64_t)i; k++)
                    bound = parent[k] < bound ? parent[k] : bound;
                expect_judged++;
            }
            dio(nc, 0x01, 768, bound < 0 ? parent[i] : below ? bound - 1 : bound, 241, t + 5 * MS);
        }
        ek_nc_finish(nc);
        ek_nc_tally tl = ek_nc_node_tally(nc, node_index(nc, 0x01), (unsigned)ek_nc_rule_index("min-below-parent"));
        cr_assert_eq(tl.judged, expect_judged, "judged %llu", (unsigned long long)tl.judged);
        if (!below)
            cr_assert_eq(tl.failed + tl.info, 0, "%llu false findings", (unsigned long long)tl.failed);
        else
            cr_assert_eq(tl.failed, expect_judged, "%llu of %u caught", (unsigned long long)tl.failed, expect_judged);
        ek_nc_free(nc);
    }
}

/* A capture whose clock steps back: each child DIO is stamped 1 ms before the parent's
 * DIO it follows in the file.  Against a parent whose series was thinned, such windows
 * cannot be answered exactly: they are not judged, never judged against a bound a
 * dropped point would have lowered (no false finding in any phase). */
Test(netcheck, a_clock_that_steps_back_gives_no_false_finding_on_a_long_run)
{
    const unsigned rule = (unsigned)ek_nc_rule_index("min-below-parent");
    for (unsigned phase = 0; phase < 4; phase++) {
        ek_netcheck *nc = new_closed_checker();
        uint64_t t = 10 * MS;
        for (unsigned i = 0; i < 3 * EK_NC_SERIES_MAX; i++, t += 10 * MS) {
            dio(nc, 0x0a, 256, 0x40 + (int)((i + phase) % 4), 241, t);
            dio(nc, 0x01, 768, 0x40, 241, t - 1 * MS);
        }
        ek_nc_finish(nc);
        ek_nc_tally tl = ek_nc_node_tally(nc, node_index(nc, 0x01), rule);
        cr_assert_eq(tl.failed + tl.info, 0, "phase %u: %llu false findings", phase, (unsigned long long)tl.failed);
        cr_assert_gt(tl.judged, 0, "judged while the parent's series was whole");
        ek_nc_free(nc);
    }
}

/* More nodes than one 64-bit word of the checker's scans holds: a DIO finds its sender's
 * possible parents, and reaches the nodes it may teach, in every word. */
Test(netcheck, parents_and_listeners_are_found_past_the_first_64_nodes)
{
    ek_netcheck *nc = new_closed_checker();
    uint64_t t = 0;
    /* the root 0xf0 first (index 0), 99 leaves ranked 4096 (indices 1..99), then the 6LR
     * 0xf1 (index 100) ranked 768: each leaf's possible parents are indices 0 and 100 */
    for (unsigned round = 0; round < 14; round++, t += 100 * MS) {
        bool lowered = round >= 6; /* the root goes down to 0x20 in Version 241 */
        dio(nc, 0xf0, 256, lowered ? 0x20 : 0x50, lowered ? 241 : 240, t);
        if (round == 6) /* 0xf1 shows the new minimum in its EB before its DIO says so */
            eb(nc, 0xf1, 0x25, 2, "net", t + 5 * MS);
        for (uint8_t id = 1; id <= 99; id++)
            dio(nc, id, 4096, id == 5 && round == 12 ? 0x10 : 0x50, lowered ? 241 : 240,
                t + 10 * MS + id * 100 * 1000ull);
        dio(nc, 0xf1, 768, lowered ? 0x20 : 0x50, lowered ? 241 : 240, t + 30 * MS);
        eb(nc, 0xf1, lowered ? 0x25 : 0x55, 2, "net", t + 40 * MS);
    }
    ek_nc_finish(nc);
    cr_assert_eq(ek_nc_node_count(nc), 101);
    cr_assert_eq(node_index(nc, 0xf1), 100);
    /* the leaf below both parents: both found, one in each word */
    cr_assert_eq(rule_outcome(nc, 5, "min-below-parent"), EK_NC_FAIL);
    size_t k;
    const ek_nc_finding *f = ek_nc_node_findings(nc, node_index(nc, 5), &k);
    cr_assert_geq(k, 1);
    cr_assert(strstr(f[0].msg, "any of its 2 possible parents"), "%s", f[0].msg);
    for (uint8_t id = 1; id <= 99; id++)
        if (id != 5)
            cr_assert_eq(rule_outcome(nc, id, "min-below-parent"), EK_NC_PASS, "leaf %u", id);
    /* 0xf1 (second word) heard the root (first word) lower its minimum: its EB may show it */
    cr_assert_eq(rule_outcome(nc, 0xf1, "proxy-below-min"), EK_NC_PASS);
    cr_assert_eq(rule_outcome(nc, 0xf1, "min-below-parent"), EK_NC_PASS);
    ek_nc_free(nc);
}

/* jp-off looks at the node's own minimum over the last EB period + slack (120 ms here),
 * on a run with more changes than its timeline keeps: a lower minimum inside that window
 * means the EB is not judged; off throughout it, the EB must say 0x7f. */
Test(netcheck, enrollment_off_is_judged_over_the_last_eb_period_on_a_long_run)
{
    ek_netcheck *nc = new_closed_checker();
    int jp_off = ek_nc_rule_index("jp-off");
    cr_assert_geq(jp_off, 0);
    uint64_t t = 0;
    dio(nc, 0x0a, 256, 0x20, 240, t); /* the parent, heard once: nothing newer to adopt */
    /* 600 DIOs alternating off (0x7f) and 0x60, 10 ms apart: more changes than the MIN
     * timeline keeps (EK_NC_SERIES_MAX) */
    for (unsigned i = 0; i < 600; i++)
        dio(nc, 0x01, 768, i % 2 ? 0x60 : 0x7f, 240, t += 10 * MS);
    /* off for 50 ms, 0x60 once, off again: the EB 30 ms later has 0x60 within its window */
    for (unsigned i = 0; i < 5; i++)
        dio(nc, 0x01, 768, 0x7f, 240, t += 10 * MS);
    dio(nc, 0x01, 768, 0x60, 240, t += 10 * MS);
    dio(nc, 0x01, 768, 0x7f, 240, t += 10 * MS);
    eb(nc, 0x01, 0x65, 2, "net", t += 30 * MS);
    ek_nc_tally before = ek_nc_node_tally(nc, node_index(nc, 0x01), (unsigned)jp_off);
    cr_assert_eq(before.failed, 0, "0x60 was in force within the last 120 ms: not judged");
    /* off throughout the last 200 ms: the EB must say 0x7f */
    for (unsigned i = 0; i < 20; i++)
        dio(nc, 0x01, 768, 0x7f, 240, t += 10 * MS);
    eb(nc, 0x01, 0x65, 2, "net", t += 5 * MS);
    eb(nc, 0x01, 0x7f, 2, "net", t += 5 * MS);
    ek_nc_finish(nc);
    ek_nc_tally after = ek_nc_node_tally(nc, node_index(nc, 0x01), (unsigned)jp_off);
    cr_assert_eq(after.failed, 1, "the EB with 0x65 fails, the one with 0x7f passes");
    cr_assert_eq(after.judged - before.judged, 2);
    ek_nc_free(nc);
}
