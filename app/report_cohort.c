/*
 * report_cohort.c - convtop report cohort: the retention triangle in one of
 * five views, and the summary metrics.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "app/report.h"
#include "model/cohort.h"
#include "model/lifecycle.h"
#include "ui/format.h"

static void cell_text(struct ct_num v, enum cohort_view view, char *buf, size_t size)
{
    if (v.null)
        snprintf(buf, size, "-");
    else if (view == VIEW_CUSTOMERS)
        fmt_count((int64_t)v.v, buf, size);
    else if (view == VIEW_PCT)
        snprintf(buf, size, "%.1f", v.v);
    else
        snprintf(buf, size, "%.2f", v.v);
}

int report_cohort(const struct report *r, struct ct_error *err)
{
    const struct config *cfg = r->cx->cfg;
    enum cohort_view view = VIEW_CUSTOMERS;
    if (r->opts->view && cohort_view_parse(r->opts->view, &view))
        return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                            "--view '%s': use customers, pct, revenue, cum_revenue or orders",
                            r->opts->view);
    enum period_unit unit = cfg->cohorts.period;
    if (r->opts->period && period_unit_parse(r->opts->period, &unit))
        return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                            "--period '%s': use day, week or month", r->opts->period);
    struct cohort_res res;
    int rc = cohort_compute(r->q, unit, cfg->cohorts.periods, &res, err);
    if (rc)
        return rc;
    const struct out *o = &r->out;
    const struct cohort_summary *s = &res.summary;
    if (o->format == OUT_JSON) {
        json_t *root = json_object();
        char *entry = cohort_matcher_text(&cfg->cohorts.entry);
        char *ret = cohort_matcher_text(&cfg->cohorts.ret);
        json_object_set_new(root, "entry", jstr(entry));
        json_object_set_new(root, "return", jstr(ret));
        free(entry);
        free(ret);
        json_object_set_new(root, "period", json_string(period_unit_name(unit)));
        json_object_set_new(root, "view", json_string(cohort_view_name(view)));
        report_json_range(r, root);
        json_t *rows = json_array();
        for (size_t i = 0; i < res.n; i++) {
            json_t *e = json_object();
            json_object_set_new(e, "cohort", jstr(res.rows[i].label));
            json_object_set_new(e, "size", jint(res.rows[i].size));
            json_t *vals = json_array();
            for (int k = 0; k < res.periods; k++)
                json_array_append_new(vals, jnum(cohort_value(&res, i, k, view)));
            json_object_set_new(e, "values", vals);
            json_array_append_new(rows, e);
        }
        json_object_set_new(root, "cohorts", rows);
        json_t *sum = json_object();
        json_object_set_new(sum, "repeat_rate_pct", jnum(s->repeat_rate_pct));
        json_object_set_new(sum, "purchase_frequency", jnum(s->purchase_frequency));
        json_object_set_new(sum, "aov", jnum(s->aov));
        json_object_set_new(sum, "churn_rate_pct", jnum(s->churn_rate_pct));
        json_object_set_new(sum, "purchasers", jint(s->purchasers));
        json_object_set_new(sum, "orders", jint(s->orders));
        json_object_set_new(sum, "revenue", jreal(s->revenue));
        json_t *second = json_object();
        json_object_set_new(second, "customers", jint(s->second_customers));
        json_object_set_new(second, "median_days", jnum(s->second_median_days));
        json_object_set_new(second, "p90_days", jnum(s->second_p90_days));
        json_t *hist = json_array();
        for (int b = 0; b < SECOND_ORDER_BINS; b++) {
            json_t *e = json_object();
            json_object_set_new(e, "from_days", jint(b ? second_order_bin_days[b - 1] : 0));
            json_object_set_new(e, "to_days", b < SECOND_ORDER_BINS - 1
                                                  ? jint(second_order_bin_days[b])
                                                  : json_null());
            json_object_set_new(e, "customers", jint(s->second_hist[b]));
            json_array_append_new(hist, e);
        }
        json_object_set_new(second, "histogram", hist);
        json_object_set_new(sum, "days_to_second_order", second);
        json_object_set_new(root, "summary", sum);
        out_json(o, root);
        cohort_res_free(&res);
        return 0;
    }
    size_t ncols = 2 + (size_t)res.periods;
    const char **heads = calloc(ncols, sizeof *heads);
    int *right = calloc(ncols, sizeof *right);
    char(*names)[16] = calloc((size_t)res.periods, sizeof *names);
    heads[0] = "cohort";
    heads[1] = "size";
    right[1] = 1;
    for (int k = 0; k < res.periods; k++) {
        snprintf(names[k], sizeof names[k], "%s%d", o->format == OUT_CSV ? "p" : "+", k);
        heads[2 + k] = names[k];
        right[2 + k] = 1;
    }
    struct table t;
    table_init(&t, ncols, heads, right);
    const char **cells = calloc(ncols, sizeof *cells);
    char(*buf)[32] = calloc(ncols, sizeof *buf);
    for (size_t i = 0; i < res.n; i++) {
        cells[0] = res.rows[i].label;
        snprintf(buf[1], sizeof buf[1], "%lld", (long long)res.rows[i].size);
        cells[1] = buf[1];
        for (int k = 0; k < res.periods; k++) {
            struct ct_num v = cohort_value(&res, i, k, view);
            if (o->format == OUT_CSV)
                out_num(v, view == VIEW_CUSTOMERS ? 0 : 4, buf[2 + k], sizeof buf[2 + k]);
            else
                cell_text(v, view, buf[2 + k], sizeof buf[2 + k]);
            cells[2 + k] = buf[2 + k];
        }
        table_row(&t, cells);
    }
    if (o->format == OUT_TEXT) {
        char title[128];
        snprintf(title, sizeof title, "Cohorts by %s (view: %s)", period_unit_name(unit),
                 cohort_view_name(view));
        report_text_header(r, title);
    }
    table_print(&t, o);
    if (o->format == OUT_TEXT) {
        char a[16], b[32], c[32], d[16];
        fmt_pct(s->repeat_rate_pct.v, s->repeat_rate_pct.null, a, sizeof a);
        out_num(s->purchase_frequency, 2, b, sizeof b);
        if (s->aov.null)
            strcpy(c, "-");
        else
            fmt_money(s->aov.v, 0, c, sizeof c);
        fmt_pct(s->churn_rate_pct.v, s->churn_rate_pct.null, d, sizeof d);
        fprintf(o->f,
                "\nRepeat purchase rate %s · purchase frequency %s · average order value %s "
                "· churn rate %s\n",
                a, b, c, d);
        char m[32], p9[32];
        out_num(s->second_median_days, 1, m, sizeof m);
        out_num(s->second_p90_days, 1, p9, sizeof p9);
        fprintf(o->f, "Days from first to second order (%lld customers): median %s, p90 %s\n",
                (long long)s->second_customers, m, p9);
        int64_t top = 1;
        for (int k = 0; k < SECOND_ORDER_BINS; k++)
            if (s->second_hist[k] > top)
                top = s->second_hist[k];
        for (int k = 0; k < SECOND_ORDER_BINS; k++) {
            char label[32], bar[128];
            if (k < SECOND_ORDER_BINS - 1)
                snprintf(label, sizeof label, "%d-%d d", k ? second_order_bin_days[k - 1] + 1 : 0,
                         second_order_bin_days[k]);
            else
                snprintf(label, sizeof label, "> %d d", second_order_bin_days[k - 1]);
            out_bar(o, (double)s->second_hist[k] / (double)top, 30, bar, sizeof bar);
            fprintf(o->f, "  %-10s %6lld  %s\n", label, (long long)s->second_hist[k], bar);
        }
    }
    table_free(&t);
    free(cells);
    free(buf);
    free(names);
    free(heads);
    free(right);
    cohort_res_free(&res);
    return 0;
}

int report_lifecycle(const struct report *r, struct ct_error *err)
{
    enum period_unit unit = r->cx->cfg->cohorts.period;
    if (r->opts->period && period_unit_parse(r->opts->period, &unit))
        return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                            "--period '%s': use day, week or month", r->opts->period);
    struct lifecycle_res res;
    int rc = lifecycle_compute(r->q, unit, &res, err);
    if (rc)
        return rc;
    const struct out *o = &r->out;
    if (o->format == OUT_JSON) {
        json_t *root = json_object();
        json_object_set_new(root, "period", json_string(period_unit_name(unit)));
        report_json_range(r, root);
        json_t *arr = json_array();
        for (size_t i = 0; i < res.n; i++) {
            const struct lifecycle_row *w = &res.rows[i];
            json_t *e = json_object();
            json_object_set_new(e, "period", jstr(w->label));
            json_object_set_new(e, "new", jint(w->new_));
            json_object_set_new(e, "returning", jint(w->returning));
            json_object_set_new(e, "resurrecting", jint(w->resurrecting));
            json_object_set_new(e, "dormant", jint(w->dormant));
            json_array_append_new(arr, e);
        }
        json_object_set_new(root, "periods", arr);
        out_json(o, root);
        lifecycle_res_free(&res);
        return 0;
    }
    if (o->format == OUT_TEXT) {
        char title[128];
        snprintf(title, sizeof title,
                 "Buyers per %s: new, returning (bought the %s before too), resurrecting "
                 "(back after a gap), dormant (stopped)",
                 period_unit_name(unit), period_unit_name(unit));
        report_text_header(r, title);
    }
    static const char *const heads[] = {"period", "new", "returning", "resurrecting", "dormant",
                                        "active"};
    static const int right[] = {0, 1, 1, 1, 1, 1};
    struct table t;
    table_init(&t, 6, heads, right);
    for (size_t i = 0; i < res.n; i++) {
        const struct lifecycle_row *w = &res.rows[i];
        char b[5][32];
        int64_t v[5] = {w->new_, w->returning, w->resurrecting, w->dormant,
                        w->new_ + w->returning + w->resurrecting};
        for (int k = 0; k < 5; k++) {
            if (o->format == OUT_CSV)
                snprintf(b[k], sizeof b[k], "%lld", (long long)v[k]);
            else
                fmt_count(v[k], b[k], sizeof b[k]);
        }
        const char *cells[] = {w->label, b[0], b[1], b[2], b[3], b[4]};
        table_row(&t, cells);
    }
    table_print(&t, o);
    table_free(&t);
    lifecycle_res_free(&res);
    return 0;
}
