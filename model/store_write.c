/*
 * store_write.c - the import writer: one transaction, de-duplication,
 * customers created on first sight, search terms kept in step.
 *
 * Expected workload: hundreds of thousands of rows per import, a few new
 * customers per hundred rows.  Customer ids are cached in memory so a row
 * costs one INSERT.  Nothing is visible to readers until COMMIT.
 *
 * A customer this import creates has no events but the import's, so its
 * first event time and acquisition channel are followed here as rows are
 * stored and written once at COMMIT; only customers that were there before
 * need the SQL that reads their events back (finish_sql).
 */
#include "autoconf.h"

#include <string.h>

#include "model/mem.h"
#include "model/store_int.h"
#include "model/strmap.h"
#include "model/text.h"

enum {
    W_FIND,
    W_NEW_CUSTOMER,
    W_UPDATE_CUSTOMER,
    W_SET_CHANNEL,
    W_TOUCH,
    W_EVENT,
    W_DEL_TERMS,
    W_TERM,
    W_CUSTOMER_TEXT,
    W_FRESH,
    W_COUNT
};

static const char *const w_sql[W_COUNT] = {
    [W_FIND] = "SELECT id, email, name, country FROM customers WHERE key = ?1",
    [W_NEW_CUSTOMER] = "INSERT INTO customers (key, email, name, country, gen)"
                       " VALUES (?1, ?2, ?3, ?4, ?5)",
    [W_UPDATE_CUSTOMER] = "UPDATE customers SET email = coalesce(?2, email),"
                          " name = coalesce(?3, name), country = coalesce(?4, country)"
                          " WHERE id = ?1",
    [W_SET_CHANNEL] = "UPDATE customers SET channel = ?2, channel_given = 1 WHERE id = ?1",
    [W_TOUCH] = "INSERT OR IGNORE INTO temp.touched (id) VALUES (?1)",
    [W_EVENT] = "INSERT OR IGNORE INTO events"
                " (customer_id, ts, event, value, channel, session, event_id, props)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [W_DEL_TERMS] = "DELETE FROM customer_terms WHERE customer_id = ?1",
    [W_TERM] = "INSERT OR IGNORE INTO customer_terms (term, customer_id) VALUES (?1, ?2)",
    [W_CUSTOMER_TEXT] = "SELECT key, email, name FROM customers WHERE id = ?1",
    [W_FRESH] = "UPDATE customers SET first_seen = ?2,"
                " channel = CASE WHEN channel_given THEN channel ELSE ?3 END WHERE id = ?1",
};

/* Derived fields of every customer this import touched: first event time,
 * and the acquisition channel = channel of the first event that has one
 * (ties broken by channel name, so import order plays no part). */
static const char finish_sql[] =
    "UPDATE customers SET"
    " first_seen = (SELECT min(ts) FROM events e WHERE e.customer_id = customers.id),"
    " channel = CASE WHEN channel_given THEN channel ELSE"
    "  (SELECT e.channel FROM events e WHERE e.customer_id = customers.id"
    "   AND e.channel IS NOT NULL AND e.channel <> '' ORDER BY e.ts, e.channel LIMIT 1) END"
    " WHERE id IN (SELECT id FROM temp.touched)";

/* A new generation for the snapshot check; touched customers carry it (new
 * ones were created with it). */
static const char generation_sql[] =
    "UPDATE meta SET value = value + 1 WHERE key = 'generation';"
    "UPDATE customers SET gen = (SELECT value FROM meta WHERE key = 'generation')"
    " WHERE id IN (SELECT id FROM temp.touched);";

static const char log_sql[] =
    "INSERT INTO imports (source, format, rows_read, loaded, duplicates, rejected, skipped,"
    " new_customers) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char log_update_sql[] =
    "UPDATE imports SET rows_read = ?3, loaded = loaded + ?4, duplicates = duplicates + ?5,"
    " rejected = ?6, skipped = ?7, new_customers = new_customers + ?8 WHERE id = ?9";

/* What finish_sql would compute for a customer created by this import. */
struct fresh {
    int64_t first_ts; /* INT64_MAX: no event stored */
    int64_t chan_ts;
    uint32_t chan; /* index in channels + 1; 0: no channel seen */
};

struct store_writer {
    struct store *st;
    sqlite3_stmt *s[W_COUNT];
    struct strmap customers; /* key -> val: id, aux: hash of e-mail/name/country */
    int64_t base_id;         /* customers above this id were created by this import */
    int64_t gen;             /* the generation this import's COMMIT makes */
    int64_t max_event_id;    /* when the import began, for the batch's ids */
    struct fresh *fresh;     /* [id - base_id - 1] */
    size_t n_fresh, cap_fresh;
    struct strmap channels;  /* channel -> val: index into chan_names */
    const char **chan_names; /* keys of channels, by index */
    size_t n_chan, cap_chan;
    struct spend_writer *spend; /* NULL until the import's first spend row */
    struct event_batch *batch;  /* NULL until the first queued event */
    struct writer_stats stats;
};

static void finalize_all(struct store_writer *w)
{
    for (int i = 0; i < W_COUNT; i++) {
        sqlite3_finalize(w->s[i]);
        w->s[i] = NULL;
    }
    spend_writer_free(w->spend);
    w->spend = NULL;
    event_batch_free(w->batch);
    w->batch = NULL;
}

static void writer_free(struct store_writer *w)
{
    finalize_all(w);
    strmap_free(&w->customers);
    strmap_free(&w->channels);
    free(w->fresh);
    free(w->chan_names);
    free(w);
}

int store_writer_begin(struct store *st, struct store_writer **out, struct ct_error *err)
{
    *out = NULL;
    if (st->readonly)
        return ct_error_set(err, CT_ERR_USAGE, st->path, 0, 0,
                            "the database is open read-only: importing is refused");
    /* the indexes of a large import take pages in key order, not file
     * order: with SQLite's default 2 MB cache they spill to the WAL and are
     * read back many times over.  256 MB keeps them in memory until COMMIT
     * (it is a ceiling, not an allocation) */
    sqlite3_exec(st->db, "PRAGMA cache_size = -262144", NULL, NULL, NULL);
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(st, err, "cannot start the import");
    struct store_writer *w = xcalloc(1, sizeof *w);
    w->st = st;
    strmap_init(&w->customers);
    strmap_init(&w->channels);
    /* ids are rowids without AUTOINCREMENT: a new customer gets max + 1,
     * and so does a new event */
    struct store_identity id;
    if (store_identity(st, &id, err)) {
        store_writer_abort(w);
        return CT_ERR_RUNTIME;
    }
    w->base_id = id.max_customer_id;
    w->max_event_id = id.max_event_id;
    w->gen = id.generation + 1;
    if (sqlite3_exec(st->db,
                     "CREATE TEMP TABLE IF NOT EXISTS touched (id INTEGER PRIMARY KEY);"
                     "DELETE FROM temp.touched;",
                     NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    for (int i = 0; i < W_COUNT; i++)
        if (sqlite3_prepare_v3(st->db, w_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &w->s[i], NULL) !=
            SQLITE_OK)
            goto fail;
    *out = w;
    return 0;
fail:
    store_fail(st, err, "cannot start the import");
    store_writer_abort(w);
    return CT_ERR_RUNTIME;
}

static int step_done(sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : rc;
}

static void bind_opt(sqlite3_stmt *s, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static void add_terms_of(struct store_writer *w, int64_t id, const char *text, int split)
{
    if (!text || !*text)
        return;
    char *f = text_fold(text, strlen(text));
    sqlite3_stmt *s = w->s[W_TERM];
    char *save = NULL;
    for (char *t = split ? strtok_r(f, " \t", &save) : f; t;
         t = split ? strtok_r(NULL, " \t", &save) : NULL) {
        sqlite3_bind_text(s, 1, t, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, id);
        step_done(s);
    }
    free(f);
}

/* Rewrite the search terms of a customer whose key, e-mail or name changed,
 * from what is now stored. */
static int refresh_terms(struct store_writer *w, int64_t id)
{
    sqlite3_stmt *d = w->s[W_DEL_TERMS];
    sqlite3_bind_int64(d, 1, id);
    if (step_done(d))
        return -1;
    sqlite3_stmt *q = w->s[W_CUSTOMER_TEXT];
    sqlite3_bind_int64(q, 1, id);
    if (sqlite3_step(q) == SQLITE_ROW) {
        char *key = store_col_text(q, 0), *email = store_col_text(q, 1),
             *name = store_col_text(q, 2);
        sqlite3_reset(q);
        add_terms_of(w, id, key, 0);
        add_terms_of(w, id, email, 0);
        add_terms_of(w, id, name, 1);
        free(key);
        free(email);
        free(name);
    } else {
        sqlite3_reset(q);
    }
    return 0;
}

/* The customer's e-mail, name and country as three 21-bit hashes packed in
 * one word, so a row that repeats what the store holds costs no UPDATE.
 * Field 0 = not known yet. */
#define FIELD_BITS 21
#define FIELD_MASK ((UINT64_C(1) << FIELD_BITS) - 1)

static uint64_t field_hash(const char *s)
{
    uint64_t h = strmap_hash(s, strlen(s)) & FIELD_MASK;
    return h ? h : 1;
}

static uint64_t pack_attrs(const char *email, const char *name, const char *country)
{
    const char *f[3] = {email, name, country};
    uint64_t packed = 0;
    for (int i = 0; i < 3; i++)
        if (f[i] && *f[i])
            packed |= field_hash(f[i]) << (FIELD_BITS * i);
    return packed;
}

/* Does the row give a field that differs from what is known? */
static int attrs_change(const struct import_row *r, uint64_t known)
{
    const char *f[3] = {r->email, r->name, r->country};
    for (int i = 0; i < 3; i++)
        if (f[i] && *f[i] && field_hash(f[i]) != (known >> (FIELD_BITS * i) & FIELD_MASK))
            return 1;
    return 0;
}

/* Merge the row's given fields into the known ones. */
static uint64_t attrs_merge(const struct import_row *r, uint64_t known)
{
    const char *f[3] = {r->email, r->name, r->country};
    for (int i = 0; i < 3; i++)
        if (f[i] && *f[i]) {
            known &= ~(FIELD_MASK << (FIELD_BITS * i));
            known |= field_hash(f[i]) << (FIELD_BITS * i);
        }
    return known;
}

static int has_attrs(const struct import_row *r)
{
    return (r->email && *r->email) || (r->name && *r->name) || (r->country && *r->country);
}

/* The bookkeeping of a customer created by this import, made on first use. */
static struct fresh *fresh_of(struct store_writer *w, int64_t id)
{
    size_t i = (size_t)(id - w->base_id - 1);
    if (i >= w->cap_fresh) {
        size_t cap = w->cap_fresh ? w->cap_fresh * 2 : 4096;
        while (cap <= i)
            cap *= 2;
        w->fresh = xrealloc(w->fresh, cap * sizeof *w->fresh);
        w->cap_fresh = cap;
    }
    while (w->n_fresh <= i)
        w->fresh[w->n_fresh++] = (struct fresh){INT64_MAX, INT64_MAX, 0};
    return &w->fresh[i];
}

/* A stored row of a new customer: the earliest event, and the channel of
 * the earliest event that has one, ties to the smaller channel (finish_sql's
 * ORDER BY ts, channel). */
static void fresh_add(struct store_writer *w, int64_t id, int64_t ts, const char *channel)
{
    struct fresh *f = fresh_of(w, id);
    if (ts < f->first_ts)
        f->first_ts = ts;
    if (!channel || !*channel || ts > f->chan_ts)
        return;
    size_t len = strlen(channel);
    int created;
    struct strmap_entry *e = strmap_put(&w->channels, channel, len, &created);
    if (created) {
        if (w->n_chan == w->cap_chan) {
            w->cap_chan = w->cap_chan ? w->cap_chan * 2 : 16;
            w->chan_names = xrealloc(w->chan_names, w->cap_chan * sizeof *w->chan_names);
        }
        e->val = w->n_chan;
        w->chan_names[w->n_chan++] = e->key;
    }
    uint32_t c = (uint32_t)e->val + 1;
    if (!f->chan || ts < f->chan_ts || strcmp(e->key, w->chan_names[f->chan - 1]) < 0) {
        f->chan_ts = ts;
        f->chan = c;
    }
}

/* What storing one event did, to the totals and a new customer's fields. */
static void event_stored(void *ctx, int64_t customer_id, int64_t ts, const char *channel, int added)
{
    struct store_writer *w = ctx;
    if (!added) {
        w->stats.duplicates++;
        return;
    }
    w->stats.added++;
    if (customer_id > w->base_id)
        fresh_add(w, customer_id, ts, channel);
}

/* Write what fresh_add followed: one UPDATE per new customer. */
static int fresh_write(struct store_writer *w)
{
    sqlite3_stmt *s = w->s[W_FRESH];
    for (size_t i = 0; i < w->n_fresh; i++) {
        const struct fresh *f = &w->fresh[i];
        sqlite3_bind_int64(s, 1, w->base_id + 1 + (int64_t)i);
        if (f->first_ts == INT64_MAX)
            sqlite3_bind_null(s, 2);
        else
            sqlite3_bind_int64(s, 2, f->first_ts);
        if (f->chan)
            sqlite3_bind_text(s, 3, w->chan_names[f->chan - 1], -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(s, 3);
        if (step_done(s))
            return -1;
    }
    return 0;
}

/* The id of the row's customer, creating it or updating its attributes. */
static int resolve_customer(struct store_writer *w, const struct import_row *r, int64_t *id)
{
    size_t klen = strlen(r->customer);
    struct strmap_entry *e = strmap_get(&w->customers, r->customer, klen);
    if (e) {
        *id = (int64_t)e->val;
    } else {
        int found = 0;
        uint64_t known = 0;
        /* with no customer before this import, every one it made is cached */
        if (w->base_id > 0) {
            sqlite3_stmt *f = w->s[W_FIND];
            sqlite3_bind_text(f, 1, r->customer, -1, SQLITE_STATIC);
            int rc = sqlite3_step(f);
            found = rc == SQLITE_ROW;
            if (found) {
                *id = sqlite3_column_int64(f, 0);
                known = pack_attrs((const char *)sqlite3_column_text(f, 1),
                                   (const char *)sqlite3_column_text(f, 2),
                                   (const char *)sqlite3_column_text(f, 3));
            }
            sqlite3_reset(f);
            if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return -1;
        }
        if (found) {
            sqlite3_stmt *t = w->s[W_TOUCH];
            sqlite3_bind_int64(t, 1, *id);
            if (step_done(t))
                return -1;
        } else {
            sqlite3_stmt *n = w->s[W_NEW_CUSTOMER];
            sqlite3_bind_text(n, 1, r->customer, -1, SQLITE_STATIC);
            bind_opt(n, 2, r->email);
            bind_opt(n, 3, r->name);
            bind_opt(n, 4, r->country);
            sqlite3_bind_int64(n, 5, w->gen);
            if (step_done(n))
                return -1;
            *id = sqlite3_last_insert_rowid(w->st->db);
            w->stats.new_customers++;
            if (*id <= w->base_id)
                return -1;
            /* a new customer's terms: what the row gave, as just stored */
            add_terms_of(w, *id, r->customer, 0);
            add_terms_of(w, *id, r->email, 0);
            add_terms_of(w, *id, r->name, 1);
            fresh_of(w, *id);
        }
        e = strmap_put(&w->customers, r->customer, klen, NULL);
        e->val = (uint64_t)*id;
        e->aux = found ? known : pack_attrs(r->email, r->name, r->country);
    }
    if (has_attrs(r) && attrs_change(r, e->aux)) {
        uint64_t merged = attrs_merge(r, e->aux);
        sqlite3_stmt *u = w->s[W_UPDATE_CUSTOMER];
        sqlite3_bind_int64(u, 1, *id);
        bind_opt(u, 2, r->email);
        bind_opt(u, 3, r->name);
        bind_opt(u, 4, r->country);
        if (step_done(u) || refresh_terms(w, *id))
            return -1;
        e = strmap_get(&w->customers, r->customer, klen);
        e->aux = merged;
    }
    if (r->acq_channel && *r->acq_channel) {
        sqlite3_stmt *c = w->s[W_SET_CHANNEL];
        sqlite3_bind_int64(c, 1, *id);
        sqlite3_bind_text(c, 2, r->acq_channel, -1, SQLITE_STATIC);
        if (step_done(c))
            return -1;
    }
    return 0;
}

int store_writer_add(struct store_writer *w, const struct import_row *r, int *added,
                     struct ct_error *err)
{
    int64_t id;
    *added = 0;
    /* queued rows go first: the order of rows decides which duplicate stays */
    if (event_batch_flush(w->batch, err))
        return CT_ERR_RUNTIME;
    if (resolve_customer(w, r, &id))
        return store_fail(w->st, err, "cannot store a customer");
    sqlite3_stmt *s = w->s[W_EVENT];
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, r->ts_ms);
    sqlite3_bind_text(s, 3, r->event, -1, SQLITE_STATIC);
    if (r->has_value)
        sqlite3_bind_double(s, 4, r->value);
    else
        sqlite3_bind_null(s, 4);
    bind_opt(s, 5, r->channel);
    bind_opt(s, 6, r->session);
    bind_opt(s, 7, r->event_id);
    bind_opt(s, 8, r->props);
    if (step_done(s))
        return store_fail(w->st, err, "cannot store an event");
    *added = sqlite3_changes(w->st->db) > 0;
    if (*added)
        event_batch_seen_id(w->batch, sqlite3_last_insert_rowid(w->st->db));
    event_stored(w, id, r->ts_ms, r->channel, *added);
    return 0;
}

int store_writer_queue(struct store_writer *w, const struct import_row *r, struct ct_error *err)
{
    if (!w->batch && event_batch_new(w->st, w->max_event_id + 1, event_stored, w, &w->batch, err))
        return CT_ERR_RUNTIME;
    int64_t id;
    if (resolve_customer(w, r, &id))
        return store_fail(w->st, err, "cannot store a customer");
    return event_batch_add(w->batch, id, r, err);
}

int store_writer_add_spend(struct store_writer *w, const struct spend_row *row,
                           enum spend_outcome *out, double *prev, struct ct_error *err)
{
    int rc = spend_writer_add(w->st, &w->spend, row, out, prev, err);
    if (rc)
        return rc;
    if (*out == SPEND_ADDED || *out == SPEND_REPLACED)
        w->stats.added++;
    else if (*out == SPEND_SAME)
        w->stats.duplicates++;
    return 0;
}

int store_writer_commit(struct store_writer *w, const struct writer_note *note,
                        struct writer_stats *stats, struct ct_error *err)
{
    struct store *st = w->st;
    if (event_batch_flush(w->batch, err)) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        writer_free(w);
        return CT_ERR_RUNTIME;
    }
    if (fresh_write(w))
        goto fail;
    finalize_all(w);
    if (sqlite3_exec(st->db, finish_sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(st->db, generation_sql, NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    if (note) {
        sqlite3_stmt *s;
        int update = note->log_id && *note->log_id > 0;
        if (sqlite3_prepare_v2(st->db, update ? log_update_sql : log_sql, -1, &s, NULL) !=
            SQLITE_OK)
            goto fail;
        sqlite3_bind_text(s, 1, note->source ? note->source : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, note->format ? note->format : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 3, note->rows_read);
        sqlite3_bind_int64(s, 4, w->stats.added);
        sqlite3_bind_int64(s, 5, w->stats.duplicates);
        sqlite3_bind_int64(s, 6, note->rejected);
        sqlite3_bind_int64(s, 7, note->skipped);
        sqlite3_bind_int64(s, 8, w->stats.new_customers);
        if (update)
            sqlite3_bind_int64(s, 9, *note->log_id);
        int rc = sqlite3_step(s);
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            goto fail;
        if (note->log_id && !update)
            *note->log_id = sqlite3_last_insert_rowid(st->db);
    }
    if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    if (stats)
        *stats = w->stats;
    writer_free(w);
    return 0;
fail:
    store_fail(st, err, "cannot finish the import");
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    writer_free(w);
    return CT_ERR_RUNTIME;
}

void store_writer_abort(struct store_writer *w)
{
    if (!w)
        return;
    finalize_all(w);
    sqlite3_exec(w->st->db, "ROLLBACK", NULL, NULL, NULL);
    writer_free(w);
}
