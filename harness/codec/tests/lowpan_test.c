/* SPDX-License-Identifier: BSD-3-Clause */
/* 6LoWPAN dispatch, FRAG1/FRAGN, 0x41 and every IPHC form (RFC 4944 §5, RFC 6282 §3-4). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/consts.h"
#include "ek/icmp6.h"
#include "ek/lowpan.h"
#include "ek_test_rng.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t xr(void)
{
    return ek_test_xorshift64(&rng);
}

static ek_lladdr ll_ext(void)
{
    ek_lladdr l = { EK_WPAN_AM_EXT, 0, { 0x00, 0x12, 0x4b, 0, 0, 0, 0, 0x01 } };
    return l;
}
static ek_lladdr ll_short(uint16_t s)
{
    ek_lladdr l = { EK_WPAN_AM_SHORT, s, { 0 } };
    return l;
}

static ek_profile prof_ctx(void)
{
    ek_profile p;
    ek_profile_default(&p);
    cr_assert(ek_profile_set_context(&p, 0, "2001:db8::/64"));
    cr_assert(ek_profile_set_context(&p, 3, "fd00:1:2::/48"));
    return p;
}

static const uint8_t LL_SRC[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x12, 0x4b, 0, 0, 0, 0, 0x01 };
static const uint8_t ALL_RPL[16] = { 0xff, 0x02, [15] = 0x1a };

/* tshark 4.0.17 (link type 195, whole frame quoted in icmp6_test.c):
 * "Src: fe80::212:4b00:0:1, Dst: ff02::1a", IPHC 7b 3b, NH 58 inline, 8-bit multicast. */
Test(lowpan, dio_from_root_is_7b_3b_3a_1a)
{
    ek_lladdr s = ll_ext(), d = ll_short(0xffff);
    ek_profile p;
    ek_profile_default(&p);
    ek_ipv6_hdr ip = { 0, 0, 58, 255, { 0 }, { 0 }, 0 };
    memcpy(ip.src, LL_SRC, 16);
    memcpy(ip.dst, ALL_RPL, 16);
    uint8_t pay[3] = { 0x9b, 0x01, 0x00 }, buf[64];
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, buf, sizeof buf);
    cr_assert_eq(ek_lowpan_encode_max(&ip, NULL, ek_view_make(pay, 3), &s, &d, &p, &b, &e), EK_OK);
    const uint8_t want[] = { 0x7b, 0x3b, 0x3a, 0x1a, 0x9b, 0x01, 0x00 };
    cr_assert_eq(b.len, sizeof want);
    cr_assert_arr_eq(buf, want, sizeof want);
    ek_lowpan_pkt pk;
    cr_assert_eq(ek_lowpan_decode(ek_view_make(buf, b.len), 19, &s, &d, &p, &pk, &e), EK_OK);
    cr_assert(pk.compressed && pk.has_ipv6);
    cr_assert_arr_eq(pk.ip.src, LL_SRC, 16);
    cr_assert_arr_eq(pk.ip.dst, ALL_RPL, 16);
    cr_assert_eq(pk.ip.hlim, 255);
    cr_assert_eq(pk.ip.nh, 58);
    cr_assert_eq(pk.ip.payload_len, 3);
    cr_assert_eq(pk.payload_offset, 23);
    cr_assert_eq(pk.iphc_raw, 0x7b3b);
}

Test(lowpan, dispatch_classification_rfc4944_5_1)
{
    struct { uint8_t b; ek_lowpan_dispatch d; } t[] = {
        { 0x00, EK_LOWPAN_D_NALP }, { 0x3f, EK_LOWPAN_D_NALP }, { 0x41, EK_LOWPAN_D_IPV6 },
        { 0x42, EK_LOWPAN_D_HC1 }, { 0x43, EK_LOWPAN_D_RESERVED }, { 0x50, EK_LOWPAN_D_BC0 }, { 0x60, EK_LOWPAN_D_IPHC },
        { 0x7f, EK_LOWPAN_D_IPHC }, { 0x80, EK_LOWPAN_D_MESH }, { 0xbf, EK_LOWPAN_D_MESH },
        { 0xc0, EK_LOWPAN_D_FRAG1 }, { 0xc7, EK_LOWPAN_D_FRAG1 }, { 0xc8, EK_LOWPAN_D_RESERVED },
        { 0xe0, EK_LOWPAN_D_FRAGN }, { 0xe7, EK_LOWPAN_D_FRAGN }, { 0xf0, EK_LOWPAN_D_PAGE },
        { 0xff, EK_LOWPAN_D_PAGE },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        cr_assert_eq(ek_lowpan_classify(t[i].b), t[i].d, "0x%02x", t[i].b);
}

/* RFC 6282 §3.1.1 inline address lengths, written out independently of the codec. */
static int inl_len(int m, int ac, int am)
{
    static const int u0[4] = { 16, 8, 2, 0 }, u1[4] = { 0, 8, 2, 0 }, m0[4] = { 16, 6, 4, 1 };
    if (!m) return ac ? u1[am] : u0[am];
    if (!ac) return m0[am];
    return am == 0 ? 6 : -1;
}

/* Every TF x HLIM x CID x SAC x SAM x M x DAC x DAM with random inline bits:
 * decode must succeed (or name the reserved field) and encode(decode(b)) == b. */
Test(lowpan, every_iphc_form_round_trips_or_is_reserved)
{
    ek_profile p = prof_ctx();
    ek_lladdr s = ll_ext(), d = ll_short(0x1234);
    unsigned ok = 0, reserved = 0;
    for (int tf = 0; tf < 4; tf++)
    for (int hl = 0; hl < 4; hl++)
    for (int cid = 0; cid < 2; cid++)
    for (int sac = 0; sac < 2; sac++)
    for (int sam = 0; sam < 4; sam++)
    for (int m = 0; m < 2; m++)
    for (int dac = 0; dac < 2; dac++)
    for (int dam = 0; dam < 4; dam++) {
        uint8_t f[80];
        size_t n = 0;
        f[n++] = (uint8_t)(0x60 | tf << 3 | hl);
        f[n++] = (uint8_t)(cid << 7 | sac << 6 | sam << 4 | m << 3 | dac << 2 | dam);
        if (cid) f[n++] = 0x33; /* SCI = DCI = 3 */
        static const int tfl[4] = { 4, 3, 1, 0 };
        for (int i = 0; i < tfl[tf]; i++) f[n++] = (uint8_t)xr();
        if (tf == 0) f[n - 3] &= 0x0F; /* rsvd(4) */
        if (tf == 1) f[n - 3] &= 0xCF; /* rsvd(2) */
        f[n++] = 58;
        if (hl == 0) f[n++] = (uint8_t)xr();
        int sl = inl_len(0, sac, sam), dl = inl_len(m, dac, dam);
        for (int i = 0; i < sl; i++) f[n++] = (uint8_t)xr();
        for (int i = 0; i < (dl < 0 ? 0 : dl); i++) f[n++] = (uint8_t)xr();
        f[n++] = 0xAA; /* payload */
        ek_lowpan_pkt pk;
        ek_err e;
        ek_status st = ek_lowpan_decode(ek_view_make(f, n), 10, &s, &d, &p, &pk, &e);
        bool res = (!m && dac && dam == 0) || (m && dac && dam != 0);
        if (res) {
            cr_assert_eq(st, EK_ERR_MALFORMED);
            cr_assert_str_eq(e.field, "6lowpan.iphc.dam");
            cr_assert_eq(e.offset, 11);
            reserved++;
            continue;
        }
        cr_assert_eq(st, EK_OK, "form %02x%02x: %s", f[0], f[1], e.field);
        cr_assert_eq(pk.payload.len, 1);
        cr_assert_eq(pk.payload_offset, 10 + n - 1);
        uint8_t out[80];
        ek_buf b;
        ek_buf_init(&b, out, sizeof out);
        cr_assert_eq(ek_lowpan_encode(&pk, &s, &d, &p, &b, &e), EK_OK, "%02x%02x %s", f[0], f[1], e.field);
        cr_assert_eq(b.len, n);
        cr_assert_arr_eq(out, f, n, "form %02x %02x", f[0], f[1]);
        cr_assert_eq(ek_lowpan_encoded_len(&pk, &s, &d, &p), n);
        ok++;
    }
    cr_assert_eq(ok + reserved, 4 * 4 * 2 * 2 * 4 * 2 * 2 * 4);
}

Test(lowpan, stateful_sam11_uses_context_and_mac)
{
    ek_profile p = prof_ctx();
    ek_lladdr s = ll_ext(), d = ll_short(0xbeef);
    /* SAC=1 SAM=11 (ctx 0), M=0 DAC=1 DAM=10 (ctx 0 + 16 bits), NH inline, HLIM 64 */
    const uint8_t f[] = { 0x7a, 0x76, 0x3a, 0x00, 0x05, 0x80 };
    ek_lowpan_pkt pk;
    ek_err e;
    cr_assert_eq(ek_lowpan_decode(ek_view_make(f, sizeof f), 0, &s, &d, &p, &pk, &e), EK_OK);
    const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0x02, 0x12, 0x4b, 0, 0, 0, 0, 1 };
    const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0, 0x00, 0x05 };
    cr_assert_arr_eq(pk.ip.src, src, 16);
    cr_assert_arr_eq(pk.ip.dst, dst, 16);
    cr_assert_eq(pk.ip.hlim, 64);
    /* Best form chooses the same: ctx 0 needs no CID octet. */
    ek_iphc_form bf;
    ek_lowpan_iphc_best_form(&pk.ip, NULL, &s, &d, &p, &bf);
    cr_assert(bf.sac == 1 && bf.sam == 3 && bf.dac == 1 && bf.dam == 2 && bf.cid == 0);
}

Test(lowpan, context_with_cid_and_48_bit_prefix)
{
    ek_profile p = prof_ctx();
    ek_lladdr s = ll_ext(), d = ll_ext();
    /* CID=1 SCI=3: fd00:1:2::/48 + 64-bit IID inline (SAM=01); dst ff02::1 (DAM=11). */
    const uint8_t f[] = { 0x7b, 0xd3, 0x30, 0x3a, 1, 2, 3, 4, 5, 6, 7, 8, 0x01 };
    ek_lowpan_pkt pk;
    ek_err e;
    cr_assert_eq(ek_lowpan_decode(ek_view_make(f, sizeof f), 0, &s, &d, &p, &pk, &e), EK_OK);
    const uint8_t src[16] = { 0xfd, 0, 0, 1, 0, 2, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 };
    cr_assert_arr_eq(pk.ip.src, src, 16);
    cr_assert_eq(pk.iphc.sci, 3);
}

/* RFC 6282 §3.1.2: a context the decoder was not given is no fault of the packet; the
 * decoder names the context and the address and decodes the rest. */
Test(lowpan, missing_context_is_named_and_the_packet_decodes_on)
{
    ek_profile p;
    ek_profile_default(&p);
    ek_lladdr s = ll_ext(), d = ll_ext();
    ek_lowpan_pkt pk;
    ek_err e;
    const uint8_t a[] = { 0x7b, 0xf3, 0x50, 0x3a, 0x01 }; /* CID, SAC=1 SAM=11, SCI=5 */
    cr_assert_eq(ek_lowpan_decode(ek_view_make(a, sizeof a), 20, &s, &d, &p, &pk, &e), EK_OK);
    cr_assert(pk.has_ipv6 && pk.needs_ctx_src && !pk.needs_ctx_dst);
    cr_assert_eq(pk.iphc.sci, 5);
    cr_assert_eq(pk.ip.nh, 0x3a);
    cr_assert_eq(pk.payload_offset, 24);
    cr_assert_eq(pk.payload.len, 1);
    uint8_t iid[8];
    cr_assert(ek_lowpan_iid_from_ll(&s, iid));
    cr_assert_arr_eq(pk.ip.src + 8, iid, 8, "the IID the packet carries is kept");
    const uint8_t b[] = { 0x7b, 0x37, 0x3a }; /* CID=0, DAC=1 DAM=11 -> context 0, absent */
    cr_assert_eq(ek_lowpan_decode(ek_view_make(b, sizeof b), 20, &s, &d, &p, &pk, &e), EK_OK);
    cr_assert(pk.needs_ctx_dst && !pk.needs_ctx_src);
    cr_assert_eq(pk.iphc.dci, 0);
    const uint8_t c[] = { 0x7b, 0x3c, 0x3a, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05 }; /* M=1 DAC=1 DAM=00 */
    cr_assert_eq(ek_lowpan_decode(ek_view_make(c, sizeof c), 20, &s, &d, &p, &pk, &e), EK_OK);
    cr_assert(pk.needs_ctx_dst);
    /* With the context the same packet needs nothing. */
    cr_assert(ek_profile_set_context(&p, 5, "fd00::/64"));
    cr_assert_eq(ek_lowpan_decode(ek_view_make(a, sizeof a), 20, &s, &d, &p, &pk, &e), EK_OK);
    cr_assert_not(pk.needs_ctx_src);
    cr_assert_eq(pk.ip.src[0], 0xfd);
}

Test(lowpan, unspecified_source_sac1_sam00_needs_no_context)
{
    ek_profile p;
    ek_profile_default(&p);
    ek_lladdr s = ll_ext(), d = ll_ext();
    const uint8_t f[] = { 0x7b, 0x4b, 0x3a, 0x02 }; /* SAC=1 SAM=00, dst ff02::2 */
    ek_lowpan_pkt pk;
    ek_err e;
    cr_assert_eq(ek_lowpan_decode(ek_view_make(f, sizeof f), 0, &s, &d, &p, &pk, &e), EK_OK);
    static const uint8_t z[16] = { 0 };
    cr_assert_arr_eq(pk.ip.src, z, 16);
    ek_iphc_form bf;
    ek_lowpan_iphc_best_form(&pk.ip, NULL, &s, &d, &p, &bf);
    cr_assert(bf.sac == 1 && bf.sam == 0);
}

Test(lowpan, multicast_forms_rfc6282_3_1_1)
{
    ek_profile p = prof_ctx();
    ek_lladdr s = ll_ext(), d = ll_ext();
    struct { uint8_t b1; uint8_t inl[16]; size_t n; uint8_t want[16]; } t[] = {
        /* DAM=01: ffXX::00XX:XXXX:XXXX */
        { 0x39, { 0x05, 0xab, 0xcd, 0xef, 0x01, 0x23 }, 6,
          { 0xff, 0x05, [11] = 0xab, 0xcd, 0xef, 0x01, 0x23 } },
        /* DAM=10: ffXX::00XX:XXXX */
        { 0x3a, { 0x0e, 0x11, 0x22, 0x33 }, 4, { 0xff, 0x0e, [13] = 0x11, 0x22, 0x33 } },
        /* DAM=11: ff02::00XX */
        { 0x3b, { 0xfb }, 1, { 0xff, 0x02, [15] = 0xfb } },
        /* DAC=1 DAM=00: RFC 3306 ff3e:0040:2001:0db8:0000:0000:1234:5678 (ctx 0 /64) */
        { 0x3c, { 0x3e, 0x00, 0x12, 0x34, 0x56, 0x78 }, 6,
          { 0xff, 0x3e, 0x00, 0x40, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78 } },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        uint8_t f[32] = { 0x7b, t[i].b1, 0x3a };
        memcpy(f + 3, t[i].inl, t[i].n);
        ek_lowpan_pkt pk;
        ek_err e;
        cr_assert_eq(ek_lowpan_decode(ek_view_make(f, 3 + t[i].n), 0, &s, &d, &p, &pk, &e), EK_OK);
        cr_assert_arr_eq(pk.ip.dst, t[i].want, 16, "row %zu", i);
        ek_iphc_form bf;
        ek_lowpan_iphc_best_form(&pk.ip, NULL, &s, &d, &p, &bf);
        cr_assert_eq((uint8_t)(bf.cid << 7 | bf.sac << 6 | bf.sam << 4 | bf.m << 3 | bf.dac << 2 | bf.dam),
                     t[i].b1, "row %zu best form", i);
    }
}

/* RFC 6282 §4.3.3 all P forms, C=0/1. */
Test(lowpan, udp_nhc_all_port_and_checksum_forms)
{
    ek_profile p;
    ek_profile_default(&p);
    ek_lladdr s = ll_ext(), d = ll_ext();
    struct { uint16_t sp, dp; uint8_t pform; } t[] = {
        { 5683, 5684, 0 }, { 5683, 0xf012, 1 }, { 0xf034, 5684, 2 }, { 0xf0b1, 0xf0ba, 3 },
    };
    for (size_t i = 0; i < 4; i++)
        for (int c = 0; c < 2; c++) {
            ek_ipv6_hdr ip = { 0, 0, 17, 64, { 0 }, { 0 }, 0 };
            memcpy(ip.src, LL_SRC, 16);
            memcpy(ip.dst, LL_SRC, 16);
            ek_udp_hdr u = { .src_port = t[i].sp, .dst_port = t[i].dp, .checksum = c ? 0 : 0xbeef, .c = c != 0 };
            uint8_t pay[5] = { 1, 2, 3, 4, 5 }, buf[64];
            ek_buf b;
            ek_err e;
            ek_buf_init(&b, buf, sizeof buf);
            cr_assert_eq(ek_lowpan_encode_max(&ip, &u, ek_view_make(pay, 5), &s, &d, &p, &b, &e), EK_OK);
            ek_lowpan_pkt pk;
            cr_assert_eq(ek_lowpan_decode(ek_view_make(buf, b.len), 0, &s, &d, &p, &pk, &e), EK_OK);
            cr_assert(pk.has_udp);
            cr_assert_eq(pk.udp.p, t[i].pform);
            cr_assert_eq(pk.udp.c, c != 0);
            cr_assert_eq(pk.udp.src_port, t[i].sp);
            cr_assert_eq(pk.udp.dst_port, t[i].dp);
            if (c)
                cr_assert(pk.udp.checksum_recomputed && pk.udp.checksum != 0);
            else
                cr_assert_eq(pk.udp.checksum, 0xbeef);
            cr_assert_eq(pk.udp.length, 13);
            cr_assert_eq(pk.ip.payload_len, 13);
            cr_assert_eq(pk.ip.nh, 17);
            cr_assert_eq(pk.payload.len, 5);
        }
}

/* RFC 6282 §4.2: NHC-EH Hop-by-Hop (0xe0: EID 0, NH=0) | Next Header 0x3a | Length 0:
 * walked to the ICMPv6 message. */
Test(lowpan, nhc_extension_header_is_walked_to_the_upper_layer)
{
    ek_lladdr s = ll_ext(), d = ll_ext();
    const uint8_t f[] = { 0x7f, 0x3b, 0x02, 0xe0, 0x3a, 0x00, 0x9b, 0x00 };
    ek_lowpan_pkt pk;
    ek_err e;
    cr_assert_eq(ek_lowpan_decode(ek_view_make(f, sizeof f), 5, &s, &d, NULL, &pk, &e), EK_OK);
    cr_assert_eq(pk.ip.nh, 0, "the IPv6 header's Next Header is Hop-by-Hop");
    cr_assert_eq(pk.n_ext, 1);
    cr_assert_eq(pk.upper_nh, 58);
    cr_assert_eq(pk.upper_offset, 5 + 6);
    cr_assert_eq(pk.upper.len, 2);
    cr_assert_eq(pk.ip.payload_len, 8 + 2, "decompressed: an 8-octet Hop-by-Hop header");
    /* chained: Destination Options (EID 3, NH=1) then Routing (EID 1, NH=0) */
    const uint8_t g[] = { 0x7f, 0x3b, 0x02, 0xe7, 0x02, 0xaa, 0xbb, 0xe2, 0x3a, 0x01, 0xcc, 0x9b };
    cr_assert_eq(ek_lowpan_decode(ek_view_make(g, sizeof g), 0, &s, &d, NULL, &pk, &e), EK_OK);
    cr_assert_eq(pk.ip.nh, 60);
    cr_assert(pk.n_ext == 2 && pk.ext_routing && pk.upper_nh == 58 && pk.upper_offset == 11);
    /* a Length past the packet: TRUNCATED at the header's data */
    const uint8_t h[] = { 0x7f, 0x3b, 0x02, 0xe0, 0x3a, 0x09, 0x00 };
    cr_assert_eq(ek_lowpan_decode(ek_view_make(h, sizeof h), 0, &s, &d, NULL, &pk, &e), EK_ERR_TRUNCATED);
    cr_assert_str_eq(e.field, "6lowpan.nhc.ext.data");
}

Test(lowpan, other_nhc_is_unsupported_and_kept_raw)
{
    ek_lladdr s = ll_ext(), d = ll_ext();
    const uint8_t f[] = { 0x7f, 0x3b, 0x02, 0xe4, 0x3a, 0x00 }; /* NHC-EH Fragment (EID 2) */
    ek_lowpan_pkt pk;
    ek_err e;
    cr_assert_eq(ek_lowpan_decode(ek_view_make(f, sizeof f), 5, &s, &d, NULL, &pk, &e), EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "6lowpan.nhc");
    cr_assert_eq(e.offset, 8);
    cr_assert_eq(pk.payload.len, 3);
}

/* RFC 8200 §4.3: an inline Hop-by-Hop header (IPHC NH=0, Next Header 0; and in an
 * uncompressed 0x41 packet) is walked to the ICMPv6 message. */
Test(lowpan, inline_extension_headers_are_walked)
{
    ek_lladdr s = ll_ext(), d = ll_ext();
    /* IPHC TF=11 NH=0 HLIM=11, SAM=11 M=1 DAM=11 | nh 0 | dst 0x1a | HBH 3a 00 PadN(4) | 9b 00 */
    const uint8_t f[] = { 0x7b, 0x3b, 0x00, 0x1a, 0x3a, 0x00, 0x01, 0x04, 0, 0, 0, 0, 0x9b, 0x00 };
    ek_lowpan_pkt pk;
    ek_err e;
    cr_assert_eq(ek_lowpan_decode(ek_view_make(f, sizeof f), 0, &s, &d, NULL, &pk, &e), EK_OK);
    cr_assert(pk.ip.nh == 0 && pk.n_ext == 1 && pk.upper_nh == 58 && pk.upper_offset == 12 && pk.upper.len == 2);
    /* Hdr Ext Len 1 (16 octets) with 8 left: TRUNCATED naming the length */
    uint8_t g[sizeof f];
    memcpy(g, f, sizeof f);
    g[5] = 1;
    cr_assert_eq(ek_lowpan_decode(ek_view_make(g, sizeof g), 0, &s, &d, NULL, &pk, &e), EK_ERR_TRUNCATED);
    cr_assert_str_eq(e.field, "ipv6.opt.length");
    cr_assert_eq(e.offset, 5);
    /* 0x41 + IPv6 header (plen 10, nh 0) + the same HBH + ICMPv6 */
    uint8_t u[1 + 40 + 10] = { 0x41, 0x60, 0, 0, 0, 0, 10, 0, 64 };
    memcpy(u + 41, f + 4, 10);
    cr_assert_eq(ek_lowpan_decode(ek_view_make(u, sizeof u), 0, &s, &d, NULL, &pk, &e), EK_OK);
    cr_assert(pk.n_ext == 1 && pk.upper_nh == 58 && pk.upper_offset == 49);
}

Test(lowpan, frag1_then_iphc_and_fragn)
{
    ek_lladdr s = ll_ext(), d = ll_ext();
    /* FRAG1 size 120 tag 0x1234 + IPHC DIO header + 3 payload octets */
    const uint8_t f1[] = { 0xc0, 0x78, 0x12, 0x34, 0x7b, 0x3b, 0x3a, 0x1a, 0x9b, 0x01, 0x00 };
    ek_lowpan_pkt pk;
    ek_err e;
    cr_assert_eq(ek_lowpan_decode(ek_view_make(f1, sizeof f1), 0, &s, &d, NULL, &pk, &e), EK_OK);
    cr_assert(pk.frag.present && pk.frag.first);
    cr_assert_eq(pk.frag.size, 120);
    cr_assert_eq(pk.frag.tag, 0x1234);
    cr_assert_eq(pk.ip.payload_len, 80);
    cr_assert_eq(pk.payload_offset, 8);
    uint8_t out[32];
    ek_buf b;
    ek_buf_init(&b, out, sizeof out);
    cr_assert_eq(ek_lowpan_encode(&pk, &s, &d, NULL, &b, &e), EK_OK);
    cr_assert_arr_eq(out, f1, sizeof f1);

    const uint8_t fn[] = { 0xe0, 0x78, 0x12, 0x34, 0x05, 0xaa, 0xbb };
    cr_assert_eq(ek_lowpan_decode(ek_view_make(fn, sizeof fn), 0, &s, &d, NULL, &pk, &e), EK_OK);
    cr_assert(pk.frag.present && !pk.frag.first && !pk.has_ipv6);
    cr_assert_eq(pk.frag.offset, 5);
    cr_assert_eq(pk.payload.len, 2);
    ek_buf_init(&b, out, sizeof out);
    cr_assert_eq(ek_lowpan_encode(&pk, &s, &d, NULL, &b, &e), EK_OK);
    cr_assert_arr_eq(out, fn, sizeof fn);
}

Test(lowpan, uncompressed_ipv6_0x41_round_trip)
{
    uint8_t f[41 + 3] = { 0x41, 0x60, 0x00, 0x00, 0x00, 0x00, 0x03, 0x3a, 0xff };
    memcpy(f + 9, LL_SRC, 16);
    memcpy(f + 25, ALL_RPL, 16);
    f[41] = 0x9b; f[42] = 1; f[43] = 0;
    ek_lowpan_pkt pk;
    ek_err e;
    cr_assert_eq(ek_lowpan_decode(ek_view_make(f, sizeof f), 0, NULL, NULL, NULL, &pk, &e), EK_OK);
    cr_assert(!pk.compressed && pk.has_ipv6);
    cr_assert_eq(pk.ip.payload_len, 3);
    cr_assert_eq(pk.payload_offset, 41);
    uint8_t out[64];
    ek_buf b;
    ek_buf_init(&b, out, sizeof out);
    cr_assert_eq(ek_lowpan_encode(&pk, NULL, NULL, NULL, &b, &e), EK_OK);
    cr_assert_eq(b.len, sizeof f);
    cr_assert_arr_eq(out, f, sizeof f);
    f[1] = 0x40; /* version 4 */
    cr_assert_eq(ek_lowpan_decode(ek_view_make(f, sizeof f), 7, NULL, NULL, NULL, &pk, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "ipv6.version");
    cr_assert_eq(e.offset, 8);
}

Test(lowpan, forced_form_that_cannot_represent_is_malformed)
{
    ek_lladdr s = ll_ext(), d = ll_ext();
    ek_lowpan_pkt pk;
    memset(&pk, 0, sizeof pk);
    pk.compressed = true;
    pk.ip.hlim = 255;
    pk.ip.nh = 58;
    memcpy(pk.ip.src, LL_SRC, 16);
    pk.ip.src[15] = 2; /* not the MAC-derived IID */
    memcpy(pk.ip.dst, ALL_RPL, 16);
    pk.iphc = (ek_iphc_form){ .tf = 3, .hlim = 3, .sam = 3, .m = 1, .dam = 3 };
    uint8_t out[64];
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, out, sizeof out);
    cr_assert_eq(ek_lowpan_encode(&pk, &s, &d, NULL, &b, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "6lowpan.iphc.sam");
    pk.iphc.sam = 1;
    pk.ip.dst[1] = 0x05; /* ff05::1a cannot use DAM=11 */
    ek_buf_init(&b, out, sizeof out);
    cr_assert_eq(ek_lowpan_encode(&pk, &s, &d, NULL, &b, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "6lowpan.iphc.dam");
    pk.iphc.dam = 2;
    pk.iphc.hlim = 2; /* hop limit 255 != 64 */
    ek_buf_init(&b, out, sizeof out);
    cr_assert_eq(ek_lowpan_encode(&pk, &s, &d, NULL, &b, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "6lowpan.iphc.hlim");
}

Test(lowpan, prefix_sweep_never_crashes)
{
    ek_profile p = prof_ctx();
    ek_lladdr s = ll_ext(), d = ll_ext();
    const uint8_t v[][24] = {
        { 0x7b, 0x3b, 0x3a, 0x1a, 0x9b },
        { 0xc0, 0x78, 0x12, 0x34, 0x60, 0xd3, 0x30, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x40, 1, 2, 3, 4, 5, 6, 7, 8, 0xff, 0xaa },
        { 0x7e, 0x3b, 0x1a, 0xf0, 0x16, 0x33, 0x16, 0x34, 0xbe, 0xef, 0x01 },
        { 0x80 | 0x30 | 5, 0x00, 0x01, 0x00, 0x02, 0x7b, 0x3b, 0x3a, 0x1a },
    };
    const size_t vl[] = { 5, 23, 11, 9 };
    for (size_t k = 0; k < 4; k++) {
        ek_lowpan_pkt pk;
        ek_err e;
        cr_assert_eq(ek_lowpan_decode(ek_view_make(v[k], vl[k]), 0, &s, &d, &p, &pk, &e), EK_OK, "v%zu %s", k, e.field);
        /* Cut inside the headers: TRUNCATED.  (Cuts inside the payload stay valid.) */
        size_t hdr = pk.payload_offset;
        for (size_t n = 0; n < hdr; n++) {
            ek_status st = ek_lowpan_decode(ek_view_make(v[k], n), 0, &s, &d, &p, &pk, &e);
            cr_assert_eq(st, EK_ERR_TRUNCATED, "v%zu len %zu", k, n);
            cr_assert_leq(e.offset, n);
        }
    }
}

Test(lowpan, randomized_round_trip_best_form)
{
    ek_profile p = prof_ctx();
    for (int it = 0; it < 1000; it++) {
        ek_lladdr s = (xr() & 1) ? ll_ext() : ll_short((uint16_t)xr());
        ek_lladdr d = (xr() & 1) ? ll_ext() : ll_short((uint16_t)xr());
        ek_ipv6_hdr ip;
        memset(&ip, 0, sizeof ip);
        unsigned r = xr();
        ip.tc = (r & 1) ? (uint8_t)xr() : 0;
        ip.flow = (r & 2) ? xr() & 0xFFFFF : 0;
        ip.nh = 58;
        static const uint8_t hls[] = { 1, 64, 255, 7 };
        ip.hlim = hls[xr() & 3];
        for (int i = 0; i < 16; i++) { ip.src[i] = (uint8_t)xr(); ip.dst[i] = (uint8_t)xr(); }
        switch (xr() % 4) { /* link-local / context / :: / random */
        case 0: memcpy(ip.src, LL_SRC, 8); break;
        case 1: memcpy(ip.src, (uint8_t[]){ 0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0 }, 8); break;
        case 2: memset(ip.src, 0, 16); break;
        default: break;
        }
        if (xr() & 1) { ek_lowpan_iid_from_ll(&s, ip.src + 8); memcpy(ip.src, LL_SRC, 8); }
        switch (xr() % 4) {
        case 0: memset(ip.dst, 0, 16); ip.dst[0] = 0xff; ip.dst[1] = 2; ip.dst[15] = (uint8_t)xr(); break;
        case 1: memset(ip.dst + 2, 0, 9); ip.dst[0] = 0xff; break;
        case 2: memcpy(ip.dst, (uint8_t[]){ 0xfd, 0, 0, 1, 0, 2 }, 6); break;
        default: memcpy(ip.dst, LL_SRC, 8); ek_lowpan_iid_from_ll(&d, ip.dst + 8); break;
        }
        bool udp = xr() & 1;
        ek_udp_hdr u = { .src_port = (uint16_t)xr(), .dst_port = (uint16_t)(0xf0b0 | (xr() & 15)), .checksum = (uint16_t)xr() };
        uint8_t pay[8], buf[128];
        for (int i = 0; i < 8; i++) pay[i] = (uint8_t)xr();
        ek_buf b;
        ek_err e;
        ek_buf_init(&b, buf, sizeof buf);
        cr_assert_eq(ek_lowpan_encode_max(&ip, udp ? &u : NULL, ek_view_make(pay, 8), &s, &d, &p, &b, &e), EK_OK);
        ek_lowpan_pkt pk;
        cr_assert_eq(ek_lowpan_decode(ek_view_make(buf, b.len), 0, &s, &d, &p, &pk, &e), EK_OK, "it %d %s", it, e.field);
        cr_assert_arr_eq(pk.ip.src, ip.src, 16, "it %d", it);
        cr_assert_arr_eq(pk.ip.dst, ip.dst, 16, "it %d", it);
        cr_assert_eq(pk.ip.tc, ip.tc);
        cr_assert_eq(pk.ip.flow, ip.flow);
        cr_assert_eq(pk.ip.hlim, ip.hlim);
        cr_assert_eq(pk.ip.nh, udp ? 17 : 58);
        cr_assert_eq(pk.has_udp, udp);
        if (udp) cr_assert(pk.udp.src_port == u.src_port && pk.udp.dst_port == u.dst_port && pk.udp.checksum == u.checksum);
        cr_assert_eq(pk.payload.len, 8);
        cr_assert_arr_eq(pk.payload.p, pay, 8);
    }
}

/* RFC 6282 §4.3.3 C=1: the elided checksum is recomputed.  The inline vector, wrapped in an
 * 802.15.4-2003 data frame (ext src 00:12:4b::1, ext dst 00:12:4b::2, link type 195), reads in
 * tshark 4.0.17 -o udp.check_checksum:TRUE as "Src Port: 61617, Dst Port: 61626, Length: 12,
 * [Checksum Status: Good]" (checksum 0xe9a2, all four P forms were checked the same way);
 * the same datagram with C=1 must recompute 0xe9a2. */
Test(lowpan, udp_elided_checksum_is_recomputed)
{
    ek_lladdr s = ll_ext(), d = ll_ext();
    d.ext[7] = 2;
    const uint8_t inl[] = { 0x7e, 0x33, 0xf3, 0x1a, 0xe9, 0xa2, 0xde, 0xad, 0xbe, 0xef };
    const uint8_t eli[] = { 0x7e, 0x33, 0xf7, 0x1a, 0xde, 0xad, 0xbe, 0xef };
    ek_lowpan_pkt pk;
    ek_err e;
    cr_assert_eq(ek_lowpan_decode(ek_view_make(inl, sizeof inl), 0, &s, &d, NULL, &pk, &e), EK_OK);
    cr_assert_eq(pk.udp.checksum, 0xe9a2);
    cr_assert(!pk.udp.checksum_recomputed);
    cr_assert_eq(ek_lowpan_decode(ek_view_make(eli, sizeof eli), 0, &s, &d, NULL, &pk, &e), EK_OK);
    cr_assert(pk.udp.c && pk.udp.checksum_recomputed);
    cr_assert_eq(pk.udp.checksum, 0xe9a2);
    cr_assert_eq(pk.udp.src_port, 0xf0b1);
    cr_assert_eq(pk.udp.dst_port, 0xf0ba);
    cr_assert_eq(pk.udp.length, 12);
}

/* RFC 4944 §5.2: with a mesh header, IIDs come from the mesh originator/final (RFC 6282 §3.2.2). */
Test(lowpan, mesh_bc0_and_iid_from_mesh_addresses)
{
    ek_lladdr s = ll_ext(), d = ll_ext();
    /* 10 V=1 F=1 hops 5 | orig 0x0001 | final 0x0002 | BC0 seq 9 | IPHC SAM=11 DAM=11 (unicast) */
    const uint8_t f[] = { 0xb5, 0x00, 0x01, 0x00, 0x02, 0x50, 0x09, 0x7b, 0x33, 0x3a, 0x00 };
    ek_lowpan_pkt pk;
    ek_err e;
    cr_assert_eq(ek_lowpan_decode(ek_view_make(f, sizeof f), 0, &s, &d, NULL, &pk, &e), EK_OK);
    cr_assert(pk.mesh.present && pk.mesh.hops_left == 5);
    cr_assert_eq(pk.mesh.orig.short_addr, 1);
    cr_assert(pk.has_bc0 && pk.bc0_seq == 9);
    const uint8_t src[16] = { 0xfe, 0x80, [11] = 0xff, 0xfe, 0, 0, 1 };
    const uint8_t dst[16] = { 0xfe, 0x80, [11] = 0xff, 0xfe, 0, 0, 2 };
    cr_assert_arr_eq(pk.ip.src, src, 16);
    cr_assert_arr_eq(pk.ip.dst, dst, 16);
    uint8_t out[32];
    ek_buf b;
    ek_buf_init(&b, out, sizeof out);
    cr_assert_eq(ek_lowpan_encode(&pk, &s, &d, NULL, &b, &e), EK_OK);
    cr_assert_eq(b.len, sizeof f);
    cr_assert_arr_eq(out, f, sizeof f);
}

Test(lowpan, nalp_page_and_reserved_dispatch_are_unsupported)
{
    ek_lladdr s = ll_ext(), d = ll_ext();
    ek_lowpan_pkt pk;
    ek_err e;
    const uint8_t nalp[] = { 0x01, 0x02 };
    cr_assert_eq(ek_lowpan_decode(ek_view_make(nalp, 2), 30, &s, &d, NULL, &pk, &e), EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "6lowpan.dispatch");
    cr_assert_eq(e.offset, 30);
    cr_assert_eq(pk.payload.len, 2);
    const uint8_t page1[] = { 0xf1, 0xa0 };
    cr_assert_eq(ek_lowpan_decode(ek_view_make(page1, 2), 30, &s, &d, NULL, &pk, &e), EK_ERR_UNSUPPORTED);
    cr_assert_eq(e.offset, 30);
    const uint8_t page0[] = { 0xf0, 0x7b, 0x3b, 0x3a, 0x1a };
    cr_assert_eq(ek_lowpan_decode(ek_view_make(page0, 5), 30, &s, &d, NULL, &pk, &e), EK_OK);
    cr_assert_eq(pk.ip.dst[15], 0x1a);
    const uint8_t reserved[] = { 0x43, 0x00 };
    cr_assert_eq(ek_lowpan_decode(ek_view_make(reserved, 2), 0, &s, &d, NULL, &pk, &e), EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "6lowpan.dispatch");
    const uint8_t frag_small[] = { 0xc0, 0x10, 0x00, 0x01, 0x7b, 0x3b, 0x3a, 0x1a };
    cr_assert_eq(ek_lowpan_decode(ek_view_make(frag_small, 8), 4, &s, &d, NULL, &pk, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "6lowpan.frag.size");
    cr_assert_eq(e.offset, 4);
}

/* 6LoWPAN payloads of five frames built by the encoder, wrapped in 802.15.4-2003 data
 * frames (PAN 0xabcd, link type 195, KERMIT FCS) and read back by
 * `tshark -r f.pcap -o 6lowpan.context0:2001:db8::/64 -T fields -e ipv6.src -e ipv6.dst
 *  -e ipv6.tclass -e ipv6.flow -e ipv6.hlim -e icmpv6.checksum.status` (4.0.17):
 *  2: 2001:db8::ff:fe00:102 -> 2001:db8::212:4b00:0:2, tc 0xb9, flow 0x12345, hlim 17, Good
 *  3: fe80::212:4b00:0:1 -> ff05::ab:cdef:123, tc 0x01, flow 0xabcde, hlim 64, Good
 *  4: fe80::212:4b00:0:1 -> ff0e::11:2233, tc 0xb8, flow 0, hlim 64, Good
 *  5: fe80::212:4b00:0:1 -> ff3e:40:2001:db8::1234:5678, hlim 64, Good
 *  6: fe80::102:304:506:708 -> fe80::ff:fe00:beef, hlim 64, Good
 * Each carries a DIS (9b 00 cksum 00 00). */
Test(lowpan, tshark_checked_context_multicast_and_tf_vectors)
{
    ek_profile p;
    ek_profile_default(&p);
    cr_assert(ek_profile_set_context(&p, 0, "2001:db8::/64"));
    ek_lladdr e1 = ll_ext(), e2 = ll_ext(), s102 = ll_short(0x0102), bc = ll_short(0xffff);
    e2.ext[7] = 2;
    struct { const char *hex; const ek_lladdr *s, *d; uint8_t src[16], dst[16]; uint8_t tc; uint32_t fl; uint8_t hl; } t[] = {
        { "60776e0123453a119b00bc360000", &s102, &e2,
          { 0x20, 0x01, 0x0d, 0xb8, [11] = 0xff, 0xfe, 0, 0x01, 0x02 },
          { 0x20, 0x01, 0x0d, 0xb8, [8] = 0x02, 0x12, 0x4b, 0, 0, 0, 0, 2 }, 0xb9, 0x12345, 17 },
        { "6a394abcde3a05abcdef01239b004a670000", &e1, &bc, { 0 },
          { 0xff, 0x05, [11] = 0xab, 0xcd, 0xef, 0x01, 0x23 }, 0x01, 0xabcde, 64 },
        { "723a2e3a0e1122339b00f7d70000", &e1, &bc, { 0 }, { 0xff, 0x0e, [13] = 0x11, 0x22, 0x33 }, 0xb8, 0, 64 },
        { "7a3c3a3e00123456789b0083460000", &e1, &bc, { 0 },
          { 0xff, 0x3e, 0, 0x40, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78 }, 0, 0, 64 },
        { "7a123a0102030405060708beef9b0099b90000", &e1, &e2, { 0xfe, 0x80, [8] = 1, 2, 3, 4, 5, 6, 7, 8 },
          { 0xfe, 0x80, [11] = 0xff, 0xfe, 0, 0xbe, 0xef }, 0, 0, 64 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        uint8_t f[64];
        size_t n = strlen(t[i].hex) / 2;
        for (size_t k = 0; k < n; k++) {
            unsigned v;
            sscanf(t[i].hex + 2 * k, "%2x", &v);
            f[k] = (uint8_t)v;
        }
        if (i > 0)
            memcpy(t[i].src, LL_SRC, 16), t[i].src[15] = i == 4 ? 0 : 1;
        if (i == 4) {
            const uint8_t s6[16] = { 0xfe, 0x80, [8] = 1, 2, 3, 4, 5, 6, 7, 8 };
            memcpy(t[i].src, s6, 16);
        }
        ek_lowpan_pkt pk;
        ek_err e;
        cr_assert_eq(ek_lowpan_decode(ek_view_make(f, n), 0, t[i].s, t[i].d, &p, &pk, &e), EK_OK, "row %zu", i);
        cr_assert_arr_eq(pk.ip.src, t[i].src, 16, "row %zu", i);
        cr_assert_arr_eq(pk.ip.dst, t[i].dst, 16, "row %zu", i);
        cr_assert_eq(pk.ip.tc, t[i].tc, "row %zu", i);
        cr_assert_eq(pk.ip.flow, t[i].fl, "row %zu", i);
        cr_assert_eq(pk.ip.hlim, t[i].hl, "row %zu", i);
        ek_icmp6 ic;
        cr_assert_eq(ek_icmp6_decode(pk.payload, pk.payload_offset, pk.ip.src, pk.ip.dst, &ic, &e), EK_OK);
        cr_assert(ic.checksum_ok, "row %zu", i);
        /* and the maximal-compression encoder reproduces tshark's bytes */
        uint8_t out[64];
        ek_buf b;
        ek_buf_init(&b, out, sizeof out);
        cr_assert_eq(ek_lowpan_encode_max(&pk.ip, NULL, pk.payload, t[i].s, t[i].d, &p, &b, &e), EK_OK);
        cr_assert_eq(b.len, n, "row %zu", i);
        cr_assert_arr_eq(out, f, n, "row %zu", i);
    }
}

/* ---- review pass: contract and length arithmetic ---- */

static ek_err garbage_err(void)
{
    ek_err e;
    memset(&e, 0xA5, sizeof e);
    return e;
}

/* Every decoder sets *err also on success (the codec contract).  IPHC, 0x41 and
 * FRAGN each returned EK_OK without touching it (found by fuzz_lowpan:
 * "ek_lowpan_decode returned EK_OK but left *err unset"). */
Test(lowpan, success_clears_err_for_iphc_ipv6_and_fragn)
{
    /* 7b 3b 3a 1a: TF=11 NH=0 HLIM=11 | SAM=11 M=1 DAM=11, NH 58, ff02::1a (RFC 6282 §3.1.1) */
    static const uint8_t iphc[] = { 0x7b, 0x3b, 0x3a, 0x1a, 0x9b, 0x01, 0x00, 0x00 };
    /* 41 | IPv6 header, plen 0 (RFC 4944 §5.1, RFC 8200 §3) */
    static const uint8_t ipv6[41] = { 0x41, 0x60, [5] = 0x00, [6] = 0x00, [7] = 58, [8] = 64 };
    /* FRAGN size 100 tag 0x1234 offset 2 | 8 octets of the datagram (RFC 4944 §5.3) */
    static const uint8_t fragn[] = { 0xe0, 0x64, 0x12, 0x34, 0x02, 1, 2, 3, 4, 5, 6, 7, 8 };
    const struct { const uint8_t *p; size_t n; } v[] = { { iphc, sizeof iphc }, { ipv6, sizeof ipv6 },
                                                          { fragn, sizeof fragn } };
    ek_lladdr src = { .mode = EK_WPAN_AM_EXT, .ext = { 0x00, 0x12, 0x4b, 0, 0, 0, 0, 0x01 } };
    ek_lladdr dst = { .mode = EK_WPAN_AM_SHORT, .short_addr = 0xffff };
    for (unsigned i = 0; i < 3; i++) {
        ek_lowpan_pkt pkt;
        ek_err e = garbage_err();
        cr_assert_eq(ek_lowpan_decode(ek_view_make(v[i].p, v[i].n), 10, &src, &dst, NULL, &pkt, &e), EK_OK,
                     "vector %u", i);
        cr_assert_eq(e.code, EK_OK, "vector %u: *err.code set on success", i);
        cr_assert_null(e.field, "vector %u", i);
        cr_assert_eq(e.offset, 0, "vector %u", i);
    }
}

/* RFC 8200 §3: Payload Length is 16 bits.  An IPHC packet whose MAC payload (plus the
 * 8 octets the UDP NHC stands for) exceeds 65535 used to wrap into payload_len. */
Test(lowpan, iphc_payload_longer_than_16_bits_is_malformed_not_wrapped)
{
    size_t n = 70000;
    uint8_t *b = calloc(1, n);
    cr_assert_not_null(b);
    /* 7b 33: TF=11 NH=0 HLIM=11 | SAM=11 M=0 DAM=11 (both IIDs from the MAC), NH 58 */
    b[0] = 0x7b;
    b[1] = 0x33;
    b[2] = 0x3a;
    ek_lladdr src = { .mode = EK_WPAN_AM_SHORT, .short_addr = 1 };
    ek_lladdr dst = { .mode = EK_WPAN_AM_SHORT, .short_addr = 2 };
    ek_lowpan_pkt pkt;
    ek_err e;
    cr_assert_eq(ek_lowpan_decode(ek_view_make(b, n), 5, &src, &dst, NULL, &pkt, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "ipv6.plen");
    cr_assert_eq(e.offset, 5 + 3, "the payload starts after the 3 IPHC octets");
    /* 65535 payload octets still fit */
    cr_assert_eq(ek_lowpan_decode(ek_view_make(b, 3 + 65535), 5, &src, &dst, NULL, &pkt, &e), EK_OK);
    cr_assert_eq(pkt.ip.payload_len, 65535);
    free(b);
}

Test(lowpan, encode_uncompressed_fragment_smaller_than_ipv6_header_is_malformed)
{
    ek_lowpan_pkt p;
    memset(&p, 0, sizeof p);
    p.dispatch = EK_LOWPAN_D_IPV6;
    p.has_ipv6 = true;
    p.frag.present = p.frag.first = true;
    p.frag.size = 39; /* plen = size - 40 would wrap */
    uint8_t out[64];
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, out, sizeof out);
    cr_assert_eq(ek_lowpan_encode(&p, NULL, NULL, NULL, &b, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "6lowpan.frag.size");
    cr_assert_eq(e.offset, 4, "after the FRAG1 header");
}

/* RFC 4944 §10.1 HC1 (+ §10.3.2 HC_UDP), as stock tshark 4.0.17 decodes these payloads
 * in 802.15.4 data frames (6lowpan.hc1.encoding, 6lowpan.hops, 6lowpan.src / dst,
 * 6lowpan.class / flow / next, 6lowpan.udp.*, icmpv6.checksum.status):
 *  a) 0xf3 + HC_UDP 0xe0: fe80::ff:fe00:1 -> fe80::ff:fe00:2, hlim 64, class 0xb8,
 *     flow 0x12345, ports 61617 -> 61618, checksum 0xdf98, UDP length 13
 *  b) 0xf0: hlim 33, class 0, flow 0, next 0x3a (bit-aligned after the flow label),
 *     ICMPv6 128 checksum Good
 *  c) 0xcc: src from the EUI-64, dst ff02::1a inline, ICMPv6 (RPL DIO) */
static const uint8_t hc1_udp[] = { 0x42, 0xf3, 0xe0, 0x40, 0xb8, 0x12, 0x34, 0x51, 0x2d, 0xf9, 0x80,
                                   'h', 'e', 'l', 'l', 'o' };
static const uint8_t hc1_nh_inline[] = { 0x42, 0xf0, 0x21, 0x00, 0x00, 0x00, 0x03, 0xa0,
                                         0x80, 0x00, 0xa5, 0xe0, 0x00, 0x01, 0x00, 0x02, 'p', 'i', 'n', 'g' };

Test(lowpan, hc1_with_hc_udp_bit_aligned_fields)
{
    ek_lladdr s = ll_short(1), d = ll_short(2);
    ek_lowpan_pkt pk;
    ek_err e;
    cr_assert_eq(ek_lowpan_decode(ek_view_make(hc1_udp, sizeof hc1_udp), 9, &s, &d, NULL, &pk, &e), EK_OK);
    cr_assert_eq(pk.dispatch, EK_LOWPAN_D_HC1);
    cr_assert(pk.hc1 && !pk.compressed && pk.has_ipv6 && pk.has_hc2 && pk.has_udp);
    cr_assert_eq(pk.hc1_encoding, 0xf3);
    cr_assert_eq(pk.hc2_encoding, 0xe0);
    const uint8_t src[16] = { 0xfe, 0x80, [11] = 0xff, [12] = 0xfe, [15] = 1 };
    const uint8_t dst[16] = { 0xfe, 0x80, [11] = 0xff, [12] = 0xfe, [15] = 2 };
    cr_assert_arr_eq(pk.ip.src, src, 16);
    cr_assert_arr_eq(pk.ip.dst, dst, 16);
    cr_assert_eq(pk.ip.hlim, 64);
    cr_assert_eq(pk.ip.tc, 0xb8);
    cr_assert_eq(pk.ip.flow, 0x12345);
    cr_assert_eq(pk.ip.nh, EK_IPV6_NH_UDP);
    cr_assert_eq(pk.udp.src_port, 61617);
    cr_assert_eq(pk.udp.dst_port, 61618);
    cr_assert_eq(pk.udp.checksum, 0xdf98);
    cr_assert_eq(pk.udp.length, 13);
    cr_assert_eq(pk.ip.payload_len, 13);
    cr_assert_eq(pk.payload.len, 5);
    cr_assert_eq(pk.payload_offset, 9 + 11);
}

Test(lowpan, hc1_next_header_inline_after_the_flow_label)
{
    ek_lladdr s = ll_short(1), d = ll_short(2);
    ek_lowpan_pkt pk;
    ek_err e;
    cr_assert_eq(ek_lowpan_decode(ek_view_make(hc1_nh_inline, sizeof hc1_nh_inline), 0, &s, &d, NULL, &pk, &e),
                 EK_OK);
    cr_assert(pk.hc1 && !pk.has_hc2 && !pk.has_udp);
    cr_assert_eq(pk.ip.hlim, 33);
    cr_assert_eq(pk.ip.nh, 58);
    cr_assert_eq(pk.upper_nh, 58);
    cr_assert_eq(pk.payload_offset, 8);
    cr_assert_eq(pk.payload.len, 12);
    cr_assert_eq(pk.payload.p[0], 128);
}

Test(lowpan, hc1_inline_addresses_and_the_eui64_iid)
{
    ek_lladdr s = ll_ext(), d = ll_short(0xffff);
    uint8_t b[3 + 16 + 4] = { 0x42, 0xcc, 64, 0xff, 0x02, [18] = 0x1a, 155, 1, 0x12, 0xf0 };
    ek_lowpan_pkt pk;
    ek_err e;
    cr_assert_eq(ek_lowpan_decode(ek_view_make(b, sizeof b), 0, &s, &d, NULL, &pk, &e), EK_OK);
    const uint8_t src[16] = { 0xfe, 0x80, [8] = 0x02, 0x12, 0x4b, 0, 0, 0, 0, 0x01 };
    const uint8_t dst[16] = { 0xff, 0x02, [15] = 0x1a };
    cr_assert_arr_eq(pk.ip.src, src, 16);
    cr_assert_arr_eq(pk.ip.dst, dst, 16);
    cr_assert_eq(pk.ip.nh, 58);
    cr_assert_eq(pk.ip.tc, 0);
    cr_assert_eq(pk.ip.flow, 0);
    cr_assert_eq(pk.payload.len, 4);
    /* inside FRAG1 (RFC 4944 §5.3): the datagram size gives the Payload Length */
    uint8_t f[4 + sizeof b] = { 0xc0, 120, 0x12, 0x34 };
    memcpy(f + 4, b, sizeof b);
    cr_assert_eq(ek_lowpan_decode(ek_view_make(f, sizeof f), 0, &s, &d, NULL, &pk, &e), EK_OK);
    cr_assert(pk.frag.present && pk.frag.first && pk.hc1 && pk.has_ipv6);
    cr_assert_eq(pk.dispatch, EK_LOWPAN_D_HC1);
    cr_assert_eq(pk.ip.payload_len, 80);
}

Test(lowpan, hc1_errors_name_the_field_and_offset)
{
    ek_lladdr s = ll_short(1), d = ll_short(2), none = { EK_WPAN_AM_NONE, 0, { 0 } };
    ek_lowpan_pkt pk;
    ek_err e;
    /* "more" bit with Next Header ICMPv6: only HC_UDP may follow (tshark: Malformed,
     * "HC1 more bits expected for illegal next header type") */
    const uint8_t more[] = { 0x42, 0xfd, 0x00, 0x40, 0x80, 0x00 };
    cr_assert_eq(ek_lowpan_decode(ek_view_make(more, sizeof more), 10, &s, &d, NULL, &pk, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "6lowpan.hc1.encoding");
    cr_assert_eq(e.offset, 11);
    /* a compressed IID without a MAC address to derive it from */
    cr_assert_eq(ek_lowpan_decode(ek_view_make(hc1_udp, sizeof hc1_udp), 0, &none, &d, NULL, &pk, &e),
                 EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "6lowpan.hc1.src_ifc");
    /* every prefix of the headers: TRUNCATED naming the field being read */
    static const char *const f_udp[] = { "6lowpan.dispatch", "6lowpan.hc1.encoding", "6lowpan.hc2.udp.encoding",
                                         "6lowpan.hops", "6lowpan.class", "6lowpan.flow", "6lowpan.flow",
                                         "6lowpan.flow", "6lowpan.udp.dst", "6lowpan.udp.checksum",
                                         "6lowpan.udp.checksum" };
    for (size_t n = 0; n < 11; n++) {
        cr_assert_eq(ek_lowpan_decode(ek_view_make(hc1_udp, n), 0, &s, &d, NULL, &pk, &e), EK_ERR_TRUNCATED,
                     "prefix %zu", n);
        cr_assert_str_eq(e.field, f_udp[n], "prefix %zu", n);
        cr_assert_eq(e.offset, n, "prefix %zu", n);
    }
    for (size_t n = 0; n < 8; n++)
        cr_assert_eq(ek_lowpan_decode(ek_view_make(hc1_nh_inline, n), 0, &s, &d, NULL, &pk, &e), EK_ERR_TRUNCATED,
                     "prefix %zu", n);
    cr_assert_str_eq(e.field, "6lowpan.next");
}
