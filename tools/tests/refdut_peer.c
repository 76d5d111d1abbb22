/* SPDX-License-Identifier: BSD-3-Clause */
/* refdut_peer: a minimal stand-in for the harness, used by refdut_test.sh.  Plays the
 * DODAG root (role A, rank 256) over a radio, injects DIOs (valid, or with a malformed
 * enrollment-option Length, RFC 6550 §6.7.1) and prints every frame it hears, decoded
 * with the codec: one line per frame, for the shell test to grep.  Secured frames
 * are unsecured with the default keys K1-minimal15 / K2-contiki first (IEEE 802.15.4-2015
 * §9.2.5) and printed as SDIO / SEB lines with the key index, level, counter and MIC verdict. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ek/build.h"
#include "ek/consts.h"
#include "ek/frame.h"
#include "ek/radio.h"
#include "ek/sec.h"

/* ek_td_role_ext(EK_ROLE_A): the harness's root / preferred parent. */
static const uint8_t parent_ext[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x0a };

static int usage(void)
{
    fprintf(stderr, "usage: refdut_peer URI parent|malformed|empty|listen|secparent|secreplay DURATION_MS "
                    "[MIN_PRIORITY]\n"
                    "  parent     send a DIO with the draft-16 option (min MIN_PRIORITY) every 100 ms; its\n"
                    "             DODAG Configuration says DIOIntMin 4, 6 doublings, k 10 (Imin 16 ms),\n"
                    "             MinHopRankIncrease $REFDUT_PEER_MHRI (256), OCP $REFDUT_PEER_OCP (0)\n"
                    "  malformed  as parent, but the option's Length is 2 (draft-16 needs 3)\n"
                    "  empty      as parent, plus an unknown option (type 0x33) with Length 0\n"
                    "  listen     send nothing\n"
                    "  secparent  as parent, secured under K2-contiki (KIM 1, index 2, level 5),\n"
                    "             frame counter 1, 2, 3, ...\n"
                    "  secreplay  as secparent, but every DIO carries frame counter 1\n");
    return 2;
}

static ek_sec_keyring g_ring; /* the default K1 and K2 */

static void print_frame(const ek_radio_frame *f, const ek_profile *prof)
{
    static ek_frame fr;
    ek_status st = ek_frame_decode(ek_view_make(f->psdu, f->len), true, prof, &fr);
    (void)st; /* errors are counted in fr.n_errors and printed */
    const ek_frame_summary *s = &fr.sum;
    if (s->secured && f->len >= 2) {
        uint8_t plain[EK_RADIO_PSDU_MAX];
        size_t pl = 0;
        ek_sec_info info;
        ek_err e;
        bool fcs_ok = s->fcs_ok;
        if (ek_sec_unprotect(ek_view_make(f->psdu, f->len - 2), &g_ring, NULL, NULL, prof, plain, sizeof plain, &pl,
                             &info, &e) != EK_OK) {
            printf("SECURED mic=bad field=%s fcs_ok=%d\n", e.field ? e.field : "?", fcs_ok ? 1 : 0);
            fflush(stdout);
            return;
        }
        st = ek_frame_decode(ek_view_make(plain, pl), false, prof, &fr);
        if (s->has_dio)
            printf("SDIO rank=%u version=%u mep=%s min=0x%02x key=%u level=%u fc=%" PRIu32 " mic=ok errors=%u "
                   "fcs_ok=%d\n",
                   (unsigned)s->rank, (unsigned)s->version, s->has_mep ? "yes" : "no", (unsigned)s->min_priority,
                   (unsigned)info.sec.key_index, (unsigned)info.sec.level, info.sec.frame_counter, fr.n_errors,
                   fcs_ok ? 1 : 0);
        else if (s->frame_type == EK_WPAN_FT_BEACON)
            printf("SEB ji=%s proxy=0x%02x key=%u level=%u fc=%" PRIu32 " mic=ok errors=%u fcs_ok=%d\n",
                   s->has_ji ? "yes" : "no", (unsigned)s->proxy_priority, (unsigned)info.sec.key_index,
                   (unsigned)info.sec.level, info.sec.frame_counter, fr.n_errors, fcs_ok ? 1 : 0);
        else
            printf("SOTHER len=%zu mic=ok\n", pl);
        fflush(stdout);
        return;
    }
    if (s->has_dio)
        printf("DIO rank=%u version=%u mep=%s min=0x%02x errors=%u fcs_ok=%d\n", (unsigned)s->rank,
               (unsigned)s->version, s->has_mep ? "yes" : "no", (unsigned)s->min_priority, fr.n_errors,
               s->fcs_ok ? 1 : 0);
    else if (s->has_mac && s->frame_type == EK_WPAN_FT_BEACON)
        printf("EB ji=%s proxy=0x%02x join_metric=%u errors=%u fcs_ok=%d\n", s->has_ji ? "yes" : "no",
               (unsigned)s->proxy_priority, (unsigned)s->join_metric, fr.n_errors, s->fcs_ok ? 1 : 0);
    else
        printf("OTHER len=%zu errors=%u\n", f->len, fr.n_errors);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return usage();
    const char *uri = argv[1], *mode = argv[2];
    uint64_t dur_ns = strtoull(argv[3], NULL, 0) * 1000000ull;
    uint8_t min = argc > 4 ? (uint8_t)strtoul(argv[4], NULL, 0) : 0x30;
    bool send = strcmp(mode, "listen") != 0, malformed = strcmp(mode, "malformed") == 0;
    bool empty = strcmp(mode, "empty") == 0;
    bool replay = strcmp(mode, "secreplay") == 0, secured = replay || strcmp(mode, "secparent") == 0;
    if (send && !malformed && !empty && !secured && strcmp(mode, "parent") != 0)
        return usage();
    ek_sec_key k1, k2;
    if (!ek_sec_key_named("K1-minimal15", &k1) || !ek_sec_key_named("K2-contiki", &k2))
        return 2;
    ek_sec_keyring_init(&g_ring);
    if (!ek_sec_keyring_add(&g_ring, &k1) || !ek_sec_keyring_add(&g_ring, &k2))
        return 2;
    uint32_t fc = 0;

    ek_profile prof;
    ek_profile_default(&prof); /* draft-16, type 0x2a */
    ek_radio_opts ro;
    ek_radio_opts_default(&ro);
    ro.channel = 26;
    ek_radio *r = NULL;
    char err[EK_RADIO_ERRLEN];
    if (ek_radio_open(uri, &ro, &r, err, sizeof err) != 0) {
        fprintf(stderr, "refdut_peer: %s\n", err);
        return 2;
    }

    ek_build_node node = { .pan_id = 0xface, .seq = 0 };
    memcpy(node.ext, parent_ext, 8);
    ek_build_dio dio;
    ek_build_dio_init(&dio);
    /* the timing of examples/dut/refdut-zep.ini, as the harness announces it (RFC 6550 §6.7.6) */
    dio.conf.dio_int_min = 4;
    dio.conf.dio_int_doublings = 6;
    dio.conf.dio_redundancy = 10;
    const char *mhri = getenv("REFDUT_PEER_MHRI"), *ocp = getenv("REFDUT_PEER_OCP");
    if (mhri && *mhri)
        dio.conf.min_hop_rank_inc = (uint16_t)strtoul(mhri, NULL, 0);
    if (ocp && *ocp)
        dio.conf.ocp = (uint16_t)strtoul(ocp, NULL, 0);
    if (empty) {
        dio.extra[0] = (ek_build_raw_opt){ .type = 0x33, .length = 0, .data_len = 0 };
        dio.n_extra = 1;
        dio.extra_pos = EK_BUILD_OPT_FIRST;
    }
    if (malformed) {
        /* Type 0x2a, Length 2: fits the DIO but not the draft-16 layout (3 octets). */
        dio.extra[0] = (ek_build_raw_opt){ .type = EK_MEP_TYPE_PROVISIONAL, .length = 2, .data_len = 2,
                                           .data = { 0xf0, 0x30 } };
        dio.n_extra = 1;
        dio.extra_pos = EK_BUILD_OPT_LAST;
    } else {
        dio.has_mep = true;
        dio.mep.profile = EK_MEP_DRAFT16;
        dio.mep.type = EK_MEP_TYPE_PROVISIONAL;
        dio.mep.has_version = true;
        dio.mep.version = 240;
        dio.mep.min_priority = min;
        dio.mep.has_size = true;
    }

    uint64_t end = ek_radio_now(r) + dur_ns, next_tx = ek_radio_now(r);
    int rc = 0;
    while (ek_radio_now(r) < end) {
        uint64_t now = ek_radio_now(r);
        if (send && now >= next_tx) {
            uint8_t buf[EK_BUILD_MPDU_MAX];
            size_t len = 0;
            ek_err e;
            node.seq++;
            if (ek_build_dio_frame(&node, &dio, &prof, buf, sizeof buf, &len, &e) != EK_OK) {
                fprintf(stderr, "refdut_peer: cannot build the DIO: %s\n", e.field ? e.field : "?");
                rc = 2;
                break;
            }
            if (secured) {
                ek_wpan_sec sec = { .level = 5, .key_id_mode = 1, .key_index = 2 };
                sec.frame_counter = replay ? 1 : ++fc;
                if (ek_sec_protect(ek_view_make(buf, len), &sec, NULL, &k2, &prof, buf, sizeof buf, &len, NULL, &e) !=
                    EK_OK) {
                    fprintf(stderr, "refdut_peer: cannot secure the DIO: %s\n", e.field ? e.field : "?");
                    rc = 2;
                    break;
                }
            }
            if (ek_radio_send(r, buf, len, NULL) != 0)
                fprintf(stderr, "refdut_peer: send: %s\n", ek_radio_errmsg(r));
            next_tx = now + 100000000ull;
        }
        uint64_t deadline = send && next_tx < end ? next_tx : end;
        ek_radio_frame f;
        int got = ek_radio_recv(r, &f, deadline);
        if (got == 1)
            print_frame(&f, &prof);
    }
    ek_radio_close(r);
    return rc;
}
