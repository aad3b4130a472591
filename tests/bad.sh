#!/bin/sh
# bad.sh - hostile input (SPEC 9): every file of tests/bad/ as its MANIFEST
# line says.  Each import goes into a fresh copy of a small baseline
# database and must end with the expected exit code (1 bad data, 2 usage or
# config, 0 for the valid files kept on purpose), one line on stderr naming
# the file (and the line of a bad row), with no control character in it,
# and the database byte for byte as it was (cmp) and intact (PRAGMA
# integrity_check).  A valid file must load exactly its rows, as text: the
# SQL in sql-in-every-field.* is stored, never run.  Configs go through
# convtop check (FILE:LINE:COLUMN, exit 2).  Files too big to keep in the
# tree are written here (gen:NAME).  Skips (77) without the sqlite3 command.
set -u
: "${CONVTOP:?CONVTOP must name the convtop binary}"
: "${top_srcdir:?}"
command -v sqlite3 >/dev/null 2>&1 || { echo "no sqlite3 command: skipped"; exit 77; }
dir=$top_srcdir/tests/bad
tmp=$(mktemp -d "${TMPDIR:-/tmp}/convtop-bad-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
unset CONVTOP_CONFIG CONVTOP_DB
XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data"
export XDG_CONFIG_HOME XDG_DATA_HOME

fail=0
bad() {
    echo "FAIL $1"
    [ -s "$tmp/err" ] && head -c 600 "$tmp/err" | sed 's/^/     | /'
    fail=1
}

# the baseline: 3 customers, 6 events
good="$tmp/good.csv"
printf '%s\n' 'customer,ts,event,value,email,name' \
    'b1,2024-01-01T00:00:00Z,page_view,,b1@example.com,Bea One' \
    'b1,2024-01-02T00:00:00Z,purchase,10,,' 'b2,2024-01-03T00:00:00Z,page_view,,,' \
    'b2,2024-01-04T00:00:00Z,refund,-5,,' 'b3,2024-01-05T00:00:00Z,page_view,,,' \
    'b3,2024-01-06T00:00:00Z,review,,,' >"$good"
base="$tmp/base.db"
"$CONVTOP" import --quiet --db "$base" "$good" </dev/null || { echo "FAIL baseline"; exit 1; }
q() { sqlite3 "$1" "$2" 2>&1 </dev/null; }
base_events=$(q "$base" 'SELECT count(*) FROM events')

# gen:NAME -> a file in $tmp/gen
gen() {
    mkdir -p "$tmp/gen"
    out="$tmp/gen/$1"
    case $1 in
    field-1mb.csv)
        awk 'BEGIN { print "customer,ts,event,name"; print "c1,2024-01-01,page_view,Ann"
            s = "x"; while (length(s) < 1048576) s = s s
            print "c2,2024-01-01,page_view," s }' >"$out" ;;
    columns-70000.csv | columns-60000.csv)
        cols=${1#columns-}
        cols=${cols%.csv}
        awk -v n="$cols" 'BEGIN { h = "customer,ts,event"; r = "c1,2024-01-01,page_view"
            for (i = 3; i < n; i++) { h = h ",p" i; r = r ",v" }
            print h; print r }' >"$out" ;;
    json-deep.ndjson)
        awk 'BEGIN { o = ""; c = ""; for (i = 0; i < 5000; i++) { o = o "["; c = c "]" }
            printf "{\"customer\":\"c1\",\"ts\":\"2024-01-01\",\"event\":\"x\","
            print "\"properties\":{\"a\":" o c "}}" }' >"$out" ;;
    *) echo "FAIL no generator for $1"; fail=1; out= ;;
    esac
}

# no terminal control in what convtop prints: C0 (but the newline), DEL, C1
clean() {
    ! tr -d '\n' <"$1" | LC_ALL=C grep -q "$(printf '[\001-\037\177]\\|\302[\200-\237]')"
}

n=0
sed -e '/^#/d' -e '/^[[:space:]]*$/d' -e 's/[[:space:]]*|[[:space:]]*/|/g' \
    -e 's/[[:space:]]*$//' "$dir/MANIFEST" >"$tmp/manifest"
while IFS='|' read -r file how code where msg; do
    n=$((n + 1))
    what="$file ($how)"
    case $file in
    gen:*) gen "${file#gen:}"; path=$out; [ -n "$path" ] || continue ;;
    *) path=$dir/$file ;;
    esac
    db="$tmp/work.db"
    rm -f "$db" "$db-wal" "$db-shm"
    cp "$base" "$db"
    case $how in
    check) "$CONVTOP" check "$path" ;;
    config) "$CONVTOP" import --quiet --db "$db" --config "$path" "$good" ;;
    import*) "$CONVTOP" import --db "$db" ${how#import} "$path" ;;
    *) echo "FAIL $what: unknown HOW"; fail=1; continue ;;
    esac >"$tmp/out" 2>"$tmp/err" </dev/null
    got=$?
    if [ "$got" -ne "$code" ]; then
        bad "$what: exit $got, want $code"
        continue
    fi
    lines=$(wc -l <"$tmp/err")
    line=$(head -n 1 "$tmp/err")
    case $where in
    -) [ "$lines" -eq 0 ] || { bad "$what: stderr not empty"; continue; } ;;
    C) rest=${line#"$path:"}
        if [ "$lines" -ne 1 ] || [ "$rest" = "$line" ] ||
            ! printf '%s\n' "$rest" | grep -Eq '^[0-9]+:[0-9]+: '; then
            bad "$what: want one line FILE:LINE:COLUMN: ..."
            continue
        fi ;;
    0) case $line in "convtop: $path: "*) ;; *) line= ;; esac
        [ "$lines" -eq 1 ] && [ -n "$line" ] ||
            { bad "$what: want one line 'convtop: FILE: ...'"; continue; } ;;
    *) case $line in "convtop: $path:$where: "*) ;; *) line= ;; esac
        [ "$lines" -eq 1 ] && [ -n "$line" ] ||
            { bad "$what: want one line 'convtop: FILE:$where: ...'"; continue; } ;;
    esac
    clean "$tmp/err" || { bad "$what: a control character on stderr"; continue; }
    if [ "$code" -eq 0 ]; then
        grep -qF -- "${msg%% [0-9]*}" "$tmp/out" || { bad "$what: stdout has no '$msg'"; continue; }
    else
        grep -qF -- "$msg" "$tmp/err" || { bad "$what: no '$msg' on stderr"; continue; }
        [ ! -s "$tmp/out" ] || { bad "$what: stdout not empty"; continue; }
    fi
    [ "$how" = check ] && { echo "ok   $what: exit $got"; continue; }
    check=$(q "$db" 'PRAGMA integrity_check')
    tables=$(q "$db" "SELECT count(*) FROM sqlite_master WHERE type = 'table'
        AND name IN ('events', 'customers', 'imports')")
    [ "$check" = ok ] && [ "$tables" = 3 ] ||
        { bad "$what: integrity '$check', tables $tables"; continue; }
    case $msg in
    "loaded "*)
        want=$((base_events + ${msg#loaded }))
        grep -Eq "loaded +${msg#loaded }\$" "$tmp/out" &&
            [ "$(q "$db" 'SELECT count(*) FROM events')" = "$want" ] ||
            { bad "$what: want $want events"; continue; } ;;
    *) cmp -s "$db" "$base" || { bad "$what: the database changed"; continue; } ;;
    esac
    echo "ok   $what: exit $got"
done <"$tmp/manifest"

# the SQL was stored as text
db="$tmp/work.db"
rm -f "$db" "$db-wal" "$db-shm"
cp "$base" "$db"
"$CONVTOP" import --quiet --db "$db" "$dir/sql-in-every-field.csv" </dev/null
sql="x''); DROP TABLE events; --"
got=$(q "$db" "SELECT count(*) FROM events e JOIN customers c ON c.id = e.customer_id
    WHERE c.key = '$sql' AND c.email = '$sql' AND c.name = '$sql' AND e.event = '$sql'
    AND e.channel = '$sql' AND e.session = '$sql' AND e.event_id = '$sql'")
[ "$got" = 1 ] && echo "ok   SQL in every field is stored as text" ||
    bad "SQL in every field: the row is not there as text ($got)"

# a file name is data too: an escape in it reaches no terminal
esc=$(printf '%s/x\033[2J\033]0;owned\007y.csv' "$tmp")
cp "$dir/value-nan.csv" "$esc"
"$CONVTOP" import --quiet --db "$db" "$esc" >"$tmp/out" 2>"$tmp/err" </dev/null
got=$?
[ $got -eq 1 ] && clean "$tmp/err" &&
    grep -q 'x?\[2J?\]0;owned?y.csv:3: value not a number' "$tmp/err" &&
    echo "ok   an escape in a file name is printed as '?'" ||
    bad "escape in a file name: exit $got"

# every file of tests/bad/ has a line in the MANIFEST
for f in "$dir"/*; do
    b=${f##*/}
    [ "$b" = MANIFEST ] && continue
    grep -q "^$b|" "$tmp/manifest" || bad "$b is not in the MANIFEST"
done
echo "$n manifest lines"
exit $fail
