/* SPDX-License-Identifier: BSD-3-Clause */
/* refnode_seedgen OUTDIR: seed inputs for fuzz_refnode (chunk format, see fuzz_refnode.c)
 * built with the frame builders (ek/build.h): a parent's DIOs with each wire profile's
 * Minimum Enrollment Priority option (draft-ietf-roll-enrollment-priority -03/-04/-09/-16),
 * newer / older versions, T=1, 0x7f, unknown and malformed options (RFC 6550 §6.7.1), a
 * second neighbour, a poisoned parent, a DIS (§6.2) and a neighbour's EB (RFC 8180 §6.1). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ek/build.h"
#include "ek/consts.h"

typedef struct seed {
    uint8_t b[2048];
    size_t n;
    bool bad;
} seed;

static const char *outdir;
static unsigned n_written;

static void seed_start(seed *s, uint8_t sel)
{
    s->n = 0;
    s->bad = false;
    s->b[s->n++] = sel;
}

static void chunk(seed *s, const uint8_t *p, size_t len)
{
    if (len > 255 || s->n + 1 + len > sizeof s->b) {
        s->bad = true;
        return;
    }
    s->b[s->n++] = (uint8_t)len;
    memcpy(s->b + s->n, p, len);
    s->n += len;
}

static void seed_write(const seed *s, const char *name, uint8_t sel)
{
    if (s->bad) {
        fprintf(stderr, "refnode_seedgen: %s: a frame did not build\n", name);
        exit(1);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s-%02x", outdir, name, sel);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(s->b, 1, s->n, f) != s->n || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
    n_written++;
}

/* Two neighbours: the parent (rank 256, the root) and a second router (rank 768). */
static const uint8_t PARENT[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x10 };
static const uint8_t OTHER[8] = { 0x02, 0x00, 0x5e, 0xef, 0x00, 0x00, 0x00, 0x20 };

static ek_minprio mep(const ek_profile *p, uint8_t version, bool t, uint8_t min)
{
    ek_minprio m;
    memset(&m, 0, sizeof m);
    m.profile = p->mep;
    m.type = p->mep_type;
    m.has_version = p->mep == EK_MEP_DRAFT09 || p->mep == EK_MEP_DRAFT16;
    m.version = m.has_version ? version : 0;
    m.t = m.has_version && t;
    m.min_priority = min;
    m.has_size = p->mep != EK_MEP_DRAFT03;
    m.exp = m.has_size ? 2 : 0;
    m.size_code = m.has_size ? 5 : 0;
    return m;
}

typedef struct dio_spec {
    const uint8_t *from;
    uint16_t rank;
    uint8_t dodag_version;
    bool has_mep;
    uint8_t opt_version;
    bool t;
    uint8_t min;
    int extra;             /* 0 none, 1 unknown option first, 2 malformed Length last, 3 Pad1 + PadN */
} dio_spec;

static void add_dio(seed *s, const ek_profile *p, const dio_spec *sp, uint8_t seq)
{
    ek_build_dio d;
    ek_build_dio_init(&d);
    d.base.rank = sp->rank;
    d.base.version = sp->dodag_version;
    d.has_mep = sp->has_mep;
    if (sp->has_mep)
        d.mep = mep(p, sp->opt_version, sp->t, sp->min);
    if (sp->extra == 1) {
        /* an unassigned option type (RFC 6550 §6.7.1: skipped by its Length) */
        d.extra[0] = (ek_build_raw_opt){ .type = 0x55, .length = 3, .data_len = 3, .data = { 1, 2, 3 } };
        d.n_extra = 1;
        d.extra_pos = EK_BUILD_OPT_FIRST;
    } else if (sp->extra == 2) {
        /* Length running past the end of the DIO (TP-EP-14) */
        d.extra[0] = (ek_build_raw_opt){ .type = 0x55, .length = 40, .data_len = 2, .data = { 9, 9 } };
        d.n_extra = 1;
        d.extra_pos = EK_BUILD_OPT_LAST;
    } else if (sp->extra == 3) {
        d.extra[0] = (ek_build_raw_opt){ .type = EK_RPL_OPT_PAD1 };
        d.extra[1] = (ek_build_raw_opt){ .type = 1, .length = 2, .data_len = 2 };
        d.n_extra = 2;
        d.extra_pos = EK_BUILD_OPT_FIRST;
    }
    ek_build_node node = { .pan_id = 0 }; /* all zero: fields added later stay off */
    memcpy(node.ext, sp->from, 8);
    node.pan_id = 0xface;
    node.seq = seq;
    uint8_t out[EK_BUILD_MPDU_MAX];
    size_t len = 0;
    ek_err e;
    if (ek_build_dio_frame(&node, &d, p, out, sizeof out, &len, &e) != EK_OK) {
        fprintf(stderr, "refnode_seedgen: DIO: %s at %zu\n", e.field ? e.field : "?", e.offset);
        s->bad = true;
        return;
    }
    chunk(s, out, len);
}

static void add_dis(seed *s, const ek_profile *p)
{
    ek_build_node node = { .pan_id = 0 }; /* all zero: fields added later stay off */
    memcpy(node.ext, OTHER, 8);
    node.pan_id = 0xface;
    node.seq = 7;
    uint8_t out[EK_BUILD_MPDU_MAX];
    size_t len = 0;
    ek_err e;
    if (ek_build_dis_frame(&node, p, out, sizeof out, &len, &e) != EK_OK)
        s->bad = true;
    else
        chunk(s, out, len);
}

static void add_eb(seed *s, const ek_profile *p, uint8_t proxy)
{
    ek_build_eb eb;
    ek_build_eb_init(&eb);
    eb.asn = 1234;
    eb.join_metric = 1;
    eb.has_ji = true;
    eb.ji.r = true;
    eb.ji.proxy_prio = proxy;
    eb.ji.rank_prio = 3;
    static const uint8_t NID[8] = { 0xfd, 0, 0, 0, 0, 0, 0, 0 };
    eb.ji.network_id = ek_view_make(NID, 8);
    eb.ji_before_6top = true;
    ek_build_node node = { .pan_id = 0 }; /* all zero: fields added later stay off */
    memcpy(node.ext, OTHER, 8);
    node.pan_id = 0xface;
    node.seq = 9;
    uint8_t out[EK_BUILD_MPDU_MAX];
    size_t len = 0;
    ek_err e;
    if (ek_build_eb_frame(&node, &eb, p, out, sizeof out, &len, &e) != EK_OK)
        s->bad = true;
    else
        chunk(s, out, len);
}

/* One set of scenarios in one configuration (byte 0 = sel). */
static void scenarios(uint8_t sel)
{
    ek_profile p;
    ek_profile_default(&p);
    p.mep = (ek_mep_profile)(sel & 3);
    p.ji = (sel & 4) ? EK_JI_BYTE_ALIGNED : EK_JI_RFC9032_LITERAL;
    seed s;

    /* the parent's DIO with the option, then quiet time (DIOs on Trickle + EBs) */
    seed_start(&s, sel);
    add_dio(&s, &p, &(dio_spec){ PARENT, 256, 240, true, 240, false, 0x30, 0 }, 1);
    seed_write(&s, "parent-opt", sel);

    /* no option: default 0x40 (EP-17) */
    seed_start(&s, sel);
    add_dio(&s, &p, &(dio_spec){ PARENT, 256, 240, false, 0, false, 0, 0 }, 1);
    seed_write(&s, "parent-noopt", sel);

    /* newer option version with T=1 and a higher minimum, then an older one again */
    seed_start(&s, sel);
    add_dio(&s, &p, &(dio_spec){ PARENT, 256, 240, true, 240, false, 0x20, 0 }, 1);
    add_dio(&s, &p, &(dio_spec){ PARENT, 256, 240, true, 241, true, 0x50, 0 }, 2);
    add_dio(&s, &p, &(dio_spec){ PARENT, 256, 240, true, 240, false, 0x10, 0 }, 3);
    add_dio(&s, &p, &(dio_spec){ PARENT, 256, 240, true, 5, true, 0x11, 0 }, 4);
    seed_write(&s, "versions", sel);

    /* enrollment disabled: 0x7f */
    seed_start(&s, sel);
    add_dio(&s, &p, &(dio_spec){ PARENT, 256, 240, true, 240, false, 0x7f, 0 }, 1);
    add_dio(&s, &p, &(dio_spec){ PARENT, 256, 240, true, 241, true, 0x7e, 0 }, 2);
    seed_write(&s, "disabled", sel);

    /* an unknown option before the others; Pad1/PadN; a Length past the end */
    seed_start(&s, sel);
    add_dio(&s, &p, &(dio_spec){ PARENT, 256, 240, true, 240, false, 0x30, 1 }, 1);
    add_dio(&s, &p, &(dio_spec){ PARENT, 256, 240, true, 240, false, 0x31, 3 }, 2);
    add_dio(&s, &p, &(dio_spec){ PARENT, 256, 240, true, 241, false, 0x32, 2 }, 3);
    seed_write(&s, "options", sel);

    /* a second neighbour: worse (ignored for the option), then much better (new parent) */
    seed_start(&s, sel);
    add_dio(&s, &p, &(dio_spec){ PARENT, 768, 240, true, 240, false, 0x30, 0 }, 1);
    add_dio(&s, &p, &(dio_spec){ OTHER, 1024, 240, true, 240, false, 0x60, 0 }, 1);
    add_dio(&s, &p, &(dio_spec){ OTHER, 256, 240, true, 242, true, 0x08, 0 }, 2);
    seed_write(&s, "neighbour", sel);

    /* the parent poisons its route (INFINITE_RANK, RFC 6550 §8.2.2.5), then a new DODAG Version */
    seed_start(&s, sel);
    add_dio(&s, &p, &(dio_spec){ PARENT, 256, 240, true, 240, false, 0x30, 0 }, 1);
    add_dio(&s, &p, &(dio_spec){ OTHER, 512, 240, false, 0, false, 0, 0 }, 1);
    add_dio(&s, &p, &(dio_spec){ PARENT, 0xffff, 240, true, 240, false, 0x30, 0 }, 2);
    add_dio(&s, &p, &(dio_spec){ PARENT, 256, 241, true, 241, false, 0x30, 0 }, 3);
    seed_write(&s, "poison", sel);

    /* joined, then a multicast DIS (Trickle reset, §8.3) and a neighbour's EB */
    seed_start(&s, sel);
    add_dio(&s, &p, &(dio_spec){ PARENT, 256, 240, true, 240, false, 0x30, 0 }, 1);
    add_dis(&s, &p);
    add_eb(&s, &p, 0x22);
    add_dis(&s, &p);
    seed_write(&s, "dis-eb", sel);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
        return 2;
    }
    outdir = argv[1];
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
        perror(outdir);
        return 1;
    }
    /* every profile x JI layout with the default k and cost; a few k / cost / no-fix-up variants */
    for (unsigned sel = 0; sel < 8; sel++)
        scenarios((uint8_t)sel);
    static const uint8_t more[] = { 0x0b, 0x13, 0x1f, 0x23, 0x43, 0x87, 0xc3 };
    for (unsigned i = 0; i < sizeof more; i++)
        scenarios(more[i]);
    printf("refnode_seedgen: %u seeds in %s\n", n_written, outdir);
    return 0;
}
