/* A tiny protocol-buffers reader for the tests: checks what the encoder
 * (core/output/protobuf.c) wrote, independently of it. Every read is bounds
 * checked; a malformed message fails the read instead of running off. */
#ifndef TP_TESTS_PB_DECODE_H
#define TP_TESTS_PB_DECODE_H

#include <stddef.h>
#include <stdint.h>

struct pbd {
	const uint8_t *p, *end;
};

/* One field: its number and wire type, and the varint value or the
 * length-delimited bytes. */
struct pbd_field {
	uint32_t num;
	unsigned wire;
	uint64_t v;
	const uint8_t *data;
	size_t len;
};

static inline int pbd_varint(struct pbd *d, uint64_t *out)
{
	uint64_t v = 0;

	for (unsigned shift = 0; shift < 70; shift += 7) {
		uint8_t b;

		if (d->p >= d->end)
			return -1;
		b = *d->p++;
		if (shift == 63 && b > 1)
			return -1; /* more than 64 bits */
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = v;
			return 0;
		}
	}
	return -1;
}

/* 1 with *f filled, 0 at the end, -1 on malformed input. */
static inline int pbd_next(struct pbd *d, struct pbd_field *f)
{
	uint64_t key, len;

	if (d->p == d->end)
		return 0;
	if (pbd_varint(d, &key) || (key >> 3) == 0 || (key >> 3) > UINT32_MAX)
		return -1;
	f->num = (uint32_t)(key >> 3);
	f->wire = key & 7;
	switch (f->wire) {
	case 0:
		return pbd_varint(d, &f->v) ? -1 : 1;
	case 2:
		if (pbd_varint(d, &len) || len > (uint64_t)(d->end - d->p))
			return -1;
		f->data = d->p;
		f->len = (size_t)len;
		d->p += len;
		return 1;
	default:
		return -1; /* the encoder writes no other wire type */
	}
}

static inline struct pbd pbd_sub(const struct pbd_field *f)
{
	return (struct pbd){ f->data, f->data + f->len };
}

#endif
