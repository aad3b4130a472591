/*
 * store_batch.c - an import's events stored many rows per statement.
 *
 * One INSERT per row spends about as long starting the statement and
 * opening the table's and indexes' cursors as storing the row.  A batch
 * copies queued rows and stores BATCH_ROWS of them with one multi-row
 * INSERT OR IGNORE, in the order they came, so which of two duplicate rows
 * is kept does not change.  Each row gets its id when queued; the ids
 * present afterwards tell which rows were stored and which were already
 * there.
 */
#include "autoconf.h"

#include <string.h>

#include "model/mem.h"
#include "model/store_int.h"

enum {
    BATCH_ROWS = 128, /* 128 x 9 parameters, far below SQLite's limit */
    BATCH_COLS = 9,
};

#define INSERT_HEAD                                                                                \
    "INSERT OR IGNORE INTO events"                                                                 \
    " (id, customer_id, ts, event, value, channel, session, event_id, props) VALUES "

static const char ids_sql[] = "SELECT id FROM events WHERE id BETWEEN ?1 AND ?2 ORDER BY id";

enum { Q_EVENT, Q_CHANNEL, Q_SESSION, Q_EVENT_ID, Q_PROPS, Q_STRS };
#define NO_STR ((size_t)-1)

struct queued {
    int64_t id, customer_id, ts;
    double value;
    int has_value;
    size_t str[Q_STRS]; /* offsets into buf, NO_STR: not given */
};

struct event_batch {
    struct store *st;
    batch_stored_fn stored;
    void *ctx;
    sqlite3_stmt *many, *one, *ids;
    int64_t next_id;
    struct queued q[BATCH_ROWS];
    size_t n;
    struct strbuf text; /* the queued rows' strings, NUL-terminated */
};

void event_batch_free(struct event_batch *b)
{
    if (!b)
        return;
    sqlite3_finalize(b->many);
    sqlite3_finalize(b->one);
    sqlite3_finalize(b->ids);
    sb_free(&b->text);
    free(b);
}

int event_batch_new(struct store *st, int64_t first_id, batch_stored_fn stored, void *ctx,
                    struct event_batch **out, struct ct_error *err)
{
    struct event_batch *b = xcalloc(1, sizeof *b);
    b->st = st;
    b->stored = stored;
    b->ctx = ctx;
    b->next_id = first_id;
    struct strbuf sql = {0};
    sb_adds(&sql, INSERT_HEAD);
    for (int i = 0; i < BATCH_ROWS; i++)
        sb_adds(&sql, i ? ",(?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?)");
    int ok = sqlite3_prepare_v3(st->db, sb_cstr(&sql), -1, SQLITE_PREPARE_PERSISTENT, &b->many,
                                NULL) == SQLITE_OK &&
             sqlite3_prepare_v3(st->db, INSERT_HEAD "(?,?,?,?,?,?,?,?,?)", -1,
                                SQLITE_PREPARE_PERSISTENT, &b->one, NULL) == SQLITE_OK &&
             sqlite3_prepare_v3(st->db, ids_sql, -1, SQLITE_PREPARE_PERSISTENT, &b->ids,
                                NULL) == SQLITE_OK;
    sb_free(&sql);
    if (!ok) {
        store_fail(st, err, "cannot store events");
        event_batch_free(b);
        *out = NULL;
        return CT_ERR_RUNTIME;
    }
    *out = b;
    return 0;
}

/* A copy of s in the batch's text; NULL and "" are not given (NULL in the
 * row, as the one-row INSERT binds them), except where keep. */
static size_t put_str(struct event_batch *b, const char *s, int keep)
{
    if (!s || (!*s && !keep))
        return NO_STR;
    size_t off = b->text.len;
    sb_add(&b->text, s, strlen(s) + 1);
    return off;
}

static void bind_row(struct event_batch *b, sqlite3_stmt *s, int at, const struct queued *q)
{
    sqlite3_bind_int64(s, at + 1, q->id);
    sqlite3_bind_int64(s, at + 2, q->customer_id);
    sqlite3_bind_int64(s, at + 3, q->ts);
    if (q->has_value)
        sqlite3_bind_double(s, at + 5, q->value);
    else
        sqlite3_bind_null(s, at + 5);
    static const int col[Q_STRS] = {4, 6, 7, 8, 9};
    for (int i = 0; i < Q_STRS; i++) {
        if (q->str[i] == NO_STR)
            sqlite3_bind_null(s, at + col[i]);
        else
            sqlite3_bind_text(s, at + col[i], b->text.buf + q->str[i], -1, SQLITE_STATIC);
    }
}

static int step_reset(sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : -1;
}

int event_batch_flush(struct event_batch *b, struct ct_error *err)
{
    if (!b || !b->n)
        return 0;
    if (b->n == BATCH_ROWS) {
        for (size_t i = 0; i < b->n; i++)
            bind_row(b, b->many, (int)i * BATCH_COLS, &b->q[i]);
        if (step_reset(b->many))
            return store_fail(b->st, err, "cannot store an event");
    } else {
        for (size_t i = 0; i < b->n; i++) {
            bind_row(b, b->one, 0, &b->q[i]);
            if (step_reset(b->one))
                return store_fail(b->st, err, "cannot store an event");
        }
    }
    /* the ids present are the rows stored; ids are ascending in q */
    sqlite3_stmt *s = b->ids;
    sqlite3_bind_int64(s, 1, b->q[0].id);
    sqlite3_bind_int64(s, 2, b->q[b->n - 1].id);
    size_t i = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        for (; i < b->n && b->q[i].id <= id; i++) {
            const struct queued *q = &b->q[i];
            const char *ch = q->str[Q_CHANNEL] == NO_STR ? NULL : b->text.buf + q->str[Q_CHANNEL];
            b->stored(b->ctx, q->customer_id, q->ts, ch, q->id == id);
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return store_fail(b->st, err, "cannot store an event");
    for (; i < b->n; i++)
        b->stored(b->ctx, b->q[i].customer_id, b->q[i].ts, NULL, 0);
    b->n = 0;
    sb_reset(&b->text);
    return 0;
}

int event_batch_add(struct event_batch *b, int64_t customer_id, const struct import_row *r,
                    struct ct_error *err)
{
    struct queued *q = &b->q[b->n++];
    q->id = b->next_id++;
    q->customer_id = customer_id;
    q->ts = r->ts_ms;
    q->value = r->value;
    q->has_value = r->has_value;
    q->str[Q_EVENT] = put_str(b, r->event, 1);
    q->str[Q_CHANNEL] = put_str(b, r->channel, 0);
    q->str[Q_SESSION] = put_str(b, r->session, 0);
    q->str[Q_EVENT_ID] = put_str(b, r->event_id, 0);
    q->str[Q_PROPS] = put_str(b, r->props, 0);
    return b->n == BATCH_ROWS ? event_batch_flush(b, err) : 0;
}

void event_batch_seen_id(struct event_batch *b, int64_t id)
{
    if (b && id >= b->next_id)
        b->next_id = id + 1;
}
