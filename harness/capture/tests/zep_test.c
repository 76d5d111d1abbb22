/* SPDX-License-Identifier: BSD-3-Clause */
/* ZEP codec tests: v1/v2/v3 Data, v2/v3 Ack round trips, RIOT-style header, malformed
 * preamble/version/type/length, truncation sweep, seeded random round trips. */
#include <criterion/criterion.h>
#include <string.h>

#include "ek/zep.h"
#include "ek_test_rng.h"

static uint32_t xs_state;
static uint32_t xs(void)
{
    return ek_test_xorshift32(&xs_state);
}

/* RIOT socket_zep header + 4-octet PSDU (MPDU 2 + FCS 2).
 * tshark: "ZigBee Encapsulation Protocol, Channel: 26, Length: 4", Protocol Version 2,
 * Type 1, Device ID 0x7580, LQI/CRC Mode: CRC, Sequence 0. */
static const uint8_t riot_v2[] = {
    0x45, 0x58, 0x02, 0x01, 0x1a, 0x75, 0x80, 0x01, 0xff, 0xee, 0xae, 0x7d, 0x75, 0x00, 0xa1, 0x5f,
    0xd5, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04,
    0x02, 0x00, 0xaa, 0xbb,
};

/* v1: 'EX' 1 | ch 11 | dev 0x1234 | mode 0 (LQI) | lqi 0x80 | res(7) | len 3 */
static const uint8_t v1[] = {
    0x45, 0x58, 0x01, 0x0b, 0x12, 0x34, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x03, 0x02, 0x50, 0x9f,
};

static const uint8_t ack[] = { 0x45, 0x58, 0x02, 0x02, 0x00, 0x00, 0x01, 0x02 };

Test(zep, v2_data_riot_header_decodes_every_field)
{
    ek_zep z;
    ek_err e;
    cr_assert_eq(ek_zep_decode(ek_view_make(riot_v2, sizeof riot_v2), 100, &z, &e), EK_OK);
    cr_assert_eq(z.version, 2);
    cr_assert_eq(z.type, EK_ZEP_TYPE_DATA);
    cr_assert_eq(z.channel, 26);
    cr_assert_eq(z.device_id, 0x7580);
    cr_assert_eq(z.mode, EK_ZEP_MODE_CRC);
    cr_assert_eq(z.lqi, 0xff);
    cr_assert_eq(z.ntp_sec, 0xeeae7d75u);
    cr_assert_eq(z.ntp_frac, 0x00a15fd5u);
    cr_assert_eq(z.seq, 0);
    cr_assert_eq(z.length, 4);
    cr_assert_eq(z.psdu.len, 4);
    cr_assert_eq(z.psdu_offset, 132);
    cr_assert_eq(z.psdu.p, riot_v2 + 32);
}

Test(zep, v1_decodes_and_reencodes_byte_exact)
{
    ek_zep z;
    ek_err e;
    cr_assert_eq(ek_zep_decode(ek_view_make(v1, sizeof v1), 0, &z, &e), EK_OK);
    cr_assert_eq(z.version, 1);
    cr_assert_eq(z.channel, 11);
    cr_assert_eq(z.device_id, 0x1234);
    cr_assert_eq(z.mode, EK_ZEP_MODE_LQI);
    cr_assert_eq(z.lqi, 0x80);
    cr_assert_eq(z.psdu.len, 3);
    uint8_t b[64];
    ek_buf w;
    ek_buf_init(&w, b, sizeof b);
    cr_assert_eq(ek_zep_encode(&z, &w, &e), EK_OK);
    cr_assert_eq(w.len, sizeof v1);
    cr_assert_eq(ek_zep_encoded_len(&z), sizeof v1);
    cr_assert_arr_eq(b, v1, sizeof v1);
}

Test(zep, v2_ack_round_trip_has_sequence_only)
{
    ek_zep z;
    ek_err e;
    cr_assert_eq(ek_zep_decode(ek_view_make(ack, sizeof ack), 0, &z, &e), EK_OK);
    cr_assert_eq(z.type, EK_ZEP_TYPE_ACK);
    cr_assert_eq(z.seq, 0x102);
    uint8_t b[16];
    ek_buf w;
    ek_buf_init(&w, b, sizeof b);
    cr_assert_eq(ek_zep_encode(&z, &w, &e), EK_OK);
    cr_assert_eq(w.len, sizeof ack);
    cr_assert_arr_eq(b, ack, sizeof ack);
}

Test(zep, riot_header_reencodes_byte_exact)
{
    ek_zep z;
    ek_err e;
    cr_assert_eq(ek_zep_decode(ek_view_make(riot_v2, sizeof riot_v2), 0, &z, &e), EK_OK);
    uint8_t b[64];
    ek_buf w;
    ek_buf_init(&w, b, sizeof b);
    cr_assert_eq(ek_zep_encode(&z, &w, &e), EK_OK);
    cr_assert_eq(w.len, sizeof riot_v2);
    cr_assert_arr_eq(b, riot_v2, sizeof riot_v2);
}

Test(zep, init_data_builds_what_riot_accepts)
{
    static const uint8_t psdu[] = { 0x02, 0x00, 0x11, 0x22 };
    ek_zep z;
    ek_zep_init_data(&z, 26, ek_view_make(psdu, sizeof psdu));
    uint8_t b[64];
    ek_buf w;
    ek_err e;
    ek_buf_init(&w, b, sizeof b);
    cr_assert_eq(ek_zep_encode(&z, &w, &e), EK_OK);
    /* What RIOT socket_zep accepts: >= 32 octets, "EX", v2, type 1, channel, len == 32 + Length */
    cr_assert_eq(w.len, 32 + sizeof psdu);
    cr_assert_eq(b[0], 'E');
    cr_assert_eq(b[1], 'X');
    cr_assert_eq(b[2], 2);
    cr_assert_eq(b[3], 1);
    cr_assert_eq(b[4], 26);
    cr_assert_eq(b[7], EK_ZEP_MODE_CRC);
    cr_assert_eq(b[8], 0xff);
    cr_assert_eq(b[31], sizeof psdu);
}

Test(zep, bad_preamble_is_malformed_at_0)
{
    uint8_t b[sizeof riot_v2];
    memcpy(b, riot_v2, sizeof b);
    b[1] = 'Y';
    ek_zep z;
    ek_err e;
    cr_assert_eq(ek_zep_decode(ek_view_make(b, sizeof b), 42, &z, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "zep.preamble");
    cr_assert_eq(e.offset, 42);
}

/* Wireshark packet-zep.c decodes version 3 with the v2 layout: tshark shows
 * "Protocol Version: 3", Type Data, Channel 26, Device ID 30080, Sequence 0. */
Test(zep, version_3_data_has_the_v2_layout)
{
    uint8_t b[sizeof riot_v2];
    memcpy(b, riot_v2, sizeof b);
    b[2] = 3;
    ek_zep z;
    ek_err e;
    cr_assert_eq(ek_zep_decode(ek_view_make(b, sizeof b), 10, &z, &e), EK_OK);
    cr_assert_eq(z.version, 3);
    cr_assert_eq(z.type, EK_ZEP_TYPE_DATA);
    cr_assert_eq(z.channel, 26);
    cr_assert_eq(z.device_id, 0x7580);
    cr_assert_eq(z.ntp_sec, 0xeeae7d75u);
    cr_assert_eq(z.ntp_frac, 0x00a15fd5u);
    cr_assert_eq(z.length, 4);
    cr_assert_eq(z.psdu_offset, 42);
    uint8_t o[64];
    ek_buf w;
    ek_buf_init(&w, o, sizeof o);
    cr_assert_eq(ek_zep_encode(&z, &w, &e), EK_OK);
    cr_assert_eq(w.len, sizeof b);
    cr_assert_arr_eq(o, b, sizeof b);
}

/* v3 Ack: 'EX' 3 2 | seq(4), 8 octets like the v2 Ack; nothing may follow. */
Test(zep, version_3_ack_has_sequence_only)
{
    const uint8_t a3[] = { 0x45, 0x58, 0x03, 0x02, 0x00, 0x01, 0x00, 0x63 };
    ek_zep z;
    ek_err e;
    cr_assert_eq(ek_zep_decode(ek_view_make(a3, sizeof a3), 0, &z, &e), EK_OK);
    cr_assert_eq(z.version, 3);
    cr_assert_eq(z.type, EK_ZEP_TYPE_ACK);
    cr_assert_eq(z.seq, 0x10063);
    cr_assert_eq(ek_zep_encoded_len(&z), sizeof a3);
    uint8_t b[16];
    ek_buf w;
    ek_buf_init(&w, b, sizeof b);
    cr_assert_eq(ek_zep_encode(&z, &w, &e), EK_OK);
    cr_assert_arr_eq(b, a3, sizeof a3);
    for (size_t n = 0; n < sizeof a3; n++) /* every prefix: TRUNCATED, no over-read */
        cr_assert_eq(ek_zep_decode(ek_view_make(a3, n), 0, &z, &e), EK_ERR_TRUNCATED, "prefix %zu", n);
    uint8_t longer[sizeof a3 + 1];
    memcpy(longer, a3, sizeof a3);
    longer[sizeof a3] = 0;
    cr_assert_eq(ek_zep_decode(ek_view_make(longer, sizeof longer), 0, &z, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "zep.length");
    cr_assert_eq(e.offset, 8);
}

Test(zep, version_4_is_unsupported_at_2)
{
    uint8_t b[sizeof riot_v2];
    memcpy(b, riot_v2, sizeof b);
    b[2] = 4;
    ek_zep z;
    ek_err e;
    cr_assert_eq(ek_zep_decode(ek_view_make(b, sizeof b), 10, &z, &e), EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "zep.version");
    cr_assert_eq(e.offset, 12);
}

Test(zep, type_255_hello_is_unsupported_at_3)
{
    uint8_t b[sizeof riot_v2];
    memcpy(b, riot_v2, sizeof b);
    b[3] = 0xff;
    ek_zep z;
    ek_err e;
    cr_assert_eq(ek_zep_decode(ek_view_make(b, sizeof b), 0, &z, &e), EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "zep.type");
    cr_assert_eq(e.offset, 3);
}

Test(zep, extra_octets_after_length_are_malformed_but_decoded)
{
    uint8_t b[sizeof riot_v2 + 3];
    memcpy(b, riot_v2, sizeof riot_v2);
    memset(b + sizeof riot_v2, 0xee, 3);
    ek_zep z;
    ek_err e;
    cr_assert_eq(ek_zep_decode(ek_view_make(b, sizeof b), 0, &z, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "zep.length");
    cr_assert_eq(e.offset, sizeof riot_v2);
    cr_assert_eq(z.psdu.len, 4);
    cr_assert_eq(z.extra.len, 3);
}

Test(zep, length_below_2_is_malformed_at_length_octet)
{
    uint8_t b[33];
    memcpy(b, riot_v2, 32);
    b[31] = 1;
    b[32] = 0;
    ek_zep z;
    ek_err e;
    cr_assert_eq(ek_zep_decode(ek_view_make(b, sizeof b), 0, &z, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "zep.length");
    cr_assert_eq(e.offset, 31);
}

Test(zep, length_bit7_is_ignored)
{
    uint8_t b[sizeof riot_v2];
    memcpy(b, riot_v2, sizeof b);
    b[31] |= 0x80;
    ek_zep z;
    ek_err e;
    cr_assert_eq(ek_zep_decode(ek_view_make(b, sizeof b), 0, &z, &e), EK_OK);
    cr_assert_eq(z.length, 4);
    cr_assert_eq(z.length_hi, 1);
}

Test(zep, every_prefix_is_truncated)
{
    const ek_view all[] = { ek_view_make(riot_v2, sizeof riot_v2), ek_view_make(v1, sizeof v1),
                            ek_view_make(ack, sizeof ack) };
    for (size_t k = 0; k < 3; k++) {
        for (size_t n = 0; n < all[k].len; n++) {
            ek_zep z;
            ek_err e;
            ek_status st = ek_zep_decode(ek_view_make(all[k].p, n), 7, &z, &e);
            cr_assert_eq(st, EK_ERR_TRUNCATED, "vector %zu prefix %zu: %d", k, n, st);
            /* the error sits on the field that ran out: it started at or before byte n */
            cr_assert(e.offset <= 7 + n && e.offset + e.need > 7 + n, "vector %zu prefix %zu: offset %zu",
                      k, n, e.offset);
        }
    }
}

Test(zep, encoder_rejects_psdu_over_127_and_small_buffers)
{
    uint8_t psdu[128] = { 0 };
    ek_zep z;
    ek_err e;
    uint8_t b[256];
    ek_buf w;
    ek_zep_init_data(&z, 26, ek_view_make(psdu, sizeof psdu));
    ek_buf_init(&w, b, sizeof b);
    cr_assert_eq(ek_zep_encode(&z, &w, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "zep.length");
    ek_zep_init_data(&z, 26, ek_view_make(psdu, 10));
    ek_buf_init(&w, b, 20);
    cr_assert_eq(ek_zep_encode(&z, &w, &e), EK_ERR_NOSPACE);
}

Test(zep, random_round_trips_seed_1)
{
    xs_state = 1;
    uint8_t psdu[127], b[200];
    for (int it = 0; it < 1000; it++) {
        ek_zep z;
        memset(&z, 0, sizeof z);
        z.version = (uint8_t)(1 + xs() % 3);
        z.type = (z.version >= 2 && xs() % 5 == 0) ? EK_ZEP_TYPE_ACK : EK_ZEP_TYPE_DATA;
        z.seq = z.version >= 2 ? xs() : 0;
        size_t n = 0;
        if (z.type == EK_ZEP_TYPE_DATA) {
            z.channel = (uint8_t)xs();
            z.device_id = (uint16_t)xs();
            z.mode = (uint8_t)(xs() % 2);
            z.lqi = (uint8_t)xs();
            if (z.version >= 2) {
                z.ntp_sec = xs();
                z.ntp_frac = xs();
            }
            n = 2 + xs() % 126;
            for (size_t i = 0; i < n; i++)
                psdu[i] = (uint8_t)xs();
            z.psdu = ek_view_make(psdu, n);
            z.length = (uint8_t)n;
        }
        ek_buf w;
        ek_err e;
        ek_buf_init(&w, b, sizeof b);
        cr_assert_eq(ek_zep_encode(&z, &w, &e), EK_OK);
        cr_assert_eq(w.len, ek_zep_encoded_len(&z));
        ek_zep d;
        cr_assert_eq(ek_zep_decode(ek_buf_view(&w), 0, &d, &e), EK_OK, "iteration %d", it);
        cr_assert_eq(d.version, z.version);
        cr_assert_eq(d.type, z.type);
        cr_assert_eq(d.seq, z.seq);
        if (z.type == EK_ZEP_TYPE_DATA) {
            cr_assert_eq(d.channel, z.channel);
            cr_assert_eq(d.device_id, z.device_id);
            cr_assert_eq(d.mode, z.mode);
            cr_assert_eq(d.lqi, z.lqi);
            cr_assert_eq(d.ntp_sec, z.ntp_sec);
            cr_assert_eq(d.ntp_frac, z.ntp_frac);
            cr_assert_eq(d.psdu.len, n);
            cr_assert_arr_eq(d.psdu.p, psdu, n);
        }
        /* encode(decode(b)) == b */
        uint8_t b2[200];
        ek_buf w2;
        ek_buf_init(&w2, b2, sizeof b2);
        cr_assert_eq(ek_zep_encode(&d, &w2, &e), EK_OK);
        cr_assert_eq(w2.len, w.len);
        cr_assert_arr_eq(b2, b, w.len);
    }
}
