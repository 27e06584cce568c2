#!/usr/bin/env bash
# The CI recipes of docs/ci.md run as written: examples/ci/nightly.sh twice
# (the second night compared with the first), examples/ci/pr-gate.sh passing
# against the nightly baseline, and failing (exit 1) when the benchmark has
# the deopt loop.
. "$(dirname "$0")/lib.sh"
require_perf
command -v node >/dev/null 2>&1 || { echo "# node not installed: skip"; exit 77; }
CI=$(cd "$(dirname "$0")/../../examples/ci" && pwd)
export TIERPROF=$TP

sh "$CI/nightly.sh" "$TMP/n1" >"$TMP/n1.out" 2>&1 && [ -s "$TMP/n1/report.html" ] && [ -s "$TMP/n1/health.json" ] &&
	pass "nightly.sh: report.html and health.json" || { fail "nightly.sh"; show "$TMP/n1.out"; }
sh "$CI/nightly.sh" "$TMP/n2" "$TMP/n1/health.json" >"$TMP/n2.out" 2>&1 &&
	jq -e '.captures[0].comparison.base.label == "bench" and (.generated | length > 0)' "$TMP/n2/health.json" >/dev/null &&
	pass "nightly.sh with the previous night: compared, passed" || { fail "nightly.sh, second night"; show "$TMP/n2.out"; }
sh "$CI/pr-gate.sh" "$TMP/pr" "$TMP/n2/health.json" >"$TMP/pr.out" 2>&1 &&
	jq -e '.passed' "$TMP/pr/check.json" >/dev/null && pass "pr-gate.sh: the fixed benchmark passes" ||
	{ fail "pr-gate.sh"; show "$TMP/pr.out"; }
BENCH="node $CI/../../tests/workloads/node/deopt_loop.js" sh "$CI/pr-gate.sh" "$TMP/bad" "$TMP/n2/health.json" >"$TMP/bad.out" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q '^::error file=.*gate.rules,line=9,title=no-deopt-loops::sumAreas' "$TMP/bad.out" &&
	pass "pr-gate.sh: the deopt loop fails the gate (exit 1, annotated)" || { fail "pr-gate.sh on the loop: exit $rc"; show "$TMP/bad.out"; }
finish
