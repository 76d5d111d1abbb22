/* SPDX-License-Identifier: BSD-3-Clause */
/* Stimulus building: role addresses (02:00:5e:ef:00:00:00:0a + role), default ranks,
 * the option in each wire profile, extra_hex parsing (RFC 6550 §6.7.1 Type | Length |
 * data, Pad1 §6.7.2) and the tweak hook. */
#include <criterion/criterion.h>
#include <string.h>

#include "ek/match.h"
#include "engine_int.h"

/* decode problems are part of what the tests look at, not a reason to stop */
#define DECODE_IGNORING(x) do { ek_status st_ = (x); (void)st_; } while (0)

static ek_frame fr;

Test(stim, role_addresses_and_default_ranks)
{
    uint8_t e[8];
    ek_td_role_ext(EK_ROLE_A, e);
    cr_assert_eq(memcmp(e, "\x02\x00\x5e\xef\x00\x00\x00\x0a", 8), 0);
    ek_td_role_ext(EK_ROLE_B, e);
    cr_assert_eq(e[7], 0x0b);
    ek_td_role_ext(EK_ROLE_ROGUE, e);
    cr_assert_eq(e[7], 0x0c);
    cr_assert_eq(ek_stim_role_rank(EK_ROLE_A), 256);
    cr_assert_eq(ek_stim_role_rank(EK_ROLE_B), 1024);
    cr_assert_eq(ek_stim_role_rank(EK_ROLE_ROGUE), 1024);
    cr_assert_str_eq(ek_role_name(EK_ROLE_ROGUE), "ROGUE");
}

Test(stim, parse_extra_splits_by_length_and_semicolon)
{
    ek_build_raw_opt o[4];
    char err[128];
    cr_assert_eq(ek_stim_parse_extra(NULL, o, 4, err, sizeof err), 0);
    cr_assert_eq(ek_stim_parse_extra("", o, 4, err, sizeof err), 0);
    /* two options back to back, split by the declared Length */
    cr_assert_eq(ek_stim_parse_extra("f0 02 aa bb f1 00", o, 4, err, sizeof err), 2);
    cr_assert_eq(o[0].type, 0xf0);
    cr_assert_eq(o[0].length, 2);
    cr_assert_eq(o[0].data_len, 2);
    cr_assert_eq(o[0].data[1], 0xbb);
    cr_assert_eq(o[1].type, 0xf1);
    cr_assert_eq(o[1].data_len, 0);
    /* a Length beyond the text (TP-EP-14 style): the rest is the data */
    cr_assert_eq(ek_stim_parse_extra("2a 09 01 02", o, 4, err, sizeof err), 1);
    cr_assert_eq(o[0].length, 9);
    cr_assert_eq(o[0].data_len, 2);
    /* ';' separates options explicitly */
    cr_assert_eq(ek_stim_parse_extra("2a 01 40; 00; f2:01:ff", o, 4, err, sizeof err), 3);
    cr_assert_eq(o[0].length, 1);
    cr_assert_eq(o[0].data_len, 1);
    cr_assert_eq(o[1].type, 0x00);
    cr_assert_eq(o[2].type, 0xf2);
    cr_assert_eq(o[2].data[0], 0xff);
    /* ';' ends an option whose Length claims more than follows it */
    cr_assert_eq(ek_stim_parse_extra("2a 05 40; f3 00", o, 4, err, sizeof err), 2);
    cr_assert_eq(o[0].length, 5);
    cr_assert_eq(o[0].data_len, 1);
    cr_assert_eq(o[1].type, 0xf3);
    cr_assert_eq(ek_stim_parse_extra("2a 01 40 41 01 00; 00", o, 4, err, sizeof err), 3);
    cr_assert_eq(o[1].type, 0x41);    /* Length 1 fits: the next octet starts an option */
    cr_assert_eq(o[2].type, 0x00);    /* Pad1: one octet */
    cr_assert_eq(ek_stim_parse_extra("zz", o, 4, err, sizeof err), -1);
    cr_assert_str_eq(err, "extra_hex: bad hex at offset 0");
    cr_assert_eq(ek_stim_parse_extra("f0", o, 4, err, sizeof err), -1);
    cr_assert_str_eq(err, "extra_hex: option 0xf0 has no Length octet");
    cr_assert_eq(ek_stim_parse_extra("00 00 00 00 00", o, 4, err, sizeof err), -1);
    cr_assert_str_eq(err, "extra_hex: more than 4 options");
}

static void build_and_decode(const ek_stimulus *s, const ek_dut *d, ek_minprio *mep, bool *has)
{
    uint8_t out[EK_BUILD_MPDU_MAX];
    size_t len = 0;
    char err[128];
    ek_td_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    cr_assert_eq(ek_stim_build(s, d, &ctx, 0x42, out, sizeof out, &len, mep, has, err, sizeof err), 0, "%s", err);
    DECODE_IGNORING(ek_frame_decode_mpdu(ek_view_make(out, len), NULL, &d->prof, &fr));
}

Test(stim, dio_carries_role_rank_seq_pan_and_option_in_each_profile)
{
    static const ek_mep_profile ps[] = { EK_MEP_DRAFT03, EK_MEP_DRAFT04, EK_MEP_DRAFT09, EK_MEP_DRAFT16 };
    for (size_t i = 0; i < 4; i++) {
        ek_dut d;
        ek_dut_default(&d);
        d.prof.mep = ps[i];
        ek_stimulus s = { .from = EK_ROLE_B, .kind = EK_STIM_DIO,
                          .mep = { .present = true, .version = 250, .t = true, .r = true, .min = 0x33, .size = 100 } };
        ek_minprio m;
        bool has;
        build_and_decode(&s, &d, &m, &has);
        cr_assert(has);
        cr_assert(fr.sum.has_dio);
        cr_assert_eq(fr.sum.rank, 1024);
        cr_assert_eq(fr.sum.version, 240);
        cr_assert_eq(fr.sum.seq, 0x42);
        cr_assert_eq(fr.sum.dst_pan, 0xface);
        cr_assert_eq(fr.sum.src64[7], 0x0b);
        cr_assert(fr.sum.has_mep, "%zu", i);
        cr_assert_eq(fr.sum.min_priority, 0x33);
        uint64_t v;
        bool cmp;
        if (ps[i] >= EK_MEP_DRAFT09) {
            cr_assert(ek_match_value(&fr, &d.prof, "mep.version", &v, &cmp));
            cr_assert_eq(v, 250);
            cr_assert(ek_match_value(&fr, &d.prof, "mep.t", &v, &cmp) && v == 1);
        } else {
            cr_assert(ek_match_value(&fr, &d.prof, "mep.r", &v, &cmp) && v == 1);
        }
        if (ps[i] != EK_MEP_DRAFT03) {
            cr_assert(ek_match_value(&fr, &d.prof, "mep.size", &v, &cmp));
            cr_assert_geq(v, 100);   /* rounded up */
        }
    }
}

static void tweak_rank(const struct ek_td_ctx *ctx, ek_build_dio *dio)
{
    (void)ctx;
    dio->base.rank = 4096;
    dio->base.version = 7;
}

Test(stim, explicit_rank_version_and_tweak)
{
    ek_dut d;
    ek_dut_default(&d);
    ek_stimulus s = { .from = EK_ROLE_A, .rank = 512, .dodag_version = 241 };
    ek_minprio m;
    bool has = true;
    build_and_decode(&s, &d, &m, &has);
    cr_assert(!has);
    cr_assert(!fr.sum.has_mep);
    cr_assert_eq(fr.sum.rank, 512);
    cr_assert_eq(fr.sum.version, 241);
    s.tweak = tweak_rank;
    build_and_decode(&s, &d, &m, &has);
    cr_assert_eq(fr.sum.rank, 4096);
    cr_assert_eq(fr.sum.version, 7);
}

Test(stim, unrepresentable_size_and_bad_hex_are_errors)
{
    ek_dut d;
    ek_dut_default(&d);
    uint8_t out[EK_BUILD_MPDU_MAX];
    size_t len;
    char err[128];
    ek_minprio m;
    bool has;
    ek_td_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ek_stimulus s = { .from = EK_ROLE_A, .mep = { .present = true, .min = 1, .size = 0xffffffffu } };
    cr_assert_eq(ek_stim_build(&s, &d, &ctx, 0, out, sizeof out, &len, &m, &has, err, sizeof err), -1);
    cr_assert_str_eq(err, "DODAG size 4294967295 does not fit the draft-16 layout");
    ek_stimulus s2 = { .from = EK_ROLE_A, .extra_hex = "f0 0" };
    cr_assert_eq(ek_stim_build(&s2, &d, &ctx, 0, out, sizeof out, &len, &m, &has, err, sizeof err), -1);
    cr_assert_str_eq(err, "extra_hex: bad hex at offset 3");
}

Test(stim, describe)
{
    char b[160];
    ek_stimulus s = { .from = EK_ROLE_A, .mep = { .present = true, .version = 241, .min = 0x30 } };
    ek_stim_describe(&s, b, sizeof b);
    cr_assert_str_eq(b, "DIO from A rank 256 version 240, option min 0x30 v241 T=0");
    ek_stimulus r = { .from = EK_ROLE_ROGUE, .kind = EK_STIM_REPLAY, .replay_step = 2 };
    ek_stim_describe(&r, b, sizeof b);
    cr_assert_str_eq(b, "replay of step 2's frame as ROGUE");
}
