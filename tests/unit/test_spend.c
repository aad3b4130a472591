/*
 * test_spend.c - marketing spend in the store (issue 9): `convtop import
 * --format spend` against a real temporary database (the rules of every
 * import: FILE:LINE for a bad row and nothing written, --skip-bad, a
 * re-import adds nothing; and spend's own: one amount per date, channel and
 * purpose, replaced by a later import, contradicted within one), reading
 * the records back, and the migration of a schema version 1 file.
 */
#include "common.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include "model/civil.h"
#include "model/import.h"
#include "model/mem.h"
#include "model/spend.h"
#include "model/store.h"
#include "model/tz.h"

struct fixture {
    char *dir, *db;
    struct store *st;
    struct import_opts opts;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->dir = test_tmpdir();
    f->db = xasprintf("%s/shop.db", f->dir);
    struct ct_error err;
    assert_int_equal(store_open(f->db, STORE_CREATE, &f->st, NULL, &err), 0);
    f->opts.format = FORMAT_SPEND;
    f->opts.tz = tz_utc();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->st);
    tz_close((struct tz *)f->opts.tz);
    test_rmdir(f->dir);
    free(f->db);
    free(f);
    return 0;
}

static int import_text(struct fixture *f, const char *name, const char *text,
                       struct import_result *res, struct ct_error *err)
{
    char *p = test_write(f->dir, name, text);
    char *paths[] = {p};
    int rc = import_files(f->st, paths, 1, &f->opts, res, err);
    free(p);
    return rc;
}

static void load(struct fixture *f, const char *name, const char *text, struct import_result *res)
{
    struct ct_error err;
    int rc = import_text(f, name, text, res, &err);
    if (rc) {
        char buf[2048];
        ct_error_format(&err, buf, sizeof buf);
        print_error("%s\n", buf);
    }
    assert_int_equal(rc, 0);
}

/* The spend table as "date|channel|purpose|amount" lines, by key. */
static char *dump_spend(struct fixture *f)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_sqlite(f->st),
                                        "SELECT date, channel, purpose, amount FROM spend"
                                        " ORDER BY date, channel, purpose",
                                        -1, &s, NULL),
                     SQLITE_OK);
    struct strbuf sb = {0};
    while (sqlite3_step(s) == SQLITE_ROW)
        sb_printf(&sb, "%s|%s|%s|%g\n", sqlite3_column_text(s, 0), sqlite3_column_text(s, 1),
                  sqlite3_column_text(s, 2), sqlite3_column_double(s, 3));
    sqlite3_finalize(s);
    sb_cstr(&sb);
    return sb_steal(&sb);
}

static void expect_spend(struct fixture *f, const char *want)
{
    char *got = dump_spend(f);
    if (strcmp(got, want) != 0)
        print_error(" got:\n%s\nwant:\n%s\n", got, want);
    assert_string_equal(got, want);
    free(got);
}

static int64_t count(struct fixture *f, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_sqlite(f->st), sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static const char good[] = "\xEF\xBB\xBF"
                           "Date,Channel,Purpose,Amount,Note\r\n"
                           "2024-01,ads,acquisition,1200,launch\r\n"
                           "2024-01-15, email ,Retention,80.50,\r\n"
                           "2024-02,ads,ACQUISITION,0,paused\r\n";

static void test_import_and_read_back(void **state)
{
    struct fixture *f = *state;
    struct import_result res;
    load(f, "spend.csv", good, &res);
    assert_int_equal(res.rows_read, 3);
    assert_int_equal(res.loaded, 3);
    assert_int_equal(res.duplicates, 0);
    assert_int_equal(res.format, FORMAT_SPEND);
    /* trimmed, purposes in lower case, the note ignored */
    expect_spend(f, "2024-01|ads|acquisition|1200\n"
                    "2024-01-15|email|retention|80.5\n"
                    "2024-02|ads|acquisition|0\n");
    /* the import is logged like any other */
    assert_int_equal(count(f, "SELECT count(*) FROM imports WHERE format = 'spend'"), 1);
    struct spend_list l;
    struct ct_error err;
    assert_int_equal(store_spend_list(f->st, &l, &err), 0);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.items[0].first_day, civil_days(2024, 1, 1));
    assert_int_equal(l.items[0].days, 31);
    assert_int_equal(l.items[1].first_day, civil_days(2024, 1, 15));
    assert_int_equal(l.items[1].days, 1);
    assert_int_equal(l.items[1].purpose, SPEND_RETENTION);
    assert_string_equal(l.items[1].channel, "email");
    assert_int_equal(l.items[2].days, 29); /* 2024 is a leap year */
    spend_list_free(&l);
    spend_list_free(NULL);
}

static void test_reimport_replace_conflict(void **state)
{
    struct fixture *f = *state;
    struct import_result res;
    struct ct_error err;
    load(f, "spend.csv", good, &res);
    /* the same rows again: nothing new, nothing changed */
    load(f, "again.csv", good, &res);
    assert_int_equal(res.loaded, 0);
    assert_int_equal(res.duplicates, 3);
    assert_int_equal(count(f, "SELECT count(*) FROM spend"), 3);
    /* a correction: a later import's amount replaces the stored one */
    load(f, "fix.csv", "date,channel,purpose,amount\n2024-01,ads,acquisition,1100\n", &res);
    assert_int_equal(res.loaded, 1);
    expect_spend(f, "2024-01|ads|acquisition|1100\n"
                    "2024-01-15|email|retention|80.5\n"
                    "2024-02|ads|acquisition|0\n");
    /* the same row twice in one file is a duplicate */
    load(f, "twice.csv",
         "date,channel,purpose,amount\n2024-03,ads,acquisition,5\n2024-03,ads,acquisition,5\n",
         &res);
    assert_int_equal(res.loaded, 1);
    assert_int_equal(res.duplicates, 1);
    /* two amounts for one key in one import contradict each other: line 3
     * is refused and nothing of the import is written */
    char *before = dump_spend(f);
    int rc = import_text(f, "clash.csv",
                         "date,channel,purpose,amount\n"
                         "2024-04,ads,acquisition,10\n"
                         "2024-04,ads,acquisition,12\n",
                         &res, &err);
    assert_int_equal(rc, CT_ERR_INPUT);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.msg, "amount 12, but an earlier row of this import gives 10"));
    char *after = dump_spend(f);
    assert_string_equal(after, before);
    free(before);
    free(after);
    /* with --skip-bad the first amount stays and the second is set aside */
    char *rejects = xasprintf("%s/rejects.csv", f->dir);
    f->opts.rejects_path = rejects;
    load(f, "clash2.csv",
         "date,channel,purpose,amount\n2024-04,ads,acquisition,10\n2024-04,ads,acquisition,12\n",
         &res);
    assert_int_equal(res.loaded, 1);
    assert_int_equal(res.rejected, 1);
    assert_int_equal(count(f, "SELECT amount FROM spend WHERE date = '2024-04'"), 10);
    free(rejects);
}

struct bad_case {
    const char *name, *text;
    long line;
    const char *msg;
};

static const struct bad_case bad_cases[] = {
    {"bad-date.csv",
     "date,channel,purpose,amount\n2024-01,ads,acquisition,1\n2024-13,ads,"
     "acquisition,1\n",
     3, "date '2024-13': no such month"},
    {"bad-day.csv", "date,channel,purpose,amount\n2023-02-29,ads,acquisition,1\n", 2,
     "no such day in that month"},
    {"slashes.csv", "date,channel,purpose,amount\n2024/01/05,ads,acquisition,1\n", 2,
     "use YYYY-MM-DD for a day or YYYY-MM for a month"},
    {"old.csv", "date,channel,purpose,amount\n1969-12,ads,acquisition,1\n", 2, "before 1970"},
    {"purpose.csv", "date,channel,purpose,amount\n2024-01,ads,brand,1\n", 2,
     "purpose 'brand': use acquisition or retention"},
    {"nan.csv",
     "date,channel,purpose,amount\n2024-01,ads,acquisition,1\n2024-02,ads,"
     "acquisition,NaN\n",
     3, "amount not a number: 'NaN'"},
    {"inf.csv", "date,channel,purpose,amount\n2024-01,ads,acquisition,1e400\n", 2,
     "not a finite number"},
    {"negative.csv", "date,channel,purpose,amount\n2024-01,ads,acquisition,-5\n", 2,
     "amount '-5' is negative"},
    {"empty-amount.csv", "date,channel,purpose,amount\n2024-01,ads,acquisition,\n", 2,
     "empty amount"},
    {"no-channel.csv", "date,channel,purpose,amount\n2024-01, ,acquisition,3\n", 2,
     "empty channel"},
    {"escape.csv", "date,channel,purpose,amount\n2024-01,a\x1b[2Jb,acquisition,3\n", 2,
     "channel: control character"},
    {"ragged.csv", "date,channel,purpose,amount\n2024-01,ads,acquisition\n", 2,
     "3 fields, but the header has 4"},
    {"missing-column.csv", "date,channel,amount\n2024-01,ads,1\n", 1, "header: no purpose column"},
    {"twice.csv", "date,channel,purpose,amount,amount\n2024-01,ads,acquisition,1,2\n", 1,
     "column 'amount' appears twice"},
};

static void test_bad_files_change_nothing(void **state)
{
    struct fixture *f = *state;
    struct import_result res;
    load(f, "spend.csv", good, &res);
    store_close(f->st);
    f->st = NULL;
    size_t before_len;
    char *before = test_read_file(f->db, &before_len);
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const struct bad_case *b = &bad_cases[i];
        struct ct_error err;
        assert_int_equal(store_open(f->db, 0, &f->st, NULL, &err), 0);
        char *p = xasprintf("%s/%s", f->dir, b->name);
        assert_input_error(import_text(f, b->name, b->text, &res, &err), &err, p, b->line,
                           b->msg);
        store_close(f->st);
        f->st = NULL;
        size_t after_len;
        char *after = test_read_file(f->db, &after_len);
        assert_int_equal(after_len, before_len);
        assert_memory_equal(after, before, before_len);
        free(after);
        free(p);
    }
    free(before);
    struct ct_error err;
    assert_int_equal(store_open(f->db, 0, &f->st, NULL, &err), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM spend"), 3);
}

static void test_skip_bad(void **state)
{
    struct fixture *f = *state;
    char *rejects = xasprintf("%s/rejects.csv", f->dir);
    f->opts.rejects_path = rejects;
    struct import_result res;
    load(f, "mixed.csv",
         "date,channel,purpose,amount\n"
         "2024-01,ads,acquisition,10\n"
         "2024-02-30,ads,acquisition,10\n"
         "2024-02,ads,retention,nan\n"
         "2024-03,ads,retention,7\n",
         &res);
    assert_int_equal(res.rows_read, 4);
    assert_int_equal(res.loaded, 2);
    assert_int_equal(res.rejected, 2);
    expect_spend(f, "2024-01|ads|acquisition|10\n2024-03|ads|retention|7\n");
    size_t len;
    char *got = test_read_file(rejects, &len);
    assert_non_null(strstr(got, ",3,\"date '2024-02-30': no such day in that month\""));
    assert_non_null(strstr(got, ",4,\"amount not a number: 'nan'\""));
    free(got);
    free(rejects);
}

/* A file at schema version 1 (no spend table, the events(event, ts) index)
 * opens at the current version with its events kept and without that
 * index; read-only, it is refused until migrated. */
static void test_migration_from_v1(void **state)
{
    struct fixture *f = *state;
    struct store_writer *w;
    struct ct_error err;
    assert_int_equal(store_writer_begin(f->st, &w, &err), 0);
    struct import_row r = {0};
    r.customer = "c1";
    r.event = "purchase";
    r.ts_ms = TS(2024, 3, 1, 10, 0, 0);
    r.value = 42;
    r.has_value = 1;
    int added;
    assert_int_equal(store_writer_add(w, &r, &added, &err), 0);
    assert_int_equal(store_writer_commit(w, NULL, NULL, &err), 0);
    /* make it what version 1 wrote */
    assert_int_equal(sqlite3_exec(store_sqlite(f->st),
                                  "DROP TABLE spend; CREATE INDEX events_event_ts ON events(event, ts);"
                                  " PRAGMA user_version = 1;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    store_close(f->st);
    f->st = NULL;
    struct store *ro;
    assert_int_equal(store_open(f->db, STORE_READONLY, &ro, NULL, &err), CT_ERR_RUNTIME);
    assert_non_null(strstr(err.msg, "schema version 1"));
    assert_int_equal(store_open(f->db, 0, &f->st, NULL, &err), 0);
    assert_int_equal(store_schema_version(f->st), 3);
    assert_int_equal(STORE_SCHEMA_VERSION, 3);
    assert_int_equal(count(f, "SELECT count(*) FROM sqlite_schema WHERE name = 'events_event_ts'"),
                     0);
    assert_int_equal(count(f, "SELECT count(*) FROM events WHERE value = 42"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM customers WHERE key = 'c1'"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM spend"), 0);
    struct import_result res;
    load(f, "spend.csv", good, &res);
    assert_int_equal(count(f, "SELECT count(*) FROM spend"), 3);
    /* the table refuses what the importer refuses, whoever writes */
    assert_int_not_equal(sqlite3_exec(store_sqlite(f->st),
                                      "INSERT INTO spend (date, channel, purpose, amount)"
                                      " VALUES ('2024-05', 'x', 'brand', 1)",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(store_sqlite(f->st),
                                      "INSERT INTO spend (date, channel, purpose, amount)"
                                      " VALUES ('2024-05', 'x', 'retention', -1)",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    /* a record another tool wrote badly is an error, not a guess */
    assert_int_equal(sqlite3_exec(store_sqlite(f->st),
                                  "INSERT INTO spend (date, channel, purpose, amount)"
                                  " VALUES ('May 2024', 'x', 'retention', 1)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    struct spend_list l;
    assert_int_equal(store_spend_list(f->st, &l, &err), CT_ERR_RUNTIME);
    assert_non_null(strstr(err.msg, "is not valid"));
    assert_int_equal(l.n, 0);
}

static void test_dates(void **state)
{
    (void)state;
    int64_t day;
    int days;
    assert_null(spend_date_parse("2024-02", 7, &day, &days));
    assert_int_equal(days, 29);
    assert_null(spend_date_parse("2023-02", 7, &day, &days));
    assert_int_equal(days, 28);
    assert_null(spend_date_parse("9999-12-31", 10, &day, &days));
    assert_int_equal(days, 1);
    assert_null(spend_date_parse("1970-01", 7, &day, &days));
    assert_int_equal(day, 0);
    assert_non_null(spend_date_parse("2024-1", 6, &day, &days));
    assert_non_null(spend_date_parse("2024-01-1", 9, &day, &days));
    assert_non_null(spend_date_parse("2024-00", 7, &day, &days));
    assert_non_null(spend_date_parse("2024-01-00", 10, &day, &days));
    assert_non_null(spend_date_parse("+024-01", 7, &day, &days));
    enum spend_purpose p;
    assert_int_equal(spend_purpose_parse("Retention", 9, &p), 0);
    assert_int_equal(p, SPEND_RETENTION);
    assert_int_equal(spend_purpose_parse("acq", 3, &p), -1);
    assert_string_equal(spend_purpose_name(SPEND_ACQUISITION), "acquisition");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_import_and_read_back),     T(test_reimport_replace_conflict),
        T(test_bad_files_change_nothing), T(test_skip_bad),
        T(test_migration_from_v1),        cmocka_unit_test(test_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
