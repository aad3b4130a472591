/*
 * test_demo.c - the demo shop: determinism, causality, a realistic mix, and
 * a run into a real store that a second run leaves unchanged.
 */
#include "common.h"

#include <math.h>

#include "model/civil.h"
#include "model/demo.h"
#include "model/period.h"
#include "model/store.h"
#include "model/tz.h"

static struct tz *helsinki(void)
{
    struct tz *tz;
    struct ct_error err;
    assert_int_equal(tz_open(DEMO_TIMEZONE, &tz, &err), 0);
    return tz;
}

static struct demo *open_demo(const struct tz *tz, uint64_t seed, int64_t customers)
{
    struct demo_params p = {.seed = seed, .customers = customers, .tz = tz};
    struct demo *d;
    struct ct_error err;
    assert_int_equal(demo_open(&p, &d, &err), 0);
    return d;
}

/* --- hashing every field of every row ------------------------------------ */

static void fnv(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        *h ^= b[i];
        *h *= UINT64_C(0x100000001b3);
    }
}

static void fnv_str(uint64_t *h, const char *s)
{
    /* NULL and "" must hash apart, and "ab","c" apart from "a","bc" */
    unsigned char tag = s ? 1 : 0;
    fnv(h, &tag, 1);
    if (s)
        fnv(h, s, strlen(s) + 1);
}

static void hash_row(uint64_t *h, const struct import_row *r)
{
    fnv(h, &r->line, sizeof r->line);
    fnv_str(h, r->customer);
    fnv(h, &r->ts_ms, sizeof r->ts_ms);
    fnv_str(h, r->event);
    fnv(h, &r->value, sizeof r->value);
    fnv(h, &r->has_value, sizeof r->has_value);
    fnv_str(h, r->channel);
    fnv_str(h, r->session);
    fnv_str(h, r->event_id);
    fnv_str(h, r->email);
    fnv_str(h, r->name);
    fnv_str(h, r->country);
    fnv_str(h, r->acq_channel);
    fnv_str(h, r->props);
}

struct hashed {
    uint64_t h;
    int64_t rows;
};

static int hash_cb(const struct import_row *r, void *ctx)
{
    struct hashed *x = ctx;
    hash_row(&x->h, r);
    x->rows++;
    return 0;
}

static struct hashed run_hash(const struct tz *tz, uint64_t seed, int64_t customers)
{
    struct demo *d = open_demo(tz, seed, customers);
    struct hashed x = {UINT64_C(0xcbf29ce484222325), 0};
    assert_int_equal(demo_run(d, hash_cb, &x), 0);
    assert_true(demo_finished(d));
    assert_int_equal(demo_customers_done(d), customers);
    demo_close(d);
    return x;
}

static void test_same_seed_same_rows(void **state)
{
    (void)state;
    struct tz *tz = helsinki();
    struct hashed a = run_hash(tz, 42, 1500);
    struct hashed b = run_hash(tz, 42, 1500);
    assert_true(a.rows > 1500);
    assert_int_equal(a.rows, b.rows);
    assert_true(a.h == b.h);
    /* another seed is another shop */
    struct hashed c = run_hash(tz, 43, 1500);
    assert_true(a.h != c.h);
    tz_close(tz);
}

/* Journeys depend on (seed, index) only: stepping several at once in time
 * order (as a live mode would) gives each customer the rows it gets in a
 * batch run, and peek tells the time of the next row. */
#define NJ 40

struct per_customer {
    uint64_t h[NJ];
    int64_t rows[NJ];
};

static int per_customer_cb(const struct import_row *r, void *ctx)
{
    struct per_customer *pc = ctx;
    int k = atoi(r->customer + 1) - 1;
    assert_true(k >= 0 && k < NJ);
    hash_row(&pc->h[k], r);
    pc->rows[k]++;
    return 0;
}

static void test_journeys_are_independent(void **state)
{
    (void)state;
    struct tz *tz = helsinki();
    struct demo *d = open_demo(tz, 7, NJ);
    struct per_customer batch = {0}, live = {0};
    assert_int_equal(demo_run(d, per_customer_cb, &batch), 0);

    struct demo_journey *js[NJ];
    for (int k = 0; k < NJ; k++)
        js[k] = demo_journey_new(d, k);
    int64_t prev = INT64_MIN;
    for (;;) {
        int best = -1;
        int64_t t = INT64_MAX;
        for (int k = 0; k < NJ; k++) {
            int64_t p = demo_journey_peek_ms(js[k]);
            if (p < t) {
                t = p;
                best = k;
            }
        }
        if (best < 0)
            break;
        struct import_row r;
        assert_int_equal(demo_journey_next(js[best], &r), 1);
        assert_true(r.ts_ms == t); /* peek told the truth */
        assert_true(r.ts_ms >= prev);
        prev = r.ts_ms;
        per_customer_cb(&r, &live);
    }
    for (int k = 0; k < NJ; k++) {
        struct import_row r;
        assert_int_equal(demo_journey_next(js[k], &r), 0);
        assert_true(demo_journey_peek_ms(js[k]) == INT64_MAX);
        assert_true(batch.rows[k] > 0);
        assert_int_equal(batch.rows[k], live.rows[k]);
        assert_true(batch.h[k] == live.h[k]);
        demo_journey_free(js[k]);
    }
    demo_close(d);
    tz_close(tz);
}

/* --- causality and shape of every row ----------------------------------- */

static const char *const event_names[] = {
    "page_view", "product_view",      "add_to_cart", "begin_checkout", "purchase",
    "refund",    "newsletter_signup", "review",      "quote_request",  NULL};
static const char *const channel_names[] = {"search", "social",   "email", "direct",
                                            "ads",    "referral", NULL};

static int name_index(const char *const *names, const char *s)
{
    for (int i = 0; s && names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

struct order {
    char id[32];
    double value, refunded;
};

struct checker {
    int64_t from_ms, to_ms;
    char cur[32];
    int64_t last_ms;
    int rows_of_cur;
    struct order orders[512];
    int norders;
    int has_email;
    char **ids; /* every event id seen */
    size_t nids, capids;
    /* the mix */
    int64_t customers, by_event[9], buyers, repeat, with_email, by_channel[6];
};

static int is_two_decimals(double v)
{
    double c = v * 100;
    return isfinite(v) && fabs(c - round(c)) < 1e-6;
}

static void end_customer(struct checker *c)
{
    if (!c->cur[0])
        return;
    c->customers++;
    if (c->norders > 0)
        c->buyers++;
    if (c->norders > 1)
        c->repeat++;
    if (c->has_email)
        c->with_email++;
}

static int check_cb(const struct import_row *r, void *ctx)
{
    struct checker *c = ctx;
    int ev = name_index(event_names, r->event);
    assert_true(ev >= 0);
    assert_non_null(r->customer);
    if (strcmp(r->customer, c->cur) != 0) {
        /* customers come one after the other, never back */
        assert_true(strcmp(r->customer, c->cur) > 0);
        end_customer(c);
        snprintf(c->cur, sizeof c->cur, "%s", r->customer);
        c->rows_of_cur = 0;
        c->norders = 0;
        c->has_email = 0;
        /* a customer starts by looking at the shop */
        assert_true(ev == 0 || ev == 1);
        int ch = name_index(channel_names, r->channel);
        assert_true(ch >= 0);
        c->by_channel[ch]++;
    } else {
        assert_true(r->ts_ms > c->last_ms); /* strictly in time order */
    }
    c->last_ms = r->ts_ms;
    c->rows_of_cur++;
    c->by_event[ev]++;
    assert_true(r->ts_ms >= c->from_ms && r->ts_ms < c->to_ms);
    assert_true(r->ts_ms % 1000 == 0);

    if (ev == 4 || ev == 5) {
        assert_true(r->has_value);
        assert_true(is_two_decimals(r->value));
        assert_non_null(r->event_id);
        if (c->nids == c->capids) {
            c->capids = c->capids ? 2 * c->capids : 1024;
            c->ids = realloc(c->ids, c->capids * sizeof *c->ids);
        }
        c->ids[c->nids++] = strdup(r->event_id);
    } else {
        assert_false(r->has_value);
        assert_null(r->event_id);
    }
    if (ev == 5) {
        /* a refund: no visit, a later date than its order, never more */
        assert_null(r->session);
        assert_null(r->channel);
        assert_true(r->value < 0);
        const char *o = strstr(r->props, "\"order\":\"");
        assert_non_null(o);
        o += 9;
        int found = 0;
        for (int i = 0; i < c->norders; i++) {
            size_t n = strlen(c->orders[i].id);
            if (strncmp(o, c->orders[i].id, n) == 0 && o[n] == '"') {
                c->orders[i].refunded += -r->value;
                assert_true(c->orders[i].refunded <= c->orders[i].value + 1e-9);
                found = 1;
            }
        }
        assert_true(found);
    } else {
        assert_non_null(r->session);
        assert_true(r->session[0] == 's');
        assert_true(strncmp(r->session + 1, r->customer + 1, strlen(r->customer + 1)) == 0);
        assert_true(name_index(channel_names, r->channel) >= 0);
    }
    if (ev == 4) {
        assert_true(r->value > 0);
        assert_true(c->norders < 512);
        struct order *o = &c->orders[c->norders++];
        snprintf(o->id, sizeof o->id, "%s", r->event_id);
        o->value = r->value;
        o->refunded = 0;
        /* the shop knows who bought */
        assert_true(c->has_email || r->email);
    }
    if (ev == 7) {
        assert_non_null(r->props);
        assert_true(strncmp(r->props, "{\"rating\":", 10) == 0);
        assert_true(r->props[10] >= '1' && r->props[10] <= '5');
        assert_true(r->props[11] == ',' || r->props[11] == '}');
        assert_true(c->norders > 0);
    }
    if (r->props) {
        size_t n = strlen(r->props);
        assert_true(n >= 2 && r->props[0] == '{' && r->props[n - 1] == '}');
    }
    if (r->email) {
        c->has_email = 1;
        assert_non_null(strchr(r->email, '@'));
        for (const char *p = r->email; *p; p++)
            assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' ||
                        *p == '_' || *p == '@');
        assert_non_null(r->country);
    }
    if (r->name)
        assert_non_null(r->email);
    if ((ev == 1 || ev == 2) && r->props)
        assert_non_null(strstr(r->props, "\"category\":\""));
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_causality_and_mix(void **state)
{
    (void)state;
    struct tz *tz = helsinki();
    struct demo *d = open_demo(tz, DEMO_DEFAULT_SEED, 2000);
    struct checker *c = calloc(1, sizeof *c);
    demo_range(d, &c->from_ms, &c->to_ms);
    /* the period is local 2025-01-01 .. 2026-06-30 in Helsinki (UTC+2 in winter, +3 in summer) */
    assert_true(c->from_ms == TS(2024, 12, 31, 22, 0, 0));
    assert_true(c->to_ms == TS(2026, 6, 30, 21, 0, 0));
    assert_int_equal(demo_run(d, check_cb, c), 0);
    end_customer(c);
    assert_int_equal(c->customers, 2000);

    /* every order and refund has its own id */
    qsort(c->ids, c->nids, sizeof *c->ids, cmp_str);
    for (size_t i = 1; i < c->nids; i++)
        assert_true(strcmp(c->ids[i - 1], c->ids[i]) != 0);
    for (size_t i = 0; i < c->nids; i++)
        free(c->ids[i]);
    free(c->ids);

    /* a shop, not a toy: buyers are a minority, carts get abandoned */
    assert_true(c->buyers * 100 >= c->customers * 3);
    assert_true(c->buyers * 100 <= c->customers * 30);
    assert_true(c->repeat > 0);
    assert_true(c->by_event[2] > c->by_event[3]); /* add_to_cart > begin_checkout */
    assert_true(c->by_event[3] > c->by_event[4]); /* begin_checkout > purchase */
    for (int ev = 0; ev < 9; ev++)
        assert_true(c->by_event[ev] > 0);
    for (int ch = 0; ch < 6; ch++)
        assert_true(c->by_channel[ch] > 0);
    assert_true(c->with_email > 0 && c->with_email < c->customers);
    free(c);
    demo_close(d);
    tz_close(tz);
}

static int count_cb(const struct import_row *r, void *ctx)
{
    (void)r;
    (*(int64_t *)ctx)++;
    return 0;
}

/* The default demo is "a few hundred thousand events" (SPEC 3.2). */
static void test_default_size(void **state)
{
    (void)state;
    struct tz *tz = helsinki();
    struct demo *d = open_demo(tz, DEMO_DEFAULT_SEED, DEMO_DEFAULT_CUSTOMERS);
    int64_t n = 0;
    assert_int_equal(demo_run(d, count_cb, &n), 0);
    assert_true(n >= 250000 && n <= 400000);
    demo_close(d);
    tz_close(tz);
}

static int stop_cb(const struct import_row *r, void *ctx)
{
    (void)r;
    return ++*(int *)ctx == 3 ? 99 : 0;
}

static void test_bad_size_and_stop(void **state)
{
    (void)state;
    struct tz *tz = helsinki();
    struct demo_params p = {.seed = 1, .customers = 0, .tz = tz};
    struct demo *d;
    struct ct_error err;
    assert_int_equal(demo_open(&p, &d, &err), CT_ERR_USAGE);
    p.customers = DEMO_MAX_CUSTOMERS + 1;
    assert_int_equal(demo_open(&p, &d, &err), CT_ERR_USAGE);
    p.customers = 10;
    p.tz = NULL;
    assert_int_equal(demo_open(&p, &d, &err), CT_ERR_USAGE);
    /* the callback's value stops the run and comes back */
    d = open_demo(tz, 1, 10);
    int calls = 0;
    assert_int_equal(demo_run(d, stop_cb, &calls), 99);
    assert_int_equal(calls, 3);
    demo_close(d);
    demo_close(NULL);
    demo_journey_free(NULL);
    tz_close(tz);
}

/* --- into a real store ------------------------------------------------------ */

struct sink {
    struct store_writer *w;
    int64_t rows, added;
};

static int store_cb(const struct import_row *r, void *ctx)
{
    struct sink *s = ctx;
    int added;
    struct ct_error err;
    assert_int_equal(store_writer_add(s->w, r, &added, &err), 0);
    s->rows++;
    s->added += added;
    return 0;
}

static struct writer_stats load_demo(struct store *st, const struct tz *tz, struct sink *s)
{
    struct ct_error err;
    struct demo *d = open_demo(tz, 5, 300);
    memset(s, 0, sizeof *s);
    assert_int_equal(store_writer_begin(st, &s->w, &err), 0);
    assert_int_equal(demo_run(d, store_cb, s), 0);
    struct writer_note note = {.source = "demo", .format = "demo", .rows_read = s->rows};
    struct writer_stats ws;
    assert_int_equal(store_writer_commit(s->w, &note, &ws, &err), 0);
    demo_close(d);
    return ws;
}

static void test_store_rerun_adds_nothing(void **state)
{
    (void)state;
    struct tz *tz = helsinki();
    char *dir = test_tmpdir();
    char *path = malloc(strlen(dir) + 16);
    sprintf(path, "%s/demo.db", dir);
    struct store *st;
    struct ct_error err;
    assert_int_equal(store_open(path, STORE_CREATE, &st, NULL, &err), 0);

    struct sink s;
    struct writer_stats ws = load_demo(st, tz, &s);
    assert_true(s.rows > 300);
    assert_int_equal(ws.added, s.rows); /* nothing in one run looks like a duplicate */
    assert_int_equal(ws.duplicates, 0);
    assert_int_equal(ws.new_customers, 300);
    struct store_summary sum;
    assert_int_equal(store_summary(st, "purchase", "refund", &sum, &err), 0);
    assert_int_equal(sum.customers, 300);
    assert_int_equal(sum.events, s.rows);
    assert_true(sum.purchases > 0 && sum.refunds >= 0);

    /* the same demo again: every event is already there */
    ws = load_demo(st, tz, &s);
    assert_int_equal(ws.added, 0);
    assert_int_equal(ws.duplicates, s.rows);
    assert_int_equal(ws.new_customers, 0);
    struct store_summary again;
    assert_int_equal(store_summary(st, "purchase", "refund", &again, &err), 0);
    assert_int_equal(again.events, sum.events);
    assert_true(again.revenue == sum.revenue);

    /* the shop knows the buyers by e-mail and name */
    struct customer_list l = {0};
    assert_int_equal(store_search_customers(st, "c000", 1000, &l, &err), 0);
    assert_int_equal(l.n, 300);
    int named = 0;
    for (size_t i = 0; i < l.n; i++) {
        assert_non_null(l.items[i].channel); /* acquisition channel of the first visit */
        named += l.items[i].email && l.items[i].name;
    }
    assert_true(named > 0);
    customer_list_free(&l);

    store_close(st);
    free(path);
    test_rmdir(dir);
    tz_close(tz);
}

/* Moved to end on another day, the shop keeps its 18 months and every row
 * falls inside them; the spend covers the same months. */
struct span {
    int64_t from, to, lo, hi, n;
};

static int span_cb(const struct import_row *r, void *ctx)
{
    struct span *sp = ctx;
    if (r->ts_ms < sp->lo)
        sp->lo = r->ts_ms;
    if (r->ts_ms > sp->hi)
        sp->hi = r->ts_ms;
    sp->n++;
    return 0;
}

static void test_moved_window(void **state)
{
    (void)state;
    struct tz *tz = helsinki();
    int64_t last = civil_days(2026, 11, 25);
    struct demo_params p = {.seed = 1, .customers = 800, .tz = tz, .last_day = last};
    int64_t a, b;
    demo_days(&p, &a, &b);
    assert_int_equal(b, last);
    struct demo_params fixed = {.seed = 1, .customers = 800, .tz = tz};
    int64_t fa, fb;
    demo_days(&fixed, &fa, &fb);
    assert_int_equal(fa, civil_days(2025, 1, 1));
    assert_int_equal(fb, civil_days(2026, 6, 30));
    assert_int_equal(b - a, fb - fa); /* as many days */
    struct demo *d;
    struct ct_error err;
    assert_int_equal(demo_open(&p, &d, &err), 0);
    struct span sp = {0, 0, INT64_MAX, INT64_MIN, 0};
    demo_range(d, &sp.from, &sp.to);
    assert_int_equal(sp.from, period_day_start_ms(tz, a));
    assert_int_equal(sp.to, period_day_start_ms(tz, last + 1));
    assert_int_equal(demo_run(d, span_cb, &sp), 0);
    assert_true(sp.n > 1000);
    assert_true(sp.lo >= sp.from && sp.hi < sp.to);
    /* the last month has visitors: the history reaches the chosen day */
    assert_true(sp.hi >= period_day_start_ms(tz, last - 30));
    demo_close(d);
    tz_close(tz);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_rows), cmocka_unit_test(test_journeys_are_independent),
        cmocka_unit_test(test_causality_and_mix),   cmocka_unit_test(test_default_size),
        cmocka_unit_test(test_bad_size_and_stop),   cmocka_unit_test(test_moved_window),   cmocka_unit_test(test_store_rerun_adds_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
