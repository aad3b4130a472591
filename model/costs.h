/*
 * costs.h - what customers cost (issue 9): acquisition cost (CAC),
 * retention cost, CLV so far, CLV to CAC and payback, per period and
 * acquisition channel, from the shop's marketing spend and its orders.
 *
 * Definitions (every figure as of the query's now, SPEC 5.0):
 *
 * - A period is a day, ISO week or month in the shop's time zone.  A row is
 *   (period, channel) over the part of the period inside the range.  The
 *   periods run from the range's first (without --from: the first that
 *   holds an event or a spend record) to the one that holds now (or the
 *   range's last, when that is earlier): a period that starts after now
 *   does not exist yet.  Rows with no spend record, no new and no retained
 *   customer are left out.
 * - Every customer figure counts the customer under their acquisition
 *   channel (SPEC 3.1), whatever the channel of a later order; customers
 *   without one are under the channel NULL ("no channel").
 * - new customers: first purchase ever (as of now) inside the row's period
 *   and the range.
 * - acquisition / retention spend: the spend records of the channel and
 *   purpose, a day record on its day, a month record spread evenly over the
 *   month's days (amount x days in the window / days in the month).  So a
 *   day gets 1/31 of a January, and an ISO week that spans two months gets
 *   its days' shares of each month.  A period that has started counts its
 *   whole spend, also the days after now (they are committed).  Spend
 *   belongs to no segment: with --segment, only the customers are filtered.
 * - CAC = acquisition spend / new customers (null when none).
 * - retained customers: customers with a purchase in the row's period (and
 *   the range) whose first purchase is in an earlier period; retention cost
 *   = retention spend / retained customers (null when none).
 * - CLV so far: the net spend (purchases - |refunds|, SPEC 5.4) of the
 *   period's new customers from their first purchase up to now, divided by
 *   their number; CLV to CAC = CLV so far / CAC (null when either is null
 *   or CAC is 0).
 * - payback: the smallest k >= 0 such that the new customers' cumulative
 *   net spend in periods P..P+k (P = the period of their first purchase)
 *   per new customer reaches CAC; k is the number of whole periods after
 *   the first purchase, so 0 means within its own period.  Only periods
 *   up to now are looked at: null while not reached (and when CAC is null).
 * - Totals (per channel over the range, and over every channel and the
 *   range) are ratios of sums, never averages of rows: CAC = all
 *   acquisition spend / all new customers, and so on.  Their payback pools
 *   the rows: the smallest k at which the rows whose period P+k has begun
 *   have cumulative net spend >= their acquisition spend (with at least
 *   one new customer among them).
 *
 * The engine reads the dataset through the query and the spend records
 * from a plain list (store_spend_list fills one); it never reads SQL, the
 * clock or a global, and prints nothing.
 */
#ifndef CT_COSTS_H
#define CT_COSTS_H

#include <stddef.h>
#include <stdint.h>

#include "model/query.h"
#include "model/spend.h"
#include "model/stats.h"

/* The figures of one row, one channel over the range, or the total. */
struct costs_fig {
    double acquisition_spend, retention_spend;
    int64_t new_customers, retained_customers;
    double net_spend; /* of the new customers, first purchase up to now (CLV x new) */
    struct ct_num cac, retention_cost, clv, clv_to_cac;
    struct ct_num payback_periods; /* a whole number of periods, or null */
};

struct costs_row {
    int64_t period; /* period index (period.h) */
    char *label;    /* YYYY-MM, YYYY-Www or YYYY-MM-DD */
    size_t channel; /* index into costs_res.channels */
    struct costs_fig f;
};

#define COSTS_NONE ((size_t)-1)

struct costs_res {
    enum period_unit period;
    size_t n_channels;
    char **channels;              /* sorted by name; a NULL name (no channel) comes last */
    struct costs_fig *by_channel; /* per channel, over the range */
    struct costs_fig total;       /* every channel, over the range */
    size_t n;
    struct costs_row *rows; /* by period, then channel */
    /* For the pane's marks: the channel that spent on acquisition whose
     * customers pay back in the fewest periods (ties: the higher CLV to
     * CAC, then the name), or COSTS_NONE; never[i] = 1 when channel i
     * spent on acquisition and has not paid back. */
    size_t fastest;
    uint8_t *never;
};

/* The figures of q's range by unit, with the spend records of spend (may be
 * NULL: no spend).  out is filled even when the range holds nothing.
 * Returns 0 (no error is possible today; err is for symmetry). */
int costs_compute(const struct query *q, const struct spend_list *spend, enum period_unit unit,
                  struct costs_res *out, struct ct_error *err);
void costs_res_free(struct costs_res *r); /* NULL is fine */

/* The channel's name as reports show it: "(no channel)" for NULL. */
const char *costs_channel_label(const struct costs_res *r, size_t channel);

#endif
