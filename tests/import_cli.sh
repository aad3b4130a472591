#!/bin/sh
# import_cli.sh - convtop import as a user runs it (SPEC 3.2, 7): exit codes,
# messages naming FILE:LINE, an unchanged database after a bad row, no file
# left behind by a failed first import, stdin, --skip-bad, --quiet, and
# imports racing to make the same new database.
set -u
: "${CONVTOP:?CONVTOP must name the convtop binary}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/convtop-cli-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
unset CONVTOP_CONFIG CONVTOP_DB
XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data"
export XDG_CONFIG_HOME XDG_DATA_HOME

fail=0
ok() { echo "ok   $1"; }
bad() {
    echo "FAIL $1"
    sed 's/^/     | /' "$tmp/out" "$tmp/err"
    fail=1
}
# expect CODE WHAT -- command...: run it, check the exit code
expect() {
    want=$1 what=$2
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq "$want" ]; then
        ok "$what (exit $got)"
    else
        bad "$what: exit $got, want $want"
    fi
}
has() { # FILE TEXT WHAT
    if grep -qF -- "$2" "$1"; then ok "$3"; else bad "$3: no '$2'"; fi
}

db="$tmp/shop.db"
printf 'customer,ts,event,value\nc1,2024-01-01,visit,\nc1,2024-01-02,purchase,10\n' >"$tmp/good.csv"
printf 'customer,ts,event,value\nc2,2024-01-01,visit,\nc2,someday,purchase,10\n' >"$tmp/bad.csv"
printf 'customer,ts,event\n' >"$tmp/header.csv"
: >"$tmp/empty.csv"

expect 2 "no file" -- "$CONVTOP" import --db "$db"
expect 2 "--read-only is refused" -- "$CONVTOP" import --read-only --db "$db" "$tmp/good.csv"
has "$tmp/err" "read-only" "the refusal says why"
expect 2 "unknown format" -- "$CONVTOP" import --format xlsx --db "$db" "$tmp/good.csv"
expect 0 "--help" -- "$CONVTOP" import --help
has "$tmp/out" "--skip-bad" "help lists --skip-bad"
[ ! -e "$db" ] && ok "refused commands created no database" || bad "a database was created"

expect 0 "good file" -- "$CONVTOP" import --db "$db" "$tmp/good.csv"
has "$tmp/out" "loaded                    2" "summary counts the loaded rows"
mode=$(stat -c %a "$db" 2>/dev/null || echo 600)
[ "$mode" = 600 ] && ok "database mode 0600" || bad "database mode $mode"

cp "$db" "$tmp/before.db"
expect 1 "bad row" -- "$CONVTOP" import --db "$db" "$tmp/bad.csv"
has "$tmp/err" "$tmp/bad.csv:3: not a timestamp" "the message names FILE:LINE"
cmp -s "$db" "$tmp/before.db" && ok "database unchanged byte for byte" || bad "database changed"

expect 1 "bad row into a new database" -- "$CONVTOP" import --db "$tmp/new.db" "$tmp/bad.csv"
if [ -e "$tmp/new.db" ] || [ -e "$tmp/new.db-wal" ] || [ -e "$tmp/new.db-shm" ]; then
    bad "a failed first import left a database"
else
    ok "a failed first import leaves no file"
fi

expect 0 "header only" -- "$CONVTOP" import --db "$db" "$tmp/header.csv"
has "$tmp/out" "nothing loaded" "a header-only file says so"
expect 1 "empty file" -- "$CONVTOP" import --db "$db" "$tmp/empty.csv"
has "$tmp/err" "empty" "an empty file is named as such"

expect 0 "standard input" -- sh -c "printf 'customer,ts,event\nc3,2024-01-05,visit\n' |
    '$CONVTOP' import --db '$db' -"
has "$tmp/out" "loaded                    1" "stdin row loaded"

expect 0 "--skip-bad" -- "$CONVTOP" import --db "$db" --skip-bad "$tmp/rejects.csv" "$tmp/bad.csv"
has "$tmp/rejects.csv" "not a timestamp" "the rejects file has the reason"
rejected=$(wc -l <"$tmp/rejects.csv")
[ "$rejected" -eq 2 ] && ok "one rejected row" || bad "rejects file has $rejected lines"

expect 0 "--quiet" -- "$CONVTOP" import --quiet --db "$db" "$tmp/good.csv"
[ ! -s "$tmp/out" ] && ok "--quiet prints nothing" || bad "--quiet printed"
# imports started together on a database that does not exist yet: one
# makes and sets it up, the others wait for it; all succeed, rows once
printf 'customer,ts,event\nr1,2024-01-01,visit\nr2,2024-01-02,visit\n' >"$tmp/race.csv"
failed=0
i=0
while [ $i -lt 20 ]; do
    rm -f "$tmp/race.db" "$tmp/race.db-wal" "$tmp/race.db-shm"
    pids=
    for k in 1 2 3; do
        "$CONVTOP" import --quiet --db "$tmp/race.db" "$tmp/race.csv" 2>>"$tmp/race.err" &
        pids="$pids $!"
    done
    for p in $pids; do
        wait "$p" || failed=$((failed + 1))
    done
    [ "$("$CONVTOP" report goals --db "$tmp/race.db" --format json | grep -c '"visitors": 2')" = 1 ] ||
        failed=$((failed + 1))
    i=$((i + 1))
done
[ $failed -eq 0 ] && ok "three imports racing to make one database all succeed (20 rounds)" ||
    { cp "$tmp/race.err" "$tmp/err"; : >"$tmp/out"; bad "racing imports: $failed failures"; }
exit $fail
