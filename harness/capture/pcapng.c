/* SPDX-License-Identifier: BSD-3-Clause */
/* pcapng writer: SHB (§4.1), IDB (§4.2), EPB (§4.3) of draft-ietf-opsawg-pcapng, written
 * little-endian with the byte-order magic telling readers so.  Each block is assembled
 * in memory and written with one fwrite + fflush: a crash leaves whole blocks only. */
#include "ek/pcapng.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef EK_VERSION
#define EK_VERSION "unknown"
#endif

/* Block types (§4, §11.1). */
#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 0x00000001u
#define BT_EPB 0x00000006u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du

/* Option codes (§3.5, §4.1, §4.2, §4.3). */
#define OPT_ENDOFOPT 0
#define OPT_COMMENT 1
#define SHB_USERAPPL 4
#define IF_NAME 2
#define IF_DESCRIPTION 3
#define IF_TSRESOL 9
#define EPB_FLAGS 2

/* A comment longer than an option can hold (16-bit length) is cut at a UTF-8 boundary. */
#define OPT_MAX 65532u

struct ek_pcapng {
    FILE *f;
    char *path;
    uint64_t count;
    uint32_t snaplen;
    bool failed;
    char err[512];
    uint8_t *buf;      /* block under construction */
    size_t len, cap;
};

void ek_pcapng_opts_default(ek_pcapng_opts *o)
{
    memset(o, 0, sizeof *o);
    o->linktype = 195; /* LINKTYPE_IEEE802_15_4_WITHFCS */
}

static void set_err(ek_pcapng *w, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(w->err, sizeof w->err, "%s: ", w->path);
    if (n < 0 || (size_t)n >= sizeof w->err) n = 0;
    va_start(ap, fmt);
    vsnprintf(w->err + n, sizeof w->err - (size_t)n, fmt, ap);
    va_end(ap);
    w->failed = true;
}

static bool grow(ek_pcapng *w, size_t more)
{
    if (w->len + more <= w->cap) return true;
    size_t ncap = w->cap ? w->cap : 512;
    while (ncap < w->len + more) ncap *= 2;
    uint8_t *nb = realloc(w->buf, ncap);
    if (!nb) {
        set_err(w, "out of memory");
        return false;
    }
    w->buf = nb;
    w->cap = ncap;
    return true;
}

static void put(ek_pcapng *w, const void *p, size_t n)
{
    if (n == 0) return;
    if (!grow(w, n)) return;
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}

static void put16(ek_pcapng *w, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
    put(w, b, 2);
}

static void put32(ek_pcapng *w, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    put(w, b, 4);
}

static void pad4(ek_pcapng *w)
{
    static const uint8_t z[3] = { 0 };
    size_t r = w->len % 4u;
    if (r) put(w, z, 4u - r);
}

/* Option: code (2), length (2), value padded to 32 bits (§3.5). */
static void put_opt(ek_pcapng *w, uint16_t code, const void *v, size_t n)
{
    put16(w, code);
    put16(w, (uint16_t)n);
    put(w, v, n);
    pad4(w);
}

/* A string option, cut at a UTF-8 character boundary if it would not fit. */
static void put_str_opt(ek_pcapng *w, uint16_t code, const char *s)
{
    if (!s || !*s) return;
    size_t n = strlen(s);
    if (n > OPT_MAX) {
        n = OPT_MAX;
        while (n > 0 && ((uint8_t)s[n] & 0xC0u) == 0x80u) n--; /* not inside a sequence */
    }
    put_opt(w, code, s, n);
}

static void begin_block(ek_pcapng *w, uint32_t type)
{
    w->len = 0;
    put32(w, type);
    put32(w, 0); /* Block Total Length, patched in end_block */
}

static ek_cap_io end_block(ek_pcapng *w)
{
    put32(w, 0); /* trailing Block Total Length */
    if (w->failed) return EK_CAP_IO_ERR_WRITE;
    uint32_t total = (uint32_t)w->len;
    for (int i = 0; i < 4; i++) {
        w->buf[4 + i] = (uint8_t)(total >> (8 * i));
        w->buf[w->len - 4 + (size_t)i] = (uint8_t)(total >> (8 * i));
    }
    if (fwrite(w->buf, 1, w->len, w->f) != w->len || fflush(w->f) != 0) {
        set_err(w, "write: %s", strerror(errno));
        return EK_CAP_IO_ERR_WRITE;
    }
    return EK_CAP_IO_OK;
}

ek_cap_io ek_pcapng_open(const char *path, const ek_pcapng_opts *o, ek_pcapng **out,
                         char *errbuf, size_t errlen)
{
    ek_pcapng_opts def;
    *out = NULL;
    if (!o) {
        ek_pcapng_opts_default(&def);
        o = &def;
    }
    ek_pcapng *w = calloc(1, sizeof *w);
    char *p = w ? strdup(path) : NULL;
    if (!w || !p) {
        free(w);
        if (errbuf && errlen) snprintf(errbuf, errlen, "%s: out of memory", path);
        return EK_CAP_IO_ERR_OPEN;
    }
    w->path = p;
    w->snaplen = o->snaplen;
    w->f = fopen(path, "wb");
    if (!w->f) {
        if (errbuf && errlen) snprintf(errbuf, errlen, "%s: cannot create: %s", path, strerror(errno));
        free(w->path);
        free(w);
        return EK_CAP_IO_ERR_OPEN;
    }

    /* SHB (§4.1): magic, version 1.0, section length -1 (not computed: we stream). */
    begin_block(w, BT_SHB);
    put32(w, BYTE_ORDER_MAGIC);
    put16(w, 1);
    put16(w, 0);
    put32(w, 0xFFFFFFFFu);
    put32(w, 0xFFFFFFFFu);
    put_str_opt(w, OPT_COMMENT, o->shb_comment);
    put_str_opt(w, SHB_USERAPPL, o->userappl ? o->userappl : "enrollkit " EK_VERSION);
    put_opt(w, OPT_ENDOFOPT, NULL, 0);
    ek_cap_io rc = end_block(w);

    /* IDB (§4.2): link type, reserved, snaplen; if_tsresol 9 = 10^-9 s (§4.2 Table). */
    if (rc == EK_CAP_IO_OK) {
        static const uint8_t tsresol = 9;
        begin_block(w, BT_IDB);
        put16(w, (uint16_t)o->linktype);
        put16(w, 0);
        put32(w, o->snaplen);
        put_str_opt(w, IF_NAME, o->if_name);
        put_str_opt(w, IF_DESCRIPTION, o->if_description);
        put_opt(w, IF_TSRESOL, &tsresol, 1);
        put_opt(w, OPT_ENDOFOPT, NULL, 0);
        rc = end_block(w);
    }
    if (rc != EK_CAP_IO_OK) {
        if (errbuf && errlen) snprintf(errbuf, errlen, "%s", w->err);
        fclose(w->f);
        free(w->buf);
        free(w->path);
        free(w);
        return rc;
    }
    *out = w;
    return EK_CAP_IO_OK;
}

ek_cap_io ek_pcapng_write(ek_pcapng *w, uint64_t t_ns, const uint8_t *data, size_t len,
                          ek_pcapng_dir dir, const char *comment)
{
    if (w->failed) return EK_CAP_IO_ERR_WRITE;
    if (len > 0xFFFF0000u) {
        set_err(w, "packet %llu: %zu octets is too long", (unsigned long long)w->count + 1, len);
        return EK_CAP_IO_ERR_WRITE;
    }
    uint32_t caplen = (uint32_t)len;
    if (w->snaplen && caplen > w->snaplen) caplen = w->snaplen;
    /* EPB (§4.3): interface 0, timestamp high/low in if_tsresol units, lengths, data. */
    begin_block(w, BT_EPB);
    put32(w, 0);
    put32(w, (uint32_t)(t_ns >> 32));
    put32(w, (uint32_t)t_ns);
    put32(w, caplen);
    put32(w, (uint32_t)len);
    put(w, data, caplen);
    pad4(w);
    put_str_opt(w, OPT_COMMENT, comment);
    if (dir != EK_PCAPNG_DIR_UNKNOWN) {
        /* epb_flags (§4.3.1): bits 0-1 inbound 01 / outbound 10, little-endian u32. */
        uint8_t fl[4] = { (uint8_t)(dir & 3u), 0, 0, 0 };
        put_opt(w, EPB_FLAGS, fl, 4);
    }
    put_opt(w, OPT_ENDOFOPT, NULL, 0);
    ek_cap_io rc = end_block(w);
    if (rc == EK_CAP_IO_OK) w->count++;
    return rc;
}

uint64_t ek_pcapng_count(const ek_pcapng *w) { return w->count; }
const char *ek_pcapng_path(const ek_pcapng *w) { return w->path; }
const char *ek_pcapng_errmsg(const ek_pcapng *w) { return w->err; }

ek_cap_io ek_pcapng_close(ek_pcapng *w)
{
    if (!w) return EK_CAP_IO_OK;
    ek_cap_io rc = w->failed ? EK_CAP_IO_ERR_WRITE : EK_CAP_IO_OK;
    if (fclose(w->f) != 0) rc = EK_CAP_IO_ERR_WRITE;
    free(w->buf);
    free(w->path);
    free(w);
    return rc;
}
