#!/bin/bash
# search.sh - find a customer as support staff do (SPEC 1, 6): pane 3, /,
# part of an e-mail; the list narrows while typing and holds the customer;
# Enter leaves the prompt, Enter opens the detail, whose key, name, e-mail,
# orders, revenue, refunds, net spend, tier, churn risk and event count equal
# `convtop report customer KEY --format json`; Esc goes back to the results,
# Esc clears the search.  Then a search by key, one that matches nobody,
# and Backspace back to an empty query.
. "$(dirname "$0")/lib.sh"
need_python

db=$T/shop.db
make_demo "$db" 1500
ct report customers --db "$db" --format json --limit 0 >"$T/customers.json" ||
    { fail "convtop report customers failed"; finish; }
# someone further down the list, with an e-mail, a name and a few orders
read -r key query total < <(py "$T/customers.json" <<'EOF'
import sys
from ttycheck import load
c = load(sys.argv[1])["customers"]
p = next(x for x in c[25:] if x["email"] and x["name"] and x["orders"] >= 2)
print(p["key"], p["email"][:7], "{:,}".format(len(c)))
EOF
)
if [ -z "${query:-}" ]; then
    fail "no customer to search for in the report"
    finish
fi
ct report customer "$key" --db "$db" --format json >"$T/one.json" ||
    { fail "convtop report customer $key failed"; finish; }

tty_start -- --db "$db"
wait_for "Funnel: stages" || fail "the TUI did not start"
keys 3
expect_has "$total shown" "the customers pane lists all $total customers"
keys /
expect_has "type to search" "/ opens the search prompt"
type_text "$query"
expect_has "search:  $query" "the prompt echoes '$query'"
expect_has "$key " "typing '$query' finds $key"
snap "$T/found.txt"
# the row of $key in the results, and how many results there are
read -r row shown < <(py "$T/found.txt" "$key" <<'EOF'
import sys
from ttycheck import *
screen, key = lines(sys.argv[1]), sys.argv[2]
m = re.search(r"Customers . ([0-9,]+) shown", screen[1])
rows = [r[0] for r in customer_rows(screen)]
print(rows.index(key) if key in rows else -1, m.group(1) if m else "?")
EOF
)
if [ "${row:--1}" -ge 0 ] && [ "$shown" != "$total" ] && [ "$shown" != "?" ]; then
    ok "the list narrowed to $shown while typing, $key on row $row"
else
    fail "the list did not narrow to $key: ${shown:-?} shown, row ${row:-?}"
    row=0
fi

keys Enter
if wait_gone "type to search" 5 && screen_has "search:  $query"; then
    ok "Enter leaves the prompt; the query stays shown"
else
    fail "Enter did not leave the prompt"
fi
for ((i = 0; i < row; i++)); do
    keys Down
done
keys Enter
expect_has "Timeline " "Enter opens the customer"
snap "$T/detail.txt"
py_check "$T/detail.txt" "$T/one.json" <<'EOF'
import sys
from ttycheck import *
screen, p = lines(sys.argv[1]), load(sys.argv[2])
check(screen[1].split("  ") == [" " + p["key"], p["name"], p["email"]],
      "key, name and e-mail head the detail", screen[1])
text = "\n".join(screen[2:])
def field(label):
    m = re.search(r"(?:^ |  )" + label + r" (\S+)", text, re.M)
    return m.group(1) if m else "?"
same(field("orders"), p["orders"], "orders")
same(field("revenue"), p["revenue"], "revenue")
same(field("refunds"), p["refunds"], "refunds")
same(field("net"), p["net_spend"], "net spend")
same(field("AOV"), p["aov"], "average order value")
check(field("tier") == (p["tier"] or "-"), "tier", field("tier"))
check(field("churn risk") == p["churn_risk"], "churn risk", field("churn risk"))
check(field("channel") == (p["channel"] or "-"), "channel", field("channel"))
m = re.search(r"Timeline . ([0-9]+) events", text)
check(m is not None and int(m.group(1)) == len(p["timeline"]),
      "the timeline holds its %d events" % len(p["timeline"]))
done()
EOF
keys Escape
if wait_gone "Timeline " 5 && wait_for "search:  $query" 5; then
    ok "Esc goes back to the search results"
else
    fail "Esc did not go back to the search results"
fi
keys Escape
expect_has "$total shown" "Esc clears the search"
expect_has "/ to search" "the prompt is gone"

keys /
type_text "$key"
expect_has "1 shown" "a search by key finds one customer"
keys Enter
wait_gone "type to search" 5
keys Enter
expect_has "Timeline " "Enter, Enter opens it"
if screen_has " $key  "; then ok "the detail is $key"; else fail "the detail is not $key"; fi
keys Escape
wait_gone "Timeline " 5
keys Escape
expect_has "$total shown" "Esc clears the key search"

keys /
type_text "zzqqxx"
expect_has "No customer matches." "a query matching nobody says so"
keys BSpace BSpace BSpace BSpace BSpace BSpace
expect_has "$total shown" "Backspace to an empty query lists everyone"
keys Escape
expect_has "/ to search" "Esc closes the prompt"

tty_quit
finish
