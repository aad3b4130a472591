/*
 * report_goals.c - convtop report goals: micro and macro goals apart, with
 * totals, conversion rate per visitor or per session, revenue.
 */
#include "autoconf.h"

#include <string.h>

#include "app/report.h"
#include "model/goals.h"
#include "ui/format.h"

static const char *kind_name(enum goal_kind k)
{
    return k == GOAL_MICRO ? "micro" : "macro";
}

static json_t *total_json(const struct goal_total *t)
{
    json_t *o = json_object();
    json_object_set_new(o, "completions", jint(t->completions));
    json_object_set_new(o, "converters", jint(t->converters));
    json_object_set_new(o, "converting_sessions",
                        t->converting_sessions < 0 ? json_null() : jint(t->converting_sessions));
    json_object_set_new(o, "rate_pct", jnum(t->rate_pct));
    json_object_set_new(o, "revenue", jnum(t->revenue));
    return o;
}

static void text_row(struct table *t, const char *name, const char *kind, int64_t completions,
                     int64_t converters, struct ct_num rate, struct ct_num revenue)
{
    char a[32], b[32], c[16], d[32];
    fmt_count(completions, a, sizeof a);
    fmt_count(converters, b, sizeof b);
    fmt_pct(rate.v, rate.null, c, sizeof c);
    if (revenue.null)
        strcpy(d, "-");
    else
        fmt_money(revenue.v, 0, d, sizeof d);
    const char *cells[] = {name, kind, a, b, c, d};
    table_row(t, cells);
}

int report_goals(const struct report *r, struct ct_error *err)
{
    struct goals_res g;
    int rc = goals_compute(r->q, &g, err);
    if (rc)
        return rc;
    const struct out *o = &r->out;
    int sessions = g.denominator == DENOM_SESSIONS;
    if (o->format == OUT_JSON) {
        json_t *root = json_object();
        report_json_range(r, root);
        json_object_set_new(root, "denominator", json_string(sessions ? "sessions" : "visitors"));
        json_object_set_new(root, "visitors", jint(g.visitors));
        json_object_set_new(root, "sessions", g.sessions < 0 ? json_null() : jint(g.sessions));
        json_t *arr = json_array();
        for (size_t i = 0; i < g.n; i++) {
            const struct goal_res *x = &g.goals[i];
            json_t *e = json_object();
            json_object_set_new(e, "name", jstr(x->name));
            json_object_set_new(e, "kind", json_string(kind_name(x->kind)));
            json_object_set_new(e, "completions", jint(x->completions));
            json_object_set_new(e, "converters", jint(x->converters));
            json_object_set_new(e, "converting_sessions", x->converting_sessions < 0
                                                              ? json_null()
                                                              : jint(x->converting_sessions));
            json_object_set_new(e, "rate_pct", jnum(x->rate_pct));
            json_object_set_new(e, "revenue", jnum(x->revenue));
            json_array_append_new(arr, e);
        }
        json_object_set_new(root, "goals", arr);
        json_t *tot = json_object();
        json_object_set_new(tot, "micro", total_json(&g.micro));
        json_object_set_new(tot, "macro", total_json(&g.macro));
        json_object_set_new(root, "totals", tot);
        out_json(o, root);
        goals_res_free(&g);
        return 0;
    }
    static const char *const heads[] = {"Goal", "Kind", "Completions", "Converters", "Rate",
                                        "Revenue"};
    static const int right[] = {0, 0, 1, 1, 1, 1};
    if (o->format == OUT_TEXT) {
        report_text_header(r, "Goals");
        char v[32], s[32];
        fmt_count(g.visitors, v, sizeof v);
        if (sessions) {
            fmt_count(g.sessions, s, sizeof s);
            fprintf(o->f, "%s visitors, %s sessions; conversion rate per session\n\n", v, s);
        } else {
            fprintf(o->f, "%s visitors; conversion rate per visitor\n\n", v);
        }
    }
    struct table t;
    table_init(&t, 6, heads, right);
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < g.n; i++) {
            const struct goal_res *x = &g.goals[i];
            if ((int)x->kind != k)
                continue;
            text_row(&t, x->name, kind_name(x->kind), x->completions, x->converters, x->rate_pct,
                     x->revenue);
        }
        const struct goal_total *tt = k == 0 ? &g.micro : &g.macro;
        if (o->format == OUT_TEXT)
            text_row(&t, k == 0 ? "All micro goals" : "All macro goals", kind_name(k),
                     tt->completions, tt->converters, tt->rate_pct, tt->revenue);
    }
    table_print(&t, o);
    table_free(&t);
    goals_res_free(&g);
    return 0;
}
