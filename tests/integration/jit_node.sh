#!/usr/bin/env bash
# JIT frames of a real Node process are named from its perf map and from its
# jitdump, both embedded in the capture and read back after the files are gone.
. "$(dirname "$0")/lib.sh"
require_perf
command -v node >/dev/null 2>&1 || { echo "# node not installed: skip"; exit 77; }

cat >"$TMP/hot.js" <<'JS'
function hotLoop(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }
let t = 0;
for (let r = 0; r < 300; r++) t += hotLoop(1e6);
console.log(t);
JS

for mode in --perf-basic-prof --perf-prof; do
	( cd "$TMP" && "$TP" record -F 499 -o "$TMP/n.data" -- node "$mode" "$TMP/hot.js" ) \
		>"$TMP/rec.out" 2>&1 || { fail "record node $mode"; show "$TMP/rec.out"; continue; }
	# The capture must not depend on the runtime's files.
	rm -f "$TMP"/jit-*.dump
	"$TP" report -f json -o "$TMP/n.json" "$TMP/n.data" 2>"$TMP/rep.err" ||
		{ fail "report of node $mode"; show "$TMP/rep.err"; continue; }
	samples=$(jq '.capture.samples' "$TMP/n.json")
	hot=$(jq '[.functions[] | select(.name | test("^hotLoop ")) | .self] | add // 0' "$TMP/n.json")
	note "$mode: samples=$samples hotLoop self=$hot"
	[ "$hot" -gt 0 ] && [ $((2 * hot)) -ge "$samples" ] &&
		pass "$mode: JS hotLoop named and holds most samples" ||
		fail "$mode: JS hotLoop self $hot of $samples samples"
	jit_unknown=$(jq '[.unknown.causes[] | select(.cause == "jit-no-perfmap") | .samples] | add // 0' "$TMP/n.json")
	[ $((20 * jit_unknown)) -le "$samples" ] &&
		pass "$mode: unnamed JIT frames under 5% ($jit_unknown)" ||
		fail "$mode: $jit_unknown samples with unnamed JIT frames"
done
finish
