#!/usr/bin/env bash
# Cost of unwinding: the same -O2 program (tests/accuracy/nofp: hot leaves,
# a library without frame pointers) recorded with plain frame pointers
# (--call-graph fp,0), the default first-frame repair (fp: 512-byte stack
# slices) and --call-graph dwarf (8 KB), and by perf -g and perf
# --call-graph dwarf. Prints the capture size per sample and the median time
# of `tierprof report` against `perf report` on each, with the ratios to plain
# frame pointers.
#
#   bench/unwind_cost.sh [BUILD_DIR]      (REPS=5 by default)
. "$(dirname "$0")/lib.sh"

PROG=$BUILD/tests/accuracy/nofp
[ -x "$PROG" ] || { echo "no $PROG: build first" >&2; exit 2; }
F=${FREQ:-999}
ROUNDS=${ROUNDS:-150}

rec() # NAME ARGS...
{
	local name=$1
	shift
	"$TIERPROF" record -F "$F" "$@" -o "$BTMP/$name.data" -- "$PROG" "$ROUNDS" >/dev/null 2>&1
}
rec plain --call-graph fp,0
rec repair
rec dwarf --call-graph dwarf
samples() { "$TIERPROF" report -f json "$1" 2>/dev/null | jq '.capture.samples'; }

printf '%-28s %8s %10s %12s %8s\n' "report of" samples "bytes/smp" "median s" "x plain"
base=
for m in plain repair dwarf; do
	: >"$BTMP/t.$m"
	for _ in $(seq "$REPS"); do
		measure "$BTMP/t.$m" "$TIERPROF" report -f json -o /dev/null "$BTMP/$m.data"
	done
	s=$(samples "$BTMP/$m.data")
	sz=$(stat -c %s "$BTMP/$m.data")
	t=$(median "$BTMP/t.$m" 1)
	[ -z "$base" ] && base=$t
	printf '%-28s %8s %10s %12s %8s\n' "tierprof $m" "$s" $((sz / (s ? s : 1))) "$t" \
		"$(awk -v a="$t" -v b="$base" 'BEGIN { printf "%.2f", a / b }')"
done
if [ -n "$PERF" ]; then
	for m in fp dwarf; do
		"$PERF" record -q -F "$F" --call-graph "$m" -o "$BTMP/perf.$m" -- "$PROG" "$ROUNDS" \
			>/dev/null 2>&1 || continue
		: >"$BTMP/pt.$m"
		for _ in $(seq "$REPS"); do
			measure "$BTMP/pt.$m" "$PERF" report -i "$BTMP/perf.$m" --stdio --children
		done
		s=$("$PERF" script -i "$BTMP/perf.$m" -F period 2>/dev/null | wc -l)
		sz=$(stat -c %s "$BTMP/perf.$m")
		t=$(median "$BTMP/pt.$m" 1)
		printf '%-28s %8s %10s %12s %8s\n' "perf report ($m)" "$s" \
			"$(awk -v z="$sz" -v s="$s" 'BEGIN { n = s + 0; if (n < 1) n = 1; printf "%d", z / n }')" \
			"$t" "$(awk -v a="$t" -v b="$base" 'BEGIN { printf "%.2f", a / b }')"
	done
fi
