/*
 * customer.h - one customer (SPEC 5.4): money, profile, churn risk with its
 * reasons, the timeline with stage and goal markers; the customer list and
 * the win-back list.
 */
#ifndef CT_CUSTOMER_H
#define CT_CUSTOMER_H

#include <stddef.h>
#include <stdint.h>

#include "model/funnel.h"
#include "model/query.h"
#include "model/stats.h"

#define TS_NONE INT64_MIN

/* Orders and money as of now: purchases, refunds (absolute values). */
struct customer_money {
    int64_t orders, refund_events;
    double revenue, refunds;
    int64_t first_purchase_ms, last_purchase_ms; /* TS_NONE when none */
};

void customer_money(const struct query *q, size_t c, struct customer_money *out);

/* Number of distinct values in v[0..n) (sorts v). */
size_t count_distinct_u32(uint32_t *v, size_t n);

/* Distinct sessions among events [lo, hi) with from <= ts < to. */
size_t count_sessions(const struct dataset *ds, size_t lo, size_t hi, int64_t from, int64_t to);

enum engagement { ENGAGEMENT_FLAT, ENGAGEMENT_UP, ENGAGEMENT_DOWN };
enum churn_risk { RISK_NONE, RISK_LOW, RISK_HIGH };

const char *engagement_name(enum engagement e);
const char *churn_risk_name(enum churn_risk r);

#define PROFILE_MAX_REASONS 3

struct profile {
    size_t index; /* customer index in the dataset */
    int light;    /* stage, stage times and goals were not computed */
    /* e-mail, name, channel, country and tier may be NULL; these strings
     * share one allocation (strs) */
    const char *key, *email, *name, *channel, *country;
    int64_t first_seen_ms, first_purchase_ms, last_seen_ms, last_purchase_ms; /* or TS_NONE */
    int64_t orders, refund_events;
    double revenue, refunds, net_spend;
    struct ct_num aov, refund_rate;
    const char *tier;
    char *stage; /* highest stage reached, NULL when none */
    int stage_level;
    int goals_micro, goals_macro; /* distinct goals completed */
    int64_t events, sessions, page_views;
    int64_t events_last30, events_prev30;
    enum engagement engagement;
    enum churn_risk churn_risk;
    size_t n_reasons;
    char *reasons[PROFILE_MAX_REASONS];
    /* time spent in each stage before reaching the next (seconds), as
     * measured on the first reach of each stage; null when not reached */
    size_t n_stage_times;
    struct ct_num *stage_time_s; /* n_stage_times; NULL in a light profile */
    char *strs;
    size_t strs_used;
};

void profile_free(struct profile *p);

/* What a profile needs compiled once: the stages funnel and the goals. */
struct customer_ctx {
    const struct query *q;
    struct funnel_eval stages;
    struct predset goals;
    uint32_t *masks; /* goal masks of one customer */
    size_t masks_cap;
};

int customer_ctx_init(struct customer_ctx *cx, const struct query *q, struct ct_error *err);
void customer_ctx_free(struct customer_ctx *cx);

/* The profile of customer c as of now (the range does not apply). */
void customer_profile(struct customer_ctx *cx, size_t c, struct profile *out);

/* The same without stage, stage times and goals (a list's row). */
void customer_profile_light(struct customer_ctx *cx, size_t c, struct profile *out);

/* One line of the timeline, oldest first. */
struct timeline_item {
    size_t event; /* index in the dataset */
    int64_t ts_ms;
    char *event_name;
    struct ct_num value;
    char *channel;       /* NULL when none */
    uint32_t session_id; /* the customer's session number (dataset.h) */
    char *session;       /* the session id text: NULL here, filled from the store by callers */
    size_t n_markers;
    char **markers; /* "stage: Convert", "goal: Purchase" */
};

struct timeline {
    size_t n;
    struct timeline_item *items;
};

void customer_timeline(struct customer_ctx *cx, size_t c, struct timeline *out);
void timeline_free(struct timeline *t);

enum customer_sort { SORT_NET_SPEND, SORT_ORDERS, SORT_LAST_SEEN, SORT_CHURN_RISK };

int customer_sort_parse(const char *name, enum customer_sort *out);
const char *customer_sort_name(enum customer_sort s);

struct profile_list {
    size_t n;
    struct profile *items;
};

/* Customers with an event in the range (in the segment), sorted by sort
 * (descending; ties by key).  winback: instead, purchasers whose last
 * purchase is more than inactive_after before now.  light: rows for a
 * list on screen (customer_profile_light). */
int customer_list(const struct query *q, enum customer_sort sort, int winback, int light,
                  struct profile_list *out, struct ct_error *err);
void profile_list_free(struct profile_list *l);

/* The customers of a list in order, without their profiles: what a list
 * on screen needs to know which rows there are.  Rows are then profiled
 * when they are shown.  Same order as customer_list. */
struct customer_rank {
    size_t n;
    uint32_t *index; /* customer indexes in the dataset */
};

int customer_rank(const struct query *q, enum customer_sort sort, int winback,
                  struct customer_rank *out, struct ct_error *err);
/* The same order for a given set of customers (search hits, a cell). */
int customer_rank_some(const struct query *q, enum customer_sort sort, const size_t *index,
                       size_t n, struct customer_rank *out, struct ct_error *err);
void customer_rank_free(struct customer_rank *r);

/* Sort a list as customer_list does (descending by sort, ties by key). */
void customer_sort_list(struct profile_list *l, enum customer_sort sort);

#endif
