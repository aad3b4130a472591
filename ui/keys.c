/*
 * keys.c - the key table.  One row per binding: key, where it works, the
 * action, and the help text.
 */
#include "autoconf.h"

#include <curses.h>

#include "ui/keys.h"

#define CTRL(c) ((c)&0x1f)
#define ESC 27

const struct keybind keytab[] = {
    {'q', SCOPE_ALL, ACT_QUIT, "q", "quit"},
    {'?', SCOPE_ALL, ACT_HELP, "?", "this help"},
    {KEY_F(1), SCOPE_ALL, ACT_HELP, "F1", NULL},
    {ESC, SCOPE_ALL, ACT_BACK, "Esc", "back out: close a list, the detail or a prompt"},
    {KEY_BACKSPACE, SCOPE_DETAIL, ACT_BACK, "Bksp", NULL},
    {'1', SCOPE_ALL, ACT_PANE_FUNNEL, "1", "funnel pane"},
    {'2', SCOPE_ALL, ACT_PANE_COHORT, "2", "cohort pane"},
    {'3', SCOPE_ALL, ACT_PANE_CUSTOMERS, "3", "customers pane"},
    {'\t', SCOPE_ALL, ACT_NEXT_PANE, "Tab", "next pane"},
    {KEY_BTAB, SCOPE_ALL, ACT_PREV_PANE, "S-Tab", "previous pane"},
    {'f', SCOPE_ALL, ACT_FILTER, "f", "filter: date range and segment, for every pane"},
    {'e', SCOPE_ALL, ACT_EXPORT, "e", "export the table on screen as CSV"},
    {'t', SCOPE_ALL, ACT_THEME, "t", "next theme (dark, light, high-contrast, mono)"},
    {CTRL('l'), SCOPE_ALL, ACT_REFRESH, "^L", "redraw the screen and reload the data"},

    {KEY_UP, SCOPE_LIST, ACT_UP, "Up", "move up"},
    {'k', SCOPE_LIST, ACT_UP, "k", NULL},
    {KEY_DOWN, SCOPE_LIST, ACT_DOWN, "Down", "move down"},
    {'j', SCOPE_LIST, ACT_DOWN, "j", NULL},
    {KEY_LEFT, SCOPE_LIST, ACT_LEFT, "Left", "move left (cohort cells)"},
    {'h', SCOPE_LIST, ACT_LEFT, "h", NULL},
    {KEY_RIGHT, SCOPE_LIST, ACT_RIGHT, "Right", "move right (cohort cells)"},
    {'l', SCOPE_LIST, ACT_RIGHT, "l", NULL},
    {KEY_PPAGE, SCOPE_LIST, ACT_PAGE_UP, "PgUp", "page up"},
    {KEY_NPAGE, SCOPE_LIST, ACT_PAGE_DOWN, "PgDn", "page down"},
    {' ', SCOPE_LIST, ACT_PAGE_DOWN, "Space", NULL},
    {KEY_HOME, SCOPE_LIST, ACT_HOME, "Home", "first row"},
    {'g', SCOPE_LIST, ACT_HOME, "g", NULL},
    {KEY_END, SCOPE_LIST, ACT_END, "End", "last row"},
    {'G', SCOPE_LIST, ACT_END, "G", NULL},
    {'\n', SCOPE_LIST, ACT_ENTER, "Enter", "open the selected row or cell"},
    {'\r', SCOPE_LIST, ACT_ENTER, "Enter", NULL},
    {KEY_ENTER, SCOPE_LIST, ACT_ENTER, "Enter", NULL},

    {']', SCOPE_FUNNEL, ACT_FUNNEL_NEXT, "]", "next funnel of the config"},
    {'[', SCOPE_FUNNEL, ACT_FUNNEL_PREV, "[", "previous funnel"},
    {'b', SCOPE_FUNNEL, ACT_BREAKDOWN, "b", "breakdown: none, channel, country, tier"},
    {'c', SCOPE_FUNNEL, ACT_COMPARE, "c", "compare two segments side by side"},
    {'o', SCOPE_FUNNEL, ACT_ORDERS, "o", "the funnel counted ordered, strict and any"},

    {'v', SCOPE_COHORT, ACT_VIEW_NEXT, "v", "view: customers, %, revenue, cumulative CLV, orders"},
    {'p', SCOPE_COHORT, ACT_PERIOD_NEXT, "p", "period: week or month"},
    {'L', SCOPE_COHORT, ACT_LIFECYCLE, "L",
     "lifecycle: new, returning, resurrecting and dormant buyers per period"},
    {'$', SCOPE_COHORT, ACT_COSTS, "$",
     "costs by channel: CAC, retention cost, CLV to CAC, payback (needs spend data)"},

    {'/', SCOPE_CUSTOMERS, ACT_SEARCH, "/", "search by e-mail, name or key, as you type"},
    {'s', SCOPE_CUSTOMERS, ACT_SORT, "s", "sort: net spend, orders, last seen, churn risk"},
    {'w', SCOPE_CUSTOMERS, ACT_WINBACK, "w", "win-back list on/off"},

    {'g', SCOPE_DETAIL, ACT_GROUP, "g", "group the timeline by session or by day"},
};

const size_t keytab_len = sizeof keytab / sizeof *keytab;

enum action keys_lookup(int key, unsigned scopes)
{
    /* specific scopes win over SCOPE_LIST and SCOPE_ALL ('g' in the detail) */
    enum action found = ACT_NONE;
    int rank = 0;
    for (size_t i = 0; i < keytab_len; i++) {
        if (keytab[i].key != key || !(keytab[i].scope & scopes))
            continue;
        int r = keytab[i].scope == SCOPE_ALL ? 1 : keytab[i].scope == SCOPE_LIST ? 2 : 3;
        if (r > rank) {
            rank = r;
            found = keytab[i].action;
        }
    }
    return found;
}

const char *keys_label(enum action a, unsigned scopes)
{
    for (size_t i = 0; i < keytab_len; i++)
        if (keytab[i].action == a && (keytab[i].scope & scopes) && keytab[i].help)
            return keytab[i].label;
    return "";
}
