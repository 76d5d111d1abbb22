/* SPDX-License-Identifier: BSD-3-Clause */
/* The DUT profile (issue 4 §2): what the harness must know about a device under test.
 * Human-editable INI file (read with libinih, never a hand-written parser), plus
 * command-line overrides "section.key=value".  docs/harness.md lists every key. */
#ifndef EK_DUT_H
#define EK_DUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ek/profile.h"

#define EK_DUT_STR 512

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
    unsigned caps;               /* capabilities: "dio, eb" -> EK_CAP_* */
    char spawn[EK_DUT_STR];      /* spawn: command the harness starts and owns (sh -c) */
    char reset[EK_DUT_STR];      /* reset: command run before every TD ($EK_DUT_PID set) */
    uint32_t ready_ms;           /* ready_ms: wait after spawn/reset, default 100 */
    /* [wire] */
    ek_profile prof;             /* ep_profile, ep_type, ie_profile, ie_subtype */
    /* [timing] */
    uint32_t dio_imin_ms;        /* dio_imin_ms, default 16 */
    uint8_t dio_doublings;       /* dio_doublings, default 6 */
    uint8_t dio_redundancy;      /* dio_redundancy, default 10 */
    uint32_t eb_period_ms;       /* eb_period_ms, default 50 */
    uint32_t slack_ms;           /* slack_ms: added to every window (radio + scheduling), default 20 */
} ek_dut;

void ek_dut_default(ek_dut *d);
/* Reads an INI file over the current values.  Returns 0, or -1 with "FILE:LINE: key:
 * reason" in err. */
int ek_dut_load(const char *path, ek_dut *d, char *err, size_t errlen);
/* One override "section.key=value" (e.g. "timing.dio_imin_ms=32", "wire.ep_profile=draft-09"). */
int ek_dut_set(ek_dut *d, const char *assignment, char *err, size_t errlen);
/* --dut given as a URI instead of a file: sets radio.uri, keeps defaults elsewhere. */
int ek_dut_from_uri(const char *uri, ek_dut *d, char *err, size_t errlen);
/* Writes the profile back as INI (the effective configuration goes into reports). */
int ek_dut_write(const ek_dut *d, char *buf, size_t buflen);

/* Window conversion: a duration in the DUT's units -> ns (without slack). */
uint64_t ek_dut_ms_per_unit(const ek_dut *d, int unit /* ek_tunit */);

#endif /* EK_DUT_H */
