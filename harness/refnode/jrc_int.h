/* SPDX-License-Identifier: BSD-3-Clause */
/* The reference node as the JRC (RFC 9031 §7, §8.1): answers a Join Request forwarded by
 * a Join Proxy with a protected 2.04 and a Configuration (§8.1.2), a malformed
 * Join_Request with a Diagnostic Response (4.00 + Unsupported_Configuration, §8.3.1-2),
 * and drops every OSCORE error silently (§7.3.2: unknown pledge ID, failed tag, replay).
 * One OSCORE context per provisioned pledge ID (§7.3); its mutable state (sender sequence
 * number, replay window) is what ek_refnode_jrc_state() persists (§7.3.1).  Internal to
 * harness/refnode. */
#ifndef EK_REFNODE_JRC_INT_H
#define EK_REFNODE_JRC_INT_H

#include "ek/frame.h"
#include "ek/join.h"
#include "ek/refnode.h"

#define EK_JRC_QUEUE 4

typedef struct ek_jrc {
    bool on;                        /* cfg.jrc */
    unsigned n;
    ek_oscore_ctx ctx[EK_REFNODE_JRC_PLEDGES];
    uint8_t q[EK_JRC_QUEUE][EK_BUILD_MPDU_MAX];
    size_t qlen[EK_JRC_QUEUE];
    unsigned nq;
    uint16_t mid;
    uint64_t answered, dropped, diagnostics, state_writes;
} ek_jrc;

void ek_jrc_init(ek_jrc *j, const ek_refnode_cfg *cfg);
/* A reboot: the queue goes; the OSCORE state is kept (§7.3.1) unless the
 * jrc-replay-after-restart fault forgets the windows. */
void ek_jrc_reboot(ek_jrc *j, const ek_refnode_cfg *cfg);
void ek_jrc_rx(ek_jrc *j, const ek_refnode_cfg *cfg, const ek_frame *f, uint8_t *seq);
size_t ek_jrc_pop(ek_jrc *j, uint8_t *out, size_t cap);
/* Our address: fd00::/64 + the IID of our EUI-64 (the harness's DODAG prefix). */
void ek_jrc_addr(const ek_refnode_cfg *cfg, uint8_t out[16]);
size_t ek_jrc_state(const ek_jrc *j, const ek_refnode_cfg *cfg, uint8_t *out, size_t cap);
bool ek_jrc_restore(ek_jrc *j, const ek_refnode_cfg *cfg, const uint8_t *in, size_t len);

#endif /* EK_REFNODE_JRC_INT_H */
