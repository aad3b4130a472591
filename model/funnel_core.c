/*
 * funnel_core.c - the level of one customer in a funnel.
 *
 * Events are taken in groups of equal timestamp.  Within a group, the steps
 * it can fill from step j on are the longest run j, j+1, ... that has
 * distinct events to match (a small bipartite matching), so import order
 * never matters and one event never fills two steps.
 *
 * ordered: a dynamic programme keeps, per level, the latest start of a chain
 *   at that level (a later start leaves more of the window).  O(groups x k).
 * strict:  the same, but a chain must gain steps in every following group
 *   (any event strictly between two steps breaks it), and a group may fill
 *   fewer steps than it could (SPEC 5.1's {A,B},B,C example).
 * any:     per window start, a maximum matching of steps to distinct events
 *   inside [t, t + W], counted per mask pattern.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "model/funnel_core.h"

#define NONE INT64_MIN

/* --- matching inside one group of equal timestamps ---------------------- */

/* Distinct mask patterns of a group (or window) with how many events carry
 * each, capped at k: more copies can never fill more steps. */
struct patterns {
    int n;
    uint32_t mask[64];
    int cap[64];
    int overflow; /* more than 64 patterns: fall back to one slot per event */
};

static void patterns_add(struct patterns *p, uint32_t m, int k)
{
    if (!m)
        return;
    for (int i = 0; i < p->n; i++)
        if (p->mask[i] == m) {
            if (p->cap[i] < k)
                p->cap[i]++;
            return;
        }
    if (p->n == 64) {
        p->overflow = 1;
        return;
    }
    p->mask[p->n] = m;
    p->cap[p->n++] = 1;
}

/* Kuhn's augmenting paths with capacities: steps on the left, patterns on
 * the right.  owner[s] = pattern filling step s, or -1. */
struct matching {
    const struct patterns *p;
    int owner[FUNNEL_MAX_STEPS];
    int used[64];
    int seen[64];
    int stamp;
};

static int augment(struct matching *mt, int s)
{
    const struct patterns *p = mt->p;
    for (int i = 0; i < p->n; i++) {
        if (!(p->mask[i] >> s & 1) || mt->seen[i] == mt->stamp)
            continue;
        mt->seen[i] = mt->stamp;
        if (mt->used[i] < p->cap[i]) {
            mt->used[i]++;
            mt->owner[s] = i;
            return 1;
        }
        for (int t = 0; t < FUNNEL_MAX_STEPS; t++)
            if (mt->owner[t] == i && augment(mt, t)) {
                mt->owner[s] = i;
                return 1;
            }
    }
    return 0;
}

static void matching_init(struct matching *mt, const struct patterns *p)
{
    memset(mt, 0, sizeof *mt);
    mt->p = p;
    for (int s = 0; s < FUNNEL_MAX_STEPS; s++)
        mt->owner[s] = -1;
}

/* Add step s to the matching; 1 when it could be filled. */
static int matching_add_step(struct matching *mt, int s)
{
    mt->stamp++;
    return augment(mt, s);
}

/* How many steps j, j+1, ... (at most k - j) the group fills. */
static int group_fill(const struct patterns *g, int j, int k)
{
    if (g->n == 1 && g->cap[0] == 1) /* the common case: one event */
        return j < k && (g->mask[0] >> j & 1);
    struct matching mt;
    matching_init(&mt, g);
    int m = 0;
    while (j + m < k && matching_add_step(&mt, j + m))
        m++;
    return m;
}

/* Groups of equal timestamps: [start[g], start[g+1]). */
struct groups {
    size_t n;
    size_t *start;
};

static void group_patterns(const uint32_t *mask, size_t lo, size_t hi, int k, struct patterns *p)
{
    p->n = 0;
    p->overflow = 0;
    uint32_t all = k >= 32 ? UINT32_MAX : ((UINT32_C(1) << k) - 1);
    for (size_t i = lo; i < hi; i++)
        patterns_add(p, mask[i] & all, k);
}

/* --- ordered -------------------------------------------------------------- */

static void run_ordered(const int64_t *ts, const uint32_t *mask, const size_t *gs, size_t ng,
                        int k, int64_t w, int64_t from, int64_t to, struct funnel_chain *out)
{
    int64_t best[FUNNEL_MAX_STEPS + 1], next[FUNNEL_MAX_STEPS + 1];
    for (int j = 0; j <= k; j++)
        best[j] = NONE;
    struct patterns p;
    for (size_t g = 0; g < ng; g++) {
        int64_t t = ts[gs[g]];
        group_patterns(mask, gs[g], gs[g + 1], k, &p);
        if (!p.n)
            continue;
        memcpy(next, best, sizeof best);
        if (t >= from && t < to)
            for (int m = group_fill(&p, 0, k); m >= 1; m--)
                if (next[m] < t)
                    next[m] = t;
        for (int j = 1; j < k; j++) {
            if (best[j] == NONE || t - best[j] > w)
                continue;
            for (int m = group_fill(&p, j, k); m >= 1; m--)
                if (next[j + m] < best[j])
                    next[j + m] = best[j];
        }
        for (int j = 1; j <= k; j++)
            if (next[j] != NONE && best[j] == NONE)
                out->first_ts[j - 1] = t;
        memcpy(best, next, sizeof best);
    }
    out->level = 0;
    for (int j = k; j >= 1; j--)
        if (best[j] != NONE) {
            out->level = j;
            break;
        }
    if (!out->level)
        return;
    /* The earliest chain reaching the level: from the earliest first step
     * that can, fill as many steps as possible at each group (for ordered
     * chains the earliest next step is never worse). */
    for (size_t g0 = 0; g0 < ng; g0++) {
        int64_t t0 = ts[gs[g0]];
        if (t0 < from || t0 >= to)
            continue;
        int level = 0;
        for (size_t g = g0; g < ng && ts[gs[g]] - t0 <= w && level < out->level; g++) {
            group_patterns(mask, gs[g], gs[g + 1], k, &p);
            int m = p.n ? group_fill(&p, level, k) : 0;
            if (g == g0 && m == 0)
                break; /* no first step here */
            for (int j = level; j < level + m; j++)
                out->step_ts[j] = ts[gs[g]];
            level += m;
        }
        if (level >= out->level)
            return;
    }
}

/* --- strict --------------------------------------------------------------- */

/* Can a strict chain at level j whose next steps go into group g reach
 * target?  Fills step_ts for the chain found, most steps per group first
 * (earliest times). */
struct strict_search {
    const int64_t *ts;
    const uint32_t *mask;
    const size_t *gs;
    size_t ng, g0;
    int k, target;
    int64_t w, t0;
    int64_t *step_ts;
    /* failed[d][j]: no chain from level j with its next steps in group
     * g0 + d; d <= j because every group of a strict chain adds a step */
    uint8_t failed[FUNNEL_MAX_STEPS + 1][FUNNEL_MAX_STEPS + 1];
};

static int strict_reach(struct strict_search *ss, size_t g, int j)
{
    const int64_t *ts = ss->ts;
    const size_t *gs = ss->gs;
    size_t d = g - ss->g0;
    if (g >= ss->ng || ts[gs[g]] - ss->t0 > ss->w || d > FUNNEL_MAX_STEPS || ss->failed[d][j])
        return 0;
    struct patterns p;
    group_patterns(ss->mask, gs[g], gs[g + 1], ss->k, &p);
    for (int m = p.n ? group_fill(&p, j, ss->k) : 0; m >= 1; m--) {
        for (int s = j; s < j + m; s++)
            ss->step_ts[s] = ts[gs[g]];
        if (j + m >= ss->target || strict_reach(ss, g + 1, j + m))
            return 1;
    }
    ss->failed[d][j] = 1;
    return 0;
}

static void run_strict(const int64_t *ts, const uint32_t *mask, const size_t *gs, size_t ng,
                       int k, int64_t w, int64_t from, int64_t to, struct funnel_chain *out)
{
    int64_t active[FUNNEL_MAX_STEPS + 1], next[FUNNEL_MAX_STEPS + 1];
    for (int j = 0; j <= k; j++)
        active[j] = NONE;
    int level = 0;
    struct patterns p;
    for (size_t g = 0; g < ng; g++) {
        int64_t t = ts[gs[g]];
        group_patterns(mask, gs[g], gs[g + 1], k, &p);
        for (int j = 0; j <= k; j++)
            next[j] = NONE;
        if (p.n) {
            if (t >= from && t < to)
                for (int m = group_fill(&p, 0, k); m >= 1; m--)
                    if (next[m] < t)
                        next[m] = t;
            for (int j = 1; j < k; j++) {
                if (active[j] == NONE || t - active[j] > w)
                    continue;
                for (int m = group_fill(&p, j, k); m >= 1; m--)
                    if (next[j + m] < active[j])
                        next[j + m] = active[j];
            }
        }
        /* a group that adds nothing breaks every chain: next starts empty */
        for (int j = 1; j <= k; j++)
            if (next[j] != NONE && j > level) {
                for (int r = level + 1; r <= j; r++)
                    out->first_ts[r - 1] = t;
                level = j;
            }
        memcpy(active, next, sizeof active);
    }
    out->level = level;
    if (!level)
        return;
    struct strict_search ss = {.ts = ts, .mask = mask, .gs = gs, .ng = ng, .k = k,
                               .target = level, .w = w, .step_ts = out->step_ts};
    for (size_t g0 = 0; g0 < ng; g0++) {
        int64_t t0 = ts[gs[g0]];
        if (t0 < from || t0 >= to)
            continue;
        ss.g0 = g0;
        ss.t0 = t0;
        memset(ss.failed, 0, sizeof ss.failed);
        if (strict_reach(&ss, g0, 0))
            return;
    }
}

/* --- any order ------------------------------------------------------------ */

/* Add the groups of the window starting at g0 one by one; the j-th step is
 * reached when the matching first holds j steps.  Records those times into
 * reach[] (NONE-initialised by the caller). */
static int any_window(const int64_t *ts, const uint32_t *mask, const size_t *gs, size_t ng,
                      int k, int64_t w, size_t g0, int64_t *reach)
{
    int64_t t0 = ts[gs[g0]];
    uint32_t all = k >= 32 ? UINT32_MAX : ((UINT32_C(1) << k) - 1);
    struct patterns acc = {0};
    int have = 0;
    for (size_t g = g0; g < ng && ts[gs[g]] - t0 <= w && have < k; g++) {
        for (size_t i = gs[g]; i < gs[g + 1]; i++)
            patterns_add(&acc, mask[i] & all, k);
        int m = 0;
        if (acc.overflow) {
            uint32_t u = 0;
            for (size_t i = gs[g0]; i < gs[g + 1]; i++)
                u |= mask[i] & all;
            m = __builtin_popcount(u);
        } else {
            struct matching mt;
            matching_init(&mt, &acc);
            for (int s = 0; s < k; s++)
                m += matching_add_step(&mt, s);
        }
        while (have < m)
            reach[have++] = ts[gs[g]];
    }
    return have;
}

/* Which steps a maximum matching of the events from group g0 up to time
 * until fills. */
static uint32_t any_steps(const int64_t *ts, const uint32_t *mask, const size_t *gs, size_t ng,
                          int k, size_t g0, int64_t until)
{
    uint32_t all = k >= 32 ? UINT32_MAX : ((UINT32_C(1) << k) - 1);
    struct patterns acc = {0};
    for (size_t g = g0; g < ng && ts[gs[g]] <= until; g++)
        for (size_t i = gs[g]; i < gs[g + 1]; i++)
            patterns_add(&acc, mask[i] & all, k);
    if (acc.overflow) {
        uint32_t u = 0;
        for (int i = 0; i < acc.n; i++)
            u |= acc.mask[i];
        return u;
    }
    struct matching mt;
    matching_init(&mt, &acc);
    uint32_t done = 0;
    for (int st = 0; st < k; st++)
        if (matching_add_step(&mt, st))
            done |= UINT32_C(1) << st;
    return done;
}

static void run_any(const int64_t *ts, const uint32_t *mask, const size_t *gs, size_t ng, int k,
                    int64_t w, int64_t from, int64_t to, struct funnel_chain *out)
{
    out->level = 0;
    uint32_t all = k >= 32 ? UINT32_MAX : ((UINT32_C(1) << k) - 1);
    int64_t reach[FUNNEL_MAX_STEPS];
    for (size_t g0 = 0; g0 < ng; g0++) {
        int64_t t0 = ts[gs[g0]];
        if (t0 < from || t0 >= to)
            continue;
        int starts = 0; /* a window starts at an event that matches a step */
        for (size_t i = gs[g0]; i < gs[g0 + 1] && !starts; i++)
            starts = (mask[i] & all) != 0;
        if (!starts)
            continue;
        int m = any_window(ts, mask, gs, ng, k, w, g0, reach);
        for (int j = 0; j < m; j++)
            if (j >= out->level || reach[j] < out->first_ts[j])
                out->first_ts[j] = reach[j];
        if (m > out->level) {
            /* the earliest window reaching the level gives the step times */
            out->level = m;
            memcpy(out->step_ts, reach, sizeof(int64_t) * (size_t)m);
            out->steps_done = any_steps(ts, mask, gs, ng, k, g0, reach[m - 1]);
        }
    }
}

/* The events of one customer that ordered_fast walks more than once: the
 * chain starts (in-range first-step events) and the events that match a
 * later step, each with the latest start before it. */
struct ordered_scratch {
    int64_t *start;   /* times of the starts */
    int64_t *ev_t;    /* times of the later-step events */
    int64_t *ev_last; /* the latest start before each, NONE if none */
    uint32_t *ev_m;   /* their masks */
};

/* Ordered mode when no two step events share a timestamp (the usual
 * case): the same programme one event at a time, without groups or
 * matchings.  Returns 0 when it meets a tie and the general path must run.
 *
 * A first pass splits the timeline without branches on the data (a
 * customer's events alternate between steps unpredictably, and a branch
 * the processor guesses wrong on every other event costs more than the
 * work): the starts go to one list, the events of later steps to another,
 * each with the latest start before it.  The programme and the search for
 * the earliest chain then walk only the later-step events. */
static int ordered_fast_in(const int64_t *ts, const uint32_t *mask, size_t n, int k, int64_t w,
                           int64_t from, int64_t to, struct funnel_chain *out,
                           const struct ordered_scratch *sc)
{
    uint32_t all = k >= 32 ? UINT32_MAX : ((UINT32_C(1) << k) - 1);
    int64_t *st = sc->start, *et = sc->ev_t, *el = sc->ev_last;
    uint32_t *em = sc->ev_m;
    size_t ns = 0, ne = 0;
    int64_t prev = NONE, last = NONE;
    int tie = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t m = mask[i] & all;
        int64_t t = ts[i];
        tie |= (m != 0) & (t == prev);
        prev = m ? t : prev;
        et[ne] = t;
        el[ne] = last;
        em[ne] = m;
        ne += m > 1;
        int start = (int)(m & 1) & (t >= from) & (t < to);
        st[ns] = t;
        ns += (size_t)start;
        last = start ? t : last;
    }
    if (tie)
        return 0;
    if (!ns) {
        out->level = 0;
        return 1;
    }
    out->first_ts[0] = st[0];
    /* best[j]: the latest start of a chain at level j.  The second step
     * is by far the most common: it runs without branches on locals (b2 is
     * best[2]); the rarer later steps take the loop. */
    int64_t best[FUNNEL_MAX_STEPS + 1];
    for (int j = 2; j <= k; j++)
        best[j] = NONE;
    int64_t b2 = NONE, f1 = NONE;
    for (size_t r = 0; r < ne; r++) {
        int64_t t = et[r], b = el[r];
        uint32_t m = em[r];
        if (m & ~UINT32_C(3)) {
            best[2] = b2;
            /* highest step first, so one event never fills two steps */
            for (uint32_t h = m & ~UINT32_C(3); h; h &= ~(UINT32_C(1) << (31 - __builtin_clz(h)))) {
                int j = 31 - __builtin_clz(h);
                if (best[j] == NONE || t - best[j] > w || best[j + 1] >= best[j])
                    continue;
                if (best[j + 1] == NONE)
                    out->first_ts[j] = t;
                best[j + 1] = best[j];
            }
        }
        int64_t bb = b == NONE ? t : b;
        int go = (int)(m >> 1 & 1) & (b != NONE) & (b > b2) & (t - bb <= w);
        f1 = go & (b2 == NONE) ? t : f1;
        b2 = go ? b : b2;
    }
    int level = 1;
    if (k >= 2 && b2 != NONE) {
        best[2] = b2;
        out->first_ts[1] = f1;
        level = 2;
    }
    for (int j = k; j > level; j--)
        if (best[j] != NONE) {
            level = j;
            break;
        }
    out->level = level;
    out->step_ts[0] = st[0]; /* the earliest start: the chain when level is 1 */
    if (level == 1)
        return 1;
    /* The earliest chain reaching the level: from the earliest start on,
     * take each next step as early as possible until a start gets there.
     * Usually the first start or the second does; a budget of a few passes
     * keeps a customer with thousands of failing starts linear (then the
     * backward pass below decides).  A later-step event at a start's own
     * time is that start's event: it cannot fill a second step. */
    size_t budget = 4 * n + 64, r0 = 0;
    for (size_t s0 = 0; s0 < ns && budget; s0++) {
        int64_t t0 = st[s0];
        while (r0 < ne && et[r0] <= t0)
            r0++;
        int lev = 1;
        out->step_ts[0] = t0;
        size_t r = r0;
        for (; r < ne && lev < level && et[r] - t0 <= w; r++)
            if (em[r] >> lev & 1)
                out->step_ts[lev++] = et[r];
        if (lev >= level)
            return 1;
        budget = r - r0 + 1 < budget ? budget - (r - r0 + 1) : 0;
    }
    /* Backwards, end[j] is the earliest time a chain through steps
     * j..level-1 can end using the events seen so far (later ones); the
     * earliest first step whose best end fits the window starts it.  Then
     * each next step is taken as early as possible, which is what that
     * best end assumed. */
    int64_t end[FUNNEL_MAX_STEPS + 1];
    for (int j = 0; j <= level; j++)
        end[j] = INT64_MAX;
    size_t start = n;
    for (size_t i = n; i-- > 0;) {
        uint32_t m = mask[i] & all;
        if (!m)
            continue;
        int64_t t = ts[i];
        /* lowest step first: each step reads end[j + 1] of later events */
        for (uint32_t b = m; b; b &= b - 1) {
            int j = __builtin_ctz(b);
            if (j >= level)
                break;
            int64_t e = j == level - 1 ? t : end[j + 1];
            if (j == 0 && e != INT64_MAX && e - t <= w && t >= from && t < to)
                start = i;
            if (e < end[j])
                end[j] = e;
        }
    }
    if (start == n)
        return 0; /* cannot happen; let the general path decide */
    int lev = 1;
    int64_t t0 = ts[start];
    out->step_ts[0] = t0;
    for (size_t i = start + 1; i < n && lev < level && ts[i] - t0 <= w; i++)
        if (mask[i] >> lev & 1)
            out->step_ts[lev++] = ts[i];
    return 1; /* not reached: the programme found a chain */
}

static int ordered_fast(const int64_t *ts, const uint32_t *mask, size_t n, int k, int64_t w,
                        int64_t from, int64_t to, struct funnel_chain *out)
{
    enum { ON_STACK = 128 }; /* events; most customers have far fewer */
    int64_t start[ON_STACK], ev_t[ON_STACK], ev_last[ON_STACK];
    uint32_t ev_m[ON_STACK];
    struct ordered_scratch sc = {start, ev_t, ev_last, ev_m};
    int64_t *heap = NULL;
    if (n > ON_STACK) {
        heap = malloc(n * (3 * sizeof(int64_t) + sizeof(uint32_t)));
        if (!heap)
            return 0;
        sc = (struct ordered_scratch){heap, heap + n, heap + 2 * n, (uint32_t *)(heap + 3 * n)};
    }
    int done = ordered_fast_in(ts, mask, n, k, w, from, to, out, &sc);
    free(heap);
    return done;
}

void funnel_customer(const int64_t *ts, const uint32_t *mask, size_t n, int k,
                     int64_t window_ms, enum funnel_order order, int64_t from_ms, int64_t to_ms,
                     struct funnel_chain *out)
{
    out->level = 0;
    if (k <= 0 || n == 0)
        return;
    if (k > FUNNEL_MAX_STEPS)
        k = FUNNEL_MAX_STEPS;
    out->steps_done = 0;
    if (order == ORDER_ORDERED && ordered_fast(ts, mask, n, k, window_ms, from_ms, to_ms, out)) {
        out->steps_done = out->level >= 32 ? UINT32_MAX : (UINT32_C(1) << out->level) - 1;
        return;
    }
    out->level = 0;
    size_t stack_gs[256];
    size_t *gs = n + 1 <= 256 ? stack_gs : malloc((n + 1) * sizeof *gs);
    if (!gs)
        return;
    size_t ng = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || ts[i] != ts[i - 1])
            gs[ng++] = i;
    gs[ng] = n;
    switch (order) {
    case ORDER_ORDERED:
        run_ordered(ts, mask, gs, ng, k, window_ms, from_ms, to_ms, out);
        break;
    case ORDER_STRICT:
        run_strict(ts, mask, gs, ng, k, window_ms, from_ms, to_ms, out);
        break;
    case ORDER_ANY:
        run_any(ts, mask, gs, ng, k, window_ms, from_ms, to_ms, out);
        break;
    }
    if (order != ORDER_ANY)
        out->steps_done = out->level >= 32 ? UINT32_MAX : (UINT32_C(1) << out->level) - 1;
    if (gs != stack_gs)
        free(gs);
}
