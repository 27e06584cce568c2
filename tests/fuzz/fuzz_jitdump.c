/* libFuzzer target for core/symbol/jitdump.c: parse with every callback,
 * check that everything handed out lies inside the input and is terminated
 * where the API says, and that the summary agrees with the callbacks; then
 * load the code into a jitmap and look each load up, as the loader will. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "symbol/jitdump.h"
#include "symbol/jitmap.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ctx {
	const uint8_t *data;
	size_t size;
	uint64_t calls[JITDUMP_NR_RECORD_IDS];
	size_t last_offset;
	struct jitmap *m;
};

static void inside(const struct ctx *c, const void *p, size_t n)
{
	const uint8_t *b = p;

	if (b < c->data || n > c->size || b - c->data > (ptrdiff_t)(c->size - n))
		__builtin_trap();
}

static void record(struct ctx *c, uint32_t id, size_t offset)
{
	if (offset < JITDUMP_HEADER_SIZE || offset >= c->size ||
	    (c->last_offset && offset <= c->last_offset))
		__builtin_trap();
	c->last_offset = offset;
	c->calls[id]++;
}

static int on_load(void *p, const struct jitdump_code_load *r)
{
	struct ctx *c = p;

	record(c, JITDUMP_CODE_LOAD, r->offset);
	inside(c, r->name, r->name_len + 1);
	if (r->name[r->name_len] || strlen(r->name) != r->name_len)
		__builtin_trap();
	inside(c, r->code, r->code_len);
	if (r->code_len > r->code_size || r->code_addr + r->code_size < r->code_addr)
		__builtin_trap();
	jitmap__add(c->m, r->code_addr, r->code_size, r->name, r->timestamp);
	return 0;
}

static int on_move(void *p, const struct jitdump_code_move *r)
{
	struct ctx *c = p;

	record(c, JITDUMP_CODE_MOVE, r->offset);
	jitmap__move(c->m, r->old_code_addr, r->new_code_addr, r->code_size, r->timestamp);
	return 0;
}

static int on_debug(void *p, const struct jitdump_debug_info *r)
{
	struct ctx *c = p;

	record(c, JITDUMP_CODE_DEBUG_INFO, r->offset);
	for (uint64_t i = 0; i < r->nr_entry; i++) {
		const char *f = r->entries[i].filename;

		inside(c, f, 1);
		inside(c, f, strlen(f) + 1);
	}
	return 0;
}

static int on_unwind(void *p, const struct jitdump_unwinding_info *r)
{
	struct ctx *c = p;

	record(c, JITDUMP_CODE_UNWINDING_INFO, r->offset);
	inside(c, r->data, (size_t)r->unwinding_size);
	if (r->eh_frame_hdr_size > r->unwinding_size)
		__builtin_trap();
	return 0;
}

static int on_close(void *p, size_t offset, uint64_t timestamp)
{
	(void)timestamp;
	record(p, JITDUMP_CODE_CLOSE, offset);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct jitdump_callbacks cbs = {
		.code_load = on_load,
		.code_move = on_move,
		.debug_info = on_debug,
		.unwinding_info = on_unwind,
		.code_close = on_close,
	};
	struct ctx c = { .data = data, .size = size, .m = jitmap__new() };
	struct jitdump_info info;
	int ret = jitdump__parse(data, size, &cbs, &c, &info);

	if (ret && ret != TP_ERR_TRUNCATED && ret != TP_ERR_BAD_MAGIC && ret != TP_ERR_BAD_FORMAT &&
	    ret != TP_ERR_BAD_VERSION)
		__builtin_trap();
	if (memchr(info.error, '\0', sizeof(info.error)) == NULL || (ret && !info.error[0]) ||
	    (info.truncated && !info.error[0]) || info.end_offset > size ||
	    (info.truncated && info.truncated_at > size) ||
	    (!ret && !info.truncated && info.end_offset != size))
		__builtin_trap();
	for (int id = 0; id < JITDUMP_NR_RECORD_IDS; id++)
		if (c.calls[id] != info.records[id])
			__builtin_trap();
	jitmap__finalize(c.m);
	for (size_t i = 0; i < jitmap__count(c.m); i++) {
		const struct jit_entry *e = jitmap__at(c.m, i), *f;

		f = jitmap__find(c.m, e->start, e->time_ns);
		if (e->size && (!f || e->start - f->start >= f->size || f->time_ns > e->time_ns))
			__builtin_trap();
	}
	jitmap__delete(c.m);
	return 0;
}
