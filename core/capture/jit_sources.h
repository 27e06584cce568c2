/* Record side of JIT symbolization: embeds the perf maps and jitdump files of
 * the recorded processes in the capture, so it stays analysable after the
 * process and its /tmp files are gone.
 *
 * Perf maps are append-only logs: they are read as they grow, each new chunk
 * stored with the time it was read, which bounds when its entries were
 * written (the loader needs that to resolve reused addresses). jitdump files
 * carry their own timestamps and are embedded whole at the end; they are
 * found through the runtime's mmap of the file, as perf finds them.
 * Files not owned by the process's user or root are ignored with a warning.
 * async-signal-safe: no. */
#ifndef TP_CAPTURE_JIT_SOURCES_H
#define TP_CAPTURE_JIT_SOURCES_H

#include <linux/perf_event.h>
#include <stddef.h>
#include <stdint.h>

struct capture_writer;
struct jit_sources;

struct jit_sources *jit_sources__new(struct capture_writer *w);
/* Note a process to watch (attach mode; launch mode learns them from records). */
void jit_sources__add_pid(struct jit_sources *js, uint32_t pid);
/* Observer for the sampler: learns processes and jitdump mappings. */
void jit_sources__on_record(void *js, const struct perf_event_header *h);
/* Embed what the perf maps gained since the last call. */
void jit_sources__poll(struct jit_sources *js, uint64_t now_ns);
/* Final read of every perf map and embedding of the jitdump files. */
void jit_sources__finish(struct jit_sources *js, uint64_t now_ns);
/* Processes seen so far (launch mode: every process the command started). */
size_t jit_sources__nr_pids(const struct jit_sources *js);
uint32_t jit_sources__pid(const struct jit_sources *js, size_t i);
void jit_sources__delete(struct jit_sources *js);

#endif
