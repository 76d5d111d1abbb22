/* SPDX-License-Identifier: BSD-3-Clause */
/* Capture record -> ek_frame (ek/recdecode.h). */
#include <string.h>

#include "ek/recdecode.h"

/* Marks a record captured short (caplen < len): a note, not an error. */
static void note_truncation(const ek_cap_record *rec, ek_frame *f)
{
    if (rec->origlen <= rec->data.len)
        return;
    f->sum.truncated = true;
    f->sum.captured_len = rec->data.len;
    f->sum.original_len = rec->origlen;
}

ek_status ek_cap_decode_record(const ek_cap_record *rec, const ek_profile *prof, ek_frame *f, ek_cap_frame *cf_out)
{
    ek_cap_frame local;
    ek_cap_frame *cf = cf_out ? cf_out : &local;
    ek_err e;
    ek_status st = ek_cap_decap_captured(rec->linktype, rec->data, rec->origlen, cf, &e);
    if (st != EK_OK && !(st == EK_ERR_MALFORMED && cf->mpdu.p)) {
        memset(&f->sum, 0, sizeof f->sum);
        f->has_mac = f->has_net = f->has_icmp6 = f->has_rpl = false;
        f->n_errors = 0;
        f->errors_dropped = 0;
        cf->mpdu.p = NULL;
        cf->mpdu.len = 0;
        /* A ZEP v2 / v3 Ack (sequence number only, no MPDU) is not an error. */
        bool ack = st == EK_ERR_UNSUPPORTED && cf->has_zep && cf->zep.version >= 2 && cf->zep.type == EK_ZEP_TYPE_ACK;
        if (!ack && !(cf->truncated && ek_cap_cut_err(&e, rec->data.len)))
            f->errors[f->n_errors++] = e;
        note_truncation(rec, f);
        return f->n_errors ? f->errors[0].code : EK_OK;
    }
    /* ek_cap_decap has already checked a CRC-16 FCS: hand its verdict on, so the CRC is
     * computed once per frame.  A cut record has no FCS (it was not captured). */
    ek_status fst; /* the first codec error is also f->errors[0]: read from there */
    if (cf->truncated && !cf->fcs_present) {
        fst = ek_frame_decode_captured(cf->mpdu, cf->mpdu_len, NULL, prof, f);
    } else if (cf->fcs_kind == EK_CAP_FCS_CRC16 && cf->fcs_checked) {
        ek_frame_fcs known = { (uint16_t)cf->fcs, cf->fcs_ok };
        fst = ek_frame_decode_mpdu(cf->mpdu, &known, prof, f);
    } else if (cf->fcs_kind == EK_CAP_FCS_CRC16) {
        fst = ek_frame_decode(cf->psdu, true, prof, f);
    } else {
        fst = ek_frame_decode_mpdu(cf->mpdu, NULL, prof, f);
    }
    (void)fst;
    /* Codec offsets count from the MPDU; a user reading hex dumps wants record offsets. */
    for (unsigned i = 0; i < f->n_errors; i++)
        f->errors[i].offset += cf->mpdu_offset;
    if (st != EK_OK && f->n_errors < EK_FRAME_MAX_ERRORS)
        f->errors[f->n_errors++] = e;
    note_truncation(rec, f);
    return f->n_errors ? f->errors[0].code : EK_OK;
}
