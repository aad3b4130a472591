/*
 * spend.h - marketing spend (issue 9): the purposes, the two date forms, one
 * row of a spend file as the importer gives it to the store, and the spend
 * records the store hands to the costs engine.
 *
 * A spend record says: this much money went to this channel for this
 * purpose on this day, or over this month.  A month is spread evenly over
 * its days by the engine (costs.h).  Amounts are in the shop currency and
 * never negative: a credit or refund from an ad platform is entered by
 * lowering the period's amount (a later import of the same date, channel
 * and purpose replaces it), so no channel can show a negative cost.
 */
#ifndef CT_SPEND_H
#define CT_SPEND_H

#include <stddef.h>
#include <stdint.h>

enum spend_purpose { SPEND_ACQUISITION, SPEND_RETENTION };

/* "acquisition" / "retention". */
const char *spend_purpose_name(enum spend_purpose p);
/* The purpose named by s[0..len) (ASCII case ignored): 0, or -1 when it is
 * neither. */
int spend_purpose_parse(const char *s, size_t len, enum spend_purpose *out);

/* A spend date: "YYYY-MM-DD" (one day) or "YYYY-MM" (a whole month), a real
 * calendar date in the years 1970-9999, in the shop's calendar.  Fills the
 * first day (days since 1970-01-01) and the number of days it covers (1, or
 * 28-31).  Returns NULL when fine, else a static reason. */
const char *spend_date_parse(const char *s, size_t len, int64_t *first_day, int *days);

/* One row of a spend file; strings are borrowed (they live until the
 * sink's call returns). */
struct spend_row {
    long line;           /* where the row starts in its file (1-based) */
    const char *date;    /* as spend_date_parse accepted it: "YYYY-MM-DD" or "YYYY-MM" */
    const char *channel; /* single-line text, not empty */
    enum spend_purpose purpose;
    double amount; /* finite, >= 0 */
};

/* A stored spend record as the engines read it: a run of local days. */
struct spend_item {
    int64_t first_day; /* days since 1970-01-01 in the shop's calendar */
    int days;          /* 1 for a day, the month's length for a month */
    enum spend_purpose purpose;
    double amount;
    char *channel; /* owned */
};

/* A list that owns its items. */
struct spend_list {
    struct spend_item *items;
    size_t n, cap;
};

/* Append a record (channel is copied). */
void spend_list_add(struct spend_list *l, int64_t first_day, int days, enum spend_purpose purpose,
                    double amount, const char *channel);
void spend_list_free(struct spend_list *l); /* NULL is fine */

#endif
