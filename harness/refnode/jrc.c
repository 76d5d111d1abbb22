/* SPDX-License-Identifier: BSD-3-Clause */
/* The reference node as the JRC (RFC 9031 §7.3, §8.1, §8.3): see jrc_int.h. */
#include <string.h>

#include "ek/build.h"
#include "jrc_int.h"

/* The harness's DODAG prefix fd00::/64 (ek_build_dio_init's DODAGID fd00::1). */
static const uint8_t PREFIX[8] = { 0xfd, 0x00, 0, 0, 0, 0, 0, 0 };

void ek_jrc_addr(const ek_refnode_cfg *cfg, uint8_t out[16])
{
    ek_join_global_addr(PREFIX, cfg->ext, out);
}

static void derive(ek_jrc *j, const ek_refnode_cfg *cfg)
{
    j->n = 0;
    for (unsigned i = 0; i < cfg->jrc_n_pledges && i < EK_REFNODE_JRC_PLEDGES; i++) {
        ek_err e;
        if (ek_oscore_cojp_context(EK_OSCORE_COJP_JRC, ek_view_make(cfg->cojp_psk, cfg->cojp_psk_len),
                                   ek_view_make(cfg->jrc_pledge_id[i], cfg->jrc_pledge_id_len[i]), &j->ctx[j->n],
                                   &e) == EK_OK)
            j->n++;
    }
}

void ek_jrc_init(ek_jrc *j, const ek_refnode_cfg *cfg)
{
    memset(j, 0, sizeof *j);
    j->on = cfg->jrc;
    if (!j->on)
        return;
    derive(j, cfg);
    j->mid = (uint16_t)(cfg->seed * 40503u);
}

void ek_jrc_reboot(ek_jrc *j, const ek_refnode_cfg *cfg)
{
    j->nq = 0;
    if (cfg->fault == EK_FAULT_JRC_REPLAY_AFTER_RESTART) {
        /* the defect: replay windows kept in RAM only */
        for (unsigned i = 0; i < j->n; i++)
            ek_oscore_replay_init(&j->ctx[i].replay);
    }
    if (cfg->fault == EK_FAULT_JRC_SSN_REUSE) {
        /* the defect: the sender sequence number kept in RAM only */
        for (unsigned i = 0; i < j->n; i++)
            j->ctx[i].ssn = 0;
    }
}

size_t ek_jrc_pop(ek_jrc *j, uint8_t *out, size_t cap)
{
    if (j->nq == 0 || j->qlen[0] > cap)
        return 0;
    size_t n = j->qlen[0];
    memcpy(out, j->q[0], n);
    memmove(j->q[0], j->q[1], sizeof j->q[0] * (EK_JRC_QUEUE - 1));
    memmove(j->qlen, j->qlen + 1, sizeof j->qlen[0] * (EK_JRC_QUEUE - 1));
    j->nq--;
    return n;
}

static ek_oscore_ctx *find_ctx(ek_jrc *j, const ek_join_msg *m)
{
    if (!m->osc_ok || !m->osc.has_kid_context)
        return NULL;
    for (unsigned i = 0; i < j->n; i++)
        if (j->ctx[i].id_context_len == m->osc.kid_context.len &&
            memcmp(j->ctx[i].id_context, m->osc.kid_context.p, m->osc.kid_context.len) == 0)
            return &j->ctx[i];
    return NULL;
}

static ek_join_msg scratch; /* large; one node per process (or in-process test) at a time */

void ek_jrc_rx(ek_jrc *j, const ek_refnode_cfg *cfg, const ek_frame *f, uint8_t *seq)
{
    if (!j->on)
        return;
    ek_join_msg *m = &scratch;
    ek_err e;
    uint8_t me[16];
    ek_jrc_addr(cfg, me);
    if (ek_join_parse(f, m, &e) != EK_OK || m->kind != EK_JOIN_REQUEST || !m->has_src_ext ||
        memcmp(m->dst_ip, me, 16) != 0 || m->dst_port != EK_COAP_PORT)
        return;
    /* §7.3.2: every OSCORE error (no context for the pledge ID, tag, replay) silently dropped */
    ek_oscore_ctx *ctx = find_ctx(j, m);
    ek_oscore_req rq;
    if (!ctx || ek_join_open_request(m, ctx, &rq, &e) != EK_OK) {
        j->dropped++;
        return;
    }
    j->state_writes++; /* §7.3.1: each update of the replay window written to persistent memory */
    if (!m->path_j || m->inner_msg.code != EK_COAP_POST) {
        j->dropped++;
        return;
    }
    ek_join_resp r;
    memset(&r, 0, sizeof r);
    r.with_piv = cfg->choices.jrc_response_piv || cfg->fault == EK_FAULT_JRC_SSN_REUSE;
    ek_cojp_config c;
    ek_cojp_unsupported u;
    uint8_t key[EK_COJP_KEY_LEN], sid[2];
    memset(&c, 0, sizeof c);
    memset(&u, 0, sizeof u);
    if (!m->has_join_request) {
        /* §8.3.1: a Join_Request whose processing failed: Diagnostic Response (§8.3.2) */
        ek_cojp_unsup_param d;
        if (!ek_cojp_diagnose(&m->object_err, &d)) {
            d.code = EK_COJP_CODE_MALFORMED;
            d.label = EK_COJP_LABEL_NETWORK_ID; /* the mandatory parameter (§8.4.1) */
            d.addinfo_null = true;
        }
        u.n = 1;
        u.p[0] = d;
        r.code = EK_COAP_BAD_REQUEST;
        r.unsupported = &u;
        j->diagnostics++;
    } else {
        /* §8.1.2 / §8.4.2: K1 = K2 (key usage 0, key_id 1) and a short identifier */
        for (unsigned i = 0; i < sizeof key; i++)
            key[i] = (uint8_t)(cfg->cojp_psk[i % (cfg->cojp_psk_len ? cfg->cojp_psk_len : 1)] ^ 0x5a ^ i);
        c.has_keys = true;
        c.n_keys = 1;
        c.keys[0].key_id = 1;
        c.keys[0].key_value = ek_view_make(key, sizeof key);
        c.has_short_id = true;
        sid[0] = 0x00;
        sid[1] = (uint8_t)(1 + (ctx - j->ctx));
        c.short_id.identifier = ek_view_make(sid, 2);
        r.code = EK_COAP_CHANGED;
        r.config = &c;
    }
    ek_join_hdr h;
    memset(&h, 0, sizeof h);
    h.type = m->coap.type == EK_COAP_CON ? EK_COAP_ACK : EK_COAP_NON;
    h.mid = m->coap.type == EK_COAP_CON ? m->coap.mid : j->mid++;
    memcpy(h.token, m->token, m->token_len);
    h.token_len = m->token_len;
    ek_join_link l;
    memset(&l, 0, sizeof l);
    memcpy(l.src_ext, cfg->ext, 8);
    memcpy(l.dst_ext, m->src_ext, 8);
    l.pan_id = cfg->pan_id;
    memcpy(l.src_ip, me, 16);
    memcpy(l.dst_ip, m->src_ip, 16);
    l.src_port = EK_COAP_PORT;
    l.dst_port = m->src_port;
    l.dscp = EK_JOIN_DSCP_AF42; /* §6.1.2 SHOULD */
    l.hlim = 64;
    uint8_t coap[EK_JOIN_COAP_MAX], mpdu[EK_BUILD_MPDU_MAX];
    size_t cn, len;
    for (int attempt = 0; attempt < 2; attempt++) {
        ek_oscore_ctx saved = *ctx;
        if (ek_join_response_msg(ctx, &rq, &h, &r, coap, sizeof coap, &cn, &e) == EK_OK) {
            l.seq = *seq;
            if (ek_join_udp_frame(&l, ek_view_make(coap, cn), &cfg->prof, mpdu, sizeof mpdu, &len, &e) == EK_OK)
                break;
        }
        *ctx = saved; /* the sequence number is not spent on a frame that was not sent */
        if (attempt == 1 || !c.has_keys)
            return;
        c.has_keys = false; /* the key set does not fit one MPDU with these addresses */
    }
    (*seq)++;
    if (r.with_piv)
        j->state_writes++;
    if (j->nq < EK_JRC_QUEUE) {
        memcpy(j->q[j->nq], mpdu, len);
        j->qlen[j->nq++] = len;
    }
    j->answered++;
}

/* Persisted record: per pledge, id length (1) | id | ek_oscore_state_save (20). */
size_t ek_jrc_state(const ek_jrc *j, const ek_refnode_cfg *cfg, uint8_t *out, size_t cap)
{
    size_t at = 0;
    for (unsigned i = 0; i < j->n; i++) {
        size_t need = 1u + j->ctx[i].id_context_len + EK_OSCORE_STATE_LEN;
        if (at + need > cap)
            return 0;
        out[at++] = j->ctx[i].id_context_len;
        memcpy(out + at, j->ctx[i].id_context, j->ctx[i].id_context_len);
        at += j->ctx[i].id_context_len;
        ek_oscore_ctx c = j->ctx[i];
        if (cfg->fault == EK_FAULT_JRC_REPLAY_AFTER_RESTART)
            ek_oscore_replay_init(&c.replay); /* the defect: the window is never written */
        if (cfg->fault == EK_FAULT_JRC_SSN_REUSE)
            c.ssn = 0; /* the defect: the sequence number is never written */
        ek_oscore_state_save(&c, out + at);
        at += EK_OSCORE_STATE_LEN;
    }
    return at;
}

bool ek_jrc_restore(ek_jrc *j, const ek_refnode_cfg *cfg, const uint8_t *in, size_t len)
{
    (void)cfg;
    size_t at = 0;
    while (at < len) {
        size_t il = in[at++];
        if (at + il + EK_OSCORE_STATE_LEN > len)
            return false;
        for (unsigned i = 0; i < j->n; i++)
            if (j->ctx[i].id_context_len == il && memcmp(j->ctx[i].id_context, in + at, il) == 0 &&
                !ek_oscore_state_load(&j->ctx[i], in + at + il, EK_OSCORE_STATE_LEN))
                return false;
        at += il + EK_OSCORE_STATE_LEN;
    }
    return true;
}
