/*
 * report_cohort.c - convtop report cohort: the retention triangle in one of
 * five views, and the summary metrics.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "app/report.h"
#include "model/cohort.h"
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
