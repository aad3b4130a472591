/*
 * keys.h - every key binding, in one table that both dispatch and the ?
 * help screen read, so the help cannot drift from what the keys do.
 */
#ifndef CT_KEYS_H
#define CT_KEYS_H

#include <stddef.h>

enum action {
    ACT_NONE,
    /* anywhere */
    ACT_QUIT,
    ACT_HELP,
    ACT_BACK,
    ACT_PANE_FUNNEL,
    ACT_PANE_COHORT,
    ACT_PANE_CUSTOMERS,
    ACT_NEXT_PANE,
    ACT_PREV_PANE,
    ACT_FILTER,
    ACT_EXPORT,
    ACT_THEME,
    ACT_REFRESH,
    /* lists and tables */
    ACT_UP,
    ACT_DOWN,
    ACT_LEFT,
    ACT_RIGHT,
    ACT_PAGE_UP,
    ACT_PAGE_DOWN,
    ACT_HOME,
    ACT_END,
    ACT_ENTER,
    /* funnel */
    ACT_FUNNEL_NEXT,
    ACT_FUNNEL_PREV,
    ACT_BREAKDOWN,
    ACT_COMPARE,
    ACT_ORDERS,
    /* cohorts */
    ACT_VIEW_NEXT,
    ACT_PERIOD_NEXT,
    ACT_COSTS,
    ACT_LIFECYCLE,
    /* customers */
    ACT_SEARCH,
    ACT_SORT,
    ACT_WINBACK,
    /* detail */
    ACT_GROUP,
    ACT_WHY,
    ACT_COUNT
};

enum key_scope {
    SCOPE_ALL = 1,
    SCOPE_LIST = 2, /* any pane with a list or table */
    SCOPE_FUNNEL = 4,
    SCOPE_COHORT = 8,
    SCOPE_CUSTOMERS = 16,
    SCOPE_DETAIL = 32,
};

struct keybind {
    int key;
    unsigned scope;
    enum action action;
    const char *label; /* how help shows the key */
    const char *help;  /* NULL: an alias not listed again */
};

extern const struct keybind keytab[];
extern const size_t keytab_len;

/* The action of key in a pane with these scopes, or ACT_NONE. */
enum action keys_lookup(int key, unsigned scopes);

/* A short label for the key of action in scope, for status-bar hints. */
const char *keys_label(enum action a, unsigned scopes);

#endif
