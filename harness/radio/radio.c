/* SPDX-License-Identifier: BSD-3-Clause */
/* Radio core: URI dispatch, clocks, 802.15.4 air-time pacing (IEEE 802.15.4-2015 §12:
 * 2.4 GHz O-QPSK, 250 kbit/s = 32 us per octet over SHR 5 + PHR 1 + PSDU), the frame
 * queue, the record -> frame conversion shared by pcap and file, and the in-process
 * loopback radio with virtual time (docs/radios.md). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ek/decap.h"
#include "ek/fcs.h"
#include "ek/rd.h"
#include "radio_int.h"

#define SPIN_NS 200000u          /* clock_nanosleep to t - 200 us, then spin */
#define LOOP_STALL_MAX 100000u   /* peer runs at one instant without progress */
#define ETH_P_IEEE802154 0x00f6  /* Linux if_ether.h: 802.15.4 frames in cooked captures */
#define EK_RADIO_REC_MAX 2048    /* longest record a ZEP carrier can need */

void ek_radio_opts_default(ek_radio_opts *o)
{
    static const uint8_t role_a[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x0a };
    memset(o, 0, sizeof *o);
    o->channel = 26;
    o->zep_device_id = 0x454b;
    memcpy(o->hello_eui64, role_a, sizeof role_a);
}

uint64_t ek_airtime_ns(size_t psdu_len)
{
    /* SHR (preamble 4 + SFD 1) + PHR 1 + PSDU, 32 us per octet (§12.2, §12.3). */
    return (uint64_t)(4 + 1 + 1 + psdu_len) * 32000u;
}

uint64_t ek_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* rt on CLOCK_MONOTONIC; *now = the monotonic time the two clocks were read at.  The
 * offset is read afresh, not the radio's wall_off: a stamp only milliseconds old must not
 * carry the hours of NTP slew a fixed offset gathers over a long run. */
static uint64_t realtime_to_mono(const struct timespec *rt, uint64_t *now)
{
    /* both clocks read together: the wall clock on either side of the monotonic one, again
     * when a preemption came between them */
    int64_t before = 0, after = 0;
    uint64_t mono = 0;
    for (int i = 0; i < 4; i++) {
        struct timespec a, b;
        clock_gettime(CLOCK_REALTIME, &a);
        mono = ek_mono_ns();
        clock_gettime(CLOCK_REALTIME, &b);
        before = (int64_t)a.tv_sec * 1000000000 + a.tv_nsec;
        after = (int64_t)b.tv_sec * 1000000000 + b.tv_nsec;
        if (after - before < 20000)
            break;
    }
    int64_t age = before + (after - before) / 2 - ((int64_t)rt->tv_sec * 1000000000 + rt->tv_nsec);
    *now = mono;
    if (age <= 0)
        return mono;   /* the wall clock stepped back since: no better time than now */
    return (uint64_t)age >= mono ? 0 : mono - (uint64_t)age;
}

/* A stamp older than this is not an arrival the harness could have missed reading for so
 * long: a wall clock stepped forward, or an offline file's record. */
#define RX_STAMP_MAX_AGE_NS 10000000000ull

uint64_t ek__radio_rx_time(ek_radio *r, const struct timespec *rt)
{
    uint64_t now = 0, t = rt ? realtime_to_mono(rt, &now) : 0;
    if (!rt)
        now = ek_mono_ns();
    if (t == 0 || now - t >= RX_STAMP_MAX_AGE_NS)
        t = now;
    if (t < r->last_rx_ns)
        t = r->last_rx_ns;   /* frames are read in the order they came */
    r->last_rx_ns = t;
    return t;
}

void ek__radio_wait_until(uint64_t t_ns)
{
    uint64_t now = ek_mono_ns();
    if (now >= t_ns)
        return;
    if (t_ns - now > SPIN_NS) {
        uint64_t s = t_ns - SPIN_NS;
        struct timespec ts = { (time_t)(s / 1000000000u), (long)(s % 1000000000u) };
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
            ;
    }
    while (ek_mono_ns() < t_ns)
        ;
}

void ek__radio_seterr(ek_radio *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
}

ek_radio *ek__radio_new(const ek_radio_ops *ops, const ek_radio_opts *opts)
{
    ek_radio *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->ops = ops;
    if (opts)
        r->opts = *opts;
    else
        ek_radio_opts_default(&r->opts);
    r->fd = -1;
    r->dlt = -1;
    /* one offset for the radio's life: wall-clock times keep the monotonic clock's gaps
     * and order (no NTP step or slew between two frames) */
    struct timespec w;
    uint64_t m0 = ek_mono_ns();
    clock_gettime(CLOCK_REALTIME, &w);
    uint64_t m1 = ek_mono_ns();
    r->wall_off = ((int64_t)w.tv_sec * 1000000000 + w.tv_nsec) - (int64_t)(m0 + (m1 - m0) / 2);
    return r;
}

/* ---- queue ---- */

bool ek__radio_q_push(ek_radio *r, const ek_radio_frame *f)
{
    ek_radio_q *q = &r->q;
    if (q->n == q->cap) {
        size_t nc = q->cap ? q->cap * 2 : 16;
        ek_radio_frame *v = malloc(nc * sizeof *v);
        if (!v)
            return false;
        for (size_t i = 0; i < q->n; i++)
            v[i] = q->v[(q->head + i) % q->cap];
        free(q->v);
        q->v = v;
        q->cap = nc;
        q->head = 0;
    }
    q->v[(q->head + q->n) % q->cap] = *f;
    q->n++;
    return true;
}

const ek_radio_frame *ek__radio_q_peek(const ek_radio *r)
{
    return r->q.n ? &r->q.v[r->q.head] : NULL;
}

bool ek__radio_q_pop(ek_radio *r, ek_radio_frame *f)
{
    ek_radio_q *q = &r->q;
    if (!q->n)
        return false;
    *f = q->v[q->head];
    q->head = (q->head + 1) % q->cap;
    q->n--;
    return true;
}

/* ---- frames ---- */

bool ek__radio_frame_set(ek_radio_frame *f, const uint8_t *mpdu, size_t mpdu_len, const uint8_t *fcs2)
{
    if (mpdu_len < 1 || mpdu_len + EK_FCS16_LEN > EK_RADIO_PSDU_MAX)
        return false;
    memcpy(f->psdu, mpdu, mpdu_len);
    uint16_t c = ek_fcs16(ek_view_make(mpdu, mpdu_len));
    if (fcs2) {
        f->psdu[mpdu_len] = fcs2[0];
        f->psdu[mpdu_len + 1] = fcs2[1];
        f->fcs_ok = (uint16_t)(fcs2[0] | fcs2[1] << 8) == c;
        f->fcs_synthesized = false;
    } else {
        /* IEEE 802.15.4-2015 §7.2.10: FCS sent LSB first. */
        f->psdu[mpdu_len] = (uint8_t)c;
        f->psdu[mpdu_len + 1] = (uint8_t)(c >> 8);
        f->fcs_ok = true;
        f->fcs_synthesized = true;
    }
    f->len = mpdu_len + EK_FCS16_LEN;
    return true;
}

/* Bare PSDU/MPDU bytes under an FCS rule. */
static int frame_from_wpan(const uint8_t *p, size_t n, ek_radio_fcs_mode m, ek_radio_frame *f)
{
    bool has = m == EK_RADIO_FCS_PRESENT;
    if (m == EK_RADIO_FCS_AUTO)
        has = n > EK_FCS16_LEN && ek_fcs16_check(ek_view_make(p, n));
    if (has) {
        if (n <= EK_FCS16_LEN)
            return -1;
        return ek__radio_frame_set(f, p, n - EK_FCS16_LEN, p + n - EK_FCS16_LEN) ? 1 : -1;
    }
    return ek__radio_frame_set(f, p, n, NULL) ? 1 : -1;
}

/* Linux cooked capture (SLL v1 / v2) of an 802.15.4 interface: protocol ETH_P_IEEE802154,
 * payload = the frame (tcpdump.org LINKTYPE_LINUX_SLL / LINKTYPE_LINUX_SLL2). */
static int frame_from_sll(int lt, const uint8_t *rec, size_t len, ek_radio_fcs_mode m, ek_radio_frame *f,
                          bool *handled)
{
    ek_rd rd;
    uint16_t proto = 0;
    *handled = false;
    ek_rd_init(&rd, ek_view_make(rec, len), 0);
    if (lt == EK_LT_LINUX_SLL) {
        /* pkttype(2) hatype(2) halen(2) addr(8) protocol(2) */
        ek_rd_skip(&rd, 14, "sll.header");
        ek_rd_be16(&rd, "sll.etype", &proto);
    } else {
        /* protocol(2) res(2) ifindex(4) hatype(2) pkttype(1) halen(1) addr(8) */
        ek_rd_be16(&rd, "sll.etype", &proto);
        ek_rd_skip(&rd, 18, "sll.header");
    }
    if (!ek_rd_ok(&rd))
        return -1;
    if (proto != ETH_P_IEEE802154)
        return 0;
    *handled = true;
    ek_view rest = ek_rd_rest(&rd);
    /* The kernel's monitor path hands the frame over with its FCS (mac802154 puts
     * it back when the driver omitted it), so LINKTYPE means "present" here. */
    if (m == EK_RADIO_FCS_LINKTYPE)
        m = EK_RADIO_FCS_PRESENT;
    return frame_from_wpan(rest.p, rest.len, m, f);
}

int ek__radio_frame_from_record(int linktype, const uint8_t *rec, size_t len, ek_radio_fcs_mode fcs_mode,
                                bool zep_only, uint16_t zep_port, ek_radio_frame *f)
{
    ek_cap_frame cf;
    ek_err e;
    memset(f, 0, sizeof *f);
    f->lqi = 0xff;
    if (!zep_only && (linktype == EK_LT_LINUX_SLL || linktype == EK_LT_LINUX_SLL2)) {
        bool handled;
        int rc = frame_from_sll(linktype, rec, len, fcs_mode, f, &handled);
        if (handled || rc < 0)
            return rc;
    }
    ek_status st = ek_cap_decap(linktype, ek_view_make(rec, len), &cf, &e);
    uint8_t alt[EK_RADIO_REC_MAX];
    if (zep_only && zep_port && zep_port != EK_CAP_ZEP_PORT && st == EK_ERR_UNSUPPORTED && e.field &&
        !strcmp(e.field, "udp.port") && len <= sizeof alt && e.offset + 4 <= len) {
        /* ek_cap_decap knows ZEP on 17754 only: the same record with our port renamed
         * (UDP checksum is not verified) goes through the one decoder. */
        memcpy(alt, rec, len);
        for (size_t i = 0; i < 2; i++) {
            size_t at = e.offset + 2 * i;
            if ((uint16_t)(alt[at] << 8 | alt[at + 1]) == zep_port) {
                alt[at] = (uint8_t)(EK_CAP_ZEP_PORT >> 8);
                alt[at + 1] = (uint8_t)EK_CAP_ZEP_PORT;
            }
        }
        st = ek_cap_decap(linktype, ek_view_make(alt, len), &cf, &e);
        zep_port = EK_CAP_ZEP_PORT;
    }
    /* Well-formed but not an 802.15.4 frame (other UDP/IP traffic, ZEP Ack or a
     * dispatcher HELLO, IP fragments): somebody else's, skipped without counting it bad. */
    if (st == EK_ERR_UNSUPPORTED && e.field && strcmp(e.field, "pcap.linktype") && strcmp(e.field, "zep.version"))
        return 0;
    if (st != EK_OK)
        return -1;
    if (zep_only && cf.encap != EK_CAP_ZEP)
        return 0;
    if (zep_only && zep_port && cf.udp_sport != zep_port && cf.udp_dport != zep_port)
        return 0; /* BPF "udp port N" again in user space (dead/offline handles) */
    if (cf.encap == EK_CAP_ZEP) {
        if (cf.zep.length_hi)
            return -1;
        f->channel = cf.zep.channel;
        f->lqi = cf.zep.lqi;
    }
    if (cf.has_tap) {
        if (cf.tap.has_channel)
            f->channel = (uint8_t)cf.tap.channel;
        if (cf.tap.has_lqi)
            f->lqi = cf.tap.lqi;
    }
    if (cf.encap == EK_CAP_WPAN && linktype == EK_LT_IEEE802_15_4_NOFCS && fcs_mode != EK_RADIO_FCS_LINKTYPE)
        return frame_from_wpan(cf.psdu.p, cf.psdu.len, fcs_mode, f);
    if (cf.encap == EK_CAP_WPAN && linktype == EK_LT_IEEE802_15_4_WITHFCS && fcs_mode == EK_RADIO_FCS_ABSENT)
        return frame_from_wpan(cf.psdu.p, cf.psdu.len, fcs_mode, f);
    if (cf.fcs_present && cf.fcs_kind == EK_CAP_FCS_CRC16)
        return ek__radio_frame_set(f, cf.mpdu.p, cf.mpdu.len, cf.trailer.p) ? 1 : -1;
    /* No FCS (230, TAP without FCS TLV), CC24xx metadata (ZEP LQI mode) or a CRC-32
     * (SUN PHYs): the PSDU we hand on carries a computed CRC-16. */
    return ek__radio_frame_set(f, cf.mpdu.p, cf.mpdu.len, NULL) ? 1 : -1;
}

bool ek__radio_query(const char *query, const char *key, char *val, size_t vlen)
{
    if (!query)
        return false;
    size_t kl = strlen(key);
    const char *p = query;
    while (*p) {
        const char *end = strchr(p, '&');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n > kl && !strncmp(p, key, kl) && p[kl] == '=') {
            size_t vl = n - kl - 1;
            if (vl >= vlen)
                vl = vlen - 1;
            memcpy(val, p + kl + 1, vl);
            val[vl] = 0;
            return true;
        }
        if (!end)
            break;
        p = end + 1;
    }
    return false;
}

/* ---- public API ---- */

int ek_radio_open(const char *uri, const ek_radio_opts *opts, ek_radio **out, char *errbuf, size_t errlen)
{
    ek_radio_opts o;
    *out = NULL;
    if (opts)
        o = *opts;
    else
        ek_radio_opts_default(&o);
    if (errbuf && errlen)
        errbuf[0] = 0;
    if (!uri) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "radio: no URI");
        return -1;
    }
    if (o.channel && (o.channel < 11 || o.channel > 26)) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%s: channel %u is not a 2.4 GHz O-QPSK channel (11..26)", uri,
                     (unsigned)o.channel);
        return -1;
    }
    static const struct { const char *pfx; int kind; } zeps[] = {
        { "zep://", EK__ZEP_P2P }, { "zep-dispatch://", EK__ZEP_DISPATCH }, { "zep-listen://", EK__ZEP_LISTEN },
    };
    for (size_t i = 0; i < sizeof zeps / sizeof zeps[0]; i++)
        if (!strncmp(uri, zeps[i].pfx, strlen(zeps[i].pfx)))
            return ek__radio_open_zep(uri, uri + strlen(zeps[i].pfx), zeps[i].kind, &o, out, errbuf, errlen);
    if (!strncmp(uri, "pcap-zep:", 9))
        return ek__radio_open_pcap(uri, uri + 9, true, &o, out, errbuf, errlen);
    if (!strncmp(uri, "pcap:", 5))
        return ek__radio_open_pcap(uri, uri + 5, false, &o, out, errbuf, errlen);
    if (!strncmp(uri, "file:", 5))
        return ek__radio_open_file(uri, uri + 5, &o, out, errbuf, errlen);
    if (!strcmp(uri, "loop:") || !strcmp(uri, "loop")) {
        ek_radio *r = ek_radio_loop_new_opts(NULL, 0, &o);
        if (!r) {
            if (errbuf && errlen)
                snprintf(errbuf, errlen, "%s: out of memory", uri);
            return -1;
        }
        snprintf(r->desc, sizeof r->desc, "loop: (virtual time, no peer, ch %u)", (unsigned)o.channel);
        *out = r;
        return 0;
    }
    if (errbuf && errlen)
        snprintf(errbuf, errlen, "%s: unknown radio scheme (zep://, zep-dispatch://, zep-listen://, pcap:, "
                                 "pcap-zep:, file:, loop:)", uri);
    return -1;
}

/* Advances the virtual clock of a loop radio to t, running the peer's timers on the way. */
static void loop_advance(ek_radio *r, uint64_t t);

int ek_radio_send(ek_radio *r, const uint8_t *mpdu, size_t len, uint64_t *t_ns)
{
    if (!r)
        return -1;
    if (!mpdu || len < 1 || len + EK_FCS16_LEN > EK_RADIO_PSDU_MAX) {
        ek__radio_seterr(r, "send: MPDU length %zu outside 1..%d", len, EK_RADIO_PSDU_MAX - EK_FCS16_LEN);
        return -1;
    }
    if (r->opts.pace && r->have_last && !r->pace_off) {
        uint64_t planned = r->last_start + ek_airtime_ns(r->last_psdu);
        uint64_t now = ek_radio_now(r);
        if (now < planned) {
            uint64_t actual;
            if (r->virt) {
                loop_advance(r, planned);
                actual = r->vnow;
            } else {
                ek__radio_wait_until(planned);
                actual = ek_mono_ns();
            }
            int64_t d = actual > planned ? (int64_t)(actual - planned) : (int64_t)(planned - actual);
            r->st.paced++;
            r->st.pacing_err_sum_ns += d;
            if (d > r->st.pacing_err_max_ns)
                r->st.pacing_err_max_ns = d;
        }
    }
    uint64_t t = 0;
    if (r->ops->send(r, mpdu, len, &t) != 0)
        return -1;
    r->st.sent++;
    r->have_last = true;
    r->last_start = t;
    r->last_psdu = len + EK_FCS16_LEN;
    if (t_ns)
        *t_ns = t;
    if (r->opts.own_echo) {
        ek_radio_frame f;
        memset(&f, 0, sizeof f);
        ek__radio_frame_set(&f, mpdu, len, NULL);
        f.fcs_synthesized = false;
        f.t_ns = t;
        f.channel = r->opts.channel;
        f.lqi = 0xff;
        f.outbound = true;
        ek__radio_q_push(r, &f);
    }
    return 0;
}

int ek_radio_recv(ek_radio *r, ek_radio_frame *f, uint64_t deadline_ns)
{
    if (!r || !f)
        return -1;
    int rc;
    if (!r->virt && ek__radio_q_pop(r, f))
        rc = 1; /* own echo first: it left before anything we could still receive */
    else
        rc = r->ops->recv(r, f, deadline_ns);
    if (rc == 1)
        r->st.received++;
    return rc;
}

uint64_t ek_radio_now(const ek_radio *r)
{
    return r && r->virt ? r->vnow : ek_mono_ns();
}

void ek_radio_sleep_until(ek_radio *r, uint64_t deadline_ns)
{
    if (!r)
        return;
    if (r->virt) {
        if (r->have_peer)
            loop_advance(r, deadline_ns);
        else if (deadline_ns > r->vnow)
            r->vnow = deadline_ns;
        return;
    }
    ek__radio_wait_until(deadline_ns);
}

bool ek_radio_is_live(const ek_radio *r) { return r && !r->virt; }

uint64_t ek_radio_wall_ns(const ek_radio *r, uint64_t t_ns)
{
    if (!r || r->virt)
        return t_ns;
    int64_t w = (int64_t)t_ns + r->wall_off;
    return w > 0 ? (uint64_t)w : 0;
}
bool ek_radio_eof(const ek_radio *r) { return r && r->eof; }
const char *ek_radio_errmsg(const ek_radio *r) { return r ? r->err : "no radio"; }
const char *ek_radio_describe(const ek_radio *r) { return r ? r->desc : "no radio"; }
uint16_t ek_radio_local_port(const ek_radio *r) { return r ? r->local_port : 0; }

void ek_radio_get_stats(const ek_radio *r, ek_radio_stats *s)
{
    if (r)
        *s = r->st;
    else
        memset(s, 0, sizeof *s);
}

void ek_radio_close(ek_radio *r)
{
    if (!r)
        return;
    if (r->ops->close)
        r->ops->close(r);
    free(r->q.v);
    free(r);
}

/* ---- loop: ---- */

static void loop_advance(ek_radio *r, uint64_t t)
{
    for (;;) {
        uint64_t ne = r->have_peer && r->peer.next_event ? r->peer.next_event(r->peer.ctx) : UINT64_MAX;
        if (ne > t)
            break;
        if (ne > r->vnow) {
            r->vnow = ne;
            r->stall = 0;
        } else if (++r->stall > LOOP_STALL_MAX) {
            ek__radio_seterr(r, "loop: peer keeps a timer due at %llu ns without progress",
                             (unsigned long long)r->vnow);
            break;
        }
        if (r->peer.run)
            r->peer.run(r->peer.ctx, r->vnow, r);
    }
    if (t > r->vnow)
        r->vnow = t;
}

static int loop_send(ek_radio *r, const uint8_t *mpdu, size_t len, uint64_t *t_ns)
{
    *t_ns = r->vnow;
    if (r->have_peer && r->peer.rx)
        r->peer.rx(r->peer.ctx, mpdu, len, r->vnow);
    return 0;
}

static int loop_recv(ek_radio *r, ek_radio_frame *f, uint64_t deadline_ns)
{
    for (;;) {
        if (ek__radio_q_pop(r, f))
            return 1;
        uint64_t ne = r->have_peer && r->peer.next_event ? r->peer.next_event(r->peer.ctx) : UINT64_MAX;
        if (ne > deadline_ns) {
            if (deadline_ns > r->vnow)
                r->vnow = deadline_ns;
            return 0;
        }
        if (ne > r->vnow) {
            r->vnow = ne;
            r->stall = 0;
        } else if (++r->stall > LOOP_STALL_MAX) {
            ek__radio_seterr(r, "loop: peer keeps a timer due at %llu ns without progress",
                             (unsigned long long)r->vnow);
            return -1;
        }
        if (r->peer.run)
            r->peer.run(r->peer.ctx, r->vnow, r);
    }
}

static const ek_radio_ops loop_ops = { "loop", loop_send, loop_recv, NULL };

ek_radio *ek_radio_loop_new(const ek_radio_loop_peer *peer, uint64_t start_ns)
{
    return ek_radio_loop_new_opts(peer, start_ns, NULL);
}

ek_radio *ek_radio_loop_new_opts(const ek_radio_loop_peer *peer, uint64_t start_ns, const ek_radio_opts *opts)
{
    ek_radio *r = ek__radio_new(&loop_ops, opts);
    if (!r)
        return NULL;
    r->virt = true;
    r->vnow = start_ns;
    if (peer) {
        r->peer = *peer;
        r->have_peer = true;
    }
    snprintf(r->desc, sizeof r->desc, "loop: (virtual time%s, ch %u)", peer ? "" : ", no peer",
             (unsigned)r->opts.channel);
    return r;
}

void ek_radio_loop_emit(ek_radio *loop, const uint8_t *mpdu, size_t len)
{
    ek_radio_frame f;
    if (!loop || loop->ops != &loop_ops)
        return;
    memset(&f, 0, sizeof f);
    if (!ek__radio_frame_set(&f, mpdu, len, NULL)) {
        loop->st.dropped++;
        return;
    }
    f.fcs_synthesized = false; /* the peer's "radio" adds its FCS like any transmitter */
    f.t_ns = loop->vnow;
    f.channel = loop->opts.channel;
    f.lqi = 0xff;
    if (!ek__radio_q_push(loop, &f))
        loop->st.dropped++;
}
