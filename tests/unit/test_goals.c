/*
 * test_goals.c - goals and conversion rates on hand-computed shops (SPEC 5.2).
 */
#include "engine_fixture.h"

#include "model/goals.h"

static const char yaml[] =
    "shop: { timezone: UTC }\n"
    "goals:\n"
    "  - { name: Signup, kind: micro, match: newsletter_signup }\n"
    "  - { name: Review, kind: micro, match: review }\n"
    "  - { name: Purchase, kind: macro, match: purchase, value: true }\n"
    "  - { name: Second purchase, kind: macro, match: { event: purchase, occurrence: 2 } }\n"
    "segments:\n"
    "  - { name: Social, where: { channel: social } }\n";

static const struct ev shop_events_list[] = {
    {"ann", "2024-03-02T09:00:00Z", "page_view", N, "social", "a1", 0},
    {"ann", "2024-03-02T09:05:00Z", "newsletter_signup", N, "social", "a1", 0},
    {"ann", "2024-03-05T10:00:00Z", "purchase", 120, "social", "a2", 0},
    {"ann", "2024-03-20T10:00:00Z", "purchase", 30, "social", "a3", 0},
    {"ben", "2024-02-20T09:00:00Z", "purchase", 50, "email", "b0", 0}, /* before the range */
    {"ben", "2024-03-03T09:00:00Z", "purchase", 80, "email", "b1", 0}, /* his 2nd: counts */
    {"cid", "2024-03-04T09:00:00Z", "page_view", N, "social", "c1", 0},
    {"cid", "2024-03-04T09:01:00Z", "review", N, "social", "c1", 2},
    {"dot", "2024-04-01T00:00:00Z", "purchase", 10, "email", "d1", 0}, /* after the range */
};

static void test_visitors(void **state)
{
    (void)state;
    struct shop s;
    shop_open(&s, yaml);
    shop_events(&s, shop_events_list, sizeof shop_events_list / sizeof *shop_events_list);
    shop_query(&s, "2024-03-01", "2024-03-31", NULL, NULL);
    struct goals_res g;
    struct ct_error err;
    assert_int_equal(goals_compute(&s.q, &g, &err), 0);
    /* visitors in March: ann, ben, cid = 3; sessions are only counted when
     * the rate is per session */
    assert_int_equal(g.visitors, 3);
    assert_int_equal(g.sessions, -1);
    assert_int_equal(g.n, 4);
    /* Signup: ann -> 1/3 */
    assert_int_equal(g.goals[0].completions, 1);
    assert_num(g.goals[0].rate_pct, 100.0 / 3);
    assert_num_null(g.goals[0].revenue);
    /* Purchase: ann 120 + 30, ben 80 -> 3 completions, 2 converters, 230 */
    assert_int_equal(g.goals[2].completions, 3);
    assert_int_equal(g.goals[2].converters, 2);
    assert_num(g.goals[2].rate_pct, 200.0 / 3);
    assert_num(g.goals[2].revenue, 230);
    /* Second purchase counts from the first event ever: ann's 03-20 and
     * ben's 03-03 (his first was in February) */
    assert_int_equal(g.goals[3].completions, 2);
    assert_int_equal(g.goals[3].converters, 2);
    /* micro totals: ann (signup) and cid (review) -> 2 of 3 */
    assert_int_equal(g.micro.completions, 2);
    assert_int_equal(g.micro.converters, 2);
    assert_num(g.micro.rate_pct, 200.0 / 3);
    assert_num_null(g.micro.revenue);
    assert_int_equal(g.macro.completions, 5);
    assert_num(g.macro.revenue, 230);
    goals_res_free(&g);
    /* the segment keeps ann and cid: Purchase 1 of 2 = 50 %, 150 */
    shop_query(&s, "2024-03-01", "2024-03-31", NULL, "Social");
    assert_int_equal(goals_compute(&s.q, &g, &err), 0);
    assert_int_equal(g.visitors, 2);
    assert_num(g.goals[2].rate_pct, 50);
    assert_num(g.goals[2].revenue, 150);
    goals_res_free(&g);
    shop_close(&s);
    /* per session: March sessions a1 a2 a3 b1 c1 = 5; Purchase in a2, a3,
     * b1 -> 3 of 5 = 60 % */
    struct shop s2;
    char yaml2[sizeof yaml + 64];
    snprintf(yaml2, sizeof yaml2, "%sconversion_rate: { denominator: sessions }\n", yaml);
    shop_open(&s2, yaml2);
    shop_events(&s2, shop_events_list, sizeof shop_events_list / sizeof *shop_events_list);
    shop_query(&s2, "2024-03-01", "2024-03-31", NULL, NULL);
    assert_int_equal(goals_compute(&s2.q, &g, &err), 0);
    assert_int_equal(g.sessions, 5);
    assert_int_equal(g.goals[2].converting_sessions, 3);
    assert_num(g.goals[2].rate_pct, 60);
    assert_int_equal(g.macro.converting_sessions, 3);
    goals_res_free(&g);
    shop_close(&s2);
}

static void test_sessions_and_empty(void **state)
{
    (void)state;
    struct shop s;
    shop_open(&s, "goals:\n  - { name: Purchase, kind: macro, match: purchase, value: true }\n"
                  "conversion_rate: { denominator: sessions }\n");
    /* no session ids: visits are cut after 30 minutes of silence */
    static const struct ev evs[] = {
        {"ann", "2024-03-01T10:00:00Z", "page_view", N, "web", NULL, 0},
        {"ann", "2024-03-01T10:20:00Z", "purchase", 10, "web", NULL, 0},
        {"ann", "2024-03-01T10:49:00Z", "purchase", 5, "web", NULL, 0}, /* same visit */
        {"ann", "2024-03-01T11:20:00Z", "page_view", N, "web", NULL, 0}, /* 31 min: new */
    };
    shop_events(&s, evs, 4);
    shop_query(&s, NULL, NULL, NULL, NULL);
    struct goals_res g;
    struct ct_error err;
    assert_int_equal(goals_compute(&s.q, &g, &err), 0);
    /* 2 sessions, 1 with a purchase -> 50 % */
    assert_int_equal(g.sessions, 2);
    assert_int_equal(g.goals[0].converting_sessions, 1);
    assert_num(g.goals[0].rate_pct, 50);
    goals_res_free(&g);
    /* a range with nobody in it: rates are null, not 0 */
    shop_query(&s, "2025-01-01", "2025-01-31", NULL, NULL);
    assert_int_equal(goals_compute(&s.q, &g, &err), 0);
    assert_int_equal(g.visitors, 0);
    assert_num_null(g.goals[0].rate_pct);
    assert_num(g.goals[0].revenue, 0);
    goals_res_free(&g);
    shop_close(&s);
}

/* Name-only goals per visitor take the gathered path; the same goals with
 * a condition every event meets take the general one: same figures. */
static void test_fast_path_equals_general(void **state)
{
    (void)state;
    /* three names (positions merged, each with its goals) and one */
    static const char *const fast[] = {
        "shop: { timezone: UTC }\n"
        "segments: [{ name: Ads, where: { channel: ads } }]\n"
        "goals:\n"
        "  - { name: Signup, kind: micro, match: signup }\n"
        "  - { name: Review, kind: micro, match: [review, signup] }\n"
        "  - { name: Purchase, kind: macro, match: purchase, value: true }\n",
        "shop: { timezone: UTC }\n"
        "segments: [{ name: Ads, where: { channel: ads } }]\n"
        "goals:\n"
        "  - { name: Signup, kind: micro, match: signup }\n"
        "  - { name: Purchase, kind: macro, match: purchase, value: true }\n"};
    static const char *const general[] = {
        "shop: { timezone: UTC }\n"
        "segments: [{ name: Ads, where: { channel: ads } }]\n"
        "goals:\n"
        "  - { name: Signup, kind: micro, match: { event: signup, min_value: -1000000 } }\n"
        "  - { name: Review, kind: micro, match: [review, signup] }\n"
        "  - { name: Purchase, kind: macro, match: { event: purchase, min_value: -1e6 },"
        " value: true }\n",
        "shop: { timezone: UTC }\n"
        "segments: [{ name: Ads, where: { channel: ads } }]\n"
        "goals:\n"
        "  - { name: Signup, kind: micro, match: { event: signup, min_value: -1000000 } }\n"
        "  - { name: Purchase, kind: macro, match: { event: purchase, min_value: -1e6 },"
        " value: true }\n"};
    static const char *const ranges[][3] = {
        {NULL, NULL, NULL}, {"2024-04-01", "2024-12-31", NULL}, {"2024-02-01", NULL, "2024-10-15"}};
    for (unsigned seed = 1; seed <= 8; seed++)
        for (size_t r = 0; r < 3; r++) {
            struct shop a, b;
            int cf = (seed / 2) % 2;
            const char *seg = seed % 2 ? "Ads" : NULL;
            shop_open(&a, fast[cf]);
            shop_open(&b, general[cf]);
            shop_random(&a, seed, 500);
            shop_random(&b, seed, 500);
            shop_query(&a, ranges[r][0], ranges[r][1], ranges[r][2], seg);
            shop_query(&b, ranges[r][0], ranges[r][1], ranges[r][2], seg);
            struct goals_res x, y;
            struct ct_error err;
            assert_int_equal(goals_compute(&a.q, &x, &err), 0);
            assert_int_equal(goals_compute(&b.q, &y, &err), 0);
            assert_int_equal(x.visitors, y.visitors);
            assert_true(x.goals[x.n - 1].completions > 0);
            for (size_t g = 0; g < x.n; g++) {
                assert_int_equal(x.goals[g].completions, y.goals[g].completions);
                assert_int_equal(x.goals[g].converters, y.goals[g].converters);
                assert_true(x.goals[g].revenue.null == y.goals[g].revenue.null);
                assert_true(x.goals[g].revenue.v == y.goals[g].revenue.v);
            }
            assert_int_equal(x.micro.converters, y.micro.converters);
            assert_int_equal(x.macro.converters, y.macro.converters);
            assert_true(x.macro.revenue.v == y.macro.revenue.v);
            goals_res_free(&x);
            goals_res_free(&y);
            shop_close(&a);
            shop_close(&b);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_visitors),
        cmocka_unit_test(test_sessions_and_empty),
        cmocka_unit_test(test_fast_path_equals_general),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
