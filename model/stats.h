/*
 * stats.h - the shared maths of SPEC 5.0: nullable numbers, division that
 * gives null on zero, and type-7 percentiles.  Every engine uses these so
 * a figure is rounded and nulled the same way everywhere.
 */
#ifndef CT_STATS_H
#define CT_STATS_H

#include <stddef.h>
#include <stdint.h>

/* A number that may be null (SPEC: division by zero gives null). */
struct ct_num {
    double v;
    int null;
};

static inline struct ct_num num_val(double v)
{
    struct ct_num n = {v, 0};
    return n;
}

static inline struct ct_num num_null(void)
{
    struct ct_num n = {0, 1};
    return n;
}

/* a / b, null when b is 0. */
struct ct_num num_div(double a, double b);

/* a / b x 100, null when b is 0. */
struct ct_num num_pct(double a, double b);

/* Type-7 percentile (linear between closest ranks) of n values, p in
 * [0, 1]; reorders v.  Null when n is 0. */
struct ct_num stats_percentile(double *v, size_t n, double p);
/* The same for np percentiles p[k] (np <= 4) into out[k], at the cost of
 * about one. */
void stats_percentiles(double *v, size_t n, const double *p, size_t np, struct ct_num *out);

/* A growable array of doubles. */
struct dvec {
    double *v;
    size_t n, cap;
};

void dvec_push(struct dvec *d, double x);
void dvec_free(struct dvec *d);

#endif
