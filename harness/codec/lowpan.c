/* SPDX-License-Identifier: BSD-3-Clause */
/* 6LoWPAN: RFC 4944 §5 dispatch/mesh/BC0/fragment headers, uncompressed IPv6, RFC 4944
 * §10 HC1 / HC_UDP (decode only), RFC 6282
 * §3 IPHC and §4.3 UDP NHC.  Address (de)compression is one table-free function pair
 * used by the decoder and by the encoder (which checks that a form round-trips). */
#include <string.h>

#include "ek/consts.h"
#include "ek/icmp6.h"
#include "ek/lowpan.h"
#include "ek/rd.h"

ek_lowpan_dispatch ek_lowpan_classify(uint8_t d)
{
    /* RFC 4944 §5.1 Fig. 2, RFC 6282 §3.1, RFC 8025 §3 */
    if ((d & 0xC0) == 0x00) return EK_LOWPAN_D_NALP;
    if (d == EK_LOWPAN_DISPATCH_IPV6) return EK_LOWPAN_D_IPV6;
    if (d == EK_LOWPAN_DISPATCH_HC1) return EK_LOWPAN_D_HC1;
    if (d == EK_LOWPAN_DISPATCH_BC0) return EK_LOWPAN_D_BC0;
    if ((d & EK_LOWPAN_IPHC_MASK) == EK_LOWPAN_IPHC_PATTERN) return EK_LOWPAN_D_IPHC;
    if ((d & 0xC0) == 0x80) return EK_LOWPAN_D_MESH;
    if ((d & 0xF8) == 0xC0) return EK_LOWPAN_D_FRAG1;
    if ((d & 0xF8) == 0xE0) return EK_LOWPAN_D_FRAGN;
    if ((d & 0xF0) == 0xF0) return EK_LOWPAN_D_PAGE;
    return EK_LOWPAN_D_RESERVED;
}

const char *ek_lowpan_dispatch_name(ek_lowpan_dispatch d)
{
    static const char *const n[] = { "NALP", "IPv6", "BC0", "IPHC", "MESH", "FRAG1", "FRAGN",
                                     "PAGE", "reserved", "HC1" };
    return (unsigned)d < sizeof n / sizeof n[0] ? n[d] : "?";
}

bool ek_lowpan_iid_from_ll(const ek_lladdr *ll, uint8_t iid[8])
{
    if (ll && ll->mode == EK_WPAN_AM_EXT) { /* RFC 4944 §6: EUI-64, U/L bit inverted */
        memcpy(iid, ll->ext, 8);
        iid[0] ^= 0x02;
        return true;
    }
    if (ll && ll->mode == EK_WPAN_AM_SHORT) { /* RFC 6282 §3.2.2: 0000:00ff:fe00:XXXX */
        static const uint8_t s[6] = { 0, 0, 0, 0xFF, 0xFE, 0 };
        memcpy(iid, s, 6);
        iid[6] = (uint8_t)(ll->short_addr >> 8);
        iid[7] = (uint8_t)ll->short_addr;
        return true;
    }
    return false;
}

/* Inline octets of an address form (RFC 6282 §3.1.1 SAM/DAM tables); -1 = reserved. */
static int addr_inline_len(uint8_t m, uint8_t ac, uint8_t am)
{
    static const int uni0[4] = { 16, 8, 2, 0 }, uni1[4] = { 0, 8, 2, 0 };
    static const int mc0[4] = { 16, 6, 4, 1 };
    if (!m)
        return ac ? uni1[am] : uni0[am];
    if (!ac)
        return mc0[am];
    return am == 0 ? 6 : -1; /* M=1 DAC=1: only DAM=00 (RFC 3306) is defined */
}

typedef enum { AX_OK = 0, AX_RESERVED, AX_NO_CTX, AX_NO_LL } ax_result;

/* Builds the address from the form and its inline octets. */
static ax_result addr_decompress(uint8_t a[16], uint8_t m, uint8_t ac, uint8_t am, const uint8_t *inl,
                                 const ek_lladdr *ll, const ek_lowpan_ctx *ctx)
{
    memset(a, 0, 16);
    if (m) {
        if (ac) { /* RFC 6282 §3.1.1 DAM=00 with DAC=1: ffXX:XXLL:PPPP:PPPP:PPPP:PPPP:XXXX:XXXX */
            if (am != 0)
                return AX_RESERVED;
            if (!ctx || !ctx->valid || ctx->prefix_len > 64)
                return AX_NO_CTX;
            a[0] = 0xFF;
            a[1] = inl[0];
            a[2] = inl[1];
            a[3] = ctx->prefix_len;
            memcpy(a + 4, ctx->prefix, 8); /* RFC 3306 §4: prefix field, 64 bits */
            memcpy(a + 12, inl + 2, 4);
            return AX_OK;
        }
        a[0] = 0xFF;
        switch (am) {
        case 0: memcpy(a, inl, 16); break;
        case 1: a[1] = inl[0]; memcpy(a + 11, inl + 1, 5); break; /* ffXX::00XX:XXXX:XXXX */
        case 2: a[1] = inl[0]; memcpy(a + 13, inl + 1, 3); break; /* ffXX::00XX:XXXX */
        default: a[1] = 0x02; a[15] = inl[0]; break;              /* ff02::00XX */
        }
        return AX_OK;
    }
    if (ac && am == 0) /* SAC=1 SAM=00: the unspecified address (DAC=1 DAM=00 is reserved) */
        return AX_OK;
    if (!ac && am == 0) {
        memcpy(a, inl, 16);
        return AX_OK;
    }
    switch (am) {
    case 1: memcpy(a + 8, inl, 8); break;
    case 2:
        a[11] = 0xFF; a[12] = 0xFE; /* 0000:00ff:fe00:XXXX */
        a[14] = inl[0]; a[15] = inl[1];
        break;
    default:
        if (!ek_lowpan_iid_from_ll(ll, a + 8))
            return AX_NO_LL;
        break;
    }
    if (!ac) { /* stateless: fe80::/64 */
        a[0] = 0xFE;
        a[1] = 0x80;
        return AX_OK;
    }
    if (!ctx || !ctx->valid)
        return AX_NO_CTX;
    /* RFC 6282 §3.1.1: bits covered by the context are always used; others stay inline/zero. */
    unsigned pl = ctx->prefix_len > 128 ? 128 : ctx->prefix_len;
    for (unsigned i = 0; i < pl; i++) {
        uint8_t bit = (uint8_t)(0x80 >> (i & 7));
        a[i / 8] = (uint8_t)((a[i / 8] & ~bit) | (ctx->prefix[i / 8] & bit));
    }
    return AX_OK;
}

/* Inline octets for an address in a form (inverse of addr_decompress's picks). */
static void addr_inline(const uint8_t a[16], uint8_t m, uint8_t ac, uint8_t am, uint8_t *inl)
{
    if (m && ac) {
        inl[0] = a[1]; inl[1] = a[2];
        memcpy(inl + 2, a + 12, 4);
    } else if (m) {
        switch (am) {
        case 0: memcpy(inl, a, 16); break;
        case 1: inl[0] = a[1]; memcpy(inl + 1, a + 11, 5); break;
        case 2: inl[0] = a[1]; memcpy(inl + 1, a + 13, 3); break;
        default: inl[0] = a[15]; break;
        }
    } else {
        switch (am) {
        case 0: if (!ac) memcpy(inl, a, 16); break;
        case 1: memcpy(inl, a + 8, 8); break;
        case 2: inl[0] = a[14]; inl[1] = a[15]; break;
        default: break;
        }
    }
}

/* True when the form reproduces the address exactly. */
static ax_result addr_fits(const uint8_t a[16], uint8_t m, uint8_t ac, uint8_t am, const ek_lladdr *ll,
                           const ek_lowpan_ctx *ctx)
{
    uint8_t inl[16] = { 0 }, back[16];
    if (addr_inline_len(m, ac, am) < 0)
        return AX_RESERVED;
    addr_inline(a, m, ac, am, inl);
    ax_result r = addr_decompress(back, m, ac, am, inl, ll, ctx);
    if (r != AX_OK)
        return r;
    return memcmp(a, back, 16) == 0 ? AX_OK : AX_RESERVED;
}

static const ek_lowpan_ctx *ctx_at(const ek_profile *prof, unsigned i)
{
    return prof && i < EK_LOWPAN_CONTEXTS ? &prof->ctx[i] : NULL;
}

/* ---- decode ---- */

static bool ll_from_mesh(ek_rd *rd, bool short_form, ek_lladdr *ll, const char *field)
{
    if (short_form) {
        ll->mode = EK_WPAN_AM_SHORT;
        return ek_rd_be16(rd, field, &ll->short_addr);
    }
    ll->mode = EK_WPAN_AM_EXT;
    return ek_rd_bytes(rd, 8, field, ll->ext);
}

static ek_status fail_rd(ek_rd *rd, ek_err *err, ek_status code, const char *field, size_t at)
{
    ek_rd_fail_at(rd, code, field, at);
    return ek_rd_finish(rd, err);
}

static void udp_nhc_decode(ek_rd *rd, uint8_t nhc, ek_udp_hdr *u)
{
    uint8_t b = 0;
    u->c = (nhc & 0x04) != 0;
    u->p = nhc & 0x03;
    switch (u->p) { /* RFC 6282 §4.3.3 P */
    case 0:
        ek_rd_be16(rd, "6lowpan.udp.src", &u->src_port);
        ek_rd_be16(rd, "6lowpan.udp.dst", &u->dst_port);
        break;
    case 1:
        ek_rd_be16(rd, "6lowpan.udp.src", &u->src_port);
        ek_rd_u8(rd, "6lowpan.udp.dst", &b);
        u->dst_port = (uint16_t)(0xF000 | b);
        break;
    case 2:
        ek_rd_u8(rd, "6lowpan.udp.src", &b);
        u->src_port = (uint16_t)(0xF000 | b);
        ek_rd_be16(rd, "6lowpan.udp.dst", &u->dst_port);
        break;
    default:
        ek_rd_u8(rd, "6lowpan.nhc.udp.ports", &b);
        u->src_port = (uint16_t)(0xF0B0 | (b >> 4));
        u->dst_port = (uint16_t)(0xF0B0 | (b & 0x0F));
        break;
    }
    if (!u->c)
        ek_rd_be16(rd, "6lowpan.nhc.udp.checksum", &u->checksum);
}

#define IP6_HOPOPTS 0   /* RFC 8200 §4.3 */
#define IP6_ROUTING 43  /* RFC 8200 §4.4 */
#define IP6_DSTOPTS 60  /* RFC 8200 §4.6 */

static bool is_ext(uint8_t nh)
{
    return nh == IP6_HOPOPTS || nh == IP6_ROUTING || nh == IP6_DSTOPTS;
}

/* Walks inline IPv6 extension headers (RFC 8200 §4.3-4.6: Next Header(1) | Hdr Ext
 * Len(1, 8-octet units not counting the first 8) | data) from out->upper, which
 * starts with a header of type `nh`, to the upper-layer header.  Bounds-checked:
 * TRUNCATED "ipv6.opt.length" when a header runs past the packet. */
static ek_status walk_ext(ek_lowpan_pkt *out, uint8_t nh, ek_err *err)
{
    ek_rd x;
    ek_rd_init(&x, out->upper, out->upper_offset);
    while (is_ext(nh)) {
        uint8_t next = 0, hlen = 0;
        size_t at = ek_rd_offset(&x);
        ek_rd_u8(&x, "ipv6.opt.nxt", &next);
        if (!ek_rd_u8(&x, "ipv6.opt.length", &hlen))
            break;
        if (!ek_rd_skip(&x, (size_t)hlen * 8 + 6, "ipv6.opt.length")) {
            x.err.offset = at + 1; /* name the length that overruns */
            break;
        }
        out->ext_routing |= nh == IP6_ROUTING;
        out->n_ext++;
        nh = next;
    }
    if (!ek_rd_ok(&x))
        return ek_rd_finish(&x, err);
    out->upper_nh = nh;
    out->upper_offset = ek_rd_offset(&x);
    out->upper = ek_rd_rest(&x);
    return ek_rd_finish(&x, err);
}

static ek_status iphc_decode(ek_rd *rd, const ek_lladdr *ll_src, const ek_lladdr *ll_dst,
                             const ek_profile *prof, ek_lowpan_pkt *out, ek_err *err)
{
    uint8_t b0 = 0, b1 = 0, v = 0;
    ek_iphc_form *f = &out->iphc;
    ek_ipv6_hdr *ip = &out->ip;
    ek_rd_u8(rd, "6lowpan.iphc.pattern", &b0);
    size_t b1_at = ek_rd_offset(rd);
    ek_rd_u8(rd, "6lowpan.iphc.cid", &b1);
    if (!ek_rd_ok(rd))
        return ek_rd_finish(rd, err);
    out->iphc_raw = (uint16_t)(b0 << 8 | b1);
    f->tf = (b0 >> 3) & 3;
    f->nh = (b0 >> 2) & 1;
    f->hlim = b0 & 3;
    f->cid = b1 >> 7;
    f->sac = (b1 >> 6) & 1;
    f->sam = (b1 >> 4) & 3;
    f->m = (b1 >> 3) & 1;
    f->dac = (b1 >> 2) & 1;
    f->dam = b1 & 3;
    if (f->cid) { /* §3.1.2: SCI high nibble, DCI low nibble */
        ek_rd_u8(rd, "6lowpan.iphc.sci", &v);
        f->sci = v >> 4;
        f->dci = v & 0x0F;
    }
    /* §3.2.1 TF: the inline traffic class is ECN(2) DSCP(6), the reverse of IPv6. */
    uint8_t t[4] = { 0 };
    switch (f->tf) {
    case 0:
        ek_rd_bytes(rd, 4, "6lowpan.iphc.tf", t);
        ip->tc = (uint8_t)((t[0] & 0x3F) << 2 | t[0] >> 6);
        ip->flow = (uint32_t)(t[1] & 0x0F) << 16 | (uint32_t)t[2] << 8 | t[3];
        break;
    case 1: /* ECN(2) rsvd(2) FL(20) */
        ek_rd_bytes(rd, 3, "6lowpan.iphc.tf", t);
        ip->tc = t[0] >> 6;
        ip->flow = (uint32_t)(t[0] & 0x0F) << 16 | (uint32_t)t[1] << 8 | t[2];
        break;
    case 2:
        ek_rd_bytes(rd, 1, "6lowpan.iphc.tf", t);
        ip->tc = (uint8_t)((t[0] & 0x3F) << 2 | t[0] >> 6);
        break;
    default: break;
    }
    if (!f->nh)
        ek_rd_u8(rd, "6lowpan.iphc.nh", &ip->nh);
    static const uint8_t hl[4] = { 0, 1, 64, 255 }; /* §3.1.1 HLIM */
    if (f->hlim == 0)
        ek_rd_u8(rd, "6lowpan.iphc.hlim", &ip->hlim);
    else
        ip->hlim = hl[f->hlim];

    uint8_t inl[16];
    int n = addr_inline_len(0, f->sac, f->sam);
    ek_rd_bytes(rd, (size_t)n, "6lowpan.src", inl);
    if (!ek_rd_ok(rd))
        return ek_rd_finish(rd, err);
    const ek_lladdr *ms = out->mesh.present ? &out->mesh.orig : ll_src; /* §3.2.2: encapsulating header */
    const ek_lladdr *md = out->mesh.present ? &out->mesh.final : ll_dst;
    /* §3.1.2: a context the decoder was not given leaves the address's prefix unknown;
     * that is no fault of the packet, which decodes on (needs_ctx_src). */
    switch (addr_decompress(ip->src, 0, f->sac, f->sam, inl, ms, ctx_at(prof, f->sci))) {
    case AX_NO_CTX: out->needs_ctx_src = true; break;
    case AX_NO_LL: return fail_rd(rd, err, EK_ERR_MALFORMED, "6lowpan.iphc.sam", b1_at);
    default: break;
    }
    n = addr_inline_len(f->m, f->dac, f->dam);
    if (n < 0)
        return fail_rd(rd, err, EK_ERR_MALFORMED, "6lowpan.iphc.dam", b1_at);
    ek_rd_bytes(rd, (size_t)n, "6lowpan.dst", inl);
    if (!ek_rd_ok(rd))
        return ek_rd_finish(rd, err);
    switch (addr_decompress(ip->dst, f->m, f->dac, f->dam, inl, md, ctx_at(prof, f->dci))) {
    case AX_NO_CTX: out->needs_ctx_dst = true; break;
    case AX_NO_LL: return fail_rd(rd, err, EK_ERR_MALFORMED, "6lowpan.iphc.dam", b1_at);
    case AX_RESERVED: return fail_rd(rd, err, EK_ERR_MALFORMED, "6lowpan.iphc.dam", b1_at);
    default: break;
    }
    if (!f->m && f->dac && f->dam == 0) /* §3.1.1: DAC=1 DAM=00 (unicast) is reserved */
        return fail_rd(rd, err, EK_ERR_MALFORMED, "6lowpan.iphc.dam", b1_at);

    long hdr_extra = 0; /* octets the NHC stands for beyond the IPv6 header */
    bool upper_inline = false; /* an NHC-EH carried the upper-layer Next Header inline */
    if (f->nh) { /* §4.1 NHC */
        uint8_t nhc = 0;
        size_t nhc_at = ek_rd_offset(rd);
        if (!ek_rd_peek_u8(rd, &nhc)) {
            ek_rd_u8(rd, "6lowpan.nhc.pattern", &nhc);
            return ek_rd_finish(rd, err);
        }
        /* §4.2 Figure 13: 1110 EID(3) NH(1) | [Next Header] | Length (octets after
         * it) | the extension header's data.  Hop-by-Hop, Routing and Destination
         * Options are walked; the 8-octet padding is elided on the wire. */
        static const uint8_t eid_proto[8] = { IP6_HOPOPTS, IP6_ROUTING, 0, IP6_DSTOPTS };
        while ((nhc & 0xF0) == 0xE0) {
            uint8_t eid = (nhc >> 1) & 7, next = 0, len = 0;
            if (eid != 0 && eid != 1 && eid != 3)
                break; /* Fragment, Mobility, IPv6, reserved: not decoded */
            ek_rd_u8(rd, "6lowpan.nhc.pattern", &nhc);
            if (out->n_ext == 0)
                ip->nh = eid_proto[eid];
            if (!(nhc & 1))
                ek_rd_u8(rd, "6lowpan.nhc.ext.next", &next);
            ek_rd_u8(rd, "6lowpan.nhc.ext.length", &len);
            ek_rd_skip(rd, len, "6lowpan.nhc.ext.data");
            if (!ek_rd_ok(rd))
                return ek_rd_finish(rd, err);
            out->n_ext++;
            out->ext_routing |= eid == 1;
            hdr_extra += (long)((2u + len + 7u) & ~7u); /* uncompressed, padded to 8 */
            if (!(nhc & 1)) {
                out->upper_nh = next;
                upper_inline = true;
                break;
            }
            nhc_at = ek_rd_offset(rd);
            if (!ek_rd_peek_u8(rd, &nhc)) {
                ek_rd_u8(rd, "6lowpan.nhc.pattern", &nhc);
                return ek_rd_finish(rd, err);
            }
        }
        if (upper_inline) {
            /* the upper layer follows, as after an uncompressed Next Header */
        } else if ((nhc & 0xF8) != 0xF0) { /* only UDP (§4.3.3) is decoded */
            out->payload_offset = nhc_at;
            out->payload = ek_rd_rest(rd);
            ip->payload_len = out->payload.len > 0xFFFF ? 0xFFFF : (uint16_t)out->payload.len;
            return fail_rd(rd, err, EK_ERR_UNSUPPORTED, "6lowpan.nhc", nhc_at);
        } else {
            ek_rd_u8(rd, "6lowpan.nhc.pattern", &nhc);
            udp_nhc_decode(rd, nhc, &out->udp);
            out->has_udp = true;
            if (out->n_ext == 0)
                ip->nh = EK_IPV6_NH_UDP;
            out->upper_nh = EK_IPV6_NH_UDP;
            hdr_extra += 8;
        }
    }
    if (!ek_rd_ok(rd))
        return ek_rd_finish(rd, err);
    out->payload_offset = ek_rd_offset(rd);
    out->payload = ek_rd_rest(rd);
    /* §3.1.1: Payload Length is always elided: from the datagram size when fragmented. */
    if (out->frag.present) { /* FRAG1: size >= 40 checked by the caller */
        ip->payload_len = (uint16_t)(out->frag.size - EK_IPV6_HDR_LEN);
    } else {
        /* RFC 8200 §3: 16-bit Payload Length; a longer MAC payload cannot be one packet */
        long plen = (long)out->payload.len + hdr_extra;
        if (plen > 0xFFFF)
            return fail_rd(rd, err, EK_ERR_MALFORMED, "ipv6.plen", out->payload_offset);
        ip->payload_len = (uint16_t)(plen < 0 ? 0 : plen);
    }
    if (out->has_udp) {
        ek_udp_hdr *u = &out->udp;
        u->length = ip->payload_len; /* §4.3.3: UDP Length elided, inferred */
        if (u->c && !out->frag.present) {
            /* §4.3.3 C=1: "recovered by recomputing it" - RFC 768 over the pseudo-header.
             * 0 is sent as 0xffff (RFC 768, RFC 8200 §8.1). */
            uint8_t h[8] = { (uint8_t)(u->src_port >> 8), (uint8_t)u->src_port,
                             (uint8_t)(u->dst_port >> 8), (uint8_t)u->dst_port,
                             (uint8_t)(u->length >> 8), (uint8_t)u->length, 0, 0 };
            uint16_t c = ek_inet6_checksum_split(ip->src, ip->dst, EK_IPV6_NH_UDP,
                                                 ek_view_make(h, 8), out->payload);
            u->checksum = c ? c : 0xFFFF;
            u->checksum_recomputed = true;
        }
    }
    out->has_ipv6 = true;
    out->upper = out->payload;
    out->upper_offset = out->payload_offset;
    if (!f->nh)
        out->upper_nh = ip->nh;
    if (!out->has_udp && !upper_inline && is_ext(ip->nh)) /* inline extension headers */
        return walk_ext(out, ip->nh, err);
    return ek_rd_finish(rd, err);
}

/* Fields that follow one another without padding (RFC 4944 §10.1: after the 20-bit
 * Flow Label the rest of the header is not octet-aligned), read MSB first through
 * ek_rd one octet at a time, so a field past the end is TRUNCATED naming it. */
typedef struct bit_rd {
    ek_rd *rd;
    uint32_t acc; /* the n low bits not yet consumed */
    unsigned n;
} bit_rd;

static uint32_t rd_bits(bit_rd *b, unsigned k, const char *field) /* k <= 20 */
{
    while (b->n < k) {
        uint8_t o = 0;
        if (!ek_rd_u8(b->rd, field, &o))
            return 0;
        b->acc = b->acc << 8 | o;
        b->n += 8;
    }
    b->n -= k;
    uint32_t v = (b->acc >> b->n) & ((1u << k) - 1);
    b->acc &= (1u << b->n) - 1;
    return v;
}

/* RFC 4944 §10.1 LOWPAN_HC1 after its dispatch octet, decoded as Wireshark's
 * packet-6lowpan.c does:
 *   HC1 encoding(1) = SA prefix compressed(b7) | SA IID compressed(b6) | DA prefix
 *     compressed(b5) | DA IID compressed(b4) | TC and Flow Label zero(b3) | NH(b2-1:
 *     00 inline, 01 UDP, 10 ICMPv6, 11 TCP) | HC2 encoding follows(b0)
 *   [HC_UDP encoding(1), §10.3.2: source port 4 bits(b7) | destination port 4 bits(b6) |
 *     Length elided(b5) | reserved(b4-0); only with NH = UDP]
 *   Hop Limit(8) | [source prefix(64)] [source IID(64)] [destination prefix(64)]
 *   [destination IID(64)] | [Traffic Class(8) Flow Label(20)] | [Next Header(8)]
 *   | [UDP: source port(4 or 16) destination port(4 or 16) [Length(16)] Checksum(16)]
 *   then padding to the octet boundary and the upper-layer payload.
 * A compressed prefix is fe80::/64 (link-local); a compressed IID comes from the MAC
 * (or mesh) address (RFC 4944 §6, RFC 6282 §3.2.2 form for short addresses); a 4-bit
 * port is 0xF0B0 + the bits (§10.3.2). */
static ek_status hc1_decode(ek_rd *rd, const ek_lladdr *ll_src, const ek_lladdr *ll_dst, ek_lowpan_pkt *out,
                            ek_err *err)
{
    ek_ipv6_hdr *ip = &out->ip;
    uint8_t enc = 0;
    size_t enc_at = ek_rd_offset(rd);
    if (!ek_rd_u8(rd, "6lowpan.hc1.encoding", &enc))
        return ek_rd_finish(rd, err);
    out->hc1 = true;
    out->hc1_encoding = enc;
    uint8_t nh = (enc >> 1) & 3;
    if (enc & 0x01) {
        if (nh != 1) /* §10.1: only HC_UDP (§10.3.2) is defined after HC1 */
            return fail_rd(rd, err, EK_ERR_MALFORMED, "6lowpan.hc1.encoding", enc_at);
        out->has_hc2 = ek_rd_u8(rd, "6lowpan.hc2.udp.encoding", &out->hc2_encoding);
    }
    ek_rd_u8(rd, "6lowpan.hops", &ip->hlim);
    const ek_lladdr *ms = out->mesh.present ? &out->mesh.orig : ll_src;
    const ek_lladdr *md = out->mesh.present ? &out->mesh.final : ll_dst;
    static const uint8_t ll_prefix[8] = { 0xfe, 0x80 };
    struct { uint8_t *a; uint8_t pc, ic; const ek_lladdr *ll; const char *f, *iid_f; } addr[2] = {
        { ip->src, 0x80, 0x40, ms, "6lowpan.src", "6lowpan.hc1.src_ifc" },
        { ip->dst, 0x20, 0x10, md, "6lowpan.dst", "6lowpan.hc1.dst_ifc" },
    };
    for (int i = 0; i < 2; i++) {
        if (enc & addr[i].pc)
            memcpy(addr[i].a, ll_prefix, 8);
        else
            ek_rd_bytes(rd, 8, addr[i].f, addr[i].a);
        if (!(enc & addr[i].ic))
            ek_rd_bytes(rd, 8, addr[i].f, addr[i].a + 8);
        else if (ek_rd_ok(rd) && !ek_lowpan_iid_from_ll(addr[i].ll, addr[i].a + 8))
            return fail_rd(rd, err, EK_ERR_MALFORMED, addr[i].iid_f, enc_at); /* no MAC address */
    }
    bit_rd b = { rd, 0, 0 };
    if (!(enc & 0x08)) {
        ip->tc = (uint8_t)rd_bits(&b, 8, "6lowpan.class");
        ip->flow = rd_bits(&b, 20, "6lowpan.flow");
    }
    static const uint8_t nh_proto[4] = { 0, EK_IPV6_NH_UDP, EK_IPV6_NH_ICMP6, 6 /* TCP */ };
    ip->nh = nh == 0 ? (uint8_t)rd_bits(&b, 8, "6lowpan.next") : nh_proto[nh];
    bool udp_len_inline = false;
    if (out->has_hc2) {
        ek_udp_hdr *u = &out->udp;
        uint8_t h = out->hc2_encoding;
        u->src_port = (uint16_t)((h & 0x80) ? 0xF0B0 + rd_bits(&b, 4, "6lowpan.udp.src")
                                            : rd_bits(&b, 16, "6lowpan.udp.src"));
        u->dst_port = (uint16_t)((h & 0x40) ? 0xF0B0 + rd_bits(&b, 4, "6lowpan.udp.dst")
                                            : rd_bits(&b, 16, "6lowpan.udp.dst"));
        if (!(h & 0x20)) {
            u->length = (uint16_t)rd_bits(&b, 16, "6lowpan.udp.length");
            udp_len_inline = true;
        }
        u->checksum = (uint16_t)rd_bits(&b, 16, "6lowpan.udp.checksum");
        out->has_udp = true;
    }
    if (!ek_rd_ok(rd)) /* the bits left in the last octet read are padding */
        return ek_rd_finish(rd, err);
    out->payload_offset = ek_rd_offset(rd);
    out->payload = ek_rd_rest(rd);
    size_t hdr_extra = out->has_udp ? 8 : 0;
    if (out->frag.present) { /* FRAG1: the datagram size (>= 40, checked by the caller) */
        ip->payload_len = (uint16_t)(out->frag.size - EK_IPV6_HDR_LEN);
    } else {
        if (out->payload.len + hdr_extra > 0xFFFF) /* RFC 8200 §3: 16-bit Payload Length */
            return fail_rd(rd, err, EK_ERR_MALFORMED, "ipv6.plen", out->payload_offset);
        ip->payload_len = (uint16_t)(out->payload.len + hdr_extra);
    }
    if (out->has_udp && !udp_len_inline)
        out->udp.length = ip->payload_len; /* §10.3.2: from the IPv6 Payload Length */
    out->has_ipv6 = true;
    out->upper = out->payload;
    out->upper_offset = out->payload_offset;
    out->upper_nh = out->has_udp ? EK_IPV6_NH_UDP : ip->nh;
    if (!out->has_udp && is_ext(ip->nh)) /* RFC 8200 §4 */
        return walk_ext(out, ip->nh, err);
    return ek_rd_finish(rd, err);
}

static ek_status ipv6_decode(ek_rd *rd, ek_lowpan_pkt *out, ek_err *err)
{
    uint32_t w = 0;
    size_t at = ek_rd_offset(rd);
    ek_ipv6_hdr *ip = &out->ip;
    ek_rd_be32(rd, "ipv6.version", &w); /* RFC 8200 §3: Version(4) TC(8) Flow(20) */
    ek_rd_be16(rd, "ipv6.plen", &ip->payload_len);
    ek_rd_u8(rd, "ipv6.nxt", &ip->nh);
    ek_rd_u8(rd, "ipv6.hlim", &ip->hlim);
    ek_rd_bytes(rd, 16, "ipv6.src", ip->src);
    ek_rd_bytes(rd, 16, "ipv6.dst", ip->dst);
    if (!ek_rd_ok(rd))
        return ek_rd_finish(rd, err);
    if (w >> 28 != 6)
        return fail_rd(rd, err, EK_ERR_MALFORMED, "ipv6.version", at);
    ip->tc = (uint8_t)(w >> 20);
    ip->flow = w & 0xFFFFF;
    out->payload_offset = ek_rd_offset(rd);
    if (!out->frag.present) {
        if (!ek_rd_view(rd, ip->payload_len, "ipv6.plen", &out->payload))
            return ek_rd_finish(rd, err);
    } else {
        out->payload = ek_rd_rest(rd);
    }
    out->has_ipv6 = true;
    out->upper = out->payload;
    out->upper_offset = out->payload_offset;
    out->upper_nh = ip->nh;
    if (is_ext(ip->nh)) /* RFC 8200 §4 */
        return walk_ext(out, ip->nh, err);
    return ek_rd_finish(rd, err);
}

ek_status ek_lowpan_decode(ek_view mac_payload, size_t origin, const ek_lladdr *ll_src,
                           const ek_lladdr *ll_dst, const ek_profile *prof, ek_lowpan_pkt *out,
                           ek_err *err)
{
    ek_rd rd;
    uint8_t d = 0;
    memset(out, 0, sizeof *out);
    ek_rd_init(&rd, mac_payload, origin);
    /* RFC 4944 §5: headers appear in the order mesh, broadcast, fragment, then payload. */
    for (;;) {
        size_t at = ek_rd_offset(&rd);
        if (!ek_rd_peek_u8(&rd, &d)) {
            ek_rd_u8(&rd, "6lowpan.dispatch", &d);
            return ek_rd_finish(&rd, err);
        }
        out->dispatch = ek_lowpan_classify(d);
        switch (out->dispatch) {
        case EK_LOWPAN_D_PAGE: /* RFC 8025 §3: page 0 is the RFC 4944 space itself */
            if (d != 0xF0) {
                out->payload_offset = at;
                out->payload = ek_rd_rest(&rd);
                return fail_rd(&rd, err, EK_ERR_UNSUPPORTED, "6lowpan.dispatch", at);
            }
            ek_rd_u8(&rd, "6lowpan.dispatch", &d);
            continue;
        case EK_LOWPAN_D_MESH: { /* RFC 4944 §5.2 */
            if (out->mesh.present || out->has_bc0 || out->frag.present)
                return fail_rd(&rd, err, EK_ERR_MALFORMED, "6lowpan.mesh", at);
            ek_rd_u8(&rd, "6lowpan.mesh.hops", &d);
            out->mesh.present = true;
            out->mesh.hops_left = d & 0x0F;
            ll_from_mesh(&rd, (d & 0x20) != 0, &out->mesh.orig, "6lowpan.mesh.orig");
            ll_from_mesh(&rd, (d & 0x10) != 0, &out->mesh.final, "6lowpan.mesh.final");
            if (!ek_rd_ok(&rd))
                return ek_rd_finish(&rd, err);
            continue;
        }
        case EK_LOWPAN_D_BC0: /* RFC 4944 §11.1: 0x50 | sequence */
            if (out->has_bc0 || out->frag.present)
                return fail_rd(&rd, err, EK_ERR_MALFORMED, "6lowpan.bc0", at);
            ek_rd_u8(&rd, "6lowpan.dispatch", &d);
            ek_rd_u8(&rd, "6lowpan.bcast.seqnum", &out->bc0_seq);
            out->has_bc0 = true;
            if (!ek_rd_ok(&rd))
                return ek_rd_finish(&rd, err);
            continue;
        case EK_LOWPAN_D_FRAG1:
        case EK_LOWPAN_D_FRAGN: { /* RFC 4944 §5.3 Fig. 9/10 */
            uint16_t w = 0;
            if (out->frag.present)
                return fail_rd(&rd, err, EK_ERR_MALFORMED, "6lowpan.frag", at);
            ek_rd_be16(&rd, "6lowpan.frag.size", &w);
            ek_rd_be16(&rd, "6lowpan.frag.tag", &out->frag.tag);
            out->frag.present = true;
            out->frag.first = out->dispatch == EK_LOWPAN_D_FRAG1;
            out->frag.size = w & 0x07FF;
            if (!out->frag.first) {
                ek_rd_u8(&rd, "6lowpan.frag.offset", &out->frag.offset);
                if (!ek_rd_ok(&rd))
                    return ek_rd_finish(&rd, err);
                /* No reassembly: the rest is a slice of the datagram. */
                out->payload_offset = ek_rd_offset(&rd);
                out->payload = ek_rd_rest(&rd);
                return ek_rd_finish(&rd, err);
            }
            if (!ek_rd_ok(&rd))
                return ek_rd_finish(&rd, err);
            if (out->frag.size < EK_IPV6_HDR_LEN)
                return fail_rd(&rd, err, EK_ERR_MALFORMED, "6lowpan.frag.size", at);
            continue;
        }
        case EK_LOWPAN_D_IPHC:
            out->compressed = true;
            return iphc_decode(&rd, ll_src, ll_dst, prof, out, err);
        case EK_LOWPAN_D_IPV6:
            ek_rd_u8(&rd, "6lowpan.dispatch", &d);
            return ipv6_decode(&rd, out, err);
        case EK_LOWPAN_D_HC1:
            ek_rd_u8(&rd, "6lowpan.dispatch", &d);
            return hc1_decode(&rd, ll_src, ll_dst, out, err);
        default: /* NALP, ESC, unassigned */
            out->payload_offset = at;
            out->payload = ek_rd_rest(&rd); /* the dispatch octet was only peeked */
            return fail_rd(&rd, err, EK_ERR_UNSUPPORTED, "6lowpan.dispatch", at);
        }
    }
}

/* ---- encode ---- */

ek_status ek_lowpan_frag_encode(const ek_lowpan_frag *f, ek_buf *out, ek_err *err)
{
    if (f->size > 0x7FF)
        return ek_err_set(err, EK_ERR_MALFORMED, "6lowpan.frag.size", out->len);
    ek_wr_be16(out, "6lowpan.frag.size", (uint16_t)((f->first ? 0xC000 : 0xE000) | f->size));
    ek_wr_be16(out, "6lowpan.frag.tag", f->tag);
    if (!f->first)
        ek_wr_u8(out, "6lowpan.frag.offset", f->offset);
    return ek_buf_finish(out, err);
}

static uint8_t udp_best_p(uint16_t s, uint16_t d)
{
    if ((s & 0xFFF0) == 0xF0B0 && (d & 0xFFF0) == 0xF0B0) return 3;
    if ((d & 0xFF00) == 0xF000) return 1;
    if ((s & 0xFF00) == 0xF000) return 2;
    return 0;
}

static int ctx_lookup_best(const uint8_t a[16], uint8_t m, const ek_lladdr *ll, const ek_profile *prof,
                           uint8_t *ctx_i, uint8_t *am)
{
    int best = 99;
    if (!prof)
        return best;
    for (uint8_t i = 0; i < EK_LOWPAN_CONTEXTS; i++) {
        if (!prof->ctx[i].valid)
            continue;
        for (uint8_t f = m ? 0 : 3;; f--) {
            if (addr_fits(a, m, 1, f, ll, &prof->ctx[i]) == AX_OK) {
                int n = addr_inline_len(m, 1, f); /* the CID octet is counted by the caller */
                if (n < best || (n == best && i < *ctx_i)) {
                    best = n;
                    *ctx_i = i;
                    *am = f;
                }
            }
            if (f == 0 || m)
                break;
        }
    }
    return best;
}

void ek_lowpan_iphc_best_form(const ek_ipv6_hdr *ip, ek_udp_hdr *udp, const ek_lladdr *ll_src,
                              const ek_lladdr *ll_dst, const ek_profile *prof, ek_iphc_form *f)
{
    memset(f, 0, sizeof *f);
    /* §3.2.1 TF: elide what is zero. */
    uint8_t dscp = ip->tc >> 2;
    f->tf = (ip->tc == 0 && ip->flow == 0) ? 3 : ip->flow == 0 ? 2 : dscp == 0 ? 1 : 0;
    f->nh = udp ? 1 : 0;
    if (udp)
        udp->p = udp_best_p(udp->src_port, udp->dst_port);
    f->hlim = ip->hlim == 1 ? 1 : ip->hlim == 64 ? 2 : ip->hlim == 255 ? 3 : 0;

    /* Source: stateless forms first, then contexts when strictly shorter. */
    uint8_t sam = 0, sci = 0, scam = 0;
    for (uint8_t a = 3; a > 0; a--)
        if (addr_fits(ip->src, 0, 0, a, ll_src, NULL) == AX_OK) { sam = a; break; }
    int sl = addr_inline_len(0, 0, sam);
    static const uint8_t zero[16] = { 0 };
    if (memcmp(ip->src, zero, 16) == 0) { /* SAC=1 SAM=00: :: */
        f->sac = 1; f->sam = 0;
    } else {
        int cl = ctx_lookup_best(ip->src, 0, ll_src, prof, &sci, &scam);
        if (cl + (sci ? 1 : 0) < sl) { f->sac = 1; f->sam = scam; f->sci = sci; }
        else f->sam = sam;
    }
    /* Destination */
    if (ip->dst[0] == 0xFF) {
        f->m = 1;
        uint8_t dam = 0;
        for (uint8_t a = 3; a > 0; a--)
            if (addr_fits(ip->dst, 1, 0, a, NULL, NULL) == AX_OK) { dam = a; break; }
        f->dam = dam;
        uint8_t dci = 0, dcam = 0;
        int cl = ctx_lookup_best(ip->dst, 1, NULL, prof, &dci, &dcam);
        if (cl + (dci ? 1 : 0) < addr_inline_len(1, 0, dam)) { f->dac = 1; f->dam = 0; f->dci = dci; }
    } else {
        uint8_t dam = 0, dci = 0, dcam = 0;
        for (uint8_t a = 3; a > 0; a--)
            if (addr_fits(ip->dst, 0, 0, a, ll_dst, NULL) == AX_OK) { dam = a; break; }
        int dl = addr_inline_len(0, 0, dam);
        int cl = ctx_lookup_best(ip->dst, 0, ll_dst, prof, &dci, &dcam);
        if (dcam != 0 && cl + (dci ? 1 : 0) < dl) { f->dac = 1; f->dam = dcam; f->dci = dci; }
        else f->dam = dam;
    }
    f->cid = (f->sac && f->sci) || (f->dac && f->dci);
    if (!f->sac || f->sam == 0) f->sci = 0;
    if (!f->dac) f->dci = 0;
    if (!f->cid) f->sci = f->dci = 0;
}

static ek_status iphc_encode(const ek_lowpan_pkt *in, const ek_lladdr *ll_src, const ek_lladdr *ll_dst,
                             const ek_profile *prof, ek_buf *out, ek_err *err)
{
    const ek_iphc_form *f = &in->iphc;
    const ek_ipv6_hdr *ip = &in->ip;
    size_t at = out->len;
    const ek_lladdr *ms = in->mesh.present ? &in->mesh.orig : ll_src;
    const ek_lladdr *md = in->mesh.present ? &in->mesh.final : ll_dst;
    if (f->tf > 3 || f->hlim > 3 || f->sam > 3 || f->dam > 3 || f->sci > 15 || f->dci > 15)
        return ek_err_set(err, EK_ERR_MALFORMED, "6lowpan.iphc.pattern", at);
    if (ip->flow > 0xFFFFF || (f->tf == 3 && (ip->tc || ip->flow)) || (f->tf == 2 && ip->flow) ||
        (f->tf == 1 && (ip->tc >> 2)))
        return ek_err_set(err, EK_ERR_MALFORMED, "6lowpan.iphc.tf", at);
    if (f->nh && !in->has_udp)
        return ek_err_set(err, EK_ERR_MALFORMED, "6lowpan.iphc.nh", at);
    static const uint8_t hl[4] = { 0, 1, 64, 255 };
    if (f->hlim && ip->hlim != hl[f->hlim])
        return ek_err_set(err, EK_ERR_MALFORMED, "6lowpan.iphc.hlim", at);
    if (!f->cid && (f->sci || f->dci))
        return ek_err_set(err, EK_ERR_MALFORMED, "6lowpan.iphc.cid", at + 1);
    switch (addr_fits(ip->src, 0, f->sac ? 1 : 0, f->sam, ms, ctx_at(prof, f->sci))) {
    case AX_OK: break;
    case AX_NO_CTX: return ek_err_set(err, EK_ERR_MALFORMED, "6lowpan.iphc.sci", at + 1);
    default: return ek_err_set(err, EK_ERR_MALFORMED, "6lowpan.iphc.sam", at + 1);
    }
    if ((!f->m && f->dac && f->dam == 0))
        return ek_err_set(err, EK_ERR_MALFORMED, "6lowpan.iphc.dam", at + 1);
    switch (addr_fits(ip->dst, f->m ? 1 : 0, f->dac ? 1 : 0, f->dam, md, ctx_at(prof, f->dci))) {
    case AX_OK: break;
    case AX_NO_CTX: return ek_err_set(err, EK_ERR_MALFORMED, "6lowpan.iphc.dci", at + 1);
    default: return ek_err_set(err, EK_ERR_MALFORMED, "6lowpan.iphc.dam", at + 1);
    }
    if (in->has_udp && f->nh && in->udp.p > 3)
        return ek_err_set(err, EK_ERR_MALFORMED, "6lowpan.nhc.udp.ports", at);
    if (in->has_udp && f->nh) {
        const ek_udp_hdr *u = &in->udp;
        bool ok = u->p == 0 || (u->p == 1 && (u->dst_port >> 8) == 0xF0) ||
                  (u->p == 2 && (u->src_port >> 8) == 0xF0) ||
                  (u->p == 3 && (u->src_port & 0xFFF0) == 0xF0B0 && (u->dst_port & 0xFFF0) == 0xF0B0);
        if (!ok)
            return ek_err_set(err, EK_ERR_MALFORMED, "6lowpan.nhc.udp.ports", at);
    }
    /* §3.1.1 base */
    ek_wr_u8(out, "6lowpan.iphc.pattern", (uint8_t)(0x60 | f->tf << 3 | (f->nh ? 4 : 0) | f->hlim));
    ek_wr_u8(out, "6lowpan.iphc.cid",
             (uint8_t)((f->cid ? 0x80 : 0) | (f->sac ? 0x40 : 0) | f->sam << 4 | (f->m ? 8 : 0) |
                       (f->dac ? 4 : 0) | f->dam));
    if (f->cid)
        ek_wr_u8(out, "6lowpan.iphc.sci", (uint8_t)(f->sci << 4 | f->dci));
    uint8_t ecn = ip->tc & 3, dscp = ip->tc >> 2;
    switch (f->tf) { /* §3.2.1 */
    case 0:
        ek_wr_u8(out, "6lowpan.iphc.tf", (uint8_t)(ecn << 6 | dscp));
        ek_wr_u8(out, "6lowpan.iphc.tf", (uint8_t)(ip->flow >> 16));
        ek_wr_be16(out, "6lowpan.iphc.tf", (uint16_t)ip->flow);
        break;
    case 1:
        ek_wr_u8(out, "6lowpan.iphc.tf", (uint8_t)(ecn << 6 | ip->flow >> 16));
        ek_wr_be16(out, "6lowpan.iphc.tf", (uint16_t)ip->flow);
        break;
    case 2:
        ek_wr_u8(out, "6lowpan.iphc.tf", (uint8_t)(ecn << 6 | dscp));
        break;
    default: break;
    }
    if (!f->nh)
        ek_wr_u8(out, "6lowpan.iphc.nh", ip->nh);
    if (f->hlim == 0)
        ek_wr_u8(out, "6lowpan.iphc.hlim", ip->hlim);
    uint8_t inl[16];
    addr_inline(ip->src, 0, f->sac ? 1 : 0, f->sam, inl);
    ek_wr_bytes(out, "6lowpan.src", inl, (size_t)addr_inline_len(0, f->sac ? 1 : 0, f->sam));
    addr_inline(ip->dst, f->m ? 1 : 0, f->dac ? 1 : 0, f->dam, inl);
    ek_wr_bytes(out, "6lowpan.dst", inl, (size_t)addr_inline_len(f->m ? 1 : 0, f->dac ? 1 : 0, f->dam));
    if (f->nh) { /* §4.3.3 */
        const ek_udp_hdr *u = &in->udp;
        ek_wr_u8(out, "6lowpan.nhc.pattern", (uint8_t)(0xF0 | (u->c ? 4 : 0) | u->p));
        switch (u->p) {
        case 0:
            ek_wr_be16(out, "6lowpan.udp.src", u->src_port);
            ek_wr_be16(out, "6lowpan.udp.dst", u->dst_port);
            break;
        case 1:
            ek_wr_be16(out, "6lowpan.udp.src", u->src_port);
            ek_wr_u8(out, "6lowpan.udp.dst", (uint8_t)u->dst_port);
            break;
        case 2:
            ek_wr_u8(out, "6lowpan.udp.src", (uint8_t)u->src_port);
            ek_wr_be16(out, "6lowpan.udp.dst", u->dst_port);
            break;
        default:
            ek_wr_u8(out, "6lowpan.nhc.udp.ports", (uint8_t)((u->src_port & 0xF) << 4 | (u->dst_port & 0xF)));
            break;
        }
        if (!u->c)
            ek_wr_be16(out, "6lowpan.nhc.udp.checksum", u->checksum);
    }
    return ek_buf_finish(out, err);
}

ek_status ek_lowpan_encode(const ek_lowpan_pkt *in, const ek_lladdr *ll_src, const ek_lladdr *ll_dst,
                           const ek_profile *prof, ek_buf *out, ek_err *err)
{
    ek_status st;
    if (in->mesh.present) { /* RFC 4944 §5.2 */
        const ek_lladdr *o = &in->mesh.orig, *fi = &in->mesh.final;
        if (in->mesh.hops_left > 15)
            return ek_err_set(err, EK_ERR_MALFORMED, "6lowpan.mesh.hops", out->len);
        ek_wr_u8(out, "6lowpan.mesh.hops", (uint8_t)(0x80 | (o->mode == EK_WPAN_AM_SHORT ? 0x20 : 0) |
                                                     (fi->mode == EK_WPAN_AM_SHORT ? 0x10 : 0) |
                                                     in->mesh.hops_left));
        const ek_lladdr *a[2] = { o, fi };
        for (int i = 0; i < 2; i++) {
            if (a[i]->mode == EK_WPAN_AM_SHORT)
                ek_wr_be16(out, "6lowpan.mesh.addr", a[i]->short_addr);
            else
                ek_wr_bytes(out, "6lowpan.mesh.addr", a[i]->ext, 8);
        }
    }
    if (in->has_bc0) { /* RFC 4944 §11.1 */
        ek_wr_u8(out, "6lowpan.dispatch", EK_LOWPAN_DISPATCH_BC0);
        ek_wr_u8(out, "6lowpan.bcast.seqnum", in->bc0_seq);
    }
    if (in->frag.present) {
        if ((st = ek_lowpan_frag_encode(&in->frag, out, err)) != EK_OK && st != EK_ERR_NOSPACE)
            return st;
        if (!in->frag.first) { /* FRAGN: a slice of the datagram follows */
            ek_wr_view(out, "6lowpan.payload", in->payload);
            return ek_buf_finish(out, err);
        }
    }
    if (in->compressed) {
        if ((st = iphc_encode(in, ll_src, ll_dst, prof, out, err)) != EK_OK && st != EK_ERR_NOSPACE)
            return st;
    } else { /* RFC 4944 §5.1 0x41 + RFC 8200 §3 header */
        const ek_ipv6_hdr *ip = &in->ip;
        if (ip->flow > 0xFFFFF)
            return ek_err_set(err, EK_ERR_MALFORMED, "ipv6.flow", out->len);
        if (in->frag.present && in->frag.size < EK_IPV6_HDR_LEN) /* plen = size - 40 */
            return ek_err_set(err, EK_ERR_MALFORMED, "6lowpan.frag.size", out->len);
        if (!in->frag.present && in->payload.len > 0xFFFF)
            return ek_err_set(err, EK_ERR_MALFORMED, "ipv6.plen", out->len);
        uint16_t plen = in->frag.present ? (uint16_t)(in->frag.size - EK_IPV6_HDR_LEN)
                                         : (uint16_t)in->payload.len;
        ek_wr_u8(out, "6lowpan.dispatch", EK_LOWPAN_DISPATCH_IPV6);
        ek_wr_be32(out, "ipv6.version", 6u << 28 | (uint32_t)ip->tc << 20 | ip->flow);
        ek_wr_be16(out, "ipv6.plen", plen);
        ek_wr_u8(out, "ipv6.nxt", ip->nh);
        ek_wr_u8(out, "ipv6.hlim", ip->hlim);
        ek_wr_bytes(out, "ipv6.src", ip->src, 16);
        ek_wr_bytes(out, "ipv6.dst", ip->dst, 16);
    }
    ek_wr_view(out, "6lowpan.payload", in->payload);
    return ek_buf_finish(out, err);
}

size_t ek_lowpan_encoded_len(const ek_lowpan_pkt *in, const ek_lladdr *ll_src, const ek_lladdr *ll_dst,
                             const ek_profile *prof)
{
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, NULL, 0);
    ek_status st = ek_lowpan_encode(in, ll_src, ll_dst, prof, &b, &e);
    (void)st; /* NOSPACE expected: b.len counts what would have been written */
    return b.len;
}

ek_status ek_lowpan_encode_max(const ek_ipv6_hdr *ip, const ek_udp_hdr *udp, ek_view payload,
                               const ek_lladdr *ll_src, const ek_lladdr *ll_dst, const ek_profile *prof,
                               ek_buf *out, ek_err *err)
{
    ek_lowpan_pkt p;
    memset(&p, 0, sizeof p);
    p.dispatch = EK_LOWPAN_D_IPHC;
    p.compressed = p.has_ipv6 = true;
    p.ip = *ip;
    if (udp) {
        p.has_udp = true;
        p.udp = *udp;
        p.ip.nh = EK_IPV6_NH_UDP;
    }
    p.payload = payload;
    ek_lowpan_iphc_best_form(&p.ip, udp ? &p.udp : NULL, ll_src, ll_dst, prof, &p.iphc);
    return ek_lowpan_encode(&p, ll_src, ll_dst, prof, out, err);
}
