/*
 * fuzz_tstamp.c - libFuzzer target of the timestamp parser (SPEC 3.2, 9).
 *
 * Any bytes are a timestamp field.  tstamp_parse runs in UTC and in
 * Europe/Helsinki and must keep its contract: a result within years
 * 1970-9999, or a printable reason.  Two more checks catch wrong answers,
 * not only crashes: a UTC result formatted as ISO 8601 parses back to the
 * same instant, and where both zones accept the text, their results differ
 * by nothing (an offset or unix time) or by Helsinki's offset since 1970
 * (2 or 3 hours).  Seeds: tests/fuzz/corpus/tstamp; dictionary:
 * tstamp.dict; `make fuzz` runs it.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/tstamp.h"
#include "model/tz.h"
#include "tests/fuzz/fuzz.h"

/* Parse in zone tz; 1 with *ms, or 0 after checking the reason. */
static int parse(const uint8_t *data, size_t size, const struct tz *tz, int64_t *ms)
{
    const char *why = NULL;
    if (tstamp_parse((const char *)data, size, tz, ms, &why) != 0) {
        fuzz_check_message("tstamp_parse reason", why);
        return 0;
    }
    if (*ms < TSTAMP_MIN_MS || *ms > TSTAMP_MAX_MS)
        fuzz_fail("tstamp_parse", "accepted an instant outside years 1970-9999");
    char buf[64];
    tstamp_format_local(tz, *ms, buf, sizeof buf, 1);
    tstamp_format_date(tz, *ms, buf, sizeof buf);
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a copy exactly size long, so ASan sees any read past the field */
    char *s = malloc(size ? size : 1);
    if (size)
        memcpy(s, data, size);
    int64_t utc = 0, hel = 0;
    int ok_utc = parse((const uint8_t *)s, size, fuzz_utc(), &utc);
    int ok_hel = parse((const uint8_t *)s, size, fuzz_helsinki(), &hel);
    free(s);
    if (ok_utc) {
        char iso[64];
        int64_t back = -1;
        const char *why;
        tstamp_format(utc, iso, sizeof iso);
        if (tstamp_parse(iso, strlen(iso), fuzz_utc(), &back, &why) != 0 || back != utc)
            fuzz_fail("tstamp_format does not parse back to the same instant", iso);
    }
    if (ok_utc && ok_hel) {
        int64_t d = utc - hel;
        if (d != 0 && d != 2 * 3600 * 1000 && d != 3 * 3600 * 1000) {
            char detail[96];
            snprintf(detail, sizeof detail, "UTC %lld, Helsinki %lld", (long long)utc,
                     (long long)hel);
            fuzz_fail("the zones disagree by more than Helsinki's offset", detail);
        }
    }
    /* tstamp_is_date reads a C string */
    char z[32];
    size_t n = size < sizeof z - 1 ? size : sizeof z - 1;
    memcpy(z, data, n);
    z[n] = '\0';
    (void)tstamp_is_date(z);
    return 0;
}
