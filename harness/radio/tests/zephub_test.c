/* SPDX-License-Identifier: BSD-3-Clause */
/* ZEP hub tests over real UDP sockets on loopback (127.0.0.1 and ::1): clients are
 * zep-dispatch:// radios (RIOT socket_zep's HELLO) and raw sockets; relaying in a full
 * mesh and along topology links, the owner's injected frames, HELLO and first-datagram
 * registration, the owner naming a client, Acks ignored, and hostile datagrams counted
 * as malformed and never relayed.  Every socket binds port 0: parallel runs never collide. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ek/fcs.h"
#include "ek/radio.h"
#include "ek/zep.h"
#include "ek/zephub.h"
#include "ek_test_rng.h"

#define MS 1000000ull

static const uint8_t EUI_A[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x01, 0x0a };
static const uint8_t EUI_B[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x01, 0x0b };
static const uint8_t EUI_C[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x01, 0x0c };
static const uint8_t EUI_ROOT[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x0a };

/* IEEE 802.15.4-2006 data frame (IEEE 802.15.4-2015 §7.2.2): FCF 0xd841 = data | PAN
 * ID compression | short destination | version 2006 | extended source, on air 41 d8;
 * seq; PAN ce fa (0xface); destination ff ff; source in reversed (on-air) order.
 * tshark: "Data, Dst: Broadcast, Src: 02:00:5e:ef:00:00:01:0a". */
static size_t mk_frame(uint8_t *b, const uint8_t src[8], uint8_t tag)
{
    size_t n = 0;
    b[n++] = 0x41;
    b[n++] = 0xd8;
    b[n++] = tag;
    b[n++] = 0xce;
    b[n++] = 0xfa;
    b[n++] = 0xff;
    b[n++] = 0xff;
    for (int i = 7; i >= 0; i--)
        b[n++] = src[i];
    b[n++] = 'E';
    b[n++] = 'K';
    b[n++] = tag;
    return n;
}

static ek_zephub *open_hub(const char *host)
{
    ek_zephub_opts o;
    ek_zephub_opts_default(&o);
    o.host = host;
    ek_zephub *h = NULL;
    char err[256];
    cr_assert_eq(ek_zephub_open(&o, &h, err, sizeof err), 0, "%s", err);
    return h;
}

static ek_radio *open_client(const ek_zephub *h, const uint8_t eui[8])
{
    ek_radio_opts ro;
    ek_radio_opts_default(&ro);
    ro.channel = 26;
    memcpy(ro.hello_eui64, eui, 8);
    ek_radio *r = NULL;
    char err[EK_RADIO_ERRLEN];
    cr_assert_eq(ek_radio_open(ek_zephub_uri(h), &ro, &r, err, sizeof err), 0, "%s", err);
    return r;
}

/* Polls until a client event (the HELLO) arrives; its index. */
static size_t expect_client(ek_zephub *h)
{
    ek_zephub_event ev;
    int rc = ek_zephub_poll(h, &ev, ek_mono_ns() + 500 * MS);
    cr_assert_eq(rc, 1, "no registration");
    cr_assert_eq(ev.kind, EK_ZEPHUB_EV_CLIENT);
    return ev.client;
}

static void expect_frame(ek_zephub *h, ek_zephub_event *ev)
{
    int rc = ek_zephub_poll(h, ev, ek_mono_ns() + 500 * MS);
    cr_assert_eq(rc, 1, "no frame");
    cr_assert_eq(ev->kind, EK_ZEPHUB_EV_FRAME);
}

static bool got(ek_radio *r, uint8_t tag, unsigned wait_ms)
{
    ek_radio_frame f;
    int rc = ek_radio_recv(r, &f, ek_mono_ns() + wait_ms * MS);
    if (rc != 1)
        return false;
    cr_assert(f.fcs_ok);
    cr_assert(f.len >= 3 + 2);
    cr_assert_eq(f.psdu[2], tag, "frame tag %u, expected %u", f.psdu[2], tag);
    return true;
}

static void mesh(const char *host)
{
    ek_zephub *h = open_hub(host);
    ek_radio *a = open_client(h, EUI_A), *b = open_client(h, EUI_B), *c = open_client(h, EUI_C);
    size_t ia = expect_client(h), ib = expect_client(h), ic = expect_client(h);
    cr_assert_eq(ek_zephub_client_count(h), 3);
    const ek_zephub_client *ca = ek_zephub_client_at(h, ia);
    cr_assert(ca->has_eui64);
    cr_assert_eq(ca->how, EK_ZEPHUB_EUI_HELLO);
    cr_assert_arr_eq(ca->eui64, EUI_A, 8);
    cr_assert_arr_eq(ek_zephub_client_at(h, ib)->eui64, EUI_B, 8);
    cr_assert_arr_eq(ek_zephub_client_at(h, ic)->eui64, EUI_C, 8);

    uint8_t m[64];
    size_t n = mk_frame(m, EUI_A, 0x31);
    cr_assert_eq(ek_radio_send(a, m, n, NULL), 0);
    ek_zephub_event ev;
    expect_frame(h, &ev);
    cr_assert_eq(ev.client, ia);
    cr_assert(ev.has_from);
    cr_assert_arr_eq(ev.from, EUI_A, 8);
    cr_assert_eq(ev.relayed, 2);
    cr_assert(ev.fcs_ok);
    cr_assert_eq(ev.len, n + 2);
    cr_assert_arr_eq(ev.psdu, m, n);
    cr_assert_eq(ev.channel, 26);
    cr_assert(got(b, 0x31, 500));
    cr_assert(got(c, 0x31, 500));
    cr_assert(!got(a, 0x31, 50), "the sender must not hear its own frame");

    /* the owner as a participant: everyone hears it in a full mesh */
    n = mk_frame(m, EUI_ROOT, 0x32);
    cr_assert_eq(ek_zephub_inject(h, EUI_ROOT, m, n, &ev), 3);
    cr_assert_eq(ev.client, EK_ZEPHUB_OWNER);
    cr_assert_arr_eq(ev.from, EUI_ROOT, 8);
    cr_assert_eq(ev.len, n + 2);
    cr_assert(ek_fcs16_check(ek_view_make(ev.psdu, ev.len)));
    cr_assert(got(a, 0x32, 500));
    cr_assert(got(b, 0x32, 500));
    cr_assert(got(c, 0x32, 500));

    ek_zephub_stats st;
    ek_zephub_get_stats(h, &st);
    cr_assert_eq(st.hellos, 3);
    cr_assert_eq(st.frames, 1);
    cr_assert_eq(st.relayed, 5);
    cr_assert_eq(st.injected, 1);
    cr_assert_eq(st.malformed, 0);
    cr_assert_eq(st.blocked, 0);
    ek_radio_close(a);
    ek_radio_close(b);
    ek_radio_close(c);
    ek_zephub_close(h);
}

Test(zephub, full_mesh_relays_to_every_other_client_ipv4) { mesh("127.0.0.1"); }
Test(zephub, full_mesh_relays_to_every_other_client_ipv6) { mesh("::1"); }

Test(zephub, uri_names_the_bound_port)
{
    ek_zephub *h = open_hub(NULL);
    char want[64];
    snprintf(want, sizeof want, "zep-dispatch://127.0.0.1:%u", (unsigned)ek_zephub_port(h));
    cr_assert_str_eq(ek_zephub_uri(h), want);
    cr_assert_neq(ek_zephub_port(h), 0);
    cr_assert(ek_zephub_fd(h) >= 0);
    ek_zephub_close(h);
    h = open_hub("::1");
    snprintf(want, sizeof want, "zep-dispatch://[::1]:%u", (unsigned)ek_zephub_port(h));
    cr_assert_str_eq(ek_zephub_uri(h), want);
    ek_zephub_close(h);
}

Test(zephub, refuses_addresses_that_leave_the_machine)
{
    ek_zephub_opts o;
    ek_zephub_opts_default(&o);
    ek_zephub *h = NULL;
    char err[256];
    o.host = "0.0.0.0";
    cr_assert_eq(ek_zephub_open(&o, &h, err, sizeof err), -1);
    cr_assert(strstr(err, "loopback"), "%s", err);
    o.host = "::";
    cr_assert_eq(ek_zephub_open(&o, &h, err, sizeof err), -1);
    o.host = "localhost";
    cr_assert_eq(ek_zephub_open(&o, &h, err, sizeof err), -1);
    o.host = "127.0.0.1";
    o.channel = 27;
    cr_assert_eq(ek_zephub_open(&o, &h, err, sizeof err), -1);
    cr_assert(strstr(err, "channel"), "%s", err);
    cr_assert_null(h);
}

/* Line root - A - B - C: each hears only its neighbours; the owner's root reaches A only. */
Test(zephub, topology_relays_only_along_links)
{
    ek_zephub *h = open_hub(NULL);
    cr_assert_eq(ek_zephub_link(h, EUI_ROOT, EUI_A), 0);
    cr_assert_eq(ek_zephub_link(h, EUI_A, EUI_B), 0);
    cr_assert_eq(ek_zephub_link(h, EUI_C, EUI_B), 0);
    cr_assert_eq(ek_zephub_link(h, EUI_B, EUI_A), 0); /* again, other order: no new link */
    cr_assert(ek_zephub_restricted(h));
    cr_assert(ek_zephub_linked(h, EUI_B, EUI_C));
    cr_assert(!ek_zephub_linked(h, EUI_A, EUI_C));
    ek_radio *a = open_client(h, EUI_A), *b = open_client(h, EUI_B), *c = open_client(h, EUI_C);
    size_t ib = (expect_client(h), expect_client(h));
    expect_client(h);

    uint8_t m[64];
    ek_zephub_event ev;
    size_t n = mk_frame(m, EUI_ROOT, 0x41);
    cr_assert_eq(ek_zephub_inject(h, EUI_ROOT, m, n, &ev), 1);
    cr_assert(got(a, 0x41, 500));
    cr_assert(!got(b, 0x41, 50));
    cr_assert(!got(c, 0x41, 50));

    n = mk_frame(m, EUI_B, 0x42);
    cr_assert_eq(ek_radio_send(b, m, n, NULL), 0);
    expect_frame(h, &ev);
    cr_assert_eq(ev.client, ib);
    cr_assert_eq(ev.relayed, 2);
    cr_assert(got(a, 0x42, 500));
    cr_assert(got(c, 0x42, 500));

    n = mk_frame(m, EUI_C, 0x43);
    cr_assert_eq(ek_radio_send(c, m, n, NULL), 0);
    expect_frame(h, &ev);
    cr_assert_eq(ev.relayed, 1, "the sniffer hears C, only B does on the air");
    cr_assert(got(b, 0x43, 500));
    cr_assert(!got(a, 0x43, 50));

    ek_zephub_stats st;
    ek_zephub_get_stats(h, &st);
    cr_assert_eq(st.blocked, 2 + 0 + 1);
    ek_radio_close(a);
    ek_radio_close(b);
    ek_radio_close(c);
    ek_zephub_close(h);
}

/* RIOT-less nodes may send their HELLO with a default EUI-64 (every enroll-refdut the
 * same one): the owner, which started them one by one, names each. */
Test(zephub, owner_names_a_client_and_the_topology_follows)
{
    ek_zephub *h = open_hub(NULL);
    cr_assert_eq(ek_zephub_link(h, EUI_ROOT, EUI_B), 0);
    ek_radio *a = open_client(h, EUI_ROOT); /* a default HELLO EUI-64 */
    size_t ia = expect_client(h);
    cr_assert_arr_eq(ek_zephub_client_at(h, ia)->eui64, EUI_ROOT, 8);
    cr_assert_eq(ek_zephub_client_set_eui64(h, ia, EUI_A), 0);
    cr_assert_eq(ek_zephub_client_set_eui64(h, 5, EUI_A), -1);
    cr_assert_eq(ek_zephub_client_at(h, ia)->how, EK_ZEPHUB_EUI_OWNER);
    uint8_t m[64];
    size_t n = mk_frame(m, EUI_ROOT, 0x51);
    cr_assert_eq(ek_zephub_inject(h, EUI_ROOT, m, n, NULL), 0, "A is not linked to the root");
    cr_assert(!got(a, 0x51, 50));
    cr_assert_eq(ek_zephub_client_set_eui64(h, ia, EUI_B), 0);
    cr_assert_eq(ek_zephub_inject(h, EUI_ROOT, m, n, NULL), 1);
    cr_assert(got(a, 0x51, 500));
    /* a frame with another MAC source never renames an owner-named client */
    n = mk_frame(m, EUI_C, 0x52);
    cr_assert_eq(ek_radio_send(a, m, n, NULL), 0);
    ek_zephub_event ev;
    expect_frame(h, &ev);
    cr_assert_arr_eq(ev.from, EUI_C, 8);
    cr_assert_arr_eq(ek_zephub_client_at(h, ia)->eui64, EUI_B, 8);
    ek_radio_close(a);
    ek_zephub_close(h);
}

/* ---- raw sockets: registration by the first datagram, hostile input ---- */

static int raw_sock(int *port_out)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    cr_assert(fd >= 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t sl = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &sl);
    if (port_out)
        *port_out = ntohs(a.sin_port);
    return fd;
}

static void raw_send(int fd, const ek_zephub *h, const void *b, size_t n)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(ek_zephub_port(h));
    cr_assert_eq(sendto(fd, b, n, 0, (struct sockaddr *)&a, sizeof a), (ssize_t)n);
}

static bool raw_got(int fd, unsigned wait_ms)
{
    struct pollfd p = { fd, POLLIN, 0 };
    if (poll(&p, 1, (int)wait_ms) != 1)
        return false;
    uint8_t b[512];
    return recv(fd, b, sizeof b, 0) > 0;
}

/* A ZEP v2 Data datagram (Wireshark packet-zep.c) around an MPDU, FCS added; mode 1 = CRC. */
static size_t zep_dgram(uint8_t *out, size_t cap, const uint8_t *mpdu, size_t n, uint8_t mode)
{
    uint8_t psdu[EK_RADIO_PSDU_MAX];
    memcpy(psdu, mpdu, n);
    uint16_t fcs = ek_fcs16(ek_view_make(mpdu, n));
    psdu[n] = (uint8_t)fcs;
    psdu[n + 1] = (uint8_t)(fcs >> 8);
    ek_zep z;
    ek_zep_init_data(&z, 26, ek_view_make(psdu, n + 2));
    z.mode = mode;
    z.seq = 9;
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, out, cap);
    cr_assert_eq(ek_zep_encode(&z, &b, &e), EK_OK);
    return b.len;
}

Test(zephub, first_datagram_registers_a_client_without_hello)
{
    ek_zephub *h = open_hub(NULL);
    int port;
    int x = raw_sock(&port);
    ek_radio *b = open_client(h, EUI_B);
    size_t ib = expect_client(h);
    uint8_t m[64], d[256];
    size_t n = mk_frame(m, EUI_A, 0x61);
    raw_send(x, h, d, zep_dgram(d, sizeof d, m, n, EK_ZEP_MODE_CRC));
    ek_zephub_event ev;
    cr_assert_eq(ek_zephub_poll(h, &ev, ek_mono_ns() + 500 * MS), 1);
    cr_assert_eq(ev.kind, EK_ZEPHUB_EV_CLIENT, "the registration comes first");
    size_t ix = ev.client;
    cr_assert_neq(ix, ib);
    const ek_zephub_client *cx = ek_zephub_client_at(h, ix);
    cr_assert_eq(cx->how, EK_ZEPHUB_EUI_FRAME);
    cr_assert_arr_eq(cx->eui64, EUI_A, 8);
    char addr[64];
    snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
    cr_assert_str_eq(cx->addr, addr);
    expect_frame(h, &ev);
    cr_assert_eq(ev.client, ix);
    cr_assert_eq(ev.relayed, 1);
    cr_assert(got(b, 0x61, 500));

    /* LQI mode: the trailer is CC24xx metadata, the hub computes the FCS */
    n = mk_frame(m, EUI_A, 0x62);
    size_t dl = zep_dgram(d, sizeof d, m, n, EK_ZEP_MODE_LQI);
    d[dl - 1] = 0xaa; /* metadata, not an FCS */
    raw_send(x, h, d, dl);
    expect_frame(h, &ev);
    cr_assert(ev.fcs_ok);
    cr_assert(ev.fcs_synthesized);
    cr_assert(ek_fcs16_check(ek_view_make(ev.psdu, ev.len)));

    /* CRC mode with a broken FCS: relayed (the air carries it), flagged for the owner */
    n = mk_frame(m, EUI_A, 0x63);
    dl = zep_dgram(d, sizeof d, m, n, EK_ZEP_MODE_CRC);
    d[dl - 1] ^= 0xff;
    raw_send(x, h, d, dl);
    expect_frame(h, &ev);
    cr_assert(!ev.fcs_ok);
    cr_assert_eq(ev.relayed, 1);

    /* an Ack is not a frame */
    uint8_t ack[8] = { 'E', 'X', 2, 2, 0, 0, 0, 9 };
    raw_send(x, h, ack, sizeof ack);
    cr_assert_eq(ek_zephub_poll(h, &ev, ek_mono_ns() + 100 * MS), 0);
    ek_zephub_stats st;
    ek_zephub_get_stats(h, &st);
    cr_assert_eq(st.ignored, 1);
    close(x);
    ek_radio_close(b);
    ek_zephub_close(h);
}

Test(zephub, malformed_datagrams_are_counted_and_never_relayed)
{
    ek_zephub *h = open_hub(NULL);
    int x = raw_sock(NULL);
    int y = raw_sock(NULL);
    /* y registers with one good frame, so a relay would reach it */
    uint8_t m[64], d[256];
    size_t n = mk_frame(m, EUI_B, 0x71);
    raw_send(y, h, d, zep_dgram(d, sizeof d, m, n, EK_ZEP_MODE_CRC));
    ek_zephub_event ev;
    cr_assert_eq(ek_zephub_poll(h, &ev, ek_mono_ns() + 500 * MS), 1);
    expect_frame(h, &ev);

    n = mk_frame(m, EUI_A, 0x72);
    size_t good = zep_dgram(d, sizeof d, m, n, EK_ZEP_MODE_CRC);
    uint8_t bad[300];
    unsigned sent = 0;
    raw_send(x, h, "", 0), sent++;                        /* empty */
    raw_send(x, h, "EX", 2), sent++;                      /* cut preamble + version */
    memcpy(bad, d, good);
    bad[0] = 'Z';
    raw_send(x, h, bad, good), sent++;                    /* no "EX" */
    memcpy(bad, d, good);
    bad[2] = 9;
    raw_send(x, h, bad, good), sent++;                    /* version 9 */
    raw_send(x, h, d, 20), sent++;                        /* header cut */
    raw_send(x, h, d, good - 1), sent++;                  /* Length beyond the datagram */
    memcpy(bad, d, good);
    bad[good] = 0;
    raw_send(x, h, bad, good + 1), sent++;                /* octets after the PSDU */
    memcpy(bad, d, good);
    bad[31] |= 0x80;
    raw_send(x, h, bad, good), sent++;                    /* reserved Length bit 7 */
    memcpy(bad, d, 32);
    bad[31] = 2;
    raw_send(x, h, bad, 34), sent++;                      /* FCS only, no MPDU octet */
    uint8_t hello[40];
    memset(hello, 0, sizeof hello);
    memcpy(hello, "EX\x02\xff", 4);
    memcpy(hello + 21, "HELLO", 5);
    hello[31] = 8;
    raw_send(x, h, hello, 39), sent++;                    /* HELLO one octet short */
    hello[31] = 7;
    raw_send(x, h, hello, 40), sent++;                    /* HELLO Length 7 */
    memset(bad, 0xee, sizeof bad);
    raw_send(x, h, bad, sizeof bad), sent++;              /* junk */
    /* seeded random datagrams, about half with a valid-looking "EX" + version */
    uint32_t rng = 0x2e9u;
    for (int i = 0; i < 200; i++) {
        size_t len = 1 + ek_test_xorshift32(&rng) % 200;
        for (size_t k = 0; k < len; k++)
            bad[k] = (uint8_t)ek_test_xorshift32(&rng);
        if (i % 2 && len > 4) {
            bad[0] = 'E';
            bad[1] = 'X';
            bad[2] = 2;
            bad[3] = 1;
            bad[31 < len ? 31 : 3] = (uint8_t)(len + 40); /* a Length that never fits */
        }
        raw_send(x, h, bad, len), sent++;
    }
    while (ek_zephub_poll(h, &ev, ek_mono_ns() + 200 * MS) == 1)
        cr_assert_fail("a malformed datagram gave an event");
    ek_zephub_stats st;
    ek_zephub_get_stats(h, &st);
    cr_assert_eq(st.malformed, sent, "malformed %llu of %u", (unsigned long long)st.malformed, sent);
    cr_assert_eq(st.relayed, 0);
    cr_assert_eq(st.frames, 1);
    cr_assert_eq(ek_zephub_client_count(h), 1, "a malformed datagram registers nobody");
    cr_assert(!raw_got(y, 50));
    /* still working afterwards */
    raw_send(x, h, d, good);
    cr_assert_eq(ek_zephub_poll(h, &ev, ek_mono_ns() + 500 * MS), 1);
    expect_frame(h, &ev);
    cr_assert(raw_got(y, 500));
    close(x);
    close(y);
    ek_zephub_close(h);
}

Test(zephub, client_table_limit_refuses_extra_sources)
{
    ek_zephub_opts o;
    ek_zephub_opts_default(&o);
    o.max_clients = 1;
    ek_zephub *h = NULL;
    char err[256];
    cr_assert_eq(ek_zephub_open(&o, &h, err, sizeof err), 0, "%s", err);
    ek_radio *a = open_client(h, EUI_A);
    expect_client(h);
    ek_radio *b = open_client(h, EUI_B);
    ek_zephub_event ev;
    cr_assert_eq(ek_zephub_poll(h, &ev, ek_mono_ns() + 100 * MS), 0);
    ek_zephub_stats st;
    ek_zephub_get_stats(h, &st);
    cr_assert_eq(st.clients_refused, 1);
    cr_assert_eq(ek_zephub_client_count(h), 1);
    ek_radio_close(a);
    ek_radio_close(b);
    ek_zephub_close(h);
}
