#!/usr/bin/env bash
# The issue's "done when", end to end on the README's Node demo with the
# built-in V8 plugin: its flame graph opens in headless Chromium without a
# console error, the legend shows the interpreter, baseline and optimized
# tiers, hovering a box that ran in several tiers gives its mix, search shows
# the matched share, a click zooms and Reset Zoom restores; the same capture
# loads in go tool pprof (same total) and in speedscope's importer.
# Skips (77) without node, Chromium or the tests/browser packages.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/outputs_lib.sh"
command -v node >/dev/null 2>&1 || { echo "$TEST_NAME: SKIP: no node"; exit 77; }
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "$TEST_NAME: SKIP: no Chromium (apt-get install chromium)"; exit 77; }
have_node_modules || { echo "$TEST_NAME: SKIP: no playwright-core (npm ci in tests/browser)"; exit 77; }
require_perf

"$TP" record -F "$(freq 999)" -o "$TMP/demo.data" -- node "$SRC_DIR/examples/node/demo.js" \
	>"$TMP/rec.out" 2>&1 || { fail "record the Node demo"; show "$TMP/rec.out"; finish; }
report_json "$TMP/demo.json" "$TMP/demo.data" || finish
jq -e '[.functions[] | select(.runtime == "v8")] | length > 0' "$TMP/demo.json" >/dev/null ||
	{ echo "$TEST_NAME: SKIP: no V8 frames (the V8 plugin is not built)"; exit 77; }

"$TP" flame -o "$TMP/demo.svg" "$TMP/demo.data" 2>"$TMP/flame.err" ||
	{ fail "flame"; show "$TMP/flame.err"; finish; }
node "$BROWSER_DIR/flame.mjs" "$TMP/demo.svg" --mixed --legend interpreter,baseline,optimized \
	--screenshot "$TMP/demo.png" >"$TMP/browser.out" 2>&1
rc=$?
sed 's/^/  /' "$TMP/browser.out"
[ "$rc" -eq 0 ] && pass "the flame graph in Chromium" || fail "flame.mjs exited $rc"
[ "$(head -c 4 "$TMP/demo.png" | od -An -c | tr -d ' ')" = "211PNG" ] && pass "screenshot taken" ||
	fail "no PNG screenshot"

if command -v go >/dev/null 2>&1; then
	export HOME=${HOME:-$TMP} GOCACHE=${GOCACHE:-$TMP/gocache} PPROF_TMPDIR=$TMP
	"$TP" report -f pprof -o "$TMP/demo.pb.gz" "$TMP/demo.data"
	total=$(go tool pprof -top -sample_index=samples "$TMP/demo.pb.gz" 2>/dev/null |
		sed -n 's/.* of \([0-9]*\) total.*/\1/p' | head -n 1)
	[ "$total" = "$(jq .capture.samples "$TMP/demo.json")" ] &&
		pass "go tool pprof reads it: $total samples" || fail "go tool pprof total '$total'"
else
	note "go tool pprof not run: no go"
fi
"$TP" report -f speedscope -o "$TMP/demo.speedscope.json" "$TMP/demo.data"
node "$BROWSER_DIR/speedscope_check.mjs" "$TMP/demo.speedscope.json" >"$TMP/ss.out" 2>&1 &&
	grep -q "importer loaded it" "$TMP/ss.out" && pass "speedscope's importer loads it" ||
	{ fail "speedscope"; show "$TMP/ss.out"; }
finish
