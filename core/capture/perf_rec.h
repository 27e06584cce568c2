/* Decoding of the kernel's perf records as stored in TP_REC_PERF payloads.
 * Only the sample fields tierprof asks for are understood; an attr with other
 * bits is refused at setup. Every length is checked against the record size.
 * Decoded pointers point into the record. */
#ifndef TP_CAPTURE_PERF_REC_H
#define TP_CAPTURE_PERF_REC_H

#include <linux/perf_event.h>
#include <stddef.h>
#include <stdint.h>

struct perf_layout {
	uint64_t sample_type;
	uint64_t regs_user_mask;
	int sample_id_all;
	size_t id_size; /* bytes of the sample_id trailer on non-sample records */
};

struct perf_sample {
	uint64_t ip;
	uint32_t pid, tid;
	uint64_t time;
	uint32_t cpu;
	uint64_t period;
	uint64_t nr;		   /* callchain entries, context markers included */
	const uint64_t *callchain; /* unaligned-safe: records are 8-aligned */
	uint64_t regs_abi;	   /* PERF_SAMPLE_REGS_ABI_*; 0 = no registers */
	const uint64_t *regs;	   /* popcount(regs_user_mask) values */
	uint64_t nregs;
	uint64_t stack_size; /* bytes captured of the user stack */
	const unsigned char *stack;
};

/* Trailer fields present on non-sample records when sample_id_all is set. */
struct perf_id {
	uint32_t pid, tid;
	uint64_t time;
	uint32_t cpu;
	int valid;
};

/* Initialise from the recorded attr. Returns 0 or TP_ERR_BAD_FORMAT when the
 * attr asks for sample fields this decoder does not know. */
int perf_layout__init(struct perf_layout *l, const struct perf_event_attr *attr, size_t attr_len);

int perf_sample__parse(const struct perf_layout *l, const struct perf_event_header *h,
		       struct perf_sample *out);
/* Read the sample_id trailer of a non-sample record (id->valid = 0 if none). */
int perf_id__parse(const struct perf_layout *l, const struct perf_event_header *h,
		   struct perf_id *id);
/* Bytes of a non-sample record's body, the trailer excluded (0 if too short). */
size_t perf_rec__body_size(const struct perf_layout *l, const struct perf_event_header *h);

#endif
