#!/bin/sh
# valgrind.sh - the commands of convtop under valgrind (SPEC 9): every
# report (funnel, goals, cohort, customers, winback, one customer) in text
# and JSON, with --mask-pii and a segment, plus demo, import and check, on a
# small demo shop.  Any invalid read or write, use of uninitialised memory,
# or leak (definite, indirect or possible) fails it.  Slow, so not in make
# check: `make valgrind` runs it (CI calls that).  Skips (77) without
# valgrind.
set -u
: "${CONVTOP:?CONVTOP must name the convtop binary}"
command -v valgrind >/dev/null 2>&1 || { echo "no valgrind: skipped"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/convtop-vg-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
unset CONVTOP_CONFIG CONVTOP_DB
XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data"
export XDG_CONFIG_HOME XDG_DATA_HOME

fail=0
n=0
vg() { # WHAT EXIT -- convtop arguments: valgrind quiet, convtop exits EXIT
    what=$1 want=$2
    shift 3
    n=$((n + 1))
    valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes \
        --log-file="$tmp/vg.log" "$CONVTOP" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    got=$?
    if [ "$got" -eq "$want" ] && [ ! -s "$tmp/vg.log" ]; then
        echo "ok   $what"
    else
        echo "FAIL $what (exit $got, want $want; 99 is valgrind's)"
        sed 's/^/     | /' "$tmp/err" "$tmp/vg.log" | head -n 60
        fail=1
    fi
}

db="$tmp/demo.db"
vg "demo" 0 -- demo --quiet --db "$db" --customers 150 --seed 3
key=$(sqlite3 "$db" 'SELECT key FROM customers ORDER BY id LIMIT 1' 2>/dev/null || echo c000001)
for fmt in text json; do
    vg "report funnel --format $fmt" 0 -- report funnel --db "$db" --format "$fmt"
    vg "report funnel --funnel Checkout --trend --format $fmt" 0 -- \
        report funnel --db "$db" --funnel Checkout --trend --format "$fmt"
    vg "report funnel --breakdown channel --format $fmt" 0 -- \
        report funnel --db "$db" --breakdown channel --format "$fmt"
    vg "report goals --format $fmt" 0 -- report goals --db "$db" --format "$fmt"
    vg "report cohort --format $fmt" 0 -- report cohort --db "$db" --format "$fmt"
    vg "report cohort --view cum_revenue --period week --format $fmt" 0 -- \
        report cohort --db "$db" --view cum_revenue --period week --format "$fmt"
    vg "report customers --mask-pii --format $fmt" 0 -- \
        report customers --db "$db" --mask-pii --format "$fmt"
    vg "report winback --format $fmt" 0 -- report winback --db "$db" --format "$fmt"
    vg "report customer $key --format $fmt" 0 -- report customer "$key" --db "$db" --format "$fmt"
    vg "report goals --segment Social --from 2025-03-01 --to 2025-06-30 --format $fmt" 0 -- \
        report goals --db "$db" --segment Social --from 2025-03-01 --to 2025-06-30 --format "$fmt"
done
vg "report funnel --format csv" 0 -- report funnel --db "$db" --format csv
vg "report customer (unknown key)" 1 -- report customer no-such-customer --db "$db"
printf 'customer,ts,event,value\nv1,2024-01-01T00:00:00Z,page_view,\nv1,2024-01-02,purchase,9.5\n' \
    >"$tmp/good.csv"
printf 'customer,ts,event\nv2,someday,page_view\n' >"$tmp/bad.csv"
vg "import" 0 -- import --quiet --db "$db" "$tmp/good.csv"
vg "import of a bad row" 1 -- import --quiet --db "$db" "$tmp/bad.csv"
vg "import --skip-bad" 0 -- import --quiet --db "$db" --skip-bad "$tmp/rejects.csv" "$tmp/bad.csv"
vg "check (the default config)" 0 -- check
printf 'funnel: { windw: 1d }\ngoals: [ { name: x } ]\n' >"$tmp/bad.yaml"
vg "check (a config with mistakes)" 2 -- check "$tmp/bad.yaml"
echo "$n commands under valgrind"
exit $fail
