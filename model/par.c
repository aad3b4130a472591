/*
 * par.c - the customer loop on two cores.
 *
 * Threads are started per call: a pass over ten million events takes tens
 * of milliseconds, a thread start microseconds.  Small datasets run on the
 * calling thread.
 */
#include "autoconf.h"

#include <pthread.h>
#include <unistd.h>

#include "model/par.h"

#define PAR_MIN_EVENTS 200000 /* below this a thread costs more than it saves */

void par_split(const struct dataset *ds, size_t start[PAR_PARTS + 1])
{
    size_t n = ds->n_customers;
    start[0] = 0;
    start[PAR_PARTS] = n;
    size_t c = 0;
    for (int p = 1; p < PAR_PARTS; p++) {
        uint64_t want = ds->n_events / PAR_PARTS * (uint64_t)p;
        while (c < n && ds->cust_off[c] < want)
            c++;
        start[p] = c;
    }
}

struct job {
    void (*fn)(void *ctx, int part, size_t lo, size_t hi);
    void *ctx;
    int part;
    size_t lo, hi;
};

static void *run_job(void *arg)
{
    struct job *j = arg;
    j->fn(j->ctx, j->part, j->lo, j->hi);
    return NULL;
}

void par_run(const struct dataset *ds, void (*fn)(void *ctx, int part, size_t lo, size_t hi),
             void *ctx)
{
    size_t start[PAR_PARTS + 1];
    par_split(ds, start);
    struct job jobs[PAR_PARTS];
    for (int p = 0; p < PAR_PARTS; p++)
        jobs[p] = (struct job){fn, ctx, p, start[p], start[p + 1]};
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int threaded = cores > 1 && ds->n_events >= PAR_MIN_EVENTS;
    pthread_t th[PAR_PARTS];
    int started[PAR_PARTS] = {0};
    for (int p = 1; p < PAR_PARTS && threaded; p++)
        started[p] = pthread_create(&th[p], NULL, run_job, &jobs[p]) == 0;
    run_job(&jobs[0]);
    for (int p = 1; p < PAR_PARTS; p++) {
        if (started[p])
            pthread_join(th[p], NULL);
        else
            run_job(&jobs[p]); /* no thread: the same work, in order */
    }
}
