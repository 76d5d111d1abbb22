/* SPDX-License-Identifier: BSD-3-Clause */
/* IEEE 802.15.4 TAP header tests: TLV decode/encode, padding, defaults, raw and
 * wrong-length TLVs, Length > record, truncation sweep, seeded round trips. */
#include <criterion/criterion.h>
#include <string.h>

#include "ek/tap.h"
#include "ek_test_rng.h"

static uint32_t xs_state;
static uint32_t xs(void)
{
    return ek_test_xorshift32(&xs_state);
}

/* Header 32 octets: FCS type = 1 (CRC-16), channel 26 page 0, ASN 0x0102030405, LQI 200;
 * then 3 payload octets.  tshark: "IEEE 802.15.4 TAP", "FCS Type: ITU-T CRC16",
 * "Channel: 26, Page: 0", "ASN: 4328719365", "Link Quality Indicator: 200". */
static const uint8_t tap1[] = {
    0x00, 0x00, 0x28, 0x00,                         /* ver 0, res 0, len 40 */
    0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, /* FCS type = 1, pad 3 */
    0x03, 0x00, 0x03, 0x00, 0x1a, 0x00, 0x00, 0x00, /* channel 26, page 0, pad 1 */
    0x07, 0x00, 0x08, 0x00, 0x05, 0x04, 0x03, 0x02, 0x01, 0x00, 0x00, 0x00, /* ASN */
    0x0a, 0x00, 0x01, 0x00, 0xc8, 0x00, 0x00, 0x00, /* LQI 200, pad 3 */
    0xaa, 0xbb, 0xcc,
};

Test(tap, known_tlvs_decode_into_fields)
{
    ek_tap t;
    ek_err e;
    cr_assert_eq(ek_tap_decode(ek_view_make(tap1, sizeof tap1), 0, &t, &e), EK_OK);
    cr_assert_eq(t.hdr_len, 40);
    cr_assert(t.has_fcs_type);
    cr_assert_eq(t.fcs_type, EK_TAP_FCS_CRC16);
    cr_assert(t.has_channel);
    cr_assert_eq(t.channel, 26);
    cr_assert_eq(t.page, 0);
    cr_assert(t.has_asn);
    cr_assert_eq(t.asn, 0x0102030405ull);
    cr_assert(t.has_lqi);
    cr_assert_eq(t.lqi, 200);
    cr_assert_eq(t.n_raw, 0);
    cr_assert_eq(t.payload.len, 3);
    cr_assert_eq(t.payload_offset, 40);
}

Test(tap, canonical_header_reencodes_byte_exact)
{
    ek_tap t;
    ek_err e;
    cr_assert_eq(ek_tap_decode(ek_view_make(tap1, sizeof tap1), 0, &t, &e), EK_OK);
    uint8_t b[128];
    ek_buf w;
    ek_buf_init(&w, b, sizeof b);
    cr_assert_eq(ek_tap_encode(&t, &w, &e), EK_OK);
    cr_assert_eq(w.len, sizeof tap1);
    cr_assert_eq(ek_tap_encoded_len(&t), sizeof tap1);
    cr_assert_arr_eq(b, tap1, sizeof tap1);
}

Test(tap, empty_header_means_no_fcs)
{
    static const uint8_t b[] = { 0, 0, 4, 0, 0x41, 0x88 };
    ek_tap t;
    ek_err e;
    cr_assert_eq(ek_tap_decode(ek_view_make(b, sizeof b), 0, &t, &e), EK_OK);
    cr_assert_not(t.has_fcs_type);
    cr_assert_eq(t.payload.len, 2);
    cr_assert_eq(ek_tap_fcs_len(t.fcs_type), 0);
}

Test(tap, length_beyond_record_is_truncated_on_length_field)
{
    uint8_t b[sizeof tap1];
    memcpy(b, tap1, sizeof b);
    b[2] = 0x40; /* 64 > 43 octets */
    ek_tap t;
    ek_err e;
    cr_assert_eq(ek_tap_decode(ek_view_make(b, sizeof b), 0, &t, &e), EK_ERR_TRUNCATED);
    cr_assert_str_eq(e.field, "wpan-tap.length");
    cr_assert_eq(e.offset, 2);
    cr_assert_eq(e.need, 64);
    cr_assert_eq(e.have, sizeof b);
}

Test(tap, length_not_multiple_of_4_is_malformed)
{
    static const uint8_t b[] = { 0, 0, 6, 0, 0, 0, 0 };
    ek_tap t;
    ek_err e;
    cr_assert_eq(ek_tap_decode(ek_view_make(b, sizeof b), 0, &t, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "wpan-tap.length");
    cr_assert_eq(e.offset, 2);
}

Test(tap, version_1_is_unsupported)
{
    static const uint8_t b[] = { 1, 0, 4, 0 };
    ek_tap t;
    ek_err e;
    cr_assert_eq(ek_tap_decode(ek_view_make(b, sizeof b), 0, &t, &e), EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "wpan-tap.version");
    cr_assert_eq(e.offset, 0);
}

Test(tap, tlv_overrunning_header_is_truncated_at_value)
{
    /* Length 12 holds one TLV header + 4 octets, but the TLV claims 8. */
    static const uint8_t b[] = { 0, 0, 12, 0, 7, 0, 8, 0, 1, 2, 3, 4 };
    ek_tap t;
    ek_err e;
    cr_assert_eq(ek_tap_decode(ek_view_make(b, sizeof b), 0, &t, &e), EK_ERR_TRUNCATED);
    cr_assert_str_eq(e.field, "wpan-tap.tlv.value");
    cr_assert_eq(e.offset, 8);
}

Test(tap, wrong_length_known_tlv_is_kept_raw_with_its_error_and_list_goes_on)
{
    static const uint8_t b[] = {
        0, 0, 20, 0,
        10, 0, 2, 0, 0x11, 0x22, 0, 0,     /* LQI with length 2 (must be 1) */
        3, 0, 3, 0, 15, 0, 0, 0,           /* channel 15 */
        0x55,
    };
    ek_tap t;
    ek_err e;
    cr_assert_eq(ek_tap_decode(ek_view_make(b, sizeof b), 0, &t, &e), EK_OK);
    cr_assert_eq(t.n_raw, 1);
    cr_assert_eq(t.raw[0].type, 10);
    cr_assert_eq(t.raw[0].err.code, EK_ERR_MALFORMED);
    cr_assert_str_eq(t.raw[0].err.field, "wpan-tap.tlv.length");
    cr_assert_eq(t.raw[0].err.offset, 6);
    cr_assert_not(t.has_lqi);
    cr_assert(t.has_channel);
    cr_assert_eq(t.channel, 15);
    cr_assert_eq(t.payload.len, 1);
}

Test(tap, fcs_type_3_is_an_element_error_and_defaults_to_none)
{
    static const uint8_t b[] = { 0, 0, 12, 0, 0, 0, 1, 0, 3, 0, 0, 0 };
    ek_tap t;
    ek_err e;
    cr_assert_eq(ek_tap_decode(ek_view_make(b, sizeof b), 0, &t, &e), EK_OK);
    cr_assert_not(t.has_fcs_type);
    cr_assert_eq(t.n_raw, 1);
    cr_assert_str_eq(t.raw[0].err.field, "wpan-tap.fcs_type");
    cr_assert_eq(t.raw[0].err.offset, 8);
}

Test(tap, unknown_tlv_kept_raw_and_reencoded)
{
    static const uint8_t b[] = { 0, 0, 16, 0, 0x99, 0x00, 0x05, 0x00, 1, 2, 3, 4, 5, 0, 0, 0, 0xab };
    ek_tap t;
    ek_err e;
    cr_assert_eq(ek_tap_decode(ek_view_make(b, sizeof b), 0, &t, &e), EK_OK);
    cr_assert_eq(t.n_raw, 1);
    cr_assert_eq(t.raw[0].type, 0x99);
    cr_assert_eq(t.raw[0].err.code, EK_OK);
    cr_assert_eq(t.raw[0].value.len, 5);
    uint8_t o[64];
    ek_buf w;
    ek_buf_init(&w, o, sizeof o);
    cr_assert_eq(ek_tap_encode(&t, &w, &e), EK_OK);
    cr_assert_eq(w.len, sizeof b);
    cr_assert_arr_eq(o, b, sizeof b);
}

Test(tap, every_header_prefix_is_truncated)
{
    for (size_t n = 0; n < 40; n++) {
        ek_tap t;
        ek_err e;
        cr_assert_eq(ek_tap_decode(ek_view_make(tap1, n), 0, &t, &e), EK_ERR_TRUNCATED, "prefix %zu", n);
    }
}

Test(tap, random_round_trips_seed_7)
{
    xs_state = 7;
    uint8_t pl[64], b[256], b2[256];
    for (int it = 0; it < 1000; it++) {
        ek_tap t;
        memset(&t, 0, sizeof t);
        if ((t.has_fcs_type = xs() & 1)) t.fcs_type = (uint8_t)(xs() % 3);
        if ((t.has_rss = xs() & 1)) t.rss_dbm = -(float)(xs() % 100);
        if ((t.has_bit_rate = xs() & 1)) t.bit_rate = xs();
        if ((t.has_channel = xs() & 1)) { t.channel = (uint16_t)xs(); t.page = (uint8_t)xs(); }
        if ((t.has_sun_phy = xs() & 1)) { t.sun_band = (uint8_t)xs(); t.sun_type = (uint8_t)xs(); t.sun_mode = (uint8_t)xs(); }
        if ((t.has_sof_ns = xs() & 1)) t.sof_ns = (uint64_t)xs() << 20;
        if ((t.has_eof_ns = xs() & 1)) t.eof_ns = (uint64_t)xs() << 21;
        if ((t.has_asn = xs() & 1)) t.asn = ((uint64_t)xs() << 8) | (xs() & 0xff);
        if ((t.has_slot_start = xs() & 1)) t.slot_start_ns = xs();
        if ((t.has_timeslot_len = xs() & 1)) t.timeslot_us = xs();
        if ((t.has_lqi = xs() & 1)) t.lqi = (uint8_t)xs();
        if ((t.has_chan_freq = xs() & 1)) t.chan_freq_khz = 2405000.0f + (float)(xs() % 16) * 5000.0f;
        if ((t.has_chan_plan = xs() & 1)) { t.plan_ch0_khz = 902200.0f; t.plan_spacing_khz = 200.0f; t.plan_count = (uint16_t)xs(); }
        size_t n = xs() % sizeof pl;
        for (size_t i = 0; i < n; i++)
            pl[i] = (uint8_t)xs();
        t.payload = ek_view_make(pl, n);
        ek_buf w;
        ek_err e;
        ek_buf_init(&w, b, sizeof b);
        cr_assert_eq(ek_tap_encode(&t, &w, &e), EK_OK);
        cr_assert_eq(w.len, ek_tap_encoded_len(&t));
        ek_tap d;
        cr_assert_eq(ek_tap_decode(ek_buf_view(&w), 0, &d, &e), EK_OK, "iteration %d", it);
        cr_assert_eq(d.hdr_len, ek_tap_header_len(&t));
        cr_assert_eq(d.has_fcs_type, t.has_fcs_type);
        cr_assert_eq(d.fcs_type, t.fcs_type);
        cr_assert_eq(d.has_asn, t.has_asn);
        cr_assert_eq(d.asn, t.asn);
        cr_assert_eq(d.has_channel, t.has_channel);
        cr_assert_eq(d.channel, t.channel);
        cr_assert_eq(d.has_rss, t.has_rss);
        cr_assert(d.rss_dbm == t.rss_dbm);
        cr_assert_eq(d.plan_count, t.plan_count);
        cr_assert_eq(d.timeslot_us, t.timeslot_us);
        cr_assert_eq(d.n_raw, 0);
        cr_assert_eq(d.payload.len, n);
        ek_buf w2;
        ek_buf_init(&w2, b2, sizeof b2);
        cr_assert_eq(ek_tap_encode(&d, &w2, &e), EK_OK);
        cr_assert_eq(w2.len, w.len);
        cr_assert_arr_eq(b2, b, w.len);
    }
}
