#!/bin/sh
# deps.sh - install what convtop needs to build and test, on Debian, if missing.
# Idempotent and silent when everything is already there.
set -e
pkgs="gcc make libc6-dev autoconf automake pkgconf
libncurses-dev libsqlite3-dev libyaml-dev libjansson-dev zlib1g-dev libcmocka-dev
tzdata tmux python3 sqlite3 git"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
