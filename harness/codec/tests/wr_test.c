/* SPDX-License-Identifier: BSD-3-Clause */
/* Writer behaviour: byte order, sticky NOSPACE, size accounting, patching. */
#include <criterion/criterion.h>
#include <string.h>

#include "ek/wr.h"

Test(wr, writes_each_width_in_its_byte_order)
{
    uint8_t out[16];
    ek_buf b;
    ek_buf_init(&b, out, sizeof out);
    ek_wr_be16(&b, "a", 0x0102);
    ek_wr_le16(&b, "b", 0x0403);
    ek_wr_le40(&b, "asn", 0xa1b2c3);
    static const uint8_t want[] = { 1, 2, 3, 4, 0xc3, 0xb2, 0xa1, 0, 0 };
    cr_assert_eq(ek_buf_finish(&b, NULL), EK_OK);
    cr_assert_eq(b.len, sizeof want);
    cr_assert_arr_eq(out, want, sizeof want);
}

Test(wr, overflow_sticks_and_reports_needed_size)
{
    uint8_t out[3];
    ek_buf b;
    ek_err err;
    ek_buf_init(&b, out, sizeof out);
    cr_assert(ek_wr_u8(&b, "one", 1));
    cr_assert_not(ek_wr_be32(&b, "four", 2));
    cr_assert_not(ek_wr_u8(&b, "after", 3)); /* would fit, but the writer failed */
    cr_assert_eq(ek_buf_finish(&b, &err), EK_ERR_NOSPACE);
    cr_assert_str_eq(err.field, "four");
    cr_assert_eq(err.offset, 1);
    cr_assert_eq(b.len, 6);
}

Test(wr, reserve_then_patch_fills_length_fields)
{
    uint8_t out[8];
    ek_buf b;
    ek_buf_init(&b, out, sizeof out);
    size_t at = ek_wr_reserve(&b, "len", 2);
    ek_wr_u8(&b, "body", 0xaa);
    ek_wr_patch_le16(&b, at, 0x1234);
    cr_assert_eq(out[0], 0x34);
    cr_assert_eq(out[1], 0x12);
    cr_assert_eq(out[2], 0xaa);
    ek_wr_patch_be16(&b, 2, 0xffff); /* beyond written bytes: ignored */
    cr_assert_eq(out[2], 0xaa);
}
