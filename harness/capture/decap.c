/* SPDX-License-Identifier: BSD-3-Clause */
/* pcap record -> IEEE 802.15.4 MPDU, and back.  Carriers: Ethernet II (+802.1Q),
 * Linux cooked v1/v2, raw IP, BSD NULL/LOOP; IPv4 (RFC 791), IPv6 (RFC 8200 §4,
 * extension headers skipped), UDP (RFC 768) to ZEP on port 17754 (Wireshark
 * packet-zep.c).  All reads go through ek_rd; error offsets count from the record
 * start.  A record captured short (caplen < len) is decoded as far as it goes. */
#include <string.h>

#include "ek/decap.h"
#include "ek/fcs.h"
#include "ek/rd.h"

/* BSD address-family values seen in DLT_NULL/DLT_LOOP headers (tcpdump.org
 * LINKTYPE_NULL): IPv4 is 2 everywhere; IPv6 varies by OS. */
#define AF_V4 2
#define AF_V6_LINUX 10
#define AF_V6_BSD 24     /* NetBSD, OpenBSD, BSD/OS */
#define AF_V6_FREEBSD 28
#define AF_V6_DARWIN 30

#define IPV4_MIN_HDR 20
#define IPV6_HDR 40
#define UDP_HDR 8
#define IP6_HOPOPTS 0
#define IP6_ROUTING 43
#define IP6_FRAGMENT 44
#define IP6_DSTOPTS 60
#define ETH_HDR 14
#define SLL_HDR 16
#define SLL2_HDR 20
#define ARPHRD_LOOPBACK 772

static const uint8_t ip4_loop[4] = { 127, 0, 0, 1 };
static const uint8_t ip6_loop[16] = { [15] = 1 };

bool ek_cap_linktype_supported(int lt)
{
    switch (lt) {
    case EK_LT_NULL: case EK_LT_EN10MB: case EK_LT_DLT_RAW_12: case EK_LT_DLT_RAW_14:
    case EK_LT_RAW: case EK_LT_LOOP: case EK_LT_LINUX_SLL: case EK_LT_IEEE802_15_4_WITHFCS:
    case EK_LT_IPV4: case EK_LT_IPV6: case EK_LT_IEEE802_15_4_NOFCS: case EK_LT_LINUX_SLL2:
    case EK_LT_IEEE802_15_4_TAP:
        return true;
    default:
        return false;
    }
}

const char *ek_cap_linktype_name(int lt)
{
    switch (lt) {
    case EK_LT_NULL: return "NULL";
    case EK_LT_EN10MB: return "EN10MB";
    case EK_LT_DLT_RAW_12: case EK_LT_DLT_RAW_14: case EK_LT_RAW: return "RAW";
    case EK_LT_LOOP: return "LOOP";
    case EK_LT_LINUX_SLL: return "LINUX_SLL";
    case EK_LT_IEEE802_15_4_WITHFCS: return "IEEE802_15_4_WITHFCS";
    case EK_LT_IPV4: return "IPV4";
    case EK_LT_IPV6: return "IPV6";
    case EK_LT_IEEE802_15_4_NOFCS: return "IEEE802_15_4_NOFCS";
    case EK_LT_LINUX_SLL2: return "LINUX_SLL2";
    case EK_LT_IEEE802_15_4_TAP: return "IEEE802_15_4_TAP";
    default: return "unknown";
    }
}

/* ---- decode ---- */

static int ether_to_ipver(uint16_t t) { return t == EK_ETHERTYPE_IPV4 ? 4 : t == EK_ETHERTYPE_IPV6 ? 6 : 0; }

static int af_to_ipver(uint32_t af)
{
    if (af == AF_V4)
        return 4;
    if (af == AF_V6_LINUX || af == AF_V6_BSD || af == AF_V6_FREEBSD || af == AF_V6_DARWIN)
        return 6;
    return 0;
}

/* Consumes the link-layer header; returns 4/6 or 0 after recording an error. */
static int link_header(ek_rd *rd, int lt)
{
    uint16_t et = 0;
    uint32_t af = 0;
    uint8_t b = 0;
    size_t at = ek_rd_offset(rd);
    const char *field = "eth.type";

    switch (lt) {
    case EK_LT_EN10MB: /* IEEE 802.3 / Ethernet II: dst(6) src(6) type(2) */
        ek_rd_skip(rd, 12, "eth.addr");
        at = ek_rd_offset(rd);
        ek_rd_be16(rd, "eth.type", &et);
        if (et == EK_ETHERTYPE_VLAN) { /* IEEE 802.1Q: TCI(2) then the real type */
            ek_rd_skip(rd, 2, "vlan.id");
            at = ek_rd_offset(rd);
            ek_rd_be16(rd, "vlan.etype", &et);
            field = "vlan.etype";
        }
        break;
    case EK_LT_LINUX_SLL: /* pkttype(2) hatype(2) halen(2) addr(8) protocol(2) */
        ek_rd_skip(rd, 14, "sll.header");
        at = ek_rd_offset(rd);
        ek_rd_be16(rd, "sll.etype", &et);
        field = "sll.etype";
        break;
    case EK_LT_LINUX_SLL2: /* protocol(2) res(2) ifindex(4) hatype(2) pkttype(1) halen(1) addr(8) */
        ek_rd_be16(rd, "sll.etype", &et);
        ek_rd_skip(rd, 18, "sll.header");
        field = "sll.etype";
        break;
    case EK_LT_NULL: /* AF in the writer's host order: accept either */
    case EK_LT_LOOP: /* AF in network order */
        if (lt == EK_LT_NULL)
            ek_rd_le32(rd, "null.family", &af);
        else
            ek_rd_be32(rd, "null.family", &af);
        if (!ek_rd_ok(rd))
            return 0;
        if (lt == EK_LT_NULL && af_to_ipver(af) == 0) {
            uint32_t sw = (af >> 24) | ((af >> 8) & 0xff00) | ((af << 8) & 0xff0000) | (af << 24);
            if (af_to_ipver(sw))
                af = sw;
        }
        if (af_to_ipver(af) == 0) {
            ek_rd_fail_at(rd, EK_ERR_UNSUPPORTED, "null.family", at);
            return 0;
        }
        return af_to_ipver(af);
    case EK_LT_DLT_RAW_12: case EK_LT_DLT_RAW_14: case EK_LT_RAW: /* bare IP: version nibble */
        if (!ek_rd_peek_u8(rd, &b)) {
            ek_rd_u8(rd, "ip.version", &b); /* records TRUNCATED */
            return 0;
        }
        if ((b >> 4) != 4 && (b >> 4) != 6) {
            ek_rd_fail_at(rd, EK_ERR_MALFORMED, "ip.version", at);
            return 0;
        }
        return b >> 4;
    case EK_LT_IPV4:
        return 4;
    case EK_LT_IPV6:
        return 6;
    default:
        ek_rd_fail_at(rd, EK_ERR_UNSUPPORTED, "pcap.linktype", 0);
        return 0;
    }
    if (!ek_rd_ok(rd))
        return 0;
    if (ether_to_ipver(et) == 0) {
        ek_rd_fail_at(rd, EK_ERR_UNSUPPORTED, field, at);
        return 0;
    }
    return ether_to_ipver(et);
}

/* ek_rd_sub, except that in a record captured short (cut) a length reaching past the
 * captured octets opens the child over what was captured. */
static bool sub_captured(ek_rd *rd, size_t n, const char *field, ek_rd *child, bool cut)
{
    if (cut && n > ek_rd_left(rd) && ek_rd_ok(rd))
        n = ek_rd_left(rd);
    return ek_rd_sub(rd, n, field, child);
}

/* IPv4 (RFC 791 §3.1): opens *pl over the payload; false after recording an error. */
static bool ipv4(ek_rd *rd, ek_rd *pl, bool cut)
{
    uint8_t vihl = 0, proto = 0;
    uint16_t tot = 0, frag = 0;
    size_t start = ek_rd_offset(rd);
    ek_rd_u8(rd, "ip.version", &vihl);
    ek_rd_skip(rd, 1, "ip.dsfield");
    ek_rd_be16(rd, "ip.len", &tot);
    ek_rd_skip(rd, 2, "ip.id");
    ek_rd_be16(rd, "ip.flags", &frag);
    ek_rd_skip(rd, 1, "ip.ttl");
    ek_rd_u8(rd, "ip.proto", &proto);
    ek_rd_skip(rd, 2 + 8, "ip.addr");
    if (!ek_rd_ok(rd))
        return false;
    size_t hl = (size_t)(vihl & 0x0f) * 4;
    if ((vihl >> 4) != 4)
        return ek_rd_fail_at(rd, EK_ERR_MALFORMED, "ip.version", start);
    if (hl < IPV4_MIN_HDR)
        return ek_rd_fail_at(rd, EK_ERR_MALFORMED, "ip.hdr_len", start);
    if (tot < hl)
        return ek_rd_fail_at(rd, EK_ERR_MALFORMED, "ip.len", start + 2);
    /* A fragment (MF set or offset != 0) carries no whole UDP datagram. */
    if (frag & 0x3fff)
        return ek_rd_fail_at(rd, EK_ERR_UNSUPPORTED, "ip.flags.mf", start + 6);
    if (proto != EK_IPPROTO_UDP)
        return ek_rd_fail_at(rd, EK_ERR_UNSUPPORTED, "ip.proto", start + 9);
    ek_rd_skip(rd, hl - IPV4_MIN_HDR, "ip.options");
    /* Bytes after ip.len (Ethernet padding) are ignored. */
    return sub_captured(rd, tot - hl, "ip.len", pl, cut);
}

/* IPv6 (RFC 8200 §3) + Hop-by-Hop/Routing/Destination options (§4.3-4.6). */
static bool ipv6(ek_rd *rd, ek_rd *pl, bool cut)
{
    uint8_t v = 0, nxt = 0;
    uint16_t plen = 0;
    size_t start = ek_rd_offset(rd);
    ek_rd_u8(rd, "ipv6.version", &v);
    ek_rd_skip(rd, 3, "ipv6.flow");
    ek_rd_be16(rd, "ipv6.plen", &plen);
    ek_rd_u8(rd, "ipv6.nxt", &nxt);
    ek_rd_skip(rd, 1 + 32, "ipv6.addr");
    if (!ek_rd_ok(rd))
        return false;
    if ((v >> 4) != 6)
        return ek_rd_fail_at(rd, EK_ERR_MALFORMED, "ipv6.version", start);
    if (plen == 0) /* RFC 2675 jumbogram */
        return ek_rd_fail_at(rd, EK_ERR_UNSUPPORTED, "ipv6.plen", start + 4);
    if (!sub_captured(rd, plen, "ipv6.plen", pl, cut))
        return false;
    size_t nxt_at = start + 6;
    while (nxt == IP6_HOPOPTS || nxt == IP6_ROUTING || nxt == IP6_DSTOPTS) {
        uint8_t hlen = 0;
        nxt_at = ek_rd_offset(pl);
        ek_rd_u8(pl, "ipv6.opt.nxt", &nxt);
        ek_rd_u8(pl, "ipv6.opt.length", &hlen);
        ek_rd_skip(pl, (size_t)hlen * 8 + 6, "ipv6.opt"); /* length in 8-octet units, minus the first 8 */
        if (!ek_rd_ok(pl)) {
            rd->err = pl->err;
            return false;
        }
    }
    if (nxt == IP6_FRAGMENT)
        return ek_rd_fail_at(rd, EK_ERR_UNSUPPORTED, "ipv6.nxt", nxt_at);
    if (nxt != EK_IPPROTO_UDP)
        return ek_rd_fail_at(rd, EK_ERR_UNSUPPORTED, "ipv6.nxt", nxt_at);
    return true;
}

/* Splits psdu into mpdu + `tlen` trailing octets.  `missing`: octets at the end of
 * the PSDU that were not captured (pcap caplen < len); then the trailer (the FCS, IEEE
 * 802.15.4-2015 §7.2.10, sent last) is incomplete and not taken at all: the MPDU is
 * what was captured of its on-air length psdu.len + missing - tlen. */
static void split_trailer(ek_cap_frame *out, ek_view psdu, size_t psdu_off, size_t tlen,
                          ek_cap_fcs_kind kind, ek_rd *rd, size_t missing)
{
    ek_rd t;
    ek_rd_init(&t, psdu, psdu_off);
    out->psdu = psdu;
    out->mpdu_offset = psdu_off;
    out->fcs_kind = kind;
    if (psdu.len + missing < tlen) {
        ek_rd_fail_at(rd, EK_ERR_TRUNCATED, "wpan.fcs", psdu_off);
        rd->err.need = tlen;
        rd->err.have = psdu.len;
        return;
    }
    out->mpdu_len = psdu.len + missing - tlen;
    if (tlen == 0) {
        out->mpdu = psdu;
        return;
    }
    if (missing) {
        size_t m = psdu.len < out->mpdu_len ? psdu.len : out->mpdu_len;
        ek_rd_view(&t, m, "wpan.frame", &out->mpdu);
        out->trailer = ek_rd_rest(&t); /* the captured part of the FCS, if any */
        return;
    }
    ek_rd_view(&t, psdu.len - tlen, "wpan.frame", &out->mpdu);
    ek_rd_view(&t, tlen, "wpan.fcs", &out->trailer);
    ek_rd tv;
    ek_rd_init(&tv, out->trailer, 0);
    if (tlen == 2) {
        uint16_t f = 0;
        ek_rd_le16(&tv, "wpan.fcs", &f);
        out->fcs = f;
    } else {
        ek_rd_le32(&tv, "wpan.fcs32", &out->fcs);
    }
    out->fcs_present = kind == EK_CAP_FCS_CRC16 || kind == EK_CAP_FCS_CRC32;
    if (kind == EK_CAP_FCS_CRC16) {
        out->fcs_checked = true;
        out->fcs_ok = ek_fcs16(out->mpdu) == (uint16_t)out->fcs;
    }
}

static ek_status decap_zep(int lt, ek_view record, ek_cap_frame *out, ek_err *err)
{
    ek_rd rd, ip, udp;
    bool cut = out->truncated;
    ek_rd_init(&rd, record, 0);
    int ver = link_header(&rd, lt);
    if (!ver)
        return ek_rd_finish(&rd, err);
    out->ip_version = (uint8_t)ver;
    if (!(ver == 4 ? ipv4(&rd, &ip, cut) : ipv6(&rd, &ip, cut)))
        return ek_rd_finish(&rd, err);

    /* UDP, RFC 768: sport dport length checksum */
    uint16_t ulen = 0;
    size_t uat = ek_rd_offset(&ip);
    ek_rd_be16(&ip, "udp.srcport", &out->udp_sport);
    ek_rd_be16(&ip, "udp.dstport", &out->udp_dport);
    ek_rd_be16(&ip, "udp.length", &ulen);
    ek_rd_skip(&ip, 2, "udp.checksum");
    if (!ek_rd_ok(&ip))
        return ek_rd_finish(&ip, err);
    if (ulen < UDP_HDR) {
        ek_rd_fail_at(&ip, EK_ERR_MALFORMED, "udp.length", uat + 4);
        return ek_rd_finish(&ip, err);
    }
    if (out->udp_sport != EK_CAP_ZEP_PORT && out->udp_dport != EK_CAP_ZEP_PORT) {
        ek_rd_fail_at(&ip, EK_ERR_UNSUPPORTED, "udp.port", uat);
        return ek_rd_finish(&ip, err);
    }
    if (!sub_captured(&ip, ulen - UDP_HDR, "udp.length", &udp, cut))
        return ek_rd_finish(&ip, err);

    out->encap = EK_CAP_ZEP;
    out->has_zep = true;
    out->zep_offset = udp.origin;
    ek_err zerr;
    ek_view zdg = ek_rd_rest(&udp);
    ek_status st = ek_zep_decode(zdg, udp.origin, &out->zep, &zerr);
    size_t missing = 0;
    if (cut && st == EK_ERR_TRUNCATED && zerr.field && !strcmp(zerr.field, "zep.data")) {
        /* The header was captured, the PSDU only in part: its Length says how much. */
        size_t at = out->zep.psdu_offset - udp.origin;
        out->zep.psdu = ek_view_make(zdg.p + at, zdg.len - at);
        missing = out->zep.length - out->zep.psdu.len;
        st = EK_OK;
        ek_err_clear(&zerr);
    }
    bool usable = st == EK_OK || (st == EK_ERR_MALFORMED && zerr.field && !strcmp(zerr.field, "zep.length")
                                  && out->zep.psdu.len == out->zep.length);
    if (st != EK_OK && !usable) {
        if (err)
            *err = zerr;
        return st;
    }
    if (out->zep.type == EK_ZEP_TYPE_ACK && out->zep.version >= 2) { /* v2 / v3 Ack: no PSDU */
        ek_rd_fail_at(&udp, EK_ERR_UNSUPPORTED, "zep.type", udp.origin + 3);
        return ek_rd_finish(&udp, err);
    }
    ek_rd tr;
    ek_rd_init(&tr, record, 0);
    /* ZEP Length includes the 2 trailing octets: FCS in CRC mode, CC24xx metadata in
     * LQI mode (Wireshark packet-zep.c treats every non-zero mode as CRC). */
    split_trailer(out, out->zep.psdu, out->zep.psdu_offset, EK_ZEP_TRAILER_LEN,
                  out->zep.mode == EK_ZEP_MODE_LQI ? EK_CAP_FCS_CC24XX : EK_CAP_FCS_CRC16, &tr, missing);
    if (!ek_rd_ok(&tr))
        return ek_rd_finish(&tr, err);
    if (err)
        *err = zerr;
    return st;
}

bool ek_cap_cut_err(const ek_err *e, size_t captured)
{
    return e && e->code == EK_ERR_TRUNCATED && e->offset + e->need > captured;
}

ek_status ek_cap_decap(int lt, ek_view record, ek_cap_frame *out, ek_err *err)
{
    return ek_cap_decap_captured(lt, record, record.len, out, err);
}

ek_status ek_cap_decap_captured(int lt, ek_view record, size_t orig_len, ek_cap_frame *out, ek_err *err)
{
    ek_rd rd;
    memset(out, 0, sizeof *out);
    out->linktype = lt;
    out->truncated = orig_len > record.len;
    out->orig_len = out->truncated ? orig_len : record.len;
    size_t missing = out->orig_len - record.len; /* the cut is at the record's end */
    ek_err_clear(err);
    ek_rd_init(&rd, record, 0);
    switch (lt) {
    case EK_LT_IEEE802_15_4_WITHFCS:
        split_trailer(out, record, 0, 2, EK_CAP_FCS_CRC16, &rd, missing);
        return ek_rd_finish(&rd, err);
    case EK_LT_IEEE802_15_4_NOFCS:
        split_trailer(out, record, 0, 0, EK_CAP_FCS_NONE, &rd, missing);
        return EK_OK;
    case EK_LT_IEEE802_15_4_TAP: {
        ek_status st = ek_tap_decode(record, 0, &out->tap, err);
        if (st != EK_OK)
            return st;
        out->encap = EK_CAP_TAP;
        out->has_tap = true;
        /* FCS type TLV absent => no FCS (TAP spec default). */
        uint8_t ft = out->tap.has_fcs_type ? out->tap.fcs_type : EK_TAP_FCS_NONE;
        split_trailer(out, out->tap.payload, out->tap.payload_offset, ek_tap_fcs_len(ft),
                      ft == EK_TAP_FCS_CRC16 ? EK_CAP_FCS_CRC16
                      : ft == EK_TAP_FCS_CRC32 ? EK_CAP_FCS_CRC32 : EK_CAP_FCS_NONE, &rd, missing);
        return ek_rd_finish(&rd, err);
    }
    default:
        if (!ek_cap_linktype_supported(lt)) {
            ek_rd_fail_at(&rd, EK_ERR_UNSUPPORTED, "pcap.linktype", 0);
            return ek_rd_finish(&rd, err);
        }
        return decap_zep(lt, record, out, err);
    }
}

/* ---- encode ---- */

void ek_cap_encap_opts_default(ek_cap_encap_opts *o)
{
    memset(o, 0, sizeof *o);
    o->udp_sport = EK_CAP_ZEP_PORT;
    o->udp_dport = EK_CAP_ZEP_PORT;
    o->zep_version = 2;
    o->zep_mode = EK_ZEP_MODE_CRC;
    o->channel = 26;
    o->lqi = 0xff;
}

/* RFC 1071 one's-complement sum, folded later. */
static uint32_t csum_add(uint32_t s, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        s += (uint32_t)p[n - 1] << 8;
    return s;
}

static uint16_t csum_fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static ek_status enc_fail(ek_err *err, ek_status code, const char *field)
{
    if (err) {
        ek_err_clear(err);
        err->code = code;
        err->field = field;
    }
    return code;
}

ek_status ek_cap_encap(int lt, ek_view mpdu, bool add_fcs, const ek_cap_encap_opts *opts,
                       ek_buf *out, ek_err *err)
{
    ek_cap_encap_opts def;
    if (!opts) {
        ek_cap_encap_opts_default(&def);
        opts = &def;
    }
    if (!ek_cap_linktype_supported(lt))
        return enc_fail(err, EK_ERR_UNSUPPORTED, "pcap.linktype");

    /* PSDU = mpdu [+ FCS]; at most 127 octets + room for a 4-octet FCS. */
    uint8_t psdu[EK_ZEP_LENGTH_MASK + 4];
    ek_buf pb;
    ek_buf_init(&pb, psdu, sizeof psdu);
    ek_wr_view(&pb, "wpan.frame", mpdu);
    if (add_fcs && lt != EK_LT_IEEE802_15_4_NOFCS)
        ek_fcs16_append(&pb);
    if (!ek_buf_ok(&pb))
        return enc_fail(err, EK_ERR_MALFORMED, "wpan.frame"); /* longer than aMaxPhyPacketSize */
    ek_view pv = ek_buf_view(&pb);

    switch (lt) {
    case EK_LT_IEEE802_15_4_WITHFCS:
    case EK_LT_IEEE802_15_4_NOFCS:
        ek_wr_view(out, "wpan.frame", pv);
        return ek_buf_finish(out, err);
    case EK_LT_IEEE802_15_4_TAP: {
        ek_tap t;
        if (opts->tap)
            t = *opts->tap;
        else
            memset(&t, 0, sizeof t);
        t.has_fcs_type = add_fcs || (opts->tap && opts->tap->has_fcs_type);
        if (add_fcs)
            t.fcs_type = EK_TAP_FCS_CRC16;
        t.payload = pv;
        return ek_tap_encode(&t, out, err);
    }
    default:
        break;
    }

    /* ZEP datagram */
    uint8_t zb[EK_ZEP_V2_DATA_HDR_LEN + sizeof psdu];
    ek_buf zw;
    ek_zep z;
    ek_buf_init(&zw, zb, sizeof zb);
    ek_zep_init_data(&z, opts->channel, pv);
    z.version = opts->zep_version;
    z.mode = opts->zep_mode;
    z.lqi = opts->lqi;
    z.device_id = opts->device_id;
    z.seq = opts->seq;
    z.ntp_sec = opts->ntp_sec;
    z.ntp_frac = opts->ntp_frac;
    ek_status st = ek_zep_encode(&z, &zw, err);
    if (st != EK_OK)
        return st;
    ek_view zv = ek_buf_view(&zw);

    /* UDP header with checksum over the pseudo-header (RFC 768; RFC 8200 §8.1). */
    uint16_t ulen = (uint16_t)(UDP_HDR + zv.len);
    bool v4 = opts->ipv4 && lt != EK_LT_IPV6;
    if (lt == EK_LT_IPV4)
        v4 = true;
    uint8_t uh[UDP_HDR] = {
        (uint8_t)(opts->udp_sport >> 8), (uint8_t)opts->udp_sport,
        (uint8_t)(opts->udp_dport >> 8), (uint8_t)opts->udp_dport,
        (uint8_t)(ulen >> 8), (uint8_t)ulen, 0, 0,
    };
    uint32_t s = 0;
    if (v4) {
        s = csum_add(s, ip4_loop, 4);
        s = csum_add(s, ip4_loop, 4);
        s += EK_IPPROTO_UDP + ulen;
    } else {
        s = csum_add(s, ip6_loop, 16);
        s = csum_add(s, ip6_loop, 16);
        s += EK_IPPROTO_UDP + ulen; /* 32-bit length's high half is 0 here */
    }
    s = csum_add(s, uh, UDP_HDR);
    s = csum_add(s, zv.p, zv.len);
    uint16_t uc = csum_fold(s);
    if (uc == 0)
        uc = 0xffff; /* RFC 768: 0 means "no checksum" */
    uh[6] = (uint8_t)(uc >> 8);
    uh[7] = (uint8_t)uc;

    /* Link-layer header */
    uint16_t et = v4 ? EK_ETHERTYPE_IPV4 : EK_ETHERTYPE_IPV6;
    switch (lt) {
    case EK_LT_EN10MB: /* dst, src = 00:00:00:00:00:00 as on Linux "lo" */
        ek_wr_zero(out, "eth.addr", 12);
        ek_wr_be16(out, "eth.type", et);
        break;
    case EK_LT_LINUX_SLL:
        ek_wr_be16(out, "sll.pkttype", 0); /* to us */
        ek_wr_be16(out, "sll.hatype", ARPHRD_LOOPBACK);
        ek_wr_be16(out, "sll.halen", 6);
        ek_wr_zero(out, "sll.src.eth", 8);
        ek_wr_be16(out, "sll.etype", et);
        break;
    case EK_LT_LINUX_SLL2:
        ek_wr_be16(out, "sll.etype", et);
        ek_wr_zero(out, "sll.reserved", 2);
        ek_wr_be32(out, "sll.ifindex", 1);
        ek_wr_be16(out, "sll.hatype", ARPHRD_LOOPBACK);
        ek_wr_u8(out, "sll.pkttype", 0);
        ek_wr_u8(out, "sll.halen", 6);
        ek_wr_zero(out, "sll.src.eth", 8);
        break;
    case EK_LT_NULL: /* host order of the writer: we write little-endian */
        ek_wr_le32(out, "null.family", v4 ? AF_V4 : AF_V6_BSD);
        break;
    case EK_LT_LOOP:
        ek_wr_be32(out, "null.family", v4 ? AF_V4 : AF_V6_BSD);
        break;
    default: /* raw IP link types: no link header */
        break;
    }

    if (v4) { /* RFC 791 §3.1, no options, DF set, TTL 64 */
        uint16_t tot = (uint16_t)(IPV4_MIN_HDR + ulen);
        uint8_t h[IPV4_MIN_HDR] = {
            0x45, 0, (uint8_t)(tot >> 8), (uint8_t)tot, 0, 0, 0x40, 0, 64, EK_IPPROTO_UDP, 0, 0,
            127, 0, 0, 1, 127, 0, 0, 1,
        };
        uint16_t hc = csum_fold(csum_add(0, h, sizeof h));
        h[10] = (uint8_t)(hc >> 8);
        h[11] = (uint8_t)hc;
        ek_wr_bytes(out, "ip", h, sizeof h);
    } else { /* RFC 8200 §3: version 6, plen, next header UDP, hop limit 64 */
        ek_wr_be32(out, "ipv6.version", 0x60000000u);
        ek_wr_be16(out, "ipv6.plen", ulen);
        ek_wr_u8(out, "ipv6.nxt", EK_IPPROTO_UDP);
        ek_wr_u8(out, "ipv6.hlim", 64);
        ek_wr_bytes(out, "ipv6.src", ip6_loop, 16);
        ek_wr_bytes(out, "ipv6.dst", ip6_loop, 16);
    }
    ek_wr_bytes(out, "udp", uh, sizeof uh);
    ek_wr_view(out, "zep", zv);
    return ek_buf_finish(out, err);
}
