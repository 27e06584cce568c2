/* The offline unwinder: stitching a CFI walk into the kernel's chain (pure
 * arrays), locating CFI in ELF files (a real library built from source, then
 * corrupted copies of it), and a real walk: a callback called through
 * libnofp.so (no frame pointers) copies its own registers and stack, and the
 * walk over that copy must name the library frame and this file's caller. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "proc/maps.h"
#include "unwind/cfi_table.h"
#include "unwind/image.h"
#include "unwind/regs.h"
#include "unwind/stitch.h"
#include "unwind/walk.h"
#include "util/err.h"
#include "util/file.h"
#include "../accuracy/libnofp.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#define LIBNOFP TP_BINARY_DIR "/tests/accuracy/libnofp.so"

static void test_repair_inserts_hidden_caller(void **state)
{
	/* kernel: leaf, caller's caller, main; walk: leaf, caller, caller's caller */
	uint64_t chain[8] = { 0x10, 0x30, 0x40 }, walked[] = { 0x10, 0x20, 0x30, 0x40 };
	size_t n = stitch__repair(chain, 3, 8, walked, 4);

	(void)state;
	assert_int_equal(n, 4);
	assert_int_equal(chain[1], 0x20);
	assert_int_equal(chain[2], 0x30);
	assert_int_equal(chain[3], 0x40);
}

static void test_repair_agrees(void **state)
{
	uint64_t chain[8] = { 0x10, 0x20, 0x30 }, walked[] = { 0x10, 0x20, 0x30 };

	(void)state;
	assert_int_equal(stitch__repair(chain, 3, 8, walked, 3), 3);
	assert_int_equal(chain[1], 0x20);
	/* a walk that did not get past the leaf changes nothing */
	assert_int_equal(stitch__repair(chain, 3, 8, walked, 1), 3);
	/* nor one from other registers */
	walked[0] = 0x11;
	assert_int_equal(stitch__repair(chain, 3, 8, walked, 3), 3);
}

static void test_repair_no_match_and_cap(void **state)
{
	uint64_t chain[5] = { 0x10, 0x99 }, walked[] = { 0x10, 0x20, 0x21, 0x22, 0x23 };

	(void)state;
	/* the chain's next entry is nowhere in the walk: all walked frames go in,
	 * up to the capacity */
	assert_int_equal(stitch__repair(chain, 2, 5, walked, 5), 5);
	assert_int_equal(chain[1], 0x20);
	assert_int_equal(chain[3], 0x22);
	assert_int_equal(chain[4], 0x99);
	/* a chain of the leaf alone */
	chain[0] = 0x10;
	assert_int_equal(stitch__repair(chain, 1, 5, walked, 3), 3);
	assert_int_equal(chain[2], 0x21);
}

static void test_continue_recursion(void **state)
{
	/* walk stopped at the second 0x50 (recursion): continue after the
	 * kernel chain's second 0x50, not its first */
	uint64_t walked[16] = { 0x10, 0x50, 0x50 };
	const uint64_t chain[] = { 0x10, 0x50, 0x50, 0x60, 0x70 };
	size_t n = stitch__continue(walked, 3, 16, chain, 5);

	(void)state;
	assert_int_equal(n, 5);
	assert_int_equal(walked[3], 0x60);
	assert_int_equal(walked[4], 0x70);
	walked[2] = 0x77; /* not in the chain: unchanged */
	assert_int_equal(stitch__continue(walked, 3, 16, chain, 5), 3);
	assert_int_equal(stitch__continue(walked, 0, 16, chain, 5), 0);
}

static void test_cfi_table_real_library(void **state)
{
	struct unwind_image *img = unwind_image__open(LIBNOFP);
	uint64_t v, word;

	(void)state;
	assert_non_null(img);
	assert_int_equal(img->status, 0);
	assert_true(img->cfi.fde_count >= 3); /* nofp_inner, nofp_outer, nofp_apply */
	assert_true(img->cfi.text_lo < img->cfi.text_hi);
	assert_int_equal(cfi_table__read(&img->cfi, img->cfi.eh_frame_hdr, &word, 1), 0);
	assert_int_equal(word & 0xff, 1); /* .eh_frame_hdr version */
	assert_int_equal(cfi_table__offset_to_vaddr(&img->cfi, 0, &v), 0);
	assert_int_not_equal(cfi_table__read(&img->cfi, UINT64_MAX - 2, &word, 8), 0);
	unwind_image__delete(img);
	/* the dynamic loader's entry point (_start: where its walks end) */
	img = unwind_image__open("/lib64/ld-linux-x86-64.so.2");
	if (img->status == 0)
		assert_true(img->cfi.entry >= img->cfi.text_lo &&
			    img->cfi.entry < img->cfi.text_hi);
	unwind_image__delete(img);
	img = unwind_image__open("/nonexistent/lib.so");
	assert_int_not_equal(img->status, 0);
	unwind_image__delete(img);
}

static void test_cfi_table_malformed(void **state)
{
	struct cfi_table t;
	char *data;
	size_t len;
	unsigned char *copy;
	uint64_t phoff;

	(void)state;
	assert_int_equal(tp_read_file(LIBNOFP, &data, &len), 0);
	copy = malloc(len);
	/* truncated anywhere inside the headers */
	for (size_t cut = 0; cut < 64 + 56 * 2; cut += 7)
		assert_int_equal(cfi_table__parse(data, cut, &t), TP_ERR_BAD_FORMAT);
	/* program headers pointing past the end */
	memcpy(copy, data, len);
	phoff = len;
	memcpy(copy + 32, &phoff, 8);
	assert_int_equal(cfi_table__parse(copy, len, &t), TP_ERR_BAD_FORMAT);
	/* not ELF64 */
	memcpy(copy, data, len);
	copy[4] = 1;
	assert_int_equal(cfi_table__parse(copy, len, &t), TP_ERR_BAD_FORMAT);
	/* .eh_frame_hdr of an unknown version: valid ELF, no usable CFI */
	assert_int_equal(cfi_table__parse(data, len, &t), 0);
	memcpy(copy, data, len);
	{
		uint64_t off;

		for (size_t i = 0; i < t.nsegs; i++) {
			if (t.eh_frame_hdr >= t.segs[i].vaddr &&
			    t.eh_frame_hdr < t.segs[i].vaddr + t.segs[i].filesz) {
				off = t.segs[i].offset + (t.eh_frame_hdr - t.segs[i].vaddr);
				copy[off] = 2;
				assert_int_equal(cfi_table__parse(copy, len, &t), TP_ERR_NOT_FOUND);
				copy[off] = 1;
				copy[off + 3] = 0x1b; /* a table we cannot search */
				assert_int_equal(cfi_table__parse(copy, len, &t), TP_ERR_NOT_FOUND);
			}
		}
	}
	free(copy);
	free(data);
}

static void test_regs(void **state)
{
	const uint64_t regs[] = { 1, 2, 3 }; /* BP, SP, IP */
	uint64_t v = 0;

	(void)state;
	assert_int_equal(sample_regs__get(SAMPLE_REGS_REPAIR, regs, 3, PERF_REG_X86_SP, &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(sample_regs__get(SAMPLE_REGS_REPAIR, regs, 3, PERF_REG_X86_IP, &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(sample_regs__get(SAMPLE_REGS_REPAIR, regs, 3, PERF_REG_X86_AX, &v), -1);
	assert_int_equal(sample_regs__get(SAMPLE_REGS_REPAIR, regs, 2, PERF_REG_X86_IP, &v), -1);
	assert_int_equal(__builtin_popcountll(SAMPLE_REGS_DWARF), 20);
}

/* ---- a real walk over this process's own stack ---- */

#define COPY_BYTES 4096

static struct {
	uint64_t regs[3]; /* BP, SP, IP in perf order */
	unsigned char stack[COPY_BYTES];
} snap;

static struct proc_maps self_maps;
static struct unwind_image *images[64];
static const char *image_paths[64];

static void self_lookup(void *ctx, uint32_t pid, uint64_t addr, struct unwind_code *out)
{
	(void)ctx, (void)pid;
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < self_maps.n; i++) {
		const struct proc_map *m = &self_maps.maps[i];
		uint64_t vaddr;
		size_t k;

		if (addr < m->start || addr >= m->end || !(m->prot & PROC_MAP_EXEC))
			continue;
		out->kind = m->path[0] == '/' ? UNWIND_CODE_NO_CFI : UNWIND_CODE_JIT;
		if (m->path[0] != '/')
			return;
		for (k = 0; k < 64 && image_paths[k] && strcmp(image_paths[k], m->path); k++)
			;
		if (k == 64)
			return;
		if (!image_paths[k]) {
			image_paths[k] = m->path;
			images[k] = unwind_image__open(m->path);
		}
		if (images[k]->status ||
		    cfi_table__offset_to_vaddr(&images[k]->cfi, addr - m->start + m->pgoff, &vaddr))
			return;
		out->kind = UNWIND_CODE_CFI;
		out->cfi = &images[k]->cfi;
		out->bias = addr - vaddr;
		return;
	}
}

/* Reads the live stack above itself, redzones included: not for ASan's eyes,
 * and not through memcpy (which ASan intercepts). */
__attribute__((noinline, no_sanitize("address"))) static uint64_t snapshot_cb(uint64_t x)
{
	uint64_t sp, bp, ip;

	__asm__ volatile("mov %%rsp, %0\n\tmov %%rbp, %1\n\tlea (%%rip), %2"
			 : "=r"(sp), "=r"(bp), "=r"(ip));
	snap.regs[0] = bp;
	snap.regs[1] = sp;
	snap.regs[2] = ip;
	for (size_t i = 0; i < COPY_BYTES; i++)
		snap.stack[i] = ((const volatile unsigned char *)(uintptr_t)sp)[i];
	return x + 1;
}

__attribute__((noinline)) static uint64_t walk_caller(void)
{
	return nofp_apply(snapshot_cb, 1, 7) + 1;
}

static const char *object_of(uint64_t addr)
{
	Dl_info di;

	return dladdr((void *)(uintptr_t)(addr - 1), &di) && di.dli_sname ? di.dli_sname : "?";
}

static void test_walk_real_stack(void **state)
{
	struct unwind_input in = { .pid = 1,
				   .regs_mask = SAMPLE_REGS_REPAIR,
				   .regs = snap.regs,
				   .nregs = 3,
				   .stack = snap.stack,
				   .stack_size = COPY_BYTES };
	struct unwinder *u = unwinder__new(self_lookup, NULL);
	uint64_t ips[32];
	size_t n;
	char *text;
	size_t len;
	int saw_lib = 0, saw_caller = 0;
	enum unwind_stop st;

	(void)state;
	assert_int_equal(walk_caller(), 10);
	assert_int_equal(tp_read_file("/proc/self/maps", &text, &len), 0);
	assert_int_equal(proc_maps__parse(text, len, &self_maps), 0);
	st = unwinder__walk(u, &in, 0, ips, 32, &n);
	for (size_t i = 0; i < n; i++) {
		const char *name = object_of(ips[i]);

		print_message("# frame %zu: %s\n", i, name);
		saw_lib |= !strcmp(name, "nofp_apply");
		/* this executable exports no symbols: compare with the address
		 * of walk_caller (a few dozen bytes long) */
		saw_caller |= saw_lib && ips[i] > (uintptr_t)walk_caller &&
			      ips[i] < (uintptr_t)walk_caller + 256;
	}
	assert_true(n >= 3);
	assert_true(saw_lib);	 /* the frame-pointer-less library frame */
	assert_true(saw_caller); /* and past it, this file's caller */
	/* the bytes each frame took: a slice that size gives the same frames */
	{
		uint64_t need[32], again[32];
		struct unwind_need nd = { .frames = need };
		size_t n2;

		assert_int_equal(unwinder__walk_measured(u, &in, 0, ips, 32, &n, &nd), st);
		assert_int_equal(need[0], 0);
		for (size_t i = 1; i < n; i++)
			assert_true(need[i] >= need[i - 1] && need[i] <= COPY_BYTES);
		assert_true(nd.total >= need[n - 1] && nd.total > 0);
		in.stack_size = need[n - 1];
		unwinder__walk(u, &in, 0, again, 32, &n2);
		assert_true(n2 >= n);
		assert_memory_equal(again, ips, n * sizeof(*ips));
		in.stack_size = COPY_BYTES;
	}
	/* a slice that ends inside the callback's frame: the walk says so */
	in.stack_size = 8;
	st = unwinder__walk(u, &in, 0, ips, 32, &n);
	assert_int_equal(st, UNWIND_STOP_SLICE);
	/* no registers: nothing */
	in.nregs = 0;
	assert_int_equal(unwinder__walk(u, &in, 0, ips, 32, &n), UNWIND_STOP_BAD);
	assert_int_equal(n, 0);
	unwinder__delete(u);
	for (size_t k = 0; k < 64; k++)
		unwind_image__delete(images[k]);
	proc_maps__free(&self_maps);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repair_inserts_hidden_caller),
		cmocka_unit_test(test_repair_agrees),
		cmocka_unit_test(test_repair_no_match_and_cap),
		cmocka_unit_test(test_continue_recursion),
		cmocka_unit_test(test_cfi_table_real_library),
		cmocka_unit_test(test_cfi_table_malformed),
		cmocka_unit_test(test_regs),
		cmocka_unit_test(test_walk_real_stack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
