/*
 * import_csv.c - event CSV (SPEC 3.2): one event per row, a header row
 * naming the columns.
 *
 * Owns the column mapping: header names are matched case-insensitively with
 * the aliases of import_event_roles, and every other named column becomes a
 * property in the row's JSON object.  That object is written by hand into a
 * reused buffer, because a JSON library per row would cost more than the
 * rest of the row.  Knows no SQL: rows go to the sink.  Entry point:
 * import_csv_events.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "model/csv.h"
#include "model/import_int.h"
#include "model/strmap.h"
#include "model/tstamp.h"

struct csv_map {
    int role_col[ROLE_COUNT];
    size_t ncols;
    size_t *prop_col; /* columns that become properties */
    size_t nprops;
    struct strbuf keys; /* each property's "key": text, back to back */
    size_t *key_off;    /* nprops + 1 offsets into keys */
};

static void map_free(struct csv_map *m)
{
    free(m->prop_col);
    free(m->key_off);
    sb_free(&m->keys);
}

/* Read the header and map its columns; any problem stops the file, since
 * no row can be read without it. */
static int read_header(struct parse_ctx *pc, struct csv *c, struct csv_map *m, struct ct_error *err)
{
    char **names;
    int rc = import_read_header(pc, c, &names, err);
    if (rc)
        return rc;
    m->ncols = c->nf;
    /* a hash of the names seen: a hostile header may have a million columns */
    struct strmap seen;
    strmap_init(&seen);
    for (size_t i = 0; i < c->nf && !rc; i++) {
        int created;
        if (!names[i][0])
            continue;
        strmap_put(&seen, names[i], strlen(names[i]), &created);
        if (!created) {
            char show[128];
            rc = ct_error_set(err, CT_ERR_INPUT, pc->name, c->rec_line, 0,
                              "header: column '%s' appears twice",
                              import_show(c->f[i].s, c->f[i].len, show, sizeof show));
        }
    }
    strmap_free(&seen);
    import_event_roles(names, c->nf, m->role_col);
    static const enum import_role required[] = {ROLE_CUSTOMER, ROLE_TS, ROLE_EVENT};
    static const char *const what[] = {"customer", "timestamp", "event"};
    for (size_t k = 0; k < 3 && !rc; k++)
        if (m->role_col[required[k]] < 0)
            rc = ct_error_set(err, CT_ERR_INPUT, pc->name, c->rec_line, 0,
                              "header: no %s column (one of %s)", what[k],
                              import_role_names(required[k]));
    if (!rc) {
        m->prop_col = xcalloc(c->nf, sizeof *m->prop_col);
        m->key_off = xcalloc(c->nf + 1, sizeof *m->key_off);
        for (size_t i = 0; i < c->nf; i++) {
            int used = names[i][0] == '\0';
            for (int k = 0; k < ROLE_COUNT; k++)
                used |= m->role_col[k] == (int)i;
            if (used)
                continue;
            char *s = c->f[i].s;
            size_t len = c->f[i].len;
            import_trim(&s, &len);
            m->key_off[m->nprops] = m->keys.len;
            m->prop_col[m->nprops++] = i;
            import_json_string(&m->keys, s, len);
            sb_addc(&m->keys, ':');
        }
        m->key_off[m->nprops] = m->keys.len;
    }
    import_free_names(names, c->nf);
    return rc;
}

/* The field of a role, trimmed; NULL when the column is absent or empty. */
static const char *role_field(struct csv *c, const struct csv_map *m, enum import_role role,
                              size_t *len)
{
    int col = m->role_col[role];
    *len = 0;
    if (col < 0)
        return NULL;
    char *s = c->f[col].s;
    size_t n = c->f[col].len;
    import_trim(&s, &n);
    *len = n;
    return n ? s : NULL;
}

/* One data record into row; NULL when fine, else the reason. */
static const char *parse_record(struct parse_ctx *pc, struct csv *c, const struct csv_map *m,
                                struct strbuf *props, struct import_row *row, char *why,
                                size_t why_size)
{
    if (c->nf != m->ncols) {
        snprintf(why, why_size, "%zu fields, but the header has %zu", c->nf, m->ncols);
        return why;
    }
    memset(row, 0, sizeof *row);
    row->line = c->rec_line;
    size_t len;
    row->customer = role_field(c, m, ROLE_CUSTOMER, &len);
    row->event = role_field(c, m, ROLE_EVENT, &len);
    row->channel = role_field(c, m, ROLE_CHANNEL, &len);
    row->session = role_field(c, m, ROLE_SESSION, &len);
    row->email = role_field(c, m, ROLE_EMAIL, &len);
    row->name = role_field(c, m, ROLE_NAME, &len);
    row->event_id = role_field(c, m, ROLE_EVENT_ID, &len);
    row->country = role_field(c, m, ROLE_COUNTRY, &len);
    row->acq_channel = role_field(c, m, ROLE_ACQ_CHANNEL, &len);

    const char *ts = role_field(c, m, ROLE_TS, &len), *tw;
    char show[128];
    if (!ts)
        return "empty timestamp";
    if (tstamp_parse(ts, len, pc->tz, &row->ts_ms, &tw) != 0) {
        snprintf(why, why_size, "%s: '%s'", tw, import_show(ts, len, show, sizeof show));
        return why;
    }
    const char *v = role_field(c, m, ROLE_VALUE, &len);
    if (v && (tw = import_parse_value(v, len, &row->value, &row->has_value))) {
        snprintf(why, why_size, "value %s: '%s'", tw, import_show(v, len, show, sizeof show));
        return why;
    }

    sb_reset(props);
    for (size_t k = 0; k < m->nprops; k++) {
        const struct csv_field *f = &c->f[m->prop_col[k]];
        if (f->len == 0)
            continue;
        if ((tw = import_check_text(f->s, f->len, 1))) {
            /* the key as JSON text without its ':'; import_show cuts it at a
             * character, never inside one */
            size_t kl = m->key_off[k + 1] - m->key_off[k] - 1;
            snprintf(why, why_size, "column %s: %s",
                     import_show(m->keys.buf + m->key_off[k], kl, show, sizeof show), tw);
            return why;
        }
        sb_addc(props, props->len ? ',' : '{');
        sb_add(props, m->keys.buf + m->key_off[k], m->key_off[k + 1] - m->key_off[k]);
        import_json_string(props, f->s, f->len);
    }
    if (props->len) {
        sb_addc(props, '}');
        row->props = props->buf;
    }
    return import_check_row(row, why, why_size);
}

struct events_ctx {
    struct parse_ctx *pc;
    struct csv_map map;
    struct strbuf props;
};

static const char *event_record(void *ctx, struct csv *c, char *why, size_t why_size, int *rc,
                                struct ct_error *err)
{
    struct events_ctx *e = ctx;
    struct import_row row;
    const char *bad = parse_record(e->pc, c, &e->map, &e->props, &row, why, why_size);
    if (!bad)
        *rc = e->pc->sink->row(e->pc->sink->ctx, &row, err);
    return bad;
}

int import_csv_events(struct parse_ctx *pc, long *rows_read, struct ct_error *err)
{
    struct csv c;
    struct events_ctx e = {.pc = pc};
    *rows_read = 0;
    csv_init(&c, pc->in);
    int rc = read_header(pc, &c, &e.map, err);
    if (!rc)
        rc = import_each_record(pc, &c, 0, event_record, &e, rows_read, err);
    sb_free(&e.props);
    map_free(&e.map);
    csv_free(&c);
    return rc;
}
