/* SPDX-License-Identifier: BSD-3-Clause */
/* An in-process ZEP hub: a dispatcher in the manner of RIOT's dist/tools/zep_dispatch,
 * owned by the harness.  One UDP socket on loopback (127.0.0.1 or ::1); emulated nodes
 * register with the type-255 HELLO of RIOT's socket_zep (32-octet ZEP v2 header,
 * "HELLO" in the reserved octets, Length 8, their EUI-64) or by their first ZEP Data
 * datagram.  Every ZEP Data datagram (v1/v2/v3, Wireshark packet-zep.c) is relayed
 * verbatim to every other client the topology links to its sender (default: full mesh)
 * and handed to the owner, who hears everything (the sniffer).  The owner also sends
 * frames as a participant with an EUI-64 of its own (ek_zephub_inject), under the same
 * topology.  poll()-driven, no threads, no signals; docs/radios.md. */
#ifndef EK_ZEPHUB_H
#define EK_ZEPHUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ek/radio.h"

#define EK_ZEPHUB_MAX_CLIENTS 64
#define EK_ZEPHUB_MAX_LINKS 1024     /* undirected links between EUI-64s */
#define EK_ZEPHUB_OWNER SIZE_MAX     /* "client" index of the owner's own frames */

typedef struct ek_zephub ek_zephub;

typedef struct ek_zephub_opts {
    const char *host;        /* loopback address to bind: "127.0.0.1" (default) or "::1" */
    uint16_t port;           /* 0 = an ephemeral port (ek_zephub_port) */
    uint8_t channel;         /* channel written into injected datagrams, 11..26 (0 = 26);
                                received datagrams are relayed whatever their channel,
                                as zep_dispatch does */
    uint16_t zep_device_id;  /* Device ID of injected datagrams (default 0x454b, "EK") */
    size_t max_clients;      /* 1..EK_ZEPHUB_MAX_CLIENTS (0 = the maximum); a datagram
                                from one more source is counted in clients_refused */
} ek_zephub_opts;

void ek_zephub_opts_default(ek_zephub_opts *o);

/* How a client's EUI-64 became known; a later source of a higher rank replaces it. */
typedef enum ek_zephub_how {
    EK_ZEPHUB_EUI_NONE = 0,      /* not yet: in a restricted topology it hears nothing */
    EK_ZEPHUB_EUI_HELLO,         /* the HELLO's EUI-64 */
    EK_ZEPHUB_EUI_FRAME,         /* the extended MAC source of its first frame (wins over
                                    the HELLO: a node whose HELLO carries a default) */
    EK_ZEPHUB_EUI_OWNER          /* set by the owner (ek_zephub_client_set_eui64): final */
} ek_zephub_how;

typedef struct ek_zephub_client {
    char addr[64];               /* "127.0.0.1:40211", "[::1]:40211" */
    bool has_eui64;
    uint8_t eui64[8];            /* canonical order */
    ek_zephub_how how;
    uint64_t t_registered_ns;    /* ek_mono_ns of the registering datagram */
    uint64_t hellos;             /* HELLOs received from it */
    uint64_t frames_in;          /* Data datagrams received from it */
    uint64_t frames_out;         /* datagrams relayed or injected to it */
} ek_zephub_client;

typedef enum ek_zephub_event_kind {
    EK_ZEPHUB_EV_FRAME = 1,      /* a frame on the channel (a client's, or the owner's) */
    EK_ZEPHUB_EV_CLIENT          /* a new client registered (HELLO or first datagram) */
} ek_zephub_event_kind;

typedef struct ek_zephub_event {
    ek_zephub_event_kind kind;
    size_t client;               /* sender / new client index; EK_ZEPHUB_OWNER: injected */
    uint64_t t_ns;               /* ek_mono_ns when received (sent, for injected frames) */
    /* EK_ZEPHUB_EV_FRAME only: */
    bool has_from;               /* the sender's EUI-64: the extended MAC source, else the */
    uint8_t from[8];             /* client's EUI-64 (HELLO / owner), else unknown */
    uint8_t channel, lqi;        /* from the ZEP header (lqi 0xff when injected) */
    bool fcs_ok;                 /* CRC mode: the FCS checks; LQI mode: computed (true) */
    bool fcs_synthesized;        /* LQI mode (CC24xx metadata): the FCS was computed */
    unsigned relayed;            /* clients the datagram went to */
    size_t len;                  /* octets in psdu: MPDU + FCS, 3..127 */
    uint8_t psdu[EK_RADIO_PSDU_MAX];
} ek_zephub_event;

typedef struct ek_zephub_stats {
    uint64_t datagrams;          /* every datagram read */
    uint64_t frames;             /* well-formed ZEP Data datagrams (relayed and handed over) */
    uint64_t relayed;            /* copies sent to clients */
    uint64_t blocked;            /* copies not sent because the topology has no link */
    uint64_t malformed;          /* datagrams that do not decode (bad preamble, version,
                                    Length, a HELLO of the wrong size, no MPDU octet,
                                    longer than any ZEP datagram): not relayed */
    uint64_t hellos;             /* well-formed HELLOs */
    uint64_t ignored;            /* ZEP v2/v3 Acks: not relayed */
    uint64_t clients_refused;    /* datagrams from a source beyond max_clients */
    uint64_t injected;           /* frames the owner sent */
    uint64_t send_errors;        /* sendto failures (a client that went away) */
} ek_zephub_stats;

/* Binds the socket.  0, or -1 with a message in err (a host that is not a loopback
 * address is refused: nothing leaves the machine). */
int ek_zephub_open(const ek_zephub_opts *o, ek_zephub **out, char *err, size_t errlen);
void ek_zephub_close(ek_zephub *h);

uint16_t ek_zephub_port(const ek_zephub *h);
/* "zep-dispatch://127.0.0.1:PORT" or "zep-dispatch://[::1]:PORT": what a node's radio
 * URI should be (docs/radios.md). */
const char *ek_zephub_uri(const ek_zephub *h);
/* The socket, for an owner that polls several descriptors itself. */
int ek_zephub_fd(const ek_zephub *h);
const char *ek_zephub_errmsg(const ek_zephub *h);
void ek_zephub_get_stats(const ek_zephub *h, ek_zephub_stats *s);

/* Topology: an undirected link between two EUI-64s (clients or owner identities).  The
 * first link ends the full mesh: from then on a copy goes only along links, and a client
 * whose EUI-64 is still unknown hears nothing.  0, or -1 when the table is full. */
int ek_zephub_link(ek_zephub *h, const uint8_t a[8], const uint8_t b[8]);
bool ek_zephub_linked(const ek_zephub *h, const uint8_t a[8], const uint8_t b[8]);
bool ek_zephub_restricted(const ek_zephub *h);

/* Reads and relays datagrams until one gives an event or the deadline (ek_mono_ns)
 * passes.  1 with *ev filled, 0 at the deadline, -1 on a socket error (errmsg).  A
 * datagram that registers a client gives EK_ZEPHUB_EV_CLIENT first, then its frame on
 * the next call. */
int ek_zephub_poll(ek_zephub *h, ek_zephub_event *ev, uint64_t deadline_ns);

/* Sends one MPDU (no FCS: added here) as ZEP v2 Data from the owner's participant `from`
 * to every client linked to it (every client in a full mesh).  *ev (may be NULL) gets
 * the frame as a sniffer sees it (client EK_ZEPHUB_OWNER), for the owner's own records.
 * The number of clients it went to, or -1 (MPDU too long, errmsg). */
int ek_zephub_inject(ek_zephub *h, const uint8_t from[8], const uint8_t *mpdu, size_t len, ek_zephub_event *ev);

size_t ek_zephub_client_count(const ek_zephub *h);
const ek_zephub_client *ek_zephub_client_at(const ek_zephub *h, size_t i);
/* The owner names a client (it knows which node it started): final, neither a HELLO
 * nor a frame changes it.  0, or -1 for a bad index. */
int ek_zephub_client_set_eui64(ek_zephub *h, size_t i, const uint8_t eui64[8]);

#endif /* EK_ZEPHUB_H */
