/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 9031 §8.4 CoJP objects (Join_Request, Configuration, Link_Layer_Key,
 * Short_Identifier, Unsupported_Configuration), CBOR (RFC 8949) read with libcbor's
 * allocation-free streaming decoder; byte strings are views into the input.  Encoders
 * write RFC 8949 §4.2.1 core deterministic CBOR into an ek_buf.  No libcbor type
 * appears in this header, so the dissector may include it for the constants. */
#ifndef EK_COJP_H
#define EK_COJP_H

#include <stddef.h>
#include <stdint.h>

#include "ek/base.h"
#include "ek/wr.h"

/* ---- CoJP parameter labels: RFC 9031 §8.4.2 Table 5, IANA registry §11.1 ---- */
#define EK_COJP_LABEL_ROLE 1          /* §8.4.1 Table 2: uint */
#define EK_COJP_LABEL_LL_KEY_SET 2    /* §8.4.2 Table 4: array */
#define EK_COJP_LABEL_SHORT_ID 3      /* §8.4.2 Table 4: array */
#define EK_COJP_LABEL_JRC_ADDRESS 4   /* §8.4.2 Table 4: bstr */
#define EK_COJP_LABEL_NETWORK_ID 5    /* §8.4.1 Table 2: bstr */
#define EK_COJP_LABEL_BLACKLIST 6     /* §8.4.2 Table 4: array */
#define EK_COJP_LABEL_JOIN_RATE 7     /* §8.4.2 Table 4: uint */
#define EK_COJP_LABEL_UNSUPPORTED 8   /* §8.4.1 Table 2: array */

/* ---- Role values: RFC 9031 §8.4.1 Table 3 (absent = 6TiSCH Node) ---- */
#define EK_COJP_ROLE_6TISCH_NODE 0
#define EK_COJP_ROLE_6LBR 1

/* ---- Key usage values: RFC 9031 §8.4.3 Table 6, IANA registry §11.2.  Every row is
 * IEEE802154-AES-CCM-128, so every key is 16 octets.  Absent = 0 (§8.4.3). ---- */
#define EK_COJP_KU_K1K2_ENC_MIC32 0
#define EK_COJP_KU_K1K2_ENC_MIC64 1
#define EK_COJP_KU_K1K2_ENC_MIC128 2
#define EK_COJP_KU_K1K2_MIC32 3
#define EK_COJP_KU_K1K2_MIC64 4
#define EK_COJP_KU_K1K2_MIC128 5
#define EK_COJP_KU_K1_MIC32 6
#define EK_COJP_KU_K1_MIC64 7
#define EK_COJP_KU_K1_MIC128 8
#define EK_COJP_KU_K2_MIC32 9
#define EK_COJP_KU_K2_MIC64 10
#define EK_COJP_KU_K2_MIC128 11
#define EK_COJP_KU_K2_ENC_MIC32 12
#define EK_COJP_KU_K2_ENC_MIC64 13
#define EK_COJP_KU_K2_ENC_MIC128 14
#define EK_COJP_KU_MAX 14

/* ---- Unsupported Configuration codes: RFC 9031 §8.4.5 Table 7, IANA §11.3 ---- */
#define EK_COJP_CODE_UNSUPPORTED 0
#define EK_COJP_CODE_MALFORMED 1

#define EK_COJP_KEY_LEN 16      /* §8.4.3 Table 6: AES-CCM-128 in every row */
#define EK_COJP_KEY_ID_MAX 254  /* §8.4.3.3: 255 is reserved by IEEE 802.15.4 */
#define EK_COJP_JRC_ADDR_LEN 16 /* §8.4.2: an IPv6 address, else discarded */
#define EK_COJP_SHORT_ID_LEN 2  /* §8.4.4.1: else the identifier is invalid */

/* enrollkit's bounds (not the RFC's): more is EK_ERR_UNSUPPORTED naming the field. */
#define EK_COJP_MAX_KEYS 8          /* link-layer key set entries */
#define EK_COJP_MAX_BLACKLIST 16    /* blacklist pledge identifiers */
#define EK_COJP_MAX_UNSUP 8         /* Unsupported_Parameter triples */
#define EK_COJP_MAX_UNKNOWN 8       /* unknown labels kept (the rest counted) */
#define EK_COJP_MAX_MAP_ENTRIES 32  /* entries of a Join_Request / Configuration map */
#define EK_COJP_MAX_DEPTH 16        /* nesting inside values skipped as "any" */

/* Decode flags (not errors). */
#define EK_COJP_F_NOT_DETERMINISTIC 0x1u /* input is not RFC 8949 §4.2.1 deterministic CBOR:
                                            encode(decode(x)) differs from x */
#define EK_COJP_F_SHORT_ID_IGNORED 0x2u  /* §8.4.4/§8.4.4.1: invalid identifier (length != 2,
                                            0xfffe, 0xffff): object silently ignored */
#define EK_COJP_F_JRC_ADDR_DISCARDED 0x4u /* §8.4.2: JRC address length != 16: discarded */
#define EK_COJP_F_KEY_MIC_REUSE 0x8u     /* §8.4.3.3: one key_value under two MIC lengths */

/* A map entry whose label is not defined for the object (§8.4.1 Table 2, §8.4.2 Table
 * 4).  Kept as data; §8.3.1 says the receiver answers it with an Unsupported_Parameter
 * {code Unsupported, label, null} (ek_cojp_config_diagnose). */
typedef struct ek_cojp_unknown {
    int64_t label;
    size_t offset; /* absolute offset of the label item */
    ek_view value; /* the encoded CBOR value item, borrowed from the input */
} ek_cojp_unknown;

/* §8.4.5 Unsupported_Parameter = ( code : int, parameter_label : int,
 *                                  parameter_addinfo : nil / any ) */
typedef struct ek_cojp_unsup_param {
    int64_t code;      /* Table 7 */
    int64_t label;     /* any CoJP label (§11.1), known or not */
    bool addinfo_null; /* parameter_addinfo is null */
    ek_view addinfo;   /* else the encoded CBOR item, borrowed / copied verbatim */
    size_t offset;     /* absolute offset of the code item (decode only) */
} ek_cojp_unsup_param;

/* §8.4.5 Unsupported_Configuration = [ + Unsupported_Parameter ] (a flat array of
 * triples; at least one). */
typedef struct ek_cojp_unsupported {
    unsigned n;
    ek_cojp_unsup_param p[EK_COJP_MAX_UNSUP];
    unsigned flags; /* EK_COJP_F_NOT_DETERMINISTIC */
} ek_cojp_unsupported;

/* §8.4.1 Join_Request = { ? 1 : uint, 5 : bstr, ? 8 : Unsupported_Configuration } */
typedef struct ek_cojp_join_request {
    bool has_role;      /* label 1 present (encoders emit it iff set) */
    uint8_t role;       /* Table 3; 0 (6TiSCH Node) when absent */
    ek_view network_id; /* label 5, mandatory */
    bool has_unsupported;
    ek_cojp_unsupported unsupported; /* label 8 */
    unsigned n_unknown, unknown_overflow;
    ek_cojp_unknown unknown[EK_COJP_MAX_UNKNOWN];
    unsigned flags;
} ek_cojp_join_request;

/* §8.4.3 Link_Layer_Key = ( key_id : uint, ? key_usage : int, key_value : bstr,
 *                           ? key_addinfo : bstr )   -- a sequence inside the set */
typedef struct ek_cojp_ll_key {
    uint8_t key_id;     /* <= 254 (§8.4.3.3) */
    bool has_key_usage; /* on the wire */
    uint8_t key_usage;  /* Table 6; 0 when absent */
    ek_view key_value;  /* 16 octets */
    bool has_key_addinfo;
    ek_view key_addinfo; /* §8.4.3.3: key_id 0 -> 2, 8 or 10 octets; else 4 or 8 */
    size_t offset;       /* absolute offset of key_id (decode only) */
} ek_cojp_ll_key;

/* §8.4.4 Short_Identifier = [ identifier : bstr, ? lease_time : uint ] */
typedef struct ek_cojp_short_id {
    ek_view identifier;  /* 2 octets, neither ff fe nor ff ff (§8.4.4.1) */
    bool has_lease_time; /* absent = positive infinity (§8.4.4) */
    uint64_t lease_time; /* hours */
} ek_cojp_short_id;

/* §8.4.2 Configuration = { ? 2 : [ +Link_Layer_Key ], ? 3 : Short_Identifier,
 *                          ? 4 : bstr, ? 6 : [ *bstr ], ? 7 : uint } */
typedef struct ek_cojp_config {
    bool has_keys;
    unsigned n_keys;
    ek_cojp_ll_key keys[EK_COJP_MAX_KEYS];
    bool has_short_id; /* false also when an invalid one was ignored (flags) */
    ek_cojp_short_id short_id;
    bool has_jrc_address; /* false also when a bad one was discarded (flags) */
    ek_view jrc_address;
    bool has_blacklist;
    unsigned n_blacklist;
    ek_view blacklist[EK_COJP_MAX_BLACKLIST];
    bool has_join_rate;  /* absent = positive infinity (§8.4.2) */
    uint64_t join_rate;  /* bytes/second */
    unsigned n_unknown, unknown_overflow;
    ek_cojp_unknown unknown[EK_COJP_MAX_UNKNOWN];
    ek_view ignored_short_id, ignored_jrc_address; /* what the flags dropped (decode only) */
    unsigned flags;
} ek_cojp_config;

/* Decoders: `in` holds exactly one CBOR data item (trailing bytes are MALFORMED);
 * origin = offset of in.p[0] in the outermost frame.  Views borrow from `in`; nothing
 * is allocated.  *err is written on every return (cleared on EK_OK).  Codes:
 * TRUNCATED, MALFORMED (a rule of §8.4 or RFC 8949), UNSUPPORTED (a value no table
 * defines, an indefinite-length string that cannot be a view, an enrollkit bound). */
EK_NODISCARD ek_status ek_cojp_join_request_decode(ek_view in, size_t origin, ek_cojp_join_request *out,
                                                   ek_err *err);
EK_NODISCARD ek_status ek_cojp_config_decode(ek_view in, size_t origin, ek_cojp_config *out, ek_err *err);
EK_NODISCARD ek_status ek_cojp_unsupported_decode(ek_view in, size_t origin, ek_cojp_unsupported *out,
                                                  ek_err *err);

/* Encoders: append deterministic CBOR (RFC 8949 §4.2.1) to *out; unknown[] and the
 * decode-only fields are not written.  MALFORMED / UNSUPPORTED for a value the decoder
 * would reject (offset = out->len where the item would start), NOSPACE when full. */
EK_NODISCARD ek_status ek_cojp_join_request_encode(const ek_cojp_join_request *in, ek_buf *out, ek_err *err);
EK_NODISCARD ek_status ek_cojp_config_encode(const ek_cojp_config *in, ek_buf *out, ek_err *err);
EK_NODISCARD ek_status ek_cojp_unsupported_encode(const ek_cojp_unsupported *in, ek_buf *out, ek_err *err);
/* Encoded size, or 0 when the object would not encode. */
size_t ek_cojp_join_request_encoded_len(const ek_cojp_join_request *in);
size_t ek_cojp_config_encoded_len(const ek_cojp_config *in);
size_t ek_cojp_unsupported_encoded_len(const ek_cojp_unsupported *in);

/* §8.3.1 / §8.4.5: the Unsupported_Parameter a receiver sends back for a decode
 * error: code Malformed (MALFORMED, TRUNCATED) or Unsupported (UNSUPPORTED), the label
 * of the top-level parameter the error's field lies in, addinfo null.  False when the
 * error is not inside one parameter (the object itself, a map label, NOSPACE). */
bool ek_cojp_diagnose(const ek_err *err, ek_cojp_unsup_param *out);
/* Appends {Unsupported, label, null} for every unknown label of a decoded object
 * (§8.3.1) to *out, up to EK_COJP_MAX_UNSUP; returns how many were appended. */
unsigned ek_cojp_config_diagnose(const ek_cojp_config *cfg, ek_cojp_unsupported *out);
unsigned ek_cojp_join_request_diagnose(const ek_cojp_join_request *jr, ek_cojp_unsupported *out);

/* Text renderings with label names, e.g. "{role: 1 (6LBR), network_identifier:
 * h'cafe'}".  snprintf contract: writes at most len-1 chars plus NUL, returns the full
 * length the text needs. */
size_t ek_cojp_join_request_format(const ek_cojp_join_request *jr, char *buf, size_t len);
size_t ek_cojp_config_format(const ek_cojp_config *cfg, char *buf, size_t len);
size_t ek_cojp_unsupported_format(const ek_cojp_unsupported *u, char *buf, size_t len);

/* Value names ("6LBR", "6TiSCH-K1K2-ENC-MIC32", "Malformed", "link-layer key set");
 * NULL for a value no table defines. */
const char *ek_cojp_role_name(uint64_t role);
const char *ek_cojp_key_usage_name(int64_t usage);
const char *ek_cojp_code_name(int64_t code);
const char *ek_cojp_label_name(int64_t label);

#endif /* EK_COJP_H */
