/* SPDX-License-Identifier: BSD-3-Clause */
/* The one table that names decoded-frame fields: JSON key (enroll-decode --json,
 * manifest "expect" keys, .expect sidecars) -> getter over ek_frame_summary.
 * Shared by ek-vectors verify and enroll-decode so their names cannot drift. */
#ifndef EK_FIELDMAP_H
#define EK_FIELDMAP_H

#include "ek/frame.h"

typedef enum ek_vec_kind {
    EK_VEC_UINT = 0, /* JSON number */
    EK_VEC_BOOL,     /* JSON true/false */
    EK_VEC_TEXT      /* JSON string: canonical address text or lowercase hex */
} ek_vec_kind;

#define EK_VEC_TEXT_MAX 160

typedef struct ek_vec_value {
    ek_vec_kind kind;
    uint64_t u;
    bool b;
    char text[EK_VEC_TEXT_MAX];
} ek_vec_value;

/* get(): false when the frame did not carry the field (key omitted from output). */
typedef struct ek_vec_field {
    const char *key;
    ek_vec_kind kind;
    bool (*get)(const ek_frame_summary *s, ek_vec_value *out);
} ek_vec_field;

/* All fields in output order. */
extern const ek_vec_field ek_vec_fields[];
extern const size_t ek_vec_fields_len;

/* NULL if key is not a known field. */
const ek_vec_field *ek_vec_field_find(const char *key);

/* Formats as in .expect files: decimal, 0/1, raw text.  Returns buf. */
const char *ek_vec_value_text(const ek_vec_value *v, char *buf, size_t len);
/* Formats as JSON: number, true/false, "quoted" (text never needs escaping). */
const char *ek_vec_value_json(const ek_vec_value *v, char *buf, size_t len);
/* Same kind and value. */
bool ek_vec_value_eq(const ek_vec_value *a, const ek_vec_value *b);

/* Canonical text helpers (also used by the manifest validator). */
void ek_vec_fmt_eui64(const uint8_t a[8], char out[24]);   /* "00:12:4b:..." */
void ek_vec_fmt_ipv6(const uint8_t a[16], char out[48]);   /* RFC 5952 */
void ek_vec_fmt_hex(const uint8_t *p, size_t n, char *out, size_t outlen); /* "0a1b" */

#endif /* EK_FIELDMAP_H */
