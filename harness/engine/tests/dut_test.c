/* SPDX-License-Identifier: BSD-3-Clause */
/* DUT profile tests: libinih loading, FILE:LINE: key: reason errors (RPL option type
 * collisions per RFC 6550 §6.7, ranges, EUI-64 syntax, unknown keys and sections),
 * overrides, the INI writer's round trip and the time-unit conversion. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ek/dut.h"
#include "ek/engine.h"
#include "ek/td.h"
#include "ek_test_rng.h"

/* Writes text to a fresh temp file; the caller unlinks path. */
static void tmp_ini(char path[64], const char *text)
{
    snprintf(path, 64, "/tmp/ek-dut-test-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
}

/* Loads text; returns ek_dut_load's result with the message in err. */
static int load_text(const char *text, ek_dut *d, char *err, size_t errlen, char path[64])
{
    tmp_ini(path, text);
    int rc = ek_dut_load(path, d, err, errlen);
    unlink(path);
    return rc;
}

/* Asserts that text fails with exactly "PATH:LINE: tail". */
static void expect_error(const char *text, int line, const char *tail)
{
    ek_dut d;
    ek_dut_default(&d);
    ek_dut before = d;
    char err[512], path[64], want[600];
    cr_assert_eq(load_text(text, &d, err, sizeof err, path), -1, "accepted: %s", text);
    snprintf(want, sizeof want, "%s:%d: %s", path, line, tail);
    cr_assert_str_eq(err, want);
    cr_assert(memcmp(&d, &before, sizeof d) == 0, "a failed load must leave the profile untouched");
}

Test(dut, defaults_are_the_reference_dut_over_loopback_zep)
{
    ek_dut d;
    ek_dut_default(&d);
    cr_assert_str_eq(d.radio_uri, "zep://127.0.0.1:17755?local=127.0.0.1:17754");
    cr_assert_eq(d.channel, 26);
    cr_assert_eq(d.pan_id, 0xface);
    cr_assert(d.pace);
    cr_assert_not(d.has_ext);
    cr_assert_eq(d.caps, EK_CAP_SENDS_DIO | EK_CAP_SENDS_EB | EK_CAP_MEP);
    cr_assert_eq(d.prof.mep_type, 0x2a);
    cr_assert_eq(d.prof.mep, EK_MEP_DRAFT16);
    cr_assert_eq(d.prof.ji_subtype, 2);
    cr_assert_eq(d.dio_imin_ms, 16);
    cr_assert_eq(d.dio_doublings, 6);
    cr_assert_eq(d.dio_redundancy, 10);
    cr_assert_eq(d.eb_period_ms, 50);
    cr_assert_eq(d.slack_ms, 20);
    cr_assert_eq(d.ready_ms, 100);
    cr_assert_eq(d.spawn[0], '\0');
    cr_assert_eq(d.stdin_file[0], '\0');
    cr_assert_eq(d.init_commands[0], '\0');
    cr_assert_not(d.has_network_id);
    cr_assert_eq(d.jp_iid_mode, EK_DUT_IID_UNDECLARED);
    cr_assert_not(d.has_pan_priority);
    cr_assert_eq(d.min_hop_rank_inc, 256);
    cr_assert_eq(d.ocp, 0);
}

Test(dut, load_reads_every_section_and_key)
{
    ek_dut d;
    ek_dut_default(&d);
    char err[512], path[64];
    int rc = load_text("; a comment\n"
                       "# another\n"
                       "[radio]\n"
                       "uri = zep://127.0.0.1:20000?local=127.0.0.1:20001\n"
                       "channel = 15\n"
                       "pace = off\n"
                       "[dut]\n"
                       "name = riot-native   ; inline comment\n"
                       "pan_id = 0xabcd\n"
                       "address = 02-00-5e-ef-00-00-00-01\n"
                       "capabilities = dio eb, secured\n"
                       "spawn = exec ./node --id 1\n"
                       "reset = kill -HUP $EK_DUT_PID\n"
                       "ready_ms = 250\n"
                       "[wire]\n"
                       "ep_profile = draft-09\n"
                       "ep_type = 0x0b\n"
                       "ie_profile = byte-aligned\n"
                       "ie_subtype = 201\n"
                       "[timing]\n"
                       "dio_imin_ms = 4096\n"
                       "dio_doublings = 10\n"
                       "dio_redundancy = 0\n"
                       "eb_period_ms = 2000\n"
                       "slack_ms = 500\n",
                       &d, err, sizeof err, path);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert_str_eq(d.radio_uri, "zep://127.0.0.1:20000?local=127.0.0.1:20001");
    cr_assert_eq(d.channel, 15);
    cr_assert_not(d.pace);
    cr_assert_str_eq(d.name, "riot-native");
    cr_assert_eq(d.pan_id, 0xabcd);
    cr_assert(d.has_ext);
    static const uint8_t ext[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x01 };
    cr_assert_arr_eq(d.ext, ext, 8);
    cr_assert_eq(d.caps, EK_CAP_SENDS_DIO | EK_CAP_SENDS_EB | EK_CAP_SECURED);
    cr_assert_str_eq(d.spawn, "exec ./node --id 1");
    cr_assert_str_eq(d.reset, "kill -HUP $EK_DUT_PID");
    cr_assert_eq(d.ready_ms, 250);
    cr_assert_eq(d.prof.mep, EK_MEP_DRAFT09);
    cr_assert_eq(d.prof.mep_type, 0x0b);
    cr_assert_eq(d.prof.ji, EK_JI_BYTE_ALIGNED);
    cr_assert_eq(d.prof.ji_subtype, 201);
    cr_assert_eq(d.dio_imin_ms, 4096);
    cr_assert_eq(d.dio_doublings, 10);
    cr_assert_eq(d.dio_redundancy, 0);
    cr_assert_eq(d.eb_period_ms, 2000);
    cr_assert_eq(d.slack_ms, 500);
}

Test(dut, load_keeps_values_the_file_does_not_set)
{
    ek_dut d;
    ek_dut_default(&d);
    d.dio_imin_ms = 64;
    char err[512], path[64];
    cr_assert_eq(load_text("[radio]\nchannel = 11\n", &d, err, sizeof err, path), 0, "%s", err);
    cr_assert_eq(d.channel, 11);
    cr_assert_eq(d.dio_imin_ms, 64);
    cr_assert_eq(d.pan_id, 0xface);
}

Test(dut, ep_type_0x04_names_the_dodag_configuration_option)
{
    expect_error("[radio]\nchannel = 26\n\n[wire]\nep_profile = draft-16\n; the type\nep_type = 0x04\n", 7,
                 "wire.ep_type: 0x04 collides with RPL DODAG Configuration (RFC 6550 §6.7.6)");
}

Test(dut, every_rfc6550_option_type_is_refused_by_name)
{
    static const char *const names[] = { "Pad1", "PadN", "DAG Metric Container", "Route Information",
                                         "RPL DODAG Configuration", "RPL Target", "Transit Information",
                                         "Solicited Information", "Prefix Information",
                                         "RPL Target Descriptor" };
    for (unsigned t = 0; t <= 9; t++) {
        ek_dut d;
        ek_dut_default(&d);
        char a[64], err[512];
        snprintf(a, sizeof a, "wire.ep_type=%u", t);
        cr_assert_eq(ek_dut_set(&d, a, err, sizeof err), -1);
        cr_assert(strstr(err, names[t]) && strstr(err, "RFC 6550 §6.7."), "type %u: %s", t, err);
        cr_assert(strncmp(err, "wire.ep_type: ", 14) == 0, "%s", err);
    }
    ek_dut d;
    ek_dut_default(&d);
    char err[512];
    cr_assert_eq(ek_dut_set(&d, "wire.ep_type=10", err, sizeof err), 0, "%s", err);
    cr_assert_eq(d.prof.mep_type, 10);
}

Test(dut, unknown_key_names_the_key_and_lists_the_known_ones)
{
    expect_error("[radio]\nuri = loop:\nchanel = 12\n", 3,
                 "radio.chanel: unknown key (known in [radio]: uri, channel, pace)");
}

Test(dut, unknown_section_is_an_error)
{
    expect_error("[radio]\nchannel = 12\n[secrets]\nkey = 00\n", 4,
                 "[secrets]: unknown section [secrets] (known: radio, dut, wire, timing, dodag, root, cojp, security)");
}

Test(dut, key_outside_a_section_is_an_error)
{
    expect_error("channel = 12\n", 1, "channel: key outside a section (add [radio], [dut], [wire], [timing], [dodag] or [security])");
}

Test(dut, out_of_range_numbers_are_refused)
{
    expect_error("[radio]\nchannel = 27\n", 2, "radio.channel: 27 out of range 11..26");
    expect_error("[timing]\ndio_redundancy = 256\n", 2, "timing.dio_redundancy: 256 out of range 0..255");
    expect_error("[timing]\ndio_imin_ms = 0\n", 2, "timing.dio_imin_ms: 0 out of range 1..3600000");
    expect_error("[timing]\neb_period_ms = -5\n", 2, "timing.eb_period_ms: \"-5\" is not a number (decimal or 0x..)");
    expect_error("[timing]\neb_period_ms = 12ms\n", 2, "timing.eb_period_ms: \"12ms\" is not a number (decimal or 0x..)");
    expect_error("[timing]\njoin_ms = 3600001\n", 2, "timing.join_ms: 3600001 out of range 0..3600000");
    expect_error("[dut]\npan_id = 0x10000\n", 2, "dut.pan_id: 0x10000 out of range 0..65535");
    expect_error("[dut]\npan_id = 0xffff\n", 2,
                 "dut.pan_id: 0xffff is the broadcast PAN ID, not a PAN a DUT can belong to");
    expect_error("[wire]\nep_type = 0x100\n", 2, "wire.ep_type: 0x100 out of range 0..255");
    expect_error("[radio]\npace = maybe\n", 2,
                 "radio.pace: \"maybe\" is not a boolean (true/false, yes/no, on/off, 1/0)");
}

Test(dut, imax_overflow_is_reported_on_the_later_key)
{
    expect_error("[timing]\ndio_doublings = 31\ndio_imin_ms = 1024\n", 3,
                 "timing.dio_imin_ms: Imax = 1024 ms << 31 = 2199023255552 ms does not fit 32 bits");
}

Test(dut, bad_eui64_is_refused)
{
    const char *bad[] = { "02:00:5e:ef:00:00:00", "02:00:5e:ef:00:00:00:01:02", "02:00:5e:ef:00:00:00:0g",
                          "02:00-5e:ef:00:00:00:01", "0200:5e:ef:00:00:00:01", "2:0:5e:ef:0:0:0:1" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[128], tail[256];
        snprintf(text, sizeof text, "[dut]\naddress = %s\n", bad[i]);
        snprintf(tail, sizeof tail,
                 "dut.address: \"%s\" is not an EUI-64 (8 octets, e.g. 02:00:5e:ef:00:00:00:01; or auto)", bad[i]);
        expect_error(text, 2, tail);
    }
    uint8_t ext[8];
    cr_assert(ek_eui64_parse("0A:0b:0C:0d:0E:0f:10:11", ext));
    cr_assert_eq(ext[0], 0x0a);
    cr_assert_eq(ext[7], 0x11);
}

Test(dut, hex_octets_allow_one_separator_between_octets)
{
    uint8_t o[4];
    cr_assert_eq(ek_hex_octets("DEadbeef", o, 4), 4);
    cr_assert(o[0] == 0xde && o[3] == 0xef);
    cr_assert_eq(ek_hex_octets("de:ad-be", o, 4), 3);
    cr_assert_eq(o[2], 0xbe);
    cr_assert_eq(ek_hex_octets("", o, 4), 0);
    static const char *bad[] = { "deadbeef01", "dea", ":de", "de:", "de::ad", "de ad", "xx" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(ek_hex_octets(bad[i], o, 4), -1, "\"%s\"", bad[i]);
}

Test(dut, wire_names_and_subtypes_are_validated)
{
    expect_error("[wire]\nep_profile = draft-99\n", 2,
                 "wire.ep_profile: unknown profile \"draft-99\" (known: draft-03, draft-04, draft-09, draft-16)");
    expect_error("[wire]\nie_profile = literal\n", 2,
                 "wire.ie_profile: unknown profile \"literal\" (known: rfc9032-literal, byte-aligned)");
    expect_error("[wire]\nie_subtype = 0\n", 2,
                 "wire.ie_subtype: 0 is Reserved in the IETF IE Subtype IDs registry (RFC 8137 §7)");
    expect_error("[wire]\nie_subtype = 1\n", 2, "wire.ie_subtype: 1 collides with 6P (RFC 8480 §6.1)");
    expect_error("[dut]\ncapabilities = dio, beacons\n", 2,
                 "dut.capabilities: unknown capability \"beacons\" (known: dio, eb, mep, secured, root, pledge, none)");
    expect_error("[radio]\nuri = udp://1.2.3.4:5\n", 2,
                 "radio.uri: \"udp://1.2.3.4:5\" has no known radio scheme (zep://, zep-dispatch://, "
                 "zep-listen://, pcap:, pcap-zep:, file:, loop:)");
}

Test(dut, duplicate_key_and_continuation_lines_are_errors)
{
    expect_error("[radio]\nchannel = 12\n\nchannel = 13\n", 4, "radio.channel: given twice (first on line 2)");
    expect_error("[dut]\nspawn = exec ./a\n  --more\n", 3,
                 "dut.spawn: continuation lines are not allowed (value starts on line 2)");
}

Test(dut, syntax_error_reports_libinih_line)
{
    expect_error("[radio]\nchannel = 12\nthis line has no equals sign\n", 3,
                 "syntax: expected [section] or key = value");
    /* A syntax error after a semantic error: the first one wins. */
    expect_error("[radio]\nchannel = 99\nnonsense\n", 2, "radio.channel: 99 out of range 11..26");
}

Test(dut, over_long_line_is_an_error_and_line_numbers_stay_right)
{
    char text[600];
    char longv[300];
    memset(longv, 'x', sizeof longv - 1);
    longv[sizeof longv - 1] = '\0';
    snprintf(text, sizeof text, "[dut]\nspawn = %s\nname = ok\n", longv);
    expect_error(text, 2, "line: line longer than 197 characters (libinih limit)");
}

Test(dut, missing_file_names_the_path)
{
    ek_dut d;
    ek_dut_default(&d);
    char err[256];
    cr_assert_eq(ek_dut_load("/nonexistent/dut.ini", &d, err, sizeof err), -1);
    cr_assert_str_eq(err, "/nonexistent/dut.ini: No such file or directory");
}

Test(dut, set_overrides_one_key)
{
    ek_dut d;
    ek_dut_default(&d);
    char err[256];
    cr_assert_eq(ek_dut_set(&d, "timing.dio_imin_ms=32", err, sizeof err), 0, "%s", err);
    cr_assert_eq(d.dio_imin_ms, 32);
    cr_assert_eq(ek_dut_set(&d, "wire.ep_profile=draft-03", err, sizeof err), 0, "%s", err);
    cr_assert_eq(d.prof.mep, EK_MEP_DRAFT03);
    cr_assert_eq(ek_dut_set(&d, "dut.spawn=exec a=b c", err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(d.spawn, "exec a=b c");
    cr_assert_eq(ek_dut_set(&d, "dut.address=auto", err, sizeof err), 0, "%s", err);
    cr_assert_not(d.has_ext);

    ek_dut before = d;
    cr_assert_eq(ek_dut_set(&d, "timing.dio_imin_ms", err, sizeof err), -1);
    cr_assert_str_eq(err, "\"timing.dio_imin_ms\": expected section.key=value (e.g. timing.dio_imin_ms=32)");
    cr_assert_eq(ek_dut_set(&d, "timing.imin=3", err, sizeof err), -1);
    cr_assert_str_eq(err,
                     "timing.imin: unknown key (known in [timing]: dio_imin_ms, dio_doublings, dio_redundancy, "
                     "eb_period_ms, slack_ms, join_ms)");
    cr_assert_eq(ek_dut_set(&d, "radio.channel=5", err, sizeof err), -1);
    cr_assert_str_eq(err, "radio.channel: 5 out of range 11..26");
    cr_assert_eq(ek_dut_set(&d, "timing.dio_doublings=30", err, sizeof err), -1);
    cr_assert(strstr(err, "does not fit 32 bits"), "%s", err);
    cr_assert(memcmp(&d, &before, sizeof d) == 0);
}

Test(dut, from_uri_sets_only_the_radio)
{
    ek_dut d, ref;
    ek_dut_default(&d);
    ek_dut_default(&ref);
    char err[256];
    cr_assert_eq(ek_dut_from_uri("zep://127.0.0.1:30000", &d, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(d.radio_uri, "zep://127.0.0.1:30000");
    snprintf(ref.radio_uri, sizeof ref.radio_uri, "zep://127.0.0.1:30000");
    cr_assert(memcmp(&d, &ref, sizeof d) == 0);
    cr_assert_eq(ek_dut_from_uri("examples/dut.ini", &d, err, sizeof err), -1);
    cr_assert(strncmp(err, "radio.uri: ", 11) == 0, "%s", err);
}

Test(dut, ms_per_unit_follows_the_dut_timing)
{
    ek_dut d;
    ek_dut_default(&d);
    cr_assert_eq(ek_dut_ms_per_unit(&d, EK_T_MS), 1);
    cr_assert_eq(ek_dut_ms_per_unit(&d, EK_T_IMIN), 16);
    cr_assert_eq(ek_dut_ms_per_unit(&d, EK_T_IMAX), 1024); /* 16 << 6 */
    cr_assert_eq(ek_dut_ms_per_unit(&d, EK_T_EB), 50);
    cr_assert_eq(ek_dut_ms_per_unit(&d, EK_T_ACK), 10000);
    /* a pledge's join time: 40 EB periods until the profile declares its own */
    cr_assert_eq(d.join_ms, 0);
    cr_assert_eq(ek_dut_ms_per_unit(&d, EK_T_JOIN), 2000);
    d.eb_period_ms = 1000;
    cr_assert_eq(ek_dut_ms_per_unit(&d, EK_T_JOIN), 40000);
    char err[256];
    cr_assert_eq(ek_dut_set(&d, "timing.join_ms=90000", err, sizeof err), 0, "%s", err);
    cr_assert_eq(ek_dut_ms_per_unit(&d, EK_T_JOIN), 90000);
    d.eb_period_ms = 50;
    cr_assert_eq(ek_dut_ms_per_unit(&d, 42), 0);
    cr_assert_eq(ek_dut_dur_ns(&d, 3, EK_T_IMIN), 48000000ull);
    cr_assert_eq(ek_dut_dur_ns(&d, 0, EK_T_IMAX), 0);
    d.dio_imin_ms = 3600000;
    d.dio_doublings = 31;
    cr_assert_eq(ek_dut_dur_ns(&d, 0xffffffffu, EK_T_IMAX), UINT64_MAX);
}

Test(dut, write_output_loads_back_identically)
{
    char err[512], path[64], text[4096];
    uint64_t seed = 0x5eedd07ull;
    for (int i = 0; i < 300; i++) {
        ek_dut a;
        ek_dut_default(&a);
        a.channel = (uint8_t)(11 + ek_test_xorshift64(&seed) % 16);
        a.pace = ek_test_xorshift64(&seed) & 1;
        a.pan_id = (uint16_t)(ek_test_xorshift64(&seed) % 0xffff);
        a.has_ext = ek_test_xorshift64(&seed) & 1;
        if (a.has_ext)
            for (int j = 0; j < 8; j++)
                a.ext[j] = (uint8_t)ek_test_xorshift64(&seed);
        a.caps = ek_test_xorshift64(&seed) & 0x3f;
        snprintf(a.name, sizeof a.name, "dut-%u", (unsigned)ek_test_xorshift64(&seed));
        snprintf(a.radio_uri, sizeof a.radio_uri, "zep://127.0.0.1:%u?local=127.0.0.1:%u",
                 (unsigned)(1024 + ek_test_xorshift64(&seed) % 60000), (unsigned)(1024 + i));
        if (ek_test_xorshift64(&seed) & 1)
            snprintf(a.spawn, sizeof a.spawn, "exec node --seed %u", (unsigned)ek_test_xorshift64(&seed));
        if (ek_test_xorshift64(&seed) & 1)
            snprintf(a.reset, sizeof a.reset, "kill -HUP $EK_DUT_PID");
        a.ready_ms = ek_test_xorshift64(&seed) % 5000;
        if (ek_test_xorshift64(&seed) & 1)
            snprintf(a.reset_line, sizeof a.reset_line, "booted %u", (unsigned)(ek_test_xorshift64(&seed) % 100));
        a.prof.mep = (ek_mep_profile)(ek_test_xorshift64(&seed) % 4);
        a.prof.mep_type = (uint8_t)(10 + ek_test_xorshift64(&seed) % 246);
        a.prof.ji = (ek_ji_profile)(ek_test_xorshift64(&seed) % 2);
        a.prof.ji_subtype = (uint8_t)(2 + ek_test_xorshift64(&seed) % 254);
        a.dio_imin_ms = 1u << (ek_test_xorshift64(&seed) % 14);
        if (ek_test_xorshift64(&seed) & 1)
            snprintf(a.stdin_file, sizeof a.stdin_file, "conf/dut-%u.txt", (unsigned)(ek_test_xorshift64(&seed) % 100));
        if (ek_test_xorshift64(&seed) & 1)
            snprintf(a.init_commands, sizeof a.init_commands, "ifconfig 7 set pan 0x%04x | rpl init 7",
                     (unsigned)a.pan_id);
        if (ek_test_xorshift64(&seed) & 1) {   /* Join-Info declarations (RFC 9032 §2) */
            a.has_network_id = true;
            a.network_id_len = (uint8_t)(1 + ek_test_xorshift64(&seed) % 16);
            for (int j = 0; j < a.network_id_len; j++)
                a.network_id[j] = (uint8_t)ek_test_xorshift64(&seed);
        }
        a.jp_iid_mode = (uint8_t)(ek_test_xorshift64(&seed) % 3);
        if (a.jp_iid_mode == EK_DUT_IID_VALUE)
            for (int j = 0; j < 8; j++)
                a.jp_iid[j] = (uint8_t)ek_test_xorshift64(&seed);
        if (ek_test_xorshift64(&seed) & 1) {
            a.has_pan_priority = true;
            a.pan_priority = (uint8_t)ek_test_xorshift64(&seed);
        }
        if (ek_test_xorshift64(&seed) & 1) {   /* [dodag], written when not default */
            a.min_hop_rank_inc = (uint16_t)(1 + ek_test_xorshift64(&seed) % 0xffff);
            a.ocp = (uint16_t)(ek_test_xorshift64(&seed) % 3);
        }
        a.dio_doublings = (uint8_t)(ek_test_xorshift64(&seed) % 16);
        a.dio_redundancy = (uint8_t)ek_test_xorshift64(&seed);
        if (a.dio_redundancy >= 1 && a.dio_redundancy <= 3)
            a.dio_redundancy = 0;   /* refused: the harness's DIOs could suppress the DUT's */
        a.eb_period_ms = 1 + ek_test_xorshift64(&seed) % 100000;
        a.slack_ms = ek_test_xorshift64(&seed) % 1000;
        a.join_ms = (uint32_t)(ek_test_xorshift64(&seed) % 3600001);
        if (ek_test_xorshift64(&seed) % 3 == 0) {   /* [security], written when not default */
            uint8_t k[16];
            for (int j = 0; j < 16; j++)
                k[j] = (uint8_t)ek_test_xorshift64(&seed);
            a.secured = ek_test_xorshift64(&seed) & 1;
            if (a.secured)
                a.caps |= EK_CAP_SECURED;
            if (ek_test_xorshift64(&seed) & 1)
                ek_sec_key_make(&a.k1, "k1", k, 1);
            else
                cr_assert(ek_sec_key_named("K2-contiki", &a.k1) && (a.k1.key_index = 1) == 1);
            a.eb_level = (uint8_t)(1 + ek_test_xorshift64(&seed) % 7);
            a.dio_level = (uint8_t)(1 + ek_test_xorshift64(&seed) % 7);
            a.asn_nonce = ek_test_xorshift64(&seed) & 1;
            if (ek_test_xorshift64(&seed) & 1) {   /* key identifier (mode 1-3, indices, source) */
                uint8_t m = (uint8_t)(1 + ek_test_xorshift64(&seed) % 3);
                a.k1.key_id_mode = a.k2.key_id_mode = m;
                a.k1.key_index = (uint8_t)(1 + ek_test_xorshift64(&seed) % 255);
                do
                    a.k2.key_index = (uint8_t)(1 + ek_test_xorshift64(&seed) % 255);
                while (a.k2.key_index == a.k1.key_index);
                a.key_source_len = m == 1 ? 0 : m == 2 ? 4 : 8;
                for (int j = 0; j < a.key_source_len; j++)
                    a.k1.key_source[j] = a.k2.key_source[j] = (uint8_t)ek_test_xorshift64(&seed);
            }
        }

        int n = ek_dut_write(&a, text, sizeof text);
        cr_assert(n > 0 && (size_t)n == strlen(text));
        ek_dut b;
        ek_dut_default(&b);
        b.dio_imin_ms = 7; /* every key is written, so nothing of b's may survive */
        b.has_ext = true;
        cr_assert_eq(load_text(text, &b, err, sizeof err, path), 0, "%s\n%s", err, text);
        cr_assert(memcmp(&a, &b, sizeof a) == 0, "iteration %d:\n%s", i, text);
    }
}

Test(dut, write_refuses_values_ini_cannot_carry)
{
    ek_dut d;
    ek_dut_default(&d);
    char text[4096];
    snprintf(d.spawn, sizeof d.spawn, "exec a ; b");
    cr_assert_eq(ek_dut_write(&d, text, sizeof text), -1);
    snprintf(d.spawn, sizeof d.spawn, "exec a\nb");
    cr_assert_eq(ek_dut_write(&d, text, sizeof text), -1);
    d.spawn[0] = '\0';
    cr_assert(ek_dut_write(&d, text, sizeof text) > 0);
    cr_assert_eq(ek_dut_write(&d, text, 40), -1);
    cr_assert_eq(text[0], '\0');
}

Test(dut, setenv_exports_every_key_as_written)
{
    ek_dut d;
    ek_dut_default(&d);
    char err[256];
    cr_assert_eq(ek_dut_set(&d, "wire.ep_profile=draft-09", err, sizeof err), 0);
    cr_assert_eq(ek_dut_set(&d, "dut.address=02:00:5e:ef:00:00:00:01", err, sizeof err), 0);
    cr_assert_eq(ek_dut_setenv(&d), 0);
    cr_assert_str_eq(getenv("EK_RADIO_URI"), "zep://127.0.0.1:17755?local=127.0.0.1:17754");
    cr_assert_str_eq(getenv("EK_RADIO_CHANNEL"), "26");
    cr_assert_str_eq(getenv("EK_DUT_PAN_ID"), "0xface");
    cr_assert_str_eq(getenv("EK_DUT_ADDRESS"), "02:00:5e:ef:00:00:00:01");
    cr_assert_str_eq(getenv("EK_DUT_CAPABILITIES"), "dio, eb, mep");
    cr_assert_str_eq(getenv("EK_WIRE_EP_PROFILE"), "draft-09");
    cr_assert_str_eq(getenv("EK_WIRE_EP_TYPE"), "0x2a");
    cr_assert_str_eq(getenv("EK_WIRE_IE_PROFILE"), "rfc9032-literal");
    cr_assert_str_eq(getenv("EK_TIMING_DIO_IMIN_MS"), "16");
    cr_assert_str_eq(getenv("EK_TIMING_EB_PERIOD_MS"), "50");
    cr_assert_str_eq(getenv("EK_TIMING_SLACK_MS"), "20");
    cr_assert_str_eq(getenv("EK_TIMING_JOIN_MS"), "0");
    cr_assert_eq(ek_dut_set(&d, "timing.join_ms=12345", err, sizeof err), 0);
    cr_assert_eq(ek_dut_setenv(&d), 0);
    cr_assert_str_eq(getenv("EK_TIMING_JOIN_MS"), "12345");
}

#ifdef EK_VECTORS_PCAP /* <source>/vectors/pcap, from meson */
Test(dut, shipped_examples_load)
{
    static const struct {
        const char *file;
        bool secured, mep;
    } ex[] = {
        { EK_VECTORS_PCAP "/../../examples/dut/refdut-zep.ini", false, true },
        { EK_VECTORS_PCAP "/../../examples/dut/real-dut-template.ini", false, true },
        { EK_VECTORS_PCAP "/../../examples/dut/refdut-zep-secured.ini", true, true },
        { EK_VECTORS_PCAP "/../../examples/dut/refdut-zep-legacy.ini", false, false },
        { EK_VECTORS_PCAP "/../../examples/dut/legacy-6lr-template.ini", false, false },
    };
    for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
        ek_dut d;
        ek_dut_default(&d);
        char err[512];
        cr_assert_eq(ek_dut_load(ex[i].file, &d, err, sizeof err), 0, "%s", err);
        cr_assert_eq(d.secured, ex[i].secured, "%s", ex[i].file);
        cr_assert_eq((d.caps & EK_CAP_SECURED) != 0, ex[i].secured, "%s", ex[i].file);
        cr_assert_eq((d.caps & EK_CAP_MEP) != 0, ex[i].mep, "%s", ex[i].file);
        cr_assert_eq(ek_dut_check(&d, err, sizeof err), 0, "%s: %s", ex[i].file, err);
    }
    /* the reference DUT profiles declare what enroll-refdut advertises in Join-Info:
     * the first 8 octets of the DODAGID fd00::1 it joined, and P = 0 */
    ek_dut d;
    ek_dut_default(&d);
    char err[512];
    cr_assert_eq(ek_dut_load(ex[0].file, &d, err, sizeof err), 0, "%s", err);
    static const uint8_t nid[8] = { 0xfd, 0, 0, 0, 0, 0, 0, 0 };
    cr_assert(d.has_network_id);
    cr_assert_eq(d.network_id_len, 8);
    cr_assert_arr_eq(d.network_id, nid, 8);
    cr_assert_eq(d.jp_iid_mode, EK_DUT_IID_NONE);
}
#endif

/* ---- [security] (RFC 8180 §4.6 K1/K2, IEEE 802.15.4-2015 §9.4) ---- */

Test(dut, security_defaults_are_off_with_published_keys)
{
    ek_dut d;
    ek_dut_default(&d);
    ek_sec_key k1, k2;
    cr_assert(ek_sec_key_named("K1-minimal15", &k1));
    cr_assert(ek_sec_key_named("K2-contiki", &k2));
    cr_assert_not(d.secured);
    cr_assert_not(d.caps & EK_CAP_SECURED);
    cr_assert_arr_eq(d.k1.key, k1.key, 16);
    cr_assert_arr_eq(d.k2.key, k2.key, 16);
    cr_assert_eq(d.k1.key_id_mode, 1);
    cr_assert_eq(d.k1.key_index, 1);
    cr_assert_eq(d.k2.key_id_mode, 1);
    cr_assert_eq(d.k2.key_index, 2);
    cr_assert_eq(d.eb_level, 1);
    cr_assert_eq(d.dio_level, 5);
    cr_assert_not(d.asn_nonce);
    /* security off and at defaults: the written profile has no [security] section */
    char text[4096];
    cr_assert(ek_dut_write(&d, text, sizeof text) > 0);
    cr_assert_null(strstr(text, "[security]"));
}

Test(dut, security_section_loads_names_and_hex_keys)
{
    ek_dut d;
    ek_dut_default(&d);
    char err[512], path[64];
    int rc = load_text("[dut]\ncapabilities = dio, eb\n"
                       "[security]\n"
                       "enabled = true\n"
                       "k1 = 00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff\n"
                       "k2 = K1-minimal15\n"
                       "eb_level = 2\n"
                       "dio_level = 7\n"
                       "asn_nonce = yes\n",
                       &d, err, sizeof err, path);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert(d.secured);
    cr_assert_eq(d.caps, EK_CAP_SENDS_DIO | EK_CAP_SENDS_EB | EK_CAP_SECURED);
    static const uint8_t k1[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                    0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
    cr_assert_arr_eq(d.k1.key, k1, 16);
    cr_assert_eq(d.k1.key_index, 1);
    ek_sec_key def;
    cr_assert(ek_sec_key_named("K1-minimal15", &def));
    cr_assert_arr_eq(d.k2.key, def.key, 16);
    cr_assert_eq(d.k2.key_index, 2, "k2 is always key index 2, whatever key it names");
    cr_assert_eq(d.k2.key_id_mode, 1);
    cr_assert_eq(d.eb_level, 2);
    cr_assert_eq(d.dio_level, 7);
    cr_assert(d.asn_nonce);
    /* written back: the hex key as 32 digits, the named one by name */
    char text[4096];
    cr_assert(ek_dut_write(&d, text, sizeof text) > 0);
    cr_assert_not_null(strstr(text, "\n[security]\nenabled = true\nk1 = 00112233445566778899aabbccddeeff\n"
                                    "k2 = K1-minimal15\neb_level = 2\ndio_level = 7\nasn_nonce = true\n"));
    cr_assert_not_null(strstr(text, "capabilities = dio, eb, secured\n"));
}

Test(dut, security_errors_name_file_line_and_key)
{
    expect_error("[security]\nenabled = maybe\n", 2,
                 "security.enabled: \"maybe\" is not a boolean (true/false, yes/no, on/off, 1/0)");
    expect_error("[security]\nk1 = K9\n", 2,
                 "security.k1: \"K9\" is neither a known key name (K1-minimal15, K2-contiki, annex-c) nor 32 hex digits");
    expect_error("[security]\n\nk2 = 00112233445566778899aabbccddee\n", 3,
                 "security.k2: \"00112233445566778899aabbccddee\" is neither a known key name (K1-minimal15, "
                 "K2-contiki, annex-c) nor 32 hex digits");
    expect_error("[security]\neb_level = 0\n", 2, "security.eb_level: 0 out of range 1..7");
    expect_error("[security]\ndio_level = 8\n", 2, "security.dio_level: 8 out of range 1..7");
    expect_error("[security]\nasn_nonce = 2\n", 2,
                 "security.asn_nonce: \"2\" is not a boolean (true/false, yes/no, on/off, 1/0)");
    expect_error("[security]\nkey = 00\n", 2,
                 "security.key: unknown key (known in [security]: enabled, k1, k2, eb_level, dio_level, asn_nonce, "
                 "key_id_mode, k1_index, k2_index, key_source)");
    expect_error("[security]\nenabled = true\nenabled = false\n", 3, "security.enabled: given twice (first on line 2)");
}

Test(dut, security_overrides_and_capability)
{
    ek_dut d;
    ek_dut_default(&d);
    char err[512];
    cr_assert_eq(ek_dut_set(&d, "security.enabled=true", err, sizeof err), 0, "%s", err);
    cr_assert(d.secured);
    cr_assert(d.caps & EK_CAP_SECURED);
    /* capabilities given afterwards without "secured": enabled still implies it */
    cr_assert_eq(ek_dut_set(&d, "dut.capabilities=dio", err, sizeof err), 0, "%s", err);
    cr_assert_eq(d.caps, EK_CAP_SENDS_DIO | EK_CAP_SECURED);
    cr_assert_eq(ek_dut_set(&d, "security.k2=annex-c", err, sizeof err), 0, "%s", err);
    cr_assert_eq(d.k2.key_id_mode, 1);
    cr_assert_eq(d.k2.key_index, 2);
    cr_assert_eq(d.k2.key[0], 0xc0);
    cr_assert_eq(ek_dut_set(&d, "security.dio_level=6", err, sizeof err), 0, "%s", err);
    cr_assert_eq(d.dio_level, 6);
    ek_dut before = d;
    cr_assert_eq(ek_dut_set(&d, "security.eb_level=9", err, sizeof err), -1);
    cr_assert_str_eq(err, "security.eb_level: 9 out of range 1..7");
    cr_assert(memcmp(&d, &before, sizeof d) == 0);
    /* turning it off withdraws the capability it implied */
    cr_assert_eq(ek_dut_set(&d, "security.enabled=off", err, sizeof err), 0, "%s", err);
    cr_assert_not(d.secured);
    cr_assert_eq(d.caps, EK_CAP_SENDS_DIO);
}

Test(dut, security_setenv_exports_the_text_values)
{
    ek_dut d;
    ek_dut_default(&d);
    char err[256];
    cr_assert_eq(ek_dut_setenv(&d), 0);
    cr_assert_str_eq(getenv("EK_SECURITY_ENABLED"), "false");
    cr_assert_str_eq(getenv("EK_SECURITY_K1"), "K1-minimal15");
    cr_assert_str_eq(getenv("EK_SECURITY_K2"), "K2-contiki");
    cr_assert_str_eq(getenv("EK_SECURITY_EB_LEVEL"), "1");
    cr_assert_str_eq(getenv("EK_SECURITY_DIO_LEVEL"), "5");
    cr_assert_str_eq(getenv("EK_SECURITY_ASN_NONCE"), "false");
    cr_assert_eq(ek_dut_set(&d, "security.enabled=1", err, sizeof err), 0);
    cr_assert_eq(ek_dut_set(&d, "security.k1=000102030405060708090a0b0c0d0e0f", err, sizeof err), 0);
    cr_assert_eq(ek_dut_setenv(&d), 0);
    cr_assert_str_eq(getenv("EK_SECURITY_ENABLED"), "true");
    cr_assert_str_eq(getenv("EK_SECURITY_K1"), "000102030405060708090a0b0c0d0e0f");
    cr_assert_str_eq(getenv("EK_DUT_CAPABILITIES"), "dio, eb, mep, secured");
}

/* ---- [security] key identifier (key_id_mode, k1_index, k2_index, key_source;
 * IEEE 802.15.4-2015 §9.4.1.2 Key Identifier Mode, §9.4.4 Key Source / Key Index) ---- */

Test(dut, key_identifier_loads_mode_3_with_source_and_indices)
{
    ek_dut d;
    ek_dut_default(&d);
    char err[512], path[64];
    /* key_source before key_id_mode, k1 after both: the order of keys is free */
    int rc = load_text("[security]\n"
                       "enabled = true\n"
                       "key_source = 00:11:22:33:44:55:66:77\n"
                       "key_id_mode = 3\n"
                       "k1_index = 0x10\n"
                       "k2_index = 32\n"
                       "k1 = 4b312d6e6f742d64656661756c742121\n",
                       &d, err, sizeof err, path);
    cr_assert_eq(rc, 0, "%s", err);
    static const uint8_t src[8] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 };
    cr_assert_eq(d.key_source_len, 8);
    cr_assert_eq(d.k1.key_id_mode, 3);
    cr_assert_eq(d.k2.key_id_mode, 3);
    cr_assert_eq(d.k1.key_index, 16);
    cr_assert_eq(d.k2.key_index, 32);
    cr_assert_arr_eq(d.k1.key_source, src, 8);
    cr_assert_arr_eq(d.k2.key_source, src, 8);
    cr_assert_eq(d.k1.key[0], 0x4b, "k1 took its octets and kept the identifier");
    cr_assert_eq(ek_dut_check(&d, err, sizeof err), 0, "%s", err);
    char text[4096];
    cr_assert(ek_dut_write(&d, text, sizeof text) > 0);
    cr_assert_not_null(strstr(text, "asn_nonce = false\nkey_id_mode = 3\nk1_index = 16\nk2_index = 32\n"
                                    "key_source = 0011223344556677\n"), "%s", text);
    ek_dut b;
    ek_dut_default(&b);
    cr_assert_eq(load_text(text, &b, err, sizeof err, path), 0, "%s", err);
    cr_assert(memcmp(&d, &b, sizeof d) == 0);
}

Test(dut, key_identifier_mode_2_and_defaults_are_not_written)
{
    ek_dut d;
    ek_dut_default(&d);
    char err[512], path[64], text[4096];
    cr_assert_eq(d.key_source_len, 0);
    cr_assert_eq(ek_dut_check(&d, err, sizeof err), 0, "%s", err);
    /* a secured profile at the default identifier prints exactly as without the key identifier keys */
    cr_assert_eq(ek_dut_set(&d, "security.enabled=true", err, sizeof err), 0, "%s", err);
    cr_assert(ek_dut_write(&d, text, sizeof text) > 0);
    cr_assert_not_null(strstr(text, "dio_level = 5\nasn_nonce = false\n"));
    cr_assert_null(strstr(text, "key_id_mode"));
    cr_assert_null(strstr(text, "_index"));
    cr_assert_null(strstr(text, "key_source"));
    int rc = load_text("[security]\nkey_id_mode = 2\nkey_source = a1b2c3d4\n", &d, err, sizeof err, path);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert_eq(d.k2.key_id_mode, 2);
    cr_assert_eq(d.key_source_len, 4);
    cr_assert_eq(d.k2.key_source[3], 0xd4);
    cr_assert_eq(d.k2.key_source[4], 0x00);
    cr_assert(ek_dut_write(&d, text, sizeof text) > 0);
    /* only the keys off their defaults */
    cr_assert_not_null(strstr(text, "asn_nonce = false\nkey_id_mode = 2\nkey_source = a1b2c3d4\n"), "%s", text);
    cr_assert_null(strstr(text, "_index"));
}

Test(dut, key_identifier_errors_name_file_line_and_key)
{
    expect_error("[security]\nkey_id_mode = 0\n", 2,
                 "security.key_id_mode: 0 (implicit key, IEEE 802.15.4-2015 §9.4.1.2) cannot tell K1 from K2 "
                 "apart: use 1 (key index), 2 (4-octet key source + index) or 3 (8-octet key source + index)");
    expect_error("[security]\nkey_id_mode = 4\n", 2, "security.key_id_mode: 4 out of range 0..3");
    expect_error("[security]\nk1_index = 0\n", 2, "security.k1_index: 0 out of range 1..255");
    expect_error("[security]\nk2_index = 256\n", 2, "security.k2_index: 256 out of range 1..255");
    expect_error("[security]\nkey_source = 0011223344\n", 2,
                 "security.key_source: \"0011223344\" is not a key source: 4 octets (key_id_mode 2) or 8 "
                 "octets (key_id_mode 3) as hex, e.g. 0011223344556677");
    expect_error("[security]\nkey_source = 00112233xx\n", 2,
                 "security.key_source: \"00112233xx\" is not a key source: 4 octets (key_id_mode 2) or 8 "
                 "octets (key_id_mode 3) as hex, e.g. 0011223344556677");
    /* cross-key checks, on the line of the key to blame */
    expect_error("[security]\nenabled = true\nkey_source = 00112233\n", 3,
                 "security.key_source: refused with key_id_mode 1 (key index only, IEEE 802.15.4-2015 §9.4.1.2); "
                 "key_id_mode 2 takes 4 octets, 3 takes 8");
    expect_error("[security]\n\nkey_id_mode = 3\n", 3,
                 "security.key_id_mode: 3 needs key_source (8 octets, IEEE 802.15.4-2015 §9.4.4.1)");
    expect_error("[security]\nkey_id_mode = 3\nkey_source = 00112233\n", 3,
                 "security.key_source: 4 octets given, key_id_mode 3 needs 8 (IEEE 802.15.4-2015 §9.4.4.1)");
    expect_error("[security]\nkey_source = 00112233\nkey_id_mode = 3\n", 3,
                 "security.key_id_mode: 4 octets given, key_id_mode 3 needs 8 (IEEE 802.15.4-2015 §9.4.4.1)");
    expect_error("[security]\nk1_index = 2\n", 2,
                 "security.k1_index: k1_index and k2_index are both 2 with the same key source: frames could not "
                 "tell K1 from K2 apart (IEEE 802.15.4-2015 §9.2.2)");
    expect_error("[security]\nk1_index = 9\nkey_id_mode = 2\nkey_source = 01020304\nk2_index = 9\n", 5,
                 "security.k2_index: k1_index and k2_index are both 9 with the same key source: frames could not "
                 "tell K1 from K2 apart (IEEE 802.15.4-2015 §9.2.2)");
}

Test(dut, key_identifier_overrides_any_order_then_check)
{
    ek_dut d;
    ek_dut_default(&d);
    char err[512];
    /* one override at a time may be inconsistent; ek_dut_check judges the result */
    cr_assert_eq(ek_dut_set(&d, "security.key_id_mode=3", err, sizeof err), 0, "%s", err);
    cr_assert_eq(ek_dut_check(&d, err, sizeof err), -1);
    cr_assert_str_eq(err, "security.key_id_mode: 3 needs key_source (8 octets, IEEE 802.15.4-2015 §9.4.4.1)");
    cr_assert_eq(ek_dut_set(&d, "security.key_source=0011223344556677", err, sizeof err), 0, "%s", err);
    cr_assert_eq(ek_dut_check(&d, err, sizeof err), 0, "%s", err);
    cr_assert_eq(d.k1.key_id_mode, 3);
    cr_assert_eq(d.k2.key_id_mode, 3);
    cr_assert_eq(d.k1.key_source[7], 0x77);
    /* a key given afterwards keeps the identifier */
    cr_assert_eq(ek_dut_set(&d, "security.k2=annex-c", err, sizeof err), 0, "%s", err);
    cr_assert_eq(d.k2.key_id_mode, 3);
    cr_assert_eq(d.k2.key_index, 2);
    cr_assert_eq(d.k2.key_source[0], 0x00);
    cr_assert_eq(d.k2.key_source[1], 0x11);
    /* value errors are immediate and leave the profile untouched */
    ek_dut before = d;
    cr_assert_eq(ek_dut_set(&d, "security.key_id_mode=0", err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "security.key_id_mode: 0 (implicit key"));
    cr_assert_eq(ek_dut_set(&d, "security.k2_index=0", err, sizeof err), -1);
    cr_assert_str_eq(err, "security.k2_index: 0 out of range 1..255");
    cr_assert(memcmp(&d, &before, sizeof d) == 0);
    cr_assert_eq(ek_dut_set(&d, "security.k2_index=1", err, sizeof err), 0, "%s", err);
    cr_assert_eq(ek_dut_check(&d, err, sizeof err), -1);
    cr_assert_str_eq(err, "security.k2_index: k1_index and k2_index are both 1 with the same key source: frames "
                          "could not tell K1 from K2 apart (IEEE 802.15.4-2015 §9.2.2)");
    /* back to mode 1: clear the source with an empty value */
    cr_assert_eq(ek_dut_set(&d, "security.k2_index=5", err, sizeof err), 0, "%s", err);
    cr_assert_eq(ek_dut_set(&d, "security.key_id_mode=1", err, sizeof err), 0, "%s", err);
    cr_assert_eq(ek_dut_check(&d, err, sizeof err), -1);
    cr_assert_not_null(strstr(err, "security.key_source: refused with key_id_mode 1"));
    cr_assert_eq(ek_dut_set(&d, "security.key_source=", err, sizeof err), 0, "%s", err);
    cr_assert_eq(ek_dut_check(&d, err, sizeof err), 0, "%s", err);
}

Test(dut, key_identifier_setenv)
{
    ek_dut d;
    ek_dut_default(&d);
    char err[256];
    cr_assert_eq(ek_dut_setenv(&d), 0);
    cr_assert_str_eq(getenv("EK_SECURITY_KEY_ID_MODE"), "1");
    cr_assert_str_eq(getenv("EK_SECURITY_K1_INDEX"), "1");
    cr_assert_str_eq(getenv("EK_SECURITY_K2_INDEX"), "2");
    cr_assert_str_eq(getenv("EK_SECURITY_KEY_SOURCE"), "");
    cr_assert_eq(ek_dut_set(&d, "security.key_id_mode=2", err, sizeof err), 0, "%s", err);
    cr_assert_eq(ek_dut_set(&d, "security.key_source=DE-AD-BE-EF", err, sizeof err), 0, "%s", err);
    cr_assert_eq(ek_dut_set(&d, "security.k2_index=0x22", err, sizeof err), 0, "%s", err);
    cr_assert_eq(ek_dut_setenv(&d), 0);
    cr_assert_str_eq(getenv("EK_SECURITY_KEY_ID_MODE"), "2");
    cr_assert_str_eq(getenv("EK_SECURITY_K2_INDEX"), "34");
    cr_assert_str_eq(getenv("EK_SECURITY_KEY_SOURCE"), "deadbeef");
}

/* ---- the mep capability, declared Join-Info values, DUT stdin, [dodag], Imin ---- */

Test(dut, mep_capability_parses_formats_and_a_legacy_stack_omits_it)
{
    char b[96];
    cr_assert_str_eq(ek_dut_caps_format(EK_CAP_SENDS_DIO | EK_CAP_SENDS_EB | EK_CAP_MEP, b, sizeof b),
                     "dio, eb, mep");
    cr_assert_str_eq(ek_dut_caps_format(EK_CAP_MEP | EK_CAP_SECURED, b, sizeof b), "mep, secured");
    ek_dut d;
    ek_dut_default(&d);
    char err[512], path[64];
    cr_assert_eq(load_text("[dut]\ncapabilities = dio\n", &d, err, sizeof err, path), 0, "%s", err);
    cr_assert_eq(d.caps, EK_CAP_SENDS_DIO);
    cr_assert_eq(ek_dut_set(&d, "dut.capabilities=dio, mep", err, sizeof err), 0, "%s", err);
    cr_assert_eq(d.caps, EK_CAP_SENDS_DIO | EK_CAP_MEP);
    cr_assert_eq(ek_dut_setenv(&d), 0);
    cr_assert_str_eq(getenv("EK_DUT_CAPABILITIES"), "dio, mep");
}

Test(dut, join_info_declarations_load)
{
    ek_dut d;
    ek_dut_default(&d);
    char err[512], path[64];
    int rc = load_text("[dut]\n"
                       "network_id = fd:00:00:00:00:00:00:01:aa\n"
                       "jp_iid = 02:00:5e:ef:00:00:00:01\n"
                       "pan_priority = 0x40\n",
                       &d, err, sizeof err, path);
    cr_assert_eq(rc, 0, "%s", err);
    static const uint8_t nid[9] = { 0xfd, 0, 0, 0, 0, 0, 0, 1, 0xaa };
    static const uint8_t iid[8] = { 0x02, 0x00, 0x5e, 0xef, 0, 0, 0, 1 };
    cr_assert(d.has_network_id);
    cr_assert_eq(d.network_id_len, 9);
    cr_assert_arr_eq(d.network_id, nid, 9);
    cr_assert_eq(d.jp_iid_mode, EK_DUT_IID_VALUE);
    cr_assert_arr_eq(d.jp_iid, iid, 8);
    cr_assert(d.has_pan_priority);
    cr_assert_eq(d.pan_priority, 0x40);
    char text[4096];
    cr_assert(ek_dut_write(&d, text, sizeof text) > 0);
    cr_assert_not_null(strstr(text, "network_id = fd00000000000001aa\n"), "%s", text);
    cr_assert_not_null(strstr(text, "jp_iid = 02:00:5e:ef:00:00:00:01\n"), "%s", text);
    cr_assert_not_null(strstr(text, "pan_priority = 0x40\n"), "%s", text);
    cr_assert_eq(ek_dut_setenv(&d), 0);
    cr_assert_str_eq(getenv("EK_DUT_NETWORK_ID"), "fd00000000000001aa");
    cr_assert_str_eq(getenv("EK_DUT_JP_IID"), "02:00:5e:ef:00:00:00:01");
    cr_assert_str_eq(getenv("EK_DUT_PAN_PRIORITY"), "0x40");
    /* none = P = 0; empty values withdraw a declaration again (for --set) */
    cr_assert_eq(ek_dut_set(&d, "dut.jp_iid=none", err, sizeof err), 0, "%s", err);
    cr_assert_eq(d.jp_iid_mode, EK_DUT_IID_NONE);
    cr_assert_eq(ek_dut_setenv(&d), 0);
    cr_assert_str_eq(getenv("EK_DUT_JP_IID"), "none");
    cr_assert_eq(ek_dut_set(&d, "dut.network_id=", err, sizeof err), 0, "%s", err);
    cr_assert_eq(ek_dut_set(&d, "dut.jp_iid=", err, sizeof err), 0, "%s", err);
    cr_assert_eq(ek_dut_set(&d, "dut.pan_priority=", err, sizeof err), 0, "%s", err);
    ek_dut def;
    ek_dut_default(&def);
    cr_assert(memcmp(&d, &def, sizeof d) == 0, "empty values restore the undeclared defaults");
    cr_assert_eq(ek_dut_setenv(&d), 0);
    cr_assert_str_eq(getenv("EK_DUT_NETWORK_ID"), "");
    cr_assert_str_eq(getenv("EK_DUT_JP_IID"), "");
    cr_assert_str_eq(getenv("EK_DUT_PAN_PRIORITY"), "");
    /* a 16-octet network ID is the longest (RFC 9032 §2) */
    cr_assert_eq(ek_dut_set(&d, "dut.network_id=000102030405060708090a0b0c0d0e0f", err, sizeof err), 0, "%s", err);
    cr_assert_eq(d.network_id_len, 16);
}

Test(dut, join_info_declaration_errors_name_the_key)
{
    expect_error("[dut]\nnetwork_id = fd0\n", 2,
                 "dut.network_id: \"fd0\" is not a network ID: 1..16 octets as hex (RFC 9032 §2), e.g. "
                 "fd00000000000000 or fd:00:00:00:00:00:00:00");
    expect_error("[dut]\nnetwork_id = 000102030405060708090a0b0c0d0e0f10\n", 2,
                 "dut.network_id: \"000102030405060708090a0b0c0d0e0f10\" is not a network ID: 1..16 octets as "
                 "hex (RFC 9032 §2), e.g. fd00000000000000 or fd:00:00:00:00:00:00:00");
    expect_error("[dut]\nnetwork_id = fd:0000\n", 2,
                 "dut.network_id: \"fd:0000\" is not a network ID: 1..16 octets as hex (RFC 9032 §2), e.g. "
                 "fd00000000000000 or fd:00:00:00:00:00:00:00");
    expect_error("[dut]\njp_iid = 02:00:5e:ef:00:00:01\n", 2,
                 "dut.jp_iid: \"02:00:5e:ef:00:00:01\" is neither none (P = 0) nor 8 octets (e.g. "
                 "02:00:5e:ef:00:00:00:01)");
    expect_error("[dut]\npan_priority = 256\n", 2, "dut.pan_priority: 256 out of range 0..255");
}

/* reset_line: read, written back only when set, exported to spawn / reset commands */
Test(dut, reset_line_round_trip)
{
    ek_dut d;
    ek_dut_default(&d);
    char err[512], path[64], text[4096];
    cr_assert_eq(d.reset_line[0], '\0');
    cr_assert(ek_dut_write(&d, text, sizeof text) > 0);
    cr_assert_null(strstr(text, "reset_line"));
    cr_assert_eq(load_text("[dut]\nreset = kill -HUP \"$EK_DUT_PID\"\nreset_line = SIGHUP: state forgotten\n", &d, err,
                           sizeof err, path),
                 0, "%s", err);
    cr_assert_str_eq(d.reset_line, "SIGHUP: state forgotten");
    cr_assert(ek_dut_write(&d, text, sizeof text) > 0);
    cr_assert_not_null(strstr(text, "reset_line = SIGHUP: state forgotten\n"), "%s", text);
    cr_assert_eq(ek_dut_setenv(&d), 0);
    cr_assert_str_eq(getenv("EK_DUT_RESET_LINE"), "SIGHUP: state forgotten");
    cr_assert_eq(ek_dut_set(&d, "dut.reset_line=", err, sizeof err), 0, "%s", err);
    cr_assert_eq(d.reset_line[0], '\0');
    char longer[200];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    char kv[260];
    snprintf(kv, sizeof kv, "dut.reset_line=%s", longer);
    cr_assert_neq(ek_dut_set(&d, kv, err, sizeof err), 0, "a line longer than 127 characters is refused");
    cr_assert_not_null(strstr(err, "reset_line"), "%s", err);
}

Test(dut, stdin_file_and_init_commands_round_trip)
{
    ek_dut d;
    ek_dut_default(&d);
    char err[512], path[64], text[4096];
    cr_assert_eq(load_text("[dut]\nstdin_file = conf/riot.txt\n"
                           "init_commands = ifconfig 7 set pan_id 0xface | ifconfig 7 set chan 26 | rpl init 7\n",
                           &d, err, sizeof err, path),
                 0, "%s", err);
    cr_assert_str_eq(d.stdin_file, "conf/riot.txt");
    cr_assert_str_eq(d.init_commands, "ifconfig 7 set pan_id 0xface | ifconfig 7 set chan 26 | rpl init 7");
    cr_assert(ek_dut_write(&d, text, sizeof text) > 0);
    cr_assert_not_null(strstr(text, "stdin_file = conf/riot.txt\n"));
    cr_assert_eq(ek_dut_setenv(&d), 0);
    cr_assert_str_eq(getenv("EK_DUT_INIT_COMMANDS"), "ifconfig 7 set pan_id 0xface | ifconfig 7 set chan 26 | rpl init 7");
    /* not written when empty, so profiles that do not use them print as before */
    ek_dut_default(&d);
    cr_assert(ek_dut_write(&d, text, sizeof text) > 0);
    cr_assert_null(strstr(text, "stdin_file"));
    cr_assert_null(strstr(text, "init_commands"));
    cr_assert_null(strstr(text, "network_id"));
    cr_assert_null(strstr(text, "[dodag]"));
    /* a ';' after a blank cannot be carried by INI: refused by the writer */
    snprintf(d.init_commands, sizeof d.init_commands, "a ; b");
    cr_assert_eq(ek_dut_write(&d, text, sizeof text), -1);
}

Test(dut, dodag_section_loads_and_is_written_only_when_not_default)
{
    ek_dut d;
    ek_dut_default(&d);
    char err[512], path[64], text[4096];
    cr_assert_eq(load_text("[dodag]\nmin_hop_rank_inc = 128\nocp = 1\n", &d, err, sizeof err, path), 0, "%s", err);
    cr_assert_eq(d.min_hop_rank_inc, 128);
    cr_assert_eq(d.ocp, 1);
    cr_assert(ek_dut_write(&d, text, sizeof text) > 0);
    cr_assert_not_null(strstr(text, "\n[dodag]\nmin_hop_rank_inc = 128\nocp = 1\n"), "%s", text);
    cr_assert_eq(ek_dut_setenv(&d), 0);
    cr_assert_str_eq(getenv("EK_DODAG_MIN_HOP_RANK_INC"), "128");
    cr_assert_str_eq(getenv("EK_DODAG_OCP"), "1");
    expect_error("[dodag]\nmin_hop_rank_inc = 0\n", 2, "dodag.min_hop_rank_inc: 0 out of range 1..65535");
    expect_error("[dodag]\nocp = 65536\n", 2, "dodag.ocp: 65536 out of range 0..65535");
    expect_error("[dodag]\nrank = 1\n", 2, "dodag.rank: unknown key (known in [dodag]: min_hop_rank_inc, ocp)");
}

Test(dut, dio_imin_ms_must_be_a_power_of_two)
{
    expect_error("[timing]\ndio_imin_ms = 100\n", 2,
                 "timing.dio_imin_ms: 100 is not a power of two (the DODAG Configuration option carries DIOIntMin "
                 "= log2 of Imin in ms, RFC 6550 §6.7.6): use 64 or 128");
    expect_error("[timing]\ndio_imin_ms = 3\n", 2,
                 "timing.dio_imin_ms: 3 is not a power of two (the DODAG Configuration option carries DIOIntMin "
                 "= log2 of Imin in ms, RFC 6550 §6.7.6): use 2 or 4");
    expect_error("[timing]\ndio_imin_ms = 3000000\n", 2,
                 "timing.dio_imin_ms: 3000000 is not a power of two (the DODAG Configuration option carries "
                 "DIOIntMin = log2 of Imin in ms, RFC 6550 §6.7.6): use 2097152");
    ek_dut d;
    ek_dut_default(&d);
    char err[512];
    cr_assert_eq(ek_dut_set(&d, "timing.dio_imin_ms=1", err, sizeof err), 0, "%s", err);
    cr_assert_eq(ek_dut_set(&d, "timing.dio_imin_ms=24", err, sizeof err), -1);
    cr_assert_str_eq(err, "timing.dio_imin_ms: 24 is not a power of two (the DODAG Configuration option carries "
                          "DIOIntMin = log2 of Imin in ms, RFC 6550 §6.7.6): use 16 or 32");
    /* ek_dut_check catches a struct filled by hand */
    d.dio_imin_ms = 1000;
    cr_assert_eq(ek_dut_check(&d, err, sizeof err), -1);
    cr_assert_str_eq(err, "timing.dio_imin_ms: 1000 is not a power of two (the DODAG Configuration option carries "
                          "DIOIntMin = log2 of Imin in ms, RFC 6550 §6.7.6): use 512 or 1024");
    d.dio_imin_ms = 1024;
    cr_assert_eq(ek_dut_check(&d, err, sizeof err), 0, "%s", err);
    d.min_hop_rank_inc = 0;
    cr_assert_eq(ek_dut_check(&d, err, sizeof err), -1);
    cr_assert_str_eq(err, "dodag.min_hop_rank_inc: 0 out of range 1..65535");
}

Test(dut, max_local_cost_loads_is_written_when_set_and_limits_applicability)
{
    ek_dut d;
    ek_dut_default(&d);
    char err[512], path[64], text[4096], why[256];
    cr_assert_eq(d.max_local_cost, EK_DUT_MAX_LOCAL_COST_DEFAULT);
    cr_assert(ek_dut_write(&d, text, sizeof text) > 0);
    cr_assert_null(strstr(text, "max_local_cost"), "%s", text);   /* default: not written */
    cr_assert_eq(load_text("[dut]\nmax_local_cost = 0x1f\n", &d, err, sizeof err, path), 0, "%s", err);
    cr_assert_eq(d.max_local_cost, 0x1f);
    cr_assert(ek_dut_write(&d, text, sizeof text) > 0);
    cr_assert_not_null(strstr(text, "max_local_cost = 0x1f\n"), "%s", text);
    expect_error("[dut]\nmax_local_cost = 0x80\n", 2, "dut.max_local_cost: 0x80 out of range 0..127");
    /* a TD whose EB windows need a cost <= 0x0f does not apply to a 0x1f DUT */
    static const ek_step st[] = { { .kind = EK_STEP_WAIT, .what = "w", .window = EK_MS(1) } };
    ek_td td = { .id = "TP-T", .suite = "t", .title = "t", .objective = "o", .refs = "r", .config = "c",
                 .profiles = EK_PROF_ALL, .needs = 0, .steps = st, .n_steps = 1, .max_cost = 0x0f };
    cr_assert_not(ek_td_applicable(&td, &d, why, sizeof why));
    cr_assert_str_eq(why, "its EB windows need a local cost <= 0x0f (max_local_cost is 0x1f)");
    td.max_cost = 0x1f;
    cr_assert(ek_td_applicable(&td, &d, why, sizeof why), "%s", why);
}

Test(dut, ep_length_4_only_under_draft_16)
{
    ek_dut d;
    ek_dut_default(&d);
    char err[512], path[64], text[4096];
    cr_assert_eq(d.ep_length, 0);
    cr_assert(ek_dut_write(&d, text, sizeof text) > 0);
    cr_assert_null(strstr(text, "ep_length"), "%s", text);   /* default: not written */
    cr_assert_eq(load_text("[wire]\nep_profile = draft-16\nep_length = 4\n", &d, err, sizeof err, path), 0, "%s", err);
    cr_assert_eq(d.ep_length, 4);
    cr_assert(ek_dut_write(&d, text, sizeof text) > 0);
    cr_assert_not_null(strstr(text, "ep_length = 4\n"), "%s", text);
    expect_error("[wire]\nep_profile = draft-09\nep_length = 3\n", 3,
                 "wire.ep_length: 3 does not fit draft-09 (0 = its own Length 4)");
    expect_error("[wire]\nep_profile = draft-16\nep_length = 5\n", 3,
                 "wire.ep_length: 5 does not fit draft-16 (0 = its own Length 3; 4 = the length drafts -10..-16 "
                 "print)");
}

/* [dut] role and the DODAG root's [root] section: commands, size, write-back. */
Test(dut, root_role_commands_and_size_round_trip)
{
    ek_dut d, back;
    ek_dut_default(&d);
    cr_expect_eq(d.role, EK_NODE_6LR);
    char err[256], path[64];
    cr_assert_eq(load_text("[dut]\nrole = root\n[root]\ncmd_set_min = min %u\ncmd_set_min_urgent = enroll %u now "
                           "100%%\ndodag_size = 100\n",
                           &d, err, sizeof err, path),
                 0, "%s", err);
    cr_expect_eq(d.role, EK_NODE_ROOT);
    cr_expect_str_eq(d.cmd_set_min, "min %u");
    cr_expect(d.has_dodag_size);
    cr_expect_eq(d.dodag_size, 100u);
    char line[64];
    cr_expect_eq(ek_dut_cmd_format(d.cmd_set_min_urgent, 127, line, sizeof line), 0);
    cr_expect_str_eq(line, "enroll 127 now 100%");
    char buf[4096];
    cr_assert_gt(ek_dut_write(&d, buf, sizeof buf), 0);
    cr_expect(strstr(buf, "role = root\n") && strstr(buf, "[root]\n") && strstr(buf, "dodag_size = 100\n"), "%s", buf);
    ek_dut_default(&back);
    cr_assert_eq(load_text(buf, &back, err, sizeof err, path), 0, "%s", err);
    cr_expect_eq(back.role, EK_NODE_ROOT);
    cr_expect_str_eq(back.cmd_set_min_urgent, d.cmd_set_min_urgent);
    cr_expect_eq(back.dodag_size, 100u);
    /* a 6LR profile prints neither role nor [root] */
    ek_dut_default(&d);
    cr_assert_gt(ek_dut_write(&d, buf, sizeof buf), 0);
    cr_expect_null(strstr(buf, "role"));
    cr_expect_null(strstr(buf, "[root]"));
    /* refused: unknown role, templates without exactly one %u or with another conversion */
    cr_expect_eq(ek_dut_set(&d, "dut.role=gateway", err, sizeof err), -1);
    cr_expect(strstr(err, "6lr, root, pledge, jrc") != NULL, "%s", err);
    cr_expect_eq(ek_dut_set(&d, "dut.role=jrc", err, sizeof err), 0, "%s", err);
    cr_expect_eq(ek_dut_set(&d, "root.cmd_set_min=min", err, sizeof err), -1);
    cr_expect_eq(ek_dut_set(&d, "root.cmd_set_min=min %u %u", err, sizeof err), -1);
    cr_expect_eq(ek_dut_set(&d, "root.cmd_set_min=min %s", err, sizeof err), -1);
    cr_expect_eq(ek_dut_set(&d, "root.dodag_size=491521", err, sizeof err), -1);
    cr_expect_eq(ek_dut_set(&d, "root.dodag_size=", err, sizeof err), 0);
    cr_expect_not(d.has_dodag_size);
    cr_expect_eq(ek_dut_cmd_format("min %u", 5, line, 5), -1, "too small a buffer");
}
