#!/bin/bash
# empty.sh - SPEC 9: the TUI never crashes on an empty database or on
# customers with one event.  A database with the schema and no events (what
# importing a header-only CSV leaves) shows sensible empty states on every
# pane, and every key of every pane does no harm; a shop of two customers
# with one event each opens every pane, the detail, the cohort cell list.
. "$(dirname "$0")/lib.sh"

# poke KEY...: send keys one by one, each after the last was read
poke() {
    local k
    for k in "$@"; do
        keys "$k"
        sleep 0.05
    done
}

# --- a database with no events ---------------------------------------------------
printf 'customer,ts,event\n' >"$T/header.csv"
ct import --db "$T/empty.db" "$T/header.csv" >"$T/import.out" 2>&1 ||
    { fail "a header-only import failed: $(cat "$T/import.out")"; finish; }
if [ -s "$T/empty.db" ]; then
    ok "a header-only import leaves an empty database"
else
    fail "a header-only import left no database"
    finish
fi

tty_start -- --db "$T/empty.db"
expect_has "Funnel: stages" "empty: the funnel pane opens"
if screen | grep -qE '^  Reach +0 +- +- +-$'; then
    ok "empty: the first step counts 0 and its percentages are '-'"
else
    fail "empty: the first step is not '0 - - -'"
fi
expect_has " 0 events" "empty: the status bar counts 0 events"
poke ']' '[' b b c o Escape Down End PageDown Enter
alive && ok "empty: every funnel key" || fail "empty: a funnel key killed convtop"
keys 2
expect_has "No cohorts: nobody has an entry event" "empty: the cohort pane says there are no cohorts"
poke v v p Right Down Enter Left Up End
alive && ok "empty: every cohort key" || fail "empty: a cohort key killed convtop"
keys 3
expect_has "No customers in this range." "empty: the customers pane says there are none"
expect_has "Customers · 0 shown" "empty: 0 shown"
poke Enter s w w Down End
alive && ok "empty: every customers key" || fail "empty: a customers key killed convtop"
keys /
type_text "nobody"
expect_has "No customer matches." "empty: a search matches nobody"
keys Escape
keys e
expect_has "exported to " "empty: the empty list exports"
file=$(screen | tail -n 1 | sed -n 's/^ exported to \(.*\.csv\).*/\1/p')
if [ -n "$file" ] && [ "$(wc -l <"$file")" -eq 1 ]; then
    ok "empty: the export holds the header only"
else
    fail "empty: the export '$file' is not a header alone"
fi
keys f
expect_has "Last 7 days" "empty: the filter opens"
poke Down Enter
sleep 0.2
alive && ok "empty: a date preset on no data" || fail "empty: a date preset killed convtop"
# an empty shop has no newest event: presets count back from today
today=$(TZ=Europe/Helsinki date +%Y-%m-%d) # the shop zone of the built-in config
if screen | tail -n 1 | grep -q "^ [0-9-]*\.\.$today · everyone"; then
    ok "empty: the preset ends today"
else
    fail "empty: the status bar is $(screen | tail -n 1)"
fi
keys '?'
expect_has "Keys  (Esc" "empty: help"
keys Escape
keys t
expect_has "theme: light" "empty: t"
resize 40 10
expect_has "terminal too small" "empty: too small"
resize 80 24
expect_has "Customers · 0 shown" "empty: back at 80x24"
tty_quit

# --- two customers with one event each ------------------------------------------
{
    echo "customer,ts,event,value,email,name"
    echo "solo-buyer,2024-03-05 10:00:00,purchase,25.50,buyer@example.com,Ada Buyer"
    echo "solo-visitor,2024-03-06 11:00:00,page_view,,,"
} >"$T/one.csv"
ct import --db "$T/one.db" "$T/one.csv" >"$T/import.out" 2>&1 ||
    { fail "importing two one-event customers failed: $(cat "$T/import.out")"; finish; }
tty_start -- --db "$T/one.db"
expect_has "Funnel: stages" "one event: the funnel pane opens"
if screen | grep -qE '^  Reach +[^ ]+ +1 +100% +- +-$'; then
    ok "one event: Reach counts the visitor, 100%"
else
    fail "one event: Reach is not '1 100% - -'"
fi
poke b c o o ']' '['
alive && ok "one event: funnel keys" || fail "one event: a funnel key killed convtop"
keys 2
expect_has " 2024-03 " "one event: the cohort pane has the buyer's month"
keys Enter
expect_has "Cohort 2024-03 +0" "one event: Enter lists the cell"
expect_has "solo-buyer" "one event: the cell lists the buyer"
keys Enter
expect_has "Timeline · 1 events" "one event: the buyer's detail has one event"
expect_has "25.50" "one event: with its value"
poke g g Down Up End
keys Escape
wait_gone "Timeline " 5
keys Escape
expect_has "Cohorts by month" "one event: Esc, Esc back to the cohorts"
keys 3
expect_has "Customers · 2 shown" "one event: both customers are listed"
keys End Enter
expect_has "Timeline · 1 events" "one event: the visitor's detail has one event"
expect_has "solo-visitor" "one event: it is the visitor"
keys g
expect_has "by day" "one event: g groups by day"
keys Escape
wait_gone "Timeline " 5
keys w
expect_has "Win-back" "one event: the win-back list"
keys w
resize 100 30
wait_for "Customers · 2 shown" 5 || fail "one event: not redrawn at 100x30"
alive && ok "one event: every pane" || fail "one event: convtop died"
tty_quit
finish
