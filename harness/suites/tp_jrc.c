/* SPDX-License-Identifier: BSD-3-Clause */
/* The JRC as the DUT (role jrc): the harness plays a pledge provisioned with the DUT
 * profile's [cojp] psk and pledge_id (RFC 9031 §3) and the stateless Join Proxy that
 * forwards its Join Requests (§7.1: NON, the state object as an RFC 8974 token, Uri-Host
 * and Proxy-Scheme removed) to the JRC's address, fd00:: + the IID of the DUT's EUI-64.
 * TP-JRC-01 (a Join Request answered with a Configuration), -02 (S14 replay), -03 (S14
 * after a JRC reboot: persisted window and sequence number), -04 (a malformed
 * Join_Request: Diagnostic Response), -05 (an unknown pledge ID: silence). */
#include <stdio.h>
#include <string.h>

#include "ek/build.h"
#include "ek/join.h"
#include "suites_int.h"

#define MAX_REQ 8
#define MAX_PIV 16

/* The pledge's sender sequence number across the run: the JRC's replay window persists
 * across TDs and reboots (RFC 9031 §7.3.1), so a new TD must not start again at 0. */
static uint64_t g_ssn_known, g_ssn_unknown;

#define J_REQ 1u       /* a fresh Join Request of the provisioned pledge */
#define J_REPLAY 2u    /* the latest fresh request's OSCORE message again: new MID, new token */
#define J_MALFORMED 3u /* a fresh request whose Join_Request object is malformed (§8.4.1) */
#define J_UNKNOWN 4u   /* a fresh request of a pledge ID the JRC is not provisioned with */

typedef struct req_rec {
    uint8_t token[EK_JOIN_STATE_MAX];
    size_t token_len;
    unsigned kind;
    bool unknown;
    ek_oscore_req bind;
} req_rec;

typedef struct jrc_state {
    bool init;
    uint8_t jp_ip[16], jrc_ip[16], jp_ext[8];
    ek_oscore_ctx known, unknown;
    bool ok;
    req_rec req[MAX_REQ];
    unsigned n_req;
    int last_fresh;                 /* index of the latest fresh (non-replay) request */
    uint8_t last_prot[EK_JOIN_COAP_MAX];
    size_t last_prot_len;           /* its CoAP message without token (what a replay resends) */
    uint16_t mid;
    uint8_t piv[MAX_PIV][EK_OSCORE_PIV_MAX];
    uint8_t piv_len[MAX_PIV];
    unsigned n_piv;
    /* the frame being matched */
    int last_req;                   /* request it answers, -1 none */
    bool last_opened, last_config, last_diag, last_piv_reused;
    uint8_t last_inner;
    char last_what[120];
} jrc_state;

static void st_init(jrc_state *st, const ek_td_ctx *ctx)
{
    if (st->init)
        return;
    st->init = true;
    st->last_fresh = -1;
    const ek_dut *d = ctx->dut;
    ek_build_dio dio;
    ek_build_dio_init(&dio);
    ek_td_role_ext(EK_ROLE_A, st->jp_ext);
    ek_join_global_addr(dio.base.dodagid, st->jp_ext, st->jp_ip);
    ek_join_global_addr(dio.base.dodagid, d->ext, st->jrc_ip);
    ek_err e;
    uint8_t other[64];
    memcpy(other, d->cojp_pledge_id, d->cojp_pledge_id_len);
    if (d->cojp_pledge_id_len)
        other[d->cojp_pledge_id_len - 1] ^= 0xff; /* a pledge ID the JRC does not know */
    st->ok = d->cojp_psk_len >= 16 && d->cojp_pledge_id_len > 0 &&
             ek_oscore_cojp_context(EK_OSCORE_COJP_PLEDGE, ek_view_make(d->cojp_psk, d->cojp_psk_len),
                                    ek_view_make(d->cojp_pledge_id, d->cojp_pledge_id_len), &st->known, &e) == EK_OK &&
             ek_oscore_cojp_context(EK_OSCORE_COJP_PLEDGE, ek_view_make(d->cojp_psk, d->cojp_psk_len),
                                    ek_view_make(other, d->cojp_pledge_id_len), &st->unknown, &e) == EK_OK;
    st->mid = 0x6000;
}

static void begin(void *state, const ek_td_ctx *ctx, uint64_t now_ns)
{
    (void)now_ns;
    st_init(state, ctx);
}

/* What the harness's stateless JP sends the JRC: the pledge's request (options Uri-Host
 * and Proxy-Scheme removed, §7), NON, the state object as the token. */
static int jp_frame(jrc_state *st, const ek_td_ctx *ctx, const uint8_t *plain, size_t pn, req_rec *r, uint8_t seq,
                    uint8_t *out, size_t cap, size_t *len, char *err, size_t errlen)
{
    ek_coap_msg m;
    ek_err e;
    if (ek_coap_decode(ek_view_make(plain, pn), 0, NULL, &m, &e) != EK_OK) {
        snprintf(err, errlen, "request: %s", e.field ? e.field : "?");
        return -1;
    }
    unsigned k = 0;
    for (unsigned i = 0; i < m.n_opts; i++)
        if (m.opts[i].number != EK_COAP_OPT_URI_HOST && m.opts[i].number != EK_COAP_OPT_PROXY_SCHEME)
            m.opts[k++] = m.opts[i];
    m.n_opts = k;
    m.type = EK_COAP_NON;
    m.mid = st->mid++;
    ek_join_state js;
    memset(&js, 0, sizeof js);
    js.pledge_ext[0] = 0x02;
    js.pledge_ext[7] = (uint8_t)st->n_req;
    js.pledge_port = 0xf0b0;
    js.token[0] = (uint8_t)(m.mid >> 8);
    js.token[1] = (uint8_t)m.mid;
    js.token_len = 2;
    r->token_len = ek_join_state_put(&js, r->token, sizeof r->token);
    uint8_t coap[EK_JOIN_COAP_MAX];
    ek_buf b;
    ek_buf_init(&b, coap, sizeof coap);
    if (ek_join_coap_encode(&m, ek_view_make(r->token, r->token_len), &b, &e) != EK_OK) {
        snprintf(err, errlen, "forwarded request: %s", e.field ? e.field : "?");
        return -1;
    }
    ek_join_link l;
    memset(&l, 0, sizeof l);
    memcpy(l.src_ext, st->jp_ext, 8);
    memcpy(l.dst_ext, ctx->dut->ext, 8);
    l.pan_id = ctx->dut->pan_id;
    l.seq = seq;
    memcpy(l.src_ip, st->jp_ip, 16);
    memcpy(l.dst_ip, st->jrc_ip, 16);
    l.src_port = l.dst_port = EK_COAP_PORT;
    l.dscp = EK_JOIN_DSCP_AF43; /* §6.1.1 */
    l.hlim = 64;
    if (ek_join_udp_frame(&l, ek_buf_view(&b), &ctx->dut->prof, out, cap, len, &e) != EK_OK) {
        snprintf(err, errlen, "frame: %s", e.field ? e.field : "?");
        return -1;
    }
    return 0;
}

static int build(void *state, const ek_td_ctx *ctx, const ek_stimulus *s, uint8_t seq, uint64_t now_ns,
                 uint8_t *out, size_t cap, size_t *len, char *err, size_t errlen)
{
    (void)now_ns;
    jrc_state *st = state;
    st_init(st, ctx);
    if (!st->ok) {
        snprintf(err, errlen, "the DUT profile's [cojp] psk and pledge_id give no pledge context");
        return -1;
    }
    if (st->n_req == MAX_REQ) {
        snprintf(err, errlen, "more than %d requests in one TD", MAX_REQ);
        return -1;
    }
    req_rec *r = &st->req[st->n_req];
    memset(r, 0, sizeof *r);
    r->kind = s->agent_arg;
    if (s->agent_arg == J_REPLAY) {
        if (st->last_fresh < 0) {
            snprintf(err, errlen, "nothing to replay");
            return -1;
        }
        r->bind = st->req[st->last_fresh].bind;
        r->unknown = st->req[st->last_fresh].unknown;
        if (jp_frame(st, ctx, st->last_prot, st->last_prot_len, r, seq, out, cap, len, err, errlen) != 0)
            return -1;
        st->n_req++;
        return 0;
    }
    bool unknown = s->agent_arg == J_UNKNOWN;
    ek_oscore_ctx *pl = unknown ? &st->unknown : &st->known;
    uint64_t *ssn = unknown ? &g_ssn_unknown : &g_ssn_known;
    pl->ssn = *ssn;
    ek_cojp_join_request jr;
    memset(&jr, 0, sizeof jr);
    const ek_dut *d = ctx->dut;
    static const uint8_t nid0[1] = { 0 };
    jr.network_id = d->cojp_has_network_id ? ek_view_make(d->cojp_network_id, d->cojp_network_id_len)
                                           : ek_view_make(nid0, 1);
    static const uint8_t bad[] = { 0xa1, 0x05, 0x01 }; /* network identifier not a bstr (§8.4.1) */
    ek_join_hdr h;
    memset(&h, 0, sizeof h);
    h.type = EK_COAP_CON;
    h.mid = st->mid++;
    uint8_t coap[EK_JOIN_COAP_MAX];
    size_t cn;
    ek_err e;
    if (ek_join_request_msg(pl, &h, &jr, s->agent_arg == J_MALFORMED ? ek_view_make(bad, sizeof bad) : ek_view_make(NULL, 0),
                            coap, sizeof coap, &cn, &r->bind, &e) != EK_OK) {
        snprintf(err, errlen, "Join Request: %s", e.field ? e.field : "?");
        return -1;
    }
    *ssn = pl->ssn;
    r->unknown = unknown;
    memcpy(st->last_prot, coap, cn);
    st->last_prot_len = cn;
    st->last_fresh = (int)st->n_req;
    if (jp_frame(st, ctx, coap, cn, r, seq, out, cap, len, err, errlen) != 0)
        return -1;
    st->n_req++;
    return 0;
}

static ek_join_msg g_msg;

static unsigned dut_frame(void *state, const ek_td_ctx *ctx, const ek_frame *f, const uint8_t *mpdu, size_t len,
                          uint64_t now_ns, uint8_t seq[EK_ROLE_COUNT], ek_agent_reply *out, unsigned cap)
{
    (void)mpdu;
    (void)len;
    (void)now_ns;
    (void)seq;
    (void)out;
    (void)cap;
    jrc_state *st = state;
    st_init(st, ctx);
    st->last_req = -1;
    st->last_opened = st->last_config = st->last_diag = st->last_piv_reused = false;
    st->last_inner = 0;
    snprintf(st->last_what, sizeof st->last_what, "not a CoAP response to the harness's Join Proxy");
    ek_join_msg *m = &g_msg;
    ek_err e;
    if (ek_join_parse(f, m, &e) != EK_OK || m->kind == EK_JOIN_NOT_COAP || memcmp(m->dst_ip, st->jp_ip, 16) != 0)
        return 0;
    for (unsigned i = 0; i < st->n_req; i++)
        if (st->req[i].token_len == m->token_len && memcmp(st->req[i].token, m->token, m->token_len) == 0)
            st->last_req = (int)i;
    if (st->last_req < 0) {
        snprintf(st->last_what, sizeof st->last_what, "a CoAP %s with a token of none of the requests",
                 m->kind == EK_JOIN_RESPONSE ? "response" : "message");
        return 0;
    }
    req_rec *r = &st->req[st->last_req];
    snprintf(st->last_what, sizeof st->last_what, "an unprotected %u.%02u to request %d",
             EK_COAP_CODE_CLASS(m->coap.code), EK_COAP_CODE_DETAIL(m->coap.code), st->last_req + 1);
    if (!m->oscore)
        return 0;
    const ek_oscore_ctx *pl = r->unknown ? &st->unknown : &st->known;
    if (ek_join_open_response(m, pl, &r->bind, &e) != EK_OK) {
        snprintf(st->last_what, sizeof st->last_what, "a protected response to request %d that does not open (%s)",
                 st->last_req + 1, e.field ? e.field : "?");
        return 0;
    }
    st->last_opened = true;
    st->last_inner = m->inner_msg.code;
    st->last_config = m->inner_msg.code == EK_COAP_CHANGED && m->has_config;
    st->last_diag = m->inner_msg.code == EK_COAP_BAD_REQUEST && m->has_unsupported;
    snprintf(st->last_what, sizeof st->last_what, "a protected %u.%02u%s to request %d",
             EK_COAP_CODE_CLASS(st->last_inner), EK_COAP_CODE_DETAIL(st->last_inner),
             st->last_config ? " with a Configuration" : st->last_diag ? " with an Unsupported_Configuration" : "",
             st->last_req + 1);
    /* RFC 8613 §7.2.1 / RFC 9031 §7.3.1: the JRC's own Partial IVs never repeat */
    if (m->osc.piv.len) {
        for (unsigned i = 0; i < st->n_piv; i++)
            if (st->piv_len[i] == m->osc.piv.len && memcmp(st->piv[i], m->osc.piv.p, m->osc.piv.len) == 0)
                st->last_piv_reused = true;
        if (st->n_piv < MAX_PIV && m->osc.piv.len <= EK_OSCORE_PIV_MAX) {
            memcpy(st->piv[st->n_piv], m->osc.piv.p, m->osc.piv.len);
            st->piv_len[st->n_piv++] = (uint8_t)m->osc.piv.len;
        }
    }
    return 0;
}

static const ek_td_agent jrc_agent = { sizeof(jrc_state), begin, build, dut_frame };

/* ---- predicates ---- */

static bool answers_latest(const jrc_state *st)
{
    return st->last_req >= 0 && st->last_req == (int)st->n_req - 1;
}

static bool p_join_ok(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t wl)
{
    (void)f;
    const jrc_state *st = ctx->agent;
    bool ok = answers_latest(st) && st->last_config;
    if (!ok)
        snprintf(why, wl, "%s, not a 2.04 with a Configuration to the latest Join Request", st->last_what);
    return ok;
}

static bool p_join_ok_fresh_piv(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t wl)
{
    const jrc_state *st = ctx->agent;
    if (!p_join_ok(ctx, f, why, wl))
        return false;
    if (st->last_piv_reused) {
        snprintf(why, wl, "the 2.04 carries a Partial IV the JRC already used in this TD: a nonce reused after the "
                          "reboot (RFC 9031 §7.3.1, RFC 8613 §7.2.1)");
        return false;
    }
    return true;
}

static bool p_answers_latest(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t wl)
{
    (void)f;
    const jrc_state *st = ctx->agent;
    if (answers_latest(st))
        snprintf(why, wl, "%s (RFC 9031 §7.3.2: OSCORE errors MUST be silently dropped)", st->last_what);
    return answers_latest(st);
}

static bool p_diag(const ek_td_ctx *ctx, const ek_frame *f, char *why, size_t wl)
{
    (void)f;
    const jrc_state *st = ctx->agent;
    bool ok = answers_latest(st) && st->last_diag;
    if (!ok)
        snprintf(why, wl, "%s, not a Diagnostic Response (4.00 with an Unsupported_Configuration, RFC 9031 §8.3.2)",
                 st->last_what);
    return ok;
}

static bool jrc_applies(const ek_dut *d, char *why, size_t wl)
{
    if (d->cojp_psk_len < 16 || d->cojp_pledge_id_len == 0) {
        snprintf(why, wl, "no [cojp] psk and pledge_id: the harness has no pledge the JRC knows");
        return false;
    }
    if (!d->has_ext) {
        snprintf(why, wl, "no [dut] address: the JRC's address derives from its EUI-64");
        return false;
    }
    return true;
}

#define STEP_REQ(what_, kind_)                                                                       \
    { .kind = EK_STEP_INJECT, .what = (what_),                                                       \
      .stim = { .from = EK_ROLE_A, .kind = EK_STIM_AGENT, .agent_arg = (kind_) } }
#define STEP_ANSWERED_(win_, tmo_, what_)                                                             \
    { .kind = EK_STEP_EXPECT, .what = (what_), .match = { .cls = EK_CLASS_COAP, .pred = p_join_ok },  \
      .window = win_, .on_timeout = (tmo_) }
/* the subject of the TD: FAIL when no answer comes before the pledge would give up */
#define STEP_ANSWERED STEP_ANSWERED_(D_EXCHANGE, EK_V_FAIL, "the JRC answers with a protected 2.04 and a Configuration")
/* a precondition of the TD: INCONC when no answer comes soon */
#define STEP_ANSWERED_PRECOND                                                                        \
    STEP_ANSWERED_(D_ANSWER_PRECOND, EK_V_INCONC,                                                   \
                   "precondition: the JRC answers with a protected 2.04 and a Configuration")
#define STEP_SILENT(what_)                                                                           \
    { .kind = EK_STEP_EXPECT_NOT, .what = (what_), .match = { .cls = EK_CLASS_COAP, .pred = p_answers_latest }, \
      .window = D_ACK(1) }

#define JRC_CONFIG                                                                                   \
    "The harness: a pledge provisioned with the profile's [cojp] psk and pledge_id behind a stateless "  \
    "Join Proxy at fd00::IID(02:00:5e:ef:00:00:00:0a), which forwards its Join Requests NON with an "     \
    "RFC 8974 token to the JRC at fd00::IID(DUT address)."

static const ek_step jrc01_steps[] = {
    STEP_REQ("the pledge's Join Request reaches the JRC through the harness's Join Proxy", J_REQ),
    STEP_ANSWERED,
};

const ek_td ek_td_jrc_01 = {
    .id = "TP-JRC-01", .suite = "jrc",
    .title = "A provisioned pledge's Join Request is answered with a Configuration",
    .objective = "The JRC answers a Join Request of a pledge it is provisioned with by a protected 2.04 carrying a "
                 "Configuration, to the Join Proxy, with the JP's token echoed.",
    .refs = "JRC-1 (RFC 9031 §8.1.1, §8.1.2, §7.1 extended token, §7.3 context)",
    .config = JRC_CONFIG,
    .rule = "§8.1.2: the Join Response is a 2.04 with a Configuration; it must open under the pledge's context "
            "bound to the request (RFC 8613 §8.4) and echo the JP's token (RFC 8974, §7.1: the JRC MUST "
            "support extended tokens).  None before the requester gives up, MAX_TRANSMIT_WAIT = 46.5 "
            "ACK_TIMEOUT ([cojp] ack_timeout_ms; RFC 7252 §4.8.2), is a FAIL.",
    .profiles = EK_PROF_ALL, .role = EK_NODE_JRC, .agent = &jrc_agent, .applies = jrc_applies,
    .steps = jrc01_steps, .n_steps = EK_N_STEPS(jrc01_steps),
};

static const ek_step jrc02_steps[] = {
    STEP_REQ("the pledge's Join Request", J_REQ),
    STEP_ANSWERED_PRECOND,
    STEP_REQ("S14: the same OSCORE request replayed (new Message ID and token)", J_REPLAY),
    STEP_SILENT("the replay is not answered at all (no second 2.04, no error)"),
};

const ek_td ek_td_jrc_02 = {
    .id = "TP-JRC-02", .suite = "jrc",
    .title = "S14: a replayed Join Request",
    .objective = "The JRC rejects a replayed Join Request silently: no second 2.04.",
    .refs = "S14, JRC-2 (RFC 9031 §7.3.1, §7.3.2; RFC 8613 §7.4; the digest's TP-SEC-04)",
    .config = JRC_CONFIG,
    .rule = "RFC 8613 §7.4: the server SHALL verify that the Partial IV was not received before and stop "
            "processing; RFC 9031 §7.3.2: OSCORE errors MUST be silently dropped, so any answer to the replay "
            "(a 2.04, or an error) within ACK_TIMEOUT is a FAIL.  The replay has a new Message ID and token "
            "(the outer header is not protected), so CoAP deduplication cannot stand in for the replay check.",
    .profiles = EK_PROF_ALL, .role = EK_NODE_JRC, .agent = &jrc_agent, .applies = jrc_applies,
    .steps = jrc02_steps, .n_steps = EK_N_STEPS(jrc02_steps),
};

static const ek_step jrc03_steps[] = {
    STEP_REQ("the pledge's Join Request", J_REQ),
    STEP_ANSWERED_PRECOND,
    { .kind = EK_STEP_INJECT, .what = "the JRC reboots (the profile's reset)", .stim = { .kind = EK_STIM_RESET } },
    STEP_REQ("S14 after the reboot: the request replayed (new Message ID and token)", J_REPLAY),
    STEP_SILENT("the replay is not answered: the replay window survived the reboot"),
    STEP_REQ("a fresh Join Request of the pledge", J_REQ),
    { .kind = EK_STEP_NEXT,
      .what = "it is answered, and a Partial IV of the JRC (if its responses carry one) is new",
      .match = { .cls = EK_CLASS_COAP, .pred = p_join_ok_fresh_piv }, .window = D_ANSWER_PRECOND,
      .on_timeout = EK_V_INCONC },
};

const ek_td ek_td_jrc_03 = {
    .id = "TP-JRC-03", .suite = "jrc",
    .title = "S14 after a JRC reboot: persisted replay window and sequence number",
    .objective = "After a reboot the JRC still rejects a replayed Join Request and never reuses its own Partial IVs.",
    .refs = "S14, JRC-3 (RFC 9031 §7.3.1; RFC 8613 §7.4, §7.2.1, Appendix B.1; the digest's TP-SEC-04)",
    .config = JRC_CONFIG "  The DUT profile's reset command is the JRC's reboot (its persistent memory kept).",
    .rule = "§7.3.1: the Sender Sequence Number and the Replay Window MUST be stored in persistent memory: any "
            "answer to the replay after the reboot is a FAIL (§7.3.2: silently dropped); a response Partial "
            "IV the JRC already sent in this TD is a nonce reuse (RFC 8613 §7.2.1), a FAIL.  A JRC answering "
            "with the request's nonce (no Partial IV, RFC 8613 §8.3) has nothing to reuse.",
    .profiles = EK_PROF_ALL, .role = EK_NODE_JRC, .agent = &jrc_agent, .applies = jrc_applies,
    .steps = jrc03_steps, .n_steps = EK_N_STEPS(jrc03_steps),
};

static const ek_step jrc04_steps[] = {
    STEP_REQ("a Join Request whose Join_Request object is malformed (network identifier not a byte string)",
             J_MALFORMED),
    { .kind = EK_STEP_NEXT, .what = "a protected Diagnostic Response: 4.00 with an Unsupported_Configuration",
      .match = { .cls = EK_CLASS_COAP, .pred = p_diag }, .window = D_EXCHANGE, .on_timeout = EK_V_FAIL },
};

const ek_td ek_td_jrc_04 = {
    .id = "TP-JRC-04", .suite = "jrc",
    .title = "A malformed Join_Request gets a Diagnostic Response",
    .objective = "The JRC answers a Join Request whose CoJP object fails to process with 4.00 and an "
                 "Unsupported_Configuration, never a Configuration.",
    .refs = "JRC-4 (RFC 9031 §8.3.1, §8.3.2, §8.4.1, §8.4.5)",
    .config = JRC_CONFIG "  The object is {5: 1}: the network identifier as an integer (§8.4.1: bstr).",
    .rule = "§8.3.1: when a parameter's processing fails in a request, a Diagnostic Response MUST be returned; "
            "§8.3.2: 4.00 (Bad Request), OSCORE-protected, payload an Unsupported_Configuration.  Anything "
            "else as the next answer (a 2.04, an unprotected error) or silence for MAX_TRANSMIT_WAIT (46.5 "
            "ACK_TIMEOUT, RFC 7252 §4.8.2) is a FAIL.",
    .profiles = EK_PROF_ALL, .role = EK_NODE_JRC, .agent = &jrc_agent, .applies = jrc_applies,
    .steps = jrc04_steps, .n_steps = EK_N_STEPS(jrc04_steps),
};

static const ek_step jrc05_steps[] = {
    STEP_REQ("a Join Request of a pledge ID the JRC is not provisioned with (same PSK)", J_UNKNOWN),
    STEP_SILENT("no answer at all: no context for that pledge ID (not a Configuration, not an error)"),
    STEP_REQ("the provisioned pledge's Join Request", J_REQ),
    STEP_ANSWERED_PRECOND,
};

const ek_td ek_td_jrc_05 = {
    .id = "TP-JRC-05", .suite = "jrc",
    .title = "A Join Request with an unknown pledge ID",
    .objective = "The JRC silently drops a Join Request whose kid context names no pledge it is provisioned with.",
    .refs = "JRC-2 (RFC 9031 §7.3.2, §7.3; RFC 8613 §8.2)",
    .config = JRC_CONFIG "  The unknown pledge ID is the provisioned one with its last octet inverted.",
    .rule = "No security context for the kid context is an OSCORE error (RFC 8613 §8.2), which RFC 9031 §7.3.2 "
            "says MUST be silently dropped: any answer within ACK_TIMEOUT is a FAIL (a Configuration would "
            "also admit a stranger).  The provisioned pledge must then be answered (INCONC otherwise).",
    .profiles = EK_PROF_ALL, .role = EK_NODE_JRC, .agent = &jrc_agent, .applies = jrc_applies,
    .steps = jrc05_steps, .n_steps = EK_N_STEPS(jrc05_steps),
};
