/* SPDX-License-Identifier: BSD-3-Clause */
/* enroll-decode's readable tree: one block per frame, one line per layer element,
 * errors last.  Field names follow the Wireshark filter names where one exists. */
#include <arpa/inet.h>
#include <stdio.h>

#include "ek/consts.h"
#include "output.h"

static void put_hex(FILE *o, ek_view v)
{
    for (size_t i = 0; i < v.len; i++)
        fprintf(o, "%02x", v.p[i]);
}

void ek_out_eui64(FILE *o, const uint8_t a[8])
{
    fprintf(o, "%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
}

void ek_out_ipv6(FILE *o, const uint8_t a[16])
{
    char buf[INET6_ADDRSTRLEN];
    fputs(inet_ntop(AF_INET6, a, buf, sizeof buf) ? buf : "?", o);
}

static void put_lladdr(FILE *o, const char *what, const ek_lladdr *a)
{
    if (a->mode == EK_WPAN_AM_SHORT) {
        fprintf(o, " %s 0x%04x", what, a->short_addr);
    } else if (a->mode == EK_WPAN_AM_EXT) {
        fprintf(o, " %s ", what);
        ek_out_eui64(o, a->ext);
    }
}

static const char *const version_names[] = { "2003", "2006", "2015", "reserved" };

static void tree_mac(FILE *o, const ek_frame *f)
{
    const ek_wpan_frame *m = &f->mac;
    bool eb = m->frame_type == EK_WPAN_FT_BEACON && m->version == EK_WPAN_VER_2015;
    fprintf(o, "  IEEE 802.15.4-%s %s", version_names[m->version & 3],
            eb ? "Enhanced Beacon" : ek_wpan_frame_type_name(m->frame_type));
    if (!m->seq_suppressed)
        fprintf(o, ", seq %u", m->seq);
    if (m->has_dst_pan)
        fprintf(o, ", dst PAN 0x%04x", m->dst_pan);
    put_lladdr(o, "dst", &m->dst);
    if (m->has_src_pan)
        fprintf(o, ", src PAN 0x%04x", m->src_pan);
    put_lladdr(o, "src", &m->src);
    if (m->has_cmd_id)
        fprintf(o, ", command 0x%02x", m->cmd_id);
    fputc('\n', o);
    if (m->security) {
        const ek_wpan_sec *s = &m->sec;
        fprintf(o, "    Security: level %u (MIC %zu octets%s), key id mode %u", s->level,
                ek_wpan_mic_len(s->level), (s->level & 4) ? ", encrypted" : "", s->key_id_mode);
        if (s->key_id_mode)
            fprintf(o, ", key index %u", s->key_index);
        if (s->fc_suppressed)
            fputs(", frame counter suppressed", o);
        else
            fprintf(o, ", frame counter %u", s->frame_counter);
        if (s->asn_in_nonce)
            fputs(", ASN in nonce", o);
        fputc('\n', o);
    }
}

static void tree_sub(FILE *o, const ek_ie_sub *s)
{
    if (!s->decoded) {
        fprintf(o, "      %s sub-IE 0x%02x, %zu octets\n", s->is_long ? "long" : "short", s->id,
                s->content.len);
        return;
    }
    if (!s->is_long && s->id == EK_MLME_TSCH_SYNC)
        fprintf(o, "      TSCH Synchronization: ASN %llu (0x%010llx), join metric %u\n",
                (unsigned long long)s->u.sync.asn, (unsigned long long)s->u.sync.asn, s->u.sync.join_metric);
    else if (!s->is_long && s->id == EK_MLME_TSCH_TIMESLOT)
        fprintf(o, "      TSCH Timeslot: template id %u%s\n", s->u.ts.id, s->u.ts.full ? " (full template)" : "");
    else if (s->is_long && s->id == EK_MLME_CHANNEL_HOPPING)
        fprintf(o, "      Channel Hopping: sequence id %u\n", s->u.hop.seq_id);
    else if (!s->is_long && s->id == EK_MLME_TSCH_SLOTFRAME_LINK) {
        fprintf(o, "      TSCH Slotframe and Link: %u slotframe(s)\n", s->u.sfl.n_sf);
        for (unsigned i = 0; i < s->u.sfl.n_sf; i++) {
            const ek_ie_slotframe *sf = &s->u.sfl.sf[i];
            fprintf(o, "        slotframe %u: size %u, %u link(s)", sf->handle, sf->size, sf->n_links);
            for (unsigned k = 0; k < sf->n_links; k++)
                fprintf(o, " [slot %u ch %u opts 0x%02x]", sf->links[k].timeslot, sf->links[k].channel_offset,
                        sf->links[k].options);
            fputc('\n', o);
        }
    }
}

static void tree_ji(FILE *o, const ek_enroll_ie *ji)
{
    fprintf(o, "      6tisch-Join-Info (RFC 9032): R=%u P=%u res=0x%x proxy priority 0x%02x%s, "
               "rank priority 0x%03x, PAN priority 0x%02x",
            ji->r, ji->p, ji->reserved, ji->proxy_prio, ji->proxy_prio == EK_JI_PROXY_NOT_JP ? " (not a Join Proxy)" : "",
            ji->rank_prio, ji->pan_prio);
    if (ji->p) {
        fputs(", join proxy IID ", o);
        put_hex(o, ek_view_make(ji->jp_iid, 8));
    }
    fputs(", network ID ", o);
    if (ji->network_id.len)
        put_hex(o, ji->network_id);
    else
        fputs("(none)", o);
    fputc('\n', o);
}

static void tree_ies(FILE *o, const ek_ie_list *l)
{
    for (unsigned i = 0; i < l->n_hdr; i++)
        fprintf(o, "    Header IE 0x%02x, %zu octets\n", l->hdr[i].id, l->hdr[i].content.len);
    if (l->ht1 || l->ht2)
        fprintf(o, "    Header termination %s\n", l->ht1 ? "HT1 (payload IEs follow)" : "HT2 (payload follows)");
    for (unsigned i = 0; i < l->n_pl; i++) {
        const ek_ie_payload *p = &l->pl[i];
        fprintf(o, "    Payload IE group 0x%x, %zu octets\n", p->group, p->content.len);
        for (unsigned k = p->sub_first; k < (unsigned)p->sub_first + p->n_sub && k < l->n_sub; k++)
            tree_sub(o, &l->sub[k]);
        if (p->has_subtype && p->has_ji)
            tree_ji(o, &p->ji);
        else if (p->has_subtype)
            fprintf(o, "      IETF subtype %u%s, %zu octets\n", p->subtype,
                    p->subtype == EK_IETF_SUBTYPE_6P ? " (6P)" : "", p->sub_content.len);
    }
    if (l->pt)
        fputs("    Payload termination\n", o);
}

static void tree_mep(FILE *o, const ek_minprio *m)
{
    fprintf(o, "      Minimum Enrollment Priority (%s): min priority 0x%02x%s", ek_mep_profile_name(m->profile),
            m->min_priority, m->min_priority == EK_MEP_PRIO_DISABLED ? " (enrollment disabled)" : "");
    if (m->has_version)
        fprintf(o, ", version %u, T=%u", m->version, m->t);
    else
        fprintf(o, ", R=%u", m->r);
    if (m->has_size)
        fprintf(o, ", DODAG size %u (exp %u, code %u)", m->dodag_size, m->exp, m->size_code);
    if (m->erratum_len4)
        fputs(", Length 4 (-16 erratum)", o);
    fputc('\n', o);
}

/* RFC 6550 §6.7 option names, indexed by ek_rpl_opt_kind. */
static const char *const opt_kind_names[] = {
    [EK_RPL_OPTK_RAW] = "option", [EK_RPL_OPTK_PAD1] = "Pad1", [EK_RPL_OPTK_PADN] = "PadN",
    [EK_RPL_OPTK_METRIC] = "DAG Metric Container", [EK_RPL_OPTK_ROUTE_INFO] = "Route Information",
    [EK_RPL_OPTK_DODAG_CONF] = "DODAG Configuration", [EK_RPL_OPTK_TARGET] = "RPL Target",
    [EK_RPL_OPTK_TRANSIT] = "Transit Information", [EK_RPL_OPTK_SOLICITED] = "Solicited Information",
    [EK_RPL_OPTK_PREFIX_INFO] = "Prefix Information", [EK_RPL_OPTK_MEP] = "Minimum Enrollment Priority",
};

static void tree_rpl(FILE *o, const ek_rpl_msg *r)
{
    fprintf(o, "    RPL %s", ek_rpl_code_name(r->code));
    uint8_t base = r->code & (uint8_t)~EK_RPL_CODE_SECURE;
    if (r->encrypted) {
        fputs(" (encrypted)\n", o);
        return;
    }
    if (base == EK_RPL_CODE_DIO) {
        const ek_rpl_dio *d = &r->base.dio;
        fprintf(o, ": instance %u, version %u, rank %u, G=%u MOP %u Prf %u, DTSN %u, DODAGID ", d->instance,
                d->version, d->rank, d->g, d->mop, d->prf, d->dtsn);
        ek_out_ipv6(o, d->dodagid);
    } else if (base == EK_RPL_CODE_DAO) {
        fprintf(o, ": instance %u, K=%u D=%u, sequence %u", r->base.dao.instance, r->base.dao.k, r->base.dao.d,
                r->base.dao.seq);
    }
    fputc('\n', o);
    for (unsigned i = 0; i < r->n_opts; i++) {
        const ek_rpl_opt *op = &r->opts[i];
        if (op->kind == EK_RPL_OPTK_MEP && op->err.code == EK_OK)
            tree_mep(o, &op->u.mep);
        else if (op->kind == EK_RPL_OPTK_DODAG_CONF)
            fprintf(o, "      DODAG Configuration: Imin %u, doublings %u, redundancy %u, MinHopRankInc %u, OCP %u\n",
                    op->u.conf.dio_int_min, op->u.conf.dio_int_doublings, op->u.conf.dio_redundancy,
                    op->u.conf.min_hop_rank_inc, op->u.conf.ocp);
        else if (op->kind == EK_RPL_OPTK_PREFIX_INFO) {
            fprintf(o, "      Prefix Information: ");
            ek_out_ipv6(o, op->u.pio.prefix);
            fprintf(o, "/%u L=%u A=%u R=%u\n", op->u.pio.prefix_len, op->u.pio.l, op->u.pio.a, op->u.pio.r);
        } else {
            unsigned k = (unsigned)op->kind;
            fprintf(o, "      %s (type 0x%02x), length %u%s\n",
                    k < sizeof opt_kind_names / sizeof opt_kind_names[0] ? opt_kind_names[k] : "option", op->type,
                    op->length, op->err.code != EK_OK ? " [malformed]" : "");
        }
    }
}

void ek_out_tree(FILE *o, const ek_out_frame_info *info, const ek_frame *f)
{
    fprintf(o, "Frame %llu: %zu octets, link type %d (%s)", (unsigned long long)info->index, info->record_len,
            info->linktype, info->linktype_name);
    if (f->sum.has_fcs)
        fprintf(o, ", FCS 0x%04x (%s)", f->sum.fcs, f->sum.fcs_ok ? "correct" : "BAD");
    fputc('\n', o);
    if (f->has_mac) {
        tree_mac(o, f);
        tree_ies(o, &f->mac.ies);
    }
    if (f->has_net && f->net.has_ipv6) {
        fprintf(o, "    6LoWPAN %s: ", f->net.compressed ? "IPHC" : "IPv6");
        ek_out_ipv6(o, f->net.ip.src);
        fputs(" -> ", o);
        ek_out_ipv6(o, f->net.ip.dst);
        fprintf(o, ", next header %u, hop limit %u\n", f->net.ip.nh, f->net.ip.hlim);
    } else if (f->has_net) {
        fprintf(o, "    6LoWPAN %s\n", ek_lowpan_dispatch_name(f->net.dispatch));
    }
    if (f->has_icmp6)
        fprintf(o, "    ICMPv6 type %u code %u, checksum 0x%04x (%s)\n", f->icmp6.type, f->icmp6.code,
                f->icmp6.checksum,
                f->icmp6.checksum_checked ? (f->icmp6.checksum_ok ? "correct" : "BAD") : "not checked");
    if (f->has_rpl)
        tree_rpl(o, &f->rpl);
    for (unsigned i = 0; i < f->n_errors; i++) {
        char buf[160];
        fprintf(o, "  ! %s\n", ek_err_format(&f->errors[i], buf, sizeof buf));
    }
    if (f->errors_dropped)
        fprintf(o, "  ! %u more error(s) not shown\n", f->errors_dropped);
}
