#include "rules.h"
#include "../model/tier.h"
#include "../util/mem.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 8

struct parser {
	const char *path;
	unsigned line;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(ps->err, ps->errlen, "%s:%u: ", ps->path, ps->line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < ps->errlen)
		vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Split a line (NUL-terminated, modified in place) into words; "..." quotes
 * a word with spaces, \" and \\ escape inside quotes. */
static int tokenize(struct parser *ps, char *s, char **tok, size_t *ntok)
{
	*ntok = 0;
	for (;;) {
		char *out;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			return 0;
		if (*ntok == MAX_TOKENS)
			return fail(ps, "too many words (a rule has at most %d)", MAX_TOKENS);
		tok[(*ntok)++] = out = s;
		if (*s == '"') {
			s++;
			tok[*ntok - 1] = out = s;
			for (;;) {
				if (!*s)
					return fail(ps, "unterminated quote");
				if (*s == '"')
					break;
				if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
					s++;
				*out++ = *s++;
			}
			s++;
			if (*s && *s != ' ' && *s != '\t')
				return fail(ps, "a space must follow the closing quote");
			*out = '\0';
			continue;
		}
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (*s)
			*s++ = '\0';
	}
}

/* "5%" or "5" percent -> 0.05. */
static int parse_pct(struct parser *ps, const char *what, const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end != s && *end == '%')
		end++;
	if (errno || end == s || *end || !isfinite(v) || v < 0 || v > 100)
		return fail(ps, "%s: '%s' is not a percentage from 0 to 100", what, s);
	*out = v / 100;
	return 0;
}

static int parse_for(struct parser *ps, char **tok, size_t ntok, size_t at, struct rule *r,
		     int allowed)
{
	if (ntok == at)
		return 0;
	if (strcmp(tok[at], "for"))
		return fail(ps, "unexpected '%s' (only 'for PATTERN' may follow)", tok[at]);
	if (!allowed)
		return fail(ps, "%s applies to the whole capture: no 'for PATTERN'", tok[0]);
	if (ntok == at + 1 || !*tok[at + 1])
		return fail(ps, "'for' needs a function name pattern, such as \"sum*\"");
	if (ntok > at + 2)
		return fail(ps, "unexpected '%s' after the pattern", tok[at + 2]);
	r->glob = tp_xstrdup(tok[at + 1]);
	return 0;
}

static int parse_set(struct parser *ps, struct rules *rs, char **tok, size_t ntok)
{
	static const char *const names[] = { "confidence", "min-effect",  "min-cpu-change",
					     "cpu-noise",  "min-samples", "slices",
					     "correction" };
	char *end;
	double v;
	size_t k;

	if (ntok != 3)
		return fail(ps, "'set' takes a name and a value: set confidence 0.99");
	for (k = 0; k < TP_ARRAY_SIZE(names); k++) {
		if (!strcmp(tok[1], names[k]))
			break;
	}
	if (k == TP_ARRAY_SIZE(names))
		return fail(ps,
			    "unknown setting '%s' (confidence, min-effect, min-cpu-change, "
			    "cpu-noise, min-samples, slices, correction)",
			    tok[1]);
	if (rs->stat_set & (1u << k))
		return fail(ps, "'%s' is set twice", tok[1]);
	rs->stat_set |= 1u << k;
	if (k == 6) {
		if (stat_correction__parse(tok[2], &rs->stat.correction))
			return fail(ps, "correction: '%s' is not holm or bh", tok[2]);
		return 0;
	}
	errno = 0;
	v = strtod(tok[2], &end);
	if (k != 0 && end != tok[2] && *end == '%')
		end++;
	if (errno || end == tok[2] || *end || !isfinite(v))
		return fail(ps, "%s: '%s' is not a number", tok[1], tok[2]);
	switch (k) {
	case 0:
		if (v < 0.5 || v >= 1)
			return fail(ps, "confidence: %s is not in [0.5, 1)", tok[2]);
		rs->stat.confidence = v;
		break;
	case 1:
	case 2:
	case 3:
		if (v < 0 || v > 100)
			return fail(ps, "%s: %s is not a percentage from 0 to 100", tok[1], tok[2]);
		if (k == 1)
			rs->stat.min_effect = v / 100;
		else if (k == 2)
			rs->stat.min_cpu_change = v / 100;
		else
			rs->stat.cpu_noise = v / 100;
		break;
	case 4:
		if (v < 1 || v > 1e12 || v != floor(v))
			return fail(ps, "min-samples: %s is not a whole number >= 1", tok[2]);
		rs->stat.min_samples = (uint64_t)v;
		break;
	default:
		if (v < 2 || v > DIFF_MAX_SLICES || v != floor(v))
			return fail(ps, "slices: %s is not a whole number from 2 to %d", tok[2],
				    DIFF_MAX_SLICES);
		rs->slices = (unsigned)v;
		break;
	}
	return 0;
}

static const struct {
	const char *name;
	unsigned tiers;
} tier_rules[] = {
	{ "max-interpreter-share", 1u << TP_TIER_INTERPRETER },
	{ "max-baseline-share", 1u << TP_TIER_BASELINE },
	{ "max-not-optimized-share", (1u << TP_TIER_INTERPRETER) | (1u << TP_TIER_BASELINE) },
};

static int parse_rule(struct parser *ps, struct rules *rs, char **tok, size_t ntok,
		      const char *text)
{
	struct rule r = { .line = ps->line };
	int err = 0;

	if (!strcmp(tok[0], "set"))
		return parse_set(ps, rs, tok, ntok);
	for (size_t i = 0; i < TP_ARRAY_SIZE(tier_rules); i++) {
		if (strcmp(tok[0], tier_rules[i].name))
			continue;
		r.kind = RULE_MAX_TIER_SHARE;
		r.tiers = tier_rules[i].tiers;
		if (ntok < 2)
			return fail(ps, "%s needs a percentage: %s 10%%", tok[0], tok[0]);
		err = parse_pct(ps, tok[0], tok[1], &r.limit) || parse_for(ps, tok, ntok, 2, &r, 1);
		goto done;
	}
	if (!strcmp(tok[0], "max-unknown-share")) {
		r.kind = RULE_MAX_UNKNOWN_SHARE;
		if (ntok < 2)
			return fail(ps,
				    "max-unknown-share needs a percentage: max-unknown-share 5%%");
		err = parse_pct(ps, tok[0], tok[1], &r.limit) || parse_for(ps, tok, ntok, 2, &r, 0);
	} else if (!strcmp(tok[0], "max-lost")) {
		char *end;

		r.kind = RULE_MAX_LOST;
		if (ntok < 2)
			return fail(ps, "max-lost needs a percentage or a count: max-lost 1%%");
		if (strchr(tok[1], '%')) {
			err = parse_pct(ps, tok[0], tok[1], &r.limit);
		} else {
			errno = 0;
			r.limit = strtod(tok[1], &end);
			r.limit_is_count = 1;
			if (errno || end == tok[1] || *end || !isfinite(r.limit) || r.limit < 0 ||
			    r.limit != floor(r.limit))
				err = fail(ps, "max-lost: '%s' is not a count or a percentage",
					   tok[1]);
		}
		err = err || parse_for(ps, tok, ntok, 2, &r, 0);
	} else if (!strcmp(tok[0], "no-deopt-loops")) {
		r.kind = RULE_NO_DEOPT_LOOPS;
		err = parse_for(ps, tok, ntok, 1, &r, 1);
	} else if (!strcmp(tok[0], "no-regression")) {
		r.kind = RULE_NO_REGRESSION;
		err = parse_for(ps, tok, ntok, 1, &r, 1);
	} else {
		return fail(ps,
			    "unknown rule '%s' (max-interpreter-share, max-baseline-share, "
			    "max-not-optimized-share, max-unknown-share, max-lost, "
			    "no-deopt-loops, no-regression, set)",
			    tok[0]);
	}
done:
	if (err) {
		free(r.glob);
		return -1;
	}
	r.text = tp_xstrdup(text);
	TP_VEC_PUSH(rs->v, rs->n, rs->cap, r);
	return 0;
}

int rules__parse(struct rules *rs, const char *buf, size_t len, const char *path, char *err,
		 size_t errlen)
{
	struct parser ps = { .path = path, .err = err, .errlen = errlen };
	char *line = tp_xmalloc(RULES_MAX_LINE + 1), *text = tp_xmalloc(RULES_MAX_LINE + 1);
	size_t pos = 0;
	int ret = 0;

	memset(rs, 0, sizeof(*rs));
	rs->stat = diff_opts__default;
	rs->slices = DIFF_DEFAULT_SLICES;
	if (len > RULES_MAX_FILE) {
		ps.line = 0;
		snprintf(err, errlen, "%s: %zu bytes: a rules file is at most %u", path, len,
			 RULES_MAX_FILE);
		ret = -1;
	}
	while (!ret && pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos, b = 0, e;
		size_t next = pos + n + (nl ? 1 : 0); /* before the \r is trimmed */
		char *tok[MAX_TOKENS];
		size_t ntok;

		ps.line++;
		if (n && buf[pos + n - 1] == '\r')
			n--;
		if (n > RULES_MAX_LINE) {
			ret = fail(&ps, "line longer than %d bytes", RULES_MAX_LINE);
			break;
		}
		if (memchr(buf + pos, '\0', n)) {
			ret = fail(&ps, "a NUL byte: not a text file");
			break;
		}
		memcpy(line, buf + pos, n);
		line[n] = '\0';
		pos = next;
		/* the text kept for messages: trimmed, comment included */
		while (line[b] == ' ' || line[b] == '\t')
			b++;
		e = strlen(line + b);
		while (e && (line[b + e - 1] == ' ' || line[b + e - 1] == '\t'))
			e--;
		memcpy(text, line + b, e);
		text[e] = '\0';
		if (tokenize(&ps, line, tok, &ntok)) {
			ret = -1;
			break;
		}
		if (!ntok)
			continue;
		ret = parse_rule(&ps, rs, tok, ntok, text);
	}
	free(line);
	free(text);
	if (ret)
		rules__exit(rs);
	else if (!rs->n)
		ret = fail(&ps, "no rules (see docs/check.md for the format)");
	return ret;
}

void rules__exit(struct rules *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		free(rs->v[i].glob);
		free(rs->v[i].text);
	}
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

const char *rule_kind__name(const struct rule *r)
{
	switch (r->kind) {
	case RULE_MAX_TIER_SHARE:
		for (size_t i = 0; i < TP_ARRAY_SIZE(tier_rules); i++) {
			if (tier_rules[i].tiers == r->tiers)
				return tier_rules[i].name;
		}
		return "max-tier-share";
	case RULE_MAX_UNKNOWN_SHARE:
		return "max-unknown-share";
	case RULE_MAX_LOST:
		return "max-lost";
	case RULE_NO_DEOPT_LOOPS:
		return "no-deopt-loops";
	default:
		return "no-regression";
	}
}
