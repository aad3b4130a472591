/*
 * main.c - subcommand dispatch; turns a status into a message and an exit
 * code (0 ok, 1 runtime error, 2 usage or config error).
 */
#include "autoconf.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "app/commands.h"
#include "model/error.h"

static const char usage[] =
    "Usage: convtop [OPTIONS]                 the terminal UI (see convtop --help)\n"
    "       convtop demo   [--db FILE] [--customers N] [--seed N]\n"
    "       convtop import [--db FILE] [--format F] [--skip-bad FILE] FILE...\n"
    "       convtop report funnel|goals|cohort|customers|winback|customer KEY [OPTIONS]\n"
    "       convtop check  [CONFIG]\n"
    "       convtop --help | --version\n";

struct command {
    const char *name;
    int (*run)(int argc, char **argv, struct ct_error *err);
};

static const struct command commands[] = {
    {"import", cmd_import}, {"demo", cmd_demo},   {"report", cmd_report},
    {"check", cmd_check},   {NULL, NULL},
};

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    struct ct_error err;
    ct_error_clear(&err);
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("convtop %s\n", PACKAGE_VERSION);
        return 0;
    }
    int rc = -1;
    if (argc > 1 && argv[1][0] != '-') {
        for (const struct command *c = commands; c->name; c++)
            if (strcmp(argv[1], c->name) == 0)
                rc = c->run(argc - 1, argv + 1, &err);
        if (rc < 0) {
            fprintf(stderr, "convtop: unknown command '%s'\n%s", argv[1], usage);
            return 2;
        }
    } else {
        rc = cmd_tui(argc, argv, &err);
    }
    if (rc != 0 && err.msg[0]) {
        char buf[2048];
        ct_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "convtop: %s\n", buf);
    }
    return ct_error_exit_code(rc);
}
