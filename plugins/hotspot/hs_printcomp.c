#include "hs_printcomp.h"

#include <string.h>

/* Decimal at *p (at most 18 digits: no overflow); -1 when none. */
static int64_t number(const char **p, const char *end)
{
	int64_t v = 0;
	int n = 0;

	while (*p < end && **p >= '0' && **p <= '9' && n < 18) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	if (!n || (*p < end && **p >= '0' && **p <= '9'))
		return -1;
	return v;
}

static const char *skip_spaces(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static int flag_bit(char c, int col)
{
	static const char want[5] = { '%', 's', '!', 'b', 'n' };

	if (c == ' ')
		return 0;
	return c == want[col] ? 1 << col : -1;
}

/* ID SP FLAGS SP LEVEL starting at p (ID's first digit). */
static int id_flags_level(const char *p, const char *end, struct hs_pc_line *out, const char **rest)
{
	int64_t id = number(&p, end);
	uint32_t flags = 0;

	if (id < 0 || id > UINT32_MAX || end - p < 8 || *p != ' ')
		return -1;
	for (int i = 0; i < 5; i++) {
		int b = flag_bit(p[1 + i], i);

		if (b < 0)
			return -1;
		flags |= (uint32_t)b;
	}
	if (p[6] != ' ')
		return -1;
	if (p[7] >= '0' && p[7] <= '4')
		out->level = p[7] - '0';
	else if (p[7] == '-' || p[7] == ' ')
		out->level = -1;
	else
		return -1;
	if (p + 8 < end && p[8] != ' ')
		return -1;
	out->compile_id = (uint32_t)id;
	out->flags = flags;
	*rest = p + 8;
	return 0;
}

/* "[...]" groups: timenanos, uptimenanos, uptime; others skipped. */
static const char *decorations(const char *p, const char *end, struct hs_pc_line *out)
{
	int nanos = 0;
	uint64_t ns[2] = { 0, 0 };

	while (p < end && *p == '[') {
		const char *close = memchr(p, ']', (size_t)(end - p)), *q = p + 1;
		int64_t v;

		if (!close)
			return p;
		v = number(&q, close);
		if (v >= 0 && close - q == 2 && q[0] == 'n' && q[1] == 's') {
			if (nanos < 2)
				ns[nanos++] = (uint64_t)v;
		} else if (v >= 0 && q < close && *q == '.' && close[-1] == 's' &&
			   !out->has_uptime) {
			const char *f = ++q;
			int64_t frac = number(&q, close);
			uint64_t scale = 1000000000ull;

			for (const char *d = f; d < q; d++)
				scale /= 10;
			if (frac >= 0 && q == close - 1 && q - f <= 9) {
				out->uptime_ns =
					(uint64_t)v * 1000000000ull + (uint64_t)frac * scale;
				out->has_uptime = 1;
			}
		}
		p = skip_spaces(close + 1, end);
	}
	if (nanos == 2) {
		out->mono_ns = ns[0];
		out->uptime_ns = ns[1];
		out->has_uptime = 1;
	} else if (nanos == 1) {
		out->uptime_ns = ns[0];
		out->has_uptime = 1;
	}
	return p;
}

static int starts(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(end - p) >= n && !memcmp(p, s, n);
}

int hs_pc__parse_line(const char *line, size_t len, struct hs_pc_line *out)
{
	const char *end = line + len, *p, *rest, *m, *q;
	int64_t v;

	memset(out, 0, sizeof(*out));
	out->osr_bci = -1;
	while (end > line && (end[-1] == '\r' || end[-1] == ' '))
		end--;
	p = decorations(skip_spaces(line, end), end, out);
	if (p >= end || *p < '0' || *p > '9')
		return -1;
	if (id_flags_level(p, end, out, &rest)) {
		/* TS first: ms since VM start, then the ID. */
		q = p;
		v = number(&q, end);
		if (v < 0 || q >= end || *q != ' ')
			return -1;
		q = skip_spaces(q, end);
		if (id_flags_level(q, end, out, &rest))
			return -1;
		if (!out->has_uptime) {
			out->uptime_ns = (uint64_t)v * 1000000ull;
			out->has_uptime = 1;
		}
	}
	m = skip_spaces(rest, end);
	for (q = m; q < end && *q != ' '; q++)
		;
	if (q == m || !memchr(m, ':', (size_t)(q - m)))
		return -1;
	out->method = m;
	out->method_len = (size_t)(q - m);
	p = q;
	if (starts(p, end, " @ ")) {
		p += 3;
		out->osr_bci = number(&p, end);
		if (out->osr_bci < 0)
			return -1;
	}
	if (starts(p, end, " (native)")) {
		out->bytes = -1;
		p += 9;
	} else if (starts(p, end, " (")) {
		p += 2;
		out->bytes = number(&p, end);
		if (out->bytes < 0 || !starts(p, end, " bytes)"))
			return -1;
		p += 7;
	} else {
		return -1;
	}
	if (p < end && *p != ' ')
		return -1;
	p = skip_spaces(p, end);
	if (p == end) {
		out->msg = HS_PC_MSG_NONE;
	} else if (starts(p, end, "made not entrant")) {
		out->msg = HS_PC_MSG_NOT_ENTRANT;
		p += 16;
		if (starts(p, end, ": "))
			p += 2;
		else if (p != end)
			out->msg = HS_PC_MSG_OTHER, p -= 16;
	} else if (starts(p, end, "made zombie")) {
		out->msg = HS_PC_MSG_ZOMBIE;
	} else if (starts(p, end, "COMPILE SKIPPED")) {
		out->msg = HS_PC_MSG_SKIPPED;
		p += 15;
		if (starts(p, end, ": "))
			p += 2;
	} else {
		out->msg = HS_PC_MSG_OTHER;
	}
	out->why = p;
	out->why_len = (size_t)(end - p);
	return 0;
}

int hs_pc__parse(const char *buf, size_t len, hs_pc_fn cb, void *ctx, struct hs_pc_stats *stats)
{
	struct hs_pc_stats st = { 0 };
	const char *p = buf, *end = len ? buf + len : buf; /* no arithmetic on NULL */
	unsigned line_no = 0;
	int ret = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *eol = nl ? nl : end;
		struct hs_pc_line l;

		st.lines++;
		line_no++;
		if (!nl)
			st.truncated = 1;
		if (hs_pc__parse_line(p, (size_t)(eol - p), &l) == 0) {
			l.line_no = line_no;
			switch (l.msg) {
			case HS_PC_MSG_NONE:
				st.compiles++;
				break;
			case HS_PC_MSG_NOT_ENTRANT:
				st.not_entrant++;
				break;
			case HS_PC_MSG_SKIPPED:
				st.skipped++;
				break;
			default:
				st.other_msgs++;
				break;
			}
			if (cb && (ret = cb(ctx, &l)))
				break;
		} else {
			st.other_lines++;
		}
		p = nl ? nl + 1 : end;
	}
	if (stats)
		*stats = st;
	return ret;
}
