#include "load.h"
#include "addrspace.h"
#include "profile.h"
#include "refine.h"
#include "rstacks.h"
#include "tier.h"
#include "../capture/format.h"
#include "../capture/perf_rec.h"
#include "../capture/reader.h"
#include "../plugin/host.h"
#include "../proc/maps.h"
#include "../symbol/demangle.h"
#include "../symbol/elf.h"
#include "../symbol/jitdump.h"
#include "../symbol/jitmap.h"
#include "../symbol/perfmap.h"
#include "../symbol/kallsyms.h"
#include "../symbol/symtab.h"
#include "../unwind/image.h"
#include "../unwind/regs.h"
#include "../unwind/stitch.h"
#include "../unwind/usage.h"
#include "../unwind/walk.h"
#include "../util/err.h"
#include "../util/file.h"
#include "../util/log.h"
#include "../util/mem.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>

enum ev_kind { EV_PERF, EV_MAPS, EV_TASK };

struct event {
	uint64_t time;
	uint64_t seq; /* file order breaks ties, so equal times replay as written */
	const void *data;
	uint64_t len;
	uint32_t kind;
};

/* JIT code of one process, from its perf map chunks and jitdump files. */
struct jit_proc {
	uint32_t pid;
	struct jitmap *map;
	uint64_t last_chunk_ns; /* read time of the previous perf map chunk */
};

struct loader {
	struct profile *p;
	struct jit_proc *jits;
	size_t njits, jits_cap;
	struct tp_u64map jit_cache; /* (pid, entry seq) -> frame */
	const struct load_filter *filter;
	struct perf_layout layout;
	int have_layout;
	int events_only;      /* made by tierprof import: runtime logs, no samples */
	int period_is_weight; /* META sample_weight=period: PERIOD counts samples */
	struct addrspace as;
	struct symtab *kallsyms;
	struct tp_u64map user_cache;   /* (dso, offset) -> frame */
	struct tp_u64map kernel_cache; /* kernel address -> frame */
	struct event *evs;
	size_t nevs, evs_cap;
	uint32_t *chain; /* scratch: frames of one sample, leaf first */
	size_t chain_cap;
	uint32_t unknown_frame[UNKNOWN__COUNT];
	char meta_kernel[128];
	int meta_dwarf; /* recorded with --call-graph dwarf */
	enum load_unwind unwind;
	struct stack_usage *usage;    /* NULL unless measuring (stack-usage) */
	struct unwinder *unw;	      /* NULL until a sample needs it */
	struct unwind_image **images; /* by dso id; NULL = not opened yet */
	size_t nimages;
	int vdso_same_kernel;
	int leaf_no_cfi;	 /* this sample's user leaf is native code without CFI */
	uint64_t *uips, *walked; /* scratch: user return addresses, leaf first */
	size_t uips_cap, walked_cap;
	struct refiner *refiner; /* frames that need their sample (ABI 1.3); NULL: no plugins */
	struct rstacks rstacks;	 /* runtime-sampled stacks (plugins, ABI 1.3) */
};

/* Frames a CFI repair may add above a leaf: the leaf's caller and, when that
 * one hid from the frame chain too, a few more. */
#define REPAIR_MAX_FRAMES 5
/* DWARF walks stop here when the capture has no max depth. */
#define DWARF_MAX_FRAMES 512

int load_unwind__parse(const char *s, enum load_unwind *out)
{
	static const char *const names[] = { "auto", "fp", "repair", "dwarf", "dwarf-strict" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i])) {
			*out = (enum load_unwind)i;
			return 0;
		}
	}
	return -1;
}

const char *load_unwind__name(enum load_unwind u)
{
	switch (u) {
	case LOAD_UNWIND_AUTO:
		return "auto";
	case LOAD_UNWIND_FP:
		return "fp";
	case LOAD_UNWIND_REPAIR:
		return "repair";
	case LOAD_UNWIND_DWARF:
		return "dwarf";
	case LOAD_UNWIND_DWARF_STRICT:
		return "dwarf-strict";
	}
	return "?";
}

static int ev_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->time != y->time)
		return (x->time > y->time) - (x->time < y->time);
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static void parse_meta(struct loader *l, const char *text, size_t len)
{
	struct profile_info *in = &l->p->info;
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *eq;
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char val[4096];

		eq = memchr(p, '=', n);
		if (eq) {
			size_t klen = (size_t)(eq - p), vlen = n - klen - 1;

			if (vlen >= sizeof(val))
				vlen = sizeof(val) - 1;
			memcpy(val, eq + 1, vlen);
			val[vlen] = '\0';
#define KEY(k) (klen == sizeof(k) - 1 && !memcmp(p, k, klen))
			if (KEY("command")) {
				free(in->command);
				in->command = tp_xstrdup(val);
			} else if (KEY("frequency_hz")) {
				in->freq_hz = (uint32_t)strtoul(val, NULL, 10);
			} else if (KEY("max_depth")) {
				in->max_depth = (uint32_t)strtoul(val, NULL, 10);
			} else if (KEY("start_monotonic_ns")) {
				in->start_ns = strtoull(val, NULL, 10);
			} else if (KEY("sample_weight")) {
				l->period_is_weight = !strcmp(val, "period");
			} else if (KEY("source")) {
				l->events_only = !strcmp(val, "import");
			} else if (KEY("exclude_kernel")) {
				in->exclude_kernel = atoi(val);
			} else if (KEY("kernel")) {
				snprintf(l->meta_kernel, sizeof(l->meta_kernel), "%.127s", val);
			} else if (KEY("call_graph")) {
				l->meta_dwarf = !strcmp(val, "dwarf");
			}
#undef KEY
		}
		p += n + 1;
	}
}

static void push_event(struct loader *l, uint32_t kind, uint64_t time, const void *data,
		       uint64_t len)
{
	struct event e = { .time = time, .seq = l->nevs, .data = data, .len = len, .kind = kind };

	TP_VEC_PUSH(l->evs, l->nevs, l->evs_cap, e);
}

/* Split a TP_REC_PERF payload into kernel records. */
static int collect_perf(struct loader *l, const struct capture_rec *rec)
{
	const unsigned char *p = (const unsigned char *)rec->data + sizeof(struct tp_rec_perf);
	const unsigned char *end = (const unsigned char *)rec->data + rec->len;
	uint64_t last_time = 0;

	if (rec->len < sizeof(struct tp_rec_perf))
		return TP_ERR_BAD_FORMAT;
	if (!l->have_layout)
		return TP_ERR_BAD_FORMAT;
	while ((size_t)(end - p) >= sizeof(struct perf_event_header)) {
		const struct perf_event_header *h = (const void *)p;
		uint64_t time = last_time;

		/* Padding at the end of the payload is zeros: a zero header ends it. */
		if (h->size == 0 && h->type == 0)
			break;
		if (h->size < sizeof(*h) || h->size % 8 || h->size > (size_t)(end - p))
			return TP_ERR_BAD_FORMAT;
		if (h->type == PERF_RECORD_SAMPLE) {
			struct perf_sample s;

			if (perf_sample__parse(&l->layout, h, &s) == 0)
				time = s.time;
		} else {
			struct perf_id id;

			if (perf_id__parse(&l->layout, h, &id) == 0 && id.valid)
				time = id.time;
		}
		last_time = time;
		push_event(l, EV_PERF, time, h, h->size);
		p += h->size;
	}
	return 0;
}

static struct jit_proc *jit_proc(struct loader *l, uint32_t pid)
{
	for (size_t i = 0; i < l->njits; i++) {
		if (l->jits[i].pid == pid)
			return &l->jits[i];
	}
	TP_VEC_PUSH(l->jits, l->njits, l->jits_cap,
		    ((struct jit_proc){ .pid = pid, .map = jitmap__new() }));
	return &l->jits[l->njits - 1];
}

struct perfmap_ctx {
	struct jitmap *map;
	uint64_t valid_from;
};

static void on_perfmap_entry(void *ctx, uint64_t start, uint64_t size, const char *name,
			     size_t name_len, size_t line_no)
{
	struct perfmap_ctx *c = ctx;

	(void)line_no;
	jitmap__add_len(c->map, start, size, name, name_len, c->valid_from);
}

/* A perf map chunk was read at sf->time_ns; its entries were written after
 * the previous chunk was read, so that is when they become valid. */
static void load_perfmap(struct loader *l, const struct capture_side_file *sf)
{
	struct jit_proc *jp = jit_proc(l, sf->pid);
	struct perfmap_ctx c = { .map = jp->map, .valid_from = jp->last_chunk_ns };
	struct perfmap_stats st;

	perfmap__parse((const char *)sf->data, sf->len, on_perfmap_entry, &c, &st);
	if (st.bad_lines)
		pr_warn("%s in %s: %zu malformed lines skipped (first: line %zu of the chunk)",
			sf->name, l->p->info.path, st.bad_lines, st.first_bad_line);
	pr_debug("%s: %zu entries for pid %u", sf->name, st.entries, sf->pid);
	jp->last_chunk_ns = sf->time_ns;
}

static int on_jit_load(void *ctx, const struct jitdump_code_load *r)
{
	jitmap__add_len(ctx, r->code_addr, r->code_size, r->name, r->name_len, r->timestamp);
	return 0;
}

static int on_jit_move(void *ctx, const struct jitdump_code_move *r)
{
	jitmap__move(ctx, r->old_code_addr, r->new_code_addr, r->code_size, r->timestamp);
	return 0;
}

static void load_jitdump(struct loader *l, const struct capture_side_file *sf)
{
	static const struct jitdump_callbacks cb = { .code_load = on_jit_load,
						     .code_move = on_jit_move };
	struct jitdump_info info;
	int err = jitdump__parse(sf->data, sf->len, &cb, jit_proc(l, sf->pid)->map, &info);

	if (err)
		pr_warn("%s (embedded in %s): %s", sf->name, l->p->info.path,
			info.error[0] ? info.error : tp_strerror(err));
	else if (info.truncated)
		pr_warn("%s (embedded in %s) is truncated at offset %zu; code loaded before it is "
			"used",
			sf->name, l->p->info.path, info.truncated_at);
}

static int sink_add_code(void *ctx, const char *plugin, uint32_t pid, uint64_t start, uint64_t len,
			 const char *name, uint64_t time_ns)
{
	(void)plugin;
	jitmap__add(jit_proc(ctx, pid)->map, start, len, name, time_ns);
	return 0;
}

static uint32_t intern(struct profile *p, const char *s)
{
	return s ? strtab__intern(&p->strings, s, strlen(s)) : strtab__intern(&p->strings, "", 0);
}

static int sink_emit_event(void *ctx, const char *plugin, const struct tp_event *ev)
{
	struct loader *l = ctx;
	struct profile *p = l->p;
	struct runtime_event e = {
		.time = ev->time_ns,
		.code_addr = ev->code_addr,
		.kind = ev->kind,
		.pid = ev->pid,
		.tier = ev->tier,
		.function = intern(p, ev->function_key),
		.reason = intern(p, ev->reason),
		.detail = intern(p, ev->detail),
		.position = intern(p, ev->position),
		.runtime = intern(p, plugin),
	};

	TP_VEC_PUSH(p->events, p->nevents, p->events_cap, e);
	return 0;
}

static int sink_add_stat(void *ctx, const char *plugin, uint32_t pid, const char *name,
			 double value, const char *unit)
{
	struct loader *l = ctx;

	profile__add_stat(l->p, pid, plugin, name, value, unit);
	return 0;
}

static int sink_add_runtime_stack(void *ctx, const char *plugin, const struct tp_runtime_stack *s)
{
	struct loader *l = ctx;

	return rstacks__add(&l->rstacks, l->p, plugin, s);
}

/* Every side file is offered to the plugins (ABI: ingest); those the core
 * does not read itself need one. */
static void ingest_side_file(struct loader *l, const struct capture_side_file *sf, int core_kind)
{
	struct plugin_host *h = l->filter ? l->filter->plugins : NULL;
	struct plugin_sink sink = { .ctx = l,
				    .emit_event = sink_emit_event,
				    .add_code = sink_add_code,
				    .add_stat = sink_add_stat,
				    .add_runtime_stack = sink_add_runtime_stack };
	struct tp_side_file f = { .size = sizeof(f),
				  .pid = sf->pid,
				  .kind = sf->kind,
				  .name = sf->name,
				  .data = sf->data,
				  .len = sf->len,
				  .time_ns = sf->time_ns };

	if (!h) {
		if (core_kind)
			return;
		pr_info("%s: side file %s (%s) needs a plugin; none loaded", l->p->info.path,
			sf->name, sf->kind);
		return;
	}
	plugin_host__ingest(h, &f, &sink);
}

static void load_side_file(struct loader *l, const struct capture_rec *rec)
{
	struct capture_side_file sf;
	size_t bad = 0;

	if (capture_side_file__decode(rec, &sf)) {
		pr_warn("%s: damaged side file at offset %" PRIu64 " skipped", l->p->info.path,
			rec->offset);
		return;
	}
	if (!strcmp(sf.kind, "kallsyms") && !l->kallsyms) {
		if (kallsyms__parse((const char *)sf.data, sf.len, &l->kallsyms, &bad) == 0)
			l->p->info.has_kallsyms = 1;
	} else if (!strcmp(sf.kind, "perfmap")) {
		load_perfmap(l, &sf);
	} else if (!strcmp(sf.kind, "jitdump")) {
		load_jitdump(l, &sf);
	} else {
		ingest_side_file(l, &sf, 0);
		capture_side_file__free(&sf);
		return;
	}
	ingest_side_file(l, &sf, 1);
	capture_side_file__free(&sf);
}

/* Without embedded kernel symbols, the live ones are right only on the
 * recording machine in the same boot; accept them when the kernel matches. */
static void load_live_kallsyms(struct loader *l)
{
	struct utsname u;
	char *text;
	size_t len, bad;

	if (l->kallsyms || l->p->info.exclude_kernel || uname(&u) ||
	    strcmp(u.release, l->meta_kernel))
		return;
	if (tp_read_file("/proc/kallsyms", &text, &len))
		return;
	if (kallsyms__parse(text, len, &l->kallsyms, &bad) == 0)
		pr_info("%s has no kernel symbols; using this machine's", l->p->info.path);
	free(text);
}

static int collect(struct loader *l, struct capture_reader *r, char *errbuf, size_t errlen)
{
	struct profile_info *in = &l->p->info;
	struct capture_rec rec;
	int ret, have_finish = 0;

	while ((ret = capture_reader__next(r, &rec)) == 1) {
		int err = 0;

		switch (rec.type) {
		case TP_REC_META:
			parse_meta(l, rec.data, rec.len);
			break;
		case TP_REC_ATTR:
			if (rec.len < PERF_ATTR_SIZE_VER0 ||
			    perf_layout__init(&l->layout, rec.data, rec.len))
				err = TP_ERR_BAD_FORMAT;
			else
				l->have_layout = 1;
			if (!err) {
				struct perf_event_attr at = { 0 };

				memcpy(&at, rec.data, rec.len < sizeof(at) ? rec.len : sizeof(at));
				if (at.sample_type & PERF_SAMPLE_STACK_USER)
					in->stack_user = at.sample_stack_user;
			}
			break;
		case TP_REC_PERF:
			err = collect_perf(l, &rec);
			break;
		case TP_REC_PROC_MAPS:
			if (rec.len < sizeof(struct tp_rec_proc_maps))
				err = TP_ERR_BAD_FORMAT;
			else
				push_event(l, EV_MAPS,
					   ((const struct tp_rec_proc_maps *)rec.data)->time_ns,
					   rec.data, rec.len);
			break;
		case TP_REC_TASK:
			if (rec.len < sizeof(struct tp_rec_task))
				err = TP_ERR_BAD_FORMAT;
			else
				push_event(l, EV_TASK,
					   ((const struct tp_rec_task *)rec.data)->time_ns,
					   rec.data, rec.len);
			break;
		case TP_REC_SIDE_FILE:
			load_side_file(l, &rec);
			break;
		case TP_REC_FINISH: {
			struct tp_rec_finish f = { 0 };

			memcpy(&f, rec.data, rec.len < sizeof(f) ? rec.len : sizeof(f));
			in->end_ns = f.end_time_ns;
			in->lost = f.lost;
			in->throttled = f.throttle;
			in->exit_status = f.exit_status;
			have_finish = 1;
			break;
		}
		default:
			pr_debug("%s: skipping record type %u at offset %" PRIu64, in->path,
				 rec.type, rec.offset);
			break;
		}
		if (err) {
			snprintf(errbuf, errlen,
				 "%s: malformed %s record at offset %" PRIu64
				 "; reading stops there",
				 in->path,
				 rec.type == TP_REC_PERF && !l->have_layout
					 ? "perf (no ATTR before it)"
					 : "capture",
				 rec.offset);
			in->damage_offset = rec.offset;
			in->damage_err = err;
			break;
		}
	}
	if (ret < 0) {
		in->damage_offset = capture_reader__damage_offset(r);
		in->damage_err = ret;
		snprintf(errbuf, errlen,
			 "%s: %s at offset %" PRIu64 " of %" PRIu64
			 " bytes; reading what came before",
			 in->path,
			 ret == TP_ERR_TRUNCATED ? "capture is truncated" : "capture is corrupt",
			 in->damage_offset, capture_reader__file_size(r));
	}
	in->complete = have_finish && !in->damage_err;
	if (!l->have_layout && !l->events_only) {
		snprintf(errbuf, errlen,
			 "%s: no sampling attributes (ATTR record) in the capture%s", in->path,
			 in->damage_err ? "; it is damaged before them" : "");
		return TP_ERR_BAD_FORMAT;
	}
	return 0;
}

static uint32_t unknown_frame(struct loader *l, enum unknown_cause c, uint32_t dso)
{
	uint32_t f;

	if (dso == PROFILE_NO_DSO && l->unknown_frame[c])
		return l->unknown_frame[c] - 1;
	f = profile__frame(l->p, profile__function(l->p, "[unknown]", dso, c, 0), TP_TIER_UNKNOWN);
	if (dso == PROFILE_NO_DSO)
		l->unknown_frame[c] = f + 1;
	return f;
}

static uint32_t resolve_kernel(struct loader *l, uint64_t ip)
{
	int is_new;
	uint64_t *slot = u64map__slot(&l->kernel_cache, ip, &is_new);
	const struct tp_sym *sym;

	if (!is_new)
		return (uint32_t)*slot;
	sym = l->kallsyms ? symtab__find(l->kallsyms, ip) : NULL;
	if (sym)
		*slot = profile__frame(
			l->p, profile__function(l->p, sym->name, PROFILE_NO_DSO, UNKNOWN_NONE, 1),
			TP_TIER_KERNEL);
	else
		*slot = profile__frame(l->p,
				       profile__function(l->p, "[unknown]", PROFILE_NO_DSO,
							 UNKNOWN_KERNEL_HIDDEN, 1),
				       TP_TIER_KERNEL);
	return (uint32_t)*slot;
}

static uint32_t thread_comm(struct loader *l, uint32_t pid, uint32_t tid);

/* The profile frame of a plugin's classification of a frame at dso. */
static uint32_t classified_frame(struct loader *l, const struct tp_classification *c, int named,
				 uint32_t dso, enum unknown_cause cause)
{
	uint32_t func;

	if (c->tier == TP_TIER_UNKNOWN && !named) {
		if (!c->hint[0])
			return unknown_frame(l, cause, dso);
		func = profile__unknown_function(l->p, dso, cause, c->hint);
	} else {
		func = profile__function_keyed(l->p, c->function_key, c->display_name, c->runtime,
					       dso);
		/* A named frame that hides what ran (an interpreter
		 * trampoline without the function's name). */
		if (c->hint[0] && l->p->funcs[func].hint == UINT32_MAX)
			l->p->funcs[func].hint = intern(l->p, c->hint);
	}
	return profile__frame_ex(l->p, func, c->tier, c->subtier, c->flags);
}

/* refiner callback: a refined frame is always named. */
static uint32_t refined_frame(void *ctx, const struct tp_classification *c, uint32_t dso)
{
	return classified_frame(ctx, c, 1, dso, UNKNOWN_NONE);
}

/* A user-space frame: the runtime plugins may claim it (tier, display name,
 * function identity); otherwise it keeps the core's name and tier. */
static uint32_t user_frame(struct loader *l, uint32_t pid, uint64_t addr, uint64_t time,
			   const char *name, uint32_t dso, uint32_t source, unsigned tier,
			   enum unknown_cause cause)
{
	struct plugin_host *h = l->filter ? l->filter->plugins : NULL;

	if (h) {
		struct tp_classification c = { .size = sizeof(c) };
		struct tp_frame_info fi = {
			.size = sizeof(fi),
			.pid = pid,
			.addr = addr,
			.time_ns = time,
			.name = name,
			.dso = dso == PROFILE_NO_DSO ? NULL
						     : dso_registry__dso(&l->p->dsos, dso)->path,
			.source = source,
			.comm = profile__str(l->p, thread_comm(l, pid, pid)),
			.unknown_cause = name ? NULL : unknown_cause__name(cause),
		};
		const char *plugin;

		if (plugin_host__classify(h, &fi, &c, &plugin) == 1) {
			uint32_t f = classified_frame(l, &c, name != NULL, dso, cause);

			if (c.flags & TP_FRAME_NEEDS_CONTEXT)
				refiner__note(l->refiner, f, plugin, &fi, dso);
			return f;
		}
	}
	if (!name)
		return unknown_frame(l, cause, dso);
	return profile__frame(l->p, profile__function(l->p, name, dso, UNKNOWN_NONE, 0), tier);
}

/* The process's JIT map entry over ip at time, or NULL; *cause says why not. */
static const struct jit_entry *jit_find(const struct loader *l, uint32_t pid, uint64_t ip,
					uint64_t time, enum unknown_cause *cause)
{
	*cause = UNKNOWN_ANON_NO_MAP;
	for (size_t i = 0; i < l->njits; i++) {
		if (l->jits[i].pid == pid) {
			*cause = UNKNOWN_JIT_NO_ENTRY;
			return jitmap__find(l->jits[i].map, ip, time);
		}
	}
	return NULL;
}

/* The frame of a JIT map entry: one per process and entry. */
static uint32_t jit_entry_frame(struct loader *l, const struct mapping *m, uint32_t pid,
				uint64_t ip, uint64_t time, const struct jit_entry *e)
{
	int is_new;
	uint64_t *slot = u64map__slot(&l->jit_cache, ((uint64_t)pid << 32) | e->seq, &is_new);

	if (is_new)
		*slot = user_frame(l, pid, ip, time, e->name, m->dso, TP_SYM_PERFMAP,
				   TP_TIER_UNKNOWN, UNKNOWN_NONE);
	return (uint32_t)*slot;
}

/* JIT code: named by time, since runtimes reuse addresses. */
static uint32_t resolve_jit(struct loader *l, const struct mapping *m, uint32_t pid, uint64_t ip,
			    uint64_t time)
{
	enum unknown_cause cause;
	const struct jit_entry *e = jit_find(l, pid, ip, time, &cause);
	uint64_t *slot;
	int is_new;

	if (e)
		return jit_entry_frame(l, m, pid, ip, time, e);
	/* One unnamed frame per process and cause: entry numbers stay far below. */
	slot = u64map__slot(&l->jit_cache, ((uint64_t)pid << 32) | (0xffffff00u | cause), &is_new);
	if (is_new)
		*slot = user_frame(l, pid, ip, time, NULL, m->dso, TP_SYM_NONE, TP_TIER_UNKNOWN,
				   cause);
	return (uint32_t)*slot;
}

/* Marks a user_cache frame of a file without an ELF symbol there: the
 * process's JIT map names such code first. Runtimes list ahead-of-time code
 * they run from a mapped non-ELF image in their perf maps and jitdumps
 * (.NET ReadyToRun methods from a .dll, "[PreJIT]"). */
#define USER_NO_SYMBOL (1ull << 63)

/* The user_cache value of a file address: its ELF symbol's frame, else its
 * unknown frame marked USER_NO_SYMBOL (files only, not the vdso). */
static uint64_t resolve_file(struct loader *l, const struct aspace *a, const struct mapping *m,
			     uint64_t ip, uint64_t off)
{
	struct dso *d = dso_registry__dso(&l->p->dsos, m->dso);
	const struct tp_sym *sym = NULL;
	enum unknown_cause cause = UNKNOWN_NONE;
	uint64_t vaddr;

	switch (d->kind) {
	case DSO_ANON: /* handled by resolve_jit */
	case DSO_SPECIAL:
		cause = UNKNOWN_NO_MAPPING;
		break;
	case DSO_FILE:
	case DSO_VDSO:
		switch (dso__load(&l->p->dsos, d)) {
		case DSO_LOAD_OK:
			if (elf_file__offset_to_vaddr(d->elf, off, &vaddr) == 0)
				sym = elf_file__find(d->elf, vaddr);
			cause = sym ? UNKNOWN_NONE : UNKNOWN_NOT_IN_SYMTAB;
			break;
		case DSO_LOAD_NO_SYMBOLS:
			cause = UNKNOWN_NO_SYMBOLS;
			break;
		default:
			cause = UNKNOWN_DSO_MISSING;
			break;
		}
		break;
	}
	if (sym) {
		char *pretty = tp_demangle(sym->name);
		uint32_t f = user_frame(l, a->pid, ip, 0, pretty ? pretty : sym->name, m->dso,
					TP_SYM_ELF, TP_TIER_NATIVE, UNKNOWN_NONE);

		free(pretty);
		return f;
	}
	return user_frame(l, a->pid, ip, 0, NULL, m->dso, TP_SYM_NONE, TP_TIER_UNKNOWN, cause) |
	       (d->kind == DSO_FILE ? USER_NO_SYMBOL : 0);
}

static uint32_t resolve_user(struct loader *l, const struct aspace *a, uint64_t ip, uint64_t time)
{
	const struct mapping *m = a ? aspace__find(a, ip) : NULL;
	const struct jit_entry *e;
	enum unknown_cause jit_cause;
	uint64_t off, key, *slot;
	int is_new;

	if (!m)
		return unknown_frame(l, UNKNOWN_NO_MAPPING, PROFILE_NO_DSO);
	if (dso_registry__dso(&l->p->dsos, m->dso)->kind == DSO_ANON)
		return resolve_jit(l, m, a->pid, ip, time);
	off = ip - m->start + m->pgoff;
	key = ((uint64_t)m->dso << 40) ^ off;
	slot = u64map__slot(&l->user_cache, key, &is_new);
	if (is_new)
		*slot = resolve_file(l, a, m, ip, off);
	/* Per process and time, so not cached by (dso, offset). */
	if ((*slot & USER_NO_SYMBOL) && (e = jit_find(l, a->pid, ip, time, &jit_cause)))
		return jit_entry_frame(l, m, a->pid, ip, time, e);
	return (uint32_t)*slot;
}

static int is_kernel_addr(uint64_t ip)
{
	return ip >= 0xffff800000000000ull;
}

static int filter_match(struct loader *l, const struct perf_sample *s, uint32_t comm,
			uint32_t proc_comm)
{
	const struct load_filter *f = l->filter;
	int ok;

	if (!f)
		return 1;
	if (f->npids) {
		ok = 0;
		for (size_t i = 0; i < f->npids && !ok; i++)
			ok = f->pids[i] == s->pid;
		if (!ok)
			return 0;
	}
	if (f->ntids) {
		ok = 0;
		for (size_t i = 0; i < f->ntids && !ok; i++)
			ok = f->tids[i] == s->tid;
		if (!ok)
			return 0;
	}
	if (f->ncomms) {
		const char *c = comm != UINT32_MAX ? profile__str(l->p, comm) : "";
		const char *pc = proc_comm != UINT32_MAX ? profile__str(l->p, proc_comm) : "";

		ok = 0;
		for (size_t i = 0; i < f->ncomms && !ok; i++)
			ok = !strcmp(f->comms[i], c) || !strcmp(f->comms[i], pc);
		if (!ok)
			return 0;
	}
	return 1;
}

static uint32_t thread_comm(struct loader *l, uint32_t pid, uint32_t tid)
{
	struct thread *t = profile__thread(l->p, pid, tid);

	if (t->comm == UINT32_MAX && tid != pid) {
		uint32_t c = profile__thread(l->p, pid, pid)->comm;

		t = profile__thread(l->p, pid, tid);
		t->comm = c;
	}
	if (t->comm == UINT32_MAX) {
		char buf[32];

		snprintf(buf, sizeof(buf), "[%u]", tid);
		t->comm = strtab__intern(&l->p->strings, buf, strlen(buf));
	}
	return t->comm;
}

/* A user leaf a plugin marked TP_FRAME_FRAMELESS hides its caller from the
 * frame-pointer chain. The caller's return address is near the top of the
 * sampled stack: the first slot that points into JIT code of a JIT tier is
 * taken, unless the chain already holds that frame next. chain[leaf] is the
 * leaf; returns the chain's new length. */
#define FRAMELESS_SCAN_SLOTS 64
/* Native code without CFI called from JIT code (V8's embedded builtins and
 * the stubs they tail-call): only a return address at the very top of the
 * stack is believed, as one in a deeper slot could be any spilled value. */
#define NO_CFI_SCAN_SLOTS 1

static size_t repair_frameless(struct loader *l, const struct aspace *a,
			       const struct perf_sample *s, size_t leaf, size_t n)
{
	const struct frame *f = &l->p->frames[l->chain[leaf]];
	size_t slots = s->stack ? s->stack_size / 8 : 0;
	size_t max = (f->flags & TP_FRAME_FRAMELESS) ? FRAMELESS_SCAN_SLOTS
		     : l->leaf_no_cfi		     ? NO_CFI_SCAN_SLOTS
						     : 0;

	if (!max || !a)
		return n;
	if (slots > max)
		slots = max;
	for (size_t i = 0; i < slots; i++) {
		const struct mapping *m;
		uint64_t v;
		uint32_t fr;
		unsigned tier;

		memcpy(&v, s->stack + i * 8, sizeof(v));
		m = aspace__find(a, v);
		if (!m || dso_registry__dso(&l->p->dsos, m->dso)->kind != DSO_ANON)
			continue;
		fr = resolve_jit(l, m, a->pid, v - 1, s->time);
		tier = l->p->frames[fr].tier;
		if (tier != TP_TIER_INTERPRETER && tier != TP_TIER_BASELINE &&
		    tier != TP_TIER_OPTIMIZED)
			continue;
		if (leaf + 1 < n && l->chain[leaf + 1] == fr)
			return n; /* not hidden after all */
		memmove(&l->chain[leaf + 2], &l->chain[leaf + 1],
			(n - leaf - 1) * sizeof(*l->chain));
		l->chain[leaf + 1] = fr;
		l->p->info.frameless_repaired++;
		return n + 1;
	}
	return n;
}

/* Frames a plugin marked TP_FRAME_FOLD_INTO_CALLER (bytecode handlers) leave
 * the stack when their caller is interpreter code of the same runtime: the
 * time is the interpreted function's. chain is leaf first; returns its new
 * length. */
static size_t fold_into_callers(const struct profile *p, uint32_t *chain, size_t n)
{
	size_t out = 0;

	for (size_t i = 0; i < n; i++) {
		const struct frame *f = &p->frames[chain[i]];

		if ((f->flags & TP_FRAME_FOLD_INTO_CALLER) && i + 1 < n) {
			const struct frame *caller = &p->frames[chain[i + 1]];

			if (caller->tier == TP_TIER_INTERPRETER &&
			    p->funcs[caller->func].runtime == p->funcs[f->func].runtime)
				continue;
		}
		chain[out++] = chain[i];
	}
	return out;
}

/* The unwinder's view of a process: which code is at addr, and for a file,
 * its CFI table (opened once per DSO) and load bias. */
static struct unwind_image *dso_image(struct loader *l, uint32_t id)
{
	struct dso *d = dso_registry__dso(&l->p->dsos, id);

	if (id >= l->nimages) {
		size_t n = l->nimages;

		tp_xgrow((void **)&l->images, &l->nimages, (size_t)id + 1, sizeof(*l->images));
		memset(l->images + n, 0, (l->nimages - n) * sizeof(*l->images));
	}
	if (l->images[id])
		return l->images[id];
	if (d->kind == DSO_VDSO) {
		l->images[id] = l->vdso_same_kernel ? unwind_image__open_vdso()
						    : tp_xcalloc(1, sizeof(struct unwind_image));
		if (!l->vdso_same_kernel)
			l->images[id]->status = TP_ERR_NOT_FOUND;
		return l->images[id];
	}
	/* The symbol load checks the file against the recorded build id: a
	 * changed file's CFI would unwind into nonsense. */
	switch (dso__load(&l->p->dsos, d)) {
	case DSO_LOAD_OK:
	case DSO_LOAD_NO_SYMBOLS:
		l->images[id] = unwind_image__open(d->path);
		break;
	default:
		l->images[id] = tp_xcalloc(1, sizeof(struct unwind_image));
		l->images[id]->status = TP_ERR_NOT_FOUND;
		break;
	}
	if (l->images[id]->status && l->images[id]->status != TP_ERR_NOT_FOUND)
		pr_debug("%s: no CFI for unwinding: %s", d->path,
			 tp_strerror(l->images[id]->status));
	return l->images[id];
}

static void unwind_lookup(void *ctx, uint32_t pid, uint64_t addr, struct unwind_code *out)
{
	struct loader *l = ctx;
	const struct aspace *a = addrspace__get(&l->as, pid);
	const struct mapping *m = aspace__find(a, addr);
	struct unwind_image *img;
	struct dso *d;
	uint64_t vaddr;

	memset(out, 0, sizeof(*out));
	if (!m)
		return;
	d = dso_registry__dso(&l->p->dsos, m->dso);
	if (d->kind == DSO_ANON) {
		out->kind = UNWIND_CODE_JIT;
		return;
	}
	out->kind = UNWIND_CODE_NO_CFI;
	if (d->kind == DSO_SPECIAL)
		return;
	img = dso_image(l, m->dso);
	if (img->status ||
	    cfi_table__offset_to_vaddr(&img->cfi, addr - m->start + m->pgoff, &vaddr))
		return;
	out->kind = UNWIND_CODE_CFI;
	out->cfi = &img->cfi;
	out->bias = addr - vaddr;
}

static enum unknown_cause stop_cause(enum unwind_stop st)
{
	switch (st) {
	case UNWIND_STOP_MAX:
		return UNKNOWN_TRUNCATED;
	case UNWIND_STOP_JIT_NO_CFI:
		return UNKNOWN_JIT_NO_CFI;
	case UNWIND_STOP_SLICE:
		return UNKNOWN_STACK_SLICE;
	case UNWIND_STOP_NO_CFI:
		return UNKNOWN_NATIVE_NO_CFI;
	case UNWIND_STOP_BAD:
		return UNKNOWN_NO_MAPPING;
	case UNWIND_STOP_END:
		break;
	}
	return UNKNOWN_NONE;
}

static int unwinder_ready(struct loader *l, const struct perf_sample *s)
{
	if (!s->regs || !s->stack_size)
		return 0;
	if (!l->unw) {
		l->unw = unwinder__new(unwind_lookup, l);
		if (!l->unw) {
			pr_warn("cannot set up the unwinder: %s; keeping frame-pointer stacks",
				strerror(errno));
			l->unwind = LOAD_UNWIND_FP;
			return 0;
		}
	}
	return 1;
}

/* Rebuild the user part of a sample's stack (l->uips, n entries, leaf first)
 * from its registers and stack slice, as the unwind mode says. Returns the
 * new length; *cause is set when a DWARF walk ended on something it could not
 * cross. */
static size_t unwind_user(struct loader *l, const struct aspace *a, const struct perf_sample *s,
			  size_t n, enum unknown_cause *cause)
{
	struct unwind_input in = { .pid = s->pid,
				   .regs_mask = l->layout.regs_user_mask,
				   .regs = s->regs,
				   .nregs = s->nregs,
				   .stack = s->stack,
				   .stack_size = s->stack_size };
	size_t nw, max;
	enum unwind_stop st;

	*cause = UNKNOWN_NONE;
	l->leaf_no_cfi = 0;
	if (l->unwind == LOAD_UNWIND_FP || !unwinder_ready(l, s))
		return n;
	if (l->unwind == LOAD_UNWIND_REPAIR) {
		uint32_t leaf;

		if (!n)
			return n;
		/* Code a plugin declared frameless has its own repair. */
		leaf = resolve_user(l, a, l->uips[0], s->time);
		if (l->p->frames[leaf].flags & TP_FRAME_FRAMELESS)
			return n;
		if (l->usage)
			stack_usage__repair(l->usage, l->unw, &in, l->uips, n, REPAIR_MAX_FRAMES);
		tp_xgrow((void **)&l->walked, &l->walked_cap, REPAIR_MAX_FRAMES,
			 sizeof(*l->walked));
		st = unwinder__walk(l->unw, &in, 0, l->walked, REPAIR_MAX_FRAMES, &nw);
		l->leaf_no_cfi = nw == 1 && st == UNWIND_STOP_NO_CFI;
		tp_xgrow((void **)&l->uips, &l->uips_cap, n + REPAIR_MAX_FRAMES, sizeof(*l->uips));
		{
			size_t before = n;

			n = stitch__repair(l->uips, n, n + REPAIR_MAX_FRAMES, l->walked, nw);
			if (n != before)
				l->p->info.frameless_repaired++;
		}
		return n;
	}
	max = l->p->info.max_depth ? l->p->info.max_depth : DWARF_MAX_FRAMES;
	if (l->usage)
		stack_usage__dwarf(l->usage, l->unw, &in,
				   l->unwind == LOAD_UNWIND_DWARF ? UNWIND_FP_THROUGH_JIT : 0,
				   l->uips, n, max);
	tp_xgrow((void **)&l->walked, &l->walked_cap, max + n, sizeof(*l->walked));
	st = unwinder__walk(l->unw, &in, l->unwind == LOAD_UNWIND_DWARF ? UNWIND_FP_THROUGH_JIT : 0,
			    l->walked, max, &nw);
	if (!nw)
		return n; /* no registers to start from: keep the kernel's chain */
	l->leaf_no_cfi = nw == 1 && st == UNWIND_STOP_NO_CFI;
	l->p->info.dwarf_unwound++;
	if (st != UNWIND_STOP_END && st != UNWIND_STOP_MAX && l->unwind == LOAD_UNWIND_DWARF) {
		size_t joined = stitch__continue(l->walked, nw, max, l->uips, n);

		if (joined != nw) {
			nw = joined;
			st = nw == max ? UNWIND_STOP_MAX : UNWIND_STOP_END;
		}
	}
	*cause = stop_cause(st);
	tp_xgrow((void **)&l->uips, &l->uips_cap, nw, sizeof(*l->uips));
	memcpy(l->uips, l->walked, nw * sizeof(*l->uips));
	return nw;
}

/* Frames whose function depends on the sample (an interpreter's blob) are
 * named from the sample's registers and stack: chain[leaf + i] is the frame
 * of l->uips[i]. */
static void refine_user(struct loader *l, const struct perf_sample *s, size_t leaf, size_t nu)
{
	struct refine_sample rs = { .pid = s->pid,
				    .time = s->time,
				    .stack = s->stack,
				    .stack_size = s->stack ? s->stack_size : 0 };

	if (!l->refiner)
		return;
	rs.have_regs = s->regs &&
		       !sample_regs__get(l->layout.regs_user_mask, s->regs, s->nregs,
					 PERF_REG_X86_BP, &rs.bp) &&
		       !sample_regs__get(l->layout.regs_user_mask, s->regs, s->nregs,
					 PERF_REG_X86_SP, &rs.sp);
	rs.comm = profile__str(l->p, thread_comm(l, s->pid, s->pid));
	refiner__sample(l->refiner, &rs, l->uips, l->chain + leaf, nu);
}

static void on_sample(struct loader *l, const struct perf_event_header *h)
{
	struct profile *p = l->p;
	struct perf_sample s;
	struct aspace *a;
	uint32_t comm, pcomm, node = PROFILE_ROOT;
	size_t n = 0, nu = 0;
	int ctx_kernel, truncated;
	size_t user_leaf = SIZE_MAX;
	uint64_t weight = 1;
	enum unknown_cause user_cause = UNKNOWN_NONE;

	if (perf_sample__parse(&l->layout, h, &s))
		return;
	if (l->period_is_weight) {
		weight = s.period ? s.period : 1;
		s.period = 0;
	}
	p->info.samples_total += weight;
	comm = thread_comm(l, s.pid, s.tid);
	pcomm = thread_comm(l, s.pid, s.pid);
	if (!filter_match(l, &s, comm, pcomm))
		return;
	a = addrspace__get(&l->as, s.pid);
	tp_xgrow((void **)&l->uips, &l->uips_cap, s.nr + 1, sizeof(*l->uips));
	/* Kernel frames are named now; user frames are gathered as addresses
	 * first, since unwinding may rebuild them. */
	ctx_kernel = is_kernel_addr(s.ip);
	tp_xgrow((void **)&l->chain, &l->chain_cap, s.nr + 3, sizeof(*l->chain));
	if (s.nr == 0) {
		if (ctx_kernel)
			l->chain[n++] = resolve_kernel(l, s.ip);
		else
			l->uips[nu++] = s.ip;
	}
	for (uint64_t i = 0; i < s.nr; i++) {
		uint64_t ip;

		memcpy(&ip, &s.callchain[i], sizeof(ip));
		if (ip >= (uint64_t)PERF_CONTEXT_MAX) {
			ctx_kernel = ip == (uint64_t)PERF_CONTEXT_KERNEL;
			if (ip != (uint64_t)PERF_CONTEXT_KERNEL &&
			    ip != (uint64_t)PERF_CONTEXT_USER)
				ctx_kernel = -1; /* hypervisor or guest: not ours to name */
			continue;
		}
		if (ctx_kernel < 0)
			continue;
		if (!ctx_kernel) {
			l->uips[nu++] = ip;
			continue;
		}
		/* Return addresses point after the call; look up the call itself so a
		 * call at the end of a function is not charged to the next one. */
		l->chain[n] = resolve_kernel(l, n ? ip - 1 : ip);
		n++;
	}
	truncated = p->info.max_depth && s.nr >= p->info.max_depth;
	if (nu) {
		nu = unwind_user(l, a, &s, nu, &user_cause);
		if (l->unwind == LOAD_UNWIND_DWARF || l->unwind == LOAD_UNWIND_DWARF_STRICT)
			truncated = 0; /* the walk's own end decides */
	}
	tp_xgrow((void **)&l->chain, &l->chain_cap, n + nu + 3, sizeof(*l->chain));
	for (size_t i = 0; i < nu; i++) {
		if (user_leaf == SIZE_MAX)
			user_leaf = n;
		l->chain[n++] = resolve_user(l, a, i ? l->uips[i] - 1 : l->uips[i], s.time);
	}
	if (nu)
		refine_user(l, &s, user_leaf, nu);
	if (user_cause != UNKNOWN_NONE)
		l->chain[n++] = unknown_frame(l, user_cause, PROFILE_NO_DSO);
	if (user_leaf != SIZE_MAX && l->unwind != LOAD_UNWIND_FP)
		n = repair_frameless(l, a, &s, user_leaf, n);
	n = fold_into_callers(p, l->chain, n);
	if (truncated)
		l->chain[n++] = unknown_frame(l, UNKNOWN_TRUNCATED, PROFILE_NO_DSO);
	while (n > 0)
		node = profile__child(p, node, l->chain[--n]);
	profile__thread(p, s.pid, s.tid)->samples += weight;
	TP_VEC_PUSH(p->samples, p->nsamples, p->samples_cap,
		    ((struct sample){ .time = s.time,
				      .period = s.period,
				      .pid = s.pid,
				      .tid = s.tid,
				      .node = node,
				      .comm = comm,
				      .weight = weight }));
}

static void add_map(struct loader *l, uint32_t pid, uint64_t start, uint64_t len, uint64_t pgoff,
		    uint32_t prot, const char *path, const unsigned char *bid, size_t bid_len)
{
	struct mapping m = { .start = start, .end = start + len, .pgoff = pgoff, .prot = prot };

	if (!(prot & PROT_EXEC) || m.end < m.start)
		return;
	m.dso = dso_registry__get(&l->p->dsos, path, bid, bid_len);
	aspace__map(addrspace__get(&l->as, pid), &m);
}

/* Bounded copy of a NUL-terminated string stored in a record body. */
static void record_string(const char *s, size_t max, char *out, size_t outlen)
{
	size_t n = strnlen(s, max);

	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

static void on_perf(struct loader *l, const struct perf_event_header *h)
{
	size_t body = perf_rec__body_size(&l->layout, h);
	const unsigned char *b = (const unsigned char *)(h + 1);
	char path[4096];

	switch (h->type) {
	case PERF_RECORD_SAMPLE:
		on_sample(l, h);
		break;
	case PERF_RECORD_MMAP2: {
		struct {
			uint32_t pid, tid;
			uint64_t addr, len, pgoff;
			union {
				struct {
					uint32_t maj, min;
					uint64_t ino, ino_generation;
				};
				struct {
					uint8_t build_id_size, r1;
					uint16_t r2;
					uint8_t build_id[20];
				};
			};
			uint32_t prot, flags;
		} m;

		if (body < sizeof(m))
			break;
		memcpy(&m, b, sizeof(m));
		record_string((const char *)b + sizeof(m), body - sizeof(m), path, sizeof(path));
		if (h->misc & PERF_RECORD_MISC_MMAP_BUILD_ID)
			add_map(l, m.pid, m.addr, m.len, m.pgoff, m.prot, path, m.build_id,
				m.build_id_size <= 20 ? m.build_id_size : 20);
		else
			add_map(l, m.pid, m.addr, m.len, m.pgoff, m.prot, path, NULL, 0);
		break;
	}
	case PERF_RECORD_MMAP: {
		struct {
			uint32_t pid, tid;
			uint64_t addr, len, pgoff;
		} m;

		if (body < sizeof(m) || (h->misc & PERF_RECORD_MISC_MMAP_DATA))
			break;
		memcpy(&m, b, sizeof(m));
		record_string((const char *)b + sizeof(m), body - sizeof(m), path, sizeof(path));
		add_map(l, m.pid, m.addr, m.len, m.pgoff, PROT_EXEC | PROT_READ, path, NULL, 0);
		break;
	}
	case PERF_RECORD_COMM: {
		uint32_t ids[2];
		char comm[64];
		struct thread *t;

		if (body < sizeof(ids) + 1)
			break;
		memcpy(ids, b, sizeof(ids));
		record_string((const char *)b + sizeof(ids), body - sizeof(ids), comm,
			      sizeof(comm));
		t = profile__thread(l->p, ids[0], ids[1]);
		t->comm = strtab__intern(&l->p->strings, comm, strlen(comm));
		if ((h->misc & PERF_RECORD_MISC_COMM_EXEC) && ids[0] == ids[1])
			aspace__clear(addrspace__get(&l->as, ids[0]));
		break;
	}
	case PERF_RECORD_FORK: {
		uint32_t f[4]; /* pid, ppid, tid, ptid */
		uint32_t comm;

		if (body < sizeof(f))
			break;
		memcpy(f, b, sizeof(f));
		if (f[0] != f[1])
			addrspace__fork(&l->as, f[0], f[1]);
		comm = profile__thread(l->p, f[1], f[3])->comm;
		profile__thread(l->p, f[0], f[2])->comm = comm;
		break;
	}
	default:
		break;
	}
}

static void on_maps(struct loader *l, const struct event *e)
{
	const struct tp_rec_proc_maps *pm = e->data;
	struct proc_maps maps;

	if (proc_maps__parse((const char *)(pm + 1), e->len - sizeof(*pm), &maps))
		return;
	for (size_t i = 0; i < maps.n; i++) {
		const struct proc_map *m = &maps.maps[i];
		uint32_t prot = ((m->prot & PROC_MAP_READ) ? PROT_READ : 0) |
				((m->prot & PROC_MAP_WRITE) ? PROT_WRITE : 0) |
				((m->prot & PROC_MAP_EXEC) ? PROT_EXEC : 0);

		add_map(l, pm->pid, m->start, m->end - m->start, m->pgoff, prot, m->path, NULL, 0);
	}
	proc_maps__free(&maps);
}

static void on_task(struct loader *l, const struct event *e)
{
	const struct tp_rec_task *t = e->data;
	char comm[sizeof(t->comm) + 1];
	struct thread *th = profile__thread(l->p, t->pid, t->tid);

	memcpy(comm, t->comm, sizeof(t->comm));
	comm[sizeof(t->comm)] = '\0';
	if (comm[0])
		th->comm = strtab__intern(&l->p->strings, comm, strlen(comm));
}

int profile__load(struct profile *p, const char *path, const struct load_filter *filter,
		  char *errbuf, size_t errlen)
{
	struct loader l = { .p = p, .filter = filter };
	struct capture_reader *r;
	int err;

	errbuf[0] = '\0';
	p->info.path = tp_xstrdup(path);
	err = capture_reader__open(path, &r);
	if (err) {
		snprintf(errbuf, errlen, "%s: %s", path,
			 err == TP_ERR_BAD_MAGIC ? "not a tierprof capture (bad magic)"
			 : err == TP_ERR_BAD_VERSION
				 ? "capture written by a newer tierprof (unsupported version)"
				 : tp_strerror(err));
		return err;
	}
	addrspace__init(&l.as);
	u64map__init(&l.user_cache);
	u64map__init(&l.kernel_cache);
	u64map__init(&l.jit_cache);
	if (filter && filter->plugins)
		l.refiner = refiner__new(filter->plugins, refined_frame, &l);
	err = collect(&l, r, errbuf, errlen);
	for (size_t i = 0; i < l.njits; i++)
		jitmap__finalize(l.jits[i].map);
	if (!err) {
		struct utsname u;

		load_live_kallsyms(&l);
		l.unwind = filter ? filter->unwind : LOAD_UNWIND_AUTO;
		l.usage = filter ? filter->usage : NULL;
		if (l.unwind == LOAD_UNWIND_AUTO)
			l.unwind = l.meta_dwarf ? LOAD_UNWIND_DWARF : LOAD_UNWIND_REPAIR;
		/* Without sampled registers and stack there is nothing to unwind. */
		if (!(l.layout.sample_type & PERF_SAMPLE_REGS_USER) ||
		    !(l.layout.sample_type & PERF_SAMPLE_STACK_USER))
			l.unwind = LOAD_UNWIND_FP;
		p->info.unwind_mode = load_unwind__name(l.unwind);
		l.vdso_same_kernel = !uname(&u) && !strcmp(u.release, l.meta_kernel);
		if (l.nevs) /* an imported log alone has no records to replay */
			qsort(l.evs, l.nevs, sizeof(*l.evs), ev_cmp);
		for (size_t i = 0; i < l.nevs; i++) {
			const struct event *e = &l.evs[i];

			if (e->kind == EV_PERF)
				on_perf(&l, e->data);
			else if (e->kind == EV_MAPS)
				on_maps(&l, e);
			else
				on_task(&l, e);
		}
		if (!p->info.end_ns && l.nevs)
			p->info.end_ns = l.evs[l.nevs - 1].time;
		rstacks__apply(&l.rstacks, p);
	}
	if (l.refiner) {
		const struct refine_stats *rs = refiner__stats(l.refiner);

		p->info.context_frames = rs->frames;
		p->info.context_named = rs->refined;
		p->info.context_leaf_frames = rs->leaf_frames;
		p->info.context_leaf_named = rs->leaf_refined;
		if (rs->frames)
			pr_debug("%s: %" PRIu64 " frames needed their sample's stack: %" PRIu64
				 " named (leaf %" PRIu64 " of %" PRIu64 "), %" PRIu64
				 " without frame pointer, %" PRIu64 " without a key; %" PRIu64
				 " refine calls",
				 path, rs->frames, rs->refined, rs->leaf_refined, rs->leaf_frames,
				 rs->no_fp, rs->no_key, rs->refine_calls);
	}
	refiner__delete(l.refiner);
	rstacks__exit(&l.rstacks);
	unwinder__delete(l.unw);
	for (size_t i = 0; i < l.nimages; i++)
		unwind_image__delete(l.images[i]);
	free(l.images);
	free(l.uips);
	free(l.walked);
	for (size_t i = 0; i < l.njits; i++)
		jitmap__delete(l.jits[i].map);
	free(l.jits);
	u64map__exit(&l.jit_cache);
	symtab__delete(l.kallsyms);
	addrspace__exit(&l.as);
	u64map__exit(&l.user_cache);
	u64map__exit(&l.kernel_cache);
	free(l.evs);
	free(l.chain);
	capture_reader__close(r);
	return err;
}
