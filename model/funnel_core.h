/*
 * funnel_core.h - one customer's funnel level (SPEC 5.1), a plain function
 * over the customer's events in timeline order.
 *
 * Inputs are columns: ts[0..n) ascending, mask[i] with bit j set when event
 * i matches step j (occurrence already applied).  No SQL, no dataset, no
 * config: the funnel engine, the customer profile and "why not converted"
 * all call this one function.
 */
#ifndef CT_FUNNEL_CORE_H
#define CT_FUNNEL_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "model/config.h"

#define FUNNEL_MAX_STEPS 32

struct funnel_chain {
    int level;                        /* 0..k */
    int64_t step_ts[FUNNEL_MAX_STEPS]; /* for j < level: time step j+1 was reached */
    /* for j < level: the earliest time any chain completed j+1 steps (the
     * moment the customer first reached that stage) */
    int64_t first_ts[FUNNEL_MAX_STEPS];
    /* the steps the earliest chain filled: the first `level` steps, except
     * in any-order mode, where they can be any */
    uint32_t steps_done;
};

/*
 * The customer's level: the longest chain (ordered, strict or any order)
 * whose first event lies in [from_ms, to_ms); later steps may follow up to
 * window_ms after it, inclusive.  Events with equal timestamps are
 * simultaneous and one event never fills two steps.  step_ts holds the
 * times of the earliest chain reaching the level (earliest first step, then
 * the earliest second step after it, ...).  k <= FUNNEL_MAX_STEPS.
 */
void funnel_customer(const int64_t *ts, const uint32_t *mask, size_t n, int k,
                     int64_t window_ms, enum funnel_order order, int64_t from_ms, int64_t to_ms,
                     struct funnel_chain *out);

#endif
