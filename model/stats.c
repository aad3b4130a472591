/*
 * stats.c - nullable arithmetic and percentiles.
 */
#include "autoconf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/mem.h"
#include "model/stats.h"

struct ct_num num_div(double a, double b)
{
    return b == 0 ? num_null() : num_val(a / b);
}

struct ct_num num_pct(double a, double b)
{
    return b == 0 ? num_null() : num_val(a / b * 100.0);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

struct ct_num stats_percentile(double *v, size_t n, double p)
{
    if (n == 0)
        return num_null();
    qsort(v, n, sizeof *v, cmp_double);
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return num_val(v[n - 1]);
    return num_val(v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]));
}

void dvec_push(struct dvec *d, double x)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->v = xreallocarray(d->v, d->cap, sizeof *d->v);
    }
    d->v[d->n++] = x;
}

void dvec_free(struct dvec *d)
{
    free(d->v);
    memset(d, 0, sizeof *d);
}
