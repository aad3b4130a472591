/*
 * store.c - opening the store and every read query (SPEC 3.1).
 *
 * Owns the connection: WAL, busy timeout, mode 0600 on creation, read-only.
 * Values reach SQL only through sqlite3_bind_*.  Prints nothing.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/mem.h"
#include "model/schema.h"
#include "model/store_int.h"
#include "model/text.h"

int store_fail(struct store *st, struct ct_error *err, const char *what)
{
    return ct_error_set(err, CT_ERR_RUNTIME, st->path, 0, 0, "%s: %s", what,
                        sqlite3_errmsg(st->db));
}

int store_prepare(struct store *st, const char *sql, sqlite3_stmt **out, struct ct_error *err)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK) {
        *out = NULL;
        return store_fail(st, err, "cannot read the database");
    }
    return 0;
}

char *store_col_text(sqlite3_stmt *s, int col)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    return t ? xstrndup((const char *)t, (size_t)sqlite3_column_bytes(s, col)) : NULL;
}

/* mkdir -p for the directory part of path, mode 0700 for new directories. */
static int make_parent_dirs(const char *path)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) {
        free(dir);
        return 0;
    }
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            free(dir);
            return -1;
        }
        *p = '/';
    }
    int rc = (mkdir(dir, 0700) != 0 && errno != EEXIST) ? -1 : 0;
    free(dir);
    return rc;
}

/* Two processes that find the same new, empty file (two imports started
 * together, an import and the TUI) would both set it up (page size, WAL,
 * schema) and trip over each other's locks.  Whoever finds it empty does
 * the set-up holding an exclusive flock on it (SQLite's own locks are
 * fcntl locks, which this does not touch), and looks again once it holds
 * it: a file that is no longer empty was set up meanwhile.  Returns the
 * descriptor holding the lock (see struct store), or -1. */
static int setup_lock(const char *path, int *empty)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0)
        return -1;
    if (flock(fd, LOCK_EX) != 0 || fstat(fd, &sb) != 0) {
        close(fd);
        return -1;
    }
    *empty = sb.st_size == 0;
    return fd;
}

/* SQLite counts every allocation under a global mutex unless told not to;
 * nothing here reads those counts, and an import allocates per row.  Must
 * precede the library's first use; later it is refused, harmlessly. */
static void configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store_open(const char *path, unsigned flags, struct store **out, int *created,
               struct ct_error *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, configure_sqlite);
    *out = NULL;
    if (created)
        *created = 0;
    int ro = (flags & STORE_READONLY) != 0;
    int empty = 0; /* no database in the file yet: its page size can be chosen */
    struct stat sb;
    int have = stat(path, &sb) == 0;
    if (!have) {
        if (errno != ENOENT || ro || !(flags & STORE_CREATE))
            return ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0,
                                "no database here (import data with 'convtop import --db %s "
                                "FILE', or try 'convtop --demo')",
                                path);
        if (make_parent_dirs(path) != 0)
            return ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0,
                                "cannot create the folder for the database: %s",
                                strerror(errno));
        int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            close(fd);
            empty = 1;
            if (created)
                *created = 1;
        } else if (errno == EEXIST && stat(path, &sb) == 0) {
            have = 1; /* another process made it meanwhile: open theirs */
        } else {
            return ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0, "cannot create: %s",
                                strerror(errno));
        }
    }
    if (have && S_ISDIR(sb.st_mode))
        return ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0, "is a folder, not a database file");
    if (have)
        empty = sb.st_size == 0;
    struct store *st = xcalloc(1, sizeof *st);
    st->path = xstrdup(path);
    st->readonly = ro;
    st->setup_fd = -1;
    int oflags = (ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &st->db, oflags, NULL) != SQLITE_OK) {
        ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0, "cannot open: %s",
                     st->db ? sqlite3_errmsg(st->db) : "out of memory");
        store_close(st);
        return CT_ERR_RUNTIME;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, 10000);
    int rc = 0;
    if (!ro) {
        st->setup_fd = empty ? setup_lock(path, &empty) : -1;
        char *msg = NULL;
        /* 16 KiB pages: an import of a million rows runs about 10% faster
         * than with 4 KiB (fewer, fuller b-tree pages to split and to log),
         * and a full read of the events no slower.  Only a new file takes
         * it; WAL fixes the size from then on. */
        if (empty)
            sqlite3_exec(st->db, "PRAGMA page_size = 16384", NULL, NULL, NULL);
        if (sqlite3_exec(st->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL,
                         NULL, &msg) != SQLITE_OK) {
            rc = ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0, "not a usable database: %s",
                              msg ? msg : "?");
            sqlite3_free(msg);
        } else if (schema_version(st->db) != STORE_SCHEMA_VERSION) {
            rc = schema_migrate(st->db, path, err);
        }
        if (st->setup_fd >= 0)
            flock(st->setup_fd, LOCK_UN);
    } else {
        sqlite3_exec(st->db, "PRAGMA query_only=1", NULL, NULL, NULL);
        int v = schema_version(st->db);
        if (v < 0)
            rc = ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0, "not a database: %s",
                              sqlite3_errmsg(st->db));
        else if (v == 0)
            rc = ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0,
                              "not a convtop database (or an empty one)");
        else if (v != STORE_SCHEMA_VERSION)
            rc = ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0,
                              "database schema version %d; open it once without --read-only "
                              "to migrate it to version %d",
                              v, STORE_SCHEMA_VERSION);
    }
    if (rc) {
        store_close(st);
        return rc;
    }
    *out = st;
    return 0;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    sqlite3_close_v2(st->db);
    if (st->setup_fd >= 0)
        close(st->setup_fd);
    free(st->path);
    free(st);
}

const char *store_path(const struct store *st)
{
    return st->path;
}

int store_is_readonly(const struct store *st)
{
    return st->readonly;
}

struct sqlite3 *store_sqlite(struct store *st)
{
    return st->db;
}

int store_schema_version(struct store *st)
{
    return schema_version(st->db);
}

/* --- customers --------------------------------------------------------- */

#define CUSTOMER_COLS "id, key, email, name, channel, country, first_seen"

void customer_rec_free(struct customer_rec *c)
{
    if (!c)
        return;
    free(c->key);
    free(c->email);
    free(c->name);
    free(c->channel);
    free(c->country);
    memset(c, 0, sizeof *c);
}

void customer_list_free(struct customer_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        customer_rec_free(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

static void read_customer(sqlite3_stmt *s, struct customer_rec *c)
{
    c->id = sqlite3_column_int64(s, 0);
    c->key = store_col_text(s, 1);
    c->email = store_col_text(s, 2);
    c->name = store_col_text(s, 3);
    c->channel = store_col_text(s, 4);
    c->country = store_col_text(s, 5);
    c->first_seen_ms =
        sqlite3_column_type(s, 6) == SQLITE_NULL ? INT64_MIN : sqlite3_column_int64(s, 6);
}

/* Step s to the end, appending each customer; finalizes s. */
static int collect_customers(struct store *st, sqlite3_stmt *s, struct customer_list *out,
                             struct ct_error *err)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 16;
            out->items = xreallocarray(out->items, out->cap, sizeof *out->items);
        }
        read_customer(s, &out->items[out->n++]);
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : store_fail(st, err, "cannot read customers");
}

static int customer_one(struct store *st, sqlite3_stmt *s, struct customer_rec *out,
                        struct ct_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        read_customer(s, out);
        sqlite3_finalize(s);
        return 0;
    }
    sqlite3_finalize(s);
    if (rc == SQLITE_DONE)
        return CT_ERR_NOTFOUND;
    return store_fail(st, err, "cannot read customers");
}

int store_customer_by_key(struct store *st, const char *key, struct customer_rec *out,
                          struct ct_error *err)
{
    static const char sql[] = "SELECT " CUSTOMER_COLS " FROM customers WHERE key = ?1";
    sqlite3_stmt *s;
    if (store_prepare(st, sql, &s, err))
        return err->code;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
    return customer_one(st, s, out, err);
}

int store_customer_by_id(struct store *st, int64_t id, struct customer_rec *out,
                         struct ct_error *err)
{
    static const char sql[] = "SELECT " CUSTOMER_COLS " FROM customers WHERE id = ?1";
    sqlite3_stmt *s;
    if (store_prepare(st, sql, &s, err))
        return err->code;
    sqlite3_bind_int64(s, 1, id);
    return customer_one(st, s, out, err);
}

/* The smallest string greater than every string with this prefix, for
 * index range scans: increment the last byte that can be incremented. */
static char *prefix_end(const char *prefix)
{
    char *end = xstrdup(prefix);
    size_t n = strlen(end);
    while (n > 0 && (unsigned char)end[n - 1] == 0xFF)
        end[--n] = '\0';
    if (n > 0)
        end[n - 1]++;
    return end;
}

int store_customers_by_email_prefix(struct store *st, const char *prefix, size_t limit,
                                    struct customer_list *out, struct ct_error *err)
{
    static const char sql[] = "SELECT " CUSTOMER_COLS " FROM customers"
                              " WHERE email >= ?1 COLLATE NOCASE AND email < ?2 COLLATE NOCASE"
                              " ORDER BY email COLLATE NOCASE, key LIMIT ?3";
    sqlite3_stmt *s;
    if (store_prepare(st, sql, &s, err))
        return err->code;
    char *lo = text_fold(prefix, strlen(prefix));
    char *hi = prefix_end(lo);
    sqlite3_bind_text(s, 1, lo, -1, free);
    sqlite3_bind_text(s, 2, hi, -1, free);
    sqlite3_bind_int64(s, 3, (int64_t)limit);
    return collect_customers(st, s, out, err);
}

/* Customers having a term for each word of words (already folded): the
 * first `limit` in the order of the first word's terms, so a one-letter
 * query reads `limit` index entries, not every customer it matches. */
static int search_terms(struct store *st, char **words, size_t n, size_t limit,
                        struct customer_list *out, struct ct_error *err)
{
    /* One range scan on the first word; the other words filter it.  The
     * fragment is fixed text: the words only ever arrive as parameters. */
    static const char sql1[] =
        "SELECT " CUSTOMER_COLS " FROM customers WHERE id IN ("
        "  SELECT DISTINCT customer_id FROM customer_terms t"
        "  WHERE term >= ?1 AND term < ?2"
        "  AND (?3 IS NULL OR EXISTS (SELECT 1 FROM customer_terms u"
        "      WHERE u.customer_id = t.customer_id AND u.term >= ?3 AND u.term < ?4))"
        "  AND (?5 IS NULL OR EXISTS (SELECT 1 FROM customer_terms v"
        "      WHERE v.customer_id = t.customer_id AND v.term >= ?5 AND v.term < ?6))"
        "  LIMIT ?7)"
        " ORDER BY key";
    sqlite3_stmt *s;
    if (store_prepare(st, sql1, &s, err))
        return err->code;
    for (size_t i = 0; i < 3 && i < n; i++) {
        sqlite3_bind_text(s, (int)(2 * i + 1), words[i], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, (int)(2 * i + 2), prefix_end(words[i]), -1, free);
    }
    sqlite3_bind_int64(s, 7, (int64_t)limit);
    return collect_customers(st, s, out, err);
}

static size_t split_words(char *q, char **words, size_t max)
{
    size_t n = 0;
    for (char *tok = strtok(q, " \t"); tok && n < max; tok = strtok(NULL, " \t"))
        words[n++] = tok;
    return n;
}

int store_search_customers(struct store *st, const char *query, size_t limit,
                           struct customer_list *out, struct ct_error *err)
{
    char *q = text_fold(query, strlen(query));
    char *words[3];
    size_t n = split_words(q, words, 3);
    int rc = 0;
    if (n > 0)
        rc = search_terms(st, words, n, limit, out, err);
    free(q);
    return rc;
}

int store_customers_by_name(struct store *st, const char *prefix, size_t limit,
                            struct customer_list *out, struct ct_error *err)
{
    /* Name words are terms; so are keys and e-mails, which a name search
     * must not match, hence the check against the name itself. */
    static const char sql[] =
        "SELECT " CUSTOMER_COLS " FROM customers WHERE id IN ("
        "  SELECT customer_id FROM customer_terms WHERE term >= ?1 AND term < ?2)"
        " AND name IS NOT NULL ORDER BY name COLLATE NOCASE, key LIMIT ?3";
    sqlite3_stmt *s;
    if (store_prepare(st, sql, &s, err))
        return err->code;
    char *lo = text_fold(prefix, strlen(prefix));
    sqlite3_bind_text(s, 1, lo, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, prefix_end(lo), -1, free);
    /* over-fetch: key and e-mail terms share the index and are dropped below */
    sqlite3_bind_int64(s, 3, (int64_t)limit * 4 + 16);
    free(lo);
    struct customer_list all = {0};
    int rc = collect_customers(st, s, &all, err);
    if (rc)
        return rc;
    /* keep those where a word of the name has the prefix */
    char *p = text_fold(prefix, strlen(prefix));
    size_t plen = strlen(p);
    for (size_t i = 0; i < all.n; i++) {
        char *name = text_fold(all.items[i].name, strlen(all.items[i].name));
        int hit = 0;
        for (char *w = name; *w && !hit;) {
            while (*w == ' ')
                w++;
            if (strncmp(w, p, plen) == 0 && *w)
                hit = 1;
            while (*w && *w != ' ')
                w++;
        }
        free(name);
        if (hit && out->n < limit) {
            if (out->n == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 16;
                out->items = xreallocarray(out->items, out->cap, sizeof *out->items);
            }
            out->items[out->n++] = all.items[i];
            memset(&all.items[i], 0, sizeof all.items[i]);
        }
    }
    free(p);
    customer_list_free(&all);
    return 0;
}

/* --- events ------------------------------------------------------------ */

#define EVENT_COLS "id, customer_id, ts, event, value, channel, session, event_id, props"

void event_list_free(struct event_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        struct event_rec *e = &l->items[i];
        free(e->event);
        free(e->channel);
        free(e->session);
        free(e->event_id);
        free(e->props);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

static int collect_events(struct store *st, sqlite3_stmt *s, struct event_list *out,
                          struct ct_error *err)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 64;
            out->items = xreallocarray(out->items, out->cap, sizeof *out->items);
        }
        struct event_rec *e = &out->items[out->n++];
        e->id = sqlite3_column_int64(s, 0);
        e->customer_id = sqlite3_column_int64(s, 1);
        e->ts_ms = sqlite3_column_int64(s, 2);
        e->event = store_col_text(s, 3);
        if (!e->event)
            e->event = xstrdup("");
        e->has_value = sqlite3_column_type(s, 4) != SQLITE_NULL;
        e->value = e->has_value ? sqlite3_column_double(s, 4) : 0;
        e->channel = store_col_text(s, 5);
        e->session = store_col_text(s, 6);
        e->event_id = store_col_text(s, 7);
        e->props = store_col_text(s, 8);
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : store_fail(st, err, "cannot read events");
}

int store_customer_events(struct store *st, int64_t customer_id, struct event_list *out,
                          struct ct_error *err)
{
    static const char sql[] =
        "SELECT " EVENT_COLS " FROM events WHERE customer_id = ?1 ORDER BY ts, id";
    sqlite3_stmt *s;
    if (store_prepare(st, sql, &s, err))
        return err->code;
    sqlite3_bind_int64(s, 1, customer_id);
    return collect_events(st, s, out, err);
}

int store_events_by_name(struct store *st, const char *name, int64_t from_ms, int64_t to_ms,
                         struct event_list *out, struct ct_error *err)
{
    static const char sql[] = "SELECT " EVENT_COLS " FROM events"
                              " WHERE event = ?1 AND ts >= ?2 AND ts < ?3 ORDER BY ts, id";
    sqlite3_stmt *s;
    if (store_prepare(st, sql, &s, err))
        return err->code;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, from_ms);
    sqlite3_bind_int64(s, 3, to_ms);
    return collect_events(st, s, out, err);
}

int store_summary(struct store *st, const char *purchase, const char *refund,
                  struct store_summary *out, struct ct_error *err)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM customers),"
        " (SELECT count(*) FROM events),"
        " (SELECT count(*) FROM events WHERE event = ?1),"
        " (SELECT count(*) FROM events WHERE event = ?2),"
        " (SELECT min(ts) FROM events), (SELECT max(ts) FROM events),"
        " (SELECT total(value) FROM events WHERE event = ?1)";
    sqlite3_stmt *s;
    memset(out, 0, sizeof *out);
    if (store_prepare(st, sql, &s, err))
        return err->code;
    sqlite3_bind_text(s, 1, purchase, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, refund, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->customers = sqlite3_column_int64(s, 0);
        out->events = sqlite3_column_int64(s, 1);
        out->purchases = sqlite3_column_int64(s, 2);
        out->refunds = sqlite3_column_int64(s, 3);
        out->first_ms = sqlite3_column_int64(s, 4);
        out->last_ms = sqlite3_column_int64(s, 5);
        out->revenue = sqlite3_column_double(s, 6);
    }
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 0 : store_fail(st, err, "cannot read the summary");
}

int store_newest_ts(struct store *st, int64_t *out, struct ct_error *err)
{
    static const char sql[] = "SELECT max(ts) FROM events";
    sqlite3_stmt *s;
    *out = 0;
    if (store_prepare(st, sql, &s, err))
        return err->code;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 0 : store_fail(st, err, "cannot read events");
}

int store_identity(struct store *st, struct store_identity *out, struct ct_error *err)
{
    static const char sql[] =
        "SELECT (SELECT value FROM meta WHERE key = 'generation'),"
        " (SELECT value FROM meta WHERE key = 'rewrites'),"
        " (SELECT ifnull(max(id), 0) FROM events), (SELECT ifnull(max(id), 0) FROM customers)";
    sqlite3_stmt *s;
    memset(out, 0, sizeof *out);
    if (store_prepare(st, sql, &s, err))
        return err->code;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->generation = sqlite3_column_int64(s, 0);
        out->rewrites = sqlite3_column_int64(s, 1);
        out->max_event_id = sqlite3_column_int64(s, 2);
        out->max_customer_id = sqlite3_column_int64(s, 3);
    }
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 0 : store_fail(st, err, "cannot read the database");
}

int store_demo_next_index(struct store *st, int64_t *out, struct ct_error *err)
{
    static const char sql[] = "SELECT ifnull(max(CAST(substr(key, 2) AS INTEGER)) + 1, 0)"
                              " FROM customers WHERE key GLOB 'c[0-9]*'";
    sqlite3_stmt *s;
    *out = 0;
    if (store_prepare(st, sql, &s, err))
        return err->code;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 0 : store_fail(st, err, "cannot read customers");
}

int store_data_version(struct store *st, int64_t *out)
{
    sqlite3_stmt *s;
    *out = 0;
    if (sqlite3_prepare_v2(st->db, "PRAGMA data_version", -1, &s, NULL) != SQLITE_OK)
        return CT_ERR_RUNTIME;
    if (sqlite3_step(s) == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return 0;
}
