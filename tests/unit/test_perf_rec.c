/* Decoding of kernel perf records: samples built in memory the way the kernel
 * lays them out for the attr the recorder uses, then cut and corrupted. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "capture/perf_rec.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

#define BASE_TYPE                                                                \
	(PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_CPU | \
	 PERF_SAMPLE_PERIOD | PERF_SAMPLE_CALLCHAIN)
/* x86 BP, SP, IP: what a leaf unwinder needs. */
#define REGS_MASK ((1ull << 6) | (1ull << 7) | (1ull << 8))

/* A record under construction, 8-aligned as the kernel keeps them. */
struct rec {
	uint64_t words[512];
	size_t len; /* bytes */
};

static struct perf_event_header *rec__hdr(struct rec *r)
{
	return (struct perf_event_header *)r->words;
}

static void rec__begin(struct rec *r, uint32_t type)
{
	struct perf_event_header h = { .type = type, .misc = PERF_RECORD_MISC_USER };

	memset(r, 0, sizeof(*r));
	memcpy(r->words, &h, sizeof(h));
	r->len = sizeof(h);
}

static void rec__put(struct rec *r, const void *p, size_t n)
{
	assert_true(r->len + n <= sizeof(r->words));
	memcpy((char *)r->words + r->len, p, n);
	r->len += n;
}

static void rec__u64(struct rec *r, uint64_t v)
{
	rec__put(r, &v, 8);
}

static void rec__u32x2(struct rec *r, uint32_t a, uint32_t b)
{
	rec__put(r, &a, 4);
	rec__put(r, &b, 4);
}

/* Close the record: the size goes into the header, as the kernel sets it. */
static struct perf_event_header *rec__end(struct rec *r)
{
	assert_true(r->len % 8 == 0 && r->len <= UINT16_MAX);
	rec__hdr(r)->size = (uint16_t)r->len;
	return rec__hdr(r);
}

static void layout_for(struct perf_layout *l, uint64_t sample_type, uint64_t regs_mask)
{
	struct perf_event_attr attr = { 0 };

	attr.size = sizeof(attr);
	attr.sample_type = sample_type;
	attr.sample_regs_user = regs_mask;
	attr.sample_stack_user = 64;
	attr.sample_id_all = 1;
	assert_int_equal(perf_layout__init(l, &attr, sizeof(attr)), 0);
}

static const uint64_t chain[] = { PERF_CONTEXT_USER, 0x401234, 0x401000, 0x7f0000001000 };

/* The base sample: IP TID TIME CPU PERIOD CALLCHAIN. */
static void build_base(struct rec *r, uint64_t nr)
{
	rec__begin(r, PERF_RECORD_SAMPLE);
	rec__u64(r, 0x401234);	      /* ip */
	rec__u32x2(r, 100, 101);      /* pid, tid */
	rec__u64(r, 123456789012ull); /* time */
	rec__u32x2(r, 3, 0);	      /* cpu, res */
	rec__u64(r, 1010101);	      /* period */
	rec__u64(r, nr);
	for (uint64_t i = 0; i < nr && i < 4; i++)
		rec__u64(r, chain[i]);
	rec__end(r);
}

static void test_sample_base(void **state)
{
	struct perf_layout l;
	struct perf_sample s;
	struct rec r;

	(void)state;
	layout_for(&l, BASE_TYPE, 0);
	assert_int_equal(l.id_size, 24); /* TID + TIME + CPU */
	build_base(&r, 4);
	assert_int_equal(perf_sample__parse(&l, rec__hdr(&r), &s), 0);
	assert_int_equal(s.ip, 0x401234);
	assert_int_equal(s.pid, 100);
	assert_int_equal(s.tid, 101);
	assert_int_equal(s.time, 123456789012ull);
	assert_int_equal(s.cpu, 3);
	assert_int_equal(s.period, 1010101);
	assert_int_equal(s.nr, 4);
	assert_memory_equal(s.callchain, chain, sizeof(chain));
	assert_int_equal(s.regs_abi, 0);
	assert_null(s.regs);
	assert_int_equal(s.nregs, 0);
	assert_null(s.stack);
	assert_int_equal(s.stack_size, 0);

	/* An empty callchain (kernel at max depth 0, or a lost unwind). */
	build_base(&r, 0);
	assert_int_equal(perf_sample__parse(&l, rec__hdr(&r), &s), 0);
	assert_int_equal(s.nr, 0);
}

/* Every shorter size must be refused, never read past: the record sits at
 * the end of a buffer sized exactly to the cut under ASan. */
static void test_sample_truncated(void **state)
{
	struct perf_layout l;
	struct perf_sample s;
	struct rec r;

	(void)state;
	layout_for(&l, BASE_TYPE, 0);
	build_base(&r, 4);
	for (size_t cut = 0; cut < r.len; cut++) {
		/* plain malloc, so ASan sees the end of the buffer */
		uint64_t *copy = malloc(cut < 8 ? 8 : cut);
		struct perf_event_header *h = (struct perf_event_header *)copy;

		assert_non_null(copy);
		memcpy(copy, r.words, cut < 8 ? 8 : cut);
		h->size = (uint16_t)cut;
		assert_int_equal(perf_sample__parse(&l, h, &s), TP_ERR_BAD_FORMAT);
		free(copy);
	}
}

static void test_sample_bad_callchain(void **state)
{
	static const uint64_t bad_nr[] = { 5,	      6, 1000, UINT64_MAX / 8, UINT64_MAX / 8 + 1,
					   UINT64_MAX };
	struct perf_layout l;
	struct perf_sample s;
	struct rec r;

	(void)state;
	layout_for(&l, BASE_TYPE, 0);
	for (size_t i = 0; i < sizeof(bad_nr) / sizeof(bad_nr[0]); i++) {
		build_base(&r, bad_nr[i]); /* only 4 entries follow */
		assert_int_equal(perf_sample__parse(&l, rec__hdr(&r), &s), TP_ERR_BAD_FORMAT);
	}
}

static void test_sample_bad_header(void **state)
{
	struct perf_layout l;
	struct perf_sample s;
	struct rec r;

	(void)state;
	layout_for(&l, BASE_TYPE, 0);
	build_base(&r, 4);
	/* A size that is not a multiple of 8 never comes from the kernel. */
	rec__hdr(&r)->size -= 4;
	assert_int_equal(perf_sample__parse(&l, rec__hdr(&r), &s), TP_ERR_BAD_FORMAT);
	/* Nor a record that is not 8-aligned. */
	build_base(&r, 4);
	memmove((char *)r.words + 4, r.words, r.len);
	assert_int_equal(
		perf_sample__parse(&l, (struct perf_event_header *)((char *)r.words + 4), &s),
		TP_ERR_BAD_FORMAT);
}

/* The variant for leaf unwinding: user registers and a slice of user stack. */
static void build_regs_stack(struct rec *r, uint64_t abi, uint64_t nregs, uint64_t stack,
			     uint64_t dyn)
{
	build_base(r, 4);
	r->len = rec__hdr(r)->size;
	rec__u64(r, abi);
	for (uint64_t i = 0; i < nregs; i++)
		rec__u64(r, 0x7ffc00000000ull + i);
	rec__u64(r, stack);
	if (stack) {
		for (uint64_t i = 0; i < stack / 8; i++)
			rec__u64(r, 0x1111111111111111ull * (i % 15 + 1));
		rec__u64(r, dyn);
	}
	rec__end(r);
}

static void test_sample_regs_stack(void **state)
{
	struct perf_layout l;
	struct perf_sample s;
	struct rec r;
	const unsigned char *base;

	(void)state;
	layout_for(&l, BASE_TYPE | PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER, REGS_MASK);
	assert_int_equal(l.regs_user_mask, REGS_MASK);

	build_regs_stack(&r, PERF_SAMPLE_REGS_ABI_64, 3, 64, 48);
	assert_int_equal(perf_sample__parse(&l, rec__hdr(&r), &s), 0);
	assert_int_equal(s.nr, 4);
	assert_int_equal(s.regs_abi, PERF_SAMPLE_REGS_ABI_64);
	assert_int_equal(s.nregs, 3);
	assert_int_equal(s.regs[0], 0x7ffc00000000ull);
	assert_int_equal(s.regs[2], 0x7ffc00000002ull);
	assert_int_equal(s.stack_size, 48); /* dyn_size: what was really copied */
	base = (const unsigned char *)r.words;
	/* header, 5 fixed words, nr + 4 entries, abi + 3 regs, size word */
	assert_ptr_equal(s.stack, base + 8 + 5 * 8 + 5 * 8 + 4 * 8 + 8);
	assert_int_equal(s.stack[0], 0x11);

	/* A kernel thread or a failed copy: abi 0 means no registers follow,
	 * and a stack size of 0 means no data and no dyn_size. */
	build_regs_stack(&r, PERF_SAMPLE_REGS_ABI_NONE, 0, 0, 0);
	assert_int_equal(perf_sample__parse(&l, rec__hdr(&r), &s), 0);
	assert_int_equal(s.regs_abi, 0);
	assert_null(s.regs);
	assert_null(s.stack);
	assert_int_equal(s.stack_size, 0);
}

static void test_sample_regs_stack_bad(void **state)
{
	struct perf_layout l;
	struct perf_sample s;
	struct rec r;

	(void)state;
	layout_for(&l, BASE_TYPE | PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER, REGS_MASK);

	/* dyn_size larger than the data captured. */
	build_regs_stack(&r, PERF_SAMPLE_REGS_ABI_64, 3, 64, 72);
	assert_int_equal(perf_sample__parse(&l, rec__hdr(&r), &s), TP_ERR_BAD_FORMAT);

	/* Stack size larger than the record. */
	build_regs_stack(&r, PERF_SAMPLE_REGS_ABI_64, 3, 64, 48);
	memcpy((char *)r.words + 8 + 5 * 8 + 5 * 8 + 4 * 8, &(uint64_t){ 4096 }, 8);
	assert_int_equal(perf_sample__parse(&l, rec__hdr(&r), &s), TP_ERR_BAD_FORMAT);
	memcpy((char *)r.words + 8 + 5 * 8 + 5 * 8 + 4 * 8, &(uint64_t){ UINT64_MAX }, 8);
	assert_int_equal(perf_sample__parse(&l, rec__hdr(&r), &s), TP_ERR_BAD_FORMAT);

	/* Registers announced, record cut before them. */
	build_regs_stack(&r, PERF_SAMPLE_REGS_ABI_64, 1, 0, 0);
	r.len -= 16; /* drop one register and the stack size */
	rec__end(&r);
	assert_int_equal(perf_sample__parse(&l, rec__hdr(&r), &s), TP_ERR_BAD_FORMAT);

	/* Every cut of a good record is refused. */
	build_regs_stack(&r, PERF_SAMPLE_REGS_ABI_64, 3, 64, 48);
	for (size_t cut = 8; cut < r.len; cut += 8) {
		struct rec c = r;

		c.len = cut;
		rec__end(&c);
		assert_int_equal(perf_sample__parse(&l, rec__hdr(&c), &s), TP_ERR_BAD_FORMAT);
	}
}

/* All known sample bits at once, in the kernel's order. */
static void test_sample_all_known_bits(void **state)
{
	uint64_t t = BASE_TYPE | PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_ADDR | PERF_SAMPLE_ID |
		     PERF_SAMPLE_STREAM_ID;
	struct perf_layout l;
	struct perf_sample s;
	struct rec r;

	(void)state;
	layout_for(&l, t, 0);
	assert_int_equal(l.id_size, 48); /* TID TIME ID STREAM_ID CPU IDENTIFIER */
	rec__begin(&r, PERF_RECORD_SAMPLE);
	rec__u64(&r, 77);     /* identifier */
	rec__u64(&r, 0xabc);  /* ip */
	rec__u32x2(&r, 5, 6); /* pid tid */
	rec__u64(&r, 999);    /* time */
	rec__u64(&r, 0xdead); /* addr */
	rec__u64(&r, 77);     /* id */
	rec__u64(&r, 78);     /* stream id */
	rec__u32x2(&r, 1, 0); /* cpu */
	rec__u64(&r, 10);     /* period */
	rec__u64(&r, 1);      /* nr */
	rec__u64(&r, 0xabc);
	rec__end(&r);
	assert_int_equal(perf_sample__parse(&l, rec__hdr(&r), &s), 0);
	assert_int_equal(s.ip, 0xabc);
	assert_int_equal(s.pid, 5);
	assert_int_equal(s.tid, 6);
	assert_int_equal(s.time, 999);
	assert_int_equal(s.cpu, 1);
	assert_int_equal(s.period, 10);
	assert_int_equal(s.nr, 1);
	assert_int_equal(s.callchain[0], 0xabc);
}

/* MMAP2 with a build id (attr.build_id) and the sample_id trailer. */
static void build_mmap2(struct rec *r, const char *filename)
{
	struct {
		uint32_t pid, tid;
		uint64_t addr, len, pgoff;
		uint8_t build_id_size, res1;
		uint16_t res2;
		uint8_t build_id[20];
		uint32_t prot, flags;
	} body = { .pid = 100,
		   .tid = 100,
		   .addr = 0x400000,
		   .len = 0x2000,
		   .pgoff = 0x1000,
		   .build_id_size = 20,
		   .prot = 5 /* PROT_READ | PROT_EXEC */,
		   .flags = 2 };
	char name[64] = { 0 };
	size_t n = strlen(filename) + 1;

	assert_int_equal(sizeof(body), 64);
	memset(body.build_id, 0xab, sizeof(body.build_id));
	strcpy(name, filename);
	rec__begin(r, PERF_RECORD_MMAP2);
	rec__hdr(r)->misc |= PERF_RECORD_MISC_MMAP_BUILD_ID;
	rec__put(r, &body, sizeof(body));
	rec__put(r, name, (n + 7) & ~(size_t)7);
	rec__u32x2(r, 100, 102); /* trailer: pid tid */
	rec__u64(r, 555555555);	 /* time */
	rec__u32x2(r, 7, 0);	 /* cpu res */
	rec__end(r);
}

static void test_id_mmap2(void **state)
{
	struct perf_layout l;
	struct perf_id id;
	struct rec r;

	(void)state;
	layout_for(&l, BASE_TYPE, 0);
	build_mmap2(&r, "/usr/lib/libc.so.6");
	assert_int_equal(perf_id__parse(&l, rec__hdr(&r), &id), 0);
	assert_true(id.valid);
	assert_int_equal(id.pid, 100);
	assert_int_equal(id.tid, 102);
	assert_int_equal(id.time, 555555555);
	assert_int_equal(id.cpu, 7);
	/* body: 64 fixed bytes + the name padded to 8 (18 + NUL -> 24) */
	assert_int_equal(perf_rec__body_size(&l, rec__hdr(&r)), 64 + 24);
	assert_string_equal((const char *)r.words + 8 + 64, "/usr/lib/libc.so.6");

	/* Too short to hold the trailer. */
	rec__begin(&r, PERF_RECORD_MMAP2);
	rec__u64(&r, 0);
	rec__u64(&r, 0);
	rec__end(&r);
	assert_int_equal(perf_id__parse(&l, rec__hdr(&r), &id), TP_ERR_BAD_FORMAT);
	assert_false(id.valid);
	assert_int_equal(perf_rec__body_size(&l, rec__hdr(&r)), 0);

	/* Without sample_id_all there is no trailer to read. */
	{
		struct perf_event_attr attr = { .size = sizeof(attr), .sample_type = BASE_TYPE };
		struct perf_layout l0;

		assert_int_equal(perf_layout__init(&l0, &attr, sizeof(attr)), 0);
		assert_int_equal(l0.id_size, 0);
		build_mmap2(&r, "/x");
		assert_int_equal(perf_id__parse(&l0, rec__hdr(&r), &id), 0);
		assert_false(id.valid);
		assert_int_equal(perf_rec__body_size(&l0, rec__hdr(&r)), r.len - 8);
	}
}

static void test_layout_refuses(void **state)
{
	static const uint64_t unknown[] = {
		PERF_SAMPLE_READ,      PERF_SAMPLE_RAW,	      PERF_SAMPLE_BRANCH_STACK,
		PERF_SAMPLE_WEIGHT,    PERF_SAMPLE_DATA_SRC,  PERF_SAMPLE_TRANSACTION,
		PERF_SAMPLE_REGS_INTR, PERF_SAMPLE_PHYS_ADDR, 1ull << 63
	};
	struct perf_event_attr attr = { .size = sizeof(attr) };
	struct perf_layout l;

	(void)state;
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		attr.sample_type = BASE_TYPE | unknown[i];
		assert_int_equal(perf_layout__init(&l, &attr, sizeof(attr)), TP_ERR_BAD_FORMAT);
	}
	/* An attr shorter than the first ABI version is not an attr. */
	attr.sample_type = BASE_TYPE;
	assert_int_equal(perf_layout__init(&l, &attr, PERF_ATTR_SIZE_VER0 - 1), TP_ERR_BAD_FORMAT);
	assert_int_equal(perf_layout__init(&l, &attr, 0), TP_ERR_BAD_FORMAT);
	assert_int_equal(perf_layout__init(&l, NULL, 0), TP_ERR_BAD_FORMAT);
	/* A VER0 attr (from an old writer) is enough; later fields read as 0. */
	attr.sample_id_all = 1;
	assert_int_equal(perf_layout__init(&l, &attr, PERF_ATTR_SIZE_VER0), 0);
	assert_int_equal(l.sample_type, BASE_TYPE);
	assert_true(l.sample_id_all);
	assert_int_equal(l.regs_user_mask, 0);
	/* A larger attr from a newer kernel header: the tail is ignored. */
	{
		unsigned char big[sizeof(attr) + 64];

		memset(big, 0xff, sizeof(big));
		memcpy(big, &attr, sizeof(attr));
		assert_int_equal(
			perf_layout__init(&l, (const struct perf_event_attr *)big, sizeof(big)), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_base),
		cmocka_unit_test(test_sample_truncated),
		cmocka_unit_test(test_sample_bad_callchain),
		cmocka_unit_test(test_sample_bad_header),
		cmocka_unit_test(test_sample_regs_stack),
		cmocka_unit_test(test_sample_regs_stack_bad),
		cmocka_unit_test(test_sample_all_known_bits),
		cmocka_unit_test(test_id_mmap2),
		cmocka_unit_test(test_layout_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
