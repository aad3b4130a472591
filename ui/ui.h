/*
 * ui.h - what every pane may read while drawing: glyphs picked once for
 * the locale (UTF-8 blocks or ASCII), colour state, PII masking, and the
 * shared drawing helpers of widgets.c.
 */
#ifndef CT_UI_H
#define CT_UI_H

#include <curses.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/color.h"

struct glyphs {
    int utf8;
    const char *full;         /* a full block */
    const char *eighths[8];   /* partial blocks, 0..7 eighths */
    const char *shade[HEAT_LEVELS]; /* heat shading without colour */
    const char *spark[8];     /* sparkline levels */
    const char *hline, *vline, *sep, *up, *down, *ellipsis, *mark;
};

struct ui {
    struct glyphs g;
    int glyph_heat; /* shade heat cells with glyphs (no colour or the mono theme) */
    int mask_pii;
    const struct tz *tz;
    const char *currency;
};

/* Pick glyphs for the current locale (call after setlocale). */
void ui_glyphs_init(struct glyphs *g);

/* Draw text at (y, x) clipped to width columns, sanitized (no control
 * characters reach the terminal).  Returns the columns used. */
int ui_text(WINDOW *w, int y, int x, int width, attr_t a, const char *s);

/* Right-aligned within width columns ending at x + width. */
void ui_text_right(WINDOW *w, int y, int x, int width, attr_t a, const char *s);

/* Fill width columns at (y, x) with spaces in attribute a. */
void ui_fill(WINDOW *w, int y, int x, int width, attr_t a);

/* A horizontal bar of fraction 0..1 over width columns (partial blocks
 * in UTF-8, '#' in ASCII). */
void ui_bar(WINDOW *w, int y, int x, int width, double fraction, attr_t a,
            const struct ui *ui);

/* Heat level 0..HEAT_LEVELS-1 of fraction 0..1. */
int ui_heat_level(double fraction);

/* A sparkline of n values (NAN = gap) scaled to their maximum. */
void ui_spark(WINDOW *w, int y, int x, int width, const double *v, size_t n, attr_t a,
              const struct ui *ui);

/* The e-mail / name as shown (masked with --mask-pii). */
const char *ui_email(const struct ui *ui, const char *email, char *buf, size_t size);
const char *ui_name(const struct ui *ui, const char *name, char *buf, size_t size);
/* The customer key as shown: masked like an e-mail with --mask-pii when it
 * is one (fmt_mask_key). */
const char *ui_key(const struct ui *ui, const char *key, char *buf, size_t size);

#endif
