#!/usr/bin/env bash
# Recording overhead: a fixed amount of CPU work run plain, under
# `perf record -F 999 -g` and under `tierprof record -F 999`; prints the median
# CPU (user+sys of the whole process tree, profiler included) and wall time of
# each, the overhead over plain, and tierprof's overhead relative to perf's
# (target <= 1.0). No assertions: this prints numbers.
#
#   bench/overhead.sh [BUILD_DIR]        (default ./build; REPS=5 runs each)
#   WORKLOAD="path args" bench/overhead.sh build    (default: tests/workloads/ratio 60)
. "$(dirname "$0")/lib.sh"

FREQ=${FREQ:-999}
if [ -n "${WORKLOAD:-}" ]; then
	read -r -a work <<<"$WORKLOAD"
elif [ -x "$WL/ratio" ]; then
	work=("$WL/ratio" 60)
elif [ -x "$BUILD/examples/hotspots" ]; then
	work=("$BUILD/examples/hotspots")
else
	echo "no workload: build the tests (tests/workloads) or set WORKLOAD" >&2
	exit 2
fi

cpu_info
echo "workload: ${work[*]}; -F $FREQ; $REPS runs each, interleaved; medians"
"${work[@]}" >/dev/null 2>&1 # warm the page cache
for i in $(seq "$REPS"); do
	measure "$BTMP/plain" "${work[@]}"
	[ -n "$PERF" ] && measure "$BTMP/perf" "$PERF" record -F "$FREQ" -g -o "$BTMP/perf.data" -- "${work[@]}"
	measure "$BTMP/tierprof" "$TIERPROF" record -F "$FREQ" -o "$BTMP/tp.data" -- "${work[@]}"
	printf '.' >&2
done
echo >&2

pw=$(median "$BTMP/plain" 1)
pc=$(median "$BTMP/plain" 2)
printf '%-18s %8s %8s %10s %10s\n' "" "wall s" "cpu s" "cpu ovh" "wall ovh"
printf '%-18s %8s %8s %10s %10s\n' plain "$pw" "$pc" - -
tools="tierprof"
[ -n "$PERF" ] && tools="perf tierprof"
for t in $tools; do
	w=$(median "$BTMP/$t" 1)
	c=$(median "$BTMP/$t" 2)
	label="$t record"
	[ "$t" = perf ] && label="perf record -g"
	printf '%-18s %8s %8s %10s %10s\n' "$label" "$w" "$c" "$(pct "$c" "$pc")" "$(pct "$w" "$pw")"
done
if [ -n "$PERF" ]; then
	ocpu_tp=$(awk -v a="$(median "$BTMP/tierprof" 2)" -v b="$pc" 'BEGIN { print a - b }')
	ocpu_pf=$(awk -v a="$(median "$BTMP/perf" 2)" -v b="$pc" 'BEGIN { print a - b }')
	owall_tp=$(awk -v a="$(median "$BTMP/tierprof" 1)" -v b="$pw" 'BEGIN { print a - b }')
	owall_pf=$(awk -v a="$(median "$BTMP/perf" 1)" -v b="$pw" 'BEGIN { print a - b }')
	echo "ratio tierprof/perf, CPU overhead:  $(div "$ocpu_tp" "$ocpu_pf")  (target <= 1.0)"
	echo "ratio tierprof/perf, wall overhead: $(div "$owall_tp" "$owall_pf")"
else
	echo "perf not installed: no anchor ratio"
fi
