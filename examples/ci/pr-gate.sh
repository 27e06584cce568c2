#!/bin/sh
# PR-time gate (docs/ci.md): record the benchmark under tierprof and check
# it against gate.rules and, when given, the main branch's baseline (a
# capture or the nightly's health.json). Exit 0 pass, 1 a rule is violated,
# 2 bad input.
#
#   examples/ci/pr-gate.sh OUTDIR [BASELINE]
#
# Environment: TIERPROF (default: tierprof on PATH), RULES (default: gate.rules
# next to this script), BENCH (the command to record; default: the deopt-loop
# workload, fixed, from this repository).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
TP=${TIERPROF:-tierprof}
RULES=${RULES:-$here/gate.rules}
BENCH=${BENCH:-node $here/../../tests/workloads/node/deopt_loop.js 600 --fixed}
out=${1:?usage: pr-gate.sh OUTDIR [BASELINE]}
baseline=${2:-}

mkdir -p "$out"
# shellcheck disable=SC2086 # BENCH is a command line
"$TP" record -F 999 -o "$out/bench.data" -- $BENCH >"$out/bench.log" 2>&1
if [ -n "$baseline" ]; then
	set -- --baseline "$baseline"
else
	set --
fi
# Machine-readable result for annotations and artifacts...
rc=0
"$TP" check --rules "$RULES" "$@" --format json -o "$out/check.json" "$out/bench.data" || rc=$?
[ "$rc" -le 1 ] || exit "$rc"
# ... and the readable summary (with ::error lines GitHub Actions shows on the PR).
"$TP" check --rules "$RULES" "$@" --format github "$out/bench.data" || true
exit "$rc"
