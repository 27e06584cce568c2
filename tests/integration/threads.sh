#!/usr/bin/env bash
# Threads created while recording: each of the 4 workers (named worker-K,
# running thread_fn_K) must be followed and kept apart by tid and by comm.
. "$(dirname "$0")/lib.sh"
require_perf

F=$(freq 999)
"$TP" record -F "$F" -o "$TMP/t.data" -- "$WL/threads" 4 >"$TMP/rec.out" 2>&1
rc=$?
[ "$rc" -eq 0 ] && pass "record -- threads exits 0" ||
	{ fail "record -- threads exited $rc"; show "$TMP/rec.out"; finish; }
report_json "$TMP/t.json" "$TMP/t.data" || finish

for k in 0 1 2 3; do
	n=$(self_of "$TMP/t.json" thread_fn_$k)
	# ~1 s of CPU each at $F Hz; a tenth of it is plenty of evidence.
	[ "$n" -ge $((F / 10)) ] && pass "thread_fn_$k has $n self samples" ||
		fail "thread_fn_$k has $n self samples (want >= $((F / 10)))"
done

pid=$(jq '[.capture.processes[] | select(.comm == "threads") | .pid][0] // empty' "$TMP/t.json")
if [ -z "$pid" ]; then
	fail "no process 'threads' in capture.processes"
	jq -c '.capture.processes' "$TMP/t.json" | show /dev/stdin
	finish
fi
ntids=$(jq --argjson p "$pid" '[.capture.threads[] | select(.pid == $p) | .tid] | unique | length' \
	"$TMP/t.json")
[ "$ntids" -ge 5 ] && pass "$ntids threads listed for pid $pid (main + 4 workers)" ||
	{ fail "$ntids threads listed for pid $pid, want >= 5"; jq -c '.capture.threads' "$TMP/t.json" | show /dev/stdin; }

# --tid: only worker-2's samples, i.e. exactly the count the threads list gives it.
tid=$(jq --argjson p "$pid" '[.capture.threads[] | select(.pid == $p and .comm == "worker-2") | .tid][0] // empty' \
	"$TMP/t.json")
if [ -z "$tid" ]; then
	fail "no thread 'worker-2' in capture.threads"
else
	want=$(jq --argjson t "$tid" '[.capture.threads[] | select(.tid == $t) | .samples] | add' "$TMP/t.json")
	if report_json "$TMP/tid.json" "$TMP/t.data" --tid "$tid"; then
		got=$(jq '.capture.samples' "$TMP/tid.json")
		[ "$got" -eq "$want" ] && [ "$got" -gt 0 ] &&
			pass "--tid $tid keeps worker-2's $want samples" ||
			fail "--tid $tid: $got samples, the threads list says $want"
		others=$(($(self_of "$TMP/tid.json" thread_fn_0) + $(self_of "$TMP/tid.json" thread_fn_1) +
			$(self_of "$TMP/tid.json" thread_fn_3)))
		[ "$(self_of "$TMP/tid.json" thread_fn_2)" -gt 0 ] && [ "$others" -eq 0 ] &&
			pass "--tid $tid shows thread_fn_2 and no other worker" ||
			fail "--tid $tid: thread_fn_2=$(self_of "$TMP/tid.json" thread_fn_2), other workers=$others"
		jq -e --argjson t "$tid" '[.capture.threads[] | select(.tid != $t)] | length == 0' \
			"$TMP/tid.json" >/dev/null && pass "--tid $tid lists only that thread" ||
			fail "--tid $tid lists other threads"
	fi
	"$TP" report --format folded --tid "$tid" "$TMP/t.data" >"$TMP/tid.folded" 2>/dev/null
	if grep -q 'thread_fn_2' "$TMP/tid.folded" && ! grep -q 'thread_fn_[013]' "$TMP/tid.folded"; then
		pass "folded --tid $tid shows only thread_fn_2"
	else
		fail "folded --tid $tid does not show only thread_fn_2"
		show "$TMP/tid.folded" 10
	fi
fi

# --comm: by thread name.
if report_json "$TMP/comm.json" "$TMP/t.data" --comm worker-1; then
	others=$(($(self_of "$TMP/comm.json" thread_fn_0) + $(self_of "$TMP/comm.json" thread_fn_2) +
		$(self_of "$TMP/comm.json" thread_fn_3)))
	one=$(self_of "$TMP/comm.json" thread_fn_1)
	[ "$one" -gt 0 ] && [ "$others" -eq 0 ] && pass "--comm worker-1 shows thread_fn_1 ($one) only" ||
		fail "--comm worker-1: thread_fn_1=$one, other workers=$others"
fi
# Two names at once.
if report_json "$TMP/comm2.json" "$TMP/t.data" --comm worker-0,worker-3; then
	a=$(self_of "$TMP/comm2.json" thread_fn_0)
	b=$(self_of "$TMP/comm2.json" thread_fn_3)
	c=$(($(self_of "$TMP/comm2.json" thread_fn_1) + $(self_of "$TMP/comm2.json" thread_fn_2)))
	[ "$a" -gt 0 ] && [ "$b" -gt 0 ] && [ "$c" -eq 0 ] &&
		pass "--comm worker-0,worker-3 shows thread_fn_0 and thread_fn_3 only" ||
		fail "--comm worker-0,worker-3: thread_fn_0=$a thread_fn_3=$b others=$c"
fi
finish
