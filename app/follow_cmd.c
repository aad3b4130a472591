/*
 * follow_cmd.c - convtop import --follow on a terminal: SIGINT and SIGTERM
 * ask model/follow.c to stop after the current batch; a status line on
 * stderr (a terminal only) shows rows per second and the last event time;
 * truncation and replacement of the file are said on their own line,
 * terminal or not, because they change what is being read.
 */
#include "autoconf.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/follow_cmd.h"
#include "model/tstamp.h"
#include "ui/format.h"

static volatile sig_atomic_t stop_follow;

static void on_stop(int sig)
{
    (void)sig;
    stop_follow = 1;
}

struct status {
    const char *name;
    const struct tz *tz;
    int tty, quiet, drawn;
    double t0, t_prev;
    int64_t rows_prev;
    double rate; /* rows per second over the last interval, smoothed */
};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void draw(struct status *s, const struct follow_status *st)
{
    double t = now_s(), dt = t - s->t_prev;
    if (dt > 0.05) {
        double r = (double)(st->rows_read - s->rows_prev) / dt;
        s->rate = s->drawn ? 0.5 * s->rate + 0.5 * r : r;
        s->t_prev = t;
        s->rows_prev = st->rows_read;
    }
    char rows[32], when[40] = "none yet";
    fmt_count(st->rows_read, rows, sizeof rows);
    if (st->last_ts)
        tstamp_format_local(s->tz, st->last_ts, when, sizeof when, 1);
    fprintf(stderr, "\r\033[Kfollowing %s: %s rows, %.0f rows/s, last event %s", s->name, rows,
            s->rate, when);
    fflush(stderr);
    s->drawn = 1;
}

static void on_note(void *ctx, enum follow_event ev, const struct follow_status *st)
{
    struct status *s = ctx;
    const char *what = NULL;
    switch (ev) {
    case FOLLOW_TRUNCATED:
        what = "the file shrank: reading it again from the start";
        break;
    case FOLLOW_REPLACED:
        what = "a new file has the name: following it from its start";
        break;
    case FOLLOW_GONE:
        what = "the file was moved or deleted: waiting for a new one";
        break;
    default:
        break;
    }
    if (what) {
        if (s->tty && s->drawn)
            fputs("\r\033[K", stderr);
        fprintf(stderr, "convtop: %s: %s\n", s->name, what);
    }
    if (s->tty && !s->quiet)
        draw(s, st);
}

static void summary(const struct status *s, const struct follow_status *st, const char *rejects)
{
    if (s->tty && s->drawn)
        fputs("\r\033[K", stderr);
    printf("followed %s (%s) for %.1f s\n", s->name, import_format_name(st->format),
           now_s() - s->t0);
    printf("  %-14s %12lld\n", "rows read", (long long)st->rows_read);
    printf("  %-14s %12lld\n", "loaded", (long long)st->loaded);
    printf("  %-14s %12lld\n", "duplicates", (long long)st->duplicates);
    if (rejects)
        printf("  %-14s %12lld  (in %s)\n", "rejected", (long long)st->rejected, rejects);
    printf("  %-14s %12lld\n", "commits", (long long)st->batches);
}

int follow_run(struct store *st, const char *path, struct follow_opts *o, int quiet,
               struct follow_status *res, struct ct_error *err)
{
    struct status s = {strcmp(path, "-") == 0 ? "<stdin>" : path, o->tz, 0, quiet, 0, 0, 0, 0, 0};
    s.tty = isatty(STDERR_FILENO);
    s.t0 = s.t_prev = now_s();
    /* no SA_RESTART: a signal must cut a wait short */
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    stop_follow = 0;
    o->stop = &stop_follow;
    o->note = on_note;
    o->note_ctx = &s;
    if (s.tty && !quiet)
        fprintf(stderr, "convtop: following %s; Ctrl-C stops after the current batch\n", s.name);
    int rc = import_follow(st, path, o, res, err);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (!quiet)
        summary(&s, res, o->rejects_path);
    else if (s.tty && s.drawn)
        fputs("\r\033[K", stderr);
    return rc;
}
