/*
 * pane_funnel.c - 1 Funnel: the steps as bars with counts and percentages,
 * the biggest drop-off highlighted, times between steps, the trend
 * sparkline; below, the goals table, or the breakdown, the comparison of
 * two segments, or the three counting methods side by side.
 */
#include "autoconf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/mem.h"
#include "ui/format.h"
#include "ui/list.h"
#include "ui/panes.h"

enum lower { LOWER_GOALS, LOWER_BREAKDOWN, LOWER_COMPARE, LOWER_MODES };

struct pane_funnel {
    struct funnel_view v;
    struct list list;
    enum lower lower;
    /* goal rows: a goal index, or -1 / -2 for the micro / macro totals */
    long *goal_rows;
    size_t n_goal_rows;
};

void *pane_funnel_new(void)
{
    return xcalloc(1, sizeof(struct pane_funnel));
}

void pane_funnel_free(void *st)
{
    struct pane_funnel *p = st;
    if (p)
        free(p->goal_rows);
    free(p);
}

/* Micro goals, their total, macro goals, their total. */
static void order_goals(struct pane_funnel *p)
{
    const struct goals_res *g = p->v.goals;
    free(p->goal_rows);
    p->goal_rows = xcalloc(g ? g->n + 2 : 1, sizeof *p->goal_rows);
    p->n_goal_rows = 0;
    for (int k = 0; g && k < 2; k++) {
        for (size_t i = 0; i < g->n; i++)
            if ((int)g->goals[i].kind == k)
                p->goal_rows[p->n_goal_rows++] = (long)i;
        p->goal_rows[p->n_goal_rows++] = -1 - k;
    }
}

static size_t lower_rows(const struct pane_funnel *p)
{
    switch (p->lower) {
    case LOWER_GOALS:
        return p->n_goal_rows;
    case LOWER_BREAKDOWN:
        return p->v.breakdown ? p->v.breakdown->n : 0;
    case LOWER_COMPARE:
    case LOWER_MODES:
        return p->v.funnel ? p->v.funnel->n_steps : 0;
    }
    return 0;
}

void pane_funnel_set(void *st, const struct funnel_view *v)
{
    struct pane_funnel *p = st;
    p->v = *v;
    order_goals(p);
    p->lower = v->modes        ? LOWER_MODES
               : v->compare[0] ? LOWER_COMPARE
               : v->breakdown  ? LOWER_BREAKDOWN
                               : LOWER_GOALS;
    list_set_count(&p->list, lower_rows(p));
}

static const char *order_name(enum funnel_order o)
{
    return o == ORDER_STRICT ? "strict" : o == ORDER_ANY ? "any order" : "ordered";
}

static void draw_steps(struct pane_funnel *p, WINDOW *w, int y, int width, const struct ui *ui)
{
    const struct funnel_res *f = p->v.funnel;
    int name_w = 14;
    for (size_t j = 0; j < f->n_steps; j++) {
        size_t nl = strlen(f->steps[j].name);
        if ((int)nl + 1 > name_w)
            name_w = (int)nl + 1 > 24 ? 24 : (int)nl + 1;
    }
    /* name | bar | customers | of first | of prev | median: fixed columns on
     * the right, the bar takes the rest */
    enum { CW = 10, PW = 9, MW = 13 };
    int right = CW + PW + PW + MW;
    int bar_w = width - 2 - name_w - right - 2;
    if (bar_w < 10)
        bar_w = 10;
    int x0 = 2 + name_w + bar_w + 1;
    double first = f->n_steps ? (double)f->steps[0].customers : 0;
    ui_text_right(w, y, x0, CW, color_attr(ROLE_MUTED), "customers");
    ui_text_right(w, y, x0 + CW, PW, color_attr(ROLE_MUTED), "of first");
    ui_text_right(w, y, x0 + CW + PW, PW, color_attr(ROLE_MUTED), "of prev");
    ui_text_right(w, y, x0 + CW + 2 * PW, MW, color_attr(ROLE_MUTED), "median/p90");
    for (size_t j = 0; j < f->n_steps; j++) {
        const struct funnel_step_res *s = &f->steps[j];
        int yy = y + 1 + (int)j;
        int drop = (int)j == f->biggest_drop;
        attr_t name_a = drop ? color_attr(ROLE_DROP) : color_attr(ROLE_TEXT);
        ui_text(w, yy, 2, name_w, name_a, s->name);
        double frac = first > 0 ? (double)s->customers / first : 0;
        ui_bar(w, yy, 2 + name_w, bar_w, frac, color_attr(drop ? ROLE_DROP : ROLE_BAR), ui);
        char c[32], a[16], b[16], m[16], p9[16], mp[40];
        fmt_count(s->customers, c, sizeof c);
        fmt_pct(s->pct_of_first.v, s->pct_of_first.null, a, sizeof a);
        fmt_pct(s->pct_of_prev.v, s->pct_of_prev.null, b, sizeof b);
        fmt_duration(s->median_s.v, s->median_s.null, m, sizeof m);
        fmt_duration(s->p90_s.v, s->p90_s.null, p9, sizeof p9);
        snprintf(mp, sizeof mp, "%s/%s", m, p9);
        if (s->median_s.null)
            snprintf(mp, sizeof mp, "-");
        ui_text_right(w, yy, x0, CW, color_attr(ROLE_TEXT), c);
        ui_text_right(w, yy, x0 + CW, PW, color_attr(ROLE_TEXT), a);
        ui_text_right(w, yy, x0 + CW + PW, PW, name_a, b);
        ui_text_right(w, yy, x0 + CW + 2 * PW, MW, color_attr(ROLE_MUTED), mp);
        if (drop)
            ui_text(w, yy, 0, 2, color_attr(ROLE_DROP), ui->g.down);
    }
    if (f->biggest_drop >= 0) {
        const struct funnel_step_res *d = &f->steps[f->biggest_drop];
        char line[200], pp[16];
        fmt_pct(d->pct_of_prev.v, d->pct_of_prev.null, pp, sizeof pp);
        snprintf(line, sizeof line, "%s biggest drop-off: %s -> %s, only %s continue",
                 ui->g.down, f->steps[f->biggest_drop - 1].name, d->name, pp);
        ui_text(w, y + 1 + (int)f->n_steps, 2, width - 4, color_attr(ROLE_DROP), line);
    }
}

static void draw_trend(struct pane_funnel *p, WINDOW *w, int y, int width, const struct ui *ui)
{
    const struct funnel_trend *t = p->v.trend;
    const struct funnel_res *f = p->v.funnel;
    if (!t || !t->n || !f->n_steps)
        return;
    char label[160];
    snprintf(label, sizeof label, "Trend, %s %% of %s per %s of entry: ",
             f->steps[f->n_steps - 1].name, f->steps[0].name, period_unit_name(t->period));
    int used = ui_text(w, y, 2, width - 4, color_attr(ROLE_MUTED), label);
    double *v = xcalloc(t->n, sizeof *v);
    for (size_t i = 0; i < t->n; i++)
        v[i] = t->pct[i].null ? NAN : t->pct[i].v;
    int sw = width - 4 - used - 24;
    if (sw > 4) {
        ui_spark(w, y, 2 + used, sw, v, t->n, color_attr(ROLE_BAR_ALT), ui);
        char last[64], pct[16];
        size_t i = t->n - 1;
        fmt_pct(t->pct[i].v, t->pct[i].null, pct, sizeof pct);
        snprintf(last, sizeof last, " %s %s", t->labels[i], pct);
        int sl = (int)(t->n < (size_t)sw ? t->n : (size_t)sw);
        ui_text(w, y, 2 + used + sl, 24, color_attr(ROLE_TEXT), last);
    }
    free(v);
}

static const struct list_col goal_cols[] = {
    {"Goal", 24, 12, 1, 0},     {"kind", 6, 5, 0, 0},     {"completions", 11, 8, 0, 1},
    {"converters", 10, 8, 0, 1}, {"conv. rate", 10, 7, 0, 1}, {"revenue", 12, 9, 0, 1},
};

static void goal_cell(void *ctx, size_t row, size_t col, char *buf, size_t size,
                      enum ui_role *role)
{
    const struct pane_funnel *p = ctx;
    const struct goals_res *g = p->v.goals;
    long gi = p->goal_rows[row];
    const char *name, *kind;
    int64_t comp, conv;
    struct ct_num rate, rev;
    if (gi >= 0) {
        const struct goal_res *x = &g->goals[gi];
        name = x->name;
        kind = x->kind == GOAL_MICRO ? "micro" : "macro";
        comp = x->completions;
        conv = x->converters;
        rate = x->rate_pct;
        rev = x->revenue;
    } else {
        const struct goal_total *t = gi == -1 ? &g->micro : &g->macro;
        name = gi == -1 ? "All micro goals" : "All macro goals";
        kind = gi == -1 ? "micro" : "macro";
        comp = t->completions;
        conv = t->converters;
        rate = t->rate_pct;
        rev = t->revenue;
        *role = ROLE_TITLE;
    }
    switch (col) {
    case 0:
        snprintf(buf, size, "%s", name);
        break;
    case 1:
        snprintf(buf, size, "%s", kind);
        if (gi >= 0)
            *role = ROLE_MUTED;
        break;
    case 2:
        fmt_count(comp, buf, size);
        break;
    case 3:
        fmt_count(conv, buf, size);
        break;
    case 4:
        fmt_pct(rate.v, rate.null, buf, size);
        break;
    default:
        if (rev.null)
            snprintf(buf, size, "-");
        else
            fmt_money(rev.v, 1, buf, size);
    }
}

/* Breakdown: value, step-1 count, last-step count, last % of first. */
static const struct list_col bd_cols[] = {
    {"value", 20, 10, 1, 0}, {"entered", 10, 8, 0, 1}, {"converted", 10, 8, 0, 1},
    {"% of first", 10, 8, 0, 1}, {"biggest drop-off", 24, 12, 1, 0},
};

static void bd_cell(void *ctx, size_t row, size_t col, char *buf, size_t size,
                    enum ui_role *role)
{
    const struct funnel_breakdown *b = ((struct pane_funnel *)ctx)->v.breakdown;
    const struct funnel_res *f = &b->res[row];
    size_t k = f->n_steps;
    switch (col) {
    case 0:
        snprintf(buf, size, "%s", b->values[row]);
        break;
    case 1:
        fmt_count(k ? f->steps[0].customers : 0, buf, size);
        break;
    case 2:
        fmt_count(k ? f->steps[k - 1].customers : 0, buf, size);
        break;
    case 3:
        if (k)
            fmt_pct(f->steps[k - 1].pct_of_first.v, f->steps[k - 1].pct_of_first.null, buf,
                    size);
        break;
    default:
        if (f->biggest_drop >= 0) {
            snprintf(buf, size, "%s", f->steps[f->biggest_drop].name);
            *role = ROLE_DROP;
        }
    }
}

/* Compare and modes: step, then count and % of first per column. */
static void side_cell(void *ctx, size_t row, size_t col, char *buf, size_t size,
                      enum ui_role *role)
{
    struct pane_funnel *p = ctx;
    if (col == 0) {
        snprintf(buf, size, "%s", p->v.funnel->steps[row].name);
        return;
    }
    size_t which = (col - 1) / 2;
    const struct funnel_res *f = p->lower == LOWER_MODES ? &p->v.modes[which]
                                                         : p->v.compare[which];
    if (!f || row >= f->n_steps)
        return;
    const struct funnel_step_res *s = &f->steps[row];
    if ((col - 1) % 2 == 0)
        fmt_count(s->customers, buf, size);
    else
        fmt_pct(s->pct_of_first.v, s->pct_of_first.null, buf, size);
    if (p->lower == LOWER_MODES && which > 0 &&
        s->customers != p->v.modes[0].steps[row].customers)
        *role = ROLE_WARN; /* differs from the ordered count */
    if ((int)row == f->biggest_drop)
        *role = ROLE_DROP;
}

static void pane_draw(void *st, WINDOW *w, int h, int width, const struct ui *ui)
{
    struct pane_funnel *p = st;
    const struct funnel_res *f = p->v.funnel;
    if (!f) {
        ui_text(w, 1, 2, width - 4, color_attr(ROLE_MUTED), "computing...");
        return;
    }
    char title[256], win[16];
    fmt_duration((double)f->window_ms / 1000, 0, win, sizeof win);
    snprintf(title, sizeof title, "Funnel: %s  %s %s, window %s  (%zu of %zu; [ ] to switch)",
             strcmp(f->name, "stages") == 0 ? "stages" : f->name, ui->g.sep,
             order_name(f->order), win, p->v.funnel_index + 1, p->v.n_funnels);
    ui_text(w, 0, 1, width - 2, color_attr(ROLE_TITLE), title);
    if (!f->n_steps) {
        ui_text(w, 2, 2, width - 4, color_attr(ROLE_MUTED),
                "This funnel has no steps: add stages: to the config.");
        return;
    }
    draw_steps(p, w, 1, width, ui);
    int y = 1 + (int)f->n_steps + 2;
    draw_trend(p, w, y, width, ui);
    y += 2;
    int lh = h - y;
    if (lh < 3)
        return;
    char head[160];
    static const struct list_col side_cols[] = {
        {"step", 24, 10, 0, 0},    {"count", 9, 7, 0, 1}, {"%", 7, 5, 0, 1},
        {"count", 9, 7, 0, 1},     {"%", 7, 5, 0, 1},     {"count", 9, 7, 0, 1},
        {"%", 7, 5, 0, 1},
    };
    switch (p->lower) {
    case LOWER_GOALS:
        if (!p->v.goals)
            break;
        list_draw(&p->list, w, y, 1, lh, width - 2, goal_cols, 6, goal_cell, p, ui);
        break;
    case LOWER_BREAKDOWN:
        snprintf(head, sizeof head, "Breakdown by %s (b: next)", p->v.breakdown->attr);
        ui_text(w, y - 1, 1, width - 2, color_attr(ROLE_MUTED), head);
        list_draw(&p->list, w, y, 1, lh, width - 2, bd_cols, 5, bd_cell, p, ui);
        break;
    case LOWER_COMPARE:
        snprintf(head, sizeof head, "Compare: %s  vs  %s   (c: next pair, Esc: off)",
                 p->v.compare_names[0], p->v.compare_names[1]);
        ui_text(w, y - 1, 1, width - 2, color_attr(ROLE_MUTED), head);
        list_draw(&p->list, w, y, 1, lh, width - 2, side_cols, 5, side_cell, p, ui);
        break;
    case LOWER_MODES:
        ui_text(w, y - 1, 1, width - 2, color_attr(ROLE_MUTED),
                "Counting methods: ordered | strict | any order  (highlighted: differs from "
                "ordered; o: off)");
        list_draw(&p->list, w, y, 1, lh, width - 2, side_cols, 7, side_cell, p, ui);
        break;
    }
}

static int pane_handle(void *st, enum action a, int key, struct ui_request *req)
{
    struct pane_funnel *p = st;
    (void)key;
    switch (a) {
    case ACT_FUNNEL_NEXT:
    case ACT_FUNNEL_PREV:
        if (p->v.n_funnels < 2)
            return UI_HANDLED;
        req->kind = REQ_FUNNEL;
        req->index = (p->v.funnel_index + (a == ACT_FUNNEL_NEXT ? 1 : p->v.n_funnels - 1)) %
                     p->v.n_funnels;
        return UI_HANDLED | UI_REQUEST;
    case ACT_BREAKDOWN:
        req->kind = REQ_BREAKDOWN;
        req->index = 1;
        return UI_HANDLED | UI_REQUEST;
    case ACT_COMPARE:
        req->kind = REQ_COMPARE;
        req->index = 1;
        return UI_HANDLED | UI_REQUEST;
    case ACT_ORDERS:
        req->kind = REQ_ORDERS;
        req->a = p->lower != LOWER_MODES;
        return UI_HANDLED | UI_REQUEST;
    case ACT_BACK:
        if (p->lower == LOWER_GOALS)
            return 0;
        /* Esc closes the lower view first */
        req->kind = p->lower == LOWER_MODES     ? REQ_ORDERS
                    : p->lower == LOWER_COMPARE ? REQ_COMPARE
                                                : REQ_BREAKDOWN;
        req->a = 0;
        req->index = 0;
        return UI_HANDLED | UI_REQUEST;
    default:
        return list_action(&p->list, a) ? UI_HANDLED | UI_DIRTY_BODY : 0;
    }
}

static const char *pane_hints(void *st)
{
    (void)st;
    return "[ ] funnel  b breakdown  c compare  o methods ";
}

static int pane_export(void *st, FILE *f, const struct ui *ui)
{
    struct pane_funnel *p = st;
    (void)ui;
    const struct funnel_res *fr = p->v.funnel;
    if (!fr)
        return -1;
    fprintf(f, "step,customers,pct_of_first,pct_of_prev,dropped,median_s,p90_s\n");
    for (size_t j = 0; j < fr->n_steps; j++) {
        const struct funnel_step_res *s = &fr->steps[j];
        fmt_csv_field(f, s->name);
        fprintf(f, ",%lld,", (long long)s->customers);
        struct ct_num v[] = {s->pct_of_first, s->pct_of_prev, s->dropped, s->median_s, s->p90_s};
        for (int i = 0; i < 5; i++)
            if (v[i].null)
                fprintf(f, "%s", i < 4 ? "," : "\n");
            else
                fprintf(f, "%.4f%s", v[i].v, i < 4 ? "," : "\n");
    }
    return 0;
}

const struct pane_ops pane_funnel_ops = {
    .title = "Funnel",
    .scopes = SCOPE_ALL | SCOPE_LIST | SCOPE_FUNNEL,
    .draw = pane_draw,
    .handle = pane_handle,
    .hints = pane_hints,
    .export_csv = pane_export,
};
