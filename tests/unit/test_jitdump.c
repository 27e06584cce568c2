/* Unit tests for core/symbol/jitdump.c: synthetic dumps built here (unknown
 * ids, oversize header, byte-swapped, truncated, damaged records) and the real
 * ones of tests/fixtures/jit (Node 20 --perf-prof, ddprof's Julia and .NET
 * dumps, complete and truncated) with the counts their sources assert. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "symbol/jitdump.h"
#include "symbol/jitmap.h"
#include "util/err.h"

#include "jit_fixture.h"

/* ---- a little jitdump writer ---- */

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static void put(struct buf *b, const void *d, size_t n)
{
	if (!n)
		return;
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
}

static void put32(struct buf *b, uint32_t v)
{
	uint8_t x[4] = { v, v >> 8, v >> 16, v >> 24 };

	put(b, x, 4);
}

static void put64(struct buf *b, uint64_t v)
{
	put32(b, (uint32_t)v);
	put32(b, (uint32_t)(v >> 32));
}

static void patch32(struct buf *b, size_t off, uint32_t v)
{
	uint8_t x[4] = { v, v >> 8, v >> 16, v >> 24 };

	memcpy(b->p + off, x, 4);
}

static void header(struct buf *b, uint32_t magic, uint32_t version, uint32_t size, uint64_t flags)
{
	put32(b, magic);
	put32(b, version);
	put32(b, size);
	put32(b, 62);	      /* EM_X86_64 */
	put32(b, 0xdeadbeef); /* pad1, as V8 fills it */
	put32(b, 4242);
	put64(b, 1000);
	put64(b, flags);
	for (uint32_t i = JITDUMP_HEADER_SIZE; i < size; i++)
		put(b, "\xee", 1); /* a newer writer's extra fields */
}

static size_t rec_begin(struct buf *b, uint32_t id, uint64_t ts)
{
	size_t off = b->len;

	put32(b, id);
	put32(b, 0);
	put64(b, ts);
	return off;
}

static void rec_end(struct buf *b, size_t off)
{
	patch32(b, off + 4, (uint32_t)(b->len - off));
}

static size_t code_load(struct buf *b, uint64_t ts, uint64_t addr, uint64_t size, uint64_t index,
			const char *name)
{
	size_t off = rec_begin(b, JITDUMP_CODE_LOAD, ts);

	put32(b, 4242);
	put32(b, 4243);
	put64(b, addr);
	put64(b, addr);
	put64(b, size);
	put64(b, index);
	put(b, name, strlen(name) + 1);
	for (uint64_t i = 0; i < size; i++)
		put(b, "\xc3", 1);
	rec_end(b, off);
	return off;
}

static size_t raw_record(struct buf *b, uint32_t id, uint64_t ts, const void *body, size_t n)
{
	size_t off = rec_begin(b, id, ts);

	put(b, body, n);
	rec_end(b, off);
	return off;
}

static struct buf new_dump(void)
{
	struct buf b = { 0 };

	header(&b, JITDUMP_MAGIC, 1, JITDUMP_HEADER_SIZE, 0);
	return b;
}

/* ---- a recording consumer ---- */

struct seen {
	size_t loads, moves, debugs, unwinds, closes;
	uint64_t load_addr[16], load_ts[16];
	char load_name[16][64];
	size_t load_off[16], load_code_len[16];
	struct jitdump_code_move move;
	uint64_t debug_nr, debug_addr;
	struct jitdump_debug_entry debug_e[4];
	char debug_file[4][32];
	struct jitdump_unwinding_info unwind;
	int stop_after; /* stop the parse at this many loads (0: never) */
};

static int on_load(void *ctx, const struct jitdump_code_load *r)
{
	struct seen *s = ctx;
	size_t i = s->loads++;

	assert_int_equal(strlen(r->name), r->name_len);
	assert_true(r->code_len <= r->code_size);
	if (i < 16) {
		s->load_addr[i] = r->code_addr;
		s->load_ts[i] = r->timestamp;
		s->load_off[i] = r->offset;
		s->load_code_len[i] = r->code_len;
		snprintf(s->load_name[i], sizeof(s->load_name[i]), "%s", r->name);
	}
	return s->stop_after && (int)s->loads == s->stop_after ? 12345 : 0;
}

static int on_move(void *ctx, const struct jitdump_code_move *r)
{
	struct seen *s = ctx;

	s->moves++;
	s->move = *r;
	return 0;
}

static int on_debug(void *ctx, const struct jitdump_debug_info *r)
{
	struct seen *s = ctx;

	s->debugs++;
	s->debug_nr = r->nr_entry;
	s->debug_addr = r->code_addr;
	for (uint64_t i = 0; i < r->nr_entry && i < 4; i++) {
		s->debug_e[i] = r->entries[i];
		snprintf(s->debug_file[i], sizeof(s->debug_file[i]), "%s", r->entries[i].filename);
	}
	return 0;
}

static int on_unwind(void *ctx, const struct jitdump_unwinding_info *r)
{
	struct seen *s = ctx;

	s->unwinds++;
	s->unwind = *r;
	return 0;
}

static int on_close(void *ctx, size_t offset, uint64_t timestamp)
{
	struct seen *s = ctx;

	(void)offset;
	(void)timestamp;
	s->closes++;
	return 0;
}

static const struct jitdump_callbacks all_cbs = {
	.code_load = on_load,
	.code_move = on_move,
	.debug_info = on_debug,
	.unwinding_info = on_unwind,
	.code_close = on_close,
};

/* ---- synthetic dumps ---- */

static void test_all_record_kinds(void **state)
{
	struct buf b = new_dump();
	struct jitdump_info info;
	struct seen s = { 0 };
	size_t off;

	(void)state;
	/* DEBUG_INFO: two rows, V8-style column in discrim. */
	off = rec_begin(&b, JITDUMP_CODE_DEBUG_INFO, 5);
	put64(&b, 0x1000);
	put64(&b, 2);
	put64(&b, 0x1004);
	put32(&b, 12);
	put32(&b, 7);
	put(&b, "a.js", 5);
	put64(&b, 0x1010);
	put32(&b, 13);
	put32(&b, 1);
	put(&b, "", 1);
	put(&b, "\0\0\0", 3); /* padding after the rows is allowed */
	rec_end(&b, off);
	/* UNWINDING_INFO: 20 bytes of data, 4 of padding (V8's stub). */
	off = rec_begin(&b, JITDUMP_CODE_UNWINDING_INFO, 6);
	put64(&b, 20);
	put64(&b, 20);
	put64(&b, 0);
	put(&b, "01234567890123456789\0\0\0\0", 24);
	rec_end(&b, off);
	code_load(&b, 7, 0x1000, 0x20, 0, "JS:*f a.js:1:1");
	/* CODE_MOVE */
	off = rec_begin(&b, JITDUMP_CODE_MOVE, 8);
	put32(&b, 4242);
	put32(&b, 4243);
	put64(&b, 0x1000);
	put64(&b, 0x1000);
	put64(&b, 0x2000);
	put64(&b, 0x20);
	put64(&b, 0);
	rec_end(&b, off);
	raw_record(&b, JITDUMP_CODE_CLOSE, 9, NULL, 0);

	assert_int_equal(jitdump__parse(b.p, b.len, &all_cbs, &s, &info), 0);
	assert_string_equal(info.error, "");
	assert_int_equal(info.version, 1);
	assert_int_equal(info.header_size, 40);
	assert_int_equal(info.elf_mach, 62);
	assert_int_equal(info.pad1, 0xdeadbeef);
	assert_int_equal(info.pid, 4242);
	assert_int_equal(info.timestamp, 1000);
	for (int id = 0; id < JITDUMP_NR_RECORD_IDS; id++)
		assert_int_equal(info.records[id], 1);
	assert_int_equal(info.unknown_records, 0);
	assert_int_equal(info.bad_records, 0);
	assert_false(info.truncated);
	assert_int_equal(info.end_offset, b.len);

	assert_int_equal(s.debug_addr, 0x1000);
	assert_int_equal(s.debug_nr, 2);
	assert_int_equal(s.debug_e[0].addr, 0x1004);
	assert_int_equal(s.debug_e[0].line, 12);
	assert_int_equal(s.debug_e[0].discrim, 7);
	assert_string_equal(s.debug_file[0], "a.js");
	assert_int_equal(s.debug_e[1].line, 13);
	assert_string_equal(s.debug_file[1], "");
	assert_int_equal(s.unwind.unwinding_size, 20);
	assert_int_equal(s.unwind.eh_frame_hdr_size, 20);
	assert_int_equal(s.load_addr[0], 0x1000);
	assert_int_equal(s.load_ts[0], 7);
	assert_int_equal(s.load_code_len[0], 0x20);
	assert_string_equal(s.load_name[0], "JS:*f a.js:1:1");
	assert_int_equal(s.move.old_code_addr, 0x1000);
	assert_int_equal(s.move.new_code_addr, 0x2000);
	assert_int_equal(s.move.code_size, 0x20);
	assert_int_equal(s.move.tid, 4243);
	assert_int_equal(s.move.timestamp, 8);
	assert_int_equal(s.closes, 1);

	/* No callbacks at all: the same counts. */
	assert_int_equal(jitdump__parse(b.p, b.len, NULL, NULL, &info), 0);
	assert_int_equal(info.records[JITDUMP_CODE_LOAD], 1);
	assert_string_equal(jitdump__record_name(JITDUMP_CODE_UNWINDING_INFO),
			    "CODE_UNWINDING_INFO");
	assert_string_equal(jitdump__record_name(99), "unknown");
	free(b.p);
}

static void test_unknown_ids_and_big_header(void **state)
{
	struct buf b = { 0 };
	struct jitdump_info info;
	struct seen s = { 0 };

	(void)state;
	header(&b, JITDUMP_MAGIC, 1, 64, JITDUMP_FLAGS_ARCH_TIMESTAMP);
	code_load(&b, 1, 0x1000, 4, 0, "one");
	raw_record(&b, 5, 2, "future", 6);
	raw_record(&b, 0xffffffff, 3, NULL, 0);
	raw_record(&b, 77, 4, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		   64);
	code_load(&b, 5, 0x2000, 4, 1, "two");

	assert_int_equal(jitdump__parse(b.p, b.len, &all_cbs, &s, &info), 0);
	assert_int_equal(info.header_size, 64);
	assert_int_equal(info.flags, JITDUMP_FLAGS_ARCH_TIMESTAMP);
	assert_int_equal(info.unknown_records, 3);
	assert_int_equal(info.records[JITDUMP_CODE_LOAD], 2);
	assert_int_equal(s.loads, 2);
	assert_int_equal(s.load_off[0], 64); /* the extra header bytes were skipped */
	assert_string_equal(s.load_name[0], "one");
	assert_string_equal(s.load_name[1], "two");
	assert_false(info.truncated);
	free(b.p);
}

static void test_header_refusals(void **state)
{
	struct jitdump_info info;
	struct buf b;

	(void)state;
	/* Big-endian writer: magic reads byte-swapped. */
	b = (struct buf){ 0 };
	header(&b, JITDUMP_MAGIC_SWAPPED, 1, 40, 0);
	assert_int_equal(jitdump__parse(b.p, b.len, NULL, NULL, &info), TP_ERR_BAD_FORMAT);
	assert_non_null(strstr(info.error, "byte-swapped"));
	free(b.p);

	b = (struct buf){ 0 };
	header(&b, 0x464c457f, 1, 40, 0); /* an ELF file */
	assert_int_equal(jitdump__parse(b.p, b.len, NULL, NULL, &info), TP_ERR_BAD_MAGIC);
	assert_non_null(strstr(info.error, "not a jitdump"));
	free(b.p);

	b = (struct buf){ 0 };
	header(&b, JITDUMP_MAGIC, 0, 40, 0);
	assert_int_equal(jitdump__parse(b.p, b.len, NULL, NULL, &info), TP_ERR_BAD_FORMAT);
	assert_non_null(strstr(info.error, "version 0"));
	free(b.p);

	b = (struct buf){ 0 };
	header(&b, JITDUMP_MAGIC, 2, 40, 0);
	assert_int_equal(jitdump__parse(b.p, b.len, NULL, NULL, &info), TP_ERR_BAD_VERSION);
	assert_int_equal(info.version, 2);
	free(b.p);

	b = (struct buf){ 0 };
	header(&b, JITDUMP_MAGIC, 1, 39, 0);
	assert_int_equal(jitdump__parse(b.p, b.len, NULL, NULL, &info), TP_ERR_BAD_FORMAT);
	assert_non_null(strstr(info.error, "below the minimum"));
	free(b.p);

	b = (struct buf){ 0 };
	header(&b, JITDUMP_MAGIC, 1, 40, 1ULL << 5);
	assert_int_equal(jitdump__parse(b.p, b.len, NULL, NULL, &info), TP_ERR_BAD_FORMAT);
	assert_non_null(strstr(info.error, "flags"));
	free(b.p);

	/* Header size beyond the input. */
	b = (struct buf){ 0 };
	header(&b, JITDUMP_MAGIC, 1, 40, 0);
	patch32(&b, 8, 4096);
	assert_int_equal(jitdump__parse(b.p, b.len, NULL, NULL, &info), TP_ERR_TRUNCATED);
	assert_true(info.truncated);
	free(b.p);

	/* Short inputs: empty, a magic prefix, garbage, a cut header. */
	assert_int_equal(jitdump__parse(NULL, 0, NULL, NULL, &info), TP_ERR_TRUNCATED);
	assert_non_null(strstr(info.error, "empty"));
	assert_int_equal(jitdump__parse("DTi", 3, NULL, NULL, &info), TP_ERR_TRUNCATED);
	assert_int_equal(jitdump__parse("XY", 2, NULL, NULL, &info), TP_ERR_BAD_MAGIC);
	assert_int_equal(jitdump__parse("DTiJ\1\0\0\0", 8, NULL, NULL, &info), TP_ERR_TRUNCATED);
	assert_int_equal(jitdump__parse("START SIZE NAME\n", 16, NULL, NULL, &info),
			 TP_ERR_BAD_MAGIC);
}

static void test_bad_records_skipped(void **state)
{
	struct buf b = new_dump();
	struct jitdump_info info;
	struct seen s = { 0 };
	size_t bad_off, off;

	(void)state;
	code_load(&b, 1, 0x1000, 4, 0, "ok1");
	/* CODE_LOAD whose name runs to the end of the record. */
	bad_off = rec_begin(&b, JITDUMP_CODE_LOAD, 2);
	put32(&b, 1);
	put32(&b, 1);
	put64(&b, 0x3000);
	put64(&b, 0x3000);
	put64(&b, 0);
	put64(&b, 1);
	put(&b, "no-nul", 6);
	rec_end(&b, bad_off);
	/* CODE_LOAD shorter than its fixed fields. */
	raw_record(&b, JITDUMP_CODE_LOAD, 3, "short", 5);
	/* CODE_LOAD whose range wraps around. */
	off = rec_begin(&b, JITDUMP_CODE_LOAD, 3);
	put32(&b, 1);
	put32(&b, 1);
	put64(&b, 0);
	put64(&b, UINT64_MAX - 1);
	put64(&b, 4);
	put64(&b, 2);
	put(&b, "wrap", 5);
	rec_end(&b, off);
	/* DEBUG_INFO claiming 2^60 rows: refused before any allocation. */
	off = rec_begin(&b, JITDUMP_CODE_DEBUG_INFO, 4);
	put64(&b, 0x1000);
	put64(&b, 1ULL << 60);
	put64(&b, 0x1000);
	rec_end(&b, off);
	/* DEBUG_INFO whose second row's file name is cut. */
	off = rec_begin(&b, JITDUMP_CODE_DEBUG_INFO, 4);
	put64(&b, 0x1000);
	put64(&b, 2);
	put64(&b, 0x1000);
	put32(&b, 1);
	put32(&b, 0);
	put(&b, "f.jl", 5);
	put64(&b, 0x1004);
	put32(&b, 2);
	put32(&b, 0);
	put(&b, "g.j", 3);
	rec_end(&b, off);
	/* UNWINDING_INFO larger than its record, then hdr > unwinding. */
	off = rec_begin(&b, JITDUMP_CODE_UNWINDING_INFO, 5);
	put64(&b, 100);
	put64(&b, 8);
	put64(&b, 0);
	put(&b, "12345678", 8);
	rec_end(&b, off);
	off = rec_begin(&b, JITDUMP_CODE_UNWINDING_INFO, 5);
	put64(&b, 8);
	put64(&b, 9);
	put64(&b, 0);
	put(&b, "12345678", 8);
	rec_end(&b, off);
	/* CODE_MOVE too short. */
	raw_record(&b, JITDUMP_CODE_MOVE, 6, "0123456789", 10);
	code_load(&b, 7, 0x2000, 4, 3, "ok2");

	assert_int_equal(jitdump__parse(b.p, b.len, &all_cbs, &s, &info), 0);
	assert_int_equal(info.bad_records, 8);
	assert_int_equal(info.first_bad_offset, bad_off);
	assert_non_null(strstr(info.error, "NUL-terminated"));
	assert_int_equal(info.records[JITDUMP_CODE_LOAD], 2);
	assert_int_equal(info.records[JITDUMP_CODE_DEBUG_INFO], 0);
	assert_int_equal(info.records[JITDUMP_CODE_UNWINDING_INFO], 0);
	assert_int_equal(info.records[JITDUMP_CODE_MOVE], 0);
	assert_int_equal(s.loads, 2);
	assert_int_equal(s.debugs + s.unwinds + s.moves, 0);
	assert_string_equal(s.load_name[1], "ok2");
	assert_false(info.truncated);
	free(b.p);
}

static void test_damage_and_truncation(void **state)
{
	struct buf b = new_dump();
	struct jitdump_info info;
	struct seen s = { 0 };
	size_t second, damaged;

	(void)state;
	code_load(&b, 1, 0x1000, 4, 0, "first");
	second = code_load(&b, 2, 0x2000, 8, 1, "second");

	/* Cut inside the second record: the first is kept, the cut is reported. */
	assert_int_equal(jitdump__parse(b.p, b.len - 3, &all_cbs, &s, &info), 0);
	assert_true(info.truncated);
	assert_int_equal(info.truncated_at, second);
	assert_int_equal(info.end_offset, second);
	assert_int_equal(s.loads, 1);
	assert_non_null(strstr(info.error, "truncated"));
	/* Cut inside the second record's prefix. */
	assert_int_equal(jitdump__parse(b.p, second + 10, NULL, NULL, &info), 0);
	assert_true(info.truncated);
	assert_int_equal(info.truncated_at, second);
	assert_int_equal(info.records[JITDUMP_CODE_LOAD], 1);

	/* A record size below the prefix: nothing after it can be found. */
	damaged = b.len;
	raw_record(&b, JITDUMP_CODE_LOAD, 3, NULL, 0);
	patch32(&b, damaged + 4, 8);
	code_load(&b, 4, 0x3000, 4, 2, "unreachable");
	memset(&s, 0, sizeof(s));
	assert_int_equal(jitdump__parse(b.p, b.len, &all_cbs, &s, &info), TP_ERR_BAD_FORMAT);
	assert_int_equal(s.loads, 2);
	assert_int_equal(info.records[JITDUMP_CODE_LOAD], 2);
	assert_int_equal(info.end_offset, damaged);
	assert_non_null(strstr(info.error, "below the 16-byte prefix"));

	/* A callback's non-zero return stops the parse and comes back. */
	memset(&s, 0, sizeof(s));
	s.stop_after = 1;
	assert_int_equal(jitdump__parse(b.p, b.len, &all_cbs, &s, &info), 12345);
	assert_int_equal(s.loads, 1);
	assert_int_equal(info.end_offset, second);
	free(b.p);
}

/* Every prefix of a dump: no read past the end (each copy is its own
 * allocation, for ASan), records only grow, truncation is always reported. */
static void test_every_prefix(void **state)
{
	struct buf b = new_dump();
	uint64_t prev = 0;

	(void)state;
	code_load(&b, 1, 0x1000, 16, 0, "a");
	raw_record(&b, 9, 2, "zz", 2);
	code_load(&b, 3, 0x2000, 0, 1, "b");
	for (size_t len = 0; len <= b.len; len++) {
		uint8_t *copy = malloc(len ? len : 1);
		struct jitdump_info info;
		int ret;

		memcpy(copy, b.p, len);
		ret = jitdump__parse(copy, len, NULL, NULL, &info);
		if (len < JITDUMP_HEADER_SIZE) {
			assert_int_equal(ret, TP_ERR_TRUNCATED);
		} else {
			assert_int_equal(ret, 0);
			assert_true(info.records[0] >= prev);
			prev = info.records[0];
			assert_int_equal(info.truncated, len != b.len && info.end_offset != len);
		}
		free(copy);
	}
	assert_int_equal(prev, 2);
	free(b.p);
}

/* ---- real dumps ---- */

static char *fixture(const char *name, size_t *len)
{
	char *p = jit_fixture_read(name, len);

	assert_non_null(p);
	return p;
}

struct node_check {
	size_t loads, debugs, unwinds;
	uint32_t last_id; /* for the order check */
	uint64_t pending_debug_addr;
	int first_load_ok, first_debug_ok, first_unwind_ok;
	char last_name[96];
	uint64_t last_addr, last_index;
};

static int node_load(void *ctx, const struct jitdump_code_load *r)
{
	struct node_check *c = ctx;

	if (!c->loads++)
		c->first_load_ok = r->offset == 0x68 && r->pid == 13772 && r->tid == 13772 &&
				   r->vma == 0x18c4000 && r->code_addr == 0x18c4000 &&
				   r->code_size == 0x300 && r->code_index == 0 &&
				   r->timestamp == 314188850220ULL &&
				   !strcmp(r->name, "Builtin:DeoptimizationEntry_Eager");
	/* V8 puts the code bytes in; perf inject needs them. */
	assert_int_equal(r->code_len, r->code_size);
	/* Order per code object: [DEBUG_INFO] UNWINDING_INFO CODE_LOAD. */
	assert_int_equal(c->last_id, JITDUMP_CODE_UNWINDING_INFO);
	if (c->pending_debug_addr)
		assert_int_equal(c->pending_debug_addr, r->code_addr);
	c->pending_debug_addr = 0;
	c->last_id = JITDUMP_CODE_LOAD;
	snprintf(c->last_name, sizeof(c->last_name), "%s", r->name);
	c->last_addr = r->code_addr;
	c->last_index = r->code_index;
	return 0;
}

static int node_debug(void *ctx, const struct jitdump_debug_info *r)
{
	struct node_check *c = ctx;

	if (!c->debugs++)
		c->first_debug_ok = r->offset == 0x1ab7 && r->code_addr == 0x7f4131fc3040 &&
				    r->nr_entry == 32 && r->entries[0].addr == 0x7f4131fc3080 &&
				    r->entries[0].line == 598 && r->entries[0].discrim == 30 &&
				    !strcmp(r->entries[0].filename, "node:internal/util");
	c->pending_debug_addr = r->code_addr;
	c->last_id = JITDUMP_CODE_DEBUG_INFO;
	return 0;
}

static int node_unwind(void *ctx, const struct jitdump_unwinding_info *r)
{
	struct node_check *c = ctx;

	if (!c->unwinds++)
		c->first_unwind_ok = r->offset == 0x28 && r->unwinding_size == 20 &&
				     r->eh_frame_hdr_size == 20 && r->mapped_size == 0;
	c->last_id = JITDUMP_CODE_UNWINDING_INFO;
	return 0;
}

static void test_node20_subset(void **state)
{
	static const struct jitdump_callbacks cbs = {
		.code_load = node_load,
		.debug_info = node_debug,
		.unwinding_info = node_unwind,
	};
	struct node_check c = { 0 };
	struct jitdump_info info;
	size_t len = 0;
	char *d = fixture("node20-perf-prof-subset.jit.dump", &len);

	(void)state;
	assert_int_equal(len, 173182);
	assert_int_equal(jitdump__parse(d, len, &cbs, &c, &info), 0);
	/* FORMATS.md §1.3 header. */
	assert_int_equal(info.version, 1);
	assert_int_equal(info.header_size, 40);
	assert_int_equal(info.elf_mach, 62);
	assert_int_equal(info.pad1, 0xdeadbeef);
	assert_int_equal(info.pid, 13772);
	assert_int_equal(info.timestamp, 1795236520535433ULL);
	assert_int_equal(info.flags, 0);
	/* 12 leading records + every JS/RegExp code object with its companions. */
	assert_int_equal(info.records[JITDUMP_CODE_LOAD], 129);
	assert_int_equal(info.records[JITDUMP_CODE_UNWINDING_INFO], 129);
	assert_int_equal(info.records[JITDUMP_CODE_DEBUG_INFO], 122);
	assert_int_equal(info.records[JITDUMP_CODE_MOVE], 0);
	assert_int_equal(info.records[JITDUMP_CODE_CLOSE], 0);
	assert_int_equal(info.unknown_records, 0);
	assert_int_equal(info.bad_records, 0);
	assert_false(info.truncated);
	assert_int_equal(info.end_offset, len);
	assert_string_equal(info.error, "");
	assert_true(c.first_load_ok);
	assert_true(c.first_debug_ok);
	assert_true(c.first_unwind_ok);
	assert_string_equal(c.last_name,
			    "JS:*runPoly /home/dev/tierprof-lab/app/workloads/workload.js:13:17");
	assert_int_equal(c.last_addr, 0x7f4131ffba40);
	assert_int_equal(c.last_index, 2304);
	free(d);
}

/* CODE_LOADs into a jitmap at their record time, as the loader will. */
static int to_jitmap(void *ctx, const struct jitdump_code_load *r)
{
	jitmap__add(ctx, r->code_addr, r->code_size, r->name, r->timestamp);
	return 0;
}

static struct jitmap *dump_to_jitmap(const char *name, struct jitdump_info *info, int *ret)
{
	static const struct jitdump_callbacks cbs = { .code_load = to_jitmap };
	struct jitmap *m = jitmap__new();
	size_t len = 0;
	char *d = fixture(name, &len);

	*ret = jitdump__parse(d, len, &cbs, m, info);
	free(d);
	jitmap__finalize(m);
	return m;
}

static const char *name_at(const struct jitmap *m, uint64_t addr)
{
	const struct jit_entry *e = jitmap__find(m, addr, UINT64_MAX);

	return e ? e->name : NULL;
}

static void test_ddprof_julia(void **state)
{
	struct jitdump_info info;
	struct jitmap *m;
	int ret;

	(void)state;
	/* jitdump-ut.cc: 13 JIT_CODE_LOAD + 8 JIT_CODE_DEBUG_INFO, and
	 * pc 0x7bea23b00390 -> julia_b_11. */
	m = dump_to_jitmap("ddprof-jit-simple-julia.dump", &info, &ret);
	assert_int_equal(ret, 0);
	assert_int_equal(info.records[JITDUMP_CODE_LOAD], 13);
	assert_int_equal(info.records[JITDUMP_CODE_DEBUG_INFO], 8);
	assert_int_equal(info.bad_records + info.unknown_records, 0);
	assert_false(info.truncated);
	assert_int_equal(info.pid, 3198645);
	assert_string_equal(name_at(m, 0x7bea23b00390), "julia_b_11");
	jitmap__delete(m);

	/* runtime_symbol_lookup-ut.cc: 20 symbols, pc 0x7e1304b00a30 -> julia_b_11. */
	m = dump_to_jitmap("ddprof-jit-1560413.dump", &info, &ret);
	assert_int_equal(ret, 0);
	assert_int_equal(info.records[JITDUMP_CODE_LOAD], 20);
	assert_int_equal(info.records[JITDUMP_CODE_DEBUG_INFO], 13);
	assert_int_equal(jitmap__count(m), 20);
	assert_string_equal(name_at(m, 0x7e1304b00a30), "julia_b_11");
	jitmap__delete(m);

	/* A dump mangled into UTF-8 replacement bytes: ddprof must fail
	 * gracefully and not find pc 0xbadbeef. Its header flags are garbage. */
	m = dump_to_jitmap("ddprof-jit-julia-partial.dump", &info, &ret);
	assert_int_equal(ret, TP_ERR_BAD_FORMAT);
	assert_non_null(strstr(info.error, "unsupported flags"));
	assert_int_equal(jitmap__count(m), 0);
	assert_null(name_at(m, 0xbadbeef));
	jitmap__delete(m);
}

static int last_dotnet_load(void *ctx, const struct jitdump_code_load *r)
{
	char *last = ctx;

	snprintf(last, 256, "%s", r->name);
	return 0;
}

static void test_ddprof_dotnet_truncated(void **state)
{
	static const struct jitdump_callbacks cbs = { .code_load = last_dotnet_load };
	struct jitdump_info info;
	char last[256] = "";
	size_t len = 0;
	char *d = fixture("ddprof-jit-dotnet-partial.dump.gz", &len);

	(void)state;
	/* jitdump-ut.cc: incomplete file, 8424 JIT_CODE_LOAD, 0 DEBUG_INFO,
	 * a non-fatal error. The cut falls inside a 712-byte CODE_LOAD. */
	assert_int_equal(len, 3313152);
	assert_int_equal(jitdump__parse(d, len, &cbs, last, &info), 0);
	assert_true(info.truncated);
	assert_int_equal(info.truncated_at, 3312800);
	assert_int_equal(info.end_offset, 3312800);
	assert_int_equal(info.records[JITDUMP_CODE_LOAD], 8424);
	assert_int_equal(info.records[JITDUMP_CODE_DEBUG_INFO], 0);
	assert_int_equal(info.bad_records, 0);
	assert_int_equal(info.pid, 7);
	assert_non_null(strstr(info.error, "truncated at offset 0x328ca0"));
	assert_non_null(strstr(info.error, "CODE_LOAD record of 712 bytes"));
	/* R2R code is announced too, with the [PreJIT] tier. */
	assert_string_equal(last, "instance void [System.Net.Http] System.Net.Http.Headers."
				  "HttpRequestHeaders::set_ExpectContinue(valuetype "
				  "[System.Runtime]System.Nullable`1<bool>)[PreJIT]");
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_record_kinds),
		cmocka_unit_test(test_unknown_ids_and_big_header),
		cmocka_unit_test(test_header_refusals),
		cmocka_unit_test(test_bad_records_skipped),
		cmocka_unit_test(test_damage_and_truncation),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_node20_subset),
		cmocka_unit_test(test_ddprof_julia),
		cmocka_unit_test(test_ddprof_dotnet_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
