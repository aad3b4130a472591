/*
 * cmd_check.c - convtop check [CONFIG]: validate a configuration (SPEC 4, 7).
 *
 * Owns the command line of check and the printing of the config loader's
 * problem list.  The validation itself is model/config.c; this file only
 * picks the file (the argument, else the discovered config of SPEC 4) and
 * reports: every problem on stderr as FILE:LINE:COLUMN: message and exit 2,
 * or a one-line summary on stdout and exit 0.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/context.h"
#include "app/paths.h"
#include "model/config.h"

/* --config is the common option of context.h: check FILE and
 * check --config FILE mean the same */
static const struct cli_opt check_opts[] = {
    CLI_OPT_CONFIG,
    {NULL, NULL, NULL, 0},
};

static const struct cli_spec check_spec = {
    .usage = "convtop check [CONFIG]",
    .summary = "Validate a configuration and print every problem as FILE:LINE:COLUMN: message.\n"
               "Without CONFIG, checks the config convtop would use: $CONVTOP_CONFIG,\n"
               "$XDG_CONFIG_HOME/convtop/convtop.yaml, then the built-in default.",
    .opts = check_opts,
    .epilog = "Exit status: 0 when the config is valid, 2 when it has problems.",
};

static int on_option(int id, const char *arg, void *ctx, struct ct_error *err)
{
    (void)err;
    if (id == OPT_CONFIG)
        *(const char **)ctx = arg;
    return 0;
}

int cmd_check(int argc, char **argv, struct ct_error *err)
{
    const char *flag = NULL;
    char **pos;
    int npos, help;
    int rc = cli_parse(argc, argv, &check_spec, on_option, &flag, &pos, &npos, &help, err);
    if (rc == 0 && !help && (npos > 1 || (npos == 1 && flag)))
        rc = ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                          "check takes one config file (see convtop check --help)");
    if (rc || help) {
        free(pos);
        return rc;
    }
    char *path = paths_config(npos == 1 ? pos[0] : flag);
    free(pos);
    if (!path)
        return ct_error_set(err, CT_ERR_CONFIG, NULL, 0, 0,
                            "no config found: give one, or set CONVTOP_CONFIG");

    struct ct_errlist errs = {0};
    struct config *cfg = NULL;
    if (config_load(path, &cfg, &errs) != 0) {
        app_print_errors(&errs);
        ct_errlist_free(&errs);
        free(path);
        /* the problems are printed: main adds nothing, only the exit code */
        ct_error_clear(err);
        return CT_ERR_CONFIG;
    }
    printf("%s: ok (%zu stages, %zu funnels, %zu goals, %zu segments)\n", path, cfg->stages.n_steps,
           cfg->n_funnels, cfg->n_goals, cfg->n_segments);
    config_free(cfg);
    ct_errlist_free(&errs);
    free(path);
    return 0;
}
