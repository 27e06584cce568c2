#!/usr/bin/env bash
# report --format pprof read by `go tool pprof` (Debian's golang-go): the
# totals and the top functions agree with the JSON report, plain names keep a
# function's tiers together, --tier-in-name splits them, and the tier label
# selects samples by their leaf's tier. Skips (77) without go.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/outputs_lib.sh"
command -v go >/dev/null 2>&1 || { echo "$TEST_NAME: SKIP: no go (apt-get install golang-go)"; exit 77; }
export HOME=${HOME:-$TMP} GOCACHE=${GOCACHE:-$TMP/gocache} PPROF_TMPDIR=$TMP

record_toyvm "$TMP/t.data"
report_json "$TMP/t.json" --plugin "$PLUGIN" "$TMP/t.data" || finish
samples=$(jq .capture.samples "$TMP/t.json")
"$TP" report -f pprof --plugin "$PLUGIN" -o "$TMP/t.pb.gz" "$TMP/t.data" ||
	{ fail "report -f pprof"; finish; }
gzip -t "$TMP/t.pb.gz" && pass "gzip stream intact" || fail "not a gzip file"

# pprof_top FILE ARGS...: "flat name" lines of go tool pprof -top.
pprof_top()
{
	local f=$1
	shift
	go tool pprof -top -nodecount=1000 -nodefraction=0 "$@" "$f" 2>"$TMP/pprof.err" | tee "$TMP/pprof.top" |
		awk 'p && NF >= 6 { flat = $1; $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print flat "\t" $0 }
		     /flat%/ { p = 1 }'
}

pprof_top "$TMP/t.pb.gz" -sample_index=samples >"$TMP/top.tsv"
total=$(sed -n 's/.* of \([0-9]*\) total.*/\1/p' "$TMP/pprof.top" | head -n 1)
[ "$total" = "$samples" ] && pass "go tool pprof: $total samples in all, as the report" ||
	{ fail "go tool pprof total '$total', report $samples"; show "$TMP/pprof.top"; show "$TMP/pprof.err"; }
n=0
for fn in $(jq -r '[.functions[] | select(.self > 0)] | sort_by(-.self) | .[0:5][] | .name' "$TMP/t.json"); do
	want=$(self_of "$TMP/t.json" "$fn")
	got=$(awk -F '\t' -v n="$fn" '$2 == n { print $1 }' "$TMP/top.tsv")
	[ "$got" = "$want" ] && n=$((n + 1)) || fail "$fn: flat $got in pprof, self $want in the report"
done
[ "$n" -ge 3 ] && pass "top $n functions: pprof's flat = the report's self"
# The first row is the hottest function (by value: ties may sort either way).
first_r=$(jq '[.functions[].self] | max' "$TMP/t.json")
first_p=$(head -n 1 "$TMP/top.tsv" | cut -f 1)
[ "$first_r" = "$first_p" ] && pass "pprof's first row has the report's highest self, $first_p" ||
	fail "first row: $first_p in pprof, highest self $first_r in the report"

# The cpu type (pprof's default) is the periods: about 1/999 s a sample.
go tool pprof -top "$TMP/t.pb.gz" >"$TMP/cpu.top" 2>&1
grep -q '^Type: cpu' "$TMP/cpu.top" && pass "default sample type: cpu" || { fail "no cpu type"; show "$TMP/cpu.top"; }

# Tier label: -tagfocus selects by the leaf's tier, as the report's tier mix.
for tier in interpreter optimized; do
	want=$(jq ".tiers.$tier" "$TMP/t.json")
	go tool pprof -top -nodefraction=0 -sample_index=samples -tagfocus="tier=$tier" "$TMP/t.pb.gz" >"$TMP/tag.top" 2>&1
	got=$(sed -n 's/.*accounting for \([0-9]*\), .*/\1/p' "$TMP/tag.top" | head -n 1)
	[ "$got" = "$want" ] && pass "-tagfocus=tier=$tier: $got samples, as the report" ||
		{ fail "-tagfocus=tier=$tier: $got, report $want"; show "$TMP/tag.top"; }
done

# --tier-in-name: one row per function and tier, adding up to the function.
"$TP" report -f pprof --tier-in-name --plugin "$PLUGIN" -o "$TMP/n.pb.gz" "$TMP/t.data"
pprof_top "$TMP/n.pb.gz" -sample_index=samples >"$TMP/ntop.tsv"
grep -q $'\tadd \[toy-jit\]$' "$TMP/ntop.tsv" && grep -q $'\tadd \[toy-interp\]$' "$TMP/ntop.tsv" &&
	pass "--tier-in-name: add [toy-jit] and add [toy-interp]" || { fail "--tier-in-name rows"; show "$TMP/ntop.tsv"; }
sum=$(awk -F '\t' '$2 ~ /^add \[/ { s += $1 } END { print s + 0 }' "$TMP/ntop.tsv")
[ "$sum" = "$(self_of "$TMP/t.json" add)" ] && pass "add's tiers add up to its self ($sum)" ||
	fail "add's tier rows sum to $sum, self $(self_of "$TMP/t.json" add)"
finish
