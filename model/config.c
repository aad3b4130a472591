/*
 * config.c - TEMPORARY: defaults only, until the YAML loader lands.
 */
#include "autoconf.h"

#include <string.h>

#include "model/config.h"
#include "model/mem.h"

static void matcher_event(struct matcher *m, const char *name)
{
    memset(m, 0, sizeof *m);
    m->events = xcalloc(1, sizeof *m->events);
    m->events[0] = xstrdup(name);
    m->n_events = 1;
}

static struct config *defaults(void)
{
    struct config *c = xcalloc(1, sizeof *c);
    c->path = xstrdup("(built-in)");
    c->shop_name = xstrdup("Shop");
    c->currency = xstrdup("EUR");
    c->timezone = xstrdup("UTC");
    c->stages.name = xstrdup("stages");
    c->stages.window_ms = INT64_C(30) * 86400 * 1000;
    c->stages.order = ORDER_ORDERED;
    c->denominator = DENOM_VISITORS;
    matcher_event(&c->cohorts.entry, "purchase");
    matcher_event(&c->cohorts.ret, "purchase");
    c->cohorts.period = PERIOD_MONTH;
    c->cohorts.periods = 12;
    c->inactive_after_ms = INT64_C(90) * 86400 * 1000;
    c->events.purchase = xstrdup("purchase");
    c->events.refund = xstrdup("refund");
    c->events.review = xstrdup("review");
    c->events.page_view = xstrdup("page_view");
    return c;
}

int config_load(const char *path, struct config **out, struct ct_errlist *errs)
{
    (void)errs;
    *out = defaults();
    if (path) {
        free((*out)->path);
        (*out)->path = xstrdup(path);
    }
    return 0;
}

int config_load_text(const char *text, size_t len, const char *name, struct config **out,
                     struct ct_errlist *errs)
{
    (void)text;
    (void)len;
    return config_load(name, out, errs);
}

static void matcher_free(struct matcher *m)
{
    for (size_t i = 0; i < m->n_events; i++)
        free(m->events[i]);
    free(m->events);
    for (size_t i = 0; i < m->n_where; i++) {
        free(m->where[i].prop);
        for (size_t j = 0; j < m->where[i].n_values; j++)
            free(m->where[i].values[j]);
        free(m->where[i].values);
    }
    free(m->where);
}

static void funnel_free(struct funnel_def *f)
{
    free(f->name);
    for (size_t i = 0; i < f->n_steps; i++) {
        free(f->steps[i].name);
        matcher_free(&f->steps[i].match);
    }
    free(f->steps);
}

void config_free(struct config *c)
{
    if (!c)
        return;
    free(c->path);
    free(c->shop_name);
    free(c->currency);
    free(c->timezone);
    funnel_free(&c->stages);
    for (size_t i = 0; i < c->n_funnels; i++)
        funnel_free(&c->funnels[i]);
    free(c->funnels);
    for (size_t i = 0; i < c->n_goals; i++) {
        free(c->goals[i].name);
        matcher_free(&c->goals[i].match);
    }
    free(c->goals);
    matcher_free(&c->cohorts.entry);
    matcher_free(&c->cohorts.ret);
    free(c->events.purchase);
    free(c->events.refund);
    free(c->events.review);
    free(c->events.page_view);
    free(c);
}

const struct funnel_def *config_funnel(const struct config *c, const char *name)
{
    if (!name || strcmp(name, "stages") == 0)
        return &c->stages;
    for (size_t i = 0; i < c->n_funnels; i++)
        if (strcmp(c->funnels[i].name, name) == 0)
            return &c->funnels[i];
    return NULL;
}

const struct segment_def *config_segment(const struct config *c, const char *name)
{
    for (size_t i = 0; i < c->n_segments; i++)
        if (strcmp(c->segments[i].name, name) == 0)
            return &c->segments[i];
    return NULL;
}

const char *config_tier(const struct config *c, double net)
{
    const char *t = NULL;
    for (size_t i = 0; i < c->n_tiers; i++)
        if (c->tiers[i].min_spend <= net)
            t = c->tiers[i].name;
    return t;
}

int64_t config_parse_duration(const char *s)
{
    (void)s;
    return -1;
}
