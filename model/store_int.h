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

#endif
