/*
 * cmd_demo.c - `convtop demo`: create the demo shop (SPEC 3.2, 7).
 *
 * Owns: the command's options and its summary.  Must not shape the data
 * (model/demo.c) or talk to the store itself (app/demo_db.c).
 */
#include "autoconf.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/demo_db.h"
#include "app/demo_live_loop.h"
#include "app/paths.h"
#include "model/demo.h"
#include "model/mem.h"
#include "ui/format.h"

enum { OPT_DB, OPT_CUSTOMERS, OPT_SEED, OPT_QUIET, OPT_LIVE, OPT_RATE };

static const struct cli_opt opts[] = {
    {"db", "FILE", "write into FILE (default: the demo database)", OPT_DB},
    {"customers", "N", "simulated visitors (default 20000, about 15 events each)", OPT_CUSTOMERS},
    {"seed", "N", "random seed (default 1): same seed and size, same shop", OPT_SEED},
    {"quiet", NULL, "print nothing when all goes well", OPT_QUIET},
    {"live", NULL, "then keep adding events at the wall clock until Ctrl-C", OPT_LIVE},
    {"rate", "N", "--live: about N events a second (default 10)", OPT_RATE},
    {NULL, NULL, NULL, 0},
};

static const struct cli_spec spec = {
    "convtop demo [--db FILE] [--customers N] [--seed N] [--quiet] [--live [--rate N]]",
    "Create a realistic demo shop: visitors from search, social, e-mail, direct,\n"
    "ads and referral; sessions, carts, orders, refunds, reviews, newsletter\n"
    "signups and quote requests from " DEMO_FIRST_DAY " to " DEMO_LAST_DAY " (" DEMO_TIMEZONE ").\n"
    "The shop's marketing spend comes with it, for the costs view and report.\n"
    "Every stage, funnel, goal, cohort, segment and tier of the default\n"
    "configuration gets meaningful numbers.  Running it again adds nothing.",
    opts,
    "The demo database is $XDG_DATA_HOME/convtop/demo.db (default ~/.local/share);\n"
    "open it with: convtop --demo\n\n"
    "--live keeps the shop selling: new visitors arrive and go through the same\n"
    "journeys (first visits, carts, purchases, returns weeks later on a fast\n"
    "clock, the occasional refund and review), stamped with the current time and\n"
    "committed four times a second.  Ctrl-C stops it after the current batch.\n"
    "The live demo has its own database, demo-live.db, whose 18 months of history\n"
    "end the day before it is made, so the new events follow on.\n"
    "convtop --demo --live opens the TUI on it with the generator running.",
};

struct args {
    const char *db;
    int64_t customers;
    uint64_t seed;
    int quiet, live;
    double rate;
};

/* A whole decimal number in [min, max]; -1 when s is not one. */
static int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int on_opt(int id, const char *arg, void *ctx, struct ct_error *err)
{
    struct args *a = ctx;
    uint64_t v;
    switch (id) {
    case OPT_DB:
        a->db = arg;
        break;
    case OPT_CUSTOMERS:
        if (parse_u64(arg, 1, (uint64_t)DEMO_MAX_CUSTOMERS, &v))
            return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                                "--customers takes a whole number from 1 to %" PRId64 ", not '%s'",
                                DEMO_MAX_CUSTOMERS, arg);
        a->customers = (int64_t)v;
        break;
    case OPT_SEED:
        if (parse_u64(arg, 0, UINT64_MAX, &v))
            return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                                "--seed takes a whole number from 0 to %" PRIu64 ", not '%s'",
                                UINT64_MAX, arg);
        a->seed = v;
        break;
    case OPT_QUIET:
        a->quiet = 1;
        break;
    case OPT_LIVE:
        a->live = 1;
        break;
    case OPT_RATE: {
        char *end;
        a->rate = strtod(arg, &end);
        if (*end || !(a->rate > 0 && a->rate <= 100000))
            return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                                "--rate takes events per second from 0.1 to 100000, not '%s'",
                                arg);
        break;
    }
    }
    return 0;
}

static void print_summary(const char *path, const struct args *a, const struct demo_db_totals *t)
{
    char n1[32], n2[32], m1[48];
    printf("Demo shop in %s (seed %" PRIu64 ")\n", path, a->seed);
    fmt_count(t->customers, n1, sizeof n1);
    fmt_count(t->repeat_buyers, n2, sizeof n2);
    printf("  customers   %12s   %s bought more than once\n", n1, n2);
    fmt_count(t->events, n1, sizeof n1);
    fmt_count(t->added, n2, sizeof n2);
    printf("  events      %12s   %s new", n1, n2);
    if (t->duplicates) {
        fmt_count(t->duplicates, n2, sizeof n2);
        printf(", %s already there", n2);
    }
    putchar('\n');
    fmt_count(t->purchases, n1, sizeof n1);
    printf("  purchases   %12s\n", n1);
    fmt_count(t->refunds, n1, sizeof n1);
    fmt_money(t->refunded, 0, m1, sizeof m1);
    printf("  refunds     %12s   %s EUR\n", n1, m1);
    fmt_money(t->revenue, 0, m1, sizeof m1);
    printf("  revenue     %12s EUR\n", m1);
    fmt_count(t->spend_rows, n1, sizeof n1);
    fmt_money(t->acquisition_spend, 0, m1, sizeof m1);
    fmt_money(t->retention_spend, 0, n2, sizeof n2);
    printf("  spend       %12s   records: %s EUR to win customers, %s EUR to keep them\n", n1, m1,
           n2);
    printf("  days        %s to %s\n", t->first_day, t->last_day);
    printf("  took        %.1f s\n", t->seconds);
}

static atomic_int stop_live;

static void on_stop(int sig)
{
    (void)sig;
    atomic_store(&stop_live, 1);
}

int cmd_demo(int argc, char **argv, struct ct_error *err)
{
    struct args a = {NULL, DEMO_DEFAULT_CUSTOMERS, DEMO_DEFAULT_SEED, 0, 0, DEMO_LIVE_RATE};
    char **pos;
    int npos, help;
    int rc = cli_parse(argc, argv, &spec, on_opt, &a, &pos, &npos, &help, err);
    if (!rc && !help && npos > 0)
        rc = ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                          "convtop demo takes no file name; use --db FILE");
    free(pos);
    if (rc || help)
        return rc;
    char *path = a.db ? xstrdup(a.db) : paths_demo_db(a.live);
    if (a.live) {
        /* open the shop (creating it when missing), then keep it selling */
        rc = demo_ensure(path, 1, err);
        if (!rc) {
            signal(SIGINT, on_stop);
            signal(SIGTERM, on_stop);
            if (!a.quiet)
                fprintf(stderr, "convtop: the demo shop %s is selling; Ctrl-C stops it\n", path);
            rc = demo_live_loop(path, a.rate, a.seed, a.quiet, &stop_live, err);
        }
        free(path);
        return rc;
    }
    struct demo_db_opts o = {.seed = a.seed, .customers = a.customers, .progress = !a.quiet};
    struct demo_db_totals t;
    rc = demo_db_build(path, &o, &t, err);
    if (!rc && !a.quiet)
        print_summary(path, &a, &t);
    free(path);
    return rc;
}
