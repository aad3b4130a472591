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
#include "model/evblock.h"
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
    /* name-only matchers: what an event is follows from its name alone,
     * cls[name id] (C_BUY | C_ENTRY | C_RETURN); else NULL and masks are
     * computed per customer */
    uint8_t *cls;
    size_t n_cls;
    /* with cls: the events of the names that have a class (hits.pos NULL
     * when they could not be had) */
    struct name_hits hits;
    int periods;
    /* cohorts lo .. lo + span - 1 can exist; bound[x] is the start of
     * period lo + x (x = 0 .. span + periods), so events are placed in
     * periods by comparing times, never by calendar arithmetic */
    int64_t lo;
    size_t span;
    int64_t *bound;
    struct cohort_row *rows[PAR_PARTS]; /* span rows per part */
    struct cohort_summary sum[PAR_PARTS];
    struct dvec second[PAR_PARTS]; /* days from first to second order */
};

/* The row of a first entry at ts: x with bound[x] <= ts < bound[x + 1],
 * or -1 when ts falls outside the cohorts that can be shown. */
static long cohort_of(const struct cjob *j, int64_t ts)
{
    if (ts < j->bound[0] || ts >= j->bound[j->span])
        return -1;
    size_t lo = 0, hi = j->span; /* bound[lo] <= ts < bound[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (j->bound[mid] <= ts)
            lo = mid;
        else
            hi = mid;
    }
    return (long)lo;
}

enum { C_BUY = 1, C_ENTRY = 2, C_RETURN = 4 };

/* The classes of events [a, b) of one customer into out (the general path:
 * matchers with conditions or occurrences). */
static void classes(const struct cjob *j, size_t a, size_t b, uint32_t *masks, uint8_t *out)
{
    const struct dataset *ds = j->q->ds;
    predset_masks(j->ps, ds, a, b, masks);
    for (size_t i = a; i < b; i++)
        out[i - a] = (uint8_t)((ds->name[i] == j->q->fx.purchase ? C_BUY : 0) |
                               (masks[i - a] & B_ENTRY ? C_ENTRY : 0) |
                               (masks[i - a] & B_RETURN ? C_RETURN : 0));
}

/* One customer's cells and summary from its gathered events [m0, m1). */
static void cohort_customer(struct cjob *j, int part, const struct evblock *bl, size_t m0,
                            size_t m1)
{
    const struct query *q = j->q;
    const int64_t *bound = j->bound;
    const int64_t from = q->range.from_ms, to = q->range.to_ms;
    struct cohort_summary *s = &j->sum[part];
    size_t np = (size_t)j->periods;
    /* the cohort: usually the first event is the entry */
    size_t e = m0;
    while (e < m1 && !(bl->tag[e] & C_ENTRY))
        e++;
    long r = e < m1 ? cohort_of(j, bl->t[e]) : -1;
    struct cohort_row *row = r >= 0 ? &j->rows[part][r] : NULL;
    /* cells are the periods r .. r + np - 1 of the cohort */
    int64_t cell_lo = row ? bound[r] : INT64_MAX;
    int64_t cell_hi = row ? bound[(size_t)r + np] : INT64_MIN;
    size_t p = row ? (size_t)r : 0;
    long last_k = -1;
    if (row)
        row->size++;
    /* summary: purchases in the range; churn over all purchases to now */
    int64_t n = 0, first = TS_NONE, second = TS_NONE, last = TS_NONE;
    double revenue = 0;
    for (size_t m = m0; m < m1; m++) {
        unsigned c = bl->tag[m];
        int64_t t = bl->t[m];
        int buy = c & C_BUY;
        if (buy) {
            if (first == TS_NONE)
                first = t;
            else if (second == TS_NONE)
                second = t;
            last = t;
            if (t >= from && t < to) {
                n++;
                revenue += bl->v[m];
            }
        }
        if (!(c & (C_BUY | C_RETURN)) || t < cell_lo || t >= cell_hi)
            continue;
        while (t >= bound[p + 1]) /* times only grow within a customer */
            p++;
        size_t k = p - (size_t)r;
        if ((c & C_RETURN) && (long)k != last_k) {
            row->customers[k]++;
            last_k = (long)k;
        }
        if (buy) {
            row->orders[k]++;
            row->revenue[k] += bl->v[m];
        }
    }
    s->revenue += revenue;
    s->purchasers += n >= 1;
    s->repeaters += n >= 2;
    s->orders += n;
    int64_t point = q->range.now_ms - q->cfg->inactive_after_ms;
    if (first != TS_NONE && first < point) {
        s->churn_base++;
        s->churned += last < point;
    }
    if (second != TS_NONE && first >= from && first < to)
        dvec_push(&j->second[part], (double)(second - first) / 86400000.0);
}

static void block_run(struct cjob *j, int part, struct evblock *bl)
{
    evblock_gather(bl, j->q->ds);
    for (size_t k = 0; k < bl->nc; k++)
        cohort_customer(j, part, bl, bl->first[k], bl->first[k + 1]);
    evblock_clear(bl);
}

/* cohort_pass over the positions of the classed events only: a customer
 * without one adds nothing to a cell or to the summary, so only the
 * customers of those events are visited, in the same order. */
static void cohort_pass_hits(struct cjob *j, int part, size_t lo_c, size_t hi_c)
{
    const struct query *q = j->q;
    const uint64_t *off = q->ds->cust_off;
    const struct name_hits *hs = &j->hits;
    const uint32_t *pos = hs->pos;
    size_t h = name_hits_from(hs, off[lo_c]), end = name_hits_from(hs, off[hi_c]);
    struct evblock bl = {0};
    size_t c = lo_c;
    while (h < end) {
        while (off[c + 1] <= pos[h]) /* the customer of this event */
            c++;
        uint64_t next = off[c + 1];
        if (!q->member[c]) {
            while (h < end && pos[h] < next)
                h++;
            continue;
        }
        size_t b = query_hi(q, c);
        evblock_customer(&bl, c);
        for (; h < end && pos[h] < next; h++)
            if (pos[h] < b)
                evblock_push(&bl, pos[h], name_hit_tag(hs, h));
        if (evblock_full(&bl))
            block_run(j, part, &bl);
    }
    block_run(j, part, &bl);
    evblock_free(&bl);
}

/* One pass over a part of the customers: each one's cohort (the period of
 * the first entry event), the cells it adds to, and the summary metrics. */
static void cohort_pass(void *ctx, int part, size_t lo_c, size_t hi_c)
{
    struct cjob *j = ctx;
    if (j->hits.pos) {
        cohort_pass_hits(j, part, lo_c, hi_c);
        return;
    }
    const struct query *q = j->q;
    const uint32_t *name = q->ds->name;
    const uint8_t *cls = j->cls;
    const size_t n_cls = j->n_cls;
    size_t cap = 0;
    uint32_t *masks = NULL;
    uint8_t *own = NULL; /* the general path's classes, per customer */
    struct evblock bl = {0};
    for (size_t c = lo_c; c < hi_c; c++) {
        if (!q->member[c])
            continue;
        size_t a = query_lo(q, c), b = query_hi(q, c);
        evblock_customer(&bl, c);
        if (cls) {
            for (size_t i = a; i < b; i++) {
                uint32_t nm = name[i];
                uint8_t k = nm < n_cls ? cls[nm] : 0;
                if (k)
                    evblock_push(&bl, i, k);
            }
        } else {
            if (b - a > cap) {
                cap = (b - a) * 2;
                masks = xreallocarray(masks, cap, sizeof *masks);
                own = xrealloc(own, cap);
            }
            classes(j, a, b, masks, own);
            for (size_t i = a; i < b; i++)
                if (own[i - a])
                    evblock_push(&bl, i, own[i - a]);
        }
        if (evblock_full(&bl))
            block_run(j, part, &bl);
    }
    block_run(j, part, &bl);
    evblock_free(&bl);
    free(masks);
    free(own);
}

/* The cohorts that can be shown: from the period of the range start (or
 * of the oldest event) to that of the range end (or of now, or of the
 * newest event); empty ones are dropped later. */
static void cohort_bounds(struct cjob *j, enum period_unit unit)
{
    const struct query *q = j->q;
    const struct dataset *ds = q->ds;
    int64_t oldest = ds->oldest_ms;
    int64_t newest = ds->newest_ms < q->range.now_ms ? ds->newest_ms : q->range.now_ms;
    if (q->range.has_from && q->range.from_ms > oldest)
        oldest = q->range.from_ms;
    if (q->range.has_to && q->range.to_ms - 1 < newest)
        newest = q->range.to_ms - 1;
    j->span = 0;
    if (oldest <= newest && ds->n_events) {
        j->lo = period_index(q->tz, unit, oldest);
        j->span = (size_t)(period_index(q->tz, unit, newest) - j->lo + 1);
    }
    size_t nb = j->span + (size_t)j->periods + 1;
    j->bound = xmalloc(nb * sizeof *j->bound);
    for (size_t x = 0; x < nb; x++)
        j->bound[x] = j->span ? period_start_ms(q->tz, unit, j->lo + (int64_t)x) : INT64_MAX;
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

/* The positions of the events that have a class, when a few names hold
 * them all (the usual: entry and return are purchases). */
static void cohort_hits(struct cjob *j)
{
    uint32_t *tags = xmalloc((j->n_cls ? j->n_cls : 1) * sizeof *tags);
    for (size_t i = 0; i < j->n_cls; i++)
        tags[i] = j->cls[i];
    if (dataset_name_hits(j->q->ds, tags, j->n_cls, &j->hits))
        j->hits.pos = NULL;
    free(tags);
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
    if (ps.cond_bits == 0 && ps.occ_bits == 0) {
        /* ids past the predset's table match no matcher, but may be the
         * purchase */
        j->n_cls = ds->names.n > ps.n_names ? ds->names.n : ps.n_names;
        j->cls = xcalloc(j->n_cls ? j->n_cls : 1, 1);
        for (size_t i = 0; i < j->n_cls; i++)
            j->cls[i] = (uint8_t)((i == q->fx.purchase ? C_BUY : 0) |
                                  (i < ps.n_names && ps.name_bits[i] & B_ENTRY ? C_ENTRY : 0) |
                                  (i < ps.n_names && ps.name_bits[i] & B_RETURN ? C_RETURN : 0));
        cohort_hits(j);
    }
    j->periods = periods;
    cohort_bounds(j, unit);
    size_t span = j->span;
    size_t np = (size_t)periods;
    for (int p = 0; p < PAR_PARTS; p++)
        j->rows[p] = new_rows(span, np, j->lo);
    par_run(ds, cohort_pass, j);
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
    free(j->bound);
    free(j->cls);
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
