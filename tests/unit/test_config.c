/*
 * test_config.c - the YAML config loader and its key table (SPEC 4, 5.0).
 *
 * Good configs: the shipped default, every worked example of shared/examples
 * (skipped when the folder is absent, as in a release tarball), defaults,
 * inheritance, durations, matcher forms.  Bad configs: one mistake each,
 * with its exact line, column and message, and files with many mistakes that
 * must all be reported.  Also checks that convtop.1 documents the table.
 */
#include "common.h"

#include <dirent.h>
#include <math.h>

#include "model/config.h"
#include "model/config_schema.h"

static const char *srcdir(void)
{
    const char *d = getenv("top_srcdir");
    return d && *d ? d : ".";
}

static char *src_path(const char *rel)
{
    char *p = malloc(strlen(srcdir()) + strlen(rel) + 2);
    sprintf(p, "%s/%s", srcdir(), rel);
    return p;
}

static void print_errors(const struct ct_errlist *errs)
{
    for (size_t i = 0; i < errs->n; i++) {
        char buf[2048];
        ct_error_format(&errs->items[i], buf, sizeof buf);
        print_message("  %s\n", buf);
    }
}

static struct config *load_file_ok(const char *path)
{
    struct ct_errlist errs = {0};
    struct config *cfg = NULL;
    int rc = config_load(path, &cfg, &errs);
    if (rc != 0)
        print_errors(&errs);
    assert_int_equal(rc, 0);
    assert_int_equal(errs.n, 0);
    assert_non_null(cfg);
    ct_errlist_free(&errs);
    return cfg;
}

static struct config *load_ok(const char *yaml)
{
    struct ct_errlist errs = {0};
    struct config *cfg = NULL;
    int rc = config_load_text(yaml, strlen(yaml), "t.yaml", &cfg, &errs);
    if (rc != 0)
        print_errors(&errs);
    assert_int_equal(rc, 0);
    assert_non_null(cfg);
    ct_errlist_free(&errs);
    return cfg;
}

/* Load text that must fail; the caller frees the list. */
static struct ct_errlist load_bad(const char *yaml, size_t len)
{
    struct ct_errlist errs = {0};
    struct config *cfg = NULL;
    assert_int_equal(config_load_text(yaml, len, "t.yaml", &cfg, &errs), CT_ERR_CONFIG);
    assert_null(cfg);
    assert_true(errs.n > 0);
    return errs;
}

/* 1 when e is the problem wanted; prints the difference otherwise. */
static int is_problem(const struct ct_error *e, long line, long col, const char *frag)
{
    if (e->line == line && e->col == col && strstr(e->msg, frag) &&
        strcmp(e->file, "t.yaml") == 0 && e->code == CT_ERR_CONFIG)
        return 1;
    print_message("want %ld:%ld: ...%s...\n got %ld:%ld: %s\n", line, col, frag, e->line, e->col,
                  e->msg);
    return 0;
}

static const char *event0(const struct matcher *m)
{
    assert_true(m->n_events >= 1);
    return m->events[0];
}

#define DAY_MS (INT64_C(86400) * 1000)

/* ------------------------------------------------------------ good configs */

static void test_default_file(void **state)
{
    (void)state;
    char *path = src_path("convtop.yaml");
    struct config *c = load_file_ok(path);
    assert_string_equal(c->path, path);
    assert_string_equal(c->shop_name, "Demo Shop");
    assert_string_equal(c->currency, "EUR");
    assert_string_equal(c->timezone, "Europe/Helsinki");

    assert_string_equal(c->stages.name, "stages");
    assert_int_equal(c->stages.n_steps, 4);
    assert_string_equal(c->stages.steps[0].name, "Reach");
    assert_string_equal(event0(&c->stages.steps[0].match), "page_view");
    assert_int_equal(c->stages.steps[1].match.n_events, 2);
    assert_string_equal(c->stages.steps[1].match.events[1], "newsletter_signup");
    assert_int_equal(c->stages.steps[3].match.occurrence, 2);
    assert_int_equal(c->stages.steps[2].match.occurrence, 0);
    assert_int_equal(c->stages.window_ms, 30 * DAY_MS);
    assert_int_equal(c->stages.order, ORDER_ORDERED);

    assert_int_equal(c->n_funnels, 2);
    const struct funnel_def *f = config_funnel(c, "Checkout");
    assert_non_null(f);
    assert_int_equal(f->window_ms, DAY_MS);
    assert_int_equal(f->n_steps, 4);
    assert_string_equal(f->steps[2].name, "begin_checkout");
    assert_string_equal(event0(&f->steps[2].match), "begin_checkout");

    assert_int_equal(c->n_goals, 4);
    assert_string_equal(c->goals[2].name, "Purchase");
    assert_int_equal(c->goals[2].kind, GOAL_MACRO);
    assert_int_equal(c->goals[2].value, 1);
    assert_int_equal(c->goals[0].kind, GOAL_MICRO);
    assert_int_equal(c->goals[0].value, 0);
    assert_int_equal(c->denominator, DENOM_VISITORS);

    assert_string_equal(event0(&c->cohorts.entry), "purchase");
    assert_int_equal(c->cohorts.period, PERIOD_MONTH);
    assert_int_equal(c->cohorts.periods, 12);
    assert_int_equal(c->inactive_after_ms, 90 * DAY_MS);

    assert_int_equal(c->n_tiers, 3);
    assert_string_equal(c->tiers[2].name, "Gold");
    assert_int_equal(c->n_segments, 4);
    const struct segment_def *s = config_segment(c, "Social");
    assert_non_null(s);
    assert_int_equal(s->n_where, 1);
    assert_string_equal(s->where[0].prop, "channel");
    assert_string_equal(s->where[0].values[0], "social");
    assert_int_equal(c->orders.present, 0);
    config_free(c);
    free(path);
}

/* Spot checks of the examples whose config says something particular. */
static void check_example(const char *name, const struct config *c)
{
    if (strncmp(name, "04-", 3) == 0) {
        assert_int_equal(c->stages.steps[1].match.has_min_value, 1);
        assert_true(c->stages.steps[1].match.min_value == 50);
    } else if (strncmp(name, "11-", 3) == 0) {
        const struct funnel_def *f = config_funnel(c, "Quotes");
        assert_non_null(f);
        assert_int_equal(f->n_steps, 3);
        assert_string_equal(f->steps[0].name, "quote_request");
        assert_string_equal(f->steps[2].name, "purchase");
        assert_int_equal(f->window_ms, 30 * DAY_MS);
        assert_int_equal(c->stages.n_steps, 0);
    } else if (strncmp(name, "13-", 3) == 0) {
        assert_string_equal(c->timezone, "Europe/Helsinki");
        assert_int_equal(c->stages.window_ms, DAY_MS);
    } else if (strncmp(name, "14-", 3) == 0) {
        assert_int_equal(c->funnels[0].window_ms, 3600 * 1000);
        assert_int_equal(c->funnels[0].order, ORDER_STRICT);
    } else if (strncmp(name, "16-", 3) == 0) {
        assert_int_equal(c->denominator, DENOM_SESSIONS);
    } else if (strncmp(name, "21-", 3) == 0) {
        assert_int_equal(c->cohorts.period, PERIOD_WEEK);
        assert_int_equal(c->cohorts.periods, 3);
    } else if (strncmp(name, "26-", 3) == 0) {
        assert_string_equal(c->events.purchase, "order_completed");
        assert_string_equal(c->events.refund, "refund");
        assert_string_equal(event0(&c->cohorts.entry), "order_completed");
    } else if (strncmp(name, "28-", 3) == 0) {
        assert_string_equal(config_tier(c, 300), "Silver");
    }
}

static void test_examples(void **state)
{
    (void)state;
    char *dir = src_path("../shared/examples");
    DIR *d = opendir(dir);
    if (!d) {
        print_message("# %s absent: examples skipped\n", dir);
        free(dir);
        return;
    }
    int loaded = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s/convtop.yaml", dir, de->d_name);
        if (access(path, R_OK) != 0)
            continue;
        struct config *c = load_file_ok(path);
        check_example(de->d_name, c);
        config_free(c);
        loaded++;
    }
    closedir(d);
    free(dir);
    assert_true(loaded >= 29);
}

static void check_defaults(const struct config *c)
{
    assert_string_equal(c->shop_name, "Shop");
    assert_string_equal(c->currency, "EUR");
    assert_string_equal(c->timezone, "UTC");
    assert_string_equal(c->stages.name, "stages");
    assert_int_equal(c->stages.n_steps, 0);
    assert_int_equal(c->stages.window_ms, 30 * DAY_MS);
    assert_int_equal(c->stages.order, ORDER_ORDERED);
    assert_int_equal(c->n_funnels, 0);
    assert_int_equal(c->n_goals, 0);
    assert_int_equal(c->denominator, DENOM_VISITORS);
    assert_int_equal(c->cohorts.entry.n_events, 1);
    assert_string_equal(c->cohorts.entry.events[0], "purchase");
    assert_string_equal(c->cohorts.ret.events[0], "purchase");
    assert_int_equal(c->cohorts.period, PERIOD_MONTH);
    assert_int_equal(c->cohorts.periods, 12);
    assert_int_equal(c->inactive_after_ms, 90 * DAY_MS);
    assert_string_equal(c->events.purchase, "purchase");
    assert_string_equal(c->events.refund, "refund");
    assert_string_equal(c->events.review, "review");
    assert_string_equal(c->events.page_view, "page_view");
    assert_int_equal(c->n_tiers, 0);
    assert_null(config_tier(c, 1e9));
    assert_int_equal(c->n_segments, 0);
    assert_int_equal(c->orders.present, 0);
    assert_null(c->orders.order);
}

static void test_defaults(void **state)
{
    (void)state;
    /* no file at all, an empty file, comments only, an empty document, null,
     * and empty maps: all mean "the defaults" */
    struct ct_errlist errs = {0};
    struct config *c = NULL;
    assert_int_equal(config_load(NULL, &c, &errs), 0);
    assert_string_equal(c->path, "(built-in)");
    check_defaults(c);
    config_free(c);
    const char *texts[] = {"",
                           "# nothing\n",
                           "---\n",
                           "~\n",
                           "shop:\nfunnel: {}\ncohorts:\n",
                           "goals: []\nfunnels:\nsegments: []\nloyalty: []\n"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        c = load_ok(texts[i]);
        assert_string_equal(c->path, "t.yaml");
        check_defaults(c);
        config_free(c);
    }
    /* an empty file on disk */
    char *dir = test_tmpdir();
    char *p = test_write(dir, "empty.yaml", "");
    c = load_file_ok(p);
    check_defaults(c);
    config_free(c);
    free(p);
    test_rmdir(dir);
}

static void test_inherit(void **state)
{
    (void)state;
    struct config *c = load_ok("funnels:\n"
                               "  - { name: Own, window: 5m, order: any, steps: [a, b] }\n"
                               "  - { name: Inherits, steps: [a] }\n"
                               "  - { name: Half, window: 2w, steps: [a] }\n"
                               "funnel: { window: 2h, order: strict }\n");
    assert_int_equal(c->stages.window_ms, 2 * 3600 * 1000);
    assert_int_equal(c->stages.order, ORDER_STRICT);
    assert_int_equal(config_funnel(c, "Own")->window_ms, 5 * 60 * 1000);
    assert_int_equal(config_funnel(c, "Own")->order, ORDER_ANY);
    /* funnel: comes after funnels: in the file and still is inherited */
    assert_int_equal(config_funnel(c, "Inherits")->window_ms, 2 * 3600 * 1000);
    assert_int_equal(config_funnel(c, "Inherits")->order, ORDER_STRICT);
    assert_int_equal(config_funnel(c, "Half")->window_ms, 14 * DAY_MS);
    assert_int_equal(config_funnel(c, "Half")->order, ORDER_STRICT);
    config_free(c);
    /* without funnel:, the SPEC 5.0 defaults are inherited */
    c = load_ok("funnels: [{ name: F, steps: [a] }]\n");
    assert_int_equal(c->funnels[0].window_ms, 30 * DAY_MS);
    assert_int_equal(c->funnels[0].order, ORDER_ORDERED);
    config_free(c);
}

static void test_durations(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int64_t ms;
    } table[] = {
        {"30d", INT64_C(2592000000)},
        {"1h", 3600000},
        {"5m", 300000},
        {"90", 90000},
        {"90s", 90000},
        {"2w", 14 * DAY_MS},
        {"1.5d", 36 * 3600 * 1000}, /* a fraction is allowed: 36 hours */
        {"0.5s", 500},
        {"36500d", 36500 * DAY_MS}, /* the longest */
        {"0d", -1},                 /* windows are positive */
        {"0", -1},
        {"-1d", -1},
        {"1y", -1}, /* years and months have no fixed length */
        {"30 days", -1},
        {"30 d", -1},
        {"30D", -1},
        {"d", -1},
        {"", -1},
        {"1.d", -1},
        {".5d", -1},
        {"1e3", -1},
        {"1dd", -1},
        {"+1d", -1},
        {"36501d", -1},
        {"99999999999999999999999w", -1},
        {"0.0001s", -1}, /* rounds to 0 ms */
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        int64_t got = config_parse_duration(table[i].text);
        if (got != table[i].ms)
            print_message("duration '%s': want %lld, got %lld\n", table[i].text,
                          (long long)table[i].ms, (long long)got);
        assert_true(got == table[i].ms);
    }
    assert_int_equal(config_parse_duration(NULL), -1);
    /* in a file: a bare YAML number is seconds, a quoted duration is fine */
    struct config *c = load_ok("funnel: { window: 90 }\nchurn: { inactive_after: \"12w\" }\n");
    assert_int_equal(c->stages.window_ms, 90000);
    assert_int_equal(c->inactive_after_ms, 84 * DAY_MS);
    config_free(c);
}

static void test_matchers(void **state)
{
    (void)state;
    struct config *c = load_ok(
        "goals:\n"
        "  - { name: Str, kind: micro, match: signup }\n"
        "  - { name: List, kind: micro, match: [a, b, c] }\n"
        "  - { name: Map, kind: macro, match: { event: purchase } }\n"
        "  - { name: MapList, kind: macro, match: { event: [x, y], min_value: -2.5 } }\n"
        "  - name: Where\n"
        "    kind: micro\n"
        "    match:\n"
        "      event: click\n"
        "      where: { channel: social, value: 10, flag: yes, plan: [pro, 'team'], empty: '' }\n"
        "      occurrence: 3\n"
        "  - { name: Any, kind: micro, match: { where: { channel: ads } } }\n"
        "  - { name: Numeric, kind: micro, match: 404 }\n");
    assert_int_equal(c->n_goals, 7);
    const struct matcher *m = &c->goals[0].match;
    assert_int_equal(m->n_events, 1);
    assert_string_equal(m->events[0], "signup");
    assert_int_equal(m->has_min_value, 0);
    assert_int_equal(m->occurrence, 0);
    m = &c->goals[1].match;
    assert_int_equal(m->n_events, 3);
    assert_string_equal(m->events[2], "c");
    m = &c->goals[2].match;
    assert_int_equal(m->n_events, 1);
    assert_string_equal(m->events[0], "purchase");
    m = &c->goals[3].match;
    assert_int_equal(m->n_events, 2);
    assert_int_equal(m->has_min_value, 1);
    assert_true(m->min_value == -2.5);
    m = &c->goals[4].match;
    assert_int_equal(m->occurrence, 3);
    assert_int_equal(m->n_where, 5);
    assert_string_equal(m->where[0].prop, "channel");
    assert_string_equal(m->where[0].values[0], "social");
    /* values in where: stay text, as written */
    assert_string_equal(m->where[1].values[0], "10");
    assert_string_equal(m->where[2].values[0], "yes");
    assert_int_equal(m->where[3].n_values, 2);
    assert_string_equal(m->where[3].values[1], "team");
    assert_string_equal(m->where[4].values[0], "");
    m = &c->goals[5].match;
    assert_int_equal(m->n_events, 0); /* any event */
    assert_int_equal(m->n_where, 1);
    assert_string_equal(event0(&c->goals[6].match), "404");
    config_free(c);
}

static void test_steps_and_aliases(void **state)
{
    (void)state;
    struct config *c = load_ok("stages:\n"
                               "  - page_view\n"
                               "  - { name: Bought, match: &buy { event: purchase } }\n"
                               "  - { name: Again, match: { event: purchase, occurrence: 2 } }\n"
                               "funnels:\n"
                               "  - name: Quotes\n"
                               "    steps: &quote [quote_request, quote_sent, purchase]\n"
                               "  - name: Same\n"
                               "    steps: *quote\n"
                               "  - name: Mixed\n"
                               "    steps: [a, { name: B, match: *buy }]\n");
    assert_int_equal(c->stages.n_steps, 3);
    assert_string_equal(c->stages.steps[0].name, "page_view");
    assert_string_equal(event0(&c->stages.steps[0].match), "page_view");
    assert_string_equal(c->stages.steps[1].name, "Bought");
    assert_int_equal(c->stages.steps[2].match.occurrence, 2);
    const struct funnel_def *f = config_funnel(c, "Same");
    assert_non_null(f);
    assert_int_equal(f->n_steps, 3);
    assert_string_equal(f->steps[1].name, "quote_sent");
    f = config_funnel(c, "Mixed");
    assert_string_equal(event0(&f->steps[1].match), "purchase");
    assert_ptr_equal(config_funnel(c, "stages"), &c->stages);
    assert_ptr_equal(config_funnel(c, NULL), &c->stages);
    assert_null(config_funnel(c, "quotes")); /* names are case-sensitive */
    assert_null(config_segment(c, "x"));
    config_free(c);
}

static void test_events_map(void **state)
{
    (void)state;
    /* renaming purchase moves the fixed meaning and the cohort defaults, but
     * a matcher that says purchase still means the raw event "purchase" */
    struct config *c = load_ok("events: { purchase: order_completed, page_view: screen }\n"
                               "goals: [{ name: P, kind: macro, match: purchase }]\n"
                               "cohorts: { return: purchase }\n");
    assert_string_equal(c->events.purchase, "order_completed");
    assert_string_equal(c->events.page_view, "screen");
    assert_string_equal(c->events.review, "review");
    assert_string_equal(event0(&c->goals[0].match), "purchase");
    assert_string_equal(event0(&c->cohorts.entry), "order_completed");
    assert_string_equal(event0(&c->cohorts.ret), "purchase");
    config_free(c);
}

static void test_tiers_and_all_keys(void **state)
{
    (void)state;
    char *path = src_path("tests/data/config/ok-all-keys.yaml");
    struct config *c = load_file_ok(path);
    free(path);
    assert_string_equal(c->currency, "SEK");
    assert_string_equal(c->events.refund, "order_refunded");
    assert_int_equal(c->stages.window_ms, 2 * 3600 * 1000);
    const struct matcher *m = &c->stages.steps[1].match;
    assert_int_equal(m->n_events, 2);
    assert_int_equal(m->n_where, 2);
    assert_int_equal(m->where[0].n_values, 2);
    assert_true(m->min_value == 9.5);
    assert_int_equal(m->occurrence, 2);
    assert_int_equal(c->funnels[0].order, ORDER_ANY);
    assert_string_equal(c->funnels[0].steps[1].name, "Paid");
    assert_int_equal(c->goals[1].value, 1);
    assert_int_equal(c->denominator, DENOM_SESSIONS);
    assert_string_equal(event0(&c->cohorts.entry), "signup");
    assert_int_equal(c->cohorts.ret.n_events, 2);
    assert_int_equal(c->cohorts.period, PERIOD_WEEK);
    assert_int_equal(c->cohorts.periods, 26);
    assert_int_equal(c->inactive_after_ms, 56 * DAY_MS);
    /* tiers come sorted ascending by min_spend whatever the file's order */
    assert_int_equal(c->n_tiers, 3);
    assert_string_equal(c->tiers[0].name, "Bronze");
    assert_string_equal(c->tiers[1].name, "Silver");
    assert_string_equal(c->tiers[2].name, "Gold");
    assert_null(config_tier(c, -0.01));
    assert_string_equal(config_tier(c, 0), "Bronze");
    assert_string_equal(config_tier(c, 250.49), "Bronze");
    assert_string_equal(config_tier(c, 250.5), "Silver");
    assert_string_equal(config_tier(c, 1e6), "Gold");
    assert_int_equal(c->segments[0].where[0].n_values, 3);
    assert_int_equal(c->orders.present, 1);
    assert_string_equal(c->orders.customer, "Customer ID");
    assert_string_equal(c->orders.cancel_prefix, "C");
    assert_string_equal(c->orders.total, "Total");
    config_free(c);
}

/* ------------------------------------------------------------- bad configs */

static const struct bad_case {
    const char *yaml;
    long line, col;
    const char *fragment;
} bad_cases[] = {
    /* YAML syntax: libyaml's problem at its mark */
    {"shop:\n  name: [Demo\nstages: []\n", 3, 7, "YAML syntax error"},
    {"shop:\n  name: a\n    b: c\n", 3, 6, "mapping values are not allowed"},
    {"a: 'open\n", 2, 1, "YAML syntax error"},
    {"goals: *nowhere\n", 1, 8, "undefined alias"},
    {"shop: { name: \"A\xff\" }\n", 1, 17, "invalid"},
    /* the shape of the document */
    {"- shop\n- stages\n", 1, 1, "the config must be a map of keys"},
    {"shop: x\n---\nshop: y\n", 2, 1, "second YAML document"},
    {"shop: { name: A }\nshop: { name: B }\n", 2, 1, "duplicate key 'shop' (first at line 1"},
    {"? [a, b]\n: c\n", 1, 3, "a key must be a name"},
    {"funnel: &f { window: 1d }\nchurn: { <<: *f }\n", 2, 10, "merge keys (<<) are not supported"},
    /* unknown keys, with and without a hint */
    {"stagse: []\n", 1, 1, "unknown key 'stagse' at the top level (did you mean 'stages'?)"},
    {"funnel:\n  windw: 1d\n", 2, 3, "unknown key 'windw' in funnel (did you mean 'window'?)"},
    {"shop: { colour: red }\n", 1, 9, "unknown key 'colour' in shop"},
    {"goals: [{ name: G, kind: micro, match: { evnt: a } }]\n", 1, 42,
     "unknown key 'evnt' in matcher (did you mean 'event'?)"},
    {"funnels: [{ name: F, steps: [a], ordr: any }]\n", 1, 34,
     "unknown key 'ordr' in funnel 'F' (did you mean 'order'?)"},
    /* wrong types */
    {"goals: purchase\n", 1, 8, "goals must be a list of goals, not 'purchase'"},
    {"cohorts:\n  periods: { a: 1 }\n", 2, 12, "periods must be a whole number, not a map"},
    {"shop: [a]\n", 1, 7, "shop must be a map of keys, not a list"},
    {"shop: { name: [a, b] }\n", 1, 15, "name must be a string, not a list"},
    {"cohorts: { periods: \"12\" }\n", 1, 21, "not the quoted string '12'"},
    {"goals: [{ name: G, kind: micro, match: a, value: maybe }]\n", 1, 50,
     "value must be true or false, not 'maybe'"},
    {"stages: [[a, b]]\n", 1, 10, "each stage must be a map or an event name, not a list"},
    {"goals: [purchase]\n", 1, 9, "each goal must be a map, not 'purchase'"},
    {"shop: { name: }\n", 1, 15, "name needs a value"},
    {"shop: { name: \"\" }\n", 1, 15, "name must not be empty"},
    {"shop: { name: \"a\\tb\" }\n", 1, 15, "control characters"},
    {"shop: { name: \"a\\0b\" }\n", 1, 15, "control characters"},
    /* a bad value keeps its default, so keys whose default follows it still load */
    {"events: { purchase: [a] }\n", 1, 21, "purchase must be a string, not a list"},
    /* durations */
    {"funnel: { window: 30 days }\n", 1, 19, "bad duration '30 days' for window"},
    {"funnel: { window: 0d }\n", 1, 19, "window must be positive, not '0d'"},
    {"churn: { inactive_after: -1d }\n", 1, 26, "inactive_after must be positive, not '-1d'"},
    {"funnel: { window: 1y }\n", 1, 19, "bad duration '1y'"},
    {"funnel: { window: 40000d }\n", 1, 19, "too long"},
    /* enums and ranges */
    {"funnel: { order: sequential }\n", 1, 18,
     "unknown order 'sequential' (use ordered, strict or any)"},
    {"funnel: { order: Ordered }\n", 1, 18, "(did you mean 'ordered'?)"},
    {"cohorts: { period: year }\n", 1, 20, "unknown period 'year' (use day, week or month)"},
    {"cohorts: { periods: 0 }\n", 1, 21, "periods must be at least 1, not 0"},
    {"cohorts: { periods: 521 }\n", 1, 21, "periods must be at most 520, not 521"},
    {"cohorts: { periods: 99999999999999999999 }\n", 1, 21, "at most 520"},
    {"cohorts: { periods: 1.5 }\n", 1, 21, "must be a whole number, not '1.5'"},
    {"conversion_rate: { denominator: users }\n", 1, 33, "unknown denominator 'users'"},
    {"goals: [{ name: G, kind: mikro, match: a }]\n", 1, 26,
     "unknown kind 'mikro' (did you mean 'micro'?)"},
    {"shop: { timezone: Mars/Olympus }\n", 1, 19, "unknown time zone 'Mars/Olympus'"},
    {"shop: { timezone: ../../etc/passwd }\n", 1, 19, "unknown time zone"},
    /* lists and names */
    {"funnels: [{ name: F, steps: [] }]\n", 1, 29, "steps needs at least one step"},
    {"funnels: [{ name: F }]\n", 1, 11, "missing key 'steps' in funnel 'F'"},
    {"stages: []\n", 1, 9, "stages needs at least one stage"},
    {"stages: [{ name: A, match: [] }]\n", 1, 28, "match has an empty list of event names"},
    {"stages: [{ name: A, match: { event: [] } }]\n", 1, 37, "event has an empty list"},
    {"stages: [{ name: A, match: }]\n", 1, 28, "match needs an event name"},
    {"stages: [{ name: A }]\n", 1, 10, "missing key 'match' in stage 'A'"},
    {"goals: [{ kind: micro, match: a }]\n", 1, 9, "missing key 'name' in goal"},
    {"funnels: [{ name: F, steps: [a, b, a] }]\n", 1, 36,
     "duplicate step name 'a' (first at line 1, column 30)"},
    {"stages: [{ name: A, match: a }, { name: A, match: b }]\n", 1, 41, "duplicate stage name 'A'"},
    {"goals:\n  - { name: G, kind: micro, match: a }\n  - { name: G, kind: macro, match: b }\n", 3,
     13, "duplicate goal name 'G' (first at line 2, column 13)"},
    {"funnels:\n  - { name: F, steps: [a] }\n  - { name: F, steps: [b] }\n", 3, 13,
     "duplicate funnel name 'F'"},
    {"segments: [{ name: S, where: { a: b } }, { name: S, where: { a: c } }]\n", 1, 50,
     "duplicate segment name 'S'"},
    {"loyalty: [{ tier: T, min_spend: 0 }, { tier: T, min_spend: 5 }]\n", 1, 46,
     "duplicate tier name 'T'"},
    {"funnels: [{ name: stages, steps: [a] }]\n", 1, 19, "funnel name 'stages' is reserved"},
    /* matchers, where, numbers */
    {"stages: [{ name: A, match: { event: a, occurrence: 0 } }]\n", 1, 52,
     "occurrence must be at least 1, not 0"},
    {"stages: [{ name: A, match: { event: a, min_value: abc } }]\n", 1, 51,
     "min_value must be a number, not 'abc'"},
    {"stages: [{ name: A, match: { event: a, min_value: .nan } }]\n", 1, 51,
     "min_value must be a number"},
    {"stages: [{ name: A, match: { event: a, where: [x] } }]\n", 1, 47,
     "where must be a map of property: value, not a list"},
    {"segments: [{ name: S, where: { channel: { a: b } } }]\n", 1, 41,
     "property 'channel' must be a value or a list of values, not a map"},
    {"segments: [{ name: S, where: { channel: [] } }]\n", 1, 41,
     "property 'channel' has an empty list of values"},
    {"segments: [{ name: S, where: { channel: } }]\n", 1, 41, "property 'channel' needs a value"},
    {"segments: [{ name: S, where: { a: 1, a: 2 } }]\n", 1, 38, "duplicate key 'a'"},
    {"loyalty: [{ tier: T, min_spend: lots }]\n", 1, 33, "min_spend must be a number"},
    {"loyalty: [{ tier: A, min_spend: 10 }, { tier: B, min_spend: 10.0 }]\n", 1, 61,
     "tiers 'A' and 'B' have the same min_spend"},
    /* import mapping */
    {"import:\n  orders: { order: No, customer: Cust, time: T, quantity: Q }\n", 2, 11,
     "needs a total column, or quantity and price"},
    {"import:\n  orders: { customer: Cust, time: T, total: X }\n", 2, 11,
     "missing key 'order' in import.orders"},
};

static void test_bad_configs(void **state)
{
    (void)state;
    assert_true(sizeof bad_cases / sizeof bad_cases[0] >= 25);
    /* every case runs, so one run shows every difference */
    int failed = 0;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const struct bad_case *b = &bad_cases[i];
        struct ct_errlist errs = load_bad(b->yaml, strlen(b->yaml));
        if (errs.n != 1 || !is_problem(&errs.items[0], b->line, b->col, b->fragment)) {
            print_message("case %zu: %s", i, b->yaml);
            print_errors(&errs);
            failed++;
        }
        ct_errlist_free(&errs);
    }
    assert_int_equal(failed, 0);
}

static void test_many_mistakes(void **state)
{
    (void)state;
    /* every line marked "bad" in the file, in file order */
    static const struct {
        long line, col;
        const char *fragment;
    } want[] = {
        {4, 13, "unknown time zone 'Europe/Helsinky'"},
        {6, 3, "unknown key 'windw' in funnel (did you mean 'window'?)"},
        {10, 13, "duplicate stage name 'Reach' (first at line 9, column 13)"},
        {13, 13, "bad duration '30 days'"},
        {16, 12, "steps needs at least one step"},
        {18, 27, "unknown kind 'mikro'"},
        {19, 68, "min_value must be a number, not 'lots'"},
        {20, 33, "unknown denominator 'users'"},
        {22, 11, "unknown period 'year'"},
        {23, 12, "periods must be at least 1, not 0"},
        {26, 32, "min_spend must be a number, not the quoted string '0'"},
        {28, 28, "where must be a map of property: value, not 'social'"},
    };
    char *path = src_path("tests/data/config/many-mistakes.yaml");
    struct ct_errlist errs = {0};
    struct config *c = NULL;
    assert_int_equal(config_load(path, &c, &errs), CT_ERR_CONFIG);
    assert_null(c);
    size_t n = sizeof want / sizeof want[0];
    if (errs.n != n)
        print_errors(&errs);
    assert_int_equal(errs.n, n);
    for (size_t i = 0; i < n; i++) {
        const struct ct_error *e = &errs.items[i];
        if (e->line != want[i].line || e->col != want[i].col || !strstr(e->msg, want[i].fragment))
            print_message("item %zu: want %ld:%ld %s\n got %ld:%ld %s\n", i, want[i].line,
                          want[i].col, want[i].fragment, e->line, e->col, e->msg);
        assert_int_equal(e->line, want[i].line);
        assert_int_equal(e->col, want[i].col);
        assert_non_null(strstr(e->msg, want[i].fragment));
        assert_string_equal(e->file, path);
    }
    ct_errlist_free(&errs);
    free(path);
}

static void test_too_many_problems(void **state)
{
    (void)state;
    char *text = malloc(200 * 16);
    size_t len = 0;
    for (int i = 0; i < 200; i++)
        len += (size_t)sprintf(text + len, "junk%d: 1\n", i);
    struct ct_errlist errs = load_bad(text, len);
    assert_true(errs.n <= 50);
    assert_string_equal(errs.items[0].msg, "unknown key 'junk0' at the top level");
    assert_int_equal(errs.items[errs.n - 1].line, 0);
    assert_non_null(strstr(errs.items[errs.n - 1].msg, "too many problems"));
    ct_errlist_free(&errs);
    free(text);
}

/* -------------------------------------------------------- hostile input */

static void test_alias_bomb(void **state)
{
    (void)state;
    /* billion laughs where the walk would follow it: 10^9 event names */
    const char *bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                       "stages:\n"
                       "  - &s { name: S, match: { event: *a } }\n"
                       "  - &s1 [*s, *s, *s, *s, *s, *s, *s, *s, *s, *s]\n";
    struct ct_errlist errs = load_bad(bomb, strlen(bomb));
    ct_errlist_free(&errs);
    /* a real one: each level ten times the one before, under goals */
    char text[4096];
    size_t len = (size_t)sprintf(text, "lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, "
                                       "lol, lol]\n");
    for (int i = 1; i <= 9; i++)
        len += (size_t)sprintf(text + len,
                               "lol%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, "
                               "*l%d]\n",
                               i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
                               i - 1);
    /* unknown keys are never walked */
    errs = load_bad(text, len);
    assert_int_equal(errs.n, 10);
    ct_errlist_free(&errs);
    /* a segment whose where lists the lot: nested lists are refused at once */
    len += (size_t)sprintf(text + len, "segments: [{ name: S, where: { p: *l9 } }]\n");
    errs = load_bad(text, len);
    ct_errlist_free(&errs);
    /* the steps of a funnel that expand to 10^8 names: the budget stops it */
    len += (size_t)sprintf(text + len, "m: &m { event: *l1 }\n"
                                       "st: &st { name: S, match: *m }\n"
                                       "s2: &s2 [*st, *st, *st, *st, *st, *st, *st, *st, *st, "
                                       "*st]\n"
                                       "funnels: [&f { name: F, steps: *s2 }, *f, *f, *f, *f, "
                                       "*f, *f, *f, *f, *f]\n");
    errs = load_bad(text, len);
    ct_errlist_free(&errs);
    /* a cycle: the walk follows the schema, not the graph */
    const char *cycle = "stages: &c [{ name: A, match: *c }]\n";
    errs = load_bad(cycle, strlen(cycle));
    assert_int_equal(errs.n, 1);
    ct_errlist_free(&errs);
}

static void test_budget(void **state)
{
    (void)state;
    /* 1000 funnels x 1000 steps through aliases: far past the budget (the
     * funnels share one name, but the budget runs out before names are
     * compared) */
    struct {
        char *p;
        size_t len;
    } sb = {malloc(64 * 1024), 0};
    sb.len += (size_t)sprintf(sb.p + sb.len, "x: &s [");
    for (int i = 0; i < 1000; i++)
        sb.len += (size_t)sprintf(sb.p + sb.len, "%sa%d", i ? "," : "", i);
    sb.len += (size_t)sprintf(sb.p + sb.len, "]\nfunnels:\n - &f { name: F, steps: *s }\n");
    for (int i = 0; i < 999; i++)
        sb.len += (size_t)sprintf(sb.p + sb.len, " - *f\n");
    struct ct_errlist errs = load_bad(sb.p, sb.len);
    int budget = 0;
    for (size_t i = 0; i < errs.n; i++)
        budget |= strstr(errs.items[i].msg, "aliases expand to too many nodes") != NULL;
    assert_true(budget);
    ct_errlist_free(&errs);
    free(sb.p);
}

static void test_deep_and_huge(void **state)
{
    (void)state;
    /* 200000 levels of [ would take libyaml minutes; refused at level 33 */
    size_t n = 200000;
    char *deep = malloc(2 * n + 16);
    size_t len = (size_t)sprintf(deep, "stages: ");
    memset(deep + len, '[', n);
    memset(deep + len + n, ']', n);
    len += 2 * n;
    struct ct_errlist errs = load_bad(deep, len);
    assert_int_equal(errs.n, 1);
    assert_int_equal(errs.items[0].line, 1);
    assert_int_equal(errs.items[0].col, 9 + 31);
    assert_non_null(strstr(errs.items[0].msg, "nesting deeper than 32 levels"));
    ct_errlist_free(&errs);
    free(deep);

    /* exactly 1 MiB is read; one byte more is refused */
    char *dir = test_tmpdir();
    size_t mib = 1 << 20;
    char *big = malloc(mib + 2);
    memset(big, ' ', mib + 1);
    big[0] = '#';
    big[mib - 1] = '\n';
    big[mib] = '\0';
    char *p = test_write(dir, "mib.yaml", big);
    struct config *c = load_file_ok(p);
    config_free(c);
    free(p);
    big[mib] = '\n';
    big[mib + 1] = '\0';
    p = test_write(dir, "big.yaml", big);
    struct ct_errlist e2 = {0};
    assert_int_equal(config_load(p, &c, &e2), CT_ERR_CONFIG);
    assert_int_equal(e2.n, 1);
    assert_int_equal(e2.items[0].line, 0);
    assert_non_null(strstr(e2.items[0].msg, "larger than 1 MiB"));
    assert_string_equal(e2.items[0].file, p);
    ct_errlist_free(&e2);
    e2 = load_bad(big, mib + 1);
    ct_errlist_free(&e2);
    free(p);
    free(big);

    /* a missing file and a directory */
    char missing[600];
    snprintf(missing, sizeof missing, "%s/none.yaml", dir);
    assert_int_equal(config_load(missing, &c, &e2), CT_ERR_CONFIG);
    assert_non_null(strstr(e2.items[0].msg, "cannot open the config"));
    ct_errlist_free(&e2);
    assert_int_equal(config_load(dir, &c, &e2), CT_ERR_CONFIG);
    assert_non_null(strstr(e2.items[0].msg, "cannot read the config"));
    ct_errlist_free(&e2);
    test_rmdir(dir);
}

static void test_garbage(void **state)
{
    (void)state;
    /* binary noise never crashes and always fails or loads cleanly */
    static const char alphabet[] = "ab: -[]{}&*!|>'\"%@`,#?\n\t\x01\xc3\xa9x0";
    unsigned seed = 12345;
    char buf[512];
    for (int round = 0; round < 300; round++) {
        size_t len = 1 + (size_t)(round % 500);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        struct ct_errlist errs = {0};
        struct config *c = NULL;
        int rc = config_load_text(buf, len, "t.yaml", &c, &errs);
        assert_true((rc == 0) == (c != NULL));
        assert_true((rc == 0) == (errs.n == 0));
        config_free(c);
        ct_errlist_free(&errs);
    }
}

/* ------------------------------------------------------------ the table */

static void test_schema_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < config_n_keys; i++) {
        const struct cfg_key *k = &config_keys[i];
        assert_non_null(k->help);
        assert_ptr_equal(config_key_find(k->path), k);
        if (k->def && k->def[0] == '@') {
            /* the source comes earlier, outside any list */
            const struct cfg_key *src = config_key_find(k->def + 1);
            assert_non_null(src);
            assert_true(src < k);
            assert_null(strchr(src->path, '['));
        }
        if (k->type == CFG_ENUM)
            assert_non_null(k->choices);
        if (k->type == CFG_LIST) {
            assert_non_null(k->noun);
            assert_true(k->elem_size > 0);
        }
        if (k->type == CFG_INT)
            assert_true(k->min <= k->max);
    }
    assert_string_equal(config_key_suggest("", "stagse"), "stages");
    assert_string_equal(config_key_suggest("funnels[]", "stpes"), "steps");
    assert_string_equal(config_key_suggest("matcher", "occurence"), "occurrence");
    assert_null(config_key_suggest("", "zzzzzz"));
    assert_string_equal(config_key_at(config_key_find("funnels[].steps"), "funnels[]"), "steps");
    assert_null(config_key_at(config_key_find("funnels[].steps[].name"), "funnels[]"));
    assert_null(config_key_at(config_key_find("matcher.event"), ""));
}

/* convtop.1 has a paragraph per row: the path, its type and default, and the
 * help line, exactly as in the table. */
static void test_man_page(void **state)
{
    (void)state;
    char *path = src_path("convtop.1");
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char man[1 << 17];
    size_t n = fread(man, 1, sizeof man - 1, f);
    man[n] = '\0';
    fclose(f);
    for (size_t i = 0; i < config_n_keys; i++) {
        const struct cfg_key *k = &config_keys[i];
        char type[128], want[512];
        config_key_type(k, type, sizeof type);
        int len;
        if (k->flags & CFG_REQUIRED)
            len = snprintf(want, sizeof want, ".TP\n\\fB%s\\fR (%s, required)\n", k->path, type);
        else if (k->def && k->def[0] == '@')
            len = snprintf(want, sizeof want, ".TP\n\\fB%s\\fR (%s, default: %s)\n", k->path, type,
                           k->def + 1);
        else if (k->def)
            len = snprintf(want, sizeof want, ".TP\n\\fB%s\\fR (%s, default: %s)\n", k->path, type,
                           k->def);
        else
            len = snprintf(want, sizeof want, ".TP\n\\fB%s\\fR (%s)\n", k->path, type);
        /* roff: a hyphen that is a minus (--funnel, 1-5) is written \- */
        for (const char *h = k->help; *h && (size_t)len + 3 < sizeof want; h++) {
            if (*h == '-')
                want[len++] = '\\';
            want[len++] = *h;
        }
        want[len++] = '\n';
        want[len] = '\0';
        if (!strstr(man, want))
            print_message("convtop.1 lacks:\n%s", want);
        assert_non_null(strstr(man, want));
    }
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_file),       cmocka_unit_test(test_examples),
        cmocka_unit_test(test_defaults),           cmocka_unit_test(test_inherit),
        cmocka_unit_test(test_durations),          cmocka_unit_test(test_matchers),
        cmocka_unit_test(test_steps_and_aliases),  cmocka_unit_test(test_events_map),
        cmocka_unit_test(test_tiers_and_all_keys), cmocka_unit_test(test_bad_configs),
        cmocka_unit_test(test_many_mistakes),      cmocka_unit_test(test_too_many_problems),
        cmocka_unit_test(test_alias_bomb),         cmocka_unit_test(test_budget),
        cmocka_unit_test(test_deep_and_huge),      cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_schema_table),       cmocka_unit_test(test_man_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
