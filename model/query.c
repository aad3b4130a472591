/*
 * query.c - resolving a query: who is in the segment, which events exist
 * as of now.
 */
#include "autoconf.h"

#include <string.h>

#include "model/customer.h"
#include "model/mem.h"
#include "model/query.h"

int query_attr_known(const char *attr)
{
    static const char *const attrs[] = {"channel", "country", "tier", "key", "email", "name"};
    for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++)
        if (strcmp(attr, attrs[i]) == 0)
            return 1;
    return 0;
}

const char *query_customer_attr(const struct query *q, size_t c, const char *attr)
{
    const struct dataset *ds = q->ds;
    if (strcmp(attr, "channel") == 0)
        return intern_str(&ds->vals, ds->cust_channel[c]);
    if (strcmp(attr, "country") == 0)
        return intern_str(&ds->vals, ds->cust_country[c]);
    if (strcmp(attr, "key") == 0)
        return ds->cust_key[c];
    if (strcmp(attr, "email") == 0)
        return ds->cust_email[c] ? ds->cust_email[c] : "";
    if (strcmp(attr, "name") == 0)
        return ds->cust_name[c] ? ds->cust_name[c] : "";
    if (strcmp(attr, "tier") == 0) {
        struct customer_money m;
        customer_money(q, c, &m);
        const char *t = config_tier(q->cfg, m.revenue - m.refunds);
        return t ? t : "";
    }
    return NULL;
}

static int value_in(const char *v, const struct where_cond *w)
{
    for (size_t i = 0; i < w->n_values; i++)
        if (strcmp(v, w->values[i]) == 0)
            return 1;
    return 0;
}

/* A segment condition on something other than a customer attribute holds
 * when any of the customer's events (as of now) has that value. */
static int event_cond(const struct query *q, size_t c, const struct pred *p)
{
    for (size_t i = query_lo(q, c); i < query_hi(q, c); i++)
        if (pred_base_match(p, q->ds, i))
            return 1;
    return 0;
}

static int compute_members(struct query *q, struct ct_error *err)
{
    const struct segment_def *sg = q->segment;
    const struct dataset *ds = q->ds;
    /* event conditions compile into predicates once */
    struct pred *preds = xcalloc(sg->n_where ? sg->n_where : 1, sizeof *preds);
    int rc = 0;
    for (size_t w = 0; w < sg->n_where && !rc; w++) {
        if (query_attr_known(sg->where[w].prop))
            continue;
        struct matcher m = {0};
        m.where = &sg->where[w];
        m.n_where = 1;
        rc = pred_compile(&m, ds, &preds[w], err);
    }
    for (size_t c = 0; c < ds->n_customers && !rc; c++) {
        int in = 1;
        for (size_t w = 0; w < sg->n_where && in; w++) {
            const char *v = query_customer_attr(q, c, sg->where[w].prop);
            in = v ? value_in(v, &sg->where[w]) : event_cond(q, c, &preds[w]);
        }
        q->member[c] = (uint8_t)in;
    }
    for (size_t w = 0; w < sg->n_where; w++)
        pred_free(&preds[w]);
    free(preds);
    return rc;
}

int query_init(struct query *q, const struct config *cfg, const struct dataset *ds,
               const struct tz *tz, const struct range *range, const char *segment,
               struct ct_error *err)
{
    memset(q, 0, sizeof *q);
    q->cfg = cfg;
    q->ds = ds;
    q->tz = tz;
    q->range = *range;
    if (segment && *segment) {
        q->segment = config_segment(cfg, segment);
        if (!q->segment) {
            struct strbuf sb = {0};
            for (size_t i = 0; i < cfg->n_segments; i++)
                sb_printf(&sb, "%s'%s'", i ? ", " : "", cfg->segments[i].name);
            ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0, "no segment '%s' in %s (segments: %s)",
                         segment, cfg->path, sb.len ? sb.buf : "none");
            sb_free(&sb);
            return CT_ERR_USAGE;
        }
    }
    fixed_ids(cfg, ds, &q->fx);
    size_t n = ds->n_customers;
    q->end = xcalloc(n ? n : 1, sizeof *q->end);
    q->member = xcalloc(n ? n : 1, 1);
    int all = q->range.now_ms >= ds->newest_ms; /* nothing is after now */
    for (size_t c = 0; c < n; c++) {
        size_t lo = ds->cust_off[c], hi = ds->cust_off[c + 1];
        q->member[c] = 1;
        if (all) {
            q->end[c] = hi;
            continue;
        }
        /* the first event after now, by binary search (events are sorted) */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (ds->ts[mid] <= q->range.now_ms)
                lo = mid + 1;
            else
                hi = mid;
        }
        q->end[c] = lo;
    }
    if (q->segment) {
        int rc = compute_members(q, err);
        if (rc) {
            query_free(q);
            return rc;
        }
    }
    return 0;
}

void query_free(struct query *q)
{
    if (!q)
        return;
    free(q->member);
    free(q->end);
    q->member = NULL;
    q->end = NULL;
}
