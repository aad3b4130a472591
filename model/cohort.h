/*
 * cohort.h - cohorts and retention (SPEC 5.3): the triangle in five views,
 * the summary metrics, and the customers of one cell.
 */
#ifndef CT_COHORT_H
#define CT_COHORT_H

#include <stddef.h>
#include <stdint.h>

#include "model/query.h"
#include "model/stats.h"

enum cohort_view { VIEW_CUSTOMERS, VIEW_PCT, VIEW_REVENUE, VIEW_CUM_REVENUE, VIEW_ORDERS };

int cohort_view_parse(const char *name, enum cohort_view *out);
const char *cohort_view_name(enum cohort_view v);

struct cohort_row {
    int64_t index; /* period index (period.h) */
    char *label;   /* YYYY-MM, YYYY-Www or YYYY-MM-DD */
    int64_t size;
    /* per offset 0..periods-1; future[k] when the period starts after now */
    int64_t *customers, *orders;
    double *revenue;
    uint8_t *future;
};

#define SECOND_ORDER_BINS 7

/* Upper bounds (days, inclusive) of the histogram bins; the last is open. */
extern const int second_order_bin_days[SECOND_ORDER_BINS - 1];

struct cohort_summary {
    int64_t purchasers, repeaters, orders;
    double revenue;
    int64_t churned, churn_base; /* churn rate = churned / churn_base */
    struct ct_num repeat_rate_pct, purchase_frequency, aov, churn_rate_pct;
    /* days from the first to the second order, of the customers whose first
     * order is in the range and who have a second one (as of now) */
    int64_t second_customers;
    struct ct_num second_median_days, second_p90_days;
    int64_t second_hist[SECOND_ORDER_BINS];
};

struct cohort_res {
    enum period_unit period;
    int periods;
    size_t n;
    struct cohort_row *rows; /* oldest first; only cohorts with customers */
    struct cohort_summary summary;
};

/* Cohorts of the query's range by `unit`, `periods` offsets each. */
int cohort_compute(const struct query *q, enum period_unit unit, int periods,
                   struct cohort_res *out, struct ct_error *err);
void cohort_res_free(struct cohort_res *r);

/* The figure of cell (row, offset) in a view; null for future cells. */
struct ct_num cohort_value(const struct cohort_res *r, size_t row, int offset,
                           enum cohort_view view);

/* Customer indexes of one cell (offset 0 with entry = return: the cohort);
 * *out is allocated. */
int cohort_cell_customers(const struct query *q, enum period_unit unit, int64_t cohort_index,
                          int offset, size_t **out, size_t *n, struct ct_error *err);

/* "purchase", "[a, b]" or "{...}" : a short text of a matcher for reports. */
char *cohort_matcher_text(const struct matcher *m);

#endif
