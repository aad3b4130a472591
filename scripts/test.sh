#!/bin/sh
# test.sh - install dependencies if missing, build, and run the whole test suite.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
sh "$top/scripts/build.sh"
build=${BUILD_DIR:-$top/build}
case $build in /*) ;; *) build=$top/$build ;; esac
cd "$build"
if ! make -s -j"$(nproc 2>/dev/null || echo 2)" check; then
    for f in $(find tests -name '*.log' 2>/dev/null); do
        grep -qE '^(FAIL|ERROR)' "${f%.log}.trs" 2>/dev/null && { echo "=== $f"; tail -n 60 "$f"; }
    done
    exit 1
fi
