/* SPDX-License-Identifier: BSD-3-Clause */
/* Whole-frame decode: FCS (IEEE 802.15.4-2015 §7.2.10) -> MAC and IEs (§7.2, §7.4) ->
 * 6LoWPAN (RFC 4944, RFC 6282) -> ICMPv6 (RFC 4443) -> RPL (RFC 6550 §6).  Each layer
 * decodes what the one below handed it; problems are collected, not fatal, wherever
 * the next layer can still be located. */
#include <string.h>

#include "ek/consts.h"
#include "ek/fcs.h"
#include "ek/frame.h"
#include "ek/rd.h"

static bool same_err(const ek_err *a, const ek_err *b)
{
    return a->code == b->code && a->offset == b->offset &&
           (a->field == b->field || (a->field && b->field && strcmp(a->field, b->field) == 0));
}

/* Appends e unless it is EK_OK or already recorded (a list-level error can be the
 * same problem as the element error it stopped at). */
static void add_err(ek_frame *f, const ek_err *e)
{
    if (e->code == EK_OK)
        return;
    for (unsigned i = 0; i < f->n_errors; i++)
        if (same_err(&f->errors[i], e))
            return;
    if (f->n_errors < EK_FRAME_MAX_ERRORS)
        f->errors[f->n_errors++] = *e;
    else
        f->errors_dropped++;
}

static void summarize_addr(const ek_lladdr *a, bool *has16, uint16_t *a16, bool *has64, uint8_t a64[8])
{
    if (a->mode == EK_WPAN_AM_SHORT) {
        *has16 = true;
        *a16 = a->short_addr;
    } else if (a->mode == EK_WPAN_AM_EXT) {
        *has64 = true;
        memcpy(a64, a->ext, 8);
    }
}

/* MAC header, IEs and their errors.  Returns false when the MAC payload cannot be
 * located (then nothing above the MAC is decoded). */
static bool decode_mac(ek_frame *f, ek_view mpdu, size_t missing, const ek_profile *prof)
{
    ek_frame_summary *s = &f->sum;
    ek_err e;
    ek_status st = ek_wpan_decode_captured(mpdu, missing, 0, prof, &f->mac, &e);
    if (st == EK_ERR_TRUNCATED || st == EK_ERR_MALFORMED) {
        add_err(f, &e);
        return false;
    }
    f->has_mac = true;
    const ek_wpan_frame *m = &f->mac;
    s->has_mac = true;
    s->frame_type = m->frame_type;
    s->frame_version = m->version;
    s->has_seq = !m->seq_suppressed;
    s->seq = m->seq;
    s->has_dst_pan = m->has_dst_pan;
    s->dst_pan = m->dst_pan;
    s->has_src_pan = m->has_src_pan;
    s->src_pan = m->src_pan;
    summarize_addr(&m->src, &s->has_src16, &s->src16, &s->has_src64, s->src64);
    summarize_addr(&m->dst, &s->has_dst16, &s->dst16, &s->has_dst64, s->dst64);
    s->secured = m->security;
    if (st != EK_OK) { /* UNSUPPORTED frame type/version: header fields are still valid */
        add_err(f, &e);
        return false;
    }

    /* IE errors stay on their elements (ek/ie.h); surface each one. */
    const ek_ie_list *l = &m->ies;
    add_err(f, &l->err);
    for (unsigned i = 0; i < l->n_hdr; i++)
        add_err(f, &l->hdr[i].err);
    for (unsigned i = 0; i < l->n_pl; i++)
        add_err(f, &l->pl[i].err);
    for (unsigned i = 0; i < l->n_sub; i++)
        add_err(f, &l->sub[i].err);
    if (l->hdr_dropped || l->pl_dropped || l->sub_dropped) {
        s->has_ies_dropped = true;
        s->hdr_ies_dropped = l->hdr_dropped > 0xFFFF ? 0xFFFF : (uint16_t)l->hdr_dropped;
        s->pl_ies_dropped = l->pl_dropped > 0xFFFF ? 0xFFFF : (uint16_t)l->pl_dropped;
        s->sub_ies_dropped = l->sub_dropped > 0xFFFF ? 0xFFFF : (uint16_t)l->sub_dropped;
    }

    const ek_ie_tsch_sync *sync = ek_ie_find_sync(l);
    if (sync) {
        s->has_asn = true;
        s->asn = sync->asn;
        s->join_metric = sync->join_metric;
    }
    const ek_enroll_ie *ji = ek_ie_find_ji(l);
    if (ji) {
        s->has_ji = true;
        s->ji_r = ji->r;
        s->ji_p = ji->p;
        s->ji_reserved = ji->reserved;
        s->network_id_len = (uint8_t)ji->network_id.len;
        s->proxy_priority = ji->proxy_prio;
        s->rank_priority = ji->rank_prio;
        s->pan_priority = ji->pan_prio;
        s->has_join_proxy_iid = ji->p;
        if (ji->p)
            memcpy(s->join_proxy_iid, ji->jp_iid, 8);
        s->network_id = ji->network_id;
    }
    return true;
}

static void decode_rpl(ek_frame *f, bool cut, const ek_profile *prof)
{
    ek_frame_summary *s = &f->sum;
    ek_err e;
    /* RFC 6550 §6.1: a secure RPL message ends in its MAC / signature; of a cut
     * message the last captured octets are not it, so nothing past the code is read. */
    if (cut && (f->icmp6.code & EK_RPL_CODE_SECURE))
        return;
    ek_status st = ek_rpl_decode(f->icmp6.body, f->icmp6.code, f->icmp6.body_offset, prof, &f->rpl, &e);
    if (st != EK_OK) {
        add_err(f, &e);
        return;
    }
    f->has_rpl = true;
    const ek_rpl_msg *r = &f->rpl;
    const bool dio = (r->code & (uint8_t)~EK_RPL_CODE_SECURE) == EK_RPL_CODE_DIO && !r->encrypted;
    for (unsigned i = 0; i < r->n_opts; i++) {
        const ek_rpl_opt *o = &r->opts[i];
        add_err(f, &o->err);
        /* The option is a DIO option (draft-ietf-roll-enrollment-priority-16 §3.1). */
        if (dio && o->kind == EK_RPL_OPTK_MEP && o->err.code == EK_OK && !s->has_mep) {
            const ek_minprio *m = &o->u.mep;
            s->has_mep = true;
            s->min_priority = m->min_priority;
            s->mep_type = m->type;
            s->mep_length = m->length;
            s->has_mep_r = m->profile == EK_MEP_DRAFT03 || m->profile == EK_MEP_DRAFT04;
            s->mep_r = m->r;
            s->has_mep_version = m->has_version;
            s->mep_version = m->version;
            s->mep_t = m->t;
            s->has_mep_size = m->has_size;
            s->mep_exp = m->exp;
            s->mep_size_code = m->size_code;
            s->mep_dodag_size = m->dodag_size;
        }
    }
    if (dio) {
        s->has_dio = true;
        s->instance_id = r->base.dio.instance;
        s->version = r->base.dio.version;
        s->rank = r->base.dio.rank;
        s->dtsn = r->base.dio.dtsn;
        memcpy(s->dodagid, r->base.dio.dodagid, 16);
    }
}

/* 6LoWPAN -> ICMPv6 -> RPL on a data frame's MAC payload. */
static void decode_network(ek_frame *f, size_t payload_missing, const ek_profile *prof)
{
    ek_frame_summary *s = &f->sum;
    const ek_wpan_frame *m = &f->mac;
    ek_err e;
    ek_status st = ek_lowpan_decode(m->payload, m->payload_offset, &m->src, &m->dst, prof, &f->net, &e);
    if (st != EK_OK)
        add_err(f, &e);
    if (st != EK_OK && st != EK_ERR_UNSUPPORTED)
        return;
    f->has_net = true;
    if (!f->net.has_ipv6)
        return;
    /* RFC 6282 §3.1.1, RFC 4944 §10.1: an elided Payload Length comes from the frame's length, which
     * for a cut capture is the length on the wire, not the captured one. */
    if (payload_missing && (f->net.compressed || f->net.hc1) && !f->net.frag.present) {
        size_t pl = (size_t)f->net.ip.payload_len + payload_missing;
        f->net.ip.payload_len = pl > 0xFFFF ? 0xFFFF : (uint16_t)pl;
    }
    memcpy(s->ip_src, f->net.ip.src, 16);
    memcpy(s->ip_dst, f->net.ip.dst, 16);
    /* RFC 6282 §3.1.2: without its context an address is known only in part; the
     * packet is still decoded, its checksum (pseudo-header) cannot be checked. */
    s->needs_ctx_src = f->net.needs_ctx_src;
    s->needs_ctx_dst = f->net.needs_ctx_dst;
    s->ctx_src = f->net.iphc.sci;
    s->ctx_dst = f->net.iphc.dci;
    bool addrs_known = !s->needs_ctx_src && !s->needs_ctx_dst;
    s->has_ipv6 = addrs_known;
    /* The ICMPv6 message follows the extension headers (RFC 8200 §4). */
    if (f->net.upper_nh != EK_IPV6_NH_ICMP6 || f->net.has_udp)
        return;
    /* A first fragment holds only part of the datagram: its checksum cannot be checked. */
    bool whole = !f->net.frag.present;
    /* Nor can a cut one's, nor one whose pseudo-header destination is a Routing
     * header's last address (RFC 8200 §8.1). */
    bool check = whole && !payload_missing && addrs_known && !f->net.ext_routing;
    st = ek_icmp6_decode(f->net.upper, f->net.upper_offset, check ? f->net.ip.src : NULL,
                         check ? f->net.ip.dst : NULL, &f->icmp6, &e);
    if (st != EK_OK) {
        add_err(f, &e);
        return;
    }
    f->has_icmp6 = true;
    s->has_icmp6 = true;
    s->icmp6_type = f->icmp6.type;
    s->icmp6_code = f->icmp6.code;
    s->icmp6_checksum_ok = f->icmp6.checksum_checked && f->icmp6.checksum_ok;
    s->icmp6_checksum_status = !f->icmp6.checksum_checked ? 2 : f->icmp6.checksum_ok ? 1 : 0;
    if (f->icmp6.type == EK_ICMP6_TYPE_RPL && whole)
        decode_rpl(f, payload_missing > 0, prof);
}

/* Only the small parts are cleared: layer structs are initialised by their decoders
 * and guarded by has_*, which keeps this cheap on the hot path. */
static void reset(ek_frame *out)
{
    memset(&out->sum, 0, sizeof out->sum);
    out->n_errors = 0;
    out->errors_dropped = 0;
    out->has_mac = out->has_net = out->has_icmp6 = out->has_rpl = false;
}

/* Octets an element's error offset may sit before the read that failed: a TLV
 * names its type / length / descriptor octets (at most 3: IEs have 2-octet descriptors,
 * RPL options 2-octet type | length), not the content it could not read. */
#define CUT_SLACK 3

/* True when e is what reading past the end of captured data gives: the read
 * needed octets beyond `captured`, its window ran to `captured`, or the problem
 * lies at or after it. */
static bool caused_by_cut(const ek_err *e, size_t captured)
{
    if (e->offset >= captured)
        return true;
    return e->code == EK_ERR_TRUNCATED &&
           (e->offset + e->need > captured || e->offset + e->have + CUT_SLACK >= captured);
}

static ek_status decode(ek_view mpdu, size_t missing, const ek_frame_fcs *known, const ek_profile *prof,
                        ek_frame *out)
{
    reset(out);
    if (known) {
        out->sum.has_fcs = true;
        out->sum.fcs = known->fcs;
        out->sum.fcs_ok = known->ok;
    }
    if (missing) {
        out->sum.truncated = true;
        out->sum.captured_len = mpdu.len;
        out->sum.original_len = (uint64_t)mpdu.len + missing;
    }
    /* The PSDU is the MPDU plus its FCS (§7.2.10: 2 octets; the 4-octet FCS of SUN
     * PHYs comes with aMaxPhyPacketSize 2047).  A longer one than the 2.4 GHz PHYs carry
     * is flagged, and decoded all the same. */
    uint64_t psdu = (uint64_t)mpdu.len + missing + EK_FCS16_LEN;
    if (psdu > EK_FRAME_MAX_PSDU) {
        out->sum.psdu_too_long = true;
        out->sum.psdu_len = psdu;
    }
    if (decode_mac(out, mpdu, missing, prof) && out->mac.frame_type == EK_WPAN_FT_DATA && !out->mac.encrypted &&
        out->mac.payload.len > 0)
        decode_network(out, missing - out->mac.mic_missing, prof);
    if (missing) { /* what the cut took away is not an error of the frame */
        unsigned k = 0;
        for (unsigned i = 0; i < out->n_errors; i++)
            if (!caused_by_cut(&out->errors[i], mpdu.len))
                out->errors[k++] = out->errors[i];
        out->n_errors = k;
    }
    return out->n_errors ? out->errors[0].code : EK_OK;
}

ek_status ek_frame_decode_mpdu(ek_view mpdu, const ek_frame_fcs *known, const ek_profile *prof, ek_frame *out)
{
    return decode(mpdu, 0, known, prof, out);
}

ek_status ek_frame_decode_captured(ek_view mpdu, size_t mpdu_len, const ek_frame_fcs *known, const ek_profile *prof,
                                   ek_frame *out)
{
    return decode(mpdu, mpdu_len > mpdu.len ? mpdu_len - mpdu.len : 0, known, prof, out);
}

ek_status ek_frame_decode(ek_view psdu, bool fcs_present, const ek_profile *prof, ek_frame *out)
{
    if (!fcs_present)
        return ek_frame_decode_mpdu(psdu, NULL, prof, out);
    if (psdu.len < EK_FCS16_LEN) {
        reset(out);
        ek_err e = { EK_ERR_TRUNCATED, "wpan.fcs", 0, EK_FCS16_LEN, psdu.len };
        add_err(out, &e);
        return EK_ERR_TRUNCATED;
    }
    ek_view mpdu = ek_view_make(psdu.p, psdu.len - EK_FCS16_LEN);
    ek_frame_fcs k = { 0, false };
    ek_rd rd; /* the FCS is sent least significant octet first (§7.2.10) */
    ek_rd_init(&rd, psdu, 0);
    (void)ek_rd_skip(&rd, mpdu.len, "wpan.mpdu");
    (void)ek_rd_le16(&rd, "wpan.fcs", &k.fcs);
    k.ok = ek_fcs16(mpdu) == k.fcs; /* one CRC pass over the MPDU */
    return ek_frame_decode_mpdu(mpdu, &k, prof, out);
}
