/*
 * cohort.c - the cohort engine (SPEC 5.3).
 *
 * A customer's cohort is the local period of their first entry event ever
 * (as of now); cell (c, k) counts the cohort's customers with a return event
 * in period c + k.  Revenue and orders per cell come from purchases.  The
 * range picks which cohorts are shown.  No SQL, no I/O.
 */
#include "autoconf.h"

#include <math.h>
#include <string.h>

#include "model/cohort.h"
#include "model/customer.h"
#include "model/mem.h"

int cohort_view_parse(const char *name, enum cohort_view *out)
{
    static const char *const names[] = {"customers", "pct", "revenue", "cum_revenue", "orders"};
    for (int i = 0; i < 5; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (enum cohort_view)i;
            return 0;
        }
    return -1;
}

const char *cohort_view_name(enum cohort_view v)
{
    static const char *const names[] = {"customers", "pct", "revenue", "cum_revenue", "orders"};
    return names[v];
}

char *cohort_matcher_text(const struct matcher *m)
{
    struct strbuf sb = {0};
    if (m->n_events == 1)
        sb_adds(&sb, m->events[0]);
    else if (m->n_events == 0)
        sb_adds(&sb, "any event");
    else
        for (size_t i = 0; i < m->n_events; i++)
            sb_printf(&sb, "%s%s", i ? " or " : "", m->events[i]);
    if (m->n_where)
        sb_adds(&sb, " (with conditions)");
    if (m->has_min_value)
        sb_printf(&sb, " (value >= %g)", m->min_value);
    if (m->occurrence)
        sb_printf(&sb, " (occurrence %d)", m->occurrence);
    return sb_steal(&sb);
}

/* The customer's first matching event (occurrence applied), or -1. */
static long first_match(const struct pred *p, const struct dataset *ds, size_t lo, size_t hi)
{
    int count = 0;
    for (size_t i = lo; i < hi; i++) {
        if (!pred_base_match(p, ds, i))
            continue;
        if (p->occurrence > 0 && ++count != p->occurrence)
            continue;
        return (long)i;
    }
    return -1;
}

/* Mark offsets with a return event into seen[0..periods). */
static void mark_returns(const struct pred *ret, const struct query *q, size_t c,
                         enum period_unit unit, int64_t ci, int periods, uint8_t *seen)
{
    const struct dataset *ds = q->ds;
    int count = 0;
    memset(seen, 0, (size_t)periods);
    for (size_t i = query_lo(q, c); i < query_hi(q, c); i++) {
        if (!pred_base_match(ret, ds, i))
            continue;
        if (ret->occurrence > 0 && ++count != ret->occurrence)
            continue;
        int64_t k = period_index(q->tz, unit, ds->ts[i]) - ci;
        if (k >= 0 && k < periods)
            seen[k] = 1;
    }
}

static int cohort_selected(const struct query *q, enum period_unit unit, int64_t ci)
{
    if (q->range.has_from && ci < period_index(q->tz, unit, q->range.from_ms))
        return 0;
    if (q->range.has_to && ci > period_index(q->tz, unit, q->range.to_ms - 1))
        return 0;
    return 1;
}

static void summarize(const struct query *q, struct cohort_summary *s)
{
    const struct dataset *ds = q->ds;
    int64_t point = q->range.now_ms - q->cfg->inactive_after_ms;
    for (size_t c = 0; c < ds->n_customers; c++) {
        if (!q->member[c])
            continue;
        int64_t n = 0, first = TS_NONE, last = TS_NONE;
        for (size_t i = query_lo(q, c); i < query_hi(q, c); i++) {
            if (ds->name[i] != q->fx.purchase)
                continue;
            if (first == TS_NONE)
                first = ds->ts[i];
            last = ds->ts[i];
            if (!query_in_range(q, ds->ts[i]))
                continue;
            n++;
            s->revenue += isnan(ds->value[i]) ? 0 : ds->value[i];
        }
        if (n >= 1)
            s->purchasers++;
        if (n >= 2)
            s->repeaters++;
        s->orders += n;
        /* churn: purchasers whose last purchase is more than inactive_after
         * before the end, of those whose first purchase is before that point */
        if (first != TS_NONE && first < point) {
            s->churn_base++;
            if (last < point)
                s->churned++;
        }
    }
    s->repeat_rate_pct = num_pct((double)s->repeaters, (double)s->purchasers);
    s->purchase_frequency = num_div((double)s->orders, (double)s->purchasers);
    s->aov = num_div(s->revenue, (double)s->orders);
    s->churn_rate_pct = num_pct((double)s->churned, (double)s->churn_base);
}

int cohort_compute(const struct query *q, enum period_unit unit, int periods,
                   struct cohort_res *out, struct ct_error *err)
{
    memset(out, 0, sizeof *out);
    out->period = unit;
    out->periods = periods;
    const struct dataset *ds = q->ds;
    struct pred entry, ret;
    if (pred_compile(&q->cfg->cohorts.entry, ds, &entry, err))
        return CT_ERR_CONFIG;
    if (pred_compile(&q->cfg->cohorts.ret, ds, &ret, err)) {
        pred_free(&entry);
        return CT_ERR_CONFIG;
    }
    /* pass 1: each customer's cohort */
    int64_t *ci = xmalloc((ds->n_customers ? ds->n_customers : 1) * sizeof *ci);
    int64_t lo_ci = INT64_MAX, hi_ci = INT64_MIN;
    for (size_t c = 0; c < ds->n_customers; c++) {
        ci[c] = INT64_MIN;
        if (!q->member[c])
            continue;
        long e = first_match(&entry, ds, query_lo(q, c), query_hi(q, c));
        if (e < 0)
            continue;
        int64_t p = period_index(q->tz, unit, ds->ts[e]);
        if (!cohort_selected(q, unit, p))
            continue;
        ci[c] = p;
        if (p < lo_ci)
            lo_ci = p;
        if (p > hi_ci)
            hi_ci = p;
    }
    size_t span = lo_ci <= hi_ci ? (size_t)(hi_ci - lo_ci + 1) : 0;
    struct cohort_row *rows = xcalloc(span ? span : 1, sizeof *rows);
    size_t np = (size_t)periods;
    for (size_t r = 0; r < span; r++) {
        rows[r].index = lo_ci + (int64_t)r;
        rows[r].customers = xcalloc(np, sizeof(int64_t));
        rows[r].orders = xcalloc(np, sizeof(int64_t));
        rows[r].revenue = xcalloc(np, sizeof(double));
        rows[r].future = xcalloc(np, 1);
    }
    /* pass 2: cells */
    uint8_t *seen = xmalloc(np);
    for (size_t c = 0; c < ds->n_customers; c++) {
        if (ci[c] == INT64_MIN)
            continue;
        struct cohort_row *row = &rows[ci[c] - lo_ci];
        row->size++;
        mark_returns(&ret, q, c, unit, ci[c], periods, seen);
        for (size_t k = 0; k < np; k++)
            row->customers[k] += seen[k];
        for (size_t i = query_lo(q, c); i < query_hi(q, c); i++) {
            if (ds->name[i] != q->fx.purchase)
                continue;
            int64_t k = period_index(q->tz, unit, ds->ts[i]) - ci[c];
            if (k < 0 || k >= periods)
                continue;
            row->orders[k]++;
            row->revenue[k] += isnan(ds->value[i]) ? 0 : ds->value[i];
        }
    }
    free(seen);
    /* keep cohorts with customers; mark future cells */
    out->rows = xcalloc(span ? span : 1, sizeof *out->rows);
    for (size_t r = 0; r < span; r++) {
        if (!rows[r].size) {
            free(rows[r].customers);
            free(rows[r].orders);
            free(rows[r].revenue);
            free(rows[r].future);
            continue;
        }
        char label[32];
        period_label(unit, rows[r].index, label, sizeof label);
        rows[r].label = xstrdup(label);
        for (size_t k = 0; k < np; k++)
            rows[r].future[k] =
                period_start_ms(q->tz, unit, rows[r].index + (int64_t)k) > q->range.now_ms;
        out->rows[out->n++] = rows[r];
    }
    free(rows);
    free(ci);
    pred_free(&entry);
    pred_free(&ret);
    summarize(q, &out->summary);
    return 0;
}

struct ct_num cohort_value(const struct cohort_res *r, size_t row, int offset,
                           enum cohort_view view)
{
    const struct cohort_row *w = &r->rows[row];
    if (offset < 0 || offset >= r->periods || w->future[offset])
        return num_null();
    double size = (double)w->size;
    switch (view) {
    case VIEW_CUSTOMERS:
        return num_val((double)w->customers[offset]);
    case VIEW_PCT:
        return num_pct((double)w->customers[offset], size);
    case VIEW_REVENUE:
        return num_div(w->revenue[offset], size);
    case VIEW_CUM_REVENUE: {
        double sum = 0;
        for (int k = 0; k <= offset; k++)
            sum += w->revenue[k];
        return num_div(sum, size);
    }
    case VIEW_ORDERS:
        return num_div((double)w->orders[offset], size);
    }
    return num_null();
}

void cohort_res_free(struct cohort_res *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->rows[i].label);
        free(r->rows[i].customers);
        free(r->rows[i].orders);
        free(r->rows[i].revenue);
        free(r->rows[i].future);
    }
    free(r->rows);
    memset(r, 0, sizeof *r);
}

int cohort_cell_customers(const struct query *q, enum period_unit unit, int64_t cohort_index,
                          int offset, size_t **out, size_t *n, struct ct_error *err)
{
    *out = NULL;
    *n = 0;
    const struct dataset *ds = q->ds;
    struct pred entry, ret;
    if (pred_compile(&q->cfg->cohorts.entry, ds, &entry, err))
        return CT_ERR_CONFIG;
    if (pred_compile(&q->cfg->cohorts.ret, ds, &ret, err)) {
        pred_free(&entry);
        return CT_ERR_CONFIG;
    }
    int periods = offset + 1;
    uint8_t *seen = xmalloc((size_t)periods);
    size_t cap = 0;
    for (size_t c = 0; c < ds->n_customers; c++) {
        if (!q->member[c])
            continue;
        long e = first_match(&entry, ds, query_lo(q, c), query_hi(q, c));
        if (e < 0 || period_index(q->tz, unit, ds->ts[e]) != cohort_index)
            continue;
        mark_returns(&ret, q, c, unit, cohort_index, periods, seen);
        if (!seen[offset])
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            *out = xreallocarray(*out, cap, sizeof **out);
        }
        (*out)[(*n)++] = c;
    }
    free(seen);
    pred_free(&entry);
    pred_free(&ret);
    return 0;
}
