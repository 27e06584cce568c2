#!/usr/bin/env bash
# Self-time attribution: work_three runs 3x the iterations of work_one, so its
# self samples must be about 3x as many, in the JSON and folded reports alike,
# and the text report must name both.
. "$(dirname "$0")/lib.sh"
require_perf

F=$(freq 999)
"$TP" record -F "$F" -o "$TMP/r.data" -- "$WL/ratio" >"$TMP/rec.out" 2>&1
rc=$?
[ "$rc" -eq 0 ] && pass "record -F $F -- ratio exits 0" ||
	{ fail "record -- ratio exited $rc"; show "$TMP/rec.out"; finish; }

if report_json "$TMP/r.json" "$TMP/r.data"; then
	three=$(self_of "$TMP/r.json" work_three)
	one=$(self_of "$TMP/r.json" work_one)
	samples=$(jq '.capture.samples' "$TMP/r.json")
	note "json: samples=$samples work_three=$three work_one=$one ratio=$(ratio_of "$three" "$one")"
	[ "$three" -gt 0 ] && [ "$one" -gt 0 ] && pass "json names work_three and work_one" ||
		fail "json lacks work_three or work_one"
	ratio_in "$three" "$one" 2.0 4.5 && pass "json self ratio within [2.0, 4.5]" ||
		fail "json self ratio $(ratio_of "$three" "$one") outside [2.0, 4.5]"
	# The two burners are nearly all of the program's CPU time.
	[ $((2 * (three + one))) -ge "$samples" ] && [ "$samples" -ge 200 ] &&
		pass "the burners hold most of the $samples samples" ||
		fail "work_three+work_one = $((three + one)) of $samples samples"
	jq -e '.capture.complete == true and .capture.samples == .capture.samples_total' \
		"$TMP/r.json" >/dev/null && pass "capture complete, unfiltered" ||
		fail "capture not complete or samples != samples_total"
	jq -e '[.capture.processes[] | select(.comm == "ratio")] | length == 1' "$TMP/r.json" \
		>/dev/null && pass "one process 'ratio' in capture.processes" ||
		fail "capture.processes does not list 'ratio' once"
fi

"$TP" report --format folded "$TMP/r.data" >"$TMP/r.folded" 2>"$TMP/folded.err"
rc=$?
if [ "$rc" -ne 0 ]; then
	fail "report --format folded exited $rc"
	show "$TMP/folded.err"
else
	three=$(folded_self "$TMP/r.folded" work_three)
	one=$(folded_self "$TMP/r.folded" work_one)
	note "folded: work_three=$three work_one=$one ratio=$(ratio_of "$three" "$one")"
	ratio_in "$three" "$one" 2.0 4.5 && pass "folded leaf ratio within [2.0, 4.5]" ||
		fail "folded leaf ratio $(ratio_of "$three" "$one") outside [2.0, 4.5]"
	bad=$(grep -cv '^ratio;.* [0-9][0-9]*$' "$TMP/r.folded")
	[ "$bad" -eq 0 ] && pass "every folded line is 'ratio;...;leaf COUNT'" ||
		{ fail "$bad folded lines not of the form 'ratio;...;leaf COUNT'"; show "$TMP/r.folded" 10; }
	dups=$(sed 's/ [0-9]*$//' "$TMP/r.folded" | sort | uniq -d | wc -l)
	[ "$dups" -eq 0 ] && pass "one folded line per distinct stack" ||
		fail "$dups stacks appear on more than one folded line"
	if [ -s "$TMP/r.json" ]; then
		total=$(folded_total "$TMP/r.folded")
		samples=$(jq '.capture.samples' "$TMP/r.json")
		[ "$total" -eq "$samples" ] && pass "folded counts add up to the $samples samples" ||
			fail "folded counts add up to $total, json says $samples samples"
	fi
	"$TP" report --format folded -o "$TMP/out.folded" "$TMP/r.data" 2>/dev/null
	cmp -s "$TMP/r.folded" "$TMP/out.folded" && pass "-o OUT writes what stdout shows" ||
		fail "report -o OUT differs from stdout"
fi

# Text is the default format, tierprof.data the default file.
cp "$TMP/r.data" "$TMP/tierprof.data"
(cd "$TMP" && "$TP" report >"$TMP/r.txt" 2>"$TMP/text.err")
rc=$?
if [ "$rc" -ne 0 ]; then
	fail "report (text, default file) exited $rc"
	show "$TMP/text.err"
elif grep -q work_three "$TMP/r.txt" && grep -q work_one "$TMP/r.txt"; then
	pass "text report names work_three and work_one"
else
	fail "text report lacks work_three or work_one"
	show "$TMP/r.txt"
fi
finish
