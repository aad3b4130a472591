/*
 * config.h - the shop's configuration (SPEC 4) as plain structs.
 *
 * config.c loads YAML with libyaml, validates it against the key table of
 * config_schema.c, fills the defaults of SPEC 5.0 and reports every problem
 * as FILE:LINE:COLUMN.  Engines read these structs and nothing else of the
 * file.  Everything here is owned by the struct config.
 */
#ifndef CT_CONFIG_H
#define CT_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "model/error.h"
#include "model/period.h"

/* PROPERTY: VALUE|[VALUES] - the property equals one of the values.  For
 * events the property is a column (event, channel, session, value) or a key
 * of the event's properties; for segments it is a customer attribute
 * (channel, country, tier, email, name, key) or a key of its attributes. */
struct where_cond {
    char *prop;
    char **values;
    size_t n_values;
};

/* An event name, a list of names, or { event, where, min_value, occurrence }. */
struct matcher {
    char **events; /* any of these names; n_events == 0 means any event */
    size_t n_events;
    struct where_cond *where; /* all must hold */
    size_t n_where;
    int has_min_value;
    double min_value;
    int occurrence; /* 0: every match; N: only the customer's Nth match */
};

struct step_def {
    char *name;
    struct matcher match;
};

enum funnel_order { ORDER_ORDERED, ORDER_STRICT, ORDER_ANY };

struct funnel_def {
    char *name; /* "stages" for the stages funnel */
    struct step_def *steps;
    size_t n_steps;
    int64_t window_ms;
    enum funnel_order order;
};

enum goal_kind { GOAL_MICRO, GOAL_MACRO };

struct goal_def {
    char *name;
    enum goal_kind kind;
    struct matcher match;
    int value; /* sum the values as revenue */
};

enum denominator { DENOM_VISITORS, DENOM_SESSIONS };

struct tier_def {
    char *name;
    double min_spend;
};

struct segment_def {
    char *name;
    struct where_cond *where;
    size_t n_where;
};

/* A custom order-lines layout: column names of the file (NULL = absent). */
struct order_mapping {
    int present;
    char *order, *customer, *time, *quantity, *price, *total;
    char *email, *name, *country, *channel;
    char *cancel_prefix; /* order numbers starting with this are cancellations */
};

struct config {
    char *path; /* file it came from, or "(built-in)" */
    char *shop_name, *currency, *timezone;

    struct funnel_def stages; /* name "stages"; window and order of funnel: */
    struct funnel_def *funnels;
    size_t n_funnels;

    struct goal_def *goals;
    size_t n_goals;
    enum denominator denominator;

    struct {
        struct matcher entry, ret;
        enum period_unit period;
        int periods;
    } cohorts;

    int64_t inactive_after_ms;

    /* the shop's names for the fixed meanings of SPEC 5.0 */
    struct {
        char *purchase, *refund, *review, *page_view;
    } events;

    struct tier_def *tiers; /* ascending min_spend */
    size_t n_tiers;
    struct segment_def *segments;
    size_t n_segments;

    struct order_mapping orders;
};

/* Load path (NULL: the SPEC 5.0 defaults alone).  Every problem is added to
 * errs as FILE:LINE:COLUMN; returns 0 and sets *out only when there is none. */
int config_load(const char *path, struct config **out, struct ct_errlist *errs);

/* The same from text in memory; name is used in messages. */
int config_load_text(const char *text, size_t len, const char *name, struct config **out,
                     struct ct_errlist *errs);

void config_free(struct config *cfg);

/* "stages" or the name of a funnels: entry (exact match), else NULL. */
const struct funnel_def *config_funnel(const struct config *cfg, const char *name);

const struct segment_def *config_segment(const struct config *cfg, const char *name);

/* The tier for a net spend (NULL when no tier applies). */
const char *config_tier(const struct config *cfg, double net_spend);

/* Parse a duration of SPEC 5.0 ("30d", "1h", "90", "2w") into ms; -1 if bad. */
int64_t config_parse_duration(const char *s);

#endif
