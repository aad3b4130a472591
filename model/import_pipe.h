/*
 * import_pipe.h - read and check records on a second thread while the
 * calling thread stores them.
 *
 * An import spends about a third of its time reading, splitting and
 * checking records and the rest inside SQLite, which takes one writer.
 * The pipe runs a format parser on its own thread against a sink that
 * copies each row, bad record and skip into batches; the calling thread
 * hands them, in the order the parser made them, to the real sink
 * (pc->sink).  Nothing the real sink sees differs from a plain call of the
 * parser: the same rows, the same FILE:LINE messages, the same ticks (one
 * per row or bad record, after it).
 *
 * When the real sink returns a status the parser is stopped at its next
 * record and that status is returned with the sink's err; otherwise the
 * parser's own status and err are.  The queue holds a few batches, so
 * memory does not grow with the input.
 */
#ifndef CT_IMPORT_PIPE_H
#define CT_IMPORT_PIPE_H

#include <stdint.h>

#include "model/import_int.h"

typedef int (*import_parse_fn)(struct parse_ctx *pc, void *arg, long *rows_read,
                               struct ct_error *err);

/* parse(pc', arg, ...) on a thread, pc' being pc with the queue as sink.
 * While the real sink runs, *pos holds the input position (input_pos) the
 * parser had reached when it finished the batch being stored: the real
 * sink reads it for progress instead of the input, which belongs to the
 * parser's thread until this returns. */
int import_pipe_run(struct parse_ctx *pc, import_parse_fn parse, void *arg, uint64_t *pos,
                    long *rows_read, struct ct_error *err);

#endif
