/*
 * tz.h - IANA time zones read from the system's TZif files.
 *
 * Periods, date ranges and local timestamps all depend on the shop's time
 * zone.  libc's localtime/mktime work through the process-global TZ variable;
 * this module instead loads one zone into a value, so engines can be handed
 * a zone and tests can use several in one process.  Times beyond the last
 * transition of the file follow its POSIX TZ footer rule.
 */
#ifndef CT_TZ_H
#define CT_TZ_H

#include <stdint.h>

#include "model/error.h"

struct tz;

/* Load the zone NAME (e.g. "Europe/Helsinki", "UTC") from $TZDIR or
 * /usr/share/zoneinfo.  Returns CT_ERR_CONFIG for an unknown or unsafe name. */
int tz_open(const char *name, struct tz **out, struct ct_error *err);

/* The UTC zone; never fails.  The caller closes it. */
struct tz *tz_utc(void);

void tz_close(struct tz *tz);

const char *tz_name(const struct tz *tz);

/* Offset of local time from UTC in seconds at the UTC instant utc_s. */
int32_t tz_offset_at(const struct tz *tz, int64_t utc_s);

/* The UTC instant of a local wall-clock time given as seconds since
 * 1970-01-01 00:00 local.  A time in a spring-forward gap moves forward by
 * the gap (as mktime does); an ambiguous time takes the earlier instant. */
int64_t tz_local_to_utc(const struct tz *tz, int64_t local_s);

/* True when NAME could be loaded (used by config validation). */
int tz_exists(const char *name);

#endif
