/*
 * screen.h - the frame: header with the shop and the tabs, the body (the
 * active pane or the modal on top of it), the status bar; dirty flags and
 * one doupdate() per frame; "terminal too small" below 80x24.
 */
#ifndef CT_SCREEN_H
#define CT_SCREEN_H

#include "ui/pane.h"

#define SCREEN_MIN_COLS 80
#define SCREEN_MIN_ROWS 24
#define SCREEN_TABS 3
#define SCREEN_MODALS 4
#define SCREEN_TICK_MS 250 /* a key or a timer tick at least this often */

struct screen {
    struct pane tabs[SCREEN_TABS];
    int active;
    struct pane modal[SCREEN_MODALS];
    int n_modal;
    struct ui ui;
    WINDOW *header, *body, *status;
    int rows, cols, too_small;
    int dirty; /* UI_DIRTY_* bits, plus 1 for the header */
    char shop[128], range[128], segment[64], message[256];
    /* the data's freshness in three lengths: the status bar shows the
     * longest that fits beside the key hints */
    char fresh[128], fresh_mid[64], fresh_short[32];
};

/* After initscr: make the windows for the current size. */
void screen_init(struct screen *s);
void screen_end(struct screen *s);

/* Recreate the windows after a resize. */
void screen_resize(struct screen *s);

/* Draw what is dirty, then one doupdate(). */
void screen_draw(struct screen *s);

/* The next key, or ERR after SCREEN_TICK_MS. */
int screen_getch(struct screen *s);

/* The pane that gets keys: the top modal, else the active tab. */
struct pane *screen_top(struct screen *s);

void screen_push(struct screen *s, struct pane p);
/* Close the top modal (its state stays with whoever owns it). */
void screen_pop(struct screen *s);

void screen_set_tab(struct screen *s, int tab);

/* A one-line message in the status bar until the next key. */
void screen_message(struct screen *s, const char *msg);

void screen_dirty(struct screen *s, int flags);

#define SCREEN_DIRTY_HEADER 64

/* Which tab sits under column x of the header, or -1 (mouse clicks). */
int screen_tab_at(const struct screen *s, int x);

#endif
