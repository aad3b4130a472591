#!/bin/sh
# real_data.sh - convtop import on the real UCI Online Retail files (SPEC 3.2).
#
# Imports each file, then both together, into a fresh database and checks
# customers, purchases, refunds and skipped guest lines against figures that
# python3's csv and gzip modules compute here, independently of convtop:
#   customers = distinct non-empty CustomerID
#   purchases = distinct invoices not starting with C that have a customer
#   refunds   = distinct invoices starting with C that have a customer
#   skipped   = lines without a CustomerID (guest lines)
# Each order's value is checked too (exact decimal sum of quantity x price).
# The two files overlap on 2010-12-01..09 with identical rows, so importing
# both must count those invoices once; importing again must add nothing.
# Exit 77 (skip) when the data or python3 is not there, e.g. in a tarball.
set -eu

data="${top_srcdir:-.}/../shared/data/real"
uci="$data/online_retail_uci352.csv.gz"
ii="$data/online_retail_ii_2009_2010.csv.gz"
if [ ! -r "$uci" ] || [ ! -r "$ii" ]; then
    echo "SKIP: the UCI files are not in $data"
    exit 77
fi
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
: "${CONVTOP:?CONVTOP must name the convtop binary}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/convtop-real-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
# the built-in config only: no user config may change the import
unset CONVTOP_CONFIG CONVTOP_DB
XDG_CONFIG_HOME="$tmp/xdg"
export XDG_CONFIG_HOME

# Figures from the CSV files: "lines customers purchases refunds guest
# nonc_qty_le0_with_customer"; with values=PATH, also each order's value.
expected() {
    python3 - "$@" <<'EOF'
import csv, gzip, sys
from decimal import Decimal
out = None
paths = sys.argv[1:]
if paths[0].startswith("values="):
    out = paths.pop(0)[len("values="):]
lines = guest = nonc_neg = 0
cust, pur, ref, value = set(), set(), set(), {}
for p in paths:
    mine = {}
    with gzip.open(p, "rt", encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        next(r)
        for inv, _code, _desc, qty, _ts, price, c, _country in r:
            lines += 1
            if c == "":
                guest += 1
                continue
            cust.add(c)
            (ref if inv.startswith("C") else pur).add(inv)
            if not inv.startswith("C") and Decimal(qty) <= 0:
                nonc_neg += 1
            mine[inv] = mine.get(inv, Decimal(0)) + Decimal(qty) * Decimal(price)
    # an invoice in two files is one order: the first file's stays
    for inv, v in mine.items():
        value.setdefault(inv, v)
print(lines, len(cust), len(pur), len(ref), guest, nonc_neg)
if out:
    with open(out, "w") as f:
        for inv, v in value.items():
            f.write("%s %s\n" % (inv, v))
EOF
}

# Figures from the database: "customers purchases refunds", and with a
# values file, the number of orders whose stored value differs from it.
actual() {
    python3 - "$@" <<'EOF'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
q = lambda sql: db.execute(sql).fetchone()[0]
print(q("SELECT count(*) FROM customers"),
      q("SELECT count(*) FROM events WHERE event = 'purchase'"),
      q("SELECT count(*) FROM events WHERE event = 'refund'"))
if len(sys.argv) > 2:
    want = dict(l.split() for l in open(sys.argv[2]))
    got = dict(db.execute("SELECT event_id, value FROM events"))
    bad = [k for k in want if k not in got or abs(got[k] - float(want[k])) > 1e-6]
    bad += [k for k in got if k not in want]
    print("value mismatches:", len(bad), bad[:5])
EOF
}

# summary FIELD: the number on the summary line that starts with FIELD
summary() {
    awk -v k="$1" '{ line = $0; sub(/^ +/, "", line) }
        index(line, k " ") == 1 { n = split(line, w, / +/); for (i = 1; i <= n; i++)
        if (w[i] ~ /^[0-9]+$/) { print w[i]; exit } }' "$2"
}

fail=0
check() { # what got want
    if [ "$2" = "$3" ]; then
        echo "ok   $1: $2"
    else
        echo "FAIL $1: got $2, want $3"
        fail=1
    fi
}

run() { # name files...
    name=$1
    shift
    db="$tmp/$name.db"
    set -- $(expected "values=$tmp/$name.values" "$@") "$@"
    lines=$1 customers=$2 purchases=$3 refunds=$4 guest=$5 nonc_neg=$6
    shift 6
    echo "== $name: $lines lines, python3 says: customers $customers, purchases $purchases," \
        "refunds $refunds, guest lines $guest"
    t0=$(date +%s.%N)
    "$CONVTOP" import --db "$db" "$@" >"$tmp/out" 2>"$tmp/err" || {
        cat "$tmp/err"
        fail=1
        return
    }
    t1=$(date +%s.%N)
    cat "$tmp/out"
    echo "   wall time: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f s", b - a }')"
    set -- $(actual "$db")
    check "$name customers" "$1" "$customers"
    check "$name purchases" "$2" "$purchases"
    check "$name refunds" "$3" "$refunds"
    check "$name rows read" "$(summary 'rows read' "$tmp/out")" "$lines"
    check "$name skipped guest lines" "$(summary skipped "$tmp/out")" "$guest"
    check "$name loaded" "$(summary loaded "$tmp/out")" "$((purchases + refunds))"
    mism=$(actual "$db" "$tmp/$name.values" | sed -n 's/^value mismatches: \([0-9]*\).*/\1/p')
    check "$name orders with a wrong value" "$mism" 0
    # Lines with quantity <= 0 on an order that is not a cancellation stay in
    # their order and net against its value (model/import_orders.c).  In these
    # files every such line is a guest line (stock adjustments): none belongs
    # to a customer, so the decision changes no figure here.
    check "$name non-C lines with quantity <= 0 and a customer" "$nonc_neg" 0
}

run uci352 "$uci"
run ii_2009_2010 "$ii"
run both "$ii" "$uci"

# importing both again adds nothing
"$CONVTOP" import --db "$tmp/both.db" "$ii" "$uci" >"$tmp/again" 2>"$tmp/err" || {
    cat "$tmp/err"
    fail=1
}
check "re-import loaded" "$(summary loaded "$tmp/again")" 0
check "re-import new customers" "$(summary 'new customers' "$tmp/again")" 0
exit $fail
