/*
 * color.h - UI roles and their curses attributes.
 *
 * Every colour on screen is a role; a theme (themes/NAME.yaml) maps roles to
 * colours with 8-colour fallbacks.  Without colour (NO_COLOR, TERM=vt100,
 * a monochrome theme) roles become plain attributes that still read: bold
 * titles, reverse selection, and heat cells shaded by glyphs.
 */
#ifndef CT_COLOR_H
#define CT_COLOR_H

#include <curses.h>

#define UI_ROLES(X)                                                                             \
    X(TEXT, "text")                                                                             \
    X(MUTED, "muted")                                                                           \
    X(TITLE, "title")                                                                           \
    X(HEADER, "header")                                                                         \
    X(TAB, "tab")                                                                               \
    X(TAB_ACTIVE, "tab_active")                                                                 \
    X(STATUS, "status")                                                                         \
    X(KEY, "key")                                                                               \
    X(SELECTION, "selection")                                                                   \
    X(BAR, "bar")                                                                               \
    X(BAR_ALT, "bar_alt")                                                                       \
    X(DROP, "drop")                                                                             \
    X(GOOD, "good")                                                                             \
    X(BAD, "bad")                                                                               \
    X(WARN, "warn")                                                                             \
    X(MARKER, "marker")                                                                         \
    X(BORDER, "border")                                                                         \
    X(INPUT, "input")                                                                           \
    X(HEAT0, "heat0")                                                                           \
    X(HEAT1, "heat1")                                                                           \
    X(HEAT2, "heat2")                                                                           \
    X(HEAT3, "heat3")                                                                           \
    X(HEAT4, "heat4")

enum ui_role {
#define X(id, name) ROLE_##id,
    UI_ROLES(X)
#undef X
        ROLE_COUNT
};

#define HEAT_LEVELS 5

/* One role as a theme gives it. Colours: -1 default, 0-255. */
struct role_style {
    short fg, bg;   /* 256-colour terminals */
    short fg8, bg8; /* 8/16-colour terminals: 0-7 (+8 bright on 16) */
    attr_t attr;    /* A_BOLD, A_REVERSE, A_UNDERLINE, A_DIM or 0 */
    attr_t mono;    /* attributes without colour */
};

struct theme {
    char name[32];
    struct role_style roles[ROLE_COUNT];
};

/* The role's name in theme files, and back (-1 when unknown). */
const char *color_role_name(enum ui_role r);
int color_role_parse(const char *name);

/* Set up colour pairs for theme t after initscr.  no_color forces
 * monochrome.  Returns 1 when colours are in use. */
int color_apply(const struct theme *t, int no_color);

/* The curses attributes of a role (colour pair and attributes). */
attr_t color_attr(enum ui_role r);

/* Whether the current screen draws in colour. */
int color_enabled(void);

#endif
