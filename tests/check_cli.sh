#!/bin/sh
# check_cli.sh - convtop check (SPEC 4, 7): exit codes, the FILE:LINE:COLUMN
# lines on stderr, the summary on stdout, and config discovery without FILE.
# Runs the built binary ($CONVTOP); skips (77) when it is missing.
CONVTOP=${CONVTOP:-./convtop}
top_srcdir=${top_srcdir:-.}
[ -x "$CONVTOP" ] || { echo "no $CONVTOP"; exit 77; }
data=$top_srcdir/tests/data/config
tmp=$(mktemp -d "${TMPDIR:-/tmp}/convtop-check.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# a valid config: the summary on stdout, nothing on stderr, exit 0
"$CONVTOP" check "$top_srcdir/convtop.yaml" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || fail "default config: exit $rc"
grep -qx "$top_srcdir/convtop.yaml: ok (4 stages, 2 funnels, 4 goals, 4 segments)" "$tmp/out" ||
    fail "default config: stdout $(cat "$tmp/out")"
[ -s "$tmp/err" ] && fail "default config: stderr $(cat "$tmp/err")"

# every mistake on its own line, exit 2, nothing more from main
"$CONVTOP" check "$data/many-mistakes.yaml" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "many mistakes: exit $rc"
[ -s "$tmp/out" ] && fail "many mistakes: stdout $(cat "$tmp/out")"
n=$(wc -l <"$tmp/err")
[ "$n" -eq 12 ] || fail "many mistakes: $n lines, want 12"
bad=$(grep -cv "^$data/many-mistakes.yaml:[0-9][0-9]*:[0-9][0-9]*: " "$tmp/err")
[ "$bad" -eq 0 ] || fail "many mistakes: $bad lines not FILE:LINE:COLUMN: $(cat "$tmp/err")"
grep -qx "$data/many-mistakes.yaml:6:3: unknown key 'windw' in funnel (did you mean 'window'?)" \
    "$tmp/err" || fail "many mistakes: no windw line"

# without FILE: the discovered config ($CONVTOP_CONFIG first)
printf 'shop: { name: Env }\nsegments: [{ name: S, where: { channel: x } }]\n' >"$tmp/env.yaml"
CONVTOP_CONFIG="$tmp/env.yaml" "$CONVTOP" check >"$tmp/out" 2>&1 || fail "env config: exit $?"
grep -qx "$tmp/env.yaml: ok (0 stages, 0 funnels, 0 goals, 1 segments)" "$tmp/out" ||
    fail "env config: $(cat "$tmp/out")"
# then the XDG file
mkdir -p "$tmp/xdg/convtop"
printf 'funnel: { windw: 1d }\n' >"$tmp/xdg/convtop/convtop.yaml"
env -u CONVTOP_CONFIG XDG_CONFIG_HOME="$tmp/xdg" "$CONVTOP" check >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "xdg config: exit $rc"
grep -qx "$tmp/xdg/convtop/convtop.yaml:1:11: unknown key 'windw' in funnel (did you mean 'window'?)" \
    "$tmp/err" || fail "xdg config: $(cat "$tmp/err")"

# a missing file, usage errors and --help
"$CONVTOP" check "$tmp/none.yaml" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "missing file: exit $rc"
grep -q "^$tmp/none.yaml: cannot open the config" "$tmp/err" || fail "missing: $(cat "$tmp/err")"
"$CONVTOP" check a.yaml b.yaml >/dev/null 2>&1
[ $? -eq 2 ] || fail "two files: not exit 2"
"$CONVTOP" check --bogus >/dev/null 2>&1
[ $? -eq 2 ] || fail "unknown option: not exit 2"
"$CONVTOP" check --help >"$tmp/out" 2>&1 || fail "--help: exit $?"
grep -q "^Usage: convtop check \[CONFIG\]" "$tmp/out" || fail "--help: $(cat "$tmp/out")"

[ $fails -eq 0 ] && echo "check_cli: all passed"
[ $fails -eq 0 ]
