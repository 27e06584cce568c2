#!/usr/bin/env bash
# Bad input to flame and to the new report formats is exit 2 with a message
# that says what is wrong, and leaves no file behind. Needs no perf_event_open:
# the cases that need a real capture are in flame.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/outputs_lib.sh"

printf 'not a capture\n' >"$TMP/text.data"
expect_error 2 "invalid --width 'abc'" "$TP" flame --width abc "$TMP/text.data"
expect_error 2 "invalid --width '50'" "$TP" flame --width 50 "$TMP/text.data"
expect_error 2 "invalid --width '1e9'" "$TP" flame --width 1e9 "$TMP/text.data"
expect_error 2 "invalid --width '200000'" "$TP" flame --width 200000 "$TMP/text.data"
expect_error 2 "invalid --minwidth '-1'" "$TP" flame --minwidth -1 "$TMP/text.data"
expect_error 2 "invalid --minwidth '5px'" "$TP" flame --minwidth 5px "$TMP/text.data"
expect_error 2 "invalid --minwidth 'nan'" "$TP" flame --minwidth nan "$TMP/text.data"
expect_error 2 "at most 100%" "$TP" flame --minwidth 101% "$TMP/text.data"
expect_error 2 "invalid id 'x'" "$TP" flame --pid x "$TMP/text.data"
expect_error 2 "unrecognized option" "$TP" flame --bogus "$TMP/text.data"
expect_error 2 "unexpected argument 'two'" "$TP" flame "$TMP/text.data" two
expect_error 2 "empty output file name" "$TP" flame -o "" "$TMP/text.data"
expect_error 2 "$TMP/missing.data" "$TP" flame -o "$TMP/m.svg" "$TMP/missing.data"
expect_error 2 "$TMP/text.data" "$TP" flame -o "$TMP/t.svg" "$TMP/text.data"
[ ! -e "$TMP/m.svg" ] && [ ! -e "$TMP/t.svg" ] && pass "no SVG written for a bad capture" ||
	fail "an SVG was written for a bad capture"
expect_error 2 "pprof, speedscope" "$TP" report -f bogus "$TMP/text.data"
expect_error 2 "$TMP/text.data" "$TP" report -f pprof -o "$TMP/t.pb.gz" "$TMP/text.data"
expect_error 2 "$TMP/text.data" "$TP" report -f speedscope -o "$TMP/t.json" "$TMP/text.data"
expect_error 0 "--inverted" "$TP" flame --help
expect_error 0 "--tier-in-name" "$TP" report --help
expect_error 0 "flame" "$TP" --help
finish
