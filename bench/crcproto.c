/* SPDX-License-Identifier: BSD-3-Clause */
/* ek-bench-crc: prototype for docs/performance.md - CRC-16/KERMIT (IEEE 802.15.4-2015
 * §7.2.10) over every record of a capture with ek_fcs16 (one table lookup per octet)
 * and with slice-by-8 (8 tables, 8 octets per step); checks both agree, prints times. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ek/fcs.h"

static uint16_t tab[8][256];

static void init_tabs(void)
{
    for (unsigned i = 0; i < 256; i++) {
        uint16_t c = (uint16_t)i;
        for (int k = 0; k < 8; k++)
            c = (uint16_t)((c & 1) ? (c >> 1) ^ 0x8408 : c >> 1);
        tab[0][i] = c;
    }
    for (unsigned i = 0; i < 256; i++)
        for (int t = 1; t < 8; t++)
            tab[t][i] = (uint16_t)((tab[t - 1][i] >> 8) ^ tab[0][tab[t - 1][i] & 0xff]);
}

static uint16_t crc_s8(const uint8_t *p, size_t n)
{
    uint16_t c = 0;
    while (n >= 8) {
        c = (uint16_t)(tab[7][(p[0] ^ c) & 0xff] ^ tab[6][(p[1] ^ (c >> 8)) & 0xff] ^ tab[5][p[2]] ^ tab[4][p[3]] ^
                       tab[3][p[4]] ^ tab[2][p[5]] ^ tab[1][p[6]] ^ tab[0][p[7]]);
        p += 8;
        n -= 8;
    }
    while (n--)
        c = (uint16_t)((c >> 8) ^ tab[0][(c ^ *p++) & 0xff]);
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
                a += m ? crc_s8(all + off, len[i]) : ek_fcs16(ek_view_make(all + off, len[i]));
            double t = now() - t0;
            acc[m] = a;
            if (t < best[m])
                best[m] = t;
        }
    printf("%zu records, %zu octets: ek_fcs16 %.4f s, slice-by-8 %.4f s (%.2fx), %s\n", nrec, used, best[0],
           best[1], best[0] / best[1], acc[0] == acc[1] ? "same CRCs" : "MISMATCH");
    free(all);
    free(len);
    return acc[0] == acc[1] ? 0 : 3;
}
