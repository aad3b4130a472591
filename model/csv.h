/*
 * csv.h - a streaming RFC 4180 record reader, and a line reader on the same
 * buffer (for NDJSON).
 *
 * Quotes, doubled quotes, commas and newlines inside quotes, CR, LF and CRLF
 * line ends and a UTF-8 byte order mark are handled.  For each record the
 * reader gives its fields (unquoted, NUL-terminated, writable until the next
 * record), the 1-based line where it starts and its raw text (for a rejects
 * file).  A record it cannot read whole (unterminated quote at the end, a
 * field over CSV_MAX_FIELD, more than CSV_MAX_FIELDS fields, a NUL byte,
 * text after a closing quote) is still consumed to its end and returned with
 * a reason in `bad`, so the caller can reject it and go on; what it keeps of
 * such a record is bounded, so memory stays bounded whatever the input.
 * Buffers are reused from record to record: reading allocates only while
 * records keep getting longer.
 */
#ifndef CT_CSV_H
#define CT_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "model/error.h"
#include "model/input.h"

#define CSV_MAX_FIELD  (64 * 1024)        /* = IMPORT_MAX_FIELD */
#define CSV_MAX_RECORD (16 * 1024 * 1024) /* raw text, and field bytes, kept for a record */
#define CSV_MAX_FIELDS 65536              /* fields of one record */

struct csv_field {
    char *s; /* NUL-terminated; the caller may trim it in place */
    size_t len;
};

/* Members are the reader's own except those marked "out". */
struct csv {
    struct input *in; /* the source, or NULL for memory */
    const char *mem;  /* memory source */
    size_t mem_len, mem_pos;
    size_t chunk; /* bytes asked of the source per read (tests make it tiny) */
    char *buf;    /* raw bytes; [rec_start, len) is the current record and on */
    size_t cap, len, pos, rec_start;
    int eof, started, raw_lost;
    long line; /* line number at pos */
    char *val; /* unquoted field bytes, NUL after each */
    size_t vlen, vcap, fstart;
    size_t *off; /* field offsets into val, then lengths */
    size_t fcap;

    /* out: the record just read */
    struct csv_field *f;
    size_t nf;
    long rec_line;   /* line where the record starts */
    const char *bad; /* NULL, or why the record is unusable */
    const char *raw; /* raw text without its line end ("" when lost) */
    size_t raw_len;
};

/* Read from in (which the caller keeps and closes). */
void csv_init(struct csv *c, struct input *in);
/* Read from memory (not copied: data must outlive the reader). */
void csv_init_mem(struct csv *c, const char *data, size_t len);
void csv_free(struct csv *c);

/* Next record: 1 when one was read (check c->bad), 0 at the end of the data,
 * -1 on a read error (err set).  Empty lines between records are skipped. */
int csv_next(struct csv *c, struct ct_error *err);

/* Next line as raw text (c->raw, c->raw_len, c->rec_line; no fields), with
 * the same line ends and limits: 1, 0 at the end, -1 on a read error.  A NUL
 * byte or a line over CSV_MAX_RECORD sets c->bad.  Empty lines are returned. */
int csv_next_line(struct csv *c, struct ct_error *err);

#endif
