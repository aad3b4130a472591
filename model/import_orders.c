/*
 * import_orders.c - order exports (SPEC 3.2): one row per order line,
 * aggregated into one purchase event per order, and a refund event for a
 * cancelled or refunded order.
 *
 * Owns three layouts over one engine: UCI Online Retail (I and II: invoices
 * starting with C are cancellations), the Shopify orders export, and the
 * config's orders mapping.  Lines are checked one by one (a bad line is
 * rejected alone); orders are kept in memory by order number, so the lines
 * of an order need not be adjacent, and emitted at the end of the file in
 * the order they first appeared.  The order number is the event id, so two
 * orders with equal customer, time and total stay two, and a re-import or
 * an overlapping file adds nothing.  An order without a customer (a guest
 * checkout) is skipped and its lines counted.  Knows no SQL.  Entry point:
 * import_orders.
 *
 * Decision on lines with quantity <= 0 on an order that is not a
 * cancellation: they stay in the order and net against its value, so the
 * order is still one purchase, never an invented refund.  In the UCI files
 * every such line (1,336 in Online Retail) is a stock adjustment without a
 * customer, so it is skipped as a guest line anyway; tests/real_data.sh
 * checks that no customer's order has one.
 */
#include "autoconf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "model/config.h"
#include "model/csv.h"
#include "model/import_int.h"
#include "model/strmap.h"
#include "model/tstamp.h"

enum ocol {
    OC_ORDER,
    OC_CUSTOMER,
    OC_TIME,
    OC_QTY,
    OC_PRICE,
    OC_TOTAL,
    OC_EMAIL,
    OC_NAME,
    OC_COUNTRY,
    OC_CHANNEL,
    OC_STATUS,    /* Shopify Financial Status */
    OC_REFUNDED,  /* Shopify Refunded Amount */
    OC_CANCELLED, /* Shopify Cancelled at */
    OC_COUNT
};

#define MAX_ALIASES 3

struct layout {
    const char *names[OC_COUNT][MAX_ALIASES]; /* column names, matched normalized */
    const char *cancel_prefix;                /* order numbers that are cancellations */
    int email_key;                            /* no customer id: the e-mail is the key */
};

static const struct layout online_retail = {
    .names =
        {
            [OC_ORDER] = {"InvoiceNo", "Invoice"},
            [OC_CUSTOMER] = {"CustomerID", "Customer ID"},
            [OC_TIME] = {"InvoiceDate"},
            [OC_QTY] = {"Quantity"},
            [OC_PRICE] = {"UnitPrice", "Price"},
            [OC_COUNTRY] = {"Country"},
        },
    .cancel_prefix = "C",
};

static const struct layout shopify = {
    .names =
        {
            [OC_ORDER] = {"Name"},
            [OC_CUSTOMER] = {"Customer ID"},
            [OC_TIME] = {"Created at"},
            [OC_QTY] = {"Lineitem quantity"},
            [OC_PRICE] = {"Lineitem price"},
            [OC_TOTAL] = {"Total"},
            [OC_EMAIL] = {"Email"},
            [OC_NAME] = {"Billing Name"},
            [OC_COUNTRY] = {"Billing Country"},
            [OC_CHANNEL] = {"Source"},
            [OC_STATUS] = {"Financial Status"},
            [OC_REFUNDED] = {"Refunded Amount"},
            [OC_CANCELLED] = {"Cancelled at"},
        },
    .email_key = 1,
};

#define NONE SIZE_MAX

struct order {
    size_t num, cust, email, name, country, channel; /* offsets into the pool, or NONE */
    long first_line, n_lines;
    int64_t ts, cancel_ts;
    int has_ts, has_cancel, status_refund, has_sum, has_total, has_refunded, has_items, dec;
    double sum, total, refunded, items;
};

struct orders {
    struct parse_ctx *pc;
    struct layout lay;
    int col[OC_COUNT];
    char *label[OC_COUNT]; /* the header's own spelling, for messages */
    size_t ncols;
    struct strmap index; /* order number -> position in list */
    struct order *list;
    size_t n, cap;
    struct strbuf pool, key;
};

static void orders_free(struct orders *o)
{
    for (int k = 0; k < OC_COUNT; k++)
        free(o->label[k]);
    strmap_free(&o->index);
    free(o->list);
    sb_free(&o->pool);
    sb_free(&o->key);
}

static const char *pool_str(const struct orders *o, size_t off)
{
    return off == NONE ? NULL : o->pool.buf + off;
}

static size_t pool_add(struct orders *o, const char *s, size_t len)
{
    size_t off = o->pool.len;
    sb_add(&o->pool, s, len);
    sb_addc(&o->pool, '\0');
    return off;
}

/* The layout of the config's orders mapping. */
static void mapping_layout(struct orders *o, const struct order_mapping *m)
{
    const char *src[OC_COUNT] = {
        [OC_ORDER] = m->order,     [OC_CUSTOMER] = m->customer, [OC_TIME] = m->time,
        [OC_QTY] = m->quantity,    [OC_PRICE] = m->price,       [OC_TOTAL] = m->total,
        [OC_EMAIL] = m->email,     [OC_NAME] = m->name,         [OC_COUNTRY] = m->country,
        [OC_CHANNEL] = m->channel,
    };
    memset(&o->lay, 0, sizeof o->lay);
    for (int k = 0; k < OC_COUNT; k++)
        if (src[k] && *src[k])
            o->lay.names[k][0] = src[k];
    o->lay.cancel_prefix = m->cancel_prefix && *m->cancel_prefix ? m->cancel_prefix : NULL;
    o->lay.email_key = 1;
}

/* What each order needs: a number, a time, a customer, and the columns of
 * its value when the layout names any.  NULL when all are there. */
static const char *missing_column(const struct orders *o)
{
    const struct layout *l = &o->lay;
    if (o->col[OC_ORDER] < 0)
        return l->names[OC_ORDER][0];
    if (o->col[OC_TIME] < 0)
        return l->names[OC_TIME][0];
    if (o->col[OC_CUSTOMER] < 0 && !(l->email_key && o->col[OC_EMAIL] >= 0))
        return l->names[OC_CUSTOMER][0] ? l->names[OC_CUSTOMER][0] : l->names[OC_EMAIL][0];
    if (o->col[OC_TOTAL] < 0 && o->col[OC_PRICE] < 0 &&
        (l->names[OC_PRICE][0] || l->names[OC_TOTAL][0]))
        return l->names[OC_PRICE][0] ? l->names[OC_PRICE][0] : l->names[OC_TOTAL][0];
    if (o->col[OC_TOTAL] < 0 && o->col[OC_PRICE] >= 0 && l->names[OC_QTY][0] && o->col[OC_QTY] < 0)
        return l->names[OC_QTY][0];
    return NULL;
}

static int read_header(struct orders *o, struct csv *c, struct ct_error *err)
{
    char **names;
    int rc = import_read_header(o->pc, c, &names, err);
    if (rc)
        return rc;
    o->ncols = c->nf;
    for (int k = 0; k < OC_COUNT; k++) {
        o->col[k] = -1;
        for (int a = 0; a < MAX_ALIASES && o->lay.names[k][a] && o->col[k] < 0; a++) {
            const char *want = o->lay.names[k][a];
            char *norm = import_norm_name(want, strlen(want));
            for (size_t i = 0; i < c->nf && o->col[k] < 0; i++)
                if (strcmp(names[i], norm) == 0) {
                    char *s = c->f[i].s;
                    size_t len = c->f[i].len;
                    import_trim(&s, &len);
                    o->col[k] = (int)i;
                    o->label[k] = xstrndup(s, len);
                }
            free(norm);
        }
    }
    import_free_names(names, c->nf);
    const char *missing = missing_column(o);
    if (missing)
        return ct_error_set(err, CT_ERR_INPUT, o->pc->name, c->rec_line, 0,
                            "header: no '%s' column, which this order layout needs", missing);
    return 0;
}

/* Digits after the decimal point of a number's text (exponents: many). */
static int decimals(const char *s, size_t len)
{
    const char *dot = memchr(s, '.', len);
    if (memchr(s, 'e', len) || memchr(s, 'E', len))
        return 9;
    return dot ? (int)(len - (size_t)(dot + 1 - s)) : 0;
}

/* A field of the current line, trimmed; NULL when absent or empty. */
static const char *field(struct orders *o, struct csv *c, enum ocol k, size_t *len)
{
    *len = 0;
    if (o->col[k] < 0)
        return NULL;
    char *s = c->f[o->col[k]].s;
    size_t n = c->f[o->col[k]].len;
    import_trim(&s, &n);
    *len = n;
    return n ? s : NULL;
}

static const char *number(struct orders *o, struct csv *c, enum ocol k, double *v, int *has,
                          int *dec, char *why, size_t why_size)
{
    size_t len;
    const char *s = field(o, c, k, &len), *tw;
    *has = 0;
    if (!s)
        return NULL;
    if ((tw = import_parse_value(s, len, v, has))) {
        char show[128];
        snprintf(why, why_size, "%s %s: '%s'", o->label[k], tw,
                 import_show(s, len, show, sizeof show));
        return why;
    }
    if (dec)
        *dec = decimals(s, len);
    return NULL;
}

static const char *timestamp(struct orders *o, struct csv *c, enum ocol k, int64_t *ms, int *has,
                             char *why, size_t why_size)
{
    size_t len;
    const char *s = field(o, c, k, &len), *tw;
    *has = 0;
    if (!s)
        return NULL;
    if (tstamp_parse(s, len, o->pc->tz, ms, &tw) != 0) {
        char show[128];
        snprintf(why, why_size, "%s: %s: '%s'", o->label[k], tw,
                 import_show(s, len, show, sizeof show));
        return why;
    }
    *has = 1;
    return NULL;
}

static void keep_first(struct orders *o, size_t *dst, const char *s, size_t len)
{
    if (*dst == NONE && s)
        *dst = pool_add(o, s, len);
}

/* Check one order line and add it to its order.  NULL when fine. */
static const char *add_line(struct orders *o, struct csv *c, char *why, size_t why_size)
{
    if (c->nf != o->ncols) {
        snprintf(why, why_size, "%zu fields, but the header has %zu", c->nf, o->ncols);
        return why;
    }
    static const enum ocol text_cols[] = {OC_ORDER,   OC_CUSTOMER, OC_EMAIL, OC_NAME,
                                          OC_COUNTRY, OC_CHANNEL,  OC_STATUS};
    size_t len[OC_COUNT];
    const char *s[OC_COUNT] = {0}, *tw;
    for (size_t i = 0; i < sizeof text_cols / sizeof text_cols[0]; i++) {
        enum ocol k = text_cols[i];
        s[k] = field(o, c, k, &len[k]);
        if (s[k] && (tw = import_check_text(s[k], len[k], 0))) {
            snprintf(why, why_size, "%s: %s", o->label[k], tw);
            return why;
        }
    }
    if (!s[OC_ORDER]) {
        snprintf(why, why_size, "%s: empty order number", o->label[OC_ORDER]);
        return why;
    }
    int64_t ts = 0, cts = 0;
    int has_ts, has_cts, has_qty, has_price, has_total, has_ref, dq = 0, dp = 0;
    double qty = 1, price = 0, total = 0, refunded = 0;
    if ((tw = timestamp(o, c, OC_TIME, &ts, &has_ts, why, why_size)) ||
        (tw = timestamp(o, c, OC_CANCELLED, &cts, &has_cts, why, why_size)) ||
        (tw = number(o, c, OC_QTY, &qty, &has_qty, &dq, why, why_size)) ||
        (tw = number(o, c, OC_PRICE, &price, &has_price, &dp, why, why_size)) ||
        (tw = number(o, c, OC_TOTAL, &total, &has_total, NULL, why, why_size)) ||
        (tw = number(o, c, OC_REFUNDED, &refunded, &has_ref, NULL, why, why_size)))
        return tw;
    if (o->col[OC_TOTAL] < 0 && o->col[OC_PRICE] >= 0) {
        /* the value is the sum of the lines: each needs its numbers */
        if (!has_price) {
            snprintf(why, why_size, "%s: empty", o->label[OC_PRICE]);
            return why;
        }
        if (o->col[OC_QTY] >= 0 && !has_qty) {
            snprintf(why, why_size, "%s: empty", o->label[OC_QTY]);
            return why;
        }
    }
    if (!has_qty)
        qty = 1;

    /* the customer key: the id, else (Shopify) the e-mail, lower-cased */
    const char *key = s[OC_CUSTOMER];
    size_t klen = key ? len[OC_CUSTOMER] : 0;
    if (!key && o->lay.email_key && s[OC_EMAIL]) {
        sb_reset(&o->key);
        for (size_t i = 0; i < len[OC_EMAIL]; i++) {
            char ch = s[OC_EMAIL][i];
            sb_addc(&o->key, ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch);
        }
        key = o->key.buf;
        klen = o->key.len;
    }

    int created;
    struct strmap_entry *e = strmap_put(&o->index, s[OC_ORDER], len[OC_ORDER], &created);
    if (created) {
        if (o->n == o->cap) {
            o->cap = o->cap ? o->cap * 2 : 1024;
            o->list = xreallocarray(o->list, o->cap, sizeof *o->list);
        }
        e->val = o->n;
        struct order *nw = &o->list[o->n++];
        memset(nw, 0, sizeof *nw);
        nw->num = pool_add(o, s[OC_ORDER], len[OC_ORDER]);
        nw->cust = nw->email = nw->name = nw->country = nw->channel = NONE;
        nw->first_line = c->rec_line;
    }
    struct order *od = &o->list[e->val];
    const char *had = pool_str(o, od->cust);
    if (key && had && (strlen(had) != klen || memcmp(had, key, klen) != 0)) {
        char a[128], b[128], h[128];
        snprintf(why, why_size, "order %s has customer '%s' on line %ld but '%s' here",
                 import_show(s[OC_ORDER], len[OC_ORDER], a, sizeof a),
                 import_show(had, strlen(had), h, sizeof h), od->first_line,
                 import_show(key, klen, b, sizeof b));
        return why;
    }
    if (key)
        keep_first(o, &od->cust, key, klen);
    keep_first(o, &od->email, s[OC_EMAIL], len[OC_EMAIL]);
    keep_first(o, &od->name, s[OC_NAME], len[OC_NAME]);
    keep_first(o, &od->country, s[OC_COUNTRY], len[OC_COUNTRY]);
    keep_first(o, &od->channel, s[OC_CHANNEL], len[OC_CHANNEL]);
    od->n_lines++;
    if (has_ts && (!od->has_ts || ts < od->ts)) {
        od->ts = ts;
        od->has_ts = 1;
    }
    if (has_cts && (!od->has_cancel || cts < od->cancel_ts)) {
        od->cancel_ts = cts;
        od->has_cancel = 1;
    }
    if (has_price) {
        od->sum += qty * price;
        od->has_sum = 1;
        if (dq + dp > od->dec)
            od->dec = dq + dp;
    }
    if (has_qty) {
        od->items += qty;
        od->has_items = 1;
    }
    if (has_total && !od->has_total) {
        od->total = total;
        od->has_total = 1;
    }
    if (has_ref && !od->has_refunded) {
        od->refunded = refunded;
        od->has_refunded = 1;
    }
    if (s[OC_STATUS] &&
        (strcasecmp(s[OC_STATUS], "refunded") == 0 || strcasecmp(s[OC_STATUS], "voided") == 0))
        od->status_refund = 1;
    return NULL;
}

static const char *line_record(void *ctx, struct csv *c, char *why, size_t why_size, int *rc,
                               struct ct_error *err)
{
    (void)rc;
    (void)err;
    return add_line(ctx, c, why, why_size);
}

/* The sum of the lines, rounded to the decimals its parts had: 6 x 2.55
 * is 15.3, not 15.299999999999999. */
static double order_sum(const struct order *od)
{
    int dec = od->dec > 9 ? 9 : od->dec;
    double scale = 1;
    for (int i = 0; i < dec; i++)
        scale *= 10;
    double v = od->sum * scale;
    if (fabs(v) >= 4503599627370496.0) /* 2^52: no fraction left to round */
        return od->sum;
    return nearbyint(v) / scale;
}

static const char *event_name(const struct config *cfg, int refund)
{
    const char *n = cfg ? (refund ? cfg->events.refund : cfg->events.purchase) : NULL;
    return n && *n ? n : refund ? "refund" : "purchase";
}

static int emit(struct orders *o, struct strbuf *tmp, struct ct_error *err)
{
    struct row_sink *sink = o->pc->sink;
    for (size_t i = 0; i < o->n; i++) {
        const struct order *od = &o->list[i];
        const char *num = pool_str(o, od->num);
        int rc = 0;
        char why[512], show[128];
        if (od->cust == NONE) {
            sink->skip(sink->ctx, od->first_line, od->n_lines);
            continue;
        }
        if (!od->has_ts) {
            snprintf(why, sizeof why, "order %s has no %s on any line",
                     import_show(num, strlen(num), show, sizeof show), o->label[OC_TIME]);
            rc = sink->bad(sink->ctx, od->first_line, "", 0, why, err);
            if (rc)
                return rc;
            continue;
        }
        int cancel = o->lay.cancel_prefix &&
                     strncmp(num, o->lay.cancel_prefix, strlen(o->lay.cancel_prefix)) == 0;
        struct import_row row = {0};
        row.line = od->first_line;
        row.customer = pool_str(o, od->cust);
        row.ts_ms = od->ts;
        row.event = event_name(o->pc->config, cancel);
        row.event_id = num;
        row.email = pool_str(o, od->email);
        row.name = pool_str(o, od->name);
        row.country = pool_str(o, od->country);
        row.channel = pool_str(o, od->channel);
        row.has_value = od->has_total || od->has_sum;
        row.value = od->has_total ? od->total : order_sum(od);
        sb_reset(tmp);
        sb_printf(tmp, "{\"lines\":%ld", od->n_lines);
        if (od->has_items)
            sb_printf(tmp, ",\"items\":%.15g", od->items);
        sb_addc(tmp, '}');
        row.props = tmp->buf;
        const char *bad = import_check_row(&row, why, sizeof why);
        rc = bad ? sink->bad(sink->ctx, od->first_line, "", 0, bad, err)
                 : sink->row(sink->ctx, &row, err);
        if (rc)
            return rc;
        /* Shopify: the export has no refund time but Cancelled at */
        int refund = od->has_refunded && od->refunded > 0 ? 1 : od->status_refund ? 2 : 0;
        if (bad || cancel || !refund)
            continue;
        struct strbuf id = {0};
        sb_printf(&id, "%s:refund", num);
        row.event = event_name(o->pc->config, 1);
        row.event_id = id.buf;
        row.value = -(refund == 1 ? od->refunded : fabs(row.value));
        row.has_value = refund == 1 || row.has_value;
        if (od->has_cancel)
            row.ts_ms = od->cancel_ts;
        row.props = NULL;
        rc = sink->row(sink->ctx, &row, err);
        sb_free(&id);
        if (rc)
            return rc;
    }
    return 0;
}

int import_orders(struct parse_ctx *pc, enum import_format format, long *rows_read,
                  struct ct_error *err)
{
    struct orders o = {0};
    struct csv c;
    *rows_read = 0;
    o.pc = pc;
    strmap_init(&o.index);
    if (format == FORMAT_SHOPIFY)
        o.lay = shopify;
    else if (format == FORMAT_ONLINE_RETAIL)
        o.lay = online_retail;
    else if (pc->config && pc->config->orders.present)
        mapping_layout(&o, &pc->config->orders);
    else
        return ct_error_set(err, CT_ERR_USAGE, pc->name, 0, 0,
                            "the orders format needs an orders mapping in the config");
    csv_init(&c, pc->in);
    int rc = read_header(&o, &c, err);
    if (!rc)
        rc = import_each_record(pc, &c, 0, line_record, &o, rows_read, err);
    struct strbuf tmp = {0};
    if (!rc)
        rc = emit(&o, &tmp, err);
    sb_free(&tmp);
    csv_free(&c);
    orders_free(&o);
    return rc;
}
