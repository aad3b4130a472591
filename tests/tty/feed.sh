#!/bin/bash
# feed.sh - the TUI while data flows (issue 10): convtop import --follow
# feeds a file the platform appends to; the customer open on screen gains
# its new event without a key, the status bar shows events per minute and
# the last event's time.  Then convtop --demo --live: one command, a shop
# whose event count grows on screen.
. "$(dirname "$0")/lib.sh"

db=$T/shop.db
make_demo "$db" 600

tty_start -x 140 -y 30 -- --db "$db"
expect_has "Funnel: stages" "the funnel pane"
keys 3
expect_has "sorted by net spend" "the customers pane"
keys Enter
expect_has "Timeline " "Enter opens the first customer"
key=$(screen | sed -n 2p | awk '{print $1}')
[ -n "$key" ] || fail "no customer key on the detail's first line"

# the platform's export grows while convtop follows it
feed=$T/feed.csv
echo "customer,ts,event,value,channel" >"$feed"
# exec: $! must be convtop itself, for the kill below
(exec env -i "${CT_ENV[@]}" "$CONVTOP" import --follow --db "$db" "$feed") \
    >"$T/follow.out" 2>"$T/follow.err" &
follower=$!
echo "$key,2026-06-30 23:58:00,purchase,777.77,email" >>"$feed"
if wait_for "777.77" 8; then
    ok "the open customer $key gained the followed purchase without a key"
else
    fail "the new purchase of $key did not appear in the detail"
fi
expect_has "/min" "the status bar shows events per minute"
expect_has "last 2026-06-30 23:58" "and the time of the last event"
kill -INT $follower
wait $follower
rc=$?
[ $rc -eq 0 ] && ok "the follow stopped cleanly on Ctrl-C" || fail "the follow exited $rc"
grep -q "loaded                    1" "$T/follow.out" && ok "it loaded the one row" ||
    fail "follow summary: $(cat "$T/follow.out" "$T/follow.err")"
alive || fail "convtop died while data flowed"
keys Escape
tty_quit

# one command: the demo shop, selling
events_on_screen() {
    screen | tail -n 1 | sed -n 's/.* \([0-9][0-9,]*\) events.*/\1/p' | tr -d ,
}
tty_start -x 160 -y 30 -- --demo --live --db "$db"
expect_has "Funnel: stages" "convtop --demo --live opens the funnel"
expect_has "/min" "and its status bar shows events per minute" 10
first=$(events_on_screen)
grew() {
    local now
    now=$(events_on_screen)
    [ -n "$now" ] && [ -n "$first" ] && [ "$now" -gt "$first" ]
}
if poll 10 grew; then
    ok "the event count grew on its own (from $first to $(events_on_screen))"
else
    fail "the event count did not grow from '$first'"
fi
tty_quit
n=$(sqlite3 "$db" "SELECT count(*) FROM imports WHERE source = 'demo --live'" 2>/dev/null || echo 1)
[ "$n" = 1 ] && ok "the live demo keeps one import log row" || fail "$n log rows for demo --live"
finish
