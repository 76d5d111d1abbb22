/* SPDX-License-Identifier: BSD-3-Clause */
/* TP-EB-02..06, TP-EB-08, TP-SEC-02/03/04-pledge: a pledge DUT (DUT profile role =
 * pledge) joining through the Join Proxies the harness plays (RFC 9032 §2 Join-Info in
 * their Enhanced Beacons) and the JRC behind them (RFC 9031 §8: Join Response, Parameter
 * Update, under the CoJP OSCORE context of the profile's [cojp] psk and pledge_id).
 * The agent below is those roles: it builds the EBs and Parameter Updates the steps ask
 * for, answers the pledge's Join Requests at once as a JP + JRC would (or as a fake
 * network, or with unprotected errors), and keeps what the predicates judge: where each
 * Join Request went, its OSCORE Partial IV, its retransmission times, and which
 * Parameter Update the pledge answered.  Every window comes from the DUT profile: the EB
 * period of the harness's Join Proxies and the pledge's CoAP ACK_TIMEOUT. */
#include <stdio.h>
#include <string.h>

#include "ek/build.h"
#include "ek/join.h"
#include "ek/oscore.h"
#include "suites_int.h"

#define NS_PER_MS 1000000ull
#define JRC_SSN_UNIT_NS 10000000ull
#define MAX_JR 48
#define MAX_PU 4

/* ---- what the harness's Join Proxies advertise (agent_arg of their EB stimuli) ---- */
enum net { NET_REAL = 0, NET_FAKE, NET_OTHER };
enum nid { NID_REAL = 0, NID_EMPTY, NID_17, NID_16 };
typedef struct eb_preset {
    uint8_t proxy;
    uint16_t rank;
    bool p;             /* P = 1 with the interface ID JP_IID (not the L2-derived one) */
    bool res_all;       /* every reserved bit 1 (RFC 9032 §2: MUST be ignored) */
    uint8_t net;        /* whose JRC answers behind it */
    uint8_t nid;
    bool p_short;       /* P = 1 with content length 9 (malformed, S17) */
    bool six_p;         /* 6P (subtype 1) and subtype 200 IETF IEs around Join-Info (RFC 8137 §4) */
    uint8_t round;      /* EBs of a TD's second round */
} eb_preset;

enum {
    EB_REAL_30 = 0, EB_REAL_20, EB_7F, EB_RANK_LOW, EB_RANK_HIGH, EB_RANK_LOW_R2, EB_RANK_HIGH_R2, EB_P1, EB_RES_ALL,
    EB_N0, EB_N16, EB_N17, EB_P_SHORT, EB_SIX_P, EB_FAKE_00, EB_OTHER_08,
    AG_PU_NEW = 100, AG_PU_REWRAP
};
static const eb_preset PRESETS[] = {
    [EB_REAL_30] = { 0x30, 0x100, false, false, NET_REAL, NID_REAL, false, false, 0 },
    [EB_REAL_20] = { 0x20, 0x100, false, false, NET_REAL, NID_REAL, false, false, 0 },
    [EB_7F] = { 0x7f, 0x100, false, false, NET_REAL, NID_REAL, false, false, 0 },
    [EB_RANK_LOW] = { 0x30, 0x010, false, false, NET_REAL, NID_REAL, false, false, 0 },
    [EB_RANK_HIGH] = { 0x30, 0xf00, false, false, NET_REAL, NID_REAL, false, false, 0 },
    [EB_RANK_LOW_R2] = { 0x30, 0x010, false, false, NET_REAL, NID_REAL, false, false, 1 },
    [EB_RANK_HIGH_R2] = { 0x30, 0xf00, false, false, NET_REAL, NID_REAL, false, false, 1 },
    [EB_P1] = { 0x30, 0x100, true, false, NET_REAL, NID_REAL, false, false, 0 },
    [EB_RES_ALL] = { 0x30, 0x100, false, true, NET_REAL, NID_REAL, false, false, 0 },
    [EB_N0] = { 0x30, 0x100, false, false, NET_REAL, NID_EMPTY, false, false, 0 },
    [EB_N16] = { 0x30, 0x100, false, false, NET_REAL, NID_16, false, false, 0 },
    [EB_N17] = { 0x10, 0x100, false, false, NET_REAL, NID_17, false, false, 0 },
    [EB_P_SHORT] = { 0x10, 0x100, true, false, NET_REAL, NID_EMPTY, true, false, 0 },
    [EB_SIX_P] = { 0x30, 0x100, false, false, NET_REAL, NID_REAL, false, true, 0 },
    [EB_FAKE_00] = { 0x00, 0x100, false, false, NET_FAKE, NID_REAL, false, false, 0 },
    [EB_OTHER_08] = { 0x08, 0x100, false, false, NET_OTHER, NID_REAL, false, false, 0 },
};
#define N_PRESETS (sizeof PRESETS / sizeof PRESETS[0])

/* The interface ID a P = 1 Join Proxy advertises: not derived from its EUI-64. */
static const uint8_t JP_IID[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x99, 0x01 };
/* The harness network's ID when the profile provisions none (16 octets, RFC 9032 §2). */
static const uint8_t DEFAULT_NID[16] = { 0xfd, 0x00, 0x65, 0x6b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01 };
/* The link-layer key a Configuration carries (RFC 9031 §8.4.3; key_usage 0 by default). */
static const uint8_t LL_KEY[16] = { 0x6b, 0x31, 0x6b, 0x32, 0x2d, 0x70, 0x6c, 0x65, 0x64, 0x67, 0x65, 0x2d,
                                    0x74, 0x65, 0x73, 0x74 };

typedef struct jr_rec {
    uint64_t t;
    int role;                  /* the Join Proxy it went to (MAC destination), -1 none */
    bool addr_ok;              /* IPv6 destination = that JP's address (RFC 9032 §2) */
    uint64_t piv;
    size_t len;
    uint8_t coap[EK_JOIN_COAP_MAX];
    unsigned tx;               /* transmissions of these bytes so far */
} jr_rec;

typedef struct pu_rec {
    ek_oscore_req req;
    uint8_t token[2];
    uint16_t mid;
    uint8_t role;
    size_t len;
    uint8_t coap[EK_JOIN_COAP_MAX];
    unsigned answers;          /* verified 2.04s from the pledge bound to it */
} pu_rec;

/* What the agent made of the DUT frame being matched. */
typedef struct cur_frame {
    bool jr;                   /* a Join Request (OSCORE request with Uri-Host 6tisch.arpa) */
    int role;
    bool addr_ok;
    uint64_t piv;
    int rec;                   /* index into jr[] */
    unsigned tx;               /* 1 = first transmission, k = (k-1)-th retransmission */
    uint64_t gap_ns;           /* since the previous transmission of the same bytes */
    bool piv_ok;               /* a new request's Partial IV is above every earlier one */
    uint64_t piv_max_before;
    bool answered_real;        /* the real JRC answered it with a 2.04 */
    int pu;                    /* a verified 2.04 to Parameter Update pu, -1 none */
    unsigned pu_answers;
} cur_frame;

typedef struct agent {
    bool ready;
    uint8_t nid[16];
    uint8_t nid_len;
    int preset[EK_ROLE_COUNT];   /* what each role's latest EB advertised, -1 none */
    ek_oscore_ctx jrc, fake;     /* the real JRC's context, and the fake network's (wrong PSK) */
    unsigned err_left;           /* unprotected errors still to send instead of answers */
    unsigned errs_sent;
    jr_rec jr[MAX_JR];
    unsigned n_jr;
    uint64_t piv_max;
    bool any_piv;
    uint64_t piv_max_round0;     /* before the first second-round EB (a reboot in between) */
    uint8_t round;
    int choice[2];               /* the JP of each round's first Join Request */
    bool answered_any;
    pu_rec pu[MAX_PU];
    unsigned n_pu;
    uint8_t last_ans[EK_JOIN_COAP_MAX]; /* the real JRC's answer to jr[last_ans_rec] (resent to copies) */
    size_t last_ans_len;
    int last_ans_rec;
    cur_frame cur;
    ek_join_msg m;
} agent;

static bool provisioned(const ek_dut *d)
{
    return d->cojp_has_network_id && d->cojp_network_id_len > 0;
}

static void role_ip(ek_role r, bool p, uint8_t ip[16])
{
    uint8_t ext[8];
    ek_td_role_ext(r, ext);
    memset(ip, 0, 16);
    ip[0] = 0xfe;
    ip[1] = 0x80;
    if (p) {
        memcpy(ip + 8, JP_IID, 8);
    } else {
        memcpy(ip + 8, ext, 8);
        ip[8] ^= 0x02;   /* RFC 4944 §6: U/L bit */
    }
}

static void ag_begin(void *st, const ek_td_ctx *ctx, uint64_t now_ns)
{
    agent *a = st;
    const ek_dut *d = ctx->dut;
    for (int i = 0; i < EK_ROLE_COUNT; i++)
        a->preset[i] = -1;
    a->choice[0] = a->choice[1] = -1;
    a->last_ans_rec = -1;
    if (provisioned(d)) {
        a->nid_len = d->cojp_network_id_len > 16 ? 16 : d->cojp_network_id_len;
        memcpy(a->nid, d->cojp_network_id, a->nid_len);
    } else {
        a->nid_len = 16;
        memcpy(a->nid, DEFAULT_NID, 16);
    }
    ek_err e;
    uint8_t wrong[32];
    for (unsigned i = 0; i < d->cojp_psk_len && i < sizeof wrong; i++)
        wrong[i] = d->cojp_psk[i] ^ 0xa5;
    a->ready = ek_oscore_cojp_context(EK_OSCORE_COJP_JRC, ek_view_make(d->cojp_psk, d->cojp_psk_len),
                                      ek_view_make(d->cojp_pledge_id, d->cojp_pledge_id_len), &a->jrc, &e) == EK_OK &&
               ek_oscore_cojp_context(EK_OSCORE_COJP_JRC, ek_view_make(wrong, d->cojp_psk_len),
                                      ek_view_make(d->cojp_pledge_id, d->cojp_pledge_id_len), &a->fake, &e) == EK_OK;
    /* The JRC's own sequence number (its Parameter Updates' Partial IVs) only grows over
     * the run and across runs on one host: the radio clock in 10 ms units, below 2^40 for
     * any clock (RFC 8613 §7.2.1) (RFC 9031 §7.3.1: the pledge's replay window is
     * persistent, so an older one would rightly be refused). */
    a->jrc.ssn = now_ns / JRC_SSN_UNIT_NS;
}

/* A TD whose JRC first answers with unprotected errors (TP-SEC-03-pledge). */
static void ag_begin_errors(void *st, const ek_td_ctx *ctx, uint64_t now_ns)
{
    ag_begin(st, ctx, now_ns);
    ((agent *)st)->err_left = 3;
}

/* The Configuration the JRC sends (RFC 9031 §8.4.2): one link-layer key (key_id 1,
 * key_usage 0 by default) and a short identifier 0x00nn (§8.4.4). */
static void make_config(ek_cojp_config *c, uint8_t sid[2], uint8_t nn)
{
    memset(c, 0, sizeof *c);
    c->has_keys = true;
    c->n_keys = 1;
    c->keys[0].key_id = 1;
    c->keys[0].key_value = ek_view_make(LL_KEY, sizeof LL_KEY);
    sid[0] = 0x00;
    sid[1] = nn;
    c->has_short_id = true;
    c->short_id.identifier = ek_view_make(sid, 2);
}

/* One UDP datagram from role r (its address `from_ip`) to the pledge. */
static int frame_to_pledge(const ek_td_ctx *ctx, ek_role r, const uint8_t from_ip[16], const uint8_t to_ip[16],
                           uint16_t sport, uint16_t dport, uint8_t seq, const uint8_t *coap, size_t n, uint8_t *out,
                           size_t cap, size_t *len)
{
    uint8_t ext[8];
    ek_td_role_ext(r, ext);
    ek_join_link l;
    ek_join_link_ll(&l, ext, ctx->dut->ext, ctx->dut->pan_id);
    memcpy(l.src_ip, from_ip, 16);
    memcpy(l.dst_ip, to_ip, 16);
    l.src_port = sport;
    l.dst_port = dport;
    l.seq = seq;
    ek_err e;
    return ek_join_udp_frame(&l, ek_view_make(coap, n), &ctx->dut->prof, out, cap, len, &e) == EK_OK ? 0 : -1;
}

static int ag_build(void *st, const ek_td_ctx *ctx, const ek_stimulus *s, uint8_t seq, uint64_t now_ns, uint8_t *out,
                    size_t cap, size_t *len, char *err, size_t errlen)
{
    agent *a = st;
    (void)now_ns;
    if (!a->ready) {
        snprintf(err, errlen, "the DUT profile declares no [cojp] psk and pledge_id: the harness cannot play the JRC");
        return -1;
    }
    if (s->agent_arg == AG_PU_NEW || s->agent_arg == AG_PU_REWRAP) {
        if (!ctx->dut->has_ext) {
            snprintf(err, errlen, "the pledge's address is not known yet (set [dut] address)");
            return -1;
        }
        uint8_t from_ip[16], to_ip[16];
        role_ip(s->from, false, from_ip);
        ek_build_ll_addr(ctx->dut->ext, to_ip);
        if (s->agent_arg == AG_PU_REWRAP) {
            /* the first Parameter Update's OSCORE option and ciphertext in a new CoAP
             * message (another Message ID: no CoAP deduplication, RFC 7252 §4.5, hides it) */
            if (a->n_pu == 0) {
                snprintf(err, errlen, "no Parameter Update to replay");
                return -1;
            }
            uint8_t c[EK_JOIN_COAP_MAX];
            memcpy(c, a->pu[0].coap, a->pu[0].len);
            c[2] ^= 0x5a;
            return frame_to_pledge(ctx, s->from, from_ip, to_ip, EK_COAP_PORT, EK_COAP_PORT, seq, c, a->pu[0].len, out,
                                   cap, len) == 0 ? 0 : (snprintf(err, errlen, "frame too long"), -1);
        }
        if (a->n_pu == MAX_PU) {
            snprintf(err, errlen, "too many Parameter Updates in one TD");
            return -1;
        }
        pu_rec *pu = &a->pu[a->n_pu];
        ek_cojp_config cfg;
        uint8_t sid[2];
        make_config(&cfg, sid, (uint8_t)(0x10 + a->n_pu));
        ek_join_hdr h;
        memset(&h, 0, sizeof h);
        h.type = EK_COAP_CON;
        h.mid = (uint16_t)(0x7000 + a->n_pu);
        h.token[0] = 0x50;
        h.token[1] = (uint8_t)a->n_pu;
        h.token_len = 2;
        if (a->jrc.ssn < now_ns / JRC_SSN_UNIT_NS)
            a->jrc.ssn = now_ns / JRC_SSN_UNIT_NS;
        ek_err e;
        if (ek_join_param_update_msg(&a->jrc, &h, &cfg, pu->coap, sizeof pu->coap, &pu->len, &pu->req, &e) != EK_OK) {
            snprintf(err, errlen, "Parameter Update: %s", e.field ? e.field : "?");
            return -1;
        }
        memcpy(pu->token, h.token, 2);
        pu->mid = h.mid;
        pu->role = (uint8_t)s->from;
        a->n_pu++;
        if (frame_to_pledge(ctx, s->from, from_ip, to_ip, EK_COAP_PORT, EK_COAP_PORT, seq, pu->coap, pu->len, out, cap,
                            len) != 0) {
            snprintf(err, errlen, "Parameter Update frame too long");
            return -1;
        }
        return 0;
    }
    if (s->agent_arg >= N_PRESETS) {
        snprintf(err, errlen, "unknown agent stimulus %u", (unsigned)s->agent_arg);
        return -1;
    }
    const eb_preset *pr = &PRESETS[s->agent_arg];
    a->preset[s->from] = (int)s->agent_arg;
    if (pr->round > a->round) {
        a->round = pr->round;
        a->piv_max_round0 = a->piv_max;
    }
    /* RFC 8180 §6.1 EB with the RFC 9032 Join-Info */
    ek_build_node node = { .pan_id = 0 }; /* all zero: fields added later stay off */
    ek_td_role_ext(s->from, node.ext);
    node.pan_id = ctx->dut->pan_id;
    node.seq = seq;
    ek_build_eb eb;
    ek_build_eb_init(&eb);
    eb.has_ji = true;
    eb.ji.r = true;
    eb.ji.proxy_prio = pr->proxy;
    eb.ji.rank_prio = ctx->dut->prof.ji == EK_JI_BYTE_ALIGNED ? (uint16_t)(pr->rank >> 4) : pr->rank;
    eb.ji.pan_prio = 0x10;
    eb.ji.reserved = pr->res_all ? (ctx->dut->prof.ji == EK_JI_BYTE_ALIGNED ? 0x7f : 0x07) : 0;
    eb.ji.p = pr->p;
    if (pr->p)
        memcpy(eb.ji.jp_iid, JP_IID, 8);
    uint8_t nid[16];
    memcpy(nid, a->nid, 16);
    size_t nlen = a->nid_len;
    if (pr->net == NET_OTHER)
        nid[0] ^= 0xff;
    if (pr->nid == NID_EMPTY)
        nlen = 0;
    if (pr->nid == NID_16 || pr->nid == NID_17)
        nlen = 16;
    eb.ji.network_id = ek_view_make(nid, nlen);
    if (pr->nid == NID_17)
        eb.ji_len_delta = 1;    /* content 5 + 17: N = 17 > 16 (RFC 9032 §2: malformed) */
    if (pr->p_short)
        eb.ji_len_delta = -4;   /* P = 1 with content length 9: the IID cut short */
    eb.ji_before_6top = pr->six_p;
    ek_err e;
    if (ek_build_eb_frame(&node, &eb, &ctx->dut->prof, out, cap, len, &e) != EK_OK) {
        snprintf(err, errlen, "EB: %s", e.field ? e.field : "?");
        return -1;
    }
    return 0;
}

static uint64_t piv_value(ek_view v)
{
    uint64_t x = 0;
    for (size_t i = 0; i < v.len && i < 8; i++)
        x = x << 8 | v.p[i];
    return x;
}

/* The real JRC (or the fake network's) answers a Join Request: a 2.04 with the
 * Configuration (RFC 9031 §8.1.2), relayed by the Join Proxy as NON (§7.1). */
static unsigned answer_jr(agent *a, const ek_td_ctx *ctx, ek_join_msg *m, int role, uint8_t seq[EK_ROLE_COUNT],
                          ek_agent_reply *out)
{
    const eb_preset *pr = &PRESETS[a->preset[role]];
    uint8_t coap[EK_JOIN_COAP_MAX];
    size_t n = 0;
    ek_join_hdr h;
    memset(&h, 0, sizeof h);
    h.type = EK_COAP_NON;
    h.mid = (uint16_t)(0x6000 + a->n_jr + a->errs_sent);
    memcpy(h.token, m->token, m->token_len > 8 ? 8 : m->token_len);
    h.token_len = m->token_len > 8 ? 8 : m->token_len;
    ek_err e;
    if (pr->net == NET_REAL && a->err_left > 0) {
        /* S13: an unprotected 4.01 / 5.03 with the request's token (RFC 9031 §7.3.2) */
        ek_coap_msg r;
        ek_coap_msg_init(&r);
        r.type = EK_COAP_NON;
        r.code = a->errs_sent % 2 ? EK_COAP_SERVICE_UNAVAILABLE : EK_COAP_UNAUTHORIZED;
        r.mid = h.mid;
        ek_buf b;
        ek_buf_init(&b, coap, sizeof coap);
        if (ek_join_coap_encode(&r, ek_view_make(h.token, h.token_len), &b, &e) != EK_OK)
            return 0;
        n = b.len;
        a->err_left--;
        a->errs_sent++;
    } else if (pr->net == NET_REAL) {
        ek_oscore_req rq;
        if (ek_join_open_request(m, &a->jrc, &rq, &e) != EK_OK || !m->opened) {
            /* a copy of a request already answered (a retransmission): the same answer */
            if (a->last_ans_rec >= 0 && a->cur.rec == a->last_ans_rec && a->last_ans_len) {
                memcpy(coap, a->last_ans, a->last_ans_len);
                n = a->last_ans_len;
                a->cur.answered_real = true;
            } else {
                return 0;   /* §7.3.2: silently dropped */
            }
        } else {
            ek_cojp_config cfg;
            uint8_t sid[2];
            make_config(&cfg, sid, 0x02);
            ek_join_resp jr = { EK_COAP_CHANGED, &cfg, NULL, false };
            if (ek_join_response_msg(&a->jrc, &rq, &h, &jr, coap, sizeof coap, &n, &e) != EK_OK)
                return 0;
            memcpy(a->last_ans, coap, n);
            a->last_ans_len = n;
            a->last_ans_rec = a->cur.rec;
            a->cur.answered_real = true;
            a->answered_any = true;
        }
    } else {
        /* S7 / S10: a network that does not hold this pledge's PSK answers anyway, under its
         * own key, bound to what the request shows in clear (kid "" and its Partial IV) */
        ek_oscore_req rq;
        memset(&rq, 0, sizeof rq);
        rq.piv_len = (uint8_t)(m->osc.piv.len > EK_OSCORE_PIV_MAX ? EK_OSCORE_PIV_MAX : m->osc.piv.len);
        memcpy(rq.piv, m->osc.piv.p, rq.piv_len);
        ek_oscore_nonce(a->fake.common_iv, ek_view_make(NULL, 0), ek_view_make(rq.piv, rq.piv_len), rq.nonce);
        ek_cojp_config cfg;
        uint8_t sid[2];
        make_config(&cfg, sid, 0x66);
        ek_join_resp jr = { EK_COAP_CHANGED, &cfg, NULL, false };
        if (ek_join_response_msg(&a->fake, &rq, &h, &jr, coap, sizeof coap, &n, &e) != EK_OK)
            return 0;
    }
    out->from = (ek_role)role;
    if (frame_to_pledge(ctx, (ek_role)role, m->dst_ip, m->src_ip, m->dst_port, m->src_port, seq[role]++, coap, n,
                        out->mpdu, sizeof out->mpdu, &out->len) != 0)
        return 0;
    return 1;
}

static int role_of(const uint8_t ext[8])
{
    for (int i = 0; i < EK_ROLE_COUNT; i++) {
        uint8_t r[8];
        ek_td_role_ext((ek_role)i, r);
        if (memcmp(r, ext, 8) == 0)
            return i;
    }
    return -1;
}

static unsigned ag_dut_frame(void *st, const ek_td_ctx *ctx, const ek_frame *f, const uint8_t *mpdu, size_t len,
                             uint64_t now_ns, uint8_t seq[EK_ROLE_COUNT], ek_agent_reply *out, unsigned cap)
{
    agent *a = st;
    (void)mpdu;
    (void)len;
    memset(&a->cur, 0, sizeof a->cur);
    a->cur.role = -1;
    a->cur.rec = -1;
    a->cur.pu = -1;
    if (!a->ready || cap == 0)
        return 0;
    ek_join_msg *m = &a->m;
    ek_err e;
    if (ek_join_parse(f, m, &e) != EK_OK || m->kind == EK_JOIN_NOT_COAP)
        return 0;
    if (m->kind == EK_JOIN_RESPONSE && m->oscore) {
        /* the pledge's answer to one of our Parameter Updates (RFC 9031 §8.2.1) */
        for (unsigned i = 0; i < a->n_pu; i++) {
            if (m->token_len != 2 || memcmp(m->token, a->pu[i].token, 2) != 0)
                continue;
            if (ek_join_open_response(m, &a->jrc, &a->pu[i].req, &e) == EK_OK && m->opened &&
                m->inner_msg.code == EK_COAP_CHANGED) {
                a->cur.pu = (int)i;
                a->cur.pu_answers = ++a->pu[i].answers;
            }
            break;
        }
        return 0;
    }
    if (m->kind != EK_JOIN_REQUEST || !m->oscore || !m->osc_ok || !m->uri_host_jrc)
        return 0;
    /* a Join Request (RFC 9031 §8.1.1) */
    a->cur.jr = true;
    a->cur.role = m->has_dst_ext ? role_of(m->dst_ext) : -1;
    a->cur.piv = piv_value(m->osc.piv);
    if (a->cur.role >= 0 && a->preset[a->cur.role] >= 0) {
        uint8_t want[16];
        role_ip((ek_role)a->cur.role, PRESETS[a->preset[a->cur.role]].p && !PRESETS[a->preset[a->cur.role]].p_short,
                want);
        a->cur.addr_ok = memcmp(want, m->dst_ip, 16) == 0;
    }
    /* the same bytes again = a CoAP retransmission (RFC 7252 §4.2); else a new request */
    const uint8_t *coap = f->net.payload.p;
    size_t clen = f->net.payload.len;
    int rec = -1;
    for (unsigned i = 0; i < a->n_jr; i++)
        if (a->jr[i].len == clen && memcmp(a->jr[i].coap, coap, clen) == 0)
            rec = (int)i;
    if (rec >= 0) {
        jr_rec *r = &a->jr[rec];
        a->cur.gap_ns = now_ns - r->t;
        r->t = now_ns;
        r->tx++;
        a->cur.tx = r->tx;
        a->cur.piv_ok = true;
    } else {
        a->cur.piv_max_before = a->piv_max;
        a->cur.piv_ok = !a->any_piv || a->cur.piv > a->piv_max;
        if (a->n_jr < MAX_JR && clen <= sizeof a->jr[0].coap) {
            rec = (int)a->n_jr++;
            jr_rec *r = &a->jr[rec];
            r->t = now_ns;
            r->role = a->cur.role;
            r->addr_ok = a->cur.addr_ok;
            r->piv = a->cur.piv;
            r->len = clen;
            memcpy(r->coap, coap, clen);
            r->tx = 1;
        }
        a->cur.tx = 1;
        if (!a->any_piv || a->cur.piv > a->piv_max)
            a->piv_max = a->cur.piv;
        a->any_piv = true;
        if (a->choice[a->round] < 0)
            a->choice[a->round] = a->cur.role;
    }
    a->cur.rec = rec;
    /* only a Join Proxy the harness plays, at its own address, passes it on */
    if (a->cur.role < 0 || a->preset[a->cur.role] < 0 || !a->cur.addr_ok || PRESETS[a->preset[a->cur.role]].proxy == 0x7f)
        return 0;
    return answer_jr(a, ctx, m, a->cur.role, seq, out);
}

static const ek_td_agent pledge_agent = { sizeof(agent), ag_begin, ag_build, ag_dut_frame };
static const ek_td_agent pledge_agent_errors = { sizeof(agent), ag_begin_errors, ag_build, ag_dut_frame };

/* ---- predicates ---- */

static const char *role_letter(int r)
{
    return r == EK_ROLE_A ? "A" : r == EK_ROLE_B ? "B" : r == EK_ROLE_ROGUE ? "ROGUE" : "no harness role";
}

static bool jr_check(const ek_td_ctx *ctx, int role, bool want_addr, char *why, size_t whylen)
{
    const agent *a = ctx->agent;
    if (!a->cur.jr) {
        snprintf(why, whylen, "not a Join Request");
        return false;
    }
    if (a->cur.role != role) {
        snprintf(why, whylen, "Join Request (Partial IV %llu) to %s, not to %s", (unsigned long long)a->cur.piv,
                 role_letter(a->cur.role), role_letter(role));
        return false;
    }
    if (want_addr && !a->cur.addr_ok) {
        snprintf(why, whylen, "Join Request to %s's link-layer address but not to the IPv6 address its Join-Info "
                 "names (RFC 9032 §2: P = 1 -> fe80::IID, P = 0 -> from the L2 address)", role_letter(role));
        return false;
    }
    snprintf(why, whylen, "Join Request (Partial IV %llu) to %s", (unsigned long long)a->cur.piv, role_letter(role));
    return true;
}

bool ek_sp_pl_jr_to_a(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    (void)f;
    return jr_check(ctx, EK_ROLE_A, true, why, whylen);
}

bool ek_sp_pl_jr_to_b(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    (void)f;
    return jr_check(ctx, EK_ROLE_B, true, why, whylen);
}

/* EXPECT_NOT: a Join Request to A at any address. */
bool ek_sp_pl_any_jr_to_a(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    (void)f;
    return jr_check(ctx, EK_ROLE_A, false, why, whylen);
}

/* EXPECT_NOT (INFO): a Join Request to A or B (Join Proxies whose Join-Info is malformed). */
bool ek_sp_pl_jr_to_malformed(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    const agent *a = ctx->agent;
    (void)f;
    if (a->cur.jr && (a->cur.role == EK_ROLE_A || a->cur.role == EK_ROLE_B)) {
        snprintf(why, whylen, "Join Request to %s, whose Join-Info is malformed (RFC 9032 §2: content length "
                 "5 + 8P + N, N <= 16)", role_letter(a->cur.role));
        return true;
    }
    snprintf(why, whylen, "no Join Request to a malformed Join-Info");
    return false;
}

/* A Join Request to A that the harness's JRC answered (the pledge joined through A). */
bool ek_sp_pl_joined_via_a(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    const agent *a = ctx->agent;
    if (!jr_check(ctx, EK_ROLE_A, true, why, whylen))
        return false;
    if (!a->cur.answered_real) {
        snprintf(why, whylen, "Join Request (Partial IV %llu) to A that the JRC could not open (OSCORE)",
                 (unsigned long long)a->cur.piv);
        return false;
    }
    (void)f;
    return true;
}

/* RFC 9031 §7.3, RFC 8613 §7.2.1: a new Join Request carries a Partial IV above every
 * earlier one in the TD, across attempts, Join Proxies, networks and reboots; only a
 * retransmission (the same bytes, RFC 7252 §4.2) repeats one.  With a provisioned
 * network ID, no Join Request goes to B, whose EBs carry another (RFC 9031 §4.1). */
bool ek_sp_pl_piv_rising(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    const agent *a = ctx->agent;
    (void)f;
    if (!a->cur.jr) {
        snprintf(why, whylen, "not a Join Request");
        return true;
    }
    if (!a->cur.piv_ok) {
        snprintf(why, whylen, "a new Join Request (other bytes) to %s with Partial IV %llu, not above the %llu "
                 "used before: an OSCORE nonce reused (RFC 9031 §7.3)", role_letter(a->cur.role),
                 (unsigned long long)a->cur.piv, (unsigned long long)a->cur.piv_max_before);
        return false;
    }
    if (provisioned(ctx->dut) && a->cur.role == EK_ROLE_B) {
        snprintf(why, whylen, "Join Request to B, whose EBs carry another network ID than the pledge's "
                 "provisioned one (RFC 9031 §4.1)");
        return false;
    }
    snprintf(why, whylen, "Join Request to %s, Partial IV %llu (%s)", role_letter(a->cur.role),
             (unsigned long long)a->cur.piv, a->cur.tx > 1 ? "a retransmission" : "above every earlier one");
    return true;
}

/* After the reboot: a new Join Request whose Partial IV is above every one before it. */
bool ek_sp_pl_piv_after_reboot(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    const agent *a = ctx->agent;
    (void)f;
    if (!a->cur.jr) {
        snprintf(why, whylen, "not a Join Request");
        return false;
    }
    if (a->cur.tx == 1 && a->cur.piv_ok) {
        snprintf(why, whylen, "Join Request with Partial IV %llu > %llu, the highest before the reboot",
                 (unsigned long long)a->cur.piv, (unsigned long long)a->cur.piv_max_before);
        return true;
    }
    snprintf(why, whylen, "Join Request with Partial IV %llu after the reboot; %llu was used before it (RFC 9031 "
             "§7.3.1: the sequence number MUST survive a reboot, RFC 8613 Appendix B.1.1)",
             (unsigned long long)a->cur.piv, (unsigned long long)a->cur.piv_max_before);
    return false;
}

/* RFC 7252 §4.2: the k-th retransmission of the Join Request comes ACK_TIMEOUT x 2^(k-1)
 * x [1, ACK_RANDOM_FACTOR 1.5] after the previous transmission (+- slack). */
static bool retrans(const ek_td_ctx *ctx, unsigned k, char *why, size_t whylen)
{
    const agent *a = ctx->agent;
    if (!a->cur.jr || a->cur.tx != k + 1) {
        if (!a->cur.jr)
            snprintf(why, whylen, "not a Join Request (retransmission %u expected)", k);
        else if (a->cur.tx == 1)
            snprintf(why, whylen, "a new Join Request (Partial IV %llu) instead of retransmission %u of the last one",
                     (unsigned long long)a->cur.piv, k);
        else
            snprintf(why, whylen, "Join Request transmission %u, not retransmission %u", a->cur.tx, k);
        return false;
    }
    uint64_t at = (uint64_t)ctx->dut->cojp_ack_timeout_ms * NS_PER_MS << (k - 1);
    uint64_t slack = (uint64_t)ctx->dut->slack_ms * NS_PER_MS;
    uint64_t lo = at > slack ? at - slack : 0, hi = at + at / 2 + slack;
    uint64_t g = a->cur.gap_ns;
    if (g < lo || g > hi) {
        snprintf(why, whylen, "retransmission %u %llu ms after the previous one; RFC 7252 §4.2 allows %llu..%llu ms "
                 "(ACK_TIMEOUT %u ms x %u x [1, 1.5], +- slack)", k, (unsigned long long)(g / NS_PER_MS),
                 (unsigned long long)(lo / NS_PER_MS), (unsigned long long)(hi / NS_PER_MS),
                 (unsigned)ctx->dut->cojp_ack_timeout_ms, 1u << (k - 1));
        return false;
    }
    snprintf(why, whylen, "retransmission %u of the Join Request %llu ms after the previous one", k,
             (unsigned long long)(g / NS_PER_MS));
    return true;
}

bool ek_sp_pl_retrans1(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    (void)f;
    return retrans(ctx, 1, why, whylen);
}
bool ek_sp_pl_retrans2(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    (void)f;
    return retrans(ctx, 2, why, whylen);
}
bool ek_sp_pl_retrans3(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    (void)f;
    return retrans(ctx, 3, why, whylen);
}

static bool pu_answer(const ek_td_ctx *ctx, int pu, bool again, char *why, size_t whylen)
{
    const agent *a = ctx->agent;
    if (a->cur.pu != pu || (again && a->cur.pu_answers < 2)) {
        snprintf(why, whylen, "not a%s 2.04 to Parameter Update %d that verifies", again ? "nother" : "", pu + 1);
        return false;
    }
    snprintf(why, whylen, "a 2.04 to Parameter Update %d that verifies under the JRC context%s", pu + 1,
             again ? ": the replayed update was processed again (RFC 9031 §7.3.1, RFC 8613 §7.4)" : "");
    return true;
}

bool ek_sp_pl_pu1_answered(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    (void)f;
    return pu_answer(ctx, 0, false, why, whylen);
}
bool ek_sp_pl_pu2_answered(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    (void)f;
    return pu_answer(ctx, 1, false, why, whylen);
}
bool ek_sp_pl_pu1_answered_again(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    (void)f;
    return pu_answer(ctx, 0, true, why, whylen);
}

/* TP-EB-04: the round-2 Join Request; INFO when both rounds chose the JP with the lower
 * rank priority (the only difference between them; RFC 9032 §2: pledges MUST ignore it). */
bool ek_sp_pl_rank_ignored(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t whylen)
{
    const agent *a = ctx->agent;
    (void)f;
    if (!a->cur.jr || (a->cur.role != EK_ROLE_A && a->cur.role != EK_ROLE_B)) {
        snprintf(why, whylen, "not a Join Request to A or B");
        return false;
    }
    int c0 = a->choice[0], c1 = a->choice[1] >= 0 ? a->choice[1] : a->cur.role;
    /* round 1: A had the lower rank priority; round 2: B */
    if (c0 == EK_ROLE_A && c1 == EK_ROLE_B) {
        snprintf(why, whylen, "chose A, then B: the Join Proxy with the lower rank priority both times, though "
                 "nothing else differed (RFC 9032 §2: pledges MUST ignore the rank priority)");
        return false;
    }
    snprintf(why, whylen, "chose %s, then %s: not by rank priority", role_letter(c0), role_letter(c1));
    return true;
}

/* ---- TDs ---- */

#define NEEDS_PLEDGE EK_CAP_PLEDGE
#define W_JOIN D_JOIN(1)           /* the pledge finds the EBs, scans as long as it declared, then joins */
#define W_ANSWER D_EXCHANGE        /* the JRC's request is answered before it would give up */
#define W_ANSWER_PRECOND D_ANSWER_PRECOND /* an answer the TD only needs as a precondition */
#define W_NO_ANSWER D_ACK(2)       /* a replay is watched until the JRC would have retransmitted */

#define STEP_EB(what_, role_, preset_) \
    { .kind = EK_STEP_INJECT, .what = (what_), \
      .stim = { .from = (role_), .kind = EK_STIM_AGENT, .agent_arg = (preset_), .every = D_EB(1) } }
#define STEP_STOP(role_) \
    { .kind = EK_STEP_INJECT, .what = "stop its EBs", .stim = { .from = (role_), .kind = EK_STIM_STOP } }
#define STEP_REBOOT \
    { .kind = EK_STEP_INJECT, .what = "reset the pledge (a reboot: RAM lost, persistent memory kept)", \
      .stim = { .kind = EK_STIM_RESET } }
#define STEP_EXPECT(what_, pred_, win_, to_) \
    { .kind = EK_STEP_EXPECT, .what = (what_), .match = { .cls = EK_CLASS_COAP, .pred = (pred_) }, \
      .window = win_, .on_timeout = (to_) }
#define STEP_NEXT(what_, pred_, win_, to_) \
    { .kind = EK_STEP_NEXT, .what = (what_), .match = { .cls = EK_CLASS_COAP, .pred = (pred_) }, \
      .window = win_, .on_timeout = (to_) }
#define STEP_NOT(what_, pred_, win_) \
    { .kind = EK_STEP_EXPECT_NOT, .what = (what_), .match = { .cls = EK_CLASS_COAP, .pred = (pred_) }, \
      .window = win_ }
#define STEP_PU(what_) \
    { .kind = EK_STEP_INJECT, .what = (what_), \
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_AGENT, .agent_arg = AG_PU_NEW } }

#define PLEDGE_CONFIG_COMMON \
    "The harness plays Join Proxies (roles A, B, ROGUE: EBs every [timing] eb_period_ms) and the JRC behind " \
    "them, which holds the profile's [cojp] psk and pledge_id (RFC 9031 §7.3) and answers a Join Request " \
    "that reaches a Join Proxy at its own address with a 2.04 Configuration (one link-layer key, a short " \
    "identifier), relayed NON (§7.1)."

#define PLEDGE_RULE_COMMON \
    "Windows: a Join Request within the pledge's join time after the Join Proxies' EBs begin ([timing] " \
    "join_ms, 40 EB periods unless the profile declares it: the pledge scans as long as it likes, RFC 9031 " \
    "§4.1, so its absence is INCONC, never FAIL, unless the TD's subject is that it joins); " \
    "an answer to a Parameter Update before the JRC would give up on it, MAX_TRANSMIT_WAIT = 46.5 " \
    "ACK_TIMEOUT of the profile ([cojp] ack_timeout_ms, RFC 7252 §4.8.2, RFC 9031 §7.2), within 2 " \
    "ACK_TIMEOUT where it is only a precondition (INCONC without it); a replayed update is watched for 2 " \
    "ACK_TIMEOUT.  A Join Request counts for a Join Proxy when its link-layer destination is the " \
    "Join Proxy's EUI-64; its IPv6 destination must be the address the Join-Info names (RFC 9032 §2)."

/* A first round with a plain EB, a Join Request through it (INCONC when none), a reboot. */
#define CONTROL_ROUND \
    STEP_EB("A advertises Join-Info with reserved bits 0, P = 0, proxy priority 0x30", EK_ROLE_A, EB_REAL_30), \
    STEP_EXPECT("precondition: the pledge joins through A", ek_sp_pl_joined_via_a, W_JOIN, EK_V_INCONC), \
    STEP_STOP(EK_ROLE_A), STEP_REBOOT

static bool unprovisioned(const ek_dut *d, char *why, size_t whylen)
{
    if (!provisioned(d))
        return true;
    snprintf(why, whylen, "the pledge is provisioned with a network ID ([cojp] network_id): EBs with N = 0 "
             "belong to another network for it (RFC 9031 §4.1)");
    return false;
}

static const ek_step eb02_steps[] = {
    CONTROL_ROUND,
    STEP_EB("A advertises the same Join-Info with every reserved bit 1", EK_ROLE_A, EB_RES_ALL),
    STEP_EXPECT("the pledge joins through A as before (reserved bits ignored)", ek_sp_pl_joined_via_a, W_JOIN,
                EK_V_FAIL),
};
const ek_td ek_td_eb_02 = {
    .id = "TP-EB-02", .suite = "pledge",
    .title = "Join-Info with every reserved bit set is used like one with reserved bits 0",
    .objective = "A pledge ignores the reserved bits of Join-Info on receipt: an EB whose reserved bits are all 1 "
                 "leads it to the same Join Proxy it joined through when they were 0.",
    .refs = "EB-3 (RFC 9032 §2)",
    .config = PLEDGE_CONFIG_COMMON " Round 1: A with reserved bits 0; reboot; round 2: A with reserved bits all 1 "
              "(3 bits in rfc9032-literal, 7 in byte-aligned).",
    .profiles = EK_PROF_ALL, .needs = NEEDS_PLEDGE, .role = EK_NODE_PLEDGE,
    .steps = eb02_steps, .n_steps = EK_N_STEPS(eb02_steps), .agent = &pledge_agent,
    .rule = "RFC 9032 §2: the reserved bits MUST be ignored on receipt; the only difference between the rounds is "
            "them, so a pledge that joined in round 1 and not in round 2 rejected the EB (FAIL). " PLEDGE_RULE_COMMON,
};

static const ek_step eb03_steps[] = {
    STEP_EB("A advertises proxy priority 0x7f", EK_ROLE_A, EB_7F),
    STEP_EB("B advertises proxy priority 0x30", EK_ROLE_B, EB_REAL_30),
    STEP_NEXT("the pledge's first CoJP frame is a Join Request to B", ek_sp_pl_jr_to_b, W_JOIN, EK_V_INCONC),
    STEP_NOT("no Join Request to A", ek_sp_pl_any_jr_to_a, D_EB(20)),
};
const ek_td ek_td_eb_03 = {
    .id = "TP-EB-03", .suite = "pledge",
    .title = "A Join Proxy advertising proxy priority 0x7f is never used",
    .objective = "Of two Join Proxies, A with proxy priority 0x7f and B with 0x30, the pledge sends its join "
                 "traffic only to B.",
    .refs = "EB-5 (RFC 9032 §2)",
    .config = PLEDGE_CONFIG_COMMON " A: proxy priority 0x7f (its EBs first); B: 0x30; both P = 0, one network ID.",
    .profiles = EK_PROF_ALL, .needs = NEEDS_PLEDGE, .role = EK_NODE_PLEDGE,
    .steps = eb03_steps, .n_steps = EK_N_STEPS(eb03_steps), .agent = &pledge_agent,
    .rule = "RFC 9032 §2: proxy priority 0x7f means the sender is never to be considered a viable Join Proxy: any "
            "Join Request to A (by its link-layer address) is a FAIL. " PLEDGE_RULE_COMMON,
};

static const ek_step eb04_steps[] = {
    STEP_EB("A: proxy priority 0x30, rank priority 0x010", EK_ROLE_A, EB_RANK_LOW),
    STEP_EB("B: proxy priority 0x30, rank priority 0xf00", EK_ROLE_B, EB_RANK_HIGH),
    STEP_NEXT("round 1: the pledge's first CoJP frame is a Join Request to A or B (its choice is recorded)",
              ek_sp_pl_rank_ignored, W_JOIN, EK_V_INCONC),
    STEP_STOP(EK_ROLE_A), STEP_STOP(EK_ROLE_B), STEP_REBOOT,
    STEP_EB("A: rank priority now 0xf00", EK_ROLE_A, EB_RANK_HIGH_R2),
    STEP_EB("B: rank priority now 0x010", EK_ROLE_B, EB_RANK_LOW_R2),
    { .kind = EK_STEP_NEXT, .what = "round 2: the choice does not follow the rank priority (INFO)",
      .match = { .cls = EK_CLASS_COAP, .pred = ek_sp_pl_rank_ignored }, .window = W_JOIN,
      .on_timeout = EK_V_INCONC, .info_profiles = EK_PROF_ALL },
};
const ek_td ek_td_eb_04 = {
    .id = "TP-EB-04", .suite = "pledge",
    .title = "Rank priority does not steer the pledge's choice of Join Proxy",
    .objective = "Two Join Proxies differ only in rank priority, then swap it; a pledge that followed the lower "
                 "rank priority both times used a field it must ignore.",
    .refs = "EB-6 (RFC 9032 §2)",
    .config = PLEDGE_CONFIG_COMMON " Round 1: A rank priority 0x010, B 0xf00; reboot; round 2: swapped.  Proxy "
              "priority 0x30, PAN priority, P and network ID equal.",
    .profiles = EK_PROF_ALL, .needs = NEEDS_PLEDGE, .role = EK_NODE_PLEDGE,
    .steps = eb04_steps, .n_steps = EK_N_STEPS(eb04_steps), .agent = &pledge_agent,
    .rule = "RFC 9032 §2: pledges MUST ignore the rank priority.  Two rounds cannot prove what a pledge uses, so "
            "following the lower rank priority in both is INFO, never FAIL; any tie-breaking among equal Join "
            "Proxies (first heard, last heard, lowest address, random) passes. " PLEDGE_RULE_COMMON,
};

static const ek_step eb05_steps[] = {
    STEP_EB("A advertises P = 1 with an interface ID not derived from its EUI-64", EK_ROLE_A, EB_P1),
    STEP_NEXT("the Join Request goes to fe80:: + that interface ID", ek_sp_pl_jr_to_a, W_JOIN, EK_V_INCONC),
    STEP_STOP(EK_ROLE_A), STEP_REBOOT,
    STEP_EB("A advertises P = 0", EK_ROLE_A, EB_REAL_30),
    STEP_NEXT("the Join Request goes to fe80:: + the IID of A's EUI-64", ek_sp_pl_jr_to_a, W_JOIN, EK_V_INCONC),
};
const ek_td ek_td_eb_05 = {
    .id = "TP-EB-05", .suite = "pledge",
    .title = "Join Requests go to the address the Join-Info names: fe80::IID for P = 1, L2-derived for P = 0",
    .objective = "With P = 1 the pledge sends its Join Request to fe80:: + the advertised Join Proxy interface ID; "
                 "with P = 0 to fe80:: + the IID derived from the EB's link-layer source.",
    .refs = "EB-4 (RFC 9032 §2; RFC 4944 §6)",
    .config = PLEDGE_CONFIG_COMMON " A (EUI-64 02:00:5e:ef:00:00:00:0a) first with P = 1 and interface ID "
              "02:00:5e:ef:00:00:99:01, then (after a reboot) with P = 0.",
    .profiles = EK_PROF_ALL, .needs = NEEDS_PLEDGE, .role = EK_NODE_PLEDGE,
    .steps = eb05_steps, .n_steps = EK_N_STEPS(eb05_steps), .agent = &pledge_agent,
    .rule = "RFC 9032 §2: P = 1: the Join Proxy's link-local address is fe80:: + the Join Proxy Interface ID; "
            "P = 0: the pledge derives the IID from the link-layer address (RFC 4944 §6, U/L bit inverted).  The "
            "pledge's first CoJP frame after the EB must be a Join Request to that address (FAIL otherwise). "
            PLEDGE_RULE_COMMON,
};

static const ek_step eb06_steps[] = {
    STEP_EB("A advertises a network ID of 16 octets (N = 16)", EK_ROLE_A, EB_N16),
    STEP_EXPECT("the pledge joins through A", ek_sp_pl_joined_via_a, W_JOIN, EK_V_FAIL),
    STEP_STOP(EK_ROLE_A), STEP_REBOOT,
    STEP_EB("A advertises a network ID of 0 octets (N = 0)", EK_ROLE_A, EB_N0),
    STEP_EXPECT("the pledge joins through A", ek_sp_pl_joined_via_a, W_JOIN, EK_V_FAIL),
    STEP_STOP(EK_ROLE_A), STEP_REBOOT,
    STEP_EB("A: Join-Info content length 22 (N = 17), proxy priority 0x10", EK_ROLE_A, EB_N17),
    STEP_EB("B: P = 1 with content length 9, proxy priority 0x10", EK_ROLE_B, EB_P_SHORT),
    { .kind = EK_STEP_EXPECT_NOT, .what = "how it treats malformed Join-Info (INFO): no Join Request to A or B",
      .match = { .cls = EK_CLASS_COAP, .pred = ek_sp_pl_jr_to_malformed }, .window = W_JOIN,
      .info_profiles = EK_PROF_ALL },
    { .kind = EK_STEP_WAIT, .what = "the pledge survives them (a crash is a FAIL)", .window = D_EB(2) },
};
const ek_td ek_td_eb_06 = {
    .id = "TP-EB-06", .suite = "pledge",
    .title = "Network IDs of 0 and 16 octets are accepted; N = 17 and a short P = 1 IE do not crash the pledge",
    .objective = "A pledge joins through EBs whose network ID has 0 or 16 octets, and survives Join-Info with N = "
                 "17 or with P = 1 and content length 9.",
    .refs = "EB-2, S17 (RFC 9032 §2)",
    .config = PLEDGE_CONFIG_COMMON " Three rounds with reboots: A with N = 16; A with N = 0; A with N = 17 and B "
              "with P = 1 and content length 9.  Not for a pledge provisioned with a network ID.",
    .profiles = EK_PROF_ALL, .needs = NEEDS_PLEDGE, .role = EK_NODE_PLEDGE,
    .steps = eb06_steps, .n_steps = EK_N_STEPS(eb06_steps), .agent = &pledge_agent, .applies = unprovisioned,
    .rule = "RFC 9032 §2: content length = 5 + 8P + N with 0 <= N <= 16; N = 0 and N = 16 are well formed, so a "
            "pledge without a provisioned network ID that does not join through them FAILs.  The malformed ones: "
            "no crash (the engine fails a TD whose input kills the DUT); whether the pledge still uses them is "
            "INFO. " PLEDGE_RULE_COMMON,
};

static const ek_step eb08_steps[] = {
    CONTROL_ROUND,
    STEP_EB("A's EB carries a 6P IE (subtype 1), Join-Info and an IETF IE of subtype 200", EK_ROLE_A, EB_SIX_P),
    STEP_EXPECT("the pledge joins through A (Join-Info found among the IETF IEs)", ek_sp_pl_joined_via_a, W_JOIN,
                EK_V_FAIL),
};
const ek_td ek_td_eb_08 = {
    .id = "TP-EB-08", .suite = "pledge",
    .title = "Join-Info is found among a 6P IE and an unknown IETF IE subtype",
    .objective = "An EB whose payload IEs hold 6P (subtype 1), Join-Info (2) and subtype 200 is used like an EB with "
                 "Join-Info alone.",
    .refs = "EB-11 (RFC 8137 §4; RFC 9032 §2)",
    .config = PLEDGE_CONFIG_COMMON " Round 1: A with Join-Info alone; reboot; round 2: A with the three IETF IEs.",
    .profiles = EK_PROF_ALL, .needs = NEEDS_PLEDGE, .role = EK_NODE_PLEDGE,
    .steps = eb08_steps, .n_steps = EK_N_STEPS(eb08_steps), .agent = &pledge_agent,
    .rule = "RFC 8137 §4: a frame may carry several IETF IEs; a receiver skips subtypes it does not know.  A pledge "
            "that joined in round 1 and not in round 2 did not find Join-Info (FAIL). " PLEDGE_RULE_COMMON,
};

static const ek_step sec02_steps[] = {
    STEP_EB("ROGUE (a fake network: the real network ID, not the pledge's JRC) advertises proxy priority 0x00",
            EK_ROLE_ROGUE, EB_FAKE_00),
    STEP_EB("B (another network ID) advertises proxy priority 0x08", EK_ROLE_B, EB_OTHER_08),
    STEP_EB("A (the real network) advertises proxy priority 0x30", EK_ROLE_A, EB_REAL_30),
    { .kind = EK_STEP_ALWAYS, .what = "every new Join Request's Partial IV is above every earlier one (and none to B "
                                      "when provisioned)",
      .match = { .cls = EK_CLASS_COAP, .pred = ek_sp_pl_piv_rising }, .window = D_ACK(200),
      .window_plus = D_JOIN(3), .on_timeout = EK_V_INCONC },
    STEP_PU("the real JRC sends a Parameter Update through A"),
    /* its last Join Request may still be under way: one more join time */
    { .kind = EK_STEP_EXPECT, .what = "the pledge answers it: it joined the real network",
      .match = { .cls = EK_CLASS_COAP, .pred = ek_sp_pl_pu1_answered }, .window = W_ANSWER, .window_plus = D_JOIN(1),
      .on_timeout = EK_V_FAIL },
    STEP_REBOOT,
    STEP_NEXT("after the reboot, its first CoJP frame is a Join Request with a Partial IV above every earlier one",
              ek_sp_pl_piv_after_reboot, W_JOIN, EK_V_INCONC),
};
const ek_td ek_td_sec_02_pledge = {
    .id = "TP-SEC-02-pledge", .suite = "pledge",
    .title = "S7/S10: a fake network with the right network ID next to the real one; Partial IVs only rise",
    .objective = "Next to the real network (A), a fake one with the same network ID and a more attractive proxy "
                 "priority (ROGUE) answers with a key the pledge does not hold, and another network (B) advertises "
                 "another ID.  The pledge ends up joined to the real network, and every new Join Request - across "
                 "attempts, Join Proxies, networks and a reboot - carries a Partial IV above every earlier one.",
    .refs = "S7, S10 (RFC 9031 §4.1, §7.3, §7.3.1, §7.3.2; RFC 8613 §7.2.1, Appendix B.1.1)",
    .config = PLEDGE_CONFIG_COMMON " ROGUE: proxy 0x00, the real network ID, its 2.04 protected under another PSK; "
              "B: proxy 0x08, another network ID, the same wrong answers; A: proxy 0x30, the real JRC.",
    .profiles = EK_PROF_ALL, .needs = NEEDS_PLEDGE, .role = EK_NODE_PLEDGE,
    .steps = sec02_steps, .n_steps = EK_N_STEPS(sec02_steps), .agent = &pledge_agent,
    .rule = "RFC 9031 §7.3: sequence numbers MUST never be reused, even towards different JRCs, so a new Join "
            "Request (other bytes than an earlier one) with a Partial IV not above every earlier one is a FAIL; a "
            "CoAP retransmission repeats its bytes (RFC 7252 §4.2).  §7.3.1: they survive a reboot.  §7.3.2: the "
            "fake answers do not verify and are dropped; the pledge must still reach the real JRC within 200 "
            "ACK_TIMEOUT + 3 join times (two failed attempts of MAX_TRANSMIT_WAIT = 46.5 ACK_TIMEOUT each, RFC "
            "7252 §4.8.2, and a scan before each of the three attempts, [timing] join_ms), shown by its protected "
            "2.04 to the JRC's Parameter Update (§8.2; FAIL when none).  §4.1: "
            "a pledge provisioned with a network ID ([cojp] network_id) sends nothing to B. " PLEDGE_RULE_COMMON,
};

static const ek_step sec03_steps[] = {
    STEP_EB("A (the real network) advertises proxy priority 0x20; its first three answers are unprotected errors",
            EK_ROLE_A, EB_REAL_20),
    STEP_NEXT("the pledge's Join Request to A (answered with an unprotected 4.01)", ek_sp_pl_jr_to_a, W_JOIN,
              EK_V_INCONC),
    STEP_NEXT("retransmission 1 after ACK_TIMEOUT x [1, 1.5] (answered with an unprotected 5.03)", ek_sp_pl_retrans1,
              D_ACK(2), EK_V_FAIL),
    STEP_NEXT("retransmission 2 after twice that (answered with an unprotected 4.01)", ek_sp_pl_retrans2, D_ACK(4),
              EK_V_FAIL),
    STEP_NEXT("retransmission 3 after four times that (answered by the JRC: 2.04)", ek_sp_pl_retrans3, D_ACK(7),
              EK_V_FAIL),
    STEP_PU("the JRC sends a Parameter Update through A"),
    STEP_EXPECT("the pledge answers it: it joined after ignoring the errors", ek_sp_pl_pu1_answered, W_ANSWER,
                EK_V_FAIL),
};
const ek_td ek_td_sec_03_pledge = {
    .id = "TP-SEC-03-pledge", .suite = "pledge",
    .title = "S13: unprotected 4.01 / 5.03 responses are ignored; the pledge keeps retransmitting",
    .objective = "Unprotected error responses carrying the Join Request's token are silently discarded: the pledge "
                 "retransmits on CoAP's schedule and joins when the JRC's protected 2.04 comes.",
    .refs = "S13 (RFC 9031 §7.3.2; RFC 7252 §4.2, §4.8)",
    .config = PLEDGE_CONFIG_COMMON " A's first three answers are NON 4.01 Unauthorized / 5.03 Service "
              "Unavailable without OSCORE, the token of the request; the fourth transmission gets the 2.04.",
    .profiles = EK_PROF_ALL, .needs = NEEDS_PLEDGE, .role = EK_NODE_PLEDGE,
    .steps = sec03_steps, .n_steps = EK_N_STEPS(sec03_steps), .agent = &pledge_agent_errors,
    .rule = "RFC 9031 §7.3.2: the pledge MUST silently discard any response not protected with OSCORE, error codes "
            "included; so it retransmits as if nothing came.  RFC 7252 §4.2: retransmission k comes ACK_TIMEOUT x "
            "2^(k-1) x [1, ACK_RANDOM_FACTOR 1.5] after the previous transmission (ACK_TIMEOUT = the profile's "
            "[cojp] ack_timeout_ms, +- slack): a new request, an early or a missing retransmission is a FAIL. "
            PLEDGE_RULE_COMMON,
};

static const ek_step sec04_steps[] = {
    STEP_EB("A (the real network) advertises proxy priority 0x30", EK_ROLE_A, EB_REAL_30),
    STEP_EXPECT("precondition: the pledge joins through A", ek_sp_pl_joined_via_a, W_JOIN, EK_V_INCONC),
    STEP_PU("the JRC sends Parameter Update 1"),
    STEP_EXPECT("precondition: the node answers it (2.04 under OSCORE)", ek_sp_pl_pu1_answered, W_ANSWER_PRECOND, EK_V_INCONC),
    { .kind = EK_STEP_INJECT, .what = "Parameter Update 1's OSCORE message again, in a CoAP message with another "
                                      "Message ID",
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_AGENT, .agent_arg = AG_PU_REWRAP } },
    STEP_NOT("no second 2.04 to Parameter Update 1", ek_sp_pl_pu1_answered_again, W_NO_ANSWER),
    STEP_EB("A's EBs again (its messages above replaced them)", EK_ROLE_A, EB_REAL_30),
    STEP_REBOOT,
    STEP_EXPECT("precondition: the pledge joins again through A", ek_sp_pl_joined_via_a, W_JOIN, EK_V_INCONC),
    { .kind = EK_STEP_INJECT, .what = "Parameter Update 1 replayed byte for byte after the reboot",
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_REPLAY, .replay_step = 3 } },
    STEP_NOT("no second 2.04 to Parameter Update 1", ek_sp_pl_pu1_answered_again, W_NO_ANSWER),
    STEP_PU("the JRC sends a fresh Parameter Update 2"),
    STEP_EXPECT("precondition: the node still takes fresh updates", ek_sp_pl_pu2_answered, W_ANSWER_PRECOND, EK_V_INCONC),
};
const ek_td ek_td_sec_04_pledge = {
    .id = "TP-SEC-04-pledge", .suite = "pledge",
    .title = "S15: a replayed Parameter Update is refused, also after a reboot",
    .objective = "A joined node answers a Parameter Update once; the same OSCORE message again (in a new CoAP "
                 "message, and byte for byte after a reboot) is not processed: no second 2.04 bound to it.",
    .refs = "S15 (RFC 9031 §7.3.1, §8.2; RFC 8613 §7.4)",
    .config = PLEDGE_CONFIG_COMMON " The JRC's Parameter Updates (CON POST /j under the JRC's sender context, "
              "Partial IV from the run's clock) carry a new short identifier each.",
    .profiles = EK_PROF_ALL, .needs = NEEDS_PLEDGE, .role = EK_NODE_PLEDGE,
    .steps = sec04_steps, .n_steps = EK_N_STEPS(sec04_steps), .agent = &pledge_agent,
    .rule = "RFC 8613 §7.4: a request whose Partial IV the replay window has seen is not processed; RFC 9031 §7.3.1: "
            "the window MUST be in persistent memory, so this holds after a reboot.  A 2.04 that verifies against "
            "Parameter Update 1's binding after its first answer shows it was processed again (FAIL).  The Message "
            "ID is changed for the first replay so CoAP deduplication (RFC 7252 §4.5) cannot stand in for the "
            "replay window; after the reboot no deduplication state is left. " PLEDGE_RULE_COMMON,
};
