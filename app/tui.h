/*
 * tui.h - the terminal UI's state: what is asked (funnel, view, sort,
 * search...), the model results the panes show, and the panes.
 */
#ifndef CT_TUI_H
#define CT_TUI_H

#include <time.h>

#include "app/context.h"
#include "model/cohort.h"
#include "model/costs.h"
#include "model/customer.h"
#include "model/funnel.h"
#include "model/goals.h"
#include "model/lifecycle.h"
#include "ui/panes.h"
#include "ui/screen.h"
#include "ui/theme.h"

/* A list of customers on screen: their order, and each row's profile
 * computed the first time it is drawn (a million customers cost nothing
 * until shown). */
struct rows {
    const struct query *q;
    struct customer_rank rank;
    struct profile **cache; /* rank.n entries, NULL until shown */
    struct customer_ctx cx;
    int have_cx;
};

struct reloader;
struct prefig;

struct tui {
    struct common_opts opts;
    const char *theme_arg;
    int cycle_s;
    int demo, live;

    struct app_ctx cx;
    struct query q;
    int have_query;
    char from[16], to[16], segment[64]; /* the filter as the user set it */

    struct screen scr;
    struct theme theme;
    size_t theme_idx;
    int no_color;

    /* what is asked */
    size_t funnel_idx;
    int breakdown; /* 0 none, 1 channel, 2 country, 3 tier */
    size_t compare; /* 0 off, else which pair of segments */
    int modes;
    enum cohort_view view;
    enum period_unit period;
    int lifecycle;
    int costs_on; /* the cohort pane shows the costs view (issue 9) */
    enum customer_sort sort;
    int winback;
    char search[256];
    int by_day;

    /* what is computed; stale flags say what to recompute when shown */
    int stale_funnel, stale_cohort, stale_customers;
    /* panes computed at least once: a refresh computes them beside the
     * event loop (reload_start) */
    int seen_funnel, seen_cohort, seen_customers;
    struct funnel_res funnel;
    struct goals_res goals;
    struct funnel_trend trend;
    struct funnel_breakdown bd;
    struct funnel_res cmp[2];
    struct funnel_res before; /* the funnel under the config before a live reload */
    struct funnel_res modes_res[3];
    struct cohort_res cohort;
    struct lifecycle_res life;
    struct costs_res costs;
    struct rows customers, cell;
    int have_detail;
    size_t detail_c;
    struct profile detail;
    struct timeline tl;
    char **props;
    char **why;
    size_t n_why;

    /* panes */
    void *p_funnel, *p_cohort, *p_customers, *p_cell, *p_detail, *p_help, *p_filter;

    /* live */
    int64_t data_version;
    struct reloader *reloader; /* the next dataset being built, or NULL */
    struct prefig *prefig;     /* and the figures it computes there */
    int reload_again;          /* the data changed again meanwhile */
    time_t started, last_check, last_change, last_cycle;
    struct timespec config_mtime;
    double events_per_min;
    double started_s, last_change_s; /* monotonic seconds, for the rate */
};

#endif
