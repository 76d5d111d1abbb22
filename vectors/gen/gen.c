/* SPDX-License-Identifier: BSD-3-Clause */
/* ek-vecgen: writes the shared test vectors (vectors/manifests/<id>.cbor).  Every frame
 * is built with the codec ENCODERS, wrapped with ek_cap_encap; malformed vectors are
 * valid frames damaged afterwards.  Expected values are hand-written literals from the
 * specs and this file's construction, never read back from the decoder.  Deterministic. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/consts.h"
#include "ek/decap.h"
#include "ek/enroll_ie.h"
#include "ek/fcs.h"
#include "ek/icmp6.h"
#include "ek/ie.h"
#include "ek/lowpan.h"
#include "ek/minprio.h"
#include "ek/rpl.h"
#include "ek/sec.h"
#include "ek/tap.h"
#include "ek/wpan.h"
#include "manifest.h"

#define MAXF 2048

static const char *g_dir;
static ek_vec V;
static unsigned g_n, g_wf, g_bad;

static void die(const char *what, const ek_err *e)
{
    char b[160] = "";
    if (e)
        ek_err_format(e, b, sizeof b);
    fprintf(stderr, "ek-vecgen: %s: %s %s\n", V.id, what, b);
    exit(1);
}

static void ck(ek_status st, const ek_err *e, const char *what)
{
    if (st != EK_OK)
        die(what, e);
}

/* ---- manifest helpers ---- */

static void vbegin(const char *id, const char *desc)
{
    ek_vec_free(&V);
    ek_vec_init(&V);
    snprintf(V.id, sizeof V.id, "%s", id);
    snprintf(V.description, sizeof V.description, "%s", desc);
    V.wellformed = true;
    V.linktype = EK_LT_IEEE802_15_4_WITHFCS;
}

static void ref(const char *r)
{
    if (!ek_vec_add_ref(&V, r))
        die("ref", NULL);
}

static void xu(const char *k, uint64_t x)
{
    if (!ek_vec_expect_uint(&V, k, x))
        die(k, NULL);
}

static void xb(const char *k, bool x)
{
    if (!ek_vec_expect_bool(&V, k, x))
        die(k, NULL);
}

static void xt(const char *k, const char *x)
{
    if (!ek_vec_expect_text(&V, k, x))
        die(k, NULL);
}

static void xerr(ek_status code, const char *field, uint64_t off)
{
    V.wellformed = false;
    if (!ek_vec_add_error(&V, code, field, off))
        die("error", NULL);
}

static void vprofile(const char *ep, const char *ie, int ep_type)
{
    V.has_profile = true;
    if (ep)
        snprintf(V.ep_profile, sizeof V.ep_profile, "%s", ep);
    if (ie)
        snprintf(V.ie_profile, sizeof V.ie_profile, "%s", ie);
    if (ep_type >= 0)
        V.ep_type = (uint8_t)ep_type;
}

/* Wraps an MPDU for `lt`; add_fcs appends a correct CRC-16/KERMIT where the link type has one. */
static void vframe(int lt, const uint8_t *mpdu, size_t n, bool add_fcs, const ek_cap_encap_opts *o)
{
    uint8_t rec[MAXF];
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, rec, sizeof rec);
    ck(ek_cap_encap(lt, ek_view_make(mpdu, n), add_fcs, o, &b, &e), &e, "ek_cap_encap");
    V.linktype = (uint32_t)lt;
    if (!ek_vec_set_frame(&V, rec, b.len))
        die("set_frame", NULL);
}

static void vsave(void)
{
    char path[4096], eb[512];
    snprintf(path, sizeof path, "%s/%s.cbor", g_dir, V.id);
    if (!ek_vec_save(path, &V, eb, sizeof eb)) {
        fprintf(stderr, "ek-vecgen: %s\n", eb);
        exit(1);
    }
    g_n++;
    if (V.wellformed)
        g_wf++;
    else
        g_bad++;
}

/* ---- addresses and constants of the construction ---- */

#define PAN 0xabcdu
/* EUI-64s, canonical order (IEEE 802.15.4 sends them reversed) */
static const uint8_t ROOT64[8] = { 0x00, 0x12, 0x4b, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t NODE64[8] = { 0x00, 0x12, 0x4b, 0x00, 0x00, 0x00, 0x00, 0x02 };
#define ROOT64_TXT "00:12:4b:00:00:00:00:01"
#define NODE64_TXT "00:12:4b:00:00:00:00:02"
#define DODAGID_TXT "fd00::212:4b00:0:1"

static void ip6(uint8_t out[16], const char *txt)
{
    if (inet_pton(AF_INET6, txt, out) != 1) {
        fprintf(stderr, "ek-vecgen: bad address %s\n", txt);
        exit(1);
    }
}

static ek_lladdr ll_ext(const uint8_t e[8])
{
    ek_lladdr a;
    memset(&a, 0, sizeof a);
    a.mode = EK_WPAN_AM_EXT;
    memcpy(a.ext, e, 8);
    return a;
}

static ek_lladdr ll_short(uint16_t s)
{
    ek_lladdr a;
    memset(&a, 0, sizeof a);
    a.mode = EK_WPAN_AM_SHORT;
    a.short_addr = s;
    return a;
}

static ek_profile P; /* the profile frames are built with (reset per vector) */

static void prof_reset(void)
{
    ek_profile_default(&P);
}

/* ---- layer builders ---- */

/* RPL DIO base of the construction: instance 30, version 240, rank 256, G=1 MOP=1,
 * DTSN 240, DODAGID fd00::212:4b00:0:1 (RFC 6550 §6.3.1; 240 is the lollipop start of
 * RFC 6550 §7.2). */
static void dio_base(ek_rpl_msg *m)
{
    memset(m, 0, sizeof *m);
    m->code = EK_RPL_CODE_DIO;
    m->base.dio.instance = 30;
    m->base.dio.version = 240;
    m->base.dio.rank = 256;
    m->base.dio.g = true;
    m->base.dio.mop = 1;
    m->base.dio.dtsn = 240;
    ip6(m->base.dio.dodagid, DODAGID_TXT);
}

/* The Join-Info fields besides the priorities and the IDs (RFC 9032 §2): R, P, the
 * reserved bits and the network ID length N, as the vector sets them. */
static void xji(bool r, bool p, unsigned reserved, unsigned n)
{
    xb("enroll.ji.r", r);
    xb("enroll.ji.p", p);
    xu("enroll.ji.reserved", reserved);
    xu("enroll.ji.network_id_len", n);
}

/* The MEP fields besides the priority for a profile's layout (draft-ietf-roll-enrollment-
 * priority-03 §2, -04 §2, -09 §3.1, -16 §3.1), as the vectors set them: version 240,
 * Exp 4, size code 3 (DODAG size 48), type 0x2a; Length as the draft prints it. */
static void xmep(ek_mep_profile prof, unsigned length, bool t)
{
    xu("enroll.mep.type", 0x2a);
    xu("enroll.mep.length", length);
    if (prof == EK_MEP_DRAFT03 || prof == EK_MEP_DRAFT04)
        xb("enroll.mep.r", false);
    if (prof == EK_MEP_DRAFT09 || prof == EK_MEP_DRAFT16) {
        xu("enroll.mep.version", 240);
        xb("enroll.mep.t", t);
    }
    if (prof != EK_MEP_DRAFT03) {
        xu("enroll.mep.exp", 4);
        xu("enroll.mep.dodag_size_code", 3);
        xu("enroll.mep.dodag_size", 48);
    }
}

static void expect_dio(void)
{
    xt("icmpv6.rpl.dio.dagid", DODAGID_TXT);
    xu("icmpv6.rpl.dio.instance", 30);
    xu("icmpv6.rpl.dio.version", 240);
    xu("icmpv6.rpl.dio.rank", 256);
    xu("icmpv6.rpl.dio.dtsn", 240);
}

static ek_rpl_opt *add_opt(ek_rpl_msg *m, ek_rpl_opt_kind k, uint8_t type)
{
    ek_rpl_opt *o = &m->opts[m->n_opts++];
    memset(o, 0, sizeof *o);
    o->kind = k;
    o->type = type;
    return o;
}

static void opt_conf(ek_rpl_msg *m)
{
    /* RFC 6550 §6.7.6, Contiki-like values: 8/12/10, MaxRankInc 1792, MinHop 256, OCP 1, 30 x 60 s */
    ek_rpl_opt *o = add_opt(m, EK_RPL_OPTK_DODAG_CONF, EK_RPL_OPT_DODAG_CONF);
    o->u.conf.dio_int_doublings = 8;
    o->u.conf.dio_int_min = 12;
    o->u.conf.dio_redundancy = 10;
    o->u.conf.max_rank_inc = 1792;
    o->u.conf.min_hop_rank_inc = 256;
    o->u.conf.ocp = 1;
    o->u.conf.def_lifetime = 30;
    o->u.conf.lifetime_unit = 60;
}

static void opt_mep16(ek_rpl_msg *m, uint8_t minp)
{
    ek_rpl_opt *o = add_opt(m, EK_RPL_OPTK_MEP, EK_MEP_TYPE_PROVISIONAL);
    o->u.mep.profile = EK_MEP_DRAFT16;
    o->u.mep.has_version = true;
    o->u.mep.version = 240;
    o->u.mep.min_priority = minp;
    o->u.mep.has_size = true;
    o->u.mep.exp = 4;
    o->u.mep.size_code = 3; /* 3 << 4 = 48 nodes */
}

static size_t rpl_bytes(const ek_rpl_msg *m, uint8_t *out, size_t cap)
{
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, out, cap);
    ck(ek_rpl_encode(m, &P, &b, &e), &e, "ek_rpl_encode");
    return b.len;
}

static size_t icmp_bytes(uint8_t code, const uint8_t *body, size_t n, const uint8_t src[16],
                         const uint8_t dst[16], uint8_t *out, size_t cap)
{
    ek_icmp6 i;
    ek_buf b;
    ek_err e;
    memset(&i, 0, sizeof i);
    i.type = EK_ICMP6_TYPE_RPL;
    i.code = code;
    i.body = ek_view_make(body, n);
    ek_buf_init(&b, out, cap);
    ck(ek_icmp6_encode(&i, src, dst, &b, &e), &e, "ek_icmp6_encode");
    return b.len;
}

/* A network-layer spec: addresses, hop limit, and either the maximal compression
 * (form == NULL), a forced IPHC form, or uncompressed IPv6 (0x41). */
typedef struct net {
    const char *src, *dst;
    uint8_t hlim;
    const ek_iphc_form *form;
    bool uncompressed;
} net;

static size_t lowpan_bytes(const net *n, const ek_lladdr *ls, const ek_lladdr *ld, const uint8_t *pl,
                           size_t pn, uint8_t *out, size_t cap)
{
    ek_ipv6_hdr ip;
    ek_buf b;
    ek_err e;
    memset(&ip, 0, sizeof ip);
    ip.nh = EK_IPV6_NH_ICMP6;
    ip.hlim = n->hlim;
    ip6(ip.src, n->src);
    ip6(ip.dst, n->dst);
    ip.payload_len = (uint16_t)pn;
    ek_buf_init(&b, out, cap);
    if (!n->form && !n->uncompressed) {
        ck(ek_lowpan_encode_max(&ip, NULL, ek_view_make(pl, pn), ls, ld, &P, &b, &e), &e, "encode_max");
        return b.len;
    }
    ek_lowpan_pkt k;
    memset(&k, 0, sizeof k);
    k.has_ipv6 = true;
    k.compressed = !n->uncompressed;
    k.dispatch = n->uncompressed ? EK_LOWPAN_D_IPV6 : EK_LOWPAN_D_IPHC;
    if (n->form)
        k.iphc = *n->form;
    k.ip = ip;
    k.payload = ek_view_make(pl, pn);
    ck(ek_lowpan_encode(&k, ls, ld, &P, &b, &e), &e, "ek_lowpan_encode");
    return b.len;
}

/* Default MAC frame of the construction: 2015 data frame, seq 0x42, dst short 0xffff,
 * dst PAN 0xabcd, PAN ID compression, src = ROOT EUI-64 (RFC 8180 style). */
static void mac_default(ek_wpan_frame *f)
{
    ek_wpan_frame_init(f);
    f->frame_type = EK_WPAN_FT_DATA;
    f->version = EK_WPAN_VER_2015;
    f->seq = 0x42;
    f->dst = ll_short(0xffff);
    f->dst_pan = PAN;
    f->src_pan = PAN;
    f->src = ll_ext(ROOT64);
    f->pan_id_compression = true;
}

static size_t mac_bytes(const ek_wpan_frame *f, uint8_t *out, size_t cap)
{
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, out, cap);
    ck(ek_wpan_encode(f, &P, &b, &e), &e, "ek_wpan_encode");
    return b.len;
}

/* MAC + 6LoWPAN + ICMPv6(RPL) from an RPL message; returns the MPDU length. */
static size_t rpl_frame(const ek_wpan_frame *tmpl, const net *n, const ek_rpl_msg *m, uint8_t *mpdu)
{
    uint8_t body[512], icmp[600], lp[700];
    uint8_t s[16], d[16];
    ip6(s, n->src);
    ip6(d, n->dst);
    size_t bn = rpl_bytes(m, body, sizeof body);
    size_t in = icmp_bytes(m->code, body, bn, s, d, icmp, sizeof icmp);
    size_t ln = lowpan_bytes(n, &tmpl->src, &tmpl->dst, icmp, in, lp, sizeof lp);
    ek_wpan_frame f = *tmpl;
    f.payload = ek_view_make(lp, ln);
    return mac_bytes(&f, mpdu, MAXF);
}

/* Same, but the RPL body is given as bytes (already damaged by the caller). */
static size_t rpl_frame_body(const ek_wpan_frame *tmpl, const net *n, uint8_t code, const uint8_t *body,
                             size_t bn, uint8_t *mpdu)
{
    uint8_t icmp[600], lp[700];
    uint8_t s[16], d[16];
    ip6(s, n->src);
    ip6(d, n->dst);
    size_t in = icmp_bytes(code, body, bn, s, d, icmp, sizeof icmp);
    size_t ln = lowpan_bytes(n, &tmpl->src, &tmpl->dst, icmp, in, lp, sizeof lp);
    ek_wpan_frame f = *tmpl;
    f.payload = ek_view_make(lp, ln);
    return mac_bytes(&f, mpdu, MAXF);
}

static const net NET_DIO = { "fe80::212:4b00:0:1", "ff02::1a", 255, NULL, false };

/* ---- Enhanced Beacons (IEEE 802.15.4-2015 §7.3.1.3, RFC 8180 §6) ---- */

#define EB_ASN 123456u /* 0x1e240 */
#define EB_JOIN_METRIC 0

static void eb_frame(ek_wpan_frame *f)
{
    ek_wpan_frame_init(f);
    f->frame_type = EK_WPAN_FT_BEACON;
    f->version = EK_WPAN_VER_2015;
    f->seq = 0x10;
    f->dst = ll_short(0xffff);
    f->dst_pan = PAN;
    f->src_pan = PAN;
    f->src = ll_ext(ROOT64);
    f->pan_id_compression = true;
    ek_ie_list_init(&f->ies);
}

/* The RFC 8180 §6 minimal EB content: MLME IE with TSCH Sync, Timeslot (id 0),
 * Channel Hopping (seq 0), Slotframe and Link (handle 0, size 101, minimal cell). */
static void eb_mlme(ek_ie_list *l)
{
    ek_ie_add_payload(l, EK_IE_GROUP_MLME);
    ek_ie_sub *s = ek_ie_add_sub(l, false, EK_MLME_TSCH_SYNC);
    s->u.sync.asn = EB_ASN;
    s->u.sync.join_metric = EB_JOIN_METRIC;
    s = ek_ie_add_sub(l, false, EK_MLME_TSCH_TIMESLOT);
    s->u.ts.id = 0;
    s = ek_ie_add_sub(l, true, EK_MLME_CHANNEL_HOPPING);
    s->u.hop.seq_id = 0;
    s = ek_ie_add_sub(l, false, EK_MLME_TSCH_SLOTFRAME_LINK);
    s->u.sfl.n_sf = 1;
    s->u.sfl.sf[0].handle = 0;
    s->u.sfl.sf[0].size = 101;
    s->u.sfl.sf[0].n_links = 1;
    s->u.sfl.sf[0].links[0].options = 0x0f;
}

static ek_ie_payload *add_ji(ek_ie_list *l, bool r, bool p, uint8_t proxy, uint16_t rank, uint8_t pan,
                             const uint8_t *iid, const uint8_t *netid, size_t nn)
{
    ek_ie_payload *pl = ek_ie_add_payload(l, EK_IE_GROUP_IETF);
    pl->has_subtype = true;
    pl->subtype = EK_IETF_SUBTYPE_JOIN_INFO;
    pl->has_ji = true;
    pl->ji.r = r;
    pl->ji.p = p;
    pl->ji.proxy_prio = proxy;
    pl->ji.rank_prio = rank;
    pl->ji.pan_prio = pan;
    if (p)
        memcpy(pl->ji.jp_iid, iid, 8);
    pl->ji.network_id = ek_view_make(netid, nn);
    return pl;
}

static const uint8_t IID[8] = { 0x02, 0x12, 0x4b, 0x00, 0x00, 0x00, 0x00, 0x07 };
#define IID_TXT "02124b0000000007"
static const uint8_t NETID[16] = { 0x10, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                   0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };

static void expect_eb_mac(void)
{
    xb("wpan.fcs_ok", true);
    xu("wpan.frame_type", 0);
    xu("wpan.seq_no", 0x10);
    xu("wpan.dst_pan", PAN);
    xu("wpan.dst16", 0xffff);
    xt("wpan.src64", ROOT64_TXT);
    xu("wpan.tsch.asn", EB_ASN);
    xu("wpan.tsch.join_metric", EB_JOIN_METRIC);
}

static void refs_eb(void)
{
    ref("IEEE 802.15.4-2015 §7.4.2.1, §7.4.3.1 (header/payload IEs)");
    ref("IEEE 802.15.4-2015 §7.4.4.2 (TSCH Synchronization IE)");
    ref("RFC 8180 §6 (minimal EB)");
}

static void gen_eb(void)
{
    uint8_t m[MAXF];
    ek_wpan_frame f;
    size_t n;

    prof_reset();
    vbegin("eb-minimal-no-ji", "2015 Enhanced Beacon, RFC 8180 minimal content (TSCH Sync ASN 123456, "
                               "Timeslot 0, Channel Hopping 0, Slotframe 101 with the minimal cell), no Enrollment IE");
    refs_eb();
    ref("IEEE 802.15.4-2015 Table 7-2 row 3 (dst short, src ext, PAN ID comp 1: dst PAN only)");
    eb_frame(&f);
    eb_mlme(&f.ies);
    n = mac_bytes(&f, m, sizeof m);
    vframe(195, m, n, true, NULL);
    expect_eb_mac();
    vsave();

    /* JI P=0 N=0: RFC 9032 §2 Fig. 1 literal grid R=1 P=0 proxy=0x25 rank=0x0a3 -> 82 50 a3 */
    prof_reset();
    vbegin("eb-ji-p0-n0", "EB with RFC 9032 Join-Info, P=0, N=0 (IETF IE length 5): R=1 proxy 0x25 "
                          "rank 0x0a3 PAN prio 16, rfc9032-literal (octets 82 50 a3 10)");
    refs_eb();
    ref("RFC 8137 §4 (IETF IE)");
    ref("RFC 9032 §2 Fig. 1");
    eb_frame(&f);
    eb_mlme(&f.ies);
    add_ji(&f.ies, true, false, 0x25, 0x0a3, 16, NULL, NULL, 0);
    n = mac_bytes(&f, m, sizeof m);
    vframe(195, m, n, true, NULL);
    vprofile(NULL, "rfc9032-literal", -1);
    expect_eb_mac();
    xu("enroll.ji.proxy_priority", 0x25);
    xu("enroll.ji.rank_priority", 0x0a3);
    xu("enroll.ji.pan_priority", 16);
    xji(true, false, 0, 0);
    xt("enroll.ji.network_id", "");
    vsave();

    prof_reset();
    vbegin("eb-ji-p1-n8", "EB with Join-Info P=1 (Join Proxy IID 02124b0000000007), N=8 network ID "
                          "(IETF IE length 5+8+8 = 21), proxy 0, rank 0xfff, PAN prio 0");
    refs_eb();
    ref("RFC 9032 §2 Fig. 1");
    eb_frame(&f);
    eb_mlme(&f.ies);
    add_ji(&f.ies, false, true, 0, 0xfff, 0, IID, NETID, 8);
    n = mac_bytes(&f, m, sizeof m);
    vframe(195, m, n, true, NULL);
    expect_eb_mac();
    xu("enroll.ji.proxy_priority", 0);
    xu("enroll.ji.rank_priority", 0xfff);
    xu("enroll.ji.pan_priority", 0);
    xji(false, true, 0, 8);
    xt("enroll.ji.join_proxy_iid", IID_TXT);
    xt("enroll.ji.network_id", "1001020304050607");
    vsave();

    prof_reset();
    vbegin("eb-ji-p0-n16", "EB with Join-Info P=0, N=16 (maximum network ID), proxy 0x7f (never a "
                           "Join Proxy), rank 1, PAN prio 255");
    refs_eb();
    ref("RFC 9032 §2 (network ID up to 16 octets; proxy 0x7f)");
    eb_frame(&f);
    eb_mlme(&f.ies);
    add_ji(&f.ies, false, false, 0x7f, 1, 255, NULL, NETID, 16);
    n = mac_bytes(&f, m, sizeof m);
    vframe(195, m, n, true, NULL);
    expect_eb_mac();
    xu("enroll.ji.proxy_priority", 0x7f);
    xu("enroll.ji.rank_priority", 1);
    xu("enroll.ji.pan_priority", 255);
    xji(false, false, 0, 16);
    xt("enroll.ji.network_id", "100102030405060708090a0b0c0d0e0f");
    vsave();

    prof_reset();
    vbegin("eb-ji-p1-n16", "EB with Join-Info P=1 and N=16: the longest IETF IE (5+8+16 = 29)");
    refs_eb();
    ref("RFC 9032 §2 (length 5 + 8*P + N)");
    eb_frame(&f);
    eb_mlme(&f.ies);
    add_ji(&f.ies, true, true, 0x10, 0x200, 7, IID, NETID, 16);
    n = mac_bytes(&f, m, sizeof m);
    vframe(195, m, n, true, NULL);
    expect_eb_mac();
    xu("enroll.ji.proxy_priority", 0x10);
    xu("enroll.ji.rank_priority", 0x200);
    xu("enroll.ji.pan_priority", 7);
    xji(true, true, 0, 16);
    xt("enroll.ji.join_proxy_iid", IID_TXT);
    xt("enroll.ji.network_id", "100102030405060708090a0b0c0d0e0f");
    vsave();

    /* byte-aligned: octet1 R P res(6) = 0x80 | octet2 res(1) proxy(7) = 0x25 | octet3 rank = 0xa3 */
    prof_reset();
    P.ji = EK_JI_BYTE_ALIGNED;
    vbegin("eb-ji-byte-aligned", "EB with Join-Info in the byte-aligned reading of RFC 9032 Fig. 1: "
                                 "R=1 P=0, proxy 0x25, rank 0xa3 (octets 80 25 a3), PAN prio 16, N=4");
    refs_eb();
    ref("RFC 9032 §2 Fig. 1 (byte-aligned reading: octets 1-3 = R P res(6), res(1) proxy(7), rank(8))");
    eb_frame(&f);
    eb_mlme(&f.ies);
    add_ji(&f.ies, true, false, 0x25, 0xa3, 16, NULL, NETID, 4);
    n = mac_bytes(&f, m, sizeof m);
    vframe(195, m, n, true, NULL);
    vprofile(NULL, "byte-aligned", -1);
    expect_eb_mac();
    xu("enroll.ji.proxy_priority", 0x25);
    xu("enroll.ji.rank_priority", 0xa3);
    xu("enroll.ji.pan_priority", 16);
    xji(true, false, 0, 4);
    xt("enroll.ji.network_id", "10010203");
    vsave();

    /* Several IETF IEs: 6P (subtype 1), Join-Info (2), unknown subtype 200 */
    prof_reset();
    {
        /* RFC 8480 §3.2.1: Version 0 | Type Request | code ADD(1) ... kept raw here */
        static const uint8_t sixp[] = { 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00 };
        static const uint8_t unk[] = { 0xde, 0xad, 0xbe, 0xef };
        vbegin("eb-ietf-multi", "EB with three IETF IEs: 6P (subtype 1, 6P ADD request body), Join-Info "
                                "(subtype 2, P=0 N=2), and an unknown subtype 200 (kept raw)");
        refs_eb();
        ref("RFC 8137 §4 (IETF IE subtypes)");
        ref("RFC 8480 §6.1 (6P subtype 1)");
        ref("RFC 9032 §2");
        eb_frame(&f);
        eb_mlme(&f.ies);
        ek_ie_payload *p = ek_ie_add_payload(&f.ies, EK_IE_GROUP_IETF);
        p->has_subtype = true;
        p->subtype = EK_IETF_SUBTYPE_6P;
        p->sub_content = ek_view_make(sixp, sizeof sixp);
        add_ji(&f.ies, false, false, 0x30, 0x100, 3, NULL, NETID, 2);
        p = ek_ie_add_payload(&f.ies, EK_IE_GROUP_IETF);
        p->has_subtype = true;
        p->subtype = 200;
        p->sub_content = ek_view_make(unk, sizeof unk);
        n = mac_bytes(&f, m, sizeof m);
        vframe(195, m, n, true, NULL);
        expect_eb_mac();
        xu("enroll.ji.proxy_priority", 0x30);
        xu("enroll.ji.rank_priority", 0x100);
        xu("enroll.ji.pan_priority", 3);
        xji(false, false, 0, 2);
        xt("enroll.ji.network_id", "1001");
        vsave();
    }

    /* Secured EB: Security Control 0x69 = level 1 (MIC-32) | KIM 1 (0x08) | FC suppressed
     * (0x20) | ASN in nonce (0x40); key index 1.  Level 1 does not encrypt: IEs in clear. */
    prof_reset();
    vbegin("eb-secured-kim1", "EB with Auxiliary Security Header 0x69 (level 1 MIC-32, key id mode 1, "
                              "frame counter suppressed, ASN in nonce), key index 1, Join-Info P=0 N=0, "
                              "4-octet MIC (zeros, no crypto)");
    refs_eb();
    ref("IEEE 802.15.4-2015 §9.4.1, §9.4.2 (Auxiliary Security Header)");
    ref("RFC 8180 §6 (EB authenticated with K1, key index 1)");
    eb_frame(&f);
    f.security = true;
    f.sec.level = 1;
    f.sec.key_id_mode = 1;
    f.sec.fc_suppressed = true;
    f.sec.asn_in_nonce = true;
    f.sec.key_index = 1;
    eb_mlme(&f.ies);
    add_ji(&f.ies, false, false, 0x25, 0x0a3, 16, NULL, NULL, 0);
    n = mac_bytes(&f, m, sizeof m);
    vframe(195, m, n, true, NULL);
    expect_eb_mac();
    xu("enroll.ji.proxy_priority", 0x25);
    xu("enroll.ji.pan_priority", 16);
    xji(false, false, 0, 0);
    vsave();
}

/* ---- DIO options and MEP profiles ---- */

static void refs_dio(void)
{
    ref("RFC 6550 §6.3.1 (DIO base)");
    ref("RFC 6282 §3.1.1 (IPHC)");
    ref("RFC 4443 §2.3 (checksum)");
}

static void dio_common_expect(void)
{
    xb("wpan.fcs_ok", true);
    xu("wpan.dst_pan", PAN);
    xt("wpan.src64", ROOT64_TXT);
    xu("icmpv6.checksum.status", 1);
    xt("ipv6.src", "fe80::212:4b00:0:1");
    xt("ipv6.dst", "ff02::1a");
    expect_dio();
}

static void emit_dio(const ek_rpl_msg *msg)
{
    uint8_t m[MAXF];
    ek_wpan_frame f;
    mac_default(&f);
    size_t n = rpl_frame(&f, &NET_DIO, msg, m);
    vframe(195, m, n, true, NULL);
}

static void gen_dio_options(void)
{
    ek_rpl_msg msg;
    /* RFC 6551 §2.1: Routing-MC-Type 7 (ETX, §4.3.3) | Res Flags P C O R A Prec = 0 | Length 2 | ETX 0x0180 (3.0 x 128) */
    static const uint8_t metric[] = { 0x07, 0x00, 0x00, 0x02, 0x01, 0x80 };
    static const uint8_t unk[] = { 0x11, 0x22, 0x33 };

    prof_reset();
    vbegin("dio-minimal", "Root DIO, maximal IPHC compression (7b 3b 3a 1a), no options");
    refs_dio();
    ref("RFC 6282 §3.1.1 (7b 3b: TF=11 NH=0 HLIM=11 SAM=11 M=1 DAM=11; next header 3a inline; 1a = ff02::1a)");
    dio_base(&msg);
    emit_dio(&msg);
    dio_common_expect();
    vsave();

    prof_reset();
    vbegin("dio-opt-pad1", "DIO with two Pad1 options then DODAG Configuration");
    refs_dio();
    ref("RFC 6550 §6.7.2 (Pad1)");
    dio_base(&msg);
    add_opt(&msg, EK_RPL_OPTK_PAD1, EK_RPL_OPT_PAD1);
    add_opt(&msg, EK_RPL_OPTK_PAD1, EK_RPL_OPT_PAD1);
    opt_conf(&msg);
    emit_dio(&msg);
    dio_common_expect();
    vsave();

    prof_reset();
    vbegin("dio-opt-padn", "DIO with PadN Length 0, PadN Length 5 (maximum), then DODAG Configuration");
    refs_dio();
    ref("RFC 6550 §6.7.3 (PadN, Length 0..5)");
    dio_base(&msg);
    add_opt(&msg, EK_RPL_OPTK_PADN, EK_RPL_OPT_PADN)->length = 0;
    add_opt(&msg, EK_RPL_OPTK_PADN, EK_RPL_OPT_PADN)->length = 5;
    opt_conf(&msg);
    emit_dio(&msg);
    dio_common_expect();
    vsave();

    prof_reset();
    vbegin("dio-opt-metric", "DIO with a DAG Metric Container (ETX object, kept raw)");
    refs_dio();
    ref("RFC 6550 §6.7.4 (DAG Metric Container)");
    ref("RFC 6551 §2");
    dio_base(&msg);
    add_opt(&msg, EK_RPL_OPTK_METRIC, EK_RPL_OPT_METRIC)->data = ek_view_make(metric, sizeof metric);
    emit_dio(&msg);
    dio_common_expect();
    vsave();

    prof_reset();
    /* RFC 6550 §6.7.5 lets the Prefix be any length >= ceil(Prefix Length / 8); tshark 4.0
     * only accepts Option Length 6/14/22 (the RFC 4191 sizes), so the first vector carries
     * 8 prefix octets and the second the 4-octet minimum (oracle note in docs/vectors.md). */
    for (int i = 0; i < 2; i++) {
        prof_reset();
        vbegin(i ? "dio-opt-route-info-4" : "dio-opt-route-info",
               i ? "DIO with Route Information fd00:1::/32 carried in the minimal 4 prefix octets "
                   "(Option Length 10), Prf 01, lifetime 3600"
                 : "DIO with Route Information fd00:1::/32 carried in 8 prefix octets (Option Length 14), "
                   "Prf 01 (high), lifetime 3600");
        refs_dio();
        ref("RFC 6550 §6.7.5 (Route Information)");
        ref("RFC 4191 §2.3");
        dio_base(&msg);
        ek_rpl_opt *o = add_opt(&msg, EK_RPL_OPTK_ROUTE_INFO, EK_RPL_OPT_ROUTE_INFO);
        o->u.route.prefix_len = 32;
        o->u.route.prf = 1;
        o->u.route.lifetime = 3600;
        o->u.route.prefix_bytes = i ? 4 : 8;
        ip6(o->u.route.prefix, "fd00:1::");
        emit_dio(&msg);
        dio_common_expect();
        vsave();
    }

    prof_reset();
    vbegin("dio-opt-dodag-conf", "DIO with DODAG Configuration (8/12/10, MaxRankInc 1792, MinHopRankInc "
                                 "256, OCP 1 MRHOF, lifetime 30 x 60 s)");
    refs_dio();
    ref("RFC 6550 §6.7.6 (DODAG Configuration)");
    dio_base(&msg);
    opt_conf(&msg);
    emit_dio(&msg);
    dio_common_expect();
    vsave();

    prof_reset();
    vbegin("dio-opt-prefix-info", "DIO with Prefix Information fd00::/64, L=0 A=1 R=1, valid/preferred "
                                  "lifetime infinite");
    refs_dio();
    ref("RFC 6550 §6.7.10 (Prefix Information)");
    dio_base(&msg);
    {
        ek_rpl_opt *o = add_opt(&msg, EK_RPL_OPTK_PREFIX_INFO, EK_RPL_OPT_PREFIX_INFO);
        o->u.pio.prefix_len = 64;
        o->u.pio.a = true;
        o->u.pio.r = true;
        o->u.pio.valid_lifetime = 0xffffffffu;
        o->u.pio.preferred_lifetime = 0xffffffffu;
        ip6(o->u.pio.prefix, DODAGID_TXT);
    }
    emit_dio(&msg);
    dio_common_expect();
    vsave();

    prof_reset();
    vbegin("dio-opt-unknown", "DIO with an unknown option type 0x20 (3 data octets, skipped by length) "
                              "followed by DODAG Configuration");
    refs_dio();
    ref("RFC 6550 §6.7.1 (unknown options skipped by length)");
    dio_base(&msg);
    add_opt(&msg, EK_RPL_OPTK_RAW, 0x20)->data = ek_view_make(unk, sizeof unk);
    opt_conf(&msg);
    emit_dio(&msg);
    dio_common_expect();
    vsave();

    /* One MEP vector per wire profile */
    struct {
        const char *id, *name, *desc, *ref;
        ek_mep_profile prof;
        bool len4;
    } mp[] = {
        { "dio-mep-draft03", "draft-03", "DIO with Minimum Enrollment Priority, draft-03 layout (Length 1: "
                                         "R=0, min priority 0x21), then DODAG Configuration",
          "draft-ietf-roll-enrollment-priority-03 §2", EK_MEP_DRAFT03, false },
        { "dio-mep-draft04", "draft-04", "DIO with Minimum Enrollment Priority, draft-04 layout (Length 3: "
                                         "exp 4, size 12-bit 3, R=0, min priority 0x21)",
          "draft-ietf-roll-enrollment-priority-04 §2", EK_MEP_DRAFT04, false },
        { "dio-mep-draft09", "draft-09", "DIO with Minimum Enrollment Priority, draft-09 layout (Length 4: "
                                         "version 240, T=1, min priority 0x21, exp 4 size 3)",
          "draft-ietf-roll-enrollment-priority-09 §3.1", EK_MEP_DRAFT09, false },
        { "dio-mep-draft16", "draft-16", "DIO with Minimum Enrollment Priority, draft-16 layout (Length 3: "
                                         "version 240, T=1, min priority 0x21, Exp 4 DODAGSz 3)",
          "draft-ietf-roll-enrollment-priority-16 §3.1", EK_MEP_DRAFT16, false },
        { "dio-mep-draft16-len4", "draft-16", "DIO with Minimum Enrollment Priority, draft-16 layout with "
                                              "the printed Length 4 (erratum): 3-octet body + trailing 0x00, "
                                              "accepted and flagged; DODAG Configuration follows",
          "draft-ietf-roll-enrollment-priority-16 §3.1 (Opt Length = 4 erratum)", EK_MEP_DRAFT16, true },
    };
    for (size_t i = 0; i < sizeof mp / sizeof mp[0]; i++) {
        prof_reset();
        P.mep = mp[i].prof;
        vbegin(mp[i].id, mp[i].desc);
        refs_dio();
        ref(mp[i].ref);
        ref("RFC 6550 §6.7.1 (option TLV)");
        dio_base(&msg);
        ek_rpl_opt *o = add_opt(&msg, EK_RPL_OPTK_MEP, EK_MEP_TYPE_PROVISIONAL);
        o->u.mep.profile = mp[i].prof;
        o->u.mep.min_priority = 0x21;
        o->u.mep.has_version = mp[i].prof >= EK_MEP_DRAFT09;
        o->u.mep.version = 240;
        o->u.mep.t = mp[i].prof >= EK_MEP_DRAFT09;
        o->u.mep.has_size = mp[i].prof >= EK_MEP_DRAFT04;
        o->u.mep.exp = 4;
        o->u.mep.size_code = 3;
        o->u.mep.erratum_len4 = mp[i].len4;
        o->u.mep.trailing = 0;
        if (mp[i].prof == EK_MEP_DRAFT03 || mp[i].len4)
            opt_conf(&msg);
        emit_dio(&msg);
        vprofile(mp[i].name, NULL, EK_MEP_TYPE_PROVISIONAL);
        dio_common_expect();
        xu("enroll.mep.min_priority", 0x21);
        xmep(mp[i].prof, mp[i].len4 ? 4 : mp[i].prof == EK_MEP_DRAFT03 ? 1 : mp[i].prof == EK_MEP_DRAFT09 ? 4 : 3,
             mp[i].prof == EK_MEP_DRAFT09 || mp[i].prof == EK_MEP_DRAFT16);
        vsave();
    }
}

/* ---- IPHC address modes (RFC 6282 §3.1.1) ---- */

static void gen_iphc(void)
{
    ek_rpl_msg msg;
    uint8_t m[MAXF];
    ek_wpan_frame f;
    size_t n;

    struct iphc_case {
        const char *id, *desc;
        const char *src, *dst;
        bool src_short, dst_unicast, dst_short;
        ek_iphc_form form;
        const char *ref2;
    } cs[] = {
        { "iphc-sam00-dam00", "Unicast DIO, SAC=0 SAM=00 (128-bit fd00::1 inline), M=0 DAC=0 DAM=00 "
                              "(128-bit fd00::2 inline), TF=00 and hop limit inline (all-inline worst case)",
          "fd00::1", "fd00::2", false, true, false,
          { .tf = 0, .nh = 0, .hlim = 0, .sam = 0, .dam = 0 }, "RFC 6282 §3.1.1 SAM=00, DAM=00, TF=00, HLIM=00" },
        { "iphc-sam01-dam01", "Unicast DIO, SAC=0 SAM=01 (64-bit IID inline), M=0 DAC=0 DAM=01 (64-bit IID "
                              "inline), TF=01 (ECN+flow label 3 octets)",
          "fe80::212:4b00:0:1", "fe80::212:4b00:0:2", false, true, false,
          { .tf = 1, .nh = 0, .hlim = 3, .sam = 1, .dam = 1 }, "RFC 6282 §3.1.1 SAM=01, DAM=01, TF=01" },
        { "iphc-sam10-dam10", "Unicast DIO between short addresses 0x0001 -> 0x0002, SAC=0 SAM=10 and M=0 "
                              "DAC=0 DAM=10 (16 bits inline, fe80::ff:fe00:XXXX), TF=10, HLIM=01",
          "fe80::ff:fe00:1", "fe80::ff:fe00:2", true, true, true,
          { .tf = 2, .nh = 0, .hlim = 1, .sam = 2, .dam = 2 }, "RFC 6282 §3.1.1 SAM=10, DAM=10, TF=10, HLIM=01" },
        { "iphc-sam11-dam11", "Unicast DIO to NODE (dst extended address), SAC=0 SAM=11 and M=0 DAC=0 "
                              "DAM=11 (both IIDs from the MAC addresses), HLIM=10 (64)",
          "fe80::212:4b00:0:1", "fe80::212:4b00:0:2", false, true, false,
          { .tf = 3, .nh = 0, .hlim = 2, .sam = 3, .dam = 3 }, "RFC 6282 §3.2.2 (IID from MAC)" },
        { "iphc-m1-dam00", "DIO to ff02::1a carried as M=1 DAM=00 (128-bit multicast inline)",
          "fe80::212:4b00:0:1", "ff02::1a", false, false, false,
          { .tf = 3, .nh = 0, .hlim = 3, .sam = 3, .m = 1, .dam = 0 }, "RFC 6282 §3.1.1 M=1 DAM=00" },
        { "iphc-m1-dam01", "DIO to ff05::2:1:3, M=1 DAM=01 (48 bits: ffXX::00XX:XXXX:XXXX)",
          "fe80::212:4b00:0:1", "ff05::2:1:3", false, false, false,
          { .tf = 3, .nh = 0, .hlim = 3, .sam = 3, .m = 1, .dam = 1 }, "RFC 6282 §3.1.1 M=1 DAM=01" },
        { "iphc-m1-dam10", "DIO to ff05::1:3, M=1 DAM=10 (32 bits: ffXX::00XX:XXXX)",
          "fe80::212:4b00:0:1", "ff05::1:3", false, false, false,
          { .tf = 3, .nh = 0, .hlim = 3, .sam = 3, .m = 1, .dam = 2 }, "RFC 6282 §3.1.1 M=1 DAM=10" },
        { "iphc-m1-dam11", "DIO to ff02::1a, M=1 DAM=11 (8 bits: ff02::00XX)",
          "fe80::212:4b00:0:1", "ff02::1a", false, false, false,
          { .tf = 3, .nh = 0, .hlim = 3, .sam = 3, .m = 1, .dam = 3 }, "RFC 6282 §3.1.1 M=1 DAM=11" },
    };
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        prof_reset();
        vbegin(cs[i].id, cs[i].desc);
        refs_dio();
        ref(cs[i].ref2);
        mac_default(&f);
        if (cs[i].src_short)
            f.src = ll_short(0x0001);
        if (cs[i].dst_unicast)
            f.dst = cs[i].dst_short ? ll_short(0x0002) : ll_ext(NODE64);
        /* 2015 Table 7-2: ext/ext with PAN ID comp 0 -> dst PAN present (comp 1 -> none) */
        if (f.dst.mode == EK_WPAN_AM_EXT && f.src.mode == EK_WPAN_AM_EXT)
            f.pan_id_compression = false;
        net nt = { cs[i].src, cs[i].dst, cs[i].form.hlim == 0 ? 64 : cs[i].form.hlim == 1 ? 1
                                                                : cs[i].form.hlim == 2 ? 64 : 255,
                   &cs[i].form, false };
        dio_base(&msg);
        n = rpl_frame(&f, &nt, &msg, m);
        vframe(195, m, n, true, NULL);
        xb("wpan.fcs_ok", true);
        xu("wpan.dst_pan", PAN);
        if (cs[i].src_short)
            xu("wpan.src16", 1);
        else
            xt("wpan.src64", ROOT64_TXT);
        xt("ipv6.src", cs[i].src);
        xt("ipv6.dst", cs[i].dst);
        xu("icmpv6.checksum.status", 1);
        expect_dio();
        vsave();
    }

    /* SAC=1 SAM=00: the unspecified address, no context needed (DIS from a pledge) */
    prof_reset();
    vbegin("iphc-sac1-sam00-dis", "DIS from the unspecified address: SAC=1 SAM=00 (::, stateful, no "
                                  "inline bits), to ff02::1a M=1 DAM=11; src = NODE EUI-64");
    ref("RFC 6282 §3.1.1 SAC=1 SAM=00");
    ref("RFC 6550 §6.2 (DIS)");
    mac_default(&f);
    f.src = ll_ext(NODE64);
    {
        ek_iphc_form fo = { .tf = 3, .hlim = 3, .sac = 1, .sam = 0, .m = 1, .dam = 3 };
        net nt = { "::", "ff02::1a", 255, &fo, false };
        memset(&msg, 0, sizeof msg);
        msg.code = EK_RPL_CODE_DIS;
        n = rpl_frame(&f, &nt, &msg, m);
    }
    vframe(195, m, n, true, NULL);
    xb("wpan.fcs_ok", true);
    xt("wpan.src64", NODE64_TXT);
    xt("ipv6.src", "::");
    xt("ipv6.dst", "ff02::1a");
    xu("icmpv6.checksum.status", 1);
    vsave();

    /* Uncompressed IPv6 dispatch */
    prof_reset();
    vbegin("lowpan-ipv6-uncompressed", "DIO in an uncompressed IPv6 header (dispatch 0x41, 40 octets)");
    refs_dio();
    ref("RFC 4944 §5.1 (IPv6 dispatch 0x41)");
    mac_default(&f);
    {
        net nt = { "fe80::212:4b00:0:1", "ff02::1a", 255, NULL, true };
        dio_base(&msg);
        n = rpl_frame(&f, &nt, &msg, m);
    }
    vframe(195, m, n, true, NULL);
    dio_common_expect();
    vsave();
}

/* ---- frame versions, DIS/DAO, security, link types ---- */

static void gen_misc(void)
{
    ek_rpl_msg msg;
    uint8_t m[MAXF];
    ek_wpan_frame f;
    size_t n;

    /* 2003 data frame: short addresses, PAN ID compression (2003 §7.2.1.1.5) */
    prof_reset();
    vbegin("wpan-2003-dio", "IEEE 802.15.4-2003 (version 0) data frame, dst 0xffff src 0x0001, intra-PAN, "
                            "carrying a root DIO");
    ref("IEEE 802.15.4-2003 §7.2.1 (frame version 0)");
    refs_dio();
    mac_default(&f);
    f.version = EK_WPAN_VER_2003;
    f.src = ll_short(0x0001);
    {
        net nt = { "fe80::ff:fe00:1", "ff02::1a", 255, NULL, false };
        dio_base(&msg);
        n = rpl_frame(&f, &nt, &msg, m);
    }
    vframe(195, m, n, true, NULL);
    xb("wpan.fcs_ok", true);
    xu("wpan.dst_pan", PAN);
    xu("wpan.dst16", 0xffff);
    xu("wpan.src16", 1);
    xt("ipv6.src", "fe80::ff:fe00:1");
    xu("icmpv6.checksum.status", 1);
    expect_dio();
    vsave();

    prof_reset();
    vbegin("wpan-2006-dio", "IEEE 802.15.4-2006 (version 1) data frame, ext src, carrying a root DIO");
    ref("IEEE 802.15.4-2006 §7.2.1 (frame version 1)");
    refs_dio();
    mac_default(&f);
    f.version = EK_WPAN_VER_2006;
    dio_base(&msg);
    n = rpl_frame(&f, &NET_DIO, &msg, m);
    vframe(195, m, n, true, NULL);
    dio_common_expect();
    vsave();

    prof_reset();
    vbegin("wpan-2006-beacon", "IEEE 802.15.4-2006 beacon (version 1): src PAN 0xabcd, src EUI-64, "
                               "superframe spec 0xcfff, no GTS, no pending addresses");
    ref("IEEE 802.15.4-2006 §7.2.2.1 (beacon frame format)");
    ek_wpan_frame_init(&f);
    f.frame_type = EK_WPAN_FT_BEACON;
    f.version = EK_WPAN_VER_2006;
    f.seq = 0x11;
    f.src = ll_ext(ROOT64);
    f.src_pan = PAN;
    f.beacon.superframe = 0xcfff;
    n = mac_bytes(&f, m, sizeof m);
    vframe(195, m, n, true, NULL);
    xb("wpan.fcs_ok", true);
    xu("wpan.frame_type", 0);
    xu("wpan.seq_no", 0x11);
    xu("wpan.src_pan", PAN);
    xt("wpan.src64", ROOT64_TXT);
    vsave();

    prof_reset();
    vbegin("rpl-dis", "DIS (flags 0, reserved 0, no options) from NODE fe80::212:4b00:0:2 to ff02::1a");
    ref("RFC 6550 §6.2.1 (DIS)");
    mac_default(&f);
    f.src = ll_ext(NODE64);
    {
        net nt = { "fe80::212:4b00:0:2", "ff02::1a", 255, NULL, false };
        memset(&msg, 0, sizeof msg);
        msg.code = EK_RPL_CODE_DIS;
        n = rpl_frame(&f, &nt, &msg, m);
    }
    vframe(195, m, n, true, NULL);
    xb("wpan.fcs_ok", true);
    xt("wpan.src64", NODE64_TXT);
    xt("ipv6.src", "fe80::212:4b00:0:2");
    xu("icmpv6.checksum.status", 1);
    vsave();

    prof_reset();
    vbegin("rpl-dao", "Storing-mode DAO K=1 D=1 (DODAGID present), seq 7, with Target fd00::212:4b00:0:2/128 "
                      "and Transit (path seq 1, lifetime 30), unicast NODE -> ROOT");
    ref("RFC 6550 §6.4.1 (DAO)");
    ref("RFC 6550 §6.7.7, §6.7.8 (Target, Transit)");
    mac_default(&f);
    f.src = ll_ext(NODE64);
    f.dst = ll_ext(ROOT64);
    f.pan_id_compression = false; /* Table 7-2 ext/ext comp 0: dst PAN only */
    f.ack_request = true;
    {
        net nt = { "fe80::212:4b00:0:2", "fe80::212:4b00:0:1", 64, NULL, false };
        memset(&msg, 0, sizeof msg);
        msg.code = EK_RPL_CODE_DAO;
        msg.base.dao.instance = 30;
        msg.base.dao.k = true;
        msg.base.dao.d = true;
        msg.base.dao.seq = 7;
        ip6(msg.base.dao.dodagid, DODAGID_TXT);
        ek_rpl_opt *o = add_opt(&msg, EK_RPL_OPTK_TARGET, EK_RPL_OPT_TARGET);
        o->u.target.prefix_len = 128;
        o->u.target.prefix_bytes = 16;
        ip6(o->u.target.prefix, "fd00::212:4b00:0:2");
        o = add_opt(&msg, EK_RPL_OPTK_TRANSIT, EK_RPL_OPT_TRANSIT);
        o->u.transit.path_seq = 1;
        o->u.transit.path_lifetime = 30;
        n = rpl_frame(&f, &nt, &msg, m);
    }
    vframe(195, m, n, true, NULL);
    xb("wpan.fcs_ok", true);
    xt("wpan.src64", NODE64_TXT);
    xt("wpan.dst64", ROOT64_TXT);
    xu("wpan.dst_pan", PAN);
    xt("ipv6.dst", "fe80::212:4b00:0:1");
    xu("icmpv6.checksum.status", 1);
    vsave();

    /* Secured data frames */
    prof_reset();
    vbegin("wpan-sec-kim2-fc", "2015 data frame secured at level 5 (ENC-MIC-32), key id mode 2 (4-octet key "
                               "source 01020304, key index 5), frame counter 0x00000102; payload opaque");
    ref("IEEE 802.15.4-2015 §9.4.1, §9.4.2 (Security Control, Frame Counter, Key Identifier mode 2)");
    mac_default(&f);
    f.security = true;
    f.sec.level = 5;
    f.sec.key_id_mode = 2;
    f.sec.frame_counter = 0x102;
    memcpy(f.sec.key_source, "\x01\x02\x03\x04", 4);
    f.sec.key_index = 5;
    {
        static const uint8_t ct[] = { 0x5a, 0xa5, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66 };
        f.ciphertext = ek_view_make(ct, sizeof ct);
        n = mac_bytes(&f, m, sizeof m);
    }
    vframe(195, m, n, true, NULL);
    xb("wpan.fcs_ok", true);
    xu("wpan.dst_pan", PAN);
    xt("wpan.src64", ROOT64_TXT);
    vsave();

    prof_reset();
    vbegin("wpan-sec-kim3-mic64", "2015 data frame secured at level 2 (MIC-64, not encrypted), key id mode 3 "
                                  "(8-octet key source, key index 9), frame counter 7; the DIO stays in clear");
    ref("IEEE 802.15.4-2015 §9.4.2 (Key Identifier mode 3)");
    ref("IEEE 802.15.4-2015 §9.4.2.2 Table 9-6 (MIC-64)");
    refs_dio();
    mac_default(&f);
    f.security = true;
    f.sec.level = 2;
    f.sec.key_id_mode = 3;
    f.sec.frame_counter = 7;
    memcpy(f.sec.key_source, "\x11\x12\x13\x14\x15\x16\x17\x18", 8);
    f.sec.key_index = 9;
    dio_base(&msg);
    n = rpl_frame(&f, &NET_DIO, &msg, m);
    vframe(195, m, n, true, NULL);
    dio_common_expect();
    vsave();

    /* Secure RPL DIO (§6.1): KIM 0 LVL 0 (MAC-32), key index 1, counter 1; base in clear */
    prof_reset();
    vbegin("rpl-secure-dio", "Secure DIO (code 0x81): security section T=0 algorithm 0, KIM 0 LVL 0 "
                             "(MAC-32), counter 1, key index 1; DIO base in clear; 4-octet MAC (zeros)");
    ref("RFC 6550 §6.1 Fig. 8-11 (security section)");
    ref("RFC 6550 §6.3 (Secure DIO)");
    dio_base(&msg);
    msg.code = EK_RPL_CODE_SECURE | EK_RPL_CODE_DIO;
    msg.secure = true;
    msg.sec.counter = 1;
    msg.sec.has_key_index = true;
    msg.sec.key_index = 1;
    {
        static const uint8_t mac[4] = { 0 };
        msg.mac = ek_view_make(mac, 4);
    }
    emit_dio(&msg);
    dio_common_expect();
    vsave();

    /* Secure DIO KIM 2 LVL 0: Key Identifier = key source (8) + key index (Fig. 10).
     * Octet 3 = KIM(2) resvd(3) LVL(3) = 0x80; tshark 4.0 takes KIM from the low bits. */
    prof_reset();
    vbegin("rpl-secure-dio-kim2", "Secure DIO (code 0x81): KIM 2 LVL 0 (MAC-32), counter 2, key source "
                                  "0102030405060708 + key index 3; DIO base in clear; 4-octet MAC");
    ref("RFC 6550 §6.1 Fig. 8-11 (KIM 2: key source + key index)");
    ref("RFC 6550 §6.3 (Secure DIO)");
    dio_base(&msg);
    msg.code = EK_RPL_CODE_SECURE | EK_RPL_CODE_DIO;
    msg.secure = true;
    msg.sec.kim = 2;
    msg.sec.counter = 2;
    msg.sec.has_key_source = true;
    memcpy(msg.sec.key_source, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
    msg.sec.has_key_index = true;
    msg.sec.key_index = 3;
    {
        static const uint8_t mac[4] = { 0 };
        msg.mac = ek_view_make(mac, 4);
    }
    emit_dio(&msg);
    dio_common_expect();
    vsave();

    /* Link types */
    prof_reset();
    vbegin("lt230-dio", "Root DIO in LINKTYPE_IEEE802_15_4_NOFCS (230): no FCS, so no wpan.fcs_ok");
    ref("tcpdump.org LINKTYPE_IEEE802_15_4_NOFCS (230)");
    refs_dio();
    mac_default(&f);
    dio_base(&msg);
    n = rpl_frame(&f, &NET_DIO, &msg, m);
    vframe(230, m, n, false, NULL);
    xu("wpan.dst_pan", PAN);
    xt("wpan.src64", ROOT64_TXT);
    xu("icmpv6.checksum.status", 1);
    expect_dio();
    vsave();

    prof_reset();
    vbegin("lt283-tap-eb", "EB with Join-Info in LINKTYPE_IEEE802_15_4_TAP (283): FCS type TLV 1 (CRC-16), "
                           "channel TLV 26/0, ASN TLV 123456, LQI TLV 255");
    ref("tcpdump.org LINKTYPE_IEEE802_15_4_TAP (283)");
    refs_eb();
    ref("RFC 9032 §2");
    eb_frame(&f);
    eb_mlme(&f.ies);
    add_ji(&f.ies, true, false, 0x25, 0x0a3, 16, NULL, NULL, 0);
    n = mac_bytes(&f, m, sizeof m);
    {
        ek_tap t;
        memset(&t, 0, sizeof t);
        t.has_channel = true;
        t.channel = 26;
        t.has_asn = true;
        t.asn = EB_ASN;
        t.has_lqi = true;
        t.lqi = 255;
        ek_cap_encap_opts o;
        ek_cap_encap_opts_default(&o);
        o.tap = &t;
        vframe(283, m, n, true, &o);
    }
    expect_eb_mac();
    xu("enroll.ji.proxy_priority", 0x25);
    xu("enroll.ji.rank_priority", 0x0a3);
    vsave();

    struct {
        const char *id, *desc, *ref;
        int lt;
        bool v4;
        uint8_t ver;
    } zc[] = {
        { "zep2-eth-ipv6", "Root DIO in ZEP v2 Data (CRC mode, channel 26) over UDP 17754 / IPv6 ::1 / Ethernet",
          "Wireshark packet-zep.c (ZEP v2 Data)", EK_LT_EN10MB, false, 2 },
        { "zep1-sll-ipv4", "Root DIO in ZEP v1 (CRC mode) over UDP 17754 / IPv4 127.0.0.1 / Linux cooked (113)",
          "Wireshark packet-zep.c (ZEP v1)", EK_LT_LINUX_SLL, true, 1 },
        { "zep2-raw-ipv6", "EB in ZEP v2 over UDP / IPv6 in LINKTYPE_RAW (101)",
          "tcpdump.org LINKTYPE_RAW (101)", EK_LT_RAW, false, 2 },
        { "zep2-null-ipv4", "Root DIO in ZEP v2 over UDP / IPv4 in DLT_NULL loopback (0)",
          "tcpdump.org LINKTYPE_NULL (0)", EK_LT_NULL, true, 2 },
    };
    for (size_t i = 0; i < sizeof zc / sizeof zc[0]; i++) {
        prof_reset();
        vbegin(zc[i].id, zc[i].desc);
        ref(zc[i].ref);
        ek_cap_encap_opts o;
        ek_cap_encap_opts_default(&o);
        o.ipv4 = zc[i].v4;
        o.zep_version = zc[i].ver;
        o.seq = 1;
        bool eb = zc[i].lt == EK_LT_RAW;
        if (eb) {
            refs_eb();
            eb_frame(&f);
            eb_mlme(&f.ies);
            n = mac_bytes(&f, m, sizeof m);
        } else {
            refs_dio();
            mac_default(&f);
            dio_base(&msg);
            n = rpl_frame(&f, &NET_DIO, &msg, m);
        }
        vframe(zc[i].lt, m, n, true, &o);
        if (eb) {
            expect_eb_mac();
        } else {
            dio_common_expect();
        }
        vsave();
    }
}

/* ---- malformed vectors: valid frames damaged afterwards ---- */

static size_t find(const uint8_t *h, size_t hn, const uint8_t *needle, size_t nn)
{
    for (size_t i = 0; i + nn <= hn; i++)
        if (!memcmp(h + i, needle, nn))
            return i;
    fprintf(stderr, "ek-vecgen: %s: pattern not found\n", V.id);
    exit(1);
}

static void gen_malformed(void)
{
    ek_rpl_msg msg;
    uint8_t m[MAXF], body[512];
    ek_wpan_frame f;
    size_t n, bn;

    /* 1. Truncated MHR: 2015 data frame FCF 41 e8 | seq | dst PAN (2) ... cut after 1 PAN octet */
    prof_reset();
    vbegin("bad-truncated-mhr", "2015 data frame cut inside the Destination PAN ID (4 octets: FCF, seq, "
                                "one PAN octet), NOFCS link type");
    ref("IEEE 802.15.4-2015 §7.2.1 (MHR fields)");
    mac_default(&f);
    dio_base(&msg);
    n = rpl_frame(&f, &NET_DIO, &msg, m);
    vframe(230, m, 4, false, NULL);
    xerr(EK_ERR_TRUNCATED, "wpan.dst_pan", 3);
    vsave();

    /* 2. Bad FCS: still decoded */
    prof_reset();
    vbegin("bad-fcs", "Root DIO whose FCS is wrong (last octets inverted): wpan.fcs_ok false, the frame still "
                      "decodes down to the DIO");
    ref("IEEE 802.15.4-2015 §7.2.10 (FCS, CRC-16/KERMIT)");
    refs_dio();
    mac_default(&f);
    dio_base(&msg);
    n = rpl_frame(&f, &NET_DIO, &msg, m);
    {
        ek_buf b;
        ek_buf_init(&b, m, sizeof m);
        b.len = n;
        if (!ek_fcs16_append(&b))
            die("fcs", NULL);
        n = b.len;
        m[n - 1] ^= 0xff;
        m[n - 2] ^= 0xff;
    }
    vframe(195, m, n, false, NULL);
    V.wellformed = false;
    xb("wpan.fcs_ok", false);
    xt("wpan.src64", ROOT64_TXT);
    xu("icmpv6.checksum.status", 1);
    expect_dio();
    vsave();

    /* 3. Payload IE length overrun: the last IETF IE claims 40 octets */
    prof_reset();
    vbegin("bad-ie-overrun", "EB whose IETF payload IE (Join-Info, length 5) is rewritten to length 40, "
                             "running past the end of the frame");
    ref("IEEE 802.15.4-2015 §7.4.3.1 (payload IE length)");
    eb_frame(&f);
    eb_mlme(&f.ies);
    add_ji(&f.ies, true, false, 0x25, 0x0a3, 16, NULL, NULL, 0);
    n = mac_bytes(&f, m, sizeof m);
    {
        /* IETF IE descriptor len 5 group 5 type 1: 0xa805 -> 05 a8, content 02 82 50 a3 10 */
        static const uint8_t pat[] = { 0x05, 0xa8, 0x02, 0x82, 0x50, 0xa3, 0x10 };
        size_t at = find(m, n, pat, sizeof pat);
        m[at] = 40;
        vframe(195, m, n, true, NULL);
        xerr(EK_ERR_TRUNCATED, "wpan.payload_ie.length", at + 2); /* codec: where the content runs out */
    }
    xb("wpan.fcs_ok", true);
    xu("wpan.tsch.asn", EB_ASN);
    vsave();

    /* 4. Join-Info N=17: build N=16, append one octet and bump the IE length */
    prof_reset();
    vbegin("bad-ji-n17", "EB with Join-Info P=0 whose network ID is 17 octets (IETF IE length 22 > 5+16)");
    ref("RFC 9032 §2 (network ID up to 16 octets)");
    eb_frame(&f);
    eb_mlme(&f.ies);
    add_ji(&f.ies, false, false, 0x25, 0x0a3, 16, NULL, NETID, 16);
    n = mac_bytes(&f, m, sizeof m);
    {
        /* descriptor 0xa815 (len 21) -> 15 a8 | 02 02 50 a3 10 | netid(16) */
        static const uint8_t pat[] = { 0x15, 0xa8, 0x02, 0x02, 0x50, 0xa3, 0x10 };
        size_t at = find(m, n, pat, sizeof pat);
        m[at] = 22;
        m[n++] = 0x10; /* the 17th octet; EB has no payload after the IEs */
        vframe(195, m, n, true, NULL);
        xerr(EK_ERR_MALFORMED, "enroll.ji.network_id", at + 7 + 16); /* the 17th octet */
    }
    xb("wpan.fcs_ok", true);
    vsave();

    /* 5. P=1 with a short IID: build P=0 N=4, then set P (4 octets where 8 are needed) */
    prof_reset();
    vbegin("bad-ji-p1-short-iid", "EB with Join-Info P=1 but only 4 octets after the PAN priority "
                                  "(Join Proxy IID needs 8)");
    ref("RFC 9032 §2 (Join Proxy IID present iff P)");
    eb_frame(&f);
    eb_mlme(&f.ies);
    add_ji(&f.ies, false, false, 0x25, 0x0a3, 16, NULL, NETID, 4);
    n = mac_bytes(&f, m, sizeof m);
    {
        static const uint8_t pat[] = { 0x09, 0xa8, 0x02, 0x02, 0x50, 0xa3, 0x10 };
        size_t at = find(m, n, pat, sizeof pat);
        m[at + 3] |= 0x40; /* P */
        vframe(195, m, n, true, NULL);
        xerr(EK_ERR_TRUNCATED, "enroll.ji.join_proxy_iid", at + 7);
    }
    xb("wpan.fcs_ok", true);
    vsave();

    /* 6. MEP length not fitting the profile: draft-16 option (Length 3) read with draft-09
     *    (Length 4); the walk continues: DODAG Conf, then a PadN Length 6 (second error) */
    prof_reset();
    vbegin("bad-mep-length", "DIO with a draft-16 MEP option (Length 3) decoded with the draft-09 profile "
                             "(needs Length 4): MALFORMED on the option, the walk continues through a DODAG "
                             "Configuration option to a PadN of Length 6 which is reported too");
    ref("draft-ietf-roll-enrollment-priority-09 §3.1 (Length 4)");
    ref("RFC 6550 §6.7.1 (skip by length)");
    ref("RFC 6550 §6.7.3 (PadN 0..5)");
    dio_base(&msg);
    opt_mep16(&msg, 0x21);
    opt_conf(&msg);
    add_opt(&msg, EK_RPL_OPTK_PADN, EK_RPL_OPT_PADN)->length = 5;
    bn = rpl_bytes(&msg, body, sizeof body);
    /* body: base 24 | MEP @24 (2a 03 ..) | conf @29 (04 0e ..) | PadN @45 (01 05 + 5) */
    if (body[24] != 0x2a || body[29] != 0x04 || body[45] != 0x01)
        die("layout", NULL);
    body[46] = 6;
    body[bn++] = 0;
    mac_default(&f);
    n = rpl_frame_body(&f, &NET_DIO, EK_RPL_CODE_DIO, body, bn, m);
    vframe(195, m, n, true, NULL);
    vprofile("draft-09", NULL, EK_MEP_TYPE_PROVISIONAL);
    {
        /* MAC 15 (FCF2 seq1 PAN2 dst2 src8) + IPHC 4 (7b 3b 3a 1a) + ICMPv6 4 = body at 23 */
        size_t b0 = 23;
        if (m[15] != 0x7b || m[19] != 0x9b)
            die("offset", NULL);
        xerr(EK_ERR_MALFORMED, "enroll.mep.length", b0 + 25);
        xerr(EK_ERR_MALFORMED, "icmpv6.rpl.opt.length", b0 + 46);
    }
    xb("wpan.fcs_ok", true);
    xu("icmpv6.checksum.status", 1);
    expect_dio();
    V.error_is_array = true;
    vsave();

    /* 7. RPL option overrunning the message */
    prof_reset();
    vbegin("bad-rpl-opt-overrun", "DIO whose DODAG Configuration option claims Length 30 with 14 octets left");
    ref("RFC 6550 §6.7.1 (Option Length)");
    dio_base(&msg);
    opt_conf(&msg);
    bn = rpl_bytes(&msg, body, sizeof body);
    body[25] = 30;
    mac_default(&f);
    n = rpl_frame_body(&f, &NET_DIO, EK_RPL_CODE_DIO, body, bn, m);
    vframe(195, m, n, true, NULL);
    xerr(EK_ERR_TRUNCATED, "icmpv6.rpl.opt.length", 23 + 25);
    xu("icmpv6.checksum.status", 1);
    expect_dio();
    vsave();

    /* 8. PadN Length 6 */
    prof_reset();
    vbegin("bad-padn-6", "DIO with a PadN option of Length 6 (maximum is 5), followed by DODAG Configuration");
    ref("RFC 6550 §6.7.3 (PadN Length 0..5)");
    dio_base(&msg);
    add_opt(&msg, EK_RPL_OPTK_PADN, EK_RPL_OPT_PADN)->length = 5;
    opt_conf(&msg);
    bn = rpl_bytes(&msg, body, sizeof body);
    /* PadN @24: 01 05 00x5 -> 01 06 00x6, conf shifted by one */
    memmove(body + 31 + 1, body + 31, bn - 31);
    body[31] = 0;
    body[25] = 6;
    bn++;
    mac_default(&f);
    n = rpl_frame_body(&f, &NET_DIO, EK_RPL_CODE_DIO, body, bn, m);
    vframe(195, m, n, true, NULL);
    xerr(EK_ERR_MALFORMED, "icmpv6.rpl.opt.length", 23 + 25);
    xu("icmpv6.checksum.status", 1);
    expect_dio();
    vsave();

    /* 9. ICMPv6 bad checksum */
    prof_reset();
    vbegin("bad-icmp6-checksum", "Root DIO with its ICMPv6 checksum inverted (FCS recomputed): "
                                 "icmpv6.checksum.status 0 (wrong), still decoded");
    ref("RFC 4443 §2.3 (checksum)");
    refs_dio();
    mac_default(&f);
    dio_base(&msg);
    n = rpl_frame(&f, &NET_DIO, &msg, m);
    m[21] ^= 0xff; /* ICMPv6 header at 19: type 9b, code 01, checksum 21-22 */
    m[22] ^= 0xff;
    if (m[19] != 0x9b)
        die("offset", NULL);
    vframe(195, m, n, true, NULL);
    V.wellformed = false;
    xb("wpan.fcs_ok", true);
    xu("icmpv6.checksum.status", 0);
    expect_dio();
    vsave();

    /* 10. IPHC M=0 DAC=1 DAM=00 is reserved */
    prof_reset();
    vbegin("bad-iphc-dac1-dam00", "Unicast DIO with IPHC M=0 DAM=00 rewritten to DAC=1 (the reserved "
                                  "DAC=1 DAM=00 combination)");
    ref("RFC 6282 §3.1.1 (DAC=1 DAM=00: reserved)");
    mac_default(&f);
    f.dst = ll_ext(NODE64);
    f.pan_id_compression = false; /* Table 7-2 ext/ext comp 0: dst PAN only */
    {
        ek_iphc_form fo = { .tf = 3, .hlim = 3, .sam = 3, .dam = 0 };
        net nt = { "fe80::212:4b00:0:1", "fd00::2", 255, &fo, false };
        dio_base(&msg);
        n = rpl_frame(&f, &nt, &msg, m);
    }
    /* MAC: FCF2 seq1 PAN2 dst8 src8 = 21; IPHC at 21-22 */
    if (m[21] != 0x7b || m[22] != 0x30) {
        fprintf(stderr, "%02x %02x %02x %02x\n", m[20], m[21], m[22], m[23]);
        die("offset", NULL);
    }
    m[22] |= 0x04; /* DAC */
    vframe(195, m, n, true, NULL);
    xerr(EK_ERR_MALFORMED, "6lowpan.iphc.dam", 22);
    xb("wpan.fcs_ok", true);
    vsave();

    /* 11. Missing context: built with context 0 = fd00::/64, manifest has none */
    prof_reset();
    if (!ek_profile_set_context(&P, 0, "fd00::/64"))
        die("context", NULL);
    vbegin("bad-iphc-missing-context", "DIO from fd00::212:4b00:0:1 compressed with SAC=1 SAM=11 against "
                                       "context 0 fd00::/64, decoded without any context configured");
    ref("RFC 6282 §3.1.1 (SAC=1), §3.1.2 (contexts)");
    mac_default(&f);
    {
        ek_iphc_form fo = { .tf = 3, .hlim = 3, .sac = 1, .sam = 3, .m = 1, .dam = 3 };
        net nt = { "fd00::212:4b00:0:1", "ff02::1a", 255, &fo, false };
        dio_base(&msg);
        n = rpl_frame(&f, &nt, &msg, m);
    }
    if (m[15] != 0x7b || m[16] != 0x7b)
        die("offset", NULL);
    vframe(195, m, n, true, NULL);
    V.wellformed = false; /* undecodable in part: not an error, the context is named */
    xu("enroll.decode.needs_context_src", 0);
    xb("wpan.fcs_ok", true);
    vsave();

    /* 12. Payload IE without HT1: delete the HT1 descriptor (00 3f: len 0, id 0x7e) */
    prof_reset();
    vbegin("bad-no-ht1", "EB whose Header Termination 1 IE was removed: a payload IE descriptor appears "
                         "among the header IEs");
    ref("IEEE 802.15.4-2015 §7.4.1 (HT1 before payload IEs)");
    ref("IEEE 802.15.4-2015 §7.4.2.18");
    eb_frame(&f);
    eb_mlme(&f.ies);
    n = mac_bytes(&f, m, sizeof m);
    /* EB MHR: FCF2 seq1 PAN2 dst2 src8 = 15; HT1 at 15-16 = 00 3f */
    if (m[15] != 0x00 || m[16] != 0x3f)
        die("offset", NULL);
    memmove(m + 15, m + 17, n - 17);
    n -= 2;
    vframe(195, m, n, true, NULL);
    xerr(EK_ERR_MALFORMED, "wpan.header_ie.type", 15);
    xb("wpan.fcs_ok", true);
    vsave();

    /* 13. 2003 frame with security on */
    prof_reset();
    vbegin("bad-2003-security", "IEEE 802.15.4-2003 data frame with the Security Enabled bit set "
                                "(2003 security is not supported)");
    ref("IEEE 802.15.4-2003 §7.2.1.1.2 (security enabled)");
    ref("IEEE 802.15.4-2015 §9.4 (Auxiliary Security Header only from version 1)");
    mac_default(&f);
    f.version = EK_WPAN_VER_2003;
    f.src = ll_short(0x0001);
    {
        net nt = { "fe80::ff:fe00:1", "ff02::1a", 255, NULL, false };
        dio_base(&msg);
        n = rpl_frame(&f, &nt, &msg, m);
    }
    m[0] |= 0x08;
    vframe(195, m, n, true, NULL);
    xerr(EK_ERR_UNSUPPORTED, "wpan.security", 0);
    xb("wpan.fcs_ok", true);
    vsave();

    /* 14. Join-Info shorter than 5 octets (IETF IE length 3) */
    prof_reset();
    vbegin("bad-ji-short", "EB with an IETF IE of subtype 2 holding only 2 content octets (Join-Info needs 4 "
                           "after the subtype)");
    ref("RFC 9032 §2 (minimum length 5)");
    eb_frame(&f);
    eb_mlme(&f.ies);
    add_ji(&f.ies, true, false, 0x25, 0x0a3, 16, NULL, NULL, 0);
    n = mac_bytes(&f, m, sizeof m);
    {
        static const uint8_t pat[] = { 0x05, 0xa8, 0x02, 0x82, 0x50, 0xa3, 0x10 };
        size_t at = find(m, n, pat, sizeof pat);
        m[at] = 3;
        n -= 2; /* the last two content octets go */
        vframe(195, m, n, true, NULL);
        xerr(EK_ERR_TRUNCATED, "enroll.ji.octets", at + 3); /* 3 flag/priority octets, 2 present */
    }
    xb("wpan.fcs_ok", true);
    vsave();

    /* 15. DIO base truncated */
    prof_reset();
    vbegin("bad-dio-truncated", "DIO base object cut after 12 octets (DODAGID incomplete), ICMPv6 checksum "
                                "over the short message valid");
    ref("RFC 6550 §6.3.1 (DIO base, 24 octets)");
    dio_base(&msg);
    bn = rpl_bytes(&msg, body, sizeof body);
    mac_default(&f);
    n = rpl_frame_body(&f, &NET_DIO, EK_RPL_CODE_DIO, body, 12, m);
    vframe(195, m, n, true, NULL);
    xerr(EK_ERR_TRUNCATED, "icmpv6.rpl.dio.dagid", 23 + 8);
    xu("icmpv6.checksum.status", 1);
    vsave();
}

/* ---- context-based IPHC (RFC 6282 §3.1.1 SAC/DAC=1, §3.1.2 contexts) ----
 * Each manifest carries the contexts its frame was compressed against in
 * profile.contexts, so `ek-vectors verify` and the oracle decode with them. */
#define CTX0 "fd00::/64"
#define CTX1 "fd01:2::/64"
static void gen_context(void)
{
    ek_rpl_msg msg;
    uint8_t m[MAXF];
    ek_wpan_frame f;
    size_t n;
    struct ctx_case {
        const char *id, *desc, *src, *dst;
        bool src_short, dst_ext;
        ek_iphc_form form;
        const char *ref2;
    } cs[] = {
        { "iphc-ctx-sac1-sam01", "DIO from fd00::1:2:3:4: SAC=1 SAM=01 (64-bit IID inline, prefix from context 0 "
                                 "fd00::/64), to ff02::1a M=1 DAM=11",
          "fd00::1:2:3:4", "ff02::1a", false, false,
          { .tf = 3, .hlim = 3, .sac = 1, .sam = 1, .m = 1, .dam = 3 }, "RFC 6282 §3.1.1 SAC=1 SAM=01" },
        { "iphc-ctx-sac1-sam10", "DIO from fd00::ff:fe00:5: SAC=1 SAM=10 (16 bits inline, context 0)",
          "fd00::ff:fe00:5", "ff02::1a", false, false,
          { .tf = 3, .hlim = 3, .sac = 1, .sam = 2, .m = 1, .dam = 3 }, "RFC 6282 §3.1.1 SAC=1 SAM=10" },
        { "iphc-ctx-sac1-sam11", "DIO from fd00::212:4b00:0:1: SAC=1 SAM=11 (IID from the MAC source, context 0)",
          "fd00::212:4b00:0:1", "ff02::1a", false, false,
          { .tf = 3, .hlim = 3, .sac = 1, .sam = 3, .m = 1, .dam = 3 }, "RFC 6282 §3.1.1 SAC=1 SAM=11" },
        { "iphc-ctx-dac1-dam01", "Unicast DIO to fd00::5:6:7:8: M=0 DAC=1 DAM=01 (64 bits inline, context 0)",
          "fe80::212:4b00:0:1", "fd00::5:6:7:8", false, true,
          { .tf = 3, .hlim = 3, .sam = 3, .dac = 1, .dam = 1 }, "RFC 6282 §3.1.1 DAC=1 DAM=01" },
        { "iphc-ctx-dac1-dam10", "Unicast DIO to fd00::ff:fe00:9: M=0 DAC=1 DAM=10 (16 bits inline, context 0)",
          "fe80::212:4b00:0:1", "fd00::ff:fe00:9", false, true,
          { .tf = 3, .hlim = 3, .sam = 3, .dac = 1, .dam = 2 }, "RFC 6282 §3.1.1 DAC=1 DAM=10" },
        { "iphc-ctx-dac1-dam11", "Unicast DIO to fd00::212:4b00:0:2: M=0 DAC=1 DAM=11 (IID from the MAC "
                                 "destination, context 0)",
          "fe80::212:4b00:0:1", "fd00::212:4b00:0:2", false, true,
          { .tf = 3, .hlim = 3, .sam = 3, .dac = 1, .dam = 3 }, "RFC 6282 §3.1.1 DAC=1 DAM=11" },
        { "iphc-ctx-m1-dac1-dam00", "DIO to the RFC 3306 unicast-prefix multicast ff3e:40:fd00::1234: M=1 DAC=1 "
                                    "DAM=00 (48 bits inline, prefix and length from context 0)",
          "fe80::212:4b00:0:1", "ff3e:40:fd00::1234", false, false,
          { .tf = 3, .hlim = 3, .sam = 3, .m = 1, .dac = 1, .dam = 0 }, "RFC 6282 §3.1.1 M=1 DAC=1 DAM=00; RFC 3306 §4" },
        { "iphc-ctx-cid1", "DIO fd01:2::212:4b00:0:1 -> fd01:2::212:4b00:0:2 with CID=1 (SCI=1 DCI=1, context 1 "
                           "fd01:2::/64), SAC=1 SAM=11, DAC=1 DAM=11",
          "fd01:2::212:4b00:0:1", "fd01:2::212:4b00:0:2", false, true,
          { .tf = 3, .hlim = 3, .cid = 1, .sac = 1, .sam = 3, .dac = 1, .dam = 3, .sci = 1, .dci = 1 },
          "RFC 6282 §3.1.2 (CID extension)" },
    };
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        prof_reset();
        if (!ek_profile_set_context(&P, 0, CTX0) || !ek_profile_set_context(&P, 1, CTX1))
            die("context", NULL);
        vbegin(cs[i].id, cs[i].desc);
        if (!ek_vec_set_context(&V, 0, CTX0) || !ek_vec_set_context(&V, 1, CTX1))
            die("manifest context", NULL);
        refs_dio();
        ref(cs[i].ref2);
        ref("RFC 6282 §3.1.2 (contexts: 0 = fd00::/64, 1 = fd01:2::/64)");
        mac_default(&f);
        if (cs[i].dst_ext) {
            f.dst = ll_ext(NODE64);
            f.pan_id_compression = false; /* Table 7-2 ext/ext comp 0: dst PAN only */
        }
        net nt = { cs[i].src, cs[i].dst, 255, &cs[i].form, false };
        dio_base(&msg);
        n = rpl_frame(&f, &nt, &msg, m);
        vframe(195, m, n, true, NULL);
        xb("wpan.fcs_ok", true);
        xu("wpan.dst_pan", PAN);
        xt("wpan.src64", ROOT64_TXT);
        xt("ipv6.src", cs[i].src);
        xt("ipv6.dst", cs[i].dst);
        xu("icmpv6.checksum.status", 1);
        expect_dio();
        vsave();
    }
}

/* ---- secured frames (IEEE 802.15.4-2015 §9.3 CCM*, §9.4 Auxiliary Security Header;
 * RFC 8180 §4.6: K1 authenticates EBs, K2 protects DIOs) ----
 * The plaintext frame is built with the encoders as above and protected with
 * ek_sec_protect under a named key; the manifest carries the key in profile.keys and
 * its "expect" values are those of the PLAINTEXT (ek-vectors verify unprotects first).
 * Each vector has a twin "bad-mic-<id>" with bit 0 of the first MIC octet flipped (FCS
 * recomputed): the MIC must not verify, MALFORMED "wpan.mic" at the MIC offset. */

/* "6TiSCH minimal15" (Contiki-NG / OpenWSN default K1) and Contiki-NG's example K2. */
static const uint8_t K1[16] = { 0x36, 0x54, 0x69, 0x53, 0x43, 0x48, 0x20, 0x6d,
                                0x69, 0x6e, 0x69, 0x6d, 0x61, 0x6c, 0x31, 0x35 };
static const uint8_t K2[16] = { 0xde, 0xad, 0xbe, 0xef, 0xfa, 0xce, 0xca, 0xfe,
                                0xde, 0xad, 0xbe, 0xef, 0xfa, 0xce, 0xca, 0xfe };

typedef struct sec_case {
    const char *id, *desc;
    const char *kname;      /* ek_sec_key_named name, also the manifest key name */
    const uint8_t *key;     /* literal, cross-checked with the named key */
    uint8_t key_index;
    ek_wpan_sec sec;
    int lt;                 /* 195, or 283 with the TAP ASN TLV (ASN nonce) */
    uint64_t asn;           /* nonce ASN (= TAP ASN TLV) iff sec.asn_in_nonce */
} sec_case;

/* Protects the MPDU m[0..n) per c into out; returns the secured length and the MIC
 * length.  The MIC is the last mic_len octets of the MPDU (§9.3.5). */
static size_t sec_protect(const sec_case *c, const uint8_t *m, size_t n, uint8_t *out, size_t *mic_len)
{
    ek_sec_key k;
    ek_sec_info info;
    ek_err e;
    ek_sec_env env;
    size_t len = 0;
    if (!ek_sec_key_named(c->kname, &k) || memcmp(k.key, c->key, 16) != 0 || k.key_index != c->key_index
        || k.key_id_mode != 1)
        die("named key differs from the literal", NULL);
    memset(&env, 0, sizeof env);
    env.asn = c->asn;
    ck(ek_sec_protect(ek_view_make(m, n), &c->sec, &env, &k, &P, out, MAXF, &len, &info, &e), &e,
       "ek_sec_protect");
    static const size_t mics[4] = { 0, 4, 8, 16 };
    *mic_len = mics[c->sec.level & 3];
    if (info.mic_len != *mic_len || info.mic_offset != len - *mic_len)
        die("MIC layout", NULL);
    return len;
}

static void sec_frame(const sec_case *c, const uint8_t *mpdu, size_t n)
{
    if (c->lt == 283) {
        ek_tap t;
        memset(&t, 0, sizeof t);
        t.has_asn = true;
        t.asn = c->asn;
        ek_cap_encap_opts o;
        ek_cap_encap_opts_default(&o);
        o.tap = &t;
        vframe(283, mpdu, n, true, &o);
    } else {
        vframe(c->lt, mpdu, n, true, NULL);
    }
    if (!ek_vec_add_key(&V, c->kname, c->key, c->key_index))
        die("key", NULL);
}

/* The secured vector and its MIC-flipped twin.  expect(wellformed) writes the
 * expectations: all of the plaintext for the vector, the MAC header for the twin (its
 * payload cannot be authenticated, so only the MAC header is read). */
static void sec_pair(const sec_case *c, const uint8_t *plain, size_t n, void (*refs)(void),
                     void (*expect)(bool))
{
    uint8_t sm[MAXF];
    size_t mic_len;
    size_t sn = sec_protect(c, plain, n, sm, &mic_len);

    prof_reset();
    vbegin(c->id, c->desc);
    refs();
    ref("IEEE 802.15.4-2015 §9.3 (CCM*), §9.4 (Auxiliary Security Header)");
    ref("RFC 8180 §4.6 (K1 for EBs, K2 for DIOs)");
    sec_frame(c, sm, sn);
    expect(true);
    vsave();

    char id[EK_VEC_ID_MAX], desc[EK_VEC_DESC_MAX];
    snprintf(id, sizeof id, "bad-mic-%s", c->id);
    snprintf(desc, sizeof desc, "%s; bit 0 of the first MIC octet flipped (FCS recomputed): the MIC must not "
                                "verify", c->desc);
    prof_reset();
    vbegin(id, desc);
    ref("IEEE 802.15.4-2015 §9.2.5 (incoming frame security: MIC check)");
    ref("IEEE 802.15.4-2015 §9.3 (CCM*)");
    size_t mic_at = sn - mic_len;
    sm[mic_at] ^= 0x01;
    sec_frame(c, sm, sn);
    /* record offsets: the MPDU follows the carrier header (283: TAP header + TLVs) */
    size_t mpdu_at = V.frame_len - 2 - sn;
    xerr(EK_ERR_MALFORMED, "wpan.mic", mpdu_at + mic_at);
    expect(false);
    vsave();
}

static void eb_sec_expect_ji(bool all)
{
    xb("wpan.fcs_ok", true);
    xu("wpan.frame_type", 0);
    xu("wpan.seq_no", 0x10);
    xu("wpan.dst_pan", PAN);
    xt("wpan.src64", ROOT64_TXT);
    if (!all)
        return;
    xu("wpan.tsch.asn", EB_ASN);
    xu("wpan.tsch.join_metric", EB_JOIN_METRIC);
    xu("enroll.ji.proxy_priority", 0x25);
    xu("enroll.ji.rank_priority", 0x0a3);
    xu("enroll.ji.pan_priority", 16);
    xji(true, false, 0, 0);
}

static void eb_sec_expect_plain(bool all)
{
    xb("wpan.fcs_ok", true);
    xu("wpan.frame_type", 0);
    xu("wpan.seq_no", 0x10);
    xu("wpan.dst_pan", PAN);
    xt("wpan.src64", ROOT64_TXT);
    if (!all)
        return;
    xu("wpan.tsch.asn", EB_ASN);
    xu("wpan.tsch.join_metric", EB_JOIN_METRIC);
}

static void dio_sec_expect(bool all)
{
    xb("wpan.fcs_ok", true);
    xu("wpan.dst_pan", PAN);
    xt("wpan.src64", ROOT64_TXT);
    if (!all)
        return;
    xu("icmpv6.checksum.status", 1);
    xt("ipv6.src", "fe80::212:4b00:0:1");
    xt("ipv6.dst", "ff02::1a");
    expect_dio();
}

static void dio_sec_expect_mep(bool all)
{
    dio_sec_expect(all);
    if (all) {
        xu("enroll.mep.min_priority", 0x21);
        xmep(EK_MEP_DRAFT16, 3, true);
    }
}

static void gen_secured(void)
{
    uint8_t m[MAXF];
    ek_wpan_frame f;
    ek_rpl_msg msg;
    size_t n;
    /* Security Control (§9.4.2): level | KIM 1 (0x08) [| FC suppressed 0x20 | ASN in nonce 0x40] */
    const sec_case eb_l1_ji = {
        "eb-sec-l1-ji-k1",
        "EB with Join-Info P=0 N=0 (82 50 a3 10) secured at level 1 (MIC-32, not encrypted), key id mode 1, "
        "key index 1 (K1 \"6TiSCH minimal15\"), frame counter 1 (nonce: source EUI-64 | counter | level)",
        "K1-minimal15", K1, 1, { .level = 1, .key_id_mode = 1, .frame_counter = 1, .key_index = 1 }, 195, 0 };
    const sec_case eb_l5 = {
        "eb-sec-l5-k1",
        "EB (RFC 8180 minimal content, no Join-Info) secured at level 5 (ENC-MIC-32: payload IEs encrypted, "
        "header IEs and HT1 in clear), key index 1 (K1), frame counter 2",
        "K1-minimal15", K1, 1, { .level = 5, .key_id_mode = 1, .frame_counter = 2, .key_index = 1 }, 195, 0 };
    const sec_case eb_asn = {
        "lt283-eb-sec-l1-asn-k1",
        "EB with Join-Info P=0 N=0 secured at level 1 with the TSCH ASN nonce (Security Control 0x69: frame "
        "counter suppressed, ASN in nonce), key index 1 (K1), in LINKTYPE_IEEE802_15_4_TAP (283) with the "
        "ASN TLV 123456 (= the EB's TSCH Sync ASN) so tshark can build the nonce",
        "K1-minimal15", K1, 1,
        { .level = 1, .key_id_mode = 1, .fc_suppressed = true, .asn_in_nonce = true, .key_index = 1 }, 283,
        EB_ASN };
    const sec_case dio_l5_mep = {
        "dio-sec-l5-mep-draft16-k2",
        "DIO with Minimum Enrollment Priority (draft-16 layout, min priority 0x21) secured at level 5 "
        "(ENC-MIC-32), key id mode 1, key index 2 (K2 deadbeeffacecafe x2), frame counter 0x10",
        "K2-contiki", K2, 2, { .level = 5, .key_id_mode = 1, .frame_counter = 0x10, .key_index = 2 }, 195, 0 };
    const sec_case dio_l1 = {
        "dio-sec-l1-k2",
        "Root DIO secured at level 1 (MIC-32, DIO in clear), key index 2 (K2), frame counter 0x11",
        "K2-contiki", K2, 2, { .level = 1, .key_id_mode = 1, .frame_counter = 0x11, .key_index = 2 }, 195, 0 };
    const sec_case dio_l7 = {
        "dio-sec-l7-k2",
        "Root DIO secured at level 7 (ENC-MIC-128), key index 2 (K2), frame counter 0x12",
        "K2-contiki", K2, 2, { .level = 7, .key_id_mode = 1, .frame_counter = 0x12, .key_index = 2 }, 195, 0 };

    prof_reset();
    eb_frame(&f);
    eb_mlme(&f.ies);
    add_ji(&f.ies, true, false, 0x25, 0x0a3, 16, NULL, NULL, 0);
    n = mac_bytes(&f, m, sizeof m);
    sec_pair(&eb_l1_ji, m, n, refs_eb, eb_sec_expect_ji);
    prof_reset();
    sec_pair(&eb_asn, m, n, refs_eb, eb_sec_expect_ji);

    prof_reset();
    eb_frame(&f);
    eb_mlme(&f.ies);
    n = mac_bytes(&f, m, sizeof m);
    sec_pair(&eb_l5, m, n, refs_eb, eb_sec_expect_plain);

    prof_reset();
    dio_base(&msg);
    {
        ek_rpl_opt *o = add_opt(&msg, EK_RPL_OPTK_MEP, EK_MEP_TYPE_PROVISIONAL);
        o->u.mep.profile = EK_MEP_DRAFT16;
        o->u.mep.min_priority = 0x21;
        o->u.mep.has_version = true;
        o->u.mep.version = 240;
        o->u.mep.t = true;
        o->u.mep.has_size = true;
        o->u.mep.exp = 4;
        o->u.mep.size_code = 3;
    }
    mac_default(&f);
    n = rpl_frame(&f, &NET_DIO, &msg, m);
    sec_pair(&dio_l5_mep, m, n, refs_dio, dio_sec_expect_mep);

    prof_reset();
    dio_base(&msg);
    mac_default(&f);
    n = rpl_frame(&f, &NET_DIO, &msg, m);
    sec_pair(&dio_l1, m, n, refs_dio, dio_sec_expect);
    sec_pair(&dio_l7, m, n, refs_dio, dio_sec_expect);
}

int main(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: ek-vecgen OUTDIR\n"
                        "  writes OUTDIR/<id>.cbor (deterministic)\n");
        return 2;
    }
    g_dir = argv[1];
    ek_vec_init(&V);
    gen_eb();
    gen_dio_options();
    gen_iphc();
    gen_misc();
    gen_malformed();
    gen_context();
    gen_secured();
    printf("ek-vecgen: %u vectors (%u well-formed, %u malformed) in %s\n", g_n, g_wf, g_bad, g_dir);
    ek_vec_free(&V);
    return 0;
}
