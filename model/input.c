/*
 * input.c - the byte source of every importer: a file, a .gz file, stdin or
 * a memory buffer, or a reader function (import --follow).
 *
 * Owns the file descriptor and zlib's gzFile.  zlib reads gzip data and, in
 * its transparent mode, plain data alike, so no caller asks which it is; a
 * truncated or corrupt gzip stream is reported as an error, never taken for
 * an early end of file.  A memory input has no gzFile: raw_read serves its
 * bytes, so parsers run on it unchanged (fuzz targets, tests).  Prints
 * nothing.  Entry points: input_open, input_open_memory, input_peek,
 * input_read, input_close.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "model/input.h"
#include "model/mem.h"

/* zlib's own buffer: large reads keep the per-call cost low on big files. */
#define INPUT_ZBUF (256 * 1024)

struct input {
    gzFile gz;       /* NULL for a memory or reader input */
    input_read_fn fn; /* reader input: where bytes come from */
    void *fn_ctx;
    const char *mem; /* memory input: the bytes, not owned */
    size_t mem_len, mem_pos;
    char *name;
    uint64_t size;
    int started; /* input_read was called: no more peeking */
    char *peek;  /* bytes read ahead by input_peek, served first */
    size_t peek_len, peek_pos;
};

int input_open(const char *path, struct input **out, struct ct_error *err)
{
    *out = NULL;
    int is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    /* gzclose closes the descriptor, so stdin is read through a copy */
    int fd = is_stdin ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ct_error_set(err, CT_ERR_RUNTIME, name, 0, 0, "cannot open: %s", strerror(errno));
    struct stat sb;
    uint64_t size = 0;
    if (fstat(fd, &sb) == 0) {
        if (S_ISDIR(sb.st_mode)) {
            close(fd);
            return ct_error_set(err, CT_ERR_RUNTIME, name, 0, 0,
                                "is a folder, not a file to import");
        }
        if (S_ISREG(sb.st_mode))
            size = (uint64_t)sb.st_size;
    }
    gzFile gz = gzdopen(fd, "rb");
    if (!gz) {
        close(fd);
        return ct_error_set(err, CT_ERR_RUNTIME, name, 0, 0, "cannot read: out of memory");
    }
    gzbuffer(gz, INPUT_ZBUF);
    struct input *in = xcalloc(1, sizeof *in);
    in->gz = gz;
    in->name = xstrdup(name);
    in->size = size;
    *out = in;
    return 0;
}

struct input *input_open_memory(const void *data, size_t len, const char *name)
{
    struct input *in = xcalloc(1, sizeof *in);
    in->mem = data;
    in->mem_len = data ? len : 0;
    in->name = xstrdup(name);
    in->size = in->mem_len;
    return in;
}

struct input *input_open_reader(input_read_fn fn, void *ctx, const char *name)
{
    struct input *in = xcalloc(1, sizeof *in);
    in->fn = fn;
    in->fn_ctx = ctx;
    in->name = xstrdup(name);
    return in;
}

void input_close(struct input *in)
{
    if (!in)
        return;
    if (in->gz)
        gzclose(in->gz);
    free(in->name);
    free(in->peek);
    free(in);
}

const char *input_name(const struct input *in)
{
    return in->name;
}

/* zlib's message without the "<fd:N>: " it puts first for a gzdopen'd
 * stream: the message already names the file. */
static const char *zlib_reason(const char *msg)
{
    if (!msg || !*msg)
        return "unknown error";
    const char *sep = strstr(msg, ">: ");
    return strncmp(msg, "<fd:", 4) == 0 && sep ? sep + 3 : msg;
}

/* One gzread with zlib's errors turned into a ct_error. */
static long raw_read(struct input *in, char *buf, size_t n, struct ct_error *err)
{
    if (in->fn) {
        long got = in->fn(in->fn_ctx, buf, n, err);
        if (got > 0)
            in->mem_pos += (size_t)got;
        return got;
    }
    if (!in->gz) {
        size_t k = in->mem_len - in->mem_pos;
        if (k > n)
            k = n;
        if (k > (size_t)LONG_MAX)
            k = (size_t)LONG_MAX;
        if (k)
            memcpy(buf, in->mem + in->mem_pos, k);
        in->mem_pos += k;
        return (long)k;
    }
    if (n > INT_MAX / 2)
        n = INT_MAX / 2;
    int got = gzread(in->gz, buf, (unsigned)n);
    int code = Z_OK;
    const char *msg = gzerror(in->gz, &code);
    if (got > 0)
        return got;
    /* zlib reports a stream cut short as Z_BUF_ERROR, with 0 bytes read */
    if (got < 0 || (code != Z_OK && code != Z_STREAM_END)) {
        if (code == Z_ERRNO)
            ct_error_set(err, CT_ERR_RUNTIME, in->name, 0, 0, "read error: %s", strerror(errno));
        else if (code == Z_BUF_ERROR)
            ct_error_set(err, CT_ERR_RUNTIME, in->name, 0, 0,
                         "the gzip data ends too early (a truncated download?)");
        else
            ct_error_set(err, CT_ERR_RUNTIME, in->name, 0, 0, "not readable gzip data: %s",
                         zlib_reason(msg));
        return -1;
    }
    return 0;
}

int input_peek(struct input *in, size_t want, const char **data, size_t *len, struct ct_error *err)
{
    if (in->started)
        return ct_error_set(err, CT_ERR_RUNTIME, in->name, 0, 0, "internal error: peek after read");
    if (in->peek_len < want) {
        in->peek = xrealloc(in->peek, want);
        while (in->peek_len < want) {
            long got = raw_read(in, in->peek + in->peek_len, want - in->peek_len, err);
            if (got < 0)
                return CT_ERR_RUNTIME;
            if (got == 0)
                break;
            in->peek_len += (size_t)got;
            if (in->fn)
                break; /* a followed file: detect on what is there */
        }
    }
    *data = in->peek;
    *len = in->peek_len < want ? in->peek_len : want;
    return 0;
}

long input_read(struct input *in, void *buf, size_t n, struct ct_error *err)
{
    in->started = 1;
    if (in->peek_pos < in->peek_len) {
        size_t k = in->peek_len - in->peek_pos;
        if (k > n)
            k = n;
        memcpy(buf, in->peek + in->peek_pos, k);
        in->peek_pos += k;
        return (long)k;
    }
    if (n == 0)
        return 0;
    return raw_read(in, buf, n, err);
}

uint64_t input_size(const struct input *in)
{
    return in->size;
}

uint64_t input_pos(const struct input *in)
{
    if (!in->gz)
        return in->mem_pos;
    z_off_t off = gzoffset(in->gz);
    return off > 0 ? (uint64_t)off : 0;
}
