/* SPDX-License-Identifier: BSD-3-Clause */
/* Predicates and stimulus tweaks shared by the TD tables: option propagation
 * (draft-16 §3.2 MUST NOT alter; -03 §2 only-increase), Trickle gaps (RFC 6206 §4.2)
 * and the malformed option lengths of TP-EP-14 (RFC 6550 §6.7.1; S17). */
#include <stdio.h>
#include <string.h>

#include "ek/dut.h"
#include "ek/minprio.h"
#include "ek/monitor.h"
#include "ek/wr.h"
#include "suites_int.h"

static const ek_rpl_opt *dut_mep(const ek_frame *f)
{
    if (!f->has_rpl)
        return NULL;
    for (unsigned i = 0; i < f->rpl.n_opts; i++) {
        const ek_rpl_opt *o = &f->rpl.opts[i];
        if (o->kind == EK_RPL_OPTK_MEP && o->err.code == EK_OK)
            return o;
    }
    return NULL;
}

bool ek_sp_clean_decode(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    (void)ctx;
    if (f->n_errors == 0 && f->errors_dropped == 0)
        return true;
    const ek_err *e = &f->errors[0];
    snprintf(why, whylen, "frame does not decode cleanly: %s at offset %zu (%u error(s))",
             e->field ? e->field : "?", e->offset, f->n_errors + f->errors_dropped);
    return false;
}

bool ek_sp_propagated(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    unsigned k = 0;
    for (unsigned i = ctx->step; i-- > 1;) {
        if (i <= EK_TD_MAX_STEPS && ctx->injected_has_mep[i]) {
            k = i;
            break;
        }
    }
    if (k == 0) {
        snprintf(why, whylen, "no earlier stimulus carried the option");
        return false;
    }
    const ek_rpl_opt *o = dut_mep(f);
    if (!o) {
        snprintf(why, whylen, "the DUT's DIO carries no (valid) enrollment option");
        return false;
    }
    const ek_minprio *in = &ctx->injected_mep[k];
    const ek_minprio *got = &o->u.mep;
    const ek_profile *prof = &ctx->dut->prof;
    if (prof->mep == EK_MEP_DRAFT16 && (got->erratum_len4 || in->erratum_len4)) {
        /* drafts -10..-16 print Length 4 for this layout: a DUT built from that text sends
         * the same fields plus one trailing octet, which alters nothing the option says */
        if (got->version != in->version || got->t != in->t || got->min_priority != in->min_priority ||
            got->exp != in->exp || got->size_code != in->size_code) {
            snprintf(why, whylen, "option (Length-4 form) differs from the parent's (step %u): v%u T=%d min 0x%02x "
                     "size %u/%u, the parent's v%u T=%d min 0x%02x size %u/%u", k, got->version, got->t,
                     got->min_priority, got->exp, got->size_code, in->version, in->t, in->min_priority, in->exp,
                     in->size_code);
            return false;
        }
        snprintf(why, whylen, "the parent's option (Length %u; drafts -10..-16 print 4)", got->length);
        return true;
    }
    if (prof->mep == EK_MEP_DRAFT09 || prof->mep == EK_MEP_DRAFT16) {
        /* -16 §3.2: a 6LR MUST NOT alter the option: re-encode what step k sent (the
         * canonical bytes it injected) and compare octet by octet with the DUT's. */
        uint8_t want[EK_BUILD_RAW_OPT_MAX + 2];
        ek_buf b;
        ek_err err;
        ek_buf_init(&b, want, sizeof want);
        if (ek_minprio_encode(in, prof, &b, &err) != EK_OK) {
            snprintf(why, whylen, "harness: cannot re-encode the injected option (%s)",
                     err.field ? err.field : "?");
            return false;
        }
        uint8_t have[2 + 255];
        size_t hn = 2 + o->data.len;
        have[0] = o->type;
        have[1] = o->length;
        if (o->data.len)
            memcpy(have + 2, o->data.p, o->data.len);
        size_t n = b.len < hn ? b.len : hn;
        for (size_t i = 0; i < n; i++) {
            if (want[i] != have[i]) {
                snprintf(why, whylen,
                         "option differs from the parent's (step %u) at octet %zu: 0x%02x != 0x%02x",
                         k, i, have[i], want[i]);
                return false;
            }
        }
        if (b.len != hn) {
            snprintf(why, whylen, "option is %zu octets, the parent's (step %u) %zu", hn, k, b.len);
            return false;
        }
        return true;
    }
    /* draft-03/-04: the value may only rise hop by hop (-03 §2; EP-19). */
    if (got->min_priority < in->min_priority) {
        snprintf(why, whylen, "min priority 0x%02x < the parent's 0x%02x (step %u)",
                 got->min_priority, in->min_priority, k);
        return false;
    }
    if (prof->mep == EK_MEP_DRAFT04 && (got->exp != in->exp || got->size_code != in->size_code)) {
        snprintf(why, whylen, "DODAG size altered: exp %u size %u != the parent's exp %u size %u",
                 got->exp, got->size_code, in->exp, in->size_code);
        return false;
    }
    return true;
}

/* RFC 6206 §4.2: in an interval of length I the DIO goes out at t in [I/2, I), so two
 * consecutive DIOs are G < I_k/2 + I_{k+1} <= 1.5 * I_{k+1} apart and, without a reset,
 * the next one comes at least I_{k+2}/2 >= I_{k+1}/2 after the last.  Hence a gap
 * G >= 3 * W proves that no unreset DIO can follow within W = 2 Imin + slack (the
 * TP-EP-07 window); never less than 8 Imin. */
uint64_t ek_sp_trickle_gap_ns(const ek_dut *d)
{
    uint64_t imin = (uint64_t)d->dio_imin_ms * 1000000u, w = 2 * imin + (uint64_t)d->slack_ms * 1000000u;
    return 3 * w > 8 * imin ? 3 * w : 8 * imin;
}

bool ek_sp_trickle_grown(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    (void)f;
    uint64_t need = ek_sp_trickle_gap_ns(ctx->dut);
    if (ctx->t_prev_same_class_ns == 0 || ctx->t_frame_ns < ctx->t_prev_same_class_ns) {
        snprintf(why, whylen, "no previous DUT DIO to measure the Trickle interval");
        return false;
    }
    uint64_t gap = ctx->t_frame_ns - ctx->t_prev_same_class_ns;
    if (gap >= need) {
        snprintf(why, whylen, "%llu ms after its previous one (>= %llu ms)", (unsigned long long)(gap / 1000000u),
                 (unsigned long long)(need / 1000000u));
        return true;
    }
    snprintf(why, whylen, "%llu ms after its previous one (< %llu ms)", (unsigned long long)(gap / 1000000u),
             (unsigned long long)(need / 1000000u));
    return false;
}

/* TP-EP-13: MinHopRankIncrease 128 (RFC 6550 §6.7.6), so the DUT's rank shows it used
 * the DODAG Configuration option that follows the unknown one (OF0: 256 + 2 * 128). */
void ek_st_conf_mhri_128(const ek_td_ctx *ctx, ek_build_dio *dio)
{
    (void)ctx;
    dio->has_conf = true;
    dio->conf.min_hop_rank_inc = 128;
}

static void add_raw(ek_build_dio *dio, uint8_t type, uint8_t length, const uint8_t *data, uint8_t n)
{
    if (dio->n_extra >= EK_BUILD_MAX_EXTRA_OPTS)
        return;
    ek_build_raw_opt *r = &dio->extra[dio->n_extra++];
    r->type = type;
    r->length = length;
    r->data_len = n;
    if (n)
        memcpy(r->data, data, n);
}

/* TP-EP-14: enrollment options (the DUT's type) whose Length fits no layout of the
 * profile, before the DODAG Configuration option.  Their data, if misread, would say
 * "min 0x7f", which the EB proxy priority would show. */
void ek_st_malformed_first(const ek_td_ctx *ctx, ek_build_dio *dio)
{
    static const uint8_t d1[] = { 0x7f };
    static const uint8_t d2[] = { 0xf5, 0x7f };
    uint8_t type = ctx->dut->prof.mep_type;
    add_raw(dio, type, 0, NULL, 0);
    if (ctx->dut->prof.mep != EK_MEP_DRAFT03)   /* Length 1 is draft-03's valid length */
        add_raw(dio, type, 1, d1, sizeof d1);
    add_raw(dio, type, 2, d2, sizeof d2);
    dio->extra_pos = EK_BUILD_OPT_FIRST;
}

/* TP-EP-14: an enrollment option whose Length (255) runs beyond the end of the DIO. */
void ek_st_len255_last(const ek_td_ctx *ctx, ek_build_dio *dio)
{
    static const uint8_t d[] = { 0xf6, 0x7f };
    add_raw(dio, ctx->dut->prof.mep_type, 255, d, sizeof d);
    dio->extra_pos = EK_BUILD_OPT_LAST;
}

/* TP-EP-14, draft-16: Length 4 as printed in -10..-16 plus one trailing octet. */
void ek_st_len4_trailing(const ek_td_ctx *ctx, ek_build_dio *dio)
{
    (void)ctx;
    dio->mep.erratum_len4 = true;
    dio->mep.trailing = 0xee;
}

/* ---- rank, Trickle and option rules that hold for every compliant stack ---- */

/* The latest INJECT step (before the running one) whose DIO came from `role`; 0 if none. */
static unsigned latest_dio_from(const ek_td_ctx *ctx, ek_role role)
{
    for (unsigned i = ctx->step; i-- > 1;)
        if (i <= EK_TD_MAX_STEPS && ctx->injected[i] && ctx->injected_from[i] == role && ctx->injected_rank[i])
            return i;
    return 0;
}

/* RFC 6550 §14: an OF's rank increase is at least MinHopRankIncrease.  OF0 (RFC 6552 §4.1,
 * §6.1): increase = (Rf * Sp + Sr) * MinHopRankIncrease with Rf 1..4, Sp 1..9, Sr 0..5, so at
 * most 41 MinHopRankIncrease.  MRHOF with ETX (RFC 6719 §3.1, §5): increase = the link's
 * ETX metric, at most MAX_LINK_METRIC 512, never below MinHopRankIncrease.  Other OCPs:
 * only the lower bound. */
void ek_sp_legal_rank_range(uint16_t parent_rank, uint16_t mhri, uint16_t ocp, uint32_t *lo, uint32_t *hi)
{
    uint32_t m = mhri ? mhri : 256u;
    *lo = (uint32_t)parent_rank + m;
    if (ocp == 0)
        *hi = (uint32_t)parent_rank + 41u * m;
    else if (ocp == 1)
        *hi = (uint32_t)parent_rank + (m > 512u ? m : 512u);
    else
        *hi = 0xfffeu;
    if (*hi > 0xfffeu)
        *hi = 0xfffeu;   /* below INFINITE_RANK (RFC 6550 §17) */
}

bool ek_sp_rank_via_a(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    unsigned k = latest_dio_from(ctx, EK_ROLE_A);
    if (k == 0) {
        snprintf(why, whylen, "harness: no earlier DIO from A");
        return false;
    }
    if (!f->sum.has_dio) {
        snprintf(why, whylen, "not a DIO");
        return false;
    }
    uint16_t mhri = ctx->injected_mhri[k] ? ctx->injected_mhri[k] : ctx->dut->min_hop_rank_inc;
    uint32_t lo, hi;
    ek_sp_legal_rank_range(ctx->injected_rank[k], mhri, ctx->dut->ocp, &lo, &hi);
    uint16_t r = f->sum.rank;
    if (r < lo || r > hi) {
        snprintf(why, whylen, "rank %u outside [%lu, %lu], the legal ranks through A (rank %u, MinHopRankIncrease %u, "
                 "OCP %u)", r, (unsigned long)lo, (unsigned long)hi, ctx->injected_rank[k], mhri, ctx->dut->ocp);
        return false;
    }
    snprintf(why, whylen, "rank %u in [%lu, %lu] through A", r, (unsigned long)lo, (unsigned long)hi);
    return true;
}

bool ek_sp_rank_unchanged(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    unsigned k = 0;
    for (unsigned i = ctx->step; i-- > 1;)
        if (i <= EK_TD_MAX_STEPS && ctx->injected[i]) {
            k = i;
            break;
        }
    if (k == 0 || !ctx->has_rank_at[k]) {
        snprintf(why, whylen, "no DUT DIO before the stimulus: its rank then is unknown");
        return false;
    }
    if (!f->sum.has_dio) {
        snprintf(why, whylen, "not a DIO");
        return false;
    }
    /* A rank through the malformed DIO's rank would be about (its rank - A's earlier rank)
     * higher; half that tolerates a rank that drifts with link metrics (RFC 6719) */
    unsigned prev = 0;
    for (unsigned i = k; i-- > 1;)
        if (ctx->injected[i] && ctx->injected_from[i] == ctx->injected_from[k] && ctx->injected_rank[i]) {
            prev = i;
            break;
        }
    unsigned tol = 0;
    if (prev && ctx->injected_rank[k] > ctx->injected_rank[prev])
        tol = (unsigned)(ctx->injected_rank[k] - ctx->injected_rank[prev]) / 2u;
    unsigned d = f->sum.rank > ctx->rank_at[k] ? (unsigned)(f->sum.rank - ctx->rank_at[k])
                                               : (unsigned)(ctx->rank_at[k] - f->sum.rank);
    if (d > 0 && d >= (tol ? tol : 1u)) {
        snprintf(why, whylen, "rank moved from %u to %u after the malformed DIO of step %u", ctx->rank_at[k],
                 f->sum.rank, k);
        return false;
    }
    snprintf(why, whylen, d ? "rank %u, within %u of the %u it had" : "rank %u unchanged", f->sum.rank, tol,
             ctx->rank_at[k]);
    return true;
}

bool ek_sp_join_metric(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    const ek_monitor *m = ctx->mon;
    uint16_t rank;
    if (!m || !ek_monitor_node_rank(m, &rank)) {
        snprintf(why, whylen, "no DUT DIO yet: its rank is unknown");
        return false;
    }
    if (!f->sum.has_asn) {
        snprintf(why, whylen, "EB without a TSCH Synchronization IE");
        return false;
    }
    uint16_t mhri = ek_monitor_mhri(m);
    uint8_t want = ek_monitor_join_metric_for(rank, mhri);
    if (f->sum.join_metric == want) {
        snprintf(why, whylen, "join metric %u = DAGRank(%u) - 1 (MinHopRankIncrease %u)", want, rank, mhri);
        return true;
    }
    if (m->has_prev_dio && f->sum.join_metric == ek_monitor_join_metric_for(m->prev_rank, mhri)) {
        snprintf(why, whylen, "join metric %u = DAGRank(%u) - 1 of the DUT's previous rank", f->sum.join_metric,
                 m->prev_rank);
        return true;
    }
    snprintf(why, whylen, "join metric %u != DAGRank(%u) - 1 = %u (the DUT's advertised rank, MinHopRankIncrease %u)",
             f->sum.join_metric, rank, want, mhri);
    return false;
}

bool ek_sp_no_copied_option(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    if (!f->has_rpl || !f->sum.has_dio) {
        snprintf(why, whylen, "not a DIO");
        return false;
    }
    /* the monitor knows which types a neighbour sent that the DUT does not implement */
    for (unsigned i = 0; ctx->mon && i < f->rpl.n_opts; i++) {
        const ek_rpl_opt *o = &f->rpl.opts[i];
        uint64_t no;
        if (o->kind == EK_RPL_OPTK_PAD1 || o->kind == EK_RPL_OPTK_PADN || !ek_monitor_heard(ctx->mon, o->type, &no, NULL))
            continue;
        snprintf(why, whylen, "DIO carries option type 0x%02x, heard in a neighbour's DIO (frame %llu): "
                 "an option the DUT does not implement must not be forwarded", o->type, (unsigned long long)no);
        return false;
    }
    snprintf(why, whylen, "no option copied from a neighbour");
    return true;
}

bool ek_sp_trickle_gap_ok(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    (void)f;
    uint64_t imax_ns = ek_dut_dur_ns(ctx->dut, 1, EK_T_IMAX);
    uint64_t bound = imax_ns / 2 * 3 + (uint64_t)ctx->dut->slack_ms * 1000000u;
    if (ctx->t_prev_same_class_ns == 0 || ctx->t_frame_ns < ctx->t_prev_same_class_ns) {
        snprintf(why, whylen, "first DUT DIO of the TD");
        return true;
    }
    uint64_t gap = ctx->t_frame_ns - ctx->t_prev_same_class_ns;
    snprintf(why, whylen, "%llu ms after its previous one, %s 1.5 Imax + slack = %llu ms", (unsigned long long)(gap / 1000000u),
             gap <= bound ? "<=" : ">", (unsigned long long)(bound / 1000000u));
    return gap <= bound;
}

bool ek_sp_eb_declared(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    if (!ek_sp_clean_decode(ctx, f, why, whylen))
        return false;
    const ek_dut *d = ctx->dut;
    const ek_frame_summary *s = &f->sum;
    if (!s->has_ji) {
        snprintf(why, whylen, "EB without Join-Info");
        return false;
    }
    if (d->has_network_id &&
        (s->network_id.len != d->network_id_len || memcmp(s->network_id.p, d->network_id, d->network_id_len) != 0)) {
        snprintf(why, whylen, "network ID is %zu octets, not the %u-octet one the profile declares", s->network_id.len,
                 d->network_id_len);
        if (s->network_id.len == d->network_id_len)
            snprintf(why, whylen, "network ID differs from the one the profile declares");
        return false;
    }
    if (d->jp_iid_mode == EK_DUT_IID_NONE && s->has_join_proxy_iid) {
        snprintf(why, whylen, "P = 1 with an interface ID, but the profile declares none (P = 0)");
        return false;
    }
    if (d->jp_iid_mode == EK_DUT_IID_VALUE &&
        (!s->has_join_proxy_iid || memcmp(s->join_proxy_iid, d->jp_iid, 8) != 0)) {
        snprintf(why, whylen, "%s", s->has_join_proxy_iid ? "Join Proxy interface ID differs from the declared one"
                                                          : "P = 0, but the profile declares an interface ID");
        return false;
    }
    if (d->has_pan_priority && s->pan_priority != d->pan_priority) {
        snprintf(why, whylen, "PAN priority 0x%02x, the profile declares 0x%02x", s->pan_priority, d->pan_priority);
        return false;
    }
    snprintf(why, whylen, "Join-Info decodes cleanly%s", d->has_network_id || d->jp_iid_mode || d->has_pan_priority
                                                             ? " and matches the declared values" : "");
    return true;
}
