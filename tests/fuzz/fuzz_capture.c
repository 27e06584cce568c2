/* libFuzzer target for the capture reader and everything that decodes a
 * record: the attr layout, the kernel records inside TP_REC_PERF (samples,
 * sample_id trailers, MMAP2/COMM names), side files and maps snapshots.
 * Every byte a decoder hands out is touched, so ASan sees a bad pointer. */
#include "capture/format.h"
#include "capture/perf_rec.h"
#include "capture/reader.h"
#include "proc/maps.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile uint64_t sink;

static void touch(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += b[i];
	sink += sum;
}

static void walk_perf(const struct perf_layout *l, const struct capture_rec *rec)
{
	const unsigned char *p, *end = (const unsigned char *)rec->data + rec->len;

	if (rec->len < sizeof(struct tp_rec_perf))
		return;
	p = (const unsigned char *)rec->data + sizeof(struct tp_rec_perf);
	while ((size_t)(end - p) >= sizeof(struct perf_event_header)) {
		const struct perf_event_header *h = (const void *)p;
		struct perf_sample s;
		struct perf_id id;
		size_t body;

		/* A consumer's own bounds checks: the size must advance, stay
		 * inside the payload, and keep the next header 8-aligned. */
		if (h->size < sizeof(*h) || h->size > (size_t)(end - p) || h->size % 8)
			return;
		if (h->type == PERF_RECORD_SAMPLE) {
			if (!perf_sample__parse(l, h, &s)) {
				for (uint64_t i = 0; i < s.nr; i++)
					sink += s.callchain[i];
				for (uint64_t i = 0; i < s.nregs; i++)
					sink += s.regs[i];
				if (s.stack)
					touch(s.stack, s.stack_size);
			}
		} else {
			perf_id__parse(l, h, &id);
			sink += id.pid + id.time;
			body = perf_rec__body_size(l, h);
			/* MMAP2: 64 fixed bytes then a NUL-terminated name; COMM: 8
			 * then the name. Bounded by the body, never by the NUL. */
			if (h->type == PERF_RECORD_MMAP2 && body > 64)
				sink += strnlen((const char *)(h + 1) + 64, body - 64);
			else if (h->type == PERF_RECORD_COMM && body > 8)
				sink += strnlen((const char *)(h + 1) + 8, body - 8);
			touch(h + 1, body);
		}
		p += h->size;
	}
}

static void decode_side(const struct capture_rec *rec)
{
	struct capture_side_file sf;

	if (capture_side_file__decode(rec, &sf))
		return;
	sink += strlen(sf.name) + strlen(sf.kind);
	touch(sf.data, sf.len + 1); /* the NUL after the data included */
	capture_side_file__free(&sf);
}

static void decode_maps(const struct capture_rec *rec)
{
	struct proc_maps m;

	if (rec->len < sizeof(struct tp_rec_proc_maps))
		return;
	if (proc_maps__parse((const char *)rec->data + sizeof(struct tp_rec_proc_maps),
			     rec->len - sizeof(struct tp_rec_proc_maps), &m) == 0) {
		for (size_t i = 0; i < m.n; i++)
			sink += strlen(m.maps[i].path);
	}
	proc_maps__free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct capture_reader *r;
	struct capture_rec rec;
	struct perf_layout layout = { 0 };
	struct perf_event_attr attr = { 0 };
	int ret;

	if (capture_reader__open_mem(data, size, &r))
		return 0;
	/* Until an ATTR record says otherwise, decode with the recorder's
	 * layout, so PERF records are exercised in inputs without one. */
	attr.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_CPU |
			   PERF_SAMPLE_PERIOD | PERF_SAMPLE_CALLCHAIN;
	attr.sample_id_all = 1;
	perf_layout__init(&layout, &attr, sizeof(attr));
	while ((ret = capture_reader__next(r, &rec)) == 1) {
		if (rec.offset + 16 + rec.len > size)
			abort(); /* the reader handed out bytes past the input */
		touch(rec.data, rec.len);
		switch (rec.type) {
		case TP_REC_ATTR: {
			struct perf_layout l;

			if (!perf_layout__init(&l, rec.data, rec.len))
				layout = l;
			break;
		}
		case TP_REC_PERF:
			walk_perf(&layout, &rec);
			break;
		case TP_REC_SIDE_FILE:
			decode_side(&rec);
			break;
		case TP_REC_PROC_MAPS:
			decode_maps(&rec);
			break;
		}
	}
	if (ret < 0 && capture_reader__damage_offset(r) >= size)
		abort(); /* damage must point inside the input */
	capture_reader__close(r);
	return 0;
}
