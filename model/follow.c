/*
 * follow.c - import --follow (issue 10): a tail -F reader under the event
 * parsers, and a row sink that commits in small batches.
 *
 * The parsers pull bytes through an input (input.h); here that input is
 * tail_read, which hands out complete lines only and, at the end of what
 * is there, commits the open batch and waits for more instead of ending.
 * When the file is truncated or replaced the reader ends the data there,
 * the parser finishes, and the next "generation" runs the parser again
 * from the start of the file, so line numbers and the CSV header are the
 * new file's.  The sink keeps one store writer open at a time and commits
 * it after batch_rows rows or batch_ms milliseconds.  Prints nothing.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model/follow.h"
#include "model/import_int.h"
#include "model/mem.h"
#include "model/store.h"

#define DEFAULT_BATCH_ROWS 10000
#define DEFAULT_BATCH_MS 1000
#define DEFAULT_POLL_MS 200
#define TAIL_CHUNK (256 * 1024)
/* A "line" longer than this is handed on as it is: the parser rejects it. */
#define TAIL_MAX_LINE (32 * 1024 * 1024)
#define DETECT_BYTES (64 * 1024)

static int64_t mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* --- the batching sink ------------------------------------------------- */

struct follower {
    struct store *st;
    const struct follow_opts *o;
    const char *file; /* name for messages */
    char *source;     /* for the import log */
    struct store_writer *w;
    int64_t batch_rows, batch_start, batch_rejects;
    int64_t last_note, log_id;
    FILE *rejects;
    struct follow_status s;
};

static int stopping(const struct follower *f)
{
    return f->o->stop && *f->o->stop;
}

static void note(struct follower *f, enum follow_event ev)
{
    if (f->o->note)
        f->o->note(f->o->note_ctx, ev, &f->s);
}

/* Commit the open batch, if any.  The import log keeps one row for the
 * whole follow, with running totals. */
static int commit(struct follower *f, struct ct_error *err)
{
    if (f->rejects && f->batch_rejects && fflush(f->rejects) != 0)
        return ct_error_set(err, CT_ERR_RUNTIME, f->o->rejects_path, 0, 0,
                            "cannot write the rejects file: %s", strerror(errno));
    f->batch_rejects = 0;
    if (!f->w)
        return 0;
    struct writer_note n = {.source = f->source,
                            .format = import_format_name(f->s.format),
                            .rows_read = f->s.rows_read,
                            .rejected = f->s.rejected,
                            .log_id = &f->log_id};
    struct writer_stats ws;
    int rc = store_writer_commit(f->w, &n, &ws, err);
    f->w = NULL;
    f->batch_rows = 0;
    if (rc)
        return rc;
    f->s.loaded += ws.added;
    f->s.duplicates += ws.duplicates;
    f->s.batches++;
    note(f, FOLLOW_BATCH);
    f->last_note = mono_ms();
    return 0;
}

/* Commit when the batch is old enough. */
static int commit_due(struct follower *f, struct ct_error *err)
{
    if (f->w && mono_ms() - f->batch_start >= f->o->batch_ms)
        return commit(f, err);
    return 0;
}

/* The input went quiet: what was read becomes visible now. */
static int idle(struct follower *f, struct ct_error *err)
{
    int had = f->w != NULL;
    int rc = commit(f, err);
    if (!rc && !had && mono_ms() - f->last_note >= 1000) {
        note(f, FOLLOW_IDLE);
        f->last_note = mono_ms();
    }
    return rc;
}

static int sink_row(void *ctx, const struct import_row *r, struct ct_error *err)
{
    struct follower *f = ctx;
    int rc;
    if (!f->w) {
        if ((rc = store_writer_begin(f->st, &f->w, err)))
            return rc;
        f->batch_start = mono_ms();
    }
    int added;
    if ((rc = store_writer_add(f->w, r, &added, err)))
        return rc;
    if (added && r->ts_ms > f->s.last_ts)
        f->s.last_ts = r->ts_ms;
    f->s.rows_read++;
    if (++f->batch_rows >= f->o->batch_rows)
        return commit(f, err);
    /* the clock only every 16 rows: this is the hot path */
    return (f->batch_rows & 15) == 0 ? commit_due(f, err) : 0;
}

static int sink_bad(void *ctx, long line, const char *raw, size_t raw_len, const char *reason,
                    struct ct_error *err)
{
    struct follower *f = ctx;
    if (!f->rejects)
        return ct_error_set(err, CT_ERR_INPUT, f->file, line, 0,
                            "%s (the rows before it were imported; --skip-bad FILE sets bad "
                            "rows aside and goes on)",
                            reason);
    import_rejects_write(f->rejects, f->file, line, reason, raw, raw_len);
    f->s.rows_read++;
    f->s.rejected++;
    f->batch_rejects++;
    return 0;
}

static void sink_skip(void *ctx, long line, long n)
{
    (void)ctx;
    (void)line;
    (void)n; /* event formats have no guest order lines */
}

/* --- the tail reader --------------------------------------------------- */

enum tail_next { NEXT_END, NEXT_REOPEN, NEXT_RESTART };

struct tail {
    struct follower *f;
    const char *path; /* NULL for standard input */
    int fd, is_stream;
    dev_t dev;
    ino_t ino;
    off_t pos;   /* bytes read from fd */
    int gone;    /* the name was missing at the last look */
    char *buf;   /* [start, ready) can be handed out; [ready, len) is a */
    size_t cap;  /* line still being written */
    size_t start, ready, len;
    int eof; /* this generation's data has ended */
    enum tail_next next;
};

static void tail_reset(struct tail *t)
{
    t->start = t->ready = t->len = 0;
    t->eof = 0;
    t->next = NEXT_END;
}

static int tail_open(struct tail *t, struct ct_error *err)
{
    const char *name = t->path ? t->path : "<stdin>";
    int fd = t->path ? open(t->path, O_RDONLY | O_CLOEXEC) : dup(STDIN_FILENO);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return ct_error_set(err, CT_ERR_RUNTIME, name, 0, 0, "cannot open: %s", strerror(e));
    }
    if (S_ISDIR(sb.st_mode)) {
        close(fd);
        return ct_error_set(err, CT_ERR_RUNTIME, name, 0, 0, "is a folder, not a file to follow");
    }
    t->fd = fd;
    t->is_stream = !S_ISREG(sb.st_mode);
    t->dev = sb.st_dev;
    t->ino = sb.st_ino;
    t->pos = 0;
    t->gone = 0;
    tail_reset(t);
    return 0;
}

/* Mark [ready, len) deliverable up to and including its last line end. */
static void tail_scan(struct tail *t, size_t from)
{
    for (size_t i = t->len; i > from; i--)
        if (t->buf[i - 1] == '\n') {
            t->ready = i;
            return;
        }
}

static void tail_sleep(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL); /* a signal cuts it short: the caller looks at stop */
}

/* A regular file has no more bytes: see what became of it.  Returns 1 when
 * this generation ends (t->next says how to go on), 0 to wait on. */
static int tail_look(struct tail *t)
{
    struct follower *f = t->f;
    if (!t->path)
        return 0; /* a file on standard input has no name to watch */
    struct stat now, mine;
    if (stat(t->path, &now) != 0) {
        if (!t->gone)
            note(f, FOLLOW_GONE);
        t->gone = 1; /* moved away: wait for the platform to write a new one */
        return 0;
    }
    if (now.st_dev != t->dev || now.st_ino != t->ino) {
        /* rotated: the old file is read to its end, its last line is whole */
        t->ready = t->len;
        t->eof = 1;
        t->next = NEXT_REOPEN;
        return 1;
    }
    t->gone = 0;
    if (fstat(t->fd, &mine) == 0 && mine.st_size < t->pos) {
        /* truncated: what is left of the old content is gone with it */
        t->start = t->ready = t->len = 0;
        t->eof = 1;
        t->next = NEXT_RESTART;
        return 1;
    }
    return 0;
}

static long tail_read(void *ctx, char *out, size_t n, struct ct_error *err)
{
    struct tail *t = ctx;
    struct follower *f = t->f;
    for (;;) {
        if (t->start < t->ready) {
            size_t k = t->ready - t->start;
            if (k > n)
                k = n;
            memcpy(out, t->buf + t->start, k);
            t->start += k;
            return (long)k;
        }
        if (t->eof)
            return 0;
        if (stopping(f)) {
            /* a line without its end yet stays out: a restart reads it */
            t->eof = 1;
            return 0;
        }
        if (commit_due(f, err))
            return -1;
        if (t->start) {
            memmove(t->buf, t->buf + t->start, t->len - t->start);
            t->len -= t->start;
            t->ready -= t->start;
            t->start = 0;
        }
        if (t->cap - t->len < TAIL_CHUNK / 2) {
            if (t->len >= TAIL_MAX_LINE) {
                t->ready = t->len; /* no line end in sight: let the parser judge */
                continue;
            }
            t->cap = t->cap ? t->cap * 2 : TAIL_CHUNK;
            t->buf = xrealloc(t->buf, t->cap);
        }
        if (t->is_stream) {
            struct pollfd p = {t->fd, POLLIN, 0};
            int r = poll(&p, 1, f->o->poll_ms);
            if (r == 0) {
                if (idle(f, err))
                    return -1;
                continue;
            }
            if (r < 0 && errno == EINTR)
                continue;
        }
        ssize_t got = read(t->fd, t->buf + t->len, t->cap - t->len);
        if (got > 0) {
            size_t from = t->len;
            t->len += (size_t)got;
            t->pos += got;
            tail_scan(t, from);
            continue;
        }
        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (got < 0) {
            ct_error_set(err, CT_ERR_RUNTIME, f->file, 0, 0, "read error: %s", strerror(errno));
            return -1;
        }
        if (t->is_stream) {
            /* the writer closed the pipe: its last line is complete */
            t->ready = t->len;
            t->eof = 1;
            continue;
        }
        if (idle(f, err))
            return -1;
        tail_sleep(f->o->poll_ms);
        if (!stopping(f))
            tail_look(t);
    }
}

/* --- import_follow ----------------------------------------------------- */

/* One generation: detect the format on the first one, run its parser over
 * the file from its start until the reader ends it. */
static int follow_generation(struct follower *f, struct tail *t, int first, struct ct_error *err)
{
    const struct follow_opts *o = f->o;
    struct input *in = input_open_reader(tail_read, t, f->file);
    const char *data;
    size_t len;
    int rc = input_peek(in, DETECT_BYTES, &data, &len, err);
    if (!rc && len >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b)
        rc = ct_error_set(err, CT_ERR_USAGE, f->file, 0, 0,
                          "is gzip-compressed: --follow reads plain CSV or NDJSON as it grows");
    if (!rc && len > 0 && (first || o->format == FORMAT_AUTO)) {
        enum import_format fmt = o->format;
        if (fmt == FORMAT_AUTO)
            fmt = import_detect(t->path ? t->path : "-", data, len, o->config);
        if (fmt != FORMAT_CSV && fmt != FORMAT_NDJSON)
            rc = ct_error_set(err, CT_ERR_USAGE, f->file, 0, 0,
                              "looks like a %s export: --follow reads event CSV or NDJSON "
                              "(import the export without --follow)",
                              import_format_name(fmt));
        f->s.format = fmt;
    }
    if (!rc && len > 0) {
        struct row_sink rs = {f, sink_row, sink_bad, sink_skip, NULL};
        struct parse_ctx pc = {in, f->file, o->tz, o->config, &rs};
        long rows = 0;
        rc = f->s.format == FORMAT_NDJSON ? import_ndjson(&pc, &rows, err)
                                          : import_csv_events(&pc, &rows, err);
    }
    input_close(in);
    return rc;
}

static int follow_loop(struct follower *f, struct tail *t, struct ct_error *err)
{
    int rc = tail_open(t, err);
    for (int first = 1; !rc; first = 0) {
        rc = follow_generation(f, t, first, err);
        if (rc || stopping(f) || t->next == NEXT_END)
            break;
        if (t->next == NEXT_RESTART) {
            if (lseek(t->fd, 0, SEEK_SET) < 0)
                rc = ct_error_set(err, CT_ERR_RUNTIME, f->file, 0, 0,
                                  "cannot read it again after it shrank: %s", strerror(errno));
            t->pos = 0;
            tail_reset(t);
            note(f, FOLLOW_TRUNCATED);
        } else {
            close(t->fd);
            t->fd = -1;
            rc = tail_open(t, err);
            if (!rc)
                note(f, FOLLOW_REPLACED);
        }
    }
    if (t->fd >= 0)
        close(t->fd);
    return rc;
}

int import_follow(struct store *st, const char *path, const struct follow_opts *opts,
                  struct follow_status *res, struct ct_error *err)
{
    struct follow_opts o = *opts;
    if (!o.batch_rows)
        o.batch_rows = DEFAULT_BATCH_ROWS;
    if (!o.batch_ms)
        o.batch_ms = DEFAULT_BATCH_MS;
    if (!o.poll_ms)
        o.poll_ms = DEFAULT_POLL_MS;
    memset(res, 0, sizeof *res);
    if (o.format != FORMAT_AUTO && o.format != FORMAT_CSV && o.format != FORMAT_NDJSON)
        return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                            "--follow reads event CSV or NDJSON, not --format %s",
                            import_format_name(o.format));
    int is_stdin = strcmp(path, "-") == 0;
    const char *rj = o.rejects_path;
    int rc = rj ? import_rejects_check(rj, path, store_path(st), err) : 0;
    if (rc)
        return rc;

    struct follower f = {.st = st, .o = &o, .file = is_stdin ? "<stdin>" : path};
    f.s.format = o.format == FORMAT_AUTO ? FORMAT_CSV : o.format;
    f.source = xasprintf("follow %s", path);
    f.last_note = mono_ms();
    struct tail t = {.f = &f, .path = is_stdin ? NULL : path, .fd = -1};
    if (rj)
        rc = import_rejects_open(rj, 1, &f.rejects, err);
    if (!rc)
        rc = follow_loop(&f, &t, err);
    /* a bad row stops the follow, but the good rows before it stay */
    if (!rc || rc == CT_ERR_INPUT) {
        struct ct_error cerr;
        int crc = commit(&f, rc ? &cerr : err);
        if (crc && !rc)
            rc = crc;
    }
    store_writer_abort(f.w);
    if (f.rejects && fclose(f.rejects) != 0 && !rc)
        rc = ct_error_set(err, CT_ERR_RUNTIME, rj, 0, 0, "cannot write the rejects file: %s",
                          strerror(errno));
    free(t.buf);
    free(f.source);
    *res = f.s;
    return rc;
}
