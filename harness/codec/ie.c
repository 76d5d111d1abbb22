/* SPDX-License-Identifier: BSD-3-Clause */
/* IEEE 802.15.4-2015 §7.4 IE lists: header IEs (§7.4.2), termination (§7.4.1,
 * Table 7-6), payload IEs (§7.4.3), MLME sub-IEs (§7.4.4) and the RFC 8137
 * IETF IE carrying RFC 9032 Join-Info.  A state machine over ek_rd child cursors. */
#include <stddef.h>
#include <string.h>

#include "ek/consts.h"
#include "ek/ie.h"
#include "ek/rd.h"

/* ---------- helpers ---------- */

/* A child cursor must be used up exactly: leftover octets contradict the length. */
static void expect_end(ek_rd *c, const char *field)
{
    if (ek_rd_ok(c) && ek_rd_left(c) != 0)
        ek_rd_fail(c, EK_ERR_MALFORMED, field);
}

/* Opens the content of an element whose descriptor starts at `at` (content at at + 2).
 * An overrun keeps what is there as the content, records TRUNCATED (need len, have
 * what is left) on the element itself and returns false: nothing after it can be
 * located, so the caller stops its list. */
static bool open_content(ek_rd *rd, size_t len, size_t at, const char *field, ek_view *content, ek_err *e,
                         ek_rd *c)
{
    size_t avail = ek_rd_left(rd);
    if (len > avail) {
        *content = ek_rd_rest(rd);
        (void)ek_err_set(e, EK_ERR_TRUNCATED, field, at + 2);
        e->need = len;
        e->have = avail;
        ek_rd_init(c, ek_view_make(NULL, 0), at + 2);
        return false;
    }
    ek_rd_sub(rd, len, field, c);
    *content = ek_view_make(c->p, c->len);
    return true;
}

/* ---------- MLME sub-IE content (§7.4.4) ---------- */

static void dec_sync(ek_rd *c, ek_ie_tsch_sync *s)
{
    /* §7.4.4.2: ASN(5 LE) | Join Metric(1) */
    ek_rd_le40(c, "wpan.tsch.asn", &s->asn);
    ek_rd_u8(c, "wpan.tsch.join_metric", &s->join_metric);
    expect_end(c, "wpan.mlme_sub_ie.len");
}

static uint32_t rd_le24(ek_rd *c, const char *f)
{
    uint8_t b[3];
    ek_rd_bytes(c, 3, f, b);
    return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16);
}

static void dec_timeslot(ek_rd *c, ek_ie_tsch_timeslot *t)
{
    /* §7.4.4.4 Fig. 7-60: id, then the template; length 25 (LE16 max_tx/length) or
     * 27 (LE24), as Wireshark picks from the remaining length. */
    size_t n = ek_rd_left(c);
    ek_rd_u8(c, "wpan.tsch.timeslot.id", &t->id);
    if (n <= 1)
        return;
    if (n != 25 && n != 27) {
        ek_rd_fail(c, EK_ERR_MALFORMED, "wpan.tsch.timeslot.length");
        return;
    }
    t->full = true;
    t->wide = n == 27;
    uint16_t *f[10] = { &t->cca_offset, &t->cca, &t->tx_offset, &t->rx_offset, &t->rx_ack_delay,
                        &t->tx_ack_delay, &t->rx_wait, &t->ack_wait, &t->rx_tx, &t->max_ack };
    for (int i = 0; i < 10; i++)
        ek_rd_le16(c, "wpan.tsch.timeslot", f[i]);
    if (t->wide) {
        t->max_tx = rd_le24(c, "wpan.tsch.timeslot.max_tx");
        t->length = rd_le24(c, "wpan.tsch.timeslot.length");
    } else {
        uint16_t a, b;
        ek_rd_le16(c, "wpan.tsch.timeslot.max_tx", &a);
        ek_rd_le16(c, "wpan.tsch.timeslot.length", &b);
        t->max_tx = a;
        t->length = b;
    }
}

static void dec_hop(ek_rd *c, ek_ie_chan_hop *h)
{
    /* §7.4.4.31: Hopping Sequence ID(1) | rest (page, #channels, ... ) kept raw */
    ek_rd_u8(c, "wpan.tsch.hopping_sequence_id", &h->seq_id);
    h->rest = ek_rd_rest(c);
}

static void dec_sflink(ek_rd *c, ek_ie_sflink *s)
{
    /* §7.4.4.3 Fig. 7-58/59: #sf | per sf: handle size(LE16) #links | per link: slot(LE16) choff(LE16) opts */
    uint8_t n_sf = 0;
    ek_rd_u8(c, "wpan.tsch.slotframe_num", &n_sf);
    for (unsigned i = 0; i < n_sf && ek_rd_ok(c); i++) {
        ek_ie_slotframe tmp, *sf = s->n_sf < EK_IE_MAX_SLOTFRAMES ? &s->sf[s->n_sf] : &tmp;
        uint8_t nl = 0;
        memset(sf, 0, sizeof *sf);
        ek_rd_u8(c, "wpan.tsch.slotframe_handle", &sf->handle);
        ek_rd_le16(c, "wpan.tsch.slotframe_size", &sf->size);
        ek_rd_u8(c, "wpan.tsch.nb_links", &nl);
        for (unsigned j = 0; j < nl && ek_rd_ok(c); j++) {
            ek_ie_link ltmp, *l = sf->n_links < EK_IE_MAX_LINKS ? &sf->links[sf->n_links] : &ltmp;
            ek_rd_le16(c, "wpan.tsch.link_timeslot", &l->timeslot);
            ek_rd_le16(c, "wpan.tsch.channel_offset", &l->channel_offset);
            ek_rd_u8(c, "wpan.tsch.link_options", &l->options);
            if (l == &ltmp)
                sf->links_dropped++;
            else
                sf->n_links++;
        }
        if (sf == &tmp)
            s->sf_dropped++;
        else
            s->n_sf++;
    }
    expect_end(c, "wpan.mlme_sub_ie.len");
}

static bool sub_known(bool is_long, uint8_t id)
{
    if (is_long)
        return id == EK_MLME_CHANNEL_HOPPING;
    return id == EK_MLME_TSCH_SYNC || id == EK_MLME_TSCH_TIMESLOT || id == EK_MLME_TSCH_SLOTFRAME_LINK;
}

static void dec_mlme(ek_rd *c, ek_ie_list *l, uint8_t parent)
{
    ek_ie_payload *pl = &l->pl[parent];
    pl->sub_first = l->n_sub;
    while (ek_rd_ok(c) && ek_rd_left(c) > 0) {
        size_t at = ek_rd_offset(c);
        uint16_t d;
        if (!ek_rd_le16(c, "wpan.mlme_sub_ie", &d))
            break;
        /* §7.4.4.1: b15 selects short (len 8, id 7) or long (len 11, id 4) */
        bool is_long = (d & 0x8000u) != 0;
        size_t len = is_long ? (d & 0x07FFu) : (d & 0x00FFu);
        uint8_t id = (uint8_t)(is_long ? ((d >> 11) & 0x0F) : ((d >> 8) & 0x7F));
        ek_ie_sub tmp, *s = l->n_sub < EK_IE_MAX_SUB ? &l->sub[l->n_sub] : &tmp;
        /* Hot path: the union (~280 octets, mostly slotframe arrays) is cleared only
         * for the member a known sub-IE decodes into; for others it is never read. */
        memset(s, 0, offsetof(ek_ie_sub, u));
        s->parent = parent;
        s->is_long = is_long;
        s->id = id;
        s->offset = at;
        ek_rd sc;
        bool whole = open_content(c, len, at, "wpan.mlme_sub_ie.len", &s->content, &s->err, &sc);
        if (whole && sub_known(is_long, id)) {
            if (is_long) {
                memset(&s->u.hop, 0, sizeof s->u.hop);
                dec_hop(&sc, &s->u.hop);
            } else if (id == EK_MLME_TSCH_SYNC) {
                memset(&s->u.sync, 0, sizeof s->u.sync);
                dec_sync(&sc, &s->u.sync);
            } else if (id == EK_MLME_TSCH_TIMESLOT) {
                memset(&s->u.ts, 0, sizeof s->u.ts);
                dec_timeslot(&sc, &s->u.ts);
            } else {
                memset(&s->u.sfl, 0, offsetof(ek_ie_sflink, sf)); /* slotframes: as filled */
                dec_sflink(&sc, &s->u.sfl);
            }
            s->decoded = ek_rd_ok(&sc);
            s->err = sc.err;
        }
        if (s == &tmp) {
            l->sub_dropped++;
            pl->sub_dropped++;
        } else {
            l->n_sub++;
            pl->n_sub++;
        }
        if (!whole)
            break;
    }
}

/* ---------- payload IE content ---------- */

static void dec_ietf(ek_rd *c, const ek_profile *prof, ek_ie_payload *p)
{
    /* RFC 8137 §4 Fig. 1: Subtype ID(1) | content to the IE's end (no inner length) */
    if (!ek_rd_u8(c, "wpan.ietf_ie.sub_id", &p->subtype)) {
        p->err = c->err;
        return;
    }
    p->has_subtype = true;
    size_t at = ek_rd_offset(c);
    p->sub_content = ek_rd_rest(c);
    uint8_t ji = prof ? prof->ji_subtype : EK_IETF_SUBTYPE_JOIN_INFO;
    if (p->subtype == ji) {
        ek_err e;
        ek_err_clear(&e);
        if (ek_enroll_ie_decode(p->sub_content, at, prof, &p->ji, &e) == EK_OK)
            p->has_ji = true;
        else
            p->err = e;
    }
}

/* MPX IE (group 0x3): the layout in ek/ie.h (IEEE 802.15.9 Transaction Control, as
 * Wireshark packet-ieee802154.c reads it; multi-octet fields little-endian like every
 * IEEE 802.15.4 field, §7.2). */
static void dec_mpx(ek_rd *c, ek_ie_payload *p)
{
    ek_ie_mpx *m = &p->mpx;
    uint8_t tc = 0;
    if (!ek_rd_u8(c, "wpan.mpx.transaction_control", &tc))
        return;
    p->has_mpx = true;
    m->transaction_control = tc;
    m->transfer_type = tc & 0x07;
    switch (m->transfer_type) {
    case EK_MPX_FULL:
        m->transaction_id = tc >> 3;
        m->has_multiplex_id = ek_rd_le16(c, "wpan.mpx.multiplex_id", &m->multiplex_id);
        break;
    case EK_MPX_FULL_COMPRESSED:
        m->has_multiplex_id = true;
        m->multiplex_id = tc >> 3;
        break;
    case EK_MPX_FRAGMENT:
    case EK_MPX_LAST_FRAGMENT:
        m->transaction_id = tc >> 3;
        m->has_fragment_number = ek_rd_u8(c, "wpan.mpx.fragment_number", &m->fragment_number);
        if (m->has_fragment_number && m->transfer_type == EK_MPX_FRAGMENT && m->fragment_number == 0) {
            m->has_total_size = ek_rd_le16(c, "wpan.mpx.total_frame_size", &m->total_size);
            m->has_multiplex_id = m->has_total_size && ek_rd_le16(c, "wpan.mpx.multiplex_id", &m->multiplex_id);
        }
        break;
    case EK_MPX_ABORT:
        m->transaction_id = tc >> 3;
        if (ek_rd_left(c) >= 2)
            m->has_total_size = ek_rd_le16(c, "wpan.mpx.total_frame_size", &m->total_size);
        break;
    default: /* reserved transfer type: the rest is not interpreted */
        m->transaction_id = tc >> 3;
        break;
    }
    if (ek_rd_ok(c))
        m->data = ek_rd_rest(c);
}

/* ---------- list decode ---------- */

ek_status ek_ie_decode(ek_view in, size_t origin, const ek_profile *prof, bool payload_opaque, ek_ie_list *out,
                       size_t *used, ek_err *err)
{
    ek_rd rd;
    ek_ie_list_clear(out);
    out->pl_opaque = payload_opaque;
    ek_rd_init(&rd, in, origin);
    bool in_payload = false;

    /* Header IEs (§7.4.2.1) until HT1 / HT2 / end */
    while (ek_rd_ok(&rd) && ek_rd_left(&rd) > 0) {
        size_t at = ek_rd_offset(&rd);
        uint16_t d;
        if (!ek_rd_le16(&rd, "wpan.header_ie", &d)) /* TRUNCATED, need 2 have 1 */
            break;
        if (d & 0x8000u) {
            /* A payload IE descriptor without HT1 (tshark: "Payload IE in header",
             * Malformed).  Flag it, rewind, and read the rest as payload IEs. */
            out->payload_ie_in_header = true;
            if (out->err.code == EK_OK)
                (void)ek_err_set(&out->err, EK_ERR_MALFORMED, "wpan.header_ie.type", at);
            rd.pos -= 2;
            in_payload = true;
            break;
        }
        size_t len = d & 0x7Fu;
        uint8_t id = (uint8_t)((d >> 7) & 0xFF);
        if (id == EK_HIE_HT1 || id == EK_HIE_HT2) {
            /* §7.4.2.18: terminators; skip a (non-standard) content */
            if (id == EK_HIE_HT1)
                out->ht1 = true;
            else
                out->ht2 = true;
            if (!ek_rd_skip(&rd, len, "wpan.header_ie.length"))
                break;
            in_payload = id == EK_HIE_HT1;
            break;
        }
        ek_ie_hdr tmp, *h = out->n_hdr < EK_IE_MAX_HDR ? &out->hdr[out->n_hdr] : &tmp;
        memset(h, 0, sizeof *h);
        h->id = id;
        h->offset = at;
        ek_rd c;
        bool whole = open_content(&rd, len, at, "wpan.header_ie.length", &h->content, &h->err, &c);
        if (!whole) {
            if (out->err.code == EK_OK)
                out->err = h->err;
        } else if (id == EK_HIE_ACK_TIME_CORR) {
            /* §7.4.2.7: b0-11 signed time correction (µs), b15 NACK */
            uint16_t v;
            ek_rd_le16(&c, "wpan.header_ie.time_sync", &v);
            expect_end(&c, "wpan.header_ie.length");
            if (ek_rd_ok(&c)) {
                h->has_time_corr = true;
                int16_t tc = (int16_t)(v & 0x0FFF);
                if (tc & 0x0800)
                    tc = (int16_t)(tc - 0x1000);
                h->time_corr_us = tc;
                h->nack = (v & 0x8000u) != 0;
            }
            h->err = c.err;
        }
        if (h == &tmp)
            out->hdr_dropped++;
        else
            out->n_hdr++;
        if (!whole)
            break;
    }

    /* Payload IEs (§7.4.3.1) until PT / end, unless ciphertext */
    if (in_payload && !payload_opaque) {
        while (ek_rd_ok(&rd) && ek_rd_left(&rd) > 0) {
            size_t at = ek_rd_offset(&rd);
            uint16_t d;
            if (!ek_rd_le16(&rd, "wpan.payload_ie", &d)) /* TRUNCATED, need 2 have 1 */
                break;
            if (!(d & 0x8000u)) {
                /* a header IE after HT1 contradicts §7.4.1 */
                ek_rd_fail_at(&rd, EK_ERR_MALFORMED, "wpan.payload_ie.type", at);
                break;
            }
            size_t len = d & 0x07FFu;
            uint8_t group = (uint8_t)((d >> 11) & 0x0F);
            if (group == EK_IE_GROUP_TERMINATION) {
                /* §7.4.3.3 PT: payload follows */
                out->pt = true;
                ek_rd_skip(&rd, len, "wpan.payload_ie.length");
                break;
            }
            ek_ie_payload tmp, *p = out->n_pl < EK_IE_MAX_PAYLOAD ? &out->pl[out->n_pl] : &tmp;
            uint8_t idx = out->n_pl < EK_IE_MAX_PAYLOAD ? out->n_pl : 0;
            memset(p, 0, sizeof *p);
            p->group = group;
            p->offset = at;
            ek_rd c;
            bool whole = open_content(&rd, len, at, "wpan.payload_ie.length", &p->content, &p->err, &c);
            if (!whole) {
                if (out->err.code == EK_OK)
                    out->err = p->err;
            } else {
                if (group == EK_IE_GROUP_MLME && p != &tmp)
                    dec_mlme(&c, out, idx);
                else if (group == EK_IE_GROUP_IETF)
                    dec_ietf(&c, prof, p);
                else if (group == EK_IE_GROUP_MPX)
                    dec_mpx(&c, p);
                if (!ek_rd_ok(&c) && p->err.code == EK_OK)
                    p->err = c.err;
            }
            if (p == &tmp)
                out->pl_dropped++;
            else
                out->n_pl++;
            if (!whole)
                break;
        }
    }
    if (!ek_rd_ok(&rd) && out->err.code == EK_OK)
        out->err = rd.err;
    *used = rd.pos;
    if (err)
        *err = out->err;
    return out->err.code;
}

/* ---------- encode ---------- */

static ek_status fail(const ek_buf *b, ek_err *err, const char *field)
{
    return ek_err_set(err, EK_ERR_MALFORMED, field, b->len);
}

static void wr_le24(ek_buf *b, const char *f, uint32_t v)
{
    uint8_t x[3] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16) };
    ek_wr_bytes(b, f, x, 3);
}

static size_t sflink_len(const ek_ie_sflink *s)
{
    size_t n = 1;
    for (unsigned i = 0; i < s->n_sf && i < EK_IE_MAX_SLOTFRAMES; i++)
        n += 4 + 5u * s->sf[i].n_links;
    return n;
}

/* Re-emit the received octets when the decoded form is incomplete (capacity overflow). */
static bool sub_raw(const ek_ie_sub *s)
{
    if (!s->decoded)
        return true;
    if (s->is_long || s->id != EK_MLME_TSCH_SLOTFRAME_LINK)
        return false;
    if (s->u.sfl.sf_dropped)
        return true;
    for (unsigned i = 0; i < s->u.sfl.n_sf && i < EK_IE_MAX_SLOTFRAMES; i++)
        if (s->u.sfl.sf[i].links_dropped)
            return true;
    return false;
}

static size_t sub_content_len(const ek_ie_sub *s)
{
    if (sub_raw(s))
        return s->content.len;
    if (s->is_long)
        return 1 + s->u.hop.rest.len;
    switch (s->id) {
    case EK_MLME_TSCH_SYNC:
        return 6;
    case EK_MLME_TSCH_TIMESLOT:
        return !s->u.ts.full ? 1 : s->u.ts.wide ? 27 : 25;
    default:
        return sflink_len(&s->u.sfl);
    }
}

static size_t pl_content_len(const ek_ie_list *l, const ek_ie_payload *p, const ek_profile *prof)
{
    if (p->group == EK_IE_GROUP_MLME) {
        size_t n = 0;
        for (unsigned i = p->sub_first; i < (unsigned)p->sub_first + p->n_sub && i < EK_IE_MAX_SUB; i++)
            n += 2 + sub_content_len(&l->sub[i]);
        return n;
    }
    if (p->group == EK_IE_GROUP_IETF && p->has_subtype)
        return 1 + (p->has_ji ? ek_enroll_ie_encoded_len(&p->ji, prof) : p->sub_content.len);
    return p->content.len;
}

static size_t hdr_content_len(const ek_ie_hdr *h)
{
    return h->has_time_corr ? 2 : h->content.len;
}

/* Which terminators the encoder writes (§7.4.1 Table 7-6). */
static void terminators(const ek_ie_list *l, bool has_payload, bool opaque, bool *ht1, bool *ht2, bool *pt)
{
    bool pies = (!opaque && l->n_pl > 0) || (opaque && l->ht1);
    *ht1 = pies || (l->ht1 && !has_payload && !l->ht2);
    *ht2 = !*ht1 && ((has_payload && l->n_hdr > 0) || l->ht2);
    *pt = !opaque && l->n_pl > 0 && (has_payload || l->pt);
}

bool ek_ie_any(const ek_ie_list *l, bool has_payload, bool opaque)
{
    bool a, b, c;
    terminators(l, has_payload, opaque, &a, &b, &c);
    return l->n_hdr > 0 || a || b || c || (!opaque && l->n_pl > 0);
}

size_t ek_ie_encoded_len(const ek_ie_list *l, bool has_payload, bool opaque, const ek_profile *prof)
{
    bool ht1, ht2, pt;
    size_t n = 0;
    terminators(l, has_payload, opaque, &ht1, &ht2, &pt);
    for (unsigned i = 0; i < l->n_hdr && i < EK_IE_MAX_HDR; i++)
        n += 2 + hdr_content_len(&l->hdr[i]);
    n += (ht1 || ht2) ? 2 : 0;
    if (!opaque)
        for (unsigned i = 0; i < l->n_pl && i < EK_IE_MAX_PAYLOAD; i++)
            n += 2 + pl_content_len(l, &l->pl[i], prof);
    return n + (pt ? 2 : 0);
}

static ek_status enc_sub(const ek_ie_sub *s, ek_buf *b, ek_err *err)
{
    size_t len = sub_content_len(s);
    if (s->is_long) {
        if (len > 0x7FF || s->id > 0x0F)
            return fail(b, err, "wpan.mlme_sub_ie.len");
        ek_wr_le16(b, "wpan.mlme_sub_ie", (uint16_t)(0x8000u | ((unsigned)s->id << 11) | len));
    } else {
        if (len > 0xFF || s->id > 0x7F)
            return fail(b, err, "wpan.mlme_sub_ie.len");
        ek_wr_le16(b, "wpan.mlme_sub_ie", (uint16_t)(((unsigned)s->id << 8) | len));
    }
    if (sub_raw(s)) {
        ek_wr_view(b, "wpan.mlme_sub_ie", s->content);
        return EK_OK;
    }
    if (s->is_long) {
        ek_wr_u8(b, "wpan.tsch.hopping_sequence_id", s->u.hop.seq_id);
        ek_wr_view(b, "wpan.ch_hop", s->u.hop.rest);
        return EK_OK;
    }
    if (s->id == EK_MLME_TSCH_SYNC) {
        if (s->u.sync.asn > 0xFFFFFFFFFFull)
            return fail(b, err, "wpan.tsch.asn");
        ek_wr_le40(b, "wpan.tsch.asn", s->u.sync.asn);
        ek_wr_u8(b, "wpan.tsch.join_metric", s->u.sync.join_metric);
    } else if (s->id == EK_MLME_TSCH_TIMESLOT) {
        const ek_ie_tsch_timeslot *t = &s->u.ts;
        ek_wr_u8(b, "wpan.tsch.timeslot.id", t->id);
        if (t->full) {
            const uint16_t f[10] = { t->cca_offset, t->cca, t->tx_offset, t->rx_offset, t->rx_ack_delay,
                                     t->tx_ack_delay, t->rx_wait, t->ack_wait, t->rx_tx, t->max_ack };
            for (int i = 0; i < 10; i++)
                ek_wr_le16(b, "wpan.tsch.timeslot", f[i]);
            if (t->wide) {
                if (t->max_tx > 0xFFFFFF || t->length > 0xFFFFFF)
                    return fail(b, err, "wpan.tsch.timeslot.length");
                wr_le24(b, "wpan.tsch.timeslot.max_tx", t->max_tx);
                wr_le24(b, "wpan.tsch.timeslot.length", t->length);
            } else {
                if (t->max_tx > 0xFFFF || t->length > 0xFFFF)
                    return fail(b, err, "wpan.tsch.timeslot.length");
                ek_wr_le16(b, "wpan.tsch.timeslot.max_tx", (uint16_t)t->max_tx);
                ek_wr_le16(b, "wpan.tsch.timeslot.length", (uint16_t)t->length);
            }
        }
    } else {
        const ek_ie_sflink *sl = &s->u.sfl;
        if (sl->n_sf > EK_IE_MAX_SLOTFRAMES)
            return fail(b, err, "wpan.tsch.slotframe_num");
        ek_wr_u8(b, "wpan.tsch.slotframe_num", sl->n_sf);
        for (unsigned i = 0; i < sl->n_sf; i++) {
            const ek_ie_slotframe *sf = &sl->sf[i];
            if (sf->n_links > EK_IE_MAX_LINKS)
                return fail(b, err, "wpan.tsch.nb_links");
            ek_wr_u8(b, "wpan.tsch.slotframe_handle", sf->handle);
            ek_wr_le16(b, "wpan.tsch.slotframe_size", sf->size);
            ek_wr_u8(b, "wpan.tsch.nb_links", sf->n_links);
            for (unsigned j = 0; j < sf->n_links; j++) {
                ek_wr_le16(b, "wpan.tsch.link_timeslot", sf->links[j].timeslot);
                ek_wr_le16(b, "wpan.tsch.channel_offset", sf->links[j].channel_offset);
                ek_wr_u8(b, "wpan.tsch.link_options", sf->links[j].options);
            }
        }
    }
    return EK_OK;
}

ek_status ek_ie_encode(const ek_ie_list *l, bool has_payload, bool opaque, const ek_profile *prof, ek_buf *b,
                       ek_err *err)
{
    bool ht1, ht2, pt;
    ek_status st;
    terminators(l, has_payload, opaque, &ht1, &ht2, &pt);
    if (l->n_hdr > EK_IE_MAX_HDR || l->n_pl > EK_IE_MAX_PAYLOAD || l->n_sub > EK_IE_MAX_SUB)
        return fail(b, err, "wpan.ie.count");
    for (unsigned i = 0; i < l->n_hdr; i++) {
        const ek_ie_hdr *h = &l->hdr[i];
        size_t len = hdr_content_len(h);
        /* §7.4.2.1: 7-bit length; terminators come from the flags, not the list */
        if (h->id == EK_HIE_HT1 || h->id == EK_HIE_HT2)
            return fail(b, err, "wpan.header_ie.id");
        if (len > 0x7F)
            return fail(b, err, "wpan.header_ie.length");
        ek_wr_le16(b, "wpan.header_ie", (uint16_t)(((unsigned)h->id << 7) | len));
        if (h->has_time_corr) {
            if (h->time_corr_us < -2048 || h->time_corr_us > 2047)
                return fail(b, err, "wpan.header_ie.time_sync");
            uint16_t v = (uint16_t)((uint16_t)h->time_corr_us & 0x0FFF) | (h->nack ? 0x8000u : 0);
            ek_wr_le16(b, "wpan.header_ie.time_sync", v);
        } else {
            ek_wr_view(b, "wpan.header_ie", h->content);
        }
    }
    if (ht1)
        ek_wr_le16(b, "wpan.header_ie", (uint16_t)(EK_HIE_HT1 << 7)); /* 00 3f */
    else if (ht2)
        ek_wr_le16(b, "wpan.header_ie", (uint16_t)(EK_HIE_HT2 << 7)); /* 80 3f */
    if (!opaque) {
        for (unsigned i = 0; i < l->n_pl; i++) {
            const ek_ie_payload *p = &l->pl[i];
            size_t len = pl_content_len(l, p, prof);
            if (p->group == EK_IE_GROUP_TERMINATION || p->group > 0x0F)
                return fail(b, err, "wpan.payload_ie.id");
            if (len > 0x7FF)
                return fail(b, err, "wpan.payload_ie.length");
            if (p->group == EK_IE_GROUP_MLME && (unsigned)p->sub_first + p->n_sub > l->n_sub)
                return fail(b, err, "wpan.mlme_sub_ie"); /* sub-IEs outside sub[0..n_sub) */
            if (p->group == EK_IE_GROUP_IETF && !p->has_subtype)
                return fail(b, err, "wpan.ietf_ie.sub_id"); /* RFC 8137 §4: subtype is mandatory */
            ek_wr_le16(b, "wpan.payload_ie", (uint16_t)(0x8000u | ((unsigned)p->group << 11) | len));
            if (p->group == EK_IE_GROUP_MLME) {
                for (unsigned k = p->sub_first; k < (unsigned)p->sub_first + p->n_sub; k++)
                    if ((st = enc_sub(&l->sub[k], b, err)) != EK_OK)
                        return st;
            } else if (p->group == EK_IE_GROUP_IETF) {
                ek_wr_u8(b, "wpan.ietf_ie.sub_id", p->subtype);
                if (p->has_ji) {
                    if ((st = ek_enroll_ie_encode(&p->ji, prof, b, err)) != EK_OK)
                        return st;
                } else {
                    ek_wr_view(b, "wpan.ietf_ie", p->sub_content);
                }
            } else {
                ek_wr_view(b, "wpan.payload_ie", p->content);
            }
        }
        if (pt)
            ek_wr_le16(b, "wpan.payload_ie", (uint16_t)(0x8000u | (EK_IE_GROUP_TERMINATION << 11))); /* 00 f8 */
    }
    return ek_buf_finish(b, err);
}

/* ---------- list helpers ---------- */

ek_status ek_ie_list_status(const ek_ie_list *l, ek_err *first)
{
    const ek_err *e = NULL;
    for (unsigned i = 0; !e && i < l->n_hdr; i++)
        if (l->hdr[i].err.code != EK_OK)
            e = &l->hdr[i].err;
    for (unsigned i = 0; !e && i < l->n_pl; i++)
        if (l->pl[i].err.code != EK_OK)
            e = &l->pl[i].err;
    for (unsigned i = 0; !e && i < l->n_sub; i++)
        if (l->sub[i].err.code != EK_OK)
            e = &l->sub[i].err;
    if (!e && l->err.code != EK_OK)
        e = &l->err;
    if (first) {
        if (e)
            *first = *e;
        else
            ek_err_clear(first);
    }
    return e ? e->code : EK_OK;
}

void ek_ie_list_init(ek_ie_list *l)
{
    memset(l, 0, sizeof *l);
}

/* The element arrays (~14 KB) sit between the counters and the trailing flags; only
 * the parts around them are cleared, elements are zeroed one by one as they are
 * filled (ek_ie_add_*, ek_ie_decode). */
_Static_assert(offsetof(ek_ie_list, hdr) < offsetof(ek_ie_list, pl) &&
                   offsetof(ek_ie_list, pl) < offsetof(ek_ie_list, sub) &&
                   offsetof(ek_ie_list, sub) < offsetof(ek_ie_list, ht1),
               "ek_ie_list: counters, then hdr/pl/sub, then flags");

void ek_ie_list_clear(ek_ie_list *l)
{
    size_t tail = offsetof(ek_ie_list, sub) + sizeof l->sub;
    memset(l, 0, offsetof(ek_ie_list, hdr));
    memset((uint8_t *)l + tail, 0, sizeof *l - tail);
}

ek_ie_hdr *ek_ie_add_hdr(ek_ie_list *l, uint8_t id)
{
    if (l->n_hdr >= EK_IE_MAX_HDR)
        return NULL;
    ek_ie_hdr *h = &l->hdr[l->n_hdr++];
    memset(h, 0, sizeof *h);
    h->id = id;
    return h;
}

ek_ie_payload *ek_ie_add_payload(ek_ie_list *l, uint8_t group)
{
    if (l->n_pl >= EK_IE_MAX_PAYLOAD)
        return NULL;
    ek_ie_payload *p = &l->pl[l->n_pl++];
    memset(p, 0, sizeof *p);
    p->group = group;
    p->sub_first = l->n_sub;
    return p;
}

ek_ie_sub *ek_ie_add_sub(ek_ie_list *l, bool is_long, uint8_t id)
{
    if (l->n_pl == 0 || l->n_sub >= EK_IE_MAX_SUB)
        return NULL;
    ek_ie_payload *p = &l->pl[l->n_pl - 1];
    if (p->group != EK_IE_GROUP_MLME || (unsigned)p->sub_first + p->n_sub != l->n_sub)
        return NULL;
    ek_ie_sub *s = &l->sub[l->n_sub++];
    memset(s, 0, sizeof *s);
    s->parent = (uint8_t)(l->n_pl - 1);
    s->is_long = is_long;
    s->id = id;
    s->decoded = sub_known(is_long, id);
    p->n_sub++;
    return s;
}

const ek_enroll_ie *ek_ie_find_ji(const ek_ie_list *l)
{
    for (unsigned i = 0; i < l->n_pl; i++)
        if (l->pl[i].has_ji)
            return &l->pl[i].ji;
    return NULL;
}

const ek_ie_tsch_sync *ek_ie_find_sync(const ek_ie_list *l)
{
    for (unsigned i = 0; i < l->n_sub; i++)
        if (!l->sub[i].is_long && l->sub[i].id == EK_MLME_TSCH_SYNC && l->sub[i].decoded)
            return &l->sub[i].u.sync;
    return NULL;
}
