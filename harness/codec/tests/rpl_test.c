/* SPDX-License-Identifier: BSD-3-Clause */
/* RPL control messages (RFC 6550 §6): DIS/DIO/DAO/DAO-ACK, Secure RPL (§6.1), the
 * option walk (§6.7) with the enrollment option, and the lollipop order (§7.2). */
#include <criterion/criterion.h>
#include <stddef.h>
#include <string.h>

#include "ek/consts.h"
#include "ek/rpl.h"
#include "ek_test_rng.h"

static uint64_t rng = 0x1234567887654321ull;
static uint32_t xr(void)
{
    return ek_test_xorshift64(&rng);
}

static ek_profile prof16(void)
{
    ek_profile p;
    ek_profile_default(&p);
    return p;
}

/* DIO body (after the ICMPv6 header) of the frame quoted in icmp6_test.c; with the
 * frame at link type 195, tshark 4.0.17 -V shows: "Checksum: 0xb72d [correct]",
 * "RPLInstanceID: 30", "Version: 240", "Rank: 256", "Flags: 0x88, Grounded (G), Mode of
 * Operation (MOP): Non-Storing", "DTSN: 240", "DODAGID: fd00::212:4b00:0:1",
 * "ICMPv6 RPL Option (DODAG configuration)" DIOIntervalDoublings 8, DIOIntervalMin 12,
 * MaxRankInc 1792, MinHopRankInc 256, OCP 1, Default Lifetime 30, Lifetime Unit 60,
 * "ICMPv6 RPL Option (Unknown 42)" Length 3.  The body starts at frame offset 25. */
static const uint8_t DIO_BODY[] = {
    0x1e, 0xf0, 0x01, 0x00, 0x88, 0xf0, 0x00, 0x00, 0xfd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x02, 0x12, 0x4b, 0x00, 0x00, 0x00, 0x00, 0x01, 0x04, 0x0e, 0x00, 0x08, 0x0c, 0x0a, 0x07, 0x00,
    0x01, 0x00, 0x00, 0x01, 0x00, 0x1e, 0x00, 0x3c, 0x2a, 0x03, 0xf0, 0x40, 0x3d,
};

static void reencode_equal(const ek_rpl_msg *m, const ek_profile *p, const uint8_t *w, size_t n)
{
    uint8_t out[1024];
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, out, sizeof out);
    cr_assert_eq(ek_rpl_encode(m, p, &b, &e), EK_OK, "%s", e.field);
    cr_assert_eq(b.len, n);
    cr_assert_eq(ek_rpl_encoded_len(m, p), n);
    cr_assert_arr_eq(out, w, n);
}

Test(rpl, dio_from_root_tshark_vector)
{
    ek_profile p = prof16();
    ek_rpl_msg m;
    ek_err e;
    cr_assert_eq(ek_rpl_decode(ek_view_make(DIO_BODY, sizeof DIO_BODY), 1, 25, &p, &m, &e), EK_OK);
    const ek_rpl_dio *d = &m.base.dio;
    cr_assert(d->instance == 30 && d->version == 240 && d->rank == 256 && d->g && d->mop == 1);
    cr_assert(d->prf == 0 && d->dtsn == 240);
    cr_assert_eq(d->dodagid[0], 0xfd);
    cr_assert_eq(m.n_opts, 2);
    cr_assert_eq(m.n_opt_errors, 0);
    cr_assert_eq(m.opts[0].kind, EK_RPL_OPTK_DODAG_CONF);
    cr_assert_eq(m.opts[0].offset, 25 + 24);
    const ek_rpl_dodag_conf *c = &m.opts[0].u.conf;
    cr_assert(c->dio_int_doublings == 8 && c->dio_int_min == 12 && c->dio_redundancy == 10);
    cr_assert(c->max_rank_inc == 1792 && c->min_hop_rank_inc == 256 && c->ocp == 1);
    cr_assert(c->def_lifetime == 30 && c->lifetime_unit == 60 && !c->a && c->pcs == 0);
    cr_assert_eq(m.opts[1].kind, EK_RPL_OPTK_MEP);
    cr_assert_eq(m.opts[1].u.mep.version, 240);
    cr_assert_eq(m.opts[1].u.mep.min_priority, 0x40);
    cr_assert_eq(m.opts[1].u.mep.dodag_size, 104u);
    reencode_equal(&m, &p, DIO_BODY, sizeof DIO_BODY);
}

Test(rpl, mep_type_zero_keeps_option_raw)
{
    ek_profile p = prof16();
    p.mep_type = 0;
    ek_rpl_msg m;
    ek_err e;
    cr_assert_eq(ek_rpl_decode(ek_view_make(DIO_BODY, sizeof DIO_BODY), 1, 0, &p, &m, &e), EK_OK);
    cr_assert_eq(m.opts[1].kind, EK_RPL_OPTK_RAW);
    cr_assert_eq(m.opts[1].type, 0x2a);
    cr_assert_eq(m.opts[1].data.len, 3);
    reencode_equal(&m, &p, DIO_BODY, sizeof DIO_BODY);
}

/* DIO base + every §6.7 option type + an unknown one. */
static const uint8_t ALL_OPTS[] = {
    0x01, 0x02, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    0x00,                                     /* Pad1 */
    0x01, 0x03, 0x00, 0x00, 0x00,             /* PadN, 3 octets of padding */
    0x02, 0x06, 0x07, 0x00, 0x00, 0x02, 0x00, 0x80, /* Metric container (ETX object) raw */
    0x03, 0x0e, 0x40, 0x18, 0x00, 0x00, 0x0e, 0x10, 0xfd, 0, 0, 0, 0, 0, 0, 0, /* Route Info /64 Prf 3 */
    0x05, 0x12, 0x00, 0x80, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x09, /* Target /128 */
    0x06, 0x04, 0x80, 0x00, 0x01, 0xff,       /* Transit, E=1, no parent */
    0x07, 0x03, 0x1e, 0xe0, 0xf0,             /* Solicited: V I D, version 240 */
    0x08, 0x1e, 0x40, 0xe0, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x00, 0x07, 0x08, 0x00, 0x00, 0x00, 0x00,
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, /* PIO L A R /64 */
    0x09, 0x04, 0xde, 0xad, 0xbe, 0xef,       /* Target Descriptor (raw) */
    0x99, 0x02, 0xab, 0xcd,                   /* unknown type, skipped by length */
};

Test(rpl, every_option_type_decodes_and_round_trips)
{
    ek_profile p = prof16();
    ek_rpl_msg m;
    ek_err e;
    cr_assert_eq(ek_rpl_decode(ek_view_make(ALL_OPTS, sizeof ALL_OPTS), 1, 0, &p, &m, &e), EK_OK);
    cr_assert_eq(m.n_opts, 10);
    cr_assert_eq(m.n_opt_errors, 0);
    cr_assert_eq(m.opts[0].kind, EK_RPL_OPTK_PAD1);
    cr_assert_eq(m.opts[1].kind, EK_RPL_OPTK_PADN);
    cr_assert_eq(m.opts[1].length, 3);
    cr_assert_eq(m.opts[2].kind, EK_RPL_OPTK_METRIC);
    cr_assert_eq(m.opts[3].kind, EK_RPL_OPTK_ROUTE_INFO);
    cr_assert(m.opts[3].u.route.prefix_len == 64 && m.opts[3].u.route.prf == 3 &&
              m.opts[3].u.route.lifetime == 3600 && m.opts[3].u.route.prefix_bytes == 8);
    cr_assert_eq(m.opts[4].kind, EK_RPL_OPTK_TARGET);
    cr_assert(m.opts[4].u.target.prefix_len == 128 && m.opts[4].u.target.prefix[15] == 9);
    cr_assert_eq(m.opts[5].kind, EK_RPL_OPTK_TRANSIT);
    cr_assert(m.opts[5].u.transit.e && !m.opts[5].u.transit.has_parent && m.opts[5].u.transit.path_lifetime == 0xff);
    cr_assert_eq(m.opts[6].kind, EK_RPL_OPTK_SOLICITED);
    cr_assert(m.opts[6].u.sol.v && m.opts[6].u.sol.i && m.opts[6].u.sol.d && m.opts[6].u.sol.version == 240);
    cr_assert_eq(m.opts[7].kind, EK_RPL_OPTK_PREFIX_INFO);
    const ek_rpl_prefix_info *pi = &m.opts[7].u.pio;
    cr_assert(pi->prefix_len == 64 && pi->l && pi->a && pi->r && pi->valid_lifetime == 3600 &&
              pi->preferred_lifetime == 1800 && pi->prefix[0] == 0x20);
    cr_assert_eq(m.opts[8].type, 9);
    cr_assert_eq(m.opts[9].type, 0x99);
    cr_assert_eq(m.opts[9].data.len, 2);
    reencode_equal(&m, &p, ALL_OPTS, sizeof ALL_OPTS);
}

Test(rpl, malformed_options_keep_their_error_and_walk_continues)
{
    ek_profile p = prof16();
    uint8_t w[24 + 64] = { 0x01, 0x02, 0x00, 0x80 };
    size_t n = 24;
    const uint8_t tail[] = {
        0x04, 0x0d, 0, 8, 12, 10, 7, 0, 1, 0, 0, 1, 0, 30, 0, /* DODAG Conf with Length 13 */
        0x01, 0x06, 0, 0, 0, 0, 0, 0,                         /* PadN Length 6 */
        0x2a, 0x02, 0x05, 0x40,                               /* MEP Length 2 under draft-16 */
        0x2a, 0x03, 0x05, 0x40, 0x3d,                         /* good MEP */
    };
    memcpy(w + n, tail, sizeof tail);
    n += sizeof tail;
    ek_rpl_msg m;
    ek_err e;
    cr_assert_eq(ek_rpl_decode(ek_view_make(w, n), 1, 100, &p, &m, &e), EK_OK);
    cr_assert_eq(m.n_opts, 4);
    cr_assert_eq(m.n_opt_errors, 3);
    cr_assert_eq(m.opts[0].err.code, EK_ERR_MALFORMED);
    cr_assert_str_eq(m.opts[0].err.field, "icmpv6.rpl.opt.length");
    cr_assert_eq(m.opts[0].err.offset, 100 + 24 + 1);
    cr_assert_eq(m.opts[1].err.code, EK_ERR_MALFORMED);
    cr_assert_str_eq(m.opts[1].err.field, "icmpv6.rpl.opt.length");
    cr_assert_eq(m.opts[1].err.offset, 100 + 24 + 15 + 1);
    cr_assert_eq(m.opts[2].err.code, EK_ERR_MALFORMED);
    cr_assert_str_eq(m.opts[2].err.field, "enroll.mep.length");
    cr_assert_eq(m.opts[2].err.offset, 100 + 24 + 23 + 1);
    cr_assert_eq(m.opts[3].kind, EK_RPL_OPTK_MEP);
    cr_assert_eq(m.opts[3].err.code, EK_OK);
    cr_assert_eq(m.opts[3].u.mep.dodag_size, 104u);
    /* Malformed options come back as RAW and re-encode byte for byte. */
    reencode_equal(&m, &p, w, n);
}

Test(rpl, option_overrun_is_truncated_and_stops_walk)
{
    ek_profile p = prof16();
    uint8_t w[24 + 8] = { 0x01, 0x02, 0x00, 0x80 };
    const uint8_t tail[] = { 0x00, 0x04, 0x0e, 0x00, 0x08, 0x0c, 0x0a, 0x07 }; /* Pad1, DODAG Conf cut */
    memcpy(w + 24, tail, sizeof tail);
    ek_rpl_msg m;
    ek_err e;
    cr_assert_eq(ek_rpl_decode(ek_view_make(w, sizeof w), 1, 50, &p, &m, &e), EK_OK);
    cr_assert_eq(m.n_opts, 2);
    cr_assert_eq(m.opts[1].err.code, EK_ERR_TRUNCATED);
    cr_assert_str_eq(m.opts[1].err.field, "icmpv6.rpl.opt.length");
    cr_assert_eq(m.opts[1].err.offset, 50 + 26);
    cr_assert_eq(m.opts[1].err.need, 14);
    cr_assert_eq(m.opts[1].err.have, 5);
    /* Type octet without its Length */
    uint8_t w2[25] = { 0x01 };
    w2[24] = 0x04;
    cr_assert_eq(ek_rpl_decode(ek_view_make(w2, sizeof w2), 1, 0, &p, &m, &e), EK_OK);
    cr_assert_eq(m.opts[0].err.code, EK_ERR_TRUNCATED);
    cr_assert_eq(m.opts[0].err.offset, 25);
}

Test(rpl, option_capacity_overflow_is_counted)
{
    ek_profile p = prof16();
    uint8_t w[24 + 20] = { 0 };
    ek_rpl_msg m;
    ek_err e;
    cr_assert_eq(ek_rpl_decode(ek_view_make(w, sizeof w), 1, 0, &p, &m, &e), EK_OK);
    cr_assert_eq(m.n_opts, EK_RPL_MAX_OPTS);
    cr_assert_eq(m.opts_dropped, 20 - EK_RPL_MAX_OPTS);
}

Test(rpl, dis_dao_daoack_base_objects)
{
    ek_profile p = prof16();
    ek_rpl_msg m;
    ek_err e;
    const uint8_t dis[] = { 0x00, 0x00, 0x07, 0x03, 0x1e, 0x80, 0xf0 };
    cr_assert_eq(ek_rpl_decode(ek_view_make(dis, sizeof dis), 0, 0, &p, &m, &e), EK_OK);
    cr_assert_eq(m.opts[0].kind, EK_RPL_OPTK_SOLICITED);
    reencode_equal(&m, &p, dis, sizeof dis);
    /* DAO K=1 D=1, seq 7, DODAGID, Target + Transit with parent (non-storing) */
    uint8_t dao[4 + 16 + 20 + 22] = { 0x1e, 0xc0, 0x00, 0x07, 0xfd };
    const uint8_t opts[] = { 0x05, 0x12, 0x00, 0x80, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
                             0x06, 0x14, 0x00, 0x00, 0x03, 0x1e, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    memcpy(dao + 20, opts, sizeof opts);
    cr_assert_eq(ek_rpl_decode(ek_view_make(dao, sizeof dao), 2, 0, &p, &m, &e), EK_OK);
    cr_assert(m.base.dao.k && m.base.dao.d && m.base.dao.seq == 7 && m.base.dao.dodagid[0] == 0xfd);
    cr_assert(m.opts[1].u.transit.has_parent && m.opts[1].u.transit.parent[15] == 1);
    reencode_equal(&m, &p, dao, sizeof dao);
    const uint8_t ack[] = { 0x1e, 0x80, 0x07, 0x00, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    cr_assert_eq(ek_rpl_decode(ek_view_make(ack, sizeof ack), 3, 0, &p, &m, &e), EK_OK);
    cr_assert(m.base.ack.d && m.base.ack.seq == 7 && m.base.ack.status == 0 && m.n_opts == 0);
    reencode_equal(&m, &p, ack, sizeof ack);
    /* DAO with D=1 but no DODAGID: truncated at the DODAGID */
    cr_assert_eq(ek_rpl_decode(ek_view_make(dao, 10), 2, 40, &p, &m, &e), EK_ERR_TRUNCATED);
    cr_assert_str_eq(e.field, "icmpv6.rpl.dao.dodagid");
    cr_assert_eq(e.offset, 44);
    cr_assert_eq(ek_rpl_decode(ek_view_make(ack, 4), 4, 4, &p, &m, &e), EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "icmpv6.code");
    cr_assert_eq(e.offset, 1);
}

Test(rpl, secure_dio_kim0_mac32_parses_base_and_options)
{
    ek_profile p = prof16();
    uint8_t w[9 + sizeof DIO_BODY + 4] = { 0x80, 0x00, 0x00, 0x00, 0, 0, 0, 0x2a, 0x05 };
    memcpy(w + 9, DIO_BODY, sizeof DIO_BODY);
    memcpy(w + 9 + sizeof DIO_BODY, "\xde\xad\xbe\xef", 4);
    ek_rpl_msg m;
    ek_err e;
    cr_assert_eq(ek_rpl_decode(ek_view_make(w, sizeof w), 0x81, 0, &p, &m, &e), EK_OK);
    cr_assert(m.secure && m.sec.t && m.sec.kim == 0 && m.sec.lvl == 0 && m.sec.counter == 42);
    cr_assert(m.sec.has_key_index && m.sec.key_index == 5 && !m.sec.has_key_source);
    cr_assert_eq(m.mac.len, 4);
    cr_assert_eq(m.mac.p[0], 0xde);
    cr_assert_eq(m.base.dio.instance, 30);
    cr_assert_eq(m.n_opts, 2);
    cr_assert_eq(m.opts[1].kind, EK_RPL_OPTK_MEP);
    reencode_equal(&m, &p, w, sizeof w);
}

Test(rpl, secure_key_identifier_and_mac_lengths_per_kim_lvl)
{
    /* §6.1 Fig. 10/11 */
    cr_assert_eq(ek_rpl_sec_keyid_len(0, 0), 1);
    cr_assert_eq(ek_rpl_sec_keyid_len(1, 2), 0);
    cr_assert_eq(ek_rpl_sec_keyid_len(2, 3), 9);
    cr_assert_eq(ek_rpl_sec_keyid_len(3, 0), 0);
    cr_assert_eq(ek_rpl_sec_keyid_len(3, 1), 9);
    cr_assert_eq(ek_rpl_sec_mac_len(0, 1), 4);
    cr_assert_eq(ek_rpl_sec_mac_len(2, 2), 8);
    cr_assert_eq(ek_rpl_sec_mac_len(3, 0), 384);
    cr_assert_eq(ek_rpl_sec_mac_len(3, 3), 256);
    ek_profile p = prof16();
    ek_rpl_msg m;
    ek_err e;
    /* KIM 2 LVL 2 (MAC-64): key source + index, DIS base, 8-octet MAC */
    uint8_t w[8 + 9 + 2 + 8] = { 0x00, 0x00, 0x82, 0x00, 0, 0, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
    cr_assert_eq(ek_rpl_decode(ek_view_make(w, sizeof w), 0x80, 0, &p, &m, &e), EK_OK);
    cr_assert(m.sec.has_key_source && m.sec.key_source[7] == 8 && m.sec.key_index == 9);
    cr_assert_eq(m.mac.len, 8);
    reencode_equal(&m, &p, w, sizeof w);
    /* KIM 0 LVL 1 (ENC-MAC-32): everything after the section is ciphertext */
    uint8_t x[9 + 10 + 4] = { 0x00, 0x00, 0x01, 0x00, 0, 0, 0, 1, 7 };
    cr_assert_eq(ek_rpl_decode(ek_view_make(x, sizeof x), 0x81, 0, &p, &m, &e), EK_OK);
    cr_assert(m.encrypted && m.ciphertext.len == 10 && m.mac.len == 4 && m.n_opts == 0);
    reencode_equal(&m, &p, x, sizeof x);
    /* KIM 3 LVL 2 (Sign-2048): no key id, 256-octet signature */
    uint8_t s[8 + 24 + 256] = { 0x00, 0x00, 0xc2, 0x00 };
    cr_assert_eq(ek_rpl_decode(ek_view_make(s, sizeof s), 0x81, 0, &p, &m, &e), EK_OK);
    cr_assert(m.mac.len == 256 && m.n_opts == 0 && !m.encrypted);
    reencode_equal(&m, &p, s, sizeof s);
    cr_assert_eq(ek_rpl_decode(ek_view_make(s, 8 + 100), 0x81, 10, &p, &m, &e), EK_ERR_TRUNCATED);
    cr_assert_str_eq(e.field, "icmpv6.rpl.secure.mac");
    cr_assert_eq(e.offset, 18);
    /* LVL 5 unassigned */
    s[2] = 0x05;
    cr_assert_eq(ek_rpl_decode(ek_view_make(s, sizeof s), 0x81, 10, &p, &m, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "icmpv6.rpl.secure.lvl");
    cr_assert_eq(e.offset, 12);
}

Test(rpl, prefix_sweep_dio)
{
    ek_profile p = prof16();
    for (size_t n = 0; n < sizeof ALL_OPTS; n++) {
        ek_rpl_msg m;
        ek_err e;
        ek_status st = ek_rpl_decode(ek_view_make(ALL_OPTS, n), 1, 0, &p, &m, &e);
        if (n < 24) {
            cr_assert_eq(st, EK_ERR_TRUNCATED, "len %zu", n);
            cr_assert_leq(e.offset, n, "len %zu", n);
            cr_assert_eq(e.need > e.have, 1);
        } else {
            cr_assert_eq(st, EK_OK);
            /* A cut inside an option shows up as TRUNCATED on the last option. */
            if (m.n_opts && m.opts[m.n_opts - 1].err.code != EK_OK)
                cr_assert_eq(m.opts[m.n_opts - 1].err.code, EK_ERR_TRUNCATED, "len %zu", n);
        }
    }
}

Test(rpl, lollipop_tp_ep_05_pairs)
{
    cr_assert_eq(ek_rpl_lollipop_cmp(5, 4), 1);
    cr_assert_eq(ek_rpl_lollipop_cmp(4, 5), -1);
    cr_assert_eq(ek_rpl_lollipop_cmp(5, 250), 1);   /* 256 + 5 - 250 = 11 <= 16 */
    cr_assert_eq(ek_rpl_lollipop_cmp(250, 5), -1);
    cr_assert_eq(ek_rpl_lollipop_cmp(240, 5), 1);   /* 21 > 16: 240 newer */
    cr_assert_eq(ek_rpl_lollipop_cmp(5, 240), -1);
    cr_assert_eq(ek_rpl_lollipop_cmp(7, 7), 0);
    cr_assert_eq(ek_rpl_lollipop_cmp(241, 240), 1);
    cr_assert_eq(ek_rpl_lollipop_cmp(130, 250), EK_RPL_LOLLIPOP_INCOMPARABLE);
    cr_assert_eq(ek_rpl_lollipop_cmp(2, 127), 1);   /* circular wrap */
    cr_assert_eq(ek_rpl_lollipop_cmp(10, 60), EK_RPL_LOLLIPOP_INCOMPARABLE);
}

static void rand_opt(ek_rpl_opt *o, uint8_t *store)
{
    memset(o, 0, sizeof *o);
    switch (xr() % 10) {
    case 0: o->kind = EK_RPL_OPTK_PAD1; o->type = 0; break;
    case 1: o->kind = EK_RPL_OPTK_PADN; o->type = 1; o->length = (uint8_t)(xr() % 6); break;
    case 2: {
        o->kind = EK_RPL_OPTK_ROUTE_INFO; o->type = 3;
        ek_rpl_route_info *r = &o->u.route;
        r->prefix_len = (uint8_t)(xr() % 129);
        r->prefix_bytes = (uint8_t)((r->prefix_len + 7) / 8 + xr() % (17 - (r->prefix_len + 7) / 8));
        r->prf = (uint8_t)(xr() & 3);
        r->lifetime = xr();
        for (int i = 0; i < r->prefix_bytes; i++) r->prefix[i] = (uint8_t)xr();
        break;
    }
    case 3: {
        o->kind = EK_RPL_OPTK_DODAG_CONF; o->type = 4;
        ek_rpl_dodag_conf *c = &o->u.conf;
        c->a = xr() & 1; c->pcs = (uint8_t)(xr() & 7); c->dio_int_doublings = (uint8_t)xr();
        c->dio_int_min = (uint8_t)xr(); c->dio_redundancy = (uint8_t)xr(); c->max_rank_inc = (uint16_t)xr();
        c->min_hop_rank_inc = (uint16_t)xr(); c->ocp = (uint16_t)xr(); c->def_lifetime = (uint8_t)xr();
        c->lifetime_unit = (uint16_t)xr();
        break;
    }
    case 4: {
        o->kind = EK_RPL_OPTK_TARGET; o->type = 5;
        o->u.target.prefix_len = (uint8_t)(xr() % 129);
        o->u.target.prefix_bytes = (uint8_t)((o->u.target.prefix_len + 7) / 8);
        for (int i = 0; i < o->u.target.prefix_bytes; i++) o->u.target.prefix[i] = (uint8_t)xr();
        break;
    }
    case 5:
        o->kind = EK_RPL_OPTK_TRANSIT; o->type = 6;
        o->u.transit.e = xr() & 1; o->u.transit.path_seq = (uint8_t)xr(); o->u.transit.has_parent = xr() & 1;
        if (o->u.transit.has_parent) o->u.transit.parent[3] = (uint8_t)xr();
        break;
    case 6:
        o->kind = EK_RPL_OPTK_SOLICITED; o->type = 7;
        o->u.sol.instance = (uint8_t)xr(); o->u.sol.v = xr() & 1; o->u.sol.version = (uint8_t)xr();
        break;
    case 7:
        o->kind = EK_RPL_OPTK_PREFIX_INFO; o->type = 8;
        o->u.pio.prefix_len = (uint8_t)(xr() % 129); o->u.pio.a = xr() & 1;
        o->u.pio.valid_lifetime = xr(); o->u.pio.prefix[0] = (uint8_t)xr();
        break;
    case 8:
        o->kind = EK_RPL_OPTK_MEP; o->type = 0x2a;
        o->u.mep.profile = EK_MEP_DRAFT16; o->u.mep.has_version = o->u.mep.has_size = true;
        o->u.mep.type = 0x2a; o->u.mep.length = 3;
        o->u.mep.version = (uint8_t)xr(); o->u.mep.min_priority = (uint8_t)(xr() & 0x7f);
        o->u.mep.exp = (uint8_t)(xr() & 15); o->u.mep.size_code = (uint16_t)(xr() & 15);
        o->u.mep.dodag_size = (uint32_t)o->u.mep.size_code << o->u.mep.exp;
        break;
    default: {
        o->kind = EK_RPL_OPTK_RAW; o->type = (uint8_t)(0x10 + xr() % 16);
        size_t n = xr() % 8;
        for (size_t i = 0; i < n; i++) store[i] = (uint8_t)xr();
        o->data = ek_view_make(store, n);
        o->length = (uint8_t)n;
        break;
    }
    }
}

Test(rpl, randomized_round_trip_dio_dis_dao)
{
    ek_profile p = prof16();
    static uint8_t store[EK_RPL_MAX_OPTS][8];
    for (int it = 0; it < 1000; it++) {
        ek_rpl_msg m;
        memset(&m, 0, sizeof m);
        m.code = (uint8_t)(xr() % 4);
        switch (m.code) {
        case 0: m.base.dis.flags = (uint8_t)xr(); break;
        case 1:
            m.base.dio.instance = (uint8_t)xr(); m.base.dio.rank = (uint16_t)xr(); m.base.dio.g = xr() & 1;
            m.base.dio.mop = (uint8_t)(xr() & 7); m.base.dio.prf = (uint8_t)(xr() & 7);
            m.base.dio.dtsn = (uint8_t)xr(); m.base.dio.dodagid[5] = (uint8_t)xr();
            break;
        case 2:
            m.base.dao.k = xr() & 1; m.base.dao.d = xr() & 1; m.base.dao.seq = (uint8_t)xr();
            if (m.base.dao.d) m.base.dao.dodagid[0] = 0xfd;
            break;
        default: m.base.ack.d = xr() & 1; m.base.ack.status = (uint8_t)xr(); break;
        }
        m.n_opts = xr() % (EK_RPL_MAX_OPTS + 1);
        for (unsigned i = 0; i < m.n_opts; i++) rand_opt(&m.opts[i], store[i]);
        uint8_t out[1024];
        ek_buf b;
        ek_err e;
        ek_buf_init(&b, out, sizeof out);
        cr_assert_eq(ek_rpl_encode(&m, &p, &b, &e), EK_OK, "it %d %s", it, e.field);
        ek_rpl_msg d;
        cr_assert_eq(ek_rpl_decode(ek_buf_view(&b), m.code, 0, &p, &d, &e), EK_OK);
        cr_assert_eq(d.n_opts, m.n_opts, "it %d", it);
        cr_assert_eq(d.n_opt_errors, 0, "it %d", it);
        cr_assert_eq(memcmp(&d.base, &m.base, sizeof d.base), 0, "it %d", it);
        for (unsigned i = 0; i < m.n_opts; i++) {
            cr_assert_eq(d.opts[i].kind, m.opts[i].kind, "it %d opt %u", it, i);
            if (m.opts[i].kind != EK_RPL_OPTK_RAW && m.opts[i].kind != EK_RPL_OPTK_PADN &&
                m.opts[i].kind != EK_RPL_OPTK_PAD1)
                cr_assert_eq(memcmp(&d.opts[i].u, &m.opts[i].u, sizeof d.opts[i].u), 0, "it %d opt %u", it, i);
        }
        uint8_t again[1024];
        ek_buf b2;
        ek_buf_init(&b2, again, sizeof again);
        cr_assert_eq(ek_rpl_encode(&d, &p, &b2, &e), EK_OK);
        cr_assert_eq(b2.len, b.len);
        cr_assert_arr_eq(again, out, b.len);
    }
}

/* ---- review pass ---- */

/* NULL profile = defaults (draft-16, type 0x2A), as for the MAC/IE/6LoWPAN decoders;
 * it used to dereference prof in the option walk. */
Test(rpl, null_profile_decodes_with_the_defaults)
{
    ek_rpl_msg m;
    ek_err e;
    cr_assert_eq(ek_rpl_decode(ek_view_make(DIO_BODY, sizeof DIO_BODY), EK_RPL_CODE_DIO, 25, NULL, &m, &e), EK_OK);
    cr_assert_eq(e.code, EK_OK);
    cr_assert_eq(m.n_opts, 2);
    cr_assert_eq(m.opts[1].kind, EK_RPL_OPTK_MEP, "0x2A is the default enrollment option type");
    cr_assert_eq(m.opts[1].u.mep.min_priority, 0x40);
}

/* *err is set on every success path, the encrypted one included. */
Test(rpl, success_sets_err_on_plain_and_encrypted_messages)
{
    ek_profile p = prof16();
    /* SDIO KIM 0 LVL 1 (ENC-MAC-32): section 9 octets | ciphertext | MAC 4 (RFC 6550 §6.1) */
    static const uint8_t enc[] = { 0x00, 0x00, 0x01, 0x00, 0, 0, 0, 1, 0x07, 0xaa, 0xbb, 1, 2, 3, 4 };
    ek_rpl_msg m;
    ek_err e;
    memset(&e, 0xA5, sizeof e);
    cr_assert_eq(ek_rpl_decode(ek_view_make(enc, sizeof enc), 0x81, 0, &p, &m, &e), EK_OK);
    cr_assert(m.encrypted && m.ciphertext.len == 2 && m.mac.len == 4);
    cr_assert(e.code == EK_OK && e.field == NULL && e.offset == 0);
    memset(&e, 0xA5, sizeof e);
    cr_assert_eq(ek_rpl_decode(ek_view_make(DIO_BODY, sizeof DIO_BODY), 1, 25, &p, &m, &e), EK_OK);
    cr_assert(e.code == EK_OK && e.field == NULL && e.offset == 0);
}

/* ek_rpl_decode no longer clears opts[]: scalars and options [0..n_opts) must not depend
 * on what the output held before.  Every prefix of a secure DIO and of ALL_OPTS. */
Test(rpl, decode_defines_every_readable_field_without_clearing_the_option_array)
{
    ek_profile p = prof16();
    uint8_t sdio[9 + sizeof DIO_BODY + 4] = { 0x80, 0x00, 0x00, 0x00, 0, 0, 0, 0x2a, 0x05 };
    memcpy(sdio + 9, DIO_BODY, sizeof DIO_BODY);
    const struct { const uint8_t *w; size_t n; uint8_t code; } v[] = {
        { sdio, sizeof sdio, 0x81 }, { ALL_OPTS, sizeof ALL_OPTS, 0x01 }, { DIO_BODY, sizeof DIO_BODY, 0x01 }
    };
    static ek_rpl_msg a, b;
    for (unsigned i = 0; i < 3; i++) {
        for (size_t n = 0; n <= v[i].n; n++) {
            memset(&a, 0, sizeof a);
            memset(&b, 0xA5, sizeof b);
            ek_err ea, eb;
            ek_status sa = ek_rpl_decode(ek_view_make(v[i].w, n), v[i].code, 7, &p, &a, &ea);
            ek_status sb = ek_rpl_decode(ek_view_make(v[i].w, n), v[i].code, 7, &p, &b, &eb);
            cr_assert_eq(sa, sb);
            cr_assert(ea.code == eb.code && ea.field == eb.field && ea.offset == eb.offset);
            size_t opts_end = offsetof(ek_rpl_msg, opts) + sizeof a.opts;
            cr_assert_eq(memcmp(&a, &b, offsetof(ek_rpl_msg, opts)), 0, "vector %u len %zu", i, n);
            cr_assert_eq(memcmp((uint8_t *)&a + opts_end, (uint8_t *)&b + opts_end, sizeof a - opts_end), 0,
                         "vector %u len %zu: counters", i, n);
            cr_assert_eq(memcmp(a.opts, b.opts, a.n_opts * sizeof a.opts[0]), 0, "vector %u len %zu", i, n);
        }
    }
}
