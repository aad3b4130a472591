/*
 * dataset.c - building the timeline-ordered columns.
 *
 * Owns the in-memory form every engine reads.  Reads SQLite only in
 * dataset_load, with bound parameters; the engines never see SQL.
 * Workload: one full scan of the events table in rowid order, then one
 * sort.  Session ids are numbered per customer (a customer's sessions are
 * what every figure counts), so no table of millions of session strings
 * is kept.
 */
#include "autoconf.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "model/dataset.h"
#include "model/mem.h"
#include "model/store.h"

#define SESSION_GAP_MS (30 * 60 * 1000)
#define NO_STR UINT64_MAX

/* --- interning ---------------------------------------------------------- */

void intern_init(struct intern *in)
{
    memset(in, 0, sizeof *in);
    strmap_init(&in->map);
    in->cap = 16;
    in->strs = xcalloc(in->cap, sizeof *in->strs);
    in->strs[0] = xstrdup("");
    in->n = 1;
}

void intern_free(struct intern *in)
{
    for (size_t i = 0; i < in->n; i++)
        free(in->strs[i]);
    free(in->strs);
    strmap_free(&in->map);
    memset(in, 0, sizeof *in);
}

uint32_t intern_id(struct intern *in, const char *s, size_t len)
{
    if (!s || !len)
        return 0;
    int created;
    struct strmap_entry *e = strmap_put(&in->map, s, len, &created);
    if (created) {
        if (in->n == in->cap) {
            in->cap *= 2;
            in->strs = xreallocarray(in->strs, in->cap, sizeof *in->strs);
        }
        e->val = in->n;
        in->strs[in->n++] = xstrndup(s, len);
    }
    return (uint32_t)e->val;
}

uint32_t intern_find(const struct intern *in, const char *s)
{
    if (!s || !*s)
        return 0;
    struct strmap_entry *e = strmap_get(&in->map, s, strlen(s));
    return e ? (uint32_t)e->val : INTERN_ABSENT;
}

const char *intern_str(const struct intern *in, uint32_t id)
{
    return id < in->n ? in->strs[id] : "";
}

const char *dataset_canon(const char *s, char *buf, size_t size)
{
    char *end;
    if (s && *s) {
        double d = strtod(s, &end);
        if (*end == '\0' && isfinite(d) && end != s) {
            snprintf(buf, size, "%.15g", d);
            return buf;
        }
    }
    snprintf(buf, size, "%s", s ? s : "");
    return buf;
}

uint64_t dataset_session_hash(const char *s)
{
    if (!s || !*s)
        return 0;
    uint64_t h = strmap_hash(s, strlen(s)) * UINT64_C(0x9E3779B97F4A7C15);
    return h ? h : 1;
}

/* --- building ------------------------------------------------------------ */

struct build {
    size_t ev_cap, cu_cap;
    uint32_t *ev_cust, *ev_seq;
    uint64_t *key_off, *email_off, *name_off;
    struct strbuf pool;
};

struct dataset *dataset_new(size_t n_props, char *const *prop_keys)
{
    struct dataset *ds = xcalloc(1, sizeof *ds);
    intern_init(&ds->names);
    intern_init(&ds->vals);
    ds->build = xcalloc(1, sizeof(struct build));
    ds->n_props = n_props > DATASET_MAX_PROPS ? DATASET_MAX_PROPS : n_props;
    for (size_t p = 0; p < ds->n_props; p++)
        ds->prop_keys[p] = xstrdup(prop_keys[p]);
    return ds;
}

static uint64_t pool_add(struct build *b, const char *s)
{
    if (!s)
        return NO_STR;
    uint64_t off = b->pool.len;
    sb_add(&b->pool, s, strlen(s) + 1);
    return off;
}

size_t dataset_add_customer_full(struct dataset *ds, int64_t id, const char *key,
                                 const char *email, const char *name, const char *channel,
                                 const char *country)
{
    struct build *b = ds->build;
    if (ds->n_customers == b->cu_cap) {
        b->cu_cap = b->cu_cap ? b->cu_cap * 2 : 64;
        size_t c = b->cu_cap;
        ds->cust_id = xreallocarray(ds->cust_id, c, sizeof *ds->cust_id);
        ds->cust_channel = xreallocarray(ds->cust_channel, c, sizeof *ds->cust_channel);
        ds->cust_country = xreallocarray(ds->cust_country, c, sizeof *ds->cust_country);
        b->key_off = xreallocarray(b->key_off, c, sizeof *b->key_off);
        b->email_off = xreallocarray(b->email_off, c, sizeof *b->email_off);
        b->name_off = xreallocarray(b->name_off, c, sizeof *b->name_off);
    }
    size_t c = ds->n_customers++;
    ds->cust_id[c] = id;
    b->key_off[c] = pool_add(b, key ? key : "");
    b->email_off[c] = pool_add(b, email && *email ? email : NULL);
    b->name_off[c] = pool_add(b, name && *name ? name : NULL);
    ds->cust_channel[c] = intern_id(&ds->vals, channel, channel ? strlen(channel) : 0);
    ds->cust_country[c] = intern_id(&ds->vals, country, country ? strlen(country) : 0);
    return c;
}

size_t dataset_add_customer(struct dataset *ds, const char *key, const char *email,
                            const char *name, const char *channel)
{
    return dataset_add_customer_full(ds, (int64_t)ds->n_customers + 1, key, email, name,
                                     channel, NULL);
}

static void grow_events(struct dataset *ds)
{
    struct build *b = ds->build;
    if (ds->n_events < b->ev_cap)
        return;
    b->ev_cap = b->ev_cap ? b->ev_cap * 2 : 1024;
    size_t c = b->ev_cap;
    ds->ts = xreallocarray(ds->ts, c, sizeof *ds->ts);
    ds->name = xreallocarray(ds->name, c, sizeof *ds->name);
    ds->value = xreallocarray(ds->value, c, sizeof *ds->value);
    ds->channel = xreallocarray(ds->channel, c, sizeof *ds->channel);
    ds->rating = xreallocarray(ds->rating, c, sizeof *ds->rating);
    for (size_t p = 0; p < ds->n_props; p++)
        ds->prop[p] = xreallocarray(ds->prop[p], c, sizeof *ds->prop[p]);
    b->ev_cust = xreallocarray(b->ev_cust, c, sizeof *b->ev_cust);
    b->ev_seq = xreallocarray(b->ev_seq, c, sizeof *b->ev_seq);
    ds->session = xreallocarray(ds->session, c, sizeof *ds->session);
}

void dataset_add_event_full(struct dataset *ds, size_t cust, int64_t ts_ms, uint32_t name_id,
                            double value, uint32_t channel_id, uint64_t session_hash,
                            int rating, const uint32_t *props)
{
    grow_events(ds);
    struct build *b = ds->build;
    size_t i = ds->n_events++;
    ds->ts[i] = ts_ms;
    ds->name[i] = name_id;
    ds->value[i] = value;
    ds->channel[i] = channel_id;
    ds->rating[i] = (int8_t)(rating >= 1 && rating <= 5 ? rating : 0);
    for (size_t p = 0; p < ds->n_props; p++)
        ds->prop[p][i] = props ? props[p] : 0;
    b->ev_cust[i] = (uint32_t)cust;
    b->ev_seq[i] = (uint32_t)i;
    ds->session[i] = session_hash;
}

void dataset_add_event(struct dataset *ds, size_t cust, int64_t ts_ms, const char *event,
                       double value, const char *channel, const char *session, int rating)
{
    dataset_add_event_full(ds, cust, ts_ms,
                           intern_id(&ds->names, event, event ? strlen(event) : 0), value,
                           intern_id(&ds->vals, channel, channel ? strlen(channel) : 0),
                           dataset_session_hash(session), rating, NULL);
}

struct sort_key {
    uint32_t cust, seq;
    int64_t ts;
};

static int cmp_key(const void *a, const void *b)
{
    const struct sort_key *x = a, *y = b;
    if (x->cust != y->cust)
        return x->cust < y->cust ? -1 : 1;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

#define PERMUTE(arr, type)                                                                      \
    do {                                                                                        \
        type *tmp_ = xmalloc((n ? n : 1) * sizeof(type));                                       \
        for (size_t i_ = 0; i_ < n; i_++)                                                       \
            tmp_[i_] = (arr)[keys[i_].seq];                                                     \
        free(arr);                                                                              \
        (arr) = tmp_;                                                                           \
    } while (0)

uint32_t dataset_session_ids(const struct dataset *ds, size_t lo, size_t hi, uint32_t *out)
{
    size_t n = hi - lo;
    const uint64_t *hash = ds->session + lo;
    const int64_t *ts = ds->ts + lo;
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    uint64_t stack_h[32];
    uint32_t stack_v[32];
    uint64_t *th = cap <= 32 ? stack_h : xmalloc(cap * sizeof *th);
    uint32_t *tv = cap <= 32 ? stack_v : xmalloc(cap * sizeof *tv);
    memset(th, 0, cap * sizeof *th);
    uint32_t next = 1, visit = 0;
    int64_t last = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        if (!hash[i]) {
            if (!visit || ts[i] - last > SESSION_GAP_MS)
                visit = next++;
            last = ts[i];
            out[i] = visit;
            continue;
        }
        size_t slot = (size_t)(hash[i] >> 7) & (cap - 1);
        while (th[slot] && th[slot] != hash[i])
            slot = (slot + 1) & (cap - 1);
        if (!th[slot]) {
            th[slot] = hash[i];
            tv[slot] = next++;
        }
        out[i] = tv[slot];
    }
    if (th != stack_h)
        free(th);
    if (tv != stack_v)
        free(tv);
    return next - 1;
}

static void finish_strings(struct dataset *ds);

/* newest_ms and oldest_ms from each customer's first and last event. */
static void dataset_time_span(struct dataset *ds)
{
    const uint64_t *off = ds->cust_off;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (size_t c = 0; c < ds->n_customers; c++)
        if (off[c + 1] > off[c]) {
            if (ds->ts[off[c]] < lo)
                lo = ds->ts[off[c]];
            if (ds->ts[off[c + 1] - 1] > hi)
                hi = ds->ts[off[c + 1] - 1];
        }
    ds->oldest_ms = lo == INT64_MAX ? 0 : lo;
    ds->newest_ms = hi == INT64_MIN ? 0 : hi;
}

void dataset_finish(struct dataset *ds)
{
    struct build *b = ds->build;
    size_t n = ds->n_events;
    struct sort_key *keys = xmalloc((n ? n : 1) * sizeof *keys);
    for (size_t i = 0; i < n; i++) {
        keys[i].cust = b->ev_cust[i];
        keys[i].seq = b->ev_seq[i];
        keys[i].ts = ds->ts[i];
    }
    qsort(keys, n, sizeof *keys, cmp_key);
    PERMUTE(ds->ts, int64_t);
    PERMUTE(ds->name, uint32_t);
    PERMUTE(ds->value, double);
    PERMUTE(ds->channel, uint32_t);
    PERMUTE(ds->rating, int8_t);
    PERMUTE(ds->session, uint64_t);
    for (size_t p = 0; p < ds->n_props; p++)
        PERMUTE(ds->prop[p], uint32_t);
    uint64_t *off = xcalloc(ds->n_customers + 1, sizeof *off);
    for (size_t i = 0; i < n; i++)
        off[keys[i].cust + 1]++;
    for (size_t c = 0; c < ds->n_customers; c++)
        off[c + 1] += off[c];
    free(keys);
    ds->cust_off = off;
    dataset_time_span(ds);
    free(b->ev_cust);
    free(b->ev_seq);
    b->ev_cust = NULL;
    b->ev_seq = NULL;
    finish_strings(ds);
}

void dataset_free(struct dataset *ds)
{
    if (!ds)
        return;
    if (ds->build) {
        struct build *b = ds->build;
        free(b->ev_cust);
        free(b->ev_seq);
            free(b->key_off);
        free(b->email_off);
        free(b->name_off);
        sb_free(&b->pool);
        free(b);
    }
    free(ds->cust_key);
    free(ds->cust_email);
    free(ds->cust_name);
    for (size_t p = 0; p < ds->n_props; p++)
        free(ds->prop_keys[p]);
    dataset_name_index_free(ds);
    intern_free(&ds->names);
    intern_free(&ds->vals);
    if (ds->map) {
        /* the arrays live in the mapping */
        munmap(ds->map, ds->map_len);
        free(ds);
        return;
    }
    free(ds->cust_id);
    free(ds->cust_off);
    free(ds->cust_channel);
    free(ds->cust_country);
    free(ds->pool);
    free(ds->ts);
    free(ds->name);
    free(ds->value);
    free(ds->channel);
    free(ds->session);
    free(ds->rating);
    for (size_t p = 0; p < ds->n_props; p++)
        free(ds->prop[p]);
    free(ds);
}

size_t dataset_find_key(const struct dataset *ds, const char *key)
{
    const struct build *b = ds->build;
    for (size_t c = 0; c < ds->n_customers; c++) {
        /* while building, keys are offsets into the growing pool */
        const char *k = b ? b->pool.buf + b->key_off[c] : ds->cust_key[c];
        if (strcmp(k, key) == 0)
            return c;
    }
    return (size_t)-1;
}

size_t dataset_find_id(const struct dataset *ds, int64_t id)
{
    size_t lo = 0, hi = ds->n_customers;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ds->cust_id[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ds->n_customers && ds->cust_id[lo] == id ? lo : (size_t)-1;
}

/* --- loading from the store --------------------------------------------- */

/* The store's state the dataset will hold (inside the read transaction). */
static int take_identity(struct dataset *ds, struct store *st, struct ct_error *err)
{
    struct store_identity ident;
    int rc = store_identity(st, &ident, err);
    if (rc)
        return rc;
    ds->generation = ident.generation;
    ds->rewrites = ident.rewrites;
    ds->max_event_id = ident.max_event_id;
    ds->max_customer_id = ident.max_customer_id;
    return 0;
}

static const char customers_sql[] =
    "SELECT id, key, email, name, channel, country FROM customers ORDER BY id";

/* Eight property slots; an unused slot's path is NULL and yields NULL.
 * Malformed JSON (written by another tool) yields NULL instead of an error.
 * ?9: only events with a greater id (0 loads all). */
static const char events_sql[] =
    "SELECT customer_id, ts, event, value, channel, session,"
    " CASE WHEN props IS NULL OR NOT json_valid(props) THEN NULL"
    "  ELSE json_extract(props, '$.rating') END"
#define SLOT(n) ", CASE WHEN ?" #n " IS NULL OR props IS NULL OR NOT json_valid(props) THEN NULL" \
                " ELSE json_extract(props, ?" #n ") END"
    SLOT(1) SLOT(2) SLOT(3) SLOT(4) SLOT(5) SLOT(6) SLOT(7) SLOT(8)
#undef SLOT
    " FROM events WHERE id > ?9";

/* JSON path for a property key: $."key" with quotes and backslashes escaped. */
static char *prop_path(const char *key)
{
    struct strbuf sb = {0};
    sb_adds(&sb, "$.\"");
    for (const char *p = key; *p; p++) {
        if (*p == '"' || *p == '\\')
            sb_addc(&sb, '\\');
        sb_addc(&sb, *p);
    }
    sb_addc(&sb, '"');
    return sb_steal(&sb);
}

int dataset_read_events(struct store *st, struct dataset *ds, int64_t after_id,
                        size_t (*cust_of)(void *ctx, int64_t id), void *ctx,
                        struct ct_error *err)
{
    sqlite3 *db = store_sqlite(st);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, events_sql, -1, &s, NULL) != SQLITE_OK)
        return ct_error_set(err, CT_ERR_RUNTIME, store_path(st), 0, 0,
                            "cannot read the events: %s", sqlite3_errmsg(db));
    for (size_t p = 0; p < ds->n_props; p++)
        sqlite3_bind_text(s, (int)p + 1, prop_path(ds->prop_keys[p]), -1, free);
    sqlite3_bind_int64(s, 9, after_id);
    char canon[64];
    uint32_t props[DATASET_MAX_PROPS];
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        size_t c = cust_of(ctx, sqlite3_column_int64(s, 0));
        if (c == (size_t)-1)
            continue; /* an event of a deleted customer (not written by convtop) */
        double value = sqlite3_column_type(s, 3) == SQLITE_NULL ? NAN
                                                                : sqlite3_column_double(s, 3);
        int rating = 0;
        if (sqlite3_column_type(s, 6) != SQLITE_NULL) {
            double r = sqlite3_column_double(s, 6);
            if (r >= 1 && r <= 5 && r == floor(r))
                rating = (int)r;
        }
        for (size_t p = 0; p < ds->n_props; p++) {
            const char *v = (const char *)sqlite3_column_text(s, 7 + (int)p);
            props[p] = 0;
            if (v) {
                const char *cv = strlen(v) < 60 ? dataset_canon(v, canon, sizeof canon) : v;
                props[p] = intern_id(&ds->vals, cv, strlen(cv));
            }
        }
        const char *ev = (const char *)sqlite3_column_text(s, 2);
        const char *ch = (const char *)sqlite3_column_text(s, 4);
        dataset_add_event_full(ds, c, sqlite3_column_int64(s, 1),
                               intern_id(&ds->names, ev, ev ? strlen(ev) : 0), value,
                               intern_id(&ds->vals, ch, ch ? strlen(ch) : 0),
                               dataset_session_hash((const char *)sqlite3_column_text(s, 5)),
                               rating, props);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return ct_error_set(err, CT_ERR_RUNTIME, store_path(st), 0, 0,
                            "cannot read the events: %s", sqlite3_errmsg(db));
    return 0;
}

static size_t by_id(void *ctx, int64_t id)
{
    return dataset_find_id(ctx, id);
}

int dataset_load(struct store *st, char *const *prop_keys, size_t n_props,
                 struct dataset **out, struct ct_error *err)
{
    *out = NULL;
    if (n_props > DATASET_MAX_PROPS)
        return ct_error_set(err, CT_ERR_CONFIG, NULL, 0, 0,
                            "the config matches on %zu event properties; at most %d are "
                            "supported",
                            n_props, DATASET_MAX_PROPS);
    sqlite3 *db = store_sqlite(st);
    struct dataset *ds = dataset_new(n_props, prop_keys);
    sqlite3_stmt *s = NULL;
    int rc = 0;
    /* one read transaction: customers, events and identity agree */
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    if ((rc = take_identity(ds, st, err)))
        goto out;
    if (sqlite3_prepare_v2(db, customers_sql, -1, &s, NULL) != SQLITE_OK)
        goto fail;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        dataset_add_customer_full(ds, sqlite3_column_int64(s, 0),
                                  (const char *)sqlite3_column_text(s, 1),
                                  (const char *)sqlite3_column_text(s, 2),
                                  (const char *)sqlite3_column_text(s, 3),
                                  (const char *)sqlite3_column_text(s, 4),
                                  (const char *)sqlite3_column_text(s, 5));
    if (rc != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(s);
    s = NULL;
    if ((rc = dataset_read_events(st, ds, 0, by_id, ds, err)))
        goto out;
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    dataset_finish(ds);
    *out = ds;
    return 0;
fail:
    rc = ct_error_set(err, CT_ERR_RUNTIME, store_path(st), 0, 0, "cannot read the events: %s",
                      sqlite3_errmsg(db));
out:
    sqlite3_finalize(s);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    dataset_free(ds);
    return rc;
}

/* --- extending a dataset with new rows ---------------------------------- */

static const char changed_customers_sql[] =
    "SELECT id, key, email, name, channel, country FROM customers"
    " WHERE gen > ?1 OR id > ?2 ORDER BY id";

/* Sorted delta events merged into the base columns, customer by customer;
 * on equal times base events come first (they were imported earlier). */
static void finish_merge(struct dataset *ds, const struct dataset *base)
{
    struct build *b = ds->build;
    size_t nd = ds->n_events, nb = base->n_events, n = nb + nd;
    struct sort_key *keys = xmalloc((nd ? nd : 1) * sizeof *keys);
    for (size_t i = 0; i < nd; i++) {
        keys[i].cust = b->ev_cust[i];
        keys[i].seq = b->ev_seq[i];
        keys[i].ts = ds->ts[i];
    }
    qsort(keys, nd, sizeof *keys, cmp_key);
    int64_t *ts = xmalloc((n ? n : 1) * sizeof *ts);
    uint32_t *name = xmalloc((n ? n : 1) * sizeof *name);
    double *value = xmalloc((n ? n : 1) * sizeof *value);
    uint32_t *channel = xmalloc((n ? n : 1) * sizeof *channel);
    uint64_t *session = xmalloc((n ? n : 1) * sizeof *session);
    int8_t *rating = xmalloc((n ? n : 1) * sizeof *rating);
    uint32_t *prop[DATASET_MAX_PROPS];
    for (size_t p = 0; p < ds->n_props; p++)
        prop[p] = xmalloc((n ? n : 1) * sizeof *prop[p]);
    uint64_t *off = xcalloc(ds->n_customers + 1, sizeof *off);
    size_t o = 0, k = 0;
    for (size_t c = 0; c < ds->n_customers; c++) {
        off[c] = o;
        size_t bi = c < base->n_customers ? base->cust_off[c] : 0;
        size_t be = c < base->n_customers ? base->cust_off[c + 1] : 0;
        for (;;) {
            int from_base;
            if (bi < be && k < nd && keys[k].cust == c)
                from_base = base->ts[bi] <= keys[k].ts;
            else if (bi < be)
                from_base = 1;
            else if (k < nd && keys[k].cust == c)
                from_base = 0;
            else
                break;
            if (from_base) {
                ts[o] = base->ts[bi];
                name[o] = base->name[bi];
                value[o] = base->value[bi];
                channel[o] = base->channel[bi];
                session[o] = base->session[bi];
                rating[o] = base->rating[bi];
                for (size_t p = 0; p < ds->n_props; p++)
                    prop[p][o] = base->prop[p][bi];
                bi++;
            } else {
                size_t d = keys[k].seq;
                ts[o] = ds->ts[d];
                name[o] = ds->name[d];
                value[o] = ds->value[d];
                channel[o] = ds->channel[d];
                session[o] = ds->session[d];
                rating[o] = ds->rating[d];
                for (size_t p = 0; p < ds->n_props; p++)
                    prop[p][o] = ds->prop[p][d];
                k++;
            }
            o++;
        }
    }
    off[ds->n_customers] = o;
    free(keys);
    free(ds->ts);
    free(ds->name);
    free(ds->value);
    free(ds->channel);
    free(ds->session);
    free(ds->rating);
    ds->ts = ts;
    ds->name = name;
    ds->value = value;
    ds->channel = channel;
    ds->session = session;
    ds->rating = rating;
    for (size_t p = 0; p < ds->n_props; p++) {
        free(ds->prop[p]);
        ds->prop[p] = prop[p];
    }
    /* the usual finish, with nothing left to sort */
    ds->n_events = o;
    free(b->ev_cust);
    free(b->ev_seq);
    b->ev_cust = NULL;
    b->ev_seq = NULL;
    ds->cust_off = off;
    dataset_time_span(ds);
}

static size_t by_id_building(void *ctx, int64_t id)
{
    return dataset_find_id(ctx, id);
}

static void finish_strings(struct dataset *ds)
{
    struct build *b = ds->build;
    ds->pool_len = b->pool.len;
    ds->pool = sb_steal(&b->pool);
    size_t nc = ds->n_customers ? ds->n_customers : 1;
    ds->cust_key = xmalloc(nc * sizeof *ds->cust_key);
    ds->cust_email = xmalloc(nc * sizeof *ds->cust_email);
    ds->cust_name = xmalloc(nc * sizeof *ds->cust_name);
    for (size_t c = 0; c < ds->n_customers; c++) {
        ds->cust_key[c] = ds->pool + b->key_off[c];
        ds->cust_email[c] = b->email_off[c] == NO_STR ? NULL : ds->pool + b->email_off[c];
        ds->cust_name[c] = b->name_off[c] == NO_STR ? NULL : ds->pool + b->name_off[c];
    }
    free(b->key_off);
    free(b->email_off);
    free(b->name_off);
    free(b);
    ds->build = NULL;
}

int dataset_extend(const struct dataset *base, struct store *st, struct dataset **out,
                   struct ct_error *err)
{
    *out = NULL;
    sqlite3 *db = store_sqlite(st);
    struct dataset *ds = dataset_new(base->n_props, base->prop_keys);
    /* the same ids for the strings base knows, so its columns copy as they are */
    for (size_t i = 1; i < base->names.n; i++)
        intern_id(&ds->names, base->names.strs[i], strlen(base->names.strs[i]));
    for (size_t i = 1; i < base->vals.n; i++)
        intern_id(&ds->vals, base->vals.strs[i], strlen(base->vals.strs[i]));
    sqlite3_stmt *s = NULL;
    int rc = 0;
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    if ((rc = take_identity(ds, st, err)))
        goto out;
    if (sqlite3_prepare_v2(db, changed_customers_sql, -1, &s, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(s, 1, base->generation);
    sqlite3_bind_int64(s, 2, base->max_customer_id);
    /* customers in id order: base's, each replaced by its changed row */
    size_t c = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        for (; c < base->n_customers && base->cust_id[c] < id; c++)
            dataset_add_customer_full(ds, base->cust_id[c], base->cust_key[c],
                                      base->cust_email[c], base->cust_name[c],
                                      intern_str(&base->vals, base->cust_channel[c]),
                                      intern_str(&base->vals, base->cust_country[c]));
        if (c < base->n_customers && base->cust_id[c] == id)
            c++;
        dataset_add_customer_full(ds, id, (const char *)sqlite3_column_text(s, 1),
                                  (const char *)sqlite3_column_text(s, 2),
                                  (const char *)sqlite3_column_text(s, 3),
                                  (const char *)sqlite3_column_text(s, 4),
                                  (const char *)sqlite3_column_text(s, 5));
    }
    if (rc != SQLITE_DONE)
        goto fail;
    for (; c < base->n_customers; c++)
        dataset_add_customer_full(ds, base->cust_id[c], base->cust_key[c], base->cust_email[c],
                                  base->cust_name[c],
                                  intern_str(&base->vals, base->cust_channel[c]),
                                  intern_str(&base->vals, base->cust_country[c]));
    sqlite3_finalize(s);
    s = NULL;
    rc = 0;
    if (ds->n_customers < base->n_customers) {
        rc = ct_error_set(err, CT_ERR_RUNTIME, store_path(st), 0, 0,
                          "customers disappeared; reload everything");
        goto out;
    }
    if ((rc = dataset_read_events(st, ds, base->max_event_id, by_id_building, ds, err)))
        goto out;
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    finish_merge(ds, base);
    finish_strings(ds);
    *out = ds;
    return 0;
fail:
    rc = ct_error_set(err, CT_ERR_RUNTIME, store_path(st), 0, 0, "cannot read the database: %s",
                      sqlite3_errmsg(db));
out:
    sqlite3_finalize(s);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    dataset_free(ds);
    return rc;
}
