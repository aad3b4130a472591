/*
 * reloader.c - builds the TUI's next dataset on a thread (see reloader.h).
 *
 * The thread opens the database read-only: it only reads, and SQLite lets
 * each connection see one consistent snapshot of the file.  The result is
 * handed over through a flag the event loop polls each tick; the loop
 * never blocks on the thread except to cancel it.
 */
#include "autoconf.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "app/reloader.h"
#include "model/dataset.h"
#include "model/mem.h"
#include "model/snapshot.h"
#include "model/store.h"

struct reloader {
    pthread_t thread;
    char *db_path, *snap;
    char **props;
    size_t n_props;
    const struct dataset *base;
    reloader_then_fn then;
    void *then_ctx;
    struct dataset *out;
    struct ct_error err;
    int rc;
    atomic_int done;
};

static int build(struct reloader *r)
{
    struct store *st;
    int rc = store_open(r->db_path, STORE_READONLY, &st, NULL, &r->err);
    if (rc)
        return rc;
    struct store_identity id;
    rc = store_identity(st, &id, &r->err);
    int same = !rc && id.generation == r->base->generation && id.rewrites == r->base->rewrites &&
               id.max_event_id == r->base->max_event_id &&
               id.max_customer_id == r->base->max_customer_id;
    /* new rows only: extend what is on screen; else read it all again */
    if (!rc && !same && id.rewrites == r->base->rewrites)
        rc = dataset_extend(r->base, st, &r->out, &r->err);
    else if (!rc && !same)
        rc = -1;
    if (rc && !same) {
        memset(&r->err, 0, sizeof r->err);
        rc = snapshot_load(st, r->snap, r->props, r->n_props, &r->out, NULL, &r->err);
    }
    store_close(st);
    return rc;
}

static void *run(void *arg)
{
    struct reloader *r = arg;
    r->rc = build(r);
    if (!r->rc && r->out && r->then)
        r->then(r->then_ctx, r->out);
    atomic_store(&r->done, 1);
    return NULL;
}

static void reloader_free(struct reloader *r)
{
    for (size_t i = 0; i < r->n_props; i++)
        free(r->props[i]);
    free(r->props);
    free(r->db_path);
    free(r->snap);
    free(r);
}

int reloader_start(const char *db_path, const char *snap, const struct dataset *base,
                   char *const *props, size_t n_props, reloader_then_fn then, void *then_ctx,
                   struct reloader **out, struct ct_error *err)
{
    struct reloader *r = xcalloc(1, sizeof *r);
    r->then = then;
    r->then_ctx = then_ctx;
    r->db_path = xstrdup(db_path);
    r->snap = xstrdup(snap);
    r->base = base;
    r->n_props = n_props;
    r->props = xcalloc(n_props ? n_props : 1, sizeof *r->props);
    for (size_t i = 0; i < n_props; i++)
        r->props[i] = xstrdup(props[i]);
    if (pthread_create(&r->thread, NULL, run, r) != 0) {
        reloader_free(r);
        return ct_error_set(err, CT_ERR_RUNTIME, NULL, 0, 0, "cannot start a thread");
    }
    *out = r;
    return 0;
}

int reloader_poll(struct reloader *r, struct dataset **ds, struct ct_error *err)
{
    *ds = NULL;
    if (!atomic_load(&r->done))
        return 0;
    pthread_join(r->thread, NULL);
    *ds = r->out;
    *err = r->err;
    err->code = r->rc;
    reloader_free(r);
    return 1;
}

void reloader_cancel(struct reloader *r)
{
    if (!r)
        return;
    pthread_join(r->thread, NULL);
    dataset_free(r->out);
    reloader_free(r);
}
