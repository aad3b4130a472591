/*
 * demo_live_loop.h - `convtop demo --live`: the demo shop keeps selling.
 */
#ifndef CT_DEMO_LIVE_LOOP_H
#define CT_DEMO_LIVE_LOOP_H

#include <stdatomic.h>
#include <stdint.h>

#include "model/error.h"

/* A lively small shop. */
#define DEMO_LIVE_RATE 10.0

/* Add live events to the demo database at path, about rate per second, in
 * small transactions (four a second), until *stop becomes nonzero (set
 * by a signal handler or another thread: a lock-free atomic serves both).  A
 * status line goes to stderr when it is a terminal and !quiet. */
int demo_live_loop(const char *path, double rate, uint64_t seed, int quiet,
                   atomic_int *stop, struct ct_error *err);

#endif
