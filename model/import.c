/*
 * import.c - convtop import (SPEC 3.2): format detection, the checks every
 * format shares, and the row sink that feeds the store writer, the rejects
 * file and the progress callback.
 *
 * One import_files call is one store transaction over all its files: the
 * first bad row (without a rejects file) or any read error rolls everything
 * back, so the database is exactly as before.  Parsers (import_csv.c,
 * import_ndjson.c, import_orders.c) know nothing of SQLite; they call the
 * sink.  Prints nothing: errors are values, progress is a callback.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model/config.h"
#include "model/csv.h"
#include "model/import.h"
#include "model/import_int.h"
#include "model/import_pipe.h"
#include "model/store.h"
#include "model/text.h"
#include "model/tstamp.h"

_Static_assert(CSV_MAX_FIELD == IMPORT_MAX_FIELD, "one field limit for reader and checks");

/* Enough to hold a header line of any sane file, for format detection. */
#define DETECT_BYTES (64 * 1024)
/* Progress at most five times a second. */
#define PROGRESS_NS 200000000L

/* --- formats ----------------------------------------------------------- */

static const struct {
    const char *name;
    enum import_format f;
} formats[] = {
    {"auto", FORMAT_AUTO},     {"csv", FORMAT_CSV},         {"ndjson", FORMAT_NDJSON},
    {"jsonl", FORMAT_NDJSON},  {"shopify", FORMAT_SHOPIFY}, {"online-retail", FORMAT_ONLINE_RETAIL},
    {"orders", FORMAT_ORDERS}, {"spend", FORMAT_SPEND},
};

int import_format_parse(const char *name, enum import_format *out)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcasecmp(name, formats[i].name) == 0) {
            *out = formats[i].f;
            return 0;
        }
    return -1;
}

const char *import_format_name(enum import_format f)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (formats[i].f == f)
            return formats[i].name;
    return "?";
}

/* --- shared checks ----------------------------------------------------- */

const char *import_check_text(const char *s, size_t len, int multiline)
{
    if (len > IMPORT_MAX_FIELD)
        return "longer than 64 KiB";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    /* most fields are printable ASCII: one cheap pass decides */
    while (i < len && p[i] >= 0x20 && p[i] < 0x7F)
        i++;
    if (i == len)
        return NULL;
    if (memchr(s + i, '\0', len - i))
        return "NUL byte";
    if (!text_utf8_valid(s + i, len - i))
        return "invalid UTF-8";
    if (text_has_control(s + i, len - i, multiline))
        return multiline ? "control character (only tab, CR and LF are allowed in free text)"
                         : "control character (tab, line breaks, escapes are not allowed here)";
    return NULL;
}

void import_trim(char **s, size_t *len)
{
    char *p = *s;
    size_t n = *len;
    while (n && (*p == ' ' || *p == '\t')) {
        p++;
        n--;
    }
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (n < *len - (size_t)(p - *s))
        p[n] = '\0';
    *s = p;
    *len = n;
}

static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* strtod for the rare value the fast path cannot do exactly.  main() sets
 * the user's locale, whose decimal point may be a comma, so the '.' of the
 * (already validated) text is replaced by the locale's point first. */
static double slow_strtod(const char *s, size_t len)
{
    const char *dp = localeconv()->decimal_point;
    size_t dpl = dp && *dp ? strlen(dp) : 1;
    char buf[160];
    size_t o = 0;
    for (size_t i = 0; i < len && o + dpl + 1 < sizeof buf; i++) {
        if (s[i] == '.' && dp && *dp) {
            memcpy(buf + o, dp, dpl);
            o += dpl;
        } else {
            buf[o++] = s[i];
        }
    }
    buf[o] = '\0';
    return strtod(buf, NULL);
}

const char *import_parse_value(const char *s, size_t len, double *out, int *has)
{
    *has = 0;
    *out = 0;
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0)
        return NULL;
    if (len > 64)
        return "not a number";
    size_t i = 0;
    int neg = 0;
    if (s[i] == '+' || s[i] == '-')
        neg = s[i++] == '-';
    uint64_t mant = 0;
    int ndig = 0, sig = 0, frac = 0, exact = 1;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, ndig++) {
        if (mant == 0 && s[i] == '0')
            continue;
        if (++sig > 19)
            exact = 0;
        else
            mant = mant * 10 + (uint64_t)(s[i] - '0');
    }
    if (i < len && s[i] == '.') {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, ndig++, frac++) {
            if (mant == 0 && s[i] == '0')
                continue;
            if (++sig > 19)
                exact = 0;
            else
                mant = mant * 10 + (uint64_t)(s[i] - '0');
        }
    }
    if (ndig == 0)
        return "not a number";
    long exp = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        int eneg = 0, edig = 0;
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, edig++)
            if (exp < 100000)
                exp = exp * 10 + (s[i] - '0');
        if (edig == 0)
            return "not a number";
        if (eneg)
            exp = -exp;
    }
    if (i != len)
        return "not a number";
    long e10 = exp - frac;
    double v;
    /* Clinger's fast path: an exact mantissa times or over an exact power of
     * ten is one correctly rounded operation */
    if (exact && mant <= (UINT64_C(1) << 53) && e10 >= -22 && e10 <= 22)
        v = e10 < 0 ? (double)mant / pow10_exact[-e10] : (double)mant * pow10_exact[e10];
    else
        v = fabs(slow_strtod(s, len));
    if (!isfinite(v))
        return "out of range (not a finite number)";
    *out = neg ? -v : v;
    *has = 1;
    return NULL;
}

/* One identity field: single-line text. */
static const char *check_ident(const char *what, const char *s, char *buf, size_t size)
{
    if (!s || !*s)
        return NULL;
    const char *why = import_check_text(s, strlen(s), 0);
    if (!why)
        return NULL;
    snprintf(buf, size, "%s: %s", what, why);
    return buf;
}

const char *import_check_row(const struct import_row *r, char *buf, size_t size)
{
    if (!r->customer || !*r->customer)
        return "no customer id";
    if (!r->event || !*r->event)
        return "no event name";
    const char *why;
    if ((why = check_ident("customer id", r->customer, buf, size)) ||
        (why = check_ident("event", r->event, buf, size)) ||
        (why = check_ident("email", r->email, buf, size)) ||
        (why = check_ident("name", r->name, buf, size)) ||
        (why = check_ident("channel", r->channel, buf, size)) ||
        (why = check_ident("session", r->session, buf, size)) ||
        (why = check_ident("event id", r->event_id, buf, size)) ||
        (why = check_ident("country", r->country, buf, size)) ||
        (why = check_ident("acquisition channel", r->acq_channel, buf, size)))
        return why;
    if (r->ts_ms < TSTAMP_MIN_MS || r->ts_ms > TSTAMP_MAX_MS)
        return "timestamp out of range (years 1970-9999)";
    if (r->has_value && !isfinite(r->value))
        return "value: not a finite number";
    return NULL;
}

char *import_norm_name(const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    char *out = xmalloc(len + 1);
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        else if (c == ' ' || c == '-')
            c = '_';
        out[i] = c;
    }
    out[len] = '\0';
    return out;
}

void import_json_string(struct strbuf *sb, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    sb_addc(sb, '"');
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        sb_add(sb, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            sb_add(sb, "\\\"", 2);
            break;
        case '\\':
            sb_add(sb, "\\\\", 2);
            break;
        case '\n':
            sb_add(sb, "\\n", 2);
            break;
        case '\r':
            sb_add(sb, "\\r", 2);
            break;
        case '\t':
            sb_add(sb, "\\t", 2);
            break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            sb_add(sb, u, sizeof u);
        }
        }
    }
    sb_add(sb, s + run, len - run);
    sb_addc(sb, '"');
}

static const char *const role_aliases[ROLE_COUNT][5] = {
    [ROLE_CUSTOMER] = {"customer", "customer_id", "user_id", "visitor_id"},
    [ROLE_TS] = {"ts", "timestamp", "time", "event_time"},
    /* "name" last: an event or event_type column leaves it to ROLE_NAME */
    [ROLE_EVENT] = {"event", "event_type", "name"},
    [ROLE_VALUE] = {"value", "revenue", "amount", "price"},
    [ROLE_CHANNEL] = {"channel", "source", "utm_source"},
    [ROLE_SESSION] = {"session", "session_id"},
    [ROLE_EMAIL] = {"email"},
    [ROLE_NAME] = {"name"},
    [ROLE_EVENT_ID] = {"event_id"},
    [ROLE_COUNTRY] = {"country"},
    [ROLE_ACQ_CHANNEL] = {"acquisition_channel"},
};

static const char *const role_list[ROLE_COUNT] = {
    [ROLE_CUSTOMER] = "customer, customer_id, user_id or visitor_id",
    [ROLE_TS] = "ts, timestamp, time or event_time",
    [ROLE_EVENT] = "event, event_type or name",
    [ROLE_VALUE] = "value, revenue, amount or price",
    [ROLE_CHANNEL] = "channel, source or utm_source",
    [ROLE_SESSION] = "session or session_id",
    [ROLE_EMAIL] = "email",
    [ROLE_NAME] = "name",
    [ROLE_EVENT_ID] = "event_id",
    [ROLE_COUNTRY] = "country",
    [ROLE_ACQ_CHANNEL] = "acquisition_channel",
};

void import_event_roles(char *const *names, size_t n, int role_col[ROLE_COUNT])
{
    for (int r = 0; r < ROLE_COUNT; r++) {
        role_col[r] = -1;
        for (int a = 0; a < 5 && role_aliases[r][a] && role_col[r] < 0; a++)
            for (size_t i = 0; i < n; i++) {
                if (strcmp(names[i], role_aliases[r][a]) != 0)
                    continue;
                int taken = 0;
                for (int q = 0; q < r; q++)
                    taken |= role_col[q] == (int)i;
                if (!taken) {
                    role_col[r] = (int)i;
                    break;
                }
            }
    }
}

const char *import_role_names(enum import_role role)
{
    return role < ROLE_COUNT ? role_list[role] : "?";
}

const char *import_show(const char *s, size_t len, char *buf, size_t size)
{
    char tmp[200];
    size_t n = len < sizeof tmp - 1 ? len : sizeof tmp - 1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *nul = memchr(tmp, '\0', n);
    if (nul)
        n = (size_t)(nul - tmp);
    text_sanitize(tmp, buf, size);
    size_t fit = text_fit(buf, 40);
    if (buf[fit] || n < len) {
        if (fit + 4 > size)
            fit = size > 4 ? size - 4 : 0;
        memcpy(buf + fit, "...", 4);
    }
    return buf;
}

/* --- what every parser does ------------------------------------------- */

void import_free_names(char **names, size_t n)
{
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

int import_read_header(struct parse_ctx *pc, struct csv *c, char ***names, struct ct_error *err)
{
    *names = NULL;
    int r = csv_next(c, err);
    if (r < 0)
        return CT_ERR_RUNTIME;
    if (r == 0)
        return ct_error_set(err, CT_ERR_INPUT, pc->name, 1, 0,
                            "no header row (a CSV import needs one naming the columns)");
    if (c->bad)
        return ct_error_set(err, CT_ERR_INPUT, pc->name, c->rec_line, 0, "header: %s", c->bad);
    for (size_t i = 0; i < c->nf; i++) {
        const char *why = import_check_text(c->f[i].s, c->f[i].len, 0);
        if (why)
            return ct_error_set(err, CT_ERR_INPUT, pc->name, c->rec_line, 0,
                                "header, column %zu: %s", i + 1, why);
    }
    *names = xcalloc(c->nf, sizeof **names);
    for (size_t i = 0; i < c->nf; i++)
        (*names)[i] = import_norm_name(c->f[i].s, c->f[i].len);
    return 0;
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    return 1;
}

int import_each_record(struct parse_ctx *pc, struct csv *c, int by_line, import_record_fn fn,
                       void *ctx, long *rows_read, struct ct_error *err)
{
    struct row_sink *sink = pc->sink;
    int rc = 0;
    while (!rc) {
        int r = by_line ? csv_next_line(c, err) : csv_next(c, err);
        if (r < 0)
            return CT_ERR_RUNTIME;
        if (r == 0)
            break;
        if (by_line && !c->bad && is_blank(c->raw, c->raw_len))
            continue;
        ++*rows_read;
        char why[512];
        const char *bad = c->bad ? c->bad : fn(ctx, c, why, sizeof why, &rc, err);
        if (bad) {
            /* parsers quote data through import_show, but a reason cut by
             * snprintf can end inside a character: what reaches a terminal
             * or the rejects file is made printable here, once */
            char clean[sizeof why];
            text_sanitize(bad, clean, sizeof clean);
            rc = sink->bad(sink->ctx, c->rec_line, c->raw, c->raw_len, clean, err);
        }
        if (sink->tick)
            sink->tick(sink->ctx, *rows_read);
    }
    return rc;
}

/* --- format detection -------------------------------------------------- */

static int ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && strncasecmp(s + len - n, suffix, n) == 0;
}

struct header {
    char **names; /* normalized */
    size_t n;
};

static int header_has(const struct header *h, const char *name)
{
    for (size_t i = 0; i < h->n; i++)
        if (strcmp(h->names[i], name) == 0)
            return 1;
    return 0;
}

static int header_has_col(const struct header *h, const char *col)
{
    if (!col)
        return 0;
    char *n = import_norm_name(col, strlen(col));
    int has = header_has(h, n);
    free(n);
    return has;
}

enum import_format import_detect(const char *path, const char *data, size_t len,
                                 const struct config *cfg)
{
    size_t plen = strlen(path);
    if (ends_with(path, plen, ".gz"))
        plen -= 3;
    if (ends_with(path, plen, ".ndjson") || ends_with(path, plen, ".jsonl") ||
        ends_with(path, plen, ".json"))
        return FORMAT_NDJSON;
    /* a stream that starts with an object is NDJSON whatever its name (stdin) */
    size_t i = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    if (i < len && data[i] == '{')
        return FORMAT_NDJSON;

    struct csv c;
    csv_init_mem(&c, data, len);
    struct header h = {0};
    if (csv_next(&c, NULL) == 1) {
        h.names = xcalloc(c.nf, sizeof *h.names);
        for (size_t k = 0; k < c.nf; k++)
            h.names[h.n++] = import_norm_name(c.f[k].s, c.f[k].len);
    }
    csv_free(&c);
    enum import_format f = FORMAT_CSV;
    const struct order_mapping *m = cfg ? &cfg->orders : NULL;
    if (m && m->present && header_has_col(&h, m->order) && header_has_col(&h, m->time))
        f = FORMAT_ORDERS;
    else if ((header_has(&h, "invoiceno") || header_has(&h, "invoice")) &&
             header_has(&h, "invoicedate") && header_has(&h, "quantity") &&
             (header_has(&h, "unitprice") || header_has(&h, "price")) &&
             (header_has(&h, "customerid") || header_has(&h, "customer_id")))
        f = FORMAT_ONLINE_RETAIL;
    else if (header_has(&h, "name") && header_has(&h, "created_at") &&
             header_has(&h, "lineitem_quantity"))
        f = FORMAT_SHOPIFY;
    for (size_t k = 0; k < h.n; k++)
        free(h.names[k]);
    free(h.names);
    return f;
}

/* --- the sink ---------------------------------------------------------- */

struct sink {
    struct store_writer *w;
    const struct import_opts *opts;
    FILE *rejects;
    const char *file; /* current file, for messages */
    struct input *in;
    /* while a parser runs on the pipe's thread the input is its own: the
     * position for progress comes from the pipe (import_pipe.h) */
    int piped;
    uint64_t pos;
    int64_t rejected, skipped;
    int64_t rows_before; /* rows of the files already read, for progress */
    unsigned ticks;
    struct timespec last;
};

static int sink_row(void *ctx, const struct import_row *r, struct ct_error *err)
{
    struct sink *s = ctx;
    /* the store needs these; parsers have checked them, this is a fuse */
    if (!r->customer || !*r->customer || !r->event || !*r->event)
        return ct_error_set(err, CT_ERR_INPUT, s->file, r->line, 0,
                            "internal error: a row without customer or event");
    /* stored many rows at a time: what was new is counted at the commit */
    return store_writer_queue(s->w, r, err);
}

/* Write s as one CSV field, quoted, quotes doubled. */
static void put_quoted(FILE *f, const char *s, size_t n)
{
    fputc('"', f);
    size_t run = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '"') {
            fwrite(s + run, 1, i + 1 - run, f);
            fputc('"', f);
            run = i + 1;
        }
    fwrite(s + run, 1, n - run, f);
    fputc('"', f);
}

void import_rejects_write(FILE *f, const char *file, long line, const char *reason,
                          const char *raw, size_t raw_len)
{
    put_quoted(f, file, strlen(file));
    fprintf(f, ",%ld,", line);
    put_quoted(f, reason, strlen(reason));
    fputc(',', f);
    put_quoted(f, raw ? raw : "", raw ? raw_len : 0);
    fputc('\n', f);
}

static int sink_bad(void *ctx, long line, const char *raw, size_t raw_len, const char *reason,
                    struct ct_error *err)
{
    struct sink *s = ctx;
    if (!s->rejects)
        return ct_error_set(err, CT_ERR_INPUT, s->file, line, 0,
                            "%s (nothing was imported; --skip-bad FILE sets bad rows aside)",
                            reason);
    import_rejects_write(s->rejects, s->file, line, reason, raw, raw_len);
    s->rejected++;
    return 0;
}

static void sink_skip(void *ctx, long line, long n)
{
    struct sink *s = ctx;
    (void)line;
    s->skipped += n;
}

/* A spend row (import_spend.c) into the same transaction; a second amount
 * for a key this import already gave is a bad row (store.h). */
static const char *sink_spend(void *ctx, const struct spend_row *r, char *why, size_t why_size,
                              int *rc, struct ct_error *err)
{
    struct sink *s = ctx;
    enum spend_outcome out;
    double prev;
    *rc = store_writer_add_spend(s->w, r, &out, &prev, err);
    if (*rc)
        return NULL;
    if (out == SPEND_CONFLICT) {
        char show[128];
        snprintf(why, why_size,
                 "%s %s %s: amount %.15g, but an earlier row of this import gives %.15g (one "
                 "amount per date, channel and purpose)",
                 r->date, import_show(r->channel, strlen(r->channel), show, sizeof show),
                 spend_purpose_name(r->purpose), r->amount, prev);
        return why;
    }
    return NULL; /* counted by the writer, like events */
}

static void report_progress(struct sink *s, long rows)
{
    if (s->opts->progress)
        s->opts->progress(s->opts->progress_ctx, s->file, s->piped ? s->pos : input_pos(s->in),
                          input_size(s->in), s->rows_before + rows);
}

static void sink_tick(void *ctx, long rows)
{
    struct sink *s = ctx;
    /* look at the clock only every 256 records: it is the hot path */
    if (!s->opts->progress || (++s->ticks & 255))
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ns = (long)(now.tv_sec - s->last.tv_sec) * 1000000000L + (now.tv_nsec - s->last.tv_nsec);
    if (ns < PROGRESS_NS)
        return;
    s->last = now;
    report_progress(s, rows);
}

/* --- import_files ------------------------------------------------------ */

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

int import_rejects_open(const char *path, int append, FILE **out, struct ct_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0600);
    struct stat sb;
    FILE *f = fd >= 0 ? fdopen(fd, append ? "a" : "w") : NULL;
    if (!f || fstat(fd, &sb) != 0) {
        int e = errno;
        if (f)
            fclose(f);
        else if (fd >= 0)
            close(fd);
        return ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0, "cannot write the rejects file: %s",
                            strerror(e));
    }
    if (sb.st_size == 0)
        fputs("file,line,reason,raw\n", f);
    *out = f;
    return 0;
}

int import_rejects_check(const char *rejects, const char *input, const char *db,
                         struct ct_error *err)
{
    if (strcmp(input, "-") != 0 && same_file(rejects, input))
        return ct_error_set(err, CT_ERR_USAGE, rejects, 0, 0,
                            "the rejects file is also an input file; choose another");
    if (same_file(rejects, db))
        return ct_error_set(err, CT_ERR_USAGE, rejects, 0, 0,
                            "the rejects file is the database; choose another");
    return 0;
}

/* The event formats in the shape import_pipe_run calls. */
static int parse_csv(struct parse_ctx *pc, void *arg, long *rows, struct ct_error *err)
{
    (void)arg;
    return import_csv_events(pc, rows, err);
}

static int parse_ndjson(struct parse_ctx *pc, void *arg, long *rows, struct ct_error *err)
{
    (void)arg;
    return import_ndjson(pc, rows, err);
}

static int parse_orders(struct parse_ctx *pc, void *arg, long *rows, struct ct_error *err)
{
    return import_orders(pc, *(enum import_format *)arg, rows, err);
}

static int import_one(struct sink *s, const char *path, struct import_result *res,
                      struct ct_error *err)
{
    const struct import_opts *o = s->opts;
    struct input *in;
    int rc = input_open(path, &in, err);
    if (rc)
        return rc;
    const char *data;
    size_t len;
    rc = input_peek(in, DETECT_BYTES, &data, &len, err);
    if (!rc && len == 0)
        rc = ct_error_set(err, CT_ERR_INPUT, input_name(in), 0, 0,
                          "the file is empty: there is nothing to import (not even a header)");
    enum import_format f = o->format;
    if (!rc && f == FORMAT_AUTO)
        f = import_detect(path, data, len, o->config);
    if (!rc && f == FORMAT_ORDERS && !(o->config && o->config->orders.present))
        rc = ct_error_set(err, CT_ERR_USAGE, input_name(in), 0, 0,
                          "the orders format needs an orders mapping in the config");
    if (rc) {
        input_close(in);
        return rc;
    }
    s->file = input_name(in);
    s->in = in;
    struct row_sink rs = {s, sink_row, sink_bad, sink_skip, sink_tick};
    struct parse_ctx pc = {in, input_name(in), o->tz, o->config, &rs};
    long rows = 0;
    import_parse_fn parse = parse_csv;
    switch (f) {
    case FORMAT_NDJSON:
        parse = parse_ndjson;
        break;
    case FORMAT_SHOPIFY:
    case FORMAT_ONLINE_RETAIL:
    case FORMAT_ORDERS:
        parse = parse_orders;
        break;
    case FORMAT_SPEND:
        parse = NULL;
        break;
    default:
        f = FORMAT_CSV;
        break;
    }
    if (parse) {
        s->piped = 1;
        s->pos = 0;
        rc = import_pipe_run(&pc, parse, &f, &s->pos, &rows, err);
        s->piped = 0;
    } else {
        /* spend files are small and their sink answers each row: no pipe */
        struct spend_sink ss = {s, sink_spend};
        rc = import_spend(&pc, &ss, &rows, err);
    }
    if (!rc) {
        report_progress(s, rows);
        s->rows_before += rows;
    }
    res->rows_read += rows;
    res->format = f;
    s->in = NULL;
    input_close(in);
    return rc;
}

int import_files(struct store *st, char *const *paths, size_t n, const struct import_opts *opts,
                 struct import_result *res, struct ct_error *err)
{
    memset(res, 0, sizeof *res);
    res->format = opts->format;
    if (n == 0)
        return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0, "no file to import");
    const char *rj = opts->rejects_path;
    for (size_t i = 0; rj && i < n; i++) {
        int rc = import_rejects_check(rj, paths[i], store_path(st), err);
        if (rc)
            return rc;
    }
    struct sink s = {0};
    s.opts = opts;
    clock_gettime(CLOCK_MONOTONIC, &s.last);
    int rc = store_writer_begin(st, &s.w, err);
    if (rc)
        return rc;
    if (rj && (rc = import_rejects_open(rj, 0, &s.rejects, err))) {
        store_writer_abort(s.w);
        return rc;
    }
    enum import_format first = FORMAT_AUTO;
    int mixed = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        rc = import_one(&s, paths[i], res, err);
        if (i == 0)
            first = res->format;
        else if (res->format != first)
            mixed = 1;
    }
    if (s.rejects) {
        int bad = ferror(s.rejects);
        if (fclose(s.rejects) != 0 || bad)
            if (!rc)
                rc = ct_error_set(err, CT_ERR_RUNTIME, rj, 0, 0,
                                  "cannot write the rejects file: %s", strerror(errno));
        s.rejects = NULL;
    }
    res->rejected = s.rejected;
    res->skipped = s.skipped;
    if (rc) {
        store_writer_abort(s.w);
        if (rj)
            unlink(rj); /* nothing was imported, so no rows were set aside */
        return rc;
    }
    if (res->rows_read == 0) {
        /* header-only input: leave the database untouched, not even the log */
        store_writer_abort(s.w);
        return 0;
    }
    struct strbuf src = {0};
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_addc(&src, ' ');
        sb_adds(&src, paths[i]);
    }
    struct writer_note note = {.source = sb_cstr(&src),
                               .format = mixed ? "mixed" : import_format_name(first),
                               .rows_read = res->rows_read,
                               .rejected = res->rejected,
                               .skipped = res->skipped};
    struct writer_stats stats;
    rc = store_writer_commit(s.w, &note, &stats, err);
    sb_free(&src);
    if (rc) {
        if (rj)
            unlink(rj);
        return rc;
    }
    res->loaded = stats.added;
    res->duplicates = stats.duplicates;
    res->new_customers = stats.new_customers;
    return 0;
}
