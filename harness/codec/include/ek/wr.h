/* SPDX-License-Identifier: BSD-3-Clause */
/* Append-only writer into a caller buffer (encoders mirror
 * decoders and write into caller memory).  The first overflow sticks as
 * EK_ERR_NOSPACE; later writes are ignored, `len` keeps counting what would
 * have been needed so callers can size a retry. */
#ifndef EK_WR_H
#define EK_WR_H

#include "ek/base.h"

typedef struct ek_buf {
    uint8_t *p;
    size_t cap;
    size_t len;  /* bytes written (or needed, after overflow) */
    ek_err err;
} ek_buf;

/* Writer over p[0..cap); p == NULL counts only (every write then sets NOSPACE). */
void ek_buf_init(ek_buf *b, uint8_t *p, size_t cap);
static inline bool ek_buf_ok(const ek_buf *b) { return b->err.code == EK_OK; }
static inline ek_view ek_buf_view(const ek_buf *b) { return ek_view_make(b->p, b->len <= b->cap ? b->len : b->cap); }

bool ek_wr_u8(ek_buf *b, const char *field, uint8_t v);
bool ek_wr_be16(ek_buf *b, const char *field, uint16_t v);
bool ek_wr_le16(ek_buf *b, const char *field, uint16_t v);
bool ek_wr_be32(ek_buf *b, const char *field, uint32_t v);
bool ek_wr_le32(ek_buf *b, const char *field, uint32_t v);
bool ek_wr_le40(ek_buf *b, const char *field, uint64_t v);
bool ek_wr_le64(ek_buf *b, const char *field, uint64_t v);
bool ek_wr_bytes(ek_buf *b, const char *field, const uint8_t *src, size_t n);
bool ek_wr_view(ek_buf *b, const char *field, ek_view v);
bool ek_wr_zero(ek_buf *b, const char *field, size_t n);
/* Reserve n bytes to patch later (length/checksum fields); returns the offset. */
size_t ek_wr_reserve(ek_buf *b, const char *field, size_t n);
/* Overwrite already-written bytes at `at` (no-op after overflow). */
void ek_wr_patch_le16(ek_buf *b, size_t at, uint16_t v);
void ek_wr_patch_be16(ek_buf *b, size_t at, uint16_t v);
void ek_wr_patch_u8(ek_buf *b, size_t at, uint8_t v);

/* Copies the writer status into *err (if err != NULL) and returns its code. */
ek_status ek_buf_finish(const ek_buf *b, ek_err *err);

#endif /* EK_WR_H */
