/* SPDX-License-Identifier: BSD-3-Clause */
/* In-process ZEP hub (ek/zephub.h): RIOT dist/tools/zep_dispatch's relaying with an
 * owner that hears every frame and may send as a participant.  ZEP as Wireshark's
 * packet-zep.c decodes it (ek/zep.h); the HELLO as RIOT's socket_zep_hello sends it.
 * The sender of a frame is read from its MAC header (IEEE 802.15.4-2015 §7.2.2). */
#define _GNU_SOURCE 1 /* ppoll */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ek/consts.h"
#include "ek/fcs.h"
#include "ek/profile.h"
#include "ek/wpan.h"
#include "ek/zep.h"
#include "ek/zephub.h"

#define NTP_UNIX_OFFSET 2208988800u /* seconds 1900-01-01 .. 1970-01-01 (RFC 5905 §6) */
#define ZEP_TYPE_HELLO 255           /* RIOT socket_zep_hello */
#define HELLO_LEN (EK_ZEP_V2_DATA_HDR_LEN + 8)
#define RX_BUF 2048                  /* larger than any ZEP datagram (32 + 127) */

typedef struct hub_client {
    ek_zephub_client pub;
    struct sockaddr_storage sa;
    socklen_t sl;
} hub_client;

struct ek_zephub {
    ek_zephub_opts o;
    int fd;
    int family;
    uint16_t port;
    char uri[128];
    char err[256];
    hub_client cl[EK_ZEPHUB_MAX_CLIENTS];
    size_t n_cl;
    struct { uint8_t a[8], b[8]; } links[EK_ZEPHUB_MAX_LINKS];
    size_t n_links;
    ek_zephub_stats st;
    uint32_t seq;                /* last ZEP sequence number injected */
    bool pending;                /* a frame event waits behind a client event */
    ek_zephub_event pend;
    ek_profile prof;             /* for the MAC header only */
    ek_wpan_frame wf;            /* scratch: the sender's MAC header */
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void seterr(ek_zephub *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(h->err, sizeof h->err, fmt, ap);
    va_end(ap);
}

void ek_zephub_opts_default(ek_zephub_opts *o)
{
    memset(o, 0, sizeof *o);
    o->host = "127.0.0.1";
    o->channel = 26;
    o->zep_device_id = 0x454b;
    o->max_clients = EK_ZEPHUB_MAX_CLIENTS;
}

static void fmt_sa(const struct sockaddr_storage *ss, char *out, size_t n)
{
    char a[INET6_ADDRSTRLEN] = "?";
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *s = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &s->sin_addr, a, sizeof a);
        snprintf(out, n, "%s:%u", a, (unsigned)ntohs(s->sin_port));
    } else {
        const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)ss;
        inet_ntop(AF_INET6, &s->sin6_addr, a, sizeof a);
        snprintf(out, n, "[%s]:%u", a, (unsigned)ntohs(s->sin6_port));
    }
}

static bool sa_equal(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    if (a->ss_family != b->ss_family)
        return false;
    if (a->ss_family == AF_INET) {
        const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
        return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
    return x->sin6_port == y->sin6_port && memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr) == 0;
}

int ek_zephub_open(const ek_zephub_opts *o, ek_zephub **out, char *err, size_t errlen)
{
    ek_zephub_opts d;
    if (!o) {
        ek_zephub_opts_default(&d);
        o = &d;
    }
    *out = NULL;
    const char *host = o->host && o->host[0] ? o->host : "127.0.0.1";
    struct sockaddr_storage ss;
    socklen_t sl;
    memset(&ss, 0, sizeof ss);
    if (strchr(host, ':')) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(o->port);
        if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1 || !IN6_IS_ADDR_LOOPBACK(&a->sin6_addr)) {
            snprintf(err, errlen, "ZEP hub: '%s' is not the IPv6 loopback address ::1", host);
            return -1;
        }
        sl = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_port = htons(o->port);
        if (inet_pton(AF_INET, host, &a->sin_addr) != 1 || (ntohl(a->sin_addr.s_addr) >> 24) != 127) {
            snprintf(err, errlen, "ZEP hub: '%s' is not an IPv4 loopback address (127.x.y.z)", host);
            return -1;
        }
        sl = sizeof *a;
    }
    if (o->channel && (o->channel < 11 || o->channel > 26)) {
        /* IEEE 802.15.4-2015 §10.1.2.2: O-QPSK 2450 MHz, channels 11..26 */
        snprintf(err, errlen, "ZEP hub: channel %u is not 11..26", (unsigned)o->channel);
        return -1;
    }
    ek_zephub *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(err, errlen, "ZEP hub: out of memory");
        return -1;
    }
    h->o = *o;
    h->o.host = NULL; /* borrowed string: not kept */
    if (!h->o.channel)
        h->o.channel = 26;
    if (!h->o.max_clients || h->o.max_clients > EK_ZEPHUB_MAX_CLIENTS)
        h->o.max_clients = EK_ZEPHUB_MAX_CLIENTS;
    ek_profile_default(&h->prof);
    h->family = ss.ss_family;
    h->fd = socket(h->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (h->fd < 0) {
        snprintf(err, errlen, "ZEP hub: socket: %s", strerror(errno));
        free(h);
        return -1;
    }
    if (h->family == AF_INET6) {
        int on = 1;
        (void)setsockopt(h->fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    }
    int rb = 1 << 20;
    (void)setsockopt(h->fd, SOL_SOCKET, SO_RCVBUF, &rb, sizeof rb);
    if (bind(h->fd, (struct sockaddr *)&ss, sl) != 0) {
        char a[96];
        fmt_sa(&ss, a, sizeof a);
        snprintf(err, errlen, "ZEP hub: cannot bind %s: %s", a, strerror(errno));
        close(h->fd);
        free(h);
        return -1;
    }
    sl = sizeof ss;
    getsockname(h->fd, (struct sockaddr *)&ss, &sl);
    h->port = ntohs(h->family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                         : ((struct sockaddr_in6 *)&ss)->sin6_port);
    char a[96];
    fmt_sa(&ss, a, sizeof a);
    snprintf(h->uri, sizeof h->uri, "zep-dispatch://%s", a);
    *out = h;
    return 0;
}

void ek_zephub_close(ek_zephub *h)
{
    if (!h)
        return;
    if (h->fd >= 0)
        close(h->fd);
    free(h);
}

uint16_t ek_zephub_port(const ek_zephub *h) { return h->port; }
const char *ek_zephub_uri(const ek_zephub *h) { return h->uri; }
int ek_zephub_fd(const ek_zephub *h) { return h->fd; }
const char *ek_zephub_errmsg(const ek_zephub *h) { return h->err; }
void ek_zephub_get_stats(const ek_zephub *h, ek_zephub_stats *s) { *s = h->st; }
bool ek_zephub_restricted(const ek_zephub *h) { return h->n_links > 0; }
size_t ek_zephub_client_count(const ek_zephub *h) { return h->n_cl; }

const ek_zephub_client *ek_zephub_client_at(const ek_zephub *h, size_t i)
{
    return i < h->n_cl ? &h->cl[i].pub : NULL;
}

int ek_zephub_client_set_eui64(ek_zephub *h, size_t i, const uint8_t eui64[8])
{
    if (i >= h->n_cl)
        return -1;
    memcpy(h->cl[i].pub.eui64, eui64, 8);
    h->cl[i].pub.has_eui64 = true;
    h->cl[i].pub.how = EK_ZEPHUB_EUI_OWNER;
    return 0;
}

/* ---- topology ---- */

int ek_zephub_link(ek_zephub *h, const uint8_t a[8], const uint8_t b[8])
{
    if (memcmp(a, b, 8) == 0 || ek_zephub_linked(h, a, b))
        return 0;
    if (h->n_links >= EK_ZEPHUB_MAX_LINKS) {
        seterr(h, "ZEP hub: more than %d links", EK_ZEPHUB_MAX_LINKS);
        return -1;
    }
    memcpy(h->links[h->n_links].a, a, 8);
    memcpy(h->links[h->n_links].b, b, 8);
    h->n_links++;
    return 0;
}

bool ek_zephub_linked(const ek_zephub *h, const uint8_t a[8], const uint8_t b[8])
{
    for (size_t i = 0; i < h->n_links; i++)
        if ((memcmp(h->links[i].a, a, 8) == 0 && memcmp(h->links[i].b, b, 8) == 0) ||
            (memcmp(h->links[i].a, b, 8) == 0 && memcmp(h->links[i].b, a, 8) == 0))
            return true;
    return false;
}

/* May a copy from `from` (NULL = unknown sender) reach client c? */
static bool reaches(const ek_zephub *h, const uint8_t *from, const hub_client *c)
{
    if (!h->n_links)
        return true; /* full mesh */
    return from && c->pub.has_eui64 && ek_zephub_linked(h, from, c->pub.eui64);
}

/* ---- receiving ---- */

static hub_client *find_client(ek_zephub *h, const struct sockaddr_storage *sa, size_t *idx)
{
    for (size_t i = 0; i < h->n_cl; i++)
        if (sa_equal(&h->cl[i].sa, sa)) {
            *idx = i;
            return &h->cl[i];
        }
    return NULL;
}

static hub_client *add_client(ek_zephub *h, const struct sockaddr_storage *sa, socklen_t sl, uint64_t t, size_t *idx)
{
    if (h->n_cl >= h->o.max_clients) {
        h->st.clients_refused++;
        return NULL;
    }
    *idx = h->n_cl++;
    hub_client *c = &h->cl[*idx];
    memset(c, 0, sizeof *c);
    memcpy(&c->sa, sa, sl);
    c->sl = sl;
    fmt_sa(sa, c->pub.addr, sizeof c->pub.addr);
    c->pub.t_registered_ns = t;
    return c;
}

/* RIOT socket_zep_hello: 'E' 'X' 2 255, "HELLO" at offset 21, Length 8, EUI-64. */
static int classify_hello(const uint8_t *b, size_t n)
{
    if (n < 4 || b[0] != 'E' || b[1] != 'X' || b[2] != 2 || b[3] != ZEP_TYPE_HELLO)
        return 0; /* not a HELLO */
    if (n != HELLO_LEN || b[31] != 8 || memcmp(b + 21, "HELLO", 5) != 0)
        return -1;
    return 1;
}

static void relay(ek_zephub *h, size_t from_idx, const uint8_t *from, const uint8_t *b, size_t n, unsigned *count)
{
    for (size_t i = 0; i < h->n_cl; i++) {
        if (i == from_idx)
            continue; /* zep_dispatch never echoes to the sender */
        hub_client *c = &h->cl[i];
        if (!reaches(h, from, c)) {
            h->st.blocked++;
            continue;
        }
        ssize_t w;
        do
            w = sendto(h->fd, b, n, 0, (const struct sockaddr *)&c->sa, c->sl);
        while (w < 0 && errno == EINTR);
        if (w < 0) {
            h->st.send_errors++;
            continue;
        }
        c->pub.frames_out++;
        h->st.relayed++;
        (*count)++;
    }
}

/* The extended MAC source of an MPDU (IEEE 802.15.4-2015 §7.2.2.9), if it has one. */
static bool mac_source(ek_zephub *h, const uint8_t *mpdu, size_t len, uint8_t out[8])
{
    ek_err e;
    ek_status st = ek_wpan_decode(ek_view_make(mpdu, len), 0, &h->prof, &h->wf, &e);
    if (st != EK_OK && st != EK_ERR_UNSUPPORTED)
        return false; /* the header itself did not decode */
    if (h->wf.src.mode != EK_WPAN_AM_EXT)
        return false;
    memcpy(out, h->wf.src.ext, 8);
    return true;
}

/* One datagram: 1 = an event in *ev, 0 = none (relayed nothing, counted). */
static int handle(ek_zephub *h, const uint8_t *b, size_t n, const struct sockaddr_storage *sa, socklen_t sl,
                  uint64_t t, ek_zephub_event *ev)
{
    size_t idx = 0;
    hub_client *c = find_client(h, sa, &idx);
    int hello = classify_hello(b, n);
    if (hello < 0) {
        h->st.malformed++;
        return 0;
    }
    if (hello > 0) {
        h->st.hellos++;
        bool fresh = !c;
        if (!c && !(c = add_client(h, sa, sl, t, &idx)))
            return 0;
        c->pub.hellos++;
        if (c->pub.how <= EK_ZEPHUB_EUI_HELLO) {
            memcpy(c->pub.eui64, b + EK_ZEP_V2_DATA_HDR_LEN, 8);
            c->pub.has_eui64 = true;
            c->pub.how = EK_ZEPHUB_EUI_HELLO;
        }
        if (!fresh)
            return 0;
        memset(ev, 0, sizeof *ev);
        ev->kind = EK_ZEPHUB_EV_CLIENT;
        ev->client = idx;
        ev->t_ns = t;
        return 1;
    }
    ek_zep z;
    ek_err e;
    ek_status st = ek_zep_decode(ek_view_make(b, n), 0, &z, &e);
    if (st == EK_OK && z.version >= 2 && z.type == EK_ZEP_TYPE_ACK) {
        h->st.ignored++;
        return 0;
    }
    /* Data only, Length bit 7 clear, and at least one MPDU octet before the 2 trailing */
    if (st != EK_OK || z.type != EK_ZEP_TYPE_DATA || z.length_hi || z.psdu.len < 1 + EK_ZEP_TRAILER_LEN ||
        z.psdu.len > EK_RADIO_PSDU_MAX) {
        h->st.malformed++;
        return 0;
    }
    bool fresh = !c;
    if (!c && !(c = add_client(h, sa, sl, t, &idx)))
        return 0;
    h->st.frames++;
    c->pub.frames_in++;
    size_t ml = z.psdu.len - EK_ZEP_TRAILER_LEN;
    uint8_t src[8];
    bool has_src = mac_source(h, z.psdu.p, ml, src);
    if (has_src && c->pub.how < EK_ZEPHUB_EUI_FRAME) {
        memcpy(c->pub.eui64, src, 8);
        c->pub.has_eui64 = true;
        c->pub.how = EK_ZEPHUB_EUI_FRAME;
    }
    ek_zephub_event *fe = fresh ? &h->pend : ev;
    memset(fe, 0, sizeof *fe);
    fe->kind = EK_ZEPHUB_EV_FRAME;
    fe->client = idx;
    fe->t_ns = t;
    /* the topology follows the client's identity; the event names the frame's source */
    const uint8_t *who = c->pub.has_eui64 ? c->pub.eui64 : NULL;
    fe->has_from = has_src || who;
    if (fe->has_from)
        memcpy(fe->from, has_src ? src : who, 8);
    fe->channel = z.channel;
    fe->lqi = z.lqi;
    memcpy(fe->psdu, z.psdu.p, ml);
    fe->len = ml + 2;
    uint16_t fcs = ek_fcs16(ek_view_make(z.psdu.p, ml));
    if (z.mode == EK_ZEP_MODE_LQI) {
        /* CC24xx metadata in the trailer (Wireshark packet-zep.c): the FCS is computed */
        fe->psdu[ml] = (uint8_t)fcs;
        fe->psdu[ml + 1] = (uint8_t)(fcs >> 8);
        fe->fcs_ok = true;
        fe->fcs_synthesized = true;
    } else {
        fe->psdu[ml] = z.psdu.p[ml];
        fe->psdu[ml + 1] = z.psdu.p[ml + 1];
        fe->fcs_ok = (uint16_t)(z.psdu.p[ml] | z.psdu.p[ml + 1] << 8) == fcs; /* KERMIT, LSB first */
    }
    relay(h, idx, who, b, n, &fe->relayed);
    if (!fresh)
        return 1;
    h->pending = true;
    memset(ev, 0, sizeof *ev);
    ev->kind = EK_ZEPHUB_EV_CLIENT;
    ev->client = idx;
    ev->t_ns = t;
    return 1;
}

int ek_zephub_poll(ek_zephub *h, ek_zephub_event *ev, uint64_t deadline_ns)
{
    uint8_t buf[RX_BUF];
    for (;;) {
        if (h->pending) {
            *ev = h->pend;
            h->pending = false;
            return 1;
        }
        struct sockaddr_storage sa;
        socklen_t sl = sizeof sa;
        ssize_t n = recvfrom(h->fd, buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC, (struct sockaddr *)&sa, &sl);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                seterr(h, "ZEP hub: recvfrom: %s", strerror(errno));
                return -1;
            }
            uint64_t now = ek_mono_ns();
            if (now >= deadline_ns)
                return 0;
            uint64_t left = deadline_ns - now;
            struct timespec ts = { (time_t)(left / 1000000000u), (long)(left % 1000000000u) };
            struct pollfd pfd = { h->fd, POLLIN, 0 };
            if (ppoll(&pfd, 1, &ts, NULL) < 0 && errno != EINTR) {
                seterr(h, "ZEP hub: poll: %s", strerror(errno));
                return -1;
            }
            continue;
        }
        uint64_t t = ek_mono_ns();
        h->st.datagrams++;
        if ((size_t)n > sizeof buf) {
            h->st.malformed++; /* longer than any ZEP datagram can be */
            continue;
        }
        if (handle(h, buf, (size_t)n, &sa, sl, t, ev))
            return 1;
    }
}

/* ---- sending as a participant ---- */

static void ntp_now(uint32_t *sec, uint32_t *frac)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    *sec = (uint32_t)((uint64_t)ts.tv_sec + NTP_UNIX_OFFSET);
    *frac = (uint32_t)(((uint64_t)ts.tv_nsec << 32) / 1000000000u); /* 2^-32 s (RFC 5905 §6) */
}

int ek_zephub_inject(ek_zephub *h, const uint8_t from[8], const uint8_t *mpdu, size_t len, ek_zephub_event *ev)
{
    uint8_t psdu[EK_RADIO_PSDU_MAX];
    uint8_t out[EK_ZEP_V2_DATA_HDR_LEN + EK_RADIO_PSDU_MAX];
    if (len < 1 || len + EK_FCS16_LEN > sizeof psdu) {
        seterr(h, "ZEP hub: MPDU of %zu octets (1..%d)", len, EK_RADIO_PSDU_MAX - EK_FCS16_LEN);
        return -1;
    }
    memcpy(psdu, mpdu, len);
    ek_buf pb;
    ek_buf_init(&pb, psdu, sizeof psdu);
    pb.len = len;
    if (!ek_fcs16_append(&pb)) {
        seterr(h, "ZEP hub: MPDU too long");
        return -1;
    }
    ek_zep z;
    ek_zep_init_data(&z, h->o.channel, ek_view_make(psdu, pb.len));
    z.device_id = h->o.zep_device_id;
    z.seq = ++h->seq;
    ntp_now(&z.ntp_sec, &z.ntp_frac);
    ek_buf ob;
    ek_err e;
    ek_buf_init(&ob, out, sizeof out);
    if (ek_zep_encode(&z, &ob, &e) != EK_OK) {
        seterr(h, "ZEP hub: encode failed at %s", e.field ? e.field : "?");
        return -1;
    }
    uint64_t t = ek_mono_ns();
    unsigned count = 0;
    relay(h, EK_ZEPHUB_OWNER, from, out, ob.len, &count);
    h->st.injected++;
    if (ev) {
        memset(ev, 0, sizeof *ev);
        ev->kind = EK_ZEPHUB_EV_FRAME;
        ev->client = EK_ZEPHUB_OWNER;
        ev->t_ns = t;
        ev->has_from = true;
        memcpy(ev->from, from, 8);
        ev->channel = h->o.channel;
        ev->lqi = 0xff;
        ev->fcs_ok = true;
        ev->relayed = count;
        ev->len = pb.len;
        memcpy(ev->psdu, psdu, pb.len);
    }
    return (int)count;
}
