/*
 * reloader.h - the TUI's next dataset, built on a thread of its own.
 *
 * While data flows in (import --follow, demo --live), building the next
 * dataset takes longer than a key may wait on ten million events, so it is
 * built beside the event loop: with its own database connection, from the
 * dataset on screen (which stays valid and unchanged until the loop swaps
 * in the new one).  New rows only extend it; anything else reads it all
 * again through the snapshot.
 */
#ifndef CT_RELOADER_H
#define CT_RELOADER_H

#include <stddef.h>

#include "model/error.h"

struct dataset;
struct reloader;

/* Called on the reloader's thread with the dataset it built, before the
 * event loop sees it (figures.h's prefig_run). */
typedef void (*reloader_then_fn)(void *ctx, const struct dataset *ds);

/* Start building from base (which must outlive the reloader).  snap is the
 * snapshot path for a full reload; props are the matcher properties.  The
 * strings are copied.  then (may be NULL) runs on the new dataset with
 * then_ctx, which the caller owns and must not touch until the reloader
 * is done (reloader_poll returned 1, or reloader_cancel). */
int reloader_start(const char *db_path, const char *snap, const struct dataset *base,
                   char *const *props, size_t n_props, reloader_then_fn then, void *then_ctx,
                   struct reloader **out, struct ct_error *err);

/* 0 while it runs; 1 when done: *ds is the new dataset (the caller owns
 * it), or NULL when nothing changed or it failed (err set then, err->code
 * nonzero).  A finished reloader is freed by this call. */
int reloader_poll(struct reloader *r, struct dataset **ds, struct ct_error *err);

/* Wait for it and throw its result away (NULL is fine). */
void reloader_cancel(struct reloader *r);

#endif
