#!/usr/bin/env bash
# What the PyPy plugin's launch costs: a fixed PyPy workload
# (tests/workloads/pypy/fixed.py: a steady loop, 300 invalidated loops, eval
# calls the JIT gives up on) run plain, with only the plugin's startup hook
# and PYPYLOG, the same plus PyPy's vmprof sampler (what `tierprof record`
# adds, without its own sampling), under `perf record -F 999 -g`, and under
# `tierprof record -F 999` with and without vmprof (TIERPROF_PYPY_VMPROF=0).
# Prints medians of CPU (user+sys) and wall time and the ratios to plain. No
# assertions.
#
#   bench/pypy_overhead.sh [BUILD_DIR]        (default ./build; REPS=5 runs each)
. "$(dirname "$0")/lib.sh"

FREQ=${FREQ:-999}
PYPY=${PYPY:-pypy3}
command -v "$PYPY" >/dev/null 2>&1 || { echo "no $PYPY on PATH" >&2; exit 2; }
HOOK=$BUILD/plugins/pypy-hook
[ -f "$HOOK/sitecustomize.py" ] || { echo "no startup hook in $HOOK: build first" >&2; exit 2; }
SRC=$(cd "$(dirname "$0")/.." && pwd)
work=("$PYPY" "$SRC/tests/workloads/pypy/fixed.py" "${SCALE:-1}")
CATS=jit-summary,jit-backend-addr,jit-invalidate-quasi-immutable,jit-abort-longest-function

hooked() # VMPROF(0|1)
{
	mkdir -p "$BTMP/side$1" && rm -f "$BTMP/side$1"/*
	env PYTHONPATH="$HOOK" TIERPROF_PYPY_OUT="$BTMP/side$1" TIERPROF_PYPY_VMPROF="$1" \
		PYPYLOG="$CATS:$BTMP/side$1/pypylog-%d.log" "${work[@]}"
}

cpu_info
echo "workload: ${work[*]}; -F $FREQ; $REPS runs each, interleaved; medians"
"${work[@]}" >/dev/null 2>&1 # warm the page cache
for i in $(seq "$REPS"); do
	measure "$BTMP/plain" "${work[@]}"
	measure "$BTMP/hook" hooked 0
	measure "$BTMP/vmprof" hooked 1
	[ -n "$PERF" ] && measure "$BTMP/perf" "$PERF" record -F "$FREQ" -g -o "$BTMP/perf.data" -- "${work[@]}"
	measure "$BTMP/tierprof" "$TIERPROF" record -F "$FREQ" -o "$BTMP/tp.data" -- "${work[@]}"
	measure "$BTMP/tpnovm" env TIERPROF_PYPY_VMPROF=0 "$TIERPROF" record -F "$FREQ" \
		-o "$BTMP/tp0.data" -- "${work[@]}"
	printf '.' >&2
done
echo >&2

pw=$(median "$BTMP/plain" 1)
pc=$(median "$BTMP/plain" 2)
printf '%-22s %8s %8s %10s %10s\n' "" "wall s" "cpu s" "cpu/plain" "wall/plain"
printf '%-22s %8s %8s %10s %10s\n' plain "$pw" "$pc" 1.00 1.00
for t in hook vmprof perf tierprof tpnovm; do
	[ -s "$BTMP/$t" ] || continue
	w=$(median "$BTMP/$t" 1)
	c=$(median "$BTMP/$t" 2)
	label=$t
	[ "$t" = hook ] && label="hook + PYPYLOG"
	[ "$t" = perf ] && label="perf record -g"
	[ "$t" = vmprof ] && label="hook+PYPYLOG+vmprof"
	[ "$t" = tierprof ] && label="tierprof record"
	[ "$t" = tpnovm ] && label="tierprof, no vmprof"
	printf '%-22s %8s %8s %10s %10s\n' "$label" "$w" "$c" "$(div "$c" "$pc")" "$(div "$w" "$pw")"
done
for v in 0 1; do
	ls -l "$BTMP/side$v" | awk -v v="$v" 'NR > 1 { s += $5 }
		END { printf "side files of one hooked run (vmprof %s): %.1f KB\n", v ? "on" : "off", s / 1024 }'
done
