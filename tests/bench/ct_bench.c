/*
 * ct_bench.c - convtop's side of `make bench`: each figure computed
 * repeatedly inside one process on an already-loaded dataset (warm), and
 * the median time printed as "figure<TAB>milliseconds<TAB>answer".
 *
 *   ct_bench DB [REPEATS] [CONFIG]
 *
 * Figures: the stages funnel with a 7-day window, the Checkout funnel, the
 * monthly cohort triangle, goals, a customer search per keystroke, and the
 * load itself (snapshot mapped; the first run builds it).  The answers
 * (step counts, cohort sizes) let the bench script check that every peer
 * computed the same thing.  Two more lines have no time: cohort_cells (every
 * non-zero cell of the triangle, "YYYY-MM+k:customers") and memory (the
 * snapshot file's size and the resident set before the load, after it and
 * after every figure ran, from /proc/self/statm).
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model/cohort.h"
#include "model/config.h"
#include "model/customer.h"
#include "model/funnel.h"
#include "model/goals.h"
#include "model/matcher.h"
#include "model/mem.h"
#include "model/snapshot.h"
#include "model/store.h"
#include "model/tz.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Resident set in KiB (0 when /proc is missing). */
static long rss_kb(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f)
        return 0;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
        resident = 0;
    fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void fail(const struct ct_error *err)
{
    char buf[1200];
    ct_error_format(err, buf, sizeof buf);
    fprintf(stderr, "ct_bench: %s\n", buf);
    exit(1);
}

static void funnel_answer(const struct funnel_res *r, char *buf, size_t size)
{
    size_t o = 0;
    for (size_t j = 0; j < r->n_steps && o < size; j++)
        o += (size_t)snprintf(buf + o, size - o, "%s%lld", j ? "," : "",
                              (long long)r->steps[j].customers);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: ct_bench DB [REPEATS] [CONFIG]\n");
        return 2;
    }
    int repeats = argc > 2 ? atoi(argv[2]) : 7;
    if (repeats < 1 || repeats > 1000)
        repeats = 7;
    struct ct_error err;
    struct ct_errlist errs = {0};
    struct config *cfg;
    const char *cfg_path = argc > 3 ? argv[3] : NULL;
    if (config_load(cfg_path, &cfg, &errs)) {
        fprintf(stderr, "ct_bench: config has errors\n");
        return 1;
    }
    ct_errlist_free(&errs);
    struct tz *tz;
    if (tz_open(cfg->timezone, &tz, &err))
        fail(&err);
    struct store *st;
    if (store_open(argv[1], STORE_READONLY, &st, NULL, &err))
        fail(&err);
    char *snap = xasprintf("%s.snap", argv[1]);
    const char **keys;
    size_t nk;
    matcher_needed_props(cfg, &keys, &nk);
    long rss0 = rss_kb();
    double t0 = now_ms();
    struct dataset *ds;
    struct snapshot_info info;
    if (snapshot_load(st, snap, (char *const *)keys, nk, &ds, &info, &err))
        fail(&err);
    double load = now_ms() - t0;
    long rss_loaded = rss_kb();
    printf("load_%s\t%.1f\t%zu events, %zu customers\n",
           info.source == SNAP_MAPPED ? "mapped" : "built", load, ds->n_events, ds->n_customers);
    struct range range;
    if (range_resolve(tz, NULL, NULL, NULL, ds->newest_ms, &range, &err))
        fail(&err);
    struct query q;
    if (query_init(&q, cfg, ds, tz, &range, NULL, &err))
        fail(&err);
    double *t = xcalloc((size_t)repeats, sizeof *t);
    char answer[2048];

    /* the stages funnel with a 7-day window (SPEC 8) */
    struct funnel_def stages7 = cfg->stages;
    stages7.window_ms = INT64_C(7) * 86400 * 1000;
    for (int r = 0; r < repeats; r++) {
        struct funnel_res res;
        double s = now_ms();
        if (funnel_compute(&q, &stages7, ORDER_ORDERED, &res, &err))
            fail(&err);
        t[r] = now_ms() - s;
        funnel_answer(&res, answer, sizeof answer);
        funnel_res_free(&res);
    }
    printf("funnel_stages_7d\t%.2f\t%s\n", median(t, repeats), answer);

    const struct funnel_def *checkout = config_funnel(cfg, "Checkout");
    if (checkout) {
        for (int r = 0; r < repeats; r++) {
            struct funnel_res res;
            double s = now_ms();
            if (funnel_compute(&q, checkout, checkout->order, &res, &err))
                fail(&err);
            t[r] = now_ms() - s;
            funnel_answer(&res, answer, sizeof answer);
            funnel_res_free(&res);
        }
        printf("funnel_checkout\t%.2f\t%s\n", median(t, repeats), answer);
    }

    for (int r = 0; r < repeats; r++) {
        struct cohort_res res;
        double s = now_ms();
        if (cohort_compute(&q, PERIOD_MONTH, 12, &res, &err))
            fail(&err);
        t[r] = now_ms() - s;
        size_t o = 0;
        for (size_t i = 0; i < res.n && o < sizeof answer; i++)
            o += (size_t)snprintf(answer + o, sizeof answer - o, "%s%s:%lld/%lld", i ? "," : "",
                                  res.rows[i].label, (long long)res.rows[i].size,
                                  (long long)(res.periods > 1 ? res.rows[i].customers[1] : 0));
        cohort_res_free(&res);
    }
    printf("cohort_month\t%.2f\t%s\n", median(t, repeats), answer);
    {
        struct cohort_res res;
        if (cohort_compute(&q, PERIOD_MONTH, 12, &res, &err))
            fail(&err);
        printf("cohort_cells\t-\t");
        int any = 0;
        for (size_t i = 0; i < res.n; i++)
            for (int k = 0; k < res.periods; k++)
                if (!res.rows[i].future[k] && res.rows[i].customers[k])
                    printf("%s%s+%d:%lld", any++ ? "," : "", res.rows[i].label, k,
                           (long long)res.rows[i].customers[k]);
        printf("\n");
        cohort_res_free(&res);
    }

    for (int r = 0; r < repeats; r++) {
        struct goals_res res;
        double s = now_ms();
        if (goals_compute(&q, &res, &err))
            fail(&err);
        t[r] = now_ms() - s;
        size_t o = 0;
        for (size_t i = 0; i < res.n && o < sizeof answer; i++)
            o += (size_t)snprintf(answer + o, sizeof answer - o, "%s%lld", i ? "," : "",
                                  (long long)res.goals[i].converters);
        goals_res_free(&res);
    }
    printf("goals\t%.2f\t%s\n", median(t, repeats), answer);

    for (int r = 0; r < (repeats < 3 ? repeats : 3); r++) {
        struct profile_list l;
        double s = now_ms();
        if (customer_list(&q, SORT_NET_SPEND, 0, 1, &l, &err))
            fail(&err);
        t[r] = now_ms() - s;
        snprintf(answer, sizeof answer, "%zu customers, top %s", l.n, l.n ? l.items[0].key : "-");
        profile_list_free(&l);
    }
    printf("customer_list\t%.2f\t%s\n", median(t, repeats < 3 ? repeats : 3), answer);

    /* search as you type: each prefix of a name, one query per keystroke;
     * per keystroke a warm-up and the median of the runs, the figure being
     * the slowest keystroke's median (as for the peers) */
    static const char *const typed[] = {"a", "an", "ann", "anna", "anna.", "anna.s"};
    double worst = 0, slowest = 0;
    size_t found = 0;
    for (size_t k = 0; k < sizeof typed / sizeof *typed; k++)
        for (int r = -1; r < repeats; r++) {
            struct customer_list l = {0};
            double s = now_ms();
            if (store_search_customers(st, typed[k], 200, &l, &err))
                fail(&err);
            double d = now_ms() - s;
            found = l.n;
            customer_list_free(&l);
            if (r < 0)
                continue;
            t[r] = d;
            if (d > slowest)
                slowest = d;
            if (r == repeats - 1) {
                double m = median(t, repeats);
                if (m > worst)
                    worst = m;
            }
        }
    printf("search_keystroke_worst\t%.3f\t%zu matches for 'anna.s', slowest single run %.3f ms\n",
           worst, found, slowest);
    struct stat sb;
    printf("memory\t-\tevents=%zu snapshot_bytes=%lld rss_before_kb=%ld rss_loaded_kb=%ld "
           "rss_after_kb=%ld\n",
           ds->n_events, stat(snap, &sb) == 0 ? (long long)sb.st_size : -1LL, rss0, rss_loaded,
           rss_kb());
    free(t);
    query_free(&q);
    dataset_free(ds);
    store_close(st);
    free(keys);
    free(snap);
    tz_close(tz);
    config_free(cfg);
    return 0;
}
