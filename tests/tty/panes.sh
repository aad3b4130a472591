#!/bin/bash
# panes.sh - the three panes at 80x24 on a small generated shop (SPEC 6):
# the header tabs, switching with 1 2 3, Tab and S-Tab, the ? help (every
# key of ui/keys.c listed), and the numbers on screen equal to
# `convtop report ... --format json` on the same database: funnel steps
# (count, % of first, % of previous, median and p90 times), the biggest
# drop-off, the goals table with its totals, cohort sizes and cells, the
# summary metrics, the first customers with their net spend.
. "$(dirname "$0")/lib.sh"
need_python

db=$T/shop.db
make_demo "$db" 1500
for r in funnel goals cohort customers; do
    ct report "$r" --db "$db" --format json --limit 0 >"$T/$r.json" ||
        { fail "convtop report $r failed"; finish; }
done

tty_start -- --db "$db"
expect_has "Funnel: stages" "the funnel pane is first"
snap "$T/funnel.txt"
py_check "$T/funnel.txt" "$T/funnel.json" "$T/goals.json" <<'EOF'
import sys
from ttycheck import *
screen, f, g = lines(sys.argv[1]), load(sys.argv[2]), load(sys.argv[3])
for t in ("Demo Shop", " 1 Funnel ", " 2 Cohorts ", " 3 Customers ", "? help  q quit"):
    check(t in screen[0], "header shows %r" % t.strip())
rows = funnel_rows(screen, f["steps"])
for s in f["steps"]:
    r = rows.get(s["name"])
    if not check(r is not None, "step %s is on the screen" % s["name"]):
        continue
    same(r[0], s["customers"], "%s: customers" % s["name"])
    same(r[1], s["pct_of_first"], "%s: %% of first" % s["name"])
    same(r[2], s["pct_of_prev"], "%s: %% of previous" % s["name"])
    times = r[3].split("/")  # "median/p90", or "-" for the first step
    same(times[0], s["median_s"], "%s: median time from the previous step" % s["name"])
    if len(times) > 1:
        same(times[1], s["p90_s"], "%s: 90th percentile of that time" % s["name"])
drop = f["biggest_dropoff"]
marked = [l[2:].split()[0] for l in screen if l.startswith("\u25bc ") and not "biggest" in l]
check(marked == [drop], "the biggest drop-off (%s) is the marked step" % drop, repr(marked))
names = [s["name"] for s in f["steps"]]
prev = names[names.index(drop) - 1]
check(find_line(screen, r"biggest drop-off: %s -> %s" % (prev, drop)) >= 0,
      "the drop-off line names %s -> %s" % (prev, drop))

head = find_line(screen, r"^ Goal +kind +completions +converters +conv\. rate +revenue")
check(head >= 0, "the goals table is under the funnel")
def goal_row(name):
    i = find_line(screen, "^ " + re.escape(name) + "  ", head + 1)
    return screen[i].split()[-4:] if i >= 0 else None
items = [(x["name"], x) for x in g["goals"]]
items += [("All micro goals", g["totals"]["micro"]), ("All macro goals", g["totals"]["macro"])]
for name, x in items:
    r = goal_row(name)
    if not check(r is not None, "goal row %s" % name):
        continue
    same(r[0], x["completions"], "%s: completions" % name)
    same(r[1], x["converters"], "%s: converters" % name)
    same(r[2], x["rate_pct"], "%s: conversion rate" % name)
    same(r[3], x["revenue"], "%s: revenue" % name)
done()
EOF

keys 2
expect_has "Cohorts by month" "2 opens the cohort pane"
snap "$T/cohort.txt"
py_check "$T/cohort.txt" "$T/cohort.json" <<'EOF'
import sys
from ttycheck import *
screen, c = lines(sys.argv[1]), load(sys.argv[2])
by_label = {x["cohort"]: x for x in c["cohorts"]}
head = find_line(screen, r"^ cohort +size +\+0 ")
check(head >= 0, "the triangle has its header")
offsets = [int(t[1:]) for t in screen[head].split()[2:]]
check(offsets == list(range(len(offsets))) and len(offsets) >= 6,
      "columns +0..+%d at 80 columns" % (len(offsets) - 1))
seen = 0
for line in screen[head + 1:]:
    t = line.split()
    if not t or t[0] not in by_label:
        break
    x = by_label[t[0]]
    same(t[1], x["size"], "cohort %s: size" % t[0])
    cells = t[2:]
    for k in offsets:
        want = x["values"][k] if k < len(x["values"]) else None
        got = cells[k] if k < len(cells) else "-"  # a future cell is blank
        same(got, want, "cohort %s +%d" % (t[0], k))
    seen += 1
check(seen >= 10 and seen <= len(c["cohorts"]), "%d cohort rows compared" % seen)
first = c["cohorts"][0]["cohort"]
check(head + 1 < len(screen) and screen[head + 1].split()[:1] == [first],
      "the first row is the first cohort, %s" % first)
s = c["summary"]
i = find_line(screen, r"^ repeat purchase rate ")
m = re.search(r"repeat purchase rate (\S+) . frequency (\S+) . AOV (\S+) . churn rate (\S+)",
              screen[i] if i >= 0 else "")
if check(m is not None, "the summary line is shown"):
    same(m.group(1), s["repeat_rate_pct"], "repeat purchase rate")
    same(m.group(2), s["purchase_frequency"], "purchase frequency")
    same(m.group(3), s["aov"], "average order value")
    same(m.group(4), s["churn_rate_pct"], "churn rate")
done()
EOF

keys 3
expect_has "Customers " "3 opens the customers pane"
wait_for "net spend" 5
snap "$T/customers.txt"
py_check "$T/customers.txt" "$T/customers.json" <<'EOF'
import sys
from ttycheck import *
screen, c = lines(sys.argv[1]), load(sys.argv[2])
want = c["customers"]
m = re.search(r"Customers . ([0-9,]+) shown", screen[1])
check(m is not None and int(m.group(1).replace(",", "")) == len(want),
      "the title counts %d customers" % len(want), screen[1])
rows = customer_rows(screen)
check(len(rows) >= 15, "%d customer rows on an 80x24 screen" % len(rows))
for (key, name, email, orders, net, tier), j in zip(rows, want):
    check(key == j["key"], "row %s is in report order" % key, "json %s" % j["key"])
    check((j["name"] or "").startswith(name), "%s: name" % key, "%r vs %r" % (name, j["name"]))
    check((j["email"] or "").startswith(email), "%s: e-mail" % key, "%r vs %r" % (email, j["email"]))
    same(orders, j["orders"], "%s: orders" % key)
    same(net, j["net_spend"], "%s: net spend" % key)
    check(tier == (j["tier"] or "-"), "%s: tier" % key, "%r vs %r" % (tier, j["tier"]))
done()
EOF

# Tab and S-Tab go round the three panes, both ways
pane_is() { # TITLE WHAT
    if wait_for "$1" 5; then ok "$2"; else fail "$2: no '$1'"; fi
}
keys Tab
pane_is "Funnel: stages" "Tab after the last pane wraps to the funnel"
keys Tab
pane_is "Cohorts by month" "Tab: funnel -> cohorts"
keys Tab
pane_is "sorted by net spend" "Tab: cohorts -> customers"
keys BTab
pane_is "Cohorts by month" "S-Tab: customers -> cohorts"
keys BTab
pane_is "Funnel: stages" "S-Tab: cohorts -> funnel"
keys BTab
pane_is "sorted by net spend" "S-Tab before the first pane wraps to the customers"
keys 1
pane_is "Funnel: stages" "1 opens the funnel pane"

# ? help lists every key of the table; Esc and ? close it
keys '?'
expect_has "Keys  (Esc or ? closes" "? opens the help"
expect_has " Help " "the header names the help"
: >"$T/help.txt"
keys Home
for page in 1 2 3 4; do
    snap "$T/page.txt"
    cat "$T/page.txt" >>"$T/help.txt"
    keys PageDown
done
py_check "$T/help.txt" "$top_srcdir/ui/keys.c" <<'EOF'
import sys
from ttycheck import *
text = "\n".join(lines(sys.argv[1]))
src = open(sys.argv[2], encoding="utf-8").read()
rows = re.findall(r'\{[^{}]*?SCOPE_\w+, ACT_\w+, "((?:[^"\\]|\\.)*)", "((?:[^"\\]|\\.)*)"\}', src)
check(len(rows) >= 30, "%d documented keys in ui/keys.c" % len(rows))
missing = [h for _, h in rows if h not in text]
check(not missing, "the help lists every documented key", repr(missing))
for section in ("Anywhere", "Lists and tables", "1 Funnel", "2 Cohorts", "3 Customers",
                "Customer detail"):
    check(section in text, "help section %s" % section)
done()
EOF
keys Escape
if wait_gone "Keys  (Esc or ? closes" 5 && wait_for "Funnel: stages" 5; then
    ok "Esc closes the help"
else
    fail "Esc did not close the help"
fi
keys '?'
expect_has "Keys  (Esc or ? closes" "? opens the help again"
keys '?'
if wait_gone "Keys  (Esc or ? closes" 5; then ok "? closes the help"; else fail "? did not close the help"; fi

tty_quit
finish
