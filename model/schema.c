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
    "  first_seen INTEGER,"                    /* ms UTC of the first event */
    "  gen INTEGER NOT NULL DEFAULT 0"         /* generation of the last change */
    ");"
    "CREATE INDEX customers_gen ON customers(gen);"
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
    /* What the in-memory snapshot checks: 'generation' grows with every
     * import; 'rewrites' grows when events are deleted or changed (by
     * another tool), which forces a full rebuild of the snapshot. */
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
    "INSERT INTO meta VALUES ('generation', 0), ('rewrites', 0);"
    "CREATE TRIGGER events_deleted AFTER DELETE ON events BEGIN"
    "  UPDATE meta SET value = value + 1 WHERE key = 'rewrites'; END;"
    "CREATE TRIGGER events_changed AFTER UPDATE ON events BEGIN"
    "  UPDATE meta SET value = value + 1 WHERE key = 'rewrites'; END;"
    "CREATE TRIGGER customers_deleted AFTER DELETE ON customers BEGIN"
    "  UPDATE meta SET value = value + 1 WHERE key = 'rewrites'; END;"
    "CREATE TABLE imports ("
    "  id INTEGER PRIMARY KEY,"
    "  source TEXT,"
    "  format TEXT,"
    "  rows_read INTEGER, loaded INTEGER, duplicates INTEGER, rejected INTEGER,"
    "  skipped INTEGER, new_customers INTEGER"
    ");";

/* Version 2: marketing spend (issue 9), read by the costs engine.  One
 * amount per day or month, channel and purpose: `date` is 'YYYY-MM-DD' (a
 * day) or 'YYYY-MM' (a month, spread over its days by the engine), in the
 * shop's calendar.  The unique key is what makes a re-import add nothing. */
static const char schema_v2[] =
    "CREATE TABLE spend ("
    "  id INTEGER PRIMARY KEY,"
    "  date TEXT NOT NULL,"
    "  channel TEXT NOT NULL,"
    "  purpose TEXT NOT NULL CHECK (purpose IN ('acquisition', 'retention')),"
    "  amount REAL NOT NULL CHECK (amount >= 0),"
    "  UNIQUE (date, channel, purpose)"
    ");";

/* Version 3: no index on events(event, ts).  The engines read the
 * snapshot, never events by name through SQLite, and keeping that index
 * up to date cost about 40% of an import's time. */
static const char schema_v3[] = "DROP INDEX IF EXISTS events_event_ts;";

static const char *const steps[] = {
    NULL, /* version 0: empty file */
    schema_v1,
    schema_v2,
    schema_v3,
};
_Static_assert(sizeof steps / sizeof steps[0] == STORE_SCHEMA_VERSION + 1,
               "one migration step per schema version");

/* The PRAGMA takes no bound parameter: its text is built from our own
 * constant, so it cannot drift from STORE_SCHEMA_VERSION. */
#define SCHEMA_STR_(x) #x
#define SCHEMA_STR(x) SCHEMA_STR_(x)
static const char set_version[] = "PRAGMA user_version = " SCHEMA_STR(STORE_SCHEMA_VERSION);

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
    if (v != STORE_SCHEMA_VERSION && sqlite3_exec(db, set_version, NULL, NULL, NULL) != SQLITE_OK) {
        ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0, "cannot write the schema version: %s",
                     sqlite3_errmsg(db));
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return CT_ERR_RUNTIME;
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0, "cannot write the schema: %s",
                            sqlite3_errmsg(db));
    }
    return 0;
}
