/* SPDX-License-Identifier: BSD-3-Clause */
/* ek-bench-decode: the enroll-decode pipeline without output - ek_cap_next,
 * ek_cap_decap, ek_frame_decode per record - to split decoding cost from formatting
 * cost in docs/performance.md.  --fcs-once: hand ek_cap_decap's FCS verdict to
 * ek_frame_decode_mpdu, as enroll-decode does (without it the CRC is computed twice).
 * Prints counts so nothing is optimised away. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/decap.h"
#include "ek/frame.h"
#include "ek/pcapio.h"

int main(int argc, char **argv)
{
    bool once = argc == 3 && !strcmp(argv[1], "--fcs-once");
    if (argc != 2 + once) {
        fputs("usage: ek-bench-decode [--fcs-once] FILE\n", stderr);
        return 1;
    }
    char eb[512];
    ek_cap_reader *r = NULL;
    if (ek_cap_open(argv[1 + once], &r, eb, sizeof eb) != EK_CAP_IO_OK) {
        fprintf(stderr, "ek-bench-decode: %s\n", eb);
        return 2;
    }
    ek_frame *f = malloc(sizeof *f);
    if (!f)
        return 2;
    ek_profile prof;
    ek_profile_default(&prof);
    ek_cap_record rec;
    unsigned long long n = 0, clean = 0, dio = 0, ji = 0, fcs_bad = 0;
    ek_cap_io io;
    while ((io = ek_cap_next(r, &rec)) == EK_CAP_IO_OK) {
        ek_cap_frame cf;
        ek_err e;
        n++;
        if (ek_cap_decap(rec.linktype, rec.data, &cf, &e) != EK_OK)
            continue;
        bool crc16 = cf.fcs_kind == EK_CAP_FCS_CRC16;
        ek_status st;
        if (once) {
            ek_frame_fcs known = { (uint16_t)cf.fcs, cf.fcs_ok };
            st = ek_frame_decode_mpdu(cf.mpdu, crc16 && cf.fcs_checked ? &known : NULL, &prof, f);
        } else {
            st = ek_frame_decode(crc16 ? cf.psdu : cf.mpdu, crc16, &prof, f);
        }
        clean += st == EK_OK;
        fcs_bad += f->sum.has_fcs && !f->sum.fcs_ok;
        dio += f->sum.has_dio;
        ji += f->sum.has_ji;
    }
    ek_cap_close(r);
    free(f);
    printf("%llu records, %llu clean, %llu DIO, %llu Join-Info, %llu bad FCS\n", n, clean, dio, ji, fcs_bad);
    return io == EK_CAP_IO_EOF ? 0 : 2;
}
