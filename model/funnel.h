/*
 * funnel.h - the funnel engine (SPEC 5.1): per-step counts, percentages,
 * drop-offs, times between steps, the biggest drop-off, breakdowns by a
 * customer attribute and the per-period trend.
 */
#ifndef CT_FUNNEL_H
#define CT_FUNNEL_H

#include <stddef.h>
#include <stdint.h>

#include "model/config.h"
#include "model/funnel_core.h"
#include "model/matcher.h"
#include "model/query.h"
#include "model/stats.h"

struct funnel_step_res {
    char *name;
    int64_t customers;
    struct ct_num pct_of_first, pct_of_prev, dropped, median_s, p90_s;
};

struct funnel_res {
    char *name;
    enum funnel_order order;
    int64_t window_ms;
    size_t n_steps;
    struct funnel_step_res *steps;
    int biggest_drop; /* index of the step with the lowest % of previous, or -1 */
};

/* The funnel f counted in order mode `order` (usually f->order). */
int funnel_compute(const struct query *q, const struct funnel_def *f, enum funnel_order order,
                   struct funnel_res *out, struct ct_error *err);
void funnel_res_free(struct funnel_res *r);

/* One funnel per value of a customer attribute (channel, country, tier,
 * ...), largest first. */
struct funnel_breakdown {
    char *attr;
    size_t n;
    char **values;
    struct funnel_res *res;
};

int funnel_breakdown_compute(const struct query *q, const struct funnel_def *f,
                             enum funnel_order order, const char *attr,
                             struct funnel_breakdown *out, struct ct_error *err);
void funnel_breakdown_free(struct funnel_breakdown *b);

/* Last-step conversion (% of step 1) per period in which chains start. */
struct funnel_trend {
    enum period_unit period;
    size_t n;
    char **labels;
    int64_t *entered, *converted; /* step 1 and last step counts */
    struct ct_num *pct;
};

int funnel_trend_compute(const struct query *q, const struct funnel_def *f,
                         enum funnel_order order, enum period_unit unit,
                         struct funnel_trend *out, struct ct_error *err);
void funnel_trend_free(struct funnel_trend *t);

/* Evaluating one customer: compiled steps and a mask buffer, shared by the
 * engine, the customer profile and "why not converted". */
struct funnel_eval {
    const struct funnel_def *f;
    enum funnel_order order;
    int k;
    struct predset ps;
    uint32_t *mask;
    size_t mask_cap;
};

int funnel_eval_init(struct funnel_eval *fe, const struct funnel_def *f, enum funnel_order order,
                     const struct dataset *ds, struct ct_error *err);
/* Customer c's chain over its events [lo, hi) with chains starting in
 * [from, to).  fe->mask then holds the step masks of those events. */
void funnel_eval_customer(struct funnel_eval *fe, const struct dataset *ds, size_t lo, size_t hi,
                          int64_t from, int64_t to, struct funnel_chain *out);
/* The same in two steps: masks of [lo, hi) into fe->mask, then the chain
 * (so one customer's masks serve several ranges). */
void funnel_eval_masks(struct funnel_eval *fe, const struct dataset *ds, size_t lo, size_t hi);
void funnel_eval_run(struct funnel_eval *fe, const struct dataset *ds, size_t lo, size_t hi,
                     int64_t from, int64_t to, struct funnel_chain *out);
void funnel_eval_free(struct funnel_eval *fe);

#endif
