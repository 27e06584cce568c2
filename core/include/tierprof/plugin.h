/* tierprof plugin ABI 1.3 -- the only header a runtime plugin includes.
 *
 * A plugin is a shared object exporting one function, TP_PLUGIN_ENTRY, that
 * returns a static descriptor (struct tp_plugin). The host checks the
 * descriptor (size, ABI major, capability bits against callbacks, name) before
 * it calls anything, refuses a bad plugin with a message naming the file, and
 * goes on without it.
 *
 * Versioning: numbers and layouts in this file are ABI. A new field is only
 * ever appended to a struct, and every struct starts with its size, so each
 * side reads a newer field only after checking the size (TP_HAS). Enum values
 * and capability bits are never renumbered or reused. ABI_MAJOR changes only
 * for an incompatible change, and the entry symbol's name carries it.
 *
 * Ownership: strings and buffers the host passes are borrowed for the
 * duration of the call; the host copies every string a plugin hands it.
 * Plugins write results into host-owned buffers. Strings a plugin hands the
 * host are at most TP_PLUGIN_STR_MAX bytes long (longer: -ENAMETOOLONG).
 *
 * Robustness: a callback that fails (returns <0, or a result outside its
 * documented range) 8 times in a row or 100 times in all gets its plugin
 * disabled for the rest of the run. A host service called outside the
 * callback it belongs to returns -EPERM.
 *
 * Threads and signals: every callback is called from one thread, never from a
 * signal handler, and never while samples are being taken. */
#ifndef TIERPROF_PLUGIN_H
#define TIERPROF_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#define TP_PLUGIN_ABI_MAJOR 1
#define TP_PLUGIN_ABI_MINOR 3
#define TP_PLUGIN_ENTRY tp_plugin_entry_v1
#define TP_PLUGIN_ENTRY_NAME "tp_plugin_entry_v1"

/* Longest string (without its NUL) the host accepts from a plugin. */
#define TP_PLUGIN_STR_MAX 4095

/* detect() score from which the host calls prepare_launch() and collect(). */
#define TP_DETECT_THRESHOLD 50

/* True when a struct of the given (reported) size holds field. */
#define TP_HAS(ptr, field) \
	((ptr)->size >= offsetof(__typeof__(*(ptr)), field) + sizeof((ptr)->field))

/* The closed set of execution tiers every frame is labelled with
 * (DESIGN.md section 4). Stored as uint32_t in ABI structs. */
enum tp_tier {
	TP_TIER_UNKNOWN = 0,	 /* could not be named; carries a cause */
	TP_TIER_INTERPRETER = 1, /* bytecode interpreter */
	TP_TIER_BASELINE = 2,	 /* first, cheap JIT tier */
	TP_TIER_OPTIMIZED = 3,	 /* speculative optimizing JIT */
	TP_TIER_RUNTIME = 4,	 /* the VM's own native code */
	TP_TIER_NATIVE = 5,	 /* application and library machine code */
	TP_TIER_KERNEL = 6,	 /* kernel frames */
	TP_TIER__COUNT = 7,
};

/* Capability bits: each announces one callback, which must then be non-NULL.
 * PREPARE_LAUNCH and COLLECT also need DETECT: the host calls them only for
 * processes detect() recognises. Bits this host does not know are ignored. */
#define TP_CAP_DETECT (1ull << 0)	  /* detect() */
#define TP_CAP_PREPARE_LAUNCH (1ull << 1) /* prepare_launch() */
#define TP_CAP_COLLECT (1ull << 2)	  /* collect() */
#define TP_CAP_CLASSIFY (1ull << 3)	  /* classify() */
#define TP_CAP_INGEST (1ull << 4)	  /* ingest() */
#define TP_CAP_REFINE (1ull << 5)	  /* ABI 1.3: refine_key() and refine() */

enum tp_log_level_abi { TP_PLOG_ERROR = 0, TP_PLOG_WARN = 1, TP_PLOG_INFO = 2, TP_PLOG_DEBUG = 3 };

/* A process as the host knows it (detect, collect). */
struct tp_process {
	uint32_t size;
	uint32_t pid;
	const char *comm; /* thread-group leader's name; may be "" */
	const char *exe;  /* path of the main executable mapping; may be NULL */
	const char
		*side_dir; /* record: the launch's side_dir (files the runtime wrote); else NULL */
};

/* A command about to be launched (prepare_launch). Edit it only through the
 * host's launch_* services. */
struct tp_launch {
	uint32_t size;
	int argc;
	const char *const *argv; /* the command as given by the user; argv[argc] == NULL */
	const char *exe;	 /* argv[0] resolved through PATH; may be NULL */
	const char *side_dir;	 /* a private directory for files the runtime writes */
	/* The user asked not to change how the runtime runs: launch_insert_arg
	 * is refused; set environment only to direct files it writes anyway. */
	int no_runtime_flags;
};

/* Where a frame's name came from. */
enum tp_symbol_source {
	TP_SYM_NONE = 0,    /* nothing named it */
	TP_SYM_ELF = 1,	    /* ELF symbol table of a mapped file */
	TP_SYM_PERFMAP = 2, /* /tmp/perf-PID.map */
	TP_SYM_JITDUMP = 3, /* jit-PID.dump */
	TP_SYM_KERNEL = 4,  /* kallsyms */
	TP_SYM_PLUGIN = 5,  /* a plugin's add_code() */
};

/* One distinct frame, as resolved by the core (classify input). */
struct tp_frame_info {
	uint32_t size;
	uint32_t pid;
	uint64_t addr;
	uint64_t time_ns; /* sample time (CLOCK_MONOTONIC) */
	const char *name; /* symbol name; NULL when unnamed */
	const char *dso;  /* mapped file path, "//anon" for JIT memory; NULL if unmapped */
	uint32_t source;  /* enum tp_symbol_source */
	uint32_t reserved;
	/* ABI 1.1 */
	const char *comm;	   /* the process's name ("" when unknown) */
	const char *unknown_cause; /* name is NULL: the core's cause ("jit-no-perfmap", ...) */
};

/* Frame flags a plugin may set. */
#define TP_FRAME_NOT_CODE (1u << 0) /* an entry that names data, not code (V8 JS:~ bytecode) */
#define TP_FRAME_INLINED (1u << 1)  /* inlined frame (folded _[i]) */
#define TP_FRAME_OSR (1u << 2)	    /* on-stack-replacement code */
/* ABI 1.1: code that works on behalf of its caller (a V8 bytecode handler
 * executing the calling interpreted function): when the calling frame is
 * interpreter code of the same runtime, the sample is charged to it and this
 * frame leaves the stack. */
#define TP_FRAME_FOLD_INTO_CALLER (1u << 3)
/* ABI 1.1: code that runs without a frame of its own (V8's baseline
 * helpers, bytecode handlers): the frame-pointer chain skips its caller, which
 * the host then looks for in the stack sampled with the leaf. */
#define TP_FRAME_FRAMELESS (1u << 4)
/* ABI 1.3: which function this code runs depends on the sample, not on the
 * address alone (an interpreter's one code blob running many functions):
 * the host calls the classifying plugin's refine_key() for this frame in
 * every sample, with the sample's registers and stack (struct
 * tp_frame_ctx). Needs TP_CAP_REFINE; the flag is cleared otherwise. */
#define TP_FRAME_NEEDS_CONTEXT (1u << 5)

/* classify output; host-owned, .size set by the host. Fields left empty keep
 * the core's defaults (display name = symbol name, key = display name). */
struct tp_classification {
	uint32_t size;
	uint32_t tier;	/* enum tp_tier; out-of-range values are refused */
	uint32_t flags; /* TP_FRAME_* */
	uint32_t reserved;
	char subtier[32];	/* "Sparkplug", "C1 L3", "OptimizedTier1OSR" */
	char runtime[32];	/* "v8", "hotspot", ... (default: the plugin's name) */
	char display_name[512]; /* what reports show */
	char function_key[512]; /* identity that aggregates a function's tiers */
	/* ABI 1.1: with tier TP_TIER_UNKNOWN, why the runtime left the frame
	 * unnamed and the fix ("start node with --perf-basic-prof ..."). */
	char hint[256];
};

/* Runtime events a plugin reports from a side file (ingest). */
enum tp_event_kind {
	TP_EVENT_COMPILE = 1,	 /* code created in a tier */
	TP_EVENT_DEOPT = 2,	 /* execution left optimized code (eager/lazy/soft) */
	TP_EVENT_INVALIDATE = 3, /* optimized code thrown away (dependency, not entrant) */
	TP_EVENT_ABORT = 4,	 /* a compilation or trace gave up */
};

struct tp_event {
	uint32_t size;
	uint32_t kind; /* enum tp_event_kind */
	uint32_t pid;
	uint32_t tier;	    /* tier of the code concerned */
	uint64_t time_ns;   /* CLOCK_MONOTONIC; 0 when unknown */
	uint64_t code_addr; /* 0 when unknown */
	uint64_t code_size;
	const char *function_key; /* same identity classify() produces */
	const char *reason;	  /* runtime's words: "wrong map", "not entrant" */
	const char *detail;	  /* kind detail: "deopt-eager", "dependency-change" */
	const char *position;	  /* source position: "file.js:12:3", bytecode index */
};

/* ABI 1.3: one frame of a runtime-sampled stack. */
struct tp_runtime_frame {
	uint32_t tier;		  /* enum tp_tier */
	uint32_t flags;		  /* TP_FRAME_* */
	const char *function_key; /* identity, as classify() gives it */
	const char *display_name;
	const char *subtier; /* NULL or "" for none */
};

/* ABI 1.3: a stack taken by the runtime's own sampler, which names what the
 * process ran while the native samples only show an unnamed frame (a stripped
 * interpreter). Its sampler has no timestamps, only an order: position is
 * where the stack fell in the process's CPU time over [start_ns, end_ns]
 * (0..1). The host gives each native sample of the process in that span
 * whose innermost user frame has the function key target_key the stack
 * nearest in position (within TP_RUNTIME_STACK_WINDOW) among the stacks of
 * that target, in place of its user frames; with TP_RUNTIME_STACK_KEEP_LEAF,
 * the sample keeps that innermost user frame and the stack (its callers,
 * innermost first) replaces only the frames above it. Kernel frames above
 * stay. A process's stacks share one span; each target one flag. */
#define TP_RUNTIME_STACK_WINDOW 0.02
#define TP_RUNTIME_STACK_MAX 512 /* frames */
/* flags (ABI 1.3; was reserved, 0): frames are the callers of the target
 * frame, which keeps the sample's classification (JIT code the plugin names,
 * whose callers the native stack lacks). */
#define TP_RUNTIME_STACK_KEEP_LEAF (1u << 0)
struct tp_runtime_stack {
	uint32_t size;
	uint32_t pid;		   /* 0 = the side file's */
	uint64_t start_ns, end_ns; /* CLOCK_MONOTONIC span the sampler ran */
	double position;
	const char *target_key;
	const char *runtime;		       /* runtime of the frames (NULL: the plugin's name) */
	uint32_t nframes;		       /* 1..TP_RUNTIME_STACK_MAX */
	uint32_t flags;			       /* TP_RUNTIME_STACK_* (others: -EINVAL) */
	const struct tp_runtime_frame *frames; /* innermost first */
};

/* A side file the host embedded in the capture (ingest input). */
struct tp_side_file {
	uint32_t size;
	uint32_t pid;
	const char *kind; /* as given to add_side_file */
	const char *name; /* original path */
	const unsigned char *data;
	uint64_t len;
	uint64_t time_ns; /* when collected */
};

/* ABI 1.3: one sampled frame in its sample (refine_key input), host-owned.
 * The sample's user stack is a copy of the bytes at [sp, sp + stack_len)
 * taken when the sample fired; read_stack() reads within it. */
struct tp_frame_ctx {
	uint32_t size;
	uint32_t depth; /* 0 = the user leaf, 1 = its caller, ... */
	uint64_t ip;	/* the frame's address (a caller's: its return address) */
	/* The frame's frame pointer: the leaf's from the sampled registers, a
	 * caller's from the frame-pointer chain found in the sampled stack; 0
	 * when unknown (the chain left the copy, or did not lead to this
	 * frame). */
	uint64_t fp;
	uint64_t sp;	    /* the leaf's stack pointer: the copy's start */
	uint64_t stack_len; /* bytes of stack in the sample (0: none) */
	/* Copy len bytes at stack address addr into buf: 0, or -EFAULT when
	 * [addr, addr + len) is not wholly inside the sampled stack. Valid only
	 * during the refine_key call that received ctx. */
	int (*read_stack)(const struct tp_frame_ctx *ctx, uint64_t addr, void *buf, uint64_t len);
	void *host_ctx; /* the host's; do not touch */
};

/* Services the host lends a plugin. Append-only; check ->size (TP_HAS). */
struct tp_host_api {
	uint32_t size;
	uint32_t abi_minor;
	void (*log)(void *host, int level, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));
	/* prepare_launch only: insert an argument before the user's argv[index]
	 * (1 = right after the program, argc = at the end; inserts at one index
	 * keep their call order), or set an environment variable for the
	 * command. If prepare_launch fails, its edits are dropped. 0 or -errno. */
	int (*launch_insert_arg)(void *host, int index, const char *arg);
	int (*launch_set_env)(void *host, const char *name, const char *value);
	/* collect only: embed a file in the capture under a kind the plugin
	 * will recognise in ingest. */
	int (*add_side_file)(void *host, uint32_t pid, const char *path, const char *kind);
	/* ingest only: report a runtime event (function_key required; pid 0 =
	 * the side file's pid); name a code range (valid from time_ns; later
	 * overlapping ranges take over). */
	int (*emit_event)(void *host, const struct tp_event *ev);
	int (*add_code)(void *host, uint32_t pid, uint64_t start, uint64_t len, const char *name,
			uint64_t time_ns);
	/* ABI 1.2 (NULL in older hosts): ingest only: a figure the runtime
	 * reported for a process (pid 0 = the side file's), shown in the
	 * report's per-process runtime section: name 1-63 printable characters,
	 * value finite, unit NULL or at most 15 characters ("s", "loops"). A
	 * later value of the same name for the same process replaces the
	 * earlier one. 0 or -errno. */
	int (*add_stat)(void *host, uint32_t pid, const char *name, double value, const char *unit);
	/* ABI 1.3 (NULL in older hosts): ingest only: a stack the runtime's own
	 * sampler took (PyPy's vmprof), naming what a native frame the core
	 * cannot name was running (struct tp_runtime_stack). 0 or -errno. */
	int (*add_runtime_stack)(void *host, const struct tp_runtime_stack *s);
	void *reserved[30]; /* NULL today; new services take a slot */
};

struct tp_plugin {
	uint32_t size;	    /* sizeof(struct tp_plugin) as the plugin was built */
	uint16_t abi_major; /* TP_PLUGIN_ABI_MAJOR */
	uint16_t abi_minor; /* TP_PLUGIN_ABI_MINOR */
	const char *name;   /* unique, short: "v8"; static storage */
	const char *version;
	const char *description;
	uint64_t caps; /* TP_CAP_* */
	/* Required. Set *state; on failure return <0 and write a reason in err. */
	int (*init)(const struct tp_host_api *api, void *host, void **state, char *err,
		    size_t errlen);
	void (*fini)(void *state); /* optional */
	/* 0..100: how sure the plugin is that it knows this process's runtime
	 * (see TP_DETECT_THRESHOLD); <0 = error. Called on a launch (pid 0, from
	 * argv) and on recorded processes. */
	int (*detect)(void *state, const struct tp_process *proc);
	/* Edit the command (launch_* services) so the runtime emits what the
	 * plugin needs, without touching the program's stdout or stderr. 0 or <0. */
	int (*prepare_launch)(void *state, const struct tp_launch *launch);
	/* After the run: embed side files (add_side_file). 0 or <0. */
	int (*collect)(void *state, const struct tp_process *proc);
	/* 1 = classified into *out, 0 = not this plugin's frame, <0 = error. */
	int (*classify)(void *state, const struct tp_frame_info *frame,
			struct tp_classification *out);
	/* Parse one side file, reporting events and code ranges (emit_event,
	 * add_code). Every side file is offered: return 0 at once for a kind
	 * that is not this plugin's. 0 or <0. */
	int (*ingest)(void *state, const struct tp_side_file *file);
	/* ABI 1.1+: append below this line only */
	/* ABI 1.3 (TP_CAP_REFINE): the sample-dependent part of a frame that
	 * classify() marked TP_FRAME_NEEDS_CONTEXT, in two steps so the host can
	 * cache. refine_key() runs for that frame in every sample: it reads what
	 * it needs (ctx->read_stack) and reduces it to a key (the function's
	 * runtime handle): 1 = *key set, 0 = nothing usable in this sample (the
	 * frame keeps its classification), <0 = error. frame is the frame as
	 * classify() saw it, with this sample's pid, addr (= ctx->ip) and time.
	 * refine() turns a key into the frame's classification; the host calls
	 * it once per process, classified frame and key, and reuses the result:
	 * 1 = classified into *out, 0 = keep the frame as it is, <0 = error.
	 * The result must depend on (frame, key) only. */
	int (*refine_key)(void *state, const struct tp_frame_info *frame,
			  const struct tp_frame_ctx *ctx, uint64_t *key);
	int (*refine)(void *state, const struct tp_frame_info *frame, uint64_t key,
		      struct tp_classification *out);
};

typedef const struct tp_plugin *(*tp_plugin_entry_fn)(void);

/* Define the entry point of a plugin: TP_PLUGIN_DEFINE(my_descriptor); */
#define TP_PLUGIN_DEFINE(desc)                                                                \
	__attribute__((visibility("default"))) const struct tp_plugin *TP_PLUGIN_ENTRY(void); \
	__attribute__((visibility("default"))) const struct tp_plugin *TP_PLUGIN_ENTRY(void)  \
	{                                                                                     \
		return &(desc);                                                               \
	}

#endif
