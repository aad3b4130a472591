/*
 * cmd_tui.c - convtop with no command: the terminal UI.
 *
 * Owns the event loop (keys, mouse, resize, a timer for live refresh and
 * --cycle), and turns pane requests into model calls.  Panes never see SQL
 * or the store; the model never sees curses.
 */
#include "autoconf.h"

#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/commands.h"
#include "app/demo_db.h"
#include "app/demo_live_loop.h"
#include "app/figures.h"
#include "app/paths.h"
#include "app/reloader.h"
#include "app/tui.h"
#include "model/demo.h"
#include "model/mem.h"
#include "model/snapshot.h"
#include "model/why.h"
#include "model/tstamp.h"
#include "ui/format.h"

#define ESC 27

enum { OPT_THEME = 1, OPT_CYCLE, OPT_DEMO, OPT_LIVE };

static const struct cli_opt opts[] = {
    CLI_OPT_DB,
    CLI_OPT_CONFIG,
    {"theme", "NAME", "dark (default), light, high-contrast, mono, or a theme file", OPT_THEME},
    CLI_OPT_FROM,
    CLI_OPT_TO,
    CLI_OPT_NOW,
    CLI_OPT_SEGMENT,
    CLI_OPT_READ_ONLY,
    CLI_OPT_MASK_PII,
    {"cycle", "S", "rotate the panes every S seconds (unattended demos)", OPT_CYCLE},
    {"demo", NULL, "open the demo shop, creating it first if needed", OPT_DEMO},
    {"live", NULL, "with --demo: the shop keeps selling while you watch", OPT_LIVE},
    {NULL, NULL, NULL, 0},
};

static const struct cli_spec spec = {
    .usage = "convtop [OPTIONS]\n"
             "       convtop demo|import|report|check ... (see convtop COMMAND --help)",
    .summary = "convtop shows an online shop's conversion funnel, cohorts and customer\n"
               "journeys in the terminal, from a SQLite file of the shop's events and a YAML\n"
               "file of its goals and stages.  Press ? inside for every key.",
    .opts = opts,
    .epilog = "Commands:\n"
              "  convtop demo     create the demo shop\n"
              "  convtop import   load events, orders (Shopify, UCI Online Retail), CSV, NDJSON\n"
              "  convtop report   print any figure as text, CSV or JSON\n"
              "  convtop check    validate a config file",
};

static volatile sig_atomic_t stop_signal;

/* `make bench` (SPEC 8): with CONVTOP_BENCH_FIRST_FRAME=1 the TUI leaves
 * right after its first frame is on the terminal and prints
 * "first_frame_ms<TAB>N" to stderr: N ms from the start of the command. */
static struct timespec bench_t0;

static double bench_first_frame_ms(void)
{
    const char *v = getenv("CONVTOP_BENCH_FIRST_FRAME");
    if (!v || strcmp(v, "1") != 0)
        return -1;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - bench_t0.tv_sec) * 1e3 +
           (double)(t.tv_nsec - bench_t0.tv_nsec) / 1e6;
}

static void on_signal(int sig)
{
    stop_signal = sig;
}

static void restore_terminal(void)
{
    if (!isendwin())
        endwin();
}

/* --demo --live: the generator on a thread of its own, with its own
 * connection to the database (SQLite connections are not shared). */
static atomic_int live_stop;

static void *live_thread(void *arg)
{
    struct ct_error err;
    demo_live_loop(arg, DEMO_LIVE_RATE, DEMO_DEFAULT_SEED, 1, &live_stop, &err);
    return NULL;
}

static int handle_opt(int id, const char *arg, void *ctx, struct ct_error *err)
{
    struct tui *t = ctx;
    if (!common_opt(&t->opts, id, arg))
        return 0;
    switch (id) {
    case OPT_THEME:
        t->theme_arg = arg;
        break;
    case OPT_CYCLE: {
        char *end;
        long v = strtol(arg, &end, 10);
        if (*end || v < 1 || v > 86400)
            return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                                "--cycle '%s': give the seconds per pane, 1 or more", arg);
        t->cycle_s = (int)v;
        break;
    }
    case OPT_DEMO:
        t->demo = 1;
        break;
    case OPT_LIVE:
        t->live = 1;
        break;
    }
    return 0;
}

/* --- themes ----------------------------------------------------------------- */

static int load_theme(struct tui *t, const char *name, struct ct_error *err)
{
    char rel[128];
    char *path = NULL;
    if (strchr(name, '/')) {
        path = xstrdup(name);
    } else {
        snprintf(rel, sizeof rel, "themes/%s.yaml", name);
        path = paths_data_file(rel);
        if (!path) {
            struct strbuf sb = {0};
            for (size_t i = 0; i < theme_count; i++)
                sb_printf(&sb, "%s%s", i ? ", " : "", theme_names[i]);
            ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0, "no theme '%s' (themes: %s)", name,
                         sb.buf);
            sb_free(&sb);
            return CT_ERR_USAGE;
        }
    }
    int rc = theme_load(path, &t->theme, err);
    free(path);
    for (size_t i = 0; i < theme_count; i++)
        if (strcmp(name, theme_names[i]) == 0)
            t->theme_idx = i;
    return rc;
}

static void apply_theme(struct tui *t)
{
    color_apply(&t->theme, t->no_color);
    t->scr.ui.glyph_heat = !color_enabled() || strcmp(t->theme.name, "mono") == 0;
    bkgdset(' ' | color_attr(ROLE_TEXT));
    screen_dirty(&t->scr, UI_DIRTY_BODY | UI_DIRTY_STATUS | SCREEN_DIRTY_HEADER);
}

/* --- computing ---------------------------------------------------------------- */

static void free_funnel(struct tui *t)
{
    funnel_res_free(&t->funnel);
    goals_res_free(&t->goals);
    funnel_trend_free(&t->trend);
    funnel_breakdown_free(&t->bd);
    for (int i = 0; i < 2; i++)
        funnel_res_free(&t->cmp[i]);
    for (int i = 0; i < 3; i++)
        funnel_res_free(&t->modes_res[i]);
}

static void message_error(struct tui *t, const struct ct_error *err)
{
    char buf[600];
    ct_error_format(err, buf, sizeof buf);
    screen_message(&t->scr, buf);
}

/* What the user asks of the panes now. */
static void fill_ask(const struct tui *t, struct fig_ask *a)
{
    memset(a, 0, sizeof *a);
    a->funnel_idx = t->funnel_idx;
    a->breakdown = t->breakdown;
    a->compare = t->compare;
    a->modes = t->modes;
    a->period = t->period;
    a->lifecycle = t->lifecycle;
    a->sort = t->sort;
    a->winback = t->winback;
    snprintf(a->from, sizeof a->from, "%s", t->from);
    snprintf(a->to, sizeof a->to, "%s", t->to);
    snprintf(a->segment, sizeof a->segment, "%s", t->segment);
}

/* Finished funnel-pane figures onto the screen (moved in). */
static void show_funnel(struct tui *t, struct funnel_figs *fg)
{
    free_funnel(t);
    t->funnel = fg->funnel;
    t->goals = fg->goals;
    t->trend = fg->trend;
    t->bd = fg->bd;
    for (int i = 0; i < 2; i++)
        t->cmp[i] = fg->cmp[i];
    for (int i = 0; i < 3; i++)
        t->modes_res[i] = fg->modes[i];
    memset(fg, 0, sizeof *fg);
    const char *names[2] = {NULL, NULL};
    if (t->compare == COMPARE_CONFIG) {
        names[0] = "before the config change";
        names[1] = "after";
    } else if (t->compare) {
        figs_compare_pair(t->cx.cfg, t->compare, &names[0], &names[1]);
    }
    struct funnel_view v = {
        .funnel = &t->funnel,
        .goals = &t->goals,
        .trend = &t->trend,
        .breakdown = t->breakdown ? &t->bd : NULL,
        .compare = {t->compare == COMPARE_CONFIG ? &t->before : t->compare ? &t->cmp[0] : NULL,
                    t->compare == COMPARE_CONFIG ? &t->funnel : t->compare ? &t->cmp[1] : NULL},
        .compare_names = {names[0] ? names[0] : "everyone", names[1] ? names[1] : ""},
        .modes = t->modes ? t->modes_res : NULL,
        .funnel_index = t->funnel_idx,
        .n_funnels = t->cx.cfg->n_funnels + 1,
    };
    pane_funnel_set(t->p_funnel, &v);
    t->stale_funnel = 0;
    t->seen_funnel = 1;
}

static void compute_funnel(struct tui *t)
{
    struct ct_error err;
    struct fig_ask a;
    struct funnel_figs fg;
    fill_ask(t, &a);
    if (funnel_figs_run(&t->q, &a, &fg, &err))
        message_error(t, &err);
    show_funnel(t, &fg);
}

/* The costs view's figures (issue 9), when it is on: the spend records
 * come from the store here, so the model and the pane never see SQL. */
static const struct costs_res *cohort_costs(struct tui *t)
{
    struct ct_error err;
    costs_res_free(&t->costs);
    if (!t->costs_on)
        return NULL;
    struct spend_list spend;
    int rc = store_spend_list(t->cx.st, &spend, &err);
    if (!rc)
        rc = costs_compute(&t->q, &spend, t->period, &t->costs, &err);
    spend_list_free(&spend);
    if (rc)
        message_error(t, &err);
    return &t->costs;
}

static void show_cohort(struct tui *t, struct cohort_figs *fg)
{
    cohort_res_free(&t->cohort);
    lifecycle_res_free(&t->life);
    t->cohort = fg->cohort;
    t->life = fg->life;
    memset(fg, 0, sizeof *fg);
    struct cohort_pane_view v = {.res = &t->cohort,
                                 .view = t->view,
                                 .lifecycle = t->lifecycle ? &t->life : NULL,
                                 .costs = cohort_costs(t)};
    pane_cohort_set(t->p_cohort, &v);
    t->stale_cohort = 0;
    t->seen_cohort = 1;
}

static void compute_cohort(struct tui *t)
{
    struct ct_error err;
    struct fig_ask a;
    struct cohort_figs fg;
    fill_ask(t, &a);
    if (cohort_figs_run(&t->q, &a, &fg, &err))
        message_error(t, &err);
    show_cohort(t, &fg);
}

static void rows_free(struct rows *r)
{
    for (size_t i = 0; r->cache && i < r->rank.n; i++)
        if (r->cache[i]) {
            profile_free(r->cache[i]);
            free(r->cache[i]);
        }
    free(r->cache);
    customer_rank_free(&r->rank);
    if (r->have_cx)
        customer_ctx_free(&r->cx);
    memset(r, 0, sizeof *r);
}

/* Take a new order (the rank is moved in). */
static void rows_set(struct rows *r, const struct query *q, struct customer_rank *rank)
{
    rows_free(r);
    r->q = q;
    r->rank = *rank;
    memset(rank, 0, sizeof *rank);
    r->cache = xcalloc(r->rank.n ? r->rank.n : 1, sizeof *r->cache);
    r->have_cx = customer_ctx_init(&r->cx, q, NULL) == 0;
}

static const struct profile *rows_row(void *ctx, size_t i)
{
    struct rows *r = ctx;
    if (i >= r->rank.n || !r->have_cx)
        return NULL;
    if (!r->cache[i]) {
        r->cache[i] = xmalloc(sizeof **r->cache);
        customer_profile(&r->cx, r->rank.index[i], r->cache[i]);
    }
    return r->cache[i];
}

static const char *rows_key(void *ctx, size_t i)
{
    const struct rows *r = ctx;
    return i < r->rank.n ? r->q->ds->cust_key[r->rank.index[i]] : "";
}

/* A customer order onto the customers pane (moved in). */
static void show_customers(struct tui *t, struct customer_rank *rank)
{
    rows_set(&t->customers, &t->q, rank);
    struct customers_view v = {
        .n = t->customers.rank.n,
        .row = rows_row,
        .key = rows_key,
        .ctx = &t->customers,
        .title = t->winback ? "Win-back: bought before, quiet past inactive_after" : "Customers",
        .sort = t->sort,
        .winback = t->winback,
        .searchable = 1,
    };
    pane_customers_set(t->p_customers, &v);
    t->stale_customers = 0;
    t->seen_customers = !t->search[0]; /* a search goes to the store each time */
}

static void compute_customers(struct tui *t)
{
    struct ct_error err;
    struct customer_rank rank = {0};
    if (!t->search[0]) {
        if (customer_rank(&t->q, t->sort, t->winback, &rank, &err))
            message_error(t, &err);
    } else {
        /* search as you type goes to the store's indexes */
        struct customer_list found = {0};
        if (store_search_customers(t->cx.st, t->search, 200, &found, &err) != 0)
            message_error(t, &err);
        size_t *idx = xcalloc(found.n ? found.n : 1, sizeof *idx), n = 0;
        for (size_t i = 0; i < found.n; i++) {
            size_t c = dataset_find_id(t->cx.ds, found.items[i].id);
            if (c != (size_t)-1)
                idx[n++] = c;
        }
        if (customer_rank_some(&t->q, t->sort, idx, n, &rank, &err))
            message_error(t, &err);
        free(idx);
        customer_list_free(&found);
    }
    show_customers(t, &rank);
}

static void free_detail(struct tui *t)
{
    if (!t->have_detail)
        return;
    for (size_t i = 0; i < t->tl.n; i++)
        free(t->props ? t->props[i] : NULL);
    free(t->props);
    t->props = NULL;
    for (size_t i = 0; i < t->n_why; i++)
        free(t->why[i]);
    free(t->why);
    t->why = NULL;
    t->n_why = 0;
    profile_free(&t->detail);
    timeline_free(&t->tl);
    t->have_detail = 0;
}

static void compute_detail(struct tui *t, size_t c)
{
    struct ct_error err;
    free_detail(t);
    struct customer_ctx cx;
    if (customer_ctx_init(&cx, &t->q, &err)) {
        message_error(t, &err);
        return;
    }
    customer_profile(&cx, c, &t->detail);
    customer_timeline(&cx, c, &t->tl);
    customer_ctx_free(&cx);
    t->have_detail = 1;
    t->detail_c = c;
    /* properties from the store, in the same timeline order */
    struct event_list ev = {0};
    t->props = xcalloc(t->tl.n ? t->tl.n : 1, sizeof *t->props);
    if (store_customer_events(t->cx.st, t->cx.ds->cust_id[c], &ev, &err) == 0)
        for (size_t i = 0; i < t->tl.n && i < ev.n; i++) {
            if (ev.items[i].ts_ms != t->tl.items[i].ts_ms)
                continue;
            if (ev.items[i].props)
                t->props[i] = xstrdup(ev.items[i].props);
            if (ev.items[i].session)
                t->tl.items[i].session = xstrdup(ev.items[i].session);
        }
    event_list_free(&ev);
    const struct config *cfg = t->cx.cfg;
    /* where the customer stopped in each funnel, and why */
    t->why = xcalloc(cfg->n_funnels + 1, sizeof *t->why);
    for (size_t i = 0; i <= cfg->n_funnels; i++) {
        const struct funnel_def *f = i ? &cfg->funnels[i - 1] : &cfg->stages;
        struct why_res w;
        if (!f->n_steps || why_compute(&t->q, f, c, &w, &err))
            continue;
        if (w.level == (int)w.n) {
            t->why[t->n_why++] = xasprintf("%s: completed, %zu of %zu steps", f->name, w.n, w.n);
        } else {
            const struct why_step *miss = &w.steps[w.level < (int)w.n ? w.level : 0];
            for (size_t j = 0; j < w.n; j++)
                if (!w.steps[j].reached) {
                    miss = &w.steps[j];
                    break;
                }
            t->why[t->n_why++] = xasprintf("%s: %d of %zu steps; %s", f->name, w.level, w.n,
                                           miss->reason ? miss->reason : "not reached");
        }
        why_res_free(&w);
    }
    static const char *names[FUNNEL_MAX_STEPS];
    for (size_t j = 0; j < cfg->stages.n_steps && j < FUNNEL_MAX_STEPS; j++)
        names[j] = cfg->stages.steps[j].name;
    struct detail_view v = {
        .profile = &t->detail,
        .timeline = &t->tl,
        .props = (const char *const *)t->props,
        .stage_names = names,
        .n_stages = cfg->stages.n_steps,
        .by_day = t->by_day,
        .why = (const char *const *)t->why,
        .n_why = t->n_why,
    };
    pane_detail_set(t->p_detail, &v);
}

static void compute_cell(struct tui *t, int64_t cohort, int offset, const char *label)
{
    struct ct_error err;
    size_t *who = NULL, n = 0;
    if (cohort_cell_customers(&t->q, t->period, cohort, offset, &who, &n, &err)) {
        message_error(t, &err);
        return;
    }
    struct customer_rank rank = {0};
    if (customer_rank_some(&t->q, SORT_NET_SPEND, who, n, &rank, &err))
        message_error(t, &err);
    free(who);
    rows_set(&t->cell, &t->q, &rank);
    static char title[96];
    snprintf(title, sizeof title, "Cohort %s: customers who came back", label);
    struct customers_view v = {.n = t->cell.rank.n,
                               .row = rows_row,
                               .key = rows_key,
                               .ctx = &t->cell,
                               .title = title,
                               .sort = SORT_NET_SPEND};
    pane_customers_set(t->p_cell, &v);
}

/* Make sure what the visible pane shows is computed. */
static void compute_visible(struct tui *t)
{
    if (t->scr.active == 0 && t->stale_funnel)
        compute_funnel(t);
    else if (t->scr.active == 1 && t->stale_cohort)
        compute_cohort(t);
    else if (t->scr.active == 2 && t->stale_customers)
        compute_customers(t);
}

static void mark_stale(struct tui *t)
{
    t->stale_funnel = t->stale_cohort = t->stale_customers = 1;
    screen_dirty(&t->scr, UI_DIRTY_BODY | UI_DIRTY_STATUS);
}

/* --- status bar ----------------------------------------------------------- */

static void update_status(struct tui *t)
{
    struct screen *s = &t->scr;
    const struct range *r = &t->cx.range;
    snprintf(s->shop, sizeof s->shop, "%s", t->cx.cfg->shop_name);
    char a[16], b[16];
    if (r->has_from || r->has_to) {
        if (r->has_from)
            tstamp_format_date(t->cx.tz, r->from_ms, a, sizeof a);
        if (r->has_to)
            tstamp_format_date(t->cx.tz, r->to_ms - 1, b, sizeof b);
        snprintf(s->range, sizeof s->range, "%s..%s", r->has_from ? a : "start",
                 r->has_to ? b : "now");
    } else {
        snprintf(s->range, sizeof s->range, "all data");
    }
    snprintf(s->segment, sizeof s->segment, "%s",
             t->segment[0] ? t->segment : "everyone");
    char cnt[32], last[32] = "-", hm[16] = "-";
    fmt_count((int64_t)t->cx.ds->n_events, cnt, sizeof cnt);
    if (t->cx.ds->newest_ms) {
        tstamp_format_local(t->cx.tz, t->cx.ds->newest_ms, last, sizeof last, 0);
        /* "2026-11-26 16:10" -> "16:10" for the short forms */
        const char *sp = strchr(last, ' ');
        snprintf(hm, sizeof hm, "%s", sp ? sp + 1 : last);
    }
    if (t->last_change) {
        struct tm tm;
        char upd[16], rate[32];
        localtime_r(&t->last_change, &tm);
        strftime(upd, sizeof upd, "%H:%M:%S", &tm);
        fmt_count((int64_t)(t->events_per_min + 0.5), rate, sizeof rate);
        snprintf(s->fresh, sizeof s->fresh, "%s events, last %s, %s/min, updated %s", cnt, last,
                 rate, upd);
        snprintf(s->fresh_mid, sizeof s->fresh_mid, "last %s, %s/min", hm, rate);
    } else {
        snprintf(s->fresh, sizeof s->fresh, "%s events, last %s", cnt, last);
        snprintf(s->fresh_mid, sizeof s->fresh_mid, "%s events", cnt);
    }
    snprintf(s->fresh_short, sizeof s->fresh_short, "last %s", hm);
    screen_dirty(s, UI_DIRTY_STATUS | SCREEN_DIRTY_HEADER);
}

/* --- data ------------------------------------------------------------------- */

/* A new query (moved in) for every pane: rows profiled against the old
 * one go; the lists are computed again when shown, and a cohort cell's
 * list closes. */
static void install_query(struct tui *t, struct query *q, const struct range *r)
{
    rows_free(&t->customers);
    rows_free(&t->cell);
    if (t->p_customers) { /* the panes exist once the screen is up */
        struct customers_view none = {.title = "Customers", .searchable = 1};
        pane_customers_set(t->p_customers, &none);
        none.searchable = 0;
        pane_customers_set(t->p_cell, &none);
        if (t->scr.n_modal && screen_top(&t->scr)->st == t->p_cell)
            screen_pop(&t->scr);
    }
    if (t->have_query)
        query_free(&t->q);
    t->cx.range = *r;
    t->q = *q;
    memset(q, 0, sizeof *q);
    t->have_query = 1;
    mark_stale(t);
    update_status(t);
}

static int resolve(struct tui *t, struct ct_error *err)
{
    struct range r;
    int rc = range_resolve(t->cx.tz, t->from[0] ? t->from : NULL, t->to[0] ? t->to : NULL,
                           t->opts.now, t->cx.ds->newest_ms, &r, err);
    if (rc)
        return rc;
    struct query q;
    rc = query_init(&q, t->cx.cfg, t->cx.ds, t->cx.tz, &r, t->segment[0] ? t->segment : NULL,
                    err);
    if (rc)
        return rc;
    install_query(t, &q, &r);
    return 0;
}

/* Another process committed: build the next dataset beside the event loop
 * (reloader.h), so keys are answered while it is read. */
static void reload_start(struct tui *t)
{
    if (t->reloader) {
        t->reload_again = 1; /* more came while one is being built */
        return;
    }
    struct ct_error err;
    const char **keys;
    size_t n;
    matcher_needed_props(t->cx.cfg, &keys, &n);
    char *snap = paths_snapshot(t->cx.db_path, t->opts.read_only);
    /* the figures of the panes already seen are computed there too */
    struct prefig *pf = xcalloc(1, sizeof *pf);
    fill_ask(t, &pf->ask);
    pf->ask.want_funnel = t->seen_funnel;
    pf->ask.want_cohort = t->seen_cohort;
    pf->ask.want_customers = t->seen_customers && !t->search[0];
    pf->cfg = t->cx.cfg;
    pf->tz = t->cx.tz;
    pf->now = t->opts.now;
    if (reloader_start(t->cx.db_path, snap, t->cx.ds, (char *const *)keys, n, prefig_run, pf,
                       &t->reloader, &err)) {
        message_error(t, &err);
        free(pf);
    } else {
        t->prefig = pf;
    }
    free(snap);
    free(keys);
}

static void drop_prefig(struct tui *t)
{
    prefig_free(t->prefig);
    free(t->prefig);
    t->prefig = NULL;
}

/* The panes' figures computed beside the event loop, when they answer
 * what is asked now (the user may have changed something meanwhile). */
static int take_prefig(struct tui *t)
{
    struct prefig *pf = t->prefig;
    struct fig_ask now;
    fill_ask(t, &now);
    now.want_funnel = pf->ask.want_funnel;
    now.want_cohort = pf->ask.want_cohort;
    now.want_customers = pf->ask.want_customers;
    if (!pf->ok || !pf->have_q || memcmp(&now, &pf->ask, sizeof now) != 0)
        return 0;
    install_query(t, &pf->q, &pf->range);
    pf->have_q = 0;
    if (pf->have_funnel) {
        show_funnel(t, &pf->funnel);
        pf->have_funnel = 0;
    }
    if (pf->have_cohort) {
        show_cohort(t, &pf->cohort);
        pf->have_cohort = 0;
    }
    if (pf->have_rank) {
        show_customers(t, &pf->rank);
        pf->have_rank = 0;
    }
    return 1;
}

/* The next dataset is ready: swap it in and keep every selection (panes
 * keep theirs by identity).  Its figures usually came with it; what did
 * not is computed when shown. */
static void reload_finish(struct tui *t)
{
    struct ct_error err;
    struct dataset *ds;
    if (!t->reloader || !reloader_poll(t->reloader, &ds, &err))
        return;
    t->reloader = NULL;
    if (t->reload_again) {
        t->reload_again = 0;
        t->data_version = -1; /* look again at the next tick */
        t->last_check = 0;
    }
    if (!ds) {
        drop_prefig(t);
        if (err.code)
            message_error(t, &err);
        return; /* a commit that changed nothing we hold */
    }
    /* events per minute since the last change (the first time: since
     * convtop started) */
    struct timespec mono;
    clock_gettime(CLOCK_MONOTONIC, &mono);
    double now_s = (double)mono.tv_sec + (double)mono.tv_nsec / 1e9;
    double since = t->last_change ? t->last_change_s : t->started_s;
    if (now_s > since) {
        double added = (double)ds->n_events - (double)t->cx.ds->n_events;
        double rate = added > 0 ? added * 60.0 / (now_s - since) : 0;
        /* smoothed: refreshes come at uneven intervals */
        t->events_per_min = t->last_change ? 0.5 * t->events_per_min + 0.5 * rate : rate;
    }
    t->last_change = time(NULL);
    t->last_change_s = now_s;
    /* the query points into the old dataset: it goes first */
    if (t->have_query)
        query_free(&t->q);
    t->have_query = 0;
    dataset_free(t->cx.ds);
    t->cx.ds = ds;
    if (!take_prefig(t) && resolve(t, &err)) {
        drop_prefig(t);
        message_error(t, &err);
        return;
    }
    drop_prefig(t);
    compute_visible(t);
    if (t->have_detail) {
        size_t c = dataset_find_key(ds, t->detail.key);
        if (c != (size_t)-1)
            compute_detail(t, c);
    }
}

/* The config file changed while convtop runs: load it; a bad edit keeps
 * the last good config (and its numbers) and says what is wrong. */
static void reload_config(struct tui *t)
{
    if (t->reloader) {
        /* it reads the dataset and config this replaces: finish it first */
        reloader_cancel(t->reloader);
        t->reloader = NULL;
        drop_prefig(t);
        t->data_version = -1;
    }
    struct config *cfg = NULL;
    struct ct_errlist errs = {0};
    struct ct_error err;
    char msg[1400];
    if (config_load(t->cx.config_path, &cfg, &errs)) {
        char first[1200] = "";
        if (errs.n)
            ct_error_format(&errs.items[0], first, sizeof first);
        snprintf(msg, sizeof msg, "config not reloaded (%zu problem%s; the last good one stays): %s",
                 errs.n, errs.n == 1 ? "" : "s", first);
        screen_message(&t->scr, msg);
        ct_errlist_free(&errs);
        return;
    }
    ct_errlist_free(&errs);
    struct tz *tz = NULL;
    if (tz_open(cfg->timezone, &tz, &err)) {
        message_error(t, &err);
        config_free(cfg);
        return;
    }
    /* new matchers may need properties the dataset does not hold */
    const char **keys;
    size_t n;
    matcher_needed_props(cfg, &keys, &n);
    int same = n == t->cx.ds->n_props;
    for (size_t i = 0; same && i < n; i++)
        same = strcmp(keys[i], t->cx.ds->prop_keys[i]) == 0;
    struct dataset *ds = NULL;
    if (!same) {
        char *snap = paths_snapshot(t->cx.db_path, t->opts.read_only);
        int rc = snapshot_load(t->cx.st, snap, (char *const *)keys, n, &ds, NULL, &err);
        free(snap);
        if (rc) {
            free(keys);
            message_error(t, &err);
            tz_close(tz);
            config_free(cfg);
            return;
        }
    }
    free(keys);
    /* the funnel as it was, for the before/after view */
    funnel_res_free(&t->before);
    t->before = t->funnel;
    memset(&t->funnel, 0, sizeof t->funnel);
    if (t->have_query)
        query_free(&t->q);
    t->have_query = 0;
    config_free(t->cx.cfg);
    tz_close(t->cx.tz);
    t->cx.cfg = cfg;
    t->cx.tz = tz;
    t->scr.ui.tz = tz;
    if (ds) {
        dataset_free(t->cx.ds);
        t->cx.ds = ds;
    }
    if (t->funnel_idx > cfg->n_funnels)
        t->funnel_idx = 0;
    t->compare = COMPARE_CONFIG;
    t->breakdown = 0;
    t->modes = 0;
    if (resolve(t, &err))
        message_error(t, &err);
    compute_visible(t);
    snprintf(msg, sizeof msg, "config reloaded: %s (the funnel shows before and after; Esc hides it)",
             t->cx.config_path);
    screen_message(&t->scr, msg);
}

static int config_changed(struct tui *t)
{
    struct stat sb;
    if (!t->cx.config_path || stat(t->cx.config_path, &sb) != 0)
        return 0;
    int changed = sb.st_mtim.tv_sec != t->config_mtime.tv_sec ||
                  sb.st_mtim.tv_nsec != t->config_mtime.tv_nsec;
    t->config_mtime = sb.st_mtim;
    return changed;
}

static void check_live(struct tui *t)
{
    reload_finish(t);
    time_t now = time(NULL);
    if (now == t->last_check)
        return;
    t->last_check = now;
    int64_t v;
    if (store_data_version(t->cx.st, &v) == 0 && v != t->data_version) {
        t->data_version = v;
        reload_start(t);
    }
    if (config_changed(t))
        reload_config(t);
    if (t->cycle_s && t->scr.n_modal == 0 && now - t->last_cycle >= t->cycle_s) {
        t->last_cycle = now;
        screen_set_tab(&t->scr, (t->scr.active + 1) % SCREEN_TABS);
        compute_visible(t);
    }
}

/* --- requests ----------------------------------------------------------------- */

static void do_request(struct tui *t, const struct ui_request *req)
{
    struct ct_error err;
    switch (req->kind) {
    case REQ_OPEN_CUSTOMER:
        compute_detail(t, req->index);
        if (t->have_detail)
            screen_push(&t->scr, (struct pane){&pane_detail_ops, t->p_detail});
        break;
    case REQ_COHORT_CELL:
        compute_cell(t, req->a, (int)req->b, req->text);
        screen_push(&t->scr, (struct pane){&pane_cell_ops, t->p_cell});
        break;
    case REQ_SEARCH:
        snprintf(t->search, sizeof t->search, "%s", req->text);
        compute_customers(t);
        break;
    case REQ_FUNNEL:
        t->funnel_idx = req->index;
        compute_funnel(t);
        break;
    case REQ_BREAKDOWN:
        /* index 1: the next attribute (none after tier); 0: off */
        t->breakdown = req->index ? (t->breakdown + 1) % 4 : 0;
        t->compare = 0;
        t->modes = 0;
        compute_funnel(t);
        break;
    case REQ_COMPARE: {
        const char *a, *b;
        size_t next = req->index ? t->compare + 1 : 0;
        if (next && !figs_compare_pair(t->cx.cfg, next, &a, &b))
            next = figs_compare_pair(t->cx.cfg, 1, &a, &b) && t->compare != 1 ? 1 : 0;
        if (req->index && !t->cx.cfg->n_segments)
            screen_message(&t->scr, "no segments in the config to compare");
        t->compare = next;
        t->breakdown = 0;
        t->modes = 0;
        compute_funnel(t);
        break;
    }
    case REQ_ORDERS:
        t->modes = (int)req->a;
        t->breakdown = 0;
        t->compare = 0;
        compute_funnel(t);
        break;
    case REQ_COHORT:
        t->view = (enum cohort_view)req->index;
        t->period = (enum period_unit)req->a;
        compute_cohort(t);
        break;
    case REQ_CUSTOMERS:
        t->sort = (enum customer_sort)req->index;
        t->winback = (int)req->a;
        compute_customers(t);
        break;
    case REQ_FILTER: {
        char buf[512], *f = buf, *to, *seg;
        snprintf(buf, sizeof buf, "%s", req->text);
        to = strchr(f, '\t');
        seg = to ? strchr(to + 1, '\t') : NULL;
        if (to)
            *to++ = '\0';
        if (seg)
            *seg++ = '\0';
        char old_from[16], old_to[16], old_seg[64];
        memcpy(old_from, t->from, sizeof old_from);
        memcpy(old_to, t->to, sizeof old_to);
        memcpy(old_seg, t->segment, sizeof old_seg);
        snprintf(t->from, sizeof t->from, "%s", f);
        snprintf(t->to, sizeof t->to, "%s", to ? to : "");
        snprintf(t->segment, sizeof t->segment, "%s", seg ? seg : "");
        if (resolve(t, &err)) {
            message_error(t, &err);
            memcpy(t->from, old_from, sizeof old_from);
            memcpy(t->to, old_to, sizeof old_to);
            memcpy(t->segment, old_seg, sizeof old_seg);
            resolve(t, &err);
        }
        compute_visible(t);
        break;
    }
    case REQ_LIFECYCLE:
        t->lifecycle = (int)req->a;
        t->costs_on = 0; /* one view of the cohort pane at a time */
        compute_cohort(t);
        break;
    case REQ_COSTS:
        t->costs_on = (int)req->a;
        t->lifecycle = 0;
        compute_cohort(t);
        break;
    case REQ_GROUP:
        t->by_day = (int)req->a;
        if (t->have_detail)
            compute_detail(t, t->detail_c);
        break;
    case REQ_NONE:
        break;
    }
    screen_dirty(&t->scr, UI_DIRTY_BODY | UI_DIRTY_STATUS | SCREEN_DIRTY_HEADER);
}

/* --- export ------------------------------------------------------------------- */

/* The lists on screen hold light profiles (no stage, no goals); an export
 * writes every column, so it gets the whole profiles first, in place. */
static void export_table(struct tui *t)
{
    struct pane *p = screen_top(&t->scr);
    if (!p->ops->export_csv) {
        screen_message(&t->scr, "nothing to export here");
        return;
    }
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char stamp[32], name[128], path[600], tmp[640];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(name, sizeof name, "convtop-%s-%s.csv", p->ops->title, stamp);
    for (char *c = name; *c; c++)
        if (*c == ' ')
            *c = '-';
    const char *dir = access(".", W_OK) == 0 ? "." : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    int ok = f && p->ops->export_csv(p->st, f, &t->scr.ui) == 0;
    if (f && fclose(f) != 0)
        ok = 0;
    char msg[700];
    if (ok && rename(tmp, path) == 0) {
        char *abs = realpath(path, NULL);
        snprintf(msg, sizeof msg, "exported to %s", abs ? abs : path);
        free(abs);
    } else {
        unlink(tmp);
        snprintf(msg, sizeof msg, "export failed: %s: %s", path, strerror(errno));
    }
    screen_message(&t->scr, msg);
}

/* --- keys ------------------------------------------------------------------------ */

static int on_key(struct tui *t, int key)
{
    struct screen *s = &t->scr;
    if (s->message[0]) {
        s->message[0] = '\0';
        screen_dirty(s, UI_DIRTY_STATUS);
    }
    if (key == KEY_RESIZE) {
        screen_resize(s);
        return 0;
    }
    if (s->too_small)
        return key == 'q' || key == 'Q';
    if (key == KEY_MOUSE) {
        MEVENT ev;
        if (getmouse(&ev) == OK && ev.y == 0) {
            int tab = screen_tab_at(s, ev.x);
            if (tab >= 0) {
                screen_set_tab(s, tab);
                compute_visible(t);
            }
        }
        return 0;
    }
    struct pane *p = screen_top(s);
    enum action a = (p->ops->raw && p->ops->raw(p->st)) ? ACT_NONE : keys_lookup(key, p->ops->scopes);
    struct ui_request req;
    memset(&req, 0, sizeof req);
    int flags = (a != ACT_NONE || (p->ops->raw && p->ops->raw(p->st)))
                    ? p->ops->handle(p->st, a, key, &req)
                    : 0;
    if (flags & UI_POP)
        screen_pop(s);
    if (flags & UI_REQUEST)
        do_request(t, &req);
    screen_dirty(s, flags & (UI_DIRTY_BODY | UI_DIRTY_STATUS));
    if (flags & UI_HANDLED)
        return 0;
    switch (a) {
    case ACT_QUIT:
        return 1;
    case ACT_HELP:
        screen_push(s, (struct pane){&pane_help_ops, t->p_help});
        break;
    case ACT_BACK:
        screen_pop(s);
        break;
    case ACT_PANE_FUNNEL:
    case ACT_PANE_COHORT:
    case ACT_PANE_CUSTOMERS:
        screen_set_tab(s, (int)(a - ACT_PANE_FUNNEL));
        break;
    case ACT_NEXT_PANE:
        screen_set_tab(s, (s->active + 1) % SCREEN_TABS);
        break;
    case ACT_PREV_PANE:
        screen_set_tab(s, (s->active + SCREEN_TABS - 1) % SCREEN_TABS);
        break;
    case ACT_FILTER: {
        static const char *segs[64];
        const struct config *cfg = t->cx.cfg;
        size_t n = cfg->n_segments < 64 ? cfg->n_segments : 64;
        for (size_t i = 0; i < n; i++)
            segs[i] = cfg->segments[i].name;
        static char today[16];
        /* presets count back from now; an empty shop has no now: today */
        int64_t now_ms = t->cx.ds->n_events ? t->cx.range.now_ms : (int64_t)time(NULL) * 1000;
        tstamp_format_date(t->cx.tz, now_ms, today, sizeof today);
        struct filter_view v = {.segments = segs, .n_segments = n, .from = t->from,
                                .to = t->to, .segment = t->segment, .today = today};
        pane_filter_set(t->p_filter, &v);
        screen_push(s, (struct pane){&pane_filter_ops, t->p_filter});
        break;
    }
    case ACT_EXPORT:
        export_table(t);
        break;
    case ACT_THEME: {
        struct ct_error err;
        size_t next = (t->theme_idx + 1) % theme_count;
        if (load_theme(t, theme_names[next], &err) == 0) {
            t->theme_idx = next;
            apply_theme(t);
            char msg[64];
            snprintf(msg, sizeof msg, "theme: %s", theme_names[next]);
            screen_message(s, msg);
        } else {
            message_error(t, &err);
        }
        break;
    }
    case ACT_REFRESH:
        clearok(curscr, TRUE);
        t->data_version = -1;
        t->last_check = 0;
        check_live(t);
        screen_dirty(s, UI_DIRTY_BODY | UI_DIRTY_STATUS | SCREEN_DIRTY_HEADER);
        break;
    default:
        break;
    }
    compute_visible(t);
    return 0;
}

/* --- setup and loop ----------------------------------------------------------- */

static void make_panes(struct tui *t)
{
    t->p_funnel = pane_funnel_new();
    t->p_cohort = pane_cohort_new();
    t->p_customers = pane_customers_new();
    t->p_cell = pane_customers_new();
    t->p_detail = pane_detail_new();
    t->p_help = pane_help_new();
    t->p_filter = pane_filter_new();
    t->scr.tabs[0] = (struct pane){&pane_funnel_ops, t->p_funnel};
    t->scr.tabs[1] = (struct pane){&pane_cohort_ops, t->p_cohort};
    t->scr.tabs[2] = (struct pane){&pane_customers_ops, t->p_customers};
}

static void free_all(struct tui *t)
{
    free_funnel(t);
    funnel_res_free(&t->before);
    cohort_res_free(&t->cohort);
    costs_res_free(&t->costs);
    lifecycle_res_free(&t->life);
    rows_free(&t->customers);
    rows_free(&t->cell);
    free_detail(t);
    pane_funnel_free(t->p_funnel);
    pane_cohort_free(t->p_cohort);
    pane_customers_free(t->p_customers);
    pane_customers_free(t->p_cell);
    pane_detail_free(t->p_detail);
    pane_help_free(t->p_help);
    pane_filter_free(t->p_filter);
    if (t->have_query)
        query_free(&t->q);
    reloader_cancel(t->reloader);
    drop_prefig(t);
    app_ctx_close(&t->cx);
}

static int run(struct tui *t)
{
    struct screen *s = &t->scr;
    ui_glyphs_init(&s->ui.g);
    s->ui.mask_pii = t->opts.mask_pii;
    s->ui.tz = t->cx.tz;
    s->ui.currency = t->cx.cfg->currency;
    initscr();
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
    curs_set(0);
    apply_theme(t);
    make_panes(t);
    screen_init(s);
    update_status(t);
    compute_visible(t);
    t->last_cycle = t->started = time(NULL);
    struct timespec mono;
    clock_gettime(CLOCK_MONOTONIC, &mono);
    t->started_s = (double)mono.tv_sec + (double)mono.tv_nsec / 1e9;
    store_data_version(t->cx.st, &t->data_version);
    config_changed(t);
    double first_frame_ms = -1;
    for (;;) {
        screen_draw(s);
        if ((first_frame_ms = bench_first_frame_ms()) >= 0)
            break;
        int key = screen_getch(s);
        if (stop_signal)
            break;
        if (key == ERR) {
            check_live(t);
            continue;
        }
        if (on_key(t, key))
            break;
        if (key != KEY_RESIZE)
            t->last_cycle = time(NULL); /* a person is here: hold the cycle */
        check_live(t);
    }
    screen_end(s);
    endwin();
    if (first_frame_ms >= 0)
        fprintf(stderr, "first_frame_ms\t%.1f\n", first_frame_ms);
    return 0;
}

int cmd_tui(int argc, char **argv, struct ct_error *err)
{
    clock_gettime(CLOCK_MONOTONIC, &bench_t0);
    struct tui *t = xcalloc(1, sizeof *t);
    char *demo_path = NULL;
    pthread_t live;
    int live_started = 0;
    char **pos;
    int npos, help;
    int rc = cli_parse(argc, argv, &spec, handle_opt, t, &pos, &npos, &help, err);
    if (rc || help)
        goto out;
    if (npos > 0) {
        rc = ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                          "unknown command '%s' (see convtop --help)", pos[0]);
        goto out;
    }
    if (t->demo) {
        demo_path = t->opts.db ? xstrdup(t->opts.db) : paths_demo_db(t->live);
        if ((rc = demo_ensure(demo_path, t->live, err))) {
            free(demo_path);
            goto out;
        }
        t->opts.db = demo_path;
        if (t->live)
            live_started = pthread_create(&live, NULL, live_thread, demo_path) == 0;
    } else if (t->live) {
        rc = ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0, "--live goes with --demo");
        goto out;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        rc = ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                          "the terminal UI needs a terminal; for figures use 'convtop report'");
        goto out_demo;
    }
    /* the database is read-only when the file is not writable */
    const char *dbp = t->opts.db;
    char *resolved = paths_db(dbp);
    if (access(resolved, F_OK) == 0 && access(resolved, W_OK) != 0)
        t->opts.read_only = 1;
    free(resolved);
    if ((rc = app_ctx_open(&t->cx, &t->opts, CTX_DATASET, err)))
        goto out_demo;
    snprintf(t->from, sizeof t->from, "%s", t->opts.from ? t->opts.from : "");
    snprintf(t->to, sizeof t->to, "%s", t->opts.to ? t->opts.to : "");
    snprintf(t->segment, sizeof t->segment, "%s", t->opts.segment ? t->opts.segment : "");
    t->period = t->cx.cfg->cohorts.period;
    const char *no_color = getenv("NO_COLOR");
    t->no_color = no_color && *no_color;
    const char *term = getenv("TERM");
    if (term && (strncmp(term, "vt1", 3) == 0 || strcmp(term, "dumb") == 0))
        t->no_color = 1;
    theme_default(&t->theme);
    if ((rc = load_theme(t, t->theme_arg ? t->theme_arg : "dark", err)))
        goto out_ctx;
    if ((rc = resolve(t, err)))
        goto out_ctx;
    ct_set_oom_hook(restore_terminal);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
    rc = run(t);
out_ctx:
    free_all(t);
out_demo:
    if (live_started) {
        atomic_store(&live_stop, 1);
        pthread_join(live, NULL);
    }
    free(demo_path);
out:
    free(pos);
    free(t);
    return rc;
}
