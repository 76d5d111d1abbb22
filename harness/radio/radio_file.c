/* SPDX-License-Identifier: BSD-3-Clause */
/* file:PATH radio: a pcap/pcapng capture replayed as the DUT's side of a conversation
 * on a virtual clock taken from the record timestamps.  Records come through ek_cap_open
 * (libpcap); the pcapng EPB direction flag, which libpcap does not expose, is read by a
 * side scan of the blocks (pcapng draft-ietf-opsawg-pcapng §4.3, §4.3.1 epb_flags). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/decap.h"
#include "ek/pcapio.h"
#include "ek/rd.h"
#include "radio_int.h"

#define PCAPNG_SHB 0x0A0D0D0Au
#define PCAPNG_BOM 0x1A2B3C4Du
#define PCAPNG_PB 2u       /* obsolete Packet Block */
#define PCAPNG_SPB 3u
#define PCAPNG_EPB 6u
#define EPB_FLAGS 2u       /* option code epb_flags, u32 */
#define DIR_OUTBOUND 2u    /* epb_flags bits 0-1: 0 n/a, 1 inbound, 2 outbound */
#define FILE_MAX (256u << 20)

static bool rd32(ek_rd *rd, bool le, const char *field, uint32_t *v)
{
    return le ? ek_rd_le32(rd, field, v) : ek_rd_be32(rd, field, v);
}

static bool rd16(ek_rd *rd, bool le, const char *field, uint16_t *v)
{
    return le ? ek_rd_le16(rd, field, v) : ek_rd_be16(rd, field, v);
}

/* Direction of every packet record in file order (1 = outbound), or NULL with *n = 0
 * for a classic pcap or anything unreadable (then nothing is outbound). */
static uint8_t *scan_pcapng_dirs(const char *path, size_t *n)
{
    *n = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            size_t nc = cap ? cap * 2 : 65536;
            if (nc > FILE_MAX)
                break;
            uint8_t *nb = realloc(buf, nc);
            if (!nb)
                break;
            buf = nb;
            cap = nc;
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0)
            break;
    }
    fclose(fp);
    uint8_t *dirs = NULL;
    size_t nd = 0, dcap = 0;
    ek_rd rd;
    ek_rd_init(&rd, ek_view_make(buf, len), 0);
    bool le = true;
    while (buf && ek_rd_left(&rd) >= 12) {
        uint32_t type = 0, blen = 0, bom = 0;
        size_t at = ek_rd_offset(&rd);
        /* Block type is palindromic for the SHB, so it reads the same in both orders. */
        rd32(&rd, le, "pcapng.block.type", &type);
        if (type == PCAPNG_SHB) {
            ek_rd peek = rd;
            ek_rd_skip(&peek, 4, "pcapng.block.length");
            ek_rd_le32(&peek, "pcapng.shb.byte_order_magic", &bom);
            if (bom == PCAPNG_BOM)
                le = true;
            else if (bom == 0x4D3C2B1Au)
                le = false;
            else
                break;
        } else if (at == 0) {
            break; /* not pcapng */
        }
        rd32(&rd, le, "pcapng.block.length", &blen);
        if (!ek_rd_ok(&rd) || blen < 12 || blen % 4 || blen - 8 > ek_rd_left(&rd))
            break;
        ek_rd body;
        ek_rd_sub(&rd, blen - 12, "pcapng.block", &body);
        ek_rd_skip(&rd, 4, "pcapng.block.length");
        if (type != PCAPNG_EPB && type != PCAPNG_SPB && type != PCAPNG_PB)
            continue;
        uint8_t dir = 0;
        if (type == PCAPNG_EPB) {
            /* interface(4) ts_hi(4) ts_lo(4) caplen(4) origlen(4) data(pad 4) options */
            uint32_t caplen = 0;
            ek_rd_skip(&body, 12, "pcapng.epb.header");
            rd32(&body, le, "pcapng.epb.caplen", &caplen);
            ek_rd_skip(&body, 4, "pcapng.epb.origlen");
            ek_rd_skip(&body, ((size_t)caplen + 3) & ~(size_t)3, "pcapng.epb.data");
            while (ek_rd_ok(&body) && ek_rd_left(&body) >= 4) {
                uint16_t code = 0, olen = 0;
                rd16(&body, le, "pcapng.option.code", &code);
                rd16(&body, le, "pcapng.option.length", &olen);
                if (code == 0)
                    break; /* opt_endofopt */
                ek_rd ov;
                if (!ek_rd_sub(&body, olen, "pcapng.option.value", &ov))
                    break;
                ek_rd_skip(&body, (4 - olen % 4) % 4, "pcapng.option.pad");
                uint32_t fl = 0;
                if (code == EPB_FLAGS && olen == 4 && rd32(&ov, le, "pcapng.epb.flags", &fl))
                    dir = (fl & 3u) == DIR_OUTBOUND;
            }
        }
        if (nd == dcap) {
            size_t nc = dcap ? dcap * 2 : 256;
            uint8_t *nb = realloc(dirs, nc);
            if (!nb)
                break;
            dirs = nb;
            dcap = nc;
        }
        dirs[nd++] = dir;
    }
    free(buf);
    *n = nd;
    return dirs;
}

static int file_send(ek_radio *r, const uint8_t *mpdu, size_t len, uint64_t *t_ns)
{
    (void)mpdu;
    (void)len;
    *t_ns = r->vnow; /* accepted: nothing to send it to, and the clock stays */
    return 0;
}

static int file_recv(ek_radio *r, ek_radio_frame *f, uint64_t deadline_ns)
{
    if (ek__radio_q_pop(r, f)) /* own echo */
        return 1;
    if (r->pos >= r->nrecs) {
        r->eof = true;
        ek__radio_seterr(r, "%s: end of capture", r->desc);
        return -1;
    }
    const ek_radio_frame *n = &r->recs[r->pos];
    uint64_t limit = deadline_ns > r->vnow ? deadline_ns : r->vnow;
    if (n->t_ns <= limit) {
        *f = *n;
        r->pos++;
        if (f->t_ns > r->vnow)
            r->vnow = f->t_ns;
        return 1;
    }
    r->vnow = limit; /* later records stay queued */
    return 0;
}

static void file_close(ek_radio *r)
{
    free(r->recs);
    r->recs = NULL;
}

static const ek_radio_ops file_ops = { "file", file_send, file_recv, file_close };

/* Stable order by time: equal stamps keep file order (index in lqi-free field below). */
typedef struct rec_sort { uint64_t t; size_t i; } rec_sort;

static int cmp_rec(const void *a, const void *b)
{
    const rec_sort *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

int ek__radio_open_file(const char *uri, const char *path, ek_radio_opts *o, ek_radio **out, char *errbuf,
                        size_t errlen)
{
    ek_cap_reader *rd = NULL;
    char eb[512];
    if (!*path) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%s: missing PATH", uri);
        return -1;
    }
    if (ek_cap_open(path, &rd, eb, sizeof eb) != EK_CAP_IO_OK) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%s: %s", uri, eb);
        return -1;
    }
    ek_radio *r = ek__radio_new(&file_ops, o);
    if (!r) {
        ek_cap_close(rd);
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%s: out of memory", uri);
        return -1;
    }
    r->virt = true;
    r->pace_off = true;
    size_t ndirs = 0;
    uint8_t *dirs = scan_pcapng_dirs(path, &ndirs);
    size_t cap = 0;
    ek_cap_record rec;
    ek_cap_io io;
    while ((io = ek_cap_next(rd, &rec)) == EK_CAP_IO_OK) {
        ek_radio_frame f;
        if (rec.caplen < rec.origlen) {
            r->st.dropped++;
            continue;
        }
        int c = ek__radio_frame_from_record(rec.linktype, rec.data.p, rec.data.len, EK_RADIO_FCS_LINKTYPE, false, 0,
                                            &f);
        if (c <= 0) {
            if (c < 0)
                r->st.dropped++;
            else
                r->st.ignored++;
            continue;
        }
        if (r->opts.channel && f.channel && f.channel != r->opts.channel) {
            r->st.dropped++;
            continue;
        }
        f.t_ns = rec.ts_sec * 1000000000u + rec.ts_nsec;
        f.outbound = rec.index >= 1 && rec.index <= ndirs && dirs[rec.index - 1];
        if (r->nrecs == cap) {
            size_t nc = cap ? cap * 2 : 64;
            ek_radio_frame *nv = realloc(r->recs, nc * sizeof *nv);
            if (!nv)
                break;
            r->recs = nv;
            cap = nc;
        }
        r->recs[r->nrecs++] = f;
    }
    free(dirs);
    if (io == EK_CAP_IO_ERR_READ) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%s: %s", uri, ek_cap_errmsg(rd));
        ek_cap_close(rd);
        ek_radio_close(r);
        return -1;
    }
    int lt = ek_cap_linktype(rd);
    ek_cap_close(rd);
    if (r->nrecs > 1) {
        rec_sort *ix = malloc(r->nrecs * sizeof *ix);
        ek_radio_frame *sorted = malloc(r->nrecs * sizeof *sorted);
        if (ix && sorted) {
            for (size_t i = 0; i < r->nrecs; i++)
                ix[i] = (rec_sort){ r->recs[i].t_ns, i };
            qsort(ix, r->nrecs, sizeof *ix, cmp_rec);
            for (size_t i = 0; i < r->nrecs; i++)
                sorted[i] = r->recs[ix[i].i];
            free(r->recs);
            r->recs = sorted;
            sorted = NULL;
        }
        free(ix);
        free(sorted);
    }
    r->vnow = r->nrecs ? r->recs[0].t_ns : 0;
    snprintf(r->desc, sizeof r->desc, "file:%s (%s, %zu frames, virtual time)", path, ek_cap_linktype_name(lt),
             r->nrecs);
    *out = r;
    return 0;
}
