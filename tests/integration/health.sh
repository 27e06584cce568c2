#!/usr/bin/env bash
# tierprof health on real node runs: the JSON is schema-versioned and
# byte-for-byte stable, names the deopt loop with its timeline stripes, is
# compared with a baseline (significant when the loop returns, nothing when
# the same workload runs again), and the HTML report works offline in
# headless Chromium (no request, no console error; a screenshot).
. "$(dirname "$0")/lib.sh"
require_perf
command -v node >/dev/null 2>&1 || { echo "# node not installed: skip"; exit 77; }
. "$(dirname "$0")/check_health.sh"

record_node loop
mkdir -p "$TMP/night1" "$TMP/night2"
( cd "$TMP" && "$TP" record -F 999 -o "$TMP/night1/bench.data" -- node "$NODE_WL/deopt_loop.js" 600 --fixed ) >/dev/null 2>&1
( cd "$TMP" && "$TP" record -F 999 -o "$TMP/night2/bench.data" -- node "$NODE_WL/deopt_loop.js" 600 --fixed ) >/dev/null 2>&1
cp "$TMP/loop.data" "$TMP/night2/loopy.data"

"$TP" health -o "$TMP/h.html" --json "$TMP/h.json" "$TMP/loop.data" "$TMP/night1/bench.data" 2>"$TMP/h.err" ||
	{ fail "health exited $?"; show "$TMP/h.err"; finish; }
jq -e '.schema == 1 and .kind == "health" and (.captures | length == 2) and .baseline == null and (has("generated") | not)' \
	"$TMP/h.json" >/dev/null && pass "health JSON: schema 1, two captures, no timestamp" || fail "health JSON header"
jq -e '[.captures[0].deopt_loops[] | select(.function | startswith("sumAreas ")) | select(.cycles >= 10 and .reasons["code dependencies"] > 0)] | length == 1' \
	"$TMP/h.json" >/dev/null && pass "loop: the sumAreas deopt loop with its V8 reason" ||
	{ fail "no sumAreas loop"; jq -c '.captures[0].deopt_loops' "$TMP/h.json" | show /dev/stdin; }
note "loop timeline: $(jq -r '.captures[0].timelines[0] | "\(.function | split(" ")[0]) \(.bins)"' "$TMP/h.json")"
jq -e '.captures[0].timelines[0].bins | test("^[.IBO]{80}$") and test("B")' "$TMP/h.json" >/dev/null &&
	pass "timeline: 80 bins, baseline-tier stretches" || fail "timeline bins"
jq -e '.captures[1].deopt_loops == [] and .captures[1].name == "bench" and (.captures[1].processes[0].tiers.optimized.samples > 0)' \
	"$TMP/h.json" >/dev/null && pass "fixed: no deopt loop, processes with a tier mix" || fail "fixed capture figures"
"$TP" health --json "$TMP/again.json" "$TMP/loop.data" "$TMP/night1/bench.data" 2>/dev/null
cmp -s "$TMP/h.json" "$TMP/again.json" && pass "the same captures give the same bytes" || fail "health JSON not stable"
"$TP" health --timestamp --json "$TMP/ts.json" "$TMP/night1/bench.data" 2>/dev/null
jq -e '.generated | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T")' "$TMP/ts.json" >/dev/null && pass "--timestamp adds generated" ||
	fail "--timestamp"
jq -e '[paths | map(tostring) | join(".")] as $p | ($p | index("captures.0.stats.items.0.counts")) != null' "$TMP/h.json" >/dev/null &&
	pass "statistics kept for tomorrow's comparison" || fail "no stats.items"

# The nightly comparison: capture names pair night2 with night1
"$TP" health -b "$TMP/h.json" -o "$TMP/n2.html" --json "$TMP/n2.json" "$TMP/night2/bench.data" "$TMP/night2/loopy.data" 2>"$TMP/n2.err" ||
	{ fail "health -b exited $?"; show "$TMP/n2.err"; }
note "$(jq -r '.captures[] | "\(.name) vs \(.comparison.base.label): \(.comparison.significant) changes, CPU \(.comparison.headline.cpu_samples.change), loops new \(.comparison.deopt_loops.new | length)"' "$TMP/n2.json")"
jq -e '.captures[0].comparison.base.label == "bench" and .captures[0].comparison.significant == 0 and .captures[0].comparison.headline.cpu_samples.change == "none"' \
	"$TMP/n2.json" >/dev/null && pass "same workload next night: no significant change" || fail "noise reported: $(jq -c '.captures[0].comparison.headline' "$TMP/n2.json")"
"$TP" health -b "$TMP/night1/bench.data" --json "$TMP/n3.json" "$TMP/night2/loopy.data" 2>/dev/null
jq -e '.captures[0].comparison.deopt_loops.new | length == 1' "$TMP/n3.json" >/dev/null &&
	jq -e '.captures[0].comparison.headline.tier_shares.baseline.change == "up"' "$TMP/n3.json" >/dev/null &&
	pass "the loop against the fixed baseline: new loop, baseline share significantly up" || fail "regression not shown"
grep -q 'Compared with the baseline' "$TMP/n2.html" && pass "HTML: the comparison section" || fail "HTML lacks the comparison"
! grep -qi 'https\?://\|<script' "$TMP/h.html" && pass "HTML: no URL, no script" || fail "HTML refers to a URL or has a script"

# In a real browser
if command -v node >/dev/null 2>&1 && [ -d "$BROWSER_DIR/node_modules/playwright-core" ]; then
	node "$BROWSER_DIR/health.mjs" "$TMP/h.html" --timelines 1 --screenshot "$TMP/health.png" >"$TMP/b.out" 2>&1
	rc=$?
	sed 's/^/# /' "$TMP/b.out"
	case $rc in
	0) pass "headless Chromium: loads offline, no console error, bars and timelines drawn" ;;
	77) note "Chromium or playwright-core missing: browser check skipped" ;;
	*) fail "headless Chromium check" ;;
	esac
	[ -n "${HEALTH_SCREENSHOT:-}" ] && [ -f "$TMP/health.png" ] && cp "$TMP/health.png" "$HEALTH_SCREENSHOT"
else
	note "playwright-core not installed (npm ci in tests/browser): browser check skipped"
fi

# Bad input
expect_rc 2 'health needs at least one capture' "$TP" health -o "$TMP/x.html"
expect_rc 2 "$TMP/none.data" "$TP" health -o "$TMP/x.html" "$TMP/none.data"
echo '{"schema": 9}' >"$TMP/v9.json"
expect_rc 2 "$TMP/v9.json: not a tierprof health JSON of schema 1" "$TP" health -b "$TMP/v9.json" -o "$TMP/x.html" "$TMP/loop.data"
[ ! -e "$TMP/x.html" ] && pass "nothing written on bad input" || fail "x.html written"
expect_rc 2 'name the same file' "$TP" health -o "$TMP/y" --json "$TMP/y" "$TMP/loop.data"
finish
