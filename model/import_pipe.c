/*
 * import_pipe.c - a parser on its own thread, feeding the store through a
 * small queue of batches (see import_pipe.h).
 *
 * A batch is an array of items and one text buffer holding every string of
 * those items; strings are kept as offsets because the buffer grows.
 * Batches go round: the parser fills one, queues it, takes a spare; the
 * storing thread empties it and gives it back as a spare.
 */
#include "autoconf.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "model/import_pipe.h"
#include "model/mem.h"

enum {
    BATCH_ITEMS = 1024,
    BATCH_BYTES = 256 * 1024, /* a batch is queued once its strings pass this */
    QUEUE_LEN = 4,
};

enum item_kind { ITEM_ROW, ITEM_BAD, ITEM_SKIP };

/* The strings of a row, as q_row copies them. */
enum {
    S_CUSTOMER,
    S_EVENT,
    S_CHANNEL,
    S_SESSION,
    S_EVENT_ID,
    S_EMAIL,
    S_NAME,
    S_COUNTRY,
    S_ACQ,
    S_PROPS,
    S_COUNT
};

#define NO_STR ((size_t)-1)

struct item {
    enum item_kind kind;
    long line;
    long ticked; /* records read, given to tick after this item; 0 = none */
    union {
        struct {
            int64_t ts_ms;
            double value;
            int has_value;
            size_t str[S_COUNT]; /* offsets into the buffer, NO_STR = NULL */
        } row;
        struct {
            size_t raw, raw_len, reason;
        } bad;
        long skipped;
    } u;
};

struct batch {
    struct item items[BATCH_ITEMS];
    size_t n;
    struct strbuf text; /* the items' strings, each NUL-terminated */
    uint64_t pos;       /* the input's position when the batch was queued */
    struct batch *next; /* on the spare list */
};

struct pipe {
    pthread_mutex_t mu;
    pthread_cond_t can_put, can_take;
    struct batch *queue[QUEUE_LEN];
    size_t head, count;
    struct batch *spare;
    int done;        /* the parser has returned; its results are below */
    atomic_int stop; /* the storing side wants no more */
    /* the parser's side */
    struct parse_ctx pc;
    struct row_sink qsink;
    import_parse_fn parse;
    void *arg;
    struct batch *cur;
    int rc;
    long rows;
    struct ct_error err;
};

static struct batch *batch_new(void)
{
    return xcalloc(1, sizeof(struct batch));
}

static void batch_free(struct batch *b)
{
    if (b) {
        sb_free(&b->text);
        free(b);
    }
}

static size_t put_bytes(struct batch *b, const char *s, size_t n)
{
    size_t off = b->text.len;
    sb_add(&b->text, s, n);
    sb_addc(&b->text, '\0');
    return off;
}

static size_t put_str(struct batch *b, const char *s)
{
    return s ? put_bytes(b, s, strlen(s)) : NO_STR;
}

static const char *str_at(const struct batch *b, size_t off)
{
    return off == NO_STR ? NULL : b->text.buf + off;
}

/* --- the parser's thread ------------------------------------------------ */

/* Queue the current batch (waiting while the queue is full) and start a
 * spare one.  Returns nonzero when the storing side has stopped. */
static int flush(struct pipe *p)
{
    struct batch *b = p->cur;
    b->pos = input_pos(p->pc.in);
    pthread_mutex_lock(&p->mu);
    while (p->count == QUEUE_LEN && !atomic_load(&p->stop))
        pthread_cond_wait(&p->can_put, &p->mu);
    int stopped = atomic_load(&p->stop);
    if (stopped) {
        b->n = 0;
        sb_reset(&b->text);
    } else {
        p->queue[(p->head + p->count) % QUEUE_LEN] = b;
        p->count++;
        pthread_cond_signal(&p->can_take);
        b = p->spare;
        if (b)
            p->spare = b->next;
    }
    pthread_mutex_unlock(&p->mu);
    p->cur = b ? b : batch_new();
    return stopped;
}

static struct item *next_item(struct pipe *p)
{
    if (p->cur->n == BATCH_ITEMS || p->cur->text.len > BATCH_BYTES)
        if (flush(p))
            return NULL;
    struct item *it = &p->cur->items[p->cur->n++];
    it->ticked = 0;
    return it;
}

static int stopped(struct ct_error *err)
{
    return ct_error_set(err, CT_ERR_RUNTIME, NULL, 0, 0, "the import was stopped");
}

static int q_row(void *ctx, const struct import_row *r, struct ct_error *err)
{
    struct pipe *p = ctx;
    struct item *it = atomic_load(&p->stop) ? NULL : next_item(p);
    if (!it)
        return stopped(err);
    struct batch *b = p->cur;
    it->kind = ITEM_ROW;
    it->line = r->line;
    it->u.row.ts_ms = r->ts_ms;
    it->u.row.value = r->value;
    it->u.row.has_value = r->has_value;
    const char *s[S_COUNT] = {r->customer, r->event, r->channel, r->session,     r->event_id,
                              r->email,    r->name,  r->country, r->acq_channel, r->props};
    for (int i = 0; i < S_COUNT; i++)
        it->u.row.str[i] = put_str(b, s[i]);
    return 0;
}

static int q_bad(void *ctx, long line, const char *raw, size_t raw_len, const char *reason,
                 struct ct_error *err)
{
    struct pipe *p = ctx;
    struct item *it = atomic_load(&p->stop) ? NULL : next_item(p);
    if (!it)
        return stopped(err);
    it->kind = ITEM_BAD;
    it->line = line;
    it->u.bad.raw = put_bytes(p->cur, raw ? raw : "", raw ? raw_len : 0);
    it->u.bad.raw_len = raw ? raw_len : 0;
    it->u.bad.reason = put_str(p->cur, reason);
    return 0;
}

static void q_skip(void *ctx, long line, long n)
{
    struct pipe *p = ctx;
    struct item *it = next_item(p);
    if (!it)
        return; /* stopped: the parser notices at its next row */
    it->kind = ITEM_SKIP;
    it->line = line;
    it->u.skipped = n;
}

static void q_tick(void *ctx, long rows)
{
    struct pipe *p = ctx;
    if (p->cur->n)
        p->cur->items[p->cur->n - 1].ticked = rows;
}

static void *parser_main(void *arg)
{
    struct pipe *p = arg;
    p->rc = p->parse(&p->pc, p->arg, &p->rows, &p->err);
    if (p->cur->n && !atomic_load(&p->stop))
        flush(p);
    pthread_mutex_lock(&p->mu);
    p->done = 1;
    pthread_cond_signal(&p->can_take);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void pipe_free(struct pipe *p)
{
    while (p->spare) {
        struct batch *b = p->spare;
        p->spare = b->next;
        batch_free(b);
    }
    pthread_cond_destroy(&p->can_take);
    pthread_cond_destroy(&p->can_put);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

/* --- the storing thread ------------------------------------------------- */

static int feed(const struct batch *b, struct row_sink *sink, struct ct_error *err)
{
    for (size_t i = 0; i < b->n; i++) {
        const struct item *it = &b->items[i];
        int rc = 0;
        if (it->kind == ITEM_ROW) {
            const size_t *o = it->u.row.str;
            struct import_row r = {
                .line = it->line,
                .customer = str_at(b, o[S_CUSTOMER]),
                .ts_ms = it->u.row.ts_ms,
                .event = str_at(b, o[S_EVENT]),
                .value = it->u.row.value,
                .has_value = it->u.row.has_value,
                .channel = str_at(b, o[S_CHANNEL]),
                .session = str_at(b, o[S_SESSION]),
                .event_id = str_at(b, o[S_EVENT_ID]),
                .email = str_at(b, o[S_EMAIL]),
                .name = str_at(b, o[S_NAME]),
                .country = str_at(b, o[S_COUNTRY]),
                .acq_channel = str_at(b, o[S_ACQ]),
                .props = str_at(b, o[S_PROPS]),
            };
            rc = sink->row(sink->ctx, &r, err);
        } else if (it->kind == ITEM_BAD) {
            rc = sink->bad(sink->ctx, it->line, b->text.buf + it->u.bad.raw, it->u.bad.raw_len,
                           b->text.buf + it->u.bad.reason, err);
        } else {
            sink->skip(sink->ctx, it->line, it->u.skipped);
        }
        if (rc)
            return rc;
        if (it->ticked && sink->tick)
            sink->tick(sink->ctx, it->ticked);
    }
    return 0;
}

int import_pipe_run(struct parse_ctx *pc, import_parse_fn parse, void *arg, uint64_t *pos,
                    long *rows_read, struct ct_error *err)
{
    struct pipe *p = xcalloc(1, sizeof *p);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->can_put, NULL);
    pthread_cond_init(&p->can_take, NULL);
    atomic_init(&p->stop, 0);
    p->qsink = (struct row_sink){p, q_row, q_bad, q_skip, q_tick};
    p->pc = *pc;
    p->pc.sink = &p->qsink;
    p->parse = parse;
    p->arg = arg;
    p->cur = batch_new();
    ct_error_clear(&p->err);

    pthread_t th;
    if (pthread_create(&th, NULL, parser_main, p) != 0) {
        batch_free(p->cur);
        p->cur = NULL;
        pipe_free(p);
        return ct_error_set(err, CT_ERR_RUNTIME, pc->name, 0, 0, "cannot start the reading thread");
    }
    int rc = 0;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->count == 0 && !p->done)
            pthread_cond_wait(&p->can_take, &p->mu);
        struct batch *b = NULL;
        if (p->count) {
            b = p->queue[p->head];
            p->head = (p->head + 1) % QUEUE_LEN;
            p->count--;
            pthread_cond_signal(&p->can_put);
        }
        pthread_mutex_unlock(&p->mu);
        if (!b)
            break;
        *pos = b->pos;
        rc = feed(b, pc->sink, err);
        b->n = 0;
        sb_reset(&b->text);
        pthread_mutex_lock(&p->mu);
        b->next = p->spare;
        p->spare = b;
        if (rc) {
            atomic_store(&p->stop, 1);
            pthread_cond_broadcast(&p->can_put);
        }
        pthread_mutex_unlock(&p->mu);
        if (rc)
            break;
    }
    pthread_join(th, NULL);
    if (!rc && p->rc) {
        rc = p->rc;
        *err = p->err;
    }
    *rows_read = p->rows;
    while (p->count) {
        batch_free(p->queue[p->head]);
        p->head = (p->head + 1) % QUEUE_LEN;
        p->count--;
    }
    batch_free(p->cur);
    pipe_free(p);
    return rc;
}
