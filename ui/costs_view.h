/*
 * costs_view.h - the costs view of the cohort pane (issue 9): one row per
 * acquisition channel over the range (CAC, retention cost, CLV to CAC,
 * payback) and the total, the fastest payback and the channels that never
 * paid back marked.  pane_cohort.c owns the pane and hands this view its
 * keys and its window while the view is on; the figures are model/costs.c's.
 */
#ifndef CT_COSTS_VIEW_H
#define CT_COSTS_VIEW_H

#include <stdio.h>

#include "model/costs.h"
#include "ui/list.h"
#include "ui/ui.h"

struct costs_view {
    const struct costs_res *res; /* owned by app/ */
    const struct ui *ui;         /* for the cell callback, set while drawing */
    struct list rows;            /* the channels, then the total */
    char sel[128];               /* the selected channel's name, kept across refreshes */
    int sel_total;               /* the total row is selected */
};

/* Show res (NULL: nothing computed yet), keeping the selection by name. */
void costs_view_set(struct costs_view *cv, const struct costs_res *res);
void costs_view_draw(struct costs_view *cv, WINDOW *w, int h, int width, const struct ui *ui);
/* A navigation action: UI_* flags (0 when not one the view takes). */
int costs_view_handle(struct costs_view *cv, enum action a);
/* The table as CSV (channel rows and the total). */
int costs_view_export(const struct costs_view *cv, FILE *f);

#endif
