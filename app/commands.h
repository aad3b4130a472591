/*
 * commands.h - the subcommands.  Each returns a status of model/error.h and
 * fills err; app/main.c prints err and picks the exit code.  A command that
 * already printed its own problems (check, a config error list) returns the
 * status with err->msg empty.
 */
#ifndef CT_COMMANDS_H
#define CT_COMMANDS_H

#include "model/error.h"

int cmd_import(int argc, char **argv, struct ct_error *err);
int cmd_demo(int argc, char **argv, struct ct_error *err);
int cmd_report(int argc, char **argv, struct ct_error *err);
int cmd_check(int argc, char **argv, struct ct_error *err);
/* No subcommand: the terminal UI (argv[0] is "convtop"). */
int cmd_tui(int argc, char **argv, struct ct_error *err);

#endif
