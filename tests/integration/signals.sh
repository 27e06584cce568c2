#!/usr/bin/env bash
# Stopping: Ctrl-C (SIGINT) and SIGTERM to tierprof are forwarded to the
# launched command, whose exit code (128+N) tierprof passes on; a command
# killed by SIGKILL ends the recording; --duration sends the command SIGTERM.
# In every case the capture is finalized and readable.
. "$(dirname "$0")/lib.sh"
require_perf

# check_capture NAME DATA: report works, capture complete, spinner functions seen.
check_capture()
{
	report_json "$TMP/$1.json" "$2" || return
	jq -e '.capture.complete == true and .capture.samples > 0' "$TMP/$1.json" >/dev/null &&
		pass "$1: capture complete with $(jq .capture.samples "$TMP/$1.json") samples" ||
		{ fail "$1: capture not complete or empty"; jq -c .capture "$TMP/$1.json" | show /dev/stdin; }
	[ "$(self_of "$TMP/$1.json" spin_forever)" -gt 0 ] && pass "$1: spin_forever sampled" ||
		fail "$1: spin_forever not sampled"
}

# Stop tierprof with signal $2 once the spinner has run ~1.5 s; want exit $3.
stop_with()
{
	local name=$1 sig=$2 want=$3 tp_pid sp rc
	"$TP" record -o "$TMP/$name.data" -- "$WL/spinner" 120 >"$TMP/$name.pid" 2>"$TMP/$name.err" &
	tp_pid=$!
	track $tp_pid
	sp=$(wait_line "$TMP/$name.pid") || { fail "$name: spinner did not start"; return; }
	track "$sp"
	sleep 1.5
	kill -"$sig" $tp_pid
	wait $tp_pid
	rc=$?
	[ "$rc" -eq "$want" ] && pass "$name: tierprof exits $want after SIG$sig" ||
		{ fail "$name: tierprof exited $rc after SIG$sig, want $want"; show "$TMP/$name.err"; }
	kill -0 "$sp" 2>/dev/null && fail "$name: the spinner survived"
	check_capture "$name" "$TMP/$name.data"
}
stop_with sigint INT 130
stop_with sigterm TERM 143

# The target is SIGKILLed: recording ends, exit 137.
"$TP" record -o "$TMP/kill9.data" -- "$WL/spinner" 120 >"$TMP/kill9.pid" 2>"$TMP/kill9.err" &
tp_pid=$!
track $tp_pid
if sp=$(wait_line "$TMP/kill9.pid"); then
	sleep 1.5
	kill -KILL "$sp"
	wait $tp_pid
	rc=$?
	[ "$rc" -eq 137 ] && pass "kill9: tierprof exits 137 when the command is SIGKILLed" ||
		{ fail "kill9: tierprof exited $rc, want 137"; show "$TMP/kill9.err"; }
	check_capture kill9 "$TMP/kill9.data"
else
	fail "kill9: spinner did not start"
fi

# --duration: the command gets SIGTERM (exit 143). The spinner would run 60 s
# by itself, so any stop well before that is --duration's doing.
start=$(date +%s)
"$TP" record --duration 1.5 -o "$TMP/dur.data" -- "$WL/spinner" 60 >/dev/null 2>"$TMP/dur.err"
rc=$?
elapsed=$(($(date +%s) - start))
[ "$rc" -eq 143 ] && pass "--duration 1.5: the command got SIGTERM (exit 143)" ||
	{ fail "--duration 1.5: exit $rc, want 143"; show "$TMP/dur.err"; }
[ "$elapsed" -lt 30 ] && pass "--duration 1.5 stopped after ${elapsed}s" ||
	fail "--duration 1.5 ran ${elapsed}s"
check_capture duration "$TMP/dur.data"
if [ -s "$TMP/duration.json" ]; then
	d=$(jq '.capture.duration_s' "$TMP/duration.json")
	awk -v d="$d" 'BEGIN { exit !(d >= 1.0 && d < 30) }' && pass "duration_s = $d" ||
		fail "duration_s = $d, want about 1.5"
fi
finish
