#!/bin/sh
# examples.sh - the worked examples of SPEC 5 (../shared/examples) against
# the built binary: every case must pass.  Skipped (77) where the shared
# folder is not beside the repository.
set -u
run="$top_srcdir/../shared/examples/run"
if [ ! -x "$run" ] || ! command -v python3 >/dev/null 2>&1; then
    echo "examples: $run or python3 not found, skipping"
    exit 77
fi
out=$("$run" "$CONVTOP" 2>&1)
status=$?
printf '%s\n' "$out"
exit $status
