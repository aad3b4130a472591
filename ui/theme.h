/*
 * theme.h - themes/NAME.yaml to a role table (see color.h).
 *
 * A theme file maps role names to { fg, bg, fg8, bg8, attr }: fg/bg are
 * 256-colour numbers (-1 = the terminal's default), fg8/bg8 colour names
 * for 8/16-colour terminals (black, red, green, yellow, blue, magenta,
 * cyan, white, default, and bright- variants), attr is bold, underline,
 * reverse, dim or none.  Roles a theme leaves out keep the default theme's.
 */
#ifndef CT_THEME_H
#define CT_THEME_H

#include <stddef.h>

#include "model/error.h"
#include "ui/color.h"

/* The built-in dark theme (also the base every file starts from). */
void theme_default(struct theme *out);

/* Load a theme file; a problem is CT_ERR_CONFIG with FILE:LINE:COL. */
int theme_load(const char *path, struct theme *out, struct ct_error *err);
int theme_load_text(const char *text, size_t len, const char *name, struct theme *out,
                    struct ct_error *err);

/* Names of the shipped themes, in the order `t` cycles them. */
extern const char *const theme_names[];
extern const size_t theme_count;

#endif
