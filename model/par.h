/*
 * par.h - run a loop over customers in a fixed number of parts, on as
 * many threads as there are cores (at most the number of parts).
 *
 * The parts do not depend on the machine: each part sums into its own
 * accumulator and the caller merges them in part order, so every figure
 * (floating-point sums included) is the same on one core or two.
 */
#ifndef CT_PAR_H
#define CT_PAR_H

#include <stddef.h>

#include "model/dataset.h"

#define PAR_PARTS 2

/* Customer ranges [start[p], start[p+1]) holding about the same number of
 * events each. */
void par_split(const struct dataset *ds, size_t start[PAR_PARTS + 1]);

/* fn(ctx, part, lo, hi) for every part, in parallel when it pays. */
void par_run(const struct dataset *ds, void (*fn)(void *ctx, int part, size_t lo, size_t hi),
             void *ctx);

#endif
