/*
 * report_costs.c - convtop report costs (issue 9): acquisition and
 * retention spend, new and retained customers, CAC, retention cost, CLV so
 * far, CLV to CAC and payback per period and acquisition channel, then per
 * channel over the range and in total.
 *
 * Reads the spend records from the store and hands them to model/costs.c
 * with the query; formats what it computed and divides nothing.  JSON keys
 * are those of the issue ("rows", "totals"), plus "channels" (the per-
 * channel totals the TUI shows) and the range keys every report has.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "app/report.h"
#include "model/costs.h"
#include "ui/format.h"

static json_t *fig_json(json_t *o, const struct costs_fig *f)
{
    json_object_set_new(o, "acquisition_spend", jreal(f->acquisition_spend));
    json_object_set_new(o, "new_customers", jint(f->new_customers));
    json_object_set_new(o, "cac", jnum(f->cac));
    json_object_set_new(o, "retention_spend", jreal(f->retention_spend));
    json_object_set_new(o, "retained_customers", jint(f->retained_customers));
    json_object_set_new(o, "retention_cost", jnum(f->retention_cost));
    json_object_set_new(o, "clv", jnum(f->clv));
    json_object_set_new(o, "clv_to_cac", jnum(f->clv_to_cac));
    json_object_set_new(o, "payback_periods", jnum(f->payback_periods));
    return o;
}

static void json_report(const struct report *r, const struct costs_res *res)
{
    json_t *root = json_object();
    report_json_range(r, root);
    json_object_set_new(root, "period", json_string(period_unit_name(res->period)));
    json_t *rows = json_array();
    for (size_t i = 0; i < res->n; i++) {
        const struct costs_row *w = &res->rows[i];
        json_t *e = json_object();
        json_object_set_new(e, "period", jstr(w->label));
        json_object_set_new(e, "channel", jstr(res->channels[w->channel]));
        json_array_append_new(rows, fig_json(e, &w->f));
    }
    json_object_set_new(root, "rows", rows);
    json_t *chans = json_array();
    for (size_t c = 0; c < res->n_channels; c++) {
        json_t *e = json_object();
        json_object_set_new(e, "channel", jstr(res->channels[c]));
        fig_json(e, &res->by_channel[c]);
        json_array_append_new(chans, e);
    }
    json_object_set_new(root, "channels", chans);
    json_object_set_new(root, "totals", fig_json(json_object(), &res->total));
    out_json(&r->out, root);
}

/* One table row; text shows money and counts for reading, CSV plain
 * numbers for a spreadsheet. */
static void table_fig(struct table *t, const struct out *o, const char *period, const char *channel,
                      const struct costs_fig *f)
{
    char b[9][40];
    int csv = o->format == OUT_CSV;
    const struct ct_num money[] = {num_val(f->acquisition_spend), f->cac,
                                   num_val(f->retention_spend), f->retention_cost, f->clv};
    char *money_buf[] = {b[0], b[2], b[3], b[5], b[6]};
    for (int i = 0; i < 5; i++) {
        if (money[i].null)
            snprintf(money_buf[i], sizeof b[0], "-");
        else if (csv)
            snprintf(money_buf[i], sizeof b[0], "%.2f", money[i].v);
        else
            fmt_money(money[i].v, 0, money_buf[i], sizeof b[0]);
    }
    if (csv) {
        snprintf(b[1], sizeof b[1], "%lld", (long long)f->new_customers);
        snprintf(b[4], sizeof b[4], "%lld", (long long)f->retained_customers);
    } else {
        fmt_count(f->new_customers, b[1], sizeof b[1]);
        fmt_count(f->retained_customers, b[4], sizeof b[4]);
    }
    out_num(f->clv_to_cac, csv ? 4 : 2, b[7], sizeof b[7]);
    out_num(f->payback_periods, 0, b[8], sizeof b[8]);
    const char *cells[] = {period, channel, b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8]};
    /* a table without the period column (the channel totals) */
    table_row(t, t->ncols == 11 ? cells : cells + 1);
}

static void table_report(const struct report *r, const struct costs_res *res)
{
    const struct out *o = &r->out;
    int csv = o->format == OUT_CSV;
    static const char *const text_heads[] = {"Period", "Channel",    "Acq. spend", "New",
                                             "CAC",    "Ret. spend", "Retained",   "Ret. cost",
                                             "CLV",    "CLV/CAC",    "Payback"};
    static const char *const csv_heads[] = {
        "period", "channel",         "acquisition_spend",  "new_customers",
        "cac",    "retention_spend", "retained_customers", "retention_cost",
        "clv",    "clv_to_cac",      "payback_periods"};
    static const int right[] = {0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    const char *unit = period_unit_name(res->period);
    if (!csv) {
        char title[96];
        snprintf(title, sizeof title, "Costs by %s and acquisition channel", unit);
        report_text_header(r, title);
    }
    struct table t;
    table_init(&t, 11, csv ? csv_heads : text_heads, right);
    for (size_t i = 0; i < res->n; i++)
        table_fig(&t, o, res->rows[i].label, costs_channel_label(res, res->rows[i].channel),
                  &res->rows[i].f);
    if (csv) {
        /* the totals as rows a spreadsheet can filter: period "total" */
        for (size_t c = 0; c < res->n_channels; c++)
            table_fig(&t, o, "total", costs_channel_label(res, c), &res->by_channel[c]);
        table_fig(&t, o, "total", "", &res->total);
        table_print(&t, o);
        table_free(&t);
        return;
    }
    if (res->n)
        table_print(&t, o);
    else
        fputs("No spend and no customers in this range.\n", o->f);
    table_free(&t);

    fprintf(o->f, "\nBy channel, over the range\n\n");
    table_init(&t, 10, text_heads + 1, right + 1);
    for (size_t c = 0; c < res->n_channels; c++)
        table_fig(&t, o, NULL, costs_channel_label(res, c), &res->by_channel[c]);
    table_fig(&t, o, NULL, "all channels", &res->total);
    table_print(&t, o);
    table_free(&t);
    fprintf(o->f,
            "\nCAC = acquisition spend / new customers; retention cost = retention spend / "
            "customers who bought\nagain in a later %s; CLV = net spend per new customer up to "
            "now; payback = whole %ss after\nthe first purchase until CLV reached CAC "
            "(- = not yet).  Customers count under their acquisition\nchannel.\n",
            unit, unit);
}

int report_costs(const struct report *r, struct ct_error *err)
{
    enum period_unit unit = PERIOD_MONTH;
    if (r->opts->period && period_unit_parse(r->opts->period, &unit))
        return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0, "--period '%s': use day, week or month",
                            r->opts->period);
    struct spend_list spend;
    int rc = store_spend_list(r->cx->st, &spend, err);
    if (rc)
        return rc;
    struct costs_res res;
    rc = costs_compute(r->q, &spend, unit, &res, err);
    spend_list_free(&spend);
    if (rc)
        return rc;
    if (r->out.format == OUT_JSON)
        json_report(r, &res);
    else
        table_report(r, &res);
    costs_res_free(&res);
    return 0;
}
