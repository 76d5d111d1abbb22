/* SPDX-License-Identifier: BSD-3-Clause */
/* The reference node's Join Proxy (RFC 9031 §6, §7.1): forwards a pledge's link-local
 * Join Request to the JRC, statelessly (the pledge's address, port and token in an
 * RFC 8974 token), NON (§7.1 MUST when stateless), DSCP AF43 (§6.1.1 SHOULD); relays the
 * JRC's response back; takes Parameter Updates (§8.2) from the JRC under its own CoJP
 * context: join rate (§8.4.2; 0 = drop all join traffic) and blacklist (drop frames of
 * the listed pledges); forwards nothing while enrollment is off (min priority 0x7f,
 * draft-ietf-roll-enrollment-priority-16 §3.1).  Internal to harness/refnode. */
#ifndef EK_REFNODE_JP_INT_H
#define EK_REFNODE_JP_INT_H

#include "ek/frame.h"
#include "ek/join.h"
#include "ek/refnode.h"

#define EK_JP_QUEUE 4
#define EK_JP_HISTORY 64
#define EK_JP_STATEFUL 8

typedef struct ek_jp {
    bool on;                        /* cfg.cojp */
    ek_oscore_ctx ctx;              /* ours with the JRC (pledge side: receives Parameter Updates) */
    bool has_join_rate;             /* absent = +infinity (§8.4.2 SHOULD) */
    uint64_t join_rate;             /* bytes/s */
    unsigned n_black;
    uint8_t black[EK_COJP_MAX_BLACKLIST][16];
    uint8_t black_len[EK_COJP_MAX_BLACKLIST];
    struct { uint64_t t; uint32_t bytes; } hist[EK_JP_HISTORY]; /* forwarded, oldest first */
    unsigned n_hist;
    /* choices.jp_stateful: per-pledge state (token -> pledge) */
    struct { bool used; uint8_t tok[2]; ek_join_state st; uint8_t type; uint16_t mid; } tab[EK_JP_STATEFUL];
    uint16_t next_tok;
    uint16_t mid;
    uint8_t q[EK_JP_QUEUE][EK_BUILD_MPDU_MAX];
    size_t qlen[EK_JP_QUEUE];
    unsigned nq;
    uint64_t forwarded, relayed, dropped, updates;
} ek_jp;

/* What the Join Proxy needs of its node. */
typedef struct ek_jp_env {
    const ek_refnode_cfg *cfg;
    bool joined, enrollment_off;
    const uint8_t *parent_ext;      /* next hop towards the JRC */
    const uint8_t *dodagid;         /* the JRC's address when none is configured (§6: co-located) */
    uint8_t *seq;                   /* our MAC sequence number */
} ek_jp_env;

void ek_jp_init(ek_jp *jp, const ek_refnode_cfg *cfg);
/* Forgets what the JRC configured (join rate, blacklist), state and queue; keeps the
 * OSCORE state (RFC 9031 §7.3.1: persisted across reboots). */
void ek_jp_reset(ek_jp *jp, const ek_refnode_cfg *cfg);
/* A decoded frame with UDP for us (MAC destination our EUI-64). */
void ek_jp_rx(ek_jp *jp, const ek_jp_env *env, const ek_frame *f, uint64_t now);
/* The next queued frame (0 = none). */
size_t ek_jp_pop(ek_jp *jp, uint8_t *out, size_t cap);

#endif /* EK_REFNODE_JP_INT_H */
