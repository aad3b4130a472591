/*
 * tstamp.h - timestamps of SPEC 3.2: parsing and ISO 8601 output.
 *
 * All instants are int64_t milliseconds since 1970-01-01T00:00:00Z.
 */
#ifndef CT_TSTAMP_H
#define CT_TSTAMP_H

#include <stddef.h>
#include <stdint.h>

struct tz;

/* Smallest and largest accepted instants: years 1970 to 9999 in UTC. */
#define TSTAMP_MIN_MS INT64_C(0)
#define TSTAMP_MAX_MS INT64_C(253402300799999)

/* Parse s[0..len): ISO 8601 with or without offset ("T" or space, optional
 * seconds and fraction, "Z", "+hh:mm", "+hhmm", "+hh", " UTC"), a bare date
 * (local midnight), unix seconds or unix milliseconds (13+ digits or a value
 * of 1e11 and more).  Without an offset the time is local to tz.
 * Returns 0, or -1 with *why pointing at a static explanation. */
int tstamp_parse(const char *s, size_t len, const struct tz *tz, int64_t *ms, const char **why);

/* True when s is a bare date YYYY-MM-DD. */
int tstamp_is_date(const char *s);

/* "2024-03-01T10:00:00Z", or "...:00.250Z" when not a whole second. */
void tstamp_format(int64_t ms, char *buf, size_t size);

/* Local time in tz: "2024-03-01 12:00" (with_seconds adds ":SS"). */
void tstamp_format_local(const struct tz *tz, int64_t ms, char *buf, size_t size,
                         int with_seconds);

/* Local date in tz: "2024-03-01". */
void tstamp_format_date(const struct tz *tz, int64_t ms, char *buf, size_t size);

#endif
