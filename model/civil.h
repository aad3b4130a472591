/*
 * civil.h - proleptic Gregorian calendar arithmetic on day numbers.
 *
 * Day 0 is 1970-01-01.  Pure functions, no time zones (see tz.h, period.h).
 */
#ifndef CT_CIVIL_H
#define CT_CIVIL_H

#include <stdint.h>

/* floor(a / b) for b > 0 */
static inline int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Days since 1970-01-01 of y-m-d (m 1-12, d 1-31). */
int64_t civil_days(int y, int m, int d);

/* The date of a day number. */
void civil_from_days(int64_t days, int *y, int *m, int *d);

/* 0 = Sunday ... 6 = Saturday */
int civil_weekday(int64_t days);

int civil_is_leap(int y);

int civil_month_days(int y, int m);

/* ISO 8601 week of a day: week-year and week 1-53. */
void civil_iso_week(int64_t days, int *iso_year, int *week);

#endif
