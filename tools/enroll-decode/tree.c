/* SPDX-License-Identifier: BSD-3-Clause */
/* enroll-decode's readable tree: one block per frame, one line per layer element,
 * errors last.  Field names follow the Wireshark filter names where one exists.
 * A frame's text is built in one buffer with small formatters (ek/fields.h) and
 * written with one fwrite: per-field fprintf was most of the run time. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ek/consts.h"
#include "ek/fields.h"
#include "output.h"

#define PUT(t, lit) ek_outbuf_put(t, lit, sizeof(lit) - 1)
#define EK_STR_(x) #x
#define EK_STR(x) EK_STR_(x)

static inline void put_str(ek_outbuf *t, const char *s)
{
    ek_outbuf_put(t, s, strlen(s));
}

static inline void put_c(ek_outbuf *t, char c)
{
    *ek_outbuf_room(t, 1) = c;
    t->n++;
}

/* %u / %zu / %llu */
static inline void put_u(ek_outbuf *t, unsigned long long v)
{
    t->n += ek_fmt_u64(ek_outbuf_room(t, EK_FMT_U64_MAX), v);
}

/* "0x%0<digits>x": at least `digits` lowercase hex digits, more if v needs them. */
/* A literal label followed by a decimal value: the tree's most common line element. */
#define PUT_U(t, lit, v) (PUT(t, lit), put_u(t, v))

static void put_x(ek_outbuf *t, unsigned long long v, unsigned digits)
{
    unsigned need = 1;
    while (need < 16 && (v >> (4 * need)))
        need++;
    if (need < digits)
        need = digits;
    char *d = ek_outbuf_room(t, 2 + 16);
    d[0] = '0';
    d[1] = 'x';
    for (unsigned i = 0; i < need; i++)
        d[2 + i] = "0123456789abcdef"[(v >> (4 * (need - 1 - i))) & 15];
    t->n += 2 + need;
}

/* Rare lines keep printf formatting. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void put_f(ek_outbuf *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t cap = sizeof t->b - t->n;
    int k = vsnprintf(t->b + t->n, cap, fmt, ap);
    va_end(ap);
    if (k < 0)
        return;
    if ((size_t)k >= cap) { /* did not fit: flush and print it again */
        ek_outbuf_flush(t);
        va_start(ap, fmt);
        k = vsnprintf(t->b, sizeof t->b, fmt, ap);
        va_end(ap);
        if (k < 0)
            return;
        if ((size_t)k >= sizeof t->b) {
            va_start(ap, fmt);
            vfprintf(t->o, fmt, ap);
            va_end(ap);
            return;
        }
    }
    t->n += (size_t)k;
}

static void put_hex(ek_outbuf *t, ek_view v)
{
    for (size_t i = 0; i < v.len; i += 256) {
        size_t m = v.len - i < 256 ? v.len - i : 256;
        t->n += ek_fmt_hex(ek_outbuf_room(t, 2 * m), v.p + i, m, 0);
    }
}

static void put_eui64(ek_outbuf *t, const uint8_t a[8])
{
    t->n += ek_fmt_eui64(ek_outbuf_room(t, 23), a);
}

static void put_ipv6(ek_outbuf *t, const uint8_t a[16])
{
    t->n += ek_fmt_ipv6(ek_outbuf_room(t, EK_FMT_IPV6_MAX), a);
}

void ek_out_eui64(FILE *o, const uint8_t a[8])
{
    char b[24];
    fwrite(b, 1, ek_fmt_eui64(b, a), o);
}

void ek_out_ipv6(FILE *o, const uint8_t a[16])
{
    char b[EK_FMT_IPV6_MAX];
    fwrite(b, 1, ek_fmt_ipv6(b, a), o);
}

static void put_lladdr(ek_outbuf *t, const char *what, const ek_lladdr *a)
{
    if (a->mode == EK_WPAN_AM_SHORT) {
        put_c(t, ' ');
        put_str(t, what);
        put_c(t, ' ');
        put_x(t, a->short_addr, 4);
    } else if (a->mode == EK_WPAN_AM_EXT) {
        put_c(t, ' ');
        put_str(t, what);
        put_c(t, ' ');
        put_eui64(t, a->ext);
    }
}

static const char *const version_names[] = { "2003", "2006", "2015", "reserved" };

static void tree_mac(ek_outbuf *t, const ek_frame *f)
{
    const ek_wpan_frame *m = &f->mac;
    bool eb = m->frame_type == EK_WPAN_FT_BEACON && m->version == EK_WPAN_VER_2015;
    PUT(t, "  IEEE 802.15.4-");
    put_str(t, version_names[m->version & 3]);
    put_c(t, ' ');
    put_str(t, eb ? "Enhanced Beacon" : ek_wpan_frame_type_name(m->frame_type));
    if (!m->seq_suppressed) {
        PUT_U(t, ", seq ", m->seq);
    }
    if (m->has_dst_pan) {
        PUT(t, ", dst PAN ");
        put_x(t, m->dst_pan, 4);
    }
    put_lladdr(t, "dst", &m->dst);
    if (m->has_src_pan) {
        PUT(t, ", src PAN ");
        put_x(t, m->src_pan, 4);
    }
    put_lladdr(t, "src", &m->src);
    if (m->has_cmd_id) {
        PUT(t, ", command ");
        put_x(t, m->cmd_id, 2);
    }
    put_c(t, '\n');
    if (m->security) {
        const ek_wpan_sec *s = &m->sec;
        put_f(t, "    Security: level %u (MIC %zu octets%s), key id mode %u", s->level, ek_wpan_mic_len(s->level),
              (s->level & 4) ? ", encrypted" : "", s->key_id_mode);
        if (s->key_id_mode)
            put_f(t, ", key index %u", s->key_index);
        if (s->fc_suppressed)
            PUT(t, ", frame counter suppressed");
        else
            put_f(t, ", frame counter %u", s->frame_counter);
        if (s->asn_in_nonce)
            PUT(t, ", ASN in nonce");
        put_c(t, '\n');
    }
}

static void tree_sub(ek_outbuf *t, const ek_ie_sub *s)
{
    if (!s->decoded) {
        put_f(t, "      %s sub-IE 0x%02x, %zu octets\n", s->is_long ? "long" : "short", s->id, s->content.len);
        return;
    }
    if (!s->is_long && s->id == EK_MLME_TSCH_SYNC) {
        PUT_U(t, "      TSCH Synchronization: ASN ", s->u.sync.asn);
        PUT(t, " (");
        put_x(t, s->u.sync.asn, 10);
        PUT_U(t, "), join metric ", s->u.sync.join_metric);
        put_c(t, '\n');
    } else if (!s->is_long && s->id == EK_MLME_TSCH_TIMESLOT) {
        PUT_U(t, "      TSCH Timeslot: template id ", s->u.ts.id);
        if (s->u.ts.full)
            PUT(t, " (full template)");
        put_c(t, '\n');
    } else if (s->is_long && s->id == EK_MLME_CHANNEL_HOPPING) {
        PUT_U(t, "      Channel Hopping: sequence id ", s->u.hop.seq_id);
        put_c(t, '\n');
    } else if (!s->is_long && s->id == EK_MLME_TSCH_SLOTFRAME_LINK) {
        PUT_U(t, "      TSCH Slotframe and Link: ", s->u.sfl.n_sf);
        PUT(t, " slotframe(s)\n");
        for (unsigned i = 0; i < s->u.sfl.n_sf; i++) {
            const ek_ie_slotframe *sf = &s->u.sfl.sf[i];
            PUT_U(t, "        slotframe ", sf->handle);
            PUT_U(t, ": size ", sf->size);
            PUT_U(t, ", ", sf->n_links);
            PUT(t, " link(s)");
            for (unsigned k = 0; k < sf->n_links; k++) {
                PUT_U(t, " [slot ", sf->links[k].timeslot);
                PUT_U(t, " ch ", sf->links[k].channel_offset);
                PUT(t, " opts ");
                put_x(t, sf->links[k].options, 2);
                put_c(t, ']');
            }
            put_c(t, '\n');
        }
    }
}

static void tree_ji(ek_outbuf *t, const ek_enroll_ie *ji)
{
    PUT_U(t, "      6tisch-Join-Info (RFC 9032): R=", ji->r);
    PUT_U(t, " P=", ji->p);
    PUT(t, " res=");
    put_x(t, ji->reserved, 1);
    PUT(t, " proxy priority ");
    put_x(t, ji->proxy_prio, 2);
    if (ji->proxy_prio == EK_JI_PROXY_NOT_JP)
        PUT(t, " (not a Join Proxy)");
    PUT(t, ", rank priority ");
    put_x(t, ji->rank_prio, 3);
    PUT(t, ", PAN priority ");
    put_x(t, ji->pan_prio, 2);
    if (ji->p) {
        PUT(t, ", join proxy IID ");
        put_hex(t, ek_view_make(ji->jp_iid, 8));
    }
    PUT(t, ", network ID ");
    if (ji->network_id.len)
        put_hex(t, ji->network_id);
    else
        PUT(t, "(none)");
    put_c(t, '\n');
}

static void tree_ies(ek_outbuf *t, const ek_ie_list *l)
{
    for (unsigned i = 0; i < l->n_hdr; i++) {
        PUT(t, "    Header IE ");
        put_x(t, l->hdr[i].id, 2);
        PUT_U(t, ", ", l->hdr[i].content.len);
        PUT(t, " octets\n");
    }
    if (l->ht1)
        PUT(t, "    Header termination HT1 (payload IEs follow)\n");
    else if (l->ht2)
        PUT(t, "    Header termination HT2 (payload follows)\n");
    for (unsigned i = 0; i < l->n_pl; i++) {
        const ek_ie_payload *p = &l->pl[i];
        PUT(t, "    Payload IE group ");
        put_x(t, p->group, 1);
        PUT_U(t, ", ", p->content.len);
        PUT(t, " octets\n");
        for (unsigned k = p->sub_first; k < (unsigned)p->sub_first + p->n_sub && k < l->n_sub; k++)
            tree_sub(t, &l->sub[k]);
        if (p->has_subtype && p->has_ji) {
            tree_ji(t, &p->ji);
        } else if (p->has_subtype) {
            PUT_U(t, "      IETF subtype ", p->subtype);
            if (p->subtype == EK_IETF_SUBTYPE_6P)
                PUT(t, " (6P)");
            PUT_U(t, ", ", p->sub_content.len);
            PUT(t, " octets\n");
        }
    }
    if (l->pt)
        PUT(t, "    Payload termination\n");
    /* Elements past the per-frame arrays (EK_IE_MAX_*) were walked but not kept. */
    if (l->hdr_dropped || l->pl_dropped || l->sub_dropped) {
        PUT_U(t, "    Not shown: ", l->hdr_dropped);
        PUT_U(t, " more header IE(s), ", l->pl_dropped);
        PUT_U(t, " more payload IE(s), ", l->sub_dropped);
        PUT(t, " more MLME sub-IE(s) (beyond " EK_STR(EK_IE_MAX_HDR) " / " EK_STR(EK_IE_MAX_PAYLOAD) " / "
               EK_STR(EK_IE_MAX_SUB) " per frame)\n");
    }
}

static void tree_mep(ek_outbuf *t, const ek_minprio *m)
{
    PUT(t, "      Minimum Enrollment Priority (");
    put_str(t, ek_mep_profile_name(m->profile));
    PUT(t, "): min priority ");
    put_x(t, m->min_priority, 2);
    if (m->min_priority == EK_MEP_PRIO_DISABLED)
        PUT(t, " (enrollment disabled)");
    if (m->has_version) {
        PUT_U(t, ", version ", m->version);
        PUT_U(t, ", T=", m->t);
    } else {
        PUT_U(t, ", R=", m->r);
    }
    if (m->has_size) {
        PUT_U(t, ", DODAG size ", m->dodag_size);
        PUT_U(t, " (exp ", m->exp);
        PUT_U(t, ", code ", m->size_code);
        put_c(t, ')');
    }
    if (m->erratum_len4)
        PUT(t, ", Length 4 (-16 erratum)");
    put_c(t, '\n');
}

/* RFC 6550 §6.7 option names, indexed by ek_rpl_opt_kind. */
static const char *const opt_kind_names[] = {
    [EK_RPL_OPTK_RAW] = "option", [EK_RPL_OPTK_PAD1] = "Pad1", [EK_RPL_OPTK_PADN] = "PadN",
    [EK_RPL_OPTK_METRIC] = "DAG Metric Container", [EK_RPL_OPTK_ROUTE_INFO] = "Route Information",
    [EK_RPL_OPTK_DODAG_CONF] = "DODAG Configuration", [EK_RPL_OPTK_TARGET] = "RPL Target",
    [EK_RPL_OPTK_TRANSIT] = "Transit Information", [EK_RPL_OPTK_SOLICITED] = "Solicited Information",
    [EK_RPL_OPTK_PREFIX_INFO] = "Prefix Information", [EK_RPL_OPTK_MEP] = "Minimum Enrollment Priority",
};

static void tree_rpl(ek_outbuf *t, const ek_rpl_msg *r)
{
    PUT(t, "    RPL ");
    put_str(t, ek_rpl_code_name(r->code));
    uint8_t base = r->code & (uint8_t)~EK_RPL_CODE_SECURE;
    if (r->encrypted) {
        PUT(t, " (encrypted)\n");
        return;
    }
    if (base == EK_RPL_CODE_DIO) {
        const ek_rpl_dio *d = &r->base.dio;
        PUT_U(t, ": instance ", d->instance);
        PUT_U(t, ", version ", d->version);
        PUT_U(t, ", rank ", d->rank);
        PUT_U(t, ", G=", d->g);
        PUT_U(t, " MOP ", d->mop);
        PUT_U(t, " Prf ", d->prf);
        PUT_U(t, ", DTSN ", d->dtsn);
        PUT(t, ", DODAGID ");
        put_ipv6(t, d->dodagid);
    } else if (base == EK_RPL_CODE_DAO) {
        PUT_U(t, ": instance ", r->base.dao.instance);
        PUT_U(t, ", K=", r->base.dao.k);
        PUT_U(t, " D=", r->base.dao.d);
        PUT_U(t, ", sequence ", r->base.dao.seq);
    }
    put_c(t, '\n');
    for (unsigned i = 0; i < r->n_opts; i++) {
        const ek_rpl_opt *op = &r->opts[i];
        if (op->kind == EK_RPL_OPTK_MEP && op->err.code == EK_OK) {
            tree_mep(t, &op->u.mep);
        } else if (op->kind == EK_RPL_OPTK_DODAG_CONF) {
            PUT_U(t, "      DODAG Configuration: Imin ", op->u.conf.dio_int_min);
            PUT_U(t, ", doublings ", op->u.conf.dio_int_doublings);
            PUT_U(t, ", redundancy ", op->u.conf.dio_redundancy);
            PUT_U(t, ", MinHopRankInc ", op->u.conf.min_hop_rank_inc);
            PUT_U(t, ", OCP ", op->u.conf.ocp);
            put_c(t, '\n');
        } else if (op->kind == EK_RPL_OPTK_PREFIX_INFO) {
            PUT(t, "      Prefix Information: ");
            put_ipv6(t, op->u.pio.prefix);
            put_c(t, '/');
            put_u(t, op->u.pio.prefix_len);
            PUT_U(t, " L=", op->u.pio.l);
            PUT_U(t, " A=", op->u.pio.a);
            PUT_U(t, " R=", op->u.pio.r);
            put_c(t, '\n');
        } else {
            unsigned k = (unsigned)op->kind;
            PUT(t, "      ");
            put_str(t, k < sizeof opt_kind_names / sizeof opt_kind_names[0] && opt_kind_names[k] ? opt_kind_names[k]
                                                                                               : "option");
            PUT(t, " (type ");
            put_x(t, op->type, 2);
            PUT_U(t, "), length ", op->length);
            if (op->err.code != EK_OK)
                PUT(t, " [malformed]");
            put_c(t, '\n');
        }
    }
}

void ek_out_tree(FILE *o, const ek_out_frame_info *info, const ek_frame *f)
{
    ek_outbuf t;
    t.o = o;
    t.n = 0;
    PUT(&t, "Frame ");
    put_u(&t, info->index);
    PUT(&t, ": ");
    put_u(&t, info->record_len);
    PUT(&t, " octets, link type ");
    if (info->linktype < 0) {
        put_c(&t, '-');
        put_u(&t, 0ULL - (unsigned long long)(long long)info->linktype);
    } else {
        put_u(&t, (unsigned long long)info->linktype);
    }
    PUT(&t, " (");
    put_str(&t, info->linktype_name);
    put_c(&t, ')');
    if (f->sum.has_fcs) {
        PUT(&t, ", FCS ");
        put_x(&t, f->sum.fcs, 4);
        if (f->sum.fcs_ok)
            PUT(&t, " (correct)");
        else
            PUT(&t, " (BAD)");
    }
    if (f->sum.truncated) { /* said once; no FCS and no error where the data ends */
        PUT_U(&t, ", truncated capture (", f->sum.captured_len);
        PUT_U(&t, " of ", f->sum.original_len);
        PUT(&t, " octets captured)");
    }
    put_c(&t, '\n');
    if (f->sum.psdu_too_long) { /* a warning: the frame is decoded all the same */
        PUT_U(&t, "  warning: PSDU of ", f->sum.psdu_len);
        PUT(&t, " octets is longer than aMaxPhyPacketSize (" EK_STR(EK_FRAME_MAX_PSDU)
                " octets, IEEE 802.15.4-2015 §11.3)\n");
    }
    if (f->has_mac) {
        tree_mac(&t, f);
        tree_ies(&t, &f->mac.ies);
    }
    if (f->has_net && f->net.has_ipv6) {
        PUT(&t, "    6LoWPAN ");
        if (f->net.compressed)
            PUT(&t, "IPHC: ");
        else
            PUT(&t, "IPv6: ");
        put_ipv6(&t, f->net.ip.src);
        PUT(&t, " -> ");
        put_ipv6(&t, f->net.ip.dst);
        PUT(&t, ", next header ");
        put_u(&t, f->net.ip.nh);
        PUT(&t, ", hop limit ");
        put_u(&t, f->net.ip.hlim);
        put_c(&t, '\n');
        if (f->net.n_ext) { /* RFC 8200 §4 */
            PUT_U(&t, "      IPv6 extension headers: ", f->net.n_ext);
            PUT_U(&t, ", then next header ", f->net.upper_nh);
            put_c(&t, '\n');
        }
        /* RFC 6282 §3.1.2: a context that was not given (a note, not an error) */
        if (f->net.needs_ctx_src)
            PUT_U(&t, "      needs context ", f->net.iphc.sci), PUT(&t, " (--context) for the source address: its prefix is unknown\n");
        if (f->net.needs_ctx_dst)
            PUT_U(&t, "      needs context ", f->net.iphc.dci), PUT(&t, " (--context) for the destination address: its prefix is unknown\n");
    } else if (f->has_net) {
        PUT(&t, "    6LoWPAN ");
        put_str(&t, ek_lowpan_dispatch_name(f->net.dispatch));
        put_c(&t, '\n');
    }
    if (f->has_icmp6) {
        PUT(&t, "    ICMPv6 type ");
        put_u(&t, f->icmp6.type);
        PUT(&t, " code ");
        put_u(&t, f->icmp6.code);
        PUT(&t, ", checksum ");
        put_x(&t, f->icmp6.checksum, 4);
        put_str(&t, f->icmp6.checksum_checked ? (f->icmp6.checksum_ok ? " (correct)\n" : " (BAD)\n")
                                              : " (not checked)\n");
    }
    if (f->has_rpl)
        tree_rpl(&t, &f->rpl);
    for (unsigned i = 0; i < f->n_errors; i++) {
        char buf[160];
        PUT(&t, "  ! ");
        put_str(&t, ek_err_format(&f->errors[i], buf, sizeof buf));
        put_c(&t, '\n');
    }
    if (f->errors_dropped)
        put_f(&t, "  ! %u more error(s) not shown\n", f->errors_dropped);
    ek_outbuf_flush(&t);
}
