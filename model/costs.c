/*
 * costs.c - the costs engine (issue 9; definitions in costs.h): CAC,
 * retention cost, CLV so far, CLV to CAC and payback per period and
 * acquisition channel.
 *
 * Customers are read once, in two parts (par.h), into cells (period x
 * channel): new customers, retained customers, and the new customers' net
 * spend per period after their first one, kept only for cells that won a
 * customer (a day view over years would otherwise be a large triangle).
 * Spend records are then spread over the cells' days.  Rows, channel
 * totals and the grand total are ratios of those sums.  No SQL, no I/O, no
 * clock.
 */
#include "autoconf.h"

#include <math.h>
#include <string.h>

#include "model/costs.h"
#include "model/customer.h"
#include "model/mem.h"
#include "model/par.h"
#include "model/strmap.h"

/* --- calendar -------------------------------------------------------------- */

/* Local day numbers and periods: spend is by day, events by instant. */
static int64_t first_day_of(const struct query *q, enum period_unit unit, int64_t p)
{
    return period_local_day(q->tz, period_start_ms(q->tz, unit, p));
}

static int64_t period_of_day(const struct query *q, enum period_unit unit, int64_t day)
{
    return period_index(q->tz, unit, period_day_start_ms(q->tz, day));
}

/* The share of a spend record that falls on days [lo, hi): exact when the
 * window holds the whole record. */
static double spend_share(const struct spend_item *it, int64_t lo, int64_t hi)
{
    int64_t a = it->first_day > lo ? it->first_day : lo;
    int64_t b = it->first_day + it->days < hi ? it->first_day + it->days : hi;
    if (b <= a)
        return 0;
    if (b - a == it->days)
        return it->amount;
    return it->amount * (double)(b - a) / (double)it->days;
}

/* Has cumulative net spend reached the spend?  Spreading a month over its
 * days leaves rounding dust, which must not decide a payback. */
static int reached(double cum, double spend)
{
    return cum >= spend - 1e-9 * (spend > 1 ? spend : 1);
}

/* --- the pass over customers ----------------------------------------------- */

struct cpart {
    int64_t *new_cnt, *ret_cnt; /* per cell */
    double *net_tot;            /* per cell: the new customers' net spend up to now */
    double **net;               /* per cell: per offset k, NULL until the cell wins a customer */
};

struct cjob {
    const struct query *q;
    enum period_unit unit;
    int64_t p_lo, p_hi, p_now; /* periods shown, and the period of now */
    size_t n_ch;               /* channels (provisional indexes) */
    const uint32_t *ch_of_val; /* acquisition channel id -> provisional index */
    struct cpart part[PAR_PARTS];
};

/* Offsets a cell of period p can have: p .. p_now. */
static size_t offsets(const struct cjob *j, int64_t p)
{
    return (size_t)(j->p_now - p + 1);
}

static size_t cell_of(const struct cjob *j, int64_t p, size_t ch)
{
    return (size_t)(p - j->p_lo) * j->n_ch + ch;
}

static double signed_value(const struct query *q, size_t i, int *money)
{
    const struct dataset *ds = q->ds;
    double v = isnan(ds->value[i]) ? 0 : ds->value[i];
    *money = 1;
    if (ds->name[i] == q->fx.purchase)
        return v;
    if (ds->name[i] == q->fx.refund)
        return -fabs(v);
    *money = 0;
    return 0;
}

static void costs_part(void *ctx, int part, size_t lo_c, size_t hi_c)
{
    struct cjob *j = ctx;
    const struct query *q = j->q;
    const struct dataset *ds = q->ds;
    struct cpart *cp = &j->part[part];
    for (size_t c = lo_c; c < hi_c; c++) {
        if (!q->member[c])
            continue;
        size_t a = query_lo(q, c), b = query_hi(q, c), first = a;
        while (first < b && ds->name[first] != q->fx.purchase)
            first++;
        if (first == b)
            continue;
        size_t ch = j->ch_of_val[ds->cust_channel[c]];
        int64_t pc = period_index(q->tz, j->unit, ds->ts[first]);
        if (query_in_range(q, ds->ts[first]) && pc >= j->p_lo && pc <= j->p_hi) {
            size_t cell = cell_of(j, pc, ch);
            cp->new_cnt[cell]++;
            if (!cp->net[cell])
                cp->net[cell] = xcalloc(offsets(j, pc), sizeof(double));
            /* from the first purchase's instant: a refund at the same time
             * counts whatever the import order (SPEC 5.0) */
            size_t from = first;
            while (from > a && ds->ts[from - 1] == ds->ts[first])
                from--;
            for (size_t i = from; i < b; i++) {
                int money;
                double v = signed_value(q, i, &money);
                if (!money)
                    continue;
                int64_t k = period_index(q->tz, j->unit, ds->ts[i]) - pc;
                cp->net[cell][k] += v;
                cp->net_tot[cell] += v;
            }
        }
        /* retained: a purchase in a later period than the first one's,
         * counted once per period */
        int64_t counted = pc;
        for (size_t i = first + 1; i < b; i++) {
            if (ds->name[i] != q->fx.purchase || !query_in_range(q, ds->ts[i]))
                continue;
            int64_t p = period_index(q->tz, j->unit, ds->ts[i]);
            if (p == counted || p < j->p_lo || p > j->p_hi)
                continue;
            counted = p;
            cp->ret_cnt[cell_of(j, p, ch)]++;
        }
    }
}

/* --- channels --------------------------------------------------------------- */

/* Provisional channel indexes: 0 is "no channel", then names as met. */
struct chans {
    struct strmap map;
    const char **names; /* [0] = NULL */
    size_t n, cap;
};

static size_t chan_index(struct chans *ch, const char *name)
{
    if (!name || !*name)
        return 0;
    int created;
    struct strmap_entry *e = strmap_put(&ch->map, name, strlen(name), &created);
    if (created) {
        if (ch->n == ch->cap) {
            ch->cap *= 2;
            ch->names = xreallocarray(ch->names, ch->cap, sizeof *ch->names);
        }
        e->val = ch->n;
        ch->names[ch->n++] = e->key;
    }
    return (size_t)e->val;
}

static int cmp_name(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    if (!x || !y)
        return (x == NULL) - (y == NULL); /* no channel last */
    return strcmp(x, y);
}

/* --- figures ---------------------------------------------------------------- */

/* The ratios of a figure from its sums. */
static void fig_finish(struct costs_fig *f)
{
    f->cac = num_div(f->acquisition_spend, (double)f->new_customers);
    f->retention_cost = num_div(f->retention_spend, (double)f->retained_customers);
    f->clv = num_div(f->net_spend, (double)f->new_customers);
    /* CLV / CAC = (net / new) / (spend / new) = net / spend */
    f->clv_to_cac = f->new_customers ? num_div(f->net_spend, f->acquisition_spend) : num_null();
}

/* What the merged pass and the spread spend hold per cell. */
struct cells {
    size_t n;
    int64_t *new_cnt, *ret_cnt;
    double *net_tot, *acq, *ret;
    double **net;
    uint8_t *has_spend;
};

/* Pooled payback of the cells of channel ch (COSTS_NONE: every channel):
 * the first k at which the cells whose period p + k has begun have paid
 * back their acquisition spend together.  Cells are in period order, so
 * those still observed at offset k are a prefix of the list. */
static struct ct_num pooled_payback(const struct cjob *j, const struct cells *cs, size_t ch)
{
    size_t *list = xmalloc((cs->n ? cs->n : 1) * sizeof *list), n = 0;
    for (size_t cell = 0; cell < cs->n; cell++)
        if ((ch == COSTS_NONE || cell % j->n_ch == ch) && (cs->new_cnt[cell] || cs->acq[cell] > 0))
            list[n++] = cell;
    double *cum = xcalloc(n ? n : 1, sizeof *cum);
    struct ct_num out = num_null();
    for (int64_t k = 0; k <= j->p_now - j->p_lo && out.null; k++) {
        double spend = 0, net = 0;
        int64_t won = 0;
        for (size_t i = 0; i < n; i++) {
            size_t cell = list[i];
            if (j->p_lo + (int64_t)(cell / j->n_ch) + k > j->p_now)
                break;
            if (cs->net[cell])
                cum[i] += cs->net[cell][k];
            spend += cs->acq[cell];
            net += cum[i];
            won += cs->new_cnt[cell];
        }
        if (won > 0 && reached(net, spend))
            out = num_val((double)k);
    }
    free(cum);
    free(list);
    return out;
}

/* Payback of one cell. */
static struct ct_num cell_payback(const struct cjob *j, const struct cells *cs, int64_t p,
                                  size_t cell)
{
    if (!cs->new_cnt[cell] || !cs->net[cell])
        return num_null();
    double cum = 0;
    for (size_t k = 0; k < offsets(j, p); k++) {
        cum += cs->net[cell][k];
        if (reached(cum, cs->acq[cell]))
            return num_val((double)k);
    }
    return num_null();
}

/* --- costs_compute ---------------------------------------------------------- */

static void merge_parts(struct cjob *j, struct cells *cs, size_t ncell)
{
    cs->n = ncell;
    struct cpart *t = &j->part[0];
    for (int p = 1; p < PAR_PARTS; p++) {
        struct cpart *o = &j->part[p];
        for (size_t i = 0; i < ncell; i++) {
            t->new_cnt[i] += o->new_cnt[i];
            t->ret_cnt[i] += o->ret_cnt[i];
            t->net_tot[i] += o->net_tot[i];
            if (o->net[i] && !t->net[i]) {
                t->net[i] = o->net[i];
            } else if (o->net[i]) {
                int64_t per = j->p_lo + (int64_t)(i / j->n_ch);
                for (size_t k = 0; k < offsets(j, per); k++)
                    t->net[i][k] += o->net[i][k];
                free(o->net[i]);
            }
        }
        free(o->new_cnt);
        free(o->ret_cnt);
        free(o->net_tot);
        free(o->net);
    }
    cs->new_cnt = t->new_cnt;
    cs->ret_cnt = t->ret_cnt;
    cs->net_tot = t->net_tot;
    cs->net = t->net;
    cs->acq = xcalloc(ncell ? ncell : 1, sizeof *cs->acq);
    cs->ret = xcalloc(ncell ? ncell : 1, sizeof *cs->ret);
    cs->has_spend = xcalloc(ncell ? ncell : 1, 1);
}

static void cells_free(struct cells *cs)
{
    for (size_t i = 0; i < cs->n; i++)
        free(cs->net[i]);
    free(cs->net);
    free(cs->new_cnt);
    free(cs->ret_cnt);
    free(cs->net_tot);
    free(cs->acq);
    free(cs->ret);
    free(cs->has_spend);
}

/* The periods to show: [*lo, *hi] and the period of now; 0 when none. */
static int period_bounds(const struct query *q, const struct spend_list *spend,
                         enum period_unit unit, int64_t *lo, int64_t *hi, int64_t *now_p)
{
    const struct range *r = &q->range;
    const struct dataset *ds = q->ds;
    *now_p = period_index(q->tz, unit, r->now_ms);
    *hi = *now_p;
    if (r->has_to) {
        int64_t last = period_index(q->tz, unit, r->to_ms - 1);
        if (last < *hi)
            *hi = last;
    }
    if (r->has_from) {
        *lo = period_index(q->tz, unit, r->from_ms);
        return *lo <= *hi;
    }
    /* the first period holding an event (as of now) or a spend record */
    int64_t first_ms = INT64_MAX;
    for (size_t c = 0; c < ds->n_customers; c++)
        if (q->member[c] && query_hi(q, c) > query_lo(q, c) && ds->ts[query_lo(q, c)] < first_ms)
            first_ms = ds->ts[query_lo(q, c)];
    int found = first_ms != INT64_MAX;
    *lo = found ? period_index(q->tz, unit, first_ms) : 0;
    for (size_t i = 0; spend && i < spend->n; i++) {
        int64_t p = period_of_day(q, unit, spend->items[i].first_day);
        if (!found || p < *lo)
            *lo = p;
        found = 1;
    }
    return found && *lo <= *hi;
}

/* Spread the spend records over the cells, and over the range for the
 * channel totals (acq/ret per provisional channel). */
static void spread_spend(const struct cjob *j, const struct spend_list *spend, struct chans *ch,
                         struct cells *cs, double *acq_ch, double *ret_ch)
{
    const struct query *q = j->q;
    const struct range *r = &q->range;
    int64_t from_day = r->has_from ? period_local_day(q->tz, r->from_ms) : INT64_MIN;
    int64_t to_day = r->has_to ? period_local_day(q->tz, r->to_ms - 1) + 1 : INT64_MAX;
    int64_t lo_day = first_day_of(q, j->unit, j->p_lo);
    int64_t hi_day = first_day_of(q, j->unit, j->p_hi + 1);
    if (lo_day < from_day)
        lo_day = from_day;
    if (hi_day > to_day)
        hi_day = to_day;
    for (size_t i = 0; spend && i < spend->n; i++) {
        const struct spend_item *it = &spend->items[i];
        int64_t a = it->first_day > lo_day ? it->first_day : lo_day;
        int64_t b = it->first_day + it->days < hi_day ? it->first_day + it->days : hi_day;
        if (b <= a)
            continue;
        size_t c = chan_index(ch, it->channel);
        int acq = it->purpose == SPEND_ACQUISITION;
        (acq ? acq_ch : ret_ch)[c] += spend_share(it, lo_day, hi_day);
        for (int64_t p = period_of_day(q, j->unit, a); p <= period_of_day(q, j->unit, b - 1); p++) {
            int64_t w0 = first_day_of(q, j->unit, p), w1 = first_day_of(q, j->unit, p + 1);
            size_t cell = cell_of(j, p, c);
            (acq ? cs->acq : cs->ret)[cell] += spend_share(it, w0 > a ? w0 : a, w1 < b ? w1 : b);
            cs->has_spend[cell] = 1;
        }
    }
}

/* Channel names met in the spend list and among the member customers, so
 * the cells can be sized before the pass. */
static uint32_t *map_channels(const struct query *q, const struct spend_list *spend,
                              struct chans *ch)
{
    const struct dataset *ds = q->ds;
    size_t nv = ds->vals.n ? ds->vals.n : 1;
    uint32_t *of_val = xmalloc(nv * sizeof *of_val);
    for (size_t v = 0; v < nv; v++)
        of_val[v] = UINT32_MAX;
    for (size_t c = 0; c < ds->n_customers; c++) {
        uint32_t v = ds->cust_channel[c];
        if (q->member[c] && v < nv && of_val[v] == UINT32_MAX)
            of_val[v] = (uint32_t)chan_index(ch, intern_str(&ds->vals, v));
    }
    for (size_t i = 0; spend && i < spend->n; i++)
        chan_index(ch, spend->items[i].channel);
    return of_val;
}

static int fig_empty(const struct costs_fig *f, int has_spend)
{
    return !has_spend && !f->new_customers && !f->retained_customers;
}

/* Mark the fastest payback and the channels that never paid back. */
static void mark_channels(struct costs_res *out)
{
    out->fastest = COSTS_NONE;
    out->never = xcalloc(out->n_channels ? out->n_channels : 1, 1);
    for (size_t c = 0; c < out->n_channels; c++) {
        const struct costs_fig *f = &out->by_channel[c];
        if (f->acquisition_spend <= 0)
            continue; /* nothing to pay back */
        if (f->payback_periods.null) {
            out->never[c] = 1;
            continue;
        }
        if (out->fastest == COSTS_NONE) {
            out->fastest = c;
            continue;
        }
        const struct costs_fig *b = &out->by_channel[out->fastest];
        if (f->payback_periods.v < b->payback_periods.v ||
            (f->payback_periods.v == b->payback_periods.v && !f->clv_to_cac.null &&
             (b->clv_to_cac.null || f->clv_to_cac.v > b->clv_to_cac.v)))
            out->fastest = c;
    }
}

int costs_compute(const struct query *q, const struct spend_list *spend, enum period_unit unit,
                  struct costs_res *out, struct ct_error *err)
{
    (void)err;
    memset(out, 0, sizeof *out);
    out->period = unit;
    out->fastest = COSTS_NONE;
    struct cjob *j = xcalloc(1, sizeof *j);
    j->q = q;
    j->unit = unit;
    struct chans ch = {0};
    strmap_init(&ch.map);
    ch.cap = 16;
    ch.names = xcalloc(ch.cap, sizeof *ch.names);
    ch.n = 1; /* [0]: no channel */
    uint32_t *of_val = map_channels(q, spend, &ch);
    j->ch_of_val = of_val;
    j->n_ch = ch.n;
    int any = period_bounds(q, spend, unit, &j->p_lo, &j->p_hi, &j->p_now);
    size_t ncell = any ? (size_t)(j->p_hi - j->p_lo + 1) * j->n_ch : 0;
    for (int p = 0; p < PAR_PARTS; p++) {
        j->part[p].new_cnt = xcalloc(ncell ? ncell : 1, sizeof(int64_t));
        j->part[p].ret_cnt = xcalloc(ncell ? ncell : 1, sizeof(int64_t));
        j->part[p].net_tot = xcalloc(ncell ? ncell : 1, sizeof(double));
        j->part[p].net = xcalloc(ncell ? ncell : 1, sizeof(double *));
    }
    if (any)
        par_run(q->ds, costs_part, j);
    struct cells cs;
    merge_parts(j, &cs, ncell);
    double *acq_ch = xcalloc(j->n_ch, sizeof *acq_ch), *ret_ch = xcalloc(j->n_ch, sizeof *ret_ch);
    if (any)
        spread_spend(j, spend, &ch, &cs, acq_ch, ret_ch);

    /* channel totals, over provisional indexes */
    struct costs_fig *tot = xcalloc(j->n_ch, sizeof *tot);
    uint8_t *used = xcalloc(j->n_ch, 1);
    for (size_t i = 0; i < ncell; i++) {
        size_t c = i % j->n_ch;
        tot[c].new_customers += cs.new_cnt[i];
        tot[c].retained_customers += cs.ret_cnt[i];
        tot[c].net_spend += cs.net_tot[i];
        used[c] |= cs.has_spend[i] || cs.new_cnt[i] || cs.ret_cnt[i];
    }
    /* final channels: those with something, by name */
    out->channels = xcalloc(j->n_ch, sizeof *out->channels);
    for (size_t c = 0; c < j->n_ch; c++)
        if (used[c])
            out->channels[out->n_channels++] = (char *)ch.names[c];
    qsort(out->channels, out->n_channels, sizeof *out->channels, cmp_name);
    size_t *final = xmalloc(j->n_ch * sizeof *final);
    for (size_t c = 0; c < j->n_ch; c++)
        final[c] = COSTS_NONE;
    for (size_t f = 0; f < out->n_channels; f++) {
        const char *name = out->channels[f];
        final[name ? (size_t)strmap_get(&ch.map, name, strlen(name))->val : 0] = f;
        out->channels[f] = name ? xstrdup(name) : NULL;
    }
    out->by_channel = xcalloc(out->n_channels ? out->n_channels : 1, sizeof *out->by_channel);
    for (size_t c = 0; c < j->n_ch; c++) {
        if (final[c] == COSTS_NONE)
            continue;
        struct costs_fig *f = &out->by_channel[final[c]];
        *f = tot[c];
        f->acquisition_spend = acq_ch[c];
        f->retention_spend = ret_ch[c];
        fig_finish(f);
        f->payback_periods = pooled_payback(j, &cs, c);
        struct costs_fig *t = &out->total;
        t->acquisition_spend += f->acquisition_spend;
        t->retention_spend += f->retention_spend;
        t->new_customers += f->new_customers;
        t->retained_customers += f->retained_customers;
        t->net_spend += f->net_spend;
    }
    fig_finish(&out->total);
    out->total.payback_periods = any ? pooled_payback(j, &cs, COSTS_NONE) : num_null();

    /* rows: by period, then channel (in final order) */
    size_t *order = xmalloc((j->n_ch ? j->n_ch : 1) * sizeof *order);
    for (size_t c = 0; c < j->n_ch; c++)
        if (final[c] != COSTS_NONE)
            order[final[c]] = c;
    out->rows = xcalloc(ncell ? ncell : 1, sizeof *out->rows);
    for (int64_t p = j->p_lo; any && p <= j->p_hi; p++) {
        char label[32];
        period_label(unit, p, label, sizeof label);
        for (size_t f = 0; f < out->n_channels; f++) {
            size_t cell = cell_of(j, p, order[f]);
            struct costs_fig fig = {
                .acquisition_spend = cs.acq[cell],
                .retention_spend = cs.ret[cell],
                .new_customers = cs.new_cnt[cell],
                .retained_customers = cs.ret_cnt[cell],
                .net_spend = cs.net_tot[cell],
            };
            if (fig_empty(&fig, cs.has_spend[cell]))
                continue;
            fig_finish(&fig);
            fig.payback_periods = cell_payback(j, &cs, p, cell);
            struct costs_row *row = &out->rows[out->n++];
            row->period = p;
            row->label = xstrdup(label);
            row->channel = f;
            row->f = fig;
        }
    }
    mark_channels(out);
    free(order);
    free(final);
    free(tot);
    free(used);
    free(acq_ch);
    free(ret_ch);
    cells_free(&cs);
    free(of_val);
    free(ch.names);
    strmap_free(&ch.map);
    free(j);
    return 0;
}

void costs_res_free(struct costs_res *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_channels; i++)
        free(r->channels[i]);
    free(r->channels);
    free(r->by_channel);
    for (size_t i = 0; i < r->n; i++)
        free(r->rows[i].label);
    free(r->rows);
    free(r->never);
    memset(r, 0, sizeof *r);
    r->fastest = COSTS_NONE;
}

const char *costs_channel_label(const struct costs_res *r, size_t channel)
{
    const char *name = channel < r->n_channels ? r->channels[channel] : NULL;
    return name ? name : "(no channel)";
}
