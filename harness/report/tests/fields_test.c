/* SPDX-License-Identifier: BSD-3-Clause */
/* The field table renders numbers as JSON numbers, addresses as
 * canonical text, byte strings as lowercase hex, absent fields omitted. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/fields.h"
#include "ek_test_rng.h"

static char *json_of(const ek_frame *f)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&buf, &len);
    cr_assert_not_null(o);
    ek_json_frame(o, 7, f);
    fclose(o);
    return buf;
}

Test(fields, every_key_is_unique_and_findable)
{
    for (size_t i = 0; i < ek_fields_count; i++) {
        cr_assert_eq(ek_field_find(ek_fields[i].key), &ek_fields[i], "%s", ek_fields[i].key);
    }
    cr_assert_null(ek_field_find("no_such_key"));
}

Test(fields, json_renders_types_and_omits_absent_fields)
{
    static ek_frame f;
    memset(&f, 0, sizeof f);
    static const uint8_t netid[] = { 0xab, 0x01 };
    f.sum.has_fcs = true;
    f.sum.fcs_ok = true;
    f.sum.has_src64 = true;
    memcpy(f.sum.src64, "\x00\x12\x4b\x00\x00\x00\x00\x01", 8);
    f.sum.has_dio = true;
    f.sum.rank = 256;
    f.sum.version = 240;
    f.sum.instance_id = 30;
    f.sum.dtsn = 1;
    f.sum.dodagid[0] = 0xfd;
    f.sum.dodagid[15] = 0x01;
    f.sum.has_ji = true;
    f.sum.proxy_priority = 0x25;
    f.sum.network_id = ek_view_make(netid, sizeof netid);
    f.sum.network_id_len = sizeof netid;
    f.sum.ji_r = true;
    f.n_errors = 1;
    f.errors[0] = (ek_err){ EK_ERR_MALFORMED, "enroll.mep.length", 41, 0, 0 };
    char *j = json_of(&f);
    cr_assert_str_eq(j, "{\"frame.number\":7,\"wpan.fcs_ok\":true,\"wpan.src64\":\"00:12:4b:00:00:00:00:01\",\"icmpv6.rpl.dio.dagid\":\"fd00::1\","
                        "\"icmpv6.rpl.dio.instance\":30,\"icmpv6.rpl.dio.version\":240,\"icmpv6.rpl.dio.rank\":256,\"icmpv6.rpl.dio.dtsn\":1,\"enroll.ji.r\":true,"
                        "\"enroll.ji.p\":false,\"enroll.ji.reserved\":0,\"enroll.ji.proxy_priority\":37,"
                        "\"enroll.ji.rank_priority\":0,\"enroll.ji.pan_priority\":0,\"enroll.ji.network_id\":\"ab01\","
                        "\"enroll.ji.network_id_len\":2,"
                        "\"errors\":[{\"code\":\"MALFORMED\",\"field\":\"enroll.mep.length\",\"offset\":41}]}\n");
    free(j);
}

/* ek_fmt_ipv6 replaced inet_ntop on the hot path: same text for every zero-group
 * pattern (all 256, so every "::" placement and tie), with small and large group
 * values, and the IPv4-compatible / IPv4-mapped forms (RFC 4291 §2.2, §2.5.5). */
Test(fields, ipv6_text_matches_inet_ntop_on_every_zero_pattern)
{
    static const unsigned vals[] = { 0x1, 0xa, 0x10, 0xff, 0x100, 0xabc, 0x1000, 0xffff };
    uint32_t x = 0x2545f491u;
    for (unsigned pat = 0; pat < 256; pat++) {
        for (unsigned it = 0; it < 64; it++) {
            uint8_t a[16];
            for (int w = 0; w < 8; w++) {
                ek_test_xorshift32(&x);
                unsigned v = (pat >> w) & 1 ? 0 : (it < 8 ? vals[(it + (unsigned)w) % 8] : (x & 0xffff) | 1);
                if (it == 9 && w == 5 && !((pat >> 5) & 1))
                    v = 0xffff;
                a[2 * w] = (uint8_t)(v >> 8);
                a[2 * w + 1] = (uint8_t)v;
            }
            char want[INET6_ADDRSTRLEN], got[EK_FMT_IPV6_MAX + 1];
            cr_assert_not_null(inet_ntop(AF_INET6, a, want, sizeof want));
            size_t n = ek_fmt_ipv6(got, a);
            cr_assert_leq(n, EK_FMT_IPV6_MAX);
            got[n] = '\0';
            cr_assert_str_eq(got, want, "pattern 0x%02x", pat);
        }
    }
}

Test(fields, ipv6_text_of_mapped_compatible_and_unspecified_addresses)
{
    static const uint8_t mapped[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1 };
    static const uint8_t compat[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 255 };
    static const uint8_t unspec[16] = { 0 };
    static const uint8_t loop[16] = { [15] = 1 };
    const uint8_t *all[] = { mapped, compat, unspec, loop };
    for (size_t i = 0; i < 4; i++) {
        char want[INET6_ADDRSTRLEN], got[EK_FMT_IPV6_MAX + 1];
        cr_assert_not_null(inet_ntop(AF_INET6, all[i], want, sizeof want));
        got[ek_fmt_ipv6(got, all[i])] = '\0';
        cr_assert_str_eq(got, want);
    }
}

Test(fields, small_formatters)
{
    char b[32];
    b[ek_fmt_u64(b, 0)] = '\0';
    cr_assert_str_eq(b, "0");
    b[ek_fmt_u64(b, 18446744073709551615ull)] = '\0';
    cr_assert_str_eq(b, "18446744073709551615");
    for (unsigned long long v = 1; v && v < 18446744073709551615ull / 3; v = v * 3 + (v & 7)) {
        char want[32];
        for (unsigned long long d = 0; d < 3 && v + d > v; d++) { /* v-1, v, v+1 around each step */
            snprintf(want, sizeof want, "%llu", v + d - 1);
            b[ek_fmt_u64(b, v + d - 1)] = '\0';
            cr_assert_str_eq(b, want);
        }
    }
    for (unsigned long long p10 = 1; p10 <= 1000000000000000000ull; p10 *= 10) {
        char want[32];
        snprintf(want, sizeof want, "%llu", p10 - 1);
        b[ek_fmt_u64(b, p10 - 1)] = '\0';
        cr_assert_str_eq(b, want);
        snprintf(want, sizeof want, "%llu", p10);
        b[ek_fmt_u64(b, p10)] = '\0';
        cr_assert_str_eq(b, want);
    }
    b[ek_fmt_hex(b, (const uint8_t *)"\x0a\xff", 2, 0)] = '\0';
    cr_assert_str_eq(b, "0aff");
    b[ek_fmt_hex(b, (const uint8_t *)"\x0a\xff", 2, ':')] = '\0';
    cr_assert_str_eq(b, "0a:ff");
    b[ek_fmt_hex0x(b, 0xabc, 4)] = '\0';
    cr_assert_str_eq(b, "0x0abc");
}

/* ek_field_format (ek-vectors compares manifests with it) keeps its truncation rules. */
Test(fields, format_truncates_to_the_buffer)
{
    static ek_frame f;
    memset(&f, 0, sizeof f);
    static const uint8_t netid[16] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                                       0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10 };
    f.sum.has_ji = true;
    f.sum.network_id = ek_view_make(netid, sizeof netid);
    f.sum.has_src64 = true;
    memcpy(f.sum.src64, "\x00\x12\x4b\x00\x00\x00\x00\x01", 8);
    f.sum.has_ipv6 = true;
    f.sum.ip_src[0] = 0xfe;
    f.sum.ip_src[1] = 0x80;
    f.sum.ip_src[15] = 0x01;
    f.sum.rank_priority = 4095;
    char b[64];
    cr_assert_str_eq(ek_field_format(ek_field_find("enroll.ji.network_id"), &f.sum, b, sizeof b),
                     "0102030405060708090a0b0c0d0e0f10");
    cr_assert_str_eq(ek_field_format(ek_field_find("enroll.ji.network_id"), &f.sum, b, 6), "0102"); /* whole octets */
    cr_assert_str_eq(ek_field_format(ek_field_find("wpan.src64"), &f.sum, b, 6), "00:12");
    cr_assert_str_eq(ek_field_format(ek_field_find("ipv6.src"), &f.sum, b, sizeof b), "fe80::1");
    cr_assert_str_eq(ek_field_format(ek_field_find("ipv6.src"), &f.sum, b, 4), ""); /* as inet_ntop */
    cr_assert_str_eq(ek_field_format(ek_field_find("enroll.ji.rank_priority"), &f.sum, b, 3), "40");
    cr_assert_str_eq(ek_field_format(ek_field_find("enroll.ji.rank_priority"), &f.sum, b, 1), "");
}

Test(fields, json_escapes_error_field_names)
{
    static ek_frame f;
    memset(&f, 0, sizeof f);
    f.n_errors = 2;
    f.errors[0] = (ek_err){ EK_ERR_TRUNCATED, "a\"b\\c\n", 3, 1, 0 };
    f.errors[1] = (ek_err){ EK_ERR_MALFORMED, NULL, 4294967295u, 0, 0 };
    char *j = json_of(&f);
    cr_assert_str_eq(j, "{\"frame.number\":7,\"errors\":[{\"code\":\"TRUNCATED\",\"field\":\"a\\\"b\\\\c\\u000a\",\"offset\":3},"
                        "{\"code\":\"MALFORMED\",\"field\":\"?\",\"offset\":4294967295}]}\n");
    free(j);
}

/* zep.time as tshark 4.0 shows it with TZ=UTC (Wireshark ENC_TIME_NTP): era 0 when bit
 * 31 of the seconds is set, era 1 (after 2036-02-07T06:28:16Z) when clear, 0 is 1970. */
Test(fields, ntp_time_text_matches_tshark)
{
    static const struct {
        uint64_t ntp;
        const char *text;
    } c[] = {
        { 0xE800000080000000ull, "2023-05-05T22:21:52.500000000Z" },  /* May  5, 2023 22:21:52.500000000 */
        { 0x1000000000000001ull, "2044-08-10T03:52:32.000000000Z" },  /* Aug 10, 2044 03:52:32.000000000 */
        { 0, "1970-01-01T00:00:00.000000000Z" },
        { 0x83AA7E8000000000ull, "1970-01-01T00:00:00.000000000Z" },  /* 2208988800 s */
        { 0xFFFFFFFFFFFFFFFFull, "2036-02-07T06:28:15.999999999Z" },
        { 1, "1970-01-01T00:00:00.000000000Z" },                      /* < 1 ns: "NULL" */
        { 0x80000000ull, "2036-02-07T06:28:16.500000000Z" },
        { 0x7FFFFFFF00000000ull, "2104-02-26T09:42:23.000000000Z" },
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        char b[EK_FMT_NTP_MAX + 1];
        b[ek_fmt_ntp(b, c[i].ntp)] = '\0';
        cr_assert_str_eq(b, c[i].text, "case %zu", i);
    }
}
