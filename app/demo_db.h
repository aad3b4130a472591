/*
 * demo_db.h - building the demo shop's database (`convtop demo`, `--demo`).
 */
#ifndef CT_DEMO_DB_H
#define CT_DEMO_DB_H

#include <stdint.h>

#include "model/error.h"

struct demo_db_opts {
    uint64_t seed;
    int64_t customers;
    int progress; /* show a progress line on stderr when it is a terminal */
    int64_t last_day; /* local day number the history ends on; 0: the fixed one */
};

/* What one build generated and what the store kept of it. */
struct demo_db_totals {
    int64_t customers, events, purchases, refunds, repeat_buyers;
    double revenue, refunded;         /* purchases, and refunds as a positive sum */
    char first_day[16], last_day[16]; /* local dates of the first and last event */
    int64_t added, duplicates, new_customers;
    int64_t spend_rows;                       /* marketing spend records generated */
    double acquisition_spend, retention_spend; /* their sums */
    double seconds; /* generating and storing */
};

/* Generate the demo shop into the database at path (created, with its
 * folder, when missing) in one transaction.  Events already there are
 * skipped, so a second run adds nothing.  totals may be NULL. */
int demo_db_build(const char *path, const struct demo_db_opts *opts, struct demo_db_totals *totals,
                  struct ct_error *err);

/* For `convtop --demo`: build the demo shop with the default seed and size
 * when path is missing or holds no event; otherwise do nothing.  A live
 * demo's history ends yesterday, so that its new events follow on; the
 * plain demo keeps its fixed dates. */
int demo_ensure(const char *path, int live, struct ct_error *err);

#endif
