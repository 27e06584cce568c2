/* A small protocol-buffers encoder, enough for profile.proto: varint,
 * length-delimited (bytes, strings, nested messages) and packed repeated
 * varint fields, written into a growing memory buffer.
 * https://protobuf.dev/programming-guides/encoding/
 *
 * Nested messages need their length before their content: pb__begin()
 * reserves one byte for it and pb__end() widens the slot if the content came
 * out longer than 127 bytes. Calls must nest (end the inner message first).
 * Out of memory is fatal (util/mem.h). async-signal-safe: no. */
#ifndef TP_OUTPUT_PROTOBUF_H
#define TP_OUTPUT_PROTOBUF_H

#include <stddef.h>
#include <stdint.h>

struct pb_buf {
	uint8_t *data;
	size_t len, cap;
};

#define PB_WIRE_VARINT 0
#define PB_WIRE_LEN 2

void pb__init(struct pb_buf *b);
void pb__exit(struct pb_buf *b);

/* Bytes the varint encoding of v takes (1 to 10). */
size_t pb__varint_size(uint64_t v);
void pb__varint(struct pb_buf *b, uint64_t v);
void pb__tag(struct pb_buf *b, uint32_t field, unsigned wire);

/* A varint field: uint64, or int64/bool cast (negative int64 takes 10 bytes,
 * as the spec wants for int64, not zigzag). Written even when 0. */
void pb__uint(struct pb_buf *b, uint32_t field, uint64_t v);
static inline void pb__int(struct pb_buf *b, uint32_t field, int64_t v)
{
	pb__uint(b, field, (uint64_t)v);
}
void pb__bytes(struct pb_buf *b, uint32_t field, const void *data, size_t n);
void pb__string(struct pb_buf *b, uint32_t field, const char *s);
/* A packed repeated varint field; nothing when n == 0. */
void pb__packed(struct pb_buf *b, uint32_t field, const uint64_t *v, size_t n);

/* Open a nested message as field; returns the mark to pass to pb__end. */
size_t pb__begin(struct pb_buf *b, uint32_t field);
void pb__end(struct pb_buf *b, size_t mark);

#endif
