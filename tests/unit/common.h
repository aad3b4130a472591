/*
 * common.h - cmocka's include order and small fixtures for the unit tests.
 */
#ifndef CT_TEST_COMMON_H
#define CT_TEST_COMMON_H

#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* A fresh temporary directory for one test; caller frees the string. */
static inline char *test_tmpdir(void)
{
    char tmpl[] = "/tmp/convtop-test-XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

/* rm -r of a directory made by test_tmpdir (files only, one level). */
static inline void test_rmdir(char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

/* Write text to dir/name; returns the path (caller frees). */
static inline char *test_write(const char *dir, const char *name, const char *text)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fwrite(text, 1, strlen(text), f);
    fclose(f);
    return p;
}

/* Milliseconds of a UTC date-time, for readable expectations. */
#define TS(y, mo, d, h, mi, s)                                                                  \
    ((civil_days((y), (mo), (d)) * 86400 + (h) * 3600 + (mi) * 60 + (s)) * INT64_C(1000))

#endif
