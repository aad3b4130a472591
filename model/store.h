/*
 * store.h - the SQLite event store (SPEC 3.1).
 *
 * One file holds customers and events, in WAL mode so a running TUI reads
 * while an import writes.  Every query is a prepared statement with bound
 * parameters; the SQL text lives in store.c, store_write.c and schema.c.
 */
#ifndef CT_STORE_H
#define CT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "model/error.h"
#include "model/row.h"
#include "model/spend.h"

struct store;
struct sqlite3;

enum store_flags {
    STORE_READONLY = 1, /* SQLITE_OPEN_READONLY; never migrates, never creates */
    STORE_CREATE = 2,   /* create the file (mode 0600) when missing */
};

/* Open path.  *created tells whether the file was created now (may be NULL).
 * Errors: CT_ERR_RUNTIME with a message naming the file. */
int store_open(const char *path, unsigned flags, struct store **out, int *created,
               struct ct_error *err);
void store_close(struct store *st);
const char *store_path(const struct store *st);
int store_is_readonly(const struct store *st);
struct sqlite3 *store_sqlite(struct store *st);

/* Schema version this program writes, and the file's. */
#define STORE_SCHEMA_VERSION 3
int store_schema_version(struct store *st);

/* --- customers --------------------------------------------------------- */

struct customer_rec {
    int64_t id;
    char *key, *email, *name, *channel, *country;
    int64_t first_seen_ms; /* INT64_MIN when the customer has no event */
};

struct customer_list {
    struct customer_rec *items;
    size_t n, cap;
};

void customer_rec_free(struct customer_rec *c);
void customer_list_free(struct customer_list *l);

/* Exactly one customer by external key: 0, CT_ERR_NOTFOUND or an error. */
int store_customer_by_key(struct store *st, const char *key, struct customer_rec *out,
                          struct ct_error *err);
int store_customer_by_id(struct store *st, int64_t id, struct customer_rec *out,
                         struct ct_error *err);
/* Customers whose e-mail starts with prefix (case-insensitive), by e-mail. */
int store_customers_by_email_prefix(struct store *st, const char *prefix, size_t limit,
                                    struct customer_list *out, struct ct_error *err);
/* Customers whose name, or a word of it, starts with prefix (case-insensitive). */
int store_customers_by_name(struct store *st, const char *prefix, size_t limit,
                            struct customer_list *out, struct ct_error *err);
/* Search as the user types: every word of query must prefix a term of the
 * customer (key, e-mail, a word of the name).  Sorted by key. */
int store_search_customers(struct store *st, const char *query, size_t limit,
                           struct customer_list *out, struct ct_error *err);

/* --- events ------------------------------------------------------------ */

struct event_rec {
    int64_t id; /* import order */
    int64_t customer_id;
    int64_t ts_ms;
    char *event;
    double value;
    int has_value;
    char *channel, *session, *event_id, *props;
};

struct event_list {
    struct event_rec *items;
    size_t n, cap;
};

void event_list_free(struct event_list *l);

/* One customer's events in timeline order (time, then import order). */
int store_customer_events(struct store *st, int64_t customer_id, struct event_list *out,
                          struct ct_error *err);
/* Events named name with from_ms <= ts < to_ms, in time order. */
int store_events_by_name(struct store *st, const char *name, int64_t from_ms, int64_t to_ms,
                         struct event_list *out, struct ct_error *err);

struct store_summary {
    int64_t customers, events, purchases, refunds;
    int64_t first_ms, last_ms; /* 0 when empty */
    double revenue;
};
/* Counts for a quick overview; purchase/refund are the event names given. */
int store_summary(struct store *st, const char *purchase, const char *refund,
                  struct store_summary *out, struct ct_error *err);

/* Newest event timestamp, or 0 when there is none. */
int store_newest_ts(struct store *st, int64_t *out, struct ct_error *err);

/* What a snapshot of the store is checked against. */
struct store_identity {
    int64_t generation; /* grows with every import */
    int64_t rewrites;   /* grows when events or customers are deleted or changed */
    int64_t max_event_id, max_customer_id;
};

int store_identity(struct store *st, struct store_identity *out, struct ct_error *err);

/* The first demo customer index not used yet: one past the largest N of
 * the keys "cN" (0 when there is none). */
int store_demo_next_index(struct store *st, int64_t *out, struct ct_error *err);

/* PRAGMA data_version: changes when another connection commits. */
int store_data_version(struct store *st, int64_t *out);

/* --- import writer ----------------------------------------------------- */

struct store_writer;

struct writer_stats {
    int64_t added, duplicates, new_customers;
};

/* Start one write transaction (BEGIN IMMEDIATE). */
int store_writer_begin(struct store *st, struct store_writer **out, struct ct_error *err);
/* Add one event; *added is 1 when stored, 0 when it was already there. */
int store_writer_add(struct store_writer *w, const struct import_row *row, int *added,
                     struct ct_error *err);
/* Add one event like store_writer_add, but stored later with others (by
 * store_writer_commit at the latest), which is several times cheaper per
 * row; whether it was new shows only in the commit's totals. */
int store_writer_queue(struct store_writer *w, const struct import_row *row, struct ct_error *err);
/* What the import log records about this write. */
struct writer_note {
    const char *source, *format;
    int64_t rows_read, rejected, skipped;
    /* A long-running writer (import --follow, demo --live) keeps one log
     * row: when log_id is set, *log_id == 0 logs a new row and stores its
     * id there; later commits add their events to that row and set
     * rows_read, rejected and skipped (running totals). */
    int64_t *log_id;
};

/* Finish customers' derived fields (first seen, acquisition channel), log
 * the import and COMMIT; frees w in every case.  note may be NULL. */
int store_writer_commit(struct store_writer *w, const struct writer_note *note,
                        struct writer_stats *stats, struct ct_error *err);
/* ROLLBACK and free w (NULL is fine). */
void store_writer_abort(struct store_writer *w);

/* --- marketing spend (issue 9) ------------------------------------------ */

/* What storing one spend row did.  The key is (date, channel, purpose): one
 * amount each.  A later import that gives another amount replaces it (spend
 * figures get corrected after the fact: late invoices, ad credits); within
 * one import two different amounts for one key contradict each other, so
 * the second is refused and the first stays. */
enum spend_outcome {
    SPEND_ADDED,    /* a new key */
    SPEND_SAME,     /* the key with this amount is there already: a duplicate */
    SPEND_REPLACED, /* an earlier import stored another amount: now this one */
    SPEND_CONFLICT, /* this import gave the key another amount before: nothing changed */
};

/* Store one spend row inside w's transaction (counted in the writer's stats
 * as added or duplicate).  *prev gets the amount that was there for
 * SPEND_REPLACED and SPEND_CONFLICT.  Errors: CT_ERR_RUNTIME from SQLite. */
int store_writer_add_spend(struct store_writer *w, const struct spend_row *row,
                           enum spend_outcome *out, double *prev, struct ct_error *err);

/* Every spend record, ordered by date, channel and purpose, into out (which
 * the caller frees with spend_list_free).  A record that is not valid
 * (written by another tool) is an error naming the database. */
int store_spend_list(struct store *st, struct spend_list *out, struct ct_error *err);

#endif
