/* SPDX-License-Identifier: BSD-3-Clause */
/* ek-bench-crc: docs/performance.md - CRC-16/KERMIT (IEEE 802.15.4-2015 §7.2.10) over
 * every record of a capture with ek_fcs16 (slice-by-8 since it was adopted from this
 * prototype) and with the former one-lookup-per-octet table; checks both agree, prints
 * times. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ek/fcs.h"

static uint16_t tab[256];

static void init_tabs(void)
{
    for (unsigned i = 0; i < 256; i++) {
        uint16_t c = (uint16_t)i;
        for (int k = 0; k < 8; k++)
            c = (uint16_t)((c & 1) ? (c >> 1) ^ 0x8408 : c >> 1);
        tab[i] = c;
    }
}

static uint16_t crc_bytewise(const uint8_t *p, size_t n)
{
    uint16_t c = 0;
    while (n--)
        c = (uint16_t)((c >> 8) ^ tab[(c ^ *p++) & 0xff]);
    return c;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: ek-bench-crc FILE\n", stderr);
        return 1;
    }
    char eb[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(argv[1], eb);
    if (!p) {
        fprintf(stderr, "ek-bench-crc: %s\n", eb);
        return 2;
    }
    /* load every record into memory so only the CRC is timed */
    size_t cap = 1 << 20, used = 0, nrec = 0, rcap = 1 << 16;
    uint8_t *all = malloc(cap);
    size_t *len = malloc(rcap * sizeof *len);
    struct pcap_pkthdr *h;
    const u_char *d;
    while (all && len && pcap_next_ex(p, &h, &d) == 1) {
        if (used + h->caplen > cap && !(all = realloc(all, cap *= 2)))
            break;
        if (nrec == rcap && !(len = realloc(len, (rcap *= 2) * sizeof *len)))
            break;
        memcpy(all + used, d, h->caplen);
        used += h->caplen;
        len[nrec++] = h->caplen;
    }
    pcap_close(p);
    if (!all || !len)
        return 2;
    init_tabs();
    double best[2] = { 1e9, 1e9 };
    unsigned long long acc[2] = { 0, 0 };
    for (int run = 0; run < 3; run++)
        for (int m = 0; m < 2; m++) {
            double t0 = now();
            unsigned long long a = 0;
            size_t off = 0;
            for (size_t i = 0; i < nrec; off += len[i++])
                a += m ? crc_bytewise(all + off, len[i]) : ek_fcs16(ek_view_make(all + off, len[i]));
            double t = now() - t0;
            acc[m] = a;
            if (t < best[m])
                best[m] = t;
        }
    printf("%zu records, %zu octets: ek_fcs16 (slice-by-8) %.4f s, bytewise table %.4f s (%.2fx), %s\n", nrec,
           used, best[0], best[1], best[1] / best[0], acc[0] == acc[1] ? "same CRCs" : "MISMATCH");
    free(all);
    free(len);
    return acc[0] == acc[1] ? 0 : 3;
}
