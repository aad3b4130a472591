/*
 * demo.c - the demo shop (SPEC 3.2 "convtop demo"): a seeded simulation of
 * a Nordic home-goods shop's visitors, sessions, carts, orders, refunds,
 * reviews, newsletter signups and quote requests.
 *
 * Owns: the behaviour model and its numbers.  Must not print, read the
 * clock or the environment, call rand(), or allocate per event; it keeps no
 * state that grows with the number of customers.
 *
 * Entry points: demo_open/demo_close, demo_step/demo_run (batch, customer
 * by customer) and demo_journey_* (one customer, one event at a time).
 *
 * Model, in short.  A customer arrives on a day drawn from a seasonal curve
 * (growth trend, weekday pattern, November/December peak, Black Friday) at a
 * local hour drawn from a day curve, through an acquisition channel.  Each
 * visit is a session: a landing page_view, some browsing (page_view,
 * product_view), maybe a cart, a checkout and a purchase.  Whether a visit
 * buys depends on the channel's quality and the visitor's hidden intent;
 * carts are often abandoned, and an identified abandoner may come back
 * through a cart-recovery e-mail.  After the first order the customer's
 * hidden loyalty class sets how often they return and buy; the gap between
 * visits grows with the months, and each visit may be their last, so the
 * monthly cohorts show a decaying retention triangle.  Some orders go wrong:
 * the customer asks for a refund, rates low and churns sooner.  Lapsed
 * customers are sometimes won back by an e-mail with a coupon.
 *
 * Determinism: every draw comes from the journey's own xoshiro256**, seeded
 * by splitmix64 from (seed, customer index).  The arithmetic is plain IEEE
 * double with no libm transcendental (logarithms are computed here), so the
 * same seed gives the same rows on every platform.
 */
#include "autoconf.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/civil.h"
#include "model/demo.h"
#include "model/mem.h"
#include "model/period.h"
#include "model/tz.h"

/* a*b+c must not become a fused multiply-add on some machines and not on
 * others: that would change draws.  GCC in ISO C mode already keeps them
 * apart (and warns about this pragma); clang needs to be told. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#define DAY_MS   INT64_C(86400000)
#define MIN_MS   INT64_C(60000)
#define MONTH_MS (INT64_C(30) * DAY_MS)

/* --- the catalogue ------------------------------------------------------ */

enum { CAT_KITCHEN, CAT_TEXTILES, CAT_LIGHTING, CAT_COFFEE, CAT_OUTDOOR, CAT_GIFTS, CAT_COUNT };

static const char *const cat_names[CAT_COUNT] = {"kitchen", "textiles", "lighting",
                                                 "coffee",  "outdoor",  "gifts"};

struct product {
    const char *name, *slug;
    uint8_t cat;
    int32_t cents;
    uint16_t weight; /* popularity */
};

static const struct product products[] = {
    {"Cast iron pan", "cast-iron-pan", CAT_KITCHEN, 5900, 60},
    {"Chef's knife", "chefs-knife", CAT_KITCHEN, 8900, 40},
    {"Oak cutting board", "oak-cutting-board", CAT_KITCHEN, 3490, 70},
    {"Enamel kettle", "enamel-kettle", CAT_KITCHEN, 4490, 45},
    {"Stoneware mug", "stoneware-mug", CAT_KITCHEN, 1690, 110},
    {"Salad bowl", "salad-bowl", CAT_KITCHEN, 3900, 35},
    {"Linen towel", "linen-towel", CAT_TEXTILES, 2490, 100},
    {"Sauna towel", "sauna-towel", CAT_TEXTILES, 3200, 80},
    {"Wool blanket", "wool-blanket", CAT_TEXTILES, 12900, 45},
    {"Cushion cover", "cushion-cover", CAT_TEXTILES, 2750, 60},
    {"Bath robe", "bath-robe", CAT_TEXTILES, 7900, 35},
    {"Bed linen set", "bed-linen-set", CAT_TEXTILES, 11900, 30},
    {"Pendant lamp", "pendant-lamp", CAT_LIGHTING, 18900, 20},
    {"Table lamp", "table-lamp", CAT_LIGHTING, 9900, 30},
    {"Candle holder", "candle-holder", CAT_LIGHTING, 1990, 70},
    {"Lantern", "lantern", CAT_LIGHTING, 4500, 40},
    {"String lights", "string-lights", CAT_LIGHTING, 2400, 50},
    {"Light roast coffee 500 g", "light-roast-coffee", CAT_COFFEE, 1490, 120},
    {"Dark roast coffee 500 g", "dark-roast-coffee", CAT_COFFEE, 1390, 110},
    {"Green tea 100 g", "green-tea", CAT_COFFEE, 990, 60},
    {"Pour-over set", "pour-over-set", CAT_COFFEE, 4900, 30},
    {"Coffee grinder", "coffee-grinder", CAT_COFFEE, 12900, 20},
    {"Birch chair", "birch-chair", CAT_OUTDOOR, 14900, 20},
    {"Picnic blanket", "picnic-blanket", CAT_OUTDOOR, 3990, 40},
    {"Thermos 0.75 l", "thermos", CAT_OUTDOOR, 3490, 55},
    {"Hiking mug", "hiking-mug", CAT_OUTDOOR, 1250, 60},
    {"Rain jacket", "rain-jacket", CAT_OUTDOOR, 15900, 25},
    {"Gift card 50 EUR", "gift-card-50", CAT_GIFTS, 5000, 30},
    {"Scented candle", "scented-candle", CAT_GIFTS, 2290, 90},
    {"Wooden toy", "wooden-toy", CAT_GIFTS, 2600, 40},
    {"Greeting cards", "greeting-cards", CAT_GIFTS, 850, 50},
    {"Gift box", "gift-box", CAT_GIFTS, 6400, 35},
};
#define NPROD ((int)(sizeof products / sizeof products[0]))

/* Pages other than product pages; product page i is PAGE_PRODUCT + i. */
enum {
    PAGE_HOME,
    PAGE_CATEGORY,                         /* + category */
    PAGE_BLOG = PAGE_CATEGORY + CAT_COUNT, /* + post */
    PAGE_SEARCH = PAGE_BLOG + 6,
    PAGE_ABOUT,
    PAGE_SHIPPING,
    PAGE_REVIEW,
    PAGE_CART,
    PAGE_ACCOUNT,
    PAGE_PRODUCT,
    PAGE_COUNT = PAGE_PRODUCT + NPROD
};

static const char *const blog_slugs[6] = {"sauna-season", "coffee-brewing-guide",
                                          "linen-care",   "cosy-lighting",
                                          "gift-ideas",   "summer-cottage-checklist"};

/* --- channels, campaigns, people ---------------------------------------- */

enum { CH_SEARCH, CH_SOCIAL, CH_EMAIL, CH_DIRECT, CH_ADS, CH_REFERRAL, CH_COUNT };

static const char *const ch_names[CH_COUNT] = {"search", "social", "email",
                                               "direct", "ads",    "referral"};
/* Where first visits come from, per mille. */
static const uint16_t ch_acquire[CH_COUNT] = {320, 220, 70, 120, 190, 80};
/* How well a channel converts a first-time visitor: chance that a visit of
 * a visitor of average intent buys (e-mail best, social worst). */
static const double ch_buy[CH_COUNT] = {0.060, 0.022, 0.100, 0.070, 0.036, 0.055};
/* Chance that a non-buying visit is a bounce (one page). */
static const double ch_bounce[CH_COUNT] = {0.33, 0.56, 0.22, 0.28, 0.47, 0.36};
/* Channel of a returning visit that is not a campaign, per mille (e-mail
 * only for customers the shop can write to). */
static const uint16_t ch_return[CH_COUNT] = {220, 90, 230, 340, 90, 30};

enum { CAMP_NONE, CAMP_NEWSLETTER, CAMP_CART, CAMP_WINBACK, CAMP_REVIEW, CAMP_COUNT };
static const char *const camp_names[CAMP_COUNT] = {"", "newsletter", "cart_recovery", "winback",
                                                   "review_request"};

enum { LANG_FI, LANG_EE, LANG_HU, LANG_EN, LANG_COUNT };
static const uint16_t lang_share[LANG_COUNT] = {520, 140, 160, 180};

struct nm {
    const char *text, *ascii; /* as written; lower-case ASCII for e-mails */
};

static const struct nm first_fi[] = {
    {"Anna", "anna"},     {"Aino", "aino"},     {"Helmi", "helmi"}, {"Emilia", "emilia"},
    {"Sofia", "sofia"},   {"Aada", "aada"},     {"Eevi", "eevi"},   {"Linnea", "linnea"},
    {"Ella", "ella"},     {"Venla", "venla"},   {"Kaisa", "kaisa"}, {"Minna", "minna"},
    {"Päivi", "paivi"},   {"Sari", "sari"},     {"Tiina", "tiina"}, {"Johanna", "johanna"},
    {"Laura", "laura"},   {"Riikka", "riikka"}, {"Satu", "satu"},   {"Elina", "elina"},
    {"Juha", "juha"},     {"Mikko", "mikko"},   {"Timo", "timo"},   {"Jari", "jari"},
    {"Matti", "matti"},   {"Pekka", "pekka"},   {"Antti", "antti"}, {"Ville", "ville"},
    {"Janne", "janne"},   {"Eero", "eero"},     {"Onni", "onni"},   {"Väinö", "vaino"},
    {"Leevi", "leevi"},   {"Aleksi", "aleksi"}, {"Lauri", "lauri"}, {"Juho", "juho"},
    {"Tuomas", "tuomas"}, {"Heikki", "heikki"}, {"Kari", "kari"},   {"Jussi", "jussi"},
};
static const struct nm last_fi[] = {
    {"Virtanen", "virtanen"},
    {"Korhonen", "korhonen"},
    {"Mäkinen", "makinen"},
    {"Nieminen", "nieminen"},
    {"Mäkelä", "makela"},
    {"Hämäläinen", "hamalainen"},
    {"Laine", "laine"},
    {"Heikkinen", "heikkinen"},
    {"Koskinen", "koskinen"},
    {"Järvinen", "jarvinen"},
    {"Lehtonen", "lehtonen"},
    {"Lehtinen", "lehtinen"},
    {"Saarinen", "saarinen"},
    {"Salminen", "salminen"},
    {"Heinonen", "heinonen"},
    {"Niemi", "niemi"},
    {"Heikkilä", "heikkila"},
    {"Kinnunen", "kinnunen"},
    {"Salonen", "salonen"},
    {"Turunen", "turunen"},
    {"Salo", "salo"},
    {"Laitinen", "laitinen"},
    {"Tuominen", "tuominen"},
    {"Rantanen", "rantanen"},
    {"Karjalainen", "karjalainen"},
    {"Jokinen", "jokinen"},
    {"Mattila", "mattila"},
    {"Savolainen", "savolainen"},
    {"Lahtinen", "lahtinen"},
    {"Ahonen", "ahonen"},
    {"Hirvonen", "hirvonen"},
    {"Lindholm", "lindholm"},
    {"Aaltonen", "aaltonen"},
    {"Räsänen", "rasanen"},
    {"Manninen", "manninen"},
    {"Kettunen", "kettunen"},
    {"Peltonen", "peltonen"},
    {"Pitkänen", "pitkanen"},
    {"Lindqvist", "lindqvist"},
    {"Väisänen", "vaisanen"},
};
static const struct nm first_ee[] = {
    {"Maria", "maria"},       {"Anna", "anna"},           {"Laura", "laura"},
    {"Kadri", "kadri"},       {"Kristiina", "kristiina"}, {"Liis", "liis"},
    {"Triin", "triin"},       {"Kertu", "kertu"},         {"Mari", "mari"},
    {"Katrin", "katrin"},     {"Eliise", "eliise"},       {"Getter", "getter"},
    {"Helen", "helen"},       {"Ülle", "ulle"},           {"Marju", "marju"},
    {"Kati", "kati"},         {"Jaan", "jaan"},           {"Andres", "andres"},
    {"Toomas", "toomas"},     {"Martin", "martin"},       {"Margus", "margus"},
    {"Rasmus", "rasmus"},     {"Märt", "mart"},           {"Priit", "priit"},
    {"Tõnu", "tonu"},         {"Urmas", "urmas"},         {"Indrek", "indrek"},
    {"Kristjan", "kristjan"}, {"Siim", "siim"},           {"Rein", "rein"},
    {"Mihkel", "mihkel"},     {"Oskar", "oskar"},
};
static const struct nm last_ee[] = {
    {"Tamm", "tamm"},     {"Saar", "saar"},     {"Sepp", "sepp"},         {"Mägi", "magi"},
    {"Kask", "kask"},     {"Kukk", "kukk"},     {"Rebane", "rebane"},     {"Ilves", "ilves"},
    {"Pärn", "parn"},     {"Koppel", "koppel"}, {"Lepik", "lepik"},       {"Kallas", "kallas"},
    {"Luik", "luik"},     {"Kuusk", "kuusk"},   {"Karu", "karu"},         {"Vaher", "vaher"},
    {"Lepp", "lepp"},     {"Kivi", "kivi"},     {"Raudsepp", "raudsepp"}, {"Mets", "mets"},
    {"Ots", "ots"},       {"Põder", "poder"},   {"Kõiv", "koiv"},         {"Oja", "oja"},
    {"Laur", "laur"},     {"Vares", "vares"},   {"Jõgi", "jogi"},         {"Teder", "teder"},
    {"Lõhmus", "lohmus"}, {"Sild", "sild"},     {"Kuusik", "kuusik"},     {"Liiv", "liiv"},
};
static const struct nm first_hu[] = {
    {"Anna", "anna"},         {"Eszter", "eszter"},     {"Zsófia", "zsofia"},
    {"Katalin", "katalin"},   {"Réka", "reka"},         {"Dóra", "dora"},
    {"Nóra", "nora"},         {"Judit", "judit"},       {"Ildikó", "ildiko"},
    {"Erzsébet", "erzsebet"}, {"Viktória", "viktoria"}, {"Krisztina", "krisztina"},
    {"Boglárka", "boglarka"}, {"Hanna", "hanna"},       {"Lili", "lili"},
    {"Gábor", "gabor"},       {"László", "laszlo"},     {"Zoltán", "zoltan"},
    {"Péter", "peter"},       {"István", "istvan"},     {"Balázs", "balazs"},
    {"Tamás", "tamas"},       {"Attila", "attila"},     {"Ferenc", "ferenc"},
    {"Dávid", "david"},       {"Bence", "bence"},       {"Máté", "mate"},
    {"Levente", "levente"},   {"Ádám", "adam"},         {"Csaba", "csaba"},
    {"Gergő", "gergo"},       {"Zsolt", "zsolt"},
};
static const struct nm last_hu[] = {
    {"Nagy", "nagy"},         {"Kovács", "kovacs"},   {"Tóth", "toth"},
    {"Szabó", "szabo"},       {"Horváth", "horvath"}, {"Varga", "varga"},
    {"Kiss", "kiss"},         {"Molnár", "molnar"},   {"Németh", "nemeth"},
    {"Farkas", "farkas"},     {"Balogh", "balogh"},   {"Papp", "papp"},
    {"Takács", "takacs"},     {"Juhász", "juhasz"},   {"Lakatos", "lakatos"},
    {"Mészáros", "meszaros"}, {"Oláh", "olah"},       {"Simon", "simon"},
    {"Rácz", "racz"},         {"Fekete", "fekete"},   {"Szilágyi", "szilagyi"},
    {"Török", "torok"},       {"Fehér", "feher"},     {"Gál", "gal"},
    {"Szűcs", "szucs"},       {"Kocsis", "kocsis"},   {"Pintér", "pinter"},
    {"Fodor", "fodor"},       {"Szalai", "szalai"},   {"Sipos", "sipos"},
    {"Magyar", "magyar"},     {"Lukács", "lukacs"},
};
static const struct nm first_en[] = {
    {"Olivia", "olivia"},       {"Emma", "emma"},     {"Amelia", "amelia"},
    {"Charlotte", "charlotte"}, {"Grace", "grace"},   {"Emily", "emily"},
    {"Jessica", "jessica"},     {"Sophie", "sophie"}, {"Hannah", "hannah"},
    {"Lucy", "lucy"},           {"Sarah", "sarah"},   {"Rachel", "rachel"},
    {"Megan", "megan"},         {"Chloe", "chloe"},   {"James", "james"},
    {"Oliver", "oliver"},       {"Jack", "jack"},     {"Harry", "harry"},
    {"George", "george"},       {"Thomas", "thomas"}, {"William", "william"},
    {"Daniel", "daniel"},       {"Samuel", "samuel"}, {"Joseph", "joseph"},
    {"Matthew", "matthew"},     {"David", "david"},   {"Michael", "michael"},
    {"Benjamin", "benjamin"},   {"Liam", "liam"},     {"Noah", "noah"},
    {"Ethan", "ethan"},         {"Connor", "connor"},
};
static const struct nm last_en[] = {
    {"Smith", "smith"},       {"Jones", "jones"},    {"Taylor", "taylor"},     {"Brown", "brown"},
    {"Williams", "williams"}, {"Wilson", "wilson"},  {"Johnson", "johnson"},   {"Davies", "davies"},
    {"Robinson", "robinson"}, {"Wright", "wright"},  {"Thompson", "thompson"}, {"Evans", "evans"},
    {"Walker", "walker"},     {"White", "white"},    {"Roberts", "roberts"},   {"Green", "green"},
    {"Hall", "hall"},         {"Wood", "wood"},      {"Jackson", "jackson"},   {"Clarke", "clarke"},
    {"Murphy", "murphy"},     {"O'Brien", "obrien"}, {"Kelly", "kelly"},       {"Walsh", "walsh"},
    {"Byrne", "byrne"},       {"Hughes", "hughes"},  {"Edwards", "edwards"},   {"Turner", "turner"},
    {"Parker", "parker"},     {"Cooper", "cooper"},  {"Ward", "ward"},         {"King", "king"},
};

#define NAMES(a) a, (int)(sizeof a / sizeof a[0])
static const struct {
    const struct nm *first;
    int nfirst;
    const struct nm *last;
    int nlast;
} name_tab[LANG_COUNT] = {
    [LANG_FI] = {NAMES(first_fi), NAMES(last_fi)},
    [LANG_EE] = {NAMES(first_ee), NAMES(last_ee)},
    [LANG_HU] = {NAMES(first_hu), NAMES(last_hu)},
    [LANG_EN] = {NAMES(first_en), NAMES(last_en)},
};

/* Reserved example domains (RFC 2606): the demo must never name a real
 * mailbox. */
static const char *const domains[] = {"example.com", "example.net", "example.org",
                                      "mail.example.com", "inbox.example.net"};
#define NDOMAIN ((int)(sizeof domains / sizeof domains[0]))

/* The English-speaking customers live in these countries. */
static const char *const en_countries[3] = {"GB", "IE", "US"};

/* Local hour of a visit, relative weights: quiet nights, a lunch bump and
 * the evening peak. */
static const uint16_t hour_weight[24] = {60,  35,  20,  15,  15,  25,  60,  120,
                                         180, 220, 240, 260, 290, 270, 250, 250,
                                         260, 280, 310, 350, 370, 340, 240, 130};

/* Visits per month (relative) and weekday (Sunday first). */
static const double month_factor[12] = {0.95, 0.85, 0.95, 0.95, 1.00, 0.90,
                                        0.80, 0.95, 1.00, 1.05, 1.45, 1.55};
static const double weekday_factor[7] = {1.15, 1.10, 1.05, 1.00, 0.95, 0.85, 0.85};

/* --- the behaviour's numbers -------------------------------------------- */

/* Hidden intent of a visitor: share per mille and how it scales buying. */
enum { INTENT_LOW, INTENT_MID, INTENT_HIGH, INTENT_COUNT };
static const uint16_t intent_share[INTENT_COUNT] = {550, 330, 120};
static const double intent_buy[INTENT_COUNT] = {0.35, 1.0, 2.6};
/* Chance that a visitor who has not bought comes back after a visit. */
static const double intent_return[INTENT_COUNT] = {0.45, 0.58, 0.68};

/* Loyalty after the first order; the share depends on intent (per mille). */
enum { CLASS_ONEOFF, CLASS_OCCASIONAL, CLASS_LOYAL, CLASS_COUNT };
static const uint16_t class_share[INTENT_COUNT][CLASS_COUNT] = {
    {620, 300, 80}, {500, 360, 140}, {380, 400, 220}};
/* Chance that a returning buyer's visit buys. */
static const double class_buy[CLASS_COUNT] = {0.12, 0.36, 0.34};
/* Chance that a buyer's visit is their last (before any win-back). */
static const double class_churn[CLASS_COUNT] = {0.35, 0.06, 0.012};
/* Mean days between a buyer's visits, a typical month after the first
 * order... */
static const double class_gap_days[CLASS_COUNT] = {35, 18, 13};
/* ...shorter right after it (GAP_START times) and growing by
 * GAP_GROWTH_PER_MONTH of it each month, so the chance of buying again is
 * highest in the next month and decays over the following ones. */
#define GAP_START            0.6
#define GAP_GROWTH_PER_MONTH 0.1

#define PRE_GAP_DAYS        8.0  /* mean gap between visits before buying */
#define RETURN_DECAY        0.85 /* each further visit makes a return less likely */
#define NOBUY_CART          0.25 /* a browsing visit that does not buy fills a cart */
#define NOBUY_CHECKOUT      0.45 /* ...and begins the checkout anyway */
#define CART_RECOVERY       0.35 /* a known abandoner comes back through the e-mail */
#define CART_RECOVERY_BUY   0.42
#define WINBACK_CHANCE      0.22 /* a lapsed, known customer is won back for a visit */
#define WINBACK_BUY         0.35
#define WINBACK_COUPON_PCT  15
#define NEWSLETTER_VISIT    0.04  /* a visit signs up for the newsletter */
#define NEWSLETTER_CHECKOUT 0.20  /* a buyer not yet subscribed ticks the box */
#define CHECKOUT_EMAIL      0.60  /* an abandoned checkout left its e-mail */
#define QUOTE_VISIT         0.002 /* a consumer asks for a quote */
#define QUOTE_BUSINESS      0.18  /* a business customer's visit asks for a quote */
#define BUSINESS_SHARE      0.015
#define BIG_SPENDER_SHARE   0.05 /* of loyal customers: big baskets, dear items */
#define ORDER_PROBLEM       0.06 /* damaged, wrong or late */
#define REFUND_IF_PROBLEM   0.65
#define REFUND_OTHERWISE    0.025
#define REVIEW_IF_PROBLEM   0.50
#define REVIEW_OTHERWISE    0.17
#define UNHAPPY_CHURN       2.5 /* unhappy customers leave sooner */
#define UNHAPPY_BUY         0.5
#define FREE_SHIPPING_CENTS 5900
#define SHIPPING_CENTS      490
#define TREND_GROWTH        0.45 /* the shop gets this much busier over the period */

/* --- random numbers ------------------------------------------------------ */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256** (Blackman and Vigna). */
static uint64_t rng_next(uint64_t s[4])
{
    uint64_t out = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* Natural logarithm of x > 0 with + - * / only (see the file comment):
 * x = m 2^e with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh((m-1)/(m+1)). */
static double ln_pos(double x)
{
    int e;
    double m = frexp(x, &e);
    if (m < 0.70710678118654752) {
        m *= 2;
        e--;
    }
    double s = (m - 1) / (m + 1), s2 = s * s;
    double series = 1 + s2 * (1.0 / 3 + s2 * (1.0 / 5 + s2 * (1.0 / 7 + s2 * (1.0 / 9 + s2 / 11))));
    return 2 * s * series + e * 0.69314718055994531;
}

/* --- the simulation's shared, read-only part ----------------------------- */

struct demo {
    struct demo_params p;
    int64_t from_ms, to_ms;
    int64_t first_day, ndays; /* local day numbers of the period */
    double *season;           /* per day: visit rate relative to an average day */
    double *buy_boost;        /* per day: how much more a visit buys (gift season) */
    double *arrive_cum;       /* per day: cumulative arrival weight */
    double season_max;
    uint32_t hour_cum[24];
    uint32_t pick_cum[CAT_COUNT + 1][NPROD]; /* by favourite category; last: dear items */
    char *page_props[PAGE_COUNT];
    char *product_props[NPROD];
    char *cart_props[NPROD][3]; /* quantity 1-3 */
    char *items_props[9];       /* {"items":N}, N 1-8 (0 unused) */
    char *signup_props[2];      /* where the signup happened */
    int64_t next_index;
    struct demo_journey *batch; /* the journey demo_step reuses */
};

/* Day number of the Friday after the fourth Thursday of November. */
static int64_t black_friday(int y)
{
    int64_t nov1 = civil_days(y, 11, 1);
    int wd = civil_weekday(nov1);
    int64_t first_thu = nov1 + (4 - wd + 7) % 7;
    return first_thu + 21 + 1;
}

static double day_season(int64_t day)
{
    int y, m, dd;
    civil_from_days(day, &y, &m, &dd);
    double f = month_factor[m - 1] * weekday_factor[civil_weekday(day)];
    int64_t bf = black_friday(y);
    if (day == bf)
        f *= 2.6;
    else if (day == bf + 3) /* Cyber Monday */
        f *= 1.9;
    else if (day > bf - 7 && day < bf + 3)
        f *= 1.3;
    if (m == 12 && dd >= 24 && dd <= 26)
        f *= 0.45;
    return f;
}

static double day_buy_boost(int64_t day)
{
    int y, m, dd;
    civil_from_days(day, &y, &m, &dd);
    int64_t bf = black_friday(y);
    if (day >= bf && day <= bf + 3)
        return 1.5;
    if (m == 12 && dd <= 22)
        return 1.3;
    if (m == 11)
        return 1.15;
    return 1.0;
}

static char *json_props_product(const struct product *pr, int qty)
{
    char q[24] = "";
    if (qty)
        snprintf(q, sizeof q, ",\"quantity\":%d", qty);
    return xasprintf("{\"product\":\"%s\",\"category\":\"%s\",\"price\":%d.%02d%s}", pr->name,
                     cat_names[pr->cat], (int)(pr->cents / 100), (int)(pr->cents % 100), q);
}

static char *page_path(int page)
{
    if (page == PAGE_HOME)
        return xstrdup("/");
    if (page >= PAGE_CATEGORY && page < PAGE_BLOG)
        return xasprintf("/c/%s", cat_names[page - PAGE_CATEGORY]);
    if (page >= PAGE_BLOG && page < PAGE_SEARCH)
        return xasprintf("/blog/%s", blog_slugs[page - PAGE_BLOG]);
    if (page >= PAGE_PRODUCT)
        return xasprintf("/p/%s", products[page - PAGE_PRODUCT].slug);
    static const char *const fixed[] = {"/search", "/about", "/shipping-and-returns",
                                        "/review", "/cart",  "/account"};
    return xstrdup(fixed[page - PAGE_SEARCH]);
}

static void build_tables(struct demo *d)
{
    d->season = xcalloc((size_t)d->ndays, sizeof *d->season);
    d->buy_boost = xcalloc((size_t)d->ndays, sizeof *d->buy_boost);
    d->arrive_cum = xcalloc((size_t)d->ndays, sizeof *d->arrive_cum);
    double cum = 0;
    for (int64_t i = 0; i < d->ndays; i++) {
        double s = day_season(d->first_day + i);
        d->season[i] = s;
        if (s > d->season_max)
            d->season_max = s;
        d->buy_boost[i] = day_buy_boost(d->first_day + i);
        cum += s * (1 + TREND_GROWTH * (double)i / (double)d->ndays);
        d->arrive_cum[i] = cum;
    }
    uint32_t h = 0;
    for (int i = 0; i < 24; i++)
        d->hour_cum[i] = h += hour_weight[i];
    for (int fav = 0; fav <= CAT_COUNT; fav++) {
        uint32_t c = 0;
        for (int i = 0; i < NPROD; i++) {
            uint32_t w = products[i].weight;
            if (fav == CAT_COUNT) /* big spenders: dear things, weighted by price */
                w = (uint32_t)(products[i].cents / 100) * 2 + w;
            else if (products[i].cat == fav)
                w *= 4;
            d->pick_cum[fav][i] = c += w;
        }
    }
    for (int i = 0; i < PAGE_COUNT; i++) {
        char *path = page_path(i);
        d->page_props[i] = xasprintf("{\"path\":\"%s\"}", path);
        free(path);
    }
    for (int i = 0; i < NPROD; i++) {
        d->product_props[i] = json_props_product(&products[i], 0);
        for (int q = 0; q < 3; q++)
            d->cart_props[i][q] = json_props_product(&products[i], q + 1);
    }
    for (int i = 1; i < 9; i++)
        d->items_props[i] = xasprintf("{\"items\":%d}", i);
    d->signup_props[0] = xstrdup("{\"form\":\"footer\"}");
    d->signup_props[1] = xstrdup("{\"form\":\"checkout\"}");
}

/* --- one customer's journey ---------------------------------------------- */

enum step_kind {
    ST_PAGE,
    ST_PRODUCT,
    ST_CART,
    ST_CHECKOUT,
    ST_PURCHASE,
    ST_NEWSLETTER,
    ST_QUOTE,
};

struct step {
    uint8_t kind, item, qty;
};

/* Things that happen days after an order, outside any visit. */
enum pend_kind { P_REFUND, P_REVIEW_VISIT, P_REVIEW };

struct pending {
    int64_t ts_ms;
    int32_t cents;   /* refund amount */
    int32_t session; /* review: the session its visit opened */
    uint16_t order;
    uint8_t kind, arg, product;
};

#define SCRIPT_MAX  48
#define PENDING_MAX 8
#define CART_MAX    6

enum {
    J_EMAIL = 1,      /* the shop knows the e-mail */
    J_NAME = 2,       /* ... and the name */
    J_SUBSCRIBED = 4, /* newsletter */
    J_UNHAPPY = 8,    /* an order went wrong */
    J_BUSINESS = 16,  /* asks for quotes */
    J_BIG = 32,       /* big spender */
    J_STARTED = 64,   /* the first event was emitted */
};

struct demo_journey {
    const struct demo *d;
    uint64_t rng[4];
    int64_t number;   /* customer number: index + 1 */
    int64_t last_ms;  /* the last event emitted, 0 before the first */
    int64_t visit_ms; /* start of the next session, INT64_MAX when none */
    int64_t step_ms;  /* planned time of script[pos] */
    int64_t first_order_ms;
    int32_t sessions, orders, visits;
    int32_t cur_session; /* the session regular steps belong to */
    uint8_t flags, lang, first, last, country, acq, intent, klass, fav, mailpat, domain;
    uint8_t mailnum;
    uint8_t next_ch, next_camp, ch, camp;
    uint8_t bought_now, carted_now; /* the running session has bought, filled a cart */
    /* the running session */
    struct step script[SCRIPT_MAX];
    int nsteps, pos;
    uint8_t cart_item[CART_MAX], cart_qty[CART_MAX];
    int ncart;
    int checkout_identifies;
    struct pending pend[PENDING_MAX];
    int npend;
    /* text of the row being returned */
    int32_t session_in_buf; /* which session number `session` holds */
    char key[24], session[40], event_id[40], email[96], name[96], props[256];
};

static uint64_t u64(struct demo_journey *j)
{
    return rng_next(j->rng);
}

/* Uniform in [0, 1). */
static double unit(struct demo_journey *j)
{
    return (double)(u64(j) >> 11) * (1.0 / 9007199254740992.0);
}

static int chance(struct demo_journey *j, double p)
{
    return unit(j) < p;
}

/* Uniform integer in [0, n). */
static uint32_t below(struct demo_journey *j, uint32_t n)
{
    return (uint32_t)(((u64(j) >> 32) * n) >> 32);
}

/* Exponential with the given mean. */
static double expo(struct demo_journey *j, double mean)
{
    double u = (double)((u64(j) >> 11) + 1) * (1.0 / 9007199254740992.0); /* (0, 1] */
    return -mean * ln_pos(u);
}

/* Failures before the first success at chance p, at most cap. */
static int geometric(struct demo_journey *j, double p, int cap)
{
    int n = 0;
    while (n < cap && !chance(j, p))
        n++;
    return n;
}

/* Index drawn from weights w[0..n). */
static int pick_weighted(struct demo_journey *j, const uint16_t *w, int n)
{
    uint32_t total = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    uint32_t r = below(j, total);
    for (int i = 0; i < n; i++) {
        if (r < w[i])
            return i;
        r -= w[i];
    }
    return n - 1;
}

/* Index drawn from a cumulative table. */
static int pick_cum(struct demo_journey *j, const uint32_t *cum, int n)
{
    uint32_t r = below(j, cum[n - 1]);
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (r < cum[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static int pick_product(struct demo_journey *j)
{
    const struct demo *d = j->d;
    if ((j->flags & J_BIG) && chance(j, 0.6))
        return pick_cum(j, d->pick_cum[CAT_COUNT], NPROD);
    return pick_cum(j, d->pick_cum[j->fav], NPROD);
}

static int64_t local_day(const struct demo *d, int64_t ts_ms)
{
    return period_local_day(d->p.tz, ts_ms);
}

static double season_at(const struct demo *d, int64_t day)
{
    int64_t i = day - d->first_day;
    return i >= 0 && i < d->ndays ? d->season[i] : 1.0;
}

static double buy_boost_at(const struct demo *d, int64_t day)
{
    int64_t i = day - d->first_day;
    return i >= 0 && i < d->ndays ? d->buy_boost[i] : 1.0;
}

/* A local time of day on local day `day`, as a UTC instant (whole seconds). */
static int64_t time_on_day(struct demo_journey *j, int64_t day)
{
    const struct demo *d = j->d;
    int hour = pick_cum(j, d->hour_cum, 24);
    int64_t local_s = day * 86400 + hour * 3600 + (int64_t)below(j, 3600);
    return tz_local_to_utc(d->p.tz, local_s) * 1000;
}

/* Start of the next visit after now_ms for a mean gap of mean_days, the rate
 * following the season (thinning: candidates at the peak rate, each kept
 * with the day's share of it); INT64_MAX when it falls after the period. */
static int64_t next_visit(struct demo_journey *j, int64_t now_ms, double mean_days)
{
    const struct demo *d = j->d;
    double mean_ms = mean_days * (double)DAY_MS / d->season_max;
    int64_t t = now_ms;
    int64_t day;
    for (;;) {
        t += (int64_t)expo(j, mean_ms) + 1;
        if (t >= d->to_ms)
            return INT64_MAX;
        day = local_day(d, t);
        if (unit(j) * d->season_max < season_at(d, day))
            break;
    }
    for (;;) {
        int64_t v = time_on_day(j, day);
        if (v >= now_ms + 20 * MIN_MS)
            return v < d->to_ms ? v : INT64_MAX;
        day++;
    }
}

static void schedule(struct demo_journey *j, const struct pending *p)
{
    if (j->npend < PENDING_MAX)
        j->pend[j->npend++] = *p;
}

static int pick_page_browse(struct demo_journey *j)
{
    uint32_t r = below(j, 100);
    if (r < 45)
        return PAGE_CATEGORY + (chance(j, 0.6) ? j->fav : (int)below(j, CAT_COUNT));
    if (r < 60)
        return PAGE_HOME;
    if (r < 75)
        return PAGE_BLOG + (int)below(j, 6);
    if (r < 90)
        return PAGE_SEARCH;
    return r < 95 ? PAGE_ABOUT : PAGE_SHIPPING;
}

/* The landing page of a visit: where the channel sends people. */
static int pick_landing(struct demo_journey *j)
{
    uint32_t r = below(j, 100);
    int product = PAGE_PRODUCT + pick_product(j);
    int category = PAGE_CATEGORY + (chance(j, 0.7) ? j->fav : (int)below(j, CAT_COUNT));
    int blog = PAGE_BLOG + (int)below(j, 6);
    switch (j->camp) {
    case CAMP_CART:
        return PAGE_CART;
    case CAMP_WINBACK:
        return PAGE_HOME;
    default:
        break;
    }
    switch (j->ch) {
    case CH_SEARCH:
        return r < 55 ? product : r < 85 ? category : blog;
    case CH_SOCIAL:
        return r < 40 ? blog : r < 80 ? product : PAGE_HOME;
    case CH_ADS:
        return r < 60 ? product : r < 85 ? category : PAGE_HOME;
    case CH_EMAIL:
        return r < 40 ? PAGE_HOME : r < 70 ? category : product;
    case CH_REFERRAL:
        return r < 50 ? product : r < 80 ? blog : PAGE_HOME;
    default: /* direct */
        return r < 80 ? PAGE_HOME : r < 90 ? product : PAGE_ACCOUNT;
    }
}

static void push(struct demo_journey *j, uint8_t kind, int item, int qty)
{
    if (j->nsteps < SCRIPT_MAX)
        j->script[j->nsteps++] = (struct step){kind, (uint8_t)item, (uint8_t)qty};
}

/* Seconds from one step to the next, by what comes next. */
static int64_t step_gap_ms(struct demo_journey *j, int kind, int after_landing_product)
{
    double s;
    if (after_landing_product)
        return 1000 + (int64_t)below(j, 2) * 1000;
    switch (kind) {
    case ST_CART:
        s = 4 + expo(j, 20);
        break;
    case ST_CHECKOUT:
        s = 15 + expo(j, 45);
        break;
    case ST_PURCHASE:
        s = 45 + expo(j, 120);
        break;
    case ST_NEWSLETTER:
        s = 5 + expo(j, 15);
        break;
    case ST_QUOTE:
        s = 40 + expo(j, 90);
        break;
    default:
        s = 8 + expo(j, 40);
        break;
    }
    return (int64_t)s * 1000;
}

/* Plan one visit: decide what it will do, write its steps. */
static void start_session(struct demo_journey *j)
{
    const struct demo *d = j->d;
    j->sessions++;
    j->cur_session = j->sessions;
    j->ch = j->next_ch;
    j->camp = j->next_camp;
    j->bought_now = j->carted_now = 0;
    j->nsteps = j->pos = 0;
    j->checkout_identifies = 0;
    int64_t day = local_day(d, j->visit_ms);

    double p;
    if (j->camp == CAMP_CART) {
        p = CART_RECOVERY_BUY;
    } else if (j->camp == CAMP_WINBACK) {
        p = WINBACK_BUY;
    } else if (j->orders == 0) {
        int v = j->visits < 3 ? j->visits : 3;
        p = ch_buy[j->ch] * intent_buy[j->intent] * (1 + 0.4 * v);
    } else {
        p = class_buy[j->klass];
        if (j->ch == CH_EMAIL)
            p *= 1.15;
        else if (j->ch == CH_SOCIAL)
            p *= 0.8;
        if (j->flags & J_UNHAPPY)
            p *= UNHAPPY_BUY;
    }
    p *= buy_boost_at(d, day);
    int buy = chance(j, p < 0.95 ? p : 0.95);
    int bounce =
        !buy && j->camp != CAMP_CART && chance(j, ch_bounce[j->ch] * (j->visits ? 0.7 : 1.0));

    int landing = pick_landing(j);
    push(j, ST_PAGE, landing, 0);
    if (landing >= PAGE_PRODUCT)
        push(j, ST_PRODUCT, landing - PAGE_PRODUCT, 0);
    if (bounce)
        return;

    if (j->camp == CAMP_CART && j->ncart > 0) {
        /* back to the cart the e-mail was about */
        if (buy) {
            push(j, ST_CHECKOUT, 0, 0);
            push(j, ST_PURCHASE, 0, 0);
        }
        return;
    }

    int browse = buy ? 1 + geometric(j, 0.2, 16) : 1 + geometric(j, 0.28, 14);
    int signup_at = !(j->flags & J_SUBSCRIBED) && chance(j, NEWSLETTER_VISIT)
                        ? (int)below(j, (uint32_t)browse + 1)
                        : -1;
    for (int i = 0; i < browse; i++) {
        if (i == signup_at)
            push(j, ST_NEWSLETTER, 0, 0);
        if (chance(j, 0.6))
            push(j, ST_PRODUCT, pick_product(j), 0);
        else
            push(j, ST_PAGE, pick_page_browse(j), 0);
    }
    if (signup_at == browse)
        push(j, ST_NEWSLETTER, 0, 0);
    if (chance(j, (j->flags & J_BUSINESS) ? QUOTE_BUSINESS : QUOTE_VISIT)) {
        int item = pick_product(j);
        push(j, ST_PRODUCT, item, 0);
        push(j, ST_QUOTE, item, 0);
    }

    int cart = buy || chance(j, NOBUY_CART);
    if (!cart)
        return;
    int n = 1;
    double more = (j->flags & J_BIG) ? 0.6 : 0.3;
    while (n < 4 && chance(j, more))
        n++;
    if (j->flags & J_BIG)
        n += (int)below(j, 2);
    j->ncart = 0;
    j->carted_now = 1;
    for (int i = 0; i < n && j->ncart < CART_MAX; i++) {
        int item = pick_product(j);
        uint32_t r = below(j, 100);
        int qty = r < 85 ? 1 : r < 97 ? 2 : 3;
        if (products[item].cat == CAT_COFFEE && r < 40)
            qty = 2;
        int last = j->nsteps - 1;
        if (j->script[last].kind != ST_PRODUCT || j->script[last].item != item)
            push(j, ST_PRODUCT, item, 0);
        push(j, ST_CART, item, qty);
        j->cart_item[j->ncart] = (uint8_t)item;
        j->cart_qty[j->ncart] = (uint8_t)qty;
        j->ncart++;
    }
    if (buy || chance(j, NOBUY_CHECKOUT)) {
        push(j, ST_PAGE, PAGE_CART, 0);
        push(j, ST_CHECKOUT, 0, 0);
        j->checkout_identifies = !buy && chance(j, CHECKOUT_EMAIL);
    }
    if (buy) {
        push(j, ST_PURCHASE, 0, 0);
        if (!(j->flags & J_SUBSCRIBED) && chance(j, NEWSLETTER_CHECKOUT))
            push(j, ST_NEWSLETTER, 1, 0);
    }
}

/* After a visit: will there be another, when, and through which channel. */
static void end_session(struct demo_journey *j, int64_t now_ms)
{
    int carted = j->carted_now && !j->bought_now;
    j->visits++;
    j->next_camp = CAMP_NONE;
    j->visit_ms = INT64_MAX;
    double gap;
    if (carted && (j->flags & J_EMAIL) && chance(j, CART_RECOVERY)) {
        j->next_ch = CH_EMAIL;
        j->next_camp = CAMP_CART;
        int64_t t = now_ms + 4 * 3600 * INT64_C(1000) + (int64_t)expo(j, 1.2 * 86400) * 1000;
        j->visit_ms = t < j->d->to_ms ? t : INT64_MAX;
        return;
    }
    if (j->orders == 0) {
        double ret = intent_return[j->intent];
        for (int i = 1; i < j->visits && i < 8; i++)
            ret *= RETURN_DECAY;
        if (!chance(j, ret))
            return;
        gap = PRE_GAP_DAYS;
    } else {
        double churn = class_churn[j->klass] * ((j->flags & J_UNHAPPY) ? UNHAPPY_CHURN : 1);
        if (j->camp != CAMP_WINBACK && chance(j, churn)) {
            /* lapsed; the shop may win a known customer back for a visit */
            if (!(j->flags & J_EMAIL) || !chance(j, WINBACK_CHANCE))
                return;
            int64_t t = now_ms + 90 * DAY_MS + (int64_t)below(j, 150) * DAY_MS;
            if (t >= j->d->to_ms)
                return;
            j->next_ch = CH_EMAIL;
            j->next_camp = CAMP_WINBACK;
            j->visit_ms = time_on_day(j, local_day(j->d, t));
            if (j->visit_ms >= j->d->to_ms)
                j->visit_ms = INT64_MAX;
            return;
        }
        double months = (double)(now_ms - j->first_order_ms) / (double)MONTH_MS;
        gap = class_gap_days[j->klass] * (GAP_START + GAP_GROWTH_PER_MONTH * months);
    }
    j->visit_ms = next_visit(j, now_ms, gap);
    /* returning visits: often the first channel again, else the usual mix */
    if (chance(j, 0.35)) {
        j->next_ch = j->acq;
    } else {
        int ch = pick_weighted(j, ch_return, CH_COUNT);
        if (ch == CH_EMAIL && !(j->flags & J_EMAIL))
            ch = CH_SEARCH;
        j->next_ch = (uint8_t)ch;
    }
    if (j->next_ch == CH_EMAIL && (j->flags & J_EMAIL))
        j->next_camp = CAMP_NEWSLETTER;
}

static void journey_start(const struct demo *d, struct demo_journey *j, int64_t index)
{
    memset(j, 0, sizeof *j);
    j->d = d;
    uint64_t x = d->p.seed;
    uint64_t mix = splitmix64(&x) ^ ((uint64_t)index * UINT64_C(0xD1B54A32D192ED03));
    for (int i = 0; i < 4; i++)
        j->rng[i] = splitmix64(&mix);
    j->number = index + 1;
    snprintf(j->key, sizeof j->key, "c%06" PRId64, j->number);
    j->session_in_buf = -1;

    /* who */
    j->lang = (uint8_t)pick_weighted(j, lang_share, LANG_COUNT);
    j->first = (uint8_t)below(j, (uint32_t)name_tab[j->lang].nfirst);
    j->last = (uint8_t)below(j, (uint32_t)name_tab[j->lang].nlast);
    j->country = j->lang == LANG_EN ? (uint8_t)below(j, 3) : 0;
    j->mailpat = (uint8_t)below(j, 100);
    j->mailnum = (uint8_t)below(j, 100);
    j->domain = (uint8_t)below(j, NDOMAIN);
    j->acq = (uint8_t)pick_weighted(j, ch_acquire, CH_COUNT);
    j->intent = (uint8_t)pick_weighted(j, intent_share, INTENT_COUNT);
    j->klass = (uint8_t)pick_weighted(j, class_share[j->intent], CLASS_COUNT);
    j->fav = (uint8_t)below(j, CAT_COUNT);
    if (chance(j, BUSINESS_SHARE))
        j->flags |= J_BUSINESS;
    if (j->klass == CLASS_LOYAL && chance(j, BIG_SPENDER_SHARE))
        j->flags |= J_BIG;

    /* when: a day on the seasonal, growing curve, then an hour */
    double r = unit(j) * d->arrive_cum[d->ndays - 1];
    int64_t lo = 0, hi = d->ndays - 1;
    while (lo < hi) {
        int64_t mid = (lo + hi) / 2;
        if (r < d->arrive_cum[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    j->visit_ms = time_on_day(j, d->first_day + lo);
    j->next_ch = j->acq;
    j->next_camp = j->acq == CH_EMAIL ? CAMP_NEWSLETTER : CAMP_NONE;
    j->pos = j->nsteps = 0;
    j->step_ms = INT64_MAX;
}

/* --- turning steps into rows --------------------------------------------- */

static const char *country_code(const struct demo_journey *j)
{
    static const char *const codes[LANG_COUNT] = {"FI", "EE", "HU", NULL};
    return j->lang == LANG_EN ? en_countries[j->country] : codes[j->lang];
}

static void format_identity(struct demo_journey *j)
{
    const struct nm *f = &name_tab[j->lang].first[j->first];
    const struct nm *l = &name_tab[j->lang].last[j->last];
    /* Hungarian names are written family name first */
    if (j->lang == LANG_HU)
        snprintf(j->name, sizeof j->name, "%s %s", l->text, f->text);
    else
        snprintf(j->name, sizeof j->name, "%s %s", f->text, l->text);
    const char *dom = domains[j->domain];
    int p = j->mailpat, n = j->mailnum;
    if (p < 30)
        snprintf(j->email, sizeof j->email, "%s.%s@%s", f->ascii, l->ascii, dom);
    else if (p < 40)
        snprintf(j->email, sizeof j->email, "%s%s@%s", f->ascii, l->ascii, dom);
    else if (p < 60)
        snprintf(j->email, sizeof j->email, "%s.%s%d@%s", f->ascii, l->ascii, 10 + n % 90, dom);
    else if (p < 70)
        snprintf(j->email, sizeof j->email, "%c.%s@%s", f->ascii[0], l->ascii, dom);
    else if (p < 85)
        snprintf(j->email, sizeof j->email, "%s_%s%02d@%s", f->ascii, l->ascii, (60 + n % 47) % 100,
                 dom);
    else if (p < 95)
        snprintf(j->email, sizeof j->email, "%s%d@%s", f->ascii, 100 + n * 9, dom);
    else
        snprintf(j->email, sizeof j->email, "%s.%s@%s", l->ascii, f->ascii, dom);
}

/* Put the customer's e-mail (and name) on this row when the shop learns
 * them now. */
static void identify(struct demo_journey *j, struct import_row *row, int with_name)
{
    int had = j->flags & (with_name ? J_NAME : J_EMAIL);
    if (had)
        return;
    format_identity(j);
    j->flags |= J_EMAIL | (with_name ? J_NAME : 0);
    row->email = j->email;
    row->name = (j->flags & J_NAME) ? j->name : NULL;
    row->country = country_code(j);
}

static void set_session(struct demo_journey *j, struct import_row *row, int32_t session)
{
    if (j->session_in_buf != session) {
        snprintf(j->session, sizeof j->session, "s%06" PRId64 "-%" PRId32, j->number, session);
        j->session_in_buf = session;
    }
    row->session = j->session;
}

static void set_value(struct import_row *row, int64_t cents)
{
    row->value = (double)cents / 100.0;
    row->has_value = 1;
}

static int32_t line_cents(int item, int qty)
{
    return products[item].cents * qty;
}

/* The order of the running session: value, ids, and what follows it. */
static void emit_purchase(struct demo_journey *j, struct import_row *row)
{
    const struct demo *d = j->d;
    int64_t subtotal = 0;
    int items = 0;
    for (int i = 0; i < j->ncart; i++) {
        subtotal += line_cents(j->cart_item[i], j->cart_qty[i]);
        items += j->cart_qty[i];
    }
    int64_t total = subtotal;
    if (j->camp == CAMP_WINBACK)
        total -= (subtotal * WINBACK_COUPON_PCT + 50) / 100;
    if (subtotal < FREE_SHIPPING_CENTS)
        total += SHIPPING_CENTS;
    j->orders++;
    if (j->orders == 1)
        j->first_order_ms = row->ts_ms;
    j->bought_now = 1;
    row->event = "purchase";
    set_value(row, total);
    snprintf(j->event_id, sizeof j->event_id, "o%06" PRId64 "-%" PRId32, j->number, j->orders);
    row->event_id = j->event_id;
    if (j->camp == CAMP_WINBACK) {
        snprintf(j->props, sizeof j->props, "{\"items\":%d,\"coupon\":\"WINBACK%d\"}", items,
                 WINBACK_COUPON_PCT);
        row->props = j->props;
    } else {
        row->props = d->items_props[items < 8 ? items : 8];
    }
    identify(j, row, 1);

    /* what the order leads to, days later */
    int problem = chance(j, ORDER_PROBLEM);
    if (problem)
        j->flags |= J_UNHAPPY;
    uint16_t order = (uint16_t)(j->orders < 65535 ? j->orders : 65535);
    if (chance(j, problem ? REFUND_IF_PROBLEM : REFUND_OTHERWISE)) {
        struct pending p = {0};
        p.kind = P_REFUND;
        p.order = order;
        p.ts_ms = row->ts_ms + 4 * DAY_MS + (int64_t)below(j, 24 * 86400) * 1000;
        /* a whole order, or the first line of a bigger one */
        p.cents = (int32_t)total;
        if (j->ncart > 1 && chance(j, 0.4))
            p.cents = line_cents(j->cart_item[0], j->cart_qty[0]);
        p.arg = (uint8_t)(problem ? below(j, 3) : 3);
        schedule(j, &p);
    }
    if (j->npend + 2 <= PENDING_MAX && chance(j, problem ? REVIEW_IF_PROBLEM : REVIEW_OTHERWISE)) {
        struct pending v = {0};
        v.kind = P_REVIEW_VISIT;
        v.order = order;
        v.ts_ms = row->ts_ms + 5 * DAY_MS + (int64_t)below(j, 16 * 86400) * 1000;
        uint32_t r = below(j, 100);
        int rating = problem ? (r < 55 ? 1 : 2) : r < 55 ? 5 : r < 87 ? 4 : r < 98 ? 3 : 2;
        struct pending w = v;
        w.kind = P_REVIEW;
        w.ts_ms = v.ts_ms + 30000 + (int64_t)below(j, 170) * 1000;
        w.arg = (uint8_t)rating;
        w.product = j->cart_item[below(j, (uint32_t)j->ncart)];
        schedule(j, &v);
        schedule(j, &w);
    }
    j->ncart = 0;
}

static void emit_step(struct demo_journey *j, const struct step *s, struct import_row *row)
{
    const struct demo *d = j->d;
    row->channel = ch_names[j->ch];
    set_session(j, row, j->cur_session);
    switch (s->kind) {
    case ST_PAGE:
        row->event = "page_view";
        row->props = d->page_props[s->item];
        if (s == &j->script[0] && j->camp != CAMP_NONE) {
            char *path = page_path(s->item);
            snprintf(j->props, sizeof j->props, "{\"path\":\"%s\",\"campaign\":\"%s\"}", path,
                     camp_names[j->camp]);
            free(path);
            row->props = j->props;
        }
        break;
    case ST_PRODUCT:
        row->event = "product_view";
        row->props = d->product_props[s->item];
        break;
    case ST_CART:
        row->event = "add_to_cart";
        row->props = d->cart_props[s->item][s->qty - 1];
        break;
    case ST_CHECKOUT: {
        int items = 0;
        for (int i = 0; i < j->ncart; i++)
            items += j->cart_qty[i];
        row->event = "begin_checkout";
        row->props = d->items_props[items < 8 ? items : 8];
        if (j->checkout_identifies)
            identify(j, row, 1);
        break;
    }
    case ST_PURCHASE:
        emit_purchase(j, row);
        break;
    case ST_NEWSLETTER:
        row->event = "newsletter_signup";
        row->props = d->signup_props[s->item];
        j->flags |= J_SUBSCRIBED;
        identify(j, row, 0);
        break;
    case ST_QUOTE:
        row->event = "quote_request";
        snprintf(j->props, sizeof j->props, "{\"product\":\"%s\",\"quantity\":%d}",
                 products[s->item].name, 10 * (1 + (int)below(j, 20)));
        row->props = j->props;
        identify(j, row, 1);
        break;
    }
}

static const char *const refund_reasons[4] = {"damaged", "wrong_item", "late_delivery",
                                              "changed_mind"};

static void emit_pending(struct demo_journey *j, int k, struct import_row *row)
{
    struct pending p = j->pend[k];
    j->pend[k] = j->pend[--j->npend];
    switch (p.kind) {
    case P_REFUND:
        /* a back-office event: no visit, no channel */
        row->event = "refund";
        set_value(row, -(int64_t)p.cents);
        snprintf(j->event_id, sizeof j->event_id, "r%06" PRId64 "-%d", j->number, p.order);
        row->event_id = j->event_id;
        snprintf(j->props, sizeof j->props, "{\"order\":\"o%06" PRId64 "-%d\",\"reason\":\"%s\"}",
                 j->number, p.order, refund_reasons[p.arg]);
        row->props = j->props;
        break;
    case P_REVIEW_VISIT:
        /* the review request e-mail opens a short visit of its own */
        j->sessions++;
        for (int i = 0; i < j->npend; i++)
            if (j->pend[i].kind == P_REVIEW && j->pend[i].order == p.order)
                j->pend[i].session = j->sessions;
        row->event = "page_view";
        row->channel = ch_names[CH_EMAIL];
        set_session(j, row, j->sessions);
        snprintf(j->props, sizeof j->props, "{\"path\":\"/review\",\"campaign\":\"%s\"}",
                 camp_names[CAMP_REVIEW]);
        row->props = j->props;
        break;
    case P_REVIEW:
        row->event = "review";
        row->channel = ch_names[CH_EMAIL];
        set_session(j, row, p.session);
        snprintf(j->props, sizeof j->props, "{\"rating\":%d,\"product\":\"%s\"}", p.arg,
                 products[p.product].name);
        row->props = j->props;
        break;
    }
}

/* What comes next: the pending index, or -1 for the session, and its time. */
static int64_t next_planned(const struct demo_journey *j, int *which)
{
    int64_t t = j->pos < j->nsteps ? j->step_ms : j->visit_ms;
    *which = -1;
    for (int i = 0; i < j->npend; i++)
        if (j->pend[i].ts_ms < t) {
            t = j->pend[i].ts_ms;
            *which = i;
        }
    return t;
}

/* Events of one customer are a second apart at least, so no two share a
 * timestamp and the store's de-duplication never merges them. */
static int64_t bump(const struct demo_journey *j, int64_t t)
{
    int64_t min = j->last_ms ? j->last_ms + 1000 : 0;
    return t > min ? t : min;
}

int64_t demo_journey_peek_ms(const struct demo_journey *j)
{
    int which;
    int64_t t = next_planned(j, &which);
    if (t == INT64_MAX)
        return INT64_MAX;
    t = bump(j, t);
    return t < j->d->to_ms ? t : INT64_MAX;
}

int demo_journey_next(struct demo_journey *j, struct import_row *row)
{
    for (;;) {
        int which;
        int64_t t = next_planned(j, &which);
        if (t == INT64_MAX)
            return 0;
        t = bump(j, t);
        if (t >= j->d->to_ms) {
            /* everything left is later still: the period is over */
            j->npend = 0;
            j->nsteps = j->pos = 0;
            j->visit_ms = INT64_MAX;
            return 0;
        }
        if (which < 0 && j->pos >= j->nsteps) {
            start_session(j);
            j->step_ms = j->visit_ms;
            j->visit_ms = INT64_MAX;
            continue;
        }
        memset(row, 0, sizeof *row);
        row->customer = j->key;
        row->ts_ms = t;
        if (!(j->flags & J_STARTED)) {
            j->flags |= J_STARTED;
            row->country = country_code(j);
        }
        if (which >= 0) {
            emit_pending(j, which, row);
        } else {
            const struct step *s = &j->script[j->pos++];
            emit_step(j, s, row);
            if (j->pos < j->nsteps)
                j->step_ms =
                    t + step_gap_ms(j, j->script[j->pos].kind,
                                    s->kind == ST_PAGE && s->item >= PAGE_PRODUCT && j->pos == 1);
            else
                end_session(j, t);
        }
        j->last_ms = t;
        return 1;
    }
}

struct demo_journey *demo_journey_new(const struct demo *d, int64_t index)
{
    struct demo_journey *j = xmalloc(sizeof *j);
    journey_start(d, j, index);
    return j;
}

void demo_journey_free(struct demo_journey *j)
{
    free(j);
}

/* --- the whole shop -------------------------------------------------------- */

/* Day number of a "YYYY-MM-DD" of demo.h, so the dates live in one place. */
static int64_t day_of(const char *ymd)
{
    int y = 0, m = 0, dd = 0;
    sscanf(ymd, "%d-%d-%d", &y, &m, &dd);
    return civil_days(y, m, dd);
}

void demo_days(const struct demo_params *p, int64_t *first_day, int64_t *last_day)
{
    int64_t span = day_of(DEMO_LAST_DAY) - day_of(DEMO_FIRST_DAY);
    *last_day = p->last_day ? p->last_day : day_of(DEMO_LAST_DAY);
    *first_day = *last_day - span;
}

int demo_open(const struct demo_params *p, struct demo **out, struct ct_error *err)
{
    *out = NULL;
    if (!p->tz)
        return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0, "the demo needs a time zone");
    if (p->customers < 1 || p->customers > DEMO_MAX_CUSTOMERS)
        return ct_error_set(err, CT_ERR_USAGE, NULL, 0, 0,
                            "the number of demo customers must be 1 to %" PRId64,
                            DEMO_MAX_CUSTOMERS);
    struct demo *d = xcalloc(1, sizeof *d);
    d->p = *p;
    int64_t last_day;
    demo_days(p, &d->first_day, &last_day);
    int64_t end_day = last_day + 1;
    d->ndays = end_day - d->first_day;
    d->from_ms = period_day_start_ms(p->tz, d->first_day);
    d->to_ms = period_day_start_ms(p->tz, end_day);
    build_tables(d);
    d->batch = xmalloc(sizeof *d->batch);
    *out = d;
    return 0;
}

void demo_close(struct demo *d)
{
    if (!d)
        return;
    free(d->season);
    free(d->buy_boost);
    free(d->arrive_cum);
    for (int i = 0; i < PAGE_COUNT; i++)
        free(d->page_props[i]);
    for (int i = 0; i < NPROD; i++) {
        free(d->product_props[i]);
        for (int q = 0; q < 3; q++)
            free(d->cart_props[i][q]);
    }
    for (int i = 1; i < 9; i++)
        free(d->items_props[i]);
    free(d->signup_props[0]);
    free(d->signup_props[1]);
    free(d->batch);
    free(d);
}

void demo_range(const struct demo *d, int64_t *from_ms, int64_t *to_ms)
{
    *from_ms = d->from_ms;
    *to_ms = d->to_ms;
}

int demo_finished(const struct demo *d)
{
    return d->next_index >= d->p.customers;
}

int64_t demo_customers_done(const struct demo *d)
{
    return d->next_index;
}

int demo_step(struct demo *d, demo_row_fn fn, void *ctx)
{
    if (demo_finished(d))
        return 0;
    journey_start(d, d->batch, d->next_index++);
    struct import_row row;
    while (demo_journey_next(d->batch, &row)) {
        int rc = fn(&row, ctx);
        if (rc)
            return rc;
    }
    return 0;
}

int demo_run(struct demo *d, demo_row_fn fn, void *ctx)
{
    while (!demo_finished(d)) {
        int rc = demo_step(d, fn, ctx);
        if (rc)
            return rc;
    }
    return 0;
}
