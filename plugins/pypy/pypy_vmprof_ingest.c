/* PyPy's vmprof profile -> runtime stacks (ABI 1.3 add_runtime_stack) that
 * name the native samples in stripped libpypy by the Python function PyPy
 * was running.
 *
 * With native stacks on (the hook enables them), a vmprof sample tells where
 * the CPU was: its innermost entry is an address in JIT code (tag 6), or a
 * native address (tag 7: libpypy, libc ...). Samples in JIT code are left
 * out: the native samples there are in JIT code too, which the hook names.
 * For the others, the Python frames (tag 1, innermost first) are the stack;
 * a frame whose code the JIT runs (a tag 3 entry of the same code in that
 * sample) is optimized, the others interpreted. When the innermost Python
 * frame is JIT code, libpypy is working for it (a call out of JIT code, the
 * GC): the stack keeps libpypy as its leaf, in the runtime tier. Otherwise
 * libpypy is interpreting that frame, which takes its place (as a V8
 * bytecode handler folds into the interpreted function). */
#include "pypy_state.h"
#include "pypy_vmprof.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIBPYPY_KEY "pypy libpypy"
#define LIBPYPY_NAME "[libpypy: interpreter, GC, runtime]"

struct code_name {
	uint64_t id; /* 0 = empty slot; PyPy's ids start above 0 */
	const char *name;
	size_t len;
};

struct frame_text {
	char key[512], display[512];
};

struct vm_ingest {
	struct pypy_state *s;
	uint32_t pid;
	uint64_t start_ns, end_ns;
	uint64_t nsamples, nused, njit, index;
	struct code_name *codes;
	size_t codes_cap; /* a power of two */
	size_t ncodes;
	struct tp_runtime_frame *frames;
	struct frame_text *text;
	int failed; /* add_runtime_stack refused: stop offering */
};

static size_t slot_of(const struct vm_ingest *v, uint64_t id)
{
	size_t i = (size_t)((id * 0x9e3779b97f4a7c15ull) >> 20) & (v->codes_cap - 1);

	while (v->codes[i].id && v->codes[i].id != id)
		i = (i + 1) & (v->codes_cap - 1);
	return i;
}

static void count_code(void *ctx, uint64_t id, const char *name, size_t len)
{
	(void)id;
	(void)name;
	(void)len;
	((struct vm_ingest *)ctx)->ncodes++;
}

static void count_sample(void *ctx, uint64_t count, const unsigned char *w, size_t depth,
			 uint64_t thread)
{
	(void)count;
	(void)w;
	(void)depth;
	(void)thread;
	((struct vm_ingest *)ctx)->nsamples++;
}

static void keep_code(void *ctx, uint64_t id, const char *name, size_t len)
{
	struct vm_ingest *v = ctx;
	size_t i;

	if (!id)
		return;
	i = slot_of(v, id);
	v->codes[i] = (struct code_name){ .id = id, .name = name, .len = len };
}

/* Key and display of a code id, as the hook names JIT loops of it. */
static int name_code(struct vm_ingest *v, uint64_t id, struct frame_text *t)
{
	struct pypy_where w = { 0 };
	const struct code_name *c = id ? &v->codes[slot_of(v, id)] : NULL;

	if (!c || !c->id ||
	    pypy_vmprof__split_name(c->name, c->len, &w.func, &w.func_len, &w.firstline, &w.file,
				    &w.file_len))
		return -1;
	pypy_identity(&w, t->key, sizeof(t->key), t->display, sizeof(t->display));
	return 0;
}

static int jit_runs(const unsigned char *words, size_t npairs, uint64_t id)
{
	for (size_t i = 0; i < npairs; i++) {
		if (pypy_vmprof__word(words + 16 * i) == VMPROF_TAG_JITTED &&
		    pypy_vmprof__word(words + 16 * i + 8) == id)
			return 1;
	}
	return 0;
}

static void offer(void *ctx, uint64_t count, const unsigned char *words, size_t depth,
		  uint64_t thread)
{
	struct vm_ingest *v = ctx;
	size_t npairs = depth / 2, n = 0;
	uint64_t leaf_tag;
	int leaf_jit = -1;
	struct tp_runtime_stack rs;

	(void)count;
	(void)thread;
	v->index++;
	if (!npairs || v->failed)
		return;
	leaf_tag = pypy_vmprof__word(words);
	if (leaf_tag == VMPROF_TAG_ASSEMBLER || leaf_tag == VMPROF_TAG_JITTED) {
		v->njit++;
		return;
	}
	for (size_t i = 0; i < npairs && n < TP_RUNTIME_STACK_MAX - 1; i++) {
		uint64_t id;
		int jit;

		if (pypy_vmprof__word(words + 16 * i) != VMPROF_TAG_CODE)
			continue;
		id = pypy_vmprof__word(words + 16 * i + 8);
		jit = jit_runs(words, npairs, id);
		if (leaf_jit < 0) {
			leaf_jit = jit;
			if (jit) { /* libpypy working for JIT code */
				v->frames[n++] = (struct tp_runtime_frame){
					.tier = TP_TIER_RUNTIME,
					.function_key = LIBPYPY_KEY,
					.display_name = LIBPYPY_NAME,
					.subtier = "called from JIT code",
				};
			}
		}
		if (name_code(v, id, &v->text[n]))
			continue;
		v->frames[n] = (struct tp_runtime_frame){
			.tier = jit ? TP_TIER_OPTIMIZED : TP_TIER_INTERPRETER,
			.function_key = v->text[n].key,
			.display_name = v->text[n].display,
			.subtier = jit ? "JIT (vmprof)" : "interpreted (vmprof)",
		};
		n++;
	}
	if (!n || (n == 1 && leaf_jit == 1))
		return;
	rs = (struct tp_runtime_stack){
		.size = sizeof(rs),
		.pid = v->pid,
		.start_ns = v->start_ns,
		.end_ns = v->end_ns,
		.position = ((double)v->index - 0.5) / (double)v->nsamples,
		.target_key = LIBPYPY_KEY,
		.nframes = (uint32_t)n,
		.frames = v->frames,
	};
	if (v->s->api->add_runtime_stack(v->s->host, &rs))
		v->failed = 1;
	else
		v->nused++;
}

static void figure(struct vm_ingest *v, const char *name, double value)
{
	if (TP_HAS(v->s->api, add_stat) && v->s->api->add_stat)
		v->s->api->add_stat(v->s->host, v->pid, name, value, "samples");
}

void pypy_vmprof_ingest(struct pypy_state *s, const struct tp_side_file *f,
			const unsigned char *data, size_t len, uint64_t start_ns, uint64_t end_ns)
{
	struct vm_ingest v = { .s = s, .pid = f->pid, .start_ns = start_ns, .end_ns = end_ns };
	struct pypy_vmprof_cb cb = { .ctx = &v, .code = count_code, .sample = count_sample };
	const char *why = NULL;
	size_t bad_at = 0;
	int err, trailer;

	if (!TP_HAS(s->api, add_runtime_stack) || !s->api->add_runtime_stack) {
		s->api->log(s->host, TP_PLOG_INFO,
			    "%s: this tierprof cannot take vmprof stacks (plugin ABI < 1.3)",
			    f->name);
		return;
	}
	err = pypy_vmprof__parse(data, len, &cb, &bad_at, &why, &trailer);
	if (err)
		s->api->log(s->host, TP_PLOG_WARN,
			    "%s: its vmprof part is damaged at offset %zu (%s); using the samples "
			    "before",
			    f->name, bad_at, why);
	if (!v.nsamples || start_ns >= end_ns)
		return;
	for (v.codes_cap = 64; v.codes_cap < 2 * v.ncodes + 2; v.codes_cap *= 2)
		;
	v.codes = calloc(v.codes_cap, sizeof(*v.codes));
	v.frames = calloc(TP_RUNTIME_STACK_MAX, sizeof(*v.frames));
	v.text = calloc(TP_RUNTIME_STACK_MAX, sizeof(*v.text));
	if (v.codes && v.frames && v.text) {
		cb = (struct pypy_vmprof_cb){ .ctx = &v, .code = keep_code };
		pypy_vmprof__parse(data, len, &cb, &bad_at, &why, &trailer);
		cb = (struct pypy_vmprof_cb){ .ctx = &v, .sample = offer };
		pypy_vmprof__parse(data, len, &cb, &bad_at, &why, &trailer);
		figure(&v, "vmprof samples", (double)v.nsamples);
		figure(&v, "vmprof samples in JIT code", (double)v.njit);
		figure(&v, "vmprof samples outside JIT code", (double)v.nused);
	}
	free(v.codes);
	free(v.frames);
	free(v.text);
}
