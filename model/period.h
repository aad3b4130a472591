/*
 * period.h - calendar periods in the shop's time zone, date ranges, "now".
 *
 * A period is named by an ordinal index: days since 1970-01-01, weeks since
 * the ISO week that holds 1970-01-01 (Monday 1969-12-29), months since
 * 1970-01.  Offsets between periods are differences of indexes.
 */
#ifndef CT_PERIOD_H
#define CT_PERIOD_H

#include <stddef.h>
#include <stdint.h>

#include "model/error.h"

struct tz;

enum period_unit { PERIOD_DAY, PERIOD_WEEK, PERIOD_MONTH };

/* Index of the local period that holds the instant ts_ms. */
int64_t period_index(const struct tz *tz, enum period_unit unit, int64_t ts_ms);

/* UTC instant (ms) at which period index starts, local midnight. */
int64_t period_start_ms(const struct tz *tz, enum period_unit unit, int64_t index);

/* "2024-03-05", "2020-W53" (ISO week-year) or "2024-03". */
void period_label(enum period_unit unit, int64_t index, char *buf, size_t size);

/* "day", "week", "month" <-> enum; parse returns -1 on an unknown name. */
const char *period_unit_name(enum period_unit unit);
int period_unit_parse(const char *name, enum period_unit *out);

/* Local day number (days since 1970-01-01) of an instant. */
int64_t period_local_day(const struct tz *tz, int64_t ts_ms);

/* UTC instant of local midnight starting day number `day`. */
int64_t period_day_start_ms(const struct tz *tz, int64_t day);

/*
 * The query window every engine shares (SPEC 5, 5.0): the half-open range
 * [from_ms, to_ms) and the as-of instant now_ms (events with ts <= now_ms
 * exist, later ones do not).  has_from/has_to say whether the user gave them.
 */
struct range {
    int has_from, has_to, has_now;
    int64_t from_ms, to_ms; /* INT64_MIN / INT64_MAX when open */
    int64_t now_ms;
};

/*
 * Resolve --from/--to/--now (each may be NULL): dates are local midnight,
 * --to DATE ends at the next local midnight, a full timestamp is an instant.
 * now: --now, else the end of the range (minus 1 ms), else newest_ms (the
 * newest event in the store, or 0 when it is empty).
 */
int range_resolve(const struct tz *tz, const char *from, const char *to, const char *now,
                  int64_t newest_ms, struct range *out, struct ct_error *err);

#endif
