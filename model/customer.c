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
#include "model/par.h"
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
    const struct matcher *m[32];
    size_t n = q->cfg->n_goals < 32 ? q->cfg->n_goals : 32;
    for (size_t g = 0; g < n; g++)
        m[g] = &q->cfg->goals[g].match;
    if (predset_compile(&cx->goals, m, n, q->ds, err)) {
        customer_ctx_free(cx);
        return CT_ERR_CONFIG;
    }
    return 0;
}

void customer_ctx_free(struct customer_ctx *cx)
{
    funnel_eval_free(&cx->stages);
    predset_free(&cx->goals);
    free(cx->masks);
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
    dataset_session_ids(ds, lo, hi, ids);
    size_t n = 0;
    for (size_t i = lo; i < hi; i++)
        if (ds->ts[i] >= from && ds->ts[i] < to)
            ids[n++] = ids[i - lo];
    size_t distinct = count_distinct_u32(ids, n);
    if (ids != stack)
        free(ids);
    return distinct;
}

/* The customer's strings in one allocation; room is left for the tier. */
static void profile_strings(struct profile *p, const struct dataset *ds, size_t c,
                            const struct config *cfg)
{
    const char *src[5] = {ds->cust_key[c], ds->cust_email[c], ds->cust_name[c],
                          intern_str(&ds->vals, ds->cust_channel[c]),
                          intern_str(&ds->vals, ds->cust_country[c])};
    size_t need = 0, tier = 0;
    for (int i = 0; i < 5; i++)
        need += src[i] ? strlen(src[i]) + 1 : 0;
    for (size_t t = 0; t < cfg->n_tiers; t++)
        if (strlen(cfg->tiers[t].name) + 1 > tier)
            tier = strlen(cfg->tiers[t].name) + 1;
    p->strs = xmalloc(need + tier + 1);
    char *o = p->strs;
    const char **dst[5] = {&p->key, &p->email, &p->name, &p->channel, &p->country};
    for (int i = 0; i < 5; i++) {
        if (!src[i] || (i > 0 && !*src[i])) {
            *dst[i] = NULL;
            continue;
        }
        size_t n = strlen(src[i]) + 1;
        memcpy(o, src[i], n);
        *dst[i] = o;
        o += n;
    }
    p->strs_used = (size_t)(o - p->strs);
}

/* A string copied into the room profile_strings left. */
static const char *profile_add_string(struct profile *p, const char *s)
{
    char *o = p->strs + p->strs_used;
    size_t n = strlen(s) + 1;
    memcpy(o, s, n);
    p->strs_used += n;
    return o;
}

static char *dup_or_null(const char *s)
{
    return s && *s ? xstrdup(s) : NULL;
}

/* The goal masks of the customer's events [lo, hi) into cx->masks. */
static void goal_masks(struct customer_ctx *cx, size_t lo, size_t hi)
{
    if (hi - lo > cx->masks_cap) {
        cx->masks_cap = (hi - lo) * 2;
        cx->masks = xreallocarray(cx->masks, cx->masks_cap, sizeof *cx->masks);
    }
    predset_masks(&cx->goals, cx->q->ds, lo, hi, cx->masks);
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

static void profile_base(struct customer_ctx *cx, size_t c, struct profile *p)
{
    const struct query *q = cx->q;
    const struct dataset *ds = q->ds;
    memset(p, 0, sizeof *p);
    p->index = c;
    profile_strings(p, ds, c, q->cfg);
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
    if (tier) /* the tier's name lives in the config, which outlives no profile */
        p->tier = profile_add_string(p, tier);
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
    churn_reasons(cx, c, p);
}

void customer_profile_light(struct customer_ctx *cx, size_t c, struct profile *p)
{
    profile_base(cx, c, p);
    p->light = 1;
}

void customer_profile(struct customer_ctx *cx, size_t c, struct profile *p)
{
    const struct query *q = cx->q;
    const struct dataset *ds = q->ds;
    profile_base(cx, c, p);
    size_t lo = query_lo(q, c), hi = query_hi(q, c);
    /* the highest stage ever reached, chains starting at any time */
    struct funnel_chain ch;
    funnel_eval_customer(&cx->stages, ds, lo, hi, INT64_MIN, INT64_MAX, &ch);
    p->stage_level = ch.level;
    p->stage = ch.level ? xstrdup(q->cfg->stages.steps[ch.level - 1].name) : NULL;
    p->n_stage_times = q->cfg->stages.n_steps > FUNNEL_MAX_STEPS ? FUNNEL_MAX_STEPS
                                                                 : q->cfg->stages.n_steps;
    p->stage_time_s = xcalloc(p->n_stage_times ? p->n_stage_times : 1, sizeof *p->stage_time_s);
    for (size_t j = 0; j < p->n_stage_times; j++)
        p->stage_time_s[j] = j + 1 < (size_t)ch.level
                                 ? num_val((double)(ch.first_ts[j + 1] - ch.first_ts[j]) / 1000)
                                 : num_null();
    /* goals completed: distinct goals with at least one completion */
    goal_masks(cx, lo, hi);
    uint32_t any = 0;
    for (size_t i = 0; i < hi - lo; i++)
        any |= cx->masks[i];
    for (uint32_t b = any; b; b &= b - 1) {
        if (q->cfg->goals[__builtin_ctz(b)].kind == GOAL_MICRO)
            p->goals_micro++;
        else
            p->goals_macro++;
    }
}

void profile_free(struct profile *p)
{
    if (!p)
        return;
    free(p->strs);
    free(p->stage_time_s);
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
        it->session_id = 0;
    }
    uint32_t *sid = xmalloc((hi - lo + 1) * sizeof *sid);
    dataset_session_ids(ds, lo, hi, sid);
    for (size_t i = lo; i < hi; i++)
        out->items[i - lo].session_id = sid[i - lo];
    free(sid);
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
    goal_masks(cx, lo, hi);
    for (size_t g = 0; g < cx->goals.k; g++)
        for (size_t i = lo; i < hi; i++)
            if (cx->masks[i - lo] >> g & 1) {
                add_marker(&out->items[i - lo], xasprintf("goal: %s", q->cfg->goals[g].name));
                break;
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

struct list_job {
    const struct query *q;
    int winback, light;
    struct profile_list part[PAR_PARTS];
};

static void list_part(void *ctx, int part, size_t lo_c, size_t hi_c)
{
    struct list_job *j = ctx;
    const struct query *q = j->q;
    const struct dataset *ds = q->ds;
    struct profile_list *out = &j->part[part];
    struct customer_ctx cx;
    if (customer_ctx_init(&cx, q, NULL))
        return; /* cannot happen: the caller compiled the same config */
    size_t cap = 0;
    int64_t cutoff = q->range.now_ms - q->cfg->inactive_after_ms;
    for (size_t c = lo_c; c < hi_c; c++) {
        if (!q->member[c])
            continue;
        size_t lo = query_lo(q, c), hi = query_hi(q, c);
        if (j->winback) {
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
        if (j->light)
            customer_profile_light(&cx, c, &out->items[out->n++]);
        else
            customer_profile(&cx, c, &out->items[out->n++]);
    }
    customer_ctx_free(&cx);
}

int customer_list(const struct query *q, enum customer_sort sort, int winback, int light,
                  struct profile_list *out, struct ct_error *err)
{
    memset(out, 0, sizeof *out);
    struct customer_ctx cx;
    if (customer_ctx_init(&cx, q, err))
        return CT_ERR_CONFIG;
    customer_ctx_free(&cx);
    struct list_job *j = xcalloc(1, sizeof *j);
    j->q = q;
    j->winback = winback;
    j->light = light;
    par_run(q->ds, list_part, j);
    size_t n = 0;
    for (int p = 0; p < PAR_PARTS; p++)
        n += j->part[p].n;
    out->items = xcalloc(n ? n : 1, sizeof *out->items);
    for (int p = 0; p < PAR_PARTS; p++) {
        if (j->part[p].n) /* items is NULL in a part with nobody */
            memcpy(out->items + out->n, j->part[p].items, j->part[p].n * sizeof *out->items);
        out->n += j->part[p].n;
        free(j->part[p].items);
    }
    free(j);
    customer_sort_list(out, sort);
    return 0;
}

static int cmp_profile_ptr(const void *a, const void *b, void *arg)
{
    return cmp_profile(*(const struct profile *const *)a, *(const struct profile *const *)b, arg);
}

void customer_sort_list(struct profile_list *l, enum customer_sort sort)
{
    /* profiles are large: sort pointers, then move each profile once */
    struct profile **ptr = xmalloc((l->n ? l->n : 1) * sizeof *ptr);
    for (size_t i = 0; i < l->n; i++)
        ptr[i] = &l->items[i];
    qsort_r(ptr, l->n, sizeof *ptr, cmp_profile_ptr, &sort);
    struct profile *sorted = xmalloc((l->n ? l->n : 1) * sizeof *sorted);
    for (size_t i = 0; i < l->n; i++)
        sorted[i] = *ptr[i];
    free(ptr);
    free(l->items);
    l->items = sorted;
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

/* --- ranks: the order of a list without its rows ----------------------------- */

struct rank_key {
    uint32_t index;
    int risk, reasons;
    double net;
    int64_t second; /* orders or last seen */
};

struct rank_job {
    const struct query *q;
    enum customer_sort sort;
    int winback;
    const size_t *some; /* NULL: every customer that qualifies */
    size_t n_some;
    struct rank_key *keys[PAR_PARTS];
    size_t n[PAR_PARTS];
};

static void rank_key_of(const struct query *q, struct customer_ctx *cx, enum customer_sort sort,
                        size_t c, struct rank_key *k)
{
    struct customer_money m;
    customer_money(q, c, &m);
    k->index = (uint32_t)c;
    k->net = m.revenue - m.refunds;
    k->risk = k->reasons = 0;
    k->second = 0;
    if (sort == SORT_ORDERS)
        k->second = m.orders;
    else if (sort == SORT_LAST_SEEN)
        k->second = query_hi(q, c) > query_lo(q, c) ? q->ds->ts[query_hi(q, c) - 1] : TS_NONE;
    else if (sort == SORT_CHURN_RISK) {
        struct profile p;
        customer_profile_light(cx, c, &p);
        k->risk = (int)p.churn_risk;
        k->reasons = (int)p.n_reasons;
        profile_free(&p);
    }
}

static void rank_part(void *ctx, int part, size_t lo_c, size_t hi_c)
{
    struct rank_job *j = ctx;
    const struct query *q = j->q;
    const struct dataset *ds = q->ds;
    struct customer_ctx cx;
    if (customer_ctx_init(&cx, q, NULL))
        return;
    size_t cap = 0;
    int64_t cutoff = q->range.now_ms - q->cfg->inactive_after_ms;
    for (size_t c = lo_c; c < hi_c; c++) {
        if (!q->member[c])
            continue;
        if (j->winback) {
            struct customer_money m;
            customer_money(q, c, &m);
            if (m.orders == 0 || m.last_purchase_ms >= cutoff)
                continue;
        } else {
            int any = 0;
            for (size_t i = query_lo(q, c); i < query_hi(q, c) && !any; i++)
                any = query_in_range(q, ds->ts[i]);
            if (!any)
                continue;
        }
        if (j->n[part] == cap) {
            cap = cap ? cap * 2 : 1024;
            j->keys[part] = xreallocarray(j->keys[part], cap, sizeof **j->keys);
        }
        rank_key_of(q, &cx, j->sort, c, &j->keys[part][j->n[part]++]);
    }
    customer_ctx_free(&cx);
}

struct rank_cmp {
    const struct dataset *ds;
    enum customer_sort sort;
};

static int cmp_rank(const void *a, const void *b, void *arg)
{
    const struct rank_key *x = a, *y = b;
    const struct rank_cmp *rc = arg;
    int d = 0;
    switch (rc->sort) {
    case SORT_NET_SPEND:
        d = (x->net < y->net) - (x->net > y->net);
        break;
    case SORT_ORDERS:
    case SORT_LAST_SEEN:
        d = (x->second < y->second) - (x->second > y->second);
        break;
    case SORT_CHURN_RISK:
        d = (x->risk < y->risk) - (x->risk > y->risk);
        if (!d)
            d = (x->reasons < y->reasons) - (x->reasons > y->reasons);
        if (!d)
            d = (x->net < y->net) - (x->net > y->net);
        break;
    }
    return d ? d : strcmp(rc->ds->cust_key[x->index], rc->ds->cust_key[y->index]);
}

static void rank_finish(struct rank_job *j, struct customer_rank *out)
{
    size_t n = 0;
    for (int p = 0; p < PAR_PARTS; p++)
        n += j->n[p];
    struct rank_key *all = xmalloc((n ? n : 1) * sizeof *all);
    n = 0;
    for (int p = 0; p < PAR_PARTS; p++) {
        if (j->n[p])
            memcpy(all + n, j->keys[p], j->n[p] * sizeof *all);
        n += j->n[p];
        free(j->keys[p]);
    }
    struct rank_cmp rc = {j->q->ds, j->sort};
    qsort_r(all, n, sizeof *all, cmp_rank, &rc);
    out->n = n;
    out->index = xmalloc((n ? n : 1) * sizeof *out->index);
    for (size_t i = 0; i < n; i++)
        out->index[i] = all[i].index;
    free(all);
}

int customer_rank(const struct query *q, enum customer_sort sort, int winback,
                  struct customer_rank *out, struct ct_error *err)
{
    memset(out, 0, sizeof *out);
    struct customer_ctx cx;
    if (customer_ctx_init(&cx, q, err))
        return CT_ERR_CONFIG;
    customer_ctx_free(&cx);
    struct rank_job j;
    memset(&j, 0, sizeof j);
    j.q = q;
    j.sort = sort;
    j.winback = winback;
    par_run(q->ds, rank_part, &j);
    rank_finish(&j, out);
    return 0;
}

int customer_rank_some(const struct query *q, enum customer_sort sort, const size_t *index,
                       size_t n, struct customer_rank *out, struct ct_error *err)
{
    memset(out, 0, sizeof *out);
    struct customer_ctx cx;
    if (customer_ctx_init(&cx, q, err))
        return CT_ERR_CONFIG;
    struct rank_job j;
    memset(&j, 0, sizeof j);
    j.q = q;
    j.sort = sort;
    j.keys[0] = xmalloc((n ? n : 1) * sizeof *j.keys[0]);
    for (size_t i = 0; i < n; i++)
        if (q->member[index[i]])
            rank_key_of(q, &cx, sort, index[i], &j.keys[0][j.n[0]++]);
    customer_ctx_free(&cx);
    rank_finish(&j, out);
    return 0;
}

void customer_rank_free(struct customer_rank *r)
{
    if (!r)
        return;
    free(r->index);
    memset(r, 0, sizeof *r);
}
