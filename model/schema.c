/*
 * schema.c - the store's tables and their forward migrations.
 *
 * Version N's step takes a database at version N-1 to N; steps run in order
 * inside one transaction, so a migration is all or nothing.  Never backward,
 * never dropping data.
 */
#include "autoconf.h"

#include <stddef.h>

#include "model/schema.h"
#include "model/store.h"

/* Version 1: customers, events, search terms, import log. */
static const char schema_v1[] =
    "CREATE TABLE customers ("
    "  id INTEGER PRIMARY KEY,"
    "  key TEXT NOT NULL UNIQUE,"
    "  email TEXT,"
    "  name TEXT,"
    "  channel TEXT,"                          /* acquisition channel */
    "  channel_given INTEGER NOT NULL DEFAULT 0," /* 1: from the file, not derived */
    "  country TEXT,"
    "  attrs TEXT,"                            /* JSON object of other attributes */
    "  first_seen INTEGER"                     /* ms UTC of the first event */
    ");"
    "CREATE INDEX customers_email ON customers(email COLLATE NOCASE);"
    "CREATE INDEX customers_name ON customers(name COLLATE NOCASE);"
    /* lower-cased key, e-mail and name words, for search as you type */
    "CREATE TABLE customer_terms ("
    "  term TEXT NOT NULL,"
    "  customer_id INTEGER NOT NULL,"
    "  PRIMARY KEY (term, customer_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX customer_terms_customer ON customer_terms(customer_id);"
    "CREATE TABLE events ("
    "  id INTEGER PRIMARY KEY,"                /* import order */
    "  customer_id INTEGER NOT NULL REFERENCES customers(id),"
    "  ts INTEGER NOT NULL,"                   /* ms UTC */
    "  event TEXT NOT NULL,"
    "  value REAL,"
    "  channel TEXT,"
    "  session TEXT,"
    "  event_id TEXT,"
    "  props TEXT"                             /* JSON object */
    ");"
    /* One customer's timeline, and de-duplication of rows without an id:
     * the same customer, time, event and value is the same event. */
    "CREATE UNIQUE INDEX events_row ON events(customer_id, ts, event, ifnull(value, ''),"
    "  ifnull(event_id, ''));"
    "CREATE UNIQUE INDEX events_event_id ON events(event_id) WHERE event_id IS NOT NULL;"
    "CREATE INDEX events_event_ts ON events(event, ts);"
    "CREATE TABLE imports ("
    "  id INTEGER PRIMARY KEY,"
    "  source TEXT,"
    "  format TEXT,"
    "  rows_read INTEGER, loaded INTEGER, duplicates INTEGER, rejected INTEGER,"
    "  skipped INTEGER, new_customers INTEGER"
    ");";

static const char *const steps[] = {
    NULL, /* version 0: empty file */
    schema_v1,
};

int schema_version(sqlite3 *db)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

int schema_migrate(sqlite3 *db, const char *path, struct ct_error *err)
{
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0, "cannot lock the database: %s",
                            sqlite3_errmsg(db));
    int v = schema_version(db);
    if (v > STORE_SCHEMA_VERSION) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0,
                            "database schema version %d is newer than this convtop knows (%d); "
                            "use a newer convtop",
                            v, STORE_SCHEMA_VERSION);
    }
    if (v < 0) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0, "not a convtop database: %s",
                            sqlite3_errmsg(db));
    }
    if (v == 0) {
        /* A version-0 file with tables is not ours: refuse rather than guess. */
        sqlite3_stmt *st;
        int tables = 0;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL) ==
            SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW)
                tables = sqlite3_column_int(st, 0);
            sqlite3_finalize(st);
        }
        if (tables > 0) {
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0,
                                "this SQLite file is not a convtop database");
        }
    }
    for (int next = v + 1; next <= STORE_SCHEMA_VERSION; next++) {
        char *msg = NULL;
        if (sqlite3_exec(db, steps[next], NULL, NULL, &msg) != SQLITE_OK) {
            ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0, "migration to schema %d failed: %s",
                         next, msg ? msg : "?");
            sqlite3_free(msg);
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return err ? err->code : CT_ERR_RUNTIME;
        }
    }
    if (v != STORE_SCHEMA_VERSION) {
        /* PRAGMA takes no bound parameter; the number is our own constant */
        static const char set_version[] = "PRAGMA user_version = 1";
        _Static_assert(STORE_SCHEMA_VERSION == 1, "update set_version");
        sqlite3_exec(db, set_version, NULL, NULL, NULL);
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0, "cannot write the schema: %s",
                            sqlite3_errmsg(db));
    }
    return 0;
}
