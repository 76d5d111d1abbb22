/* SPDX-License-Identifier: BSD-3-Clause */
/* The DUT profile: what the harness must know about a device under test.
 * Human-editable INI file (read with libinih, never a hand-written parser), plus
 * command-line overrides "section.key=value".  docs/harness.md lists every key;
 * examples/dut/ holds the reference-DUT profiles and commented real-device templates.
 *
 * File format: [radio] uri channel pace; [dut] name pan_id address capabilities spawn
 * reset ready_ms stdin_file init_commands ready_line ready_timeout_ms reset_line network_id
 * jp_iid pan_priority max_local_cost role (the last ten written back only when set); [wire] ep_profile ep_type ie_profile ie_subtype; [timing]
 * dio_imin_ms (a power of two) dio_doublings dio_redundancy eb_period_ms slack_ms;
 * [dodag] min_hop_rank_inc ocp; [root] cmd_set_min cmd_set_min_urgent dodag_size (each
 * written back only when set); [security] enabled k1 k2 eb_level dio_level asn_nonce
 * key_id_mode k1_index k2_index key_source ([dodag] and [security] written back only when
 * not at the defaults; enabled = true adds EK_CAP_SECURED).  Unknown sections or keys, a
 * key given twice, continuation lines and lines over 197 characters (libinih's limit)
 * are errors.  ';' after whitespace starts a comment, also inside a value, which is why
 * init_commands separates its lines with '|'.
 *
 * spawn and reset run under /bin/sh -c, so the shell expands variables.  The harness
 * exports the profile itself (ek_dut_setenv), EK_DUT_PID (the spawned process; `exec`
 * in spawn makes it the DUT itself) and EK_BUILD_DIR (the meson build root when it runs
 * from a build tree, unless already set), so one profile works in a build tree and
 * installed, and follows command-line overrides:
 *   spawn = exec "${EK_BUILD_DIR:+$EK_BUILD_DIR/tools/refdut/}enroll-refdut" --from-env
 *   reset = kill -HUP "$EK_DUT_PID"      (enroll-refdut's convention; stacks differ) */
#ifndef EK_DUT_H
#define EK_DUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ek/profile.h"
#include "ek/sec.h"

#define EK_DUT_STR 512

/* jp_iid_mode: what the profile declares about the Join-Info P flag (RFC 9032 §2). */
#define EK_DUT_MAX_LOCAL_COST_DEFAULT 0x0f
#define EK_DUT_IID_UNDECLARED 0  /* jp_iid empty or absent: not checked */
#define EK_DUT_IID_NONE 1        /* "none": the DUT advertises P = 0 (IID from its L2 address) */
#define EK_DUT_IID_VALUE 2       /* 8 octets: P = 1 with this Join Proxy IID */

typedef struct ek_dut {
    char name[64];               /* [dut] name: shown in reports */
    /* [radio] */
    char radio_uri[EK_DUT_STR];  /* uri: see ek_radio_open */
    uint8_t channel;             /* channel: 11..26, default 26 */
    bool pace;                   /* pace: space injections by air time, default true */
    /* [dut] */
    uint16_t pan_id;             /* pan_id, default 0xface */
    bool has_ext;
    uint8_t ext[8];              /* address: the DUT's EUI-64 ("02:00:..."); learnt if absent */
    unsigned caps;               /* capabilities: "dio, eb, mep" -> EK_CAP_* (ek/td.h); default
                                    dio, eb, mep (no mep: a legacy 6LR) */
    char spawn[EK_DUT_STR];      /* spawn: command the harness starts and owns (sh -c) */
    char reset[EK_DUT_STR];      /* reset: command run before every TD ($EK_DUT_PID set) */
    uint32_t ready_ms;           /* ready_ms: wait after spawn/reset, default 100 */
    char ready_line[128];        /* ready_line: text the spawned DUT prints once it can
                                    hear the harness ("" = none): waited for after spawn */
    uint32_t ready_timeout_ms;   /* ready_timeout_ms: longest wait for ready_line or
                                    reset_line, default 10000 */
    char reset_line[128];        /* reset_line: text the spawned DUT prints once it has
                                    carried out a reset ("" = none): waited for after
                                    every reset command */
    char stdin_file[EK_DUT_STR]; /* stdin_file: its content goes to the spawned DUT's stdin
                                    after spawn and after every reset ("" = none) */
    char init_commands[EK_DUT_STR]; /* init_commands: lines separated by '|', sent after
                                    stdin_file's (a stack configured through its shell) */
    /* What the DUT is configured to advertise in its Join-Info (RFC 9032 §2); checked
     * when declared (TP-EB-01 and the ji-declared monitor). */
    bool has_network_id;         /* network_id: 1..16 octets in hex ("" = not declared) */
    uint8_t network_id[16];
    uint8_t network_id_len;
    uint8_t jp_iid_mode;         /* jp_iid: "" (EK_DUT_IID_UNDECLARED), "none" (P = 0) or 8
                                    octets as an EUI-64 (EK_DUT_IID_VALUE) */
    uint8_t jp_iid[8];
    bool has_pan_priority;       /* pan_priority: 0..255 ("" = not declared) */
    uint8_t pan_priority;
    uint8_t role;                /* role: "6lr" (default), "root", "pledge", "jrc" (ek_node_role,
                                    ek/td.h); a TD of another role is not applicable */
    uint8_t max_local_cost;      /* max_local_cost: the most the DUT adds to the adopted minimum
                                    for its EB proxy priority (draft-16 §3.2 "local
                                    considerations"), default 0x0f; TDs whose EB windows
                                    cannot tell minimums apart with a larger cost do not apply */
    /* [wire] */
    ek_profile prof;             /* ep_profile, ep_type, ie_profile, ie_subtype */
    uint8_t ep_length;           /* [wire] ep_length: 0 = the layout's own option Length; 4 under
                                    draft-16 = the Length drafts -10..-16 print, sent with one
                                    trailing 0 octet, for a DUT built from that text */
    /* [timing] */
    uint32_t dio_imin_ms;        /* dio_imin_ms: a power of two (RFC 6550 §6.7.6), default 16 */
    uint8_t dio_doublings;       /* dio_doublings, default 6 */
    uint8_t dio_redundancy;      /* dio_redundancy, default 10 */
    uint32_t eb_period_ms;       /* eb_period_ms, default 50 */
    uint32_t slack_ms;           /* slack_ms: added to every window (radio + scheduling), default 20 */
    uint32_t join_ms;            /* join_ms: a pledge's longest time from the moment the Join
                                    Proxies' EBs begin to its Join Request, finding and
                                    scanning them included (the EK_T_JOIN unit); 0 = not
                                    declared: 40 EB periods, and no FAIL on their timeout */
    /* [dodag]: the DODAG Configuration option the harness's roles send (RFC 6550 §6.7.6)
     * carries [timing] (DIOIntMin = log2(dio_imin_ms), doublings, redundancy) and these,
     * so the DUT runs with what the windows assume. */
    uint16_t min_hop_rank_inc;   /* min_hop_rank_inc: 1..65535, default 256 (RFC 6550 §17) */
    uint16_t ocp;                /* ocp: Objective Code Point, 0 = OF0 (RFC 6552), 1 = MRHOF
                                    (RFC 6719); default 0 */
    /* [root]: a DODAG root DUT (role = root).  The harness changes the root's configured
     * minimum through stack-specific control commands written to its stdin: a template
     * with exactly one "%u" (the new minimum, decimal) and "%%" for a literal '%'.
     * "" = the stack has no such command (TDs that need it are not applicable). */
    char cmd_set_min[EK_DUT_STR];        /* cmd_set_min: a routine change (T = 0) */
    char cmd_set_min_urgent[EK_DUT_STR]; /* cmd_set_min_urgent: an important change (T = 1,
                                            draft-16 §3.2) */
    bool has_dodag_size;         /* dodag_size: the DODAG size the root holds while tested -
                                    the routes it counts (draft-16 §3.1), 0..491520;
                                    "" = not declared (the size is then not judged) */
    uint32_t dodag_size;
    /* [cojp]: the Constrained Join Protocol credentials of a pledge (RFC 9031 §3: a PSK and
     * a pledge identifier provisioned out of band) - the harness plays the JRC that holds
     * them (role = pledge) - and what the pledge was provisioned with. */
    uint8_t cojp_psk_len;        /* psk: 16..32 octets as hex (RFC 9031 §3: at least 128
                                    bits); 0 = not declared */
    uint8_t cojp_psk[32];
    uint8_t cojp_pledge_id_len;  /* pledge_id: 1..64 octets as hex, the OSCORE ID Context
                                    (RFC 9031 §7.3); 0 = not declared */
    uint8_t cojp_pledge_id[64];
    uint32_t cojp_ack_timeout_ms; /* ack_timeout_ms: the pledge's CoAP ACK_TIMEOUT during the
                                    join (RFC 7252 §4.8; RFC 9031 §7.2 recommends 10000),
                                    1..600000, default 10000 */
    bool cojp_has_network_id;    /* network_id: the network ID the pledge is provisioned
                                    with (RFC 9031 §4.1, 1..16 octets as hex); "" = none */
    uint8_t cojp_network_id[16];
    uint8_t cojp_network_id_len;
    bool cojp_jp_stateless;      /* jp_stateless: a Join Proxy DUT (capability cojp) operates
                                    statelessly (RFC 9031 §7.1: then it MUST forward NON);
                                    default false */
    /* [security]: IEEE 802.15.4 security as RFC 8180 §4.6 uses it */
    bool secured;                /* enabled: true sets EK_CAP_SECURED; default false */
    ek_sec_key k1;               /* k1: key name (ek_sec_key_named) or 32 hex digits; EBs;
                                    default "K1-minimal15".  Its identifier (key_id_mode,
                                    key_index = k1_index, key_source) comes from the keys below */
    ek_sec_key k2;               /* k2: DIOs (and all data frames); key_index = k2_index */
    /* key_id_mode (1..3, default 1; IEEE 802.15.4-2015 §9.4.1.2, 0 refused), k1_index
     * (default 1), k2_index (default 2) and key_source (4 octets for mode 2, 8 for mode 3,
     * on-air order) live in k1/k2 (same mode and source for both); key_source_len is how
     * many octets key_source gave (0 = none).  Checked together by ek_dut_check. */
    uint8_t key_source_len;
    uint8_t eb_level;            /* eb_level: default 1 (MIC-32: EBs authenticated, not encrypted) */
    uint8_t dio_level;           /* dio_level: default 5 (ENC-MIC-32) */
    bool asn_nonce;              /* asn_nonce: TSCH ASN-based nonce; default false (frame counter) */
} ek_dut;

/* Defaults: the reference DUT over ZEP on loopback as seen from the harness
 * (zep://127.0.0.1:17755?local=127.0.0.1:17754), channel 26, PAN 0xface, fast timing. */
void ek_dut_default(ek_dut *d);
/* Reads an INI file over the current values.  Returns 0, or -1 with "FILE:LINE: key:
 * reason" in err. */
int ek_dut_load(const char *path, ek_dut *d, char *err, size_t errlen);
/* One override "section.key=value" (e.g. "timing.dio_imin_ms=32", "wire.ep_profile=draft-09").
 * Checks the value alone: the [security] key identifier is only consistent once every
 * override is in (key_id_mode=3 then key_source=...), so call ek_dut_check after the last. */
int ek_dut_set(ek_dut *d, const char *assignment, char *err, size_t errlen);
/* Checks what single values cannot, and a profile filled in by hand: dio_imin_ms a power of
 * two, Imax fitting 32 bits, min_hop_rank_inc not 0; key_id_mode 2/3 needs key_source of
 * 4/8 octets, mode 1 refuses one; k1 and k2 need different key identifiers (k1_index !=
 * k2_index).  0, or -1 with "SECTION.KEY: reason" in err.  ek_dut_load runs the same
 * checks itself (with FILE:LINE). */
int ek_dut_check(const ek_dut *d, char *err, size_t errlen);
/* --dut given as a URI instead of a file: sets radio.uri, keeps defaults elsewhere. */
int ek_dut_from_uri(const char *uri, ek_dut *d, char *err, size_t errlen);
/* Writes the profile back as INI (the effective configuration goes into reports); the
 * text loads back to the same profile.  Returns the length written (NUL excluded), or -1
 * when buf is too small or a string cannot be written as an INI value (newline, " ;"). */
int ek_dut_write(const ek_dut *d, char *buf, size_t buflen);

/* Exports the effective profile to the environment, one variable per key:
 * EK_<SECTION>_<KEY> in upper case with the value as ek_dut_write prints it
 * (EK_RADIO_URI, EK_WIRE_EP_PROFILE, EK_TIMING_DIO_IMIN_MS, EK_DUT_ADDRESS=auto,
 * EK_DODAG_OCP, ...); undeclared optional keys are exported empty (EK_DUT_NETWORK_ID=).
 * The harness calls it before running spawn and reset, so a spawned emulated DUT
 * follows overrides (enroll-refdut --from-env reads them).  0, or -1 (setenv failed). */
int ek_dut_setenv(const ek_dut *d);

/* Window conversion: milliseconds in one unit of the DUT's timing (ek_tunit):
 * EK_T_MS 1, EK_T_IMIN dio_imin_ms, EK_T_IMAX dio_imin_ms << dio_doublings,
 * EK_T_EB eb_period_ms, EK_T_ACK ack_timeout_ms, EK_T_JOIN join_ms or 40 eb_period_ms
 * (0 for an unknown unit).  Slack is not included. */
uint64_t ek_dut_ms_per_unit(const ek_dut *d, int unit /* ek_tunit */);
/* n units -> ns (ek_dut_ms_per_unit * n * 10^6, saturating at UINT64_MAX). */
uint64_t ek_dut_dur_ns(const ek_dut *d, uint32_t n, int unit /* ek_tunit */);


/* A control command from its template (cmd_set_min ...): "%u" replaced by v in decimal,
 * "%%" by '%'.  0, or -1 when the template is not exactly one "%u" (or out is too small). */
int ek_dut_cmd_format(const char *tmpl, unsigned v, char *out, size_t outlen);

/* EK_CAP_* bits -> "dio, eb, mep" (names as in the file; "none" for 0).  Returns buf. */
const char *ek_dut_caps_format(unsigned caps, char *buf, size_t buflen);

#endif /* EK_DUT_H */
