/*
 * color.c - roles to curses attributes, with fallbacks for 8/16 colours
 * and a monochrome mode.  Foreground never equals background.
 */
#include "autoconf.h"

#include <string.h>

#include "ui/color.h"

static const char *const role_names[] = {
#define X(id, name) name,
    UI_ROLES(X)
#undef X
};

static attr_t attrs[ROLE_COUNT];
static int in_color;

const char *color_role_name(enum ui_role r)
{
    return r < ROLE_COUNT ? role_names[r] : "";
}

int color_role_parse(const char *name)
{
    for (int i = 0; i < ROLE_COUNT; i++)
        if (strcmp(name, role_names[i]) == 0)
            return i;
    return -1;
}

int color_enabled(void)
{
    return in_color;
}

attr_t color_attr(enum ui_role r)
{
    return r < ROLE_COUNT ? attrs[r] : A_NORMAL;
}

/* A 256-colour index mapped down to the 8 basic colours, for terminals
 * that have fewer (nearest by the xterm cube). */
static short to8(short c)
{
    if (c < 0)
        return c;
    if (c < 16)
        return (short)(c % 8);
    if (c >= 232)
        return c >= 244 ? COLOR_WHITE : COLOR_BLACK;
    int i = c - 16, r = i / 36, g = i / 6 % 6, b = i % 6;
    return (short)((r >= 2) * COLOR_RED + (g >= 2) * COLOR_GREEN + (b >= 2) * COLOR_BLUE);
}

int color_apply(const struct theme *t, int no_color)
{
    in_color = !no_color && has_colors();
    if (in_color) {
        start_color();
        use_default_colors();
    }
    int many = in_color && COLORS >= 256;
    int sixteen = in_color && COLORS >= 16;
    for (int r = 0; r < ROLE_COUNT; r++) {
        const struct role_style *s = &t->roles[r];
        if (!in_color) {
            attrs[r] = s->mono;
            continue;
        }
        short fg = many ? s->fg : s->fg8 >= 0 ? s->fg8 : to8(s->fg);
        short bg = many ? s->bg : s->bg8 >= 0 ? s->bg8 : to8(s->bg);
        if (!sixteen) {
            if (fg >= 8)
                fg = (short)(fg % 8);
            if (bg >= 8)
                bg = (short)(bg % 8);
        }
        attr_t extra = 0;
        if (fg >= 0 && fg == bg) {
            /* unreadable: fall back to reverse video of the default */
            fg = bg = -1;
            extra = A_REVERSE;
        }
        init_pair((short)(r + 1), fg, bg);
        attrs[r] = COLOR_PAIR(r + 1) | s->attr | extra;
    }
    return in_color;
}
