#!/usr/bin/env bash
# record passes on the launched command's exit code.
. "$(dirname "$0")/lib.sh"
require_perf

for code in 0 1 7 42; do
	"$TP" record -o "$TMP/e.data" -- sh -c "exit $code" >"$TMP/e.out" 2>&1
	rc=$?
	[ "$rc" -eq "$code" ] && pass "record -- sh -c 'exit $code' exits $code" ||
		{ fail "record -- sh -c 'exit $code' exited $rc"; show "$TMP/e.out"; }
done
# A command that dies of a signal: 128 + N, as a shell reports it.
"$TP" record -o "$TMP/e.data" -- sh -c 'kill -USR1 $$' >"$TMP/e.out" 2>&1
rc=$?
[ "$rc" -eq 138 ] && pass "a command killed by SIGUSR1 gives 138" ||
	{ fail "a command killed by SIGUSR1 gave $rc, want 138"; show "$TMP/e.out"; }
# The command's own stdout and stdin are left alone.
out=$(echo hello | "$TP" record -o "$TMP/e.data" -- cat 2>/dev/null)
[ "$out" = hello ] && pass "the command's stdin and stdout pass through" ||
	fail "record -- cat printed '$out', want 'hello'"
finish
