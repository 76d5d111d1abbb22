/* SPDX-License-Identifier: BSD-3-Clause */
/* The benchmark/seed frame mix (see framegen.h).  MAC: IEEE 802.15.4-2015 §7.2 v2
 * frames, EB IEs per §7.4.4.2-4/§7.4.4.31 and RFC 9032 §2; network: RFC 6282 IPHC,
 * RFC 4443 ICMPv6, RFC 6550 §6 RPL.  Deterministic in i (a xorshift of i). */
#include <string.h>

#include "ek/consts.h"
#include "ek/enroll_ie.h"
#include "ek/fcs.h"
#include "ek/icmp6.h"
#include "ek/ie.h"
#include "ek/lowpan.h"
#include "ek/rpl.h"
#include "ek/wpan.h"
#include "framegen.h"

#define GEN_PAN 0xabcd

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33; /* splitmix64 finaliser: cheap, deterministic per frame index */
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ (x >> 33);
}

ek_gen_kind ek_gen_kind_of(uint64_t i)
{
    if (i % 100 == 99)
        return EK_GEN_BAD;
    switch (i % 20) {
    case 0: case 1: case 2: case 3: return EK_GEN_EB;
    case 4: case 5: case 6: case 7: case 8: return EK_GEN_DIO;
    case 9: case 10: return EK_GEN_DIS;
    case 11: case 12: case 13: return EK_GEN_DAO;
    default: return EK_GEN_DATA;
    }
}

const char *ek_gen_kind_name(ek_gen_kind k)
{
    static const char *const n[EK_GEN_KINDS] = { "eb", "dio", "dis", "dao", "data", "bad" };
    return k < EK_GEN_KINDS ? n[k] : "?";
}

static void node_addr(uint64_t node, ek_lladdr *a)
{
    static const uint8_t oui[3] = { 0x00, 0x12, 0x4b };
    a->mode = EK_WPAN_AM_EXT;
    a->short_addr = 0;
    memcpy(a->ext, oui, 3);
    a->ext[3] = 0x00;
    for (int k = 0; k < 4; k++)
        a->ext[4 + k] = (uint8_t)(node >> (8 * (3 - k)));
}

static void bcast_addr(ek_lladdr *a)
{
    memset(a, 0, sizeof *a);
    a->mode = EK_WPAN_AM_SHORT;
    a->short_addr = 0xffff;
}

static void ip_from(const uint8_t prefix8[8], const ek_lladdr *ll, uint8_t ip[16])
{
    memcpy(ip, prefix8, 8);
    (void)ek_lowpan_iid_from_ll(ll, ip + 8);
}

static const uint8_t LL_PREFIX[8] = { 0xfe, 0x80 };
static const uint8_t ULA_PREFIX[8] = { 0xfd, 0x00 };
static const uint8_t ALL_RPL[16] = { 0xff, 0x02, [15] = 0x1a };

/* MAC frame around `payload` (data) or an EB (payload empty, IEs set). */
static bool put_mac(ek_wpan_frame *f, const ek_profile *prof, ek_buf *b)
{
    ek_err e;
    return ek_wpan_encode(f, prof, b, &e) == EK_OK && ek_fcs16_append(b);
}

static size_t gen_eb(uint64_t i, uint64_t r, const ek_profile *prof, ek_buf *b)
{
    static ek_wpan_frame f; /* large (IE arrays): not on the stack, single-threaded use */
    ek_wpan_frame_init(&f);
    f.frame_type = EK_WPAN_FT_BEACON;
    f.seq = (uint8_t)i;
    f.seq_suppressed = (r & 1) != 0;
    f.pan_id_compression = true; /* Table 7-2: dst PAN only, as 6TiSCH EBs are sent */
    bcast_addr(&f.dst);
    node_addr(1 + (r >> 8) % 64, &f.src);
    f.dst_pan = GEN_PAN;
    ek_ie_list *l = &f.ies;
    ek_ie_list_init(l);
    ek_ie_add_payload(l, EK_IE_GROUP_MLME);
    ek_ie_sub *s = ek_ie_add_sub(l, false, EK_MLME_TSCH_SYNC);
    s->u.sync.asn = i * 101 + 7;          /* §7.4.4.2: 5-octet ASN */
    s->u.sync.join_metric = (uint8_t)(r >> 16);
    s = ek_ie_add_sub(l, false, EK_MLME_TSCH_TIMESLOT);
    s->u.ts.id = 0;                       /* default template (§7.4.4.4) */
    s = ek_ie_add_sub(l, true, EK_MLME_CHANNEL_HOPPING);
    s->u.hop.seq_id = 0;
    s = ek_ie_add_sub(l, false, EK_MLME_TSCH_SLOTFRAME_LINK);
    s->u.sfl.n_sf = 1;
    s->u.sfl.sf[0].handle = 0;
    s->u.sfl.sf[0].size = 101;
    s->u.sfl.sf[0].n_links = 1;
    s->u.sfl.sf[0].links[0].options = 0x0f; /* TX|RX|Shared|Timekeeping */
    /* RFC 9032 §2: vary P (IID present) and N (0/8/16 octets of network ID). */
    static const uint8_t netid[16] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
    ek_ie_payload *p = ek_ie_add_payload(l, EK_IE_GROUP_IETF);
    p->has_subtype = true;
    p->subtype = prof->ji_subtype;
    p->has_ji = true;
    p->ji.r = (r >> 20) & 1;
    p->ji.p = (r >> 21) & 1;
    p->ji.proxy_prio = (uint8_t)((r >> 24) % 0x80);
    p->ji.rank_prio = (uint16_t)((r >> 32) % (prof->ji == EK_JI_BYTE_ALIGNED ? 0x100 : 0x1000));
    p->ji.pan_prio = (uint8_t)(r >> 44);
    for (int k = 0; k < 8; k++)
        p->ji.jp_iid[k] = (uint8_t)(0x10 + k);
    static const size_t nlen[3] = { 0, 8, 16 };
    p->ji.network_id = ek_view_make(netid, nlen[(r >> 48) % 3]);
    return put_mac(&f, prof, b) ? b->len : 0;
}

/* Data frame carrying an already built 6LoWPAN payload. */
static size_t gen_data_mac(uint64_t i, uint64_t r, const ek_lladdr *src, const ek_lladdr *dst, ek_view pl,
                           const ek_profile *prof, ek_buf *b)
{
    static ek_wpan_frame f;
    ek_wpan_frame_init(&f);
    f.frame_type = EK_WPAN_FT_DATA;
    f.version = (r >> 5) & 1 ? EK_WPAN_VER_2015 : EK_WPAN_VER_2006;
    f.seq = (uint8_t)i;
    f.pan_id_compression = true;
    f.ack_request = dst->mode == EK_WPAN_AM_EXT;
    f.dst = *dst;
    f.src = *src;
    f.dst_pan = GEN_PAN;
    f.src_pan = GEN_PAN;
    f.payload = pl;
    return put_mac(&f, prof, b) ? b->len : 0;
}

/* IPHC(max) + ICMPv6(type 155) around an RPL message. */
static bool put_rpl(const ek_rpl_msg *m, const ek_ipv6_hdr *ip0, const ek_lladdr *src, const ek_lladdr *dst,
                    const ek_profile *prof, ek_buf *out)
{
    uint8_t rb[256], ib[300];
    ek_buf rpl, icmp;
    ek_err e;
    ek_buf_init(&rpl, rb, sizeof rb);
    if (ek_rpl_encode(m, prof, &rpl, &e) != EK_OK)
        return false;
    ek_icmp6 ic = { .type = EK_ICMP6_TYPE_RPL, .code = m->code, .body = ek_buf_view(&rpl) };
    ek_buf_init(&icmp, ib, sizeof ib);
    if (ek_icmp6_encode(&ic, ip0->src, ip0->dst, &icmp, &e) != EK_OK)
        return false;
    ek_ipv6_hdr ip = *ip0;
    ip.nh = EK_IPV6_NH_ICMP6;
    ip.payload_len = (uint16_t)icmp.len;
    return ek_lowpan_encode_max(&ip, NULL, ek_buf_view(&icmp), src, dst, prof, out, &e) == EK_OK;
}

static size_t gen_net(ek_gen_kind k, uint64_t i, uint64_t r, const ek_profile *prof, ek_buf *b)
{
    static ek_rpl_msg m;
    uint8_t lb[400];
    ek_buf lp;
    ek_buf_init(&lp, lb, sizeof lb);
    ek_lladdr src, dst;
    node_addr(1 + (r >> 8) % 64, &src);
    ek_ipv6_hdr ip;
    memset(&ip, 0, sizeof ip);
    ip.hlim = 255;
    ip_from(LL_PREFIX, &src, ip.src);
    memset(&m, 0, sizeof m);
    bool ok = true;
    switch (k) {
    case EK_GEN_DIO: {
        bcast_addr(&dst);
        memcpy(ip.dst, ALL_RPL, 16);
        m.code = EK_RPL_CODE_DIO;
        ek_rpl_dio *d = &m.base.dio;
        d->instance = 0x1e;
        d->version = (uint8_t)(i >> 10);
        d->rank = (uint16_t)(256 + ((r >> 12) % 8) * 256);
        d->g = true;
        d->mop = 2;
        d->dtsn = (uint8_t)(r >> 20);
        memcpy(d->dodagid, ULA_PREFIX, 8);
        d->dodagid[15] = 1;
        ek_rpl_opt *o = &m.opts[m.n_opts++];
        o->kind = EK_RPL_OPTK_DODAG_CONF; /* RFC 6550 §6.7.6, Contiki-NG defaults */
        o->type = EK_RPL_OPT_DODAG_CONF;
        o->u.conf.dio_int_doublings = 8;
        o->u.conf.dio_int_min = 12;
        o->u.conf.dio_redundancy = 10;
        o->u.conf.max_rank_inc = 1792;
        o->u.conf.min_hop_rank_inc = 256;
        o->u.conf.ocp = 1;
        o->u.conf.def_lifetime = 30;
        o->u.conf.lifetime_unit = 60;
        if (prof->mep_type) {
            o = &m.opts[m.n_opts++];
            o->kind = EK_RPL_OPTK_MEP;
            o->type = prof->mep_type;
            o->u.mep.profile = prof->mep;
            o->u.mep.version = (uint8_t)(r >> 28);
            o->u.mep.t = (r >> 27) & 1;
            o->u.mep.min_priority = (uint8_t)((r >> 36) % 0x80);
            o->u.mep.exp = (uint8_t)((r >> 44) % 4);
            o->u.mep.size_code = (uint16_t)((r >> 46) % 16);
        }
        if ((r >> 50) & 1) {
            o = &m.opts[m.n_opts++];
            o->kind = EK_RPL_OPTK_PREFIX_INFO; /* §6.7.10 */
            o->type = EK_RPL_OPT_PREFIX_INFO;
            o->u.pio.prefix_len = 64;
            o->u.pio.l = false;
            o->u.pio.a = true;
            o->u.pio.r = true;
            o->u.pio.valid_lifetime = o->u.pio.preferred_lifetime = 0xffffffffu;
            memcpy(o->u.pio.prefix, ULA_PREFIX, 8);
        }
        break;
    }
    case EK_GEN_DIS:
        bcast_addr(&dst);
        memcpy(ip.dst, ALL_RPL, 16);
        m.code = EK_RPL_CODE_DIS;
        break;
    case EK_GEN_DAO: {
        node_addr(1, &dst); /* towards the root's link-local address */
        ip_from(ULA_PREFIX, &src, ip.src);
        ip_from(LL_PREFIX, &dst, ip.dst);
        m.code = EK_RPL_CODE_DAO;
        m.base.dao.instance = 0x1e;
        m.base.dao.k = true;
        m.base.dao.seq = (uint8_t)i;
        ek_rpl_opt *o = &m.opts[m.n_opts++];
        o->kind = EK_RPL_OPTK_TARGET; /* §6.7.7 */
        o->type = EK_RPL_OPT_TARGET;
        o->u.target.prefix_len = 128;
        o->u.target.prefix_bytes = 16;
        memcpy(o->u.target.prefix, ip.src, 16);
        o = &m.opts[m.n_opts++];
        o->kind = EK_RPL_OPTK_TRANSIT; /* §6.7.8, storing mode */
        o->type = EK_RPL_OPT_TRANSIT;
        o->u.transit.path_seq = (uint8_t)(i >> 3);
        o->u.transit.path_lifetime = 30;
        break;
    }
    default: { /* UDP data, RFC 6282 §4.3 */
        node_addr(1 + (r >> 16) % 64, &dst);
        ip_from(ULA_PREFIX, &src, ip.src);
        ip_from(ULA_PREFIX, &dst, ip.dst);
        ip.nh = EK_IPV6_NH_UDP;
        ip.hlim = 64;
        static uint8_t data[64];
        size_t n = 8 + (r >> 24) % 48;
        for (size_t k = 0; k < n; k++)
            data[k] = (uint8_t)(i + k);
        ek_udp_hdr u = { .src_port = 0xf0b1, .dst_port = 0xf0b2 };
        u.length = (uint16_t)(8 + n);
        uint8_t msg[8 + 64] = { 0xf0, 0xb1, 0xf0, 0xb2, (uint8_t)(u.length >> 8), (uint8_t)u.length };
        memcpy(msg + 8, data, n); /* RFC 8200 §8.1: the UDP checksum is mandatory over IPv6 */
        u.checksum = ek_inet6_checksum(ip.src, ip.dst, EK_IPV6_NH_UDP, ek_view_make(msg, 8 + n), 6);
        ip.payload_len = u.length;
        ek_err e;
        ok = ek_lowpan_encode_max(&ip, &u, ek_view_make(data, n), &src, &dst, prof, &lp, &e) == EK_OK;
        return ok ? gen_data_mac(i, r, &src, &dst, ek_buf_view(&lp), prof, b) : 0;
    }
    }
    if (!put_rpl(&m, &ip, &src, &dst, prof, &lp))
        return 0;
    return gen_data_mac(i, r, &src, &dst, ek_buf_view(&lp), prof, b);
}

size_t ek_gen_frame(uint64_t i, const ek_profile *prof, uint8_t *buf, size_t cap)
{
    uint64_t r = mix(i + 1);
    ek_buf b;
    ek_buf_init(&b, buf, cap);
    ek_gen_kind k = ek_gen_kind_of(i);
    if (k == EK_GEN_EB)
        return gen_eb(i, r, prof, &b);
    if (k != EK_GEN_BAD)
        return gen_net(k, i, r, prof, &b);
    /* Malformed: build a DIO or EB, then break it one of three ways. */
    size_t n = (r & 1) ? gen_net(EK_GEN_DIO, i, r, prof, &b) : gen_eb(i, r, prof, &b);
    if (n < 12)
        return n;
    switch ((r >> 1) % 3) {
    case 0: /* bad FCS */
        buf[n - 1] ^= 0x5a;
        return n;
    case 1: { /* cut short, FCS recomputed so only the structure is wrong */
        size_t cut = n - 2 - (1 + (r >> 3) % 8);
        ek_buf_init(&b, buf, cap);
        b.len = cut;
        return ek_fcs16_append(&b) ? b.len : 0;
    }
    default: /* an inner length octet inflated (RPL option / IE content), FCS recomputed */
        buf[n - 2 - 4] = 0xff;
        ek_buf_init(&b, buf, cap);
        b.len = n - 2;
        return ek_fcs16_append(&b) ? b.len : 0;
    }
}
