/*
 * evblock.h - the events that matter for a block of customers, with their
 * times and values gathered in one branch-free loop.
 *
 * An engine that needs only a few of each customer's events (purchases,
 * goal completions) finds them by name (one table lookup per event), pushes
 * their indices here, and reads their times and values only afterwards, in
 * evblock_gather: scattered loads without branches between them overlap in
 * the processor, where the same loads inside the scan would each wait.
 */
#ifndef CT_EVBLOCK_H
#define CT_EVBLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "model/dataset.h"

#define EVBLOCK_CUSTOMERS 256

struct evblock {
    size_t n, cap;
    size_t *idx;   /* event index in the dataset */
    uint32_t *tag; /* what the engine found (matcher bits) */
    int64_t *t;    /* ts[idx], after gather */
    double *v;     /* value[idx], 0 when the event has none, after gather */
    size_t nc;     /* customers in the block */
    size_t first[EVBLOCK_CUSTOMERS + 1]; /* customer k's events: [first[k], first[k + 1]) */
    size_t cust[EVBLOCK_CUSTOMERS];      /* customer k's index in the dataset */
};

/* Start customer c's events (check evblock_full first). */
static inline void evblock_customer(struct evblock *b, size_t c)
{
    b->cust[b->nc] = c;
    b->first[b->nc++] = b->n;
}

void evblock_grow(struct evblock *b);

static inline void evblock_push(struct evblock *b, size_t i, uint32_t tag)
{
    if (b->n == b->cap)
        evblock_grow(b);
    b->idx[b->n] = i;
    b->tag[b->n++] = tag;
}

static inline int evblock_full(const struct evblock *b)
{
    return b->nc == EVBLOCK_CUSTOMERS;
}

/* Close the block and read the times and values of its events. */
void evblock_gather(struct evblock *b, const struct dataset *ds);
/* Empty it for the next block. */
void evblock_clear(struct evblock *b);
void evblock_free(struct evblock *b);

#endif
