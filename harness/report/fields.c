/* SPDX-License-Identifier: BSD-3-Clause */
/* Field table and JSON Lines rendering (see ek/fields.h).  Integers are JSON numbers,
 * addresses canonical text, byte strings lowercase hex. */
#include <stddef.h>
#include <string.h>

#include "ek/fields.h"

#define F(key, kind, has, val) { key, kind, offsetof(ek_frame_summary, has), offsetof(ek_frame_summary, val) }

const ek_field ek_fields[] = {
    F("wpan.fcs_ok", EK_FIELD_BOOL, has_fcs, fcs_ok),
    F("wpan.frame_type", EK_FIELD_U8, has_mac, frame_type),
    F("wpan.seq_no", EK_FIELD_U8, has_seq, seq),
    F("wpan.dst_pan", EK_FIELD_U16, has_dst_pan, dst_pan),
    F("wpan.dst16", EK_FIELD_U16, has_dst16, dst16),
    F("wpan.dst64", EK_FIELD_EUI64, has_dst64, dst64),
    F("wpan.src_pan", EK_FIELD_U16, has_src_pan, src_pan),
    F("wpan.src16", EK_FIELD_U16, has_src16, src16),
    F("wpan.src64", EK_FIELD_EUI64, has_src64, src64),
    F("wpan.tsch.asn", EK_FIELD_U64, has_asn, asn),
    F("wpan.tsch.join_metric", EK_FIELD_U8, has_asn, join_metric),
    F("ipv6.src", EK_FIELD_IPV6, has_ipv6, ip_src),
    F("ipv6.dst", EK_FIELD_IPV6, has_ipv6, ip_dst),
    F("icmpv6.checksum.status", EK_FIELD_U8, has_icmp6, icmp6_checksum_status),
    F("icmpv6.rpl.dio.dagid", EK_FIELD_IPV6, has_dio, dodagid),
    F("icmpv6.rpl.dio.instance", EK_FIELD_U8, has_dio, instance_id),
    F("icmpv6.rpl.dio.version", EK_FIELD_U8, has_dio, version),
    F("icmpv6.rpl.dio.rank", EK_FIELD_U16, has_dio, rank),
    F("icmpv6.rpl.dio.dtsn", EK_FIELD_U8, has_dio, dtsn),
    F("enroll.mep.type", EK_FIELD_U8, has_mep, mep_type),
    F("enroll.mep.length", EK_FIELD_U8, has_mep, mep_length),
    F("enroll.mep.r", EK_FIELD_BOOL, has_mep_r, mep_r),
    F("enroll.mep.version", EK_FIELD_U8, has_mep_version, mep_version),
    F("enroll.mep.t", EK_FIELD_BOOL, has_mep_version, mep_t),
    F("enroll.mep.min_priority", EK_FIELD_U8, has_mep, min_priority),
    F("enroll.mep.exp", EK_FIELD_U8, has_mep_size, mep_exp),
    F("enroll.mep.dodag_size_code", EK_FIELD_U16, has_mep_size, mep_size_code),
    F("enroll.mep.dodag_size", EK_FIELD_U64, has_mep_size, mep_dodag_size),
    F("enroll.ji.r", EK_FIELD_BOOL, has_ji, ji_r),
    F("enroll.ji.p", EK_FIELD_BOOL, has_ji, ji_p),
    F("enroll.ji.reserved", EK_FIELD_U8, has_ji, ji_reserved),
    F("enroll.ji.proxy_priority", EK_FIELD_U8, has_ji, proxy_priority),
    F("enroll.ji.rank_priority", EK_FIELD_U16, has_ji, rank_priority),
    F("enroll.ji.pan_priority", EK_FIELD_U8, has_ji, pan_priority),
    F("enroll.ji.join_proxy_iid", EK_FIELD_HEX8, has_join_proxy_iid, join_proxy_iid),
    F("enroll.ji.network_id", EK_FIELD_VIEW, has_ji, network_id),
    F("enroll.ji.network_id_len", EK_FIELD_U8, has_ji, network_id_len),
    F("enroll.decode.truncated", EK_FIELD_BOOL, truncated, truncated),
    F("frame.cap_len", EK_FIELD_U64, truncated, captured_len),
    F("frame.len", EK_FIELD_U64, truncated, original_len),
    F("enroll.decode.psdu_too_long", EK_FIELD_BOOL, psdu_too_long, psdu_too_long),
    F("enroll.decode.psdu_len", EK_FIELD_U64, psdu_too_long, psdu_len),
    F("enroll.decode.needs_context_src", EK_FIELD_U8, needs_ctx_src, ctx_src),
    F("enroll.decode.needs_context_dst", EK_FIELD_U8, needs_ctx_dst, ctx_dst),
    F("enroll.decode.header_ies_not_shown", EK_FIELD_U16, has_ies_dropped, hdr_ies_dropped),
    F("enroll.decode.payload_ies_not_shown", EK_FIELD_U16, has_ies_dropped, pl_ies_dropped),
    F("enroll.decode.sub_ies_not_shown", EK_FIELD_U16, has_ies_dropped, sub_ies_dropped),
};
const size_t ek_fields_count = sizeof ek_fields / sizeof ek_fields[0];

const ek_field *ek_field_find(const char *key)
{
    for (size_t i = 0; i < ek_fields_count; i++)
        if (strcmp(ek_fields[i].key, key) == 0)
            return &ek_fields[i];
    return NULL;
}

bool ek_field_present(const ek_field *f, const ek_frame_summary *s)
{
    const char *base = (const char *)s;
    return *(const bool *)(const void *)(base + f->has_off);
}

bool ek_field_is_string(const ek_field *f)
{
    return f->kind >= EK_FIELD_EUI64;
}

/* ---- Small formatters: no stdio, no locale; on the enroll-decode hot path. ---- */

static const char HEX[] = "0123456789abcdef";

size_t ek_fmt_u64(char *dst, unsigned long long v)
{
    /* Most values printed are octets and 16-bit fields: short cases first. */
    if (v < 10) {
        dst[0] = (char)('0' + v);
        return 1;
    }
    if (v < 100) {
        dst[0] = (char)('0' + v / 10);
        dst[1] = (char)('0' + v % 10);
        return 2;
    }
    if (v < 1000) {
        dst[0] = (char)('0' + v / 100);
        dst[1] = (char)('0' + v / 10 % 10);
        dst[2] = (char)('0' + v % 10);
        return 3;
    }
    /* Two digits per division, written backwards from the known length. */
    static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                "8081828384858687888990919293949596979899";
    size_t n = 4;
    for (unsigned long long x = v / 10000; x; x /= 10)
        n++;
    char *d = dst + n;
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        d -= 2;
        d[0] = pairs[2 * r];
        d[1] = pairs[2 * r + 1];
    }
    if (v >= 10) {
        d -= 2;
        d[0] = pairs[2 * v];
        d[1] = pairs[2 * v + 1];
    } else {
        *--d = (char)('0' + v);
    }
    return n;
}

size_t ek_fmt_hex(char *dst, const uint8_t *p, size_t n, char sep)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (sep && i)
            dst[k++] = sep;
        dst[k++] = HEX[p[i] >> 4];
        dst[k++] = HEX[p[i] & 15];
    }
    return k;
}

size_t ek_fmt_hex0x(char *dst, unsigned v, unsigned digits)
{
    dst[0] = '0';
    dst[1] = 'x';
    for (unsigned i = 0; i < digits; i++)
        dst[2 + i] = HEX[(v >> (4 * (digits - 1 - i))) & 15];
    return 2 + digits;
}

size_t ek_fmt_eui64(char *dst, const uint8_t a[8])
{
    return ek_fmt_hex(dst, a, 8, ':');
}

/* RFC 5952 §4 text, the same as glibc inet_ntop(AF_INET6): the longest run (first on
 * a tie) of >= 2 zero groups becomes "::", leading zeros dropped, lowercase, and the
 * ::a.b.c.d / ::ffff:a.b.c.d forms (RFC 4291 §2.2 item 3) for IPv4-compatible and
 * IPv4-mapped addresses. */
size_t ek_fmt_ipv6(char *dst, const uint8_t a[16])
{
    unsigned w[8];
    for (int i = 0; i < 8; i++)
        w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
    int best = -1, blen = 0;
    for (int i = 0; i < 8;) {
        if (w[i]) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && !w[j])
            j++;
        if (j - i > blen) {
            best = i;
            blen = j - i;
        }
        i = j;
    }
    if (blen < 2)
        best = -1;
    size_t k = 0;
    for (int i = 0; i < 8; i++) {
        if (best >= 0 && i >= best && i < best + blen) {
            if (i == best)
                dst[k++] = ':';
            continue;
        }
        if (i)
            dst[k++] = ':';
        if (i == 6 && best == 0 && (blen == 6 || (blen == 5 && w[5] == 0xffff))) {
            for (int b = 12; b < 16; b++) {
                k += ek_fmt_u64(dst + k, a[b]);
                if (b < 15)
                    dst[k++] = '.';
            }
            return k;
        }
        unsigned g = w[i]; /* leading zeros dropped (RFC 5952 §4.1) */
        if (g >= 0x1000)
            dst[k++] = HEX[g >> 12];
        if (g >= 0x100)
            dst[k++] = HEX[(g >> 8) & 15];
        if (g >= 0x10)
            dst[k++] = HEX[(g >> 4) & 15];
        dst[k++] = HEX[g & 15];
    }
    if (best >= 0 && best + blen == 8)
        dst[k++] = ':';
    return k;
}

/* Days since 1970-01-01 -> proleptic Gregorian y/m/d (H. Hinnant's civil_from_days). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static size_t put2(char *d, unsigned v)
{
    d[0] = (char)('0' + v / 10 % 10);
    d[1] = (char)('0' + v % 10);
    return 2;
}

size_t ek_fmt_ntp(char *dst, uint64_t ntp)
{
    /* RFC 5905 §6 eras as Wireshark reads them: bit 31 set 1968-2036 (era 0, from
     * 1900), clear 2036-2104 (era 1, from 2036-02-07T06:28:16Z). */
    uint32_t sec = (uint32_t)(ntp >> 32), frac = (uint32_t)ntp;
    int64_t t = 0;
    uint32_t ns = 0;
    ns = (uint32_t)(1000000000.0 * (frac / 4294967296.0));
    if (sec || ns) /* else Wireshark's "NULL" time: 1970-01-01 */
        t = (sec & 0x80000000u) ? (int64_t)sec - 2208988800 : (int64_t)sec + 2085978496;
    int64_t days = t / 86400, rem = t % 86400, y;
    unsigned mo, d;
    civil_from_days(days, &y, &mo, &d);
    size_t k = ek_fmt_u64(dst, (unsigned long long)y);
    dst[k++] = '-';
    k += put2(dst + k, mo);
    dst[k++] = '-';
    k += put2(dst + k, d);
    dst[k++] = 'T';
    k += put2(dst + k, (unsigned)(rem / 3600));
    dst[k++] = ':';
    k += put2(dst + k, (unsigned)(rem / 60 % 60));
    dst[k++] = ':';
    k += put2(dst + k, (unsigned)(rem % 60));
    dst[k++] = '.';
    for (uint32_t div = 100000000; div; div /= 10)
        dst[k++] = (char)('0' + ns / div % 10);
    dst[k++] = 'Z';
    return k;
}

/* Value text of a present field into dst (room for EK_FIELD_TEXT_MAX); returns its
 * length.  A byte string is cut at EK_FIELD_VIEW_MAX octets (a network ID has <= 16):
 * the JSON has always shown what fits ek_field_format's former 64-octet buffer. */
static size_t field_text(const ek_field *f, const ek_frame_summary *s, char *dst)
{
    const void *v = (const char *)s + f->val_off;
    switch (f->kind) {
    case EK_FIELD_BOOL:
        if (*(const bool *)v) {
            memcpy(dst, "true", 4);
            return 4;
        }
        memcpy(dst, "false", 5);
        return 5;
    case EK_FIELD_U8:
        return ek_fmt_u64(dst, *(const uint8_t *)v);
    case EK_FIELD_U16:
        return ek_fmt_u64(dst, *(const uint16_t *)v);
    case EK_FIELD_U64:
        return ek_fmt_u64(dst, (unsigned long long)*(const uint64_t *)v);
    case EK_FIELD_EUI64:
        return ek_fmt_eui64(dst, v);
    case EK_FIELD_IPV6:
        return ek_fmt_ipv6(dst, v);
    case EK_FIELD_HEX8:
        return ek_fmt_hex(dst, v, 8, 0);
    case EK_FIELD_VIEW: {
        const ek_view *w = v;
        return ek_fmt_hex(dst, w->p, w->len < EK_FIELD_VIEW_MAX ? w->len : EK_FIELD_VIEW_MAX, 0);
    }
    }
    return 0;
}

const char *ek_field_format(const ek_field *f, const ek_frame_summary *s, char *buf, size_t buflen)
{
    if (buflen == 0)
        return buf;
    size_t n;
    if (f->kind == EK_FIELD_VIEW) { /* whole octets, as many as fit */
        const ek_view *w = (const void *)((const char *)s + f->val_off);
        size_t m = (buflen - 1) / 2;
        n = ek_fmt_hex(buf, w->p, w->len < m ? w->len : m, 0);
    } else {
        char t[EK_FIELD_TEXT_MAX];
        n = field_text(f, s, t);
        if (n > buflen - 1)
            n = f->kind == EK_FIELD_IPV6 ? 0 /* inet_ntop's ENOSPC */
                : f->kind == EK_FIELD_HEX8 ? (buflen - 1) & ~(size_t)1 : buflen - 1;
        memcpy(buf, t, n);
    }
    buf[n] = '\0';
    return buf;
}

void ek_outbuf_flush(ek_outbuf *t)
{
    if (t->n)
        fwrite(t->b, 1, t->n, t->o);
    t->n = 0;
}

#define JLIT(j, lit) ek_outbuf_put(j, lit, sizeof(lit) - 1)

static void jnum(ek_outbuf *j, unsigned long long v)
{
    char *d = ek_outbuf_room(j, EK_FMT_U64_MAX);
    j->n += ek_fmt_u64(d, v);
}

/* JSON string: '"' and '\\' escaped, control characters as \u00XX. */
static void json_string(ek_outbuf *j, const char *s)
{
    JLIT(j, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            char e[2] = { '\\', (char)c };
            ek_outbuf_put(j, e, 2);
        } else if (c < 0x20) {
            char u[6] = { '\\', 'u', '0', '0', HEX[c >> 4], HEX[c & 15] };
            ek_outbuf_put(j, u, 6);
        } else {
            ek_outbuf_put(j, s, 1);
        }
    }
    JLIT(j, "\"");
}

void ek_json_frame(FILE *o, unsigned long long index, const ek_frame *f)
{
    ek_json_frame_ex(o, index, f, NULL);
}

void ek_json_frame_ex(FILE *o, unsigned long long index, const ek_frame *f, ek_json_extra_fn extra)
{
    ek_outbuf j;
    j.o = o;
    j.n = 0;
    JLIT(&j, "{\"frame.number\":");
    jnum(&j, index);
    for (size_t i = 0; i < ek_fields_count; i++) {
        const ek_field *fd = &ek_fields[i];
        if (!ek_field_present(fd, &f->sum))
            continue;
        size_t kl = strlen(fd->key);
        char *d = ek_outbuf_room(&j, kl + 6 + EK_FIELD_TEXT_MAX);
        size_t k = 0;
        d[k++] = ',';
        d[k++] = '"';
        memcpy(d + k, fd->key, kl);
        k += kl;
        d[k++] = '"';
        d[k++] = ':';
        /* string values (addresses, hex) never hold a character JSON must escape */
        bool str = ek_field_is_string(fd);
        if (str)
            d[k++] = '"';
        k += field_text(fd, &f->sum, d + k);
        if (str)
            d[k++] = '"';
        j.n += k;
    }
    if (extra)
        extra(&j, f);
    JLIT(&j, ",\"errors\":[");
    for (unsigned i = 0; i < f->n_errors; i++) {
        const ek_err *e = &f->errors[i];
        if (i)
            JLIT(&j, ",");
        JLIT(&j, "{\"code\":\"");
        const char *cn = ek_status_name(e->code);
        ek_outbuf_put(&j, cn, strlen(cn));
        JLIT(&j, "\",\"field\":");
        json_string(&j, e->field ? e->field : "?");
        JLIT(&j, ",\"offset\":");
        jnum(&j, e->offset);
        JLIT(&j, "}");
    }
    JLIT(&j, "]}\n");
    ek_outbuf_flush(&j);
}
