/*
 * demo_live_loop.c - the wall clock for model/demo_live.c: every quarter
 * second the events now due go into the store in one transaction, so a
 * TUI watching the file sees them within its refresh.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/demo_live_loop.h"
#include "model/demo.h"
#include "model/demo_live.h"
#include "model/store.h"
#include "model/tstamp.h"
#include "model/tz.h"
#include "ui/format.h"

#define TICK_MS 250

static int64_t wall_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

struct add_ctx {
    struct store_writer *w;
    struct ct_error *err;
    int64_t added, last_ts;
};

static int add(const struct import_row *row, void *ctx)
{
    struct add_ctx *a = ctx;
    int added;
    int rc = store_writer_add(a->w, row, &added, a->err);
    a->added += added;
    if (row->ts_ms > a->last_ts)
        a->last_ts = row->ts_ms;
    return rc;
}

int demo_live_loop(const char *path, double rate, uint64_t seed, int quiet,
                   atomic_int *stop, struct ct_error *err)
{
    struct store *st;
    int rc = store_open(path, STORE_CREATE, &st, NULL, err);
    if (rc)
        return rc;
    int64_t first;
    if ((rc = store_demo_next_index(st, &first, err))) {
        store_close(st);
        return rc;
    }
    struct tz *tz;
    if ((rc = tz_open(DEMO_TIMEZONE, &tz, err))) {
        store_close(st);
        return rc;
    }
    struct demo_live *l;
    if ((rc = demo_live_open(seed, first, tz, wall_ms(), &l, err))) {
        tz_close(tz);
        store_close(st);
        return rc;
    }
    int status = !quiet && isatty(STDERR_FILENO);
    struct add_ctx a = {NULL, err, 0, 0};
    int64_t start = wall_ms(), log_id = 0;
    while (!atomic_load(stop)) {
        int64_t now = wall_ms();
        if ((rc = store_writer_begin(st, &a.w, err)))
            break;
        rc = demo_live_tick(l, now, rate, add, &a);
        if (rc) {
            store_writer_abort(a.w);
            break;
        }
        /* one log row for the whole run, not one per tick */
        struct writer_note note = {
            .source = "demo --live", .format = "demo", .rows_read = a.added, .log_id = &log_id};
        if ((rc = store_writer_commit(a.w, &note, NULL, err)))
            break;
        if (status) {
            char n[32], when[32] = "-";
            fmt_count(a.added, n, sizeof n);
            if (a.last_ts)
                tstamp_format_local(tz, a.last_ts, when, sizeof when, 1);
            double secs = (double)(now - start) / 1000.0;
            fprintf(stderr, "\rlive: %s events, %.1f/s, last %s   ", n,
                    secs > 0 ? (double)a.added / secs : 0.0, when);
            fflush(stderr);
        }
        int64_t left = TICK_MS - (wall_ms() - now);
        if (left > 0) {
            struct timespec ts = {0, (long)left * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    if (status)
        fputc('\n', stderr);
    demo_live_close(l);
    tz_close(tz);
    store_close(st);
    return rc;
}
