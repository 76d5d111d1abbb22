/* SPDX-License-Identifier: BSD-3-Clause */
/* FCS = CRC-16/KERMIT (IEEE 802.15.4-2015 §7.2.10; check value of "123456789" 0x2189). */
#include <criterion/criterion.h>
#include <string.h>

#include "ek/fcs.h"
#include "ek_test_rng.h"

Test(fcs, kermit_check_value_of_123456789_is_0x2189)
{
    const uint8_t s[] = "123456789";
    cr_assert_eq(ek_fcs16(ek_view_make(s, 9)), 0x2189);
}

Test(fcs, empty_input_gives_init_value_zero)
{
    cr_assert_eq(ek_fcs16(ek_view_make(NULL, 0)), 0);
    cr_assert_eq(ek_fcs16(ek_view_make((const uint8_t *)"", 0)), 0);
}

/* Bit-by-bit reference: reflected poly 0x8408, init 0, no xorout. */
static uint16_t ref_crc(const uint8_t *p, size_t n)
{
    uint16_t c = 0;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (uint16_t)((c >> 1) ^ 0x8408) : (uint16_t)(c >> 1);
    }
    return c;
}

Test(fcs, bytewise_matches_bitwise_reference_on_random_buffers)
{
    uint32_t x = 0x12345678u;
    uint8_t buf[200];
    for (int it = 0; it < 500; it++) {
        size_t n = (size_t)(it % 200);
        for (size_t i = 0; i < n; i++) {
            ek_test_xorshift32(&x);
            buf[i] = (uint8_t)x;
        }
        cr_assert_eq(ek_fcs16(ek_view_make(buf, n)), ref_crc(buf, n), "len %zu", n);
    }
}

/* Slice-by-8 takes 8 octets per step and finishes bytewise: every length 0..300 (all
 * tail sizes, several whole blocks) at every start alignment 0..7 vs the bitwise CRC. */
Test(fcs, slice_by_8_matches_bitwise_reference_on_every_length_0_to_300)
{
    uint32_t x = 0x9e3779b9u;
    static uint8_t buf[300 + 8];
    for (size_t n = 0; n <= 300; n++) {
        for (size_t a = 0; a < 8; a++) {
            for (size_t i = 0; i < n; i++) {
                ek_test_xorshift32(&x);
                buf[a + i] = (uint8_t)x;
            }
            cr_assert_eq(ek_fcs16(ek_view_make(buf + a, n)), ref_crc(buf + a, n), "len %zu align %zu", n, a);
        }
    }
}

Test(fcs, check_agrees_with_fcs16_on_every_length)
{
    uint8_t buf[302];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 37u + 11u);
    for (size_t n = 0; n <= 300; n++) {
        uint16_t c = ref_crc(buf, n);
        uint8_t save0 = buf[n], save1 = buf[n + 1];
        buf[n] = (uint8_t)c;
        buf[n + 1] = (uint8_t)(c >> 8);
        cr_assert(ek_fcs16_check(ek_view_make(buf, n + 2)), "len %zu", n);
        buf[n + 1] ^= 0x80;
        cr_assert_not(ek_fcs16_check(ek_view_make(buf, n + 2)), "len %zu", n);
        buf[n] = save0;
        buf[n + 1] = save1;
    }
}

/* A 6TiSCH-style data frame header; tshark 4.0.17 (DLT 195) shows "FCS: 0x.... (Correct)"
 * for the bytes produced by ek_fcs16_append (checked in wpan_test's EB vector). */
Test(fcs, append_then_check_round_trips_lsb_first)
{
    uint8_t mem[32];
    ek_buf b;
    static const uint8_t hdr[] = { 0x41, 0xd8, 0x01, 0xcd, 0xab, 0xff, 0xff, 0x01, 0x00, 0x00,
                                   0x00, 0x00, 0x4b, 0x12, 0x00 };
    ek_buf_init(&b, mem, sizeof mem);
    cr_assert(ek_wr_bytes(&b, "x", hdr, sizeof hdr));
    cr_assert(ek_fcs16_append(&b));
    cr_assert_eq(b.len, sizeof hdr + 2);
    uint16_t f = ek_fcs16(ek_view_make(hdr, sizeof hdr));
    cr_assert_eq(mem[sizeof hdr], (uint8_t)f);
    cr_assert_eq(mem[sizeof hdr + 1], (uint8_t)(f >> 8));
    cr_assert(ek_fcs16_check(ek_buf_view(&b)));
    mem[3] ^= 0x01;
    cr_assert_not(ek_fcs16_check(ek_buf_view(&b)));
}

Test(fcs, check_rejects_inputs_shorter_than_the_fcs)
{
    static const uint8_t one[] = { 0x00 };
    static const uint8_t two[] = { 0x00, 0x00 };
    cr_assert_not(ek_fcs16_check(ek_view_make(one, 1)));
    cr_assert(ek_fcs16_check(ek_view_make(two, 2))); /* CRC of nothing = 0x0000 */
    cr_assert_not(ek_fcs16_check(ek_view_make(NULL, 0)));
}

Test(fcs, append_reports_nospace_when_full)
{
    uint8_t mem[3] = { 1, 2, 3 };
    ek_buf b;
    ek_buf_init(&b, mem, sizeof mem);
    cr_assert(ek_wr_bytes(&b, "x", mem, 2));
    cr_assert_not(ek_fcs16_append(&b));
    cr_assert_eq(b.err.code, EK_ERR_NOSPACE);
    cr_assert_str_eq(b.err.field, "wpan.fcs");
}
