/*
 * goals.c - the goals engine: completions, converters, conversion rate per
 * visitor or per session, revenue; micro and macro totals (SPEC 5.2).
 */
#include "autoconf.h"

#include <math.h>
#include <string.h>

#include "model/customer.h"
#include "model/goals.h"
#include "model/mem.h"

struct gacc {
    int64_t completions, converters, sessions;
    double revenue;
};

/* Distinct sessions of the events flagged in hit[] (events lo, lo + 1, ...). */
static int64_t hit_sessions(const struct dataset *ds, size_t lo, const uint8_t *hit, size_t n,
                            uint32_t *buf)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (hit[i])
            buf[m++] = ds->session[lo + i];
    return (int64_t)count_distinct_u32(buf, m);
}

int goals_compute(const struct query *q, struct goals_res *out, struct ct_error *err)
{
    memset(out, 0, sizeof *out);
    const struct config *cfg = q->cfg;
    const struct dataset *ds = q->ds;
    size_t ng = cfg->n_goals;
    out->denominator = cfg->denominator;
    out->n = ng;
    out->goals = xcalloc(ng ? ng : 1, sizeof *out->goals);
    struct pred *preds = xcalloc(ng ? ng : 1, sizeof *preds);
    for (size_t g = 0; g < ng; g++)
        if (pred_compile(&cfg->goals[g].match, ds, &preds[g], err)) {
            for (size_t h = 0; h < g; h++)
                pred_free(&preds[h]);
            free(preds);
            goals_res_free(out);
            return CT_ERR_CONFIG;
        }
    struct gacc *acc = xcalloc(ng ? ng : 1, sizeof *acc);
    struct gacc kind_acc[2];
    memset(kind_acc, 0, sizeof kind_acc);
    uint8_t *hit = NULL, *kind_hit[2] = {NULL, NULL};
    uint32_t *sbuf = NULL;
    size_t hit_cap = 0;
    for (size_t c = 0; c < ds->n_customers; c++) {
        if (!q->member[c])
            continue;
        size_t lo = query_lo(q, c), hi = query_hi(q, c), n = hi - lo;
        int visited = 0;
        for (size_t i = lo; i < hi && !visited; i++)
            visited = query_in_range(q, ds->ts[i]);
        if (!visited)
            continue;
        out->visitors++;
        out->sessions += (int64_t)count_sessions(ds, lo, hi, q->range.from_ms, q->range.to_ms);
        if (n > hit_cap) {
            hit_cap = n * 2;
            hit = xrealloc(hit, hit_cap);
            kind_hit[0] = xrealloc(kind_hit[0], hit_cap);
            kind_hit[1] = xrealloc(kind_hit[1], hit_cap);
            sbuf = xreallocarray(sbuf, hit_cap, sizeof *sbuf);
        }
        memset(kind_hit[0], 0, n);
        memset(kind_hit[1], 0, n);
        for (size_t g = 0; g < ng; g++) {
            /* occurrence counts every match since the first event; only
             * completions inside the range count */
            int count = 0, any = 0;
            memset(hit, 0, n);
            for (size_t i = lo; i < hi; i++) {
                if (!pred_base_match(&preds[g], ds, i))
                    continue;
                if (preds[g].occurrence > 0 && ++count != preds[g].occurrence)
                    continue;
                if (!query_in_range(q, ds->ts[i]))
                    continue;
                hit[i - lo] = 1;
                kind_hit[cfg->goals[g].kind][i - lo] = 1;
                any = 1;
                acc[g].completions++;
                if (!isnan(ds->value[i]))
                    acc[g].revenue += ds->value[i];
            }
            if (any) {
                acc[g].converters++;
                acc[g].sessions += hit_sessions(ds, lo, hit, n, sbuf);
            }
        }
        for (int k = 0; k < 2; k++) {
            int any = 0;
            for (size_t i = 0; i < n && !any; i++)
                any = kind_hit[k][i];
            if (any) {
                kind_acc[k].converters++;
                kind_acc[k].sessions += hit_sessions(ds, lo, kind_hit[k], n, sbuf);
            }
        }
    }
    double denom = cfg->denominator == DENOM_SESSIONS ? (double)out->sessions
                                                      : (double)out->visitors;
    int has_value[2] = {0, 0};
    for (size_t g = 0; g < ng; g++) {
        struct goal_res *r = &out->goals[g];
        const struct goal_def *d = &cfg->goals[g];
        r->name = xstrdup(d->name);
        r->kind = d->kind;
        r->completions = acc[g].completions;
        r->converters = acc[g].converters;
        r->converting_sessions = acc[g].sessions;
        r->rate_pct = num_pct(cfg->denominator == DENOM_SESSIONS ? (double)acc[g].sessions
                                                                 : (double)acc[g].converters,
                              denom);
        r->revenue = d->value ? num_val(acc[g].revenue) : num_null();
        kind_acc[d->kind].completions += acc[g].completions;
        if (d->value) {
            kind_acc[d->kind].revenue += acc[g].revenue;
            has_value[d->kind] = 1;
        }
        pred_free(&preds[g]);
    }
    struct goal_total *tot[2] = {&out->micro, &out->macro};
    for (int k = 0; k < 2; k++) {
        tot[k]->completions = kind_acc[k].completions;
        tot[k]->converters = kind_acc[k].converters;
        tot[k]->converting_sessions = kind_acc[k].sessions;
        tot[k]->rate_pct = num_pct(cfg->denominator == DENOM_SESSIONS
                                       ? (double)kind_acc[k].sessions
                                       : (double)kind_acc[k].converters,
                                   denom);
        tot[k]->revenue = has_value[k] ? num_val(kind_acc[k].revenue) : num_null();
    }
    free(preds);
    free(acc);
    free(hit);
    free(kind_hit[0]);
    free(kind_hit[1]);
    free(sbuf);
    return 0;
}

void goals_res_free(struct goals_res *r)
{
    if (!r)
        return;
    for (size_t g = 0; g < r->n; g++)
        free(r->goals[g].name);
    free(r->goals);
    memset(r, 0, sizeof *r);
}
