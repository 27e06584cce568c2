#include "protobuf.h"
#include "../util/mem.h"

#include <assert.h>
#include <string.h>

void pb__init(struct pb_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void pb__exit(struct pb_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

static void reserve(struct pb_buf *b, size_t n)
{
	assert(b->len + n >= b->len); /* catch size_t overflow */
	tp_xgrow((void **)&b->data, &b->cap, b->len + n, 1);
}

size_t pb__varint_size(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static size_t put_varint(uint8_t *out, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		out[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	out[n++] = (uint8_t)v;
	return n;
}

void pb__varint(struct pb_buf *b, uint64_t v)
{
	reserve(b, 10);
	b->len += put_varint(b->data + b->len, v);
}

void pb__tag(struct pb_buf *b, uint32_t field, unsigned wire)
{
	assert(field > 0 && field < (1u << 29));
	pb__varint(b, ((uint64_t)field << 3) | wire);
}

void pb__uint(struct pb_buf *b, uint32_t field, uint64_t v)
{
	pb__tag(b, field, PB_WIRE_VARINT);
	pb__varint(b, v);
}

void pb__bytes(struct pb_buf *b, uint32_t field, const void *data, size_t n)
{
	pb__tag(b, field, PB_WIRE_LEN);
	pb__varint(b, n);
	reserve(b, n);
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
}

void pb__string(struct pb_buf *b, uint32_t field, const char *s)
{
	pb__bytes(b, field, s, strlen(s));
}

void pb__packed(struct pb_buf *b, uint32_t field, const uint64_t *v, size_t n)
{
	size_t bytes = 0;

	if (!n)
		return;
	for (size_t i = 0; i < n; i++)
		bytes += pb__varint_size(v[i]);
	pb__tag(b, field, PB_WIRE_LEN);
	pb__varint(b, bytes);
	reserve(b, bytes);
	for (size_t i = 0; i < n; i++)
		b->len += put_varint(b->data + b->len, v[i]);
}

size_t pb__begin(struct pb_buf *b, uint32_t field)
{
	pb__tag(b, field, PB_WIRE_LEN);
	reserve(b, 1);
	b->data[b->len] = 0; /* the length slot: one byte, widened by pb__end */
	return b->len++;
}

void pb__end(struct pb_buf *b, size_t mark)
{
	size_t content = b->len - mark - 1;
	size_t need = pb__varint_size(content);

	assert(mark < b->len);
	if (need > 1) {
		reserve(b, need - 1);
		memmove(b->data + mark + need, b->data + mark + 1, content);
		b->len += need - 1;
	}
	put_varint(b->data + mark, content);
}
