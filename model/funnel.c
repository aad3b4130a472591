/*
 * funnel.c - the funnel engine: feeds each customer's timeline to
 * funnel_customer and aggregates levels and step times (SPEC 5.1).
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "model/funnel.h"
#include "model/mem.h"
#include "model/par.h"

int funnel_eval_init(struct funnel_eval *fe, const struct funnel_def *f, enum funnel_order order,
                     const struct dataset *ds, struct ct_error *err)
{
    memset(fe, 0, sizeof *fe);
    fe->f = f;
    fe->order = order;
    fe->k = (int)(f->n_steps > FUNNEL_MAX_STEPS ? FUNNEL_MAX_STEPS : f->n_steps);
    const struct matcher *m[FUNNEL_MAX_STEPS];
    for (int j = 0; j < fe->k; j++)
        m[j] = &f->steps[j].match;
    return predset_compile(&fe->ps, m, (size_t)fe->k, ds, err);
}

void funnel_eval_masks(struct funnel_eval *fe, const struct dataset *ds, size_t lo, size_t hi)
{
    size_t n = hi - lo;
    if (n > fe->mask_cap) {
        fe->mask_cap = n * 2;
        fe->mask = xreallocarray(fe->mask, fe->mask_cap, sizeof *fe->mask);
    }
    predset_masks(&fe->ps, ds, lo, hi, fe->mask);
}

void funnel_eval_run(struct funnel_eval *fe, const struct dataset *ds, size_t lo, size_t hi,
                     int64_t from, int64_t to, struct funnel_chain *out)
{
    funnel_customer(ds->ts + lo, fe->mask, hi - lo, fe->k, fe->f->window_ms, fe->order, from, to,
                    out);
}

void funnel_eval_customer(struct funnel_eval *fe, const struct dataset *ds, size_t lo, size_t hi,
                          int64_t from, int64_t to, struct funnel_chain *out)
{
    funnel_eval_masks(fe, ds, lo, hi);
    funnel_eval_run(fe, ds, lo, hi, from, to, out);
}

void funnel_eval_free(struct funnel_eval *fe)
{
    predset_free(&fe->ps);
    free(fe->mask);
    memset(fe, 0, sizeof *fe);
}

/* --- aggregation ----------------------------------------------------------- */

struct facc {
    int64_t cnt[FUNNEL_MAX_STEPS + 1];
    struct dvec gap[FUNNEL_MAX_STEPS]; /* seconds from step j-1 to step j */
};

static void facc_add(struct facc *a, const struct funnel_chain *ch)
{
    for (int j = 1; j <= ch->level; j++) {
        a->cnt[j]++;
        if (j >= 2)
            dvec_push(&a->gap[j - 1], (double)(ch->step_ts[j - 1] - ch->step_ts[j - 2]) / 1000.0);
    }
}

static void facc_free(struct facc *a)
{
    for (int j = 0; j < FUNNEL_MAX_STEPS; j++)
        dvec_free(&a->gap[j]);
}

/* Counts and times into a result (consumes the times). */
static void facc_result(struct facc *a, const struct funnel_def *f, enum funnel_order order,
                        struct funnel_res *out)
{
    memset(out, 0, sizeof *out);
    out->name = xstrdup(f->name);
    out->order = order;
    out->window_ms = f->window_ms;
    out->n_steps = f->n_steps > FUNNEL_MAX_STEPS ? FUNNEL_MAX_STEPS : f->n_steps;
    out->steps = xcalloc(out->n_steps ? out->n_steps : 1, sizeof *out->steps);
    out->biggest_drop = -1;
    double lowest = 0;
    for (size_t j = 0; j < out->n_steps; j++) {
        struct funnel_step_res *s = &out->steps[j];
        s->name = xstrdup(f->steps[j].name);
        s->customers = a->cnt[j + 1];
        if (j == 0) {
            s->pct_of_first = a->cnt[1] ? num_val(100) : num_null();
            s->pct_of_prev = num_null();
            s->dropped = num_null();
            s->median_s = num_null();
            s->p90_s = num_null();
            continue;
        }
        s->pct_of_first = num_pct((double)a->cnt[j + 1], (double)a->cnt[1]);
        s->pct_of_prev = num_pct((double)a->cnt[j + 1], (double)a->cnt[j]);
        s->dropped = num_val((double)(a->cnt[j] - a->cnt[j + 1]));
        static const double p[2] = {0.5, 0.9};
        struct ct_num q[2];
        stats_percentiles(a->gap[j].v, a->gap[j].n, p, 2, q);
        s->median_s = q[0];
        s->p90_s = q[1];
        if (!s->pct_of_prev.null && (out->biggest_drop < 0 || s->pct_of_prev.v < lowest)) {
            lowest = s->pct_of_prev.v;
            out->biggest_drop = (int)j;
        }
    }
}

void funnel_res_free(struct funnel_res *r)
{
    if (!r)
        return;
    for (size_t j = 0; j < r->n_steps; j++)
        free(r->steps[j].name);
    free(r->steps);
    free(r->name);
    memset(r, 0, sizeof *r);
}

/* Events per run of customers whose masks are made in one go: small
 * enough to stay in the L2 cache. */
#define FUNNEL_BLOCK 16384

struct funnel_job {
    const struct query *q;
    const struct funnel_def *f;
    enum funnel_order order;
    struct facc acc[PAR_PARTS];
};

static void funnel_part(void *ctx, int part, size_t lo, size_t hi)
{
    struct funnel_job *j = ctx;
    const struct query *q = j->q;
    struct funnel_eval fe;
    if (funnel_eval_init(&fe, j->f, j->order, q->ds, NULL))
        return; /* cannot happen: the caller compiled the same steps */
    const struct dataset *ds = q->ds;
    const uint64_t *off = ds->cust_off;
    struct funnel_chain ch;
    /* masks a run of customers at a time (about FUNNEL_BLOCK events): one
     * tight loop instead of a call per customer */
    for (size_t c0 = lo; c0 < hi;) {
        size_t c1 = c0 + 1;
        while (c1 < hi && off[c1 + 1] - off[c0] <= FUNNEL_BLOCK)
            c1++;
        size_t n = off[c1] - off[c0];
        if (n > fe.mask_cap) {
            fe.mask_cap = n;
            fe.mask = xreallocarray(fe.mask, n, sizeof *fe.mask);
        }
        predset_masks_customers(&fe.ps, ds, c0, c1, fe.mask);
        for (size_t c = c0; c < c1; c++) {
            if (!q->member[c])
                continue;
            size_t a = query_lo(q, c), b = query_funnel_hi(q, c);
            funnel_customer(ds->ts + a, fe.mask + (a - off[c0]), b - a, fe.k, j->f->window_ms,
                            j->order, q->range.from_ms, q->range.to_ms, &ch);
            facc_add(&j->acc[part], &ch);
        }
        c0 = c1;
    }
    funnel_eval_free(&fe);
}

/* Fold the parts into the first, in part order. */
static void facc_merge(struct facc *into, struct facc *from)
{
    for (int j = 0; j <= FUNNEL_MAX_STEPS; j++)
        into->cnt[j] += from->cnt[j];
    for (int j = 0; j < FUNNEL_MAX_STEPS; j++)
        for (size_t i = 0; i < from->gap[j].n; i++)
            dvec_push(&into->gap[j], from->gap[j].v[i]);
    facc_free(from);
}

int funnel_compute(const struct query *q, const struct funnel_def *f, enum funnel_order order,
                   struct funnel_res *out, struct ct_error *err)
{
    struct funnel_eval fe;
    if (funnel_eval_init(&fe, f, order, q->ds, err))
        return CT_ERR_CONFIG;
    funnel_eval_free(&fe);
    struct funnel_job *j = xcalloc(1, sizeof *j);
    j->q = q;
    j->f = f;
    j->order = order;
    par_run(q->ds, funnel_part, j);
    for (int p = 1; p < PAR_PARTS; p++)
        facc_merge(&j->acc[0], &j->acc[p]);
    facc_result(&j->acc[0], f, order, out);
    facc_free(&j->acc[0]);
    free(j);
    return 0;
}

/* --- breakdown --------------------------------------------------------------- */

struct group {
    char *value;
    struct facc acc;
};

static int cmp_group(const void *a, const void *b)
{
    const struct group *x = a, *y = b;
    if (x->acc.cnt[1] != y->acc.cnt[1])
        return x->acc.cnt[1] > y->acc.cnt[1] ? -1 : 1;
    return strcmp(x->value, y->value);
}

int funnel_breakdown_compute(const struct query *q, const struct funnel_def *f,
                             enum funnel_order order, const char *attr,
                             struct funnel_breakdown *out, struct ct_error *err)
{
    memset(out, 0, sizeof *out);
    if (!query_attr_known(attr))
        return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                            "cannot break down by '%s' (use channel, country or tier)", attr);
    struct funnel_eval fe;
    if (funnel_eval_init(&fe, f, order, q->ds, err))
        return CT_ERR_CONFIG;
    struct strmap idx;
    strmap_init(&idx);
    struct group *groups = NULL;
    size_t ng = 0, cap = 0;
    struct funnel_chain ch;
    for (size_t c = 0; c < q->ds->n_customers; c++) {
        if (!q->member[c])
            continue;
        funnel_eval_customer(&fe, q->ds, query_lo(q, c), query_funnel_hi(q, c), q->range.from_ms,
                             q->range.to_ms, &ch);
        if (!ch.level)
            continue;
        const char *v = query_customer_attr(q, c, attr);
        if (!*v)
            v = "(none)";
        int created;
        struct strmap_entry *e = strmap_put(&idx, v, strlen(v), &created);
        if (created) {
            if (ng == cap) {
                cap = cap ? cap * 2 : 8;
                groups = xreallocarray(groups, cap, sizeof *groups);
            }
            memset(&groups[ng], 0, sizeof groups[ng]);
            groups[ng].value = xstrdup(v);
            e->val = ng++;
        }
        facc_add(&groups[e->val].acc, &ch);
    }
    if (ng) /* groups is NULL when nobody entered */
        qsort(groups, ng, sizeof *groups, cmp_group);
    out->attr = xstrdup(attr);
    out->n = ng;
    out->values = xcalloc(ng ? ng : 1, sizeof *out->values);
    out->res = xcalloc(ng ? ng : 1, sizeof *out->res);
    for (size_t g = 0; g < ng; g++) {
        out->values[g] = groups[g].value;
        facc_result(&groups[g].acc, f, order, &out->res[g]);
        facc_free(&groups[g].acc);
    }
    free(groups);
    strmap_free(&idx);
    funnel_eval_free(&fe);
    return 0;
}

void funnel_breakdown_free(struct funnel_breakdown *b)
{
    if (!b)
        return;
    for (size_t g = 0; g < b->n; g++) {
        free(b->values[g]);
        funnel_res_free(&b->res[g]);
    }
    free(b->values);
    free(b->res);
    free(b->attr);
    memset(b, 0, sizeof *b);
}

/* --- trend ------------------------------------------------------------------- */

struct trend_job {
    const struct query *q;
    const struct funnel_def *f;
    enum funnel_order order;
    const int64_t *bounds; /* n + 1 period starts, clipped to the range */
    size_t n;
    int64_t *entered[PAR_PARTS], *converted[PAR_PARTS];
};

/* Per customer: the funnel once for each period in which it has a first
 * step (most customers start in one or two), not once per period. */
static void trend_part(void *ctx, int part, size_t lo, size_t hi)
{
    struct trend_job *j = ctx;
    const struct query *q = j->q;
    const struct dataset *ds = q->ds;
    struct funnel_eval fe;
    if (funnel_eval_init(&fe, j->f, j->order, ds, NULL))
        return;
    struct funnel_chain ch;
    for (size_t c = lo; c < hi; c++) {
        if (!q->member[c])
            continue;
        size_t a = query_lo(q, c), b = query_funnel_hi(q, c);
        funnel_eval_masks(&fe, ds, a, b);
        size_t last = (size_t)-1, p = 0;
        for (size_t i = a; i < b; i++) {
            if (!(fe.mask[i - a] & 1) || ds->ts[i] < j->bounds[0] || ds->ts[i] >= j->bounds[j->n])
                continue;
            while (p + 1 < j->n && ds->ts[i] >= j->bounds[p + 1])
                p++;
            if (p == last)
                continue;
            last = p;
            /* ordered and strict chains start in the period and end within
             * the window: only those events can matter (any order may use
             * earlier ones) */
            size_t ra = a, rb = b;
            if (j->order != ORDER_ANY) {
                ra = i; /* and the events at its very time: they may fill steps */
                while (ra > a && ds->ts[ra - 1] == ds->ts[i])
                    ra--;
                int64_t end = j->bounds[p + 1] - 1 + fe.f->window_ms;
                if (end < j->bounds[p + 1]) /* overflow of a huge window */
                    end = INT64_MAX;
                while (rb > ra && ds->ts[rb - 1] > end)
                    rb--;
            }
            funnel_customer(ds->ts + ra, fe.mask + (ra - a), rb - ra, fe.k, fe.f->window_ms,
                            fe.order, j->bounds[p], j->bounds[p + 1], &ch);
            if (ch.level >= 1)
                j->entered[part][p]++;
            if (fe.k > 0 && ch.level >= fe.k)
                j->converted[part][p]++;
        }
    }
    funnel_eval_free(&fe);
}

int funnel_trend_compute(const struct query *q, const struct funnel_def *f,
                         enum funnel_order order, enum period_unit unit,
                         struct funnel_trend *out, struct ct_error *err)
{
    memset(out, 0, sizeof *out);
    out->period = unit;
    const struct dataset *ds = q->ds;
    if (ds->n_events == 0)
        return 0;
    /* periods from the first event (or --from) to now, clipped to the range */
    int64_t lo_ms = q->range.has_from ? q->range.from_ms : ds->oldest_ms;
    int64_t hi_ms = q->range.has_to ? q->range.to_ms - 1 : q->range.now_ms;
    if (hi_ms > q->range.now_ms)
        hi_ms = q->range.now_ms;
    if (lo_ms > hi_ms)
        return 0;
    int64_t p0 = period_index(q->tz, unit, lo_ms), p1 = period_index(q->tz, unit, hi_ms);
    if (p1 - p0 > 400)
        p0 = p1 - 400; /* a sparkline has no room for more */
    size_t n = (size_t)(p1 - p0 + 1);
    struct funnel_eval fe;
    if (funnel_eval_init(&fe, f, order, ds, err))
        return CT_ERR_CONFIG;
    funnel_eval_free(&fe);
    int64_t *bounds = xcalloc(n + 1, sizeof *bounds);
    for (size_t i = 0; i <= n; i++) {
        bounds[i] = period_start_ms(q->tz, unit, p0 + (int64_t)i);
        if (bounds[i] < q->range.from_ms)
            bounds[i] = q->range.from_ms;
        if (bounds[i] > q->range.to_ms)
            bounds[i] = q->range.to_ms;
    }
    struct trend_job j = {.q = q, .f = f, .order = order, .bounds = bounds, .n = n};
    for (int p = 0; p < PAR_PARTS; p++) {
        j.entered[p] = xcalloc(n, sizeof(int64_t));
        j.converted[p] = xcalloc(n, sizeof(int64_t));
    }
    par_run(ds, trend_part, &j);
    out->n = n;
    out->labels = xcalloc(n, sizeof *out->labels);
    out->entered = j.entered[0];
    out->converted = j.converted[0];
    out->pct = xcalloc(n, sizeof *out->pct);
    for (size_t i = 0; i < n; i++) {
        char label[32];
        period_label(unit, p0 + (int64_t)i, label, sizeof label);
        out->labels[i] = xstrdup(label);
        for (int p = 1; p < PAR_PARTS; p++) {
            out->entered[i] += j.entered[p][i];
            out->converted[i] += j.converted[p][i];
        }
        out->pct[i] = num_pct((double)out->converted[i], (double)out->entered[i]);
    }
    for (int p = 1; p < PAR_PARTS; p++) {
        free(j.entered[p]);
        free(j.converted[p]);
    }
    free(bounds);
    return 0;
}

void funnel_trend_free(struct funnel_trend *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->labels[i]);
    free(t->labels);
    free(t->entered);
    free(t->converted);
    free(t->pct);
    memset(t, 0, sizeof *t);
}
