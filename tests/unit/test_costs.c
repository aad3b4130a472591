/*
 * test_costs.c - the costs engine (issue 9) on shops small enough to work
 * out on paper: CAC, retention cost, CLV so far, CLV to CAC and payback per
 * month, day and ISO week and acquisition channel, the totals from sums,
 * the as-of rule, and the demo's spend generator.
 */
#include "engine_fixture.h"

#include "model/costs.h"
#include "model/demo_spend.h"
#include "model/mem.h"

/* A spend record on a day (d > 0) or over a month (d == 0). */
static void spend(struct spend_list *l, int y, int m, int d, const char *channel,
                  enum spend_purpose p, double amount)
{
    int64_t first = civil_days(y, m, d ? d : 1);
    spend_list_add(l, first, d ? 1 : civil_month_days(y, m), p, amount, channel);
}

/* The row of (label, channel), failing when there is none. */
static const struct costs_fig *row_of(const struct costs_res *r, const char *label,
                                      const char *channel)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->rows[i].label, label) == 0 &&
            strcmp(costs_channel_label(r, r->rows[i].channel), channel) == 0)
            return &r->rows[i].f;
    fail_msg("no row %s %s", label, channel);
    return NULL;
}

static size_t channel_of(const struct costs_res *r, const char *name)
{
    for (size_t c = 0; c < r->n_channels; c++)
        if (strcmp(costs_channel_label(r, c), name) == 0)
            return c;
    fail_msg("no channel %s", name);
    return COSTS_NONE;
}

/*
 * The shop of the issue's cases, by month, UTC, as of 2024-05-31:
 *   ann  first seen through ads on 01-03 (40), later orders by e-mail:
 *        02-10 (30), 04-15 (50), and 06-10 (1000) after now;
 *   ben  ads: 01-20 (60), refund 01-25 (20);
 *   cat  search: 01-10 (100);
 *   dan  search: 03-05 (20), 03-20 (10), the same month: not retained.
 * Spend: ads Jan 150, search Jan 30 and Mar 40, social Feb 50 (no one
 * came), e-mail retention Feb 12, and ads Jul 999 (after now).
 */
static void open_issue_shop(struct shop *s, struct spend_list *l)
{
    shop_open(s, "shop: { timezone: UTC }\n");
    static const struct ev evs[] = {
        {"ann", "2024-01-03T09:00:00Z", "page_view", N, "ads", NULL, 0},
        {"ann", "2024-01-03T09:05:00Z", "purchase", 40, "ads", NULL, 0},
        {"ann", "2024-02-10T10:00:00Z", "purchase", 30, "email", NULL, 0},
        {"ann", "2024-04-15T10:00:00Z", "purchase", 50, "email", NULL, 0},
        {"ann", "2024-06-10T10:00:00Z", "purchase", 1000, "email", NULL, 0},
        {"ben", "2024-01-20T10:00:00Z", "purchase", 60, "ads", NULL, 0},
        {"ben", "2024-01-25T10:00:00Z", "refund", -20, "ads", NULL, 0},
        {"cat", "2024-01-10T10:00:00Z", "purchase", 100, "search", NULL, 0},
        {"dan", "2024-03-05T10:00:00Z", "purchase", 20, "search", NULL, 0},
        {"dan", "2024-03-20T10:00:00Z", "purchase", 10, "search", NULL, 0},
    };
    shop_events(s, evs, sizeof evs / sizeof *evs);
    memset(l, 0, sizeof *l);
    spend(l, 2024, 1, 0, "ads", SPEND_ACQUISITION, 150);
    spend(l, 2024, 1, 0, "search", SPEND_ACQUISITION, 30);
    spend(l, 2024, 2, 0, "social", SPEND_ACQUISITION, 50);
    spend(l, 2024, 2, 0, "email", SPEND_RETENTION, 12);
    spend(l, 2024, 3, 0, "search", SPEND_ACQUISITION, 40);
    spend(l, 2024, 7, 0, "ads", SPEND_ACQUISITION, 999);
}

static void test_months(void **state)
{
    (void)state;
    struct shop s;
    struct spend_list l;
    open_issue_shop(&s, &l);
    shop_query(&s, NULL, NULL, "2024-05-31T12:00:00Z", NULL);
    struct costs_res r;
    struct ct_error err;
    assert_int_equal(costs_compute(&s.q, &l, PERIOD_MONTH, &r, &err), 0);
    /* rows: Jan ads, search; Feb ads (ann back), email, social; Mar search;
     * Apr ads (ann back); nothing in May, July is after now */
    assert_int_equal(r.n, 7);
    assert_string_equal(r.rows[0].label, "2024-01");
    assert_string_equal(costs_channel_label(&r, r.rows[0].channel), "ads");
    assert_string_equal(r.rows[6].label, "2024-04");
    assert_int_equal(r.n_channels, 4); /* ads, email, search, social */

    /* Jan ads: ann and ben, though ann's later orders came by e-mail.  CAC
     * 150 / 2 = 75.  Net spend up to now: ann 40 + 30 + 50 = 120 (the June
     * order is after now), ben 60 - 20 = 40 (the refund lowers CLV): CLV
     * 160 / 2 = 80, CLV / CAC = 80 / 75.  Cumulative per customer: Jan
     * (40 + 40) / 2 = 40, Feb 55, Mar 55, Apr 80 >= 75: payback 3. */
    const struct costs_fig *f = row_of(&r, "2024-01", "ads");
    assert_num(num_val(f->acquisition_spend), 150);
    assert_int_equal(f->new_customers, 2);
    assert_num(f->cac, 75);
    assert_num(f->clv, 80);
    assert_num(f->clv_to_cac, 80.0 / 75);
    assert_num(f->payback_periods, 3);
    assert_int_equal(f->retained_customers, 0);
    assert_num_null(f->retention_cost);

    /* Jan search: cat, 100 for 30: payback in her first month */
    f = row_of(&r, "2024-01", "search");
    assert_num(f->cac, 30);
    assert_num(f->clv, 100);
    assert_num(f->clv_to_cac, 100.0 / 30);
    assert_num(f->payback_periods, 0);

    /* Feb: ann bought again, under ads (her acquisition channel): retained
     * 1, retention spend 0 -> cost 0.  The e-mail retention spend has no
     * e-mail customer to divide by: null.  Social spent 50 and won no one:
     * CAC, CLV, CLV / CAC and payback are null. */
    f = row_of(&r, "2024-02", "ads");
    assert_int_equal(f->retained_customers, 1);
    assert_num(f->retention_cost, 0);
    assert_int_equal(f->new_customers, 0);
    assert_num_null(f->cac);
    f = row_of(&r, "2024-02", "email");
    assert_num(num_val(f->retention_spend), 12);
    assert_int_equal(f->retained_customers, 0);
    assert_num_null(f->retention_cost);
    f = row_of(&r, "2024-02", "social");
    assert_num(num_val(f->acquisition_spend), 50);
    assert_int_equal(f->new_customers, 0);
    assert_num_null(f->cac);
    assert_num_null(f->clv);
    assert_num_null(f->clv_to_cac);
    assert_num_null(f->payback_periods);

    /* Mar search: dan, 20 + 10 in March (not retained: the same month);
     * CAC 40, CLV 30, never reached by May: payback null */
    f = row_of(&r, "2024-03", "search");
    assert_int_equal(f->new_customers, 1);
    assert_int_equal(f->retained_customers, 0);
    assert_num(f->cac, 40);
    assert_num(f->clv, 30);
    assert_num(f->clv_to_cac, 0.75);
    assert_num_null(f->payback_periods);
    assert_int_equal(row_of(&r, "2024-04", "ads")->retained_customers, 1);

    /* per channel over the range: ads retained twice (Feb, Apr); search
     * CAC 70 / 2 = 35, CLV (100 + 30) / 2 = 65, pooled payback: Jan and Mar
     * together in their first month 130 >= 70 */
    f = &r.by_channel[channel_of(&r, "ads")];
    assert_num(num_val(f->acquisition_spend), 150); /* July is after now */
    assert_int_equal(f->retained_customers, 2);
    assert_num(f->payback_periods, 3);
    f = &r.by_channel[channel_of(&r, "search")];
    assert_num(f->cac, 35);
    assert_num(f->clv, 65);
    assert_num(f->clv_to_cac, 130.0 / 70);
    assert_num(f->payback_periods, 0);

    /* totals from sums: CAC 270 / 4 = 67.5, retention 12 / 2 = 6, CLV
     * (160 + 130) / 4 = 72.5, CLV / CAC 290 / 270.  Pooled payback: at
     * k = 0..2 every spend (270) against 210, 240, 240; at k = 3 only Jan
     * and Feb have had 3 more months: spend 150 + 30 + 50 = 230 against
     * 160 + 100 = 260: paid back */
    f = &r.total;
    assert_num(num_val(f->acquisition_spend), 270);
    assert_int_equal(f->new_customers, 4);
    assert_num(f->cac, 67.5);
    assert_int_equal(f->retained_customers, 2);
    assert_num(f->retention_cost, 6);
    assert_num(f->clv, 72.5);
    assert_num(f->clv_to_cac, 290.0 / 270);
    assert_num(f->payback_periods, 3);

    /* marks: search pays back first; social spent and never did */
    assert_int_equal(r.fastest, channel_of(&r, "search"));
    assert_true(r.never[channel_of(&r, "social")]);
    assert_false(r.never[channel_of(&r, "ads")]);
    assert_false(r.never[channel_of(&r, "email")]); /* no acquisition spend */
    costs_res_free(&r);
    spend_list_free(&l);
    shop_close(&s);
}

/* A month of spend against days: January's 310 is 10 a day, and a day
 * record adds to its day. */
static void test_days(void **state)
{
    (void)state;
    struct shop s;
    shop_open(&s, "shop: { timezone: UTC }\n");
    static const struct ev evs[] = {
        {"eve", "2024-01-02T12:00:00Z", "purchase", 25, "ads", NULL, 0},
        {"eve", "2024-01-03T12:00:00Z", "purchase", 5, "ads", NULL, 0},
        {"fay", "2023-12-20T12:00:00Z", "purchase", 9, "ads", NULL, 0},
        {"fay", "2024-01-03T13:00:00Z", "purchase", 9, "ads", NULL, 0},
    };
    shop_events(&s, evs, sizeof evs / sizeof *evs);
    struct spend_list l = {0};
    spend(&l, 2024, 1, 0, "ads", SPEND_ACQUISITION, 310);
    spend(&l, 2024, 1, 2, "ads", SPEND_ACQUISITION, 5);
    spend(&l, 2023, 12, 0, "ads", SPEND_ACQUISITION, 1000); /* before the range */
    shop_query(&s, "2024-01-01", "2024-01-03", NULL, NULL);
    struct costs_res r;
    struct ct_error err;
    assert_int_equal(costs_compute(&s.q, &l, PERIOD_DAY, &r, &err), 0);
    assert_int_equal(r.n, 3);
    const struct costs_fig *f = row_of(&r, "2024-01-01", "ads");
    assert_num(num_val(f->acquisition_spend), 10);
    assert_num_null(f->cac);
    /* Jan 2: 10 + the day record 5; eve won: CAC 15, CLV 25 + 5 = 30 */
    f = row_of(&r, "2024-01-02", "ads");
    assert_num(num_val(f->acquisition_spend), 15);
    assert_int_equal(f->new_customers, 1);
    assert_num(f->cac, 15);
    assert_num(f->clv, 30);
    assert_num(f->payback_periods, 0);
    /* Jan 3: fay (first order in December) and eve (first order the day
     * before) bought again: both retained */
    f = row_of(&r, "2024-01-03", "ads");
    assert_num(num_val(f->acquisition_spend), 10);
    assert_int_equal(f->retained_customers, 2);
    assert_num(f->retention_cost, 0);
    /* totals: 35 over the three days, for one customer */
    assert_num(num_val(r.total.acquisition_spend), 35);
    assert_num(r.total.cac, 35);
    costs_res_free(&r);
    spend_list_free(&l);
    shop_close(&s);
}

/* ISO week 2024-W05 runs from Monday 29 January to Sunday 4 February: 3
 * days of January (310: 10 a day) and 4 of February (58 over 29 days: 2 a
 * day) = 30 + 8. */
static void test_week_across_months(void **state)
{
    (void)state;
    struct shop s;
    shop_open(&s, "shop: { timezone: UTC }\n");
    static const struct ev evs[] = {
        {"gus", "2024-02-01T12:00:00Z", "purchase", 19, "ads", NULL, 0},
    };
    shop_events(&s, evs, 1);
    struct spend_list l = {0};
    spend(&l, 2024, 1, 0, "ads", SPEND_ACQUISITION, 310);
    spend(&l, 2024, 2, 0, "ads", SPEND_ACQUISITION, 58);
    shop_query(&s, "2024-01-29", "2024-02-04", NULL, NULL);
    struct costs_res r;
    struct ct_error err;
    assert_int_equal(costs_compute(&s.q, &l, PERIOD_WEEK, &r, &err), 0);
    assert_int_equal(r.n, 1);
    const struct costs_fig *f = row_of(&r, "2024-W05", "ads");
    assert_num(num_val(f->acquisition_spend), 38);
    assert_num(f->cac, 38);
    assert_num(f->clv_to_cac, 0.5);
    assert_num_null(f->payback_periods);
    assert_true(r.never[channel_of(&r, "ads")]);
    assert_int_equal(r.fastest, COSTS_NONE);
    costs_res_free(&r);
    spend_list_free(&l);
    shop_close(&s);
}

/* Customers without a channel come last, as NULL; no spend at all gives
 * CAC 0 (spend 0 over customers), CLV to CAC null (division by 0). */
static void test_no_channel_no_spend(void **state)
{
    (void)state;
    struct shop s;
    shop_open(&s, "shop: { timezone: UTC }\n");
    static const struct ev evs[] = {
        {"hal", "2024-01-02T12:00:00Z", "purchase", 10, NULL, NULL, 0},
        {"ida", "2024-01-02T12:00:00Z", "purchase", 30, "zine", NULL, 0},
    };
    shop_events(&s, evs, 2);
    shop_query(&s, NULL, NULL, NULL, NULL);
    struct costs_res r;
    struct ct_error err;
    assert_int_equal(costs_compute(&s.q, NULL, PERIOD_MONTH, &r, &err), 0);
    assert_int_equal(r.n_channels, 2);
    assert_string_equal(r.channels[0], "zine");
    assert_null(r.channels[1]);
    assert_string_equal(costs_channel_label(&r, 1), "(no channel)");
    assert_num(r.total.cac, 0);
    assert_num(r.total.clv, 20);
    assert_num_null(r.total.clv_to_cac);
    assert_num(r.total.payback_periods, 0);
    assert_int_equal(r.fastest, COSTS_NONE); /* nothing was spent */
    costs_res_free(&r);
    costs_res_free(NULL);
    shop_close(&s);

    /* an empty shop with no spend: no rows, null ratios */
    shop_open(&s, "shop: { timezone: UTC }\n");
    shop_events(&s, NULL, 0);
    shop_query(&s, NULL, NULL, NULL, NULL);
    assert_int_equal(costs_compute(&s.q, NULL, PERIOD_DAY, &r, &err), 0);
    assert_int_equal(r.n, 0);
    assert_int_equal(r.n_channels, 0);
    assert_num_null(r.total.cac);
    assert_num_null(r.total.payback_periods);
    costs_res_free(&r);
    shop_close(&s);
}

/* The shop's zone decides the day, week and month: 23:30 UTC on 31
 * January is 1 February in Helsinki. */
static void test_time_zone(void **state)
{
    (void)state;
    struct shop s;
    shop_open(&s, "shop: { timezone: Europe/Helsinki }\n");
    static const struct ev evs[] = {
        {"jon", "2024-01-31T23:30:00Z", "purchase", 10, "ads", NULL, 0},
    };
    shop_events(&s, evs, 1);
    struct spend_list l = {0};
    spend(&l, 2024, 2, 0, "ads", SPEND_ACQUISITION, 10);
    shop_query(&s, NULL, NULL, NULL, NULL);
    struct costs_res r;
    struct ct_error err;
    assert_int_equal(costs_compute(&s.q, &l, PERIOD_MONTH, &r, &err), 0);
    assert_int_equal(r.n, 1);
    assert_num(row_of(&r, "2024-02", "ads")->cac, 10);
    assert_num(row_of(&r, "2024-02", "ads")->payback_periods, 0);
    costs_res_free(&r);
    spend_list_free(&l);
    shop_close(&s);
}

/* A slow, obvious CAC and CLV per month and channel against the engine on
 * seeded random shops. */
static uint64_t rnd(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static void test_random_against_slow(void **state)
{
    (void)state;
    static const char *const chans[] = {"a", "b", "c"};
    for (uint64_t seed = 1; seed <= 20; seed++) {
        uint64_t x = seed * 0x9E3779B97F4A7C15u;
        struct shop s;
        shop_open(&s, "shop: { timezone: UTC }\n");
        struct ev evs[120];
        char keys[120][8], times[120][32];
        size_t n = 0;
        for (int c = 0; c < 30; c++) {
            int k = 1 + (int)(rnd(&x) % 4);
            const char *ch = chans[rnd(&x) % 3];
            for (int e = 0; e < k; e++, n++) {
                snprintf(keys[n], sizeof keys[n], "k%02d", c);
                snprintf(times[n], sizeof times[n], "2024-%02d-%02dT%02d:00:00Z",
                         1 + (int)(rnd(&x) % 6), 1 + (int)(rnd(&x) % 28), (int)(rnd(&x) % 24));
                int refund = rnd(&x) % 5 == 0;
                evs[n] = (struct ev){keys[n],
                                     times[n],
                                     refund ? "refund" : "purchase",
                                     (double)(1 + rnd(&x) % 100),
                                     ch,
                                     NULL,
                                     0};
            }
        }
        shop_events(&s, evs, n);
        struct spend_list l = {0};
        double spent[6][3] = {{0}};
        for (int m = 0; m < 6; m++)
            for (int c = 0; c < 3; c++) {
                spent[m][c] = (double)(rnd(&x) % 500);
                spend(&l, 2024, m + 1, 0, chans[c], SPEND_ACQUISITION, spent[m][c]);
            }
        shop_query(&s, NULL, NULL, "2024-06-30T23:00:00Z", NULL);
        struct costs_res r;
        struct ct_error err;
        assert_int_equal(costs_compute(&s.q, &l, PERIOD_MONTH, &r, &err), 0);
        /* slow: per customer, the first purchase's month, and net spend */
        int64_t won[6][3] = {{0}};
        double net[6][3] = {{0}};
        const struct dataset *ds = s.ds;
        for (size_t c = 0; c < ds->n_customers; c++) {
            int64_t first = INT64_MAX;
            for (size_t i = ds->cust_off[c]; i < ds->cust_off[c + 1]; i++)
                if (ds->name[i] == s.q.fx.purchase && ds->ts[i] < first)
                    first = ds->ts[i];
            if (first == INT64_MAX)
                continue;
            int m = (int)(period_index(s.tz, PERIOD_MONTH, first) -
                          period_index(s.tz, PERIOD_MONTH, TS(2024, 1, 1, 0, 0, 0)));
            const char *chn = intern_str(&ds->vals, ds->cust_channel[c]);
            int ch = chn[0] - 'a';
            won[m][ch]++;
            for (size_t i = ds->cust_off[c]; i < ds->cust_off[c + 1]; i++) {
                if (ds->ts[i] < first)
                    continue;
                if (ds->name[i] == s.q.fx.purchase)
                    net[m][ch] += ds->value[i];
                else if (ds->name[i] == s.q.fx.refund)
                    net[m][ch] -= fabs(ds->value[i]);
            }
        }
        for (int m = 0; m < 6; m++)
            for (int c = 0; c < 3; c++) {
                char label[16];
                snprintf(label, sizeof label, "2024-%02d", m + 1);
                const struct costs_fig *f = row_of(&r, label, chans[c]);
                assert_int_equal(f->new_customers, won[m][c]);
                assert_num(num_val(f->acquisition_spend), spent[m][c]);
                if (won[m][c]) {
                    assert_num(f->cac, spent[m][c] / (double)won[m][c]);
                    assert_num(f->clv, net[m][c] / (double)won[m][c]);
                } else {
                    assert_num_null(f->cac);
                }
            }
        costs_res_free(&r);
        spend_list_free(&l);
        shop_close(&s);
    }
}

/* The demo's spend: deterministic, proportional to the customers watched,
 * in both date forms, and nothing for direct. */
static int collect(const struct spend_row *row, void *ctx)
{
    struct strbuf *sb = ctx;
    sb_printf(sb, "%s,%s,%s,%.2f\n", row->date, row->channel, spend_purpose_name(row->purpose),
              row->amount);
    return 0;
}

static char *demo_rows(uint64_t seed)
{
    struct tz *tz;
    struct ct_error err;
    assert_int_equal(tz_open(DEMO_TIMEZONE, &tz, &err), 0);
    struct demo_params p = {.seed = seed, .customers = 3000, .tz = tz};
    struct demo *d;
    assert_int_equal(demo_open(&p, &d, &err), 0);
    struct demo_spend *sp = demo_spend_new(&p);
    struct demo_journey *j;
    for (int64_t c = 0; c < p.customers; c++) {
        j = demo_journey_new(d, c);
        struct import_row row;
        while (demo_journey_next(j, &row))
            demo_spend_watch(sp, &row);
        demo_journey_free(j);
    }
    struct strbuf sb = {0};
    assert_int_equal(demo_spend_emit(sp, collect, &sb), 0);
    demo_spend_free(sp);
    demo_close(d);
    tz_close(tz);
    return sb_steal(&sb);
}

static void test_demo_spend(void **state)
{
    (void)state;
    char *a = demo_rows(7), *b = demo_rows(7);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "2025-01,search,acquisition,"));
    assert_non_null(strstr(a, "2025-11-28,ads,acquisition,")); /* Black Friday 2025 */
    assert_non_null(strstr(a, "2026-06,email,retention,"));
    assert_null(strstr(a, "direct"));
    /* every row parses back as spend */
    for (char *line = a; *line;) {
        char *end = strchr(line, '\n');
        char *comma = strchr(line, ',');
        int64_t day;
        int days;
        assert_null(spend_date_parse(line, (size_t)(comma - line), &day, &days));
        line = end + 1;
    }
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_months),
        cmocka_unit_test(test_days),
        cmocka_unit_test(test_week_across_months),
        cmocka_unit_test(test_no_channel_no_spend),
        cmocka_unit_test(test_time_zone),
        cmocka_unit_test(test_random_against_slow),
        cmocka_unit_test(test_demo_spend),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
