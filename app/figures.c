/*
 * figures.c - the panes' figures from a query (see figures.h).
 */
#include "autoconf.h"

#include <string.h>

#include "app/figures.h"
#include "model/period.h"

const char *const figs_breakdown_attrs[4] = {NULL, "channel", "country", "tier"};

const struct funnel_def *figs_funnel(const struct config *cfg, size_t idx)
{
    if (idx == 0 || idx > cfg->n_funnels)
        return &cfg->stages;
    return &cfg->funnels[idx - 1];
}

int figs_compare_pair(const struct config *cfg, size_t k, const char **a, const char **b)
{
    size_t n = cfg->n_segments, idx = 1;
    for (size_t i = 0; i < n; i++, idx++)
        if (idx == k) {
            *a = NULL;
            *b = cfg->segments[i].name;
            return 1;
        }
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++, idx++)
            if (idx == k) {
                *a = cfg->segments[i].name;
                *b = cfg->segments[j].name;
                return 1;
            }
    return 0;
}

/* Keep the first error. */
static void keep(int *rc, struct ct_error *err, int r, const struct ct_error *e)
{
    if (r && !*rc) {
        *rc = r;
        *err = *e;
    }
}

int funnel_figs_run(const struct query *q, const struct fig_ask *a, struct funnel_figs *out,
                    struct ct_error *err)
{
    memset(out, 0, sizeof *out);
    const struct config *cfg = q->cfg;
    const struct funnel_def *f = figs_funnel(cfg, a->funnel_idx);
    struct ct_error e;
    int rc = 0;
    keep(&rc, err, funnel_compute(q, f, f->order, &out->funnel, &e), &e);
    keep(&rc, err, goals_compute(q, &out->goals, &e), &e);
    keep(&rc, err,
         funnel_trend_compute(q, f, f->order, cfg->cohorts.period, &out->trend, &e), &e);
    if (a->breakdown > 0 && a->breakdown < 4)
        keep(&rc, err,
             funnel_breakdown_compute(q, f, f->order, figs_breakdown_attrs[a->breakdown],
                                      &out->bd, &e),
             &e);
    const char *names[2];
    if (a->compare && a->compare != COMPARE_CONFIG &&
        figs_compare_pair(cfg, a->compare, &names[0], &names[1]))
        for (int i = 0; i < 2; i++) {
            struct query q2;
            int r = query_init(&q2, cfg, q->ds, q->tz, &q->range, names[i], &e);
            if (!r) {
                r = funnel_compute(&q2, f, f->order, &out->cmp[i], &e);
                query_free(&q2);
            }
            keep(&rc, err, r, &e);
        }
    if (a->modes) {
        const enum funnel_order o[] = {ORDER_ORDERED, ORDER_STRICT, ORDER_ANY};
        for (int i = 0; i < 3; i++)
            keep(&rc, err, funnel_compute(q, f, o[i], &out->modes[i], &e), &e);
    }
    return rc;
}

void funnel_figs_free(struct funnel_figs *f)
{
    funnel_res_free(&f->funnel);
    goals_res_free(&f->goals);
    funnel_trend_free(&f->trend);
    funnel_breakdown_free(&f->bd);
    for (int i = 0; i < 2; i++)
        funnel_res_free(&f->cmp[i]);
    for (int i = 0; i < 3; i++)
        funnel_res_free(&f->modes[i]);
}

int cohort_figs_run(const struct query *q, const struct fig_ask *a, struct cohort_figs *out,
                    struct ct_error *err)
{
    memset(out, 0, sizeof *out);
    struct ct_error e;
    int rc = 0;
    keep(&rc, err, cohort_compute(q, a->period, q->cfg->cohorts.periods, &out->cohort, &e), &e);
    if (a->lifecycle)
        keep(&rc, err, lifecycle_compute(q, a->period, &out->life, &e), &e);
    return rc;
}

void cohort_figs_free(struct cohort_figs *f)
{
    cohort_res_free(&f->cohort);
    lifecycle_res_free(&f->life);
}

void prefig_run(void *ctx, const struct dataset *ds)
{
    struct prefig *p = ctx;
    struct ct_error err;
    const struct fig_ask *a = &p->ask;
    p->ok = 0;
    if (range_resolve(p->tz, a->from[0] ? a->from : NULL, a->to[0] ? a->to : NULL, p->now,
                      ds->newest_ms, &p->range, &err) ||
        query_init(&p->q, p->cfg, ds, p->tz, &p->range, a->segment[0] ? a->segment : NULL,
                   &err))
        return;
    p->have_q = 1;
    /* an error leaves the figure to the event loop, which shows it */
    if (a->want_funnel && !(p->have_funnel = funnel_figs_run(&p->q, a, &p->funnel, &err) == 0))
        funnel_figs_free(&p->funnel);
    if (a->want_cohort && !(p->have_cohort = cohort_figs_run(&p->q, a, &p->cohort, &err) == 0))
        cohort_figs_free(&p->cohort);
    if (a->want_customers &&
        !(p->have_rank = customer_rank(&p->q, a->sort, a->winback, &p->rank, &err) == 0))
        customer_rank_free(&p->rank);
    p->ok = 1;
}

void prefig_free(struct prefig *p)
{
    if (!p)
        return;
    if (p->have_funnel)
        funnel_figs_free(&p->funnel);
    if (p->have_cohort)
        cohort_figs_free(&p->cohort);
    if (p->have_rank)
        customer_rank_free(&p->rank);
    if (p->have_q)
        query_free(&p->q);
    p->have_funnel = p->have_cohort = p->have_rank = p->have_q = 0;
}
