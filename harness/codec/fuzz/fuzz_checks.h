/* SPDX-License-Identifier: BSD-3-Clause */
/* Structural invariants of decoded layers, shared by the per-decoder targets and the
 * whole-frame / decap targets: views inside the input, offsets inside it, counters
 * within capacity. */
#ifndef EK_FUZZ_CHECKS_H
#define EK_FUZZ_CHECKS_H

#include "ek/consts.h"
#include "ek/frame.h"
#include "ek/ie.h"
#include "ek/lowpan.h"
#include "ek/rpl.h"
#include "ek/wpan.h"
#include "fuzz_util.h"

static inline void fz_check_ji(const ek_enroll_ie *ji, const uint8_t *b, size_t n)
{
    fz_view_in(ji->network_id, b, n, "ji.network_id");
    if (ji->network_id.len > 16)
        FZ_FAIL("network_id %zu > 16", ji->network_id.len);
    if (ji->proxy_prio > 0x7f || ji->rank_prio > 0xfff)
        FZ_FAIL("ji priority out of range");
}

static inline void fz_check_ies(const ek_ie_list *l, const uint8_t *b, size_t n, size_t origin)
{
    if (l->n_hdr > EK_IE_MAX_HDR || l->n_pl > EK_IE_MAX_PAYLOAD || l->n_sub > EK_IE_MAX_SUB)
        FZ_FAIL("IE counts over capacity %u %u %u", l->n_hdr, l->n_pl, l->n_sub);
    fz_err_ok(&l->err, origin, n, "ie list");
    for (unsigned i = 0; i < l->n_hdr; i++) {
        fz_view_in(l->hdr[i].content, b, n, "hdr ie");
        fz_off_in(l->hdr[i].offset, origin, n, "hdr ie");
        fz_err_ok(&l->hdr[i].err, origin, n, "hdr ie");
    }
    for (unsigned i = 0; i < l->n_pl; i++) {
        const ek_ie_payload *p = &l->pl[i];
        fz_view_in(p->content, b, n, "payload ie");
        fz_view_in(p->sub_content, b, n, "ietf sub_content");
        fz_off_in(p->offset, origin, n, "payload ie");
        fz_err_ok(&p->err, origin, n, "payload ie");
        if ((unsigned)p->sub_first + p->n_sub > l->n_sub)
            FZ_FAIL("payload ie %u sub range %u+%u > %u", i, p->sub_first, p->n_sub, l->n_sub);
        if (p->has_ji)
            fz_check_ji(&p->ji, b, n);
    }
    for (unsigned i = 0; i < l->n_sub; i++) {
        const ek_ie_sub *s = &l->sub[i];
        fz_view_in(s->content, b, n, "sub ie");
        fz_off_in(s->offset, origin, n, "sub ie");
        fz_err_ok(&s->err, origin, n, "sub ie");
        if (s->parent >= l->n_pl)
            FZ_FAIL("sub ie parent %u >= %u", s->parent, l->n_pl);
        if (s->decoded && s->is_long && s->id == EK_MLME_CHANNEL_HOPPING)
            fz_view_in(s->u.hop.rest, b, n, "ch hop rest");
        if (s->decoded && !s->is_long && s->id == EK_MLME_TSCH_SLOTFRAME_LINK) {
            if (s->u.sfl.n_sf > EK_IE_MAX_SLOTFRAMES)
                FZ_FAIL("n_sf %u", s->u.sfl.n_sf);
            for (unsigned k = 0; k < s->u.sfl.n_sf; k++)
                if (s->u.sfl.sf[k].n_links > EK_IE_MAX_LINKS)
                    FZ_FAIL("n_links %u", s->u.sfl.sf[k].n_links);
        }
    }
}

static inline void fz_check_wpan(const ek_wpan_frame *f, const uint8_t *b, size_t n, size_t origin)
{
    fz_view_in(f->payload, b, n, "wpan.payload");
    fz_view_in(f->mic, b, n, "wpan.mic");
    fz_view_in(f->ciphertext, b, n, "wpan.ciphertext");
    fz_view_in(f->beacon.gts_list, b, n, "wpan.gts_list");
    fz_view_in(f->beacon.pend_addrs, b, n, "wpan.pend_addrs");
    if (f->payload.len && f->payload.p != b + (f->payload_offset - origin))
        FZ_FAIL("payload_offset %zu does not match the payload view", f->payload_offset);
    if (f->mhr_len > n)
        FZ_FAIL("mhr_len %zu > %zu", f->mhr_len, n);
    fz_check_ies(&f->ies, b, n, origin);
}

static inline void fz_check_lowpan(const ek_lowpan_pkt *p, const uint8_t *b, size_t n, size_t origin)
{
    fz_view_in(p->payload, b, n, "lowpan.payload");
    if (p->payload.len && p->payload.p != b + (p->payload_offset - origin))
        FZ_FAIL("lowpan payload_offset %zu does not match the view", p->payload_offset);
}

static inline void fz_check_rpl(const ek_rpl_msg *m, const uint8_t *b, size_t n, size_t origin)
{
    if (m->n_opts > EK_RPL_MAX_OPTS)
        FZ_FAIL("n_opts %u", m->n_opts);
    fz_view_in(m->ciphertext, b, n, "rpl.ciphertext");
    fz_view_in(m->mac, b, n, "rpl.mac");
    for (unsigned i = 0; i < m->n_opts; i++) {
        fz_view_in(m->opts[i].data, b, n, "rpl.opt.data");
        fz_off_in(m->opts[i].offset, origin, n, "rpl.opt");
        fz_err_ok(&m->opts[i].err, origin, n, "rpl.opt");
    }
}

static inline void fz_check_frame(const ek_frame *f, const uint8_t *b, size_t n)
{
    if (f->n_errors > EK_FRAME_MAX_ERRORS)
        FZ_FAIL("n_errors %u", f->n_errors);
    for (unsigned i = 0; i < f->n_errors; i++) {
        if (f->errors[i].code == EK_OK)
            FZ_FAIL("frame error %u has code OK", i);
        fz_err_ok(&f->errors[i], 0, n, "frame error");
    }
    fz_view_in(f->sum.network_id, b, n, "sum.network_id");
    if (f->has_mac)
        fz_check_wpan(&f->mac, b, n, 0);
    if (f->has_net)
        fz_check_lowpan(&f->net, b, n, 0);
    if (f->has_icmp6)
        fz_view_in(f->icmp6.body, b, n, "icmp6.body");
    if (f->has_rpl)
        fz_check_rpl(&f->rpl, b, n, 0);
}

#endif /* EK_FUZZ_CHECKS_H */
