#!/bin/sh
# cases.sh - the project's own worked cases of SPEC 5 (tests/cases/NN-name/,
# same format as ../shared/examples) against the built binary, with the
# runner of ../shared/examples: every case must pass.  Skipped (77) where
# the shared folder is not beside the repository.  Cases in
# tests/cases-disputed/ are not run here.
set -u
run="$top_srcdir/../shared/examples/run"
if [ ! -x "$run" ] || ! command -v python3 >/dev/null 2>&1; then
    echo "cases: $run or python3 not found, skipping"
    exit 77
fi
set --
for d in "$top_srcdir"/tests/cases/*/; do
    [ -f "$d/command" ] && set -- "$@" "$d"
done
if [ $# -eq 0 ]; then
    echo "cases: no case in $top_srcdir/tests/cases"
    exit 1
fi
out=$("$run" "$CONVTOP" "$@" 2>&1)
status=$?
printf '%s\n' "$out"
exit $status
