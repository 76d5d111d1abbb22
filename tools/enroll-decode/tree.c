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
        if (p->has_mpx) { /* group 0x3, IEEE 802.15.9 Transaction Control (ek/ie.h) */
            const ek_ie_mpx *x = &p->mpx;
            PUT_U(t, "      MPX: transfer type ", x->transfer_type);
            static const char *const tt[8] = { " (full frame)", " (full frame, compressed multiplex ID)",
                                               " (non-last fragment)", " (reserved)", " (last fragment)",
                                               " (reserved)", " (abort)", " (reserved)" };
            put_str(t, tt[x->transfer_type & 7]);
            if (x->transfer_type != EK_MPX_FULL_COMPRESSED)
                PUT_U(t, ", transaction ID ", x->transaction_id);
            if (x->has_multiplex_id) {
                PUT(t, ", multiplex ID ");
                put_x(t, x->multiplex_id, x->transfer_type == EK_MPX_FULL_COMPRESSED ? 2 : 4);
            }
            if (x->has_fragment_number)
                PUT_U(t, ", fragment ", x->fragment_number);
            if (x->has_total_size)
                PUT_U(t, ", total frame size ", x->total_size);
            PUT_U(t, ", ", x->data.len);
            PUT(t, " octets of data\n");
        }
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

static void tree_zep(ek_outbuf *t);

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
    tree_zep(&t);
    if (f->has_mac) {
        tree_mac(&t, f);
        tree_ies(&t, &f->mac.ies);
    }
    if (f->has_net && f->net.has_ipv6) {
        PUT(&t, "    6LoWPAN ");
        if (f->net.frag.present) { /* RFC 4944 §5.3: the first fragment carries the header */
            PUT_U(&t, "FRAG1 (datagram size ", f->net.frag.size);
            PUT(&t, ", tag ");
            put_x(&t, f->net.frag.tag, 4);
            PUT(&t, ") ");
        }
        if (f->net.compressed)
            PUT(&t, "IPHC: ");
        else if (f->net.hc1) /* RFC 4944 §10.1 */
            PUT(&t, "HC1: ");
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
        if (f->net.has_udp) { /* RFC 6282 §4.3.3 NHC or RFC 4944 §10.3.2 HC_UDP */
            PUT_U(&t, "      UDP: source port ", f->net.udp.src_port);
            PUT_U(&t, ", destination port ", f->net.udp.dst_port);
            PUT_U(&t, ", length ", f->net.udp.length);
            PUT(&t, ", checksum ");
            put_x(&t, f->net.udp.checksum, 4);
            put_c(&t, '\n');
        }
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

/* ---- --json keys beyond the summary table (ek/fields.h): what the tree shows, per
 *      layer, named after the table's style (flat lowercase words).  docs/enroll-decode.md
 *      lists them with the Wireshark field each one corresponds to. ---- */

static void j_key(ek_outbuf *j, const char *k)
{
    size_t n = strlen(k);
    char *d = ek_outbuf_room(j, n + 4);
    d[0] = ',';
    d[1] = '"';
    memcpy(d + 2, k, n);
    d[n + 2] = '"';
    d[n + 3] = ':';
    j->n += n + 4;
}

/* ,"key": for a literal key, its length known at compile time (the hot path of --json) */
#define JK(j, lit) ek_outbuf_put(j, ",\"" lit "\":", sizeof(",\"" lit "\":") - 1)
#define j_u(j, lit, v) (JK(j, lit), put_u(j, (v)))
#define j_b(j, lit, v) (JK(j, lit), (v) ? PUT(j, "true") : PUT(j, "false"))

#define j_hex(j, lit, p, n) (JK(j, lit), j_hexv(j, p, n))
static void j_hexv(ek_outbuf *j, const uint8_t *p, size_t n)
{
    put_c(j, '"');
    put_hex(j, ek_view_make(p, n));
    put_c(j, '"');
}

#define j_ip(j, lit, a) (JK(j, lit), j_ipv(j, a))
static void j_ipv(ek_outbuf *j, const uint8_t a[16])
{
    put_c(j, '"');
    put_ipv6(j, a);
    put_c(j, '"');
}

/* A prefix carried in fewer than 16 octets (RFC 6550 §6.7.5, §6.7.7), zero-filled. */
#define j_prefix(j, lit, p, n) (JK(j, lit), j_prefixv(j, p, n))
static void j_prefixv(ek_outbuf *j, const uint8_t *p, size_t n)
{
    uint8_t a[16] = { 0 };
    memcpy(a, p, n < 16 ? n : 16);
    j_ipv(j, a);
}

/* "key":[v,...] of the n values v(i) */
#define J_ARR(j, k, n, v)                                                                                            \
    do {                                                                                                             \
        JK(j, k);                                                                                                    \
        put_c(j, '[');                                                                                               \
        for (unsigned i_ = 0; i_ < (unsigned)(n); i_++) {                                                            \
            if (i_)                                                                                                  \
                put_c(j, ',');                                                                                       \
            put_u(j, (v));                                                                                           \
        }                                                                                                            \
        put_c(j, ']');                                                                                               \
    } while (0)
#define J_ARR_IDX i_

static void json_mac(ek_outbuf *j, const ek_wpan_frame *m)
{
    /* IEEE 802.15.4-2015 §7.2.1 Frame Control (bits 8 and 9 are reserved before the
     * 2015 frame version and shown as they are), §9.4 Auxiliary Security Header */
    j_u(j, "wpan.version", m->version);
    j_b(j, "wpan.security", m->security);
    j_b(j, "wpan.pending", m->frame_pending);
    j_b(j, "wpan.ack_request", m->ack_request);
    j_b(j, "wpan.pan_id_compression", m->pan_id_compression);
    j_b(j, "wpan.seqno_suppression", (m->fcf >> 8) & 1);
    j_b(j, "wpan.ie_present", (m->fcf >> 9) & 1);
    j_u(j, "wpan.dst_addr_mode", m->dst.mode);
    j_u(j, "wpan.src_addr_mode", m->src.mode);
    if (m->security) {
        j_u(j, "wpan.aux_sec.sec_level", m->sec.level);
        j_u(j, "wpan.aux_sec.key_id_mode", m->sec.key_id_mode);
        if (m->version == EK_WPAN_VER_2015) {
            j_b(j, "wpan.aux_sec.frame_counter_suppression", m->sec.fc_suppressed);
            j_b(j, "wpan.aux_sec.asn_in_nonce", m->sec.asn_in_nonce);
        }
        if (!m->sec.fc_suppressed)
            j_u(j, "wpan.aux_sec.frame_counter", m->sec.frame_counter);
        if (m->sec.key_id_mode)
            j_u(j, "wpan.aux_sec.key_index", m->sec.key_index);
    }
    /* §7.4: element IDs and content lengths in wire order; a terminator (HT1 0x7e,
     * HT2 0x7f, payload group 0xf) is the last element of its list, length 0. */
    const ek_ie_list *l = &m->ies;
    unsigned nh = l->n_hdr + (l->ht1 || l->ht2), np = l->n_pl + l->pt;
    if (nh) {
        J_ARR(j, "wpan.header_ie.id", nh, J_ARR_IDX < l->n_hdr ? l->hdr[J_ARR_IDX].id : (l->ht1 ? 0x7e : 0x7f));
        J_ARR(j, "wpan.header_ie.length", nh, J_ARR_IDX < l->n_hdr ? l->hdr[J_ARR_IDX].content.len : 0);
    }
    if (np) {
        J_ARR(j, "wpan.payload_ie.id", np, J_ARR_IDX < l->n_pl ? l->pl[J_ARR_IDX].group : 0xf);
        J_ARR(j, "wpan.payload_ie.length", np, J_ARR_IDX < l->n_pl ? l->pl[J_ARR_IDX].content.len : 0);
    }
    unsigned nsub = 0;
    for (unsigned i = 0; i < l->n_pl; i++)
        nsub += l->pl[i].has_subtype;
    if (nsub) { /* RFC 8137 §4: IETF IE Sub-IDs */
        JK(j, "wpan.ietf_ie.sub_id");
        put_c(j, '[');
        for (unsigned i = 0, k = 0; i < l->n_pl; i++)
            if (l->pl[i].has_subtype) {
                if (k++)
                    put_c(j, ',');
                put_u(j, l->pl[i].subtype);
            }
        put_c(j, ']');
    }
    /* §7.4.4.2-4, §7.4.4.31 TSCH sub-IEs (the first of each; the ASN is in the table) */
    bool ts = false, hop = false, sfl = false;
    for (unsigned i = 0; i < l->n_sub; i++) {
        const ek_ie_sub *s = &l->sub[i];
        if (!s->decoded)
            continue;
        if (!s->is_long && s->id == EK_MLME_TSCH_TIMESLOT && !ts) {
            ts = true;
            j_u(j, "wpan.tsch.timeslot.id", s->u.ts.id);
        } else if (s->is_long && s->id == EK_MLME_CHANNEL_HOPPING && !hop) {
            hop = true;
            j_u(j, "wpan.tsch.hopping_sequence_id", s->u.hop.seq_id);
        } else if (!s->is_long && s->id == EK_MLME_TSCH_SLOTFRAME_LINK && !sfl) {
            const ek_ie_sflink *f = &s->u.sfl;
            unsigned nl = 0;
            sfl = true;
            j_u(j, "wpan.tsch.slotframe_num", f->n_sf);
            J_ARR(j, "wpan.tsch.slotframe_handle", f->n_sf, f->sf[J_ARR_IDX].handle);
            J_ARR(j, "wpan.tsch.slotframe_size", f->n_sf, f->sf[J_ARR_IDX].size);
            J_ARR(j, "wpan.tsch.nb_links", f->n_sf, f->sf[J_ARR_IDX].n_links);
            for (unsigned k = 0; k < f->n_sf; k++)
                nl += f->sf[k].n_links;
            if (nl) {
                const char *keys[3] = { "wpan.tsch.link_timeslot", "wpan.tsch.channel_offset", "wpan.tsch.link_options" };
                for (unsigned w = 0; w < 3; w++) {
                    j_key(j, keys[w]);
                    put_c(j, '[');
                    for (unsigned k = 0, c = 0; k < f->n_sf; k++)
                        for (unsigned q = 0; q < f->sf[k].n_links; q++) {
                            const ek_ie_link *lk = &f->sf[k].links[q];
                            if (c++)
                                put_c(j, ',');
                            put_u(j, w == 0 ? lk->timeslot : w == 1 ? lk->channel_offset : lk->options);
                        }
                    put_c(j, ']');
                }
            }
        }
    }
    /* MPX IE (group 0x3; IEEE 802.15.9 as Wireshark reads it): the first one */
    for (unsigned i = 0; i < l->n_pl; i++)
        if (l->pl[i].has_mpx) {
            const ek_ie_mpx *x = &l->pl[i].mpx;
            j_u(j, "wpan.mpx.transfer_type", x->transfer_type);
            if (x->transfer_type != EK_MPX_FULL_COMPRESSED)
                j_u(j, "wpan.mpx.transaction_id", x->transaction_id);
            if (x->has_multiplex_id)
                j_u(j, "wpan.mpx.multiplex_id", x->multiplex_id);
            if (x->has_fragment_number)
                j_u(j, "wpan.mpx.fragment_number", x->fragment_number);
            if (x->has_total_size)
                j_u(j, "wpan.mpx.total_frame_size", x->total_size);
            break;
        }
    /* RFC 9032 §2: the flag bits of the Join-Info the table's priorities come from */
    for (unsigned i = 0; i < l->n_pl; i++)
        if (l->pl[i].has_ji) {
            /* R, P, reserved and the priorities are in the field table */
            if (l->pl[i].sub_content.len >= 3)
                j_u(j, "enroll.ji.octets", (unsigned long long)l->pl[i].sub_content.p[0] << 16 |
                                        (unsigned)l->pl[i].sub_content.p[1] << 8 | l->pl[i].sub_content.p[2]);
            break;
        }
}

static void json_net(ek_outbuf *j, const ek_lowpan_pkt *n)
{
    if (n->compressed) { /* RFC 6282 §3.1.1 IPHC encoding fields */
        j_u(j, "6lowpan.iphc.tf", n->iphc.tf);
        j_b(j, "6lowpan.iphc.nh", n->iphc.nh);
        j_u(j, "6lowpan.iphc.hlim", n->iphc.hlim);
        j_b(j, "6lowpan.iphc.cid", n->iphc.cid);
        j_b(j, "6lowpan.iphc.sac", n->iphc.sac);
        j_u(j, "6lowpan.iphc.sam", n->iphc.sam);
        j_b(j, "6lowpan.iphc.m", n->iphc.m);
        j_b(j, "6lowpan.iphc.dac", n->iphc.dac);
        j_u(j, "6lowpan.iphc.dam", n->iphc.dam);
    }
    if (n->hc1) { /* RFC 4944 §10.1 HC1 and §10.3.2 HC_UDP encoding octets */
        j_u(j, "6lowpan.hc1.encoding", n->hc1_encoding);
        if (n->has_hc2)
            j_u(j, "6lowpan.hc2.udp.encoding", n->hc2_encoding);
    }
    if (n->frag.present) { /* RFC 4944 §5.3 */
        j_u(j, "6lowpan.frag.size", n->frag.size);
        j_u(j, "6lowpan.frag.tag", n->frag.tag);
        if (!n->frag.first)
            j_u(j, "6lowpan.frag.offset", n->frag.offset);
    }
    if (n->has_udp) { /* RFC 768 header, decompressed */
        j_u(j, "udp.srcport", n->udp.src_port);
        j_u(j, "udp.dstport", n->udp.dst_port);
        j_u(j, "udp.length", n->udp.length);
        j_u(j, "udp.checksum", n->udp.checksum);
    }
    if (!n->has_ipv6)
        return;
    /* RFC 8200 §3, decompressed (RFC 6282 §3.2, RFC 4944 §10.1) */
    j_u(j, "ipv6.tclass", n->ip.tc);
    j_u(j, "ipv6.flow", n->ip.flow);
    j_u(j, "ipv6.nxt", n->ip.nh);
    j_u(j, "ipv6.hlim", n->ip.hlim);
}

static void json_rpl(ek_outbuf *j, const ek_rpl_msg *r)
{
    uint8_t base = r->code & (uint8_t)~EK_RPL_CODE_SECURE;
    bool dio = base == EK_RPL_CODE_DIO;
    if (dio) { /* RFC 6550 §6.3.1 */
        j_b(j, "icmpv6.rpl.dio.flag.g", r->base.dio.g);
        j_u(j, "icmpv6.rpl.dio.flag.mop", r->base.dio.mop);
        j_u(j, "icmpv6.rpl.dio.flag.preference", r->base.dio.prf);
    } else if (base == EK_RPL_CODE_DAO) { /* §6.4.1 */
        j_u(j, "icmpv6.rpl.dao.instance", r->base.dao.instance);
        j_b(j, "icmpv6.rpl.dao.flag.k", r->base.dao.k);
        j_b(j, "icmpv6.rpl.dao.flag.d", r->base.dao.d);
        j_u(j, "icmpv6.rpl.dao.sequence", r->base.dao.seq);
        if (r->base.dao.d)
            j_ip(j, "icmpv6.rpl.dao.dodagid", r->base.dao.dodagid);
    }
    if (r->n_opts) { /* §6.7.1: Type, and Length of every option but Pad1 (§6.7.2) */
        J_ARR(j, "icmpv6.rpl.opt.type", r->n_opts, r->opts[J_ARR_IDX].type);
        unsigned nl = 0;
        for (unsigned i = 0; i < r->n_opts; i++)
            nl += r->opts[i].type != EK_RPL_OPT_PAD1;
        if (nl) {
            JK(j, "icmpv6.rpl.opt.length");
            put_c(j, '[');
            for (unsigned i = 0, c = 0; i < r->n_opts; i++)
                if (r->opts[i].type != EK_RPL_OPT_PAD1) {
                    if (c++)
                        put_c(j, ',');
                    put_u(j, r->opts[i].length);
                }
            put_c(j, ']');
        }
    }
    bool conf = false, pio = false, rio = false, tgt = false, tr = false, mep = false;
    for (unsigned i = 0; i < r->n_opts; i++) {
        const ek_rpl_opt *o = &r->opts[i];
        if (o->err.code != EK_OK) {
            /* An option of the enrollment type whose Length does not fit the profile is
             * ignored (draft §3.1 layout, RFC 6550 §6.7.1 Length): Type and Length only. */
            if (dio && !mep && o->err.field && strncmp(o->err.field, "enroll.mep.", 11) == 0) {
                mep = true;
                j_u(j, "enroll.mep.type", o->type);
                j_u(j, "enroll.mep.length", o->length);
            }
            continue;
        }
        if (o->kind == EK_RPL_OPTK_DODAG_CONF && !conf) { /* §6.7.6 */
            const ek_rpl_dodag_conf *c = &o->u.conf;
            conf = true;
            j_b(j, "icmpv6.rpl.opt.config.auth", c->a);
            j_u(j, "icmpv6.rpl.opt.config.pcs", c->pcs);
            j_u(j, "icmpv6.rpl.opt.config.interval_double", c->dio_int_doublings);
            j_u(j, "icmpv6.rpl.opt.config.interval_min", c->dio_int_min);
            j_u(j, "icmpv6.rpl.opt.config.redundancy", c->dio_redundancy);
            j_u(j, "icmpv6.rpl.opt.config.max_rank_inc", c->max_rank_inc);
            j_u(j, "icmpv6.rpl.opt.config.min_hop_rank_inc", c->min_hop_rank_inc);
            j_u(j, "icmpv6.rpl.opt.config.ocp", c->ocp);
            j_u(j, "icmpv6.rpl.opt.config.def_lifetime", c->def_lifetime);
            j_u(j, "icmpv6.rpl.opt.config.lifetime_unit", c->lifetime_unit);
        } else if (o->kind == EK_RPL_OPTK_PREFIX_INFO && !pio) { /* §6.7.10 */
            const ek_rpl_prefix_info *p = &o->u.pio;
            pio = true;
            j_u(j, "icmpv6.rpl.opt.prefix.length", p->prefix_len);
            j_b(j, "icmpv6.rpl.opt.prefix.flag.l", p->l);
            j_b(j, "icmpv6.rpl.opt.config.flag.a", p->a);
            j_b(j, "icmpv6.rpl.opt.config.flag.r", p->r);
            j_u(j, "icmpv6.rpl.opt.prefix.valid_lifetime", p->valid_lifetime);
            j_u(j, "icmpv6.rpl.opt.prefix.preferred_lifetime", p->preferred_lifetime);
            j_ip(j, "icmpv6.rpl.opt.prefix", p->prefix);
        } else if (o->kind == EK_RPL_OPTK_ROUTE_INFO && !rio) { /* §6.7.5 */
            const ek_rpl_route_info *ri = &o->u.route;
            rio = true;
            j_u(j, "icmpv6.rpl.opt.route.prefix_length", ri->prefix_len);
            j_u(j, "icmpv6.rpl.opt.route.pref", ri->prf);
            j_u(j, "icmpv6.rpl.opt.route.lifetime", ri->lifetime);
            j_prefix(j, "icmpv6.rpl.opt.route.prefix", ri->prefix, ri->prefix_bytes);
        } else if (o->kind == EK_RPL_OPTK_TARGET && !tgt) { /* §6.7.7 */
            tgt = true;
            j_u(j, "icmpv6.rpl.opt.target.prefix_length", o->u.target.prefix_len);
            j_prefix(j, "icmpv6.rpl.opt.target.prefix", o->u.target.prefix, o->u.target.prefix_bytes);
        } else if (o->kind == EK_RPL_OPTK_TRANSIT && !tr) { /* §6.7.8 */
            tr = true;
            j_b(j, "icmpv6.rpl.opt.transit.flag.e", o->u.transit.e);
            j_u(j, "icmpv6.rpl.opt.transit.pathctl", o->u.transit.path_control);
            j_u(j, "icmpv6.rpl.opt.transit.pathseq", o->u.transit.path_seq);
            j_u(j, "icmpv6.rpl.opt.transit.pathlifetime", o->u.transit.path_lifetime);
            if (o->u.transit.has_parent)
                j_ip(j, "icmpv6.rpl.opt.transit.parent", o->u.transit.parent);
        } else if (o->kind == EK_RPL_OPTK_MEP && dio && !mep) {
            /* draft-ietf-roll-enrollment-priority-03 §2, -04 §2, -09 §3.1, -16 §3.1 */
            /* its fields are in the field table; only the erratum's trailing octet here */
            const ek_minprio *m = &o->u.mep;
            mep = true;
            if (m->erratum_len4)
                j_hex(j, "enroll.mep.trailing", &m->trailing, 1);
        }
    }
}

/* The ZEP header of the record being written (main.c notes it per record). */
static bool cur_has_zep;
static ek_zep cur_zep;

void ek_out_note_zep(const ek_zep *z)
{
    cur_has_zep = z != NULL;
    if (z)
        cur_zep = *z;
}

/* ZEP has no RFC: the layout is Wireshark packet-zep.c's (v3 as v2).  The readable
 * line: version, type, channel, device ID, LQI/CRC mode, LQI, NTP time (UTC), sequence
 * number, Length; an Ack has only its sequence number. */
static void tree_zep(ek_outbuf *t)
{
    const ek_zep *z = &cur_zep;
    if (!cur_has_zep)
        return;
    PUT_U(t, "  ZEP v", z->version);
    if (z->version >= 2 && z->type == EK_ZEP_TYPE_ACK) {
        PUT_U(t, " Ack: seq ", z->seq);
        put_c(t, '\n');
        return;
    }
    if (z->version >= 2)
        PUT(t, " Data");
    PUT_U(t, ": channel ", z->channel);
    PUT_U(t, ", device ID ", z->device_id);
    put_str(t, z->mode != EK_ZEP_MODE_LQI ? ", CRC mode" : ", LQI mode");
    PUT_U(t, ", LQI ", z->lqi);
    if (z->version >= 2) {
        PUT(t, ", time ");
        t->n += ek_fmt_ntp(ek_outbuf_room(t, EK_FMT_NTP_MAX), (uint64_t)z->ntp_sec << 32 | z->ntp_frac);
        PUT_U(t, ", seq ", z->seq);
    }
    PUT_U(t, ", length ", z->length);
    put_c(t, '\n');
}

static void json_zep(ek_outbuf *j, const ek_zep *z)
{
    /* ZEP v1 / v2 / v3 header as Wireshark packet-zep.c reads it (v3 as v2) */
    j_u(j, "zep.version", z->version);
    if (z->version >= 2)
        j_u(j, "zep.type", z->type);
    if (z->version >= 2 && z->type == EK_ZEP_TYPE_ACK) { /* 8 octets: the sequence number */
        j_u(j, "zep.seqno", z->seq);
        return;
    }
    if (z->type != EK_ZEP_TYPE_DATA)
        return;
    j_u(j, "zep.channel_id", z->channel);
    j_u(j, "zep.device_id", z->device_id);
    j_b(j, "zep.lqi_mode", z->mode != EK_ZEP_MODE_LQI);
    if (z->version == 1 || z->mode == EK_ZEP_MODE_LQI) /* v2 carries it in LQI mode only */
        j_u(j, "zep.lqi", z->lqi);
    if (z->version >= 2) {
        /* NTP timestamp (RFC 5905 §6) as UTC text, as tshark shows zep.time with TZ=UTC */
        j_key(j, "zep.time");
        put_c(j, '"');
        j->n += ek_fmt_ntp(ek_outbuf_room(j, EK_FMT_NTP_MAX), (uint64_t)z->ntp_sec << 32 | z->ntp_frac);
        put_c(j, '"');
        j_u(j, "zep.seqno", z->seq);
    }
    j_u(j, "zep.length", z->length);
}

void ek_out_json_extra(ek_outbuf *j, const ek_frame *f)
{
    if (cur_has_zep)
        json_zep(j, &cur_zep);
    if (f->has_mac)
        json_mac(j, &f->mac);
    if (f->has_net)
        json_net(j, &f->net);
    if (f->has_icmp6) { /* RFC 4443 §2.1 */
        j_u(j, "icmpv6.type", f->icmp6.type);
        j_u(j, "icmpv6.code", f->icmp6.code);
        j_u(j, "icmpv6.checksum", f->icmp6.checksum);
    }
    if (f->has_rpl && !f->rpl.encrypted)
        json_rpl(j, &f->rpl);
}
