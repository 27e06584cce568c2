/* Captures whose kernel records tierprof writes itself: stacks imported from
 * another profiler's output (tierprof import --collapsed) and captures built
 * around real runtime files in tests. The records are the ones the recorder
 * stores (COMM, MMAP2, SAMPLE with a callchain, in TP_REC_PERF payloads under
 * one ATTR), so every reader and analysis takes them as they are.
 * A sample may stand for many: with weights, its PERIOD field holds the
 * count and META says so (sample_weight=period, docs/capture-format.md).
 * async-signal-safe: no. */
#ifndef TP_CAPTURE_SYNTH_H
#define TP_CAPTURE_SYNTH_H

#include <stddef.h>
#include <stdint.h>

struct synth;

/* Create path (truncated) and write META and ATTR. META holds clock,
 * frequency_hz=99 and max_depth=0, then meta ("key=value\n" lines, may be
 * NULL; a key given there wins), then "sample_weight=period" when weighted.
 * Returns 0 or -errno. */
int synth__open(const char *path, const char *meta, int weighted, struct synth **out);
/* Thread pid/tid is named comm from time on. */
int synth__comm(struct synth *s, uint32_t pid, uint32_t tid, const char *comm, uint64_t time);
/* Executable mapping [start, start + len) of path ("//anon" for JIT memory). */
int synth__mmap(struct synth *s, uint32_t pid, uint64_t start, uint64_t len, uint64_t pgoff,
		const char *path, uint64_t time);
/* Kernel addresses (the upper half of the address space), as the loader
 * tells them from user ones. */
#define SYNTH_KERNEL_BASE 0xffff800000000000ull

/* One sample of the stack ips[0..n), leaf first (as the kernel orders a
 * callchain); a context marker goes before every run of kernel or user
 * addresses. At most SYNTH_MAX_DEPTH frames. weight is the number of
 * samples it stands for (1 unless weighted). */
#define SYNTH_MAX_DEPTH 8000
int synth__sample(struct synth *s, uint32_t pid, uint32_t tid, uint64_t time, uint64_t weight,
		  const uint64_t *ips, size_t n);
/* Embed a side file (see capture_writer__side_file). */
int synth__side_file(struct synth *s, uint32_t pid, uint64_t time, const char *name,
		     const char *kind, const void *data, size_t len);
/* Write FINISH (samples and end time from what was written, stop reason
 * and exit status as given), flush and close. Returns the first error, or 0.
 * NULL-safe. */
int synth__close(struct synth *s, uint64_t end_time, int exit_status);
/* Close without FINISH after an error (the file is the caller's to remove). */
void synth__abort(struct synth *s);

#endif
