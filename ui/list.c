/*
 * list.c - scrolling tables.
 */
#include "autoconf.h"

#include <string.h>

#include "ui/list.h"

size_t list_layout(const struct list_col *cols, size_t ncols, int total, int *widths)
{
    /* drop columns from the right until the minimums fit */
    size_t shown = ncols;
    for (;;) {
        int need = 0;
        for (size_t c = 0; c < shown; c++)
            need += cols[c].min + (c ? 1 : 0);
        if (need <= total || shown <= 1)
            break;
        shown--;
    }
    int used = 0;
    for (size_t c = 0; c < ncols; c++) {
        widths[c] = c < shown ? cols[c].min : 0;
        used += c < shown ? widths[c] + (c ? 1 : 0) : 0;
    }
    if (shown == 1 && widths[0] > total)
        widths[0] = total > 0 ? total : 0;
    /* fixed columns grow to their wanted width first, then flex columns,
     * then flex columns share what is left in proportion to their wants */
    for (int pass = 0; pass < 2; pass++)
        for (size_t c = 0; c < shown && used < total; c++) {
            if ((cols[c].flex != 0) != pass)
                continue;
            int want = cols[c].width > widths[c] ? cols[c].width - widths[c] : 0;
            int give = want < total - used ? want : total - used;
            widths[c] += give;
            used += give;
        }
    int flex_want = 0;
    for (size_t c = 0; c < shown; c++)
        flex_want += cols[c].flex ? cols[c].width : 0;
    int spare = total - used;
    for (size_t c = 0; c < shown && flex_want > 0 && spare > 0; c++)
        if (cols[c].flex) {
            int give = spare * cols[c].width / flex_want;
            widths[c] += give;
            used += give;
        }
    return shown;
}

void list_set_count(struct list *l, size_t n)
{
    l->n = n;
    if (l->sel >= n)
        l->sel = n ? n - 1 : 0;
    if (l->top > l->sel)
        l->top = l->sel;
}

void list_select(struct list *l, size_t row)
{
    l->sel = row < l->n ? row : (l->n ? l->n - 1 : 0);
}

int list_action(struct list *l, enum action a)
{
    size_t old = l->sel;
    size_t page = l->height > 1 ? (size_t)l->height - 1 : 1;
    if (!l->n)
        return 0;
    switch (a) {
    case ACT_UP:
        if (l->sel > 0)
            l->sel--;
        break;
    case ACT_DOWN:
        if (l->sel + 1 < l->n)
            l->sel++;
        break;
    case ACT_PAGE_UP:
        l->sel = l->sel > page ? l->sel - page : 0;
        break;
    case ACT_PAGE_DOWN:
        l->sel = l->sel + page < l->n ? l->sel + page : l->n - 1;
        break;
    case ACT_HOME:
        l->sel = 0;
        break;
    case ACT_END:
        l->sel = l->n - 1;
        break;
    default:
        return 0;
    }
    return l->sel != old;
}

void list_scroll(struct list *l, int h)
{
    if (h <= 0)
        return;
    l->height = h;
    if (l->sel < l->top)
        l->top = l->sel;
    if (l->sel >= l->top + (size_t)h)
        l->top = l->sel - (size_t)h + 1;
    if (l->n > (size_t)h && l->top > l->n - (size_t)h)
        l->top = l->n - (size_t)h;
    if (l->n <= (size_t)h)
        l->top = 0;
}

void list_draw(struct list *l, WINDOW *win, int y, int x, int h, int w,
               const struct list_col *cols, size_t ncols, list_cell_fn cell, void *ctx,
               const struct ui *ui)
{
    (void)ui;
    int widths[32];
    if (ncols > 32)
        ncols = 32;
    size_t shown = list_layout(cols, ncols, w, widths);
    /* header */
    int cx = x;
    ui_fill(win, y, x, w, color_attr(ROLE_TITLE));
    for (size_t c = 0; c < shown; c++) {
        if (cols[c].right)
            ui_text_right(win, y, cx, widths[c], color_attr(ROLE_TITLE), cols[c].head);
        else
            ui_text(win, y, cx, widths[c], color_attr(ROLE_TITLE), cols[c].head);
        cx += widths[c] + 1;
    }
    int rows = h - 1;
    list_scroll(l, rows);
    char buf[256];
    for (int r = 0; r < rows; r++) {
        size_t row = l->top + (size_t)r;
        int yy = y + 1 + r;
        if (row >= l->n) {
            ui_fill(win, yy, x, w, color_attr(ROLE_TEXT));
            continue;
        }
        int selected = row == l->sel;
        attr_t base = selected ? color_attr(ROLE_SELECTION) : color_attr(ROLE_TEXT);
        ui_fill(win, yy, x, w, base);
        cx = x;
        for (size_t c = 0; c < shown; c++) {
            enum ui_role role = ROLE_TEXT;
            buf[0] = '\0';
            cell(ctx, row, c, buf, sizeof buf, &role);
            attr_t a = selected ? base : color_attr(role);
            if (cols[c].right)
                ui_text_right(win, yy, cx, widths[c], a, buf);
            else
                ui_text(win, yy, cx, widths[c], a, buf);
            cx += widths[c] + 1;
        }
    }
}
