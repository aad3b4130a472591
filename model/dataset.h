/*
 * dataset.h - every customer's events in memory, as columns, in timeline
 * order (customer, then time, then import order).
 *
 * The engines read slices of these arrays; they never see SQL.  The store
 * fills a dataset once (dataset_load) and the same arrays feed the funnel,
 * goals, cohort and customer engines.  Strings are interned: an event column
 * holds small integer ids, 0 meaning "none".
 */
#ifndef CT_DATASET_H
#define CT_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "model/error.h"
#include "model/strmap.h"

struct store;

/* Interned strings: id 0 is the empty string ("none"). */
struct intern {
    struct strmap map;
    char **strs;
    size_t n, cap;
};

#define INTERN_ABSENT UINT32_MAX

void intern_init(struct intern *in);
void intern_free(struct intern *in);
/* The id of s (interning it); 0 for NULL or "". */
uint32_t intern_id(struct intern *in, const char *s, size_t len);
/* The id of s if present, INTERN_ABSENT otherwise; 0 for NULL or "". */
uint32_t intern_find(const struct intern *in, const char *s);
const char *intern_str(const struct intern *in, uint32_t id);

/* Event properties a dataset extracts into columns (SPEC 4 matchers with
 * where: on properties, and "rating" for reviews). */
#define DATASET_MAX_PROPS 8

struct dataset {
    size_t n_customers, n_events;

    /* customers, ordered by store id */
    int64_t *cust_id;
    size_t *cust_off; /* n_customers + 1: events of customer c are [off[c], off[c+1]) */
    char **cust_key, **cust_email, **cust_name; /* owned; e-mail and name may be NULL */
    uint32_t *cust_channel, *cust_country;      /* ids in vals */

    /* events */
    int64_t *ts;       /* ms UTC */
    uint32_t *name;    /* ids in names */
    double *value;     /* NAN when the event has no value */
    uint32_t *channel; /* ids in vals */
    uint32_t *session; /* ids in sessions; events without one get a 30-minute session */
    int8_t *rating;    /* 1-5 from the "rating" property, else 0 */
    size_t n_props;
    char *prop_keys[DATASET_MAX_PROPS];
    uint32_t *prop[DATASET_MAX_PROPS]; /* ids in vals (numbers in canonical form) */

    int64_t newest_ms; /* newest event, 0 when empty */

    struct intern names, vals, sessions;

    void *build; /* private: state between dataset_new and dataset_finish */
};

/* Load every customer and event of st.  prop_keys (n_props <= 8) name the
 * event properties to extract; "rating" is always extracted. */
int dataset_load(struct store *st, char *const *prop_keys, size_t n_props,
                 struct dataset **out, struct ct_error *err);

/* An empty dataset to fill by hand (tests): add customers in order, then
 * their events in timeline order, then dataset_finish. */
struct dataset *dataset_new(void);
size_t dataset_add_customer(struct dataset *ds, const char *key, const char *email,
                            const char *name, const char *channel);
void dataset_add_event(struct dataset *ds, size_t cust, int64_t ts_ms, const char *event,
                       double value, const char *channel, const char *session, int rating);
/* Sort events into timeline order, fill offsets, sessions and newest_ms. */
void dataset_finish(struct dataset *ds);

void dataset_free(struct dataset *ds);

/* Canonical text of a property value: numbers as %.15g, other text as is.
 * Writes into buf and returns it. */
const char *dataset_canon(const char *s, char *buf, size_t size);

/* Index of the customer with this key, or (size_t)-1. */
size_t dataset_find_key(const struct dataset *ds, const char *key);

#endif
