/* Collapsed-stack parser (collapsed.h). */
#include "collapsed.h"
#include "../util/err.h"
#include "../util/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 3, 4))) static int fail(struct collapsed_stats *st, size_t line,
						      const char *fmt, ...)
{
	va_list ap;

	st->error_line = line;
	va_start(ap, fmt);
	vsnprintf(st->error, sizeof(st->error), fmt, ap);
	va_end(ap);
	return TP_ERR_BAD_FORMAT;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* "name_[x]": split off a known annotation. */
static void annotate(struct collapsed_frame *f)
{
	if (f->len > 4 && f->name[f->len - 4] == '_' && f->name[f->len - 3] == '[' &&
	    f->name[f->len - 1] == ']' && strchr("01jik", f->name[f->len - 2]) &&
	    f->name[f->len - 2]) {
		f->ann = f->name[f->len - 2];
		f->len -= 4;
	}
}

int collapsed__parse(const char *text, size_t len, collapsed_stack_fn fn, void *ctx,
		     struct collapsed_stats *st)
{
	const char *p = text, *end = text ? text + len : NULL;
	struct collapsed_frame *frames = NULL;
	size_t cap = 0;
	int ret = 0;

	memset(st, 0, sizeof(*st));
	if (text && len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end && !ret) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end, *sp, *q;
		size_t n = 0, line = ++st->lines;
		uint64_t count = 0;

		if (e > p && e[-1] == '\r')
			e--;
		while (e > p && is_blank(e[-1]))
			e--;
		if (e == p) {
			p = nl ? nl + 1 : end;
			continue;
		}
		if (memchr(p, '\0', (size_t)(e - p))) {
			ret = fail(st, line, "a NUL byte (binary data, not collapsed stacks)");
			break;
		}
		for (sp = e; sp > p && !is_blank(sp[-1]); sp--)
			;
		if (sp == p) {
			ret = fail(st, line, "no count: expected \"frame;frame;... COUNT\"");
			break;
		}
		for (q = sp; q < e; q++) {
			unsigned d = (unsigned)(*q - '0');

			if (d > 9) {
				ret = fail(st, line,
					   "count \"%.*s\" is not a whole number of samples",
					   (int)(e - sp > 40 ? 40 : e - sp), sp);
				break;
			}
			count = count * 10 + d;
			if (count > COLLAPSED_MAX_COUNT) {
				ret = fail(st, line, "count larger than %llu",
					   (unsigned long long)COLLAPSED_MAX_COUNT);
				break;
			}
		}
		if (ret)
			break;
		for (e = sp; e > p && is_blank(e[-1]); e--)
			;
		if (e == p) {
			ret = fail(st, line, "no frames before the count");
			break;
		}
		/* Frames: split at ';'. */
		for (q = p; !ret;) {
			const char *semi = memchr(q, ';', (size_t)(e - q));
			const char *fe = semi ? semi : e;
			struct collapsed_frame f = { .name = q, .len = (size_t)(fe - q) };

			/* Empty frames ("a;;b", "a; 3") are in real stackcollapse
			 * output: reported with len 0, for the caller to name. */
			annotate(&f);
			if (n == COLLAPSED_MAX_DEPTH) {
				ret = fail(st, line, "stack deeper than %d frames",
					   COLLAPSED_MAX_DEPTH);
				break;
			}
			tp_xgrow((void **)&frames, &cap, n + 1, sizeof(*frames));
			st->annotated += f.ann != 0;
			frames[n++] = f;
			if (!semi)
				break;
			q = semi + 1;
		}
		if (ret)
			break;
		st->stacks++;
		st->total += count;
		if (fn)
			ret = fn(ctx, frames, n, count, line);
		p = nl ? nl + 1 : end;
	}
	free(frames);
	return ret;
}
