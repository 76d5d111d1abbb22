/* SPDX-License-Identifier: BSD-3-Clause */
/* ek-bench-readloop: the baseline of docs/performance.md - a bare libpcap read loop
 * (pcap_next_ex over every record, summing caplen; --bytes also reads every octet).
 * Prints "records octets checksum" so the work cannot be optimised away. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    int touch = argc == 3 && !strcmp(argv[1], "--bytes");
    if (argc != 2 + touch) {
        fputs("usage: ek-bench-readloop [--bytes] FILE\n", stderr);
        return 1;
    }
    char eb[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(argv[1 + touch], eb);
    if (!p) {
        fprintf(stderr, "ek-bench-readloop: %s\n", eb);
        return 2;
    }
    struct pcap_pkthdr *h;
    const u_char *d;
    unsigned long long n = 0, octets = 0, sum = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
        n++;
        octets += h->caplen;
        if (touch)
            for (unsigned k = 0; k < h->caplen; k++)
                sum += d[k];
    }
    if (rc != PCAP_ERROR_BREAK) {
        fprintf(stderr, "ek-bench-readloop: %s\n", pcap_geterr(p));
        pcap_close(p);
        return 2;
    }
    pcap_close(p);
    printf("%llu %llu %llu\n", n, octets, sum);
    return 0;
}
