/*
 * report_diff.c - convtop report funnel|goals|cohort|lifecycle --against
 * OTHER.yaml: the same report under the current config and under another
 * one, and every figure that changes.
 *
 * Both reports go through the normal JSON writers (so they are exactly what
 * `--format json` prints), then the two documents are compared leaf by
 * leaf; list items are matched by name, cohort or period.
 */
#include "autoconf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app/report.h"
#include "model/mem.h"
#include "model/tz.h"
#include "ui/format.h"

/* Keys that describe the run rather than the data. */
static int ignored(const char *key)
{
    static const char *const keys[] = {"from", "to", "now", "segment"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (strcmp(key, keys[i]) == 0)
            return 1;
    return 0;
}

static const char *item_id(json_t *v)
{
    static const char *const ids[] = {"name", "cohort", "period", "value"};
    for (size_t i = 0; json_is_object(v) && i < sizeof ids / sizeof *ids; i++) {
        json_t *id = json_object_get(v, ids[i]);
        if (json_is_string(id))
            return json_string_value(id);
    }
    return NULL;
}

static void add_change(json_t *changes, const char *path, json_t *a, json_t *b)
{
    json_t *c = json_object();
    json_object_set_new(c, "path", json_string(path));
    json_object_set(c, "current", a ? a : json_null());
    json_object_set(c, "against", b ? b : json_null());
    if (json_is_number(a) && json_is_number(b))
        json_object_set_new(c, "change",
                            json_real(json_number_value(b) - json_number_value(a)));
    else
        json_object_set_new(c, "change", json_null());
    json_array_append_new(changes, c);
}

static void walk(const char *path, json_t *a, json_t *b, json_t *changes)
{
    char sub[512];
    if (json_is_object(a) && json_is_object(b)) {
        const char *key;
        json_t *va;
        json_object_foreach(a, key, va)
        {
            if (ignored(key))
                continue;
            snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", key);
            walk(sub, va, json_object_get(b, key), changes);
        }
        json_t *vb;
        json_object_foreach(b, key, vb)
        {
            if (!ignored(key) && !json_object_get(a, key)) {
                snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", key);
                add_change(changes, sub, NULL, vb);
            }
        }
        return;
    }
    if (json_is_array(a) && json_is_array(b)) {
        size_t i;
        json_t *va;
        json_array_foreach(a, i, va)
        {
            const char *id = item_id(va);
            json_t *vb = NULL;
            if (id) {
                size_t k;
                json_t *x;
                json_array_foreach(b, k, x)
                {
                    const char *xid = item_id(x);
                    if (xid && strcmp(xid, id) == 0)
                        vb = x;
                }
                snprintf(sub, sizeof sub, "%s[%s]", path, id);
            } else {
                vb = json_array_get(b, i);
                snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            }
            if (!vb)
                add_change(changes, sub, va, NULL);
            else
                walk(sub, va, vb, changes);
        }
        /* items only the other config has */
        json_t *vb;
        json_array_foreach(b, i, vb)
        {
            const char *id = item_id(vb);
            int found = 0;
            size_t k;
            json_t *x;
            json_array_foreach(a, k, x)
            {
                const char *xid = item_id(x);
                found |= id ? (xid && strcmp(xid, id) == 0) : k == i;
            }
            if (!found) {
                if (id)
                    snprintf(sub, sizeof sub, "%s[%s]", path, id);
                else
                    snprintf(sub, sizeof sub, "%s[%zu]", path, i);
                add_change(changes, sub, NULL, vb);
            }
        }
        return;
    }
    if (json_is_number(a) && json_is_number(b)) {
        if (fabs(json_number_value(a) - json_number_value(b)) > 1e-9)
            add_change(changes, path, a, b);
        return;
    }
    if (!json_equal(a, b))
        add_change(changes, path, a, b);
}

/* Run one report kind as JSON into memory and parse it back. */
static json_t *as_json(const struct report *base, int (*run)(const struct report *, struct ct_error *),
                       struct ct_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        ct_error_set(err, CT_ERR_RUNTIME, NULL, 0, 0, "out of memory");
        return NULL;
    }
    struct report r = *base;
    r.out.f = f;
    r.out.format = OUT_JSON;
    int rc = run(&r, err);
    fclose(f);
    json_t *j = rc ? NULL : json_loadb(buf, len, 0, NULL);
    free(buf);
    if (!rc && !j)
        ct_error_set(err, CT_ERR_RUNTIME, NULL, 0, 0, "internal: a report was not JSON");
    return j;
}

static void text_value(json_t *v, char *buf, size_t size)
{
    if (!v || json_is_null(v))
        snprintf(buf, size, "-");
    else if (json_is_integer(v))
        fmt_count((int64_t)json_integer_value(v), buf, size);
    else if (json_is_real(v))
        snprintf(buf, size, "%.2f", json_real_value(v));
    else if (json_is_string(v))
        snprintf(buf, size, "%s", json_string_value(v));
    else if (json_is_boolean(v))
        snprintf(buf, size, "%s", json_is_true(v) ? "yes" : "no");
    else
        snprintf(buf, size, "...");
}

int report_against(const struct report *r, int (*run)(const struct report *, struct ct_error *),
                   const struct config *other, struct ct_error *err)
{
    /* the other config, with its own zone for periods and dates */
    struct tz *tz2 = NULL;
    struct query q2;
    memset(&q2, 0, sizeof q2);
    struct range range2;
    const struct common_opts *o = &r->opts->common;
    int rc = tz_open(other->timezone, &tz2, err);
    if (!rc)
        rc = range_resolve(tz2, o->from, o->to, o->now, r->q->ds->newest_ms, &range2, err);
    if (!rc)
        rc = query_init(&q2, other, r->q->ds, tz2, &range2, o->segment, err);
    if (rc) {
        tz_close(tz2);
        return rc;
    }
    struct app_ctx cx2 = *r->cx;
    cx2.cfg = (struct config *)other;
    cx2.tz = tz2;
    cx2.range = range2;
    struct report r2 = *r;
    r2.cx = &cx2;
    r2.q = &q2;
    r2.out.tz = tz2;
    json_t *a = as_json(r, run, err), *b = a ? as_json(&r2, run, err) : NULL;
    query_free(&q2);
    tz_close(tz2);
    if (!a || !b) {
        json_decref(a);
        json_decref(b);
        return err->code ? err->code : CT_ERR_RUNTIME;
    }
    json_t *changes = json_array();
    walk("", a, b, changes);
    const struct out *out = &r->out;
    if (out->format == OUT_JSON) {
        json_t *root = json_object();
        json_object_set_new(root, "config", jstr(r->cx->cfg->path));
        json_object_set_new(root, "against", jstr(other->path));
        json_object_set_new(root, "current", a);
        json_object_set_new(root, "other", b);
        json_object_set_new(root, "changes", changes);
        out_json(out, root);
        return 0;
    }
    if (out->format == OUT_TEXT) {
        char title[1200];
        snprintf(title, sizeof title, "What changes with %s instead of %s (%zu figures)",
                 other->path, r->cx->cfg->path, json_array_size(changes));
        report_text_header(r, title);
    }
    static const char *const heads[] = {"figure", "current", "against", "change"};
    static const int right[] = {0, 1, 1, 1};
    struct table t;
    table_init(&t, 4, heads, right);
    size_t i;
    json_t *c;
    json_array_foreach(changes, i, c)
    {
        char v1[128], v2[128], d[64];
        text_value(json_object_get(c, "current"), v1, sizeof v1);
        text_value(json_object_get(c, "against"), v2, sizeof v2);
        json_t *ch = json_object_get(c, "change");
        if (json_is_number(ch))
            snprintf(d, sizeof d, "%+.2f", json_number_value(ch));
        else
            snprintf(d, sizeof d, "-");
        const char *cells[] = {json_string_value(json_object_get(c, "path")), v1, v2, d};
        table_row(&t, cells);
    }
    table_print(&t, out);
    if (out->format == OUT_TEXT && !json_array_size(changes))
        fputs("No figure changes.\n", out->f);
    table_free(&t);
    json_decref(a);
    json_decref(b);
    json_decref(changes);
    return 0;
}
