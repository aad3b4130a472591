/*
 * text.h - UTF-8 checks, case folding for search terms, safe display text.
 *
 * Input text is checked on import (invalid UTF-8 and control characters make
 * a row bad); display text is made safe again on output, because a database
 * may be written by other tools.
 */
#ifndef CT_TEXT_H
#define CT_TEXT_H

#include <stddef.h>

/* True when s[0..n) is valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
int text_utf8_valid(const char *s, size_t n);

/* True when s[0..n) has a C0 control, DEL or a C1 control (U+0080-U+009F).
 * allow_space_ctl lets tab, CR and LF through (free text such as properties). */
int text_has_control(const char *s, size_t n, int allow_space_ctl);

/* Lower-case copy for search terms: ASCII and Latin-1/Latin Extended-A
 * letters are folded, everything else is copied.  Caller frees. */
char *text_fold(const char *s, size_t n);

/* Copy s into buf (size > 0) replacing invalid UTF-8 and every control
 * character by '?', so text from the database cannot drive the terminal. */
void text_sanitize(const char *s, char *buf, size_t size);

/* Number of terminal columns of valid UTF-8 text (1 per code point, 2 for
 * common wide ranges, 0 for combining marks). */
size_t text_width(const char *s);

/* Largest byte length of s that fits in cols columns, never splitting a
 * character. */
size_t text_fit(const char *s, size_t cols);

#endif
