/* cmd_import.c - placeholder until the command lands. */
#include "autoconf.h"

#include "app/commands.h"

int cmd_import(int argc, char **argv, struct ct_error *err)
{
    (void)argc;
    (void)argv;
    return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0, "not implemented yet");
}
