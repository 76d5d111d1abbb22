/* SPDX-License-Identifier: BSD-3-Clause */
/* JSON key -> ek_frame_summary getter table (issue 2 §4 key names).  Addresses in
 * canonical text (EUI-64 colon hex as Wireshark's wpan.src64, IPv6 per RFC 5952),
 * byte strings as lowercase hex. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fieldmap.h"

void ek_vec_fmt_eui64(const uint8_t a[8], char out[24])
{
    snprintf(out, 24, "%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5],
             a[6], a[7]);
}

void ek_vec_fmt_ipv6(const uint8_t a[16], char out[48])
{
    if (!inet_ntop(AF_INET6, a, out, 48))
        out[0] = '\0';
}

void ek_vec_fmt_hex(const uint8_t *p, size_t n, char *out, size_t outlen)
{
    static const char hx[] = "0123456789abcdef";
    size_t k = 0;
    if (!outlen)
        return;
    for (size_t i = 0; i < n && k + 2 < outlen; i++) {
        out[k++] = hx[p[i] >> 4];
        out[k++] = hx[p[i] & 15];
    }
    out[k] = '\0';
}

static bool u(ek_vec_value *o, bool has, uint64_t v)
{
    o->kind = EK_VEC_UINT;
    o->u = v;
    return has;
}

static bool b(ek_vec_value *o, bool has, bool v)
{
    o->kind = EK_VEC_BOOL;
    o->b = v;
    return has;
}

#define GET(name) static bool get_##name(const ek_frame_summary *s, ek_vec_value *o)

GET(fcs_ok) { return b(o, s->has_fcs, s->fcs_ok); }
GET(fcs) { return u(o, s->has_fcs, s->fcs); }
GET(frame_type) { return u(o, true, s->frame_type); }
GET(frame_version) { return u(o, true, s->frame_version); }
GET(seq) { return u(o, s->has_seq, s->seq); }
GET(dst_pan) { return u(o, s->has_dst_pan, s->dst_pan); }
GET(src_pan) { return u(o, s->has_src_pan, s->src_pan); }
GET(dst16) { return u(o, s->has_dst16, s->dst16); }
GET(src16) { return u(o, s->has_src16, s->src16); }
GET(dst64)
{
    o->kind = EK_VEC_TEXT;
    ek_vec_fmt_eui64(s->dst64, o->text);
    return s->has_dst64;
}
GET(src64)
{
    o->kind = EK_VEC_TEXT;
    ek_vec_fmt_eui64(s->src64, o->text);
    return s->has_src64;
}
GET(secured) { return b(o, true, s->secured); }
GET(asn) { return u(o, s->has_asn, s->asn); }
GET(join_metric) { return u(o, s->has_asn, s->join_metric); }
GET(ipv6_src)
{
    o->kind = EK_VEC_TEXT;
    ek_vec_fmt_ipv6(s->ip_src, o->text);
    return s->has_ipv6;
}
GET(ipv6_dst)
{
    o->kind = EK_VEC_TEXT;
    ek_vec_fmt_ipv6(s->ip_dst, o->text);
    return s->has_ipv6;
}
GET(icmp6_type) { return u(o, s->has_icmp6, s->icmp6_type); }
GET(icmp6_code) { return u(o, s->has_icmp6, s->icmp6_code); }
GET(icmp6_checksum_ok) { return b(o, s->has_icmp6, s->icmp6_checksum_ok); }
GET(instance_id) { return u(o, s->has_dio, s->instance_id); }
GET(version) { return u(o, s->has_dio, s->version); }
GET(rank) { return u(o, s->has_dio, s->rank); }
GET(dtsn) { return u(o, s->has_dio, s->dtsn); }
GET(dodagid)
{
    o->kind = EK_VEC_TEXT;
    ek_vec_fmt_ipv6(s->dodagid, o->text);
    return s->has_dio;
}
GET(min_priority) { return u(o, s->has_mep, s->min_priority); }
GET(proxy_priority) { return u(o, s->has_ji, s->proxy_priority); }
GET(rank_priority) { return u(o, s->has_ji, s->rank_priority); }
GET(pan_priority) { return u(o, s->has_ji, s->pan_priority); }
GET(join_proxy_iid)
{
    o->kind = EK_VEC_TEXT;
    ek_vec_fmt_hex(s->join_proxy_iid, sizeof s->join_proxy_iid, o->text, sizeof o->text);
    return s->has_join_proxy_iid;
}
GET(network_id)
{
    o->kind = EK_VEC_TEXT;
    ek_vec_fmt_hex(s->network_id.p, s->network_id.p ? s->network_id.len : 0, o->text, sizeof o->text);
    return s->has_ji;
}

#define F(name, kind) { #name, kind, get_##name }
const ek_vec_field ek_vec_fields[] = {
    F(fcs_ok, EK_VEC_BOOL),
    F(fcs, EK_VEC_UINT),
    F(frame_type, EK_VEC_UINT),
    F(frame_version, EK_VEC_UINT),
    F(seq, EK_VEC_UINT),
    F(dst_pan, EK_VEC_UINT),
    F(dst16, EK_VEC_UINT),
    F(dst64, EK_VEC_TEXT),
    F(src_pan, EK_VEC_UINT),
    F(src16, EK_VEC_UINT),
    F(src64, EK_VEC_TEXT),
    F(secured, EK_VEC_BOOL),
    F(asn, EK_VEC_UINT),
    F(join_metric, EK_VEC_UINT),
    F(ipv6_src, EK_VEC_TEXT),
    F(ipv6_dst, EK_VEC_TEXT),
    F(icmp6_type, EK_VEC_UINT),
    F(icmp6_code, EK_VEC_UINT),
    F(icmp6_checksum_ok, EK_VEC_BOOL),
    F(instance_id, EK_VEC_UINT),
    F(version, EK_VEC_UINT),
    F(rank, EK_VEC_UINT),
    F(dtsn, EK_VEC_UINT),
    F(dodagid, EK_VEC_TEXT),
    F(min_priority, EK_VEC_UINT),
    F(proxy_priority, EK_VEC_UINT),
    F(rank_priority, EK_VEC_UINT),
    F(pan_priority, EK_VEC_UINT),
    F(join_proxy_iid, EK_VEC_TEXT),
    F(network_id, EK_VEC_TEXT),
};
const size_t ek_vec_fields_len = sizeof ek_vec_fields / sizeof ek_vec_fields[0];

const ek_vec_field *ek_vec_field_find(const char *key)
{
    for (size_t i = 0; i < ek_vec_fields_len; i++)
        if (!strcmp(ek_vec_fields[i].key, key))
            return &ek_vec_fields[i];
    return NULL;
}

const char *ek_vec_value_text(const ek_vec_value *v, char *buf, size_t len)
{
    switch (v->kind) {
    case EK_VEC_UINT: snprintf(buf, len, "%" PRIu64, v->u); break;
    case EK_VEC_BOOL: snprintf(buf, len, "%d", v->b ? 1 : 0); break;
    case EK_VEC_TEXT: snprintf(buf, len, "%s", v->text); break;
    }
    return buf;
}

const char *ek_vec_value_json(const ek_vec_value *v, char *buf, size_t len)
{
    switch (v->kind) {
    case EK_VEC_UINT: snprintf(buf, len, "%" PRIu64, v->u); break;
    case EK_VEC_BOOL: snprintf(buf, len, "%s", v->b ? "true" : "false"); break;
    case EK_VEC_TEXT: snprintf(buf, len, "\"%s\"", v->text); break;
    }
    return buf;
}

bool ek_vec_value_eq(const ek_vec_value *a, const ek_vec_value *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case EK_VEC_UINT: return a->u == b->u;
    case EK_VEC_BOOL: return a->b == b->b;
    case EK_VEC_TEXT: return strcmp(a->text, b->text) == 0;
    }
    return false;
}
