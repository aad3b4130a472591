/*
 * format.c - text forms of figures, shared by the panes and the reports.
 */
#include "autoconf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/mem.h"
#include "model/text.h"
#include "ui/format.h"

void fmt_count(int64_t v, char *buf, size_t size)
{
    char tmp[32];
    /* negate in unsigned: -INT64_MIN overflows */
    snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)(v < 0 ? -(uint64_t)v : (uint64_t)v));
    size_t n = strlen(tmp), o = 0;
    char out[48];
    if (v < 0)
        out[o++] = '-';
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = tmp[i];
    }
    out[o] = '\0';
    snprintf(buf, size, "%s", out);
}

void fmt_money(double v, int compact, char *buf, size_t size)
{
    double a = fabs(v);
    if (compact && a >= 1e6) {
        snprintf(buf, size, "%.2fM", v / 1e6);
        return;
    }
    if (compact && a >= 1e4) {
        snprintf(buf, size, "%.1fk", v / 1e3);
        return;
    }
    long long whole = (long long)floor(a);
    int cents = (int)llround((a - (double)whole) * 100);
    if (cents == 100) {
        whole++;
        cents = 0;
    }
    char w[48];
    fmt_count(whole, w, sizeof w);
    snprintf(buf, size, "%s%s.%02d", v < 0 && (whole || cents) ? "-" : "", w, cents);
}

void fmt_pct(double v, int is_null, char *buf, size_t size)
{
    if (is_null) {
        snprintf(buf, size, "-");
        return;
    }
    double r = round(v * 10) / 10;
    if (r == floor(r))
        snprintf(buf, size, "%.0f%%", r);
    else
        snprintf(buf, size, "%.1f%%", r);
}

/* v with one decimal, or none when it is whole: "2.5", "30" */
static void one_decimal(double v, const char *unit, char *buf, size_t size)
{
    double r = round(v * 10) / 10;
    if (r == floor(r))
        snprintf(buf, size, "%.0f%s", r, unit);
    else
        snprintf(buf, size, "%.1f%s", r, unit);
}

void fmt_duration(double s, int is_null, char *buf, size_t size)
{
    if (is_null) {
        snprintf(buf, size, "-");
        return;
    }
    /* the unit follows the value as it will be shown: 59.6 s reads "1m",
     * 3599 s "1h", not "60s" and "60m" */
    if (s < 59.5)
        snprintf(buf, size, "%.0fs", s);
    else if (s < 3570)
        snprintf(buf, size, "%.0fm", s < 60 ? 1 : s / 60);
    else if (s < 86400 - 180)
        one_decimal(s < 3600 ? 1 : s / 3600, "h", buf, size);
    else
        one_decimal(s < 86400 ? 1 : s / 86400, "d", buf, size);
}

/* First character of s (a whole UTF-8 sequence) into out. */
static size_t first_char(const char *s, char *out)
{
    size_t n = 1;
    unsigned char c = (unsigned char)s[0];
    if (c >= 0xF0)
        n = 4;
    else if (c >= 0xE0)
        n = 3;
    else if (c >= 0xC0)
        n = 2;
    size_t i = 0;
    for (; i < n && s[i]; i++)
        out[i] = s[i];
    out[i] = '\0';
    return i;
}

void fmt_mask_email(const char *email, char *buf, size_t size)
{
    if (!email || !*email) {
        snprintf(buf, size, "%s", "");
        return;
    }
    const char *at = strchr(email, '@');
    char a[5], d[5] = "";
    first_char(email, a);
    if (!at) {
        snprintf(buf, size, "%s***", a);
        return;
    }
    const char *dom = at + 1;
    const char *dot = strrchr(dom, '.');
    if (*dom)
        first_char(dom, d);
    snprintf(buf, size, "%s***@%s***%s", a, d, dot ? dot : "");
}

void fmt_mask_name(const char *name, char *buf, size_t size)
{
    if (!name || !*name) {
        snprintf(buf, size, "%s", "");
        return;
    }
    size_t o = 0;
    buf[0] = '\0';
    for (const char *p = name; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        char c[5];
        first_char(p, c);
        size_t need = strlen(c) + 1 + (o ? 1 : 0); /* "X." after a space */
        if (o + need + 1 > size)
            break;
        o += (size_t)snprintf(buf + o, size - o, "%s%s.", o ? " " : "", c);
        while (*p && *p != ' ')
            p++;
    }
}

void fmt_mask_key(const char *key, char *buf, size_t size)
{
    if (key && strchr(key, '@'))
        fmt_mask_email(key, buf, size);
    else
        snprintf(buf, size, "%s", key ? key : "");
}

void fmt_csv_field(FILE *f, const char *s)
{
    /* control characters become '?', as in the reports: a CSV file shown in
     * a terminal must not drive it */
    size_t n = strlen(s) + 1;
    char stack[256];
    char *clean = n <= sizeof stack ? stack : xmalloc(n);
    text_sanitize(s, clean, n);
    if (!strpbrk(clean, ",\"")) {
        fputs(clean, f);
    } else {
        fputc('"', f);
        for (const char *c = clean; *c; c++) {
            if (*c == '"')
                fputc('"', f);
            fputc(*c, f);
        }
        fputc('"', f);
    }
    if (clean != stack)
        free(clean);
}
