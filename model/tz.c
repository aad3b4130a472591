/*
 * tz.c - TZif (RFC 8536) reader and POSIX TZ rule evaluation.
 *
 * Owns: parsing zone files into a sorted transition table.  Must not touch
 * the TZ environment variable or libc's time zone state.
 */
#include "autoconf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/civil.h"
#include "model/mem.h"
#include "model/tz.h"

/* A POSIX TZ rule date: Mm.w.d, Jn (1-365, no Feb 29) or n (0-365). */
struct rule_date {
    char kind; /* 'M', 'J' or 'N' */
    int month, week, wday, day;
    int32_t time_s; /* local time of the change, may be negative or > 24h */
};

struct posix_rule {
    int valid;
    int32_t std_off, dst_off; /* seconds east of UTC */
    int has_dst;
    struct rule_date start, end;
};

struct tz {
    char *name;
    size_t n;          /* transitions */
    int64_t *at;       /* UTC seconds, ascending */
    int32_t *off_after; /* offset in force from at[i] */
    int32_t off_before; /* offset before the first transition */
    struct posix_rule rule;
};

static int64_t be64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return (int64_t)v;
}

static int32_t be32(const unsigned char *p)
{
    return (int32_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]);
}

/* --- POSIX TZ strings ------------------------------------------------- */

static const char *parse_abbr(const char *s)
{
    if (*s == '<') {
        while (*s && *s != '>')
            s++;
        return *s ? s + 1 : NULL;
    }
    const char *b = s;
    while (isalpha((unsigned char)*s))
        s++;
    return s - b >= 3 ? s : NULL;
}

/* [+-]hh[:mm[:ss]] -> seconds; hours may reach 167 in rule times. */
static const char *parse_hms(const char *s, int32_t *out)
{
    int sign = 1;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    if (!isdigit((unsigned char)*s))
        return NULL;
    long h = strtol(s, (char **)&s, 10), m = 0, sec = 0;
    if (*s == ':') {
        m = strtol(s + 1, (char **)&s, 10);
        if (*s == ':')
            sec = strtol(s + 1, (char **)&s, 10);
    }
    if (h > 167 || m > 59 || sec > 59)
        return NULL;
    *out = (int32_t)(sign * (h * 3600 + m * 60 + sec));
    return s;
}

static const char *parse_rule_date(const char *s, struct rule_date *d)
{
    d->time_s = 7200;
    if (*s == 'M') {
        d->kind = 'M';
        char *e;
        d->month = (int)strtol(s + 1, &e, 10);
        if (*e != '.')
            return NULL;
        d->week = (int)strtol(e + 1, &e, 10);
        if (*e != '.')
            return NULL;
        d->wday = (int)strtol(e + 1, &e, 10);
        s = e;
        if (d->month < 1 || d->month > 12 || d->week < 1 || d->week > 5 || d->wday < 0 ||
            d->wday > 6)
            return NULL;
    } else if (*s == 'J' || isdigit((unsigned char)*s)) {
        d->kind = *s == 'J' ? 'J' : 'N';
        if (*s == 'J')
            s++;
        char *e;
        d->day = (int)strtol(s, &e, 10);
        s = e;
    } else {
        return NULL;
    }
    if (*s == '/') {
        s = parse_hms(s + 1, &d->time_s);
        if (!s)
            return NULL;
    }
    return s;
}

static void parse_posix(const char *s, struct posix_rule *r)
{
    memset(r, 0, sizeof *r);
    s = parse_abbr(s);
    int32_t v;
    if (!s || !(s = parse_hms(s, &v)))
        return;
    r->std_off = -v; /* POSIX offsets are west of UTC */
    r->valid = 1;
    if (!*s)
        return;
    if (!(s = parse_abbr(s)))
        goto bad;
    r->dst_off = r->std_off + 3600;
    if (*s && *s != ',') {
        if (!(s = parse_hms(s, &v)))
            goto bad;
        r->dst_off = -v;
    }
    if (*s != ',')
        goto bad;
    if (!(s = parse_rule_date(s + 1, &r->start)) || *s != ',')
        goto bad;
    if (!(s = parse_rule_date(s + 1, &r->end)) || *s)
        goto bad;
    r->has_dst = 1;
    return;
bad:
    r->has_dst = 0; /* keep standard time only */
}

/* Local seconds since the epoch (in the offset in force before it) at which
 * a rule date falls in year y. */
static int64_t rule_local(const struct rule_date *d, int y)
{
    int64_t day;
    if (d->kind == 'M') {
        int64_t first = civil_days(y, d->month, 1);
        int wd_first = civil_weekday(first); /* 0 = Sunday */
        int64_t dd = first + (d->wday - wd_first + 7) % 7 + 7 * (d->week - 1);
        int mdays = civil_month_days(y, d->month);
        while (dd >= first + mdays)
            dd -= 7;
        day = dd;
    } else if (d->kind == 'J') {
        day = civil_days(y, 1, 1) + d->day - 1;
        if (civil_is_leap(y) && d->day >= 60)
            day++;
    } else {
        day = civil_days(y, 1, 1) + d->day;
    }
    return day * 86400 + d->time_s;
}

static int32_t rule_offset(const struct posix_rule *r, int64_t t)
{
    if (!r->has_dst)
        return r->std_off;
    int y, m, d;
    civil_from_days(floor_div(t + r->std_off, 86400), &y, &m, &d);
    /* DST runs from start (given in standard time) to end (in DST). */
    int64_t s = rule_local(&r->start, y) - r->std_off;
    int64_t e = rule_local(&r->end, y) - r->dst_off;
    if (s < e)
        return (t >= s && t < e) ? r->dst_off : r->std_off;
    /* southern hemisphere: DST spans the new year */
    return (t >= e && t < s) ? r->std_off : r->dst_off;
}

/* --- TZif files ------------------------------------------------------- */

static int load_tzif(struct tz *tz, const unsigned char *p, size_t len)
{
    if (len < 44 || memcmp(p, "TZif", 4) != 0)
        return -1;
    int version = p[4];
    const unsigned char *h = p;
    size_t tsize = 4;
    if (version >= '2') {
        /* skip the v1 block to the 64-bit one */
        int32_t isut = be32(h + 20), isstd = be32(h + 24), leap = be32(h + 28);
        int32_t timecnt = be32(h + 32), typecnt = be32(h + 36), charcnt = be32(h + 40);
        size_t skip = 44 + (size_t)timecnt * 5 + (size_t)typecnt * 6 + (size_t)charcnt +
                      (size_t)leap * 8 + (size_t)isstd + (size_t)isut;
        if (skip + 44 > len || memcmp(p + skip, "TZif", 4) != 0)
            return -1;
        h = p + skip;
        tsize = 8;
    }
    int32_t isut = be32(h + 20), isstd = be32(h + 24), leap = be32(h + 28);
    int32_t timecnt = be32(h + 32), typecnt = be32(h + 36), charcnt = be32(h + 40);
    if (timecnt < 0 || typecnt <= 0 || typecnt > 256 || charcnt < 0 || leap < 0 || isut < 0 ||
        isstd < 0)
        return -1;
    size_t need = 44 + (size_t)timecnt * (tsize + 1) + (size_t)typecnt * 6 + (size_t)charcnt +
                  (size_t)leap * (tsize + 4) + (size_t)isstd + (size_t)isut;
    if ((size_t)(h - p) + need > len)
        return -1;
    const unsigned char *times = h + 44;
    const unsigned char *idx = times + (size_t)timecnt * tsize;
    const unsigned char *types = idx + timecnt;
    int32_t offs[256];
    int first_std = -1;
    for (int i = 0; i < typecnt; i++) {
        offs[i] = be32(types + 6 * i);
        if (first_std < 0 && types[6 * i + 4] == 0)
            first_std = i;
    }
    tz->n = (size_t)timecnt;
    tz->at = xcalloc(tz->n, sizeof *tz->at);
    tz->off_after = xcalloc(tz->n, sizeof *tz->off_after);
    for (size_t i = 0; i < tz->n; i++) {
        tz->at[i] = tsize == 8 ? be64(times + 8 * i) : be32(times + 4 * i);
        if (idx[i] >= typecnt)
            return -1;
        tz->off_after[i] = offs[idx[i]];
    }
    tz->off_before = offs[first_std >= 0 ? first_std : 0];
    if (version >= '2') {
        const unsigned char *foot = h + need;
        const unsigned char *end = p + len;
        if (foot < end && *foot == '\n') {
            const unsigned char *nl = memchr(foot + 1, '\n', (size_t)(end - foot - 1));
            if (nl) {
                char *rule = xstrndup((const char *)foot + 1, (size_t)(nl - foot - 1));
                parse_posix(rule, &tz->rule);
                free(rule);
            }
        }
    }
    return 0;
}

static int name_is_safe(const char *name)
{
    if (!name[0] || name[0] == '/' || name[0] == '.' || strlen(name) > 200)
        return 0;
    if (strstr(name, ".."))
        return 0;
    for (const char *c = name; *c; c++)
        if (!isalnum((unsigned char)*c) && !strchr("/_-+", *c))
            return 0;
    return 1;
}

int tz_open(const char *name, struct tz **out, struct ct_error *err)
{
    *out = NULL;
    if (!name_is_safe(name))
        return ct_error_set(err, CT_ERR_CONFIG, NULL, 0, 0, "unknown time zone '%s'", name);
    const char *dir = getenv("TZDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0) {
            *out = tz_utc();
            return 0;
        }
        return ct_error_set(err, CT_ERR_CONFIG, NULL, 0, 0,
                            "unknown time zone '%s' (no file %s; is tzdata installed?)", name,
                            path);
    }
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            if (cap > (1u << 20))
                break;
            buf = xrealloc(buf, cap);
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        if (!got)
            break;
        len += got;
    }
    fclose(f);
    struct tz *tz = xcalloc(1, sizeof *tz);
    tz->name = xstrdup(name);
    if (load_tzif(tz, buf, len) != 0) {
        free(buf);
        tz_close(tz);
        return ct_error_set(err, CT_ERR_CONFIG, NULL, 0, 0, "unknown time zone '%s'", name);
    }
    free(buf);
    *out = tz;
    return 0;
}

struct tz *tz_utc(void)
{
    struct tz *tz = xcalloc(1, sizeof *tz);
    tz->name = xstrdup("UTC");
    tz->rule.valid = 1;
    return tz;
}

int tz_exists(const char *name)
{
    struct tz *tz;
    if (tz_open(name, &tz, NULL) != 0)
        return 0;
    tz_close(tz);
    return 1;
}

void tz_close(struct tz *tz)
{
    if (!tz)
        return;
    free(tz->name);
    free(tz->at);
    free(tz->off_after);
    free(tz);
}

const char *tz_name(const struct tz *tz)
{
    return tz->name;
}

int32_t tz_offset_at(const struct tz *tz, int64_t t)
{
    if (tz->n == 0)
        return tz->rule.valid ? rule_offset(&tz->rule, t) : tz->off_before;
    if (t < tz->at[0])
        return tz->off_before;
    if (t >= tz->at[tz->n - 1] && tz->rule.valid)
        return rule_offset(&tz->rule, t);
    size_t lo = 0, hi = tz->n; /* find last at[i] <= t */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (tz->at[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return tz->off_after[lo];
}

int64_t tz_local_to_utc(const struct tz *tz, int64_t local)
{
    int32_t oa = tz_offset_at(tz, local - 86400 - 3600 * 14);
    int32_t ob = tz_offset_at(tz, local + 86400 + 3600 * 14);
    int64_t ta = local - oa, tb = local - ob;
    int va = tz_offset_at(tz, ta) == oa, vb = tz_offset_at(tz, tb) == ob;
    if (va && vb)
        return ta < tb ? ta : tb;
    if (va)
        return ta;
    if (vb)
        return tb;
    /* In a gap: keep the offset from before it, which moves the time forward. */
    return ta;
}
