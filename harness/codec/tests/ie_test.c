/* SPDX-License-Identifier: BSD-3-Clause */
/* IE lists: header IEs and terminators (IEEE 802.15.4-2015 §7.4.1-2), payload IEs
 * (§7.4.3), MLME/TSCH sub-IEs (§7.4.4), IETF IE (RFC 8137) with RFC 9032 Join-Info. */
#include <criterion/criterion.h>
#include <string.h>

#include "ek/consts.h"
#include "ek/ie.h"

static ek_profile prof(void)
{
    ek_profile p;
    ek_profile_default(&p);
    return p;
}

static ek_ie_list L; /* large: keep off the stack */

/* RFC 8180 minimal EB IE area + Join-Info.  tshark 4.0.17 (inside the EB of wpan_test):
 *   Header IE: Header Termination 1 IE
 *   Payload IE: MLME IE (len 26): TSCH Synchronization IE ASN 0xa1b2c3d4e5, Join Metric 1;
 *     TSCH Timeslot IE id 0; Channel Hopping IE seq id 0; Slotframe and Link IE 1 slotframe
 *     handle 0 size 101, 1 link ts 0 ch 0 options 0x0f
 *   Payload IE: IETF IE (len 13) Sub-ID 2, data 82 20 10 01 + 8 octets */
static const uint8_t eb_ies[] = {
    0x00, 0x3f,                                     /* HT1 */
    0x1a, 0x88,                                     /* MLME, len 26 */
    0x06, 0x1a, 0xe5, 0xd4, 0xc3, 0xb2, 0xa1, 0x01, /* TSCH sync */
    0x01, 0x1c, 0x00,                               /* TSCH timeslot id 0 */
    0x01, 0xc8, 0x00,                               /* channel hopping (long 0x9) id 0 */
    0x0a, 0x1b, 0x01, 0x00, 0x65, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x0f, /* slotframe+link */
    0x0d, 0xa8, 0x02, 0x82, 0x20, 0x10, 0x01,       /* IETF IE, Join-Info literal */
    0xde, 0xad, 0xbe, 0xef, 0x00, 0x11, 0x22, 0x33, /* network ID */
};

Test(ie, rfc8180_minimal_eb_ies_decode)
{
    ek_profile p = prof();
    size_t used;
    ek_err e;
    cr_assert_eq(ek_ie_decode(ek_view_make(eb_ies, sizeof eb_ies), 20, &p, false, &L, &used, &e), EK_OK);
    cr_assert_eq(used, sizeof eb_ies);
    cr_assert(L.ht1);
    cr_assert_not(L.pt);
    cr_assert_eq(L.n_hdr, 0);
    cr_assert_eq(L.n_pl, 2);
    cr_assert_eq(L.pl[0].group, EK_IE_GROUP_MLME);
    cr_assert_eq(L.pl[0].offset, 22);
    cr_assert_eq(L.pl[0].n_sub, 4);
    cr_assert_eq(L.n_sub, 4);
    const ek_ie_tsch_sync *s = ek_ie_find_sync(&L);
    cr_assert_not_null(s);
    cr_assert_eq(s->asn, 0xa1b2c3d4e5ull);
    cr_assert_eq(s->join_metric, 1);
    cr_assert_eq(L.sub[1].id, EK_MLME_TSCH_TIMESLOT);
    cr_assert_eq(L.sub[1].u.ts.id, 0);
    cr_assert_not(L.sub[1].u.ts.full);
    cr_assert(L.sub[2].is_long);
    cr_assert_eq(L.sub[2].id, EK_MLME_CHANNEL_HOPPING);
    cr_assert_eq(L.sub[2].u.hop.seq_id, 0);
    const ek_ie_sflink *sl = &L.sub[3].u.sfl;
    cr_assert_eq(sl->n_sf, 1);
    cr_assert_eq(sl->sf[0].size, 101);
    cr_assert_eq(sl->sf[0].n_links, 1);
    cr_assert_eq(sl->sf[0].links[0].options, 0x0f);
    cr_assert_eq(L.pl[1].group, EK_IE_GROUP_IETF);
    cr_assert_eq(L.pl[1].subtype, 2);
    const ek_enroll_ie *ji = ek_ie_find_ji(&L);
    cr_assert_not_null(ji);
    cr_assert_eq(ji->proxy_prio, 0x22);
    cr_assert_eq(ji->rank_prio, 0x010);
    cr_assert_eq(ji->network_id.len, 8);
    cr_assert_eq(ek_ie_list_status(&L, &e), EK_OK);
    /* encode(decode(b)) == b */
    uint8_t m[128];
    ek_buf b;
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_ie_encode(&L, false, false, &p, &b, &e), EK_OK);
    cr_assert_eq(b.len, sizeof eb_ies);
    cr_assert_eq(ek_ie_encoded_len(&L, false, false, &p), sizeof eb_ies);
    cr_assert_arr_eq(m, eb_ies, sizeof eb_ies);
}

/* Time Correction header IE 02 0f fb 8f: tshark 4.0.17 (inside wpan_test's enc_mpdu) shows
 * "Time Sync Info: 0x8ffb, Time Correction: -5µs, Nack: Negative Acknowledgement". */
Test(ie, ack_nack_time_correction_header_ie)
{
    static const uint8_t a[] = { 0x02, 0x0f, 0xfb, 0x8f };
    ek_profile p = prof();
    size_t used;
    cr_assert_eq(ek_ie_decode(ek_view_make(a, 4), 0, &p, false, &L, &used, NULL), EK_OK);
    cr_assert_eq(L.n_hdr, 1);
    cr_assert_eq(L.hdr[0].id, 0x1e);
    cr_assert(L.hdr[0].has_time_corr);
    cr_assert_eq(L.hdr[0].time_corr_us, -5);
    cr_assert(L.hdr[0].nack);
    uint8_t m[8];
    ek_buf b;
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_ie_encode(&L, false, false, &p, &b, NULL), EK_OK);
    cr_assert_eq(b.len, 4);
    cr_assert_arr_eq(m, a, 4);
    L.hdr[0].time_corr_us = 2048;
    ek_err e;
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_ie_encode(&L, false, false, &p, &b, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "wpan.header_ie.time_sync");
}

Test(ie, unknown_header_ie_group_and_sub_ie_are_kept_raw)
{
    static const uint8_t a[] = {
        0x02, 0x0d, 0xaa, 0xbb,            /* header IE id 0x1a (CSL), len 2 */
        0x00, 0x3f,                        /* HT1 */
        0x01, 0xb0, 0x77,                  /* payload IE group 0x6 (reserved), len 1 */
        0x04, 0x88, 0x02, 0x44, 0x01, 0x02, /* MLME len 4: short sub-IE 0x44 len 2 */
        0x00, 0xf8,                        /* PT */
        0x99,                              /* payload */
    };
    ek_profile p = prof();
    size_t used;
    cr_assert_eq(ek_ie_decode(ek_view_make(a, sizeof a), 0, &p, false, &L, &used, NULL), EK_OK);
    cr_assert_eq(used, sizeof a - 1);
    cr_assert_eq(L.n_hdr, 1);
    cr_assert_eq(L.hdr[0].id, 0x1a);
    cr_assert_eq(L.hdr[0].content.len, 2);
    cr_assert_eq(L.n_pl, 2);
    cr_assert_eq(L.pl[0].group, 0x6);
    cr_assert_eq(L.pl[0].content.p, a + 8);
    cr_assert_eq(L.sub[0].id, 0x44);
    cr_assert_not(L.sub[0].decoded);
    cr_assert_eq(L.sub[0].offset, 11);
    cr_assert(L.pt);
    uint8_t m[64];
    ek_buf b;
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_ie_encode(&L, true, false, &p, &b, NULL), EK_OK);
    cr_assert_eq(b.len, sizeof a - 1);
    cr_assert_arr_eq(m, a, sizeof a - 1);
}

Test(ie, all_ietf_ies_are_iterated_and_other_subtypes_kept_raw)
{
    static const uint8_t a[] = {
        0x00, 0x3f,
        0x03, 0xa8, 0x01, 0x10, 0x20,             /* IETF subtype 1 (6P) raw */
        0x02, 0xa8, 0xc9, 0x33,                   /* IETF subtype 0xC9 (6top draft) raw */
        0x05, 0xa8, 0x02, 0x80, 0x22, 0x10, 0x01, /* Join-Info */
        0x02, 0xa8, 0x77, 0x00,                   /* unknown subtype 0x77 */
    };
    ek_profile p = prof();
    size_t used;
    cr_assert_eq(ek_ie_decode(ek_view_make(a, sizeof a), 0, &p, false, &L, &used, NULL), EK_OK);
    cr_assert_eq(L.n_pl, 4);
    cr_assert_eq(L.pl[0].subtype, EK_IETF_SUBTYPE_6P);
    cr_assert_not(L.pl[0].has_ji);
    cr_assert_eq(L.pl[0].sub_content.len, 2);
    cr_assert_eq(L.pl[1].subtype, EK_IETF_SUBTYPE_6TOP_DRAFT);
    cr_assert(L.pl[2].has_ji);
    cr_assert_eq(L.pl[2].ji.proxy_prio, 0x02); /* literal profile: 80 22 -> proxy 0x02, rank 0x210 */
    cr_assert_eq(L.pl[2].ji.rank_prio, 0x210);
    cr_assert_eq(L.pl[3].subtype, 0x77);
    /* another profile: byte-aligned and a moved subtype */
    p.ji = EK_JI_BYTE_ALIGNED;
    cr_assert_eq(ek_ie_decode(ek_view_make(a, sizeof a), 0, &p, false, &L, &used, NULL), EK_OK);
    cr_assert_eq(L.pl[2].ji.proxy_prio, 0x22);
    cr_assert_eq(L.pl[2].ji.rank_prio, 0x10);
    p.ji_subtype = 0x77;
    cr_assert_eq(ek_ie_decode(ek_view_make(a, sizeof a), 0, &p, false, &L, &used, NULL), EK_OK);
    cr_assert_not(L.pl[2].has_ji);
    cr_assert_not(L.pl[3].has_ji); /* 1 content octet: too short -> error on that IE */
    cr_assert_eq(L.pl[3].err.code, EK_ERR_TRUNCATED);
    cr_assert_str_eq(L.pl[3].err.field, "enroll.ji.octets");
    cr_assert_eq(L.pl[3].err.offset, 21);
}

Test(ie, bad_join_info_stays_on_its_ie_and_the_list_goes_on)
{
    uint8_t a[64] = { 0x00, 0x3f, 0x16, 0xa8, 0x02, 0x80, 0x00, 0x00, 0x01 }; /* len 22: netid 17 */
    size_t n = 2 + 2 + 22;
    a[n++] = 0x06; a[n++] = 0x88; a[n++] = 0x04; a[n++] = 0x1a; /* MLME: sync sub-IE len 4 (short) */
    for (int i = 0; i < 4; i++)
        a[n++] = 0;
    ek_profile p = prof();
    size_t used;
    ek_err e;
    cr_assert_eq(ek_ie_decode(ek_view_make(a, n), 10, &p, false, &L, &used, NULL), EK_OK);
    cr_assert_eq(L.n_pl, 2);
    cr_assert_eq(L.pl[0].err.code, EK_ERR_MALFORMED);
    cr_assert_str_eq(L.pl[0].err.field, "enroll.ji.network_id");
    cr_assert_eq(L.pl[0].err.offset, 10 + 4 + 1 + 4 + 16);
    cr_assert_eq(L.n_sub, 1);
    cr_assert_eq(L.sub[0].err.code, EK_ERR_TRUNCATED);
    cr_assert_str_eq(L.sub[0].err.field, "wpan.tsch.asn");
    cr_assert_eq(L.sub[0].err.offset, 10 + 26 + 4);
    cr_assert_eq(ek_ie_list_status(&L, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "enroll.ji.network_id");
}

/* tshark 4.0.17 on an EB without HT1: "Unsupported Header IE ... [Expert Info
 * (Warning/Malformed): Payload IE in header]" (see wpan_test).
 * Decision: flag it (payload_ie_in_header + list err MALFORMED "wpan.header_ie.type" at the
 * descriptor) and still decode the IEs as payload IEs, since that is what the sender meant. */
Test(ie, payload_ie_without_ht1_is_flagged_and_still_decoded)
{
    static const uint8_t a[] = { 0x08, 0x88, 0x06, 0x1a, 0x05, 0, 0, 0, 0, 0x02 };
    ek_profile p = prof();
    size_t used;
    ek_err e;
    cr_assert_eq(ek_ie_decode(ek_view_make(a, sizeof a), 30, &p, false, &L, &used, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "wpan.header_ie.type");
    cr_assert_eq(e.offset, 30);
    cr_assert(L.payload_ie_in_header);
    cr_assert_not(L.ht1);
    cr_assert_eq(L.n_pl, 1);
    cr_assert_eq(ek_ie_find_sync(&L)->asn, 5);
    cr_assert_eq(ek_ie_find_sync(&L)->join_metric, 2);
    cr_assert_eq(used, sizeof a);
    /* the encoder repairs it: HT1 comes first */
    uint8_t m[32];
    ek_buf b;
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_ie_encode(&L, false, false, &p, &b, NULL), EK_OK);
    cr_assert_eq(m[0], 0x00);
    cr_assert_eq(m[1], 0x3f);
    cr_assert_arr_eq(m + 2, a, sizeof a);
}

Test(ie, header_ie_length_overrun_is_truncated_on_the_element)
{
    static const uint8_t a[] = { 0x02, 0x0d, 0xaa, 0xbb, 0x05, 0x0d };
    ek_profile p = prof();
    size_t used;
    ek_err e;
    cr_assert_eq(ek_ie_decode(ek_view_make(a, sizeof a), 9, &p, false, &L, &used, &e), EK_ERR_TRUNCATED);
    cr_assert_eq(L.n_hdr, 2);
    cr_assert_eq(L.hdr[0].err.code, EK_OK);
    cr_assert_eq(L.hdr[1].err.code, EK_ERR_TRUNCATED);
    cr_assert_str_eq(L.hdr[1].err.field, "wpan.header_ie.length");
    cr_assert_eq(L.hdr[1].err.offset, 9 + 4 + 2);
    cr_assert_eq(L.hdr[1].err.need, 5);
    cr_assert_eq(L.hdr[1].err.have, 0);
    cr_assert_eq(used, sizeof a);
}

Test(ie, payload_ie_overrun_and_lone_descriptor_octet)
{
    static const uint8_t a[] = { 0x00, 0x3f, 0x09, 0xa8, 0x02, 0x80 };
    ek_profile p = prof();
    size_t used;
    ek_err e;
    cr_assert_eq(ek_ie_decode(ek_view_make(a, sizeof a), 0, &p, false, &L, &used, &e), EK_ERR_TRUNCATED);
    cr_assert_str_eq(e.field, "wpan.payload_ie.length");
    cr_assert_eq(e.offset, 4);
    static const uint8_t c[] = { 0x00, 0x3f, 0x09 };
    cr_assert_eq(ek_ie_decode(ek_view_make(c, sizeof c), 0, &p, false, &L, &used, &e), EK_ERR_TRUNCATED);
    cr_assert_str_eq(e.field, "wpan.payload_ie");
    cr_assert_eq(e.offset, 2);
}

Test(ie, header_ie_after_ht1_is_malformed)
{
    static const uint8_t a[] = { 0x00, 0x3f, 0x00, 0x0d };
    ek_profile p = prof();
    size_t used;
    ek_err e;
    cr_assert_eq(ek_ie_decode(ek_view_make(a, sizeof a), 0, &p, false, &L, &used, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "wpan.payload_ie.type");
    cr_assert_eq(e.offset, 2);
}

Test(ie, empty_ietf_ie_has_no_subtype)
{
    static const uint8_t a[] = { 0x00, 0x3f, 0x00, 0xa8 };
    ek_profile p = prof();
    size_t used;
    cr_assert_eq(ek_ie_decode(ek_view_make(a, sizeof a), 0, &p, false, &L, &used, NULL), EK_OK);
    cr_assert_eq(L.pl[0].err.code, EK_ERR_TRUNCATED);
    cr_assert_str_eq(L.pl[0].err.field, "wpan.ietf_ie.sub_id");
    cr_assert_eq(L.pl[0].err.offset, 4);
}

Test(ie, capacity_overflow_counts_dropped_elements)
{
    uint8_t a[2 * 20 + 2 + 3 * 20];
    size_t n = 0;
    for (int i = 0; i < 20; i++) {
        a[n++] = 0x00;
        a[n++] = 0x10; /* header IE id 0x20, len 0 */
    }
    a[n++] = 0x00;
    a[n++] = 0x3f;
    for (int i = 0; i < 20; i++) {
        a[n++] = 0x01;
        a[n++] = 0xa8;
        a[n++] = 0x01; /* IETF 6P */
    }
    ek_profile p = prof();
    size_t used;
    cr_assert_eq(ek_ie_decode(ek_view_make(a, n), 0, &p, false, &L, &used, NULL), EK_OK);
    cr_assert_eq(L.n_hdr, EK_IE_MAX_HDR);
    cr_assert_eq(L.hdr_dropped, 4);
    cr_assert_eq(L.n_pl, EK_IE_MAX_PAYLOAD);
    cr_assert_eq(L.pl_dropped, 4);
    cr_assert_eq(used, n);
}

Test(ie, slotframe_overflow_counts_and_reencodes_raw)
{
    uint8_t a[4 + 2 + 1 + 6 * 4 + 10 * 5];
    size_t n = 0;
    a[n++] = 0x00; a[n++] = 0x3f;
    size_t mlme = n;
    n += 2;
    size_t sub = n;
    n += 2;
    a[n++] = 6; /* 6 slotframes, the first with 10 links */
    for (int s = 0; s < 6; s++) {
        a[n++] = (uint8_t)s;
        a[n++] = 7; a[n++] = 0;
        int nl = s == 0 ? 10 : 0;
        a[n++] = (uint8_t)nl;
        for (int l = 0; l < nl; l++) {
            a[n++] = (uint8_t)l; a[n++] = 0; a[n++] = 1; a[n++] = 0; a[n++] = 0x01;
        }
    }
    size_t sl = n - sub - 2;
    a[sub] = (uint8_t)sl;
    a[sub + 1] = 0x1b;
    a[mlme] = (uint8_t)(sl + 2);
    a[mlme + 1] = 0x88;
    ek_profile p = prof();
    size_t used;
    cr_assert_eq(ek_ie_decode(ek_view_make(a, n), 0, &p, false, &L, &used, NULL), EK_OK);
    const ek_ie_sflink *s = &L.sub[0].u.sfl;
    cr_assert(L.sub[0].decoded);
    cr_assert_eq(s->n_sf, EK_IE_MAX_SLOTFRAMES);
    cr_assert_eq(s->sf_dropped, 2);
    cr_assert_eq(s->sf[0].n_links, EK_IE_MAX_LINKS);
    cr_assert_eq(s->sf[0].links_dropped, 2);
    cr_assert_eq(s->sf[0].links[7].timeslot, 7);
    uint8_t m[128];
    ek_buf b;
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_ie_encode(&L, false, false, &p, &b, NULL), EK_OK);
    cr_assert_eq(b.len, n);
    cr_assert_arr_eq(m, a, n);
}

/* §7.4.4.4: full timeslot template, 25 (2-octet max_tx/length) and 27 octets (3-octet). */
Test(ie, timeslot_template_25_and_27_octets)
{
    for (int wide = 0; wide < 2; wide++) {
        ek_ie_list_init(&L);
        ek_ie_add_payload(&L, EK_IE_GROUP_MLME);
        ek_ie_sub *s = ek_ie_add_sub(&L, false, EK_MLME_TSCH_TIMESLOT);
        cr_assert_not_null(s);
        s->u.ts = (ek_ie_tsch_timeslot){ .id = 1, .full = true, .wide = wide, .cca_offset = 1800, .cca = 128,
                                         .tx_offset = 2120, .rx_offset = 1020, .rx_ack_delay = 800,
                                         .tx_ack_delay = 1000, .rx_wait = 2200, .ack_wait = 400,
                                         .rx_tx = 192, .max_ack = 2400, .max_tx = wide ? 0x10000 : 4256,
                                         .length = wide ? 0x20000 : 10000 };
        ek_profile p = prof();
        uint8_t m[64];
        ek_buf b;
        ek_buf_init(&b, m, sizeof m);
        cr_assert_eq(ek_ie_encode(&L, false, false, &p, &b, NULL), EK_OK);
        cr_assert_eq(b.len, 2 + 2 + 2 + (wide ? 27u : 25u));
        static ek_ie_list D;
        size_t used;
        cr_assert_eq(ek_ie_decode(ek_buf_view(&b), 0, &p, false, &D, &used, NULL), EK_OK);
        cr_assert(D.sub[0].decoded);
        cr_assert(D.sub[0].u.ts.full);
        cr_assert_eq(D.sub[0].u.ts.wide, wide);
        cr_assert_eq(D.sub[0].u.ts.rx_wait, 2200);
        cr_assert_eq(D.sub[0].u.ts.length, wide ? 0x20000u : 10000u);
    }
}

Test(ie, timeslot_of_odd_length_is_malformed_on_the_sub_ie)
{
    static const uint8_t a[] = { 0x00, 0x3f, 0x05, 0x88, 0x03, 0x1c, 0x01, 0x02, 0x03 };
    ek_profile p = prof();
    size_t used;
    cr_assert_eq(ek_ie_decode(ek_view_make(a, sizeof a), 0, &p, false, &L, &used, NULL), EK_OK);
    cr_assert_eq(L.sub[0].err.code, EK_ERR_MALFORMED);
    cr_assert_str_eq(L.sub[0].err.field, "wpan.tsch.timeslot.length");
    cr_assert_eq(L.sub[0].err.offset, 7);
    cr_assert_not(L.sub[0].decoded);
}

/* Termination table (IEEE 802.15.4-2015 §7.4.1 Table 7-6): rows =
 * (header IEs, payload IEs, data payload) -> terminators written. */
Test(ie, termination_rules_table)
{
    static const struct {
        int row;
        bool hdr, pl, payload;
        bool ht1, ht2, pt;
    } rows[] = {
        { 1, true, false, false, false, false, false },
        { 2, true, false, true, false, true, false },
        { 3, false, true, false, true, false, false },
        { 3, true, true, false, true, false, false },
        { 4, false, true, true, true, false, true },
        { 4, true, true, true, true, false, true },
    };
    ek_profile p = prof();
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ek_ie_list_init(&L);
        if (rows[i].hdr)
            ek_ie_add_hdr(&L, 0x20);
        if (rows[i].pl) {
            ek_ie_payload *pl = ek_ie_add_payload(&L, EK_IE_GROUP_IETF);
            pl->has_subtype = true;
            pl->subtype = 1;
        }
        uint8_t m[32];
        ek_buf b;
        ek_buf_init(&b, m, sizeof m);
        cr_assert_eq(ek_ie_encode(&L, rows[i].payload, false, &p, &b, NULL), EK_OK);
        cr_assert_eq(b.len, ek_ie_encoded_len(&L, rows[i].payload, false, &p));
        static ek_ie_list D;
        size_t used;
        cr_assert_eq(ek_ie_decode(ek_buf_view(&b), 0, &p, false, &D, &used, NULL), EK_OK, "row %d", rows[i].row);
        cr_assert_eq(D.ht1, rows[i].ht1, "row %d", rows[i].row);
        cr_assert_eq(D.ht2, rows[i].ht2, "row %d", rows[i].row);
        cr_assert_eq(D.pt, rows[i].pt, "row %d", rows[i].row);
        cr_assert_eq(used, b.len);
    }
}

Test(ie, encoder_rejects_terminators_in_the_list_and_oversized_header_ie)
{
    ek_profile p = prof();
    uint8_t big[200] = { 0 }, m[300];
    ek_buf b;
    ek_err e;
    ek_ie_list_init(&L);
    ek_ie_add_hdr(&L, EK_HIE_HT1);
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_ie_encode(&L, false, false, &p, &b, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "wpan.header_ie.id");
    ek_ie_list_init(&L);
    ek_ie_add_hdr(&L, 0x20)->content = ek_view_make(big, 128);
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_ie_encode(&L, false, false, &p, &b, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "wpan.header_ie.length");
    ek_ie_list_init(&L);
    ek_ie_add_payload(&L, EK_IE_GROUP_IETF);
    ek_buf_init(&b, m, sizeof m);
    cr_assert_eq(ek_ie_encode(&L, false, false, &p, &b, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "wpan.ietf_ie.sub_id");
    cr_assert_null(ek_ie_add_sub(&L, false, 0x1a)); /* last payload IE is not MLME */
}

Test(ie, opaque_payload_stops_after_ht1)
{
    ek_profile p = prof();
    size_t used;
    cr_assert_eq(ek_ie_decode(ek_view_make(eb_ies, sizeof eb_ies), 0, &p, true, &L, &used, NULL), EK_OK);
    cr_assert_eq(used, 2);
    cr_assert(L.ht1);
    cr_assert_eq(L.n_pl, 0);
}

Test(ie, prefix_sweep_never_crashes_and_flags_cut_elements)
{
    ek_profile p = prof();
    for (size_t n = 0; n <= sizeof eb_ies; n++) {
        size_t used;
        ek_err e;
        ek_status st = ek_ie_decode(ek_view_make(eb_ies, n), 0, &p, false, &L, &used, &e);
        cr_assert_leq(used, n);
        ek_status any = ek_ie_list_status(&L, &e);
        /* boundaries: 0 (empty), 2 (after HT1), 30 (after MLME IE), full */
        if (n == 0 || n == 2 || n == 30 || n == sizeof eb_ies)
            cr_assert_eq(any, EK_OK, "n=%zu", n);
        else
            cr_assert_neq(any, EK_OK, "n=%zu", n);
        cr_assert(st == EK_OK || st == EK_ERR_TRUNCATED, "n=%zu", n);
    }
}

/* ---- review pass ---- */

/* An MLME payload IE whose sub-IE range leaves sub[0..n_sub) used to be encoded from
 * whatever followed in memory (sub[] read past n_sub, even past EK_IE_MAX_SUB). */
Test(ie, encoder_rejects_mlme_sub_range_outside_the_list)
{
    static ek_ie_list l;
    ek_profile p = prof();
    ek_ie_list_init(&l);
    ek_ie_payload *pl = ek_ie_add_payload(&l, EK_IE_GROUP_MLME);
    cr_assert_not_null(ek_ie_add_sub(&l, false, EK_MLME_TSCH_SYNC));
    pl->n_sub = 3; /* claims 3 sub-IEs, the list holds 1 */
    uint8_t out[256];
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, out, sizeof out);
    cr_assert_eq(ek_ie_encode(&l, false, false, &p, &b, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "wpan.mlme_sub_ie");
    cr_assert_eq(e.offset, 2, "after the HT1 descriptor");
}

/* ek_ie_list_clear empties the list without touching the element arrays. */
Test(ie, list_clear_resets_counters_flags_and_error_only)
{
    static ek_ie_list l;
    memset(&l, 0xA5, sizeof l);
    ek_ie_list_clear(&l);
    cr_assert(l.n_hdr == 0 && l.n_pl == 0 && l.n_sub == 0);
    cr_assert(l.hdr_dropped == 0 && l.pl_dropped == 0 && l.sub_dropped == 0);
    cr_assert(!l.ht1 && !l.ht2 && !l.pt && !l.pl_opaque && !l.payload_ie_in_header);
    cr_assert(l.err.code == EK_OK && l.err.field == NULL);
    cr_assert_eq(l.hdr[0].id, 0xA5, "elements are left alone");
    cr_assert_eq(ek_ie_list_status(&l, NULL), EK_OK);
}

/* MPX IE (payload group 0x3; IEEE 802.15.9 Transaction Control as Wireshark's
 * packet-ieee802154.c decodes it).  tshark on these frames: transfer type 0 with
 * Multiplex ID 0x1234; type 1 with the compressed Multiplex ID 0x03; type 2 fragment 0
 * with total frame size 300 and Multiplex ID 0x1234; type 4 fragment 5; type 6 with
 * total frame size 300; a short type 0 is Malformed. */
Test(ie, mpx_ie_transaction_control_and_the_fields_it_selects)
{
    ek_profile p = prof();
    size_t used;
    /* HT1 | MPX type 0 TID 1 | MPX type 1 mux 3 | MPX type 2 frag 0 | type 4 | type 6 */
    const uint8_t a[] = { 0x00, 0x3f,
                          0x05, 0x98, 0x08, 0x34, 0x12, 0xaa, 0xbb,
                          0x03, 0x98, 0x19, 0xcc, 0xdd,
                          0x07, 0x98, 0x12, 0x00, 0x2c, 0x01, 0x34, 0x12, 0xee,
                          0x03, 0x98, 0x24, 0x05, 0xab,
                          0x03, 0x98, 0x0e, 0x2c, 0x01 };
    cr_assert_eq(ek_ie_decode(ek_view_make(a, sizeof a), 10, &p, false, &L, &used, NULL), EK_OK);
    cr_assert_eq(L.n_pl, 5);
    for (unsigned i = 0; i < 5; i++) {
        cr_assert_eq(L.pl[i].group, EK_IE_GROUP_MPX);
        cr_assert(L.pl[i].has_mpx, "IE %u", i);
        cr_assert_eq(L.pl[i].err.code, EK_OK, "IE %u", i);
    }
    const ek_ie_mpx *m = &L.pl[0].mpx;
    cr_assert_eq(m->transfer_type, EK_MPX_FULL);
    cr_assert_eq(m->transaction_id, 1);
    cr_assert(m->has_multiplex_id && m->multiplex_id == 0x1234);
    cr_assert_eq(m->data.len, 2);
    m = &L.pl[1].mpx;
    cr_assert_eq(m->transfer_type, EK_MPX_FULL_COMPRESSED);
    cr_assert(m->has_multiplex_id && m->multiplex_id == 3);
    cr_assert_eq(m->data.len, 2);
    m = &L.pl[2].mpx;
    cr_assert_eq(m->transfer_type, EK_MPX_FRAGMENT);
    cr_assert_eq(m->transaction_id, 2);
    cr_assert(m->has_fragment_number && m->fragment_number == 0);
    cr_assert(m->has_total_size && m->total_size == 300);
    cr_assert(m->has_multiplex_id && m->multiplex_id == 0x1234);
    cr_assert_eq(m->data.len, 1);
    m = &L.pl[3].mpx;
    cr_assert_eq(m->transfer_type, EK_MPX_LAST_FRAGMENT);
    cr_assert(m->has_fragment_number && m->fragment_number == 5);
    cr_assert(!m->has_total_size && !m->has_multiplex_id);
    m = &L.pl[4].mpx;
    cr_assert_eq(m->transfer_type, EK_MPX_ABORT);
    cr_assert(m->has_total_size && m->total_size == 300);
}

/* A field the transfer type announces but the IE does not hold: TRUNCATED on the
 * element, naming the field and its offset; the list goes on. */
Test(ie, mpx_ie_short_fields_are_truncated_on_the_element)
{
    ek_profile p = prof();
    size_t used;
    const uint8_t a[] = { 0x00, 0x3f, 0x02, 0x98, 0x08, 0x34,    /* type 0, 1 of 2 mux octets */
                          0x01, 0x98, 0x12,                      /* type 2, no fragment number */
                          0x03, 0x98, 0x12, 0x00, 0x2c,          /* fragment 0, 1 of 2 size octets */
                          0x01, 0x98, 0x0b };                    /* reserved type 3: not an error */
    cr_assert_eq(ek_ie_decode(ek_view_make(a, sizeof a), 10, &p, false, &L, &used, NULL), EK_OK);
    cr_assert_eq(L.n_pl, 4);
    cr_assert_eq(L.pl[0].err.code, EK_ERR_TRUNCATED);
    cr_assert_str_eq(L.pl[0].err.field, "wpan.mpx.multiplex_id");
    cr_assert_eq(L.pl[0].err.offset, 15);
    cr_assert_eq(L.pl[1].err.code, EK_ERR_TRUNCATED);
    cr_assert_str_eq(L.pl[1].err.field, "wpan.mpx.fragment_number");
    cr_assert_eq(L.pl[1].err.offset, 19);
    cr_assert_eq(L.pl[2].err.code, EK_ERR_TRUNCATED);
    cr_assert_str_eq(L.pl[2].err.field, "wpan.mpx.total_frame_size");
    cr_assert_eq(L.pl[2].err.offset, 23);
    cr_assert_eq(L.pl[3].err.code, EK_OK);
    cr_assert(L.pl[3].has_mpx);
    cr_assert_eq(L.pl[3].mpx.transfer_type, 3);
    for (size_t n = 0; n <= sizeof a; n++) { /* every prefix stays inside the input */
        ek_status st = ek_ie_decode(ek_view_make(a, n), 0, &p, false, &L, &used, NULL);
        cr_assert(st == EK_OK || st == EK_ERR_TRUNCATED, "prefix %zu", n);
        cr_assert_leq(used, n);
    }
}
