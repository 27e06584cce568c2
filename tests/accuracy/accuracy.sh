#!/usr/bin/env bash
# Attribution accuracy: record programs whose true call structure is known
# (tests/accuracy/*.c, baseline.js) with tierprof and with perf, and compare
# every caller's inclusive share with the truth.
#
#   accuracy.sh TIERPROF ACC_DIR [--doc docs/accuracy.md] [--scale N]
#
# tierprof is read four ways: fp (the kernel's frame-pointer chain, what
# `perf record -g` sees), repair (the default: first frames repaired with CFI),
# dwarf (--call-graph dwarf: DWARF through native code, frame pointers through
# JIT code) and dstrict (the same capture read with --unwind dwarf-strict). perf columns come from `perf record -g` and
# `perf record --call-graph dwarf` on the same programs (n/a without perf).
# Each share must be within TOL points of the truth in the modes a case
# claims; the others are reported, not judged. --doc rewrites the table
# between the accuracy-table markers of that file. --scale multiplies the
# work (default 1: about 0.6 s per program and recording).
# Exit: 0 pass, 1 a claimed share is off, 77 perf_event_open not permitted.
set -u

TP=${1:?usage: accuracy.sh TIERPROF ACC_DIR [--doc FILE] [--scale N]}
ACC=${2:?usage: accuracy.sh TIERPROF ACC_DIR [--doc FILE] [--scale N]}
shift 2
DOC=""
SCALE=1
while [ $# -gt 0 ]; do
	case "$1" in
	--doc) DOC=$2; shift 2 ;;
	--scale) SCALE=$2; shift 2 ;;
	*) echo "accuracy.sh: unknown option '$1'" >&2; exit 2 ;;
	esac
done
SRC=$(cd "$(dirname "$0")" && pwd)
TOL=${TOL:-6}
FREQ=${FREQ:-499}
command -v jq >/dev/null || { echo "accuracy.sh: jq is required" >&2; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tp-accuracy.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
# Runtimes write logs into the working directory: keep them in ours.
TP=$(realpath "$TP") ACC=$(realpath "$ACC")
[ -n "$DOC" ] && DOC=$(realpath "$DOC")
cd "$TMP" || exit 1

if ! "$TP" record -o "$TMP/probe.data" -- true >"$TMP/probe.out" 2>&1; then
	if grep -q "perf_event_open" "$TMP/probe.out"; then
		echo "accuracy: perf_event_open not permitted here; skipping"
		exit 77
	fi
	cat "$TMP/probe.out"
	exit 1
fi
HAVE_PERF=0
if command -v perf >/dev/null &&
	perf record -q -o "$TMP/probe.perf" -- true >/dev/null 2>&1; then
	HAVE_PERF=1
fi

FAILED=0
ROWS=()

# fold_perf FILE: perf script output -> folded stacks (root first).
fold_perf()
{
	perf script -i "$1" -F comm,ip,sym 2>/dev/null | awk '
		/^[^ \t]/ { if (n) emit(); comm = $1; n = 0; next }
		/^[ \t]*$/ { if (comm != "") emit(); comm = ""; next }
		{ sub(/^[ \t]+[0-9a-f]+ /, ""); sub(/ \(.*\)$/, ""); f[n++] = $0 }
		function emit(   s, i) {
			s = comm
			for (i = n - 1; i >= 0; i--) s = s ";" f[i]
			c[s]++; n = 0
		}
		END { if (comm != "") emit(); for (s in c) print s " " c[s] }'
}

# The process's first frames: a stack holding one of them reached the root
# (__libc_start_call_main calls main; frame-pointer chains end there).
ROOT_RE='(__libc_start_call_main|__libc_start_main(_impl)?|start_thread|clone3?)'

# share FOLDED FUNC [DENOM]: % of the samples (or of those with a frame
# matching DENOM) whose stack holds a frame named FUNC (a whole word: JIT
# names carry file:line and tier marks after it).
share()
{
	awk -v fn="$2" -v den="${3:-}" '
		function has(stack, name,   n, i, a, re) {
			re = "(^|[^A-Za-z0-9_])" name "([^A-Za-z0-9_]|$)"
			n = split(stack, a, ";")
			for (i = 2; i <= n; i++) if (a[i] ~ re) return 1
			return 0
		}
		{
			cnt = $NF; st = $0; sub(/ [0-9]+$/, "", st)
			if (den != "" && !has(st, den)) next
			tot += cnt
			if (has(st, fn)) hit += cnt
		}
		END { if (tot) printf "%.1f\n", 100 * hit / tot; else print "n/a" }' "$1"
}

# record_all NAME DENOM CMD...: every recording of one program.
record_all()
{
	local name=$1
	shift 2
	"$TP" record -F "$FREQ" -o "$TMP/$name.tp" -- "$@" >"$TMP/$name.tp.out" 2>&1 ||
		{ echo "# $name: tierprof record failed"; cat "$TMP/$name.tp.out"; FAILED=1; }
	"$TP" record -F "$FREQ" --call-graph dwarf -o "$TMP/$name.tpd" -- "$@" \
		>"$TMP/$name.tpd.out" 2>&1 ||
		{ echo "# $name: tierprof record --call-graph dwarf failed"; FAILED=1; }
	"$TP" report --unwind fp -f folded "$TMP/$name.tp" >"$TMP/$name.fp" 2>/dev/null
	"$TP" report -f folded "$TMP/$name.tp" >"$TMP/$name.repair" 2>/dev/null
	"$TP" report -f folded "$TMP/$name.tpd" >"$TMP/$name.dwarf" 2>/dev/null
	"$TP" report --unwind dwarf-strict -f folded "$TMP/$name.tpd" >"$TMP/$name.dstrict" 2>/dev/null
	"$TP" report -f json "$TMP/$name.tp" >"$TMP/$name.json" 2>/dev/null
	"$TP" report -f json "$TMP/$name.tpd" >"$TMP/$name.d.json" 2>/dev/null
	echo "# $name: $(jq -r '.capture | "\(.samples) samples, \(.frameless_repaired) repaired, \(.lost) lost"' "$TMP/$name.json") (default);" \
		"$(jq -r '.capture | "\(.samples) samples, \(.dwarf_unwound) DWARF-unwound, \(.lost) lost"' "$TMP/$name.d.json") (--call-graph dwarf)"
	# node and java need their perf map flags under perf: the caller
	# records them.
	if [ "$HAVE_PERF" = 1 ] && [ "$1" != node ] && [ "$1" != java ]; then
		perf record -q -F "$FREQ" -g -o "$TMP/$name.pg" -- "$@" \
			>/dev/null 2>&1 && fold_perf "$TMP/$name.pg" >"$TMP/$name.perfg"
		perf record -q -F "$FREQ" --call-graph dwarf -o "$TMP/$name.pd" -- "$@" \
			>/dev/null 2>&1 && fold_perf "$TMP/$name.pd" >"$TMP/$name.perfd"
	fi
}

# check NAME DENOM "FUNC=TRUE ..." "MODES" [TOL]: table rows, and the claimed
# modes judged against the truth (within TOL points, default $TOL). FUNC "root" stands for the process's first frames
# (ROOT_RE): the share of stacks unwound all the way.
check()
{
	local name=$1 den=$2 spec=$3 modes=$4 tol=${5:-$TOL} item fn want col got row re label
	for item in $spec; do
		fn=${item%=*}
		want=${item#*=}
		re=$fn label="\`$fn\`"
		[ "$fn" = root ] && re=$ROOT_RE label="root reached"
		row="| $name | $label | $want |"
		for col in fp repair dwarf dstrict perfg perfd; do
			if [ -s "$TMP/$name.$col" ]; then
				got=$(share "$TMP/$name.$col" "$re" "$den")
			else
				got=n/a
			fi
			case " $modes " in
			*" $col "*)
				if [ "$got" = n/a ] ||
					! awk -v g="$got" -v w="$want" -v t="$tol" \
						'BEGIN { d = g - w; exit !(d <= t && d >= -t) }'; then
					echo "not ok - $name: $fn $got% in $col mode, true $want% (±$tol)"
					FAILED=1
					got="**$got** ✗"
				else
					echo "ok - $name: $fn $got% in $col mode, true $want%"
					got="$got ✓"
				fi
				;;
			esac
			row="$row $got |"
		done
		ROWS+=("$row")
	done
}

R1=$((40 * SCALE))
R3=$((120 * SCALE))

record_all leaves "" "$ACC/leaves" "$R1"
check leaves "" "caller_one=16.7 caller_two=33.3 caller_three=50.0 hot_leaf=100" \
	"repair dwarf perfd"

record_all nofp "" "$ACC/nofp" "$R1"
check nofp "" "lib_one=16.7 lib_three=50.0 nofp_outer=66.7 cb_two=33.3 callback=33.3" \
	"dwarf perfd"

record_all recurse "" "$ACC/recurse" "$R3"
check recurse "" "shallow=50.0 deep=50.0 descend=100" "fp repair dwarf perfg"

record_all sighandler "" "$ACC/sighandler" "$R3"
check sighandler "" "on_signal=50.0 interrupted=100" "dwarf"

# Debian's own libraries without frame pointers: glibc's qsort calling back a
# hot comparator, and zlib's deflate.
record_all libc_qsort "" "$ACC/libc_qsort" $((30 * SCALE))
check libc_qsort "" "sort_one=25.0 sort_three=75.0 cmp_heavy=97 root=100" "dwarf dstrict perfd"

record_all zlib_calls "" "$ACC/zlib_calls" $((120 * SCALE))
check zlib_calls "" "compress_one=25.0 compress_three=75.0 compress2=97 root=100" \
	"dwarf dstrict perfd"

if command -v pypy3 >/dev/null; then
	# libpypy is stripped and has no frame pointers, but has .eh_frame: with
	# the JIT off every sample is in it, and DWARF reaches the root, but
	# for the stacks deeper than kernel.perf_event_max_stack (127 frames,
	# the walk's limit too): 8 to 13 % are cut there (truncated). vmprof
	# is off: these cases measure the native walk, whose frames vmprof's
	# Python stacks would otherwise replace (docs/runtimes/pypy.md).
	TIERPROF_PYPY_VMPROF=0 record_all pypy_nojit "" pypy3 --jit off "$SRC/../workloads/pypy/steady.py" "$SCALE"
	check pypy_nojit "" "root=100" "dwarf dstrict" 15
	if [ -n "$DOC" ]; then
		# with the JIT on, most samples are in JIT code (no CFI, and rbp
		# is not a frame pointer there): measured, not judged
		TIERPROF_PYPY_VMPROF=0 record_all pypy_jit "" pypy3 "$SRC/../workloads/pypy/steady.py" "$SCALE"
		check pypy_jit "" "root=100" ""
	fi
else
	echo "# pypy3 not installed: its cases are left out"
fi

if command -v node >/dev/null; then
	# perf needs the runtime's perf map; tierprof's V8 plugin adds it itself.
	NODE_ARGS=(--no-opt --no-maglev "$SRC/baseline.js" $((500 * SCALE)))
	record_all node "baseline.js" node "${NODE_ARGS[@]}"
	if [ "$HAVE_PERF" = 1 ]; then
		perf record -q -F "$FREQ" -g -o "$TMP/node.pg" -- node --perf-basic-prof \
			"${NODE_ARGS[@]}" >/dev/null 2>&1 && fold_perf "$TMP/node.pg" >"$TMP/node.perfg"
		# perf takes minutes to unwind node's DWARF samples: only for the doc.
		if [ -n "$DOC" ]; then
			perf record -q -F "$FREQ" --call-graph dwarf -o "$TMP/node.pd" -- node \
				--perf-basic-prof "${NODE_ARGS[@]}" >/dev/null 2>&1 &&
				fold_perf "$TMP/node.pd" >"$TMP/node.perfd"
		fi
	fi
	check node "baseline.js" "callerOne=25.0 callerThree=75.0 work=97" "repair dwarf"
	check node "" "root=100" "dwarf"
else
	echo "# node not installed: the baseline case is left out"
fi

if [ -n "$DOC" ] && command -v javac >/dev/null &&
	javac -d "$TMP/java" "$SRC/../workloads/java/SteadyHot.java" 2>/dev/null; then
	# Java only for the doc (the JVM's start-up is slow): how many stacks
	# reach the root through C2 code (-XX:+PreserveFramePointer, added by
	# the HotSpot plugin) and the JVM's own libraries.
	JAVA_ARGS=(-cp "$TMP/java" SteadyHot $((1500 * SCALE)))
	record_all java "" java "${JAVA_ARGS[@]}"
	if [ "$HAVE_PERF" = 1 ]; then
		perf record -q -F "$FREQ" -g -o "$TMP/java.pg" -- java -XX:+PreserveFramePointer \
			"${JAVA_ARGS[@]}" >/dev/null 2>&1 && fold_perf "$TMP/java.pg" >"$TMP/java.perfg"
	fi
	check java "" "root=100" ""
fi

TABLE=$(
	echo "| program | function | true % | tierprof fp | tierprof (default: repair) | tierprof --call-graph dwarf | tierprof --unwind dwarf-strict | perf -g | perf --call-graph dwarf |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
	printf '%s\n' "${ROWS[@]}"
)
echo
echo "$TABLE"
if [ -n "$DOC" ]; then
	awk -v table="$TABLE" '
		/<!-- accuracy-table:begin -->/ { print; print table; skip = 1; next }
		/<!-- accuracy-table:end -->/ { skip = 0 }
		!skip' "$DOC" >"$TMP/doc" && cat "$TMP/doc" >"$DOC"
	echo "# table written to $DOC"
fi
[ "$FAILED" = 0 ] && echo "accuracy: passed" || echo "accuracy: FAILED"
exit "$FAILED"
