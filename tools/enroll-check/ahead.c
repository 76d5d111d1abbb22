/* SPDX-License-Identifier: BSD-3-Clause */
/* Decode ahead (ahead.h): a single-producer, single-consumer ring of decoded frames.
 * The indexes are atomics; the mutex and condition variables are only touched when one
 * side has to wait for the other. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ahead.h"
#include "ek/pcapio.h"
#include "ek/recdecode.h"

#define MAX_INPUTS 64
#define RING 32  /* frames decoded ahead (each ek_frame is some 18 KiB) */
#define BATCH 8  /* a waiting side is woken when this many frames or slots are ready:
                    one wake-up per frame would cost more than the frame */

typedef struct input {
    const char *path;
    ek_cap_reader *r;
    ek_cap_record rec;
    bool has;
} input;

typedef struct slot {
    ek_ahead_frame out;
    uint8_t *buf;                  /* the record's octets: the frame's views point here */
    size_t cap;
    bool end;                      /* no frame: the inputs are exhausted */
} slot;

struct ek_ahead {
    input in[MAX_INPUTS];
    int n_in;
    ek_profile prof;
    int rc;                        /* the producer's until it is joined */
    slot *ring;
    unsigned threads;
    atomic_uint_fast64_t head;     /* slots filled */
    atomic_uint_fast64_t tail;     /* slots given back */
    atomic_bool stop;              /* the consumer closes early */
    atomic_bool producer_waits, consumer_waits;
    pthread_mutex_t mu;
    pthread_cond_t space, data;
    pthread_t thread;
    bool started;
    uint64_t taken;                /* slots handed to the consumer */
};

static uint64_t rec_ns(const ek_cap_record *rec)
{
    return rec->ts_sec * UINT64_C(1000000000) + rec->ts_nsec;
}

static void advance(ek_ahead *a, input *in)
{
    ek_cap_io io = ek_cap_next(in->r, &in->rec);
    in->has = io == EK_CAP_IO_OK;
    if (io != EK_CAP_IO_OK && io != EK_CAP_IO_EOF) {
        fprintf(stderr, "enroll-check: %s: %s\n", in->path, ek_cap_errmsg(in->r));
        a->rc = 2;
    }
}

/* The earliest record of all inputs, decoded into s; false at the end. */
static bool read_one(ek_ahead *a, slot *s)
{
    for (;;) {
        int best = -1;
        for (int i = 0; i < a->n_in; i++)
            if (a->in[i].has && (best < 0 || rec_ns(&a->in[i].rec) < rec_ns(&a->in[best].rec)))
                best = i;
        if (best < 0)
            return false;
        ek_cap_record rec = a->in[best].rec;
        if (rec.data.len > s->cap) {
            uint8_t *p = realloc(s->buf, rec.data.len);
            if (!p) {
                fputs("enroll-check: out of memory\n", stderr);
                a->rc = 2;
                return false;
            }
            s->buf = p;
            s->cap = rec.data.len;
        }
        if (rec.data.len)
            memcpy(s->buf, rec.data.p, rec.data.len);
        rec.data = ek_view_make(s->buf, rec.data.len);
        advance(a, &a->in[best]); /* the record's octets are copied: the reader may move on */
        ek_cap_frame cf;
        ek_status st = ek_cap_decode_record(&rec, &a->prof, &s->out.f, &cf);
        if (cf.has_zep && !cf.mpdu.p)
            continue; /* a ZEP Ack: no frame on the air */
        s->out.st = st;
        s->out.fcs_ok = !s->out.f.sum.has_fcs || s->out.f.sum.fcs_ok;
        s->out.t_ns = rec_ns(&rec);
        s->out.mpdu = cf.mpdu.p;
        s->out.mpdu_len = cf.mpdu.p ? cf.mpdu.len : 0;
        return true;
    }
}

static void wake(ek_ahead *a, atomic_bool *waits, pthread_cond_t *cv, bool enough)
{
    if (enough && atomic_load(waits)) {
        pthread_mutex_lock(&a->mu);
        pthread_cond_signal(cv);
        pthread_mutex_unlock(&a->mu);
    }
}

static void *producer(void *arg)
{
    ek_ahead *a = arg;
    for (uint64_t h = 0;; h++) {
        /* wait for a free slot (seq_cst: either this side sees the new tail or the other
         * sees producer_waits and signals) */
        while (h - atomic_load(&a->tail) >= RING && !atomic_load(&a->stop)) {
            pthread_mutex_lock(&a->mu);
            atomic_store(&a->producer_waits, true);
            while (h - atomic_load(&a->tail) >= RING && !atomic_load(&a->stop))
                pthread_cond_wait(&a->space, &a->mu);
            atomic_store(&a->producer_waits, false);
            pthread_mutex_unlock(&a->mu);
        }
        if (atomic_load(&a->stop))
            break;
        slot *s = &a->ring[h % RING];
        s->end = !read_one(a, s);
        atomic_store(&a->head, h + 1);
        wake(a, &a->consumer_waits, &a->data, s->end || h + 1 - atomic_load(&a->tail) >= BATCH);
        if (s->end)
            break;
    }
    return NULL;
}

ek_ahead *ek_ahead_open(char **paths, int n, const ek_profile *prof, unsigned threads)
{
    ek_ahead *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->ring = calloc(RING, sizeof *a->ring);
    if (!a->ring) {
        free(a);
        return NULL;
    }
    a->prof = *prof;
    a->threads = threads;
    atomic_init(&a->head, 0);
    atomic_init(&a->tail, 0);
    atomic_init(&a->stop, false);
    atomic_init(&a->producer_waits, false);
    atomic_init(&a->consumer_waits, false);
    pthread_mutex_init(&a->mu, NULL);
    pthread_cond_init(&a->space, NULL);
    pthread_cond_init(&a->data, NULL);
    for (int i = 0; i < n && a->n_in < MAX_INPUTS; i++) {
        char errbuf[512];
        input *in = &a->in[a->n_in];
        in->path = paths[i];
        if (ek_cap_open(paths[i], &in->r, errbuf, sizeof errbuf) != EK_CAP_IO_OK) {
            fprintf(stderr, "enroll-check: %s\n", errbuf);
            a->rc = 2;
            continue;
        }
        int lt = ek_cap_linktype(in->r);
        if (!ek_cap_linktype_supported(lt))
            fprintf(stderr, "enroll-check: %s: link type %d (%s) is not supported; its frames count against nobody\n",
                    paths[i], lt, ek_cap_linktype_name(lt));
        advance(a, in);
        a->n_in++;
    }
    if (threads > 1 && pthread_create(&a->thread, NULL, producer, a) == 0)
        a->started = true;
    else
        a->threads = 1; /* no thread: decoded in the caller's */
    return a;
}

const ek_ahead_frame *ek_ahead_next(ek_ahead *a)
{
    if (a->threads == 1) {
        slot *s = &a->ring[0];
        return read_one(a, s) ? &s->out : NULL;
    }
    /* the slot handed out last is given back */
    atomic_store(&a->tail, a->taken);
    wake(a, &a->producer_waits, &a->space, RING - (atomic_load(&a->head) - a->taken) >= BATCH);
    while (atomic_load(&a->head) <= a->taken) {
        pthread_mutex_lock(&a->mu);
        atomic_store(&a->consumer_waits, true);
        while (atomic_load(&a->head) <= a->taken)
            pthread_cond_wait(&a->data, &a->mu);
        atomic_store(&a->consumer_waits, false);
        pthread_mutex_unlock(&a->mu);
    }
    slot *s = &a->ring[a->taken % RING];
    if (s->end)
        return NULL; /* not taken: the end stays the end */
    a->taken++;
    return &s->out;
}

int ek_ahead_close(ek_ahead *a)
{
    if (!a)
        return 0;
    if (a->started) {
        atomic_store(&a->stop, true);
        pthread_mutex_lock(&a->mu);
        pthread_cond_signal(&a->space);
        pthread_mutex_unlock(&a->mu);
        pthread_join(a->thread, NULL);
    }
    int rc = a->rc;
    for (int i = 0; i < a->n_in; i++)
        ek_cap_close(a->in[i].r);
    for (size_t i = 0; i < RING; i++)
        free(a->ring[i].buf);
    free(a->ring);
    pthread_mutex_destroy(&a->mu);
    pthread_cond_destroy(&a->space);
    pthread_cond_destroy(&a->data);
    free(a);
    return rc;
}
