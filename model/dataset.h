/*
 * dataset.h - every customer's events in memory, as columns, in timeline
 * order (customer, then time, then import order).
 *
 * The engines read slices of these arrays; they never see SQL.  A dataset
 * comes from the store (dataset_load), from a snapshot file mapped into
 * memory (snapshot.h), or is filled by hand in tests.  Strings are
 * interned: an event column holds small integer ids, 0 meaning "none".
 */
#ifndef CT_DATASET_H
#define CT_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "model/error.h"
#include "model/strmap.h"

struct store;
struct name_index;

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
 * where: on properties).  "rating" always has its own column. */
#define DATASET_MAX_PROPS 8

struct dataset {
    size_t n_customers, n_events;

    /* customers, ordered by store id */
    int64_t *cust_id;
    uint64_t *cust_off; /* n_customers + 1: events of customer c are [off[c], off[c+1]) */
    char **cust_key, **cust_email, **cust_name; /* into pool; e-mail and name may be NULL */
    uint32_t *cust_channel, *cust_country;      /* ids in vals */
    char *pool;                                 /* the customers' strings */
    size_t pool_len;

    /* events */
    int64_t *ts;       /* ms UTC */
    uint32_t *name;    /* ids in names */
    double *value;     /* NAN when the event has no value */
    uint32_t *channel; /* ids in vals */
    /* a hash of the session id text, 0 when the event has none; a
     * customer's sessions are numbered by dataset_session_ids */
    uint64_t *session;
    int8_t *rating; /* 1-5 from the "rating" property, else 0 */
    size_t n_props;
    char *prop_keys[DATASET_MAX_PROPS];
    uint32_t *prop[DATASET_MAX_PROPS]; /* ids in vals (numbers in canonical form) */

    int64_t newest_ms; /* newest event, 0 when empty */
    int64_t oldest_ms; /* oldest event, 0 when empty */

    struct intern names, vals;

    /* the store's state this dataset holds (see store_identity) */
    int64_t generation, rewrites, max_event_id, max_customer_id;

    struct name_index *name_index; /* private: where names occur (nameidx.c) */

    void *map; /* the mapped snapshot holding the arrays, or NULL when owned */
    size_t map_len;
    void *build; /* private: state between dataset_new and dataset_finish */
};

/* Load every customer and event of st.  prop_keys (n_props <= 8) name the
 * event properties to extract. */
int dataset_load(struct store *st, char *const *prop_keys, size_t n_props,
                 struct dataset **out, struct ct_error *err);

/* An empty dataset to fill by hand (tests, the snapshot's merge): add
 * customers in store-id order, then events in any order, then finish. */
struct dataset *dataset_new(size_t n_props, char *const *prop_keys);
size_t dataset_add_customer(struct dataset *ds, const char *key, const char *email,
                            const char *name, const char *channel);
size_t dataset_add_customer_full(struct dataset *ds, int64_t id, const char *key,
                                 const char *email, const char *name, const char *channel,
                                 const char *country);
/* session: the session id text (NULL: none); props: n_props values or NULL. */
void dataset_add_event(struct dataset *ds, size_t cust, int64_t ts_ms, const char *event,
                       double value, const char *channel, const char *session, int rating);
void dataset_add_event_full(struct dataset *ds, size_t cust, int64_t ts_ms, uint32_t name_id,
                            double value, uint32_t channel_id, uint64_t session_hash,
                            int rating, const uint32_t *props);
/* Sort events into timeline order, fill offsets, sessions and newest_ms. */
void dataset_finish(struct dataset *ds);

void dataset_free(struct dataset *ds);

/* Canonical text of a property value: numbers as %.15g, other text as is.
 * Writes into buf and returns it. */
const char *dataset_canon(const char *s, char *buf, size_t size);

/* Index of the customer with this key, or (size_t)-1. */
size_t dataset_find_key(const struct dataset *ds, const char *key);

/* Index of the customer with this store id, or (size_t)-1. */
size_t dataset_find_id(const struct dataset *ds, int64_t id);

/* base plus what the store gained since base was taken: events with a
 * greater id, customers created or changed since base's generation.  Only
 * valid when nothing was deleted or rewritten (same 'rewrites').  base is
 * not changed. */
int dataset_extend(const struct dataset *base, struct store *st, struct dataset **out,
                   struct ct_error *err);

/* Append the events with store id > after_id (the snapshot's delta);
 * cust_of maps a store customer id to the dataset's index, (size_t)-1 to
 * skip.  Call before dataset_finish. */
int dataset_read_events(struct store *st, struct dataset *ds, int64_t after_id,
                        size_t (*cust_of)(void *ctx, int64_t id), void *ctx,
                        struct ct_error *err);

/* A customer's sessions numbered 1, 2, ... in order of first appearance,
 * for its events [lo, hi); events without a session id get one per visit
 * (30 minutes without events ends a visit).  Returns the number of
 * sessions. */
uint32_t dataset_session_ids(const struct dataset *ds, size_t lo, size_t hi, uint32_t *out);

void dataset_name_index_free(struct dataset *ds);

/* The events whose name has a tag (tags[name id] != 0, ids < n_tags), in
 * order, each with its tag: what an engine that needs a few names reads
 * instead of every event.  The positions are made by two scans the first
 * time a set of names is asked for and kept with the dataset (safe from
 * several threads). */
struct name_hits {
    const uint32_t *pos; /* ascending event indices, n of them */
    size_t n;
    const uint8_t *which; /* per hit, its name's place among the tagged; NULL: the first */
    uint32_t tag_of[8];   /* tag by place */
};
/* 0, or -1 when more than 8 names are tagged or the dataset is too big
 * for 32-bit positions (then scan the events instead).  Nothing to free:
 * the positions live as long as the dataset. */
int dataset_name_hits(const struct dataset *ds, const uint32_t *tags, size_t n_tags,
                      struct name_hits *out);
/* The first hit at or after event index event. */
size_t name_hits_from(const struct name_hits *h, uint64_t event);
static inline uint32_t name_hit_tag(const struct name_hits *h, size_t k)
{
    return h->tag_of[h->which ? h->which[k] : 0];
}

/* The hash a session id text is kept as. */
uint64_t dataset_session_hash(const char *s);

#endif
