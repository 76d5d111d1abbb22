/* SPDX-License-Identifier: BSD-3-Clause */
/* Stimuli -> frames: the DIO a harness role sends (RFC 6550 §6.3.1 via ek_build_dio_frame),
 * with the enrollment option in the DUT's wire profile (draft-ietf-roll-enrollment-
 * priority) and raw extra options given as hex (RFC 6550 §6.7.1 Type | Length | data). */
#include <stdio.h>
#include <string.h>

#include "ek/lladdr.h"
#include "engine_int.h"

void ek_td_role_ext(ek_role r, uint8_t ext[8])
{
    /* 02:00:5e:ef:00:00:00:0a + role: locally administered, documentation OUI range */
    static const uint8_t base[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x0a };
    memcpy(ext, base, 8);
    ext[7] = (uint8_t)(0x0a + (unsigned)r);
}

uint16_t ek_stim_role_rank(ek_role r)
{
    return r == EK_ROLE_A ? 256 : 1024;
}

const char *ek_role_name(ek_role r)
{
    switch (r) {
    case EK_ROLE_A: return "A";
    case EK_ROLE_B: return "B";
    case EK_ROLE_ROGUE: return "ROGUE";
    default: return "?";
    }
}

int ek_stim_parse_extra(const char *hex, ek_build_raw_opt *out, unsigned cap, char *err, size_t errlen)
{
    uint8_t b[EK_BUILD_MAX_EXTRA_OPTS * (EK_BUILD_RAW_OPT_MAX + 2)];
    size_t group_end[EK_BUILD_MAX_EXTRA_OPTS * 2], n = 0;
    unsigned groups = 0;
    if (!hex)
        return 0;
    /* Octets first (pairs of hex digits; spaces, ':' and ',' separate; ';' ends an option). */
    for (const char *p = hex; *p;) {
        if (*p == ' ' || *p == '\t' || *p == ':' || *p == ',') {
            p++;
            continue;
        }
        if (*p == ';') {
            if (groups < sizeof group_end / sizeof group_end[0] && (groups == 0 || group_end[groups - 1] != n))
                group_end[groups++] = n;
            p++;
            continue;
        }
        int hi = ek_hex_digit((unsigned char)p[0]), lo = p[1] ? ek_hex_digit((unsigned char)p[1]) : -1;
        if (hi < 0 || lo < 0) {
            snprintf(err, errlen, "extra_hex: bad hex at offset %zu", (size_t)(p - hex));
            return -1;
        }
        if (n == sizeof b) {
            snprintf(err, errlen, "extra_hex: more than %zu octets", sizeof b);
            return -1;
        }
        b[n++] = (uint8_t)(hi << 4 | lo);
        p += 2;
    }
    if (groups == 0 || group_end[groups - 1] != n)
        group_end[groups++] = n;
    unsigned count = 0;
    size_t i = 0;
    for (unsigned g = 0; g < groups; g++) {
        while (i < group_end[g]) {
            size_t left = group_end[g] - i;
            if (count == cap) {
                snprintf(err, errlen, "extra_hex: more than %u options", cap);
                return -1;
            }
            ek_build_raw_opt *o = &out[count];
            memset(o, 0, sizeof *o);
            o->type = b[i];
            if (o->type == 0) {     /* RFC 6550 §6.7.2: Pad1 is one octet, no Length */
                i += 1;
                count++;
                continue;
            }
            if (left == 1) {
                snprintf(err, errlen, "extra_hex: option 0x%02x has no Length octet", o->type);
                return -1;
            }
            o->length = b[i + 1];
            size_t data = left - 2;
            if (o->length < data)
                data = o->length;   /* the declared Length fits: it ends this option */
            if (data > EK_BUILD_RAW_OPT_MAX) {
                snprintf(err, errlen, "extra_hex: option 0x%02x data longer than %d octets", o->type,
                         EK_BUILD_RAW_OPT_MAX);
                return -1;
            }
            o->data_len = (uint8_t)data;
            memcpy(o->data, b + i + 2, data);
            i += 2 + data;
            count++;
        }
    }
    return (int)count;
}

int ek_stim_build(const ek_stimulus *s, const ek_dut *dut, const ek_td_ctx *ctx, uint8_t seq, uint8_t *out,
                  size_t cap, size_t *len, ek_minprio *mep, bool *has_mep, char *err, size_t errlen)
{
    ek_build_node node;
    ek_build_dio d;
    ek_err e = { 0 };
    if ((unsigned)s->from >= EK_ROLE_COUNT) {
        snprintf(err, errlen, "bad role %d", (int)s->from);
        return -1;
    }
    memset(&node, 0, sizeof node);
    ek_td_role_ext(s->from, node.ext);
    node.pan_id = dut->pan_id;
    node.seq = seq;
    ek_build_dio_init(&d);
    d.base.rank = s->rank ? s->rank : ek_stim_role_rank(s->from);
    d.base.version = s->dodag_version ? s->dodag_version : 240;   /* RFC 6550 §7.2 lollipop start */
    if (s->mep.present) {
        ek_mep_profile m = dut->prof.mep;
        memset(&d.mep, 0, sizeof d.mep);
        d.has_mep = true;
        d.mep.profile = m;
        d.mep.type = dut->prof.mep_type;
        d.mep.length = ek_minprio_data_len(m);
        d.mep.min_priority = s->mep.min;
        d.mep.has_version = m == EK_MEP_DRAFT09 || m == EK_MEP_DRAFT16;
        d.mep.version = d.mep.has_version ? s->mep.version : 0;
        d.mep.t = d.mep.has_version && s->mep.t;
        d.mep.r = !d.mep.has_version && s->mep.r;
        d.mep.has_size = m != EK_MEP_DRAFT03;
        if (d.mep.has_size && s->mep.size) {
            if (!ek_minprio_size_encode(s->mep.size, m, &d.mep.exp, &d.mep.size_code)) {
                snprintf(err, errlen, "DODAG size %lu does not fit the %s layout", (unsigned long)s->mep.size,
                         ek_mep_profile_name(m));
                return -1;
            }
            d.mep.dodag_size = (uint32_t)d.mep.size_code << d.mep.exp;
        }
    }
    int nx = ek_stim_parse_extra(s->extra_hex, d.extra, EK_BUILD_MAX_EXTRA_OPTS, err, errlen);
    if (nx < 0)
        return -1;
    d.n_extra = (unsigned)nx;
    d.extra_pos = s->extra_pos;
    if (s->tweak)
        s->tweak(ctx, &d);
    ek_status st = ek_build_dio_frame(&node, &d, &dut->prof, out, cap, len, &e);
    if (st != EK_OK) {
        snprintf(err, errlen, "cannot build the DIO: %s at offset %zu (%s)", e.field ? e.field : "?", e.offset,
                 st == EK_ERR_NOSPACE ? "too long" : st == EK_ERR_UNSUPPORTED ? "unsupported" : "invalid field");
        return -1;
    }
    *has_mep = d.has_mep;
    if (d.has_mep)
        *mep = d.mep;
    return 0;
}

void ek_stim_describe(const ek_stimulus *s, char *buf, size_t buflen)
{
    if (s->kind == EK_STIM_STOP) {
        snprintf(buf, buflen, "stop %s's periodic DIO", ek_role_name(s->from));
        return;
    }
    if (s->kind == EK_STIM_REPLAY) {
        snprintf(buf, buflen, "replay of step %u's frame as %s", s->replay_step, ek_role_name(s->from));
        return;
    }
    int w = snprintf(buf, buflen, "DIO from %s rank %u version %u", ek_role_name(s->from),
                     (unsigned)(s->rank ? s->rank : ek_stim_role_rank(s->from)),
                     (unsigned)(s->dodag_version ? s->dodag_version : 240));
    size_t u = w < 0 ? 0 : (size_t)w;
    if (u < buflen && s->mep.present)
        u += (size_t)snprintf(buf + u, buflen - u, ", option min 0x%02x v%u T=%d", s->mep.min, s->mep.version,
                              s->mep.t ? 1 : 0);
    else if (u < buflen)
        u += (size_t)snprintf(buf + u, buflen - u, ", no option");
    if (u < buflen && s->extra_hex && s->extra_hex[0])
        u += (size_t)snprintf(buf + u, buflen - u, ", extra [%s]", s->extra_hex);
    (void)u;
}
