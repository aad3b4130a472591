/*
 * panes.h - the panes and the views app/ hands them.  A view points at
 * model results owned by app/; a pane keeps only what it shows (selection,
 * scroll, prompt text) and reads the view when it draws.
 */
#ifndef CT_PANES_H
#define CT_PANES_H

#include "model/cohort.h"
#include "model/costs.h"
#include "model/customer.h"
#include "model/funnel.h"
#include "model/goals.h"
#include "model/lifecycle.h"
#include "ui/pane.h"

/* --- 1 funnel --------------------------------------------------------------- */
struct funnel_view {
    const struct funnel_res *funnel;
    const struct goals_res *goals;
    const struct funnel_trend *trend;
    const struct funnel_breakdown *breakdown; /* NULL when off */
    const struct funnel_res *compare[2];      /* NULL when off */
    const char *compare_names[2];
    const struct funnel_res *modes; /* ordered, strict, any; NULL when off */
    size_t funnel_index, n_funnels;
};
extern const struct pane_ops pane_funnel_ops;
void *pane_funnel_new(void);
void pane_funnel_set(void *st, const struct funnel_view *v);
void pane_funnel_free(void *st);

/* --- 2 cohorts -------------------------------------------------------------- */
struct cohort_pane_view {
    const struct cohort_res *res;
    enum cohort_view view;
    const struct lifecycle_res *lifecycle; /* non-NULL: show it instead of the triangle */
    const struct costs_res *costs; /* non-NULL: the costs view (issue 9) instead */
};
extern const struct pane_ops pane_cohort_ops;
void *pane_cohort_new(void);
void pane_cohort_set(void *st, const struct cohort_pane_view *v);
void pane_cohort_free(void *st);

/* --- 3 customers (and the customers of a cohort cell) ------------------------ */
struct customers_view {
    size_t n; /* rows */
    /* row i's profile, computed by app/ when first asked and kept; its key
     * (cheap, for keeping the selection) */
    const struct profile *(*row)(void *ctx, size_t i);
    const char *(*key)(void *ctx, size_t i);
    void *ctx;
    const char *title; /* "Customers", "Win-back", "2024-03 +2" */
    enum customer_sort sort;
    int winback, searchable;
};
extern const struct pane_ops pane_customers_ops;
extern const struct pane_ops pane_cell_ops; /* the same, as a modal list */
void *pane_customers_new(void);
void pane_customers_set(void *st, const struct customers_view *v);
/* The key of the selected customer, to keep the selection across refreshes. */
const char *pane_customers_selected(void *st);
void pane_customers_free(void *st);

/* --- customer detail ------------------------------------------------------------ */
struct detail_view {
    const struct profile *profile;
    const struct timeline *timeline;
    const char *const *props; /* per timeline item: a JSON text or NULL */
    const char *const *stage_names;
    size_t n_stages;
    int by_day;
    const char *const *why; /* one line per funnel: where the customer stopped, and why */
    size_t n_why;
};
extern const struct pane_ops pane_detail_ops;
void *pane_detail_new(void);
void pane_detail_set(void *st, const struct detail_view *v);
void pane_detail_free(void *st);

/* --- help ------------------------------------------------------------------------- */
extern const struct pane_ops pane_help_ops;
void *pane_help_new(void);
void pane_help_free(void *st);

/* --- filter: range presets, custom dates, segment ------------------------------- */
struct filter_view {
    const char *const *segments;
    size_t n_segments;
    const char *from, *to, *segment; /* current values, "" for none */
    const char *today;               /* YYYY-MM-DD of "now" in the shop's zone */
};
extern const struct pane_ops pane_filter_ops;
void *pane_filter_new(void);
void pane_filter_set(void *st, const struct filter_view *v);
void pane_filter_free(void *st);

#endif
