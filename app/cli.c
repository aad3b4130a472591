/*
 * cli.c - command-line parsing over option tables.
 *
 * Accepts --name VALUE, --name=VALUE and "--" to end options; options and
 * positional arguments may be mixed.  No short options: the tables stay the
 * single source of truth for parsing and help.
 */
#include "autoconf.h"

#include <string.h>

#include "app/cli.h"
#include "model/mem.h"

static const struct cli_opt *find(const struct cli_spec *spec, const char *name, size_t len)
{
    for (const struct cli_opt *o = spec->opts; o && o->name; o++)
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
            return o;
    return NULL;
}

int cli_parse(int argc, char **argv, const struct cli_spec *spec, cli_handler handler,
              void *ctx, char ***pos, int *npos, int *help, struct ct_error *err)
{
    *pos = xcalloc((size_t)argc + 1, sizeof **pos);
    *npos = 0;
    *help = 0;
    int only_pos = 0;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (only_pos || a[0] != '-' || strcmp(a, "-") == 0) {
            (*pos)[(*npos)++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            *help = 1;
            cli_print_help(spec, stdout);
            return 0;
        }
        if (a[1] != '-')
            return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                                "unknown option '%s' (see --help)", a);
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const struct cli_opt *o = find(spec, name, len);
        if (!o)
            return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                                "unknown option '--%.*s' (see --help)", (int)len, name);
        const char *val = NULL;
        if (o->arg) {
            if (eq)
                val = eq + 1;
            else if (i + 1 < argc)
                val = argv[++i];
            else
                return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0, "--%s needs %s", o->name,
                                    o->arg);
        } else if (eq) {
            return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0, "--%s takes no value",
                                o->name);
        }
        int rc = handler(o->id, val, ctx, err);
        if (rc)
            return rc;
    }
    return 0;
}

void cli_print_help(const struct cli_spec *spec, FILE *out)
{
    fprintf(out, "Usage: %s\n\n%s\n", spec->usage, spec->summary);
    if (spec->opts && spec->opts->name)
        fputs("\nOptions:\n", out);
    for (const struct cli_opt *o = spec->opts; o && o->name; o++) {
        char left[64];
        if (o->arg)
            snprintf(left, sizeof left, "--%s %s", o->name, o->arg);
        else
            snprintf(left, sizeof left, "--%s", o->name);
        fprintf(out, "  %-24s %s\n", left, o->help);
    }
    fprintf(out, "  %-24s %s\n", "--help", "show this help");
    if (spec->epilog)
        fprintf(out, "\n%s\n", spec->epilog);
}
