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
#include "model/par.h"

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

const int second_order_bin_days[SECOND_ORDER_BINS - 1] = {7, 14, 30, 60, 90, 180};

/* Bits of the cohort predset. */
enum { B_ENTRY = 1, B_RETURN = 2 };

struct cjob {
    const struct query *q;
    const struct predset *ps;
    enum period_unit unit;
    int periods;
    int64_t *ci; /* per customer: cohort period index, INT64_MIN when none */
    int64_t lo_ci, hi_ci;
    struct cohort_row *rows[PAR_PARTS]; /* hi_ci - lo_ci + 1 rows per part */
    struct cohort_summary sum[PAR_PARTS];
    struct dvec second[PAR_PARTS]; /* days from first to second order */
    int64_t lo_part[PAR_PARTS], hi_part[PAR_PARTS];
};

static int cohort_selected(const struct query *q, enum period_unit unit, int64_t ci)
{
    if (q->range.has_from && ci < period_index(q->tz, unit, q->range.from_ms))
        return 0;
    if (q->range.has_to && ci > period_index(q->tz, unit, q->range.to_ms - 1))
        return 0;
    return 1;
}

/* Pass 1: each customer's cohort = the period of the first entry event. */
static void cohort_pass1(void *ctx, int part, size_t lo_c, size_t hi_c)
{
    struct cjob *j = ctx;
    const struct query *q = j->q;
    const struct dataset *ds = q->ds;
    uint32_t *masks = NULL;
    size_t cap = 0;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (size_t c = lo_c; c < hi_c; c++) {
        j->ci[c] = INT64_MIN;
        if (!q->member[c])
            continue;
        size_t a = query_lo(q, c), b = query_hi(q, c);
        if (b - a > cap) {
            cap = (b - a) * 2;
            masks = xreallocarray(masks, cap, sizeof *masks);
        }
        predset_masks(j->ps, ds, a, b, masks);
        size_t e = a;
        while (e < b && !(masks[e - a] & B_ENTRY))
            e++;
        if (e == b)
            continue;
        int64_t p = period_index(q->tz, j->unit, ds->ts[e]);
        if (!cohort_selected(q, j->unit, p))
            continue;
        j->ci[c] = p;
        if (p < lo)
            lo = p;
        if (p > hi)
            hi = p;
    }
    j->lo_part[part] = lo;
    j->hi_part[part] = hi;
    free(masks);
}

/* Pass 2: the cells of each cohort, and the summary metrics. */
static void cohort_pass2(void *ctx, int part, size_t lo_c, size_t hi_c)
{
    struct cjob *j = ctx;
    const struct query *q = j->q;
    const struct dataset *ds = q->ds;
    struct cohort_summary *s = &j->sum[part];
    int64_t point = q->range.now_ms - q->cfg->inactive_after_ms;
    size_t np = (size_t)j->periods, cap = 0;
    uint32_t *masks = NULL;
    uint8_t *seen = xmalloc(np);
    for (size_t c = lo_c; c < hi_c; c++) {
        if (!q->member[c])
            continue;
        size_t a = query_lo(q, c), b = query_hi(q, c);
        /* summary: purchases in the range; churn over all purchases to now */
        int64_t n = 0, first = TS_NONE, second = TS_NONE, last = TS_NONE;
        for (size_t i = a; i < b; i++) {
            if (ds->name[i] != q->fx.purchase)
                continue;
            if (first == TS_NONE)
                first = ds->ts[i];
            else if (second == TS_NONE)
                second = ds->ts[i];
            last = ds->ts[i];
            if (!query_in_range(q, ds->ts[i]))
                continue;
            n++;
            s->revenue += isnan(ds->value[i]) ? 0 : ds->value[i];
        }
        s->purchasers += n >= 1;
        s->repeaters += n >= 2;
        s->orders += n;
        if (first != TS_NONE && first < point) {
            s->churn_base++;
            s->churned += last < point;
        }
        if (second != TS_NONE && query_in_range(q, first))
            dvec_push(&j->second[part], (double)(second - first) / 86400000.0);
        if (j->ci[c] == INT64_MIN)
            continue;
        struct cohort_row *row = &j->rows[part][j->ci[c] - j->lo_ci];
        row->size++;
        if (b - a > cap) {
            cap = (b - a) * 2;
            masks = xreallocarray(masks, cap, sizeof *masks);
        }
        predset_masks(j->ps, ds, a, b, masks);
        memset(seen, 0, np);
        for (size_t i = a; i < b; i++) {
            int ret = (masks[i - a] & B_RETURN) != 0, buy = ds->name[i] == q->fx.purchase;
            if (!ret && !buy)
                continue;
            int64_t k = period_index(q->tz, j->unit, ds->ts[i]) - j->ci[c];
            if (k < 0 || k >= j->periods)
                continue;
            if (ret)
                seen[k] = 1;
            if (buy) {
                row->orders[k]++;
                row->revenue[k] += isnan(ds->value[i]) ? 0 : ds->value[i];
            }
        }
        for (size_t k = 0; k < np; k++)
            row->customers[k] += seen[k];
    }
    free(masks);
    free(seen);
}

static struct cohort_row *new_rows(size_t span, size_t np, int64_t lo)
{
    struct cohort_row *rows = xcalloc(span ? span : 1, sizeof *rows);
    for (size_t r = 0; r < span; r++) {
        rows[r].index = lo + (int64_t)r;
        rows[r].customers = xcalloc(np, sizeof(int64_t));
        rows[r].orders = xcalloc(np, sizeof(int64_t));
        rows[r].revenue = xcalloc(np, sizeof(double));
        rows[r].future = xcalloc(np, 1);
    }
    return rows;
}

static void free_row(struct cohort_row *r)
{
    free(r->label);
    free(r->customers);
    free(r->orders);
    free(r->revenue);
    free(r->future);
}

int cohort_compute(const struct query *q, enum period_unit unit, int periods,
                   struct cohort_res *out, struct ct_error *err)
{
    memset(out, 0, sizeof *out);
    out->period = unit;
    out->periods = periods;
    const struct dataset *ds = q->ds;
    const struct matcher *m[2] = {&q->cfg->cohorts.entry, &q->cfg->cohorts.ret};
    struct predset ps;
    if (predset_compile(&ps, m, 2, ds, err))
        return CT_ERR_CONFIG;
    struct cjob *j = xcalloc(1, sizeof *j);
    j->q = q;
    j->ps = &ps;
    j->unit = unit;
    j->periods = periods;
    j->ci = xmalloc((ds->n_customers ? ds->n_customers : 1) * sizeof *j->ci);
    par_run(ds, cohort_pass1, j);
    j->lo_ci = INT64_MAX;
    j->hi_ci = INT64_MIN;
    for (int p = 0; p < PAR_PARTS; p++) {
        if (j->lo_part[p] < j->lo_ci)
            j->lo_ci = j->lo_part[p];
        if (j->hi_part[p] > j->hi_ci)
            j->hi_ci = j->hi_part[p];
    }
    size_t span = j->lo_ci <= j->hi_ci ? (size_t)(j->hi_ci - j->lo_ci + 1) : 0;
    size_t np = (size_t)periods;
    for (int p = 0; p < PAR_PARTS; p++)
        j->rows[p] = new_rows(span, np, j->lo_ci);
    par_run(ds, cohort_pass2, j);
    /* parts fold into the first, in order */
    struct cohort_row *rows = j->rows[0];
    struct cohort_summary *s = &out->summary;
    for (int p = 0; p < PAR_PARTS; p++) {
        for (size_t r = 0; p > 0 && r < span; r++) {
            struct cohort_row *a = &rows[r], *b = &j->rows[p][r];
            a->size += b->size;
            for (size_t k = 0; k < np; k++) {
                a->customers[k] += b->customers[k];
                a->orders[k] += b->orders[k];
                a->revenue[k] += b->revenue[k];
            }
            free_row(b);
        }
        if (p > 0)
            free(j->rows[p]);
        struct cohort_summary *o = &j->sum[p];
        s->purchasers += o->purchasers;
        s->repeaters += o->repeaters;
        s->orders += o->orders;
        s->revenue += o->revenue;
        s->churned += o->churned;
        s->churn_base += o->churn_base;
    }
    struct dvec gaps = {0};
    for (int p = 0; p < PAR_PARTS; p++) {
        for (size_t i = 0; i < j->second[p].n; i++) {
            double d = j->second[p].v[i];
            dvec_push(&gaps, d);
            int bin = 0;
            while (bin < SECOND_ORDER_BINS - 1 && d > second_order_bin_days[bin])
                bin++;
            s->second_hist[bin]++;
        }
        dvec_free(&j->second[p]);
    }
    s->second_customers = (int64_t)gaps.n;
    s->second_median_days = stats_percentile(gaps.v, gaps.n, 0.5);
    s->second_p90_days = stats_percentile(gaps.v, gaps.n, 0.9);
    dvec_free(&gaps);
    s->repeat_rate_pct = num_pct((double)s->repeaters, (double)s->purchasers);
    s->purchase_frequency = num_div((double)s->orders, (double)s->purchasers);
    s->aov = num_div(s->revenue, (double)s->orders);
    s->churn_rate_pct = num_pct((double)s->churned, (double)s->churn_base);
    /* keep cohorts with customers; mark future cells */
    out->rows = xcalloc(span ? span : 1, sizeof *out->rows);
    for (size_t r = 0; r < span; r++) {
        if (!rows[r].size) {
            free_row(&rows[r]);
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
    free(j->ci);
    free(j);
    predset_free(&ps);
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
    const struct matcher *m[2] = {&q->cfg->cohorts.entry, &q->cfg->cohorts.ret};
    struct predset ps;
    if (predset_compile(&ps, m, 2, ds, err))
        return CT_ERR_CONFIG;
    size_t cap = 0, mcap = 0;
    uint32_t *masks = NULL;
    for (size_t c = 0; c < ds->n_customers; c++) {
        if (!q->member[c])
            continue;
        size_t a = query_lo(q, c), b = query_hi(q, c);
        if (b - a > mcap) {
            mcap = (b - a) * 2;
            masks = xreallocarray(masks, mcap, sizeof *masks);
        }
        predset_masks(&ps, ds, a, b, masks);
        size_t e = a;
        while (e < b && !(masks[e - a] & B_ENTRY))
            e++;
        if (e == b || period_index(q->tz, unit, ds->ts[e]) != cohort_index)
            continue;
        int hit = 0;
        for (size_t i = a; i < b && !hit; i++)
            hit = (masks[i - a] & B_RETURN) &&
                  period_index(q->tz, unit, ds->ts[i]) - cohort_index == offset;
        if (!hit)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            *out = xreallocarray(*out, cap, sizeof **out);
        }
        (*out)[(*n)++] = c;
    }
    free(masks);
    predset_free(&ps);
    return 0;
}
