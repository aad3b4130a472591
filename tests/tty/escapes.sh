#!/bin/bash
# escapes.sh - SPEC 9: text another tool wrote into the database cannot
# drive the terminal.  A customer's name, e-mail, an event's channel,
# session, name and properties hold escape sequences (set a title with
# OSC 2, clear the screen, turn text red, ring the bell), written with the
# sqlite3 CLI, past the importer's checks.  On every pane that shows them
# (list, detail, funnel breakdown) the sequences show as text, the pane
# title stays, no colour appears (NO_COLOR is on, so any colour would be
# theirs), the header survives; convtop report (text, CSV, JSON, breakdown)
# and the TUI's CSV exports carry no ESC or BEL byte.
. "$(dirname "$0")/lib.sh"
if ! command -v sqlite3 >/dev/null 2>&1; then
    echo "SKIP: the sqlite3 command-line tool is not installed"
    exit 77
fi

db=$T/shop.db
{
    echo "customer,ts,event,value,channel,session,email,name"
    echo "evil,2024-05-01 10:00:00,page_view,,ads,s1,evil@example.com,Eve Il"
    echo "evil,2024-05-01 10:01:00,product_view,,ads,s1,,"
    echo "evil,2024-05-01 10:05:00,purchase,42.00,ads,s1,,"
    echo "evil,2024-05-01 10:06:00,review,,ads,s1,,"
    echo "good,2024-05-02 09:00:00,page_view,,search,s2,good@example.com,Gus Good"
} >"$T/shop.csv"
ct import --db "$db" "$T/shop.csv" >"$T/import.out" 2>&1 ||
    { fail "import failed: $(cat "$T/import.out")"; finish; }
# char(27) ESC, char(7) BEL
sqlite3 "$db" "
UPDATE customers SET
  name = 'Eve ' || char(27) || ']2;pwned' || char(7) || ' X' || char(27) || '[2J'
         || char(27) || '[31mRed',
  email = 'e' || char(27) || '[31mvil@example.com',
  channel = 'ads' || char(27) || '[41mBG'
WHERE key = 'evil';
UPDATE events SET channel = 'ads' || char(27) || '[41mBG',
                  session = 's1' || char(27) || ']2;session-pwned' || char(7)
WHERE customer_id = (SELECT id FROM customers WHERE key = 'evil');
UPDATE events SET props = '{\"path\":\"' || char(27) || ']2;prop-pwned' || char(7) || '\"}',
                  event = 'review' || char(27) || '[5m'
WHERE event = 'review';
" || { fail "sqlite3 could not plant the sequences"; finish; }

# raw FILE WHAT: FILE has no ESC or BEL byte
raw() {
    if LC_ALL=C grep -aq $'[\x1b\x07]' "$1"; then
        fail "$2: a raw ESC or BEL: $(LC_ALL=C grep -a $'[\x1b\x07]' "$1" | cat -v | head -n 3)"
    else
        ok "$2: no raw ESC or BEL"
    fi
}

ct report customer evil --db "$db" >"$T/r1.txt" 2>&1
raw "$T/r1.txt" "report customer (text)"
grep -qF '?]2;pwned?' "$T/r1.txt" && ok "report customer shows the name as text" ||
    fail "report customer does not show the name as text: $(head -n 1 "$T/r1.txt" | cat -v)"
ct report customer evil --db "$db" --format json >"$T/r2.txt" 2>&1
raw "$T/r2.txt" "report customer (json)"
ct report customers --db "$db" >"$T/r3.txt" 2>&1
raw "$T/r3.txt" "report customers (text)"
ct report customers --db "$db" --format csv >"$T/r4.txt" 2>&1
raw "$T/r4.txt" "report customers (csv)"
ct report funnel --db "$db" --breakdown channel >"$T/r5.txt" 2>&1
raw "$T/r5.txt" "report funnel --breakdown channel"

# safe WHAT: no title, no colour, the header in place
safe() {
    local title
    title=$(tmx display -p -t ct '#{pane_title}')
    case $title in
    *pwned*) fail "$1: the pane title became '$title'" ;;
    *) ok "$1: the pane title is unchanged" ;;
    esac
    if screen_e | grep -aqE $'\e\\[([0-9;]*;)?(3[0-8]|4[0-8])[;m]'; then
        fail "$1: colour on the screen"
    else
        ok "$1: no colour"
    fi
    if screen | head -n 1 | grep -q "1 Funnel   2 Cohorts   3 Customers"; then
        ok "$1: the header is intact"
    else
        fail "$1: the header is gone"
    fi
}

tty_start NO_COLOR=1 -- --db "$db"
wait_for "Funnel: stages" || fail "the TUI did not start"
title0=$(tmx display -p -t ct '#{pane_title}')
keys b
expect_has "Breakdown by channel" "the funnel's breakdown by channel"
expect_has "ads?[41mBG" "the channel shows as text"
safe "funnel breakdown"
keys 3
expect_has "Eve ?]2;pwned? X?" "the name shows as text in the list"
expect_has "e?[31mvil@example." "the e-mail shows as text in the list"
safe "customers"
keys e
wait_for "exported to " 5 || fail "no customers export"
file=$(screen | tail -n 1 | sed -n 's/^ exported to \(.*\.csv\).*/\1/p')
raw "${file:-/dev/null}" "the customers export"
keys Enter
expect_has "Timeline " "the detail opens"
expect_has "?]2;prop-pwned?" "the properties show as text"
expect_has "session s1?]2;session-pwned?" "the session shows as text"
expect_has "review?[5m" "the event name shows as text"
safe "detail"
keys e
wait_for "exported to " 5 || fail "no detail export"
file=$(screen | tail -n 1 | sed -n 's/^ exported to \(.*\.csv\).*/\1/p')
raw "${file:-/dev/null}" "the detail export"
keys g
expect_has "by day" "the detail by day"
safe "detail by day"
[ "$(tmx display -p -t ct '#{pane_title}')" = "$title0" ] && ok "the title is as it started" ||
    fail "the title changed from '$title0'"
keys Escape
tty_quit
finish
