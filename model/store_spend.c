/*
 * store_spend.c - the spend table (schema version 2): writing spend rows
 * inside an import's transaction, and reading them back for the costs
 * engine.
 *
 * One amount per (date, channel, purpose).  The rules of a re-import live
 * here (store.h, enum spend_outcome): the same amount is a duplicate,
 * another amount from a later import replaces it, another amount within
 * the same import is a conflict the importer rejects.  What this import
 * has written is remembered in a temporary table, so the rule holds across
 * all the files of one import.  Values reach SQL only as bound parameters.
 * Expected workload: a few hundred to a few thousand rows per import.
 */
#include "autoconf.h"

#include <math.h>
#include <string.h>

#include "model/mem.h"
#include "model/store_int.h"

enum { S_FIND, S_SEEN, S_INSERT, S_UPDATE, S_MARK, S_COUNT };

static const char *const s_sql[S_COUNT] = {
    [S_FIND] = "SELECT amount FROM spend WHERE date = ?1 AND channel = ?2 AND purpose = ?3",
    [S_SEEN] = "SELECT 1 FROM temp.spend_seen WHERE date = ?1 AND channel = ?2 AND purpose = ?3",
    [S_INSERT] = "INSERT INTO spend (date, channel, purpose, amount) VALUES (?1, ?2, ?3, ?4)",
    [S_UPDATE] = "UPDATE spend SET amount = ?4 WHERE date = ?1 AND channel = ?2 AND purpose = ?3",
    [S_MARK] = "INSERT OR IGNORE INTO temp.spend_seen (date, channel, purpose) VALUES (?1, ?2, ?3)",
};

/* The keys this import wrote or confirmed; emptied when an import starts
 * using it, and gone with the connection. */
static const char seen_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS spend_seen (date TEXT, channel TEXT, purpose TEXT,"
    " PRIMARY KEY (date, channel, purpose)) WITHOUT ROWID;"
    "DELETE FROM temp.spend_seen;";

struct spend_writer {
    sqlite3_stmt *s[S_COUNT];
};

void spend_writer_free(struct spend_writer *sw)
{
    if (!sw)
        return;
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(sw->s[i]);
    free(sw);
}

static int spend_writer_new(struct store *st, struct spend_writer **out, struct ct_error *err)
{
    struct spend_writer *sw = xcalloc(1, sizeof *sw);
    int ok = sqlite3_exec(st->db, seen_sql, NULL, NULL, NULL) == SQLITE_OK;
    for (int i = 0; i < S_COUNT && ok; i++)
        ok = sqlite3_prepare_v3(st->db, s_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &sw->s[i], NULL) ==
             SQLITE_OK;
    if (!ok) {
        store_fail(st, err, "cannot store spend");
        spend_writer_free(sw);
        return CT_ERR_RUNTIME;
    }
    *out = sw;
    return 0;
}

/* Bind the key (?1 date, ?2 channel, ?3 purpose) of row to s. */
static void bind_key(sqlite3_stmt *s, const struct spend_row *row)
{
    sqlite3_bind_text(s, 1, row->date, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->channel, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, spend_purpose_name(row->purpose), -1, SQLITE_STATIC);
}

/* Step s once: 1 for a row (its column 0 into *value when value is given),
 * 0 when done, -1 on an error.  s is reset and its bindings cleared. */
static int step_once(sqlite3_stmt *s, double *value)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && value)
        *value = sqlite3_column_double(s, 0);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int spend_writer_add(struct store *st, struct spend_writer **swp, const struct spend_row *row,
                     enum spend_outcome *out, double *prev, struct ct_error *err)
{
    *prev = 0;
    if (!*swp && spend_writer_new(st, swp, err))
        return CT_ERR_RUNTIME;
    struct spend_writer *sw = *swp;
    bind_key(sw->s[S_FIND], row);
    int found = step_once(sw->s[S_FIND], prev);
    bind_key(sw->s[S_SEEN], row);
    int seen = found == 1 ? step_once(sw->s[S_SEEN], NULL) : 0;
    if (found < 0 || seen < 0)
        return store_fail(st, err, "cannot read spend");
    if (found && *prev == row->amount) {
        *out = SPEND_SAME;
    } else if (found && seen) {
        *out = SPEND_CONFLICT;
        return 0;
    } else {
        sqlite3_stmt *w = sw->s[found ? S_UPDATE : S_INSERT];
        bind_key(w, row);
        sqlite3_bind_double(w, 4, row->amount);
        if (step_once(w, NULL) < 0)
            return store_fail(st, err, "cannot store spend");
        *out = found ? SPEND_REPLACED : SPEND_ADDED;
    }
    bind_key(sw->s[S_MARK], row);
    if (step_once(sw->s[S_MARK], NULL) < 0)
        return store_fail(st, err, "cannot store spend");
    return 0;
}

int store_spend_list(struct store *st, struct spend_list *out, struct ct_error *err)
{
    static const char sql[] =
        "SELECT id, date, channel, purpose, amount FROM spend ORDER BY date, channel, purpose";
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s;
    int rc = store_prepare(st, sql, &s, err);
    if (rc)
        return rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *date = (const char *)sqlite3_column_text(s, 1);
        const char *channel = (const char *)sqlite3_column_text(s, 2);
        const char *purpose = (const char *)sqlite3_column_text(s, 3);
        double amount = sqlite3_column_double(s, 4);
        int64_t first;
        int days;
        enum spend_purpose p;
        /* the table's CHECKs hold for our writes; another tool may have
         * written around them (SQLite does not enforce column types) */
        if (!date || !channel || !*channel || !purpose ||
            spend_date_parse(date, strlen(date), &first, &days) ||
            spend_purpose_parse(purpose, strlen(purpose), &p) || !isfinite(amount) || amount < 0) {
            ct_error_set(err, CT_ERR_RUNTIME, st->path, 0, 0,
                         "spend record id %lld is not valid (date, channel, purpose or "
                         "amount); fix or delete it",
                         (long long)sqlite3_column_int64(s, 0));
            sqlite3_finalize(s);
            spend_list_free(out);
            return CT_ERR_RUNTIME;
        }
        spend_list_add(out, first, days, p, amount, channel);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        spend_list_free(out);
        return store_fail(st, err, "cannot read spend");
    }
    return 0;
}
