/* SPDX-License-Identifier: BSD-3-Clause */
/* pcap/pcapng reader over libpcap; classic-pcap writer over stdio (pcap-savefile(5):
 * 24-octet file header, 16-octet record headers, all little-endian here). */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/decap.h"
#include "ek/pcapio.h"

struct ek_cap_reader {
    pcap_t *p;
    int linktype;
    uint64_t index;
    char msg[PCAP_ERRBUF_SIZE + 64];
};

struct ek_cap_writer {
    FILE *f;
    bool failed;
    char msg[512];
};

ek_cap_io ek_cap_open(const char *path, ek_cap_reader **out, char *errbuf, size_t errlen)
{
    char pe[PCAP_ERRBUF_SIZE] = "";
    *out = NULL;
    pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, pe);
    if (!p) {
        /* libpcap names the file in fopen errors only; name it exactly once. */
        if (errbuf && errlen) {
            if (!strncmp(pe, path, strlen(path)))
                snprintf(errbuf, errlen, "%s", pe);
            else
                snprintf(errbuf, errlen, "%s: %s", path, pe[0] ? pe : "cannot open capture file");
        }
        return EK_CAP_IO_ERR_OPEN;
    }
    ek_cap_reader *r = calloc(1, sizeof *r);
    if (!r) {
        pcap_close(p);
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%s: out of memory", path);
        return EK_CAP_IO_ERR_OPEN;
    }
    r->p = p;
    r->linktype = pcap_datalink(p);
    *out = r;
    return EK_CAP_IO_OK;
}

ek_cap_io ek_cap_next(ek_cap_reader *r, ek_cap_record *rec)
{
    struct pcap_pkthdr *h;
    const u_char *d;
    memset(rec, 0, sizeof *rec);
    int rc = pcap_next_ex(r->p, &h, &d);
    if (rc == PCAP_ERROR_BREAK)
        return EK_CAP_IO_EOF;
    if (rc != 1) {
        snprintf(r->msg, sizeof r->msg, "record %llu: %s", (unsigned long long)r->index + 1,
                 pcap_geterr(r->p));
        return EK_CAP_IO_ERR_READ;
    }
    r->index++;
    /* pcapng: libpcap reports the link type of the interface of this record. */
    rec->linktype = pcap_datalink(r->p);
    rec->ts_sec = (uint64_t)h->ts.tv_sec;
    rec->ts_nsec = (uint32_t)h->ts.tv_usec; /* nanoseconds with PRECISION_NANO */
    rec->caplen = h->caplen;
    rec->origlen = h->len;
    rec->index = r->index;
    rec->data = ek_view_make(d, h->caplen);
    return EK_CAP_IO_OK;
}

int ek_cap_linktype(const ek_cap_reader *r) { return r->linktype; }
const char *ek_cap_errmsg(const ek_cap_reader *r) { return r->msg; }

void ek_cap_close(ek_cap_reader *r)
{
    if (!r)
        return;
    pcap_close(r->p);
    free(r);
}

int ek_cap_dlt_to_linktype(int dlt)
{
    return (dlt == EK_LT_DLT_RAW_12 || dlt == EK_LT_DLT_RAW_14) ? EK_LT_RAW : dlt;
}

static void le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static bool put(ek_cap_writer *w, const uint8_t *p, size_t n)
{
    if (w->failed)
        return false;
    if (n && fwrite(p, 1, n, w->f) != n) {
        w->failed = true;
        snprintf(w->msg, sizeof w->msg, "write failed: %s", strerror(errno));
        return false;
    }
    return true;
}

ek_cap_io ek_cap_writer_open(const char *path, int linktype, ek_cap_writer **out,
                             char *errbuf, size_t errlen)
{
    *out = NULL;
    FILE *f = fopen(path, "wb");
    if (!f) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
        return EK_CAP_IO_ERR_OPEN;
    }
    ek_cap_writer *w = calloc(1, sizeof *w);
    if (!w) {
        fclose(f);
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%s: out of memory", path);
        return EK_CAP_IO_ERR_OPEN;
    }
    w->f = f;
    /* magic, version 2.4, thiszone 0, sigfigs 0, snaplen, network */
    uint8_t h[24] = { 0 };
    le32(h, EK_CAP_PCAP_MAGIC);
    h[4] = 2;
    h[6] = 4;
    le32(h + 16, EK_CAP_SNAPLEN);
    le32(h + 20, (uint32_t)ek_cap_dlt_to_linktype(linktype));
    if (!put(w, h, sizeof h)) {
        if (errbuf && errlen)
            snprintf(errbuf, errlen, "%s: %s", path, w->msg);
        fclose(f);
        free(w);
        return EK_CAP_IO_ERR_WRITE;
    }
    *out = w;
    return EK_CAP_IO_OK;
}

ek_cap_io ek_cap_write(ek_cap_writer *w, uint64_t ts_sec, uint32_t ts_usec, ek_view rec)
{
    if (w->failed)
        return EK_CAP_IO_ERR_WRITE;
    if (rec.len > EK_CAP_SNAPLEN || ts_usec >= 1000000u || ts_sec > UINT32_MAX) {
        w->failed = true;
        snprintf(w->msg, sizeof w->msg, "record does not fit classic pcap (len %zu)", rec.len);
        return EK_CAP_IO_ERR_WRITE;
    }
    uint8_t h[16];
    le32(h, (uint32_t)ts_sec);
    le32(h + 4, ts_usec);
    le32(h + 8, (uint32_t)rec.len);
    le32(h + 12, (uint32_t)rec.len);
    if (!put(w, h, sizeof h) || !put(w, rec.p, rec.len))
        return EK_CAP_IO_ERR_WRITE;
    return EK_CAP_IO_OK;
}

const char *ek_cap_writer_errmsg(const ek_cap_writer *w) { return w->msg; }

ek_cap_io ek_cap_writer_close(ek_cap_writer *w)
{
    if (!w)
        return EK_CAP_IO_OK;
    bool bad = w->failed;
    if (fclose(w->f) != 0)
        bad = true;
    free(w);
    return bad ? EK_CAP_IO_ERR_WRITE : EK_CAP_IO_OK;
}
