#!/bin/sh
# build.sh - configure and build convtop out of tree in $BUILD_DIR (default build/).
# CONFIGURE_FLAGS adds to ./configure (e.g. --enable-sanitizers).
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
case $build in /*) ;; *) build=$top/$build ;; esac
sh "$top/scripts/deps.sh"
if [ ! -x "$top/configure" ] || [ "$top/configure.ac" -nt "$top/configure" ] ||
   [ "$top/Makefile.am" -nt "$top/Makefile.in" ]; then
    (cd "$top" && autoreconf -fi >/dev/null 2>&1 || autoreconf -fi)
fi
mkdir -p "$build"
cd "$build"
want="--enable-werror ${CONFIGURE_FLAGS:-}"
if [ ! -f Makefile ] || [ "$(cat .configure-flags 2>/dev/null)" != "$want" ]; then
    "$top/configure" -q $want
    echo "$want" > .configure-flags
fi
make -s -j"$(nproc 2>/dev/null || echo 2)"
