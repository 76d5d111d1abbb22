/* SPDX-License-Identifier: BSD-3-Clause */
/* The reference pledge: a 6TiSCH node that joins through a Join Proxy with the
 * Constrained Join Protocol (RFC 9031), written as a pure state machine (frames and
 * times in, frames out) like the reference 6LR, so the same code runs in enroll-refdut
 * --role pledge over ZEP and in-process behind the loop radio.  It listens to Enhanced
 * Beacons, chooses a Join Proxy from their Join-Info (RFC 9032 §2), sends an OSCORE-
 * protected Join Request (RFC 9031 §8.1.1) with CoAP retransmission (RFC 7252 §4.2),
 * applies the Configuration of a 2.04 Join Response (§8.1.2, §8.4.2) and then answers
 * Parameter Updates (§8.2).  Its OSCORE sequence number and replay window live in a
 * small persistent record that survives reboots (§7.3.1, RFC 8613 Appendix B.1.1). */
#ifndef EK_PLEDGE_H
#define EK_PLEDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ek/oscore.h"
#include "ek/profile.h"
#include "ek/refnode.h"

#define EK_PLEDGE_MAX_RETRANSMIT 4     /* RFC 9031 §7.2 Table 1 (RFC 7252 §4.8 default) */
#define EK_PLEDGE_MAX_JOIN_ATTEMPTS 4  /* RFC 9031 §8.5 COJP_MAX_JOIN_ATTEMPTS */
#define EK_PLEDGE_SSN_AHEAD 16         /* RFC 8613 Appendix B.1.1: the sequence number is
                                          stored this far ahead of use */
#define EK_PLEDGE_NV_LEN EK_OSCORE_STATE_LEN /* the persistent record (ek_oscore_state_save) */
#define EK_PLEDGE_MAX_CANDIDATES 8     /* Join Proxies remembered from their EBs */

/* Among Join Proxies equal in everything the pledge compares (RFC 9032 §2 leaves the
 * choice open; rank priority MUST NOT be one of the criteria). */
typedef enum ek_pledge_tie {
    EK_PLEDGE_TIE_FIRST = 0,    /* the one heard first (default) */
    EK_PLEDGE_TIE_LATEST,       /* the one heard last */
    EK_PLEDGE_TIE_LOWEST_EUI    /* the lowest EUI-64 */
} ek_pledge_tie;

/* Choices a compliant pledge may make. */
typedef struct ek_pledge_choices {
    ek_pledge_tie tie;
    /* RFC 9032 §2: unenrolled pledges MAY prefer a lower PAN priority among Join Proxies of
     * equal proxy priority.  Default false. */
    bool use_pan_priority;
    /* The initial CoAP retransmission timeout as ACK_TIMEOUT x factor / 1000 (RFC 7252
     * §4.2: random in [ACK_TIMEOUT, ACK_TIMEOUT x ACK_RANDOM_FACTOR 1.5]); 0 = random for
     * every request (default), else fixed 1000..1500. */
    uint16_t timeout_factor_pm;
    /* Listening time after the first usable EB before a Join Proxy is chosen (RFC 9031 §4.1:
     * "may ... continue to listen for additional EBs"); default 150 ms. */
    uint32_t scan_ms;
} ek_pledge_choices;

typedef struct ek_pledge_cfg {
    ek_profile prof;            /* Join-Info layout (prof.ji, prof.ji_subtype) */
    uint8_t ext[8];             /* our EUI-64 */
    uint16_t pan_id;
    uint8_t psk[32];            /* RFC 9031 §3: the PSK, 16..32 octets */
    uint8_t psk_len;
    uint8_t pledge_id[EK_OSCORE_ID_CONTEXT_MAX]; /* RFC 9031 §7.3: the ID Context */
    uint8_t pledge_id_len;
    /* RFC 9031 §4.1: provisioned with a network ID = only EBs carrying it are used. */
    bool has_network_id;
    uint8_t network_id[16];
    uint8_t network_id_len;
    uint32_t ack_timeout_ms;    /* CoAP ACK_TIMEOUT (RFC 9031 §7.2: 10000 recommended) */
    uint64_t seed;              /* randomness of the retransmission timeouts */
    ek_refnode_fault fault;     /* EK_FAULT_NONE or one of the pledge faults ("+pledge") */
    ek_pledge_choices choices;
} ek_pledge_cfg;

/* Defaults: EUI-64 02:00:5e:ef:00:00:00:01, PAN 0xface, no PSK (must be set), pledge ID
 * = the EUI-64, not provisioned with a network ID, ACK_TIMEOUT 10000 ms, choices above. */
void ek_pledge_cfg_default(ek_pledge_cfg *c);

/* Named compliant variants (enroll-refdut --role pledge --variant NAME). */
typedef struct ek_pledge_variant_info {
    const char *name;
    const char *summary;
    ek_pledge_choices choices;
} ek_pledge_variant_info;
size_t ek_pledge_variants(const ek_pledge_variant_info **out);
/* Sets cfg->choices to the variant's; 0, or -1 for an unknown name. */
int ek_pledge_variant_apply(const char *name, ek_pledge_cfg *cfg);

typedef enum ek_pledge_phase {
    EK_PLEDGE_LISTENING = 0,    /* no usable EB yet */
    EK_PLEDGE_SCANNING,         /* heard one, listening scan_ms for more */
    EK_PLEDGE_JOINING,          /* a Join Request outstanding */
    EK_PLEDGE_JOINED,           /* a 2.04 Configuration applied: a CoAP server for "/j" */
    EK_PLEDGE_GAVE_UP           /* stopped (COJP_MAX_JOIN_ATTEMPTS, or the unprotected-error fault) */
} ek_pledge_phase;

typedef struct ek_pledge_state {
    ek_pledge_phase phase;
    bool has_jp;
    uint8_t jp_ext[8];          /* the Join Proxy of the current / last attempt */
    uint8_t jp_ip[16];          /* the address its Join Requests go to (RFC 9032 §2) */
    uint64_t ssn;               /* the next OSCORE Partial IV */
    uint64_t boots;
    uint64_t join_requests, retransmissions, attempts, attempts_failed;
    uint64_t dropped_unprotected; /* responses without OSCORE, silently discarded (§7.3.2) */
    uint64_t dropped_oscore;      /* OSCORE failures (tag, replay, context), silently dropped */
    uint64_t updates_applied;     /* Parameter Updates taken (§8.2) */
    unsigned n_keys;              /* link-layer keys of the last Configuration (§8.4.3) */
    uint8_t key_id0;
    bool has_short_id;            /* §8.4.4.1: our short address */
    uint16_t short_id;
} ek_pledge_state;

typedef struct ek_pledge ek_pledge;

/* nv: the persistent record from an earlier run (NULL / length 0: a new device).  NULL on
 * allocation failure or a bad cfg (errbuf names it). */
ek_pledge *ek_pledge_new(const ek_pledge_cfg *cfg, const uint8_t *nv, size_t nv_len, char *errbuf, size_t errlen);
void ek_pledge_free(ek_pledge *p);
/* A reboot: everything in RAM is lost (candidates, join state, keys), the persistent
 * record is kept (RFC 9031 §7.3.1). */
void ek_pledge_reboot(ek_pledge *p, uint64_t now_ns);
/* The persistent record as it must be written now, and a counter that changes whenever
 * it does (write it out when the counter moved). */
void ek_pledge_nv(const ek_pledge *p, uint8_t out[EK_PLEDGE_NV_LEN], uint64_t *generation);

void ek_pledge_rx(ek_pledge *p, const uint8_t *mpdu, size_t len, uint64_t now_ns);
uint64_t ek_pledge_next_event(const ek_pledge *p);
size_t ek_pledge_poll(ek_pledge *p, uint64_t now_ns, uint8_t *out, size_t cap);
void ek_pledge_get_state(const ek_pledge *p, ek_pledge_state *s);
const char *ek_pledge_phase_name(ek_pledge_phase ph);

#endif /* EK_PLEDGE_H */
