/*
 * strmap.c - linear-probing hash map, FNV-1a hashed, power-of-two sized.
 */
#include "autoconf.h"

#include <string.h>

#include "model/mem.h"
#include "model/strmap.h"

uint64_t strmap_hash(const char *key, size_t len)
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)key[i];
        h *= UINT64_C(1099511628211);
    }
    return h ^ (h >> 29);
}

void strmap_init(struct strmap *m)
{
    memset(m, 0, sizeof *m);
}

void strmap_free(struct strmap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    memset(m, 0, sizeof *m);
}

static struct strmap_entry *probe(const struct strmap *m, const char *key, size_t len,
                                  uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        struct strmap_entry *e = &m->slots[i];
        if (!e->key || (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0))
            return e;
    }
}

struct strmap_entry *strmap_get(const struct strmap *m, const char *key, size_t len)
{
    if (!m->cap)
        return NULL;
    struct strmap_entry *e = probe(m, key, len, strmap_hash(key, len));
    return e->key ? e : NULL;
}

static void grow(struct strmap *m)
{
    struct strmap old = *m;
    m->cap = old.cap ? old.cap * 2 : 64;
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    for (size_t i = 0; i < old.cap; i++) {
        struct strmap_entry *e = &old.slots[i];
        if (e->key)
            *probe(m, e->key, e->len, e->hash) = *e;
    }
    free(old.slots);
}

struct strmap_entry *strmap_put(struct strmap *m, const char *key, size_t len, int *created)
{
    if ((m->n + 1) * 4 > m->cap * 3)
        grow(m);
    uint64_t h = strmap_hash(key, len);
    struct strmap_entry *e = probe(m, key, len, h);
    if (created)
        *created = !e->key;
    if (!e->key) {
        e->key = xstrndup(key, len);
        e->len = len;
        e->hash = h;
        e->val = e->aux = 0;
        m->n++;
    }
    return e;
}
