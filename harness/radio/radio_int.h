/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal to harness/radio: the radio object shared by every backend (one struct,
 * a small vtable), the frame queue, pacing and the record -> frame conversion that the
 * pcap and file backends share.  Not installed; tests may include it. */
#ifndef EK_RADIO_INT_H
#define EK_RADIO_INT_H

#include <sys/socket.h>
#include <time.h>

#include "ek/radio.h"

struct pcap;
struct ek_cap_reader;

typedef struct ek_radio_ops {
    const char *scheme;
    /* Sends one MPDU (FCS not included) now; *t_ns = time it left. */
    int (*send)(ek_radio *r, const uint8_t *mpdu, size_t len, uint64_t *t_ns);
    /* Pulls the next frame from the medium into r->q (or returns it directly):
     * 1 = one frame in *f, 0 = deadline, -1 = error/EOF. */
    int (*recv)(ek_radio *r, ek_radio_frame *f, uint64_t deadline_ns);
    void (*close)(ek_radio *r);
} ek_radio_ops;

/* FIFO of frames already "arrived" (loop emissions, own echo, file records). */
typedef struct ek_radio_q {
    ek_radio_frame *v;
    size_t head, n, cap;
} ek_radio_q;

/* How a capture source treats the 2 octets after the MPDU (pcap: ?fcs=). */
typedef enum ek_radio_fcs_mode {
    EK_RADIO_FCS_LINKTYPE = 0, /* what the link type says (195 yes, 230 no, 283 TLV) */
    EK_RADIO_FCS_PRESENT,
    EK_RADIO_FCS_ABSENT,
    EK_RADIO_FCS_AUTO          /* present iff the last 2 octets are a correct FCS */
} ek_radio_fcs_mode;

#define EK_RADIO_ECHO_RING 256

struct ek_radio {
    const ek_radio_ops *ops;
    ek_radio_opts opts;
    ek_radio_stats st;
    char err[EK_RADIO_ERRLEN];
    char desc[EK_RADIO_ERRLEN];
    bool eof;
    bool virt;            /* virtual clock (loop:, file:) */
    bool pace_off;        /* file: sends are no-ops, pacing would only move the clock */
    uint64_t vnow;
    uint64_t last_rx_ns;  /* the latest received frame's time (ek__radio_rx_time) */
    int64_t wall_off;     /* CLOCK_REALTIME - CLOCK_MONOTONIC when opened (ek_radio_wall_ns) */
    /* pacing */
    bool have_last;
    uint64_t last_start;
    size_t last_psdu;
    ek_radio_q q;

    /* ZEP */
    int fd;
    bool zep_sendable, zep_learn, zep_have_remote, zep_dispatch;
    struct sockaddr_storage remote;
    socklen_t remote_len;
    uint16_t local_port;
    uint32_t zep_seq;     /* last seq sent */
    struct { uint32_t seq; uint16_t fcs; uint8_t len; bool used; } echo[EK_RADIO_ECHO_RING];

    /* pcap */
    struct pcap *pc;
    int dlt;
    bool pcap_zep;
    bool pcap_offline;
    ek_radio_fcs_mode fcs_mode;
    uint16_t zep_port;
    int (*inject)(void *ctx, const uint8_t *rec, size_t len);
    void *inject_ctx;

    /* file */
    ek_radio_frame *recs;
    size_t nrecs, pos;

    /* loop */
    ek_radio_loop_peer peer;
    bool have_peer;
    unsigned stall;
};

/* Queue helpers (radio.c). */
bool ek__radio_q_push(ek_radio *r, const ek_radio_frame *f);
bool ek__radio_q_pop(ek_radio *r, ek_radio_frame *f);
const ek_radio_frame *ek__radio_q_peek(const ek_radio *r);

ek_radio *ek__radio_new(const ek_radio_ops *ops, const ek_radio_opts *opts);
void ek__radio_seterr(ek_radio *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ek__radio_wait_until(uint64_t t_ns);
/* A live radio's received frame's time, CLOCK_MONOTONIC: its arrival, from the kernel's
 * or the capture's CLOCK_REALTIME stamp rt (NULL: none); the time of reading when there is
 * none or it is not a recent wall-clock time; never before the previous frame's. */
uint64_t ek__radio_rx_time(ek_radio *r, const struct timespec *rt);
/* Fills f->psdu from an MPDU (+ trailer) with the FCS rules; false if the MPDU does
 * not fit (len + 2 > 127) or is empty. */
bool ek__radio_frame_set(ek_radio_frame *f, const uint8_t *mpdu, size_t mpdu_len,
                         const uint8_t *fcs2 /* NULL = synthesize */);

/* Record of `linktype` -> frame (decap + FCS rules + Linux cooked 802.15.4).
 * 1 = frame, 0 = not 802.15.4 (skip silently: e.g. Ack, other UDP), -1 = bad record
 * (count as dropped).  zep_only: accept only ZEP carried frames. */
int ek__radio_frame_from_record(int linktype, const uint8_t *rec, size_t len,
                                ek_radio_fcs_mode fcs_mode, bool zep_only,
                                uint16_t zep_port, ek_radio_frame *f);

/* Option string helpers for URIs: finds "key=" in query (after '?'), copies the value. */
bool ek__radio_query(const char *query, const char *key, char *val, size_t vlen);

int ek__radio_open_zep(const char *uri, const char *rest, int kind, ek_radio_opts *o,
                       ek_radio **out, char *errbuf, size_t errlen);
int ek__radio_open_pcap(const char *uri, const char *rest, bool zep, ek_radio_opts *o,
                        ek_radio **out, char *errbuf, size_t errlen);
int ek__radio_open_file(const char *uri, const char *path, ek_radio_opts *o,
                        ek_radio **out, char *errbuf, size_t errlen);

#define EK__ZEP_P2P 0
#define EK__ZEP_DISPATCH 1
#define EK__ZEP_LISTEN 2

#endif /* EK_RADIO_INT_H */
