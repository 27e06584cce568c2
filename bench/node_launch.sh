#!/usr/bin/env bash
# What zero-flag Node profiling costs: the bundled Node demo run plain, with
# the V8 flags tierprof adds but no sampling (their cost alone), under
# `perf record -F 999 -g` with --perf-basic-prof (what a perf user runs to get
# JIT names), and under `tierprof record -F 999` (flags, deopt log, sampling).
# Prints medians and tierprof's overhead relative to perf's. No assertions.
#
#   bench/node_launch.sh [BUILD_DIR]     (REPS=5 runs each; WORKLOAD="node.js args")
. "$(dirname "$0")/lib.sh"

FREQ=${FREQ:-999}
command -v node >/dev/null 2>&1 || { echo "node not installed" >&2; exit 2; }
read -r -a work <<<"${WORKLOAD:-$(cd "$(dirname "$0")/.." && pwd)/examples/node/demo.js}"
flags=(--perf-basic-prof --interpreted-frames-native-stack --log-deopt --log-code
	--logfile="$BTMP/v8.log" --redirect-code-traces --redirect-code-traces-to="$BTMP/traces.txt")

cpu_info
echo "workload: node ${work[*]}; -F $FREQ; $REPS runs each, interleaved; medians"
node "${work[@]}" >/dev/null 2>&1
cd "$BTMP" || exit 2
for i in $(seq "$REPS"); do
	measure "$BTMP/plain" node "${work[@]}"
	measure "$BTMP/flags" node "${flags[@]}" "${work[@]}"
	[ -n "$PERF" ] && measure "$BTMP/perf" "$PERF" record -F "$FREQ" -g -o "$BTMP/perf.data" -- \
		node --perf-basic-prof "${work[@]}"
	measure "$BTMP/tierprof" "$TIERPROF" record -F "$FREQ" -o "$BTMP/tp.data" -- node "${work[@]}"
	rm -f "$BTMP"/isolate-*.log /tmp/perf-*.map.bench 2>/dev/null
	printf '.' >&2
done
echo >&2
pw=$(median "$BTMP/plain" 1)
pc=$(median "$BTMP/plain" 2)
printf '%-32s %8s %8s %10s\n' "" "wall s" "cpu s" "cpu ovh"
printf '%-32s %8s %8s %10s\n' "node (plain)" "$pw" "$pc" -
for t in flags perf tierprof; do
	[ -f "$BTMP/$t" ] || continue
	case $t in
	flags) label="node + tierprof's V8 flags" ;;
	perf) label="perf record -g, --perf-basic-prof" ;;
	tierprof) label="tierprof record" ;;
	esac
	printf '%-32s %8s %8s %10s\n' "$label" "$(median "$BTMP/$t" 1)" "$(median "$BTMP/$t" 2)" \
		"$(pct "$(median "$BTMP/$t" 2)" "$pc")"
done
if [ -n "$PERF" ]; then
	o_tp=$(awk -v a="$(median "$BTMP/tierprof" 2)" -v b="$pc" 'BEGIN { print a - b }')
	o_pf=$(awk -v a="$(median "$BTMP/perf" 2)" -v b="$pc" 'BEGIN { print a - b }')
	echo "ratio tierprof/perf, CPU overhead: $(div "$o_tp" "$o_pf")"
fi
