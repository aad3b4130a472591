/*
 * config.c - the YAML configuration loader (SPEC 4 and 5.0).
 *
 * Owns reading the config file (at most 1 MiB), parsing it with libyaml's
 * document API, walking the document against the key table of
 * config_schema.c (types, limits, defaults, unknown keys), and the checks
 * that span several keys (duplicate names, tier order, order-export columns).
 * Every problem is collected into a ct_errlist as FILE:LINE:COLUMN, sorted by
 * position; nothing is printed, and nothing but the named file is read.
 *
 * Hostile input is expected (SPEC 9): the walk follows the schema, so its
 * depth is bounded whatever the document's shape; a budget of node visits
 * stops alias bombs (aliases share nodes, a walk would expand them); a first
 * pass over libyaml's events refuses deep nesting before the document loader
 * spends quadratic time on it; the error list is capped.
 *
 * Entry points: config_load, config_load_text, config_free, config_funnel,
 * config_segment, config_tier, config_parse_duration.
 */
#include "autoconf.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "model/config.h"
#include "model/config_schema.h"
#include "model/mem.h"
#include "model/strmap.h"
#include "model/text.h"
#include "model/tz.h"

enum {
    MAX_BYTES = 1 << 20, /* a config is a page or two; more is the wrong file */
    MAX_DEPTH = 32,      /* the schema nests 8 levels deep */
    MAX_ERRORS = 50,     /* a list nobody reads past; also bounds the memory */
    MIN_BUDGET = 100000  /* node visits allowed beyond twice the document's nodes */
};

/* 100 years: longer windows mean nothing, and ts + window must not overflow */
#define MAX_DURATION_MS (INT64_C(36500) * 86400 * 1000)

struct loader {
    const char *file;
    const unsigned char *text; /* for positions of reader errors */
    size_t len;
    yaml_document_t *doc;
    struct config *cfg;
    struct ct_errlist *errs;
    size_t first_err; /* errs->n when this load began */
    size_t budget;    /* node visits left */
    int stop;         /* too many problems or nodes: give up the walk */
    int overflow;     /* the last error is "too many problems" */
};

/* ------------------------------------------------------------------ problems */

static void problem_at(struct loader *L, long line, long col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem_at(struct loader *L, long line, long col, const char *fmt, ...)
{
    if (L->stop)
        return;
    struct ct_error e;
    if (L->errs->n - L->first_err + 1 >= MAX_ERRORS) {
        ct_error_set(&e, CT_ERR_CONFIG, L->file, 0, 0,
                     "too many problems; fix these first and check again");
        ct_errlist_add(L->errs, &e);
        L->stop = L->overflow = 1;
        return;
    }
    char msg[sizeof e.msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ct_error_set(&e, CT_ERR_CONFIG, L->file, line, col, "%s", msg);
    ct_errlist_add(L->errs, &e);
}

/* libyaml marks count from 0; messages count from 1. */
#define problem(L, mark, ...)                                                                      \
    problem_at((L), (long)(mark).line + 1, (long)(mark).column + 1, __VA_ARGS__)

/* Line and column of a byte offset (reader errors carry no mark). */
static void offset_position(const unsigned char *s, size_t len, size_t off, long *line, long *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n'))) {
            (*line)++;
            *col = 1;
        } else if ((s[i] & 0xC0) != 0x80 && s[i] != '\r') {
            (*col)++;
        }
    }
}

static void syntax_error(struct loader *L, const yaml_parser_t *p)
{
    long line, col;
    if (p->error == YAML_READER_ERROR) {
        offset_position(L->text, L->len, p->problem_offset, &line, &col);
    } else {
        line = (long)p->problem_mark.line + 1;
        col = (long)p->problem_mark.column + 1;
    }
    if (p->error == YAML_MEMORY_ERROR) {
        problem_at(L, line, col, "out of memory while reading the YAML");
        return;
    }
    const char *what = p->problem ? p->problem : "cannot parse this";
    char extra[64] = "";
    if (p->error == YAML_READER_ERROR && p->problem_value != -1)
        snprintf(extra, sizeof extra, " (byte 0x%02x)", (unsigned)p->problem_value & 0xFFu);
    if (p->context)
        problem_at(L, line, col, "YAML syntax error: %s%s (%s at line %ld, column %ld)", what,
                   extra, p->context, (long)p->context_mark.line + 1,
                   (long)p->context_mark.column + 1);
    else
        problem_at(L, line, col, "YAML syntax error: %s%s", what, extra);
}

/* --------------------------------------------------------------- nodes */

static const char *sval(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

static int is_plain(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* YAML's null: an empty plain scalar, ~ or null. */
static int is_null(const yaml_node_t *n)
{
    if (!is_plain(n))
        return 0;
    const char *s = sval(n);
    return !*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
           strcmp(s, "NULL") == 0;
}

/* User text made safe and short for a message. */
static const char *quote(const char *s, char *buf, size_t size)
{
    char tmp[64];
    text_sanitize(s, tmp, sizeof tmp);
    snprintf(buf, size, "%s%s", tmp, strlen(s) >= sizeof tmp - 1 ? "..." : "");
    return buf;
}

/* "a map", "a list", "nothing" or 'the text' of a scalar. */
static const char *describe(const yaml_node_t *n, char *buf, size_t size)
{
    if (n->type == YAML_MAPPING_NODE)
        return "a map";
    if (n->type == YAML_SEQUENCE_NODE)
        return "a list";
    if (is_null(n))
        return "nothing";
    char q[80];
    snprintf(buf, size, "'%s'", quote(sval(n), q, sizeof q));
    return buf;
}

/* The node at index, counted against the budget (aliases share nodes, so a
 * walk can visit far more nodes than the document holds). */
static yaml_node_t *visit(struct loader *L, int index, yaml_mark_t from)
{
    if (L->stop)
        return NULL;
    if (L->budget == 0) {
        problem(L, from,
                "aliases expand to too many nodes (more than %zu); "
                "write the config without nested aliases",
                (size_t)MIN_BUDGET);
        L->stop = 1;
        return NULL;
    }
    L->budget--;
    return yaml_document_get_node(L->doc, index);
}

/* The value of key in a mapping, without counting (a handful of lookups for
 * marks, after the walk). */
static yaml_node_t *map_find(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE && strcmp(sval(k), key) == 0)
            return yaml_document_get_node(doc, p->value);
    }
    return NULL;
}

/*
 * Index the keys of a mapping in keys (key -> pair number + 1), reporting
 * keys that are not names and duplicate keys (YAML forbids them; libyaml
 * keeps both).  Returns the number of pairs.
 */
static size_t index_keys(struct loader *L, yaml_node_t *map, struct strmap *keys)
{
    size_t n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
    char q[80], d[80];
    for (size_t i = 0; i < n && !L->stop; i++) {
        yaml_node_t *k = visit(L, map->data.mapping.pairs.start[i].key, map->start_mark);
        if (!k)
            break;
        if (k->type != YAML_SCALAR_NODE || is_null(k)) {
            problem(L, k->start_mark, "a key must be a name, not %s", describe(k, d, sizeof d));
            continue;
        }
        int created;
        struct strmap_entry *e = strmap_put(keys, sval(k), k->data.scalar.length, &created);
        if (created) {
            e->val = i + 1;
            continue;
        }
        yaml_node_t *first =
            yaml_document_get_node(L->doc, map->data.mapping.pairs.start[e->val - 1].key);
        problem(L, k->start_mark, "duplicate key '%s' (first at line %ld, column %ld)",
                quote(sval(k), q, sizeof q), (long)first->start_mark.line + 1,
                (long)first->start_mark.column + 1);
    }
    return n;
}

/* The key of pair i when it is the first of its name (duplicates are reported
 * once by index_keys and otherwise ignored), else NULL. */
static yaml_node_t *unique_key(struct loader *L, yaml_node_t *map, const struct strmap *keys,
                               size_t i)
{
    yaml_node_t *k = yaml_document_get_node(L->doc, map->data.mapping.pairs.start[i].key);
    if (!k || k->type != YAML_SCALAR_NODE || is_null(k))
        return NULL;
    struct strmap_entry *e = strmap_get(keys, sval(k), k->data.scalar.length);
    return e && e->val == i + 1 ? k : NULL;
}

/* ------------------------------------------------------------- values */

static void *field(void *base, size_t off)
{
    return (char *)base + off;
}

/* The key's own name, for messages: "funnels[].window" -> "window". */
static const char *leaf(const struct cfg_key *k)
{
    const char *dot = strrchr(k->path, '.');
    return dot ? dot + 1 : k->path;
}

static void matcher_free(struct matcher *m)
{
    for (size_t i = 0; i < m->n_events; i++)
        free(m->events[i]);
    free(m->events);
    for (size_t i = 0; i < m->n_where; i++) {
        free(m->where[i].prop);
        for (size_t j = 0; j < m->where[i].n_values; j++)
            free(m->where[i].values[j]);
        free(m->where[i].values);
    }
    free(m->where);
    memset(m, 0, sizeof *m);
}

static void matcher_set_event(struct matcher *m, const char *name)
{
    matcher_free(m);
    m->events = xcalloc(1, sizeof *m->events);
    m->events[0] = xstrdup(name);
    m->n_events = 1;
}

static void set_string(char **dst, const char *s)
{
    free(*dst);
    *dst = xstrdup(s);
}

/*
 * Text of a scalar used as a name or value: not null, not a collection, no
 * control characters (it ends up on a terminal); empty only when quoted and
 * allow_empty.  Caller frees; NULL after reporting a problem.
 */
static char *text_of(struct loader *L, const yaml_node_t *n, const char *what, int allow_empty)
{
    char d[80];
    if (n->type != YAML_SCALAR_NODE) {
        problem(L, n->start_mark, "%s must be a string, not %s", what, describe(n, d, sizeof d));
        return NULL;
    }
    if (is_null(n)) {
        problem(L, n->start_mark, "%s needs a value", what);
        return NULL;
    }
    const char *s = sval(n);
    size_t len = n->data.scalar.length;
    if (len == 0 && !allow_empty) {
        problem(L, n->start_mark, "%s must not be empty", what);
        return NULL;
    }
    if (strlen(s) != len || text_has_control(s, len, 0)) {
        problem(L, n->start_mark, "%s must not contain control characters", what);
        return NULL;
    }
    return xstrndup(s, len);
}

/* A scalar of a typed key, or NULL after reporting what was found instead. */
static const char *typed_scalar(struct loader *L, const struct cfg_key *k, const yaml_node_t *n,
                                const char *want, int plain_only)
{
    char d[80];
    if (n->type != YAML_SCALAR_NODE) {
        problem(L, n->start_mark, "%s must be %s, not %s", leaf(k), want, describe(n, d, sizeof d));
        return NULL;
    }
    if (is_null(n)) {
        problem(L, n->start_mark, "%s needs a value (%s)", leaf(k), want);
        return NULL;
    }
    if (plain_only && !is_plain(n)) {
        problem(L, n->start_mark, "%s must be %s, not the quoted string %s (drop the quotes)",
                leaf(k), want, describe(n, d, sizeof d));
        return NULL;
    }
    return sval(n);
}

/* A decimal number as YAML writes one: 12, -3.5, 1e3, .5 (no inf, nan, hex). */
static int number_syntax(const char *s)
{
    const char *p = s;
    int digits = 0;
    if (*p == '+' || *p == '-')
        p++;
    for (; *p >= '0' && *p <= '9'; p++)
        digits++;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            digits++;
    if (!digits)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

static int int_syntax(const char *s)
{
    const char *p = s + (*s == '+' || *s == '-');
    if (!*p)
        return 0;
    for (; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

/* true/false as YAML 1.1 writes them; -1 when neither. */
static int bool_value(const char *s)
{
    static const char *const yes[] = {"true", "yes", "on"};
    static const char *const no[] = {"false", "no", "off"};
    for (size_t i = 0; i < 3; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return 1;
        if (strcasecmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

static int choice_index(const char *const *choices, const char *s)
{
    for (int i = 0; choices[i]; i++)
        if (strcmp(choices[i], s) == 0)
            return i;
    return -1;
}

/*
 * Durations of SPEC 5.0: <number><unit>, unit s, m, h, d, w; a bare number is
 * seconds.  The number may have a fraction ("1.5d" is 36 hours), rounded to
 * whole milliseconds.  0 ok, 1 not a duration, 2 not positive, 3 too long.
 */
static int duration_parse(const char *s, int64_t *out_ms)
{
    int negative = *s == '-';
    const char *p = s + negative;
    int64_t whole = 0, frac = 0, scale = 1;
    int digits = 0;
    for (; *p >= '0' && *p <= '9'; p++, digits++) {
        if (whole > MAX_DURATION_MS)
            return 3;
        whole = whole * 10 + (*p - '0');
    }
    if (!digits)
        return 1;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return 1;
        for (; *p >= '0' && *p <= '9'; p++)
            if (scale < INT64_C(1000000000)) {
                frac = frac * 10 + (*p - '0');
                scale *= 10;
            }
    }
    int64_t unit_ms;
    switch (*p) {
    case '\0':
    case 's':
        unit_ms = 1000;
        break;
    case 'm':
        unit_ms = 60 * 1000;
        break;
    case 'h':
        unit_ms = 3600 * 1000;
        break;
    case 'd':
        unit_ms = 86400 * 1000;
        break;
    case 'w':
        unit_ms = INT64_C(7) * 86400 * 1000;
        break;
    default:
        return 1;
    }
    if (*p && p[1])
        return 1;
    if (negative)
        return 2;
    if (whole > MAX_DURATION_MS / unit_ms)
        return 3;
    /* frac < scale <= 1e9 and unit_ms < 1e9: the product fits */
    int64_t ms = whole * unit_ms + (frac * unit_ms + scale / 2) / scale;
    if (ms <= 0)
        return 2;
    if (ms > MAX_DURATION_MS)
        return 3;
    *out_ms = ms;
    return 0;
}

int64_t config_parse_duration(const char *s)
{
    int64_t ms;
    return s && duration_parse(s, &ms) == 0 ? ms : -1;
}

/* An event name or a list of them into *names (replacing what was there). */
static void parse_names(struct loader *L, const char *what, yaml_node_t *n, char ***names,
                        size_t *count)
{
    char d[80];
    for (size_t i = 0; i < *count; i++)
        free((*names)[i]);
    free(*names);
    *names = NULL;
    *count = 0;
    if (n->type == YAML_SCALAR_NODE) {
        char *s = text_of(L, n, what, 0);
        if (s) {
            *names = xcalloc(1, sizeof **names);
            (*names)[(*count)++] = s;
        }
        return;
    }
    if (n->type != YAML_SEQUENCE_NODE) {
        problem(L, n->start_mark, "%s must be an event name or a list of event names, not %s", what,
                describe(n, d, sizeof d));
        return;
    }
    size_t total = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (total == 0) {
        problem(L, n->start_mark, "%s has an empty list of event names", what);
        return;
    }
    *names = xcalloc(total, sizeof **names);
    for (size_t i = 0; i < total; i++) {
        yaml_node_t *item = visit(L, n->data.sequence.items.start[i], n->start_mark);
        if (!item)
            return;
        char *s = text_of(L, item, "an event name", 0);
        if (s)
            (*names)[(*count)++] = s;
    }
}

/* { PROPERTY: VALUE|[VALUES] } into *where; values stay text (SPEC 4). */
static void parse_where(struct loader *L, const char *what, yaml_node_t *n,
                        struct where_cond **where, size_t *count)
{
    char d[80], q[80];
    if (is_null(n))
        return;
    if (n->type != YAML_MAPPING_NODE) {
        problem(L, n->start_mark, "%s must be a map of property: value, not %s", what,
                describe(n, d, sizeof d));
        return;
    }
    struct strmap keys;
    strmap_init(&keys);
    size_t total = index_keys(L, n, &keys);
    *where = xcalloc(total ? total : 1, sizeof **where);
    for (size_t i = 0; i < total && !L->stop; i++) {
        yaml_node_t *k = unique_key(L, n, &keys, i);
        if (!k)
            continue;
        char *prop = text_of(L, k, "a property name", 0);
        yaml_node_t *v = visit(L, n->data.mapping.pairs.start[i].value, k->start_mark);
        if (!prop || !v) {
            free(prop);
            continue;
        }
        struct where_cond *c = &(*where)[(*count)++];
        c->prop = prop;
        char label[100];
        snprintf(label, sizeof label, "property '%s'", quote(prop, q, sizeof q));
        if (v->type == YAML_SCALAR_NODE) {
            char *s = text_of(L, v, label, 1);
            if (s) {
                c->values = xcalloc(1, sizeof *c->values);
                c->values[c->n_values++] = s;
            }
            continue;
        }
        if (v->type != YAML_SEQUENCE_NODE) {
            problem(L, v->start_mark, "%s must be a value or a list of values, not %s", label,
                    describe(v, d, sizeof d));
            continue;
        }
        size_t nv = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
        if (nv == 0) {
            problem(L, v->start_mark, "%s has an empty list of values", label);
            continue;
        }
        c->values = xcalloc(nv, sizeof *c->values);
        for (size_t j = 0; j < nv; j++) {
            yaml_node_t *item = visit(L, v->data.sequence.items.start[j], v->start_mark);
            if (!item)
                break;
            char *s = text_of(L, item, label, 1);
            if (s)
                c->values[c->n_values++] = s;
        }
    }
    strmap_free(&keys);
}

static void walk_map(struct loader *L, yaml_node_t *map, const char *level, void *base,
                     const struct cfg_key *list);

static void parse_matcher(struct loader *L, const struct cfg_key *k, yaml_node_t *n,
                          struct matcher *m)
{
    char d[80];
    matcher_free(m);
    if (n->type == YAML_MAPPING_NODE) {
        walk_map(L, n, "matcher", m, NULL);
        return;
    }
    if (is_null(n)) {
        problem(L, n->start_mark, "%s needs an event name, a list of event names or a map",
                leaf(k));
        return;
    }
    if (n->type == YAML_SCALAR_NODE || n->type == YAML_SEQUENCE_NODE) {
        parse_names(L, leaf(k), n, &m->events, &m->n_events);
        return;
    }
    problem(L, n->start_mark, "%s must be an event name, a list or a map, not %s", leaf(k),
            describe(n, d, sizeof d));
}

/* The row for the key that names the items of list k ("funnels[].name"). */
static const struct cfg_key *name_row(const struct cfg_key *k)
{
    if (!k->name_key)
        return NULL;
    char path[128];
    snprintf(path, sizeof path, "%s[].%s", k->path, k->name_key);
    return config_key_find(path);
}

/* An item given as an event name: it names the item and is its matcher. */
static void shorthand_item(struct loader *L, const struct cfg_key *list, const char *level,
                           yaml_node_t *n, void *elem)
{
    char *s = text_of(L, n, "an event name", 0);
    if (!s)
        return;
    const struct cfg_key *nr = name_row(list);
    if (nr)
        set_string(field(elem, nr->off), s);
    for (size_t i = 0; i < config_n_keys; i++)
        if (config_key_at(&config_keys[i], level) && config_keys[i].type == CFG_MATCHER)
            matcher_set_event(field(elem, config_keys[i].off), s);
    free(s);
}

/* Names of the items of list k must be unique and not the reserved one. */
static void check_names(struct loader *L, const struct cfg_key *k, void *elems, size_t n,
                        const yaml_mark_t *marks, const unsigned char *has_mark)
{
    const struct cfg_key *nr = name_row(k);
    if (!nr)
        return;
    char q[80];
    struct strmap seen;
    strmap_init(&seen);
    for (size_t i = 0; i < n && !L->stop; i++) {
        const char *name = *(char **)field((char *)elems + i * k->elem_size, nr->off);
        if (!name || !has_mark[i])
            continue;
        if (k->reserved && strcmp(name, k->reserved) == 0) {
            problem(L, marks[i], "%s name '%s' is reserved for the %s funnel", k->noun,
                    quote(name, q, sizeof q), k->reserved);
            continue;
        }
        int created;
        struct strmap_entry *e = strmap_put(&seen, name, strlen(name), &created);
        if (created) {
            e->val = i;
            continue;
        }
        problem(L, marks[i], "duplicate %s name '%s' (first at line %ld, column %ld)", k->noun,
                quote(name, q, sizeof q), (long)marks[e->val].line + 1,
                (long)marks[e->val].column + 1);
    }
    strmap_free(&seen);
}

static void parse_list(struct loader *L, const struct cfg_key *k, yaml_node_t *n, void *base)
{
    char d[80];
    void **arr = field(base, k->off);
    size_t *count = field(base, k->n_off);
    int empty_seq =
        n->type == YAML_SEQUENCE_NODE && n->data.sequence.items.top == n->data.sequence.items.start;
    if (is_null(n) || empty_seq) {
        if (k->flags & CFG_NONEMPTY)
            problem(L, n->start_mark, "%s needs at least one %s", leaf(k), k->noun);
        return;
    }
    if (n->type != YAML_SEQUENCE_NODE) {
        problem(L, n->start_mark, "%s must be a list of %ss, not %s", leaf(k), k->noun,
                describe(n, d, sizeof d));
        return;
    }
    size_t total = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    char *elems = xcalloc(total, k->elem_size);
    *arr = elems;
    *count = total;
    char level[128];
    snprintf(level, sizeof level, "%s[]", k->path);
    yaml_mark_t *marks = xcalloc(total, sizeof *marks);
    unsigned char *has_mark = xcalloc(total, 1);
    for (size_t i = 0; i < total; i++) {
        yaml_node_t *item = visit(L, n->data.sequence.items.start[i], n->start_mark);
        if (!item)
            break;
        void *elem = elems + i * k->elem_size;
        if ((k->flags & CFG_SHORTHAND) && item->type == YAML_SCALAR_NODE && !is_null(item)) {
            shorthand_item(L, k, level, item, elem);
            marks[i] = item->start_mark;
            has_mark[i] = 1;
        } else if (item->type == YAML_MAPPING_NODE) {
            walk_map(L, item, level, elem, k);
            yaml_node_t *nm = k->name_key ? map_find(L->doc, item, k->name_key) : NULL;
            if (nm) {
                marks[i] = nm->start_mark;
                has_mark[i] = 1;
            }
        } else {
            problem(L, item->start_mark, "each %s must be a map%s, not %s", k->noun,
                    (k->flags & CFG_SHORTHAND) ? " or an event name" : "",
                    describe(item, d, sizeof d));
        }
    }
    check_names(L, k, elems, total, marks, has_mark);
    free(marks);
    free(has_mark);
}

static void parse_enum(struct loader *L, const struct cfg_key *k, yaml_node_t *n, int *out)
{
    char want[128], q[80];
    size_t used = (size_t)snprintf(want, sizeof want, "one of");
    for (size_t i = 0; k->choices[i] && used < sizeof want; i++)
        used += (size_t)snprintf(want + used, sizeof want - used, "%s %s",
                                 !i                  ? ""
                                 : k->choices[i + 1] ? ","
                                                     : " or",
                                 k->choices[i]);
    const char *s = typed_scalar(L, k, n, want, 0);
    if (!s)
        return;
    int i = choice_index(k->choices, s);
    if (i >= 0) {
        *out = i;
        return;
    }
    const char *near = config_nearest(s, k->choices);
    if (near)
        problem(L, n->start_mark, "unknown %s '%s' (did you mean '%s'?)", leaf(k),
                quote(s, q, sizeof q), near);
    else
        problem(L, n->start_mark, "unknown %s '%s' (use %s)", leaf(k), quote(s, q, sizeof q),
                want + strlen("one of "));
}

static void parse_duration(struct loader *L, const struct cfg_key *k, yaml_node_t *n, int64_t *out)
{
    char q[80];
    const char *s = typed_scalar(L, k, n, "a duration such as 30d", 0);
    if (!s)
        return;
    switch (duration_parse(s, out)) {
    case 0:
        return;
    case 1:
        problem(L, n->start_mark,
                "bad duration '%s' for %s (write <number><unit> with unit s, m, h, d or w, "
                "e.g. 30d; a bare number is seconds)",
                quote(s, q, sizeof q), leaf(k));
        return;
    case 2:
        problem(L, n->start_mark, "%s must be positive, not '%s'", leaf(k), quote(s, q, sizeof q));
        return;
    default:
        problem(L, n->start_mark, "%s '%s' is too long (at most 36500d)", leaf(k),
                quote(s, q, sizeof q));
        return;
    }
}

static void parse_int(struct loader *L, const struct cfg_key *k, yaml_node_t *n, int *out)
{
    char q[80];
    const char *s = typed_scalar(L, k, n, "a whole number", 1);
    if (!s)
        return;
    if (!int_syntax(s)) {
        problem(L, n->start_mark, "%s must be a whole number, not '%s'", leaf(k),
                quote(s, q, sizeof q));
        return;
    }
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    int range = errno == ERANGE;
    if (range ? *s == '-' : v < k->min)
        problem(L, n->start_mark, "%s must be at least %ld, not %s", leaf(k), k->min,
                quote(s, q, sizeof q));
    else if (range || v > k->max)
        problem(L, n->start_mark, "%s must be at most %ld, not %s", leaf(k), k->max,
                quote(s, q, sizeof q));
    else
        *out = (int)v;
}

static void parse_scalar(struct loader *L, const struct cfg_key *k, yaml_node_t *n, void *base)
{
    void *p = field(base, k->off);
    char q[80];
    const char *s;
    switch (k->type) {
    case CFG_STRING: {
        char *t = text_of(L, n, leaf(k), 0);
        if (t) {
            free(*(char **)p);
            *(char **)p = t;
        }
        return;
    }
    case CFG_TIMEZONE: {
        char *t = text_of(L, n, leaf(k), 0);
        if (!t)
            return;
        if (!tz_exists(t)) {
            problem(L, n->start_mark,
                    "unknown time zone '%s' (use an IANA name such as Europe/Helsinki or UTC)",
                    quote(t, q, sizeof q));
            free(t);
            return;
        }
        free(*(char **)p);
        *(char **)p = t;
        return;
    }
    case CFG_INT:
        parse_int(L, k, n, p);
        return;
    case CFG_NUMBER:
        s = typed_scalar(L, k, n, "a number", 1);
        if (!s)
            return;
        if (!number_syntax(s) || !isfinite(strtod(s, NULL))) {
            problem(L, n->start_mark, "%s must be a number, not '%s'", leaf(k),
                    quote(s, q, sizeof q));
            return;
        }
        *(double *)p = strtod(s, NULL);
        if (k->flags & CFG_GIVEN)
            *(int *)field(base, k->given_off) = 1;
        return;
    case CFG_BOOL: {
        s = typed_scalar(L, k, n, "true or false", 1);
        if (!s)
            return;
        int b = bool_value(s);
        if (b < 0)
            problem(L, n->start_mark, "%s must be true or false, not '%s'", leaf(k),
                    quote(s, q, sizeof q));
        else
            *(int *)p = b;
        return;
    }
    case CFG_DURATION:
        parse_duration(L, k, n, p);
        return;
    case CFG_ENUM:
        parse_enum(L, k, n, p);
        return;
    default:
        return;
    }
}

static void parse_value(struct loader *L, const struct cfg_key *k, yaml_node_t *n, void *base)
{
    void *p = field(base, k->off);
    switch (k->type) {
    case CFG_MAP: {
        int given = !is_null(n) && n->type == YAML_MAPPING_NODE;
        walk_map(L, is_null(n) ? NULL : n, k->path, base, NULL);
        if (given && (k->flags & CFG_GIVEN))
            *(int *)field(base, k->given_off) = 1;
        return;
    }
    case CFG_LIST:
        parse_list(L, k, n, base);
        return;
    case CFG_NAMES:
        parse_names(L, leaf(k), n, p, field(base, k->n_off));
        return;
    case CFG_MATCHER:
        parse_matcher(L, k, n, p);
        return;
    case CFG_WHERE:
        parse_where(L, leaf(k), n, p, field(base, k->n_off));
        return;
    default:
        parse_scalar(L, k, n, base);
        return;
    }
}

static size_t value_size(enum cfg_type t)
{
    switch (t) {
    case CFG_DURATION:
        return sizeof(int64_t);
    case CFG_NUMBER:
        return sizeof(double);
    default:
        return sizeof(int);
    }
}

/* The SPEC 5.0 default of key k; the table's defaults are checked by the
 * unit tests, so a default that does not parse is a bug, not input. */
static void apply_default(struct loader *L, const struct cfg_key *k, void *base)
{
    if (!k->def)
        return;
    void *p = field(base, k->off);
    if (k->def[0] == '@') {
        const struct cfg_key *src = config_key_find(k->def + 1);
        if (!src)
            return;
        const void *from = field(L->cfg, src->off);
        if ((k->type == CFG_MATCHER || k->type == CFG_STRING) && !*(char *const *)from)
            return;
        if (k->type == CFG_MATCHER)
            matcher_set_event(p, *(char *const *)from);
        else if (k->type == CFG_STRING)
            set_string(p, *(char *const *)from);
        else
            memcpy(p, from, value_size(k->type));
        return;
    }
    int64_t ms;
    switch (k->type) {
    case CFG_STRING:
    case CFG_TIMEZONE:
        set_string(p, k->def);
        return;
    case CFG_INT:
        *(int *)p = atoi(k->def);
        return;
    case CFG_NUMBER:
        *(double *)p = strtod(k->def, NULL);
        return;
    case CFG_BOOL:
        *(int *)p = bool_value(k->def) == 1;
        return;
    case CFG_DURATION:
        if (duration_parse(k->def, &ms) == 0)
            *(int64_t *)p = ms;
        return;
    case CFG_ENUM:
        *(int *)p = choice_index(k->choices, k->def);
        return;
    case CFG_MATCHER:
        matcher_set_event(p, k->def);
        return;
    default:
        return;
    }
}

/* "at the top level", "in funnel", "in step 'Cart'". */
static const char *place(const char *level, const struct cfg_key *list, void *base, char *buf,
                         size_t size)
{
    char q[80];
    if (list) {
        const struct cfg_key *nr = name_row(list);
        const char *name = nr ? *(char **)field(base, nr->off) : NULL;
        if (name)
            snprintf(buf, size, "in %s '%s'", list->noun, quote(name, q, sizeof q));
        else
            snprintf(buf, size, "in %s", list->noun);
    } else if (!*level) {
        snprintf(buf, size, "at the top level");
    } else {
        snprintf(buf, size, "in %s", level);
    }
    return buf;
}

/*
 * Fill the keys directly below level from map (NULL: the map is absent, so
 * only defaults), in table order so that "@PATH" defaults see their source.
 * base is the struct of the level; list the list row when the map is one of
 * its items.
 */
static void walk_map(struct loader *L, yaml_node_t *map, const char *level, void *base,
                     const struct cfg_key *list)
{
    char d[80], q[80], where[160];
    if (map && map->type != YAML_MAPPING_NODE) {
        problem(L, map->start_mark, "%s must be a map of keys, not %s",
                *level ? level : "the config", describe(map, d, sizeof d));
        return;
    }
    struct strmap keys;
    strmap_init(&keys);
    size_t total = map ? index_keys(L, map, &keys) : 0;
    for (size_t i = 0; i < config_n_keys && !L->stop; i++) {
        const struct cfg_key *k = &config_keys[i];
        const char *name = config_key_at(k, level);
        if (!name)
            continue;
        struct strmap_entry *e = map ? strmap_get(&keys, name, strlen(name)) : NULL;
        if (e) {
            /* the default first: a value with a problem leaves the field
             * valid for the keys whose defaults follow it ("@PATH") */
            if (k->type != CFG_MAP)
                apply_default(L, k, base);
            yaml_node_t *key =
                yaml_document_get_node(L->doc, map->data.mapping.pairs.start[e->val - 1].key);
            yaml_node_t *v =
                visit(L, map->data.mapping.pairs.start[e->val - 1].value, key->start_mark);
            if (v)
                parse_value(L, k, v, base);
        } else if (map && (k->flags & CFG_REQUIRED)) {
            problem(L, map->start_mark, "missing key '%s' %s", name,
                    place(level, list, base, where, sizeof where));
        } else if (k->type == CFG_MAP) {
            walk_map(L, NULL, k->path, base, NULL);
        } else {
            apply_default(L, k, base);
        }
    }
    for (size_t i = 0; i < total && !L->stop; i++) {
        yaml_node_t *key = unique_key(L, map, &keys, i);
        if (!key)
            continue;
        int known = 0;
        for (size_t j = 0; j < config_n_keys && !known; j++) {
            const char *name = config_key_at(&config_keys[j], level);
            known = name && strcmp(name, sval(key)) == 0;
        }
        if (known)
            continue;
        const char *hint = config_key_suggest(level, sval(key));
        if (is_plain(key) && strcmp(sval(key), "<<") == 0)
            /* libyaml keeps YAML 1.1 merge keys as plain keys, and 1.2 has none */
            problem(L, key->start_mark,
                    "merge keys (<<) are not supported; repeat the keys, or alias a whole value");
        else if (hint)
            problem(L, key->start_mark, "unknown key '%s' %s (did you mean '%s'?)",
                    quote(sval(key), q, sizeof q), place(level, list, base, where, sizeof where),
                    hint);
        else
            problem(L, key->start_mark, "unknown key '%s' %s", quote(sval(key), q, sizeof q),
                    place(level, list, base, where, sizeof where));
    }
    strmap_free(&keys);
}

/* -------------------------------------------------------- cross-key checks */

struct tier_order {
    double min_spend;
    size_t index;
};

static int tier_cmp(const void *a, const void *b)
{
    const struct tier_order *x = a, *y = b;
    if (x->min_spend != y->min_spend)
        return x->min_spend < y->min_spend ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Tiers sort ascending by min_spend; two tiers at one min_spend would make
 * "the highest tier whose min_spend <= net spend" ambiguous. */
static void check_tiers(struct loader *L, yaml_node_t *root)
{
    struct config *c = L->cfg;
    if (c->n_tiers < 2)
        return;
    yaml_node_t *list = map_find(L->doc, root, "loyalty");
    struct tier_order *order = xcalloc(c->n_tiers, sizeof *order);
    for (size_t i = 0; i < c->n_tiers; i++)
        order[i] = (struct tier_order){c->tiers[i].min_spend, i};
    qsort(order, c->n_tiers, sizeof *order, tier_cmp);
    for (size_t i = 1; i < c->n_tiers; i++) {
        if (order[i].min_spend != order[i - 1].min_spend)
            continue;
        yaml_node_t *item = NULL;
        if (list && list->type == YAML_SEQUENCE_NODE)
            item = yaml_document_get_node(L->doc, list->data.sequence.items.start[order[i].index]);
        yaml_node_t *at = map_find(L->doc, item, "min_spend");
        if (at && c->tiers[order[i].index].name && c->tiers[order[i - 1].index].name) {
            char q1[80], q2[80];
            problem(L, at->start_mark, "tiers '%s' and '%s' have the same min_spend",
                    quote(c->tiers[order[i - 1].index].name, q1, sizeof q1),
                    quote(c->tiers[order[i].index].name, q2, sizeof q2));
        }
    }
    struct tier_def *sorted = xcalloc(c->n_tiers, sizeof *sorted);
    for (size_t i = 0; i < c->n_tiers; i++)
        sorted[i] = c->tiers[order[i].index];
    free(c->tiers);
    c->tiers = sorted;
    free(order);
}

/* An order export needs an order total, or a quantity and a unit price. */
static void check_orders(struct loader *L, yaml_node_t *root)
{
    const struct order_mapping *o = &L->cfg->orders;
    if (!o->present || o->total || (o->quantity && o->price))
        return;
    yaml_node_t *at = map_find(L->doc, map_find(L->doc, root, "import"), "orders");
    if (at)
        problem(L, at->start_mark,
                "import.orders needs a total column, or quantity and price columns");
}

/* ---------------------------------------------------------------- loading */

static struct config *config_new(const char *name)
{
    struct config *c = xcalloc(1, sizeof *c);
    c->path = xstrdup(name);
    c->stages.name = xstrdup("stages");
    return c;
}

/*
 * A first pass over the events: libyaml's document loader takes quadratic
 * time in the nesting depth, so deep nesting is refused here; a second
 * document is refused too (the loader would silently ignore it).
 */
static int prepass(struct loader *L)
{
    yaml_parser_t p;
    yaml_event_t ev;
    int depth = 0, docs = 0, ok = 1;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, L->text, L->len);
    for (;;) {
        if (!yaml_parser_parse(&p, &ev)) {
            syntax_error(L, &p);
            ok = 0;
            break;
        }
        yaml_event_type_t type = ev.type;
        yaml_mark_t mark = ev.start_mark;
        yaml_event_delete(&ev);
        if (type == YAML_STREAM_END_EVENT)
            break;
        if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT) {
            if (++depth > MAX_DEPTH) {
                problem(L, mark, "nesting deeper than %d levels", MAX_DEPTH);
                ok = 0;
                break;
            }
        } else if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT) {
            depth--;
        } else if (type == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
            problem(L, mark, "a second YAML document; a config is one document");
            ok = 0;
            break;
        }
    }
    yaml_parser_delete(&p);
    return ok;
}

static void load_document(struct loader *L)
{
    if (!prepass(L))
        return;
    yaml_parser_t p;
    yaml_document_t doc;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, L->text, L->len);
    if (!yaml_parser_load(&p, &doc)) {
        syntax_error(L, &p);
        yaml_parser_delete(&p);
        return;
    }
    L->doc = &doc;
    L->budget = MIN_BUDGET + 2 * (size_t)(doc.nodes.top - doc.nodes.start);
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root && is_null(root))
        root = NULL;
    if (root && root->type != YAML_MAPPING_NODE) {
        char d[80];
        problem(L, root->start_mark,
                "the config must be a map of keys (shop:, stages:, goals:, ...), not %s",
                describe(root, d, sizeof d));
    } else {
        walk_map(L, root, "", L->cfg, NULL);
        if (root) {
            check_tiers(L, root);
            check_orders(L, root);
        }
    }
    L->doc = NULL;
    yaml_document_delete(&doc);
    yaml_parser_delete(&p);
}

/* Stable by position, so several problems of one node keep their order. */
static void sort_problems(struct ct_error *items, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct ct_error e = items[i];
        size_t j = i;
        while (j > 0 && (items[j - 1].line > e.line ||
                         (items[j - 1].line == e.line && items[j - 1].col > e.col))) {
            items[j] = items[j - 1];
            j--;
        }
        items[j] = e;
    }
}

static int load(const unsigned char *text, size_t len, const char *name, struct config **out,
                struct ct_errlist *errs)
{
    struct loader L = {.file = name, .text = text, .len = len, .errs = errs, .first_err = errs->n};
    L.cfg = config_new(name);
    if (len > MAX_BYTES) {
        problem_at(&L, 0, 0, "the config is larger than 1 MiB; is this the right file?");
    } else if (text) {
        load_document(&L);
    } else {
        walk_map(&L, NULL, "", L.cfg, NULL);
    }
    size_t n = errs->n - L.first_err;
    if (n == 0) {
        *out = L.cfg;
        return 0;
    }
    sort_problems(errs->items + L.first_err, n - (size_t)L.overflow);
    config_free(L.cfg);
    return CT_ERR_CONFIG;
}

int config_load_text(const char *text, size_t len, const char *name, struct config **out,
                     struct ct_errlist *errs)
{
    return load((const unsigned char *)(text ? text : ""), text ? len : 0, name, out, errs);
}

int config_load(const char *path, struct config **out, struct ct_errlist *errs)
{
    if (!path)
        return load(NULL, 0, "(built-in)", out, errs);
    struct ct_error e;
    FILE *f = fopen(path, "rb");
    if (!f) {
        ct_error_set(&e, CT_ERR_CONFIG, path, 0, 0, "cannot open the config: %s", strerror(errno));
        ct_errlist_add(errs, &e);
        return CT_ERR_CONFIG;
    }
    /* one byte more than allowed tells a file at the limit from a larger one */
    size_t cap = 65536, len = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (len == cap) {
            if (cap > MAX_BYTES)
                break;
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    int saved = errno;
    fclose(f);
    int rc;
    if (bad) {
        ct_error_set(&e, CT_ERR_CONFIG, path, 0, 0, "cannot read the config: %s", strerror(saved));
        ct_errlist_add(errs, &e);
        rc = CT_ERR_CONFIG;
    } else {
        rc = load((const unsigned char *)buf, len, path, out, errs);
    }
    free(buf);
    return rc;
}

/* ---------------------------------------------------------------- access */

static void funnel_free(struct funnel_def *f)
{
    free(f->name);
    for (size_t i = 0; i < f->n_steps; i++) {
        free(f->steps[i].name);
        matcher_free(&f->steps[i].match);
    }
    free(f->steps);
}

void config_free(struct config *c)
{
    if (!c)
        return;
    free(c->path);
    free(c->shop_name);
    free(c->currency);
    free(c->timezone);
    funnel_free(&c->stages);
    for (size_t i = 0; i < c->n_funnels; i++)
        funnel_free(&c->funnels[i]);
    free(c->funnels);
    for (size_t i = 0; i < c->n_goals; i++) {
        free(c->goals[i].name);
        matcher_free(&c->goals[i].match);
    }
    free(c->goals);
    matcher_free(&c->cohorts.entry);
    matcher_free(&c->cohorts.ret);
    free(c->events.purchase);
    free(c->events.refund);
    free(c->events.review);
    free(c->events.page_view);
    for (size_t i = 0; i < c->n_tiers; i++)
        free(c->tiers[i].name);
    free(c->tiers);
    for (size_t i = 0; i < c->n_segments; i++) {
        struct matcher m = {.where = c->segments[i].where, .n_where = c->segments[i].n_where};
        matcher_free(&m);
        free(c->segments[i].name);
    }
    free(c->segments);
    struct order_mapping *o = &c->orders;
    char *cols[] = {o->order, o->customer, o->time,    o->quantity, o->price,        o->total,
                    o->email, o->name,     o->country, o->channel,  o->cancel_prefix};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        free(cols[i]);
    free(c);
}

const struct funnel_def *config_funnel(const struct config *c, const char *name)
{
    if (!name || strcmp(name, "stages") == 0)
        return &c->stages;
    for (size_t i = 0; i < c->n_funnels; i++)
        if (strcmp(c->funnels[i].name, name) == 0)
            return &c->funnels[i];
    return NULL;
}

const struct segment_def *config_segment(const struct config *c, const char *name)
{
    for (size_t i = 0; i < c->n_segments; i++)
        if (strcmp(c->segments[i].name, name) == 0)
            return &c->segments[i];
    return NULL;
}

const char *config_tier(const struct config *c, double net_spend)
{
    const char *t = NULL;
    for (size_t i = 0; i < c->n_tiers && c->tiers[i].min_spend <= net_spend; i++)
        t = c->tiers[i].name;
    return t;
}
