/*
 * test_funnel.c - the funnel engine's aggregation (model/funnel.c) against
 * the obvious computation on random shops: step counts are the levels of
 * each customer's chain, and the trend's counts per period are, for each
 * period in which a customer has a first step, the chain of chains starting
 * in that period over all of the customer's events (the engine looks only
 * at the events that can matter).
 */
#include "engine_fixture.h"

#include "model/funnel.h"
#include "model/period.h"

static const char yaml[] =
    "shop: { timezone: Europe/Helsinki }\n"
    "funnels:\n"
    "  - { name: F, window: 3d, steps: [page_view, signup, purchase] }\n"
    "  - name: G\n"
    "    window: 1h\n"
    "    steps: [signup, { name: Again, match: { event: purchase, occurrence: 2 } }, review]\n";

/* Per period of the trend: customers entering and converting, computed
 * the slow way. */
static void reference_trend(struct shop *s, const struct funnel_def *f, enum funnel_order order,
                            enum period_unit unit, const struct funnel_trend *tr,
                            int64_t *entered, int64_t *converted)
{
    const struct query *q = &s->q;
    const struct dataset *ds = s->ds;
    size_t n = tr->n;
    int64_t lo_ms = q->range.has_from ? q->range.from_ms : ds->oldest_ms;
    int64_t hi_ms = q->range.has_to ? q->range.to_ms - 1 : q->range.now_ms;
    if (hi_ms > q->range.now_ms)
        hi_ms = q->range.now_ms;
    int64_t p1 = period_index(s->tz, unit, hi_ms), p0 = p1 - (int64_t)n + 1;
    (void)lo_ms;
    int64_t *bounds = calloc(n + 1, sizeof *bounds);
    for (size_t i = 0; i <= n; i++) {
        bounds[i] = period_start_ms(s->tz, unit, p0 + (int64_t)i);
        if (bounds[i] < q->range.from_ms)
            bounds[i] = q->range.from_ms;
        if (bounds[i] > q->range.to_ms)
            bounds[i] = q->range.to_ms;
    }
    struct funnel_eval fe;
    struct ct_error err;
    assert_int_equal(funnel_eval_init(&fe, f, order, ds, &err), 0);
    for (size_t c = 0; c < ds->n_customers; c++) {
        size_t a = query_lo(q, c), b = query_funnel_hi(q, c);
        for (size_t p = 0; p < n; p++) {
            struct funnel_chain ch;
            funnel_eval_customer(&fe, ds, a, b, bounds[p], bounds[p + 1], &ch);
            int starts = 0;
            for (size_t i = a; i < b; i++)
                starts |= (fe.mask[i - a] & 1) && ds->ts[i] >= bounds[p] && ds->ts[i] < bounds[p + 1];
            if (!starts)
                continue;
            entered[p] += ch.level >= 1;
            converted[p] += ch.level >= fe.k;
        }
    }
    funnel_eval_free(&fe);
    free(bounds);
}

static void test_trend_and_counts_match_reference(void **state)
{
    (void)state;
    static const char *const ranges[][3] = {
        {NULL, NULL, NULL}, {"2024-03-10", "2024-10-20", NULL}, {NULL, NULL, "2024-12-01"}};
    static const int64_t windows[] = {0, 3600000, 3 * INT64_C(86400000)};
    static const enum funnel_order orders[] = {ORDER_ORDERED, ORDER_STRICT, ORDER_ANY};
    int checked = 0;
    for (unsigned seed = 1; seed <= 2; seed++)
        for (size_t r = 0; r < 3; r++) {
            struct shop s;
            shop_open(&s, yaml);
            shop_random(&s, seed, 300);
            shop_query(&s, ranges[r][0], ranges[r][1], ranges[r][2], NULL);
            for (size_t fi = 0; fi < 2; fi++)
                for (size_t w = 0; w < 3; w++)
                    for (size_t o = 0; o < 3; o++)
                        for (int unit = PERIOD_WEEK; unit <= PERIOD_MONTH; unit++) {
                            struct funnel_def f = *config_funnel(s.cfg, fi ? "G" : "F");
                            if (windows[w])
                                f.window_ms = windows[w];
                            struct funnel_trend tr;
                            struct ct_error err;
                            assert_int_equal(funnel_trend_compute(&s.q, &f, orders[o],
                                                                  (enum period_unit)unit, &tr,
                                                                  &err),
                                             0);
                            assert_true(tr.n > 0);
                            int64_t *en = calloc(tr.n, sizeof *en), *cv = calloc(tr.n, sizeof *cv);
                            reference_trend(&s, &f, orders[o], (enum period_unit)unit, &tr, en,
                                            cv);
                            for (size_t p = 0; p < tr.n; p++) {
                                assert_int_equal(tr.entered[p], en[p]);
                                assert_int_equal(tr.converted[p], cv[p]);
                            }
                            free(en);
                            free(cv);
                            funnel_trend_free(&tr);

                            /* step j counts customers whose level is >= j */
                            struct funnel_res res;
                            assert_int_equal(funnel_compute(&s.q, &f, orders[o], &res, &err), 0);
                            struct funnel_eval fe;
                            assert_int_equal(funnel_eval_init(&fe, &f, orders[o], s.ds, &err), 0);
                            int64_t cnt[4] = {0, 0, 0, 0};
                            for (size_t c = 0; c < s.ds->n_customers; c++) {
                                struct funnel_chain ch;
                                funnel_eval_customer(&fe, s.ds, query_lo(&s.q, c),
                                                     query_funnel_hi(&s.q, c), s.q.range.from_ms,
                                                     s.q.range.to_ms, &ch);
                                for (int j = 1; j <= ch.level && j <= 3; j++)
                                    cnt[j]++;
                            }
                            funnel_eval_free(&fe);
                            for (size_t j = 0; j < res.n_steps; j++)
                                assert_int_equal(res.steps[j].customers, cnt[j + 1]);
                            funnel_res_free(&res);
                            checked++;
                        }
            shop_close(&s);
        }
    assert_int_equal(checked, 2 * 3 * 2 * 3 * 3 * 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trend_and_counts_match_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
