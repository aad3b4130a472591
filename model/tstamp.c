/*
 * tstamp.c - timestamp parsing and formatting.
 *
 * Owns the accepted timestamp forms of SPEC 3.2.  Hot in imports: no
 * allocation, no locale, no libc time functions.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "model/civil.h"
#include "model/tstamp.h"
#include "model/tz.h"

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int parse_unix(const char *s, size_t len, int64_t *ms, const char **why)
{
    size_t i = 0, intdigits = 0;
    int64_t ip = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, intdigits++) {
        if (intdigits >= 16) {
            *why = "timestamp out of range (years 1970-9999)";
            return -1;
        }
        ip = ip * 10 + (s[i] - '0');
    }
    int64_t frac_ms = 0;
    if (i < len && s[i] == '.') {
        int scale = 100;
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
            frac_ms += (s[i] - '0') * scale;
            scale /= 10;
        }
    }
    if (i != len || intdigits == 0) {
        *why = "not a timestamp (expected ISO 8601, YYYY-MM-DD HH:MM[:SS] or unix time)";
        return -1;
    }
    /* unix milliseconds from 13 digits or 1e11 on (1973 in ms, 5138 in s) */
    int64_t v = (intdigits >= 13 || ip >= INT64_C(100000000000)) ? ip : ip * 1000 + frac_ms;
    if (v > TSTAMP_MAX_MS) {
        *why = "timestamp out of range (years 1970-9999)";
        return -1;
    }
    *ms = v;
    return 0;
}

int tstamp_parse(const char *s, size_t len, const struct tz *tz, int64_t *ms, const char **why)
{
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0) {
        *why = "empty timestamp";
        return -1;
    }
    if (len < 10 || s[4] != '-') {
        if (s[0] == '-') {
            *why = "timestamp out of range (years 1970-9999)";
            return -1;
        }
        return parse_unix(s, len, ms, why);
    }
    *why = "not a timestamp (expected ISO 8601, YYYY-MM-DD HH:MM[:SS] or unix time)";
    int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0;
    if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d))
        return -1;
    size_t i = 10;
    if (i < len && (s[i] == 'T' || s[i] == 't' || s[i] == ' ') && i + 1 < len &&
        s[i + 1] >= '0' && s[i + 1] <= '9') {
        i++;
        if (i + 5 > len || digits(s + i, 2, &h) || s[i + 2] != ':' || digits(s + i + 3, 2, &mi))
            return -1;
        i += 5;
        if (i < len && s[i] == ':') {
            if (i + 3 > len || digits(s + i + 1, 2, &sec))
                return -1;
            i += 3;
            if (i < len && (s[i] == '.' || s[i] == ',')) {
                int scale = 100, nd = 0;
                for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, nd++) {
                    frac += (s[i] - '0') * scale;
                    scale /= 10;
                }
                if (nd == 0)
                    return -1;
            }
        }
    }
    if (mo < 1 || mo > 12 || d < 1 || d > civil_month_days(y < 1 ? 1 : y, mo) || h > 24 ||
        mi > 59 || sec > 60 || (h == 24 && (mi || sec || frac))) {
        *why = "invalid date or time";
        return -1;
    }
    if (sec == 60)
        sec = 59; /* a leap second is kept within its minute */
    int has_off = 0;
    int32_t off = 0;
    if (i < len && s[i] == ' ')
        i++;
    if (i < len) {
        if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len) {
            has_off = 1;
            i++;
        } else if (len - i == 3 && memcmp(s + i, "UTC", 3) == 0) {
            has_off = 1;
            i += 3;
        } else if (s[i] == '+' || s[i] == '-') {
            int sign = s[i] == '-' ? -1 : 1, oh, om = 0;
            i++;
            if (i + 2 > len || digits(s + i, 2, &oh))
                return -1;
            i += 2;
            if (i < len && s[i] == ':')
                i++;
            if (i < len) {
                if (i + 2 > len || digits(s + i, 2, &om))
                    return -1;
                i += 2;
            }
            if (oh > 18 || om > 59)
                return -1;
            has_off = 1;
            off = sign * (oh * 3600 + om * 60);
        }
    }
    if (i != len)
        return -1;
    int64_t local = civil_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    int64_t utc = has_off ? local - off : tz_local_to_utc(tz, local);
    int64_t v = utc * 1000 + frac;
    if (v < TSTAMP_MIN_MS || v > TSTAMP_MAX_MS) {
        *why = "timestamp out of range (years 1970-9999)";
        return -1;
    }
    *ms = v;
    return 0;
}

int tstamp_is_date(const char *s)
{
    int v;
    return strlen(s) == 10 && s[4] == '-' && s[7] == '-' && !digits(s, 4, &v) &&
           !digits(s + 5, 2, &v) && !digits(s + 8, 2, &v);
}

static void split(int64_t ms, int64_t *days, int *h, int *mi, int *sec, int *frac)
{
    int64_t s = floor_div(ms, 1000);
    *frac = (int)(ms - s * 1000);
    *days = floor_div(s, 86400);
    int64_t r = s - *days * 86400;
    *h = (int)(r / 3600);
    *mi = (int)(r / 60 % 60);
    *sec = (int)(r % 60);
}

void tstamp_format(int64_t ms, char *buf, size_t size)
{
    int64_t days;
    int y, mo, d, h, mi, sec, frac;
    split(ms, &days, &h, &mi, &sec, &frac);
    civil_from_days(days, &y, &mo, &d);
    if (frac)
        snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, mo, d, h, mi, sec, frac);
    else
        snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, sec);
}

void tstamp_format_local(const struct tz *tz, int64_t ms, char *buf, size_t size,
                         int with_seconds)
{
    int64_t days;
    int y, mo, d, h, mi, sec, frac;
    split(ms + (int64_t)tz_offset_at(tz, floor_div(ms, 1000)) * 1000, &days, &h, &mi, &sec,
          &frac);
    civil_from_days(days, &y, &mo, &d);
    if (with_seconds)
        snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, sec);
    else
        snprintf(buf, size, "%04d-%02d-%02d %02d:%02d", y, mo, d, h, mi);
}

void tstamp_format_date(const struct tz *tz, int64_t ms, char *buf, size_t size)
{
    int64_t days;
    int y, mo, d, h, mi, sec, frac;
    split(ms + (int64_t)tz_offset_at(tz, floor_div(ms, 1000)) * 1000, &days, &h, &mi, &sec,
          &frac);
    civil_from_days(days, &y, &mo, &d);
    snprintf(buf, size, "%04d-%02d-%02d", y, mo, d);
}
