/* SPDX-License-Identifier: BSD-3-Clause */
/* ZEP over UDP radios: zep:// point-to-point, zep-dispatch:// (a client of RIOT's
 * dist/tools/zep_dispatch, registered with its type-255 HELLO) and zep-listen://.
 * Datagrams are ZEP v2 Data in CRC mode (Wireshark packet-zep.c; RIOT socket_zep);
 * the codec is ek/zep.h, this file only does sockets and timing. */
#define _GNU_SOURCE 1 /* ppoll */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ek/fcs.h"
#include "ek/zep.h"
#include "radio_int.h"

#define NTP_UNIX_OFFSET 2208988800u /* seconds 1900-01-01 .. 1970-01-01 (RFC 5905 §6) */
#define ZEP_TYPE_HELLO 255           /* RIOT socket_zep_hello: registers with zep_dispatch */
#define ZEP_RX_BUF 2048

/* "HOST:PORT" or "[V6]:PORT" (n octets of s) -> host, port strings. */
static bool split_hostport(const char *s, size_t n, char *host, size_t hl, char *port, size_t pl)
{
    const char *colon;
    size_t hlen;
    const char *h = s;
    if (n && s[0] == '[') {
        const char *rb = memchr(s, ']', n);
        if (!rb || (size_t)(rb - s) + 1 >= n || rb[1] != ':')
            return false;
        h = s + 1;
        hlen = (size_t)(rb - h);
        colon = rb + 1;
    } else {
        colon = NULL;
        for (size_t i = 0; i < n; i++)
            if (s[i] == ':')
                colon = s + i; /* last colon */
        if (!colon)
            return false;
        hlen = (size_t)(colon - s);
        if (memchr(s, ':', hlen))
            return false; /* bare IPv6 needs brackets */
    }
    size_t plen = n - (size_t)(colon + 1 - s);
    if (hlen == 0 || hlen >= hl || plen == 0 || plen >= pl)
        return false;
    memcpy(host, h, hlen);
    host[hlen] = 0;
    memcpy(port, colon + 1, plen);
    port[plen] = 0;
    for (size_t i = 0; i < plen; i++)
        if (port[i] < '0' || port[i] > '9')
            return false;
    return atol(port) <= 65535;
}

static int resolve(const char *host, const char *port, int family, struct sockaddr_storage *ss, socklen_t *sl,
                   char *why, size_t wl)
{
    struct addrinfo hints, *ai = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = family;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICSERV;
    int rc = getaddrinfo(host, port, &hints, &ai);
    if (rc != 0 || !ai) {
        snprintf(why, wl, "%s", gai_strerror(rc));
        return -1;
    }
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *sl = (socklen_t)ai->ai_addrlen;
    freeaddrinfo(ai);
    return 0;
}

static void fmt_addr(const struct sockaddr_storage *ss, char *out, size_t n)
{
    char h[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &a->sin_addr, h, sizeof h);
        port = ntohs(a->sin_port);
        snprintf(out, n, "%s:%u", h, port);
    } else {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
        inet_ntop(AF_INET6, &a->sin6_addr, h, sizeof h);
        port = ntohs(a->sin6_port);
        snprintf(out, n, "[%s]:%u", h, port);
    }
}

static uint16_t ss_port(const struct sockaddr_storage *ss)
{
    return ss->ss_family == AF_INET ? ntohs(((const struct sockaddr_in *)ss)->sin_port)
                                    : ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

static bool ss_loopback(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
    return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

static bool ss_equal(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    if (a->ss_family != b->ss_family)
        return false;
    if (a->ss_family == AF_INET) {
        const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
        return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
    return x->sin6_port == y->sin6_port && !memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr);
}

/* Wildcard or loopback address of `family`, port 0. */
static void any_addr(int family, bool loopback, struct sockaddr_storage *ss, socklen_t *sl)
{
    memset(ss, 0, sizeof *ss);
    if (family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(loopback ? INADDR_LOOPBACK : INADDR_ANY);
        *sl = sizeof *a;
    } else {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = loopback ? in6addr_loopback : in6addr_any;
        *sl = sizeof *a;
    }
}

/* ---- datagram -> frame ---- */

/* 1 = frame, 0 = ignored (Ack, HELLO, our own echo), -1 = dropped. */
static int zep_classify(ek_radio *r, const uint8_t *b, size_t n, ek_radio_frame *f)
{
    ek_zep z;
    ek_err e;
    /* A HELLO is a v2 header with type 255 (RIOT socket_zep, zep_dispatch's parser). */
    if (n >= 4 && b[0] == 'E' && b[1] == 'X' && b[2] == 2 && b[3] == ZEP_TYPE_HELLO)
        return 0;
    ek_status st = ek_zep_decode(ek_view_make(b, n), 0, &z, &e);
    if (st == EK_OK && z.version == 2 && z.type == EK_ZEP_TYPE_ACK)
        return 0;
    if (st != EK_OK || z.length_hi)
        return -1;
    if (r->opts.channel && z.channel != r->opts.channel)
        return -1; /* RIOT socket_zep drops other channels too */
    if (z.psdu.len < 1 + EK_ZEP_TRAILER_LEN)
        return -1; /* no MPDU octet at all */
    size_t ml = z.psdu.len - EK_ZEP_TRAILER_LEN;
    if (z.version == 2 && z.device_id == r->opts.zep_device_id) {
        /* Our own datagram coming back (an echoing dispatcher): same device, a seq we
         * sent recently, same length and FCS. */
        unsigned i = z.seq % EK_RADIO_ECHO_RING;
        uint16_t c = ek_fcs16(ek_view_make(z.psdu.p, ml));
        if (r->echo[i].used && r->echo[i].seq == z.seq && r->echo[i].len == ml && r->echo[i].fcs == c)
            return 0;
    }
    memset(f, 0, sizeof f[0]);
    /* Mode CRC: the 2 trailing octets are the FCS; LQI mode: CC24xx metadata, so the
     * FCS is computed (Wireshark packet-zep.c). */
    if (!ek__radio_frame_set(f, z.psdu.p, ml, z.mode != EK_ZEP_MODE_LQI ? z.psdu.p + ml : NULL))
        return -1;
    f->channel = z.channel;
    f->lqi = z.lqi;
    return 1;
}

/* When the datagram reached the socket: the kernel's receive time (SO_TIMESTAMPNS, on
 * CLOCK_REALTIME), moved to CLOCK_MONOTONIC; the time of reading when the kernel gave
 * none.  A harness that reads late (a busy machine) still sees when the DUT's frame came,
 * so a window is judged by arrival, not by the harness's scheduling. */
static uint64_t rx_time(ek_radio *r, struct msghdr *mh)
{
#ifdef SCM_TIMESTAMPNS
    for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS &&
            c->cmsg_len >= CMSG_LEN(sizeof(struct timespec))) {
            struct timespec ts;
            memcpy(&ts, CMSG_DATA(c), sizeof ts);
            return ek__radio_rx_time(r, &ts);
        }
#else
    (void)mh;
#endif
    return ek__radio_rx_time(r, NULL);
}

static int zep_recv(ek_radio *r, ek_radio_frame *f, uint64_t deadline_ns)
{
    uint8_t buf[ZEP_RX_BUF];
    for (;;) {
        struct sockaddr_storage src;
        union { struct cmsghdr align; char b[CMSG_SPACE(sizeof(struct timespec))]; } ctl;
        struct iovec iov = { buf, sizeof buf };
        struct msghdr mh = { .msg_name = &src, .msg_namelen = sizeof src, .msg_iov = &iov, .msg_iovlen = 1,
                             .msg_control = ctl.b, .msg_controllen = sizeof ctl.b };
        ssize_t n = recvmsg(r->fd, &mh, MSG_DONTWAIT | MSG_TRUNC);
        socklen_t sl = mh.msg_namelen;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                ek__radio_seterr(r, "%s: recvfrom: %s", r->ops->scheme, strerror(errno));
                return -1;
            }
            uint64_t now = ek_mono_ns();
            if (now >= deadline_ns)
                return 0;
            uint64_t left = deadline_ns - now;
            struct timespec ts = { (time_t)(left / 1000000000u), (long)(left % 1000000000u) };
            struct pollfd pfd = { r->fd, POLLIN, 0 };
            int pr = ppoll(&pfd, 1, &ts, NULL);
            if (pr < 0 && errno != EINTR) {
                ek__radio_seterr(r, "%s: poll: %s", r->ops->scheme, strerror(errno));
                return -1;
            }
            continue;
        }
        uint64_t t = rx_time(r, &mh);
        if ((size_t)n > sizeof buf) {
            r->st.dropped++; /* longer than any ZEP datagram can be */
            continue;
        }
        int c = zep_classify(r, buf, (size_t)n, f);
        if (c < 0) {
            r->st.dropped++;
            continue;
        }
        if (c == 0) {
            r->st.ignored++;
            continue;
        }
        if (r->zep_learn && !r->zep_have_remote) {
            memcpy(&r->remote, &src, sl);
            r->remote_len = sl;
            r->zep_have_remote = true;
            char a[96];
            fmt_addr(&r->remote, a, sizeof a);
            snprintf(r->desc + strlen(r->desc), sizeof r->desc - strlen(r->desc), " peer %s", a);
        } else if (!r->zep_dispatch && r->zep_have_remote && !ss_equal(&src, &r->remote)) {
            r->st.foreign++;
        }
        f->t_ns = t;
        return 1;
    }
}

static void ntp_now(uint32_t *sec, uint32_t *frac)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    *sec = (uint32_t)((uint64_t)ts.tv_sec + NTP_UNIX_OFFSET);
    /* 2^-32 s units (RFC 5905 §6), not RIOT socket_zep's usec*1e6/232. */
    *frac = (uint32_t)(((uint64_t)ts.tv_nsec << 32) / 1000000000u);
}

static int zep_send(ek_radio *r, const uint8_t *mpdu, size_t len, uint64_t *t_ns)
{
    uint8_t psdu[EK_RADIO_PSDU_MAX];
    uint8_t out[EK_ZEP_V2_DATA_HDR_LEN + EK_RADIO_PSDU_MAX];
    if (!r->zep_sendable) {
        ek__radio_seterr(r, "%s: receive-only radio", r->ops->scheme);
        return -1;
    }
    if (!r->zep_have_remote) {
        ek__radio_seterr(r, "zep: no peer yet (remote port 0: learnt from the first datagram)");
        return -1;
    }
    memcpy(psdu, mpdu, len);
    ek_buf pb;
    ek_buf_init(&pb, psdu, sizeof psdu);
    pb.len = len;
    if (!ek_fcs16_append(&pb)) {
        ek__radio_seterr(r, "zep: MPDU too long");
        return -1;
    }
    ek_zep z;
    ek_zep_init_data(&z, r->opts.channel ? r->opts.channel : 26, ek_view_make(psdu, len + EK_FCS16_LEN));
    z.device_id = r->opts.zep_device_id;
    z.seq = ++r->zep_seq;
    ntp_now(&z.ntp_sec, &z.ntp_frac);
    ek_buf ob;
    ek_err e;
    ek_buf_init(&ob, out, sizeof out);
    if (ek_zep_encode(&z, &ob, &e) != EK_OK) {
        ek__radio_seterr(r, "zep: encode failed at %s", e.field ? e.field : "?");
        return -1;
    }
    unsigned i = z.seq % EK_RADIO_ECHO_RING;
    r->echo[i].seq = z.seq;
    r->echo[i].len = (uint8_t)len;
    r->echo[i].fcs = ek_fcs16(ek_view_make(mpdu, len));
    r->echo[i].used = true;
    *t_ns = ek_mono_ns();
    ssize_t n;
    do
        n = sendto(r->fd, out, ob.len, 0, (struct sockaddr *)&r->remote, r->remote_len);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        ek__radio_seterr(r, "%s: sendto: %s", r->ops->scheme, strerror(errno));
        return -1;
    }
    return 0;
}

static void zep_close(ek_radio *r)
{
    if (r->fd >= 0)
        close(r->fd);
    r->fd = -1;
}

static const ek_radio_ops zep_p2p_ops = { "zep", zep_send, zep_recv, zep_close };
static const ek_radio_ops zep_disp_ops = { "zep-dispatch", zep_send, zep_recv, zep_close };
static const ek_radio_ops zep_listen_ops = { "zep-listen", zep_send, zep_recv, zep_close };

/* The HELLO RIOT's socket_zep sends to register with zep_dispatch: a 32-octet v2 header
 * with Type 255, "HELLO" in the reserved octets, Length 8, then the EUI-64 the
 * dispatcher's topology mode keys the node on; the other header octets are 0. */
static size_t build_hello(const ek_radio *r, uint8_t *b)
{
    memset(b, 0, EK_ZEP_V2_DATA_HDR_LEN + 8);
    b[0] = 'E';
    b[1] = 'X';
    b[2] = 2;
    b[3] = ZEP_TYPE_HELLO;
    b[5] = (uint8_t)(r->opts.zep_device_id >> 8);
    b[6] = (uint8_t)r->opts.zep_device_id;
    memcpy(b + 21, "HELLO", 5); /* reserved(10) at offset 21 */
    b[31] = 8;
    memcpy(b + 32, r->opts.hello_eui64, 8);
    return EK_ZEP_V2_DATA_HDR_LEN + 8;
}

static int fail(char *errbuf, size_t errlen, ek_radio *r, const char *fmt, const char *a, const char *b)
{
    if (errbuf && errlen)
        snprintf(errbuf, errlen, fmt, a, b);
    if (r)
        ek_radio_close(r);
    return -1;
}

int ek__radio_open_zep(const char *uri, const char *rest, int kind, ek_radio_opts *o, ek_radio **out,
                       char *errbuf, size_t errlen)
{
    char host[256], port[16], why[128];
    const char *q = strchr(rest, '?');
    size_t hn = q ? (size_t)(q - rest) : strlen(rest);
    if (q)
        q++;
    if (!split_hostport(rest, hn, host, sizeof host, port, sizeof port))
        return fail(errbuf, errlen, NULL, "%s: bad HOST:PORT%s (IPv6 as [::1]:17754)", uri, "");
    const ek_radio_ops *ops = kind == EK__ZEP_P2P ? &zep_p2p_ops : kind == EK__ZEP_DISPATCH ? &zep_disp_ops
                                                                                           : &zep_listen_ops;
    ek_radio *r = ek__radio_new(ops, o);
    if (!r)
        return fail(errbuf, errlen, NULL, "%s: out of memory%s", uri, "");
    struct sockaddr_storage loc;
    socklen_t ll = 0;
    int family;
    if (kind == EK__ZEP_LISTEN) {
        if (resolve(host, port, AF_UNSPEC, &loc, &ll, why, sizeof why))
            return fail(errbuf, errlen, r, "%s: cannot resolve listen address: %s", uri, why);
        family = loc.ss_family;
    } else {
        if (resolve(host, port, AF_UNSPEC, &r->remote, &r->remote_len, why, sizeof why))
            return fail(errbuf, errlen, r, "%s: cannot resolve remote host: %s", uri, why);
        family = r->remote.ss_family;
        r->zep_sendable = true;
        r->zep_dispatch = kind == EK__ZEP_DISPATCH;
        if (ss_port(&r->remote) == 0) {
            if (kind != EK__ZEP_P2P)
                return fail(errbuf, errlen, r, "%s: port 0%s only works with zep:// (learn the peer)", uri, "");
            r->zep_learn = true;
        } else {
            r->zep_have_remote = true;
        }
        char lv[300];
        if (ek__radio_query(q, "local", lv, sizeof lv)) {
            char lh[256], lp[16];
            if (kind != EK__ZEP_P2P)
                return fail(errbuf, errlen, r, "%s: ?local=%s is for zep:// only", uri, "");
            if (!split_hostport(lv, strlen(lv), lh, sizeof lh, lp, sizeof lp))
                return fail(errbuf, errlen, r, "%s: bad local=HOST:PORT '%s'", uri, lv);
            if (resolve(lh, lp, family, &loc, &ll, why, sizeof why))
                return fail(errbuf, errlen, r, "%s: cannot resolve local address (same family as remote): %s", uri,
                            why);
        } else {
            any_addr(family, ss_loopback(&r->remote), &loc, &ll);
        }
    }
    if (q && *q) {
        /* Every key must be known: a typo must not silently do something else. */
        char tmp[300];
        const char *p = q;
        while (*p) {
            const char *end = strchr(p, '&');
            size_t n = end ? (size_t)(end - p) : strlen(p);
            if (!(kind == EK__ZEP_P2P && n > 6 && !strncmp(p, "local=", 6))) {
                snprintf(tmp, sizeof tmp, "%.*s", (int)n, p);
                return fail(errbuf, errlen, r, "%s: unknown option '%s'", uri, tmp);
            }
            if (!end)
                break;
            p = end + 1;
        }
    }
    r->fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (r->fd < 0)
        return fail(errbuf, errlen, r, "%s: socket: %s", uri, strerror(errno));
    if (family == AF_INET6) {
        int on = 1;
        (void)setsockopt(r->fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    }
    int rb = 1 << 20, on = 1;
    (void)setsockopt(r->fd, SOL_SOCKET, SO_RCVBUF, &rb, sizeof rb);
#ifdef SO_TIMESTAMPNS
    (void)setsockopt(r->fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on); /* rx_time() */
#else
    (void)on;
#endif
    if (bind(r->fd, (struct sockaddr *)&loc, ll) < 0) {
        char la[96];
        fmt_addr(&loc, la, sizeof la);
        char msg[200];
        snprintf(msg, sizeof msg, "%s: %s", la, strerror(errno));
        return fail(errbuf, errlen, r, "%s: cannot bind local %s", uri, msg);
    }
    ll = sizeof loc;
    getsockname(r->fd, (struct sockaddr *)&loc, &ll);
    r->local_port = ss_port(&loc);
    char la[96], ra[96];
    fmt_addr(&loc, la, sizeof la);
    if (kind == EK__ZEP_LISTEN) {
        snprintf(r->desc, sizeof r->desc, "zep-listen://%s (receive only, ch %u)", la, (unsigned)r->opts.channel);
    } else {
        fmt_addr(&r->remote, ra, sizeof ra);
        snprintf(r->desc, sizeof r->desc, "%s://%s (local %s, ch %u)", ops->scheme, ra, la,
                 (unsigned)r->opts.channel);
    }
    if (kind == EK__ZEP_DISPATCH) {
        uint8_t hello[EK_ZEP_V2_DATA_HDR_LEN + 8];
        size_t n = build_hello(r, hello);
        if (sendto(r->fd, hello, n, 0, (struct sockaddr *)&r->remote, r->remote_len) < 0)
            return fail(errbuf, errlen, r, "%s: sending HELLO: %s", uri, strerror(errno));
    }
    *out = r;
    return 0;
}
