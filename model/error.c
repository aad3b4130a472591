/*
 * error.c - struct ct_error helpers.  Prints nothing; formats a message
 * that is safe to print.
 */
#include "autoconf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/error.h"
#include "model/mem.h"
#include "model/text.h"

int ct_error_set(struct ct_error *err, int code, const char *file, long line, long col,
                 const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

void ct_error_clear(struct ct_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

void ct_error_format(const struct ct_error *err, char *buf, size_t size)
{
    char raw[sizeof err->file + sizeof err->msg + 64];
    if (err->file[0] && err->line > 0 && err->col > 0)
        snprintf(raw, sizeof raw, "%s:%ld:%ld: %s", err->file, err->line, err->col, err->msg);
    else if (err->file[0] && err->line > 0)
        snprintf(raw, sizeof raw, "%s:%ld: %s", err->file, err->line, err->msg);
    else if (err->file[0])
        snprintf(raw, sizeof raw, "%s: %s", err->file, err->msg);
    else
        snprintf(raw, sizeof raw, "%s", err->msg);
    /* messages quote file names, arguments and data: whoever wrote them,
     * what reaches a terminal has no control character (SPEC 9) */
    if (size)
        text_sanitize(raw, buf, size);
}

int ct_error_exit_code(int code)
{
    switch (code) {
    case CT_OK:
        return 0;
    case CT_ERR_USAGE:
    case CT_ERR_CONFIG:
        return 2;
    default:
        return 1;
    }
}

void ct_errlist_add(struct ct_errlist *list, const struct ct_error *err)
{
    if (list->n == list->cap) {
        list->cap = list->cap ? list->cap * 2 : 8;
        list->items = xreallocarray(list->items, list->cap, sizeof *list->items);
    }
    list->items[list->n++] = *err;
}

void ct_errlist_free(struct ct_errlist *list)
{
    if (!list)
        return;
    free(list->items);
    memset(list, 0, sizeof *list);
}
