/* Interpreted Java methods by name (ABI 1.3 refine).
 *
 * The template interpreter is one code blob, so its address says nothing of
 * the method it runs; its frame does. On x86_64 an interpreter frame keeps
 * its Method* at fp + HS_INTERP_METHOD_SLOT words (frame_x86.hpp:
 * interpreter_frame_method_offset = -3 in JDK 17 and 25; the agent also
 * writes HotSpot's published last_sp offset, one above it, and that is used
 * when present). The core gives each Interpreter frame of a sample its frame
 * pointer (the leaf's BP, a caller's from the frame chain in the sampled
 * stack); refine_key reads the slot and keeps the value only when the
 * agent's table lists it, so a frame caught before its frame was built
 * (method entry), or anything else that is not an interpreter frame, stays
 * unnamed rather than misnamed. */
#include "hs_methods.h"
#include "hs_state.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct methods_ctx {
	struct hs_proc *p;
	int last_sp; /* frame::interpreter_frame_last_sp_offset, 0 = not given */
};

static int on_method(void *ctx, uint64_t method, const char *key, size_t key_len)
{
	struct hs_proc *p = ((struct methods_ctx *)ctx)->p;
	char *copy;

	if (p->nmethods == p->methods_cap) {
		size_t cap = p->methods_cap ? p->methods_cap * 2 : 1024;
		struct hs_method *m = realloc(p->methods, cap * sizeof(*m));

		if (!m)
			return -ENOMEM;
		p->methods = m;
		p->methods_cap = cap;
	}
	copy = malloc(key_len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, key, key_len + 1);
	p->methods[p->nmethods++] = (struct hs_method){ .method = method, .key = copy };
	p->methods_sorted = 0;
	return 0;
}

static void on_constant(void *ctx, const char *name, size_t n, int64_t value)
{
	static const char last_sp[] = "frame::interpreter_frame_last_sp_offset";

	if (n == sizeof(last_sp) - 1 && !memcmp(name, last_sp, n) && value < 0 && value > -64)
		((struct methods_ctx *)ctx)->last_sp = (int)value;
}

static int method_cmp(const void *a, const void *b)
{
	const struct hs_method *x = a, *y = b;

	return (x->method > y->method) - (x->method < y->method);
}

static const struct hs_method *method_find(struct hs_proc *p, uint64_t method)
{
	size_t lo = 0, hi;

	if (!p || !p->nmethods)
		return NULL;
	if (!p->methods_sorted) {
		qsort(p->methods, p->nmethods, sizeof(*p->methods), method_cmp);
		p->methods_sorted = 1;
	}
	hi = p->nmethods;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->methods[mid].method < method)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nmethods && p->methods[lo].method == method ? &p->methods[lo] : NULL;
}

int hs_ingest_methods(struct hs_state *s, const struct tp_side_file *f)
{
	static const struct hs_methods_cb cb = { .method = on_method, .constant = on_constant };
	struct hs_proc *p = hs_state__proc(s, f->pid, 1);
	struct methods_ctx c = { .p = p };
	struct hs_methods_info info;
	int ret;

	if (!p)
		return -ENOMEM;
	ret = hs_methods__parse((const char *)f->data, (size_t)f->len, &cb, &c, &info);
	if (ret == -1) {
		s->api->log(s->host, TP_PLOG_WARN, "%s: %s; interpreted methods stay unnamed",
			    f->name, info.error);
		return 0;
	}
	if (ret < 0)
		return ret;
	if (info.bad_lines)
		s->api->log(s->host, TP_PLOG_WARN,
			    "%s: %zu malformed lines skipped (first: line %zu)", f->name,
			    info.bad_lines, info.first_bad_line);
	p->method_slot = c.last_sp ? c.last_sp - 1 : HS_INTERP_METHOD_SLOT;
	if (c.last_sp && c.last_sp - 1 != HS_INTERP_METHOD_SLOT)
		s->api->log(s->host, TP_PLOG_INFO,
			    "%s: this JVM's interpreter frame has last_sp at word %d: reading "
			    "Method* at word %d",
			    f->name, c.last_sp, p->method_slot);
	s->api->log(s->host, TP_PLOG_DEBUG, "%s: %zu methods (JVM %.*s)", f->name, info.methods,
		    (int)info.vm_len, info.vm ? info.vm : "");
	return 0;
}

int hs_interp_ready(struct hs_state *s, uint32_t pid)
{
	const struct hs_proc *p = hs_state__proc(s, pid, 0);

	return p && p->nmethods;
}

int hs_refine_key(void *state, const struct tp_frame_info *frame, const struct tp_frame_ctx *ctx,
		  uint64_t *key)
{
	struct hs_proc *p = hs_state__proc(state, frame->pid, 0);
	uint64_t slot, method;

#if !defined(__x86_64__)
	/* The frame layout above is x86_64's. */
	return 0;
#endif
	if (!p || !p->nmethods || !ctx->fp || !ctx->read_stack)
		return 0;
	slot = ctx->fp + (uint64_t)((int64_t)p->method_slot * 8);
	if (ctx->read_stack(ctx, slot, &method, sizeof(method)))
		return 0;
	if (!method_find(p, method))
		return 0;
	*key = method;
	return 1;
}

int hs_refine(void *state, const struct tp_frame_info *frame, uint64_t key,
	      struct tp_classification *out)
{
	struct hs_state *s = state;
	const struct hs_method *m = method_find(hs_state__proc(s, frame->pid, 0), key);

	if (!m)
		return 0;
	out->tier = TP_TIER_INTERPRETER;
	snprintf(out->subtier, sizeof(out->subtier), "template interpreter");
	snprintf(out->function_key, sizeof(out->function_key), "%s", m->key);
	snprintf(out->display_name, sizeof(out->display_name), "%s", m->key);
	hs_note_key(s, m->key);
	return 1;
}
