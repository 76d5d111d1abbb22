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
            cr_assert(ek_match_value(&fr, &d.prof, "enroll.mep.version", &v, &cmp));
            cr_assert_eq(v, 250);
            cr_assert(ek_match_value(&fr, &d.prof, "enroll.mep.t", &v, &cmp) && v == 1);
        } else {
            cr_assert(ek_match_value(&fr, &d.prof, "enroll.mep.r", &v, &cmp) && v == 1);
        }
        if (ps[i] != EK_MEP_DRAFT03) {
            cr_assert(ek_match_value(&fr, &d.prof, "enroll.mep.dodag_size", &v, &cmp));
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

/* ---- link-layer security of stimuli (RFC 8180 §4.6, IEEE 802.15.4-2015 §9) ---- */

static ek_dut secured_dut(void)
{
    ek_dut d;
    ek_dut_default(&d);
    char err[256];
    cr_assert_eq(ek_dut_set(&d, "security.enabled=true", err, sizeof err), 0, "%s", err);
    /* a network K1 other than the published default (S9) */
    cr_assert_eq(ek_dut_set(&d, "security.k1=000102030405060708090a0b0c0d0e0f", err, sizeof err), 0, "%s", err);
    return d;
}

/* Builds s (DIO or EB), secures it with counter fc; returns the length. */
static size_t build_secured(const ek_stimulus *s, const ek_dut *d, uint32_t fc, uint8_t *out, bool *secured)
{
    size_t len = 0;
    char err[160];
    ek_minprio m;
    bool has;
    ek_td_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    if (s->kind == EK_STIM_EB)
        cr_assert_eq(ek_stim_build_eb(s, d, 7, out, EK_BUILD_MPDU_MAX, &len, err, sizeof err), 0, "%s", err);
    else
        cr_assert_eq(ek_stim_build(s, d, &ctx, 7, out, EK_BUILD_MPDU_MAX, &len, &m, &has, err, sizeof err), 0, "%s", err);
    cr_assert_eq(ek_stim_secure(s, d, s->kind == EK_STIM_EB, fc, s->eb_asn, out, EK_BUILD_MPDU_MAX, &len, secured,
                                err, sizeof err), 0, "%s", err);
    return len;
}

/* Unprotects with one key (ring NULL) or the DUT's ring {k1, k2}; decodes the plaintext into fr. */
static ek_status unprotect(const uint8_t *in, size_t len, const ek_sec_key *key, const ek_dut *d, ek_sec_info *info,
                           ek_err *e)
{
    static uint8_t plain[EK_BUILD_MPDU_MAX];
    static ek_sec_keyring ring; /* info->key points into it: it must outlive the call */
    ek_sec_keyring_init(&ring);
    cr_assert(ek_sec_keyring_add(&ring, &d->k1));
    cr_assert(ek_sec_keyring_add(&ring, &d->k2));
    ek_sec_env env;
    memset(&env, 0, sizeof env);
    size_t plen = 0;
    ek_status st = ek_sec_unprotect(ek_view_make(in, len), key ? NULL : &ring, key, &env, &d->prof, plain, sizeof plain,
                                    &plen, info, e);
    if (st == EK_OK)
        DECODE_IGNORING(ek_frame_decode_mpdu(ek_view_make(plain, plen), NULL, &d->prof, &fr));
    return st;
}

Test(stim, auto_dio_is_k2_at_dio_level_and_verifies)
{
    ek_dut d = secured_dut();
    ek_stimulus s = { .from = EK_ROLE_A, .mep = { .present = true, .version = 241, .min = 0x30 } };
    uint8_t out[EK_BUILD_MPDU_MAX];
    bool sec = false;
    size_t len = build_secured(&s, &d, 77, out, &sec);
    cr_assert(sec);
    ek_frame raw;
    DECODE_IGNORING(ek_frame_decode_mpdu(ek_view_make(out, len), NULL, &d.prof, &raw));
    cr_assert(raw.mac.security);
    cr_assert_eq(raw.mac.sec.level, 5);        /* ENC-MIC-32 */
    cr_assert_eq(raw.mac.sec.key_id_mode, 1);
    cr_assert_eq(raw.mac.sec.key_index, 2);    /* K2 */
    cr_assert_eq(raw.mac.sec.frame_counter, 77);
    cr_assert_not(raw.sum.has_dio, "ENC level: the DIO is ciphertext on the air");
    ek_sec_info info;
    ek_err e;
    cr_assert_eq(unprotect(out, len, &d.k2, &d, &info, &e), EK_OK);
    cr_assert(info.mic_ok);
    cr_assert(fr.sum.has_dio);
    cr_assert_eq(fr.sum.min_priority, 0x30);
    cr_assert_eq(fr.sum.src64[7], 0x0a);
    /* the keyring finds K2 by its index */
    cr_assert_eq(unprotect(out, len, NULL, &d, &info, &e), EK_OK);
    cr_assert_str_eq(info.key->name, "K2-contiki");
    /* K1 does not verify it */
    cr_assert_eq(unprotect(out, len, &d.k1, &d, &info, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "wpan.mic");
}

Test(stim, auto_eb_is_k1_mic_only_with_asn_join_info_and_role)
{
    ek_dut d = secured_dut();
    ek_stimulus s = { .from = EK_ROLE_B, .kind = EK_STIM_EB, .eb_asn = 0x123456789aull };
    uint8_t out[EK_BUILD_MPDU_MAX];
    bool sec = false;
    size_t len = build_secured(&s, &d, 5, out, &sec);
    cr_assert(sec);
    ek_frame raw;
    DECODE_IGNORING(ek_frame_decode_mpdu(ek_view_make(out, len), NULL, &d.prof, &raw));
    cr_assert(ek_frame_is_class(&raw, EK_CLASS_EB));
    cr_assert_eq(raw.mac.sec.level, 1);        /* MIC-32: authenticated, readable */
    cr_assert_eq(raw.mac.sec.key_index, 1);    /* K1 */
    cr_assert_eq(raw.mac.sec.frame_counter, 5);
    cr_assert(raw.sum.has_asn);
    cr_assert_eq(raw.sum.asn, 0x123456789aull);
    cr_assert(raw.sum.has_ji, "MIC-only: Join-Info readable before verification");
    ek_sec_info info;
    ek_err e;
    cr_assert_eq(unprotect(out, len, NULL, &d, &info, &e), EK_OK);
    cr_assert(ek_frame_is_class(&fr, EK_CLASS_EB));
    cr_assert_eq(fr.sum.proxy_priority, EK_STIM_EB_PROXY_PRIO);
    cr_assert_eq(fr.sum.join_metric, 3);       /* B: rank 1024 -> DAGRank 4 - 1 (RFC 8180 §6.1) */
    cr_assert_eq(fr.sum.src64[7], 0x0b);
    cr_assert_eq(fr.sum.dst_pan, 0xface);
    cr_assert_eq(fr.sum.seq, 7);
}

Test(stim, none_wrong_key_and_default_k1)
{
    ek_dut d = secured_dut();
    uint8_t out[EK_BUILD_MPDU_MAX];
    bool sec = true;
    ek_sec_info info;
    ek_err e;
    ek_frame raw;
    /* NONE: sent in the clear in a secured network (S5) */
    ek_stimulus n = { .from = EK_ROLE_B, .sec = EK_SSEC_NONE, .mep = { .present = true, .min = 0x10 } };
    size_t len = build_secured(&n, &d, 9, out, &sec);
    cr_assert_not(sec);
    DECODE_IGNORING(ek_frame_decode_mpdu(ek_view_make(out, len), NULL, &d.prof, &raw));
    cr_assert_not(raw.mac.security);
    cr_assert(raw.sum.has_dio);
    /* WRONG_KEY: K2's key index, other octets: the ring finds K2 and the MIC fails */
    ek_stimulus w = { .from = EK_ROLE_ROGUE, .sec = EK_SSEC_WRONG_KEY };
    len = build_secured(&w, &d, 9, out, &sec);
    cr_assert(sec);
    DECODE_IGNORING(ek_frame_decode_mpdu(ek_view_make(out, len), NULL, &d.prof, &raw));
    cr_assert_eq(raw.mac.sec.key_index, 2);
    cr_assert_eq(raw.mac.sec.level, 5);
    cr_assert_eq(unprotect(out, len, NULL, &d, &info, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "wpan.mic");
    cr_assert_eq(e.offset, len - 4);
    ek_sec_key wk;
    uint8_t lv;
    cr_assert(ek_stim_sec_key(&w, &d, false, &wk, &lv));
    cr_assert_eq(unprotect(out, len, &wk, &d, &info, &e), EK_OK, "it verifies with the wrong key itself");
    cr_assert(memcmp(wk.key, d.k1.key, 16) != 0 && memcmp(wk.key, d.k2.key, 16) != 0);
    /* WRONG_KEY EB: K1's index */
    ek_stimulus we = { .from = EK_ROLE_ROGUE, .kind = EK_STIM_EB, .sec = EK_SSEC_WRONG_KEY };
    len = build_secured(&we, &d, 9, out, &sec);
    DECODE_IGNORING(ek_frame_decode_mpdu(ek_view_make(out, len), NULL, &d.prof, &raw));
    cr_assert_eq(raw.mac.sec.key_index, 1);
    cr_assert_eq(unprotect(out, len, NULL, &d, &info, &e), EK_ERR_MALFORMED);
    /* DEFAULT_K1 EB: the published "K1-minimal15", index 1: not the network's K1 (S9) */
    ek_stimulus k = { .from = EK_ROLE_A, .kind = EK_STIM_EB, .sec = EK_SSEC_DEFAULT_K1, .eb_asn = 100 };
    len = build_secured(&k, &d, 9, out, &sec);
    DECODE_IGNORING(ek_frame_decode_mpdu(ek_view_make(out, len), NULL, &d.prof, &raw));
    cr_assert_eq(raw.mac.sec.key_index, 1);
    cr_assert_eq(raw.mac.sec.level, 1);
    cr_assert_eq(unprotect(out, len, NULL, &d, &info, &e), EK_ERR_MALFORMED);
    ek_sec_key def;
    cr_assert(ek_sec_key_named("K1-minimal15", &def));
    cr_assert_eq(unprotect(out, len, &def, &d, &info, &e), EK_OK);
    cr_assert_eq(fr.sum.asn, 100);
}

Test(stim, security_off_sends_everything_unsecured)
{
    ek_dut d;
    ek_dut_default(&d);
    static const ek_stim_sec modes[] = { EK_SSEC_AUTO, EK_SSEC_NONE, EK_SSEC_WRONG_KEY, EK_SSEC_DEFAULT_K1 };
    for (size_t i = 0; i < 4; i++) {
        ek_stimulus s = { .from = EK_ROLE_A, .sec = modes[i], .fc = EK_FC_REWOUND, .fc_step = 1, .fc_delta = 3,
                          .mep = { .present = true, .min = 0x30 } };
        ek_stimulus plain = { .from = EK_ROLE_A, .mep = { .present = true, .min = 0x30 } };
        uint8_t a[EK_BUILD_MPDU_MAX], b[EK_BUILD_MPDU_MAX];
        bool sec = true;
        size_t la = build_secured(&s, &d, 1, a, &sec);
        cr_assert_not(sec);
        size_t lb = build_secured(&plain, &d, 1, b, &sec);
        cr_assert_eq(la, lb);
        cr_assert_arr_eq(a, b, la, "mode %zu: byte-identical to the plain unsecured stimulus", i);
    }
}

Test(stim, asn_nonce_eb_verifies_with_its_asn)
{
    ek_dut d = secured_dut();
    char err[128];
    cr_assert_eq(ek_dut_set(&d, "security.asn_nonce=true", err, sizeof err), 0, "%s", err);
    ek_stimulus s = { .from = EK_ROLE_A, .kind = EK_STIM_EB, .eb_asn = 4242 };
    uint8_t out[EK_BUILD_MPDU_MAX], plain[EK_BUILD_MPDU_MAX];
    bool sec;
    size_t len = build_secured(&s, &d, 3, out, &sec), plen;
    ek_frame raw;
    DECODE_IGNORING(ek_frame_decode_mpdu(ek_view_make(out, len), NULL, &d.prof, &raw));
    cr_assert(raw.mac.sec.asn_in_nonce);
    ek_sec_env env = { .asn = 4242 };
    ek_sec_info info;
    ek_err e;
    cr_assert_eq(ek_sec_unprotect(ek_view_make(out, len), NULL, &d.k1, &env, &d.prof, plain, sizeof plain, &plen,
                                  &info, &e), EK_OK);
    env.asn = 4243;
    cr_assert_eq(ek_sec_unprotect(ek_view_make(out, len), NULL, &d.k1, &env, &d.prof, plain, sizeof plain, &plen,
                                  &info, &e), EK_ERR_MALFORMED);
}

Test(stim, describe_security_variants)
{
    char b[160];
    ek_stimulus s = { .from = EK_ROLE_ROGUE, .sec = EK_SSEC_WRONG_KEY, .fc = EK_FC_REWOUND, .fc_step = 2,
                      .fc_delta = 5 };
    ek_stim_describe(&s, b, sizeof b);
    cr_assert_str_eq(b, "DIO from ROGUE rank 1024 version 240, no option (wrong key, counter of step 2 - 5)");
    ek_stimulus e = { .from = EK_ROLE_A, .kind = EK_STIM_EB, .eb_asn = 9, .sec = EK_SSEC_DEFAULT_K1 };
    ek_stim_describe(&e, b, sizeof b);
    cr_assert_str_eq(b, "EB from A ASN 9 (default K1)");
    ek_stimulus n = { .from = EK_ROLE_B, .sec = EK_SSEC_NONE, .fc = EK_FC_SAME_AS_STEP, .fc_step = 1 };
    ek_stim_describe(&n, b, sizeof b);
    cr_assert_str_eq(b, "DIO from B rank 1024 version 240, no option (unsecured, counter of step 1)");
}

/* Profile key_id_mode 2/3 (IEEE 802.15.4-2015 §9.4.1.2, §9.4.4): every secured stimulus
 * carries the key's own mode, index and key source (on-air order), and the DUT's keyring
 * finds the key by all three. */
Test(stim, key_id_modes_2_and_3_carry_index_and_source_and_verify_via_the_keyring)
{
    static const struct {
        const char *mode, *src;
        uint8_t kim, src_len;
    } cases[] = { { "security.key_id_mode=2", "security.key_source=a1b2c3d4", 2, 4 },
                  { "security.key_id_mode=3", "security.key_source=0011223344556677", 3, 8 } };
    static const uint8_t src8[8] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 };
    static const uint8_t src4[4] = { 0xa1, 0xb2, 0xc3, 0xd4 };
    for (size_t c = 0; c < 2; c++) {
        ek_dut d = secured_dut();
        char err[256];
        cr_assert_eq(ek_dut_set(&d, cases[c].mode, err, sizeof err), 0, "%s", err);
        cr_assert_eq(ek_dut_set(&d, cases[c].src, err, sizeof err), 0, "%s", err);
        cr_assert_eq(ek_dut_set(&d, "security.k1_index=7", err, sizeof err), 0, "%s", err);
        cr_assert_eq(ek_dut_set(&d, "security.k2_index=200", err, sizeof err), 0, "%s", err);
        cr_assert_eq(ek_dut_check(&d, err, sizeof err), 0, "%s", err);
        const uint8_t *src = cases[c].src_len == 8 ? src8 : src4;
        /* AUTO DIO (K2), AUTO EB (K1), WRONG_KEY DIO, DEFAULT_K1 EB */
        ek_stimulus dio = { .from = EK_ROLE_A, .mep = { .present = true, .version = 241, .min = 0x30 } };
        ek_stimulus eb = { .from = EK_ROLE_B, .kind = EK_STIM_EB, .eb_asn = 0x1234 };
        ek_stimulus wrong = dio, dk1 = eb;
        wrong.sec = EK_SSEC_WRONG_KEY;
        dk1.sec = EK_SSEC_DEFAULT_K1;
        const ek_stimulus *st[4] = { &dio, &eb, &wrong, &dk1 };
        const uint8_t want_index[4] = { 200, 7, 200, 7 };
        for (int i = 0; i < 4; i++) {
            uint8_t out[EK_BUILD_MPDU_MAX];
            bool sec = false;
            size_t len = build_secured(st[i], &d, 40u + (unsigned)i, out, &sec);
            cr_assert(sec);
            ek_frame raw;
            DECODE_IGNORING(ek_frame_decode_mpdu(ek_view_make(out, len), NULL, &d.prof, &raw));
            cr_assert(raw.mac.security);
            cr_assert_eq(raw.mac.sec.key_id_mode, cases[c].kim, "case %zu stimulus %d", c, i);
            cr_assert_eq(raw.mac.sec.key_index, want_index[i], "case %zu stimulus %d", c, i);
            cr_assert_arr_eq(raw.mac.sec.key_source, src, cases[c].src_len);
            cr_assert_eq(raw.mac.sec.frame_counter, 40u + (unsigned)i);
            ek_sec_info info;
            ek_err e = { 0 };
            ek_status rc = unprotect(out, len, NULL, &d, &info, &e);
            if (i < 2) {
                cr_assert_eq(rc, EK_OK, "case %zu stimulus %d: %s", c, i, e.field ? e.field : "");
                cr_assert(info.mic_ok);
                cr_assert_str_eq(info.key->name, i == 0 ? "K2-contiki" : "k1");
            } else {
                /* same identifier, other octets: the ring finds the network key, MIC fails */
                cr_assert_eq(rc, EK_ERR_MALFORMED, "case %zu stimulus %d", c, i);
                cr_assert_str_eq(e.field, "wpan.mic");
            }
        }
        /* another key source under the same index is a different key (§9.2.2 lookup) */
        ek_dut other = d;
        other.k2.key_source[0] ^= 0xff;
        other.k1.key_source[0] ^= 0xff;
        uint8_t out[EK_BUILD_MPDU_MAX];
        bool sec = false;
        size_t len = build_secured(&dio, &other, 9, out, &sec);
        ek_sec_info info;
        ek_err e = { 0 };
        cr_assert_eq(unprotect(out, len, NULL, &d, &info, &e), EK_ERR_UNSUPPORTED);
        cr_assert_str_eq(e.field, "wpan.aux_sec.key_index");
    }
}
