/*
 * theme.c - loading a theme with libyaml.
 *
 * Owns the theme file format.  Must not draw: it only fills a struct theme.
 * A theme file may come from anywhere (--theme FILE), so it is read as
 * hostile input (SPEC 9): at most 64 KiB, nesting checked on libyaml's
 * events before its document loader (which takes quadratic time in the
 * depth) runs, and text from the file made printable before it goes into a
 * message or the theme's name.
 */
#include "autoconf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "model/mem.h"
#include "model/text.h"
#include "ui/theme.h"

/* A theme is a page of text; the shipped ones are under 2 KiB. */
#define THEME_MAX_BYTES (64 * 1024)
/* The file is a map of roles, each a map: two levels, and room for flow
 * style.  Deeper is not a theme. */
#define THEME_MAX_DEPTH 8

const char *const theme_names[] = {"dark", "light", "high-contrast", "mono"};
const size_t theme_count = sizeof theme_names / sizeof *theme_names;

/* Attributes that keep each role readable without colour. */
static attr_t mono_attr(enum ui_role r)
{
    switch (r) {
    case ROLE_HEADER:
    case ROLE_TAB_ACTIVE:
        return A_REVERSE | A_BOLD;
    case ROLE_STATUS:
    case ROLE_SELECTION:
    case ROLE_BAR:
        return A_REVERSE;
    case ROLE_TITLE:
    case ROLE_KEY:
    case ROLE_BAD:
    case ROLE_MARKER:
        return A_BOLD;
    case ROLE_DROP:
        return A_BOLD | A_UNDERLINE;
    case ROLE_INPUT:
        return A_UNDERLINE;
    case ROLE_MUTED:
        return A_DIM;
    default:
        return A_NORMAL;
    }
}

void theme_default(struct theme *t)
{
    /* fg, bg, fg8, bg8, attr */
    static const short d[ROLE_COUNT][4] = {
        [ROLE_TEXT] = {252, -1, COLOR_WHITE, -1},
        [ROLE_MUTED] = {244, -1, COLOR_WHITE, -1},
        [ROLE_TITLE] = {153, -1, COLOR_CYAN, -1},
        [ROLE_HEADER] = {231, 24, COLOR_WHITE, COLOR_BLUE},
        [ROLE_TAB] = {189, 24, COLOR_WHITE, COLOR_BLUE},
        [ROLE_TAB_ACTIVE] = {16, 153, COLOR_BLACK, COLOR_CYAN},
        [ROLE_STATUS] = {252, 236, COLOR_BLACK, COLOR_WHITE},
        [ROLE_KEY] = {222, 236, COLOR_YELLOW, COLOR_WHITE},
        [ROLE_SELECTION] = {16, 117, COLOR_BLACK, COLOR_CYAN},
        [ROLE_BAR] = {74, -1, COLOR_CYAN, -1},
        [ROLE_BAR_ALT] = {141, -1, COLOR_MAGENTA, -1},
        [ROLE_DROP] = {203, -1, COLOR_RED, -1},
        [ROLE_GOOD] = {114, -1, COLOR_GREEN, -1},
        [ROLE_BAD] = {203, -1, COLOR_RED, -1},
        [ROLE_WARN] = {221, -1, COLOR_YELLOW, -1},
        [ROLE_MARKER] = {221, -1, COLOR_YELLOW, -1},
        [ROLE_BORDER] = {240, -1, COLOR_WHITE, -1},
        [ROLE_INPUT] = {231, 238, COLOR_WHITE, COLOR_BLUE},
        [ROLE_HEAT0] = {250, 236, COLOR_WHITE, COLOR_BLACK},
        [ROLE_HEAT1] = {231, 23, COLOR_WHITE, COLOR_BLUE},
        [ROLE_HEAT2] = {231, 30, COLOR_BLACK, COLOR_CYAN},
        [ROLE_HEAT3] = {16, 72, COLOR_BLACK, COLOR_GREEN},
        [ROLE_HEAT4] = {16, 150, COLOR_BLACK, COLOR_YELLOW},
    };
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "dark");
    for (int r = 0; r < ROLE_COUNT; r++) {
        t->roles[r].fg = d[r][0];
        t->roles[r].bg = d[r][1];
        t->roles[r].fg8 = d[r][2];
        t->roles[r].bg8 = d[r][3];
        t->roles[r].mono = mono_attr((enum ui_role)r);
    }
    t->roles[ROLE_HEADER].attr = A_BOLD;
    t->roles[ROLE_TAB_ACTIVE].attr = A_BOLD;
    t->roles[ROLE_TITLE].attr = A_BOLD;
    t->roles[ROLE_KEY].attr = A_BOLD;
    t->roles[ROLE_DROP].attr = A_BOLD;
}

static int color_name(const char *s, short *out)
{
    static const char *const names[] = {"black", "red",     "green", "yellow",
                                        "blue",  "magenta", "cyan",  "white"};
    if (strcmp(s, "default") == 0) {
        *out = -1;
        return 0;
    }
    int bright = strncmp(s, "bright-", 7) == 0;
    const char *base = bright ? s + 7 : s;
    for (short i = 0; i < 8; i++)
        if (strcmp(base, names[i]) == 0) {
            *out = (short)(i + (bright ? 8 : 0));
            return 0;
        }
    return -1;
}

static int color_number(const char *s, short *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < -1 || v > 255)
        return -1;
    *out = (short)v;
    return 0;
}

static int attr_name(const char *s, attr_t *out)
{
    static const struct {
        const char *name;
        attr_t a;
    } names[] = {{"none", A_NORMAL}, {"bold", A_BOLD}, {"underline", A_UNDERLINE},
                 {"reverse", A_REVERSE}, {"dim", A_DIM}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].a;
            return 0;
        }
    return -1;
}

struct loader {
    yaml_document_t doc;
    const char *file;
    struct theme *t;
    struct ct_error *err;
};

static int fail(struct loader *l, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct loader *l, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    long line = n ? (long)n->start_mark.line + 1 : 0, col = n ? (long)n->start_mark.column + 1 : 0;
    return ct_error_set(l->err, CT_ERR_CONFIG, l->file, line, col, "%s", msg);
}

/* The text of a scalar, or NULL for another node or a scalar holding a NUL
 * (a "\0" escape), which C string compares would cut short. */
static const char *scalar(yaml_node_t *n)
{
    if (!n || n->type != YAML_SCALAR_NODE)
        return NULL;
    const char *s = (const char *)n->data.scalar.value;
    return strlen(s) == n->data.scalar.length ? s : NULL;
}

/* Text from the file as a message may show it: printable, and short. */
static const char *shown(const char *s, char *buf, size_t size)
{
    char tmp[48];
    text_sanitize(s ? s : "", tmp, sizeof tmp);
    snprintf(buf, size, "%s%s", tmp, s && strlen(s) >= sizeof tmp - 1 ? "..." : "");
    return buf;
}

static int load_role(struct loader *l, yaml_node_t *key, yaml_node_t *val)
{
    const char *name = scalar(key);
    char q[64], q2[64];
    if (!name || !val)
        return fail(l, key, "%s", "a role name must be a word");
    int r = color_role_parse(name);
    if (r < 0)
        return fail(l, key, "unknown role '%s' in the theme", shown(name, q, sizeof q));
    if (val->type != YAML_MAPPING_NODE)
        return fail(l, val, "role '%s' needs a map like { fg: 252, bg: -1 }", name);
    struct role_style *s = &l->t->roles[r];
    for (yaml_node_pair_t *p = val->data.mapping.pairs.start; p < val->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(&l->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(&l->doc, p->value);
        if (!k || !v)
            return fail(l, val, "%s", "a broken map");
        const char *ks = scalar(k), *vs = scalar(v);
        if (!ks)
            return fail(l, k, "%s", "a key must be a word");
        if (!vs)
            return fail(l, v, "'%s' needs a single value", shown(ks, q, sizeof q));
        shown(vs, q2, sizeof q2);
        if (strcmp(ks, "fg") == 0 || strcmp(ks, "bg") == 0) {
            if (color_number(vs, strcmp(ks, "fg") == 0 ? &s->fg : &s->bg))
                return fail(l, v, "colour '%s' is not a number from -1 to 255", q2);
        } else if (strcmp(ks, "fg8") == 0 || strcmp(ks, "bg8") == 0) {
            if (color_name(vs, strcmp(ks, "fg8") == 0 ? &s->fg8 : &s->bg8))
                return fail(l, v, "colour '%s' is not black, red, green, yellow, blue, "
                                  "magenta, cyan, white or default", q2);
        } else if (strcmp(ks, "attr") == 0) {
            if (attr_name(vs, &s->attr))
                return fail(l, v, "attr '%s': use bold, underline, reverse, dim or none", q2);
        } else if (strcmp(ks, "mono") == 0) {
            if (attr_name(vs, &s->mono))
                return fail(l, v, "mono '%s': use bold, underline, reverse, dim or none", q2);
        } else {
            return fail(l, k, "unknown key '%s' (fg, bg, fg8, bg8, attr, mono)",
                        shown(ks, q, sizeof q));
        }
    }
    return 0;
}

static int syntax_error(const char *name, const yaml_parser_t *p, struct ct_error *err)
{
    return ct_error_set(err, CT_ERR_CONFIG, name, (long)p->problem_mark.line + 1,
                        (long)p->problem_mark.column + 1, "%s",
                        p->problem ? p->problem : "not valid YAML");
}

/* Walk libyaml's events once: a syntax error or nesting deeper than a
 * theme has is reported before the document loader runs. */
static int check_shape(const char *text, size_t len, const char *name, struct ct_error *err)
{
    yaml_parser_t p;
    yaml_event_t ev;
    int depth = 0, rc = 0;
    if (!yaml_parser_initialize(&p))
        return ct_error_set(err, CT_ERR_RUNTIME, name, 0, 0, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    while (!rc) {
        if (!yaml_parser_parse(&p, &ev)) {
            rc = syntax_error(name, &p, err);
            break;
        }
        yaml_event_type_t type = ev.type;
        yaml_mark_t mark = ev.start_mark;
        yaml_event_delete(&ev);
        if (type == YAML_STREAM_END_EVENT)
            break;
        if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT) {
            if (++depth > THEME_MAX_DEPTH)
                rc = ct_error_set(err, CT_ERR_CONFIG, name, (long)mark.line + 1,
                                  (long)mark.column + 1,
                                  "nested deeper than a theme (a map of roles, each a map)");
        } else if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT) {
            depth--;
        }
    }
    yaml_parser_delete(&p);
    return rc;
}

/* The theme's name: printable, cut to fit at a character boundary. */
static int set_name(struct loader *l, yaml_node_t *v)
{
    const char *s = scalar(v);
    if (!s || !text_utf8_valid(s, strlen(s)) || text_has_control(s, strlen(s), 0))
        return fail(l, v, "%s", "the theme's name must be a line of text");
    size_t n = strlen(s);
    if (n >= sizeof l->t->name) {
        n = sizeof l->t->name - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* s[n] would be the middle of a character */
    }
    memcpy(l->t->name, s, n);
    l->t->name[n] = '\0';
    return 0;
}

int theme_load_text(const char *text, size_t len, const char *name, struct theme *out,
                    struct ct_error *err)
{
    theme_default(out);
    if (len > THEME_MAX_BYTES)
        return ct_error_set(err, CT_ERR_CONFIG, name, 0, 0,
                            "larger than 64 KiB; is this a theme file?");
    int rc = check_shape(text, len, name, err);
    if (rc)
        return rc;
    yaml_parser_t parser;
    struct loader l = {.file = name, .t = out, .err = err};
    if (!yaml_parser_initialize(&parser))
        return ct_error_set(err, CT_ERR_RUNTIME, name, 0, 0, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &l.doc)) {
        syntax_error(name, &parser, err);
        yaml_parser_delete(&parser);
        return CT_ERR_CONFIG;
    }
    yaml_parser_delete(&parser);
    yaml_node_t *root = yaml_document_get_root_node(&l.doc);
    if (root && root->type != YAML_MAPPING_NODE)
        rc = fail(&l, root, "%s", "a theme is a map with 'name' and 'roles'");
    for (yaml_node_pair_t *p = root && !rc ? root->data.mapping.pairs.start : NULL;
         p && p < root->data.mapping.pairs.top && !rc; p++) {
        yaml_node_t *k = yaml_document_get_node(&l.doc, p->key);
        yaml_node_t *v = yaml_document_get_node(&l.doc, p->value);
        const char *ks = scalar(k);
        if (!k || !v)
            rc = fail(&l, root, "%s", "a broken map");
        else if (ks && strcmp(ks, "name") == 0) {
            rc = set_name(&l, v);
        } else if (ks && strcmp(ks, "roles") == 0 && v->type == YAML_MAPPING_NODE) {
            for (yaml_node_pair_t *q = v->data.mapping.pairs.start;
                 q < v->data.mapping.pairs.top && !rc; q++)
                rc = load_role(&l, yaml_document_get_node(&l.doc, q->key),
                               yaml_document_get_node(&l.doc, q->value));
        } else if (ks && strcmp(ks, "roles") == 0) {
            rc = fail(&l, v, "%s", "'roles' must be a map of role names");
        } else {
            char q[64];
            rc = fail(&l, k, "unknown key '%s' (name, roles)", ks ? shown(ks, q, sizeof q) : "?");
        }
    }
    yaml_document_delete(&l.doc);
    return rc;
}

int theme_load(const char *path, struct theme *out, struct ct_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ct_error_set(err, CT_ERR_CONFIG, path, 0, 0, "cannot read the theme");
    struct strbuf sb = {0};
    char buf[4096];
    size_t n;
    /* one chunk past the limit is enough for theme_load_text to refuse it */
    while ((n = fread(buf, 1, sizeof buf, f)) > 0 && sb.len <= THEME_MAX_BYTES)
        sb_add(&sb, buf, n);
    fclose(f);
    int rc = theme_load_text(sb.buf ? sb.buf : "", sb.len, path, out, err);
    sb_free(&sb);
    return rc;
}
