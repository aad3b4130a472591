/*
 * query.h - what every engine is asked: the data, the config, the shop's
 * time zone, the range and "now" (SPEC 5.0), and the segment.
 *
 * Resolved once (segment membership, each customer's events up to now)
 * and then read by the engines, which never read the clock, the
 * environment or a global.
 */
#ifndef CT_QUERY_H
#define CT_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "model/config.h"
#include "model/dataset.h"
#include "model/matcher.h"
#include "model/period.h"

struct tz;

struct query {
    const struct config *cfg;
    const struct dataset *ds;
    const struct tz *tz;
    struct range range;
    const struct segment_def *segment; /* NULL: every customer */
    struct fixed_ids fx;
    uint8_t *member; /* per customer: 1 when in the segment */
    size_t *end;     /* per customer: index past its last event at or before now */
};

/* segment may be NULL or a name of cfg's segments (CT_ERR_USAGE if unknown). */
int query_init(struct query *q, const struct config *cfg, const struct dataset *ds,
               const struct tz *tz, const struct range *range, const char *segment,
               struct ct_error *err);
void query_free(struct query *q);

/* Events of customer c as of now: [ds->cust_off[c], q->end[c]). */
static inline size_t query_lo(const struct query *q, size_t c)
{
    return q->ds->cust_off[c];
}

static inline size_t query_hi(const struct query *q, size_t c)
{
    return q->end[c];
}

/* Events a funnel may use: as of now, except that a "now" that only comes
 * from --to does not hide the later steps of a chain that started in the
 * range (SPEC 5.1: "later steps may fall up to W after it, even past the
 * range end").  An explicit --now always cuts. */
static inline size_t query_funnel_hi(const struct query *q, size_t c)
{
    return q->range.has_to && !q->range.has_now ? q->ds->cust_off[c + 1] : q->end[c];
}

/* Does [from, to) of the range hold ts? */
static inline int query_in_range(const struct query *q, int64_t ts)
{
    return ts >= q->range.from_ms && ts < q->range.to_ms;
}

/* The value of a customer attribute (channel, country, tier, key, email,
 * name) as text, "" when unknown; NULL when attr is not one of them. */
const char *query_customer_attr(const struct query *q, size_t c, const char *attr);

/* Is attr one of the customer attributes above? */
int query_attr_known(const char *attr);

#endif
