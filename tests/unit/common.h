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

#include "model/error.h"
#include "model/mem.h"

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

/* The whole file at path (caller frees); *len gets its size. */
static inline char *test_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    struct strbuf sb = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        sb_add(&sb, buf, n);
    fclose(fp);
    *len = sb.len;
    sb_cstr(&sb);
    return sb_steal(&sb);
}

/* A refused input as every importer reports it: CT_ERR_INPUT, err naming
 * file and line with msg in its text, one printable line when formatted. */
static inline void assert_input_error(int rc, const struct ct_error *err, const char *file,
                                      long line, const char *msg)
{
    char text[2048];
    ct_error_format(err, text, sizeof text);
    if (rc != CT_ERR_INPUT || err->line != line || !strstr(err->msg, msg))
        print_error("%s: rc %d: %s\n", file, rc, text);
    assert_int_equal(rc, CT_ERR_INPUT);
    assert_string_equal(err->file, file);
    assert_int_equal(err->line, line);
    assert_non_null(strstr(err->msg, msg));
    for (const char *c = text; *c; c++)
        assert_true((unsigned char)*c >= 0x20 && *c != 0x7f);
}

/* Milliseconds of a UTC date-time, for readable expectations. */
#define TS(y, mo, d, h, mi, s)                                                                  \
    ((civil_days((y), (mo), (d)) * 86400 + (h) * 3600 + (mi) * 60 + (s)) * INT64_C(1000))

#endif
