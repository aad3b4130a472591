/*
 * snapshot.c - the dataset as a memory-mapped file.
 *
 * Layout: a 4 KiB header, then one 64-byte aligned section per column.
 * Native byte order and widths (a cache of this machine, checked by the
 * header).  Mapping checks every bound the engines rely on (offsets,
 * string and id ranges), so a damaged file is rejected, never read past.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/mem.h"
#include "model/snapshot.h"
#include "model/store.h"

#define SNAP_MAGIC "CTSNAP\x01\x04"
#define SNAP_HEADER 4096
#define ALIGN 64

enum sec {
    S_CUST_ID,
    S_CUST_OFF,
    S_CUST_CHANNEL,
    S_CUST_COUNTRY,
    S_CUST_STR, /* 3 offsets into the pool per customer; UINT64_MAX = none */
    S_POOL,
    S_TS,
    S_NAME,
    S_VALUE,
    S_CHANNEL,
    S_SESSION,
    S_RATING,
    S_NAMES, /* interned strings, NUL-terminated, in id order from 1 */
    S_VALS,
    S_PROP0,
    S_COUNT = S_PROP0 + DATASET_MAX_PROPS
};

struct header {
    char magic[8];
    uint32_t byte_order, header_size;
    uint32_t sizes; /* sizeof(double) << 8 | sizeof(size_t), a sanity check */
    uint32_t n_props;
    uint64_t n_customers, n_events, n_names, n_vals;
    int64_t generation, rewrites, max_event_id, max_customer_id, newest_ms, oldest_ms;
    char prop_keys[DATASET_MAX_PROPS][64];
    uint64_t off[S_COUNT], len[S_COUNT];
    uint64_t file_size;
};

_Static_assert(sizeof(struct header) <= SNAP_HEADER, "header fits its page");

/* --- writing ---------------------------------------------------------------- */

struct writer {
    FILE *f;
    uint64_t pos;
    int failed;
};

static void put(struct writer *w, const void *p, size_t n)
{
    if (n && fwrite(p, 1, n, w->f) != n)
        w->failed = 1;
    w->pos += n;
}

static void pad(struct writer *w)
{
    static const char zeros[ALIGN];
    size_t n = (size_t)((ALIGN - w->pos % ALIGN) % ALIGN);
    put(w, zeros, n);
}

static void section(struct writer *w, struct header *h, enum sec s, const void *p, size_t n)
{
    pad(w);
    h->off[s] = w->pos;
    h->len[s] = n;
    put(w, p, n);
}

static void strings_section(struct writer *w, struct header *h, enum sec s,
                            const struct intern *in)
{
    pad(w);
    h->off[s] = w->pos;
    uint64_t start = w->pos;
    for (size_t i = 1; i < in->n; i++)
        put(w, in->strs[i], strlen(in->strs[i]) + 1);
    h->len[s] = w->pos - start;
}

int snapshot_write(const struct dataset *ds, const char *path, struct ct_error *err)
{
    char *tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0, "cannot write the snapshot: %s",
                     strerror(errno));
        free(tmp);
        return CT_ERR_RUNTIME;
    }
    struct writer w = {fdopen(fd, "wb"), 0, 0};
    if (!w.f) {
        close(fd);
        unlink(tmp);
        free(tmp);
        return ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0, "cannot write the snapshot");
    }
    struct header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, SNAP_MAGIC, 8);
    h.byte_order = 0x01020304;
    h.header_size = SNAP_HEADER;
    h.sizes = (uint32_t)(sizeof(double) << 8 | sizeof(size_t));
    h.n_props = (uint32_t)ds->n_props;
    h.n_customers = ds->n_customers;
    h.n_events = ds->n_events;
    h.n_names = ds->names.n;
    h.n_vals = ds->vals.n;
    h.generation = ds->generation;
    h.rewrites = ds->rewrites;
    h.max_event_id = ds->max_event_id;
    h.max_customer_id = ds->max_customer_id;
    h.newest_ms = ds->newest_ms;
    h.oldest_ms = ds->oldest_ms;
    for (size_t p = 0; p < ds->n_props; p++)
        snprintf(h.prop_keys[p], sizeof h.prop_keys[p], "%s", ds->prop_keys[p]);
    static const char zeros[SNAP_HEADER];
    put(&w, zeros, SNAP_HEADER);
    size_t nc = ds->n_customers, ne = ds->n_events;
    section(&w, &h, S_CUST_ID, ds->cust_id, nc * sizeof *ds->cust_id);
    section(&w, &h, S_CUST_OFF, ds->cust_off, (nc + 1) * sizeof *ds->cust_off);
    section(&w, &h, S_CUST_CHANNEL, ds->cust_channel, nc * sizeof *ds->cust_channel);
    section(&w, &h, S_CUST_COUNTRY, ds->cust_country, nc * sizeof *ds->cust_country);
    uint64_t *str = xmalloc((3 * nc + 1) * sizeof *str);
    for (size_t c = 0; c < nc; c++) {
        str[3 * c] = (uint64_t)(ds->cust_key[c] - ds->pool);
        str[3 * c + 1] = ds->cust_email[c] ? (uint64_t)(ds->cust_email[c] - ds->pool) : UINT64_MAX;
        str[3 * c + 2] = ds->cust_name[c] ? (uint64_t)(ds->cust_name[c] - ds->pool) : UINT64_MAX;
    }
    section(&w, &h, S_CUST_STR, str, 3 * nc * sizeof *str);
    free(str);
    section(&w, &h, S_POOL, ds->pool, ds->pool_len);
    section(&w, &h, S_TS, ds->ts, ne * sizeof *ds->ts);
    section(&w, &h, S_NAME, ds->name, ne * sizeof *ds->name);
    section(&w, &h, S_VALUE, ds->value, ne * sizeof *ds->value);
    section(&w, &h, S_CHANNEL, ds->channel, ne * sizeof *ds->channel);
    section(&w, &h, S_SESSION, ds->session, ne * sizeof *ds->session);
    section(&w, &h, S_RATING, ds->rating, ne * sizeof *ds->rating);
    strings_section(&w, &h, S_NAMES, &ds->names);
    strings_section(&w, &h, S_VALS, &ds->vals);
    for (size_t p = 0; p < ds->n_props; p++)
        section(&w, &h, (enum sec)(S_PROP0 + p), ds->prop[p], ne * sizeof *ds->prop[p]);
    pad(&w);
    h.file_size = w.pos;
    if (!w.failed && fseek(w.f, 0, SEEK_SET) == 0)
        put(&w, &h, sizeof h);
    if (fclose(w.f) != 0)
        w.failed = 1;
    if (w.failed || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        free(tmp);
        return ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0, "cannot write the snapshot: %s",
                            strerror(e));
    }
    free(tmp);
    return 0;
}

/* --- mapping ------------------------------------------------------------------ */

static int bad(struct ct_error *err, const char *path, const char *why)
{
    return ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0, "not a usable snapshot: %s", why);
}

/* Load NUL-terminated strings of a section into an intern table (ids 1..). */
static int load_strings(const char *p, uint64_t len, uint64_t want, struct intern *in)
{
    uint64_t i = 0;
    while (i < len) {
        const char *end = memchr(p + i, '\0', len - i);
        if (!end)
            return -1;
        size_t n = (size_t)(end - (p + i));
        if (intern_id(in, p + i, n) != in->n - 1)
            return -1; /* a duplicate or empty string: ids would shift */
        i += n + 1;
    }
    return in->n == want ? 0 : -1;
}

static int ids_below(const uint32_t *v, size_t n, uint64_t limit)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] >= limit)
            return 0;
    return 1;
}

int snapshot_map(const char *path, struct dataset **out, struct ct_error *err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? CT_ERR_NOTFOUND
                               : ct_error_set(err, CT_ERR_RUNTIME, path, 0, 0, "%s",
                                              strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0 || (uint64_t)sb.st_size < SNAP_HEADER) {
        close(fd);
        return bad(err, path, "too short");
    }
    size_t len = (size_t)sb.st_size;
    void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return bad(err, path, "cannot map it");
    const char *base = map;
    struct header h;
    memcpy(&h, base, sizeof h);
    const char *why = NULL;
    if (memcmp(h.magic, SNAP_MAGIC, 8) != 0 || h.byte_order != 0x01020304 ||
        h.header_size != SNAP_HEADER || h.sizes != (uint32_t)(sizeof(double) << 8 | sizeof(size_t)))
        why = "another format or another machine";
    else if (h.file_size != len)
        why = "truncated";
    else if (h.n_props > DATASET_MAX_PROPS || h.n_customers >= UINT32_MAX ||
             h.n_events >= UINT64_MAX / 16)
        why = "bad counts";
    uint64_t nc = h.n_customers, ne = h.n_events;
    const uint64_t want[S_COUNT] = {
        [S_CUST_ID] = nc * 8,    [S_CUST_OFF] = (nc + 1) * 8, [S_CUST_CHANNEL] = nc * 4,
        [S_CUST_COUNTRY] = nc * 4, [S_CUST_STR] = 3 * nc * 8, [S_TS] = ne * 8,
        [S_NAME] = ne * 4,       [S_VALUE] = ne * 8,          [S_CHANNEL] = ne * 4,
        [S_SESSION] = ne * 8,    [S_RATING] = ne,
    };
    for (int s = 0; !why && s < S_COUNT; s++) {
        int prop = s >= S_PROP0;
        if (prop && (uint32_t)(s - S_PROP0) >= h.n_props)
            continue;
        uint64_t need = prop ? ne * 4 : want[s];
        if (h.off[s] % ALIGN || h.off[s] < SNAP_HEADER || h.off[s] > len ||
            h.len[s] > len - h.off[s] || (s != S_POOL && s != S_NAMES && s != S_VALS &&
                                          h.len[s] != need))
            why = "a section is out of bounds";
    }
    struct dataset *ds = NULL;
    if (!why) {
        ds = xcalloc(1, sizeof *ds);
        intern_init(&ds->names);
        intern_init(&ds->vals);
        ds->map = map;
        ds->map_len = len;
        ds->n_customers = (size_t)nc;
        ds->n_events = (size_t)ne;
        ds->n_props = h.n_props;
        for (size_t p = 0; p < ds->n_props; p++) {
            h.prop_keys[p][63] = '\0';
            ds->prop_keys[p] = xstrdup(h.prop_keys[p]);
            ds->prop[p] = (uint32_t *)(void *)(base + h.off[S_PROP0 + p]);
        }
#define AT(s, type) ((type *)(void *)(base + h.off[s]))
        ds->cust_id = AT(S_CUST_ID, int64_t);
        ds->cust_off = AT(S_CUST_OFF, uint64_t);
        ds->cust_channel = AT(S_CUST_CHANNEL, uint32_t);
        ds->cust_country = AT(S_CUST_COUNTRY, uint32_t);
        ds->pool = AT(S_POOL, char);
        ds->pool_len = (size_t)h.len[S_POOL];
        ds->ts = AT(S_TS, int64_t);
        ds->name = AT(S_NAME, uint32_t);
        ds->value = AT(S_VALUE, double);
        ds->channel = AT(S_CHANNEL, uint32_t);
        ds->session = AT(S_SESSION, uint64_t);
        ds->rating = AT(S_RATING, int8_t);
#undef AT
        ds->generation = h.generation;
        ds->rewrites = h.rewrites;
        ds->max_event_id = h.max_event_id;
        ds->max_customer_id = h.max_customer_id;
        ds->newest_ms = h.newest_ms;
        ds->oldest_ms = h.oldest_ms;
        if (load_strings(base + h.off[S_NAMES], h.len[S_NAMES], h.n_names, &ds->names) ||
            load_strings(base + h.off[S_VALS], h.len[S_VALS], h.n_vals, &ds->vals))
            why = "bad string tables";
    }
    /* everything the engines index with must stay in bounds */
    if (!why) {
        if (ds->cust_off[0] != 0 || ds->cust_off[nc] != ne)
            why = "bad offsets";
        for (uint64_t c = 0; !why && c < nc; c++)
            if (ds->cust_off[c] > ds->cust_off[c + 1] || (c && ds->cust_id[c - 1] >= ds->cust_id[c]))
                why = "bad offsets";
        if (!why && (!ids_below(ds->name, ds->n_events, ds->names.n) ||
                     !ids_below(ds->channel, ds->n_events, ds->vals.n) ||
                     !ids_below(ds->cust_channel, ds->n_customers, ds->vals.n) ||
                     !ids_below(ds->cust_country, ds->n_customers, ds->vals.n)))
            why = "bad ids";
        for (size_t p = 0; !why && p < ds->n_props; p++)
            if (!ids_below(ds->prop[p], ds->n_events, ds->vals.n))
                why = "bad ids";
    }
    if (!why) {
        const uint64_t *str = (const uint64_t *)(const void *)(base + h.off[S_CUST_STR]);
        size_t n = nc ? (size_t)nc : 1;
        ds->cust_key = xmalloc(n * sizeof *ds->cust_key);
        ds->cust_email = xmalloc(n * sizeof *ds->cust_email);
        ds->cust_name = xmalloc(n * sizeof *ds->cust_name);
        if (ds->pool_len == 0 || ds->pool[ds->pool_len - 1] != '\0')
            why = "bad strings";
        for (uint64_t c = 0; !why && c < nc; c++) {
            char **dst[3] = {&ds->cust_key[c], &ds->cust_email[c], &ds->cust_name[c]};
            for (int k = 0; k < 3 && !why; k++) {
                uint64_t o = str[3 * c + (uint64_t)k];
                if (o == UINT64_MAX && k > 0)
                    *dst[k] = NULL;
                else if (o < ds->pool_len)
                    *dst[k] = ds->pool + o;
                else
                    why = "bad strings";
            }
        }
    }
    if (why) {
        if (ds)
            dataset_free(ds); /* unmaps */
        else
            munmap(map, len);
        return bad(err, path, why);
    }
    *out = ds;
    return 0;
}

/* --- the load policy ------------------------------------------------------------ */

static int same_props(const struct dataset *ds, char *const *props, size_t n)
{
    if (ds->n_props != n)
        return 0;
    for (size_t p = 0; p < n; p++)
        if (strcmp(ds->prop_keys[p], props[p]) != 0)
            return 0;
    return 1;
}

int snapshot_load(struct store *st, const char *path, char *const *props, size_t n_props,
                  struct dataset **out, struct snapshot_info *info, struct ct_error *err)
{
    struct snapshot_info dummy;
    if (!info)
        info = &dummy;
    memset(info, 0, sizeof *info);
    *out = NULL;
    struct store_identity id;
    int rc = store_identity(st, &id, err);
    if (rc)
        return rc;
    struct dataset *snap = NULL;
    if (path && snapshot_map(path, &snap, NULL) == 0 && !same_props(snap, props, n_props)) {
        dataset_free(snap);
        snap = NULL;
    }
    if (snap && snap->rewrites == id.rewrites && snap->generation == id.generation &&
        snap->max_event_id == id.max_event_id && snap->max_customer_id == id.max_customer_id) {
        info->source = SNAP_MAPPED;
        *out = snap;
        return 0;
    }
    struct dataset *ds = NULL;
    if (snap && snap->rewrites == id.rewrites && snap->generation <= id.generation &&
        snap->max_event_id <= id.max_event_id && snap->max_customer_id <= id.max_customer_id &&
        dataset_extend(snap, st, &ds, NULL) == 0) {
        info->source = SNAP_EXTENDED;
        info->delta_events = (int64_t)(ds->n_events - snap->n_events);
    }
    size_t base_events = snap ? snap->n_events : 0;
    dataset_free(snap);
    if (!ds) {
        if ((rc = dataset_load(st, props, n_props, &ds, err)))
            return rc;
        info->source = SNAP_REBUILT;
    }
    /* write it back when it was rebuilt or grew by a noticeable share, so
     * the next start maps it directly */
    if (path && (info->source == SNAP_REBUILT ||
                 (uint64_t)info->delta_events * 50 > (uint64_t)base_events))
        info->written = snapshot_write(ds, path, NULL) == 0;
    *out = ds;
    return 0;
}
