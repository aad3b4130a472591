/*
 * out.h - writing reports: aligned text tables, CSV, JSON values, masking.
 *
 * The renderers in report_*.c format figures the model computed; these
 * helpers only lay them out.  Text from the database is sanitized before it
 * reaches a terminal or a file.
 */
#ifndef CT_OUT_H
#define CT_OUT_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "model/stats.h"

struct tz;

enum out_format { OUT_TEXT, OUT_CSV, OUT_JSON };

int out_format_parse(const char *name, enum out_format *out);

struct out {
    FILE *f;
    enum out_format format;
    int mask_pii;
    int utf8; /* block characters allowed */
    const struct tz *tz;
};

/* --- JSON --- */
json_t *jnum(struct ct_num n);
json_t *jint(int64_t v);
json_t *jreal(double v);
json_t *jstr(const char *s); /* null for NULL; sanitized */
json_t *jts(int64_t ms);     /* ISO 8601 UTC, null for INT64_MIN / INT64_MAX */
/* Print and free; pretty with stable key order. */
void out_json(const struct out *o, json_t *root);

/* --- PII --- */
/* The e-mail / name as it may be shown (masked with --mask-pii); never NULL. */
const char *out_email(const struct out *o, const char *email, char *buf, size_t size);
const char *out_name(const struct out *o, const char *name, char *buf, size_t size);
/* The customer key as it may be shown: masked with --mask-pii when it is an
 * e-mail; sanitized; never NULL. */
const char *out_key(const struct out *o, const char *key, char *buf, size_t size);

/* --- text tables and CSV --- */
struct table {
    size_t ncols, nrows, cap;
    const char **heads;
    int *right; /* right-align column */
    char **cells; /* nrows x ncols, owned */
};

void table_init(struct table *t, size_t ncols, const char *const *heads, const int *right);
/* Add a row of ncols strings (copied; NULL is empty). */
void table_row(struct table *t, const char *const *cells);
/* Text: aligned columns, a header and a rule.  CSV: RFC 4180. */
void table_print(const struct table *t, const struct out *o);
void table_free(struct table *t);

/* A bar of width cols for fraction (0..1), with block characters when
 * utf8, else '#'. */
void out_bar(const struct out *o, double fraction, int cols, char *buf, size_t size);

/* Short forms for text: "-" for null. */
void out_num(struct ct_num n, int decimals, char *buf, size_t size);
void out_local(const struct out *o, int64_t ms, char *buf, size_t size); /* "-" when none */

#endif
