/* SPDX-License-Identifier: BSD-3-Clause */
/* Capture file I/O: reads pcap and pcapng through libpcap (nanosecond timestamps);
 * writes classic pcap with plain stdio (little-endian, microsecond, snaplen 262144;
 * https://www.tcpdump.org/manpages/pcap-savefile.5.html).  Opaque handles. */
#ifndef EK_PCAPIO_H
#define EK_PCAPIO_H

#include "ek/base.h"

#define EK_CAP_SNAPLEN 262144
#define EK_CAP_PCAP_MAGIC 0xa1b2c3d4u /* microsecond classic pcap */

/* I/O results; distinct from codec ek_status on purpose. */
typedef enum ek_cap_io {
    EK_CAP_IO_OK = 0,
    EK_CAP_IO_EOF,       /* no more records */
    EK_CAP_IO_ERR_OPEN,  /* nonexistent / unreadable / not a capture file */
    EK_CAP_IO_ERR_READ,  /* damaged file part-way */
    EK_CAP_IO_ERR_WRITE
} ek_cap_io;

typedef struct ek_cap_reader ek_cap_reader;
typedef struct ek_cap_writer ek_cap_writer;

typedef struct ek_cap_record {
    int linktype;        /* pcap_datalink() of the file/interface (DLT_* value) */
    uint64_t ts_sec;
    uint32_t ts_nsec;
    uint32_t caplen, origlen;
    uint64_t index;      /* 1-based record number */
    ek_view data;        /* valid until the next ek_cap_next / ek_cap_close */
} ek_cap_record;

/* Opens path (pcap or pcapng).  On failure *out is NULL and errbuf holds libpcap's
 * message prefixed with the path; returns EK_CAP_IO_ERR_OPEN. */
ek_cap_io ek_cap_open(const char *path, ek_cap_reader **out, char *errbuf, size_t errlen);
/* Next record: EK_CAP_IO_OK, EK_CAP_IO_EOF, or EK_CAP_IO_ERR_READ (see ek_cap_errmsg). */
ek_cap_io ek_cap_next(ek_cap_reader *r, ek_cap_record *rec);
int ek_cap_linktype(const ek_cap_reader *r);
const char *ek_cap_errmsg(const ek_cap_reader *r);
void ek_cap_close(ek_cap_reader *r);

/* Creates/truncates path and writes the file header for `linktype` (DLT_RAW 12/14
 * are written as LINKTYPE_RAW 101).  EK_CAP_IO_ERR_OPEN with errbuf on failure. */
ek_cap_io ek_cap_writer_open(const char *path, int linktype, ek_cap_writer **out,
                             char *errbuf, size_t errlen);
/* Appends one record (caplen = origlen = rec.len, must be <= EK_CAP_SNAPLEN). */
ek_cap_io ek_cap_write(ek_cap_writer *w, uint64_t ts_sec, uint32_t ts_usec, ek_view rec);
const char *ek_cap_writer_errmsg(const ek_cap_writer *w);
/* Flushes and closes; EK_CAP_IO_ERR_WRITE if anything failed.  Frees w. */
ek_cap_io ek_cap_writer_close(ek_cap_writer *w);

/* libpcap DLT value -> the LINKTYPE_ value a file carries (12/14 -> 101). */
int ek_cap_dlt_to_linktype(int dlt);

#endif /* EK_PCAPIO_H */
