/*
 * costs_view.c - the cohort pane's costs view (issue 9): what a customer
 * of each acquisition channel cost to win (CAC) and to keep (retention
 * cost), CLV so far against CAC, and the payback in periods, over the
 * range; the channel that pays back fastest and those that never did are
 * marked with a glyph and a word, so the marks read without colour.
 *
 * Formats model/costs.c's figures and divides nothing.  No SQL.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "ui/costs_view.h"
#include "ui/format.h"
#include "ui/pane.h"

/* The columns a shop owner needs most come first: on a narrow screen the
 * rightmost go (the line under the table has them for the selection). */
static const struct list_col cols[] = {
    {"channel", 14, 8, 1, 0},     {"CAC", 8, 7, 0, 1},     {"ret. cost", 9, 9, 0, 1},
    {"CLV/CAC", 7, 7, 0, 1},      {"payback", 9, 8, 0, 1}, {"", 9, 9, 0, 0},
    {"CLV so far", 10, 10, 0, 1}, {"new", 6, 5, 0, 1},     {"acq. spend", 10, 10, 0, 1},
};
#define NCOLS (sizeof cols / sizeof cols[0])

static const struct costs_fig *row_fig(const struct costs_view *cv, size_t row)
{
    return row < cv->res->n_channels ? &cv->res->by_channel[row] : &cv->res->total;
}

static const char *row_name(const struct costs_view *cv, size_t row)
{
    return row < cv->res->n_channels ? costs_channel_label(cv->res, row) : "total";
}

void costs_view_set(struct costs_view *cv, const struct costs_res *res)
{
    cv->res = res;
    size_t n = res ? res->n_channels + 1 : 0;
    list_set_count(&cv->rows, n);
    if (!res)
        return;
    if (cv->sel_total) {
        list_select(&cv->rows, res->n_channels);
        return;
    }
    for (size_t i = 0; cv->sel[0] && i < res->n_channels; i++)
        if (strcmp(costs_channel_label(res, i), cv->sel) == 0)
            list_select(&cv->rows, i);
}

static void remember(struct costs_view *cv)
{
    if (!cv->res || cv->rows.sel >= cv->rows.n)
        return;
    cv->sel_total = cv->rows.sel == cv->res->n_channels;
    snprintf(cv->sel, sizeof cv->sel, "%s", cv->sel_total ? "" : row_name(cv, cv->rows.sel));
}

static const char *unit_word(enum period_unit u, int plural)
{
    static const char *const w[][2] = {{"day", "days"}, {"week", "weeks"}, {"month", "months"}};
    return w[u][plural != 0];
}

static void money_or_dash(struct ct_num n, char *buf, size_t size)
{
    if (n.null)
        snprintf(buf, size, "-");
    else
        fmt_money(n.v, 1, buf, size);
}

static void ratio_or_dash(struct ct_num n, char *buf, size_t size)
{
    if (n.null)
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.2f", n.v);
}

static void payback_text(const struct costs_res *r, const struct costs_fig *f, char *buf,
                         size_t size)
{
    if (!f->payback_periods.null) {
        int k = (int)f->payback_periods.v;
        snprintf(buf, size, "%d %s", k, unit_word(r->period, k != 1));
    } else {
        /* with customers won it is "not yet"; without, there is nothing */
        snprintf(buf, size, "%s", f->cac.null ? "-" : "not yet");
    }
}

static void cell(void *ctx, size_t row, size_t col, char *buf, size_t size, enum ui_role *role)
{
    struct costs_view *cv = ctx;
    const struct costs_res *r = cv->res;
    const struct costs_fig *f = row_fig(cv, row);
    int total = row >= r->n_channels;
    if (total)
        *role = ROLE_TITLE;
    switch (col) {
    case 0:
        snprintf(buf, size, "%s", row_name(cv, row));
        break;
    case 1:
        money_or_dash(f->cac, buf, size);
        break;
    case 2:
        money_or_dash(f->retention_cost, buf, size);
        break;
    case 3:
        ratio_or_dash(f->clv_to_cac, buf, size);
        if (!total && !f->clv_to_cac.null)
            *role = f->clv_to_cac.v >= 1 ? ROLE_GOOD : ROLE_BAD;
        break;
    case 4:
        payback_text(r, f, buf, size);
        break;
    case 5:
        if (!total && row == r->fastest) {
            snprintf(buf, size, "%s fastest", cv->ui->g.up);
            *role = ROLE_GOOD;
        } else if (!total && r->never[row]) {
            snprintf(buf, size, "%s never", cv->ui->g.down);
            *role = ROLE_BAD;
        }
        break;
    case 6:
        money_or_dash(f->clv, buf, size);
        break;
    case 7:
        fmt_count(f->new_customers, buf, size);
        break;
    default:
        fmt_money(f->acquisition_spend, 1, buf, size);
        break;
    }
}

void costs_view_draw(struct costs_view *cv, WINDOW *w, int h, int width, const struct ui *ui)
{
    const struct costs_res *r = cv->res;
    cv->ui = ui;
    if (!r) {
        ui_text(w, 1, 2, width - 4, color_attr(ROLE_MUTED), "computing...");
        return;
    }
    char title[200], line[400];
    snprintf(title, sizeof title,
             "Costs by acquisition channel %s payback in %s  ($ cohorts, p period)", ui->g.sep,
             unit_word(r->period, 1));
    ui_text(w, 0, 1, width - 2, color_attr(ROLE_TITLE), title);
    if (!r->n_channels) {
        ui_text(w, 2, 2, width - 4, color_attr(ROLE_MUTED),
                "No spend and no customers in this range.  Load the shop's marketing spend with");
        ui_text(w, 3, 2, width - 4, color_attr(ROLE_MUTED),
                "convtop import --format spend FILE (columns date, channel, purpose, amount).");
        return;
    }
    int table_h = h - 2 - 3;
    if (table_h < 2)
        table_h = 2;
    list_draw(&cv->rows, w, 2, 1, table_h, width - 2, cols, NCOLS, cell, cv, ui);
    /* the selected row in words, with what the columns left out */
    if (cv->rows.sel < cv->rows.n && h >= 6) {
        const struct costs_fig *f = row_fig(cv, cv->rows.sel);
        char a[32], b[32], c[32], n1[32], n2[32];
        fmt_money(f->acquisition_spend, 1, a, sizeof a);
        fmt_count(f->new_customers, n1, sizeof n1);
        fmt_money(f->retention_spend, 1, b, sizeof b);
        fmt_count(f->retained_customers, n2, sizeof n2);
        money_or_dash(f->clv, c, sizeof c);
        snprintf(line, sizeof line, "%s: %s for %s new, %s for %s back; CLV so far %s",
                 row_name(cv, cv->rows.sel), a, n1, b, n2, c);
        ui_text(w, h - 2, 1, width - 2, color_attr(ROLE_TEXT), line);
    }
    snprintf(line, sizeof line, "%s fastest payback  %s never paid back  %s by acquisition channel",
             ui->g.up, ui->g.down, ui->g.sep);
    ui_text(w, h - 1, 1, width - 2, color_attr(ROLE_MUTED), line);
}

int costs_view_handle(struct costs_view *cv, enum action a)
{
    if (!cv->res || !list_action(&cv->rows, a))
        return 0;
    remember(cv);
    return UI_HANDLED | UI_DIRTY_BODY;
}

static void csv_num(FILE *f, struct ct_num n, int decimals)
{
    if (n.null)
        fputc(',', f);
    else
        fprintf(f, ",%.*f", decimals, n.v);
}

int costs_view_export(const struct costs_view *cv, FILE *f)
{
    const struct costs_res *r = cv->res;
    if (!r)
        return -1;
    fprintf(f, "channel,acquisition_spend,new_customers,cac,retention_spend,retained_customers,"
               "retention_cost,clv,clv_to_cac,payback_periods,mark\n");
    for (size_t i = 0; i <= r->n_channels; i++) {
        const struct costs_fig *x = row_fig(cv, i);
        fmt_csv_field(f, i < r->n_channels ? costs_channel_label(r, i) : "total");
        fprintf(f, ",%.2f,%lld", x->acquisition_spend, (long long)x->new_customers);
        csv_num(f, x->cac, 2);
        fprintf(f, ",%.2f,%lld", x->retention_spend, (long long)x->retained_customers);
        csv_num(f, x->retention_cost, 2);
        csv_num(f, x->clv, 2);
        csv_num(f, x->clv_to_cac, 4);
        csv_num(f, x->payback_periods, 0);
        fprintf(f, ",%s\n",
                i < r->n_channels && i == r->fastest ? "fastest"
                : i < r->n_channels && r->never[i]   ? "never"
                                                     : "");
    }
    return 0;
}
