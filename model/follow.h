/*
 * follow.h - convtop import --follow (issue 10): keep reading an event CSV
 * or NDJSON file as the shop's platform appends to it, or a pipe, and
 * commit what arrives in small batches.
 *
 * Like tail -F: a file that is truncated is read again from its start, one
 * that is replaced by a new file of the same name is followed into the new
 * file (each must start with its header again, for CSV); re-reading adds
 * nothing twice because every import de-duplicates.  Each batch is one
 * transaction, committed after batch_rows rows or batch_ms milliseconds,
 * whichever comes first, and whenever the input goes quiet.  Only complete
 * lines are read, so a row the platform is still writing waits for its
 * line end, and a stop never imports half a line.
 */
#ifndef CT_FOLLOW_H
#define CT_FOLLOW_H

#include <signal.h>
#include <stdint.h>

#include "model/error.h"
#include "model/import.h"

struct store;
struct tz;
struct config;

struct follow_status {
    int64_t rows_read;  /* data rows seen, over every file read */
    int64_t loaded;     /* new events committed */
    int64_t duplicates; /* rows already in the store */
    int64_t rejected;   /* bad rows written to the rejects file */
    int64_t batches;    /* commits that stored something */
    int64_t last_ts;    /* time of the newest event loaded (ms UTC), 0 before one */
    enum import_format format;
};

enum follow_event {
    FOLLOW_BATCH,     /* a batch was committed */
    FOLLOW_IDLE,      /* the input is quiet (about once a second) */
    FOLLOW_TRUNCATED, /* the file shrank: reading it again from its start */
    FOLLOW_REPLACED,  /* a new file has the name: following it from its start */
    FOLLOW_GONE,      /* the name is gone (moved or deleted): waiting for it */
};

typedef void (*follow_note_fn)(void *ctx, enum follow_event ev, const struct follow_status *st);

struct follow_opts {
    enum import_format format;   /* FORMAT_AUTO, FORMAT_CSV or FORMAT_NDJSON */
    const struct tz *tz;         /* timestamps without an offset are local to it */
    const struct config *config; /* may be NULL */
    const char *rejects_path;    /* --skip-bad FILE (appended to), or NULL */
    /* Set, e.g. by a signal handler, to stop after the current batch. */
    const volatile sig_atomic_t *stop;
    int batch_rows; /* 0: 10,000 */
    int batch_ms;   /* 0: 1,000 */
    int poll_ms;    /* how often a quiet file is looked at; 0: 200 */
    follow_note_fn note; /* may be NULL */
    void *note_ctx;
};

/* Follow path ("-" = standard input) into st until *o->stop is set, or
 * the end of a pipe.  Returns 0 then, with every row read committed.  A
 * bad row without a rejects file commits the rows before it and returns
 * CT_ERR_INPUT with err at FILE:LINE; other errors leave the last batch
 * out.  res holds the totals in every case. */
int import_follow(struct store *st, const char *path, const struct follow_opts *o,
                  struct follow_status *res, struct ct_error *err);

#endif
