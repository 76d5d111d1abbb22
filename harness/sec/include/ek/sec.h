/* SPDX-License-Identifier: BSD-3-Clause */
/* IEEE 802.15.4 link-layer security: CCM* (IEEE 802.15.4-2015 §9.3, Annex B) with
 * AES-128 from libgcrypt, the nonce (§9.3.2.2; byte order §9.3.1, Annex B.2, as RFC
 * 8180 §4.5.1 points out), securing/unsecuring whole MPDUs (a/m split §9.3.5, incoming
 * level check §9.2.5) and named keys (RFC 8180 §4.6 K1/K2).  No replay state here. */
#ifndef EK_SEC_H
#define EK_SEC_H

#include "ek/base.h"
#include "ek/wpan.h"

#define EK_SEC_KEY_LEN 16   /* AES-128 */
#define EK_SEC_NONCE_LEN 13 /* CCM* with L = 2 (§9.3.2.2) */
#define EK_SEC_MIC_MAX 16
#define EK_SEC_MAX_KEYS 8
#define EK_SEC_NAME_MAX 24

/* ---- CCM* primitive (Annex B; NIST SP 800-38C plus M = 0) ---- */

/* Nonce, non-TSCH (§9.3.2.2): source extended
 * address (8, canonical big-endian EUI-64 order) | Frame Counter (4, big-endian) |
 * Security Level (1).  Annex C.2.1.3: ACDE480000000001 00000005 02. */
void ek_sec_nonce_fc(const uint8_t ext[8], uint32_t frame_counter, uint8_t level,
                     uint8_t nonce[EK_SEC_NONCE_LEN]);
/* Nonce, TSCH mode (§9.3.2.2 with ASN in Nonce = 1; RFC 8180 §4.6): source extended
 * address (8, big-endian) | ASN (5, big-endian).  No level octet. */
void ek_sec_nonce_asn(const uint8_t ext[8], uint64_t asn, uint8_t nonce[EK_SEC_NONCE_LEN]);

/* CCM* forward transformation (B.4.1-B.4.2): authenticates a[0..a_len) and m, encrypts
 * m in place (m_len may be 0; m may be NULL then), writes mic_len octets of encrypted
 * tag U to mic.  mic_len is 0, 4, 8 or 16; 0 = encryption only (level 4).  False on
 * bad lengths (a_len >= 0xff00, m_len > 0xffff, mic_len) or a libgcrypt failure. */
EK_NODISCARD bool ek_ccmstar_encrypt(const uint8_t key[EK_SEC_KEY_LEN], const uint8_t nonce[EK_SEC_NONCE_LEN],
                                     size_t mic_len, const uint8_t *a, size_t a_len, uint8_t *m, size_t m_len,
                                     uint8_t *mic);
/* Inverse (B.4.3): decrypts c in place and checks the tag in constant time.  False on a
 * MIC mismatch (c is then zeroed, so unauthenticated plaintext never leaks), bad
 * lengths or a libgcrypt failure.  With mic_len 0 it only decrypts and returns true. */
EK_NODISCARD bool ek_ccmstar_decrypt(const uint8_t key[EK_SEC_KEY_LEN], const uint8_t nonce[EK_SEC_NONCE_LEN],
                                     size_t mic_len, const uint8_t *a, size_t a_len, uint8_t *c, size_t c_len,
                                     const uint8_t *mic);

/* ---- keys (keys.c) ---- */

/* A key and how frames name it (§9.4.4 Key Identifier; Wireshark's ieee802154_keys
 * UAT matches on the key index only). */
typedef struct ek_sec_key {
    char name[EK_SEC_NAME_MAX];   /* "K1", "annex-c", ... for reports */
    uint8_t key[EK_SEC_KEY_LEN];
    uint8_t key_id_mode;          /* 0 implicit; 1-3 match key_index (+ key_source) */
    uint8_t key_index;
    uint8_t key_source[8];        /* 4 (mode 2) or 8 (mode 3) octets, on-air order */
    uint8_t allowed_levels;       /* incoming policy (§9.2.5 security level checking): bit L
                                     = level L accepted; 0 = EK_SEC_LEVELS_WITH_MIC */
} ek_sec_key;

/* Levels 1-3 and 5-7.  Level 4 (ENC, no MIC) is off by default: flipping one bit turns
 * a level-5 frame into a level-4 frame that nothing can verify (downgrade). */
#define EK_SEC_LEVELS_WITH_MIC 0xEEu

typedef struct ek_sec_keyring {
    unsigned n;
    ek_sec_key k[EK_SEC_MAX_KEYS];
} ek_sec_keyring;

/* Named, published keys:
 *  "K1-minimal15": ASCII "6TiSCH minimal15" = 36546953434820 6d696e696d616c3135, KIM 1,
 *     key index 1.  The default K1 of Contiki-NG (os/net/mac/tsch/tsch-security.h) and
 *     OpenWSN; RFC 8180 §4.6 defines K1's role but publishes no value.
 *  "K2-contiki": deadbeeffacecafe x2, KIM 1, key index 2 (Contiki-NG's example K2).
 *  "annex-c": c0c1...cf, KIM 0, every level incl. 4 (IEEE 802.15.4-2015 Annex C.2).
 * Returns false (out untouched) for an unknown name. */
bool ek_sec_key_named(const char *name, ek_sec_key *out);
/* Names ek_sec_key_named knows, NULL-terminated. */
const char *const *ek_sec_key_names(void);
/* 32 hex digits (either case; ':' '-' or ' ' between octets allowed, one kind
 * throughout) into key[16].  False, key untouched, for anything else. */
bool ek_sec_key_parse_hex(const char *text, uint8_t key[EK_SEC_KEY_LEN]);
/* Fills *out: name (truncated), key, mode 1, index. */
void ek_sec_key_make(ek_sec_key *out, const char *name, const uint8_t key[EK_SEC_KEY_LEN], uint8_t key_index);

void ek_sec_keyring_init(ek_sec_keyring *r);
/* Adds a copy; false when full. */
bool ek_sec_keyring_add(ek_sec_keyring *r, const ek_sec_key *k);
/* The key a frame's Auxiliary Security Header names (§9.2.2 KeyDescriptor lookup,
 * simplified): same key id mode, and for modes 1-3 the same key index, and for modes
 * 2/3 the same key source.  NULL if none. */
const ek_sec_key *ek_sec_keyring_find(const ek_sec_keyring *r, const ek_wpan_sec *sec);

/* ---- whole frames (secframe.c) ---- */

/* What the nonce needs beyond the frame. */
typedef struct ek_sec_env {
    bool has_src_ext;             /* use src_ext, not the frame's source address (frames
                                     with a short or no source address need it) */
    uint8_t src_ext[8];           /* canonical order */
    uint64_t asn;                 /* 40-bit ASN, used iff ASN in Nonce is set */
} ek_sec_env;

/* Outcome details of protect/unprotect. */
typedef struct ek_sec_info {
    ek_wpan_sec sec;              /* the Auxiliary Security Header used / received */
    size_t sec_offset;            /* its offset in the secured frame */
    size_t a_len;                 /* CCM* a = secured[0..a_len) */
    size_t m_len;                 /* CCM* m = secured[a_len..a_len+m_len) (ENC levels) */
    size_t mic_len;
    size_t mic_offset;            /* = a_len + m_len */
    uint8_t nonce[EK_SEC_NONCE_LEN];
    const ek_sec_key *key;        /* unprotect: the key that was tried (NULL if none) */
    bool mic_ok;                  /* unprotect: the MIC verified (level 4: true) */
} ek_sec_info;

/* Secures an MPDU (no FCS).  `in` is either
 *  - unsecured (FCF Security Enabled = 0): the Auxiliary Security Header from *sec is
 *    inserted after the addressing fields (§7.2.1), the bit is set and a MIC appended;
 *  - a template (Security Enabled = 1, aux header present, plaintext where the
 *    ciphertext goes, mic_len placeholder octets at the end): sec is ignored (may be
 *    NULL) and the template's header is used.
 * a/m split (§9.3.5, checked with tshark): MIC-only levels: a = everything, m empty;
 * ENC levels: a = MHR incl. aux header and header IEs with their terminator (2015), or
 * MHR + open beacon fields / command id (2006), m = the rest (payload IEs, payload).
 * Nonce: ASN nonce iff ASN in Nonce (env->asn), else the frame counter nonce.  Errors:
 * decoder errors of `in`; MALFORMED "wpan.aux_sec.sec_level" (level 0),
 * "wpan.aux_sec.frame_counter_suppression" (FC suppressed without ASN nonce, or 2015
 * bits on a 2006 frame), "wpan.src64" (no extended source and no env->src_ext);
 * NOSPACE. */
EK_NODISCARD ek_status ek_sec_protect(ek_view in, const ek_wpan_sec *sec, const ek_sec_env *env,
                                      const ek_sec_key *key, const ek_profile *prof, uint8_t *out, size_t cap,
                                      size_t *out_len, ek_sec_info *info, ek_err *err);

/* Unsecures a secured MPDU (no FCS): finds the key in ring (or uses `key` when ring is
 * NULL), rebuilds the nonce, decrypts and verifies.  On success writes the plaintext
 * MPDU to out - Security Enabled cleared, aux header and MIC removed, plaintext in
 * place - so ek_wpan_decode(out) sees the payload IEs and payload.  Errors (err->field,
 * err->offset frame-absolute in `in`): decoder errors; MALFORMED "wpan.security" (not
 * secured), "wpan.aux_sec.sec_level" (level 0), "wpan.src64" (no extended source),
 * "wpan.aux_sec.frame_counter_suppression" (no nonce possible); UNSUPPORTED
 * "wpan.aux_sec.key_index" (no matching key), "wpan.aux_sec.sec_level" (the
 * key's allowed_levels refuse the level: 802.15.4 IMPROPER_SECURITY_LEVEL); MALFORMED "wpan.mic" at the MIC offset
 * when the MIC does not verify (out then holds no plaintext); NOSPACE.  out must not
 * overlap in (ek_sec_protect allows out == in.p). */
EK_NODISCARD ek_status ek_sec_unprotect(ek_view in, const ek_sec_keyring *ring, const ek_sec_key *key,
                                        const ek_sec_env *env, const ek_profile *prof, uint8_t *out, size_t cap,
                                        size_t *out_len, ek_sec_info *info, ek_err *err);

/* Octets of the Auxiliary Security Header for these settings (§9.4.1). */
size_t ek_sec_aux_len(const ek_wpan_sec *sec);

#endif /* EK_SEC_H */
