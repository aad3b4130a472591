#!/bin/sh
# bench.sh - `make bench` (SPEC 8, issue 6): convtop's figures side by side
# with the sqlite3 command line, DuckDB and ClickHouse on the same generated
# shops, warm (each engine already open, data in memory), a warm-up run and
# then the median of REPEATS runs; the table goes to stdout and to
# bench-results.txt in the build directory.  Never part of `make check`.
#
# Environment (make bench VAR=...):
#   SIZES       shops to measure, any of 100k 1m 10m (default "1m 10m"):
#               `convtop demo --customers` 7000, 70000 and 700000, about 0.1M,
#               1M and 10M events
#   BENCH_DIR   where shops, peer copies, CSV exports and raw outputs are
#               cached (default: bench/ in the build directory); delete it
#               to start over
#   REPEATS     timed runs per figure after the warm-up (default 7)
#   PEERS       any of sqlite3 duckdb clickhouse (default all three)
#   BENCH_INSTALL=0  never install a missing peer (default: apt-get for
#               sqlite3 and ClickHouse when root, npm for DuckDB)
#   FRAME_RUNS  TUI starts per size for the first frame (default 5)
#   IMPORT_ROWS rows of the import CSV: the shop's first events (default
#               1000000; 0 = every event, 10M rows on the 10M shop: minutes)
#   IMPORT_RUNS imports per size for rows/s, the median shown (default 3)
#   CH_PORT     the private ClickHouse server's TCP port (default 19000)
#
# Time, on 2 cores: the first run generates the shops (1M: ~15 s, 10M:
# ~3 min), copies and indexes the sqlite3 peer's databases (10M: ~1 min),
# exports CSV for DuckDB and ClickHouse and installs the peers; then each
# size takes about 1 min (1M) and 5-10 min (10M), mostly the peers.  A second
# run reuses everything in BENCH_DIR.
#
# Search as you type is measured on every shop; the 10M shop has 700,000
# customers, which stands in for the "1M customers" of SPEC 8 (no separate
# shop is generated for it).
#
# Every peer must give the same answers as convtop (step counts of both
# funnels, every cell of the cohort triangle, goal converters): a mismatch is
# printed and makes the bench fail.  The peers' SQL is in sqlite.sql,
# duckdb.sql and clickhouse.sql beside this script.
set -u
: "${CONVTOP:?CONVTOP must name the convtop binary}"
: "${CT_BENCH:?CT_BENCH must name the ct_bench binary}"
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${CONVTOP_DATADIR:-$(cd "$here/../.." && pwd)}
builddir=${BENCH_BUILDDIR:-$(pwd)}
BENCH_DIR=${BENCH_DIR:-$builddir/bench}
SIZES=${SIZES:-1m 10m}
REPEATS=${REPEATS:-7}
PEERS=${PEERS:-sqlite3 duckdb clickhouse}
BENCH_INSTALL=${BENCH_INSTALL:-1}
FRAME_RUNS=${FRAME_RUNS:-5}
IMPORT_RUNS=${IMPORT_RUNS:-3}
IMPORT_ROWS=${IMPORT_ROWS:-1000000}
CH_PORT=${CH_PORT:-19000}
CONFIG=$top_srcdir/convtop.yaml
TZDIR=${TZDIR:-/usr/share/zoneinfo}
export TZDIR
unset CONVTOP_CONFIG CONVTOP_DB
results=$builddir/bench-results.txt
mkdir -p "$BENCH_DIR" || exit 1
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
log=$BENCH_DIR/bench.log
: >"$log"
fail=0

say() { echo "bench: $*" >&2; }
ms_now() { date +%s%N | awk '{ printf "%.1f", $1 / 1e6 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (!NR) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# field FILE FIGURE COLUMN: a column of a "figure<TAB>ms<TAB>answer" line
field() { awk -F '\t' -v f="$2" -v c="$3" '$1 == f { print $c; exit }' "$1" 2>/dev/null; }

shop_tz=$(awk '/^shop:/ { s = 1; next } /^[^ #]/ { s = 0 } s && $1 == "timezone:" { print $2; exit }' "$CONFIG")
shop_tz=${shop_tz:-UTC}

# --- peers: install when missing -------------------------------------------
can_apt() { [ "$BENCH_INSTALL" = 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }
apt_updated=0
apt_install() {
    if [ $apt_updated = 0 ]; then
        apt-get update -qq >>"$log" 2>&1
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >>"$log" 2>&1
}
why_sqlite3='' why_duckdb='' why_clickhouse=''
want() { case " $PEERS " in *" $1 "*) return 0 ;; esac; return 1; }
if want sqlite3; then
    if ! command -v sqlite3 >/dev/null 2>&1 && can_apt; then
        say "installing sqlite3 (apt-get)"
        apt_install sqlite3
    fi
    command -v sqlite3 >/dev/null 2>&1 || why_sqlite3="no sqlite3 command (Debian package sqlite3)"
else
    why_sqlite3="not in PEERS"
fi
# the CSV exports for DuckDB and ClickHouse are written by sqlite3 too
if [ -n "$why_sqlite3" ] && ! command -v sqlite3 >/dev/null 2>&1; then
    why_duckdb="needs the sqlite3 command to export the events"
    why_clickhouse=$why_duckdb
fi
NODE_DIR=$BENCH_DIR/node
if ! want duckdb; then
    why_duckdb="not in PEERS"
elif [ -z "$why_duckdb" ]; then
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        why_duckdb="no node/npm to install @duckdb/node-api"
    elif [ ! -d "$NODE_DIR/node_modules/@duckdb/node-api" ]; then
        if [ "$BENCH_INSTALL" = 1 ]; then
            say "installing @duckdb/node-api into $NODE_DIR (npm)"
            mkdir -p "$NODE_DIR"
            npm install --prefix "$NODE_DIR" --no-audit --no-fund @duckdb/node-api >>"$log" 2>&1 ||
                why_duckdb="npm install @duckdb/node-api failed (see $log)"
        else
            why_duckdb="@duckdb/node-api not installed and BENCH_INSTALL=0"
        fi
    fi
    if [ -z "$why_duckdb" ] &&
        ! NODE_PATH=$NODE_DIR/node_modules node -e "require('@duckdb/node-api')" >>"$log" 2>&1; then
        why_duckdb="@duckdb/node-api does not load here (see $log)"
    fi
fi
PATH=$PATH:/usr/sbin:/sbin
if ! want clickhouse; then
    why_clickhouse="not in PEERS"
elif [ -z "$why_clickhouse" ]; then
    if ! command -v clickhouse-server >/dev/null 2>&1 || ! command -v clickhouse-client >/dev/null 2>&1; then
        if can_apt; then
            say "installing clickhouse-server and clickhouse-client (apt-get)"
            apt_install clickhouse-server clickhouse-client
        fi
    fi
    if ! command -v clickhouse-server >/dev/null 2>&1 || ! command -v clickhouse-client >/dev/null 2>&1; then
        why_clickhouse="no clickhouse-server/clickhouse-client (Debian packages; need root to install)"
    fi
fi

if [ ! -x /usr/bin/time ] && can_apt; then
    say "installing GNU time (apt-get) for peak memory"
    apt_install time
fi
[ -x /usr/bin/time ] || {
    say "needs /usr/bin/time (Debian package time) for peak memory"
    exit 1
}

# --- the private ClickHouse server -------------------------------------------
CH_DIR=$BENCH_DIR/clickhouse
ch_pid=
ch() { clickhouse-client --port "$CH_PORT" "$@"; }
ch_stop() {
    if [ -n "$ch_pid" ]; then
        kill "$ch_pid" 2>/dev/null
        wait "$ch_pid" 2>/dev/null
        ch_pid=
    fi
}
trap 'ch_stop' EXIT
trap 'ch_stop; exit 130' INT TERM
ch_start() {
    # a server left by an interrupted run of ours
    if [ -s "$CH_DIR/pid" ] && kill -0 "$(cat "$CH_DIR/pid")" 2>/dev/null &&
        grep -q clickhouse "/proc/$(cat "$CH_DIR/pid")/cmdline" 2>/dev/null; then
        kill "$(cat "$CH_DIR/pid")"
        sleep 2
    fi
    mkdir -p "$CH_DIR/data" "$CH_DIR/tmp" "$CH_DIR/user_files" "$CH_DIR/log"
    cat >"$CH_DIR/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$CH_DIR/log/server.log</log>
    <errorlog>$CH_DIR/log/error.log</errorlog><size>100M</size><count>1</count></logger>
  <tcp_port>$CH_PORT</tcp_port>
  <http_port>$((CH_PORT - 877))</http_port>
  <listen_host>127.0.0.1</listen_host>
  <path>$CH_DIR/data/</path>
  <tmp_path>$CH_DIR/tmp/</tmp_path>
  <user_files_path>$CH_DIR/user_files/</user_files_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>1073741824</mark_cache_size>
  <timezone>UTC</timezone>
</yandex>
EOF
    cat >"$CH_DIR/users.xml" <<'EOF'
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>12000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks>
    <profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time>
  </interval></default></quotas>
</yandex>
EOF
    clickhouse-server --config-file="$CH_DIR/config.xml" >"$CH_DIR/log/stdout" 2>&1 &
    ch_pid=$!
    echo "$ch_pid" >"$CH_DIR/pid"
    i=0
    while [ $i -lt 60 ]; do
        if ch --query 'SELECT 1' >/dev/null 2>&1; then
            return 0
        fi
        kill -0 "$ch_pid" 2>/dev/null || break
        sleep 1
        i=$((i + 1))
    done
    ch_stop
    return 1
}
# the server runs only while its own figures are taken: idle, it still keeps
# a core busy enough to slow whatever runs beside it
if [ -z "$why_clickhouse" ]; then
    say "trying a private clickhouse-server on 127.0.0.1:$CH_PORT"
    ch_start || why_clickhouse="clickhouse-server did not start (see $CH_DIR/log)"
    ch_stop
fi

# --- one engine's queries ------------------------------------------------------
# figures FILE: "name<TAB>first line" of each "-- @figure NAME" query
# query FILE NAME: the text of one query, comments dropped
query() {
    awk -v f="$2" '/^-- @figure / { on = ($3 == f); next } on && !/^[ \t]*--/ { print }' "$1"
}
figure_names() { awk '/^-- @figure / { print $3 }' "$1"; }
inside() { awk -v f="$2" '/^-- @figure / { on = ($3 == f); next } on && /^-- @inside / { print $3; exit }' "$1"; }
typed="a an ann anna anna. anna.s"

run_sqlite3() { # DB OUT
    sql=$here/sqlite.sql
    script=$BENCH_DIR/tmp.sqlite3.sql
    {
        echo "PRAGMA cache_size = -4000000;"
        echo "PRAGMA mmap_size = 8000000000;"
        echo ".timer on"
        for f in $(figure_names "$sql"); do
            if [ "$f" = search ]; then
                for q in $typed; do
                    r=0
                    while [ $r -le "$REPEATS" ]; do
                        echo ".print @@search:$q"
                        query "$sql" search | sed "s/@Q@/$q/g"
                        r=$((r + 1))
                    done
                done
                continue
            fi
            r=0
            while [ $r -le "$REPEATS" ]; do
                echo ".print @@$f"
                query "$sql" "$f"
                r=$((r + 1))
            done
        done
    } >"$script"
    TZ=$shop_tz sqlite3 "$1" <"$script" >"$2.raw" 2>&1 ||
        say "sqlite3 reported an error: $(grep -m1 -i error "$2.raw")"
    n_in=$(inside "$sql" search)
    # run 1 of each figure is the warm-up; the answer is the last
    awk -v n_in="${n_in:-1}" '
        /^@@/ { f = substr($0, 3); run[f]++; next }
        /^Run Time: real / { if (run[f] > 1) t[f] = t[f] " " ($4 * 1000); next }
        { ans[f] = $0 }
        END {
            for (f in run) {
                if (f ~ /^search:/) { print "search\t" f "\t" t[f] "\t" ans[f] "\t" n_in; continue }
                print f "\t" t[f] "\t" ans[f]
            }
        }' "$2.raw" >"$2.runs"
    : >"$2"
    while IFS="$(printf '\t')" read -r f times answer; do
        [ "$f" = search ] && continue
        printf '%s\t%s\t%s\n' "$f" "$(echo "$times" | tr ' ' '\n' | grep . | median)" "$answer" >>"$2"
    done <"$2.runs"
    worst=0
    last=
    for q in $typed; do
        line=$(awk -F '\t' -v k="search:$q" '$1 == "search" && $2 == k' "$2.runs")
        n_in=$(echo "$line" | cut -f5)
        m=$(echo "$line" | cut -f3 | tr ' ' '\n' | grep . | median)
        m=$(awk -v m="$m" -v n="$n_in" 'BEGIN { printf "%.3f", m / n }')
        worst=$(awk -v a="$worst" -v b="$m" 'BEGIN { print (b > a) ? b : a }')
        last=$(echo "$line" | cut -f4)
    done
    printf 'search_keystroke_worst\t%s\t%s matches for %s\n' "$worst" "$last" "'anna.s'" >>"$2"
}

run_clickhouse() { # EVENTS_CSV CUSTOMERS_CSV OUT
    sql=$here/clickhouse.sql
    ch --query 'DROP TABLE IF EXISTS events' && ch --query 'DROP TABLE IF EXISTS customers' &&
        ch --query 'CREATE TABLE events (id UInt64, customer_id UInt64, ts UInt64, event String,
                    value Nullable(Float64)) ENGINE = Memory' &&
        ch --query 'CREATE TABLE customers (id UInt64, key String, email Nullable(String),
                    name Nullable(String)) ENGINE = Memory' || return 1
    rss0=$(awk '/^VmRSS:/ { print $2 }' "/proc/$ch_pid/status" 2>/dev/null)
    t0=$(ms_now)
    ch --query 'INSERT INTO events FORMAT CSVWithNames' <"$1" &&
        ch --query 'INSERT INTO customers FORMAT CSVWithNames' <"$2" || return 1
    t1=$(ms_now)
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$ch_pid/status" 2>/dev/null)
    printf 'load\t%s\t%s events (version %s)\n' "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" \
        "$(ch --query 'SELECT count() FROM events')" "$(ch --query 'SELECT version()')" >"$3"
    for f in $(figure_names "$sql"); do
        [ "$f" = search ] && continue
        q=$(query "$sql" "$f" | sed 's/;[ \t]*$//')
        : >"$3.times"
        r=0
        while [ $r -le "$REPEATS" ]; do
            answer=$(ch --time --query "$q" 2>"$3.err") || {
                say "clickhouse $f: $(grep -m1 Exception "$3.err")"
                answer="error: $(grep -m1 -o 'DB::Exception: [^.]*' "$3.err" | tail -1)"
                break
            }
            [ $r -gt 0 ] && tail -1 "$3.err" | awk '{ print $1 * 1000 }' >>"$3.times"
            r=$((r + 1))
        done
        printf '%s\t%s\t%s\n' "$f" "$(median <"$3.times")" "$answer" >>"$3"
    done
    worst=0
    for q in $typed; do
        sq=$(query "$sql" search | sed "s/@Q@/$q/g; s/;[ \t]*$//")
        : >"$3.times"
        r=0
        while [ $r -le "$REPEATS" ]; do
            answer=$(ch --time --query "$sq" 2>"$3.err") || break
            [ $r -gt 0 ] && tail -1 "$3.err" | awk '{ print $1 * 1000 }' >>"$3.times"
            r=$((r + 1))
        done
        m=$(median <"$3.times")
        worst=$(awk -v a="$worst" -v b="$m" 'BEGIN { print (b > a) ? b : a }')
    done
    printf 'search_keystroke_worst\t%s\t%s matches for %s\n' "$worst" "$answer" "'anna.s'" >>"$3"
    printf 'memory\t-\tserver_rss_kb=%s rss_delta_kb=%s\n' "$rss" "$((rss - rss0))" >>"$3"
    ch --query 'DROP TABLE IF EXISTS events'
    ch --query 'DROP TABLE IF EXISTS customers'
    rm -f "$3.times" "$3.err"
}

# --- comparing answers -----------------------------------------------------------
# canon FIGURE ANSWER: the comparable part of an answer
canon() {
    case $1 in
    goals) echo "$2" | cut -d';' -f1 ;;
    cohort_month) echo "$2" | tr ',' '\n' | sort | tr '\n' ',' ;;
    *) echo "$2" ;;
    esac
}
compare() { # SIZE PEER PEER_OUT CONVTOP_OUT
    for f in funnel_stages_7d funnel_checkout cohort_month goals; do
        cf=$f
        [ "$f" = cohort_month ] && cf=cohort_cells
        want=$(field "$4" "$cf" 3)
        got=$(field "$3" "$f" 3)
        if [ -z "$got" ]; then
            echo "MISSING  $1 $2 $f: no answer (see $3)"
            fail=1
        elif [ "$(canon "$f" "$want")" != "$(canon "$f" "$got")" ]; then
            echo "MISMATCH $1 $2 $f:"
            if [ "$f" = cohort_month ]; then
                canon "$f" "$want" | tr ',' '\n' | grep . >"$BENCH_DIR/tmp.want"
                canon "$f" "$got" | tr ',' '\n' | grep . >"$BENCH_DIR/tmp.got"
                echo "  convtop only: $(comm -23 "$BENCH_DIR/tmp.want" "$BENCH_DIR/tmp.got" | tr '\n' ' ')"
                echo "  $2 only: $(comm -13 "$BENCH_DIR/tmp.want" "$BENCH_DIR/tmp.got" | tr '\n' ' ')"
            else
                echo "  convtop: $(canon "$f" "$want")"
                echo "  $2: $(canon "$f" "$got")"
            fi
            fail=1
        else
            echo "same     $1 $2 $f"
        fi
    done
}

# --- per size --------------------------------------------------------------------
customers_of() {
    case $1 in
    100k) echo 7000 ;;
    1m) echo 70000 ;;
    10m) echo 700000 ;;
    *) echo "" ;;
    esac
}
label_of() {
    case $1 in
    100k) echo 100k ;;
    1m) echo 1M ;;
    10m) echo 10M ;;
    esac
}
stamp_of() { sqlite3 "$1" 'SELECT count(*) || ":" || max(id) FROM events' 2>/dev/null; }

bench_size() {
    size=$1
    n=$(customers_of "$size")
    out=$BENCH_DIR/results/$size
    mkdir -p "$out"
    db=$BENCH_DIR/shop-$size.db
    if [ ! -s "$db" ] || [ "$(cat "$db.made" 2>/dev/null)" != "demo --customers $n" ]; then
        rm -f "$db" "$db-wal" "$db-shm" "$db.snap" "$db.made"
        say "$size: generating the shop (convtop demo --customers $n)"
        t0=$(ms_now)
        "$CONVTOP" demo --db "$db" --customers "$n" --quiet >>"$log" 2>&1 || {
            say "$size: convtop demo failed (see $log)"
            fail=1
            return
        }
        echo "demo --customers $n" >"$db.made"
        say "$size: generated in $(awk -v a="$t0" -v b="$(ms_now)" 'BEGIN { printf "%.0f", (b - a) / 1000 }') s"
    fi
    # migrate an older file and build the snapshot, outside the timings
    "$CONVTOP" report goals --db "$db" --config "$CONFIG" >/dev/null 2>>"$log" || {
        say "$size: convtop report failed (see $log)"
        fail=1
        return
    }
    uptime >"$out/load-before"

    # convtop: warm figures in one process
    say "$size: convtop"
    "$CT_BENCH" "$db" 1 "$CONFIG" >/dev/null 2>>"$log"
    /usr/bin/time -f '%M' -o "$out/ct_bench.rss" "$CT_BENCH" "$db" "$REPEATS" "$CONFIG" \
        >"$out/convtop" 2>>"$log" || {
        say "$size: ct_bench failed (see $log)"
        fail=1
        return
    }
    # the same on one core (SPEC 8: "on one core of a small server")
    : >"$out/convtop-1core"
    if command -v taskset >/dev/null 2>&1; then
        taskset -c 0 "$CT_BENCH" "$db" "$REPEATS" "$CONFIG" >"$out/convtop-1core" 2>>"$log" ||
            : >"$out/convtop-1core"
    fi
    /usr/bin/time -f '%e %M' -o "$out/report.time" \
        "$CONVTOP" report funnel --db "$db" --config "$CONFIG" --format json >/dev/null 2>>"$log"

    # first frame of the TUI, in a pseudo-terminal (script(1))
    : >"$out/frame.times"
    if command -v script >/dev/null 2>&1; then
        i=0
        while [ $i -lt "$FRAME_RUNS" ]; do
            rm -f "$out/frame.err"
            CONVTOP_BENCH_FIRST_FRAME=1 TERM=xterm-256color LINES=50 COLUMNS=160 \
                /usr/bin/time -f '%M' -o "$out/tui.rss" \
                script -qec "'$CONVTOP' --db '$db' --config '$CONFIG' 2>'$out/frame.err'" /dev/null \
                >/dev/null 2>&1 </dev/null
            awk -F '\t' '$1 == "first_frame_ms" { print $2 }' "$out/frame.err" >>"$out/frame.times"
            i=$((i + 1))
        done
    fi

    # import: the shop's first IMPORT_ROWS events as CSV into an empty database
    csv=$BENCH_DIR/import-$size-$IMPORT_ROWS.csv
    limit=$IMPORT_ROWS
    [ "$limit" -gt 0 ] 2>/dev/null || limit=-1
    stamp=$(stamp_of "$db")
    if [ ! -s "$csv" ] || [ "$(cat "$csv.stamp" 2>/dev/null)" != "$stamp" ]; then
        say "$size: writing the import CSV"
        sqlite3 -readonly "$db" -cmd '.headers on' -cmd '.mode csv' \
            "SELECT c.key AS customer, strftime('%Y-%m-%dT%H:%M:%SZ', e.ts / 1000, 'unixepoch') AS ts,
                    e.event AS event, e.value AS value, e.channel AS channel, e.session AS session,
                    e.event_id AS event_id, json_extract(e.props, '\$.product') AS product
             FROM events e JOIN customers c ON c.id = e.customer_id ORDER BY e.id
             LIMIT $limit" >"$csv" &&
            echo "$stamp" >"$csv.stamp"
    fi
    rows=$(($(wc -l <"$csv") - 1))
    : >"$out/import.rates"
    i=0
    while [ $i -lt "$IMPORT_RUNS" ]; do
        imp=$BENCH_DIR/tmp-import.db
        rm -f "$imp" "$imp-wal" "$imp-shm" "$imp.snap"
        t0=$(ms_now)
        /usr/bin/time -f '%M' -o "$out/import.rss" \
            "$CONVTOP" import --db "$imp" --config "$CONFIG" --quiet "$csv" >>"$log" 2>&1 ||
            say "$size: import failed (see $log)"
        t1=$(ms_now)
        loaded=$(sqlite3 "$imp" 'SELECT count(*) FROM events' 2>/dev/null)
        [ "$loaded" = "$rows" ] || say "$size: import loaded $loaded of $rows rows"
        awk -v r="$rows" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f\n", r / ((b - a) / 1000) }' >>"$out/import.rates"
        rm -f "$imp" "$imp-wal" "$imp-shm" "$imp.snap"
        i=$((i + 1))
    done
    echo "$rows" >"$out/import.rows"

    # exports for the peers
    ev=$BENCH_DIR/events-$size.csv
    cu=$BENCH_DIR/customers-$size.csv
    if { [ -z "$why_duckdb" ] || [ -z "$why_clickhouse" ]; } &&
        { [ ! -s "$ev" ] || [ "$(cat "$ev.stamp" 2>/dev/null)" != "$stamp" ]; }; then
        say "$size: exporting events and customers as CSV"
        sqlite3 -readonly "$db" -cmd '.headers on' -cmd '.mode csv' -cmd ".nullvalue '\\N'" \
            'SELECT id, customer_id, ts, event, value FROM events' >"$ev" &&
            sqlite3 -readonly "$db" -cmd '.headers on' -cmd '.mode csv' -cmd ".nullvalue '\\N'" \
                'SELECT id, key, email, name FROM customers' >"$cu" &&
            echo "$stamp" >"$ev.stamp"
    fi

    rm -f "$out/sqlite3" "$out/duckdb" "$out/clickhouse"
    if [ -z "$why_sqlite3" ]; then
        copy=$BENCH_DIR/peer-sqlite-$size.db
        if [ ! -s "$copy" ] || [ "$(cat "$copy.stamp" 2>/dev/null)" != "$stamp" ]; then
            say "$size: sqlite3: copying the shop and adding an index"
            rm -f "$copy" "$copy-wal" "$copy-shm"
            sqlite3 -readonly "$db" "VACUUM INTO '$copy'" &&
                sqlite3 "$copy" 'CREATE INDEX bench_event_customer_ts ON events(event, customer_id, ts);
                                 ANALYZE;' && echo "$stamp" >"$copy.stamp"
        fi
        say "$size: sqlite3"
        # read the file once so that the first timed query is warm too
        cat "$copy" >/dev/null
        run_sqlite3 "$copy" "$out/sqlite3"
        printf 'memory\t-\tfile_bytes=%s\n' "$(wc -c <"$copy")" >>"$out/sqlite3"
    fi
    if [ -z "$why_duckdb" ]; then
        say "$size: DuckDB"
        NODE_PATH=$NODE_DIR/node_modules node "$here/duckdb_bench.cjs" "$ev" "$cu" \
            "$here/duckdb.sql" "$REPEATS" >"$out/duckdb" 2>>"$log" ||
            say "$size: DuckDB failed: $(tail -1 "$log")"
    fi
    if [ -z "$why_clickhouse" ]; then
        say "$size: ClickHouse"
        if ch_start; then
            run_clickhouse "$ev" "$cu" "$out/clickhouse" || say "$size: ClickHouse failed to load"
        else
            say "$size: clickhouse-server did not start (see $CH_DIR/log)"
        fi
        ch_stop
    fi
    uptime >"$out/load-after"
    for p in sqlite3 duckdb clickhouse; do
        [ -s "$out/$p" ] && compare "$(label_of "$size")" "$p" "$out/$p" "$out/convtop"
    done
}

# --- the table ---------------------------------------------------------------------
# num X: a number with about three significant digits
num() {
    awk -v v="$1" 'BEGIN {
        if (v == "" || v == "-") { printf "-"; exit }
        a = v < 0 ? -v : v
        printf(a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v) }'
}
# cell PEER_OUT FIGURE CONVTOP_MS: "ms (ratio x)"
cell() {
    v=$(field "$1" "$2" 2)
    case $v in
    '' | - | nan) echo "-" ;;
    *)
        if awk -v c="$3" 'BEGIN { exit !(c > 0) }'; then
            echo "$(num "$v") ($(num "$(awk -v v="$v" -v c="$3" 'BEGIN { print v / c }')")x)"
        else
            num "$v"
        fi
        ;;
    esac
}
table() {
    echo "convtop make bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores" \
        "($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), REPEATS=$REPEATS"
    echo "times in ms, median of $REPEATS warm runs inside an already-open engine; (Nx) = peer / convtop"
    echo "convtop and DuckDB use both cores, ClickHouse up to its max_threads, sqlite3 one core;"
    echo "'1 core': convtop again, pinned to one core with taskset"
    for p in sqlite3 duckdb clickhouse; do
        eval "w=\$why_$p"
        [ -n "$w" ] && echo "$p: not available: $w"
    done
    echo
    printf '%-5s %-24s %10s %8s  %-18s %-18s %-18s\n' size figure convtop "1 core" sqlite3 \
        DuckDB ClickHouse
    for size in $SIZES; do
        out=$BENCH_DIR/results/$size
        [ -s "$out/convtop" ] || continue
        l=$(label_of "$size")
        for f in funnel_stages_7d funnel_checkout cohort_month goals search_keystroke_worst \
            customer_list; do
            c=$(field "$out/convtop" "$f" 2)
            one=$(field "$out/convtop-1core" "$f" 2)
            printf '%-5s %-24s %10s %8s  %-18s %-18s %-18s\n' "$l" "$f" "$(num "$c")" \
                "$(num "${one:--}")" "$(cell "$out/sqlite3" "$f" "$c")" \
                "$(cell "$out/duckdb" "$f" "$c")" "$(cell "$out/clickhouse" "$f" "$c")"
        done
    done
    echo
    printf '%-5s %9s %9s %12s %11s %11s %10s %12s %14s %14s %13s\n' size events customers \
        "import rows" "rows/s" "first frame" "load snap" "peak RSS MB" "snapshot B/ev" \
        "RSS delta B/ev" "report funnel"
    for size in $SIZES; do
        out=$BENCH_DIR/results/$size
        [ -s "$out/convtop" ] || continue
        mem=$(field "$out/convtop" memory 3)
        ev=$(echo "$mem" | sed 's/.*events=\([0-9]*\).*/\1/')
        snap=$(echo "$mem" | sed 's/.*snapshot_bytes=\([-0-9]*\).*/\1/')
        r0=$(echo "$mem" | sed 's/.*rss_before_kb=\([0-9]*\).*/\1/')
        r2=$(echo "$mem" | sed 's/.*rss_after_kb=\([0-9]*\).*/\1/')
        cust=$(field "$out/convtop" load_mapped 3 | sed 's/.*, \([0-9]*\) customers/\1/')
        load=$(field "$out/convtop" load_mapped 2)
        [ -n "$load" ] || load=$(field "$out/convtop" load_built 2)
        peak=$(cat "$out/ct_bench.rss" 2>/dev/null)
        printf '%-5s %9s %9s %12s %11s %11s %10s %12s %14s %14s %13s\n' "$(label_of "$size")" "$ev" \
            "$cust" "$(cat "$out/import.rows" 2>/dev/null)" "$(median <"$out/import.rates")" \
            "$(num "$(median <"$out/frame.times")") ms" "$(num "$load") ms" \
            "$(awk -v k="$peak" 'BEGIN { printf "%.0f", k / 1024 }')" \
            "$(awk -v s="$snap" -v e="$ev" 'BEGIN { printf "%.1f", s / e }')" \
            "$(awk -v a="$r0" -v b="$r2" -v e="$ev" 'BEGIN { printf "%.1f", (b - a) * 1024 / e }')" \
            "$(cut -d' ' -f1 "$out/report.time" 2>/dev/null) s"
    done
    echo
    echo "load snap: ct_bench mapping the snapshot; report funnel: wall time of a whole"
    echo "convtop report funnel --format json process (as a user runs it, 10 ms resolution)"
    echo "peak RSS (MB): ct_bench (all figures) / convtop report funnel / convtop import / TUI first frame;"
    echo "bytes per event held by the peers: sqlite3 file with its extra index, DuckDB duckdb_memory(),"
    echo "ClickHouse server RSS growth during the load (Memory tables)"
    for size in $SIZES; do
        out=$BENCH_DIR/results/$size
        [ -s "$out/convtop" ] || continue
        ev=$(field "$out/convtop" memory 3 | sed 's/.*events=\([0-9]*\).*/\1/')
        sq=$(field "$out/sqlite3" memory 3 | sed -n 's/.*file_bytes=\([0-9]*\).*/\1/p')
        dk=$(field "$out/duckdb" memory 3 | sed -n 's/.*bytes=\([0-9]*\).*/\1/p')
        cr=$(field "$out/clickhouse" memory 3 | sed -n 's/.*rss_delta_kb=\([0-9]*\).*/\1/p')
        printf '%-5s peak RSS %s / %s / %s / %s MB; B/event: sqlite3 %s, DuckDB %s, ClickHouse %s\n' \
            "$(label_of "$size")" \
            "$(awk '{ printf "%.0f", $1 / 1024 }' "$out/ct_bench.rss" 2>/dev/null)" \
            "$(awk '{ printf "%.0f", $2 / 1024 }' "$out/report.time" 2>/dev/null)" \
            "$(awk '{ printf "%.0f", $1 / 1024 }' "$out/import.rss" 2>/dev/null)" \
            "$(awk '{ printf "%.0f", $1 / 1024 }' "$out/tui.rss" 2>/dev/null)" \
            "$(awk -v b="$sq" -v e="$ev" 'BEGIN { if (b) printf "%.0f", b / e; else printf "-" }')" \
            "$(awk -v b="$dk" -v e="$ev" 'BEGIN { if (b) printf "%.0f", b / e; else printf "-" }')" \
            "$(awk -v b="$cr" -v e="$ev" 'BEGIN { if (b) printf "%.0f", b * 1024 / e; else printf "-" }')"
    done
    echo
    echo "search: the slowest keystroke's median while typing 'anna.s' (a page of up to 200);"
    echo "the 10M shop's 700,000 customers stand in for SPEC 8's 1M customers"
    echo "customer_list: convtop only (every customer's profile, sorted by net spend)"
    echo "first frame: convtop (TUI) until its first frame is drawn, CONVTOP_BENCH_FIRST_FRAME=1,"
    echo "median of $FRAME_RUNS; import: rows/s of convtop import of a CSV of the shop's first"
    echo "events (up to IMPORT_ROWS=$IMPORT_ROWS) into an empty database, process wall time,"
    echo "median of $IMPORT_RUNS"
    for size in $SIZES; do
        out=$BENCH_DIR/results/$size
        [ -s "$out/load-before" ] || continue
        echo "load $(label_of "$size"): before: $(sed 's/.*load average/load average/' "$out/load-before");" \
            "after: $(sed 's/.*load average: //' "$out/load-after" 2>/dev/null)"
    done
}

for size in $SIZES; do
    if [ -z "$(customers_of "$size")" ]; then
        say "unknown size '$size' (use 100k, 1m or 10m)"
        exit 2
    fi
done
for size in $SIZES; do
    bench_size "$size"
done
ch_stop
table | tee "$results"
echo "(saved in $results; raw outputs in $BENCH_DIR/results)"
if [ $fail != 0 ]; then
    echo "bench: FAILED: answers differ or a step failed (see above)"
    exit 1
fi
exit 0
