/*
 * pane.h - a pane is a struct of callbacks (STYLE 3.1).
 *
 * screen.c never switches on the pane type.  A pane turns actions (or raw
 * keys while its prompt is open) into redraw flags; when it needs data or a
 * change of what is computed it fills a struct ui_request and returns
 * UI_REQUEST, and app/ turns that into model calls.
 */
#ifndef CT_PANE_H
#define CT_PANE_H

#include <curses.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/keys.h"
#include "ui/ui.h"

enum ui_flags {
    UI_HANDLED = 1,
    UI_DIRTY_BODY = 2,
    UI_DIRTY_STATUS = 4,
    UI_REQUEST = 8,
    UI_QUIT = 16,
    UI_POP = 32, /* close this (modal) pane */
};

enum ui_req_kind {
    REQ_NONE,
    REQ_OPEN_CUSTOMER, /* index: customer index in the dataset */
    REQ_COHORT_CELL,   /* a: cohort period index, b: offset */
    REQ_SEARCH,        /* text: the query as typed so far */
    REQ_FUNNEL,        /* index: 0 = stages, n = funnels[n-1] */
    REQ_BREAKDOWN,     /* index: 0 none, 1 channel, 2 country, 3 tier */
    REQ_COMPARE,       /* index: 0 off, else the next pair of segments */
    REQ_ORDERS,        /* a: 1 show the three counting methods, 0 off */
    REQ_COHORT,        /* index: view, a: period unit */
    REQ_CUSTOMERS,     /* index: sort, a: win-back on */
    REQ_FILTER,        /* text: "FROM\tTO\tSEGMENT" (empty for none) */
    REQ_GROUP,         /* a: 1 group the timeline by day, 0 by session */
    REQ_LIFECYCLE,     /* a: 1 show the lifecycle in the cohort pane, 0 the triangle */
    REQ_COSTS,         /* a: 1 show the costs view in the cohort pane, 0 the triangle */
};

struct ui_request {
    enum ui_req_kind kind;
    size_t index;
    int64_t a, b;
    char text[512];
};

struct pane_ops {
    const char *title;
    unsigned scopes; /* key scopes while this pane is on top */
    void (*draw)(void *st, WINDOW *w, int h, int width, const struct ui *ui);
    /* An action, or (when raw() says a prompt is open) ACT_NONE with the
     * raw key.  Returns UI_* flags; fills req when it returns UI_REQUEST. */
    int (*handle)(void *st, enum action a, int key, struct ui_request *req);
    int (*raw)(void *st); /* NULL or 1 while typing into a prompt */
    /* Key hints for the status bar, e.g. "/ search  s sort  Enter open". */
    const char *(*hints)(void *st);
    /* Where the cursor should be (a prompt), or 0 to hide it. */
    int (*cursor)(void *st, int *y, int *x);
    /* The table on screen as CSV rows for export; NULL when none. */
    int (*export_csv)(void *st, FILE *f, const struct ui *ui);
};

struct pane {
    const struct pane_ops *ops;
    void *st;
};

#endif
