/*
 * row.h - one event as importers produce it and the store takes it.
 *
 * Strings are borrowed: they live until the sink's row() call returns.
 * NULL or "" mean "not given".
 */
#ifndef CT_ROW_H
#define CT_ROW_H

#include <stddef.h>
#include <stdint.h>

struct import_row {
    long line;            /* line in the source where the row starts (1-based) */
    const char *customer; /* external key, required */
    int64_t ts_ms;
    const char *event; /* required */
    double value;
    int has_value;
    const char *channel;
    const char *session;
    const char *event_id;
    const char *email;
    const char *name;
    const char *country;
    const char *acq_channel; /* acquisition channel given by the file, if any */
    const char *props;       /* a JSON object text, or NULL */
};

#endif
