/* SPDX-License-Identifier: BSD-3-Clause */
/* RPL control messages (ICMPv6 type 155, RFC 6550 §6): DIS §6.2, DIO §6.3, DAO §6.4,
 * DAO-ACK §6.5, the Secure variants (§6.1 security section, §10) and the option walk
 * (§6.7), including the Minimum Enrollment Priority option when prof->mep_type != 0. */
#ifndef EK_RPL_H
#define EK_RPL_H

#include "ek/base.h"
#include "ek/minprio.h"
#include "ek/profile.h"
#include "ek/wr.h"

#define EK_RPL_MAX_OPTS 16
#define EK_RPL_SEQUENCE_WINDOW 16   /* RFC 6550 §7.2 */
#define EK_RPL_LOLLIPOP_INCOMPARABLE 2 /* ek_rpl_lollipop_cmp(): §7.2 rule 3.2.2 */

/* How an option was understood.  RAW = kept as bytes (unknown type, Target Descriptor,
 * or a known type whose data failed to decode: see the option's err). */
typedef enum ek_rpl_opt_kind {
    EK_RPL_OPTK_RAW = 0,
    EK_RPL_OPTK_PAD1,        /* §6.7.2: one 0x00 octet, no Length */
    EK_RPL_OPTK_PADN,        /* §6.7.3: Length 0..5, zero data */
    EK_RPL_OPTK_METRIC,      /* §6.7.4: DAG Metric Container (data kept raw) */
    EK_RPL_OPTK_ROUTE_INFO,  /* §6.7.5 */
    EK_RPL_OPTK_DODAG_CONF,  /* §6.7.6 */
    EK_RPL_OPTK_TARGET,      /* §6.7.7 */
    EK_RPL_OPTK_TRANSIT,     /* §6.7.8 */
    EK_RPL_OPTK_SOLICITED,   /* §6.7.9 */
    EK_RPL_OPTK_PREFIX_INFO, /* §6.7.10 */
    EK_RPL_OPTK_MEP          /* draft-ietf-roll-enrollment-priority, type prof->mep_type */
} ek_rpl_opt_kind;

/* §6.7.5:  Prefix Length | Resvd(3) Prf(2) Resvd(3) | Route Lifetime(32) | Prefix(0..16) */
typedef struct ek_rpl_route_info {
    uint8_t prefix_len;   /* bits */
    uint8_t prf;          /* 2 bits, RFC 4191 §2.1 */
    uint8_t resvd_bits;   /* the other 6 bits of the flags octet, as on the wire */
    uint32_t lifetime;
    uint8_t prefix_bytes; /* octets carried (>= ceil(prefix_len / 8)) */
    uint8_t prefix[16];
} ek_rpl_route_info;

/* §6.7.6 (Length 14):
 *  Flags: resvd(4) A(1) PCS(3) | DIOIntDoubl | DIOIntMin | DIORedun |
 *  MaxRankIncrease(16) | MinHopRankIncrease(16) | OCP(16) | Reserved | Def.Lifetime | Lifetime Unit(16) */
typedef struct ek_rpl_dodag_conf {
    uint8_t flags_resvd; /* high 4 bits of the flags octet (>> 4) */
    bool a;              /* authentication enabled */
    uint8_t pcs;         /* path control size, 3 bits */
    uint8_t dio_int_doublings, dio_int_min, dio_redundancy;
    uint16_t max_rank_inc, min_hop_rank_inc, ocp;
    uint8_t reserved;
    uint8_t def_lifetime;
    uint16_t lifetime_unit;
} ek_rpl_dodag_conf;

/* §6.7.7:  Flags | Prefix Length | Target Prefix (variable) */
typedef struct ek_rpl_target {
    uint8_t flags;
    uint8_t prefix_len;
    uint8_t prefix_bytes;
    uint8_t prefix[16];
} ek_rpl_target;

/* §6.7.8:  E(1) Flags(7) | Path Control | Path Sequence | Path Lifetime | [Parent Address(128)] */
typedef struct ek_rpl_transit {
    bool e;
    uint8_t flags;        /* low 7 bits */
    uint8_t path_control, path_seq, path_lifetime;
    bool has_parent;      /* Length 20 (non-storing mode) vs 4 */
    uint8_t parent[16];
} ek_rpl_transit;

/* §6.7.9 (Length 3):  RPLInstanceID | V I D Flags(5) | Version Number */
typedef struct ek_rpl_solicited {
    uint8_t instance;
    bool v, i, d;
    uint8_t flags;        /* low 5 bits */
    uint8_t version;
} ek_rpl_solicited;

/* §6.7.10 (Length 30):  Prefix Length | L A R Reserved1(5) | Valid Lifetime(32) |
 *  Preferred Lifetime(32) | Reserved2(32) | Prefix(128) */
typedef struct ek_rpl_prefix_info {
    uint8_t prefix_len;
    bool l, a, r;
    uint8_t reserved1;    /* low 5 bits */
    uint32_t valid_lifetime, preferred_lifetime, reserved2;
    uint8_t prefix[16];
} ek_rpl_prefix_info;

typedef struct ek_rpl_opt {
    ek_rpl_opt_kind kind;
    uint8_t type;
    uint8_t length;  /* Opt Length (data octets; 0 for Pad1) */
    size_t offset;   /* frame-absolute offset of the Type octet */
    ek_view data;    /* the option data; the encoder writes it for RAW and METRIC */
    ek_err err;      /* this option's own error (code EK_OK when fine) */
    union {
        ek_rpl_route_info route;
        ek_rpl_dodag_conf conf;
        ek_rpl_target target;
        ek_rpl_transit transit;
        ek_rpl_solicited sol;
        ek_rpl_prefix_info pio;
        ek_minprio mep;
    } u;
} ek_rpl_opt;

/* §6.1 Fig. 8:  T(1) Reserved(7) | Algorithm | KIM(2) Resvd(3) LVL(3) | Flags |
 *  Counter(32) | Key Identifier (Fig. 10: KIM 0 index; 1 none; 2 source(64)+index;
 *  3 source+index only when LVL encrypts). */
typedef struct ek_rpl_security {
    bool t;
    uint8_t reserved;   /* 7 bits */
    uint8_t algorithm;  /* 0 = CCM/AES-128, RSA/SHA-256 (Fig. 9) */
    uint8_t kim;        /* 2 bits */
    uint8_t resvd;      /* 3 bits */
    uint8_t lvl;        /* 3 bits; 4-7 unassigned (Fig. 11) */
    uint8_t flags;
    uint32_t counter;
    bool has_key_source;
    uint8_t key_source[8];
    bool has_key_index;
    uint8_t key_index;
} ek_rpl_security;

/* §6.2.1:  Flags | Reserved | options */
typedef struct ek_rpl_dis {
    uint8_t flags, reserved;
} ek_rpl_dis;

/* §6.3.1:  RPLInstanceID | Version | Rank(16) | G 0 MOP(3) Prf(3) | DTSN | Flags | Reserved | DODAGID */
typedef struct ek_rpl_dio {
    uint8_t instance, version;
    uint16_t rank;
    bool g;
    bool zero_bit;      /* the unused bit after G (MUST be 0, MUST be ignored) */
    uint8_t mop, prf;
    uint8_t dtsn, flags, reserved;
    uint8_t dodagid[16];
} ek_rpl_dio;

/* §6.4.1:  RPLInstanceID | K D Flags(6) | Reserved | DAOSequence | [DODAGID if D] */
typedef struct ek_rpl_dao {
    uint8_t instance;
    bool k, d;
    uint8_t flags;      /* low 6 bits */
    uint8_t reserved, seq;
    uint8_t dodagid[16];
} ek_rpl_dao;

/* §6.5.1:  RPLInstanceID | D Reserved(7) | DAOSequence | Status | [DODAGID if D] */
typedef struct ek_rpl_dao_ack {
    uint8_t instance;
    bool d;
    uint8_t reserved;   /* low 7 bits */
    uint8_t seq, status;
    uint8_t dodagid[16];
} ek_rpl_dao_ack;

typedef struct ek_rpl_msg {
    uint8_t code;            /* ICMPv6 code incl. the 0x80 secure bit */
    bool secure;
    ek_rpl_security sec;
    bool encrypted;          /* LVL 1/3: base and options kept opaque in `ciphertext` */
    ek_view ciphertext;
    ek_view mac;             /* MAC or signature split off the end (secure only) */
    union {
        ek_rpl_dis dis;
        ek_rpl_dio dio;
        ek_rpl_dao dao;
        ek_rpl_dao_ack ack;
    } base;
    ek_rpl_opt opts[EK_RPL_MAX_OPTS];
    unsigned n_opts;
    unsigned opts_dropped;   /* options beyond EK_RPL_MAX_OPTS (walked, not stored) */
    unsigned n_opt_errors;   /* options whose err is set (stored or not) */
} ek_rpl_msg;

/* Decodes the RPL body (after the 4-octet ICMPv6 header) for ICMPv6 code `code`.
 * EK_OK when the base object decoded; option errors stay on the options (walk goes on
 * after MALFORMED, stops after TRUNCATED "icmpv6.rpl.opt.length").  TRUNCATED/MALFORMED
 * for the security section or base; UNSUPPORTED "icmpv6.code" for other codes.
 * prof NULL = ek_profile_default.  opts[] is not cleared: only [0..n_opts) is written. */
EK_NODISCARD ek_status ek_rpl_decode(ek_view icmp_body, uint8_t code, size_t origin,
                                     const ek_profile *prof, ek_rpl_msg *out, ek_err *err);
/* Writes the body for in->code: security section, base (or ciphertext), options in
 * order (lengths computed; Pad1/PadN data written as zeros), then `mac`.
 * MALFORMED on fields that do not fit, NOSPACE from the buffer. */
EK_NODISCARD ek_status ek_rpl_encode(const ek_rpl_msg *in, const ek_profile *prof, ek_buf *out,
                                     ek_err *err);
/* Octets ek_rpl_encode writes for a valid message. */
size_t ek_rpl_encoded_len(const ek_rpl_msg *in, const ek_profile *prof);

/* Length of the MAC/signature for a KIM/LVL pair (§6.1 Fig. 11), 0 if unassigned. */
size_t ek_rpl_sec_mac_len(uint8_t kim, uint8_t lvl);
/* Length of the Key Identifier (§6.1 Fig. 10). */
size_t ek_rpl_sec_keyid_len(uint8_t kim, uint8_t lvl);

/* RFC 6550 §7.2 lollipop comparison: 1 if a is newer than b, -1 if older, 0 if equal,
 * EK_RPL_LOLLIPOP_INCOMPARABLE when both sit in one region more than
 * SEQUENCE_WINDOW apart. */
int ek_rpl_lollipop_cmp(uint8_t a, uint8_t b);

/* "DIO", "SDIO", ... or "?" */
const char *ek_rpl_code_name(uint8_t code);

#endif /* EK_RPL_H */
