#!/bin/sh
# The README's demo: record the bundled Node program (a deopt loop, a function
# TurboFan refuses, a steady optimized one) with no flags, print the report,
# and write the flame graph (open it in a browser). Usage: examples/demo.sh [BUILD_DIR]
set -eu
build=${1:-build}
out=${TIERPROF_DEMO_DIR:-$build/demo}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
"$build/tierprof" record -F 499 -o "$out/tierprof.data" -- node "$here/node/demo.js"
"$build/tierprof" report --view bottom-up --limit 15 "$out/tierprof.data"
"$build/tierprof" deopts "$out/tierprof.data" | head -n 12
"$build/tierprof" flame --title "tierprof demo: examples/node/demo.js" -o "$out/flame.svg" \
	"$out/tierprof.data"
"$build/tierprof" report --format folded --annotate -o "$out/demo.folded" "$out/tierprof.data"
echo "flame graph, coloured by tier: $out/flame.svg"
echo "folded stacks (FlameGraph/inferno input): $out/demo.folded"
