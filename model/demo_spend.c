/*
 * demo_spend.c - the demo shop's marketing spend (issue 9): what a shop of
 * this size would have paid each month to win its customers and to bring
 * them back.
 *
 * Acquisition spend per month and channel = the channel's fixed monthly
 * fees + its going rate per new customer x the new customers it brought
 * that month x a seeded +-15% wobble (campaigns do not price exactly).  The
 * rates differ as they do in small web shops: display ads dear, paid social
 * dearer still for what its buyers spend, search in between, referral
 * vouchers and e-mail sign-up offers cheap, direct free.  Retention spend
 * is the e-mail platform's fee plus the vouchers of the customers who came
 * back.  Black Friday weekend's ads are day rows, the rest of a month one
 * month row, so both date forms appear.  Everything is derived from the
 * rows the demo produced, which it does not change.
 */
#include "autoconf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/civil.h"
#include "model/demo_spend.h"
#include "model/mem.h"
#include "model/period.h"

#define NCH 6

/* Fees are per month for the default size, scaled with the size. */
static const struct {
    const char *name;
    double per_customer; /* EUR per new customer */
    double fee;          /* EUR per month */
} rates[NCH] = {
    {"search", 38, 250},  /* search ads by the click, and an SEO retainer */
    {"social", 180, 300}, /* paid social, and making its content */
    {"email", 9, 0},      /* the sign-up discount */
    {"direct", 0, 0},     /* nobody is paid for a typed address */
    {"ads", 150, 0},      /* display and shopping ads */
    {"referral", 20, 0},  /* a voucher for both friends */
};
/* The shop opened with an influencer campaign on social media: its first
 * four months, on top of the rates (the reason social never pays back). */
static const double launch_campaign = 5000; /* EUR per month */
static const int launch_months = 4;
static const double retention_fee = 150;          /* e-mail platform, per month */
static const double retention_per_customer = 1.5; /* vouchers in win-back and review mails */
/* Share of November's ads spent on Black Friday weekend (Thursday to
 * Sunday), as day rows. */
static const double black_friday_share = 0.4;

struct demo_spend {
    uint64_t seed;
    double scale; /* customers / default customers */
    const struct tz *tz;
    int64_t month0; /* period index of the first month */
    int n_months;
    int64_t *won;  /* [month][channel]: new customers */
    int64_t *back; /* [month]: customers who bought again in a later month */
    /* the customer whose rows are going by */
    char cur[64];
    int ch;          /* acquisition channel, -1 while unknown */
    int first_month; /* of the first purchase, -1 before it */
    int counted;     /* last month counted as a return */
};

/* The month period index (months since 1970-01) of a day number. */
static int64_t month_of_day(int64_t day)
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    return (int64_t)(y - 1970) * 12 + (m - 1);
}

struct demo_spend *demo_spend_new(const struct demo_params *p)
{
    struct demo_spend *s = xcalloc(1, sizeof *s);
    s->seed = p->seed;
    s->scale = (double)p->customers / (double)DEMO_DEFAULT_CUSTOMERS;
    s->tz = p->tz;
    int64_t first, last;
    demo_days(p, &first, &last);
    s->month0 = month_of_day(first);
    s->n_months = (int)(month_of_day(last) - s->month0 + 1);
    s->won = xcalloc((size_t)s->n_months * NCH, sizeof *s->won);
    s->back = xcalloc((size_t)s->n_months, sizeof *s->back);
    s->ch = -1;
    s->first_month = -1;
    return s;
}

void demo_spend_free(struct demo_spend *s)
{
    if (!s)
        return;
    free(s->won);
    free(s->back);
    free(s);
}

static int channel_index(const char *name)
{
    for (int c = 0; name && c < NCH; c++)
        if (strcmp(name, rates[c].name) == 0)
            return c;
    return -1;
}

void demo_spend_watch(struct demo_spend *s, const struct import_row *row)
{
    if (strcmp(row->customer, s->cur) != 0) {
        snprintf(s->cur, sizeof s->cur, "%s", row->customer);
        s->ch = -1;
        s->first_month = -1;
    }
    /* the acquisition channel is the first event's that has one (the
     * store derives it the same way; a customer's rows come in time order) */
    if (s->ch < 0 && row->channel && *row->channel)
        s->ch = channel_index(row->channel);
    if (strcmp(row->event, "purchase") != 0)
        return;
    int m = (int)(period_index(s->tz, PERIOD_MONTH, row->ts_ms) - s->month0);
    if (m < 0 || m >= s->n_months)
        return;
    if (s->first_month < 0) {
        s->first_month = s->counted = m;
        if (s->ch >= 0)
            s->won[m * NCH + s->ch]++;
    } else if (m != s->counted) {
        s->counted = m;
        s->back[m]++;
    }
}

/* A number in [0, 1) from (seed, a, b), the same on every platform. */
static double wobble(uint64_t seed, uint64_t a, uint64_t b)
{
    uint64_t x = seed ^ (a * UINT64_C(0x9E3779B97F4A7C15)) ^ (b * UINT64_C(0xBF58476D1CE4E5B9));
    x ^= x >> 30;
    x *= UINT64_C(0xBF58476D1CE4E5B9);
    x ^= x >> 27;
    x *= UINT64_C(0x94D049BB133111EB);
    x ^= x >> 31;
    return (double)(x >> 11) / 9007199254740992.0;
}

static double cents(double v)
{
    return round(v * 100) / 100;
}

static int give(demo_spend_fn fn, void *ctx, const char *date, const char *channel,
                enum spend_purpose purpose, double amount)
{
    if (!(amount > 0))
        return 0;
    struct spend_row r = {0, date, channel, purpose, cents(amount)};
    return fn(&r, ctx);
}

/* Ads of a November: the month row, and Black Friday weekend by day. */
static int give_november_ads(demo_spend_fn fn, void *ctx, int y, double amount)
{
    /* Black Friday: the day after the fourth Thursday of November */
    int64_t first = civil_days(y, 11, 1);
    int thursday = 1 + (4 - civil_weekday(first) + 7) % 7 + 21;
    char date[16];
    snprintf(date, sizeof date, "%04d-11", y);
    int start = thursday < 27 ? thursday : 27; /* four days, all in November */
    int rc = give(fn, ctx, date, "ads", SPEND_ACQUISITION, amount * (1 - black_friday_share));
    for (int d = 0; d < 4 && !rc; d++) {
        snprintf(date, sizeof date, "%04d-11-%02d", y, start + d);
        rc = give(fn, ctx, date, "ads", SPEND_ACQUISITION, amount * black_friday_share / 4);
    }
    return rc;
}

int demo_spend_emit(struct demo_spend *s, demo_spend_fn fn, void *ctx)
{
    int rc = 0;
    for (int m = 0; m < s->n_months && !rc; m++) {
        int64_t idx = s->month0 + m;
        int y = (int)(1970 + idx / 12), mo = (int)(idx % 12) + 1;
        char date[16];
        snprintf(date, sizeof date, "%04d-%02d", y, mo);
        for (int c = 0; c < NCH && !rc; c++) {
            double w = 0.85 + 0.3 * wobble(s->seed, (uint64_t)m, (uint64_t)c);
            double amount =
                rates[c].fee * s->scale + rates[c].per_customer * (double)s->won[m * NCH + c] * w;
            if (m < launch_months && strcmp(rates[c].name, "social") == 0)
                amount += launch_campaign * s->scale;
            if (mo == 11 && strcmp(rates[c].name, "ads") == 0)
                rc = give_november_ads(fn, ctx, y, amount);
            else
                rc = give(fn, ctx, date, rates[c].name, SPEND_ACQUISITION, amount);
        }
        if (!rc)
            rc = give(fn, ctx, date, "email", SPEND_RETENTION,
                      retention_fee * s->scale + retention_per_customer * (double)s->back[m]);
    }
    return rc;
}
