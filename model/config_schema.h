/*
 * config_schema.h - the key table of the configuration (STYLE 3.3).
 *
 * One row per key path says where the value goes in struct config, what
 * type it has, its limits or choices, its SPEC 5.0 default and one line of
 * help.  config.c walks a YAML document against this table (parsing,
 * validation, defaults, "did you mean"); convtop.1 documents the same rows
 * and tests/unit/test_config.c checks that the two agree.  This module holds
 * data and lookups only: it never parses YAML, prints or allocates.
 */
#ifndef CT_CONFIG_SCHEMA_H
#define CT_CONFIG_SCHEMA_H

#include <stddef.h>

enum cfg_type {
    CFG_MAP,      /* a map of the keys one level down; they fill the same struct */
    CFG_LIST,     /* a list of maps; each item is one element of an array */
    CFG_STRING,   /* any non-empty scalar, kept as text */
    CFG_INT,      /* a plain whole number within min..max */
    CFG_NUMBER,   /* a plain finite number */
    CFG_BOOL,     /* true/false, yes/no, on/off */
    CFG_DURATION, /* <number><unit>, unit s, m, h, d, w; stored as int64_t ms */
    CFG_ENUM,     /* one of choices; stored as an int, the index of the choice */
    CFG_TIMEZONE, /* an IANA zone name that tz_exists() accepts */
    CFG_NAMES,    /* an event name or a list of them (char ** plus a count) */
    CFG_MATCHER,  /* SPEC 4 matcher: a name, a list of names, or a map of matcher.* */
    CFG_WHERE     /* { PROPERTY: VALUE|[VALUES] } (struct where_cond * plus a count) */
};

enum {
    CFG_REQUIRED = 1u << 0,  /* must be given when the map holding it is given */
    CFG_NONEMPTY = 1u << 1,  /* a list that may not be empty when given */
    CFG_SHORTHAND = 1u << 2, /* CFG_LIST: an item may be an event name, which then
                                names the item and is its matcher (steps) */
    CFG_GIVEN = 1u << 3      /* set the int at given_off to 1 when the key is given */
};

/*
 * A key path names the key from the top of the document: "funnel.window".
 * "[]" stands for the items of a list: "funnels[].steps[].match".  The keys
 * of a matcher written as a map live under the pseudo level "matcher", as the
 * same keys serve every place a matcher is allowed.
 *
 * Offsets are into the struct of the row's level: struct config for keys
 * outside lists (maps do not open a struct of their own), the list's element
 * struct for "x[]." keys, struct matcher for "matcher." keys.
 */
struct cfg_key {
    const char *path;
    enum cfg_type type;
    unsigned flags;
    const char *const *choices; /* CFG_ENUM: NULL-terminated; index = enum value */
    long min, max;              /* CFG_INT: inclusive limits */
    /* The default as YAML text, parsed like a value of the key; "@PATH" takes
     * the value that key PATH (outside any list) ended up with; NULL: none. */
    const char *def;
    const char *help;
    const char *noun;     /* CFG_LIST: one item in messages ("step") */
    const char *name_key; /* CFG_LIST: the key that names an item; names are unique */
    const char *reserved; /* CFG_LIST: a name no item may take */
    size_t off;           /* the field (unused by CFG_MAP) */
    size_t n_off;         /* CFG_LIST, CFG_NAMES, CFG_WHERE: the count field */
    size_t elem_size;     /* CFG_LIST: size of one element */
    size_t given_off;     /* CFG_GIVEN: an int field */
};

extern const struct cfg_key config_keys[];
extern const size_t config_n_keys;

/* The row of an exact path, or NULL. */
const struct cfg_key *config_key_find(const char *path);

/* The key name of row k when k sits directly below level ("" is the top,
 * "funnels[]" the items of funnels, "matcher" a matcher map), else NULL.
 * "funnels[].steps" below "funnels[]" gives "steps". */
const char *config_key_at(const struct cfg_key *k, const char *level);

/* The candidate closest to word by edit distance (insertions, deletions,
 * substitutions and swaps of neighbours), or NULL when none is close enough
 * to be a likely typo.  cands ends with NULL. */
const char *config_nearest(const char *word, const char *const *cands);

/* The known key closest to word among the keys directly below level. */
const char *config_key_suggest(const char *level, const char *word);

/* What a value of the row looks like, for messages and the man page:
 * "duration", "integer 1..520", "ordered|strict|any", "matcher"... */
void config_key_type(const struct cfg_key *k, char *buf, size_t size);

#endif
