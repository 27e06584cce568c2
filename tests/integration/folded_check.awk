# Read folded stacks as FlameGraph's flamegraph.pl does: a line is a stack
# and a count, "frame;frame;... COUNT" (the count: digits, maybe a fraction,
# after whitespace); frames are split on ';'. Lines that do not parse are
# what flamegraph.pl ignores with "Ignored N lines with invalid format".
# Prints: lines=N bad=N total=N frames=N and suffix_X=N for every _[X].
# POSIX awk (Debian's mawk too).
{
	line = $0
	sub(/\r$/, "", line)
	if (!match(line, /[ \t]+[0-9]+(\.[0-9]*)?$/) || RSTART == 1) {
		bad++
		next
	}
	stack = substr(line, 1, RSTART - 1)
	count = substr(line, RSTART)
	gsub(/[ \t]/, "", count)
	total += count
	lines++
	n = split(stack, f, ";")
	for (i = 1; i <= n; i++) {
		if (f[i] == "") {
			empty++
			continue
		}
		frames++
		if (match(f[i], /_\[[^]]\]$/))
			suffix[substr(f[i], RSTART + 2, 1)]++
	}
}
END {
	printf "lines=%d bad=%d empty=%d total=%d frames=%d", lines, bad, empty, total, frames
	for (s in suffix)
		printf " suffix_%s=%d", s, suffix[s]
	printf "\n"
}
