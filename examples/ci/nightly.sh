#!/bin/sh
# Nightly JIT-health job (docs/ci.md): record the benchmarks, write the HTML
# report and the health JSON, compared with the last good night's JSON
# when given. The JSON is tomorrow's baseline; the HTML is the artifact to
# read. Exit 0 unless something failed to run; 1 when the night regressed
# (a no-regression check against the previous night).
#
#   examples/ci/nightly.sh OUTDIR [PREVIOUS_HEALTH_JSON]
#
# Environment: TIERPROF (default: tierprof on PATH), BENCH (the command to
# record; default: the deopt-loop workload, fixed, from this repository).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
TP=${TIERPROF:-tierprof}
BENCH=${BENCH:-node $here/../../tests/workloads/node/deopt_loop.js 600 --fixed}
out=${1:?usage: nightly.sh OUTDIR [PREVIOUS_HEALTH_JSON]}
prev=${2:-}

mkdir -p "$out"
# One capture per benchmark; its file name is its name in the report and
# pairs it with the same benchmark in the previous night's JSON.
# shellcheck disable=SC2086 # BENCH is a command line
"$TP" record -F 999 -o "$out/bench.data" -- $BENCH >"$out/bench.log" 2>&1
if [ -n "$prev" ]; then
	"$TP" health --baseline "$prev" --timestamp -o "$out/report.html" --json "$out/health.json" "$out/bench.data"
	printf 'no-regression\nno-deopt-loops\n' >"$out/nightly.rules"
	"$TP" check --rules "$out/nightly.rules" --baseline "$prev" "$out/bench.data"
else
	"$TP" health --timestamp -o "$out/report.html" --json "$out/health.json" "$out/bench.data"
fi
echo "nightly: $out/report.html, $out/health.json"
