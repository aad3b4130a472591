/*
 * customer.c - the customer engine (SPEC 5.4).
 *
 * Owns the profile figures, the churn-risk rules and the lists.  Everything
 * is as of the query's now: later events do not exist.  No SQL, no I/O.
 */
#include "autoconf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/customer.h"
#include "model/mem.h"
#include "model/tstamp.h"

#define DAY_MS (INT64_C(86400) * 1000)

const char *engagement_name(enum engagement e)
{
    return e == ENGAGEMENT_UP ? "up" : e == ENGAGEMENT_DOWN ? "down" : "flat";
}

const char *churn_risk_name(enum churn_risk r)
{
    return r == RISK_HIGH ? "high" : r == RISK_LOW ? "low" : "none";
}

void customer_money(const struct query *q, size_t c, struct customer_money *m)
{
    const struct dataset *ds = q->ds;
    memset(m, 0, sizeof *m);
    m->first_purchase_ms = m->last_purchase_ms = TS_NONE;
    for (size_t i = query_lo(q, c); i < query_hi(q, c); i++) {
        uint32_t nm = ds->name[i];
        double v = isnan(ds->value[i]) ? 0 : ds->value[i];
        if (nm == q->fx.purchase) {
            m->orders++;
            m->revenue += v;
            if (m->first_purchase_ms == TS_NONE)
                m->first_purchase_ms = ds->ts[i];
            m->last_purchase_ms = ds->ts[i];
        } else if (nm == q->fx.refund) {
            m->refund_events++;
            m->refunds += fabs(v);
        }
    }
}

int customer_ctx_init(struct customer_ctx *cx, const struct query *q, struct ct_error *err)
{
    memset(cx, 0, sizeof *cx);
    cx->q = q;
    if (funnel_eval_init(&cx->stages, &q->cfg->stages, q->cfg->stages.order, q->ds, err))
        return CT_ERR_CONFIG;
    cx->n_goals = q->cfg->n_goals;
    cx->goals = xcalloc(cx->n_goals ? cx->n_goals : 1, sizeof *cx->goals);
    for (size_t g = 0; g < cx->n_goals; g++)
        if (pred_compile(&q->cfg->goals[g].match, q->ds, &cx->goals[g], err)) {
            customer_ctx_free(cx);
            return CT_ERR_CONFIG;
        }
    return 0;
}

void customer_ctx_free(struct customer_ctx *cx)
{
    funnel_eval_free(&cx->stages);
    for (size_t g = 0; g < cx->n_goals; g++)
        pred_free(&cx->goals[g]);
    free(cx->goals);
    memset(cx, 0, sizeof *cx);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

size_t count_distinct_u32(uint32_t *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_u32);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || v[i] != v[i - 1])
            distinct++;
    return distinct;
}

size_t count_sessions(const struct dataset *ds, size_t lo, size_t hi, int64_t from, int64_t to)
{
    uint32_t stack[64];
    uint32_t *ids = hi - lo <= 64 ? stack : xmalloc((hi - lo) * sizeof *ids);
    size_t n = 0;
    for (size_t i = lo; i < hi; i++)
        if (ds->ts[i] >= from && ds->ts[i] < to)
            ids[n++] = ds->session[i];
    size_t distinct = count_distinct_u32(ids, n);
    if (ids != stack)
        free(ids);
    return distinct;
}

static char *dup_or_null(const char *s)
{
    return s && *s ? xstrdup(s) : NULL;
}

/* Index of the first event matching goal g (occurrence applied), or -1. */
static long goal_first(const struct customer_ctx *cx, size_t g, size_t lo, size_t hi)
{
    const struct pred *p = &cx->goals[g];
    int count = 0;
    for (size_t i = lo; i < hi; i++) {
        if (!pred_base_match(p, cx->q->ds, i))
            continue;
        if (p->occurrence > 0 && ++count != p->occurrence)
            continue;
        return (long)i;
    }
    return -1;
}

static void add_reason(struct profile *p, char *text)
{
    if (p->n_reasons < PROFILE_MAX_REASONS)
        p->reasons[p->n_reasons++] = text;
    else
        free(text);
}

/* SPEC 5.4 churn risk: overdue against 2 x the median gap between purchases
 * (or inactive_after with fewer than two), falling engagement, a refund or
 * a review rated <= 2 in the last 90 days. */
static void churn_reasons(const struct customer_ctx *cx, size_t c, struct profile *p)
{
    const struct query *q = cx->q;
    const struct dataset *ds = q->ds;
    int64_t now = q->range.now_ms;
    size_t lo = query_lo(q, c), hi = query_hi(q, c);
    if (p->orders >= 1) {
        double since_days = (double)(now - p->last_purchase_ms) / DAY_MS;
        if (p->orders >= 2) {
            struct dvec gaps = {0};
            int64_t prev = TS_NONE;
            for (size_t i = lo; i < hi; i++) {
                if (ds->name[i] != q->fx.purchase)
                    continue;
                if (prev != TS_NONE)
                    dvec_push(&gaps, (double)(ds->ts[i] - prev) / DAY_MS);
                prev = ds->ts[i];
            }
            struct ct_num med = stats_percentile(gaps.v, gaps.n, 0.5);
            dvec_free(&gaps);
            if (!med.null && since_days > 2 * med.v)
                add_reason(p, xasprintf("overdue: %.1f days since the last purchase > 2 x "
                                        "median gap (%.3g days)",
                                        since_days, med.v));
        } else {
            double limit = (double)q->cfg->inactive_after_ms / DAY_MS;
            if (since_days > limit)
                add_reason(p, xasprintf("overdue: %.1f days since the only purchase > "
                                        "inactive_after (%.3g days)",
                                        since_days, limit));
        }
    }
    if (p->engagement == ENGAGEMENT_DOWN)
        add_reason(p, xasprintf("engagement down: %lld events in the last 30 days, %lld in "
                                "the 30 before",
                                (long long)p->events_last30, (long long)p->events_prev30));
    /* negative feedback: the latest refund or low rating within 90 days */
    long hit = -1;
    for (size_t i = lo; i < hi; i++) {
        if (ds->ts[i] <= now - 90 * DAY_MS)
            continue;
        if (ds->name[i] == q->fx.refund ||
            (ds->name[i] == q->fx.review && ds->rating[i] >= 1 && ds->rating[i] <= 2))
            hit = (long)i;
    }
    if (hit >= 0) {
        char day[16];
        tstamp_format_date(q->tz, ds->ts[hit], day, sizeof day);
        if (ds->name[hit] == q->fx.refund)
            add_reason(p, xasprintf("negative feedback: a refund on %s", day));
        else
            add_reason(p, xasprintf("negative feedback: review rated %d on %s", ds->rating[hit],
                                    day));
    }
    p->churn_risk = p->n_reasons == 0 ? RISK_NONE : p->n_reasons == 1 ? RISK_LOW : RISK_HIGH;
}

void customer_profile(struct customer_ctx *cx, size_t c, struct profile *p)
{
    const struct query *q = cx->q;
    const struct dataset *ds = q->ds;
    memset(p, 0, sizeof *p);
    p->index = c;
    p->key = xstrdup(ds->cust_key[c]);
    p->email = dup_or_null(ds->cust_email[c]);
    p->name = dup_or_null(ds->cust_name[c]);
    p->channel = dup_or_null(intern_str(&ds->vals, ds->cust_channel[c]));
    p->country = dup_or_null(intern_str(&ds->vals, ds->cust_country[c]));
    size_t lo = query_lo(q, c), hi = query_hi(q, c);
    int64_t now = q->range.now_ms;
    p->first_seen_ms = hi > lo ? ds->ts[lo] : TS_NONE;
    p->last_seen_ms = hi > lo ? ds->ts[hi - 1] : TS_NONE;
    struct customer_money m;
    customer_money(q, c, &m);
    p->orders = m.orders;
    p->refund_events = m.refund_events;
    p->revenue = m.revenue;
    p->refunds = m.refunds;
    p->net_spend = m.revenue - m.refunds;
    p->first_purchase_ms = m.first_purchase_ms;
    p->last_purchase_ms = m.last_purchase_ms;
    p->aov = num_div(m.revenue, (double)m.orders);
    p->refund_rate = num_div((double)m.refund_events, (double)m.orders);
    const char *tier = config_tier(q->cfg, p->net_spend);
    p->tier = tier ? xstrdup(tier) : NULL;
    /* counts; sessions are distinct per customer */
    p->events = (int64_t)(hi - lo);
    for (size_t i = lo; i < hi; i++) {
        if (ds->name[i] == q->fx.page_view)
            p->page_views++;
        if (ds->ts[i] > now - 30 * DAY_MS)
            p->events_last30++;
        else if (ds->ts[i] > now - 60 * DAY_MS)
            p->events_prev30++;
    }
    p->sessions = (int64_t)count_sessions(ds, lo, hi, INT64_MIN, INT64_MAX);
    p->engagement = p->events_last30 > p->events_prev30   ? ENGAGEMENT_UP
                    : p->events_last30 < p->events_prev30 ? ENGAGEMENT_DOWN
                                                          : ENGAGEMENT_FLAT;
    /* the highest stage ever reached, chains starting at any time */
    struct funnel_chain ch;
    funnel_eval_customer(&cx->stages, ds, lo, hi, INT64_MIN, INT64_MAX, &ch);
    p->stage_level = ch.level;
    p->stage = ch.level ? xstrdup(q->cfg->stages.steps[ch.level - 1].name) : NULL;
    p->n_stage_times = q->cfg->stages.n_steps > FUNNEL_MAX_STEPS ? FUNNEL_MAX_STEPS
                                                                 : q->cfg->stages.n_steps;
    for (size_t j = 0; j < p->n_stage_times; j++)
        p->stage_time_s[j] = j + 1 < (size_t)ch.level
                                 ? num_val((double)(ch.first_ts[j + 1] - ch.first_ts[j]) / 1000)
                                 : num_null();
    for (size_t g = 0; g < cx->n_goals; g++)
        if (goal_first(cx, g, lo, hi) >= 0) {
            if (q->cfg->goals[g].kind == GOAL_MICRO)
                p->goals_micro++;
            else
                p->goals_macro++;
        }
    churn_reasons(cx, c, p);
}

void profile_free(struct profile *p)
{
    if (!p)
        return;
    free(p->key);
    free(p->email);
    free(p->name);
    free(p->channel);
    free(p->country);
    free(p->tier);
    free(p->stage);
    for (size_t i = 0; i < p->n_reasons; i++)
        free(p->reasons[i]);
    memset(p, 0, sizeof *p);
}

/* --- timeline ---------------------------------------------------------------- */

static void add_marker(struct timeline_item *it, char *m)
{
    it->markers = xreallocarray(it->markers, it->n_markers + 1, sizeof *it->markers);
    it->markers[it->n_markers++] = m;
}

void customer_timeline(struct customer_ctx *cx, size_t c, struct timeline *out)
{
    const struct query *q = cx->q;
    const struct dataset *ds = q->ds;
    size_t lo = query_lo(q, c), hi = query_hi(q, c);
    out->n = hi - lo;
    out->items = xcalloc(out->n ? out->n : 1, sizeof *out->items);
    for (size_t i = lo; i < hi; i++) {
        struct timeline_item *it = &out->items[i - lo];
        it->event = i;
        it->ts_ms = ds->ts[i];
        it->event_name = xstrdup(intern_str(&ds->names, ds->name[i]));
        it->value = isnan(ds->value[i]) ? num_null() : num_val(ds->value[i]);
        it->channel = dup_or_null(intern_str(&ds->vals, ds->channel[i]));
        it->session = ds->session[i] < ds->sessions.n
                          ? dup_or_null(intern_str(&ds->sessions, ds->session[i]))
                          : NULL;
    }
    /* stage markers: the event matching the step at the moment it was first
     * reached; goal markers: the first completion */
    struct funnel_chain ch;
    funnel_eval_customer(&cx->stages, ds, lo, hi, INT64_MIN, INT64_MAX, &ch);
    for (int j = 0; j < ch.level; j++) {
        size_t at = (size_t)-1;
        for (size_t i = lo; i < hi; i++)
            if (ds->ts[i] == ch.first_ts[j] && (cx->stages.mask[i - lo] >> j & 1)) {
                at = i;
                break;
            }
        if (at == (size_t)-1)
            for (size_t i = lo; i < hi && at == (size_t)-1; i++)
                if (ds->ts[i] == ch.first_ts[j])
                    at = i;
        if (at != (size_t)-1)
            add_marker(&out->items[at - lo],
                       xasprintf("stage: %s", q->cfg->stages.steps[j].name));
    }
    for (size_t g = 0; g < cx->n_goals; g++) {
        long at = goal_first(cx, g, lo, hi);
        if (at >= 0)
            add_marker(&out->items[(size_t)at - lo], xasprintf("goal: %s", q->cfg->goals[g].name));
    }
}

void timeline_free(struct timeline *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        struct timeline_item *it = &t->items[i];
        free(it->event_name);
        free(it->channel);
        free(it->session);
        for (size_t m = 0; m < it->n_markers; m++)
            free(it->markers[m]);
        free(it->markers);
    }
    free(t->items);
    memset(t, 0, sizeof *t);
}

/* --- lists -------------------------------------------------------------------- */

int customer_sort_parse(const char *name, enum customer_sort *out)
{
    static const char *const names[] = {"net_spend", "orders", "last_seen", "churn_risk"};
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (enum customer_sort)i;
            return 0;
        }
    return -1;
}

const char *customer_sort_name(enum customer_sort s)
{
    static const char *const names[] = {"net_spend", "orders", "last_seen", "churn_risk"};
    return names[s];
}

static int cmp_profile(const void *a, const void *b, void *arg)
{
    const struct profile *x = a, *y = b;
    enum customer_sort sort_by = *(const enum customer_sort *)arg;
    int d = 0;
    switch (sort_by) {
    case SORT_NET_SPEND:
        d = (x->net_spend < y->net_spend) - (x->net_spend > y->net_spend);
        break;
    case SORT_ORDERS:
        d = (x->orders < y->orders) - (x->orders > y->orders);
        break;
    case SORT_LAST_SEEN:
        d = (x->last_seen_ms < y->last_seen_ms) - (x->last_seen_ms > y->last_seen_ms);
        break;
    case SORT_CHURN_RISK:
        d = ((int)x->churn_risk < (int)y->churn_risk) - ((int)x->churn_risk > (int)y->churn_risk);
        if (!d)
            d = (x->n_reasons < y->n_reasons) - (x->n_reasons > y->n_reasons);
        if (!d)
            d = (x->net_spend < y->net_spend) - (x->net_spend > y->net_spend);
        break;
    }
    return d ? d : strcmp(x->key, y->key);
}

int customer_list(const struct query *q, enum customer_sort sort, int winback,
                  struct profile_list *out, struct ct_error *err)
{
    memset(out, 0, sizeof *out);
    struct customer_ctx cx;
    if (customer_ctx_init(&cx, q, err))
        return CT_ERR_CONFIG;
    const struct dataset *ds = q->ds;
    size_t cap = 0;
    int64_t cutoff = q->range.now_ms - q->cfg->inactive_after_ms;
    for (size_t c = 0; c < ds->n_customers; c++) {
        if (!q->member[c])
            continue;
        size_t lo = query_lo(q, c), hi = query_hi(q, c);
        if (winback) {
            struct customer_money m;
            customer_money(q, c, &m);
            if (m.orders == 0 || m.last_purchase_ms >= cutoff)
                continue;
        } else {
            int any = 0;
            for (size_t i = lo; i < hi && !any; i++)
                any = query_in_range(q, ds->ts[i]);
            if (!any)
                continue;
        }
        if (out->n == cap) {
            cap = cap ? cap * 2 : 64;
            out->items = xreallocarray(out->items, cap, sizeof *out->items);
        }
        customer_profile(&cx, c, &out->items[out->n++]);
    }
    customer_sort_list(out, sort);
    customer_ctx_free(&cx);
    return 0;
}

void customer_sort_list(struct profile_list *l, enum customer_sort sort)
{
    qsort_r(l->items, l->n, sizeof *l->items, cmp_profile, &sort);
}

void profile_list_free(struct profile_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        profile_free(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}
