/*
 * mem.h - allocation that cannot fail.
 *
 * Out of memory calls the hook that app/ installs (to restore the terminal),
 * then aborts.  Callers therefore never check for NULL.
 */
#ifndef CT_MEM_H
#define CT_MEM_H

#include <stddef.h>
#include <stdlib.h>

typedef void (*ct_oom_hook)(void);

void ct_set_oom_hook(ct_oom_hook hook);

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte buffer; always NUL-terminated when len > 0 or after sb_cstr. */
struct strbuf {
    char *buf;
    size_t len, cap;
};

void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *sb_cstr(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_free(struct strbuf *sb);
/* Take ownership of the buffer (never NULL), leaving sb empty. */
char *sb_steal(struct strbuf *sb);

#endif
