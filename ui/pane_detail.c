/*
 * pane_detail.c - one customer: the profile on top, the timeline below,
 * newest first, grouped by session or by day, with values, channels,
 * properties and markers where a stage or a goal was first reached.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "model/mem.h"
#include "model/text.h"
#include "model/tstamp.h"
#include "ui/format.h"
#include "ui/list.h"
#include "ui/panes.h"

/* A line of the timeline: a group heading or an event. */
struct line {
    int heading;
    size_t item; /* timeline item (events), or the first item of the group */
};

struct pane_detail {
    struct detail_view v;
    struct line *lines;
    size_t n_lines;
    struct list list;
    const struct ui *ui;
};

void *pane_detail_new(void)
{
    return xcalloc(1, sizeof(struct pane_detail));
}

void pane_detail_free(void *st)
{
    struct pane_detail *p = st;
    if (!p)
        return;
    free(p->lines);
    free(p);
}

static int same_group(const struct pane_detail *p, const struct timeline_item *a,
                      const struct timeline_item *b)
{
    if (!p->v.by_day)
        return a->session_id == b->session_id;
    /* by day: the local calendar day */
    return period_index(p->ui ? p->ui->tz : NULL, PERIOD_DAY, a->ts_ms) ==
           period_index(p->ui ? p->ui->tz : NULL, PERIOD_DAY, b->ts_ms);
}

static void build_lines(struct pane_detail *p)
{
    const struct timeline *tl = p->v.timeline;
    free(p->lines);
    p->lines = xcalloc(tl ? 2 * tl->n + 1 : 1, sizeof *p->lines);
    p->n_lines = 0;
    if (!tl || !p->ui)
        return;
    /* newest first: support staff want what just happened */
    for (size_t k = tl->n; k-- > 0;) {
        if (k + 1 == tl->n || !same_group(p, &tl->items[k], &tl->items[k + 1]))
            p->lines[p->n_lines++] = (struct line){1, k};
        p->lines[p->n_lines++] = (struct line){0, k};
    }
    list_set_count(&p->list, p->n_lines);
}

void pane_detail_set(void *st, const struct detail_view *v)
{
    struct pane_detail *p = st;
    int same = p->v.profile && v->profile && p->v.profile->key && v->profile->key &&
               strcmp(p->v.profile->key, v->profile->key) == 0;
    p->v = *v;
    if (!same) {
        p->list.sel = 0;
        p->list.top = 0;
    }
    build_lines(p);
}

/* Profile facts flow like words: each "label value" chunk goes on the
 * current line if it fits, else on the next one. */
struct flow {
    WINDOW *w;
    int y, x, width;
};

static void chunk(struct flow *f, const char *label, const char *value, enum ui_role role)
{
    int len = (int)(text_width(label) + 1 + text_width(value));
    if (f->x > 1 && f->x + len > f->width - 1) {
        f->y++;
        f->x = 1;
    }
    f->x += ui_text(f->w, f->y, f->x, f->width - f->x, color_attr(ROLE_MUTED), label);
    f->x += 1;
    f->x += ui_text(f->w, f->y, f->x, f->width - f->x, color_attr(role), value);
    f->x += 2;
}

/* Draw the profile; returns the first free line. */
static int draw_profile(struct pane_detail *p, WINDOW *w, int width, const struct ui *ui)
{
    const struct profile *c = p->v.profile;
    char a[128], b[128], k[128], line[512];
    snprintf(line, sizeof line, "%s  %s  %s", ui_key(ui, c->key, k, sizeof k),
             ui_name(ui, c->name, a, sizeof a), ui_email(ui, c->email, b, sizeof b));
    ui_text(w, 0, 1, width - 2, color_attr(ROLE_TITLE), line);
    struct flow f = {w, 1, 1, width};
    char v[128];
    if (c->first_seen_ms != TS_NONE)
        tstamp_format_date(ui->tz, c->first_seen_ms, v, sizeof v);
    chunk(&f, "first seen", c->first_seen_ms != TS_NONE ? v : "-", ROLE_TEXT);
    if (c->last_seen_ms != TS_NONE)
        tstamp_format_local(ui->tz, c->last_seen_ms, v, sizeof v, 0);
    chunk(&f, "last seen", c->last_seen_ms != TS_NONE ? v : "-", ROLE_TEXT);
    chunk(&f, "channel", c->channel ? c->channel : "-", ROLE_TEXT);
    if (c->country)
        chunk(&f, "country", c->country, ROLE_TEXT);
    snprintf(v, sizeof v, "%lld/%lld", (long long)c->sessions, (long long)c->page_views);
    chunk(&f, "sessions/views", v, ROLE_TEXT);
    f.y++;
    f.x = 1;
    fmt_count(c->orders, v, sizeof v);
    chunk(&f, "orders", v, ROLE_TEXT);
    fmt_money(c->revenue, 0, v, sizeof v);
    chunk(&f, "revenue", v, ROLE_TEXT);
    fmt_money(c->refunds, 0, v, sizeof v);
    chunk(&f, "refunds", v, c->refunds > 0 ? ROLE_WARN : ROLE_TEXT);
    fmt_money(c->net_spend, 0, v, sizeof v);
    chunk(&f, "net", v, ROLE_TITLE);
    if (!c->aov.null)
        fmt_money(c->aov.v, 0, v, sizeof v);
    chunk(&f, "AOV", c->aov.null ? "-" : v, ROLE_TEXT);
    fmt_pct(c->refund_rate.v * 100, c->refund_rate.null, v, sizeof v);
    chunk(&f, "refund rate", v, ROLE_TEXT);
    chunk(&f, "tier", c->tier ? c->tier : "-", ROLE_TITLE);
    f.y++;
    f.x = 1;
    /* stages with the time spent in each before the next */
    struct strbuf sb = {0};
    if (!c->stage_level)
        sb_adds(&sb, "none");
    for (int j = 0; j < c->stage_level && (size_t)j < p->v.n_stages; j++) {
        sb_printf(&sb, "%s%s", j ? " > " : "", p->v.stage_names[j]);
        if (j + 1 < c->stage_level && !c->stage_time_s[j].null) {
            char d[16];
            fmt_duration(c->stage_time_s[j].v, 0, d, sizeof d);
            sb_printf(&sb, " (%s)", d);
        }
    }
    chunk(&f, "stage", sb_cstr(&sb), ROLE_TEXT);
    snprintf(v, sizeof v, "%d micro, %d macro", c->goals_micro, c->goals_macro);
    chunk(&f, "goals", v, ROLE_TEXT);
    f.y++;
    f.x = 1;
    snprintf(v, sizeof v, "%s (%lld in 30 days, %lld before)", engagement_name(c->engagement),
             (long long)c->events_last30, (long long)c->events_prev30);
    chunk(&f, "engagement", v, c->engagement == ENGAGEMENT_DOWN ? ROLE_WARN : ROLE_TEXT);
    enum ui_role rr = c->churn_risk == RISK_HIGH  ? ROLE_BAD
                      : c->churn_risk == RISK_LOW ? ROLE_WARN
                                                  : ROLE_GOOD;
    chunk(&f, "churn risk", churn_risk_name(c->churn_risk), rr);
    for (size_t i = 0; i < c->n_reasons && i < 3; i++) {
        sb_reset(&sb);
        sb_printf(&sb, "  %s %s", ui->g.mark, c->reasons[i]);
        ui_text(w, ++f.y, 1, width - 2, color_attr(rr), sb_cstr(&sb));
    }
    /* why not converted, one line per funnel */
    for (size_t i = 0; i < p->v.n_why; i++)
        ui_text(w, ++f.y, 1, width - 2, color_attr(i ? ROLE_MUTED : ROLE_TEXT), p->v.why[i]);
    sb_free(&sb);
    return f.y + 2;
}

static void line_cell(struct pane_detail *p, size_t row, WINDOW *w, int y, int width,
                      int selected, const struct ui *ui)
{
    const struct timeline *tl = p->v.timeline;
    const struct line *ln = &p->lines[row];
    const struct timeline_item *it = &tl->items[ln->item];
    attr_t base = selected ? color_attr(ROLE_SELECTION) : color_attr(ROLE_TEXT);
    ui_fill(w, y, 1, width - 2, base);
    char buf[512];
    if (ln->heading) {
        char day[16];
        tstamp_format_date(ui->tz, it->ts_ms, day, sizeof day);
        if (!p->v.by_day && it->session)
            snprintf(buf, sizeof buf, "%s %s  session %s", ui->g.hline, day, it->session);
        else if (!p->v.by_day)
            snprintf(buf, sizeof buf, "%s %s  visit %u", ui->g.hline, day, it->session_id);
        else
            snprintf(buf, sizeof buf, "%s %s", ui->g.hline, day);
        ui_text(w, y, 1, width - 2, selected ? base : color_attr(ROLE_TITLE), buf);
        return;
    }
    char when[32], val[32] = "";
    tstamp_format_local(ui->tz, it->ts_ms, when, sizeof when, 0);
    if (!it->value.null)
        fmt_money(it->value.v, 0, val, sizeof val);
    int x = 3;
    x += ui_text(w, y, x, 6, base, when + 11) + 2;
    x += ui_text(w, y, x, 18, selected ? base : color_attr(ROLE_TEXT), it->event_name);
    x = 3 + 7 + 19;
    ui_text_right(w, y, x, 10, base, val);
    x += 11;
    x += ui_text(w, y, x, 10, selected ? base : color_attr(ROLE_MUTED),
                 it->channel ? it->channel : "") + 1;
    x = x < 3 + 7 + 19 + 11 + 11 ? 3 + 7 + 19 + 11 + 11 : x;
    for (size_t m = 0; m < it->n_markers && x < width - 4; m++) {
        snprintf(buf, sizeof buf, "%s %s ", ui->g.mark, it->markers[m]);
        x += ui_text(w, y, x, width - 2 - x, selected ? base : color_attr(ROLE_MARKER), buf);
    }
    const char *props = p->v.props ? p->v.props[ln->item] : NULL;
    if (props && x < width - 6)
        ui_text(w, y, x, width - 2 - x, selected ? base : color_attr(ROLE_MUTED), props);
}

static void pane_draw(void *st, WINDOW *w, int h, int width, const struct ui *ui)
{
    struct pane_detail *p = st;
    if (p->ui != ui) {
        p->ui = ui;
        build_lines(p);
    }
    if (!p->v.profile) {
        ui_text(w, 1, 2, width - 4, color_attr(ROLE_MUTED), "no customer");
        return;
    }
    int y = draw_profile(p, w, width, ui);
    char head[128];
    snprintf(head, sizeof head, "Timeline %s %zu events, newest first, by %s (g to switch)",
             ui->g.sep, p->v.timeline ? p->v.timeline->n : 0, p->v.by_day ? "day" : "session");
    ui_text(w, y, 1, width - 2, color_attr(ROLE_TITLE), head);
    int rows = h - y - 1;
    if (rows < 1)
        return;
    list_scroll(&p->list, rows);
    for (int r = 0; r < rows; r++) {
        size_t row = p->list.top + (size_t)r;
        if (row >= p->n_lines)
            break;
        line_cell(p, row, w, y + 1 + r, width, row == p->list.sel, ui);
    }
}

static int pane_handle(void *st, enum action a, int key, struct ui_request *req)
{
    struct pane_detail *p = st;
    (void)key;
    switch (a) {
    case ACT_BACK:
        return UI_HANDLED | UI_POP;
    case ACT_GROUP:
        req->kind = REQ_GROUP;
        req->a = !p->v.by_day;
        return UI_HANDLED | UI_REQUEST;
    default:
        return list_action(&p->list, a) ? UI_HANDLED | UI_DIRTY_BODY : 0;
    }
}

static const char *pane_hints(void *st)
{
    (void)st;
    return "arrows scroll  g group  Esc back  e export ";
}

static int pane_export(void *st, FILE *f, const struct ui *ui)
{
    struct pane_detail *p = st;
    const struct timeline *tl = p->v.timeline;
    (void)ui;
    if (!tl)
        return -1;
    fprintf(f, "ts,event,value,channel,session,markers\n");
    for (size_t i = 0; i < tl->n; i++) {
        const struct timeline_item *it = &tl->items[i];
        char ts[40];
        tstamp_format(it->ts_ms, ts, sizeof ts);
        fprintf(f, "%s,", ts);
        fmt_csv_field(f, it->event_name);
        if (it->value.null)
            fputc(',', f);
        else
            fprintf(f, ",%.2f", it->value.v);
        fputc(',', f);
        fmt_csv_field(f, it->channel ? it->channel : "");
        fputc(',', f);
        fmt_csv_field(f, it->session ? it->session : "");
        fputc(',', f);
        struct strbuf sb = {0};
        for (size_t m = 0; m < it->n_markers; m++)
            sb_printf(&sb, "%s%s", m ? "; " : "", it->markers[m]);
        fmt_csv_field(f, sb.len ? sb.buf : "");
        sb_free(&sb);
        fputc('\n', f);
    }
    return 0;
}

const struct pane_ops pane_detail_ops = {
    .title = "Customer",
    .scopes = SCOPE_ALL | SCOPE_LIST | SCOPE_DETAIL,
    .draw = pane_draw,
    .handle = pane_handle,
    .hints = pane_hints,
    .export_csv = pane_export,
};
