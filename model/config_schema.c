/*
 * config_schema.c - the key table of the configuration (STYLE 3.3) and its
 * lookups.
 *
 * A new key is a new row here (and a field in config.h, and a paragraph in
 * convtop.1, which test_config.c compares with this table).  The order of
 * the rows matters: config.c fills keys in table order, so a key whose
 * default is "@PATH" comes after PATH (funnels[].window after funnel.window,
 * cohorts.entry after events.purchase).  Data and lookups only: nothing here
 * parses, prints or allocates.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "model/config.h"
#include "model/config_schema.h"

static const char *const orders[] = {"ordered", "strict", "any", NULL};
static const char *const kinds[] = {"micro", "macro", NULL};
static const char *const denominators[] = {"visitors", "sessions", NULL};
static const char *const periods[] = {"day", "week", "month", NULL};

/* The enums are stored through int; their values are the choice indexes. */
_Static_assert(sizeof(enum funnel_order) == sizeof(int), "enum stored as int");
_Static_assert(sizeof(enum goal_kind) == sizeof(int), "enum stored as int");
_Static_assert(sizeof(enum denominator) == sizeof(int), "enum stored as int");
_Static_assert(sizeof(enum period_unit) == sizeof(int), "enum stored as int");
_Static_assert(ORDER_ORDERED == 0 && ORDER_STRICT == 1 && ORDER_ANY == 2, "orders[]");
_Static_assert(GOAL_MICRO == 0 && GOAL_MACRO == 1, "kinds[]");
_Static_assert(DENOM_VISITORS == 0 && DENOM_SESSIONS == 1, "denominators[]");
_Static_assert(PERIOD_DAY == 0 && PERIOD_WEEK == 1 && PERIOD_MONTH == 2, "periods[]");

#define CFG_OFF(field)     offsetof(struct config, field)
#define STEP_OFF(field)    offsetof(struct step_def, field)
#define FUNNEL_OFF(field)  offsetof(struct funnel_def, field)
#define GOAL_OFF(field)    offsetof(struct goal_def, field)
#define TIER_OFF(field)    offsetof(struct tier_def, field)
#define SEGMENT_OFF(field) offsetof(struct segment_def, field)
#define MATCHER_OFF(field) offsetof(struct matcher, field)

/* A column of a custom order-lines layout (import.orders). */
#define ORDER_COLUMN(key, field, flags_, text)                                                     \
    {                                                                                              \
        .path = "import.orders." key, .type = CFG_STRING, .flags = (flags_), .help = (text),       \
        .off = CFG_OFF(orders.field)                                                               \
    }

const struct cfg_key config_keys[] = {
    /* shop */
    {.path = "shop", .type = CFG_MAP, .help = "The shop: its name, currency and time zone."},
    {.path = "shop.name",
     .type = CFG_STRING,
     .def = "Shop",
     .off = CFG_OFF(shop_name),
     .help = "Shown in the status bar and the reports."},
    {.path = "shop.currency",
     .type = CFG_STRING,
     .def = "EUR",
     .off = CFG_OFF(currency),
     .help = "Currency of every value (money is a plain number in it)."},
    {.path = "shop.timezone",
     .type = CFG_TIMEZONE,
     .def = "UTC",
     .off = CFG_OFF(timezone),
     .help = "IANA time zone (Europe/Helsinki); periods, dates and ranges use it."},

    /* events: before cohorts, whose default entry and return follow events.purchase */
    {.path = "events",
     .type = CFG_MAP,
     .help = "The shop's event names for the fixed meanings (orders, refunds, ...)."},
    {.path = "events.purchase",
     .type = CFG_STRING,
     .def = "purchase",
     .off = CFG_OFF(events.purchase),
     .help = "Event of an order; its value is the order total."},
    {.path = "events.refund",
     .type = CFG_STRING,
     .def = "refund",
     .off = CFG_OFF(events.refund),
     .help = "Event of a refund; its value is the amount refunded."},
    {.path = "events.review",
     .type = CFG_STRING,
     .def = "review",
     .off = CFG_OFF(events.review),
     .help = "Event of a review, with the property rating (1-5)."},
    {.path = "events.page_view",
     .type = CFG_STRING,
     .def = "page_view",
     .off = CFG_OFF(events.page_view),
     .help = "Event of a page view."},

    /* funnel: before stages and funnels, which take its window and order */
    {.path = "funnel",
     .type = CFG_MAP,
     .help = "How the stages are evaluated; also the defaults of funnels entries."},
    {.path = "funnel.window",
     .type = CFG_DURATION,
     .def = "30d",
     .off = CFG_OFF(stages.window_ms),
     .help = "Longest time from the first step to the last step of one chain."},
    {.path = "funnel.order",
     .type = CFG_ENUM,
     .choices = orders,
     .def = "ordered",
     .off = CFG_OFF(stages.order),
     .help = "ordered: steps in order; strict: nothing in between; any: any order."},

    {.path = "stages",
     .type = CFG_LIST,
     .flags = CFG_NONEMPTY | CFG_SHORTHAND,
     .noun = "stage",
     .name_key = "name",
     .off = CFG_OFF(stages.steps),
     .n_off = CFG_OFF(stages.n_steps),
     .elem_size = sizeof(struct step_def),
     .help = "The lifecycle funnel, in order; absent: no stages funnel."},
    {.path = "stages[].name",
     .type = CFG_STRING,
     .flags = CFG_REQUIRED,
     .off = STEP_OFF(name),
     .help = "Name of the stage (unique)."},
    {.path = "stages[].match",
     .type = CFG_MATCHER,
     .flags = CFG_REQUIRED,
     .off = STEP_OFF(match),
     .help = "Events that reach the stage."},

    {.path = "funnels",
     .type = CFG_LIST,
     .noun = "funnel",
     .name_key = "name",
     .reserved = "stages",
     .off = CFG_OFF(funnels),
     .n_off = CFG_OFF(n_funnels),
     .elem_size = sizeof(struct funnel_def),
     .help = "More funnels, chosen with --funnel NAME; same rules as the stages."},
    {.path = "funnels[].name",
     .type = CFG_STRING,
     .flags = CFG_REQUIRED,
     .off = FUNNEL_OFF(name),
     .help = "Name of the funnel (unique; \"stages\" is taken)."},
    {.path = "funnels[].window",
     .type = CFG_DURATION,
     .def = "@funnel.window",
     .off = FUNNEL_OFF(window_ms),
     .help = "As funnel.window, for this funnel."},
    {.path = "funnels[].order",
     .type = CFG_ENUM,
     .choices = orders,
     .def = "@funnel.order",
     .off = FUNNEL_OFF(order),
     .help = "As funnel.order, for this funnel."},
    {.path = "funnels[].steps",
     .type = CFG_LIST,
     .flags = CFG_REQUIRED | CFG_NONEMPTY | CFG_SHORTHAND,
     .noun = "step",
     .name_key = "name",
     .off = FUNNEL_OFF(steps),
     .n_off = FUNNEL_OFF(n_steps),
     .elem_size = sizeof(struct step_def),
     .help = "The steps in order; an event name is a step named after its event."},
    {.path = "funnels[].steps[].name",
     .type = CFG_STRING,
     .flags = CFG_REQUIRED,
     .off = STEP_OFF(name),
     .help = "Name of the step (unique in its funnel)."},
    {.path = "funnels[].steps[].match",
     .type = CFG_MATCHER,
     .flags = CFG_REQUIRED,
     .off = STEP_OFF(match),
     .help = "Events that reach the step."},

    {.path = "goals",
     .type = CFG_LIST,
     .noun = "goal",
     .name_key = "name",
     .off = CFG_OFF(goals),
     .n_off = CFG_OFF(n_goals),
     .elem_size = sizeof(struct goal_def),
     .help = "Conversions counted per visitor (or session)."},
    {.path = "goals[].name",
     .type = CFG_STRING,
     .flags = CFG_REQUIRED,
     .off = GOAL_OFF(name),
     .help = "Name of the goal (unique)."},
    {.path = "goals[].kind",
     .type = CFG_ENUM,
     .flags = CFG_REQUIRED,
     .choices = kinds,
     .off = GOAL_OFF(kind),
     .help = "micro: a step towards a sale; macro: a sale or request."},
    {.path = "goals[].match",
     .type = CFG_MATCHER,
     .flags = CFG_REQUIRED,
     .off = GOAL_OFF(match),
     .help = "Events that complete the goal."},
    {.path = "goals[].value",
     .type = CFG_BOOL,
     .def = "false",
     .off = GOAL_OFF(value),
     .help = "Sum the values of the matching events as the goal's revenue."},

    {.path = "conversion_rate", .type = CFG_MAP, .help = "How conversion rates are computed."},
    {.path = "conversion_rate.denominator",
     .type = CFG_ENUM,
     .choices = denominators,
     .def = "visitors",
     .off = CFG_OFF(denominator),
     .help = "Divide converters by visitors, or converting sessions by sessions."},

    {.path = "cohorts", .type = CFG_MAP, .help = "The retention triangle."},
    {.path = "cohorts.entry",
     .type = CFG_MATCHER,
     .def = "@events.purchase",
     .off = CFG_OFF(cohorts.entry),
     .help = "A customer's first matching event puts them in its period's cohort."},
    {.path = "cohorts.return",
     .type = CFG_MATCHER,
     .def = "@events.purchase",
     .off = CFG_OFF(cohorts.ret),
     .help = "A matching event in a period counts the customer as back in it."},
    {.path = "cohorts.period",
     .type = CFG_ENUM,
     .choices = periods,
     .def = "month",
     .off = CFG_OFF(cohorts.period),
     .help = "Length of a cohort and of a column."},
    {.path = "cohorts.periods",
     .type = CFG_INT,
     .min = 1,
     .max = 520,
     .def = "12",
     .off = CFG_OFF(cohorts.periods),
     .help = "Number of columns (periods after entry)."},

    {.path = "churn", .type = CFG_MAP, .help = "When a customer counts as lapsed."},
    {.path = "churn.inactive_after",
     .type = CFG_DURATION,
     .def = "90d",
     .off = CFG_OFF(inactive_after_ms),
     .help = "A customer whose last purchase is older than this has churned."},

    {.path = "loyalty",
     .type = CFG_LIST,
     .noun = "tier",
     .name_key = "tier",
     .off = CFG_OFF(tiers),
     .n_off = CFG_OFF(n_tiers),
     .elem_size = sizeof(struct tier_def),
     .help = "Loyalty tiers; a customer has the highest whose min_spend <= net spend."},
    {.path = "loyalty[].tier",
     .type = CFG_STRING,
     .flags = CFG_REQUIRED,
     .off = TIER_OFF(name),
     .help = "Name of the tier (unique)."},
    {.path = "loyalty[].min_spend",
     .type = CFG_NUMBER,
     .flags = CFG_REQUIRED,
     .off = TIER_OFF(min_spend),
     .help = "Net spend from which the tier applies (unique)."},

    {.path = "segments",
     .type = CFG_LIST,
     .noun = "segment",
     .name_key = "name",
     .off = CFG_OFF(segments),
     .n_off = CFG_OFF(n_segments),
     .elem_size = sizeof(struct segment_def),
     .help = "Groups of customers, chosen with --segment NAME."},
    {.path = "segments[].name",
     .type = CFG_STRING,
     .flags = CFG_REQUIRED,
     .off = SEGMENT_OFF(name),
     .help = "Name of the segment (unique)."},
    {.path = "segments[].where",
     .type = CFG_WHERE,
     .flags = CFG_REQUIRED,
     .off = SEGMENT_OFF(where),
     .n_off = SEGMENT_OFF(n_where),
     .help = "Customer attributes (channel, country, tier, email, name, key, ...)."},

    {.path = "import", .type = CFG_MAP, .help = "How convtop import reads the shop's files."},
    {.path = "import.orders",
     .type = CFG_MAP,
     .flags = CFG_GIVEN,
     .given_off = CFG_OFF(orders.present),
     .help = "Column names of a custom order-lines export (one row per order line)."},
    ORDER_COLUMN("order", order, CFG_REQUIRED, "Order (invoice) number; also the event id."),
    ORDER_COLUMN("customer", customer, CFG_REQUIRED, "Customer id; empty: a guest, skipped."),
    ORDER_COLUMN("time", time, CFG_REQUIRED, "Time of the order line."),
    ORDER_COLUMN("quantity", quantity, 0, "Quantity of the line (with price)."),
    ORDER_COLUMN("price", price, 0, "Unit price of the line (with quantity)."),
    ORDER_COLUMN("total", total, 0, "Order total (instead of quantity and price)."),
    ORDER_COLUMN("email", email, 0, "Customer e-mail."),
    ORDER_COLUMN("name", name, 0, "Customer name."),
    ORDER_COLUMN("country", country, 0, "Customer country."),
    ORDER_COLUMN("channel", channel, 0, "Acquisition channel."),
    ORDER_COLUMN("cancel_prefix", cancel_prefix, 0,
                 "Order numbers starting with this are cancellations (refunds)."),

    /* a matcher written as a map, wherever a matcher is allowed */
    {.path = "matcher.event",
     .type = CFG_NAMES,
     .flags = CFG_NONEMPTY,
     .off = MATCHER_OFF(events),
     .n_off = MATCHER_OFF(n_events),
     .help = "Event name or list of names (any of them); absent: any event."},
    {.path = "matcher.where",
     .type = CFG_WHERE,
     .off = MATCHER_OFF(where),
     .n_off = MATCHER_OFF(n_where),
     .help = "Columns (channel, session, value) or properties the event must have."},
    {.path = "matcher.min_value",
     .type = CFG_NUMBER,
     .flags = CFG_GIVEN,
     .off = MATCHER_OFF(min_value),
     .given_off = MATCHER_OFF(has_min_value),
     .help = "Only events whose value is at least this."},
    {.path = "matcher.occurrence",
     .type = CFG_INT,
     .min = 1,
     .max = 1000000,
     .off = MATCHER_OFF(occurrence),
     .help = "Only the customer's Nth matching event."},
};

const size_t config_n_keys = sizeof config_keys / sizeof config_keys[0];

const struct cfg_key *config_key_find(const char *path)
{
    for (size_t i = 0; i < config_n_keys; i++)
        if (strcmp(config_keys[i].path, path) == 0)
            return &config_keys[i];
    return NULL;
}

const char *config_key_at(const struct cfg_key *k, const char *level)
{
    size_t n = strlen(level);
    const char *rest = k->path;
    if (n) {
        if (strncmp(k->path, level, n) != 0 || k->path[n] != '.')
            return NULL;
        rest += n + 1;
    }
    return strpbrk(rest, ".[") ? NULL : rest;
}

/* Optimal string alignment distance, capped: words longer than the buffer
 * are never typos of a key. */
static size_t distance(const char *a, const char *b)
{
    enum { MAXLEN = 64 };
    size_t la = strlen(a), lb = strlen(b);
    if (la >= MAXLEN || lb >= MAXLEN)
        return (size_t)-1;
    size_t d[MAXLEN + 1][MAXLEN + 1];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

const char *config_nearest(const char *word, const char *const *cands)
{
    /* one edit in a short word, up to a third of a longer one: closer than
     * that, a different key is more likely than a typo */
    size_t len = strlen(word);
    size_t limit = len <= 4 ? 1 : len / 3 + 1;
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; cands[i]; i++) {
        size_t d = distance(word, cands[i]);
        if (d <= limit && d < best_d) {
            best = cands[i];
            best_d = d;
        }
    }
    return best;
}

const char *config_key_suggest(const char *level, const char *word)
{
    const char *names[sizeof config_keys / sizeof config_keys[0] + 1];
    size_t n = 0;
    for (size_t i = 0; i < config_n_keys; i++) {
        const char *name = config_key_at(&config_keys[i], level);
        if (name)
            names[n++] = name;
    }
    names[n] = NULL;
    return config_nearest(word, names);
}

void config_key_type(const struct cfg_key *k, char *buf, size_t size)
{
    switch (k->type) {
    case CFG_MAP:
        snprintf(buf, size, "map");
        break;
    case CFG_LIST:
        snprintf(buf, size, "list");
        break;
    case CFG_STRING:
        snprintf(buf, size, "string");
        break;
    case CFG_INT:
        snprintf(buf, size, "integer %ld..%ld", k->min, k->max);
        break;
    case CFG_NUMBER:
        snprintf(buf, size, "number");
        break;
    case CFG_BOOL:
        snprintf(buf, size, "boolean");
        break;
    case CFG_DURATION:
        snprintf(buf, size, "duration");
        break;
    case CFG_ENUM: {
        size_t used = 0;
        buf[0] = '\0';
        for (size_t i = 0; k->choices[i] && used < size; i++) {
            int w = snprintf(buf + used, size - used, "%s%s", i ? "|" : "", k->choices[i]);
            used += w > 0 ? (size_t)w : 0;
        }
        break;
    }
    case CFG_TIMEZONE:
        snprintf(buf, size, "time zone");
        break;
    case CFG_NAMES:
        snprintf(buf, size, "event names");
        break;
    case CFG_MATCHER:
        snprintf(buf, size, "matcher");
        break;
    case CFG_WHERE:
        snprintf(buf, size, "conditions");
        break;
    }
}
