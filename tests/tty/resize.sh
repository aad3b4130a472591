#!/bin/bash
# resize.sh - SPEC 6 and 9: below 80x24 a clear "terminal too small"
# message, no crash, keys other than q ignored; recovery when enlarged (the
# funnel drawn again at 80x24 and 120x40, the header reaching the right
# edge); one column or row short is too small; rapid resizes, with a
# prompt or the detail open, crash nothing; q still quits cleanly.
. "$(dirname "$0")/lib.sh"

db=$T/shop.db
make_demo "$db" 1500

# framed COLS ROWS: the screen is a whole frame of that size: the header
# ends with its key hint one column before the right edge, the status bar
# starts with the range, and there are ROWS lines.
framed() {
    local shot head
    shot=$(screen)
    head=$(printf '%s\n' "$shot" | head -n 1)
    [ "${#head}" -eq "$(($1 - 1))" ] && [ "${head%\? help  q quit}" != "$head" ] &&
        printf '%s\n' "$shot" | tail -n 1 | grep -q '^ all data' &&
        [ "$(printf '%s\n' "$shot" | wc -l)" -eq "$2" ]
}

# drawn_at COLS ROWS WHAT: the funnel pane is drawn whole at COLSxROWS
funnel_framed() {
    framed "$1" "$2" && screen_has "Funnel: stages"
}
drawn_at() {
    if poll 5 funnel_framed "$1" "$2"; then
        ok "$3"
    else
        fail "$3: no whole $1x$2 frame of the funnel"
    fi
}

tty_start -- --db "$db"
drawn_at 80 24 "the funnel at 80x24"

resize 20 5
expect_has "terminal too small" "20x5 says the terminal is too small"
alive && ok "convtop is alive at 20x5" || fail "convtop died at 20x5"
keys 3 f '?'
sleep 0.3
alive && ok "keys at 20x5 are ignored" || fail "keys at 20x5 killed convtop"

resize 80 24
drawn_at 80 24 "back to 80x24 draws the funnel again"
if screen_has "sorted by net spend" || screen_has "Keys  (Esc"; then
    fail "keys pressed while too small were acted on"
else
    ok "keys pressed while too small did nothing"
fi

resize 120 40
drawn_at 120 40 "120x40 draws the funnel"

resize 79 24
expect_has "terminal too small" "79x24 is too small"
resize 80 23
expect_has "terminal too small: 80x23" "80x23 is too small, and says its size"
resize 80 24
drawn_at 80 24 "80x24 is enough"

# rapid resizes, on every pane, with the search prompt and the detail open
sizes=(80x24 20x5 200x60 1x1 81x25 79x23 100x30 10x3 150x24 80x50 40x40 300x80 80x24)
# tmux hands a size to the pane a little after resize-window returns, and
# keys that arrive while convtop still sees a tiny window are ignored (as they
# should be): after a round, wait for the 80x24 frame before typing.
round() {
    local s
    for s in "${sizes[@]}"; do
        resize "${s%x*}" "${s#*x}"
    done
    poll 5 framed 80 24 || fail "no 80x24 frame after a round of resizes"
}
round
keys 2
round
keys 3
round
keys / j
round
keys Enter
wait_gone "type to search" 5
keys Enter
wait_for "Timeline " 5 || fail "Enter did not open a customer"
round
keys Escape
round
if alive; then ok "rapid resizes did not crash convtop"; else fail "convtop died in rapid resizes"; fi
keys Escape
wait_gone "Timeline " 5
keys 1
drawn_at 80 24 "after the storm the funnel is drawn at 80x24"

resize 30 10
expect_has "terminal too small" "too small again"
keys q
expect_exit
finish
