#!/bin/sh
# Install what tierprof needs to build and test, from Debian's archive.
# Idempotent: does nothing when everything is present.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)

PACKAGES="build-essential cmake pkg-config clang libclang-rt-14-dev llvm \
libelf-dev libunwind-dev libjansson-dev libcmocka-dev zlib1g-dev \
linux-perf jq binutils elfutils util-linux"
# PyPy for the PyPy plugin's tests (tests/integration/pypy_*.sh).
PACKAGES="$PACKAGES pypy3"
# A JDK: jvmti.h for the HotSpot plugin's agent, java/javac for its tests.
PACKAGES="$PACKAGES openjdk-17-jdk-headless"
# The readers the output tests check tierprof's files with: go tool pprof,
# and headless Chromium for the flame graph SVG and speedscope's importer.
PACKAGES="$PACKAGES golang-go chromium"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
# Node.js for the demo and the V8 tests: any node on PATH will do.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

if [ -n "$missing" ]; then
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	echo "tierprof: installing:$missing"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# The browser tests' packages (playwright-core, speedscope), pinned by
# tests/browser/package-lock.json; again only when the lock file changed.
# Without them those tests skip, so a failure here is a warning.
b="$root/tests/browser"
if [ ! "$b/node_modules/.package-lock.json" -nt "$b/package-lock.json" ]; then
	echo "tierprof: npm ci in tests/browser"
	(cd "$b" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
		echo "tierprof: warning: npm ci failed in tests/browser; the browser tests will skip" >&2
fi
