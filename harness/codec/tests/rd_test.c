/* SPDX-License-Identifier: BSD-3-Clause */
/* Cursor behaviour: sticky first failure, absolute offsets, child cursors. */
#include <criterion/criterion.h>

#include "ek/rd.h"

static const uint8_t bytes[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09 };

Test(rd, fixed_width_fetches_follow_byte_order)
{
    ek_rd rd;
    ek_rd_init(&rd, ek_view_make(bytes, sizeof bytes), 0);
    uint16_t be, le;
    uint32_t be32;
    cr_assert(ek_rd_be16(&rd, "a", &be));
    cr_assert(ek_rd_le16(&rd, "b", &le));
    cr_assert(ek_rd_be32(&rd, "c", &be32));
    cr_assert_eq(be, 0x0102);
    cr_assert_eq(le, 0x0403);
    cr_assert_eq(be32, 0x05060708u);
    cr_assert_eq(ek_rd_left(&rd), 1);
}

Test(rd, le40_reads_tsch_asn_least_significant_first)
{
    static const uint8_t asn[] = { 0xc3, 0xb2, 0xa1, 0x00, 0x00 };
    ek_rd rd;
    uint64_t v;
    ek_rd_init(&rd, ek_view_make(asn, sizeof asn), 0);
    cr_assert(ek_rd_le40(&rd, "asn", &v));
    cr_assert_eq(v, 0xa1b2c3u);
}

Test(rd, first_failure_sticks_with_field_and_absolute_offset)
{
    ek_rd rd;
    uint32_t v;
    uint8_t b;
    ek_rd_init(&rd, ek_view_make(bytes, 3), 100);
    cr_assert(ek_rd_u8(&rd, "x.first", &b));
    cr_assert_not(ek_rd_be32(&rd, "x.second", &v));
    cr_assert_eq(v, 0);
    cr_assert_not(ek_rd_u8(&rd, "x.third", &b)); /* would fit, but the cursor failed */
    ek_err err;
    cr_assert_eq(ek_rd_finish(&rd, &err), EK_ERR_TRUNCATED);
    cr_assert_str_eq(err.field, "x.second");
    cr_assert_eq(err.offset, 101);
    cr_assert_eq(err.need, 4);
    cr_assert_eq(err.have, 2);
}

Test(rd, child_cursor_keeps_offsets_and_its_own_error)
{
    ek_rd rd, child;
    uint32_t v;
    uint8_t b;
    ek_rd_init(&rd, ek_view_make(bytes, sizeof bytes), 10);
    cr_assert(ek_rd_skip(&rd, 2, "pad"));
    cr_assert(ek_rd_sub(&rd, 3, "elem", &child));
    cr_assert_eq(ek_rd_offset(&child), 12);
    cr_assert_not(ek_rd_be32(&child, "elem.value", &v)); /* 4 > 3: child fails */
    cr_assert_eq(child.err.offset, 12);
    cr_assert(ek_rd_ok(&rd)); /* parent unaffected */
    cr_assert(ek_rd_u8(&rd, "next", &b));
    cr_assert_eq(b, 0x06);
}

Test(rd, sub_longer_than_remaining_fails_parent_and_child)
{
    ek_rd rd, child;
    ek_rd_init(&rd, ek_view_make(bytes, 4), 0);
    cr_assert_not(ek_rd_sub(&rd, 9, "elem", &child));
    cr_assert_eq(rd.err.code, EK_ERR_TRUNCATED);
    cr_assert_eq(child.err.code, EK_ERR_TRUNCATED);
    cr_assert_eq(ek_rd_left(&child), 0);
}

Test(rd, malformed_is_recorded_at_current_position)
{
    ek_rd rd;
    uint8_t b;
    ek_rd_init(&rd, ek_view_make(bytes, sizeof bytes), 5);
    cr_assert(ek_rd_u8(&rd, "len", &b));
    cr_assert_not(ek_rd_fail(&rd, EK_ERR_MALFORMED, "len.value"));
    cr_assert_eq(rd.err.offset, 6);
    cr_assert_eq(rd.err.code, EK_ERR_MALFORMED);
    cr_assert_not(ek_rd_fail(&rd, EK_ERR_TRUNCATED, "other")); /* first failure kept */
    cr_assert_str_eq(rd.err.field, "len.value");
}

Test(rd, empty_and_null_inputs_are_safe)
{
    ek_rd rd;
    uint8_t b;
    ek_view v;
    ek_rd_init(&rd, ek_view_make(NULL, 42), 0);
    cr_assert_eq(ek_rd_left(&rd), 0);
    cr_assert_not(ek_rd_peek_u8(&rd, &b));
    cr_assert_not(ek_rd_view(&rd, 1, "v", &v));
    cr_assert_null(v.p);
}

Test(rd, error_format_names_field_and_offset)
{
    ek_err e = { EK_ERR_MALFORMED, "rpl.dio.opt.len", 41, 0, 0 };
    char buf[96];
    cr_assert_str_eq(ek_err_format(&e, buf, sizeof buf), "MALFORMED at rpl.dio.opt.len (offset 41)");
}

Test(rd, tail_splits_a_trailer_off_and_reports_a_short_one)
{
    ek_rd rd;
    ek_view mic;
    ek_rd_init(&rd, ek_view_make(bytes, sizeof bytes), 100);
    cr_assert(ek_rd_skip(&rd, 2, "hdr"));
    cr_assert(ek_rd_tail(&rd, 4, "mic", &mic));
    cr_assert_eq(mic.len, 4);
    cr_assert_eq(mic.p, bytes + 5);
    cr_assert_eq(ek_rd_left(&rd), 3, "reads stop where the trailer starts");
    cr_assert_eq(ek_rd_peek_rest(&rd).len, 3);
    cr_assert_eq(ek_rd_left(&rd), 3, "peek consumes nothing");
    cr_assert_not(ek_rd_tail(&rd, 4, "mic2", &mic));
    cr_assert_eq(rd.err.code, EK_ERR_TRUNCATED);
    cr_assert_str_eq(rd.err.field, "mic2");
    cr_assert_eq(rd.err.offset, 102);
    cr_assert(rd.err.need == 4 && rd.err.have == 3);
    cr_assert_eq(ek_rd_peek_rest(&rd).len, 0, "a failed cursor hands out nothing");
}

Test(rd, err_set_fills_code_field_offset_and_clears_need_have)
{
    ek_err e;
    memset(&e, 0xA5, sizeof e);
    cr_assert_eq(ek_err_set(&e, EK_ERR_MALFORMED, "wpan.fcf", 7), EK_ERR_MALFORMED);
    cr_assert(e.code == EK_ERR_MALFORMED && e.offset == 7 && e.need == 0 && e.have == 0);
    cr_assert_str_eq(e.field, "wpan.fcf");
    cr_assert_eq(ek_err_set(NULL, EK_ERR_NOSPACE, "x", 1), EK_ERR_NOSPACE);
}

/* A NULL view is an empty window, not a broken one: zero-length reads succeed
 * (ek_rd_view/ek_rd_sub of 0 octets returned false without recording an error). */
Test(rd, null_view_is_an_empty_window_where_zero_length_reads_succeed)
{
    ek_rd rd, child;
    ek_view v;
    ek_rd_init(&rd, ek_view_make(NULL, 5), 9);
    cr_assert_eq(ek_rd_left(&rd), 0);
    cr_assert(ek_rd_view(&rd, 0, "empty", &v));
    cr_assert_eq(v.len, 0);
    cr_assert(ek_rd_sub(&rd, 0, "empty", &child));
    cr_assert(ek_rd_ok(&child) && ek_rd_left(&child) == 0);
    cr_assert_eq(ek_rd_rest(&rd).len, 0);
    cr_assert(ek_rd_ok(&rd));
    uint8_t b;
    cr_assert_not(ek_rd_u8(&rd, "octet", &b));
    cr_assert(rd.err.code == EK_ERR_TRUNCATED && rd.err.offset == 9);
}
