#!/usr/bin/env bash
# fork and exec: the parent (parent_spin), a forked child (child_spin) and an
# exec'd child (the ratio workload) must all be recorded and kept apart by pid.
. "$(dirname "$0")/lib.sh"
require_perf

F=$(freq 999)
"$TP" record -F "$F" -o "$TMP/f.data" -- "$WL/forker" >"$TMP/rec.out" 2>&1
rc=$?
[ "$rc" -eq 0 ] && pass "record -- forker exits 0" ||
	{ fail "record -- forker exited $rc"; show "$TMP/rec.out"; finish; }
report_json "$TMP/f.json" "$TMP/f.data" || finish

for fn in parent_spin child_spin work_three; do
	n=$(self_of "$TMP/f.json" $fn)
	[ "$n" -ge $((F / 10)) ] && pass "$fn has $n self samples" ||
		fail "$fn has $n self samples (want >= $((F / 10)))"
done
npids=$(jq '[.capture.processes[].pid] | unique | length' "$TMP/f.json")
[ "$npids" -ge 2 ] && pass "$npids processes in the capture" ||
	{ fail "$npids processes in the capture, want >= 2"; jq -c '.capture.processes' "$TMP/f.json" | show /dev/stdin; }
jq -e '[.capture.processes[] | select(.comm == "ratio")] | length >= 1' "$TMP/f.json" >/dev/null &&
	pass "the exec'd child is listed as 'ratio'" || fail "no process 'ratio' after exec"

# --pid: each forker process has exactly one of parent_spin / child_spin.
seen=""
for pid in $(jq '.capture.processes[] | select(.comm == "forker") | .pid' "$TMP/f.json"); do
	report_json "$TMP/p$pid.json" "$TMP/f.data" --pid "$pid" || continue
	p=$(self_of "$TMP/p$pid.json" parent_spin)
	c=$(self_of "$TMP/p$pid.json" child_spin)
	w=$(self_of "$TMP/p$pid.json" work_three)
	note "--pid $pid: parent_spin=$p child_spin=$c work_three=$w"
	if [ "$p" -gt 0 ] && [ "$c" -eq 0 ] && [ "$w" -eq 0 ]; then
		seen="$seen parent"
	elif [ "$c" -gt 0 ] && [ "$p" -eq 0 ] && [ "$w" -eq 0 ]; then
		seen="$seen child"
	else
		fail "--pid $pid mixes processes"
	fi
	jq -e --argjson p "$pid" '([.capture.processes[] | select(.pid != $p)] | length == 0)
		and .capture.samples < .capture.samples_total' "$TMP/p$pid.json" >/dev/null ||
		fail "--pid $pid: other processes listed or nothing filtered out"
done
case "$seen" in
" parent child" | " child parent") pass "--pid separates the parent and the forked child" ;;
*) fail "--pid over the 'forker' processes found:$seen (want parent and child)" ;;
esac
rpid=$(jq '[.capture.processes[] | select(.comm == "ratio") | .pid][0] // empty' "$TMP/f.json")
if [ -n "$rpid" ] && [ -n "$pid" ] && report_json "$TMP/two.json" "$TMP/f.data" --pid "$rpid,$pid"; then
	jq -e --argjson a "$rpid" --argjson b "$pid" \
		'[.capture.processes[].pid] | unique == ([$a, $b] | unique)' "$TMP/two.json" >/dev/null &&
		[ "$(self_of "$TMP/two.json" work_three)" -gt 0 ] &&
		pass "--pid $rpid,$pid keeps exactly those two processes" ||
		fail "--pid $rpid,$pid does not keep exactly those two processes"
fi
finish
