#!/bin/sh
# The README's demo: record the bundled example, print the report, and write
# the folded stacks a flame graph is drawn from. Usage: examples/demo.sh [BUILD_DIR]
set -eu
build=${1:-build}
out=${TIERPROF_DEMO_DIR:-$build/demo}
mkdir -p "$out"
"$build/tierprof" record -F 999 -o "$out/tierprof.data" -- "$build/examples/hotspots"
"$build/tierprof" report "$out/tierprof.data"
"$build/tierprof" report --format folded --annotate -o "$out/demo.folded" "$out/tierprof.data"
echo "folded stacks (FlameGraph/inferno input): $out/demo.folded"
