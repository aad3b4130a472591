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

enum pred_col { PCOL_EVENT, PCOL_CHANNEL, PCOL_SESSION, PCOL_VALUE, PCOL_PROP };

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

/* Step masks over events [lo, hi) of one customer: bit j of masks[i - lo]
 * is set when event i matches preds[j] (occurrence applied, counted from
 * lo, the customer's first event).  k <= 32. */
void pred_masks(const struct pred *preds, size_t k, const struct dataset *ds, size_t lo,
                size_t hi, uint32_t *masks);

/* The event properties (not columns) that cfg's matchers and segments
 * need, plus "rating"; *keys is allocated, strings borrowed from cfg. */
void matcher_needed_props(const struct config *cfg, const char ***keys, size_t *n);

/* Fixed meanings of SPEC 5.0 as name ids (INTERN_ABSENT when no event has
 * that name). */
struct fixed_ids {
    uint32_t purchase, refund, review, page_view;
};
void fixed_ids(const struct config *cfg, const struct dataset *ds, struct fixed_ids *out);

#endif
