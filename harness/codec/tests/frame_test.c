/* SPDX-License-Identifier: BSD-3-Clause */
/* Whole-frame decode: the layers chain (MAC -> 6LoWPAN -> ICMPv6 -> RPL), the summary
 * carries what the front ends print, and problems are collected while decoding goes on. */
#include <criterion/criterion.h>
#include <string.h>

#include "ek/consts.h"
#include "ek/fcs.h"
#include "ek/frame.h"

static void dump_errors(const ek_frame *f)
{
    for (unsigned i = 0; i < f->n_errors; i++) {
        char b[160];
        cr_log_error("%s", ek_err_format(&f->errors[i], b, sizeof b));
    }
}

static const uint8_t EUI[8] = { 0x00, 0x12, 0x4b, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t LL_SRC[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x12, 0x4b, 0, 0, 0, 0, 0x01 };
static const uint8_t ALL_RPL[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x1a };
static const uint8_t DODAGID[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x12, 0x4b, 0, 0, 0, 0, 0x01 };
static const uint8_t NETID[8] = { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x11, 0x22, 0x33 };

static ek_profile prof(void)
{
    ek_profile p;
    ek_profile_default(&p);
    return p;
}

static void mac_header(ek_wpan_frame *f, uint8_t type)
{
    ek_wpan_frame_init(f);
    f->frame_type = type;
    f->seq = 7;
    f->pan_id_compression = true; /* IEEE 802.15.4-2015 Table 7-2 row 12: dst PAN only */
    f->dst.mode = EK_WPAN_AM_SHORT;
    f->dst.short_addr = 0xffff;
    f->dst_pan = 0xabcd;
    f->src.mode = EK_WPAN_AM_EXT;
    memcpy(f->src.ext, EUI, 8);
}

/* Security level of the next frame finish() builds (0: none; only the clear levels
 * 1..3, whose MIC is a zero-filled placeholder here). */
static uint8_t next_sec_level;

static size_t finish(ek_wpan_frame *f, const ek_profile *p, uint8_t *out, size_t cap)
{
    ek_buf b;
    ek_err e;
    if (next_sec_level) { /* IEEE 802.15.4-2015 §9.4: key id mode 1, index 1 */
        f->security = true;
        f->sec.level = next_sec_level;
        f->sec.key_id_mode = 1;
        f->sec.key_index = 1;
        f->sec.frame_counter = 5;
        next_sec_level = 0;
    }
    ek_buf_init(&b, out, cap);
    cr_assert_eq(ek_wpan_encode(f, p, &b, &e), EK_OK);
    cr_assert(ek_fcs16_append(&b));
    return b.len;
}

/* EB with TSCH Sync + an RFC 9032 IE: R=1 P=1 proxy 0x25 rank 0x0a3 PAN 0x11, 8-octet netid. */
static size_t build_eb(uint8_t *out, size_t cap)
{
    static ek_wpan_frame f;
    ek_profile p = prof();
    mac_header(&f, EK_WPAN_FT_BEACON);
    ek_ie_add_payload(&f.ies, EK_IE_GROUP_MLME);
    ek_ie_sub *s = ek_ie_add_sub(&f.ies, false, EK_MLME_TSCH_SYNC);
    s->u.sync.asn = 0x0102030405ull;
    s->u.sync.join_metric = 0;
    ek_ie_payload *ietf = ek_ie_add_payload(&f.ies, EK_IE_GROUP_IETF);
    ietf->has_subtype = true;
    ietf->subtype = EK_IETF_SUBTYPE_JOIN_INFO;
    ietf->has_ji = true;
    ietf->ji.r = true;
    ietf->ji.p = true;
    ietf->ji.proxy_prio = 0x25;
    ietf->ji.rank_prio = 0x0a3;
    ietf->ji.pan_prio = 0x11;
    memcpy(ietf->ji.jp_iid, "\x02\x12\x4b\x00\x00\x00\x00\x09", 8);
    ietf->ji.network_id = ek_view_make(NETID, sizeof NETID);
    return finish(&f, &p, out, cap);
}

/* Root DIO (instance 30, version 240, rank 256) with the enrollment option (draft-16,
 * min 0x30) and a DODAG Configuration option, IPHC-compressed to ff02::1a. */
static size_t build_dio(uint8_t *out, size_t cap, const ek_profile *p)
{
    static ek_rpl_msg m;
    memset(&m, 0, sizeof m);
    m.code = EK_RPL_CODE_DIO;
    m.base.dio.instance = 30;
    m.base.dio.version = 240;
    m.base.dio.rank = 256;
    m.base.dio.g = true;
    m.base.dio.mop = 1;
    m.base.dio.dtsn = 240;
    memcpy(m.base.dio.dodagid, DODAGID, 16);
    m.n_opts = 2;
    m.opts[0].kind = EK_RPL_OPTK_MEP;
    m.opts[0].type = p->mep_type;
    m.opts[0].u.mep.profile = EK_MEP_DRAFT16;
    m.opts[0].u.mep.has_version = true;
    m.opts[0].u.mep.version = 3;
    m.opts[0].u.mep.min_priority = 0x30;
    m.opts[0].u.mep.has_size = true;
    m.opts[0].u.mep.exp = 3;
    m.opts[0].u.mep.size_code = 13;
    m.opts[1].kind = EK_RPL_OPTK_DODAG_CONF;
    m.opts[1].type = EK_RPL_OPT_DODAG_CONF;
    m.opts[1].u.conf.dio_int_doublings = 8;
    m.opts[1].u.conf.dio_int_min = 12;
    m.opts[1].u.conf.dio_redundancy = 10;
    m.opts[1].u.conf.max_rank_inc = 1792;
    m.opts[1].u.conf.min_hop_rank_inc = 256;
    m.opts[1].u.conf.ocp = 1;
    m.opts[1].u.conf.def_lifetime = 30;
    m.opts[1].u.conf.lifetime_unit = 60;

    uint8_t body[128], icmp[160], lowpan[200];
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, body, sizeof body);
    cr_assert_eq(ek_rpl_encode(&m, p, &b, &e), EK_OK);
    ek_icmp6 ic = { .type = EK_ICMP6_TYPE_RPL, .code = EK_RPL_CODE_DIO, .body = ek_buf_view(&b) };
    ek_buf bi;
    ek_buf_init(&bi, icmp, sizeof icmp);
    cr_assert_eq(ek_icmp6_encode(&ic, LL_SRC, ALL_RPL, &bi, &e), EK_OK);

    static ek_wpan_frame f;
    mac_header(&f, EK_WPAN_FT_DATA);
    ek_lladdr bcast = { .mode = EK_WPAN_AM_SHORT, .short_addr = 0xffff };
    ek_ipv6_hdr ip = { .nh = EK_IPV6_NH_ICMP6, .hlim = 255 };
    memcpy(ip.src, LL_SRC, 16);
    memcpy(ip.dst, ALL_RPL, 16);
    ek_buf bl;
    ek_buf_init(&bl, lowpan, sizeof lowpan);
    cr_assert_eq(ek_lowpan_encode_max(&ip, NULL, ek_buf_view(&bi), &f.src, &bcast, p, &bl, &e), EK_OK);
    /* RFC 6282 §3.1.1 maximal compression of a root DIO: TF=11 NH=0 HLIM=11, SAM=11, M=1 DAM=11 */
    cr_assert_eq(lowpan[0], 0x7b);
    cr_assert_eq(lowpan[1], 0x3b);
    f.payload = ek_buf_view(&bl);
    return finish(&f, p, out, cap);
}

Test(frame, enhanced_beacon_summary_carries_asn_and_join_info)
{
    uint8_t buf[128];
    size_t n = build_eb(buf, sizeof buf);
    static ek_frame f;
    ek_profile p = prof();
    cr_assert_eq(ek_frame_decode(ek_view_make(buf, n), true, &p, &f), EK_OK);
    cr_assert(f.sum.has_fcs && f.sum.fcs_ok);
    cr_assert(f.sum.has_src64);
    cr_assert_arr_eq(f.sum.src64, EUI, 8);
    cr_assert(f.sum.has_dst_pan);
    cr_assert_eq(f.sum.dst_pan, 0xabcd);
    cr_assert_not(f.sum.has_src_pan);
    cr_assert(f.sum.has_asn);
    cr_assert_eq(f.sum.asn, 0x0102030405ull);
    cr_assert(f.sum.has_ji);
    cr_assert_eq(f.sum.proxy_priority, 0x25);
    cr_assert_eq(f.sum.rank_priority, 0x0a3);
    cr_assert_eq(f.sum.pan_priority, 0x11);
    cr_assert(f.sum.has_join_proxy_iid);
    cr_assert_arr_eq(f.sum.join_proxy_iid, "\x02\x12\x4b\x00\x00\x00\x00\x09", 8);
    cr_assert_eq(f.sum.network_id.len, 8);
    cr_assert_arr_eq(f.sum.network_id.p, NETID, 8);
    cr_assert_not(f.sum.has_ipv6, "a beacon payload is not 6LoWPAN");
    cr_assert_eq(f.n_errors, 0);
}

Test(frame, dio_chains_lowpan_icmp6_rpl_and_the_enrollment_option)
{
    uint8_t buf[200];
    ek_profile p = prof();
    size_t n = build_dio(buf, sizeof buf, &p);
    static ek_frame f;
    ek_status st = ek_frame_decode(ek_view_make(buf, n), true, &p, &f);
    dump_errors(&f);
    cr_assert_eq(st, EK_OK);
    cr_assert(f.sum.fcs_ok);
    cr_assert(f.sum.has_ipv6);
    cr_assert_arr_eq(f.sum.ip_src, LL_SRC, 16, "IID derived from the MAC source (RFC 6282 §3.2.2)");
    cr_assert(f.sum.has_icmp6 && f.sum.icmp6_checksum_ok);
    cr_assert(f.sum.has_dio);
    cr_assert_eq(f.sum.instance_id, 30);
    cr_assert_eq(f.sum.version, 240);
    cr_assert_eq(f.sum.rank, 256);
    cr_assert_eq(f.sum.dtsn, 240);
    cr_assert_arr_eq(f.sum.dodagid, DODAGID, 16);
    cr_assert(f.sum.has_mep);
    cr_assert_eq(f.sum.min_priority, 0x30);
    cr_assert(f.has_rpl);
    cr_assert_eq(f.rpl.n_opts, 2);
    cr_assert_eq(f.rpl.opts[0].u.mep.dodag_size, 104); /* 13 << 3, -16 §3.1 */
}

Test(frame, option_type_zero_leaves_the_option_unknown)
{
    uint8_t buf[200];
    ek_profile p = prof();
    size_t n = build_dio(buf, sizeof buf, &p);
    p.mep_type = 0;
    static ek_frame f;
    cr_assert_eq(ek_frame_decode(ek_view_make(buf, n), true, &p, &f), EK_OK);
    cr_assert_not(f.sum.has_mep);
    cr_assert_eq(f.rpl.opts[0].kind, EK_RPL_OPTK_RAW);
    cr_assert_eq(f.rpl.opts[1].kind, EK_RPL_OPTK_DODAG_CONF);
}

Test(frame, profile_mismatch_is_reported_and_the_next_option_still_decodes)
{
    uint8_t buf[200];
    ek_profile p = prof();
    size_t n = build_dio(buf, sizeof buf, &p);
    p.mep = EK_MEP_DRAFT03; /* a Length-3 option read with the Length-1 profile */
    static ek_frame f;
    cr_assert_eq(ek_frame_decode(ek_view_make(buf, n), true, &p, &f), EK_ERR_MALFORMED);
    cr_assert_eq(f.n_errors, 1);
    cr_assert_str_eq(f.errors[0].field, "enroll.mep.length");
    cr_assert_not(f.sum.has_mep);
    cr_assert(f.sum.has_dio, "the base object is still reported");
    cr_assert_eq(f.rpl.opts[1].kind, EK_RPL_OPTK_DODAG_CONF);
    cr_assert_eq(f.rpl.opts[1].u.conf.min_hop_rank_inc, 256);
    /* The error points at the option's Length octet inside the frame. */
    cr_assert_eq(buf[f.errors[0].offset], 3);
    cr_assert_eq(buf[f.errors[0].offset - 1], p.mep_type);
}

Test(frame, bad_fcs_is_flagged_but_the_frame_still_decodes)
{
    uint8_t buf[128];
    size_t n = build_eb(buf, sizeof buf);
    buf[n - 1] ^= 0x01;
    static ek_frame f;
    ek_profile p = prof();
    cr_assert_eq(ek_frame_decode(ek_view_make(buf, n), true, &p, &f), EK_OK);
    cr_assert(f.sum.has_fcs);
    cr_assert_not(f.sum.fcs_ok);
    cr_assert(f.sum.has_ji);
}

Test(frame, icmp6_checksum_error_is_reported_in_the_summary)
{
    uint8_t buf[200];
    ek_profile p = prof();
    size_t n = build_dio(buf, sizeof buf, &p);
    buf[n - 3] ^= 0xff; /* last octet of the DODAG Conf option, before the FCS */
    static ek_frame f; /* decoded as if from a link type without FCS */
    cr_assert_eq(ek_frame_decode(ek_view_make(buf, n - 2), false, &p, &f), EK_OK);
    cr_assert_not(f.sum.has_fcs);
    cr_assert(f.sum.has_icmp6);
    cr_assert_not(f.sum.icmp6_checksum_ok);
}

Test(frame, every_truncation_is_reported_without_crashing)
{
    uint8_t buf[200];
    ek_profile p = prof();
    size_t n = build_dio(buf, sizeof buf, &p);
    static ek_frame f;
    for (size_t len = 0; len < n - 2; len++) {
        ek_status st = ek_frame_decode(ek_view_make(buf, len), false, &p, &f);
        if (len < 3) {
            cr_assert_eq(st, EK_ERR_TRUNCATED, "len %zu", len);
            cr_assert_eq(f.n_errors, 1);
        }
        for (unsigned i = 0; i < f.n_errors; i++)
            cr_assert_leq(f.errors[i].offset, len, "len %zu: error offset past the input", len);
        cr_assert(!f.sum.has_mep || len > 30, "len %zu", len);
    }
    cr_assert_eq(ek_frame_decode(ek_view_make(buf, 1), true, &p, &f), EK_ERR_TRUNCATED);
    cr_assert_str_eq(f.errors[0].field, "wpan.fcs");
}

/* Compares what the front ends print (the summary) and every error. */
static void assert_same_decode(const ek_frame *a, const ek_frame *b, size_t len)
{
    cr_assert_eq(memcmp(&a->sum, &b->sum, sizeof a->sum), 0, "len %zu: summaries differ", len);
    cr_assert_eq(a->n_errors, b->n_errors, "len %zu", len);
    cr_assert_eq(a->errors_dropped, b->errors_dropped, "len %zu", len);
    for (unsigned i = 0; i < a->n_errors; i++) {
        cr_assert_eq(a->errors[i].code, b->errors[i].code, "len %zu", len);
        cr_assert_eq(a->errors[i].offset, b->errors[i].offset, "len %zu", len);
        cr_assert_str_eq(a->errors[i].field, b->errors[i].field, "len %zu", len);
    }
    cr_assert(a->has_mac == b->has_mac && a->has_net == b->has_net && a->has_icmp6 == b->has_icmp6 &&
              a->has_rpl == b->has_rpl);
}

/* enroll-decode hands ek_cap_decap's FCS verdict to ek_frame_decode_mpdu so the CRC
 * is computed once: it must decode exactly like ek_frame_decode on the PSDU, for good
 * and bad FCS and for every truncation of the MPDU. */
Test(frame, decode_mpdu_with_known_fcs_equals_decode_of_the_psdu)
{
    uint8_t eb[128], dio[200];
    ek_profile p = prof();
    size_t neb = build_eb(eb, sizeof eb);
    size_t ndio = build_dio(dio, sizeof dio, &p);
    static ek_frame a, b;
    const struct { uint8_t *buf; size_t n; } frames[] = { { eb, neb }, { dio, ndio } };
    for (size_t k = 0; k < 2; k++) {
        uint8_t *buf = frames[k].buf;
        size_t n = frames[k].n;
        for (int bad = 0; bad < 2; bad++) {
            buf[n - 1] ^= (uint8_t)bad;
            for (size_t len = 2; len <= n; len++) {
                uint16_t fcs = (uint16_t)(buf[len - 2] | buf[len - 1] << 8);
                ek_view mpdu = ek_view_make(buf, len - 2);
                ek_frame_fcs known = { fcs, ek_fcs16(mpdu) == fcs };
                ek_status sa = ek_frame_decode(ek_view_make(buf, len), true, &p, &a);
                ek_status sb = ek_frame_decode_mpdu(mpdu, &known, &p, &b);
                cr_assert_eq(sa, sb, "len %zu", len);
                assert_same_decode(&a, &b, len);
            }
            cr_assert_eq(a.sum.fcs_ok, !bad);
            buf[n - 1] ^= (uint8_t)bad;
        }
        /* No FCS at all: NULL verdict == fcs_present false. */
        ek_status sa = ek_frame_decode(ek_view_make(buf, n - 2), false, &p, &a);
        ek_status sb = ek_frame_decode_mpdu(ek_view_make(buf, n - 2), NULL, &p, &b);
        cr_assert_eq(sa, sb);
        assert_same_decode(&a, &b, n - 2);
        cr_assert_not(b.sum.has_fcs);
    }
}

Test(frame, decode_mpdu_copies_the_given_verdict_without_recomputing)
{
    uint8_t buf[128];
    size_t n = build_eb(buf, sizeof buf);
    static ek_frame f;
    ek_profile p = prof();
    ek_frame_fcs known = { 0x1234, false }; /* whatever the caller found */
    cr_assert_eq(ek_frame_decode_mpdu(ek_view_make(buf, n - 2), &known, &p, &f), EK_OK);
    cr_assert(f.sum.has_fcs);
    cr_assert_eq(f.sum.fcs, 0x1234);
    cr_assert_not(f.sum.fcs_ok);
    cr_assert(f.sum.has_ji);
}

/* A record captured short (pcap caplen < len) against the same frame whole: nothing
 * where the data ends is an error, everything before it decodes as in the whole frame. */
static void assert_every_cut_is_clean(const uint8_t *buf, size_t mpdu_len, const ek_profile *p, bool mic_only_tail,
                                      size_t mic_len)
{
    static ek_frame whole, f;
    cr_assert_eq(ek_frame_decode_mpdu(ek_view_make(buf, mpdu_len), NULL, p, &whole), EK_OK);
    dump_errors(&whole);
    for (size_t len = 0; len <= mpdu_len; len++) {
        ek_status st = ek_frame_decode_captured(ek_view_make(buf, len), mpdu_len, NULL, p, &f);
        if (f.n_errors)
            dump_errors(&f);
        cr_assert_eq(st, EK_OK, "cut at %zu of %zu", len, mpdu_len);
        cr_assert_eq(f.n_errors, 0, "cut at %zu of %zu", len, mpdu_len);
        cr_assert_not(f.sum.has_fcs);
        if (len == mpdu_len) {
            cr_assert_not(f.sum.truncated, "a whole frame is not truncated");
            cr_assert_eq(memcmp(&f.sum, &whole.sum, sizeof f.sum), 0);
            continue;
        }
        cr_assert(f.sum.truncated, "cut at %zu", len);
        cr_assert_eq(f.sum.captured_len, len);
        cr_assert_eq(f.sum.original_len, mpdu_len);
        cr_assert(!f.sum.has_icmp6 || !f.icmp6.checksum_checked || (mic_only_tail && len >= mpdu_len - mic_len),
                  "cut at %zu: the checksum of a cut packet cannot be checked", len);
        if (mic_only_tail && len >= mpdu_len - mic_len) {
            /* only MIC octets are missing: the payload decodes in full */
            cr_assert_eq(f.sum.has_mep, whole.sum.has_mep, "cut at %zu", len);
            cr_assert_eq(f.sum.min_priority, whole.sum.min_priority);
            cr_assert_eq(f.mac.mic.len + f.mac.mic_missing, mic_len);
        }
    }
}

Test(frame, a_cut_capture_reports_no_error_where_the_data_ends)
{
    uint8_t buf[200];
    ek_profile p = prof();
    size_t n = build_dio(buf, sizeof buf, &p);
    assert_every_cut_is_clean(buf, n - 2, &p, false, 0);
    n = build_eb(buf, sizeof buf);
    assert_every_cut_is_clean(buf, n - 2, &p, false, 0);
}

Test(frame, a_cut_secured_frame_takes_the_mic_only_as_far_as_it_was_captured)
{
    uint8_t buf[200];
    ek_profile p = prof();
    next_sec_level = 2; /* MIC-64, clear payload */
    size_t n = build_dio(buf, sizeof buf, &p);
    static ek_frame f;
    cr_assert_eq(ek_frame_decode_mpdu(ek_view_make(buf, n - 2), NULL, &p, &f), EK_OK);
    cr_assert(f.sum.secured && f.sum.has_mep);
    assert_every_cut_is_clean(buf, n - 2, &p, true, 8);
}

Test(frame, a_cut_frame_keeps_the_errors_before_the_cut)
{
    uint8_t buf[200];
    ek_profile p = prof();
    size_t n = build_dio(buf, sizeof buf, &p);
    p.mep = EK_MEP_DRAFT03; /* the option's Length does not fit: MALFORMED before the cut */
    static ek_frame f;
    cr_assert_eq(ek_frame_decode_captured(ek_view_make(buf, n - 4), n - 2, NULL, &p, &f), EK_ERR_MALFORMED);
    cr_assert_eq(f.n_errors, 1);
    cr_assert_str_eq(f.errors[0].field, "enroll.mep.length");
    cr_assert(f.sum.truncated);
}

/* IEEE 802.15.4-2015 §7.4.2.1 / §7.4.3.1: a 2015 data frame with 20 header IEs (id
 * 0x2a, empty), HT1, 18 payload IEs (group 0x7, empty) and PT.  The decoder keeps 16
 * of each; the rest are counted in the summary instead of vanishing. */
Test(frame, ies_beyond_the_arrays_are_counted_in_the_summary)
{
    uint8_t b[128];
    size_t n = 0;
    static const uint8_t mhr[] = { 0x41, 0xaa, 0x01, 0xcd, 0xab, 0xff, 0xff, 0x01, 0x00 };
    memcpy(b, mhr, sizeof mhr);
    n = sizeof mhr;
    for (int i = 0; i < 20; i++) { /* header IE descriptor: len 0 | id 0x2a << 7 | type 0 */
        b[n++] = 0x00;
        b[n++] = 0x15;
    }
    b[n++] = 0x00; /* HT1: id 0x7e */
    b[n++] = 0x3f;
    for (int i = 0; i < 18; i++) { /* payload IE descriptor: len 0 | group 0x7 << 11 | type 1 */
        b[n++] = 0x00;
        b[n++] = 0xb8;
    }
    b[n++] = 0x00; /* PT: group 0xf */
    b[n++] = 0xf8;
    ek_profile p = prof();
    static ek_frame f;
    cr_assert_eq(ek_frame_decode_mpdu(ek_view_make(b, n), NULL, &p, &f), EK_OK);
    dump_errors(&f);
    cr_assert_eq(f.mac.ies.n_hdr, EK_IE_MAX_HDR);
    cr_assert_eq(f.mac.ies.n_pl, EK_IE_MAX_PAYLOAD);
    cr_assert(f.sum.has_ies_dropped);
    cr_assert_eq(f.sum.hdr_ies_dropped, 4);
    cr_assert_eq(f.sum.pl_ies_dropped, 2);
    cr_assert_eq(f.sum.sub_ies_dropped, 0);
    /* 16 of each: nothing dropped, nothing reported */
    memmove(b + sizeof mhr + 32, b + sizeof mhr + 40, n - sizeof mhr - 40);
    n -= 8;
    cr_assert_eq(ek_frame_decode_mpdu(ek_view_make(b, n), NULL, &p, &f), EK_OK);
    cr_assert_eq(f.mac.ies.n_hdr, 16);
    cr_assert_eq(f.sum.pl_ies_dropped, 2);
    cr_assert_eq(f.sum.hdr_ies_dropped, 0);
}

/* RFC 6282 §3.1.2: the DIO's source compressed statefully (SAC=1, context 0) and
 * decoded without contexts: no error, the context is named, the DIO and its option
 * decode, the ICMPv6 checksum (pseudo-header) is not checked. */
Test(frame, stateful_iphc_without_its_context_is_a_note_not_an_error)
{
    uint8_t buf[200];
    ek_profile p = prof();
    size_t n = build_dio(buf, sizeof buf, &p);
    cr_assert_eq(buf[16], 0x3b);
    buf[16] |= 0x40; /* SAC=1 */
    static ek_frame f;
    cr_assert_eq(ek_frame_decode_mpdu(ek_view_make(buf, n - 2), NULL, &p, &f), EK_OK);
    dump_errors(&f);
    cr_assert_eq(f.n_errors, 0);
    cr_assert(f.sum.needs_ctx_src && !f.sum.needs_ctx_dst);
    cr_assert_eq(f.sum.ctx_src, 0);
    cr_assert_not(f.sum.has_ipv6, "an incomplete address is not reported as the address");
    cr_assert(f.sum.has_icmp6 && !f.icmp6.checksum_checked);
    cr_assert(f.sum.has_dio && f.sum.has_mep);
    cr_assert_eq(f.sum.min_priority, 0x30);
    /* given the context, the same frame decodes in full */
    cr_assert(ek_profile_set_context(&p, 0, "fe80::/64"));
    cr_assert_eq(ek_frame_decode_mpdu(ek_view_make(buf, n - 2), NULL, &p, &f), EK_OK);
    cr_assert(!f.sum.needs_ctx_src && f.sum.has_ipv6 && f.sum.icmp6_checksum_ok);
}

/* IEEE 802.15.4-2015 §11.3 Table 11-1: aMaxPhyPacketSize 127.  A 2015 data frame whose
 * one header IE (id 0x2a) holds `ie_len` octets: MPDU 9 + 2 + ie_len, PSDU 2 more. */
static size_t frame_with_ie(uint8_t *b, size_t ie_len)
{
    static const uint8_t mhr[] = { 0x41, 0xaa, 0x01, 0xcd, 0xab, 0xff, 0xff, 0x01, 0x00 };
    memcpy(b, mhr, sizeof mhr);
    b[9] = (uint8_t)(ie_len & 0x7f);
    b[10] = 0x15;
    memset(b + 11, 0x5a, ie_len);
    return 11 + ie_len;
}

Test(frame, a_psdu_longer_than_127_octets_is_flagged_and_still_decoded)
{
    uint8_t b[200];
    ek_profile p = prof();
    static ek_frame f;
    size_t n = frame_with_ie(b, 114); /* MPDU 125, PSDU 127: the largest allowed */
    cr_assert_eq(ek_frame_decode_mpdu(ek_view_make(b, n), NULL, &p, &f), EK_OK);
    cr_assert_not(f.sum.psdu_too_long);
    n = frame_with_ie(b, 115); /* PSDU 128 */
    cr_assert_eq(ek_frame_decode_mpdu(ek_view_make(b, n), NULL, &p, &f), EK_OK);
    cr_assert(f.sum.psdu_too_long);
    cr_assert_eq(f.sum.psdu_len, 128);
    cr_assert_eq(f.n_errors, 0, "a warning, not an error");
    cr_assert(f.has_mac && f.mac.ies.n_hdr == 1 && f.mac.ies.hdr[0].content.len == 115);
    /* with its FCS in the buffer */
    cr_assert(ek_fcs16_append(&(ek_buf){ .p = b, .cap = sizeof b, .len = n }));
    cr_assert_eq(ek_frame_decode(ek_view_make(b, n + 2), true, &p, &f), EK_OK);
    cr_assert(f.sum.psdu_too_long && f.sum.psdu_len == 128 && f.sum.fcs_ok);
    /* a capture cut short: the length on the wire counts */
    cr_assert_eq(ek_frame_decode_captured(ek_view_make(b, 60), n, NULL, &p, &f), EK_OK);
    cr_assert(f.sum.psdu_too_long && f.sum.psdu_len == 128);
}

/* RFC 8200 §4.3: a DIS behind an inline Hop-by-Hop header still reaches ICMPv6 and RPL. */
Test(frame, icmp6_after_a_hop_by_hop_header_is_decoded)
{
    static const uint8_t b[] = {
        0x41, 0xa8, 0x01, 0xcd, 0xab, 0xff, 0xff, 0x01, 0x00, /* 2015 data, short/short */
        0x7b, 0x3b, 0x00, 0x1a,                               /* IPHC, nh 0 inline, ff02::1a */
        0x3a, 0x00, 0x01, 0x04, 0, 0, 0, 0,                   /* Hop-by-Hop: 58, PadN(4) */
        0x9b, 0x00, 0x00, 0x00, 0x00, 0x00,                   /* ICMPv6 RPL DIS */
    };
    ek_profile p = prof();
    static ek_frame f;
    cr_assert_eq(ek_frame_decode_mpdu(ek_view_make(b, sizeof b), NULL, &p, &f), EK_OK);
    dump_errors(&f);
    cr_assert(f.has_icmp6 && f.sum.has_icmp6);
    cr_assert_eq(f.icmp6.type, 155);
    cr_assert_eq(f.icmp6.code, EK_RPL_CODE_DIS);
    cr_assert(f.has_rpl);
}
