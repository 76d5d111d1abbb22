/* SPDX-License-Identifier: BSD-3-Clause */
/* OSCORE (RFC 8613) message protection for CoJP (RFC 9031 §7.3, §8): HKDF-SHA256 from
 * libgcrypt's HMAC, AES-CCM-16-64-128 from libgcrypt's CCM mode (RFC 8152 §10.2: L = 2,
 * M = 8, 13-octet nonce), hand-encoded CBOR for the few fixed structures (§3.2.1 info,
 * §5.4 external_aad, §5.3 Enc_structure), the CoAP codec for every message byte. */
#include <gcrypt.h>
#include <string.h>

#include "ek/oscore.h"
#include "ek/wr.h"

#define SHA256_LEN 32

/* libgcrypt must be initialised once per process before use (libgcrypt manual §2.4), as
 * in ccmstar.c; no secure memory (test keys, never setuid). */
static bool gcry_ready(void)
{
    if (!gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P)) {
        if (!gcry_check_version(GCRYPT_VERSION))
            return false;
        gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
        gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    }
    return true;
}

/* ---- HKDF (RFC 5869) ---- */

static bool hmac(const uint8_t *key, size_t key_len, ek_view a, ek_view b, const uint8_t *c, size_t c_len,
                 uint8_t out[SHA256_LEN])
{
    gcry_md_hd_t h;
    if (!gcry_ready() || gcry_md_open(&h, GCRY_MD_SHA256, GCRY_MD_FLAG_HMAC))
        return false;
    bool ok = gcry_md_setkey(h, key, key_len) == 0;
    if (ok) {
        if (a.len)
            gcry_md_write(h, a.p, a.len);
        if (b.len)
            gcry_md_write(h, b.p, b.len);
        if (c_len)
            gcry_md_write(h, c, c_len);
        const unsigned char *d = gcry_md_read(h, GCRY_MD_SHA256);
        ok = d != NULL;
        if (ok)
            memcpy(out, d, SHA256_LEN);
    }
    gcry_md_close(h);
    return ok;
}

bool ek_oscore_hkdf_sha256(ek_view salt, ek_view ikm, ek_view info, uint8_t *out, size_t out_len)
{
    if (out_len > 255 * SHA256_LEN)
        return false;
    /* §2.2 Extract: PRK = HMAC-Hash(salt, IKM); salt not provided = HashLen zeros (the
     * same HMAC key as the empty string, spelled out for libgcrypt's setkey). */
    static const uint8_t zeros[SHA256_LEN];
    uint8_t prk[SHA256_LEN], t[SHA256_LEN];
    const uint8_t *sk = salt.len ? salt.p : zeros;
    size_t sl = salt.len ? salt.len : sizeof zeros;
    if (!hmac(sk, sl, ikm, ek_view_make(NULL, 0), NULL, 0, prk))
        return false;
    /* §2.3 Expand: T(i) = HMAC-Hash(PRK, T(i-1) | info | i), OKM = first L octets. */
    size_t done = 0, tl = 0;
    for (uint8_t i = 1; done < out_len; i++) {
        if (!hmac(prk, sizeof prk, ek_view_make(t, tl), info, &i, 1, t)) {
            memset(prk, 0, sizeof prk);
            return false;
        }
        tl = SHA256_LEN;
        size_t n = out_len - done < SHA256_LEN ? out_len - done : SHA256_LEN;
        memcpy(out + done, t, n);
        done += n;
    }
    memset(prk, 0, sizeof prk);
    memset(t, 0, sizeof t);
    return true;
}

/* ---- CBOR pieces (RFC 8949 §3.1: major type in the top 3 bits, argument in the low 5
 * bits for values < 24, else 24 + one octet / 25 + two octets) ---- */

static void cbor_head(ek_buf *b, uint8_t major, size_t v)
{
    if (v < 24) {
        ek_wr_u8(b, "cbor", (uint8_t)(major << 5 | v));
    } else if (v < 256) {
        ek_wr_u8(b, "cbor", (uint8_t)(major << 5 | 24));
        ek_wr_u8(b, "cbor", (uint8_t)v);
    } else {
        ek_wr_u8(b, "cbor", (uint8_t)(major << 5 | 25));
        ek_wr_be16(b, "cbor", (uint16_t)v);
    }
}

static void cbor_bstr(ek_buf *b, ek_view v)
{
    cbor_head(b, 2, v.len); /* major type 2: byte string */
    ek_wr_view(b, "cbor", v);
}

static void cbor_tstr(ek_buf *b, const char *s)
{
    size_t n = strlen(s);
    cbor_head(b, 3, n); /* major type 3: text string */
    ek_wr_bytes(b, "cbor", (const uint8_t *)s, n);
}

size_t ek_oscore_info(ek_view id, const ek_view *id_context, bool iv, uint8_t *out, size_t cap)
{
    /* RFC 8613 §3.2.1: info = [ id : bstr, id_context : bstr / nil, alg_aead : int,
     * type : tstr ("Key" / "IV"), L : uint ] */
    ek_buf b;
    ek_buf_init(&b, out, cap);
    cbor_head(&b, 4, 5); /* array(5) */
    cbor_bstr(&b, iv ? ek_view_make(NULL, 0) : id);
    if (id_context)
        cbor_bstr(&b, *id_context);
    else
        ek_wr_u8(&b, "cbor", 0xF6); /* nil, RFC 8949 §3.3 simple value 22 */
    cbor_head(&b, 0, EK_OSCORE_ALG_AES_CCM_16_64_128);
    cbor_tstr(&b, iv ? "IV" : "Key");
    cbor_head(&b, 0, iv ? EK_OSCORE_NONCE_LEN : EK_OSCORE_KEY_LEN);
    return ek_buf_ok(&b) ? b.len : 0;
}

size_t ek_oscore_aad(ek_view request_kid, ek_view request_piv, uint8_t *out, size_t cap)
{
    /* RFC 8613 §5.4: aad_array = [ oscore_version : 1, algorithms : [ alg_aead ],
     * request_kid : bstr, request_piv : bstr, options : bstr (Class I, none) ] */
    uint8_t ext[64];
    ek_buf e;
    ek_buf_init(&e, ext, sizeof ext);
    cbor_head(&e, 4, 5);
    cbor_head(&e, 0, 1);
    cbor_head(&e, 4, 1);
    cbor_head(&e, 0, EK_OSCORE_ALG_AES_CCM_16_64_128);
    cbor_bstr(&e, request_kid);
    cbor_bstr(&e, request_piv);
    cbor_bstr(&e, ek_view_make(NULL, 0));
    if (!ek_buf_ok(&e))
        return 0;
    /* §5.3 / RFC 8152 §5.3: Enc_structure = [ "Encrypt0", protected : h'' (§5.3: empty),
     * external_aad : bstr ] */
    ek_buf b;
    ek_buf_init(&b, out, cap);
    cbor_head(&b, 4, 3);
    cbor_tstr(&b, "Encrypt0");
    cbor_bstr(&b, ek_view_make(NULL, 0));
    cbor_bstr(&b, ek_view_make(ext, e.len));
    return ek_buf_ok(&b) ? b.len : 0;
}

void ek_oscore_nonce(const uint8_t common_iv[EK_OSCORE_NONCE_LEN], ek_view id_piv, ek_view piv,
                     uint8_t nonce[EK_OSCORE_NONCE_LEN])
{
    /* RFC 8613 §5.2 Figure 6 (nonce length 13): size of ID_PIV (1) | ID_PIV left-padded
     * to 13 - 6 = 7 | Partial IV left-padded to 5; then XOR with the Common IV. */
    size_t il = id_piv.len > EK_OSCORE_ID_MAX ? EK_OSCORE_ID_MAX : id_piv.len;
    size_t pl = piv.len > EK_OSCORE_PIV_MAX ? EK_OSCORE_PIV_MAX : piv.len;
    memset(nonce, 0, EK_OSCORE_NONCE_LEN);
    nonce[0] = (uint8_t)il;
    if (il)
        memcpy(nonce + 1 + EK_OSCORE_ID_MAX - il, id_piv.p, il);
    if (pl)
        memcpy(nonce + EK_OSCORE_NONCE_LEN - pl, piv.p, pl);
    for (size_t i = 0; i < EK_OSCORE_NONCE_LEN; i++)
        nonce[i] ^= common_iv[i];
}

size_t ek_oscore_piv_put(uint64_t ssn, uint8_t piv[EK_OSCORE_PIV_MAX])
{
    /* §6.1: the sequence number in network byte order, minimal length, 0 is 0x00 */
    size_t n = 1;
    while (n < EK_OSCORE_PIV_MAX && (ssn >> (8 * n)) != 0)
        n++;
    for (size_t i = 0; i < n; i++)
        piv[i] = (uint8_t)(ssn >> (8 * (n - 1 - i)));
    return n;
}

static uint64_t piv_value(ek_view piv)
{
    uint64_t v = 0;
    for (size_t i = 0; i < piv.len && i < EK_OSCORE_PIV_MAX; i++)
        v = v << 8 | piv.p[i];
    return v;
}

/* ---- AES-CCM-16-64-128 (RFC 8152 §10.2) ---- */

typedef enum { CCM_OK = 0, CCM_TAG, CCM_FAIL } ccm_result;

/* Encrypts (or decrypts and verifies) buf in place; tag is written (or checked).  On a
 * failed verification buf is zeroed: no unauthenticated plaintext leaves. */
static ccm_result ccm(bool enc, const uint8_t key[EK_OSCORE_KEY_LEN], const uint8_t nonce[EK_OSCORE_NONCE_LEN],
                      const uint8_t *aad, size_t aad_len, uint8_t *buf, size_t len, uint8_t tag[EK_OSCORE_TAG_LEN])
{
    gcry_cipher_hd_t h;
    if (!gcry_ready() || gcry_cipher_open(&h, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CCM, 0))
        return CCM_FAIL;
    /* libgcrypt CCM: key, nonce (15 - L = 13 octets), then the lengths of the
     * plaintext, the AAD and the tag before any data. */
    uint64_t lens[3] = { len, aad_len, EK_OSCORE_TAG_LEN };
    ccm_result r = CCM_FAIL;
    if (gcry_cipher_setkey(h, key, EK_OSCORE_KEY_LEN) == 0 && gcry_cipher_setiv(h, nonce, EK_OSCORE_NONCE_LEN) == 0 &&
        gcry_cipher_ctl(h, GCRYCTL_SET_CCM_LENGTHS, lens, sizeof lens) == 0 &&
        gcry_cipher_authenticate(h, aad, aad_len) == 0) {
        if (enc) {
            if (gcry_cipher_encrypt(h, buf, len, NULL, 0) == 0 && gcry_cipher_gettag(h, tag, EK_OSCORE_TAG_LEN) == 0)
                r = CCM_OK;
        } else if (gcry_cipher_decrypt(h, buf, len, NULL, 0) == 0) {
            gcry_error_t e = gcry_cipher_checktag(h, tag, EK_OSCORE_TAG_LEN);
            r = e == 0 ? CCM_OK : gcry_err_code(e) == GPG_ERR_CHECKSUM ? CCM_TAG : CCM_FAIL;
        }
    }
    gcry_cipher_close(h);
    if (r != CCM_OK && !enc)
        memset(buf, 0, len);
    return r;
}

/* ---- contexts ---- */

static bool derive_one(const ek_oscore_params *p, ek_view id, bool iv, uint8_t *out, size_t n)
{
    uint8_t info[16 + EK_OSCORE_ID_MAX + EK_OSCORE_ID_CONTEXT_MAX];
    size_t il = ek_oscore_info(id, p->has_id_context ? &p->id_context : NULL, iv, info, sizeof info);
    return il && ek_oscore_hkdf_sha256(p->master_salt, p->master_secret, ek_view_make(info, il), out, n);
}

ek_status ek_oscore_derive(const ek_oscore_params *p, ek_oscore_ctx *out, ek_err *err)
{
    ek_err_clear(err);
    if (p->master_secret.len == 0)
        return ek_err_set(err, EK_ERR_MALFORMED, "oscore.master_secret", 0);
    if (p->sender_id.len > EK_OSCORE_ID_MAX)
        return ek_err_set(err, EK_ERR_MALFORMED, "oscore.sender_id", 0);
    if (p->recipient_id.len > EK_OSCORE_ID_MAX)
        return ek_err_set(err, EK_ERR_MALFORMED, "oscore.recipient_id", 0);
    if (p->has_id_context && p->id_context.len > EK_OSCORE_ID_CONTEXT_MAX)
        return ek_err_set(err, EK_ERR_UNSUPPORTED, "oscore.id_context", 0);
    ek_oscore_ctx c;
    memset(&c, 0, sizeof c);
    c.sender_id_len = (uint8_t)p->sender_id.len;
    if (c.sender_id_len)
        memcpy(c.sender_id, p->sender_id.p, c.sender_id_len);
    c.recipient_id_len = (uint8_t)p->recipient_id.len;
    if (c.recipient_id_len)
        memcpy(c.recipient_id, p->recipient_id.p, c.recipient_id_len);
    c.has_id_context = p->has_id_context;
    if (p->has_id_context) {
        c.id_context_len = (uint8_t)p->id_context.len;
        if (c.id_context_len)
            memcpy(c.id_context, p->id_context.p, c.id_context_len);
    }
    /* §3.2.1: Sender Key from the Sender ID, Recipient Key from the Recipient ID, Common
     * IV with an empty id; key lengths of alg 10. */
    if (!derive_one(p, p->sender_id, false, c.sender_key, EK_OSCORE_KEY_LEN) ||
        !derive_one(p, p->recipient_id, false, c.recipient_key, EK_OSCORE_KEY_LEN) ||
        !derive_one(p, ek_view_make(NULL, 0), true, c.common_iv, EK_OSCORE_NONCE_LEN))
        return ek_err_set(err, EK_ERR_UNSUPPORTED, "oscore.crypto", 0);
    ek_oscore_replay_init(&c.replay);
    *out = c;
    return EK_OK;
}

ek_status ek_oscore_cojp_context(ek_oscore_cojp_role role, ek_view psk, ek_view pledge_id, ek_oscore_ctx *out,
                                 ek_err *err)
{
    /* RFC 9031 §7.3: Master Secret = PSK, Master Salt = empty, ID Context = pledge
     * identifier, pledge ID = empty string, JRC ID = 0x4a5243 ("JRC"). */
    ek_view jrc = ek_view_make((const uint8_t *)EK_OSCORE_COJP_JRC_ID, 3), none = ek_view_make(NULL, 0);
    ek_oscore_params p;
    memset(&p, 0, sizeof p);
    p.master_secret = psk;
    p.has_id_context = true;
    p.id_context = pledge_id;
    p.sender_id = role == EK_OSCORE_COJP_PLEDGE ? none : jrc;
    p.recipient_id = role == EK_OSCORE_COJP_PLEDGE ? jrc : none;
    ek_status st = ek_oscore_derive(&p, out, err);
    if (st == EK_OK)
        out->send_kid_context = role == EK_OSCORE_COJP_PLEDGE; /* §7.3: kid context = pledge ID */
    return st;
}

/* ---- message protection (§8) ---- */

/* RFC 8613 §4.1 Figure 5: Class U options stay outer.  Proxy-Uri (U, decomposed per
 * §4.1.3.3) and Observe (U and E, §4.1.3.5) are refused by the callers; every other
 * option, known or not, is Class E (§4.1: "Unless specified otherwise, CoAP options
 * not listed in Figure 5 SHALL be processed as Class E"), including the E+U ones
 * (Max-Age, Block1/2, Size1/2), whose outer copies enrollkit never needs. */
static bool class_u(uint16_t number)
{
    return number == EK_COAP_OPT_URI_HOST || number == EK_COAP_OPT_URI_PORT ||
           number == EK_COAP_OPT_PROXY_SCHEME || number == EK_COAP_OPT_OSCORE;
}

static bool is_request_code(uint8_t code)
{
    return code != EK_COAP_EMPTY && EK_COAP_CODE_CLASS(code) == 0;
}

static bool is_response_code(uint8_t code)
{
    return EK_COAP_CODE_CLASS(code) >= 2 && EK_COAP_CODE_CLASS(code) <= 5;
}

/* The AEAD input of one protected message. */
typedef struct seal_in {
    const uint8_t *key;
    uint8_t nonce[EK_OSCORE_NONCE_LEN];
    ek_view aad_kid, aad_piv;
    uint8_t outer_code;
    ek_oscore_opt opt;
} seal_in;

/* §8.1 / §8.3 steps 2-5: plaintext = code | Class E options | [0xFF payload] (§5.3),
 * encrypted; outer message = header, Class U options + OSCORE option, 0xFF ciphertext. */
static ek_status seal(const seal_in *s, const ek_coap_msg *m, uint8_t *out, size_t cap, size_t *out_len, ek_err *err)
{
    ek_coap_msg outer;
    ek_coap_msg_init(&outer);
    outer.type = m->type;
    outer.mid = m->mid;
    outer.token = m->token;
    outer.code = s->outer_code;
    ek_coap_opt inner[EK_COAP_MAX_OPTS];
    unsigned ni = 0;
    for (unsigned i = 0; i < m->n_opts; i++) {
        const ek_coap_opt *o = &m->opts[i];
        if (o->number == EK_COAP_OPT_OBSERVE)
            return ek_err_set(err, EK_ERR_UNSUPPORTED, "oscore.observe", o->offset);
        if (o->number == EK_COAP_OPT_PROXY_URI)
            return ek_err_set(err, EK_ERR_UNSUPPORTED, "oscore.proxy_uri", o->offset);
        if (class_u(o->number))
            outer.opts[outer.n_opts++] = *o;
        else
            inner[ni++] = *o;
    }
    uint8_t optval[1 + EK_OSCORE_PIV_MAX + 1 + 255 + EK_OSCORE_ID_MAX];
    ek_buf ob;
    ek_buf_init(&ob, optval, sizeof optval);
    ek_status st = ek_oscore_opt_encode(&s->opt, NULL, &ob, err);
    if (st != EK_OK)
        return st;
    if (!ek_coap_opt_add(&outer, EK_COAP_OPT_OSCORE, ek_view_make(optval, ob.len)))
        return ek_err_set(err, EK_ERR_UNSUPPORTED, "coap.opt", 0);

    uint8_t pt[EK_OSCORE_MSG_MAX + EK_OSCORE_TAG_LEN];
    ek_buf pb;
    ek_buf_init(&pb, pt, EK_OSCORE_MSG_MAX);
    ek_wr_u8(&pb, "oscore.plaintext", m->code);
    if (ek_coap_opts_encode(inner, ni, m->payload, &pb, err) != EK_OK)
        return ek_err_set(err, EK_ERR_NOSPACE, "oscore.plaintext", 0);
    uint8_t aad[96];
    size_t al = ek_oscore_aad(s->aad_kid, s->aad_piv, aad, sizeof aad);
    if (!al || ccm(true, s->key, s->nonce, aad, al, pt, pb.len, pt + pb.len) != CCM_OK)
        return ek_err_set(err, EK_ERR_UNSUPPORTED, "oscore.crypto", 0);
    outer.payload = ek_view_make(pt, pb.len + EK_OSCORE_TAG_LEN);
    ek_buf b;
    ek_buf_init(&b, out, cap);
    st = ek_coap_encode(&outer, NULL, &b, err);
    if (st == EK_OK)
        *out_len = b.len;
    memset(pt, 0, sizeof pt);
    return st;
}

/* Decodes `in` and refuses a message that already carries an OSCORE option. */
static ek_status plain_decode(ek_view in, ek_coap_msg *m, ek_err *err)
{
    ek_status st = ek_coap_decode(in, 0, NULL, m, err);
    if (st != EK_OK)
        return st;
    const ek_coap_opt *o = ek_coap_opt_find(m, EK_COAP_OPT_OSCORE, NULL);
    if (o)
        return ek_err_set(err, EK_ERR_UNSUPPORTED, "oscore.option", o->offset);
    return EK_OK;
}

ek_status ek_oscore_protect_request(ek_oscore_ctx *ctx, ek_view in, uint8_t *out, size_t cap, size_t *out_len,
                                    ek_oscore_req *req, ek_err *err)
{
    ek_err_clear(err);
    ek_coap_msg m;
    ek_status st = plain_decode(in, &m, err);
    if (st != EK_OK)
        return st;
    if (!is_request_code(m.code))
        return ek_err_set(err, EK_ERR_MALFORMED, "coap.code", 1);
    if (ctx->ssn > EK_OSCORE_SSN_MAX) /* §7.2.1: the context must not be used any more */
        return ek_err_set(err, EK_ERR_UNSUPPORTED, "oscore.ssn", 0);
    uint8_t piv[EK_OSCORE_PIV_MAX];
    size_t pl = ek_oscore_piv_put(ctx->ssn, piv);
    ek_view sid = ek_view_make(ctx->sender_id, ctx->sender_id_len);
    seal_in s;
    memset(&s, 0, sizeof s);
    s.key = ctx->sender_key;
    ek_oscore_nonce(ctx->common_iv, sid, ek_view_make(piv, pl), s.nonce); /* §5.2: own ID */
    s.aad_kid = sid;                                                       /* §5.4 */
    s.aad_piv = ek_view_make(piv, pl);
    s.outer_code = EK_COAP_POST; /* §4.2: outer code of a request without Observe */
    s.opt.piv = ek_view_make(piv, pl);
    s.opt.has_kid = true; /* §6.1: kid in requests, even when empty (RFC 9031 §7.3) */
    s.opt.kid = sid;
    if (ctx->send_kid_context && ctx->has_id_context) {
        s.opt.has_kid_context = true;
        s.opt.kid_context = ek_view_make(ctx->id_context, ctx->id_context_len);
    }
    st = seal(&s, &m, out, cap, out_len, err);
    if (st != EK_OK)
        return st;
    ctx->ssn++;
    if (req) {
        memset(req, 0, sizeof *req);
        req->kid_len = ctx->sender_id_len;
        memcpy(req->kid, ctx->sender_id, ctx->sender_id_len);
        req->piv_len = (uint8_t)pl;
        memcpy(req->piv, piv, pl);
        memcpy(req->nonce, s.nonce, EK_OSCORE_NONCE_LEN);
    }
    return EK_OK;
}

ek_status ek_oscore_protect_response(ek_oscore_ctx *ctx, const ek_oscore_req *req, bool with_piv, ek_view in,
                                     uint8_t *out, size_t cap, size_t *out_len, ek_err *err)
{
    ek_err_clear(err);
    ek_coap_msg m;
    ek_status st = plain_decode(in, &m, err);
    if (st != EK_OK)
        return st;
    if (!is_response_code(m.code))
        return ek_err_set(err, EK_ERR_MALFORMED, "coap.code", 1);
    seal_in s;
    memset(&s, 0, sizeof s);
    s.key = ctx->sender_key;
    s.aad_kid = ek_view_make(req->kid, req->kid_len); /* §5.4: always the request's */
    s.aad_piv = ek_view_make(req->piv, req->piv_len);
    s.outer_code = EK_COAP_CHANGED; /* §4.2: outer code of a response without Observe */
    uint8_t piv[EK_OSCORE_PIV_MAX];
    if (with_piv) {
        if (ctx->ssn > EK_OSCORE_SSN_MAX)
            return ek_err_set(err, EK_ERR_UNSUPPORTED, "oscore.ssn", 0);
        size_t pl = ek_oscore_piv_put(ctx->ssn, piv);
        s.opt.piv = ek_view_make(piv, pl);
        ek_oscore_nonce(ctx->common_iv, ek_view_make(ctx->sender_id, ctx->sender_id_len), s.opt.piv, s.nonce);
    } else {
        memcpy(s.nonce, req->nonce, EK_OSCORE_NONCE_LEN); /* §8.3: the request's nonce */
    }
    st = seal(&s, &m, out, cap, out_len, err);
    if (st == EK_OK && with_piv)
        ctx->ssn++;
    return st;
}

/* The outer message and its OSCORE option, located for unprotect. */
typedef struct opened {
    ek_coap_msg outer;
    ek_oscore_opt opt;
    size_t opt_at;        /* frame-absolute offset of the OSCORE option value */
    uint8_t pt[EK_OSCORE_MSG_MAX];
    size_t pt_len;
    ek_coap_msg inner;    /* opts/payload decoded from pt + 1 */
} opened;

static ek_status open_outer(ek_view in, size_t origin, opened *o, ek_err *err)
{
    ek_status st = ek_coap_decode(in, origin, NULL, &o->outer, err);
    if (st != EK_OK)
        return st;
    const ek_coap_opt *a = ek_coap_opt_find(&o->outer, EK_COAP_OPT_OSCORE, NULL);
    if (!a) /* not an OSCORE message (RFC 9031 §7.3.2: discard) */
        return ek_err_set(err, EK_ERR_MALFORMED, "oscore.option", origin);
    const ek_coap_opt *again = ek_coap_opt_find(&o->outer, EK_COAP_OPT_OSCORE, a);
    if (again) /* RFC 7252 §5.4.5: OSCORE is not repeatable */
        return ek_err_set(err, EK_ERR_MALFORMED, "oscore.option", again->offset);
    o->opt_at = origin + (size_t)(a->value.p - in.p);
    return ek_oscore_opt_decode(a->value, o->opt_at, NULL, &o->opt, err);
}

/* §8.2 steps 5-8 / §8.4: decrypt, check, rebuild the unprotected message. */
static ek_status open_payload(opened *o, const uint8_t key[EK_OSCORE_KEY_LEN], const uint8_t nonce[EK_OSCORE_NONCE_LEN],
                              ek_view aad_kid, ek_view aad_piv, bool request, ek_view in, size_t origin, uint8_t *out,
                              size_t cap, size_t *out_len, ek_err *err)
{
    ek_view c = o->outer.payload;
    size_t c_at = c.len ? o->outer.payload_offset : origin + in.len;
    if (c.len < 1 + EK_OSCORE_TAG_LEN) /* §5.3: at least the code, then the tag */
        return ek_err_set(err, EK_ERR_MALFORMED, "oscore.ciphertext", c_at);
    size_t n = c.len - EK_OSCORE_TAG_LEN;
    if (n > sizeof o->pt)
        return ek_err_set(err, EK_ERR_UNSUPPORTED, "oscore.ciphertext", c_at);
    memcpy(o->pt, c.p, n);
    uint8_t tag[EK_OSCORE_TAG_LEN], aad[96];
    memcpy(tag, c.p + n, EK_OSCORE_TAG_LEN);
    size_t al = ek_oscore_aad(aad_kid, aad_piv, aad, sizeof aad);
    ccm_result r = al ? ccm(false, key, nonce, aad, al, o->pt, n, tag) : CCM_FAIL;
    if (r == CCM_TAG)
        return ek_err_set(err, EK_ERR_MALFORMED, "oscore.tag", c_at + n);
    if (r != CCM_OK)
        return ek_err_set(err, EK_ERR_UNSUPPORTED, "oscore.crypto", c_at);
    o->pt_len = n;
    uint8_t code = o->pt[0];
    if (request ? !is_request_code(code) : !is_response_code(code))
        return ek_err_set(err, EK_ERR_MALFORMED, "coap.code", c_at);
    ek_status st = ek_coap_opts_decode(ek_view_make(o->pt + 1, n - 1), c_at + 1, &o->inner, err);
    if (st != EK_OK)
        return st;
    /* §8.2 step 6 / §8.4 step 6: the decrypted code, options and payload replace the
     * outer ones; Class U outer options stay; OSCORE (and any outer Class E option: not
     * integrity protected, §4.1) are dropped. */
    ek_coap_msg m;
    ek_coap_msg_init(&m);
    m.type = o->outer.type;
    m.mid = o->outer.mid;
    m.token = o->outer.token;
    m.code = code;
    for (unsigned i = 0; i < o->outer.n_opts; i++) {
        const ek_coap_opt *x = &o->outer.opts[i];
        if (class_u(x->number) && x->number != EK_COAP_OPT_OSCORE && !ek_coap_opt_add(&m, x->number, x->value))
            return ek_err_set(err, EK_ERR_UNSUPPORTED, "coap.opt", x->offset);
    }
    for (unsigned i = 0; i < o->inner.n_opts; i++) {
        const ek_coap_opt *x = &o->inner.opts[i];
        if (x->number == EK_COAP_OPT_OSCORE) /* an OSCORE option inside OSCORE */
            return ek_err_set(err, EK_ERR_MALFORMED, "oscore.option", x->offset);
        if (!ek_coap_opt_add(&m, x->number, x->value))
            return ek_err_set(err, EK_ERR_UNSUPPORTED, "coap.opt", x->offset);
    }
    m.payload = o->inner.payload;
    ek_buf b;
    ek_buf_init(&b, out, cap);
    st = ek_coap_encode(&m, NULL, &b, err);
    if (st == EK_OK)
        *out_len = b.len;
    return st;
}

static bool view_eq(ek_view a, const uint8_t *b, size_t bl)
{
    return a.len == bl && (bl == 0 || memcmp(a.p, b, bl) == 0);
}

ek_status ek_oscore_unprotect_request(ek_oscore_ctx *ctx, ek_view in, size_t origin, uint8_t *out, size_t cap,
                                      size_t *out_len, ek_oscore_req *req, ek_err *err)
{
    ek_err_clear(err);
    static const opened zero;
    opened o = zero;
    ek_status st = open_outer(in, origin, &o, err);
    if (st != EK_OK)
        return st;
    if (!is_request_code(o.outer.code))
        return ek_err_set(err, EK_ERR_MALFORMED, "coap.code", origin + 1);
    /* §6.1: a request carries its Partial IV and kid (RFC 9031 §7.3: the pledge's empty
     * kid with the k flag set) */
    if (o.opt.piv.len == 0)
        return ek_err_set(err, EK_ERR_MALFORMED, "oscore.piv", o.opt_at);
    if (!o.opt.has_kid)
        return ek_err_set(err, EK_ERR_MALFORMED, "oscore.kid", o.opt_at);
    /* §8.2 step 2: the context is the one whose Recipient ID is kid (and ID Context the
     * kid context, when sent) */
    if (!view_eq(o.opt.kid, ctx->recipient_id, ctx->recipient_id_len))
        return ek_err_set(err, EK_ERR_UNSUPPORTED, "oscore.kid", o.opt_at);
    if (o.opt.has_kid_context &&
        (!ctx->has_id_context || !view_eq(o.opt.kid_context, ctx->id_context, ctx->id_context_len)))
        return ek_err_set(err, EK_ERR_UNSUPPORTED, "oscore.kid_context", o.opt_at);
    uint64_t piv = piv_value(o.opt.piv);
    if (!ek_oscore_replay_check(&ctx->replay, piv)) /* §8.2 step 3, §7.4 */
        return ek_err_set(err, EK_ERR_MALFORMED, "oscore.replay", o.opt_at + 1);
    uint8_t nonce[EK_OSCORE_NONCE_LEN];
    ek_oscore_nonce(ctx->common_iv, o.opt.kid, o.opt.piv, nonce);
    st = open_payload(&o, ctx->recipient_key, nonce, o.opt.kid, o.opt.piv, true, in, origin, out, cap, out_len, err);
    memset(o.pt, 0, sizeof o.pt);
    if (st != EK_OK)
        return st;
    ek_oscore_replay_accept(&ctx->replay, piv); /* §7.4: only after verification */
    if (req) {
        memset(req, 0, sizeof *req);
        req->kid_len = (uint8_t)o.opt.kid.len;
        if (req->kid_len)
            memcpy(req->kid, o.opt.kid.p, req->kid_len);
        req->piv_len = (uint8_t)o.opt.piv.len;
        memcpy(req->piv, o.opt.piv.p, req->piv_len);
        memcpy(req->nonce, nonce, EK_OSCORE_NONCE_LEN);
    }
    return EK_OK;
}

ek_status ek_oscore_unprotect_response(const ek_oscore_ctx *ctx, const ek_oscore_req *req, ek_view in, size_t origin,
                                       uint8_t *out, size_t cap, size_t *out_len, ek_err *err)
{
    ek_err_clear(err);
    static const opened zero;
    opened o = zero;
    ek_status st = open_outer(in, origin, &o, err);
    if (st != EK_OK)
        return st;
    if (!is_response_code(o.outer.code))
        return ek_err_set(err, EK_ERR_MALFORMED, "coap.code", origin + 1);
    uint8_t nonce[EK_OSCORE_NONCE_LEN];
    if (o.opt.piv.len) /* §8.4 step 4: the server's own Partial IV and ID */
        ek_oscore_nonce(ctx->common_iv, ek_view_make(ctx->recipient_id, ctx->recipient_id_len), o.opt.piv, nonce);
    else /* §8.3: the request's nonce */
        memcpy(nonce, req->nonce, EK_OSCORE_NONCE_LEN);
    st = open_payload(&o, ctx->recipient_key, nonce, ek_view_make(req->kid, req->kid_len),
                      ek_view_make(req->piv, req->piv_len), false, in, origin, out, cap, out_len, err);
    memset(o.pt, 0, sizeof o.pt);
    return st;
}

/* ---- replay window (§7.4) ---- */

void ek_oscore_replay_init(ek_oscore_replay *w)
{
    memset(w, 0, sizeof *w);
}

bool ek_oscore_replay_check(const ek_oscore_replay *w, uint64_t piv)
{
    if (piv > EK_OSCORE_SSN_MAX)
        return false;
    if (!w->any || piv > w->top)
        return true;
    uint64_t age = w->top - piv;
    if (age >= EK_OSCORE_REPLAY_WINDOW) /* older than the window: reject (§7.4) */
        return false;
    return !((w->seen >> age) & 1);
}

void ek_oscore_replay_accept(ek_oscore_replay *w, uint64_t piv)
{
    if (!w->any) {
        w->any = true;
        w->top = piv;
        w->seen = 1;
    } else if (piv > w->top) {
        uint64_t shift = piv - w->top;
        w->seen = shift >= EK_OSCORE_REPLAY_WINDOW ? 0 : w->seen << shift;
        w->seen |= 1;
        w->top = piv;
    } else if (w->top - piv < EK_OSCORE_REPLAY_WINDOW) {
        w->seen |= (uint64_t)1 << (w->top - piv);
    }
}

static void put_be(uint8_t *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

static uint64_t get_be(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

void ek_oscore_state_save(const ek_oscore_ctx *ctx, uint8_t out[EK_OSCORE_STATE_LEN])
{
    bool spent = ctx->ssn > EK_OSCORE_SSN_MAX; /* 2^40 does not fit in 5 octets */
    out[0] = 1;
    put_be(out + 1, spent ? 0 : ctx->ssn, 5);
    out[6] = (uint8_t)((ctx->replay.any ? 1 : 0) | (spent ? 2 : 0));
    put_be(out + 7, ctx->replay.top, 5);
    put_be(out + 12, ctx->replay.seen, 8);
}

bool ek_oscore_state_load(ek_oscore_ctx *ctx, const uint8_t *in, size_t len)
{
    if (len != EK_OSCORE_STATE_LEN || in[0] != 1 || (in[6] & ~3u) != 0)
        return false;
    ek_oscore_replay w;
    w.any = in[6] & 1;
    w.top = get_be(in + 7, 5);
    w.seen = get_be(in + 12, 8);
    uint64_t ssn = get_be(in + 1, 5);
    if (in[6] & 2) {
        if (ssn != 0)
            return false;
        ssn = EK_OSCORE_SSN_MAX + 1;
    }
    if (!w.any && (w.top || w.seen))
        return false;
    if (w.any && !(w.seen & 1)) /* top itself was accepted */
        return false;
    ctx->ssn = ssn;
    ctx->replay = w;
    return true;
}
