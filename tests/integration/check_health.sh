# Helpers of check.sh and health.sh; sourced after lib.sh. Records the
# deopt_loop.js workload (node) with the loop and fixed.
NODE_WL=$(cd "$(dirname "$0")/../workloads/node" && pwd)
SRC_DIR=$(cd "$(dirname "$0")/../.." && pwd)
BROWSER_DIR=$SRC_DIR/tests/browser

# record_node NAME [ARGS...]: $TMP/NAME.data from deopt_loop.js ARGS
record_node()
{
	local name=$1
	shift
	( cd "$TMP" && "$TP" record -F 999 -o "$TMP/$name.data" -- node "$NODE_WL/deopt_loop.js" "$@" ) \
		>"$TMP/$name.out" 2>"$TMP/$name.err" || { fail "record $name"; show "$TMP/$name.err"; finish; }
}

# expect_rc CODE PATTERN CMD...: CMD exits CODE and prints PATTERN.
expect_rc()
{
	local code=$1 pattern=$2 rc
	shift 2
	"$@" >"$TMP/rc.out" 2>&1
	rc=$?
	if [ "$rc" -eq "$code" ] && grep -q -- "$pattern" "$TMP/rc.out"; then
		pass "${*#"$TP" }: exit $rc, '$pattern'"
	else
		fail "${*#"$TP" }: exit $rc, wanted $code and '$pattern'"
		show "$TMP/rc.out" 15
	fi
}
