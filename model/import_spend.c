/*
 * import_spend.c - marketing spend CSV (issue 9): `convtop import --format
 * spend FILE`, one amount per row.
 *
 *     date,channel,purpose,amount
 *     2025-01,ads,acquisition,1200
 *     2025-01-15,email,retention,80.50
 *
 * Owns the spend file's columns and its row checks: date YYYY-MM-DD (a day)
 * or YYYY-MM (a month), a channel, a purpose (acquisition or retention, any
 * case), an amount that is a finite number >= 0.  Header names are matched
 * case-insensitively, with a few aliases; other columns (a campaign, a
 * note) are ignored.  Knows no SQL: good rows go to the spend sink, bad
 * ones to the row sink's `bad`, like every other format.  Entry point:
 * import_spend.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "model/csv.h"
#include "model/import_int.h"
#include "model/spend.h"

enum { COL_DATE, COL_CHANNEL, COL_PURPOSE, COL_AMOUNT, COL_COUNT };

static const char *const col_aliases[COL_COUNT][4] = {
    [COL_DATE] = {"date", "day", "month"},
    [COL_CHANNEL] = {"channel", "source", "utm_source"},
    [COL_PURPOSE] = {"purpose"},
    [COL_AMOUNT] = {"amount", "spend", "cost"},
};

static const char *const col_list[COL_COUNT] = {
    [COL_DATE] = "date, day or month",
    [COL_CHANNEL] = "channel, source or utm_source",
    [COL_PURPOSE] = "purpose",
    [COL_AMOUNT] = "amount, spend or cost",
};

struct spend_ctx {
    struct parse_ctx *pc;
    const struct spend_sink *sink;
    int col[COL_COUNT];
    size_t ncols;
};

/* Map the header's columns; a problem stops the file. */
static int read_header(struct spend_ctx *x, struct csv *c, struct ct_error *err)
{
    char **names;
    int rc = import_read_header(x->pc, c, &names, err);
    if (rc)
        return rc;
    x->ncols = c->nf;
    for (int k = 0; k < COL_COUNT; k++) {
        x->col[k] = -1;
        for (int a = 0; a < 4 && col_aliases[k][a] && x->col[k] < 0; a++)
            for (size_t i = 0; i < c->nf; i++) {
                if (strcmp(names[i], col_aliases[k][a]) != 0)
                    continue;
                if (x->col[k] >= 0) {
                    /* the same name twice: which one holds the figure? */
                    rc = ct_error_set(err, CT_ERR_INPUT, x->pc->name, c->rec_line, 0,
                                      "header: column '%s' appears twice", names[i]);
                    break;
                }
                x->col[k] = (int)i;
            }
        if (!rc && x->col[k] < 0)
            rc = ct_error_set(err, CT_ERR_INPUT, x->pc->name, c->rec_line, 0,
                              "header: no %s column (named %s); a spend file has the "
                              "columns date, channel, purpose and amount",
                              col_aliases[k][0], col_list[k]);
        if (rc)
            break;
    }
    import_free_names(names, c->nf);
    return rc;
}

/* The trimmed field of column k. */
static const char *field(struct csv *c, const struct spend_ctx *x, int k, size_t *len)
{
    char *s = c->f[x->col[k]].s;
    size_t n = c->f[x->col[k]].len;
    import_trim(&s, &n);
    *len = n;
    return s;
}

/* One record into row; NULL when fine, else the reason (in why). */
static const char *parse_record(struct spend_ctx *x, struct csv *c, struct spend_row *row,
                                char *why, size_t why_size)
{
    if (c->nf != x->ncols) {
        snprintf(why, why_size, "%zu fields, but the header has %zu", c->nf, x->ncols);
        return why;
    }
    memset(row, 0, sizeof *row);
    row->line = c->rec_line;
    char show[128];
    size_t len;
    const char *s = field(c, x, COL_DATE, &len), *tw;
    int64_t first_day;
    int days;
    if (!len)
        return "empty date";
    if ((tw = spend_date_parse(s, len, &first_day, &days))) {
        snprintf(why, why_size, "date '%s': %s", import_show(s, len, show, sizeof show), tw);
        return why;
    }
    row->date = s;

    s = field(c, x, COL_CHANNEL, &len);
    if (!len)
        return "empty channel";
    if ((tw = import_check_text(s, len, 0))) {
        snprintf(why, why_size, "channel: %s", tw);
        return why;
    }
    row->channel = s;

    s = field(c, x, COL_PURPOSE, &len);
    if (spend_purpose_parse(s, len, &row->purpose)) {
        snprintf(why, why_size, "purpose '%s': use acquisition or retention",
                 import_show(s, len, show, sizeof show));
        return why;
    }

    s = field(c, x, COL_AMOUNT, &len);
    int has;
    if ((tw = import_parse_value(s, len, &row->amount, &has))) {
        snprintf(why, why_size, "amount %s: '%s'", tw, import_show(s, len, show, sizeof show));
        return why;
    }
    if (!has)
        return "empty amount";
    /* a credit lowers the period's amount instead (see spend.h): a negative
     * row would give a channel a negative acquisition cost */
    if (row->amount < 0) {
        snprintf(why, why_size,
                 "amount '%s' is negative (spend is 0 or more; enter a credit "
                 "by lowering that period's amount)",
                 import_show(s, len, show, sizeof show));
        return why;
    }
    row->amount += 0.0; /* -0 is 0: one key, one amount */
    return NULL;
}

static const char *spend_record(void *ctx, struct csv *c, char *why, size_t why_size, int *rc,
                                struct ct_error *err)
{
    struct spend_ctx *x = ctx;
    struct spend_row row;
    const char *bad = parse_record(x, c, &row, why, why_size);
    if (bad)
        return bad;
    return x->sink->row(x->sink->ctx, &row, why, why_size, rc, err);
}

int import_spend(struct parse_ctx *pc, const struct spend_sink *sink, long *rows_read,
                 struct ct_error *err)
{
    struct csv c;
    struct spend_ctx x = {.pc = pc, .sink = sink};
    *rows_read = 0;
    csv_init(&c, pc->in);
    int rc = read_header(&x, &c, err);
    if (!rc)
        rc = import_each_record(pc, &c, 0, spend_record, &x, rows_read, err);
    csv_free(&c);
    return rc;
}
