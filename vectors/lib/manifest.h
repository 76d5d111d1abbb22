/* SPDX-License-Identifier: BSD-3-Clause */
/* Test-vector manifests: one CBOR map (RFC 8949, text keys) per vector, read and
 * written with libcbor.  Tool layer: may allocate; strict validation names the key.
 *   { "id": tstr (= file stem), "description": tstr, "refs": [tstr],
 *     "linktype": uint, "frame": bstr (whole pcap record), "wellformed": bool,
 *     ? "profile": { ? "ep_type": uint, ? "ep_profile": tstr, ? "ie_profile": tstr,
 *                    ? "contexts": [+ "N=PREFIX/LEN"],     RFC 6282 §3.1.2 contexts
 *                    ? "keys": [+ {"name": tstr, "key": bstr(16), "key_index": uint}] },
 *                      IEEE 802.15.4-2015 §9.4.4 key id mode 1 keys, ascending key_index
 *     "expect": { key: uint / bool / tstr },   keys and kinds from ek/fields.h
 *     ? "error": {"code": tstr, "field": tstr, "offset": uint} / [+ that map] }
 * Error offsets count from the start of the record ("frame"), as enroll-decode prints. */
#ifndef EK_MANIFEST_H
#define EK_MANIFEST_H

#include "ek/fields.h"
#include "ek/profile.h"

#define EK_VEC_ID_MAX 64
#define EK_VEC_DESC_MAX 512
#define EK_VEC_MAX_REFS 16
#define EK_VEC_REF_MAX 128
#define EK_VEC_MAX_EXPECT 48
#define EK_VEC_KEY_MAX 32
#define EK_VEC_MAX_ERRORS 8
#define EK_VEC_FIELD_MAX 64
#define EK_VEC_PROFILE_NAME_MAX 24
#define EK_VEC_FRAME_MAX 65535
/* "PREFIX/LEN" of one context: canonical IPv6 text (46) + "/128" + NUL */
#define EK_VEC_CONTEXT_MAX 52
/* Link-layer keys of a secured vector (profile.keys): AES-128, key id mode 1. */
#define EK_VEC_MAX_KEYS 8
#define EK_VEC_KEY_LEN 16
#define EK_VEC_KEY_NAME_MAX 24 /* = EK_SEC_NAME_MAX (ek/sec.h) */

/* One profile.keys entry: the key a secured vector's frame is protected with, named by
 * its Key Index (IEEE 802.15.4-2015 §9.4.4.3; key id mode 1, as Wireshark's
 * ieee802154_keys UAT matches it).  Index 0x00 is never issued (§9.4.4.3). */
typedef struct ek_vec_key {
    char name[EK_VEC_KEY_NAME_MAX]; /* [A-Za-z0-9._-]+, e.g. "K1-minimal15" */
    uint8_t key[EK_VEC_KEY_LEN];
    uint8_t key_index;              /* 1..255 */
} ek_vec_key;

/* An expected value; its kind follows the ek_field kind of its key. */
typedef enum ek_vec_kind {
    EK_VEC_UINT = 0, /* EK_FIELD_U8/U16/U64 (range-checked) */
    EK_VEC_BOOL,     /* EK_FIELD_BOOL */
    EK_VEC_TEXT      /* EUI64 / IPV6 (canonical text) / HEX8 / VIEW (lowercase hex) */
} ek_vec_kind;

#define EK_VEC_TEXT_MAX 64

typedef struct ek_vec_value {
    ek_vec_kind kind;
    uint64_t u;
    bool b;
    char text[EK_VEC_TEXT_MAX];
} ek_vec_value;

/* The kind a manifest must use for field f. */
ek_vec_kind ek_vec_kind_of(const ek_field *f);
/* Renders like ek_field_format ("true", "240", "fe80::1"), so the two compare as text. */
const char *ek_vec_value_format(const ek_vec_value *v, char *buf, size_t len);
bool ek_vec_value_eq(const ek_vec_value *a, const ek_vec_value *b);

typedef struct ek_vec_expect {
    char key[EK_VEC_KEY_MAX];
    ek_vec_value value;
} ek_vec_expect;

typedef struct ek_vec_error {
    ek_status code;                 /* never EK_OK */
    char field[EK_VEC_FIELD_MAX];
    uint64_t offset;
} ek_vec_error;

typedef struct ek_vec {
    char id[EK_VEC_ID_MAX];         /* [A-Za-z0-9._-]+, equals the file stem */
    char description[EK_VEC_DESC_MAX];
    char refs[EK_VEC_MAX_REFS][EK_VEC_REF_MAX];
    unsigned n_refs;
    uint32_t linktype;
    uint8_t *frame;                 /* malloc'd by ek_vec_load / ek_vec_set_frame */
    size_t frame_len;
    bool wellformed;
    bool has_profile;               /* "profile" present; unset members take defaults */
    uint8_t ep_type;                /* default 0x2A (provisional, profile.h) */
    char ep_profile[EK_VEC_PROFILE_NAME_MAX]; /* default "draft-16" */
    char ie_profile[EK_VEC_PROFILE_NAME_MAX]; /* default "rfc9032-literal" */
    /* 6LoWPAN context N as "PREFIX/LEN" ("fd00::/64"), "" = not configured.  Written as
     * profile.contexts ["N=PREFIX/LEN", ...] in ascending N; needs has_profile. */
    char contexts[EK_LOWPAN_CONTEXTS][EK_VEC_CONTEXT_MAX];
    /* profile.keys, strictly ascending key_index (so unique), names unique; needs
     * has_profile.  A vector with keys is a secured vector: its "expect" values are
     * those of the PLAINTEXT frame (after ek_sec_unprotect), see docs/vectors.md. */
    ek_vec_key keys[EK_VEC_MAX_KEYS];
    unsigned n_keys;
    ek_vec_expect expect[EK_VEC_MAX_EXPECT];
    unsigned n_expect;
    ek_vec_error errors[EK_VEC_MAX_ERRORS];
    unsigned n_errors;
    bool error_is_array;            /* "error" was written as an array */
} ek_vec;

/* Zeroes v and sets the profile defaults. */
void ek_vec_init(ek_vec *v);
/* Frees v->frame (v itself is caller memory); safe on an initialised or loaded v. */
void ek_vec_free(ek_vec *v);
/* Copies bytes into v->frame (replacing it).  False on allocation failure. */
bool ek_vec_set_frame(ek_vec *v, const uint8_t *p, size_t n);
/* Appends an expectation; false if full, the key is unknown or of another kind. */
bool ek_vec_expect_uint(ek_vec *v, const char *key, uint64_t x);
bool ek_vec_expect_bool(ek_vec *v, const char *key, bool x);
bool ek_vec_expect_text(ek_vec *v, const char *key, const char *x);
bool ek_vec_add_error(ek_vec *v, ek_status code, const char *field, uint64_t offset);
bool ek_vec_add_ref(ek_vec *v, const char *ref);
/* Sets context n (0..15) to "PREFIX/LEN" and has_profile; false if n is out of range or
 * the text is not canonical (RFC 5952 prefix, LEN 0..128, no bits set past LEN). */
bool ek_vec_set_context(ek_vec *v, unsigned n, const char *prefix_len);
/* Number of configured contexts. */
unsigned ek_vec_n_contexts(const ek_vec *v);
/* Appends a key and sets has_profile; false if full, the name is not [A-Za-z0-9._-]+ of
 * at most EK_VEC_KEY_NAME_MAX-1 octets, key_index is not 1..255 or not greater than
 * the last key's, or the name is already used. */
bool ek_vec_add_key(ek_vec *v, const char *name, const uint8_t key[EK_VEC_KEY_LEN], unsigned key_index);
/* NULL if v has no expectation for key. */
const ek_vec_value *ek_vec_expect_get(const ek_vec *v, const char *key);

/* Checks every rule load applies (so save never writes what load rejects).
 * False with "key: reason" in errbuf. */
bool ek_vec_validate(const ek_vec *v, char *errbuf, size_t errlen);

/* Reads and validates path; on failure out is freed/zeroed and errbuf says
 * "path: key: reason".  Returns false on any failure. */
bool ek_vec_load(const char *path, ek_vec *out, char *errbuf, size_t errlen);
/* Validates then writes the canonical encoding (fixed key order, definite lengths,
 * shortest integers).  Returns false with errbuf on failure. */
bool ek_vec_save(const char *path, const ek_vec *v, char *errbuf, size_t errlen);
/* Canonical CBOR bytes (malloc'd, caller frees) - what ek_vec_save writes. */
bool ek_vec_encode(const ek_vec *v, uint8_t **out, size_t *outlen, char *errbuf, size_t errlen);
bool ek_vec_decode(const uint8_t *p, size_t n, ek_vec *out, char *errbuf, size_t errlen);

/* The profile the vector asks for (defaults where absent), contexts applied with
 * ek_profile_set_context().  False if a name or a context is invalid. */
bool ek_vec_profile(const ek_vec *v, ek_profile *out);

/* Sorted list of DIR/<name>.cbor paths (regular files, by name, bytewise). */
typedef struct ek_vec_paths {
    char **path;
    size_t n;
} ek_vec_paths;
bool ek_vec_list_dir(const char *dir, ek_vec_paths *out, char *errbuf, size_t errlen);
void ek_vec_paths_free(ek_vec_paths *p);

/* "MALFORMED" -> EK_ERR_MALFORMED etc.; false for anything else (incl. "OK"). */
bool ek_vec_status_parse(const char *name, ek_status *out);

#endif /* EK_MANIFEST_H */
