/* SPDX-License-Identifier: BSD-3-Clause */
/* ek-bench-json: prototype for docs/performance.md - the enroll-decode --json pipeline
 * (ek_cap_next, ek_cap_decap, ek_frame_decode, the ek_fields table) with hand-rolled
 * formatting into one buffer instead of fprintf/snprintf/fputc/inet_ntop per field.
 * Must print byte-identical output to `enroll-decode --json FILE` (bench/run.sh cmp's).
 * Its formatters now live in harness/report/fields.c (ek_fmt_*, ek_json_frame); it is
 * kept as an independent cross-check of that output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/decap.h"
#include "ek/fields.h"
#include "ek/frame.h"
#include "ek/pcapio.h"

static char obuf[1 << 16];
static size_t olen;

static void flush(void)
{
    fwrite(obuf, 1, olen, stdout);
    olen = 0;
}

static inline void put(const char *s, size_t n)
{
    if (olen + n > sizeof obuf)
        flush();
    memcpy(obuf + olen, s, n);
    olen += n;
}
#define PUTS(lit) put(lit, sizeof(lit) - 1)

static inline void put_str(const char *s)
{
    put(s, strlen(s));
}

static void put_u64(unsigned long long v)
{
    char t[24];
    int k = 24;
    do {
        t[--k] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(t + k, (size_t)(24 - k));
}

static const char HEX[] = "0123456789abcdef";

static void put_hex(const uint8_t *p, size_t n, char sep)
{
    char t[64 * 3];
    size_t k = 0;
    for (size_t i = 0; i < n && i < 64; i++) {
        if (sep && i)
            t[k++] = sep;
        t[k++] = HEX[p[i] >> 4];
        t[k++] = HEX[p[i] & 15];
    }
    put(t, k);
}

/* RFC 5952 text, matching glibc inet_ntop (incl. its ::a.b.c.d / ::ffff:a.b.c.d forms). */
static void put_ipv6(const uint8_t *a)
{
    unsigned w[8];
    for (int i = 0; i < 8; i++)
        w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
    int best = -1, blen = 0;
    for (int i = 0; i < 8;) {
        if (w[i]) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && !w[j])
            j++;
        if (j - i > blen) {
            best = i;
            blen = j - i;
        }
        i = j;
    }
    if (blen < 2)
        best = -1;
    char t[48];
    size_t k = 0;
    for (int i = 0; i < 8; i++) {
        if (best >= 0 && i >= best && i < best + blen) {
            if (i == best)
                t[k++] = ':';
            continue;
        }
        if (i)
            t[k++] = ':';
        if (i == 6 && best == 0 && (blen == 6 || (blen == 5 && w[5] == 0xffff))) {
            for (int b = 12; b < 16; b++) {
                char d[4];
                int n = 0, v = a[b];
                if (v >= 100)
                    d[n++] = (char)('0' + v / 100);
                if (v >= 10)
                    d[n++] = (char)('0' + v / 10 % 10);
                d[n++] = (char)('0' + v % 10);
                memcpy(t + k, d, (size_t)n);
                k += (size_t)n;
                if (b < 15)
                    t[k++] = '.';
            }
            break;
        }
        bool lead = true;
        for (int s = 12; s >= 0; s -= 4) {
            unsigned nib = (w[i] >> s) & 15;
            if (nib || !lead || s == 0) {
                t[k++] = HEX[nib];
                lead = false;
            }
        }
    }
    if (best >= 0 && best + blen == 8)
        t[k++] = ':';
    put(t, k);
}

static void put_jstr(const char *s)
{
    PUTS("\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            PUTS("\\");
        if ((unsigned char)*s < 0x20) {
            char u[6] = { '\\', 'u', '0', '0', HEX[(unsigned char)*s >> 4], HEX[*s & 15] };
            put(u, 6);
        } else {
            put(s, 1);
        }
    }
    PUTS("\"");
}

static void json_frame(unsigned long long index, const ek_frame *f)
{
    const ek_frame_summary *s = &f->sum;
    PUTS("{\"frame\":");
    put_u64(index);
    for (size_t i = 0; i < ek_fields_count; i++) {
        const ek_field *fd = &ek_fields[i];
        if (!ek_field_present(fd, s))
            continue;
        PUTS(",\"");
        put_str(fd->key);
        PUTS("\":");
        const void *v = (const char *)s + fd->val_off;
        switch (fd->kind) {
        case EK_FIELD_BOOL:
            if (*(const bool *)v)
                PUTS("true");
            else
                PUTS("false");
            break;
        case EK_FIELD_U8: put_u64(*(const uint8_t *)v); break;
        case EK_FIELD_U16: put_u64(*(const uint16_t *)v); break;
        case EK_FIELD_U64: put_u64(*(const uint64_t *)v); break;
        case EK_FIELD_EUI64: PUTS("\""); put_hex(v, 8, ':'); PUTS("\""); break;
        case EK_FIELD_IPV6: PUTS("\""); put_ipv6(v); PUTS("\""); break;
        case EK_FIELD_HEX8: PUTS("\""); put_hex(v, 8, 0); PUTS("\""); break;
        case EK_FIELD_VIEW: {
            const ek_view *w = v;
            PUTS("\"");
            put_hex(w->p, w->len < 31 ? w->len : 31, 0); /* ek_field_format's 64-octet buffer */
            PUTS("\"");
            break;
        }
        }
    }
    PUTS(",\"errors\":[");
    for (unsigned i = 0; i < f->n_errors; i++) {
        const ek_err *e = &f->errors[i];
        if (i)
            PUTS(",");
        PUTS("{\"code\":\"");
        put_str(ek_status_name(e->code));
        PUTS("\",\"field\":");
        put_jstr(e->field ? e->field : "?");
        PUTS(",\"offset\":");
        put_u64(e->offset);
        PUTS("}");
    }
    PUTS("]}\n");
}

/* Same as enroll-decode's decode_record (tools/enroll-decode/main.c). */
static void decode_record(const ek_profile *prof, const ek_cap_record *rec, ek_frame *f)
{
    ek_cap_frame cf;
    ek_err e;
    ek_status st = ek_cap_decap(rec->linktype, rec->data, &cf, &e);
    if (st != EK_OK && !(st == EK_ERR_MALFORMED && cf.mpdu.p)) {
        memset(&f->sum, 0, sizeof f->sum);
        f->has_mac = f->has_net = f->has_icmp6 = f->has_rpl = false;
        f->n_errors = 1;
        f->errors_dropped = 0;
        f->errors[0] = e;
        return;
    }
    bool crc16 = cf.fcs_kind == EK_CAP_FCS_CRC16;
    ek_status fst = ek_frame_decode(crc16 ? cf.psdu : cf.mpdu, crc16, prof, f);
    (void)fst; /* the errors are in f->errors */
    for (unsigned i = 0; i < f->n_errors; i++)
        f->errors[i].offset += cf.mpdu_offset;
    if (st != EK_OK && f->n_errors < EK_FRAME_MAX_ERRORS)
        f->errors[f->n_errors++] = e;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: ek-bench-json FILE\n", stderr);
        return 1;
    }
    char eb[512];
    ek_cap_reader *r = NULL;
    if (ek_cap_open(argv[1], &r, eb, sizeof eb) != EK_CAP_IO_OK) {
        fprintf(stderr, "ek-bench-json: %s\n", eb);
        return 2;
    }
    ek_frame *f = malloc(sizeof *f);
    if (!f)
        return 2;
    ek_profile prof;
    ek_profile_default(&prof);
    ek_cap_record rec;
    ek_cap_io io;
    while ((io = ek_cap_next(r, &rec)) == EK_CAP_IO_OK) {
        decode_record(&prof, &rec, f);
        json_frame(rec.index, f);
    }
    flush();
    ek_cap_close(r);
    free(f);
    return io == EK_CAP_IO_EOF ? 0 : 2;
}
