/* Collapsed stacks into a capture (import_collapsed.h). */
#include "import_collapsed.h"
#include "../capture/collapsed.h"
#include "../capture/synth.h"
#include "../util/err.h"
#include "../util/file.h"
#include "../util/hash.h"
#include "../util/log.h"
#include "../util/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tierprof/plugin.h>
#include <unistd.h>

#define IMPORT_PID 1
#define IMPORT_TIME 1000000000ull  /* one timestamp: the format has no times */
#define USER_BASE 0x10000000000ull /* the synthetic process's code */
#define KERNEL_BASE 0xffffffff80000000ull
#define SLOT 16 /* bytes of code per frame; samples point inside (+8) */

struct import_ctx {
	struct synth *s;
	struct tp_strtab user, kernel; /* "TIER FLAGS NAME" / kernel names -> slot */
	int annotated;		       /* the file has annotations */
	uint64_t *ips;
	size_t ips_cap;
	char *key;
	size_t key_cap;
	uint64_t zero_lines;
};

static const char *tier_word(unsigned tier)
{
	switch (tier) {
	case TP_TIER_INTERPRETER:
		return "interpreter";
	case TP_TIER_BASELINE:
		return "baseline";
	case TP_TIER_OPTIMIZED:
		return "optimized";
	case TP_TIER_NATIVE:
		return "native";
	case TP_TIER_KERNEL:
		return "kernel";
	default:
		return "unknown";
	}
}

static unsigned tier_of(char ann, int annotated)
{
	switch (ann) {
	case '0':
		return TP_TIER_INTERPRETER;
	case '1':
		return TP_TIER_BASELINE;
	case 'j':
		return TP_TIER_OPTIMIZED;
	case 'k':
		return TP_TIER_KERNEL;
	default:
		return annotated ? TP_TIER_NATIVE : TP_TIER_UNKNOWN;
	}
}

/* A kernel name kallsyms can hold: no blanks. */
static int kallsyms_name(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			return 0;
	}
	return 1;
}

static uint64_t frame_ip(struct import_ctx *c, const struct collapsed_frame *f, unsigned tier,
			 int inlined)
{
	static const struct collapsed_frame unnamed = { .name = "[unknown]", .len = 9 };
	int len;

	if (!f->len) { /* an empty frame: nothing named it */
		f = &unnamed;
		tier = TP_TIER_UNKNOWN;
	}
	if (tier == TP_TIER_KERNEL && kallsyms_name(f->name, f->len))
		return KERNEL_BASE + (uint64_t)strtab__intern(&c->kernel, f->name, f->len) * SLOT +
		       8;
	tp_xgrow((void **)&c->key, &c->key_cap, f->len + 32, 1);
	len = snprintf(c->key, c->key_cap, "%s %s %.*s", tier_word(tier), inlined ? "inlined" : "-",
		       (int)f->len, f->name);
	return USER_BASE + (uint64_t)strtab__intern(&c->user, c->key, (size_t)len) * SLOT + 8;
}

static int on_stack(void *ctx, const struct collapsed_frame *frames, size_t n, uint64_t count,
		    size_t line_no)
{
	struct import_ctx *c = ctx;
	unsigned caller_tier = TP_TIER__COUNT; /* nearest compiled/interpreted caller */
	int err;

	(void)line_no;
	if (!count) {
		c->zero_lines++;
		return 0;
	}
	tp_xgrow((void **)&c->ips, &c->ips_cap, n, sizeof(*c->ips));
	/* Outermost first in the file; leaf first in a callchain. */
	for (size_t i = 0; i < n; i++) {
		const struct collapsed_frame *f = &frames[i];
		unsigned tier;
		int inlined = f->ann == 'i';

		if (inlined) {
			/* Inlined into the compiled frame above it. */
			tier = caller_tier != TP_TIER__COUNT ? caller_tier : TP_TIER_OPTIMIZED;
		} else {
			tier = tier_of(f->ann, c->annotated);
			if (f->ann == '0' || f->ann == '1' || f->ann == 'j')
				caller_tier = tier;
		}
		c->ips[n - 1 - i] = frame_ip(c, f, tier, inlined);
	}
	err = synth__sample(c->s, IMPORT_PID, IMPORT_PID, IMPORT_TIME, count, c->ips, n);
	return err ? err : 0;
}

/* "START SIZE TIER FLAGS NAME" per user frame (docs/capture-format.md). */
static char *frames_file(const struct import_ctx *c, size_t *len)
{
	char *buf = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < c->user.len; i++) {
		const char *k = strtab__str(&c->user, (uint32_t)i);
		char head[48];
		int h = snprintf(head, sizeof(head), "%llx %x ",
				 (unsigned long long)(USER_BASE + i * SLOT), SLOT);
		size_t kl = strlen(k);

		tp_xgrow((void **)&buf, &cap, n + (size_t)h + kl + 1, 1);
		memcpy(buf + n, head, (size_t)h);
		memcpy(buf + n + h, k, kl);
		n += (size_t)h + kl;
		buf[n++] = '\n';
	}
	*len = n;
	return buf;
}

static char *kallsyms_file(const struct import_ctx *c, size_t *len)
{
	char *buf = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < c->kernel.len; i++) {
		const char *k = strtab__str(&c->kernel, (uint32_t)i);
		size_t need = strlen(k) + 24;

		tp_xgrow((void **)&buf, &cap, n + need + 1, 1);
		n += (size_t)snprintf(buf + n, cap - n, "%016llx T %s\n",
				      (unsigned long long)(KERNEL_BASE + i * SLOT), k);
	}
	*len = n;
	return buf;
}

/* The process is named after the file: "sample1" for sample1.collapsed. */
static void comm_of(const char *path, char comm[16])
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	const char *dot = strchr(base, '.');
	size_t n = dot && dot > base ? (size_t)(dot - base) : strlen(base);

	snprintf(comm, 16, "%.*s", (int)(n > 15 ? 15 : n), base);
}

static int write_capture(struct import_ctx *c, const char *in, const char *text, size_t len,
			 const char *tmp, const char *meta, struct collapsed_stats *st)
{
	char comm[16], *side;
	size_t side_len, code;
	int err;

	comm_of(in, comm);
	err = synth__open(tmp, meta, 1, &c->s);
	if (err)
		return err;
	err = synth__comm(c->s, IMPORT_PID, IMPORT_PID, comm, IMPORT_TIME);
	err = err ?: collapsed__parse(text, len, on_stack, c, st);
	if (err) {
		synth__abort(c->s);
		return err;
	}
	/* The mapping covers every frame; its record may follow the samples:
	 * the loader replays records in time order, file order breaking ties. */
	code = (c->user.len * SLOT + 4095) & ~(size_t)4095;
	err = code ? synth__mmap(c->s, IMPORT_PID, USER_BASE, code, 0, "//anon", 0) : 0;
	if (!err) {
		side = frames_file(c, &side_len);
		err = synth__side_file(c->s, IMPORT_PID, IMPORT_TIME, in, "collapsed-frames", side,
				       side_len);
		free(side);
	}
	if (!err && c->kernel.len) {
		side = kallsyms_file(c, &side_len);
		err = synth__side_file(c->s, 0, IMPORT_TIME, "kallsyms", "kallsyms", side,
				       side_len);
		free(side);
	}
	if (err) {
		synth__abort(c->s);
		return err;
	}
	return synth__close(c->s, IMPORT_TIME, -1);
}

int import_collapsed(const char *in, const char *out, const char *meta)
{
	struct import_ctx c = { 0 };
	struct collapsed_stats st;
	char *text = NULL, *tmp = NULL;
	size_t len = 0;
	int err, fd;

	err = tp_read_file(in, &text, &len);
	if (err) {
		pr_err("cannot read %s: %s", in, tp_strerror(err));
		return -1;
	}
	/* A first pass checks the whole file and finds whether it is annotated. */
	err = collapsed__parse(text, len, NULL, NULL, &st);
	if (err) {
		pr_err("%s:%zu: %s", in, st.error_line, st.error);
		free(text);
		return -1;
	}
	if (!st.stacks) {
		pr_err("%s: no stacks in it (expected \"frame;frame;... COUNT\" lines)", in);
		free(text);
		return -1;
	}
	c.annotated = st.annotated > 0;
	strtab__init(&c.user);
	strtab__init(&c.kernel);
	tmp = tp_xasprintf("%s.import-XXXXXX", out);
	fd = mkstemp(tmp);
	if (fd < 0) {
		pr_err("cannot create a file next to %s: %s", out, strerror(errno));
		err = -1;
		goto out;
	}
	close(fd);
	err = write_capture(&c, in, text, len, tmp, meta, &st);
	if (!err && !access(out, F_OK)) {
		char *old = tp_xasprintf("%s.old", out); /* as import always keeps it */

		rename(out, old);
		free(old);
	}
	if (!err && rename(tmp, out))
		err = -errno;
	if (err) {
		pr_err("writing %s failed: %s", out, tp_strerror(err));
		unlink(tmp);
		err = -1;
		goto out;
	}
	pr_info("%s: %zu stacks, %llu samples, %zu distinct frames (%zu annotated)", in, st.stacks,
		(unsigned long long)st.total, c.user.len + c.kernel.len, st.annotated);
	if (c.zero_lines)
		pr_warn("%s: %llu stacks with a count of 0 left out", in,
			(unsigned long long)c.zero_lines);
	if (!c.annotated)
		pr_warn("%s has no tier annotations (_[j], _[i], _[0], _[1], _[k]): every frame's "
			"tier is unknown; async-profiler writes them with -a (--ann)",
			in);
out:
	strtab__exit(&c.user);
	strtab__exit(&c.kernel);
	free(c.ips);
	free(c.key);
	free(tmp);
	free(text);
	return err ? -1 : 0;
}
