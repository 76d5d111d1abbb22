/* SPDX-License-Identifier: BSD-3-Clause */
/* Field table and JSON Lines rendering (see ek/fields.h).  Integers are JSON numbers,
 * addresses canonical text, byte strings lowercase hex (issue 2 §4). */
#include <arpa/inet.h>
#include <stddef.h>
#include <string.h>

#include "ek/fields.h"

#define F(key, kind, has, val) { key, kind, offsetof(ek_frame_summary, has), offsetof(ek_frame_summary, val) }

const ek_field ek_fields[] = {
    F("fcs_ok", EK_FIELD_BOOL, has_fcs, fcs_ok),
    F("frame_type", EK_FIELD_U8, has_mac, frame_type),
    F("seq", EK_FIELD_U8, has_seq, seq),
    F("dst_pan", EK_FIELD_U16, has_dst_pan, dst_pan),
    F("dst16", EK_FIELD_U16, has_dst16, dst16),
    F("dst64", EK_FIELD_EUI64, has_dst64, dst64),
    F("src_pan", EK_FIELD_U16, has_src_pan, src_pan),
    F("src16", EK_FIELD_U16, has_src16, src16),
    F("src64", EK_FIELD_EUI64, has_src64, src64),
    F("asn", EK_FIELD_U64, has_asn, asn),
    F("join_metric", EK_FIELD_U8, has_asn, join_metric),
    F("ip_src", EK_FIELD_IPV6, has_ipv6, ip_src),
    F("ip_dst", EK_FIELD_IPV6, has_ipv6, ip_dst),
    F("icmp6_checksum_ok", EK_FIELD_BOOL, has_icmp6, icmp6_checksum_ok),
    F("dodagid", EK_FIELD_IPV6, has_dio, dodagid),
    F("instance_id", EK_FIELD_U8, has_dio, instance_id),
    F("version", EK_FIELD_U8, has_dio, version),
    F("rank", EK_FIELD_U16, has_dio, rank),
    F("dtsn", EK_FIELD_U8, has_dio, dtsn),
    F("min_priority", EK_FIELD_U8, has_mep, min_priority),
    F("proxy_priority", EK_FIELD_U8, has_ji, proxy_priority),
    F("rank_priority", EK_FIELD_U16, has_ji, rank_priority),
    F("pan_priority", EK_FIELD_U8, has_ji, pan_priority),
    F("join_proxy_iid", EK_FIELD_HEX8, has_join_proxy_iid, join_proxy_iid),
    F("network_id", EK_FIELD_VIEW, has_ji, network_id),
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

static void hex(const uint8_t *p, size_t n, char *buf, size_t buflen)
{
    static const char digits[] = "0123456789abcdef";
    size_t k = 0;
    for (size_t i = 0; i < n && k + 2 < buflen; i++) {
        buf[k++] = digits[p[i] >> 4];
        buf[k++] = digits[p[i] & 15];
    }
    buf[k] = '\0';
}

const char *ek_field_format(const ek_field *f, const ek_frame_summary *s, char *buf, size_t buflen)
{
    const void *v = (const char *)s + f->val_off;
    if (buflen == 0)
        return buf;
    switch (f->kind) {
    case EK_FIELD_BOOL:
        snprintf(buf, buflen, "%s", *(const bool *)v ? "true" : "false");
        break;
    case EK_FIELD_U8:
        snprintf(buf, buflen, "%u", *(const uint8_t *)v);
        break;
    case EK_FIELD_U16:
        snprintf(buf, buflen, "%u", *(const uint16_t *)v);
        break;
    case EK_FIELD_U64:
        snprintf(buf, buflen, "%llu", (unsigned long long)*(const uint64_t *)v);
        break;
    case EK_FIELD_EUI64: {
        const uint8_t *a = v;
        snprintf(buf, buflen, "%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5],
                 a[6], a[7]);
        break;
    }
    case EK_FIELD_IPV6:
        if (!inet_ntop(AF_INET6, v, buf, (socklen_t)buflen))
            buf[0] = '\0';
        break;
    case EK_FIELD_HEX8:
        hex(v, 8, buf, buflen);
        break;
    case EK_FIELD_VIEW: {
        const ek_view *w = v;
        hex(w->p, w->len, buf, buflen);
        break;
    }
    }
    return buf;
}

static void json_string(FILE *o, const char *s)
{
    fputc('"', o);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', o);
        if ((unsigned char)*s < 0x20)
            fprintf(o, "\\u%04x", (unsigned char)*s);
        else
            fputc(*s, o);
    }
    fputc('"', o);
}

void ek_json_frame(FILE *o, unsigned long long index, const ek_frame *f)
{
    char buf[64];
    fprintf(o, "{\"frame\":%llu", index);
    for (size_t i = 0; i < ek_fields_count; i++) {
        const ek_field *fd = &ek_fields[i];
        if (!ek_field_present(fd, &f->sum))
            continue;
        fprintf(o, ",\"%s\":", fd->key);
        ek_field_format(fd, &f->sum, buf, sizeof buf);
        if (ek_field_is_string(fd))
            json_string(o, buf);
        else
            fputs(buf, o);
    }
    fputs(",\"errors\":[", o);
    for (unsigned i = 0; i < f->n_errors; i++) {
        const ek_err *e = &f->errors[i];
        fprintf(o, "%s{\"code\":\"%s\",\"field\":", i ? "," : "", ek_status_name(e->code));
        json_string(o, e->field ? e->field : "?");
        fprintf(o, ",\"offset\":%zu}", e->offset);
    }
    fputs("]}\n", o);
}
