/* SPDX-License-Identifier: BSD-3-Clause */
/* One small radio interface, several backends (docs/radios.md):
 * ZEP over UDP, libpcap live/dead handles, capture files, and an in-process loopback
 * with virtual time.  A radio moves whole 802.15.4 PSDUs and stamps every frame with a
 * monotonic time; it knows nothing about what the frames mean. */
#ifndef EK_RADIO_H
#define EK_RADIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EK_RADIO_PSDU_MAX 127   /* aMaxPhyPacketSize, IEEE 802.15.4-2015 §11.3 */
#define EK_RADIO_ERRLEN 256

typedef struct ek_radio ek_radio;

/* A frame seen by the radio.  psdu = MPDU + 2-octet FCS (CRC-16/KERMIT, §7.2.10)
 * whatever the backend delivered: when the source carries no FCS (link type 230,
 * ZEP LQI mode) the radio appends a computed one and sets fcs_synthesized. */
typedef struct ek_radio_frame {
    uint64_t t_ns;          /* monotonic (CLOCK_MONOTONIC, or the virtual clock) */
    uint8_t channel;        /* 11..26; 0 when the source does not say */
    bool fcs_ok;            /* the FCS matches the MPDU (always true if synthesized) */
    bool fcs_synthesized;   /* the source had no FCS; the radio computed it */
    bool outbound;          /* sent by the harness: pcapng EPB direction outbound (file:),
                             * or an own_echo copy */
    uint8_t lqi;            /* 0xff when unknown */
    size_t len;             /* octets in psdu, 3..127 */
    uint8_t psdu[EK_RADIO_PSDU_MAX];
} ek_radio_frame;

/* Counters every backend keeps (ek_radio_stats). */
typedef struct ek_radio_stats {
    uint64_t sent, received, dropped;  /* dropped: undecodable datagrams, wrong channel, bad ZEP */
    uint64_t paced;                    /* sends that waited for the air-time slot */
    int64_t pacing_err_max_ns;         /* worst |actual - planned| send start, paced sends */
    int64_t pacing_err_sum_ns;         /* sum of |actual - planned| (mean = sum / paced) */
    uint64_t ignored;                  /* well-formed but not for us: ZEP Ack, dispatcher HELLO,
                                        * our own datagrams echoed back, non-802.15.4 records */
    uint64_t foreign;                  /* zep://: datagrams accepted from another source than
                                        * the remote (e.g. a RIOT node whose bind() failed
                                        * silently and that sends from an ephemeral port) */
} ek_radio_stats;

typedef struct ek_radio_opts {
    uint8_t channel;        /* 11..26: sent in ZEP headers; received frames on others dropped;
                             * 0 = accept any channel (ZEP then sends 26) */
    bool pace;              /* space sends by 802.15.4 air time (ek_airtime_ns) */
    bool own_echo;          /* deliver our own sends back on recv (dispatcher echo); default off.
                             * Exactly one copy per send, queued locally at send time and marked
                             * outbound; echoes from the network are always filtered. */
    uint16_t zep_device_id; /* ZEP Device ID we send (default 0x454b, "EK") */
    uint8_t hello_eui64[8]; /* zep-dispatch: EUI-64 carried in the HELLO (default role A,
                             * 02:00:5e:ef:00:00:00:0a), as RIOT's topology mode reads it */
} ek_radio_opts;

void ek_radio_opts_default(ek_radio_opts *o);

/* Opens a radio from a URI (docs/radios.md):
 *   zep://HOST:PORT[?local=HOST:PORT]    point-to-point ZEP v2 with an emulated node:
 *                                         send to HOST:PORT, receive on local (default
 *                                         an ephemeral port on the same family).
 *                                         PORT 0: learn the remote from the first valid
 *                                         datagram (sends fail until then)
 *   (IPv6 hosts in brackets: zep://[::1]:17754; pcap options: ?fcs=auto|present|absent)
 *   zep-dispatch://HOST:PORT             node of a ZEP dispatcher: HELLO (type 255), then
 *                                         send/receive through it
 *   zep-listen://HOST:PORT               receive only (a sniffer feeding us ZEP)
 *   pcap:IFACE[?dlt=195|230|283|113|276] libpcap live capture + pcap_inject
 *   pcap-zep:IFACE[?port=17754]          passive: ZEP datagrams sniffed on IFACE (BPF "udp port N")
 *   file:PATH                            capture file as the DUT's side (offline evaluation)
 *   loop:                                 in-process loopback (see ek_radio_loop_*)
 * Returns 0, or -1 with a message naming the URI part that failed in errbuf. */
int ek_radio_open(const char *uri, const ek_radio_opts *opts, ek_radio **out, char *errbuf, size_t errlen);

/* Sends one MPDU (no FCS: every backend adds the FCS its medium needs).  Paced sends
 * wait until the previous frame's air time has elapsed.  *t_ns (may be NULL) gets the
 * monotonic time the frame left.  Returns 0, -1 on error (ek_radio_errmsg). */
int ek_radio_send(ek_radio *r, const uint8_t *mpdu, size_t len, uint64_t *t_ns);

/* Waits for the next frame until the absolute monotonic deadline (ns, as ek_radio_now).
 * Returns 1 with *f filled, 0 at the deadline, -1 on error or end of a capture file
 * (ek_radio_eof tells which). */
int ek_radio_recv(ek_radio *r, ek_radio_frame *f, uint64_t deadline_ns);

/* The radio's clock: CLOCK_MONOTONIC in ns for live radios, the virtual clock for
 * loop: and file: radios.  The engine takes every time from here. */
uint64_t ek_radio_now(const ek_radio *r);
/* Sleeps (or advances the virtual clock) until the deadline, receiving nothing. */
void ek_radio_sleep_until(ek_radio *r, uint64_t deadline_ns);

/* A live radio (zep:, pcap:): its clock is CLOCK_MONOTONIC and each frame carries the
 * time it arrived, which may be earlier than the time it is read. */
bool ek_radio_is_live(const ek_radio *r);
/* A time of the radio's clock as wall-clock ns since the epoch (what a pcapng record or
 * a report shows): a live radio's CLOCK_MONOTONIC time moved by the two clocks' offset
 * when the radio was opened (one offset: gaps and order stay the monotonic clock's); a
 * virtual clock's time as it is. */
uint64_t ek_radio_wall_ns(const ek_radio *r, uint64_t t_ns);
bool ek_radio_eof(const ek_radio *r);
const char *ek_radio_errmsg(const ek_radio *r);
void ek_radio_get_stats(const ek_radio *r, ek_radio_stats *s);
/* Short description for reports: "zep://127.0.0.1:17754 (local 127.0.0.1:40211, ch 26)". */
const char *ek_radio_describe(const ek_radio *r);
void ek_radio_close(ek_radio *r);

/* Local UDP port of a zep*: radio (0 for the others), e.g. to point a peer at it. */
uint16_t ek_radio_local_port(const ek_radio *r);

/* 2.4 GHz O-QPSK (IEEE 802.15.4-2015 §12): 250 kbit/s = 32 us per octet, over the
 * synchronization header (preamble 4 + SFD 1), the PHR (1) and the PSDU. */
uint64_t ek_airtime_ns(size_t psdu_len);

/* Monotonic clock (CLOCK_MONOTONIC) in ns. */
uint64_t ek_mono_ns(void);

/* ---- In-process loopback with virtual time (unit tests; no sockets, no sleeping) ----
 * The peer is an in-process device (e.g. the reference node).  The loop radio owns
 * the virtual clock: recv/sleep advance it to the earliest of the deadline and the
 * peer's next event, calling the peer's hooks on the way; frames the harness sends
 * reach peer->rx at the send time; frames the peer emits are delivered by recv. */
typedef struct ek_radio_loop_peer {
    void *ctx;
    /* A frame from the harness (MPDU without FCS) at virtual time now. */
    void (*rx)(void *ctx, const uint8_t *mpdu, size_t len, uint64_t now_ns);
    /* The peer's next timer, UINT64_MAX if none. */
    uint64_t (*next_event)(void *ctx);
    /* Runs timers due at now; the peer emits frames through emit(loop, ...). */
    void (*run)(void *ctx, uint64_t now_ns, ek_radio *loop);
} ek_radio_loop_peer;

/* Creates a loop radio driving `peer` (may be NULL: then sends vanish and nothing
 * arrives).  Virtual time starts at start_ns. */
ek_radio *ek_radio_loop_new(const ek_radio_loop_peer *peer, uint64_t start_ns);
/* Same with options (channel stamped on emitted frames, pace, own_echo); opts NULL =
 * defaults.  Pacing on a loop radio advances the virtual clock (peer timers run). */
ek_radio *ek_radio_loop_new_opts(const ek_radio_loop_peer *peer, uint64_t start_ns, const ek_radio_opts *opts);
/* Called by the peer from its run/rx hooks: queues a frame (MPDU, FCS added) for the
 * harness at the current virtual time. */
void ek_radio_loop_emit(ek_radio *loop, const uint8_t *mpdu, size_t len);

/* ---- libpcap seam (tests; also lets a caller hand over its own pcap_t) ----
 * Wraps an already opened handle (live, pcap_open_offline or pcap_open_dead) in the pcap
 * backend, exactly as ek_radio_open does after activation.  spec is the URI
 * ("pcap:NAME[?dlt=..&fcs=..]" or "pcap-zep:NAME[?port=N]"); the handle's link type must
 * match ?dlt= when given.  The radio owns p (pcap_close on ek_radio_close).  On error p is
 * closed too.  An offline handle reports EOF at its end like a file: radio. */
struct pcap;
int ek_radio_pcap_wrap(struct pcap *p, const char *spec, const ek_radio_opts *opts,
                       ek_radio **out, char *errbuf, size_t errlen);
/* Replaces pcap_inject by fn (records exactly as they would be injected, link-layer
 * header included); fn returns 0 or -1.  NULL restores pcap_inject. */
void ek_radio_pcap_set_inject(ek_radio *r, int (*fn)(void *ctx, const uint8_t *rec, size_t len),
                              void *ctx);

#endif /* EK_RADIO_H */
