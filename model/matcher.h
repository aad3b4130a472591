/*
 * matcher.h - config matchers and segments compiled against a dataset.
 *
 * A matcher of SPEC 4 becomes a predicate over the dataset's columns:
 * a table of accepted event-name ids, where-conditions on interned values,
 * a minimum value and an occurrence.  Values from the config are compared
 * as interned ids, never pasted into SQL.
 */
#ifndef CT_MATCHER_H
#define CT_MATCHER_H

#include <stddef.h>
#include <stdint.h>

#include "model/config.h"
#include "model/dataset.h"
#include "model/error.h"

enum pred_col { PCOL_EVENT, PCOL_CHANNEL, PCOL_VALUE, PCOL_PROP };

struct pred_cond {
    enum pred_col col;
    size_t prop; /* PCOL_PROP: column index in the dataset */
    uint32_t *ids; /* accepted interned values (INTERN_ABSENT entries never match) */
    size_t n_ids;
    double *nums; /* PCOL_VALUE: accepted numbers */
};

struct pred {
    uint8_t *name_ok; /* one per event name id; NULL means any name */
    size_t n_names;
    struct pred_cond *conds;
    size_t n_conds;
    int has_min;
    double min_value;
    int occurrence;
};

/* Compile m against ds.  Fails (CT_ERR_CONFIG) only if a where: property
 * was not loaded into the dataset. */
int pred_compile(const struct matcher *m, const struct dataset *ds, struct pred *out,
                 struct ct_error *err);
void pred_free(struct pred *p);

/* Does event i match, ignoring occurrence? */
int pred_base_match(const struct pred *p, const struct dataset *ds, size_t i);

/*
 * Up to 32 matchers evaluated together: a table from event name to the
 * matchers that name satisfies, so most events cost one lookup; matchers
 * with conditions (min_value, where) are checked only on events whose name
 * fits, and occurrences are counted per customer.
 */
struct predset {
    size_t k;
    struct pred preds[32];
    uint32_t *name_bits; /* per event name id */
    size_t n_names;
    uint32_t cond_bits; /* matchers with min_value or where: */
    uint32_t occ_bits;  /* matchers with occurrence: */
};

/* Compile k (<= 32) matchers; k may be 0. */
int predset_compile(struct predset *ps, const struct matcher *const *m, size_t k,
                    const struct dataset *ds, struct ct_error *err);
void predset_free(struct predset *ps);

/* masks[i - lo] for the events [lo, hi) of one customer (bit j: matcher
 * j, occurrence counted from lo). */
void predset_masks(const struct predset *ps, const struct dataset *ds, size_t lo, size_t hi,
                   uint32_t *masks);

/* masks[i - off[c0]] for every event of customers [c0, c1) (off is the
 * dataset's cust_off), occurrences counted per customer: the same masks as
 * predset_masks customer by customer, in one loop for a run of customers. */
void predset_masks_customers(const struct predset *ps, const struct dataset *ds, size_t c0,
                             size_t c1, uint32_t *masks);

/* The event properties (not columns) that cfg's matchers and segments
 * need, plus "rating"; *keys is allocated, strings borrowed from cfg. */
void matcher_needed_props(const struct config *cfg, const char ***keys, size_t *n);

/* The same for two configs together (also may be NULL). */
void matcher_needed_props2(const struct config *cfg, const struct config *also,
                           const char ***keys, size_t *n);

/* Fixed meanings of SPEC 5.0 as name ids (INTERN_ABSENT when no event has
 * that name). */
struct fixed_ids {
    uint32_t purchase, refund, review, page_view;
};
void fixed_ids(const struct config *cfg, const struct dataset *ds, struct fixed_ids *out);

#endif
