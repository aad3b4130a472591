/*
 * dataset.c - loading the store into timeline-ordered columns.
 *
 * Owns the in-memory form every engine reads.  Reads SQLite only in
 * dataset_load, with bound parameters; the engines never see SQL.
 * Workload: one full scan of the events table in rowid order, then one sort.
 */
#include "autoconf.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "model/dataset.h"
#include "model/mem.h"
#include "model/store.h"

#define SESSION_GAP_MS (30 * 60 * 1000)

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

/* --- building ------------------------------------------------------------ */

/* Build state kept until dataset_finish: the customer of each event and its
 * input order, for the sort. */
struct build {
    size_t ev_cap, cu_cap;
    uint32_t *ev_cust;
    uint32_t *ev_seq;
};

static struct build *builder(struct dataset *ds)
{
    return ds->build;
}

struct dataset *dataset_new(void)
{
    struct dataset *ds = xcalloc(1, sizeof *ds);
    intern_init(&ds->names);
    intern_init(&ds->vals);
    intern_init(&ds->sessions);
    ds->build = xcalloc(1, sizeof(struct build));
    return ds;
}

static void grow_customers(struct dataset *ds)
{
    struct build *b = builder(ds);
    if (ds->n_customers < b->cu_cap)
        return;
    b->cu_cap = b->cu_cap ? b->cu_cap * 2 : 64;
    ds->cust_id = xreallocarray(ds->cust_id, b->cu_cap, sizeof *ds->cust_id);
    ds->cust_key = xreallocarray(ds->cust_key, b->cu_cap, sizeof *ds->cust_key);
    ds->cust_email = xreallocarray(ds->cust_email, b->cu_cap, sizeof *ds->cust_email);
    ds->cust_name = xreallocarray(ds->cust_name, b->cu_cap, sizeof *ds->cust_name);
    ds->cust_channel = xreallocarray(ds->cust_channel, b->cu_cap, sizeof *ds->cust_channel);
    ds->cust_country = xreallocarray(ds->cust_country, b->cu_cap, sizeof *ds->cust_country);
}

static size_t add_customer(struct dataset *ds, int64_t id, const char *key, const char *email,
                           const char *name, const char *channel, const char *country)
{
    grow_customers(ds);
    size_t c = ds->n_customers++;
    ds->cust_id[c] = id;
    ds->cust_key[c] = xstrdup(key ? key : "");
    ds->cust_email[c] = email && *email ? xstrdup(email) : NULL;
    ds->cust_name[c] = name && *name ? xstrdup(name) : NULL;
    ds->cust_channel[c] = intern_id(&ds->vals, channel, channel ? strlen(channel) : 0);
    ds->cust_country[c] = intern_id(&ds->vals, country, country ? strlen(country) : 0);
    return c;
}

size_t dataset_add_customer(struct dataset *ds, const char *key, const char *email,
                            const char *name, const char *channel)
{
    return add_customer(ds, (int64_t)ds->n_customers + 1, key, email, name, channel, NULL);
}

static void grow_events(struct dataset *ds)
{
    struct build *b = builder(ds);
    if (ds->n_events < b->ev_cap)
        return;
    b->ev_cap = b->ev_cap ? b->ev_cap * 2 : 1024;
    size_t c = b->ev_cap;
    ds->ts = xreallocarray(ds->ts, c, sizeof *ds->ts);
    ds->name = xreallocarray(ds->name, c, sizeof *ds->name);
    ds->value = xreallocarray(ds->value, c, sizeof *ds->value);
    ds->channel = xreallocarray(ds->channel, c, sizeof *ds->channel);
    ds->session = xreallocarray(ds->session, c, sizeof *ds->session);
    ds->rating = xreallocarray(ds->rating, c, sizeof *ds->rating);
    for (size_t p = 0; p < ds->n_props; p++)
        ds->prop[p] = xreallocarray(ds->prop[p], c, sizeof *ds->prop[p]);
    b->ev_cust = xreallocarray(b->ev_cust, c, sizeof *b->ev_cust);
    b->ev_seq = xreallocarray(b->ev_seq, c, sizeof *b->ev_seq);
}

/* Append one event; returns its position (props are set by the caller). */
static size_t add_event(struct dataset *ds, size_t cust, int64_t ts, const char *event,
                        double value, const char *channel, const char *session, int rating)
{
    grow_events(ds);
    struct build *b = builder(ds);
    size_t i = ds->n_events++;
    ds->ts[i] = ts;
    ds->name[i] = intern_id(&ds->names, event, event ? strlen(event) : 0);
    ds->value[i] = value;
    ds->channel[i] = intern_id(&ds->vals, channel, channel ? strlen(channel) : 0);
    ds->session[i] = intern_id(&ds->sessions, session, session ? strlen(session) : 0);
    ds->rating[i] = (int8_t)(rating >= 1 && rating <= 5 ? rating : 0);
    for (size_t p = 0; p < ds->n_props; p++)
        ds->prop[p][i] = 0;
    b->ev_cust[i] = (uint32_t)cust;
    b->ev_seq[i] = (uint32_t)i;
    return i;
}

void dataset_add_event(struct dataset *ds, size_t cust, int64_t ts_ms, const char *event,
                       double value, const char *channel, const char *session, int rating)
{
    add_event(ds, cust, ts_ms, event, value, channel, session, rating);
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

void dataset_finish(struct dataset *ds)
{
    struct build *b = builder(ds);
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
    PERMUTE(ds->session, uint32_t);
    PERMUTE(ds->rating, int8_t);
    for (size_t p = 0; p < ds->n_props; p++)
        PERMUTE(ds->prop[p], uint32_t);
    size_t *off = xcalloc(ds->n_customers + 1, sizeof *off);
    for (size_t i = 0; i < n; i++)
        off[keys[i].cust + 1]++;
    for (size_t c = 0; c < ds->n_customers; c++)
        off[c + 1] += off[c];
    free(keys);
    free(b->ev_cust);
    free(b->ev_seq);
    free(b);
    ds->build = NULL;
    ds->cust_off = off;
    /* Events without a session id get one per visit: a new visit after 30
     * minutes without events, as web analytics tools count them. */
    uint32_t next = (uint32_t)ds->sessions.n;
    ds->newest_ms = 0;
    for (size_t c = 0; c < ds->n_customers; c++) {
        int64_t last = INT64_MIN;
        uint32_t cur = 0;
        for (size_t i = off[c]; i < off[c + 1]; i++) {
            if (ds->ts[i] > ds->newest_ms)
                ds->newest_ms = ds->ts[i];
            if (ds->session[i])
                continue;
            if (!cur || ds->ts[i] - last > SESSION_GAP_MS)
                cur = next++;
            last = ds->ts[i];
            ds->session[i] = cur;
        }
    }
}

void dataset_free(struct dataset *ds)
{
    if (!ds)
        return;
    if (ds->build) {
        struct build *b = ds->build;
        free(b->ev_cust);
        free(b->ev_seq);
        free(b);
    }
    for (size_t c = 0; c < ds->n_customers; c++) {
        free(ds->cust_key[c]);
        free(ds->cust_email[c]);
        free(ds->cust_name[c]);
    }
    free(ds->cust_id);
    free(ds->cust_off);
    free(ds->cust_key);
    free(ds->cust_email);
    free(ds->cust_name);
    free(ds->cust_channel);
    free(ds->cust_country);
    free(ds->ts);
    free(ds->name);
    free(ds->value);
    free(ds->channel);
    free(ds->session);
    free(ds->rating);
    for (size_t p = 0; p < ds->n_props; p++) {
        free(ds->prop[p]);
        free(ds->prop_keys[p]);
    }
    intern_free(&ds->names);
    intern_free(&ds->vals);
    intern_free(&ds->sessions);
    free(ds);
}

size_t dataset_find_key(const struct dataset *ds, const char *key)
{
    for (size_t c = 0; c < ds->n_customers; c++)
        if (strcmp(ds->cust_key[c], key) == 0)
            return c;
    return (size_t)-1;
}

/* --- loading from the store --------------------------------------------- */

static const char customers_sql[] =
    "SELECT id, key, email, name, channel, country FROM customers ORDER BY id";

/* Eight property slots; an unused slot's path is NULL and yields NULL.
 * Malformed JSON (written by another tool) yields NULL instead of an error. */
static const char events_sql[] =
    "SELECT customer_id, ts, event, value, channel, session,"
    " CASE WHEN props IS NULL OR NOT json_valid(props) THEN NULL"
    "  ELSE json_extract(props, '$.rating') END"
#define SLOT(n) ", CASE WHEN ?" #n " IS NULL OR props IS NULL OR NOT json_valid(props) THEN NULL" \
                " ELSE json_extract(props, ?" #n ") END"
    SLOT(1) SLOT(2) SLOT(3) SLOT(4) SLOT(5) SLOT(6) SLOT(7) SLOT(8)
#undef SLOT
    " FROM events";

static size_t cust_index(const struct dataset *ds, int64_t id, size_t *hint)
{
    if (*hint < ds->n_customers && ds->cust_id[*hint] == id)
        return *hint;
    size_t lo = 0, hi = ds->n_customers;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ds->cust_id[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < ds->n_customers && ds->cust_id[lo] == id) {
        *hint = lo;
        return lo;
    }
    return (size_t)-1;
}

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
    struct dataset *ds = dataset_new();
    ds->n_props = n_props;
    for (size_t p = 0; p < n_props; p++)
        ds->prop_keys[p] = xstrdup(prop_keys[p]);
    sqlite3_stmt *s = NULL;
    int rc;
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    if (sqlite3_prepare_v2(db, customers_sql, -1, &s, NULL) != SQLITE_OK)
        goto fail;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        add_customer(ds, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
                     (const char *)sqlite3_column_text(s, 2),
                     (const char *)sqlite3_column_text(s, 3),
                     (const char *)sqlite3_column_text(s, 4),
                     (const char *)sqlite3_column_text(s, 5));
    if (rc != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(s);
    if (sqlite3_prepare_v2(db, events_sql, -1, &s, NULL) != SQLITE_OK)
        goto fail;
    for (size_t p = 0; p < n_props; p++)
        sqlite3_bind_text(s, (int)p + 1, prop_path(prop_keys[p]), -1, free);
    size_t hint = 0;
    char canon[64];
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        size_t c = cust_index(ds, sqlite3_column_int64(s, 0), &hint);
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
        size_t i = add_event(ds, c, sqlite3_column_int64(s, 1),
                             (const char *)sqlite3_column_text(s, 2), value,
                             (const char *)sqlite3_column_text(s, 4),
                             (const char *)sqlite3_column_text(s, 5), rating);
        for (size_t p = 0; p < n_props; p++) {
            const char *v = (const char *)sqlite3_column_text(s, 7 + (int)p);
            if (v) {
                const char *cv = dataset_canon(v, canon, sizeof canon);
                if (strlen(v) >= sizeof canon)
                    cv = v;
                ds->prop[p][i] = intern_id(&ds->vals, cv, strlen(cv));
            }
        }
    }
    if (rc != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(s);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    dataset_finish(ds);
    *out = ds;
    return 0;
fail:
    ct_error_set(err, CT_ERR_RUNTIME, store_path(st), 0, 0, "cannot read the events: %s",
                 sqlite3_errmsg(db));
    sqlite3_finalize(s);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    dataset_free(ds);
    return CT_ERR_RUNTIME;
}
