/*
 * goals.h - goals and conversion rates (SPEC 5.2).
 */
#ifndef CT_GOALS_H
#define CT_GOALS_H

#include <stddef.h>
#include <stdint.h>

#include "model/query.h"
#include "model/stats.h"

struct goal_res {
    char *name;
    enum goal_kind kind;
    /* converting_sessions: -1 unless the rate is per session */
    int64_t completions, converters, converting_sessions;
    struct ct_num rate_pct;
    struct ct_num revenue; /* null for goals without value: true */
};

/* Micro or macro goals taken together. */
struct goal_total {
    int64_t completions, converters, converting_sessions;
    struct ct_num rate_pct, revenue;
};

struct goals_res {
    enum denominator denominator;
    int64_t visitors, sessions; /* sessions: -1 unless the rate is per session */
    size_t n;
    struct goal_res *goals;
    struct goal_total micro, macro;
};

int goals_compute(const struct query *q, struct goals_res *out, struct ct_error *err);
void goals_res_free(struct goals_res *r);

#endif
