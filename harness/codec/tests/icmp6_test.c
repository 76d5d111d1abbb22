/* SPDX-License-Identifier: BSD-3-Clause */
/* ICMPv6 header and RFC 8200 §8.1 pseudo-header checksum (RFC 4443 §2.3). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "ek/icmp6.h"
#include "ek_test_rng.h"

static const uint8_t SRC[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x12, 0x4b, 0, 0, 0, 0, 0x01 };
static const uint8_t DST[16] = { 0xff, 0x02, [15] = 0x1a };

/* DIO from the root: the ICMPv6 part of this 70-octet 802.15.4 frame (FCS = CRC-16/KERMIT):
 *   41 c8 01 cd ab ff ff 01 00 00 00 00 4b 12 00 7b 3b 3a 1a 9b 01 b7 2d 1e f0 01 00 88 f0 00 00 fd
 *   00 00 00 00 00 00 00 02 12 4b 00 00 00 00 01 04 0e 00 08 0c 0a 07 00 01 00 00 01 00 1e 00 3c 2a
 *   03 f0 40 3d 85 61
 * echo "0000 <those octets>" > f.txt; text2pcap -l 195 f.txt f.pcap; tshark -r f.pcap -V (4.0.17):
 *   "FCS: 0x6185 (Correct)", "Src: fe80::212:4b00:0:1, Dst: ff02::1a", "Payload Length: 49",
 *   "Checksum: 0xb72d [correct]", "[Checksum Status: Good]", "RPLInstanceID: 30",
 *   "Version: 240", "Rank: 256", "DTSN: 240", "DODAGID: fd00::212:4b00:0:1",
 *   "ICMPv6 RPL Option (DODAG configuration)", "ICMPv6 RPL Option (Unknown 42)". */
static const uint8_t DIO[] = {
    0x9b, 0x01, 0xb7, 0x2d, 0x1e, 0xf0, 0x01, 0x00, 0x88, 0xf0, 0x00, 0x00, 0xfd, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x02, 0x12, 0x4b, 0x00, 0x00, 0x00, 0x00, 0x01, 0x04, 0x0e, 0x00, 0x08,
    0x0c, 0x0a, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x1e, 0x00, 0x3c, 0x2a, 0x03, 0xf0, 0x40,
    0x3d,
};

Test(icmp6, checksum_of_tshark_confirmed_dio_is_b72d)
{
    cr_assert_eq(ek_icmp6_checksum(SRC, DST, ek_view_make(DIO, sizeof DIO)), 0xb72d);
}

Test(icmp6, decode_reports_checksum_ok_and_body)
{
    ek_icmp6 m;
    ek_err e;
    cr_assert_eq(ek_icmp6_decode(ek_view_make(DIO, sizeof DIO), 21, SRC, DST, &m, &e), EK_OK);
    cr_assert_eq(m.type, 155);
    cr_assert_eq(m.code, 1);
    cr_assert_eq(m.checksum, 0xb72d);
    cr_assert(m.checksum_checked && m.checksum_ok);
    cr_assert_eq(m.body.len, sizeof DIO - 4);
    cr_assert_eq(m.body_offset, 25);
    uint8_t bad[sizeof DIO];
    memcpy(bad, DIO, sizeof DIO);
    bad[10] ^= 1;
    cr_assert_eq(ek_icmp6_decode(ek_view_make(bad, sizeof bad), 21, SRC, DST, &m, &e), EK_OK);
    cr_assert(!m.checksum_ok);
    cr_assert_eq(ek_icmp6_decode(ek_view_make(bad, sizeof bad), 21, NULL, NULL, &m, &e), EK_OK);
    cr_assert(!m.checksum_checked);
}

Test(icmp6, encode_computes_checksum_and_mirrors_decode)
{
    ek_icmp6 m = { 155, 1, 0, false, false, ek_view_make(DIO + 4, sizeof DIO - 4), 0 };
    uint8_t out[64];
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, out, sizeof out);
    cr_assert_eq(ek_icmp6_encode(&m, SRC, DST, &b, &e), EK_OK);
    cr_assert_eq(b.len, sizeof DIO);
    cr_assert_eq(ek_icmp6_encoded_len(&m), sizeof DIO);
    cr_assert_arr_eq(out, DIO, sizeof DIO);
    ek_buf_init(&b, out, 10);
    cr_assert_eq(ek_icmp6_encode(&m, SRC, DST, &b, &e), EK_ERR_NOSPACE);
}

Test(icmp6, odd_length_and_checksum_field_ignored)
{
    /* The checksum octets are summed as zero, whatever they hold. */
    uint8_t a[5] = { 128, 0, 0x12, 0x34, 0x77 }, z[5] = { 128, 0, 0, 0, 0x77 };
    cr_assert_eq(ek_icmp6_checksum(SRC, DST, ek_view_make(a, 5)), ek_icmp6_checksum(SRC, DST, ek_view_make(z, 5)));
    /* Verifying: summing a message with its correct checksum in place gives 0xffff -> ~ = 0. */
    uint16_t c = ek_icmp6_checksum(SRC, DST, ek_view_make(z, 5));
    z[2] = (uint8_t)(c >> 8);
    z[3] = (uint8_t)c;
    cr_assert_eq(ek_inet6_checksum(SRC, DST, 58, ek_view_make(z, 5), SIZE_MAX), 0);
}

Test(icmp6, prefix_sweep_truncated_below_4)
{
    ek_icmp6 m;
    ek_err e;
    for (size_t n = 0; n < 4; n++) {
        cr_assert_eq(ek_icmp6_decode(ek_view_make(DIO, n), 21, SRC, DST, &m, &e), EK_ERR_TRUNCATED);
        cr_assert_eq(e.offset, 21 + (n < 2 ? n : 2));
    }
    for (size_t n = 4; n <= sizeof DIO; n++)
        cr_assert_eq(ek_icmp6_decode(ek_view_make(DIO, n), 21, SRC, DST, &m, &e), EK_OK);
}

Test(icmp6, randomized_round_trip)
{
    uint64_t r = 12345;
    for (int it = 0; it < 1000; it++) {
        uint8_t body[64], out[80];
        ek_test_xorshift64(&r);
        size_t n = r % 64;
        for (size_t i = 0; i < n; i++) body[i] = (uint8_t)(r >> (i % 56));
        ek_icmp6 m = { (uint8_t)r, (uint8_t)(r >> 8), 0, false, false, ek_view_make(body, n), 0 }, d;
        ek_buf b;
        ek_err e;
        ek_buf_init(&b, out, sizeof out);
        cr_assert_eq(ek_icmp6_encode(&m, SRC, DST, &b, &e), EK_OK);
        cr_assert_eq(ek_icmp6_decode(ek_buf_view(&b), 0, SRC, DST, &d, &e), EK_OK);
        cr_assert(d.checksum_ok && d.type == m.type && d.code == m.code && d.body.len == n);
    }
}

/* The one's-complement sum is folded as it goes: a message over 128 KiB (more than
 * 65536 words of 0xffff) used to overflow the 32-bit accumulator. */
Test(icmp6, checksum_of_a_very_long_message_matches_a_per_word_folding_reference)
{
    size_t n = 200001; /* odd: padded with one zero octet (RFC 1071) */
    uint8_t *m = malloc(n);
    cr_assert_not_null(m);
    memset(m, 0xff, n);
    uint32_t ref = 0;
    uint8_t ph[40] = { 0 };
    memcpy(ph, SRC, 16);
    memcpy(ph + 16, DST, 16);
    ph[33] = (uint8_t)(n >> 16);
    ph[34] = (uint8_t)(n >> 8);
    ph[35] = (uint8_t)n;
    ph[39] = 58;
    for (size_t i = 0; i < 40; i += 2)
        ref += (uint32_t)ph[i] << 8 | ph[i + 1], ref = (ref & 0xffff) + (ref >> 16);
    for (size_t i = 0; i < n; i += 2) {
        uint32_t hi = (i == 2) ? 0 : m[i], lo = (i + 1 >= n || i + 1 == 3) ? 0 : m[i + 1];
        ref += hi << 8 | lo;
        ref = (ref & 0xffff) + (ref >> 16);
    }
    cr_assert_eq(ek_icmp6_checksum(SRC, DST, ek_view_make(m, n)), (uint16_t)~ref);
    free(m);
}

/* Reference: octet by octet, folded each step (RFC 1071), checksum octets as 0. */
static uint16_t ref_sum(uint8_t nh, const uint8_t *m, size_t n, size_t at)
{
    uint8_t ph[40] = { 0 };
    memcpy(ph, SRC, 16);
    memcpy(ph + 16, DST, 16);
    ph[34] = (uint8_t)(n >> 8);
    ph[35] = (uint8_t)n;
    ph[39] = nh;
    uint32_t a = 0;
    for (size_t i = 0; i < 40 + n; i++) {
        uint32_t b = i < 40 ? ph[i] : (i - 40 == at || i - 40 == at + 1) ? 0 : m[i - 40];
        a += (i & 1) ? b : b << 8;
        a = (a & 0xffff) + (a >> 16);
    }
    return (uint16_t)~a;
}

/* The word-wise sum skips an even checksum field in one step; every length (odd
 * tails too) and every field position, odd ones included, against the reference. */
Test(icmp6, checksum_matches_the_octet_reference_for_every_length_and_field_position)
{
    uint8_t m[81];
    uint64_t x = 0x243F6A8885A308D3ull;
    for (size_t i = 0; i < sizeof m; i++) {
        ek_test_xorshift64(&x);
        m[i] = (uint8_t)x;
    }
    for (size_t n = 0; n <= sizeof m; n++)
        for (size_t at = 0; at <= n + 1; at++)
            cr_assert_eq(ek_inet6_checksum(SRC, DST, 17, ek_view_make(m, n), at), ref_sum(17, m, n, at),
                         "len %zu field at %zu", n, at);
}
