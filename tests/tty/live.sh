#!/bin/bash
# live.sh - live data (SPEC 6, 9): while the TUI runs, another process
# imports new events; with no key pressed the funnel's first step grows to
# the new count (the report's) within a few seconds and the status bar says
# when the data changed.  Then on the customers pane, a selected customer
# stays selected (same key) when an import reorders the list under it.
. "$(dirname "$0")/lib.sh"
need_python

db=$T/shop.db
make_demo "$db" 1500

# reach: the funnel's first-step count in the report, formatted as on screen
reach() {
    ct report funnel --db "$db" --format json >"$T/funnel.json"
    py "$T/funnel.json" <<'EOF'
import sys
from ttycheck import load
print("{:,}".format(load(sys.argv[1])["steps"][0]["customers"]))
EOF
}

before=$(reach)
# wide enough for the status bar to show the freshness next to the hints
tty_start -x 160 -y 30 -- --db "$db"
expect_has "Funnel: stages" "the funnel pane"
expect_has " $before " "Reach starts at $before"

# five new visitors (page views, the Reach stage) from another process
{
    echo "customer,ts,event,channel"
    for i in 1 2 3 4 5; do
        echo "live$i,2026-06-30 12:0$i:00,page_view,ads"
    done
} >"$T/visitors.csv"
ct import --db "$db" "$T/visitors.csv" >"$T/import.out" 2>&1 ||
    fail "the import failed: $(cat "$T/import.out")"
after=$(reach)
[ "$after" != "$before" ] || fail "the import did not change the report ($after)"
start=$(date +%s)
if wait_for "Reach " 1 && wait_for "$after " 6; then
    ok "Reach grew from $before to $after on its own in about $(($(date +%s) - start)) s"
else
    fail "Reach did not grow to $after"
fi
expect_has "updated " "the status bar says when the data changed"
alive || fail "convtop died during the import"

# the selection keeps its customer when an import reorders the list
keys 3
expect_has "sorted by net spend" "the customers pane"
ct report customers --db "$db" --format json --limit 0 >"$T/customers.json"
read -r third sixth < <(py "$T/customers.json" <<'EOF'
import sys
from ttycheck import load
c = load(sys.argv[1])["customers"]
print(c[2]["key"], c[5]["key"])
EOF
)
# the third row's colours change when it is selected
row_of() {
    screen_e | grep -aF -- "$1"
}
row_changed() {
    [ "$(row_of "$1")" != "$2" ]
}
plain=$(row_of "$third")
keys Down Down
poll 5 row_changed "$third" "$plain" || fail "Down Down did not select $third"
# a big order for the sixth customer moves them to the top, the third one down
printf 'customer,ts,event,value\n%s,2026-06-30 12:30:00,purchase,50000\n' "$sixth" \
    >"$T/order.csv"
ct import --db "$db" "$T/order.csv" >"$T/import.out" 2>&1 ||
    fail "the import failed: $(cat "$T/import.out")"
first_row_is() {
    [ "$(screen | sed -n '/^ key  *name/{n;p;q}' | awk '{print $1}')" = "$1" ]
}
if poll 6 first_row_is "$sixth"; then
    ok "the import moved $sixth to the top without a key"
else
    fail "the list did not refresh: $sixth is not the first row"
fi
keys Enter
expect_has "Timeline " "Enter opens the selected customer"
if screen | sed -n 2p | grep -q "^ $third  "; then
    ok "the selection stayed on $third"
else
    fail "the selection moved: $(screen | sed -n 2p)"
fi
keys Escape
tty_quit
finish
