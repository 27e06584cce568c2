# Helpers for the output tests (flame, folded, pprof, speedscope); sourced
# after lib.sh. The scripts are called as
#   SCRIPT TIERPROF WORKLOAD_DIR TOYVM_PLUGIN TOYVM_BINARY
# and record the SDK example's toy runtime: half a second, and frames in the
# interpreter and optimized tiers (the plugin names them).

PLUGIN=${3:-}
TOYVM=${4:-}
SRC_DIR=$(cd "$(dirname "$0")/../.." && pwd)
BROWSER_DIR=$SRC_DIR/tests/browser

# record_toyvm CAPTURE: record the toy runtime with its plugin, or fail.
record_toyvm()
{
	if [ -z "$PLUGIN" ] || [ ! -f "$PLUGIN" ] || [ ! -x "$TOYVM" ]; then
		echo "usage: $0 TIERPROF WORKLOAD_DIR TOYVM_PLUGIN TOYVM_BINARY" >&2
		exit 1
	fi
	require_perf
	"$TP" record -F "$(freq 999)" --plugin "$PLUGIN" -o "$1" -- "$TOYVM" >"$1.out" 2>&1 ||
		{ fail "record toyvm"; show "$1.out"; finish; }
}

# expect_error CODE PATTERN CMD...: CMD exits CODE and says PATTERN.
expect_error()
{
	local code=$1 pattern=$2 rc
	shift 2
	"$@" >"$TMP/err.out" 2>&1
	rc=$?
	if [ "$rc" -eq "$code" ] && grep -q -- "$pattern" "$TMP/err.out"; then
		pass "${*#"$TP" }: exit $rc, '$pattern'"
	else
		fail "${*#"$TP" }: exit $rc, wanted $code and '$pattern'"
		show "$TMP/err.out" 10
	fi
}

# have_node_modules: node and the browser tests' packages are installed.
have_node_modules()
{
	command -v node >/dev/null 2>&1 && [ -d "$BROWSER_DIR/node_modules/playwright-core" ]
}
