/* SPDX-License-Identifier: BSD-3-Clause */
/* enroll-decode output formats: readable tree (tree.c) and JSON Lines (ek/fields.h). */
#ifndef EK_DECODE_OUTPUT_H
#define EK_DECODE_OUTPUT_H

#include <stdio.h>

#include "ek/frame.h"

typedef struct ek_out_frame_info {
    unsigned long long index; /* 1-based record number in its file */
    size_t record_len;
    int linktype;
    const char *linktype_name;
} ek_out_frame_info;

void ek_out_tree(FILE *o, const ek_out_frame_info *info, const ek_frame *f);
/* --json keys beyond the summary table (per-layer fields), for ek_json_frame_ex. */
struct ek_outbuf;
void ek_out_json_extra(struct ek_outbuf *j, const ek_frame *f);
/* The ZEP header of the record whose frame is written next (NULL: not ZEP). */
#include "ek/zep.h"
void ek_out_note_zep(const ek_zep *z);
void ek_out_eui64(FILE *o, const uint8_t a[8]);
void ek_out_ipv6(FILE *o, const uint8_t a[16]);

#endif
