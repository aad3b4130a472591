/*
 * report.h - convtop report: the same engines as the panes, written as
 * text (aligned, readable in a terminal or a cron mail), CSV or JSON (the
 * stable keys of SPEC 7).
 */
#ifndef CT_REPORT_H
#define CT_REPORT_H

#include "app/context.h"
#include "app/out.h"
#include "model/query.h"

struct report_opts {
    struct common_opts common;
    const char *funnel, *view, *period, *format, *order, *breakdown, *sort, *against;
    int trend, compare_orders;
    long limit;      /* rows of lists; 0 = all */
    int limit_given; /* else the limit applies to text only */
};

struct report {
    const struct app_ctx *cx;
    const struct query *q;
    const struct report_opts *opts;
    struct out out;
};

int report_funnel(const struct report *r, struct ct_error *err);
int report_goals(const struct report *r, struct ct_error *err);
int report_cohort(const struct report *r, struct ct_error *err);
int report_lifecycle(const struct report *r, struct ct_error *err);
int report_costs(const struct report *r, struct ct_error *err);
int report_customers(const struct report *r, int winback, struct ct_error *err);
int report_customer(const struct report *r, const char *who, struct ct_error *err);
int report_why(const struct report *r, const char *who, struct ct_error *err);

/* run under the current config and under other; print both and the
 * changes (report_diff.c). */
int report_against(const struct report *r, int (*run)(const struct report *, struct ct_error *),
                   const struct config *other, struct ct_error *err);

/* Shared by renderers: "from", "to", "now" and "segment" keys. */
void report_json_range(const struct report *r, json_t *obj);
/* One text line: "Range: ... · as of ... · segment: ..." */
void report_text_header(const struct report *r, const char *title);

#endif
