#!/usr/bin/env bash
# How large the user-stack slice of --call-graph must be: records the accuracy
# programs, node, java and pypy3 with a large slice (fp,16384 and dwarf,65528),
# asks `tierprof stack-usage` how many bytes each sample's unwinding read and
# which sizes would have unwound it the same, then records a busy
# multi-threaded program at each candidate size to show the price (bytes per
# sample, samples lost when the ring fills) at 999 Hz and at RATES.
#
#   bench/stack_size.sh [BUILD_DIR]      (default ./build; about 4 minutes)
#
# Environment: FREQ (measurement rate, default 999), RATES (cost rates,
# default "999 4999 9999"), SECONDS_PER (cost run length, default 2).
# Prints three markdown tables (docs/accuracy.md, "Stack slice size").
. "$(dirname "$0")/lib.sh"
ACC=$BUILD/tests/accuracy
SRC=$(cd "$(dirname "$0")/.." && pwd)
FREQ=${FREQ:-999}
RATES=${RATES:-"999 4999 9999"}
SECONDS_PER=${SECONDS_PER:-2}
command -v jq >/dev/null || { echo "stack_size.sh: jq is required" >&2; exit 2; }
cd "$BTMP" || exit 2

# Each workload: NAME and its command line.
WORKLOADS=()
add() { WORKLOADS+=("$1"); eval "CMD_$1=(\"\${@:2}\")"; }
add leaves "$ACC/leaves" 150
add nofp "$ACC/nofp" 150
add recurse "$ACC/recurse" 450
add sighandler "$ACC/sighandler" 450
if command -v node >/dev/null; then
	add node_baseline node --no-opt --no-maglev "$SRC/tests/accuracy/baseline.js" 3000
	add node_steady node "$SRC/tests/workloads/node/steady.js" 600
	add node_deopt node "$SRC/tests/workloads/node/deopt_loop.js"
fi
if command -v javac >/dev/null &&
	javac -d "$BTMP/java" "$SRC/tests/workloads/java/SteadyHot.java" 2>/dev/null; then
	add java_steady java -cp "$BTMP/java" SteadyHot 2500
fi
command -v pypy3 >/dev/null && add pypy_steady pypy3 "$SRC/tests/workloads/pypy/steady.py" 2.5

# record NAME CALLGRAPH OUT: one recording with a ring large enough to lose
# nothing at the measurement rate.
record()
{
	local -n cmd="CMD_$1"
	"$TIERPROF" record -F "$FREQ" --mmap-pages 2048 --call-graph "$2" -o "$3" -- "${cmd[@]}" \
		>"$3.out" 2>&1 || { echo "warning: recording $1 ($2) failed:" >&2; tail -3 "$3.out" >&2; }
}

sizes_cols() { jq -r '[.same_percent | to_entries[] | "\(.key)=\(.value | . * 10 | round / 10)"] | join(" ")' "$1"; }

REPAIR_ROWS=()
DWARF_ROWS=()
for w in "${WORKLOADS[@]}"; do
	record "$w" fp,16384 "$w.fp"
	record "$w" dwarf,65528 "$w.dw"
	"$TIERPROF" stack-usage -f json "$w.fp" >"$w.fp.json" 2>/dev/null
	"$TIERPROF" stack-usage -f json "$w.dw" >"$w.dw.json" 2>/dev/null
	"$TIERPROF" stack-usage -f json --unwind dwarf-strict "$w.dw" >"$w.ds.json" 2>/dev/null
	REPAIR_ROWS+=("$(jq -r --arg w "$w" '
		def p(s): if .repair.samples > 0 then .repair[s] else "-" end;
		def k(s): if .repaired > 0 then (.same_percent[s] // 100) | . * 10 | round / 10 else "-" end;
		"| \($w) | \(.samples) | \(.repaired) | \(p("p50")) | \(p("p90")) | \(p("p99")) | \(p("max")) | \(k("256")) | \(k("512")) | \(k("1024")) | \(k("2048")) | \(k("4096")) |"' "$w.fp.json")")
	for m in dw ds; do
		DWARF_ROWS+=("$(jq -r --arg w "$w" '
			def k(s): (.same_percent[s] // 100) | . * 10 | round / 10;
			def j(s): if .to_jit.samples > 0 then .to_jit[s] else "-" end;
			"| \($w) | \(.mode) | \(.samples) | \(.walk.p50) | \(.walk.p90) | \(.walk.p99) | \(.walk.max) | \(j("p90")) | \(.stops.root * 1000 / .samples | round / 10) | \(k("4096")) | \(k("8192")) | \(k("16384")) | \(k("32768")) |"' "$w.$m.json")")
	done
done

echo "Stack bytes the first-frame repair read (samples it repaired), and the share"
echo "of those repairs a smaller slice keeps (recorded with fp,16384 at $FREQ Hz):"
echo
echo "| workload | samples | repaired | p50 | p90 | p99 | max | 256 | 512 | 1024 | 2048 | 4096 |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${REPAIR_ROWS[@]}"
echo
echo "Stack bytes a whole DWARF walk read (p50..max), to a JIT caller (p90: samples"
echo "whose first JIT frame is not the leaf), walks whose own end is the root (%,"
echo "before mixed mode continues a walk with the kernel's chain), and the share of"
echo "samples a smaller slice unwinds the same (recorded with dwarf,65528 at $FREQ Hz):"
echo
echo "| workload | mode | samples | p50 | p90 | p99 | max | JIT p90 | root % | 4096 | 8192 | 16384 | 32768 |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${DWARF_ROWS[@]}"

# The price: threads (4 busy threads) at each size and rate, default ring.
echo
echo "Cost per size: bytes per sample and samples lost by the kernel (ring full) on"
echo "4 busy threads for ${SECONDS_PER} s each, default ring (--mmap-pages 256):"
echo
HDR="| call graph | bytes/sample |"
SEP="|---|---:|"
for r in $RATES; do HDR="$HDR lost at $r Hz |"; SEP="$SEP---:|"; done
echo "$HDR"
echo "$SEP"
for cg in fp,0 fp,256 fp,512 fp,1024 fp,2048 dwarf,4096 dwarf,8192 dwarf,16384 dwarf,32768 dwarf,65528; do
	row="| $cg |"
	first=1
	for r in $RATES; do
		"$TIERPROF" record -F "$r" --call-graph "$cg" -o cost.tp -- "$WL/threads" 4 "$SECONDS_PER" \
			>cost.out 2>&1
		"$TIERPROF" report -f json cost.tp >cost.json 2>/dev/null
		if [ "$first" = 1 ]; then
			row="$row $(jq -r --arg sz "$(stat -c %s cost.tp)" '.capture | ($sz | tonumber) / (.samples + .lost) | round' cost.json) |"
			first=0
		fi
		row="$row $(jq -r '.capture | "\(.lost) of \(.samples + .lost)"' cost.json) |"
	done
	echo "$row"
done
