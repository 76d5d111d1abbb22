/* SPDX-License-Identifier: BSD-3-Clause */
/* ek-fuzz-seedgen OUTDIR [MANIFEST_DIR]: writes one seed corpus per fuzz target into
 * OUTDIR/<target>/, from frames built with the codec encoders (bench/framegen.c) and
 * from the "frame" of every CBOR manifest in MANIFEST_DIR (vectors/manifests).  Each
 * frame is decoded once and sliced per layer, with the target's selector byte first. */
#include <cbor.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ek/decap.h"
#include "ek/consts.h"
#include "ek/fcs.h"
#include "ek/frame.h"
#include "framegen.h"

static const char *outdir;
static unsigned n_written;

static void put(const char *target, const char *tag, unsigned idx, uint8_t sel, const uint8_t *p, size_t n,
                bool with_sel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", outdir, target);
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        perror(path);
        exit(2);
    }
    snprintf(path, sizeof path, "%s/%s/%s-%04u.bin", outdir, target, tag, idx);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(2);
    }
    if (with_sel)
        fputc(sel, f);
    if (n)
        fwrite(p, 1, n, f);
    if (fclose(f) != 0) {
        perror(path);
        exit(2);
    }
    n_written++;
}

static int lt_index(int lt)
{
    static const int lts[13] = { EK_LT_IEEE802_15_4_WITHFCS, EK_LT_IEEE802_15_4_NOFCS, EK_LT_IEEE802_15_4_TAP,
                                 EK_LT_EN10MB, EK_LT_LINUX_SLL, EK_LT_LINUX_SLL2, EK_LT_RAW, EK_LT_DLT_RAW_12,
                                 EK_LT_DLT_RAW_14, EK_LT_IPV4, EK_LT_IPV6, EK_LT_NULL, EK_LT_LOOP };
    for (int i = 0; i < 13; i++)
        if (lts[i] == lt)
            return i;
    return -1;
}

/* Slices one PSDU (MPDU + FCS) into the per-layer seeds. */
static void slice(const char *tag, unsigned idx, const uint8_t *psdu, size_t n, uint8_t mep_bits)
{
    static ek_frame f;
    ek_profile prof;
    ek_profile_default(&prof);
    prof.mep = (ek_mep_profile)mep_bits;
    put("frame", tag, idx, (uint8_t)(0x08 | mep_bits), psdu, n, true);
    if (n < 2)
        return;
    size_t mlen = n - 2;
    put("wpan", tag, idx, 0, psdu, mlen, false);
    (void)ek_frame_decode(ek_view_make(psdu, n), true, &prof, &f);
    if (!f.has_mac)
        return;
    const ek_wpan_frame *m = &f.mac;
    if (m->ie_present) {
        size_t end = m->payload.len ? m->payload_offset : mlen - m->mic.len;
        if (end > m->mhr_len && end <= mlen)
            put("ie", tag, idx, m->encrypted ? 1 : 0, psdu + m->mhr_len, end - m->mhr_len, true);
        for (unsigned i = 0; i < m->ies.n_pl; i++)
            if (m->ies.pl[i].has_subtype && m->ies.pl[i].subtype == EK_IETF_SUBTYPE_JOIN_INFO)
                put("enroll_ie", tag, idx * 4 + i, 0, m->ies.pl[i].sub_content.p, m->ies.pl[i].sub_content.len,
                    true);
    }
    if (f.has_net || (m->frame_type == EK_WPAN_FT_DATA && m->payload.len)) {
        uint8_t sel = (uint8_t)((m->src.mode == EK_WPAN_AM_EXT ? 2 : m->src.mode == EK_WPAN_AM_SHORT ? 1 : 0) |
                                (m->dst.mode == EK_WPAN_AM_EXT ? 8 : m->dst.mode == EK_WPAN_AM_SHORT ? 4 : 0));
        put("lowpan", tag, idx, sel, m->payload.p, m->payload.len, true);
    }
    if (f.has_icmp6 && f.icmp6.type == EK_ICMP6_TYPE_RPL) {
        uint8_t c = f.icmp6.code;
        uint8_t ci = (uint8_t)((c & 3) | ((c & 0x80) ? 4 : 0));
        if ((c & 0x7c) == 0)
            put("rpl", tag, idx, (uint8_t)(ci | (mep_bits << 3)), f.icmp6.body.p, f.icmp6.body.len, true);
    }
    if (f.has_rpl)
        for (unsigned i = 0; i < f.rpl.n_opts; i++) {
            const ek_rpl_opt *o = &f.rpl.opts[i];
            if (o->kind == EK_RPL_OPTK_MEP && o->offset + 2u + o->length <= mlen)
                put("minprio", tag, idx * 16 + i, mep_bits, psdu + o->offset, 2u + o->length, true);
        }
}

/* The same MPDU in the other link types, for the decap target. */
static void encaps(const char *tag, unsigned idx, const uint8_t *mpdu, size_t n)
{
    static const int lts[] = { EK_LT_IEEE802_15_4_WITHFCS, EK_LT_IEEE802_15_4_NOFCS, EK_LT_IEEE802_15_4_TAP,
                               EK_LT_EN10MB, EK_LT_LINUX_SLL, EK_LT_LINUX_SLL2, EK_LT_RAW, EK_LT_NULL,
                               EK_LT_LOOP, EK_LT_IPV4, EK_LT_IPV6 };
    for (size_t k = 0; k < sizeof lts / sizeof lts[0]; k++) {
        uint8_t buf[512];
        ek_buf b;
        ek_err e;
        ek_buf_init(&b, buf, sizeof buf);
        ek_cap_encap_opts o;
        ek_cap_encap_opts_default(&o);
        o.ipv4 = (idx + k) & 1;
        o.zep_version = (uint8_t)(1 + (idx + k) % 3); /* ZEP v1, v2, v3 */
        if (ek_cap_encap(lts[k], ek_view_make(mpdu, n), true, &o, &b, &e) == EK_OK)
            put("decap", tag, idx * 16 + (unsigned)k, (uint8_t)lt_index(lts[k]), buf, b.len, true);
    }
}

static uint8_t *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *p = malloc(1 << 20);
    *n = p ? fread(p, 1, 1 << 20, f) : 0;
    fclose(f);
    return p;
}

/* One manifest: {"linktype": uint, "frame": bstr, ...} (vectors/lib/manifest.h). */
static void manifest(const char *path, unsigned idx)
{
    size_t n = 0;
    uint8_t *raw = read_all(path, &n);
    if (!raw)
        return;
    struct cbor_load_result res;
    cbor_item_t *item = cbor_load(raw, n, &res);
    int lt = -1;
    const uint8_t *frame = NULL;
    size_t flen = 0;
    if (item && cbor_isa_map(item)) {
        struct cbor_pair *pairs = cbor_map_handle(item);
        for (size_t i = 0; i < cbor_map_size(item); i++) {
            cbor_item_t *k = pairs[i].key, *v = pairs[i].value;
            if (!cbor_isa_string(k) || !cbor_string_is_definite(k))
                continue;
            size_t kl = cbor_string_length(k);
            const char *ks = (const char *)cbor_string_handle(k);
            if (kl == 8 && !memcmp(ks, "linktype", 8) && cbor_isa_uint(v))
                lt = (int)cbor_get_int(v);
            else if (kl == 5 && !memcmp(ks, "frame", 5) && cbor_isa_bytestring(v) && cbor_bytestring_is_definite(v)) {
                frame = cbor_bytestring_handle(v);
                flen = cbor_bytestring_length(v);
            }
        }
    }
    if (frame && lt >= 0) {
        int li = lt_index(lt);
        if (li >= 0)
            put("decap", "vec", idx, (uint8_t)li, frame, flen, true);
        ek_cap_frame cf;
        ek_err e;
        ek_status st = ek_cap_decap(lt, ek_view_make(frame, flen), &cf, &e);
        if ((st == EK_OK || (st == EK_ERR_MALFORMED && cf.mpdu.p)) && cf.mpdu.len) {
            uint8_t psdu[512];
            ek_buf b;
            ek_buf_init(&b, psdu, sizeof psdu);
            /* per-layer seeds want MPDU + FCS; keep a real FCS, else compute one */
            if (cf.fcs_kind == EK_CAP_FCS_CRC16)
                ek_wr_view(&b, "psdu", cf.psdu);
            else if (ek_wr_view(&b, "mpdu", cf.mpdu))
                (void)ek_fcs16_append(&b);
            if (ek_buf_ok(&b))
                slice("vec", idx, psdu, b.len, 3);
        }
    }
    if (item)
        cbor_decref(&item);
    free(raw);
}

/* fuzz_cojp: RFC 9031 Appendix A objects and every optional parameter, byte 0 = the
 * object (0 Join_Request, 1 Configuration, 2 Unsupported_Configuration, 3 all). */
static void cojp_seeds(void)
{
    static const uint8_t jr[] = { 0xa1, 0x05, 0x42, 0xca, 0xfe };
    static const uint8_t jr_full[] = { 0xa4, 0x01, 0x01, 0x05, 0x42, 0xca, 0xfe, 0x08, 0x86, 0x00,
                                       0x04, 0xf6, 0x01, 0x02, 0xf6, 0x09, 0x9f, 0xf5, 0xff };
    static const uint8_t cfg[] = { 0xa2, 0x02, 0x82, 0x01, 0x50, 0xe6, 0xbf, 0x42, 0x87, 0xc2, 0xd7, 0x61, 0x8d,
                                   0x6a, 0x96, 0x87, 0x44, 0x5f, 0xfd, 0x33, 0xe6, 0x03, 0x81, 0x42, 0xaf, 0x93 };
    static const uint8_t cfg_full[] = {
        0xa5, 0x02, 0x87, 0x00, 0x04, 0x50, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0x4a, 2, 0,
        0x5e, 0xef, 0, 0, 0, 1, 0x12, 0x34, 0x02, 0x50, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
        0x44, 1, 2, 3, 4, 0x03, 0x82, 0x42, 0x12, 0x34, 0x19, 0x01, 0x00, 0x04, 0x50, 0xfd, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 1, 0x06, 0x82, 0x48, 2, 0, 0x5e, 0xef, 0, 0, 0, 1, 0x40, 0x07, 0x18, 0x64 };
    static const uint8_t unsup[] = { 0x86, 0x00, 0x02, 0x82, 0x01, 0x41, 0x00, 0x01, 0x03, 0xf6 };
    const struct {
        const uint8_t *p;
        size_t n;
        uint8_t sel;
    } s[] = { { jr, sizeof jr, 0 },          { jr_full, sizeof jr_full, 0 }, { cfg, sizeof cfg, 1 },
              { cfg_full, sizeof cfg_full, 1 }, { unsup, sizeof unsup, 2 },   { cfg, sizeof cfg, 3 } };
    for (unsigned i = 0; i < sizeof s / sizeof s[0]; i++)
        put("cojp", "cojp", i, s[i].sel, s[i].p, s[i].n, true);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fputs("usage: ek-fuzz-seedgen OUTDIR [MANIFEST_DIR]\n", stderr);
        return 1;
    }
    outdir = argv[1];
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
        perror(outdir);
        return 2;
    }
    /* 200 generated frames cover every kind of the mix, in all four MEP layouts. */
    for (unsigned i = 0; i < 200; i++) {
        ek_profile prof;
        ek_profile_default(&prof);
        prof.mep = (ek_mep_profile)(i % 4);
        prof.ji = (i / 4) % 2 ? EK_JI_BYTE_ALIGNED : EK_JI_RFC9032_LITERAL;
        uint8_t buf[256];
        size_t n = ek_gen_frame(i, &prof, buf, sizeof buf);
        if (!n)
            continue;
        slice(ek_gen_kind_name(ek_gen_kind_of(i)), i, buf, n, (uint8_t)prof.mep);
        if (i % 10 == 0 && n >= 2)
            encaps(ek_gen_kind_name(ek_gen_kind_of(i)), i, buf, n - 2);
    }
    unsigned n_man = 0;
    if (argc == 3) {
        DIR *dir = opendir(argv[2]);
        struct dirent *de;
        while (dir && (de = readdir(dir)) != NULL) {
            size_t l = strlen(de->d_name);
            if (l < 6 || strcmp(de->d_name + l - 5, ".cbor"))
                continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[2], de->d_name);
            manifest(path, n_man++);
        }
        if (dir)
            closedir(dir);
    }
    cojp_seeds();
    fprintf(stderr, "ek-fuzz-seedgen: %u seed files (%u manifests) in %s\n", n_written, n_man, outdir);
    return 0;
}
