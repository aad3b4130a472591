/*
 * test_cohort.c - cohort cells, views, future nulls and the summary on
 * hand-computed shops (SPEC 5.3).
 */
#include "engine_fixture.h"

#include "model/cohort.h"
#include "model/lifecycle.h"

static void test_months_views_future(void **state)
{
    (void)state;
    struct shop s;
    shop_open(&s, "cohorts: { entry: purchase, return: purchase, period: month, periods: 3 }\n");
    static const struct ev evs[] = {
        {"ann", "2024-01-10T10:00:00Z", "purchase", 100, "web", NULL, 0},
        {"ann", "2024-02-05T10:00:00Z", "purchase", 50, "web", NULL, 0},
        {"ann", "2024-02-06T10:00:00Z", "purchase", 10, "web", NULL, 0},
        {"ben", "2024-01-20T10:00:00Z", "purchase", 60, "web", NULL, 0},
        {"ben", "2023-12-31T10:00:00Z", "page_view", N, "web", NULL, 0},
        {"cid", "2024-02-14T10:00:00Z", "purchase", 30, "web", NULL, 0},
        {"cid", "2024-03-03T10:00:00Z", "purchase", 90, "web", NULL, 0},
        {"cid", "2024-04-03T10:00:00Z", "purchase", 999, "web", NULL, 0}, /* after now */
    };
    shop_events(&s, evs, sizeof evs / sizeof *evs);
    shop_query(&s, NULL, NULL, "2024-03-31T00:00:00Z", NULL);
    struct cohort_res r;
    struct ct_error err;
    assert_int_equal(cohort_compute(&s.q, PERIOD_MONTH, 3, &r, &err), 0);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.rows[0].label, "2024-01");
    assert_int_equal(r.rows[0].size, 2);
    /* customers: Jan 2, Feb ann 1, Mar 0 */
    assert_num(cohort_value(&r, 0, 0, VIEW_CUSTOMERS), 2);
    assert_num(cohort_value(&r, 0, 1, VIEW_CUSTOMERS), 1);
    assert_num(cohort_value(&r, 0, 2, VIEW_CUSTOMERS), 0);
    /* pct: 100, 50, 0 */
    assert_num(cohort_value(&r, 0, 1, VIEW_PCT), 50);
    /* revenue per cohort customer: (100 + 60) / 2 = 80, (50 + 10) / 2 = 30 */
    assert_num(cohort_value(&r, 0, 0, VIEW_REVENUE), 80);
    assert_num(cohort_value(&r, 0, 1, VIEW_REVENUE), 30);
    assert_num(cohort_value(&r, 0, 2, VIEW_CUM_REVENUE), 110);
    /* orders per customer: Feb 2 orders / 2 = 1 */
    assert_num(cohort_value(&r, 0, 1, VIEW_ORDERS), 1);
    /* Feb cohort: cid; Mar 1; Apr starts after now: null in every view */
    assert_string_equal(r.rows[1].label, "2024-02");
    assert_num(cohort_value(&r, 1, 1, VIEW_CUSTOMERS), 1);
    assert_num_null(cohort_value(&r, 1, 2, VIEW_CUSTOMERS));
    assert_num_null(cohort_value(&r, 1, 2, VIEW_CUM_REVENUE));
    /* summary as of now: buyers ann (3), ben (1), cid (2): repeat 2/3,
     * frequency 6/3 = 2, AOV (100+50+10+60+30+90)/6 = 56.67 */
    assert_num(r.summary.repeat_rate_pct, 200.0 / 3);
    assert_num(r.summary.purchase_frequency, 2);
    assert_num(r.summary.aov, 340.0 / 6);
    /* churn point 2024-03-31 - 90 d = 2024-01-01: nobody bought before it */
    assert_num_null(r.summary.churn_rate_pct);
    /* first to second order: ann 01-10 -> 02-05 = 26 days, cid 02-14 ->
     * 03-03 = 18 days (2024 is a leap year); ben has one order.  Median 22,
     * p90 = 18 + 0.9 x 8 = 25.2; both in the 15-30 day bin. */
    assert_int_equal(r.summary.second_customers, 2);
    assert_num(r.summary.second_median_days, 22);
    assert_num(r.summary.second_p90_days, 25.2);
    assert_int_equal(r.summary.second_hist[2], 2);
    assert_int_equal(r.summary.second_hist[0] + r.summary.second_hist[1], 0);
    cohort_res_free(&r);
    /* the cell's customers */
    size_t *who, n;
    int64_t jan = period_index(s.tz, PERIOD_MONTH, 1704067200000);
    assert_int_equal(cohort_cell_customers(&s.q, PERIOD_MONTH, jan, 1, &who, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(s.ds->cust_key[who[0]], "ann");
    free(who);
    /* the range picks cohorts: February only */
    shop_query(&s, "2024-02-01", "2024-02-29", "2024-03-31T00:00:00Z", NULL);
    assert_int_equal(cohort_compute(&s.q, PERIOD_MONTH, 3, &r, &err), 0);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.rows[0].label, "2024-02");
    cohort_res_free(&r);
    shop_close(&s);
}

static void test_signup_entry_and_weeks(void **state)
{
    (void)state;
    struct shop s;
    shop_open(&s, "shop: { timezone: Europe/Helsinki }\n"
                  "cohorts: { entry: newsletter_signup, return: purchase, period: week, "
                  "periods: 2 }\n");
    /* Monday 2024-03-04 00:30 local is Sunday 22:30Z: week 10 in Helsinki */
    static const struct ev evs[] = {
        {"ann", "2024-03-03T22:30:00Z", "newsletter_signup", N, "web", NULL, 0},
        {"ann", "2024-03-05T10:00:00Z", "purchase", 20, "web", NULL, 0},
        {"ben", "2024-03-06T10:00:00Z", "newsletter_signup", N, "web", NULL, 0},
        {"ben", "2024-03-12T10:00:00Z", "purchase", 20, "web", NULL, 0},
        {"cid", "2024-03-01T10:00:00Z", "purchase", 20, "web", NULL, 0}, /* never signs up */
    };
    shop_events(&s, evs, sizeof evs / sizeof *evs);
    shop_query(&s, NULL, NULL, "2024-03-20T00:00:00Z", NULL);
    struct cohort_res r;
    struct ct_error err;
    assert_int_equal(cohort_compute(&s.q, PERIOD_WEEK, 2, &r, &err), 0);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.rows[0].label, "2024-W10");
    assert_int_equal(r.rows[0].size, 2);
    /* offset 0 counts who bought in the signup week: ann; offset 1: ben */
    assert_num(cohort_value(&r, 0, 0, VIEW_CUSTOMERS), 1);
    assert_num(cohort_value(&r, 0, 1, VIEW_CUSTOMERS), 1);
    cohort_res_free(&r);
    shop_close(&s);
}

static void test_lifecycle(void **state)
{
    (void)state;
    struct shop s;
    shop_open(&s, "cohorts: { period: month }\n");
    static const struct ev evs[] = {
        /* ann: Jan, Feb, Apr */
        {"ann", "2024-01-10T10:00:00Z", "purchase", 10, "web", NULL, 0},
        {"ann", "2024-02-10T10:00:00Z", "purchase", 10, "web", NULL, 0},
        {"ann", "2024-02-11T10:00:00Z", "purchase", 10, "web", NULL, 0},
        {"ann", "2024-04-10T10:00:00Z", "purchase", 10, "web", NULL, 0},
        /* ben: Feb only (a page view in March is no purchase) */
        {"ben", "2024-02-20T10:00:00Z", "purchase", 10, "web", NULL, 0},
        {"ben", "2024-03-20T10:00:00Z", "page_view", N, "web", NULL, 0},
        /* cid: the last second of January and the first of February */
        {"cid", "2024-01-31T23:59:59Z", "purchase", 10, "web", NULL, 0},
        {"cid", "2024-02-01T00:00:00Z", "purchase", 10, "web", NULL, 0},
    };
    shop_events(&s, evs, sizeof evs / sizeof *evs);
    shop_query(&s, NULL, NULL, "2024-05-15T00:00:00Z", NULL);
    struct lifecycle_res r;
    struct ct_error err;
    assert_int_equal(lifecycle_compute(&s.q, PERIOD_MONTH, &r, &err), 0);
    /* Jan: new ann, cid.  Feb: new ben, returning ann, cid.  Mar: dormant
     * all three.  Apr: ann resurrects.  May: ann dormant. */
    static const int64_t want[5][4] = {
        {2, 0, 0, 0}, {1, 2, 0, 0}, {0, 0, 0, 3}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    assert_int_equal(r.n, 5);
    assert_string_equal(r.rows[0].label, "2024-01");
    for (size_t i = 0; i < 5; i++) {
        const struct lifecycle_row *w = &r.rows[i];
        int64_t got[4] = {w->new_, w->returning, w->resurrecting, w->dormant};
        for (int k = 0; k < 4; k++)
            if (got[k] != want[i][k])
                fail_msg("%s column %d: %lld, want %lld", w->label, k, (long long)got[k],
                         (long long)want[i][k]);
    }
    lifecycle_res_free(&r);
    /* a range shows its periods only; ann's April is resurrecting because
     * she bought before, even outside the range */
    shop_query(&s, "2024-04-01", "2024-04-30", NULL, NULL);
    assert_int_equal(lifecycle_compute(&s.q, PERIOD_MONTH, &r, &err), 0);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.rows[0].resurrecting, 1);
    assert_int_equal(r.rows[0].new_, 0);
    lifecycle_res_free(&r);
    shop_close(&s);
}

/* The name-only path (a table per event name) and the general one (a
 * matcher with a condition every event meets) give the same triangle and
 * summary, to the cent, with and without a range. */
static void test_fast_path_equals_general(void **state)
{
    (void)state;
    /* two entry names (merged positions) and one (a single name's list) */
    static const char *const fast[] = {
        "shop: { timezone: Europe/Helsinki }\n"
        "segments: [{ name: Ads, where: { channel: ads } }]\n"
        "cohorts: { entry: [signup, purchase], return: purchase }\n",
        "shop: { timezone: Europe/Helsinki }\n"
        "segments: [{ name: Ads, where: { channel: ads } }]\n"
        "cohorts: { entry: purchase, return: purchase }\n"};
    static const char *const general[] = {
        "shop: { timezone: Europe/Helsinki }\n"
        "segments: [{ name: Ads, where: { channel: ads } }]\n"
        "cohorts:\n"
        "  entry: { event: [signup, purchase], min_value: -1000000 }\n"
        "  return: { event: purchase, min_value: -1000000 }\n",
        "shop: { timezone: Europe/Helsinki }\n"
        "segments: [{ name: Ads, where: { channel: ads } }]\n"
        "cohorts:\n"
        "  entry: { event: purchase, min_value: -1000000 }\n"
        "  return: { event: purchase, min_value: -1000000 }\n"};
    static const char *const ranges[][3] = {
        {NULL, NULL, NULL}, {"2024-03-01", "2024-11-30", NULL}, {"2024-05-15", NULL, "2025-01-10"}};
    for (unsigned seed = 1; seed <= 4; seed++)
        for (size_t r = 0; r < sizeof ranges / sizeof *ranges; r++)
            for (int unit = PERIOD_DAY; unit <= PERIOD_MONTH; unit++) {
                struct shop a, b;
                int cf = seed % 2; /* which config pair */
                const char *seg = seed > 2 ? "Ads" : NULL;
                shop_open(&a, fast[cf]);
                shop_open(&b, general[cf]);
                shop_random(&a, seed, 400);
                shop_random(&b, seed, 400);
                shop_query(&a, ranges[r][0], ranges[r][1], ranges[r][2], seg);
                shop_query(&b, ranges[r][0], ranges[r][1], ranges[r][2], seg);
                struct cohort_res x, y;
                struct ct_error err;
                assert_int_equal(cohort_compute(&a.q, (enum period_unit)unit, 8, &x, &err), 0);
                assert_int_equal(cohort_compute(&b.q, (enum period_unit)unit, 8, &y, &err), 0);
                assert_true(x.n > 0);
                assert_int_equal(x.n, y.n);
                for (size_t i = 0; i < x.n; i++) {
                    assert_string_equal(x.rows[i].label, y.rows[i].label);
                    assert_int_equal(x.rows[i].size, y.rows[i].size);
                    for (int k = 0; k < 8; k++) {
                        assert_int_equal(x.rows[i].customers[k], y.rows[i].customers[k]);
                        assert_int_equal(x.rows[i].orders[k], y.rows[i].orders[k]);
                        assert_true(x.rows[i].revenue[k] == y.rows[i].revenue[k]);
                        assert_int_equal(x.rows[i].future[k], y.rows[i].future[k]);
                    }
                }
                assert_int_equal(x.summary.purchasers, y.summary.purchasers);
                assert_int_equal(x.summary.repeaters, y.summary.repeaters);
                assert_int_equal(x.summary.orders, y.summary.orders);
                assert_true(x.summary.revenue == y.summary.revenue);
                assert_int_equal(x.summary.churned, y.summary.churned);
                assert_int_equal(x.summary.churn_base, y.summary.churn_base);
                assert_int_equal(x.summary.second_customers, y.summary.second_customers);
                cohort_res_free(&x);
                cohort_res_free(&y);
                shop_close(&a);
                shop_close(&b);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lifecycle),
        cmocka_unit_test(test_fast_path_equals_general),
        cmocka_unit_test(test_months_views_future),
        cmocka_unit_test(test_signup_entry_and_weeks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
