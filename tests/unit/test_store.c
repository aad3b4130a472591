/*
 * test_store.c - the SQLite store: creation, modes, schema, writer, lookups.
 */
#include "common.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include "model/civil.h"
#include "model/store.h"

struct fixture {
    char *dir, *path;
    struct store *st;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->dir = test_tmpdir();
    f->path = malloc(strlen(f->dir) + 16);
    sprintf(f->path, "%s/shop.db", f->dir);
    struct ct_error err;
    int created = 0;
    assert_int_equal(store_open(f->path, STORE_CREATE, &f->st, &created, &err), 0);
    assert_true(created);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->st);
    test_rmdir(f->dir);
    free(f->path);
    free(f);
    return 0;
}

static struct import_row row(const char *cust, int64_t ts, const char *event, double value,
                             int has_value)
{
    struct import_row r = {0};
    r.customer = cust;
    r.ts_ms = ts;
    r.event = event;
    r.value = value;
    r.has_value = has_value;
    return r;
}

/* Load a small shop: 3 customers, 6 events, one duplicate. */
static void load(struct store *st)
{
    struct store_writer *w;
    struct ct_error err;
    assert_int_equal(store_writer_begin(st, &w, &err), 0);
    struct import_row rows[7];
    rows[0] = row("c1", TS(2024, 3, 1, 10, 0, 0), "page_view", 0, 0);
    rows[0].email = "Anna.Virtanen@Example.com";
    rows[0].name = "Anna Virtanen";
    rows[0].channel = "social";
    rows[1] = row("c1", TS(2024, 3, 1, 10, 5, 0), "purchase", 40, 1);
    rows[1].channel = "email";
    rows[2] = row("c2", TS(2024, 3, 2, 9, 0, 0), "purchase", 25.5, 1);
    rows[2].email = "bob@example.org";
    rows[2].name = "Bob Smith";
    rows[2].event_id = "order-1";
    rows[3] = row("c3", TS(2024, 3, 3, 9, 0, 0), "page_view", 0, 0);
    rows[4] = row("c1", TS(2024, 2, 28, 8, 0, 0), "page_view", 0, 0); /* earlier, later in file */
    rows[4].channel = "search";
    rows[5] = row("c1", TS(2024, 3, 1, 10, 5, 0), "purchase", 40, 1); /* duplicate of 1 */
    rows[6] = row("c2", TS(2024, 3, 9, 9, 0, 0), "purchase", 99, 1);  /* same id: duplicate */
    rows[6].event_id = "order-1";
    int added, total = 0;
    for (int i = 0; i < 7; i++) {
        assert_int_equal(store_writer_add(w, &rows[i], &added, &err), 0);
        total += added;
    }
    assert_int_equal(total, 5);
    struct writer_stats stats;
    assert_int_equal(store_writer_commit(w, NULL, &stats, &err), 0);
    assert_int_equal(stats.added, 5);
    assert_int_equal(stats.duplicates, 2);
    assert_int_equal(stats.new_customers, 3);
}

static void test_create_mode_and_wal(void **state)
{
    struct fixture *f = *state;
    struct stat sb;
    assert_int_equal(stat(f->path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(store_schema_version(f->st), STORE_SCHEMA_VERSION);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_sqlite(f->st), "PRAGMA journal_mode", -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
    sqlite3_finalize(s);
}

static void test_missing_file(void **state)
{
    struct fixture *f = *state;
    char *p = malloc(strlen(f->dir) + 20);
    sprintf(p, "%s/nothing.db", f->dir);
    struct store *st;
    struct ct_error err;
    assert_int_equal(store_open(p, 0, &st, NULL, &err), CT_ERR_RUNTIME);
    assert_string_equal(err.file, p);
    assert_int_equal(store_open(p, STORE_READONLY | STORE_CREATE, &st, NULL, &err),
                     CT_ERR_RUNTIME);
    assert_int_equal(access(p, F_OK), -1);
    free(p);
}

static void test_readonly_cannot_write(void **state)
{
    struct fixture *f = *state;
    load(f->st);
    struct store *ro;
    struct ct_error err;
    assert_int_equal(store_open(f->path, STORE_READONLY, &ro, NULL, &err), 0);
    assert_true(store_is_readonly(ro));
    struct store_writer *w;
    assert_int_equal(store_writer_begin(ro, &w, &err), CT_ERR_USAGE);
    char *msg = NULL;
    assert_int_not_equal(
        sqlite3_exec(store_sqlite(ro), "DELETE FROM events", NULL, NULL, &msg), SQLITE_OK);
    sqlite3_free(msg);
    struct store_summary sum;
    assert_int_equal(store_summary(ro, "purchase", "refund", &sum, &err), 0);
    assert_int_equal(sum.events, 5);
    store_close(ro);
}

static void test_not_ours_and_newer(void **state)
{
    struct fixture *f = *state;
    char *p = malloc(strlen(f->dir) + 20);
    sprintf(p, "%s/other.db", f->dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    struct store *st;
    struct ct_error err;
    assert_int_equal(store_open(p, 0, &st, NULL, &err), CT_ERR_RUNTIME);
    assert_non_null(strstr(err.msg, "not a convtop database"));
    /* a file from a newer convtop is refused, not touched */
    assert_int_equal(sqlite3_exec(store_sqlite(f->st), "PRAGMA user_version = 99", NULL, NULL,
                                  NULL),
                     SQLITE_OK);
    assert_int_equal(store_open(f->path, 0, &st, NULL, &err), CT_ERR_RUNTIME);
    assert_non_null(strstr(err.msg, "newer"));
    free(p);
}

static void test_migration_from_empty(void **state)
{
    /* A 0-byte file (version 0) gets the whole schema on open. */
    struct fixture *f = *state;
    char *p = malloc(strlen(f->dir) + 20);
    sprintf(p, "%s/empty.db", f->dir);
    FILE *fp = fopen(p, "w");
    fclose(fp);
    struct store *st;
    struct ct_error err;
    assert_int_equal(store_open(p, 0, &st, NULL, &err), 0);
    assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
    store_close(st);
    free(p);
}

static void test_customer_by_key_and_derived(void **state)
{
    struct fixture *f = *state;
    load(f->st);
    struct customer_rec c;
    struct ct_error err;
    assert_int_equal(store_customer_by_key(f->st, "c1", &c, &err), 0);
    assert_string_equal(c.email, "Anna.Virtanen@Example.com");
    assert_string_equal(c.name, "Anna Virtanen");
    /* first seen and acquisition channel come from the earliest event,
     * though it came last in the file */
    assert_int_equal(c.first_seen_ms, TS(2024, 2, 28, 8, 0, 0));
    assert_string_equal(c.channel, "search");
    customer_rec_free(&c);
    assert_int_equal(store_customer_by_key(f->st, "nobody", &c, &err), CT_ERR_NOTFOUND);
    /* a key with SQL in it is just a key */
    assert_int_equal(store_customer_by_key(f->st, "c1' OR '1'='1", &c, &err), CT_ERR_NOTFOUND);
}

static void test_lookups(void **state)
{
    struct fixture *f = *state;
    load(f->st);
    struct customer_list l = {0};
    struct ct_error err;
    assert_int_equal(store_customers_by_email_prefix(f->st, "anna.v", 10, &l, &err), 0);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.items[0].key, "c1");
    customer_list_free(&l);
    assert_int_equal(store_customers_by_email_prefix(f->st, "BOB@", 10, &l, &err), 0);
    assert_int_equal(l.n, 1);
    customer_list_free(&l);
    assert_int_equal(store_customers_by_email_prefix(f->st, "z", 10, &l, &err), 0);
    assert_int_equal(l.n, 0);
    customer_list_free(&l);
    /* name: any word of it */
    assert_int_equal(store_customers_by_name(f->st, "virt", 10, &l, &err), 0);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.items[0].key, "c1");
    customer_list_free(&l);
    assert_int_equal(store_customers_by_name(f->st, "bob", 10, &l, &err), 0);
    assert_int_equal(l.n, 1);
    customer_list_free(&l);
    /* "c" prefixes keys c1-c3 but no name */
    assert_int_equal(store_customers_by_name(f->st, "c", 10, &l, &err), 0);
    assert_int_equal(l.n, 0);
    customer_list_free(&l);
    /* search: key, e-mail and name words together */
    assert_int_equal(store_search_customers(f->st, "c", 10, &l, &err), 0);
    assert_int_equal(l.n, 3);
    customer_list_free(&l);
    assert_int_equal(store_search_customers(f->st, "anna virt", 10, &l, &err), 0);
    assert_int_equal(l.n, 1);
    customer_list_free(&l);
    assert_int_equal(store_search_customers(f->st, "anna smith", 10, &l, &err), 0);
    assert_int_equal(l.n, 0);
    customer_list_free(&l);
    assert_int_equal(store_search_customers(f->st, "c", 2, &l, &err), 0);
    assert_int_equal(l.n, 2);
    customer_list_free(&l);
}

static void test_events(void **state)
{
    struct fixture *f = *state;
    load(f->st);
    struct customer_rec c;
    struct ct_error err;
    assert_int_equal(store_customer_by_key(f->st, "c1", &c, &err), 0);
    struct event_list ev = {0};
    assert_int_equal(store_customer_events(f->st, c.id, &ev, &err), 0);
    assert_int_equal(ev.n, 3);
    assert_int_equal(ev.items[0].ts_ms, TS(2024, 2, 28, 8, 0, 0));
    assert_string_equal(ev.items[2].event, "purchase");
    assert_true(ev.items[2].has_value);
    assert_true(ev.items[2].value == 40);
    assert_false(ev.items[0].has_value);
    event_list_free(&ev);
    customer_rec_free(&c);
    assert_int_equal(store_events_by_name(f->st, "purchase", TS(2024, 3, 1, 0, 0, 0),
                                          TS(2024, 3, 2, 9, 0, 0), &ev, &err),
                     0);
    assert_int_equal(ev.n, 1); /* the end is exclusive */
    event_list_free(&ev);
    assert_int_equal(store_events_by_name(f->st, "purchase", 0, INT64_MAX, &ev, &err), 0);
    assert_int_equal(ev.n, 2);
    assert_string_equal(ev.items[1].event_id, "order-1");
    event_list_free(&ev);
}

static void test_abort_leaves_nothing(void **state)
{
    struct fixture *f = *state;
    load(f->st);
    struct store_writer *w;
    struct ct_error err;
    assert_int_equal(store_writer_begin(f->st, &w, &err), 0);
    struct import_row r = row("c9", TS(2024, 5, 1, 0, 0, 0), "purchase", 1, 1);
    int added;
    assert_int_equal(store_writer_add(w, &r, &added, &err), 0);
    assert_true(added);
    store_writer_abort(w);
    struct store_summary sum;
    assert_int_equal(store_summary(f->st, "purchase", "refund", &sum, &err), 0);
    assert_int_equal(sum.customers, 3);
    assert_int_equal(sum.events, 5);
    assert_int_equal(sum.purchases, 2); /* c1's 40 and c2's 25.5 */
    assert_true(sum.revenue == 40 + 25.5);
}

static void test_reimport_adds_nothing(void **state)
{
    struct fixture *f = *state;
    load(f->st);
    struct store_writer *w;
    struct ct_error err;
    assert_int_equal(store_writer_begin(f->st, &w, &err), 0);
    struct import_row r = row("c1", TS(2024, 3, 1, 10, 5, 0), "purchase", 40, 1);
    int added;
    assert_int_equal(store_writer_add(w, &r, &added, &err), 0);
    assert_false(added);
    /* same customer, time and event but another value: a different event */
    r.value = 41;
    assert_int_equal(store_writer_add(w, &r, &added, &err), 0);
    assert_true(added);
    /* two orders with the same customer, time and total but their own ids */
    struct import_row o = row("c3", TS(2024, 4, 1, 0, 0, 0), "purchase", 10, 1);
    o.event_id = "A1";
    assert_int_equal(store_writer_add(w, &o, &added, &err), 0);
    assert_true(added);
    o.event_id = "A2";
    assert_int_equal(store_writer_add(w, &o, &added, &err), 0);
    assert_true(added);
    struct writer_stats stats;
    assert_int_equal(store_writer_commit(w, NULL, &stats, &err), 0);
    assert_int_equal(stats.added, 3);
    assert_int_equal(stats.duplicates, 1);
    assert_int_equal(stats.new_customers, 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_create_mode_and_wal), T(test_missing_file),        T(test_readonly_cannot_write),
        T(test_not_ours_and_newer),  T(test_migration_from_empty), T(test_customer_by_key_and_derived),
        T(test_lookups),             T(test_events),               T(test_abort_leaves_nothing),
        T(test_reimport_adds_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
