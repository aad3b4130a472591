/*
 * error.h - errors as values.
 *
 * Model functions return 0 or a status code and fill a struct ct_error; they
 * never print or exit.  Only app/main.c turns an error into a message and an
 * exit code.  A list of errors serves the config loader, which reports every
 * problem instead of stopping at the first.
 */
#ifndef CT_ERROR_H
#define CT_ERROR_H

#include <stddef.h>

enum ct_status {
    CT_OK = 0,
    CT_ERR_RUNTIME = 1, /* I/O, database, out of range at run time: exit 1 */
    CT_ERR_USAGE = 2,   /* bad command line: exit 2 */
    CT_ERR_INPUT = 3,   /* bad row in an input file: exit 1 */
    CT_ERR_CONFIG = 4,  /* invalid configuration or theme: exit 2 */
    CT_ERR_NOTFOUND = 5 /* a looked-up thing does not exist: exit 1 */
};

struct ct_error {
    int code;
    char file[512]; /* "" when no file is involved */
    long line;      /* 1-based; 0 when unknown */
    long col;       /* 1-based; 0 when unknown */
    char msg[1024];
};

/* Fill err (may be NULL) and return code.  fmt is printf-like. */
int ct_error_set(struct ct_error *err, int code, const char *file, long line, long col,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Clear err to CT_OK with empty fields. */
void ct_error_clear(struct ct_error *err);

/* "FILE:LINE:COL: msg", "FILE:LINE: msg", "FILE: msg" or "msg" into buf,
 * with control characters and invalid UTF-8 made '?' (text_sanitize). */
void ct_error_format(const struct ct_error *err, char *buf, size_t size);

/* The exit code for a status: 0, 1 or 2. */
int ct_error_exit_code(int code);

/* A growable list of errors that owns its items. */
struct ct_errlist {
    struct ct_error *items;
    size_t n, cap;
};

void ct_errlist_add(struct ct_errlist *list, const struct ct_error *err);
void ct_errlist_free(struct ct_errlist *list);

#endif
