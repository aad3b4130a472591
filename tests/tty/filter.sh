#!/bin/bash
# filter.sh - f, the filter of every pane (SPEC 6): a date preset ("Last 30
# days") changes the range in the status bar, and the funnel on screen then
# equals `convtop report funnel --from A --to B` (the customers pane follows
# too); a segment keeps the range and equals --segment; the custom range
# prompt takes two dates, waits while they are incomplete, and applies;
# "All data" and "Everyone" undo it all; Esc cancels.
. "$(dirname "$0")/lib.sh"
need_python

db=$T/shop.db
make_demo "$db" 1500

# funnel_is WHAT REPORT-OPTIONS...: the funnel on screen equals the report
funnel_is() {
    local what=$1
    shift
    ct report funnel --db "$db" --format json "$@" >"$T/want.json" ||
        { fail "$what: convtop report funnel $* failed"; return; }
    wait_for "Funnel: stages" 5
    snap "$T/screen.txt"
    py_check "$T/screen.txt" "$T/want.json" "$what" <<'EOF'
import sys
from ttycheck import *
screen, f, what = lines(sys.argv[1]), load(sys.argv[2]), sys.argv[3]
rows = funnel_rows(screen, f["steps"])
for s in f["steps"]:
    r = rows.get(s["name"], ["?"] * 4)
    same(r[0], s["customers"], "%s: %s customers" % (what, s["name"]))
    same(r[1], s["pct_of_first"], "%s: %s %% of first" % (what, s["name"]))
    same(r[2], s["pct_of_prev"], "%s: %s %% of previous" % (what, s["name"]))
done()
EOF
}

status_has() {
    screen | tail -n 1 | grep -qF -- "$1"
}

# status_is TEXT WHAT: the status bar (the last line) holds TEXT
status_is() {
    if poll 5 status_has "$1"; then
        ok "$2"
    else
        fail "$2: the status bar has no '$1'"
    fi
}

tty_start -- --db "$db"
wait_for "Funnel: stages" || fail "the TUI did not start"
status_is " all data · everyone " "the status bar starts on all data, everyone"

keys f
expect_has "Last 30 days" "f opens the filter"
snap "$T/filter.txt"
read -r from to < <(sed -n 's/^ *Last 30 days *\([0-9-]*\)\.\.\([0-9-]*\).*/\1 \2/p' "$T/filter.txt")
if [ -n "${to:-}" ]; then
    ok "the preset shows its dates, $from..$to"
else
    fail "no dates on the Last 30 days row"
    from=2000-01-01 to=2000-01-30
fi
keys Down Down Enter
status_is " $from..$to · everyone " "Last 30 days sets the range in the status bar"
funnel_is "last 30 days" --from "$from" --to "$to"

keys 3
ct report customers --db "$db" --from "$from" --to "$to" --format json --limit 0 >"$T/c.json"
n=$(py "$T/c.json" <<'EOF'
import sys
from ttycheck import load
print("{:,}".format(len(load(sys.argv[1])["customers"])))
EOF
)
expect_has "Customers · $n shown" "the customers pane follows the range ($n)"
keys 1

# a segment keeps the range: rows are 8 presets, Everyone, then the segments
keys f
wait_for "Segment" 5
keys Home
for i in 1 2 3 4 5 6 7 8 9; do
    keys Down
done
keys Enter
status_is " $from..$to · Social " "the segment Social shows in the status bar"
funnel_is "last 30 days, Social" --from "$from" --to "$to" --segment Social

# the custom range prompt
keys f
wait_for "Custom range..." 5
keys Home
for i in 1 2 3 4 5 6 7; do
    keys Down
done
keys Enter
expect_has "from to (YYYY-MM-DD YYYY-MM-DD):" "Custom range... opens a prompt"
expect_has "$from $to" "the prompt starts from the current range"
for ((i = 0; i < 21; i++)); do
    keys BSpace
done
wait_gone "$from $to" 5
type_text "2025-03-01 2025-05-3"
keys Enter
sleep 0.3
if screen_has "from to (YYYY-MM-DD"; then
    ok "an incomplete date keeps the prompt open"
else
    fail "an incomplete date closed the prompt"
fi
type_text "1"
keys Enter
status_is " 2025-03-01..2025-05-31 · Social " "the custom range applies"
funnel_is "2025-03-01..2025-05-31, Social" --from 2025-03-01 --to 2025-05-31 --segment Social

# Esc cancels; All data and Everyone undo the filter
keys f
wait_for "Custom range..." 5
keys Home Enter
status_is " all data · Social " "All data drops the range, keeps the segment"
keys f
wait_for "Custom range..." 5
keys Home Down Down Down Down Down Down Down Down
keys Escape
wait_gone "Custom range..." 5
status_is " all data · Social " "Esc in the filter changes nothing"
keys f
wait_for "Custom range..." 5
keys Home Down Down Down Down Down Down Down Down Enter
status_is " all data · everyone " "Everyone drops the segment"
funnel_is "all data" 

tty_quit
finish
