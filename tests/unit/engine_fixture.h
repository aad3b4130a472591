/*
 * engine_fixture.h - a shop built by hand in memory for engine tests: a
 * YAML config, a dataset filled event by event, and a query over it.
 */
#ifndef CT_ENGINE_FIXTURE_H
#define CT_ENGINE_FIXTURE_H

#include "common.h"

#include <math.h>

#include "model/civil.h"
#include "model/config.h"
#include "model/dataset.h"
#include "model/query.h"
#include "model/tstamp.h"
#include "model/tz.h"

struct shop {
    struct config *cfg;
    struct dataset *ds;
    struct tz *tz;
    struct query q;
    int have_query;
};

/* One event: customer key, ISO time, event, value (NAN for none), channel,
 * session (NULL for none), rating (0 for none). */
struct ev {
    const char *cust, *ts, *event;
    double value;
    const char *channel, *session;
    int rating;
};

static inline void shop_open(struct shop *s, const char *yaml)
{
    memset(s, 0, sizeof *s);
    struct ct_errlist errs = {0};
    if (config_load_text(yaml, strlen(yaml), "test.yaml", &s->cfg, &errs) != 0) {
        char buf[1200];
        ct_error_format(&errs.items[0], buf, sizeof buf);
        fail_msg("config: %s", buf);
    }
    ct_errlist_free(&errs);
    struct ct_error err;
    assert_int_equal(tz_open(s->cfg->timezone, &s->tz, &err), 0);
    s->ds = dataset_new(0, NULL);
}

/* Add events; customers are created in order of first appearance. */
static inline void shop_events(struct shop *s, const struct ev *evs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t c = dataset_find_key(s->ds, evs[i].cust);
        if (c == (size_t)-1)
            c = dataset_add_customer(s->ds, evs[i].cust, NULL, NULL, evs[i].channel);
        int64_t ms;
        const char *why;
        if (tstamp_parse(evs[i].ts, strlen(evs[i].ts), s->tz, &ms, &why))
            fail_msg("bad test time %s: %s", evs[i].ts, why);
        dataset_add_event(s->ds, c, ms, evs[i].event, evs[i].value, evs[i].channel,
                          evs[i].session, evs[i].rating);
    }
    dataset_finish(s->ds);
}

/* A random shop for comparing two ways of computing the same figure:
 * customers with 0-40 events from 2024-01 over about 18 months, in random
 * order of arrival; every event has a finite value, so a min_value far
 * below zero matches every event of a name. */
static inline void shop_random(struct shop *s, unsigned seed, size_t customers)
{
    static const char *const names[] = {"page_view", "purchase", "signup", "review", "refund"};
    static const char *const channels[] = {"ads", "email", "social"};
    uint64_t x = seed * UINT64_C(0x9E3779B97F4A7C15) + 1;
#define RND() (x ^= x << 13, x ^= x >> 7, x ^= x << 17, x)
    int64_t t0 = civil_days(2024, 1, 1) * INT64_C(86400000);
    for (size_t c = 0; c < customers; c++) {
        char key[16];
        snprintf(key, sizeof key, "r%05zu", c);
        size_t ci = dataset_add_customer(s->ds, key, NULL, NULL, channels[RND() % 3]);
        int64_t t = t0 + (int64_t)(RND() % (400 * UINT64_C(86400000)));
        int n = (int)(RND() % 41);
        for (int e = 0; e < n; e++) {
            /* ties, minutes, days and weeks apart */
            static const uint64_t gap[] = {0, 3600000, 3 * UINT64_C(86400000),
                                           30 * UINT64_C(86400000)};
            uint64_t g = gap[RND() % 4];
            t += g ? (int64_t)(RND() % g) : 0;
            const char *nm = names[RND() % 5];
            double v = (double)(RND() % 20000) / 100.0;
            dataset_add_event(s->ds, ci, t, nm, v, channels[RND() % 3], NULL, 0);
        }
    }
#undef RND
    dataset_finish(s->ds);
}

/* Resolve the query (from/to/now may be NULL) for segment (NULL = all). */
static inline void shop_query(struct shop *s, const char *from, const char *to, const char *now,
                              const char *segment)
{
    struct range r;
    struct ct_error err;
    if (s->have_query)
        query_free(&s->q);
    assert_int_equal(range_resolve(s->tz, from, to, now, s->ds->newest_ms, &r, &err), 0);
    assert_int_equal(query_init(&s->q, s->cfg, s->ds, s->tz, &r, segment, &err), 0);
    s->have_query = 1;
}

static inline void shop_close(struct shop *s)
{
    if (s->have_query)
        query_free(&s->q);
    dataset_free(s->ds);
    tz_close(s->tz);
    config_free(s->cfg);
}

#define N NAN
#define assert_num(n, expected)                                                                 \
    do {                                                                                        \
        assert_false((n).null);                                                                 \
        assert_true(fabs((n).v - (expected)) < 1e-9);                                           \
    } while (0)
#define assert_num_null(n) assert_true((n).null)

#endif
