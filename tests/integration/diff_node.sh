#!/usr/bin/env bash
# tierprof diff on real node runs: the deopt-loop workload against its fixed
# variant (deopt_loop.js --fixed) is a significant change with the right
# --focus verdict, two runs of the same workload are not, and the
# differential flame graph (also in headless Chromium) and the errors behave.
. "$(dirname "$0")/lib.sh"
require_perf
command -v node >/dev/null 2>&1 || { echo "# node not installed: skip"; exit 77; }
NODE_WL=$(cd "$(dirname "$0")/../workloads/node" && pwd)

record()
{
	local name=$1
	shift
	( cd "$TMP" && "$TP" record -F 999 -o "$TMP/$name.data" -- node "$NODE_WL/deopt_loop.js" "$@" ) \
		>"$TMP/$name.out" 2>"$TMP/$name.err" || { fail "record $name"; show "$TMP/$name.err"; finish; }
}
record loop1
record loop2
record fixed 600 --fixed
# The noise pair: a benchmark whose JIT behaviour is the same from run to
# run (a deopt loop's cycle count is not: docs/diff.md, "What one run
# cannot show").
record steady1 3000 --fixed
record steady2 3000 --fixed

# --- the fix: significant, and the verdict says both ---
"$TP" diff -f json --confidence 0.99 --focus sumAreas -o "$TMP/fix.json" --flame "$TMP/fix.svg" \
	"$TMP/loop1.data" "$TMP/fixed.data" 2>"$TMP/fix.err" || { fail "diff exited $?"; show "$TMP/fix.err"; finish; }
jq -e '.schema == 1 and .kind == "diff"' "$TMP/fix.json" >/dev/null && pass "diff JSON, schema 1" ||
	fail "diff JSON header"
note "$(jq -r '"CPU samples \(.headline.cpu_samples.base) -> \(.headline.cpu_samples.new) (p_adj \(.headline.cpu_samples.p_adj)), \(.significant) of \(.tested) rows changed"' "$TMP/fix.json")"
note "$(jq -r '.focus | "focus \(.function): local \(.local.base) -> \(.local.new) (p_adj \(.local.p_adj)), verdict \(.verdict)"' "$TMP/fix.json")"
[ "$(jq -r .headline.cpu_samples.change "$TMP/fix.json")" = down ] &&
	pass "CPU samples: significantly down" || fail "CPU samples change: $(jq -c .headline.cpu_samples "$TMP/fix.json")"
jq -e '[.functions[] | select((.function | startswith("sumAreas ")) and .tier == "baseline" and .change == "down")] | length == 1' \
	"$TMP/fix.json" >/dev/null && pass "sumAreas in the baseline tier: significantly down" ||
	{ fail "no significant sumAreas baseline row"; jq -c '.functions[:5]' "$TMP/fix.json" | show /dev/stdin; }
jq -e '([.deopt_loops.gone[] | select(.function | startswith("sumAreas "))] | length == 1) and (.deopt_loops.new | length == 0)' \
	"$TMP/fix.json" >/dev/null && pass "the sumAreas deopt loop is gone, none new" ||
	fail "deopt loops: $(jq -c .deopt_loops "$TMP/fix.json")"
[ "$(jq -r .focus.verdict "$TMP/fix.json")" = both ] && [ "$(jq -r .focus.local.change "$TMP/fix.json")" = down ] &&
	pass "--focus sumAreas: local frame shrank and headline improved (both)" ||
	fail "--focus verdict: $(jq -c .focus "$TMP/fix.json")"
"$TP" diff --focus sumAreas "$TMP/loop1.data" "$TMP/fixed.data" >"$TMP/fix.txt" 2>&1
grep -q 'verdict: both: the local frame shrank and the headline improved' "$TMP/fix.txt" &&
	grep -q 'deopt loop gone: sumAreas' "$TMP/fix.txt" && pass "text: verdict and the loop gone" ||
	{ fail "text diff"; show "$TMP/fix.txt"; }

# --- the other way round: the loop came back, the verdict is neither ---
"$TP" diff -f json --focus sumAreas "$TMP/fixed.data" "$TMP/loop1.data" >"$TMP/back.json" 2>/dev/null
[ "$(jq -r .focus.verdict "$TMP/back.json")" = neither ] && jq -e '.deopt_loops.new | length == 1' "$TMP/back.json" >/dev/null &&
	pass "regression: verdict neither, a new deopt loop" || fail "reverse diff: $(jq -c '[.focus.verdict, .deopt_loops]' "$TMP/back.json")"

# --- noise: two runs of the same workload ---
"$TP" diff -f json --confidence 0.99 --all-rows "$TMP/steady1.data" "$TMP/steady2.data" >"$TMP/noise.json" 2>"$TMP/noise.err" ||
	{ fail "diff steady1 steady2"; show "$TMP/noise.err"; }
note "$(jq -r '"same workload: \(.significant) of \(.tested) rows changed, CPU \(.headline.cpu_samples.base) -> \(.headline.cpu_samples.new) (\(.headline.cpu_samples.change)), \([.functions[] | select(.p < 0.05)] | length) rows under p 0.05 before the correction"' "$TMP/noise.json")"
jq -e '.significant == 0 and .headline.cpu_samples.change == "none" and ([.headline.tier_shares[] | select(.change != "none")] | length == 0)' \
	"$TMP/noise.json" >/dev/null && pass "same workload twice: no significant change" ||
	{ fail "noise reported as change"; jq -c '[.headline, [.functions[] | select(.change != "none")][:5]]' "$TMP/noise.json" | show /dev/stdin; }

# --- the differential flame graph ---
if grep -q '<svg' "$TMP/fix.svg" && grep -q 'fill="#[0-9a-f]*ff"' "$TMP/fix.svg" && grep -q '<title>sumAreas' "$TMP/fix.svg" &&
	grep -q 'new tiers: ' "$TMP/fix.svg"; then
	pass "differential flame graph: blue boxes, sumAreas with its tiers"
else
	fail "differential flame graph"
fi
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout "$TMP/fix.svg" 2>"$TMP/xml.err" && pass "the SVG is well-formed XML" || { fail "xmllint"; show "$TMP/xml.err"; }
fi
# A reference to elsewhere, not a function name that holds "http" (node's llhttp).
! grep -Eq '(href|src)="(https?:|//)|url\((["'"'"']?)(https?:|//)|@import' "$TMP/fix.svg" &&
	pass "self-contained SVG" || fail "the SVG refers to a URL"
# In headless Chromium: no console error, red and blue boxes, the tooltip
# gives both shares, search, click-to-zoom and Reset Zoom work; a screenshot.
BROWSER_DIR=$(cd "$(dirname "$0")/../browser" && pwd)
if [ -x "${CHROMIUM:-/usr/bin/chromium}" ] && [ -d "$BROWSER_DIR/node_modules/playwright-core" ]; then
	node "$BROWSER_DIR/flame.mjs" "$TMP/fix.svg" --diff --hover sumAreas --screenshot "$TMP/fix.png" \
		>"$TMP/browser.out" 2>&1
	rc=$?
	sed 's/^/# /' "$TMP/browser.out"
	case $rc in
	0) pass "differential flame graph in Chromium: red and blue boxes, tooltip, search, zoom" ;;
	77) note "Chromium or playwright-core missing: browser check skipped" ;;
	*) fail "differential flame graph in Chromium (flame.mjs exited $rc)" ;;
	esac
	[ "$rc" -ne 0 ] || [ "$(head -c 4 "$TMP/fix.png" | od -An -c | tr -d ' ')" = "211PNG" ] &&
		pass "screenshot taken" || fail "no PNG screenshot"
else
	note "Chromium or playwright-core (npm ci in tests/browser) missing: browser check skipped"
fi

# --- bad input: exit 2, the file named, nothing written ---
err()
{
	local pattern=$1 rc
	shift
	"$TP" diff "$@" >"$TMP/e.out" 2>&1
	rc=$?
	[ "$rc" -eq 2 ] && grep -q -- "$pattern" "$TMP/e.out" && pass "diff ${*#"$TMP/"}: exit 2, '$pattern'" ||
		{ fail "diff $*: exit $rc, wanted 2 and '$pattern'"; show "$TMP/e.out" 5; }
}
err "two captures" "$TMP/loop1.data"
err "$TMP/nosuch.data" "$TMP/loop1.data" "$TMP/nosuch.data"
err "invalid --confidence" --confidence 2 "$TMP/loop1.data" "$TMP/loop2.data"
err "invalid --correction" --correction fdr "$TMP/loop1.data" "$TMP/loop2.data"
err "no function of that name" --focus noSuchFunction "$TMP/loop1.data" "$TMP/loop2.data"
err "cannot write" -o "$TMP/no/dir/x.txt" "$TMP/loop1.data" "$TMP/loop2.data"
[ ! -e "$TMP/no/dir/x.txt" ] && ! ls "$TMP"/*.tmp.* >/dev/null 2>&1 && pass "nothing half-written" || fail "left a file behind"
finish
