/*
 * fuzz_common.c - the fake row sink and the contract checks of fuzz.h.
 *
 * Owns what every importer target checks, so the targets themselves are a
 * few lines each.  The sink keeps no row: it checks each one as the store
 * would receive it (the strings die when row() returns) and counts.  Prints
 * only when a check fails, just before abort().
 */
#include "autoconf.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/import_int.h"
#include "model/text.h"
#include "model/tz.h"
#include "tests/fuzz/fuzz.h"

void fuzz_fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz contract broken: %s%s%s\n", what, detail ? ": " : "",
            detail ? detail : "");
    abort();
}

void fuzz_check_message(const char *what, const char *msg)
{
    if (!msg || !*msg)
        fuzz_fail(what, "empty message");
    size_t n = strlen(msg);
    if (!text_utf8_valid(msg, n))
        fuzz_fail(what, "message is not valid UTF-8");
    if (text_has_control(msg, n, 0))
        fuzz_fail(what, "message has a control character (it would reach the terminal)");
}

const struct tz *fuzz_utc(void)
{
    static struct tz *utc;
    if (!utc)
        utc = tz_utc();
    return utc;
}

const struct tz *fuzz_helsinki(void)
{
    static struct tz *hel;
    if (!hel && tz_open("Europe/Helsinki", &hel, NULL) != 0)
        fuzz_fail("setup", "no Europe/Helsinki zone (install tzdata or set TZDIR)");
    return hel;
}

struct fake {
    long max_line;   /* lines in the input: every record starts on one */
    int stop_on_bad; /* a bad record stops the parse, as without --skip-bad */
    long fail_after; /* row() fails after this many rows (-1: never) */
    int failed;      /* row() has failed */
    long rows, bad, skipped, last_tick;
};

static void check_line(const struct fake *f, long line, const char *what)
{
    if (line < 1 || line > f->max_line) {
        char d[80];
        snprintf(d, sizeof d, "line %ld outside 1..%ld", line, f->max_line);
        fuzz_fail(what, d);
    }
}

/* Every byte of a borrowed string must be readable (ASan checks). */
static void touch(const char *s, size_t n)
{
    volatile unsigned char sum = 0;
    for (size_t i = 0; i < n; i++)
        sum = (unsigned char)(sum + (unsigned char)s[i]);
    (void)sum;
}

static int fake_row(void *ctx, const struct import_row *r, struct ct_error *err)
{
    struct fake *f = ctx;
    char buf[512];
    check_line(f, r->line, "row");
    if (!r->customer || !*r->customer || !r->event || !*r->event)
        fuzz_fail("row", "no customer or event");
    const char *why = import_check_row(r, buf, sizeof buf);
    if (why)
        fuzz_fail("row given to the sink fails import_check_row", why);
    const char *text[] = {r->customer, r->event, r->channel, r->session,    r->event_id,
                          r->email,    r->name,  r->country, r->acq_channel};
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
        if (text[i])
            touch(text[i], strlen(text[i]));
    if (r->props) {
        json_error_t je;
        json_t *j = json_loads(r->props, JSON_REJECT_DUPLICATES, &je);
        if (!j || !json_is_object(j))
            fuzz_fail("row properties are not one JSON object", j ? r->props : je.text);
        json_decref(j);
    }
    if (f->fail_after >= 0 && f->rows >= f->fail_after) {
        f->failed = 1;
        return ct_error_set(err, CT_ERR_RUNTIME, "fuzz.db", 0, 0, "cannot store an event: %s",
                            "disk full (simulated)");
    }
    f->rows++;
    return 0;
}

static int fake_bad(void *ctx, long line, const char *raw, size_t raw_len, const char *reason,
                    struct ct_error *err)
{
    struct fake *f = ctx;
    check_line(f, line, "bad record");
    fuzz_check_message("bad record reason", reason);
    if (raw_len && !raw)
        fuzz_fail("bad record", "raw text NULL with a length");
    if (raw)
        touch(raw, raw_len);
    f->bad++;
    if (f->stop_on_bad)
        return ct_error_set(err, CT_ERR_INPUT, "fuzz.csv", line, 0, "%s", reason);
    return 0;
}

static void fake_skip(void *ctx, long line, long n)
{
    struct fake *f = ctx;
    check_line(f, line, "skipped order");
    if (n < 1)
        fuzz_fail("skipped order", "no lines");
    f->skipped += n;
}

static void fake_tick(void *ctx, long rows_read)
{
    struct fake *f = ctx;
    if (rows_read < f->last_tick)
        fuzz_fail("tick", "the count of records went down");
    f->last_tick = rows_read;
}

/* Lines as csv.c counts them: LF, CR and CRLF each end one. */
static long count_lines(const uint8_t *d, size_t n)
{
    long lines = 1;
    for (size_t i = 0; i < n; i++)
        if (d[i] == '\n' || (d[i] == '\r' && !(i + 1 < n && d[i + 1] == '\n')))
            lines++;
    return lines;
}

void fuzz_import(enum import_format f, const uint8_t *data, size_t size, const struct tz *tz,
                 const struct config *cfg)
{
    static const char name[] = "fuzz.csv";
    struct fake fk = {
        .max_line = count_lines(data, size),
        .stop_on_bad = size % 3 == 0,
        .fail_after = size % 7 == 0 ? (long)(size % 5) : -1,
    };
    if (f == FORMAT_AUTO)
        f = import_detect(name, (const char *)data, size < 65536 ? size : 65536, cfg);
    struct input *in = input_open_memory(data, size, name);
    struct row_sink rs = {&fk, fake_row, fake_bad, fake_skip, fake_tick};
    struct parse_ctx pc = {in, name, tz, cfg, &rs};
    struct ct_error err;
    ct_error_clear(&err);
    long rows_read = -1;
    int rc;
    switch (f) {
    case FORMAT_CSV:
        rc = import_csv_events(&pc, &rows_read, &err);
        break;
    case FORMAT_NDJSON:
        rc = import_ndjson(&pc, &rows_read, &err);
        break;
    default:
        rc = import_orders(&pc, f, &rows_read, &err);
        break;
    }
    input_close(in);
    if (rows_read < 0)
        fuzz_fail("parser", "rows_read not set");
    if (rc) {
        if (err.code != rc)
            fuzz_fail("parser", "the status and err.code differ");
        if (rc == CT_ERR_RUNTIME && !fk.failed)
            fuzz_fail("parser", "a read error from memory");
        fuzz_check_message("error message", err.msg);
        if (strcmp(err.file, name) != 0 && !(fk.failed && strcmp(err.file, "fuzz.db") == 0))
            fuzz_fail("error message does not name the file", err.file);
        return;
    }
    if ((f == FORMAT_CSV || f == FORMAT_NDJSON) && rows_read != fk.rows + fk.bad)
        fuzz_fail("parser", "a record was neither a row nor a bad record");
    if (fk.skipped > rows_read)
        fuzz_fail("parser", "more guest lines skipped than lines read");
}
