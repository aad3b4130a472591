/*
 * stats.c - nullable arithmetic and percentiles.
 */
#include "autoconf.h"

#include <math.h>
#include <stdint.h>
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

/* A key that orders doubles as unsigned integers (negatives reversed). */
static uint64_t order_key(double x)
{
    uint64_t b;
    if (x == 0)
        x = 0; /* -0 and +0 are one value */
    memcpy(&b, &x, sizeof b);
    return b >> 63 ? ~b : b | UINT64_C(1) << 63;
}

enum { RADIX_MIN = 8192, BUCKET_BITS = 16 };

/* Ranks r and r + 1 (when next) of a large array, without moving it: a
 * histogram of the keys' top bits finds the bucket of each rank, and only
 * those buckets' values are selected among.  Two passes over the values
 * instead of the several of quickselect's partitions. */
static void radix_ranks(const double *v, size_t n, size_t r, int next, double *a, double *b)
{
    uint32_t *hist = xcalloc(1u << BUCKET_BITS, sizeof *hist);
    for (size_t i = 0; i < n; i++)
        hist[order_key(v[i]) >> (64 - BUCKET_BITS)]++;
    size_t below = 0, ba = 0;
    while (below + hist[ba] <= r)
        below += hist[ba++];
    size_t bb = ba, below_b = below; /* the bucket of rank r + 1 */
    if (next)
        while (below_b + hist[bb] <= r + 1)
            below_b += hist[bb++];
    size_t na = hist[ba];
    double *in_a = xmalloc(na * sizeof *in_a);
    double min_b = 0;
    int have_b = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t bucket = order_key(v[i]) >> (64 - BUCKET_BITS);
        if (bucket == ba)
            in_a[k++] = v[i];
        else if (next && bucket == bb && (!have_b || v[i] < min_b)) {
            min_b = v[i];
            have_b = 1;
        }
    }
    *a = select_rank(in_a, na, r - below);
    if (next && bb == ba) {
        /* after selection everything right of it is >= a: the next rank is
         * their minimum */
        min_b = in_a[r - below + 1];
        for (size_t i = r - below + 2; i < na; i++)
            if (in_a[i] < min_b)
                min_b = in_a[i];
    }
    *b = min_b;
    free(in_a);
    free(hist);
}

struct ct_num stats_percentile(double *v, size_t n, double p)
{
    if (n == 0)
        return num_null();
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    int next = lo + 1 < n && h != (double)lo;
    double a, b = 0;
    if (n >= RADIX_MIN) {
        radix_ranks(v, n, lo, next, &a, &b);
    } else {
        a = select_rank(v, n, lo);
        if (next) {
            /* after selection everything right of lo is >= a: the next
             * rank is their minimum */
            b = v[lo + 1];
            for (size_t i = lo + 2; i < n; i++)
                if (v[i] < b)
                    b = v[i];
        }
    }
    return next ? num_val(a + (h - (double)lo) * (b - a)) : num_val(a);
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
