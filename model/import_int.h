/*
 * import_int.h - what import.c hands to the format parsers.
 *
 * A parser reads an input, turns records into struct import_row and gives
 * each to sink->row; a record it cannot use goes to sink->bad with the line
 * where it starts and the reason; a guest order line goes to sink->skip.
 * Parsers never touch SQLite (the fuzzers feed them a fake sink).  The
 * checks every format shares (import_check_row and the field checks) live
 * in import.c, and a parser runs them before it calls sink->row.
 */
#ifndef CT_IMPORT_INT_H
#define CT_IMPORT_INT_H

#include <stddef.h>
#include <stdio.h>

#include "model/error.h"
#include "model/import.h"
#include "model/input.h"
#include "model/mem.h"
#include "model/row.h"

struct config;
struct csv;

struct row_sink {
    void *ctx;
    /* A good row (checked with import_check_row).  Returns 0, or a status
     * to stop the import (err is set). */
    int (*row)(void *ctx, const struct import_row *row, struct ct_error *err);
    /* A bad record.  Returns 0 to go on (it was written to the rejects
     * file) or a status to stop (err set to FILE:LINE: reason). */
    int (*bad)(void *ctx, long line, const char *raw, size_t raw_len, const char *reason,
               struct ct_error *err);
    /* n guest order lines (no customer), the first at line: counted, not
     * rejected. */
    void (*skip)(void *ctx, long line, long n);
    /* Called after each record with the records read so far, for progress;
     * may be NULL. */
    void (*tick)(void *ctx, long rows_read);
};

struct parse_ctx {
    struct input *in;
    const char *name; /* file name for messages */
    const struct tz *tz;
    const struct config *config; /* may be NULL */
    struct row_sink *sink;
};

/* Each returns 0, or the status that stopped it (err filled).
 * rows_read counts data records seen. */
int import_csv_events(struct parse_ctx *pc, long *rows_read, struct ct_error *err);
int import_ndjson(struct parse_ctx *pc, long *rows_read, struct ct_error *err);
int import_orders(struct parse_ctx *pc, enum import_format format, long *rows_read,
                  struct ct_error *err);

/* Where the spend parser's good rows go (its bad rows go to pc->sink->bad
 * like every format's).  row returns NULL when the row was stored or was
 * there already, or why the row is bad (formatted into why: it contradicts
 * an earlier row of the import); a status that must stop the import goes
 * to *rc with err set. */
struct spend_row;
struct spend_sink {
    void *ctx;
    const char *(*row)(void *ctx, const struct spend_row *row, char *why, size_t why_size,
                       int *rc, struct ct_error *err);
};
int import_spend(struct parse_ctx *pc, const struct spend_sink *sink, long *rows_read,
                 struct ct_error *err);

/* The format of a file from its name (.ndjson, .jsonl, .json, with or
 * without .gz), else from its first bytes data[0..len): a JSON object is
 * NDJSON; a CSV header naming the columns of the config's orders mapping,
 * of UCI Online Retail or of the Shopify export is that; anything else is
 * event CSV.  Never FORMAT_AUTO. */
enum import_format import_detect(const char *path, const char *data, size_t len,
                                 const struct config *cfg);

/* Read and check the header record of a CSV file: each name single-line
 * text.  *names gets each column's name normalized (import_norm_name), for
 * c->nf columns; free them with import_free_names.  A problem stops the file
 * (CT_ERR_INPUT at the header's line). */
int import_read_header(struct parse_ctx *pc, struct csv *c, char ***names, struct ct_error *err);
void import_free_names(char **names, size_t n);

/* What a parser does with one record read whole: NULL when it is done with
 * it (a row given to the sink, or kept for later), or why the record is bad
 * (formatted into why).  A sink status that must stop the import goes to
 * *rc, with err set. */
typedef const char *(*import_record_fn)(void *ctx, struct csv *c, char *why, size_t why_size,
                                        int *rc, struct ct_error *err);

/* The loop every parser shares: read the records after the header (lines
 * when by_line, blank lines skipped), count them in *rows_read, reject the
 * ones the reader found bad or fn calls bad, and tick.  Returns 0 at the end
 * of the data or the status that stopped it. */
int import_each_record(struct parse_ctx *pc, struct csv *c, int by_line, import_record_fn fn,
                       void *ctx, long *rows_read, struct ct_error *err);

/* The rejects file of --skip-bad: a CSV of file,line,reason,raw, mode 0600.
 * open truncates it, or appends when append (a follow that restarts keeps
 * what it set aside before); the header goes into an empty file.  write
 * adds one bad record.  check refuses a rejects file that is the input
 * or the database. */
int import_rejects_open(const char *path, int append, FILE **out, struct ct_error *err);
void import_rejects_write(FILE *f, const char *file, long line, const char *reason,
                          const char *raw, size_t raw_len);
int import_rejects_check(const char *rejects, const char *input, const char *db,
                         struct ct_error *err);

/* Shared field checks.  Each returns NULL when fine or a static reason. */
/* A field of free text: valid UTF-8, no NUL/escape/control (tab/CR/LF ok
 * when multiline), at most IMPORT_MAX_FIELD bytes. */
const char *import_check_text(const char *s, size_t len, int multiline);
/* A money value: a finite decimal number ("" is no value).  Leading and
 * trailing blanks are ignored; no thousands separators, no NaN or inf. */
const char *import_parse_value(const char *s, size_t len, double *out, int *has);

/* Everything a row must satisfy in every format: customer and event given,
 * identity fields (customer, event, email, name, channel, session, event_id,
 * country, acquisition channel) single-line valid text, the time within
 * years 1970-9999, the value finite.  NULL when fine, else the reason,
 * formatted into buf. */
const char *import_check_row(const struct import_row *row, char *buf, size_t size);

/* A column or key name for matching: blanks trimmed, ASCII lower-cased,
 * spaces and '-' made '_' ("Customer ID" -> "customer_id").  Caller frees. */
char *import_norm_name(const char *s, size_t len);

/* The fields of an event (SPEC 3.2) and their column or key names. */
enum import_role {
    ROLE_CUSTOMER,
    ROLE_TS,
    ROLE_EVENT,
    ROLE_VALUE,
    ROLE_CHANNEL,
    ROLE_SESSION,
    ROLE_EMAIL,
    ROLE_NAME,
    ROLE_EVENT_ID,
    ROLE_COUNTRY,
    ROLE_ACQ_CHANNEL,
    ROLE_COUNT
};

/* Give each role the column (or key) that names it: role_col[role] is an
 * index into names (normalized, see import_norm_name) or -1.  Aliases are
 * tried best first, each column serves one role, and "name" is the event
 * only when no "event" or "event_type" column exists; otherwise it is the
 * customer's name.  Columns left over are properties. */
void import_event_roles(char *const *names, size_t n, int role_col[ROLE_COUNT]);

/* The names a role accepts, for messages: "customer, customer_id, ...". */
const char *import_role_names(enum import_role role);

/* s for a message: control characters and invalid UTF-8 made '?', cut to
 * about 40 columns. */
const char *import_show(const char *s, size_t len, char *buf, size_t size);

/* Append s as a JSON string (quotes included) to sb. */
void import_json_string(struct strbuf *sb, const char *s, size_t len);

/* Trim blanks (space, tab) at both ends of a field in place. */
void import_trim(char **s, size_t *len);

#define IMPORT_MAX_FIELD (64 * 1024)

#endif
