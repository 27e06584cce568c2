/* FlameGraph folded stacks: "comm;outer;...;leaf count", one line per
 * distinct (thread name, stack). With annotate, frame names carry the
 * suffixes FlameGraph and async-profiler colour by: _[k] kernel, _[j]
 * optimized JIT, _[i] inlined (whatever its tier, as async-profiler marks
 * it), _[1] baseline, _[0] interpreted. */
#include "output.h"
#include "../model/profile.h"
#include "../util/hash.h"
#include "../util/mem.h"

#include <string.h>
#include <tierprof/plugin.h>

struct line {
	uint32_t comm, node;
	uint64_t count;
	char *text;
};

static const char *suffix(unsigned tier)
{
	switch (tier) {
	case TP_TIER_KERNEL:
		return "_[k]";
	case TP_TIER_OPTIMIZED:
		return "_[j]";
	case TP_TIER_BASELINE:
		return "_[1]";
	case TP_TIER_INTERPRETER:
		return "_[0]";
	default:
		return "";
	}
}

/* Folded names may not contain ';' (the separator) or a newline. */
static void put_name(char **buf, size_t *len, size_t *cap, const char *s)
{
	for (; *s; s++) {
		char c = (*s == ';' || *s == '\n' || *s == '\r') ? ':' : *s;

		TP_VEC_PUSH(*buf, *len, *cap, c);
	}
}

static void frame_name(const struct profile *p, uint32_t frame, int annotate, char **buf,
		       size_t *len, size_t *cap)
{
	const struct frame *fr = &p->frames[frame];
	const struct function *fn = &p->funcs[fr->func];

	put_name(buf, len, cap, profile__str(p, fn->name));
	if (fn->cause != UNKNOWN_NONE && fn->dso != PROFILE_NO_DSO) {
		put_name(buf, len, cap, " (");
		put_name(buf, len, cap, profile__func_dso(p, fr->func));
		put_name(buf, len, cap, ")");
	}
	if (annotate)
		put_name(buf, len, cap, (fr->flags & TP_FRAME_INLINED) ? "_[i]" : suffix(fr->tier));
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(((const struct line *)a)->text, ((const struct line *)b)->text);
}

int output_folded(FILE *f, const struct profile *p, const struct report_opts *o)
{
	struct tp_u64map idx;
	struct line *lines = NULL;
	size_t nlines = 0, cap = 0;
	uint32_t *path = NULL;
	size_t path_cap = 0;

	u64map__init(&idx);
	for (size_t i = 0; i < p->nsamples; i++) {
		const struct sample *s = &p->samples[i];
		int is_new;
		uint64_t *slot = u64map__slot(&idx, ((uint64_t)s->comm << 32) | s->node, &is_new);

		if (is_new) {
			*slot = nlines;
			TP_VEC_PUSH(lines, nlines, cap,
				    ((struct line){ .comm = s->comm, .node = s->node }));
		}
		lines[*slot].count += sample__weight(s);
	}
	for (size_t i = 0; i < nlines; i++) {
		char *buf = NULL;
		size_t len = 0, bcap = 0, depth = 0;

		if (!o->no_thread)
			put_name(&buf, &len, &bcap, profile__str(p, lines[i].comm));
		for (uint32_t n = lines[i].node; n != PROFILE_ROOT; n = p->nodes[n].parent) {
			tp_xgrow((void **)&path, &path_cap, depth + 1, sizeof(*path));
			path[depth++] = p->nodes[n].frame;
		}
		while (depth) {
			if (len)
				TP_VEC_PUSH(buf, len, bcap, ';');
			frame_name(p, path[--depth], o->annotate, &buf, &len, &bcap);
		}
		TP_VEC_PUSH(buf, len, bcap, '\0');
		lines[i].text = buf;
	}
	qsort(lines, nlines, sizeof(*lines), cmp_line);
	/* Stacks that differ only in what the names do not show (a tier without
	 * --annotate) print as one line. */
	for (size_t i = 0; i < nlines; i++) {
		uint64_t count = lines[i].count;

		while (i + 1 < nlines && !strcmp(lines[i].text, lines[i + 1].text)) {
			free(lines[i].text);
			count += lines[++i].count;
		}
		fprintf(f, "%s %llu\n", lines[i].text, (unsigned long long)count);
		free(lines[i].text);
	}
	free(lines);
	free(path);
	u64map__exit(&idx);
	return ferror(f) ? -1 : 0;
}
