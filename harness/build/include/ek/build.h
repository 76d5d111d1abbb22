/* SPDX-License-Identifier: BSD-3-Clause */
/* Whole-frame builders shared by the harness scenarios and the reference node: a node
 * identity plus a few semantic fields in, a complete MPDU out (no FCS: radios add it).
 * Pure: the codec's encoders do every byte, so what we inject decodes with our own
 * decoder and with stock tshark.  No I/O, no allocation. */
#ifndef EK_BUILD_H
#define EK_BUILD_H

#include "ek/base.h"
#include "ek/enroll_ie.h"
#include "ek/minprio.h"
#include "ek/profile.h"
#include "ek/rpl.h"

#define EK_BUILD_MPDU_MAX 125   /* aMaxPhyPacketSize - FCS */
#define EK_BUILD_MAX_EXTRA_OPTS 4
#define EK_BUILD_RAW_OPT_MAX 32

/* Who sends: RFC 8180 §5 style single-channel network, extended source addresses. */
typedef struct ek_build_node {
    uint8_t ext[8];        /* EUI-64, canonical order (ek_lladdr) */
    uint16_t pan_id;
    uint8_t seq;           /* MAC sequence number to use (caller increments) */
    bool use_short;        /* send with this MAC short address (the IPv6 link-local
                              address stays the EUI-64 one, carried inline) */
    uint16_t short_addr;
} ek_build_node;

/* An option placed in a DIO exactly as given (type, the Length octet as declared,
 * data) - used for unknown types and for malformed lengths (TP-EP-14), so `length`
 * may disagree with data_len on purpose. */
typedef struct ek_build_raw_opt {
    uint8_t type;
    uint8_t length;                 /* the Length octet written */
    uint8_t data_len;               /* octets actually written after it */
    uint8_t data[EK_BUILD_RAW_OPT_MAX];
} ek_build_raw_opt;
/* (type 0 with length 0 and data_len 0 writes the single Pad1 octet, RFC 6550 §6.7.2) */

/* Where the extra options go relative to the others. */
typedef enum ek_build_opt_pos {
    EK_BUILD_OPT_FIRST = 0,   /* before DODAG Configuration and the enrollment option (TP-EP-13) */
    EK_BUILD_OPT_LAST         /* after every other option (a Length beyond the end must be last) */
} ek_build_opt_pos;

/* A DIO (RFC 6550 §6.3.1) sent link-local to ff02::1a (all-RPL-nodes, RFC 6550 §20.19)
 * in an IEEE 802.15.4-2015 data frame to the broadcast address, IPHC-compressed
 * (RFC 6282 §3.1.1), hop limit 255. */
typedef struct ek_build_dio {
    ek_rpl_dio base;               /* instance, version, rank, g, mop, prf, dtsn, dodagid */
    bool has_conf;                 /* DODAG Configuration option (RFC 6550 §6.7.6) */
    ek_rpl_dodag_conf conf;
    bool has_mep;                  /* Minimum Enrollment Priority option, layout prof->mep,
                                      type prof->mep_type */
    ek_minprio mep;
    bool has_pio;                  /* Prefix Information (RFC 6550 §6.7.10) */
    ek_rpl_prefix_info pio;
    ek_build_raw_opt extra[EK_BUILD_MAX_EXTRA_OPTS];
    unsigned n_extra;
    ek_build_opt_pos extra_pos;
} ek_build_dio;

/* Defaults: instance 0x1e, version 240 (lollipop start, RFC 6550 §7.2), rank 256,
 * G=1, MOP 2, prf 0, dtsn 240, DODAGID fd00::1, a DODAG Configuration option with
 * RFC 6550 §17 defaults (MinHopRankIncrease 256, DIOIntMin 3, doublings 20,
 * redundancy 10, OCP 0 = OF0), no enrollment option, no PIO, no extras. */
void ek_build_dio_init(ek_build_dio *d);

/* Writes the MPDU (MHR + 6LoWPAN IPHC + ICMPv6 type 155 code 0x01 with a correct
 * checksum + DIO) into out.  Returns EK_OK and *len, or the encoder's error.
 * Source IPv6 = fe80::IID from node->ext (RFC 4944 §6 / RFC 6282 §3.2.2). */
EK_NODISCARD ek_status ek_build_dio_frame(const ek_build_node *node, const ek_build_dio *d,
                                          const ek_profile *prof, uint8_t *out, size_t cap,
                                          size_t *len, ek_err *err);

/* An Enhanced Beacon (IEEE 802.15.4-2015 §7.3.1.4, frame version 2, broadcast, PAN ID
 * compression per Table 7-2, no security) as RFC 8180 §6.1 describes it: Header IE
 * termination 1, then MLME payload IE with TSCH Synchronization (ASN, Join Metric),
 * TSCH Slotframe and Link (minimal schedule), Channel Hopping (sequence ID 0) and
 * TSCH Timeslot (ID 0); then, when has_ji, the IETF payload IE (RFC 8137 §3) with the
 * RFC 9032 6tisch-Join-Info subtype (prof->ji_subtype, layout prof->ji). */
typedef struct ek_build_eb {
    uint64_t asn;              /* 40 bits */
    uint8_t join_metric;       /* RFC 8180 §6.1: DAGRank(rank) - 1 */
    bool has_ji;
    ek_enroll_ie ji;           /* network_id borrows from the caller */
    int8_t ji_len_delta;       /* 0 for a valid frame; otherwise added to the IETF IE's
                                  Length field after encoding (a deliberately wrong
                                  length, for negative tests and the ie-length fault) */
    bool ji_before_6top;       /* also carry a 6P (subtype 1, RFC 8480) and an unknown
                                  subtype 200 IETF IE around Join-Info (TP-EB-08) */
} ek_build_eb;

/* Defaults: ASN 0, join metric 0, no Join-Info, no extras. */
void ek_build_eb_init(ek_build_eb *e);

EK_NODISCARD ek_status ek_build_eb_frame(const ek_build_node *node, const ek_build_eb *e,
                                         const ek_profile *prof, uint8_t *out, size_t cap,
                                         size_t *len, ek_err *err);

/* A DIS (RFC 6550 §6.2) to ff02::1a, broadcast MAC: the pledge-side solicitation. */
EK_NODISCARD ek_status ek_build_dis_frame(const ek_build_node *node, const ek_profile *prof,
                                          uint8_t *out, size_t cap, size_t *len, ek_err *err);

/* A storing-mode DAO (RFC 6550 §6.4, §9) of the node to its parent (link-local
 * address and EUI-64): Target = the node's link-local address, Transit Information
 * without a parent address and with path_lifetime (0: a No-Path DAO, §6.4.3), K = 1,
 * DAOSequence = node->seq. */
EK_NODISCARD ek_status ek_build_dao_frame(const ek_build_node *node, const uint8_t parent[8], uint8_t instance,
                                          uint8_t path_lifetime, const ek_profile *prof, uint8_t *out,
                                          size_t cap, size_t *len, ek_err *err);

/* fe80::IID link-local address of a node (RFC 4944 §6: IID = EUI-64 with the U/L bit
 * flipped). */
void ek_build_ll_addr(const uint8_t ext[8], uint8_t out[16]);

#endif /* EK_BUILD_H */
