/* SPDX-License-Identifier: BSD-3-Clause */
/* The reference pledge (ek/pledge.h): Join Proxy choice from Enhanced Beacons (RFC 9032
 * §2, RFC 9031 §4.1), the CoJP join exchange over CoAP and OSCORE (RFC 9031 §7.3, §8.1;
 * RFC 7252 §4.2 retransmission; RFC 8613), the Parameter Update exchange (§8.2), and the
 * persistent OSCORE record (§7.3.1; RFC 8613 Appendix B.1.1).  Pure: no I/O, no clock. */
#include "ek/pledge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/coap.h"
#include "ek/cojp.h"
#include "ek/consts.h"
#include "ek/frame.h"
#include "ek/build.h"
#include "ek/join.h"

#define NS_PER_MS 1000000ull
#define PENDING_MAX 2

typedef struct cand {
    bool used;
    uint8_t ext[8];
    uint8_t proxy_prio, pan_prio;
    bool p;
    uint8_t iid[8];
    uint8_t network_id[16];
    uint8_t network_id_len;
    uint64_t first_seen, last_seen;
    bool failed;               /* an attempt through it failed in this boot */
} cand;

struct ek_pledge {
    ek_pledge_cfg cfg;
    ek_oscore_ctx ctx;         /* the CoJP context (RFC 9031 §7.3): ssn and window are the
                                  mutable part, mirrored in nv */
    uint64_t ssn_limit;        /* RFC 8613 Appendix B.1.1: stored sequence number */
    uint8_t nv[EK_PLEDGE_NV_LEN];
    uint64_t nv_gen;
    /* RAM */
    ek_pledge_state st;
    cand c[EK_PLEDGE_MAX_CANDIDATES];
    uint64_t scan_end;
    int cur;                   /* candidate of the attempt, -1 = none */
    uint8_t req[EK_JOIN_COAP_MAX];
    size_t req_len;
    ek_oscore_req binding;
    uint8_t token[2];
    uint16_t mid;
    unsigned tx;               /* transmissions of the current request */
    uint64_t next_tx, timeout_ns;
    unsigned processing_failures;
    uint8_t mac_seq;
    uint64_t rng;
    uint8_t pending[PENDING_MAX][EK_BUILD_MPDU_MAX];
    size_t pending_len[PENDING_MAX];
    unsigned n_pending;
    ek_join_msg m;             /* parse scratch (large: kept off the stack) */
};

static const ek_pledge_variant_info VARIANTS[] = {
    { "default", "tie: first heard; initial timeout random in [ACK_TIMEOUT, 1.5 ACK_TIMEOUT]; scan 150 ms",
      { EK_PLEDGE_TIE_FIRST, false, 0, 150 } },
    { "tie-latest", "among equal Join Proxies the one heard last", { EK_PLEDGE_TIE_LATEST, false, 0, 150 } },
    { "tie-lowest-address", "among equal Join Proxies the lowest EUI-64", { EK_PLEDGE_TIE_LOWEST_EUI, false, 0, 150 } },
    { "retry-early", "initial timeout exactly ACK_TIMEOUT (RFC 7252 §4.2 lower end)",
      { EK_PLEDGE_TIE_FIRST, false, 1000, 150 } },
    { "retry-late", "initial timeout ACK_TIMEOUT x 1.5 (RFC 7252 §4.2 upper end)",
      { EK_PLEDGE_TIE_FIRST, false, 1500, 150 } },
    { "pan-priority", "prefers a lower PAN priority among equal proxy priorities (RFC 9032 §2 MAY)",
      { EK_PLEDGE_TIE_LATEST, true, 0, 150 } },
    { "scan-long", "listens 500 ms for more EBs before choosing", { EK_PLEDGE_TIE_LOWEST_EUI, false, 0, 500 } },
};

size_t ek_pledge_variants(const ek_pledge_variant_info **out)
{
    if (out)
        *out = VARIANTS;
    return sizeof VARIANTS / sizeof VARIANTS[0];
}

int ek_pledge_variant_apply(const char *name, ek_pledge_cfg *cfg)
{
    for (size_t i = 0; name && i < sizeof VARIANTS / sizeof VARIANTS[0]; i++)
        if (strcmp(VARIANTS[i].name, name) == 0) {
            cfg->choices = VARIANTS[i].choices;
            return 0;
        }
    return -1;
}

void ek_pledge_cfg_default(ek_pledge_cfg *c)
{
    static const uint8_t ext[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x01 };
    memset(c, 0, sizeof *c);
    ek_profile_default(&c->prof);
    memcpy(c->ext, ext, 8);
    c->pan_id = 0xface;
    memcpy(c->pledge_id, ext, 8);
    c->pledge_id_len = 8;
    c->ack_timeout_ms = 10000;   /* RFC 9031 §7.2 Table 1 */
    c->seed = 1;
    c->choices = VARIANTS[0].choices;
}

const char *ek_pledge_phase_name(ek_pledge_phase ph)
{
    static const char *const n[] = { "listening", "scanning", "joining", "joined", "gave up" };
    return (unsigned)ph < sizeof n / sizeof n[0] ? n[ph] : "?";
}

static uint64_t rnd(ek_pledge *p)
{
    uint64_t x = p->rng;   /* xorshift64 */
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    p->rng = x;
    return x;
}

/* ---- the persistent record (RFC 9031 §7.3.1) ---- */

/* Writes ssn_limit and the window into nv (the sequence number is stored ahead of use,
 * RFC 8613 Appendix B.1.1, so a reboot never reuses one). */
static void nv_store(ek_pledge *p)
{
    ek_oscore_ctx tmp = p->ctx;
    tmp.ssn = p->ssn_limit;
    ek_oscore_state_save(&tmp, p->nv);
    p->nv_gen++;
}

/* Before a Partial IV is used: move the stored limit ahead when it is reached. */
static void ssn_reserve(ek_pledge *p)
{
    if (p->ctx.ssn + 1 >= p->ssn_limit) {
        p->ssn_limit = p->ctx.ssn + 1 + EK_PLEDGE_SSN_AHEAD;
        nv_store(p);
    }
}

/* Boot: RAM cleared, the mutable OSCORE state taken from nv. */
static void boot(ek_pledge *p, bool have_nv)
{
    memset(&p->st, 0, sizeof p->st);
    memset(p->c, 0, sizeof p->c);
    p->cur = -1;
    p->req_len = 0;
    p->tx = 0;
    p->processing_failures = 0;
    p->n_pending = 0;
    if (have_nv && !ek_oscore_state_load(&p->ctx, p->nv, sizeof p->nv))
        have_nv = false;
    if (!have_nv) {
        p->ctx.ssn = 0;
        ek_oscore_replay_init(&p->ctx.replay);
    }
    /* seeded defects of a device whose persistent memory is incomplete */
    if (p->cfg.fault == EK_FAULT_PLEDGE_SSN_REUSE)
        p->ctx.ssn = 0;   /* the sequence number kept in RAM only: restarts at 0 */
    if (p->cfg.fault == EK_FAULT_PLEDGE_ACCEPT_REPLAYED_UPDATE)
        ek_oscore_replay_init(&p->ctx.replay);   /* the replay window kept in RAM only */
    p->ssn_limit = p->ctx.ssn + EK_PLEDGE_SSN_AHEAD;
    nv_store(p);
}

ek_pledge *ek_pledge_new(const ek_pledge_cfg *cfg, const uint8_t *nv, size_t nv_len, char *errbuf, size_t errlen)
{
    if (cfg->psk_len < 16 || cfg->psk_len > sizeof cfg->psk) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "PSK of %u octets (RFC 9031 §3: 16..32)", (unsigned)cfg->psk_len);
        return NULL;
    }
    if (cfg->pledge_id_len == 0 || cfg->ack_timeout_ms == 0) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, cfg->pledge_id_len ? "ACK_TIMEOUT 0" : "empty pledge identifier");
        return NULL;
    }
    ek_pledge *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->cfg = *cfg;
    ek_err e;
    if (ek_oscore_cojp_context(EK_OSCORE_COJP_PLEDGE, ek_view_make(cfg->psk, cfg->psk_len),
                               ek_view_make(cfg->pledge_id, cfg->pledge_id_len), &p->ctx, &e) != EK_OK) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "OSCORE context: %s", e.field ? e.field : "?");
        free(p);
        return NULL;
    }
    p->rng = cfg->seed ? cfg->seed : 0x9e3779b97f4a7c15ull;
    bool have = nv && nv_len == EK_PLEDGE_NV_LEN;
    if (have)
        memcpy(p->nv, nv, EK_PLEDGE_NV_LEN);
    boot(p, have);
    p->st.boots = 1;
    return p;
}

void ek_pledge_free(ek_pledge *p)
{
    free(p);
}

void ek_pledge_reboot(ek_pledge *p, uint64_t now_ns)
{
    (void)now_ns;
    uint64_t boots = p->st.boots;
    boot(p, true);
    p->st.boots = boots + 1;
}

void ek_pledge_nv(const ek_pledge *p, uint8_t out[EK_PLEDGE_NV_LEN], uint64_t *generation)
{
    memcpy(out, p->nv, EK_PLEDGE_NV_LEN);
    if (generation)
        *generation = p->nv_gen;
}

void ek_pledge_get_state(const ek_pledge *p, ek_pledge_state *s)
{
    *s = p->st;
    s->ssn = p->ctx.ssn;
}

/* ---- Join Proxy choice ---- */

/* An EB: remember its sender as a candidate Join Proxy when the Join-Info says it may be
 * one.  RFC 9032 §2: proxy priority 0x7f = never a Join Proxy; rank priority is for
 * enrolled nodes only (pledges MUST ignore it); reserved bits MUST be ignored.  RFC 8137
 * §4: other IETF IEs (6P, unknown subtypes) are skipped by the decoder.  RFC 9031 §4.1: a
 * pledge provisioned with a network ID uses only EBs that carry it. */
static void on_eb(ek_pledge *p, const ek_frame *f, uint64_t now)
{
    const ek_frame_summary *s = &f->sum;
    if (!s->has_src64 || !s->has_ji)
        return;
    for (unsigned i = 0; i < f->n_errors; i++)
        if (f->errors[i].field && strncmp(f->errors[i].field, "enroll.ji", 9) == 0)
            return;   /* a Join-Info that does not decode (N > 16, P = 1 too short): not used */
    if (s->proxy_priority == 0x7f && p->cfg.fault != EK_FAULT_PLEDGE_JOIN_VIA_7F)
        return;
    if (p->cfg.has_network_id && p->cfg.fault != EK_FAULT_PLEDGE_OTHER_NETWORK &&
        (s->network_id_len != p->cfg.network_id_len ||
         memcmp(s->network_id.p, p->cfg.network_id, p->cfg.network_id_len) != 0))
        return;
    int slot = -1;
    for (int i = 0; i < EK_PLEDGE_MAX_CANDIDATES; i++)
        if (p->c[i].used && memcmp(p->c[i].ext, s->src64, 8) == 0) {
            slot = i;
            break;
        }
    if (slot < 0) {
        for (int i = 0; i < EK_PLEDGE_MAX_CANDIDATES && slot < 0; i++)
            if (!p->c[i].used)
                slot = i;
        if (slot < 0)
            return;   /* full: the ones already heard are enough */
        memset(&p->c[slot], 0, sizeof p->c[slot]);
        p->c[slot].used = true;
        memcpy(p->c[slot].ext, s->src64, 8);
        p->c[slot].first_seen = now;
    }
    cand *c = &p->c[slot];
    c->proxy_prio = s->proxy_priority;
    c->pan_prio = s->pan_priority;
    c->p = s->ji_p && s->has_join_proxy_iid;
    if (c->p)
        memcpy(c->iid, s->join_proxy_iid, 8);
    c->network_id_len = s->network_id_len > 16 ? 16 : s->network_id_len;
    if (c->network_id_len)
        memcpy(c->network_id, s->network_id.p, c->network_id_len);
    c->last_seen = now;
    if (p->st.phase == EK_PLEDGE_LISTENING && !c->failed) {
        p->st.phase = EK_PLEDGE_SCANNING;
        p->scan_end = now + (uint64_t)p->cfg.choices.scan_ms * NS_PER_MS;
    }
}

/* True when a is a better Join Proxy than b. */
static bool better(const ek_pledge *p, const cand *a, const cand *b)
{
    if (a->proxy_prio != b->proxy_prio && p->cfg.fault != EK_FAULT_PLEDGE_JOIN_VIA_7F)
        return a->proxy_prio < b->proxy_prio;   /* RFC 9032 §2: lower = more willing */
    if (p->cfg.choices.use_pan_priority && a->pan_prio != b->pan_prio)
        return a->pan_prio < b->pan_prio;       /* RFC 9032 §2: lower = preferred (MAY) */
    switch (p->cfg.choices.tie) {
    case EK_PLEDGE_TIE_LATEST: return a->last_seen > b->last_seen;
    case EK_PLEDGE_TIE_LOWEST_EUI: return memcmp(a->ext, b->ext, 8) < 0;
    default: return a->first_seen < b->first_seen;
    }
}

static int choose(ek_pledge *p)
{
    int best = -1;
    for (int i = 0; i < EK_PLEDGE_MAX_CANDIDATES; i++)
        if (p->c[i].used && !p->c[i].failed && (best < 0 || better(p, &p->c[i], &p->c[best])))
            best = i;
    return best;
}

/* ---- sending ---- */

static void queue(ek_pledge *p, const uint8_t *mpdu, size_t len)
{
    if (p->n_pending < PENDING_MAX && len <= sizeof p->pending[0]) {
        memcpy(p->pending[p->n_pending], mpdu, len);
        p->pending_len[p->n_pending++] = len;
    }
}

/* One UDP datagram from our link-local address to (dst_ext, dst_ip). */
static void send_udp(ek_pledge *p, const uint8_t dst_ext[8], const uint8_t dst_ip[16], uint16_t dst_port,
                     const uint8_t *payload, size_t n)
{
    ek_join_link l;
    ek_join_link_ll(&l, p->cfg.ext, dst_ext, p->cfg.pan_id);
    memcpy(l.dst_ip, dst_ip, 16);
    l.dst_port = dst_port;
    l.seq = p->mac_seq++;
    uint8_t mpdu[EK_BUILD_MPDU_MAX];
    size_t len = 0;
    ek_err e;
    if (ek_join_udp_frame(&l, ek_view_make(payload, n), &p->cfg.prof, mpdu, sizeof mpdu, &len, &e) == EK_OK)
        queue(p, mpdu, len);
}

/* The Join Proxy's address (RFC 9032 §2): P = 1 -> fe80:: + the advertised interface ID;
 * P = 0 -> fe80:: + the IID derived from its link-layer address (RFC 4944 §6). */
static void jp_address(const ek_pledge *p, const cand *c, uint8_t ip[16])
{
    memset(ip, 0, 16);
    ip[0] = 0xfe;
    ip[1] = 0x80;
    if (c->p && p->cfg.fault != EK_FAULT_PLEDGE_WRONG_JP_ADDRESS) {
        memcpy(ip + 8, c->iid, 8);
    } else {
        memcpy(ip + 8, c->ext, 8);
        ip[8] ^= 0x02;
    }
}

/* The first transmission of a new Join Request through candidate i (RFC 9031 §8.1.1):
 * new Message ID, token and Partial IV; the network ID of its EB (§8.4.1). */
static void start_attempt(ek_pledge *p, int i, uint64_t now)
{
    cand *c = &p->c[i];
    p->cur = i;
    p->st.phase = EK_PLEDGE_JOINING;
    p->st.has_jp = true;
    memcpy(p->st.jp_ext, c->ext, 8);
    jp_address(p, c, p->st.jp_ip);
    ek_cojp_join_request jr;
    memset(&jr, 0, sizeof jr);
    jr.network_id = ek_view_make(c->network_id, c->network_id_len);
    ek_join_hdr h;
    memset(&h, 0, sizeof h);
    h.type = EK_COAP_CON;
    p->mid = (uint16_t)rnd(p);
    h.mid = p->mid;
    p->token[0] = (uint8_t)rnd(p);
    p->token[1] = (uint8_t)rnd(p);
    memcpy(h.token, p->token, 2);
    h.token_len = 2;
    ssn_reserve(p);
    ek_err e;
    if (ek_join_request_msg(&p->ctx, &h, &jr, ek_view_make(NULL, 0), p->req, sizeof p->req, &p->req_len,
                            &p->binding, &e) != EK_OK) {
        p->req_len = 0;
        p->st.phase = EK_PLEDGE_GAVE_UP;
        return;
    }
    p->st.attempts++;
    p->tx = 0;
    /* RFC 7252 §4.2: the initial timeout is random in [ACK_TIMEOUT, ACK_TIMEOUT x 1.5] */
    uint64_t pm = p->cfg.choices.timeout_factor_pm ? p->cfg.choices.timeout_factor_pm : 1000 + rnd(p) % 501;
    p->timeout_ns = (uint64_t)p->cfg.ack_timeout_ms * NS_PER_MS * pm / 1000;
    p->next_tx = now;
}

/* The attempt through the current Join Proxy failed: try another (RFC 9031 §8.1.1), after
 * listening again. */
static void attempt_failed(ek_pledge *p, uint64_t now)
{
    p->st.attempts_failed++;
    if (p->cur >= 0)
        p->c[p->cur].failed = true;
    p->cur = -1;
    p->req_len = 0;
    bool any = false;
    for (int i = 0; i < EK_PLEDGE_MAX_CANDIDATES; i++)
        any = any || (p->c[i].used && !p->c[i].failed);
    if (!any)   /* every Join Proxy heard has failed: start over with all of them */
        for (int i = 0; i < EK_PLEDGE_MAX_CANDIDATES; i++)
            p->c[i].failed = false;
    p->st.phase = EK_PLEDGE_SCANNING;
    p->scan_end = now + (uint64_t)p->cfg.choices.scan_ms * NS_PER_MS;
}

/* ---- receiving CoJP ---- */

static void apply_config(ek_pledge *p, const ek_cojp_config *cfg)
{
    if (cfg->has_keys && cfg->n_keys) {   /* §8.4.3: the key set replaces the keys in use */
        p->st.n_keys = cfg->n_keys;
        p->st.key_id0 = cfg->keys[0].key_id;
    }
    if (cfg->has_short_id && cfg->short_id.identifier.len == 2) {   /* §8.4.4.1: our short address */
        p->st.has_short_id = true;
        p->st.short_id = (uint16_t)(cfg->short_id.identifier.p[0] << 8 | cfg->short_id.identifier.p[1]);
    }
}

static void on_response(ek_pledge *p, ek_join_msg *m, uint64_t now)
{
    if (p->st.phase != EK_PLEDGE_JOINING || p->req_len == 0 || m->token_len != 2 ||
        memcmp(m->token, p->token, 2) != 0)
        return;
    if (!m->oscore) {
        /* RFC 9031 §7.3.2: any response not protected with OSCORE, error codes included, is
         * silently discarded */
        p->st.dropped_unprotected++;
        uint8_t cls = EK_COAP_CODE_CLASS(m->coap.code);
        if (p->cfg.fault == EK_FAULT_PLEDGE_ACCEPT_UNPROTECTED_ERROR && (cls == 4 || cls == 5)) {
            p->req_len = 0;   /* the seeded defect: takes the error as final and gives up */
            p->st.phase = EK_PLEDGE_GAVE_UP;
        }
        return;
    }
    ek_err e;
    if (ek_join_open_response(m, &p->ctx, &p->binding, &e) != EK_OK || !m->opened) {
        p->st.dropped_oscore++;   /* §7.3.2: OSCORE errors are silently dropped */
        return;
    }
    if (m->inner_msg.code == EK_COAP_CHANGED && m->has_config) {
        apply_config(p, &m->cfg);   /* §8.1.2: 2.04 with the Configuration: joined */
        p->req_len = 0;
        p->st.phase = EK_PLEDGE_JOINED;
        return;
    }
    /* §8.3.1: a Join Response that cannot be acted upon: join again, at most
     * COJP_MAX_JOIN_ATTEMPTS times */
    if (++p->processing_failures >= EK_PLEDGE_MAX_JOIN_ATTEMPTS) {
        p->req_len = 0;
        p->st.phase = EK_PLEDGE_GAVE_UP;
        return;
    }
    start_attempt(p, p->cur, now);
}

/* §8.2: a Parameter Update to the joined node's "/j" resource, under the same context
 * with the roles swapped; the replay window is checked and persisted (§7.3.1). */
static void on_request(ek_pledge *p, ek_join_msg *m)
{
    if (p->st.phase != EK_PLEDGE_JOINED || !m->oscore || !m->has_src_ext)
        return;
    ek_oscore_req rq;
    ek_err e;
    if (ek_join_open_request(m, &p->ctx, &rq, &e) != EK_OK || !m->opened) {
        p->st.dropped_oscore++;   /* replay, tag, context: silently dropped (§7.3.2) */
        return;
    }
    nv_store(p);   /* §7.3.1: each update of the replay window is written to persistent memory */
    if (!m->path_j || m->inner_msg.code != EK_COAP_POST)
        return;
    if (m->has_config) {
        apply_config(p, &m->cfg);
        p->st.updates_applied++;
    }
    ek_join_hdr h;
    memset(&h, 0, sizeof h);
    h.type = m->coap.type == EK_COAP_CON ? EK_COAP_ACK : EK_COAP_NON;
    h.mid = m->coap.mid;
    memcpy(h.token, m->token, m->token_len > sizeof h.token ? sizeof h.token : m->token_len);
    h.token_len = m->token_len;
    uint8_t out[EK_JOIN_COAP_MAX];
    size_t n = 0;
    if (ek_join_empty_response_msg(&p->ctx, &rq, &h, EK_COAP_CHANGED, out, sizeof out, &n, &e) != EK_OK)
        return;
    send_udp(p, m->src_ext, m->src_ip, m->src_port, out, n);
}

void ek_pledge_rx(ek_pledge *p, const uint8_t *mpdu, size_t len, uint64_t now_ns)
{
    if (p->st.phase == EK_PLEDGE_GAVE_UP)
        return;
    ek_frame f;
    ek_status st = ek_frame_decode(ek_view_make(mpdu, len), false, &p->cfg.prof, &f);
    (void)st;   /* what decoded is used; errors are judged per element */
    if (!f.sum.has_mac)
        return;
    if (f.sum.frame_type == EK_WPAN_FT_BEACON && f.sum.frame_version == EK_WPAN_VER_2015) {
        if (p->st.phase == EK_PLEDGE_LISTENING || p->st.phase == EK_PLEDGE_SCANNING || p->st.phase == EK_PLEDGE_JOINING)
            on_eb(p, &f, now_ns);
        return;
    }
    if (!f.sum.has_dst64 || memcmp(f.sum.dst64, p->cfg.ext, 8) != 0)
        return;
    ek_err e;
    if (ek_join_parse(&f, &p->m, &e) != EK_OK)
        return;
    if (p->m.kind == EK_JOIN_RESPONSE)
        on_response(p, &p->m, now_ns);
    else if (p->m.kind == EK_JOIN_REQUEST)
        on_request(p, &p->m);
}

uint64_t ek_pledge_next_event(const ek_pledge *p)
{
    if (p->n_pending)
        return 0;
    switch (p->st.phase) {
    case EK_PLEDGE_SCANNING: return p->scan_end;
    case EK_PLEDGE_JOINING: return p->req_len ? p->next_tx : UINT64_MAX;
    default: return UINT64_MAX;
    }
}

size_t ek_pledge_poll(ek_pledge *p, uint64_t now_ns, uint8_t *out, size_t cap)
{
    if (p->st.phase == EK_PLEDGE_SCANNING && now_ns >= p->scan_end) {
        int i = choose(p);
        if (i >= 0)
            start_attempt(p, i, now_ns);
        else
            p->st.phase = EK_PLEDGE_LISTENING;
    }
    if (p->st.phase == EK_PLEDGE_JOINING && p->req_len && now_ns >= p->next_tx) {
        if (p->tx > EK_PLEDGE_MAX_RETRANSMIT) {
            attempt_failed(p, now_ns);   /* RFC 7252 §4.2: out of retransmissions */
        } else {
            /* RFC 7252 §4.2: the same message again, the timeout doubled each time */
            const cand *c = &p->c[p->cur];
            send_udp(p, c->ext, p->st.jp_ip, EK_COAP_PORT, p->req, p->req_len);
            if (p->tx == 0)
                p->st.join_requests++;
            else
                p->st.retransmissions++;
            p->next_tx = now_ns + (p->timeout_ns << p->tx);
            p->tx++;
        }
    }
    if (p->n_pending == 0)
        return 0;
    size_t n = p->pending_len[0];
    if (n > cap)
        n = 0;
    else
        memcpy(out, p->pending[0], n);
    p->n_pending--;
    for (unsigned i = 0; i < p->n_pending; i++) {
        memcpy(p->pending[i], p->pending[i + 1], p->pending_len[i + 1]);
        p->pending_len[i] = p->pending_len[i + 1];
    }
    return n;
}
