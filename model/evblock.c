/*
 * evblock.c - gathering the times and values of a block's events (see
 * evblock.h).
 */
#include "autoconf.h"

#include <math.h>
#include <string.h>

#include "model/evblock.h"
#include "model/mem.h"

void evblock_grow(struct evblock *b)
{
    b->cap = b->cap ? b->cap * 2 : 4096;
    b->idx = xreallocarray(b->idx, b->cap, sizeof *b->idx);
    b->tag = xreallocarray(b->tag, b->cap, sizeof *b->tag);
    b->t = xreallocarray(b->t, b->cap, sizeof *b->t);
    b->v = xreallocarray(b->v, b->cap, sizeof *b->v);
}

void evblock_gather(struct evblock *b, const struct dataset *ds)
{
    b->first[b->nc] = b->n;
    const int64_t *ts = ds->ts;
    const double *value = ds->value;
    for (size_t m = 0; m < b->n; m++) {
        b->t[m] = ts[b->idx[m]];
        double v = value[b->idx[m]];
        b->v[m] = isnan(v) ? 0 : v;
    }
}

void evblock_clear(struct evblock *b)
{
    b->n = b->nc = 0;
}

void evblock_free(struct evblock *b)
{
    free(b->idx);
    free(b->tag);
    free(b->t);
    free(b->v);
    memset(b, 0, sizeof *b);
}
