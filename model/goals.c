/*
 * goals.c - the goals engine: completions, converters, conversion rate per
 * visitor or per session, revenue; micro and macro totals (SPEC 5.2).
 *
 * One pass over each customer's events: a predset gives every goal's bit
 * per event, occurrences counted from the customer's first event.
 * Sessions are numbered only when the rate is per session.
 */
#include "autoconf.h"

#include <math.h>
#include <string.h>

#include "model/customer.h"
#include "model/evblock.h"
#include "model/goals.h"
#include "model/mem.h"
#include "model/par.h"

#define MAX_GOALS 32

struct gpart {
    int64_t visitors, sessions;
    int64_t completions[MAX_GOALS], converters[MAX_GOALS], conv_sessions[MAX_GOALS];
    double revenue[MAX_GOALS];
    int64_t kind_converters[2], kind_sessions[2];
};

struct gjob {
    const struct query *q;
    const struct predset *ps;
    int fast; /* name-only matchers, rate per visitor: the gathered path */
    struct name_hits hits; /* then the goals' events (hits.pos NULL: scan) */
    uint32_t kind_bits[2]; /* goals of each kind */
    int sessions;          /* count sessions (denominator: sessions) */
    struct gpart part[PAR_PARTS];
};

/* Distinct values among v[0..n) flagged by the bit b of masks. */
static int64_t distinct_where(const uint32_t *ids, const uint32_t *masks, uint32_t bits, size_t n,
                              uint32_t *buf)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (masks[i] & bits)
            buf[m++] = ids[i];
    return (int64_t)count_distinct_u32(buf, m);
}

/* A visitor: someone with an event in the range. */
static int visited(const struct query *q, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++)
        if (query_in_range(q, q->ds->ts[i]))
            return 1;
    return 0;
}

/* The completions of a block's customers, from their gathered events. */
static void block_run(struct gjob *j, struct gpart *g, struct evblock *bl)
{
    const struct query *q = j->q;
    evblock_gather(bl, q->ds);
    for (size_t k = 0; k < bl->nc; k++) {
        uint32_t any = 0;
        for (size_t m = bl->first[k]; m < bl->first[k + 1]; m++) {
            if (!query_in_range(q, bl->t[m]))
                continue;
            any |= bl->tag[m];
            for (uint32_t b = bl->tag[m]; b; b &= b - 1) {
                int gi = __builtin_ctz(b);
                g->completions[gi]++;
                g->revenue[gi] += bl->v[m];
            }
        }
        for (uint32_t b = any; b; b &= b - 1)
            g->converters[__builtin_ctz(b)]++;
        for (int kd = 0; kd < 2; kd++)
            g->kind_converters[kd] += (any & j->kind_bits[kd]) != 0;
    }
    evblock_clear(bl);
}

/* Name-only goals, rate per visitor: one table lookup per event, and the
 * times and values of the few completions read in gathered blocks. */
static void goals_part_fast(struct gjob *j, struct gpart *g, size_t lo_c, size_t hi_c)
{
    const struct query *q = j->q;
    const uint32_t *name = q->ds->name;
    const uint32_t *nb = j->ps->name_bits;
    const size_t nn = j->ps->n_names;
    const struct name_hits *hs = &j->hits;
    size_t h = hs->pos ? name_hits_from(hs, q->ds->cust_off[lo_c]) : 0;
    struct evblock bl = {0};
    for (size_t c = lo_c; c < hi_c; c++) {
        if (!q->member[c])
            continue;
        size_t lo = query_lo(q, c), hi = query_hi(q, c);
        if (!visited(q, lo, hi))
            continue;
        g->visitors++;
        evblock_customer(&bl, c);
        if (hs->pos) {
            /* the goals' events only, from the positions of their names */
            while (h < hs->n && hs->pos[h] < lo)
                h++;
            for (; h < hs->n && hs->pos[h] < hi; h++)
                evblock_push(&bl, hs->pos[h], name_hit_tag(hs, h));
        } else {
            for (size_t i = lo; i < hi; i++) {
                uint32_t nm = name[i];
                uint32_t m = nm < nn ? nb[nm] : 0;
                if (m)
                    evblock_push(&bl, i, m);
            }
        }
        if (evblock_full(&bl))
            block_run(j, g, &bl);
    }
    block_run(j, g, &bl);
    evblock_free(&bl);
}

static void goals_part(void *ctx, int part, size_t lo_c, size_t hi_c)
{
    struct gjob *j = ctx;
    const struct query *q = j->q;
    const struct dataset *ds = q->ds;
    struct gpart *g = &j->part[part];
    if (j->fast) {
        goals_part_fast(j, g, lo_c, hi_c);
        return;
    }
    size_t cap = 0;
    uint32_t *masks = NULL, *sid = NULL, *buf = NULL;
    for (size_t c = lo_c; c < hi_c; c++) {
        if (!q->member[c])
            continue;
        size_t lo = query_lo(q, c), hi = query_hi(q, c), n = hi - lo;
        if (!visited(q, lo, hi))
            continue;
        g->visitors++;
        if (n > cap) {
            cap = n * 2;
            masks = xreallocarray(masks, cap, sizeof *masks);
            sid = xreallocarray(sid, cap, sizeof *sid);
            buf = xreallocarray(buf, cap, sizeof *buf);
        }
        predset_masks(j->ps, ds, lo, hi, masks);
        /* completions count inside the range only */
        uint32_t any = 0;
        for (size_t i = 0; i < n; i++) {
            if (!masks[i])
                continue;
            if (!query_in_range(q, ds->ts[lo + i])) {
                masks[i] = 0;
                continue;
            }
            any |= masks[i];
            double v = ds->value[lo + i];
            for (uint32_t b = masks[i]; b; b &= b - 1) {
                int gi = __builtin_ctz(b);
                g->completions[gi]++;
                if (!isnan(v))
                    g->revenue[gi] += v;
            }
        }
        for (uint32_t b = any; b; b &= b - 1)
            g->converters[__builtin_ctz(b)]++;
        for (int kd = 0; kd < 2; kd++)
            g->kind_converters[kd] += (any & j->kind_bits[kd]) != 0;
        if (!j->sessions)
            continue;
        dataset_session_ids(ds, lo, hi, sid);
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (query_in_range(q, ds->ts[lo + i]))
                buf[m++] = sid[i];
        g->sessions += (int64_t)count_distinct_u32(buf, m);
        for (uint32_t b = any; b; b &= b - 1) {
            int gi = __builtin_ctz(b);
            g->conv_sessions[gi] += distinct_where(sid, masks, UINT32_C(1) << gi, n, buf);
        }
        for (int kd = 0; kd < 2; kd++)
            if (any & j->kind_bits[kd])
                g->kind_sessions[kd] += distinct_where(sid, masks, j->kind_bits[kd], n, buf);
    }
    free(masks);
    free(sid);
    free(buf);
}

int goals_compute(const struct query *q, struct goals_res *out, struct ct_error *err)
{
    memset(out, 0, sizeof *out);
    const struct config *cfg = q->cfg;
    size_t ng = cfg->n_goals;
    if (ng > MAX_GOALS)
        return ct_error_set(err, CT_ERR_CONFIG, cfg->path, 0, 0,
                            "%zu goals; at most %d are supported", ng, MAX_GOALS);
    const struct matcher *m[MAX_GOALS];
    for (size_t g = 0; g < ng; g++)
        m[g] = &cfg->goals[g].match;
    struct gjob *j = xcalloc(1, sizeof *j);
    struct predset ps;
    if (predset_compile(&ps, m, ng, q->ds, err)) {
        free(j);
        return CT_ERR_CONFIG;
    }
    j->q = q;
    j->ps = &ps;
    j->sessions = cfg->denominator == DENOM_SESSIONS;
    j->fast = !j->sessions && ps.cond_bits == 0 && ps.occ_bits == 0;
    if (j->fast && dataset_name_hits(q->ds, ps.name_bits, ps.n_names, &j->hits))
        j->hits.pos = NULL;
    for (size_t g = 0; g < ng; g++)
        j->kind_bits[cfg->goals[g].kind] |= UINT32_C(1) << g;
    par_run(q->ds, goals_part, j);
    /* parts fold into the first, in order */
    struct gpart *t = &j->part[0];
    for (int p = 1; p < PAR_PARTS; p++) {
        struct gpart *o = &j->part[p];
        t->visitors += o->visitors;
        t->sessions += o->sessions;
        for (size_t g = 0; g < ng; g++) {
            t->completions[g] += o->completions[g];
            t->converters[g] += o->converters[g];
            t->conv_sessions[g] += o->conv_sessions[g];
            t->revenue[g] += o->revenue[g];
        }
        for (int kd = 0; kd < 2; kd++) {
            t->kind_converters[kd] += o->kind_converters[kd];
            t->kind_sessions[kd] += o->kind_sessions[kd];
        }
    }
    int per_session = j->sessions;
    out->denominator = cfg->denominator;
    out->visitors = t->visitors;
    out->sessions = per_session ? t->sessions : -1;
    out->n = ng;
    out->goals = xcalloc(ng ? ng : 1, sizeof *out->goals);
    double denom = per_session ? (double)t->sessions : (double)t->visitors;
    int64_t kind_completions[2] = {0, 0};
    double kind_revenue[2] = {0, 0};
    int has_value[2] = {0, 0};
    for (size_t g = 0; g < ng; g++) {
        struct goal_res *r = &out->goals[g];
        const struct goal_def *d = &cfg->goals[g];
        r->name = xstrdup(d->name);
        r->kind = d->kind;
        r->completions = t->completions[g];
        r->converters = t->converters[g];
        r->converting_sessions = per_session ? t->conv_sessions[g] : -1;
        r->rate_pct = num_pct(per_session ? (double)t->conv_sessions[g] : (double)t->converters[g],
                              denom);
        r->revenue = d->value ? num_val(t->revenue[g]) : num_null();
        kind_completions[d->kind] += t->completions[g];
        if (d->value) {
            kind_revenue[d->kind] += t->revenue[g];
            has_value[d->kind] = 1;
        }
    }
    struct goal_total *tot[2] = {&out->micro, &out->macro};
    for (int kd = 0; kd < 2; kd++) {
        tot[kd]->completions = kind_completions[kd];
        tot[kd]->converters = t->kind_converters[kd];
        tot[kd]->converting_sessions = per_session ? t->kind_sessions[kd] : -1;
        tot[kd]->rate_pct = num_pct(per_session ? (double)t->kind_sessions[kd]
                                                : (double)t->kind_converters[kd],
                                    denom);
        tot[kd]->revenue = has_value[kd] ? num_val(kind_revenue[kd]) : num_null();
    }
    predset_free(&ps);
    free(j);
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
