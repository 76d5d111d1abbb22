/* SPDX-License-Identifier: BSD-3-Clause */
/* packet-enroll.c
 * Routines for 6TiSCH network enrollment control: the RFC 9032 §2 "6tisch-Join-Info"
 * IETF IE (RFC 8137 subtype 2, inside IEEE 802.15.4-2015 Enhanced Beacons) and the
 * RPL "Minimum Enrollment Priority" DIO option (draft-ietf-roll-enrollment-priority,
 * layouts of -03, -04, -09 and -16).  Hooks: docs/wireshark.md "Hooks and why".
 *
 * Out-of-tree epan plugin; follows doc/README.dissector.  Does not link the enrollkit
 * codec: only the shared wire constants of ek/consts.h are used.
 */

#include <string.h>

#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/prefs.h>
#include <epan/proto_data.h>
#include <epan/exceptions.h>
#include <epan/show_exception.h>
#include <epan/ipproto.h>
#include <epan/address.h>
#include <wsutil/pint.h>
#include <epan/dissectors/packet-ieee802154.h>
#include <epan/dissectors/packet-coap.h> /* coap_info, oscore_info_t (CoJP) */

#include "ek/consts.h"
#include "enroll-compat.h"

void proto_register_enroll(void);
void proto_reg_handoff_enroll(void);

static int proto_enroll = -1;
static protocol_t *enroll_protocol; /* cached for proto_is_protocol_enabled() */

/* ---- enroll.ji.* : RFC 9032 §2 Figure 1 ---- */
static int hf_ji = -1;
static int hf_ji_profile = -1;
static int hf_ji_octets = -1;
static int hf_ji_r = -1;
static int hf_ji_p = -1;
static int hf_ji_res_lit = -1;
static int hf_ji_proxy_lit = -1;
static int hf_ji_rank_lit = -1;
static int hf_ji_res_ba = -1;
static int hf_ji_proxy_ba = -1;
static int hf_ji_rank_ba = -1;
static int hf_ji_pan = -1;
static int hf_ji_iid = -1;
static int hf_ji_netid = -1;
static int hf_ji_netid_len = -1;
static int hf_ji_dio_frame = -1;
static int hf_ji_dio_min = -1;
static int hf_6p_note = -1;

/* ---- enroll.mep.* : draft-ietf-roll-enrollment-priority ---- */
static int hf_mep = -1;
static int hf_mep_profile = -1;
static int hf_mep_type = -1;
static int hf_mep_length = -1;
static int hf_mep_r = -1;
static int hf_mep_min = -1;
static int hf_mep_version = -1;
static int hf_mep_t = -1;
static int hf_mep_exp8 = -1;
static int hf_mep_exp16 = -1;
static int hf_mep_size4 = -1;
static int hf_mep_size12 = -1;
static int hf_mep_size = -1;
static int hf_mep_trailing = -1;

/* ---- enroll.cojp.* : RFC 9031 §8 (Constrained Join Protocol) ---- */
static int hf_cojp = -1;
static int hf_cojp_msg = -1;
static int hf_cojp_leg = -1;
static int hf_cojp_pledge_id = -1;
static int hf_cojp_eb_frame = -1;
static int hf_cojp_eb_proxy = -1;
static int hf_cojp_decrypted = -1;
static int hf_cojp_join_request = -1;
static int hf_cojp_configuration = -1;
static int hf_cojp_role = -1;
static int hf_cojp_network_id = -1;
static int hf_cojp_key_set = -1;
static int hf_cojp_key = -1;
static int hf_cojp_key_id = -1;
static int hf_cojp_key_usage = -1;
static int hf_cojp_key_value = -1;
static int hf_cojp_key_addinfo = -1;
static int hf_cojp_short_id_obj = -1;
static int hf_cojp_short_id = -1;
static int hf_cojp_lease_time = -1;
static int hf_cojp_jrc_address = -1;
static int hf_cojp_blacklist_obj = -1;
static int hf_cojp_blacklist = -1;
static int hf_cojp_join_rate = -1;
static int hf_cojp_unsupported = -1;
static int hf_cojp_unsupported_code = -1;
static int hf_cojp_unsupported_label = -1;
static int hf_cojp_unknown = -1;

static gint ett_ji = -1;
static gint ett_ji_octets = -1;
static gint ett_ietf_ie = -1;
static gint ett_ietf_tlv = -1;
static gint ett_mep = -1;
static gint ett_cojp = -1;
static gint ett_cojp_object = -1;
static gint ett_cojp_param = -1;
static gint ett_cojp_key = -1;

static expert_field ei_ji_length = EI_INIT;
static expert_field ei_ji_p_short = EI_INIT;
static expert_field ei_ji_netid_long = EI_INIT;
static expert_field ei_ji_reserved = EI_INIT;
static expert_field ei_ji_not_jp = EI_INIT;
static expert_field ei_ji_below_dio = EI_INIT;
static expert_field ei_mep_length = EI_INIT;
static expert_field ei_mep_erratum = EI_INIT;
static expert_field ei_mep_reserved = EI_INIT;
static expert_field ei_mep_disabled = EI_INIT;
static expert_field ei_cojp_jp_off = EI_INIT;
static expert_field ei_cojp_cbor = EI_INIT;
static expert_field ei_cojp_param = EI_INIT;

/* Stock fields borrowed by name in the handoff (not exported as symbols). */
static int hf_wpan_pie_ietf = -1;
static int hf_wpan_pie_tlv = -1;
static int hf_wpan_pie_type = -1;
static int hf_wpan_pie_id = -1;
static int hf_wpan_pie_len = -1;
static int hf_wpan_ietf_sub_id = -1;
static int hf_icmpv6_type = -1;
static int hf_icmpv6_code = -1;
static int hf_icmpv6_rpl_opt_type = -1;
static int proto_icmpv6 = -1;
static int proto_coap = -1;

static dissector_handle_t stock_ietf_handle;
static dissector_handle_t stock_icmpv6_handle;
static dissector_handle_t stock_octet_handle; /* media_type "application/octet-stream" (Data) */
static dissector_handle_t stock_cbor_handle;  /* media_type "application/cbor" */
#ifdef ENROLL_MEP_POSTDISSECTOR
static dissector_handle_t post_handle;
#endif

/* ---- preferences ---- */
enum { MEP_DRAFT03, MEP_DRAFT04, MEP_DRAFT09, MEP_DRAFT16 };
enum { JI_LITERAL, JI_BYTE_ALIGNED };

static const enum_val_t mep_profile_vals[] = {
    { "draft-03", "draft-03 (Length 1: R | min)", MEP_DRAFT03 },
    { "draft-04", "draft-04..-07 (Length 3: exp | size12 | R | min)", MEP_DRAFT04 },
    { "draft-09", "draft-09 (Length 4: version | T min | exp | size12)", MEP_DRAFT09 },
    { "draft-16", "draft-10..-16 (Length 3: version | T min | Exp | Sz; Length 4 erratum)", MEP_DRAFT16 },
    { NULL, NULL, 0 }
};
static const enum_val_t ji_profile_vals[] = {
    { "rfc9032-literal", "RFC 9032 Figure 1 as drawn (proxy 7 bits, rank 12 bits)", JI_LITERAL },
    { "byte-aligned", "Byte-aligned (proxy in octet 2, rank 8 bits)", JI_BYTE_ALIGNED },
    { NULL, NULL, 0 }
};

static guint pref_mep_type = EK_MEP_TYPE_PROVISIONAL;
static gint pref_mep_profile = MEP_DRAFT16;
static gint pref_ji_profile = JI_LITERAL;
static guint pref_ji_subtype = EK_IETF_SUBTYPE_JOIN_INFO;
#if ENROLL_NEED_6P_RELABEL
static enroll_bool_t pref_6p_subtype1 = FALSE; /* off: see docs/wireshark.md */
#endif

/* Option data length each MEP profile needs (RFC 6550 §6.7.1: excludes Type/Length). */
static const guint mep_need[] = { EK_MEP_LEN_DRAFT03, EK_MEP_LEN_DRAFT04, EK_MEP_LEN_DRAFT09,
                                  EK_MEP_LEN_DRAFT16 };

/* ---- cross-packet state ----
 * First pass: DIOs record node (EUI-64 from the fe80::/64 IID) -> latest min priority.
 * Each EB stores what it saw, so -2, the GUI and random access give the same answer. */
typedef struct {
    guint32 frame;
    guint8 min_prio;
} enroll_dio_rec_t;

#define ENROLL_KEY_EB_XREF 1
#define ENROLL_KEY_MEP_HITS 2
#define ENROLL_KEY_COJP_PKT 3  /* pinfo->pool: cojp_pkt_t of the CoAP message being dissected */
#define ENROLL_KEY_COJP_EB 4   /* file scope: the sender's latest EB, snapshot on the first pass */
#define ENROLL_MAX_HITS 8

typedef struct {
    guint n;
    struct {
        guint ds_index; /* index into pinfo->data_src */
        gint start;     /* offset of the option Type octet in that data source */
    } hit[ENROLL_MAX_HITS];
} enroll_mep_hits_t;

static wmem_map_t *dio_by_node;

/* First pass: every EB with Join-Info records MAC source -> (frame, proxy priority); a
 * CoJP frame snapshots its sender's record, so later passes give the same answer. */
typedef struct {
    guint32 frame;
    guint8 proxy;
} enroll_eb_rec_t;

#define ENROLL_SRC_SHORT_TAG G_GUINT64_CONSTANT(0xFFFF000000000000) /* short source keys */
static wmem_map_t *eb_by_src;

/* Interface ID of a fe80::/64 network source -> EUI-64 (RFC 4291 App. A: flip U/L). */
static gboolean
node_from_net_src(const packet_info *pinfo, guint64 *eui64)
{
    const guint8 *a;
    guint64 v = 0;
    int i;

    if (pinfo->net_src.type != AT_IPv6 || pinfo->net_src.len != 16)
        return FALSE;
    a = (const guint8 *)pinfo->net_src.data;
    if (a[0] != 0xfe || (a[1] & 0xc0) != 0x80)
        return FALSE;
    for (i = 8; i < 16; i++)
        v = (v << 8) | a[i];
    *eui64 = v ^ G_GUINT64_CONSTANT(0x0200000000000000);
    return TRUE;
}

static void
record_dio(packet_info *pinfo, guint8 min_prio)
{
    guint64 node;
    enroll_dio_rec_t *rec;

    if (PINFO_FD_VISITED(pinfo) || !node_from_net_src(pinfo, &node))
        return;
    rec = (enroll_dio_rec_t *)wmem_map_lookup(dio_by_node, &node);
    if (!rec) {
        guint64 *key = wmem_new(wmem_file_scope(), guint64);
        *key = node;
        rec = wmem_new(wmem_file_scope(), enroll_dio_rec_t);
        wmem_map_insert(dio_by_node, key, rec);
    }
    rec->frame = pinfo->num;
    rec->min_prio = min_prio;
}

/* Info column text without printf: this runs for every EB/DIO even in summary mode,
 * where the plugin's cost budget is a few hundred ns per frame (docs/performance.md). */
static char *
put_hex8(char *p, guint v)
{
    static const char hx[] = "0123456789abcdef";
    *p++ = '0';
    *p++ = 'x';
    *p++ = hx[(v >> 4) & 0xF];
    *p++ = hx[v & 0xF];
    return p;
}

static void
col_append_prio(packet_info *pinfo, const char *l1, guint v1, const char *l2, guint v2)
{
    char buf[48], *p = buf;
    size_t n;

    if (!pinfo->cinfo)
        return;
    n = strlen(l1);
    memcpy(p, l1, n);
    p = put_hex8(p + n, v1);
    if (l2) {
        n = strlen(l2);
        memcpy(p, l2, n);
        p = put_hex8(p + n, v2);
    }
    *p = '\0';
    col_append_sep_str(pinfo->cinfo, COL_INFO, ", ", buf);
}

/* ------------------------------------------------------------------------------------
 * Minimum Enrollment Priority option (draft-ietf-roll-enrollment-priority)
 * ------------------------------------------------------------------------------------ */

/* Decode one option whose Type octet is at `off` in `tvb`.  Items go under `parent`;
 * `anchor` (the stock "ICMPv6 RPL Option" node, may be NULL) gets a summary text. */
static void
add_mep_items(tvbuff_t *tvb, int off, packet_info *pinfo, proto_tree *parent, proto_item *anchor)
{
    proto_item *ti, *len_item;
    proto_tree *mt;
    guint opt_len, need, avail, min_prio = 0, r_or_t, exp = 0, code = 0;
    const guint prof = (guint)pref_mep_profile;
    const int b = off + 2; /* first data octet */

    if (tvb_captured_length_remaining(tvb, off) < 2)
        return;
    opt_len = tvb_get_uint8(tvb, off + 1);
    avail = (guint)tvb_captured_length_remaining(tvb, b);
    need = mep_need[prof];

    /* The items hang under the stock RPL option; a hidden protocol item makes the
     * protocol's own filter ("enroll") match wherever one of its fields does. */
    proto_item_set_hidden(proto_tree_add_item(parent, proto_enroll, tvb, off, MIN(2 + opt_len, 2 + avail), ENC_NA));
    ti = proto_tree_add_item(parent, hf_mep, tvb, off, MIN(2 + opt_len, 2 + avail), ENC_NA);
    mt = proto_item_add_subtree(ti, ett_mep);
    proto_item_append_text(ti, " (%s)", mep_profile_vals[prof].name);
    proto_item_set_generated(proto_tree_add_string(mt, hf_mep_profile, tvb, off, 0,
                                                   mep_profile_vals[prof].name));
    proto_tree_add_item(mt, hf_mep_type, tvb, off, 1, ENC_NA);
    len_item = proto_tree_add_item(mt, hf_mep_length, tvb, off + 1, 1, ENC_NA);

    /* The selected profile defines the layout, and Option Length (RFC 6550 §6.7.1: data
     * octets, Type and Length excluded) must be that layout's data length; -10..-16
     * §3.1's figure prints "Opt Length = 4" for its 3-octet body, so draft-16 also takes
     * 4 (the octet after the body is ignored).  The draft defines no extension area: any
     * other length, shorter or longer, is malformed and the option is ignored (no value
     * fields), as the enrollkit codec reports MALFORMED enroll.mep.length. */
    if (opt_len != need && !(prof == MEP_DRAFT16 && opt_len == EK_MEP_LEN_DRAFT16_ERRATUM)) {
        expert_add_info_format(pinfo, len_item, &ei_mep_length,
                               "Option length %u does not fit the %s layout (Length %u%s): option ignored",
                               opt_len, mep_profile_vals[prof].name, need,
                               prof == MEP_DRAFT16 ? " or 4" : "");
        if (anchor)
            proto_item_append_text(anchor, " [Minimum Enrollment Priority: bad length %u]", opt_len);
        return;
    }
    if (avail < opt_len)
        return; /* snapped: nothing more can be shown */

    switch (prof) {
    case MEP_DRAFT03: /* -03 §2: R(1) | min priority(7) */
        proto_tree_add_item(mt, hf_mep_r, tvb, b, 1, ENC_NA);
        r_or_t = tvb_get_uint8(tvb, b) >> 7;
        proto_tree_add_item_ret_uint(mt, hf_mep_min, tvb, b, 1, ENC_NA, &min_prio);
        break;
    case MEP_DRAFT04: /* -04 §2: exp(4) | DODAG_Size(12) | R(1) | min(7) */
        proto_tree_add_item_ret_uint(mt, hf_mep_exp16, tvb, b, 2, ENC_BIG_ENDIAN, &exp);
        proto_tree_add_item_ret_uint(mt, hf_mep_size12, tvb, b, 2, ENC_BIG_ENDIAN, &code);
        proto_tree_add_item(mt, hf_mep_r, tvb, b + 2, 1, ENC_NA);
        r_or_t = tvb_get_uint8(tvb, b + 2) >> 7;
        proto_tree_add_item_ret_uint(mt, hf_mep_min, tvb, b + 2, 1, ENC_NA, &min_prio);
        break;
    case MEP_DRAFT09: /* -09 §3.1: version(8) | T(1) min(7) | exp(4) size(12) */
        proto_tree_add_item(mt, hf_mep_version, tvb, b, 1, ENC_NA);
        proto_tree_add_item(mt, hf_mep_t, tvb, b + 1, 1, ENC_NA);
        proto_tree_add_item_ret_uint(mt, hf_mep_min, tvb, b + 1, 1, ENC_NA, &min_prio);
        proto_tree_add_item_ret_uint(mt, hf_mep_exp16, tvb, b + 2, 2, ENC_BIG_ENDIAN, &exp);
        proto_tree_add_item_ret_uint(mt, hf_mep_size12, tvb, b + 2, 2, ENC_BIG_ENDIAN, &code);
        r_or_t = 0;
        break;
    default: /* MEP_DRAFT16, -16 §3.1: version(8) | T(1) min(7) | Exp(4) DODAGSz(4) */
        proto_tree_add_item(mt, hf_mep_version, tvb, b, 1, ENC_NA);
        proto_tree_add_item(mt, hf_mep_t, tvb, b + 1, 1, ENC_NA);
        proto_tree_add_item_ret_uint(mt, hf_mep_min, tvb, b + 1, 1, ENC_NA, &min_prio);
        proto_tree_add_item_ret_uint(mt, hf_mep_exp8, tvb, b + 2, 1, ENC_NA, &exp);
        proto_tree_add_item_ret_uint(mt, hf_mep_size4, tvb, b + 2, 1, ENC_NA, &code);
        r_or_t = 0;
        break;
    }
    if (prof != MEP_DRAFT03)
        proto_item_set_generated(proto_tree_add_uint(mt, hf_mep_size, tvb, b, (gint)need, code << exp));

    if (opt_len > need) { /* draft-16 Length 4: the erratum octet, shown and ignored */
        proto_tree_add_item(mt, hf_mep_trailing, tvb, b + (int)need, (int)(opt_len - need), ENC_NA);
        expert_add_info(pinfo, len_item, &ei_mep_erratum);
    }
    if (r_or_t && (prof == MEP_DRAFT03 || prof == MEP_DRAFT04))
        expert_add_info(pinfo, ti, &ei_mep_reserved);
    if (min_prio == EK_MEP_PRIO_DISABLED)
        expert_add_info(pinfo, ti, &ei_mep_disabled);

    proto_item_append_text(ti, ", min=0x%02x", min_prio);
    if (anchor)
        proto_item_append_text(anchor, " [Minimum Enrollment Priority min=0x%02x]", min_prio);
    col_append_prio(pinfo, "MEP min=", min_prio, NULL, 0);
    record_dio(pinfo, (guint8)min_prio);
}

static void
add_mep_items_safe(tvbuff_t *tvb, int off, packet_info *pinfo, proto_tree *parent, proto_item *anchor)
{
    /* Items are bounds-checked above; this only keeps an unexpected exception on the
     * option, like the stock per-IE handling does, instead of losing the frame. */
    TRY {
        add_mep_items(tvb, off, pinfo, parent, anchor);
    }
    CATCH_NONFATAL_ERRORS {
        show_exception(tvb, pinfo, parent, EXCEPT_CODE, GET_MESSAGE);
    }
    ENDTRY;
}

#ifdef ENROLL_MEP_POSTDISSECTOR
/* ---- hook (a), -DENROLL_MEP_POSTDISSECTOR: postdissector anchored on the stock
 *      icmpv6.rpl.opt.type nodes.  Forces a tree for every frame (docs/performance.md). ---- */

static guint
data_source_index(packet_info *pinfo, tvbuff_t *ds)
{
    guint i = 0;
    GSList *l;

    for (l = pinfo->data_src; l; l = l->next, i++)
        if (get_data_source_tvb((const struct data_source *)l->data) == ds)
            return i;
    return G_MAXUINT;
}


typedef struct {
    guint32 icmp_type, icmp_code;
    tvbuff_t *icmp_ds;
    guint n;
    proto_node *node[ENROLL_MAX_HITS];
} mep_walk_t;

static void
mep_walk(proto_node *node, gpointer data)
{
    mep_walk_t *w = (mep_walk_t *)data;
    field_info *fi = PNODE_FINFO(node);

    if (fi && fi->hfinfo && fi->ds_tvb && fi->length >= 1) {
        int id = fi->hfinfo->id;
        if (id == hf_icmpv6_type) {
            w->icmp_type = tvb_get_uint8(fi->ds_tvb, fi->start);
            w->icmp_ds = fi->ds_tvb;
        } else if (id == hf_icmpv6_code) {
            w->icmp_code = tvb_get_uint8(fi->ds_tvb, fi->start);
        } else if (id == hf_icmpv6_rpl_opt_type && w->n < ENROLL_MAX_HITS &&
                   w->icmp_ds == fi->ds_tvb && w->icmp_type == EK_ICMP6_TYPE_RPL &&
                   (w->icmp_code & ~(guint32)EK_RPL_CODE_SECURE) == EK_RPL_CODE_DIO &&
                   tvb_get_uint8(fi->ds_tvb, fi->start) == pref_mep_type) {
            w->node[w->n++] = node;
        }
    }
    proto_tree_children_foreach(node, mep_walk, data);
}

static int
dissect_enroll_post(tvbuff_t *tvb _U_, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    mep_walk_t w;
    enroll_mep_hits_t *hits;
    guint i;

    if (pref_mep_type == 0 || !proto_is_frame_protocol(pinfo->layers, "icmpv6"))
        return 0;

    memset(&w, 0, sizeof w);
    if (tree)
        proto_tree_children_foreach(tree, mep_walk, &w);

    if (w.n > 0) {
        if (!PINFO_FD_VISITED(pinfo)) {
            /* Wanted hfids are primed on the first pass only: remember where the options
             * are so later passes (tshark -2, GUI filters) can decode them without. */
            hits = wmem_new0(wmem_file_scope(), enroll_mep_hits_t);
            for (i = 0; i < w.n; i++) {
                field_info *fi = PNODE_FINFO(w.node[i]);
                hits->hit[hits->n].ds_index = data_source_index(pinfo, fi->ds_tvb);
                hits->hit[hits->n].start = fi->start;
                hits->n++;
            }
            p_add_proto_data(wmem_file_scope(), pinfo, proto_enroll, ENROLL_KEY_MEP_HITS, hits);
        }
        for (i = 0; i < w.n; i++) {
            field_info *fi = PNODE_FINFO(w.node[i]);
            proto_node *opt = w.node[i]->parent;
            add_mep_items_safe(fi->ds_tvb, fi->start, pinfo, (proto_tree *)opt, (proto_item *)opt);
        }
        return tvb_captured_length(tvb);
    }

    hits = (enroll_mep_hits_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_enroll,
                                                 ENROLL_KEY_MEP_HITS);
    if (!hits)
        return 0;
    for (i = 0; i < hits->n; i++) {
        GSList *l = g_slist_nth(pinfo->data_src, hits->hit[i].ds_index);
        tvbuff_t *ds = l ? get_data_source_tvb((const struct data_source *)l->data) : NULL;
        if (ds && tvb_bytes_exist(ds, hits->hit[i].start, 2) &&
            tvb_get_uint8(ds, hits->hit[i].start) == pref_mep_type)
            add_mep_items_safe(ds, hits->hit[i].start, pinfo, tree, NULL);
    }
    return tvb_captured_length(tvb);
}

static void
update_wanted_hfids(void)
{
    GArray *wanted = NULL;

    if (!post_handle)
        return;
    if (pref_mep_type != 0 && hf_icmpv6_type >= 0 && hf_icmpv6_code >= 0 &&
        hf_icmpv6_rpl_opt_type >= 0) {
        wanted = g_array_sized_new(FALSE, FALSE, (guint)sizeof(int), 3);
        g_array_append_val(wanted, hf_icmpv6_type);
        g_array_append_val(wanted, hf_icmpv6_code);
        g_array_append_val(wanted, hf_icmpv6_rpl_opt_type);
    }
    set_postdissector_wanted_hfids(post_handle, wanted); /* takes ownership; NULL clears */
}

#else /* !ENROLL_MEP_POSTDISSECTOR: the default hook */
/* ---- hook (b), default: ip.proto 58 wrapper: stock ICMPv6 first, then our own option walk.
 *      Handle with protocol -1 and its own name/description: no layer in frame.protocols,
 *      no Decode As name clash (docs/wireshark.md "Hooks and why"). ---- */

typedef struct {
    tvbuff_t *ds;
    gint start;
    proto_node *found;
} mep_find_t;

static void
mep_find(proto_node *node, gpointer data)
{
    mep_find_t *f = (mep_find_t *)data;
    field_info *fi = PNODE_FINFO(node);

    if (f->found)
        return;
    if (fi && fi->hfinfo && fi->hfinfo->id == hf_icmpv6_rpl_opt_type && fi->ds_tvb == f->ds &&
        fi->start == f->start) {
        f->found = node;
        return;
    }
    proto_tree_children_foreach(node, mep_find, data);
}

static int mep_after_icmpv6(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, int ret);

static int
dissect_icmpv6_wrap(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    volatile int ret = 0;
    volatile gboolean threw = FALSE;
    volatile unsigned long exc_code = 0;
    const char *volatile exc_msg = NULL;
    int out;

    /* Stock ICMPv6 first.  It may throw part-way (e.g. a Secure DIO's trailing MAC parsed as
     * an option): keep the exception, still decode our option, then rethrow it so the stock
     * "Malformed" marker appears exactly as without the plugin. */
    TRY {
        ret = call_dissector_with_data(stock_icmpv6_handle, tvb, pinfo, tree, data);
    }
    CATCH_NONFATAL_ERRORS {
        threw = TRUE;
        exc_code = EXCEPT_CODE;
        exc_msg = GET_MESSAGE ? wmem_strdup(pinfo->pool, GET_MESSAGE) : NULL;
    }
    ENDTRY;

    out = mep_after_icmpv6(tvb, pinfo, tree, ret);
    if (threw)
        THROW_MESSAGE(exc_code, exc_msg);
    return out;
}

static int
mep_after_icmpv6(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, int ret)
{
    guint type, code, len, end, off;
    proto_node *icmp_node = NULL;

    if (pref_mep_type == 0 || !proto_is_protocol_enabled(enroll_protocol) ||
        tvb_captured_length(tvb) < 4)
        return ret;
    type = tvb_get_uint8(tvb, 0);
    code = tvb_get_uint8(tvb, 1);
    if (type != EK_ICMP6_TYPE_RPL || (code & ~(guint)EK_RPL_CODE_SECURE) != EK_RPL_CODE_DIO)
        return ret;
    len = tvb_captured_length(tvb);
    end = tvb_reported_length(tvb);
    off = 4;
    if (code & EK_RPL_CODE_SECURE) {
        /* RFC 6550 §6.1 Fig. 8 Security section: T|res, Algorithm, KIM|res|LVL, Flags,
         * Counter(4), Key Identifier (Fig. 10: KIM 0 -> 1, 2 -> 9, 1 and unencrypted 3 -> 0);
         * the MAC (KIM 0-2: 4/8) or signature (KIM 3: 384/256) trails the message. */
        guint kim, lvl, kid, mac;
        if (len < off + 4)
            return ret;
        kim = (tvb_get_uint8(tvb, off + 2) >> 6) & 3;
        lvl = tvb_get_uint8(tvb, off + 2) & 7;
        if (lvl & 1 || lvl > 3)
            return ret; /* ENC-* (options encrypted) or unassigned level */
        kid = kim == 0 ? 1 : kim == 2 ? 9 : 0;
        mac = kim == 3 ? (lvl == 0 ? 384 : 256) : (lvl == 0 ? 4 : 8);
        off += 8 + kid;
        end = end > mac ? end - mac : 0;
    }
    off += 24; /* RFC 6550 §6.3.1 DIO base: instance, version, rank(2), G|MOP|Prf, DTSN,
                  flags, reserved, DODAGID(16) */
    if (end > len)
        end = len;
    if (tree) {
        /* The stock ICMPv6 item is the last child of the tree it was handed. */
        proto_node *c;
        for (c = ((proto_node *)tree)->first_child; c; c = c->next)
            if (PNODE_FINFO(c) && PNODE_FINFO(c)->hfinfo && PNODE_FINFO(c)->hfinfo->id == proto_icmpv6)
                icmp_node = c;
    }
    while (off < end) {
        guint ot = tvb_get_uint8(tvb, off), ol;
        if (ot == EK_RPL_OPT_PAD1) { /* RFC 6550 §6.7.2: a single octet */
            off++;
            continue;
        }
        if (off + 2 > end)
            break;
        ol = tvb_get_uint8(tvb, off + 1);
        if (off + 2 + ol > end)
            break; /* runs past the message or the captured data (RFC 6550 §6.7.1): stock
                      ICMPv6 reports it; no Length verdict, as in the codec */
        if (ot == pref_mep_type) {
            mep_find_t f = { tvb_get_ds_tvb(tvb), tvb_raw_offset(tvb) + (gint)off, NULL };
            if (icmp_node)
                proto_tree_children_foreach(icmp_node, mep_find, &f);
            if (f.found && f.found->parent)
                add_mep_items_safe(tvb, (int)off, pinfo, (proto_tree *)f.found->parent,
                                   (proto_item *)f.found->parent);
            else
                add_mep_items_safe(tvb, (int)off, pinfo, icmp_node ? (proto_tree *)icmp_node : tree, NULL);
        }
        off += 2 + ol;
    }
    return ret;
}
#endif /* ENROLL_MEP_POSTDISSECTOR */

/* ------------------------------------------------------------------------------------
 * CoJP, the Constrained Join Protocol (RFC 9031 §8): CoAP (RFC 7252) + OSCORE (RFC 8613)
 *
 * Hook: a wrapper on the "media_type" table entries "application/octet-stream" and
 * "application/cbor".  CoAP hands every payload to that table keyed by its Content-Format
 * (packet-coap.c dissect_coap_payload(), 4.0 to 4.6), and CoJP defines no Content-Format
 * (RFC 9031 §8.1), so a CoJP payload arrives as "application/octet-stream" twice: first the
 * outer payload (the OSCORE ciphertext), then, when the user's "oscore" UAT holds the
 * pledge's context, the decrypted inner payload (packet-oscore.c calls the same
 * dissect_coap_payload() on the "Decrypted OSCORE" data source).  The CoAP message state
 * comes from the coap_info CoAP keeps per packet (packet-coap.h, installed with
 * libwireshark-dev and compiled against per release): the OSCORE kid context and Partial IV,
 * the response flag and the URI (Uri-Host, or the request's URI on a response).
 * Why not a postdissector reading coap.* by name: its wanted hfids force a protocol tree
 * for every frame (+27..42 % tshark CPU, docs/performance.md), and there is no CoAP
 * heuristic or sub-table.  Everything else goes to the stock handle, unchanged; the
 * handles have protocol -1 so `--disable-protocol enroll` never removes the table entry.
 * ------------------------------------------------------------------------------------ */

#define COJP_HOST "6tisch.arpa"     /* RFC 9031 §8.1.1 Uri-Host */
#define COJP_CBOR_DEPTH 8           /* nesting the walker follows (CoJP objects need 3) */
#define COJP_CBOR_ITEMS 256         /* items one payload may show (bounds the work) */

enum { COJP_JOIN_REQUEST = 1, COJP_JOIN_RESPONSE = 2 };

/* Per CoAP message, in the packet pool: written by the outer call, read by the inner one. */
typedef struct {
    guint msg;               /* COJP_JOIN_REQUEST / COJP_JOIN_RESPONSE */
    tvbuff_t *outer_ds;      /* data source of the outer payload */
    proto_tree *tree;        /* the "Enrollment: CoJP" subtree */
    proto_item *item;
    gboolean inner_done;
} cojp_pkt_t;

/* RFC 9031 §8.4.1 Table 3 */
static const value_string cojp_role_vals[] = {
    { 0, "6TiSCH Node" },
    { 1, "6LBR" },
    { 0, NULL }
};

/* RFC 9031 §8.4.3 Table 6 (IANA "CoJP Key Usage") */
static const value_string cojp_key_usage_vals[] = {
    { 0, "6TiSCH-K1K2-ENC-MIC32" },
    { 1, "6TiSCH-K1K2-ENC-MIC64" },
    { 2, "6TiSCH-K1K2-ENC-MIC128" },
    { 3, "6TiSCH-K1K2-MIC32" },
    { 4, "6TiSCH-K1K2-MIC64" },
    { 5, "6TiSCH-K1K2-MIC128" },
    { 6, "6TiSCH-K1-MIC32" },
    { 7, "6TiSCH-K1-MIC64" },
    { 8, "6TiSCH-K1-MIC128" },
    { 9, "6TiSCH-K2-MIC32" },
    { 10, "6TiSCH-K2-MIC64" },
    { 11, "6TiSCH-K2-MIC128" },
    { 12, "6TiSCH-K2-ENC-MIC32" },
    { 13, "6TiSCH-K2-ENC-MIC64" },
    { 14, "6TiSCH-K2-ENC-MIC128" },
    { 0, NULL }
};

/* RFC 9031 §8.4.5 Table 7 */
static const value_string cojp_unsupported_code_vals[] = {
    { 0, "Unsupported" },
    { 1, "Malformed" },
    { 0, NULL }
};

/* RFC 9031 §8.4 Table 5 (IANA "CoJP Parameters") */
enum {
    COJP_LABEL_ROLE = 1, COJP_LABEL_KEY_SET = 2, COJP_LABEL_SHORT_ID = 3, COJP_LABEL_JRC_ADDR = 4,
    COJP_LABEL_NETWORK_ID = 5, COJP_LABEL_BLACKLIST = 6, COJP_LABEL_JOIN_RATE = 7,
    COJP_LABEL_UNSUPPORTED = 8
};
static const value_string cojp_label_vals[] = {
    { COJP_LABEL_ROLE, "role" },
    { COJP_LABEL_KEY_SET, "link-layer key set" },
    { COJP_LABEL_SHORT_ID, "short identifier" },
    { COJP_LABEL_JRC_ADDR, "JRC address" },
    { COJP_LABEL_NETWORK_ID, "network identifier" },
    { COJP_LABEL_BLACKLIST, "blacklist" },
    { COJP_LABEL_JOIN_RATE, "join rate" },
    { COJP_LABEL_UNSUPPORTED, "unsupported configuration" },
    { 0, NULL }
};

/* ---- a bounded CBOR reader over a tvb (RFC 8949 §3) ----
 * Every read checks against the captured end first, so no exception is thrown and a
 * hostile length cannot reach a tvb accessor; the first error sticks (later reads fail). */
typedef struct {
    tvbuff_t *tvb;
    int off, end;
    const char *err;   /* first error, NULL while fine */
    int err_off;
    guint items;       /* items shown so far (COJP_CBOR_ITEMS) */
} cbor_rd_t;

typedef struct {
    int start;         /* offset of the initial byte */
    guint major;       /* RFC 8949 §3.1 major type 0..7 */
    guint ai;          /* additional information */
    guint64 val;       /* argument: value, length or count */
} cbor_head_t;

static gboolean
cbor_fail(cbor_rd_t *r, int off, const char *what)
{
    if (!r->err) {
        r->err = what;
        r->err_off = off;
    }
    return FALSE;
}

/* RFC 8949 §3: initial byte, then the 1/2/4/8-octet argument for ai 24..27. */
static gboolean
cbor_head(cbor_rd_t *r, cbor_head_t *h)
{
    guint8 ib;
    int n;

    if (r->err)
        return FALSE;
    if (r->off >= r->end)
        return cbor_fail(r, r->off, "CBOR item runs past the payload");
    h->start = r->off;
    ib = tvb_get_uint8(r->tvb, r->off);
    h->major = ib >> 5;
    h->ai = ib & 0x1F;
    r->off++;
    if (h->ai < 24) {
        h->val = h->ai;
        return TRUE;
    }
    if (h->ai == 31)  /* RFC 8949 §3.2: indefinite length (or "break") */
        return cbor_fail(r, h->start, "indefinite-length CBOR item (not used by CoJP; not decoded)");
    if (h->ai > 27)   /* RFC 8949 §3: 28..30 are reserved */
        return cbor_fail(r, h->start, "reserved CBOR additional information 28..30");
    n = 1 << (h->ai - 24);
    if (r->end - r->off < n)
        return cbor_fail(r, h->start, "CBOR argument runs past the payload");
    h->val = n == 1 ? tvb_get_uint8(r->tvb, r->off) : n == 2 ? tvb_get_ntohs(r->tvb, r->off) :
             n == 4 ? tvb_get_ntohl(r->tvb, r->off) : tvb_get_ntoh64(r->tvb, r->off);
    r->off += n;
    return TRUE;
}

/* The content of a byte/text string (major 2/3) whose head is `h`: its offset and length. */
static gboolean
cbor_string(cbor_rd_t *r, const cbor_head_t *h, int *off, int *len)
{
    if (h->val > (guint64)(r->end - r->off))
        return cbor_fail(r, h->start, "CBOR string length runs past the payload");
    *off = r->off;
    *len = (int)h->val;
    r->off += *len;
    return TRUE;
}

/* Skip one whole data item whose head is `h`, nesting at most COJP_CBOR_DEPTH.  Every
 * element costs at least one octet, so a hostile count ends when the bytes do. */
static gboolean
cbor_skip_rest(cbor_rd_t *r, const cbor_head_t *h, int depth)
{
    cbor_head_t c;
    guint64 i, n;
    int o, l;

    switch (h->major) {
    case 0: case 1: case 7:   /* integers, simple values and floats: argument only */
        return TRUE;
    case 2: case 3:
        return cbor_string(r, h, &o, &l);
    case 6:                   /* tag: one item follows (RFC 8949 §3.4) */
        if (depth >= COJP_CBOR_DEPTH)
            return cbor_fail(r, h->start, "CBOR nesting deeper than the walker follows");
        return cbor_head(r, &c) && cbor_skip_rest(r, &c, depth + 1);
    default:                  /* 4 array, 5 map */
        if (depth >= COJP_CBOR_DEPTH)
            return cbor_fail(r, h->start, "CBOR nesting deeper than the walker follows");
        n = h->major == 5 ? h->val * 2 : h->val;
        if (h->major == 5 && h->val > G_MAXUINT32)
            return cbor_fail(r, h->start, "CBOR map count runs past the payload");
        for (i = 0; i < n; i++)
            if (!cbor_head(r, &c) || !cbor_skip_rest(r, &c, depth + 1))
                return FALSE;
        return TRUE;
    }
}

/* A CBOR int (major 0 or 1) as a signed 64-bit value; FALSE when out of range. */
static gboolean
cbor_int(const cbor_head_t *h, gint64 *v)
{
    if ((h->major != 0 && h->major != 1) || h->val > (guint64)G_MAXINT64)
        return FALSE;
    *v = h->major == 0 ? (gint64)h->val : -1 - (gint64)h->val;
    return TRUE;
}

static void
cojp_type_bad(packet_info *pinfo, proto_item *ti, const char *what, const char *want)
{
    expert_add_info_format(pinfo, ti, &ei_cojp_param, "%s: CBOR %s expected (RFC 9031 §8.4)", what, want);
}

/* Link_Layer_Key sequences inside the key set array (RFC 9031 §8.4.3):
 * key_id uint, ? key_usage int, key_value bstr, ? key_addinfo bstr.  The CBOR type tells
 * the elements apart ("a uint that follows a byte string signals" the next key). */
enum { KS_WANT_ID, KS_AFTER_ID, KS_AFTER_USAGE, KS_AFTER_VALUE, KS_AFTER_ADDINFO };

static void
cojp_key_set(cbor_rd_t *r, const cbor_head_t *arr, packet_info *pinfo, proto_item *si, proto_tree *pt, int depth)
{
    proto_tree *kt = NULL;
    proto_item *ki = NULL;
    guint64 i;
    int state = KS_WANT_ID, o, l;
    cbor_head_t h;
    guint nkeys = 0;

    for (i = 0; i < arr->val && r->items < COJP_CBOR_ITEMS; i++, r->items++) {
        if (!cbor_head(r, &h))
            break;
        if (h.major == 0 && (state == KS_WANT_ID || state == KS_AFTER_VALUE || state == KS_AFTER_ADDINFO)) {
            ki = proto_tree_add_item(pt, hf_cojp_key, r->tvb, h.start, 0, ENC_NA);
            kt = proto_item_add_subtree(ki, ett_cojp_key);
            proto_item_append_text(ki, " %u: key_id %" G_GUINT64_FORMAT, ++nkeys, h.val);
            proto_tree_add_uint64(kt, hf_cojp_key_id, r->tvb, h.start, r->off - h.start, h.val);
            if (h.val > 254) /* §8.4.3.3: 255 is reserved, larger values invalid */
                expert_add_info_format(pinfo, ki, &ei_cojp_param,
                                       "key_id %" G_GUINT64_FORMAT " is above 254: the key is invalid (RFC 9031 §8.4.3.3)",
                                       h.val);
            state = KS_AFTER_ID;
        } else if ((h.major == 0 || h.major == 1) && state == KS_AFTER_ID) {
            gint64 v = 0;
            if (cbor_int(&h, &v) && v >= 0 && v <= G_MAXUINT32) {
                proto_tree_add_uint(kt, hf_cojp_key_usage, r->tvb, h.start, r->off - h.start, (guint32)v);
                proto_item_append_text(ki, ", %s", val_to_str_const((guint32)v, cojp_key_usage_vals, "unregistered usage"));
            } else {
                expert_add_info_format(pinfo, ki, &ei_cojp_param,
                                       "key_usage is negative or too large: not in the registry (RFC 9031 §11.2)");
            }
            state = KS_AFTER_USAGE;
        } else if (h.major == 2 && (state == KS_AFTER_ID || state == KS_AFTER_USAGE)) {
            if (!cbor_string(r, &h, &o, &l))
                break;
            proto_tree_add_item(kt, hf_cojp_key_value, r->tvb, o, l, ENC_NA);
            if (state == KS_AFTER_ID) /* §8.4.3: key_usage omitted means 0 */
                proto_item_append_text(ki, ", %s (default)", val_to_str_const(0, cojp_key_usage_vals, ""));
            state = KS_AFTER_VALUE;
        } else if (h.major == 2 && state == KS_AFTER_VALUE) {
            if (!cbor_string(r, &h, &o, &l))
                break;
            proto_tree_add_item(kt, hf_cojp_key_addinfo, r->tvb, o, l, ENC_NA);
            state = KS_AFTER_ADDINFO;
        } else {
            proto_item *bad = proto_tree_add_item(pt, hf_cojp_unknown, r->tvb, h.start, 1, ENC_NA);
            expert_add_info_format(pinfo, bad, &ei_cojp_param,
                                   "Link_Layer_Key element of CBOR major type %u out of order "
                                   "(key_id uint, ? key_usage int, key_value bstr, ? key_addinfo bstr; RFC 9031 §8.4.3)",
                                   h.major);
            if (!cbor_skip_rest(r, &h, depth + 1))
                break;
            state = KS_WANT_ID;
            continue;
        }
        if (ki)
            proto_item_set_end(ki, r->tvb, r->off);
    }
    if ((state == KS_AFTER_ID || state == KS_AFTER_USAGE) && ki)
        expert_add_info_format(pinfo, ki, &ei_cojp_param, "Link_Layer_Key without key_value (RFC 9031 §8.4.3)");
    if (arr->val == 0)
        expert_add_info_format(pinfo, si, &ei_cojp_param,
                               "empty link-layer key set: at least one key is required (RFC 9031 §8.4.2)");
}

/* One parameter (label, value) of a Join_Request or Configuration map. */
static void
cojp_param(cbor_rd_t *r, gint64 label, int lstart, packet_info *pinfo, proto_tree *ot, int depth)
{
    cbor_head_t h, e;
    proto_item *pi;
    proto_tree *pt;
    int o, l;
    guint64 i;
    const char *name = label >= 0 && label <= 0xFF ? try_val_to_str((guint32)label, cojp_label_vals) : NULL;

    if (!cbor_head(r, &h))
        return;
    if (!name) { /* not in RFC 9031 Table 5: skipped (§8.3.1 leaves unknown parameters to the receiver) */
        if (cbor_skip_rest(r, &h, depth + 1)) {
            pi = proto_tree_add_item(ot, hf_cojp_unknown, r->tvb, lstart, r->off - lstart, ENC_NA);
            proto_item_append_text(pi, ": label %" G_GINT64_MODIFIER "d (CBOR major type %u)", label, h.major);
        }
        return;
    }
    switch (label) {
    case COJP_LABEL_ROLE:
    case COJP_LABEL_JOIN_RATE:
        if (h.major != 0) {
            pi = proto_tree_add_item(ot, hf_cojp_unknown, r->tvb, lstart, 1, ENC_NA);
            proto_item_append_text(pi, ": %s", name);
            cojp_type_bad(pinfo, pi, name, "unsigned integer");
            cbor_skip_rest(r, &h, depth + 1);
        } else if (label == COJP_LABEL_ROLE) {
            pi = proto_tree_add_uint64(ot, hf_cojp_role, r->tvb, lstart, r->off - lstart, h.val);
            proto_item_append_text(pi, " (%s)", h.val <= 1 ? val_to_str_const((guint32)h.val, cojp_role_vals, "") :
                                   "unknown role");
        } else {
            proto_tree_add_uint64(ot, hf_cojp_join_rate, r->tvb, lstart, r->off - lstart, h.val);
        }
        return;
    case COJP_LABEL_NETWORK_ID:
    case COJP_LABEL_JRC_ADDR:
        if (h.major != 2) {
            pi = proto_tree_add_item(ot, hf_cojp_unknown, r->tvb, lstart, 1, ENC_NA);
            proto_item_append_text(pi, ": %s", name);
            cojp_type_bad(pinfo, pi, name, "byte string");
            cbor_skip_rest(r, &h, depth + 1);
            return;
        }
        if (!cbor_string(r, &h, &o, &l))
            return;
        if (label == COJP_LABEL_NETWORK_ID) {
            proto_tree_add_item(ot, hf_cojp_network_id, r->tvb, o, l, ENC_NA);
        } else if (l == 16) {
            proto_tree_add_item(ot, hf_cojp_jrc_address, r->tvb, o, l, ENC_NA);
        } else { /* §8.4.2: "If the length ... is different from 16, the parameter MUST be discarded" */
            pi = proto_tree_add_item(ot, hf_cojp_unknown, r->tvb, o, l, ENC_NA);
            proto_item_append_text(pi, ": JRC address of %d octets", l);
            expert_add_info_format(pinfo, pi, &ei_cojp_param,
                                   "JRC address is %d octets, not 16: discarded (RFC 9031 §8.4.2)", l);
        }
        return;
    default:
        break;
    }
    /* the array-valued parameters: 2, 3, 6, 8 */
    if (h.major != 4) {
        pi = proto_tree_add_item(ot, hf_cojp_unknown, r->tvb, lstart, 1, ENC_NA);
        proto_item_append_text(pi, ": %s", name);
        cojp_type_bad(pinfo, pi, name, "array");
        cbor_skip_rest(r, &h, depth + 1);
        return;
    }
    if (depth + 1 >= COJP_CBOR_DEPTH) {
        cbor_fail(r, h.start, "CBOR nesting deeper than the walker follows");
        return;
    }
    switch (label) {
    case COJP_LABEL_KEY_SET:
        pi = proto_tree_add_item(ot, hf_cojp_key_set, r->tvb, lstart, 0, ENC_NA);
        pt = proto_item_add_subtree(pi, ett_cojp_param);
        cojp_key_set(r, &h, pinfo, pi, pt, depth + 1);
        break;
    case COJP_LABEL_SHORT_ID: /* §8.4.4 [identifier bstr, ? lease_time uint] */
        pi = proto_tree_add_item(ot, hf_cojp_short_id_obj, r->tvb, lstart, 0, ENC_NA);
        pt = proto_item_add_subtree(pi, ett_cojp_param);
        for (i = 0; i < h.val && cbor_head(r, &e); i++) {
            if (i == 0 && e.major == 2) {
                proto_item *si;
                if (!cbor_string(r, &e, &o, &l))
                    break;
                si = proto_tree_add_item(pt, hf_cojp_short_id, r->tvb, o, l, ENC_NA);
                if (l != 2 || (tvb_get_ntohs(r->tvb, o) >= 0xfffe))
                    expert_add_info_format(pinfo, si, &ei_cojp_param,
                                           "short identifier must be 2 octets other than 0xfffe/0xffff in "
                                           "IEEE 802.15.4 (RFC 9031 §8.4.4.1)");
            } else if (i == 1 && e.major == 0) {
                proto_tree_add_uint64(pt, hf_cojp_lease_time, r->tvb, e.start, r->off - e.start, e.val);
            } else {
                cojp_type_bad(pinfo, pi, "Short_Identifier element", i == 0 ? "byte string" : "unsigned integer");
                if (!cbor_skip_rest(r, &e, depth + 2))
                    break;
            }
        }
        break;
    case COJP_LABEL_BLACKLIST: /* §8.4.2 [* bstr] */
        pi = proto_tree_add_item(ot, hf_cojp_blacklist_obj, r->tvb, lstart, 0, ENC_NA);
        pt = proto_item_add_subtree(pi, ett_cojp_param);
        proto_item_append_text(pi, " (%" G_GUINT64_FORMAT " pledge identifiers)", h.val);
        for (i = 0; i < h.val && r->items < COJP_CBOR_ITEMS && cbor_head(r, &e); i++, r->items++) {
            if (e.major == 2) {
                if (!cbor_string(r, &e, &o, &l))
                    break;
                proto_tree_add_item(pt, hf_cojp_blacklist, r->tvb, o, l, ENC_NA);
            } else {
                cojp_type_bad(pinfo, pi, "blacklist entry", "byte string");
                if (!cbor_skip_rest(r, &e, depth + 2))
                    break;
            }
        }
        break;
    default: /* COJP_LABEL_UNSUPPORTED, §8.4.5: [+ (code int, parameter_label int, parameter_addinfo any)] */
        pi = proto_tree_add_item(ot, hf_cojp_unsupported, r->tvb, lstart, 0, ENC_NA);
        pt = proto_item_add_subtree(pi, ett_cojp_param);
        for (i = 0; i < h.val && r->items < COJP_CBOR_ITEMS && cbor_head(r, &e); i++, r->items++) {
            gint64 v;
            guint k = (guint)(i % 3);
            if (k < 2 && cbor_int(&e, &v) && v >= 0 && v <= G_MAXUINT32) {
                proto_tree_add_uint(pt, k == 0 ? hf_cojp_unsupported_code : hf_cojp_unsupported_label, r->tvb,
                                    e.start, r->off - e.start, (guint32)v);
            } else if (k < 2) {
                cojp_type_bad(pinfo, pi, k == 0 ? "Unsupported_Parameter code" : "parameter_label",
                              "non-negative integer");
                if (!cbor_skip_rest(r, &e, depth + 2))
                    break;
            } else if (!cbor_skip_rest(r, &e, depth + 2)) { /* parameter_addinfo: nil / any */
                break;
            }
        }
        break;
    }
    proto_item_set_len(pi, r->off - lstart);
}

/* The CoJP object in a (decrypted) payload: a CBOR map, Join_Request (§8.4.1) in a request,
 * Configuration (§8.4.2) in a response.  Items go under `parent`. */
static void
cojp_object(tvbuff_t *tvb, packet_info *pinfo, proto_tree *parent, guint msg)
{
    cbor_rd_t r;
    cbor_head_t m, k;
    proto_item *oi;
    proto_tree *ot;
    guint64 i;
    gint64 label;

    memset(&r, 0, sizeof r);
    r.tvb = tvb;
    r.end = (int)tvb_captured_length(tvb);
    oi = proto_tree_add_item(parent, msg == COJP_JOIN_REQUEST ? hf_cojp_join_request : hf_cojp_configuration,
                             tvb, 0, -1, ENC_NA);
    ot = proto_item_add_subtree(oi, ett_cojp_object);
    if (!cbor_head(&r, &m) || m.major != 5) {
        expert_add_info_format(pinfo, oi, &ei_cojp_cbor, "%s is not a CBOR map (RFC 9031 §8.4)",
                               msg == COJP_JOIN_REQUEST ? "Join_Request" : "Configuration");
        return;
    }
    for (i = 0; i < m.val && !r.err && r.items < COJP_CBOR_ITEMS; i++, r.items++) {
        if (!cbor_head(&r, &k))
            break;
        if (!cbor_int(&k, &label)) { /* Table 5 labels are integers */
            proto_item *bad = proto_tree_add_item(ot, hf_cojp_unknown, tvb, k.start, 1, ENC_NA);
            expert_add_info_format(pinfo, bad, &ei_cojp_param, "map key of CBOR major type %u is not an integer label "
                                   "(RFC 9031 §8.4, Table 5)", k.major);
            if (!cbor_skip_rest(&r, &k, 1) || !cbor_head(&r, &k) || !cbor_skip_rest(&r, &k, 1))
                break;
            continue;
        }
        cojp_param(&r, label, k.start, pinfo, ot, 1);
    }
    if (r.err) {
        proto_item *bad = proto_tree_add_item(ot, hf_cojp_unknown, tvb, r.err_off, r.end - r.err_off, ENC_NA);
        expert_add_info_format(pinfo, bad, &ei_cojp_cbor, "%s at payload offset %d (RFC 8949 §3)", r.err, r.err_off);
    } else if (r.items >= COJP_CBOR_ITEMS) {
        expert_add_info_format(pinfo, oi, &ei_cojp_cbor, "more than %d CBOR items: the rest is not shown",
                               COJP_CBOR_ITEMS);
    } else if (r.off < r.end) {
        expert_add_info_format(pinfo, oi, &ei_cojp_cbor, "%d octets after the CBOR map", r.end - r.off);
    }
}

/* ---- which leg, who sent it, and the sender's latest EB ---- */

static gboolean
addr_is_link_local(const address *a)
{
    const guint8 *b = (const guint8 *)a->data;
    return a->type == AT_IPv6 && a->len == 16 && b[0] == 0xfe && (b[1] & 0xc0) == 0x80; /* RFC 4291 §2.5.6 */
}

/* Byte-order reads of address octets (pinfo addresses, not tvb data).  Local, because
 * wsutil/pint.h renamed pntoh64 / pletoh16 in 4.6 (pntohu64 / pletohu16). */
static guint64
be64_at(const guint8 *b)
{
    guint64 v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | b[i];
    return v;
}

static guint16
le16_at(const guint8 *b)
{
    return (guint16)(b[0] | b[1] << 8);
}

/* The MAC source as the key of eb_by_src: the EUI-64, or the short address under a tag. */
static gboolean
mac_src_key(const packet_info *pinfo, guint64 *key)
{
    const guint8 *b = (const guint8 *)pinfo->dl_src.data;

    if (pinfo->dl_src.type == AT_EUI64 && pinfo->dl_src.len == 8) {
        *key = be64_at(b);
        return TRUE;
    }
    if (pinfo->dl_src.len == 2 && b) { /* 802.15.4 short address, on-air (little-endian) octets */
        *key = ENROLL_SRC_SHORT_TAG | le16_at(b);
        return TRUE;
    }
    return FALSE;
}

/* TRUE when the IPv6 source was formed from this MAC source (the node originated the
 * datagram rather than routing it): IID = EUI-64 with U/L flipped (RFC 4291 App. A), or
 * 0000:00ff:fe00:XXXX for a short address (RFC 6282 §3.2.2). */
static gboolean
net_src_is_mac_src(const packet_info *pinfo, guint64 key)
{
    const guint8 *a = (const guint8 *)pinfo->net_src.data;
    guint64 iid;

    if (pinfo->net_src.type != AT_IPv6 || pinfo->net_src.len != 16)
        return FALSE;
    iid = be64_at(a + 8);
    if ((key & ENROLL_SRC_SHORT_TAG) == ENROLL_SRC_SHORT_TAG)
        return iid == (G_GUINT64_CONSTANT(0x000000fffe000000) | (key & 0xFFFF));
    return iid == (key ^ G_GUINT64_CONSTANT(0x0200000000000000));
}

static void
record_eb(packet_info *pinfo, const ieee802154_packet *pkt, guint proxy)
{
    guint64 node, *k;
    enroll_eb_rec_t *rec;

    if (PINFO_FD_VISITED(pinfo) || !pkt)
        return;
    if (pkt->src_addr_mode == IEEE802154_FCF_ADDR_EXT)
        node = pkt->src64;
    else if (pkt->src_addr_mode == IEEE802154_FCF_ADDR_SHORT)
        node = ENROLL_SRC_SHORT_TAG | pkt->src16;
    else
        return;
    rec = (enroll_eb_rec_t *)wmem_map_lookup(eb_by_src, &node);
    if (!rec) {
        k = wmem_new(wmem_file_scope(), guint64);
        *k = node;
        rec = wmem_new(wmem_file_scope(), enroll_eb_rec_t);
        wmem_map_insert(eb_by_src, k, rec);
    }
    rec->frame = pinfo->num;
    rec->proxy = (guint8)proxy;
}

/* ---- the media_type wrappers ---- */

static const char *
cojp_msg_name(guint msg)
{
    return msg == COJP_JOIN_REQUEST ? "join_request" : "join_response";
}

/* Outer payload of a CoAP message: is it CoJP?  RFC 9031 §8.1.1: a request with Uri-Host
 * "6tisch.arpa" carrying OSCORE; §8.1.2: its response (CoAP matched it to the request by
 * token and copied the request's URI and OSCORE kid context into coap_info). */
static cojp_pkt_t *
cojp_outer(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const coap_info *ci)
{
    const oscore_info_t *oi = ci->oscore_info;
    const char *uri;
    cojp_pkt_t *st;
    guint msg;
    gboolean response, to_ll, from_ll;
    const char *leg;
    proto_item *ti;
    proto_tree *ct;
    guint64 node;

    if (!ci->object_security || !oi || !ci->uri_str_strbuf)
        return NULL;
    uri = wmem_strbuf_get_str(ci->uri_str_strbuf);
    /* packet-coap.c writes "coap://<Uri-Host>" (then ":port", "/path"); DNS names ignore case */
    if (!uri || g_ascii_strncasecmp(uri, "coap://" COJP_HOST, strlen("coap://" COJP_HOST)) != 0 ||
        (uri[strlen("coap://" COJP_HOST)] != '\0' && uri[strlen("coap://" COJP_HOST)] != ':' &&
         uri[strlen("coap://" COJP_HOST)] != '/'))
        return NULL;
    /* RFC 8613 §6.1: every request carries a Partial IV; a response is known through its
     * request.  RFC 9031 §7.3: the pledge sends its identifier as kid context, which also
     * keeps the JRC's Parameter Update requests (§8.2, kid "JRC", no kid context) out. */
    response = oi->response;
    if ((!response && !oi->piv) || !oi->kid_context || oi->kid_context_len == 0)
        return NULL;
    msg = response ? COJP_JOIN_RESPONSE : COJP_JOIN_REQUEST;

    /* RFC 9031 §6: the pledge and its JP talk link-local; the JP forwards to the JRC's
     * routable address.  So the leg follows from the addresses. */
    to_ll = addr_is_link_local(&pinfo->net_dst);
    from_ll = addr_is_link_local(&pinfo->net_src);
    if (msg == COJP_JOIN_REQUEST)
        leg = to_ll ? "pledge_to_jp" : "jp_to_jrc";
    else
        leg = from_ll ? "jp_to_pledge" : "jrc_to_jp";

    st = wmem_new0(pinfo->pool, cojp_pkt_t);
    st->msg = msg;
    st->outer_ds = tvb_get_ds_tvb(tvb);
    p_add_proto_data(pinfo->pool, pinfo, proto_enroll, ENROLL_KEY_COJP_PKT, st);

    proto_item_set_hidden(proto_tree_add_item(tree, proto_enroll, tvb, 0, 0, ENC_NA));
    ti = proto_tree_add_item(tree, hf_cojp, tvb, 0, -1, ENC_NA);
    ct = proto_item_add_subtree(ti, ett_cojp);
    st->tree = ct;
    st->item = ti;
    proto_item_set_generated(proto_tree_add_string(ct, hf_cojp_msg, tvb, 0, 0, cojp_msg_name(msg)));
    proto_item_set_generated(proto_tree_add_string(ct, hf_cojp_leg, tvb, 0, 0, leg));
    /* RFC 9031 §7.3 / §8.1.1: the pledge identifier is the OSCORE ID Context, sent as 'kid context' */
    if (oi->kid_context && oi->kid_context_len > 0)
        proto_item_set_generated(proto_tree_add_bytes_with_length(ct, hf_cojp_pledge_id, tvb, 0, 0, oi->kid_context,
                                                                     oi->kid_context_len));
    proto_item_append_text(ti, ": %s (%s)", cojp_msg_name(msg), leg);
    col_append_sep_str(pinfo->cinfo, COL_INFO, ", ", msg == COJP_JOIN_REQUEST ? "CoJP Join Request" : "CoJP Join Response");

    /* Join traffic a JP sends on a pledge's behalf (the forwarded request, the relayed
     * response) from a node whose latest EB said proxy priority 0x7f: RFC 9032 §2, 0x7f =
     * "not acting as a Join Proxy" (draft-ietf-roll-enrollment-priority: enrollment off). */
    if ((g_strcmp0(leg, "jp_to_jrc") == 0 || g_strcmp0(leg, "jp_to_pledge") == 0) && mac_src_key(pinfo, &node) &&
        net_src_is_mac_src(pinfo, node)) {
        enroll_eb_rec_t *seen = (enroll_eb_rec_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_enroll,
                                                                   ENROLL_KEY_COJP_EB);
        if (!PINFO_FD_VISITED(pinfo) && !seen) { /* first pass: snapshot the latest EB */
            enroll_eb_rec_t *rec = (enroll_eb_rec_t *)wmem_map_lookup(eb_by_src, &node);
            static enroll_eb_rec_t none; /* no EB seen (frame 0) */
            if (rec) {
                seen = wmem_new(wmem_file_scope(), enroll_eb_rec_t);
                *seen = *rec;
            } else {
                seen = &none;
            }
            p_add_proto_data(wmem_file_scope(), pinfo, proto_enroll, ENROLL_KEY_COJP_EB, seen);
        }
        if (seen && seen->frame) {
            proto_item_set_generated(proto_tree_add_uint(ct, hf_cojp_eb_frame, tvb, 0, 0, seen->frame));
            proto_item_set_generated(proto_tree_add_uint(ct, hf_cojp_eb_proxy, tvb, 0, 0, seen->proxy));
            if (seen->proxy == EK_JI_PROXY_NOT_JP)
                expert_add_info_format(pinfo, ti, &ei_cojp_jp_off,
                                       "Join traffic relayed in frame %u by a node whose latest Enhanced Beacon "
                                       "(frame %u) said proxy priority 0x7f: not a Join Proxy (RFC 9032 §2)",
                                       pinfo->num, seen->frame);
        }
    }
    return st;
}

static int
cojp_media(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data, dissector_handle_t stock)
{
    const coap_info *ci;
    cojp_pkt_t *st;

    if (proto_coap > 0 && proto_is_protocol_enabled(enroll_protocol) &&
        proto_is_frame_protocol(pinfo->layers, "coap") &&
        (ci = (const coap_info *)p_get_proto_data(wmem_file_scope(), pinfo, proto_coap, 0)) != NULL) {
        st = (cojp_pkt_t *)p_get_proto_data(pinfo->pool, pinfo, proto_enroll, ENROLL_KEY_COJP_PKT);
        if (!st) {
            cojp_outer(tvb, pinfo, tree, ci); /* the ciphertext itself stays stock (Data) */
        } else if (!st->inner_done && tvb_get_ds_tvb(tvb) != st->outer_ds) {
            /* The decrypted inner payload (RFC 8613 §5.3 plaintext after the 0xFF marker). */
            st->inner_done = TRUE;
            proto_item_set_generated(proto_tree_add_boolean(st->tree, hf_cojp_decrypted, tvb, 0, 0, TRUE));
            cojp_object(tvb, pinfo, st->tree, st->msg);
            return (int)tvb_captured_length(tvb);
        }
    }
    return stock ? call_dissector_with_data(stock, tvb, pinfo, tree, data) : 0;
}

static int
dissect_media_octet(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    return cojp_media(tvb, pinfo, tree, data, stock_octet_handle);
}

static int
dissect_media_cbor(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    return cojp_media(tvb, pinfo, tree, data, stock_cbor_handle);
}

/* ------------------------------------------------------------------------------------
 * RFC 9032 Join-Info, via a wrapper on wpan.payload_ie key 5 (IETF IE, RFC 8137 §5)
 * ------------------------------------------------------------------------------------ */

static void
dissect_join_info(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *ie_item,
                  const ieee802154_packet *pkt)
{
    /* tvb starts at the Subtype octet (RFC 9032 §2 Figure 1). */
    static int *const lit_fields[] = { &hf_ji_r, &hf_ji_p, &hf_ji_res_lit, &hf_ji_proxy_lit,
                                       &hf_ji_rank_lit, NULL };
    static int *const ba_fields[] = { &hf_ji_r, &hf_ji_p, &hf_ji_res_ba, &hf_ji_proxy_ba,
                                      &hf_ji_rank_ba, NULL };
    const guint len = tvb_reported_length(tvb);
    proto_item *ti, *oi;
    proto_tree *jt;
    guint32 w, p, res, proxy, rank, pan, n, off;
    const gboolean lit = pref_ji_profile == JI_LITERAL;

    proto_item_set_hidden(proto_tree_add_item(tree, proto_enroll, tvb, 0, -1, ENC_NA)); /* "enroll" filter */
    ti = proto_tree_add_item(tree, hf_ji, tvb, 0, -1, ENC_NA);
    jt = proto_item_add_subtree(ti, ett_ji);
    proto_item_set_generated(proto_tree_add_string(jt, hf_ji_profile, tvb, 0, 0,
                                                   ji_profile_vals[pref_ji_profile].name));
    /* RFC 9032 §2: the content (Subtype octet included) is 5 + 8*P + N octets with a
     * network ID of N <= 16 octets.  Any other length is malformed and the IE is
     * ignored: no value fields, only the expert item (the enrollkit codec decodes no
     * Join-Info either and reports the error field named with each item below). */
    /* Content not all there (captured short, or the IE Length runs past the frame,
     * IEEE 802.15.4-2015 §7.4.3): its length cannot be judged and no value is shown,
     * as in the codec, which reports only the IE overrun (wpan.payload_ie.len). */
    if ((guint)tvb_captured_length(tvb) < len)
        return;
    if (len < EK_JI_MIN_LEN) { /* codec: enroll.ji.flags / enroll.ji.pan_priority */
        expert_add_info_format(pinfo, ti, &ei_ji_length,
                               "Join Info content is %u octet(s); RFC 9032 §2 needs 5 + 8*P + N (N <= 16)",
                               len);
        return;
    }
    p = (tvb_get_uint8(tvb, 1) >> 6) & 1;
    if (p && len < EK_JI_MIN_LEN + EK_JI_IID_LEN) { /* codec: enroll.ji.join_proxy_iid */
        expert_add_info_format(pinfo, ti, &ei_ji_p_short,
                               "P=1 but only %u of the 8 Join Proxy IID octets are present",
                               len - EK_JI_MIN_LEN);
        return;
    }
    n = len - EK_JI_MIN_LEN - (p ? EK_JI_IID_LEN : 0);
    if (n > EK_JI_NETID_MAX) { /* codec: enroll.ji.network_id */
        expert_add_info_format(pinfo, ti, &ei_ji_netid_long,
                               "Network ID is %u octets; RFC 9032 §2 allows up to 16 (length must be 5 + 8*P + N)",
                               n);
        return;
    }
    /* Octets 1-3: MSB-first bit fields, split per the selected reading of Figure 1. */
    w = tvb_get_ntoh24(tvb, 1);
    if (lit) {
        res = (w >> 19) & 0x7;
        proxy = (w >> 12) & 0x7F;
        rank = w & 0xFFF;
    } else {
        res = (w >> 15) & 0x7F;
        proxy = (w >> 8) & 0x7F;
        rank = w & 0xFF;
    }
    oi = proto_tree_add_bitmask_with_flags(jt, tvb, 1, hf_ji_octets, ett_ji_octets,
                                           lit ? lit_fields : ba_fields, ENC_BIG_ENDIAN, BMT_NO_APPEND);
    proto_tree_add_item_ret_uint(jt, hf_ji_pan, tvb, 4, 1, ENC_NA, &pan);
    off = EK_JI_MIN_LEN;
    if (res)
        expert_add_info_format(pinfo, oi, &ei_ji_reserved,
                               "Reserved bits set (0x%x): MUST be ignored on receipt (RFC 9032 §2)", res);
    if (p) {
        proto_tree_add_item(jt, hf_ji_iid, tvb, (int)off, EK_JI_IID_LEN, ENC_NA);
        off += EK_JI_IID_LEN;
    }
    proto_item_set_generated(proto_tree_add_uint(jt, hf_ji_netid_len, tvb, (int)off, 0, n));
    if (n > 0)
        proto_tree_add_item(jt, hf_ji_netid, tvb, (int)off, (int)n, ENC_NA);

    if (proxy == EK_JI_PROXY_NOT_JP)
        expert_add_info(pinfo, ti, &ei_ji_not_jp);
    record_eb(pinfo, pkt, proxy); /* for the CoJP check (RFC 9032 §2: 0x7f = not a JP) */

    /* Cross-packet: the node's own latest DIO sets the base of its proxy priority
     * (draft-ietf-roll-enrollment-priority-16 §3.2: JP value = min priority + local cost). */
    if (pkt && pkt->src_addr_mode == IEEE802154_FCF_ADDR_EXT) {
        enroll_dio_rec_t *seen = (enroll_dio_rec_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_enroll,
                                                                     ENROLL_KEY_EB_XREF);
        if (!PINFO_FD_VISITED(pinfo) && !seen) { /* first pass: snapshot the latest DIO */
            guint64 node = pkt->src64;
            enroll_dio_rec_t *rec = (enroll_dio_rec_t *)wmem_map_lookup(dio_by_node, &node);
            static enroll_dio_rec_t none; /* shared "no DIO seen" (frame 0), saves an allocation */
            if (rec) {
                seen = wmem_new(wmem_file_scope(), enroll_dio_rec_t);
                *seen = *rec;
            } else {
                seen = &none;
            }
            p_add_proto_data(wmem_file_scope(), pinfo, proto_enroll, ENROLL_KEY_EB_XREF, seen);
        }
        if (seen && seen->frame) {
            proto_item *fi = proto_tree_add_uint(jt, hf_ji_dio_frame, tvb, 0, 0, seen->frame);
            proto_item_set_generated(fi);
            proto_item_set_generated(proto_tree_add_uint(jt, hf_ji_dio_min, tvb, 0, 0, seen->min_prio));
            if (proxy < seen->min_prio)
                expert_add_info_format(pinfo, ti, &ei_ji_below_dio,
                                       "Proxy priority 0x%02x is below the minimum enrollment priority 0x%02x "
                                       "this node advertised in its DIO in frame %u",
                                       proxy, seen->min_prio, seen->frame);
        }
    }

    proto_item_append_text(ti, ": proxy=0x%02x rank=0x%x pan=0x%02x", proxy, rank, pan);
    if (ie_item)
        proto_item_append_text(ie_item, ", Join Info proxy=0x%02x", proxy);
    col_append_prio(pinfo, "JoinInfo proxy=", proxy, " pan=", pan);
}

/* Draw the IETF IE container the way stock ieee802154_create_pie_tree() does, with the
 * borrowed stock fields, so wpan.payload_ie.* and wpan.ietf_ie.sub_id keep working. */
static proto_tree *
draw_ietf_container(tvbuff_t *tvb, proto_tree *ies_tree, proto_item **item_out)
{
    static int *tlv_fields[] = { &hf_wpan_pie_type, &hf_wpan_pie_id, &hf_wpan_pie_len, NULL };
    proto_item *ti = proto_tree_add_item(ies_tree, hf_wpan_pie_ietf, tvb, 0, -1, ENC_NA);
    proto_tree *t = proto_item_add_subtree(ti, ett_ietf_ie);

    proto_tree_add_bitmask_with_flags(t, tvb, 0, hf_wpan_pie_tlv, ett_ietf_tlv, tlv_fields,
                                      ENC_LITTLE_ENDIAN, BMT_NO_FLAGS);
    proto_item_append_text(proto_tree_get_parent(ies_tree), ", IETF Payload IE");
    proto_tree_add_item(t, hf_wpan_ietf_sub_id, tvb, 2, 1, ENC_NA);
    *item_out = ti;
    return t;
}

#if ENROLL_NEED_6P_RELABEL
static void
hide_stock_header(proto_node *node, gpointer data _U_)
{
    field_info *fi = PNODE_FINFO(node);
    if (fi && fi->hfinfo && (fi->hfinfo->id == hf_wpan_pie_tlv || fi->hfinfo->id == hf_wpan_ietf_sub_id))
        proto_item_set_hidden((proto_item *)node);
}

/* RFC 8480 6P uses sub-ID 1; 4.0 only decodes the pre-RFC 0xC9.  Hand the stock 6top code a
 * relabelled copy (its own data source), drawn inside our container with the real Sub-ID. */
static int
dissect_6p_relabel(tvbuff_t *tvb, packet_info *pinfo, proto_tree *ies_tree, void *data)
{
    const guint len = tvb_captured_length(tvb);
    guint8 *copy = (guint8 *)tvb_memdup(pinfo->pool, tvb, 0, len);
    tvbuff_t *ctvb;
    proto_item *ie_item, *note;
    proto_tree *t = draw_ietf_container(tvb, ies_tree, &ie_item);
    proto_node *last;

    copy[2] = EK_IETF_SUBTYPE_6TOP_DRAFT;
    ctvb = tvb_new_child_real_data(tvb, copy, len, tvb_reported_length(tvb));
    add_new_data_source(pinfo, ctvb, "6P IE (sub-ID 1 relabelled 0xC9)");
    note = proto_tree_add_item(t, hf_6p_note, tvb, 2, 1, ENC_NA);
    proto_item_set_generated(note);
    call_dissector_with_data(stock_ietf_handle, ctvb, pinfo, t, data);
    /* The stock container it drew is our last child: keep only its 6top subtree visible. */
    for (last = ((proto_node *)t)->first_child; last && last->next; last = last->next)
        ;
    if (last && PNODE_FINFO(last) && PNODE_FINFO(last)->hfinfo &&
        PNODE_FINFO(last)->hfinfo->id == hf_wpan_pie_ietf) {
        proto_item_set_text((proto_item *)last, "6P (RFC 8480) via the stock 6top dissector");
        proto_tree_children_foreach(last, hide_stock_header, NULL);
    }
    return (int)tvb_reported_length(tvb);
}
#endif

static int
dissect_ietf_ie_wrap(tvbuff_t *tvb, packet_info *pinfo, proto_tree *ies_tree, void *data)
{
    /* tvb = 2-octet payload IE descriptor + Sub-ID + content (packet-ieee802154.c
     * dissect_ieee802154_payload_ie builds it so; RFC 8137 §4). */
    const guint len = tvb_reported_length(tvb);
    guint8 sub;
    proto_item *ie_item;
    proto_tree *t;

    if (len < 3 || tvb_captured_length(tvb) < 3 || !proto_is_protocol_enabled(enroll_protocol))
        return call_dissector_with_data(stock_ietf_handle, tvb, pinfo, ies_tree, data);
    sub = tvb_get_uint8(tvb, 2);
#if ENROLL_NEED_6P_RELABEL
    if (sub == EK_IETF_SUBTYPE_6P && pref_6p_subtype1 && pref_ji_subtype != EK_IETF_SUBTYPE_6P &&
        tvb_captured_length(tvb) == len && len >= 2 + 5)
        return dissect_6p_relabel(tvb, pinfo, ies_tree, data);
#endif
    if (sub != pref_ji_subtype || hf_wpan_pie_ietf < 0 || hf_wpan_pie_tlv < 0 || hf_wpan_ietf_sub_id < 0)
        return call_dissector_with_data(stock_ietf_handle, tvb, pinfo, ies_tree, data);

    t = draw_ietf_container(tvb, ies_tree, &ie_item);
    /* No TRY here: dissect_ieee802154_payload_ie() catches exceptions per IE. */
    dissect_join_info(tvb_new_subset_remaining(tvb, 2), pinfo, t, ie_item, (const ieee802154_packet *)data);
    return (int)len;
}

/* ------------------------------------------------------------------------------------ */

static void
enroll_prefs_apply(void)
{
    if (pref_mep_type > 0xFF)
        pref_mep_type = EK_MEP_TYPE_PROVISIONAL;
    if (pref_ji_subtype > 0xFF)
        pref_ji_subtype = EK_IETF_SUBTYPE_JOIN_INFO;
#ifdef ENROLL_MEP_POSTDISSECTOR
    update_wanted_hfids();
#endif
}

void
proto_register_enroll(void)
{
    static hf_register_info hf[] = {
        /* RFC 9032 §2 */
        { &hf_ji, { "6TiSCH Join Info (RFC 9032)", "enroll.ji", FT_NONE, BASE_NONE, NULL, 0x0,
                    "6tisch-Join-Info IETF IE subtype (Enrollment IE)", HFILL } },
        { &hf_ji_profile, { "Decoded with profile", "enroll.ji.profile", FT_STRING, BASE_NONE, NULL, 0x0,
                            "enroll.ji_profile preference in effect", HFILL } },
        { &hf_ji_octets, { "Flags and priorities", "enroll.ji.octets", FT_UINT24, BASE_HEX, NULL, 0x0,
                           "Raw octets 1-3 (R, P, res, proxy priority, rank priority)", HFILL } },
        { &hf_ji_r, { "R (router for SLAAC hosts)", "enroll.ji.r", FT_BOOLEAN, 24, NULL, 0x800000,
                      NULL, HFILL } },
        { &hf_ji_p, { "P (Join Proxy IID present)", "enroll.ji.p", FT_BOOLEAN, 24, NULL, 0x400000,
                      NULL, HFILL } },
        { &hf_ji_res_lit, { "Reserved", "enroll.ji.reserved", FT_UINT24, BASE_HEX, NULL, 0x380000,
                            NULL, HFILL } },
        { &hf_ji_proxy_lit, { "Proxy priority", "enroll.ji.proxy_priority", FT_UINT24, BASE_DEC_HEX, NULL,
                              0x07F000, "Willingness to act as Join Proxy; 0x7f = never", HFILL } },
        { &hf_ji_rank_lit, { "Rank priority", "enroll.ji.rank_priority", FT_UINT24, BASE_DEC_HEX, NULL,
                             0x000FFF, NULL, HFILL } },
        { &hf_ji_res_ba, { "Reserved", "enroll.ji.reserved", FT_UINT24, BASE_HEX, NULL, 0x3F8000,
                           NULL, HFILL } },
        { &hf_ji_proxy_ba, { "Proxy priority", "enroll.ji.proxy_priority", FT_UINT24, BASE_DEC_HEX, NULL,
                             0x007F00, "Willingness to act as Join Proxy; 0x7f = never", HFILL } },
        { &hf_ji_rank_ba, { "Rank priority", "enroll.ji.rank_priority", FT_UINT24, BASE_DEC_HEX, NULL,
                            0x0000FF, NULL, HFILL } },
        { &hf_ji_pan, { "PAN priority", "enroll.ji.pan_priority", FT_UINT8, BASE_DEC_HEX, NULL, 0x0,
                        NULL, HFILL } },
        { &hf_ji_iid, { "Join Proxy Interface ID", "enroll.ji.join_proxy_iid", FT_BYTES, BASE_NONE, NULL, 0x0,
                        "IID of the Join Proxy's fe80::/64 address (present if P=1)", HFILL } },
        { &hf_ji_netid, { "Network ID", "enroll.ji.network_id", FT_BYTES, BASE_NONE, NULL, 0x0,
                          NULL, HFILL } },
        { &hf_ji_netid_len, { "Network ID length", "enroll.ji.network_id_len", FT_UINT32, BASE_DEC, NULL, 0x0,
                              NULL, HFILL } },
        { &hf_ji_dio_frame, { "Own DIO in frame", "enroll.ji.dio_frame", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
                              "Latest earlier DIO from this node (fe80:: IID matched to the EB source)", HFILL } },
        { &hf_ji_dio_min, { "Min priority in own DIO", "enroll.ji.dio_min_priority", FT_UINT8, BASE_DEC_HEX,
                            NULL, 0x0, NULL, HFILL } },
        { &hf_6p_note, { "Sub-ID 1 is 6P (RFC 8480)", "enroll.ietf_6p", FT_UINT8, BASE_DEC, NULL, 0x0,
                         "Decoded by the stock 6top dissector from a copy relabelled 0xC9", HFILL } },

        /* draft-ietf-roll-enrollment-priority */
        { &hf_mep, { "Minimum Enrollment Priority", "enroll.mep", FT_NONE, BASE_NONE, NULL, 0x0,
                     "RPL DIO option (draft-ietf-roll-enrollment-priority)", HFILL } },
        { &hf_mep_profile, { "Decoded with profile", "enroll.mep.profile", FT_STRING, BASE_NONE, NULL, 0x0,
                             "enroll.mep_profile preference in effect", HFILL } },
        { &hf_mep_type, { "Type", "enroll.mep.type", FT_UINT8, BASE_DEC_HEX, NULL, 0x0,
                          "Option type (TBD01; enroll.mep_option_type)", HFILL } },
        { &hf_mep_length, { "Length", "enroll.mep.length", FT_UINT8, BASE_DEC, NULL, 0x0,
                            "Option data length (RFC 6550 §6.7.1)", HFILL } },
        { &hf_mep_r, { "R (reserved)", "enroll.mep.r", FT_BOOLEAN, 8, NULL, 0x80, NULL, HFILL } },
        { &hf_mep_min, { "Min priority", "enroll.mep.min_priority", FT_UINT8, BASE_DEC_HEX, NULL, 0x7F,
                         "Minimum enrollment priority; 0x7f = enrollment disabled", HFILL } },
        { &hf_mep_version, { "Version", "enroll.mep.version", FT_UINT8, BASE_DEC, NULL, 0x0,
                             "Lollipop version (RFC 6550 §7.2)", HFILL } },
        { &hf_mep_t, { "T (reset Trickle)", "enroll.mep.t", FT_BOOLEAN, 8, NULL, 0x80, NULL, HFILL } },
        { &hf_mep_exp8, { "Exp", "enroll.mep.exp", FT_UINT8, BASE_DEC, NULL, 0xF0, NULL, HFILL } },
        { &hf_mep_exp16, { "Exp", "enroll.mep.exp", FT_UINT16, BASE_DEC, NULL, 0xF000, NULL, HFILL } },
        { &hf_mep_size4, { "DODAGSz", "enroll.mep.dodag_size_code", FT_UINT8, BASE_DEC, NULL, 0x0F,
                           NULL, HFILL } },
        { &hf_mep_size12, { "DODAG_Size", "enroll.mep.dodag_size_code", FT_UINT16, BASE_DEC, NULL, 0x0FFF,
                            NULL, HFILL } },
        { &hf_mep_size, { "DODAG size", "enroll.mep.dodag_size", FT_UINT32, BASE_DEC, NULL, 0x0,
                          "DODAG size = size code * 2^Exp", HFILL } },
        { &hf_mep_trailing, { "Trailing octets", "enroll.mep.trailing", FT_BYTES, BASE_NONE, NULL, 0x0,
                              "Length 4 under draft-16: the octet after the 3-octet body (ignored)", HFILL } },

        /* RFC 9031 §8 CoJP */
        { &hf_cojp, { "Enrollment: CoJP", "enroll.cojp", FT_NONE, BASE_NONE, NULL, 0x0,
                      "Constrained Join Protocol message (RFC 9031 §8.1)", HFILL } },
        { &hf_cojp_msg, { "Message", "enroll.cojp.msg", FT_STRING, BASE_NONE, NULL, 0x0,
                          "join_request (RFC 9031 §8.1.1) or join_response (§8.1.2)", HFILL } },
        { &hf_cojp_leg, { "Leg", "enroll.cojp.leg", FT_STRING, BASE_NONE, NULL, 0x0,
                          "pledge_to_jp, jp_to_jrc, jrc_to_jp or jp_to_pledge (RFC 9031 §6: link-local "
                          "between pledge and JP)", HFILL } },
        { &hf_cojp_pledge_id, { "Pledge identifier", "enroll.cojp.pledge_id", FT_BYTES, BASE_NONE, NULL, 0x0,
                                "OSCORE kid context = ID Context = pledge identifier (RFC 9031 §7.3)", HFILL } },
        { &hf_cojp_eb_frame, { "Sender's latest EB in frame", "enroll.cojp.eb_frame", FT_FRAMENUM, BASE_NONE, NULL,
                               0x0, "Latest earlier Enhanced Beacon with Join-Info from the relaying node", HFILL } },
        { &hf_cojp_eb_proxy, { "Proxy priority in that EB", "enroll.cojp.eb_proxy_priority", FT_UINT8, BASE_DEC_HEX,
                               NULL, 0x0, "RFC 9032 §2; 0x7f = not a Join Proxy", HFILL } },
        { &hf_cojp_decrypted, { "Decrypted", "enroll.cojp.decrypted", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
                                "Wireshark's OSCORE dissector decrypted the payload (oscore UAT)", HFILL } },
        { &hf_cojp_join_request, { "Join_Request object", "enroll.cojp.join_request", FT_NONE, BASE_NONE, NULL, 0x0,
                                   "CBOR map (RFC 9031 §8.4.1)", HFILL } },
        { &hf_cojp_configuration, { "Configuration object", "enroll.cojp.configuration", FT_NONE, BASE_NONE, NULL,
                                    0x0, "CBOR map (RFC 9031 §8.4.2)", HFILL } },
        { &hf_cojp_role, { "role (1)", "enroll.cojp.role", FT_UINT64, BASE_DEC, NULL, 0x0,
                           "0 = 6TiSCH Node, 1 = 6LBR (RFC 9031 §8.4.1 Table 3)", HFILL } },
        { &hf_cojp_network_id, { "network identifier (5)", "enroll.cojp.network_id", FT_BYTES, BASE_NONE, NULL, 0x0,
                                 NULL, HFILL } },
        { &hf_cojp_key_set, { "link-layer key set (2)", "enroll.cojp.key_set", FT_NONE, BASE_NONE, NULL, 0x0,
                              NULL, HFILL } },
        { &hf_cojp_key, { "Link_Layer_Key", "enroll.cojp.key", FT_NONE, BASE_NONE, NULL, 0x0,
                          "RFC 9031 §8.4.3", HFILL } },
        { &hf_cojp_key_id, { "key_id", "enroll.cojp.key_id", FT_UINT64, BASE_DEC, NULL, 0x0,
                             "Key index (secKeyIndex in IEEE 802.15.4; RFC 9031 §8.4.3.3)", HFILL } },
        { &hf_cojp_key_usage, { "key_usage", "enroll.cojp.key_usage", FT_UINT32, BASE_DEC, VALS(cojp_key_usage_vals),
                                0x0, "RFC 9031 §8.4.3 Table 6; absent = 0", HFILL } },
        { &hf_cojp_key_value, { "key_value", "enroll.cojp.key_value", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_cojp_key_addinfo, { "key_addinfo", "enroll.cojp.key_addinfo", FT_BYTES, BASE_NONE, NULL, 0x0,
                                  NULL, HFILL } },
        { &hf_cojp_short_id_obj, { "short identifier (3)", "enroll.cojp.short_identifier", FT_NONE, BASE_NONE, NULL,
                                   0x0, "RFC 9031 §8.4.4", HFILL } },
        { &hf_cojp_short_id, { "identifier", "enroll.cojp.short_id", FT_BYTES, BASE_NONE, NULL, 0x0,
                               "IEEE 802.15.4 short address (RFC 9031 §8.4.4.1)", HFILL } },
        { &hf_cojp_lease_time, { "lease_time (hours)", "enroll.cojp.lease_time", FT_UINT64, BASE_DEC, NULL, 0x0,
                                 NULL, HFILL } },
        { &hf_cojp_jrc_address, { "JRC address (4)", "enroll.cojp.jrc_address", FT_IPv6, BASE_NONE, NULL, 0x0,
                                  NULL, HFILL } },
        { &hf_cojp_blacklist_obj, { "blacklist (6)", "enroll.cojp.blacklist_set", FT_NONE, BASE_NONE, NULL, 0x0,
                                    NULL, HFILL } },
        { &hf_cojp_blacklist, { "Blacklisted pledge identifier", "enroll.cojp.blacklist", FT_BYTES, BASE_NONE, NULL,
                                0x0, NULL, HFILL } },
        { &hf_cojp_join_rate, { "join rate (7)", "enroll.cojp.join_rate", FT_UINT64, BASE_DEC, NULL, 0x0,
                                "Bytes per second (RFC 9031 §8.4.2)", HFILL } },
        { &hf_cojp_unsupported, { "unsupported configuration (8)", "enroll.cojp.unsupported", FT_NONE, BASE_NONE,
                                  NULL, 0x0, "RFC 9031 §8.4.5", HFILL } },
        { &hf_cojp_unsupported_code, { "code", "enroll.cojp.unsupported_code", FT_UINT32, BASE_DEC,
                                       VALS(cojp_unsupported_code_vals), 0x0, NULL, HFILL } },
        { &hf_cojp_unsupported_label, { "parameter_label", "enroll.cojp.unsupported_label", FT_UINT32, BASE_DEC,
                                        VALS(cojp_label_vals), 0x0, NULL, HFILL } },
        { &hf_cojp_unknown, { "Undecoded CBOR", "enroll.cojp.undecoded", FT_NONE, BASE_NONE, NULL, 0x0,
                              "Parameter or element the CoJP walker did not decode", HFILL } },
    };
    static gint *ett[] = { &ett_ji, &ett_ji_octets, &ett_ietf_ie, &ett_ietf_tlv, &ett_mep, &ett_cojp,
                           &ett_cojp_object, &ett_cojp_param, &ett_cojp_key };
    static ei_register_info ei[] = {
        { &ei_ji_length, { "enroll.ji.length_bad", PI_MALFORMED, PI_ERROR,
                           "Join Info length is not 5 + 8*P + N (N <= 16)", EXPFILL } },
        { &ei_ji_p_short, { "enroll.ji.iid_short", PI_MALFORMED, PI_ERROR,
                            "P=1 without the 8 Join Proxy IID octets", EXPFILL } },
        { &ei_ji_netid_long, { "enroll.ji.network_id_long", PI_MALFORMED, PI_ERROR,
                               "Network ID longer than 16 octets", EXPFILL } },
        { &ei_ji_reserved, { "enroll.ji.reserved_set", PI_PROTOCOL, PI_WARN,
                             "Reserved bits set", EXPFILL } },
        { &ei_ji_not_jp, { "enroll.ji.not_join_proxy", PI_PROTOCOL, PI_NOTE,
                           "Proxy priority 0x7f: not a Join Proxy", EXPFILL } },
        { &ei_ji_below_dio, { "enroll.ji.below_dio_min", PI_SEQUENCE, PI_WARN,
                              "Proxy priority below the node's own DIO minimum enrollment priority", EXPFILL } },
        { &ei_mep_length, { "enroll.mep.length_bad", PI_MALFORMED, PI_ERROR,
                            "Option length does not fit the selected profile: option ignored", EXPFILL } },
        { &ei_mep_erratum, { "enroll.mep.length_erratum", PI_PROTOCOL, PI_NOTE,
                             "Length 4 with the draft-16 layout: the -10..-16 \"Opt Length = 4\" erratum "
                             "(body is 3 octets; 1 trailing octet)", EXPFILL } },
        { &ei_mep_reserved, { "enroll.mep.reserved_set", PI_PROTOCOL, PI_WARN,
                              "Reserved bit R set (SHOULD be 0, MUST be ignored)", EXPFILL } },
        { &ei_mep_disabled, { "enroll.mep.disabled", PI_PROTOCOL, PI_NOTE,
                              "Min priority 0x7f: enrollment disabled", EXPFILL } },
        { &ei_cojp_jp_off, { "enroll.cojp.jp_off", PI_SEQUENCE, PI_WARN,
                             "Join traffic relayed by a node whose latest EB said proxy priority 0x7f", EXPFILL } },
        { &ei_cojp_cbor, { "enroll.cojp.cbor_bad", PI_MALFORMED, PI_ERROR,
                           "CoJP payload is not well-formed CBOR the walker can follow", EXPFILL } },
        { &ei_cojp_param, { "enroll.cojp.param_bad", PI_PROTOCOL, PI_WARN,
                            "CoJP parameter does not match RFC 9031 §8.4", EXPFILL } },
    };
    module_t *m;
    expert_module_t *em;

    proto_enroll = proto_register_protocol("6TiSCH Network Enrollment Control", "Enroll", "enroll");
    enroll_protocol = find_protocol_by_id(proto_enroll);
    proto_register_field_array(proto_enroll, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    em = expert_register_protocol(proto_enroll);
    expert_register_field_array(em, ei, array_length(ei));

    m = prefs_register_protocol(proto_enroll, enroll_prefs_apply);
    prefs_register_uint_preference(m, "mep_option_type", "MEP RPL option type",
                                   "RPL control message option type of the Minimum Enrollment Priority option. "
                                   "IANA has not assigned one (TBD01): the default 0x2A is enrollkit's "
                                   "provisional value. 0 turns the option decoding off.",
                                   16, &pref_mep_type);
    prefs_register_enum_preference(m, "mep_profile", "MEP option layout",
                                   "Draft revision whose layout is used; lengths that do not fit are flagged, "
                                   "never guessed", &pref_mep_profile, mep_profile_vals, FALSE);
    prefs_register_enum_preference(m, "ji_profile", "Join Info bit layout",
                                   "Reading of RFC 9032 Figure 1 for octets 1-3", &pref_ji_profile,
                                   ji_profile_vals, FALSE);
    prefs_register_uint_preference(m, "ji_subtype", "Join Info IETF IE subtype",
                                   "IETF IE Sub-ID of 6tisch-Join-Info (RFC 9032 §5: 2)", 10, &pref_ji_subtype);
#if ENROLL_NEED_6P_RELABEL
    prefs_register_bool_preference(m, "decode_6p_subtype1", "Decode 6P sub-ID 1 with the stock 6top dissector",
                                   "This Wireshark only decodes the pre-RFC sub-ID 0xC9; decode RFC 8480 "
                                   "sub-ID 1 by handing it a relabelled copy. The copy's header fields stay "
                                   "in the tree as hidden items (wpan.ietf_ie.sub_id 201), hence off by default", &pref_6p_subtype1);
#endif

#ifdef ENROLL_MEP_POSTDISSECTOR
    post_handle = register_dissector("enroll_post", dissect_enroll_post, proto_enroll);
    register_postdissector(post_handle);
#endif
    dio_by_node = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_int64_hash, g_int64_equal);
    eb_by_src = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_int64_hash, g_int64_equal);
}

void
proto_reg_handoff_enroll(void)
{
    dissector_table_t pie = find_dissector_table(IEEE802154_PAYLOAD_IE_DTABLE);

    hf_wpan_pie_ietf = proto_registrar_get_id_byname("wpan.payload_ie.ietf");
    hf_wpan_pie_tlv = proto_registrar_get_id_byname("wpan.payload_ie_tlv");
    hf_wpan_pie_type = proto_registrar_get_id_byname("wpan.payload_ie.type");
    hf_wpan_pie_id = proto_registrar_get_id_byname("wpan.payload_ie.id");
    hf_wpan_pie_len = proto_registrar_get_id_byname("wpan.payload_ie.length");
    hf_wpan_ietf_sub_id = proto_registrar_get_id_byname("wpan.ietf_ie.sub_id");
    hf_icmpv6_type = proto_registrar_get_id_byname("icmpv6.type");
    hf_icmpv6_code = proto_registrar_get_id_byname("icmpv6.code");
    hf_icmpv6_rpl_opt_type = proto_registrar_get_id_byname("icmpv6.rpl.opt.type");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");

    /* Plugin handoffs run after the built-in ones, so the stock entry is there to wrap.
     * Protocol -1: disabling "enroll" must not remove the IETF IE entry (and 6top with it);
     * the wrapper checks proto_is_protocol_enabled() itself. */
    if (pie && hf_wpan_pie_type >= 0 && hf_wpan_pie_id >= 0 && hf_wpan_pie_len >= 0) {
        stock_ietf_handle = dissector_get_uint_handle(pie, IEEE802154_PAYLOAD_IE_IETF);
        if (stock_ietf_handle)
            dissector_add_uint(IEEE802154_PAYLOAD_IE_DTABLE, IEEE802154_PAYLOAD_IE_IETF,
                               create_dissector_handle(dissect_ietf_ie_wrap, -1));
    }

    /* CoJP: wrap the media_type entries CoAP hands its payloads to (see the CoJP section).
     * Protocol -1 plus our own name/description, as for ip.proto above; the stock handle
     * keeps every payload that is not CoJP. */
    proto_coap = proto_get_id_by_filter_name("coap");
    {
        dissector_table_t media = find_dissector_table("media_type");
        if (media && proto_coap > 0) {
            stock_octet_handle = dissector_get_string_handle(media, "application/octet-stream");
            stock_cbor_handle = dissector_get_string_handle(media, "application/cbor");
            dissector_add_string("media_type", "application/octet-stream",
                                 create_dissector_handle_with_name_and_description(
                                     dissect_media_octet, -1, "enroll_cojp_octet",
                                     "CoJP payload or stock octet-stream (enroll)"));
            dissector_add_string("media_type", "application/cbor",
                                 create_dissector_handle_with_name_and_description(
                                     dissect_media_cbor, -1, "enroll_cojp_cbor",
                                     "CoJP payload or stock CBOR (enroll)"));
        }
    }
#ifndef ENROLL_MEP_POSTDISSECTOR
    stock_icmpv6_handle = find_dissector("icmpv6");
    if (stock_icmpv6_handle && proto_icmpv6 >= 0)
        dissector_add_uint("ip.proto", IP_PROTO_ICMPV6,
                           create_dissector_handle_with_name_and_description(
                               dissect_icmpv6_wrap, -1, "enroll_icmpv6",
                               "ICMPv6 with enrollment option (enroll)"));
#else
    (void)stock_icmpv6_handle;
    update_wanted_hfids();
#endif
}
