#!/usr/bin/env bash
# Errors are exit 2 with a message that says what is wrong: a rate above the
# kernel's limit, a command that does not exist, perf_event_open refused for
# lack of privilege, a file that is not a capture. A truncated capture is not
# an error: the report reads up to the damage and says so.
. "$(dirname "$0")/lib.sh"
require_perf

# -F above kernel.perf_event_max_sample_rate.
max=$(cat /proc/sys/kernel/perf_event_max_sample_rate)
"$TP" record -F $((max + 1)) -o "$TMP/f.data" -- true >"$TMP/f.out" 2>&1
rc=$?
[ "$rc" -eq 2 ] && grep -q perf_event_max_sample_rate "$TMP/f.out" &&
	pass "-F $((max + 1)): exit 2 naming perf_event_max_sample_rate" ||
	{ fail "-F $((max + 1)): exit $rc"; show "$TMP/f.out"; }
[ ! -e "$TMP/f.data" ] && pass "-F $((max + 1)) creates no capture" || fail "-F $((max + 1)) created a capture"

# A command that does not exist.
"$TP" record -o "$TMP/n.data" -- "$TMP/no-such-command" >"$TMP/n.out" 2>&1
rc=$?
if { [ "$rc" -eq 2 ] || [ "$rc" -eq 127 ]; } && grep -q "no-such-command" "$TMP/n.out" &&
	grep -qi "no such file" "$TMP/n.out"; then
	pass "nonexistent command: exit $rc naming it"
else
	fail "nonexistent command: exit $rc"
	show "$TMP/n.out"
fi
"$TP" record -o "$TMP/n.data" -- "$TMP" >"$TMP/n2.out" 2>&1
rc=$?
[ "$rc" -eq 2 ] || [ "$rc" -eq 126 ] && grep -qi "permission denied" "$TMP/n2.out" &&
	pass "a directory as the command: exit $rc, permission denied" ||
	{ fail "a directory as the command: exit $rc"; show "$TMP/n2.out"; }

# perf_event_open refused: an unprivileged user attaching to pid 1.
run_as_nobody()
{
	if command -v setpriv >/dev/null 2>&1; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		su nobody -s /bin/sh -c '"$0" "$@"' -- "$@"
	fi
}
if [ "$(id -u)" -eq 0 ]; then
	# A world-readable copy: the build tree may sit under a private home.
	mkdir -p "$TMP/nobody"
	chmod 755 "$TMP"
	chmod 1777 "$TMP/nobody"
	cp "$TP" "$TMP/nobody/tierprof"
	chmod 755 "$TMP/nobody/tierprof"
	run_as_nobody "$TMP/nobody/tierprof" record -p 1 --duration 1 -o "$TMP/nobody/p.data" \
		>"$TMP/p.out" 2>&1
	rc=$?
	[ "$rc" -eq 2 ] && grep -q perf_event_paranoid "$TMP/p.out" &&
		pass "user nobody, -p 1: exit 2 naming perf_event_paranoid" ||
		{ fail "user nobody, -p 1: exit $rc"; show "$TMP/p.out"; }
	[ "$(grep -c 'perf_event_open refused' "$TMP/p.out")" -le 1 ] &&
		pass "user nobody, -p 1: the refusal is explained once" ||
		fail "user nobody, -p 1: the refusal is explained $(grep -c 'perf_event_open refused' "$TMP/p.out") times"
else
	"$TP" record -p 1 --duration 1 -o "$TMP/p.data" >"$TMP/p.out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		note "SKIP: this user may sample pid 1 (CAP_PERFMON?): no refusal to test"
	else
		[ "$rc" -eq 2 ] && grep -q perf_event_paranoid "$TMP/p.out" &&
			pass "-p 1 as $(id -un): exit 2 naming perf_event_paranoid" ||
			{ fail "-p 1 as $(id -un): exit $rc"; show "$TMP/p.out"; }
	fi
fi

# Report of a file that is not a capture, of an empty file, of a missing file.
for i in $(seq 200); do echo "this is not a tierprof capture, line $i"; done >"$TMP/garbage.data"
: >"$TMP/empty.data"
for f in garbage.data empty.data missing.data; do
	"$TP" report "$TMP/$f" >"$TMP/g.out" 2>"$TMP/g.err"
	rc=$?
	[ "$rc" -eq 2 ] && grep -q "$f" "$TMP/g.err" && pass "report $f: exit 2 naming the file" ||
		{ fail "report $f: exit $rc"; show "$TMP/g.err"; }
done
# A capture of a newer version than this tierprof reads.
"$TP" record -o "$TMP/v.data" -- "$WL/ratio" 5 >/dev/null 2>&1
if [ -s "$TMP/v.data" ]; then
	cp "$TMP/v.data" "$TMP/future.data"
	printf '\x63\x00\x00\x00' | dd of="$TMP/future.data" bs=1 seek=8 conv=notrunc 2>/dev/null
	"$TP" report "$TMP/future.data" >/dev/null 2>"$TMP/v.err"
	rc=$?
	[ "$rc" -eq 2 ] && grep -q future.data "$TMP/v.err" &&
		pass "report of a capture version 99: exit 2 naming the file" ||
		{ fail "report of a capture version 99: exit $rc"; show "$TMP/v.err"; }
fi

# A truncated capture: the first half of one holding only samples (no kernel
# symbols at the end) keeps about half of them.
F=$(freq 999)
"$TP" record -F "$F" --no-kallsyms -o "$TMP/full.data" -- "$WL/ratio" >/dev/null 2>&1 ||
	{ fail "record -- ratio failed"; finish; }
size=$(stat -c %s "$TMP/full.data")
head -c $((size / 2)) "$TMP/full.data" >"$TMP/half.data"
if report_json "$TMP/full.json" "$TMP/full.data"; then
	"$TP" report --format json "$TMP/half.data" >"$TMP/half.json" 2>"$TMP/half.err"
	rc=$?
	full=$(jq .capture.samples "$TMP/full.json")
	half=$(jq .capture.samples "$TMP/half.json" 2>/dev/null || echo 0)
	note "full capture: $full samples; first half of the file: $half"
	[ "$rc" -eq 0 ] && pass "report of a truncated capture exits 0" ||
		{ fail "report of a truncated capture exited $rc"; show "$TMP/half.err"; }
	grep -qi truncated "$TMP/half.err" && pass "report says the capture is truncated" ||
		{ fail "report does not say 'truncated' on stderr"; show "$TMP/half.err"; }
	jq -e '.capture.complete == false' "$TMP/half.json" >/dev/null 2>&1 &&
		pass "json: complete = false" || fail "json of a truncated capture: complete is not false"
	[ "$half" -gt $((full / 5)) ] && [ "$half" -lt "$full" ] &&
		pass "the truncated capture keeps $half of $full samples" ||
		fail "the truncated capture keeps $half of $full samples"
	[ "$(self_of "$TMP/half.json" work_three)" -gt 0 ] 2>/dev/null &&
		pass "the truncated capture still names work_three" ||
		fail "the truncated capture lost work_three"
	"$TP" report "$TMP/half.data" >"$TMP/half.txt" 2>&1
	grep -qi truncated "$TMP/half.txt" && pass "the text report says truncated too" ||
		fail "the text report does not say truncated"
fi

# Outputs that are not regular files (a FIFO here; /dev/null in real use) are
# written in place: renaming a temporary over them would replace the node.
mkfifo "$TMP/fifo"
timeout 20 cat "$TMP/fifo" >"$TMP/fifo.html" &
reader=$!
"$TP" health "$TMP/full.data" -o "$TMP/fifo" >"$TMP/fifo.out" 2>&1
rc=$?
wait "$reader"
[ "$rc" -eq 0 ] && [ -p "$TMP/fifo" ] && grep -q '<html' "$TMP/fifo.html" &&
	pass "health -o FIFO: written through, the FIFO stays a FIFO" ||
	{ fail "health -o FIFO: exit $rc"; show "$TMP/fifo.out"; }
"$TP" import --collapsed "$(dirname "$0")/../fixtures/folded/README.md" -o "$TMP/fifo" \
	>"$TMP/fifo.out" 2>&1
rc=$?
[ "$rc" -eq 2 ] && [ -p "$TMP/fifo" ] && grep -q 'not a regular file' "$TMP/fifo.out" &&
	pass "import -o FIFO: exit 2, not a regular file" ||
	{ fail "import -o FIFO: exit $rc"; show "$TMP/fifo.out"; }
"$TP" record -o "$TMP/fifo" -- /bin/false >"$TMP/fifo.out" 2>&1 &
timeout 20 cat "$TMP/fifo" >/dev/null
wait $!
[ -p "$TMP/fifo" ] && [ ! -e "$TMP/fifo.old" ] &&
	pass "record -o FIFO: neither moved aside nor replaced" || fail "record -o FIFO replaced the FIFO"
finish
