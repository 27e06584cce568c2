#include "sampler.h"
#include "../capture/format.h"
#include "../capture/writer.h"
#include "../util/file.h"
#include "../util/log.h"
#include "../util/mem.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct ring {
	int fd; /* the event that owns the mmap */
	struct perf_event_mmap_page *meta;
	unsigned char *data;
	uint64_t mask; /* data size - 1 */
	uint32_t index;
};

struct sampler {
	struct perf_event_attr attr;
	struct sampler_opts opts;
	size_t page_size;
	int *cpus;
	unsigned ncpus;
	struct ring *rings; /* one per cpu, fd = -1 until first attach */
	int *fds;	    /* every event fd, for enable/disable/close */
	size_t nfds, fds_cap;
	struct pollfd *pfds;
	unsigned nattached;
	struct sampler_stats stats;
	sampler_record_fn observer;
	void *observer_ctx;
	uint64_t scratch[(PATH_MAX + 256) / 8]; /* a wrapped record, made contiguous */
};

static long sys_perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd,
				unsigned long flags)
{
	return syscall(SYS_perf_event_open, attr, pid, cpu, group_fd, flags);
}

int sampler__read_sysctl(const char *path, long *val)
{
	char *buf;
	int err = tp_read_file(path, &buf, NULL);

	if (err)
		return err;
	if (sscanf(buf, "%ld", val) != 1)
		err = -EINVAL;
	free(buf);
	return err;
}

/* Parse a cpulist such as "0-3,5" (sysfs "online"). */
static int parse_cpulist(const char *s, int **cpus, unsigned *n)
{
	size_t cap = 0, len = 0;

	*cpus = NULL;
	while (*s && *s != '\n') {
		char *end;
		long a = strtol(s, &end, 10), b = a;

		if (end == s || a < 0)
			goto bad;
		s = end;
		if (*s == '-') {
			b = strtol(s + 1, &end, 10);
			if (end == s + 1 || b < a)
				goto bad;
			s = end;
		}
		for (long c = a; c <= b; c++)
			TP_VEC_PUSH(*cpus, len, cap, (int)c);
		if (*s == ',')
			s++;
	}
	*n = (unsigned)len;
	return len ? 0 : -EINVAL;
bad:
	zfree(cpus);
	return -EINVAL;
}

int sampler__new(const struct sampler_opts *opts, struct sampler **out)
{
	struct sampler *s = tp_xcalloc(1, sizeof(*s));
	char *online = NULL;
	int err;

	s->opts = *opts;
	s->page_size = (size_t)sysconf(_SC_PAGESIZE);
	err = tp_read_file("/sys/devices/system/cpu/online", &online, NULL);
	if (!err)
		err = parse_cpulist(online, &s->cpus, &s->ncpus);
	free(online);
	if (err) {
		/* No sysfs (some containers): fall back to the configured count. */
		long n = sysconf(_SC_NPROCESSORS_CONF);

		s->ncpus = n > 0 ? (unsigned)n : 1;
		s->cpus = tp_xcalloc(s->ncpus, sizeof(int));
		for (unsigned i = 0; i < s->ncpus; i++)
			s->cpus[i] = (int)i;
	}
	s->rings = tp_xcalloc(s->ncpus, sizeof(*s->rings));
	for (unsigned i = 0; i < s->ncpus; i++) {
		s->rings[i].fd = -1;
		s->rings[i].index = i;
	}
	s->pfds = tp_xcalloc(s->ncpus, sizeof(*s->pfds));

	memset(&s->attr, 0, sizeof(s->attr));
	s->attr.size = sizeof(s->attr);
	s->attr.type = PERF_TYPE_SOFTWARE;
	s->attr.config = PERF_COUNT_SW_CPU_CLOCK;
	s->attr.freq = 1;
	s->attr.sample_freq = opts->freq_hz;
	s->attr.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
			      PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD | PERF_SAMPLE_CALLCHAIN;
	if (opts->regs_user) {
		s->attr.sample_type |= PERF_SAMPLE_REGS_USER;
		s->attr.sample_regs_user = opts->regs_user;
	}
	if (opts->stack_user) {
		s->attr.sample_type |= PERF_SAMPLE_STACK_USER;
		s->attr.sample_stack_user = opts->stack_user;
	}
	s->attr.sample_max_stack = (uint16_t)opts->max_depth;
	s->attr.disabled = 1;
	s->attr.enable_on_exec = opts->enable_on_exec ? 1 : 0;
	s->attr.inherit = 1;
	s->attr.mmap = 1;
	s->attr.mmap2 = 1;
	s->attr.build_id = 1;
	s->attr.comm = 1;
	s->attr.comm_exec = 1;
	s->attr.task = 1;
	s->attr.sample_id_all = 1;
	s->attr.exclude_kernel = opts->exclude_kernel ? 1 : 0;
	s->attr.exclude_callchain_kernel = opts->exclude_kernel ? 1 : 0;
	s->attr.exclude_hv = 1;
	s->attr.use_clockid = 1;
	s->attr.clockid = CLOCK_MONOTONIC;
	/* Wake the poller when a quarter of the ring is used, not per sample. */
	s->attr.watermark = 1;
	s->attr.wakeup_watermark = (uint32_t)(opts->ring_pages * s->page_size / 4);
	*out = s;
	return 0;
}

static int sampler__add_fd(struct sampler *s, int fd)
{
	TP_VEC_PUSH(s->fds, s->nfds, s->fds_cap, fd);
	return 0;
}

static int ring__map(struct sampler *s, struct ring *r, int fd)
{
	size_t len = (s->opts.ring_pages + 1) * s->page_size;
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		return -errno;
	r->fd = fd;
	r->meta = p;
	r->data = (unsigned char *)p + s->page_size;
	r->mask = s->opts.ring_pages * s->page_size - 1;
	return 0;
}

static int open_event(struct sampler *s, pid_t tid, int cpu)
{
	int fd = (int)sys_perf_event_open(&s->attr, tid, cpu, -1, PERF_FLAG_FD_CLOEXEC);

	/* Kernels before 5.12 refuse build ids in MMAP2; device and inode numbers
	 * will do, so drop the bit for this and every later event. */
	if (fd < 0 && errno == EINVAL && s->attr.build_id) {
		s->attr.build_id = 0;
		fd = (int)sys_perf_event_open(&s->attr, tid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	}
	if (fd < 0)
		return -errno;
	return fd;
}

int sampler__attach(struct sampler *s, pid_t tid)
{
	for (unsigned i = 0; i < s->ncpus; i++) {
		struct ring *r = &s->rings[i];
		int fd = open_event(s, tid, s->cpus[i]), err;

		if (fd == -ENODEV)
			continue; /* CPU went offline */
		if (fd < 0)
			return fd;
		if (r->fd < 0) {
			err = ring__map(s, r, fd);
		} else {
			err = ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, r->fd) < 0 ? -errno : 0;
		}
		if (err) {
			close(fd);
			return err;
		}
		sampler__add_fd(s, fd);
	}
	s->nattached++;
	return 0;
}

unsigned sampler__nr_attached(const struct sampler *s)
{
	return s->nattached;
}

static int ioctl_all(struct sampler *s, unsigned long req)
{
	int err = 0;

	for (size_t i = 0; i < s->nfds; i++) {
		if (ioctl(s->fds[i], req, 0) < 0 && errno != ESRCH && !err)
			err = -errno;
	}
	return err;
}

void sampler__set_observer(struct sampler *s, sampler_record_fn fn, void *ctx)
{
	s->observer = fn;
	s->observer_ctx = ctx;
}

int sampler__enable(struct sampler *s)
{
	return ioctl_all(s, PERF_EVENT_IOC_ENABLE);
}

int sampler__disable(struct sampler *s)
{
	return ioctl_all(s, PERF_EVENT_IOC_DISABLE);
}

int sampler__poll(struct sampler *s, int timeout_ms)
{
	nfds_t n = 0;
	int r;

	for (unsigned i = 0; i < s->ncpus; i++) {
		if (s->rings[i].fd < 0)
			continue;
		s->pfds[n].fd = s->rings[i].fd;
		s->pfds[n].events = POLLIN;
		s->pfds[n].revents = 0;
		n++;
	}
	r = poll(s->pfds, n, timeout_ms);
	if (r < 0)
		return -errno;
	return r;
}

static void ring__read(const struct ring *r, uint64_t off, void *dst, size_t n)
{
	unsigned char *d = dst;

	for (size_t i = 0; i < n; i++)
		d[i] = r->data[(off + i) & r->mask];
}

/* Count what the chunk [tail, head) holds without copying it anywhere. */
static void ring__account(struct sampler *s, const struct ring *r, uint64_t tail, uint64_t head)
{
	while (tail < head) {
		struct perf_event_header h;

		ring__read(r, tail, &h, sizeof(h));
		if (h.size < sizeof(h))
			break; /* never from a sane kernel; stop counting, keep the data */
		switch (h.type) {
		case PERF_RECORD_SAMPLE:
			s->stats.samples++;
			break;
		case PERF_RECORD_LOST: {
			uint64_t lost;

			ring__read(r, tail + sizeof(h) + 8, &lost, sizeof(lost));
			s->stats.lost += lost;
			s->stats.lost_records++;
			break;
		}
		case PERF_RECORD_THROTTLE:
			s->stats.throttle++;
			break;
		case PERF_RECORD_UNTHROTTLE:
			s->stats.unthrottle++;
			break;
		case PERF_RECORD_COMM:
		case PERF_RECORD_FORK:
		case PERF_RECORD_EXIT:
		case PERF_RECORD_MMAP2:
			if (s->observer && h.size <= sizeof(s->scratch)) {
				ring__read(r, tail, s->scratch, h.size);
				s->observer(s->observer_ctx,
					    (const struct perf_event_header *)s->scratch);
			}
			break;
		}
		tail += h.size;
	}
}

int sampler__drain(struct sampler *s, struct capture_writer *w)
{
	for (unsigned i = 0; i < s->ncpus; i++) {
		struct ring *r = &s->rings[i];
		struct tp_rec_perf rp = { .ring = r->index };
		struct iovec iov[3];
		uint64_t head, tail, size, start, first;
		int n = 0, err;

		if (r->fd < 0)
			continue;
		head = __atomic_load_n(&r->meta->data_head, __ATOMIC_ACQUIRE);
		tail = r->meta->data_tail;
		if (head == tail)
			continue;
		size = head - tail;
		start = tail & r->mask;
		first = r->mask + 1 - start;
		iov[n++] = (struct iovec){ &rp, sizeof(rp) };
		if (size <= first) {
			iov[n++] = (struct iovec){ r->data + start, size };
		} else {
			iov[n++] = (struct iovec){ r->data + start, first };
			iov[n++] = (struct iovec){ r->data, size - first };
		}
		ring__account(s, r, tail, head);
		err = capture_writer__append(w, TP_REC_PERF, iov, n);
		__atomic_store_n(&r->meta->data_tail, head, __ATOMIC_RELEASE);
		s->stats.bytes += size;
		if (err)
			return err;
	}
	return 0;
}

const struct perf_event_attr *sampler__attr(const struct sampler *s)
{
	return &s->attr;
}

const struct sampler_stats *sampler__stats(const struct sampler *s)
{
	return &s->stats;
}

void sampler__delete(struct sampler *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->ncpus; i++) {
		if (s->rings[i].meta)
			munmap(s->rings[i].meta, (s->opts.ring_pages + 1) * s->page_size);
	}
	for (size_t i = 0; i < s->nfds; i++)
		close(s->fds[i]);
	free(s->fds);
	free(s->rings);
	free(s->pfds);
	free(s->cpus);
	free(s);
}
