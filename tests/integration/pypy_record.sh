#!/usr/bin/env bash
# A real PyPy under `tierprof record`: the plugin's startup hook names its JIT
# loops (steady loop: optimized, named by the Python function), a loop PyPy
# keeps throwing away on a class write is flagged a deopt loop with the
# quasi-immutable field and its process JIT churn (freed ≈ compiled), a
# function whose traces always abort is flagged, jit-summary figures reach the
# report, the interpreted function is named from PyPy's vmprof stacks and
# flagged interpreter-dominated, JIT samples get their Python callers from
# vmprof, and the program sees nothing of it (stdout, sys.argv, sys.path,
# PYTHONPATH, exit code).
. "$(dirname "$0")/lib.sh"
require_perf
PYPY=${PYPY:-pypy3}
command -v "$PYPY" >/dev/null 2>&1 || { echo "# $PYPY not installed: skip"; exit 77; }
PW=$(cd "$(dirname "$0")/../workloads/pypy" && pwd)

record_pypy() # NAME SCRIPT ARGS...: record, report json into $TMP/NAME.json
{
	local name=$1
	shift
	"$TP" record -F 199 -o "$TMP/$name.data" -- "$PYPY" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" ||
		{ fail "record $name"; show "$TMP/$name.err"; return 1; }
	"$TP" report -f json -o "$TMP/$name.json" "$TMP/$name.data" 2>"$TMP/$name.rep" ||
		{ fail "report $name"; show "$TMP/$name.rep"; return 1; }
	"$TP" report -o "$TMP/$name.txt" "$TMP/$name.data" 2>/dev/null
}

# 1. A steady JIT loop: optimized, named "hot_sum (steady.py:6)".
if record_pypy steady "$PW/steady.py" 3; then
	samples=$(jq '.capture.samples' "$TMP/steady.json")
	hot=$(jq '[.functions[] | select(.name == "hot_sum (steady.py:6)") | .self_tiers.optimized] | add // 0' "$TMP/steady.json")
	note "steady: samples=$samples hot_sum optimized self=$hot"
	[ "$hot" -gt 0 ] && [ $((2 * hot)) -ge "$samples" ] &&
		pass "steady: hot_sum's JIT loop named, optimized, most samples" ||
		{ fail "steady: hot_sum optimized self $hot of $samples"; show "$TMP/steady.txt"; }
	[ "$(jq '[.findings[] | select(.kind == "deopt-loop")] | length' "$TMP/steady.json")" -eq 0 ] &&
		pass "steady: no deopt loop" || fail "steady: a deopt loop was flagged"
	[ "$(jq '.jit_churn | length' "$TMP/steady.json")" -eq 0 ] && ! grep -q "JIT CHURN" "$TMP/steady.txt" &&
		pass "steady: no JIT churn" || fail "steady: JIT churn flagged"
	[ "$(jq '[.functions[] | select(.name == "hot_sum (steady.py:6)") | .flags[]] | length' "$TMP/steady.json")" -eq 0 ] &&
		pass "steady: hot_sum not flagged (vmprof names no interpreted time for it)" ||
		{ fail "steady: hot_sum flagged"; show "$TMP/steady.txt"; }
	loops=$(jq '[.capture.processes[].stats[] | select(.name == "loops compiled") | .value] | add // 0' "$TMP/steady.json")
	[ "${loops%.*}" -ge 1 ] && grep -q "loops compiled" "$TMP/steady.txt" &&
		pass "steady: jit-summary figures in json ($loops loops) and text" ||
		{ fail "steady: no jit-summary figures"; show "$TMP/steady.txt"; }
	# hot_sum's JIT samples get their Python callers from vmprof's JIT
	# samples: their stacks reach <module> instead of starting in [unknown]
	# (on the dev VM: 593 of 594; none before).
	"$TP" report -f folded -o "$TMP/steady.folded" "$TMP/steady.data" 2>/dev/null
	read -r leaf called < <(awk '$0 ~ /;hot_sum \(steady\.py:6\) [0-9]+$/ { n += $NF;
		if (index($0, ";<module> (steady.py:3);main (steady.py:13);")) c += $NF }
		END { print n + 0, c + 0 }' "$TMP/steady.folded")
	given=$(jq '[.capture.processes[].stats[] | select(.name == "JIT samples given callers by them") | .value] | add // 0' "$TMP/steady.json")
	note "steady: hot_sum leaf samples=$leaf, under <module>;main=$called; JIT samples given callers=$given"
	[ "$leaf" -gt 0 ] && [ $((2 * called)) -ge "$leaf" ] && [ "${given%.*}" -gt 0 ] &&
		pass "steady: most hot_sum JIT samples have their Python callers (<module>;main)" ||
		{ fail "steady: hot_sum callers in $called of $leaf samples"; show "$TMP/steady.txt"; }
	grep -qx "steady True" "$TMP/steady.out" && [ "$(wc -l <"$TMP/steady.out")" -eq 1 ] &&
		pass "steady: the program's stdout is its own" || fail "steady: stdout changed"
fi

# 2. An invalidation loop: flagged, with PyPy's quasi-immutable field.
if record_pypy invalidate "$PW/invalidate.py" 3; then
	f='.findings[] | select(.kind == "deopt-loop" and (.function | startswith("scaled_sum (invalidate.py:12)")))'
	cycles=$(jq "[$f | .deopts.cycles] | add // 0" "$TMP/invalidate.json")
	reason=$(jq -r "[$f | .deopts.reasons | keys[]] | first // \"\"" "$TMP/invalidate.json")
	note "invalidate: cycles=$cycles reason='$reason'"
	[ "$cycles" -ge 3 ] && [[ "$reason" == *"quasi-immutable field"* ]] &&
		pass "invalidate: scaled_sum flagged deopt-loop ($cycles cycles, $reason)" ||
		{ fail "invalidate: no deopt loop for scaled_sum"; show "$TMP/invalidate.txt"; }
	# Nearly every loop is thrown away: the jit-summary figures say so and
	# the report flags the process (on the dev VM: 1424 of 1504 freed).
	compiled=$(jq '[.capture.processes[].stats[] | select(.name == "loops compiled") | .value] | add // 0' "$TMP/invalidate.json")
	freed=$(jq '[.capture.processes[].stats[] | select(.name == "loops freed") | .value] | add // 0' "$TMP/invalidate.json")
	churn=$(jq -r '[.jit_churn[] | select(.runtime == "pypy") | "\(.loops_freed)/\(.loops_compiled)"] | first // ""' "$TMP/invalidate.json")
	note "invalidate: loops compiled=$compiled freed=$freed jit_churn='$churn'"
	[ -n "$churn" ] && grep -q "JIT CHURN \[pypy\] pid [0-9]*: .* compiled loops freed again" "$TMP/invalidate.txt" &&
		pass "invalidate: JIT churn flagged ($churn loops freed) in json and text" ||
		{ fail "invalidate: no JIT churn (loops compiled $compiled, freed $freed)"; show "$TMP/invalidate.txt"; }
fi

# 3. A function whose traces always abort: flagged jit-aborts; its time is
# in the (stripped) interpreter, which the report says.
if record_pypy aborts "$PW/aborts.py" 3; then
	f='.findings[] | select(.kind == "jit-aborts" and (.function | startswith("eval_sum")))'
	aborts=$(jq "[$f | .deopts.aborts] | add // 0" "$TMP/aborts.json")
	interp=$(jq '.tiers.interpreter' "$TMP/aborts.json")
	samples=$(jq '.capture.samples' "$TMP/aborts.json")
	note "aborts: eval_sum aborts=$aborts interpreter=$interp of $samples"
	[ "$aborts" -ge 5 ] && pass "aborts: eval_sum flagged jit-aborts ($aborts)" ||
		{ fail "aborts: eval_sum not flagged"; show "$TMP/aborts.txt"; }
	[ $((2 * interp)) -ge "$samples" ] &&
		pass "aborts: most samples in the interpreter" || fail "aborts: interpreter $interp of $samples"
	jq -e '.unknown.causes[] | select(.hint | test("libpypy.*stripped"))' "$TMP/aborts.json" >/dev/null &&
		pass "aborts: the report says libpypy is stripped" || fail "aborts: no stripped-libpypy hint"
	# libpypy's samples named by the Python function vmprof saw it interpret.
	own=$(jq '[.functions[] | select(.name == "eval_sum (aborts.py:8)") | .self_tiers.interpreter] | add // 0' "$TMP/aborts.json")
	named=$(jq '[.capture.processes[].stats[] | select(.name == "native samples named by them") | .value] | add // 0' "$TMP/aborts.json")
	note "aborts: eval_sum interpreter self=$own of $samples; libpypy samples named from vmprof=$named"
	jq -e '.findings[] | select(.kind == "interpreter-dominated" and .function == "eval_sum (aborts.py:8)")' \
		"$TMP/aborts.json" >/dev/null && [ $((3 * own)) -ge "$samples" ] &&
		pass "aborts: eval_sum flagged interpreter-dominated by its Python name ($own samples)" ||
		{ fail "aborts: eval_sum not interpreter-dominated ($own of $samples)"; show "$TMP/aborts.txt"; }
	grep -q "interpreted (vmprof)" "$TMP/aborts.txt" &&
		pass "aborts: the text report says the tier came from vmprof" ||
		fail "aborts: no vmprof sub-tier in the text report"
fi

# 3b. TIERPROF_PYPY_VMPROF=0: no vmprof, libpypy stays one function.
if TIERPROF_PYPY_VMPROF=0 record_pypy aborts0 "$PW/aborts.py" 1; then
	own=$(jq '[.functions[] | select(.name == "eval_sum (aborts.py:8)") | .self] | add // 0' "$TMP/aborts0.json")
	[ "$own" -eq 0 ] && ! jq -e '.capture.processes[].stats[] | select(.name == "vmprof samples")' \
		"$TMP/aborts0.json" >/dev/null &&
		pass "aborts, TIERPROF_PYPY_VMPROF=0: no vmprof stacks" ||
		fail "aborts, TIERPROF_PYPY_VMPROF=0: eval_sum self $own"
fi

# 4. The program sees nothing of the hook: argv, sys.path, environment,
# __main__, exit code, an existing PYTHONPATH.
cat >"$TMP/probe.py" <<'PY'
import os, sys
print(sys.argv[1:], __name__, [p for p in sys.path if "pypy-hook" in p],
      os.environ.get("PYTHONPATH"), "PYPYLOG" in os.environ,
      [k for k in os.environ if k.startswith("TIERPROF")])
sys.exit(3)
PY
want=$(cd "$TMP" && PYTHONPATH=/opt/x "$PYPY" probe.py a 'b c')
got=$(cd "$TMP" && PYTHONPATH=/opt/x "$TP" record -o "$TMP/p.data" -- "$PYPY" probe.py a 'b c' 2>/dev/null)
rc=$?
note "plain: $want"
note "under tierprof: $got"
[ "$got" = "$want" ] && [ "$rc" -eq 3 ] &&
	pass "probe: same argv, __main__, sys.path, environment and exit code as without tierprof" ||
	fail "probe: got '$got' rc=$rc, want '$want' rc=3"
finish
