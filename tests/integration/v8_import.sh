#!/usr/bin/env bash
# tierprof import --v8-log: a V8 log written outside tierprof, analysed alone
# (the v8-deopt-viewer logs, with that project's expected deopt counts) and
# attached to a capture of the run that wrote it.
. "$(dirname "$0")/lib.sh"
FIX=$(cd "$(dirname "$0")/../fixtures/v8" && pwd)

# Alone: deopt sites per log as v8-deopt-viewer counts them (distinct
# positions in the user's script; its parser test: 7, 6, 6, 7).
for spec in adders:7:16 html-external:6:16 html-inline:6:18 two-modules:7:15; do
	IFS=: read -r name sites events <<<"$spec"
	zcat "$FIX/v8-deopt-viewer-$name.v8.log.gz" >"$TMP/$name.v8.log"
	"$TP" import --v8-log "$TMP/$name.v8.log" -o "$TMP/$name.data" >"$TMP/imp.out" 2>&1 ||
		{ fail "import $name"; show "$TMP/imp.out"; continue; }
	"$TP" deopts -f json -o "$TMP/$name.json" "$TMP/$name.data" 2>"$TMP/d.err" ||
		{ fail "deopts $name"; show "$TMP/d.err"; continue; }
	got_events=$(jq '[.functions[].events_by_reason[].count] | add' "$TMP/$name.json")
	got_sites=$(jq '[.functions[].events_by_reason[].position | sub(" \\(inlined at.*"; "")
		| select(test("v8-deopt-viewer/examples"))] | unique | length' "$TMP/$name.json")
	[ "$got_events" -eq "$events" ] && [ "$got_sites" -eq "$sites" ] &&
		pass "$name: $got_events deopt events at $got_sites sites" ||
		fail "$name: $got_events events (want $events), $got_sites sites (want $sites)"
done
jq -e '.functions[] | select(.function | startswith("addAny ")) | .events_by_reason[] | select(.reason == "wrong map")' \
	"$TMP/adders.json" >/dev/null && pass "adders: addAny deopts on 'wrong map'" || fail "adders: addAny reasons"

# Bad input: an error naming the file, exit 2, nothing written.
printf 'hello\nworld\n' >"$TMP/not-a-log.txt"
"$TP" import --v8-log "$TMP/not-a-log.txt" -o "$TMP/bad.data" >"$TMP/bad.out" 2>&1
rc=$?
[ "$rc" -eq 2 ] && grep -q 'not-a-log.txt' "$TMP/bad.out" && [ ! -e "$TMP/bad.data" ] &&
	pass "not a V8 log: exit 2, named, nothing written" || { fail "bad log: rc $rc"; show "$TMP/bad.out"; }
"$TP" import --v8-log "$TMP/missing.log" >"$TMP/miss.out" 2>&1
[ $? -eq 2 ] && pass "missing log: exit 2" || fail "missing log"

# Attached to a capture: the user ran node with their own log and perf map.
require_perf
command -v node >/dev/null 2>&1 || { echo "# node not installed: rest skipped"; finish; }
NODE_WL=$(cd "$(dirname "$0")/../workloads/node" && pwd)
( cd "$TMP" && "$TP" record --no-runtime-flags -F 999 -o "$TMP/own.data" -- node --perf-basic-prof \
	--log-deopt --log-code --logfile="$TMP/own.log" "$NODE_WL/deopt_loop.js" ) >"$TMP/rec.out" 2>&1 ||
	{ fail "record"; show "$TMP/rec.out"; finish; }
"$TP" report -f json -o "$TMP/before.json" "$TMP/own.data" 2>/dev/null
log=$(ls "$TMP"/isolate-*-own.log | head -n 1)
"$TP" import --v8-log "$log" "$TMP/own.data" >"$TMP/imp2.out" 2>&1 || { fail "import into capture"; show "$TMP/imp2.out"; }
"$TP" report -f json -o "$TMP/after.json" "$TMP/own.data" 2>/dev/null
b=$(jq '.deopt_loops | length' "$TMP/before.json")
a=$(jq -r '[.deopt_loops[] | select(.function | startswith("sumAreas ")) | .reasons | keys[]] | first // ""' "$TMP/after.json")
s1=$(jq '.capture.samples' "$TMP/before.json")
s2=$(jq '.capture.samples' "$TMP/after.json")
[ "$a" = "code dependencies" ] && [ "$s1" -eq "$s2" ] &&
	pass "imported log: sumAreas loop with its reason (event loops before: $b), samples kept ($s2)" ||
	fail "after import: reason '$a', samples $s1 -> $s2"
finish
