/*
 * list.h - the scrolling, selectable table every pane uses, and its column
 * layout arithmetic (kept free of curses so it can be unit-tested).
 */
#ifndef CT_LIST_H
#define CT_LIST_H

#include <stddef.h>

#include "ui/keys.h"
#include "ui/ui.h"

struct list_col {
    const char *head;
    int width; /* wanted width; flex columns share what is left */
    int min;   /* never narrower; a column that cannot get it is hidden */
    int flex;  /* 1: takes a share of the spare width */
    int right; /* right-aligned */
};

/* Widths of ncols columns in total width (one space between columns).
 * Columns that do not fit get 0, the rightmost first.  Returns the number
 * of columns shown. */
size_t list_layout(const struct list_col *cols, size_t ncols, int total, int *widths);

struct list {
    size_t n;   /* rows */
    size_t sel; /* selected row */
    size_t top; /* first visible row */
    int height; /* visible rows at the last draw */
};

void list_set_count(struct list *l, size_t n);
/* Move for a navigation action; 1 when the selection moved. */
int list_action(struct list *l, enum action a);
void list_select(struct list *l, size_t row);
/* Keep the selection visible in h rows. */
void list_scroll(struct list *l, int h);

/* One cell's text and role; buf has room for 256 bytes. */
typedef void (*list_cell_fn)(void *ctx, size_t row, size_t col, char *buf, size_t size,
                             enum ui_role *role);

/* Header line and rows at (y, x) in h lines and w columns. */
void list_draw(struct list *l, WINDOW *win, int y, int x, int h, int w,
               const struct list_col *cols, size_t ncols, list_cell_fn cell, void *ctx,
               const struct ui *ui);

#endif
