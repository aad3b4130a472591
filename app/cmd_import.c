/*
 * cmd_import.c - convtop import FILE... (SPEC 3.2, 7).
 *
 * Owns the command line of the import, the wiring (config for the time
 * zone and orders mapping through app/context.c, the store, the progress
 * bar) and the summary on stdout.  The import itself is model/import.c.  A database file this
 * command created is removed again when the import fails, so a failed first
 * import leaves nothing behind.  Errors go back to main.c as values.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/context.h"
#include "app/follow_cmd.h"
#include "app/paths.h"
#include "app/progress.h"
#include "model/import.h"
#include "model/mem.h"

enum { OPT_FORMAT = 1, OPT_SKIP_BAD, OPT_QUIET, OPT_FOLLOW };

static const struct cli_opt import_opts_table[] = {
    CLI_OPT_DB,
    CLI_OPT_CONFIG,
    {"format", "F", "auto (default), csv, ndjson, shopify, online-retail, orders or spend",
     OPT_FORMAT},
    {"skip-bad", "FILE", "write bad rows to FILE with the reason, and load the rest", OPT_SKIP_BAD},
    {"follow", NULL, "keep reading one CSV or NDJSON file (or -) as it grows", OPT_FOLLOW},
    {"read-only", NULL, "refused: an import writes to the database", OPT_READ_ONLY},
    {"quiet", NULL, "no progress bar and no summary", OPT_QUIET},
    {NULL, NULL, NULL, 0},
};

static const struct cli_spec import_spec = {
    "convtop import [OPTIONS] FILE...\n"
    "       convtop import --follow [OPTIONS] FILE|-",
    "Load events into the database: event CSV, NDJSON, or order exports (Shopify,\n"
    "UCI Online Retail, or the config's orders mapping), detected from the file name\n"
    "and header, or marketing spend (--format spend: date, channel, purpose,\n"
    "amount).  Files ending in .gz are read directly; - reads standard input.\n"
    "All files are one transaction: every row or none.",
    import_opts_table,
    "The first bad row stops the import with FILE:LINE and nothing is written, unless\n"
    "--skip-bad is given.  Importing the same rows again adds nothing.\n"
    "\n"
    "--follow reads the file like tail -F as the shop's platform appends to it (a\n"
    "truncated file is read again, a replaced one followed into the new file), or a\n"
    "pipe until it closes, and commits what arrives every second or 10,000 rows.\n"
    "Ctrl-C stops it after the current batch.  A bad row stops it with exit 1\n"
    "after committing the good rows before it, unless --skip-bad is given (bad rows\n"
    "are then appended to FILE).  Restarting a follow on the same file adds nothing\n"
    "twice.",
};

struct import_args {
    struct common_opts common;
    const char *rejects;
    enum import_format format;
    int quiet, follow;
};

static int on_option(int id, const char *arg, void *ctx, struct ct_error *err)
{
    struct import_args *a = ctx;
    switch (id) {
    case OPT_FORMAT:
        if (import_format_parse(arg, &a->format) != 0)
            return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                                "unknown format '%s' (auto, csv, ndjson, shopify, "
                                "online-retail, orders or spend)",
                                arg);
        return 0;
    case OPT_SKIP_BAD:
        a->rejects = arg;
        return 0;
    case OPT_QUIET:
        a->quiet = 1;
        return 0;
    case OPT_FOLLOW:
        a->follow = 1;
        return 0;
    default:
        common_opt(&a->common, id, arg);
        return 0;
    }
}

static void remove_db(const char *path)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char *p = xasprintf("%s%s", path, suffix[i]);
        unlink(p);
        free(p);
    }
}

static void print_summary(const struct import_result *r, const char *rejects, const char *db,
                          double secs, int nfiles)
{
    if (r->rows_read == 0) {
        printf("nothing loaded: %s a header and no rows\n",
               nfiles == 1 ? "the file has" : "the files have");
        return;
    }
    printf("imported %d file%s (%s) into %s in %.2f s\n", nfiles, nfiles == 1 ? "" : "s",
           import_format_name(r->format), db, secs);
    printf("  %-14s %12lld\n", "rows read", (long long)r->rows_read);
    printf("  %-14s %12lld\n", "loaded", (long long)r->loaded);
    printf("  %-14s %12lld\n", "duplicates", (long long)r->duplicates);
    if (rejects)
        printf("  %-14s %12lld  (in %s)\n", "rejected", (long long)r->rejected, rejects);
    else
        printf("  %-14s %12lld\n", "rejected", (long long)r->rejected);
    if (r->skipped)
        printf("  %-14s %12lld  (order lines without a customer: guest checkouts)\n", "skipped",
               (long long)r->skipped);
    printf("  %-14s %12lld\n", "new customers", (long long)r->new_customers);
}

int cmd_import(int argc, char **argv, struct ct_error *err)
{
    struct import_args a = {0};
    a.format = FORMAT_AUTO;
    char **files;
    int nfiles, help;
    int rc = cli_parse(argc, argv, &import_spec, on_option, &a, &files, &nfiles, &help, err);
    if (rc || help) {
        free(files);
        return rc;
    }
    if (a.common.read_only)
        rc = ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                          "an import writes to the database, so --read-only refuses it");
    else if (nfiles == 0)
        rc = ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                          "no file to import (give one or more files, or - for standard "
                          "input; see convtop import --help)");
    else if (a.follow && nfiles > 1)
        rc = ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                          "--follow follows one file (or -), not %d", nfiles);
    if (rc) {
        free(files);
        return rc;
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* the config gives the shop's time zone and the orders mapping */
    struct app_ctx cx;
    int created = 0;
    rc = app_ctx_config(&cx, &a.common, err);
    if (!rc) {
        cx.db_path = paths_db(a.common.db);
        rc = store_open(cx.db_path, STORE_CREATE, &cx.st, &created, err);
    }
    struct import_result res;
    memset(&res, 0, sizeof res);
    if (!rc && a.follow) {
        struct follow_opts fo = {.format = a.format,
                                 .tz = cx.tz,
                                 .config = cx.cfg,
                                 .rejects_path = a.rejects};
        struct follow_status fs;
        rc = follow_run(cx.st, files[0], &fo, a.quiet, &fs, err);
        store_close(cx.st);
        cx.st = NULL;
        if (rc && created && fs.loaded == 0)
            remove_db(cx.db_path);
        app_ctx_close(&cx);
        free(files);
        return rc;
    } else if (!rc) {
        struct progress *bar = a.quiet ? NULL : progress_start(stderr);
        struct import_opts o = {a.format, cx.tz, cx.cfg, a.rejects, progress_update, bar};
        rc = import_files(cx.st, files, (size_t)nfiles, &o, &res, err);
        progress_end(bar);
    }
    store_close(cx.st);
    cx.st = NULL;
    if (rc && created)
        remove_db(cx.db_path);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!rc && !a.quiet)
        print_summary(&res, a.rejects, cx.db_path,
                      (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
                      nfiles);
    app_ctx_close(&cx);
    free(files);
    return rc;
}
