/*
 * follow_cmd.h - the terminal side of convtop import --follow: signals,
 * the status line and the final summary.  The follow itself is
 * model/follow.c.
 */
#ifndef CT_FOLLOW_CMD_H
#define CT_FOLLOW_CMD_H

#include "model/error.h"
#include "model/follow.h"

struct store;

/* Follow path into st with o (its stop, note and note_ctx are set here)
 * until Ctrl-C, SIGTERM or the end of a pipe; quiet drops the status line
 * and the summary.  res gets the totals. */
int follow_run(struct store *st, const char *path, struct follow_opts *o, int quiet,
               struct follow_status *res, struct ct_error *err);

#endif
