/* SPDX-License-Identifier: BSD-3-Clause */
/* Constrained Join Protocol (RFC 9031) at a Join Proxy DUT: the harness plays pledges
 * that send Join Requests to the DUT's link-local address (§5, §8.1.1) and the JRC
 * co-located with the DODAG root A (§6: the JRC's address is the DODAGID), which
 * configures the JP with Parameter Updates (§8.2: join rate, blacklist, §8.4.2) and
 * answers forwarded requests.  TP-EP-10b (0x7f: nothing forwarded), TP-CJ-01 (join rate
 * R, then 0), TP-CJ-02 (blacklist), TP-CJ-03 (NON from a stateless JP, DSCP AF43, the
 * response relayed), TP-CJ-04 (S15: a Parameter Update replayed after the JP's reboot),
 * TP-ATK-S12 (pledge flood). */
#include <stdio.h>
#include <string.h>

#include "ek/build.h"
#include "ek/join.h"
#include "suites_int.h"

#define N_PLEDGES 16
#define MAX_FWD 256

/* The pledges' PSK: the harness's own (RFC 9031 §3 - one per pledge in a deployment; the
 * JP never sees it: OSCORE is end to end between pledge and JRC, §7). */
static const uint8_t PLEDGE_PSK[16] = { 0x65, 0x6e, 0x72, 0x6f, 0x6c, 0x6c, 0x6b, 0x69,
                                        0x74, 0x2d, 0x70, 0x6c, 0x65, 0x64, 0x67, 0x65 };

/* Sender sequence numbers across the run (RFC 8613 §7.2.1: never reused under one
 * context; the DUT keeps its replay windows across TDs, RFC 9031 §7.3.1). */
static uint64_t g_ssn_pu, g_ssn_pledge[N_PLEDGES];

/* agent_arg: what EK_STIM_AGENT builds */
#define A_KIND(a) ((a) >> 24)
#define A_PU (1u << 24)          /* Parameter Update from the JRC to the JP DUT */
#define A_JOIN (2u << 24)        /* Join Request of pledge (a & 0xff) to the DUT */
#define A_PU_REPLAY (3u << 24)   /* the latest Parameter Update's OSCORE message again: new MID
                                    and token (the outer header is not protected) */
#define PU_RATE_ONE 0x10000u     /* join rate = one forwarded request per window */
#define PU_BLACKLIST_P2 0x20000u /* blacklist = [pledge 2] */
#define PU_RATE_MASK 0xffffu     /* else the join rate itself (bytes/s) */
#define JOIN_ROTATE 0x100u       /* the next of N_PLEDGES pledges at every send */
#define RATE_OPEN 0xffffu        /* a join rate no test stream reaches (65535 B/s) */

typedef struct cojp_state {
    bool init;
    uint8_t jp_global[16], jrc[16];
    ek_oscore_ctx to_dut;        /* JRC side of the JP DUT's own context (its PSK, pledge ID) */
    bool has_to_dut;
    ek_oscore_req pu_req;
    bool pu_pending;
    ek_coap_msg pu_last;         /* the latest Parameter Update as sent, token aside */
    uint8_t pu_plain[EK_JOIN_COAP_MAX];
    size_t pu_plain_len;
    bool last_resp_to_jrc;       /* the frame being matched: any CoAP response to the JRC */
    bool has_rate;
    uint64_t rate;               /* the join rate the DUT acknowledged */
    uint64_t t_effective;        /* when it acknowledged it */
    unsigned n_fwd;
    uint64_t fwd_t[MAX_FWD];
    uint32_t fwd_b[MAX_FWD];
    uint32_t first_size, max_size;
    unsigned rotate;
    uint16_t mid;
    ek_oscore_req pl_req[N_PLEDGES];
    bool pl_sent[N_PLEDGES];
    /* what the frame being matched was (set by dut_frame, read by the predicates) */
    bool last_pu_ack, last_fwd, last_relay, last_over;
    int last_pledge;             /* pledge index of a forwarded / relayed frame, -1 none */
    uint8_t last_type, last_dscp;
    char over_why[160];
} cojp_state;

static void pledge_ext(unsigned i, uint8_t ext[8])
{
    static const uint8_t base[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x01, 0x00 };
    memcpy(ext, base, 8);
    ext[7] = (uint8_t)(i + 1);
}

static int pledge_of(const uint8_t *id, size_t len)
{
    uint8_t e[8];
    for (unsigned i = 0; i < N_PLEDGES; i++) {
        pledge_ext(i, e);
        if (len == 8 && memcmp(id, e, 8) == 0)
            return (int)i;
    }
    return -1;
}

static void dut_ext(const ek_dut *d, uint8_t ext[8])
{
    memcpy(ext, d->ext, 8);
}

static void st_init(cojp_state *st, const ek_td_ctx *ctx)
{
    if (st->init)
        return;
    st->init = true;
    /* RFC 9031 §6: the JRC co-located with the 6LBR has the DODAGID's address; the harness's
     * root A announces fd00::1 (ek_build_dio_init).  The JP's global address: the DODAG's
     * /64 and the IID of its EUI-64 (RFC 4944 §6). */
    ek_build_dio d;
    ek_build_dio_init(&d);
    memcpy(st->jrc, d.base.dodagid, 16);
    uint8_t e[8];
    dut_ext(ctx->dut, e);
    ek_join_global_addr(d.base.dodagid, e, st->jp_global);
    const ek_dut *u = ctx->dut;
    ek_err err;
    ek_view pid = u->cojp_pledge_id_len ? ek_view_make(u->cojp_pledge_id, u->cojp_pledge_id_len)
                                        : ek_view_make(u->ext, 8);
    st->has_to_dut = u->cojp_psk_len >= 16 &&
                     ek_oscore_cojp_context(EK_OSCORE_COJP_JRC, ek_view_make(u->cojp_psk, u->cojp_psk_len), pid,
                                            &st->to_dut, &err) == EK_OK;
    st->mid = 0x4000;
}

static void agent_begin(void *state, const ek_td_ctx *ctx, uint64_t now_ns)
{
    (void)now_ns;
    st_init(state, ctx);
}

static int build_pu(cojp_state *st, const ek_td_ctx *ctx, uint32_t arg, uint8_t seq, uint8_t *out, size_t cap,
                    size_t *len, char *err, size_t errlen)
{
    if (!st->has_to_dut) {
        snprintf(err, errlen, "the DUT profile gives no [cojp] psk for the JRC's Parameter Update");
        return -1;
    }
    ek_cojp_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.has_join_rate = true;
    uint32_t w = ctx->dut->cojp_ack_timeout_ms;
    if (arg & PU_RATE_ONE) {
        if (!st->first_size) {
            snprintf(err, errlen, "no forwarded request seen yet to size the join rate");
            return -1;
        }
        /* R * W = one forwarded request (RFC 9031 §7.2: the average over ACK_TIMEOUT) */
        cfg.join_rate = ((uint64_t)st->first_size * 1000u + w - 1) / w;
    } else {
        cfg.join_rate = arg & PU_RATE_MASK;
    }
    uint8_t p2[8];
    if (arg & PU_BLACKLIST_P2) {
        pledge_ext(2, p2);
        cfg.has_blacklist = true;
        cfg.n_blacklist = 1;
        cfg.blacklist[0] = ek_view_make(p2, 8);
    } else {
        cfg.has_blacklist = true; /* §8.4.2: overwrites any previous list */
        cfg.n_blacklist = 0;
    }
    ek_join_hdr h;
    memset(&h, 0, sizeof h);
    h.type = EK_COAP_CON; /* §8.2.1 */
    h.mid = st->mid++;
    h.token[0] = 0x50;
    h.token[1] = (uint8_t)h.mid;
    h.token_len = 2;
    st->to_dut.ssn = g_ssn_pu;
    uint8_t coap[EK_JOIN_COAP_MAX];
    size_t cn;
    ek_err e;
    if (ek_join_param_update_msg(&st->to_dut, &h, &cfg, coap, sizeof coap, &cn, &st->pu_req, &e) != EK_OK) {
        snprintf(err, errlen, "Parameter Update: %s", e.field ? e.field : "?");
        return -1;
    }
    g_ssn_pu = st->to_dut.ssn;
    uint8_t tokb[EK_JOIN_TOKEN_MAX];
    size_t tl;
    if (ek_join_coap_split(ek_view_make(coap, cn), 0, tokb, &tl, st->pu_plain, sizeof st->pu_plain,
                           &st->pu_plain_len, &e) != EK_OK) {
        snprintf(err, errlen, "Parameter Update: %s", e.field ? e.field : "?");
        return -1;
    }
    ek_join_link l;
    memset(&l, 0, sizeof l);
    ek_td_role_ext(EK_ROLE_A, l.src_ext);
    dut_ext(ctx->dut, l.dst_ext);
    l.pan_id = ctx->dut->pan_id;
    l.seq = seq;
    memcpy(l.src_ip, st->jrc, 16);
    memcpy(l.dst_ip, st->jp_global, 16);
    l.src_port = l.dst_port = EK_COAP_PORT;
    l.hlim = 64;
    if (ek_join_udp_frame(&l, ek_view_make(coap, cn), &ctx->dut->prof, out, cap, len, &e) != EK_OK) {
        snprintf(err, errlen, "Parameter Update frame: %s", e.field ? e.field : "?");
        return -1;
    }
    st->pu_pending = true;
    st->has_rate = cfg.has_join_rate;
    st->rate = cfg.join_rate;
    return 0;
}

/* S15 (RFC 9031 §7.3.1): the latest Parameter Update replayed with a new Message ID and
 * token, as an attacker who recorded it can send it. */
static int build_pu_replay(cojp_state *st, const ek_td_ctx *ctx, uint8_t seq, uint8_t *out, size_t cap,
                           size_t *len, char *err, size_t errlen)
{
    if (!st->pu_plain_len) {
        snprintf(err, errlen, "no Parameter Update to replay");
        return -1;
    }
    ek_coap_msg m;
    ek_err e;
    if (ek_coap_decode(ek_view_make(st->pu_plain, st->pu_plain_len), 0, NULL, &m, &e) != EK_OK) {
        snprintf(err, errlen, "replay: %s", e.field ? e.field : "?");
        return -1;
    }
    m.mid = st->mid++;
    uint8_t tok[2] = { 0x5e, (uint8_t)m.mid };
    uint8_t coap[EK_JOIN_COAP_MAX];
    ek_buf b;
    ek_buf_init(&b, coap, sizeof coap);
    if (ek_join_coap_encode(&m, ek_view_make(tok, 2), &b, &e) != EK_OK) {
        snprintf(err, errlen, "replay: %s", e.field ? e.field : "?");
        return -1;
    }
    ek_join_link l;
    memset(&l, 0, sizeof l);
    ek_td_role_ext(EK_ROLE_A, l.src_ext);
    dut_ext(ctx->dut, l.dst_ext);
    l.pan_id = ctx->dut->pan_id;
    l.seq = seq;
    memcpy(l.src_ip, st->jrc, 16);
    memcpy(l.dst_ip, st->jp_global, 16);
    l.src_port = l.dst_port = EK_COAP_PORT;
    l.hlim = 64;
    if (ek_join_udp_frame(&l, ek_buf_view(&b), &ctx->dut->prof, out, cap, len, &e) != EK_OK) {
        snprintf(err, errlen, "replay frame: %s", e.field ? e.field : "?");
        return -1;
    }
    return 0;
}

static int build_join(cojp_state *st, const ek_td_ctx *ctx, uint32_t arg, uint8_t seq, uint8_t *out, size_t cap,
                      size_t *len, char *err, size_t errlen)
{
    unsigned i = (arg & JOIN_ROTATE) ? st->rotate++ % N_PLEDGES : (arg & 0xff) % N_PLEDGES;
    uint8_t e8[8];
    pledge_ext(i, e8);
    ek_oscore_ctx pl;
    ek_err e;
    if (ek_oscore_cojp_context(EK_OSCORE_COJP_PLEDGE, ek_view_make(PLEDGE_PSK, 16), ek_view_make(e8, 8), &pl, &e) !=
        EK_OK) {
        snprintf(err, errlen, "pledge context: %s", e.field ? e.field : "?");
        return -1;
    }
    pl.ssn = g_ssn_pledge[i];
    ek_cojp_join_request jr;
    memset(&jr, 0, sizeof jr);
    /* §8.4.1: the network identifier the JP's EBs carry, when the DUT declares it */
    static const uint8_t none[1] = { 0 };
    jr.network_id = ctx->dut->has_network_id ? ek_view_make(ctx->dut->network_id, ctx->dut->network_id_len)
                                             : ek_view_make(none, 1);
    ek_join_hdr h;
    memset(&h, 0, sizeof h);
    h.type = EK_COAP_CON; /* §8.1.1: the pledge's request is CON or NON; CON, so NON from the JP shows */
    h.mid = st->mid++;
    h.token[0] = 0x70;
    h.token[1] = (uint8_t)i;
    h.token_len = 2;
    uint8_t coap[EK_JOIN_COAP_MAX];
    size_t cn;
    if (ek_join_request_msg(&pl, &h, &jr, ek_view_make(NULL, 0), coap, sizeof coap, &cn, &st->pl_req[i], &e) !=
        EK_OK) {
        snprintf(err, errlen, "Join Request: %s", e.field ? e.field : "?");
        return -1;
    }
    g_ssn_pledge[i] = pl.ssn;
    st->pl_sent[i] = true;
    ek_join_link l;
    uint8_t de[8];
    dut_ext(ctx->dut, de);
    ek_join_link_ll(&l, e8, de, ctx->dut->pan_id);
    l.seq = seq;
    l.src_port = (uint16_t)(0xf0b0 + i);
    if (ek_join_udp_frame(&l, ek_view_make(coap, cn), &ctx->dut->prof, out, cap, len, &e) != EK_OK) {
        snprintf(err, errlen, "Join Request frame: %s", e.field ? e.field : "?");
        return -1;
    }
    return 0;
}

static int agent_build(void *state, const ek_td_ctx *ctx, const ek_stimulus *s, uint8_t seq, uint64_t now_ns,
                       uint8_t *out, size_t cap, size_t *len, char *err, size_t errlen)
{
    (void)now_ns;
    cojp_state *st = state;
    st_init(st, ctx);
    if (A_KIND(s->agent_arg) == A_KIND(A_PU))
        return build_pu(st, ctx, s->agent_arg, seq, out, cap, len, err, errlen);
    if (A_KIND(s->agent_arg) == A_KIND(A_JOIN))
        return build_join(st, ctx, s->agent_arg, seq, out, cap, len, err, errlen);
    if (A_KIND(s->agent_arg) == A_KIND(A_PU_REPLAY))
        return build_pu_replay(st, ctx, seq, out, cap, len, err, errlen);
    snprintf(err, errlen, "unknown agent stimulus 0x%08x", (unsigned)s->agent_arg);
    return -1;
}

static bool is_ll(const uint8_t a[16])
{
    return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

/* §7.2 / §8.4.2: over any window of the DUT's ACK_TIMEOUT, the join traffic forwarded
 * since the rate took effect stays within 2 R W (a token bucket of depth R W, refilled at
 * R, sends at most that in W); R = 0: nothing at all. */
static void budget(cojp_state *st, const ek_dut *d, uint64_t now)
{
    if (!st->has_rate || st->t_effective == 0 || now < st->t_effective)
        return;
    uint64_t w = (uint64_t)d->cojp_ack_timeout_ms * 1000000ull, sum = 0;
    unsigned n = 0;
    for (unsigned i = 0; i < st->n_fwd; i++)
        if (st->fwd_t[i] >= st->t_effective && st->fwd_t[i] + w > now) {
            sum += st->fwd_b[i];
            n++;
        }
    uint64_t allowed = 2 * st->rate * d->cojp_ack_timeout_ms / 1000u;
    if (sum > allowed) {
        st->last_over = true;
        snprintf(st->over_why, sizeof st->over_why,
                 "%u forwarded requests, %llu octets within one ACK_TIMEOUT (%u ms) at join rate %llu B/s: "
                 "more than 2 R W = %llu", n, (unsigned long long)sum, (unsigned)d->cojp_ack_timeout_ms,
                 (unsigned long long)st->rate, (unsigned long long)allowed);
    }
}

static ek_join_msg g_msg; /* large: off the stack */

static unsigned agent_frame(void *state, const ek_td_ctx *ctx, const ek_frame *f, const uint8_t *mpdu, size_t len,
                            uint64_t now_ns, uint8_t seq[EK_ROLE_COUNT], ek_agent_reply *out, unsigned cap)
{
    (void)mpdu;
    (void)len;
    (void)seq;
    (void)out;
    (void)cap;
    cojp_state *st = state;
    st_init(st, ctx);
    st->last_pu_ack = st->last_fwd = st->last_relay = st->last_over = st->last_resp_to_jrc = false;
    st->last_pledge = -1;
    ek_join_msg *m = &g_msg;
    ek_err e;
    if (ek_join_parse(f, m, &e) != EK_OK || m->kind == EK_JOIN_NOT_COAP)
        return 0;
    st->last_type = m->coap.type;
    st->last_dscp = m->dscp;
    st->last_resp_to_jrc = m->kind == EK_JOIN_RESPONSE && memcmp(m->dst_ip, st->jrc, 16) == 0;
    if (m->kind == EK_JOIN_RESPONSE && st->pu_pending && memcmp(m->dst_ip, st->jrc, 16) == 0) {
        /* the JP's answer to our Parameter Update (§8.2.1): a protected 2.04 */
        if (ek_join_open_response(m, &st->to_dut, &st->pu_req, &e) == EK_OK &&
            m->inner_msg.code == EK_COAP_CHANGED) {
            st->pu_pending = false;
            st->last_pu_ack = true;
            st->t_effective = now_ns;
        }
        return 0;
    }
    if (m->kind == EK_JOIN_REQUEST && !is_ll(m->src_ip) && memcmp(m->dst_ip, st->jrc, 16) == 0 && m->oscore) {
        /* join traffic forwarded to the JRC (§7): the pledge from the OSCORE kid context,
         * which the JP passes through (Class U outer option of an end-to-end exchange) */
        st->last_fwd = true;
        if (m->osc_ok && m->osc.has_kid_context)
            st->last_pledge = pledge_of(m->osc.kid_context.p, m->osc.kid_context.len);
        if (st->n_fwd < MAX_FWD) {
            st->fwd_t[st->n_fwd] = now_ns;
            st->fwd_b[st->n_fwd] = (uint32_t)m->udp_len;
            st->n_fwd++;
        }
        if (!st->first_size)
            st->first_size = (uint32_t)m->udp_len;
        if (m->udp_len > st->max_size)
            st->max_size = (uint32_t)m->udp_len;
        budget(st, ctx->dut, now_ns);
        return 0;
    }
    if (m->kind == EK_JOIN_RESPONSE && is_ll(m->dst_ip) && m->has_dst_ext) {
        int i = pledge_of(m->dst_ext, 8);
        if (i >= 0 && st->pl_sent[i]) {
            ek_oscore_ctx pl;
            uint8_t e8[8];
            pledge_ext((unsigned)i, e8);
            if (ek_oscore_cojp_context(EK_OSCORE_COJP_PLEDGE, ek_view_make(PLEDGE_PSK, 16), ek_view_make(e8, 8), &pl,
                                       &e) == EK_OK &&
                ek_join_open_response(m, &pl, &st->pl_req[i], &e) == EK_OK) {
                st->last_relay = true;
                st->last_pledge = i;
            }
        }
    }
    return 0;
}

/* The JRC: answers every request the JP forwards (§8.1.2: a 2.04 with a Configuration),
 * OSCORE under the pledge's context, to the JP's address with the token echoed (the state
 * object, §7.1), DSCP AF42 (§6.1.2). */
static unsigned agent_frame_answering(void *state, const ek_td_ctx *ctx, const ek_frame *f, const uint8_t *mpdu,
                                      size_t len, uint64_t now_ns, uint8_t seq[EK_ROLE_COUNT], ek_agent_reply *out,
                                      unsigned cap)
{
    cojp_state *st = state;
    (void)agent_frame(state, ctx, f, mpdu, len, now_ns, seq, out, cap);
    if (!st->last_fwd || st->last_pledge < 0 || cap == 0)
        return 0;
    ek_join_msg *m = &g_msg;
    uint8_t e8[8];
    pledge_ext((unsigned)st->last_pledge, e8);
    ek_oscore_ctx jrc;
    ek_oscore_req rq;
    ek_err e;
    if (ek_oscore_cojp_context(EK_OSCORE_COJP_JRC, ek_view_make(PLEDGE_PSK, 16), ek_view_make(e8, 8), &jrc, &e) !=
            EK_OK ||
        ek_join_open_request(m, &jrc, &rq, &e) != EK_OK)
        return 0;
    ek_cojp_config cfg;
    memset(&cfg, 0, sizeof cfg);
    ek_join_resp r = { EK_COAP_CHANGED, &cfg, NULL, false };
    ek_join_hdr h;
    memset(&h, 0, sizeof h);
    h.type = m->coap.type == EK_COAP_CON ? EK_COAP_ACK : EK_COAP_NON;
    h.mid = m->coap.type == EK_COAP_CON ? m->coap.mid : st->mid++;
    memcpy(h.token, m->token, m->token_len);
    h.token_len = m->token_len;
    uint8_t coap[EK_JOIN_COAP_MAX];
    size_t cn;
    if (ek_join_response_msg(&jrc, &rq, &h, &r, coap, sizeof coap, &cn, &e) != EK_OK)
        return 0;
    ek_join_link l;
    memset(&l, 0, sizeof l);
    ek_td_role_ext(EK_ROLE_A, l.src_ext);
    dut_ext(ctx->dut, l.dst_ext);
    l.pan_id = ctx->dut->pan_id;
    l.seq = seq[EK_ROLE_A]++;
    memcpy(l.src_ip, st->jrc, 16);
    memcpy(l.dst_ip, m->src_ip, 16);
    l.src_port = EK_COAP_PORT;
    l.dst_port = m->src_port;
    l.dscp = EK_JOIN_DSCP_AF42;
    l.hlim = 64;
    if (ek_join_udp_frame(&l, ek_view_make(coap, cn), &ctx->dut->prof, out[0].mpdu, sizeof out[0].mpdu, &out[0].len,
                          &e) != EK_OK)
        return 0;
    out[0].from = EK_ROLE_A;
    return 1;
}

static const ek_td_agent jp_agent = { sizeof(cojp_state), agent_begin, agent_build, agent_frame };
static const ek_td_agent jp_agent_jrc = { sizeof(cojp_state), agent_begin, agent_build, agent_frame_answering };

/* ---- predicates over what the agent saw ---- */

static bool p_pu_ack(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t wl)
{
    (void)f;
    const cojp_state *st = ctx->agent;
    if (!st->last_pu_ack)
        snprintf(why, wl, "not the 2.04 to the Parameter Update");
    return st->last_pu_ack;
}

static bool p_fwd(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t wl)
{
    (void)f;
    const cojp_state *st = ctx->agent;
    if (!st->last_fwd)
        snprintf(why, wl, "not join traffic forwarded to the JRC");
    return st->last_fwd;
}

static bool p_fwd_p1(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t wl)
{
    const cojp_state *st = ctx->agent;
    if (!p_fwd(ctx, f, why, wl))
        return false;
    if (st->last_pledge != 1)
        snprintf(why, wl, "forwarded, but for pledge %d", st->last_pledge);
    return st->last_pledge == 1;
}

static bool p_fwd_p2(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t wl)
{
    const cojp_state *st = ctx->agent;
    if (!p_fwd(ctx, f, why, wl))
        return false;
    if (st->last_pledge == 2)
        snprintf(why, wl, "the blacklisted pledge's Join Request was forwarded to the JRC");
    return st->last_pledge == 2;
}

static bool p_over(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t wl)
{
    (void)f;
    const cojp_state *st = ctx->agent;
    if (st->last_over)
        snprintf(why, wl, "%s", st->over_why);
    return st->last_over;
}

static bool p_fwd_non_if_stateless(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t wl)
{
    const cojp_state *st = ctx->agent;
    if (!p_fwd(ctx, f, why, wl))
        return false;
    if (ctx->dut->cojp_jp_stateless && st->last_type != EK_COAP_NON) {
        snprintf(why, wl, "the JP declares itself stateless and forwarded a %s request (RFC 9031 §7.1: MUST be NON)",
                 st->last_type == EK_COAP_CON ? "CON" : "non-NON");
        return false;
    }
    return true;
}

static bool p_fwd_af43(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t wl)
{
    const cojp_state *st = ctx->agent;
    if (!p_fwd(ctx, f, why, wl))
        return false;
    if (st->last_dscp != EK_JOIN_DSCP_AF43) {
        snprintf(why, wl, "forwarded join traffic with DSCP %u, not AF43 (38) (RFC 9031 §6.1.1 SHOULD)",
                 (unsigned)st->last_dscp);
        return false;
    }
    return true;
}

static bool p_relay(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t wl)
{
    (void)f;
    const cojp_state *st = ctx->agent;
    if (!st->last_relay)
        snprintf(why, wl, "not the JRC's response relayed to the pledge");
    return st->last_relay;
}

static bool p_resp_to_jrc(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t wl)
{
    (void)f;
    const cojp_state *st = ctx->agent;
    if (st->last_resp_to_jrc)
        snprintf(why, wl, "the Join Proxy answered the replayed Parameter Update (RFC 9031 §7.3.1: the replay window "
                          "survives a reboot; §7.3.2: OSCORE errors silently dropped)");
    return st->last_resp_to_jrc;
}

/* The DUT declares a CoJP Join Proxy with credentials the JRC can address it with. */
static bool jp_applies(const ek_dut *d, char *why, size_t wl)
{
    if (d->secured) {
        snprintf(why, wl, "the harness's pledges and JRC send unsecured frames only (security on)");
        return false;
    }
    if (d->cojp_psk_len < 16) {
        snprintf(why, wl, "no [cojp] psk: the harness's JRC cannot send the JP Parameter Updates");
        return false;
    }
    return true;
}

/* ---- steps shared by the TDs ---- */

#define STEP_PU(what_, arg_)                                                                         \
    { .kind = EK_STEP_INJECT, .what = (what_),                                                       \
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_AGENT, .agent_arg = A_PU | (arg_) } }
#define STEP_PU_ACK                                                                                  \
    { .kind = EK_STEP_EXPECT, .what = "precondition: the DUT answers the Parameter Update with a protected 2.04", \
      .match = { .cls = EK_CLASS_COAP, .pred = p_pu_ack }, .window = D_ANSWER_PRECOND, .on_timeout = EK_V_INCONC }
#define STEP_JOIN(what_, arg_)                                                                       \
    { .kind = EK_STEP_INJECT, .what = (what_),                                                       \
      .stim = { .from = EK_ROLE_B, .kind = EK_STIM_AGENT, .agent_arg = A_JOIN | (arg_) } }
#define STEP_FLOOD(what_, every_)                                                                    \
    { .kind = EK_STEP_INJECT, .what = (what_),                                                       \
      .stim = { .from = EK_ROLE_B, .kind = EK_STIM_AGENT, .agent_arg = A_JOIN | JOIN_ROTATE,         \
                .every = every_ } }
#define STEP_STOP_B                                                                                  \
    { .kind = EK_STEP_INJECT, .what = "the pledges stop", .stim = { .from = EK_ROLE_B, .kind = EK_STIM_STOP } }
#define STEP_FORWARDED(what_, pred_, tmo_)                                                           \
    { .kind = EK_STEP_EXPECT, .what = (what_), .match = { .cls = EK_CLASS_COAP, .pred = (pred_) },   \
      .window = D_ACK(1), .on_timeout = (tmo_) }

#define JP_NEEDS (NEEDS_JP | EK_CAP_COJP)

/* ---- TP-EP-10b: 0x7f -> nothing forwarded ---- */
static const ek_step ep10b_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v240 min 0x20", 240, false, 0x20),
    STEP_JOINED,
    STEP_PU("the JRC (A) sends the DUT a Parameter Update: join rate 65535 B/s, empty blacklist", RATE_OPEN),
    STEP_PU_ACK,
    STEP_JOIN("pledge 1 sends a Join Request to the DUT's link-local address", 1),
    STEP_FORWARDED("precondition: the DUT forwards it to the JRC", p_fwd, EK_V_INCONC),
    STEP_PARENT("A switches enrollment off: v241 min 0x7f", 241, false, 0x7f),
    { .kind = EK_STEP_EXPECT, .what = "precondition: the DUT's DIO carries min 0x7f (adopted)",
      .match = { .cls = EK_CLASS_DIO, .conds = { { "enroll.mep.min_priority", EK_OP_EQ, 0x7f } } },
      .window = D_NEXT_DIO, .on_timeout = EK_V_INCONC },
    STEP_JOIN("pledge 2 sends a Join Request to the DUT", 2),
    STEP_JOIN("pledge 1 sends another Join Request", 1),
    { .kind = EK_STEP_EXPECT_NOT, .what = "nothing is forwarded to the JRC while enrollment is off",
      .match = { .cls = EK_CLASS_COAP, .pred = p_fwd }, .window = D_ACK(2) },
};

const ek_td ek_td_ep_10b = {
    .id = "TP-EP-10b", .suite = "cojp",
    .title = "Minimum 0x7f: no join traffic forwarded",
    .objective = "After the parent's option says 0x7f, the Join Proxy forwards no pledge's Join Request to the JRC.",
    .refs = "EP-3, JP-6 (draft-16 §3.1; RFC 9031 §6, §8.1.1)",
    .config = "A: root and JRC (DODAGID fd00::1), DIO every Imax, option v240 min 0x20, then v241 min 0x7f; "
              "harness pledges 02:00:5e:ef:00:00:01:NN send OSCORE-protected Join Requests (CON, Proxy-Scheme "
              "coap) to the DUT's link-local address.",
    .rule = "0x7f disables the Join Proxy (draft-16 §3.1); the TD first requires that the DUT forwards a Join "
            "Request with enrollment on (INCONC otherwise), and that its DIO carries 0x7f (it adopted the "
            "change), then any forwarded request within two ACK_TIMEOUTs (the DUT profile's "
            "[cojp] ack_timeout_ms) is a FAIL.",
    .profiles = EK_PROF_ALL, .needs = JP_NEEDS, .agent = &jp_agent, .applies = jp_applies,
    .steps = ep10b_steps, .n_steps = EK_N_STEPS(ep10b_steps),
};

/* ---- TP-CJ-01: join rate R, then 0 ---- */
static const ek_step cj01_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v240 min 0x20", 240, false, 0x20),
    STEP_JOINED,
    STEP_PU("the JRC sends a Parameter Update: join rate 65535 B/s", RATE_OPEN),
    STEP_PU_ACK,
    STEP_JOIN("pledge 1 sends a Join Request", 1),
    STEP_FORWARDED("precondition: the DUT forwards it (its size S sizes the join rate)", p_fwd, EK_V_INCONC),
    STEP_PU("the JRC sets the join rate R = S / ACK_TIMEOUT (one forwarded request per window)", PU_RATE_ONE),
    STEP_PU_ACK,
    STEP_FLOOD("16 pledges send Join Requests every 100 ms", D_MS(100)),
    { .kind = EK_STEP_EXPECT_NOT,
      .what = "no ACK_TIMEOUT window holds more than 2 R W octets of forwarded join traffic",
      .match = { .cls = EK_CLASS_COAP, .pred = p_over }, .window = D_ACK(3) },
    STEP_STOP_B,
    STEP_PU("the JRC sets the join rate to 0", 0),
    STEP_PU_ACK,
    STEP_FLOOD("the pledges send Join Requests every 100 ms", D_MS(100)),
    { .kind = EK_STEP_EXPECT_NOT, .what = "join rate 0: nothing forwarded (§8.4.2 MUST silently drop)",
      .match = { .cls = EK_CLASS_COAP, .pred = p_fwd }, .window = D_ACK(2) },
    STEP_STOP_B,
};

const ek_td ek_td_cj_01 = {
    .id = "TP-CJ-01", .suite = "cojp",
    .title = "Join rate from the JRC: R, then 0",
    .objective = "The Join Proxy keeps forwarded join traffic within the join rate of a Parameter Update and "
                 "forwards none at join rate 0.",
    .refs = "JP-1 (RFC 9031 §8.4.2, §7.2, §9, §8.2.1)",
    .config = "A: root and JRC; the JRC's Parameter Updates under the DUT's own CoJP context ([cojp] psk, "
              "pledge_id = its EUI-64 unless given) to its global address (the DODAG's /64 + its IID); 16 "
              "harness pledges.",
    .rule = "§8.4.2: the join rate MUST set PROBING_RATE, the average rate of join traffic to the JRC, "
            "measured over a short window, e.g. ACK_TIMEOUT (§7.2; the DUT profile's [cojp] ack_timeout_ms, "
            "W).  R is chosen from the size S of the DUT's first forwarded request so that R W = S; a JP "
            "averaging over W (even a token bucket of depth R W) forwards at most 2 R W octets (UDP payload) in "
            "any window W after it acknowledged R, so more is a FAIL.  Join rate 0: any forwarded request "
            "is a FAIL (MUST silently drop).",
    .profiles = EK_PROF_ALL, .needs = JP_NEEDS, .agent = &jp_agent, .applies = jp_applies,
    .steps = cj01_steps, .n_steps = EK_N_STEPS(cj01_steps),
};

/* ---- TP-CJ-02: blacklist ---- */
static const ek_step cj02_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v240 min 0x20", 240, false, 0x20),
    STEP_JOINED,
    STEP_PU("the JRC sends a Parameter Update: blacklist [pledge 2], join rate 65535 B/s",
            PU_BLACKLIST_P2 | RATE_OPEN),
    STEP_PU_ACK,
    STEP_JOIN("the blacklisted pledge 2 sends a Join Request", 2),
    { .kind = EK_STEP_EXPECT_NOT, .what = "the blacklisted pledge's frame is dropped, not forwarded",
      .match = { .cls = EK_CLASS_COAP, .pred = p_fwd_p2 }, .window = D_ACK(1) },
    STEP_JOIN("pledge 1 (not listed) sends a Join Request", 1),
    STEP_FORWARDED("precondition: pledge 1's request is forwarded (the JP works)", p_fwd_p1, EK_V_INCONC),
};

const ek_td ek_td_cj_02 = {
    .id = "TP-CJ-02", .suite = "cojp",
    .title = "Blacklist from the JRC",
    .objective = "The Join Proxy drops the frames of a pledge its Configuration blacklists.",
    .refs = "JP-2, S12 (RFC 9031 §8.4.2, §8.2.1)",
    .config = "A: root and JRC; Parameter Update blacklist = [pledge 2's identifier = its EUI-64] (RFC 9031 §3); "
              "pledges 2 then 1 send Join Requests.",
    .rule = "§8.4.2: the joined node MUST silently drop any link-layer frames originating from a blacklisted "
            "pledge identifier: pledge 2's Join Request forwarded (recognised by the OSCORE kid context = "
            "pledge ID, passed through end to end, §7.3) within ACK_TIMEOUT is a FAIL; pledge 1 must then be "
            "forwarded (else INCONC: the JP did not forward at all).",
    .profiles = EK_PROF_ALL, .needs = JP_NEEDS, .agent = &jp_agent, .applies = jp_applies,
    .steps = cj02_steps, .n_steps = EK_N_STEPS(cj02_steps),
};

/* ---- TP-CJ-03: NON from a stateless JP, DSCP AF43, response relayed ---- */
static const ek_step cj03_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v240 min 0x20", 240, false, 0x20),
    STEP_JOINED,
    STEP_PU("the JRC sends a Parameter Update: join rate 65535 B/s", RATE_OPEN),
    STEP_PU_ACK,
    STEP_JOIN("pledge 1 sends a CON Join Request", 1),
    { .kind = EK_STEP_NEXT, .what = "the DUT's next CoAP frame forwards it; a JP declaring itself stateless sends it NON",
      .match = { .cls = EK_CLASS_COAP, .pred = p_fwd_non_if_stateless }, .window = D_ACK(1),
      .on_timeout = EK_V_INCONC },
    { .kind = EK_STEP_EXPECT, .what = "the JRC's 2.04 is relayed to pledge 1 (link-local, its token)",
      .match = { .cls = EK_CLASS_COAP, .pred = p_relay }, .window = D_EXCHANGE, .on_timeout = EK_V_FAIL },
    STEP_JOIN("pledge 3 sends a CON Join Request", 3),
    { .kind = EK_STEP_NEXT, .what = "the DUT's next CoAP frame forwards it with DSCP AF43 (SHOULD: INFO otherwise)",
      .match = { .cls = EK_CLASS_COAP, .pred = p_fwd_af43 }, .window = D_ACK(1), .on_timeout = EK_V_INCONC,
      .info_profiles = EK_PROF_ALL },
};

const ek_td ek_td_cj_03 = {
    .id = "TP-CJ-03", .suite = "cojp",
    .title = "Forwarding: NON when stateless, DSCP AF43, the response relayed",
    .objective = "A stateless Join Proxy forwards the pledge's request as NON, tagged AF43, and relays the JRC's "
                 "response back to the pledge.",
    .refs = "JP-3, JP-4, JP-5 (RFC 9031 §7.1, §6.1.1, §7)",
    .config = "A: root and JRC, answering every forwarded request with a protected 2.04 (the token echoed, "
              "DSCP AF42, §6.1.2); the DUT profile's [cojp] jp_stateless says whether the JP is stateless.",
    .rule = "§7.1: a JP operating statelessly MUST forward NON whatever the pledge sent (FAIL for CON when the "
            "profile declares jp_stateless; a stateful JP may forward either).  §6.1.1: AF43 is a SHOULD, so "
            "another DSCP is INFO.  The JRC's response must reach the pledge (the JP decodes its state "
            "from the echoed token, §7.1): a FAIL when it is not relayed before the pledge would give up, "
            "MAX_TRANSMIT_WAIT = 46.5 ACK_TIMEOUT (RFC 7252 §4.8.2).",
    .profiles = EK_PROF_ALL, .needs = JP_NEEDS, .agent = &jp_agent_jrc, .applies = jp_applies,
    .steps = cj03_steps, .n_steps = EK_N_STEPS(cj03_steps),
};

/* ---- TP-ATK-S12: pledge flood ---- */
static const ek_step s12_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v240 min 0x20", 240, false, 0x20),
    STEP_JOINED,
    STEP_PU("the JRC sends a Parameter Update: join rate 65535 B/s", RATE_OPEN),
    STEP_PU_ACK,
    STEP_JOIN("pledge 1 sends a Join Request", 1),
    STEP_FORWARDED("precondition: the DUT forwards it", p_fwd, EK_V_INCONC),
    STEP_PU("the JRC sets the join rate R = S / ACK_TIMEOUT", PU_RATE_ONE),
    STEP_PU_ACK,
    STEP_FLOOD("flood: 16 pledges send Join Requests every 20 ms", D_MS(20)),
    { .kind = EK_STEP_EXPECT_NOT, .what = "the forwarded join traffic stays within the join rate during the flood",
      .match = { .cls = EK_CLASS_COAP, .pred = p_over }, .window = D_ACK(3) },
    STEP_STOP_B,
    { .kind = EK_STEP_EXPECT, .what = "the DUT is alive: it still sends DIOs",
      .match = { .cls = EK_CLASS_DIO }, .window = D_NEXT_DIO, .on_timeout = EK_V_FAIL },
    { .kind = EK_STEP_WAIT, .what = "one ACK_TIMEOUT for the rate window to clear", .window = D_ACK(1) },
    STEP_JOIN("pledge 1 sends a Join Request after the flood", 1),
    STEP_FORWARDED("the DUT still forwards join traffic within the join rate", p_fwd_p1, EK_V_FAIL),
};

const ek_td ek_td_atk_s12 = {
    .id = "TP-ATK-S12", .suite = "cojp",
    .title = "S12 pledge flood at the Join Proxy",
    .objective = "Under a flood of Join Requests from many pledges the Join Proxy keeps the join rate, stays "
                 "alive and still forwards afterwards.",
    .refs = "S12, JP-1 (RFC 9031 §6, §7.2, §8.4.2, §9)",
    .config = "A: root and JRC; join rate R = S / ACK_TIMEOUT; 16 harness pledges send a Join Request every "
              "20 ms for three ACK_TIMEOUTs.",
    .rule = "§8.4.2 / §7.2: at most 2 R W octets of forwarded join traffic in any window W = ACK_TIMEOUT (as "
            "TP-CJ-01); the DUT keeps sending DIOs within 1.5 Imax (RFC 6206 §4.2) and forwards a new "
            "pledge's request once the window has cleared (FAIL otherwise: the flood disabled it).",
    .profiles = EK_PROF_ALL, .needs = JP_NEEDS, .agent = &jp_agent, .applies = jp_applies,
    .steps = s12_steps, .n_steps = EK_N_STEPS(s12_steps),
};

/* ---- TP-CJ-04: S15 at the Join Proxy ---- */
static const ek_step cj04_steps[] = {
    STEP_PARENT("A sends periodic DIOs with the option v240 min 0x20", 240, false, 0x20),
    STEP_JOINED,
    STEP_PU("the JRC sends a Parameter Update: join rate 65535 B/s", RATE_OPEN),
    STEP_PU_ACK,
    { .kind = EK_STEP_INJECT, .what = "the Join Proxy reboots (the profile's reset)", .stim = { .kind = EK_STIM_RESET } },
    STEP_PARENT("A's periodic DIOs again, one at once", 240, false, 0x20),
    { .kind = EK_STEP_EXPECT, .what = "precondition: the DUT rejoins A and sends a DIO",
      .match = { .cls = EK_CLASS_DIO }, W_JOIN_DIO, .on_timeout = EK_V_INCONC },
    { .kind = EK_STEP_INJECT, .what = "S15: the Parameter Update replayed (new Message ID and token)",
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_AGENT, .agent_arg = A_PU_REPLAY } },
    { .kind = EK_STEP_EXPECT_NOT, .what = "the replay is not answered (no 2.04, no error)",
      .match = { .cls = EK_CLASS_COAP, .pred = p_resp_to_jrc }, .window = D_ACK(1) },
    STEP_PU("a fresh Parameter Update", RATE_OPEN),
    STEP_PU_ACK,
};

const ek_td ek_td_cj_04 = {
    .id = "TP-CJ-04", .suite = "cojp",
    .title = "S15: a Parameter Update replayed after the Join Proxy's reboot",
    .objective = "After a reboot the Join Proxy still rejects a Parameter Update it accepted before: its OSCORE "
                 "replay window was kept in persistent memory.",
    .refs = "JP-7 (RFC 9031 §7.3.1, §7.3.2, §8.2.1; RFC 8613 §7.4; scenario S15)",
    .config = "A: root and JRC; a Parameter Update under the DUT's own CoJP context, the DUT's reset (its reboot), "
              "then the same OSCORE message with a new Message ID and token.",
    .rule = "§7.3.1: each update of the Replay Window MUST be written to persistent memory, so the replayed "
            "Partial IV is still known after the reboot (RFC 8613 §7.4: stop processing); §7.3.2: OSCORE errors "
            "MUST be silently dropped, so any answer to the replay within ACK_TIMEOUT is a FAIL.  A fresh "
            "Parameter Update must then be answered (INCONC otherwise: the JP takes none at all).",
    .profiles = EK_PROF_ALL, .needs = JP_NEEDS, .agent = &jp_agent, .applies = jp_applies,
    .steps = cj04_steps, .n_steps = EK_N_STEPS(cj04_steps),
};
