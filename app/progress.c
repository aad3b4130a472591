/*
 * progress.c - the import progress bar: a callback for model/import.c.
 *
 * Draws one line on a terminal and redraws it in place with a carriage
 * return; the model already limits calls to a few a second.  Never used
 * when the output is not a terminal, so logs stay clean.
 */
#include "autoconf.h"

#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "app/progress.h"
#include "model/mem.h"
#include "model/text.h"

struct progress {
    FILE *out;
    struct timespec start;
    int drawn; /* columns used by the last line */
};

struct progress *progress_start(FILE *out)
{
    if (!isatty(fileno(out)))
        return NULL;
    struct progress *p = xcalloc(1, sizeof *p);
    p->out = out;
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    return p;
}

static int columns(FILE *out)
{
    struct winsize ws;
    if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 80;
}

/* The last part of a path: the bar has room for a name, not a folder. */
static const char *base(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

void progress_update(void *ctx, const char *file, uint64_t done, uint64_t total, int64_t rows)
{
    struct progress *p = ctx;
    if (!p)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double secs =
        (double)(now.tv_sec - p->start.tv_sec) + (double)(now.tv_nsec - p->start.tv_nsec) / 1e9;
    double rate = secs > 0 ? (double)rows / secs : 0;
    int width = columns(p->out) - 1;
    char text[200], name[64];
    /* a file name is data too: no escape sequences reach the terminal */
    text_sanitize(base(file), name, sizeof name);
    if (total > 0) {
        int pct = done >= total ? 100 : (int)(done * 100 / total);
        char bar[21];
        int fill = pct / 5;
        for (int i = 0; i < 20; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[20] = '\0';
        snprintf(text, sizeof text, "[%s] %3d%%  %lld rows  %.0f rows/s  %s", bar, pct,
                 (long long)rows, rate, name);
    } else {
        snprintf(text, sizeof text, "%lld rows  %.0f rows/s  %s", (long long)rows, rate, name);
    }
    int len = (int)strlen(text);
    if (len > width)
        len = width;
    /* pad over what the previous line left */
    fprintf(p->out, "\r%.*s%*s", len, text, p->drawn > len ? p->drawn - len : 0, "");
    fflush(p->out);
    p->drawn = len;
}

void progress_end(struct progress *p)
{
    if (!p)
        return;
    if (p->drawn)
        fprintf(p->out, "\r%*s\r", p->drawn, "");
    fflush(p->out);
    free(p);
}
