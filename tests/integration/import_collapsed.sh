#!/usr/bin/env bash
# tierprof import --collapsed: async-profiler collapsed stacks (its real
# test files, with _[j]/_[i] annotations) and FlameGraph --all output
# (_[j]/_[k], counts weighted by period) become captures that every report
# reads: the folded writer gives back the input's stacks and counts, json
# the tiers and jfrconv's expected totals, pprof and speedscope the counts,
# flame an SVG; a file of interpreted stacks is flagged; bad input exits 2
# naming file and line, and writes nothing.
. "$(dirname "$0")/lib.sh"
FIX=$(cd "$(dirname "$0")/../fixtures/folded" && pwd)
S1="$FIX/async-profiler-sample1.collapsed"
JAVA_ALL="$FIX/perf-java-stacks-01-collapsed-all.txt"

# Round trip: collapsed in, folded out (with the suffixes the writer emits).
for f in "$S1" "$JAVA_ALL"; do
	name=$(basename "$f")
	"$TP" import --collapsed "$f" -o "$TMP/$name.data" >"$TMP/imp.out" 2>&1 ||
		{ fail "import $name"; show "$TMP/imp.out"; continue; }
	"$TP" report -f folded --annotate --no-thread "$TMP/$name.data" 2>/dev/null | sort >"$TMP/back"
	sort "$f" | diff - "$TMP/back" >"$TMP/diff" &&
		pass "$name: report -f folded gives back its $(wc -l <"$f") stacks and counts" ||
		{ fail "$name: round trip differs"; show "$TMP/diff"; }
done

# json: tiers and counts; jfrconv's expectations for sample1 (BusyClient.run
# is on every stack, 4 samples its own; nothing under ByteBuffer.get).
J="$TMP/s1.json"
"$TP" report -f json -o "$J" "$TMP/async-profiler-sample1.collapsed.data" 2>/dev/null
total=$(awk '{ t += $NF } END { print t }' "$S1")
jq -e --argjson t "$total" '.capture.samples == $t and .tiers.optimized > 0 and .tiers.native > 0 and
	.tiers.unknown == 0' "$J" >/dev/null && pass "json: $total samples, optimized and native leaves" ||
	{ fail "json capture/tiers"; jq -c '.capture.samples, .tiers' "$J"; }
jq -e --argjson t "$total" '.functions[] | select(.name == "BusyClient.run") |
	.total == $t and .self == 4 and .runtime == "jvm"' "$J" >/dev/null &&
	pass "json: BusyClient.run total $total, self 4 (jfrconv: 'BusyClient.run_[j] 4')" ||
	fail "json: BusyClient.run"
jq -e '[.functions[] | select(.name == "NioSocketImpl.beginRead")][0].self_tiers.optimized > 0' "$J" >/dev/null &&
	pass "json: an inlined frame takes the tier of the compiled frame it is inlined into" ||
	fail "json: inlined tier"

# Weighted counts (perf periods): exact in every output.
"$TP" import --collapsed "$FIX/perf-dd-stacks-01-collapsed-all.txt" -o "$TMP/dd.data" >/dev/null 2>&1
dd_total=$(awk '{ t += $NF } END { printf "%d", t }' "$FIX/perf-dd-stacks-01-collapsed-all.txt")
got=$("$TP" report -f json "$TMP/dd.data" 2>/dev/null | jq '.capture.samples')
[ "$got" = "$dd_total" ] && pass "weights: json counts $got samples, the file's sum" ||
	fail "weights: json $got, file $dd_total"
"$TP" report -f speedscope -o "$TMP/dd.speedscope.json" "$TMP/dd.data" 2>/dev/null
ss=$(jq '[.profiles[].weights[]] | add' "$TMP/dd.speedscope.json")
want_ns=$((dd_total * 10000000))
[ "$ss" = "$want_ns" ] && pass "weights: speedscope weights sum to count x 10 ms" ||
	fail "weights: speedscope $ss, want $want_ns"
"$TP" report -f pprof -o "$TMP/dd.pb.gz" "$TMP/dd.data" 2>/dev/null && [ -s "$TMP/dd.pb.gz" ] &&
	pass "pprof written" || fail "pprof"
if command -v go >/dev/null 2>&1; then
	pp=$(go tool pprof -raw -sample_index=samples "$TMP/dd.pb.gz" 2>/dev/null |
		awk '/^Samples:/ { on = 1; next } on && /^ *[0-9]+ / { t += $1 } /^Locations/ { on = 0 } END { print t + 0 }')
	[ "$pp" = "$dd_total" ] && pass "go tool pprof: $pp samples" || fail "go tool pprof: $pp, want $dd_total"
fi
"$TP" flame -o "$TMP/s1.svg" "$TMP/async-profiler-sample1.collapsed.data" >/dev/null 2>&1 &&
	grep -q 'BusyClient.run' "$TMP/s1.svg" && pass "flame: SVG with the imported frames" || fail "flame"

# Findings over imported tiers: interpreted and C1 code flagged.
cat >"$TMP/interp.collapsed" <<'EOS'
Main.main_[j];Parser.parse_[0] 70
Main.main_[j];Parser.parse_[1] 20
Main.main_[j];Parser.parse_[j] 10
Main.main_[j];Util.hash_[j];Util.mix_[i] 50
Main.main_[j];Util.hash_[j];write_[k] 5
Main.main_[j];Util.hash_[j];libc_write 5
EOS
"$TP" import --collapsed "$TMP/interp.collapsed" -o "$TMP/interp.data" >/dev/null 2>&1
"$TP" report -f json -o "$TMP/interp.json" "$TMP/interp.data" 2>/dev/null
jq -e '.findings[] | select(.kind == "interpreter-dominated" and .function == "Parser.parse" and
	.samples_own == 100 and .samples_not_optimized == 90)' "$TMP/interp.json" >/dev/null &&
	pass "findings: Parser.parse interpreter-dominated (90 of 100 below _[j])" ||
	{ fail "findings"; jq -c '.findings' "$TMP/interp.json"; }
jq -e '.tiers == {"interpreter":70,"baseline":20,"optimized":60,"runtime":0,"native":5,"kernel":5,"unknown":0}' \
	"$TMP/interp.json" >/dev/null && pass "tiers: _[0] _[1] _[j] _[i] _[k] and native as annotated" ||
	{ fail "tiers"; jq -c '.tiers' "$TMP/interp.json"; }
"$TP" report "$TMP/interp.data" 2>/dev/null | grep -q 'INTERPRETER-DOMINATED: Parser.parse' &&
	pass "text report leads with the finding" || fail "text finding"

# Bad input: exit 2, file and line named, nothing written (an old capture kept).
printf 'a;b 3\nc;d three\n' >"$TMP/bad.collapsed"
"$TP" import --collapsed "$TMP/bad.collapsed" -o "$TMP/bad.data" >"$TMP/bad.out" 2>&1
rc=$?
[ "$rc" -eq 2 ] && grep -q 'bad.collapsed:2: count "three"' "$TMP/bad.out" && [ ! -e "$TMP/bad.data" ] &&
	pass "malformed count: exit 2, 'bad.collapsed:2', nothing written" ||
	{ fail "malformed: rc $rc"; show "$TMP/bad.out"; }
cp "$TMP/dd.data" "$TMP/keep.data"
printf 'x 1\n\n;y\n' >"$TMP/bad2.collapsed"
"$TP" import --collapsed "$TMP/bad2.collapsed" -o "$TMP/keep.data" >"$TMP/bad2.out" 2>&1
[ $? -eq 2 ] && grep -q 'bad2.collapsed:3: no count' "$TMP/bad2.out" && cmp -s "$TMP/dd.data" "$TMP/keep.data" &&
	pass "no count: exit 2, line 3, existing capture untouched" || { fail "bad2"; show "$TMP/bad2.out"; }
: >"$TMP/empty.collapsed"
"$TP" import --collapsed "$TMP/empty.collapsed" -o "$TMP/e.data" >"$TMP/e.out" 2>&1
[ $? -eq 2 ] && grep -q 'no stacks' "$TMP/e.out" && pass "empty file: exit 2" || fail "empty file"
"$TP" import --collapsed "$TMP/missing" -o "$TMP/m.data" >/dev/null 2>&1
[ $? -eq 2 ] && pass "missing file: exit 2" || fail "missing file"
"$TP" import --collapsed "$S1" "$TMP/dd.data" >/dev/null 2>&1
[ $? -eq 2 ] && pass "--collapsed with a CAPTURE: usage error" || fail "--collapsed + CAPTURE"
finish
