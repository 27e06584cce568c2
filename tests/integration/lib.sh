# Common helpers for the integration scripts; sourced, not run.
#
# Every script is called as   SCRIPT TIERPROF WORKLOAD_DIR
# (or with $TIERPROF and $TP_WORKLOADS in the environment), records real
# programs from tests/workloads, and checks the capture through
# `tierprof report`. Exit status: 0 pass, 1 fail, 77 skip (CTest
# SKIP_RETURN_CODE) when this machine does not permit perf_event_open.
#
# Checks are about attribution, never about timing: sample shares get
# generous tolerances, and durations only bound runaway cases.

set -u

TP=${1:-${TIERPROF:-}}
WL=${2:-${TP_WORKLOADS:-}}
TEST_NAME=$(basename "$0" .sh)
FAILED=0
BG_PIDS=""

if [ -z "$TP" ] || [ ! -x "$TP" ]; then
	echo "usage: $0 TIERPROF WORKLOAD_DIR (tierprof binary '$TP' not executable)" >&2
	exit 1
fi
if [ -z "$WL" ] || [ ! -x "$WL/ratio" ]; then
	echo "usage: $0 TIERPROF WORKLOAD_DIR (no workloads in '$WL')" >&2
	exit 1
fi
command -v jq >/dev/null 2>&1 || { echo "$TEST_NAME: jq is required" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tp-it-$TEST_NAME.XXXXXX") || exit 1

cleanup()
{
	local p exe
	# Only what is still ours: a pid may have been reused since.
	for p in $BG_PIDS; do
		exe=$(readlink "/proc/$p/exe" 2>/dev/null) || continue
		case "$exe" in
		"$(readlink -f "$TP")" | "$(readlink -f "$WL")"/*) kill -KILL "$p" ;;
		esac
	done 2>/dev/null
	{ wait; } 2>/dev/null
	if [ "$FAILED" -ne 0 ] && [ -n "${KEEP_TMP:-}" ]; then
		echo "# kept $TMP" >&2
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

note() { echo "# $*"; }
pass() { echo "ok - $*"; }
fail()
{
	echo "not ok - $*"
	FAILED=1
}
# Print a file indented, to explain a failure.
show() { sed 's/^/#   /' "$1" | head -n "${2:-40}"; }
finish()
{
	if [ "$FAILED" -ne 0 ]; then
		echo "$TEST_NAME: FAILED"
		exit 1
	fi
	echo "$TEST_NAME: passed"
	exit 0
}

# Register a background process for cleanup.
track() { BG_PIDS="$BG_PIDS $1"; }

# Skip (77) when perf_event_open is refused or missing; fail on anything else.
require_perf()
{
	"$TP" record -o "$TMP/probe.data" -- true >"$TMP/probe.out" 2>&1
	local rc=$?

	if [ "$rc" -eq 0 ]; then
		rm -f "$TMP/probe.data"
		return 0
	fi
	if grep -q 'perf_event_open\|perf_event_paranoid' "$TMP/probe.out"; then
		echo "$TEST_NAME: SKIP: perf_event_open not permitted here:"
		show "$TMP/probe.out" 5
		exit 77
	fi
	echo "$TEST_NAME: the probe 'tierprof record -- true' failed with $rc:"
	show "$TMP/probe.out"
	exit 1
}

# The sampling rate to ask for: $1 Hz, lowered to what the kernel allows (it
# lowers perf_event_max_sample_rate by itself when interrupts run long).
freq()
{
	local max
	max=$(cat /proc/sys/kernel/perf_event_max_sample_rate 2>/dev/null || echo "$1")
	if [ "$max" -lt "$1" ]; then
		echo "$max"
	else
		echo "$1"
	fi
}

# Wait up to 10 s for a file to hold a line (a pid printed by the spinner).
wait_line()
{
	local i=0
	while [ $i -lt 100 ]; do
		if [ -s "$1" ] && grep -q . "$1"; then
			head -n 1 "$1"
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# report_json OUT CAPTURE [report options...]: run the JSON report; fail if it
# does not exit 0 with a schema 1 document.
report_json()
{
	local out=$1 rc
	shift
	"$TP" report --format json "$@" >"$out" 2>"$out.err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "report --format json $* exited $rc"
		show "$out.err"
		return 1
	fi
	if ! jq -e '.schema == 1' "$out" >/dev/null 2>&1; then
		fail "report --format json $* is not a schema 1 JSON document"
		show "$out"
		return 1
	fi
	return 0
}

# self_of JSON NAME: self samples of the function NAME (0 when absent).
self_of() { jq --arg n "$2" '[.functions[] | select(.name == $n) | .self] | add // 0' "$1"; }

# folded_self FOLDED NAME: samples whose leaf frame is NAME.
folded_self()
{
	awk -v n="$2" '{
		c = $NF; s = $0; sub(/ [0-9]+$/, "", s)
		k = split(s, f, ";"); if (f[k] == n) t += c
	} END { print t + 0 }' "$1"
}

# folded_total FOLDED: sum of all counts.
folded_total() { awk '{ t += $NF } END { print t + 0 }' "$1"; }

# ratio_in A B LO HI: is A/B within [LO, HI]? (B > 0)
ratio_in() { awk -v a="$1" -v b="$2" -v lo="$3" -v hi="$4" 'BEGIN { r = a / b; exit !(b > 0 && r >= lo && r <= hi) }'; }
ratio_of() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'; }
