/*
 * spend.c - the spend record's vocabulary: purpose names, the day and month
 * date forms, and the list the store fills for the costs engine.
 *
 * Shared by the importer (import_spend.c), the store (store_spend.c) and
 * the demo (demo_spend.c), so the three agree on what a date means.  No
 * SQL, no I/O.
 */
#include "autoconf.h"

#include <string.h>
#include <strings.h>

#include "model/civil.h"
#include "model/mem.h"
#include "model/spend.h"

static const char *const purpose_names[] = {"acquisition", "retention"};

const char *spend_purpose_name(enum spend_purpose p)
{
    return p == SPEND_RETENTION ? purpose_names[1] : purpose_names[0];
}

int spend_purpose_parse(const char *s, size_t len, enum spend_purpose *out)
{
    for (int i = 0; i < 2; i++)
        if (len == strlen(purpose_names[i]) && strncasecmp(s, purpose_names[i], len) == 0) {
            *out = (enum spend_purpose)i;
            return 0;
        }
    return -1;
}

/* n decimal digits at s as a number, or -1 when one is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

const char *spend_date_parse(const char *s, size_t len, int64_t *first_day, int *days)
{
    /* exactly YYYY-MM or YYYY-MM-DD: a looser form ("2025-1", a time of
     * day) would make the same record two keys in the store */
    if ((len != 7 && len != 10) || s[4] != '-' || (len == 10 && s[7] != '-'))
        return "not a date (use YYYY-MM-DD for a day or YYYY-MM for a month)";
    int y = digits(s, 4), m = digits(s + 5, 2), d = len == 10 ? digits(s + 8, 2) : 1;
    if (y < 0 || m < 0 || d < 0)
        return "not a date (use YYYY-MM-DD for a day or YYYY-MM for a month)";
    if (y < 1970)
        return "before 1970";
    if (m < 1 || m > 12)
        return "no such month";
    int mdays = civil_month_days(y, m);
    if (d < 1 || d > mdays)
        return "no such day in that month";
    *first_day = civil_days(y, m, d);
    *days = len == 10 ? 1 : mdays;
    return NULL;
}

void spend_list_add(struct spend_list *l, int64_t first_day, int days, enum spend_purpose purpose,
                    double amount, const char *channel)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->items = xreallocarray(l->items, l->cap, sizeof *l->items);
    }
    struct spend_item *it = &l->items[l->n++];
    it->first_day = first_day;
    it->days = days;
    it->purpose = purpose;
    it->amount = amount;
    it->channel = xstrdup(channel);
}

void spend_list_free(struct spend_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i].channel);
    free(l->items);
    memset(l, 0, sizeof *l);
}
