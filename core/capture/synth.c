/* Synthetic kernel records (synth.h). Records are packed into TP_REC_PERF
 * payloads of up to SYNTH_CHUNK bytes, as the recorder drains a ring. */
#include "synth.h"
#include "format.h"
#include "writer.h"
#include "../util/mem.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define SYNTH_CHUNK (1u << 20)
#define SYNTH_FREQ_HZ 99

struct synth {
	struct capture_writer *w;
	unsigned char *buf; /* tp_rec_perf + records */
	size_t used;
	uint64_t samples, last_time;
	int err;
};

/* The sample_id trailer of a non-sample record: pid, tid, time. */
struct id_trailer {
	uint32_t pid, tid;
	uint64_t time;
};

static int flush_perf(struct synth *s)
{
	if (s->used > sizeof(struct tp_rec_perf) && !s->err)
		s->err = capture_writer__append1(s->w, TP_REC_PERF, s->buf, s->used);
	s->used = sizeof(struct tp_rec_perf);
	return s->err;
}

/* Room for one record of size bytes (a multiple of 8); NULL on error. */
static unsigned char *reserve(struct synth *s, size_t size)
{
	unsigned char *p;

	if (s->err)
		return NULL;
	if (size > SYNTH_CHUNK - sizeof(struct tp_rec_perf) || size > UINT16_MAX) {
		s->err = -E2BIG;
		return NULL;
	}
	if (s->used + size > SYNTH_CHUNK && flush_perf(s))
		return NULL;
	p = s->buf + s->used;
	memset(p, 0, size);
	s->used += size;
	return p;
}

static void note_time(struct synth *s, uint64_t time)
{
	if (time > s->last_time)
		s->last_time = time;
}

int synth__open(const char *path, const char *meta, int weighted, struct synth **out)
{
	struct perf_event_attr attr = { 0 };
	struct synth *s = tp_xcalloc(1, sizeof(*s));
	char *text;
	int err;

	*out = NULL;
	err = capture_writer__open(path, &s->w);
	if (err) {
		free(s);
		return err;
	}
	s->buf = tp_xmalloc(SYNTH_CHUNK);
	memset(s->buf, 0, sizeof(struct tp_rec_perf));
	s->used = sizeof(struct tp_rec_perf);
	text = tp_xasprintf("clock=monotonic\nfrequency_hz=%u\nmax_depth=0\n%s%s", SYNTH_FREQ_HZ,
			    meta ? meta : "", weighted ? "sample_weight=period\n" : "");
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_CPU_CLOCK;
	attr.freq = 1;
	attr.sample_freq = SYNTH_FREQ_HZ;
	attr.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
			   PERF_SAMPLE_PERIOD | PERF_SAMPLE_CALLCHAIN;
	attr.sample_id_all = 1;
	attr.use_clockid = 1;
	attr.clockid = 1; /* CLOCK_MONOTONIC */
	err = capture_writer__append1(s->w, TP_REC_META, text, strlen(text));
	err = err ?: capture_writer__append1(s->w, TP_REC_ATTR, &attr, sizeof(attr));
	free(text);
	if (err) {
		synth__abort(s);
		return err;
	}
	*out = s;
	return 0;
}

int synth__comm(struct synth *s, uint32_t pid, uint32_t tid, const char *comm, uint64_t time)
{
	size_t len = strnlen(comm, 15) + 1, body = 8 + ((len + 7) & ~(size_t)7);
	size_t size = sizeof(struct perf_event_header) + body + sizeof(struct id_trailer);
	unsigned char *p = reserve(s, size);
	struct perf_event_header h = { .type = PERF_RECORD_COMM, .size = (uint16_t)size };
	struct id_trailer id = { .pid = pid, .tid = tid, .time = time };
	uint32_t ids[2] = { pid, tid };

	if (!p)
		return s->err;
	memcpy(p, &h, sizeof(h));
	memcpy(p + sizeof(h), ids, sizeof(ids));
	memcpy(p + sizeof(h) + 8, comm, len - 1);
	memcpy(p + size - sizeof(id), &id, sizeof(id));
	note_time(s, time);
	return 0;
}

int synth__mmap(struct synth *s, uint32_t pid, uint64_t start, uint64_t len, uint64_t pgoff,
		const char *path, uint64_t time)
{
	struct {
		uint32_t pid, tid;
		uint64_t addr, len, pgoff;
		uint32_t maj, min;
		uint64_t ino, ino_generation;
		uint32_t prot, flags;
	} m = { .pid = pid,
		.tid = pid,
		.addr = start,
		.len = len,
		.pgoff = pgoff,
		.prot = PROT_READ | PROT_EXEC,
		.flags = MAP_PRIVATE };
	size_t plen = strlen(path) + 1, body = sizeof(m) + ((plen + 7) & ~(size_t)7);
	size_t size = sizeof(struct perf_event_header) + body + sizeof(struct id_trailer);
	struct perf_event_header h = { .type = PERF_RECORD_MMAP2, .size = (uint16_t)size };
	struct id_trailer id = { .pid = pid, .tid = pid, .time = time };
	unsigned char *p = plen > 4096 ? NULL : reserve(s, size);

	if (!p)
		return s->err ? s->err : -ENAMETOOLONG;
	memcpy(p, &h, sizeof(h));
	memcpy(p + sizeof(h), &m, sizeof(m));
	memcpy(p + sizeof(h) + sizeof(m), path, plen - 1);
	memcpy(p + size - sizeof(id), &id, sizeof(id));
	note_time(s, time);
	return 0;
}

static int is_kernel(uint64_t ip)
{
	return ip >= SYNTH_KERNEL_BASE;
}

int synth__sample(struct synth *s, uint32_t pid, uint32_t tid, uint64_t time, uint64_t weight,
		  const uint64_t *ips, size_t n)
{
	size_t nr = n, size;
	struct perf_event_header h = { .type = PERF_RECORD_SAMPLE };
	uint64_t ip = n ? ips[0] : 0, v;
	uint32_t ids[2] = { pid, tid };
	unsigned char *p, *q;

	if (n > SYNTH_MAX_DEPTH)
		return -E2BIG;
	for (size_t i = 0; i < n; i++)
		nr += !i || is_kernel(ips[i]) != is_kernel(ips[i - 1]);
	size = sizeof(struct perf_event_header) + 8 + 8 + 8 + 8 + 8 + nr * 8;
	h.misc = n && is_kernel(ip) ? PERF_RECORD_MISC_KERNEL : PERF_RECORD_MISC_USER;
	h.size = (uint16_t)size;
	p = reserve(s, size);
	if (!p)
		return s->err;
	q = p;
	memcpy(q, &h, sizeof(h));
	q += sizeof(h);
	memcpy(q, &ip, 8);
	memcpy(q + 8, ids, 8);
	memcpy(q + 16, &time, 8);
	memcpy(q + 24, &weight, 8);
	v = nr;
	memcpy(q + 32, &v, 8);
	q += 40;
	for (size_t i = 0; i < n; i++) {
		if (!i || is_kernel(ips[i]) != is_kernel(ips[i - 1])) {
			v = is_kernel(ips[i]) ? (uint64_t)PERF_CONTEXT_KERNEL
					      : (uint64_t)PERF_CONTEXT_USER;
			memcpy(q, &v, 8);
			q += 8;
		}
		memcpy(q, &ips[i], 8);
		q += 8;
	}
	s->samples++;
	note_time(s, time);
	return 0;
}

int synth__side_file(struct synth *s, uint32_t pid, uint64_t time, const char *name,
		     const char *kind, const void *data, size_t len)
{
	if (flush_perf(s))
		return s->err;
	s->err = capture_writer__side_file(s->w, pid, time, name, kind, data, len);
	return s->err;
}

int synth__close(struct synth *s, uint64_t end_time, int exit_status)
{
	struct tp_rec_finish fin = { .samples = 0, .exit_status = exit_status };
	int err;

	if (!s)
		return 0;
	fin.samples = s->samples;
	fin.end_time_ns = end_time > s->last_time ? end_time : s->last_time;
	fin.stop_reason = TP_STOP_COMMAND_EXITED;
	flush_perf(s);
	err = s->err ?: capture_writer__append1(s->w, TP_REC_FINISH, &fin, sizeof(fin));
	err = capture_writer__close(s->w) ?: err;
	free(s->buf);
	free(s);
	return err;
}

void synth__abort(struct synth *s)
{
	if (!s)
		return;
	capture_writer__close(s->w);
	free(s->buf);
	free(s);
}
