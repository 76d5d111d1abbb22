/* SPDX-License-Identifier: BSD-3-Clause */
/* OSCORE (RFC 8613) for the Constrained Join Protocol (RFC 9031 §7.3, §8): security
 * context derivation (§3.2, HKDF-SHA256), AES-CCM-16-64-128 (COSE alg 10, RFC 8152
 * §10.2) over libgcrypt, nonce (§5.2), AAD (§5.4), protecting and unprotecting whole
 * CoAP requests and responses (§8, option classes §4.1), the sender sequence number
 * and the replay window (§7.4) as persistable state (RFC 9031 §7.3.1). */
#ifndef EK_OSCORE_H
#define EK_OSCORE_H

#include "ek/base.h"
#include "ek/coap.h"

#define EK_OSCORE_ALG_AES_CCM_16_64_128 10 /* RFC 8152 §10.2 Table 10 */
#define EK_OSCORE_KEY_LEN 16
#define EK_OSCORE_NONCE_LEN 13
#define EK_OSCORE_TAG_LEN 8
#define EK_OSCORE_ID_MAX 7              /* §5.2: Sender ID <= nonce length - 6 */
#define EK_OSCORE_ID_CONTEXT_MAX 64     /* enrollkit capacity (a pledge ID is an EUI-64) */
#define EK_OSCORE_SSN_MAX 0xFFFFFFFFFFull /* §7.2.1: 2^40 - 1 (5-octet Partial IV) */
#define EK_OSCORE_REPLAY_WINDOW 64      /* §7.4: "at least 32" */
#define EK_OSCORE_MSG_MAX 1280          /* largest plaintext/message handled (IPv6 MTU) */
#define EK_OSCORE_STATE_LEN 20          /* ek_oscore_state_save() */

/* The §7.4 sliding window: `top` is the highest Partial IV accepted, bit i of `seen`
 * says whether top - i was accepted (bit 0 = top itself). */
typedef struct ek_oscore_replay {
    bool any;          /* some Partial IV accepted */
    uint64_t top;
    uint64_t seen;
} ek_oscore_replay;

/* A derived security context (§3.1): common, sender and recipient parts plus the
 * mutable state (ssn, replay).  Plain data: copy, persist the state part, restore. */
typedef struct ek_oscore_ctx {
    uint8_t common_iv[EK_OSCORE_NONCE_LEN];
    bool has_id_context;
    uint8_t id_context_len;
    uint8_t id_context[EK_OSCORE_ID_CONTEXT_MAX];
    uint8_t sender_id_len;
    uint8_t sender_id[EK_OSCORE_ID_MAX];
    uint8_t sender_key[EK_OSCORE_KEY_LEN];
    uint8_t recipient_id_len;
    uint8_t recipient_id[EK_OSCORE_ID_MAX];
    uint8_t recipient_key[EK_OSCORE_KEY_LEN];
    uint64_t ssn;               /* Sender Sequence Number: the next Partial IV to send */
    ek_oscore_replay replay;    /* recipient replay window */
    bool send_kid_context;      /* requests carry 'kid context' = ID Context (RFC 9031
                                   §7.3: the pledge does, so the JRC finds its context) */
} ek_oscore_ctx;

/* Inputs of the derivation (§3.2).  Views are borrowed for the call only. */
typedef struct ek_oscore_params {
    ek_view master_secret;      /* non-empty */
    ek_view master_salt;        /* empty = the default empty string (§3.2) */
    ek_view sender_id, recipient_id; /* 0..7 octets each */
    bool has_id_context;        /* false: 'id_context' is CBOR nil in the info (§3.2.1) */
    ek_view id_context;
} ek_oscore_params;

/* What a response is bound to (§5.4 request_kid / request_piv, §8.3 request nonce):
 * filled by protect_request (client) and unprotect_request (server). */
typedef struct ek_oscore_req {
    uint8_t kid_len;
    uint8_t kid[EK_OSCORE_ID_MAX];
    uint8_t piv_len;
    uint8_t piv[EK_OSCORE_PIV_MAX];
    uint8_t nonce[EK_OSCORE_NONCE_LEN];
} ek_oscore_req;

/* RFC 9031 §7.3 roles. */
typedef enum ek_oscore_cojp_role {
    EK_OSCORE_COJP_PLEDGE = 0,  /* Sender ID "" , Recipient ID "JRC" */
    EK_OSCORE_COJP_JRC          /* Sender ID "JRC", Recipient ID "" */
} ek_oscore_cojp_role;

#define EK_OSCORE_COJP_JRC_ID "JRC" /* 0x4a5243, RFC 9031 §7.3 */

/* ---- primitives (exposed for the known-answer tests) ---- */

/* HKDF-SHA256 (RFC 5869 §2.2-2.3) over libgcrypt HMAC; an empty salt is HashLen zero
 * octets (§2.2).  out_len <= 255 * 32.  False on a libgcrypt failure. */
EK_NODISCARD bool ek_oscore_hkdf_sha256(ek_view salt, ek_view ikm, ek_view info, uint8_t *out, size_t out_len);
/* The §3.2.1 info: CBOR [id, id_context / nil, alg_aead 10, "Key" / "IV", L].  iv selects
 * "IV" with L 13 and id (must be empty then, §3.2.1); id_context NULL = nil.  Returns
 * the length written, 0 if cap is too small. */
size_t ek_oscore_info(ek_view id, const ek_view *id_context, bool iv, uint8_t *out, size_t cap);
/* §5.2: Common IV xor (len(id) | id left-padded to 7 | piv left-padded to 5).
 * id.len <= 7, piv.len <= 5 (longer are cut: callers check first). */
void ek_oscore_nonce(const uint8_t common_iv[EK_OSCORE_NONCE_LEN], ek_view id_piv, ek_view piv,
                     uint8_t nonce[EK_OSCORE_NONCE_LEN]);
/* §5.3/§5.4: Enc_structure ["Encrypt0", h'', external_aad] with external_aad =
 * bstr .cbor [1, [10], request_kid, request_piv, h''].  Length written, 0 if too small. */
size_t ek_oscore_aad(ek_view request_kid, ek_view request_piv, uint8_t *out, size_t cap);
/* Minimal big-endian Partial IV of a sequence number (§6.1: 0 is one octet 0x00). */
size_t ek_oscore_piv_put(uint64_t ssn, uint8_t piv[EK_OSCORE_PIV_MAX]);

/* ---- contexts ---- */

/* Derives Sender Key, Recipient Key and Common IV (§3.2.1).  ssn 0, empty replay
 * window, send_kid_context false.  MALFORMED "oscore.master_secret" (empty),
 * "oscore.sender_id" / "oscore.recipient_id" (over 7); UNSUPPORTED "oscore.id_context"
 * (over EK_OSCORE_ID_CONTEXT_MAX), "oscore.crypto" (libgcrypt failed).  Offsets 0. */
EK_NODISCARD ek_status ek_oscore_derive(const ek_oscore_params *p, ek_oscore_ctx *out, ek_err *err);
/* The CoJP context (RFC 9031 §7.3): Master Secret = psk, empty Master Salt, ID Context =
 * pledge_id, pledge Sender ID = "", JRC Sender ID = "JRC"; the pledge's requests carry
 * the kid context.  Errors of ek_oscore_derive. */
EK_NODISCARD ek_status ek_oscore_cojp_context(ek_oscore_cojp_role role, ek_view psk, ek_view pledge_id,
                                              ek_oscore_ctx *out, ek_err *err);

/* ---- messages (RFC 8613 §8) ----
 * All four write a whole CoAP message into out[0..cap) and set *out_len.  Unprotect
 * errors carry frame-absolute offsets (origin = offset of `in` in the outer frame);
 * errors found in the decrypted plaintext point at the ciphertext octet that carried
 * it (CTR mode keeps positions). */

/* §8.1: Class E options (everything but Uri-Host, Uri-Port, Proxy-Scheme, OSCORE) and
 * the code and payload go into the plaintext; outer code POST; OSCORE option with the
 * Partial IV = ctx->ssn, kid = Sender ID, and kid context when ctx->send_kid_context.
 * ssn is incremented.  *req (may be NULL) records what the response needs.  Errors:
 * those of ek_coap_decode on `in`; MALFORMED "coap.code" (not a request);
 * UNSUPPORTED "oscore.option" (already protected), "oscore.observe", "oscore.proxy_uri"
 * (not in CoJP: §4.1.3.3/§4.1.3.5 handling not implemented), "oscore.ssn" (2^40 used
 * up, §7.2.1), "oscore.crypto"; NOSPACE. */
EK_NODISCARD ek_status ek_oscore_protect_request(ek_oscore_ctx *ctx, ek_view in, uint8_t *out, size_t cap,
                                                 size_t *out_len, ek_oscore_req *req, ek_err *err);
/* §8.2: checks the OSCORE option (Partial IV and kid present; kid = Recipient ID, kid
 * context if present = ID Context), the replay window, then decrypts; the result has the
 * inner code, outer Class U options and inner options, inner payload.  The window is
 * updated only after the tag verified.  Errors: ek_coap_decode's and
 * ek_oscore_opt_decode's; MALFORMED "oscore.option" (absent or repeated), "oscore.piv"
 * (absent in a request), "oscore.kid" (absent), "oscore.ciphertext" (shorter than code
 * + tag), "oscore.tag" (verification failed: at the tag), "oscore.replay" (the Partial
 * IV was seen or is older than the window, §7.4); UNSUPPORTED "oscore.kid" /
 * "oscore.kid_context" (not this context); the plaintext's option errors; NOSPACE. */
EK_NODISCARD ek_status ek_oscore_unprotect_request(ek_oscore_ctx *ctx, ek_view in, size_t origin, uint8_t *out,
                                                   size_t cap, size_t *out_len, ek_oscore_req *req, ek_err *err);
/* §8.3: outer code 2.04 Changed; with_piv false reuses the request nonce (OSCORE option
 * empty), true uses a fresh Partial IV = ctx->ssn with the Sender ID (ssn incremented).
 * Errors: as protect_request, MALFORMED "coap.code" (not a response). */
EK_NODISCARD ek_status ek_oscore_protect_response(ek_oscore_ctx *ctx, const ek_oscore_req *req, bool with_piv,
                                                  ek_view in, uint8_t *out, size_t cap, size_t *out_len,
                                                  ek_err *err);
/* §8.4: both forms (Partial IV present: nonce from the Recipient ID and that Partial IV;
 * absent: the request nonce).  No replay window for responses (§7.4: bound to the
 * request).  Errors: as unprotect_request without the kid and replay ones. */
EK_NODISCARD ek_status ek_oscore_unprotect_response(const ek_oscore_ctx *ctx, const ek_oscore_req *req,
                                                    ek_view in, size_t origin, uint8_t *out, size_t cap,
                                                    size_t *out_len, ek_err *err);

/* ---- replay window (§7.4) and persisted state (RFC 9031 §7.3.1) ---- */

void ek_oscore_replay_init(ek_oscore_replay *w);
/* True when piv would be accepted: newer than top, or within the window and not seen. */
bool ek_oscore_replay_check(const ek_oscore_replay *w, uint64_t piv);
/* Marks piv as received (call after the tag verified); slides the window forward. */
void ek_oscore_replay_accept(ek_oscore_replay *w, uint64_t piv);

/* The mutable context state, 20 octets (enrollkit's own layout, no RFC defines one):
 * version 1 | SSN (5, big-endian) | flags (bit 0: window in use; bit 1: every SSN used,
 * SSN field 0) | top (5) | seen (8, big-endian).  RFC 8613 Appendix B.1.1 (store SSN + K
 * ahead of use) is the caller's policy over this record. */
void ek_oscore_state_save(const ek_oscore_ctx *ctx, uint8_t out[EK_OSCORE_STATE_LEN]);
/* Restores ssn and the window; false (ctx untouched) for a wrong length, version or
 * flag bits, or an inconsistent window. */
bool ek_oscore_state_load(ek_oscore_ctx *ctx, const uint8_t *in, size_t len);

#endif /* EK_OSCORE_H */
