/* SPDX-License-Identifier: BSD-3-Clause */
/* libpcap radios: pcap:IFACE (capture + pcap_inject of IEEE 802.15.4 frames, link types
 * 195 / 230 / 283 and Linux cooked SLL / SLL2 of monitor interfaces; tcpdump.org link-layer
 * types) and pcap-zep:IFACE (passive ZEP sniffing with BPF "udp port N").  Decapsulation
 * is ek_cap_decap / ek_cap_encap; this file does handles, FCS policy and timing. */
#define _GNU_SOURCE 1 /* ppoll */
#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ek/decap.h"
#include "radio_int.h"

#define PCAP_SNAPLEN 65535
#define REC_MAX 512

static bool dlt_is_wpan(int dlt)
{
    return dlt == EK_LT_IEEE802_15_4_WITHFCS || dlt == EK_LT_IEEE802_15_4_NOFCS ||
           dlt == EK_LT_IEEE802_15_4_TAP || dlt == EK_LT_LINUX_SLL || dlt == EK_LT_LINUX_SLL2;
}

/* When the capture saw the frame: its record's time stamp (CLOCK_REALTIME; an offline
 * handle's old stamps fall back to the time of reading in ek__radio_rx_time).  Windows
 * are judged by arrival, not by when a busy harness got to read. */
static uint64_t rx_time(ek_radio *r, const struct pcap_pkthdr *h)
{
    bool nano = pcap_get_tstamp_precision(r->pc) == PCAP_TSTAMP_PRECISION_NANO;
    struct timespec ts = { h->ts.tv_sec, nano ? (long)h->ts.tv_usec : (long)h->ts.tv_usec * 1000 };
    return ek__radio_rx_time(r, &ts);
}

static int pcap_recv(ek_radio *r, ek_radio_frame *f, uint64_t deadline_ns)
{
    for (;;) {
        struct pcap_pkthdr *h;
        const u_char *d;
        int rc = pcap_next_ex(r->pc, &h, &d);
        if (rc == 1) {
            uint64_t t = rx_time(r, h);
            if (h->caplen < h->len) {
                r->st.dropped++; /* snapped: the FCS / MPDU end is missing */
                continue;
            }
            int c = ek__radio_frame_from_record(r->dlt, d, h->caplen, r->fcs_mode, r->pcap_zep, r->zep_port, f);
            if (c < 0) {
                r->st.dropped++;
                continue;
            }
            if (c == 0) {
                r->st.ignored++;
                continue;
            }
            if (r->opts.channel && f->channel && f->channel != r->opts.channel) {
                r->st.dropped++;
                continue;
            }
            f->t_ns = t;
            return 1;
        }
        if (rc == PCAP_ERROR_BREAK) { /* offline handle: end of the file */
            r->eof = true;
            ek__radio_seterr(r, "%s: end of capture", r->desc);
            return -1;
        }
        if (rc < 0) {
            ek__radio_seterr(r, "pcap: %s", pcap_geterr(r->pc));
            return -1;
        }
        /* rc == 0: nothing buffered (non-blocking live handle). */
        uint64_t now = ek_mono_ns();
        if (now >= deadline_ns)
            return 0;
        uint64_t left = deadline_ns - now;
        int fd = pcap_get_selectable_fd(r->pc);
        if (left > 10000000u)
            left = 10000000u; /* re-poll libpcap at least every 10 ms (TPACKET ring quirks) */
        struct timespec ts = { (time_t)(left / 1000000000u), (long)(left % 1000000000u) };
        if (fd >= 0) {
            struct pollfd pfd = { fd, POLLIN, 0 };
            (void)ppoll(&pfd, 1, &ts, NULL);
        } else {
            nanosleep(&ts, NULL);
        }
    }
}

static int pcap_send(ek_radio *r, const uint8_t *mpdu, size_t len, uint64_t *t_ns)
{
    uint8_t rec[REC_MAX];
    if (r->pcap_zep) {
        ek__radio_seterr(r, "pcap-zep: passive sniffer, cannot send (use zep:// to talk ZEP)");
        return -1;
    }
    if (r->dlt == EK_LT_LINUX_SLL || r->dlt == EK_LT_LINUX_SLL2) {
        ek__radio_seterr(r, "pcap: cannot inject on a Linux cooked capture (%s); open the monitor "
                            "interface itself (link type 230)", ek_cap_linktype_name(r->dlt));
        return -1;
    }
    /* 195: MPDU + FCS; 230: MPDU only (the kernel / transceiver appends the FCS);
     * 283: TAP header with FCS-type TLV = CRC-16, MPDU, FCS. */
    ek_buf b;
    ek_err e;
    ek_buf_init(&b, rec, sizeof rec);
    if (ek_cap_encap(r->dlt, ek_view_make(mpdu, len), true, NULL, &b, &e) != EK_OK) {
        ek__radio_seterr(r, "pcap: cannot build a %s record (%s)", ek_cap_linktype_name(r->dlt),
                         e.field ? e.field : "?");
        return -1;
    }
    *t_ns = ek_mono_ns();
    if (r->inject) {
        if (r->inject(r->inject_ctx, rec, b.len) != 0) {
            ek__radio_seterr(r, "pcap: inject hook failed");
            return -1;
        }
        return 0;
    }
    int n = pcap_inject(r->pc, rec, b.len);
    if (n < 0 || (size_t)n != b.len) {
        ek__radio_seterr(r, "pcap: inject: %s", n < 0 ? pcap_geterr(r->pc) : "short write");
        return -1;
    }
    return 0;
}

static void pcap_close_be(ek_radio *r)
{
    if (r->pc)
        pcap_close(r->pc);
    r->pc = NULL;
}

static const ek_radio_ops pcap_ops = { "pcap", pcap_send, pcap_recv, pcap_close_be };
static const ek_radio_ops pcapzep_ops = { "pcap-zep", pcap_send, pcap_recv, pcap_close_be };

/* Splits "pcap:NAME?opts" / "pcap-zep:NAME?opts". */
static bool parse_spec(const char *spec, bool *zep, char *name, size_t nl, const char **query)
{
    const char *rest;
    if (!strncmp(spec, "pcap-zep:", 9)) {
        *zep = true;
        rest = spec + 9;
    } else if (!strncmp(spec, "pcap:", 5)) {
        *zep = false;
        rest = spec + 5;
    } else {
        return false;
    }
    const char *q = strchr(rest, '?');
    size_t n = q ? (size_t)(q - rest) : strlen(rest);
    if (n == 0 || n >= nl)
        return false;
    memcpy(name, rest, n);
    name[n] = 0;
    *query = q ? q + 1 : NULL;
    return true;
}

static int perr(char *errbuf, size_t errlen, const char *spec, const char *msg)
{
    if (errbuf && errlen)
        snprintf(errbuf, errlen, "%s: %s", spec, msg);
    return -1;
}

/* Validates the query: known keys only, values in range. */
static int parse_opts(const char *spec, bool zep, const char *query, int *dlt, ek_radio_fcs_mode *fm,
                      uint16_t *port, char *errbuf, size_t errlen)
{
    char v[64];
    *dlt = -1;
    *fm = EK_RADIO_FCS_LINKTYPE;
    *port = EK_CAP_ZEP_PORT;
    for (const char *p = query; p && *p;) {
        const char *end = strchr(p, '&');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        bool ok = (!zep && ((n > 4 && !strncmp(p, "dlt=", 4)) || (n > 4 && !strncmp(p, "fcs=", 4)))) ||
                  (zep && n > 5 && !strncmp(p, "port=", 5));
        if (!ok) {
            char m[128];
            snprintf(m, sizeof m, "unknown option '%.*s' (%s)", (int)(n > 60 ? 60 : n), p,
                     zep ? "pcap-zep: takes port=N" : "pcap: takes dlt= and fcs=");
            return perr(errbuf, errlen, spec, m);
        }
        if (!end)
            break;
        p = end + 1;
    }
    if (ek__radio_query(query, "dlt", v, sizeof v)) {
        char *e;
        long d = strtol(v, &e, 10);
        if (*e || !dlt_is_wpan((int)d))
            return perr(errbuf, errlen, spec, "dlt= must be 195, 230, 283, 113 or 276");
        *dlt = (int)d;
    }
    if (ek__radio_query(query, "fcs", v, sizeof v)) {
        if (!strcmp(v, "auto"))
            *fm = EK_RADIO_FCS_AUTO;
        else if (!strcmp(v, "present"))
            *fm = EK_RADIO_FCS_PRESENT;
        else if (!strcmp(v, "absent"))
            *fm = EK_RADIO_FCS_ABSENT;
        else
            return perr(errbuf, errlen, spec, "fcs= must be auto, present or absent");
    }
    if (ek__radio_query(query, "port", v, sizeof v)) {
        char *e;
        long n = strtol(v, &e, 10);
        if (*e || n < 1 || n > 65535)
            return perr(errbuf, errlen, spec, "port= must be 1..65535");
        *port = (uint16_t)n;
    }
    return 0;
}

int ek_radio_pcap_wrap(struct pcap *p, const char *spec, const ek_radio_opts *opts, ek_radio **out, char *errbuf,
                       size_t errlen)
{
    char name[256];
    const char *query;
    bool zep;
    int want_dlt;
    ek_radio_fcs_mode fm;
    uint16_t port;
    *out = NULL;
    if (!p)
        return perr(errbuf, errlen, spec ? spec : "pcap", "no handle");
    if (!spec || !parse_spec(spec, &zep, name, sizeof name, &query)) {
        pcap_close(p);
        return perr(errbuf, errlen, spec ? spec : "pcap", "expected pcap:IFACE[?..] or pcap-zep:IFACE[?port=N]");
    }
    if (parse_opts(spec, zep, query, &want_dlt, &fm, &port, errbuf, errlen)) {
        pcap_close(p);
        return -1;
    }
    int dlt = pcap_datalink(p);
    char m[512];
    if (!zep && !dlt_is_wpan(dlt)) {
        snprintf(m, sizeof m, "link type %d (%s) is not IEEE 802.15.4 (195/230/283) or Linux cooked; "
                              "for ZEP on this interface use pcap-zep:%.64s", dlt, ek_cap_linktype_name(dlt), name);
        pcap_close(p);
        return perr(errbuf, errlen, spec, m);
    }
    if (!zep && want_dlt >= 0 && want_dlt != dlt) {
        snprintf(m, sizeof m, "handle has link type %d, dlt=%d asked", dlt, want_dlt);
        pcap_close(p);
        return perr(errbuf, errlen, spec, m);
    }
    if (zep && (!ek_cap_linktype_supported(dlt) || dlt == EK_LT_IEEE802_15_4_WITHFCS ||
                dlt == EK_LT_IEEE802_15_4_NOFCS || dlt == EK_LT_IEEE802_15_4_TAP)) {
        snprintf(m, sizeof m, "cannot find UDP in link type %d (%s)", dlt, ek_cap_linktype_name(dlt));
        pcap_close(p);
        return perr(errbuf, errlen, spec, m);
    }
    ek_radio *r = ek__radio_new(zep ? &pcapzep_ops : &pcap_ops, opts);
    if (!r) {
        pcap_close(p);
        return perr(errbuf, errlen, spec, "out of memory");
    }
    r->pc = p;
    r->dlt = dlt;
    r->pcap_zep = zep;
    r->fcs_mode = fm;
    r->zep_port = zep ? port : 0;
    const char *bpf_note = "";
    if (zep) {
        /* Kernel-side filter when the handle can take one; ek__radio_frame_from_record
         * checks the port again in user space either way. */
        char filt[32];
        struct bpf_program prog;
        snprintf(filt, sizeof filt, "udp port %u", (unsigned)port);
        if (pcap_compile(p, &prog, filt, 1, PCAP_NETMASK_UNKNOWN) == 0) {
            if (pcap_setfilter(p, &prog) != 0)
                bpf_note = ", BPF in user space";
            pcap_freecode(&prog);
        } else {
            bpf_note = ", BPF in user space";
        }
        snprintf(r->desc, sizeof r->desc, "pcap-zep:%.64s (%s, udp port %u%s, ch %u, receive only)", name,
                 ek_cap_linktype_name(dlt), (unsigned)port, bpf_note, (unsigned)r->opts.channel);
    } else {
        static const char *fcsn[] = { "per link type", "present", "absent", "auto" };
        snprintf(r->desc, sizeof r->desc, "pcap:%.64s (%s %d, FCS %s)", name, ek_cap_linktype_name(dlt), dlt,
                 fcsn[fm]);
    }
    *out = r;
    return 0;
}

void ek_radio_pcap_set_inject(ek_radio *r, int (*fn)(void *ctx, const uint8_t *rec, size_t len), void *ctx)
{
    if (!r)
        return;
    r->inject = fn;
    r->inject_ctx = ctx;
}

int ek__radio_open_pcap(const char *uri, const char *rest, bool zep, ek_radio_opts *o, ek_radio **out,
                        char *errbuf, size_t errlen)
{
    char name[256], pe[PCAP_ERRBUF_SIZE] = "";
    const char *query;
    bool z2;
    int want_dlt;
    ek_radio_fcs_mode fm;
    uint16_t port;
    (void)rest;
    (void)zep;
    if (!parse_spec(uri, &z2, name, sizeof name, &query))
        return perr(errbuf, errlen, uri, "missing interface name");
    if (parse_opts(uri, z2, query, &want_dlt, &fm, &port, errbuf, errlen))
        return -1;
    pcap_t *p = pcap_create(name, pe);
    if (!p)
        return perr(errbuf, errlen, uri, pe);
    /* These only fail on an already activated handle (pcap_set_*(3PCAP)); checked anyway,
     * as newer libpcap declares them warn_unused_result. */
    if (pcap_set_snaplen(p, PCAP_SNAPLEN) != 0 || pcap_set_promisc(p, 1) != 0 ||
        pcap_set_immediate_mode(p, 1) != 0 || /* every frame as it arrives: the engine times replies */
        pcap_set_timeout(p, 1) != 0) {
        pcap_close(p);
        return perr(errbuf, errlen, uri, "cannot set snap length / promiscuous / immediate mode / timeout");
    }
    /* rx_time() reads the precision back: microseconds where nanoseconds are not supported
     * (PCAP_ERROR_TSTAMP_PRECISION_NOTSUP is no reason to fail) */
    int precision_rc = pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
    (void)precision_rc;
    int rc = pcap_activate(p);
    if (rc < 0) {
        char m[PCAP_ERRBUF_SIZE + 64];
        snprintf(m, sizeof m, "interface '%s': %s%s", name, pcap_statustostr(rc),
                 rc == PCAP_ERROR_PERM_DENIED ? " (needs root or CAP_NET_RAW)" : "");
        if (rc == PCAP_ERROR || rc == PCAP_ERROR_NO_SUCH_DEVICE)
            snprintf(m, sizeof m, "interface '%s': %s", name, pcap_geterr(p));
        pcap_close(p);
        return perr(errbuf, errlen, uri, m);
    }
    if (want_dlt >= 0 && pcap_set_datalink(p, want_dlt) != 0) {
        char m[PCAP_ERRBUF_SIZE + 64];
        snprintf(m, sizeof m, "dlt=%d: %s", want_dlt, pcap_geterr(p));
        pcap_close(p);
        return perr(errbuf, errlen, uri, m);
    }
    if (pcap_setnonblock(p, 1, pe) != 0) {
        pcap_close(p);
        return perr(errbuf, errlen, uri, pe);
    }
    return ek_radio_pcap_wrap(p, uri, o, out, errbuf, errlen);
}
