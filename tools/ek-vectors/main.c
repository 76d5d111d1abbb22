/* SPDX-License-Identifier: BSD-3-Clause */
/* ek-vectors: list, show, regenerate and verify the shared CBOR test vectors
 * (docs/vectors.md): manifest -> pcap (+ .expect sidecar) -> re-read == manifest, and
 * manifest frame -> ek_cap_decap + ek_frame_decode == the manifest's expectation. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ek/decap.h"
#include "ek/fields.h"
#include "ek/frame.h"
#include "ek/pcapio.h"
#include "ek/sec.h"
#include "manifest.h"

#define DEFAULT_DIR "vectors/manifests"
#define DEFAULT_OUT "vectors/pcap"
/* Fixed capture time (2025-01-01T00:00:00Z) so regenerated files are byte-stable. */
#define TS_BASE 1735689600u

static const char usage[] =
    "NAME\n"
    "    ek-vectors - list, show, regenerate and verify enrollkit test vectors\n"
    "\n"
    "SYNOPSIS\n"
    "    ek-vectors list [DIR]\n"
    "    ek-vectors show FILE.cbor\n"
    "    ek-vectors pcap [--out OUTDIR] [DIR]\n"
    "    ek-vectors verify [--out OUTDIR] [DIR]\n"
    "    ek-vectors --help\n"
    "\n"
    "DESCRIPTION\n"
    "    A test vector is one CBOR manifest, DIR/<id>.cbor: a map with the text keys\n"
    "    \"id\" (equal to the file stem), \"description\", \"refs\" (spec references),\n"
    "    \"linktype\" (pcap link type), \"frame\" (the whole pcap record: for 195 the MPDU\n"
    "    with its FCS, for ZEP the Ethernet/IP/UDP/ZEP packet), \"wellformed\", optional\n"
    "    \"profile\" {\"ep_type\", \"ep_profile\", \"ie_profile\", \"contexts\", \"keys\"} (contexts:\n"
    "    an array of \"N=PREFIX/LEN\" 6LoWPAN contexts, e.g. \"0=fd00::/64\", N 0..15 ascending;\n"
    "    keys: an array of {\"name\", \"key\" (16 octets, AES-128), \"key_index\" (1..255)}\n"
    "    link-layer keys, key id mode 1, ascending key_index: a vector with keys is secured\n"
    "    and its expectations are those of the plaintext frame),\n"
    "    \"expect\" (enroll-decode --json key -> value) and, for malformed vectors,\n"
    "    \"error\" {\"code\", \"field\", \"offset\"} or an array of such maps.  Manifests are read strictly: an unknown,\n"
    "    missing or mistyped key is an error naming the key.\n"
    "\n"
    "    DIR defaults to " DEFAULT_DIR " and OUTDIR to " DEFAULT_OUT ".\n"
    "\n";
/* Second half (ISO C keeps a string literal under 4095 octets). */
static const char usage2[] =
    "COMMANDS\n"
    "    list [DIR]\n"
    "        One line per vector, sorted by file name: id, link type, wellformed (yes/no),\n"
    "        profile (ep_type/ep_profile/ie_profile, or \"default\", then any contexts as\n"
    "        ctx[N=PREFIX/LEN ...] and keys as keys[NAME/INDEX ...]), description.\n"
    "\n"
    "    show FILE.cbor\n"
    "        Every manifest field (one context: line per 6LoWPAN context, one key: line\n"
    "        per link-layer key with its index and hex value), a hex dump of\n"
    "        the frame, and where the decapsulated MPDU and FCS sit in it.\n"
    "\n"
    "    pcap [--out OUTDIR] [DIR]\n"
    "        Regenerates OUTDIR/<id>.pcap (classic pcap, one record, the manifest's link\n"
    "        type) and OUTDIR/<id>.expect for every manifest, plus one\n"
    "        OUTDIR/wellformed-<linktype>.pcap per link type holding every well-formed\n"
    "        vector of that link type in name order.  A .expect file has one key=value\n"
    "        line per expectation (integers in decimal, booleans 0/1, text as is), then\n"
    "        id=, linktype=, wellformed=0/1, profile_ep=, profile_ie=, ep_type=<decimal>,\n"
    "        then context.N=PREFIX/LEN for each 6LoWPAN context (what to pass as\n"
    "        enroll-decode --context N=PREFIX/LEN and tshark -o 6lowpan.contextN:PREFIX/LEN)\n"
    "        and error.N=CODE,FIELD,OFFSET for each expected error.  A secured vector (one\n"
    "        with keys) also gets key.N=HEX,INDEX per key (what to pass as tshark -o\n"
    "        'uat:ieee802154_keys:\"HEX\",\"INDEX\",\"No hash\"') and mic=verified (the MIC\n"
    "        must verify) or mic=rejected (the vector expects MALFORMED wpan.mic).\n"
    "\n"
    "    verify [--out OUTDIR] [DIR]\n"
    "        Prints TAP (one test point per manifest and per wellformed-<linktype>.pcap).\n"
    "        For each manifest: OUTDIR/<id>.pcap must hold exactly the manifest frame\n"
    "        and link type; the frame is decapsulated and decoded with the manifest's\n"
    "        profile and 6LoWPAN contexts; a secured vector is first unprotected with\n"
    "        ek_sec_unprotect and its keys (ASN nonce: the TAP ASN TLV, else ASN 0): with\n"
    "        mic=verified the MIC must verify and the PLAINTEXT is decoded (with the FCS\n"
    "        verdict of the captured frame), with mic=rejected MALFORMED wpan.mic is\n"
    "        recorded at the MIC offset and the secured frame itself is decoded; every\n"
    "        \"expect\" key must be present with the\n"
    "        expected value; a well-formed vector must decode without errors, and each\n"
    "        expected error (code, field, offset) must be among the recorded ones; offsets\n"
    "        count from the start of the pcap record, as in enroll-decode --json.  Failures read\n"
    "        \"not ok N - ID: field F: expected X vs actual Y\".\n"
    "\n"
    "OPTIONS\n"
    "    --out OUTDIR   where pcap writes and verify reads the generated files\n"
    "    -h, --help     show this help\n"
    "\n"
    "EXIT STATUS\n"
    "    0 success; 1 a manifest is invalid, a file cannot be read or written, or a\n"
    "    verification failed; 2 usage error.\n"
    "\n"
    "EXAMPLES\n"
    "    ek-vectors list\n"
    "    ek-vectors pcap --out /tmp/vp vectors/manifests && ek-vectors verify --out /tmp/vp\n"
    "    tshark -r vectors/pcap/wellformed-195.pcap -V\n";

static int usage_error(const char *msg)
{
    fprintf(stderr, "ek-vectors: %s\nTry 'ek-vectors --help'.\n", msg);
    return 2;
}

/* Loaded manifests of a directory, in name order. */
typedef struct vec_set {
    ek_vec *v;
    size_t n;
    unsigned bad; /* manifests that failed to load (reported on stderr) */
} vec_set;

static void set_free(vec_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        ek_vec_free(&s->v[i]);
    free(s->v);
}

static bool load_dir(const char *dir, vec_set *s)
{
    ek_vec_paths p;
    char eb[512];
    memset(s, 0, sizeof *s);
    if (!ek_vec_list_dir(dir, &p, eb, sizeof eb)) {
        fprintf(stderr, "ek-vectors: %s\n", eb);
        return false;
    }
    s->v = calloc(p.n ? p.n : 1, sizeof *s->v);
    if (!s->v) {
        ek_vec_paths_free(&p);
        fprintf(stderr, "ek-vectors: out of memory\n");
        return false;
    }
    for (size_t i = 0; i < p.n; i++) {
        if (ek_vec_load(p.path[i], &s->v[s->n], eb, sizeof eb))
            s->n++;
        else {
            fprintf(stderr, "ek-vectors: %s\n", eb);
            s->bad++;
        }
    }
    ek_vec_paths_free(&p);
    return true;
}

static const char *profile_text(const ek_vec *v, char *buf, size_t n)
{
    if (!v->has_profile)
        snprintf(buf, n, "default");
    else
        snprintf(buf, n, "0x%02x/%s/%s", v->ep_type, v->ep_profile, v->ie_profile);
    bool first = true;
    for (unsigned i = 0; i < EK_LOWPAN_CONTEXTS; i++) {
        size_t l = strlen(buf);
        if (v->contexts[i][0] && l < n)
            snprintf(buf + l, n - l, "%s%u=%s", first ? " ctx[" : " ", i, v->contexts[i]);
        first = first && !v->contexts[i][0];
    }
    size_t l = strlen(buf);
    if (!first && l < n)
        snprintf(buf + l, n - l, "]");
    for (unsigned i = 0; i < v->n_keys; i++) {
        l = strlen(buf);
        if (l < n)
            snprintf(buf + l, n - l, "%s%s/%u%s", i ? " " : " keys[", v->keys[i].name, v->keys[i].key_index,
                     i + 1 == v->n_keys ? "]" : "");
    }
    return buf;
}

#define PROFILE_TEXT_MAX \
    (96 + EK_LOWPAN_CONTEXTS * (4 + EK_VEC_CONTEXT_MAX) + EK_VEC_MAX_KEYS * (12 + EK_VEC_KEY_NAME_MAX))

static int cmd_list(const char *dir)
{
    vec_set s;
    char pb[PROFILE_TEXT_MAX];
    if (!load_dir(dir, &s))
        return 1;
    for (size_t i = 0; i < s.n; i++) {
        const ek_vec *v = &s.v[i];
        printf("%-32s %3u %-3s %-34s %s\n", v->id, v->linktype, v->wellformed ? "yes" : "no",
               profile_text(v, pb, sizeof pb), v->description);
    }
    int rc = s.bad ? 1 : 0;
    set_free(&s);
    return rc;
}

static void hexdump(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i += 16) {
        printf("    %04zx ", i);
        for (size_t j = i; j < i + 16 && j < n; j++)
            printf(" %02x", p[j]);
        printf("\n");
    }
}

static const char *key_hex(const uint8_t k[EK_VEC_KEY_LEN], char out[2 * EK_VEC_KEY_LEN + 1])
{
    for (int i = 0; i < EK_VEC_KEY_LEN; i++)
        snprintf(out + 2 * i, 3, "%02x", k[i]);
    return out;
}

/* What a secured vector says about its MIC: "rejected" when it expects MALFORMED
 * wpan.mic, else "verified"; NULL for a vector without keys. */
static const char *mic_expect(const ek_vec *v)
{
    if (!v->n_keys)
        return NULL;
    for (unsigned i = 0; i < v->n_errors; i++)
        if (v->errors[i].code == EK_ERR_MALFORMED && !strcmp(v->errors[i].field, "wpan.mic"))
            return "rejected";
    return "verified";
}

static int cmd_show(const char *path)
{
    ek_vec v;
    char eb[512], pb[PROFILE_TEXT_MAX], vb[EK_VEC_TEXT_MAX + 8];
    if (!ek_vec_load(path, &v, eb, sizeof eb)) {
        fprintf(stderr, "ek-vectors: %s\n", eb);
        return 1;
    }
    printf("id:          %s\n", v.id);
    printf("description: %s\n", v.description);
    for (unsigned i = 0; i < v.n_refs; i++)
        printf("ref:         %s\n", v.refs[i]);
    printf("linktype:    %u (%s)\n", v.linktype, ek_cap_linktype_name((int)v.linktype));
    printf("wellformed:  %s\n", v.wellformed ? "yes" : "no");
    printf("profile:     %s%s\n", profile_text(&v, pb, sizeof pb),
           v.has_profile ? "" : " (0x2a/draft-16/rfc9032-literal)");
    for (unsigned i = 0; i < EK_LOWPAN_CONTEXTS; i++)
        if (v.contexts[i][0])
            printf("context:     %u = %s (RFC 6282 §3.1.2)\n", i, v.contexts[i]);
    for (unsigned i = 0; i < v.n_keys; i++) {
        char hx[2 * EK_VEC_KEY_LEN + 1];
        printf("key:         %s, key id mode 1, key index %u = %s\n", v.keys[i].name, v.keys[i].key_index,
               key_hex(v.keys[i].key, hx));
    }
    if (mic_expect(&v))
        printf("mic:         %s\n", mic_expect(&v));
    for (unsigned i = 0; i < v.n_expect; i++)
        printf("expect:      %s = %s\n", v.expect[i].key, ek_vec_value_format(&v.expect[i].value, vb, sizeof vb));
    for (unsigned i = 0; i < v.n_errors; i++)
        printf("error:       %s at %s (offset %" PRIu64 ")\n", ek_status_name(v.errors[i].code), v.errors[i].field,
               v.errors[i].offset);
    printf("frame:       %zu octets\n", v.frame_len);
    hexdump(v.frame, v.frame_len);
    ek_cap_frame f;
    ek_err e;
    ek_status st = ek_cap_decap((int)v.linktype, ek_view_make(v.frame, v.frame_len), &f, &e);
    if (st == EK_OK || f.mpdu.p) {
        printf("mpdu:        offset %zu, %zu octets\n", f.mpdu_offset, f.mpdu.len);
        if (f.fcs_present)
            printf("fcs:         0x%04" PRIx32 " (%s)\n", f.fcs,
                   f.fcs_checked ? (f.fcs_ok ? "correct" : "incorrect") : "not checked");
        else if (f.fcs_kind == EK_CAP_FCS_CC24XX)
            printf("trailer:     CC24xx metadata (ZEP LQI mode), not an FCS\n");
    }
    if (st != EK_OK) {
        char b[160];
        printf("decap:       %s\n", ek_err_format(&e, b, sizeof b));
    }
    ek_vec_free(&v);
    return 0;
}

static bool join(char *buf, size_t n, const char *dir, const char *name, const char *ext)
{
    return (size_t)snprintf(buf, n, "%s/%s%s", dir, name, ext) < n;
}

static bool write_expect(const char *path, const ek_vec *v)
{
    FILE *f = fopen(path, "w");
    char vb[EK_VEC_TEXT_MAX + 8];
    if (!f) {
        fprintf(stderr, "ek-vectors: %s: %s\n", path, strerror(errno));
        return false;
    }
    for (unsigned i = 0; i < v->n_expect; i++) {
        const ek_vec_value *x = &v->expect[i].value;
        if (x->kind == EK_VEC_BOOL)
            fprintf(f, "%s=%d\n", v->expect[i].key, x->b ? 1 : 0);
        else
            fprintf(f, "%s=%s\n", v->expect[i].key, ek_vec_value_format(x, vb, sizeof vb));
    }
    fprintf(f, "id=%s\nlinktype=%u\nwellformed=%d\nprofile_ep=%s\nprofile_ie=%s\nep_type=%u\n", v->id, v->linktype,
            v->wellformed ? 1 : 0, v->ep_profile, v->ie_profile, v->ep_type);
    for (unsigned i = 0; i < EK_LOWPAN_CONTEXTS; i++)
        if (v->contexts[i][0])
            fprintf(f, "context.%u=%s\n", i, v->contexts[i]);
    for (unsigned i = 0; i < v->n_errors; i++)
        fprintf(f, "error.%u=%s,%s,%" PRIu64 "\n", i, ek_status_name(v->errors[i].code), v->errors[i].field,
                v->errors[i].offset);
    for (unsigned i = 0; i < v->n_keys; i++) {
        char hx[2 * EK_VEC_KEY_LEN + 1];
        fprintf(f, "key.%u=%s,%u\n", i, key_hex(v->keys[i].key, hx), v->keys[i].key_index);
    }
    if (mic_expect(v))
        fprintf(f, "mic=%s\n", mic_expect(v));
    if (fclose(f) != 0) {
        fprintf(stderr, "ek-vectors: %s: %s\n", path, strerror(errno));
        return false;
    }
    return true;
}

static bool write_one(const char *path, int lt, ek_view rec)
{
    ek_cap_writer *w;
    char eb[512];
    if (ek_cap_writer_open(path, lt, &w, eb, sizeof eb) != EK_CAP_IO_OK) {
        fprintf(stderr, "ek-vectors: %s\n", eb);
        return false;
    }
    ek_cap_io a = ek_cap_write(w, TS_BASE, 0, rec);
    if (a != EK_CAP_IO_OK)
        fprintf(stderr, "ek-vectors: %s: %s\n", path, ek_cap_writer_errmsg(w));
    if (ek_cap_writer_close(w) != EK_CAP_IO_OK || a != EK_CAP_IO_OK) {
        fprintf(stderr, "ek-vectors: %s: write failed\n", path);
        return false;
    }
    return true;
}

static int cmp_uint(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Distinct link types (file form: 12/14 folded into 101) of the well-formed vectors. */
static size_t wellformed_linktypes(const vec_set *s, uint32_t *lts)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (!s->v[i].wellformed)
            continue;
        uint32_t lt = (uint32_t)ek_cap_dlt_to_linktype((int)s->v[i].linktype);
        bool seen = false;
        for (size_t j = 0; j < n; j++)
            seen = seen || lts[j] == lt;
        if (!seen)
            lts[n++] = lt;
    }
    qsort(lts, n, sizeof *lts, cmp_uint);
    return n;
}

static int cmd_pcap(const char *dir, const char *out)
{
    vec_set s;
    char path[4096];
    if (mkdir(out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "ek-vectors: %s: %s\n", out, strerror(errno));
        return 1;
    }
    if (!load_dir(dir, &s))
        return 1;
    bool ok = s.bad == 0;
    size_t files = 0;
    for (size_t i = 0; i < s.n; i++) {
        const ek_vec *v = &s.v[i];
        if (!join(path, sizeof path, out, v->id, ".pcap") || !write_one(path, (int)v->linktype, ek_view_make(v->frame, v->frame_len))) {
            ok = false;
            continue;
        }
        if (!join(path, sizeof path, out, v->id, ".expect") || !write_expect(path, v)) {
            ok = false;
            continue;
        }
        files++;
    }
    uint32_t *lts = calloc(s.n ? s.n : 1, sizeof *lts);
    size_t nlt = lts ? wellformed_linktypes(&s, lts) : 0;
    for (size_t k = 0; k < nlt; k++) {
        char name[64];
        snprintf(name, sizeof name, "wellformed-%u", lts[k]);
        join(path, sizeof path, out, name, ".pcap");
        ek_cap_writer *w;
        char eb[512];
        if (ek_cap_writer_open(path, (int)lts[k], &w, eb, sizeof eb) != EK_CAP_IO_OK) {
            fprintf(stderr, "ek-vectors: %s\n", eb);
            ok = false;
            continue;
        }
        unsigned recs = 0;
        for (size_t i = 0; i < s.n; i++) {
            const ek_vec *v = &s.v[i];
            if (!v->wellformed || (uint32_t)ek_cap_dlt_to_linktype((int)v->linktype) != lts[k])
                continue;
            if (ek_cap_write(w, TS_BASE + recs, 0, ek_view_make(v->frame, v->frame_len)) != EK_CAP_IO_OK)
                break;
            recs++;
        }
        if (ek_cap_writer_close(w) != EK_CAP_IO_OK) {
            fprintf(stderr, "ek-vectors: %s: write failed\n", path);
            ok = false;
            continue;
        }
        printf("%s: %u record(s)\n", path, recs);
    }
    printf("ek-vectors: %zu manifest(s), %zu vector pcap(s) + .expect written to %s, %zu wellformed-<linktype>.pcap%s\n",
           s.n + s.bad, files, out, nlt, s.bad ? ", some manifests invalid" : "");
    free(lts);
    set_free(&s);
    return ok ? 0 : 1;
}

/* ---- verify ---- */

typedef struct check {
    unsigned fails;
    char first[1024];
    char more[8192];
} check;

static void mismatch(check *c, const char *field, const char *exp, const char *act)
{
    if (c->fails == 0)
        snprintf(c->first, sizeof c->first, "field %s: expected %s vs actual %s", field, exp, act);
    else {
        size_t l = strlen(c->more);
        if (l + 1 < sizeof c->more)
            snprintf(c->more + l, sizeof c->more - l, "#   field %s: expected %s vs actual %s\n", field, exp, act);
    }
    c->fails++;
}

static void err_text(const ek_err *e, char *buf, size_t n)
{
    snprintf(buf, n, "%s,%s,%zu", ek_status_name(e->code), e->field ? e->field : "?", e->offset);
}

static void check_pcap(const ek_vec *v, const char *out, check *c)
{
    char path[4096], eb[512], a[64], b[64];
    ek_cap_reader *r;
    ek_cap_record rec;
    if (!join(path, sizeof path, out, v->id, ".pcap")) {
        mismatch(c, "pcap", "a path", "too long");
        return;
    }
    if (ek_cap_open(path, &r, eb, sizeof eb) != EK_CAP_IO_OK) {
        mismatch(c, "pcap", "a readable file", eb);
        return;
    }
    ek_cap_io io = ek_cap_next(r, &rec);
    if (io != EK_CAP_IO_OK) {
        mismatch(c, "pcap", "1 record", io == EK_CAP_IO_EOF ? "none" : ek_cap_errmsg(r));
    } else {
        int want = ek_cap_dlt_to_linktype((int)v->linktype), got = ek_cap_dlt_to_linktype(rec.linktype);
        if (want != got) {
            snprintf(a, sizeof a, "%d", want);
            snprintf(b, sizeof b, "%d", got);
            mismatch(c, "pcap.linktype", a, b);
        }
        if (rec.data.len != v->frame_len || memcmp(rec.data.p, v->frame, v->frame_len) != 0) {
            size_t d = 0;
            while (d < rec.data.len && d < v->frame_len && rec.data.p[d] == v->frame[d])
                d++;
            snprintf(a, sizeof a, "%zu octets", v->frame_len);
            snprintf(b, sizeof b, "%zu octets, first difference at %zu", rec.data.len, d);
            mismatch(c, "pcap.frame", a, b);
        }
        if (ek_cap_next(r, &rec) != EK_CAP_IO_EOF)
            mismatch(c, "pcap", "1 record", "more");
    }
    ek_cap_close(r);
}

/* A secured vector (profile.keys): unprotect first (IEEE 802.15.4-2015 §9.2.5), the
 * PLAINTEXT is what the expectations describe; decoded with the captured frame's FCS
 * verdict.  A failed unprotect is recorded in actual[] (record offsets) and the secured
 * frame itself is decoded.  The outcome must match mic_expect(v). */
static ek_status decode_secured(const ek_vec *v, const ek_cap_frame *cf, bool crc16, const ek_profile *prof,
                                ek_frame *fr, ek_err *actual, unsigned *na, check *c)
{
    static uint8_t plain[EK_VEC_FRAME_MAX];
    ek_sec_keyring ring;
    ek_sec_keyring_init(&ring);
    for (unsigned i = 0; i < v->n_keys; i++) {
        ek_sec_key k;
        ek_sec_key_make(&k, v->keys[i].name, v->keys[i].key, v->keys[i].key_index);
        if (!ek_sec_keyring_add(&ring, &k))
            mismatch(c, "keys", "a keyring with room", "full");
    }
    ek_sec_env env;
    memset(&env, 0, sizeof env);
    if (cf->has_tap && cf->tap.has_asn)
        env.asn = cf->tap.asn; /* without a TAP ASN TLV: ASN 0, as tshark 4.0 does */
    ek_sec_info info;
    ek_err se;
    size_t pn = 0;
    ek_status ss = ek_sec_unprotect(cf->mpdu, &ring, NULL, &env, prof, plain, sizeof plain, &pn, &info, &se);
    bool verified = ss == EK_OK && info.mic_ok;
    if (ss != EK_OK) {
        actual[*na] = se;
        actual[(*na)++].offset += cf->mpdu_offset;
    }
    const char *want = mic_expect(v);
    if (strcmp(want, verified ? "verified" : "rejected") != 0)
        mismatch(c, "mic", want, verified ? "verified" : "not verified");
    ek_view mpdu = verified ? ek_view_make(plain, pn) : cf->mpdu;
    ek_frame_fcs known = { (uint16_t)cf->fcs, cf->fcs_ok };
    return ek_frame_decode_mpdu(mpdu, crc16 ? &known : NULL, prof, fr);
}

static void check_decode(const ek_vec *v, check *c)
{
    ek_profile prof;
    ek_cap_frame cf;
    ek_err de;
    static ek_frame fr; /* large; one at a time */
    ek_err actual[EK_FRAME_MAX_ERRORS + 1];
    unsigned na = 0;
    char a[256], b[256];
    bool decoded = false;

    if (!ek_vec_profile(v, &prof)) {
        mismatch(c, "profile", "a known profile", "unknown");
        return;
    }
    memset(&fr, 0, sizeof fr);
    ek_status st = ek_cap_decap((int)v->linktype, ek_view_make(v->frame, v->frame_len), &cf, &de);
    if (st != EK_OK)
        actual[na++] = de;
    /* A ZEP datagram with octets after Length is reported but still carries a frame. */
    if (st == EK_OK || (cf.mpdu.p && st == EK_ERR_MALFORMED)) {
        bool crc16 = cf.fcs_present && cf.fcs_kind == EK_CAP_FCS_CRC16;
        ek_status fs;
        if (v->n_keys)
            fs = decode_secured(v, &cf, crc16, &prof, &fr, actual, &na, c);
        else
            fs = ek_frame_decode(crc16 ? cf.psdu : cf.mpdu, crc16, &prof, &fr);
        (void)fs; /* every problem is in fr.errors[] */
        /* Codec offsets count from the MPDU; manifests (like enroll-decode) count from
         * the record start, so a ZEP or TAP vector's offsets include the carrier. */
        for (unsigned i = 0; i < fr.n_errors && na < EK_FRAME_MAX_ERRORS + 1; i++) {
            actual[na] = fr.errors[i];
            actual[na++].offset += cf.mpdu_offset;
        }
        decoded = true;
    }
    for (unsigned i = 0; i < v->n_expect; i++) {
        const ek_vec_expect *x = &v->expect[i];
        const ek_field *f = ek_field_find(x->key);
        ek_vec_value_format(&x->value, a, sizeof a);
        if (!f) {
            mismatch(c, x->key, a, "(no such field)");
        } else if (!decoded || !ek_field_present(f, &fr.sum)) {
            mismatch(c, x->key, a, "(absent)");
        } else {
            ek_field_format(f, &fr.sum, b, sizeof b);
            if (strcmp(a, b) != 0)
                mismatch(c, x->key, a, b);
        }
    }
    char list[1024] = "";
    for (unsigned i = 0; i < na; i++) {
        size_t l = strlen(list);
        err_text(&actual[i], b, sizeof b);
        snprintf(list + l, sizeof list - l, "%s%s", i ? ";" : "", b);
    }
    if (v->wellformed && na) {
        mismatch(c, "errors", "none", list);
        return;
    }
    for (unsigned i = 0; i < v->n_errors; i++) {
        const ek_vec_error *x = &v->errors[i];
        bool found = false;
        for (unsigned j = 0; j < na && !found; j++)
            found = actual[j].code == x->code && actual[j].field && !strcmp(actual[j].field, x->field)
                    && actual[j].offset == x->offset;
        if (!found) {
            snprintf(a, sizeof a, "%s,%s,%" PRIu64, ek_status_name(x->code), x->field, x->offset);
            mismatch(c, "error", a, na ? list : "none");
        }
    }
}

static void check_bundle(const vec_set *s, const char *out, uint32_t lt, check *c)
{
    char path[4096], name[64], eb[512], a[160], b[64];
    snprintf(name, sizeof name, "wellformed-%u", lt);
    join(path, sizeof path, out, name, ".pcap");
    ek_cap_reader *r;
    if (ek_cap_open(path, &r, eb, sizeof eb) != EK_CAP_IO_OK) {
        mismatch(c, "pcap", "a readable file", eb);
        return;
    }
    ek_cap_record rec;
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        const ek_vec *v = &s->v[i];
        if (!v->wellformed || (uint32_t)ek_cap_dlt_to_linktype((int)v->linktype) != lt)
            continue;
        k++;
        if (ek_cap_next(r, &rec) != EK_CAP_IO_OK) {
            snprintf(a, sizeof a, "record %zu (%s)", k, v->id);
            mismatch(c, "pcap", a, "missing");
            break;
        }
        if (rec.data.len != v->frame_len || memcmp(rec.data.p, v->frame, v->frame_len) != 0) {
            snprintf(a, sizeof a, "record %zu = %s", k, v->id);
            snprintf(b, sizeof b, "different bytes");
            mismatch(c, "pcap.frame", a, b);
        }
    }
    if (c->fails == 0 && ek_cap_next(r, &rec) != EK_CAP_IO_EOF) {
        snprintf(a, sizeof a, "%zu records", k);
        mismatch(c, "pcap", a, "more");
    }
    ek_cap_close(r);
}

static int cmd_verify(const char *dir, const char *out)
{
    vec_set s;
    if (!load_dir(dir, &s))
        return 1;
    uint32_t *lts = calloc(s.n ? s.n : 1, sizeof *lts);
    if (!lts) {
        set_free(&s);
        return 1;
    }
    size_t nlt = wellformed_linktypes(&s, lts);
    unsigned n = 0, failed = 0;
    printf("1..%zu\n", s.n + nlt + s.bad);
    for (unsigned i = 0; i < s.bad; i++)
        printf("not ok %u - manifest could not be loaded (see stderr)\n", ++n), failed++;
    for (size_t i = 0; i < s.n; i++) {
        check c;
        memset(&c, 0, sizeof c);
        check_pcap(&s.v[i], out, &c);
        check_decode(&s.v[i], &c);
        if (c.fails) {
            printf("not ok %u - %s: %s\n%s", ++n, s.v[i].id, c.first, c.more);
            failed++;
        } else {
            printf("ok %u - %s\n", ++n, s.v[i].id);
        }
    }
    for (size_t k = 0; k < nlt; k++) {
        check c;
        memset(&c, 0, sizeof c);
        check_bundle(&s, out, lts[k], &c);
        if (c.fails) {
            printf("not ok %u - wellformed-%u.pcap: %s\n%s", ++n, lts[k], c.first, c.more);
            failed++;
        } else {
            printf("ok %u - wellformed-%u.pcap\n", ++n, lts[k]);
        }
    }
    if (failed)
        printf("# %u of %u failed\n", failed, n);
    free(lts);
    set_free(&s);
    return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("missing command");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        fputs(usage2, stdout);
        return 0;
    }
    const char *out = DEFAULT_OUT, *dir = NULL;
    bool has_out = false;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            fputs(usage2, stdout);
            return 0;
        } else if (!strcmp(argv[i], "--out")) {
            if (++i >= argc)
                return usage_error("--out needs a directory");
            out = argv[i];
            has_out = true;
        } else if (!strncmp(argv[i], "--out=", 6)) {
            out = argv[i] + 6;
            has_out = true;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            char m[128];
            snprintf(m, sizeof m, "unknown option '%s'", argv[i]);
            return usage_error(m);
        } else if (dir) {
            return usage_error("too many arguments");
        } else {
            dir = argv[i];
        }
    }
    if (!strcmp(cmd, "list") || !strcmp(cmd, "show")) {
        if (has_out)
            return usage_error("--out is only for pcap and verify");
        if (!strcmp(cmd, "show"))
            return dir ? cmd_show(dir) : usage_error("show needs FILE.cbor");
        return cmd_list(dir ? dir : DEFAULT_DIR);
    }
    if (!strcmp(cmd, "pcap"))
        return cmd_pcap(dir ? dir : DEFAULT_DIR, out);
    if (!strcmp(cmd, "verify"))
        return cmd_verify(dir ? dir : DEFAULT_DIR, out);
    char m[128];
    snprintf(m, sizeof m, "unknown command '%s'", cmd);
    return usage_error(m);
}
