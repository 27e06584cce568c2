#!/usr/bin/env bash
# Why a DWARF walk stopped is shown, never hidden: each unknown-frame cause
# the unwinder names (stack-slice, truncated, jit-no-cfi) is provoked on a
# real program and must appear in the text report's unknown-causes section
# and in the JSON `unknown.causes`; samples the kernel lost (LOST records,
# provoked with a one-page ring at a high rate on four busy threads) must
# appear in the report's header and in JSON `capture.lost`, with the count
# `record` printed.
. "$(dirname "$0")/lib.sh"
require_perf
ACC=$(cd "$WL/../accuracy" 2>/dev/null && pwd) || { echo "$TEST_NAME: no accuracy programs next to $WL" >&2; exit 1; }
SRC=$(cd "$(dirname "$0")/../accuracy" && pwd)
cd "$TMP" || exit 1

# has_cause CAPTURE CAUSE [report options...]: the cause in JSON and text.
has_cause()
{
	local cap=$1 cause=$2 words
	shift 2
	report_json "$TMP/$cause.json" "$cap" "$@" || return
	if jq -e --arg c "$cause" '[.unknown.causes[] | select(.cause == $c and .samples > 0)] | length > 0' \
		"$TMP/$cause.json" >/dev/null; then
		pass "JSON unknown.causes names $cause"
	else
		fail "JSON unknown.causes lacks $cause"
		jq -c '.unknown' "$TMP/$cause.json" | head -c 2000
	fi
	"$TP" report "$cap" "$@" >"$TMP/$cause.txt" 2>&1
	words=$(jq -r --arg c "$cause" '.unknown.causes[] | select(.cause == $c) | .hint' \
		"$TMP/$cause.json" | head -n 1 | cut -c1-40)
	if grep -q "^ *[0-9.]*% $cause " "$TMP/$cause.txt" && grep -qF "$words" "$TMP/$cause.txt"; then
		pass "text unknown-causes section names $cause ($words...)"
	else
		fail "text report lacks the $cause line"
		grep -A8 '^Unknown' "$TMP/$cause.txt" | show /dev/stdin
	fi
}

# stack-slice: 64 bytes of stack cannot hold recurse's 40-deep frames (strict:
# mixed mode would continue the walk with the kernel's frame-pointer chain).
"$TP" record -F "$(freq 499)" --call-graph dwarf,64 -o slice.tp -- "$ACC/recurse" 100 >slice.out 2>&1 ||
	{ fail "record --call-graph dwarf,64 failed"; show slice.out; }
has_cause slice.tp stack-slice --unwind dwarf-strict

# truncated: recurse goes 40 deep; 16 frames cut it.
"$TP" record -F "$(freq 499)" --call-graph dwarf --max-depth 16 -o depth.tp -- "$ACC/recurse" 100 \
	>depth.out 2>&1 || { fail "record --max-depth 16 failed"; show depth.out; }
has_cause depth.tp truncated

# jit-no-cfi: V8's JIT code has no CFI; dwarf-strict stops there.
if command -v node >/dev/null; then
	"$TP" record -F "$(freq 499)" --call-graph dwarf -o node.tp -- node \
		"$SRC/baseline.js" 200 >node.out 2>&1 ||
		{ fail "record node failed"; show node.out; }
	has_cause node.tp jit-no-cfi --unwind dwarf-strict
else
	note "node not installed: jit-no-cfi not checked"
fi

# LOST: a one-page ring and the largest stack copies at a high rate.
"$TP" record -F "$(freq 20000)" --call-graph dwarf,65528 --mmap-pages 1 -o lost.tp -- \
	"$WL/threads" 4 1 >lost.out 2>&1 || { fail "record with --mmap-pages 1 failed"; show lost.out; }
said=$(sed -n 's/.*the kernel lost \([0-9]*\) samples.*/\1/p' lost.out)
if [ -z "$said" ]; then
	note "the kernel lost no samples on this machine: LOST reporting not checked"
	[ "$FAILED" = 0 ] && { echo "$TEST_NAME: SKIP (no LOST records provoked)"; exit 77; }
else
	report_json lost.json lost.tp
	got=$(jq -r '.capture.lost' lost.json)
	if [ "$got" = "$said" ]; then
		pass "JSON capture.lost = $got, as record said"
	else
		fail "JSON capture.lost = $got, record said $said"
	fi
	"$TP" report lost.tp >lost.txt 2>&1
	if grep -q "the kernel lost $said samples" lost.txt; then
		pass "text header: the kernel lost $said samples"
	else
		fail "text header does not show the $said lost samples"
		head -n 15 lost.txt | show /dev/stdin
	fi
fi
finish
