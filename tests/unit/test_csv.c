/*
 * test_csv.c - the RFC 4180 reader and the line reader (model/csv.c), and
 * the byte source under them (model/input.c).
 *
 * Every case runs with several read sizes, down to one byte per read, so
 * each quote, CR and LF also falls on a buffer boundary.
 */
#include "common.h"

#include <zlib.h>

#include "model/csv.h"
#include "model/input.h"
#include "model/mem.h"

static const size_t chunks[] = {0, 1, 2, 3, 5, 64};

/* Every record as "LINE[f1][f2]" (+ " BAD" and " raw=..." when asked). */
static char *dump_csv(struct csv *c, int with_raw)
{
    struct strbuf out = {0};
    int r;
    while ((r = csv_next(c, NULL)) == 1) {
        sb_printf(&out, "%ld", c->rec_line);
        if (c->bad)
            sb_adds(&out, " BAD");
        for (size_t i = 0; i < c->nf; i++) {
            sb_addc(&out, '[');
            sb_add(&out, c->f[i].s, c->f[i].len);
            sb_addc(&out, ']');
        }
        if (with_raw) {
            sb_adds(&out, " raw=");
            sb_add(&out, c->raw, c->raw_len);
        }
        sb_addc(&out, '\n');
    }
    assert_int_equal(r, 0);
    sb_cstr(&out); /* terminated even when empty */
    return sb_steal(&out);
}

static void check_n(const char *data, size_t len, int with_raw, const char *want)
{
    for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
        struct csv c;
        csv_init_mem(&c, data, len);
        if (chunks[k])
            c.chunk = chunks[k];
        char *got = dump_csv(&c, with_raw);
        if (strcmp(got, want) != 0)
            print_error("chunk %zu:\n got: %s\nwant: %s\n", chunks[k], got, want);
        assert_string_equal(got, want);
        free(got);
        csv_free(&c);
    }
}

static void check(const char *data, const char *want)
{
    check_n(data, strlen(data), 0, want);
}

static void test_simple_and_line_ends(void **state)
{
    (void)state;
    check("a,b\n1,2\n", "1[a][b]\n2[1][2]\n");
    check("a,b\n1,2", "1[a][b]\n2[1][2]\n");               /* no final line end */
    check("a,b\r\n1,2\r\n", "1[a][b]\n2[1][2]\n");         /* CRLF */
    check("a,b\r1,2\r3,4", "1[a][b]\n2[1][2]\n3[3][4]\n"); /* CR only */
    check("a\r\nb\rc\nd", "1[a]\n2[b]\n3[c]\n4[d]\n");     /* mixed */
    check("", "");
    check("x", "1[x]\n");
}

static void test_bom(void **state)
{
    (void)state;
    check("\xEF\xBB\xBF"
          "a,b\n1,2\n",
          "1[a][b]\n2[1][2]\n");
    check("\xEF\xBB\xBF", "");
    /* only at the start: later it is data */
    check("a\n\xEF\xBB\xBF"
          "b\n",
          "1[a]\n2[\xEF\xBB\xBF"
          "b]\n");
}

static void test_quotes(void **state)
{
    (void)state;
    check("\"a,b\",\"say \"\"hi\"\"\"\n", "1[a,b][say \"hi\"]\n");
    check("\"\",x\n", "1[][x]\n");
    check("\"\"\"\"\n", "1[\"]\n");
    /* a quote inside an unquoted field is kept as it is */
    check("ab\"c,d\n", "1[ab\"c][d]\n");
    check("\"x\"", "1[x]\n");
}

static void test_embedded_newlines(void **state)
{
    (void)state;
    /* the record on line 2 spans three lines; the next starts on line 5 */
    const char *multi = "a,b\n\"l1\nl2\r\nl3\",x\nnext,y\n";
    check_n(multi, strlen(multi), 1,
            "1[a][b] raw=a,b\n"
            "2[l1\nl2\r\nl3][x] raw=\"l1\nl2\r\nl3\",x\n"
            "5[next][y] raw=next,y\n");
    check("\"a\rb\",c\r\"d\"\r", "1[a\rb][c]\n3[d]\n");
}

static void test_empty_fields_and_lines(void **state)
{
    (void)state;
    check(",,\n", "1[][][]\n");
    check("a,\n", "1[a][]\n");
    check(",a\n", "1[][a]\n");
    /* empty lines between records are skipped, line numbers still count */
    check("a\n\n\r\n\rb\n\n", "1[a]\n5[b]\n");
    check("\n\na\n", "3[a]\n");
}

static void test_bad_records(void **state)
{
    (void)state;
    /* unterminated quote: the rest of the data is one bad record */
    const char *unterminated = "a,b\n\"open,x\n1,2\n";
    check_n(unterminated, strlen(unterminated), 1,
            "1[a][b] raw=a,b\n2 BAD[open,x\n1,2\n] raw=\"open,x\n1,2\n\n");
    /* text after a closing quote */
    check("\"ab\"c,d\nok\n", "1 BAD[abc][d]\n2[ok]\n");
    /* NUL bytes: the record is bad, the next one is read */
    check_n("a,b\0c\n1,2\n", 10, 0, "1 BAD[a][bc]\n2[1][2]\n");
    check_n("\"a\0\",b\n1\n", 9, 0, "1 BAD[a][b]\n2[1]\n");
}

static void test_field_limit(void **state)
{
    (void)state;
    size_t n = CSV_MAX_FIELD + 1;
    char *data = xmalloc(2 * n + 64);
    for (int quoted = 0; quoted < 2; quoted++) {
        for (size_t want = CSV_MAX_FIELD; want <= n; want++) {
            size_t o = 0;
            if (quoted)
                data[o++] = '"';
            memset(data + o, 'x', want);
            o += want;
            if (quoted)
                data[o++] = '"';
            memcpy(data + o, ",y\nz\n", 5);
            o += 5;
            struct csv c;
            csv_init_mem(&c, data, o);
            c.chunk = 4093;
            assert_int_equal(csv_next(&c, NULL), 1);
            assert_int_equal(c.nf, 2);
            if (want == CSV_MAX_FIELD) {
                assert_null(c.bad);
                assert_int_equal(c.f[0].len, CSV_MAX_FIELD);
            } else {
                assert_string_equal(c.bad, "field over 64 KiB");
            }
            assert_string_equal(c.f[1].s, "y");
            assert_int_equal(c.raw_len, o - 3); /* the whole record, without "\nz\n" */
            assert_int_equal(csv_next(&c, NULL), 1);
            assert_null(c.bad);
            assert_string_equal(c.f[0].s, "z");
            assert_int_equal(c.rec_line, 2);
            assert_int_equal(csv_next(&c, NULL), 0);
            csv_free(&c);
        }
    }
    free(data);
}

static void test_record_limit(void **state)
{
    (void)state;
    /* 300 fields of 60,000 bytes: each is fine, the record is over 16 MiB */
    size_t nf = 300, fl = 60000, len = nf * (fl + 1) + 8;
    char *data = xmalloc(len);
    size_t o = 0;
    for (size_t i = 0; i < nf; i++) {
        memset(data + o, 'a', fl);
        o += fl;
        data[o++] = i + 1 < nf ? ',' : '\n';
    }
    memcpy(data + o, "next\n", 5);
    o += 5;
    struct csv c;
    csv_init_mem(&c, data, o);
    assert_int_equal(csv_next(&c, NULL), 1);
    assert_string_equal(c.bad, "record over 16 MiB");
    assert_int_equal(c.nf, nf);
    assert_int_equal(c.raw_len, 0);
    assert_int_equal(csv_next(&c, NULL), 1);
    assert_null(c.bad);
    assert_string_equal(c.f[0].s, "next");
    assert_int_equal(c.raw_len, 4);
    assert_memory_equal(c.raw, "next", 4);
    csv_free(&c);
    free(data);
}

static void test_fields_limit(void **state)
{
    (void)state;
    /* 70,000 one-byte fields: the record is bad, and only the first
     * CSV_MAX_FIELDS are kept, so memory stays bounded */
    size_t nf = 70000, len = nf * 2 + 8;
    char *data = xmalloc(len);
    size_t o = 0;
    for (size_t i = 0; i < nf; i++) {
        data[o++] = 'x';
        data[o++] = i + 1 < nf ? ',' : '\n';
    }
    memcpy(data + o, "a,b\n", 4);
    o += 4;
    struct csv c;
    csv_init_mem(&c, data, o);
    assert_int_equal(csv_next(&c, NULL), 1);
    assert_string_equal(c.bad, "more than 65536 fields");
    assert_int_equal(c.nf, CSV_MAX_FIELDS);
    assert_string_equal(c.f[CSV_MAX_FIELDS - 1].s, "x");
    assert_int_equal(csv_next(&c, NULL), 1);
    assert_null(c.bad);
    assert_int_equal(c.nf, 2);
    assert_string_equal(c.f[1].s, "b");
    csv_free(&c);
    free(data);
}

static void test_lines(void **state)
{
    (void)state;
    const char data[] = "\xEF\xBB\xBF{}\r\n\n{\"a\":1}\r{\"b\":\"x\0\"}\n{}";
    for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
        struct csv c;
        csv_init_mem(&c, data, sizeof data - 1);
        if (chunks[k])
            c.chunk = chunks[k];
        struct strbuf out = {0};
        int r;
        while ((r = csv_next_line(&c, NULL)) == 1) {
            sb_printf(&out, "%ld%s<", c.rec_line, c.bad ? " BAD" : "");
            sb_add(&out, c.raw, c.raw_len);
            sb_adds(&out, ">\n");
        }
        assert_int_equal(r, 0);
        /* the NUL is part of raw, shown here as the end of the C string */
        assert_string_equal(out.buf, "1<{}>\n2<>\n3<{\"a\":1}>\n4 BAD<{\"b\":\"x");
        assert_int_equal(c.rec_line, 5);
        sb_free(&out);
        csv_free(&c);
    }
}

/* --- through model/input.c --------------------------------------------- */

static char *write_gz(const char *dir, const char *name, const char *data, size_t len)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    gzFile gz = gzopen(p, "wb");
    assert_non_null(gz);
    if (len)
        assert_int_equal(gzwrite(gz, data, (unsigned)len), (int)len);
    assert_int_equal(gzclose(gz), Z_OK);
    return p;
}

static void test_input_plain_and_gz(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    const char text[] = "id,note\n1,\"multi\nline\"\r\n2,x\n";
    char *plain = test_write(dir, "a.csv", text);
    char *gz = write_gz(dir, "a.csv.gz", text, sizeof text - 1);
    const char *paths[] = {plain, gz};
    for (int i = 0; i < 2; i++)
        for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
            struct input *in;
            struct ct_error err;
            assert_int_equal(input_open(paths[i], &in, &err), 0);
            assert_string_equal(input_name(in), paths[i]);
            assert_true(input_size(in) > 0);
            const char *peek;
            size_t plen;
            assert_int_equal(input_peek(in, 4, &peek, &plen, &err), 0);
            assert_int_equal(plen, 4);
            assert_memory_equal(peek, "id,n", 4);
            struct csv c;
            csv_init(&c, in);
            if (chunks[k])
                c.chunk = chunks[k];
            char *got = dump_csv(&c, 0);
            assert_string_equal(got, "1[id][note]\n2[1][multi\nline]\n4[2][x]\n");
            free(got);
            csv_free(&c);
            assert_true(input_pos(in) > 0);
            input_close(in);
        }
    free(plain);
    free(gz);
    test_rmdir(dir);
}

static void test_input_errors(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    struct input *in;
    struct ct_error err;
    char *missing = malloc(strlen(dir) + 16);
    sprintf(missing, "%s/nothing.csv", dir);
    assert_int_equal(input_open(missing, &in, &err), CT_ERR_RUNTIME);
    assert_string_equal(err.file, missing);
    assert_non_null(strstr(err.msg, "cannot open"));
    assert_int_equal(input_open(dir, &in, &err), CT_ERR_RUNTIME);
    assert_non_null(strstr(err.msg, "folder"));

    /* a gzip file cut short is an error, never a short file */
    char big[20000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)('a' + (i * 7919 % 26));
    char *gz = write_gz(dir, "cut.gz", big, sizeof big);
    FILE *f = fopen(gz, "rb");
    char buf[40000];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    f = fopen(gz, "wb");
    fwrite(buf, 1, n / 2, f);
    fclose(f);
    assert_int_equal(input_open(gz, &in, &err), 0);
    long got, total = 0;
    while ((got = input_read(in, buf, sizeof buf, &err)) > 0)
        total += got;
    assert_int_equal(got, -1);
    assert_true(total < (long)sizeof big);
    assert_string_equal(err.file, gz);
    assert_non_null(strstr(err.msg, "gzip"));
    input_close(in);

    /* an empty file peeks as 0 bytes */
    char *empty = test_write(dir, "empty.csv", "");
    assert_int_equal(input_open(empty, &in, &err), 0);
    const char *peek;
    size_t plen = 99;
    assert_int_equal(input_peek(in, 100, &peek, &plen, &err), 0);
    assert_int_equal(plen, 0);
    assert_int_equal(input_read(in, buf, sizeof buf, &err), 0);
    input_close(in);
    free(empty);
    free(gz);
    free(missing);
    test_rmdir(dir);
}

static void test_input_memory(void **state)
{
    (void)state;
    /* bytes in memory read as a file would: peeked, then read from the
     * first byte, in pieces, with positions for progress; never gunzipped */
    static const char data[] = "customer,ts,event\nc1,2024-01-01,page_view\n";
    size_t len = sizeof data - 1;
    struct input *in = input_open_memory(data, len, "mem.csv");
    struct ct_error err;
    const char *peek;
    size_t plen;
    assert_string_equal(input_name(in), "mem.csv");
    assert_int_equal(input_size(in), len);
    assert_int_equal(input_peek(in, 8, &peek, &plen, &err), 0);
    assert_int_equal(plen, 8);
    assert_memory_equal(peek, "customer", 8);
    char buf[16];
    size_t total = 0;
    long got;
    struct strbuf sb = {0};
    while ((got = input_read(in, buf, sizeof buf, &err)) > 0) {
        sb_add(&sb, buf, (size_t)got);
        total += (size_t)got;
        assert_int_equal(input_pos(in), total > 8 ? total : 8);
    }
    assert_int_equal(got, 0);
    assert_int_equal(total, len);
    assert_memory_equal(sb.buf, data, len);
    sb_free(&sb);
    input_close(in);

    /* the parsers run on it unchanged */
    in = input_open_memory(data, len, "mem.csv");
    struct csv c;
    csv_init(&c, in);
    assert_int_equal(csv_next(&c, NULL), 1);
    assert_int_equal(csv_next(&c, NULL), 1);
    assert_string_equal(c.f[2].s, "page_view");
    assert_int_equal(csv_next(&c, NULL), 0);
    csv_free(&c);
    input_close(in);
    in = input_open_memory(NULL, 0, "none");
    assert_int_equal(input_read(in, buf, sizeof buf, &err), 0);
    input_close(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_and_line_ends),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_embedded_newlines),
        cmocka_unit_test(test_empty_fields_and_lines),
        cmocka_unit_test(test_bad_records),
        cmocka_unit_test(test_field_limit),
        cmocka_unit_test(test_record_limit),
        cmocka_unit_test(test_fields_limit),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_input_plain_and_gz),
        cmocka_unit_test(test_input_errors),
        cmocka_unit_test(test_input_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
