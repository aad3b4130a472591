/*
 * store_int.h - what store.c and store_write.c share; not for other modules.
 */
#ifndef CT_STORE_INT_H
#define CT_STORE_INT_H

#include <sqlite3.h>

#include "model/store.h"

struct store {
    sqlite3 *db;
    char *path;
    int readonly;
};

/* Fill err from the connection's last error, naming the file. */
int store_fail(struct store *st, struct ct_error *err, const char *what);

/* Prepare sql once per call site; caller finalizes. */
int store_prepare(struct store *st, const char *sql, sqlite3_stmt **out, struct ct_error *err);

/* Copy a text column (NULL stays NULL). */
char *store_col_text(sqlite3_stmt *s, int col);

/* The spend statements of one import (store_spend.c), created on its first
 * spend row and freed with the writer, before COMMIT or ROLLBACK. */
struct spend_writer;
int spend_writer_add(struct store *st, struct spend_writer **sw, const struct spend_row *row,
                     enum spend_outcome *out, double *prev, struct ct_error *err);
void spend_writer_free(struct spend_writer *sw);

#endif
