/*
 * period.c - local calendar periods and date ranges.
 *
 * Owns the mapping between instants and the shop's calendar.  Reads no
 * clock: "now" comes from the caller.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "model/civil.h"
#include "model/period.h"
#include "model/tstamp.h"
#include "model/tz.h"

int64_t period_local_day(const struct tz *tz, int64_t ts_ms)
{
    int64_t s = floor_div(ts_ms, 1000);
    return floor_div(s + tz_offset_at(tz, s), 86400);
}

int64_t period_day_start_ms(const struct tz *tz, int64_t day)
{
    return tz_local_to_utc(tz, day * 86400) * 1000;
}

int64_t period_index(const struct tz *tz, enum period_unit unit, int64_t ts_ms)
{
    int64_t day = period_local_day(tz, ts_ms);
    switch (unit) {
    case PERIOD_DAY:
        return day;
    case PERIOD_WEEK:
        return floor_div(day + 3, 7);
    case PERIOD_MONTH: {
        int y, m, d;
        civil_from_days(day, &y, &m, &d);
        return (int64_t)(y - 1970) * 12 + (m - 1);
    }
    }
    return day;
}

static int64_t index_first_day(enum period_unit unit, int64_t index)
{
    switch (unit) {
    case PERIOD_DAY:
        return index;
    case PERIOD_WEEK:
        return index * 7 - 3;
    case PERIOD_MONTH:
        return civil_days((int)(1970 + floor_div(index, 12)), (int)(index - floor_div(index, 12) * 12) + 1,
                          1);
    }
    return index;
}

int64_t period_start_ms(const struct tz *tz, enum period_unit unit, int64_t index)
{
    return period_day_start_ms(tz, index_first_day(unit, index));
}

void period_label(enum period_unit unit, int64_t index, char *buf, size_t size)
{
    int y, m, d;
    int64_t day = index_first_day(unit, index);
    if (unit == PERIOD_WEEK) {
        int iy, w;
        civil_iso_week(day, &iy, &w);
        snprintf(buf, size, "%04d-W%02d", iy, w);
        return;
    }
    civil_from_days(day, &y, &m, &d);
    if (unit == PERIOD_MONTH)
        snprintf(buf, size, "%04d-%02d", y, m);
    else
        snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

const char *period_unit_name(enum period_unit unit)
{
    switch (unit) {
    case PERIOD_DAY:
        return "day";
    case PERIOD_WEEK:
        return "week";
    case PERIOD_MONTH:
        return "month";
    }
    return "month";
}

int period_unit_parse(const char *name, enum period_unit *out)
{
    static const char *const names[] = {"day", "week", "month"};
    for (int i = 0; i < 3; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (enum period_unit)i;
            return 0;
        }
    return -1;
}

static int parse_when(const struct tz *tz, const char *opt, const char *s, int is_end,
                      int64_t *out, struct ct_error *err)
{
    const char *why;
    if (tstamp_parse(s, strlen(s), tz, out, &why) != 0)
        return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                            "%s '%s': %s (use YYYY-MM-DD or a full timestamp)", opt, s, why);
    if (is_end && tstamp_is_date(s))
        *out = period_day_start_ms(tz, period_local_day(tz, *out) + 1);
    return 0;
}

int range_resolve(const struct tz *tz, const char *from, const char *to, const char *now,
                  int64_t newest_ms, struct range *out, struct ct_error *err)
{
    memset(out, 0, sizeof *out);
    out->from_ms = INT64_MIN;
    out->to_ms = INT64_MAX;
    if (from) {
        if (parse_when(tz, "--from", from, 0, &out->from_ms, err))
            return err->code;
        out->has_from = 1;
    }
    if (to) {
        if (parse_when(tz, "--to", to, 1, &out->to_ms, err))
            return err->code;
        out->has_to = 1;
    }
    if (out->has_from && out->has_to && out->to_ms <= out->from_ms)
        return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                            "--to %s is before --from %s: the range is empty", to, from);
    if (now) {
        if (parse_when(tz, "--now", now, 0, &out->now_ms, err))
            return err->code;
        out->has_now = 1;
    } else if (out->has_to) {
        out->now_ms = out->to_ms - 1;
    } else {
        out->now_ms = newest_ms;
    }
    return 0;
}
