/* SPDX-License-Identifier: BSD-3-Clause */
/* CoAP messages (RFC 7252 §3: header, token, options §3.1, payload marker) and the
 * OSCORE option value (RFC 8613 §6.1), as the Constrained Join Protocol carries them
 * (RFC 9031 §8.1).  Pure: no I/O, no allocation; option values and the payload are
 * views into the input.  Encoders sort options by number (RFC 7252 §3.1 deltas). */
#ifndef EK_COAP_H
#define EK_COAP_H

#include "ek/base.h"
#include "ek/profile.h"
#include "ek/wr.h"

#define EK_COAP_VERSION 1          /* RFC 7252 §3: Ver MUST be 1 */
#define EK_COAP_HDR_LEN 4          /* RFC 7252 §3: Ver|T|TKL, Code, Message ID */
#define EK_COAP_TOKEN_MAX 8        /* RFC 7252 §3: TKL 9-15 reserved */
#define EK_COAP_PAYLOAD_MARKER 0xFF /* RFC 7252 §3 */
#define EK_COAP_MAX_OPTS 24        /* enrollkit capacity; more = UNSUPPORTED "coap.opt" */
#define EK_COAP_OPT_NUMBER_MAX 65535u /* RFC 7252 §12.2: option numbers are 16-bit */
#define EK_COAP_OPT_LEN_MAX (269u + 65535u) /* RFC 7252 §3.1: length nibble 14 + ext */
#define EK_COAP_PORT 5683          /* RFC 7252 §12.6 */

/* RFC 7252 §3 message types (T). */
enum {
    EK_COAP_CON = 0,
    EK_COAP_NON = 1,
    EK_COAP_ACK = 2,
    EK_COAP_RST = 3
};

/* Code = class(3) . detail(5), RFC 7252 §3 and §12.1. */
#define EK_COAP_CODE(c, d) ((uint8_t)(((c) << 5) | (d)))
#define EK_COAP_CODE_CLASS(code) ((uint8_t)((code) >> 5))
#define EK_COAP_CODE_DETAIL(code) ((uint8_t)((code) & 0x1F))
#define EK_COAP_EMPTY EK_COAP_CODE(0, 0)          /* RFC 7252 §4.1 */
#define EK_COAP_GET EK_COAP_CODE(0, 1)            /* RFC 7252 §12.1.1 */
#define EK_COAP_POST EK_COAP_CODE(0, 2)
#define EK_COAP_PUT EK_COAP_CODE(0, 3)
#define EK_COAP_DELETE EK_COAP_CODE(0, 4)
#define EK_COAP_FETCH EK_COAP_CODE(0, 5)          /* RFC 8132 §2 */
#define EK_COAP_CREATED EK_COAP_CODE(2, 1)        /* RFC 7252 §12.1.2 */
#define EK_COAP_DELETED EK_COAP_CODE(2, 2)
#define EK_COAP_VALID EK_COAP_CODE(2, 3)
#define EK_COAP_CHANGED EK_COAP_CODE(2, 4)        /* CoJP Join Response, RFC 9031 §8.1.2 */
#define EK_COAP_CONTENT EK_COAP_CODE(2, 5)
#define EK_COAP_BAD_REQUEST EK_COAP_CODE(4, 0)
#define EK_COAP_UNAUTHORIZED EK_COAP_CODE(4, 1)   /* OSCORE replay / no context, RFC 8613 §7.4, §8.2 */
#define EK_COAP_BAD_OPTION EK_COAP_CODE(4, 2)
#define EK_COAP_FORBIDDEN EK_COAP_CODE(4, 3)
#define EK_COAP_NOT_FOUND EK_COAP_CODE(4, 4)
#define EK_COAP_METHOD_NOT_ALLOWED EK_COAP_CODE(4, 5)
#define EK_COAP_INTERNAL_ERROR EK_COAP_CODE(5, 0)
#define EK_COAP_SERVICE_UNAVAILABLE EK_COAP_CODE(5, 3) /* CoJP Diagnostic, RFC 9031 §8.3.2 */

/* Option numbers: RFC 7252 §5.10 Table 4 and §12.2, RFC 7641 §2 (Observe), RFC 7959 §2.1
 * (Block2/Block1, Size2), RFC 8613 §2 (OSCORE). */
#define EK_COAP_OPT_IF_MATCH 1
#define EK_COAP_OPT_URI_HOST 3
#define EK_COAP_OPT_ETAG 4
#define EK_COAP_OPT_IF_NONE_MATCH 5
#define EK_COAP_OPT_OBSERVE 6
#define EK_COAP_OPT_URI_PORT 7
#define EK_COAP_OPT_LOCATION_PATH 8
#define EK_COAP_OPT_OSCORE 9
#define EK_COAP_OPT_URI_PATH 11
#define EK_COAP_OPT_CONTENT_FORMAT 12
#define EK_COAP_OPT_MAX_AGE 14
#define EK_COAP_OPT_URI_QUERY 15
#define EK_COAP_OPT_ACCEPT 17
#define EK_COAP_OPT_LOCATION_QUERY 20
#define EK_COAP_OPT_BLOCK2 23
#define EK_COAP_OPT_BLOCK1 27
#define EK_COAP_OPT_SIZE2 28
#define EK_COAP_OPT_PROXY_URI 35
#define EK_COAP_OPT_PROXY_SCHEME 39
#define EK_COAP_OPT_SIZE1 60

#define EK_COAP_CF_CBOR 60          /* application/cbor, RFC 7252 §12.3 registry (RFC 8949 §9.5) */

/* One option.  number is absolute (the deltas summed, RFC 7252 §3.1). */
typedef struct ek_coap_opt {
    uint16_t number;
    ek_view value;
    size_t offset;      /* decode: frame-absolute offset of the option's first octet */
} ek_coap_opt;

/* RFC 7252 §3 Figure 7:
 *   0                   1                   2                   3
 *   |Ver| T |  TKL  |      Code     |          Message ID           |
 *   |   Token (if any, TKL bytes) ...
 *   |   Options (if any) ...
 *   |1 1 1 1 1 1 1 1|    Payload (if any) ...
 * Option (§3.1 Figure 8): Delta(4) | Length(4) | [delta ext 1/2] | [length ext 1/2] | value */
typedef struct ek_coap_msg {
    uint8_t version;       /* decode: always 1 (others are refused); ignored by the encoder */
    uint8_t type;          /* EK_COAP_CON .. EK_COAP_RST */
    uint8_t code;
    uint16_t mid;
    ek_view token;         /* 0..8 octets */
    unsigned n_opts;
    ek_coap_opt opts[EK_COAP_MAX_OPTS]; /* decode: in wire order, i.e. by number */
    ek_view payload;       /* after the payload marker; empty = no marker */
    size_t payload_offset; /* decode: frame-absolute offset of payload.p[0] */
} ek_coap_msg;

/* All zero: CON, Empty code, no token, options or payload. */
void ek_coap_msg_init(ek_coap_msg *m);

/* Decodes one CoAP message over UDP (the whole datagram).  prof may be NULL.
 * Errors (field, frame-absolute offset): TRUNCATED "coap.hdr", "coap.token",
 * "coap.opt.delta_ext", "coap.opt.length_ext", "coap.opt.value"; UNSUPPORTED
 * "coap.version" (Ver != 1: RFC 7252 §3 says ignore, it is another protocol version)
 * and "coap.opt" (more than EK_COAP_MAX_OPTS); MALFORMED "coap.tkl" (9-15, or not 0 in an
 * Empty message), "coap.code" (bytes after the Message ID of an Empty message, §4.1),
 * "coap.opt.delta" (nibble 15 that is not the payload marker, or a number above 65535),
 * "coap.opt.length" (nibble 15), "coap.payload_marker" (marker with no payload). */
EK_NODISCARD ek_status ek_coap_decode(ek_view in, size_t origin, const ek_profile *prof, ek_coap_msg *out,
                                      ek_err *err);
/* Writes header, token, options sorted by number (stable: repeated options keep their
 * order, RFC 7252 §5.4.5), then 0xFF and the payload when it is not empty.  MALFORMED
 * "coap.type", "coap.tkl", "coap.opt.length", "coap.code" (an Empty message with
 * content); UNSUPPORTED "coap.opt" (n_opts over capacity); NOSPACE. */
EK_NODISCARD ek_status ek_coap_encode(const ek_coap_msg *in, const ek_profile *prof, ek_buf *out, ek_err *err);
/* Octets ek_coap_encode writes for a valid message. */
size_t ek_coap_encoded_len(const ek_coap_msg *in);

/* The options-and-payload part alone (what follows the token; also the OSCORE plaintext
 * after its code octet, RFC 8613 §5.3).  Decode fills out->opts, n_opts, payload and
 * payload_offset only, with the errors of ek_coap_decode. */
EK_NODISCARD ek_status ek_coap_opts_decode(ek_view in, size_t origin, ek_coap_msg *out, ek_err *err);
EK_NODISCARD ek_status ek_coap_opts_encode(const ek_coap_opt *opts, unsigned n, ek_view payload, ek_buf *out,
                                           ek_err *err);
size_t ek_coap_opts_encoded_len(const ek_coap_opt *opts, unsigned n, ek_view payload);

/* The first option with this number after `after` (NULL: from the start), or NULL. */
const ek_coap_opt *ek_coap_opt_find(const ek_coap_msg *m, uint16_t number, const ek_coap_opt *after);
/* Appends an option (value borrowed); false when full. */
bool ek_coap_opt_add(ek_coap_msg *m, uint16_t number, ek_view value);
/* RFC 7252 §3.2 uint: 0-4 octets big-endian, no leading zero octets.  _get: false for
 * more than 4 octets.  _put: writes the minimal form into buf[4], returns its length. */
bool ek_coap_opt_uint_get(const ek_coap_opt *o, uint32_t *out);
size_t ek_coap_uint_put(uint32_t v, uint8_t buf[4]);

/* ---- OSCORE option value, RFC 8613 §6.1 Figure 10 ----
 *    0 1 2 3 4 5 6 7 <------------- n bytes -------------->
 *   |0 0 0|h|k|  n  |       Partial IV (if any) ...
 *    <- 1 byte -> <----- s bytes ------>
 *   | s (if any) | kid context (if any) | kid (if any) ... |
 * Every flag zero: the value is empty (and an empty value means every flag zero). */
#define EK_OSCORE_FLAG_RESERVED 0xE0 /* bits 0-2: MUST be zero, else malformed (§6.1) */
#define EK_OSCORE_FLAG_H 0x10        /* kid context present */
#define EK_OSCORE_FLAG_K 0x08        /* kid present */
#define EK_OSCORE_FLAG_N 0x07        /* Partial IV length; 6 and 7 reserved */
#define EK_OSCORE_PIV_MAX 5

typedef struct ek_oscore_opt {
    ek_view piv;               /* 0..5 octets (n) */
    bool has_kid_context;      /* h */
    ek_view kid_context;       /* 0..255 octets */
    bool has_kid;              /* k */
    ek_view kid;               /* the rest of the value */
} ek_oscore_opt;

/* Decodes the OSCORE option value `in` (origin = its frame-absolute offset).  prof may be
 * NULL.  MALFORMED "oscore.flags" (first octet 0x00: an all-zero flag byte is sent as an
 * empty value), "oscore.flags.reserved", "oscore.flags.n" (6, 7), "oscore.kid" (octets
 * left over with k = 0); TRUNCATED "oscore.piv", "oscore.kid_context.len",
 * "oscore.kid_context". */
EK_NODISCARD ek_status ek_oscore_opt_decode(ek_view in, size_t origin, const ek_profile *prof, ek_oscore_opt *out,
                                            ek_err *err);
/* Writes the value (empty when nothing is present).  MALFORMED "oscore.piv" (over 5),
 * "oscore.kid_context" (over 255); NOSPACE. */
EK_NODISCARD ek_status ek_oscore_opt_encode(const ek_oscore_opt *in, const ek_profile *prof, ek_buf *out,
                                            ek_err *err);
size_t ek_oscore_opt_encoded_len(const ek_oscore_opt *in);

#endif /* EK_COAP_H */
