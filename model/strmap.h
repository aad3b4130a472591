/*
 * strmap.h - an open-addressing hash map from byte strings to two integers.
 *
 * Used to intern event names, channels and sessions, and by the import
 * writer to cache customer ids.  Owns copies of its keys.
 */
#ifndef CT_STRMAP_H
#define CT_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap_entry {
    char *key; /* NUL-terminated copy */
    size_t len;
    uint64_t hash;
    uint64_t val, aux;
};

struct strmap {
    struct strmap_entry *slots;
    size_t cap, n;
};

void strmap_init(struct strmap *m);
void strmap_free(struct strmap *m);

/* The entry for key, or NULL. */
struct strmap_entry *strmap_get(const struct strmap *m, const char *key, size_t len);

/* The entry for key, created with val = aux = 0 when missing (*created = 1).
 * Entries move when the map grows: do not keep the pointer across puts. */
struct strmap_entry *strmap_put(struct strmap *m, const char *key, size_t len, int *created);

uint64_t strmap_hash(const char *key, size_t len);

#endif
