/* SPDX-License-Identifier: BSD-3-Clause */
/* Minimum Enrollment Priority option: every profile, the -10..-16 length erratum, the
 * round-up rule (-16 §3.1) and warnings (draft-ietf-roll-enrollment-priority-03 §2, -04, -09 and -16 §3.1). */
#include <criterion/criterion.h>
#include <string.h>

#include "ek/consts.h"
#include "ek/minprio.h"
#include "ek_test_rng.h"

static ek_profile prof(ek_mep_profile m)
{
    ek_profile p;
    ek_profile_default(&p);
    p.mep = m;
    return p;
}

static void rt(ek_mep_profile m, const uint8_t *w, size_t n, ek_minprio *out)
{
    ek_profile p = prof(m);
    ek_err e;
    cr_assert_eq(ek_minprio_decode(ek_view_make(w, n), 40, &p, out, &e), EK_OK, "%s", e.field);
    uint8_t buf[16];
    ek_buf b;
    ek_buf_init(&b, buf, sizeof buf);
    cr_assert_eq(ek_minprio_encode(out, &p, &b, &e), EK_OK);
    cr_assert_eq(b.len, n);
    cr_assert_eq(ek_minprio_encoded_len(out, &p), n);
    cr_assert_arr_eq(buf, w, n);
}

/* tshark 4.0.17 shows these as "ICMPv6 RPL Option (Unknown 42)" with the given Length. */
Test(minprio, draft03_len1_r_and_min)
{
    const uint8_t w[] = { 0x2a, 0x01, 0xc0 };
    ek_minprio m;
    rt(EK_MEP_DRAFT03, w, sizeof w, &m);
    cr_assert(m.r);
    cr_assert_eq(m.min_priority, 0x40);
    cr_assert(!m.has_version && !m.has_size);
    cr_assert_eq(ek_minprio_warnings(&m), EK_MINPRIO_WARN_RESERVED_R);
}

Test(minprio, draft04_len3_exp_size12_r_min)
{
    const uint8_t w[] = { 0x2a, 0x03, 0x21, 0x2c, 0x7f };
    ek_minprio m;
    rt(EK_MEP_DRAFT04, w, sizeof w, &m);
    cr_assert_eq(m.exp, 2);
    cr_assert_eq(m.size_code, 0x12c);
    cr_assert_eq(m.dodag_size, 300u * 4);
    cr_assert(!m.r);
    cr_assert_eq(m.min_priority, 0x7f);
    cr_assert_eq(ek_minprio_warnings(&m), EK_MINPRIO_WARN_DISABLED);
}

Test(minprio, draft09_len4_version_t_min_exp_size12)
{
    const uint8_t w[] = { 0x2a, 0x04, 0xf0, 0x85, 0xf0, 0x01 };
    ek_minprio m;
    rt(EK_MEP_DRAFT09, w, sizeof w, &m);
    cr_assert(m.has_version && m.version == 240 && m.t);
    cr_assert_eq(m.min_priority, 5);
    cr_assert_eq(m.exp, 15);
    cr_assert_eq(m.size_code, 1);
    cr_assert_eq(m.dodag_size, 32768u);
    cr_assert(!m.erratum_len4);
}

Test(minprio, draft16_len3_version_t_min_exp_sz)
{
    const uint8_t w[] = { 0x2a, 0x03, 0x05, 0x40, 0x3d };
    ek_minprio m;
    rt(EK_MEP_DRAFT16, w, sizeof w, &m);
    cr_assert_eq(m.version, 5);
    cr_assert(!m.t);
    cr_assert_eq(m.min_priority, 0x40);
    cr_assert_eq(m.exp, 3);
    cr_assert_eq(m.size_code, 13);
    cr_assert_eq(m.dodag_size, 104u);
    cr_assert_eq(ek_minprio_warnings(&m), 0);
}

Test(minprio, draft16_len4_erratum_accepted_and_flagged)
{
    const uint8_t w[] = { 0x2a, 0x04, 0x05, 0xc0, 0xff, 0x99 };
    ek_minprio m;
    rt(EK_MEP_DRAFT16, w, sizeof w, &m);
    cr_assert(m.erratum_len4);
    cr_assert_eq(m.trailing, 0x99);
    cr_assert(m.t);
    cr_assert_eq(m.dodag_size, 15u << 15);
    cr_assert_eq(ek_minprio_warnings(&m), EK_MINPRIO_WARN_ERRATUM_LEN4);
}

Test(minprio, length_not_fitting_profile_is_malformed_at_length_octet)
{
    struct { ek_mep_profile m; uint8_t len; } t[] = {
        { EK_MEP_DRAFT03, 3 }, { EK_MEP_DRAFT04, 1 }, { EK_MEP_DRAFT04, 4 }, { EK_MEP_DRAFT09, 3 },
        { EK_MEP_DRAFT16, 1 }, { EK_MEP_DRAFT16, 2 }, { EK_MEP_DRAFT16, 5 }, { EK_MEP_DRAFT09, 0 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        uint8_t w[8] = { 0x2a, t[i].len, 1, 2, 3, 4, 5, 6 };
        ek_profile p = prof(t[i].m);
        ek_minprio m;
        ek_err e;
        cr_assert_eq(ek_minprio_decode(ek_view_make(w, 2u + t[i].len), 100, &p, &m, &e), EK_ERR_MALFORMED, "row %zu", i);
        cr_assert_str_eq(e.field, "enroll.mep.length");
        cr_assert_eq(e.offset, 101);
    }
}

Test(minprio, prefix_sweep_truncated)
{
    const uint8_t w[] = { 0x2a, 0x04, 0xf0, 0x85, 0xf0, 0x01 };
    ek_profile p = prof(EK_MEP_DRAFT09);
    for (size_t n = 0; n < sizeof w; n++) {
        ek_minprio m;
        ek_err e;
        cr_assert_eq(ek_minprio_decode(ek_view_make(w, n), 7, &p, &m, &e), EK_ERR_TRUNCATED, "len %zu", n);
        cr_assert_eq(e.offset, 7 + (n < 2 ? n : 2));
    }
}

Test(minprio, size_encode_rounds_up)
{
    uint8_t x;
    uint16_t c;
    cr_assert(ek_minprio_size_encode(100, EK_MEP_DRAFT16, &x, &c));
    cr_assert(x == 3 && c == 13); /* 104 >= 100 */
    cr_assert(ek_minprio_size_encode(0, EK_MEP_DRAFT16, &x, &c));
    cr_assert(x == 0 && c == 0);
    cr_assert(ek_minprio_size_encode(15, EK_MEP_DRAFT16, &x, &c));
    cr_assert(x == 0 && c == 15);
    cr_assert(ek_minprio_size_encode(17, EK_MEP_DRAFT16, &x, &c));
    cr_assert(x == 1 && c == 9); /* 18 */
    cr_assert(ek_minprio_size_encode(100, EK_MEP_DRAFT09, &x, &c));
    cr_assert(x == 0 && c == 100);
    cr_assert(ek_minprio_size_encode(5000, EK_MEP_DRAFT04, &x, &c));
    cr_assert(x == 1 && c == 2500);
    cr_assert(!ek_minprio_size_encode(491521, EK_MEP_DRAFT16, &x, &c));
    cr_assert(x == 15 && c == 15);
    cr_assert(!ek_minprio_size_encode(10, EK_MEP_DRAFT03, &x, &c));
    /* Exhaustive: the result is >= n and the smallest representable such value. */
    for (uint32_t n = 0; n <= 491520; n += 37) {
        cr_assert(ek_minprio_size_encode(n, EK_MEP_DRAFT16, &x, &c));
        uint32_t v = (uint32_t)c << x, best = UINT32_MAX;
        for (uint32_t e2 = 0; e2 < 16; e2++)
            for (uint32_t s = 0; s < 16; s++)
                if ((s << e2) >= n && (s << e2) < best) best = s << e2;
        cr_assert_eq(v, best, "n=%u", n);
    }
}

Test(minprio, encoder_rejects_out_of_range_and_type0)
{
    ek_profile p = prof(EK_MEP_DRAFT16);
    ek_minprio m = { .min_priority = 0x80 };
    uint8_t buf[8];
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, buf, sizeof buf);
    cr_assert_eq(ek_minprio_encode(&m, &p, &b, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "enroll.mep.min_priority");
    m.min_priority = 1;
    m.size_code = 16;
    cr_assert_eq(ek_minprio_encode(&m, &p, &b, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "enroll.mep.dodag_size_code");
    p.mep_type = 0;
    cr_assert_eq(ek_minprio_encode(&m, &p, &b, &e), EK_ERR_UNSUPPORTED);
}

Test(minprio, randomized_round_trip_every_profile)
{
    uint64_t r = 0xC0FFEE;
    for (int it = 0; it < 1000; it++) {
        ek_test_xorshift64(&r);
        ek_mep_profile pm = (ek_mep_profile)(r % 4);
        ek_profile p = prof(pm);
        ek_minprio m;
        memset(&m, 0, sizeof m);
        m.min_priority = (uint8_t)((r >> 8) & 0x7f);
        bool has_r = pm <= EK_MEP_DRAFT04, has_v = pm >= EK_MEP_DRAFT09, has_s = pm != EK_MEP_DRAFT03;
        m.r = has_r && ((r >> 16) & 1);
        m.t = has_v && ((r >> 17) & 1);
        m.version = has_v ? (uint8_t)(r >> 24) : 0;
        if (has_s) {
            m.exp = (uint8_t)((r >> 32) & 15);
            m.size_code = (uint16_t)((r >> 36) & (pm == EK_MEP_DRAFT16 ? 15 : 0xfff));
        }
        m.erratum_len4 = pm == EK_MEP_DRAFT16 && ((r >> 50) & 1);
        m.trailing = m.erratum_len4 ? (uint8_t)(r >> 51) : 0;
        uint8_t buf[8];
        ek_buf b;
        ek_err e;
        ek_buf_init(&b, buf, sizeof buf);
        cr_assert_eq(ek_minprio_encode(&m, &p, &b, &e), EK_OK);
        ek_minprio d;
        cr_assert_eq(ek_minprio_decode(ek_buf_view(&b), 0, &p, &d, &e), EK_OK);
        cr_assert(d.min_priority == m.min_priority && d.r == m.r && d.t == m.t && d.version == m.version);
        cr_assert(d.exp == m.exp && d.size_code == m.size_code && d.erratum_len4 == m.erratum_len4);
        cr_assert_eq(d.trailing, m.trailing);
        cr_assert_eq(d.dodag_size, (uint32_t)m.size_code << m.exp);
        cr_assert_eq(d.type, 0x2a);
    }
}

/* NULL profile = the default draft-16 layout (it was dereferenced). */
Test(minprio, null_profile_decodes_the_draft16_layout)
{
    /* 2a 03 | version 3 | T=0 min 0x30 | Exp 3 DODAGSz 13 (-16 §3.1) */
    static const uint8_t opt[] = { 0x2a, 0x03, 0x03, 0x30, 0x3d };
    ek_minprio m;
    ek_err e;
    cr_assert_eq(ek_minprio_decode(ek_view_make(opt, sizeof opt), 0, NULL, &m, &e), EK_OK);
    cr_assert_eq(m.profile, EK_MEP_DRAFT16);
    cr_assert_eq(m.min_priority, 0x30);
    cr_assert_eq(m.dodag_size, 13u << 3);
}
