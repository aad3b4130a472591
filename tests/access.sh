#!/bin/sh
# access.sh - who may read and write (SPEC 9, 6, 7): the database, its
# -wal/-shm and a rejects file are created 0600 whatever the umask (new
# folders 0700); --read-only never writes (an import is refused with exit
# 2; reports work on a file chmod 0400 and leave it byte for byte);
# --mask-pii leaves no full e-mail or name in any report format; and no
# program file runs a shell or another program.
set -u
: "${CONVTOP:?CONVTOP must name the convtop binary}"
: "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/convtop-access-XXXXXX") || exit 1
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
unset CONVTOP_CONFIG CONVTOP_DB
XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data"
export XDG_CONFIG_HOME XDG_DATA_HOME

fail=0
ok() { echo "ok   $1"; }
bad() {
    echo "FAIL $1"
    fail=1
}
mode() { stat -c %a "$1" 2>/dev/null; }

# --- modes: umask 000 must not make anything readable by others
awk 'BEGIN { print "customer,ts,event,value"
    for (i = 0; i < 200000; i++) printf "c%d,%d,page_view,\n", i % 5000, 1704067200 + i }' \
    >"$tmp/big.csv"
db="$tmp/new/sub/shop.db"
(umask 000; exec "$CONVTOP" import --quiet --db "$db" "$tmp/big.csv") &
pid=$!
# the -wal and -shm exist while the import runs
seen=
i=0
while [ $i -lt 500 ] && kill -0 "$pid" 2>/dev/null; do
    if [ -e "$db-wal" ] && [ -e "$db-shm" ]; then
        seen="$(mode "$db-wal") $(mode "$db-shm")"
        break
    fi
    sleep 0.01
    i=$((i + 1))
done
wait "$pid"
st=$?
pid=
[ $st -eq 0 ] && ok "import under umask 000" || bad "import under umask 000: exit $st"
[ "$(mode "$db")" = 600 ] && ok "database created 0600" || bad "database mode $(mode "$db")"
[ "$(mode "$tmp/new")" = 700 ] && [ "$(mode "$tmp/new/sub")" = 700 ] &&
    ok "its new folders are 0700" || bad "folder modes $(mode "$tmp/new") $(mode "$tmp/new/sub")"
case $seen in
"") echo "skip the import ended before its -wal and -shm were seen" ;;
"600 600") ok "-wal and -shm are 0600 while the import runs" ;;
*) bad "-wal and -shm modes: $seen" ;;
esac
printf 'customer,ts,event\nc1,2024-01-01,page_view\nc2,someday,page_view\n' >"$tmp/one-bad.csv"
(umask 000; exec "$CONVTOP" import --quiet --db "$db" --skip-bad "$tmp/rejects.csv" \
    "$tmp/one-bad.csv") || bad "import with --skip-bad"
[ "$(mode "$tmp/rejects.csv")" = 600 ] && ok "rejects file created 0600" ||
    bad "rejects file mode $(mode "$tmp/rejects.csv")"

# --- read-only
db="$tmp/shop.db"
cat >"$tmp/people.csv" <<'CSV'
customer,ts,event,value,channel,email,name
k1,2024-01-05T10:00:00Z,page_view,,social,zelda.quartermaine@qmshop.example,Zelda Quartermaine
k1,2024-01-05T10:05:00Z,purchase,120,social,,
k1,2024-02-05T10:05:00Z,purchase,80,social,,
k2,2024-01-06T10:00:00Z,page_view,,search,ygritte.farnsworth@farnsworth-mail.example,Ygritte Farnsworth
k2,2024-01-06T10:30:00Z,purchase,35.5,search,,
k3,2024-01-07T10:00:00Z,page_view,,email,xavier@xerxes.example,Xavier Xerxes-Montague
k3,2024-06-07T10:00:00Z,refund,-10,email,,
CSV
# a Shopify export without customer ids: the e-mail is the customer key
cat >"$tmp/shopify.csv" <<'CSV'
Name,Email,Financial Status,Created at,Lineitem quantity,Lineitem price,Total,Billing Name,Billing Country
#1001,Wilhelmina.Vandersloot@vdsloot.example,paid,2024-01-08 12:00:00 +0000,1,40,40,Wilhelmina Vandersloot,NL
CSV
"$CONVTOP" import --quiet --db "$db" "$tmp/people.csv" "$tmp/shopify.csv" || bad "people import"
cp "$db" "$tmp/before.db"
"$CONVTOP" import --read-only --db "$db" "$tmp/people.csv" >"$tmp/out" 2>"$tmp/err"
st=$?
[ $st -eq 2 ] && grep -q "read-only" "$tmp/err" && ok "import --read-only refused (exit 2)" ||
    bad "import --read-only: exit $st: $(cat "$tmp/err")"
chmod 0400 "$db"
for kind in funnel goals cohort customers winback; do
    if "$CONVTOP" report "$kind" --read-only --db "$db" --format json >"$tmp/out" 2>"$tmp/err"
    then
        ok "report $kind --read-only on a 0400 file"
    else
        bad "report $kind --read-only on a 0400 file: $(cat "$tmp/err")"
    fi
done
"$CONVTOP" report customer k1 --read-only --db "$db" >"$tmp/out" 2>"$tmp/err" &&
    ok "report customer --read-only on a 0400 file" || bad "report customer: $(cat "$tmp/err")"
cmp -s "$db" "$tmp/before.db" && ok "the 0400 database is byte for byte unchanged" ||
    bad "the read-only reports changed the database"
[ "$(mode "$db")" = 400 ] && ok "and still 0400" || bad "mode now $(mode "$db")"
if [ "$(id -u)" -ne 0 ]; then
    "$CONVTOP" import --db "$db" "$tmp/people.csv" >"$tmp/out" 2>"$tmp/err"
    st=$?
    [ $st -ne 0 ] && cmp -s "$db" "$tmp/before.db" &&
        ok "an import into a 0400 file fails (exit $st) and changes nothing" ||
        bad "import into a 0400 file: exit $st"
else
    echo "skip import into a 0400 file: root may write it anyway"
fi
chmod 0600 "$db"

# --- --mask-pii: no full e-mail or name, in any format of any report
pii='zelda|quartermaine|qmshop|ygritte|farnsworth|xavier|xerxes|montague'
pii="$pii|wilhelmina|vandersloot|vdsloot"
leaks() { # FILE: the PII of the data found in it
    grep -o -i -E "$pii" "$1" | tr 'A-Z' 'a-z' | sort -u | tr '\n' ' '
}
for kind in customers winback "customer k1" "customer k2" \
    "customer zelda.quartermaine@qmshop.example" \
    "customer wilhelmina.vandersloot@vdsloot.example" funnel goals cohort; do
    for fmt in text csv json; do
        case "$kind.$fmt" in "customer "*.csv) continue ;; esac
        # shellcheck disable=SC2086 # $kind is the command and its argument
        if ! "$CONVTOP" report $kind --mask-pii --db "$db" --now 2024-06-30 --format "$fmt" \
            >"$tmp/out" 2>"$tmp/err"; then
            bad "report $kind --format $fmt --mask-pii: $(cat "$tmp/err")"
            continue
        fi
        found=$(leaks "$tmp/out")
        [ -z "$found" ] && ok "report $kind --format $fmt --mask-pii shows no PII" ||
            bad "report $kind --format $fmt --mask-pii shows: $found"
    done
done
# and without --mask-pii the same reports do show them (the check can see)
"$CONVTOP" report customers --db "$db" --now 2024-06-30 --format csv >"$tmp/out" 2>&1
found=$(leaks "$tmp/out")
case $found in
*quartermaine*vandersloot*zelda*) ok "without --mask-pii the names are there" ;;
*) bad "without --mask-pii: $found" ;;
esac

# --- nothing runs a shell or another program
calls='system|popen|fork|vfork|execl|execlp|execle|execv|execve|execvp|execvpe|fexecve'
calls="$calls|posix_spawnp?|wordexp"
hits=$(grep -n -E "(^|[^A-Za-z0-9_.>])($calls)\\(" \
    "$top_srcdir"/app/*.c "$top_srcdir"/app/*.h "$top_srcdir"/model/*.c "$top_srcdir"/model/*.h \
    "$top_srcdir"/ui/*.c "$top_srcdir"/ui/*.h 2>/dev/null)
[ -z "$hits" ] && ok "no system(), popen(), fork() or exec*() in app/ model/ ui/" ||
    bad "a program file runs a process:
$hits"
exit $fail
