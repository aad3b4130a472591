/*
 * pane_filter.c - f: the date range (presets and custom) and the segment,
 * for every pane.  Enter on a row applies it.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "model/civil.h"
#include "model/mem.h"
#include "model/tstamp.h"
#include "ui/list.h"
#include "ui/panes.h"

#define ESC 27

enum preset { P_ALL, P_7, P_30, P_90, P_THIS_MONTH, P_LAST_MONTH, P_THIS_YEAR, P_CUSTOM, P_N };

static const char *const preset_names[P_N] = {
    "All data",   "Last 7 days", "Last 30 days", "Last 90 days",
    "This month", "Last month",  "This year",    "Custom range...",
};

struct pane_filter {
    struct filter_view v;
    struct list list;
    int typing;
    char custom[64];
    char from[16], to[16], segment[64];
};

void *pane_filter_new(void)
{
    return xcalloc(1, sizeof(struct pane_filter));
}

void pane_filter_free(void *st)
{
    free(st);
}

void pane_filter_set(void *st, const struct filter_view *v)
{
    struct pane_filter *p = st;
    p->v = *v;
    snprintf(p->from, sizeof p->from, "%s", v->from ? v->from : "");
    snprintf(p->to, sizeof p->to, "%s", v->to ? v->to : "");
    snprintf(p->segment, sizeof p->segment, "%s", v->segment ? v->segment : "");
    list_set_count(&p->list, P_N + 1 + v->n_segments);
    p->typing = 0;
}

static void day_text(int64_t day, char *buf, size_t size)
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

/* The dates of a preset relative to today (both inclusive). */
static void preset_dates(const char *today, enum preset pr, char *from, char *to, size_t size)
{
    int y = 1970, m = 1, d = 1;
    if (sscanf(today, "%d-%d-%d", &y, &m, &d) != 3)
        return;
    int64_t t = civil_days(y, m, d);
    from[0] = to[0] = '\0';
    switch (pr) {
    case P_7:
    case P_30:
    case P_90:
        day_text(t - (pr == P_7 ? 6 : pr == P_30 ? 29 : 89), from, size);
        day_text(t, to, size);
        break;
    case P_THIS_MONTH:
        day_text(civil_days(y, m, 1), from, size);
        day_text(t, to, size);
        break;
    case P_LAST_MONTH: {
        int py = m == 1 ? y - 1 : y, pm = m == 1 ? 12 : m - 1;
        day_text(civil_days(py, pm, 1), from, size);
        day_text(civil_days(py, pm, civil_month_days(py, pm)), to, size);
        break;
    }
    case P_THIS_YEAR:
        day_text(civil_days(y, 1, 1), from, size);
        day_text(t, to, size);
        break;
    default:
        break;
    }
}

static void pane_draw(void *st, WINDOW *w, int h, int width, const struct ui *ui)
{
    struct pane_filter *p = st;
    char line[200];
    snprintf(line, sizeof line, "Filter  %s  now: %s to %s, segment %s", ui->g.sep,
             p->from[0] ? p->from : "start", p->to[0] ? p->to : "end",
             p->segment[0] ? p->segment : "everyone");
    ui_text(w, 0, 1, width - 2, color_attr(ROLE_TITLE), line);
    int rows = h - 4;
    list_scroll(&p->list, rows);
    size_t n = P_N + 1 + p->v.n_segments;
    for (int r = 0; r < rows; r++) {
        size_t row = p->list.top + (size_t)r;
        if (row >= n)
            break;
        int y = 2 + r + (row >= P_N ? 1 : 0);
        int sel = row == p->list.sel;
        attr_t a = sel ? color_attr(ROLE_SELECTION) : color_attr(ROLE_TEXT);
        if (row == 0)
            ui_text(w, 1, 1, 20, color_attr(ROLE_MUTED), "Date range");
        if (row == P_N)
            ui_text(w, y - 1, 1, 20, color_attr(ROLE_MUTED), "Segment");
        ui_fill(w, y, 3, 40, a);
        if (row < P_N) {
            char from[16], to[16];
            preset_dates(p->v.today ? p->v.today : "", (enum preset)row, from, to,
                         sizeof from);
            if (row == P_ALL)
                snprintf(line, sizeof line, "%s", preset_names[row]);
            else if (row == P_CUSTOM)
                snprintf(line, sizeof line, "%s", preset_names[row]);
            else
                snprintf(line, sizeof line, "%-14s %s..%s", preset_names[row], from, to);
        } else {
            size_t s = row - P_N;
            snprintf(line, sizeof line, "%s", s == 0 ? "Everyone" : p->v.segments[s - 1]);
        }
        ui_text(w, y, 4, 38, a, line);
    }
    if (p->typing) {
        ui_text(w, h - 1, 1, 34, color_attr(ROLE_KEY), "from to (YYYY-MM-DD YYYY-MM-DD): ");
        ui_fill(w, h - 1, 35, 24, color_attr(ROLE_INPUT));
        ui_text(w, h - 1, 35, 24, color_attr(ROLE_INPUT), p->custom);
    } else {
        ui_text(w, h - 1, 1, width - 2, color_attr(ROLE_MUTED),
                "Enter applies the row to every pane; Esc cancels");
    }
}

static int apply(struct pane_filter *p, struct ui_request *req)
{
    req->kind = REQ_FILTER;
    snprintf(req->text, sizeof req->text, "%s\t%s\t%s", p->from, p->to, p->segment);
    return UI_HANDLED | UI_REQUEST | UI_POP;
}

static int type_key(struct pane_filter *p, int key, struct ui_request *req)
{
    size_t n = strlen(p->custom);
    if (key == ESC) {
        p->typing = 0;
        return UI_HANDLED | UI_DIRTY_BODY;
    }
    if (key == '\n' || key == '\r' || key == KEY_ENTER) {
        char a[32] = "", b[32] = "";
        if (sscanf(p->custom, "%31s %31s", a, b) < 1 || !tstamp_is_date(a) ||
            (b[0] && !tstamp_is_date(b)))
            return UI_HANDLED; /* keep typing: not two dates yet */
        snprintf(p->from, sizeof p->from, "%s", a);
        snprintf(p->to, sizeof p->to, "%s", b);
        p->typing = 0;
        return apply(p, req);
    }
    if (key == KEY_BACKSPACE || key == 127 || key == 8) {
        if (n)
            p->custom[n - 1] = '\0';
        return UI_HANDLED | UI_DIRTY_BODY;
    }
    if (((key >= '0' && key <= '9') || key == '-' || key == ' ') && n + 1 < sizeof p->custom) {
        p->custom[n] = (char)key;
        p->custom[n + 1] = '\0';
    }
    return UI_HANDLED | UI_DIRTY_BODY;
}

static int pane_handle(void *st, enum action a, int key, struct ui_request *req)
{
    struct pane_filter *p = st;
    if (p->typing)
        return type_key(p, key, req);
    if (a == ACT_BACK || a == ACT_FILTER)
        return UI_HANDLED | UI_POP;
    if (a == ACT_ENTER) {
        size_t row = p->list.sel;
        if (row == P_CUSTOM) {
            p->typing = 1;
            snprintf(p->custom, sizeof p->custom, "%s %s", p->from, p->to);
            return UI_HANDLED | UI_DIRTY_BODY;
        }
        if (row < P_N) {
            preset_dates(p->v.today ? p->v.today : "", (enum preset)row, p->from, p->to,
                         sizeof p->from);
        } else {
            size_t s = row - P_N;
            snprintf(p->segment, sizeof p->segment, "%s", s ? p->v.segments[s - 1] : "");
        }
        return apply(p, req);
    }
    return list_action(&p->list, a) ? UI_HANDLED | UI_DIRTY_BODY : 0;
}

static int pane_raw(void *st)
{
    return ((struct pane_filter *)st)->typing;
}

static int pane_cursor(void *st, int *y, int *x)
{
    struct pane_filter *p = st;
    if (!p->typing)
        return 0;
    *y = getmaxy(stdscr) - 3;
    *x = 35 + (int)strlen(p->custom);
    return 1;
}

static const char *pane_hints(void *st)
{
    (void)st;
    return "Enter apply  Esc cancel ";
}

const struct pane_ops pane_filter_ops = {
    .title = "Filter",
    .scopes = SCOPE_ALL | SCOPE_LIST,
    .draw = pane_draw,
    .handle = pane_handle,
    .raw = pane_raw,
    .hints = pane_hints,
    .cursor = pane_cursor,
};
