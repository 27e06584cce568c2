#!/usr/bin/env bash
# What zero-flag Java profiling costs, option by option: a fixed amount of
# work (tests/workloads/java) run plain; with each JVM option the HotSpot
# plugin can add, alone and as the plugin's modes add them (no sampling:
# their cost alone); under `perf record -g` with a perf map and frame
# pointers (what a perf user runs to get Java names: the anchor); and under
# `tierprof record` in the default (full) and light modes. Prints medians,
# each variant's CPU overhead over plain, and tierprof's overhead relative to
# perf's. No assertions.
#
#   bench/hotspot_launch.sh [BUILD_DIR]   (REPS=5; FREQ=999;
#                                           WORKLOADS="SteadyHot:0:700 RecompileLoop:0:200")
. "$(dirname "$0")/lib.sh"

FREQ=${FREQ:-999}
command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1 ||
	{ echo "java/javac not installed" >&2; exit 2; }
SRC=$(cd "$(dirname "$0")/../tests/workloads/java" && pwd)
javac -d "$BTMP/classes" "$SRC"/*.java || exit 2
D=-XX:+UnlockDiagnosticVMOptions
# tierprof's JVMTI agent (names of interpreted methods, written at exit).
AGENT=$(dirname "$TIERPROF")/plugins/hotspot-agent/libtierprof_jvmti.so
mkdir -p "$BTMP/agent"

# name|label|JVM options (one word each)
variants=(
	"plain|java (plain)|"
	"fp|+PreserveFramePointer|-XX:+PreserveFramePointer"
	"map|+DumpPerfMapAtExit|$D -XX:+DumpPerfMapAtExit"
	"logc|+LogCompilation (file)|$D -XX:+LogCompilation -XX:LogFile=$BTMP/hs.xml"
	"xlog|-Xlog:jit+compilation (file)|-Xlog:jit+compilation=debug:file=$BTMP/jit.log:uptimenanos,timenanos,tid"
	"agent|tierprof JVMTI agent alone|-agentpath:$AGENT=$BTMP/agent"
	"light|mode light: all its flags|-XX:+PreserveFramePointer $D -XX:+DumpPerfMapAtExit -agentpath:$AGENT=$BTMP/agent -Xlog:jit+compilation=debug:file=$BTMP/jit.log:uptimenanos,timenanos,tid"
	"full|mode full: all its flags|-XX:+PreserveFramePointer $D -XX:+DumpPerfMapAtExit -agentpath:$AGENT=$BTMP/agent -XX:+LogCompilation -XX:LogFile=$BTMP/hs.xml -Xlog:jit+compilation=debug:file=$BTMP/jit.log:uptimenanos,timenanos,tid"
)

cpu_info
echo "java: $(java -version 2>&1 | head -n 1); -F $FREQ; $REPS runs each, interleaved; medians"
for w in ${WORKLOADS:-SteadyHot:0:700 RecompileLoop:0:200}; do
	IFS=: read -r cls a1 a2 <<<"$w"
	work=(-cp "$BTMP/classes" "$cls" "$a1" "$a2")
	out=$BTMP/$cls
	mkdir -p "$out"
	java "${work[@]}" >/dev/null 2>&1
	cd "$BTMP" || exit 2
	for i in $(seq "$REPS"); do
		for v in "${variants[@]}"; do
			IFS='|' read -r name label opts <<<"$v"
			# shellcheck disable=SC2086 # one word per option
			measure "$out/$name" java $opts "${work[@]}"
		done
		[ -n "$PERF" ] && measure "$out/perf" "$PERF" record -F "$FREQ" -g -o "$BTMP/perf.data" -- \
			java -XX:+PreserveFramePointer "$D" -XX:+DumpPerfMapAtExit "${work[@]}"
		measure "$out/tierprof" "$TIERPROF" record -F "$FREQ" -o "$BTMP/tp.data" -- java "${work[@]}"
		TIERPROF_HOTSPOT_MODE=light measure "$out/tierprof-light" "$TIERPROF" record -F "$FREQ" \
			-o "$BTMP/tp.data" -- java "${work[@]}"
		rm -f "$BTMP"/hs.xml "$BTMP"/jit.log* "$BTMP"/perf.data* "$BTMP"/agent/* 2>/dev/null
		printf '.' >&2
	done
	echo >&2
	pc=$(median "$out/plain" 2)
	echo
	echo "workload: java $cls $a1 $a2"
	printf '%-36s %8s %8s %10s\n' "" "wall s" "cpu s" "cpu ovh"
	for v in "${variants[@]}" "perf|perf record -g, map + frame pointers|" \
		"tierprof|tierprof record (mode full)|" "tierprof-light|tierprof record (mode light)|"; do
		IFS='|' read -r name label opts <<<"$v"
		[ -f "$out/$name" ] || continue
		printf '%-36s %8s %8s %10s\n' "$label" "$(median "$out/$name" 1)" "$(median "$out/$name" 2)" \
			"$(pct "$(median "$out/$name" 2)" "$pc")"
	done
	if [ -n "$PERF" ]; then
		o_pf=$(awk -v a="$(median "$out/perf" 2)" -v b="$pc" 'BEGIN { print a - b }')
		for t in tierprof tierprof-light; do
			o=$(awk -v a="$(median "$out/$t" 2)" -v b="$pc" 'BEGIN { print a - b }')
			echo "ratio $t/perf, CPU overhead: $(div "$o" "$o_pf")"
		done
	fi
done
