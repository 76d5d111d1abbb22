/* SPDX-License-Identifier: BSD-3-Clause */
/* Constrained Join Protocol (RFC 9031) traffic as whole IEEE 802.15.4 frames: an
 * IPv6/UDP datagram in a data frame (extended addresses, IPHC + UDP NHC, RFC 6282),
 * the OSCORE-protected (RFC 8613) Join Request and Join Response (RFC 9031 §8.1), the
 * Parameter Update (§8.2), the stateless Join Proxy's state object carried as an
 * RFC 8974 extended token (§7.1), and a parser that says what a frame is: request or
 * response, from, to, DSCP, CoAP type, token, protected or not, and the CoJP object
 * once a context opens it.  Pure: no I/O, no allocation; the codec and ek_oscore do
 * every byte.  MPDUs are written without FCS, like ek/build.h (radios add it). */
#ifndef EK_JOIN_H
#define EK_JOIN_H

#include "ek/base.h"
#include "ek/coap.h"
#include "ek/cojp.h"
#include "ek/frame.h"
#include "ek/oscore.h"
#include "ek/profile.h"

#define EK_JOIN_URI_HOST "6tisch.arpa"   /* RFC 9031 §8.1.1: the JRC's well-known alias */
#define EK_JOIN_PROXY_SCHEME "coap"      /* RFC 9031 §8.1.1 */
#define EK_JOIN_URI_PATH "j"             /* RFC 9031 §8.1.1, §8.2.1 */
#define EK_JOIN_DSCP_AF43 38             /* RFC 2597 §6: 100110, JP -> JRC (RFC 9031 §6.1.1) */
#define EK_JOIN_DSCP_AF42 36             /* RFC 2597 §6: 100100, JRC -> JP (RFC 9031 §6.1.2) */
#define EK_JOIN_TOKEN_MAX 32             /* enrollkit bound on a token incl. RFC 8974 extended */
#define EK_JOIN_COAP_MAX 160             /* a CoAP message that still fits one MPDU */
#define EK_JOIN_ACK_TIMEOUT_S 10         /* RFC 9031 §7.2 Table 1 */

/* One UDP datagram in one IEEE 802.15.4-2015 data frame (frame version 2, PAN ID
 * compression, extended source and destination addresses, ack requested).  Addresses
 * and ports are the IPv6/UDP ones; the IPHC form is the maximal compression
 * ek_lowpan_encode_max picks (link-local addresses elided from the MAC ones, global
 * ones compressed by prof's contexts or inline). */
typedef struct ek_join_link {
    uint8_t src_ext[8], dst_ext[8];  /* MAC addresses, canonical EUI-64 order */
    uint16_t pan_id;
    uint8_t seq;                     /* MAC sequence number */
    uint8_t src_ip[16], dst_ip[16];
    uint16_t src_port, dst_port;
    uint8_t dscp;                    /* Traffic Class DSCP (6 bits, RFC 2474); ECN 0 */
    uint8_t hlim;
} ek_join_link;

/* Link-local pledge <-> Join Proxy link (RFC 9031 §5, §6): fe80::IID from each EUI-64
 * (RFC 4944 §6), both ports 5683 (RFC 7252 §12.6), DSCP 0, hop limit 64, seq 0. */
void ek_join_link_ll(ek_join_link *l, const uint8_t src_ext[8], const uint8_t dst_ext[8], uint16_t pan_id);
/* prefix (8 octets) ++ IID of ext: a global address of a node (RFC 4944 §6). */
void ek_join_global_addr(const uint8_t prefix[8], const uint8_t ext[8], uint8_t out[16]);

/* Writes the MPDU carrying payload as UDP (checksum over the RFC 8200 §8.1 pseudo-
 * header, inline).  NOSPACE "wpan.frame_length" when it exceeds 125 octets (no
 * fragmentation). */
EK_NODISCARD ek_status ek_join_udp_frame(const ek_join_link *l, ek_view payload, const ek_profile *prof,
                                         uint8_t *out, size_t cap, size_t *len, ek_err *err);

/* ---- CoAP with RFC 8974 extended tokens ----
 * ek_coap handles TKL 0-8; a stateless Join Proxy (RFC 9031 §7.1) needs longer tokens:
 * TKL 13 = 13 + one extension octet, TKL 14 = 269 + two (RFC 8974 §2.1).  These two
 * move the token in and out of an ek_coap message with an empty token. */

/* Writes `msg` (its token ignored) with `token` (0..EK_JOIN_TOKEN_MAX octets) in the
 * shortest RFC 8974 form.  Errors of ek_coap_encode; MALFORMED "coap.tkl" for a token
 * over EK_JOIN_TOKEN_MAX. */
EK_NODISCARD ek_status ek_join_coap_encode(const ek_coap_msg *msg, ek_view token, ek_buf *out, ek_err *err);
/* Splits a CoAP datagram: the token (any RFC 8974 length up to EK_JOIN_TOKEN_MAX) into
 * token[], and the message with TKL 0 into plain[] (*plain_len), which ek_coap_decode
 * and ek_oscore_unprotect_* take.  TRUNCATED "coap.hdr" / "coap.tkl_ext" / "coap.token";
 * MALFORMED "coap.tkl" (15, RFC 8974 §2.1); UNSUPPORTED "coap.tkl" (over
 * EK_JOIN_TOKEN_MAX); NOSPACE. */
EK_NODISCARD ek_status ek_join_coap_split(ek_view in, size_t origin, uint8_t token[EK_JOIN_TOKEN_MAX],
                                          size_t *token_len, uint8_t *plain, size_t cap, size_t *plain_len,
                                          ek_err *err);

/* ---- CoJP messages (bytes of the UDP payload) ---- */

/* What the CoAP header of one message carries. */
typedef struct ek_join_hdr {
    uint8_t type;                 /* EK_COAP_CON / NON / ACK */
    uint16_t mid;
    uint8_t token[EK_JOIN_TOKEN_MAX];
    size_t token_len;
} ek_join_hdr;

/* RFC 9031 §8.1.1 Join Request from a pledge: POST, outer Uri-Host "6tisch.arpa" and
 * Proxy-Scheme "coap" (Class U), inner Uri-Path "j" and the Join_Request payload
 * (Content-Format is not sent: §8.1.1 lists none), OSCORE under the pledge context
 * (kid context = pledge ID, kid = "" as ctx carries them).  ctx->ssn is used and
 * incremented; *req (may be NULL) binds the response.  jr_raw, when its p is not NULL,
 * is sent verbatim as the payload instead of encoding jr (a malformed object). */
EK_NODISCARD ek_status ek_join_request_msg(ek_oscore_ctx *pledge, const ek_join_hdr *h,
                                           const ek_cojp_join_request *jr, ek_view jr_raw, uint8_t *out,
                                           size_t cap, size_t *len, ek_oscore_req *req, ek_err *err);

/* RFC 9031 §8.1.2 Join Response from the JRC: inner code (2.04 Changed with the
 * Configuration, or an error code such as 4.00 with an Unsupported_Configuration,
 * §8.3.1), Content-Format application/cbor when there is a payload, OSCORE under the
 * JRC context bound to req; with_piv selects a fresh Partial IV (RFC 8613 §8.3). */
typedef struct ek_join_resp {
    uint8_t code;                 /* inner code */
    const ek_cojp_config *config; /* payload when code is 2.04 (may be NULL: empty) */
    const ek_cojp_unsupported *unsupported; /* payload of an error (may be NULL) */
    bool with_piv;
} ek_join_resp;
EK_NODISCARD ek_status ek_join_response_msg(ek_oscore_ctx *jrc, const ek_oscore_req *req, const ek_join_hdr *h,
                                            const ek_join_resp *r, uint8_t *out, size_t cap, size_t *len,
                                            ek_err *err);

/* RFC 9031 §8.2.1 Parameter Update from the JRC to a joined node: POST (h->type CON
 * there), outer Uri-Host "6tisch.arpa", inner Uri-Path "j" and the Configuration, OSCORE
 * under the JRC context (ctx->ssn used and incremented; kid = "JRC"; no Proxy-Scheme: it
 * goes to the node's own address).  *req binds the node's 2.04. */
EK_NODISCARD ek_status ek_join_param_update_msg(ek_oscore_ctx *jrc, const ek_join_hdr *h,
                                                const ek_cojp_config *cfg, uint8_t *out, size_t cap,
                                                size_t *len, ek_oscore_req *req, ek_err *err);

/* An empty response of the node to a Parameter Update (2.04, no payload, §8.2.1) or any
 * other payload-less response under ctx bound to req. */
EK_NODISCARD ek_status ek_join_empty_response_msg(ek_oscore_ctx *ctx, const ek_oscore_req *req,
                                                  const ek_join_hdr *h, uint8_t code, uint8_t *out,
                                                  size_t cap, size_t *len, ek_err *err);

/* ---- the stateless Join Proxy's state object (RFC 9031 §7.1; its layout is
 * implementation specific there).  enrollkit's: pledge EUI-64 (8) | pledge UDP port
 * (2, big-endian) | token length (1) | the pledge's token (0-8) | zero padding up to 13
 * octets (RFC 8974 §2.1 has no token of 9-12 octets): 13..19 octets. */
#define EK_JOIN_STATE_MIN 13
#define EK_JOIN_STATE_MAX 19
typedef struct ek_join_state {
    uint8_t pledge_ext[8];
    uint16_t pledge_port;
    uint8_t token[EK_COAP_TOKEN_MAX];
    size_t token_len;
} ek_join_state;
/* Returns the octets written (13..19), 0 when cap is short or the token over 8. */
size_t ek_join_state_put(const ek_join_state *s, uint8_t *out, size_t cap);
/* False for a length outside 13..19, a token length that disagrees, non-zero padding. */
bool ek_join_state_get(const uint8_t *in, size_t len, ek_join_state *s);

/* ---- parsing ---- */

typedef enum ek_join_kind {
    EK_JOIN_NOT_COAP = 0,   /* no UDP, or the payload is no CoAP message */
    EK_JOIN_REQUEST,        /* a request (code class 0, not Empty) */
    EK_JOIN_RESPONSE,       /* a response (class 2-5) */
    EK_JOIN_EMPTY           /* an Empty message (ACK / RST) */
} ek_join_kind;

/* One parsed CoAP-over-UDP frame.  Views borrow from the frame's buffer and from
 * plain[] inside this struct (do not copy the struct while using coap / cojp views). */
typedef struct ek_join_msg {
    ek_join_kind kind;
    uint8_t src_ext[8], dst_ext[8];
    bool has_src_ext, has_dst_ext;
    uint8_t src_ip[16], dst_ip[16];
    uint16_t src_port, dst_port;
    uint8_t dscp, ecn;
    size_t udp_len;                      /* UDP payload octets (what a join rate counts) */
    uint8_t token[EK_JOIN_TOKEN_MAX];
    size_t token_len;
    uint8_t plain[EK_OSCORE_MSG_MAX];    /* the message with TKL 0 */
    size_t plain_len;
    ek_coap_msg coap;                    /* decoded from plain[] (token empty) */
    bool has_uri_host, uri_host_jrc;     /* Uri-Host present / == "6tisch.arpa" */
    bool has_proxy_scheme, proxy_scheme_coap;
    bool oscore;                         /* carries the OSCORE option */
    ek_oscore_opt osc;                   /* its value, when oscore */
    bool osc_ok;                         /* the value decoded */
    /* filled by ek_join_open_* */
    bool opened;                         /* decrypted and verified */
    uint8_t inner[EK_OSCORE_MSG_MAX];
    size_t inner_len;
    ek_coap_msg inner_msg;               /* inner code, options and payload */
    bool path_j;                         /* inner Uri-Path is exactly "j" */
    bool has_join_request;
    ek_cojp_join_request jr;
    bool has_config;
    ek_cojp_config cfg;
    bool has_unsupported;
    ek_cojp_unsupported unsupported;
    ek_err object_err;                   /* the CoJP object's decode error, if any */
} ek_join_msg;

/* Parses a decoded frame: UDP in 6LoWPAN -> CoAP (RFC 8974 tokens) -> the outer
 * options.  EK_OK with kind EK_JOIN_NOT_COAP for a frame that carries no CoAP;
 * otherwise the CoAP errors (field and frame-absolute offset). */
EK_NODISCARD ek_status ek_join_parse(const ek_frame *f, ek_join_msg *out, ek_err *err);
/* Same from an MPDU (no FCS). */
EK_NODISCARD ek_status ek_join_parse_mpdu(ek_view mpdu, const ek_profile *prof, ek_join_msg *out, ek_err *err);

/* Opens a parsed request with the receiving side's context (the JRC's for a Join
 * Request; the node's for a Parameter Update): RFC 8613 §8.2 incl. the replay window,
 * which is updated on success (pass a copy to only look).  Then the inner Uri-Path and
 * the CoJP object (Join_Request for a Join Request from a pledge, i.e. when ctx is a
 * JRC context; Configuration otherwise).  *req binds the response.  Errors of
 * ek_oscore_unprotect_request; a malformed CoJP object is no error: has_* false and
 * object_err set. */
EK_NODISCARD ek_status ek_join_open_request(ek_join_msg *m, ek_oscore_ctx *ctx, ek_oscore_req *req, ek_err *err);
/* Opens a response with the requester's context bound to req (RFC 8613 §8.4); a 2.04
 * payload is decoded as a Configuration, an error's as an Unsupported_Configuration. */
EK_NODISCARD ek_status ek_join_open_response(ek_join_msg *m, const ek_oscore_ctx *ctx, const ek_oscore_req *req,
                                             ek_err *err);

/* One line for logs and verdict evidence, e.g.
 * "CoJP request NON POST fe80::212:4b00:14b5:d901:5683 -> fd00::1:5683 DSCP 38 token 12o OSCORE".
 * snprintf contract. */
size_t ek_join_msg_format(const ek_join_msg *m, char *buf, size_t len);

#endif /* EK_JOIN_H */
