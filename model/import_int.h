/*
 * import_int.h - what import.c hands to the format parsers.
 *
 * A parser reads an input, turns records into struct import_row and gives
 * each to sink->row; a record it cannot use goes to sink->bad with the line
 * where it starts and the reason; a guest order line goes to sink->skip.
 * Parsers never touch SQLite (the fuzzers feed them a fake sink).
 */
#ifndef CT_IMPORT_INT_H
#define CT_IMPORT_INT_H

#include <stddef.h>

#include "model/error.h"
#include "model/import.h"
#include "model/input.h"
#include "model/row.h"

struct config;

struct row_sink {
    void *ctx;
    /* A good row.  Returns 0, or a status to stop the import (err is set). */
    int (*row)(void *ctx, const struct import_row *row, struct ct_error *err);
    /* A bad record.  Returns 0 to go on (it was written to the rejects
     * file) or a status to stop (err set to FILE:LINE: reason). */
    int (*bad)(void *ctx, long line, const char *raw, size_t raw_len, const char *reason,
               struct ct_error *err);
    /* A guest order line (no customer): counted, not rejected. */
    void (*skip)(void *ctx, long line);
    /* Bytes consumed, for progress; may be NULL. */
    void (*tick)(void *ctx);
};

struct parse_ctx {
    struct input *in;
    const char *name; /* file name for messages */
    const struct tz *tz;
    const struct config *config;
    struct row_sink *sink;
};

/* Each returns 0, or the status that stopped it (err filled).
 * rows_read counts data records seen. */
int import_csv_events(struct parse_ctx *pc, long *rows_read, struct ct_error *err);
int import_ndjson(struct parse_ctx *pc, long *rows_read, struct ct_error *err);
int import_orders(struct parse_ctx *pc, enum import_format format, long *rows_read,
                  struct ct_error *err);

/* Shared field checks.  Each returns NULL when fine or a static reason. */
/* A field of free text: valid UTF-8, no NUL/escape/control (tab/CR/LF ok
 * when multiline), at most IMPORT_MAX_FIELD bytes. */
const char *import_check_text(const char *s, size_t len, int multiline);
/* A money value: a finite decimal number ("" is no value). */
const char *import_parse_value(const char *s, size_t len, double *out, int *has);

#define IMPORT_MAX_FIELD (64 * 1024)

#endif
