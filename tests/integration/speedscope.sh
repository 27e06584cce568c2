#!/usr/bin/env bash
# report --format speedscope: valid against speedscope's schema, loaded by
# speedscope's own importer in headless Chromium (tests/browser), and its
# weights agree with the report: each function's leaf weight share is its
# self share. Skips (77) without node.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/outputs_lib.sh"
command -v node >/dev/null 2>&1 || { echo "$TEST_NAME: SKIP: no node"; exit 77; }

record_toyvm "$TMP/t.data"
report_json "$TMP/t.json" --plugin "$PLUGIN" "$TMP/t.data" || finish
"$TP" report -f speedscope --plugin "$PLUGIN" -o "$TMP/t.speedscope.json" "$TMP/t.data" ||
	{ fail "report -f speedscope"; finish; }
node "$BROWSER_DIR/speedscope_check.mjs" "$TMP/t.speedscope.json" --summary >"$TMP/check.out" 2>&1
rc=$?
grep -v '^# leaf' "$TMP/check.out"
[ "$rc" -eq 0 ] || fail "speedscope_check.mjs exited $rc"
grep -q "speedscope's importer loaded it" "$TMP/check.out" || have_node_modules ||
	note "speedscope's importer not run: npm ci in tests/browser"
# Shares: leaf weight (ns) by function, tiers summed, against self / samples.
samples=$(jq .capture.samples "$TMP/t.json")
awk '/^# leaf / { w = $3; $1 = $2 = $3 = ""; sub(/^ +/, ""); sub(/ \[[^]]*\]$/, ""); s[$0] += w; t += w }
     END { for (n in s) printf "%s\t%.6f\n", n, s[n] / t }' "$TMP/check.out" >"$TMP/shares.tsv"
for fn in $(jq -r '[.functions[] | select(.self > 0)] | sort_by(-.self) | .[0:3][] | .name' "$TMP/t.json"); do
	want=$(self_of "$TMP/t.json" "$fn")
	share=$(awk -F '\t' -v n="$fn" '$1 == n { print $2 }' "$TMP/shares.tsv")
	awk -v s="${share:-0}" -v w="$want" -v n="$samples" 'BEGIN { d = s - w / n; exit !(d < 0.01 && d > -0.01) }' &&
		pass "$fn: leaf weight share $share, self $want/$samples" ||
		fail "$fn: leaf weight share ${share:-none}, self $want/$samples"
done
finish
