/*
 * demo_spend.h - the demo shop's marketing spend (issue 9), so the costs
 * view of `convtop --demo` has meaningful numbers.
 *
 * Owns: watching the demo's event rows go by (demo.h gives each customer's
 * rows together, in time order) and turning what it saw into spend rows:
 * per month and channel, acquisition spend that follows the channel's new
 * customers at that channel's going rate (paid ads dear, e-mail cheap,
 * direct free) plus fixed monthly fees, and e-mail retention spend that
 * follows the customers who came back.  Must not change the events (the
 * golden reports depend on them), read the clock, or use rand(): the same
 * seed and size give the same spend rows.
 */
#ifndef CT_DEMO_SPEND_H
#define CT_DEMO_SPEND_H

#include "model/demo.h"
#include "model/row.h"
#include "model/spend.h"

struct demo_spend;

/* A watcher for the demo of p (its seed, size and zone; p->tz is borrowed
 * for the watcher's life). */
struct demo_spend *demo_spend_new(const struct demo_params *p);
void demo_spend_free(struct demo_spend *s); /* NULL is fine */

/* Watch one event row, in the order the demo gives them. */
void demo_spend_watch(struct demo_spend *s, const struct import_row *row);

/* Receives one spend row; its strings live until the callback returns.  A
 * nonzero return stops demo_spend_emit and is passed back. */
typedef int (*demo_spend_fn)(const struct spend_row *row, void *ctx);

/* Give the spend rows of everything watched, months in order. */
int demo_spend_emit(struct demo_spend *s, demo_spend_fn fn, void *ctx);

#endif
