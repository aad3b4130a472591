/*
 * input.h - a byte source for importers: a file, a .gz file, stdin, or bytes
 * already in memory.
 *
 * zlib reads plain and gzip-compressed data alike, so one reader serves all
 * files.  Tracks bytes consumed (compressed offset for .gz) for the progress
 * bar.
 */
#ifndef CT_INPUT_H
#define CT_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "model/error.h"

struct input;

/* Open path ("-" = standard input).  Errors name the file. */
int input_open(const char *path, struct input **out, struct ct_error *err);
/* Read len bytes at data as they are (no gzip), named name in messages.
 * The bytes are not copied: they must outlive the input.  Parsers then run
 * without a file, as the fuzz targets and tests use them.  Never fails. */
struct input *input_open_memory(const void *data, size_t len, const char *name);
/* Read through fn, named name in messages: fn returns bytes read into buf
 * (at most n), 0 at the end or -1 with err set.  It may wait for data (a
 * followed file).  input_peek on it takes the first read, so detection
 * never waits for more than the data that is there.  ctx is not owned. */
typedef long (*input_read_fn)(void *ctx, char *buf, size_t n, struct ct_error *err);
struct input *input_open_reader(input_read_fn fn, void *ctx, const char *name);
void input_close(struct input *in);

/* The name used in messages: the path, or "<stdin>". */
const char *input_name(const struct input *in);

/* Look at the first bytes without consuming them (format detection): reads
 * up to want bytes (fewer only at the end of the data) and points *data at
 * them; the next input_read starts again at the first byte.  Call it before
 * any input_read.  Returns 0 or a status (err set). */
int input_peek(struct input *in, size_t want, const char **data, size_t *len, struct ct_error *err);

/* Read up to n bytes; returns the count, 0 at end, -1 on error (err set).
 * Truncated or corrupt gzip data is an error, not an early end. */
long input_read(struct input *in, void *buf, size_t n, struct ct_error *err);

/* Size of the file on disk (0 when unknown, e.g. a pipe) and bytes of it
 * consumed so far: for percent-by-bytes progress. */
uint64_t input_size(const struct input *in);
uint64_t input_pos(const struct input *in);

#endif
