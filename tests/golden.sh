#!/bin/sh
# golden.sh - every report kind and format on a fixed demo shop (seed 7,
# 1,500 customers) as of a fixed moment, compared with tests/golden/*.out.
# A number that moves shows up as a diff here.  To accept new outputs (in
# their own commit, saying why they moved):
#     GOLDEN_UPDATE=1 make check TESTS=tests/golden.sh
set -u
golden="$top_srcdir/tests/golden"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache"
unset CONVTOP_CONFIG CONVTOP_DB
export LC_ALL=C.UTF-8
"$CONVTOP" demo --db "$tmp/db" --customers 1500 --seed 7 --quiet > /dev/null || exit 1
now=2026-06-30T12:00:00Z
key=$("$CONVTOP" report customers --db "$tmp/db" --now "$now" --format csv --limit 1 |
      sed -n '2s/,.*//p')
fail=0
check() {
    name=$1
    shift
    "$CONVTOP" report "$@" --db "$tmp/db" --now "$now" > "$tmp/$name.raw" 2>&1 || {
        echo "golden: convtop report $* failed:"
        cat "$tmp/$name.raw"
        fail=1
        return
    }
    # paths depend on where the tree is: show them relative to it
    sed "s|$top_srcdir|SRCDIR|g" "$tmp/$name.raw" > "$tmp/$name.out"
    if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
        cp "$tmp/$name.out" "$golden/$name.out"
    elif ! diff -u "$golden/$name.out" "$tmp/$name.out"; then
        echo "golden: $name differs"
        fail=1
    fi
}
check funnel-text funnel
check funnel-csv funnel --format csv
check funnel-json funnel --format json
check funnel-checkout-json funnel --funnel Checkout --format json
check funnel-strict-json funnel --order strict --format json
check funnel-breakdown-trend-text funnel --breakdown channel --trend
check funnel-range-json funnel --from 2026-03-01 --to 2026-03-31 --format json
check goals-text goals
check goals-csv goals --format csv
check goals-json goals --format json
check goals-segment-json goals --segment Social --format json
check cohort-text cohort
check cohort-pct-csv cohort --view pct --format csv
check cohort-week-revenue-json cohort --period week --view revenue --format json
check cohort-cum-json cohort --view cum_revenue --format json
check customers-text customers --limit 15
check customers-json customers --format json --limit 15
check customers-churn-csv customers --sort churn_risk --format csv --limit 15
check winback-csv winback --format csv --limit 15
check customer-text customer "$key"
check customer-json customer "$key" --format json
check customer-masked-text customer "$key" --mask-pii
check why-text why c000002 --funnel Checkout
check why-stages-text why c000003
check why-json why "$key" --format json
check funnel-orders-text funnel --funnel Checkout --compare-orders
check funnel-orders-json funnel --compare-orders --format json
check funnel-against-text funnel --against "$top_srcdir/tests/data/other.yaml"
check goals-against-json goals --against "$top_srcdir/tests/data/other.yaml" --format json
check lifecycle-text lifecycle
check lifecycle-week-json lifecycle --period week --format json
# what customers cost, from the demo shop's marketing spend (issue 9)
check costs-text costs
check costs-week-csv costs --period week --format csv
check costs-json costs --format json
check costs-day-range-json costs --period day --from 2025-11-24 --to 2025-11-30 --format json
exit $fail
