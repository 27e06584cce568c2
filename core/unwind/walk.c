#include "walk.h"
#include "cfi_table.h"
#include "regs.h"

#include <errno.h>
#include <libunwind.h>
#include <stdlib.h>
#include <string.h>

/* Searches a remote .eh_frame_hdr table; exported by libunwind but not
 * declared in its public headers. */
extern int UNW_OBJ(dwarf_search_unwind_table)(unw_addr_space_t as, unw_word_t ip,
					      unw_dyn_info_t *di, unw_proc_info_t *pi,
					      int need_unwind_info, void *arg);

/* Addresses this far above the slice are still "the stack": a read there
 * means the slice was too small, not that the CFI is wrong. */
#define STACK_REACH (8ull << 20)

/* Files whose CFI was used recently, with their run-time extent: libunwind
 * reads .eh_frame (outside the executable mapping the lookup knows) long
 * after find_proc_info named the file, since it caches by address. */
#define RECENT_IMAGES 16

struct recent_image {
	struct unwind_code code;
	uint64_t lo, hi;
};

struct unwinder {
	unw_addr_space_t as;
	unwind_lookup_fn lookup;
	void *lookup_ctx;
	uint32_t last_pid;
	int have_pid;
	struct recent_image recent[RECENT_IMAGES]; /* most recent first */
	size_t nrecent;
};

/* One walk's view of the target, passed to the accessors as their arg. */
struct walk_ctx {
	struct unwinder *u;
	int no_fde; /* find_proc_info found the file but no FDE for the address */
	const struct unwind_input *in;
	uint64_t regs[UNW_X86_64_RIP + 1]; /* libunwind numbering */
	uint32_t valid;			   /* bit per entry of regs */
	uint64_t sp0;			   /* run-time address of stack[0] */
	int beyond_slice;
	uint64_t need; /* bytes of stack the walk has wanted so far */
};

/* Note that the walk wanted the stack's bytes up to addr + len. */
static void want_stack(struct walk_ctx *w, uint64_t addr, uint64_t len)
{
	if (addr >= w->sp0 && addr - w->sp0 < STACK_REACH && addr - w->sp0 + len > w->need)
		w->need = addr - w->sp0 + len;
}

/* perf register number -> libunwind x86_64 register number. */
static const struct {
	uint8_t perf, unw;
} reg_map[] = {
	{ PERF_REG_X86_AX, UNW_X86_64_RAX },  { PERF_REG_X86_DX, UNW_X86_64_RDX },
	{ PERF_REG_X86_CX, UNW_X86_64_RCX },  { PERF_REG_X86_BX, UNW_X86_64_RBX },
	{ PERF_REG_X86_SI, UNW_X86_64_RSI },  { PERF_REG_X86_DI, UNW_X86_64_RDI },
	{ PERF_REG_X86_BP, UNW_X86_64_RBP },  { PERF_REG_X86_SP, UNW_X86_64_RSP },
	{ PERF_REG_X86_R8, UNW_X86_64_R8 },   { PERF_REG_X86_R9, UNW_X86_64_R9 },
	{ PERF_REG_X86_R10, UNW_X86_64_R10 }, { PERF_REG_X86_R11, UNW_X86_64_R11 },
	{ PERF_REG_X86_R12, UNW_X86_64_R12 }, { PERF_REG_X86_R13, UNW_X86_64_R13 },
	{ PERF_REG_X86_R14, UNW_X86_64_R14 }, { PERF_REG_X86_R15, UNW_X86_64_R15 },
	{ PERF_REG_X86_IP, UNW_X86_64_RIP },
};

/* Remember c as the most recent file (c.kind == UNWIND_CODE_CFI). */
static void remember_image(struct unwinder *u, const struct unwind_code *c)
{
	struct recent_image r = { .code = *c, .lo = UINT64_MAX, .hi = 0 };
	const struct cfi_table *t = c->cfi;
	size_t i;

	for (i = 0; i < u->nrecent && u->recent[i].code.cfi != c->cfi; i++)
		;
	if (i == u->nrecent && i < RECENT_IMAGES)
		u->nrecent++;
	if (i == RECENT_IMAGES)
		i--;
	for (size_t k = 0; k < t->nsegs; k++) {
		if (t->segs[k].vaddr + c->bias < r.lo)
			r.lo = t->segs[k].vaddr + c->bias;
		if (t->segs[k].vaddr + t->segs[k].memsz + c->bias > r.hi)
			r.hi = t->segs[k].vaddr + t->segs[k].memsz + c->bias;
	}
	memmove(&u->recent[1], &u->recent[0], i * sizeof(u->recent[0]));
	u->recent[0] = r;
}

static int find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi,
			  int need_unwind_info, void *arg)
{
	struct walk_ctx *w = arg;
	struct unwind_code c;
	unw_dyn_info_t di;
	int ret;

	w->u->lookup(w->u->lookup_ctx, w->in->pid, ip, &c);
	if (c.kind != UNWIND_CODE_CFI || !c.cfi)
		return -UNW_ENOINFO;
	/* Later reads of .eh_frame (outside the executable mapping) come from
	 * this file. */
	remember_image(w->u, &c);
	memset(&di, 0, sizeof(di));
	di.format = UNW_INFO_FORMAT_REMOTE_TABLE;
	di.start_ip = c.cfi->text_lo + c.bias;
	di.end_ip = c.cfi->text_hi + c.bias;
	di.u.rti.segbase = c.cfi->eh_frame_hdr + c.bias;
	di.u.rti.table_data = c.cfi->table + c.bias;
	di.u.rti.table_len = c.cfi->fde_count * 8 / sizeof(unw_word_t);
	ret = UNW_OBJ(dwarf_search_unwind_table)(as, ip, &di, pi, need_unwind_info, arg);
	/* libunwind would then guess from rbp; a guess is not CFI, and the
	 * caller decides what to do without it. */
	if (ret == -UNW_ENOINFO)
		w->no_fde = 1;
	return ret;
}

static void put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg)
{
	/* dwarf_search_unwind_table's info is freed by libunwind itself */
	(void)as, (void)pi, (void)arg;
}

static int get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *dilap, void *arg)
{
	(void)as, (void)dilap, (void)arg;
	return -UNW_ENOINFO;
}

static int read_image(struct walk_ctx *w, uint64_t addr, unw_word_t *valp)
{
	struct unwinder *u = w->u;
	struct unwind_code c;

	for (size_t i = 0; i < u->nrecent; i++) {
		const struct recent_image *r = &u->recent[i];

		if (addr >= r->lo && addr < r->hi)
			return cfi_table__read(r->code.cfi, addr - r->code.bias, valp,
					       sizeof(*valp));
	}
	u->lookup(u->lookup_ctx, w->in->pid, addr, &c);
	if (c.kind != UNWIND_CODE_CFI || !c.cfi)
		return -1;
	remember_image(u, &c);
	return cfi_table__read(c.cfi, addr - c.bias, valp, sizeof(*valp));
}

static int access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *valp, int write, void *arg)
{
	struct walk_ctx *w = arg;
	const struct unwind_input *in = w->in;

	(void)as;
	if (write)
		return -UNW_EINVAL;
	want_stack(w, addr, sizeof(*valp));
	if (addr >= w->sp0 && addr - w->sp0 <= in->stack_size &&
	    in->stack_size - (addr - w->sp0) >= sizeof(*valp)) {
		memcpy(valp, in->stack + (addr - w->sp0), sizeof(*valp));
		return 0;
	}
	if (!read_image(w, addr, valp))
		return 0;
	if (addr >= w->sp0 && addr - w->sp0 < STACK_REACH)
		w->beyond_slice = 1;
	*valp = 0;
	return -UNW_EINVAL;
}

static int access_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t *valp, int write, void *arg)
{
	struct walk_ctx *w = arg;

	(void)as;
	if (write || reg < 0 || reg > UNW_X86_64_RIP || !(w->valid & (1u << reg)))
		return -UNW_EBADREG;
	*valp = w->regs[reg];
	return 0;
}

static int access_fpreg(unw_addr_space_t as, unw_regnum_t reg, unw_fpreg_t *val, int write,
			void *arg)
{
	(void)as, (void)reg, (void)val, (void)write, (void)arg;
	return -UNW_EBADREG;
}

static int resume(unw_addr_space_t as, unw_cursor_t *c, void *arg)
{
	(void)as, (void)c, (void)arg;
	return -UNW_EINVAL;
}

static int get_proc_name(unw_addr_space_t as, unw_word_t addr, char *buf, size_t len,
			 unw_word_t *offp, void *arg)
{
	(void)as, (void)addr, (void)buf, (void)len, (void)offp, (void)arg;
	return -UNW_ENOINFO;
}

static unw_accessors_t accessors = {
	.find_proc_info = find_proc_info,
	.put_unwind_info = put_unwind_info,
	.get_dyn_info_list_addr = get_dyn_info_list_addr,
	.access_mem = access_mem,
	.access_reg = access_reg,
	.access_fpreg = access_fpreg,
	.resume = resume,
	.get_proc_name = get_proc_name,
};

struct unwinder *unwinder__new(unwind_lookup_fn lookup, void *ctx)
{
	struct unwinder *u = calloc(1, sizeof(*u));

	if (!u)
		return NULL;
	u->as = unw_create_addr_space(&accessors, 0);
	if (!u->as) {
		free(u);
		errno = ENOMEM;
		return NULL;
	}
	/* Procedure info is cached by address; the cache is dropped whenever
	 * the process changes, since another process maps other code there. */
	unw_set_caching_policy(u->as, UNW_CACHE_GLOBAL);
	u->lookup = lookup;
	u->lookup_ctx = ctx;
	return u;
}

void unwinder__delete(struct unwinder *u)
{
	if (!u)
		return;
	unw_destroy_addr_space(u->as);
	free(u);
}

const char *unwind_stop__name(enum unwind_stop s)
{
	switch (s) {
	case UNWIND_STOP_END:
		return "end of stack";
	case UNWIND_STOP_MAX:
		return "truncated at max depth";
	case UNWIND_STOP_JIT_NO_CFI:
		return "no CFI for this JIT code";
	case UNWIND_STOP_SLICE:
		return "stack slice too small";
	case UNWIND_STOP_NO_CFI:
		return "no CFI for this native code";
	case UNWIND_STOP_BAD:
		return "unwind information led nowhere";
	}
	return "unknown";
}

static void set_reg(struct walk_ctx *w, unsigned reg, uint64_t v)
{
	w->regs[reg] = v;
	w->valid |= 1u << reg;
}

/* ip (a return address) lies in the entry code of the file c describes. */
static int in_entry_code(const struct unwind_code *c, uint64_t ip)
{
	uint64_t at = ip - c->bias;

	return c->cfi->entry && at > c->cfi->entry && at - c->cfi->entry <= CFI_ENTRY_REACH;
}

/* One frame-pointer step over the slice: the frame at bp holds the caller's
 * bp and the return address. */
static enum unwind_stop fp_step(struct walk_ctx *w, uint64_t sp, uint64_t *ip, uint64_t *bp,
				uint64_t *new_sp)
{
	const struct unwind_input *in = w->in;
	uint64_t off, frame[2];

	if (*bp < sp || *bp < w->sp0 || *bp & 7)
		return UNWIND_STOP_JIT_NO_CFI; /* no frame pointer here */
	off = *bp - w->sp0;
	if (off >= STACK_REACH)
		return UNWIND_STOP_JIT_NO_CFI;
	want_stack(w, *bp, sizeof(frame));
	if (off > in->stack_size || in->stack_size - off < sizeof(frame))
		return UNWIND_STOP_SLICE;
	memcpy(frame, in->stack + off, sizeof(frame));
	*new_sp = *bp + 16;
	*ip = frame[1];
	*bp = frame[0];
	return UNWIND_STOP_END; /* meaning: stepped */
}

enum unwind_stop unwinder__walk(struct unwinder *u, const struct unwind_input *in, unsigned flags,
				uint64_t *ips, size_t max, size_t *n)
{
	return unwinder__walk_measured(u, in, flags, ips, max, n, NULL);
}

void unwinder__code(struct unwinder *u, uint32_t pid, uint64_t addr, struct unwind_code *out)
{
	u->lookup(u->lookup_ctx, pid, addr, out);
}

/* The walk proper; every return goes through here so need->total is set. */
static enum unwind_stop walk(struct unwinder *u, struct walk_ctx *w, unsigned flags, uint64_t *ips,
			     size_t max, size_t *n, uint64_t *need);

enum unwind_stop unwinder__walk_measured(struct unwinder *u, const struct unwind_input *in,
					 unsigned flags, uint64_t *ips, size_t max, size_t *n,
					 struct unwind_need *need)
{
	struct walk_ctx w = { .u = u, .in = in };
	enum unwind_stop st = walk(u, &w, flags, ips, max, n, need ? need->frames : NULL);

	if (need)
		need->total = w.need;
	return st;
}

static enum unwind_stop walk(struct unwinder *u, struct walk_ctx *w, unsigned flags, uint64_t *ips,
			     size_t max, size_t *n, uint64_t *need)
{
	const struct unwind_input *in = w->in;
	unw_cursor_t cur;
	int have_cursor = 0, have_bp;
	uint64_t ip, sp, bp = 0, v;

	*n = 0;
	for (size_t i = 0; i < sizeof(reg_map) / sizeof(reg_map[0]); i++) {
		if (!sample_regs__get(in->regs_mask, in->regs, in->nregs, reg_map[i].perf, &v))
			set_reg(w, reg_map[i].unw, v);
	}
	if (!(w->valid & (1u << UNW_X86_64_RIP)) || !(w->valid & (1u << UNW_X86_64_RSP)))
		return UNWIND_STOP_BAD;
	ip = w->regs[UNW_X86_64_RIP];
	sp = w->sp0 = w->regs[UNW_X86_64_RSP];
	have_bp = !!(w->valid & (1u << UNW_X86_64_RBP));
	if (have_bp)
		bp = w->regs[UNW_X86_64_RBP];
	if (!u->have_pid || u->last_pid != in->pid) {
		unw_flush_cache(u->as, 0, 0);
		u->nrecent = 0;
		u->last_pid = in->pid;
		u->have_pid = 1;
	}
	for (;;) {
		struct unwind_code c;
		uint64_t new_ip, new_sp;
		unw_word_t word;
		int r;

		if (!ip)
			return UNWIND_STOP_END;
		if (*n == max)
			return UNWIND_STOP_MAX;
		if (need)
			need[*n] = w->need;
		ips[(*n)++] = ip;
		u->lookup(u->lookup_ctx, in->pid, ip, &c);
		if (c.kind != UNWIND_CODE_CFI) {
			enum unwind_stop s;

			if (c.kind != UNWIND_CODE_JIT)
				return UNWIND_STOP_NO_CFI;
			if (!(flags & UNWIND_FP_THROUGH_JIT) || !have_bp)
				return UNWIND_STOP_JIT_NO_CFI;
			new_ip = ip;
			s = fp_step(w, sp, &new_ip, &bp, &new_sp);
			if (s != UNWIND_STOP_END)
				return s;
			/* Back in CFI land a new cursor starts from what the
			 * frame chain gave; other registers are unknown. */
			have_cursor = 0;
			w->valid = 0;
			set_reg(w, UNW_X86_64_RIP, new_ip);
			set_reg(w, UNW_X86_64_RSP, new_sp);
			set_reg(w, UNW_X86_64_RBP, bp);
			if (new_sp <= sp)
				return UNWIND_STOP_BAD;
			ip = new_ip;
			sp = new_sp;
			continue;
		}
		if (!have_cursor) {
			if (unw_init_remote(&cur, u->as, w) < 0)
				return UNWIND_STOP_BAD;
			have_cursor = 1;
		}
		w->beyond_slice = 0;
		w->no_fde = 0;
		r = unw_step(&cur);
		if (w->no_fde) {
			enum unwind_stop s;

			if (in_entry_code(&c, ip))
				return UNWIND_STOP_END;
			/* Mixed mode: a caller in native code without CFI (V8's
			 * embedded builtins between JS and C++) has set up its
			 * frame, so rbp is its frame pointer if it keeps one. The
			 * leaf is left alone: it may not have set up its frame. */
			if (!(flags & UNWIND_FP_THROUGH_JIT) || !have_bp || *n < 2)
				return UNWIND_STOP_NO_CFI;
			new_ip = ip;
			s = fp_step(w, sp, &new_ip, &bp, &new_sp);
			if (s != UNWIND_STOP_END)
				return s == UNWIND_STOP_SLICE ? s : UNWIND_STOP_NO_CFI;
			have_cursor = 0;
			w->valid = 0;
			set_reg(w, UNW_X86_64_RIP, new_ip);
			set_reg(w, UNW_X86_64_RSP, new_sp);
			set_reg(w, UNW_X86_64_RBP, bp);
			if (new_sp <= sp)
				return UNWIND_STOP_BAD;
			ip = new_ip;
			sp = new_sp;
			continue;
		}
		if (r == 0)
			return UNWIND_STOP_END;
		if (r < 0)
			return w->beyond_slice	   ? UNWIND_STOP_SLICE
			       : r == -UNW_ENOINFO ? UNWIND_STOP_NO_CFI
						   : UNWIND_STOP_BAD;
		if (unw_get_reg(&cur, UNW_REG_IP, &word) < 0)
			return UNWIND_STOP_BAD;
		new_ip = word;
		if (unw_get_reg(&cur, UNW_REG_SP, &word) < 0)
			return UNWIND_STOP_BAD;
		new_sp = word;
		have_bp = unw_get_reg(&cur, UNW_X86_64_RBP, &word) == 0;
		bp = have_bp ? word : 0;
		/* A caller's frame lies above its callee's; anything else is a
		 * loop through bad CFI or a garbage return address. */
		if (new_sp < sp || (new_sp == sp && new_ip == ip))
			return w->beyond_slice ? UNWIND_STOP_SLICE : UNWIND_STOP_BAD;
		ip = new_ip;
		sp = new_sp;
	}
}
