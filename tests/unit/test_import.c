/*
 * test_import.c - convtop import against a real temporary database: event
 * CSV, NDJSON, gzip, order exports (UCI Online Retail, Shopify, a config
 * mapping), bad rows, rejects, de-duplication and the all-or-nothing rule.
 *
 * Expected tables are written out in full as "key|time|event|value|..."
 * lines, worked out by hand from the tiny input files above them.
 */
#include "common.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <zlib.h>

#include "model/civil.h"
#include "model/config.h"
#include "model/import.h"
#include "model/import_int.h"
#include "model/mem.h"
#include "model/store.h"
#include "model/tz.h"

struct fixture {
    char *dir, *db;
    struct store *st;
    struct tz *tz;
    struct import_opts opts;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->dir = test_tmpdir();
    f->db = malloc(strlen(f->dir) + 16);
    sprintf(f->db, "%s/shop.db", f->dir);
    struct ct_error err;
    assert_int_equal(store_open(f->db, STORE_CREATE, &f->st, NULL, &err), 0);
    f->tz = tz_utc();
    f->opts.format = FORMAT_AUTO;
    f->opts.tz = f->tz;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->st);
    tz_close(f->tz);
    test_rmdir(f->dir);
    free(f->db);
    free(f);
    return 0;
}

/* --- helpers ----------------------------------------------------------- */

static char *path_in(struct fixture *f, const char *name)
{
    char *p = malloc(strlen(f->dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", f->dir, name);
    return p;
}

static char *write_n(struct fixture *f, const char *name, const char *data, size_t len)
{
    char *p = path_in(f, name);
    FILE *fp = fopen(p, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    fclose(fp);
    return p;
}

static char *write_text(struct fixture *f, const char *name, const char *text)
{
    return write_n(f, name, text, strlen(text));
}

static char *write_gz(struct fixture *f, const char *name, const char *data)
{
    char *p = path_in(f, name);
    gzFile gz = gzopen(p, "wb");
    assert_non_null(gz);
    size_t len = strlen(data);
    if (len)
        assert_int_equal(gzwrite(gz, data, (unsigned)len), (int)len);
    assert_int_equal(gzclose(gz), Z_OK);
    return p;
}

static int import_n(struct fixture *f, char **paths, size_t n, struct import_result *res,
                    struct ct_error *err)
{
    ct_error_clear(err);
    return import_files(f->st, paths, n, &f->opts, res, err);
}

static int import1(struct fixture *f, char *path, struct import_result *res, struct ct_error *err)
{
    return import_n(f, &path, 1, res, err);
}

/* Import text written to dir/name and expect success. */
static void load_text(struct fixture *f, const char *name, const char *text,
                      struct import_result *res)
{
    char *p = write_n(f, name, text, strlen(text));
    struct ct_error err;
    int rc = import1(f, p, res, &err);
    if (rc) {
        char buf[2048];
        ct_error_format(&err, buf, sizeof buf);
        print_error("%s\n", buf);
    }
    assert_int_equal(rc, 0);
    free(p);
}

static int64_t q_int(struct fixture *f, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_sqlite(f->st), sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* The rows of sql as "a|b|c" lines, NULL shown as nothing. */
static char *dump(struct fixture *f, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_sqlite(f->st), sql, -1, &s, NULL), SQLITE_OK);
    struct strbuf sb = {0};
    while (sqlite3_step(s) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(s); i++) {
            const unsigned char *t = sqlite3_column_text(s, i);
            if (i)
                sb_addc(&sb, '|');
            sb_adds(&sb, t ? (const char *)t : "");
        }
        sb_addc(&sb, '\n');
    }
    sqlite3_finalize(s);
    sb_cstr(&sb);
    return sb_steal(&sb);
}

static void expect_rows(struct fixture *f, const char *sql, const char *want)
{
    char *got = dump(f, sql);
    if (strcmp(got, want) != 0)
        print_error(" got:\n%s\nwant:\n%s\n", got, want);
    assert_string_equal(got, want);
    free(got);
}

/* Every event as "key|ts|event|value|channel|session|event_id|props", by
 * key, time, import order. */
static void expect_events(struct fixture *f, const char *want)
{
    expect_rows(f,
                "SELECT c.key, e.ts, e.event, e.value, e.channel, e.session, e.event_id, e.props"
                " FROM events e JOIN customers c ON c.id = e.customer_id"
                " ORDER BY c.key, e.ts, e.id",
                want);
}

/* Every customer as "key|email|name|country|channel". */
static void expect_customers(struct fixture *f, const char *want)
{
    expect_rows(f, "SELECT key, email, name, country, channel FROM customers ORDER BY key", want);
}

static void reopen(struct fixture *f)
{
    struct ct_error err;
    store_close(f->st);
    assert_int_equal(store_open(f->db, 0, &f->st, NULL, &err), 0);
}

/* --- event CSV --------------------------------------------------------- */

static void test_event_csv_aliases(void **state)
{
    struct fixture *f = *state;
    struct import_result res;
    /* mixed-case aliases; Color and Note become properties; the unix time
     * 1709290800 is 2024-03-01T11:00:00Z */
    load_text(f, "events.csv",
              "User_ID,Timestamp,Event_Type,Revenue,UTM_Source,Session_ID,Email,Name,Color,Note\n"
              "u1,2024-03-01T10:00:00Z,page_view,,google,s1,Anna@Example.com,Anna V,red,\n"
              "u1,2024-03-01 12:00:00,purchase,19.90,,s1,,,blue,\"said \"\"hi\"\", then\n"
              "left\"\n"
              "u2,1709290800,signup,-0.5,,,,,,\n",
              &res);
    assert_int_equal(res.rows_read, 3);
    assert_int_equal(res.loaded, 3);
    assert_int_equal(res.new_customers, 2);
    assert_int_equal(res.format, FORMAT_CSV);
    expect_events(f, "u1|1709287200000|page_view||google|s1||{\"Color\":\"red\"}\n"
                     "u1|1709294400000|purchase|19.9||s1||"
                     "{\"Color\":\"blue\",\"Note\":\"said \\\"hi\\\", then\\nleft\"}\n"
                     "u2|1709290800000|signup|-0.5||||\n");
    expect_customers(f, "u1|Anna@Example.com|Anna V||google\n"
                        "u2||||\n");
}

static void test_event_csv_name_column(void **state)
{
    struct fixture *f = *state;
    struct import_result res;
    /* without an event column, "name" is the event */
    load_text(f, "a.csv", "customer,ts,name\nc1,2024-01-01,signup\n", &res);
    /* with one, "name" is the customer's name; other aliases too */
    load_text(f, "b.csv",
              "visitor_id,event_time,event,name,amount,source,event_id,country,"
              "acquisition_channel\n"
              "c2,2024-01-02T00:00:00+02:00,signup,Bob Smith,1e2,ads,E-1,SE,partner\n",
              &res);
    expect_events(f, "c1|1704067200000|signup|||||\n"
                     "c2|1704146400000|signup|100.0|ads||E-1|\n");
    expect_customers(f, "c1||||\nc2||Bob Smith|SE|partner\n");
}

static void test_event_csv_bom_crlf_tz(void **state)
{
    struct fixture *f = *state;
    struct import_result res;
    struct ct_error err;
    tz_close(f->tz);
    assert_int_equal(tz_open("Europe/Helsinki", &f->tz, &err), 0);
    f->opts.tz = f->tz;
    /* local times in Helsinki: UTC+2 in March, UTC+3 in July */
    load_text(f, "tz.csv",
              "\xEF\xBB\xBF"
              "customer,ts,event\r\n"
              "c1,2024-03-01 12:00,visit\r\n"
              "c1,2024-07-01 12:00:00,visit\r\n"
              "c1,2024-07-01T12:00:00Z,visit\r\n",
              &res);
    assert_int_equal(res.loaded, 3);
    expect_events(f, "c1|1709287200000|visit|||||\n"
                     "c1|1719824400000|visit|||||\n"
                     "c1|1719835200000|visit|||||\n");
}

static void test_reimport_and_duplicates(void **state)
{
    struct fixture *f = *state;
    struct import_result res;
    const char *text = "customer,ts,event,value,event_id\n"
                       "c1,2024-01-01,view,,\n"
                       "c1,2024-01-01,view,,\n" /* the same row twice: one event */
                       "c1,2024-01-02,purchase,10,o1\n"
                       "c2,2024-01-03,purchase,10,o2\n";
    load_text(f, "d.csv", text, &res);
    assert_int_equal(res.loaded, 3);
    assert_int_equal(res.duplicates, 1);
    assert_int_equal(res.new_customers, 2);
    load_text(f, "d.csv", text, &res);
    assert_int_equal(res.rows_read, 4);
    assert_int_equal(res.loaded, 0);
    assert_int_equal(res.duplicates, 4);
    assert_int_equal(res.new_customers, 0);
    assert_int_equal(q_int(f, "SELECT count(*) FROM events"), 3);
    assert_int_equal(q_int(f, "SELECT count(*) FROM imports"), 2);
}

/* A customer's first event time and acquisition channel (the channel of
 * its earliest event that has one, ties to the smaller name) are kept by
 * the writer for the customers an import creates and read back from the
 * events for the others; both ways must agree with the definition. */
static const char derived_check[] =
    "SELECT count(*) FROM customers c WHERE"
    " first_seen IS NOT (SELECT min(ts) FROM events e WHERE e.customer_id = c.id)"
    " OR (channel_given = 0 AND channel IS NOT (SELECT e.channel FROM events e"
    "  WHERE e.customer_id = c.id AND e.channel IS NOT NULL AND e.channel <> ''"
    "  ORDER BY e.ts, e.channel LIMIT 1))";

static void test_first_seen_and_channel(void **state)
{
    struct fixture *f = *state;
    struct import_result res;
    load_text(f, "a.csv",
              "customer,ts,event,channel,event_id,acquisition_channel\n"
              "c1,2024-01-02,view,web,,\n"
              "c1,2024-01-02,click,ads,,\n" /* same time: "ads" < "web" */
              "c1,2024-01-01,visit,,,\n"    /* earlier, but no channel */
              "c2,2024-01-05,view,,,\n"
              "c2,2024-01-06,view,mail,,\n"
              "c2,2024-01-07,view,ads,,\n"
              "c3,2024-01-03,buy,seo,o1,\n"
              "c4,2024-01-09,buy,ads,o1,\n" /* o1 is c3's: nothing stored for c4 */
              "c5,2024-01-04,view,seo,,partner\n"
              "c6,2024-01-08,view,,,\n",
              &res);
    assert_int_equal(res.new_customers, 6);
    assert_int_equal(res.loaded, 9);
    expect_rows(f, "SELECT key, first_seen, channel, gen FROM customers ORDER BY key",
                "c1|1704067200000|ads|1\n"
                "c2|1704412800000|mail|1\n"
                "c3|1704240000000|seo|1\n"
                "c4|||1\n"
                "c5|1704326400000|partner|1\n"
                "c6|1704672000000||1\n");
    /* a later import: an earlier event with a channel for c1, later ones for
     * c2, c6's first channel, and a new customer: old ones get the new
     * generation only when touched */
    load_text(f, "b.csv",
              "customer,ts,event,channel\n"
              "c1,2023-12-31,view,zz\n"
              "c2,2024-02-01,view,aa\n"
              "c6,2024-01-08,click,tv\n"
              "c7,2024-01-10,view,web\n"
              "c7,2024-01-10,click,app\n",
              &res);
    assert_int_equal(res.new_customers, 1);
    expect_rows(f, "SELECT key, first_seen, channel, gen FROM customers ORDER BY key",
                "c1|1703980800000|zz|2\n"
                "c2|1704412800000|mail|2\n"
                "c3|1704240000000|seo|1\n"
                "c4|||1\n"
                "c5|1704326400000|partner|1\n"
                "c6|1704672000000|tv|2\n"
                "c7|1704844800000|app|2\n");
    assert_int_equal(q_int(f, derived_check), 0);
}

/* --- NDJSON and gzip --------------------------------------------------- */

static void test_ndjson(void **state)
{
    struct fixture *f = *state;
    struct import_result res;
    load_text(f, "e.ndjson",
              "{\"customer_id\":\"c1\",\"ts\":\"2024-03-01T10:00:00Z\",\"event\":\"purchase\","
              "\"value\":12.5,\"properties\":{\"sku\":\"A1\",\"qty\":2},\"coupon\":\"X\"}\n"
              "\n"
              "  \r\n"
              "{\"user_id\":42,\"timestamp\":1709287200000,\"event_type\":\"page_view\","
              "\"channel\":\"email\",\"session_id\":null,\"value\":\"3.25\"}\r\n"
              "{\"customer\":\"c1\",\"time\":1709287200.5,\"name\":\"ping\"}",
              &res);
    assert_int_equal(res.rows_read, 3);
    assert_int_equal(res.loaded, 3);
    assert_int_equal(res.format, FORMAT_NDJSON);
    expect_events(f, "42|1709287200000|page_view|3.25|email|||\n"
                     "c1|1709287200000|purchase|12.5||||{\"sku\":\"A1\",\"qty\":2,\"coupon\":"
                     "\"X\"}\n"
                     "c1|1709287200500|ping|||||\n");
}

static void test_gzip_and_detection(void **state)
{
    struct fixture *f = *state;
    struct import_result res;
    struct ct_error err;
    char *csv = write_gz(f, "a.csv.gz", "customer,ts,event\nc1,2024-01-01,x\nc1,2024-01-02,y\n");
    char *nd =
        write_gz(f, "b.jsonl.gz", "{\"customer\":\"c2\",\"ts\":\"2024-01-03\",\"event\":\"z\"}\n");
    /* no telling name: an object on the first line is NDJSON */
    char *stdin_like =
        write_text(f, "c.txt", " {\"customer\":\"c3\",\"ts\":\"2024-01-04\",\"event\":\"w\"}");
    char *paths[] = {csv, nd, stdin_like};
    assert_int_equal(import_n(f, paths, 3, &res, &err), 0);
    assert_int_equal(res.rows_read, 4);
    assert_int_equal(res.loaded, 4);
    assert_int_equal(res.format, FORMAT_NDJSON);
    assert_int_equal(q_int(f, "SELECT count(*) FROM customers"), 3);
    char *log = NULL;
    sqlite3_stmt *s;
    assert_int_equal(
        sqlite3_prepare_v2(store_sqlite(f->st), "SELECT format FROM imports", -1, &s, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    log = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    assert_string_equal(log, "mixed");
    free(log);
    free(csv);
    free(nd);
    free(stdin_like);
}

static void test_stdin(void **state)
{
    struct fixture *f = *state;
    struct import_result res;
    struct ct_error err;
    char *p = write_text(f, "in.csv", "customer,ts,event\nc1,2024-01-01,x\n");
    int saved = dup(STDIN_FILENO);
    int fd = open(p, O_RDONLY);
    assert_true(fd >= 0 && saved >= 0);
    dup2(fd, STDIN_FILENO);
    close(fd);
    char dash[] = "-";
    char *paths[] = {dash};
    int rc = import_n(f, paths, 1, &res, &err);
    dup2(saved, STDIN_FILENO);
    close(saved);
    assert_int_equal(rc, 0);
    assert_int_equal(res.loaded, 1);
    free(p);
}

/* --- bad rows ---------------------------------------------------------- */

#define HDR   "customer,ts,event,value,email\nc1,2024-01-01,ok,,\n"
#define JGOOD "{\"customer\":\"c1\",\"ts\":\"2024-01-01\",\"event\":\"ok\"}\n"
#define UCI                                                                                        \
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"          \
    "536365,85123A,HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom\n"

struct bad_case {
    const char *name, *text;
    size_t len; /* 0: strlen */
    long line;
    const char *msg;
};

static const struct bad_case bad_cases[] = {
    {"no_customer.csv", HDR ",2024-01-01,x,,\n", 0, 3, "no customer id"},
    {"no_ts.csv", HDR "c1,,x,,\n", 0, 3, "empty timestamp"},
    {"no_event.csv", HDR "c1,2024-01-01,,,\n", 0, 3, "no event name"},
    {"bad_ts.csv", HDR "c1,yesterday,x,,\n", 0, 3, "not a timestamp"},
    {"ts_1969.csv", HDR "c1,1969-12-31T23:59:59Z,x,,\n", 0, 3, "out of range (years 1970-9999)"},
    {"ts_10000.csv", HDR "c1,253402300800000,x,,\n", 0, 3, "out of range (years 1970-9999)"},
    {"bad_date.csv", HDR "c1,2024-02-30,x,,\n", 0, 3, "invalid date"},
    {"nan.csv", HDR "c1,2024-01-01,x,NaN,\n", 0, 3, "value not a number: 'NaN'"},
    {"inf.csv", HDR "c1,2024-01-01,x,-inf,\n", 0, 3, "value not a number"},
    {"huge.csv", HDR "c1,2024-01-01,x,1e999,\n", 0, 3, "value out of range"},
    {"abc.csv", HDR "c1,2024-01-01,x,abc,\n", 0, 3, "value not a number"},
    {"comma.csv", HDR "c1,2024-01-01,x,\"1,5\",\n", 0, 3, "value not a number"},
    {"utf8.csv", HDR "c1,2024-01-01,x,,\xff\xfe@x\n", 0, 3, "email: invalid UTF-8"},
    {"esc.csv", HDR "c\x1b[31m1,2024-01-01,x,,\n", 0, 3, "customer id: control character"},
    {"tab.csv", HDR "c1,2024-01-01,a\tb,,\n", 0, 3, "event: control character"},
    {"c1ctl.csv",
     HDR "c1,2024-01-01,x,,a\xc2\x85"
         "b\n",
     0, 3, "email: control character"},
    {"newline.csv", HDR "\"c\n1\",2024-01-01,x,,\n", 0, 3, "customer id: control character"},
    {"nul.csv", HDR "c1,2024-01-01,x\0y,,\n", sizeof(HDR) - 1 + 20, 3, "NUL byte"},
    {"many.csv", HDR "c1,2024-01-01,x,,,extra\n", 0, 3, "6 fields, but the header has 5"},
    {"few.csv", HDR "\n\nc1,2024-01-01\n", 0, 5, "2 fields, but the header has 5"},
    {"quote.csv", HDR "c1,2024-01-01,\"x,,\nc2,2024-01-01,y,,\n", 0, 3, "unterminated"},
    {"after.csv", HDR "c1,2024-01-01,\"x\"y,,\n", 0, 3, "text after a closing quote"},
    {"prop.csv", "customer,ts,event,note\nc1,2024-01-01,x,ok\nc1,2024-01-01,y,\x1b[2J\n", 0, 3,
     "control character"},
    {"nohdr.csv", "customer,event\nc1,x\n", 0, 1, "no timestamp column"},
    {"twice.csv", "customer,ts,event,Event\nc1,2024-01-01,x,y\n", 0, 1, "appears twice"},
    {"array.ndjson", JGOOD "[1,2]\n", 0, 2, "not a JSON object"},
    {"cut.ndjson", JGOOD "\n\n{\"customer\":\n", 0, 4, "not valid JSON"},
    {"latin1.ndjson", JGOOD "{\"customer\":\"\xe9\",\"ts\":\"2024-01-01\",\"event\":\"x\"}\n", 0, 2,
     "not valid JSON"},
    {"esc.ndjson", JGOOD "{\"customer\":\"c\\u001b1\",\"ts\":\"2024-01-01\",\"event\":\"x\"}\n", 0,
     2, "customer id: control character"},
    {"props.ndjson",
     JGOOD "{\"customer\":\"c1\",\"ts\":\"2024-01-01\",\"event\":\"x\",\"properties\":[1]}\n", 0, 2,
     "properties: must be an object"},
    {"bool.ndjson", JGOOD "{\"customer\":true,\"ts\":\"2024-01-01\",\"event\":\"x\"}\n", 0, 2,
     "customer: must be text"},
    {"nan.ndjson",
     JGOOD "{\"customer\":\"c1\",\"ts\":\"2024-01-01\",\"event\":\"x\",\"value\":\"NaN\"}\n", 0, 2,
     "value not a number"},
    {"nots.ndjson", JGOOD "{\"customer\":\"c1\",\"event\":\"x\"}\n", 0, 2, "no timestamp"},
    {"qty.csv", UCI "536366,x,y,abc,2010-12-01 08:28:00,1.85,17850,UK\n", 0, 3,
     "Quantity not a number"},
    {"date.csv", UCI "536366,x,y,1,2010-13-01 08:28:00,1.85,17850,UK\n", 0, 3,
     "InvoiceDate: invalid date"},
    {"two.csv", UCI "536365,x,y,1,2010-12-01 08:28:00,1.85,99999,UK\n", 0, 3,
     "order 536365 has customer '17850' on line 2 but '99999' here"},
    {"noinv.csv", UCI ",x,y,1,2010-12-01 08:28:00,1.85,99999,UK\n", 0, 3, "empty order number"},
};

/* Each bad file stops the import at its line, and the database file is
 * byte for byte what it was. */
static void test_bad_rows_change_nothing(void **state)
{
    struct fixture *f = *state;
    struct import_result res;
    load_text(f, "base.csv", "customer,ts,event,value\nc0,2023-01-01,seed,1\n", &res);
    store_close(f->st);
    f->st = NULL;
    size_t before_len;
    char *before = test_read_file(f->db, &before_len);
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const struct bad_case *b = &bad_cases[i];
        char *p = write_n(f, b->name, b->text, b->len ? b->len : strlen(b->text));
        struct ct_error err;
        assert_int_equal(store_open(f->db, 0, &f->st, NULL, &err), 0);
        assert_input_error(import1(f, p, &res, &err), &err, p, b->line, b->msg);
        store_close(f->st);
        f->st = NULL;
        size_t after_len;
        char *after = test_read_file(f->db, &after_len);
        assert_int_equal(after_len, before_len);
        assert_memory_equal(after, before, before_len);
        free(after);
        char *wal = path_in(f, "shop.db-wal");
        assert_int_equal(access(wal, F_OK), -1);
        free(wal);
        free(p);
    }
    free(before);
    reopen(f);
    assert_int_equal(q_int(f, "SELECT count(*) FROM events"), 1);
}

static void test_field_over_64k(void **state)
{
    struct fixture *f = *state;
    struct strbuf sb = {0};
    sb_adds(&sb, HDR "c1,2024-01-01,x,,");
    for (int i = 0; i < IMPORT_MAX_FIELD + 1; i++)
        sb_addc(&sb, 'e');
    sb_adds(&sb, "\n");
    char *p = write_n(f, "big.csv", sb.buf, sb.len);
    struct import_result res;
    struct ct_error err;
    assert_int_equal(import1(f, p, &res, &err), CT_ERR_INPUT);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.msg, "field over 64 KiB"));
    assert_int_equal(q_int(f, "SELECT count(*) FROM events"), 0);
    /* exactly 64 KiB is fine */
    sb_reset(&sb);
    sb_adds(&sb, HDR "c1,2024-01-01,x,,");
    for (int i = 0; i < IMPORT_MAX_FIELD; i++)
        sb_addc(&sb, 'e');
    free(p);
    p = write_n(f, "fits.csv", sb.buf, sb.len);
    assert_int_equal(import1(f, p, &res, &err), 0);
    assert_int_equal(res.loaded, 2);
    free(p);
    sb_free(&sb);
}

static void test_all_files_or_none(void **state)
{
    struct fixture *f = *state;
    struct import_result res;
    struct ct_error err;
    char *good = write_text(f, "good.csv", "customer,ts,event\nc1,2024-01-01,x\n");
    char *bad = write_text(f, "bad.csv", "customer,ts,event\nc2,never,y\n");
    char *paths[] = {good, bad};
    assert_int_equal(import_n(f, paths, 2, &res, &err), CT_ERR_INPUT);
    assert_string_equal(err.file, bad);
    assert_int_equal(err.line, 2);
    assert_int_equal(q_int(f, "SELECT count(*) FROM events"), 0);
    assert_int_equal(q_int(f, "SELECT count(*) FROM customers"), 0);
    assert_int_equal(q_int(f, "SELECT count(*) FROM imports"), 0);
    free(good);
    free(bad);
}

static void test_skip_bad(void **state)
{
    struct fixture *f = *state;
    struct import_result res;
    struct ct_error err;
    char *rejects = path_in(f, "rejects.csv");
    f->opts.rejects_path = rejects;
    const char text[] = "customer,ts,event,value\n"
                        "c1,2024-01-01,a,1\n"
                        "c2,yesterday,b,2\n"
                        "\"c3\n"
                        "x\",2024-01-01,c,3\n"
                        "c4,2024-01-02,d,\"say \"\"x\"\"\"\n"
                        "c5,2024-01-03,e,5\n";
    char *p = write_n(f, "mixed.csv", text, sizeof text - 1);
    assert_int_equal(import1(f, p, &res, &err), 0);
    assert_int_equal(res.rows_read, 5);
    assert_int_equal(res.loaded, 2);
    assert_int_equal(res.rejected, 3);
    expect_events(f, "c1|1704067200000|a|1.0||||\nc5|1704240000000|e|5.0||||\n");
    size_t len;
    char *got = test_read_file(rejects, &len);
    char *want = xasprintf(
        "file,line,reason,raw\n"
        "\"%s\",3,\"not a timestamp (expected ISO 8601, YYYY-MM-DD HH:MM[:SS] or unix time): "
        "'yesterday'\",\"c2,yesterday,b,2\"\n"
        "\"%s\",4,\"customer id: control character (tab, line breaks, escapes are not allowed "
        "here)\",\"\"\"c3\nx\"\",2024-01-01,c,3\"\n"
        "\"%s\",6,\"value not a number: 'say \"\"x\"\"'\",\"c4,2024-01-02,d,\"\"say "
        "\"\"\"\"x\"\"\"\"\"\"\"\n",
        p, p, p);
    assert_string_equal(got, want);
    struct stat sb;
    assert_int_equal(stat(rejects, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    free(got);
    free(want);
    /* a file-level problem still stops everything, and leaves no rejects */
    char *nohdr = write_text(f, "nohdr.csv", "who,when\n1,2\n");
    assert_int_equal(import1(f, nohdr, &res, &err), CT_ERR_INPUT);
    assert_int_equal(access(rejects, F_OK), -1);
    /* the rejects file may not be an input */
    f->opts.rejects_path = p;
    assert_int_equal(import1(f, p, &res, &err), CT_ERR_USAGE);
    free(nohdr);
    free(p);
    free(rejects);
}

static void test_header_only_and_empty(void **state)
{
    struct fixture *f = *state;
    struct import_result res;
    struct ct_error err;
    load_text(f, "hdr.csv", "customer,ts,event\n", &res);
    assert_int_equal(res.rows_read, 0);
    assert_int_equal(res.loaded, 0);
    load_text(f, "blank.ndjson", "\n  \n", &res);
    assert_int_equal(res.rows_read, 0);
    assert_int_equal(q_int(f, "SELECT count(*) FROM imports"), 0);

    char *empty = write_text(f, "empty.csv", "");
    assert_int_equal(import1(f, empty, &res, &err), CT_ERR_INPUT);
    assert_string_equal(err.file, empty);
    assert_non_null(strstr(err.msg, "empty"));
    char *gz = write_gz(f, "empty.csv.gz", "");
    assert_int_equal(import1(f, gz, &res, &err), CT_ERR_INPUT);
    assert_non_null(strstr(err.msg, "empty"));
    char *missing = path_in(f, "missing.csv");
    assert_int_equal(import1(f, missing, &res, &err), CT_ERR_RUNTIME);
    assert_string_equal(err.file, missing);
    free(missing);
    free(gz);
    free(empty);
}

static void test_readonly_refused(void **state)
{
    struct fixture *f = *state;
    struct store *ro;
    struct ct_error err;
    struct import_result res;
    assert_int_equal(store_open(f->db, STORE_READONLY, &ro, NULL, &err), 0);
    char *p = write_text(f, "a.csv", "customer,ts,event\nc1,2024-01-01,x\n");
    assert_int_equal(import_files(ro, &p, 1, &f->opts, &res, &err), CT_ERR_USAGE);
    store_close(ro);
    free(p);
}

/* --- order exports ----------------------------------------------------- */

static void test_online_retail(void **state)
{
    struct fixture *f = *state;
    struct import_result res;
    /* 536365: 6 x 2.55 + 2 x 3.39 = 15.30 + 6.78 = 22.08 at its earliest
     * line, 08:25.  536366 and 536367: same customer, time and total, two
     * orders.  C536379: -1 x 27.50 + -2 x 1.85 = -31.20, a refund.  Two
     * guest lines are skipped.  2010-12-01 is 1291161600 s. */
    const char text[] =
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
        "536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom\n"
        "536365,71053,\"LANTERN, WHITE\",2,2010-12-01 08:25:00,3.39,17850,United Kingdom\n"
        "536366,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,17850,United Kingdom\n"
        "536367,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,17850,United Kingdom\n"
        "C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,14527,France\n"
        "536414,22139,,56,2010-12-01 11:52:00,0,,United Kingdom\n"
        "C536379,22633,HAND WARMER,-2,2010-12-01 09:41:00,1.85,14527,France\n"
        "536415,22139,X,1,2010-12-01 11:53:00,1.5,,United Kingdom\n";
    load_text(f, "retail.csv", text, &res);
    assert_int_equal(res.format, FORMAT_ONLINE_RETAIL);
    assert_int_equal(res.rows_read, 8);
    assert_int_equal(res.loaded, 4);
    assert_int_equal(res.skipped, 2);
    assert_int_equal(res.rejected, 0);
    assert_int_equal(res.new_customers, 2);
    expect_events(f, "14527|1291196460000|refund|-31.2|||C536379|{\"lines\":2,\"items\":-3}\n"
                     "17850|1291191900000|purchase|22.08|||536365|{\"lines\":2,\"items\":8}\n"
                     "17850|1291192080000|purchase|11.1|||536366|{\"lines\":1,\"items\":6}\n"
                     "17850|1291192080000|purchase|11.1|||536367|{\"lines\":1,\"items\":6}\n");
    expect_customers(f, "14527|||France|\n17850|||United Kingdom|\n");
    /* again: nothing new */
    load_text(f, "retail.csv", text, &res);
    assert_int_equal(res.loaded, 0);
    assert_int_equal(res.duplicates, 4);
    assert_int_equal(res.skipped, 2);
}

static void test_online_retail_ii(void **state)
{
    struct fixture *f = *state;
    struct import_result res;
    load_text(f, "ii.csv",
              "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country\n"
              "489434,85048,GLASS BALL,12,2009-12-01 07:45:00,6.95,13085,United Kingdom\n"
              "489434,79323P,PINK CHERRY LIGHTS,12,2009-12-01 07:45:00,6.75,13085,United Kingdom\n",
              &res);
    assert_int_equal(res.format, FORMAT_ONLINE_RETAIL);
    /* 12 x 6.95 + 12 x 6.75 = 83.40 + 81.00 = 164.40 */
    expect_events(f, "13085|1259653500000|purchase|164.4|||489434|{\"lines\":2,\"items\":24}\n");
}

static void test_shopify(void **state)
{
    struct fixture *f = *state;
    struct import_result res;
    /* #1001: Total 25 (not the lines' 25 either way), 10:00 +02:00 = 08:00Z.
     * #1002: same customer (e-mail case differs), refunded 10 at Cancelled at.
     * #1003: no e-mail, a guest.  #1004: partially refunded 10, no time given
     * for it, so the order's time.  2024-03-01 is 1709251200 s. */
    load_text(f, "orders_export.csv",
              "Name,Email,Financial Status,Paid at,Created at,Lineitem quantity,Lineitem name,"
              "Lineitem price,Total,Billing Name,Billing Country,Cancelled at,Refunded Amount,"
              "Source,Id\n"
              "#1001,Anna@Example.com,paid,,2024-03-01 10:00:00 +0200,2,Mug,10.00,25.00,"
              "Anna Virtanen,FI,,0.00,web,111\n"
              "#1001,Anna@Example.com,,,2024-03-01 10:00:00 +0200,1,Tea,5.00,,,,,,web,111\n"
              "#1002,anna@example.com,refunded,,2024-03-05 09:00:00 +0200,1,Mug,10.00,10.00,"
              "Anna Virtanen,FI,2024-03-06 12:00:00 +0200,10.00,web,112\n"
              "#1003,,paid,,2024-03-05 09:30:00 +0200,1,Mug,10.00,10.00,,,,,pos,113\n"
              "#1004,bob@example.org,partially_refunded,,2024-03-07 12:00:00 +0000,3,Mug,10.00,"
              "30.00,Bob Smith,SE,,10.00,web,114\n",
              &res);
    assert_int_equal(res.format, FORMAT_SHOPIFY);
    assert_int_equal(res.rows_read, 5);
    assert_int_equal(res.skipped, 1);
    assert_int_equal(res.loaded, 5);
    assert_int_equal(res.new_customers, 2);
    expect_events(f, "anna@example.com|1709280000000|purchase|25.0|web||#1001|{\"lines\":2,"
                     "\"items\":3}\n"
                     "anna@example.com|1709622000000|purchase|10.0|web||#1002|{\"lines\":1,"
                     "\"items\":1}\n"
                     "anna@example.com|1709719200000|refund|-10.0|web||#1002:refund|\n"
                     "bob@example.org|1709812800000|purchase|30.0|web||#1004|{\"lines\":1,"
                     "\"items\":3}\n"
                     "bob@example.org|1709812800000|refund|-10.0|web||#1004:refund|\n");
    /* the e-mail as the customer's last order wrote it */
    expect_customers(f, "anna@example.com|anna@example.com|Anna Virtanen|FI|web\n"
                        "bob@example.org|bob@example.org|Bob Smith|SE|web\n");
}

static void test_orders_mapping(void **state)
{
    struct fixture *f = *state;
    struct config *cfg;
    struct ct_errlist errs = {0};
    assert_int_equal(config_load(NULL, &cfg, &errs), 0);
    struct order_mapping *m = &cfg->orders;
    m->present = 1;
    m->order = xstrdup("Order No");
    m->customer = xstrdup("cust");
    m->time = xstrdup("when");
    m->price = xstrdup("amount");
    m->cancel_prefix = xstrdup("R");
    f->opts.config = cfg;
    struct import_result res;
    /* A1: 5 + 7 = 12 at its earlier line; R2 is a refund; "orders"
     * would be detected for any file with the mapped columns */
    load_text(f, "shop.csv",
              "order no,when,cust,amount,extra\n"
              "A1,2024-01-01 10:00,k1,5,x\n"
              "A1,2024-01-01 09:00,k1,7,y\n"
              "R2,2024-01-02,k1,-3,z\n"
              "A3,2024-01-03,,4,guest\n",
              &res);
    assert_int_equal(res.format, FORMAT_ORDERS);
    assert_int_equal(res.skipped, 1);
    expect_events(f, "k1|1704099600000|purchase|12.0|||A1|{\"lines\":2}\n"
                     "k1|1704153600000|refund|-3.0|||R2|{\"lines\":1}\n");
    /* without a mapping, --format orders is refused */
    free(m->order);
    free(m->customer);
    free(m->time);
    free(m->price);
    free(m->cancel_prefix);
    memset(m, 0, sizeof *m);
    f->opts.format = FORMAT_ORDERS;
    char *p = write_text(f, "x.csv", "a\n1\n");
    struct ct_error err;
    assert_int_equal(import1(f, p, &res, &err), CT_ERR_USAGE);
    free(p);
    config_free(cfg);
    ct_errlist_free(&errs);
}

static void test_forced_format(void **state)
{
    struct fixture *f = *state;
    struct import_result res;
    struct ct_error err;
    f->opts.format = FORMAT_ONLINE_RETAIL;
    char *p = write_text(f, "events.csv", "customer,ts,event\nc1,2024-01-01,x\n");
    assert_int_equal(import1(f, p, &res, &err), CT_ERR_INPUT);
    assert_int_equal(err.line, 1);
    assert_non_null(strstr(err.msg, "no 'InvoiceNo' column"));
    f->opts.format = FORMAT_CSV;
    assert_int_equal(import1(f, p, &res, &err), 0);
    free(p);
}

/* --- progress and the shared checks ------------------------------------ */

struct progress_log {
    int calls;
    int64_t rows;
    uint64_t done, total;
};

static void on_progress(void *ctx, const char *file, uint64_t done, uint64_t total, int64_t rows)
{
    struct progress_log *l = ctx;
    (void)file;
    l->calls++;
    l->rows = rows;
    l->done = done;
    l->total = total;
}

static void test_progress(void **state)
{
    struct fixture *f = *state;
    struct progress_log log = {0};
    f->opts.progress = on_progress;
    f->opts.progress_ctx = &log;
    struct strbuf sb = {0};
    sb_adds(&sb, "customer,ts,event\n");
    for (int i = 0; i < 3000; i++)
        sb_printf(&sb, "c%d,2024-01-01,x\n", i % 50);
    struct import_result res;
    load_text(f, "many.csv", sb.buf, &res);
    assert_int_equal(res.loaded, 50);
    assert_int_equal(res.duplicates, 2950);
    /* the last call of each file reports it whole */
    assert_true(log.calls >= 1);
    assert_int_equal(log.rows, 3000);
    assert_int_equal(log.done, sb.len);
    assert_int_equal(log.total, sb.len);
    sb_free(&sb);
}

/* Many batches through the reading thread: the rows, the rejects in file
 * order, the counts, and progress to the last byte. */
static void test_many_batches(void **state)
{
    struct fixture *f = *state;
    char *rejects = path_in(f, "rejects.csv");
    f->opts.rejects_path = rejects;
    struct progress_log log = {0};
    f->opts.progress = on_progress;
    f->opts.progress_ctx = &log;
    struct strbuf sb = {0}, want = {0};
    sb_adds(&sb, "customer,ts,event,value,channel\n");
    sb_adds(&want, "file,line,reason,raw\n");
    char *p = path_in(f, "big.csv");
    const int n = 20000;
    int64_t value_sum = 0, ads = 0, dups = 0;
    for (int i = 0; i < n; i++) {
        int line = i + 2 + (int)dups; /* each duplicate line moves the rest down */
        if (i % 997 == 0) {
            sb_printf(&sb, "c%d,someday,view,,web\n", i % 3000);
            sb_printf(&want,
                      "\"%s\",%d,\"not a timestamp (expected ISO 8601, YYYY-MM-DD HH:MM[:SS] "
                      "or unix time): 'someday'\",\"c%d,someday,view,,web\"\n",
                      p, line, i % 3000);
        } else {
            sb_printf(&sb, "c%d,%d,view,%d,%s\n", i % 3000, 1700000000 + i * 7, i % 10,
                      i % 3 ? "web" : "ads");
            value_sum += i % 10;
            ads += i % 3 == 0;
            /* the same event again on another channel: kept once, as first seen */
            if (i % 50 == 1) {
                sb_printf(&sb, "c%d,%d,view,%d,tv\n", i % 3000, 1700000000 + i * 7, i % 10);
                dups++;
            }
        }
    }
    free(write_n(f, "big.csv", sb.buf, sb.len));
    struct import_result res;
    struct ct_error err;
    assert_int_equal(import1(f, p, &res, &err), 0);
    int bad = (n + 996) / 997;
    assert_int_equal(res.rows_read, n + dups);
    assert_int_equal(res.rejected, bad);
    assert_int_equal(res.loaded, n - bad);
    assert_int_equal(res.duplicates, dups);
    assert_int_equal(q_int(f, "SELECT count(*) FROM events WHERE channel = 'tv'"), 0);
    assert_int_equal(res.new_customers, 3000);
    assert_int_equal(q_int(f, "SELECT count(*) FROM events"), n - bad);
    assert_int_equal(q_int(f, "SELECT sum(value) FROM events"), value_sum);
    assert_int_equal(q_int(f, "SELECT count(*) FROM events WHERE channel = 'ads'"), ads);
    assert_int_equal(q_int(f, derived_check), 0);
    size_t len;
    char *got = test_read_file(rejects, &len);
    assert_string_equal(got, sb_cstr(&want));
    assert_int_equal(log.rows, n + dups);
    assert_int_equal(log.done, sb.len);
    free(got);
    /* without --skip-bad a bad row far into the file stops everything,
     * named by its line, and the rows before it are not kept */
    f->opts.rejects_path = NULL;
    sb.len = 0;
    sb_adds(&sb, "customer,ts,event\n");
    for (int i = 0; i < n; i++)
        sb_printf(&sb, "d%d,%s,view\n", i, i == 15000 ? "never" : "1700000000");
    char *q = write_n(f, "stop.csv", sb.buf, sb.len);
    assert_int_equal(import1(f, q, &res, &err), CT_ERR_INPUT);
    assert_string_equal(err.file, q);
    assert_int_equal(err.line, 15002);
    assert_int_equal(q_int(f, "SELECT count(*) FROM customers WHERE key LIKE 'd%'"), 0);
    sb_free(&sb);
    sb_free(&want);
    free(p);
    free(q);
    free(rejects);
}

static void test_checks(void **state)
{
    (void)state;
    double v;
    int has;
    const char *ok[] = {"12",
                        "-3.50",
                        " 7 ",
                        "1e3",
                        "1.",
                        ".5",
                        "+0.1",
                        "-0",
                        "123456789012345678901234",
                        "0.000000000000000000000000001",
                        "2.55"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_null(import_parse_value(ok[i], strlen(ok[i]), &v, &has));
        assert_true(has);
        assert_true(v == strtod(ok[i], NULL));
    }
    const char *bad[] = {"NaN", "inf", "-infinity", "0x10", "1,5",   "1.2.3",
                         "e5",  ".",   "-",         "1e",   "12abc", "$5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_non_null(import_parse_value(bad[i], strlen(bad[i]), &v, &has));
    assert_string_equal(import_parse_value("1e400", 5, &v, &has),
                        "out of range (not a finite number)");
    assert_null(import_parse_value("  ", 2, &v, &has));
    assert_false(has);

    assert_null(import_check_text("plain", 5, 0));
    assert_null(import_check_text("Ähtäri ✓", strlen("Ähtäri ✓"), 0));
    assert_null(import_check_text("a\tb\r\nc", 6, 1));
    assert_non_null(import_check_text("a\tb", 3, 0));
    assert_non_null(import_check_text("a\x1b"
                                      "b",
                                      3, 1));
    assert_non_null(import_check_text("a\x7f", 2, 1));
    assert_string_equal(import_check_text("a\0b", 3, 1), "NUL byte");
    assert_string_equal(import_check_text("\xc3\x28", 2, 1), "invalid UTF-8");
    assert_string_equal(import_check_text("\xed\xa0\x80", 3, 1), "invalid UTF-8"); /* surrogate */

    enum import_format fmt;
    const char *names[] = {"auto", "csv", "ndjson", "shopify", "online-retail", "orders"};
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(import_format_parse(names[i], &fmt), 0);
        assert_string_equal(import_format_name(fmt), names[i]);
    }
    assert_int_equal(import_format_parse("xlsx", &fmt), -1);

    char *n = import_norm_name(" Customer ID ", 13);
    assert_string_equal(n, "customer_id");
    free(n);
    struct strbuf sb = {0};
    import_json_string(&sb, "a\"b\\c\n\x01", 7);
    assert_string_equal(sb.buf, "\"a\\\"b\\\\c\\n\\u0001\"");
    sb_free(&sb);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_event_csv_aliases),
        T(test_event_csv_name_column),
        T(test_event_csv_bom_crlf_tz),
        T(test_reimport_and_duplicates),
        T(test_first_seen_and_channel),
        T(test_many_batches),
        T(test_ndjson),
        T(test_gzip_and_detection),
        T(test_stdin),
        T(test_bad_rows_change_nothing),
        T(test_field_over_64k),
        T(test_all_files_or_none),
        T(test_skip_bad),
        T(test_header_only_and_empty),
        T(test_readonly_refused),
        T(test_online_retail),
        T(test_online_retail_ii),
        T(test_shopify),
        T(test_orders_mapping),
        T(test_forced_format),
        T(test_progress),
        T(test_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
