#!/bin/sh
# Install what tierprof needs to build and test, from Debian's archive.
# Idempotent: does nothing when everything is present.
set -eu

PACKAGES="build-essential cmake pkg-config clang libclang-rt-14-dev llvm \
libelf-dev libunwind-dev libjansson-dev libcmocka-dev zlib1g-dev \
linux-perf jq binutils elfutils util-linux"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
# Node.js for the demo and the V8 tests: any node on PATH will do.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "tierprof: installing:$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
