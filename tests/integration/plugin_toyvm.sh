#!/usr/bin/env bash
# The example plugin end to end: prepare_launch edits the command, collect
# embeds the toy runtime's log, classify labels its frames, ingest reports
# its deopts. Called with TIERPROF WORKLOAD_DIR TOYVM_PLUGIN TOYVM_BINARY.
. "$(dirname "$0")/lib.sh"
require_perf
PLUGIN=$3
TOYVM=$4

"$TP" record -v -F 999 --plugin "$PLUGIN" -o "$TMP/t.data" -- "$TOYVM" >"$TMP/rec.out" 2>&1 ||
	{ fail "record toyvm"; show "$TMP/rec.out"; finish; }
grep -q "TOYVM_LOG_DIR=" "$TMP/rec.out" && pass "-v shows the environment the plugin set" ||
	fail "-v did not show the plugin's edits"
"$TP" record --no-runtime-flags -v -F 99 --plugin "$PLUGIN" -o "$TMP/t0.data" -- "$TOYVM" \
	>"$TMP/rec0.out" 2>&1
grep -q -- "--log" "$TMP/rec0.out" && fail "--no-runtime-flags still added --log" ||
	pass "--no-runtime-flags adds no argument"

"$TP" report -f json --plugin "$PLUGIN" -o "$TMP/t.json" "$TMP/t.data" 2>"$TMP/rep.err" ||
	{ fail "report toyvm"; show "$TMP/rep.err"; finish; }
jq -e '.tiers.interpreter > 0 and .tiers.optimized > 0' "$TMP/t.json" >/dev/null &&
	pass "interpreter and optimized tiers present" || fail "tiers: $(jq -c .tiers "$TMP/t.json")"
jq -e '[.functions[] | select(.runtime == "toyvm" and .deopts > 0)] | length > 0' \
	"$TMP/t.json" >/dev/null && pass "deopt events ingested from the embedded log" ||
	fail "no toyvm function with deopts"
"$TP" report -f folded --annotate --plugin "$PLUGIN" "$TMP/t.data" >"$TMP/t.folded"
grep -q '_\[0\]' "$TMP/t.folded" && grep -q '_\[j\]' "$TMP/t.folded" &&
	pass "folded annotations _[0] and _[j]" || fail "folded lacks tier annotations"
# Without the plugin the same capture still reports, as native code.
"$TP" report -f json --no-builtin-plugins -o "$TMP/n.json" "$TMP/t.data" 2>/dev/null &&
	jq -e '.tiers.native > 0' "$TMP/n.json" >/dev/null &&
	pass "without the plugin the frames are native" || fail "report without plugin"
finish
