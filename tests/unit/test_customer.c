/*
 * test_customer.c - profiles, churn reasons, markers and lists on hand-
 * computed customers (SPEC 5.4).
 */
#include "engine_fixture.h"

#include "model/customer.h"

static const char yaml[] =
    "stages:\n"
    "  - { name: Reach, match: page_view }\n"
    "  - { name: Act, match: [product_view, newsletter_signup] }\n"
    "  - { name: Convert, match: purchase }\n"
    "  - { name: Engage, match: { event: purchase, occurrence: 2 } }\n"
    "goals:\n"
    "  - { name: Signup, kind: micro, match: newsletter_signup }\n"
    "  - { name: Purchase, kind: macro, match: purchase, value: true }\n"
    "loyalty:\n"
    "  - { tier: Bronze, min_spend: 0 }\n"
    "  - { tier: Silver, min_spend: 250 }\n"
    "segments:\n"
    "  - { name: Silver, where: { tier: Silver } }\n";

static const struct ev evs[] = {
    /* anna: the worked example 27, with a refund added */
    {"anna", "2023-10-01T09:00:00Z", "page_view", N, "social", "s1", 0},
    {"anna", "2023-10-01T09:05:00Z", "product_view", N, "social", "s1", 0},
    {"anna", "2023-10-01T09:10:00Z", "purchase", 100, "social", "s1", 0},
    {"anna", "2023-10-11T09:00:00Z", "purchase", 200, "email", "s2", 0},
    {"anna", "2023-10-21T09:00:00Z", "purchase", 300, "email", "s3", 0},
    {"anna", "2023-10-25T09:00:00Z", "refund", -100, "email", "s3", 0},
    {"anna", "2023-11-20T09:00:00Z", "page_view", N, "email", "s4", 0},
    {"anna", "2023-11-25T09:00:00Z", "page_view", N, "email", "s5", 0},
    {"anna", "2023-12-01T09:00:00Z", "page_view", N, "email", "s6", 0},
    {"anna", "2023-12-20T09:00:00Z", "page_view", N, "email", "s7", 0},
    {"anna", "2023-12-22T09:00:00Z", "review", N, "email", "s8", 1},
    {"anna", "2024-02-01T09:00:00Z", "purchase", 900, "email", "s9", 0},
    /* bo: one purchase long ago */
    {"bo", "2023-06-01T09:00:00Z", "purchase", 40, "search", "b1", 0},
    /* cy: only views, recent */
    {"cy", "2024-01-05T09:00:00Z", "page_view", N, "direct", "c1", 0},
};

static void test_profile(void **state)
{
    (void)state;
    struct shop s;
    shop_open(&s, yaml);
    shop_events(&s, evs, sizeof evs / sizeof *evs);
    shop_query(&s, NULL, NULL, "2024-01-10T00:00:00Z", NULL);
    struct customer_ctx cx;
    struct ct_error err;
    assert_int_equal(customer_ctx_init(&cx, &s.q, &err), 0);
    struct profile p;
    customer_profile(&cx, dataset_find_key(s.ds, "anna"), &p);
    assert_string_equal(p.channel, "social");
    assert_int_equal(p.orders, 3);
    assert_true(p.revenue == 600);
    assert_true(p.refunds == 100); /* absolute value */
    assert_true(p.net_spend == 500);
    assert_num(p.aov, 200);
    assert_num(p.refund_rate, 1.0 / 3);
    assert_string_equal(p.tier, "Silver");
    assert_string_equal(p.stage, "Engage");
    assert_int_equal(p.goals_micro, 0);
    assert_int_equal(p.goals_macro, 1);
    assert_int_equal(p.sessions, 8);
    assert_int_equal(p.page_views, 5);
    /* last 30 days: 12-20, 12-22 = 2; the 30 before: 11-20, 11-25, 12-01 = 3 */
    assert_int_equal(p.events_last30, 2);
    assert_int_equal(p.events_prev30, 3);
    assert_int_equal(p.engagement, ENGAGEMENT_DOWN);
    /* overdue (80.6 d > 2 x 10 d), engagement down, negative feedback */
    assert_int_equal(p.n_reasons, 3);
    assert_int_equal(p.churn_risk, RISK_HIGH);
    assert_non_null(strstr(p.reasons[0], "80.6 days"));
    assert_non_null(strstr(p.reasons[2], "rated 1"));
    /* time in stage: Reach at 09:00, Act 09:05, Convert 09:10, Engage 10-11 */
    assert_num(p.stage_time_s[0], 300);
    assert_num(p.stage_time_s[1], 300);
    assert_num(p.stage_time_s[2], 10 * 86400 - 600);
    assert_num_null(p.stage_time_s[3]);
    profile_free(&p);
    /* bo: one purchase 223 days ago > 90 -> low */
    customer_profile(&cx, dataset_find_key(s.ds, "bo"), &p);
    assert_int_equal(p.churn_risk, RISK_LOW);
    assert_string_equal(p.tier, "Bronze");
    assert_num(p.refund_rate, 0); /* 0 refunds of 1 order */
    profile_free(&p);
    /* cy: no purchase: aov null, no overdue reason; 1 event vs 0: up */
    customer_profile(&cx, dataset_find_key(s.ds, "cy"), &p);
    assert_num_null(p.aov);
    assert_int_equal(p.first_purchase_ms, TS_NONE);
    assert_int_equal(p.engagement, ENGAGEMENT_UP);
    assert_int_equal(p.churn_risk, RISK_NONE);
    assert_string_equal(p.stage, "Reach");
    profile_free(&p);
    /* timeline markers: each stage once, the goal once */
    struct timeline tl;
    customer_timeline(&cx, dataset_find_key(s.ds, "anna"), &tl);
    assert_int_equal(tl.n, 11); /* the February purchase is after now */
    assert_int_equal(tl.items[0].n_markers, 1);
    assert_string_equal(tl.items[0].markers[0], "stage: Reach");
    assert_string_equal(tl.items[2].markers[0], "stage: Convert");
    assert_string_equal(tl.items[2].markers[1], "goal: Purchase");
    assert_string_equal(tl.items[3].markers[0], "stage: Engage");
    assert_true(tl.items[5].value.v == -100);
    timeline_free(&tl);
    customer_ctx_free(&cx);
    shop_close(&s);
}

static void test_lists(void **state)
{
    (void)state;
    struct shop s;
    shop_open(&s, yaml);
    shop_events(&s, evs, sizeof evs / sizeof *evs);
    shop_query(&s, NULL, NULL, "2024-01-10T00:00:00Z", NULL);
    struct profile_list l;
    struct ct_error err;
    assert_int_equal(customer_list(&s.q, SORT_NET_SPEND, 0, 0, &l, &err), 0);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.items[0].key, "anna");
    assert_string_equal(l.items[1].key, "bo");
    assert_string_equal(l.items[2].key, "cy");
    profile_list_free(&l);
    assert_int_equal(customer_list(&s.q, SORT_LAST_SEEN, 0, 1, &l, &err), 0);
    assert_string_equal(l.items[0].key, "cy");
    profile_list_free(&l);
    /* win-back: last purchase before 2023-10-12 (now - 90 d): bo only (anna
     * bought on 10-21) */
    assert_int_equal(customer_list(&s.q, SORT_NET_SPEND, 1, 0, &l, &err), 0);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.items[0].key, "bo");
    profile_list_free(&l);
    /* a range: only customers with an event in it */
    shop_query(&s, "2024-01-01", "2024-01-31", NULL, NULL);
    assert_int_equal(customer_list(&s.q, SORT_NET_SPEND, 0, 0, &l, &err), 0);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.items[0].key, "cy");
    profile_list_free(&l);
    /* the tier segment is evaluated as of now: anna is Silver */
    shop_query(&s, NULL, NULL, "2024-01-10T00:00:00Z", "Silver");
    assert_int_equal(customer_list(&s.q, SORT_NET_SPEND, 0, 0, &l, &err), 0);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.items[0].key, "anna");
    profile_list_free(&l);
    shop_close(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profile),
        cmocka_unit_test(test_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
