#!/bin/sh
# crash_import.sh - a killed import leaves the database as it was (SPEC 9).
#
# Builds an event CSV of 300,000 rows and imports the first 50,000 as a
# baseline.  Then it imports the other 250,000 again and again and kills
# the import with SIGKILL: 24 times at points spread over the data (fed
# through a pipe, so a busy machine cannot move them), and 6 times late in
# a whole import, around its commit.  After each kill the sqlite3 CLI must
# find the file intact (PRAGMA integrity_check) with exactly the baseline's
# events, customers and import log: all or nothing, never half (an import
# that finished before its kill must have loaded everything).  Then one
# import runs to the end on the file that took all the kills, and one runs
# while `convtop report funnel` reads the same file over and over (WAL):
# both must succeed.  Skips (77) without the sqlite3 command.
set -u
: "${CONVTOP:?CONVTOP must name the convtop binary}"
command -v sqlite3 >/dev/null 2>&1 || { echo "no sqlite3 command: skipped"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/convtop-crash-XXXXXX") || exit 1
pid=
cleanup() {
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
unset CONVTOP_CONFIG CONVTOP_DB
XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data"
export XDG_CONFIG_HOME XDG_DATA_HOME

fail=0
ok() { echo "ok   $1"; }
bad() {
    echo "FAIL $1"
    fail=1
}
ms() { date +%s%N | cut -c1-13; }

# 300,000 events of 100,000 customers, one second apart; the baseline has
# the first 50,000 customers and the rest brings 50,000 new ones.
awk 'BEGIN {
    split("page_view product_view add_to_cart purchase newsletter_signup", ev, " ")
    split("social search email direct", ch, " ")
    print "customer,ts,event,value,channel,session,email,name,note"
    for (i = 0; i < 300000; i++) {
        c = i < 50000 ? i : 50000 + (i - 50000) % 50000
        e = ev[i % 5 + 1]
        printf "c%06d,%d,%s,%s,%s,s%d,%s,%s,\"row %d, quoted\"\n", c, 1704067200 + i, e,
            e == "purchase" ? sprintf("%d.%02d", i % 200, i % 100) : "", ch[i % 4 + 1], i / 3,
            i % 7 == 0 ? "u" c "@example.com" : "", i % 11 == 0 ? "Name " c : "", i
    }
}' >"$tmp/all.csv"
head -n 50001 "$tmp/all.csv" >"$tmp/base.csv"
{ head -n 1 "$tmp/all.csv"; tail -n +50002 "$tmp/all.csv"; } >"$tmp/rest.csv"

db="$tmp/shop.db"
counts() { # the numbers that must not move: events, customers, imports
    sqlite3 "$1" 'SELECT (SELECT count(*) FROM events) || " " ||
        (SELECT count(*) FROM customers) || " " || (SELECT count(*) FROM imports)' 2>&1
}
intact() {
    sqlite3 "$1" 'PRAGMA integrity_check' 2>&1
}

if "$CONVTOP" import --quiet --db "$db" "$tmp/base.csv"; then
    ok "baseline import"
else
    bad "baseline import"
    exit 1
fi
base=$(counts "$db")
[ "$base" = "50000 50000 1" ] && ok "baseline: $base" || bad "baseline counts: $base"
full="300000 100000 2"
# a closed database has no -wal or -shm: copying the file is a snapshot
cp "$db" "$tmp/base.db"

# how long an import of the rest takes here (sanitizers make it slower)
cp "$tmp/base.db" "$tmp/timing.db"
t0=$(ms)
"$CONVTOP" import --quiet --db "$tmp/timing.db" "$tmp/rest.csv" || bad "timing import"
t1=$(ms)
dur=$((t1 - t0))
[ "$(counts "$tmp/timing.db")" = "$full" ] && ok "a whole import takes $dur ms" ||
    bad "timing import counts: $(counts "$tmp/timing.db")"
rm -f "$tmp/timing.db"*

# After a kill the file must be intact and hold the baseline exactly; with
# late=1 the kill may have come after the COMMIT, and then it must hold
# everything.  Never anything between.  Each kill starts from the baseline.
after_kill() { # STATUS LATE WHAT
    check=$(intact "$db")
    got=$(counts "$db")
    [ "$1" -eq 137 ] && killed=$((killed + 1))
    if [ "$check" != ok ]; then
        bad "kill $3: exit $1, integrity '$check'"
    elif [ "$got" = "$base" ] && [ "$1" -eq 137 ]; then
        ok "killed $3: intact, as before ($got)"
    elif [ "$got" = "$full" ] && [ "$2" -eq 1 ] && { [ "$1" -eq 137 ] || [ "$1" -eq 0 ]; }; then
        ok "kill $3 (exit $1) came after the commit: intact, all rows ($got)"
    else
        bad "kill $3: exit $1, counts '$got' (want '$base'$([ "$2" -eq 1 ] && echo " or '$full'"))"
    fi
    if [ "$got" != "$base" ]; then
        rm -f "$db" "$db-wal" "$db-shm"
        cp "$tmp/base.db" "$db"
    fi
}

# 24 kills spread over the data: the rest is fed through a pipe, and the
# import is killed once k/24 of it has gone in (it is then parsing and
# writing that part, or waiting for more), after 0 to 30 ms more.
size=$(wc -c <"$tmp/rest.csv")
mkfifo "$tmp/fifo"
killed=0 k=1
while [ $k -le 24 ]; do
    bytes=$((size / 25 * k + k * 997))
    "$CONVTOP" import --quiet --db "$db" - <"$tmp/fifo" >/dev/null 2>&1 &
    pid=$!
    exec 3>"$tmp/fifo"
    head -c "$bytes" "$tmp/rest.csv" >&3
    sleep "0.0$((k % 4))"
    kill -9 "$pid" 2>/dev/null
    exec 3>&-
    wait "$pid" 2>/dev/null
    st=$?
    pid=
    after_kill $st 0 "at byte $bytes of $size"
    k=$((k + 1))
done
[ $killed -eq 24 ] && ok "24 imports killed mid-way" || bad "only $killed of 24 imports were killed"

# 6 more kills late in an import of the file, around the commit: the time
# is measured, so the import may win the race; all or nothing either way
for pct in 80 90 95 100 105 110; do
    delay=$((dur * pct / 100))
    "$CONVTOP" import --quiet --db "$db" "$tmp/rest.csv" >/dev/null 2>&1 &
    pid=$!
    sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    st=$?
    pid=
    after_kill $st 1 "after $delay ms ($pct% of a whole import)"
done

# one import to the end, on the file that survived all the kills
if "$CONVTOP" import --quiet --db "$db" "$tmp/rest.csv"; then
    ok "the import runs to the end after the kills"
else
    bad "the import after the kills failed"
fi
check=$(intact "$db")
got=$(counts "$db")
[ "$check" = ok ] && [ "$got" = "$full" ] && ok "totals: $got" ||
    bad "totals: integrity '$check', counts '$got' (want '$full')"

# an import while reports read the same file
rm -f "$db" "$db-wal" "$db-shm"
cp "$tmp/base.db" "$db"
"$CONVTOP" import --quiet --db "$db" "$tmp/rest.csv" >"$tmp/import.out" 2>&1 &
pid=$!
reports=0 rfail=0
while kill -0 "$pid" 2>/dev/null; do
    if "$CONVTOP" report funnel --db "$db" --format json >"$tmp/report.out" 2>"$tmp/report.err"
    then
        reports=$((reports + 1))
    else
        rfail=$((rfail + 1))
        sed 's/^/     | /' "$tmp/report.err"
    fi
done
wait "$pid"
st=$?
pid=
[ "$st" -eq 0 ] && ok "import beside the reports" || bad "import beside the reports: exit $st"
[ $rfail -eq 0 ] && [ $reports -ge 1 ] && ok "$reports reports during the import, none failed" ||
    bad "$rfail of $((reports + rfail)) reports failed during the import"
"$CONVTOP" report customers --db "$db" --format csv --limit 0 >"$tmp/report.out" 2>&1 &&
    [ "$(wc -l <"$tmp/report.out")" -eq 100001 ] &&
    ok "a report after the import lists all 100000 customers" ||
    bad "report after the import: $(head -c 300 "$tmp/report.out")"
got=$(counts "$db")
[ "$got" = "$full" ] && ok "totals after the concurrent import: $got" || bad "totals: $got"
exit $fail
