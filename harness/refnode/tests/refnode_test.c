/* SPDX-License-Identifier: BSD-3-Clause */
/* Reference node tests in virtual time: parent selection and OF0 rank (RFC 6550 §8.2,
 * RFC 6552 §4.1), Trickle (RFC 6206 §4.2), EB content (RFC 8180 §6.1, RFC 9032 §2), the
 * enrollment option rules per wire profile (draft -03 §2, -16 §3.1-3.2, §4.1), link-layer
 * security (RFC 8180 §4.6, IEEE 802.15.4-2015 §9.2.5: K2 DIOs, K1 EBs, per-sender frame
 * counters, ASN freshness) and one test per seeded fault showing exactly its deviation. */
#include <criterion/criterion.h>
#include <string.h>

#include "ek/build.h"
#include "ek/consts.h"
#include "ek/frame.h"
#include "ek/refnode.h"
#include "ek/sec.h"

#define MS 1000000ull

static const uint8_t EXT_A[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t EXT_B[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x0b };
static const uint8_t EXT_C[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x0c };

static ek_frame F; /* decode scratch */

/* ---- helpers ---- */

typedef struct seen {
    bool dio, eb;
    uint64_t at;
    uint8_t mpdu[EK_BUILD_MPDU_MAX];
    size_t len;
} seen;

#define MAX_SEEN 512
static seen S[MAX_SEEN];
static unsigned n_seen;

static ek_refnode *mk(ek_mep_profile m, ek_refnode_fault f)
{
    ek_refnode_cfg c;
    ek_refnode_cfg_default(&c);
    c.prof.mep = m;
    c.fault = f;
    char eb[128];
    ek_refnode *n = ek_refnode_new(&c, eb, sizeof eb);
    cr_assert_not_null(n, "%s", eb);
    n_seen = 0;
    return n;
}

static ek_profile prof_of(ek_mep_profile m)
{
    ek_profile p;
    ek_profile_default(&p);
    p.mep = m;
    return p;
}

/* A parent's DIO: rank, optional enrollment option (layout of profile m). */
typedef struct par {
    const uint8_t *ext;
    uint16_t rank;
    bool has_mep;
    uint8_t ver, min;
    bool t, r;
    uint8_t dodag_version;
    ek_build_raw_opt extra;
    bool has_extra;
    ek_build_opt_pos pos;
    bool conf_custom;
    uint16_t mhri, ocp; /* MinHopRankIncrease (0 = 256) and OCP of its DODAG Configuration */
    bool no_conf;       /* no DODAG Configuration option */
    bool has_k;         /* DIORedundancyConstant k instead of 10 */
    uint8_t k;
} par;

static size_t dio_bytes(const par *p, ek_mep_profile m, uint8_t *out)
{
    ek_profile pr = prof_of(m);
    ek_build_dio d;
    ek_build_dio_init(&d);
    d.base.rank = p->rank;
    d.base.version = p->dodag_version ? p->dodag_version : 240;
    /* the DUT profile's timing, as the harness announces it: Imin 16 ms (DIOIntMin 4),
     * 6 doublings (Imax 1024 ms), k 10 (RFC 6550 §6.7.6) */
    d.conf.dio_int_min = 4;
    d.conf.dio_int_doublings = 6;
    d.conf.dio_redundancy = 10;
    if (p->conf_custom) {
        d.conf.dio_int_doublings = 7; /* Imax 32 << 7 = 4096 ms */
        d.conf.dio_int_min = 5;       /* Imin 32 ms */
        d.conf.max_rank_inc = 1792;
    }
    if (p->mhri)
        d.conf.min_hop_rank_inc = p->mhri;
    d.conf.ocp = p->ocp;
    if (p->has_k)
        d.conf.dio_redundancy = p->k;
    d.has_conf = !p->no_conf;
    d.has_mep = p->has_mep;
    d.mep.min_priority = p->min;
    d.mep.r = p->r && m <= EK_MEP_DRAFT04;
    d.mep.has_version = m >= EK_MEP_DRAFT09;
    d.mep.version = p->ver;
    d.mep.t = p->t && m >= EK_MEP_DRAFT09;
    d.mep.has_size = m != EK_MEP_DRAFT03;
    d.mep.exp = 3;
    d.mep.size_code = 13;
    if (p->has_extra) {
        d.n_extra = 1;
        d.extra[0] = p->extra;
        d.extra_pos = p->pos;
    }
    ek_build_node nd = { .pan_id = 0 }; /* all zero: fields added later stay off */
    memcpy(nd.ext, p->ext, 8);
    nd.pan_id = 0xface;
    nd.seq = 1;
    size_t len = 0;
    ek_err e;
    cr_assert_eq(ek_build_dio_frame(&nd, &d, &pr, out, EK_BUILD_MPDU_MAX, &len, &e), EK_OK);
    return len;
}

static void send_dio(ek_refnode *n, const par *p, ek_mep_profile m, uint64_t at)
{
    uint8_t b[EK_BUILD_MPDU_MAX];
    size_t len = dio_bytes(p, m, b);
    ek_refnode_rx(n, b, len, at);
}

/* Runs the node until `until` (inclusive), recording every frame it sends. */
static void run(ek_refnode *n, ek_mep_profile m, uint64_t until)
{
    ek_profile pr = prof_of(m);
    for (;;) {
        uint64_t t = ek_refnode_next_event(n);
        if (t > until)
            return;
        uint8_t b[EK_BUILD_MPDU_MAX];
        size_t len;
        while ((len = ek_refnode_poll(n, t, b, sizeof b)) > 0) {
            cr_assert_lt(n_seen, MAX_SEEN);
            seen *s = &S[n_seen++];
            memcpy(s->mpdu, b, len);
            s->len = len;
            s->at = t;
            ek_status st = ek_frame_decode(ek_view_make(b, len), false, &pr, &F);
            (void)st;
            s->dio = F.sum.has_dio;
            s->eb = F.sum.frame_type == EK_WPAN_FT_BEACON;
        }
        cr_assert_gt(ek_refnode_next_event(n), t); /* everything due at t was handled */
    }
}

static ek_refnode_state state(const ek_refnode *n)
{
    ek_refnode_state s;
    ek_refnode_get_state(n, &s);
    return s;
}

static const seen *last_of(bool dio)
{
    for (unsigned i = n_seen; i-- > 0;)
        if (dio ? S[i].dio : S[i].eb)
            return &S[i];
    return NULL;
}

static const seen *first_dio_after(uint64_t a)
{
    for (unsigned i = 0; i < n_seen; i++)
        if (S[i].dio && S[i].at > a)
            return &S[i];
    return NULL;
}

/* The last EB the node sent, decoded into F. */
static void last_eb(ek_mep_profile m)
{
    const seen *s = last_of(false);
    cr_assert_not_null(s);
    ek_profile pr = prof_of(m);
    cr_assert_eq(ek_frame_decode(ek_view_make(s->mpdu, s->len), false, &pr, &F), EK_OK);
    cr_assert(F.sum.has_ji);
}

static void last_dio(ek_mep_profile m)
{
    const seen *s = last_of(true);
    cr_assert_not_null(s);
    ek_profile pr = prof_of(m);
    cr_assert_eq(ek_frame_decode(ek_view_make(s->mpdu, s->len), false, &pr, &F), EK_OK);
}

static const ek_rpl_opt *mep_opt(void)
{
    for (unsigned i = 0; i < F.rpl.n_opts; i++)
        if (F.rpl.opts[i].kind == EK_RPL_OPTK_MEP)
            return &F.rpl.opts[i];
    return NULL;
}

/* Joined under A (rank 256) with an option, run to t. */
static ek_refnode *joined(ek_mep_profile m, ek_refnode_fault f, bool opt, uint8_t min, uint64_t t)
{
    ek_refnode *n = mk(m, f);
    par a = { .ext = EXT_A, .rank = 256, .has_mep = opt, .ver = 240, .min = min };
    send_dio(n, &a, m, 0);
    run(n, m, t);
    return n;
}

/* ---- fault table ---- */

Test(refnode, fault_table_names_requirements_and_tds)
{
    static const struct { const char *name, *td, *legacy; } want[] = {
        { "ignore-option", "TP-EP-06", "" },        { "lower-priority", "TP-EP-06", "" },
        { "advertise-when-disabled", "TP-EP-10", "" }, { "r-bit-into-value", "TP-EP-04", "" },
        { "wrong-default", "TP-EP-12", "" },        { "follow-neighbour", "TP-EP-09", "" },
        { "adopt-older", "TP-EP-05", "" },          { "no-trickle-reset", "TP-EP-07", "" },
        { "wrap-on-saturation", "TP-EP-11", "" },   { "drop-unknown-options", "TP-EP-13", "TP-LEG-01" },
        { "crash-on-malformed-length", "TP-EP-14", "" }, { "ie-length-wrong", "TP-EB-01", "" },
        { "alter-option", "TP-EP-04", "" },         { "accepts-replayed-counter", "TP-SEC-01", "" },
        { "counter-before-mic", "TP-SEC-04", "" },  { "accepts-unsecured-dio", "TP-SEC-02", "" },
        { "copy-unknown-options", "TP-LEG-02", "TP-LEG-02" },
        { "rank-before-validate", "TP-LEG-04", "TP-LEG-04" },
        { "crash-on-empty-option", "TP-EP-14", "TP-LEG-03" },
        { "ji-p-without-iid", "TP-EB-01", "" },
        { "trickle-too-slow", "TP-LEG-05", "TP-LEG-05" },
        { "join-metric-no-minus-one", "TP-EB-09", "" },
        { "rank-below-min-increase", "TP-LEG-01", "TP-LEG-01" },
        { "root-no-version-bump", "TP-EP-02", "" },
        { "root-size-rounded-down", "TP-EP-01", "" },
        { "root-t-flag-wrong", "TP-EP-03", "" },
        { "root-same-version-new-contents", "TP-EP-02", "" },
        { "jp-forwards-when-disabled", "TP-EP-10b", "" },
        { "jp-ignores-join-rate", "TP-CJ-01", "" },
        { "jp-ignores-blacklist", "TP-CJ-02", "" },
        { "jp-con-when-stateless", "TP-CJ-03", "" },
        { "jrc-accepts-replay-after-restart", "TP-JRC-03", "" },
        { "jrc-reuses-sequence-number", "TP-JRC-03", "" },
        { "pledge-joins-via-7f", "TP-EB-03", "" },
        { "pledge-ignores-jp-iid", "TP-EB-05", "" },
        { "pledge-reuses-sequence-number", "TP-SEC-02-pledge", "" },
        { "pledge-accepts-unprotected-error", "TP-SEC-03-pledge", "" },
        { "pledge-accepts-replayed-update", "TP-SEC-04-pledge", "" },
        { "pledge-takes-other-network", "TP-SEC-02-pledge", "" },
        { "jp-accepts-replayed-update", "TP-CJ-04", "" },
    };
    cr_assert_eq(sizeof want / sizeof want[0], EK_FAULT_COUNT - 1);
    for (unsigned i = 0; i < EK_FAULT_COUNT - 1; i++) {
        ek_refnode_fault f = ek_refnode_fault_parse(want[i].name);
        cr_assert_eq(f, (ek_refnode_fault)(i + 1), "%s", want[i].name);
        const ek_refnode_fault_info *fi = ek_refnode_fault_info_get(f);
        cr_assert_eq(fi->fault, f);
        cr_assert_str_eq(fi->caught_by, want[i].td);
        cr_assert_not_null(fi->legacy_caught_by);
        cr_assert_str_eq(fi->legacy_caught_by, want[i].legacy, "%s", want[i].name);
        cr_assert_neq(strlen(fi->breaks), 0);
        cr_assert_neq(strlen(fi->profiles), 0);
        cr_assert_neq(strlen(fi->summary), 0);
        /* columns of enroll-refdut --list-faults are split on white space */
        cr_assert_null(strpbrk(fi->name, " \t"));
        cr_assert_null(strpbrk(fi->breaks, " \t"));
        cr_assert_null(strpbrk(fi->caught_by, " \t"));
        cr_assert_null(strpbrk(fi->profiles, " \t"));
        cr_assert_null(strpbrk(fi->legacy_caught_by, " \t"));
        /* "+secured" once, at the end, exactly for the link-layer security faults */
        const char *plus = strstr(fi->profiles, "+secured");
        bool sec_fault = strncmp(want[i].td, "TP-SEC-", 7) == 0 && !strstr(want[i].td, "-pledge");
        cr_assert_eq(plus != NULL, sec_fault, "%s: %s", want[i].name, fi->profiles);
        if (plus)
            cr_assert_str_eq(plus, "+secured");
    }
    cr_assert_str_eq(ek_refnode_fault_info_get(EK_FAULT_NONE)->legacy_caught_by, "");
    cr_assert_str_eq(ek_refnode_fault_info_get(EK_FAULT_ACCEPT_REPLAY)->profiles, "draft-09,draft-16+secured");
    cr_assert_str_eq(ek_refnode_fault_info_get(EK_FAULT_COUNTER_BEFORE_MIC)->profiles, "draft-09,draft-16+secured");
    cr_assert_str_eq(ek_refnode_fault_info_get(EK_FAULT_ACCEPT_UNSECURED)->profiles,
                     "draft-03,draft-04,draft-09,draft-16+secured");
    cr_assert_str_eq(ek_refnode_fault_info_get(EK_FAULT_ACCEPT_REPLAY)->breaks, "S1");
    cr_assert_str_eq(ek_refnode_fault_info_get(EK_FAULT_COUNTER_BEFORE_MIC)->breaks, "S5");
    cr_assert_str_eq(ek_refnode_fault_info_get(EK_FAULT_ACCEPT_UNSECURED)->breaks, "S5");
    cr_assert_str_eq(ek_refnode_fault_info_get(EK_FAULT_JI_P_WITHOUT_IID)->breaks, "EB-2,EB-4");
    cr_assert_str_eq(ek_refnode_fault_info_get(EK_FAULT_TRICKLE_TOO_SLOW)->breaks, "T-1");
    cr_assert_str_eq(ek_refnode_fault_info_get(EK_FAULT_RANK_BELOW_MIN_INC)->breaks, "R-1");
    cr_assert_eq(ek_refnode_fault_parse("no-such-fault"), EK_FAULT_COUNT);
    cr_assert_eq(ek_refnode_fault_parse("none"), EK_FAULT_NONE);
    cr_assert_null(ek_refnode_fault_info_get(EK_FAULT_COUNT));
}

Test(refnode, invalid_cfg_names_the_field)
{
    ek_refnode_cfg c;
    ek_refnode_cfg_default(&c);
    c.dio_imin_ms = 0;
    char eb[128] = "";
    cr_assert_null(ek_refnode_new(&c, eb, sizeof eb));
    cr_assert(strstr(eb, "dio_imin_ms") != NULL);
    ek_refnode_cfg_default(&c);
    c.fault = EK_FAULT_COUNT;
    cr_assert_null(ek_refnode_new(&c, eb, sizeof eb));
    cr_assert(strstr(eb, "fault") != NULL);
}

/* ---- joining, rank, cadence ---- */

Test(refnode, idle_until_a_dio_arrives)
{
    ek_refnode *n = mk(EK_MEP_DRAFT16, EK_FAULT_NONE);
    uint8_t b[EK_BUILD_MPDU_MAX];
    cr_assert_eq(ek_refnode_next_event(n), UINT64_MAX);
    cr_assert_eq(ek_refnode_poll(n, 10 * MS, b, sizeof b), 0);
    ek_refnode_state s = state(n);
    cr_assert(!s.joined);
    cr_assert_eq(s.min_priority, 0x40);
    ek_refnode_free(n);
}

Test(refnode, joins_a_over_b_with_of0_rank)
{
    ek_refnode *n = mk(EK_MEP_DRAFT16, EK_FAULT_NONE);
    par b = { .ext = EXT_B, .rank = 512 };
    par a = { .ext = EXT_A, .rank = 256 };
    send_dio(n, &b, EK_MEP_DRAFT16, 0);
    ek_refnode_state s = state(n);
    cr_assert(s.joined);
    cr_assert_arr_eq(s.parent_ext, EXT_B, 8);
    cr_assert_eq(s.rank, 512 + 512);
    send_dio(n, &a, EK_MEP_DRAFT16, 1 * MS); /* 256 + 256 <= 512: better by one MinHopRankIncrease */
    s = state(n);
    cr_assert_arr_eq(s.parent_ext, EXT_A, 8);
    cr_assert_eq(s.parent_rank, 256);
    cr_assert_eq(s.rank, 768); /* RFC 6552 §4.1: 256 + 2 * 256 */
    cr_assert_eq(s.instance, 0x1e);
    cr_assert_eq(s.dodagid[0], 0xfd);
    ek_refnode_free(n);
}

/* fuzz_refnode finding (vectors/regress/refnode-rank-not-above-parent.bin): a parent so
 * deep that our rank would clip at 0xfffe would give us a rank equal to its own;
 * RFC 6550 §8.2.2.4 rule 1 forbids it, so such a neighbour is not a parent. */
Test(refnode, never_joins_when_its_rank_would_not_exceed_the_parent)
{
    ek_refnode *n = mk(EK_MEP_DRAFT16, EK_FAULT_NONE);
    par deep = { .ext = EXT_B, .rank = 0xfffe };
    send_dio(n, &deep, EK_MEP_DRAFT16, 0);
    cr_assert_not(state(n).joined);
    deep.rank = 0xffff - 2 * 256; /* 0xfdff + 512 = 0xffff: still INFINITE_RANK */
    send_dio(n, &deep, EK_MEP_DRAFT16, MS);
    cr_assert_not(state(n).joined);
    deep.rank = 0xffff - 2 * 256 - 1; /* deepest usable parent: our rank 0xfffe */
    send_dio(n, &deep, EK_MEP_DRAFT16, 2 * MS);
    cr_assert(state(n).joined);
    cr_assert_eq(state(n).rank, 0xfffe);
    cr_assert_gt(state(n).rank, state(n).parent_rank);
    /* the parent sinks below the usable depth: detach rather than clip */
    deep.rank = 0xfff0;
    send_dio(n, &deep, EK_MEP_DRAFT16, 3 * MS);
    cr_assert_not(state(n).joined);
    ek_refnode_free(n);
}

Test(refnode, parent_switch_has_hysteresis_of_one_min_hop_rank_increase)
{
    ek_refnode *n = mk(EK_MEP_DRAFT16, EK_FAULT_NONE);
    par b = { .ext = EXT_B, .rank = 512 };
    par c = { .ext = EXT_C, .rank = 300 };
    send_dio(n, &b, EK_MEP_DRAFT16, 0);
    send_dio(n, &c, EK_MEP_DRAFT16, MS); /* 300 + 256 > 512: stays on B */
    cr_assert_arr_eq(state(n).parent_ext, EXT_B, 8);
    c.rank = 256;
    send_dio(n, &c, EK_MEP_DRAFT16, 2 * MS);
    cr_assert_arr_eq(state(n).parent_ext, EXT_C, 8);
    /* the parent poisons its route (INFINITE_RANK): move to B */
    c.rank = 0xffff;
    send_dio(n, &c, EK_MEP_DRAFT16, 3 * MS);
    cr_assert_arr_eq(state(n).parent_ext, EXT_B, 8);
    cr_assert_eq(state(n).rank, 1024);
    ek_refnode_free(n);
}

Test(refnode, dio_carries_parent_conf_and_no_option_without_one)
{
    ek_refnode *n = mk(EK_MEP_DRAFT16, EK_FAULT_NONE);
    par a = { .ext = EXT_A, .rank = 256, .conf_custom = true };
    send_dio(n, &a, EK_MEP_DRAFT16, 0);
    run(n, EK_MEP_DRAFT16, 100 * MS);
    last_dio(EK_MEP_DRAFT16);
    cr_assert_eq(F.sum.rank, 768);
    cr_assert_eq(F.sum.instance_id, 0x1e);
    cr_assert_eq(F.sum.version, 240);
    static const uint8_t self[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x01 };
    cr_assert_arr_eq(F.sum.src64, self, 8);
    cr_assert(F.sum.icmp6_checksum_ok);
    cr_assert_null(mep_opt()); /* EP-8 / EP-17: only the root originates the option */
    cr_assert_eq(F.rpl.opts[0].kind, EK_RPL_OPTK_DODAG_CONF);
    cr_assert_eq(F.rpl.opts[0].u.conf.dio_int_doublings, 7);
    cr_assert_eq(F.rpl.opts[0].u.conf.dio_int_min, 5);
    cr_assert_eq(F.rpl.opts[0].u.conf.max_rank_inc, 1792);
    ek_refnode_free(n);
}

Test(refnode, trickle_doubles_to_imax_with_t_in_the_second_half)
{
    ek_refnode *n = mk(EK_MEP_DRAFT16, EK_FAULT_NONE);
    par a = { .ext = EXT_A, .rank = 256 };
    send_dio(n, &a, EK_MEP_DRAFT16, 0);
    cr_assert_eq(state(n).trickle_i_ms, 16);
    /* intervals 16, 32, ..., 1024 (Imin << 6), then 1024 again: interval k starts at
     * 16 * (2^k - 1) ms and its DIO lies in [start + I/2, start + I) */
    run(n, EK_MEP_DRAFT16, 16 * 127 * MS + 3 * 1024 * MS);
    uint64_t start = 0, i = 16;
    unsigned k = 0;
    for (unsigned j = 0; j < n_seen; j++) {
        if (!S[j].dio)
            continue;
        cr_assert_geq(S[j].at, (start + i / 2) * MS, "DIO %u at %llu", k, (unsigned long long)S[j].at);
        cr_assert_lt(S[j].at, (start + i) * MS, "DIO %u", k);
        start += i;
        i = i * 2 > 1024 ? 1024 : i * 2;
        k++;
    }
    cr_assert_eq(k, 10);
    cr_assert_eq(state(n).trickle_i_ms, 1024);
    cr_assert_eq(state(n).dios_sent, 10);
    ek_refnode_free(n);
}

Test(refnode, same_seed_same_schedule_other_seed_differs)
{
    uint64_t t1[8], t2[8], t3[8];
    for (int round = 0; round < 3; round++) {
        ek_refnode_cfg c;
        ek_refnode_cfg_default(&c);
        c.seed = round == 2 ? 77 : 1;
        ek_refnode *n = ek_refnode_new(&c, NULL, 0);
        n_seen = 0;
        par a = { .ext = EXT_A, .rank = 256 };
        send_dio(n, &a, EK_MEP_DRAFT16, 0);
        run(n, EK_MEP_DRAFT16, 3000 * MS); /* 8 intervals end at 16 * 127 + 1024 ms */
        uint64_t *t = round == 0 ? t1 : round == 1 ? t2 : t3;
        unsigned k = 0;
        for (unsigned j = 0; j < n_seen && k < 8; j++)
            if (S[j].dio)
                t[k++] = S[j].at;
        cr_assert_eq(k, 8);
        ek_refnode_free(n);
    }
    cr_assert_arr_eq(t1, t2, sizeof t1);
    cr_assert_neq(memcmp(t1, t3, sizeof t1), 0);
}

Test(refnode, multicast_dis_resets_trickle)
{
    ek_refnode *n = joined(EK_MEP_DRAFT16, EK_FAULT_NONE, false, 0, 3000 * MS);
    cr_assert_eq(state(n).trickle_i_ms, 1024);
    uint8_t b[EK_BUILD_MPDU_MAX];
    size_t len;
    ek_build_node nd = { .ext = { 0x02, 0, 0x5e, 0xef, 0, 0, 0, 0x0c }, .pan_id = 0xface, .seq = 9 };
    ek_err e;
    cr_assert_eq(ek_build_dis_frame(&nd, NULL, b, sizeof b, &len, &e), EK_OK);
    ek_refnode_rx(n, b, len, 3001 * MS);
    cr_assert_eq(state(n).trickle_i_ms, 16);
    cr_assert_eq(state(n).trickle_resets, 1);
    run(n, EK_MEP_DRAFT16, 3100 * MS);
    const seen *d = first_dio_after(3001 * MS);
    cr_assert_not_null(d);
    cr_assert_lt(d->at, 3017 * MS); /* within Imin of the reset */
    ek_refnode_free(n);
}

Test(refnode, redundancy_suppresses_when_k_consistent_dios_heard)
{
    ek_refnode_cfg c;
    ek_refnode_cfg_default(&c);
    ek_refnode *n = ek_refnode_new(&c, NULL, 0);
    n_seen = 0;
    par a = { .ext = EXT_A, .rank = 256, .has_k = true, .k = 1 }; /* k from the DODAG Configuration */
    send_dio(n, &a, EK_MEP_DRAFT16, 0);
    run(n, EK_MEP_DRAFT16, 1500 * MS); /* now in a 1024 ms interval */
    uint64_t before = state(n).dios_sent;
    /* A (lower DAGRank, no change) repeats its DIO every 100 ms: consistent, c >= k */
    for (uint64_t t = 1500; t < 6000; t += 100) {
        send_dio(n, &a, EK_MEP_DRAFT16, t * MS);
        run(n, EK_MEP_DRAFT16, (t + 100) * MS - 1);
    }
    cr_assert_leq(state(n).dios_sent, before + 1); /* at most the interval already running */
    ek_refnode_free(n);
}

Test(refnode, eb_every_period_with_asn_join_metric_and_join_info)
{
    ek_refnode *n = mk(EK_MEP_DRAFT16, EK_FAULT_NONE);
    uint8_t b[EK_BUILD_MPDU_MAX];
    cr_assert_eq(ek_refnode_poll(n, 1000 * MS, b, sizeof b), 0); /* node start: ASN 0 at 1000 ms */
    par a = { .ext = EXT_A, .rank = 256 };
    send_dio(n, &a, EK_MEP_DRAFT16, 1000 * MS);
    run(n, EK_MEP_DRAFT16, 1000 * MS + 500 * MS);
    unsigned ebs = 0;
    uint64_t prev = 0;
    for (unsigned j = 0; j < n_seen; j++) {
        if (!S[j].eb)
            continue;
        cr_assert_eq(S[j].at, 1000 * MS + 50 * MS * (ebs + 1));
        if (ebs)
            cr_assert_eq(S[j].at - prev, 50 * MS);
        prev = S[j].at;
        ebs++;
    }
    cr_assert_eq(ebs, 10);
    cr_assert_eq(state(n).ebs_sent, 10);
    last_eb(EK_MEP_DRAFT16);
    cr_assert_eq(F.sum.asn, 50); /* 500 ms after start at 10 ms per slot */
    cr_assert_eq(F.sum.join_metric, 2); /* DAGRank(768) - 1, RFC 8180 §6.1 */
    cr_assert_eq(F.sum.proxy_priority, 0x45); /* no option: 0x40 + local cost 5 */
    cr_assert_eq(F.sum.rank_priority, 3);
    cr_assert_eq(F.sum.pan_priority, 0);
    cr_assert(!F.sum.has_join_proxy_iid);
    cr_assert(F.mac.ies.pl[1].ji.r);
    cr_assert_eq(F.sum.network_id.len, 8);
    cr_assert_eq(F.sum.network_id.p[0], 0xfd); /* first 8 octets of DODAGID fd00::1 */
    cr_assert_eq(F.sum.network_id.p[7], 0x00);
    ek_refnode_free(n);
}

Test(refnode, reset_forgets_everything)
{
    ek_refnode *n = joined(EK_MEP_DRAFT16, EK_FAULT_NONE, true, 0x20, 300 * MS);
    cr_assert(state(n).has_option);
    ek_refnode_reset(n, 400 * MS);
    ek_refnode_state s = state(n);
    cr_assert(!s.joined && !s.has_option && s.min_priority == 0x40 && s.dios_sent == 0);
    cr_assert_eq(ek_refnode_next_event(n), UINT64_MAX);
    ek_refnode_free(n);
}

/* ---- option rules ---- */

static void feed(ek_refnode *n, ek_mep_profile m, uint8_t ver, uint8_t min, bool t, uint64_t at)
{
    par a = { .ext = EXT_A, .rank = 256, .has_mep = true, .ver = ver, .min = min, .t = t };
    send_dio(n, &a, m, at);
}

Test(refnode, draft16_adopts_newer_ignores_older_and_propagates_unchanged)
{
    ek_mep_profile m = EK_MEP_DRAFT16;
    ek_refnode *n = joined(m, EK_FAULT_NONE, true, 0x20, 200 * MS);
    ek_refnode_state s = state(n);
    cr_assert(s.has_option);
    cr_assert_eq(s.min_priority, 0x20);
    cr_assert_eq(s.proxy_priority, 0x25);
    cr_assert_eq(s.opt_version, 240);
    feed(n, m, 5, 0x30, false, 201 * MS); /* 240 -> 5: 240 newer (RFC 6550 §7.2), ignored */
    cr_assert_eq(state(n).min_priority, 0x20);
    feed(n, m, 241, 0x30, false, 202 * MS);
    cr_assert_eq(state(n).min_priority, 0x30);
    feed(n, m, 240, 0x10, false, 203 * MS); /* older */
    cr_assert_eq(state(n).min_priority, 0x30);
    cr_assert_eq(state(n).opt_version, 241);
    /* byte-identical propagation (EP-9a): the option bytes of A's DIO and of ours */
    uint8_t in[EK_BUILD_MPDU_MAX];
    par a = { .ext = EXT_A, .rank = 256, .has_mep = true, .ver = 241, .min = 0x30 };
    size_t il = dio_bytes(&a, m, in);
    ek_profile pr = prof_of(m);
    cr_assert_eq(ek_frame_decode(ek_view_make(in, il), false, &pr, &F), EK_OK);
    const ek_rpl_opt *o = mep_opt();
    uint8_t want[8];
    size_t wl = 2u + o->length;
    memcpy(want, in + o->offset, wl);
    run(n, m, 600 * MS);
    last_dio(m);
    o = mep_opt();
    cr_assert_not_null(o);
    cr_assert_eq(2u + o->length, wl);
    cr_assert_arr_eq(last_of(true)->mpdu + o->offset, want, wl);
    last_eb(m);
    cr_assert_eq(F.sum.proxy_priority, 0x35);
    ek_refnode_free(n);
}

Test(refnode, lollipop_250_to_5_is_newer)
{
    ek_mep_profile m = EK_MEP_DRAFT16;
    ek_refnode *n = mk(m, EK_FAULT_NONE);
    feed(n, m, 250, 0x20, false, 0);
    feed(n, m, 5, 0x10, false, MS);
    cr_assert_eq(state(n).opt_version, 5);
    cr_assert_eq(state(n).min_priority, 0x10);
    ek_refnode_free(n);
}

Test(refnode, equal_version_changes_nothing_when_contents_equal)
{
    ek_mep_profile m = EK_MEP_DRAFT09;
    ek_refnode *n = joined(m, EK_FAULT_NONE, true, 0x20, 300 * MS);
    uint64_t r = state(n).trickle_resets;
    feed(n, m, 240, 0x20, true, 301 * MS);
    cr_assert_eq(state(n).min_priority, 0x20);
    cr_assert_eq(state(n).trickle_resets, r); /* T=1 but not newer: no reset */
    ek_refnode_free(n);
}

Test(refnode, equal_version_other_contents_is_adopted_per_draft_text)
{
    /* -16 §3.2: only "vl greater than vr" is ignored; "otherwise ... MUST adopt" */
    ek_refnode *n = joined(EK_MEP_DRAFT16, EK_FAULT_NONE, true, 0x20, 100 * MS);
    feed(n, EK_MEP_DRAFT16, 240, 0x18, false, 101 * MS);
    cr_assert_eq(state(n).min_priority, 0x18);
    ek_refnode_free(n);
}

Test(refnode, incomparable_versions_are_ignored)
{
    /* RFC 6550 §7.2: 5 and 50 are both circular and 45 apart (> SEQUENCE_WINDOW): not
     * comparable; rule 4 -> minimise changes to our own state */
    ek_mep_profile m = EK_MEP_DRAFT16;
    ek_refnode *n = mk(m, EK_FAULT_NONE);
    feed(n, m, 5, 0x20, false, 0);
    feed(n, m, 50, 0x10, false, MS);
    cr_assert_eq(state(n).opt_version, 5);
    cr_assert_eq(state(n).min_priority, 0x20);
    ek_refnode_free(n);
}

Test(refnode, t_bit_with_newer_version_resets_trickle)
{
    for (ek_mep_profile m = EK_MEP_DRAFT09; m <= EK_MEP_DRAFT16; m++) {
        ek_refnode *n = joined(m, EK_FAULT_NONE, true, 0x20, 3000 * MS);
        cr_assert_eq(state(n).trickle_i_ms, 1024);
        feed(n, m, 241, 0x10, true, 3001 * MS); /* a fall: only T can reset */
        cr_assert_eq(state(n).trickle_i_ms, 16);
        cr_assert_eq(state(n).trickle_resets, 1);
        run(n, m, 3100 * MS);
        cr_assert_lt(first_dio_after(3001 * MS)->at, 3017 * MS);
        ek_refnode_free(n);
    }
}

Test(refnode, t0_newer_lower_does_not_reset)
{
    ek_refnode *n = joined(EK_MEP_DRAFT16, EK_FAULT_NONE, true, 0x20, 3000 * MS);
    feed(n, EK_MEP_DRAFT16, 241, 0x10, false, 3001 * MS);
    cr_assert_eq(state(n).min_priority, 0x10);
    cr_assert_eq(state(n).trickle_i_ms, 1024); /* -16 §3.1: a decrease MAY wait */
    ek_refnode_free(n);
}

Test(refnode, draft16_rise_is_inconsistent_draft09_rise_is_not)
{
    ek_refnode *n = joined(EK_MEP_DRAFT16, EK_FAULT_NONE, true, 0x20, 3000 * MS);
    feed(n, EK_MEP_DRAFT16, 241, 0x30, false, 3001 * MS);
    cr_assert_eq(state(n).trickle_i_ms, 16);
    ek_refnode_free(n);
    n = joined(EK_MEP_DRAFT09, EK_FAULT_NONE, true, 0x20, 3000 * MS);
    feed(n, EK_MEP_DRAFT09, 241, 0x30, false, 3001 * MS);
    cr_assert_eq(state(n).min_priority, 0x30);
    cr_assert_eq(state(n).trickle_i_ms, 1024);
    ek_refnode_free(n);
}

Test(refnode, draft03_04_take_latest_value_ignore_r_and_copy_it)
{
    for (ek_mep_profile m = EK_MEP_DRAFT03; m <= EK_MEP_DRAFT04; m++) {
        ek_refnode *n = mk(m, EK_FAULT_NONE);
        par a = { .ext = EXT_A, .rank = 256, .has_mep = true, .min = 0x30, .r = true };
        send_dio(n, &a, m, 0);
        cr_assert_eq(state(n).min_priority, 0x30); /* R ignored on receipt (EP-20) */
        a.min = 0x10; /* lower: no version in these layouts, the latest value wins */
        send_dio(n, &a, m, MS);
        cr_assert_eq(state(n).min_priority, 0x10);
        cr_assert_eq(state(n).proxy_priority, 0x15);
        run(n, m, 200 * MS);
        last_dio(m);
        const ek_rpl_opt *o = mep_opt();
        cr_assert_not_null(o);
        cr_assert(o->u.mep.r); /* copied when sending (-03 §2) */
        cr_assert_eq(o->u.mep.min_priority, 0x10);
        ek_refnode_free(n);
    }
}

Test(refnode, disabled_0x7f_gives_proxy_0x7f)
{
    for (ek_mep_profile m = EK_MEP_DRAFT03; m <= EK_MEP_DRAFT16; m++) {
        ek_refnode *n = joined(m, EK_FAULT_NONE, true, 0x7f, 100 * MS);
        last_eb(m);
        cr_assert_eq(F.sum.proxy_priority, 0x7f);
        ek_refnode_free(n);
    }
}

Test(refnode, saturates_at_0x7f)
{
    ek_refnode *n = joined(EK_MEP_DRAFT16, EK_FAULT_NONE, true, 0x7e, 100 * MS);
    last_eb(EK_MEP_DRAFT16);
    cr_assert_eq(F.sum.proxy_priority, 0x7f);
    ek_refnode_free(n);
}

Test(refnode, default_0x40_without_option)
{
    for (ek_mep_profile m = EK_MEP_DRAFT03; m <= EK_MEP_DRAFT16; m++) {
        ek_refnode *n = joined(m, EK_FAULT_NONE, false, 0, 100 * MS);
        cr_assert_eq(state(n).min_priority, 0x40);
        last_eb(m);
        cr_assert_eq(F.sum.proxy_priority, 0x45);
        ek_refnode_free(n);
    }
}

Test(refnode, non_parent_option_is_ignored)
{
    ek_mep_profile m = EK_MEP_DRAFT16;
    ek_refnode *n = joined(m, EK_FAULT_NONE, true, 0x10, 100 * MS);
    par b = { .ext = EXT_B, .rank = 512, .has_mep = true, .ver = 245, .min = 0x60 };
    send_dio(n, &b, m, 101 * MS);
    cr_assert_arr_eq(state(n).parent_ext, EXT_A, 8);
    cr_assert_eq(state(n).min_priority, 0x10);
    cr_assert_eq(state(n).opt_version, 240);
    ek_refnode_free(n);
}

Test(refnode, malformed_option_ignored_and_dio_still_used)
{
    ek_mep_profile m = EK_MEP_DRAFT16;
    ek_refnode *n = joined(m, EK_FAULT_NONE, true, 0x20, 100 * MS);
    static const uint8_t lens[] = { 0, 1, 2 };
    for (unsigned i = 0; i < sizeof lens; i++) {
        par a = { .ext = EXT_A, .rank = 256, .conf_custom = true, .has_extra = true, .pos = EK_BUILD_OPT_FIRST };
        a.extra = (ek_build_raw_opt){ .type = EK_MEP_TYPE_PROVISIONAL, .length = lens[i],
                                      .data_len = lens[i], .data = { 250, 0x01, 0x30 } };
        send_dio(n, &a, m, (101 + i) * MS);
        cr_assert(!state(n).dead);
        cr_assert_eq(state(n).min_priority, 0x20, "Length %u", lens[i]);
        cr_assert_eq(state(n).opt_version, 240);
    }
    run(n, m, 400 * MS);
    last_dio(m);
    cr_assert_eq(F.rpl.opts[0].u.conf.dio_int_min, 5); /* the conf of the damaged DIOs was used */
    cr_assert_eq(state(n).dios_dropped, 0);
    ek_refnode_free(n);
}

Test(refnode, unknown_option_before_conf_is_skipped)
{
    ek_refnode *n = mk(EK_MEP_DRAFT16, EK_FAULT_NONE);
    par a = { .ext = EXT_A, .rank = 256, .conf_custom = true, .has_mep = true, .ver = 240, .min = 0x20,
              .has_extra = true, .pos = EK_BUILD_OPT_FIRST,
              .extra = { .type = 0x33, .length = 3, .data_len = 3, .data = { 1, 2, 3 } } };
    send_dio(n, &a, EK_MEP_DRAFT16, 0);
    cr_assert(state(n).joined);
    cr_assert_eq(state(n).min_priority, 0x20);
    run(n, EK_MEP_DRAFT16, 100 * MS);
    last_dio(EK_MEP_DRAFT16);
    cr_assert_eq(F.rpl.opts[0].u.conf.dio_int_min, 5);
    ek_refnode_free(n);
}

Test(refnode, draft16_length4_erratum_propagates_byte_identical)
{
    ek_mep_profile m = EK_MEP_DRAFT16;
    ek_refnode *n = mk(m, EK_FAULT_NONE);
    par a = { .ext = EXT_A, .rank = 256, .has_extra = true, .pos = EK_BUILD_OPT_LAST,
              .extra = { .type = EK_MEP_TYPE_PROVISIONAL, .length = 4, .data_len = 4,
                         .data = { 240, 0x20, 0x3d, 0x99 } } };
    send_dio(n, &a, m, 0);
    cr_assert_eq(state(n).min_priority, 0x20);
    run(n, m, 100 * MS);
    const seen *s = last_of(true);
    static const uint8_t want[] = { EK_MEP_TYPE_PROVISIONAL, 4, 240, 0x20, 0x3d, 0x99 };
    cr_assert_arr_eq(s->mpdu + s->len - 6, want, 6);
    ek_refnode_free(n);
}

Test(refnode, garbage_never_crashes)
{
    ek_refnode *n = joined(EK_MEP_DRAFT16, EK_FAULT_NONE, true, 0x20, 50 * MS);
    uint8_t b[EK_BUILD_MPDU_MAX];
    par a = { .ext = EXT_A, .rank = 256, .has_mep = true, .ver = 241, .min = 0x30 };
    size_t len = dio_bytes(&a, EK_MEP_DRAFT16, b);
    for (size_t cut = 0; cut <= len; cut++)
        ek_refnode_rx(n, b, cut, 60 * MS);
    uint32_t x = 12345;
    for (int it = 0; it < 2000; it++) {
        uint8_t d[EK_BUILD_MPDU_MAX];
        memcpy(d, b, len);
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        d[x % len] ^= (uint8_t)(x >> 8);
        ek_refnode_rx(n, d, len, 61 * MS);
    }
    cr_assert(!state(n).dead);
    run(n, EK_MEP_DRAFT16, 200 * MS);
    ek_refnode_free(n);
}

/* ---- one test per fault ---- */

Test(refnode, fault_ignore_option_keeps_default)
{
    ek_refnode *n = joined(EK_MEP_DRAFT16, EK_FAULT_IGNORE_OPTION, true, 0x50, 100 * MS);
    cr_assert(!state(n).has_option);
    last_eb(EK_MEP_DRAFT16);
    cr_assert_eq(F.sum.proxy_priority, 0x45); /* < 0x50: TP-EP-06 with min above 0x45 fails */
    ek_refnode_free(n);
}

Test(refnode, fault_lower_priority_subtracts_cost)
{
    ek_refnode *n = joined(EK_MEP_DRAFT16, EK_FAULT_LOWER_PRIORITY, true, 0x30, 100 * MS);
    last_eb(EK_MEP_DRAFT16);
    cr_assert_eq(F.sum.proxy_priority, 0x2b);
    ek_refnode_free(n);
}

Test(refnode, fault_advertise_when_disabled)
{
    ek_refnode *n = joined(EK_MEP_DRAFT16, EK_FAULT_ADVERTISE_DISABLED, true, 0x7f, 100 * MS);
    last_eb(EK_MEP_DRAFT16);
    cr_assert_eq(F.sum.proxy_priority, 0x7e);
    ek_refnode_free(n);
}

Test(refnode, fault_r_bit_into_value_saturates_and_alters_propagation)
{
    for (ek_mep_profile m = EK_MEP_DRAFT03; m <= EK_MEP_DRAFT04; m++) {
        ek_refnode *n = mk(m, EK_FAULT_R_BIT_INTO_VALUE);
        par a = { .ext = EXT_A, .rank = 256, .has_mep = true, .min = 0x20, .r = true };
        send_dio(n, &a, m, 0);
        cr_assert_eq(state(n).min_priority, 0x7f);
        run(n, m, 100 * MS);
        last_dio(m);
        cr_assert_eq(mep_opt()->u.mep.min_priority, 0x7f); /* TP-EP-04: option not as received */
        ek_refnode_free(n);
        /* with R=0 it behaves */
        n = mk(m, EK_FAULT_R_BIT_INTO_VALUE);
        a.r = false;
        send_dio(n, &a, m, 0);
        cr_assert_eq(state(n).min_priority, 0x20);
        ek_refnode_free(n);
    }
}

Test(refnode, fault_wrong_default_is_zero)
{
    ek_refnode *n = joined(EK_MEP_DRAFT16, EK_FAULT_WRONG_DEFAULT, false, 0, 100 * MS);
    last_eb(EK_MEP_DRAFT16);
    cr_assert_eq(F.sum.proxy_priority, 0x05);
    ek_refnode_free(n);
}

Test(refnode, fault_follow_neighbour_adopts_from_b)
{
    ek_mep_profile m = EK_MEP_DRAFT16;
    ek_refnode *n = joined(m, EK_FAULT_FOLLOW_NEIGHBOUR, true, 0x10, 100 * MS);
    par b = { .ext = EXT_B, .rank = 512, .has_mep = true, .ver = 245, .min = 0x60 };
    send_dio(n, &b, m, 101 * MS);
    cr_assert_arr_eq(state(n).parent_ext, EXT_A, 8);
    cr_assert_eq(state(n).min_priority, 0x60);
    ek_refnode_free(n);
}

Test(refnode, fault_adopt_older)
{
    ek_mep_profile m = EK_MEP_DRAFT16;
    ek_refnode *n = joined(m, EK_FAULT_ADOPT_OLDER, true, 0x20, 100 * MS);
    feed(n, m, 5, 0x05, false, 101 * MS); /* 240 is newer than 5 */
    cr_assert_eq(state(n).min_priority, 0x05);
    cr_assert_eq(state(n).opt_version, 5);
    ek_refnode_free(n);
}

Test(refnode, fault_no_trickle_reset)
{
    for (ek_mep_profile m = EK_MEP_DRAFT09; m <= EK_MEP_DRAFT16; m++) {
        ek_refnode *n = joined(m, EK_FAULT_NO_TRICKLE_RESET, true, 0x20, 3000 * MS);
        feed(n, m, 241, 0x30, true, 3001 * MS); /* T=1, newer, and a rise */
        cr_assert_eq(state(n).min_priority, 0x30);
        cr_assert_eq(state(n).trickle_i_ms, 1024);
        cr_assert_eq(state(n).trickle_resets, 0);
        ek_refnode_free(n);
    }
}

Test(refnode, fault_wrap_on_saturation)
{
    ek_refnode *n = joined(EK_MEP_DRAFT16, EK_FAULT_WRAP_SATURATION, true, 0x7e, 100 * MS);
    last_eb(EK_MEP_DRAFT16);
    cr_assert_eq(F.sum.proxy_priority, 0x03); /* (0x7e + 5) & 0x7f */
    ek_refnode_free(n);
}

Test(refnode, fault_drop_unknown_options)
{
    ek_refnode *n = mk(EK_MEP_DRAFT16, EK_FAULT_DROP_UNKNOWN_OPTIONS);
    par a = { .ext = EXT_A, .rank = 256, .has_extra = true, .pos = EK_BUILD_OPT_FIRST,
              .extra = { .type = 0x33, .length = 3, .data_len = 3, .data = { 1, 2, 3 } } };
    send_dio(n, &a, EK_MEP_DRAFT16, 0);
    cr_assert(!state(n).joined);
    cr_assert_eq(state(n).dios_dropped, 1);
    ek_refnode_free(n);
}

Test(refnode, fault_crash_on_malformed_length)
{
    ek_refnode *n = joined(EK_MEP_DRAFT16, EK_FAULT_CRASH_MALFORMED, true, 0x20, 100 * MS);
    par a = { .ext = EXT_A, .rank = 256, .has_extra = true, .pos = EK_BUILD_OPT_LAST,
              .extra = { .type = EK_MEP_TYPE_PROVISIONAL, .length = 255, .data_len = 1 } };
    send_dio(n, &a, EK_MEP_DRAFT16, 101 * MS);
    cr_assert(state(n).dead);
    uint8_t b[EK_BUILD_MPDU_MAX];
    cr_assert_eq(ek_refnode_poll(n, 200 * MS, b, sizeof b), 0);
    cr_assert_eq(ek_refnode_next_event(n), UINT64_MAX);
    ek_refnode_free(n);
}

Test(refnode, fault_ie_length_wrong)
{
    ek_refnode *n = joined(EK_MEP_DRAFT16, EK_FAULT_IE_LENGTH, true, 0x20, 100 * MS);
    const seen *s = last_of(false);
    cr_assert_not_null(s);
    ek_profile pr = prof_of(EK_MEP_DRAFT16);
    cr_assert_neq(ek_frame_decode(ek_view_make(s->mpdu, s->len), false, &pr, &F), EK_OK);
    ek_err e;
    cr_assert_eq(ek_ie_list_status(&F.mac.ies, &e), EK_ERR_TRUNCATED);
    cr_assert_str_eq(e.field, "wpan.payload_ie.length");
    ek_refnode_free(n);
}

Test(refnode, fault_alter_option_changes_size)
{
    for (ek_mep_profile m = EK_MEP_DRAFT04; m <= EK_MEP_DRAFT16; m++) {
        ek_refnode *n = joined(m, EK_FAULT_ALTER_OPTION, true, 0x20, 100 * MS);
        last_dio(m);
        const ek_rpl_opt *o = mep_opt();
        cr_assert_not_null(o);
        cr_assert_eq(o->u.mep.min_priority, 0x20);
        cr_assert_eq(o->u.mep.size_code, 14); /* received 13 */
        ek_refnode_free(n);
    }
}

/* ---- link-layer security (RFC 8180 §4.6, IEEE 802.15.4-2015 §9.2.5) ---- */

static ek_sec_key K1, K2, KWRONG;

static void keys(void)
{
    cr_assert(ek_sec_key_named("K1-minimal15", &K1));
    cr_assert(ek_sec_key_named("K2-contiki", &K2));
    uint8_t w[EK_SEC_KEY_LEN];
    cr_assert(ek_sec_key_parse_hex("00112233445566778899aabbccddeeff", w));
    ek_sec_key_make(&KWRONG, "wrong", w, 2); /* same KIM 1 / index 2 as K2, other bytes */
}

static ek_refnode *mk_sec(ek_mep_profile m, ek_refnode_fault f, bool asn_nonce)
{
    keys();
    ek_refnode_cfg c;
    ek_refnode_cfg_default(&c);
    c.prof.mep = m;
    c.fault = f;
    c.secured = true;
    c.asn_nonce = asn_nonce;
    char eb[128];
    ek_refnode *n = ek_refnode_new(&c, eb, sizeof eb);
    cr_assert_not_null(n, "%s", eb);
    n_seen = 0;
    return n;
}

/* Secures out[0..len) in place with key at level, frame counter fc (ASN nonce iff
 * use_asn, with asn). */
static size_t protect(uint8_t *b, size_t len, const ek_sec_key *k, uint8_t level, uint32_t fc, bool use_asn,
                      uint64_t asn)
{
    ek_wpan_sec sec;
    memset(&sec, 0, sizeof sec);
    sec.level = level;
    sec.key_id_mode = k->key_id_mode;
    sec.key_index = k->key_index;
    sec.frame_counter = fc;
    sec.asn_in_nonce = use_asn;
    ek_sec_env env;
    memset(&env, 0, sizeof env);
    env.asn = asn;
    size_t out = 0;
    ek_err e;
    ek_profile pr = prof_of(EK_MEP_DRAFT16);
    cr_assert_eq(ek_sec_protect(ek_view_make(b, len), &sec, &env, k, &pr, b, EK_BUILD_MPDU_MAX, &out, NULL, &e),
                 EK_OK, "%s", e.field ? e.field : "?");
    return out;
}

/* A parent DIO as dio_bytes builds it, secured under k at level 5 with counter fc. */
static size_t sec_dio(const par *p, ek_mep_profile m, const ek_sec_key *k, uint32_t fc, uint8_t *b)
{
    return protect(b, dio_bytes(p, m, b), k, 5, fc, false, 0);
}

static void send_sec(ek_refnode *n, const par *p, ek_mep_profile m, const ek_sec_key *k, uint32_t fc, uint64_t at)
{
    uint8_t b[EK_BUILD_MPDU_MAX];
    size_t len = sec_dio(p, m, k, fc, b);
    ek_refnode_rx(n, b, len, at);
}

/* Parent A (rank 256) with option version ver / min, draft-16. */
static par pa(uint8_t ver, uint8_t min)
{
    par a = { .ext = EXT_A, .rank = 256, .has_mep = true, .ver = ver, .min = min };
    return a;
}

/* Unprotects a frame the node sent with {K1, K2}; the plaintext decoded into F. */
static void unprotect_sent(const seen *s, bool asn_mode, ek_sec_info *info)
{
    static ek_sec_keyring ring; /* info->key points into it: it must outlive the call */
    ek_sec_keyring_init(&ring);
    cr_assert(ek_sec_keyring_add(&ring, &K1));
    cr_assert(ek_sec_keyring_add(&ring, &K2));
    ek_profile pr = prof_of(EK_MEP_DRAFT16);
    ek_sec_env env;
    memset(&env, 0, sizeof env);
    env.asn = asn_mode ? s->at / (10 * MS) : 0; /* the node started at t = 0 */
    static uint8_t plain[EK_BUILD_MPDU_MAX];
    size_t len = 0;
    ek_err e;
    cr_assert_eq(ek_sec_unprotect(ek_view_make(s->mpdu, s->len), &ring, NULL, &env, &pr, plain, sizeof plain, &len,
                                  info, &e),
                 EK_OK, "%s at %zu", e.field ? e.field : "?", e.offset);
    cr_assert(info->mic_ok);
    cr_assert_eq(ek_frame_decode(ek_view_make(plain, len), false, &pr, &F), EK_OK);
    cr_assert_not(F.sum.secured);
}

Test(refnode_sec, defaults_are_unsecured_with_rfc8180_keys_and_levels)
{
    keys();
    ek_refnode_cfg c;
    ek_refnode_cfg_default(&c);
    cr_assert_not(c.secured);
    cr_assert_not(c.asn_nonce);
    cr_assert_eq(c.eb_level, 1);
    cr_assert_eq(c.dio_level, 5);
    cr_assert_arr_eq(c.k1.key, K1.key, 16);
    cr_assert_arr_eq(c.k2.key, K2.key, 16);
    cr_assert_eq(c.k1.key_index, 1);
    cr_assert_eq(c.k2.key_index, 2);
}

Test(refnode_sec, invalid_security_cfg_names_the_field)
{
    ek_refnode_cfg c;
    char eb[128] = "";
    ek_refnode_cfg_default(&c);
    c.secured = true;
    c.dio_level = 4; /* ENC without MIC: nobody could verify it */
    cr_assert_null(ek_refnode_new(&c, eb, sizeof eb));
    cr_assert(strstr(eb, "dio_level") != NULL, "%s", eb);
    ek_refnode_cfg_default(&c);
    c.secured = true;
    c.eb_level = 0;
    cr_assert_null(ek_refnode_new(&c, eb, sizeof eb));
    cr_assert(strstr(eb, "eb_level") != NULL, "%s", eb);
    ek_refnode_cfg_default(&c);
    c.secured = true;
    c.k2.key_index = 1; /* a frame could not tell K2 from K1 */
    cr_assert_null(ek_refnode_new(&c, eb, sizeof eb));
    cr_assert(strstr(eb, "k2") != NULL, "%s", eb);
    /* the same settings without security are not looked at */
    c.secured = false;
    ek_refnode *n = ek_refnode_new(&c, eb, sizeof eb);
    cr_assert_not_null(n);
    ek_refnode_free(n);
}

Test(refnode_sec, joins_on_k2_dio_and_sends_k2_dios_and_k1_ebs_that_verify)
{
    ek_mep_profile m = EK_MEP_DRAFT16;
    ek_refnode *n = mk_sec(m, EK_FAULT_NONE, false);
    par a = pa(240, 0x20);
    send_sec(n, &a, m, &K2, 1, 0);
    ek_refnode_state s = state(n);
    cr_assert(s.joined);
    cr_assert_eq(s.rank, 768);
    cr_assert_eq(s.min_priority, 0x20);
    cr_assert_eq(s.dropped_unsecured + s.dropped_mic + s.dropped_replay, 0);
    run(n, m, 400 * MS);
    unsigned dios = 0, ebs = 0;
    uint32_t last_fc = 0;
    for (unsigned i = 0; i < n_seen; i++) {
        ek_sec_info info;
        unprotect_sent(&S[i], false, &info);
        if (i > 0)
            cr_assert_gt(info.sec.frame_counter, last_fc); /* one monotonic counter */
        last_fc = info.sec.frame_counter;
        cr_assert_eq(info.sec.key_id_mode, 1);
        cr_assert_not(info.sec.asn_in_nonce);
        if (F.sum.has_dio) {
            dios++;
            cr_assert_eq(info.sec.level, 5); /* dio_level: ENC-MIC-32 */
            cr_assert_eq(info.sec.key_index, 2);
            cr_assert_eq(info.key->key_index, 2);
            cr_assert_eq(F.sum.rank, 768);
            cr_assert(F.sum.has_mep);
            cr_assert_eq(F.sum.min_priority, 0x20);
        } else {
            ebs++;
            cr_assert_eq(F.sum.frame_type, EK_WPAN_FT_BEACON);
            cr_assert_eq(info.sec.level, 1); /* eb_level: MIC-32, not encrypted (RFC 8180 §4.6) */
            cr_assert_eq(info.sec.key_index, 1);
            cr_assert(F.sum.has_ji);
            cr_assert_eq(F.sum.proxy_priority, 0x25);
            cr_assert(F.sum.has_asn);
            cr_assert_eq(F.sum.asn, S[i].at / (10 * MS));
        }
    }
    cr_assert_geq(dios, 2);
    cr_assert_geq(ebs, 5);
    cr_assert_eq(state(n).frame_counter, last_fc + 1);
    /* a MIC bit flipped: the node's frame no longer verifies */
    seen bad = S[0];
    bad.mpdu[bad.len - 1] ^= 0x01;
    ek_sec_keyring ring;
    ek_sec_keyring_init(&ring);
    cr_assert(ek_sec_keyring_add(&ring, &K1));
    cr_assert(ek_sec_keyring_add(&ring, &K2));
    uint8_t plain[EK_BUILD_MPDU_MAX];
    size_t pl;
    ek_err e;
    ek_profile pr = prof_of(m);
    cr_assert_eq(ek_sec_unprotect(ek_view_make(bad.mpdu, bad.len), &ring, NULL, NULL, &pr, plain, sizeof plain, &pl,
                                  NULL, &e),
                 EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "wpan.mic");
    ek_refnode_free(n);
}

Test(refnode_sec, unsecured_and_wrongly_keyed_dios_change_nothing)
{
    ek_mep_profile m = EK_MEP_DRAFT16;
    ek_refnode *n = mk_sec(m, EK_FAULT_NONE, false);
    par a = pa(240, 0x20);
    /* not joined: neither an unsecured nor a wrongly keyed DIO makes it join */
    send_dio(n, &a, m, 0);
    send_sec(n, &a, m, &KWRONG, 1, 1 * MS);
    ek_refnode_state s = state(n);
    cr_assert_not(s.joined);
    cr_assert_eq(s.dropped_unsecured, 1);
    cr_assert_eq(s.dropped_mic, 1);
    cr_assert_eq(s.dios_received, 0);
    send_sec(n, &a, m, &K2, 1, 2 * MS); /* the wrong-key frame did not store counter 1 */
    cr_assert(state(n).joined);
    run(n, m, 100 * MS);
    /* joined: a lower and a higher priority, newer version, unsecured or wrongly keyed (S5) */
    ek_refnode_state before = state(n);
    par lo = pa(241, 0x10), hi = pa(242, 0x60);
    send_dio(n, &lo, m, 101 * MS);
    send_dio(n, &hi, m, 102 * MS);
    send_sec(n, &lo, m, &KWRONG, 50, 103 * MS);
    send_sec(n, &hi, m, &KWRONG, 51, 104 * MS);
    /* a DIO under K1 (the EB key pledges hold) is not good enough either */
    uint8_t b[EK_BUILD_MPDU_MAX];
    size_t len = protect(b, dio_bytes(&hi, m, b), &K1, 5, 52, false, 0);
    ek_refnode_rx(n, b, len, 105 * MS);
    s = state(n);
    cr_assert_eq(s.min_priority, 0x20);
    cr_assert_eq(s.opt_version, 240);
    cr_assert_eq(s.proxy_priority, before.proxy_priority);
    cr_assert_eq(s.trickle_resets, before.trickle_resets);
    cr_assert_eq(s.dios_received, before.dios_received);
    cr_assert_eq(s.dropped_unsecured, 3);
    cr_assert_eq(s.dropped_mic, 4);
    cr_assert_eq(s.dropped_replay, 0);
    /* and the real parent's next DIO still works */
    send_sec(n, &hi, m, &K2, 2, 106 * MS);
    cr_assert_eq(state(n).min_priority, 0x60);
    ek_refnode_free(n);
}

Test(refnode_sec, replayed_and_same_counter_dios_are_dropped)
{
    ek_mep_profile m = EK_MEP_DRAFT16;
    ek_refnode *n = mk_sec(m, EK_FAULT_NONE, false);
    par a = pa(240, 0x20);
    uint8_t first[EK_BUILD_MPDU_MAX];
    size_t first_len = sec_dio(&a, m, &K2, 5, first);
    ek_refnode_rx(n, first, first_len, 0);
    cr_assert(state(n).joined);
    par b = pa(241, 0x30);
    send_sec(n, &b, m, &K2, 6, 10 * MS);
    cr_assert_eq(state(n).min_priority, 0x30);
    /* L2 replay, byte-identical, after the newer one (S1) */
    ek_refnode_rx(n, first, first_len, 20 * MS);
    cr_assert_eq(state(n).dropped_replay, 1);
    /* counter 6 again with other contents (a newer version) */
    par c = pa(242, 0x50);
    send_sec(n, &c, m, &K2, 6, 30 * MS);
    ek_refnode_state s = state(n);
    cr_assert_eq(s.dropped_replay, 2);
    cr_assert_eq(s.min_priority, 0x30);
    cr_assert_eq(s.opt_version, 241);
    cr_assert_eq(s.dropped_mic + s.dropped_unsecured, 0);
    send_sec(n, &c, m, &K2, 7, 40 * MS);
    cr_assert_eq(state(n).min_priority, 0x50);
    ek_refnode_free(n);
}

Test(refnode_sec, rewound_counter_with_newer_version_is_dropped)
{
    ek_mep_profile m = EK_MEP_DRAFT09;
    ek_refnode *n = mk_sec(m, EK_FAULT_NONE, false);
    par a = pa(240, 0x20);
    send_sec(n, &a, m, &K2, 1000, 0);
    par b = pa(241, 0x30);
    send_sec(n, &b, m, &K2, 990, 10 * MS);
    send_sec(n, &b, m, &K2, 0xffffffffu, 20 * MS); /* §9.2.5: 0xffffffff is never accepted */
    ek_refnode_state s = state(n);
    cr_assert_eq(s.min_priority, 0x20);
    cr_assert_eq(s.opt_version, 240);
    cr_assert_eq(s.dropped_replay, 2);
    ek_refnode_free(n);
}

Test(refnode_sec, counters_are_per_sender)
{
    ek_mep_profile m = EK_MEP_DRAFT16;
    ek_refnode *n = mk_sec(m, EK_FAULT_NONE, false);
    par a = pa(240, 0x20);
    send_sec(n, &a, m, &K2, 500, 0);
    par b = { .ext = EXT_B, .rank = 512 };
    send_sec(n, &b, m, &K2, 3, 10 * MS); /* B's own counter space */
    ek_refnode_state s = state(n);
    cr_assert_eq(s.dropped_replay, 0);
    cr_assert_eq(s.dios_received, 2);
    ek_refnode_free(n);
}

Test(refnode_sec, forged_high_counter_does_not_block_the_real_parent)
{
    ek_mep_profile m = EK_MEP_DRAFT16;
    ek_refnode *n = mk_sec(m, EK_FAULT_NONE, false);
    par a = pa(240, 0x20);
    send_sec(n, &a, m, &K2, 1, 0);
    par forged = pa(241, 0x7f);
    send_sec(n, &forged, m, &KWRONG, 0xfffffff0u, 10 * MS);
    cr_assert_eq(state(n).dropped_mic, 1);
    par real = pa(241, 0x30);
    send_sec(n, &real, m, &K2, 2, 20 * MS);
    ek_refnode_state s = state(n);
    cr_assert_eq(s.min_priority, 0x30);
    cr_assert_eq(s.opt_version, 241);
    cr_assert_eq(s.dropped_replay, 0);
    ek_refnode_free(n);
}

Test(refnode_sec, reset_forgets_received_counters_not_its_own)
{
    ek_mep_profile m = EK_MEP_DRAFT16;
    ek_refnode *n = mk_sec(m, EK_FAULT_NONE, false);
    par a = pa(240, 0x20);
    send_sec(n, &a, m, &K2, 9, 0);
    run(n, m, 200 * MS);
    uint32_t fc = state(n).frame_counter;
    cr_assert_gt(fc, 0);
    ek_refnode_reset(n, 201 * MS);
    ek_refnode_state s = state(n);
    cr_assert_not(s.joined);
    cr_assert_eq(s.frame_counter, fc); /* a reused counter would reuse a CCM* nonce */
    send_sec(n, &a, m, &K2, 1, 202 * MS); /* the harness's roles start afresh after a reset */
    cr_assert(state(n).joined);
    ek_refnode_free(n);
}

Test(refnode_sec, secured_eb_from_a_neighbour_changes_nothing)
{
    ek_mep_profile m = EK_MEP_DRAFT16;
    ek_refnode *n = mk_sec(m, EK_FAULT_NONE, false);
    par a = pa(240, 0x20);
    send_sec(n, &a, m, &K2, 1, 0);
    run(n, m, 100 * MS);
    ek_refnode_state before = state(n);
    ek_profile pr = prof_of(m);
    ek_build_eb e;
    ek_build_eb_init(&e);
    e.asn = 12345;
    ek_build_node nd = { .pan_id = 0xface, .seq = 7 };
    memcpy(nd.ext, EXT_B, 8);
    uint8_t b[EK_BUILD_MPDU_MAX];
    size_t len = 0;
    ek_err err;
    cr_assert_eq(ek_build_eb_frame(&nd, &e, &pr, b, sizeof b, &len, &err), EK_OK);
    uint8_t b2[EK_BUILD_MPDU_MAX];
    memcpy(b2, b, len);
    size_t l1 = protect(b, len, &K1, 1, 1, false, 0);
    ek_refnode_rx(n, b, l1, 101 * MS); /* network K1: verified, then ignored (no EB sync) */
    ek_sec_key def;
    cr_assert(ek_sec_key_named("K1-minimal15", &def));
    memcpy(def.key, KWRONG.key, 16); /* K1 index 1, other bytes: the network's K1 differs */
    size_t l2 = protect(b2, len, &def, 1, 2, false, 0);
    ek_refnode_rx(n, b2, l2, 102 * MS);
    ek_refnode_state s = state(n);
    cr_assert_eq(s.dropped_mic, 1);
    cr_assert_eq(s.dropped_replay, 0);
    cr_assert_eq(s.min_priority, before.min_priority);
    cr_assert_eq(s.trickle_resets, before.trickle_resets);
    cr_assert(s.joined);
    ek_refnode_free(n);
}

Test(refnode_sec, asn_nonce_frames_verify_and_stale_asn_is_dropped)
{
    ek_mep_profile m = EK_MEP_DRAFT16;
    ek_refnode *n = mk_sec(m, EK_FAULT_NONE, true);
    ek_refnode_reset(n, 0); /* starts the node's clock: ASN 0 at t = 0 */
    par a = pa(240, 0x20);
    uint8_t b[EK_BUILD_MPDU_MAX];
    /* a DIO in slot 47 received at 500 ms (our ASN 50): inside the window */
    size_t len = protect(b, dio_bytes(&a, m, b), &K2, 5, 1, true, 47);
    ek_refnode_rx(n, b, len, 500 * MS);
    cr_assert(state(n).joined);
    run(n, m, 900 * MS);
    unsigned ebs = 0;
    for (unsigned i = 0; i < n_seen; i++) {
        ek_sec_info info;
        unprotect_sent(&S[i], true, &info);
        /* only EBs state their ASN: our DIOs keep the frame-counter nonce */
        cr_assert_eq(info.sec.asn_in_nonce, F.sum.frame_type == EK_WPAN_FT_BEACON);
        if (F.sum.frame_type == EK_WPAN_FT_BEACON) {
            ebs++;
            cr_assert_eq(F.sum.asn, S[i].at / (10 * MS)); /* nonce ASN = the EB's ASN */
        }
    }
    cr_assert_geq(ebs, 3);
    /* at 5 s (ASN 500): a DIO sent in slot 300 cannot be verified in our window */
    par c = pa(241, 0x30);
    len = protect(b, dio_bytes(&c, m, b), &K2, 5, 2, true, 300);
    ek_refnode_rx(n, b, len, 5000 * MS);
    cr_assert_eq(state(n).dropped_mic, 1);
    cr_assert_eq(state(n).min_priority, 0x20);
    /* an EB announcing ASN 300 is stale: dropped before any MIC work */
    ek_profile pr = prof_of(m);
    ek_build_eb e;
    ek_build_eb_init(&e);
    e.asn = 300;
    ek_build_node nd = { .pan_id = 0xface, .seq = 1 };
    memcpy(nd.ext, EXT_B, 8);
    ek_err err;
    cr_assert_eq(ek_build_eb_frame(&nd, &e, &pr, b, sizeof b, &len, &err), EK_OK);
    len = protect(b, len, &K1, 1, 1, true, 300);
    ek_refnode_rx(n, b, len, 5001 * MS);
    cr_assert_eq(state(n).dropped_replay, 1);
    /* the same EB at a current ASN verifies */
    e.asn = 499;
    cr_assert_eq(ek_build_eb_frame(&nd, &e, &pr, b, sizeof b, &len, &err), EK_OK);
    len = protect(b, len, &K1, 1, 2, true, 499);
    ek_refnode_rx(n, b, len, 5002 * MS);
    ek_refnode_state s = state(n);
    cr_assert_eq(s.dropped_replay, 1);
    cr_assert_eq(s.dropped_mic, 1);
    /* and the parent's DIO in the current slot is adopted */
    len = protect(b, dio_bytes(&c, m, b), &K2, 5, 3, true, 500);
    ek_refnode_rx(n, b, len, 5003 * MS);
    cr_assert_eq(state(n).min_priority, 0x30);
    ek_refnode_free(n);
}

Test(refnode_sec, secured_frame_at_an_unsecured_node_is_ignored)
{
    keys();
    ek_mep_profile m = EK_MEP_DRAFT16;
    ek_refnode *n = mk(m, EK_FAULT_NONE);
    par a = pa(240, 0x20);
    send_sec(n, &a, m, &K2, 1, 0);
    ek_refnode_state s = state(n);
    cr_assert_not(s.joined);
    cr_assert_eq(s.dropped_unsecured + s.dropped_mic + s.dropped_replay, 0);
    cr_assert_eq(s.frame_counter, 0);
    ek_refnode_free(n);
}

Test(refnode_sec, garbage_never_crashes_a_secured_node)
{
    ek_mep_profile m = EK_MEP_DRAFT16;
    ek_refnode *n = mk_sec(m, EK_FAULT_NONE, true);
    par a = pa(240, 0x20);
    uint8_t good[EK_BUILD_MPDU_MAX];
    size_t gl = sec_dio(&a, m, &K2, 1, good);
    uint64_t x = 0x5eed;
    for (unsigned it = 0; it < 300; it++) {
        uint8_t b[EK_BUILD_MPDU_MAX];
        memcpy(b, good, gl);
        for (unsigned k = 0; k < 3; k++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b[x % gl] ^= (uint8_t)(x >> 32);
        }
        ek_refnode_rx(n, b, (size_t)(x >> 40) % (gl + 1), it * MS);
    }
    for (size_t l = 0; l < gl; l++) /* every prefix */
        ek_refnode_rx(n, good, l, 400 * MS);
    cr_assert_not(state(n).dead);
    ek_refnode_free(n);
}

Test(refnode_sec, fault_accepts_replayed_counter)
{
    ek_mep_profile m = EK_MEP_DRAFT16;
    ek_refnode *n = mk_sec(m, EK_FAULT_ACCEPT_REPLAY, false);
    par a = pa(240, 0x20);
    send_sec(n, &a, m, &K2, 5, 0);
    par c = pa(241, 0x50);
    send_sec(n, &c, m, &K2, 5, 10 * MS); /* counter unchanged: the compliant node drops it */
    ek_refnode_state s = state(n);
    cr_assert_eq(s.min_priority, 0x50);
    cr_assert_eq(s.dropped_replay, 0);
    ek_refnode_free(n);
}

Test(refnode_sec, fault_counter_before_mic)
{
    ek_mep_profile m = EK_MEP_DRAFT16;
    ek_refnode *n = mk_sec(m, EK_FAULT_COUNTER_BEFORE_MIC, false);
    par a = pa(240, 0x20);
    send_sec(n, &a, m, &K2, 1, 0);
    par forged = pa(241, 0x7f);
    send_sec(n, &forged, m, &KWRONG, 0xfffffff0u, 10 * MS);
    par real = pa(241, 0x30);
    send_sec(n, &real, m, &K2, 2, 20 * MS);
    ek_refnode_state s = state(n);
    cr_assert_eq(s.min_priority, 0x20); /* the real parent's DIO looked like a replay */
    cr_assert_eq(s.dropped_mic, 1);
    cr_assert_eq(s.dropped_replay, 1);
    ek_refnode_free(n);
}

Test(refnode_sec, fault_accepts_unsecured_dio)
{
    ek_mep_profile m = EK_MEP_DRAFT03;
    ek_refnode *n = mk_sec(m, EK_FAULT_ACCEPT_UNSECURED, false);
    par a = pa(240, 0x20);
    send_sec(n, &a, m, &K2, 1, 0);
    par u = pa(241, 0x10);
    send_dio(n, &u, m, 10 * MS);
    ek_refnode_state s = state(n);
    cr_assert_eq(s.min_priority, 0x10);
    cr_assert_eq(s.dropped_unsecured, 0);
    /* wrongly keyed ones are still dropped: only the unsecured check is missing */
    par w = pa(242, 0x60);
    send_sec(n, &w, m, &KWRONG, 2, 20 * MS);
    cr_assert_eq(state(n).min_priority, 0x10);
    cr_assert_eq(state(n).dropped_mic, 1);
    ek_refnode_free(n);
}

/* ---- DODAG Configuration, compliant choices, variants, legacy mode, new faults ---- */

static ek_refnode *mk_cfg(const ek_refnode_cfg *c)
{
    char eb[160];
    ek_refnode *n = ek_refnode_new(c, eb, sizeof eb);
    cr_assert_not_null(n, "%s", eb);
    n_seen = 0;
    return n;
}

static ek_refnode *mk_variant(ek_mep_profile m, const char *variant)
{
    ek_refnode_cfg c;
    ek_refnode_cfg_default(&c);
    c.prof.mep = m;
    cr_assert_eq(ek_refnode_variant_apply(variant, &c), 0, "%s", variant);
    return mk_cfg(&c);
}

/* Our rank under parent A (rank 256) with DODAG Configuration (mhri, ocp). */
static uint16_t rank_via(const char *variant, uint16_t mhri, uint16_t ocp)
{
    ek_refnode *n = mk_variant(EK_MEP_DRAFT16, variant);
    par a = { .ext = EXT_A, .rank = 256, .mhri = mhri, .ocp = ocp };
    send_dio(n, &a, EK_MEP_DRAFT16, 0);
    ek_refnode_state s = state(n);
    cr_assert(s.joined, "%s", variant);
    ek_refnode_free(n);
    return s.rank;
}

Test(refnode_choices, of0_rank_is_rf_sp_plus_sr_times_min_hop_rank_increase)
{
    /* RFC 6552 §4.1: (Rf * Sp + Sr) * MinHopRankIncrease */
    cr_assert_eq(rank_via("default", 256, 0), 256 + 2 * 256);
    cr_assert_eq(rank_via("step-1", 256, 0), 256 + 256);
    cr_assert_eq(rank_via("step-9", 256, 0), 256 + 9 * 256);
    cr_assert_eq(rank_via("rf-2", 128, 0), 256 + 4 * 128);
    cr_assert_eq(rank_via("rf-4-step-1", 128, 0), 256 + 4 * 128);
    cr_assert_eq(rank_via("stretch-5", 128, 0), 256 + 7 * 128);
    cr_assert_eq(rank_via("rf-4-step-9-stretch-5", 128, 0), 256 + 41 * 128);
    cr_assert_eq(rank_via("rf-4-step-9-stretch-5", 256, 0), 256 + 41 * 256);
}

Test(refnode_choices, mrhof_rank_is_max_of_min_hop_and_link_etx)
{
    /* RFC 6719 §3.1 ETX, RFC 6550 §14: never below MinHopRankIncrease */
    cr_assert_eq(rank_via("mrhof-etx-1", 256, 1), 256 + 256);
    cr_assert_eq(rank_via("mrhof-etx-1", 128, 1), 256 + 128);
    cr_assert_eq(rank_via("mrhof-etx-2.5", 256, 1), 256 + 320);
    cr_assert_eq(rank_via("mrhof-etx-4", 128, 1), 256 + 512);
    cr_assert_eq(rank_via("mrhof-etx-4", 1024, 1), 256 + 1024);
    /* the same variants under OCP 0 are OF0 with the default Rf/Sp/Sr */
    cr_assert_eq(rank_via("mrhof-etx-4", 128, 0), 256 + 2 * 128);
    /* an OCP we do not implement: OF0 */
    cr_assert_eq(rank_via("default", 128, 7), 256 + 2 * 128);
    cr_assert_eq(rank_via("step-9", 128, 7), 256 + 9 * 128);
}

Test(refnode_choices, conf_drives_trickle_and_cfg_is_only_the_fallback)
{
    ek_refnode *n = mk(EK_MEP_DRAFT16, EK_FAULT_NONE);
    /* no DODAG Configuration: cfg's 16 ms, 6 doublings, k 10 */
    par a = { .ext = EXT_A, .rank = 256, .no_conf = true };
    send_dio(n, &a, EK_MEP_DRAFT16, 0);
    ek_refnode_state s = state(n);
    cr_assert(s.joined && !s.has_conf);
    cr_assert_eq(s.trickle_imin_ms, 16);
    cr_assert_eq(s.trickle_imax_ms, 1024);
    cr_assert_eq(s.trickle_k, 10);
    ek_refnode_free(n);

    /* DIOIntMin 5 (32 ms), doublings 7 (4096 ms), k 3 from the parent */
    n = mk(EK_MEP_DRAFT16, EK_FAULT_NONE);
    par b = { .ext = EXT_A, .rank = 256, .conf_custom = true, .has_k = true, .k = 3 };
    send_dio(n, &b, EK_MEP_DRAFT16, 0);
    s = state(n);
    cr_assert(s.has_conf);
    cr_assert_eq(s.trickle_imin_ms, 32);
    cr_assert_eq(s.trickle_imax_ms, 4096);
    cr_assert_eq(s.trickle_k, 3);
    cr_assert_eq(s.trickle_i_ms, 32);
    /* intervals 32, 64, ..., 4096: the DIO of interval j lies in [start + I/2, start + I) */
    run(n, EK_MEP_DRAFT16, 32 * 127 * MS + 2 * 4096 * MS);
    uint64_t start = 0, i = 32;
    unsigned k = 0;
    for (unsigned j = 0; j < n_seen; j++) {
        if (!S[j].dio)
            continue;
        cr_assert_geq(S[j].at, (start + i / 2) * MS, "DIO %u", k);
        cr_assert_lt(S[j].at, (start + i) * MS, "DIO %u", k);
        start += i;
        i = i * 2 > 4096 ? 4096 : i * 2;
        k++;
    }
    cr_assert_eq(k, 9);
    cr_assert_eq(state(n).trickle_i_ms, 4096);
    ek_refnode_free(n);

    /* the harness's announcement (DIOIntMin 4, doublings 6) overrides a different cfg */
    ek_refnode_cfg c;
    ek_refnode_cfg_default(&c);
    c.dio_imin_ms = 100;
    c.dio_doublings = 2;
    n = mk_cfg(&c);
    par d = { .ext = EXT_A, .rank = 256 };
    send_dio(n, &d, EK_MEP_DRAFT16, 0);
    cr_assert_eq(state(n).trickle_imin_ms, 16);
    cr_assert_eq(state(n).trickle_imax_ms, 1024);
    /* reset: back to the fallback */
    ek_refnode_reset(n, MS);
    cr_assert_eq(state(n).trickle_imin_ms, 100);
    cr_assert_eq(state(n).trickle_imax_ms, 400);
    cr_assert_not(state(n).has_conf);
    ek_refnode_free(n);
}

/* DIO times against the interval schedule Imin 16 .. Imax 1024 ms (from the conf). */
static void check_phase(const char *variant, ek_refnode_trickle_phase ph)
{
    ek_refnode *n = mk_variant(EK_MEP_DRAFT16, variant);
    par a = { .ext = EXT_A, .rank = 256 };
    send_dio(n, &a, EK_MEP_DRAFT16, 0);
    run(n, EK_MEP_DRAFT16, 16 * 127 * MS + 4 * 1024 * MS);
    uint64_t start = 0, i = 16;
    unsigned k = 0;
    for (unsigned j = 0; j < n_seen; j++) {
        if (!S[j].dio)
            continue;
        uint64_t lo = (start + i / 2) * MS, hi = (start + i) * MS;
        cr_assert_geq(S[j].at, lo, "%s DIO %u", variant, k);
        cr_assert_lt(S[j].at, hi, "%s DIO %u", variant, k);
        if (ph == EK_TRICKLE_PHASE_EARLY)
            cr_assert_eq(S[j].at, lo, "%s DIO %u", variant, k);
        if (ph == EK_TRICKLE_PHASE_LATE)
            cr_assert_eq(S[j].at, hi - 1, "%s DIO %u", variant, k);
        start += i;
        i = i * 2 > 1024 ? 1024 : i * 2;
        k++;
    }
    cr_assert_eq(k, 11, "%s", variant);
    ek_refnode_free(n);
}

Test(refnode_choices, trickle_phase_extremes_stay_in_half_open_second_half)
{
    check_phase("default", EK_TRICKLE_PHASE_RANDOM);
    check_phase("trickle-early", EK_TRICKLE_PHASE_EARLY);
    check_phase("trickle-late", EK_TRICKLE_PHASE_LATE);
    check_phase("trickle-late-step-9", EK_TRICKLE_PHASE_LATE);
}

Test(refnode_choices, eb_jitter_stays_within_its_bounds)
{
    static const struct { const char *v; unsigned pct; } cases[] = {
        { "default", 0 }, { "eb-jitter-25", 25 }, { "eb-jitter-10-trickle-early", 10 } };
    for (unsigned c = 0; c < 3; c++) {
        ek_refnode *n = mk_variant(EK_MEP_DRAFT16, cases[c].v);
        par a = { .ext = EXT_A, .rank = 256 };
        send_dio(n, &a, EK_MEP_DRAFT16, 0);
        run(n, EK_MEP_DRAFT16, 10000 * MS);
        uint64_t prev = 0, lo = 50 * MS * (100 - cases[c].pct) / 100, hi = 50 * MS * (100 + cases[c].pct) / 100;
        uint64_t gmin = UINT64_MAX, gmax = 0;
        unsigned ebs = 0;
        for (unsigned j = 0; j < n_seen; j++) {
            if (!S[j].eb)
                continue;
            uint64_t g = S[j].at - prev; /* the first: since joining at 0 */
            cr_assert_geq(g, lo, "%s EB %u gap %llu", cases[c].v, ebs, (unsigned long long)g);
            cr_assert_leq(g, hi, "%s EB %u gap %llu", cases[c].v, ebs, (unsigned long long)g);
            gmin = g < gmin ? g : gmin;
            gmax = g > gmax ? g : gmax;
            prev = S[j].at;
            ebs++;
        }
        cr_assert_gt(ebs, 100);
        if (cases[c].pct == 0) {
            cr_assert_eq(gmin, 50 * MS);
            cr_assert_eq(gmax, 50 * MS);
        } else {
            /* the draw covers the range: within 10 % of each end over > 100 periods */
            cr_assert_lt(gmin, lo + (hi - lo) / 10);
            cr_assert_gt(gmax, hi - (hi - lo) / 10);
        }
        ek_refnode_free(n);
    }
}

Test(refnode_choices, jitter_does_not_move_the_trickle_schedule)
{
    uint64_t t[2][6];
    for (int r = 0; r < 2; r++) {
        ek_refnode *n = mk_variant(EK_MEP_DRAFT16, r ? "eb-jitter-25" : "default");
        par a = { .ext = EXT_A, .rank = 256 };
        send_dio(n, &a, EK_MEP_DRAFT16, 0);
        run(n, EK_MEP_DRAFT16, 2000 * MS);
        unsigned k = 0;
        for (unsigned j = 0; j < n_seen && k < 6; j++)
            if (S[j].dio)
                t[r][k++] = S[j].at;
        cr_assert_eq(k, 6);
        ek_refnode_free(n);
    }
    cr_assert_arr_eq(t[0], t[1], sizeof t[0]);
}

Test(refnode_choices, len4_form_decodes_as_the_same_option)
{
    for (ek_mep_profile m = EK_MEP_DRAFT03; m <= EK_MEP_DRAFT16; m++) {
        ek_refnode *n = mk_variant(m, "len4");
        par a = { .ext = EXT_A, .rank = 256, .has_mep = true, .ver = 241, .min = 0x23, .t = true };
        send_dio(n, &a, m, 0);
        run(n, m, 200 * MS);
        last_dio(m);
        const ek_rpl_opt *o = mep_opt();
        cr_assert_not_null(o);
        cr_assert_eq(o->err.code, EK_OK);
        cr_assert_eq(o->u.mep.min_priority, 0x23);
        if (m == EK_MEP_DRAFT16) {
            cr_assert_eq(o->length, 4);
            cr_assert(o->u.mep.erratum_len4);
            cr_assert_eq(o->u.mep.version, 241);
            cr_assert(o->u.mep.t);
            cr_assert_eq(o->u.mep.exp, 3);
            cr_assert_eq(o->u.mep.size_code, 13);
            cr_assert_eq(o->u.mep.trailing, 0);
        } else {
            cr_assert_eq(o->length, ek_minprio_data_len(m), "profile %d", (int)m);
            cr_assert_not(o->u.mep.erratum_len4);
        }
        ek_refnode_free(n);
    }
}

Test(refnode_choices, r_copy_on_and_off)
{
    for (ek_mep_profile m = EK_MEP_DRAFT03; m <= EK_MEP_DRAFT04; m++) {
        for (int v = 0; v < 2; v++) {
            ek_refnode *n = mk_variant(m, v ? "no-r-copy" : "default");
            par a = { .ext = EXT_A, .rank = 256, .has_mep = true, .min = 0x30, .r = true };
            send_dio(n, &a, m, 0);
            cr_assert_eq(state(n).min_priority, 0x30);
            run(n, m, 200 * MS);
            last_dio(m);
            const ek_rpl_opt *o = mep_opt();
            cr_assert_not_null(o);
            cr_assert_eq(o->u.mep.r, v == 0, "profile %d variant %d", (int)m, v);
            cr_assert_eq(o->u.mep.min_priority, 0x30);
            ek_refnode_free(n);
        }
    }
}

Test(refnode_choices, catalogue_is_complete_and_every_variant_legal_everywhere)
{
    const ek_refnode_variant_info *v = NULL;
    size_t nv = ek_refnode_variants(&v);
    cr_assert_geq(nv, 22);
    cr_assert_str_eq(v[0].name, "default");
    ek_refnode_cfg def;
    ek_refnode_cfg_default(&def);
    cr_assert_eq(memcmp(&v[0].choices, &def.choices, sizeof def.choices), 0);
    for (size_t i = 0; i < nv; i++) {
        cr_assert_not_null(v[i].name);
        cr_assert_null(strpbrk(v[i].name, " \t"), "%s", v[i].name);
        cr_assert_gt(strlen(v[i].summary), 0);
        cr_assert_not_null(v[i].matters_in);
        for (size_t j = 0; j < i; j++)
            cr_assert_str_neq(v[i].name, v[j].name);
        /* MRHOF only when the ETX differs from the OF0 default's link */
        cr_assert_eq(v[i].needs_ocp != 0, v[i].choices.mrhof_link_etx != EK_REFNODE_ETX_ONE ||
                                              strncmp(v[i].name, "mrhof", 5) == 0, "%s", v[i].name);
        cr_assert(v[i].local_cost < 0x20, "%s", v[i].name);
        for (ek_mep_profile m = EK_MEP_DRAFT03; m <= EK_MEP_DRAFT16; m++) {
            for (int sec = 0; sec < 2; sec++) {
                ek_refnode_cfg c;
                ek_refnode_cfg_default(&c);
                c.prof.mep = m;
                c.secured = sec;
                cr_assert_eq(ek_refnode_variant_apply(v[i].name, &c), 0);
                cr_assert_eq(memcmp(&c.choices, &v[i].choices, sizeof c.choices), 0);
                cr_assert_eq(c.local_cost, v[i].local_cost >= 0 ? v[i].local_cost : 5);
                cr_assert_lt(c.local_cost, 0x20);
                ek_refnode *n = mk_cfg(&c);
                if (!sec) {
                    /* joins, option adopted, rank legal, DIO and EBs that decode */
                    par a = { .ext = EXT_A, .rank = 256, .has_mep = true, .ver = 240, .min = 0x20, .mhri = 128,
                              .ocp = v[i].needs_ocp };
                    send_dio(n, &a, m, 0);
                    run(n, m, 3000 * MS);
                    ek_refnode_state s = state(n);
                    cr_assert(s.joined);
                    cr_assert_geq(s.rank, 256 + 128, "%s", v[i].name);
                    cr_assert_leq(s.rank, 256 + (v[i].needs_ocp ? 512 : 41 * 128), "%s", v[i].name);
                    cr_assert_eq(s.min_priority, 0x20);
                    cr_assert_eq(s.proxy_priority, 0x20 + c.local_cost);
                    last_dio(m);
                    cr_assert_eq(F.sum.rank, s.rank);
                    cr_assert_not_null(mep_opt());
                    last_eb(m);
                    cr_assert_eq(F.sum.proxy_priority, 0x20 + c.local_cost);
                }
                ek_refnode_free(n);
            }
        }
    }
    ek_refnode_cfg c;
    ek_refnode_cfg_default(&c);
    ek_refnode_cfg before = c;
    cr_assert_eq(ek_refnode_variant_apply("no-such-variant", &c), -1);
    cr_assert_eq(memcmp(&c, &before, sizeof c), 0);
    cr_assert_eq(ek_refnode_variant_apply(NULL, &c), -1);
    /* the named extremes */
    cr_assert_eq(ek_refnode_variant_apply("rf-4-step-9-stretch-5", &c), 0);
    cr_assert_eq(c.choices.of0_rank_factor * c.choices.of0_step_of_rank + c.choices.of0_rank_stretch, 41);
    cr_assert_eq(ek_refnode_variant_apply("local-cost-0x1f", &c), 0);
    cr_assert_eq(c.local_cost, 0x1f);
    cr_assert_eq(ek_refnode_variant_apply("mrhof-etx-2.5", &c), 0);
    cr_assert_eq(c.choices.mrhof_link_etx, 320);
}

Test(refnode_choices, out_of_range_choices_are_refused)
{
    static const char *const field[] = { "of0_rank_factor", "of0_step_of_rank", "of0_rank_stretch",
                                         "mrhof_link_etx", "eb_jitter_pct", "trickle_phase" };
    for (unsigned i = 0; i < 6; i++) {
        ek_refnode_cfg c;
        ek_refnode_cfg_default(&c);
        switch (i) {
        case 0: c.choices.of0_rank_factor = 5; break;
        case 1: c.choices.of0_step_of_rank = 0; break;
        case 2: c.choices.of0_rank_stretch = 6; break;
        case 3: c.choices.mrhof_link_etx = 513; break;
        case 4: c.choices.eb_jitter_pct = 26; break;
        default: c.choices.trickle_phase = (ek_refnode_trickle_phase)3; break;
        }
        char eb[160] = "";
        cr_assert_null(ek_refnode_new(&c, eb, sizeof eb));
        cr_assert(strstr(eb, field[i]) != NULL, "%s", eb);
    }
}

Test(refnode_choices, multicast_dis_resets_to_the_conf_imin)
{
    ek_refnode *n = joined(EK_MEP_DRAFT16, EK_FAULT_NONE, false, 0, 3000 * MS);
    uint8_t b[EK_BUILD_MPDU_MAX];
    size_t len;
    ek_build_node nd = { .ext = { 0x02, 0, 0x5e, 0xef, 0, 0, 0, 0x0c }, .pan_id = 0xface, .seq = 9 };
    ek_err e;
    cr_assert_eq(ek_build_dis_frame(&nd, NULL, b, sizeof b, &len, &e), EK_OK);
    ek_refnode_rx(n, b, len, 3001 * MS);
    cr_assert_eq(state(n).trickle_i_ms, 16);
    cr_assert_eq(state(n).trickle_resets, 1);
    ek_refnode_free(n);
}

/* ---- truncated DIOs ---- */

/* A's DIO with rank `rank`, option v241 min 0x30, conf_custom, and a last option of
 * type `type` whose Length 255 runs past the end. */
static void send_truncated(ek_refnode *n, ek_mep_profile m, uint16_t rank, uint8_t type, uint64_t at)
{
    par a = { .ext = EXT_A, .rank = rank, .has_mep = true, .ver = 241, .min = 0x30, .t = true,
              .conf_custom = true, .has_extra = true, .pos = EK_BUILD_OPT_LAST,
              .extra = { .type = type, .length = 255, .data_len = 3, .data = { 0xf6, 0x7f, 0x01 } } };
    send_dio(n, &a, m, at);
}

Test(refnode_choices, truncated_dio_is_dropped_whole)
{
    for (ek_mep_profile m = EK_MEP_DRAFT03; m <= EK_MEP_DRAFT16; m++) {
        for (int legacy = 0; legacy < 2; legacy++) {
            ek_refnode_cfg c;
            ek_refnode_cfg_default(&c);
            c.prof.mep = m;
            c.legacy = legacy;
            ek_refnode *n = mk_cfg(&c);
            par a = { .ext = EXT_A, .rank = 256, .has_mep = true, .ver = 240, .min = 0x20 };
            send_dio(n, &a, m, 0);
            run(n, m, 3000 * MS);
            ek_refnode_state before = state(n);
            cr_assert(before.joined);
            /* a different rank, a newer option with T = 1, a different conf, and an
             * option running past the end: nothing may move */
            send_truncated(n, m, 1024, 0x33, 3001 * MS);
            send_truncated(n, m, 1024, EK_MEP_TYPE_PROVISIONAL, 3002 * MS);
            ek_refnode_state s = state(n);
            cr_assert_not(s.dead);
            cr_assert_eq(s.rank, before.rank);
            cr_assert_eq(s.parent_rank, 256);
            cr_assert_eq(s.min_priority, before.min_priority);
            cr_assert_eq(s.opt_version, before.opt_version);
            cr_assert_eq(s.trickle_resets, before.trickle_resets);
            cr_assert_eq(s.trickle_i_ms, before.trickle_i_ms);
            cr_assert_eq(s.trickle_imin_ms, 16);
            cr_assert_eq(s.dios_dropped, before.dios_dropped + 2);
            /* a truncated DIO from a newcomer does not make it a neighbour either */
            par b = { .ext = EXT_B, .rank = 0, .has_extra = true, .pos = EK_BUILD_OPT_LAST,
                      .extra = { .type = 0x33, .length = 200, .data_len = 1 } };
            send_dio(n, &b, m, 3003 * MS);
            cr_assert_arr_eq(state(n).parent_ext, EXT_A, 8);
            cr_assert_eq(state(n).rank, before.rank);
            ek_refnode_free(n);
        }
    }
}

/* ---- legacy mode ---- */

static bool dio_has_type(uint8_t type)
{
    for (unsigned i = 0; i < F.rpl.n_opts; i++)
        if (F.rpl.opts[i].type == type)
            return true;
    return false;
}

Test(refnode_choices, legacy_never_adopts_or_propagates_and_sends_no_eb)
{
    for (ek_mep_profile m = EK_MEP_DRAFT03; m <= EK_MEP_DRAFT16; m++) {
        ek_refnode_cfg c;
        ek_refnode_cfg_default(&c);
        c.prof.mep = m;
        c.legacy = true;
        ek_refnode *n = mk_cfg(&c);
        par a = { .ext = EXT_A, .rank = 256, .has_mep = true, .ver = 240, .min = 0x20, .t = true, .mhri = 128,
                  .has_extra = true, .pos = EK_BUILD_OPT_FIRST,
                  .extra = { .type = 0x33, .length = 3, .data_len = 3, .data = { 1, 2, 3 } } };
        send_dio(n, &a, m, 0);
        a.ver = 241;
        a.min = 0x50;
        send_dio(n, &a, m, 500 * MS);
        run(n, m, 3000 * MS);
        ek_refnode_state s = state(n);
        cr_assert(s.joined);
        cr_assert_eq(s.rank, 256 + 2 * 128);
        cr_assert_not(s.has_option);
        cr_assert_eq(s.ebs_sent, 0);
        cr_assert_eq(s.trickle_resets, 0); /* T=1 of an option it does not know: nothing */
        cr_assert_gt(s.dios_sent, 5);
        for (unsigned j = 0; j < n_seen; j++)
            cr_assert_not(S[j].eb);
        last_dio(m);
        cr_assert_null(mep_opt());
        cr_assert_not(dio_has_type(EK_MEP_TYPE_PROVISIONAL));
        cr_assert_not(dio_has_type(0x33));
        cr_assert(dio_has_type(EK_RPL_OPT_DODAG_CONF));
        /* options of the enrollment type with Length 0, 1, 2: unknown, skipped */
        static const uint8_t lens[] = { 0, 1, 2 };
        for (unsigned i = 0; i < 3; i++) {
            par b = { .ext = EXT_A, .rank = 256, .mhri = 128, .has_extra = true, .pos = EK_BUILD_OPT_FIRST,
                      .extra = { .type = EK_MEP_TYPE_PROVISIONAL, .length = lens[i], .data_len = lens[i],
                                 .data = { 0xf5, 0x7f } } };
            send_dio(n, &b, m, (3001 + i) * MS);
        }
        cr_assert(state(n).joined);
        cr_assert_not(state(n).dead);
        cr_assert_eq(state(n).dios_dropped, 0);
        ek_refnode_free(n);
    }
}

/* ---- the new faults ---- */

Test(refnode_choices, fault_copy_unknown_options)
{
    for (int legacy = 0; legacy < 2; legacy++) {
        ek_refnode_cfg c;
        ek_refnode_cfg_default(&c);
        c.legacy = legacy;
        c.fault = EK_FAULT_COPY_UNKNOWN_OPTIONS;
        ek_refnode *n = mk_cfg(&c);
        par a = { .ext = EXT_A, .rank = 256, .has_mep = true, .ver = 240, .min = 0x20, .has_extra = true,
                  .pos = EK_BUILD_OPT_FIRST, .extra = { .type = 0x33, .length = 3, .data_len = 3, .data = { 1, 2, 3 } } };
        send_dio(n, &a, EK_MEP_DRAFT16, 0);
        run(n, EK_MEP_DRAFT16, 300 * MS);
        last_dio(EK_MEP_DRAFT16);
        cr_assert(dio_has_type(0x33), "legacy %d", legacy);
        /* legacy: the enrollment type is an unknown one, copied too (as RAW bytes) */
        cr_assert_eq(dio_has_type(EK_MEP_TYPE_PROVISIONAL), true);
        if (legacy)
            cr_assert_not(state(n).has_option);
        ek_refnode_free(n);
    }
    /* the compliant node copies nothing */
    ek_refnode *n = mk(EK_MEP_DRAFT16, EK_FAULT_NONE);
    par a = { .ext = EXT_A, .rank = 256, .has_extra = true, .pos = EK_BUILD_OPT_FIRST,
              .extra = { .type = 0x33, .length = 3, .data_len = 3, .data = { 1, 2, 3 } } };
    send_dio(n, &a, EK_MEP_DRAFT16, 0);
    run(n, EK_MEP_DRAFT16, 300 * MS);
    last_dio(EK_MEP_DRAFT16);
    cr_assert_not(dio_has_type(0x33));
    ek_refnode_free(n);
}

Test(refnode_choices, fault_rank_before_validate)
{
    ek_refnode *n = joined(EK_MEP_DRAFT16, EK_FAULT_RANK_BEFORE_VALIDATE, true, 0x20, 3000 * MS);
    cr_assert_eq(state(n).rank, 768);
    send_truncated(n, EK_MEP_DRAFT16, 1024, 0x33, 3001 * MS);
    ek_refnode_state s = state(n);
    cr_assert_eq(s.parent_rank, 1024);
    cr_assert_eq(s.rank, 1024 + 512); /* conf of the dropped DIO not taken: 2 x 256 */
    cr_assert_eq(s.min_priority, 0x20); /* the rest was dropped */
    cr_assert_eq(s.dios_dropped, 1);
    ek_refnode_free(n);
}

Test(refnode_choices, fault_crash_on_empty_option)
{
    for (int legacy = 0; legacy < 2; legacy++) {
        /* PadN with Length 0 is fine */
        ek_refnode_cfg c;
        ek_refnode_cfg_default(&c);
        c.legacy = legacy;
        c.fault = EK_FAULT_CRASH_EMPTY_OPTION;
        ek_refnode *n = mk_cfg(&c);
        par a = { .ext = EXT_A, .rank = 256, .has_extra = true, .pos = EK_BUILD_OPT_FIRST,
                  .extra = { .type = EK_RPL_OPT_PADN, .length = 0, .data_len = 0 } };
        send_dio(n, &a, EK_MEP_DRAFT16, 0);
        cr_assert(state(n).joined);
        cr_assert_not(state(n).dead);
        /* an unknown type with Length 0: dies */
        a.extra.type = 0x33;
        send_dio(n, &a, EK_MEP_DRAFT16, MS);
        cr_assert(state(n).dead);
        ek_refnode_free(n);
        /* the enrollment type with Length 0 (malformed, or unknown in legacy mode): dies */
        n = mk_cfg(&c);
        a.extra.type = EK_MEP_TYPE_PROVISIONAL;
        send_dio(n, &a, EK_MEP_DRAFT16, 0);
        cr_assert(state(n).dead);
        ek_refnode_free(n);
    }
}

Test(refnode_choices, fault_ji_p_without_iid)
{
    ek_refnode *n = joined(EK_MEP_DRAFT16, EK_FAULT_JI_P_WITHOUT_IID, true, 0x20, 100 * MS);
    const seen *s = last_of(false);
    cr_assert_not_null(s);
    ek_profile pr = prof_of(EK_MEP_DRAFT16);
    ek_status st = ek_frame_decode(ek_view_make(s->mpdu, s->len), false, &pr, &F);
    (void)st;
    const ek_ie_payload *ji = NULL;
    for (unsigned i = 0; i < F.mac.ies.n_pl; i++)
        if (F.mac.ies.pl[i].has_subtype && F.mac.ies.pl[i].subtype == 2)
            ji = &F.mac.ies.pl[i];
    cr_assert_not_null(ji);
    cr_assert(ji->sub_content.p[0] & 0x40);        /* P = 1 */
    cr_assert_eq(ji->sub_content.len, 4 + 8);      /* but only the fixed part + network ID */
    ek_refnode_free(n);
    n = joined(EK_MEP_DRAFT16, EK_FAULT_NONE, true, 0x20, 100 * MS);
    last_eb(EK_MEP_DRAFT16);
    cr_assert_not(F.sum.has_join_proxy_iid);
    ek_refnode_free(n);
}

Test(refnode_choices, fault_trickle_too_slow)
{
    ek_refnode *n = joined(EK_MEP_DRAFT16, EK_FAULT_TRICKLE_TOO_SLOW, false, 0, 20000 * MS);
    cr_assert_eq(state(n).trickle_imax_ms, 2048);
    uint64_t prev = 0;
    unsigned steady = 0;
    for (unsigned j = 0; j < n_seen; j++) {
        if (!S[j].dio)
            continue;
        if (prev && S[j].at > 10000 * MS) {
            cr_assert_eq(S[j].at - prev, 2048 * MS); /* 2 x the DODAG's Imax of 1024 ms */
            steady++;
        }
        prev = S[j].at;
    }
    cr_assert_geq(steady, 4);
    ek_refnode_free(n);
}

Test(refnode_choices, fault_join_metric_no_minus_one)
{
    ek_refnode *n = joined(EK_MEP_DRAFT16, EK_FAULT_JOIN_METRIC, false, 0, 100 * MS);
    last_eb(EK_MEP_DRAFT16);
    cr_assert_eq(F.sum.join_metric, 3); /* DAGRank(768) = 3; compliant: 2 */
    ek_refnode_free(n);
}

Test(refnode_choices, fault_rank_below_min_increase)
{
    ek_refnode_cfg c;
    ek_refnode_cfg_default(&c);
    c.fault = EK_FAULT_RANK_BELOW_MIN_INC;
    ek_refnode *n = mk_cfg(&c);
    par a = { .ext = EXT_A, .rank = 256, .mhri = 128 };
    send_dio(n, &a, EK_MEP_DRAFT16, 0);
    cr_assert_eq(state(n).rank, 256 + 64);
    ek_refnode_free(n);
}

/* ---- the DODAG root (cfg.root) ---- */

static ek_refnode *mk_root(ek_mep_profile m, ek_refnode_fault f, uint32_t routes)
{
    ek_refnode_cfg c;
    ek_refnode_cfg_default(&c);
    c.prof.mep = m;
    c.fault = f;
    c.root = true;
    c.root_routes = routes;
    char err[128];
    ek_refnode *n = ek_refnode_new(&c, err, sizeof err);
    cr_assert_not_null(n, "%s", err);
    return n;
}

/* The root's next DIO after `from` (ns), decoded into F; its option in *m. */
static void root_dio(ek_refnode *n, ek_mep_profile m, uint64_t *at, ek_minprio *opt)
{
    uint8_t out[256];
    ek_profile p = prof_of(m);
    for (int i = 0; i < 100000; i++) {
        uint64_t t = ek_refnode_next_event(n);
        if (t < *at)
            t = *at;
        *at = t;
        size_t len = ek_refnode_poll(n, t, out, sizeof out);
        if (!len) {
            *at = t + 1000000ull;
            continue;
        }
        ek_status st = ek_frame_decode(ek_view_make(out, len), false, &p, &F);
        cr_assert(F.sum.has_dio, "status %d", (int)st);
        for (unsigned k = 0; k < F.rpl.n_opts; k++)
            if (F.rpl.opts[k].kind == EK_RPL_OPTK_MEP && F.rpl.opts[k].err.code == EK_OK) {
                *opt = F.rpl.opts[k].u.mep;
                return;
            }
        cr_assert_fail("root DIO without a decodable option");
    }
    cr_assert_fail("no root DIO");
}

Test(refnode, root_originates_the_option_with_a_rounded_up_size)
{
    ek_refnode *n = mk_root(EK_MEP_DRAFT16, EK_FAULT_NONE, 100);
    uint64_t t = 1000000000ull;
    ek_minprio o;
    root_dio(n, EK_MEP_DRAFT16, &t, &o);
    cr_expect_eq(F.rpl.base.dio.rank, 256);          /* ROOT_RANK, RFC 6550 §8.2.2.2 */
    cr_expect_eq(o.version, 240);                    /* RFC 6550 §7.2 rule 1 */
    cr_expect_eq(o.min_priority, 0x40);
    cr_expect_eq(o.length, 3);
    cr_expect_eq(o.exp, 3);                          /* 13 x 2^3 = 104 >= 100, draft-16 §3.1 */
    cr_expect_eq(o.size_code, 13);
    ek_refnode_free(n);
    n = mk_root(EK_MEP_DRAFT09, EK_FAULT_NONE, 100);
    root_dio(n, EK_MEP_DRAFT09, &t, &o);
    cr_expect_eq(o.dodag_size, 100);                 /* the 12-bit code holds 100 exactly */
    ek_refnode_free(n);
    n = mk_root(EK_MEP_DRAFT16, EK_FAULT_ROOT_SIZE_ROUNDED_DOWN, 100);
    root_dio(n, EK_MEP_DRAFT16, &t, &o);
    cr_expect_eq(o.dodag_size, 96, "the fault rounds down: %u", (unsigned)o.dodag_size);
    ek_refnode_free(n);
}

Test(refnode, root_commands_bump_the_version_in_lollipop_order)
{
    ek_refnode *n = mk_root(EK_MEP_DRAFT16, EK_FAULT_NONE, 100);
    uint64_t t = 1000000000ull;
    ek_minprio o;
    char msg[160];
    root_dio(n, EK_MEP_DRAFT16, &t, &o);
    cr_assert_eq(ek_refnode_command(n, "min 16", t, msg, sizeof msg), 0, "%s", msg);
    root_dio(n, EK_MEP_DRAFT16, &t, &o);
    cr_expect_eq(o.min_priority, 16);
    cr_expect_eq(o.version, 241);
    cr_expect_not(o.t);
    /* the same contents again: no new Version (draft-16 §3.2 asks for one on a change) */
    cr_assert_eq(ek_refnode_command(n, "min 0x10", t, msg, sizeof msg), 0, "%s", msg);
    root_dio(n, EK_MEP_DRAFT16, &t, &o);
    cr_expect_eq(o.version, 241);
    cr_assert_eq(ek_refnode_command(n, "min 0x7f urgent", t, msg, sizeof msg), 0, "%s", msg);
    root_dio(n, EK_MEP_DRAFT16, &t, &o);
    cr_expect_eq(o.version, 242);
    cr_expect(o.t);
    cr_assert_eq(ek_refnode_command(n, "routes 200", t, msg, sizeof msg), 0, "%s", msg);
    root_dio(n, EK_MEP_DRAFT16, &t, &o);
    cr_expect_eq(o.version, 243);
    cr_expect_not(o.t);
    cr_expect_eq(o.dodag_size, 208);                 /* 13 x 2^4 */
    /* 255 wraps to 0 (RFC 6550 §7.2 rule 2) */
    for (unsigned v = 244; v <= 256; v++)
        cr_assert_eq(ek_refnode_command(n, v % 2 ? "min 1" : "min 2", t, msg, sizeof msg), 0);
    root_dio(n, EK_MEP_DRAFT16, &t, &o);
    cr_expect_eq(o.version, 0, "version %u", o.version);
    cr_expect_eq(ek_refnode_command(n, "min 128", t, msg, sizeof msg), -1);
    cr_expect_eq(ek_refnode_command(n, "min 5 soon", t, msg, sizeof msg), -1);
    cr_expect_eq(ek_refnode_command(n, "max 5", t, msg, sizeof msg), -1);
    cr_expect(strstr(msg, "unknown command") != NULL, "%s", msg);
    ek_refnode_free(n);
    ek_refnode *r6 = mk(EK_MEP_DRAFT16, EK_FAULT_NONE);
    cr_expect_eq(ek_refnode_command(r6, "min 5", t, msg, sizeof msg), -1, "a 6LR takes no root command");
    ek_refnode_free(r6);
}

Test(refnode, root_faults_break_the_version_and_t_rules)
{
    uint64_t t = 1000000000ull;
    ek_minprio o;
    char msg[160];
    ek_refnode *n = mk_root(EK_MEP_DRAFT09, EK_FAULT_ROOT_NO_VERSION_BUMP, 100);
    root_dio(n, EK_MEP_DRAFT09, &t, &o);
    cr_assert_eq(ek_refnode_command(n, "min 48", t, msg, sizeof msg), 0);
    root_dio(n, EK_MEP_DRAFT09, &t, &o);
    cr_expect_eq(o.min_priority, 48);
    cr_expect_eq(o.version, 240, "no bump under the fault");
    ek_refnode_free(n);
    n = mk_root(EK_MEP_DRAFT16, EK_FAULT_ROOT_T_WRONG, 100);
    root_dio(n, EK_MEP_DRAFT16, &t, &o);
    cr_assert_eq(ek_refnode_command(n, "min 48", t, msg, sizeof msg), 0);
    root_dio(n, EK_MEP_DRAFT16, &t, &o);
    cr_expect(o.t, "T = 1 on a routine change under the fault");
    ek_refnode_free(n);
    n = mk_root(EK_MEP_DRAFT16, EK_FAULT_ROOT_SIZE_DRIFT, 100);
    ek_minprio a, b;
    root_dio(n, EK_MEP_DRAFT16, &t, &a);
    root_dio(n, EK_MEP_DRAFT16, &t, &b);
    cr_expect_eq(a.version, b.version);
    cr_expect_neq(a.size_code, b.size_code, "the size drifts between DIOs of one Version");
    ek_refnode_free(n);
}
