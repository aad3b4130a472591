/*
 * input.h - a byte source for importers: a file, a .gz file or stdin.
 *
 * zlib reads plain and gzip-compressed data alike, so one reader serves all.
 * Tracks bytes consumed (compressed offset for .gz) for the progress bar.
 */
#ifndef CT_INPUT_H
#define CT_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "model/error.h"

struct input;

/* Open path ("-" = standard input).  Errors name the file. */
int input_open(const char *path, struct input **out, struct ct_error *err);
void input_close(struct input *in);

/* The name used in messages: the path, or "<stdin>". */
const char *input_name(const struct input *in);

/* Read up to n bytes; returns the count, 0 at end, -1 on error (err set). */
long input_read(struct input *in, void *buf, size_t n, struct ct_error *err);

/* Size of the file on disk (0 when unknown, e.g. a pipe) and bytes of it
 * consumed so far: for percent-by-bytes progress. */
uint64_t input_size(const struct input *in);
uint64_t input_pos(const struct input *in);

#endif
