/*
 * lifecycle.h - buyers per period by where they are in their life with
 * the shop (issue 8): new (first purchase ever in the period), returning
 * (bought in the previous period too), resurrecting (bought before, but
 * not in the previous period) and dormant (bought in the previous period,
 * not in this one).  Like the lifecycle charts of product analytics tools,
 * here for purchases.
 */
#ifndef CT_LIFECYCLE_H
#define CT_LIFECYCLE_H

#include <stddef.h>
#include <stdint.h>

#include "model/query.h"

struct lifecycle_row {
    char *label;
    int64_t index;
    int64_t new_, returning, resurrecting, dormant;
};

struct lifecycle_res {
    enum period_unit period;
    size_t n;
    struct lifecycle_row *rows; /* oldest first: the range, else first purchase to now */
};

int lifecycle_compute(const struct query *q, enum period_unit unit, struct lifecycle_res *out,
                      struct ct_error *err);
void lifecycle_res_free(struct lifecycle_res *r);

#endif
