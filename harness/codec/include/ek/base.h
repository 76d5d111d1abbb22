/* SPDX-License-Identifier: BSD-3-Clause */
/* enrollkit codec base types: byte views, status codes and the error record every
 * decoder fills.  No I/O, no allocation, no global state (docs/architecture.md). */
#ifndef EK_BASE_H
#define EK_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define EK_NODISCARD __attribute__((warn_unused_result))
#else
#define EK_NODISCARD
#endif

/* A borrowed, read-only run of bytes.  Decoders hand out views into their input;
 * a view is valid exactly as long as the buffer it points into. */
typedef struct ek_view {
    const uint8_t *p;
    size_t len;
} ek_view;

static inline ek_view ek_view_make(const uint8_t *p, size_t len)
{
    ek_view v = { p, len };
    return v;
}

/* Few codes, on purpose.  The field name and
 * offset in ek_err say *what* failed; the code says *how*. */
typedef enum ek_status {
    EK_OK = 0,
    EK_ERR_TRUNCATED,   /* the bytes ran out before the field ended */
    EK_ERR_MALFORMED,   /* a value contradicts the spec */
    EK_ERR_UNSUPPORTED, /* well-formed but outside what enrollkit decodes */
    EK_ERR_NOSPACE      /* an encoder's output buffer is too small */
} ek_status;

/* Where and why a decode/encode failed.
 * field:  dotted name, also the JSON key and the Wireshark filter ("rpl.dio.opt.len").
 * offset: byte offset counted from the start of the outermost frame.
 * need/have: for TRUNCATED/NOSPACE, bytes required vs bytes available (else 0). */
typedef struct ek_err {
    ek_status code;
    const char *field;
    size_t offset;
    size_t need;
    size_t have;
} ek_err;

/* "OK", "TRUNCATED", ... for a status; "UNKNOWN" for other values. */
const char *ek_status_name(ek_status s);

/* Formats "MALFORMED at rpl.dio.opt.len (offset 41)" into buf; returns buf. */
const char *ek_err_format(const ek_err *e, char *buf, size_t buflen);

/* All bits zero (padding too, so copied errors compare equal with memcmp). */
static inline void ek_err_clear(ek_err *e)
{
    if (e)
        memset(e, 0, sizeof *e);
}

/* Sets *e (if e != NULL) to {code, field, offset, need 0, have 0}; returns code, for
 * `return ek_err_set(err, EK_ERR_MALFORMED, "wpan.fcf", at);` in encoders. */
ek_status ek_err_set(ek_err *e, ek_status code, const char *field, size_t offset);

#endif /* EK_BASE_H */
