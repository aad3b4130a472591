#!/bin/sh
# fuzz_replay.sh - replays every fuzz target's seed corpus and regression
# files through the target's own checks, without libFuzzer (SPEC 9): a
# crash, a sanitizer report, a leak (under --enable-sanitizers) or a broken
# contract that the fuzzer once found must stay fixed in every build.
: "${top_srcdir:?}" "${top_builddir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/convtop-replay-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
TZDIR=${TZDIR:-/usr/share/zoneinfo}
export TZDIR

fail=0
for t in csv ndjson orders tstamp config theme spend; do
    set --
    for d in "$top_srcdir/tests/fuzz/corpus/$t" "$top_srcdir/tests/data/fuzz-regressions/$t"; do
        [ -d "$d" ] && set -- "$@" "$d"
    done
    if [ $# -eq 0 ]; then
        echo "FAIL $t: no corpus"
        fail=1
        continue
    fi
    if "$top_builddir/tests/fuzz/replay_$t" "$@" >"$tmp/out" 2>"$tmp/err"; then
        echo "ok   $t: $(cat "$tmp/out")"
    else
        echo "FAIL $t (the last file named is the one that failed):"
        tail -n 15 "$tmp/err" | sed 's/^/     | /'
        fail=1
    fi
done
exit $fail
