/*
 * test_demo_live.c - the demo shop that keeps selling: deterministic,
 * causal per customer, stamped no later than "now", about the rate asked.
 */
#include "common.h"

#include "model/civil.h"
#include "model/demo_live.h"
#include "model/strmap.h"
#include "model/tz.h"

struct seen {
    struct strmap first_visit; /* key -> has visited (val 1) */
    struct strmap last_ts;     /* key -> last ts (val) */
    int64_t now, rows, purchases, bad_order, future, before_visit;
    uint64_t hash;
};

static int take(const struct import_row *r, void *ctx)
{
    struct seen *s = ctx;
    s->rows++;
    if (r->ts_ms > s->now)
        s->future++;
    size_t kl = strlen(r->customer);
    struct strmap_entry *last = strmap_put(&s->last_ts, r->customer, kl, NULL);
    if (last->aux && (int64_t)last->val > r->ts_ms)
        s->bad_order++;
    last->val = (uint64_t)r->ts_ms;
    last->aux = 1;
    struct strmap_entry *v = strmap_put(&s->first_visit, r->customer, kl, NULL);
    if (!strcmp(r->event, "page_view") || !strcmp(r->event, "product_view"))
        v->val = 1;
    if (!strcmp(r->event, "purchase")) {
        s->purchases++;
        if (!v->val)
            s->before_visit++;
    }
    /* the customer keys start at the first index asked for */
    assert_true(strcmp(r->customer, "c020000") >= 0);
    s->hash = s->hash * 31 + strmap_hash(r->customer, kl) + (uint64_t)r->ts_ms;
    return 0;
}

static struct seen run(int64_t seconds, double rate)
{
    struct tz *tz;
    struct ct_error err;
    assert_int_equal(tz_open("Europe/Helsinki", &tz, &err), 0);
    struct demo_live *l;
    int64_t t0 = TS(2026, 7, 1, 12, 0, 0);
    assert_int_equal(demo_live_open(1, 20000, tz, t0, &l, &err), 0);
    struct seen s;
    memset(&s, 0, sizeof s);
    strmap_init(&s.first_visit);
    strmap_init(&s.last_ts);
    /* four ticks a second, as the live loop does */
    for (int64_t ms = 250; ms <= seconds * 1000; ms += 250) {
        s.now = t0 + ms;
        assert_int_equal(demo_live_tick(l, s.now, rate, take, &s), 0);
    }
    assert_true(demo_live_visitors(l) > 0);
    assert_int_equal(demo_live_events(l), s.rows);
    demo_live_close(l);
    tz_close(tz);
    strmap_free(&s.first_visit);
    strmap_free(&s.last_ts);
    return s;
}

static void test_live(void **state)
{
    (void)state;
    /* ten minutes at 20 events a second: about 12,000 events */
    struct seen a = run(600, 20);
    assert_true(a.rows > 12000 * 7 / 10 && a.rows < 12000 * 13 / 10);
    assert_int_equal(a.future, 0);
    assert_int_equal(a.bad_order, 0);
    assert_int_equal(a.before_visit, 0);
    assert_true(a.purchases > 0); /* within ten minutes someone buys */
    /* the same clock gives the same stream */
    struct seen b = run(600, 20);
    assert_true(a.hash == b.hash);
    assert_int_equal(a.rows, b.rows);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_live),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
