/* SPDX-License-Identifier: BSD-3-Clause */
/* The engine's frame matcher (docs/harness.md "Matcher keys"): conditions over a decoded
 * ek_frame, never over raw bytes.  Keys are the ek_fields table (ek/fields.h) plus the
 * engine's extra keys for option / IE details the summary does not carry. */
#ifndef EK_MATCH_H
#define EK_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ek/frame.h"
#include "ek/profile.h"
#include "ek/td.h"

/* Link-layer security of a frame as the engine received it: the frame the
 * matcher sees is the plaintext after ek_sec_unprotect, so these facts come from the
 * unprotect step.  Keys "sec.secured", "sec.mic_ok", "sec.level", "sec.frame_counter". */
typedef struct ek_frame_sec {
    bool secured;            /* FCF Security Enabled was set on the air */
    bool checked;            /* the harness tried to verify it (a secured DUT profile) */
    bool mic_ok;             /* valid iff checked: the MIC verified with the profile's keys */
    uint8_t level;           /* valid iff secured */
    bool has_fc;
    uint32_t frame_counter;  /* valid iff has_fc */
} ek_frame_sec;

/* Is `key` a matcher key (ek_fields or an extra key)? */
bool ek_match_key_known(const char *key);
/* Value of a key in a frame: true with *v when the frame carries it.  EUI-64 / 8-octet
 * keys read as big-endian 64-bit numbers; IPv6 addresses and byte strings have no
 * number (only PRESENT / ABSENT apply to them: *comparable false). */
bool ek_match_value(const ek_frame *f, const ek_profile *prof, const char *key, uint64_t *v,
                    bool *comparable);
/* Same with the frame's security facts; sec NULL = read them from the frame's own
 * Auxiliary Security Header (nothing verified: no "sec.mic_ok"). */
bool ek_match_value_sec(const ek_frame *f, const ek_frame_sec *sec, const ek_profile *prof, const char *key,
                        uint64_t *v, bool *comparable);
/* "==" "!=" "<" "<=" ">" ">=" "present" "absent" */
const char *ek_op_name(ek_op op);
/* Frame class test: a DIO (ICMPv6 155 code 0x01 with a decoded base), an Enhanced
 * Beacon (frame type 0, version 2), or anything. */
bool ek_frame_is_class(const ek_frame *f, ek_frame_class cls);
const char *ek_frame_class_name(ek_frame_class cls);   /* "frame" "DIO" "EB" */

/* One condition.  why gets the fact seen, true or false: "proxy_priority 0x30 < 0x40"
 * (field, actual, the relation that holds, expected), "no min_priority". */
bool ek_cond_eval(const ek_cond *c, const ek_frame *f, const ek_profile *prof, char *why, size_t whylen);
/* All conditions of m (up to the NULL field).  Returns the number that hold in *n_ok
 * (may be NULL, for near-miss ranking); why gets the first failing one's fact, or the
 * held facts joined with ", " when all hold.  The class and predicate are not checked. */
bool ek_conds_eval(const ek_match *m, const ek_frame *f, const ek_profile *prof, unsigned *n_ok, char *why,
                   size_t whylen);
/* Class, conditions, then the predicate (ctx may be NULL when m->pred is NULL).  The
 * sec.* keys read ctx->frame_sec when ctx is given, else the frame's own header. */
bool ek_match_frame(const ek_match *m, const struct ek_td_ctx *ctx, const ek_frame *f, const ek_profile *prof,
                    unsigned *n_ok, char *why, size_t whylen);
/* What the match asks for: "DIO with min_priority == 0x30, mep.version == 241". */
void ek_match_describe(const ek_match *m, char *buf, size_t buflen);

#endif /* EK_MATCH_H */
