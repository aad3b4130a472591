/*
 * demo_live.c - journeys on a wall clock.
 *
 * A min-heap holds the open journeys by the wall time of their next event.
 * Arrivals are paced by the observed flow: each second about rate / (the
 * events a visitor has brought so far) new visitors join, more when the
 * last seconds fell short of the rate.  Deterministic for the
 * same seed and the same sequence of now_ms values.
 */
#include "autoconf.h"

#include <string.h>

#include "model/demo_live.h"
#include "model/mem.h"

/* Events a visitor brings on average (the demo's 290k events / 20k visitors). */
#define EVENTS_PER_VISITOR 14.5
#define MAX_OPEN 200000 /* journeys kept open at once */

struct slot {
    struct demo_journey *j;
    int64_t sim0, wall0; /* the journey's first event: simulated and wall time */
    int64_t due;         /* wall time of its next event */
};

struct demo_live {
    struct demo *d;
    int64_t next, end; /* next customer index to arrive; past the last */
    struct slot *heap;
    size_t n, cap;
    int64_t last_ms;  /* the previous tick */
    double arrivals;  /* fractional visitors owed */
    double flow;      /* events per second, smoothed */
    int64_t visitors, events;
};

static int64_t due_of(const struct slot *s)
{
    int64_t sim = demo_journey_peek_ms(s->j);
    if (sim == INT64_MAX)
        return INT64_MAX;
    return s->wall0 + (int64_t)((double)(sim - s->sim0) / DEMO_LIVE_SPEED);
}

static void sift_up(struct demo_live *l, size_t i)
{
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (l->heap[p].due <= l->heap[i].due)
            break;
        struct slot t = l->heap[p];
        l->heap[p] = l->heap[i];
        l->heap[i] = t;
        i = p;
    }
}

static void sift_down(struct demo_live *l, size_t i)
{
    for (;;) {
        size_t a = 2 * i + 1, b = a + 1, m = i;
        if (a < l->n && l->heap[a].due < l->heap[m].due)
            m = a;
        if (b < l->n && l->heap[b].due < l->heap[m].due)
            m = b;
        if (m == i)
            return;
        struct slot t = l->heap[m];
        l->heap[m] = l->heap[i];
        l->heap[i] = t;
        i = m;
    }
}

int demo_live_open(uint64_t seed, int64_t first_index, const struct tz *tz, int64_t now_ms,
                   struct demo_live **out, struct ct_error *err)
{
    *out = NULL;
    struct demo_params p = {.seed = seed, .customers = DEMO_MAX_CUSTOMERS, .tz = tz};
    struct demo *d;
    int rc = demo_open(&p, &d, err);
    if (rc)
        return rc;
    struct demo_live *l = xcalloc(1, sizeof *l);
    l->d = d;
    l->next = first_index;
    l->end = DEMO_MAX_CUSTOMERS;
    l->last_ms = now_ms;
    *out = l;
    return 0;
}

void demo_live_close(struct demo_live *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        demo_journey_free(l->heap[i].j);
    free(l->heap);
    demo_close(l->d);
    free(l);
}

/* A new visitor arrives at wall time at: its journey starts then. */
static void arrive(struct demo_live *l, int64_t at)
{
    if (l->next >= l->end || l->n >= MAX_OPEN)
        return;
    struct demo_journey *j = demo_journey_new(l->d, l->next++);
    int64_t sim0 = demo_journey_peek_ms(j);
    if (sim0 == INT64_MAX) {
        demo_journey_free(j);
        return;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->heap = xreallocarray(l->heap, l->cap, sizeof *l->heap);
    }
    struct slot *s = &l->heap[l->n];
    s->j = j;
    s->sim0 = sim0;
    s->wall0 = at;
    s->due = at;
    l->visitors++;
    sift_up(l, l->n++);
}

int demo_live_tick(struct demo_live *l, int64_t now_ms, double rate, demo_row_fn fn, void *ctx)
{
    if (now_ms < l->last_ms)
        now_ms = l->last_ms; /* the clock went back: wait for it */
    double dt = (double)(now_ms - l->last_ms) / 1000.0;
    /* arrivals: the steady share, corrected by the recent shortfall */
    if (dt > 0 && rate > 0) {
        /* early on a visitor has brought only its first visit's events:
         * pace by what visitors have brought so far */
        double per = l->visitors ? (double)l->events / (double)l->visitors : 5.0;
        if (per < 2)
            per = 2;
        if (per > EVENTS_PER_VISITOR)
            per = EVENTS_PER_VISITOR;
        double want = rate / per;
        if (l->flow < rate)
            want *= 1.0 + (rate - l->flow) / rate;
        l->arrivals += want * dt;
        int64_t span = now_ms - l->last_ms;
        int k = (int)l->arrivals;
        for (int i = 0; i < k; i++)
            arrive(l, l->last_ms + span * (i + 1) / (k + 1));
        l->arrivals -= k;
    }
    int64_t emitted = 0;
    int rc = 0;
    while (l->n && l->heap[0].due <= now_ms && !rc) {
        struct slot *s = &l->heap[0];
        struct import_row row;
        int64_t due = s->due;
        if (!demo_journey_next(s->j, &row)) {
            s->due = INT64_MAX;
        } else {
            row.ts_ms = due;
            rc = fn(&row, ctx);
            emitted++;
            s->due = due_of(s);
            if (s->due < due)
                s->due = due; /* never back in time */
        }
        if (s->due == INT64_MAX) {
            demo_journey_free(s->j);
            l->heap[0] = l->heap[--l->n];
        }
        sift_down(l, 0);
    }
    l->events += emitted;
    if (dt > 0) {
        double now_flow = (double)emitted / dt;
        l->flow = l->flow == 0 ? now_flow : 0.8 * l->flow + 0.2 * now_flow;
    }
    l->last_ms = now_ms;
    return rc;
}

int64_t demo_live_visitors(const struct demo_live *l)
{
    return l->visitors;
}

int64_t demo_live_events(const struct demo_live *l)
{
    return l->events;
}
