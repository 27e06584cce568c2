#!/usr/bin/env bash
# Folded stacks as FlameGraph and inferno read them. First the readers'
# side, from their own files (tests/fixtures/folded): their line grammar
# holds for all of them, and inferno's java-palette flame graph colours
# frames by the _[k]/_[j] suffixes. Then ours, from a real capture: the same
# grammar, only the suffixes the readers know (plus async-profiler's _[0]
# and _[1]), kernel frames marked _[k], and counts that round-trip: the lines
# add up to the report's samples, and each function's leaf count to its self.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/outputs_lib.sh"
FX=$SRC_DIR/tests/fixtures/folded
CHECK="awk -f $(dirname "$0")/folded_check.awk"

for f in perf-java-stacks-01-collapsed-all.txt inferno-java-inline-collapsed.txt \
	async-profiler-sample1.collapsed; do
	r=$($CHECK "$FX/$f")
	case "$r" in
	*" bad=0 empty=0 "*) pass "peer $f parses: $r" ;;
	*) fail "peer $f: $r" ;;
	esac
done
# inferno's java palette on FlameGraph's --all output: names only ever seen
# with _[k] are orange, with _[j] green (rgb(r,g,0) / rgb(x,G,x)).
awk '
	FNR == NR {
		sub(/ [0-9]+$/, "")
		n = split($0, f, ";")
		for (i = 1; i <= n; i++) {
			k = "none"
			name = f[i]
			if (match(name, /_\[[kj]\]$/)) {
				k = substr(name, RSTART + 2, 1)
				name = substr(name, 1, RSTART - 1)
			}
			if (!(name in kind))
				kind[name] = k
			else if (kind[name] != k)
				kind[name] = "mixed"
		}
		next
	}
	/<title>/ {
		t = $0
		sub(/.*<title>/, "", t)
		sub(/ \([0-9,]+ samples?, [0-9.]+%\)<\/title>.*/, "", t)
		title = t
		next
	}
	/<rect / && title != "" {
		if (!(title in kind) || (kind[title] != "k" && kind[title] != "j")) {
			title = ""
			next
		}
		c = $0
		sub(/.*fill="rgb\(/, "", c)
		sub(/\)".*/, "", c)
		split(c, rgb, ",")
		if (kind[title] == "k")
			good = rgb[3] == 0 && rgb[1] >= 190 && rgb[2] >= 90 && rgb[2] < 160
		else
			good = rgb[1] == rgb[3] && rgb[2] >= 200
		seen[kind[title]]++
		if (!good) {
			bad++
			print "# " kind[title] " " title " rgb(" c ")"
		}
		title = ""
	}
	END { printf "k=%d j=%d bad=%d\n", seen["k"], seen["j"], bad + 0 }
' "$FX/perf-java-stacks-01-collapsed-all.txt" "$FX/inferno-java.svg" >"$TMP/palette.out"
r=$(tail -n 1 "$TMP/palette.out")
case "$r" in
k=[1-9]*" j="[1-9]*" bad=0") pass "inferno's java palette: _[k] orange, _[j] green ($r)" ;;
*) fail "inferno's java palette: $r"; show "$TMP/palette.out" ;;
esac

record_toyvm "$TMP/t.data"
report_json "$TMP/t.json" --plugin "$PLUGIN" "$TMP/t.data" || finish
samples=$(jq .capture.samples "$TMP/t.json")
"$TP" report -f folded --plugin "$PLUGIN" -o "$TMP/plain.folded" "$TMP/t.data" &&
	"$TP" report -f folded --annotate --plugin "$PLUGIN" -o "$TMP/ann.folded" "$TMP/t.data" ||
	{ fail "report -f folded"; finish; }
for f in plain ann; do
	r=$($CHECK "$TMP/$f.folded")
	case "$r" in
	*" bad=0 empty=0 total=$samples "*) pass "ours ($f) parses and adds up to $samples: $r" ;;
	*) fail "ours ($f): $r, report $samples samples" ;;
	esac
done
r=$($CHECK "$TMP/ann.folded")
extra=$(echo "$r" | tr ' ' '\n' | grep '^suffix_' | grep -v '^suffix_[kji01]=' || true)
[ -z "$extra" ] && echo "$r" | grep -q 'suffix_0=' && echo "$r" | grep -q 'suffix_j=' &&
	pass "annotated: only _[k] _[j] _[i] _[0] _[1], and the toy's _[0] and _[j]" ||
	fail "annotated suffixes: $r"
# Every _[k] frame is a kernel function of the report, and the other way round.
kernel_names=$(jq -r '.functions[] | select(.runtime == "kernel") | .name' "$TMP/t.json" | sort -u)
k_names=$(tr ';' '\n' <"$TMP/ann.folded" | sed 's/ [0-9]*$//' | grep '_\[k\]$' | sed 's/_\[k\]$//' | sort -u)
[ "$kernel_names" = "$k_names" ] && pass "_[k] marks exactly the kernel functions ($(echo "$k_names" | grep -c .))" ||
	fail "_[k] frames differ from the report's kernel functions"
# Leaf counts per function, plain and annotated (tiers summed), against self.
for fn in $(jq -r '[.functions[] | select(.self > 0)] | sort_by(-.self) | .[0:5][] | .name' "$TMP/t.json"); do
	want=$(self_of "$TMP/t.json" "$fn")
	got=$(folded_self "$TMP/plain.folded" "$fn")
	ann=0
	for s in "" _[0] _[1] _[j] _[k] _[i]; do
		ann=$((ann + $(folded_self "$TMP/ann.folded" "$fn$s")))
	done
	[ "$got" = "$want" ] && [ "$ann" = "$want" ] && pass "$fn: $want samples as leaf, plain and annotated" ||
		fail "$fn: self $want, folded $got, annotated $ann"
done
finish
