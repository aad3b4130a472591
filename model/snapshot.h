/*
 * snapshot.h - the dataset kept in a file beside the database and mapped
 * into memory, so a report or the first frame on ten million events does
 * not read every row through SQLite again.
 *
 * A snapshot records the store's identity (store_identity): when the
 * store has only grown since, the snapshot is extended with the new rows;
 * when rows were deleted or rewritten, or the file does not match in any
 * way, it is rebuilt from the store.  It is a cache: losing it loses
 * nothing, and a snapshot that does not match is never used.
 */
#ifndef CT_SNAPSHOT_H
#define CT_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "model/dataset.h"
#include "model/error.h"

struct store;

enum snapshot_source {
    SNAP_MAPPED,   /* the file matched the store */
    SNAP_EXTENDED, /* the file plus the rows added since */
    SNAP_REBUILT,  /* read from the store */
};

struct snapshot_info {
    enum snapshot_source source;
    int64_t delta_events; /* SNAP_EXTENDED: rows read from the store */
    int written;          /* a new snapshot file was written */
};

/* The dataset of st with the event properties props.  path names the
 * snapshot file (NULL: none, always read the store).  A snapshot that
 * cannot be written is not an error. */
int snapshot_load(struct store *st, const char *path, char *const *props, size_t n_props,
                  struct dataset **out, struct snapshot_info *info, struct ct_error *err);

/* Write ds to path atomically (a temporary file, then rename), mode 0600. */
int snapshot_write(const struct dataset *ds, const char *path, struct ct_error *err);

/* Map path; CT_ERR_NOTFOUND when missing, CT_ERR_RUNTIME when it is not a
 * valid snapshot of this program. */
int snapshot_map(const char *path, struct dataset **out, struct ct_error *err);

#endif
