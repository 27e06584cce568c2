#!/usr/bin/env bash
# Attach mode (-p): to one running process with two threads, to two processes
# at once, and to a pid that does not exist.
. "$(dirname "$0")/lib.sh"
require_perf

F=$(freq 999)
# The spinners run on wall time, not a fixed amount of work: on a loaded
# machine they get little CPU, so ask only for clear evidence (~1% of 2 s).
MIN=$((F / 50))
"$WL/spinner" 120 >"$TMP/s1.out" 2>/dev/null &
track $!
s1=$(wait_line "$TMP/s1.out") || { fail "spinner did not start"; finish; }

"$TP" record -F "$F" -p "$s1" --duration 2 -o "$TMP/a.data" >"$TMP/a.out" 2>&1
rc=$?
[ "$rc" -eq 0 ] && pass "record -p $s1 --duration 2 exits 0" ||
	{ fail "record -p $s1 exited $rc"; show "$TMP/a.out"; }
if [ "$rc" -eq 0 ] && report_json "$TMP/a.json" "$TMP/a.data"; then
	for fn in spin_forever spin_helper; do
		n=$(self_of "$TMP/a.json" $fn)
		[ "$n" -ge "$MIN" ] && pass "$fn has $n self samples" ||
			fail "$fn has $n self samples (want >= $MIN)"
	done
	jq -e --argjson p "$s1" '[.capture.processes[].pid] == [$p]' "$TMP/a.json" >/dev/null &&
		pass "capture holds pid $s1 only" || fail "capture does not hold pid $s1 alone"
	jq -e --argjson p "$s1" '[.capture.threads[] | select(.pid == $p)] | length == 2' \
		"$TMP/a.json" >/dev/null && pass "both threads of $s1 listed" ||
		fail "the threads of $s1 are not both listed"
fi
kill -0 "$s1" 2>/dev/null && pass "the target still runs after detaching" ||
	fail "the target died while or after being recorded"

"$WL/spinner" 120 >"$TMP/s2.out" 2>/dev/null &
track $!
s2=$(wait_line "$TMP/s2.out") || { fail "second spinner did not start"; finish; }
"$TP" record -F "$F" -p "$s1,$s2" --duration 2 -o "$TMP/ab.data" >"$TMP/ab.out" 2>&1
rc=$?
[ "$rc" -eq 0 ] && pass "record -p $s1,$s2 exits 0" ||
	{ fail "record -p $s1,$s2 exited $rc"; show "$TMP/ab.out"; }
if [ "$rc" -eq 0 ] && report_json "$TMP/ab.json" "$TMP/ab.data"; then
	jq -e --argjson a "$s1" --argjson b "$s2" \
		'[.capture.processes[].pid] | sort == ([$a, $b] | sort)' "$TMP/ab.json" >/dev/null &&
		pass "capture holds both pids" || fail "capture does not hold exactly $s1 and $s2"
	for p in "$s1" "$s2"; do
		report_json "$TMP/ab$p.json" "$TMP/ab.data" --pid "$p" || continue
		[ "$(self_of "$TMP/ab$p.json" spin_forever)" -ge "$MIN" ] &&
			[ "$(self_of "$TMP/ab$p.json" spin_helper)" -ge "$MIN" ] &&
			pass "pid $p: spin_forever and spin_helper sampled" ||
			fail "pid $p: spin_forever or spin_helper missing"
	done
fi

# A pid that cannot exist: pid_max is one above the largest pid.
bad=$(cat /proc/sys/kernel/pid_max)
"$TP" record -p "$bad" --duration 1 -o "$TMP/bad.data" >"$TMP/bad.out" 2>&1
rc=$?
[ "$rc" -eq 2 ] && grep -qi "no such process.*$bad\|$bad.*no such process" "$TMP/bad.out" &&
	pass "-p $bad: exit 2, 'no such process: $bad'" ||
	{ fail "-p $bad: exit $rc"; show "$TMP/bad.out"; }
[ ! -e "$TMP/bad.data" ] && pass "-p $bad leaves no capture behind" ||
	fail "-p $bad left a capture file"
# One good and one bad pid: refused as a whole.
"$TP" record -p "$s1,$bad" --duration 1 -o "$TMP/bad2.data" >"$TMP/bad2.out" 2>&1
rc=$?
[ "$rc" -eq 2 ] && grep -q "$bad" "$TMP/bad2.out" && pass "-p $s1,$bad: exit 2 naming $bad" ||
	{ fail "-p $s1,$bad: exit $rc"; show "$TMP/bad2.out"; }
finish
