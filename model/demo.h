/*
 * demo.h - the demo shop: a seeded simulation of an online shop's visitors.
 *
 * Owns: turning (seed, number of customers) into a realistic stream of
 * events as struct import_row, through a callback, so it runs without
 * SQLite in tests and feeds the store writer in `convtop demo`.  Must not:
 * print, read the clock or the environment, or use rand(): every draw comes
 * from per-customer xoshiro256** generators seeded from the seed, so the
 * same seed and size give byte-identical rows on every run.
 *
 * The simulation is made of independent journeys, one per customer: a
 * journey depends only on the seed and the customer's index.  Batch use
 * steps customer by customer (demo_step, demo_run); each customer's rows
 * come in strictly increasing time.  A time-ordered (live) producer can
 * instead keep several journeys open and always advance the one whose
 * demo_journey_peek_ms is smallest.
 *
 * The shop lives in DEMO_TIMEZONE from local 2025-01-01 00:00 up to (not
 * including) 2026-07-01 00:00, fixed, so the data never depends on "today";
 * a caller may move those 18 months to end on another day (the live demo
 * ends its history yesterday, so that its new events follow on).
 */
#ifndef CT_DEMO_H
#define CT_DEMO_H

#include <stdint.h>

#include "model/error.h"
#include "model/row.h"

struct tz;

#define DEMO_TIMEZONE          "Europe/Helsinki"
#define DEMO_FIRST_DAY         "2025-01-01"
#define DEMO_LAST_DAY          "2026-06-30"
#define DEMO_DEFAULT_SEED      UINT64_C(1)
#define DEMO_DEFAULT_CUSTOMERS INT64_C(20000)
/* Keys are "c" and up to 9 digits; more customers than this is refused. */
#define DEMO_MAX_CUSTOMERS INT64_C(999999999)

struct demo_params {
    uint64_t seed;
    int64_t customers;   /* 1 .. DEMO_MAX_CUSTOMERS */
    const struct tz *tz; /* the zone DEMO_TIMEZONE, borrowed for the demo's life */
    int64_t last_day;    /* local day number of the last day; 0: DEMO_LAST_DAY */
};

/* The local day numbers of the first and last day of p's shop. */
void demo_days(const struct demo_params *p, int64_t *first_day, int64_t *last_day);

struct demo;
struct demo_journey;

/* Receives one row; its strings live until the callback returns.  A
 * nonzero return stops the run and is passed back to the caller. */
typedef int (*demo_row_fn)(const struct import_row *row, void *ctx);

/* Prepare a simulation (a few kilobytes, whatever the size).
 * Errors: CT_ERR_USAGE for a size out of range or a missing zone. */
int demo_open(const struct demo_params *p, struct demo **out, struct ct_error *err);
void demo_close(struct demo *d); /* NULL is fine */

/* The simulated period as UTC ms: [*from_ms, *to_ms). */
void demo_range(const struct demo *d, int64_t *from_ms, int64_t *to_ms);

/* Emit every row of the next customer.  Returns 0, or the callback's
 * nonzero value (that customer is then left unfinished and the next call
 * moves on to the following one).  Does nothing once demo_finished. */
int demo_step(struct demo *d, demo_row_fn fn, void *ctx);
/* demo_step until every customer is done; 0 or the callback's value. */
int demo_run(struct demo *d, demo_row_fn fn, void *ctx);
int demo_finished(const struct demo *d);
/* Customers emitted so far, of the total asked for. */
int64_t demo_customers_done(const struct demo *d);

/* --- journeys: one customer, one event at a time ------------------------ */

/* A journey of customer index (0-based, below the demo's customer count) of
 * d, which must outlive it.  One allocation per journey, none per event. */
struct demo_journey *demo_journey_new(const struct demo *d, int64_t index);
void demo_journey_free(struct demo_journey *j); /* NULL is fine */

/* Fill row with the customer's next event and return 1, or return 0 when
 * the journey is over.  row's strings live until the next call on j. */
int demo_journey_next(struct demo_journey *j, struct import_row *row);

/* The time demo_journey_next will give the next event, INT64_MAX when the
 * journey is over.  Cheap and does not advance the journey. */
int64_t demo_journey_peek_ms(const struct demo_journey *j);

#endif
