/*
 * progress.h - the import progress bar on a terminal (SPEC 3.2): rows per
 * second and percent by bytes, redrawn in place on one line.
 */
#ifndef CT_PROGRESS_H
#define CT_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

struct progress;

/* A bar drawn on out, or NULL when out is not a terminal (a pipe or a log
 * file gets no bar).  progress_update accepts NULL. */
struct progress *progress_start(FILE *out);

/* An import_progress_fn: ctx is the struct progress (or NULL).  total is 0
 * when the size is unknown (a pipe): the bar then shows rows only. */
void progress_update(void *ctx, const char *file, uint64_t bytes_done, uint64_t bytes_total,
                     int64_t rows);

/* Erase the bar and free p (NULL is fine). */
void progress_end(struct progress *p);

#endif
