# Helpers for the benchmark scripts; sourced, not run.
set -u

BUILD=$(cd "${1:-./build}" 2>/dev/null && pwd) || { echo "no build directory '${1:-./build}'" >&2; exit 2; }
REPS=${REPS:-5}
TIERPROF=$BUILD/tierprof
WL=$BUILD/tests/workloads
[ -x "$TIERPROF" ] || { echo "no tierprof in $BUILD: build first (cmake --build $BUILD)" >&2; exit 2; }
if command -v perf >/dev/null 2>&1; then PERF=$(command -v perf); else PERF=; fi

BTMP=$(mktemp -d "${TMPDIR:-/tmp}/tp-bench.XXXXXX") || exit 2
trap 'rm -rf "$BTMP"' EXIT

# measure OUTFILE CMD...: append "wall user+sys" of CMD and every process it
# waited for (bash's `time` reports getrusage(RUSAGE_CHILDREN) deltas, so a
# profiler's own CPU and its workload's are both counted). Output is dropped.
measure()
{
	local out=$1 t rc
	shift
	t=$( { TIMEFORMAT='%R %U %S'; time { "$@" >/dev/null 2>"$BTMP/last.err"; echo $? >"$BTMP/last.rc"; }; } 2>&1 | tail -n 1)
	rc=$(cat "$BTMP/last.rc")
	if [ "$rc" -ne 0 ]; then
		echo "warning: '$*' exited $rc:" >&2
		tail -n 5 "$BTMP/last.err" >&2
	fi
	echo "$t" | awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' >>"$out"
}

# median FILE COLUMN
median()
{
	awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ v[NR] = $1 }
		END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2];
		      else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# pct PROFILED PLAIN: overhead in percent.
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f%%", 100 * (a - b) / b }'; }
# div A B with a guard for B <= 0.
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

cpu_info()
{
	echo "machine: $(nproc) CPUs, $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
	echo "tierprof: $("$TIERPROF" --version)${PERF:+; perf: $("$PERF" --version)}"
}
