/*
 * screen.c - the frame around the panes.
 *
 * Owns the windows and the redraw policy: werase + wnoutrefresh of dirty
 * areas only, one doupdate, no clear() (costly over SSH).
 */
#include "autoconf.h"

#include <string.h>

#include "model/text.h"
#include "ui/screen.h"

static void make_windows(struct screen *s)
{
    getmaxyx(stdscr, s->rows, s->cols);
    s->too_small = s->rows < SCREEN_MIN_ROWS || s->cols < SCREEN_MIN_COLS;
    if (s->header)
        delwin(s->header);
    if (s->body)
        delwin(s->body);
    if (s->status)
        delwin(s->status);
    s->header = s->body = s->status = NULL;
    if (s->too_small)
        return;
    s->header = newwin(1, s->cols, 0, 0);
    s->body = newwin(s->rows - 2, s->cols, 1, 0);
    s->status = newwin(1, s->cols, s->rows - 1, 0);
    keypad(s->body, TRUE);
    wtimeout(s->body, SCREEN_TICK_MS);
}

void screen_init(struct screen *s)
{
    make_windows(s);
    s->dirty = UI_DIRTY_BODY | UI_DIRTY_STATUS | SCREEN_DIRTY_HEADER;
}

void screen_end(struct screen *s)
{
    if (s->header)
        delwin(s->header);
    if (s->body)
        delwin(s->body);
    if (s->status)
        delwin(s->status);
    s->header = s->body = s->status = NULL;
}

void screen_resize(struct screen *s)
{
    make_windows(s);
    /* a resize invalidates what the terminal shows: repaint it all once */
    clearok(curscr, TRUE);
    s->dirty = UI_DIRTY_BODY | UI_DIRTY_STATUS | SCREEN_DIRTY_HEADER;
}

int screen_getch(struct screen *s)
{
    /* getch() on stdscr would repaint stdscr over the panes: read from the
     * body, which holds no pending changes after a frame */
    if (s->body)
        return wgetch(s->body);
    timeout(SCREEN_TICK_MS);
    return getch();
}

struct pane *screen_top(struct screen *s)
{
    return s->n_modal ? &s->modal[s->n_modal - 1] : &s->tabs[s->active];
}

void screen_push(struct screen *s, struct pane p)
{
    if (s->n_modal == SCREEN_MODALS)
        s->n_modal--; /* the oldest stays; the newest replaces the top */
    s->modal[s->n_modal++] = p;
    s->dirty |= UI_DIRTY_BODY | UI_DIRTY_STATUS | SCREEN_DIRTY_HEADER;
}

void screen_pop(struct screen *s)
{
    if (s->n_modal)
        s->n_modal--;
    s->dirty |= UI_DIRTY_BODY | UI_DIRTY_STATUS | SCREEN_DIRTY_HEADER;
}

void screen_set_tab(struct screen *s, int tab)
{
    if (tab < 0 || tab >= SCREEN_TABS)
        return;
    s->active = tab;
    s->n_modal = 0;
    s->dirty |= UI_DIRTY_BODY | UI_DIRTY_STATUS | SCREEN_DIRTY_HEADER;
}

void screen_message(struct screen *s, const char *msg)
{
    snprintf(s->message, sizeof s->message, "%s", msg ? msg : "");
    s->dirty |= UI_DIRTY_STATUS;
}

void screen_dirty(struct screen *s, int flags)
{
    s->dirty |= flags;
}

/* The tab labels and where each starts, for drawing and for clicks. */
static int tab_label(const struct screen *s, int t, char *buf, size_t size)
{
    return snprintf(buf, size, " %d %s ", t + 1, s->tabs[t].ops->title);
}

int screen_tab_at(const struct screen *s, int x)
{
    int cx = (int)text_width(s->shop) + 3;
    char label[64];
    for (int t = 0; t < SCREEN_TABS; t++) {
        int w = tab_label(s, t, label, sizeof label);
        if (x >= cx && x < cx + w)
            return t;
        cx += w + 1;
    }
    return -1;
}

static void draw_header(struct screen *s)
{
    WINDOW *w = s->header;
    werase(w);
    ui_fill(w, 0, 0, s->cols, color_attr(ROLE_HEADER));
    int x = 1 + ui_text(w, 0, 1, s->cols / 3, color_attr(ROLE_HEADER), s->shop) + 2;
    char label[64];
    for (int t = 0; t < SCREEN_TABS; t++) {
        tab_label(s, t, label, sizeof label);
        enum ui_role r = t == s->active ? ROLE_TAB_ACTIVE : ROLE_TAB;
        x += ui_text(w, 0, x, s->cols - x, color_attr(r), label) + 1;
    }
    if (s->n_modal) {
        char crumb[80];
        snprintf(crumb, sizeof crumb, " %s %s ", s->ui.g.sep,
                 s->modal[s->n_modal - 1].ops->title);
        ui_text(w, 0, x, s->cols - x, color_attr(ROLE_HEADER), crumb);
    }
    ui_text_right(w, 0, 0, s->cols - 1, color_attr(ROLE_HEADER), "? help  q quit");
    wnoutrefresh(w);
}

static void draw_status(struct screen *s)
{
    WINDOW *w = s->status;
    werase(w);
    ui_fill(w, 0, 0, s->cols, color_attr(ROLE_STATUS));
    /* the message, or the range and segment, are never hidden; key hints
     * keep their place on the right when there is room; freshness is cut */
    char left[512];
    int keep;
    if (s->message[0])
        snprintf(left, sizeof left, " %s", s->message);
    else
        snprintf(left, sizeof left, " %s %s %s", s->range, s->ui.g.sep, s->segment);
    keep = (int)text_width(left);
    struct pane *p = screen_top(s);
    const char *hints = p->ops->hints ? p->ops->hints(p->st) : "";
    int hw = (int)text_width(hints);
    if (hw > s->cols - 1 - (keep > 29 ? keep : 29))
        hw = 0;
    if (!s->message[0]) {
        /* the longest freshness that fits; the shortest is cut if none does */
        const char *f[] = {s->fresh, s->fresh_mid, s->fresh_short};
        int room = s->cols - hw - 2 - keep - 2 - (int)text_width(s->ui.g.sep);
        size_t pick = 2;
        for (size_t i = 0; i < 3; i++)
            if (f[i][0] && (int)text_width(f[i]) <= room) {
                pick = i;
                break;
            }
        size_t n = strlen(left);
        if (f[pick][0])
            snprintf(left + n, sizeof left - n, " %s %s", s->ui.g.sep, f[pick]);
    }
    if (hw)
        ui_text_right(w, 0, 0, s->cols, color_attr(ROLE_KEY), hints);
    ui_text(w, 0, 0, s->cols - hw - 1, color_attr(s->message[0] ? ROLE_KEY : ROLE_STATUS), left);
    wnoutrefresh(w);
}

static void draw_too_small(void)
{
    werase(stdscr);
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    char msg[96];
    snprintf(msg, sizeof msg, "terminal too small: %dx%d, convtop needs %dx%d", cols, rows,
             SCREEN_MIN_COLS, SCREEN_MIN_ROWS);
    int y = rows / 2;
    mvwaddnstr(stdscr, y > 0 ? y - 1 : 0, 0, msg, cols);
    if (rows > 2)
        mvwaddnstr(stdscr, y + 1 < rows ? y + 1 : rows - 1, 0, "enlarge it, or press q to quit",
                   cols);
    wnoutrefresh(stdscr);
}

void screen_draw(struct screen *s)
{
    if (s->too_small) {
        draw_too_small();
        curs_set(0);
        doupdate();
        return;
    }
    if (s->dirty & SCREEN_DIRTY_HEADER)
        draw_header(s);
    struct pane *p = screen_top(s);
    if (s->dirty & UI_DIRTY_BODY) {
        werase(s->body);
        wbkgdset(s->body, ' ' | color_attr(ROLE_TEXT));
        ui_fill(s->body, 0, 0, 0, color_attr(ROLE_TEXT));
        for (int y = 0; y < s->rows - 2; y++)
            ui_fill(s->body, y, 0, s->cols, color_attr(ROLE_TEXT));
        p->ops->draw(p->st, s->body, s->rows - 2, s->cols, &s->ui);
        wnoutrefresh(s->body);
    }
    if (s->dirty & UI_DIRTY_STATUS)
        draw_status(s);
    int cy, cx;
    if (p->ops->cursor && p->ops->cursor(p->st, &cy, &cx)) {
        curs_set(1);
        wmove(s->body, cy, cx);
        wnoutrefresh(s->body);
    } else {
        curs_set(0);
    }
    s->dirty = 0;
    doupdate();
}
