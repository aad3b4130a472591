/*
 * report_customers.c - convtop report customers | winback | customer KEY:
 * profiles (SPEC 5.4) as lists, and one customer with the timeline.
 */
#include "autoconf.h"

#include <string.h>
#include <strings.h>

#include "app/report.h"
#include "model/customer.h"
#include "model/why.h"
#include "model/mem.h"
#include "model/text.h"
#include "model/tstamp.h"
#include "ui/format.h"

static json_t *profile_json(const struct report *r, const struct profile *p)
{
    const struct out *o = &r->out;
    char e[256], n[256], k[256];
    json_t *j = json_object();
    json_object_set_new(j, "key", jstr(out_key(o, p->key, k, sizeof k)));
    json_object_set_new(j, "email", p->email ? jstr(out_email(o, p->email, e, sizeof e)) : json_null());
    json_object_set_new(j, "name", p->name ? jstr(out_name(o, p->name, n, sizeof n)) : json_null());
    json_object_set_new(j, "channel", jstr(p->channel));
    json_object_set_new(j, "country", jstr(p->country));
    json_object_set_new(j, "first_seen", jts(p->first_seen_ms));
    json_object_set_new(j, "first_purchase", jts(p->first_purchase_ms));
    json_object_set_new(j, "last_seen", jts(p->last_seen_ms));
    json_object_set_new(j, "last_purchase", jts(p->last_purchase_ms));
    json_object_set_new(j, "orders", jint(p->orders));
    json_object_set_new(j, "revenue", jreal(p->revenue));
    json_object_set_new(j, "refunds", jreal(p->refunds));
    json_object_set_new(j, "net_spend", jreal(p->net_spend));
    json_object_set_new(j, "aov", jnum(p->aov));
    json_object_set_new(j, "refund_rate", jnum(p->refund_rate));
    json_object_set_new(j, "tier", jstr(p->tier));
    json_object_set_new(j, "stage", jstr(p->stage));
    json_object_set_new(j, "goals_micro", jint(p->goals_micro));
    json_object_set_new(j, "goals_macro", jint(p->goals_macro));
    json_object_set_new(j, "sessions", jint(p->sessions));
    json_object_set_new(j, "page_views", jint(p->page_views));
    json_object_set_new(j, "engagement", json_string(engagement_name(p->engagement)));
    json_object_set_new(j, "churn_risk", json_string(churn_risk_name(p->churn_risk)));
    json_t *reasons = json_array();
    for (size_t i = 0; i < p->n_reasons; i++)
        json_array_append_new(reasons, jstr(p->reasons[i]));
    json_object_set_new(j, "churn_reasons", reasons);
    return j;
}

static void profile_cells(const struct report *r, const struct profile *p, char buf[][64],
                          const char **cells)
{
    const struct out *o = &r->out;
    char e[256], n[256], k[256];
    snprintf(buf[0], 64, "%s", out_key(o, p->key, k, sizeof k));
    snprintf(buf[1], 64, "%s", out_email(o, p->email, e, sizeof e));
    snprintf(buf[2], 64, "%s", out_name(o, p->name, n, sizeof n));
    fmt_count(p->orders, buf[3], 64);
    fmt_money(p->net_spend, 0, buf[4], 64);
    snprintf(buf[5], 64, "%s", p->tier ? p->tier : "-");
    out_local(o, p->last_seen_ms, buf[6], 64);
    snprintf(buf[7], 64, "%s", churn_risk_name(p->churn_risk));
    for (int i = 0; i < 8; i++)
        cells[i] = buf[i];
}

int report_customers(const struct report *r, int winback, struct ct_error *err)
{
    enum customer_sort sort = SORT_NET_SPEND;
    if (r->opts->sort && customer_sort_parse(r->opts->sort, &sort))
        return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                            "--sort '%s': use net_spend, orders, last_seen or churn_risk",
                            r->opts->sort);
    const struct out *o = &r->out;
    /* only JSON has the stage and goals: lists in text and CSV skip them */
    struct profile_list l;
    int rc = customer_list(r->q, sort, winback, o->format != OUT_JSON, &l, err);
    if (rc)
        return rc;
    /* text is for reading: 50 rows unless asked; CSV and JSON get every row
     * unless --limit is given */
    long limit = o->format == OUT_TEXT || r->opts->limit_given ? r->opts->limit : 0;
    size_t shown = limit > 0 && (size_t)limit < l.n ? (size_t)limit : l.n;
    if (o->format == OUT_JSON) {
        json_t *root = json_object();
        report_json_range(r, root);
        json_t *arr = json_array();
        for (size_t i = 0; i < shown; i++)
            json_array_append_new(arr, profile_json(r, &l.items[i]));
        json_object_set_new(root, "customers", arr);
        out_json(o, root);
        profile_list_free(&l);
        return 0;
    }
    if (o->format == OUT_TEXT) {
        char title[128], n[32];
        fmt_count((int64_t)l.n, n, sizeof n);
        snprintf(title, sizeof title, "%s: %s customers%s", winback ? "Win-back" : "Customers", n,
                 winback ? " whose last purchase is past inactive_after" : "");
        report_text_header(r, title);
    }
    static const char *const heads[] = {"key",       "email", "name", "orders",
                                        "net spend", "tier",  "last seen", "churn risk"};
    static const int right[] = {0, 0, 0, 1, 1, 0, 0, 0};
    struct table t;
    table_init(&t, 8, heads, right);
    char buf[8][64];
    const char *cells[8];
    for (size_t i = 0; i < shown; i++) {
        profile_cells(r, &l.items[i], buf, cells);
        table_row(&t, cells);
    }
    table_print(&t, o);
    if (o->format == OUT_TEXT && shown < l.n)
        fprintf(o->f, "... and %zu more (--limit 0 shows all)\n", l.n - shown);
    table_free(&t);
    profile_list_free(&l);
    return 0;
}

/* The customer with this key, else with this e-mail (case-insensitive). */
static size_t find_customer(const struct dataset *ds, const char *who)
{
    size_t c = dataset_find_key(ds, who);
    if (c != (size_t)-1)
        return c;
    for (c = 0; c < ds->n_customers; c++)
        if (ds->cust_email[c] && strcasecmp(ds->cust_email[c], who) == 0)
            return c;
    return (size_t)-1;
}

static void text_profile(const struct report *r, const struct profile *p)
{
    const struct out *o = &r->out;
    char e[256], n[256], k[256], a[64], b[64], c[64], line[1024], clean[1024];
    /* the key, channel and country come from the database as they are */
    snprintf(line, sizeof line, "%s  %s  %s", out_key(o, p->key, k, sizeof k),
             out_name(o, p->name, n, sizeof n), out_email(o, p->email, e, sizeof e));
    text_sanitize(line, clean, sizeof clean);
    fprintf(o->f, "%s\n", clean);
    out_local(o, p->first_seen_ms, a, sizeof a);
    out_local(o, p->last_seen_ms, b, sizeof b);
    snprintf(line, sizeof line, "channel %s · country %s · first seen %s · last seen %s",
             p->channel ? p->channel : "-", p->country ? p->country : "-", a, b);
    text_sanitize(line, clean, sizeof clean);
    fprintf(o->f, "%s\n", clean);
    fmt_money(p->revenue, 0, a, sizeof a);
    fmt_money(p->refunds, 0, b, sizeof b);
    fmt_money(p->net_spend, 0, c, sizeof c);
    fprintf(o->f, "orders %lld · revenue %s · refunds %s · net spend %s · tier %s\n",
            (long long)p->orders, a, b, c, p->tier ? p->tier : "-");
    out_num(p->aov, 2, a, sizeof a);
    fmt_pct(p->refund_rate.v * 100, p->refund_rate.null, b, sizeof b);
    out_local(o, p->first_purchase_ms, c, sizeof c);
    fprintf(o->f, "average order %s · refund rate %s · first purchase %s\n", a, b, c);
    fprintf(o->f, "stage %s · goals %d micro, %d macro · %lld sessions · %lld page views\n",
            p->stage ? p->stage : "-", p->goals_micro, p->goals_macro, (long long)p->sessions,
            (long long)p->page_views);
    fprintf(o->f, "engagement %s (%lld events in the last 30 days, %lld in the 30 before)\n",
            engagement_name(p->engagement), (long long)p->events_last30,
            (long long)p->events_prev30);
    fprintf(o->f, "churn risk %s\n", churn_risk_name(p->churn_risk));
    for (size_t i = 0; i < p->n_reasons; i++)
        fprintf(o->f, "  - %s\n", p->reasons[i]);
}

int report_customer(const struct report *r, const char *who, struct ct_error *err)
{
    const struct query *q = r->q;
    size_t c = find_customer(q->ds, who);
    if (c == (size_t)-1)
        return ct_error_set(err, CT_ERR_NOTFOUND, NULL, 0, 0,
                            "no customer with the key or e-mail '%s'", who);
    struct customer_ctx cx;
    int rc = customer_ctx_init(&cx, q, err);
    if (rc)
        return rc;
    struct profile p;
    struct timeline tl;
    customer_profile(&cx, c, &p);
    customer_timeline(&cx, c, &tl);
    /* properties live in the store, in the same timeline order */
    struct event_list ev = {0};
    store_customer_events(r->cx->st, q->ds->cust_id[c], &ev, NULL);
    const struct out *o = &r->out;
    if (o->format == OUT_JSON) {
        json_t *root = profile_json(r, &p);
        json_t *arr = json_array();
        for (size_t i = 0; i < tl.n; i++) {
            const struct timeline_item *it = &tl.items[i];
            json_t *e = json_object();
            json_object_set_new(e, "ts", jts(it->ts_ms));
            json_object_set_new(e, "event", jstr(it->event_name));
            json_object_set_new(e, "value", jnum(it->value));
            json_object_set_new(e, "channel", jstr(it->channel));
            const struct event_rec *row =
                i < ev.n && ev.items[i].ts_ms == it->ts_ms ? &ev.items[i] : NULL;
            json_object_set_new(e, "session", jstr(row ? row->session : NULL));
            if (row && row->props) {
                json_t *props = json_loads(row->props, 0, NULL);
                if (props)
                    json_object_set_new(e, "properties", props);
            }
            json_t *marks = json_array();
            for (size_t m = 0; m < it->n_markers; m++)
                json_array_append_new(marks, jstr(it->markers[m]));
            json_object_set_new(e, "markers", marks);
            json_array_append_new(arr, e);
        }
        json_object_set_new(root, "timeline", arr);
        out_json(o, root);
    } else {
        text_profile(r, &p);
        fputs("\nTimeline (oldest first):\n", o->f);
        char day[16] = "", prev[16] = "";
        for (size_t i = 0; i < tl.n; i++) {
            const struct timeline_item *it = &tl.items[i];
            char when[32], val[32] = "", line[512];
            tstamp_format_date(o->tz, it->ts_ms, day, sizeof day);
            if (strcmp(day, prev) != 0) {
                fprintf(o->f, "%s\n", day);
                strcpy(prev, day);
            }
            out_local(o, it->ts_ms, when, sizeof when);
            if (!it->value.null)
                fmt_money(it->value.v, 0, val, sizeof val);
            snprintf(line, sizeof line, "  %s  %-18s %10s  %s", when + 11, it->event_name, val,
                     it->channel ? it->channel : "");
            char clean[512];
            text_sanitize(line, clean, sizeof clean);
            fputs(clean, o->f);
            for (size_t m = 0; m < it->n_markers; m++)
                fprintf(o->f, "  [%s]", it->markers[m]);
            fputc('\n', o->f);
        }
    }
    event_list_free(&ev);
    timeline_free(&tl);
    profile_free(&p);
    customer_ctx_free(&cx);
    return 0;
}

int report_why(const struct report *r, const char *who, struct ct_error *err)
{
    const struct query *q = r->q;
    const struct config *cfg = r->cx->cfg;
    size_t c = find_customer(q->ds, who);
    if (c == (size_t)-1)
        return ct_error_set(err, CT_ERR_NOTFOUND, NULL, 0, 0,
                            "no customer with the key or e-mail '%s'", who);
    const char *fname = r->opts->funnel ? r->opts->funnel : "stages";
    const struct funnel_def *f = config_funnel(cfg, fname);
    if (!f)
        return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0, "no funnel '%s' in %s", fname,
                            cfg->path);
    struct why_res w;
    int rc = why_compute(q, f, c, &w, err);
    if (rc)
        return rc;
    const struct out *o = &r->out;
    if (o->format == OUT_JSON) {
        json_t *root = json_object();
        json_object_set_new(root, "key", jstr(q->ds->cust_key[c]));
        json_object_set_new(root, "funnel", jstr(w.funnel));
        json_object_set_new(root, "level", jint(w.level));
        json_object_set_new(root, "steps_total", jint((int64_t)w.n));
        report_json_range(r, root);
        json_t *arr = json_array();
        for (size_t j = 0; j < w.n; j++) {
            json_t *e = json_object();
            json_object_set_new(e, "name", jstr(w.steps[j].name));
            json_object_set_new(e, "reached", json_boolean(w.steps[j].reached));
            json_object_set_new(e, "ts", jts(w.steps[j].ts_ms));
            json_object_set_new(e, "reason", jstr(w.steps[j].reason));
            json_object_set_new(e, "kind", json_string(why_kind_name(w.steps[j].kind)));
            json_array_append_new(arr, e);
        }
        json_object_set_new(root, "steps", arr);
        out_json(o, root);
    } else {
        char title[256], win[32];
        fmt_duration((double)f->window_ms / 1000, 0, win, sizeof win);
        snprintf(title, sizeof title, "Why %s %s \"%s\" (%s, window %s): %d of %zu steps",
                 q->ds->cust_key[c], w.level == (int)w.n ? "completed" : "stopped in", w.funnel,
                 f->order == ORDER_STRICT ? "strict" : f->order == ORDER_ANY ? "any order"
                                                                            : "ordered",
                 win, w.level, w.n);
        report_text_header(r, title);
        for (size_t j = 0; j < w.n; j++) {
            const struct why_step *s = &w.steps[j];
            char at[40] = "";
            if (s->ts_ms != INT64_MIN)
                out_local(o, s->ts_ms, at, sizeof at);
            fprintf(o->f, "  %s %-20s %s%s\n", s->reached ? (o->utf8 ? "\u2713" : "+")
                                                            : (o->utf8 ? "\u2717" : "-"),
                    s->name, s->reached ? at : s->reason ? s->reason : "not reached",
                    "");
        }
    }
    why_res_free(&w);
    return 0;
}
