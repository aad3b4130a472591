/*
 * demo_db.c - the demo shop into a store: one writer transaction, a
 * progress bar, the figures for the summary.
 *
 * Owns: wiring model/demo.c to the store writer, and deciding when
 * `convtop --demo` must build the demo database.  Must not shape the
 * simulated shop (model/demo.c does) or print the summary (cmd_demo.c does).
 * Entry points: demo_db_build, demo_ensure.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/demo_db.h"
#include "app/progress.h"
#include "model/demo.h"
#include "model/demo_spend.h"
#include "model/period.h"
#include "model/store.h"
#include "model/tstamp.h"
#include "model/tz.h"

struct build {
    struct store_writer *w;
    struct demo_db_totals *t;
    struct ct_error *err;
    int64_t first_ms, last_ms;
    /* rows come customer by customer: count the current one's orders */
    char cur[32];
    int64_t cur_orders;
    struct demo_spend *spend; /* what the shop paid for marketing, from the rows */
    int64_t spend_added, spend_duplicates; /* the writer counts them with the events */
};

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void end_customer(struct build *b)
{
    if (b->cur[0]) {
        b->t->customers++;
        if (b->cur_orders >= 2)
            b->t->repeat_buyers++;
    }
    b->cur_orders = 0;
}

static int add_row(const struct import_row *r, void *ctx)
{
    struct build *b = ctx;
    struct demo_db_totals *t = b->t;
    if (strcmp(r->customer, b->cur) != 0) {
        end_customer(b);
        snprintf(b->cur, sizeof b->cur, "%s", r->customer);
    }
    int rc = store_writer_queue(b->w, r, b->err);
    if (rc)
        return rc;
    demo_spend_watch(b->spend, r);
    t->events++;
    if (strcmp(r->event, "purchase") == 0) {
        t->purchases++;
        t->revenue += r->value;
        b->cur_orders++;
    } else if (strcmp(r->event, "refund") == 0) {
        t->refunds++;
        t->refunded -= r->value;
    }
    if (t->events == 1 || r->ts_ms < b->first_ms)
        b->first_ms = r->ts_ms;
    if (r->ts_ms > b->last_ms)
        b->last_ms = r->ts_ms;
    return 0;
}

static int add_spend(const struct spend_row *r, void *ctx)
{
    struct build *b = ctx;
    enum spend_outcome out;
    double prev;
    int rc = store_writer_add_spend(b->w, r, &out, &prev, b->err);
    if (rc)
        return rc;
    b->t->spend_rows++;
    if (out == SPEND_SAME)
        b->spend_duplicates++;
    else
        b->spend_added++;
    if (r->purpose == SPEND_ACQUISITION)
        b->t->acquisition_spend += r->amount;
    else
        b->t->retention_spend += r->amount;
    return 0;
}

int demo_db_build(const char *path, const struct demo_db_opts *opts, struct demo_db_totals *totals,
                  struct ct_error *err)
{
    struct demo_db_totals local;
    struct demo_db_totals *t = totals ? totals : &local;
    memset(t, 0, sizeof *t);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    struct tz *tz;
    if (tz_open(DEMO_TIMEZONE, &tz, err))
        return ct_error_set(err, CT_ERR_RUNTIME, NULL, 0, 0,
                            "the demo shop needs the time zone %s: install the tzdata package",
                            DEMO_TIMEZONE);
    struct demo_params p = {
        .seed = opts->seed, .customers = opts->customers, .tz = tz, .last_day = opts->last_day};
    struct demo *demo = NULL;
    struct store *st = NULL;
    struct store_writer *w = NULL;
    struct progress *bar = NULL;
    struct demo_spend *spend = demo_spend_new(&p);
    int rc = demo_open(&p, &demo, err);
    if (!rc)
        rc = store_open(path, STORE_CREATE, &st, NULL, err);
    if (!rc)
        rc = store_writer_begin(st, &w, err);
    if (rc)
        goto out;

    struct build b = {.w = w, .t = t, .err = err, .spend = spend};
    bar = opts->progress ? progress_start(stderr) : NULL;
    /* a couple of hundred redraws at most, whatever the size */
    int64_t every = opts->customers / 200 > 0 ? opts->customers / 200 : 1;
    while (!demo_finished(demo)) {
        rc = demo_step(demo, add_row, &b);
        if (rc)
            goto out;
        int64_t done = demo_customers_done(demo);
        if (bar && (done % every == 0 || demo_finished(demo)))
            progress_update(bar, "demo shop", (uint64_t)done, (uint64_t)opts->customers, t->events);
    }
    end_customer(&b);
    /* the marketing spend of the same shop, in the same transaction */
    rc = demo_spend_emit(spend, add_spend, &b);
    if (rc)
        goto out;
    struct writer_note note = {.source = "demo", .format = "demo", .rows_read = t->events};
    struct writer_stats ws;
    rc = store_writer_commit(w, &note, &ws, err);
    w = NULL;
    if (rc)
        goto out;
    t->added = ws.added - b.spend_added;
    t->duplicates = ws.duplicates - b.spend_duplicates;
    t->new_customers = ws.new_customers;
    if (t->events) {
        tstamp_format_date(tz, b.first_ms, t->first_day, sizeof t->first_day);
        tstamp_format_date(tz, b.last_ms, t->last_day, sizeof t->last_day);
    }
    t->seconds = seconds_since(&t0);
out:
    progress_end(bar);
    store_writer_abort(w);
    store_close(st);
    demo_close(demo);
    demo_spend_free(spend);
    tz_close(tz);
    return rc;
}

/* True when path is a store with at least one event. */
static int has_events(const char *path, int *yes, struct ct_error *err)
{
    *yes = 0;
    struct stat sb;
    if (stat(path, &sb) != 0 || sb.st_size == 0)
        return 0;
    struct store *st;
    int rc = store_open(path, 0, &st, NULL, err);
    if (rc)
        return rc;
    struct store_summary sum;
    rc = store_summary(st, "purchase", "refund", &sum, err);
    store_close(st);
    if (!rc)
        *yes = sum.events > 0;
    return rc;
}

/* Yesterday, as a local day number of the demo's zone. */
static int yesterday(int64_t *day, struct ct_error *err)
{
    struct tz *tz;
    if (tz_open(DEMO_TIMEZONE, &tz, err))
        return err->code;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    *day = period_index(tz, PERIOD_DAY, (int64_t)now.tv_sec * 1000) - 1;
    tz_close(tz);
    return 0;
}

int demo_ensure(const char *path, int live, struct ct_error *err)
{
    int yes;
    int rc = has_events(path, &yes, err);
    if (rc || yes)
        return rc;
    if (isatty(fileno(stderr)))
        fprintf(stderr, "convtop: creating the demo shop in %s\n", path);
    struct demo_db_opts o = {
        .seed = DEMO_DEFAULT_SEED, .customers = DEMO_DEFAULT_CUSTOMERS, .progress = 1};
    if (live && (rc = yesterday(&o.last_day, err)))
        return rc;
    return demo_db_build(path, &o, NULL, err);
}
