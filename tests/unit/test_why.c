/*
 * test_why.c - why a customer stopped in a funnel (issue 8): one customer
 * per kind of reason, each worked out by hand.
 */
#include "engine_fixture.h"

#include "model/why.h"

static const char yaml[] =
    "shop: { timezone: UTC }\n"
    "funnel: { window: 1d, order: ordered }\n"
    "funnels:\n"
    "  - { name: Checkout, steps: [product_view, add_to_cart, purchase] }\n"
    "  - { name: Strict, order: strict, steps: [product_view, add_to_cart, purchase] }\n"
    "  - { name: Any, order: any, steps: [product_view, add_to_cart, purchase] }\n"
    "  - name: Big\n"
    "    steps:\n"
    "      - { name: Bought, match: purchase }\n"
    "      - { name: Big order, match: { event: purchase, min_value: 50 } }\n";

static const struct ev evs[] = {
    /* ann: product, cart, then nothing: no purchase at all */
    {"ann", "2024-03-05T10:00:00Z", "product_view", N, "web", NULL, 0},
    {"ann", "2024-03-05T10:05:00Z", "add_to_cart", N, "web", NULL, 0},
    /* ben: product, cart 2 days later: too late by 1 day */
    {"ben", "2024-03-05T10:00:00Z", "product_view", N, "web", NULL, 0},
    {"ben", "2024-03-07T10:00:00Z", "add_to_cart", N, "web", NULL, 0},
    /* cid: cart before the product view: out of order */
    {"cid", "2024-03-05T09:00:00Z", "add_to_cart", N, "web", NULL, 0},
    {"cid", "2024-03-05T10:00:00Z", "product_view", N, "web", NULL, 0},
    /* dot: product, page view, cart: fine in order, broken in strict */
    {"dot", "2024-03-05T10:00:00Z", "product_view", N, "web", NULL, 0},
    {"dot", "2024-03-05T10:01:00Z", "page_view", N, "web", NULL, 0},
    {"dot", "2024-03-05T10:02:00Z", "add_to_cart", N, "web", NULL, 0},
    /* eli: the chain starts on 02-28, before the range that starts 03-01 */
    {"eli", "2024-02-29T23:00:00Z", "product_view", N, "web", NULL, 0},
    {"eli", "2024-03-01T01:00:00Z", "add_to_cart", N, "web", NULL, 0},
    /* fay: one purchase of 80 fills "Bought" and cannot fill "Big order" */
    {"fay", "2024-03-05T10:00:00Z", "purchase", 80, "web", NULL, 0},
};

static struct why_res why(struct shop *s, const char *funnel, const char *key)
{
    struct why_res w;
    struct ct_error err;
    const struct funnel_def *f = config_funnel(s->cfg, funnel);
    assert_non_null(f);
    assert_int_equal(why_compute(&s->q, f, dataset_find_key(s->ds, key), &w, &err), 0);
    return w;
}

static void test_reasons(void **state)
{
    (void)state;
    struct shop s;
    shop_open(&s, yaml);
    shop_events(&s, evs, sizeof evs / sizeof *evs);
    shop_query(&s, "2024-03-01", "2024-03-31", NULL, NULL);

    struct why_res w = why(&s, "Checkout", "ann");
    assert_int_equal(w.level, 2);
    assert_true(w.steps[0].reached && w.steps[1].reached && !w.steps[2].reached);
    assert_int_equal(w.steps[1].ts_ms, TS(2024, 3, 5, 10, 5, 0));
    assert_int_equal(w.steps[2].kind, WHY_NONE);
    assert_non_null(strstr(w.steps[2].reason, "no purchase"));
    why_res_free(&w);

    w = why(&s, "Checkout", "ben");
    assert_int_equal(w.level, 1);
    assert_int_equal(w.steps[1].kind, WHY_TOO_LATE);
    assert_non_null(strstr(w.steps[1].reason, "2d 0h after"));
    assert_non_null(strstr(w.steps[1].reason, "1d 0h too late"));
    assert_int_equal(w.steps[2].kind, WHY_AFTER_STOP);
    assert_null(w.steps[2].reason);
    why_res_free(&w);

    w = why(&s, "Checkout", "cid");
    assert_int_equal(w.level, 1);
    assert_int_equal(w.steps[1].kind, WHY_OUT_OF_ORDER);
    assert_non_null(strstr(w.steps[1].reason, "before product_view"));
    why_res_free(&w);

    w = why(&s, "Checkout", "dot");
    assert_int_equal(w.level, 2);
    why_res_free(&w);
    w = why(&s, "Strict", "dot");
    assert_int_equal(w.level, 1);
    assert_int_equal(w.steps[1].kind, WHY_BROKEN);
    assert_non_null(strstr(w.steps[1].reason, "page_view"));
    why_res_free(&w);

    /* eli: inside the range only the cart exists; the chain that reached
     * the cart began on 02-29, before the range */
    w = why(&s, "Checkout", "eli");
    assert_int_equal(w.level, 0);
    assert_int_equal(w.steps[0].kind, WHY_BEFORE_RANGE);
    assert_non_null(strstr(w.steps[0].reason, "before the range"));
    why_res_free(&w);
    /* ann's product view is after the range 03-01..03-04: outside it */
    shop_query(&s, "2024-03-01", "2024-03-04", NULL, NULL);
    w = why(&s, "Checkout", "ann");
    assert_int_equal(w.level, 0);
    assert_int_equal(w.steps[0].kind, WHY_OUTSIDE);
    why_res_free(&w);
    /* with the range from 02-29 the chain is in: level 2 */
    shop_query(&s, "2024-02-29", "2024-03-31", NULL, NULL);
    w = why(&s, "Checkout", "eli");
    assert_int_equal(w.level, 2);
    why_res_free(&w);
    /* from 03-01 with the cart as first step of a chain that went further
     * outside: the Any funnel lets the cart start a window, and the product
     * view before the range would have made 2 */
    shop_query(&s, "2024-03-01", "2024-03-31", NULL, NULL);
    w = why(&s, "Any", "eli");
    assert_int_equal(w.level, 1);
    assert_true(w.steps[1].reached); /* the cart, in any order */
    assert_int_equal(w.steps[0].kind, WHY_BEFORE_RANGE);
    why_res_free(&w);

    w = why(&s, "Big", "fay");
    assert_int_equal(w.level, 1);
    assert_int_equal(w.steps[1].kind, WHY_SAME_EVENT);
    why_res_free(&w);

    /* any order: ben's cart is 2 days after the product view */
    w = why(&s, "Any", "ben");
    assert_int_equal(w.level, 1);
    assert_int_equal(w.steps[1].kind, WHY_TOO_LATE);
    why_res_free(&w);
    shop_close(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reasons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
