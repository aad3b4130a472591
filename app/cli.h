/*
 * cli.h - option tables for every command; --help is printed from them.
 */
#ifndef CT_CLI_H
#define CT_CLI_H

#include <stdio.h>

#include "model/error.h"

struct cli_opt {
    const char *name; /* long name without "--" */
    const char *arg;  /* argument name for help, NULL for a flag */
    const char *help;
    int id;           /* passed to the handler */
};

struct cli_spec {
    const char *usage;   /* "convtop import [OPTIONS] FILE..." */
    const char *summary; /* one paragraph */
    const struct cli_opt *opts; /* ends with a zeroed entry */
    const char *epilog;  /* NULL or text after the options */
};

/* Called for each option; return 0 or a status (with err filled). */
typedef int (*cli_handler)(int id, const char *arg, void *ctx, struct ct_error *err);

/* Parse argv[1..] (argv[0] is the command name).  Positional arguments are
 * collected into *pos (pointers into argv) and counted in *npos.  --help
 * prints help to stdout and sets *help.  Returns 0 or CT_ERR_USAGE. */
int cli_parse(int argc, char **argv, const struct cli_spec *spec, cli_handler handler,
              void *ctx, char ***pos, int *npos, int *help, struct ct_error *err);

void cli_print_help(const struct cli_spec *spec, FILE *out);

#endif
