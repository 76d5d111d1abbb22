/* SPDX-License-Identifier: BSD-3-Clause */
/* The one table of user-visible frame fields: JSON key of enroll-decode --json, key
 * of the vector manifests' "expect" map, and how to render it.  Every front end and
 * the vector verifier go through it, so a name is spelled in exactly one place. */
#ifndef EK_FIELDS_H
#define EK_FIELDS_H

#include <stdio.h>
#include <string.h>

#include "ek/frame.h"

typedef enum ek_field_kind {
    EK_FIELD_BOOL,   /* JSON true/false */
    EK_FIELD_U8,     /* JSON number */
    EK_FIELD_U16,
    EK_FIELD_U64,
    EK_FIELD_EUI64,  /* "00:12:4b:00:00:00:00:01" (uint8_t[8], canonical order) */
    EK_FIELD_IPV6,   /* RFC 5952 text (uint8_t[16]) */
    EK_FIELD_HEX8,   /* 16 lowercase hex digits (uint8_t[8]) */
    EK_FIELD_VIEW    /* lowercase hex of an ek_view, "" when empty */
} ek_field_kind;

typedef struct ek_field {
    const char *key;
    ek_field_kind kind;
    size_t has_off;  /* offsetof the bool in ek_frame_summary saying it is present */
    size_t val_off;  /* offsetof the value */
} ek_field;

extern const ek_field ek_fields[];
extern const size_t ek_fields_count;

const ek_field *ek_field_find(const char *key);
bool ek_field_present(const ek_field *f, const ek_frame_summary *s);
/* Numbers and booleans render as JSON literals, the rest as JSON strings. */
bool ek_field_is_string(const ek_field *f);
/* Renders the value as text without quotes ("true", "240", "fe80::1", "0a0b").
 * Returns buf; the text is truncated to buflen - 1 (hex to whole octets; an IPv6
 * address that does not fit gives "").  In JSON a byte string (EK_FIELD_VIEW) shows
 * at most EK_FIELD_VIEW_MAX octets. */
const char *ek_field_format(const ek_field *f, const ek_frame_summary *s, char *buf, size_t buflen);

#define EK_FIELD_VIEW_MAX 31   /* octets of a byte string in JSON (network ID: <= 16) */
#define EK_FIELD_TEXT_MAX 64   /* room for any field's text (IPv6: 45, view hex: 62) */

/* Text output buffer shared by the JSON and tree writers: one frame is built in it and
 * written with one fwrite (flushed early only if a frame outgrows it). */
typedef struct ek_outbuf {
    FILE *o;
    size_t n;
    char b[8192];
} ek_outbuf;

void ek_outbuf_flush(ek_outbuf *t);

/* Room for n more characters (n <= sizeof t->b); the caller advances t->n. */
static inline char *ek_outbuf_room(ek_outbuf *t, size_t n)
{
    if (t->n + n > sizeof t->b)
        ek_outbuf_flush(t);
    return t->b + t->n;
}

static inline void ek_outbuf_put(ek_outbuf *t, const char *s, size_t n)
{
    if (n > sizeof t->b) {
        ek_outbuf_flush(t);
        fwrite(s, 1, n, t->o);
        return;
    }
    memcpy(ek_outbuf_room(t, n), s, n);
    t->n += n;
}

/* One JSON Lines object for a frame: {"frame":N, <present fields>, "errors":[...]}. */
void ek_json_frame(FILE *o, unsigned long long index, const ek_frame *f);

/* The same with more keys: extra (may be NULL) appends ,"key":value pairs after the
 * table's fields and before "errors" (enroll-decode's per-layer keys). */
typedef void (*ek_json_extra_fn)(ek_outbuf *j, const ek_frame *f);
void ek_json_frame_ex(FILE *o, unsigned long long index, const ek_frame *f, ek_json_extra_fn extra);

/* Small text formatters shared by the front ends (no stdio, no locale, no NUL
 * written): each writes at dst and returns the number of characters. */
#define EK_FMT_U64_MAX 20      /* decimal digits of UINT64_MAX */
#define EK_FMT_IPV6_MAX 45     /* INET6_ADDRSTRLEN - 1 */
size_t ek_fmt_u64(char *dst, unsigned long long v);                    /* decimal */
size_t ek_fmt_hex(char *dst, const uint8_t *p, size_t n, char sep);   /* "0a0b" / "0a:0b"; sep 0 = none */
size_t ek_fmt_hex0x(char *dst, unsigned v, unsigned digits);          /* "0x" + digits lowercase hex */
size_t ek_fmt_eui64(char *dst, const uint8_t a[8]);                   /* "00:12:4b:00:00:00:00:01" */
/* RFC 5952 text, identical to glibc inet_ntop(AF_INET6, ...). */
size_t ek_fmt_ipv6(char *dst, const uint8_t a[16]);
/* An NTP timestamp (RFC 5905 §6: seconds since 1900 << 32 | 2^-32 s fraction) as UTC
 * "2023-05-05T22:21:52.500000000Z", converted as Wireshark shows ENC_TIME_NTP: seconds
 * with bit 31 clear are in the era after 2036-02-07, the fraction is truncated to ns,
 * and seconds 0 with less than 1 ns is 1970-01-01T00:00:00.000000000Z. */
#define EK_FMT_NTP_MAX 32
size_t ek_fmt_ntp(char *dst, uint64_t ntp);

#endif /* EK_FIELDS_H */
