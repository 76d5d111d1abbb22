/* SPDX-License-Identifier: BSD-3-Clause */
/* The passive monitors over frames built with ek_build_* and decoded with ek_frame_decode:
 * every rule both ways (holds / violated), the grace windows of one EB period + slack,
 * closed_world off, the enrollment-option capability off and on, reset. */
#include <dirent.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ek/build.h"
#include "ek/consts.h"
#include "ek/monitor.h"
#include "ek/pcapio.h"
#include "ek/recdecode.h"

/* decode problems are part of what the tests look at, not a reason to stop */
#define DECODE_IGNORING(x) do { ek_status st_ = (x); (void)st_; } while (0)
#define MS(x) ((uint64_t)(x) * UINT64_C(1000000))

static const uint8_t DUT[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t NB_A[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t NB_B[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x0b };
static const uint8_t NETID[4] = { 0xde, 0xad, 0xbe, 0xef };
static const uint8_t IID[8] = { 0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x01 };

static ek_monitor mon;
static ek_monitor_cfg cfg;
static ek_frame fr;
static uint8_t buf[EK_BUILD_MPDU_MAX];
static ek_monitor_finding fnd[EK_MONITOR_MAX_FINDINGS];
static uint8_t seq;

/* What a DIO carries.  min < 0: no enrollment option; mhri 0: no DODAG Configuration. */
typedef struct dio_spec {
    uint16_t rank;
    int min;
    uint16_t mhri;
    uint8_t instance;
    uint8_t raw_type;     /* an extra option of this type (0: none) */
    uint8_t raw_len;      /* its Length / data octets */
} dio_spec;

static dio_spec dio_default(uint16_t rank, int min)
{
    return (dio_spec){ .rank = rank, .min = min, .mhri = 256, .instance = 0x1e };
}

/* What an EB carries. */
typedef struct eb_spec {
    bool has_ji;
    uint8_t proxy, pan, reserved, join_metric;
    bool p;
    const uint8_t *iid;
    const uint8_t *netid;
    size_t netid_len;
    int8_t len_delta;
} eb_spec;

static eb_spec eb_default(uint8_t proxy, uint8_t join_metric)
{
    return (eb_spec){ .has_ji = true, .proxy = proxy, .pan = 0x10, .join_metric = join_metric,
                      .netid = NETID, .netid_len = sizeof NETID };
}

static void setup(void)
{
    memset(&cfg, 0, sizeof cfg);
    ek_profile_default(&cfg.prof);
    cfg.implements_mep = true;
    cfg.eb_period_ms = 50;
    cfg.slack_ms = 20;
    cfg.closed_world = true;
    ek_monitor_init(&mon, &cfg);
    memset(fnd, 0, sizeof fnd);
}

static void reinit(void)
{
    ek_monitor_init(&mon, &cfg);
}

static void decode(size_t len)
{
    DECODE_IGNORING(ek_frame_decode(ek_view_make(buf, len), false, &cfg.prof, &fr));
}

static void build_dio(const uint8_t ext[8], const dio_spec *sp)
{
    ek_build_node n = { .pan_id = 0xface, .seq = seq++ };
    memcpy(n.ext, ext, 8);
    ek_build_dio d;
    ek_build_dio_init(&d);
    d.base.rank = sp->rank;
    d.base.instance = sp->instance;
    d.has_conf = sp->mhri != 0;
    d.conf.min_hop_rank_inc = sp->mhri;
    if (sp->min >= 0) {
        d.has_mep = true;
        d.mep.profile = cfg.prof.mep;
        d.mep.min_priority = (uint8_t)sp->min;
        d.mep.has_version = true;
        d.mep.version = 241;
        d.mep.has_size = true;
        cr_assert(ek_minprio_size_encode(40, cfg.prof.mep, &d.mep.exp, &d.mep.size_code));
    }
    if (sp->raw_type != 0 || sp->raw_len != 0) {
        d.n_extra = 1;
        d.extra[0].type = sp->raw_type;
        d.extra[0].length = sp->raw_len;
        d.extra[0].data_len = sp->raw_len;
        for (unsigned i = 0; i < sp->raw_len; i++)
            d.extra[0].data[i] = sp->raw_type == EK_RPL_OPT_PADN ? 0 : (uint8_t)(0x11 * (i + 1));
    }
    size_t len = 0;
    ek_err e;
    cr_assert_eq(ek_build_dio_frame(&n, &d, &cfg.prof, buf, sizeof buf, &len, &e), EK_OK, "%s", e.field);
    decode(len);
    cr_assert(fr.sum.has_dio);
}

static void build_eb(const eb_spec *sp)
{
    ek_build_node n = { .pan_id = 0xface, .seq = seq++ };
    memcpy(n.ext, DUT, 8);
    ek_build_eb e;
    ek_build_eb_init(&e);
    e.asn = 1000;
    e.join_metric = sp->join_metric;
    e.has_ji = sp->has_ji;
    e.ji.r = true;
    e.ji.proxy_prio = sp->proxy;
    e.ji.rank_prio = 3;
    e.ji.pan_prio = sp->pan;
    e.ji.reserved = sp->reserved;
    e.ji.p = sp->p;
    if (sp->p)
        memcpy(e.ji.jp_iid, sp->iid, 8);
    e.ji.network_id = ek_view_make(sp->netid, sp->netid_len);
    e.ji_len_delta = sp->len_delta;
    size_t len = 0;
    ek_err er;
    cr_assert_eq(ek_build_eb_frame(&n, &e, &cfg.prof, buf, sizeof buf, &len, &er), EK_OK, "%s", er.field);
    decode(len);
    cr_assert(fr.sum.has_asn);
}

/* Feeders: the node's frames return the findings count; fnd[] holds them. */
static size_t node_dio(uint64_t t_ms, dio_spec sp)
{
    build_dio(DUT, &sp);
    memset(fnd, 0, sizeof fnd);
    return ek_monitor_node_frame(&mon, &fr, MS(t_ms), fnd, EK_MONITOR_MAX_FINDINGS);
}

static size_t node_eb(uint64_t t_ms, eb_spec sp)
{
    build_eb(&sp);
    memset(fnd, 0, sizeof fnd);
    return ek_monitor_node_frame(&mon, &fr, MS(t_ms), fnd, EK_MONITOR_MAX_FINDINGS);
}

static void nb_dio(const uint8_t ext[8], uint64_t frame_no, uint64_t t_ms, dio_spec sp)
{
    build_dio(ext, &sp);
    ek_monitor_neighbour_frame(&mon, &fr, frame_no, MS(t_ms));
}

/* The findings of one rule in fnd[0..n). */
static size_t count_rule(size_t n, const char *rule)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(fnd[i].rule, rule) == 0)
            c++;
    return c;
}

static void assert_one(size_t n, const char *rule, ek_monitor_severity sev, const char *msg)
{
    cr_assert_eq(n, 1, "expected one finding, got %zu (first: %s)", n, n ? fnd[0].msg : "-");
    cr_assert_str_eq(fnd[0].rule, rule);
    cr_assert_eq(fnd[0].severity, sev);
    cr_assert_str_eq(fnd[0].msg, msg);
    cr_assert_lt(strlen(fnd[0].msg), EK_MONITOR_MSG_MAX - 1);
    cr_assert_null(strchr(fnd[0].msg, '\n'));
}

TestSuite(monitor, .init = setup);

/* ---- helpers ---------------------------------------------------------------------------- */

Test(monitor, join_metric_is_dagrank_minus_one_clamped)
{
    cr_assert_eq(ek_monitor_join_metric_for(256, 256), 0);   /* root: DAGRank 1 (RFC 8180 §6.1) */
    cr_assert_eq(ek_monitor_join_metric_for(0, 256), 0);     /* DAGRank 0 clamps at 0 */
    cr_assert_eq(ek_monitor_join_metric_for(768, 256), 2);
    cr_assert_eq(ek_monitor_join_metric_for(767, 256), 1);   /* floor(rank / MHRI) */
    cr_assert_eq(ek_monitor_join_metric_for(768, 0), 2);     /* 0 = 256 */
    cr_assert_eq(ek_monitor_join_metric_for(768, 128), 5);
    cr_assert_eq(ek_monitor_join_metric_for(0xffff, 1), 255);
    cr_assert_eq(ek_monitor_join_metric_for(0xffff, 256), 254);
}

Test(monitor, mhri_own_conf_then_lowest_rank_neighbour_then_cfg)
{
    cr_assert_eq(ek_monitor_mhri(&mon), 256);                /* cfg 0 = 256 */
    cfg.min_hop_rank_inc = 64;
    reinit();
    cr_assert_eq(ek_monitor_mhri(&mon), 64);
    dio_spec a = dio_default(1024, -1);
    a.mhri = 512;
    nb_dio(NB_A, 1, 0, a);
    dio_spec b = dio_default(512, -1);
    b.mhri = 128;
    nb_dio(NB_B, 2, 0, b);
    cr_assert_eq(ek_monitor_mhri(&mon), 128);                /* NB_B has the lower rank */
    dio_spec own = dio_default(1024, -1);
    own.mhri = 0;
    cr_assert_eq(node_dio(10, own), 0);
    cr_assert_eq(ek_monitor_mhri(&mon), 128);                /* its DIO has no configuration */
    own.mhri = 32;
    node_dio(20, own);
    cr_assert_eq(ek_monitor_mhri(&mon), 32);
}

Test(monitor, node_rank_and_min_accessors)
{
    uint16_t r = 0;
    uint8_t min = 0;
    cr_assert(!ek_monitor_node_rank(&mon, &r));
    cr_assert(!ek_monitor_node_min(&mon, &min));
    node_dio(0, dio_default(768, 0x33));
    cr_assert(ek_monitor_node_rank(&mon, &r));
    cr_assert_eq(r, 768);
    cr_assert(ek_monitor_node_min(&mon, &min));
    cr_assert_eq(min, 0x33);
    node_dio(10, dio_default(512, -1));
    cr_assert(ek_monitor_node_rank(&mon, &r));
    cr_assert_eq(r, 512);
    cr_assert(!ek_monitor_node_min(&mon, &min));
    cr_assert(mon.has_prev_dio);
    cr_assert_eq(mon.prev_rank, 768);
    cr_assert(mon.prev_has_min);
    cr_assert_eq(mon.prev_min_priority, 0x33);
    cr_assert_eq(mon.dios, 2);
}

/* ---- copied-option ---------------------------------------------------------------------- */

Test(monitor, copied_unknown_option_fails_naming_neighbour_and_frame)
{
    dio_spec sp = dio_default(256, 0x40);
    sp.raw_type = 0xf0;
    sp.raw_len = 2;
    nb_dio(NB_A, 12, 0, sp);
    sp.rank = 512;
    size_t n = node_dio(100, sp);
    assert_one(n, "copied-option", EK_MON_FAIL,
               "DIO carries option type 0xf0 heard from 02:00:5e:ef:00:00:00:0a (frame 12): an unrecognized "
               "option must not be forwarded");
    cr_assert_str_eq(fnd[0].req, "EP-21");
    cr_assert_str_eq(fnd[0].section, "RFC 6550 §6.7.1");
}

Test(monitor, dropped_unknown_option_holds)
{
    dio_spec sp = dio_default(256, 0x40);
    sp.raw_type = 0xf0;
    sp.raw_len = 2;
    nb_dio(NB_A, 12, 0, sp);
    cr_assert_eq(node_dio(100, dio_default(512, 0x40)), 0);
}

Test(monitor, unknown_option_never_heard_is_not_judged)
{
    dio_spec sp = dio_default(512, 0x40);
    sp.raw_type = 0xf1;
    sp.raw_len = 1;
    nb_dio(NB_A, 1, 0, dio_default(256, 0x40));
    cr_assert_eq(node_dio(100, sp), 0);                       /* its own, not copied */
}

Test(monitor, padding_is_never_judged)
{
    dio_spec sp = dio_default(256, 0x40);
    sp.raw_type = EK_RPL_OPT_PADN;
    sp.raw_len = 2;
    nb_dio(NB_A, 3, 0, sp);
    cr_assert_eq(ek_monitor_n_heard(&mon), 0);
    sp.rank = 512;
    cr_assert_eq(node_dio(100, sp), 0);
    dio_spec p1 = dio_default(256, 0x40);                     /* type 0 length 0: one Pad1 octet */
    p1.raw_type = 0;
    p1.raw_len = 0;
    nb_dio(NB_A, 4, 0, p1);
    cr_assert_eq(ek_monitor_n_heard(&mon), 0);
}

Test(monitor, target_descriptor_is_recognized_not_copied)
{
    dio_spec sp = dio_default(256, 0x40);
    sp.raw_type = EK_RPL_OPT_TARGET_DESC;                     /* RFC 6550 §6.7.11, kept raw */
    sp.raw_len = 4;
    nb_dio(NB_A, 3, 0, sp);
    cr_assert_eq(ek_monitor_n_heard(&mon), 0);
    sp.rank = 512;
    cr_assert_eq(node_dio(100, sp), 0);
}

Test(monitor, enrollment_option_copied_by_node_without_capability_fails)
{
    cfg.implements_mep = false;
    reinit();
    nb_dio(NB_A, 7, 0, dio_default(256, 0x40));
    size_t n = node_dio(100, dio_default(512, 0x40));
    assert_one(n, "copied-option", EK_MON_FAIL,
               "DIO carries option type 0x2a heard from 02:00:5e:ef:00:00:00:0a (frame 7): the enrollment "
               "option of a node without that capability must not be forwarded");
    /* without the capability the minimum is not the node's: proxy-below-min stays silent */
    cr_assert(!ek_monitor_node_min(&mon, NULL));
    cr_assert_eq(count_rule(node_eb(300, eb_default(0x10, 1)), "proxy-below-min"), 0);
}

Test(monitor, enrollment_option_propagated_by_node_with_capability_holds)
{
    nb_dio(NB_A, 7, 0, dio_default(256, 0x40));
    cr_assert_eq(ek_monitor_n_heard(&mon), 0);
    cr_assert_eq(node_dio(100, dio_default(512, 0x40)), 0);
}

Test(monitor, one_finding_per_type_and_first_neighbour_named)
{
    dio_spec sp = dio_default(256, 0x40);
    sp.raw_type = 0xf0;
    sp.raw_len = 2;
    nb_dio(NB_A, 5, 0, sp);
    nb_dio(NB_B, 9, 10, sp);
    cr_assert_eq(ek_monitor_n_heard(&mon), 1);
    sp.rank = 512;
    size_t n = node_dio(100, sp);
    cr_assert_eq(n, 1);
    cr_assert(strstr(fnd[0].msg, "02:00:5e:ef:00:00:00:0a (frame 5)"), "%s", fnd[0].msg);
}

/* ---- proxy-below-min -------------------------------------------------------------------- */

Test(monitor, proxy_below_settled_minimum_fails)
{
    node_dio(0, dio_default(512, 0x40));
    size_t n = node_eb(120, eb_default(0x15, 1));
    assert_one(n, "proxy-below-min", EK_MON_FAIL,
               "EB proxy priority 0x15 < the minimum 0x40 the node advertised in its DIO 120 ms earlier");
    cr_assert_str_eq(fnd[0].req, "EP-15");
    cr_assert_str_eq(fnd[0].section, "draft-ietf-roll-enrollment-priority-16 §3.2");
}

Test(monitor, proxy_at_or_above_minimum_holds)
{
    node_dio(0, dio_default(512, 0x40));
    cr_assert_eq(node_eb(120, eb_default(0x40, 1)), 0);
    cr_assert_eq(node_eb(130, eb_default(0x55, 1)), 0);
    cr_assert_eq(node_eb(140, eb_default(0x7f, 1)), 0);
}

Test(monitor, proxy_rule_needs_a_dio_with_the_option)
{
    cr_assert_eq(node_eb(100, eb_default(0x01, 0)), 0);       /* no DIO seen */
    node_dio(200, dio_default(512, -1));
    cr_assert_eq(node_eb(400, eb_default(0x01, 1)), 0);       /* DIO without the option */
}

Test(monitor, proxy_grace_after_first_dio_is_not_judged)
{
    node_dio(0, dio_default(512, 0x40));
    cr_assert_eq(node_eb(70, eb_default(0x10, 1)), 0);        /* age 70 = period + slack: grace */
    cr_assert_eq(count_rule(node_eb(71, eb_default(0x10, 1)), "proxy-below-min"), 1);
}

Test(monitor, proxy_grace_after_raise_accepts_previous_minimum)
{
    node_dio(0, dio_default(512, 0x40));
    node_dio(200, dio_default(512, 0x60));
    cr_assert_eq(node_eb(230, eb_default(0x40, 1)), 0);       /* built before the raise */
    cr_assert_eq(node_eb(270, eb_default(0x40, 1)), 0);       /* boundary: still within */
    size_t n = node_eb(271, eb_default(0x40, 1));
    assert_one(n, "proxy-below-min", EK_MON_FAIL,
               "EB proxy priority 0x40 < the minimum 0x60 the node advertised in its DIO 71 ms earlier");
    cr_assert_eq(node_eb(230 + 100, eb_default(0x60, 1)), 0);
}

Test(monitor, proxy_grace_bound_is_the_lowest_minimum_in_force)
{
    node_dio(0, dio_default(512, 0x40));
    node_dio(200, dio_default(512, 0x60));
    size_t n = node_eb(230, eb_default(0x3f, 1));             /* below both */
    assert_one(n, "proxy-below-min", EK_MON_FAIL,
               "EB proxy priority 0x3f < 0x40, the lowest minimum the node advertised within the last 70 ms "
               "(EB period + slack; latest DIO 30 ms earlier)");
}

Test(monitor, proxy_grace_counts_from_the_change_not_from_the_latest_dio)
{
    /* Trickle reset after the change: DIOs every 10 ms repeat the new minimum. */
    node_dio(0, dio_default(512, 0x40));
    node_dio(100, dio_default(512, 0x60));
    node_dio(110, dio_default(512, 0x60));
    node_dio(120, dio_default(512, 0x60));
    cr_assert_eq(node_eb(150, eb_default(0x40, 1)), 0);       /* an EB built before 100 */
    cr_assert_eq(count_rule(node_eb(171, eb_default(0x40, 1)), "proxy-below-min"), 1);
}

Test(monitor, proxy_grace_with_option_dropped_then_back_is_not_judged)
{
    node_dio(0, dio_default(512, 0x40));
    node_dio(100, dio_default(512, -1));
    node_dio(150, dio_default(512, 0x40));
    cr_assert_eq(node_eb(200, eb_default(0x10, 1)), 0);       /* a DIO without it in the window */
    cr_assert_eq(count_rule(node_eb(221, eb_default(0x10, 1)), "proxy-below-min"), 1);
}

/* ---- join-metric ---------------------------------------------------------------------- */

Test(monitor, join_metric_matching_rank_holds)
{
    node_dio(0, dio_default(768, 0x40));
    cr_assert_eq(node_eb(100, eb_default(0x40, 2)), 0);
}

/* An EB whose join metric fits no advertised rank is reported at the node's next DIO,
 * unless that DIO's rank explains it (the EB showed the new rank first). */
static size_t next_dio_jm(uint64_t t_ms, uint16_t rank)
{
    return count_rule(node_dio(t_ms, dio_default(rank, 0x40)), "join-metric");
}

Test(monitor, join_metric_not_dagrank_minus_one_fails_at_the_next_dio)
{
    node_dio(0, dio_default(768, 0x40));
    cr_assert_eq(node_eb(100, eb_default(0x40, 5)), 0);      /* pending */
    cr_assert_eq(node_eb(150, eb_default(0x40, 6)), 0);      /* the first one is reported */
    size_t n = node_dio(300, dio_default(768, 0x40));
    assert_one(n, "join-metric", EK_MON_FAIL,
               "EB join metric 5 != 2 = DAGRank(768) - 1 for the rank in the node's DIO 100 ms before that EB "
               "(MinHopRankIncrease 256), nor for rank 768 in the node's next DIO, 200 ms after it");
    cr_assert_str_eq(fnd[0].req, "EB-13");
    cr_assert_str_eq(fnd[0].section, "RFC 8180 §6.1");
    cr_assert_eq(next_dio_jm(400, 768), 0);                  /* reported once */
}

Test(monitor, join_metric_of_a_rank_the_next_dio_announces_holds)
{
    /* an MRHOF rank drifts with the link metric (RFC 6719) and a rank change need not
     * send a DIO at once (RFC 6550 §8.3): the EB may show the new rank first */
    node_dio(0, dio_default(768, 0x40));
    cr_assert_eq(node_eb(100, eb_default(0x40, 3)), 0);
    cr_assert_eq(next_dio_jm(500, 1024), 0);                 /* DAGRank(1024) - 1 = 3 */
}

Test(monitor, join_metric_grace_after_rank_change)
{
    node_dio(0, dio_default(768, 0x40));
    node_dio(200, dio_default(512, 0x40));
    cr_assert_eq(node_eb(250, eb_default(0x40, 2)), 0);       /* the previous rank's */
    cr_assert_eq(node_eb(250, eb_default(0x40, 1)), 0);       /* the new rank's */
    cr_assert_eq(node_eb(250, eb_default(0x40, 7)), 0);       /* pending */
    size_t n = node_dio(300, dio_default(512, 0x40));
    assert_one(n, "join-metric", EK_MON_FAIL,
               "EB join metric 7 is none of 1 (rank 512), 2 (rank 768), DAGRank(rank) - 1 for the ranks the "
               "node advertised within 70 ms before that EB (MinHopRankIncrease 256), nor for rank 512 in the "
               "node's next DIO, 50 ms after it");
    cr_assert_eq(node_eb(371, eb_default(0x40, 2)), 0);       /* grace of the 768 -> 512 change over */
    cr_assert_eq(next_dio_jm(400, 512), 1);
    cr_assert_eq(node_eb(471, eb_default(0x40, 1)), 0);
    cr_assert_eq(next_dio_jm(500, 512), 0);
}

Test(monitor, join_metric_uses_own_configuration_mhri)
{
    dio_spec sp = dio_default(768, 0x40);
    sp.mhri = 128;
    node_dio(0, sp);
    cr_assert_eq(node_eb(100, eb_default(0x40, 5)), 0);
    cr_assert_eq(node_eb(110, eb_default(0x40, 2)), 0);
    cr_assert_eq(count_rule(node_dio(200, sp), "join-metric"), 1);
}

Test(monitor, join_metric_uses_neighbour_then_cfg_mhri)
{
    cfg.min_hop_rank_inc = 128;
    cfg.closed_world = false;
    reinit();
    dio_spec own = dio_default(1024, 0x40);
    own.mhri = 0;
    node_dio(0, own);
    cr_assert_eq(node_eb(100, eb_default(0x40, 7)), 0);       /* cfg: 1024 / 128 - 1 */
    dio_spec nb = dio_default(256, 0x40);
    nb.mhri = 512;
    nb_dio(NB_A, 1, 110, nb);
    /* a new neighbour may move the node's rank before its next DIO says so: not judged */
    cr_assert_eq(node_eb(112, eb_default(0x40, 9)), 0);
    /* a node DIO within slack_ms (20) of the neighbour's may have crossed it: still waiting */
    cr_assert_eq(count_rule(node_dio(115, own), "join-metric"), 0);
    cr_assert_eq(node_eb(118, eb_default(0x40, 9)), 0);
    cr_assert_eq(count_rule(node_dio(135, own), "join-metric"), 0);
    cr_assert_eq(node_eb(140, eb_default(0x40, 1)), 0);       /* neighbour: 1024 / 512 - 1 */
    cr_assert_eq(node_eb(150, eb_default(0x40, 7)), 0);
    cr_assert_eq(count_rule(node_dio(200, own), "join-metric"), 1);
}

Test(monitor, join_metric_without_dio_or_in_first_grace_is_not_judged)
{
    cr_assert_eq(node_eb(0, eb_default(0x40, 9)), 0);
    cr_assert_eq(next_dio_jm(100, 768), 0);
    cr_assert_eq(node_eb(150, eb_default(0x40, 9)), 0);
    cr_assert_eq(next_dio_jm(160, 768), 0);
    cr_assert_eq(node_eb(231, eb_default(0x40, 9)), 0);
    cr_assert_eq(next_dio_jm(300, 768), 1);
}

Test(monitor, join_metric_infinite_rank_accepts_255)
{
    node_dio(0, dio_default(0xffff, 0x40));
    cr_assert_eq(node_eb(100, eb_default(0x40, 254)), 0);
    cr_assert_eq(node_eb(100, eb_default(0x40, 255)), 0);
    cr_assert_eq(next_dio_jm(150, 0xffff), 0);
    cr_assert_eq(node_eb(200, eb_default(0x40, 3)), 0);
    cr_assert_eq(next_dio_jm(250, 0xffff), 1);
}

/* ---- rank-increase ---------------------------------------------------------------------- */

Test(monitor, rank_below_parent_plus_mhri_fails_in_closed_world)
{
    nb_dio(NB_A, 1, 0, dio_default(256, 0x40));
    nb_dio(NB_B, 2, 0, dio_default(768, 0x40));
    size_t n = node_dio(100, dio_default(384, 0x40));
    assert_one(n, "rank-increase", EK_MON_FAIL,
               "DIO rank 384 < 512 = rank 256 of neighbour 02:00:5e:ef:00:00:00:0a (lowest in instance 30 of its "
               "DODAG) + MinHopRankIncrease 256");
    cr_assert_str_eq(fnd[0].req, "");
    cr_assert_str_eq(fnd[0].section, "RFC 6550 §3.5.1, §14");
}

Test(monitor, rank_at_least_parent_plus_mhri_holds)
{
    nb_dio(NB_A, 1, 0, dio_default(256, 0x40));
    cr_assert_eq(node_dio(100, dio_default(512, 0x40)), 0);
    cr_assert_eq(node_dio(200, dio_default(700, 0x40)), 0);
}

Test(monitor, rank_rule_off_without_closed_world)
{
    cfg.closed_world = false;
    reinit();
    nb_dio(NB_A, 1, 0, dio_default(256, 0x40));
    cr_assert_eq(node_dio(100, dio_default(300, 0x40)), 0);
}

Test(monitor, rank_rule_only_same_instance_and_dodag)
{
    dio_spec other = dio_default(256, 0x40);
    other.instance = 0x1f;
    nb_dio(NB_A, 1, 0, other);
    cr_assert_eq(node_dio(100, dio_default(300, 0x40)), 0);
    nb_dio(NB_B, 2, 110, dio_default(256, 0x40));
    cr_assert_eq(count_rule(node_dio(200, dio_default(300, 0x40)), "rank-increase"), 1);
}

Test(monitor, rank_rule_never_judges_infinite_rank)
{
    nb_dio(NB_A, 1, 0, dio_default(256, 0x40));
    cr_assert_eq(node_dio(100, dio_default(0xffff, 0x40)), 0);
    /* a poisoning neighbour is no parent either */
    nb_dio(NB_A, 2, 200, dio_default(0xffff, 0x40));
    cr_assert_eq(node_dio(300, dio_default(300, 0x40)), 0);
}

Test(monitor, rank_rule_neighbour_rise_within_slack_keeps_previous_rank)
{
    nb_dio(NB_A, 1, 0, dio_default(256, 0x40));
    nb_dio(NB_A, 2, 100, dio_default(512, 0x40));
    cr_assert_eq(node_dio(120, dio_default(512, 0x40)), 0);   /* 20 ms = slack: not processed yet */
    size_t n = node_dio(121, dio_default(512, 0x40));
    cr_assert_eq(count_rule(n, "rank-increase"), 1);
    cr_assert(strstr(fnd[0].msg, "DIO rank 512 < 768"), "%s", fnd[0].msg);
}

Test(monitor, rank_rule_uses_the_dodag_mhri)
{
    dio_spec nb = dio_default(256, 0x40);
    nb.mhri = 128;
    nb_dio(NB_A, 1, 0, nb);
    dio_spec own = dio_default(384, 0x40);
    own.mhri = 0;
    cr_assert_eq(node_dio(100, own), 0);                      /* 256 + 128 */
    own.rank = 383;
    cr_assert_eq(count_rule(node_dio(200, own), "rank-increase"), 1);
}

/* ---- Join-Info: framing, reserved, declared --------------------------------------------- */

Test(monitor, ji_valid_framing_holds)
{
    cr_assert_eq(node_eb(0, eb_default(0x40, 0)), 0);
    eb_spec sp = eb_default(0x40, 0);
    sp.p = true;
    sp.iid = IID;
    cr_assert_eq(node_eb(0, sp), 0);
    sp.netid_len = 0;
    cr_assert_eq(node_eb(0, sp), 0);
}

Test(monitor, ji_wrong_length_fails_both_ways)
{
    for (int d = -1; d <= 1; d += 2) {
        eb_spec sp = eb_default(0x40, 0);
        sp.len_delta = (int8_t)d;
        size_t n = node_eb(0, sp);
        cr_assert_eq(count_rule(n, "ji-framing"), 1, "delta %d: %zu findings", d, n);
        cr_assert_eq(fnd[0].severity, EK_MON_FAIL);
        cr_assert_str_eq(fnd[0].req, "EB-1, EB-2");
        cr_assert(strstr(fnd[0].msg, d < 0 ? "IE list breaks after the Join-Info IE" : "shows no Join-Info IE"),
                  "%s", fnd[0].msg);
        cr_assert_lt(strlen(fnd[0].msg), EK_MONITOR_MSG_MAX - 1);
    }
}

Test(monitor, ji_short_content_fails)
{
    eb_spec sp = eb_default(0x40, 0);
    sp.netid_len = 0;
    sp.len_delta = -2;                                        /* 3 content octets: no PAN priority */
    size_t n = node_eb(0, sp);
    cr_assert_eq(count_rule(n, "ji-framing"), 1);
    cr_assert(strstr(fnd[0].msg, "Join-Info") != NULL, "%s", fnd[0].msg);
}

Test(monitor, ji_reserved_bits_are_info)
{
    eb_spec sp = eb_default(0x40, 0);
    sp.reserved = 5;
    size_t n = node_eb(0, sp);
    assert_one(n, "ji-reserved", EK_MON_INFO, "Join-Info reserved bits sent as 0x05, not 0 (receivers ignore them)");
    sp.reserved = 0;
    cr_assert_eq(node_eb(0, sp), 0);
}

Test(monitor, ji_declared_network_id)
{
    cfg.has_network_id = true;
    memcpy(cfg.network_id, NETID, sizeof NETID);
    cfg.network_id_len = sizeof NETID;
    reinit();
    cr_assert_eq(node_eb(0, eb_default(0x40, 0)), 0);
    eb_spec sp = eb_default(0x40, 0);
    sp.netid_len = 3;
    size_t n = node_eb(0, sp);
    assert_one(n, "ji-declared", EK_MON_FAIL,
               "Join-Info network ID 0xdeadbe (3 octets) differs from the declared deadbeef (4 octets)");
    sp.netid_len = 0;
    cr_assert_eq(count_rule(node_eb(0, sp), "ji-declared"), 1);
}

Test(monitor, ji_undeclared_values_are_not_compared)
{
    eb_spec sp = eb_default(0x40, 0);
    sp.p = true;
    sp.iid = IID;
    sp.pan = 0x99;
    sp.netid_len = 1;
    cr_assert_eq(node_eb(0, sp), 0);
}

Test(monitor, ji_declared_iid_none_needs_p_zero)
{
    cfg.jp_iid_mode = EK_MON_IID_NONE;
    reinit();
    cr_assert_eq(node_eb(0, eb_default(0x40, 0)), 0);
    eb_spec sp = eb_default(0x40, 0);
    sp.p = true;
    sp.iid = IID;
    size_t n = node_eb(0, sp);
    assert_one(n, "ji-declared", EK_MON_FAIL,
               "Join-Info P = 1 with Join Proxy IID 0x000000fffe000001, declared none (P = 0: the IID comes "
               "from the L2 address)");
}

Test(monitor, ji_declared_iid_value_needs_p_and_equal_octets)
{
    cfg.jp_iid_mode = EK_MON_IID_VALUE;
    memcpy(cfg.jp_iid, IID, 8);
    reinit();
    eb_spec sp = eb_default(0x40, 0);
    sp.p = true;
    sp.iid = IID;
    cr_assert_eq(node_eb(0, sp), 0);
    assert_one(node_eb(0, eb_default(0x40, 0)), "ji-declared", EK_MON_FAIL,
               "Join-Info P = 0 (no Join Proxy IID), declared IID 0x000000fffe000001");
    static const uint8_t other[8] = { 0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x02 };
    sp.iid = other;
    assert_one(node_eb(0, sp), "ji-declared", EK_MON_FAIL,
               "Join-Info Join Proxy IID 0x000000fffe000002 differs from the declared 0x000000fffe000001");
}

Test(monitor, ji_declared_pan_priority)
{
    cfg.has_pan_priority = true;
    cfg.pan_priority = 0x10;
    reinit();
    cr_assert_eq(node_eb(0, eb_default(0x40, 0)), 0);
    eb_spec sp = eb_default(0x40, 0);
    sp.pan = 0x11;
    assert_one(node_eb(0, sp), "ji-declared", EK_MON_FAIL,
               "Join-Info PAN priority 0x11 differs from the declared 0x10");
}

/* ---- frames without the relevant part, reset, caps ------------------------------------ */

Test(monitor, frames_without_the_relevant_part_trigger_nothing)
{
    cfg.has_pan_priority = true;
    cfg.pan_priority = 0x77;
    reinit();
    node_dio(0, dio_default(768, 0x40));
    eb_spec sp = eb_default(0, 2);
    sp.has_ji = false;                                        /* EB without Join-Info */
    cr_assert_eq(node_eb(200, sp), 0);
    ek_build_node n = { .pan_id = 0xface, .seq = seq++ };
    memcpy(n.ext, DUT, 8);
    size_t len = 0;
    ek_err e;
    cr_assert_eq(ek_build_dis_frame(&n, &cfg.prof, buf, sizeof buf, &len, &e), EK_OK);
    decode(len);
    cr_assert_eq(ek_monitor_node_frame(&mon, &fr, MS(300), fnd, EK_MONITOR_MAX_FINDINGS), 0);
    ek_monitor_neighbour_frame(&mon, &fr, 9, MS(300));        /* a neighbour's DIS teaches nothing */
    cr_assert_eq(ek_monitor_n_neighbours(&mon), 0);
    cr_assert_eq(mon.frames, 3);
    cr_assert_eq(mon.dios, 1);
    cr_assert_eq(mon.ebs, 1);
}

Test(monitor, reset_forgets_what_was_learnt_and_keeps_cfg)
{
    dio_spec sp = dio_default(256, 0x40);
    sp.raw_type = 0xf0;
    sp.raw_len = 2;
    nb_dio(NB_A, 12, 0, sp);
    node_dio(10, dio_default(768, 0x60));
    ek_monitor_reset(&mon);
    cr_assert_eq(ek_monitor_n_heard(&mon), 0);
    cr_assert(!mon.has_dio);
    cr_assert_eq(ek_monitor_n_neighbours(&mon), 0);
    cr_assert(mon.cfg.closed_world);
    cr_assert_eq(mon.cfg.eb_period_ms, 50);
    sp.rank = 300;
    cr_assert_eq(node_dio(1000, sp), 0);                      /* nothing heard, no neighbour */
    cr_assert_eq(node_eb(1001, eb_default(0x10, 0)), 0);      /* within the first DIO's grace */
    cr_assert_eq(count_rule(node_eb(1100, eb_default(0x10, 0)), "proxy-below-min"), 1); /* the new 0x40 */
}

Test(monitor, cap_limits_findings_and_results_are_deterministic)
{
    cfg.has_pan_priority = true;
    cfg.pan_priority = 0x01;
    cfg.jp_iid_mode = EK_MON_IID_NONE;
    reinit();
    node_dio(0, dio_default(768, 0x40));
    eb_spec sp = eb_default(0x10, 9);
    sp.reserved = 1;
    sp.p = true;
    sp.iid = IID;
    size_t n = node_eb(200, sp);
    cr_assert_eq(n, 4, "%zu", n);  /* reserved, IID, PAN priority, proxy (join metric: at the next DIO) */
    ek_monitor_finding first[EK_MONITOR_MAX_FINDINGS];
    memcpy(first, fnd, sizeof first);
    cr_assert_str_eq(first[0].rule, "ji-reserved");
    cr_assert_str_eq(first[1].rule, "ji-declared");
    cr_assert_str_eq(first[2].rule, "ji-declared");
    cr_assert_str_eq(first[3].rule, "proxy-below-min");
    cr_assert_eq(node_eb(200, sp), 4);
    for (size_t i = 0; i < 4; i++)
        cr_assert_str_eq(fnd[i].msg, first[i].msg);
    ek_monitor_finding one[1];
    cr_assert_eq(ek_monitor_node_frame(&mon, &fr, MS(200), one, 1), 1);
    cr_assert_str_eq(one[0].msg, first[0].msg);
    cr_assert_eq(ek_monitor_node_frame(&mon, &fr, MS(200), NULL, 0), 0);
}

Test(monitor, neighbour_table_overflow_stops_rank_judgement)
{
    for (unsigned i = 0; i < EK_MONITOR_MAX_NEIGHBOURS + 1; i++) {
        uint8_t ext[8] = { 0x02, 0, 0, 0, 0, 0, 0x10, (uint8_t)i };
        nb_dio(ext, i, 0, dio_default((uint16_t)(256 + (i == EK_MONITOR_MAX_NEIGHBOURS ? 0 : 512)), 0x40));
    }
    cr_assert_eq(mon.own.dropped, 1);
    cr_assert_eq(node_dio(100, dio_default(300, 0x40)), 0);   /* the world is no longer known */
}

/* ---- proxy-below-min: what suspends it, and where it applies ---- */

Test(monitor, proxy_rule_is_suspended_by_the_likely_parent_only)
{
    nb_dio(NB_A, 1, 0, dio_default(256, 0x30));
    node_dio(10, dio_default(768, 0x30));
    nb_dio(NB_B, 2, 20, dio_default(1024, 0x00));             /* a worse neighbour's lower minimum */
    cr_assert_eq(count_rule(node_eb(120, eb_default(0x05, 2)), "proxy-below-min"), 1);
    nb_dio(NB_A, 3, 130, dio_default(256, 0x00));             /* the parent's lower minimum */
    cr_assert_eq(count_rule(node_eb(140, eb_default(0x05, 2)), "proxy-below-min"), 0);
    node_dio(150, dio_default(768, 0x30));                    /* its own DIO says what it kept */
    cr_assert_eq(count_rule(node_eb(250, eb_default(0x05, 2)), "proxy-below-min"), 1);
}

Test(monitor, proxy_rule_applies_to_versioned_layouts_only)
{
    cfg.prof.mep = EK_MEP_DRAFT04;   /* draft-03 §2 lets a 6LR raise what it propagates */
    reinit();
    node_dio(0, dio_default(512, 0x40));
    cr_assert_eq(count_rule(node_eb(120, eb_default(0x15, 1)), "proxy-below-min"), 0);
}

Test(monitor, a_node_dio_crossing_the_parents_on_the_air_does_not_end_the_suspension)
{
    /* seen over ZEP: the parent's v242 min 0x20 and the DUT's DIO (still 0x7f, built before
     * it processed v242) 83 us apart, then an EB with the adopted 0x20 + cost */
    nb_dio(NB_A, 1, 0, dio_default(256, 0x7f));
    node_dio(10, dio_default(768, 0x7f));
    nb_dio(NB_A, 2, 500, dio_default(256, 0x20));
    node_dio(501, dio_default(768, 0x7f));                     /* within slack (20 ms): crossed */
    cr_assert_eq(count_rule(node_eb(503, eb_default(0x3f, 2)), "proxy-below-min"), 0);
    node_dio(600, dio_default(768, 0x7f));                     /* a later DIO still says 0x7f */
    cr_assert_eq(count_rule(node_eb(700, eb_default(0x3f, 2)), "proxy-below-min"), 1);
}

Test(monitor, heard_names_the_first_sender_of_a_type_the_node_does_not_implement)
{
    dio_spec sp = dio_default(256, 0x40);
    sp.raw_type = 0xf0;
    sp.raw_len = 2;
    nb_dio(NB_A, 7, 0, sp);
    nb_dio(NB_B, 8, 5, sp);
    uint64_t no = 0;
    uint8_t from[8];
    cr_assert(ek_monitor_heard(&mon, 0xf0, &no, from));
    cr_assert_eq(no, 7);
    cr_assert_arr_eq(from, NB_A, 8);
    cr_assert_not(ek_monitor_heard(&mon, 0xf1, NULL, NULL));
    cr_assert_not(ek_monitor_heard(&mon, EK_RPL_OPT_DODAG_CONF, NULL, NULL));   /* implemented */
}

/* ---- a neighbour table shared by the monitors of one channel ---- */

/* Hands the DIO in fr to the shared table once and to every monitor but the sender's. */
static void shared_dio(ek_monitor_nbtab *t, ek_monitor *ms, size_t n, size_t sender, uint64_t no, uint64_t t_ns)
{
    ek_monitor_nbdio d;
    ek_monitor_nb_prepare(&fr, &d);
    ek_monitor_nbnews news;
    ek_monitor_nbtab_dio(t, &d, no, t_ns, &news);
    for (size_t i = 0; i < n; i++)
        if (i != sender)
            ek_monitor_hear(&ms[i], &d, &news, t_ns);
}

Test(monitor, a_shared_table_serves_every_node_but_not_as_its_own_neighbour)
{
    ek_monitor_neighbour store[4];
    ek_monitor_nbtab t;
    ek_monitor_nbtab_init(&t, store, 4, cfg.prof.mep_type);
    ek_monitor ms[2];
    ek_monitor_init(&ms[0], &cfg);
    ek_monitor_init(&ms[1], &cfg);
    ek_monitor_share(&ms[0], &t, NB_A);
    ek_monitor_share(&ms[1], &t, DUT);

    dio_spec a = dio_default(256, 0x40);
    a.raw_type = 0xf0;
    a.raw_len = 2;
    build_dio(NB_A, &a);
    shared_dio(&t, ms, 2, 0, 1, MS(0));
    /* A's own DIO: A is in the table, yet neither its own parent nor its own source of
     * the unknown option */
    cr_assert_eq(ek_monitor_node_frame(&ms[0], &fr, MS(0), fnd, EK_MONITOR_MAX_FINDINGS), 0);
    cr_assert_eq(ek_monitor_n_neighbours(&ms[0]), 0);
    cr_assert_eq(ek_monitor_n_heard(&ms[0]), 0);
    /* the other node knows A through the same table: rank 300 < 256 + 256, and the
     * option copied from A */
    cr_assert_eq(ek_monitor_n_neighbours(&ms[1]), 1);
    dio_spec b = dio_default(300, 0x40);
    b.raw_type = 0xf0;
    b.raw_len = 2;
    build_dio(DUT, &b);
    size_t n = ek_monitor_node_frame(&ms[1], &fr, MS(100), fnd, EK_MONITOR_MAX_FINDINGS);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(fnd[0].rule, "copied-option");
    cr_assert(strstr(fnd[0].msg, "heard from 02:00:5e:ef:00:00:00:0a (frame 1)"), "%s", fnd[0].msg);
    cr_assert_str_eq(fnd[1].rule, "rank-increase");
    /* the second sender of a type is the one named to the first */
    shared_dio(&t, ms, 2, 1, 2, MS(100));
    build_dio(NB_A, &a);
    n = ek_monitor_node_frame(&ms[0], &fr, MS(200), fnd, EK_MONITOR_MAX_FINDINGS);
    cr_assert_eq(n, 1);
    cr_assert(strstr(fnd[0].msg, "heard from 02:00:5e:ef:00:00:00:01 (frame 2)"), "%s", fnd[0].msg);
    /* a reset forgets the node's state, not the channel's table */
    ek_monitor_reset(&ms[1]);
    cr_assert_eq(ek_monitor_n_neighbours(&ms[1]), 1);
}

Test(monitor, terse_rules_count_their_findings_without_a_message)
{
    build_dio(NB_A, &(dio_spec){ .rank = 256, .min = 0x40, .mhri = 256, .instance = 0x1e });
    ek_monitor_neighbour_frame(&mon, &fr, 1, MS(0));
    mon.terse = EK_MON_R_RANK_INCREASE;
    size_t n = node_dio(100, dio_default(300, 0x40));
    cr_assert_eq(n, 1);
    cr_assert_str_eq(fnd[0].rule, "rank-increase");
    cr_assert_str_eq(fnd[0].msg, "");
    mon.terse = EK_MON_R_JOIN_METRIC; /* another rule's: this one keeps its message */
    n = node_dio(200, dio_default(300, 0x40));
    cr_assert_eq(n, 1);
    cr_assert(strstr(fnd[0].msg, "DIO rank 300 < 512"), "%s", fnd[0].msg);
}

/* Every frame of the vector captures, in order, through one monitor (a neighbour's DIO
 * teaches it too): a frame ek_monitor_frame_matters() turns down changes nothing in the
 * monitor but its frames and ebs counters, and gives no finding. */
Test(monitor, a_frame_that_does_not_matter_changes_only_the_counters, .init = setup)
{
    DIR *dir = opendir(EK_VECTORS_PCAP);
    cr_assert(dir, "%s", EK_VECTORS_PCAP);
    struct dirent *de;
    unsigned skipped = 0, judged = 0;
    uint64_t t = 0;
    static ek_monitor before;
    while ((de = readdir(dir)) != NULL) {
        size_t nl = strlen(de->d_name);
        if (nl < 6 || strcmp(de->d_name + nl - 5, ".pcap") != 0)
            continue;
        char path[512], err[512];
        snprintf(path, sizeof path, "%s/%s", EK_VECTORS_PCAP, de->d_name);
        ek_cap_reader *r = NULL;
        if (ek_cap_open(path, &r, err, sizeof err) != EK_CAP_IO_OK)
            continue;
        ek_cap_record rec;
        while (ek_cap_next(r, &rec) == EK_CAP_IO_OK) {
            t += UINT64_C(10000000); /* 10 ms */
            (void)ek_cap_decode_record(&rec, &cfg.prof, &fr, NULL);
            if (ek_monitor_frame_matters(&fr)) {
                ek_monitor_neighbour_frame(&mon, &fr, 1, t);
                (void)ek_monitor_node_frame(&mon, &fr, t, fnd, EK_MONITOR_MAX_FINDINGS);
                judged++;
                continue;
            }
            memcpy(&before, &mon, sizeof mon);
            cr_assert_eq(ek_monitor_node_frame(&mon, &fr, t, fnd, EK_MONITOR_MAX_FINDINGS), 0, "%s", path);
            before.frames = mon.frames;
            before.ebs = mon.ebs;
            before.judged = mon.judged;
            cr_assert_eq(mon.judged, 0, "%s: a rule judged it", path);
            cr_assert(memcmp(&before, &mon, sizeof mon) == 0, "%s: the monitor learnt from it", path);
            skipped++;
        }
        ek_cap_close(r);
    }
    closedir(dir);
    cr_assert_gt(skipped, 5);
    cr_assert_gt(judged, 5);
}
