#!/bin/sh
# costs_cli.sh - marketing spend and what customers cost (issue 9), as a
# user runs them: `convtop import --format spend` (exit codes, FILE:LINE,
# the database unchanged byte for byte after a bad file, a re-import that
# adds nothing) and `convtop report costs` on a hand-made shop whose
# figures are worked out below, then the demo shop's spend.
set -u
: "${CONVTOP:?CONVTOP must name the convtop binary}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/convtop-costs-XXXXXX")
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
expect() { # CODE WHAT -- command...
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

cfg="$tmp/shop.yaml"
db="$tmp/shop.db"
printf 'shop: { timezone: UTC }\n' >"$cfg"
# ann came through ads and later bought by e-mail; ben's refund lowers his
# spend to 40; dan's two March orders are one month (not retained); ann's
# June order and July's spend are after --now.
cat >"$tmp/events.csv" <<'EOF'
customer,ts,event,value,channel
ann,2024-01-03T09:00:00Z,page_view,,ads
ann,2024-01-03T09:05:00Z,purchase,40,ads
ann,2024-02-10T10:00:00Z,purchase,30,email
ann,2024-04-15T10:00:00Z,purchase,50,email
ann,2024-06-10T10:00:00Z,purchase,1000,email
ben,2024-01-20T10:00:00Z,purchase,60,ads
ben,2024-01-25T10:00:00Z,refund,-20,ads
cat,2024-01-10T10:00:00Z,purchase,100,search
dan,2024-03-05T10:00:00Z,purchase,20,search
dan,2024-03-20T10:00:00Z,purchase,10,search
EOF
cat >"$tmp/spend.csv" <<'EOF'
date,channel,purpose,amount
2024-01,ads,acquisition,150
2024-01,search,acquisition,30
2024-02,social,acquisition,50
2024-02,email,retention,12
2024-03,search,acquisition,40
2024-07,ads,acquisition,999
EOF
expect 0 "events" -- "$CONVTOP" import --config "$cfg" --db "$db" --quiet "$tmp/events.csv"
expect 0 "spend" -- "$CONVTOP" import --config "$cfg" --db "$db" --format spend "$tmp/spend.csv"
has "$tmp/out" "loaded                    6" "six spend records loaded"
expect 0 "spend again" -- "$CONVTOP" import --config "$cfg" --db "$db" --format spend \
    "$tmp/spend.csv"
has "$tmp/out" "duplicates                6" "a re-import adds nothing"

# Jan ads: CAC 150/2 = 75; CLV (120 + 40)/2 = 80; per customer 40, 55, 55,
# 80 by April: payback 3.  Jan search: 30 for cat's 100: payback 0.  Mar
# search: 40 for dan's 30: never.  Feb social: spend, no one: nulls.  Ann's
# Feb and Apr orders make ads retained (her acquisition channel).  Totals:
# 270/4 = 67.5, 12/2 = 6, 290/4 = 72.5; pooled payback 3 (Jan and Feb
# rows: 260 >= 230).
cat >"$tmp/want.csv" <<'EOF'
period,channel,acquisition_spend,new_customers,cac,retention_spend,retained_customers,retention_cost,clv,clv_to_cac,payback_periods
2024-01,ads,150.00,2,75.00,0.00,0,-,80.00,1.0667,3
2024-01,search,30.00,1,30.00,0.00,0,-,100.00,3.3333,0
2024-02,ads,0.00,0,-,0.00,1,0.00,-,-,-
2024-02,email,0.00,0,-,12.00,0,-,-,-,-
2024-02,social,50.00,0,-,0.00,0,-,-,-,-
2024-03,search,40.00,1,40.00,0.00,0,-,30.00,0.7500,-
2024-04,ads,0.00,0,-,0.00,1,0.00,-,-,-
total,ads,150.00,2,75.00,0.00,2,0.00,80.00,1.0667,3
total,email,0.00,0,-,12.00,0,-,-,-,-
total,search,70.00,2,35.00,0.00,0,-,65.00,1.8571,0
total,social,50.00,0,-,0.00,0,-,-,-,-
total,,270.00,4,67.50,12.00,2,6.00,72.50,1.0741,3
EOF
expect 0 "report costs csv" -- "$CONVTOP" report costs --config "$cfg" --db "$db" \
    --now 2024-05-31T12:00:00Z --format csv
if cmp -s "$tmp/out" "$tmp/want.csv"; then ok "every figure as worked out"; else
    diff -u "$tmp/want.csv" "$tmp/out"
    bad "report costs csv differs"
fi
expect 0 "report costs json" -- "$CONVTOP" report costs --config "$cfg" --db "$db" \
    --now 2024-05-31T12:00:00Z --format json
has "$tmp/out" '"period": "month"' "json: period"
has "$tmp/out" '"payback_periods": 3' "json: payback 3"
has "$tmp/out" '"clv_to_cac": null' "json: null on division by zero"
has "$tmp/out" '"totals": {' "json: totals"
# a month of spend against days: 150 / 31 a day for ads in January
expect 0 "report costs by day" -- "$CONVTOP" report costs --config "$cfg" --db "$db" \
    --period day --from 2024-01-03 --to 2024-01-03 --format csv
has "$tmp/out" "2024-01-03,ads,4.84,1,4.84," "a January day gets 1/31 of January"
expect 2 "bad period" -- "$CONVTOP" report costs --config "$cfg" --db "$db" --period year

# bad spend files: FILE:LINE, exit 1, the database unchanged byte for byte
cp "$db" "$tmp/before.db"
bad_file() { # NAME LINE TEXT CONTENT
    printf '%b' "$4" >"$tmp/$1"
    expect 1 "bad spend: $1" -- "$CONVTOP" import --config "$cfg" --db "$db" --format spend \
        "$tmp/$1"
    has "$tmp/err" "$tmp/$1:$2: $3" "$1: names FILE:LINE and why"
    cmp -s "$db" "$tmp/before.db" && ok "$1: database unchanged" || bad "$1: database changed"
}
head='date,channel,purpose,amount\n'
bad_file date.csv 3 "date '2024-02-30': no such day" \
    "${head}2024-01,ads,acquisition,1\n2024-02-30,ads,acquisition,1\n"
bad_file purpose.csv 2 "purpose 'brand'" "${head}2024-01,ads,brand,1\n"
bad_file nan.csv 2 "amount not a number: 'NaN'" "${head}2024-01,ads,acquisition,NaN\n"
bad_file negative.csv 2 "amount '-3' is negative" "${head}2024-01,ads,acquisition,-3\n"
bad_file column.csv 1 "header: no purpose column" "date,channel,amount\n2024-01,ads,1\n"
bad_file clash.csv 3 \
    "2024-05 ads acquisition: amount 2, but an earlier row of this import gives 1" \
    "${head}2024-05,ads,acquisition,1\n2024-05,ads,acquisition,2\n"
expect 0 "--skip-bad" -- "$CONVTOP" import --config "$cfg" --db "$db" --format spend \
    --skip-bad "$tmp/rejects.csv" "$tmp/date.csv"
has "$tmp/out" "rejected                  1" "the bad row is set aside"
has "$tmp/rejects.csv" "no such day" "the rejects file says why"

# the demo shop brings its spend: every paid channel has a CAC
demo="$tmp/demo.db"
expect 0 "demo" -- "$CONVTOP" demo --db "$demo" --customers 1500 --seed 7 --quiet
expect 0 "demo costs" -- "$CONVTOP" report costs --db "$demo" --format csv
for ch in ads email referral search social; do
    if grep -q "^total,$ch,[1-9][0-9.]*,[1-9][0-9]*,[0-9]" "$tmp/out"; then
        ok "demo: $ch spent and has a CAC"
    else
        bad "demo: $ch has no spend or CAC"
    fi
done
has "$tmp/out" "total,direct,0.00," "demo: direct costs nothing"
expect 0 "demo again" -- "$CONVTOP" demo --db "$demo" --customers 1500 --seed 7
has "$tmp/out" "0 new" "demo again adds nothing"
exit $fail
