/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 9032 §2 6tisch-Join-Info content codec, both bit profiles (RFC 9032 §2 Figure 1).
 * Wireshark 4.0.17 has no Join-Info decoder: tshark shows these as IETF IE subtype
 * data only, so the vectors are worked by hand from RFC 9032 §2 Figure 1. */
#include <criterion/criterion.h>
#include <string.h>

#include "ek/enroll_ie.h"
#include "ek_test_rng.h"

static ek_profile prof_of(ek_ji_profile j)
{
    ek_profile p;
    ek_profile_default(&p);
    p.ji = j;
    return p;
}

/* RFC 9032 §2 Figure 1 example: R=1 P=0 proxy 0x22 rank 0x010 pan 0x01.
 * Full IETF IE: 0D A8 | 02 82 20 10 01 | 8-octet netid (literal). */
Test(enroll_ie, figure1_example_literal_profile_decodes)
{
    static const uint8_t c[] = { 0x82, 0x20, 0x10, 0x01, 1, 2, 3, 4, 5, 6, 7, 8 };
    ek_profile p = prof_of(EK_JI_RFC9032_LITERAL);
    ek_enroll_ie ie;
    ek_err e;
    cr_assert_eq(ek_enroll_ie_decode(ek_view_make(c, sizeof c), 100, &p, &ie, &e), EK_OK);
    cr_assert(ie.r);
    cr_assert_not(ie.p);
    cr_assert_eq(ie.reserved, 0);
    cr_assert_eq(ie.proxy_prio, 0x22);
    cr_assert_eq(ie.rank_prio, 0x010);
    cr_assert_eq(ie.pan_prio, 0x01);
    cr_assert_eq(ie.network_id.len, 8);
    cr_assert_eq(ie.network_id.p, c + 4);
}

Test(enroll_ie, figure1_example_encodes_in_both_profiles)
{
    ek_enroll_ie ie = { .r = true, .proxy_prio = 0x22, .rank_prio = 0x010, .pan_prio = 0x01 };
    static const uint8_t lit[] = { 0x82, 0x20, 0x10, 0x01 };   /* 02 82 20 10 01 with subtype */
    static const uint8_t ali[] = { 0x80, 0x22, 0x10, 0x01 };   /* 02 80 22 10 01 with subtype */
    uint8_t m[32];
    ek_buf b;
    ek_err e;
    ek_profile p = prof_of(EK_JI_RFC9032_LITERAL);
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_enroll_ie_encode(&ie, &p, &b, &e), EK_OK);
    cr_assert_eq(b.len, 4);
    cr_assert_eq(ek_enroll_ie_encoded_len(&ie, &p), 4);
    cr_assert_arr_eq(m, lit, 4);
    p = prof_of(EK_JI_BYTE_ALIGNED);
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_enroll_ie_encode(&ie, &p, &b, &e), EK_OK);
    cr_assert_arr_eq(m, ali, 4);
}

/* RFC 9032 §2 Figure 1: R=1 P=0 proxy=0x25 rank=0x0A3 -> 82 50 a3 (literal grid). */
Test(enroll_ie, figure1_vector_literal_grid)
{
    static const uint8_t c[] = { 0x82, 0x50, 0xa3, 0x07 };
    ek_profile p = prof_of(EK_JI_RFC9032_LITERAL);
    ek_enroll_ie ie;
    cr_assert_eq(ek_enroll_ie_decode(ek_view_make(c, 4), 0, &p, &ie, NULL), EK_OK);
    cr_assert_eq(ie.proxy_prio, 0x25);
    cr_assert_eq(ie.rank_prio, 0x0a3);
    cr_assert_eq(ie.pan_prio, 7);
    cr_assert_eq(ie.network_id.len, 0);
}

/* Each bit of octets 1-3 maps to exactly one field per profile. */
struct bitrow {
    ek_ji_profile prof;
    uint8_t o[3];
    bool r, p;
    uint8_t res, proxy;
    uint16_t rank;
};

Test(enroll_ie, bit_masks_table_both_profiles)
{
    static const struct bitrow rows[] = {
        { EK_JI_RFC9032_LITERAL, { 0x80, 0, 0 }, true, false, 0, 0, 0 },
        { EK_JI_RFC9032_LITERAL, { 0x38, 0, 0 }, false, false, 7, 0, 0 },
        { EK_JI_RFC9032_LITERAL, { 0x07, 0xF0, 0 }, false, false, 0, 0x7f, 0 },
        { EK_JI_RFC9032_LITERAL, { 0x00, 0x0F, 0xFF }, false, false, 0, 0, 0xfff },
        { EK_JI_RFC9032_LITERAL, { 0x04, 0x00, 0x00 }, false, false, 0, 0x40, 0 },
        { EK_JI_BYTE_ALIGNED, { 0x80, 0, 0 }, true, false, 0, 0, 0 },
        { EK_JI_BYTE_ALIGNED, { 0x3F, 0x80, 0 }, false, false, 0x7f, 0, 0 },
        { EK_JI_BYTE_ALIGNED, { 0x00, 0x7F, 0 }, false, false, 0, 0x7f, 0 },
        { EK_JI_BYTE_ALIGNED, { 0x00, 0x00, 0xFF }, false, false, 0, 0, 0xff },
        { EK_JI_BYTE_ALIGNED, { 0x01, 0x00, 0x00 }, false, false, 2, 0, 0 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        uint8_t c[4] = { rows[i].o[0], rows[i].o[1], rows[i].o[2], 0x55 };
        ek_profile p = prof_of(rows[i].prof);
        ek_enroll_ie ie;
        cr_assert_eq(ek_enroll_ie_decode(ek_view_make(c, 4), 0, &p, &ie, NULL), EK_OK, "row %zu", i);
        cr_assert_eq(ie.r, rows[i].r, "row %zu", i);
        cr_assert_eq(ie.p, rows[i].p, "row %zu", i);
        cr_assert_eq(ie.reserved, rows[i].res, "row %zu", i);
        cr_assert_eq(ie.proxy_prio, rows[i].proxy, "row %zu", i);
        cr_assert_eq(ie.rank_prio, rows[i].rank, "row %zu", i);
        cr_assert_eq(ie.pan_prio, 0x55);
        uint8_t m[8];
        ek_buf b;
        ek_buf_init(&b, m, sizeof m);
        cr_assert_eq(ek_enroll_ie_encode(&ie, &p, &b, NULL), EK_OK);
        cr_assert_arr_eq(m, c, 4, "row %zu re-encodes", i);
    }
}

Test(enroll_ie, p_flag_reads_eight_iid_octets_then_network_id)
{
    static const uint8_t c[] = { 0xC0, 0x00, 0x00, 0x02, 0x02, 0x12, 0x4b, 0, 0, 0, 0, 1, 0xaa, 0xbb };
    ek_profile p = prof_of(EK_JI_RFC9032_LITERAL);
    ek_enroll_ie ie;
    cr_assert_eq(ek_enroll_ie_decode(ek_view_make(c, sizeof c), 40, &p, &ie, NULL), EK_OK);
    cr_assert(ie.p);
    cr_assert_arr_eq(ie.jp_iid, c + 4, 8);
    cr_assert_eq(ie.network_id.len, 2);
    cr_assert_eq(ie.network_id.p[0], 0xaa);
}

Test(enroll_ie, p_flag_with_short_iid_is_truncated_at_join_proxy_iid)
{
    static const uint8_t c[] = { 0x40, 0x00, 0x00, 0x02, 1, 2, 3, 4, 5 };
    ek_profile p = prof_of(EK_JI_RFC9032_LITERAL);
    ek_enroll_ie ie;
    ek_err e;
    cr_assert_eq(ek_enroll_ie_decode(ek_view_make(c, sizeof c), 40, &p, &ie, &e), EK_ERR_TRUNCATED);
    cr_assert_str_eq(e.field, "enroll.ji.join_proxy_iid");
    cr_assert_eq(e.offset, 44);
    cr_assert_eq(e.need, 8);
    cr_assert_eq(e.have, 5);
}

Test(enroll_ie, network_id_of_17_octets_is_malformed_at_the_17th)
{
    uint8_t c[4 + 17] = { 0x80, 0x00, 0x00, 0x01 };
    ek_profile p = prof_of(EK_JI_RFC9032_LITERAL);
    ek_enroll_ie ie;
    ek_err e;
    cr_assert_eq(ek_enroll_ie_decode(ek_view_make(c, sizeof c), 20, &p, &ie, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "enroll.ji.network_id");
    cr_assert_eq(e.offset, 20 + 4 + 16);
    /* 16 is the maximum and fine */
    cr_assert_eq(ek_enroll_ie_decode(ek_view_make(c, sizeof c - 1), 20, &p, &ie, &e), EK_OK);
    cr_assert_eq(ie.network_id.len, 16);
}

Test(enroll_ie, prefix_sweep_every_truncation_of_fixed_part_is_truncated)
{
    static const uint8_t c[] = { 0xC2, 0x20, 0x10, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    ek_profile p = prof_of(EK_JI_RFC9032_LITERAL);
    for (size_t n = 0; n <= sizeof c; n++) {
        ek_enroll_ie ie;
        ek_err e;
        ek_status st = ek_enroll_ie_decode(ek_view_make(c, n), 7, &p, &ie, &e);
        if (n < 4) {
            cr_assert_eq(st, EK_ERR_TRUNCATED, "n=%zu", n);
            cr_assert_str_eq(e.field, n < 3 ? "enroll.ji.octets" : "enroll.ji.pan_priority");
            cr_assert_eq(e.offset, n < 3 ? 7u : 10u);
        } else if (n < 12) {
            cr_assert_eq(st, EK_ERR_TRUNCATED, "n=%zu", n);
            cr_assert_str_eq(e.field, "enroll.ji.join_proxy_iid");
            cr_assert_eq(e.offset, 11);
        } else {
            cr_assert_eq(st, EK_OK, "n=%zu", n);
            cr_assert_eq(ie.network_id.len, n - 12);
        }
    }
}

Test(enroll_ie, encoder_rejects_out_of_range_values_naming_the_field)
{
    uint8_t m[64];
    ek_buf b;
    ek_err e;
    ek_profile lit = prof_of(EK_JI_RFC9032_LITERAL), ali = prof_of(EK_JI_BYTE_ALIGNED);
    uint8_t big[17] = { 0 };
    struct {
        ek_enroll_ie ie;
        const ek_profile *p;
        const char *field;
    } rows[] = {
        { { .proxy_prio = 0x80 }, &lit, "enroll.ji.proxy_priority" },
        { { .rank_prio = 0x1000 }, &lit, "enroll.ji.rank_priority" },
        { { .rank_prio = 0x100 }, &ali, "enroll.ji.rank_priority" },
        { { .reserved = 8 }, &lit, "enroll.ji.reserved" },
        { { .reserved = 0x80 }, &ali, "enroll.ji.reserved" },
        { { .network_id = { big, 17 } }, &lit, "enroll.ji.network_id" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ek_buf_init(&b, m, sizeof m);
        cr_assert_eq(ek_enroll_ie_encode(&rows[i].ie, rows[i].p, &b, &e), EK_ERR_MALFORMED, "row %zu", i);
        cr_assert_str_eq(e.field, rows[i].field, "row %zu", i);
        cr_assert_eq(b.len, 0, "nothing written");
    }
    /* rank 0xfff is fine in literal, 0xff in byte-aligned */
    ek_enroll_ie ok = { .rank_prio = 0xfff, .proxy_prio = 0x7f };
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_enroll_ie_encode(&ok, &lit, &b, &e), EK_OK);
}

Test(enroll_ie, encoder_reports_nospace)
{
    uint8_t m[3];
    ek_buf b;
    ek_err e;
    ek_enroll_ie ie = { .r = true };
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_enroll_ie_encode(&ie, NULL, &b, &e), EK_ERR_NOSPACE);
    cr_assert_str_eq(e.field, "enroll.ji.pan_priority");
    cr_assert_eq(e.offset, 3);
}

Test(enroll_ie, warnings_flag_reserved_bits_and_not_a_join_proxy)
{
    ek_enroll_ie ie = { 0 };
    cr_assert_eq(ek_enroll_ie_warnings(&ie), 0);
    ie.reserved = 1;
    cr_assert_eq(ek_enroll_ie_warnings(&ie), EK_ENROLL_IE_WARN_RESERVED);
    ie.proxy_prio = 0x7f;
    cr_assert_eq(ek_enroll_ie_warnings(&ie), EK_ENROLL_IE_WARN_RESERVED | EK_ENROLL_IE_WARN_NOT_JP);
}

static uint32_t xs(uint32_t *s)
{
    return ek_test_xorshift32(s);
}

Test(enroll_ie, randomized_round_trip_both_profiles)
{
    uint32_t seed = 0xC0FFEEu;
    uint8_t netid[16];
    for (int it = 0; it < 2000; it++) {
        ek_ji_profile jp = (it & 1) ? EK_JI_BYTE_ALIGNED : EK_JI_RFC9032_LITERAL;
        ek_profile p = prof_of(jp);
        ek_enroll_ie a = { 0 }, d;
        a.r = xs(&seed) & 1;
        a.p = xs(&seed) & 1;
        a.reserved = (uint8_t)(xs(&seed) & (jp == EK_JI_BYTE_ALIGNED ? 0x7f : 0x7));
        a.proxy_prio = (uint8_t)(xs(&seed) & 0x7f);
        a.rank_prio = (uint16_t)(xs(&seed) & (jp == EK_JI_BYTE_ALIGNED ? 0xff : 0xfff));
        a.pan_prio = (uint8_t)xs(&seed);
        if (a.p)
            for (int i = 0; i < 8; i++)
                a.jp_iid[i] = (uint8_t)xs(&seed);
        size_t n = xs(&seed) % 17;
        for (size_t i = 0; i < n; i++)
            netid[i] = (uint8_t)xs(&seed);
        a.network_id = ek_view_make(n ? netid : NULL, n);
        uint8_t m[32];
        ek_buf b;
        ek_buf_init(&b, m, sizeof m);
        cr_assert_eq(ek_enroll_ie_encode(&a, &p, &b, NULL), EK_OK);
        cr_assert_eq(b.len, ek_enroll_ie_encoded_len(&a, &p));
        cr_assert_eq(b.len + 1, 5 + 8 * a.p + n, "RFC 9032 length rule");
        cr_assert_eq(ek_enroll_ie_decode(ek_buf_view(&b), 0, &p, &d, NULL), EK_OK);
        cr_assert_eq(d.r, a.r);
        cr_assert_eq(d.p, a.p);
        cr_assert_eq(d.reserved, a.reserved);
        cr_assert_eq(d.proxy_prio, a.proxy_prio);
        cr_assert_eq(d.rank_prio, a.rank_prio);
        cr_assert_eq(d.pan_prio, a.pan_prio);
        cr_assert_arr_eq(d.jp_iid, a.jp_iid, 8);
        cr_assert_eq(d.network_id.len, n);
        if (n)
            cr_assert_arr_eq(d.network_id.p, netid, n);
        /* encode(decode(b)) == b */
        uint8_t m2[32];
        ek_buf b2;
        ek_buf_init(&b2, m2, sizeof m2);
        cr_assert_eq(ek_enroll_ie_encode(&d, &p, &b2, NULL), EK_OK);
        cr_assert_eq(b2.len, b.len);
        cr_assert_arr_eq(m2, m, b.len);
    }
}
