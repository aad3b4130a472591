# lib.sh - sourced by the terminal tests in tests/tty (STYLE 5, "tmux tests").
#
# Each test gets a private tmux server (-L ct$$, no config), runs the real
# convtop binary in it with a clean environment (HOME and the XDG folders in
# a temporary folder, so no user config or database leaks in), sends keys,
# and reads the screen back with capture-pane.  Nothing sleeps for a fixed
# time to "let it settle": wait_for polls the screen until the text appears
# (and gives up at once when convtop has exited).
#
#   tty_start [-x COLS] [-y ROWS] [VAR=VALUE...] -- [convtop options]
#   keys KEY...        tmux send-keys (Enter, Escape, Down, BTab, ...)
#   type_text TEXT     literal text
#   wait_for TEXT [TIMEOUT_S]   wait_gone TEXT [TIMEOUT_S]   poll SECONDS CMD...
#   screen_has TEXT    snap FILE (a settled screen)    screen_e (with SGR codes)
#   ct ARGS...         convtop outside tmux, same clean environment
#   ok MSG / fail MSG / expect_has TEXT WHAT / alive / resize COLS ROWS
#   tty_quit (q and a clean exit) / finish (the exit status of the test)
#
# Uses $CONVTOP (the built binary) and $top_srcdir, both exported by
# AM_TESTS_ENVIRONMENT.  Writes only below one temporary folder ($T), so
# make distcheck's read-only source tree is fine.  Exits 77 (skip) when tmux
# is missing.  KEEP=1 keeps $T for a look after a failure.

set -u

: "${CONVTOP:?CONVTOP must name the built convtop binary (make check sets it)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
if [ ! -x "$CONVTOP" ]; then
    echo "SKIP: no executable $CONVTOP"
    exit 77
fi
if ! command -v tmux >/dev/null 2>&1; then
    echo "SKIP: tmux is not installed (apt-get install tmux)"
    exit 77
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/ct-tty.XXXXXX") || exit 1
mkdir -p "$T/home/.config" "$T/home/.local/share" "$T/home/.cache" "$T/tmp" "$T/work"
TTY_SOCK=ct$$
TTY_FAILS=0
TTY_NAME=$(basename "$0" .sh)
unset TMUX TMUX_PANE
# The server's socket goes in $T, removed with it, when that path is short
# enough for a socket; else in tmux's own folder, removed by tty_cleanup.
if [ "${#T}" -lt 64 ]; then
    export TMUX_TMPDIR=$T
fi
TTY_SOCKET="${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TTY_SOCK"

# tmux itself in UTF-8 whatever the caller's locale (-u); what runs in the
# pane gets its own environment (tty_start).
tmx() {
    LC_ALL=C.UTF-8 tmux -u -L "$TTY_SOCK" -f /dev/null "$@"
}

tty_cleanup() {
    tmx kill-server >/dev/null 2>&1
    rm -f "$TTY_SOCKET"
    if [ "${KEEP:-0}" = 1 ]; then
        echo "kept $T"
    else
        rm -rf "$T"
    fi
}
trap tty_cleanup EXIT
trap 'exit 1' INT TERM HUP

# The environment convtop runs in, inside tmux and out: nothing of the
# user's, except the sanitizer options a sanitizer build is run with.
CT_ENV=(
    "PATH=/usr/local/bin:/usr/bin:/bin"
    "HOME=$T/home"
    "XDG_CONFIG_HOME=$T/home/.config"
    "XDG_DATA_HOME=$T/home/.local/share"
    "XDG_CACHE_HOME=$T/home/.cache"
    "TMPDIR=$T/tmp"
    "LANG=C.UTF-8"
    "TZ=UTC"
    "TZDIR=${TZDIR:-/usr/share/zoneinfo}"
    "CONVTOP_DATADIR=${CONVTOP_DATADIR:-$top_srcdir}"
)
# The terminal tmux emulates: its keys (Home is ESC [ 1 ~) are what this
# entry describes, where xterm's would not be.
TTY_TERM=screen
for t in tmux-256color screen-256color; do
    if infocmp "$t" >/dev/null 2>&1; then
        TTY_TERM=$t
        break
    fi
done
for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
    if [ -n "${!v:-}" ]; then
        CT_ENV+=("$v=${!v}")
    fi
done

# convtop outside tmux (demo, import, report), in the same clean environment.
ct() {
    env -i "${CT_ENV[@]}" "$CONVTOP" "$@"
}

need_python() {
    if ! command -v python3 >/dev/null 2>&1; then
        echo "SKIP: python3 is not installed (the test reads JSON reports with it)"
        exit 77
    fi
}

# Run python3 code from standard input with tests/tty on the module path
# (ttycheck.py); it prints ok/FAIL lines and exits non-zero on a failure.
py() {
    PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$top_srcdir/tests/tty" python3 - "$@"
}

# --- results -------------------------------------------------------------------

ok() {
    echo "ok   $*"
}

fail() {
    echo "FAIL $*"
    TTY_FAILS=$((TTY_FAILS + 1))
    if tmx has-session -t ct 2>/dev/null; then
        echo "     screen:"
        tmx capture-pane -p -t ct | sed 's/^/     | /'
    fi
    if [ -s "$T/stderr" ]; then
        echo "     convtop's stderr:"
        sed 's/^/     | /' "$T/stderr" | head -40
    fi
}

# py_check ARGS... <<'EOF' ... EOF: a python check (ttycheck.py); one more
# failure when it fails.
py_check() {
    local out rc
    out=$(py "$@")
    rc=$?
    printf '%s\n' "$out"
    if [ "$rc" -ne 0 ]; then
        TTY_FAILS=$((TTY_FAILS + 1))
    fi
    return "$rc"
}

finish() {
    if [ "$TTY_FAILS" -gt 0 ]; then
        echo "$TTY_NAME: $TTY_FAILS failed"
        exit 1
    fi
    echo "$TTY_NAME: all passed"
    exit 0
}

# --- the terminal ----------------------------------------------------------------

# tty_start [-x COLS] [-y ROWS] [VAR=VALUE...] -- [convtop options]
# Starts convtop in a new tmux server in $T/work (TERM=$TTY_TERM unless
# given).  When it ends, its exit code lands in $T/rc and its standard error
# in $T/stderr.
tty_start() {
    local cols=80 rows=24 extra=()
    while [ $# -gt 0 ]; do
        case $1 in
        -x) cols=$2; shift 2 ;;
        -y) rows=$2; shift 2 ;;
        --) shift; break ;;
        *) extra+=("$1"); shift ;;
        esac
    done
    tmx kill-server >/dev/null 2>&1 # the one before, if any
    rm -f "$T/rc" "$T/stderr"
    local term_set=0 e
    for e in "${extra[@]+"${extra[@]}"}"; do
        case $e in TERM=*) term_set=1 ;; esac
    done
    [ "$term_set" = 1 ] || extra+=("TERM=$TTY_TERM")
    {
        echo '#!/bin/bash'
        printf 'cd %q || exit 99\n' "$T/work"
        printf 'env -i'
        printf ' %q' "${CT_ENV[@]}" "${extra[@]}" "$CONVTOP" "$@"
        printf ' 2>%q\n' "$T/stderr"
        printf 'echo $? >%q.new && mv %q.new %q\n' "$T/rc" "$T/rc" "$T/rc"
    } >"$T/run.sh"
    tmx new-session -d -s ct -x "$cols" -y "$rows" \
        "env -i $(printf %q "$BASH") $(printf %q "$T/run.sh")" ||
        { fail "tmux could not start a session"; finish; }
    tmx set-option -g remain-on-exit on >/dev/null 2>&1
}

keys() {
    tmx send-keys -t ct "$@"
}

type_text() {
    tmx send-keys -t ct -l -- "$1"
}

screen() {
    tmx capture-pane -p -t ct 2>/dev/null
}

screen_e() {
    tmx capture-pane -p -e -t ct 2>/dev/null
}

# snap FILE: the screen once two captures in a row agree (a frame may reach
# tmux in more than one write).
snap() {
    local a b i
    a=$(screen)
    for i in $(seq 1 40); do
        sleep 0.05
        b=$(screen)
        [ "$a" = "$b" ] && break
        a=$b
    done
    printf '%s\n' "$a" >"$1"
}

screen_has() {
    screen | grep -qF -- "$1"
}

# poll SECONDS CMD...: run CMD every 50 ms until it succeeds (0) or SECONDS
# pass (1); gives up at once when convtop has exited.
poll() {
    local tries=$(($1 * 20)) i
    shift
    for ((i = 0; i < tries; i++)); do
        "$@" && return 0
        [ -e "$T/rc" ] && return 1
        sleep 0.05
    done
    return 1
}

screen_lacks() {
    ! screen_has "$1"
}

# wait_for TEXT [TIMEOUT_S]: poll until TEXT is on the screen; 0 when it is.
wait_for() {
    poll "${2:-8}" screen_has "$1"
}

# wait_gone TEXT [TIMEOUT_S]: poll until TEXT has left the screen.
wait_gone() {
    poll "${2:-8}" screen_lacks "$1"
}

# expect_has TEXT WHAT [TIMEOUT_S]: wait_for, as a check.
expect_has() {
    if wait_for "$1" "${3:-8}"; then
        ok "$2"
    else
        fail "$2: no '$1' on the screen"
    fi
}

# Is convtop still running?
alive() {
    [ ! -e "$T/rc" ] && [ "$(tmx display -p -t ct '#{pane_dead}' 2>/dev/null)" = 0 ]
}

resize() {
    tmx resize-window -t ct -x "$1" -y "$2"
}

# Wait until convtop has exited; check a clean exit (status 0, no sanitizer
# report, nothing on stderr).
expect_exit() {
    local i
    for ((i = 0; i < 160; i++)); do
        [ -e "$T/rc" ] && break
        sleep 0.05
    done
    if [ ! -e "$T/rc" ]; then
        fail "convtop did not exit"
        return
    fi
    local rc
    rc=$(cat "$T/rc")
    if [ "$rc" = 0 ]; then
        ok "convtop exited with status 0"
    else
        fail "convtop exited with status $rc"
    fi
    if [ -s "$T/stderr" ]; then
        fail "convtop wrote to stderr"
    fi
}

# q, then a clean exit.
tty_quit() {
    keys q
    expect_exit
}

# A small shop: the demo generator with a fixed seed.
make_demo() {
    ct demo --db "$1" --customers "${2:-1500}" --seed "${3:-7}" >"$T/demo.out" 2>&1 ||
        { fail "convtop demo failed: $(cat "$T/demo.out")"; finish; }
}
