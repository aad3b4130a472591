/*
 * lifecycle.c - the lifecycle of buyers per period.
 *
 * Per customer, the distinct periods with a purchase (as of now) are
 * walked in order: the first is "new", one right after another is
 * "returning", one after a gap "resurrecting", and the period after each
 * purchase period that has none is counted "dormant".  No SQL, no I/O.
 */
#include "autoconf.h"

#include <string.h>

#include "model/lifecycle.h"
#include "model/mem.h"
#include "model/par.h"

struct ljob {
    const struct query *q;
    enum period_unit unit;
    int64_t p0, p1; /* periods shown */
    int64_t *counts[PAR_PARTS]; /* 4 per period */
};

static void count(struct ljob *j, int part, int64_t p, int what)
{
    if (p >= j->p0 && p <= j->p1)
        j->counts[part][(p - j->p0) * 4 + what]++;
}

static void lifecycle_part(void *ctx, int part, size_t lo_c, size_t hi_c)
{
    struct ljob *j = ctx;
    const struct query *q = j->q;
    const struct dataset *ds = q->ds;
    for (size_t c = lo_c; c < hi_c; c++) {
        if (!q->member[c])
            continue;
        int64_t prev = INT64_MIN;
        for (size_t i = query_lo(q, c); i < query_hi(q, c); i++) {
            if (ds->name[i] != q->fx.purchase)
                continue;
            int64_t p = period_index(q->tz, j->unit, ds->ts[i]);
            if (p == prev)
                continue;
            if (prev == INT64_MIN)
                count(j, part, p, 0); /* new */
            else if (p == prev + 1)
                count(j, part, p, 1); /* returning */
            else {
                count(j, part, p, 2);        /* resurrecting */
                count(j, part, prev + 1, 3); /* dormant after prev */
            }
            prev = p;
        }
        if (prev != INT64_MIN)
            count(j, part, prev + 1, 3); /* dormant after the last purchase period */
    }
}

int lifecycle_compute(const struct query *q, enum period_unit unit, struct lifecycle_res *out,
                      struct ct_error *err)
{
    (void)err;
    memset(out, 0, sizeof *out);
    out->period = unit;
    const struct dataset *ds = q->ds;
    /* periods: the range, else from the first purchase to now */
    int64_t first = INT64_MAX;
    if (!q->range.has_from) {
        for (size_t c = 0; c < ds->n_customers; c++)
            for (size_t i = query_lo(q, c); i < query_hi(q, c); i++)
                if (ds->name[i] == q->fx.purchase) {
                    if (ds->ts[i] < first)
                        first = ds->ts[i];
                    break;
                }
        if (first == INT64_MAX)
            return 0;
    }
    int64_t lo_ms = q->range.has_from ? q->range.from_ms : first;
    int64_t hi_ms = q->range.has_to && q->range.to_ms - 1 < q->range.now_ms ? q->range.to_ms - 1
                                                                             : q->range.now_ms;
    if (lo_ms > hi_ms)
        return 0;
    struct ljob j = {.q = q, .unit = unit};
    j.p0 = period_index(q->tz, unit, lo_ms);
    j.p1 = period_index(q->tz, unit, hi_ms);
    if (j.p1 - j.p0 > 1000)
        j.p0 = j.p1 - 1000;
    size_t n = (size_t)(j.p1 - j.p0 + 1);
    for (int p = 0; p < PAR_PARTS; p++)
        j.counts[p] = xcalloc(4 * n, sizeof(int64_t));
    par_run(ds, lifecycle_part, &j);
    out->n = n;
    out->rows = xcalloc(n, sizeof *out->rows);
    for (size_t i = 0; i < n; i++) {
        struct lifecycle_row *r = &out->rows[i];
        char label[32];
        r->index = j.p0 + (int64_t)i;
        period_label(unit, r->index, label, sizeof label);
        r->label = xstrdup(label);
        for (int p = 0; p < PAR_PARTS; p++) {
            r->new_ += j.counts[p][4 * i];
            r->returning += j.counts[p][4 * i + 1];
            r->resurrecting += j.counts[p][4 * i + 2];
            r->dormant += j.counts[p][4 * i + 3];
        }
    }
    for (int p = 0; p < PAR_PARTS; p++)
        free(j.counts[p]);
    return 0;
}

void lifecycle_res_free(struct lifecycle_res *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        free(r->rows[i].label);
    free(r->rows);
    memset(r, 0, sizeof *r);
}
