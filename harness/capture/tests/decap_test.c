/* SPDX-License-Identifier: BSD-3-Clause */
/* Decapsulation tests: encap -> decap round trips for every supported link type
 * (195/230/283, ZEP over Ethernet/SLL/SLL2/raw/NULL/LOOP, IPv4 and IPv6), VLAN and
 * IPv6 extension headers, non-ZEP/non-UDP rejection, truncation sweeps. */
#include <criterion/criterion.h>
#include <string.h>

#include "ek/decap.h"
#include "ek/fcs.h"
#include "ek_test_rng.h"

/* Oracle check (done by hand, 2026-11-23, tshark 4.0.17; the CI oracle suite is the
 * lead's): this MPDU written by ek_cap_encap + ek_cap_writer for every link type below
 * (195, 230, 283 with FCS/RSS/channel/ASN/LQI TLVs, and ZEP v2 over IPv4 and IPv6 in
 * EN10MB, LINUX_SLL, LINUX_SLL2, RAW(101), NULL, LOOP, IPV4, IPV6) decodes in
 * `tshark -V -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE` as
 * "...:udp:zep:wpan:data", "ZigBee Encapsulation Protocol, Channel: 26, Length: 21",
 * "FCS: 0x4931 (Correct)", ip/udp checksum status Good, wpan-tap.asn 12345, and no
 * Malformed or expert item. */

/* 2006 data frame, PAN ID compression, dst 0xabcd/0xffff, src extended
 * 00:12:4b:00:14:b5:d9:c7, payload 00 01 02 03 (NALP).  With a KERMIT FCS appended
 * tshark shows "Data, Dst: Broadcast, Src: 00:12:4b:00:14:b5:d9:c7", "FCS ... (Correct)". */
static const uint8_t mpdu[] = {
    0x41, 0xd8, 0x01, 0xcd, 0xab, 0xff, 0xff, 0xc7, 0xd9, 0xb5, 0x14, 0x00, 0x4b, 0x12, 0x00,
    0x00, 0x01, 0x02, 0x03,
};

static const int zep_carriers[] = { EK_LT_EN10MB, EK_LT_LINUX_SLL, EK_LT_LINUX_SLL2, EK_LT_RAW,
                                    EK_LT_DLT_RAW_12, EK_LT_DLT_RAW_14, EK_LT_NULL, EK_LT_LOOP,
                                    EK_LT_IPV4, EK_LT_IPV6 };
#define N_CARRIERS (sizeof zep_carriers / sizeof zep_carriers[0])

static size_t build(int lt, bool v4, bool fcs, uint8_t *b, size_t cap)
{
    ek_cap_encap_opts o;
    ek_buf w;
    ek_err e;
    ek_cap_encap_opts_default(&o);
    o.ipv4 = v4;
    o.seq = 77;
    ek_buf_init(&w, b, cap);
    cr_assert_eq(ek_cap_encap(lt, ek_view_make(mpdu, sizeof mpdu), fcs, &o, &w, &e), EK_OK, "lt %d", lt);
    return w.len;
}

static void assert_mpdu(const ek_cap_frame *f)
{
    cr_assert_eq(f->mpdu.len, sizeof mpdu);
    cr_assert_arr_eq(f->mpdu.p, mpdu, sizeof mpdu);
}

Test(decap, withfcs_195_splits_fcs_and_checks_it)
{
    uint8_t b[64];
    size_t n = build(EK_LT_IEEE802_15_4_WITHFCS, false, true, b, sizeof b);
    ek_cap_frame f;
    ek_err e;
    cr_assert_eq(n, sizeof mpdu + 2);
    cr_assert_eq(ek_cap_decap(EK_LT_IEEE802_15_4_WITHFCS, ek_view_make(b, n), &f, &e), EK_OK);
    assert_mpdu(&f);
    cr_assert(f.fcs_present);
    cr_assert_eq(f.fcs_kind, EK_CAP_FCS_CRC16);
    cr_assert_eq(f.fcs, ek_fcs16(ek_view_make(mpdu, sizeof mpdu)));
    cr_assert(f.fcs_checked && f.fcs_ok);
    cr_assert_eq(f.psdu.len, n);
    cr_assert_eq(f.mpdu_offset, 0);
}

Test(decap, withfcs_195_bad_fcs_is_reported_not_fatal)
{
    uint8_t b[64];
    size_t n = build(EK_LT_IEEE802_15_4_WITHFCS, false, true, b, sizeof b);
    b[n - 1] ^= 0xff;
    ek_cap_frame f;
    ek_err e;
    cr_assert_eq(ek_cap_decap(EK_LT_IEEE802_15_4_WITHFCS, ek_view_make(b, n), &f, &e), EK_OK);
    cr_assert(f.fcs_checked);
    cr_assert_not(f.fcs_ok);
}

Test(decap, withfcs_195_under_2_octets_is_truncated)
{
    static const uint8_t b[] = { 0x41 };
    ek_cap_frame f;
    ek_err e;
    cr_assert_eq(ek_cap_decap(EK_LT_IEEE802_15_4_WITHFCS, ek_view_make(b, 1), &f, &e), EK_ERR_TRUNCATED);
    cr_assert_str_eq(e.field, "wpan.fcs");
    cr_assert_eq(e.offset, 0);
}

Test(decap, nofcs_230_is_the_mpdu)
{
    uint8_t b[64];
    size_t n = build(EK_LT_IEEE802_15_4_NOFCS, false, true, b, sizeof b);
    ek_cap_frame f;
    ek_err e;
    cr_assert_eq(n, sizeof mpdu);
    cr_assert_eq(ek_cap_decap(EK_LT_IEEE802_15_4_NOFCS, ek_view_make(b, n), &f, &e), EK_OK);
    assert_mpdu(&f);
    cr_assert_not(f.fcs_present);
    cr_assert_eq(f.fcs_kind, EK_CAP_FCS_NONE);
}

Test(decap, tap_283_fcs_per_tlv_and_metadata)
{
    ek_tap t;
    memset(&t, 0, sizeof t);
    t.has_asn = true;
    t.asn = 0x1234567;
    t.has_channel = true;
    t.channel = 20;
    ek_cap_encap_opts o;
    ek_cap_encap_opts_default(&o);
    o.tap = &t;
    uint8_t b[128];
    ek_buf w;
    ek_err e;
    ek_buf_init(&w, b, sizeof b);
    cr_assert_eq(ek_cap_encap(EK_LT_IEEE802_15_4_TAP, ek_view_make(mpdu, sizeof mpdu), true, &o, &w, &e), EK_OK);
    ek_cap_frame f;
    cr_assert_eq(ek_cap_decap(EK_LT_IEEE802_15_4_TAP, ek_buf_view(&w), &f, &e), EK_OK);
    assert_mpdu(&f);
    cr_assert(f.has_tap);
    cr_assert(f.tap.has_asn);
    cr_assert_eq(f.tap.asn, 0x1234567);
    cr_assert_eq(f.tap.channel, 20);
    cr_assert(f.fcs_present && f.fcs_ok);
    cr_assert_eq(f.mpdu_offset, f.tap.hdr_len);
    /* without add_fcs: no FCS TLV, no FCS (TAP default "none") */
    ek_buf_init(&w, b, sizeof b);
    cr_assert_eq(ek_cap_encap(EK_LT_IEEE802_15_4_TAP, ek_view_make(mpdu, sizeof mpdu), false, NULL, &w, &e), EK_OK);
    cr_assert_eq(w.len, 4 + sizeof mpdu);
    cr_assert_eq(ek_cap_decap(EK_LT_IEEE802_15_4_TAP, ek_buf_view(&w), &f, &e), EK_OK);
    assert_mpdu(&f);
    cr_assert_not(f.fcs_present);
}

Test(decap, tap_283_crc32_takes_4_octets)
{
    static const uint8_t b[] = { 0, 0, 12, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0x02, 0x00, 0x11, 0x22, 0x33, 0x44 };
    ek_cap_frame f;
    ek_err e;
    cr_assert_eq(ek_cap_decap(EK_LT_IEEE802_15_4_TAP, ek_view_make(b, sizeof b), &f, &e), EK_OK);
    cr_assert_eq(f.fcs_kind, EK_CAP_FCS_CRC32);
    cr_assert_eq(f.fcs, 0x44332211u);
    cr_assert_eq(f.mpdu.len, 2);
    cr_assert_not(f.fcs_checked);
}

Test(decap, tap_283_length_over_record_is_truncated)
{
    static const uint8_t b[] = { 0, 0, 16, 0, 0x41, 0x88 };
    ek_cap_frame f;
    ek_err e;
    cr_assert_eq(ek_cap_decap(EK_LT_IEEE802_15_4_TAP, ek_view_make(b, sizeof b), &f, &e), EK_ERR_TRUNCATED);
    cr_assert_str_eq(e.field, "wpan-tap.length");
    cr_assert_eq(e.offset, 2);
}

Test(decap, zep_every_carrier_ipv4_and_ipv6_round_trips)
{
    for (size_t i = 0; i < N_CARRIERS; i++) {
        for (int v4 = 0; v4 < 2; v4++) {
            int lt = zep_carriers[i];
            uint8_t b[256];
            size_t n = build(lt, v4, true, b, sizeof b);
            ek_cap_frame f;
            ek_err e;
            cr_assert_eq(ek_cap_decap(lt, ek_view_make(b, n), &f, &e), EK_OK, "lt %d v4 %d: %s", lt, v4, e.field);
            assert_mpdu(&f);
            cr_assert_eq(f.encap, EK_CAP_ZEP);
            int want_v = lt == EK_LT_IPV4 ? 4 : lt == EK_LT_IPV6 ? 6 : v4 ? 4 : 6;
            cr_assert_eq(f.ip_version, want_v, "lt %d", lt);
            cr_assert(f.has_zep);
            cr_assert_eq(f.zep.channel, 26);
            cr_assert_eq(f.zep.seq, 77);
            cr_assert_eq(f.zep.lqi, 0xff);
            cr_assert(f.fcs_present && f.fcs_ok);
            cr_assert_eq(f.udp_dport, EK_CAP_ZEP_PORT);
            cr_assert_eq(f.mpdu_offset + sizeof mpdu + 2, n);
            cr_assert_eq(f.zep_offset + 32, f.mpdu_offset);
            /* every prefix fails cleanly (TRUNCATED; never a crash) */
            for (size_t k = 0; k < n; k++) {
                ek_status st = ek_cap_decap(lt, ek_view_make(b, k), &f, &e);
                cr_assert_eq(st, EK_ERR_TRUNCATED, "lt %d v4 %d prefix %zu: %d %s", lt, v4, k, st, e.field);
            }
        }
    }
}

Test(decap, zep_lqi_mode_trailer_is_cc24xx_not_fcs)
{
    ek_cap_encap_opts o;
    ek_cap_encap_opts_default(&o);
    o.zep_mode = EK_ZEP_MODE_LQI;
    o.zep_version = 1;
    uint8_t b[256];
    ek_buf w;
    ek_err e;
    ek_buf_init(&w, b, sizeof b);
    cr_assert_eq(ek_cap_encap(EK_LT_EN10MB, ek_view_make(mpdu, sizeof mpdu), true, &o, &w, &e), EK_OK);
    ek_cap_frame f;
    cr_assert_eq(ek_cap_decap(EK_LT_EN10MB, ek_buf_view(&w), &f, &e), EK_OK);
    assert_mpdu(&f);
    cr_assert_eq(f.zep.version, 1);
    cr_assert_not(f.fcs_present);
    cr_assert_eq(f.fcs_kind, EK_CAP_FCS_CC24XX);
    cr_assert_eq(f.trailer.len, 2);
}

/* Ethernet + 802.1Q (VID 5) + IPv6 with Hop-by-Hop (8) and Destination Options (8)
 * before UDP. */
Test(decap, zep_vlan_and_ipv6_extension_headers_are_skipped)
{
    uint8_t plain[256], b[300];
    size_t n = build(EK_LT_EN10MB, false, true, plain, sizeof plain);
    size_t k = 0;
    memcpy(b, plain, 12);
    k = 12;
    b[k++] = 0x81; b[k++] = 0x00; b[k++] = 0x00; b[k++] = 0x05; /* 802.1Q TPID, TCI */
    memcpy(b + k, plain + 12, 2 + 40); /* ethertype + IPv6 header */
    size_t ip = k + 2;
    k += 42;
    uint16_t plen = (uint16_t)((plain[12 + 2 + 4] << 8 | plain[12 + 2 + 5]) + 16);
    b[ip + 4] = (uint8_t)(plen >> 8);
    b[ip + 5] = (uint8_t)plen;
    b[ip + 6] = 0;                                 /* next: Hop-by-Hop */
    const uint8_t hbh[8] = { 60, 0, 1, 4, 0, 0, 0, 0 }; /* next: DstOpts, PadN */
    const uint8_t dst[8] = { 17, 0, 1, 4, 0, 0, 0, 0 }; /* next: UDP */
    memcpy(b + k, hbh, 8);
    k += 8;
    memcpy(b + k, dst, 8);
    k += 8;
    memcpy(b + k, plain + 14 + 40, n - 54);
    k += n - 54;
    ek_cap_frame f;
    ek_err e;
    cr_assert_eq(ek_cap_decap(EK_LT_EN10MB, ek_view_make(b, k), &f, &e), EK_OK, "%s", e.field);
    assert_mpdu(&f);
    cr_assert(f.fcs_ok);
    cr_assert_eq(f.mpdu_offset, 4 + 16 + 14 + 40 + 8 + 32);
}

Test(decap, zep_null_header_in_either_byte_order)
{
    uint8_t b[256];
    size_t n = build(EK_LT_NULL, false, true, b, sizeof b);
    /* swap the AF to big-endian: a capture written on a big-endian host */
    uint8_t t = b[0]; b[0] = b[3]; b[3] = t;
    t = b[1]; b[1] = b[2]; b[2] = t;
    ek_cap_frame f;
    ek_err e;
    cr_assert_eq(ek_cap_decap(EK_LT_NULL, ek_view_make(b, n), &f, &e), EK_OK);
    assert_mpdu(&f);
    /* Linux AF_INET6 = 10 too */
    b[0] = 0; b[1] = 0; b[2] = 0; b[3] = 10;
    cr_assert_eq(ek_cap_decap(EK_LT_NULL, ek_view_make(b, n), &f, &e), EK_OK);
    b[3] = 99;
    cr_assert_eq(ek_cap_decap(EK_LT_NULL, ek_view_make(b, n), &f, &e), EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "null.family");
    cr_assert_eq(e.offset, 0);
}

Test(decap, non_zep_udp_port_is_unsupported_at_udp_header)
{
    ek_cap_encap_opts o;
    ek_cap_encap_opts_default(&o);
    o.udp_sport = 5683;
    o.udp_dport = 5683;
    o.ipv4 = true;
    uint8_t b[256];
    ek_buf w;
    ek_err e;
    ek_buf_init(&w, b, sizeof b);
    cr_assert_eq(ek_cap_encap(EK_LT_EN10MB, ek_view_make(mpdu, sizeof mpdu), true, &o, &w, &e), EK_OK);
    ek_cap_frame f;
    cr_assert_eq(ek_cap_decap(EK_LT_EN10MB, ek_buf_view(&w), &f, &e), EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "udp.port");
    cr_assert_eq(e.offset, 14 + 20);
    /* ZEP on the source port only is still ZEP (Wireshark: either side) */
    o.udp_sport = EK_CAP_ZEP_PORT;
    ek_buf_init(&w, b, sizeof b);
    cr_assert_eq(ek_cap_encap(EK_LT_EN10MB, ek_view_make(mpdu, sizeof mpdu), true, &o, &w, &e), EK_OK);
    cr_assert_eq(ek_cap_decap(EK_LT_EN10MB, ek_buf_view(&w), &f, &e), EK_OK);
}

Test(decap, non_udp_is_unsupported_at_protocol_field)
{
    uint8_t b[256];
    size_t n = build(EK_LT_EN10MB, true, true, b, sizeof b);
    b[14 + 9] = 6; /* TCP */
    ek_cap_frame f;
    ek_err e;
    cr_assert_eq(ek_cap_decap(EK_LT_EN10MB, ek_view_make(b, n), &f, &e), EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "ip.proto");
    cr_assert_eq(e.offset, 14 + 9);
    n = build(EK_LT_RAW, false, true, b, sizeof b);
    b[6] = 58; /* ICMPv6 */
    cr_assert_eq(ek_cap_decap(EK_LT_RAW, ek_view_make(b, n), &f, &e), EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "ipv6.nxt");
    cr_assert_eq(e.offset, 6);
}

Test(decap, arp_ethertype_is_unsupported)
{
    uint8_t b[256];
    size_t n = build(EK_LT_EN10MB, true, true, b, sizeof b);
    b[12] = 0x08;
    b[13] = 0x06;
    ek_cap_frame f;
    ek_err e;
    cr_assert_eq(ek_cap_decap(EK_LT_EN10MB, ek_view_make(b, n), &f, &e), EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "eth.type");
    cr_assert_eq(e.offset, 12);
}

Test(decap, bad_zep_preamble_inside_udp_is_malformed_at_absolute_offset)
{
    uint8_t b[256];
    size_t n = build(EK_LT_EN10MB, true, true, b, sizeof b);
    b[14 + 20 + 8] = 'Z';
    ek_cap_frame f;
    ek_err e;
    cr_assert_eq(ek_cap_decap(EK_LT_EN10MB, ek_view_make(b, n), &f, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "zep.preamble");
    cr_assert_eq(e.offset, 42);
}

Test(decap, zep_ack_has_no_mpdu)
{
    /* raw IPv4 / UDP 17754 / ZEP v2 Ack seq 5 (checksums irrelevant to the decoder) */
    uint8_t b[20 + 8 + 8] = { 0x45, 0, 0, 36, 0, 0, 0x40, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1,
                              0x45, 0x5a, 0x45, 0x5a, 0, 16, 0, 0,
                              'E', 'X', 2, 2, 0, 0, 0, 5 };
    ek_cap_frame f;
    ek_err e;
    cr_assert_eq(ek_cap_decap(EK_LT_RAW, ek_view_make(b, sizeof b), &f, &e), EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "zep.type");
    cr_assert_eq(e.offset, 31);
    cr_assert(f.has_zep);
    cr_assert_eq(f.zep.seq, 5);
}

/* ZEP v3 (Wireshark packet-zep.c: the v2 layout): Data carries its MPDU, Ack none. */
Test(decap, zep_v3_data_and_ack)
{
    static const uint8_t mpdu[] = { 0x41, 0x88, 0x07, 0xcd, 0xab, 0xff, 0xff, 0x01, 0x00 };
    ek_cap_encap_opts o;
    ek_cap_encap_opts_default(&o);
    o.ipv4 = true;
    o.zep_version = 3;
    o.channel = 15;
    o.seq = 9;
    uint8_t rec[128];
    ek_buf w;
    ek_err e;
    ek_buf_init(&w, rec, sizeof rec);
    cr_assert_eq(ek_cap_encap(EK_LT_RAW, ek_view_make(mpdu, sizeof mpdu), true, &o, &w, &e), EK_OK);
    ek_cap_frame f;
    cr_assert_eq(ek_cap_decap(EK_LT_RAW, ek_buf_view(&w), &f, &e), EK_OK);
    cr_assert(f.has_zep);
    cr_assert_eq(f.zep.version, 3);
    cr_assert_eq(f.zep.channel, 15);
    cr_assert_eq(f.zep.seq, 9);
    cr_assert_eq(f.mpdu.len, sizeof mpdu);
    cr_assert_arr_eq(f.mpdu.p, mpdu, sizeof mpdu);
    cr_assert(f.fcs_checked && f.fcs_ok);

    uint8_t b[20 + 8 + 8] = { 0x45, 0, 0, 36, 0, 0, 0x40, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1,
                              0x45, 0x5a, 0x45, 0x5a, 0, 16, 0, 0,
                              'E', 'X', 3, 2, 0, 0, 0, 6 };
    cr_assert_eq(ek_cap_decap(EK_LT_RAW, ek_view_make(b, sizeof b), &f, &e), EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "zep.type");
    cr_assert(f.has_zep);
    cr_assert_eq(f.zep.version, 3);
    cr_assert_eq(f.zep.type, EK_ZEP_TYPE_ACK);
    cr_assert_eq(f.zep.seq, 6);
    cr_assert_null(f.mpdu.p);
}

Test(decap, ipv4_checksums_are_correct)
{
    uint8_t b[256];
    size_t n = build(EK_LT_RAW, true, true, b, sizeof b);
    uint32_t s = 0;
    for (size_t i = 0; i < 20; i += 2)
        s += (uint32_t)(b[i] << 8 | b[i + 1]);
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    cr_assert_eq(s, 0xffff); /* RFC 1071: a correct header sums to all ones */
    s = 0; /* UDP pseudo-header + datagram */
    for (size_t i = 12; i < 20; i += 2)
        s += (uint32_t)(b[i] << 8 | b[i + 1]);
    s += 17 + (n - 20);
    for (size_t i = 20; i < n; i += 2)
        s += (uint32_t)(b[i] << 8 | (i + 1 < n ? b[i + 1] : 0));
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    cr_assert_eq(s, 0xffff);
}

Test(decap, extra_octets_after_zep_frame_are_reported_but_usable)
{
    ek_cap_encap_opts o;
    ek_cap_encap_opts_default(&o);
    uint8_t b[256];
    ek_buf w;
    ek_err e;
    ek_buf_init(&w, b, sizeof b);
    cr_assert_eq(ek_cap_encap(EK_LT_IPV6, ek_view_make(mpdu, sizeof mpdu), true, &o, &w, &e), EK_OK);
    size_t n = w.len;
    /* append 2 octets and grow IPv6 plen and UDP length accordingly */
    b[n] = 0xde;
    b[n + 1] = 0xad;
    b[5] = (uint8_t)(b[5] + 2);
    b[40 + 5] = (uint8_t)(b[40 + 5] + 2);
    ek_cap_frame f;
    cr_assert_eq(ek_cap_decap(EK_LT_IPV6, ek_view_make(b, n + 2), &f, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "zep.length");
    cr_assert_eq(e.offset, n);
    assert_mpdu(&f);
    cr_assert(f.fcs_ok);
}

Test(decap, unknown_linktype_is_unsupported)
{
    ek_cap_frame f;
    ek_err e;
    uint8_t b[4] = { 0 };
    cr_assert_eq(ek_cap_decap(147, ek_view_make(b, 4), &f, &e), EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "pcap.linktype");
    ek_buf w;
    ek_buf_init(&w, b, 4);
    cr_assert_eq(ek_cap_encap(147, ek_view_make(mpdu, 4), false, NULL, &w, &e), EK_ERR_UNSUPPORTED);
}

Test(decap, ipv4_options_and_ethernet_padding_are_handled)
{
    uint8_t plain[256], b[300];
    size_t n = build(EK_LT_EN10MB, true, true, plain, sizeof plain);
    /* IHL 6: one 4-octet option (NOP x3 + EOL); total length + 4 */
    memcpy(b, plain, 14 + 20);
    b[14] = 0x46;
    uint16_t tot = (uint16_t)((b[16] << 8 | b[17]) + 4);
    b[16] = (uint8_t)(tot >> 8);
    b[17] = (uint8_t)tot;
    b[34] = 1; b[35] = 1; b[36] = 1; b[37] = 0;
    memcpy(b + 38, plain + 34, n - 34);
    size_t k = n + 4;
    memset(b + k, 0, 6); /* Ethernet trailer padding after the IP datagram */
    k += 6;
    ek_cap_frame f;
    ek_err e;
    cr_assert_eq(ek_cap_decap(EK_LT_EN10MB, ek_view_make(b, k), &f, &e), EK_OK, "%s", e.field);
    assert_mpdu(&f);
    cr_assert(f.fcs_ok);
}

Test(decap, ipv4_fragment_is_unsupported)
{
    uint8_t b[256];
    size_t n = build(EK_LT_RAW, true, true, b, sizeof b);
    b[6] = 0x20; /* MF */
    ek_cap_frame f;
    ek_err e;
    cr_assert_eq(ek_cap_decap(EK_LT_RAW, ek_view_make(b, n), &f, &e), EK_ERR_UNSUPPORTED);
    cr_assert_str_eq(e.field, "ip.flags.mf");
    cr_assert_eq(e.offset, 6);
}

Test(decap, raw_with_bad_ip_version_is_malformed)
{
    uint8_t b[256];
    size_t n = build(EK_LT_RAW, true, true, b, sizeof b);
    b[0] = 0x55;
    ek_cap_frame f;
    ek_err e;
    cr_assert_eq(ek_cap_decap(EK_LT_RAW, ek_view_make(b, n), &f, &e), EK_ERR_MALFORMED);
    cr_assert_str_eq(e.field, "ip.version");
    cr_assert_eq(e.offset, 0);
}

static uint32_t xs_state;
static uint32_t xs(void)
{
    return ek_test_xorshift32(&xs_state);
}

/* Robustness: random octet damage to valid records of every link type never crashes,
 * and whatever decodes keeps its views inside the record. */
Test(decap, random_damage_never_escapes_the_record_seed_99)
{
    static const int lts[] = { EK_LT_IEEE802_15_4_WITHFCS, EK_LT_IEEE802_15_4_TAP, EK_LT_EN10MB, EK_LT_LINUX_SLL,
                               EK_LT_LINUX_SLL2, EK_LT_RAW, EK_LT_NULL, EK_LT_LOOP };
    xs_state = 99;
    for (int it = 0; it < 4000; it++) {
        int lt = lts[xs() % (sizeof lts / sizeof lts[0])];
        uint8_t b[256];
        size_t n = build(lt, xs() & 1, true, b, sizeof b);
        unsigned hits = 1 + xs() % 4;
        for (unsigned h = 0; h < hits; h++)
            b[xs() % n] = (uint8_t)xs();
        n -= xs() % 3 == 0 ? xs() % n : 0;
        ek_cap_frame f;
        ek_err e;
        ek_status st = ek_cap_decap(lt, ek_view_make(b, n), &f, &e);
        if (st == EK_OK) {
            cr_assert(f.mpdu.p >= b && f.mpdu.p + f.mpdu.len <= b + n);
            cr_assert(f.psdu.p >= b && f.psdu.p + f.psdu.len <= b + n);
            cr_assert_eq((size_t)(f.mpdu.p - b), f.mpdu_offset);
        } else {
            cr_assert(e.field != NULL);
            cr_assert(e.offset <= n, "offset %zu > %zu (%s)", e.offset, n, e.field);
        }
    }
}

/* A record captured short (pcap caplen < len): the last captured octets are never
 * taken as the FCS, the MPDU is what was captured of it, its on-air length is known,
 * and an error that only the cut explains is recognisable (ek_cap_cut_err). */
Test(decap, a_cut_record_has_no_fcs_and_keeps_what_was_captured)
{
    static const int lts[] = { EK_LT_IEEE802_15_4_WITHFCS, EK_LT_IEEE802_15_4_NOFCS, EK_LT_IEEE802_15_4_TAP,
                               EK_LT_EN10MB, EK_LT_LINUX_SLL, EK_LT_LINUX_SLL2, EK_LT_RAW, EK_LT_NULL, EK_LT_IPV4,
                               EK_LT_IPV6 };
    for (size_t k = 0; k < sizeof lts / sizeof lts[0]; k++) {
        for (int v4 = 0; v4 < 2; v4++) {
            uint8_t b[256];
            size_t n = build(lts[k], v4, true, b, sizeof b);
            ek_cap_frame whole, f;
            ek_err e;
            cr_assert_eq(ek_cap_decap(lts[k], ek_view_make(b, n), &whole, &e), EK_OK);
            cr_assert_not(whole.truncated);
            cr_assert_eq(whole.mpdu_len, sizeof mpdu);
            for (size_t cap = 0; cap < n; cap++) {
                ek_status st = ek_cap_decap_captured(lts[k], ek_view_make(b, cap), n, &f, &e);
                cr_assert(f.truncated, "lt %d cap %zu", lts[k], cap);
                cr_assert_eq(f.orig_len, n);
                if (st != EK_OK) { /* cut before the MPDU: only the cut explains it */
                    cr_assert(ek_cap_cut_err(&e, cap), "lt %d cap %zu: %s %s", lts[k], cap,
                              ek_status_name(st), e.field);
                    continue;
                }
                cr_assert_not(f.fcs_present, "lt %d cap %zu: an FCS that was not captured", lts[k], cap);
                cr_assert_not(f.fcs_checked);
                cr_assert_eq(f.mpdu_len, sizeof mpdu, "lt %d cap %zu", lts[k], cap);
                cr_assert_eq(f.mpdu_offset, whole.mpdu_offset);
                cr_assert_leq(f.mpdu.len, sizeof mpdu);
                cr_assert_eq(f.mpdu.len, cap - whole.mpdu_offset < sizeof mpdu ? cap - whole.mpdu_offset : sizeof mpdu,
                             "lt %d cap %zu", lts[k], cap);
                cr_assert(f.mpdu.len == 0 || memcmp(f.mpdu.p, mpdu, f.mpdu.len) == 0);
            }
            /* orig_len <= record: the same as ek_cap_decap */
            cr_assert_eq(ek_cap_decap_captured(lts[k], ek_view_make(b, n), n, &f, &e), EK_OK);
            cr_assert(!f.truncated && f.fcs_present == whole.fcs_present && f.mpdu.len == sizeof mpdu);
        }
    }
}

Test(decap, a_genuine_error_in_a_cut_record_is_not_the_cut)
{
    uint8_t b[256];
    size_t n = build(EK_LT_EN10MB, false, true, b, sizeof b);
    b[14] = 0x45; /* IPv6 header's version nibble says 4: MALFORMED, not the cut */
    ek_cap_frame f;
    ek_err e;
    cr_assert_neq(ek_cap_decap_captured(EK_LT_EN10MB, ek_view_make(b, 60), n, &f, &e), EK_OK);
    cr_assert_eq(e.code, EK_ERR_MALFORMED);
    cr_assert_not(ek_cap_cut_err(&e, 60));
}
