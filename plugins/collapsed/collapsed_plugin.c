/* Frames of a capture made by `tierprof import --collapsed` (another
 * profiler's collapsed stacks). The importer gives each distinct frame, in
 * its tier, a code range of a synthetic process and lists them in a
 * "collapsed-frames" side file, one "START SIZE TIER FLAGS NAME" line each
 * (docs/capture-format.md). This plugin
 *   ingest    names the ranges (add_code) and keeps their tiers
 *   classify  gives a frame in such a range its tier: interpreter, baseline
 *             and optimized (async-profiler's _[0] _[1] _[j], and _[i]
 *             inlined frames flagged TP_FRAME_INLINED) are JVM code, the
 *             rest native or kernel; a frame's name is its identity, so a
 *             method inlined here and compiled there is one function.
 * It includes only the plugin header and libc, as every plugin should. */
#include <tierprof/plugin.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FRAMES_KIND "collapsed-frames"

struct range {
	uint32_t pid;
	uint32_t tier, flags;
	uint64_t start, len;
};

struct state {
	const struct tp_host_api *api;
	void *host;
	struct range *ranges;
	size_t nranges, cap;
	int sorted;
};

static int init(const struct tp_host_api *api, void *host, void **state, char *err, size_t errlen)
{
	struct state *s;

	if (!TP_HAS(api, add_code) || !api->add_code) {
		snprintf(err, errlen, "host services table too old (size %u)", api->size);
		return -ENOTSUP;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	s->api = api;
	s->host = host;
	*state = s;
	return 0;
}

static void fini(void *state)
{
	struct state *s = state;

	free(s->ranges);
	free(s);
}

static int tier_from(const char *w, size_t n, uint32_t *tier)
{
	static const struct {
		const char *word;
		uint32_t tier;
	} tiers[] = {
		{ "interpreter", TP_TIER_INTERPRETER }, { "baseline", TP_TIER_BASELINE },
		{ "optimized", TP_TIER_OPTIMIZED },	{ "native", TP_TIER_NATIVE },
		{ "kernel", TP_TIER_KERNEL },		{ "unknown", TP_TIER_UNKNOWN },
	};

	for (size_t i = 0; i < sizeof(tiers) / sizeof(tiers[0]); i++) {
		if (strlen(tiers[i].word) == n && !memcmp(tiers[i].word, w, n)) {
			*tier = tiers[i].tier;
			return 0;
		}
	}
	return -1;
}

/* Next blank-separated field of [*p, end); 0 when there is none. */
static size_t field(const char **p, const char *end, const char **start)
{
	const char *q = *p;

	while (q < end && *q == ' ')
		q++;
	*start = q;
	while (q < end && *q != ' ')
		q++;
	*p = q;
	return (size_t)(q - *start);
}

static int hex(const char *s, size_t n, uint64_t *v)
{
	*v = 0;
	if (!n || n > 16)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
			     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
						    : 16;

		if (d > 15)
			return -1;
		*v = *v << 4 | d;
	}
	return 0;
}

/* One "START SIZE TIER FLAGS NAME" line. */
static int parse_line(struct state *s, uint32_t pid, const char *p, const char *end)
{
	const char *f, *name;
	size_t n;
	struct range r = { .pid = pid };
	char buf[TP_PLUGIN_STR_MAX + 1];

	if ((n = field(&p, end, &f)) == 0 || hex(f, n, &r.start))
		return -1;
	if ((n = field(&p, end, &f)) == 0 || hex(f, n, &r.len) || !r.len ||
	    r.start + r.len < r.start)
		return -1;
	if ((n = field(&p, end, &f)) == 0 || tier_from(f, n, &r.tier))
		return -1;
	n = field(&p, end, &f);
	if (n == 7 && !memcmp(f, "inlined", 7))
		r.flags = TP_FRAME_INLINED;
	else if (n != 1 || *f != '-')
		return -1;
	if (p >= end || *p != ' ' || p + 1 >= end)
		return -1;
	name = p + 1;
	n = (size_t)(end - name);
	if (n > TP_PLUGIN_STR_MAX || memchr(name, '\0', n))
		return -1;
	memcpy(buf, name, n);
	buf[n] = '\0';
	if (s->nranges == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		struct range *v = realloc(s->ranges, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->ranges = v;
		s->cap = cap;
	}
	s->ranges[s->nranges++] = r;
	s->sorted = 0;
	return s->api->add_code(s->host, pid, r.start, r.len, buf, 0) < 0 ? -1 : 0;
}

static int ingest(void *state, const struct tp_side_file *file)
{
	struct state *s = state;
	const char *p = (const char *)file->data, *end = p + file->len;
	size_t line = 0, bad = 0, first_bad = 0;

	if (!file->kind || strcmp(file->kind, FRAMES_KIND))
		return 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		int err;

		line++;
		if (e > p) {
			err = parse_line(s, file->pid, p, e);
			if (err == -ENOMEM)
				return err;
			if (err && !bad++)
				first_bad = line;
		}
		p = nl ? nl + 1 : end;
	}
	if (bad)
		s->api->log(s->host, TP_PLOG_WARN,
			    "%s: %zu malformed frame lines skipped (first: line %zu)", file->name,
			    bad, first_bad);
	return 0;
}

static int range_cmp(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->start > y->start) - (x->start < y->start);
}

static const struct range *find(struct state *s, uint32_t pid, uint64_t addr)
{
	size_t lo = 0, hi = s->nranges;

	if (!s->sorted && s->nranges) {
		qsort(s->ranges, s->nranges, sizeof(*s->ranges), range_cmp);
		s->sorted = 1;
	}
	/* The last range starting at or below addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct range *r = &s->ranges[mid];

		if (r->pid < pid || (r->pid == pid && r->start <= addr))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	lo--;
	if (s->ranges[lo].pid != pid || addr - s->ranges[lo].start >= s->ranges[lo].len)
		return NULL;
	return &s->ranges[lo];
}

static int classify(void *state, const struct tp_frame_info *f, struct tp_classification *out)
{
	struct state *s = state;
	const struct range *r;
	const char *runtime = "jvm", *subtier = "";

	if (!f->name || (f->source != TP_SYM_PERFMAP && f->source != TP_SYM_PLUGIN))
		return 0;
	r = find(s, f->pid, f->addr);
	if (!r)
		return 0;
	switch (r->tier) {
	case TP_TIER_INTERPRETER:
		subtier = "interpreted";
		break;
	case TP_TIER_BASELINE:
		subtier = "C1 compiled";
		break;
	case TP_TIER_OPTIMIZED:
		subtier = "JIT compiled";
		break;
	case TP_TIER_NATIVE:
		runtime = "native";
		break;
	case TP_TIER_KERNEL:
		runtime = "kernel";
		break;
	default:
		if (!strcmp(f->name, "[unknown]"))
			snprintf(out->hint, sizeof(out->hint),
				 "an empty frame in the imported stacks: the profiler that wrote "
				 "them could not name it");
		else
			snprintf(out->hint, sizeof(out->hint),
				 "imported without tier annotations: profile with async-profiler "
				 "-a (--ann) so its collapsed output carries _[j] _[i] _[0] _[1] "
				 "_[k]");
		break;
	}
	out->tier = r->tier;
	out->flags = r->flags;
	snprintf(out->subtier, sizeof(out->subtier), "%s", subtier);
	snprintf(out->runtime, sizeof(out->runtime), "%s", runtime);
	return 1;
}

static const struct tp_plugin collapsed_plugin = {
	.size = sizeof(struct tp_plugin),
	.abi_major = TP_PLUGIN_ABI_MAJOR,
	.abi_minor = TP_PLUGIN_ABI_MINOR,
	.name = "collapsed",
	.version = "1.0",
	.description = "frames imported from collapsed stacks (async-profiler -a annotations)",
	.caps = TP_CAP_CLASSIFY | TP_CAP_INGEST,
	.init = init,
	.fini = fini,
	.classify = classify,
	.ingest = ingest,
};

TP_PLUGIN_DEFINE(collapsed_plugin);
