/*
 * import.h - convtop import (SPEC 3.2): format detection, the row sink that
 * writes to the store, rejects, and the summary.
 *
 * One call imports every file in one transaction: all rows or none.  The
 * first bad row stops it with FILE:LINE: reason unless a rejects file is
 * given, in which case bad rows go there with their reason.
 */
#ifndef CT_IMPORT_H
#define CT_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "model/error.h"

struct store;
struct tz;
struct config;

enum import_format {
    FORMAT_AUTO,
    FORMAT_CSV,           /* events, one per row (SPEC 3.2) */
    FORMAT_NDJSON,        /* events, one JSON object per line */
    FORMAT_SHOPIFY,       /* Shopify orders export, one row per line item */
    FORMAT_ONLINE_RETAIL, /* UCI Online Retail (I and II) order lines */
    FORMAT_ORDERS,        /* order lines through the config's import.orders mapping */
    FORMAT_SPEND,         /* marketing spend: date, channel, purpose, amount (issue 9) */
};

/* "auto", "csv", ... <-> enum; parse returns -1 for an unknown name. */
int import_format_parse(const char *name, enum import_format *out);
const char *import_format_name(enum import_format f);

/* Called now and then during an import (at most a few times a second). */
typedef void (*import_progress_fn)(void *ctx, const char *file, uint64_t bytes_done,
                                   uint64_t bytes_total, int64_t rows);

struct import_opts {
    enum import_format format;
    const struct tz *tz;         /* timestamps without an offset are local to it */
    const struct config *config; /* for the import.orders mapping; may be NULL */
    const char *rejects_path;    /* --skip-bad FILE (CSV: file,line,reason,raw), or NULL */
    import_progress_fn progress;
    void *progress_ctx;
};

struct import_result {
    int64_t rows_read;  /* data rows seen (order lines for order exports) */
    int64_t loaded;     /* new events stored */
    int64_t duplicates; /* events already in the store (or twice in the input) */
    int64_t rejected;   /* bad rows written to the rejects file */
    int64_t skipped;    /* order lines without a customer (guest checkouts) */
    int64_t new_customers;
    enum import_format format; /* detected format of the last file */
};

/* Import n files into st ("-" is standard input), each in the format of
 * opts (FORMAT_AUTO: by extension, then by header).  On any error nothing is
 * written and a rejects file is removed.  An empty (0-byte) file is an
 * error; when no file has a data row the database is left untouched and
 * res->rows_read is 0. */
int import_files(struct store *st, char *const *paths, size_t n, const struct import_opts *opts,
                 struct import_result *res, struct ct_error *err);

#endif
