/*
 * pane_cohort.c - 2 Cohorts: the retention triangle as a heat map with the
 * cohort sizes, a cell cursor, the summary metrics.  Enter on a cell asks
 * for its customers.  Cells shade by value; without colour a glyph before
 * the number carries the shade, so the map reads in monochrome too.
 */
#include "autoconf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/mem.h"
#include "ui/costs_view.h"
#include "ui/format.h"
#include "ui/list.h"
#include "ui/panes.h"

#define CELL_W 7
#define LABEL_W 10
#define SIZE_W 7

struct pane_cohort {
    struct cohort_pane_view v;
    struct list rows; /* cohorts */
    int col;          /* selected offset */
    int left;         /* first offset shown */
    int shown_cols;
    char sel_label[32]; /* keep the selection by cohort label across refreshes */
    struct costs_view cv; /* the costs view (issue 9), while v.costs is set */
};

void *pane_cohort_new(void)
{
    return xcalloc(1, sizeof(struct pane_cohort));
}

void pane_cohort_free(void *st)
{
    free(st);
}

void pane_cohort_set(void *st, const struct cohort_pane_view *v)
{
    struct pane_cohort *p = st;
    p->v = *v;
    costs_view_set(&p->cv, v->costs);
    size_t n = v->res ? v->res->n : 0;
    list_set_count(&p->rows, n);
    if (p->sel_label[0] && v->res)
        for (size_t i = 0; i < n; i++)
            if (strcmp(v->res->rows[i].label, p->sel_label) == 0)
                list_select(&p->rows, i);
    if (v->res && p->col >= v->res->periods)
        p->col = v->res->periods - 1;
    if (p->col < 0)
        p->col = 0;
}

static const char *view_title(enum cohort_view v)
{
    static const char *const t[] = {"customers who came back", "% of the cohort",
                                    "revenue per cohort customer",
                                    "cumulative revenue per customer (CLV)",
                                    "orders per cohort customer"};
    return t[v];
}

/* The largest value of the view outside offset 0, to scale the shades
 * (offset 0 would dwarf everything when entry = return). */
static double view_max(const struct cohort_res *r, enum cohort_view view)
{
    double max = 0;
    for (size_t i = 0; i < r->n; i++)
        for (int k = 1; k < r->periods; k++) {
            struct ct_num v = cohort_value(r, i, k, view);
            if (view == VIEW_CUSTOMERS)
                v = cohort_value(r, i, k, VIEW_PCT);
            if (!v.null && v.v > max)
                max = v.v;
        }
    return max;
}

static void cell_text(struct ct_num v, enum cohort_view view, char *buf, size_t size)
{
    if (v.null)
        snprintf(buf, size, " ");
    else if (view == VIEW_CUSTOMERS)
        snprintf(buf, size, "%.0f", v.v);
    else if (view == VIEW_PCT)
        snprintf(buf, size, v.v >= 99.95 ? "%.0f" : "%.1f", v.v);
    else if (view == VIEW_ORDERS)
        snprintf(buf, size, "%.2f", v.v);
    else
        fmt_money(v.v, 1, buf, size);
}

/* A stacked bar: each segment n[i] of total cells wide in role[i]; without
 * colour each segment has its own glyph. */
static int stacked(WINDOW *w, int y, int x, int width, const int64_t *n, const enum ui_role *role,
                   const char *const *glyph, int parts, double scale, const struct ui *ui)
{
    int used = 0;
    for (int i = 0; i < parts; i++) {
        int cells = (int)((double)n[i] * scale + 0.5);
        if (n[i] > 0 && cells == 0)
            cells = 1;
        if (used + cells > width)
            cells = width - used;
        wattrset(w, color_attr(role[i]));
        wmove(w, y, x + used);
        for (int c = 0; c < cells; c++)
            waddstr(w, ui->glyph_heat ? glyph[i] : ui->g.full);
        used += cells;
    }
    return used;
}

static void draw_lifecycle(struct pane_cohort *p, WINDOW *w, int h, int width,
                           const struct ui *ui)
{
    const struct lifecycle_res *lc = p->v.lifecycle;
    static const enum ui_role roles[4] = {ROLE_BAR, ROLE_GOOD, ROLE_WARN, ROLE_BAD};
    const char *glyphs[4] = {ui->g.full, ui->g.shade[3], ui->g.shade[2], ui->g.shade[1]};
    static const char *const names[4] = {"new", "returning", "resurrecting", "dormant"};
    char title[160];
    snprintf(title, sizeof title, "Buyers per %s  (L: back to the cohorts)",
             period_unit_name(lc->period));
    ui_text(w, 0, 1, width - 2, color_attr(ROLE_TITLE), title);
    /* legend */
    int x = 2;
    for (int i = 0; i < 4; i++) {
        x += ui_text(w, 1, x, 2, color_attr(roles[i]), ui->glyph_heat ? glyphs[i] : ui->g.full);
        x += ui_text(w, 1, x + 1, 20, color_attr(ROLE_MUTED), names[i]) + 3;
    }
    int y = 3;
    ui_text(w, y - 1, 1, 8, color_attr(ROLE_TITLE), "period");
    static const char *const heads[4] = {"new", "return", "resurr", "dormant"};
    for (int i = 0; i < 4; i++)
        ui_text_right(w, y - 1, 10 + i * 8, 7, color_attr(ROLE_TITLE), heads[i]);
    int64_t max = 1;
    for (size_t i = 0; i < lc->n; i++) {
        const struct lifecycle_row *r = &lc->rows[i];
        int64_t t = r->new_ + r->returning + r->resurrecting + r->dormant;
        if (t > max)
            max = t;
    }
    int bar_x = 10 + 4 * 8 + 1, bar_w = width - bar_x - 2;
    int rows = h - y;
    list_set_count(&p->rows, lc->n);
    /* the newest periods are the interesting ones: show the last rows */
    size_t first = lc->n > (size_t)rows ? lc->n - (size_t)rows : 0;
    for (size_t i = first; i < lc->n; i++) {
        const struct lifecycle_row *r = &lc->rows[i];
        int yy = y + (int)(i - first);
        int64_t v[4] = {r->new_, r->returning, r->resurrecting, r->dormant};
        ui_text(w, yy, 1, 8, color_attr(ROLE_TEXT), r->label);
        for (int k = 0; k < 4; k++) {
            char num[16];
            fmt_count(v[k], num, sizeof num);
            ui_text_right(w, yy, 10 + k * 8, 7, color_attr(k == 3 ? ROLE_MUTED : ROLE_TEXT), num);
        }
        if (bar_w > 10) {
            double scale = (double)(bar_w - 2) / (double)max;
            int used = stacked(w, yy, bar_x, bar_w - 2, v, roles, glyphs, 3, scale, ui);
            stacked(w, yy, bar_x + used + 1, bar_w - used - 1, v + 3, roles + 3, glyphs + 3, 1,
                    scale, ui);
        }
    }
}

static void pane_draw(void *st, WINDOW *w, int h, int width, const struct ui *ui)
{
    struct pane_cohort *p = st;
    const struct cohort_res *r = p->v.res;
    if (p->v.lifecycle) {
        draw_lifecycle(p, w, h, width, ui);
        return;
    }
    if (p->v.costs) {
        costs_view_draw(&p->cv, w, h, width, ui);
        return;
    }
    if (!r) {
        ui_text(w, 1, 2, width - 4, color_attr(ROLE_MUTED), "computing...");
        return;
    }
    char title[200];
    snprintf(title, sizeof title, "Cohorts by %s %s %s  (v view, p period)",
             period_unit_name(r->period), ui->g.sep, view_title(p->v.view));
    ui_text(w, 0, 1, width - 2, color_attr(ROLE_TITLE), title);
    if (!r->n) {
        ui_text(w, 2, 2, width - 4, color_attr(ROLE_MUTED),
                "No cohorts: nobody has an entry event in this range and segment.");
        return;
    }
    /* columns that fit; scroll horizontally to keep the cursor visible */
    p->shown_cols = (width - 2 - LABEL_W - SIZE_W) / CELL_W;
    if (p->shown_cols < 1)
        p->shown_cols = 1;
    if (p->col < p->left)
        p->left = p->col;
    if (p->col >= p->left + p->shown_cols)
        p->left = p->col - p->shown_cols + 1;
    int y = 2;
    ui_text(w, y, 1, LABEL_W, color_attr(ROLE_TITLE), "cohort");
    ui_text_right(w, y, 1 + LABEL_W, SIZE_W - 1, color_attr(ROLE_TITLE), "size");
    for (int c = 0; c < p->shown_cols && p->left + c < r->periods; c++) {
        char head[16];
        snprintf(head, sizeof head, "+%d", p->left + c);
        ui_text_right(w, y, 1 + LABEL_W + SIZE_W + c * CELL_W, CELL_W - 1,
                      color_attr(ROLE_TITLE), head);
    }
    int rows_h = h - y - 1 - 4;
    if (rows_h < 1)
        rows_h = 1;
    list_scroll(&p->rows, rows_h);
    double max = view_max(r, p->v.view);
    for (int i = 0; i < rows_h; i++) {
        size_t row = p->rows.top + (size_t)i;
        if (row >= r->n)
            break;
        int yy = y + 1 + i;
        int sel_row = row == p->rows.sel;
        ui_text(w, yy, 1, LABEL_W, color_attr(sel_row ? ROLE_TITLE : ROLE_TEXT),
                r->rows[row].label);
        char sz[16];
        fmt_count(r->rows[row].size, sz, sizeof sz);
        ui_text_right(w, yy, 1 + LABEL_W, SIZE_W - 1, color_attr(ROLE_MUTED), sz);
        for (int c = 0; c < p->shown_cols && p->left + c < r->periods; c++) {
            int k = p->left + c;
            struct ct_num v = cohort_value(r, row, k, p->v.view);
            double shade_v = p->v.view == VIEW_CUSTOMERS
                                 ? cohort_value(r, row, k, VIEW_PCT).v
                                 : v.v;
            int level = v.null ? 0 : k == 0 && p->v.view != VIEW_REVENUE ? HEAT_LEVELS - 1
                                     : ui_heat_level(max > 0 ? shade_v / max : 0);
            char txt[32], cell[48];
            cell_text(v, p->v.view, txt, sizeof txt);
            int x = 1 + LABEL_W + SIZE_W + c * CELL_W;
            attr_t a = v.null ? color_attr(ROLE_MUTED) : color_attr(ROLE_HEAT0 + level);
            if (sel_row && k == p->col)
                a = color_attr(ROLE_SELECTION) | A_BOLD;
            ui_fill(w, yy, x, CELL_W - 1, a);
            if (ui->glyph_heat && !v.null) {
                snprintf(cell, sizeof cell, "%s%*s", ui->g.shade[level], CELL_W - 2, txt);
                ui_text(w, yy, x, CELL_W - 1, a, cell);
            } else {
                ui_text_right(w, yy, x, CELL_W - 1, a, txt);
            }
        }
    }
    /* summary */
    const struct cohort_summary *s = &r->summary;
    char a[16], b[32], c[32], d[16], line[256];
    fmt_pct(s->repeat_rate_pct.v, s->repeat_rate_pct.null, a, sizeof a);
    if (s->purchase_frequency.null)
        snprintf(b, sizeof b, "-");
    else
        snprintf(b, sizeof b, "%.2f", s->purchase_frequency.v);
    if (s->aov.null)
        snprintf(c, sizeof c, "-");
    else
        fmt_money(s->aov.v, 0, c, sizeof c);
    fmt_pct(s->churn_rate_pct.v, s->churn_rate_pct.null, d, sizeof d);
    snprintf(line, sizeof line,
             "repeat purchase rate %s %s frequency %s %s AOV %s %s churn rate %s",
             a, ui->g.sep, b, ui->g.sep, c, ui->g.sep, d);
    ui_text(w, h - 3, 1, width - 2, color_attr(ROLE_TEXT), line);
    if (s->second_customers) {
        char m[32], p9[32];
        fmt_duration(s->second_median_days.v * 86400, s->second_median_days.null, m, sizeof m);
        fmt_duration(s->second_p90_days.v * 86400, s->second_p90_days.null, p9, sizeof p9);
        snprintf(line, sizeof line, "first to second order: median %s, p90 %s (%lld customers)",
                 m, p9, (long long)s->second_customers);
        ui_text(w, h - 2, 1, width - 2, color_attr(ROLE_TEXT), line);
    }
    if (p->rows.sel < r->n) {
        const struct cohort_row *row = &r->rows[p->rows.sel];
        struct ct_num pct = cohort_value(r, p->rows.sel, p->col, VIEW_PCT);
        struct ct_num cnt = cohort_value(r, p->rows.sel, p->col, VIEW_CUSTOMERS);
        if (cnt.null)
            snprintf(line, sizeof line, "%s +%d: in the future", row->label, p->col);
        else
            snprintf(line, sizeof line,
                     "%s +%d: %.0f of %lld customers came back (%.1f%%); Enter lists them",
                     row->label, p->col, cnt.v, (long long)row->size, pct.null ? 0 : pct.v);
        ui_text(w, h - 1, 1, width - 2, color_attr(ROLE_MUTED), line);
    }
}

static int pane_handle(void *st, enum action a, int key, struct ui_request *req)
{
    struct pane_cohort *p = st;
    const struct cohort_res *r = p->v.res;
    (void)key;
    if (!r)
        return 0;
    int handled = UI_HANDLED | UI_DIRTY_BODY;
    if (a == ACT_LIFECYCLE || (a == ACT_BACK && p->v.lifecycle)) {
        req->kind = REQ_LIFECYCLE;
        req->a = a == ACT_LIFECYCLE && !p->v.lifecycle;
        return UI_HANDLED | UI_REQUEST;
    }
    if (a == ACT_COSTS || (a == ACT_BACK && p->v.costs)) {
        req->kind = REQ_COSTS;
        req->a = a == ACT_COSTS && !p->v.costs;
        return UI_HANDLED | UI_REQUEST;
    }
    if (p->v.costs && a != ACT_PERIOD_NEXT)
        return costs_view_handle(&p->cv, a);
    if (p->v.lifecycle && a != ACT_PERIOD_NEXT)
        return 0;
    switch (a) {
    case ACT_LEFT:
        if (p->col > 0)
            p->col--;
        return handled;
    case ACT_RIGHT:
        if (p->col + 1 < r->periods)
            p->col++;
        return handled;
    case ACT_VIEW_NEXT:
        req->kind = REQ_COHORT;
        req->index = ((size_t)p->v.view + 1) % 5;
        req->a = r->period;
        return UI_HANDLED | UI_REQUEST;
    case ACT_PERIOD_NEXT:
        req->kind = REQ_COHORT;
        req->index = (size_t)p->v.view;
        req->a = r->period == PERIOD_MONTH ? PERIOD_WEEK : PERIOD_MONTH;
        p->sel_label[0] = '\0';
        return UI_HANDLED | UI_REQUEST;
    case ACT_ENTER:
        if (p->rows.sel >= r->n || cohort_value(r, p->rows.sel, p->col, VIEW_CUSTOMERS).null)
            return UI_HANDLED;
        req->kind = REQ_COHORT_CELL;
        req->a = r->rows[p->rows.sel].index;
        req->b = p->col;
        snprintf(req->text, sizeof req->text, "%s +%d", r->rows[p->rows.sel].label, p->col);
        return UI_HANDLED | UI_REQUEST;
    default:
        if (!list_action(&p->rows, a))
            return 0;
        snprintf(p->sel_label, sizeof p->sel_label, "%s", r->rows[p->rows.sel].label);
        return handled;
    }
}

static const char *pane_hints(void *st)
{
    (void)st;
    return "Enter customers  v view  p period  L lifecycle  $ costs ";
}

static int pane_export(void *st, FILE *f, const struct ui *ui)
{
    struct pane_cohort *p = st;
    const struct cohort_res *r = p->v.res;
    (void)ui;
    if (p->v.costs)
        return costs_view_export(&p->cv, f);
    if (!r)
        return -1;
    fprintf(f, "cohort,size");
    for (int k = 0; k < r->periods; k++)
        fprintf(f, ",p%d", k);
    fputc('\n', f);
    for (size_t i = 0; i < r->n; i++) {
        fprintf(f, "%s,%lld", r->rows[i].label, (long long)r->rows[i].size);
        for (int k = 0; k < r->periods; k++) {
            struct ct_num v = cohort_value(r, i, k, p->v.view);
            if (v.null)
                fputc(',', f);
            else
                fprintf(f, ",%.4f", v.v);
        }
        fputc('\n', f);
    }
    return 0;
}

const struct pane_ops pane_cohort_ops = {
    .title = "Cohorts",
    .scopes = SCOPE_ALL | SCOPE_LIST | SCOPE_COHORT,
    .draw = pane_draw,
    .handle = pane_handle,
    .hints = pane_hints,
    .export_csv = pane_export,
};
