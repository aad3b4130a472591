/*
 * demo_live_loop.h - `convtop demo --live`: the demo shop keeps selling.
 */
#ifndef CT_DEMO_LIVE_LOOP_H
#define CT_DEMO_LIVE_LOOP_H

#include <signal.h>
#include <stdint.h>

#include "model/error.h"

/* A lively small shop. */
#define DEMO_LIVE_RATE 10.0

/* Add live events to the demo database at path, about rate per second, in
 * small transactions (four a second), until *stop becomes nonzero.  A
 * status line goes to stderr when it is a terminal and !quiet. */
int demo_live_loop(const char *path, double rate, uint64_t seed, int quiet,
                   volatile sig_atomic_t *stop, struct ct_error *err);

#endif
