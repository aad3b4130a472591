/*
 * context.h - what a command opens: the database, the config, the shop's
 * time zone, and (for reports and the TUI) the dataset and the range.
 */
#ifndef CT_CONTEXT_H
#define CT_CONTEXT_H

#include "app/cli.h"
#include "model/config.h"
#include "model/dataset.h"
#include "model/error.h"
#include "model/period.h"
#include "model/store.h"
#include "model/tz.h"

/* Options most commands share (SPEC 7). */
struct common_opts {
    const char *db, *config, *from, *to, *now, *segment;
    int read_only, mask_pii;
    const struct config *also; /* a second config whose properties to load too */
};

enum common_id {
    OPT_DB = 1000,
    OPT_CONFIG,
    OPT_READ_ONLY,
    OPT_MASK_PII,
    OPT_FROM,
    OPT_TO,
    OPT_NOW,
    OPT_SEGMENT,
};

#define CLI_OPT_DB                                                                              \
    {"db", "FILE", "the database (default $CONVTOP_DB, else $XDG_DATA_HOME/convtop/shop.db)",   \
     OPT_DB}
#define CLI_OPT_CONFIG                                                                          \
    {"config", "FILE", "the shop's config (default $CONVTOP_CONFIG, XDG, built-in)", OPT_CONFIG}
#define CLI_OPT_READ_ONLY {"read-only", NULL, "open the database read-only", OPT_READ_ONLY}
#define CLI_OPT_MASK_PII {"mask-pii", NULL, "mask e-mails and names (j***@e***.com, J. D.)", OPT_MASK_PII}
#define CLI_OPT_FROM {"from", "DATE", "range start, YYYY-MM-DD (local midnight) or a timestamp", OPT_FROM}
#define CLI_OPT_TO {"to", "DATE", "range end, inclusive day, or a timestamp", OPT_TO}
#define CLI_OPT_NOW                                                                             \
    {"now", "TIME", "as-of moment (default: end of range, else the newest event)", OPT_NOW}
#define CLI_OPT_SEGMENT {"segment", "NAME", "only customers of this segment of the config", OPT_SEGMENT}

/* Handle a common option; returns 1 when id was not one of them. */
int common_opt(struct common_opts *o, int id, const char *arg);

struct app_ctx {
    char *db_path, *config_path;
    struct config *cfg;
    struct tz *tz;
    struct store *st;
    struct dataset *ds; /* NULL unless loaded */
    struct range range;
};

enum ctx_flags {
    CTX_DATASET = 1, /* load every event into memory */
    CTX_WRITE = 2,   /* open read-write (create when missing) */
};

/* Load the config (printing every problem to stderr, CT_ERR_CONFIG), open
 * the store, load the dataset if asked and resolve the range. */
int app_ctx_open(struct app_ctx *cx, const struct common_opts *o, unsigned flags,
                 struct ct_error *err);
/* The config and time zone only (no database). */
int app_ctx_config(struct app_ctx *cx, const struct common_opts *o, struct ct_error *err);
void app_ctx_close(struct app_ctx *cx);

/* Print every error of a list to stderr as FILE:LINE:COL: message. */
void app_print_errors(const struct ct_errlist *errs);

#endif
