/*
 * why.h - why one customer did not convert (issue 8): for each step of a
 * funnel, whether the customer reached it and when, and for the first step
 * not reached the reason in plain words, computed from the data with the
 * same definitions as the funnel engine (funnel_core).
 */
#ifndef CT_WHY_H
#define CT_WHY_H

#include <stddef.h>
#include <stdint.h>

#include "model/funnel.h"
#include "model/query.h"

enum why_kind {
    WHY_REACHED,      /* the step was reached */
    WHY_NONE,         /* no event matches the step at all (as of now) */
    WHY_TOO_LATE,     /* a matching event came after the window closed */
    WHY_OUT_OF_ORDER, /* matching events only before the previous step */
    WHY_BROKEN,       /* strict: another event came between the steps */
    WHY_BEFORE_RANGE, /* the chain that went further started before the range */
    WHY_OUTSIDE,      /* the chain (or the first step) lies after or outside the range */
    WHY_SAME_EVENT,   /* the only match is the event that filled another step */
    WHY_AFTER_STOP,   /* a step after the first one not reached */
};

struct why_step {
    char *name;
    int reached;
    int64_t ts_ms; /* when reached, on the earliest chain; INT64_MIN otherwise */
    enum why_kind kind;
    char *reason; /* plain words; NULL for reached steps and after the first miss */
};

struct why_res {
    char *funnel;
    int level;
    enum funnel_order order;
    size_t n;
    struct why_step *steps;
};

/* The answer for customer c in funnel f (with the query's range and now). */
int why_compute(const struct query *q, const struct funnel_def *f, size_t c, struct why_res *out,
                struct ct_error *err);
void why_res_free(struct why_res *r);

/* "no_event", "too_late", ... for JSON. */
const char *why_kind_name(enum why_kind k);

#endif
