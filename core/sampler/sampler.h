/* The sampler: perf_event_open on the software cpu-clock event, one mmap ring
 * per CPU, drained verbatim into the capture. It never symbolizes and never
 * calls plugins (capture first, interpret later). The drain loop does not
 * allocate. async-signal-safe: no. */
#ifndef TP_SAMPLER_SAMPLER_H
#define TP_SAMPLER_SAMPLER_H

#include <linux/perf_event.h>
#include <stdint.h>
#include <sys/types.h>

struct capture_writer;

struct sampler_opts {
	uint32_t freq_hz;
	uint32_t max_depth;  /* callchain entries the kernel may record */
	int exclude_kernel;  /* user-space frames only (lower privilege needed) */
	int enable_on_exec;  /* start counting when the target execs (launch mode) */
	uint32_t ring_pages; /* data pages per ring, a power of two */
	uint64_t regs_user;  /* PERF_SAMPLE_REGS_USER mask; 0 = none */
	uint32_t stack_user; /* PERF_SAMPLE_STACK_USER bytes; 0 = none */
};

struct sampler_stats {
	uint64_t samples;
	uint64_t lost;	       /* samples the kernel dropped */
	uint64_t lost_records; /* PERF_RECORD_LOST records */
	uint64_t throttle, unthrottle;
	uint64_t bytes;
};

struct sampler;

/* Called from __drain for every COMM, FORK, EXIT and MMAP2 record, with the
 * record made contiguous. Lets the recorder notice new processes and jitdump
 * files without parsing the stream twice. */
typedef void (*sampler_record_fn)(void *ctx, const struct perf_event_header *h);

/* Set up for every online CPU. Returns 0 or -errno. */
int sampler__new(const struct sampler_opts *opts, struct sampler **out);
/* Sample thread tid (and, through inherit, every thread and process it creates
 * later) on every CPU. Returns 0 or -errno from perf_event_open or mmap. */
int sampler__attach(struct sampler *s, pid_t tid);
/* Number of threads attached so far. */
unsigned sampler__nr_attached(const struct sampler *s);
void sampler__set_observer(struct sampler *s, sampler_record_fn fn, void *ctx);
int sampler__enable(struct sampler *s);
int sampler__disable(struct sampler *s);
/* Wait up to timeout_ms for data. Returns >0 when some ring has data, 0 on
 * timeout, -errno on error (-EINTR when a signal arrived). */
int sampler__poll(struct sampler *s, int timeout_ms);
/* Copy everything the rings hold into w as TP_REC_PERF records. */
int sampler__drain(struct sampler *s, struct capture_writer *w);
const struct perf_event_attr *sampler__attr(const struct sampler *s);
const struct sampler_stats *sampler__stats(const struct sampler *s);
void sampler__delete(struct sampler *s);

/* Read an integer from a /proc/sys file; returns 0 or -errno. */
int sampler__read_sysctl(const char *path, long *val);

#endif
