#!/usr/bin/env bash
# The HotSpot plugin on real JVMs, with no flags from the user: a steady hot
# method reported in C2 and left alone, a method caught in a recompilation
# loop flagged with HotSpot's reason, a method too large to compile flagged
# interpreter-dominated under its own name (read from its interpreter frames), compiler
# threads reported, and the program's own output untouched. JDK 17 (java on
# PATH) and, when installed, JDK 25 (/usr/lib/jvm/temurin-25-jdk-amd64).
. "$(dirname "$0")/lib.sh"
require_perf
command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1 ||
	{ echo "# java/javac not installed: skip"; exit 77; }
JAVA_WL=$(cd "$(dirname "$0")/../workloads/java" && pwd)
JDK25=${TP_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}

javac -d "$TMP/classes" "$JAVA_WL"/*.java 2>"$TMP/javac.err" || { fail "javac"; show "$TMP/javac.err"; finish; }

# record NAME JAVA CLASS [ARGS...]: capture in $TMP/NAME.data, report in NAME.json
record()
{
	local name=$1 java=$2
	shift 2
	( cd "$TMP" && "$TP" record -F 999 -o "$TMP/$name.data" -- "$java" -cp "$TMP/classes" "$@" ) \
		>"$TMP/$name.out" 2>"$TMP/$name.err" || { fail "record $name"; show "$TMP/$name.err"; return 1; }
	"$TP" report -f json -o "$TMP/$name.json" "$TMP/$name.data" 2>"$TMP/$name.rep" ||
		{ fail "report $name"; show "$TMP/$name.rep"; return 1; }
}
# own NAME PREFIX TIER: own samples of the functions whose name starts with PREFIX
own() { jq --arg f "$2" --arg t "$3" '[.functions[] | select(.name | startswith($f)) | .own_tiers[$t]] | add // 0' "$TMP/$1.json"; }
owntotal() { jq --arg f "$2" '[.functions[] | select(.name | startswith($f)) | .own] | add // 0' "$TMP/$1.json"; }
flags() { jq -r --arg f "$2" '[.functions[] | select(.name | startswith($f)) | .flags[]] | unique | join(",")' "$TMP/$1.json"; }

# --- steady: C2, not flagged ---
if record steady java SteadyHot 2500; then
	opt=$(own steady "SteadyHot::checksum(" optimized)
	tot=$(owntotal steady "SteadyHot::checksum(")
	note "SteadyHot::checksum own: $opt optimized of $tot"
	[ "$tot" -ge 100 ] && [ $((10 * opt)) -ge $((9 * tot)) ] &&
		pass "checksum reported optimized (C2)" || fail "checksum: $opt optimized of $tot"
	[ -z "$(flags steady "SteadyHot::checksum(")" ] && pass "checksum not flagged" ||
		fail "checksum flagged: $(flags steady "SteadyHot::checksum(")"
	key=$(jq -r '[.functions[] | select(.name | startswith("SteadyHot::checksum(")) | .key] | first' "$TMP/steady.json")
	[ "$key" = "SteadyHot::checksum(long, int)" ] && pass "function identity with its signature ($key)" ||
		fail "checksum key '$key'"
	grep -q '^calls [0-9]* h ' "$TMP/steady.out" && [ "$(wc -l <"$TMP/steady.out")" -eq 1 ] &&
		pass "program stdout is the program's only" || { fail "stdout polluted"; show "$TMP/steady.out"; }
	grep -qi 'compil\|warning' "$TMP/steady.err" && { fail "JVM output on stderr"; show "$TMP/steady.err"; } ||
		pass "no JVM output on stderr"
	ls "$TMP"/hotspot_pid*.log "$TMP"/*.xml >/dev/null 2>&1 && fail "log files left in the working directory" ||
		pass "working directory left clean"
	share=$(jq '[.capture.processes[] | select(.runtime == "hotspot") | .compiler_threads_share] | first // -1' "$TMP/steady.json")
	note "compiler threads: $share of the process's samples"
	jq -e '[.capture.processes[] | select(.runtime == "hotspot")] | length == 1' "$TMP/steady.json" >/dev/null &&
		pass "process runtime hotspot" || fail "no hotspot process in the report"
fi

# --- recompilation loop: flagged, with the dependency that keeps failing ---
if record loop java RecompileLoop 3000; then
	case "$(flags loop "RecompileLoop::pricing(")" in *deopt-loop*) pass "pricing flagged deopt-loop" ;;
	*) fail "pricing flags '$(flags loop "RecompileLoop::pricing(")'"; show "$TMP/loop.json" 60 ;; esac
	reason=$(jq -r '[.deopt_loops[] | select(.function | startswith("RecompileLoop::pricing(")) | .reasons | to_entries | max_by(.value) | .key] | first // ""' "$TMP/loop.json")
	cycles=$(jq '[.deopt_loops[] | select(.function | startswith("RecompileLoop::pricing(")) | .cycles] | first // 0' "$TMP/loop.json")
	note "pricing: $cycles cycles, top reason '$reason'"
	[ "$reason" = call_site_target_value ] && [ "$cycles" -ge 20 ] &&
		pass "loop reason and cycles from LogCompilation" || fail "reason '$reason', cycles $cycles"
	"$TP" deopts "$TMP/loop.data" >"$TMP/deopts.txt" 2>&1 &&
		grep -q 'RecompileLoop::pricing(int)' "$TMP/deopts.txt" && grep -q 'call_site_target_value' "$TMP/deopts.txt" &&
		pass "tierprof deopts lists the loop and its reason" || { fail "tierprof deopts"; show "$TMP/deopts.txt"; }
	"$TP" report "$TMP/loop.data" >"$TMP/loop.txt" 2>&1
	head -n 12 "$TMP/loop.txt" | grep -q 'DEOPT LOOP: RecompileLoop::pricing(int)' &&
		pass "text report leads with the loop" || { fail "loop not at the top"; show "$TMP/loop.txt" 20; }
	grep -q 'stop swapping the call-site target' "$TMP/loop.txt" && pass "fix names the call-site swap" ||
		fail "no call-site fix"
	share=$(jq '[.capture.processes[] | select(.runtime == "hotspot") | .compiler_threads_share] | first // 0' "$TMP/loop.json")
	note "compiler threads: $share of the process's samples"
	awk -v s="$share" 'BEGIN { exit !(s >= 0.05) }' && grep -q '^# pid .*JIT compiler threads' "$TMP/loop.txt" &&
		pass "compiler-thread share reported (json and text)" || fail "compiler-thread share $share"
fi

# --- huge method: never compiled, interpreter-dominated, limitation stated ---
if record huge java HugeMethod 2500; then
	interp=$(own huge "HugeMethod::blend(" interpreter)
	s=$(jq '.capture.samples' "$TMP/huge.json")
	note "HugeMethod::blend interpreted own samples: $interp of $s"
	[ $((10 * interp)) -ge $((7 * s)) ] && pass "blend named in the interpreter, most of the run" ||
		{ fail "blend interpreted $interp of $s"; show "$TMP/huge.json" 40; }
	case "$(flags huge "HugeMethod::blend(")" in *interpreter-dominated*) pass "blend flagged interpreter-dominated" ;;
	*) fail "blend flags '$(flags huge "HugeMethod::blend(")'" ;; esac
	left=$(owntotal huge "Interpreter")
	[ $((10 * left)) -le "$s" ] && pass "unnamed Interpreter frames left: $left of $s" ||
		fail "unnamed Interpreter $left of $s"
	leaf=$(jq '.capture.context_leaf_named' "$TMP/huge.json")
	leaves=$(jq '.capture.context_leaf_frames' "$TMP/huge.json")
	note "interpreter leaves named from the sampled stack: $leaf of $leaves"
	[ "$leaves" -gt 0 ] && [ $((10 * leaf)) -ge $((9 * leaves)) ] &&
		pass "interpreter leaves named" || fail "interpreter leaves $leaf of $leaves"
	"$TP" report "$TMP/huge.data" >"$TMP/huge.txt" 2>&1
	grep -q 'HugeMethodLimit' "$TMP/huge.txt" && pass "fix text is HotSpot's (huge methods)" ||
		{ fail "no HotSpot fix text"; show "$TMP/huge.txt" 12; }
	jit=$(jq '[.functions[] | select(.name | startswith("HugeMethod::blend(")) | (.own_tiers.baseline // 0) + (.own_tiers.optimized // 0)] | add // 0' "$TMP/huge.json")
	[ "$jit" -eq 0 ] && pass "blend never runs compiled" || fail "blend compiled: $jit samples"
fi

# --- JDK 25 (bonus JDK): same loop, same verdict ---
if [ -x "$JDK25/bin/java" ]; then
	if record loop25 "$JDK25/bin/java" RecompileLoop 2500; then
		case "$(flags loop25 "RecompileLoop::pricing(")" in *deopt-loop*) pass "JDK 25: pricing flagged deopt-loop" ;;
		*) fail "JDK 25: pricing flags '$(flags loop25 "RecompileLoop::pricing(")'" ;; esac
		c2=$(jq '[.functions[] | .own_tiers.optimized] | add // 0' "$TMP/loop25.json")
		[ "$c2" -gt 0 ] && pass "JDK 25: C2 frames named ($c2 samples)" || fail "JDK 25: no C2 frames"
	fi
	if record huge25 "$JDK25/bin/java" HugeMethod 2000; then
		interp=$(own huge25 "HugeMethod::blend(" interpreter)
		s=$(jq '.capture.samples' "$TMP/huge25.json")
		[ $((10 * interp)) -ge $((7 * s)) ] && pass "JDK 25: blend named in the interpreter ($interp of $s)" ||
			{ fail "JDK 25: blend interpreted $interp of $s"
			  "$TP" report -vv -f json -o "$TMP/diag.json" "$TMP/huge25.data" 2>&1 |
				grep -E 'methods|needed their|side file|agent' | show /dev/stdin; }
	fi
else
	note "JDK 25 not at $JDK25: its checks skipped"
fi

# --- JIT frames named: unnamed code-cache frames stay rare ---
for n in steady loop huge; do
	[ -f "$TMP/$n.json" ] || continue
	u=$(jq '[.unknown.causes[] | select(.cause | test("jit")) | .samples] | add // 0' "$TMP/$n.json")
	s=$(jq '.capture.samples' "$TMP/$n.json")
	[ $((100 * u)) -le $((2 * s)) ] && pass "$n: unnamed JIT frames $u of $s" || fail "$n: unnamed JIT frames $u of $s"
done
finish
