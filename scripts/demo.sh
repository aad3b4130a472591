#!/bin/sh
# demo.sh - install dependencies if missing, build, create the demo shop and open it.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
sh "$top/scripts/build.sh"
exec "${BUILD_DIR:-$top/build}/convtop" --demo "$@"
