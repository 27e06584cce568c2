#!/usr/bin/env bash
# tierprof flame on a real capture (the example plugin's toy runtime, which
# runs in the interpreter and optimized tiers): the SVG's total agrees with the
# report, the legend and tier mix are there, every option changes what it
# should, filters that match nothing still give an SVG, and unwritable outputs
# are exit 2 with nothing left behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/outputs_lib.sh"

record_toyvm "$TMP/t.data"
report_json "$TMP/t.json" --plugin "$PLUGIN" "$TMP/t.data" || finish
samples=$(jq .capture.samples "$TMP/t.json")

F="$TP flame --plugin $PLUGIN"
$F -o "$TMP/f.svg" "$TMP/t.data" 2>"$TMP/f.err" || { fail "flame exited $?"; show "$TMP/f.err"; finish; }
grep -q "data-total=\"$samples\"" "$TMP/f.svg" && pass "SVG total = report's $samples samples" ||
	fail "SVG total: $(grep -o 'data-total="[0-9]*"' "$TMP/f.svg"), report $samples"
grep -q '>interpreter [0-9.]*%</text>' "$TMP/f.svg" && grep -q '>optimized [0-9.]*%</text>' "$TMP/f.svg" &&
	pass "legend: interpreter and optimized with their shares" || fail "legend lacks the tiers"
grep -q '>toy-interp</text>' "$TMP/f.svg" && grep -q '>toy-jit</text>' "$TMP/f.svg" &&
	pass "legend: the plugin's sub-tiers" || fail "legend lacks the sub-tiers"
# add runs interpreted, then compiled, at the same call path: one box, two tiers
if grep -Pzo '<title>add\n[0-9]+ samples[^\n]*\n[0-9<&;lt]+% toy-(jit|interp), [0-9<&;lt]+% toy-(interp|jit)' \
	"$TMP/f.svg" >/dev/null; then
	pass "add: one box with its tier mix in the tooltip"
else
	fail "no mixed-tier tooltip for add"
	grep -A3 '<title>add' "$TMP/f.svg" | head -8 | sed 's/^/#   /'
fi
grep -q 'preserveAspectRatio="none"' "$TMP/f.svg" && pass "mixed boxes carry a mix bar" ||
	fail "no mix bar"
! grep -q 'http' <(grep -v 'http://www.w3.org/2000/svg' "$TMP/f.svg") &&
	pass "self-contained: no URL but the SVG namespace" || fail "the SVG refers to a URL"

$F --inverted --title 'Toy <VM> & co' --width 800 -o "$TMP/i.svg" "$TMP/t.data" 2>/dev/null
grep -q 'data-inverted="1"' "$TMP/i.svg" && grep -q 'width="800"' "$TMP/i.svg" &&
	grep -q '>Toy &lt;VM&gt; &amp; co</text>' "$TMP/i.svg" &&
	pass "--inverted, --width 800, --title (escaped)" || fail "--inverted/--width/--title"
# inverted, the root's children are the leaf functions: loop and add are there
grep -q '<g data-x="[0-9]*" data-w="[0-9]*" data-d="1"><title>loop' "$TMP/i.svg" &&
	pass "inverted: leaf functions next to the root" || fail "inverted: no loop at depth 1"

n0=$($F --minwidth 0 -o - "$TMP/t.data" 2>/dev/null | grep -c '<g data-x=')
n5=$($F --minwidth 50% -o - "$TMP/t.data" 2>/dev/null | grep -c '<g data-x=')
[ "$n0" -gt "$n5" ] && [ "$n5" -ge 3 ] && pass "--minwidth 50%: $n5 boxes, --minwidth 0: $n0; -o - writes stdout" ||
	fail "--minwidth: $n5 boxes at 50%, $n0 at 0"

tid=$(jq '.capture.threads[0].tid' "$TMP/t.json")
$F --tid "$tid" -o "$TMP/tid.svg" "$TMP/t.data" 2>/dev/null &&
	grep -q "data-total=\"$samples\"" "$TMP/tid.svg" && pass "--tid $tid keeps its samples" ||
	fail "--tid $tid"
$F --tid 999999 -o "$TMP/none.svg" "$TMP/t.data" 2>"$TMP/none.err"
rc=$?
[ "$rc" -eq 0 ] && grep -q 'No samples' "$TMP/none.svg" && grep -q 'no samples' "$TMP/none.err" &&
	pass "--tid 999999: an SVG saying no samples, and a warning" ||
	{ fail "--tid 999999: exit $rc"; show "$TMP/none.err"; }

expect_error 2 "cannot write $TMP/no/such/dir/x.svg" $F -o "$TMP/no/such/dir/x.svg" "$TMP/t.data"
mkdir "$TMP/dir.svg"
expect_error 2 "cannot write $TMP/dir.svg" $F -o "$TMP/dir.svg" "$TMP/t.data"
if [ -w /dev/full ]; then
	expect_error 2 "writing /dev/full failed" $F -o /dev/full "$TMP/t.data"
fi
expect_error 2 "cannot write" "$TP" report -f pprof -o "$TMP/no/x.pb.gz" "$TMP/t.data"
finish
