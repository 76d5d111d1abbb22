/* SPDX-License-Identifier: BSD-3-Clause */
/* The matcher over decoded frames built with ek_build_* (the same encoders tshark
 * checks in harness/build/tests): ek_fields keys, the engine's extra keys per wire
 * profile, operators, absent fields and the mismatch facts the reports print. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/build.h"
#include "ek/consts.h"
#include "ek/engine.h"
#include "ek/match.h"
#include "ek/radio.h"

/* decode problems are part of what the tests look at, not a reason to stop */
#define DECODE_IGNORING(x) do { ek_status st_ = (x); (void)st_; } while (0)

static const uint8_t DUT_EXT[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x01 };

static ek_frame fr;
static uint8_t buf[EK_BUILD_MPDU_MAX];

static void prof_for(ek_profile *p, ek_mep_profile m)
{
    ek_profile_default(p);
    p->mep = m;
}

static void decode(const ek_profile *p, size_t len)
{
    DECODE_IGNORING(ek_frame_decode_mpdu(ek_view_make(buf, len), NULL, p, &fr));
}

/* A DIO from the DUT with the option (min, version 241, T, DODAG size 40) or without. */
static void dio(const ek_profile *p, bool with_mep, uint8_t min, const char *raw_len2)
{
    ek_build_node n = { .pan_id = 0xface, .seq = 7 };
    memcpy(n.ext, DUT_EXT, 8);
    ek_build_dio d;
    ek_build_dio_init(&d);
    d.base.rank = 768;
    if (with_mep) {
        d.has_mep = true;
        d.mep.profile = p->mep;
        d.mep.min_priority = min;
        d.mep.has_version = p->mep >= EK_MEP_DRAFT09;
        d.mep.version = 241;
        d.mep.t = p->mep >= EK_MEP_DRAFT09;
        d.mep.r = p->mep < EK_MEP_DRAFT09;
        d.mep.has_size = p->mep != EK_MEP_DRAFT03;
        if (d.mep.has_size)
            cr_assert(ek_minprio_size_encode(40, p->mep, &d.mep.exp, &d.mep.size_code));
    }
    if (raw_len2) {   /* an option of the enrollment type with Length 2: malformed in every profile but... */
        d.n_extra = 1;
        d.extra[0].type = p->mep_type;
        d.extra[0].length = 2;
        d.extra[0].data_len = 2;
        d.extra[0].data[0] = 0x12;
        d.extra[0].data[1] = 0x34;
    }
    size_t len = 0;
    ek_err e;
    cr_assert_eq(ek_build_dio_frame(&n, &d, p, buf, sizeof buf, &len, &e), EK_OK, "%s", e.field);
    decode(p, len);
}

static void eb(const ek_profile *p, uint8_t proxy, bool pbit, int8_t delta)
{
    ek_build_node n = { .pan_id = 0xface, .seq = 9 };
    memcpy(n.ext, DUT_EXT, 8);
    ek_build_eb e;
    ek_build_eb_init(&e);
    e.asn = 1000;
    e.join_metric = 2;
    e.has_ji = true;
    e.ji.proxy_prio = proxy;
    e.ji.rank_prio = 3;
    e.ji.pan_prio = 0x10;
    e.ji.p = pbit;
    if (pbit)
        memcpy(e.ji.jp_iid, "\x00\x00\x00\xff\xfe\x00\x00\x01", 8);
    e.ji_len_delta = delta;
    size_t len = 0;
    ek_err er;
    cr_assert_eq(ek_build_eb_frame(&n, &e, p, buf, sizeof buf, &len, &er), EK_OK, "%s", er.field);
    decode(p, len);
}

static bool cond(const ek_profile *p, const char *k, ek_op op, uint64_t v, char *why)
{
    ek_cond c = { k, op, v };
    return ek_cond_eval(&c, &fr, p, why, 128);
}

Test(match, proxy_priority_below_minimum_names_field_actual_relation_expected)
{
    ek_profile p;
    char why[128];
    prof_for(&p, EK_MEP_DRAFT16);
    eb(&p, 0x30, false, 0);
    cr_assert(!cond(&p, "enroll.ji.proxy_priority", EK_OP_GE, 0x40, why));
    cr_assert_str_eq(why, "enroll.ji.proxy_priority 0x30 < 0x40");
    cr_assert(cond(&p, "enroll.ji.proxy_priority", EK_OP_GE, 0x30, why));
    cr_assert_str_eq(why, "enroll.ji.proxy_priority 0x30 >= 0x30");
    cr_assert(!cond(&p, "enroll.ji.proxy_priority", EK_OP_EQ, 0x31, why));
    cr_assert_str_eq(why, "enroll.ji.proxy_priority 0x30 != 0x31");
    cr_assert(!cond(&p, "enroll.ji.proxy_priority", EK_OP_NE, 0x30, why));
    cr_assert_str_eq(why, "enroll.ji.proxy_priority 0x30 == 0x30");
    cr_assert(!cond(&p, "enroll.ji.proxy_priority", EK_OP_LT, 0x30, why));
    cr_assert_str_eq(why, "enroll.ji.proxy_priority 0x30 >= 0x30");
    cr_assert(!cond(&p, "enroll.ji.proxy_priority", EK_OP_GT, 0x30, why));
    cr_assert_str_eq(why, "enroll.ji.proxy_priority 0x30 <= 0x30");
    cr_assert(cond(&p, "enroll.ji.proxy_priority", EK_OP_LE, 0x30, why));
    cr_assert(cond(&p, "enroll.ji.pan_priority", EK_OP_EQ, 0x10, why));
    cr_assert(cond(&p, "wpan.tsch.join_metric", EK_OP_EQ, 2, why));
    cr_assert_str_eq(why, "wpan.tsch.join_metric 2 == 2");
    cr_assert(cond(&p, "wpan.tsch.asn", EK_OP_EQ, 1000, why));
}

Test(match, absent_field_satisfies_only_absent)
{
    ek_profile p;
    char why[128];
    prof_for(&p, EK_MEP_DRAFT16);
    dio(&p, false, 0, NULL);
    for (ek_op op = EK_OP_EQ; op <= EK_OP_GE; op++) {
        cr_assert(!cond(&p, "enroll.mep.min_priority", op, 0x40, why));
        cr_assert_str_eq(why, "no enroll.mep.min_priority");
    }
    cr_assert(!cond(&p, "enroll.mep.min_priority", EK_OP_PRESENT, 0, why));
    cr_assert(cond(&p, "enroll.mep.min_priority", EK_OP_ABSENT, 0, why));
    cr_assert_str_eq(why, "no enroll.mep.min_priority");
    cr_assert(!cond(&p, "enroll.mep.version", EK_OP_PRESENT, 0, why));
    cr_assert(cond(&p, "enroll.ji.proxy_priority", EK_OP_ABSENT, 0, why));   /* a DIO has no Join-Info */
    cr_assert(cond(&p, "icmpv6.rpl.dio.rank", EK_OP_EQ, 768, why));
    cr_assert_str_eq(why, "icmpv6.rpl.dio.rank 768 == 768");
    cr_assert(cond(&p, "icmpv6.rpl.dio.version", EK_OP_EQ, 240, why));
}

Test(match, present_reports_the_value)
{
    ek_profile p;
    char why[128];
    prof_for(&p, EK_MEP_DRAFT16);
    dio(&p, true, 0x30, NULL);
    cr_assert(!cond(&p, "enroll.mep.min_priority", EK_OP_ABSENT, 0, why));
    cr_assert_str_eq(why, "enroll.mep.min_priority present (0x30)");
    cr_assert(cond(&p, "ipv6.src", EK_OP_PRESENT, 0, why));
    cr_assert_str_eq(why, "ipv6.src present");
    cr_assert(!cond(&p, "ipv6.src", EK_OP_EQ, 0, why));   /* an address is no number */
    cr_assert_str_eq(why, "ipv6.src is not a number (only present/absent apply)");
}

Test(match, draft16_extra_keys)
{
    ek_profile p;
    char why[128];
    uint64_t v;
    bool cmp;
    prof_for(&p, EK_MEP_DRAFT16);
    dio(&p, true, 0x30, NULL);
    cr_assert(cond(&p, "enroll.mep.min_priority", EK_OP_EQ, 0x30, why));
    cr_assert(cond(&p, "enroll.mep.version", EK_OP_EQ, 241, why));
    cr_assert_str_eq(why, "enroll.mep.version 241 == 241");
    cr_assert(cond(&p, "enroll.mep.t", EK_OP_EQ, 1, why));
    cr_assert(cond(&p, "enroll.mep.length", EK_OP_EQ, 3, why));   /* -16 §3.1 corrected length */
    cr_assert(!cond(&p, "enroll.mep.r", EK_OP_PRESENT, 0, why));  /* no R in -16 */
    uint64_t ex, code;
    cr_assert(ek_match_value(&fr, &p, "enroll.mep.exp", &ex, &cmp));
    cr_assert(ek_match_value(&fr, &p, "enroll.mep.dodag_size_code", &code, &cmp));
    cr_assert_geq(code << ex, 40);                          /* rounded up (-16 §3.1) */
    cr_assert(ek_match_value(&fr, &p, "enroll.mep.dodag_size", &v, &cmp));
    cr_assert_eq(v, code << ex);
}

Test(match, draft03_extra_keys_r_bit_no_version)
{
    ek_profile p;
    char why[128];
    prof_for(&p, EK_MEP_DRAFT03);
    dio(&p, true, 0x22, NULL);
    cr_assert(cond(&p, "enroll.mep.min_priority", EK_OP_EQ, 0x22, why));
    cr_assert(cond(&p, "enroll.mep.r", EK_OP_EQ, 1, why));
    cr_assert(cond(&p, "enroll.mep.length", EK_OP_EQ, 1, why));
    cr_assert(!cond(&p, "enroll.mep.version", EK_OP_PRESENT, 0, why));
    cr_assert(!cond(&p, "enroll.mep.t", EK_OP_PRESENT, 0, why));
    cr_assert(!cond(&p, "enroll.mep.exp", EK_OP_PRESENT, 0, why));
}

Test(match, draft09_and_draft04_layouts)
{
    ek_profile p;
    char why[128];
    prof_for(&p, EK_MEP_DRAFT09);
    dio(&p, true, 0x11, NULL);
    cr_assert(cond(&p, "enroll.mep.length", EK_OP_EQ, 4, why));
    cr_assert(cond(&p, "enroll.mep.version", EK_OP_EQ, 241, why));
    prof_for(&p, EK_MEP_DRAFT04);
    dio(&p, true, 0x11, NULL);
    cr_assert(cond(&p, "enroll.mep.length", EK_OP_EQ, 3, why));
    cr_assert(cond(&p, "enroll.mep.r", EK_OP_EQ, 1, why));
    cr_assert(cond(&p, "enroll.mep.dodag_size_code", EK_OP_PRESENT, 0, why));
}

Test(match, malformed_option_has_a_length_but_no_priority)
{
    ek_profile p;
    char why[128];
    prof_for(&p, EK_MEP_DRAFT16);
    dio(&p, false, 0, "len2");
    cr_assert(cond(&p, "enroll.mep.length", EK_OP_EQ, 2, why), "%s", why);
    cr_assert(cond(&p, "enroll.mep.min_priority", EK_OP_ABSENT, 0, why));
    cr_assert(!cond(&p, "enroll.mep.version", EK_OP_PRESENT, 0, why));
}

Test(match, join_info_keys_and_length_ok)
{
    ek_profile p;
    char why[128];
    prof_for(&p, EK_MEP_DRAFT16);
    eb(&p, 0x45, true, 0);
    cr_assert(cond(&p, "enroll.ji.p", EK_OP_EQ, 1, why));
    cr_assert(cond(&p, "enroll.ji.reserved", EK_OP_EQ, 0, why));
    cr_assert(cond(&p, "enroll.ji.r", EK_OP_EQ, 0, why));
    cr_assert(cond(&p, "enroll.decode.ji_length_ok", EK_OP_EQ, 1, why));
    cr_assert(cond(&p, "enroll.ji.join_proxy_iid", EK_OP_EQ, 0x000000fffe000001ull, why), "%s", why);
    cr_assert(cond(&p, "wpan.src64", EK_OP_EQ, 0x02005eef00000001ull, why), "%s", why);
    eb(&p, 0x45, false, +1);   /* the ie-length fault: Length one too long */
    cr_assert(cond(&p, "enroll.decode.ji_length_ok", EK_OP_EQ, 0, why), "%s", why);
    cr_assert_str_eq(why, "enroll.decode.ji_length_ok 0 == 0");
    eb(&p, 0x45, false, -1);
    cr_assert(cond(&p, "enroll.decode.ji_length_ok", EK_OP_EQ, 0, why), "%s", why);
    dio(&p, true, 0x30, NULL);
    cr_assert(cond(&p, "enroll.decode.ji_length_ok", EK_OP_ABSENT, 0, why));   /* not an EB */
}

Test(match, classes)
{
    ek_profile p;
    prof_for(&p, EK_MEP_DRAFT16);
    dio(&p, true, 0x30, NULL);
    cr_assert(ek_frame_is_class(&fr, EK_CLASS_DIO));
    cr_assert(!ek_frame_is_class(&fr, EK_CLASS_EB));
    cr_assert(ek_frame_is_class(&fr, EK_CLASS_ANY));
    eb(&p, 0x30, false, 0);
    cr_assert(!ek_frame_is_class(&fr, EK_CLASS_DIO));
    cr_assert(ek_frame_is_class(&fr, EK_CLASS_EB));
    cr_assert_str_eq(ek_frame_class_name(EK_CLASS_EB), "EB");
    cr_assert_str_eq(ek_frame_class_name(EK_CLASS_DIO), "DIO");
    cr_assert_str_eq(ek_frame_class_name(EK_CLASS_ANY), "frame");
}

static bool pred_rank(const struct ek_td_ctx *ctx, const ek_frame *f, char *why, size_t n)
{
    (void)ctx;
    snprintf(why, n, "icmpv6.rpl.dio.rank %u is 3 x 256", f->sum.rank);
    return f->sum.rank == 768;
}

static bool pred_no(const struct ek_td_ctx *ctx, const ek_frame *f, char *why, size_t n)
{
    (void)ctx;
    (void)f;
    snprintf(why, n, "option differs from the parent's at octet 4: 0x31 != 0x30");
    return false;
}

Test(match, match_frame_checks_class_conditions_then_predicate)
{
    ek_profile p;
    char why[256];
    unsigned ok;
    prof_for(&p, EK_MEP_DRAFT16);
    dio(&p, true, 0x30, NULL);
    ek_match m = { .cls = EK_CLASS_DIO, .conds = { { "enroll.mep.min_priority", EK_OP_EQ, 0x30 }, { "enroll.mep.version", EK_OP_EQ, 241 } } };
    cr_assert(ek_match_frame(&m, NULL, &fr, &p, &ok, why, sizeof why));
    cr_assert_eq(ok, 2);
    cr_assert_str_eq(why, "enroll.mep.min_priority 0x30 == 0x30, enroll.mep.version 241 == 241");
    m.conds[1].value = 242;
    cr_assert(!ek_match_frame(&m, NULL, &fr, &p, &ok, why, sizeof why));
    cr_assert_eq(ok, 1);   /* near-miss ranking */
    cr_assert_str_eq(why, "enroll.mep.version 241 != 242");
    m.conds[1].value = 241;
    m.pred = pred_rank;
    cr_assert(ek_match_frame(&m, NULL, &fr, &p, &ok, why, sizeof why));
    cr_assert_eq(ok, 3);
    cr_assert_str_eq(why, "enroll.mep.min_priority 0x30 == 0x30, enroll.mep.version 241 == 241, icmpv6.rpl.dio.rank 768 is 3 x 256");
    m.pred = pred_no;
    cr_assert(!ek_match_frame(&m, NULL, &fr, &p, &ok, why, sizeof why));
    cr_assert_str_eq(why, "option differs from the parent's at octet 4: 0x31 != 0x30");
    m.cls = EK_CLASS_EB;
    cr_assert(!ek_match_frame(&m, NULL, &fr, &p, &ok, why, sizeof why));
    cr_assert_str_eq(why, "not an EB");
}

Test(match, unknown_key_is_reported)
{
    ek_profile p;
    char why[128];
    prof_for(&p, EK_MEP_DRAFT16);
    dio(&p, true, 0x30, NULL);
    cr_assert(!ek_match_key_known("mep.bogus"));
    cr_assert(!ek_match_key_known(NULL));
    cr_assert(ek_match_key_known("enroll.ji.proxy_priority"));
    cr_assert(ek_match_key_known("enroll.decode.ji_length_ok"));
    cr_assert(!cond(&p, "mep.bogus", EK_OP_PRESENT, 0, why));
    cr_assert_str_eq(why, "unknown field 'mep.bogus'");
}

Test(match, describe)
{
    char d[160];
    ek_match m = { .cls = EK_CLASS_EB, .conds = { { "enroll.ji.proxy_priority", EK_OP_GE, 0x40 }, { "enroll.ji.p", EK_OP_PRESENT, 0 } } };
    ek_match_describe(&m, d, sizeof d);
    cr_assert_str_eq(d, "EB with enroll.ji.proxy_priority >= 0x40, enroll.ji.p present");
    ek_match any = { .cls = EK_CLASS_DIO };
    ek_match_describe(&any, d, sizeof d);
    cr_assert_str_eq(d, "DIO");
    cr_assert_str_eq(ek_op_name(EK_OP_ABSENT), "absent");
}

/* Independent oracle: the vector pcaps and their .expect files (checked against stock
 * tshark by the vectors layer).  Every numeric field the .expect names must match with
 * EK_OP_EQ and every address or byte-string field must be PRESENT, read through the
 * file: radio as offline runs do; a malformed option still has its mep.length. */
Test(match, vector_pcaps_agree_with_their_expect_files)
{
    bool bad_len_seen = false;
    DIR *dir = opendir(EK_VECTORS_PCAP);
    cr_assert(dir, "%s", EK_VECTORS_PCAP);
    struct dirent *de;
    unsigned files = 0, checked = 0;
    while ((de = readdir(dir)) != NULL) {
        size_t nl = strlen(de->d_name);
        if (nl < 8 || strcmp(de->d_name + nl - 7, ".expect") != 0)
            continue;
        char path[512], uri[600], err[256], line[256];
        snprintf(path, sizeof path, "%s/%s", EK_VECTORS_PCAP, de->d_name);
        FILE *f = fopen(path, "r");
        cr_assert(f);
        ek_profile p;
        ek_profile_default(&p);
        char keys[48][32];
        char vals[48][64];
        unsigned nk = 0;
        bool secured = false;
        while (fgets(line, sizeof line, f) && nk < 48) {
            char *eq = strchr(line, '=');
            if (!eq)
                continue;
            *eq = '\0';
            char *v = eq + 1;
            v[strcspn(v, "\r\n")] = '\0';
            if (strcmp(line, "mic") == 0)
                secured = true;
            if (strcmp(line, "profile_ep") == 0)
                cr_assert(ek_mep_profile_parse(v, &p.mep));
            else if (strcmp(line, "profile_ie") == 0)
                cr_assert(ek_ji_profile_parse(v, &p.ji));
            else if (strcmp(line, "ep_type") == 0)
                p.mep_type = (uint8_t)strtoul(v, NULL, 0);
            else if (strncmp(line, "context.", 8) == 0)
                (void)ek_profile_set_context(&p, (unsigned)atoi(line + 8), v);
            snprintf(keys[nk], sizeof keys[nk], "%.31s", line);
            snprintf(vals[nk], sizeof vals[nk], "%.63s", v);
            nk++;
        }
        fclose(f);
        /* A secured vector's expectations are on its plaintext (ek-vectors verify and the
         * tshark oracle unprotect it with its keys); secured DUT frames are matched in
         * engine_test with a keyed peer. */
        if (secured)
            continue;
        snprintf(uri, sizeof uri, "file:%.*s.pcap", (int)(strlen(path) - 7), path);
        ek_radio *r = NULL;
        if (ek_radio_open(uri, NULL, &r, err, sizeof err) != 0)
            continue;   /* a link type the file radio does not take (e.g. raw IPv6) */
        ek_radio_frame rf;
        int rc = ek_radio_recv(r, &rf, UINT64_MAX);
        ek_radio_close(r);
        if (rc != 1)
            continue;
        files++;
        DECODE_IGNORING(ek_frame_decode(ek_view_make(rf.psdu, rf.len), true, &p, &fr));
        for (unsigned i = 0; i < nk; i++) {
            if (!ek_match_key_known(keys[i]))
                continue;
            char why[128];
            char *end;
            unsigned long long v = strtoull(vals[i], &end, 10);
            uint64_t dummy;
            bool comparable = true;
            (void)ek_match_value(&fr, &p, keys[i], &dummy, &comparable);
            bool number = comparable && *end == '\0' && vals[i][0] && !strchr(vals[i], ':');
            ek_cond c = { keys[i], number ? EK_OP_EQ : EK_OP_PRESENT, v };
            if (strcmp(keys[i], "wpan.fcs_ok") == 0 && rf.fcs_synthesized)
                continue;
            cr_assert(ek_cond_eval(&c, &fr, &p, why, sizeof why), "%s: %s", de->d_name, why);
            checked++;
        }
        if (strcmp(de->d_name, "bad-mep-length.expect") == 0) {
            /* the option's Length does not fit the layout: no priority, but a Length */
            char why[128];
            ek_cond c1 = { "enroll.mep.min_priority", EK_OP_ABSENT, 0 }, c2 = { "enroll.mep.length", EK_OP_PRESENT, 0 };
            cr_assert(ek_cond_eval(&c1, &fr, &p, why, sizeof why), "%s", why);
            cr_assert(ek_cond_eval(&c2, &fr, &p, why, sizeof why), "%s", why);
            bad_len_seen = true;
        }
    }
    closedir(dir);
    cr_assert(bad_len_seen);
    cr_assert_geq(files, 40, "%u", files);
    cr_assert_geq(checked, 300, "%u", checked);
}

/* ---- sec.* keys (IEEE 802.15.4-2015 §9.4 Auxiliary Security Header) ---- */

Test(match, sec_keys_from_the_frame_header_and_from_the_unprotect_step)
{
    ek_profile p;
    prof_for(&p, EK_MEP_DRAFT16);
    cr_assert(ek_match_key_known("wpan.security") && ek_match_key_known("enroll.decode.mic_ok") &&
              ek_match_key_known("wpan.aux_sec.sec_level") && ek_match_key_known("wpan.aux_sec.frame_counter"));
    ek_build_node n = { .pan_id = 0xface, .seq = 7 };
    memcpy(n.ext, DUT_EXT, 8);
    ek_build_dio d;
    ek_build_dio_init(&d);
    size_t len = 0, slen = 0;
    ek_err e;
    cr_assert_eq(ek_build_dio_frame(&n, &d, &p, buf, sizeof buf, &len, &e), EK_OK);
    uint64_t v;
    bool cmp;
    /* unsecured: sec.secured 0, nothing else */
    decode(&p, len);
    cr_assert(ek_match_value(&fr, &p, "wpan.security", &v, &cmp) && v == 0);
    cr_assert_not(ek_match_value(&fr, &p, "wpan.aux_sec.sec_level", &v, &cmp));
    cr_assert_not(ek_match_value(&fr, &p, "enroll.decode.mic_ok", &v, &cmp));
    cr_assert_not(ek_match_value(&fr, &p, "wpan.aux_sec.frame_counter", &v, &cmp));
    /* secured (K2, level 5, counter 0x01020304): read from its own header, MIC unknown */
    ek_sec_key k2;
    cr_assert(ek_sec_key_named("K2-contiki", &k2));
    ek_wpan_sec sec = { .level = 5, .key_id_mode = 1, .key_index = 2, .frame_counter = 0x01020304 };
    ek_sec_env env;
    memset(&env, 0, sizeof env);
    ek_sec_info info;
    cr_assert_eq(ek_sec_protect(ek_view_make(buf, len), &sec, &env, &k2, &p, buf, sizeof buf, &slen, &info, &e), EK_OK);
    decode(&p, slen);
    cr_assert(ek_match_value(&fr, &p, "wpan.security", &v, &cmp) && v == 1);
    cr_assert(ek_match_value(&fr, &p, "wpan.aux_sec.sec_level", &v, &cmp) && v == 5);
    cr_assert(ek_match_value(&fr, &p, "wpan.aux_sec.frame_counter", &v, &cmp) && v == 0x01020304);
    cr_assert_not(ek_match_value(&fr, &p, "enroll.decode.mic_ok", &v, &cmp), "nothing verified it");
    /* what the engine learnt while unprotecting wins */
    ek_frame_sec fs = { .secured = true, .checked = true, .mic_ok = false, .level = 5, .has_fc = true,
                        .frame_counter = 9 };
    cr_assert(ek_match_value_sec(&fr, &fs, &p, "enroll.decode.mic_ok", &v, &cmp) && v == 0);
    cr_assert(ek_match_value_sec(&fr, &fs, &p, "wpan.aux_sec.frame_counter", &v, &cmp) && v == 9);
    char why[128];
    ek_cond c = { "wpan.aux_sec.frame_counter", EK_OP_GT, 0x01020303 };
    cr_assert(ek_cond_eval(&c, &fr, &p, why, sizeof why));
    cr_assert_str_eq(why, "wpan.aux_sec.frame_counter 16909060 > 16909059");
    /* through ek_match_frame, ctx->frame_sec is used */
    ek_td_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.frame_sec = fs;
    ek_match m = { .cls = EK_CLASS_ANY, .conds = { { "enroll.decode.mic_ok", EK_OP_EQ, 0 }, { "wpan.security", EK_OP_EQ, 1 } } };
    cr_assert(ek_match_frame(&m, &ctx, &fr, &p, NULL, why, sizeof why), "%s", why);
    cr_assert_str_eq(why, "enroll.decode.mic_ok 0 == 0, wpan.security 1 == 1");
    cr_assert_not(ek_match_frame(&m, NULL, &fr, &p, NULL, why, sizeof why));
    cr_assert_str_eq(why, "no enroll.decode.mic_ok");
}
