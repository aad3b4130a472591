#!/bin/sh
# real_cohort.sh - the monthly purchase cohorts of the real UCI Online Retail
# data (../shared/data/real), by convtop, against the same figures computed
# here straight from the raw CSV with python3 (not with convtop's code):
# cohort = month of a customer's first non-cancelled invoice, cell (c, k) =
# the cohort's customers with an invoice in month c + k.  Also reports how
# many cells of a published cohort table agree (that author also dropped
# lines with zero quantity or price, so one cell differs).  Skips (77)
# where the data or python3 is absent.
set -u
data="$top_srcdir/../shared/data/real"
csv="$data/online_retail_uci352.csv.gz"
if [ ! -f "$csv" ] || ! command -v python3 >/dev/null 2>&1; then
    echo "real_cohort: $csv or python3 not found, skipping"
    exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/cfg.yaml" <<'YAML'
shop: { name: UCI Online Retail, currency: GBP, timezone: Europe/London }
cohorts: { entry: purchase, return: purchase, period: month, periods: 13 }
YAML
"$CONVTOP" import --db "$tmp/db" --config "$tmp/cfg.yaml" "$csv" > /dev/null || exit 1
"$CONVTOP" report cohort --db "$tmp/db" --config "$tmp/cfg.yaml" --format json \
    > "$tmp/cohort.json" || exit 1
python3 - "$csv" "$tmp/cohort.json" "$data/published/harsh_online_retail_cohort_counts.csv" <<'PY'
import csv, gzip, json, sys
from collections import defaultdict

src, got, published = sys.argv[1:4]
months = defaultdict(set)
with gzip.open(src, "rt", encoding="utf-8", newline="") as f:
    for r in csv.DictReader(f):
        if r["CustomerID"] and not r["InvoiceNo"].startswith("C"):
            months[r["CustomerID"]].add(r["InvoiceDate"][:7])

def index(m):
    y, mo = map(int, m.split("-"))
    return y * 12 + mo

cohort = {c: min(ms) for c, ms in months.items()}
size, cells = defaultdict(int), defaultdict(int)
for c, ms in months.items():
    size[cohort[c]] += 1
    for m in ms:
        cells[(cohort[c], index(m) - index(cohort[c]))] += 1

report = json.load(open(got))
bad = 0
for row in report["cohorts"]:
    c = row["cohort"]
    if row["size"] != size[c]:
        print("cohort %s: size %d, expected %d" % (c, row["size"], size[c]))
        bad += 1
    for k, v in enumerate(row["values"]):
        if v is not None and v != cells.get((c, k), 0):
            print("cohort %s +%d: %s, expected %d" % (c, k, v, cells.get((c, k), 0)))
            bad += 1
if len(report["cohorts"]) != len(size):
    print("%d cohorts, expected %d" % (len(report["cohorts"]), len(size)))
    bad += 1
print("%d cohorts, %d customers: %d differences" % (len(size), len(months), bad))

same = total = 0
with open(published) as f:
    for r in list(csv.reader(f))[2:]:
        for k, v in enumerate(r[1:]):
            if v not in ("NaN", "", "..."):
                total += 1
                same += cells.get((r[0][:7], k), 0) == int(float(v))
print("published table (HarshTanwar001): %d of %d cells equal" % (same, total))
sys.exit(1 if bad else 0)
PY
