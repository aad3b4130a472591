/*
 * pane_help.c - ? help: every key, read from the key table (keys.c), so
 * what help says and what keys do cannot drift apart.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "model/mem.h"
#include "ui/list.h"
#include "ui/panes.h"

struct pane_help {
    struct list list;
};

void *pane_help_new(void)
{
    return xcalloc(1, sizeof(struct pane_help));
}

void pane_help_free(void *st)
{
    free(st);
}

static const struct {
    unsigned scope;
    const char *title;
} sections[] = {
    {SCOPE_ALL, "Anywhere"},       {SCOPE_LIST, "Lists and tables"},
    {SCOPE_FUNNEL, "1 Funnel"},    {SCOPE_COHORT, "2 Cohorts"},
    {SCOPE_CUSTOMERS, "3 Customers"}, {SCOPE_DETAIL, "Customer detail"},
};

/* Lines of help: a section title (key < 0) or a key row. */
static size_t help_lines(long *out, size_t max)
{
    size_t n = 0;
    for (size_t s = 0; s < sizeof sections / sizeof *sections; s++) {
        if (n < max)
            out[n++] = -1 - (long)s;
        for (size_t i = 0; i < keytab_len; i++)
            if (keytab[i].scope == sections[s].scope && keytab[i].help && n < max)
                out[n++] = (long)i;
    }
    return n;
}

static void pane_draw(void *st, WINDOW *w, int h, int width, const struct ui *ui)
{
    struct pane_help *p = st;
    long lines[256];
    size_t n = help_lines(lines, 256);
    list_set_count(&p->list, n);
    ui_text(w, 0, 1, width - 2, color_attr(ROLE_TITLE),
            "Keys  (Esc or ? closes; arrows scroll)");
    int rows = h - 3;
    list_scroll(&p->list, rows);
    /* two columns when they fit, else one scrolling column */
    int colw = width / 2 - 2;
    int two = width >= 100 && n <= (size_t)rows * 2;
    for (int r = 0; r < rows * (two ? 2 : 1); r++) {
        size_t i = (two ? 0 : p->list.top) + (size_t)r;
        if (i >= n)
            break;
        int y = 2 + r % rows, x = two && r >= rows ? colw + 3 : 1;
        int cw = two ? colw : width - 2;
        if (lines[i] < 0) {
            ui_text(w, y, x, cw, color_attr(ROLE_TITLE), sections[-1 - lines[i]].title);
            continue;
        }
        const struct keybind *k = &keytab[lines[i]];
        ui_text(w, y, x + 2, 8, color_attr(ROLE_KEY), k->label);
        ui_text(w, y, x + 10, cw - 10, color_attr(ROLE_TEXT), k->help);
    }
    ui_text(w, h - 1, 1, width - 2, color_attr(ROLE_MUTED),
            "Every figure here is also printed by `convtop report` (see convtop --help).");
    (void)ui;
}

static int pane_handle(void *st, enum action a, int key, struct ui_request *req)
{
    struct pane_help *p = st;
    (void)key;
    (void)req;
    if (a == ACT_BACK || a == ACT_HELP)
        return UI_HANDLED | UI_POP;
    return list_action(&p->list, a) ? UI_HANDLED | UI_DIRTY_BODY : 0;
}

static const char *pane_hints(void *st)
{
    (void)st;
    return "Esc close ";
}

const struct pane_ops pane_help_ops = {
    .title = "Help",
    .scopes = SCOPE_ALL | SCOPE_LIST,
    .draw = pane_draw,
    .handle = pane_handle,
    .hints = pane_hints,
};
