/*
 * why.c - explaining where one customer stopped in a funnel.
 *
 * The level and the chain come from funnel_customer, exactly as in the
 * funnel report; this file only looks around the first missing step for
 * the reason: no matching event, one too late for the window, one before
 * the previous step, a strict chain broken by another event, or a chain
 * that began before the range.  Prints nothing.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "model/mem.h"
#include "model/tstamp.h"
#include "model/why.h"

const char *why_kind_name(enum why_kind k)
{
    static const char *const names[] = {"reached",        "no_event",   "too_late",
                                        "out_of_order",   "broken",     "before_range",
                                        "outside_range",  "same_event", "after_stop"};
    return names[k];
}

static void when(const struct query *q, int64_t ms, char *buf, size_t size)
{
    tstamp_format_local(q->tz, ms, buf, size, 0);
}

/* "1d 3h", "45m", "20s" */
static void span(int64_t ms, char *buf, size_t size)
{
    int64_t s = ms / 1000;
    if (s >= 86400)
        snprintf(buf, size, "%lldd %lldh", (long long)(s / 86400), (long long)(s % 86400 / 3600));
    else if (s >= 3600)
        snprintf(buf, size, "%lldh %lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
    else if (s >= 60)
        snprintf(buf, size, "%lldm", (long long)(s / 60));
    else
        snprintf(buf, size, "%llds", (long long)s);
}

/* The reason for the first step not reached, j, in ordered or strict mode;
 * ch is the earliest chain reaching j steps (j >= 1). */
static enum why_kind chained_reason(const struct query *q, const struct funnel_def *f,
                                    enum funnel_order order, const int64_t *ts,
                                    const uint32_t *mask, const uint32_t *name, size_t n, int j,
                                    const struct funnel_chain *ch, char **reason)
{
    const struct dataset *ds = q->ds;
    int64_t t0 = ch->step_ts[0], prev = ch->step_ts[j - 1];
    const char *sname = f->steps[j].name, *pname = f->steps[j - 1].name;
    char a[40], b[40], d[40], w[40];
    long first_after = -1, last_before = -1, same_time = -1;
    for (size_t i = 0; i < n; i++) {
        if (!(mask[i] >> j & 1))
            continue;
        if (ts[i] < prev)
            last_before = (long)i;
        else if (ts[i] == prev && same_time < 0)
            same_time = (long)i;
        else if (ts[i] > prev && first_after < 0)
            first_after = (long)i;
    }
    if (first_after >= 0 && ts[first_after] - t0 > f->window_ms) {
        when(q, ts[first_after], a, sizeof a);
        span(ts[first_after] - t0, d, sizeof d);
        span(f->window_ms, w, sizeof w);
        span(ts[first_after] - t0 - f->window_ms, b, sizeof b);
        *reason = xasprintf("too late: the next %s was at %s, %s after %s began the chain; the "
                            "window is %s (%s too late)",
                            sname, a, d, f->steps[0].name, w, b);
        return WHY_TOO_LATE;
    }
    if (first_after >= 0 && order == ORDER_STRICT) {
        /* the first event strictly between the previous step and it */
        for (size_t i = 0; i < n; i++)
            if (ts[i] > prev && ts[i] < ts[first_after]) {
                when(q, ts[i], a, sizeof a);
                when(q, ts[first_after], b, sizeof b);
                *reason = xasprintf("strict order broken: %s at %s came between %s and %s "
                                    "(at %s)",
                                    intern_str(&ds->names, name[i]), a, pname, sname, b);
                return WHY_BROKEN;
            }
    }
    if (same_time >= 0 || first_after >= 0) {
        *reason = xasprintf("the only %s event in reach also filled an earlier step; one event "
                            "never fills two steps",
                            sname);
        return WHY_SAME_EVENT;
    }
    if (last_before >= 0) {
        when(q, ts[last_before], a, sizeof a);
        when(q, prev, b, sizeof b);
        *reason = xasprintf("out of order: %s happened at %s, before %s (at %s)", sname, a,
                            pname, b);
        return WHY_OUT_OF_ORDER;
    }
    *reason = xasprintf("no %s at all", sname);
    return WHY_NONE;
}

int why_compute(const struct query *q, const struct funnel_def *f, size_t c, struct why_res *out,
                struct ct_error *err)
{
    memset(out, 0, sizeof *out);
    const struct dataset *ds = q->ds;
    struct funnel_eval fe;
    if (funnel_eval_init(&fe, f, f->order, ds, err))
        return CT_ERR_CONFIG;
    size_t lo = query_lo(q, c), hi = query_funnel_hi(q, c), n = hi - lo;
    const int64_t *ts = ds->ts + lo;
    struct funnel_chain ch;
    funnel_eval_masks(&fe, ds, lo, hi);
    funnel_eval_run(&fe, ds, lo, hi, q->range.from_ms, q->range.to_ms, &ch);
    out->funnel = xstrdup(f->name);
    out->order = f->order;
    out->level = ch.level;
    out->n = (size_t)fe.k;
    out->steps = xcalloc(out->n ? out->n : 1, sizeof *out->steps);
    int first_miss = -1;
    for (int j = 0; j < fe.k; j++) {
        struct why_step *s = &out->steps[j];
        s->name = xstrdup(f->steps[j].name);
        s->ts_ms = INT64_MIN;
        s->reached = (ch.steps_done >> j & 1) != 0;
        if (s->reached) {
            s->kind = WHY_REACHED;
            /* ordered and strict: the j-th time is step j's; any order: the
             * times are completion times, kept in order */
            s->ts_ms = f->order == ORDER_ANY ? INT64_MIN : ch.step_ts[j];
        } else if (first_miss < 0) {
            first_miss = j;
        } else {
            s->kind = WHY_AFTER_STOP;
        }
    }
    if (f->order == ORDER_ANY) {
        /* completion times in order, on the reached steps */
        int r = 0;
        for (int j = 0; j < fe.k; j++)
            if (out->steps[j].reached && r < ch.level)
                out->steps[j].ts_ms = ch.step_ts[r++];
    }
    if (first_miss >= 0) {
        struct why_step *s = &out->steps[first_miss];
        const uint32_t *mask = fe.mask;
        int any = 0;
        for (size_t i = 0; i < n && !any; i++)
            any = mask[i] >> first_miss & 1;
        /* a chain from before the range that went further explains it */
        struct funnel_chain wide;
        funnel_eval_run(&fe, ds, lo, hi, INT64_MIN, INT64_MAX, &wide);
        char a[40];
        if (!any) {
            s->kind = WHY_NONE;
            s->reason = xasprintf("no %s at all", s->name);
        } else if (wide.level > ch.level && (wide.steps_done >> first_miss & 1)) {
            when(q, wide.step_ts[0], a, sizeof a);
            int before = wide.step_ts[0] < q->range.from_ms;
            s->kind = before ? WHY_BEFORE_RANGE : WHY_OUTSIDE;
            s->reason = xasprintf("the chain that reached %s began at %s, %s the range; chains "
                                  "count only when their first step is inside it",
                                  s->name, a, before ? "before" : "after");
        } else if (first_miss == 0 || f->order == ORDER_ANY) {
            /* matching events exist, but not where a chain could use them */
            long nearest = -1;
            for (size_t i = 0; i < n; i++)
                if (mask[i] >> first_miss & 1)
                    nearest = (long)i;
            when(q, ts[nearest], a, sizeof a);
            if (first_miss == 0) {
                s->kind = WHY_OUTSIDE;
                s->reason = xasprintf("%s happened (last at %s) but not inside the range",
                                      s->name, a);
            } else {
                char w[40];
                span(f->window_ms, w, sizeof w);
                s->kind = WHY_TOO_LATE;
                s->reason = xasprintf("%s happened (last at %s) but never within %s of the "
                                      "other steps",
                                      s->name, a, w);
            }
        } else {
            s->kind = chained_reason(q, f, f->order, ts, mask, ds->name + lo, n, first_miss, &ch,
                                     &s->reason);
        }
    }
    funnel_eval_free(&fe);
    return 0;
}

void why_res_free(struct why_res *r)
{
    if (!r)
        return;
    for (size_t j = 0; j < r->n; j++) {
        free(r->steps[j].name);
        free(r->steps[j].reason);
    }
    free(r->steps);
    free(r->funnel);
    memset(r, 0, sizeof *r);
}
