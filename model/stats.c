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

/* A key that orders doubles as unsigned integers (negatives reversed);
 * adding +0 makes -0 the same value as +0. */
static uint64_t order_key(double x)
{
    uint64_t b;
    x += 0.0;
    memcpy(&b, &x, sizeof b);
    return b >> 63 ? ~b : b | UINT64_C(1) << 63;
}

enum { RADIX_MIN = 8192, BUCKET_BITS = 16, MAX_RANKS = 8 };
#define BUCKET(x) ((size_t)(order_key(x) >> (64 - BUCKET_BITS)))

/* The values of ranks r[0] <= r[1] <= ... (nr <= MAX_RANKS) of a large
 * array, without moving it: a histogram of the keys' top bits finds the
 * bucket of each rank, one more pass gathers those buckets, and only their
 * values are selected among.  Two passes over the array for all ranks. */
static void radix_ranks(const double *v, size_t n, const size_t *r, size_t nr, double *out)
{
    /* two histograms, alternating: runs of equal values would otherwise
     * wait on each other's increments */
    size_t nb = (size_t)1 << BUCKET_BITS;
    uint32_t *hist = xcalloc(2 * nb, sizeof *hist);
    size_t i = 0;
    for (; i + 1 < n; i += 2) {
        hist[BUCKET(v[i])]++;
        hist[nb + BUCKET(v[i + 1])]++;
    }
    if (i < n)
        hist[BUCKET(v[i])]++;
    for (size_t k = 0; k < nb; k++)
        hist[k] += hist[nb + k];
    size_t bucket[MAX_RANKS], base[MAX_RANKS], nbk = 0, below = 0, bk = 0;
    size_t of_rank[MAX_RANKS];
    for (size_t j = 0; j < nr; j++) {
        while (below + hist[bk] <= r[j])
            below += hist[bk++];
        if (!nbk || bucket[nbk - 1] != bk) {
            bucket[nbk] = bk;
            base[nbk++] = below;
        }
        of_rank[j] = nbk - 1;
    }
    double *in[MAX_RANKS];
    size_t fill[MAX_RANKS] = {0};
    for (size_t k = 0; k < nbk; k++)
        in[k] = xmalloc(hist[bucket[k]] * sizeof *in[k]);
    for (i = 0; i < n; i++) {
        size_t b = BUCKET(v[i]);
        for (size_t k = 0; k < nbk; k++)
            if (b == bucket[k])
                in[k][fill[k]++] = v[i];
    }
    for (size_t j = 0; j < nr; j++) {
        size_t k = of_rank[j];
        out[j] = select_rank(in[k], fill[k], r[j] - base[k]);
    }
    for (size_t k = 0; k < nbk; k++)
        free(in[k]);
    free(hist);
}

void stats_percentiles(double *v, size_t n, const double *p, size_t np, struct ct_num *out)
{
    if (n == 0) {
        for (size_t k = 0; k < np; k++)
            out[k] = num_null();
        return;
    }
    if (np > MAX_RANKS / 2) {
        for (size_t k = 0; k < np; k++)
            stats_percentiles(v, n, &p[k], 1, &out[k]);
        return;
    }
    /* each percentile needs rank lo and, between ranks, lo + 1 */
    size_t lo[MAX_RANKS / 2], r[MAX_RANKS], nr = 0;
    int next[MAX_RANKS / 2];
    double h[MAX_RANKS / 2], val[MAX_RANKS];
    for (size_t k = 0; k < np; k++) {
        h[k] = (double)(n - 1) * p[k];
        lo[k] = (size_t)floor(h[k]);
        next[k] = lo[k] + 1 < n && h[k] != (double)lo[k];
        r[nr++] = lo[k];
        if (next[k])
            r[nr++] = lo[k] + 1;
    }
    /* ranks in ascending order (a handful: insertion sort) */
    for (size_t a = 1; a < nr; a++)
        for (size_t b = a; b > 0 && r[b - 1] > r[b]; b--) {
            size_t t = r[b];
            r[b] = r[b - 1];
            r[b - 1] = t;
        }
    if (n >= RADIX_MIN) {
        radix_ranks(v, n, r, nr, val);
    } else {
        for (size_t j = 0; j < nr; j++)
            val[j] = select_rank(v, n, r[j]);
    }
    for (size_t k = 0; k < np; k++) {
        double a = 0, b = 0;
        for (size_t j = 0; j < nr; j++) {
            if (r[j] == lo[k])
                a = val[j];
            if (next[k] && r[j] == lo[k] + 1)
                b = val[j];
        }
        out[k] = next[k] ? num_val(a + (h[k] - (double)lo[k]) * (b - a)) : num_val(a);
    }
}

struct ct_num stats_percentile(double *v, size_t n, double p)
{
    struct ct_num out;
    stats_percentiles(v, n, &p, 1, &out);
    return out;
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
