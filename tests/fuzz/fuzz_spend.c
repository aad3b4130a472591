/*
 * fuzz_spend.c - libFuzzer target of the marketing spend importer (issue
 * 9, SPEC 9).
 *
 * Any bytes are a spend file; import_spend reads them from memory into a
 * fake sink that checks what the parser promises: every row it gives has a
 * date spend_date_parse accepts, a single-line channel that is not empty, a
 * purpose, and a finite amount >= 0; every record is a row or a bad record
 * with a printable reason on a line inside the input; a stop says why.  The
 * sink sometimes answers a row with a conflict (as the store does for a
 * second amount of one key) or fails (a full disk), so those paths run too.
 * Seeds: tests/fuzz/corpus/spend; dictionary: spend.dict.
 */
#include "autoconf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/import_int.h"
#include "model/spend.h"
#include "tests/fuzz/fuzz.h"

struct fake {
    long max_line;
    int stop_on_bad;
    long conflict_every; /* every Nth row is answered as a conflict (0: never) */
    long fail_after;     /* the sink fails after this many rows (-1: never) */
    int failed;
    long rows, bad;
};

static void check_line(const struct fake *f, long line, const char *what)
{
    if (line < 1 || line > f->max_line)
        fuzz_fail(what, "line outside the input");
}

static const char *fake_spend(void *ctx, const struct spend_row *r, char *why, size_t why_size,
                              int *rc, struct ct_error *err)
{
    struct fake *f = ctx;
    check_line(f, r->line, "spend row");
    int64_t day;
    int days;
    if (!r->date || spend_date_parse(r->date, strlen(r->date), &day, &days))
        fuzz_fail("spend row", "a date spend_date_parse refuses");
    if (!r->channel || !*r->channel || import_check_text(r->channel, strlen(r->channel), 0))
        fuzz_fail("spend row", "an empty or multi-line channel");
    if (r->purpose != SPEND_ACQUISITION && r->purpose != SPEND_RETENTION)
        fuzz_fail("spend row", "no purpose");
    if (!isfinite(r->amount) || r->amount < 0 || signbit(r->amount))
        fuzz_fail("spend row", "an amount that is not finite and >= 0");
    if (f->fail_after >= 0 && f->rows >= f->fail_after) {
        f->failed = 1;
        *rc = ct_error_set(err, CT_ERR_RUNTIME, "fuzz.db", 0, 0, "cannot store spend: %s",
                           "disk full (simulated)");
        return NULL;
    }
    f->rows++;
    if (f->conflict_every && f->rows % f->conflict_every == 0) {
        snprintf(why, why_size, "%s: amount %.15g, but an earlier row gives another", r->date,
                 r->amount);
        return why;
    }
    return NULL;
}

static int fake_row(void *ctx, const struct import_row *r, struct ct_error *err)
{
    (void)ctx;
    (void)r;
    (void)err;
    fuzz_fail("spend parser", "gave an event row");
}

static int fake_bad(void *ctx, long line, const char *raw, size_t raw_len, const char *reason,
                    struct ct_error *err)
{
    struct fake *f = ctx;
    check_line(f, line, "bad record");
    fuzz_check_message("bad record reason", reason);
    if (raw_len && !raw)
        fuzz_fail("bad record", "raw text NULL with a length");
    f->bad++;
    if (f->stop_on_bad)
        return ct_error_set(err, CT_ERR_INPUT, "fuzz.csv", line, 0, "%s", reason);
    return 0;
}

static void fake_skip(void *ctx, long line, long n)
{
    (void)ctx;
    (void)line;
    (void)n;
    fuzz_fail("spend parser", "skipped an order line");
}

static long count_lines(const uint8_t *d, size_t n)
{
    long lines = 1;
    for (size_t i = 0; i < n; i++)
        if (d[i] == '\n' || (d[i] == '\r' && !(i + 1 < n && d[i + 1] == '\n')))
            lines++;
    return lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char name[] = "fuzz.csv";
    struct fake fk = {
        .max_line = count_lines(data, size),
        .stop_on_bad = size % 3 == 0,
        .conflict_every = (long)(size % 4),
        .fail_after = size % 7 == 0 ? (long)(size % 5) : -1,
    };
    struct input *in = input_open_memory(data, size, name);
    struct row_sink rs = {.ctx = &fk, .row = fake_row, .bad = fake_bad, .skip = fake_skip};
    struct parse_ctx pc = {.in = in, .name = name, .tz = fuzz_utc(), .sink = &rs};
    struct spend_sink ss = {.ctx = &fk, .row = fake_spend};
    struct ct_error err;
    ct_error_clear(&err);
    long rows_read = -1;
    int rc = import_spend(&pc, &ss, &rows_read, &err);
    input_close(in);
    if (rows_read < 0)
        fuzz_fail("parser", "rows_read not set");
    if (rc) {
        if (err.code != rc)
            fuzz_fail("parser", "the status and err.code differ");
        fuzz_check_message("error message", err.msg);
        if (strcmp(err.file, name) != 0 && !(fk.failed && strcmp(err.file, "fuzz.db") == 0))
            fuzz_fail("error message does not name the file", err.file);
        return 0;
    }
    /* a conflict is a row the sink took and then a bad record */
    if (rows_read != fk.rows + fk.bad - (fk.conflict_every ? fk.rows / fk.conflict_every : 0))
        fuzz_fail("parser", "a record was neither a row nor a bad record");
    return 0;
}
