/* SPDX-License-Identifier: BSD-3-Clause */
/* Reports of the network checker (ek/ncreport.h): text, JSON Lines, JUnit XML and the
 * annotated pcapng.  Strings from users (node names) are reduced to printable ASCII
 * before they reach JSON or XML, so a report always parses. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "ek/ncreport.h"
#include "ek/pcapng.h"

/* ---- words ---------------------------------------------------------------------------- */

const char *ek_ncr_outcome_word(ek_nc_outcome o)
{
    switch (o) {
    case EK_NC_PASS: return "pass";
    case EK_NC_FAIL: return "fail";
    case EK_NC_INFO: return "info";
    default: return "not judged";
    }
}

static ek_nc_outcome run_outcome(const ek_netcheck *nc)
{
    ek_nc_outcome worst = EK_NC_NOT_JUDGED;
    for (size_t i = 0; i < ek_nc_node_count(nc); i++) {
        ek_nc_outcome o = ek_nc_node_outcome(nc, i);
        if (o > worst)
            worst = o;
    }
    return worst;
}

int ek_ncr_exit_status(const ek_netcheck *nc)
{
    ek_nc_outcome o = run_outcome(nc);
    return o == EK_NC_FAIL ? EK_NCR_EXIT_FAIL : o == EK_NC_NOT_JUDGED ? EK_NCR_EXIT_NOTHING : EK_NCR_EXIT_PASS;
}

const char *ek_ncr_run_word(const ek_netcheck *nc)
{
    ek_nc_outcome o = run_outcome(nc);
    return o == EK_NC_FAIL ? "FAIL" : o == EK_NC_NOT_JUDGED ? "NOTHING JUDGED" : "PASS";
}

static const char *sev_word(ek_monitor_severity s)
{
    return s == EK_MON_FAIL ? "FAIL" : "INFO";
}

static void roles_text(uint32_t roles, char *buf, size_t len)
{
    static const char *const names[] = { "root", "6lr", "jp", "leaf" };
    size_t w = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < 4; i++)
        if (roles & (1u << i))
            w += (size_t)snprintf(buf + w, w < len ? len - w : 0, "%s%s", w ? "," : "", names[i]);
    if (!w)
        snprintf(buf, len, "-");
}

static void ext_text(const ek_nc_node *n, char out[24])
{
    const uint8_t *e = n->ext;
    snprintf(out, 24, "%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x", e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7]);
}

static size_t total_findings(const ek_netcheck *nc, bool fails_only)
{
    size_t rules_n, sum = 0;
    const ek_nc_rule *rules = ek_nc_rules(&rules_n);
    (void)rules;
    for (size_t i = 0; i < ek_nc_node_count(nc); i++)
        for (unsigned r = 0; r < rules_n; r++) {
            ek_nc_tally t = ek_nc_node_tally(nc, i, r);
            sum += t.failed + (fails_only ? 0 : t.info);
        }
    return sum;
}

/* ---- text ------------------------------------------------------------------------------- */

void ek_ncr_text(FILE *o, const ek_netcheck *nc)
{
    size_t n_rules;
    const ek_nc_rule *rules = ek_nc_rules(&n_rules);
    size_t nn = ek_nc_node_count(nc);
    fprintf(o, "%-44s %-10s %-12s %8s %6s %6s  %s\n", "node", "outcome", "roles", "frames", "rules", "failed",
            "failed rules");
    for (size_t i = 0; i < nn; i++) {
        const ek_nc_node *n = ek_nc_node_at(nc, i);
        char label[96], roles[32], failed[256] = "";
        ek_nc_node_label(nc, i, label, sizeof label);
        roles_text(n->roles, roles, sizeof roles);
        unsigned judged = 0, nfail = 0;
        size_t w = 0;
        for (unsigned r = 0; r < n_rules; r++) {
            ek_nc_tally t = ek_nc_node_tally(nc, i, r);
            judged += t.judged > 0 || t.failed > 0;
            if (t.failed) {
                nfail++;
                if (w < sizeof failed) {
                    int k = snprintf(failed + w, sizeof failed - w, "%s%s (%s)", w ? ", " : "", rules[r].name,
                                     rules[r].req[0] ? rules[r].req : "-");
                    w = k < 0 ? sizeof failed : w + (size_t)k;
                }
            }
        }
        fprintf(o, "%-44s %-10s %-12s %8" PRIu64 " %6u %6u  %s\n", label,
                ek_ncr_outcome_word(ek_nc_node_outcome(nc, i)), roles, n->frames, judged, nfail, failed);
    }
    bool any = false;
    for (size_t i = 0; i < nn; i++) {
        size_t k;
        const ek_nc_finding *f = ek_nc_node_findings(nc, i, &k);
        for (size_t j = 0; j < k; j++) {
            if (!any)
                fputs("\nfindings (the first 8 of each rule per node):\n", o);
            any = true;
            char label[96];
            ek_nc_node_label(nc, i, label, sizeof label);
            const ek_nc_rule *r = &rules[f[j].rule];
            fprintf(o, "  %s %s %s%s%s frame %" PRIu64 ": %s: %s\n", sev_word(f[j].severity), label, r->name,
                    r->req[0] ? " " : "", r->req, f[j].frame_no, r->section, f[j].msg);
        }
    }
    size_t nfail = 0, njudged = 0;
    for (size_t i = 0; i < nn; i++) {
        ek_nc_outcome oc = ek_nc_node_outcome(nc, i);
        nfail += oc == EK_NC_FAIL;
        njudged += oc != EK_NC_NOT_JUDGED;
    }
    fprintf(o, "\n%s: %zu nodes (%zu judged, %zu fail, %zu not judged), %" PRIu64 " frames (%" PRIu64
               " without a sender), %zu findings\n",
            ek_ncr_run_word(nc), nn, njudged, nfail, nn - njudged, ek_nc_frames(nc), ek_nc_frames_unattributed(nc),
            total_findings(nc, false));
    if (ek_nc_nodes_dropped(nc))
        fprintf(o, "warning: %" PRIu64 " frames from senders beyond the node limit were not judged\n",
                ek_nc_nodes_dropped(nc));
    if (ek_nc_frames_corrupted(nc))
        fprintf(o, "%" PRIu64 " frames with a bad FCS were counted against nobody\n", ek_nc_frames_corrupted(nc));
}

/* ---- JSON Lines ------------------------------------------------------------------------- */

static void json_str(FILE *o, const char *s)
{
    fputc('"', o);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(o, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(o, "\\u%04x", *p);
        else if (*p < 0x7f)
            fputc(*p, o);
        else if (*p >= 0xc2 && *p <= 0xf4 && (p[1] & 0xc0) == 0x80) {
            /* pass well-formed multi-octet UTF-8 sequences through (§ signs in sections) */
            size_t len = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;
            size_t k = 1;
            while (k < len && (p[k] & 0xc0) == 0x80)
                k++;
            if (k == len) {
                fwrite(p, 1, len, o);
                p += len - 1;
            } else {
                fputc('?', o);
            }
        } else
            fputc('?', o);
    }
    fputc('"', o);
}

static void json_node_ref(FILE *o, const ek_netcheck *nc, size_t i)
{
    char a[24];
    const ek_nc_node *n = ek_nc_node_at(nc, i);
    ext_text(n, a);
    fputs("\"node\":", o);
    json_str(o, a);
    fputs(",\"name\":", o);
    json_str(o, n->name);
}

void ek_ncr_jsonl_finding(FILE *o, const ek_netcheck *nc, const ek_nc_finding *f)
{
    size_t n_rules;
    const ek_nc_rule *r = &ek_nc_rules(&n_rules)[f->rule];
    fputs("{\"type\":\"finding\",", o);
    json_node_ref(o, nc, f->node);
    fputs(",\"rule\":", o);
    json_str(o, r->name);
    fputs(",\"req\":", o);
    json_str(o, r->req);
    fputs(",\"section\":", o);
    json_str(o, r->section);
    fprintf(o, ",\"severity\":\"%s\",\"frame\":%" PRIu64 ",\"other_frame\":", sev_word(f->severity), f->frame_no);
    if (f->other_frame_no)
        fprintf(o, "%" PRIu64, f->other_frame_no);
    else
        fputs("null", o);
    fprintf(o, ",\"t\":%.6f,\"msg\":", (double)f->t_ns / 1e9);
    json_str(o, f->msg);
    fputs("}\n", o);
}

void ek_ncr_jsonl_end(FILE *o, const ek_netcheck *nc, bool findings_streamed)
{
    size_t n_rules;
    const ek_nc_rule *rules = ek_nc_rules(&n_rules);
    size_t nn = ek_nc_node_count(nc);
    if (!findings_streamed)
        for (size_t i = 0; i < nn; i++) {
            size_t k;
            const ek_nc_finding *f = ek_nc_node_findings(nc, i, &k);
            for (size_t j = 0; j < k; j++)
                ek_ncr_jsonl_finding(o, nc, &f[j]);
        }
    static const char *const role_names[] = { "root", "6lr", "jp", "leaf" };
    for (size_t i = 0; i < nn; i++) {
        const ek_nc_node *n = ek_nc_node_at(nc, i);
        fputs("{\"type\":\"node\",", o);
        json_node_ref(o, nc, i);
        fprintf(o, ",\"outcome\":\"%s\",\"roles\":[", ek_ncr_outcome_word(ek_nc_node_outcome(nc, i)));
        bool first = true;
        for (unsigned b = 0; b < 4; b++)
            if (n->roles & (1u << b)) {
                fprintf(o, "%s\"%s\"", first ? "" : ",", role_names[b]);
                first = false;
            }
        fprintf(o,
                "],\"frames\":%" PRIu64 ",\"dios\":%" PRIu64 ",\"ebs\":%" PRIu64 ",\"malformed\":%" PRIu64
                ",\"fcs_bad\":%" PRIu64 ",\"parent\":",
                n->frames, n->dios, n->ebs, n->malformed, n->fcs_bad);
        if (n->has_parent) {
            char a[24];
            ext_text(ek_nc_node_at(nc, n->parent), a);
            json_str(o, a);
            fputs(",\"parent_how\":", o);
            json_str(o, n->parent_how ? n->parent_how : "");
        } else {
            fputs("null,\"parent_how\":null", o);
        }
        fputs(",\"rules\":{", o);
        for (unsigned r = 0; r < n_rules; r++) {
            ek_nc_tally t = ek_nc_node_tally(nc, i, r);
            fprintf(o, "%s\"%s\":{\"judged\":%" PRIu64 ",\"failed\":%" PRIu64 ",\"info\":%" PRIu64 ",\"outcome\":\"%s\"}",
                    r ? "," : "", rules[r].name, t.judged, t.failed, t.info, ek_ncr_outcome_word(ek_nc_tally_outcome(&t)));
        }
        fputs("}}\n", o);
    }
    size_t np;
    const ek_nc_pair *p = ek_nc_pairs(nc, &np);
    static const char *const rel[] = { "parent", "adopted-min", "heard-eb", "copied", "below-parent" };
    for (size_t i = 0; i < np; i++) {
        char a[24], b[24];
        ext_text(ek_nc_node_at(nc, p[i].a), a);
        ext_text(ek_nc_node_at(nc, p[i].b), b);
        fprintf(o, "{\"type\":\"pair\",\"a\":\"%s\",\"b\":\"%s\",\"relations\":[", a, b);
        bool first = true;
        for (unsigned k = 0; k < 5; k++)
            if (p[i].bits & (1u << k)) {
                fprintf(o, "%s\"%s\"", first ? "" : ",", rel[k]);
                first = false;
            }
        fprintf(o, "],\"frame\":%" PRIu64 "}\n", p[i].frame_no);
    }
    fprintf(o,
            "{\"type\":\"run\",\"verdict\":\"%s\",\"nodes\":%zu,\"frames\":%" PRIu64 ",\"unattributed\":%" PRIu64
            ",\"findings\":%zu,\"fails\":%zu}\n",
            ek_ncr_run_word(nc), nn, ek_nc_frames(nc), ek_nc_frames_unattributed(nc), total_findings(nc, false),
            total_findings(nc, true));
}

/* ---- JUnit -------------------------------------------------------------------------------- */

typedef struct xw {
    xmlTextWriterPtr w;
    int rc;
} xw;

static void chk(xw *c, int r)
{
    if (r < 0 && c->rc >= 0)
        c->rc = r;
}

/* printable ASCII and well-formed UTF-8 pass; anything else becomes '?' */
static void clean(const char *s, char *out, size_t cap)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && w + 5 < cap; p++) {
        if (*p >= 0x20 && *p < 0x7f) {
            out[w++] = (char)*p;
        } else if (*p >= 0xc2 && *p <= 0xf4) {
            size_t len = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2, k = 1;
            while (k < len && (p[k] & 0xc0) == 0x80)
                k++;
            if (k == len) {
                memcpy(out + w, p, len);
                w += len;
                p += len - 1;
            } else {
                out[w++] = '?';
            }
        } else {
            out[w++] = '?';
        }
    }
    out[w] = '\0';
}

static void xattr(xw *c, const char *name, const char *fmt, ...)
{
    char buf[1024], cl[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    clean(buf, cl, sizeof cl);
    chk(c, xmlTextWriterWriteAttribute(c->w, BAD_CAST name, BAD_CAST cl));
}

static void xtext(xw *c, const char *s)
{
    char cl[1024];
    clean(s, cl, sizeof cl);
    chk(c, xmlTextWriterWriteString(c->w, BAD_CAST cl));
}

int ek_ncr_junit(const char *path, const ek_netcheck *nc, const char *run_name, char *err, size_t errlen)
{
    size_t n_rules;
    const ek_nc_rule *rules = ek_nc_rules(&n_rules);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    xw c = { xmlNewTextWriterFilename(tmp, 0), 0 };
    if (!c.w) {
        snprintf(err, errlen, "%s: cannot create: %s", tmp, strerror(errno));
        return -1;
    }
    chk(&c, xmlTextWriterSetIndent(c.w, 1));
    chk(&c, xmlTextWriterSetIndentString(c.w, BAD_CAST "  "));
    chk(&c, xmlTextWriterStartDocument(c.w, NULL, "UTF-8", NULL));
    chk(&c, xmlTextWriterStartElement(c.w, BAD_CAST "testsuites"));
    xattr(&c, "name", "%s", run_name ? run_name : "enroll-check");
    size_t nn = ek_nc_node_count(nc);
    size_t all_tests = nn * n_rules, all_fail = 0, all_skip = 0;
    for (size_t i = 0; i < nn; i++)
        for (unsigned r = 0; r < n_rules; r++) {
            ek_nc_tally t = ek_nc_node_tally(nc, i, r);
            ek_nc_outcome oc = ek_nc_tally_outcome(&t);
            all_fail += oc == EK_NC_FAIL;
            all_skip += oc == EK_NC_NOT_JUDGED;
        }
    xattr(&c, "tests", "%zu", all_tests);
    xattr(&c, "failures", "%zu", all_fail);
    xattr(&c, "skipped", "%zu", all_skip);
    for (size_t i = 0; i < nn; i++) {
        char label[96];
        ek_nc_node_label(nc, i, label, sizeof label);
        size_t nf = 0, ns = 0;
        for (unsigned r = 0; r < n_rules; r++) {
            ek_nc_tally t = ek_nc_node_tally(nc, i, r);
            nf += ek_nc_tally_outcome(&t) == EK_NC_FAIL;
            ns += ek_nc_tally_outcome(&t) == EK_NC_NOT_JUDGED;
        }
        chk(&c, xmlTextWriterStartElement(c.w, BAD_CAST "testsuite"));
        xattr(&c, "name", "%s", label);
        xattr(&c, "tests", "%zu", n_rules);
        xattr(&c, "failures", "%zu", nf);
        xattr(&c, "errors", "0");
        xattr(&c, "skipped", "%zu", ns);
        size_t kf;
        const ek_nc_finding *f = ek_nc_node_findings(nc, i, &kf);
        for (unsigned r = 0; r < n_rules; r++) {
            ek_nc_tally t = ek_nc_node_tally(nc, i, r);
            ek_nc_outcome oc = ek_nc_tally_outcome(&t);
            chk(&c, xmlTextWriterStartElement(c.w, BAD_CAST "testcase"));
            xattr(&c, "classname", "%s", label);
            xattr(&c, "name", "%s (%s; %s)", rules[r].name, rules[r].req[0] ? rules[r].req : "-", rules[r].section);
            if (oc == EK_NC_FAIL) {
                chk(&c, xmlTextWriterStartElement(c.w, BAD_CAST "failure"));
                xattr(&c, "message", "%" PRIu64 " of %" PRIu64 " judged frames fail; first: frame %" PRIu64, t.failed,
                      t.judged, t.first_fail_frame);
                for (size_t j = 0; j < kf; j++)
                    if (f[j].rule == r) {
                        char line[400];
                        snprintf(line, sizeof line, "frame %" PRIu64 ": %s\n", f[j].frame_no, f[j].msg);
                        xtext(&c, line);
                    }
                chk(&c, xmlTextWriterEndElement(c.w));
            } else if (oc == EK_NC_NOT_JUDGED) {
                chk(&c, xmlTextWriterStartElement(c.w, BAD_CAST "skipped"));
                xattr(&c, "message", "not judged: the rule never applied to this node");
                chk(&c, xmlTextWriterEndElement(c.w));
            } else {
                char line[128];
                snprintf(line, sizeof line, "%s: %" PRIu64 " frames judged, %" PRIu64 " INFO findings\n",
                         ek_ncr_outcome_word(oc), t.judged, t.info);
                chk(&c, xmlTextWriterStartElement(c.w, BAD_CAST "system-out"));
                xtext(&c, line);
                chk(&c, xmlTextWriterEndElement(c.w));
            }
            chk(&c, xmlTextWriterEndElement(c.w));
        }
        chk(&c, xmlTextWriterEndElement(c.w));
    }
    chk(&c, xmlTextWriterEndElement(c.w));
    chk(&c, xmlTextWriterEndDocument(c.w));
    chk(&c, xmlTextWriterFlush(c.w));
    xmlFreeTextWriter(c.w);
    if (c.rc < 0) {
        snprintf(err, errlen, "%s: write failed", tmp);
        remove(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
}

/* ---- annotated pcapng ----------------------------------------------------------------------- */

#define NOTE_MAX 4000

struct ek_ncr_capture {
    ek_pcapng *w;
    char note[NOTE_MAX];
    size_t note_len;
    uint64_t next_frame;       /* the number the next record will have */
    char err[512];
};

int ek_ncr_capture_open(const char *path, const char *shb_comment, ek_ncr_capture **out, char *err, size_t errlen)
{
    *out = NULL;
    ek_ncr_capture *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    ek_pcapng_opts o;
    ek_pcapng_opts_default(&o);
    o.shb_comment = shb_comment;
    o.if_name = "enroll-check";
    if (ek_pcapng_open(path, &o, &c->w, err, errlen) != EK_CAP_IO_OK) {
        free(c);
        return -1;
    }
    c->next_frame = 1;
    *out = c;
    return 0;
}

void ek_ncr_capture_note(ek_ncr_capture *c, const ek_netcheck *nc, const ek_nc_finding *f)
{
    if (!c)
        return;
    size_t n_rules;
    const ek_nc_rule *r = &ek_nc_rules(&n_rules)[f->rule];
    char label[96], about[48] = "";
    ek_nc_node_label(nc, f->node, label, sizeof label);
    if (f->frame_no && f->frame_no != c->next_frame)
        snprintf(about, sizeof about, " (about frame %" PRIu64 ")", f->frame_no);
    int n = snprintf(c->note + c->note_len, NOTE_MAX - c->note_len, "%s%s %s%s%s node %s%s: %s",
                     c->note_len ? "\n" : "", sev_word(f->severity), r->name, r->req[0] ? " " : "", r->req, label,
                     about, f->msg);
    if (n > 0)
        c->note_len += (size_t)n < NOTE_MAX - c->note_len ? (size_t)n : NOTE_MAX - 1 - c->note_len;
}

int ek_ncr_capture_frame(ek_ncr_capture *c, uint64_t t_ns, const uint8_t *psdu, size_t len)
{
    ek_cap_io io = ek_pcapng_write(c->w, t_ns, psdu, len, EK_PCAPNG_DIR_UNKNOWN, c->note_len ? c->note : NULL);
    c->note_len = 0;
    c->note[0] = '\0';
    c->next_frame++;
    if (io != EK_CAP_IO_OK) {
        snprintf(c->err, sizeof c->err, "%s", ek_pcapng_errmsg(c->w));
        return -1;
    }
    return 0;
}

const char *ek_ncr_capture_errmsg(const ek_ncr_capture *c)
{
    return c->err[0] ? c->err : ek_pcapng_errmsg(c->w);
}

int ek_ncr_capture_close(ek_ncr_capture *c)
{
    if (!c)
        return 0;
    int rc = ek_pcapng_close(c->w) == EK_CAP_IO_OK && !c->err[0] ? 0 : -1;
    free(c);
    return rc;
}
