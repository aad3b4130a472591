/*
 * report_funnel.c - convtop report funnel: steps with bars, the biggest
 * drop-off, times between steps; optional breakdown and trend.
 */
#include "autoconf.h"

#include <string.h>

#include "app/report.h"
#include "model/funnel.h"
#include "model/mem.h"
#include "model/text.h"
#include "ui/format.h"

static const char *order_name(enum funnel_order o)
{
    return o == ORDER_STRICT ? "strict" : o == ORDER_ANY ? "any" : "ordered";
}

static json_t *steps_json(const struct funnel_res *f)
{
    json_t *steps = json_array();
    for (size_t j = 0; j < f->n_steps; j++) {
        const struct funnel_step_res *s = &f->steps[j];
        json_t *o = json_object();
        json_object_set_new(o, "name", jstr(s->name));
        json_object_set_new(o, "customers", jint(s->customers));
        json_object_set_new(o, "pct_of_first", jnum(s->pct_of_first));
        json_object_set_new(o, "pct_of_prev", jnum(s->pct_of_prev));
        json_object_set_new(o, "dropped", jnum(s->dropped));
        json_object_set_new(o, "median_s", jnum(s->median_s));
        json_object_set_new(o, "p90_s", jnum(s->p90_s));
        json_object_set_new(o, "biggest_dropoff", json_boolean((int)j == f->biggest_drop));
        json_array_append_new(steps, o);
    }
    return steps;
}

static void text_steps(const struct report *r, const struct funnel_res *f)
{
    const struct out *o = &r->out;
    static const char *const heads[] = {"Step", "Customers", "", "% first", "% prev",
                                        "Dropped", "Median", "p90", ""};
    static const int right[] = {0, 1, 0, 1, 1, 1, 1, 1, 0};
    struct table t;
    table_init(&t, 9, heads, right);
    double first = f->n_steps ? (double)f->steps[0].customers : 0;
    for (size_t j = 0; j < f->n_steps; j++) {
        const struct funnel_step_res *s = &f->steps[j];
        char cnt[32], bar[128], pf[16], pp[16], dr[32], md[16], p9[16];
        fmt_count(s->customers, cnt, sizeof cnt);
        out_bar(o, first > 0 ? (double)s->customers / first : 0, 20, bar, sizeof bar);
        fmt_pct(s->pct_of_first.v, s->pct_of_first.null, pf, sizeof pf);
        fmt_pct(s->pct_of_prev.v, s->pct_of_prev.null, pp, sizeof pp);
        if (s->dropped.null)
            strcpy(dr, "-");
        else
            fmt_count((int64_t)s->dropped.v, dr, sizeof dr);
        fmt_duration(s->median_s.v, s->median_s.null, md, sizeof md);
        fmt_duration(s->p90_s.v, s->p90_s.null, p9, sizeof p9);
        const char *mark = (int)j == f->biggest_drop ? "<- biggest drop-off" : "";
        const char *cells[] = {s->name, cnt, bar, pf, pp, dr, md, p9, mark};
        table_row(&t, cells);
    }
    table_print(&t, o);
    table_free(&t);
}

static const enum funnel_order modes[3] = {ORDER_ORDERED, ORDER_STRICT, ORDER_ANY};

/* The same funnel counted three ways, so two tools' disagreement shows. */
static int compare_orders(const struct report *r, const struct funnel_def *f,
                          struct ct_error *err)
{
    struct funnel_res res[3];
    for (int m = 0; m < 3; m++)
        if (funnel_compute(r->q, f, modes[m], &res[m], err)) {
            for (int k = 0; k < m; k++)
                funnel_res_free(&res[k]);
            return CT_ERR_CONFIG;
        }
    const struct out *o = &r->out;
    if (o->format == OUT_JSON) {
        json_t *root = json_object();
        json_object_set_new(root, "funnel", jstr(f->name));
        report_json_range(r, root);
        json_object_set_new(root, "window_s", jint(f->window_ms / 1000));
        json_t *arr = json_array();
        for (int m = 0; m < 3; m++) {
            json_t *e = json_object();
            json_object_set_new(e, "order", json_string(order_name(modes[m])));
            json_object_set_new(e, "steps", steps_json(&res[m]));
            json_array_append_new(arr, e);
        }
        json_object_set_new(root, "modes", arr);
        out_json(o, root);
    } else {
        if (o->format == OUT_TEXT) {
            char title[256], win[32];
            fmt_duration((double)f->window_ms / 1000, 0, win, sizeof win);
            snprintf(title, sizeof title,
                     "Funnel \"%s\" counted three ways (window %s); * differs from ordered",
                     f->name, win);
            report_text_header(r, title);
        }
        static const char *const heads[] = {"step", "ordered", "% first", "strict", "% first",
                                            "any", "% first"};
        static const int right[] = {0, 1, 1, 1, 1, 1, 1};
        struct table t;
        table_init(&t, 7, heads, right);
        for (size_t j = 0; j < res[0].n_steps; j++) {
            char cnt[3][40], pct[3][16];
            const char *cells[7] = {res[0].steps[j].name};
            for (int m = 0; m < 3; m++) {
                const struct funnel_step_res *s = &res[m].steps[j];
                int differs = m > 0 && s->customers != res[0].steps[j].customers;
                if (o->format == OUT_CSV)
                    snprintf(cnt[m], sizeof cnt[m], "%lld", (long long)s->customers);
                else {
                    fmt_count(s->customers, cnt[m], sizeof cnt[m] - 2);
                    if (differs)
                        strcat(cnt[m], " *");
                }
                fmt_pct(s->pct_of_first.v, s->pct_of_first.null, pct[m], sizeof pct[m]);
                cells[1 + 2 * m] = cnt[m];
                cells[2 + 2 * m] = pct[m];
            }
            table_row(&t, cells);
        }
        table_print(&t, o);
        table_free(&t);
    }
    for (int m = 0; m < 3; m++)
        funnel_res_free(&res[m]);
    return 0;
}

int report_funnel(const struct report *r, struct ct_error *err)
{
    const struct config *cfg = r->cx->cfg;
    const char *name = r->opts->funnel ? r->opts->funnel : "stages";
    const struct funnel_def *f = config_funnel(cfg, name);
    if (!f) {
        struct strbuf sb = {0};
        for (size_t i = 0; i < cfg->n_funnels; i++)
            sb_printf(&sb, ", '%s'", cfg->funnels[i].name);
        ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0, "no funnel '%s' in %s (funnels: 'stages'%s)",
                     name, cfg->path, sb.len ? sb.buf : "");
        sb_free(&sb);
        return CT_ERR_USAGE;
    }
    enum funnel_order order = f->order;
    if (r->opts->order) {
        if (strcmp(r->opts->order, "ordered") == 0)
            order = ORDER_ORDERED;
        else if (strcmp(r->opts->order, "strict") == 0)
            order = ORDER_STRICT;
        else if (strcmp(r->opts->order, "any") == 0)
            order = ORDER_ANY;
        else
            return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                                "--order '%s': use ordered, strict or any", r->opts->order);
    }
    if (r->opts->compare_orders)
        return compare_orders(r, f, err);
    enum period_unit unit = cfg->cohorts.period;
    if (r->opts->period && period_unit_parse(r->opts->period, &unit))
        return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                            "--period '%s': use day, week or month", r->opts->period);
    struct funnel_res res;
    int rc = funnel_compute(r->q, f, order, &res, err);
    if (rc)
        return rc;
    struct funnel_breakdown bd = {0};
    struct funnel_trend tr = {0};
    if (r->opts->breakdown &&
        (rc = funnel_breakdown_compute(r->q, f, order, r->opts->breakdown, &bd, err)))
        goto done;
    if (r->opts->trend && (rc = funnel_trend_compute(r->q, f, order, unit, &tr, err)))
        goto done;
    const struct out *o = &r->out;
    if (o->format == OUT_JSON) {
        json_t *root = json_object();
        json_object_set_new(root, "funnel", jstr(res.name));
        report_json_range(r, root);
        json_object_set_new(root, "window_s", jint(res.window_ms / 1000));
        json_object_set_new(root, "order", json_string(order_name(order)));
        json_object_set_new(root, "steps", steps_json(&res));
        json_object_set_new(root, "biggest_dropoff",
                            res.biggest_drop >= 0 ? jstr(res.steps[res.biggest_drop].name)
                                                  : json_null());
        if (r->opts->breakdown) {
            json_t *b = json_array();
            for (size_t g = 0; g < bd.n; g++) {
                json_t *e = json_object();
                json_object_set_new(e, "value", jstr(bd.values[g]));
                json_object_set_new(e, "steps", steps_json(&bd.res[g]));
                json_array_append_new(b, e);
            }
            json_t *bo = json_object();
            json_object_set_new(bo, "by", jstr(bd.attr));
            json_object_set_new(bo, "groups", b);
            json_object_set_new(root, "breakdown", bo);
        }
        if (r->opts->trend) {
            json_t *ps = json_array();
            for (size_t i = 0; i < tr.n; i++) {
                json_t *e = json_object();
                json_object_set_new(e, "period", jstr(tr.labels[i]));
                json_object_set_new(e, "entered", jint(tr.entered[i]));
                json_object_set_new(e, "converted", jint(tr.converted[i]));
                json_object_set_new(e, "pct", jnum(tr.pct[i]));
                json_array_append_new(ps, e);
            }
            json_t *to = json_object();
            json_object_set_new(to, "period", json_string(period_unit_name(unit)));
            json_object_set_new(to, "periods", ps);
            json_object_set_new(root, "trend", to);
        }
        out_json(o, root);
    } else if (o->format == OUT_CSV) {
        static const char *const heads[] = {"step", "customers", "pct_of_first", "pct_of_prev",
                                            "dropped", "median_s", "p90_s"};
        struct table t;
        table_init(&t, 7, heads, NULL);
        for (size_t j = 0; j < res.n_steps; j++) {
            const struct funnel_step_res *s = &res.steps[j];
            char c[32], a[32], b[32], d[32], m[32], p[32];
            snprintf(c, sizeof c, "%lld", (long long)s->customers);
            out_num(s->pct_of_first, 2, a, sizeof a);
            out_num(s->pct_of_prev, 2, b, sizeof b);
            out_num(s->dropped, 0, d, sizeof d);
            out_num(s->median_s, 0, m, sizeof m);
            out_num(s->p90_s, 0, p, sizeof p);
            const char *cells[] = {s->name, c, a, b, d, m, p};
            table_row(&t, cells);
        }
        table_print(&t, o);
        table_free(&t);
    } else {
        char title[256], win[32];
        fmt_duration((double)res.window_ms / 1000, 0, win, sizeof win);
        snprintf(title, sizeof title, "Funnel \"%s\" (%s, window %s)", res.name,
                 order_name(order), win);
        report_text_header(r, title);
        text_steps(r, &res);
        for (size_t g = 0; g < bd.n; g++) {
            char value[256];
            text_sanitize(bd.values[g], value, sizeof value);
            fprintf(o->f, "\n%s = %s\n", bd.attr, value);
            text_steps(r, &bd.res[g]);
        }
        if (tr.n) {
            fprintf(o->f, "\nLast-step conversion per %s of entry:\n", period_unit_name(unit));
            double top = 0;
            for (size_t i = 0; i < tr.n; i++)
                if (!tr.pct[i].null && tr.pct[i].v > top)
                    top = tr.pct[i].v;
            for (size_t i = 0; i < tr.n; i++) {
                char pct[16], bar[128];
                fmt_pct(tr.pct[i].v, tr.pct[i].null, pct, sizeof pct);
                out_bar(o, tr.pct[i].null || top <= 0 ? 0 : tr.pct[i].v / top, 30, bar, sizeof bar);
                fprintf(o->f, "  %-10s %6s %6lld/%-6lld %s\n", tr.labels[i], pct,
                        (long long)tr.converted[i], (long long)tr.entered[i], bar);
            }
        }
    }
done:
    funnel_res_free(&res);
    funnel_breakdown_free(&bd);
    funnel_trend_free(&tr);
    return rc;
}
