/*
 * fuzz_theme.c - libFuzzer target of the theme loader (ui/theme.c, SPEC 6).
 *
 * Any bytes are a themes/NAME.yaml file.  theme_load_text must return 0 or
 * CT_ERR_CONFIG with a FILE:LINE:COL message that is safe to print, and
 * leave every role within the colour ranges curses accepts.  Seeds:
 * tests/fuzz/corpus/theme (the shipped themes and variants); dictionary:
 * theme.dict; `make fuzz` runs it.
 */
#include "autoconf.h"

#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "ui/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct theme t;
    struct ct_error err;
    ct_error_clear(&err);
    int rc = theme_load_text((const char *)data, size, "fuzz.yaml", &t, &err);
    if (rc) {
        if (rc != CT_ERR_CONFIG || err.code != rc)
            fuzz_fail("theme_load_text", "a status other than CT_ERR_CONFIG");
        if (strcmp(err.file, "fuzz.yaml") != 0)
            fuzz_fail("theme error does not name the file", err.file);
        fuzz_check_message("theme error", err.msg);
        return 0;
    }
    if (!memchr(t.name, '\0', sizeof t.name))
        fuzz_fail("theme name", "not terminated");
    if (t.name[0])
        fuzz_check_message("theme name", t.name);
    for (int r = 0; r < ROLE_COUNT; r++) {
        const struct role_style *s = &t.roles[r];
        if (s->fg < -1 || s->fg > 255 || s->bg < -1 || s->bg > 255 || s->fg8 < -1 || s->fg8 > 15 ||
            s->bg8 < -1 || s->bg8 > 15)
            fuzz_fail("theme role", "a colour out of range");
    }
    return 0;
}
