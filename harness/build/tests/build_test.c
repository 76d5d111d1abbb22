/* SPDX-License-Identifier: BSD-3-Clause */
/* Frame builder tests: every built DIO / DIS / EB decodes back with ek_frame_decode to
 * the fields that went in, per wire profile (RFC 6550 §6.3.1, RFC 8180 §6.1, RFC 9032 §2);
 * raw extra options land where asked; truncations never crash the decoder. */
#include <criterion/criterion.h>
#include <string.h>

#include "ek/build.h"
#include "ek/consts.h"
#include "ek/frame.h"
#include "ek_test_rng.h"

static const ek_build_node NODE = { .ext = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x0a }, .pan_id = 0xface, .seq = 0x33 };
static ek_frame F; /* big: keep it off the stack */

static ek_profile prof_of(ek_mep_profile m, ek_ji_profile j)
{
    ek_profile p;
    ek_profile_default(&p);
    p.mep = m;
    p.ji = j;
    return p;
}

static void mep_fill(ek_minprio *m, ek_mep_profile pr, uint8_t minp)
{
    memset(m, 0, sizeof *m);
    m->min_priority = minp;
    m->r = pr <= EK_MEP_DRAFT04;
    m->has_version = pr >= EK_MEP_DRAFT09;
    m->version = 250;
    m->t = pr >= EK_MEP_DRAFT09;
    m->has_size = pr != EK_MEP_DRAFT03;
    m->exp = 3;
    m->size_code = 13; /* DODAG size = 13 << 3 = 104 (draft-ietf-roll-enrollment-priority-16 §3.1) */
}

static const ek_rpl_opt *find_opt(const ek_frame *f, uint8_t type)
{
    for (unsigned i = 0; i < f->rpl.n_opts; i++)
        if (f->rpl.opts[i].type == type)
            return &f->rpl.opts[i];
    return NULL;
}

static size_t build_dio(const ek_build_dio *d, const ek_profile *p, uint8_t *out)
{
    size_t n = 0;
    ek_err e;
    cr_assert_eq(ek_build_dio_frame(&NODE, d, p, out, EK_BUILD_MPDU_MAX, &n, &e), EK_OK, "%s",
                 e.field ? e.field : "");
    return n;
}

Test(build, ll_addr_flips_universal_local_bit)
{
    uint8_t a[16];
    ek_build_ll_addr(NODE.ext, a);
    static const uint8_t want[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x5e, 0xef, 0, 0, 0, 0x0a };
    cr_assert_arr_eq(a, want, 16); /* tshark: fe80::5eef:0:a */
}

Test(build, dio_default_decodes_to_its_fields_in_every_profile)
{
    for (int pm = EK_MEP_DRAFT03; pm <= EK_MEP_DRAFT16; pm++) {
        ek_profile p = prof_of((ek_mep_profile)pm, EK_JI_RFC9032_LITERAL);
        ek_build_dio d;
        ek_build_dio_init(&d);
        d.base.rank = 768;
        d.has_mep = true;
        mep_fill(&d.mep, (ek_mep_profile)pm, 0x20);
        uint8_t m[EK_BUILD_MPDU_MAX];
        size_t n = build_dio(&d, &p, m);
        cr_assert_eq(ek_frame_decode(ek_view_make(m, n), false, &p, &F), EK_OK, "profile %d", pm);
        const ek_frame_summary *s = &F.sum;
        cr_assert_eq(s->frame_type, EK_WPAN_FT_DATA);
        cr_assert_eq(s->frame_version, EK_WPAN_VER_2015);
        cr_assert_eq(s->seq, 0x33);
        cr_assert(s->has_dst_pan && s->dst_pan == 0xface && !s->has_src_pan);
        cr_assert(s->has_dst16 && s->dst16 == 0xffff);
        cr_assert(s->has_src64);
        cr_assert_arr_eq(s->src64, NODE.ext, 8);
        uint8_t ll[16];
        ek_build_ll_addr(NODE.ext, ll);
        cr_assert_arr_eq(s->ip_src, ll, 16);
        cr_assert_eq(s->ip_dst[0], 0xff);
        cr_assert_eq(s->ip_dst[15], 0x1a);
        cr_assert_eq(F.net.ip.hlim, 255);
        cr_assert(s->icmp6_checksum_ok);
        cr_assert(s->has_dio);
        cr_assert_eq(s->instance_id, 0x1e);
        cr_assert_eq(s->version, 240);
        cr_assert_eq(s->rank, 768);
        cr_assert_eq(s->dtsn, 240);
        cr_assert_arr_eq(s->dodagid, d.base.dodagid, 16);
        cr_assert_eq(F.rpl.base.dio.mop, 2);
        cr_assert(F.rpl.base.dio.g);
        const ek_rpl_opt *c = find_opt(&F, EK_RPL_OPT_DODAG_CONF);
        cr_assert_not_null(c);
        cr_assert_eq(c->u.conf.min_hop_rank_inc, 256);
        cr_assert_eq(c->u.conf.dio_int_min, 3);
        cr_assert_eq(c->u.conf.dio_int_doublings, 20);
        cr_assert_eq(c->u.conf.dio_redundancy, 10);
        cr_assert_eq(c->u.conf.ocp, 0);
        const ek_rpl_opt *o = find_opt(&F, EK_MEP_TYPE_PROVISIONAL);
        cr_assert_not_null(o);
        cr_assert_eq(o->kind, EK_RPL_OPTK_MEP);
        cr_assert_eq(o->err.code, EK_OK);
        cr_assert_eq(o->length, ek_minprio_data_len((ek_mep_profile)pm));
        cr_assert_eq(o->u.mep.min_priority, 0x20);
        cr_assert_eq(o->u.mep.r, d.mep.r);
        cr_assert_eq(o->u.mep.has_version, d.mep.has_version);
        if (d.mep.has_version) {
            cr_assert_eq(o->u.mep.version, 250);
            cr_assert(o->u.mep.t);
        }
        if (d.mep.has_size) {
            cr_assert_eq(o->u.mep.exp, 3);
            cr_assert_eq(o->u.mep.size_code, 13);
        }
        cr_assert(s->has_mep && s->min_priority == 0x20);
        /* option order: DODAG Configuration then the enrollment option */
        cr_assert_lt(c->offset, o->offset);
    }
}

Test(build, dio_without_conf_or_mep_and_with_pio)
{
    ek_profile p = prof_of(EK_MEP_DRAFT16, EK_JI_RFC9032_LITERAL);
    ek_build_dio d;
    ek_build_dio_init(&d);
    d.has_conf = false;
    d.has_pio = true;
    d.pio.prefix_len = 64;
    d.pio.a = true;
    d.pio.valid_lifetime = d.pio.preferred_lifetime = 0xffffffffu;
    d.pio.prefix[0] = 0xfd;
    uint8_t m[EK_BUILD_MPDU_MAX];
    size_t n = build_dio(&d, &p, m);
    cr_assert_eq(ek_frame_decode(ek_view_make(m, n), false, &p, &F), EK_OK);
    cr_assert_eq(F.rpl.n_opts, 1);
    cr_assert_eq(F.rpl.opts[0].kind, EK_RPL_OPTK_PREFIX_INFO);
    cr_assert_eq(F.rpl.opts[0].u.pio.prefix_len, 64);
    cr_assert(!F.sum.has_mep);
}

Test(build, raw_unknown_option_first_precedes_conf_and_mep)
{
    ek_profile p = prof_of(EK_MEP_DRAFT16, EK_JI_RFC9032_LITERAL);
    ek_build_dio d;
    ek_build_dio_init(&d);
    d.has_mep = true;
    mep_fill(&d.mep, EK_MEP_DRAFT16, 0x10);
    d.n_extra = 1;
    d.extra_pos = EK_BUILD_OPT_FIRST;
    d.extra[0] = (ek_build_raw_opt){ .type = 0x33, .length = 3, .data_len = 3, .data = { 1, 2, 3 } };
    uint8_t m[EK_BUILD_MPDU_MAX];
    size_t n = build_dio(&d, &p, m);
    /* tshark: "ICMPv6 RPL Option (Unknown 51)" then DODAG Configuration, checksum correct */
    cr_assert_eq(ek_frame_decode(ek_view_make(m, n), false, &p, &F), EK_OK);
    cr_assert(F.sum.icmp6_checksum_ok);
    cr_assert_eq(F.rpl.n_opts, 3);
    cr_assert_eq(F.rpl.opts[0].type, 0x33);
    cr_assert_eq(F.rpl.opts[0].kind, EK_RPL_OPTK_RAW);
    cr_assert_eq(F.rpl.opts[0].length, 3);
    cr_assert_eq(F.rpl.opts[0].data.p[2], 3);
    cr_assert_eq(F.rpl.opts[1].kind, EK_RPL_OPTK_DODAG_CONF);
    cr_assert_eq(F.rpl.opts[2].kind, EK_RPL_OPTK_MEP);
    cr_assert_eq(F.rpl.opts[2].u.mep.min_priority, 0x10);
}

Test(build, raw_options_last_follow_every_other_option)
{
    ek_profile p = prof_of(EK_MEP_DRAFT09, EK_JI_RFC9032_LITERAL);
    ek_build_dio d;
    ek_build_dio_init(&d);
    d.has_mep = true;
    mep_fill(&d.mep, EK_MEP_DRAFT09, 0x10);
    d.n_extra = 2;
    d.extra[0] = (ek_build_raw_opt){ .type = EK_RPL_OPT_PAD1 };
    d.extra[1] = (ek_build_raw_opt){ .type = 0x44, .length = 0 };
    uint8_t m[EK_BUILD_MPDU_MAX];
    size_t n = build_dio(&d, &p, m);
    cr_assert_eq(ek_frame_decode(ek_view_make(m, n), false, &p, &F), EK_OK);
    cr_assert_eq(F.rpl.n_opts, 4);
    cr_assert_eq(F.rpl.opts[2].kind, EK_RPL_OPTK_PAD1);
    cr_assert_eq(F.rpl.opts[3].type, 0x44);
    cr_assert_eq(F.rpl.opts[3].length, 0);
    cr_assert_eq(m[n - 1], 0x00); /* Length octet of the type-0x44 option is the last octet */
    cr_assert_eq(m[n - 2], 0x44);
}

Test(build, malformed_length_255_last_is_the_only_error)
{
    ek_profile p = prof_of(EK_MEP_DRAFT16, EK_JI_RFC9032_LITERAL);
    ek_build_dio d;
    ek_build_dio_init(&d);
    d.has_mep = true;
    mep_fill(&d.mep, EK_MEP_DRAFT16, 0x20);
    d.n_extra = 1;
    d.extra[0] = (ek_build_raw_opt){ .type = EK_MEP_TYPE_PROVISIONAL, .length = 255, .data_len = 3,
                                     .data = { 9, 0x05, 0x30 } };
    uint8_t m[EK_BUILD_MPDU_MAX];
    size_t n = build_dio(&d, &p, m);
    /* tshark: checksum correct; the last "RPL Option (Unknown 42) Length: 255" runs past
     * the end -> "[Malformed Packet: ICMPv6]", nothing else malformed */
    cr_assert_eq(ek_frame_decode(ek_view_make(m, n), false, &p, &F), EK_ERR_TRUNCATED);
    cr_assert(F.sum.icmp6_checksum_ok);
    cr_assert_eq(F.rpl.n_opt_errors, 1);
    const ek_rpl_opt *last = &F.rpl.opts[F.rpl.n_opts - 1];
    cr_assert_eq(last->err.code, EK_ERR_TRUNCATED);
    cr_assert_str_eq(last->err.field, "icmpv6.rpl.opt.length");
    cr_assert_eq(last->offset, n - 5);
    cr_assert_eq(F.rpl.opts[1].kind, EK_RPL_OPTK_MEP); /* the good option still decodes */
    cr_assert_eq(F.rpl.opts[1].u.mep.min_priority, 0x20);
}

Test(build, malformed_mep_length_one_first_keeps_later_options)
{
    ek_profile p = prof_of(EK_MEP_DRAFT16, EK_JI_RFC9032_LITERAL);
    ek_build_dio d;
    ek_build_dio_init(&d);
    d.n_extra = 1;
    d.extra_pos = EK_BUILD_OPT_FIRST;
    d.extra[0] = (ek_build_raw_opt){ .type = EK_MEP_TYPE_PROVISIONAL, .length = 1, .data_len = 1, .data = { 0x05 } };
    uint8_t m[EK_BUILD_MPDU_MAX];
    size_t n = build_dio(&d, &p, m);
    cr_assert_eq(ek_frame_decode(ek_view_make(m, n), false, &p, &F), EK_ERR_MALFORMED);
    cr_assert_eq(F.rpl.n_opts, 2);
    cr_assert_eq(F.rpl.opts[0].err.code, EK_ERR_MALFORMED);
    cr_assert_str_eq(F.rpl.opts[0].err.field, "enroll.mep.length");
    cr_assert_eq(F.rpl.opts[0].err.offset, F.rpl.opts[0].offset + 1);
    cr_assert_eq(F.rpl.opts[1].kind, EK_RPL_OPTK_DODAG_CONF);
    cr_assert_eq(F.rpl.opts[1].err.code, EK_OK);
}

Test(build, dis_decodes)
{
    ek_profile p = prof_of(EK_MEP_DRAFT16, EK_JI_RFC9032_LITERAL);
    uint8_t m[EK_BUILD_MPDU_MAX];
    size_t n = 0;
    ek_err e;
    cr_assert_eq(ek_build_dis_frame(&NODE, &p, m, sizeof m, &n, &e), EK_OK);
    /* tshark: "RPL Control (DODAG Information Solicitation)", checksum correct */
    cr_assert_eq(ek_frame_decode(ek_view_make(m, n), false, &p, &F), EK_OK);
    cr_assert(F.has_rpl && F.sum.icmp6_checksum_ok);
    cr_assert_eq(F.sum.icmp6_code, EK_RPL_CODE_DIS);
    cr_assert_eq(F.rpl.n_opts, 0);
}

Test(build, dao_to_the_parent_decodes)
{
    ek_profile p = prof_of(EK_MEP_DRAFT16, EK_JI_RFC9032_LITERAL);
    static const uint8_t PARENT[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x0b };
    uint8_t m[EK_BUILD_MPDU_MAX];
    size_t n = 0;
    ek_err e;
    cr_assert_eq(ek_build_dao_frame(&NODE, PARENT, 0x1e, 30, &p, m, sizeof m, &n, &e), EK_OK);
    /* tshark: "RPL Control (Destination Advertisement Object)" to fe80::5eef:0:b, Target
     * and Transit Information options, checksum correct, Ack Request set */
    cr_assert_eq(ek_frame_decode(ek_view_make(m, n), false, &p, &F), EK_OK);
    cr_assert(F.has_rpl && F.sum.icmp6_checksum_ok);
    cr_assert_eq(F.sum.icmp6_code, EK_RPL_CODE_DAO);
    cr_assert(F.sum.has_dst64);
    cr_assert_arr_eq(F.sum.dst64, PARENT, 8);
    uint8_t ll[16];
    ek_build_ll_addr(PARENT, ll);
    cr_assert_arr_eq(F.sum.ip_dst, ll, 16);
    cr_assert_eq(F.rpl.n_opts, 2);
    cr_assert_eq(F.rpl.opts[0].kind, EK_RPL_OPTK_TARGET);
    cr_assert_eq(F.rpl.opts[1].kind, EK_RPL_OPTK_TRANSIT);
}

static size_t build_eb(const ek_build_eb *e, const ek_profile *p, uint8_t *out)
{
    size_t n = 0;
    ek_err er;
    cr_assert_eq(ek_build_eb_frame(&NODE, e, p, out, EK_BUILD_MPDU_MAX, &n, &er), EK_OK);
    return n;
}

static const uint8_t NETID[8] = { 0xfd, 0, 0, 0, 0, 0, 0, 0 };

static void ji_fill(ek_build_eb *e, ek_ji_profile j)
{
    ek_build_eb_init(e);
    e->asn = 0x0102030405ull;
    e->join_metric = 2;
    e->has_ji = true;
    e->ji.r = true;
    e->ji.proxy_prio = 0x25;
    e->ji.rank_prio = j == EK_JI_RFC9032_LITERAL ? 0x3 : 0x3;
    e->ji.pan_prio = 0;
    e->ji.network_id = ek_view_make(NETID, sizeof NETID);
}

Test(build, eb_decodes_to_its_fields_in_both_ji_profiles)
{
    for (int j = EK_JI_RFC9032_LITERAL; j <= EK_JI_BYTE_ALIGNED; j++) {
        ek_profile p = prof_of(EK_MEP_DRAFT16, (ek_ji_profile)j);
        ek_build_eb e;
        ji_fill(&e, (ek_ji_profile)j);
        uint8_t m[EK_BUILD_MPDU_MAX];
        size_t n = build_eb(&e, &p, m);
        /* tshark: "Enhanced Beacon", HT1, MLME IE (TSCH Sync, Timeslot, Channel Hopping,
         * Slotframe), IETF Payload IE Length 13, no Malformed */
        cr_assert_eq(ek_frame_decode(ek_view_make(m, n), false, &p, &F), EK_OK, "ji %d", j);
        const ek_frame_summary *s = &F.sum;
        cr_assert_eq(s->frame_type, EK_WPAN_FT_BEACON);
        cr_assert_eq(s->frame_version, EK_WPAN_VER_2015);
        cr_assert(s->has_dst_pan && s->dst_pan == 0xface);
        cr_assert(s->has_dst16 && s->dst16 == 0xffff);
        cr_assert_arr_eq(s->src64, NODE.ext, 8);
        cr_assert(s->has_asn && s->asn == 0x0102030405ull && s->join_metric == 2);
        cr_assert(F.mac.ies.ht1);
        cr_assert_eq(F.mac.ies.n_pl, 2);
        cr_assert_eq(F.mac.ies.n_sub, 4);
        cr_assert_eq(F.mac.ies.sub[0].id, EK_MLME_TSCH_SYNC);
        cr_assert_eq(F.mac.ies.sub[1].id, EK_MLME_TSCH_TIMESLOT);
        cr_assert(F.mac.ies.sub[2].is_long && F.mac.ies.sub[2].id == EK_MLME_CHANNEL_HOPPING);
        cr_assert_eq(F.mac.ies.sub[3].id, EK_MLME_TSCH_SLOTFRAME_LINK);
        cr_assert_eq(F.mac.ies.sub[3].u.sfl.sf[0].size, 101);
        cr_assert_eq(F.mac.ies.sub[3].u.sfl.sf[0].links[0].options, 0x0f);
        cr_assert(s->has_ji);
        cr_assert_eq(s->proxy_priority, 0x25);
        cr_assert_eq(s->rank_priority, 3);
        cr_assert_eq(s->pan_priority, 0);
        cr_assert(!s->has_join_proxy_iid);
        cr_assert_eq(s->network_id.len, 8);
        cr_assert_arr_eq(s->network_id.p, NETID, 8);
        cr_assert_eq(F.mac.ies.pl[1].content.len, 5 + 8); /* RFC 9032 §2: 5 + 8P + N */
        cr_assert(F.mac.ies.pl[1].ji.r && !F.mac.ies.pl[1].ji.p);
    }
}

Test(build, eb_without_ji_has_only_mlme)
{
    ek_profile p = prof_of(EK_MEP_DRAFT16, EK_JI_RFC9032_LITERAL);
    ek_build_eb e;
    ek_build_eb_init(&e);
    uint8_t m[EK_BUILD_MPDU_MAX];
    size_t n = build_eb(&e, &p, m);
    cr_assert_eq(ek_frame_decode(ek_view_make(m, n), false, &p, &F), EK_OK);
    cr_assert_eq(F.mac.ies.n_pl, 1);
    cr_assert(!F.sum.has_ji);
    cr_assert(F.sum.has_asn && F.sum.asn == 0 && F.sum.join_metric == 0);
}

Test(build, eb_ietf_multi_puts_6p_before_and_subtype_200_after_join_info)
{
    ek_profile p = prof_of(EK_MEP_DRAFT16, EK_JI_RFC9032_LITERAL);
    ek_build_eb e;
    ji_fill(&e, p.ji);
    e.ji_before_6top = true;
    uint8_t m[EK_BUILD_MPDU_MAX];
    size_t n = build_eb(&e, &p, m);
    /* tshark: three "IETF Payload IE" (Length 7, 13, 5), no Malformed */
    cr_assert_eq(ek_frame_decode(ek_view_make(m, n), false, &p, &F), EK_OK);
    cr_assert_eq(F.mac.ies.n_pl, 4);
    cr_assert_eq(F.mac.ies.pl[1].subtype, EK_IETF_SUBTYPE_6P);
    cr_assert(F.mac.ies.pl[2].has_ji);
    cr_assert_eq(F.mac.ies.pl[3].subtype, 200);
    cr_assert(!F.mac.ies.pl[3].has_ji);
    cr_assert_eq(F.sum.proxy_priority, 0x25);
}

Test(build, eb_ji_len_delta_patches_only_the_ietf_ie_length)
{
    ek_profile p = prof_of(EK_MEP_DRAFT16, EK_JI_RFC9032_LITERAL);
    ek_build_eb e;
    ji_fill(&e, p.ji);
    uint8_t good[EK_BUILD_MPDU_MAX], bad[EK_BUILD_MPDU_MAX];
    size_t gn = build_eb(&e, &p, good);
    e.ji_len_delta = 1;
    size_t bn = build_eb(&e, &p, bad);
    cr_assert_eq(gn, bn);
    /* the Join-Info IE is last: its descriptor sits 2 + 13 octets before the end */
    size_t at = gn - 15;
    cr_assert_eq(good[at], 0x0d);
    cr_assert_eq(bad[at], 0x0e);
    cr_assert_eq(memcmp(good, bad, at), 0);
    cr_assert_eq(memcmp(good + at + 1, bad + at + 1, gn - at - 1), 0);
    /* tshark: "[Malformed Packet: IEEE 802.15.4]" (IE runs past the frame) */
    cr_assert_neq(ek_frame_decode(ek_view_make(bad, bn), false, &p, &F), EK_OK);
    ek_err first;
    cr_assert_neq(ek_ie_list_status(&F.mac.ies, &first), EK_OK);
    cr_assert_eq(first.code, EK_ERR_TRUNCATED);
    cr_assert_str_eq(first.field, "wpan.payload_ie.length");
    cr_assert_eq(first.offset, at + 2); /* the content start, need 14 have 13 */
    cr_assert_eq(first.need, 14);
    cr_assert_eq(first.have, 13);
    e.ji_len_delta = -2; /* shorter: Join-Info content 11, network ID 6 -> still a valid length */
    bn = build_eb(&e, &p, bad);
    cr_assert_eq(bad[at], 0x0b);
}

Test(build, nospace_is_reported)
{
    ek_profile p = prof_of(EK_MEP_DRAFT16, EK_JI_RFC9032_LITERAL);
    ek_build_dio d;
    ek_build_dio_init(&d);
    uint8_t m[EK_BUILD_MPDU_MAX];
    size_t n = 0;
    ek_err e;
    cr_assert_eq(ek_build_dio_frame(&NODE, &d, &p, m, 20, &n, &e), EK_ERR_NOSPACE);
    ek_build_eb eb;
    ek_build_eb_init(&eb);
    cr_assert_eq(ek_build_eb_frame(&NODE, &eb, &p, m, 10, &n, &e), EK_ERR_NOSPACE);
}

/* Every truncation of every built frame: a clean error or OK, never a crash (ASan run). */
Test(build, prefix_sweep_every_profile)
{
    for (int pm = EK_MEP_DRAFT03; pm <= EK_MEP_DRAFT16; pm++) {
        for (int j = EK_JI_RFC9032_LITERAL; j <= EK_JI_BYTE_ALIGNED; j++) {
            ek_profile p = prof_of((ek_mep_profile)pm, (ek_ji_profile)j);
            uint8_t m[3][EK_BUILD_MPDU_MAX];
            size_t n[3];
            ek_build_dio d;
            ek_build_dio_init(&d);
            d.has_mep = true;
            mep_fill(&d.mep, (ek_mep_profile)pm, 0x30);
            n[0] = build_dio(&d, &p, m[0]);
            ek_build_eb e;
            ji_fill(&e, (ek_ji_profile)j);
            e.ji_before_6top = true;
            n[1] = build_eb(&e, &p, m[1]);
            ek_err er;
            cr_assert_eq(ek_build_dis_frame(&NODE, &p, m[2], EK_BUILD_MPDU_MAX, &n[2], &er), EK_OK);
            for (int k = 0; k < 3; k++) {
                cr_assert_eq(ek_frame_decode(ek_view_make(m[k], n[k]), false, &p, &F), EK_OK);
                for (size_t cut = 0; cut < n[k]; cut++) {
                    ek_status st = ek_frame_decode(ek_view_make(m[k], cut), false, &p, &F);
                    cr_assert(st == EK_ERR_TRUNCATED || st == EK_ERR_MALFORMED || st == EK_OK,
                              "frame %d cut %zu: %d", k, cut, st);
                }
            }
        }
    }
}

/* Seeded random DIOs and EBs: built -> decoded -> same fields. */
Test(build, random_dio_and_eb_round_trip)
{
    uint64_t s = 0x9e3779b97f4a7c15ull;
    for (int it = 0; it < 1000; it++) {
        ek_mep_profile pm = (ek_mep_profile)(ek_test_xorshift64(&s) % 4);
        ek_profile p = prof_of(pm, (ek_ji_profile)(ek_test_xorshift64(&s) % 2));
        ek_build_node nd = NODE;
        nd.seq = (uint8_t)ek_test_xorshift64(&s);
        nd.ext[7] = (uint8_t)ek_test_xorshift64(&s);
        ek_build_dio d;
        ek_build_dio_init(&d);
        d.base.version = (uint8_t)ek_test_xorshift64(&s);
        d.base.rank = (uint16_t)ek_test_xorshift64(&s);
        d.base.dtsn = (uint8_t)ek_test_xorshift64(&s);
        d.has_conf = ek_test_xorshift64(&s) & 1;
        d.has_mep = ek_test_xorshift64(&s) & 1;
        mep_fill(&d.mep, pm, (uint8_t)(ek_test_xorshift64(&s) & 0x7f));
        d.mep.version = (uint8_t)ek_test_xorshift64(&s);
        uint8_t m[EK_BUILD_MPDU_MAX];
        size_t n = 0;
        ek_err e;
        cr_assert_eq(ek_build_dio_frame(&nd, &d, &p, m, sizeof m, &n, &e), EK_OK);
        cr_assert_eq(ek_frame_decode(ek_view_make(m, n), false, &p, &F), EK_OK);
        cr_assert_eq(F.sum.seq, nd.seq);
        cr_assert_eq(F.sum.version, d.base.version);
        cr_assert_eq(F.sum.rank, d.base.rank);
        cr_assert_eq(F.sum.has_mep, d.has_mep);
        if (d.has_mep)
            cr_assert_eq(F.sum.min_priority, d.mep.min_priority);

        ek_build_eb eb;
        ji_fill(&eb, p.ji);
        eb.asn = ((uint64_t)ek_test_xorshift64(&s) << 8 | ek_test_xorshift64(&s)) & 0xffffffffffull;
        eb.join_metric = (uint8_t)ek_test_xorshift64(&s);
        eb.ji.proxy_prio = (uint8_t)(ek_test_xorshift64(&s) & 0x7f);
        eb.ji.rank_prio = (uint16_t)(ek_test_xorshift64(&s) & (p.ji == EK_JI_RFC9032_LITERAL ? 0xfff : 0xff));
        eb.ji.pan_prio = (uint8_t)ek_test_xorshift64(&s);
        cr_assert_eq(ek_build_eb_frame(&nd, &eb, &p, m, sizeof m, &n, &e), EK_OK);
        cr_assert_eq(ek_frame_decode(ek_view_make(m, n), false, &p, &F), EK_OK);
        cr_assert_eq(F.sum.asn, eb.asn);
        cr_assert_eq(F.sum.join_metric, eb.join_metric);
        cr_assert_eq(F.sum.proxy_priority, eb.ji.proxy_prio);
        cr_assert_eq(F.sum.rank_priority, eb.ji.rank_prio);
        cr_assert_eq(F.sum.pan_priority, eb.ji.pan_prio);
    }
}
