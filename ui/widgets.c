/*
 * widgets.c - the small drawing pieces all panes share: clipped text,
 * bars, heat levels, sparklines.  Text is sanitized here, once, so escape
 * sequences planted in names or e-mails never reach the terminal.
 */
#include "autoconf.h"

#include <langinfo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/mem.h"
#include "model/text.h"
#include "ui/format.h"
#include "ui/ui.h"

/* Set with the glyphs: in an ASCII locale curses draws each byte of a
 * UTF-8 character as a blank, so ui_text shows one '?' per character. */
static int ascii_text;

void ui_glyphs_init(struct glyphs *g)
{
    static const struct glyphs utf8 = {
        .utf8 = 1,
        .full = "\u2588",
        .eighths = {"", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589"},
        .shade = {" ", "\u2591", "\u2592", "\u2593", "\u2588"},
        .spark = {"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588"},
        .hline = "\u2500",
        .vline = "\u2502",
        .sep = "\u00b7",
        .up = "\u25b2",
        .down = "\u25bc",
        .ellipsis = "\u2026",
        .mark = "\u25c6",
    };
    static const struct glyphs ascii = {
        .utf8 = 0,
        .full = "#",
        .eighths = {"", "", "", "", "", "", "", ""},
        .shade = {" ", ".", ":", "=", "#"},
        .spark = {"_", "_", ".", "-", "-", "=", "^", "#"},
        .hline = "-",
        .vline = "|",
        .sep = "-",
        .up = "^",
        .down = "v",
        .ellipsis = "~",
        .mark = "*",
    };
    const char *cs = nl_langinfo(CODESET);
    *g = cs && strcmp(cs, "UTF-8") == 0 ? utf8 : ascii;
    ascii_text = !g->utf8;
}

/* One '?' for each non-ASCII character of valid UTF-8 s, in place. */
static void to_ascii(char *s)
{
    char *o = s;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x80)
            *o++ = (char)*p;
        else if ((*p & 0xC0) != 0x80)
            *o++ = '?';
    *o = '\0';
}

int ui_text(WINDOW *w, int y, int x, int width, attr_t a, const char *s)
{
    if (width <= 0 || !s)
        return 0;
    size_t n = strlen(s) + 1;
    char stack[512];
    char *clean = n <= sizeof stack ? stack : xmalloc(n);
    text_sanitize(s, clean, n);
    if (ascii_text)
        to_ascii(clean);
    size_t fit = text_fit(clean, (size_t)width);
    clean[fit] = '\0';
    wattrset(w, a);
    mvwaddstr(w, y, x, clean);
    int used = (int)text_width(clean);
    if (clean != stack)
        free(clean);
    return used;
}

void ui_text_right(WINDOW *w, int y, int x, int width, attr_t a, const char *s)
{
    int tw = (int)text_width(s);
    if (tw > width)
        tw = width;
    ui_text(w, y, x + width - tw, tw, a, s);
}

void ui_fill(WINDOW *w, int y, int x, int width, attr_t a)
{
    wattrset(w, a);
    for (int i = 0; i < width; i++)
        mvwaddch(w, y, x + i, ' ');
}

void ui_bar(WINDOW *w, int y, int x, int width, double fraction, attr_t a, const struct ui *ui)
{
    if (!(fraction > 0) || width <= 0)
        return;
    if (fraction > 1)
        fraction = 1;
    int units = (int)lround(fraction * width * 8);
    if (units == 0)
        units = 1; /* something above zero shows */
    wattrset(w, a);
    wmove(w, y, x);
    for (int i = 0; i < units / 8; i++)
        waddstr(w, ui->g.full);
    if (units % 8) {
        if (ui->g.utf8)
            waddstr(w, ui->g.eighths[units % 8]);
        else if (units / 8 == 0)
            waddstr(w, ui->g.full);
    }
}

int ui_heat_level(double f)
{
    if (!(f > 0))
        return 0;
    int l = 1 + (int)(f * (HEAT_LEVELS - 1));
    return l >= HEAT_LEVELS ? HEAT_LEVELS - 1 : l;
}

void ui_spark(WINDOW *w, int y, int x, int width, const double *v, size_t n, attr_t a,
              const struct ui *ui)
{
    double max = 0;
    size_t start = n > (size_t)width ? n - (size_t)width : 0;
    for (size_t i = start; i < n; i++)
        if (!isnan(v[i]) && v[i] > max)
            max = v[i];
    wattrset(w, a);
    wmove(w, y, x);
    for (size_t i = start; i < n; i++) {
        if (isnan(v[i]) || max <= 0) {
            waddstr(w, " ");
            continue;
        }
        int l = (int)lround(v[i] / max * 7);
        waddstr(w, ui->g.spark[l < 0 ? 0 : l > 7 ? 7 : l]);
    }
}

const char *ui_email(const struct ui *ui, const char *email, char *buf, size_t size)
{
    if (!email) {
        snprintf(buf, size, "%s", "");
        return buf;
    }
    if (ui->mask_pii)
        fmt_mask_email(email, buf, size);
    else
        snprintf(buf, size, "%s", email);
    return buf;
}

const char *ui_name(const struct ui *ui, const char *name, char *buf, size_t size)
{
    if (!name) {
        snprintf(buf, size, "%s", "");
        return buf;
    }
    if (ui->mask_pii)
        fmt_mask_name(name, buf, size);
    else
        snprintf(buf, size, "%s", name);
    return buf;
}

const char *ui_key(const struct ui *ui, const char *key, char *buf, size_t size)
{
    if (ui->mask_pii)
        fmt_mask_key(key, buf, size);
    else
        snprintf(buf, size, "%s", key ? key : "");
    return buf;
}
