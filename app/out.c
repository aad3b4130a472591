/*
 * out.c - report output helpers.
 */
#include "autoconf.h"

#include <math.h>
#include <string.h>

#include "app/out.h"
#include "model/mem.h"
#include "model/text.h"
#include "model/tstamp.h"
#include "ui/format.h"

int out_format_parse(const char *name, enum out_format *out)
{
    if (strcmp(name, "text") == 0)
        *out = OUT_TEXT;
    else if (strcmp(name, "csv") == 0)
        *out = OUT_CSV;
    else if (strcmp(name, "json") == 0)
        *out = OUT_JSON;
    else
        return -1;
    return 0;
}

json_t *jnum(struct ct_num n)
{
    return n.null ? json_null() : jreal(n.v);
}

json_t *jint(int64_t v)
{
    return json_integer((json_int_t)v);
}

json_t *jreal(double v)
{
    if (!isfinite(v))
        return json_null();
    /* whole numbers print as integers: 230, not 230.0 */
    if (v == floor(v) && fabs(v) < 1e15)
        return json_integer((json_int_t)v);
    return json_real(v);
}

json_t *jstr(const char *s)
{
    if (!s)
        return json_null();
    size_t n = strlen(s) + 1;
    char *buf = xmalloc(n);
    text_sanitize(s, buf, n);
    json_t *j = json_string(buf);
    free(buf);
    return j ? j : json_string("");
}

json_t *jts(int64_t ms)
{
    if (ms == INT64_MIN || ms == INT64_MAX)
        return json_null();
    char buf[40];
    tstamp_format(ms, buf, sizeof buf);
    return json_string(buf);
}

void out_json(const struct out *o, json_t *root)
{
    json_dumpf(root, o->f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    fputc('\n', o->f);
    json_decref(root);
}

/* s as it may be shown: through mask with --mask-pii, then sanitized. */
static const char *pii(const struct out *o, const char *s,
                       void (*mask)(const char *, char *, size_t), char *buf, size_t size)
{
    if (!s)
        return "";
    char *tmp = xmalloc(size);
    if (o->mask_pii)
        mask(s, tmp, size);
    else
        snprintf(tmp, size, "%s", s);
    text_sanitize(tmp, buf, size);
    free(tmp);
    return buf;
}

const char *out_email(const struct out *o, const char *email, char *buf, size_t size)
{
    return pii(o, email, fmt_mask_email, buf, size);
}

const char *out_name(const struct out *o, const char *name, char *buf, size_t size)
{
    return pii(o, name, fmt_mask_name, buf, size);
}

const char *out_key(const struct out *o, const char *key, char *buf, size_t size)
{
    return pii(o, key, fmt_mask_key, buf, size);
}

void table_init(struct table *t, size_t ncols, const char *const *heads, const int *right)
{
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
    t->heads = xcalloc(ncols, sizeof *t->heads);
    t->right = xcalloc(ncols, sizeof *t->right);
    for (size_t c = 0; c < ncols; c++) {
        t->heads[c] = heads[c];
        t->right[c] = right ? right[c] : 0;
    }
}

void table_row(struct table *t, const char *const *cells)
{
    if (t->nrows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->cells = xreallocarray(t->cells, t->cap * t->ncols, sizeof *t->cells);
    }
    for (size_t c = 0; c < t->ncols; c++) {
        const char *s = cells[c] ? cells[c] : "";
        size_t n = strlen(s) + 1;
        char *clean = xmalloc(n);
        text_sanitize(s, clean, n);
        t->cells[t->nrows * t->ncols + c] = clean;
    }
    t->nrows++;
}

void table_print(const struct table *t, const struct out *o)
{
    if (o->format == OUT_CSV) {
        for (size_t r = 0; r <= t->nrows; r++) {
            for (size_t c = 0; c < t->ncols; c++) {
                if (c)
                    fputc(',', o->f);
                fmt_csv_field(o->f, r == 0 ? t->heads[c] : t->cells[(r - 1) * t->ncols + c]);
            }
            fputc('\n', o->f);
        }
        return;
    }
    size_t *w = xcalloc(t->ncols, sizeof *w);
    for (size_t c = 0; c < t->ncols; c++) {
        w[c] = text_width(t->heads[c]);
        for (size_t r = 0; r < t->nrows; r++) {
            size_t cw = text_width(t->cells[r * t->ncols + c]);
            if (cw > w[c])
                w[c] = cw;
        }
    }
    struct strbuf line = {0};
    for (size_t r = 0; r <= t->nrows + 1; r++) {
        sb_reset(&line);
        for (size_t c = 0; c < t->ncols; c++) {
            if (r == 1) {
                for (size_t i = 0; i < w[c]; i++)
                    sb_addc(&line, '-');
            } else {
                const char *s = r == 0 ? t->heads[c] : t->cells[(r - 2) * t->ncols + c];
                size_t pad = w[c] - text_width(s);
                if (t->right[c])
                    sb_printf(&line, "%*s", (int)pad, "");
                sb_adds(&line, s);
                if (!t->right[c])
                    sb_printf(&line, "%*s", (int)pad, "");
            }
            if (c + 1 < t->ncols)
                sb_adds(&line, "  ");
        }
        /* no trailing blanks (an empty last column, left-aligned padding) */
        while (line.len && line.buf[line.len - 1] == ' ')
            line.buf[--line.len] = '\0';
        fprintf(o->f, "%s\n", sb_cstr(&line));
    }
    sb_free(&line);
    free(w);
}

void table_free(struct table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->heads);
    free(t->right);
    memset(t, 0, sizeof *t);
}

void out_bar(const struct out *o, double fraction, int cols, char *buf, size_t size)
{
    static const char *const eighths[] = {"", "\u258f", "\u258e", "\u258d",
                                          "\u258c", "\u258b", "\u258a", "\u2589"};
    if (!(fraction > 0))
        fraction = 0;
    if (fraction > 1)
        fraction = 1;
    size_t o_ = 0;
    buf[0] = '\0';
    int units = (int)lround(fraction * cols * 8);
    for (int i = 0; i < units / 8 && o_ + 4 < size; i++)
        o_ += (size_t)snprintf(buf + o_, size - o_, "%s", o->utf8 ? "\u2588" : "#");
    if (o->utf8 && units % 8 && o_ + 4 < size)
        snprintf(buf + o_, size - o_, "%s", eighths[units % 8]);
}

void out_num(struct ct_num n, int decimals, char *buf, size_t size)
{
    if (n.null)
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.*f", decimals, n.v);
}

void out_local(const struct out *o, int64_t ms, char *buf, size_t size)
{
    if (ms == INT64_MIN || ms == INT64_MAX)
        snprintf(buf, size, "-");
    else
        tstamp_format_local(o->tz, ms, buf, size, 0);
}
