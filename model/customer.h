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
    char *key, *email, *name, *channel, *country; /* e-mail/name/country may be NULL */
    int64_t first_seen_ms, first_purchase_ms, last_seen_ms, last_purchase_ms; /* or TS_NONE */
    int64_t orders, refund_events;
    double revenue, refunds, net_spend;
    struct ct_num aov, refund_rate;
    char *tier;  /* NULL when no tier applies */
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
    struct ct_num stage_time_s[FUNNEL_MAX_STEPS];
};

void profile_free(struct profile *p);

/* What a profile needs compiled once: the stages funnel and the goals. */
struct customer_ctx {
    const struct query *q;
    struct funnel_eval stages;
    struct pred *goals;
    size_t n_goals;
};

int customer_ctx_init(struct customer_ctx *cx, const struct query *q, struct ct_error *err);
void customer_ctx_free(struct customer_ctx *cx);

/* The profile of customer c as of now (the range does not apply). */
void customer_profile(struct customer_ctx *cx, size_t c, struct profile *out);

/* One line of the timeline, oldest first. */
struct timeline_item {
    size_t event; /* index in the dataset */
    int64_t ts_ms;
    char *event_name;
    struct ct_num value;
    char *channel, *session; /* NULL when none (or a derived session) */
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
 * purchase is more than inactive_after before now. */
int customer_list(const struct query *q, enum customer_sort sort, int winback,
                  struct profile_list *out, struct ct_error *err);
void profile_list_free(struct profile_list *l);

/* Sort a list as customer_list does (descending by sort, ties by key). */
void customer_sort_list(struct profile_list *l, enum customer_sort sort);

#endif
