/* The protobuf encoder: varint bytes at every length boundary, int64 as ten
 * bytes, tags, packed fields, and nested messages whose length slot must
 * widen (content over 127 and 16383 bytes, nested twice), read back with an
 * independent decoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "output/protobuf.h"
#include "pb_decode.h"

static void expect_bytes(const struct pb_buf *b, const uint8_t *want, size_t n)
{
	assert_int_equal(b->len, n);
	assert_memory_equal(b->data, want, n);
}

static void test_varint(void **state)
{
	static const struct {
		uint64_t v;
		uint8_t bytes[10];
		size_t n;
	} cases[] = {
		{ 0, { 0x00 }, 1 },
		{ 1, { 0x01 }, 1 },
		{ 127, { 0x7f }, 1 },
		{ 128, { 0x80, 0x01 }, 2 },
		{ 300, { 0xac, 0x02 }, 2 },
		{ 16383, { 0xff, 0x7f }, 2 },
		{ 16384, { 0x80, 0x80, 0x01 }, 3 },
		{ UINT32_MAX, { 0xff, 0xff, 0xff, 0xff, 0x0f }, 5 },
		{ UINT64_MAX, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 }, 10 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pb_buf b;
		struct pbd d;
		uint64_t back;

		pb__init(&b);
		pb__varint(&b, cases[i].v);
		expect_bytes(&b, cases[i].bytes, cases[i].n);
		assert_int_equal(pb__varint_size(cases[i].v), cases[i].n);
		d = (struct pbd){ b.data, b.data + b.len };
		assert_int_equal(pbd_varint(&d, &back), 0);
		assert_true(back == cases[i].v);
		pb__exit(&b);
	}
}

/* int64 -1 is ten bytes (two's complement, not zigzag), as protobuf's int64. */
static void test_int64_negative(void **state)
{
	static const uint8_t want[] = { 0x08, 0xff, 0xff, 0xff, 0xff, 0xff,
					0xff, 0xff, 0xff, 0xff, 0x01 };
	struct pb_buf b;

	(void)state;
	pb__init(&b);
	pb__int(&b, 1, -1);
	expect_bytes(&b, want, sizeof(want));
	pb__exit(&b);
}

static void test_tags_and_strings(void **state)
{
	/* field 1 varint 150 (the spec's example), field 2 "testing", field 16 */
	static const uint8_t want[] = { 0x08, 0x96, 0x01, 0x12, 0x07, 't',  'e',  's', 't',
					'i',  'n',  'g',  0x80, 0x01, 0x05, 0x1a, 0x00 };
	struct pb_buf b;

	(void)state;
	pb__init(&b);
	pb__uint(&b, 1, 150);
	pb__string(&b, 2, "testing");
	pb__uint(&b, 16, 5);
	pb__bytes(&b, 3, NULL, 0);
	expect_bytes(&b, want, sizeof(want));
	pb__exit(&b);
}

static void test_packed(void **state)
{
	static const uint64_t vals[] = { 3, 270, 86942 };
	/* the spec's packed example: field 4, 6 bytes */
	static const uint8_t want[] = { 0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05 };
	struct pb_buf b;

	(void)state;
	pb__init(&b);
	pb__packed(&b, 4, vals, 3);
	pb__packed(&b, 5, vals, 0); /* nothing for an empty list */
	expect_bytes(&b, want, sizeof(want));
	pb__exit(&b);
}

/* Nested messages of every length class, inside each other. */
static void test_nested(void **state)
{
	static const size_t sizes[] = { 0, 1, 126, 127, 128, 200, 16383, 16384, 70000 };

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct pb_buf b;
		struct pbd d, in, inner;
		struct pbd_field f, g, h;
		char *blob = malloc(sizes[i] + 1);
		size_t outer, mid;

		memset(blob, 'x', sizes[i]);
		blob[sizes[i]] = '\0';
		pb__init(&b);
		pb__uint(&b, 1, 7);
		outer = pb__begin(&b, 2);
		pb__uint(&b, 1, 42);
		mid = pb__begin(&b, 3);
		pb__bytes(&b, 4, blob, sizes[i]);
		pb__end(&b, mid);
		pb__uint(&b, 5, 99); /* after the inner message: must survive its move */
		pb__end(&b, outer);
		pb__uint(&b, 6, 1);

		d = (struct pbd){ b.data, b.data + b.len };
		assert_int_equal(pbd_next(&d, &f), 1);
		assert_int_equal(f.num, 1);
		assert_int_equal(f.v, 7);
		assert_int_equal(pbd_next(&d, &f), 1);
		assert_int_equal(f.num, 2);
		assert_int_equal(f.wire, 2);
		in = pbd_sub(&f);
		assert_int_equal(pbd_next(&in, &g), 1);
		assert_int_equal(g.v, 42);
		assert_int_equal(pbd_next(&in, &g), 1);
		assert_int_equal(g.num, 3);
		inner = pbd_sub(&g);
		assert_int_equal(pbd_next(&inner, &h), 1);
		assert_int_equal(h.num, 4);
		assert_int_equal(h.len, sizes[i]);
		assert_memory_equal(h.data, blob, sizes[i]);
		assert_int_equal(pbd_next(&inner, &h), 0);
		assert_int_equal(pbd_next(&in, &g), 1);
		assert_int_equal(g.num, 5);
		assert_int_equal(g.v, 99);
		assert_int_equal(pbd_next(&in, &g), 0);
		assert_int_equal(pbd_next(&d, &f), 1);
		assert_int_equal(f.num, 6);
		assert_int_equal(pbd_next(&d, &f), 0);
		pb__exit(&b);
		free(blob);
	}
}

/* The test decoder itself refuses what it must: a cut varint or a length
 * past the end. */
static void test_decoder_rejects(void **state)
{
	static const uint8_t cut[] = { 0x08, 0x96 };
	static const uint8_t too_long[] = { 0x12, 0x05, 'a' };
	struct pbd d;
	struct pbd_field f;

	(void)state;
	d = (struct pbd){ cut, cut + sizeof(cut) };
	assert_int_equal(pbd_next(&d, &f), -1);
	d = (struct pbd){ too_long, too_long + sizeof(too_long) };
	assert_int_equal(pbd_next(&d, &f), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_varint),		 cmocka_unit_test(test_int64_negative),
		cmocka_unit_test(test_tags_and_strings), cmocka_unit_test(test_packed),
		cmocka_unit_test(test_nested),		 cmocka_unit_test(test_decoder_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
