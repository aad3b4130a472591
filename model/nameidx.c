/*
 * nameidx.c - where the events of a few names are, made on first use and
 * kept with the dataset (see dataset_name_hits in dataset.h).
 *
 * Cohorts and goals need a few names out of many: purchases are a few
 * percent of a shop's events.  With the positions of those names an engine
 * skips the rest instead of reading every event's name on every run.  A
 * list is made by two scans the first time a set of names is asked for and
 * kept for the dataset's life: a dataset never changes once made, so a
 * list never goes stale.  One lock serves all datasets; it is held only to
 * find or make a list.
 */
#include "autoconf.h"

#include <pthread.h>
#include <string.h>

#include "model/dataset.h"
#include "model/mem.h"

enum { MAX_SETS = 16, MAX_NAMES = 8 };

/* The events whose name is one of ids[0..n), in order, and which of the
 * ids each has (NULL when n is 1). */
struct name_set {
    size_t n;
    uint32_t ids[MAX_NAMES];
    uint32_t *pos;
    uint8_t *which;
    size_t count;
};

struct name_index {
    struct name_set set[MAX_SETS];
    size_t n;
};

static pthread_mutex_t index_lock = PTHREAD_MUTEX_INITIALIZER;

static void set_build(const struct dataset *ds, struct name_set *s)
{
    /* slot[name id]: 1 + its place among the ids, 0 when not one of them */
    uint8_t *slot = xcalloc(ds->names.n, 1);
    for (size_t k = 0; k < s->n; k++)
        slot[s->ids[k]] = (uint8_t)(k + 1);
    const uint32_t *nm = ds->name;
    size_t n = ds->n_events, count = 0;
    for (size_t i = 0; i < n; i++)
        count += slot[nm[i]] != 0;
    s->pos = xmalloc((count ? count : 1) * sizeof *s->pos);
    s->which = s->n > 1 ? xmalloc(count ? count : 1) : NULL;
    size_t m = 0;
    for (size_t i = 0; i < n && m < count; i++) {
        uint8_t k = slot[nm[i]];
        s->pos[m] = (uint32_t)i;
        if (s->which)
            s->which[m] = (uint8_t)(k - 1);
        m += k != 0;
    }
    s->count = count;
    free(slot);
}

int dataset_name_hits(const struct dataset *ds, const uint32_t *tags, size_t n_tags,
                      struct name_hits *out)
{
    memset(out, 0, sizeof *out);
    if (ds->n_events > UINT32_MAX)
        return -1;
    struct name_set want = {0};
    for (size_t i = 0; i < n_tags && i < ds->names.n; i++) {
        if (!tags[i])
            continue; /* names past the dataset's have no events */
        if (want.n == MAX_NAMES)
            return -1;
        out->tag_of[want.n] = tags[i];
        want.ids[want.n++] = (uint32_t)i;
    }
    static const uint32_t none[1];
    if (!want.n) {
        out->pos = none;
        return 0;
    }
    pthread_mutex_lock(&index_lock);
    /* the cache is the dataset's own, not part of what it holds */
    struct dataset *own = (struct dataset *)ds;
    struct name_index *x = own->name_index;
    if (!x)
        x = own->name_index = xcalloc(1, sizeof *x);
    struct name_set *s = NULL;
    for (size_t k = 0; k < x->n && !s; k++)
        if (x->set[k].n == want.n && !memcmp(x->set[k].ids, want.ids, want.n * sizeof *want.ids))
            s = &x->set[k];
    if (!s && x->n < MAX_SETS) {
        s = &x->set[x->n++];
        *s = want;
        set_build(ds, s);
    }
    pthread_mutex_unlock(&index_lock);
    if (!s)
        return -1;
    out->pos = s->pos;
    out->n = s->count;
    out->which = s->which;
    return 0;
}

void dataset_name_index_free(struct dataset *ds)
{
    struct name_index *x = ds->name_index;
    if (!x)
        return;
    for (size_t k = 0; k < x->n; k++) {
        free(x->set[k].pos);
        free(x->set[k].which);
    }
    free(x);
    ds->name_index = NULL;
}

size_t name_hits_from(const struct name_hits *h, uint64_t event)
{
    size_t lo = 0, hi = h->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->pos[mid] < event)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
