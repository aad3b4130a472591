/*
 * figures.h - what the TUI's panes show, computed from a query and what
 * the user asked, without a terminal.
 *
 * The event loop runs these when the user asks for something; the
 * reloader's thread runs them on the next dataset while data flows in
 * (prefig), so that a refresh only swaps finished figures in and keys are
 * answered meanwhile.  Nothing here touches the database or the screen.
 */
#ifndef CT_FIGURES_H
#define CT_FIGURES_H

#include "model/cohort.h"
#include "model/customer.h"
#include "model/funnel.h"
#include "model/goals.h"
#include "model/lifecycle.h"
#include "model/query.h"

/* The compare view showing the funnel before and after a config reload. */
#define COMPARE_CONFIG ((size_t)-1)

/* What the panes are asked for; compared whole (memcmp), so fill it after
 * a memset. */
struct fig_ask {
    size_t funnel_idx; /* 0: the stages */
    int breakdown;     /* 0 none, 1 channel, 2 country, 3 tier */
    size_t compare;    /* 0 off, COMPARE_CONFIG, else a pair of segments */
    int modes;
    enum period_unit period;
    int lifecycle;
    enum customer_sort sort;
    int winback;
    char from[16], to[16], segment[64];
    /* which panes a prefig computes */
    int want_funnel, want_cohort, want_customers;
};

struct funnel_figs {
    struct funnel_res funnel, cmp[2], modes[3];
    struct goals_res goals;
    struct funnel_trend trend;
    struct funnel_breakdown bd;
};

struct cohort_figs {
    struct cohort_res cohort;
    struct lifecycle_res life; /* when asked */
};

const struct funnel_def *figs_funnel(const struct config *cfg, size_t idx);
/* Segment pairs to compare: everyone vs each segment, then the segments
 * pairwise in config order.  0 when k is past the last pair. */
int figs_compare_pair(const struct config *cfg, size_t k, const char **a, const char **b);
extern const char *const figs_breakdown_attrs[4];

/* Each returns 0, or the status of the first error (err set); what was
 * computed is in out either way. */
int funnel_figs_run(const struct query *q, const struct fig_ask *a, struct funnel_figs *out,
                    struct ct_error *err);
void funnel_figs_free(struct funnel_figs *f);
int cohort_figs_run(const struct query *q, const struct fig_ask *a, struct cohort_figs *out,
                    struct ct_error *err);
void cohort_figs_free(struct cohort_figs *f);

/* Figures prepared on the reloader's thread for the dataset it built. */
struct prefig {
    struct fig_ask ask;
    const struct config *cfg;
    const struct tz *tz;
    const char *now; /* --now, or NULL */
    int ok;          /* the query and every wanted figure are there */
    struct range range;
    struct query q;
    int have_q, have_funnel, have_cohort, have_rank;
    struct funnel_figs funnel;
    struct cohort_figs cohort;
    struct customer_rank rank;
};

/* A reloader hook: the query and the wanted figures of ds into ctx (a
 * struct prefig). */
void prefig_run(void *ctx, const struct dataset *ds);
/* Free what is left in p (its query points into the dataset it was run
 * on: free p first). */
void prefig_free(struct prefig *p);

#endif
