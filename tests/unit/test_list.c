/*
 * test_list.c - the arithmetic under every table on screen: list_layout's
 * column widths, list_action's moves, list_scroll's window, and the text
 * forms of ui/format.c.  No terminal: list_draw is the only curses caller in
 * list.c and is not called here (the tmux tests in tests/tty draw).
 */
#include "common.h"

#include "ui/format.h"
#include "ui/list.h"

#define N_OF(a) (sizeof(a) / sizeof *(a))

/* The customers pane's columns (ui/pane_customers.c): head, want, min,
 * flex, right.  Minimums add up to 75, plus 7 separators: 82. */
static const struct list_col people[] = {
    {"key", 10, 8, 0, 0},   {"name", 20, 14, 1, 0},      {"e-mail", 28, 18, 1, 0},
    {"orders", 6, 6, 0, 1}, {"net spend", 10, 9, 0, 1},  {"tier", 6, 6, 0, 0},
    {"risk", 5, 4, 0, 0},   {"last seen", 10, 10, 0, 0},
};

static void expect_widths(const struct list_col *cols, size_t n, int total, size_t shown,
                          const int *want)
{
    int w[16];
    assert_int_equal(list_layout(cols, n, total, w), shown);
    for (size_t c = 0; c < n; c++) {
        if (w[c] != want[c])
            fail_msg("total %d, column %zu (%s): width %d, want %d", total, c, cols[c].head, w[c],
                     want[c]);
    }
}

static void test_layout_80(void **state)
{
    (void)state;
    /* 80: the minimums need 82, so "last seen" goes (65 + 6 = 71); the fixed
     * columns grow to their wants (key +2, net spend +1, risk +1: 75), then
     * the first flex column takes the 5 left: name 19, e-mail stays 18.
     * 10+19+18+6+10+6+5 = 74, + 6 separators = 80. */
    expect_widths(people, N_OF(people), 80, 7, (const int[]){10, 19, 18, 6, 10, 6, 5, 0});
    /* 78 (the pane inside its margins): name gets 3 of its 6 */
    expect_widths(people, N_OF(people), 78, 7, (const int[]){10, 17, 18, 6, 10, 6, 5, 0});
    /* 81: one short of every minimum: the rightmost column still goes */
    expect_widths(people, N_OF(people), 81, 7, (const int[]){10, 20, 18, 6, 10, 6, 5, 0});
    /* 82: every column at its minimum */
    expect_widths(people, N_OF(people), 82, 8, (const int[]){8, 14, 18, 6, 9, 6, 4, 10});
    /* 84: the 2 spare columns go to the fixed key column before any flex one */
    expect_widths(people, N_OF(people), 84, 8, (const int[]){10, 14, 18, 6, 9, 6, 4, 10});
}

static void test_layout_200(void **state)
{
    (void)state;
    /* Every column at its want: 95 + 7 = 102; 98 spare shared by the flex
     * columns in proportion to their wants (20 and 28 of 48):
     * name 20 + 98*20/48 = 20 + 40, e-mail 28 + 98*28/48 = 28 + 57; the
     * division rounds down, so one column stays unused: 199 of 200. */
    expect_widths(people, N_OF(people), 200, 8, (const int[]){10, 60, 85, 6, 10, 6, 5, 10});
    /* exact shares: wants 10 and 30, 40 spare -> +10 and +30 */
    static const struct list_col two[] = {{"a", 10, 5, 1, 0}, {"b", 30, 5, 1, 0}};
    expect_widths(two, 2, 81, 2, (const int[]){20, 60});
    /* below the wants, flex columns grow left first: 21 = 10 + 1 + 10 */
    expect_widths(two, 2, 21, 2, (const int[]){10, 10});
    expect_widths(two, 2, 16, 2, (const int[]){10, 5});
}

static void test_layout_tiny(void **state)
{
    (void)state;
    /* one column is always shown, cut to what there is */
    expect_widths(people, N_OF(people), 10, 1, (const int[]){10, 0, 0, 0, 0, 0, 0, 0});
    expect_widths(people, N_OF(people), 8, 1, (const int[]){8, 0, 0, 0, 0, 0, 0, 0});
    expect_widths(people, N_OF(people), 5, 1, (const int[]){5, 0, 0, 0, 0, 0, 0, 0});
    expect_widths(people, N_OF(people), 0, 1, (const int[]){0, 0, 0, 0, 0, 0, 0, 0});
    expect_widths(people, N_OF(people), -7, 1, (const int[]){0, 0, 0, 0, 0, 0, 0, 0});
    /* key + name need 8 + 1 + 14 = 23 */
    expect_widths(people, N_OF(people), 22, 1, (const int[]){10, 0, 0, 0, 0, 0, 0, 0});
    expect_widths(people, N_OF(people), 23, 2, (const int[]){8, 14, 0, 0, 0, 0, 0, 0});
    int w[1] = {-1};
    assert_int_equal(list_layout(people, 0, 80, w), 0);
    assert_int_equal(w[0], -1);
}

/* For every width: the columns and separators never pass the width; hidden
 * columns are the rightmost and get 0; shown ones get their minimum (unless
 * a lone column is cut); fixed columns never pass their want; more width
 * never shows fewer columns. */
static void check_layout_invariants(const struct list_col *cols, size_t n)
{
    size_t last_shown = 0;
    for (int total = -3; total <= 320; total++) {
        int w[16];
        size_t shown = list_layout(cols, n, total, w);
        assert_true(shown >= 1 && shown <= n);
        assert_true(shown >= last_shown);
        last_shown = shown;
        int sum = (int)shown - 1;
        for (size_t c = 0; c < n; c++) {
            if (c >= shown) {
                assert_int_equal(w[c], 0);
                continue;
            }
            sum += w[c];
            if (shown > 1 || total >= cols[0].min)
                assert_true(w[c] >= cols[c].min);
            if (!cols[c].flex)
                assert_true(w[c] <= (cols[c].width > cols[c].min ? cols[c].width : cols[c].min));
        }
        assert_true(sum <= (total > 0 ? total : 0));
        /* with room for every want, at most one column per flex column is
         * lost to rounding */
        int wants = (int)n - 1, flex = 0;
        for (size_t c = 0; c < n; c++) {
            wants += cols[c].width > cols[c].min ? cols[c].width : cols[c].min;
            flex += cols[c].flex != 0;
        }
        if (total >= wants && flex)
            assert_true(total - sum <= flex);
    }
}

static void test_layout_invariants(void **state)
{
    (void)state;
    check_layout_invariants(people, N_OF(people));
    static const struct list_col goals[] = {
        {"Goal", 24, 12, 1, 0},      {"kind", 6, 5, 0, 0},        {"completions", 11, 8, 0, 1},
        {"converters", 10, 8, 0, 1}, {"conv. rate", 10, 7, 0, 1}, {"revenue", 12, 9, 0, 1},
    };
    check_layout_invariants(goals, N_OF(goals));
    static const struct list_col odd[] = {
        {"a", 3, 3, 0, 0}, {"b", 1, 4, 1, 0}, {"c", 50, 2, 1, 1},
        {"d", 0, 0, 0, 0}, {"e", 7, 7, 1, 0},
    };
    check_layout_invariants(odd, N_OF(odd));
}

static void test_action_edges(void **state)
{
    (void)state;
    struct list l = {0};
    /* an empty list: nothing moves, nothing breaks */
    static const enum action moves[] = {ACT_UP,        ACT_DOWN, ACT_PAGE_UP,
                                        ACT_PAGE_DOWN, ACT_HOME, ACT_END};
    for (size_t i = 0; i < N_OF(moves); i++) {
        assert_int_equal(list_action(&l, moves[i]), 0);
        assert_int_equal(l.sel, 0);
    }
    list_scroll(&l, 5);
    assert_int_equal(l.top, 0);

    list_set_count(&l, 10);
    assert_int_equal(list_action(&l, ACT_UP), 0); /* already at the top */
    assert_int_equal(list_action(&l, ACT_DOWN), 1);
    assert_int_equal(l.sel, 1);
    assert_int_equal(list_action(&l, ACT_END), 1);
    assert_int_equal(l.sel, 9);
    assert_int_equal(list_action(&l, ACT_DOWN), 0); /* already at the bottom */
    assert_int_equal(list_action(&l, ACT_END), 0);
    assert_int_equal(list_action(&l, ACT_HOME), 1);
    assert_int_equal(l.sel, 0);
    assert_int_equal(list_action(&l, ACT_HOME), 0);
    /* not list moves */
    assert_int_equal(list_action(&l, ACT_LEFT), 0);
    assert_int_equal(list_action(&l, ACT_ENTER), 0);
    assert_int_equal(list_action(&l, ACT_NONE), 0);

    /* a page is the visible height less one row of overlap: 5 rows -> 4 */
    list_scroll(&l, 5);
    assert_int_equal(list_action(&l, ACT_PAGE_DOWN), 1);
    assert_int_equal(l.sel, 4);
    assert_int_equal(list_action(&l, ACT_PAGE_DOWN), 1);
    assert_int_equal(l.sel, 8);
    assert_int_equal(list_action(&l, ACT_PAGE_DOWN), 1); /* 12 -> the last, 9 */
    assert_int_equal(l.sel, 9);
    assert_int_equal(list_action(&l, ACT_PAGE_DOWN), 0);
    assert_int_equal(list_action(&l, ACT_PAGE_UP), 1);
    assert_int_equal(l.sel, 5);
    assert_int_equal(list_action(&l, ACT_PAGE_UP), 1);
    assert_int_equal(l.sel, 1);
    assert_int_equal(list_action(&l, ACT_PAGE_UP), 1); /* -3 -> the first, 0 */
    assert_int_equal(l.sel, 0);
    assert_int_equal(list_action(&l, ACT_PAGE_UP), 0);

    /* never drawn (height 0) or one row high: a page is one row */
    struct list m = {0};
    list_set_count(&m, 3);
    assert_int_equal(list_action(&m, ACT_PAGE_DOWN), 1);
    assert_int_equal(m.sel, 1);
    list_scroll(&m, 1);
    assert_int_equal(list_action(&m, ACT_PAGE_DOWN), 1);
    assert_int_equal(m.sel, 2);

    /* one row: nothing moves */
    struct list one = {0};
    list_set_count(&one, 1);
    for (size_t i = 0; i < N_OF(moves); i++)
        assert_int_equal(list_action(&one, moves[i]), 0);
}

static void test_count_and_select(void **state)
{
    (void)state;
    struct list l = {0};
    list_set_count(&l, 100);
    list_select(&l, 50);
    list_scroll(&l, 10);
    assert_int_equal(l.sel, 50);
    assert_int_equal(l.top, 41);
    /* the list shrinks under the selection (a refresh, a search) */
    list_set_count(&l, 20);
    assert_int_equal(l.sel, 19);
    assert_true(l.top <= l.sel);
    list_scroll(&l, 10);
    assert_int_equal(l.top, 10);
    list_set_count(&l, 0);
    assert_int_equal(l.sel, 0);
    assert_int_equal(l.top, 0);
    list_set_count(&l, 5);
    list_select(&l, 99); /* past the end: the last row */
    assert_int_equal(l.sel, 4);
    list_select(&l, 2);
    assert_int_equal(l.sel, 2);
}

static void test_scroll(void **state)
{
    (void)state;
    struct list l = {0};
    list_set_count(&l, 100);
    list_scroll(&l, 10);
    assert_int_equal(l.top, 0);
    assert_int_equal(l.height, 10);
    /* down past the window: the selection becomes the bottom row */
    list_select(&l, 15);
    list_scroll(&l, 10);
    assert_int_equal(l.top, 6);
    /* up past the window: the selection becomes the top row */
    list_select(&l, 3);
    list_scroll(&l, 10);
    assert_int_equal(l.top, 3);
    /* inside the window: no scrolling */
    list_select(&l, 12);
    list_scroll(&l, 10);
    assert_int_equal(l.top, 3);
    /* the end: no blank rows under the last one */
    list_action(&l, ACT_END);
    list_scroll(&l, 10);
    assert_int_equal(l.top, 90);
    /* a taller window (a resize) shows more of the end, not blank rows */
    list_scroll(&l, 30);
    assert_int_equal(l.top, 70);
    /* a list shorter than the window starts at the top */
    list_set_count(&l, 4);
    list_scroll(&l, 30);
    assert_int_equal(l.top, 0);
    /* no rows to draw in: nothing changes */
    list_set_count(&l, 100);
    list_select(&l, 60);
    list_scroll(&l, 0);
    assert_int_equal(l.height, 30);
    list_scroll(&l, -2);
    assert_int_equal(l.height, 30);

    /* any walk keeps the selection visible and the window full */
    static const enum action walk[] = {ACT_DOWN,    ACT_PAGE_DOWN, ACT_END,  ACT_UP,
                                       ACT_PAGE_UP, ACT_HOME,      ACT_DOWN, ACT_PAGE_DOWN};
    unsigned seed = 7;
    for (int i = 0; i < 5000; i++) {
        seed = seed * 1103515245u + 12345u;
        size_t n = (seed >> 8) % 60;
        int h = 1 + (int)((seed >> 16) % 25);
        if (i % 97 == 0)
            list_set_count(&l, n);
        list_action(&l, walk[(seed >> 4) % N_OF(walk)]);
        list_scroll(&l, h);
        if (!l.n) {
            assert_int_equal(l.top, 0);
            continue;
        }
        assert_true(l.sel < l.n);
        assert_true(l.top <= l.sel && l.sel < l.top + (size_t)h);
        if (l.n >= (size_t)h)
            assert_true(l.top + (size_t)h <= l.n);
        else
            assert_int_equal(l.top, 0);
    }
}

#define FMT(call, want)                                                                            \
    do {                                                                                           \
        char buf_[64];                                                                             \
        memset(buf_, 'x', sizeof buf_);                                                            \
        call;                                                                                      \
        assert_string_equal(buf_, (want));                                                         \
    } while (0)

static void test_fmt_count(void **state)
{
    (void)state;
    FMT(fmt_count(0, buf_, sizeof buf_), "0");
    FMT(fmt_count(999, buf_, sizeof buf_), "999");
    FMT(fmt_count(1000, buf_, sizeof buf_), "1,000");
    FMT(fmt_count(1234567, buf_, sizeof buf_), "1,234,567");
    FMT(fmt_count(-1234, buf_, sizeof buf_), "-1,234");
    FMT(fmt_count(-999, buf_, sizeof buf_), "-999");
    FMT(fmt_count(INT64_MAX, buf_, sizeof buf_), "9,223,372,036,854,775,807");
    FMT(fmt_count(INT64_MIN, buf_, sizeof buf_), "-9,223,372,036,854,775,808");
    FMT(fmt_count(1234567, buf_, 4), "1,2"); /* cut, still terminated */
}

static void test_fmt_money(void **state)
{
    (void)state;
    FMT(fmt_money(1234.5, 0, buf_, sizeof buf_), "1,234.50");
    FMT(fmt_money(0, 0, buf_, sizeof buf_), "0.00");
    FMT(fmt_money(-5, 0, buf_, sizeof buf_), "-5.00");
    FMT(fmt_money(-0.004, 0, buf_, sizeof buf_), "0.00"); /* no "-0.00" */
    FMT(fmt_money(0.999, 0, buf_, sizeof buf_), "1.00");  /* cents carry */
    FMT(fmt_money(1234567.891, 0, buf_, sizeof buf_), "1,234,567.89");
    FMT(fmt_money(12345, 0, buf_, sizeof buf_), "12,345.00");
    /* compact: thousands from 10,000, millions from 1,000,000 */
    FMT(fmt_money(9999.99, 1, buf_, sizeof buf_), "9,999.99");
    FMT(fmt_money(12345, 1, buf_, sizeof buf_), "12.3k");
    FMT(fmt_money(-12345, 1, buf_, sizeof buf_), "-12.3k");
    FMT(fmt_money(4560000, 1, buf_, sizeof buf_), "4.56M");
}

static void test_fmt_pct_duration(void **state)
{
    (void)state;
    FMT(fmt_pct(62.5, 0, buf_, sizeof buf_), "62.5%");
    FMT(fmt_pct(100, 0, buf_, sizeof buf_), "100%");
    FMT(fmt_pct(33.333, 0, buf_, sizeof buf_), "33.3%");
    FMT(fmt_pct(12.25, 0, buf_, sizeof buf_), "12.3%"); /* halves round away from 0 */
    FMT(fmt_pct(99.96, 0, buf_, sizeof buf_), "100%");
    FMT(fmt_pct(0.04, 0, buf_, sizeof buf_), "0%");
    FMT(fmt_pct(0, 0, buf_, sizeof buf_), "0%");
    FMT(fmt_pct(-2.5, 0, buf_, sizeof buf_), "-2.5%");
    FMT(fmt_pct(50, 1, buf_, sizeof buf_), "-"); /* null */

    FMT(fmt_duration(0, 0, buf_, sizeof buf_), "0s");
    FMT(fmt_duration(45, 0, buf_, sizeof buf_), "45s");
    FMT(fmt_duration(720, 0, buf_, sizeof buf_), "12m");
    FMT(fmt_duration(3600, 0, buf_, sizeof buf_), "1h");
    FMT(fmt_duration(12600, 0, buf_, sizeof buf_), "3.5h");
    FMT(fmt_duration(39587, 0, buf_, sizeof buf_), "11h"); /* 10.996 h */
    FMT(fmt_duration(86400, 0, buf_, sizeof buf_), "1d");
    FMT(fmt_duration(181440, 0, buf_, sizeof buf_), "2.1d");
    FMT(fmt_duration(30, 1, buf_, sizeof buf_), "-");
}

static void test_fmt_mask(void **state)
{
    (void)state;
    FMT(fmt_mask_email("jane.doe@example.com", buf_, sizeof buf_), "j***@e***.com");
    FMT(fmt_mask_email("x@y", buf_, sizeof buf_), "x***@y***");
    FMT(fmt_mask_email("a@mail.example.co.uk", buf_, sizeof buf_), "a***@m***.uk");
    FMT(fmt_mask_email("nobody", buf_, sizeof buf_), "n***");
    FMT(fmt_mask_email("", buf_, sizeof buf_), "");
    FMT(fmt_mask_email(NULL, buf_, sizeof buf_), "");
    /* the first character is a whole UTF-8 character */
    FMT(fmt_mask_email("\xc3\xa9lise@ex\xc3\xa4mple.fi", buf_, sizeof buf_), "\xc3\xa9***@e***.fi");
    FMT(fmt_mask_email("z@\xe4\xbe\x8b\xe3\x81\x88.jp", buf_, sizeof buf_),
        "z***@\xe4\xbe\x8b***.jp");

    FMT(fmt_mask_name("Jane Doe", buf_, sizeof buf_), "J. D.");
    FMT(fmt_mask_name("Jane", buf_, sizeof buf_), "J.");
    FMT(fmt_mask_name("  Jane   Mary  Doe ", buf_, sizeof buf_), "J. M. D.");
    FMT(fmt_mask_name("", buf_, sizeof buf_), "");
    FMT(fmt_mask_name(NULL, buf_, sizeof buf_), "");
    FMT(fmt_mask_name("\xc3\x89lise \xc3\x85ngstr\xc3\xb6m", buf_, sizeof buf_),
        "\xc3\x89. \xc3\x85.");
    FMT(fmt_mask_name("\xe5\xb1\xb1\xe7\x94\xb0 \xe5\xa4\xaa\xe9\x83\x8e", buf_, sizeof buf_),
        "\xe5\xb1\xb1. \xe5\xa4\xaa.");
    /* a small buffer keeps whole initials: "J. D." is 5 bytes and a NUL */
    FMT(fmt_mask_name("Jane Doe Smith", buf_, 6), "J. D.");
    FMT(fmt_mask_name("Jane Doe Smith", buf_, 5), "J.");
    FMT(fmt_mask_name("\xc3\x89lise \xc3\x85ngstr\xc3\xb6m", buf_, 4), "\xc3\x89.");
    FMT(fmt_mask_name("\xc3\x89lise", buf_, 3), "");
}

static void test_fmt_csv_field(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain", "plain"},
        {"", ""},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"two\nlines", "two?lines"},
        {"e\x1b[31mvil\x07", "e?[31mvil?"},
        {"V\xc3\xa4in\xc3\xb6", "V\xc3\xa4in\xc3\xb6"},
        {"bad \xff byte", "bad ? byte"},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        assert_non_null(f);
        fmt_csv_field(f, cases[i].in);
        fclose(f);
        assert_string_equal(text, cases[i].out);
        free(text);
    }
    /* a field longer than the stack buffer */
    char big[1000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    big[500] = '\x1b';
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    fmt_csv_field(f, big);
    fclose(f);
    assert_int_equal(len, sizeof big - 1);
    assert_int_equal(text[500], '?');
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_80),    cmocka_unit_test(test_layout_200),
        cmocka_unit_test(test_layout_tiny),  cmocka_unit_test(test_layout_invariants),
        cmocka_unit_test(test_action_edges), cmocka_unit_test(test_count_and_select),
        cmocka_unit_test(test_scroll),       cmocka_unit_test(test_fmt_count),
        cmocka_unit_test(test_fmt_money),    cmocka_unit_test(test_fmt_pct_duration),
        cmocka_unit_test(test_fmt_mask),     cmocka_unit_test(test_fmt_csv_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
