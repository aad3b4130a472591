/*
 * store_int.h - what store.c and store_write.c share; not for other modules.
 */
#ifndef CT_STORE_INT_H
#define CT_STORE_INT_H

#include <sqlite3.h>

#include "model/row.h"
#include "model/store.h"

struct store {
    sqlite3 *db;
    char *path;
    int readonly;
    /* the descriptor that held the set-up lock of a new file, or -1: it
     * stays open until the connection closes, as closing a descriptor of
     * the file would drop SQLite's own (fcntl) locks on it */
    int setup_fd;
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

/* An import's queued events (store_batch.c), stored many per statement in
 * the order queued.  After each flush, stored(ctx, ...) is called for every
 * row in that order with added = 1 when it was stored, 0 when it was
 * already there.  Freed with the writer, before COMMIT or ROLLBACK. */
struct event_batch;
typedef void (*batch_stored_fn)(void *ctx, int64_t customer_id, int64_t ts_ms, const char *channel,
                                int added);
/* first_id: the id of the first row queued (one past the largest event id). */
int event_batch_new(struct store *st, int64_t first_id, batch_stored_fn stored, void *ctx,
                    struct event_batch **out, struct ct_error *err);
/* Queue one row (its text is copied); stores the batch when it is full. */
int event_batch_add(struct event_batch *b, int64_t customer_id, const struct import_row *r,
                    struct ct_error *err);
/* Store what is queued (NULL or empty: nothing to do). */
int event_batch_flush(struct event_batch *b, struct ct_error *err);
/* An event was stored with this id outside the batch: queue later ids. */
void event_batch_seen_id(struct event_batch *b, int64_t id);
void event_batch_free(struct event_batch *b);

#endif
