#!/usr/bin/env bash
# tierprof check on real node runs: the fixed workload passes a gate the
# deopt loop fails (exit 1, rule lines named, JSON annotations, GitHub
# ::error lines), no-regression against a baseline capture and a baseline
# health JSON, and a malformed rules file is exit 2 with file and line.
. "$(dirname "$0")/lib.sh"
require_perf
command -v node >/dev/null 2>&1 || { echo "# node not installed: skip"; exit 77; }
. "$(dirname "$0")/check_health.sh"

record_node loop
record_node fixed 600 --fixed
record_node fixed2 600 --fixed

cat >"$TMP/gate.rules" <<'RULES'
# the PR gate of docs/ci.md
max-unknown-share 5%
max-lost 1%
max-not-optimized-share 60% for "sumAreas"
no-deopt-loops
no-regression
set confidence 0.99
RULES

expect_rc 0 'check: passed, 5 rules' "$TP" check --rules "$TMP/gate.rules" "$TMP/fixed.data"
grep -q '^SKIP .*no-regression' "$TMP/rc.out" && pass "no-regression skipped without a baseline" || fail "no SKIP line"
expect_rc 1 'check: FAILED, 2 of 5 rules violated' "$TP" check --rules "$TMP/gate.rules" "$TMP/loop.data"
grep -q "^FAIL  $TMP/gate.rules:5  no-deopt-loops" "$TMP/rc.out" && grep -q 'sumAreas .*deopt loop: [0-9]* deopt/re-optimize cycles' "$TMP/rc.out" &&
	pass "the deopt loop fails its rule, line 5 named" || { fail "no FAIL line for line 5"; show "$TMP/rc.out"; }
grep -q "^FAIL  $TMP/gate.rules:4  max-not-optimized-share" "$TMP/rc.out" && pass "sumAreas below the optimizing tier fails line 4" ||
	fail "no FAIL line for line 4"

# JSON for CI annotations
"$TP" check -f json -o "$TMP/c.json" --rules "$TMP/gate.rules" -b "$TMP/fixed.data" "$TMP/loop.data" 2>/dev/null
rc=$?
[ "$rc" -eq 1 ] && jq -e '.schema == 1 and .kind == "check" and .passed == false' "$TMP/c.json" >/dev/null &&
	pass "check -f json: exit 1, passed false" || fail "check -f json: exit $rc"
jq -e '[.annotations[] | select(.start_line == 6 and .annotation_level == "failure" and (.message | test("new deopt loop")))] | length == 1' \
	"$TMP/c.json" >/dev/null && pass "no-regression against the fixed run: a new deopt loop annotated at line 6" ||
	{ fail "no annotation of the new loop"; jq -c '.annotations' "$TMP/c.json" | show /dev/stdin; }
jq -e '[.rules[] | select(.rule == "no-regression") | .violations[] | select(.message | test("CPU samples up"))] | length == 1' \
	"$TMP/c.json" >/dev/null && pass "no-regression: CPU samples significantly up" || fail "no CPU regression reported"

# GitHub Actions workflow commands
"$TP" check -f github --rules "$TMP/gate.rules" "$TMP/loop.data" >"$TMP/gh.out" 2>&1
grep -q "^::error file=$TMP/gate.rules,line=5,title=no-deopt-loops::sumAreas" "$TMP/gh.out" &&
	pass "-f github: ::error at the rule's line" || { fail "-f github"; show "$TMP/gh.out"; }

# Same workload against itself: no regression (noise is not one)
expect_rc 0 'check: passed' "$TP" check --rules "$TMP/gate.rules" -b "$TMP/fixed.data" "$TMP/fixed2.data"
# ... and against a health JSON baseline (the nightly's output)
"$TP" health --json "$TMP/base.json" "$TMP/fixed.data" 2>"$TMP/h.err" || { fail "health --json"; show "$TMP/h.err"; }
expect_rc 0 'PASS .*no-regression .*against fixed' "$TP" check --rules "$TMP/gate.rules" -b "$TMP/base.json" "$TMP/fixed2.data"
expect_rc 1 'new deopt loop' "$TP" check --rules "$TMP/gate.rules" -b "$TMP/base.json" "$TMP/loop.data"

# Bad input: exit 2, file and line named
printf 'max-unknown-share 5%%\n\nmax-bogus 3\n' >"$TMP/bad.rules"
expect_rc 2 "$TMP/bad.rules:3: unknown rule 'max-bogus'" "$TP" check --rules "$TMP/bad.rules" "$TMP/fixed.data"
printf 'max-interpreter-share 150%%\n' >"$TMP/bad2.rules"
expect_rc 2 "bad2.rules:1: max-interpreter-share: '150%' is not a percentage" "$TP" check --rules "$TMP/bad2.rules" "$TMP/fixed.data"
expect_rc 2 "cannot read rules file $TMP/none.rules" "$TP" check --rules "$TMP/none.rules" "$TMP/fixed.data"
expect_rc 2 'check needs --rules' "$TP" check "$TMP/fixed.data"
echo '{"schema": 1, "kind": "health", "captures": []}' >"$TMP/bad.json"
expect_rc 2 "$TMP/bad.json: captures: expected a non-empty array" "$TP" check --rules "$TMP/gate.rules" -b "$TMP/bad.json" "$TMP/fixed.data"
expect_rc 2 "cannot write" "$TP" check -o "$TMP/no/dir/c.txt" --rules "$TMP/gate.rules" "$TMP/fixed.data"
finish
