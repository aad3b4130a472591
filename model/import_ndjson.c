/*
 * import_ndjson.c - NDJSON events (SPEC 3.2): one JSON object per line.
 *
 * Owns the key mapping for JSON: the same names and aliases as event CSV
 * (import_event_roles), a nested "properties" object as the properties,
 * and any other top-level key added to them.  jansson parses each line and
 * checks its UTF-8; a line that is not one JSON object is a bad row, a
 * blank line is skipped.  Knows no SQL: rows go to the sink.  Entry point:
 * import_ndjson.
 */
#include "autoconf.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "model/csv.h"
#include "model/import_int.h"
#include "model/text.h"
#include "model/tstamp.h"

static const char *const role_label[ROLE_COUNT] = {
    [ROLE_CUSTOMER] = "customer",
    [ROLE_TS] = "timestamp",
    [ROLE_EVENT] = "event",
    [ROLE_VALUE] = "value",
    [ROLE_CHANNEL] = "channel",
    [ROLE_SESSION] = "session",
    [ROLE_EMAIL] = "email",
    [ROLE_NAME] = "name",
    [ROLE_EVENT_ID] = "event_id",
    [ROLE_COUNTRY] = "country",
    [ROLE_ACQ_CHANNEL] = "acquisition_channel",
};

struct line {
    json_t *obj, *props;
    char **names; /* normalized keys */
    const char **keys;
    json_t **vals;
    size_t n, cap;
    char num[ROLE_COUNT][40]; /* numbers given where text is expected */
};

static void line_clear(struct line *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->names[i]);
    l->n = 0;
    json_decref(l->obj);
    json_decref(l->props);
    l->obj = l->props = NULL;
}

/* Every string in the properties: free text within the field limit. */
static const char *check_props(json_t *j, int depth)
{
    const char *why = NULL, *key;
    json_t *v;
    size_t i;
    if (depth > 64)
        return "properties nested too deeply";
    switch (json_typeof(j)) {
    case JSON_STRING:
        return import_check_text(json_string_value(j), json_string_length(j), 1);
    case JSON_OBJECT:
        json_object_foreach(j, key, v)
        {
            if ((why = import_check_text(key, strlen(key), 0)) || (why = check_props(v, depth + 1)))
                return why;
        }
        return NULL;
    case JSON_ARRAY:
        json_array_foreach(j, i, v) if ((why = check_props(v, depth + 1))) return why;
        return NULL;
    default:
        return NULL;
    }
}

/* Text of a role: strings as they are, whole numbers as digits (ids are
 * often numbers), null as absent.  NULL when fine, else the reason. */
static const char *role_text(struct line *l, const int *col, enum import_role role,
                             const char **out, size_t *len, char *why, size_t why_size)
{
    *out = NULL;
    *len = 0;
    if (col[role] < 0)
        return NULL;
    json_t *v = l->vals[col[role]];
    if (json_is_string(v)) {
        *out = json_string_value(v);
        *len = json_string_length(v);
    } else if (json_is_integer(v)) {
        *len = (size_t)snprintf(l->num[role], sizeof l->num[role], "%" JSON_INTEGER_FORMAT,
                                json_integer_value(v));
        *out = l->num[role];
    } else if (json_is_real(v) && (role == ROLE_TS || role == ROLE_VALUE)) {
        int n = snprintf(l->num[role], sizeof l->num[role], "%.3f", json_real_value(v));
        if (n < 0 || (size_t)n >= sizeof l->num[role]) {
            snprintf(why, why_size, "%s: out of range", role_label[role]);
            return why;
        }
        *len = (size_t)n;
        *out = l->num[role];
    } else if (!json_is_null(v)) {
        snprintf(why, why_size, "%s: must be %s", role_label[role],
                 role == ROLE_VALUE ? "a number" : "text or a whole number");
        return why;
    }
    if (*out && *len == 0)
        *out = NULL;
    return NULL;
}

static const char *parse_line(struct parse_ctx *pc, struct csv *c, struct line *l,
                              struct import_row *row, char *why, size_t why_size)
{
    json_error_t je;
    l->obj = json_loadb(c->raw, c->raw_len, JSON_REJECT_DUPLICATES, &je);
    if (!l->obj) {
        /* jansson quotes the input in its message: make it safe to print */
        char text[sizeof je.text];
        text_sanitize(je.text, text, sizeof text);
        snprintf(why, why_size, "not valid JSON: %s (column %d)", text, je.column);
        return why;
    }
    if (!json_is_object(l->obj))
        return "not a JSON object (NDJSON has one object per line)";
    size_t n = json_object_size(l->obj);
    if (n > l->cap) {
        l->cap = n;
        l->names = xreallocarray(l->names, n, sizeof *l->names);
        l->keys = xreallocarray(l->keys, n, sizeof *l->keys);
        l->vals = xreallocarray(l->vals, n, sizeof *l->vals);
    }
    const char *key;
    json_t *v;
    json_object_foreach(l->obj, key, v)
    {
        l->keys[l->n] = key;
        l->vals[l->n] = v;
        l->names[l->n++] = import_norm_name(key, strlen(key));
    }
    int col[ROLE_COUNT];
    import_event_roles(l->names, l->n, col);

    memset(row, 0, sizeof *row);
    row->line = c->rec_line;
    const char *s, *tw;
    size_t len;
    const char **dst[ROLE_COUNT] = {
        [ROLE_CUSTOMER] = &row->customer,
        [ROLE_EVENT] = &row->event,
        [ROLE_CHANNEL] = &row->channel,
        [ROLE_SESSION] = &row->session,
        [ROLE_EMAIL] = &row->email,
        [ROLE_NAME] = &row->name,
        [ROLE_EVENT_ID] = &row->event_id,
        [ROLE_COUNTRY] = &row->country,
        [ROLE_ACQ_CHANNEL] = &row->acq_channel,
    };
    for (int r = 0; r < ROLE_COUNT; r++) {
        if (!dst[r])
            continue;
        if ((tw = role_text(l, col, (enum import_role)r, &s, &len, why, why_size)))
            return tw;
        *dst[r] = s;
    }

    char show[128];
    if ((tw = role_text(l, col, ROLE_TS, &s, &len, why, why_size)))
        return tw;
    if (!s)
        return "no timestamp";
    if (tstamp_parse(s, len, pc->tz, &row->ts_ms, &tw) != 0) {
        snprintf(why, why_size, "%s: '%s'", tw, import_show(s, len, show, sizeof show));
        return why;
    }
    if (col[ROLE_VALUE] >= 0 && json_is_number(l->vals[col[ROLE_VALUE]])) {
        row->value = json_number_value(l->vals[col[ROLE_VALUE]]);
        row->has_value = 1;
    } else {
        if ((tw = role_text(l, col, ROLE_VALUE, &s, &len, why, why_size)))
            return tw;
        if (s && (tw = import_parse_value(s, len, &row->value, &row->has_value))) {
            snprintf(why, why_size, "value %s: '%s'", tw, import_show(s, len, show, sizeof show));
            return why;
        }
    }

    /* properties: the nested object, then the other top-level keys */
    json_t *nested = json_object_get(l->obj, "properties");
    if (nested && !json_is_null(nested) && !json_is_object(nested))
        return "properties: must be an object";
    l->props = nested && json_is_object(nested) ? json_copy(nested) : json_object();
    for (size_t i = 0; i < l->n; i++) {
        int used = strcmp(l->keys[i], "properties") == 0;
        for (int r = 0; r < ROLE_COUNT; r++)
            used |= col[r] == (int)i;
        if (!used && !json_object_get(l->props, l->keys[i]))
            json_object_set(l->props, l->keys[i], l->vals[i]);
    }
    if ((tw = check_props(l->props, 0))) {
        snprintf(why, why_size, "properties: %s", tw);
        return why;
    }
    return import_check_row(row, why, why_size);
}

struct ndjson_ctx {
    struct parse_ctx *pc;
    struct line line;
};

static const char *json_record(void *ctx, struct csv *c, char *why, size_t why_size, int *rc,
                               struct ct_error *err)
{
    struct ndjson_ctx *n = ctx;
    struct import_row row;
    const char *bad = parse_line(n->pc, c, &n->line, &row, why, why_size);
    if (!bad) {
        char *props = NULL;
        if (json_object_size(n->line.props) > 0)
            row.props = props = json_dumps(n->line.props, JSON_COMPACT | JSON_REAL_PRECISION(15));
        *rc = n->pc->sink->row(n->pc->sink->ctx, &row, err);
        free(props);
    }
    line_clear(&n->line);
    return bad;
}

int import_ndjson(struct parse_ctx *pc, long *rows_read, struct ct_error *err)
{
    struct csv c;
    struct ndjson_ctx n = {.pc = pc};
    *rows_read = 0;
    csv_init(&c, pc->in);
    int rc = import_each_record(pc, &c, 1, json_record, &n, rows_read, err);
    line_clear(&n.line);
    free(n.line.names);
    free(n.line.keys);
    free(n.line.vals);
    csv_free(&c);
    return rc;
}
