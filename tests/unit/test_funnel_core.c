/*
 * test_funnel_core.c - one customer's funnel level, by hand and against a
 * slow, obvious search on random timelines (SPEC 5.1).
 */
#include "common.h"

#include "model/funnel_core.h"

#define A 1u
#define B 2u
#define C 4u
#define D 8u
#define NONE_TS INT64_MIN
#define ALL INT64_MIN, INT64_MAX

static struct funnel_chain run(const int64_t *ts, const uint32_t *mask, size_t n, int k,
                               int64_t w, enum funnel_order order, int64_t from, int64_t to)
{
    struct funnel_chain ch;
    memset(&ch, 0, sizeof ch);
    funnel_customer(ts, mask, n, k, w, order, from, to, &ch);
    return ch;
}

static void test_ordered_basics(void **state)
{
    (void)state;
    /* A B C at 0, 10, 20: level 3; B before A does not count */
    int64_t ts[] = {0, 10, 20};
    uint32_t m[] = {A, B, C};
    struct funnel_chain ch = run(ts, m, 3, 3, 100, ORDER_ORDERED, ALL);
    assert_int_equal(ch.level, 3);
    assert_int_equal(ch.step_ts[1] - ch.step_ts[0], 10);
    uint32_t m2[] = {B, A, C};
    ch = run(ts, m2, 3, 3, 100, ORDER_ORDERED, ALL);
    assert_int_equal(ch.level, 1);
    /* window inclusive: C exactly W after A counts, one more ms does not */
    int64_t ts3[] = {0, 50, 100};
    ch = run(ts3, m, 3, 3, 100, ORDER_ORDERED, ALL);
    assert_int_equal(ch.level, 3);
    ch = run(ts3, m, 3, 3, 99, ORDER_ORDERED, ALL);
    assert_int_equal(ch.level, 2);
    /* no steps, no events */
    assert_int_equal(run(ts, m, 3, 0, 100, ORDER_ORDERED, ALL).level, 0);
    assert_int_equal(run(ts, m, 0, 3, 100, ORDER_ORDERED, ALL).level, 0);
}

static void test_equal_timestamps(void **state)
{
    (void)state;
    /* the same second fills consecutive steps in step order, whatever the
     * order in the input */
    int64_t ts[] = {5, 5, 5};
    uint32_t rev[] = {C, B, A};
    struct funnel_chain ch = run(ts, rev, 3, 3, 10, ORDER_ORDERED, ALL);
    assert_int_equal(ch.level, 3);
    assert_int_equal(ch.step_ts[2], 5);
    /* one event never fills two steps: a single event matching A and B */
    int64_t t1[] = {5};
    uint32_t ab[] = {A | B};
    assert_int_equal(run(t1, ab, 1, 2, 10, ORDER_ORDERED, ALL).level, 1);
    /* example 04: purchase 90 (matches both) listed before 30 (only step 1):
     * 30 fills step 1 and 90 step 2 */
    int64_t t2[] = {5, 5};
    uint32_t both[] = {A | B, A};
    struct funnel_chain c2 = run(t2, both, 2, 2, 10, ORDER_ORDERED, ALL);
    assert_int_equal(c2.level, 2);
    assert_int_equal(c2.step_ts[1] - c2.step_ts[0], 0);
}

static void test_range_start(void **state)
{
    (void)state;
    /* a chain counts only if its first step is in [from, to); later steps may
     * fall after `to` */
    int64_t ts[] = {0, 100, 150, 300};
    uint32_t m[] = {A, A, B, B};
    struct funnel_chain ch = run(ts, m, 4, 2, 60, ORDER_ORDERED, 50, 120);
    assert_int_equal(ch.level, 2); /* A@100 then B@150 */
    assert_int_equal(ch.step_ts[0], 100);
    ch = run(ts, m, 4, 2, 60, ORDER_ORDERED, 120, 400);
    assert_int_equal(ch.level, 0); /* no A in range */
    /* `to` is exclusive */
    ch = run(ts, m, 4, 2, 60, ORDER_ORDERED, 0, 100);
    assert_int_equal(ch.level, 1);
}

static void test_earliest_chain_times(void **state)
{
    (void)state;
    /* example 10, rae: view 0, carts 30 and 120, purchase 180: 30 s, 150 s */
    int64_t ts[] = {0, 30, 120, 180};
    uint32_t m[] = {A, B, B, C};
    struct funnel_chain ch = run(ts, m, 4, 3, 300, ORDER_ORDERED, ALL);
    assert_int_equal(ch.level, 3);
    assert_int_equal(ch.step_ts[1] - ch.step_ts[0], 30);
    assert_int_equal(ch.step_ts[2] - ch.step_ts[1], 150);
    /* quinn: an early chain that stops at 2, a later one reaching 3 */
    int64_t t2[] = {0, 5, 10000, 10010, 10020};
    uint32_t m2[] = {A, B, A, B, C};
    ch = run(t2, m2, 5, 3, 300, ORDER_ORDERED, ALL);
    assert_int_equal(ch.level, 3);
    assert_int_equal(ch.step_ts[0], 10000);
    /* first reach of each stage: 2 steps first at 5, 3 at 10020 */
    assert_int_equal(ch.first_ts[0], 0);
    assert_int_equal(ch.first_ts[1], 5);
    assert_int_equal(ch.first_ts[2], 10020);
}

static void test_strict(void **state)
{
    (void)state;
    /* SPEC 5.1: steps A, B, C; events {A, B} at 0, B at 1, C at 2 -> 3 */
    int64_t ts[] = {0, 0, 1, 2};
    uint32_t m[] = {A, B, B, C};
    struct funnel_chain ch = run(ts, m, 4, 3, 10, ORDER_STRICT, ALL);
    assert_int_equal(ch.level, 3);
    assert_int_equal(ch.step_ts[0], 0);
    assert_int_equal(ch.step_ts[1], 1);
    assert_int_equal(ch.step_ts[2], 2);
    /* an unrelated event strictly between breaks the chain */
    int64_t t2[] = {0, 1, 2};
    uint32_t m2[] = {A, 0, B};
    assert_int_equal(run(t2, m2, 3, 2, 10, ORDER_STRICT, ALL).level, 1);
    assert_int_equal(run(t2, m2, 3, 2, 10, ORDER_ORDERED, ALL).level, 2);
    /* ...but not one in the same second as a step */
    int64_t t3[] = {0, 0, 2};
    assert_int_equal(run(t3, m2, 3, 2, 10, ORDER_STRICT, ALL).level, 2);
    /* a repeated step in between also breaks it (it is another event) */
    int64_t t4[] = {0, 1, 2};
    uint32_t m4[] = {A, A, B};
    ch = run(t4, m4, 3, 2, 10, ORDER_STRICT, ALL);
    assert_int_equal(ch.level, 2); /* from the second A */
    assert_int_equal(ch.step_ts[0], 1);
}

/* Many first steps whose chains fail before one succeeds: the search for
 * the earliest chain runs out of its budget and the backward pass must
 * give the same answer.  Step 1 every second from 0 to 1999, step 2 once
 * at 2500, window 600: the earliest start that reaches it is 1900. */
static void test_many_failing_starts(void **state)
{
    (void)state;
    size_t n = 2001;
    int64_t *ts = calloc(n, sizeof *ts);
    uint32_t *m = calloc(n, sizeof *m);
    for (size_t i = 0; i < 2000; i++) {
        ts[i] = (int64_t)i;
        m[i] = A;
    }
    ts[2000] = 2500;
    m[2000] = B;
    struct funnel_chain ch = run(ts, m, n, 2, 600, ORDER_ORDERED, ALL);
    assert_int_equal(ch.level, 2);
    assert_int_equal(ch.step_ts[0], 1900);
    assert_int_equal(ch.step_ts[1], 2500);
    free(ts);
    free(m);
}

static void test_any(void **state)
{
    (void)state;
    /* example 08, ann: C, B, A within the window: 3 */
    int64_t ts[] = {0, 60, 120};
    uint32_t m[] = {C, B, A};
    struct funnel_chain ch = run(ts, m, 3, 3, 86400, ORDER_ANY, ALL);
    assert_int_equal(ch.level, 3);
    assert_int_equal(ch.step_ts[0], 0);
    assert_int_equal(ch.step_ts[2], 120);
    /* ben: two steps farther apart than the window: 1 */
    int64_t t2[] = {0, 200000};
    uint32_t m2[] = {B, A};
    assert_int_equal(run(t2, m2, 2, 3, 86400, ORDER_ANY, ALL).level, 1);
    /* one event never fills two steps */
    int64_t t3[] = {0};
    uint32_t m3[] = {A | B};
    assert_int_equal(run(t3, m3, 1, 2, 10, ORDER_ANY, ALL).level, 1);
    /* the window must start in the range */
    assert_int_equal(run(ts, m, 3, 3, 86400, ORDER_ANY, 30, 100).level, 2);
}

/* --- the slow, obvious version ----------------------------------------------- */

struct brute {
    const int64_t *ts;
    const uint32_t *m;
    size_t n;
    int k;
    int64_t w, from, to;
    enum funnel_order order;
    int used[16];
    int64_t cur[8];
    int best;
    int64_t best_ts[8];
};

static int strict_gap_ok(const struct brute *b, int64_t t1, int64_t t2)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->ts[i] > t1 && b->ts[i] < t2)
            return 0;
    return 1;
}

/* Extend a chain of length len; chains are tried in lexicographic time
 * order by trying candidate events by time, so the first chain found at the
 * best level is the earliest. */
static void extend(struct brute *b, int len)
{
    if (len > b->best) {
        b->best = len;
        memcpy(b->best_ts, b->cur, sizeof b->cur);
    } else if (len == b->best && len > 0) {
        for (int j = 0; j < len; j++) {
            if (b->cur[j] < b->best_ts[j]) {
                memcpy(b->best_ts, b->cur, sizeof b->cur);
                break;
            }
            if (b->cur[j] > b->best_ts[j])
                break;
        }
    }
    if (len == b->k)
        return;
    for (size_t i = 0; i < b->n; i++) {
        if (b->used[i] || !(b->m[i] >> len & 1))
            continue;
        if (len == 0 && (b->ts[i] < b->from || b->ts[i] >= b->to))
            continue;
        if (len > 0) {
            if (b->ts[i] < b->cur[len - 1] || b->ts[i] - b->cur[0] > b->w)
                continue;
            if (b->order == ORDER_STRICT && !strict_gap_ok(b, b->cur[len - 1], b->ts[i]))
                continue;
        }
        b->used[i] = 1;
        b->cur[len] = b->ts[i];
        extend(b, len + 1);
        b->used[i] = 0;
    }
}

/* Any order: most steps matched by distinct events in [t, t + W]. */
static int any_match(const struct brute *b, int64_t t0, int64_t upto, int step, int *used)
{
    if (step == b->k)
        return 0;
    int best = any_match(b, t0, upto, step + 1, used); /* leave this step out */
    for (size_t i = 0; i < b->n; i++) {
        if (used[i] || !(b->m[i] >> step & 1) || b->ts[i] < t0 || b->ts[i] > upto)
            continue;
        used[i] = 1;
        int v = 1 + any_match(b, t0, upto, step + 1, used);
        used[i] = 0;
        if (v > best)
            best = v;
    }
    return best;
}

static void brute_any(struct brute *b)
{
    b->best = 0;
    int used[16] = {0};
    int64_t best_t0 = 0;
    for (size_t s = 0; s < b->n; s++) {
        if (!b->m[s] || b->ts[s] < b->from || b->ts[s] >= b->to)
            continue;
        int v = any_match(b, b->ts[s], b->ts[s] + b->w, 0, used);
        if (v > b->best || (v == b->best && v > 0 && b->ts[s] < best_t0)) {
            b->best = v;
            best_t0 = b->ts[s];
        }
    }
    /* j-th step: the first time the window up to then matches j steps */
    for (int j = 1; j <= b->best; j++)
        for (size_t i = 0; i < b->n; i++) {
            int64_t t = b->ts[i];
            if (t < best_t0 || t > best_t0 + b->w)
                continue;
            if (any_match(b, best_t0, t, 0, used) >= j &&
                (b->best_ts[j - 1] == NONE_TS || t < b->best_ts[j - 1]))
                b->best_ts[j - 1] = t;
        }
}

static uint64_t rng_state = 88172645463325252ull;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

static void test_against_brute_force(void **state)
{
    (void)state;
    const enum funnel_order orders[] = {ORDER_ORDERED, ORDER_STRICT, ORDER_ANY};
    for (int round = 0; round < 6000; round++) {
        int64_t ts[10];
        uint32_t m[10];
        size_t n = 1 + rnd(9);
        int k = 1 + (int)rnd(4);
        int64_t t = 0;
        for (size_t i = 0; i < n; i++) {
            t += rnd(3) == 0 ? 0 : (int64_t)rnd(5); /* many ties */
            ts[i] = t;
            uint32_t r = rnd(8);
            m[i] = r < 2 ? 0 : r < 6 ? (1u << rnd((uint32_t)k)) : rnd(1u << k);
        }
        int64_t w = 1 + rnd(12);
        int64_t from = rnd(3) ? INT64_MIN : (int64_t)rnd(8);
        int64_t to = rnd(3) ? INT64_MAX : from + 1 + (int64_t)rnd(10);
        if (from == INT64_MIN && to != INT64_MAX)
            to = 1 + (int64_t)rnd(10);
        enum funnel_order order = orders[round % 3];
        struct brute b = {.ts = ts, .m = m, .n = n, .k = k, .w = w, .from = from, .to = to,
                          .order = order};
        for (int j = 0; j < 8; j++)
            b.best_ts[j] = NONE_TS;
        if (order == ORDER_ANY)
            brute_any(&b);
        else
            extend(&b, 0);
        struct funnel_chain ch = run(ts, m, n, k, w, order, from, to);
        if (ch.level != b.best)
            fail_msg("round %d order %d: level %d, brute force %d", round, order, ch.level,
                     b.best);
        for (int j = 0; j < ch.level; j++)
            if (ch.step_ts[j] != b.best_ts[j])
                fail_msg("round %d order %d: step %d at %lld, brute force %lld", round, order,
                         j + 1, (long long)ch.step_ts[j], (long long)b.best_ts[j]);
    }
}

/* Ordered chains without ties, the usual data: then the earliest next step
 * is always best, so from each start one greedy walk gives the longest
 * chain from there and the earliest time it reaches each level.  The
 * level is the best over starts, step_ts the walk of the earliest start
 * reaching it, first_ts[j] the earliest any walk reached level j + 1.
 * Timelines are long (up to 400 events, past the engine's on-stack
 * buffers) and mix all steps. */
static void test_ordered_long_timelines(void **state)
{
    (void)state;
    enum { MAXN = 400 };
    static int64_t ts[MAXN];
    static uint32_t m[MAXN];
    for (int round = 0; round < 400; round++) {
        size_t n = 1 + rnd(MAXN);
        int k = 1 + (int)rnd(6);
        int64_t t = (int64_t)rnd(100);
        for (size_t i = 0; i < n; i++) {
            t += 1 + (int64_t)rnd(20);
            ts[i] = t;
            uint32_t r = rnd(10);
            /* mostly one step, the first two most of all, sometimes two */
            m[i] = r < 2 ? 0 : r < 5 ? 1 : r < 8 ? 1u << rnd(2) << rnd((uint32_t)k) : rnd(1u << k);
        }
        int64_t w = 1 + (int64_t)rnd(rnd(2) ? 60 : 2000);
        int64_t from = rnd(2) ? INT64_MIN : ts[0] + (int64_t)rnd((uint32_t)(t - ts[0] + 1));
        int64_t to = INT64_MAX;
        if (rnd(2))
            to = from == INT64_MIN ? ts[rnd((uint32_t)n)] : from + 1 + (int64_t)rnd(2000);
        uint32_t all = (1u << k) - 1;
        int best = 0;
        int64_t best_ts[8] = {0}, first[8];
        for (int j = 0; j < 8; j++)
            first[j] = INT64_MAX;
        for (size_t s0 = 0; s0 < n; s0++) {
            if (!(m[s0] & 1) || ts[s0] < from || ts[s0] >= to)
                continue;
            int64_t walk[8] = {ts[s0]};
            int lev = 1;
            for (size_t i = s0 + 1; i < n && lev < k && ts[i] - ts[s0] <= w; i++)
                if ((m[i] & all) >> lev & 1)
                    walk[lev++] = ts[i];
            for (int j = 0; j < lev; j++)
                if (walk[j] < first[j])
                    first[j] = walk[j];
            if (lev > best) {
                best = lev;
                memcpy(best_ts, walk, sizeof walk);
            }
        }
        struct funnel_chain ch = run(ts, m, n, k, w, ORDER_ORDERED, from, to);
        if (ch.level != best)
            fail_msg("round %d (n %zu, k %d): level %d, expected %d", round, n, k, ch.level, best);
        for (int j = 0; j < best; j++) {
            if (ch.step_ts[j] != best_ts[j])
                fail_msg("round %d: step %d at %lld, expected %lld", round, j + 1,
                         (long long)ch.step_ts[j], (long long)best_ts[j]);
            if (ch.first_ts[j] != first[j])
                fail_msg("round %d: level %d first reached at %lld, expected %lld", round, j + 1,
                         (long long)ch.first_ts[j], (long long)first[j]);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ordered_basics),       cmocka_unit_test(test_equal_timestamps),
        cmocka_unit_test(test_range_start),          cmocka_unit_test(test_earliest_chain_times),
        cmocka_unit_test(test_strict),               cmocka_unit_test(test_any),
        cmocka_unit_test(test_many_failing_starts),
        cmocka_unit_test(test_against_brute_force),
        cmocka_unit_test(test_ordered_long_timelines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
