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

/* The value of rank r (0-based) in v[0..n), moving values around
 * (quickselect with a median-of-three pivot; linear on average). */
static double select_rank(double *v, size_t n, size_t r)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        double a = v[lo], b = v[mid], c = v[hi];
        double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                double t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (r <= j)
            hi = j;
        else if (r >= i)
            lo = i;
        else
            return v[r];
    }
    return v[r];
}

struct ct_num stats_percentile(double *v, size_t n, double p)
{
    if (n == 0)
        return num_null();
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    double a = select_rank(v, n, lo);
    if (lo + 1 >= n || h == (double)lo)
        return num_val(a);
    /* after selection everything right of lo is >= a: the next rank is
     * their minimum */
    double b = v[lo + 1];
    for (size_t i = lo + 2; i < n; i++)
        if (v[i] < b)
            b = v[i];
    return num_val(a + (h - (double)lo) * (b - a));
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
