/*
 * context.c - opening what commands share: config, zone, store, dataset.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/context.h"
#include "app/paths.h"
#include "model/matcher.h"
#include "model/mem.h"
#include "model/snapshot.h"

int common_opt(struct common_opts *o, int id, const char *arg)
{
    switch (id) {
    case OPT_DB:
        o->db = arg;
        return 0;
    case OPT_CONFIG:
        o->config = arg;
        return 0;
    case OPT_READ_ONLY:
        o->read_only = 1;
        return 0;
    case OPT_MASK_PII:
        o->mask_pii = 1;
        return 0;
    case OPT_FROM:
        o->from = arg;
        return 0;
    case OPT_TO:
        o->to = arg;
        return 0;
    case OPT_NOW:
        o->now = arg;
        return 0;
    case OPT_SEGMENT:
        o->segment = arg;
        return 0;
    }
    return 1;
}

void app_print_errors(const struct ct_errlist *errs)
{
    char buf[2048];
    for (size_t i = 0; i < errs->n; i++) {
        ct_error_format(&errs->items[i], buf, sizeof buf);
        fprintf(stderr, "%s\n", buf);
    }
}

int app_ctx_config(struct app_ctx *cx, const struct common_opts *o, struct ct_error *err)
{
    memset(cx, 0, sizeof *cx);
    cx->config_path = paths_config(o->config);
    struct ct_errlist errs = {0};
    if (config_load(cx->config_path, &cx->cfg, &errs) != 0) {
        app_print_errors(&errs);
        ct_errlist_free(&errs);
        ct_error_set(err, CT_ERR_CONFIG, NULL, 0, 0, "%s", "");
        return CT_ERR_CONFIG;
    }
    ct_errlist_free(&errs);
    if (tz_open(cx->cfg->timezone, &cx->tz, err)) {
        ct_error_set(err, CT_ERR_CONFIG, cx->config_path, 0, 0, "unknown time zone '%s'",
                     cx->cfg->timezone);
        return CT_ERR_CONFIG;
    }
    return 0;
}

int app_ctx_open(struct app_ctx *cx, const struct common_opts *o, unsigned flags,
                 struct ct_error *err)
{
    int rc = app_ctx_config(cx, o, err);
    if (rc)
        return rc;
    cx->db_path = paths_db(o->db);
    /* readers open a writable file read-write (it migrates an older schema
     * forward); --read-only, or a file that is not writable, reads only */
    unsigned sflags = STORE_READONLY;
    if (flags & CTX_WRITE)
        sflags = o->read_only ? STORE_READONLY : STORE_CREATE;
    else if (!o->read_only && access(cx->db_path, W_OK) == 0)
        sflags = 0;
    if ((rc = store_open(cx->db_path, sflags, &cx->st, NULL, err)))
        return rc;
    int64_t newest = 0;
    if (flags & CTX_DATASET) {
        const char **keys;
        size_t n;
        matcher_needed_props2(cx->cfg, o->also, &keys, &n);
        char *snap = paths_snapshot(cx->db_path, o->read_only);
        rc = snapshot_load(cx->st, snap, (char *const *)keys, n, &cx->ds, NULL, err);
        free(snap);
        free(keys);
        if (rc)
            return rc;
        newest = cx->ds->newest_ms;
    } else if ((rc = store_newest_ts(cx->st, &newest, err))) {
        return rc;
    }
    return range_resolve(cx->tz, o->from, o->to, o->now, newest, &cx->range, err);
}

void app_ctx_close(struct app_ctx *cx)
{
    dataset_free(cx->ds);
    store_close(cx->st);
    tz_close(cx->tz);
    config_free(cx->cfg);
    free(cx->db_path);
    free(cx->config_path);
    memset(cx, 0, sizeof *cx);
}
