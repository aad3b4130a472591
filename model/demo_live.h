/*
 * demo_live.h - the demo shop that keeps selling (issue 10): new visitors
 * arrive and go through the same journeys as the demo generator's, played
 * on an accelerated clock and stamped with wall-clock times that the
 * caller passes in (the model never reads the clock).
 *
 * A journey's first visit happens when the visitor arrives; its later
 * visits (a return a fortnight on, a repeat order months later) follow at
 * DEMO_LIVE_SPEED times real speed, so within minutes the stream holds
 * first visits, carts, purchases, returns and the occasional refund and
 * review.  Each customer's events keep their order, so no purchase comes
 * before the customer's first visit.
 */
#ifndef CT_DEMO_LIVE_H
#define CT_DEMO_LIVE_H

#include <stdint.h>

#include "model/demo.h"

/* Simulated time per wall-clock time: one simulated day in two minutes. */
#define DEMO_LIVE_SPEED 720.0

struct demo_live;

/* Visitors are the demo's customers from first_index on (so their keys and
 * order numbers never collide with the demo already in the store), drawn
 * from seed.  now_ms is the wall-clock start. */
int demo_live_open(uint64_t seed, int64_t first_index, const struct tz *tz, int64_t now_ms,
                   struct demo_live **out, struct ct_error *err);
void demo_live_close(struct demo_live *l);

/* Emit every event due by now_ms, in time order, each stamped with its
 * wall-clock time (<= now_ms); new visitors arrive so that about rate
 * events per second flow.  Returns 0 or fn's nonzero value. */
int demo_live_tick(struct demo_live *l, int64_t now_ms, double rate, demo_row_fn fn, void *ctx);

/* Visitors so far, and events emitted so far. */
int64_t demo_live_visitors(const struct demo_live *l);
int64_t demo_live_events(const struct demo_live *l);

#endif
