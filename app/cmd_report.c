/*
 * cmd_report.c - convtop report KIND: options, opening the data once, and
 * dispatch to the renderers of report_*.c.
 */
#include "autoconf.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

#include "app/commands.h"
#include "app/report.h"
#include "model/mem.h"
#include "model/tstamp.h"

enum {
    OPT_FUNNEL = 1,
    OPT_VIEW,
    OPT_PERIOD,
    OPT_FORMAT,
    OPT_ORDER,
    OPT_BREAKDOWN,
    OPT_SORT,
    OPT_TREND,
    OPT_LIMIT,
    OPT_COMPARE_ORDERS,
    OPT_AGAINST,
};

static const struct cli_opt opts[] = {
    {"format", "F", "text (default), csv or json", OPT_FORMAT},
    {"funnel", "NAME", "funnel: 'stages' (default) or a name from funnels:", OPT_FUNNEL},
    {"order", "MODE", "funnel: count as ordered, strict or any (default: the config's)",
     OPT_ORDER},
    {"breakdown", "ATTR", "funnel: one funnel per channel, country or tier", OPT_BREAKDOWN},
    {"trend", NULL, "funnel: last-step conversion per period of entry", OPT_TREND},
    {"against", "CONFIG", "funnel, goals, cohort, lifecycle: also under another config, and "
                          "what changes",
     OPT_AGAINST},
    {"compare-orders", NULL, "funnel: counted ordered, strict and any, side by side",
     OPT_COMPARE_ORDERS},
    {"view", "V", "cohort: customers, pct, revenue, cum_revenue or orders", OPT_VIEW},
    {"period", "P", "cohort and trend: day, week or month (default: the config's); costs: "
     "default month", OPT_PERIOD},
    {"sort", "BY", "customers: net_spend, orders, last_seen or churn_risk", OPT_SORT},
    {"limit", "N", "customers, winback: at most N rows (text default 50; 0 = all)", OPT_LIMIT},
    CLI_OPT_FROM,
    CLI_OPT_TO,
    CLI_OPT_NOW,
    CLI_OPT_SEGMENT,
    CLI_OPT_DB,
    CLI_OPT_CONFIG,
    CLI_OPT_READ_ONLY,
    CLI_OPT_MASK_PII,
    {NULL, NULL, NULL, 0},
};

static const struct cli_spec spec = {
    .usage = "convtop report funnel|goals|cohort|lifecycle|costs|customers|winback [OPTIONS]\n"
             "       convtop report customer|why KEY|EMAIL [OPTIONS]",
    .summary = "Print the figures the panes show, as text (readable in a terminal or a cron\n"
               "mail), CSV or JSON.  Every number follows the definitions of the spec and is\n"
               "computed as of --now (default: the end of the range, else the newest event).",
    .opts = opts,
    .epilog = "Examples:\n"
              "  convtop report funnel --funnel Checkout --from 2026-01-01 --to 2026-01-31\n"
              "  convtop report cohort --view pct --format csv > cohorts.csv\n"
              "  convtop report costs --period week --format json   (after importing spend)\n"
              "  convtop report customer anna@example.com --format json\n"
              "  convtop report why anna@example.com --funnel Checkout",
};

static int handle(int id, const char *arg, void *ctx, struct ct_error *err)
{
    struct report_opts *o = ctx;
    if (!common_opt(&o->common, id, arg))
        return 0;
    switch (id) {
    case OPT_FUNNEL:
        o->funnel = arg;
        break;
    case OPT_VIEW:
        o->view = arg;
        break;
    case OPT_PERIOD:
        o->period = arg;
        break;
    case OPT_FORMAT:
        o->format = arg;
        break;
    case OPT_ORDER:
        o->order = arg;
        break;
    case OPT_BREAKDOWN:
        o->breakdown = arg;
        break;
    case OPT_SORT:
        o->sort = arg;
        break;
    case OPT_TREND:
        o->trend = 1;
        break;
    case OPT_COMPARE_ORDERS:
        o->compare_orders = 1;
        break;
    case OPT_AGAINST:
        o->against = arg;
        break;
    case OPT_LIMIT: {
        char *end;
        o->limit = strtol(arg, &end, 10);
        if (*end || o->limit < 0)
            return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0, "--limit '%s': not a count", arg);
        o->limit_given = 1;
        break;
    }
    }
    return 0;
}

void report_json_range(const struct report *r, json_t *obj)
{
    const struct range *g = &r->q->range;
    json_object_set_new(obj, "from", g->has_from ? jts(g->from_ms) : json_null());
    json_object_set_new(obj, "to", g->has_to ? jts(g->to_ms) : json_null());
    json_object_set_new(obj, "now", jts(g->now_ms));
    json_object_set_new(obj, "segment", r->q->segment ? jstr(r->q->segment->name) : json_null());
}

void report_text_header(const struct report *r, const char *title)
{
    const struct range *g = &r->q->range;
    FILE *f = r->out.f;
    char a[32], b[32], now[32];
    fprintf(f, "%s - %s\n", r->cx->cfg->shop_name, title);
    if (g->has_from || g->has_to) {
        if (g->has_from)
            tstamp_format_date(r->out.tz, g->from_ms, a, sizeof a);
        else
            strcpy(a, "start");
        if (g->has_to)
            tstamp_format_date(r->out.tz, g->to_ms - 1, b, sizeof b);
        else
            strcpy(b, "now");
        fprintf(f, "Range %s to %s", a, b);
    } else {
        fputs("All data", f);
    }
    tstamp_format_local(r->out.tz, g->now_ms, now, sizeof now, 0);
    fprintf(f, " · as of %s (%s) · segment: %s\n\n", now, r->cx->cfg->timezone,
            r->q->segment ? r->q->segment->name : "everyone");
}

int cmd_report(int argc, char **argv, struct ct_error *err)
{
    struct report_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.limit = 50;
    char **pos;
    int npos, help;
    int rc = cli_parse(argc, argv, &spec, handle, &ro, &pos, &npos, &help, err);
    if (rc || help) {
        free(pos);
        return rc;
    }
    static const char *const kinds[] = {"funnel",  "goals",    "cohort",    "customers",
                                        "winback", "customer", "why",       "lifecycle",
                                        "costs"};
    int kind = -1;
    for (int i = 0; npos > 0 && i < (int)(sizeof kinds / sizeof kinds[0]); i++)
        if (strcmp(pos[0], kinds[i]) == 0)
            kind = i;
    int needs_key = kind == 5 || kind == 6;
    if (kind < 0 || (needs_key ? npos != 2 : npos != 1)) {
        free(pos);
        if (needs_key)
            return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0, "report %s needs one KEY or EMAIL",
                                kinds[kind]);
        return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                            "report what? funnel, goals, cohort, lifecycle, costs, customers, "
                            "winback, customer KEY or why KEY (see --help)");
    }
    struct report r;
    memset(&r, 0, sizeof r);
    r.opts = &ro;
    r.out.f = stdout;
    r.out.mask_pii = ro.common.mask_pii;
    const char *cs = nl_langinfo(CODESET);
    r.out.utf8 = cs && strcmp(cs, "UTF-8") == 0;
    if (ro.format && out_format_parse(ro.format, &r.out.format)) {
        free(pos);
        return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0, "--format '%s': use text, csv or json",
                            ro.format);
    }
    struct config *other = NULL;
    if (ro.against) {
        if (kind != 0 && kind != 1 && kind != 2 && kind != 7) {
            free(pos);
            return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                                "--against works with funnel, goals, cohort and lifecycle");
        }
        struct ct_errlist errs = {0};
        if (config_load(ro.against, &other, &errs)) {
            app_print_errors(&errs);
            ct_errlist_free(&errs);
            free(pos);
            return ct_error_set(err, CT_ERR_CONFIG, NULL, 0, 0, "%s", "");
        }
        ct_errlist_free(&errs);
        ro.common.also = other;
    }
    struct app_ctx cx;
    rc = app_ctx_open(&cx, &ro.common, CTX_DATASET, err);
    struct query q;
    memset(&q, 0, sizeof q);
    if (!rc)
        rc = query_init(&q, cx.cfg, cx.ds, cx.tz, &cx.range, ro.common.segment, err);
    if (!rc) {
        r.cx = &cx;
        r.q = &q;
        r.out.tz = cx.tz;
        static int (*const runs[])(const struct report *, struct ct_error *) = {
            report_funnel, report_goals, report_cohort, NULL, NULL, NULL, NULL,
            report_lifecycle};
        if (other) {
            rc = report_against(&r, runs[kind], other, err);
            kind = -1;
        }
        switch (kind) {
        case -1:
            break;
        case 0:
            rc = report_funnel(&r, err);
            break;
        case 1:
            rc = report_goals(&r, err);
            break;
        case 2:
            rc = report_cohort(&r, err);
            break;
        case 3:
        case 4:
            rc = report_customers(&r, kind == 4, err);
            break;
        case 5:
            rc = report_customer(&r, pos[1], err);
            break;
        case 6:
            rc = report_why(&r, pos[1], err);
            break;
        case 8:
            rc = report_costs(&r, err);
            break;
        default:
            rc = report_lifecycle(&r, err);
            break;
        }
    }
    query_free(&q);
    app_ctx_close(&cx);
    config_free(other);
    free(pos);
    if (!rc && fflush(stdout) != 0)
        rc = ct_error_set(err, CT_ERR_RUNTIME, NULL, 0, 0, "cannot write the report");
    return rc;
}
