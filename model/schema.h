/*
 * schema.h - DDL and forward migrations (internal to the store).
 */
#ifndef CT_SCHEMA_H
#define CT_SCHEMA_H

#include <sqlite3.h>

#include "model/error.h"

/* Bring a writable database from its version up to STORE_SCHEMA_VERSION in
 * one transaction.  An empty file gets the whole schema.  A newer version
 * than this program knows is refused. */
int schema_migrate(sqlite3 *db, const char *path, struct ct_error *err);

/* The file's PRAGMA user_version. */
int schema_version(sqlite3 *db);

#endif
