#!/bin/bash
# export.sh - e exports the table on screen as CSV (SPEC 6): on the
# customers pane the status bar names the file, which is in the working
# folder, has one row per customer in the list's order and a first row equal
# to the report's first customer; the funnel and the detail export too; the
# help has nothing to export and says so; with --mask-pii the file is masked.
. "$(dirname "$0")/lib.sh"
need_python

db=$T/shop.db
make_demo "$db" 1500
ct report customers --db "$db" --format json --limit 0 >"$T/customers.json"
ct report funnel --db "$db" --format json >"$T/funnel.json"
# wide enough for the whole message, however long $TMPDIR is
cols=$((${#T} + 75))
[ "$cols" -lt 80 ] && cols=80

# exported WHAT: e, then the path the status bar names (empty on failure)
exported() {
    keys e
    if ! wait_for "exported to " 5; then
        fail "$1: no 'exported to' message"
        return
    fi
    screen | tail -n 1 | sed -n 's/^ exported to \(.*\.csv\).*/\1/p'
}

tty_start -x "$cols" -- --db "$db"
wait_for "Funnel: stages" || fail "the TUI did not start"
keys 3
expect_has "sorted by net spend" "the customers pane"
file=$(exported "customers")
case $file in
"$T"/work/convtop-Customers-*.csv) ok "the status bar names $file" ;;
*) fail "the export is not in the working folder: '$file'" ;;
esac
if [ -s "$file" ]; then ok "the file exists"; else fail "no file $file"; file=/dev/null; fi
first_key=$(screen | sed -n '/^ key  *name/{n;p;q}' | awk '{print $1}')
py_check "$file" "$T/customers.json" "$first_key" <<'EOF'
import csv, sys
from ttycheck import *
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
want = load(sys.argv[2])["customers"]
check(rows[:1] == [["key", "email", "name", "channel", "orders", "revenue", "refunds",
                    "net_spend", "tier", "stage", "last_seen", "churn_risk"]],
      "the header row", repr(rows[:1]))
check(len(rows) == len(want) + 1, "one row per customer (%d)" % len(want), str(len(rows) - 1))
if len(rows) > 1:
    r, j = dict(zip(rows[0], rows[1])), want[0]
    check(r["key"] == j["key"] == sys.argv[3], "the first row is the first customer on screen",
          "%s, json %s, screen %s" % (r["key"], j["key"], sys.argv[3]))
    for k in ("email", "name", "channel", "tier", "stage", "churn_risk"):
        check(r[k] == (j[k] or ""), "first row: " + k, "%r vs %r" % (r[k], j[k]))
    for k in ("orders", "revenue", "refunds", "net_spend"):
        check(abs(float(r[k]) - j[k]) < 0.005, "first row: " + k, "%r vs %r" % (r[k], j[k]))
    check([x[0] for x in rows[1:]] == [x["key"] for x in want], "rows in the list's order")
done()
EOF
keys Down
if wait_gone "exported to " 5; then ok "a key clears the message"; else fail "the message stays"; fi

keys 1
wait_for "Funnel: stages" 5
file=$(exported "funnel")
case $file in
"$T"/work/convtop-Funnel-*.csv) ok "the funnel exports to $file" ;;
*) fail "the funnel export is not in the working folder: '$file'" ;;
esac
py_check "${file:-/dev/null}" "$T/funnel.json" <<'EOF'
import csv, sys
from ttycheck import *
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
steps = load(sys.argv[2])["steps"]
check([r["step"] for r in rows] == [s["name"] for s in steps], "the funnel's steps")
for r, s in zip(rows, steps):
    check(int(r["customers"]) == s["customers"], "%s: customers" % s["name"])
    for k in ("pct_of_first", "pct_of_prev", "median_s"):
        ok_ = (r[k] == "" and s[k] is None) or (r[k] != "" and s[k] is not None
                                               and abs(float(r[k]) - s[k]) < 5e-5)
        check(ok_, "%s: %s" % (s["name"], k), "%r vs %r" % (r[k], s[k]))
done()
EOF

keys 3
wait_for "sorted by net spend" 5
keys Enter
expect_has "Timeline " "a customer's detail"
n=$(screen | sed -n 's/.*Timeline . \([0-9]*\) events.*/\1/p')
file=$(exported "detail")
lines=$(($(wc -l <"${file:-/dev/null}") - 1))
if [ -n "$n" ] && [ "$lines" -eq "$n" ]; then
    ok "the detail exports its $n timeline events"
else
    fail "the detail export has $lines rows, the timeline ${n:-?} events"
fi
keys Escape

keys '?'
wait_for "Keys  (Esc" 5
keys e
expect_has "nothing to export here" "the help has nothing to export"
keys Escape
tty_quit

rm -f "$T"/work/*.csv
tty_start -x "$cols" -- --db "$db" --mask-pii
wait_for "Funnel: stages" || fail "the TUI did not start"
keys 3
wait_for "sorted by net spend" 5
file=$(exported "masked customers")
py_check "${file:-/dev/null}" <<'EOF'
import csv, sys
from ttycheck import *
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
emails = [r["email"] for r in rows if r["email"]]
names = [r["name"] for r in rows if r["name"]]
check(emails and all(re.match(r"^.\*\*\*(@.\*\*\*(\.\w+)?)?$", e) for e in emails),
      "--mask-pii masks every e-mail in the export", repr(emails[:3]))
check(names and all(re.match(r"^(\S\.)( \S\.)*$", n) for n in names),
      "--mask-pii masks every name in the export", repr(names[:3]))
done()
EOF
tty_quit
finish
