/*
 * pane_customers.c - 3 Customers: the list with search as you type on
 * e-mail, name and key, sorting and the win-back filter; Enter opens a
 * customer.  The same pane lists the customers of a cohort cell.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "model/mem.h"
#include "model/tstamp.h"
#include "ui/format.h"
#include "ui/list.h"
#include "ui/panes.h"

#define ESC 27

struct pane_customers {
    struct customers_view v;
    struct list list;
    int typing;      /* the search prompt has the keys */
    char query[256]; /* as typed */
    char sel_key[256];
    char hints[128];
    const struct ui *ui; /* for the cell callback */
};

void *pane_customers_new(void)
{
    return xcalloc(1, sizeof(struct pane_customers));
}

void pane_customers_free(void *st)
{
    free(st);
}

const char *pane_customers_selected(void *st)
{
    struct pane_customers *p = st;
    return p->sel_key;
}

static const struct profile *row_at(const struct pane_customers *p, size_t i)
{
    return i < p->v.n && p->v.row ? p->v.row(p->v.ctx, i) : NULL;
}

static void remember(struct pane_customers *p)
{
    if (p->list.sel < p->v.n && p->v.key)
        snprintf(p->sel_key, sizeof p->sel_key, "%s", p->v.key(p->v.ctx, p->list.sel));
}

void pane_customers_set(void *st, const struct customers_view *v)
{
    struct pane_customers *p = st;
    p->v = *v;
    size_t n = v->n;
    list_set_count(&p->list, n);
    /* keep the same customer selected, wherever the refresh moved it */
    if (p->sel_key[0] && v->key) {
        for (size_t i = 0; i < n; i++)
            if (strcmp(v->key(v->ctx, i), p->sel_key) == 0) {
                list_select(&p->list, i);
                return;
            }
    }
    remember(p);
}

/* Names and e-mails get room first; "last seen" is the first to go on a
 * narrow screen (the detail shows it). */
static const struct list_col cols[] = {
    {"key", 10, 8, 0, 0},      {"name", 20, 14, 1, 0},    {"e-mail", 28, 18, 1, 0},
    {"orders", 6, 6, 0, 1},    {"net spend", 10, 9, 0, 1}, {"tier", 6, 6, 0, 0},
    {"risk", 5, 4, 0, 0},      {"last seen", 10, 10, 0, 0},
};

static void cell(void *ctx, size_t row, size_t col, char *buf, size_t size, enum ui_role *role)
{
    struct pane_customers *p = ctx;
    const struct profile *c = row_at(p, row);
    if (!c)
        return;
    switch (col) {
    case 0:
        ui_key(p->ui, c->key, buf, size);
        break;
    case 1:
        ui_name(p->ui, c->name, buf, size);
        break;
    case 2:
        ui_email(p->ui, c->email, buf, size);
        *role = ROLE_MUTED;
        break;
    case 3:
        fmt_count(c->orders, buf, size);
        break;
    case 4:
        fmt_money(c->net_spend, 1, buf, size);
        break;
    case 5:
        snprintf(buf, size, "%s", c->tier ? c->tier : "-");
        break;
    case 6:
        snprintf(buf, size, "%s", churn_risk_name(c->churn_risk));
        *role = c->churn_risk == RISK_HIGH  ? ROLE_BAD
                : c->churn_risk == RISK_LOW ? ROLE_WARN
                                            : ROLE_GOOD;
        break;
    default:
        if (c->last_seen_ms != TS_NONE)
            tstamp_format_date(p->ui->tz, c->last_seen_ms, buf, size);
    }
}

static const char *sort_title(enum customer_sort s)
{
    static const char *const t[] = {"net spend", "orders", "last seen", "churn risk"};
    return t[s];
}

static void pane_draw(void *st, WINDOW *w, int h, int width, const struct ui *ui)
{
    struct pane_customers *p = st;
    p->ui = ui;
    char title[256], n[32];
    fmt_count((int64_t)p->v.n, n, sizeof n);
    snprintf(title, sizeof title, "%s %s %s shown %s sorted by %s%s", p->v.title, ui->g.sep, n,
             ui->g.sep, sort_title(p->v.sort), p->v.searchable ? "  (s sort, w win-back)" : "");
    ui_text(w, 0, 1, width - 2, color_attr(ROLE_TITLE), title);
    int y = 1;
    if (p->v.searchable) {
        if (p->typing || p->query[0]) {
            ui_text(w, 1, 1, 9, color_attr(ROLE_KEY), "search: ");
            ui_fill(w, 1, 10, width - 12, color_attr(ROLE_INPUT));
            ui_text(w, 1, 10, width - 12, color_attr(ROLE_INPUT), p->query);
        } else {
            ui_text(w, 1, 1, width - 2, color_attr(ROLE_MUTED),
                    "/ to search by e-mail, name or key; Enter opens a customer");
        }
        y = 2;
    }
    if (!p->v.n) {
        ui_text(w, y + 1, 2, width - 4, color_attr(ROLE_MUTED),
                p->query[0] ? "No customer matches." : "No customers in this range.");
        return;
    }
    list_draw(&p->list, w, y, 1, h - y, width - 2, cols, 8, cell, p, ui);
}

/* Remove the last UTF-8 character of s. */
static void drop_char(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && ((unsigned char)s[n - 1] & 0xC0) == 0x80)
        n--;
    if (n > 0)
        n--;
    s[n] = '\0';
}

/* Is the last UTF-8 character of s complete? */
static int utf8_last_complete(const char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return 1;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return n - (i - 1) >= want;
}

static int search_request(struct pane_customers *p, struct ui_request *req)
{
    req->kind = REQ_SEARCH;
    snprintf(req->text, sizeof req->text, "%s", p->query);
    p->sel_key[0] = '\0';
    list_select(&p->list, 0);
    return UI_HANDLED | UI_REQUEST | UI_DIRTY_BODY;
}

static int type_key(struct pane_customers *p, int key, struct ui_request *req)
{
    size_t n = strlen(p->query);
    if (key == ESC) {
        p->typing = 0;
        p->query[0] = '\0';
        return search_request(p, req) | UI_DIRTY_STATUS;
    }
    if (key == '\n' || key == '\r' || key == KEY_ENTER || key == KEY_DOWN) {
        p->typing = 0;
        return UI_HANDLED | UI_DIRTY_BODY | UI_DIRTY_STATUS;
    }
    if (key == KEY_BACKSPACE || key == 127 || key == 8) {
        if (!n)
            return UI_HANDLED;
        drop_char(p->query);
        return search_request(p, req);
    }
    if (key >= 32 && key < 256 && key != 127 && n + 1 < sizeof p->query) {
        p->query[n] = (char)key;
        p->query[n + 1] = '\0';
        /* a UTF-8 character arrives byte by byte: search when it is whole */
        if (!utf8_last_complete(p->query))
            return UI_HANDLED;
        return search_request(p, req);
    }
    return UI_HANDLED;
}

static int pane_handle(void *st, enum action a, int key, struct ui_request *req)
{
    struct pane_customers *p = st;
    if (p->typing)
        return type_key(p, key, req);
    switch (a) {
    case ACT_SEARCH:
        if (!p->v.searchable)
            return 0;
        p->typing = 1;
        return UI_HANDLED | UI_DIRTY_BODY | UI_DIRTY_STATUS;
    case ACT_SORT:
        if (!p->v.searchable)
            return 0;
        req->kind = REQ_CUSTOMERS;
        req->index = ((size_t)p->v.sort + 1) % 4;
        req->a = p->v.winback;
        return UI_HANDLED | UI_REQUEST;
    case ACT_WINBACK:
        if (!p->v.searchable)
            return 0;
        req->kind = REQ_CUSTOMERS;
        req->index = (size_t)p->v.sort;
        req->a = !p->v.winback;
        return UI_HANDLED | UI_REQUEST;
    case ACT_ENTER: {
        const struct profile *c = row_at(p, p->list.sel);
        if (!c)
            return UI_HANDLED;
        req->kind = REQ_OPEN_CUSTOMER;
        req->index = c->index;
        return UI_HANDLED | UI_REQUEST;
    }
    case ACT_BACK:
        if (p->v.searchable && p->query[0]) {
            p->query[0] = '\0';
            return search_request(p, req);
        }
        return p->v.searchable ? 0 : UI_HANDLED | UI_POP;
    default:
        if (!list_action(&p->list, a))
            return 0;
        remember(p);
        return UI_HANDLED | UI_DIRTY_BODY;
    }
}

static int pane_raw(void *st)
{
    return ((struct pane_customers *)st)->typing;
}

static const char *pane_hints(void *st)
{
    struct pane_customers *p = st;
    if (p->typing)
        return "type to search  Enter done  Esc clear ";
    return p->v.searchable ? "/ search  s sort  w win-back  Enter open  e export "
                           : "Enter open  Esc back  e export ";
}

static int pane_cursor(void *st, int *y, int *x)
{
    struct pane_customers *p = st;
    if (!p->typing)
        return 0;
    *y = 1;
    *x = 10 + (int)strlen(p->query); /* ASCII queries; good enough for a cursor */
    return 1;
}

static int pane_export(void *st, FILE *f, const struct ui *ui)
{
    struct pane_customers *p = st;
    if (!p->v.row)
        return -1;
    fprintf(f, "key,email,name,channel,orders,revenue,refunds,net_spend,tier,stage,last_seen,"
               "churn_risk\n");
    for (size_t i = 0; i < p->v.n; i++) {
        const struct profile *c = row_at(p, i);
        if (!c)
            continue;
        char e[256], n[256], key[256], ls[40] = "";
        if (c->last_seen_ms != TS_NONE)
            tstamp_format(c->last_seen_ms, ls, sizeof ls);
        const char *fields[] = {ui_key(ui, c->key, key, sizeof key),
                                ui_email(ui, c->email, e, sizeof e),
                                ui_name(ui, c->name, n, sizeof n), c->channel ? c->channel : ""};
        for (int k = 0; k < 4; k++) {
            fmt_csv_field(f, fields[k]);
            fputc(',', f);
        }
        fprintf(f, "%lld,%.2f,%.2f,%.2f,", (long long)c->orders, c->revenue, c->refunds,
                c->net_spend);
        fmt_csv_field(f, c->tier ? c->tier : "");
        fputc(',', f);
        fmt_csv_field(f, c->stage ? c->stage : "");
        fprintf(f, ",%s,%s\n", ls, churn_risk_name(c->churn_risk));
    }
    return 0;
}

const struct pane_ops pane_customers_ops = {
    .title = "Customers",
    .scopes = SCOPE_ALL | SCOPE_LIST | SCOPE_CUSTOMERS,
    .draw = pane_draw,
    .handle = pane_handle,
    .raw = pane_raw,
    .hints = pane_hints,
    .cursor = pane_cursor,
    .export_csv = pane_export,
};

const struct pane_ops pane_cell_ops = {
    .title = "Cohort cell",
    .scopes = SCOPE_ALL | SCOPE_LIST,
    .draw = pane_draw,
    .handle = pane_handle,
    .hints = pane_hints,
    .export_csv = pane_export,
};
