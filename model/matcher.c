/*
 * matcher.c - compiling and evaluating matchers over dataset columns.
 *
 * Owns what "an event matches a step" means (SPEC 4): any of the names,
 * every where-condition, min_value, and the customer's Nth match for
 * occurrence.  No SQL, no I/O.
 */
#include "autoconf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/matcher.h"
#include "model/mem.h"

static int col_of(const char *prop, enum pred_col *col)
{
    static const struct {
        const char *name;
        enum pred_col col;
    } cols[] = {{"event", PCOL_EVENT},
                {"channel", PCOL_CHANNEL},
                {"value", PCOL_VALUE}};
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
        if (strcmp(prop, cols[i].name) == 0) {
            *col = cols[i].col;
            return 1;
        }
    return 0;
}

static int compile_cond(const struct where_cond *w, const struct dataset *ds,
                        struct pred_cond *c, struct ct_error *err)
{
    memset(c, 0, sizeof *c);
    if (!col_of(w->prop, &c->col)) {
        c->col = PCOL_PROP;
        size_t p = 0;
        while (p < ds->n_props && strcmp(ds->prop_keys[p], w->prop) != 0)
            p++;
        if (p == ds->n_props)
            return ct_error_set(err, CT_ERR_CONFIG, NULL, 0, 0,
                                "internal: property '%s' was not loaded", w->prop);
        c->prop = p;
    }
    c->n_ids = w->n_values;
    c->ids = xcalloc(w->n_values ? w->n_values : 1, sizeof *c->ids);
    c->nums = xcalloc(w->n_values ? w->n_values : 1, sizeof *c->nums);
    char canon[64];
    for (size_t i = 0; i < w->n_values; i++) {
        const char *v = w->values[i];
        switch (c->col) {
        case PCOL_EVENT:
            c->ids[i] = intern_find(&ds->names, v);
            break;
        case PCOL_VALUE: {
            char *end;
            double d = strtod(v, &end);
            c->nums[i] = (*v && *end == '\0') ? d : NAN;
            break;
        }
        default:
            c->ids[i] = intern_find(&ds->vals, strlen(v) < 60 ? dataset_canon(v, canon, sizeof canon)
                                                              : v);
            break;
        }
        /* "" would be id 0, which is "absent" in the columns: never match it */
        if (c->col != PCOL_VALUE && c->ids[i] == 0)
            c->ids[i] = INTERN_ABSENT;
    }
    return 0;
}

int pred_compile(const struct matcher *m, const struct dataset *ds, struct pred *out,
                 struct ct_error *err)
{
    memset(out, 0, sizeof *out);
    if (m->n_events > 0) {
        out->n_names = ds->names.n;
        out->name_ok = xcalloc(out->n_names ? out->n_names : 1, 1);
        for (size_t i = 0; i < m->n_events; i++) {
            uint32_t id = intern_find(&ds->names, m->events[i]);
            if (id != INTERN_ABSENT && id != 0)
                out->name_ok[id] = 1;
        }
    }
    out->n_conds = m->n_where;
    out->conds = xcalloc(m->n_where ? m->n_where : 1, sizeof *out->conds);
    for (size_t i = 0; i < m->n_where; i++)
        if (compile_cond(&m->where[i], ds, &out->conds[i], err)) {
            pred_free(out);
            return CT_ERR_CONFIG;
        }
    out->has_min = m->has_min_value;
    out->min_value = m->min_value;
    out->occurrence = m->occurrence;
    return 0;
}

void pred_free(struct pred *p)
{
    if (!p)
        return;
    free(p->name_ok);
    for (size_t i = 0; i < p->n_conds; i++) {
        free(p->conds[i].ids);
        free(p->conds[i].nums);
    }
    free(p->conds);
    memset(p, 0, sizeof *p);
}

static int cond_match(const struct pred_cond *c, const struct dataset *ds, size_t i)
{
    uint32_t v;
    switch (c->col) {
    case PCOL_VALUE:
        for (size_t k = 0; k < c->n_ids; k++)
            if (ds->value[i] == c->nums[k])
                return 1;
        return 0;
    case PCOL_EVENT:
        v = ds->name[i];
        break;
    case PCOL_CHANNEL:
        v = ds->channel[i];
        break;
    default:
        v = ds->prop[c->prop][i];
        break;
    }
    for (size_t k = 0; k < c->n_ids; k++)
        if (v == c->ids[k])
            return 1;
    return 0;
}

int pred_base_match(const struct pred *p, const struct dataset *ds, size_t i)
{
    if (p->name_ok && (ds->name[i] >= p->n_names || !p->name_ok[ds->name[i]]))
        return 0;
    /* min_value needs a value: an event without one never reaches it */
    if (p->has_min && !(ds->value[i] >= p->min_value))
        return 0;
    for (size_t c = 0; c < p->n_conds; c++)
        if (!cond_match(&p->conds[c], ds, i))
            return 0;
    return 1;
}

int predset_compile(struct predset *ps, const struct matcher *const *m, size_t k,
                    const struct dataset *ds, struct ct_error *err)
{
    memset(ps, 0, sizeof *ps);
    if (k > 32)
        k = 32;
    ps->k = k;
    ps->n_names = ds->names.n;
    ps->name_bits = xcalloc(ps->n_names ? ps->n_names : 1, sizeof *ps->name_bits);
    for (size_t j = 0; j < k; j++) {
        if (pred_compile(m[j], ds, &ps->preds[j], err)) {
            predset_free(ps);
            return CT_ERR_CONFIG;
        }
        const struct pred *p = &ps->preds[j];
        uint32_t bit = UINT32_C(1) << j;
        for (size_t n = 1; n < ps->n_names; n++)
            if (!p->name_ok || p->name_ok[n])
                ps->name_bits[n] |= bit;
        if (p->has_min || p->n_conds)
            ps->cond_bits |= bit;
        if (p->occurrence > 0)
            ps->occ_bits |= bit;
    }
    return 0;
}

void predset_free(struct predset *ps)
{
    for (size_t j = 0; j < 32; j++)
        pred_free(&ps->preds[j]);
    free(ps->name_bits);
    memset(ps, 0, sizeof *ps);
}

/* m without the occurrence matchers it is not the counted occurrence of
 * (counts[j]: the events so far that carried matcher j). */
static inline uint32_t occurrences(const struct predset *ps, uint32_t m, int counts[32])
{
    for (uint32_t c = m & ps->occ_bits; c; c &= c - 1) {
        int j = __builtin_ctz(c);
        if (++counts[j] != ps->preds[j].occurrence)
            m &= ~(UINT32_C(1) << j);
    }
    return m;
}

void predset_masks(const struct predset *ps, const struct dataset *ds, size_t lo, size_t hi,
                   uint32_t *masks)
{
    int counts[32];
    if (ps->occ_bits) /* most sets count no occurrence: skip the clearing */
        memset(counts, 0, sizeof counts);
    const uint32_t *nb = ps->name_bits;
    size_t nn = ps->n_names;
    for (size_t i = lo; i < hi; i++) {
        uint32_t name = ds->name[i];
        uint32_t m = name < nn ? nb[name] : 0;
        if (m & ps->cond_bits)
            for (uint32_t c = m & ps->cond_bits; c; c &= c - 1) {
                int j = __builtin_ctz(c);
                if (!pred_base_match(&ps->preds[j], ds, i))
                    m &= ~(UINT32_C(1) << j);
            }
        if (m & ps->occ_bits)
            m = occurrences(ps, m, counts);
        masks[i - lo] = m;
    }
}

void predset_masks_customers(const struct predset *ps, const struct dataset *ds, size_t c0,
                             size_t c1, uint32_t *masks)
{
    const uint64_t *off = ds->cust_off;
    const uint32_t *nb = ps->name_bits, *name = ds->name;
    size_t nn = ps->n_names, base = off[c0];
    uint32_t occ = ps->occ_bits;
    if (ps->cond_bits) {
        for (size_t c = c0; c < c1; c++)
            predset_masks(ps, ds, off[c], off[c + 1], masks + (off[c] - base));
    } else if (!occ) {
        /* names alone decide: one lookup per event, customers don't matter */
        for (size_t i = base; i < off[c1]; i++)
            masks[i - base] = name[i] < nn ? nb[name[i]] : 0;
    } else {
        for (size_t c = c0; c < c1; c++) {
            int counts[32];
            for (uint32_t b = occ; b; b &= b - 1)
                counts[__builtin_ctz(b)] = 0;
            for (size_t i = off[c]; i < off[c + 1]; i++) {
                uint32_t m = name[i] < nn ? nb[name[i]] : 0;
                masks[i - base] = m & occ ? occurrences(ps, m, counts) : m;
            }
        }
    }
}

static int is_column(const char *prop)
{
    enum pred_col c;
    return col_of(prop, &c);
}

/* Customer attributes that segments read directly (not event properties). */
static int is_customer_attr(const char *prop)
{
    static const char *const attrs[] = {"channel", "country", "tier", "key", "email", "name"};
    for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++)
        if (strcmp(prop, attrs[i]) == 0)
            return 1;
    return 0;
}

static void add_key(const char ***keys, size_t *n, size_t *cap, const char *k)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*keys)[i], k) == 0)
            return;
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *keys = xreallocarray(*keys, *cap, sizeof **keys);
    }
    (*keys)[(*n)++] = k;
}

static void add_matcher_props(const struct matcher *m, const char ***keys, size_t *n,
                              size_t *cap)
{
    for (size_t i = 0; i < m->n_where; i++)
        if (!is_column(m->where[i].prop))
            add_key(keys, n, cap, m->where[i].prop);
}

void matcher_needed_props(const struct config *cfg, const char ***keys, size_t *n)
{
    matcher_needed_props2(cfg, NULL, keys, n);
}

static void add_config_props(const struct config *cfg, const char ***keys, size_t *n,
                             size_t *cap);

void matcher_needed_props2(const struct config *cfg, const struct config *also,
                           const char ***keys, size_t *n)
{
    size_t cap = 0;
    *keys = NULL;
    *n = 0;
    add_config_props(cfg, keys, n, &cap);
    if (also)
        add_config_props(also, keys, n, &cap);
}

static void add_config_props(const struct config *cfg, const char ***keys, size_t *n,
                             size_t *cap_)
{
    size_t cap = *cap_;
    for (size_t s = 0; s < cfg->stages.n_steps; s++)
        add_matcher_props(&cfg->stages.steps[s].match, keys, n, &cap);
    for (size_t f = 0; f < cfg->n_funnels; f++)
        for (size_t s = 0; s < cfg->funnels[f].n_steps; s++)
            add_matcher_props(&cfg->funnels[f].steps[s].match, keys, n, &cap);
    for (size_t g = 0; g < cfg->n_goals; g++)
        add_matcher_props(&cfg->goals[g].match, keys, n, &cap);
    add_matcher_props(&cfg->cohorts.entry, keys, n, &cap);
    add_matcher_props(&cfg->cohorts.ret, keys, n, &cap);
    for (size_t s = 0; s < cfg->n_segments; s++)
        for (size_t w = 0; w < cfg->segments[s].n_where; w++)
            if (!is_customer_attr(cfg->segments[s].where[w].prop) &&
                !is_column(cfg->segments[s].where[w].prop))
                add_key(keys, n, &cap, cfg->segments[s].where[w].prop);
    *cap_ = cap;
}

void fixed_ids(const struct config *cfg, const struct dataset *ds, struct fixed_ids *out)
{
    out->purchase = intern_find(&ds->names, cfg->events.purchase);
    out->refund = intern_find(&ds->names, cfg->events.refund);
    out->review = intern_find(&ds->names, cfg->events.review);
    out->page_view = intern_find(&ds->names, cfg->events.page_view);
    /* id 0 is "no name": never a fixed meaning */
    if (out->purchase == 0)
        out->purchase = INTERN_ABSENT;
    if (out->refund == 0)
        out->refund = INTERN_ABSENT;
    if (out->review == 0)
        out->review = INTERN_ABSENT;
    if (out->page_view == 0)
        out->page_view = INTERN_ABSENT;
}
