#!/usr/bin/env bash
# Analysis speed: record the same multi-threaded workload with
# `perf record -F 999 -g` and `tierprof record -F 999`, then time
# `perf report --stdio` against `tierprof report` (text) on those captures.
# Prints medians of wall and CPU time and the ratio tierprof/perf (target < 1:
# tierprof faster). No assertions: this prints numbers.
#
#   bench/report_speed.sh [BUILD_DIR]    (default ./build; REPS=5 runs each)
#   WORKLOAD="path args" bench/report_speed.sh build   (default: tests/workloads/threads 4 2.5,
#                                                       ~10 s of CPU on 4 threads)
. "$(dirname "$0")/lib.sh"

FREQ=${FREQ:-999}
[ -n "$PERF" ] || { echo "perf is not installed: nothing to compare with" >&2; exit 2; }
if [ -n "${WORKLOAD:-}" ]; then
	read -r -a work <<<"$WORKLOAD"
elif [ -x "$WL/threads" ]; then
	work=("$WL/threads" 4 2.5)
else
	echo "no workload: build the tests (tests/workloads) or set WORKLOAD" >&2
	exit 2
fi

cpu_info
echo "workload: ${work[*]}; -F $FREQ"
"$PERF" record -q -F "$FREQ" -g -o "$BTMP/perf.data" -- "${work[@]}" >/dev/null 2>&1 ||
	{ echo "perf record failed" >&2; exit 2; }
"$TIERPROF" record -F "$FREQ" -o "$BTMP/tp.data" -- "${work[@]}" >/dev/null 2>"$BTMP/tp.err" ||
	{ echo "tierprof record failed:" >&2; cat "$BTMP/tp.err" >&2; exit 2; }
"$TIERPROF" report "$BTMP/tp.data" >/dev/null 2>"$BTMP/rep.err" ||
	{ echo "tierprof report failed:" >&2; cat "$BTMP/rep.err" >&2; exit 2; }
echo "captures: perf.data $(du -h "$BTMP/perf.data" | cut -f1), tierprof.data $(du -h "$BTMP/tp.data" | cut -f1); $(tail -n 1 "$BTMP/tp.err" | sed 's/^tierprof: //')"
echo "$REPS runs each, interleaved; medians"
for i in $(seq "$REPS"); do
	measure "$BTMP/perf" "$PERF" report -i "$BTMP/perf.data" --stdio
	measure "$BTMP/tierprof" "$TIERPROF" report "$BTMP/tp.data"
	printf '.' >&2
done
echo >&2

printf '%-24s %8s %8s\n' "" "wall s" "cpu s"
printf '%-24s %8s %8s\n' "perf report --stdio" "$(median "$BTMP/perf" 1)" "$(median "$BTMP/perf" 2)"
printf '%-24s %8s %8s\n' "tierprof report" "$(median "$BTMP/tierprof" 1)" "$(median "$BTMP/tierprof" 2)"
echo "ratio tierprof/perf, wall: $(div "$(median "$BTMP/tierprof" 1)" "$(median "$BTMP/perf" 1)")  (target < 1.0)"
echo "ratio tierprof/perf, CPU:  $(div "$(median "$BTMP/tierprof" 2)" "$(median "$BTMP/perf" 2)")"
