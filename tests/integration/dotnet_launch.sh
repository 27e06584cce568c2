#!/usr/bin/env bash
# The .NET plugin's record side without a .NET runtime (none can be installed
# here): a stand-in named `dotnet` shows the environment the plugin launches
# it with, and writes into DOTNET_PerfMapJitDumpPath what a current CoreCLR
# writes there (a perf map of real .NET 8 names and perfinfo), so that
# collect embeds them and the report reads them back; a variable the user
# set is kept. What a live runtime does beyond this: docs/runtimes/dotnet.md.
. "$(dirname "$0")/lib.sh"
require_perf
FIX=$(cd "$(dirname "$0")/../fixtures" && pwd)
mkdir -p "$TMP/bin"
cat >"$TMP/bin/dotnet" <<EOS
#!/usr/bin/env bash
env | grep -E '^(DOTNET|COMPlus)_' | sort >"$TMP/env.\$\$"
dir=\${DOTNET_PerfMapJitDumpPath:-/tmp}
head -n 50 "$FIX/jit/ddprof-perf-42.map" >"\$dir/perf-\$\$.map"
cp "$FIX/dotnet/perfinfo-4242.map" "\$dir/perfinfo-\$\$.map"
echo "\$dir" >"$TMP/dir.\$\$"
EOS
chmod +x "$TMP/bin/dotnet"

"$TP" record -o "$TMP/d.data" -- "$TMP/bin/dotnet" App.dll >"$TMP/rec.out" 2>&1 ||
	{ fail "record"; show "$TMP/rec.out"; finish; }
envf=$(ls "$TMP"/env.* | head -n 1)
grep -qx 'DOTNET_PerfMapEnabled=1' "$envf" && grep -qx 'DOTNET_PerfMapShowOptimizationTiers=1' "$envf" &&
	pass "launched with DOTNET_PerfMapEnabled=1 DOTNET_PerfMapShowOptimizationTiers=1" ||
	{ fail "environment"; show "$envf"; }
dir=$(cat "$TMP"/dir.*)
case "$dir" in
/tmp/tierprof-side-*) pass "DOTNET_PerfMapJitDumpPath is tierprof's side directory" ;;
*) fail "jitdump path '$dir'" ;;
esac
[ ! -e "$dir" ] && pass "side directory removed after the run" || fail "side directory left: $dir"
"$TP" report -vv "$TMP/d.data" >"$TMP/rep.out" 2>&1
grep -q 'perf-[0-9]*.map: 50 entries' "$TMP/rep.out" &&
	pass "the perf map the runtime wrote in the side directory is in the capture" ||
	{ fail "perf map not embedded"; grep -i 'perf\|side' "$TMP/rep.out" | head; }

# A setting the user made is theirs; --no-runtime-flags only directs files.
rm -f "$TMP"/env.* && DOTNET_PerfMapEnabled=3 "$TP" record -o "$TMP/u.data" -- "$TMP/bin/dotnet" >/dev/null 2>&1
envf=$(ls "$TMP"/env.* | head -n 1)
grep -qx 'DOTNET_PerfMapEnabled=3' "$envf" && pass "the user's DOTNET_PerfMapEnabled=3 is kept" ||
	{ fail "user setting"; show "$envf"; }
rm -f "$TMP"/env.* && "$TP" record --no-runtime-flags -o "$TMP/n.data" -- "$TMP/bin/dotnet" >/dev/null 2>&1
envf=$(ls "$TMP"/env.* | head -n 1)
[ ! -s "$envf" ] && pass "--no-runtime-flags: nothing set" || { fail "--no-runtime-flags"; show "$envf"; }
finish
