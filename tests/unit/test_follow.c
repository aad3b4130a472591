/*
 * test_follow.c - import --follow's engine (model/follow.c) without a
 * terminal: batches of at most batch_rows rows, a pipe read to its end, a
 * line without its end left out at a stop, a bad row that keeps the rows
 * before it, rejects appended, and the one import log row with totals.
 */
#include "common.h"

#include <fcntl.h>
#include <sqlite3.h>

#include "model/civil.h"
#include "model/follow.h"
#include "model/store.h"
#include "model/tz.h"

struct fixture {
    char *dir, *db;
    struct store *st;
    struct follow_opts o;
    volatile sig_atomic_t stop;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->dir = test_tmpdir();
    f->db = malloc(strlen(f->dir) + 16);
    sprintf(f->db, "%s/shop.db", f->dir);
    struct ct_error err;
    assert_int_equal(store_open(f->db, STORE_CREATE, &f->st, NULL, &err), 0);
    f->o.tz = tz_utc();
    f->o.stop = &f->stop;
    f->o.poll_ms = 20;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->st);
    tz_close((struct tz *)f->o.tz);
    test_rmdir(f->dir);
    free(f->db);
    free(f);
    return 0;
}

static int64_t sql_int(struct fixture *f, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* Run import_follow on text fed through a pipe on standard input. */
static int follow_pipe(struct fixture *f, const char *text, struct follow_status *res,
                       struct ct_error *err)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    /* small enough for the pipe buffer: written whole before reading */
    assert_true(strlen(text) < 4096);
    assert_int_equal(write(p[1], text, strlen(text)), (ssize_t)strlen(text));
    close(p[1]);
    int saved = dup(STDIN_FILENO);
    dup2(p[0], STDIN_FILENO);
    close(p[0]);
    int rc = import_follow(f->st, "-", &f->o, res, err);
    dup2(saved, STDIN_FILENO);
    close(saved);
    return rc;
}

static const char five[] = "customer,ts,event,value\n"
                           "a,2026-11-01T10:00:00Z,visit,\n"
                           "a,2026-11-01T10:01:00Z,purchase,10\n"
                           "b,2026-11-01T10:02:00Z,visit,\n"
                           "b,2026-11-01T10:03:00Z,visit,\n"
                           "c,2026-11-01T10:04:00Z,visit,\n";

static void test_pipe_in_batches(void **state)
{
    struct fixture *f = *state;
    f->o.batch_rows = 2;
    struct follow_status res;
    struct ct_error err;
    assert_int_equal(follow_pipe(f, five, &res, &err), 0);
    assert_int_equal(res.rows_read, 5);
    assert_int_equal(res.loaded, 5);
    assert_int_equal(res.batches, 3); /* 2 + 2 + 1 */
    assert_int_equal(res.format, FORMAT_CSV);
    assert_int_equal(res.last_ts, TS(2026, 11, 1, 10, 4, 0));
    assert_int_equal(sql_int(f, "SELECT count(*) FROM events"), 5);
    /* one log row, with the totals of the three commits */
    assert_int_equal(sql_int(f, "SELECT count(*) FROM imports"), 1);
    assert_int_equal(sql_int(f, "SELECT loaded FROM imports"), 5);
    assert_int_equal(sql_int(f, "SELECT rows_read FROM imports"), 5);

    /* again: all duplicates, nothing added */
    assert_int_equal(follow_pipe(f, five, &res, &err), 0);
    assert_int_equal(res.loaded, 0);
    assert_int_equal(res.duplicates, 5);
    assert_int_equal(sql_int(f, "SELECT count(*) FROM events"), 5);
}

static void test_bad_row_keeps_rows_before(void **state)
{
    struct fixture *f = *state;
    struct follow_status res;
    struct ct_error err;
    const char *text = "{\"customer\":\"a\",\"ts\":\"2026-11-01T10:00:00Z\",\"event\":\"visit\"}\n"
                       "{\"customer\":\"b\",\"ts\":\"2026-11-01T10:01:00Z\",\"event\":\"visit\"}\n"
                       "{\"customer\":\"c\",\"ts\":\"soon\",\"event\":\"visit\"}\n"
                       "{\"customer\":\"d\",\"ts\":\"2026-11-01T10:03:00Z\",\"event\":\"visit\"}\n";
    assert_int_equal(follow_pipe(f, text, &res, &err), CT_ERR_INPUT);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.msg, "rows before it were imported"));
    assert_int_equal(res.format, FORMAT_NDJSON);
    assert_int_equal(res.loaded, 2);
    assert_int_equal(sql_int(f, "SELECT count(*) FROM events"), 2);

    /* with a rejects file it goes on, and appends to what was there */
    char *rj = test_write(f->dir, "rejects.csv", "file,line,reason,raw\n\"x\",1,\"old\",\"\"\n");
    f->o.rejects_path = rj;
    assert_int_equal(follow_pipe(f, text, &res, &err), 0);
    assert_int_equal(res.loaded, 1);
    assert_int_equal(res.duplicates, 2);
    assert_int_equal(res.rejected, 1);
    FILE *in = fopen(rj, "r");
    char line[512];
    int n = 0, old = 0, soon = 0;
    while (fgets(line, sizeof line, in)) {
        n++;
        old += strstr(line, "\"old\"") != NULL;
        soon += strstr(line, "<stdin>\",3,") != NULL;
    }
    fclose(in);
    assert_int_equal(n, 3);
    assert_int_equal(old, 1);
    assert_int_equal(soon, 1);
    free(rj);
}

/* The follow stops as soon as its first batch is in. */
static void stop_after_batch(void *ctx, enum follow_event ev, const struct follow_status *st)
{
    (void)st;
    if (ev == FOLLOW_BATCH)
        *(volatile sig_atomic_t *)ctx = 1;
}

static void test_stop_leaves_half_line_out(void **state)
{
    struct fixture *f = *state;
    char *path = test_write(f->dir, "ev.csv",
                            "customer,ts,event,value\n"
                            "a,2026-11-01T10:00:00Z,visit,\n"
                            "a,2026-11-01T10:01:00Z,purchase,1"); /* still being written */
    f->o.note = stop_after_batch;
    f->o.note_ctx = (void *)&f->stop;
    struct follow_status res;
    struct ct_error err;
    assert_int_equal(import_follow(f->st, path, &f->o, &res, &err), 0);
    assert_int_equal(res.rows_read, 1);
    assert_int_equal(sql_int(f, "SELECT count(*) FROM events"), 1);
    free(path);
}

static void test_refusals(void **state)
{
    struct fixture *f = *state;
    struct follow_status res;
    struct ct_error err;
    f->o.format = FORMAT_SHOPIFY;
    assert_int_equal(import_follow(f->st, "-", &f->o, &res, &err), CT_ERR_USAGE);
    f->o.format = FORMAT_AUTO;
    char *missing = malloc(strlen(f->dir) + 16);
    sprintf(missing, "%s/missing.csv", f->dir);
    assert_int_equal(import_follow(f->st, missing, &f->o, &res, &err), CT_ERR_RUNTIME);
    assert_non_null(strstr(err.msg, "cannot open"));
    free(missing);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pipe_in_batches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_row_keeps_rows_before, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_leaves_half_line_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
