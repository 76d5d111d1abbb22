/* SPDX-License-Identifier: BSD-3-Clause */
/* The reference node's Join Proxy (RFC 9031 §6, §7, §8.2, §8.4.2): see jp_int.h. */
#include <string.h>

#include "ek/build.h"
#include "ek/consts.h"
#include "jp_int.h"

#define NS_PER_MS 1000000ull

void ek_jp_init(ek_jp *jp, const ek_refnode_cfg *cfg)
{
    memset(jp, 0, sizeof *jp);
    jp->on = cfg->cojp;
    if (!jp->on)
        return;
    ek_err e;
    /* our own credentials (RFC 9031 §3): the PSK and the pledge ID = our EUI-64, used when
     * we joined; the JRC sends Parameter Updates under this context (§8.2.1) */
    if (ek_oscore_cojp_context(EK_OSCORE_COJP_PLEDGE, ek_view_make(cfg->cojp_psk, cfg->cojp_psk_len),
                               ek_view_make(cfg->ext, 8), &jp->ctx, &e) != EK_OK)
        jp->on = false; /* ek_refnode_new refuses such a cfg first */
    jp->mid = (uint16_t)(cfg->seed * 7919u);
}

void ek_jp_reset(ek_jp *jp, const ek_refnode_cfg *cfg)
{
    ek_oscore_ctx keep = jp->ctx;
    if (cfg->fault == EK_FAULT_JP_ACCEPT_REPLAYED_UPDATE)
        ek_oscore_replay_init(&keep.replay); /* the defect: the window lived in RAM only */
    bool on = jp->on;
    uint16_t mid = jp->mid;
    memset(jp, 0, sizeof *jp);
    jp->ctx = keep;
    jp->on = on;
    jp->mid = mid;
}

static void enqueue(ek_jp *jp, const uint8_t *mpdu, size_t len)
{
    if (jp->nq >= EK_JP_QUEUE || len > EK_BUILD_MPDU_MAX)
        return;
    memcpy(jp->q[jp->nq], mpdu, len);
    jp->qlen[jp->nq++] = len;
}

size_t ek_jp_pop(ek_jp *jp, uint8_t *out, size_t cap)
{
    if (jp->nq == 0 || jp->qlen[0] > cap)
        return 0;
    size_t n = jp->qlen[0];
    memcpy(out, jp->q[0], n);
    memmove(jp->q[0], jp->q[1], sizeof jp->q[0] * (EK_JP_QUEUE - 1));
    memmove(jp->qlen, jp->qlen + 1, sizeof jp->qlen[0] * (EK_JP_QUEUE - 1));
    jp->nq--;
    return n;
}

static bool fault(const ek_jp_env *env, ek_refnode_fault f)
{
    return env->cfg->fault == f;
}

/* Our global address: the DODAG's /64 (the DODAGID's prefix) + our IID (RFC 4944 §6). */
static void our_global(const ek_jp_env *env, uint8_t out[16])
{
    ek_join_global_addr(env->dodagid, env->cfg->ext, out);
}

static const uint8_t *jrc_addr(const ek_jp_env *env)
{
    /* RFC 9031 §6: without a JRC address in the Configuration the JRC is the 6LBR, whose
     * address is the DODAGID */
    return env->cfg->has_jrc_addr ? env->cfg->jrc_addr : env->dodagid;
}

static bool blacklisted(const ek_jp *jp, const uint8_t *id, size_t len)
{
    for (unsigned i = 0; i < jp->n_black; i++)
        if (jp->black_len[i] == len && memcmp(jp->black[i], id, len) == 0)
            return true;
    return false;
}

/* §7.2 / §8.4.2: the average rate of join traffic forwarded to the JRC stays within the
 * join rate, measured over cfg.cojp_rate_window_ms (RFC 9031 §9: "a rather short window,
 * e.g., ACK_TIMEOUT").  The bytes counted are the forwarded UDP payloads. */
static bool rate_allows(ek_jp *jp, const ek_jp_env *env, size_t bytes, uint64_t now)
{
    if (!jp->has_join_rate)
        return true; /* +infinity */
    if (jp->join_rate == 0)
        return false; /* MUST silently drop */
    if (fault(env, EK_FAULT_JP_IGNORE_JOIN_RATE))
        return true;
    uint64_t w = (uint64_t)env->cfg->cojp_rate_window_ms * NS_PER_MS;
    unsigned k = 0;
    uint64_t sum = 0;
    for (unsigned i = 0; i < jp->n_hist; i++)
        if (jp->hist[i].t + w > now) {
            jp->hist[k++] = jp->hist[i];
            sum += jp->hist[i].bytes;
        }
    jp->n_hist = k;
    return (sum + bytes) * 1000u <= jp->join_rate * env->cfg->cojp_rate_window_ms;
}

static void rate_note(ek_jp *jp, size_t bytes, uint64_t now)
{
    if (jp->n_hist == EK_JP_HISTORY) {
        memmove(jp->hist, jp->hist + 1, sizeof jp->hist[0] * (EK_JP_HISTORY - 1));
        jp->n_hist--;
    }
    jp->hist[jp->n_hist].t = now;
    jp->hist[jp->n_hist].bytes = (uint32_t)bytes;
    jp->n_hist++;
}

static void send_udp(ek_jp *jp, const ek_jp_env *env, const ek_join_link *l, const uint8_t *coap, size_t n)
{
    uint8_t mpdu[EK_BUILD_MPDU_MAX];
    size_t len;
    ek_err e;
    ek_join_link ll = *l;
    ll.seq = *env->seq;
    if (ek_join_udp_frame(&ll, ek_view_make(coap, n), &env->cfg->prof, mpdu, sizeof mpdu, &len, &e) != EK_OK)
        return;
    (*env->seq)++;
    enqueue(jp, mpdu, len);
}

/* A Join Request from a pledge (link-local, Proxy-Scheme "coap", §8.1.1): forwarded to
 * the JRC with Uri-Host and Proxy-Scheme removed (the JP resolves the alias, §7). */
static void forward(ek_jp *jp, const ek_jp_env *env, ek_join_msg *m, uint64_t now)
{
    /* draft-16 §3.1: 0x7f switches enrollment off, so the Join Proxy function is off */
    if (env->enrollment_off && !fault(env, EK_FAULT_JP_FORWARD_WHEN_OFF)) {
        jp->dropped++;
        return;
    }
    /* §8.4.2 blacklist: frames of a listed pledge dropped (its EUI-64, or the pledge ID it
     * sends as the OSCORE kid context) */
    if (!fault(env, EK_FAULT_JP_IGNORE_BLACKLIST) &&
        (blacklisted(jp, m->src_ext, 8) ||
         (m->osc_ok && m->osc.has_kid_context && blacklisted(jp, m->osc.kid_context.p, m->osc.kid_context.len)))) {
        jp->dropped++;
        return;
    }
    ek_coap_msg fw = m->coap;
    unsigned k = 0;
    for (unsigned i = 0; i < fw.n_opts; i++)
        if (fw.opts[i].number != EK_COAP_OPT_URI_HOST && fw.opts[i].number != EK_COAP_OPT_PROXY_SCHEME)
            fw.opts[k++] = fw.opts[i];
    fw.n_opts = k;
    ek_join_state st;
    memset(&st, 0, sizeof st);
    memcpy(st.pledge_ext, m->src_ext, 8);
    st.pledge_port = m->src_port;
    if (m->token_len > EK_COAP_TOKEN_MAX)
        return;
    memcpy(st.token, m->token, m->token_len);
    st.token_len = m->token_len;
    uint8_t tok[EK_JOIN_STATE_MAX];
    size_t tl;
    if (env->cfg->choices.jp_stateful) {
        /* a stateful proxy (§7.1 allows it): our own 2-octet token, the pledge's type */
        unsigned slot = jp->next_tok % EK_JP_STATEFUL;
        jp->tab[slot].used = true;
        jp->tab[slot].st = st;
        jp->tab[slot].type = m->coap.type;
        jp->tab[slot].mid = m->coap.mid;
        jp->tab[slot].tok[0] = (uint8_t)(jp->next_tok >> 8);
        jp->tab[slot].tok[1] = (uint8_t)jp->next_tok;
        jp->next_tok++;
        memcpy(tok, jp->tab[slot].tok, 2);
        tl = 2;
    } else {
        /* stateless (§7.1 RECOMMENDED): the state object is the token; NON MUST */
        tl = ek_join_state_put(&st, tok, sizeof tok);
        fw.type = fault(env, EK_FAULT_JP_CON_WHEN_STATELESS) ? EK_COAP_CON : EK_COAP_NON;
    }
    fw.mid = jp->mid++;
    uint8_t coap[EK_JOIN_COAP_MAX];
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, coap, sizeof coap);
    if (ek_join_coap_encode(&fw, ek_view_make(tok, tl), &b, &e) != EK_OK)
        return;
    if (!rate_allows(jp, env, b.len, now)) {
        jp->dropped++;
        return;
    }
    ek_join_link l;
    memset(&l, 0, sizeof l);
    memcpy(l.src_ext, env->cfg->ext, 8);
    memcpy(l.dst_ext, env->parent_ext, 8);
    l.pan_id = env->cfg->pan_id;
    our_global(env, l.src_ip);
    memcpy(l.dst_ip, jrc_addr(env), 16);
    l.src_port = EK_COAP_PORT;
    l.dst_port = EK_COAP_PORT;
    /* §6.1.1: AF43 SHOULD; a JP that does not set it sends 0 (choices.jp_no_dscp) */
    l.dscp = env->cfg->choices.jp_no_dscp ? 0 : EK_JOIN_DSCP_AF43;
    l.hlim = 64;
    size_t before = jp->nq;
    send_udp(jp, env, &l, coap, b.len);
    if (jp->nq > before) {
        rate_note(jp, b.len, now);
        jp->forwarded++;
    }
}

/* A response of the JRC to a forwarded request: relayed to the pledge (link-local) with
 * its own token, a separate NON response (the stateless JP keeps no Message ID). */
static void relay(ek_jp *jp, const ek_jp_env *env, ek_join_msg *m)
{
    ek_join_state st;
    uint8_t type = EK_COAP_NON;
    uint16_t mid = jp->mid++;
    if (env->cfg->choices.jp_stateful) {
        unsigned i;
        for (i = 0; i < EK_JP_STATEFUL; i++)
            if (jp->tab[i].used && m->token_len == 2 && memcmp(jp->tab[i].tok, m->token, 2) == 0)
                break;
        if (i == EK_JP_STATEFUL)
            return;
        st = jp->tab[i].st;
        if (jp->tab[i].type == EK_COAP_CON) {
            type = EK_COAP_ACK; /* piggybacked on the pledge's CON */
            mid = jp->tab[i].mid;
        }
        jp->tab[i].used = false;
    } else if (!ek_join_state_get(m->token, m->token_len, &st)) {
        return;
    }
    ek_coap_msg r = m->coap;
    r.type = type;
    r.mid = mid;
    uint8_t coap[EK_JOIN_COAP_MAX];
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, coap, sizeof coap);
    if (ek_join_coap_encode(&r, ek_view_make(st.token, st.token_len), &b, &e) != EK_OK)
        return;
    ek_join_link l;
    ek_join_link_ll(&l, env->cfg->ext, st.pledge_ext, env->cfg->pan_id);
    l.dst_port = st.pledge_port;
    send_udp(jp, env, &l, coap, b.len);
    jp->relayed++;
}

/* A Parameter Update for us (§8.2.1): opened under our context (RFC 8613 §8.2 incl. the
 * replay window), the Configuration applied (§8.4.2: a blacklist overwrites the previous
 * one), answered with a protected 2.04 (piggybacked on a CON). */
static void param_update(ek_jp *jp, const ek_jp_env *env, ek_join_msg *m)
{
    ek_oscore_req rq;
    ek_err e;
    if (ek_join_open_request(m, &jp->ctx, &rq, &e) != EK_OK || !m->path_j || !m->has_config)
        return; /* §7.3.2: nothing answered for what does not verify */
    if (m->cfg.has_join_rate) {
        jp->has_join_rate = true;
        jp->join_rate = m->cfg.join_rate;
    }
    if (m->cfg.has_blacklist) {
        jp->n_black = 0;
        for (unsigned i = 0; i < m->cfg.n_blacklist && i < EK_COJP_MAX_BLACKLIST; i++) {
            size_t n = m->cfg.blacklist[i].len > 16 ? 16 : m->cfg.blacklist[i].len;
            memcpy(jp->black[jp->n_black], m->cfg.blacklist[i].p, n);
            jp->black_len[jp->n_black++] = (uint8_t)n;
        }
    }
    jp->updates++;
    ek_join_hdr h;
    memset(&h, 0, sizeof h);
    h.type = m->coap.type == EK_COAP_CON ? EK_COAP_ACK : EK_COAP_NON;
    h.mid = m->coap.type == EK_COAP_CON ? m->coap.mid : jp->mid++;
    memcpy(h.token, m->token, m->token_len);
    h.token_len = m->token_len;
    uint8_t coap[EK_JOIN_COAP_MAX];
    size_t n;
    if (ek_join_empty_response_msg(&jp->ctx, &rq, &h, EK_COAP_CHANGED, coap, sizeof coap, &n, &e) != EK_OK)
        return;
    ek_join_link l;
    memset(&l, 0, sizeof l);
    memcpy(l.src_ext, env->cfg->ext, 8);
    memcpy(l.dst_ext, env->parent_ext, 8);
    l.pan_id = env->cfg->pan_id;
    our_global(env, l.src_ip);
    memcpy(l.dst_ip, m->src_ip, 16);
    l.src_port = EK_COAP_PORT;
    l.dst_port = m->src_port;
    l.hlim = 64;
    send_udp(jp, env, &l, coap, n);
}

static ek_join_msg scratch; /* large; the reference node is single-threaded per process */

void ek_jp_rx(ek_jp *jp, const ek_jp_env *env, const ek_frame *f, uint64_t now)
{
    if (!jp->on || !env->joined)
        return;
    ek_join_msg *m = &scratch;
    ek_err e;
    if (ek_join_parse(f, m, &e) != EK_OK || m->kind == EK_JOIN_NOT_COAP || !m->has_src_ext)
        return;
    if (m->dst_port != EK_COAP_PORT && m->kind == EK_JOIN_REQUEST)
        return;
    bool from_ll = m->src_ip[0] == 0xfe && (m->src_ip[1] & 0xc0) == 0x80;
    if (m->kind == EK_JOIN_REQUEST && from_ll && m->has_proxy_scheme) {
        forward(jp, env, m, now);
        return;
    }
    if (from_ll)
        return;
    uint8_t me[16];
    our_global(env, me);
    if (memcmp(m->dst_ip, me, 16) != 0)
        return;
    if (m->kind == EK_JOIN_RESPONSE && memcmp(m->src_ip, jrc_addr(env), 16) == 0)
        relay(jp, env, m);
    else if (m->kind == EK_JOIN_REQUEST && !m->has_proxy_scheme && m->oscore)
        param_update(jp, env, m);
}
