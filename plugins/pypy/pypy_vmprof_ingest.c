/* PyPy's vmprof profile -> runtime stacks (ABI 1.3 add_runtime_stack) that
 * give the native samples the Python functions PyPy was running.
 *
 * With native stacks on (the hook enables them), a vmprof sample tells where
 * the CPU was: its innermost entry is an address in JIT code (tag 6), or a
 * native address (tag 7: libpypy, libc ...). The Python frames (tag 1,
 * innermost first) are the stack; a frame whose code the JIT runs (a tag 3
 * entry of the same code in that sample) is optimized, the others
 * interpreted.
 *
 * Samples outside JIT code name stripped libpypy: when the innermost Python
 * frame is JIT code, libpypy is working for it (a call out of JIT code, the
 * GC): the stack keeps libpypy as its leaf, in the runtime tier. Otherwise
 * libpypy is interpreting that frame, which takes its place (as a V8
 * bytecode handler folds into the interpreted function).
 *
 * Samples in JIT code give callers to the native samples there, whose stacks
 * end after the JIT frame (JIT code has neither CFI nor frame pointers): the
 * target is the code the JIT runs (the tag 3 after the address, named as the
 * hook names its loops), the stack the Python frames above that code's own
 * frame, and the native sample keeps its JIT frame (KEEP_LEAF). They are
 * offered after the libpypy stacks, so a host that refuses them still takes
 * those. */
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
	uint64_t nsamples, nused, njit, njit_used, index;
	struct code_name *codes;
	size_t codes_cap; /* a power of two */
	size_t ncodes;
	struct tp_runtime_frame *frames;
	struct frame_text *text;
	struct frame_text target;
	int jit_pass;		/* second pass: the JIT samples */
	int failed, jit_failed; /* add_runtime_stack refused: stop offering */
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

/* The Python frame or JIT code (tag 1 or 3) at pair i into frames[n]; -1
 * when its code is unnamed. */
static int python_frame(struct vm_ingest *v, const unsigned char *words, size_t npairs, size_t i,
			size_t n)
{
	uint64_t id = pypy_vmprof__word(words + 16 * i + 8);
	int jit = jit_runs(words, npairs, id);

	if (name_code(v, id, &v->text[n]))
		return -1;
	v->frames[n] = (struct tp_runtime_frame){
		.tier = jit ? TP_TIER_OPTIMIZED : TP_TIER_INTERPRETER,
		.function_key = v->text[n].key,
		.display_name = v->text[n].display,
		.subtier = jit ? "JIT (vmprof)" : "interpreted (vmprof)",
	};
	return 0;
}

static int add_stack(struct vm_ingest *v, const char *target, size_t n, uint32_t flags)
{
	struct tp_runtime_stack rs = {
		.size = sizeof(rs),
		.pid = v->pid,
		.start_ns = v->start_ns,
		.end_ns = v->end_ns,
		.position = ((double)v->index - 0.5) / (double)v->nsamples,
		.target_key = target,
		.nframes = (uint32_t)n,
		.flags = flags,
		.frames = v->frames,
	};

	return v->s->api->add_runtime_stack(v->s->host, &rs);
}

/* A sample in JIT code: the callers of the code the JIT runs. The JIT
 * codes (tag 3, after each JIT address) come innermost first, then the
 * Python frames; JIT code called from JIT code (call_assembler) has no
 * Python frame of its own, and the outermost JIT code's frame is the first
 * Python frame. So the stack is the JIT codes, each once, then the Python
 * frames, the first one dropped when it is the last JIT code. */
static void offer_jit(struct vm_ingest *v, const unsigned char *words, size_t npairs)
{
	uint64_t code = 0, last = 0;
	int last_jit = 0;
	size_t n = 0;

	for (size_t i = 0; i < npairs && n < TP_RUNTIME_STACK_MAX; i++) {
		uint64_t tag = pypy_vmprof__word(words + 16 * i);
		uint64_t id = pypy_vmprof__word(words + 16 * i + 8);
		int jit = tag == VMPROF_TAG_JITTED;

		if (!jit && tag != VMPROF_TAG_CODE)
			continue;
		if (last_jit && id == last) { /* the same JIT code, or its own frame */
			last_jit = jit;
			continue;
		}
		if (!code) { /* the target: the native sample's JIT frame */
			if (!jit || name_code(v, id, &v->target))
				return;
			code = id;
		} else if (!python_frame(v, words, npairs, i, n)) {
			n++;
		}
		last = id;
		last_jit = jit;
	}
	if (!n)
		return;
	if (add_stack(v, v->target.key, n, TP_RUNTIME_STACK_KEEP_LEAF))
		v->jit_failed = 1;
	else
		v->njit_used++;
}

static void offer(void *ctx, uint64_t count, const unsigned char *words, size_t depth,
		  uint64_t thread)
{
	struct vm_ingest *v = ctx;
	size_t npairs = depth / 2, n = 0;
	uint64_t leaf_tag;
	int leaf_jit = -1;

	(void)count;
	(void)thread;
	v->index++;
	if (!npairs)
		return;
	leaf_tag = pypy_vmprof__word(words);
	if (leaf_tag == VMPROF_TAG_ASSEMBLER || leaf_tag == VMPROF_TAG_JITTED) {
		if (!v->jit_pass)
			v->njit++;
		else if (!v->jit_failed)
			offer_jit(v, words, npairs);
		return;
	}
	if (v->jit_pass || v->failed)
		return;
	for (size_t i = 0; i < npairs && n < TP_RUNTIME_STACK_MAX - 1; i++) {
		int jit;

		if (pypy_vmprof__word(words + 16 * i) != VMPROF_TAG_CODE)
			continue;
		jit = jit_runs(words, npairs, pypy_vmprof__word(words + 16 * i + 8));
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
		if (!python_frame(v, words, npairs, i, n))
			n++;
	}
	if (!n || (n == 1 && leaf_jit == 1))
		return;
	if (add_stack(v, LIBPYPY_KEY, n, 0))
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
		v.jit_pass = 1;
		v.index = 0;
		pypy_vmprof__parse(data, len, &cb, &bad_at, &why, &trailer);
		figure(&v, "vmprof samples", (double)v.nsamples);
		figure(&v, "vmprof samples in JIT code", (double)v.njit);
		figure(&v, "vmprof samples outside JIT code", (double)v.nused);
		figure(&v, "vmprof JIT samples with callers", (double)v.njit_used);
	}
	free(v.codes);
	free(v.frames);
	free(v.text);
}
