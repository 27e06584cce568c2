#!/usr/bin/env bash
# The V8 plugin on real node processes, with no flags from the user:
# tiers per frame cross-checked with V8's own %GetOptimizationStatus, a deopt
# loop flagged with V8's reason, an optimized function left alone, a function
# TurboFan refuses flagged, worker threads and forked children named, and the
# program's own output untouched.
. "$(dirname "$0")/lib.sh"
require_perf
command -v node >/dev/null 2>&1 || { echo "# node not installed: skip"; exit 77; }
NODE_WL=$(cd "$(dirname "$0")/../workloads/node" && pwd)

# record NAME SCRIPT [ARGS...]: capture in $TMP/NAME.data, report in NAME.json
record()
{
	local name=$1
	shift
	( cd "$TMP" && "$TP" record -F 999 -o "$TMP/$name.data" -- node "$@" ) \
		>"$TMP/$name.out" 2>"$TMP/$name.err" || { fail "record $name"; show "$TMP/$name.err"; return 1; }
	"$TP" report -f json -o "$TMP/$name.json" "$TMP/$name.data" 2>"$TMP/$name.rep" ||
		{ fail "report $name"; show "$TMP/$name.rep"; return 1; }
}
# own NAME FUNC TIER: own samples of FUNC (display name prefix) in TIER
own() { jq --arg f "$2 " --arg t "$3" '[.functions[] | select(.name | startswith($f)) | .own_tiers[$t]] | add // 0' "$TMP/$1.json"; }
owntotal() { jq --arg f "$2 " '[.functions[] | select(.name | startswith($f)) | .own] | add // 0' "$TMP/$1.json"; }
flags() { jq -r --arg f "$2 " '[.functions[] | select(.name | startswith($f)) | .flags[]] | unique | join(",")' "$TMP/$1.json"; }

# --- V8's own view of the two functions ---
node --allow-natives-syntax "$NODE_WL/opt_status.js" >"$TMP/status.json" 2>&1 ||
	fail "node --allow-natives-syntax opt_status.js"
v8_steady=$(jq -r '.steadyLoop.turbofan' "$TMP/status.json")
v8_huge_tf=$(jq -r '.hugeRules.turbofan' "$TMP/status.json")
note "V8 says: steadyLoop turbofan=$v8_steady, hugeRules turbofan=$v8_huge_tf"

# --- steady: optimized, not flagged ---
if record steady "$NODE_WL/steady.js"; then
	opt=$(own steady steadyLoop optimized)
	tot=$(owntotal steady steadyLoop)
	note "steadyLoop own: $opt optimized of $tot"
	[ "$v8_steady" = true ] && [ "$tot" -gt 50 ] && [ $((10 * opt)) -ge $((9 * tot)) ] &&
		pass "steadyLoop optimized (TurboFan) in tierprof as in V8" ||
		fail "steadyLoop: $opt optimized of $tot own samples (V8: turbofan=$v8_steady)"
	[ -z "$(flags steady steadyLoop)" ] && pass "steadyLoop not flagged" ||
		fail "steadyLoop flagged: $(flags steady steadyLoop)"
	sub=$(jq -r '[.functions[] | select(.name | startswith("steadyLoop ")) | .key] | first' "$TMP/steady.json")
	case "$sub" in *steady.js:*) pass "function identity carries its script position ($sub)" ;;
	*) fail "steadyLoop key '$sub'" ;; esac
	cmp -s "$TMP/steady.out" <(node "$NODE_WL/steady.js") &&
		pass "program stdout unchanged under tierprof" || fail "stdout differs under tierprof"
	grep -q 'bailout\|marking' "$TMP/steady.out" "$TMP/steady.err" &&
		fail "V8 trace lines leaked into the program's output" || pass "no V8 trace lines in the output"
	ls "$TMP"/isolate-*.log >/dev/null 2>&1 && fail "V8 log files left in the working directory" ||
		pass "working directory left clean"
fi

# --- big function: TurboFan refuses it; interpreter-dominated ---
if record big "$NODE_WL/big_function.js"; then
	tot=$(owntotal big hugeRules)
	low=$(( $(own big hugeRules interpreter) + $(own big hugeRules baseline) ))
	note "hugeRules own: $low interpreter+baseline of $tot"
	[ "$v8_huge_tf" = false ] && [ "$tot" -gt 50 ] && [ $((10 * low)) -ge $((9 * tot)) ] &&
		pass "hugeRules below the optimizing tier in tierprof as in V8" ||
		fail "hugeRules: $low lower-tier of $tot (V8: turbofan=$v8_huge_tf)"
	case "$(flags big hugeRules)" in *interpreter-dominated*) pass "hugeRules flagged interpreter-dominated" ;;
	*) fail "hugeRules flags '$(flags big hugeRules)'"; show "$TMP/big.json" 60 ;; esac
	"$TP" report "$TMP/big.data" >"$TMP/big.txt" 2>&1
	head -n 20 "$TMP/big.txt" | grep -q 'INTERPRETER-DOMINATED: hugeRules' &&
		pass "text report leads with the finding" || { fail "finding not at the top"; show "$TMP/big.txt" 20; }
fi

# --- deopt loop: flagged with V8's reason ---
if record loop "$NODE_WL/deopt_loop.js"; then
	case "$(flags loop sumAreas)" in *deopt-loop*) pass "sumAreas flagged deopt-loop" ;;
	*) fail "sumAreas flags '$(flags loop sumAreas)'"; show "$TMP/loop.json" 80 ;; esac
	reason=$(jq -r '[.deopt_loops[] | select(.function | startswith("sumAreas ")) | .reasons | keys[]] | first // ""' "$TMP/loop.json")
	cycles=$(jq '[.deopt_loops[] | select(.function | startswith("sumAreas ")) | .cycles] | first // 0' "$TMP/loop.json")
	note "sumAreas: $cycles cycles, reason '$reason'"
	[ "$reason" = "code dependencies" ] && [ "$cycles" -ge 10 ] &&
		pass "deopt loop reason and cycles from V8's log" || fail "reason '$reason', cycles $cycles"
	"$TP" deopts "$TMP/loop.data" >"$TMP/deopts.txt" 2>&1 &&
		grep -q '^sumAreas .*DEOPT LOOP' "$TMP/deopts.txt" && grep -q 'code dependencies' "$TMP/deopts.txt" &&
		pass "tierprof deopts lists the loop and its reason" || { fail "tierprof deopts"; show "$TMP/deopts.txt"; }
	[ -z "$(flags loop Rect)" ] || note "Rect flags: $(flags loop Rect)"
fi

# --- worker threads: both isolates named, in their own threads ---
if record workers "$NODE_WL/workers.js"; then
	m=$(owntotal workers mainSpin)
	w=$(owntotal workers workerSpin)
	note "mainSpin $m, workerSpin $w own samples"
	[ "$m" -gt 20 ] && [ "$w" -gt 20 ] && pass "main and worker isolates both named" ||
		fail "mainSpin $m / workerSpin $w"
	"$TP" report --format folded "$TMP/workers.data" >"$TMP/workers.folded"
	grep -q 'workerSpin' "$TMP/workers.folded" && ! grep 'workerSpin' "$TMP/workers.folded" | grep -q mainSpin &&
		pass "worker stacks are the worker's" || fail "worker stacks mixed with main"
fi

# --- fork: the child inherits the flags through execArgv ---
if record fork "$NODE_WL/fork_parent.js"; then
	c=$(owntotal fork childSpin)
	np=$(jq '.capture.processes | length' "$TMP/fork.json")
	note "childSpin $c own samples, $np processes"
	[ "$c" -gt 20 ] && [ "$(jq -r '[.capture.processes[].runtime] | unique | join(",")' "$TMP/fork.json")" = v8 ] &&
		pass "forked node child named, runtime v8" || fail "fork: childSpin $c"
fi

# --- unknown frames explained, below 1% otherwise ---
for n in steady big loop; do
	[ -f "$TMP/$n.json" ] || continue
	u=$(jq '[.unknown.causes[] | select(.cause | test("jit")) | .samples] | add // 0' "$TMP/$n.json")
	s=$(jq '.capture.samples' "$TMP/$n.json")
	[ $((100 * u)) -le "$s" ] && pass "$n: unnamed JIT frames $u of $s" || fail "$n: unnamed JIT frames $u of $s"
done
finish
