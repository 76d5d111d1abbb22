/* SPDX-License-Identifier: BSD-3-Clause */
/* Frame builders for the harness and the reference node: DIO (RFC 6550 §6.3.1), DIS
 * (§6.2) and the RFC 8180 §6.1 Enhanced Beacon with the RFC 9032 Join-Info IE, all
 * written by the codec's encoders layer by layer (MAC -> 6LoWPAN -> ICMPv6 -> RPL). */
#include "ek/build.h"

#include <string.h>

#include "ek/consts.h"
#include "ek/icmp6.h"
#include "ek/ie.h"
#include "ek/lladdr.h"
#include "ek/lowpan.h"
#include "ek/wpan.h"
#include "ek/wr.h"

/* RFC 6550 §20.19 / IANA: ff02::1a, all-RPL-nodes. */
static const uint8_t ALL_RPL_NODES[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x1a };

/* Room for the RPL body / ICMPv6 message / 6LoWPAN payload before the MAC wraps it.
 * An MPDU is at most 125 octets, so no layer can legitimately exceed that. */
#define LAYER_MAX 256

void ek_build_ll_addr(const uint8_t ext[8], uint8_t out[16])
{
    /* RFC 4291 §2.5.6 link-local prefix fe80::/64; IID per RFC 4944 §6 (U/L flipped). */
    memset(out, 0, 16);
    out[0] = 0xfe;
    out[1] = 0x80;
    memcpy(out + 8, ext, 8);
    out[8] ^= 0x02;
}

static ek_lladdr ll_ext(const uint8_t e[8])
{
    ek_lladdr a;
    memset(&a, 0, sizeof a);
    a.mode = EK_WPAN_AM_EXT;
    memcpy(a.ext, e, 8);
    return a;
}

static ek_lladdr ll_bcast(void)
{
    ek_lladdr a;
    memset(&a, 0, sizeof a);
    a.mode = EK_WPAN_AM_SHORT;
    a.short_addr = 0xffff;
    return a;
}

/* IEEE 802.15.4-2015 §7.2.1 frame version 2, dst short 0xffff + src extended with PAN ID
 * compression: Table 7-2 then carries only the Destination PAN ID (= our PAN). */
static void mac_init(ek_wpan_frame *f, const ek_build_node *node, uint8_t frame_type)
{
    ek_wpan_frame_init(f);
    f->frame_type = frame_type;
    f->version = EK_WPAN_VER_2015;
    f->seq = node->seq;
    f->dst = ll_bcast();
    f->src = ll_ext(node->ext);
    if (node->use_short) {
        f->src.mode = EK_WPAN_AM_SHORT;
        f->src.short_addr = node->short_addr;
    }
    f->dst_pan = node->pan_id;
    f->src_pan = node->pan_id;
    f->pan_id_compression = true;
    ek_ie_list_init(&f->ies);
}

static ek_status finish_mac(const ek_wpan_frame *f, const ek_profile *prof, uint8_t *out, size_t cap,
                            size_t *len, ek_err *err)
{
    ek_buf b;
    ek_buf_init(&b, out, cap);
    ek_status st = ek_wpan_encode(f, prof, &b, err);
    if (st != EK_OK)
        return st;
    if (b.len > EK_BUILD_MPDU_MAX)
        return ek_err_set(err, EK_ERR_NOSPACE, "wpan.frame_length", EK_BUILD_MPDU_MAX);
    *len = b.len;
    return EK_OK;
}

/* An RPL control message from node: to ff02::1a and the broadcast MAC address, or
 * (to != NULL) to that neighbour's link-local address and EUI-64.  RPL body (bytes after
 * the ICMPv6 header) -> ICMPv6 (RFC 4443 §2.1, checksum over the RFC 8200 §8.1
 * pseudo-header and the FINAL body bytes, raw options included) -> 6LoWPAN IPHC with
 * maximal compression (RFC 6282 §3.1.1: a link-local address derivable from the MAC
 * address is elided, else carried inline; ff02::1a as M=1 DAM=11; hop limit 255 as
 * HLIM=11) -> 2015 data frame. */
static ek_status rpl_frame(const ek_build_node *node, const uint8_t *to, uint8_t code, const uint8_t *body,
                           size_t bn, const ek_profile *prof, uint8_t *out, size_t cap, size_t *len, ek_err *err)
{
    uint8_t icmp[LAYER_MAX], lp[LAYER_MAX];
    ek_ipv6_hdr ip;
    memset(&ip, 0, sizeof ip);
    ip.nh = EK_IPV6_NH_ICMP6;
    ip.hlim = 255; /* RFC 6550 §6: link-local RPL control messages */
    ek_build_ll_addr(node->ext, ip.src);
    if (to)
        ek_build_ll_addr(to, ip.dst);
    else
        memcpy(ip.dst, ALL_RPL_NODES, 16);

    ek_icmp6 ic;
    memset(&ic, 0, sizeof ic);
    ic.type = EK_ICMP6_TYPE_RPL;
    ic.code = code;
    ic.body = ek_view_make(body, bn);
    ek_buf b;
    ek_buf_init(&b, icmp, sizeof icmp);
    ek_status st = ek_icmp6_encode(&ic, ip.src, ip.dst, &b, err);
    if (st != EK_OK)
        return st;
    size_t in = b.len;
    ip.payload_len = (uint16_t)in;

    ek_wpan_frame f;
    mac_init(&f, node, EK_WPAN_FT_DATA);
    if (to) {
        f.dst = ll_ext(to);
        f.ack_request = true;
    }
    ek_buf_init(&b, lp, sizeof lp);
    st = ek_lowpan_encode_max(&ip, NULL, ek_view_make(icmp, in), &f.src, &f.dst, prof, &b, err);
    if (st != EK_OK)
        return st;
    f.payload = ek_view_make(lp, b.len);
    return finish_mac(&f, prof, out, cap, len, err);
}

void ek_build_dio_init(ek_build_dio *d)
{
    memset(d, 0, sizeof *d);
    d->base.instance = 0x1e;
    d->base.version = 240; /* RFC 6550 §7.2: lollipop start 256 - SEQUENCE_WINDOW */
    d->base.rank = 256;
    d->base.g = true;
    d->base.mop = 2;
    d->base.dtsn = 240;
    d->base.dodagid[0] = 0xfd;
    d->base.dodagid[15] = 0x01; /* fd00::1 */
    d->has_conf = true;
    /* RFC 6550 §17 defaults (PCS 0, Imin 2^3 ms, 20 doublings, k 10, MinHopRankIncrease
     * 256); OCP 0 = OF0 (RFC 6552 §6). */
    d->conf.dio_int_doublings = 20;
    d->conf.dio_int_min = 3;
    d->conf.dio_redundancy = 10;
    d->conf.max_rank_inc = 7 * 256; /* §17 has no default; 7 hops, as Contiki-NG and RIOT use */
    d->conf.min_hop_rank_inc = 256;
    d->conf.ocp = 0;
    d->conf.def_lifetime = 0xff;   /* §6.7.6: infinity */
    d->conf.lifetime_unit = 0xffff;
    d->extra_pos = EK_BUILD_OPT_LAST;
}

static ek_status raw_opts(const ek_build_dio *d, ek_buf *b)
{
    /* RFC 6550 §6.7.1 framing Type | Length | data, written verbatim: Length is what the
     * caller declared, which may contradict data_len on purpose (TP-EP-14). */
    for (unsigned i = 0; i < d->n_extra && i < EK_BUILD_MAX_EXTRA_OPTS; i++) {
        const ek_build_raw_opt *r = &d->extra[i];
        size_t dl = r->data_len <= EK_BUILD_RAW_OPT_MAX ? r->data_len : EK_BUILD_RAW_OPT_MAX;
        ek_wr_u8(b, "icmpv6.rpl.opt.type", r->type);
        if (r->type == EK_RPL_OPT_PAD1 && r->length == 0 && dl == 0)
            continue; /* §6.7.2: Pad1 has no Length octet */
        ek_wr_u8(b, "icmpv6.rpl.opt.length", r->length);
        ek_wr_bytes(b, "icmpv6.rpl.opt.data", r->data, dl);
    }
    return b->err.code;
}

ek_status ek_build_dio_frame(const ek_build_node *node, const ek_build_dio *d, const ek_profile *prof,
                             uint8_t *out, size_t cap, size_t *len, ek_err *err)
{
    ek_err_clear(err);
    ek_profile dp;
    if (!prof) {
        ek_profile_default(&dp);
        prof = &dp;
    }
    /* RFC 6550 §6.3.1 base object, then the structured options in this order:
     * DODAG Configuration (§6.7.6), enrollment option, PIO (§6.7.10). */
    static const ek_rpl_msg zero_msg;
    ek_rpl_msg m = zero_msg;
    m.code = EK_RPL_CODE_DIO;
    m.base.dio = d->base;
    if (d->has_conf) {
        ek_rpl_opt *o = &m.opts[m.n_opts++];
        o->kind = EK_RPL_OPTK_DODAG_CONF;
        o->type = EK_RPL_OPT_DODAG_CONF;
        o->u.conf = d->conf;
    }
    if (d->has_mep) {
        ek_rpl_opt *o = &m.opts[m.n_opts++];
        o->kind = EK_RPL_OPTK_MEP;
        o->type = prof->mep_type;
        o->u.mep = d->mep;
        o->u.mep.profile = prof->mep;
        o->u.mep.type = prof->mep_type;
    }
    if (d->has_pio) {
        ek_rpl_opt *o = &m.opts[m.n_opts++];
        o->kind = EK_RPL_OPTK_PREFIX_INFO;
        o->type = EK_RPL_OPT_PREFIX_INFO;
        o->u.pio = d->pio;
    }

    uint8_t body[LAYER_MAX];
    ek_buf b;
    ek_buf_init(&b, body, sizeof body);
    ek_status st;
    if (d->n_extra == 0 || d->extra_pos == EK_BUILD_OPT_LAST) {
        st = ek_rpl_encode(&m, prof, &b, err);
        if (st != EK_OK)
            return st;
        if (raw_opts(d, &b) != EK_OK)
            return ek_buf_finish(&b, err);
    } else {
        /* Base object alone, the raw options, then the encoded options: the encoder
         * writes base || opts, so the base length is its encoded length with no options. */
        unsigned n = m.n_opts;
        m.n_opts = 0;
        size_t base_len = ek_rpl_encoded_len(&m, prof);
        st = ek_rpl_encode(&m, prof, &b, err);
        if (st != EK_OK)
            return st;
        if (raw_opts(d, &b) != EK_OK)
            return ek_buf_finish(&b, err);
        size_t raw_end = b.len;
        m.n_opts = n;
        uint8_t tmp[LAYER_MAX];
        ek_buf t;
        ek_buf_init(&t, tmp, sizeof tmp);
        st = ek_rpl_encode(&m, prof, &t, err);
        if (st != EK_OK)
            return st;
        b.len = raw_end;
        ek_wr_bytes(&b, "icmpv6.rpl.opt", tmp + base_len, t.len - base_len);
        if (!ek_buf_ok(&b))
            return ek_buf_finish(&b, err);
    }
    return rpl_frame(node, NULL, EK_RPL_CODE_DIO, body, b.len, prof, out, cap, len, err);
}

ek_status ek_build_dis_frame(const ek_build_node *node, const ek_profile *prof, uint8_t *out, size_t cap,
                             size_t *len, ek_err *err)
{
    ek_err_clear(err);
    ek_profile dp;
    if (!prof) {
        ek_profile_default(&dp);
        prof = &dp;
    }
    /* RFC 6550 §6.2.1: Flags | Reserved, no options (a DIS to ff02::1a asks every
     * neighbour for a DIO, §8.3). */
    static const ek_rpl_msg zero_msg;
    ek_rpl_msg m = zero_msg;
    m.code = EK_RPL_CODE_DIS;
    uint8_t body[16];
    ek_buf b;
    ek_buf_init(&b, body, sizeof body);
    ek_status st = ek_rpl_encode(&m, prof, &b, err);
    if (st != EK_OK)
        return st;
    return rpl_frame(node, NULL, EK_RPL_CODE_DIS, body, b.len, prof, out, cap, len, err);
}

ek_status ek_build_dao_frame(const ek_build_node *node, const uint8_t parent[8], uint8_t instance,
                             uint8_t path_lifetime, const ek_profile *prof, uint8_t *out, size_t cap,
                             size_t *len, ek_err *err)
{
    ek_err_clear(err);
    ek_profile dp;
    if (!prof) {
        ek_profile_default(&dp);
        prof = &dp;
    }
    /* RFC 6550 §6.4.1 base (K = 1: a DAO-ACK is asked for), a Target option (§6.7.7)
     * with the node's own link-local address and a Transit Information option (§6.7.8,
     * storing mode: no parent address) */
    static const ek_rpl_msg zero_msg;
    ek_rpl_msg m = zero_msg;
    m.code = EK_RPL_CODE_DAO;
    m.base.dao.instance = instance;
    m.base.dao.k = true;
    m.base.dao.seq = node->seq;
    ek_rpl_opt *o = &m.opts[m.n_opts++];
    o->kind = EK_RPL_OPTK_TARGET;
    o->type = EK_RPL_OPT_TARGET;
    o->u.target.prefix_len = 128;
    o->u.target.prefix_bytes = 16;
    ek_build_ll_addr(node->ext, o->u.target.prefix);
    o = &m.opts[m.n_opts++];
    o->kind = EK_RPL_OPTK_TRANSIT;
    o->type = EK_RPL_OPT_TRANSIT;
    o->u.transit.path_seq = node->seq;
    o->u.transit.path_lifetime = path_lifetime;
    uint8_t body[64];
    ek_buf b;
    ek_buf_init(&b, body, sizeof body);
    ek_status st = ek_rpl_encode(&m, prof, &b, err);
    if (st != EK_OK)
        return st;
    return rpl_frame(node, parent, EK_RPL_CODE_DAO, body, b.len, prof, out, cap, len, err);
}

void ek_build_eb_init(ek_build_eb *e)
{
    memset(e, 0, sizeof *e);
}

/* RFC 8480 §3.2.1 6P message: Version 0 | T = Request(0) | R | Code CLEAR (5, §6.2.2),
 * SFID 0, SeqNum 0, then the CLEAR request's Metadata(16) (§3.3.8). */
static const uint8_t SIXP_CLEAR[] = { 0x00, 0x05, 0x00, 0x00, 0x00, 0x00 };
/* Content of the unknown IETF subtype 200: opaque (RFC 8137 §4: skipped by length). */
static const uint8_t UNKNOWN_200[] = { 0xde, 0xad, 0xbe, 0xef };

ek_status ek_build_eb_frame(const ek_build_node *node, const ek_build_eb *e, const ek_profile *prof,
                            uint8_t *out, size_t cap, size_t *len, ek_err *err)
{
    ek_err_clear(err);
    ek_profile dp;
    if (!prof) {
        ek_profile_default(&dp);
        prof = &dp;
    }
    /* IEEE 802.15.4-2015 §7.3.1.4 Enhanced Beacon: beacon frame type, version 2, IE
     * Present; no payload, so the IE encoder writes HT1 before the payload IEs and no PT
     * (§7.4.1). */
    static const ek_wpan_frame zero_frame;
    ek_wpan_frame f = zero_frame;
    mac_init(&f, node, EK_WPAN_FT_BEACON);
    ek_ie_list *l = &f.ies;

    /* RFC 8180 §6.1 EB content, one MLME payload IE (§7.4.3.1 group 0x1): */
    if (!ek_ie_add_payload(l, EK_IE_GROUP_MLME))
        return ek_err_set(err, EK_ERR_NOSPACE, "wpan.payload_ie", 0);
    /* §7.4.4.2 TSCH Synchronization: ASN(5) | Join Metric (RFC 8180 §6.1: DAGRank - 1) */
    ek_ie_sub *s = ek_ie_add_sub(l, false, EK_MLME_TSCH_SYNC);
    s->u.sync.asn = e->asn & 0xffffffffffull;
    s->u.sync.join_metric = e->join_metric;
    /* §7.4.4.4 TSCH Timeslot: template ID 0 only (RFC 8180 §4.5.2 default template) */
    s = ek_ie_add_sub(l, false, EK_MLME_TSCH_TIMESLOT);
    s->u.ts.id = 0;
    /* §7.4.4.31 Channel Hopping (long sub-IE): sequence ID 0 (RFC 8180 default) */
    s = ek_ie_add_sub(l, true, EK_MLME_CHANNEL_HOPPING);
    s->u.hop.seq_id = 0;
    /* §7.4.4.3 TSCH Slotframe and Link: RFC 8180 §4.1 Figure 1 minimal schedule, slotframe
     * handle 0 of 101 slots, one cell (slot 0, channel offset 0, TX|RX|Shared|Timekeeping). */
    s = ek_ie_add_sub(l, false, EK_MLME_TSCH_SLOTFRAME_LINK);
    s->u.sfl.n_sf = 1;
    s->u.sfl.sf[0].handle = 0;
    s->u.sfl.sf[0].size = 101;
    s->u.sfl.sf[0].n_links = 1;
    s->u.sfl.sf[0].links[0].timeslot = 0;
    s->u.sfl.sf[0].links[0].channel_offset = 0;
    s->u.sfl.sf[0].links[0].options = 0x0f;

    if (e->ji_before_6top) {
        /* RFC 8137 §4 IETF IE (group 0x5) subtype 1 = 6P (RFC 8480 §6.1) */
        ek_ie_payload *p = ek_ie_add_payload(l, EK_IE_GROUP_IETF);
        p->has_subtype = true;
        p->subtype = EK_IETF_SUBTYPE_6P;
        p->sub_content = ek_view_make(SIXP_CLEAR, sizeof SIXP_CLEAR);
    }
    unsigned ji_index = 0;
    if (e->has_ji) {
        /* RFC 8137 §4 IETF IE, subtype prof->ji_subtype (RFC 9032 §5: 2), content per
         * RFC 9032 §2 Fig. 1 in the prof->ji reading. */
        ji_index = l->n_pl;
        ek_ie_payload *p = ek_ie_add_payload(l, EK_IE_GROUP_IETF);
        p->has_subtype = true;
        p->subtype = prof->ji_subtype;
        p->has_ji = true;
        p->ji = e->ji;
    }
    if (e->ji_before_6top) {
        ek_ie_payload *p = ek_ie_add_payload(l, EK_IE_GROUP_IETF);
        p->has_subtype = true;
        p->subtype = 200;
        p->sub_content = ek_view_make(UNKNOWN_200, sizeof UNKNOWN_200);
    }

    ek_status st = finish_mac(&f, prof, out, cap, len, err);
    if (st != EK_OK || !e->has_ji || e->ji_len_delta == 0)
        return st;

    /* Deliberately wrong Join-Info IE length: find the IE's descriptor by decoding the
     * valid frame just built, then patch its Length (§7.4.3.1: LE16, len = b0-10). */
    static const ek_wpan_frame zero_dec;
    ek_wpan_frame d = zero_dec;
    ek_err de;
    if (ek_wpan_decode(ek_view_make(out, *len), 0, prof, &d, &de) != EK_OK || d.ies.n_pl <= ji_index)
        return ek_err_set(err, EK_ERR_MALFORMED, "wpan.payload_ie.length", 0);
    size_t at = d.ies.pl[ji_index].offset;
    unsigned desc = (unsigned)out[at] | (unsigned)out[at + 1] << 8;
    unsigned l11 = (desc & 0x7ffu) + (unsigned)(int)e->ji_len_delta;
    desc = (desc & ~0x7ffu) | (l11 & 0x7ffu);
    out[at] = (uint8_t)desc;
    out[at + 1] = (uint8_t)(desc >> 8);
    return EK_OK;
}
