/*
 * test_stats.c - nullable division and type-7 percentiles (SPEC 5.0).
 */
#include "common.h"

#include <math.h>

#include "model/stats.h"

static void test_division(void **state)
{
    (void)state;
    assert_true(num_div(1, 0).null);
    assert_true(num_pct(0, 0).null);
    assert_false(num_pct(3, 8).null);
    assert_true(fabs(num_pct(3, 8).v - 37.5) < 1e-12); /* 3 of 8 -> 37.5 */
}

static void test_percentile_by_hand(void **state)
{
    (void)state;
    double a[] = {3, 2};
    assert_true(stats_percentile(a, 2, 0.5).v == 2.5); /* the median of 2 and 3 */
    double b[] = {4, 1, 3, 2};
    assert_true(fabs(stats_percentile(b, 4, 0.9).v - 3.7) < 1e-12); /* h = 2.7 */
    double c[] = {600, 60, 120};
    assert_true(fabs(stats_percentile(c, 3, 0.9).v - 504) < 1e-9); /* h = 1.8 */
    double d[] = {7};
    assert_true(stats_percentile(d, 1, 0.9).v == 7);
    assert_true(stats_percentile(NULL, 0, 0.5).null);
}

static int cmp(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Selection against a full sort on random arrays, with many duplicates. */
static void test_percentile_random(void **state)
{
    (void)state;
    uint64_t r = 12345;
    for (int round = 0; round < 3000; round++) {
        size_t n = 1 + (size_t)(r % 60);
        double v[64], s[64];
        for (size_t i = 0; i < n; i++) {
            r = r * 6364136223846793005ull + 1442695040888963407ull;
            v[i] = (double)((r >> 33) % (round % 3 == 0 ? 3 : 1000));
            s[i] = v[i];
        }
        qsort(s, n, sizeof *s, cmp);
        const double ps[] = {0, 0.1, 0.5, 0.9, 1};
        for (size_t k = 0; k < 5; k++) {
            double h = (double)(n - 1) * ps[k];
            size_t lo = (size_t)floor(h);
            double want = lo + 1 < n ? s[lo] + (h - (double)lo) * (s[lo + 1] - s[lo]) : s[lo];
            double copy[64];
            memcpy(copy, v, n * sizeof *v);
            struct ct_num got = stats_percentile(copy, n, ps[k]);
            if (got.null || fabs(got.v - want) > 1e-9)
                fail_msg("round %d n %zu p %.1f: %g, want %g", round, n, ps[k], got.v, want);
            struct ct_num pair[2];
            memcpy(copy, v, n * sizeof *v);
            stats_percentiles(copy, n, (const double[]){0.9, ps[k]}, 2, pair);
            if (pair[1].null || fabs(pair[1].v - want) > 1e-9)
                fail_msg("round %d n %zu p %.1f (pair): %g, want %g", round, n, ps[k], pair[1].v,
                         want);
        }
    }
}

/* Large arrays take another path (a histogram of the values' top bits):
 * negatives, zeros of both signs, heavy duplicates and spread values. */
static void test_percentile_large(void **state)
{
    (void)state;
    uint64_t r = 987654321;
    enum { N = 30000 };
    static double v[N], s[N];
    for (int round = 0; round < 24; round++) {
        size_t n = 8000 + (size_t)(r % (N - 8000));
        for (size_t i = 0; i < n; i++) {
            r = r * 6364136223846793005ull + 1442695040888963407ull;
            uint64_t x = r >> 20;
            if (round % 4 == 0) /* few values */
                v[i] = (double)(x % 5);
            else if (round % 4 == 1) /* gaps in seconds */
                v[i] = (double)(x % 200000) / 1000.0;
            else if (round % 4 == 2) /* both signs */
                v[i] = (double)((int64_t)(x % 2001) - 1000) / 8.0;
            else /* one value mostly, a few far ones */
                v[i] = x % 7 ? 60.0 : (double)(x % 1000003) * 1e3;
            if (round % 4 == 2 && i % 97 == 0)
                v[i] = -0.0;
            s[i] = v[i];
        }
        qsort(s, n, sizeof *s, cmp);
        const double ps[] = {0, 0.1, 0.5, 0.9, 0.99, 1};
        for (size_t k = 0; k < 6; k++) {
            double h = (double)(n - 1) * ps[k];
            size_t lo = (size_t)floor(h);
            double want = lo + 1 < n ? s[lo] + (h - (double)lo) * (s[lo + 1] - s[lo]) : s[lo];
            struct ct_num got = stats_percentile(v, n, ps[k]);
            if (got.null || fabs(got.v - want) > 1e-9 * (1 + fabs(want)))
                fail_msg("round %d n %zu p %.2f: %.17g, want %.17g", round, n, ps[k], got.v, want);
            /* and together with the next one, as the funnel asks */
            struct ct_num two[2];
            stats_percentiles(v, n, &ps[k], k + 1 < 6 ? 2 : 1, two);
            if (two[0].null || fabs(two[0].v - want) > 1e-9 * (1 + fabs(want)))
                fail_msg("round %d n %zu p %.2f (pair): %.17g, want %.17g", round, n, ps[k],
                         two[0].v, want);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_division),
        cmocka_unit_test(test_percentile_by_hand),
        cmocka_unit_test(test_percentile_random),
        cmocka_unit_test(test_percentile_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
