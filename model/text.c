/*
 * text.c - UTF-8 helpers shared by importers, the store and renderers.
 */
#include "autoconf.h"

#include <stdint.h>
#include <string.h>

#include "model/mem.h"
#include "model/text.h"

/* Decode one code point at s (n bytes left).  Returns its length, or 0 when
 * the bytes are not valid UTF-8. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t len;
    uint32_t min;
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2;
        min = 0x80;
        *cp = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3;
        min = 0x800;
        *cp = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4;
        min = 0x10000;
        *cp = s[0] & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = *cp << 6 | (s[i] & 0x3F);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return len;
}

int text_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = decode(p + i, n - i, &cp);
        if (!len)
            return 0;
        i += len;
    }
    return 1;
}

int text_has_control(const char *s, size_t n, int allow_space_ctl)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c < 0x20 || c == 0x7F) {
            if (allow_space_ctl && (c == '\t' || c == '\n' || c == '\r'))
                continue;
            return 1;
        }
        /* C1 controls are U+0080-U+009F, encoded C2 80 - C2 9F */
        if (c == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F)
            return 1;
    }
    return 0;
}

static uint32_t fold_cp(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        return cp + 32;
    if (cp >= 0x100 && cp <= 0x137 && !(cp & 1))
        return cp + 1;
    if (cp >= 0x139 && cp <= 0x148 && (cp & 1))
        return cp + 1;
    if (cp >= 0x14A && cp <= 0x177 && !(cp & 1))
        return cp + 1;
    if (cp == 0x178)
        return 0xFF;
    if ((cp == 0x179 || cp == 0x17B || cp == 0x17D))
        return cp + 1;
    return cp;
}

static size_t encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

char *text_fold(const char *s, size_t n)
{
    char *out = xmalloc(n + 1);
    size_t o = 0, i = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (i < n) {
        uint32_t cp;
        size_t len = decode(p + i, n - i, &cp);
        if (!len) {
            out[o++] = s[i++];
            continue;
        }
        char tmp[4];
        size_t el = encode(fold_cp(cp), tmp);
        if (el > len) { /* never happens for the ranges folded; keep the original */
            memcpy(out + o, s + i, len);
            o += len;
        } else {
            memcpy(out + o, tmp, el);
            o += el;
        }
        i += len;
    }
    out[o] = '\0';
    return out;
}

void text_sanitize(const char *s, char *buf, size_t size)
{
    size_t o = 0, i = 0, n = strlen(s);
    const unsigned char *p = (const unsigned char *)s;
    while (i < n && o + 1 < size) {
        uint32_t cp;
        size_t len = decode(p + i, n - i, &cp);
        if (!len || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
            buf[o++] = '?';
            i += len ? len : 1;
            continue;
        }
        if (o + len + 1 > size)
            break;
        memcpy(buf + o, s + i, len);
        o += len;
        i += len;
    }
    buf[o] = '\0';
}

static int cp_width(uint32_t cp)
{
    if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0x200B && cp <= 0x200F) || cp == 0xFE0F)
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
        (cp >= 0x1F300 && cp <= 0x1FAFF) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

size_t text_width(const char *s)
{
    size_t w = 0, i = 0, n = strlen(s);
    const unsigned char *p = (const unsigned char *)s;
    while (i < n) {
        uint32_t cp;
        size_t len = decode(p + i, n - i, &cp);
        if (!len) {
            w++;
            i++;
            continue;
        }
        w += (size_t)cp_width(cp);
        i += len;
    }
    return w;
}

size_t text_fit(const char *s, size_t cols)
{
    size_t w = 0, i = 0, n = strlen(s);
    const unsigned char *p = (const unsigned char *)s;
    while (i < n) {
        uint32_t cp;
        size_t len = decode(p + i, n - i, &cp);
        int cw = 1;
        if (!len)
            len = 1;
        else
            cw = cp_width(cp);
        if (w + (size_t)cw > cols)
            break;
        w += (size_t)cw;
        i += len;
    }
    return i;
}
