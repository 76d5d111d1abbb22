/* SPDX-License-Identifier: BSD-3-Clause */
/* ek-bench-gen: writes the benchmark capture, N frames (default 1,000,000) of the
 * framegen.h mix as LINKTYPE_IEEE802_15_4_WITHFCS (195) classic pcap.  Not a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/decap.h"
#include "ek/pcapio.h"
#include "framegen.h"

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs("usage: ek-bench-gen OUT.pcap [N]\n"
              "Writes N (default 1000000) mixed IEEE 802.15.4 frames, link type 195, correct FCS\n"
              "(except the ~1 % deliberately malformed ones).\n", argc < 2 ? stderr : stdout);
        return argc < 2 ? 1 : 0;
    }
    unsigned long long n = argc == 3 ? strtoull(argv[2], NULL, 10) : 1000000ull;
    ek_profile prof;
    ek_profile_default(&prof);
    char eb[512];
    ek_cap_writer *w = NULL;
    if (ek_cap_writer_open(argv[1], EK_LT_IEEE802_15_4_WITHFCS, &w, eb, sizeof eb) != EK_CAP_IO_OK) {
        fprintf(stderr, "ek-bench-gen: %s\n", eb);
        return 2;
    }
    unsigned long long count[EK_GEN_KINDS] = { 0 }, bytes = 0;
    uint8_t buf[256];
    for (unsigned long long i = 0; i < n; i++) {
        size_t len = ek_gen_frame(i, &prof, buf, sizeof buf);
        if (len == 0 || len > 127) {
            fprintf(stderr, "ek-bench-gen: frame %llu (%s): encoder failed or PSDU > 127 (%zu)\n", i,
                    ek_gen_kind_name(ek_gen_kind_of(i)), len);
            ek_cap_writer_close(w);
            return 3;
        }
        count[ek_gen_kind_of(i)]++;
        bytes += len;
        /* 1 ms apart, from an arbitrary fixed epoch, so the file is reproducible */
        if (ek_cap_write(w, 1700000000u + i / 1000, (uint32_t)(i % 1000) * 1000u, ek_view_make(buf, len)) !=
            EK_CAP_IO_OK) {
            fprintf(stderr, "ek-bench-gen: %s\n", ek_cap_writer_errmsg(w));
            ek_cap_writer_close(w);
            return 2;
        }
    }
    if (ek_cap_writer_close(w) != EK_CAP_IO_OK) {
        fprintf(stderr, "ek-bench-gen: %s: write failed\n", argv[1]);
        return 2;
    }
    fprintf(stderr, "ek-bench-gen: %llu frames, %llu PSDU octets:", n, bytes);
    for (int k = 0; k < EK_GEN_KINDS; k++)
        fprintf(stderr, " %s=%llu", ek_gen_kind_name((ek_gen_kind)k), count[k]);
    fputc('\n', stderr);
    return 0;
}
