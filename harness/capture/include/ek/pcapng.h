/* SPDX-License-Identifier: BSD-3-Clause */
/* Streaming pcapng writer (draft-ietf-opsawg-pcapng, little-endian): one Section Header
 * Block with a comment and the writing application, one Interface Description Block
 * (nanosecond timestamps), then Enhanced Packet Blocks with a packet comment and the
 * direction flag.  Every block is flushed as soon as it is written, so a crash loses
 * nothing already written.  Read back with ek_cap_open (libpcap) or Wireshark. */
#ifndef EK_PCAPNG_H
#define EK_PCAPNG_H

#include <stddef.h>
#include <stdint.h>

#include "ek/pcapio.h"

typedef struct ek_pcapng ek_pcapng;

/* Packet direction: epb_flags bits 0-1 (draft-ietf-opsawg-pcapng §4.3.1). */
typedef enum ek_pcapng_dir {
    EK_PCAPNG_DIR_UNKNOWN = 0,
    EK_PCAPNG_DIR_IN = 1,    /* observed: sent by the DUT */
    EK_PCAPNG_DIR_OUT = 2    /* injected by the harness */
} ek_pcapng_dir;

typedef struct ek_pcapng_opts {
    int linktype;              /* LINKTYPE_*; default 195 (IEEE 802.15.4 with FCS) */
    uint32_t snaplen;          /* 0 = no limit */
    const char *shb_comment;   /* section comment, may be NULL */
    const char *userappl;      /* shb_userappl; NULL = "enrollkit <version>" */
    const char *if_name;       /* if_name, may be NULL */
    const char *if_description;/* if_description, may be NULL */
} ek_pcapng_opts;

void ek_pcapng_opts_default(ek_pcapng_opts *o);

/* Creates/truncates path and writes the SHB and the IDB.  On failure *out is NULL and
 * errbuf names the path; returns EK_CAP_IO_ERR_OPEN (or _WRITE). */
ek_cap_io ek_pcapng_open(const char *path, const ek_pcapng_opts *o, ek_pcapng **out,
                         char *errbuf, size_t errlen);
/* Appends one Enhanced Packet Block: t_ns = nanoseconds since the Unix epoch,
 * comment (UTF-8, may be NULL or "") as opt_comment, dir as epb_flags. */
ek_cap_io ek_pcapng_write(ek_pcapng *w, uint64_t t_ns, const uint8_t *data, size_t len,
                          ek_pcapng_dir dir, const char *comment);
uint64_t ek_pcapng_count(const ek_pcapng *w);    /* packets written */
const char *ek_pcapng_path(const ek_pcapng *w);
const char *ek_pcapng_errmsg(const ek_pcapng *w); /* "" when no error */
/* Flushes and closes; EK_CAP_IO_ERR_WRITE if anything failed.  Frees w (NULL ok). */
ek_cap_io ek_pcapng_close(ek_pcapng *w);

#endif /* EK_PCAPNG_H */
