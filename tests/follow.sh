#!/bin/sh
# follow.sh - convtop import --follow (issue 10) as a shop's platform feeds
# it: rows appended to a file show up in the database within seconds, a
# line still being written waits for its end, a truncated file is read
# again and a replaced one followed, a restart adds nothing twice, a bad row
# stops the follow with exit 1 after the good rows before it, --skip-bad
# sets it aside and goes on, a pipe is read to its end, SIGINT and SIGTERM
# stop cleanly, and big backlogs go in batches of at most 10,000 rows.
set -u
: "${CONVTOP:?CONVTOP must name the convtop binary}"
command -v sqlite3 >/dev/null 2>&1 || { echo "no sqlite3 command: skipped"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/convtop-follow-XXXXXX")
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
unset CONVTOP_CONFIG CONVTOP_DB
XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data"
export XDG_CONFIG_HOME XDG_DATA_HOME

fail=0
ok() { echo "ok   $1"; }
bad() {
    echo "FAIL $1"
    [ -f "$tmp/out" ] && sed 's/^/     | /' "$tmp/out" "$tmp/err" 2>/dev/null
    fail=1
}
db="$tmp/shop.db"
# polling must not create the file convtop is about to make
count() { [ -e "$db" ] && sqlite3 "$db" "SELECT count(*) FROM events" 2>/dev/null || echo 0; }
# wait_count N WHAT: the events table reaches N rows within 20 s
wait_count() {
    i=0
    while [ "$(count)" != "$1" ] && [ $i -lt 200 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    n=$(count)
    [ "$n" = "$1" ] && ok "$2 ($n events)" || bad "$2: $n events, want $1"
}
# start_follow ARGS...: convtop import --follow in the background
start_follow() {
    "$CONVTOP" import --follow --db "$db" "$@" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
}
# stop_follow SIGNAL WANT WHAT: signal it, it exits with WANT
stop_follow() {
    kill -"$1" "$pid" 2>/dev/null
    wait "$pid"
    got=$?
    pid=
    [ "$got" -eq "$2" ] && ok "$3 (exit $got)" || bad "$3: exit $got, want $2"
}
# wait_exit WANT WHAT: it ends on its own with WANT within 20 s
wait_exit() {
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 200 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    stop_follow TERM "$1" "$2"
}
row() { printf 'c%s,2026-11-0%sT10:%02d:00Z,%s,%s\n' "$1" "$2" "$3" "$4" "$5"; }

f="$tmp/events.csv"
printf 'customer,ts,event,value\n' >"$f"
row 1 1 0 visit "" >>"$f"
row 1 1 5 purchase 12.50 >>"$f"
start_follow "$f"
wait_count 2 "the rows already in the file are loaded"
row 2 1 10 visit "" >>"$f"
wait_count 3 "an appended row shows up"
printf 'c2,2026-11-01T10:11:00Z,purchase,9' >>"$f"
sleep 1.5
[ "$(count)" = 3 ] && ok "a line still being written waits for its end" ||
    bad "a half-written line was imported"
printf '9.90\n' >>"$f"
wait_count 4 "the line is loaded once it ends"
v=$(sqlite3 "$db" "SELECT value FROM events WHERE value > 50")
[ "$v" = 99.9 ] && ok "with its whole value (99.9)" || bad "its value is '$v', want 99.9"

# the platform rewrites the export: shorter, with its header
printf 'customer,ts,event,value\n' >"$f"
row 3 2 0 visit "" >>"$f"
wait_count 5 "a truncated file is read again from its start"
grep -q "shrank" "$tmp/err" && ok "the truncation is said" || bad "the truncation is not said"
# log rotation: a new file takes the name
printf 'customer,ts,event,value\n' >"$tmp/new.csv"
row 4 2 1 visit "" >>"$tmp/new.csv"
row 4 2 2 cart "" >>"$tmp/new.csv"
mv "$tmp/new.csv" "$f"
wait_count 7 "a replaced file is followed into the new one"
grep -q "new file has the name" "$tmp/err" && ok "the replacement is said" ||
    bad "the replacement is not said"
stop_follow INT 0 "Ctrl-C stops it cleanly"
grep -q "rows read" "$tmp/out" && ok "and it prints a summary" || bad "no summary"
n=$(sqlite3 "$db" "SELECT count(*) FROM imports WHERE source LIKE 'follow %'")
[ "$n" = 1 ] && ok "one import log row for the whole follow" || bad "$n log rows"
[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] && ok "integrity_check ok" ||
    bad "integrity_check"

# restarting on the same file adds nothing twice
start_follow "$f"
i=0 # its first batch (all duplicates) is logged once it is read
while [ "$(sqlite3 "$db" "SELECT count(*) FROM imports" 2>/dev/null)" != 2 ] && [ $i -lt 200 ]; do
    sleep 0.1
    i=$((i + 1))
done
stop_follow TERM 0 "SIGTERM stops it cleanly"
[ "$(count)" = 7 ] && ok "a restart adds nothing twice" || bad "a restart added rows: $(count)"
grep -q "duplicates                2" "$tmp/out" && ok "it counts the two rows as duplicates" ||
    bad "duplicates not counted"

# a bad row: the good rows before it are committed, then exit 1
start_follow "$f"
sleep 0.5
row 5 3 0 visit "" >>"$f"
printf 'c5,someday,purchase,10\n' >>"$f"
row 6 3 0 visit "" >>"$f"
wait_exit 1 "a bad row stops the follow"
grep -q "events.csv:5: not a timestamp" "$tmp/err" && ok "the message names FILE:LINE" ||
    bad "the message does not name FILE:LINE"
grep -q "rows before it were imported" "$tmp/err" && ok "and says the rows before it stay" ||
    bad "the message does not say what was kept"
[ "$(count)" = 8 ] && ok "the good row before it was committed, the one after not" ||
    bad "$(count) events, want 8"

# --skip-bad sets bad rows aside (appending) and goes on
start_follow --skip-bad "$tmp/rejects.csv" "$f"
wait_count 9 "with --skip-bad the rows after a bad one load"
printf 'c7,yesterday,visit,\n' >>"$f"
row 7 3 1 visit "" >>"$f"
wait_count 10 "and later rows too"
stop_follow INT 0 "stopped"
n=$(grep -c "not a timestamp" "$tmp/rejects.csv")
[ "$n" = 2 ] && ok "both bad rows are in the rejects file" || bad "$n rejects, want 2"
[ "$(stat -c %a "$tmp/rejects.csv")" = 600 ] && ok "rejects file mode 0600" ||
    bad "rejects file mode $(stat -c %a "$tmp/rejects.csv")"

# a pipe: read to its end; NDJSON detected from the first line
db="$tmp/pipe.db"
{
    for i in 1 2 3; do
        printf '{"customer":"p%d","ts":"2026-11-04T10:00:0%dZ","event":"visit"}\n' "$i" "$i"
        sleep 0.3
    done
} | "$CONVTOP" import --follow --db "$db" - >"$tmp/out" 2>"$tmp/err"
got=$?
[ $got -eq 0 ] && ok "a pipe is followed to its end (exit 0)" || bad "pipe: exit $got"
[ "$(count)" = 3 ] && ok "every row of the pipe is loaded" || bad "pipe: $(count) events"
grep -q "(ndjson)" "$tmp/out" && ok "NDJSON detected on a pipe" || bad "format not NDJSON"
# a quiet pipe still commits within about a second
mkfifo "$tmp/fifo"
"$CONVTOP" import --follow --db "$db" - <"$tmp/fifo" >"$tmp/out" 2>"$tmp/err" &
pid=$!
exec 3>"$tmp/fifo"
printf '{"customer":"p4","ts":"2026-11-04T11:00:00Z","event":"visit"}\n' >&3
wait_count 4 "a row on a pipe that stays open is committed"
exec 3>&-
wait_exit 0 "closing the pipe ends the follow"

# a backlog goes in batches of at most 10,000 rows
db="$tmp/big.db"
awk 'BEGIN { print "customer,ts,event"; for (i = 0; i < 25000; i++)
    printf "b%d,2026-11-05T%02d:%02d:00Z,visit\n", i % 5000, int(i / 1440) % 24, i % 60 }' >"$tmp/big.csv"
start_follow "$tmp/big.csv"
wait_count 25000 "a 25,000-row backlog is loaded"
stop_follow INT 0 "stopped"
n=$(sed -n 's/^  commits *//p' "$tmp/out")
[ "${n:-0}" -ge 3 ] && ok "in $n commits (at most 10,000 rows each)" || bad "$n commits, want >= 3"

# refusals
"$CONVTOP" import --follow --db "$db" "$f" "$f" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && ok "two files are refused" || bad "two files were not refused"
"$CONVTOP" import --follow --format spend --db "$db" "$f" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "CSV or NDJSON" "$tmp/err" && ok "--format spend is refused" ||
    bad "--format spend was not refused"
gzip -c "$f" >"$tmp/events.csv.gz"
"$CONVTOP" import --follow --db "$db" "$tmp/events.csv.gz" >"$tmp/out" 2>"$tmp/err" </dev/null
[ $? -eq 2 ] && grep -q "gzip" "$tmp/err" && ok "a gzip file is refused" ||
    bad "a gzip file was not refused"
"$CONVTOP" import --follow --db "$tmp/none.db" "$tmp/missing.csv" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && [ ! -e "$tmp/none.db" ] && ok "a missing file fails and creates no database" ||
    bad "a missing file"

exit $fail
