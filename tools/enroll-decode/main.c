/* SPDX-License-Identifier: BSD-3-Clause */
/* enroll-decode: decode IEEE 802.15.4 / 6LoWPAN / RPL captures with the enrollkit codec
 * and print a readable tree, JSON Lines or (--stats) a per-file summary.  A malformed
 * frame is reported and decoding goes on; an unreadable file is an error and makes the
 * exit status non-zero. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/consts.h"
#include "ek/decap.h"
#include "ek/fields.h"
#include "ek/frame.h"
#include "ek/pcapio.h"
#include "ek/recdecode.h"
#include "output.h"

static const char usage[] =
    "Usage: enroll-decode [OPTIONS] FILE...\n"
    "\n"
    "Decode IEEE 802.15.4 captures (pcap or pcapng; link types 195, 230, 283, and ZEP v1/v2/v3\n"
    "over UDP port 17754 in Ethernet, Linux cooked, raw IP or loopback captures) down to the\n"
    "RFC 9032 Enrollment IE and the RPL Minimum Enrollment Priority option.\n"
    "\n"
    "Options:\n"
    "  --json               one JSON object per frame (JSON Lines) instead of a tree\n"
    "  --stats              no per-frame output: decode every frame and print one summary\n"
    "                       line per file (frames, frames with errors, bad FCS, Enhanced\n"
    "                       Beacons with Join-Info, DIOs with the enrollment option, link type)\n"
    "  --ep-type N          type code of the enrollment-priority option (0..255, decimal or\n"
    "                       0x..; 0 = do not recognise it). IANA has not assigned one; the\n"
    "                       provisional default is 0x2a\n"
    "  --ep-profile P       option layout: draft-03, draft-04, draft-09, draft-16 (default)\n"
    "  --ie-profile P       RFC 9032 Figure 1 reading: rfc9032-literal (default), byte-aligned\n"
    "  --context N=PREFIX   6LoWPAN context N (0..15), e.g. --context 0=fd00::/64 (repeatable)\n"
    "  -h, --help           show this help\n"
    "  --version            show the version\n"
    "\n"
    "Exit status: 0 when every file was read (malformed frames are reported in the output),\n"
    "1 on a usage error, 2 when a file could not be opened or read.\n";

typedef struct options {
    bool json;
    bool stats;
    ek_profile prof;
} options;

/* --stats counters for one file. */
typedef struct file_stats {
    unsigned long long frames, with_errors, fcs_bad, eb_ji, dio_mep;
} file_stats;

static bool parse_u8(const char *s, uint8_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(s, &end, 0);
    if (errno || !end || *end || v > 255)
        return false;
    *out = (uint8_t)v;
    return true;
}

static int parse_args(int argc, char **argv, options *o)
{
    enum { OPT_JSON = 256, OPT_STATS, OPT_EP_TYPE, OPT_EP_PROFILE, OPT_IE_PROFILE, OPT_CONTEXT, OPT_VERSION };
    static const struct option longopts[] = {
        { "json", no_argument, NULL, OPT_JSON },
        { "stats", no_argument, NULL, OPT_STATS },
        { "ep-type", required_argument, NULL, OPT_EP_TYPE },
        { "ep-profile", required_argument, NULL, OPT_EP_PROFILE },
        { "ie-profile", required_argument, NULL, OPT_IE_PROFILE },
        { "context", required_argument, NULL, OPT_CONTEXT },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, OPT_VERSION },
        { NULL, 0, NULL, 0 },
    };
    ek_profile_default(&o->prof);
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_JSON:
            o->json = true;
            break;
        case OPT_STATS:
            o->stats = true;
            break;
        case OPT_EP_TYPE:
            if (!parse_u8(optarg, &o->prof.mep_type)) {
                fprintf(stderr, "enroll-decode: --ep-type '%s': expected 0..255\n", optarg);
                return 1;
            }
            break;
        case OPT_EP_PROFILE:
            if (!ek_mep_profile_parse(optarg, &o->prof.mep)) {
                fprintf(stderr, "enroll-decode: --ep-profile '%s': expected draft-03, draft-04, draft-09 or draft-16\n",
                        optarg);
                return 1;
            }
            break;
        case OPT_IE_PROFILE:
            if (!ek_ji_profile_parse(optarg, &o->prof.ji)) {
                fprintf(stderr, "enroll-decode: --ie-profile '%s': expected rfc9032-literal or byte-aligned\n", optarg);
                return 1;
            }
            break;
        case OPT_CONTEXT: {
            char *end = NULL;
            unsigned long n = strtoul(optarg, &end, 10);
            if (!end || *end != '=' || n > 15 || !ek_profile_set_context(&o->prof, (unsigned)n, end + 1)) {
                fprintf(stderr, "enroll-decode: --context '%s': expected N=PREFIX/LEN with N in 0..15\n", optarg);
                return 1;
            }
            break;
        }
        case 'h':
            fputs(usage, stdout);
            exit(0);
        case OPT_VERSION:
            puts("enroll-decode (enrollkit) " EK_VERSION);
            exit(0);
        default:
            fputs(usage, stderr);
            return 1;
        }
    }
    if (o->json && o->stats) {
        fputs("enroll-decode: --json and --stats exclude each other\n", stderr);
        return 1;
    }
    if (optind >= argc) {
        fputs("enroll-decode: no capture file given (see --help)\n", stderr);
        return 1;
    }
    return 0;
}

/* The record decoded as every front end decodes it (ek/recdecode.h); the ZEP header goes
 * to the output for its ZEP lines. */
static void decode_record(const options *o, const ek_cap_record *rec, ek_frame *f)
{
    ek_cap_frame cf;
    (void)ek_cap_decode_record(rec, &o->prof, f, &cf);
    bool zep = cf.has_zep && (cf.mpdu.p || (cf.zep.version >= 2 && cf.zep.type == EK_ZEP_TYPE_ACK));
    ek_out_note_zep(zep ? &cf.zep : NULL);
}

static int decode_file(const options *o, const char *path, ek_frame *f)
{
    char errbuf[512];
    ek_cap_reader *r = NULL;
    if (ek_cap_open(path, &r, errbuf, sizeof errbuf) != EK_CAP_IO_OK) {
        fprintf(stderr, "enroll-decode: %s\n", errbuf);
        return 2;
    }
    int lt = ek_cap_linktype(r);
    if (!ek_cap_linktype_supported(lt))
        fprintf(stderr, "enroll-decode: %s: link type %d (%s) is not supported; frames are reported as errors\n",
                path, lt, ek_cap_linktype_name(lt));
    ek_cap_record rec;
    ek_cap_io io;
    file_stats st = { 0 };
    while ((io = ek_cap_next(r, &rec)) == EK_CAP_IO_OK) {
        decode_record(o, &rec, f);
        if (o->stats) {
            const ek_frame_summary *s = &f->sum;
            st.frames++;
            st.with_errors += f->n_errors > 0;
            st.fcs_bad += s->has_fcs && !s->fcs_ok;
            st.eb_ji += s->has_mac && s->frame_type == EK_WPAN_FT_BEACON && s->frame_version == EK_WPAN_VER_2015 &&
                        s->has_ji;
            st.dio_mep += s->has_dio && s->has_mep;
        } else if (o->json) {
            ek_json_frame_ex(stdout, rec.index, f, ek_out_json_extra);
        } else {
            ek_out_frame_info info = { rec.index, rec.data.len, rec.linktype, ek_cap_linktype_name(rec.linktype) };
            ek_out_tree(stdout, &info, f);
        }
    }
    if (o->stats) /* printed for a cut file too: it counts the records read */
        printf("%s: %llu frames, %llu with errors, %llu bad FCS, %llu Enhanced Beacons with Join-Info, "
               "%llu DIOs with the enrollment option, link type %d (%s)\n",
               path, st.frames, st.with_errors, st.fcs_bad, st.eb_ji, st.dio_mep, lt, ek_cap_linktype_name(lt));
    int rc = 0;
    if (io != EK_CAP_IO_EOF) {
        fprintf(stderr, "enroll-decode: %s: %s\n", path, ek_cap_errmsg(r));
        rc = 2;
    }
    ek_cap_close(r);
    return rc;
}

int main(int argc, char **argv)
{
    options o = { 0 };
    int rc = parse_args(argc, argv, &o);
    if (rc)
        return rc;
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    ek_frame *f = malloc(sizeof *f); /* ~tens of KiB: keep it off the stack, reuse it */
    if (!f) {
        fputs("enroll-decode: out of memory\n", stderr);
        return 2;
    }
    for (int i = optind; i < argc; i++) {
        int frc = decode_file(&o, argv[i], f);
        if (frc > rc)
            rc = frc;
    }
    free(f);
    if (fflush(stdout) != 0) {
        perror("enroll-decode: stdout");
        rc = 2;
    }
    return rc;
}
