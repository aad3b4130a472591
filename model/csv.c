/*
 * csv.c - the RFC 4180 record reader and the line reader of csv.h.
 *
 * Owns one growing byte buffer that always holds the current record from
 * its first byte, so the raw text of a bad record can be handed out without
 * a copy; earlier records are dropped when the buffer is refilled.  Field
 * values are copied once, unquoted, into a second reused buffer.  The inner
 * loops scan runs of ordinary bytes with a lookup table and copy them whole,
 * because this is the hot path of every CSV import.  Prints nothing.
 */
#include "autoconf.h"

#include <string.h>

#include "model/csv.h"
#include "model/mem.h"

#define CSV_CHUNK (256 * 1024)

/* Bytes that end a run: in an unquoted field, and inside quotes. */
static const unsigned char stop_plain[256] = {[','] = 1, ['\n'] = 1, ['\r'] = 1, ['\0'] = 1};
static const unsigned char stop_quoted[256] = {['"'] = 1, ['\n'] = 1, ['\r'] = 1, ['\0'] = 1};

void csv_init(struct csv *c, struct input *in)
{
    memset(c, 0, sizeof *c);
    c->in = in;
    c->chunk = CSV_CHUNK;
    c->line = 1;
    c->raw = "";
}

void csv_init_mem(struct csv *c, const char *data, size_t len)
{
    csv_init(c, NULL);
    c->mem = data;
    c->mem_len = len;
}

void csv_free(struct csv *c)
{
    if (!c)
        return;
    free(c->buf);
    free(c->val);
    free(c->off);
    free(c->f);
    memset(c, 0, sizeof *c);
}

/* Read more bytes after len, first dropping what earlier records used.
 * Returns 1 when bytes were added, 0 at the end of the data, -1 on error. */
static int fill(struct csv *c, struct ct_error *err)
{
    if (c->eof)
        return 0;
    if (c->len - c->rec_start >= CSV_MAX_RECORD) {
        /* too long to keep whole: forget the raw text read so far */
        c->raw_lost = 1;
        c->rec_start = c->pos;
    }
    if (c->rec_start > 0) {
        memmove(c->buf, c->buf + c->rec_start, c->len - c->rec_start);
        c->len -= c->rec_start;
        c->pos -= c->rec_start;
        c->rec_start = 0;
    }
    size_t chunk = c->chunk ? c->chunk : 1;
    if (c->cap - c->len < chunk) {
        size_t ncap = c->cap ? c->cap * 2 : 4096;
        while (ncap - c->len < chunk)
            ncap *= 2;
        c->buf = xrealloc(c->buf, ncap);
        c->cap = ncap;
    }
    size_t got;
    if (c->in) {
        long n = input_read(c->in, c->buf + c->len, chunk, err);
        if (n < 0)
            return -1;
        got = (size_t)n;
    } else {
        got = c->mem_len - c->mem_pos;
        if (got > chunk)
            got = chunk;
        memcpy(c->buf + c->len, c->mem + c->mem_pos, got);
        c->mem_pos += got;
    }
    if (got == 0) {
        c->eof = 1;
        return 0;
    }
    c->len += got;
    return 1;
}

/* A byte at pos: 1, or 0 at the end, -1 on error. */
static inline int avail(struct csv *c, struct ct_error *err)
{
    return c->pos < c->len ? 1 : fill(c, err);
}

/* Skip a UTF-8 byte order mark at the very start. */
static int start(struct csv *c, struct ct_error *err)
{
    c->started = 1;
    while (c->len - c->pos < 3) {
        int r = fill(c, err);
        if (r < 0)
            return -1;
        if (r == 0)
            break;
    }
    if (c->len - c->pos >= 3 && memcmp(c->buf + c->pos, "\xEF\xBB\xBF", 3) == 0)
        c->pos += 3;
    return 0;
}

/* After a CR at pos-1: eat the LF of a CRLF. */
static int eat_lf(struct csv *c, struct ct_error *err)
{
    int r = avail(c, err);
    if (r < 0)
        return -1;
    if (r > 0 && c->buf[c->pos] == '\n')
        c->pos++;
    return 0;
}

static void set_bad(struct csv *c, const char *why)
{
    if (!c->bad)
        c->bad = why;
}

/* Append to the current field, up to CSV_MAX_FIELD bytes, and up to
 * CSV_MAX_RECORD bytes for the record (the record is bad by then: raw text
 * is at least as long as its values). */
static void add(struct csv *c, const char *s, size_t n)
{
    size_t flen = c->vlen - c->fstart;
    if (flen + n > CSV_MAX_FIELD) {
        set_bad(c, "field over 64 KiB");
        n = flen < CSV_MAX_FIELD ? CSV_MAX_FIELD - flen : 0;
    }
    if (c->vlen + n > CSV_MAX_RECORD) {
        set_bad(c, "record over 16 MiB");
        n = c->vlen < CSV_MAX_RECORD ? CSV_MAX_RECORD - c->vlen : 0;
    }
    if (c->vlen + n + 1 > c->vcap) {
        size_t ncap = c->vcap ? c->vcap * 2 : 1024;
        while (ncap < c->vlen + n + 1)
            ncap *= 2;
        c->val = xrealloc(c->val, ncap);
        c->vcap = ncap;
    }
    memcpy(c->val + c->vlen, s, n);
    c->vlen += n;
}

static void end_field(struct csv *c)
{
    if (c->nf == CSV_MAX_FIELDS) {
        /* a million commas must not cost a million offsets: drop the rest */
        set_bad(c, "more than 65536 fields");
        c->vlen = c->fstart;
        return;
    }
    add(c, "", 0); /* makes room for the NUL */
    c->val[c->vlen++] = '\0';
    if (c->nf == c->fcap) {
        c->fcap = c->fcap ? c->fcap * 2 : 32;
        c->off = xreallocarray(c->off, c->fcap, 2 * sizeof *c->off);
        c->f = xreallocarray(c->f, c->fcap, sizeof *c->f);
    }
    c->off[2 * c->nf] = c->fstart;
    c->off[2 * c->nf + 1] = c->vlen - 1 - c->fstart;
    c->nf++;
    c->fstart = c->vlen;
}

/* Inside quotes, after the opening quote.  Returns 1 after the closing
 * quote, 0 at the end of the data (unterminated), -1 on error. */
static int quoted(struct csv *c, struct ct_error *err)
{
    for (;;) {
        int r = avail(c, err);
        if (r <= 0)
            return r;
        const char *p = c->buf + c->pos, *end = c->buf + c->len, *q = p;
        while (q < end && !stop_quoted[(unsigned char)*q])
            q++;
        add(c, p, (size_t)(q - p));
        c->pos += (size_t)(q - p);
        if (q == end)
            continue;
        char ch = *q;
        c->pos++;
        if (ch == '"') {
            r = avail(c, err);
            if (r < 0)
                return -1;
            if (r == 0 || c->buf[c->pos] != '"')
                return 1;
            add(c, "\"", 1); /* a doubled quote is one quote */
            c->pos++;
        } else if (ch == '\n') {
            add(c, "\n", 1);
            c->line++;
        } else if (ch == '\r') {
            add(c, "\r", 1);
            r = avail(c, err);
            if (r < 0)
                return -1;
            if (r > 0 && c->buf[c->pos] == '\n') {
                add(c, "\n", 1);
                c->pos++;
            }
            c->line++;
        } else {
            set_bad(c, "NUL byte in the data");
        }
    }
}

/* An unquoted field, or what follows a closing quote (after_quote), up to
 * its end.  Returns the byte that ends it, left at pos (',', '\n', '\r'),
 * or 0 at the end of the data, -1 on error. */
static int plain(struct csv *c, int after_quote, struct ct_error *err)
{
    for (;;) {
        int r = avail(c, err);
        if (r <= 0)
            return r;
        const char *p = c->buf + c->pos, *end = c->buf + c->len, *q = p;
        while (q < end && !stop_plain[(unsigned char)*q])
            q++;
        if (q > p) {
            if (after_quote)
                set_bad(c, "text after a closing quote (a quote inside a quoted field "
                           "must be doubled)");
            add(c, p, (size_t)(q - p));
            c->pos += (size_t)(q - p);
        }
        if (q == end)
            continue;
        if (*q != '\0')
            return (unsigned char)*q;
        set_bad(c, "NUL byte in the data");
        c->pos++;
    }
}

/* The record is complete: point the fields and the raw text at it. */
static void finish(struct csv *c, size_t raw_len)
{
    for (size_t i = 0; i < c->nf; i++) {
        c->f[i].s = c->val + c->off[2 * i];
        c->f[i].len = c->off[2 * i + 1];
    }
    if (c->raw_lost) {
        set_bad(c, "record over 16 MiB");
        c->raw = "";
        c->raw_len = 0;
    } else {
        c->raw = c->buf + c->rec_start;
        c->raw_len = raw_len;
    }
}

/* Consume the line end at pos (LF, CR or CRLF). */
static int end_line(struct csv *c, struct ct_error *err)
{
    char ch = c->buf[c->pos++];
    c->line++;
    return ch == '\r' ? eat_lf(c, err) : 0;
}

int csv_next(struct csv *c, struct ct_error *err)
{
    if (!c->started && start(c, err) < 0)
        return -1;
    c->rec_start = c->pos;
    c->nf = 0;
    for (;;) { /* empty lines between records */
        int r = avail(c, err);
        if (r <= 0)
            return r;
        char ch = c->buf[c->pos];
        if (ch != '\n' && ch != '\r')
            break;
        if (end_line(c, err) < 0)
            return -1;
        c->rec_start = c->pos;
    }
    c->rec_line = c->line;
    c->bad = NULL;
    c->raw_lost = 0;
    c->vlen = c->fstart = 0;
    for (;;) {
        int r = avail(c, err), after_quote = 0;
        if (r < 0)
            return -1;
        if (r > 0 && c->buf[c->pos] == '"') {
            c->pos++;
            r = quoted(c, err);
            if (r < 0)
                return -1;
            if (r == 0) {
                /* this outranks a long field: the stray quote is the cause */
                c->bad = "unterminated quoted field (a quote opened here is never closed)";
                end_field(c);
                finish(c, c->pos - c->rec_start);
                return 1;
            }
            after_quote = 1;
        }
        r = plain(c, after_quote, err);
        if (r < 0)
            return -1;
        end_field(c);
        if (r == ',') {
            c->pos++;
            continue;
        }
        size_t raw_len = c->pos - c->rec_start;
        if (r != 0 && end_line(c, err) < 0)
            return -1;
        finish(c, raw_len);
        return 1;
    }
}

int csv_next_line(struct csv *c, struct ct_error *err)
{
    if (!c->started && start(c, err) < 0)
        return -1;
    c->rec_start = c->pos;
    c->nf = 0;
    int r = avail(c, err);
    if (r <= 0)
        return r;
    c->rec_line = c->line;
    c->bad = NULL;
    c->raw_lost = 0;
    for (;;) {
        r = avail(c, err);
        if (r < 0)
            return -1;
        if (r == 0) {
            finish(c, c->pos - c->rec_start);
            return 1;
        }
        const char *p = c->buf + c->pos, *end = c->buf + c->len, *q = p;
        while (q < end && *q != '\n' && *q != '\r' && *q != '\0')
            q++;
        c->pos += (size_t)(q - p);
        if (q == end)
            continue;
        if (*q == '\0') {
            set_bad(c, "NUL byte in the data");
            c->pos++;
            continue;
        }
        size_t raw_len = c->pos - c->rec_start;
        if (end_line(c, err) < 0)
            return -1;
        finish(c, raw_len);
        return 1;
    }
}
