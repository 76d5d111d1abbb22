/* SPDX-License-Identifier: BSD-3-Clause */
/* Radio tests: air time, ZEP p2p on 127.0.0.1 and ::1 (bytes, FCS, channel filter, seq,
 * v1 receive), a client of an in-test ZEP dispatcher (HELLO, own echo), the loop radio
 * with a scripted peer, the file radio (order, deadlines, pcapng direction flag), libpcap
 * dead/offline handles for every link type, live pcap-zep on lo (root only), pacing
 * error and hostile datagrams.  Every socket binds port 0: parallel runs never collide. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ek/decap.h"
#include "ek/fcs.h"
#include "ek/pcapio.h"
#include "ek/radio.h"
#include "ek/zep.h"
#include "ek_test_rng.h"

#define MS 1000000ull

/* A 2015 data frame: FCF 0x41 0xa8? -- simple: FCF 41 88 (data, PAN ID compression,
 * short dst/src, 2006), seq 7, PAN face, dst ffff, src 0001, payload "EK".
 * tshark: "Data, Dst: Broadcast, Src: 0x0001", FCS correct when the radio adds it. */
static const uint8_t DATA_MPDU[] = { 0x41, 0x88, 0x07, 0xce, 0xfa, 0xff, 0xff, 0x01, 0x00, 'E', 'K' };

static void mk_mpdu(uint8_t *b, size_t n, uint8_t tag)
{
    memcpy(b, DATA_MPDU, n < sizeof DATA_MPDU ? n : sizeof DATA_MPDU);
    for (size_t i = sizeof DATA_MPDU; i < n; i++)
        b[i] = (uint8_t)(tag + i);
    if (n > 2)
        b[2] = tag;
}

/* ---- raw UDP helpers ---- */

static int udp_sock(int family, uint16_t *port)
{
    int fd = socket(family, SOCK_DGRAM, 0);
    cr_assert(fd >= 0);
    struct sockaddr_storage ss;
    socklen_t sl;
    memset(&ss, 0, sizeof ss);
    if (family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        sl = sizeof *a;
    } else {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        sl = sizeof *a;
    }
    cr_assert(bind(fd, (struct sockaddr *)&ss, sl) == 0);
    sl = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    *port = family == AF_INET ? ntohs(((struct sockaddr_in *)&ss)->sin_port)
                              : ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return fd;
}

static void udp_send_to(int fd, int family, uint16_t port, const void *b, size_t n)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    memset(&ss, 0, sizeof ss);
    if (family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a->sin_port = htons(port);
        sl = sizeof *a;
    } else {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        a->sin6_port = htons(port);
        sl = sizeof *a;
    }
    cr_assert(sendto(fd, b, n, 0, (struct sockaddr *)&ss, sl) == (ssize_t)n);
}

static ssize_t udp_recv(int fd, uint8_t *b, size_t cap, int timeout_ms)
{
    struct pollfd p = { fd, POLLIN, 0 };
    if (poll(&p, 1, timeout_ms) != 1)
        return -1;
    return recv(fd, b, cap, 0);
}

/* ZEP datagram around mpdu (+ correct FCS unless bad_fcs). */
static size_t zep_dgram(uint8_t *out, size_t cap, int version, uint8_t mode, uint8_t chan, const uint8_t *mpdu,
                        size_t n, bool bad_fcs)
{
    uint8_t psdu[130];
    memcpy(psdu, mpdu, n);
    uint16_t c = ek_fcs16(ek_view_make(mpdu, n));
    if (bad_fcs)
        c ^= 0x5555;
    psdu[n] = (uint8_t)c;
    psdu[n + 1] = (uint8_t)(c >> 8);
    if (mode == EK_ZEP_MODE_LQI) {
        psdu[n] = 0xd0;     /* CC24xx: RSSI */
        psdu[n + 1] = 0xff; /* CRC ok | correlation */
    }
    ek_zep z;
    ek_zep_init_data(&z, chan, ek_view_make(psdu, n + 2));
    z.version = (uint8_t)version;
    z.mode = mode;
    z.lqi = 0x80;
    z.seq = 99;
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, out, cap);
    cr_assert(ek_zep_encode(&z, &b, &e) == EK_OK);
    return b.len;
}

static ek_radio *open_ok(const char *uri, const ek_radio_opts *o)
{
    ek_radio *r = NULL;
    char eb[EK_RADIO_ERRLEN];
    int rc = ek_radio_open(uri, o, &r, eb, sizeof eb);
    cr_assert_eq(rc, 0, "%s: %s", uri, eb);
    cr_assert_not_null(r);
    return r;
}

/* ---- air time ---- */

Test(radio, airtime_is_32us_per_octet_over_shr_phr_and_psdu)
{
    cr_assert_eq(ek_airtime_ns(0), 6 * 32000ull);
    cr_assert_eq(ek_airtime_ns(5), 11 * 32000ull);     /* an Imm-Ack: 352 us */
    cr_assert_eq(ek_airtime_ns(127), 133 * 32000ull);  /* aMaxPhyPacketSize: 4.256 ms */
    cr_assert_eq(1000000000ull / ek_airtime_ns(127), 234); /* frames/s at the PHY limit */
}

Test(radio, opts_default_channel_26_device_ek_role_a_hello)
{
    ek_radio_opts o;
    ek_radio_opts_default(&o);
    cr_assert_eq(o.channel, 26);
    cr_assert_eq(o.zep_device_id, 0x454b);
    cr_assert_not(o.pace);
    cr_assert_not(o.own_echo);
    cr_assert_eq(o.hello_eui64[7], 0x0a);
    cr_assert_eq(o.hello_eui64[0], 0x02);
}

/* ---- ZEP point to point ---- */

static void p2p_round_trip(int family, const char *host)
{
    char uri[128];
    snprintf(uri, sizeof uri, "zep://%s:0", host);
    ek_radio *a = open_ok(uri, NULL); /* learns its peer from the first datagram */
    uint16_t pa = ek_radio_local_port(a);
    cr_assert_neq(pa, 0);
    snprintf(uri, sizeof uri, "zep://%s:%u?local=%s:0", host, (unsigned)pa, host);
    ek_radio *b = open_ok(uri, NULL);
    cr_assert_eq(ek_radio_send(a, DATA_MPDU, sizeof DATA_MPDU, NULL), -1, "no peer yet");
    uint64_t t0 = 0;
    cr_assert_eq(ek_radio_send(b, DATA_MPDU, sizeof DATA_MPDU, &t0), 0, "%s", ek_radio_errmsg(b));
    ek_radio_frame f;
    cr_assert_eq(ek_radio_recv(a, &f, ek_radio_now(a) + 2000 * MS), 1, "%s", ek_radio_errmsg(a));
    cr_assert_eq(f.len, sizeof DATA_MPDU + 2);
    cr_assert_arr_eq(f.psdu, DATA_MPDU, sizeof DATA_MPDU);
    cr_assert(f.fcs_ok);
    cr_assert_not(f.fcs_synthesized);
    cr_assert(ek_fcs16_check(ek_view_make(f.psdu, f.len)));
    cr_assert_eq(f.channel, 26);
    cr_assert_eq(f.lqi, 0xff);
    cr_assert_geq(f.t_ns, t0);
    /* ...and back to b, now that a knows it. */
    uint8_t m[60];
    mk_mpdu(m, sizeof m, 0x31);
    cr_assert_eq(ek_radio_send(a, m, sizeof m, NULL), 0, "%s", ek_radio_errmsg(a));
    cr_assert_eq(ek_radio_recv(b, &f, ek_radio_now(b) + 2000 * MS), 1);
    cr_assert_eq(f.len, sizeof m + 2);
    cr_assert_arr_eq(f.psdu, m, sizeof m);
    cr_assert(f.fcs_ok);
    ek_radio_stats s;
    ek_radio_get_stats(b, &s);
    cr_assert_eq(s.sent, 1);
    cr_assert_eq(s.received, 1);
    cr_assert_eq(s.dropped, 0);
    cr_assert_eq(s.foreign, 0);
    cr_assert(strstr(ek_radio_describe(b), "zep://") != NULL, "%s", ek_radio_describe(b));
    ek_radio_close(a);
    ek_radio_close(b);
    (void)family;
}

/* Linux turns receive time stamps on lazily (net_enable_timestamp: a deferred static key),
 * so the first datagrams after the first socket asked for them may carry their read
 * time: send to rx until one that waited 20 ms is stamped at least 10 ms before it was
 * read (a second at most). */
static void until_arrival_stamps(ek_radio *rx, ek_radio *tx)
{
    for (int i = 0; i < 50; i++) {
        cr_assert_eq(ek_radio_send(tx, DATA_MPDU, sizeof DATA_MPDU, NULL), 0, "%s", ek_radio_errmsg(tx));
        nanosleep(&(struct timespec){ 0, 20000000L }, NULL);
        uint64_t read_at = ek_radio_now(rx);
        ek_radio_frame f;
        cr_assert_eq(ek_radio_recv(rx, &f, read_at + 2000 * MS), 1, "%s", ek_radio_errmsg(rx));
        if (f.t_ns + 10 * MS <= read_at)
            return;
    }
    cr_assert_fail("no arrival time stamp in 50 datagrams");
}

/* A frame is stamped with its arrival, not with the time it was read: read 200 ms late,
 * its stamp is still within a few ms of its sending. */
Test(radio, zep_frames_carry_their_arrival_time)
{
    ek_radio *a = open_ok("zep://127.0.0.1:0", NULL);
    char uri[128];
    snprintf(uri, sizeof uri, "zep://127.0.0.1:%u?local=127.0.0.1:0", (unsigned)ek_radio_local_port(a));
    ek_radio *b = open_ok(uri, NULL);
    until_arrival_stamps(a, b);
    uint64_t t0 = 0;
    cr_assert_eq(ek_radio_send(b, DATA_MPDU, sizeof DATA_MPDU, &t0), 0, "%s", ek_radio_errmsg(b));
    nanosleep(&(struct timespec){ 0, 200000000L }, NULL);
    uint64_t read_at = ek_radio_now(a);
    ek_radio_frame f;
    cr_assert_eq(ek_radio_recv(a, &f, read_at + 2000 * MS), 1, "%s", ek_radio_errmsg(a));
    cr_assert(ek_radio_is_live(a));
    cr_assert_geq(f.t_ns + 5 * MS, t0, "stamped %lld ns before it was sent", (long long)(t0 - f.t_ns));
    cr_assert_lt(f.t_ns, read_at - 100 * MS, "stamped %lld ms after it was sent, at reading",
                 (long long)((f.t_ns - t0) / MS));
    ek_radio_close(a);
    ek_radio_close(b);
}

Test(radio, zep_p2p_round_trip_ipv4) { p2p_round_trip(AF_INET, "127.0.0.1"); }
Test(radio, zep_p2p_round_trip_ipv6) { p2p_round_trip(AF_INET6, "[::1]"); }

static void check_sent_datagrams(int family, const char *host)
{
    uint16_t ps;
    int s = udp_sock(family, &ps);
    char uri[128];
    snprintf(uri, sizeof uri, "zep://%s:%u", host, (unsigned)ps);
    ek_radio_opts o;
    ek_radio_opts_default(&o);
    o.channel = 15;
    ek_radio *r = open_ok(uri, &o);
    struct timespec rt;
    clock_gettime(CLOCK_REALTIME, &rt);
    for (uint32_t i = 1; i <= 3; i++) {
        uint8_t m[20];
        mk_mpdu(m, sizeof m, (uint8_t)i);
        cr_assert_eq(ek_radio_send(r, m, sizeof m, NULL), 0);
        uint8_t b[512];
        ssize_t n = udp_recv(s, b, sizeof b, 2000);
        /* tshark: "ZigBee Encapsulation Protocol, Channel: 15, Length: 22" + wpan FCS correct */
        cr_assert_eq(n, 32 + 22);
        ek_zep z;
        ek_err e;
        cr_assert_eq(ek_zep_decode(ek_view_make(b, (size_t)n), 0, &z, &e), EK_OK);
        cr_assert_eq(z.version, 2);
        cr_assert_eq(z.type, EK_ZEP_TYPE_DATA);
        cr_assert_eq(z.mode, EK_ZEP_MODE_CRC);
        cr_assert_eq(z.channel, 15);
        cr_assert_eq(z.device_id, 0x454b);
        cr_assert_eq(z.lqi, 0xff);
        cr_assert_eq(z.seq, i, "our own incrementing sequence");
        cr_assert_eq(z.length, 22);
        cr_assert(ek_fcs16_check(z.psdu), "KERMIT FCS");
        cr_assert_arr_eq(z.psdu.p, m, sizeof m);
        int64_t ds = (int64_t)z.ntp_sec - (int64_t)(rt.tv_sec + 2208988800ll);
        cr_assert(ds >= 0 && ds <= 5, "NTP seconds from CLOCK_REALTIME (%lld)", (long long)ds);
    }
    ek_radio_close(r);
    close(s);
}

Test(radio, zep_sends_v2_data_crc_mode_fcs_seq_ntp_ipv4) { check_sent_datagrams(AF_INET, "127.0.0.1"); }
Test(radio, zep_sends_v2_data_crc_mode_fcs_seq_ntp_ipv6) { check_sent_datagrams(AF_INET6, "[::1]"); }

/* Sends one datagram to r and receives with a short deadline. */
static int push_recv(ek_radio *r, int s, int family, const uint8_t *d, size_t n, ek_radio_frame *f)
{
    udp_send_to(s, family, ek_radio_local_port(r), d, n);
    return ek_radio_recv(r, f, ek_radio_now(r) + 60 * MS);
}

Test(radio, zep_receive_v1_lqi_mode_bad_fcs_and_channel_filter)
{
    uint16_t ps;
    int s = udp_sock(AF_INET, &ps);
    char uri[64];
    snprintf(uri, sizeof uri, "zep://127.0.0.1:%u", (unsigned)ps);
    ek_radio *r = open_ok(uri, NULL);
    uint8_t d[256];
    ek_radio_frame f;
    size_t n;
    /* v1 (16-octet header), CRC mode. tshark: "ZEP v1, Channel 26" */
    n = zep_dgram(d, sizeof d, 1, EK_ZEP_MODE_CRC, 26, DATA_MPDU, sizeof DATA_MPDU, false);
    cr_assert_eq(n, 16 + sizeof DATA_MPDU + 2);
    cr_assert_eq(push_recv(r, s, AF_INET, d, n, &f), 1);
    cr_assert_arr_eq(f.psdu, DATA_MPDU, sizeof DATA_MPDU);
    cr_assert(f.fcs_ok);
    cr_assert_eq(f.lqi, 0x80);
    /* Wrong channel: dropped, nothing delivered. */
    n = zep_dgram(d, sizeof d, 2, EK_ZEP_MODE_CRC, 11, DATA_MPDU, sizeof DATA_MPDU, false);
    cr_assert_eq(push_recv(r, s, AF_INET, d, n, &f), 0);
    /* LQI mode: trailer is CC24xx metadata, the radio computes the FCS. */
    n = zep_dgram(d, sizeof d, 2, EK_ZEP_MODE_LQI, 26, DATA_MPDU, sizeof DATA_MPDU, false);
    cr_assert_eq(push_recv(r, s, AF_INET, d, n, &f), 1);
    cr_assert(f.fcs_synthesized);
    cr_assert(f.fcs_ok);
    cr_assert(ek_fcs16_check(ek_view_make(f.psdu, f.len)));
    /* Bad FCS in CRC mode: delivered as seen, flagged. */
    n = zep_dgram(d, sizeof d, 2, EK_ZEP_MODE_CRC, 26, DATA_MPDU, sizeof DATA_MPDU, true);
    cr_assert_eq(push_recv(r, s, AF_INET, d, n, &f), 1);
    cr_assert_not(f.fcs_ok);
    cr_assert_not(f.fcs_synthesized);
    ek_radio_stats st;
    ek_radio_get_stats(r, &st);
    cr_assert_eq(st.received, 3);
    cr_assert_eq(st.dropped, 1);
    ek_radio_close(r);
    close(s);
}

Test(radio, zep_hostile_datagrams_are_counted_never_delivered)
{
    uint16_t ps;
    int s = udp_sock(AF_INET6, &ps);
    char uri[64];
    snprintf(uri, sizeof uri, "zep://[::1]:%u", (unsigned)ps);
    ek_radio *r = open_ok(uri, NULL);
    uint8_t d[300];
    ek_radio_frame f;
    size_t n = zep_dgram(d, sizeof d, 2, EK_ZEP_MODE_CRC, 26, DATA_MPDU, sizeof DATA_MPDU, false);
    uint8_t extra[300];
    memcpy(extra, d, n);
    extra[n] = 0xaa; /* one octet after Length: Wireshark rejects, RIOT drops */
    uint8_t shortlen[300];
    memcpy(shortlen, d, n);
    shortlen[31] = 2; /* Length 2: FCS only, no MPDU */
    uint8_t hilen[300];
    memcpy(hilen, d, n);
    hilen[31] |= 0x80; /* reserved bit 7 */
    const uint8_t ack[8] = { 'E', 'X', 2, 2, 0, 0, 0, 1 };
    uint8_t hello[40] = { 'E', 'X', 2, 255 };
    hello[31] = 8;
    const uint8_t v3[32] = { 'E', 'X', 3, 1 };
    struct { const uint8_t *p; size_t n; bool ignored; } cases[] = {
        { (const uint8_t *)"", 0, false },
        { (const uint8_t *)"E", 1, false },
        { (const uint8_t *)"EX", 2, false },
        { (const uint8_t *)"garbage datagram", 16, false },
        { d, 31, false },        /* header cut before Length */
        { d, n - 1, false },     /* PSDU one octet short */
        { extra, n + 1, false },
        { shortlen, n - (sizeof DATA_MPDU), false },
        { hilen, n, false },
        { v3, sizeof v3, false },
        { ack, sizeof ack, true },
        { hello, sizeof hello, true },
    };
    uint64_t want_drop = 0, want_ign = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_assert_eq(push_recv(r, s, AF_INET6, cases[i].p, cases[i].n, &f), 0, "case %zu delivered", i);
        if (cases[i].ignored)
            want_ign++;
        else
            want_drop++;
    }
    /* Seeded random datagrams, half of them with a valid-looking ZEP v2 prefix. */
    uint32_t seed = 0x5eed1234u;
    for (int i = 0; i < 1000; i++) {
        uint8_t g[200];
        size_t gl = ek_test_xorshift32(&seed) % sizeof g;
        for (size_t k = 0; k < gl; k++)
            g[k] = (uint8_t)ek_test_xorshift32(&seed);
        if (i & 1 && gl >= 4) {
            g[0] = 'E';
            g[1] = 'X';
            g[2] = 2;
            g[3] = 1;
        }
        udp_send_to(s, AF_INET6, ek_radio_local_port(r), g, gl);
    }
    int got = 0;
    while (ek_radio_recv(r, &f, ek_radio_now(r) + 200 * MS) == 1)
        got++;
    ek_radio_stats st;
    ek_radio_get_stats(r, &st);
    cr_assert_eq(st.received, (uint64_t)got);
    cr_assert_eq(st.dropped + st.ignored + st.received, want_drop + want_ign + 1000);
    cr_assert_geq(st.dropped, want_drop);
    cr_assert_eq(got, 0, "random bytes are never a valid ZEP frame on channel 26 with a sane length");
    (void)want_ign;
    ek_radio_close(r);
    close(s);
}

Test(radio, zep_counts_datagrams_from_another_source_as_foreign)
{
    uint16_t p1, p2;
    int s1 = udp_sock(AF_INET, &p1), s2 = udp_sock(AF_INET, &p2);
    char uri[64];
    snprintf(uri, sizeof uri, "zep://127.0.0.1:%u", (unsigned)p1);
    ek_radio *r = open_ok(uri, NULL);
    uint8_t d[256];
    ek_radio_frame f;
    size_t n = zep_dgram(d, sizeof d, 2, EK_ZEP_MODE_CRC, 26, DATA_MPDU, sizeof DATA_MPDU, false);
    cr_assert_eq(push_recv(r, s1, AF_INET, d, n, &f), 1);
    cr_assert_eq(push_recv(r, s2, AF_INET, d, n, &f), 1);
    ek_radio_stats st;
    ek_radio_get_stats(r, &st);
    cr_assert_eq(st.foreign, 1);
    ek_radio_close(r);
    close(s1);
    close(s2);
}

Test(radio, zep_listen_is_receive_only)
{
    ek_radio *l = open_ok("zep-listen://127.0.0.1:0", NULL);
    uint16_t pl = ek_radio_local_port(l);
    cr_assert_neq(pl, 0);
    cr_assert_eq(ek_radio_send(l, DATA_MPDU, sizeof DATA_MPDU, NULL), -1);
    cr_assert(strstr(ek_radio_errmsg(l), "receive-only") != NULL);
    char uri[64];
    snprintf(uri, sizeof uri, "zep://127.0.0.1:%u", (unsigned)pl);
    ek_radio *t = open_ok(uri, NULL);
    cr_assert_eq(ek_radio_send(t, DATA_MPDU, sizeof DATA_MPDU, NULL), 0);
    ek_radio_frame f;
    cr_assert_eq(ek_radio_recv(l, &f, ek_radio_now(l) + 2000 * MS), 1);
    cr_assert_arr_eq(f.psdu, DATA_MPDU, sizeof DATA_MPDU);
    ek_radio_close(t);
    ek_radio_close(l);
}

/* ---- in-test ZEP dispatcher (flat mode, as RIOT's zep_dispatch; optional echo) ---- */

typedef struct disp {
    int fd;
    uint16_t port;
    bool echo;
    atomic_bool stop;
    atomic_int nclients;
    struct sockaddr_in6 cl[8];
    uint8_t first[8][64];
    size_t first_len[8];
    pthread_t th;
} disp;

static void *disp_main(void *arg)
{
    disp *d = arg;
    while (!atomic_load(&d->stop)) {
        struct pollfd p = { d->fd, POLLIN, 0 };
        if (poll(&p, 1, 10) != 1)
            continue;
        uint8_t b[256];
        struct sockaddr_in6 src;
        socklen_t sl = sizeof src;
        ssize_t n = recvfrom(d->fd, b, sizeof b, 0, (struct sockaddr *)&src, &sl);
        if (n <= 0)
            continue;
        int nc = atomic_load(&d->nclients), me = -1;
        for (int i = 0; i < nc; i++)
            if (!memcmp(&d->cl[i], &src, sizeof src))
                me = i;
        for (int i = 0; i < nc; i++)
            if (i != me || d->echo)
                sendto(d->fd, b, (size_t)n, 0, (struct sockaddr *)&d->cl[i], sizeof d->cl[i]);
        if (me < 0 && nc < 8) {
            d->cl[nc] = src;
            memcpy(d->first[nc], b, (size_t)n < 64 ? (size_t)n : 64);
            d->first_len[nc] = (size_t)n;
            atomic_store(&d->nclients, nc + 1);
        }
    }
    return NULL;
}

static void disp_start(disp *d, bool echo)
{
    memset(d, 0, sizeof *d);
    d->echo = echo;
    d->fd = udp_sock(AF_INET6, &d->port);
    atomic_init(&d->stop, false);
    atomic_init(&d->nclients, 0);
    cr_assert_eq(pthread_create(&d->th, NULL, disp_main, d), 0);
}

static void disp_stop(disp *d)
{
    atomic_store(&d->stop, true);
    pthread_join(d->th, NULL);
    close(d->fd);
}

static void disp_wait(disp *d, int n)
{
    for (int i = 0; i < 400 && atomic_load(&d->nclients) < n; i++)
        usleep(5000);
    cr_assert_eq(atomic_load(&d->nclients), n, "dispatcher learnt the clients from their HELLOs");
}

Test(radio, zep_dispatch_hello_then_frames_through_the_dispatcher)
{
    disp d;
    disp_start(&d, false);
    char uri[64];
    snprintf(uri, sizeof uri, "zep-dispatch://[::1]:%u", (unsigned)d.port);
    ek_radio_opts oa, ob;
    ek_radio_opts_default(&oa);
    ek_radio_opts_default(&ob);
    ob.hello_eui64[7] = 0x0b;
    ek_radio *a = open_ok(uri, &oa);
    disp_wait(&d, 1);
    ek_radio *b = open_ok(uri, &ob);
    disp_wait(&d, 2);
    /* HELLO as RIOT socket_zep sends it: v2 header, type 255, "HELLO" in the reserved
     * octets, Length 8, EUI-64. */
    cr_assert_eq(d.first_len[0], 40);
    cr_assert_eq(d.first[0][0], 'E');
    cr_assert_eq(d.first[0][1], 'X');
    cr_assert_eq(d.first[0][2], 2);
    cr_assert_eq(d.first[0][3], 255);
    cr_assert_arr_eq(d.first[0] + 21, "HELLO", 5);
    cr_assert_eq(d.first[0][31], 8);
    cr_assert_arr_eq(d.first[0] + 32, oa.hello_eui64, 8);
    cr_assert_eq(d.first[1][39], 0x0b);
    /* a's HELLO reached nobody (b was not there); b's HELLO reached a: ignored there. */
    ek_radio_frame f;
    cr_assert_eq(ek_radio_send(a, DATA_MPDU, sizeof DATA_MPDU, NULL), 0);
    cr_assert_eq(ek_radio_recv(b, &f, ek_radio_now(b) + 2000 * MS), 1);
    cr_assert_arr_eq(f.psdu, DATA_MPDU, sizeof DATA_MPDU);
    uint8_t m[40];
    mk_mpdu(m, sizeof m, 0x44);
    cr_assert_eq(ek_radio_send(b, m, sizeof m, NULL), 0);
    cr_assert_eq(ek_radio_recv(a, &f, ek_radio_now(a) + 2000 * MS), 1);
    cr_assert_arr_eq(f.psdu, m, sizeof m);
    cr_assert_eq(ek_radio_recv(a, &f, ek_radio_now(a) + 50 * MS), 0, "no echo of a's own frame");
    ek_radio_stats st;
    ek_radio_get_stats(a, &st);
    cr_assert_eq(st.ignored, 1, "b's HELLO");
    cr_assert_eq(st.dropped, 0);
    ek_radio_close(a);
    ek_radio_close(b);
    disp_stop(&d);
}

Test(radio, zep_dispatch_echo_filtered_and_own_echo_delivered_once)
{
    disp d;
    disp_start(&d, true); /* a dispatcher that echoes to the sender too */
    char uri[64];
    snprintf(uri, sizeof uri, "zep-dispatch://[::1]:%u", (unsigned)d.port);
    ek_radio_opts o;
    ek_radio_opts_default(&o);
    ek_radio *a = open_ok(uri, &o);
    disp_wait(&d, 1);
    o.own_echo = true;
    ek_radio *c = open_ok(uri, &o);
    disp_wait(&d, 2);
    ek_radio_frame f;
    /* a: own frame echoed by the dispatcher is filtered (device id + seq + FCS). */
    cr_assert_eq(ek_radio_send(a, DATA_MPDU, sizeof DATA_MPDU, NULL), 0);
    /* c gets a's frame. */
    cr_assert_eq(ek_radio_recv(c, &f, ek_radio_now(c) + 2000 * MS), 1);
    cr_assert_not(f.outbound);
    cr_assert_eq(ek_radio_recv(a, &f, ek_radio_now(a) + 100 * MS), 0);
    /* c with own_echo: exactly one copy of its own send, marked outbound. */
    uint8_t m[30];
    mk_mpdu(m, sizeof m, 0x55);
    uint64_t ts;
    cr_assert_eq(ek_radio_send(c, m, sizeof m, &ts), 0);
    cr_assert_eq(ek_radio_recv(c, &f, ek_radio_now(c) + 2000 * MS), 1);
    cr_assert(f.outbound);
    cr_assert_eq(f.t_ns, ts);
    cr_assert_arr_eq(f.psdu, m, sizeof m);
    cr_assert(f.fcs_ok);
    cr_assert_eq(ek_radio_recv(c, &f, ek_radio_now(c) + 100 * MS), 0, "dispatcher echo filtered");
    ek_radio_stats st;
    ek_radio_get_stats(c, &st);
    cr_assert_geq(st.ignored, 1);
    cr_assert_eq(st.dropped, 0);
    ek_radio_close(a);
    ek_radio_close(c);
    disp_stop(&d);
}

/* ---- loop radio with a scripted peer ---- */

typedef struct peer {
    uint64_t next_beacon, period, reply_at;
    uint8_t rx_seq;
    unsigned nrx;
    uint64_t rx_t[16];
    unsigned beacons;
} peer;

static void p_rx(void *ctx, const uint8_t *m, size_t n, uint64_t now)
{
    peer *p = ctx;
    if (p->nrx < 16)
        p->rx_t[p->nrx] = now;
    p->nrx++;
    p->rx_seq = n > 2 ? m[2] : 0;
    p->reply_at = now + 1 * MS;
}

static uint64_t p_next(void *ctx)
{
    peer *p = ctx;
    return p->reply_at < p->next_beacon ? p->reply_at : p->next_beacon;
}

static void p_run(void *ctx, uint64_t now, ek_radio *loop)
{
    peer *p = ctx;
    uint8_t m[12];
    if (p->reply_at <= now) {
        mk_mpdu(m, sizeof m, (uint8_t)(0x80 | p->rx_seq));
        ek_radio_loop_emit(loop, m, sizeof m);
        p->reply_at = UINT64_MAX;
    }
    if (p->next_beacon <= now) {
        mk_mpdu(m, sizeof m, (uint8_t)p->beacons++);
        ek_radio_loop_emit(loop, m, sizeof m);
        p->next_beacon += p->period;
    }
}

/* One scripted conversation; returns a trace hash and fills times. */
static uint64_t loop_script(uint64_t *trace, size_t *ntrace)
{
    peer p = { .next_beacon = 5 * MS, .period = 10 * MS, .reply_at = UINT64_MAX };
    ek_radio_loop_peer lp = { &p, p_rx, p_next, p_run };
    ek_radio *r = ek_radio_loop_new(&lp, 0);
    cr_assert_not_null(r);
    ek_radio_frame f;
    size_t k = 0;
    uint64_t h = 1469598103934665603ull;
    /* Beacon at 5 ms. */
    cr_assert_eq(ek_radio_recv(r, &f, 100 * MS), 1);
    cr_assert_eq(f.t_ns, 5 * MS);
    cr_assert_eq(ek_radio_now(r), 5 * MS);
    cr_assert_eq(f.psdu[2], 0);
    cr_assert(f.fcs_ok);
    trace[k++] = f.t_ns;
    /* Deadline before the next beacon: 0, clock at the deadline. */
    cr_assert_eq(ek_radio_recv(r, &f, 8 * MS), 0);
    cr_assert_eq(ek_radio_now(r), 8 * MS);
    /* Send at 8 ms: the peer sees it at 8 ms and answers at 9 ms, before the 15 ms beacon. */
    uint8_t m[12];
    mk_mpdu(m, sizeof m, 0x21);
    uint64_t ts;
    cr_assert_eq(ek_radio_send(r, m, sizeof m, &ts), 0);
    cr_assert_eq(ts, 8 * MS);
    cr_assert_eq(p.rx_t[0], 8 * MS);
    cr_assert_eq(ek_radio_recv(r, &f, 100 * MS), 1);
    cr_assert_eq(f.t_ns, 9 * MS);
    cr_assert_eq(f.psdu[2], 0xa1);
    trace[k++] = f.t_ns;
    /* sleep over two beacons: they stay queued, in order, with their own times. */
    ek_radio_sleep_until(r, 30 * MS);
    cr_assert_eq(ek_radio_now(r), 30 * MS);
    cr_assert_eq(ek_radio_recv(r, &f, 0), 1, "queued frames are delivered even past the deadline");
    cr_assert_eq(f.t_ns, 15 * MS);
    trace[k++] = f.t_ns;
    cr_assert_eq(ek_radio_recv(r, &f, 0), 1);
    cr_assert_eq(f.t_ns, 25 * MS);
    trace[k++] = f.t_ns;
    cr_assert_eq(ek_radio_recv(r, &f, 0), 0);
    cr_assert_eq(ek_radio_now(r), 30 * MS, "a past deadline does not move the clock back");
    /* A long run: 10 s of virtual time, 1000 beacons, in well under a second. */
    int n = 0;
    while (ek_radio_recv(r, &f, 10030 * MS) == 1) {
        h = (h ^ f.t_ns ^ f.psdu[2]) * 1099511628211ull;
        n++;
    }
    cr_assert_eq(n, 1000);
    cr_assert_eq(ek_radio_now(r), 10030 * MS);
    *ntrace = k;
    ek_radio_close(r);
    return h;
}

Test(radio, loop_virtual_time_drives_the_peer_deterministically)
{
    uint64_t t1[8], t2[8];
    size_t n1, n2;
    uint64_t w0 = ek_mono_ns();
    uint64_t h1 = loop_script(t1, &n1);
    uint64_t h2 = loop_script(t2, &n2);
    uint64_t wall = ek_mono_ns() - w0;
    cr_assert_eq(h1, h2);
    cr_assert_eq(n1, n2);
    cr_assert_arr_eq(t1, t2, n1 * sizeof t1[0]);
    cr_assert_lt(wall, 500 * MS, "virtual time: no sleeping (%llu ns)", (unsigned long long)wall);
}

Test(radio, loop_pacing_advances_virtual_time_by_air_time)
{
    peer p = { .next_beacon = UINT64_MAX, .period = 0, .reply_at = UINT64_MAX };
    ek_radio_loop_peer lp = { &p, p_rx, p_next, p_run };
    ek_radio_opts o;
    ek_radio_opts_default(&o);
    o.pace = true;
    ek_radio *r = ek_radio_loop_new_opts(&lp, 1000, &o);
    uint8_t m[100];
    mk_mpdu(m, sizeof m, 1);
    uint64_t t1, t2, t3;
    cr_assert_eq(ek_radio_send(r, m, sizeof m, &t1), 0);
    cr_assert_eq(t1, 1000);
    cr_assert_eq(ek_radio_send(r, m, 20, &t2), 0);
    cr_assert_eq(t2, 1000 + ek_airtime_ns(102), "PSDU = MPDU + FCS");
    /* The peer's reply to the first send (due at +1 ms) ran while we waited? No: 3.5 ms
     * air time > 1 ms, so it was emitted during the pacing wait, at its own time. */
    ek_radio_frame f;
    cr_assert_eq(ek_radio_recv(r, &f, 0), 1);
    cr_assert_eq(f.t_ns, 1000 + 1 * MS);
    ek_radio_sleep_until(r, t2 + 10 * MS);
    cr_assert_eq(ek_radio_send(r, m, 20, &t3), 0);
    cr_assert_eq(t3, t2 + 10 * MS, "no wait once the air time has passed");
    ek_radio_stats st;
    ek_radio_get_stats(r, &st);
    cr_assert_eq(st.paced, 1);
    cr_assert_eq(st.pacing_err_max_ns, 0);
    cr_assert_eq(st.sent, 3);
    ek_radio_close(r);
}

Test(radio, loop_without_peer_and_stalled_peer)
{
    ek_radio *r = NULL;
    char eb[EK_RADIO_ERRLEN];
    cr_assert_eq(ek_radio_open("loop:", NULL, &r, eb, sizeof eb), 0);
    ek_radio_frame f;
    cr_assert_eq(ek_radio_send(r, DATA_MPDU, sizeof DATA_MPDU, NULL), 0, "sends vanish");
    cr_assert_eq(ek_radio_recv(r, &f, 7 * MS), 0);
    cr_assert_eq(ek_radio_now(r), 7 * MS);
    ek_radio_close(r);
    /* A peer whose timer never moves: an error, not a hang. */
    peer p = { .next_beacon = 0, .period = 0, .reply_at = UINT64_MAX };
    ek_radio_loop_peer lp = { &p, p_rx, p_next, NULL };
    r = ek_radio_loop_new(&lp, 0);
    cr_assert_eq(ek_radio_recv(r, &f, 1 * MS), -1);
    cr_assert(strstr(ek_radio_errmsg(r), "progress") != NULL, "%s", ek_radio_errmsg(r));
    cr_assert_not(ek_radio_eof(r));
    ek_radio_close(r);
}

Test(radio, loop_own_echo_and_emit_rejects_oversize)
{
    ek_radio_opts o;
    ek_radio_opts_default(&o);
    o.own_echo = true;
    o.channel = 20;
    peer p = { .next_beacon = UINT64_MAX, .period = 0, .reply_at = UINT64_MAX };
    ek_radio_loop_peer lp = { &p, p_rx, p_next, p_run };
    ek_radio *r = ek_radio_loop_new_opts(&lp, 0, &o);
    ek_radio_frame f;
    cr_assert_eq(ek_radio_send(r, DATA_MPDU, sizeof DATA_MPDU, NULL), 0);
    cr_assert_eq(ek_radio_recv(r, &f, 0), 1);
    cr_assert(f.outbound);
    cr_assert_eq(f.channel, 20);
    cr_assert_eq(ek_radio_recv(r, &f, 5 * MS), 1);
    cr_assert_not(f.outbound);
    cr_assert_eq(f.t_ns, 1 * MS);
    uint8_t big[130] = { 0 };
    ek_radio_loop_emit(r, big, 126);
    ek_radio_stats st;
    ek_radio_get_stats(r, &st);
    cr_assert_eq(st.dropped, 1);
    ek_radio_close(r);
}

/* ---- send argument checks ---- */

Test(radio, send_rejects_empty_and_oversize_mpdu)
{
    ek_radio *r = ek_radio_loop_new(NULL, 0);
    uint8_t m[126] = { 0x41, 0x88 };
    cr_assert_eq(ek_radio_send(r, m, 0, NULL), -1);
    cr_assert_eq(ek_radio_send(r, m, 126, NULL), -1, "126 + FCS > aMaxPhyPacketSize");
    cr_assert(strstr(ek_radio_errmsg(r), "126") != NULL);
    cr_assert_eq(ek_radio_send(r, m, 125, NULL), 0);
    ek_radio_close(r);
}

/* ---- URI errors ---- */

Test(radio, open_errors_name_the_uri_part)
{
    static const struct { const char *uri; const char *want; } bad[] = {
        { "bogus://x", "unknown radio scheme" },
        { "zep://127.0.0.1", "HOST:PORT" },
        { "zep://::1:17754", "HOST:PORT" },
        { "zep://127.0.0.1:99999", "HOST:PORT" },
        { "zep://127.0.0.1:17754?lokal=1", "unknown option" },
        { "zep://127.0.0.1:17754?local=nope", "local" },
        { "zep-dispatch://[::1]:0", "port 0" },
        { "zep-listen://256.1.1.1:1", "resolve" },
        { "file:/nonexistent/x.pcap", "/nonexistent/x.pcap" },
        { "file:", "missing PATH" },
        { "pcap:", "interface" },
        { "pcap:lo?dlt=1", "dlt=" },
        { "pcap:lo?fcs=maybe", "fcs=" },
        { "pcap-zep:lo?port=0", "port=" },
        { "pcap-zep:lo?dlt=195", "unknown option" },
        { "pcap:no-such-iface-ek0", "no-such-iface-ek0" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ek_radio *r = (ek_radio *)1;
        char eb[EK_RADIO_ERRLEN] = "";
        cr_assert_eq(ek_radio_open(bad[i].uri, NULL, &r, eb, sizeof eb), -1, "%s", bad[i].uri);
        cr_assert_null(r);
        cr_assert(strstr(eb, bad[i].want) != NULL, "%s -> '%s'", bad[i].uri, eb);
    }
    ek_radio_opts o;
    ek_radio_opts_default(&o);
    o.channel = 5;
    ek_radio *r;
    char eb[EK_RADIO_ERRLEN];
    cr_assert_eq(ek_radio_open("loop:", &o, &r, eb, sizeof eb), -1);
    cr_assert(strstr(eb, "channel 5") != NULL, "%s", eb);
}

/* ---- file radio ---- */

static void put32(FILE *f, uint32_t v) { fwrite(&v, 4, 1, f); }  /* host order: LE here */
static void put16(FILE *f, uint16_t v) { fwrite(&v, 2, 1, f); }

/* pcapng (little-endian): SHB, IDB(linktype), then EPBs with an epb_flags option. */
static void pcapng_begin(FILE *f, uint16_t linktype)
{
    put32(f, 0x0A0D0D0A); put32(f, 28); put32(f, 0x1A2B3C4D); put16(f, 1); put16(f, 0);
    put32(f, 0xffffffff); put32(f, 0xffffffff); put32(f, 28);
    put32(f, 1); put32(f, 20); put16(f, linktype); put16(f, 0); put32(f, 65535); put32(f, 20);
}

static void pcapng_epb(FILE *f, uint64_t usec, const uint8_t *d, uint32_t n, uint32_t flags)
{
    uint32_t pad = (4 - n % 4) % 4;
    uint32_t blen = 32 + n + pad + (flags ? 12 : 0);
    put32(f, 6); put32(f, blen); put32(f, 0); put32(f, (uint32_t)(usec >> 32)); put32(f, (uint32_t)usec);
    put32(f, n); put32(f, n);
    fwrite(d, 1, n, f);
    for (uint32_t i = 0; i < pad; i++)
        fputc(0, f);
    if (flags) {
        put16(f, 2); put16(f, 4); put32(f, flags); put16(f, 0); put16(f, 0);
    }
    put32(f, blen);
}

static void with_fcs(uint8_t *out, const uint8_t *m, size_t n)
{
    memcpy(out, m, n);
    uint16_t c = ek_fcs16(ek_view_make(m, n));
    out[n] = (uint8_t)c;
    out[n + 1] = (uint8_t)(c >> 8);
}

Test(radio, file_replays_in_time_order_with_deadlines_and_outbound_flag)
{
    char path[] = "/tmp/ek-radio-test-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    pcapng_begin(f, 195);
    uint8_t a[20], b[20], c[20], bad[20];
    uint8_t ma[11], mb[11], mc[11];
    mk_mpdu(ma, 11, 0xa0);
    mk_mpdu(mb, 11, 0xb0);
    mk_mpdu(mc, 11, 0xc0);
    with_fcs(a, ma, 11);
    with_fcs(b, mb, 11);
    with_fcs(c, mc, 11);
    memcpy(bad, c, 13);
    bad[12] ^= 1;
    /* File order C(3 s), A(1 s, outbound), B(2 s, inbound), bad FCS at 4 s. */
    pcapng_epb(f, 3000000, c, 13, 0);
    pcapng_epb(f, 1000000, a, 13, 2);
    pcapng_epb(f, 2000000, b, 13, 1);
    pcapng_epb(f, 4000000, bad, 13, 0);
    fclose(f);
    char uri[64];
    snprintf(uri, sizeof uri, "file:%s", path);
    ek_radio *r = open_ok(uri, NULL);
    ek_radio_frame fr;
    const uint64_t S = 1000000000ull;
    cr_assert_eq(ek_radio_now(r), 1 * S, "virtual clock starts at the first record");
    cr_assert_eq(ek_radio_recv(r, &fr, 1 * S), 1);
    cr_assert_eq(fr.psdu[2], 0xa0);
    cr_assert(fr.outbound, "EPB flags direction 2 = outbound");
    cr_assert(fr.fcs_ok);
    cr_assert_eq(ek_radio_recv(r, &fr, 1 * S + S / 2), 0, "B at 2 s stays queued");
    cr_assert_eq(ek_radio_now(r), 1 * S + S / 2);
    cr_assert_eq(ek_radio_send(r, DATA_MPDU, sizeof DATA_MPDU, NULL), 0, "send accepted");
    cr_assert_eq(ek_radio_now(r), 1 * S + S / 2, "send moves nothing");
    cr_assert_eq(ek_radio_recv(r, &fr, 5 * S / 2), 1);
    cr_assert_eq(fr.psdu[2], 0xb0);
    cr_assert_not(fr.outbound);
    cr_assert_eq(fr.t_ns, 2 * S);
    cr_assert_eq(ek_radio_now(r), 2 * S);
    ek_radio_sleep_until(r, 29 * S / 10);
    cr_assert_eq(ek_radio_recv(r, &fr, 29 * S / 10), 0);
    cr_assert_eq(ek_radio_recv(r, &fr, 10 * S), 1);
    cr_assert_eq(fr.psdu[2], 0xc0);
    cr_assert_eq(ek_radio_now(r), 3 * S);
    cr_assert_eq(ek_radio_recv(r, &fr, 10 * S), 1);
    cr_assert_not(fr.fcs_ok, "bad FCS delivered and flagged");
    cr_assert_eq(ek_radio_recv(r, &fr, 10 * S), -1);
    cr_assert(ek_radio_eof(r));
    ek_radio_close(r);
    unlink(path);
}

/* Classic pcap through ek_cap_writer. */
static void write_pcap(const char *path, int lt, const ek_view *recs, size_t n)
{
    ek_cap_writer *w;
    char eb[256];
    cr_assert_eq(ek_cap_writer_open(path, lt, &w, eb, sizeof eb), EK_CAP_IO_OK, "%s", eb);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(ek_cap_write(w, 1 + i, 0, recs[i]), EK_CAP_IO_OK);
    cr_assert_eq(ek_cap_writer_close(w), EK_CAP_IO_OK);
}

static size_t encap(int lt, const uint8_t *m, size_t n, uint8_t chan, uint16_t port, uint8_t *out, size_t cap)
{
    ek_cap_encap_opts o;
    ek_cap_encap_opts_default(&o);
    o.channel = chan;
    if (port)
        o.udp_sport = o.udp_dport = port;
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, out, cap);
    cr_assert_eq(ek_cap_encap(lt, ek_view_make(m, n), true, &o, &b, &e), EK_OK);
    return b.len;
}

Test(radio, file_nofcs_synthesizes_and_zep_carrier_filters_channel)
{
    char path[] = "/tmp/ek-radio-test-XXXXXX";
    close(mkstemp(path));
    ek_view v[1] = { ek_view_make(DATA_MPDU, sizeof DATA_MPDU) };
    write_pcap(path, 230, v, 1);
    char uri[64];
    snprintf(uri, sizeof uri, "file:%s", path);
    ek_radio *r = open_ok(uri, NULL);
    ek_radio_frame f;
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), 1);
    cr_assert(f.fcs_synthesized);
    cr_assert(f.fcs_ok);
    cr_assert_eq(f.len, sizeof DATA_MPDU + 2);
    cr_assert_eq(f.channel, 0, "link type 230 does not say");
    ek_radio_close(r);
    /* ZEP over IPv6 in Ethernet: channel 11 dropped, 26 kept. */
    uint8_t r1[200], r2[200];
    size_t n1 = encap(EK_LT_EN10MB, DATA_MPDU, sizeof DATA_MPDU, 11, 0, r1, sizeof r1);
    size_t n2 = encap(EK_LT_EN10MB, DATA_MPDU, sizeof DATA_MPDU, 26, 0, r2, sizeof r2);
    ek_view v2[2] = { ek_view_make(r1, n1), ek_view_make(r2, n2) };
    write_pcap(path, EK_LT_EN10MB, v2, 2);
    r = open_ok(uri, NULL);
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), 1);
    cr_assert_eq(f.channel, 26);
    cr_assert(f.fcs_ok);
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), -1);
    ek_radio_stats st;
    ek_radio_get_stats(r, &st);
    cr_assert_eq(st.dropped, 1);
    ek_radio_close(r);
    unlink(path);
}

/* ---- pcap: dead and offline handles ---- */

typedef struct inj { uint8_t rec[512]; size_t len; int calls; } inj;

static int inj_fn(void *ctx, const uint8_t *rec, size_t len)
{
    inj *i = ctx;
    memcpy(i->rec, rec, len);
    i->len = len;
    i->calls++;
    return 0;
}

static ek_radio *wrap_dead(int dlt, const char *spec, inj *i)
{
    pcap_t *p = pcap_open_dead(dlt, 65535);
    cr_assert_not_null(p);
    ek_radio *r = NULL;
    char eb[EK_RADIO_ERRLEN];
    cr_assert_eq(ek_radio_pcap_wrap(p, spec, NULL, &r, eb, sizeof eb), 0, "%s", eb);
    if (i)
        ek_radio_pcap_set_inject(r, inj_fn, i);
    return r;
}

Test(radio, pcap_inject_records_per_link_type)
{
    inj i = { 0 };
    uint8_t want[20];
    with_fcs(want, DATA_MPDU, sizeof DATA_MPDU);
    /* 195: MPDU + FCS.  tshark: "IEEE 802.15.4 Data ... FCS: 0x.... (Correct)" */
    ek_radio *r = wrap_dead(195, "pcap:dead?dlt=195", &i);
    cr_assert_eq(ek_radio_send(r, DATA_MPDU, sizeof DATA_MPDU, NULL), 0, "%s", ek_radio_errmsg(r));
    cr_assert_eq(i.len, sizeof DATA_MPDU + 2);
    cr_assert_arr_eq(i.rec, want, i.len);
    ek_radio_close(r);
    /* 230: MPDU only; the transceiver appends the FCS. */
    r = wrap_dead(230, "pcap:dead", &i);
    cr_assert_eq(ek_radio_send(r, DATA_MPDU, sizeof DATA_MPDU, NULL), 0);
    cr_assert_eq(i.len, sizeof DATA_MPDU);
    cr_assert_arr_eq(i.rec, DATA_MPDU, i.len);
    ek_radio_close(r);
    /* 283: TAP header with FCS type CRC-16, MPDU, FCS. */
    r = wrap_dead(283, "pcap:dead?dlt=283", &i);
    cr_assert_eq(ek_radio_send(r, DATA_MPDU, sizeof DATA_MPDU, NULL), 0);
    ek_cap_frame cf;
    ek_err e;
    cr_assert_eq(ek_cap_decap(283, ek_view_make(i.rec, i.len), &cf, &e), EK_OK);
    cr_assert(cf.fcs_present && cf.fcs_checked && cf.fcs_ok);
    cr_assert_eq(cf.mpdu.len, sizeof DATA_MPDU);
    cr_assert_arr_eq(cf.mpdu.p, DATA_MPDU, sizeof DATA_MPDU);
    ek_radio_close(r);
    /* Linux cooked: capture only. */
    r = wrap_dead(EK_LT_LINUX_SLL, "pcap:any", &i);
    cr_assert_eq(ek_radio_send(r, DATA_MPDU, sizeof DATA_MPDU, NULL), -1);
    cr_assert(strstr(ek_radio_errmsg(r), "cooked") != NULL);
    ek_radio_close(r);
    /* Without the hook a dead handle cannot inject: an error, no crash. */
    r = wrap_dead(195, "pcap:dead", NULL);
    cr_assert_eq(ek_radio_send(r, DATA_MPDU, sizeof DATA_MPDU, NULL), -1);
    cr_assert(strstr(ek_radio_errmsg(r), "inject") != NULL, "%s", ek_radio_errmsg(r));
    ek_radio_close(r);
    cr_assert_eq(i.calls, 3);
}

Test(radio, pcap_wrap_rejects_wrong_link_types)
{
    char eb[EK_RADIO_ERRLEN];
    ek_radio *r;
    cr_assert_eq(ek_radio_pcap_wrap(pcap_open_dead(1, 65535), "pcap:eth0", NULL, &r, eb, sizeof eb), -1);
    cr_assert(strstr(eb, "pcap-zep:eth0") != NULL, "%s", eb);
    cr_assert_eq(ek_radio_pcap_wrap(pcap_open_dead(195, 65535), "pcap:x?dlt=230", NULL, &r, eb, sizeof eb), -1);
    cr_assert(strstr(eb, "dlt=230") != NULL, "%s", eb);
    cr_assert_eq(ek_radio_pcap_wrap(pcap_open_dead(195, 65535), "pcap-zep:x", NULL, &r, eb, sizeof eb), -1);
    cr_assert(strstr(eb, "UDP") != NULL, "%s", eb);
    cr_assert_eq(ek_radio_pcap_wrap(pcap_open_dead(195, 65535), "nope:x", NULL, &r, eb, sizeof eb), -1);
    /* pcap-zep is passive. */
    r = wrap_dead(EK_LT_EN10MB, "pcap-zep:lo", NULL);
    cr_assert_eq(ek_radio_send(r, DATA_MPDU, sizeof DATA_MPDU, NULL), -1);
    cr_assert(strstr(ek_radio_errmsg(r), "passive") != NULL);
    cr_assert(strstr(ek_radio_describe(r), "udp port 17754") != NULL, "%s", ek_radio_describe(r));
    ek_radio_close(r);
}

/* Offline handle on a pcap file -> the same receive path as a live capture. */
static ek_radio *wrap_file(const char *path, const char *spec)
{
    char pe[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(path, pe);
    cr_assert_not_null(p, "%s", pe);
    ek_radio *r = NULL;
    char eb[EK_RADIO_ERRLEN];
    cr_assert_eq(ek_radio_pcap_wrap(p, spec, NULL, &r, eb, sizeof eb), 0, "%s", eb);
    return r;
}

Test(radio, pcap_capture_fcs_handling_per_link_type)
{
    char path[] = "/tmp/ek-radio-test-XXXXXX";
    close(mkstemp(path));
    uint8_t good[20], bad[20];
    with_fcs(good, DATA_MPDU, sizeof DATA_MPDU);
    memcpy(bad, good, sizeof DATA_MPDU + 2);
    bad[sizeof DATA_MPDU] ^= 0xff;
    ek_radio_frame f;
    /* 195: FCS from the medium, checked. */
    ek_view v195[3] = { ek_view_make(good, sizeof DATA_MPDU + 2), ek_view_make(bad, sizeof DATA_MPDU + 2),
                        ek_view_make(good, 2) };
    write_pcap(path, 195, v195, 3);
    ek_radio *r = wrap_file(path, "pcap:test");
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), 1);
    cr_assert(f.fcs_ok && !f.fcs_synthesized);
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), 1);
    cr_assert(!f.fcs_ok && !f.fcs_synthesized);
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), -1, "2-octet record dropped, then EOF");
    cr_assert(ek_radio_eof(r));
    ek_radio_stats st;
    ek_radio_get_stats(r, &st);
    cr_assert_eq(st.dropped, 1);
    cr_assert_eq(st.received, 2);
    ek_radio_close(r);
    /* 230: no FCS -> synthesized; fcs=auto finds a trailing FCS some drivers leave. */
    ek_view v230[2] = { ek_view_make(DATA_MPDU, sizeof DATA_MPDU), ek_view_make(good, sizeof DATA_MPDU + 2) };
    write_pcap(path, 230, v230, 2);
    r = wrap_file(path, "pcap:test");
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), 1);
    cr_assert(f.fcs_synthesized);
    cr_assert_eq(f.len, sizeof DATA_MPDU + 2);
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), 1);
    cr_assert_eq(f.len, sizeof DATA_MPDU + 4, "default: the 2 octets are MPDU");
    ek_radio_close(r);
    r = wrap_file(path, "pcap:test?fcs=auto");
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), 1);
    cr_assert(f.fcs_synthesized);
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), 1);
    cr_assert_eq(f.len, sizeof DATA_MPDU + 2);
    cr_assert(f.fcs_ok && !f.fcs_synthesized);
    ek_radio_close(r);
    /* 283 with the TAP FCS TLV and a channel TLV (from ek_cap_encap: channel 26). */
    uint8_t t[200];
    size_t tn = encap(283, DATA_MPDU, sizeof DATA_MPDU, 26, 0, t, sizeof t);
    ek_view v283[1] = { ek_view_make(t, tn) };
    write_pcap(path, 283, v283, 1);
    r = wrap_file(path, "pcap:test?dlt=283");
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), 1);
    cr_assert(f.fcs_ok && !f.fcs_synthesized);
    cr_assert_arr_eq(f.psdu, good, sizeof DATA_MPDU + 2);
    ek_radio_close(r);
    unlink(path);
}

Test(radio, pcap_linux_cooked_monitor_frames)
{
    char path[] = "/tmp/ek-radio-test-XXXXXX";
    close(mkstemp(path));
    uint8_t good[20];
    with_fcs(good, DATA_MPDU, sizeof DATA_MPDU);
    /* SLL v1: pkttype 0, ARPHRD_IEEE802154_MONITOR (805), halen 0, addr, ETH_P_IEEE802154. */
    uint8_t sll[16 + 20] = { 0, 0, 0x03, 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0xf6 };
    memcpy(sll + 16, good, sizeof DATA_MPDU + 2);
    /* SLL v2: protocol first. */
    uint8_t sll2[20 + 20] = { 0x00, 0xf6, 0, 0, 0, 0, 0, 3, 0x03, 0x25, 0, 0 };
    memcpy(sll2 + 20, good, sizeof DATA_MPDU + 2);
    /* ...and an unrelated cooked IPv4 packet: ignored. */
    uint8_t other[16 + 20] = { 0, 0, 0x03, 0x04, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x06 };
    ek_view v[2] = { ek_view_make(sll, 16 + sizeof DATA_MPDU + 2), ek_view_make(other, sizeof other) };
    write_pcap(path, EK_LT_LINUX_SLL, v, 2);
    ek_radio *r = wrap_file(path, "pcap:any");
    ek_radio_frame f;
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), 1);
    cr_assert(f.fcs_ok && !f.fcs_synthesized);
    cr_assert_arr_eq(f.psdu, good, sizeof DATA_MPDU + 2);
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), -1);
    ek_radio_stats st;
    ek_radio_get_stats(r, &st);
    cr_assert_eq(st.ignored + st.dropped, 1);
    ek_radio_close(r);
    ek_view v2[1] = { ek_view_make(sll2, 20 + sizeof DATA_MPDU + 2) };
    write_pcap(path, EK_LT_LINUX_SLL2, v2, 1);
    r = wrap_file(path, "pcap:any?fcs=absent");
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), 1);
    cr_assert(f.fcs_synthesized, "fcs=absent: the last 2 octets are MPDU");
    cr_assert_eq(f.len, sizeof DATA_MPDU + 4);
    ek_radio_close(r);
    unlink(path);
}

Test(radio, pcap_zep_offline_port_filter_and_custom_port)
{
    char path[] = "/tmp/ek-radio-test-XXXXXX";
    close(mkstemp(path));
    uint8_t a[200], b[200], c[200];
    size_t na = encap(EK_LT_EN10MB, DATA_MPDU, sizeof DATA_MPDU, 26, 0, a, sizeof a);
    size_t nb = encap(EK_LT_EN10MB, DATA_MPDU, sizeof DATA_MPDU, 26, 0, b, sizeof b);
    size_t nc = encap(EK_LT_EN10MB, DATA_MPDU, sizeof DATA_MPDU, 12, 0, c, sizeof c);
    /* Rewrite b's UDP ports to 9999 (Ethernet 14 + IPv6 40). */
    cr_assert_eq(b[14] >> 4, 6);
    b[54] = 9999 >> 8; b[55] = 9999 & 0xff; b[56] = 9999 >> 8; b[57] = 9999 & 0xff;
    ek_view v[3] = { ek_view_make(a, na), ek_view_make(b, nb), ek_view_make(c, nc) };
    write_pcap(path, EK_LT_EN10MB, v, 3);
    ek_radio *r = wrap_file(path, "pcap-zep:lo");
    ek_radio_frame f;
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), 1);
    cr_assert_eq(f.channel, 26);
    cr_assert(f.fcs_ok);
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), -1, "port 9999 filtered, channel 12 dropped");
    ek_radio_close(r);
    r = wrap_file(path, "pcap-zep:lo?port=9999");
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), 1);
    cr_assert_arr_eq(f.psdu, DATA_MPDU, sizeof DATA_MPDU);
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), -1);
    ek_radio_close(r);
    unlink(path);
}

/* Live sniffing on lo needs CAP_NET_RAW: skipped (with the reason) otherwise. */
Test(radio, pcap_zep_live_on_lo_when_permitted)
{
    uint16_t ps;
    int s = udp_sock(AF_INET, &ps);
    char uri[64];
    snprintf(uri, sizeof uri, "pcap-zep:lo?port=%u", (unsigned)ps);
    ek_radio *sn = NULL;
    char eb[EK_RADIO_ERRLEN];
    if (ek_radio_open(uri, NULL, &sn, eb, sizeof eb) != 0) {
        close(s);
        cr_skip_test("live capture on lo not permitted here (%s); pcap-zep is covered offline", eb);
    }
    snprintf(uri, sizeof uri, "zep://127.0.0.1:%u", (unsigned)ps);
    ek_radio *tx = open_ok(uri, NULL);
    ek_radio_frame f;
    int got = 0;
    for (int i = 0; i < 5 && !got; i++) {
        cr_assert_eq(ek_radio_send(tx, DATA_MPDU, sizeof DATA_MPDU, NULL), 0);
        got = ek_radio_recv(sn, &f, ek_radio_now(sn) + 500 * MS) == 1;
    }
    cr_assert(got, "ZEP datagram sniffed on lo: %s", ek_radio_errmsg(sn));
    cr_assert_arr_eq(f.psdu, DATA_MPDU, sizeof DATA_MPDU);
    cr_assert(f.fcs_ok);
    cr_assert_eq(f.channel, 26);
    ek_radio_close(tx);
    ek_radio_close(sn);
    close(s);
}

/* ---- pacing on a live radio ---- */

Test(radio, zep_pacing_spaces_sends_by_air_time_with_bounded_error)
{
    uint16_t ps;
    int s = udp_sock(AF_INET, &ps);
    char uri[64];
    snprintf(uri, sizeof uri, "zep://127.0.0.1:%u", (unsigned)ps);
    ek_radio_opts o;
    ek_radio_opts_default(&o);
    o.pace = true;
    uint8_t m[100];
    mk_mpdu(m, sizeof m, 9);
    const uint64_t air = ek_airtime_ns(sizeof m + 2);
    int64_t best_mean = INT64_MAX;
    int whole = 0;
    /* Best of 5 bursts: a loaded CI box may preempt one burst, and a sender held off for
     * longer than one air time finds its slot already past (no wait, rightly).  So each
     * burst must keep the spacing invariant (exact), and at least one must have waited
     * before every send after the first; the bound is loose on purpose (mean < the
     * frame's own air time) and bench/radio_rate measures the real figures. */
    for (int burst = 0; burst < 5 && best_mean >= (int64_t)air / 4; burst++) {
        ek_radio *r = open_ok(uri, &o);
        uint64_t prev = 0;
        for (int i = 0; i < 40; i++) {
            uint64_t t;
            cr_assert_eq(ek_radio_send(r, m, sizeof m, &t), 0);
            if (i)
                cr_assert_geq(t - prev, air, "never earlier than the previous frame's air time");
            prev = t;
        }
        ek_radio_stats st;
        ek_radio_get_stats(r, &st);
        ek_radio_close(r);
        cr_assert_leq(st.paced + 1, st.sent);
        if (st.paced + 1 != st.sent)
            continue;
        whole++;
        cr_assert_leq(st.pacing_err_sum_ns / (int64_t)st.paced, st.pacing_err_max_ns);
        int64_t mean = st.pacing_err_sum_ns / (int64_t)st.paced;
        if (mean < best_mean)
            best_mean = mean;
    }
    cr_assert_gt(whole, 0, "every send after the first waited for its slot, in one burst of 5");
    cr_assert_lt(best_mean, (int64_t)air, "mean pacing error %lld ns", (long long)best_mean);
    close(s);
}

/* ---- record -> frame: prefix sweep and random damage on every link type ---- */

#include "radio_int.h"

Test(radio, record_prefix_sweep_and_random_damage_never_crash)
{
    uint8_t recs[6][200];
    size_t lens[6];
    int lts[6] = { 195, 230, 283, EK_LT_EN10MB, EK_LT_LINUX_SLL2, EK_LT_LINUX_SLL };
    for (int i = 0; i < 4; i++)
        lens[i] = encap(lts[i], DATA_MPDU, sizeof DATA_MPDU, 26, 0, recs[i], sizeof recs[i]);
    lens[4] = encap(EK_LT_LINUX_SLL2, DATA_MPDU, sizeof DATA_MPDU, 26, 0, recs[4], sizeof recs[4]);
    uint8_t sll[16] = { 0, 0, 0x03, 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0xf6 };
    memcpy(recs[5], sll, 16);
    with_fcs(recs[5] + 16, DATA_MPDU, sizeof DATA_MPDU);
    lens[5] = 16 + sizeof DATA_MPDU + 2;
    uint32_t seed = 0xdecafbadu;
    for (int i = 0; i < 6; i++) {
        ek_radio_frame f;
        cr_assert_eq(ek__radio_frame_from_record(lts[i], recs[i], lens[i], EK_RADIO_FCS_LINKTYPE, false, 0, &f), 1,
                     "link type %d", lts[i]);
        cr_assert_arr_eq(f.psdu, DATA_MPDU, sizeof DATA_MPDU);
        cr_assert(f.fcs_ok);
        for (size_t n = 0; n < lens[i]; n++) {
            /* Exact-size copies so ASan sees any over-read. */
            uint8_t *cut = malloc(n ? n : 1);
            memcpy(cut, recs[i], n);
            int rc = ek__radio_frame_from_record(lts[i], cut, n, EK_RADIO_FCS_AUTO, false, 0, &f);
            cr_assert(rc >= -1 && rc <= 1);
            if (rc == 1)
                cr_assert(f.len >= 3 && f.len <= EK_RADIO_PSDU_MAX);
            free(cut);
        }
        for (int k = 0; k < 1000; k++) {
            uint8_t d[200];
            memcpy(d, recs[i], lens[i]);
            for (int j = 0; j < 3; j++)
                d[ek_test_xorshift32(&seed) % lens[i]] = (uint8_t)ek_test_xorshift32(&seed);
            int rc = ek__radio_frame_from_record(lts[i], d, lens[i], EK_RADIO_FCS_LINKTYPE, k & 1, 17754, &f);
            cr_assert(rc >= -1 && rc <= 1);
            if (rc == 1)
                cr_assert(f.len >= 3 && f.len <= EK_RADIO_PSDU_MAX);
        }
    }
}

/* The harness's own run capture (ek/pcapng.h: comments + epb_flags) read back. */
#include "ek/pcapng.h"

Test(radio, file_reads_the_harness_pcapng_direction_with_comments)
{
    char path[] = "/tmp/ek-radio-test-XXXXXX";
    close(mkstemp(path));
    ek_pcapng *w;
    char eb[256];
    ek_pcapng_opts po;
    ek_pcapng_opts_default(&po);
    po.shb_comment = "radio test";
    cr_assert_eq(ek_pcapng_open(path, &po, &w, eb, sizeof eb), EK_CAP_IO_OK, "%s", eb);
    uint8_t a[20];
    with_fcs(a, DATA_MPDU, sizeof DATA_MPDU);
    cr_assert_eq(ek_pcapng_write(w, 5000000000ull, a, 13, EK_PCAPNG_DIR_OUT, "TP-EP-01 step 1: inject"),
                 EK_CAP_IO_OK);
    cr_assert_eq(ek_pcapng_write(w, 5000000100ull, a, 13, EK_PCAPNG_DIR_IN, "seen"), EK_CAP_IO_OK);
    cr_assert_eq(ek_pcapng_write(w, 5000000200ull, a, 13, EK_PCAPNG_DIR_UNKNOWN, NULL), EK_CAP_IO_OK);
    cr_assert_eq(ek_pcapng_close(w), EK_CAP_IO_OK);
    char uri[64];
    snprintf(uri, sizeof uri, "file:%s", path);
    ek_radio *r = open_ok(uri, NULL);
    ek_radio_frame f;
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), 1);
    cr_assert(f.outbound);
    cr_assert_eq(f.t_ns, 5000000000ull, "nanosecond timestamps kept");
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), 1);
    cr_assert_not(f.outbound);
    cr_assert_eq(f.t_ns, 5000000100ull);
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), 1);
    cr_assert_not(f.outbound);
    cr_assert_eq(ek_radio_recv(r, &f, UINT64_MAX), -1);
    ek_radio_close(r);
    unlink(path);
}
