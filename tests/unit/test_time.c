/*
 * test_time.c - calendar, time zones, timestamp parsing and periods.
 */
#include "common.h"

#include "model/civil.h"
#include "model/period.h"
#include "model/tstamp.h"
#include "model/tz.h"

static struct tz *zone(const char *name)
{
    struct tz *tz;
    struct ct_error err;
    assert_int_equal(tz_open(name, &tz, &err), 0);
    return tz;
}

static void test_civil(void **state)
{
    (void)state;
    assert_int_equal(civil_days(1970, 1, 1), 0);
    assert_int_equal(civil_days(2000, 3, 1), 11017);
    int y, m, d;
    civil_from_days(11017, &y, &m, &d);
    assert_int_equal(y * 10000 + m * 100 + d, 20000301);
    civil_from_days(-1, &y, &m, &d);
    assert_int_equal(y * 10000 + m * 100 + d, 19691231);
    assert_int_equal(civil_weekday(0), 4); /* Thursday */
    int iy, w;
    civil_iso_week(civil_days(2020, 12, 31), &iy, &w);
    assert_int_equal(iy * 100 + w, 202053);
    civil_iso_week(civil_days(2021, 1, 3), &iy, &w);
    assert_int_equal(iy * 100 + w, 202053);
    civil_iso_week(civil_days(2021, 1, 4), &iy, &w);
    assert_int_equal(iy * 100 + w, 202101);
    civil_iso_week(civil_days(2024, 12, 30), &iy, &w); /* Monday of 2025-W01 */
    assert_int_equal(iy * 100 + w, 202501);
    assert_int_equal(civil_month_days(2024, 2), 29);
    assert_int_equal(civil_month_days(1900, 2), 28);
    assert_int_equal(civil_month_days(2000, 2), 29);
}

static void test_tz_helsinki(void **state)
{
    (void)state;
    struct tz *tz = zone("Europe/Helsinki");
    /* winter +2, summer +3; the change is 2024-03-31 01:00Z */
    assert_int_equal(tz_offset_at(tz, TS(2024, 1, 15, 0, 0, 0) / 1000), 7200);
    assert_int_equal(tz_offset_at(tz, TS(2024, 3, 31, 0, 59, 59) / 1000), 7200);
    assert_int_equal(tz_offset_at(tz, TS(2024, 3, 31, 1, 0, 0) / 1000), 10800);
    assert_int_equal(tz_offset_at(tz, TS(2024, 10, 27, 0, 59, 59) / 1000), 10800);
    assert_int_equal(tz_offset_at(tz, TS(2024, 10, 27, 1, 0, 0) / 1000), 7200);
    /* beyond the table, the footer rule: summer of 2090 */
    assert_int_equal(tz_offset_at(tz, TS(2090, 7, 1, 0, 0, 0) / 1000), 10800);
    assert_int_equal(tz_offset_at(tz, TS(2090, 12, 1, 0, 0, 0) / 1000), 7200);
    /* local midnight of 1 April 2024 is 21:00Z on 31 March */
    int64_t local = civil_days(2024, 4, 1) * 86400;
    assert_int_equal(tz_local_to_utc(tz, local) * 1000, TS(2024, 3, 31, 21, 0, 0));
    /* 03:30 on 31 March does not exist: it moves forward to 04:30 (01:30Z) */
    local = civil_days(2024, 3, 31) * 86400 + 3 * 3600 + 1800;
    assert_int_equal(tz_local_to_utc(tz, local) * 1000, TS(2024, 3, 31, 1, 30, 0));
    /* 03:30 on 27 October happens twice: the earlier one (00:30Z) */
    local = civil_days(2024, 10, 27) * 86400 + 3 * 3600 + 1800;
    assert_int_equal(tz_local_to_utc(tz, local) * 1000, TS(2024, 10, 27, 0, 30, 0));
    tz_close(tz);
}

static void test_tz_southern_and_bad(void **state)
{
    (void)state;
    struct tz *tz = zone("Australia/Sydney");
    assert_int_equal(tz_offset_at(tz, TS(2024, 1, 15, 0, 0, 0) / 1000), 11 * 3600);
    assert_int_equal(tz_offset_at(tz, TS(2024, 7, 15, 0, 0, 0) / 1000), 10 * 3600);
    assert_int_equal(tz_offset_at(tz, TS(2095, 1, 15, 0, 0, 0) / 1000), 11 * 3600);
    assert_int_equal(tz_offset_at(tz, TS(2095, 7, 15, 0, 0, 0) / 1000), 10 * 3600);
    tz_close(tz);
    struct ct_error err;
    assert_int_equal(tz_open("Mars/Olympus", &tz, &err), CT_ERR_CONFIG);
    assert_int_equal(tz_open("../../etc/passwd", &tz, &err), CT_ERR_CONFIG);
    assert_int_equal(tz_open("", &tz, &err), CT_ERR_CONFIG);
    assert_true(tz_exists("UTC"));
    assert_false(tz_exists("Europe/Nowhere"));
}

static int64_t parse_ok(const char *s, const struct tz *tz)
{
    int64_t ms;
    const char *why = NULL;
    int rc = tstamp_parse(s, strlen(s), tz, &ms, &why);
    if (rc)
        fail_msg("'%s': %s", s, why);
    return ms;
}

static void parse_bad(const char *s, const struct tz *tz)
{
    int64_t ms;
    const char *why = NULL;
    if (tstamp_parse(s, strlen(s), tz, &ms, &why) == 0)
        fail_msg("'%s' was accepted", s);
    assert_non_null(why);
}

static void test_tstamp_forms(void **state)
{
    (void)state;
    struct tz *utc = tz_utc(), *hel = zone("Europe/Helsinki");
    int64_t t = TS(2024, 3, 1, 10, 0, 0);
    assert_int_equal(parse_ok("2024-03-01T10:00:00Z", utc), t);
    assert_int_equal(parse_ok("2024-03-01T10:00:00.000+00:00", utc), t);
    assert_int_equal(parse_ok("2024-03-01T12:00:00+02:00", utc), t);
    assert_int_equal(parse_ok("2024-03-01T12:00:00+0200", utc), t);
    assert_int_equal(parse_ok("2024-03-01T05:00:00-05", utc), t);
    assert_int_equal(parse_ok("2024-03-01 10:00", utc), t);
    assert_int_equal(parse_ok("2024-03-01 10:00:00 UTC", hel), t);
    assert_int_equal(parse_ok("2024-03-01 12:00:00 +0200", utc), t);
    assert_int_equal(parse_ok("  2024-03-01T10:00:00Z ", utc), t);
    /* no offset: the shop's time zone (Helsinki is +2 in March) */
    assert_int_equal(parse_ok("2024-03-01 12:00:00", hel), t);
    assert_int_equal(parse_ok("2024-03-01", hel), TS(2024, 2, 29, 22, 0, 0));
    /* unix seconds and milliseconds, fractions kept to the millisecond */
    assert_int_equal(parse_ok("1709287200", utc), t);
    assert_int_equal(parse_ok("1709287200000", utc), t);
    assert_int_equal(parse_ok("1709287200.25", utc), t + 250);
    assert_int_equal(parse_ok("2024-03-01T10:00:00.123456Z", utc), t + 123);
    assert_int_equal(parse_ok("0", utc), 0);
    assert_int_equal(parse_ok("9999-12-31T23:59:59.999Z", utc), TSTAMP_MAX_MS);
    tz_close(utc);
    tz_close(hel);
}

static void test_tstamp_bad(void **state)
{
    (void)state;
    struct tz *utc = tz_utc(), *hel = zone("Europe/Helsinki");
    const char *bad[] = {"",
                         "yesterday",
                         "2024-13-01",
                         "2024-02-30T00:00:00Z",
                         "2023-02-29",
                         "2024-03-01T25:00:00Z",
                         "2024-03-01T10:60:00Z",
                         "2024-03-01T10:00:00+25:00",
                         "2024-03-01T10:00:00Zjunk",
                         "1969-12-31T23:59:59Z",
                         "-1",
                         "10000-01-01T00:00:00Z",
                         "99999999999999999999",
                         "1.5e9",
                         "2024-03-01T",
                         "NaN"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        parse_bad(bad[i], utc);
    /* local 1970-01-01 00:00 in Helsinki is 1969 in UTC: out of range */
    parse_bad("1970-01-01 00:00:00", hel);
    tz_close(utc);
    tz_close(hel);
}

static void test_tstamp_format(void **state)
{
    (void)state;
    char buf[40];
    tstamp_format(TS(2024, 3, 1, 10, 0, 0), buf, sizeof buf);
    assert_string_equal(buf, "2024-03-01T10:00:00Z");
    tstamp_format(TS(2024, 3, 1, 10, 0, 0) + 250, buf, sizeof buf);
    assert_string_equal(buf, "2024-03-01T10:00:00.250Z");
    struct tz *hel = zone("Europe/Helsinki");
    tstamp_format_local(hel, TS(2024, 7, 1, 21, 30, 0), buf, sizeof buf, 0);
    assert_string_equal(buf, "2024-07-02 00:30");
    tstamp_format_date(hel, TS(2024, 3, 31, 21, 0, 0), buf, sizeof buf);
    assert_string_equal(buf, "2024-04-01");
    tz_close(hel);
}

static void test_periods(void **state)
{
    (void)state;
    struct tz *hel = zone("Europe/Helsinki"), *utc = tz_utc();
    char buf[32];
    /* 20:30Z on 31 March is 23:30 local: March; 21:10Z is April */
    int64_t march = period_index(hel, PERIOD_MONTH, TS(2024, 3, 31, 20, 30, 0));
    int64_t april = period_index(hel, PERIOD_MONTH, TS(2024, 3, 31, 21, 10, 0));
    assert_int_equal(april - march, 1);
    period_label(PERIOD_MONTH, march, buf, sizeof buf);
    assert_string_equal(buf, "2024-03");
    assert_int_equal(period_start_ms(hel, PERIOD_MONTH, april), TS(2024, 3, 31, 21, 0, 0));
    /* December + 1 = January of the next year */
    int64_t dec = period_index(utc, PERIOD_MONTH, TS(2023, 12, 31, 23, 30, 0));
    period_label(PERIOD_MONTH, dec + 1, buf, sizeof buf);
    assert_string_equal(buf, "2024-01");
    /* ISO weeks: 2020 has 53 */
    int64_t w53 = period_index(utc, PERIOD_WEEK, TS(2020, 12, 28, 9, 0, 0));
    period_label(PERIOD_WEEK, w53, buf, sizeof buf);
    assert_string_equal(buf, "2020-W53");
    assert_int_equal(period_index(utc, PERIOD_WEEK, TS(2021, 1, 3, 22, 0, 0)), w53);
    period_label(PERIOD_WEEK, w53 + 1, buf, sizeof buf);
    assert_string_equal(buf, "2021-W01");
    period_label(PERIOD_WEEK, w53 - 1, buf, sizeof buf);
    assert_string_equal(buf, "2020-W52");
    assert_int_equal(period_start_ms(utc, PERIOD_WEEK, w53), TS(2020, 12, 28, 0, 0, 0));
    /* days */
    int64_t d = period_index(hel, PERIOD_DAY, TS(2024, 3, 31, 21, 0, 0));
    period_label(PERIOD_DAY, d, buf, sizeof buf);
    assert_string_equal(buf, "2024-04-01");
    tz_close(hel);
    tz_close(utc);
}

static void test_range(void **state)
{
    (void)state;
    struct tz *hel = zone("Europe/Helsinki");
    struct range r;
    struct ct_error err;
    /* SPEC 5: [A, B + 1 day) local; Helsinki is +3 from 31 March */
    assert_int_equal(range_resolve(hel, "2024-04-01", "2024-04-30", NULL, 0, &r, &err), 0);
    assert_int_equal(r.from_ms, TS(2024, 3, 31, 21, 0, 0));
    assert_int_equal(r.to_ms, TS(2024, 4, 30, 21, 0, 0));
    assert_int_equal(r.now_ms, TS(2024, 4, 30, 21, 0, 0) - 1);
    assert_int_equal(range_resolve(hel, NULL, NULL, "2024-02-20T00:00:00Z", 5, &r, &err), 0);
    assert_int_equal(r.now_ms, TS(2024, 2, 20, 0, 0, 0));
    assert_false(r.has_from);
    assert_int_equal(range_resolve(hel, NULL, NULL, NULL, 12345, &r, &err), 0);
    assert_int_equal(r.now_ms, 12345);
    assert_int_equal(range_resolve(hel, "2024-05-01", "2024-04-01", NULL, 0, &r, &err),
                     CT_ERR_USAGE);
    assert_int_equal(range_resolve(hel, "last week", NULL, NULL, 0, &r, &err), CT_ERR_USAGE);
    assert_non_null(strstr(err.msg, "--from"));
    tz_close(hel);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_civil),        cmocka_unit_test(test_tz_helsinki),
        cmocka_unit_test(test_tz_southern_and_bad), cmocka_unit_test(test_tstamp_forms),
        cmocka_unit_test(test_tstamp_bad),   cmocka_unit_test(test_tstamp_format),
        cmocka_unit_test(test_periods),      cmocka_unit_test(test_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
