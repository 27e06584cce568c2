/* LogCompilation (-XX:+LogCompilation, FORMATS.md section 2.3) as a stream of
 * the records a profiler needs, read with hs_xml (streaming, bounded
 * memory; the input may come in chunks of any size):
 *
 *   root           <hotspot_log process= time_ms=>
 *   nmethod        code installed: compile_id, compiler, level, entry, the
 *                  code's end (the first section after the stubs), method,
 *                  compile_kind osr / c2n (native wrapper), stamp
 *   task_queued    a compilation asked for (decompiles= counts earlier
 *                  deoptimizations of the method)
 *   not_entrant    <make_not_entrant>: code no longer entered
 *   trap           an uncommon trap HIT at run time (<uncommon_trap thread=
 *                  ...> in the VM's own output, with reason and action and
 *                  the innermost <jvms> method and bci); the traps compiled
 *                  into code (<uncommon_trap bci=...> inside a <task>) are
 *                  not run-time events and are not reported
 *   deoptimized    a frame deoptimized (reason, jvms)
 *   dep_failed     <dependency_failed type= witness=>: assumptions broken,
 *                  dependent code about to be made not entrant
 *   compile_failed <failure reason=> inside a <task> (method, compile_id
 *                  of the task)
 *   done           <hotspot_log_done stamp=>
 *
 * Stamps are seconds since VM start (os::elapsedTime, the origin of unified
 * logging's uptime), kept as ns. Strings live until the callback returns.
 * async-signal-safe: no. */
#ifndef TP_HOTSPOT_HS_LOGC_H
#define TP_HOTSPOT_HS_LOGC_H

#include <stddef.h>
#include <stdint.h>

#include "hs_xml.h"

enum hs_logc_kind {
	HS_LOGC_ROOT = 1,
	HS_LOGC_NMETHOD,
	HS_LOGC_TASK_QUEUED,
	HS_LOGC_NOT_ENTRANT,
	HS_LOGC_TRAP,
	HS_LOGC_DEOPTIMIZED,
	HS_LOGC_DEP_FAILED,
	HS_LOGC_COMPILE_FAILED,
	HS_LOGC_DONE,
	HS_LOGC__COUNT,
};

struct hs_logc_rec {
	enum hs_logc_kind kind;
	uint64_t stamp_ns; /* since VM start */
	int has_stamp;
	uint64_t thread;      /* thread= (OS thread id); 0 when absent */
	uint32_t compile_id;  /* 0 when absent */
	int level;	      /* 0..4; -1 when absent */
	int osr;	      /* compile_kind='osr' */
	int native;	      /* compile_kind='c2n' */
	const char *compiler; /* "c1", "c2", "jvmci", "" */
	const char *method;   /* "pkg.Class name (DESC)RET", decoded; "" when absent */
	int64_t bci;	      /* trap, deoptimized: of the innermost jvms; -1 */
	uint64_t entry, code_end, address, size; /* nmethod */
	const char *reason;  /* trap, deoptimized, compile_failed; dep_failed: type */
	const char *action;  /* trap: reinterpret, maybe_recompile, make_not_entrant, none */
	const char *witness; /* dep_failed */
	unsigned decompiles; /* task_queued */
	uint32_t process;    /* root */
	uint64_t time_ms;    /* root: wall clock at VM start */
	uint64_t offset;     /* input offset of the element */
};

struct hs_logc_stats {
	struct hs_xml_stats xml;
	size_t records[HS_LOGC__COUNT];
	size_t bad_records; /* known elements with missing or malformed attributes */
	uint64_t first_bad_offset;
	char first_bad_why[64];
	int looks_like_log; /* a <hotspot_log> root (or a known runtime element) was seen */
};

typedef int (*hs_logc_fn)(void *ctx, const struct hs_logc_rec *r);

struct hs_logc;

/* NULL on out of memory; cb may be NULL (count only). */
struct hs_logc *hs_logc__new(hs_logc_fn cb, void *ctx);
/* 0, cb's non-zero value (stops), or -ENOMEM. */
int hs_logc__feed(struct hs_logc *l, const char *buf, size_t len);
void hs_logc__finish(struct hs_logc *l, struct hs_logc_stats *stats);
void hs_logc__delete(struct hs_logc *l);

/* The whole buffer, fed in chunks. 0, cb's value, or -ENOMEM. */
int hs_logc__parse(const char *buf, size_t len, hs_logc_fn cb, void *ctx,
		   struct hs_logc_stats *stats);

#endif
