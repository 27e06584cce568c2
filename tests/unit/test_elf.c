/* Unit tests for core/symbol/elf.c over the fixtures of tests/fixtures: real
 * mappings of running fixture processes and of a dlopen'ed library go through
 * file offset -> link-time address -> symbol, for PIE, non-PIE, shared
 * objects and stripped binaries with separate debug files. Malformed images
 * (patched copies of a fixture) must fail cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "symbol/elf.h"
#include "symbol/symtab.h"
#include "util/err.h"
#include "util/file.h"
#include "util/log.h"
#include "util/mem.h"

#define FX TP_FIXTURE_DIR
#define DEBUG_ROOT FX "/debugroot"
#define EMPTY_ROOT FX "/emptyroot"

/* The fixture functions (tests/fixtures/elf/fixture_exe.c) and their sizes;
 * 0 for sizes the compiler or the inference decides. */
/* clang-format off */
static const struct {
	const char *name;
	uint64_t size;
} exe_funcs[] = {
	{ "fixture_alpha", 0x40 },
	{ "fixture_beta", 0x100 },
	{ "fixture_gamma", 0x30 },
	{ "fixture_tail", 0 },
	{ "fixture_c_function", 0 },
};
/* clang-format on */

#define NR_EXE_FUNCS (sizeof(exe_funcs) / sizeof(exe_funcs[0]))

struct located {
	uint64_t addr;	   /* run-time address */
	uint64_t file_off; /* addr - mapping start + mapping offset */
};

/* Mute the loader's warnings about the malformed images we feed it. */
static void quiet_sink(enum tp_log_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
}

static int setup_quiet(void **state)
{
	(void)state;
	tp_log_set_sink(quiet_sink);
	return 0;
}

/* The file offset behind addr, from one /proc/PID/maps text, parsed here
 * rather than with core/proc/maps.c so that this test stands alone. */
static int maps_file_offset(const char *maps, const char *path, uint64_t addr, uint64_t *off)
{
	const char *line = maps;

	while (line && *line) {
		const char *eol = strchr(line, '\n');
		unsigned long long start, end, pgoff;
		char perms[8], mpath[PATH_MAX];
		int n = 0;

		mpath[0] = '\0';
		if (sscanf(line, "%llx-%llx %7s %llx %*x:%*x %*u %n", &start, &end, perms, &pgoff,
			   &n) == 4 &&
		    n > 0) {
			size_t plen = eol ? (size_t)(eol - line - n) : strlen(line + n);

			if (plen < sizeof(mpath)) {
				memcpy(mpath, line + n, plen);
				mpath[plen] = '\0';
			}
			if (addr >= start && addr < end && !strcmp(mpath, path)) {
				*off = addr - start + pgoff;
				return 0;
			}
		}
		line = eol ? eol + 1 : NULL;
	}
	return -1;
}

/* Run a fixture executable, read the addresses it prints and locate each in
 * its /proc/PID/maps while it waits; then let it exit. */
static void spawn_and_locate(const char *path, struct located *loc)
{
	int in[2], out[2], status;
	char real[PATH_MAX], line[256], *maps;
	size_t found = 0;
	FILE *f;
	pid_t pid;

	assert_non_null(realpath(path, real));
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execl(path, path, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	f = fdopen(out[0], "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) && strcmp(line, "done\n")) {
		char name[64];
		unsigned long long addr;

		assert_int_equal(sscanf(line, "%63s %llx", name, &addr), 2);
		for (size_t i = 0; i < NR_EXE_FUNCS; i++) {
			if (!strcmp(name, exe_funcs[i].name)) {
				loc[i].addr = addr;
				found++;
			}
		}
	}
	assert_int_equal(found, NR_EXE_FUNCS);

	snprintf(line, sizeof(line), "/proc/%d/maps", (int)pid);
	assert_int_equal(tp_read_file(line, &maps, NULL), 0);
	for (size_t i = 0; i < NR_EXE_FUNCS; i++)
		assert_int_equal(maps_file_offset(maps, real, loc[i].addr, &loc[i].file_off), 0);
	free(maps);

	close(in[1]); /* EOF: the fixture exits */
	fclose(f);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* Every fixture function of a running exe resolves through ef: its start,
 * its last byte, and the symbol's size where the fixture fixes it. Returns
 * the load bias (run-time minus link-time address). */
static uint64_t check_exe_symbols(const struct elf_file *ef, const struct located *loc)
{
	uint64_t bias = 0;

	for (size_t i = 0; i < NR_EXE_FUNCS; i++) {
		const struct tp_sym *s;
		uint64_t vaddr, last;

		assert_int_equal(elf_file__offset_to_vaddr(ef, loc[i].file_off, &vaddr), 0);
		s = elf_file__find(ef, vaddr);
		assert_non_null(s);
		assert_string_equal(s->name, exe_funcs[i].name);
		assert_int_equal(s->start, vaddr);
		if (exe_funcs[i].size)
			assert_int_equal(s->size, exe_funcs[i].size);
		assert_true(s->size >= (exe_funcs[i].size ? exe_funcs[i].size : 1));
		assert_int_equal(
			elf_file__offset_to_vaddr(ef, loc[i].file_off + s->size - 1, &last), 0);
		assert_ptr_equal(elf_file__find(ef, last), s);
		if (i == 0)
			bias = loc[i].addr - vaddr;
		else
			assert_int_equal(loc[i].addr - vaddr, bias);
	}
	return bias;
}

static struct elf_file *open_ok(const char *path, const char *debug_root)
{
	struct elf_open_opts opts = { .debug_root = debug_root };
	struct elf_file *ef = NULL;

	assert_int_equal(elf_file__open(path, &opts, &ef), 0);
	assert_non_null(ef);
	assert_true(elf_file__nr_symbols(ef) > 0);
	return ef;
}

static void assert_build_id(const struct elf_file *ef, const char *hex)
{
	const unsigned char *id;
	char got[2 * 64 + 1];
	size_t len;

	elf_file__build_id(ef, &id, &len);
	assert_true(len <= 64);
	for (size_t i = 0; i < len; i++)
		snprintf(got + 2 * i, 3, "%02x", id[i]);
	got[2 * len] = '\0';
	assert_string_equal(got, hex);
}

static void test_pie(void **state)
{
	struct located loc[NR_EXE_FUNCS];
	struct elf_file *ef = open_ok(FX "/fixture_pie", EMPTY_ROOT);
	uint64_t vaddr;

	(void)state;
	assert_string_equal(elf_file__symbol_source(ef), FX "/fixture_pie");
	assert_build_id(ef, "0123456789abcdef0123456789abcdef01234567");
	spawn_and_locate(FX "/fixture_pie", loc);
	/* A PIE is linked at 0 and loaded elsewhere: the bias is not zero. */
	assert_true(check_exe_symbols(ef, loc) != 0);
	assert_int_equal(elf_file__offset_to_vaddr(ef, UINT64_MAX, &vaddr), TP_ERR_NOT_FOUND);
	assert_int_equal(elf_file__offset_to_vaddr(ef, 1ull << 40, &vaddr), TP_ERR_NOT_FOUND);
	elf_file__delete(ef);
}

static void test_nopie(void **state)
{
	struct located loc[NR_EXE_FUNCS];
	struct elf_file *ef = open_ok(FX "/fixture_nopie", NULL);

	(void)state;
	assert_build_id(ef, "89abcdef0123456789abcdef0123456789abcdef");
	spawn_and_locate(FX "/fixture_nopie", loc);
	/* Linked at its load address: file offset and address still differ,
	 * but the bias is zero. */
	assert_int_equal(check_exe_symbols(ef, loc), 0);
	assert_true(loc[0].addr != loc[0].file_off);
	elf_file__delete(ef);
}

/* Aliases, labels and gaps, as laid out by fixture_exe.c. */
static void test_aliases_and_labels(void **state)
{
	struct elf_file *ef = open_ok(FX "/fixture_pie", NULL);
	const struct tp_sym *alpha = NULL, *beta = NULL, *gamma = NULL, *s;

	(void)state;
	/* Meet every symbol of the PIE's low addresses through lookups. */
	for (uint64_t a = 0; a < 0x100000 && !(alpha && beta && gamma); a += 0x10) {
		s = elf_file__find(ef, a);
		if (!s)
			continue;
		if (!strcmp(s->name, "fixture_alpha"))
			alpha = s;
		else if (!strcmp(s->name, "fixture_beta"))
			beta = s;
		else if (!strcmp(s->name, "fixture_gamma"))
			gamma = s;
		assert_string_not_equal(s->name, "fixture_alpha_local");
		assert_string_not_equal(s->name, "fixture_alpha_weak");
		assert_string_not_equal(s->name, "fixture_beta_inner");
	}
	assert_non_null(alpha);
	assert_non_null(beta);
	assert_non_null(gamma);
	/* The label inside beta does not split it. */
	assert_ptr_equal(elf_file__find(ef, beta->start + 0x20), beta);
	assert_ptr_equal(elf_file__find(ef, beta->start + 0xff), beta);
	/* gamma is followed by alignment padding that nothing names. */
	assert_null(elf_file__find(ef, gamma->start + gamma->size));
	elf_file__delete(ef);
}

static void check_lib(const char *path, bool want_local)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	void *(*local_addr)(void);
	const struct {
		const char *name;
		uint64_t size;
		void *addr;
	} want[] = {
		{ "fixture_lib_alpha", 0x80, h ? dlsym(h, "fixture_lib_alpha") : NULL },
		{ "fixture_lib_beta", 0x200, h ? dlsym(h, "fixture_lib_beta") : NULL },
	};
	struct elf_file *ef = open_ok(path, EMPTY_ROOT);
	char real[PATH_MAX], *maps;
	const struct tp_sym *s;
	uint64_t off, vaddr;

	assert_non_null(h);
	assert_non_null(realpath(path, real));
	assert_int_equal(tp_read_file("/proc/self/maps", &maps, NULL), 0);
	for (size_t i = 0; i < TP_ARRAY_SIZE(want); i++) {
		assert_non_null(want[i].addr);
		assert_int_equal(maps_file_offset(maps, real, (uintptr_t)want[i].addr, &off), 0);
		assert_int_equal(elf_file__offset_to_vaddr(ef, off, &vaddr), 0);
		s = elf_file__find(ef, vaddr);
		assert_non_null(s);
		assert_string_equal(s->name, want[i].name);
		assert_int_equal(s->size, want[i].size);
		assert_int_equal(elf_file__offset_to_vaddr(ef, off + want[i].size - 1, &vaddr), 0);
		assert_ptr_equal(elf_file__find(ef, vaddr), s);
	}

	*(void **)&local_addr = dlsym(h, "fixture_lib_local_addr");
	assert_non_null(local_addr);
	assert_int_equal(maps_file_offset(maps, real, (uintptr_t)local_addr(), &off), 0);
	assert_int_equal(elf_file__offset_to_vaddr(ef, off, &vaddr), 0);
	s = elf_file__find(ef, vaddr);
	if (want_local) {
		assert_non_null(s);
		assert_string_equal(s->name, "fixture_lib_local");
		assert_int_equal(s->size, 0x50);
	} else if (s) {
		/* .dynsym cannot name a local function. */
		assert_string_not_equal(s->name, "fixture_lib_local");
	}
	free(maps);
	elf_file__delete(ef);
	dlclose(h);
}

static void test_shared_lib(void **state)
{
	struct elf_file *ef = open_ok(FX "/libfixture.so", NULL);

	(void)state;
	assert_build_id(ef, "fedcba9876543210fedcba9876543210fedcba98");
	elf_file__delete(ef);
	check_lib(FX "/libfixture.so", true);
}

static void test_stripped_lib_dynsym(void **state)
{
	struct elf_file *ef = open_ok(FX "/libfixture_stripped.so", EMPTY_ROOT);

	(void)state;
	assert_string_equal(elf_file__symbol_source(ef), FX "/libfixture_stripped.so");
	elf_file__delete(ef);
	check_lib(FX "/libfixture_stripped.so", false);
}

/* A stripped exe whose symbols come from want_source. */
static void check_debug_file(const char *exe, const char *root, const char *want_source)
{
	struct located loc[NR_EXE_FUNCS];
	struct elf_file *ef = open_ok(exe, root);

	assert_string_equal(elf_file__symbol_source(ef), want_source);
	spawn_and_locate(exe, loc);
	assert_true(check_exe_symbols(ef, loc) != 0);
	elf_file__delete(ef);
}

static void test_debuglink_same_dir(void **state)
{
	(void)state;
	check_debug_file(FX "/fixture_dl", DEBUG_ROOT, FX "/fixture_dl.debug");
	/* The default debug root does not matter for a file next to it. */
	check_debug_file(FX "/fixture_dl", NULL, FX "/fixture_dl.debug");
}

static void test_debuglink_dot_debug(void **state)
{
	(void)state;
	check_debug_file(FX "/fixture_dlsub", DEBUG_ROOT, FX "/.debug/fixture_dlsub.debug");
}

static void test_debuglink_debug_root(void **state)
{
	(void)state;
	check_debug_file(FX "/fixture_dlroot", DEBUG_ROOT, DEBUG_ROOT FX "/fixture_dlroot.debug");
}

static void test_build_id_lookup(void **state)
{
	(void)state;
	check_debug_file(FX "/fixture_bid", DEBUG_ROOT,
			 DEBUG_ROOT "/.build-id/b1/d0000000000000000000000000000000000004.debug");
}

/* A stripped exe with no debug file to be found: TP_ERR_NO_SYMBOLS with a
 * usable object, whose offsets still translate like those of the unstripped
 * build (full). */
static void check_no_symbols(const char *exe, const char *full, const char *root)
{
	struct elf_open_opts opts = { .debug_root = root };
	struct located loc[NR_EXE_FUNCS];
	struct elf_file *ef = NULL, *ref = open_ok(full, EMPTY_ROOT);

	assert_int_equal(elf_file__open(exe, &opts, &ef), TP_ERR_NO_SYMBOLS);
	assert_non_null(ef);
	assert_int_equal(elf_file__nr_symbols(ef), 0);
	assert_string_equal(elf_file__symbol_source(ef), exe);
	spawn_and_locate(exe, loc);
	for (size_t i = 0; i < NR_EXE_FUNCS; i++) {
		uint64_t vaddr, ref_vaddr;
		const struct tp_sym *s;

		assert_int_equal(elf_file__offset_to_vaddr(ef, loc[i].file_off, &vaddr), 0);
		assert_null(elf_file__find(ef, vaddr));
		assert_int_equal(elf_file__offset_to_vaddr(ref, loc[i].file_off, &ref_vaddr), 0);
		assert_int_equal(vaddr, ref_vaddr);
		s = elf_file__find(ref, vaddr);
		assert_non_null(s);
		assert_string_equal(s->name, exe_funcs[i].name);
	}
	elf_file__delete(ref);
	elf_file__delete(ef);
}

static void test_build_id_missing(void **state)
{
	(void)state;
	check_no_symbols(FX "/fixture_bid", FX "/fixture_bid_full", EMPTY_ROOT);
}

static void test_build_id_mismatch(void **state)
{
	(void)state;
	/* ROOT/.build-id/<its id>.debug holds another build's debug file. */
	check_no_symbols(FX "/fixture_bidbad", FX "/fixture_bidbad_full", DEBUG_ROOT);
}

static void test_debuglink_bad_crc(void **state)
{
	(void)state;
	/* fixture_badcrc.debug next to it is another build's debug file. */
	check_no_symbols(FX "/fixture_badcrc", FX "/fixture_badcrc_full", DEBUG_ROOT);
}

static void test_open_errors(void **state)
{
	struct elf_file *ef = (struct elf_file *)&ef;

	(void)state;
	assert_int_equal(elf_file__open(FX "/no/such/file", NULL, &ef), -ENOENT);
	assert_null(ef);
	assert_int_equal(elf_file__open(FX, NULL, &ef), -EINVAL);
	assert_int_equal(elf_file__open("/dev/null", NULL, &ef), -EINVAL);
	assert_int_equal(elf_file__open(TP_SOURCE_DIR "/tests/unit/test_elf.c", NULL, &ef),
			 TP_ERR_BAD_FORMAT);
	assert_null(ef);
	elf_file__delete(NULL);
}

/* --- malformed images: patched copies of fixture_pie ------------------ */

struct image {
	unsigned char *data;
	size_t len;
};

static struct image load_pie(void)
{
	struct image img;
	char *buf;

	assert_int_equal(tp_read_file(FX "/fixture_pie", &buf, &img.len), 0);
	img.data = (unsigned char *)buf;
	assert_true(img.len > sizeof(Elf64_Ehdr));
	assert_int_equal(img.data[EI_CLASS], ELFCLASS64); /* the patches below assume it */
	return img;
}

static Elf64_Ehdr *ehdr_of(struct image *img)
{
	return (Elf64_Ehdr *)img->data;
}

static Elf64_Shdr *shdr_of(struct image *img, unsigned int type)
{
	Elf64_Ehdr *eh = ehdr_of(img);
	Elf64_Shdr *sh = (Elf64_Shdr *)(img->data + eh->e_shoff);

	for (unsigned int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type == type)
			return &sh[i];
	}
	fail_msg("no section of type %u", type);
	return NULL;
}

/* Opening must fail with want (0 = anything but a crash or a leak). */
static int open_mem_expect(const void *data, size_t len, int want)
{
	struct elf_file *ef = (struct elf_file *)&ef;
	int err = elf_file__open_mem(data, len, &ef);

	if (want)
		assert_int_equal(err, want);
	if (err && err != TP_ERR_NO_SYMBOLS) {
		assert_null(ef);
		return err;
	}
	assert_non_null(ef);
	/* A usable object answers any question. */
	for (uint64_t off = 0; off < 0x10000; off += 0x400) {
		uint64_t vaddr;

		if (!elf_file__offset_to_vaddr(ef, off, &vaddr))
			elf_file__find(ef, vaddr);
	}
	elf_file__delete(ef);
	return err;
}

static void test_mem_ok_and_read_only(void **state)
{
	struct elf_file *ef, *ef_file;
	const void *map;
	size_t len;

	(void)state;
	/* A read-only mapping: a write through libelf would fault. */
	assert_int_equal(tp_map_file(FX "/fixture_pie", &map, &len), 0);
	assert_int_equal(elf_file__open_mem(map, len, &ef), 0);
	ef_file = open_ok(FX "/fixture_pie", NULL);
	assert_int_equal(elf_file__nr_symbols(ef), elf_file__nr_symbols(ef_file));
	assert_string_equal(elf_file__symbol_source(ef), "[memory]");
	assert_build_id(ef, "0123456789abcdef0123456789abcdef01234567");
	elf_file__delete(ef);
	elf_file__delete(ef_file);
	tp_unmap_file(map, len);
}

/* A big-endian relocatable object (objcopy -O elf64-big, a committed fuzz
 * seed): libelf converts its tables; the read-only mapping proves it does
 * so into copies. */
static void test_mem_big_endian(void **state)
{
	const char *path = TP_SOURCE_DIR "/tests/fuzz/corpus/elf/rel64_big_endian.o";
	struct elf_file *ef;
	const struct tp_sym *s;
	const void *map;
	size_t len;

	(void)state;
	assert_int_equal(tp_map_file(path, &map, &len), 0);
	assert_int_equal(elf_file__open_mem(map, len, &ef), 0);
	/* Untyped labels at the start and the end of a 64-byte code section. */
	assert_int_equal(elf_file__nr_symbols(ef), 2);
	s = elf_file__find(ef, 0x10);
	assert_non_null(s);
	assert_string_equal(s->name, "_binary_blob_bin_start");
	assert_int_equal(s->size, 0x40);
	elf_file__delete(ef);
	tp_unmap_file(map, len);
}

static void test_mem_empty_and_garbage(void **state)
{
	static const char ident[] = ELFMAG "\x02\x01\x01"; /* ELF64, LSB, version 1 */
	unsigned char garbage[4096];
	struct image img = load_pie();
	uint64_t seed = 42;

	(void)state;
	open_mem_expect(NULL, 0, TP_ERR_BAD_FORMAT);
	open_mem_expect(img.data, 0, TP_ERR_BAD_FORMAT);
	open_mem_expect(img.data, 4, TP_ERR_BAD_FORMAT);
	open_mem_expect(img.data, 20, TP_ERR_BAD_FORMAT); /* truncated ELF header */
	open_mem_expect(img.data, sizeof(Elf64_Ehdr) - 1, TP_ERR_BAD_FORMAT);
	for (size_t i = 0; i < sizeof(garbage); i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		garbage[i] = (unsigned char)(seed >> 56);
	}
	open_mem_expect(garbage, sizeof(garbage), TP_ERR_BAD_FORMAT);
	/* A valid ident, garbage after. */
	memcpy(garbage, ident, sizeof(ident) - 1);
	open_mem_expect(garbage, sizeof(garbage), TP_ERR_BAD_FORMAT);
	free(img.data);
}

static void test_mem_symtab_entsize_zero(void **state)
{
	struct image img = load_pie();

	(void)state;
	shdr_of(&img, SHT_SYMTAB)->sh_entsize = 0;
	open_mem_expect(img.data, img.len, TP_ERR_BAD_FORMAT);
	shdr_of(&img, SHT_SYMTAB)->sh_entsize = 1;
	open_mem_expect(img.data, img.len, TP_ERR_BAD_FORMAT);
	free(img.data);
}

static void test_mem_truncated_section_table(void **state)
{
	struct image img = load_pie();
	Elf64_Ehdr *eh = ehdr_of(&img);

	(void)state;
	/* The section table sits at the end: cut it in half. */
	assert_true(eh->e_shoff + (uint64_t)eh->e_shnum * eh->e_shentsize == img.len);
	open_mem_expect(img.data, eh->e_shoff + eh->e_shentsize * (eh->e_shnum / 2u),
			TP_ERR_BAD_FORMAT);
	open_mem_expect(img.data, img.len - 1, TP_ERR_BAD_FORMAT);
	eh->e_shentsize = sizeof(Elf64_Shdr) - 8;
	open_mem_expect(img.data, img.len, TP_ERR_BAD_FORMAT);
	free(img.data);
}

static void test_mem_bad_sections(void **state)
{
	struct image img = load_pie();
	Elf64_Shdr *sym = shdr_of(&img, SHT_SYMTAB), saved = *sym;
	unsigned int text_idx = 0;

	(void)state;
	sym->sh_size = img.len; /* past the end of the file */
	open_mem_expect(img.data, img.len, TP_ERR_BAD_FORMAT);
	*sym = saved;
	sym->sh_offset = UINT64_MAX - 8; /* offset + size wraps */
	open_mem_expect(img.data, img.len, TP_ERR_BAD_FORMAT);
	*sym = saved;
	sym->sh_link = 0xffff;
	open_mem_expect(img.data, img.len, TP_ERR_BAD_FORMAT);
	/* A link to a section that is not a string table. */
	for (unsigned int i = 0; i < ehdr_of(&img)->e_shnum; i++) {
		Elf64_Shdr *sh = (Elf64_Shdr *)(img.data + ehdr_of(&img)->e_shoff) + i;

		if (sh->sh_type == SHT_PROGBITS && (sh->sh_flags & SHF_EXECINSTR))
			text_idx = i;
	}
	assert_true(text_idx > 0);
	sym->sh_link = text_idx;
	open_mem_expect(img.data, img.len, TP_ERR_BAD_FORMAT);
	*sym = saved;

	/* Symbol names past the string table are skipped, not fatal. */
	for (uint64_t i = 1; i < sym->sh_size / sizeof(Elf64_Sym); i += 2) {
		Elf64_Sym *s = (Elf64_Sym *)(img.data + sym->sh_offset) + i;

		s->st_name = UINT32_MAX - (uint32_t)i;
	}
	open_mem_expect(img.data, img.len, 0);
	free(img.data);
}

/* sstrip-like: no section headers at all. The build id comes from PT_NOTE
 * and offsets still translate. */
static void test_mem_no_sections(void **state)
{
	struct image img = load_pie();
	struct elf_file *ef, *ref = open_ok(FX "/fixture_pie", NULL);
	Elf64_Ehdr *eh = ehdr_of(&img);

	(void)state;
	eh->e_shoff = 0;
	eh->e_shnum = 0;
	eh->e_shstrndx = 0;
	assert_int_equal(elf_file__open_mem(img.data, img.len, &ef), TP_ERR_NO_SYMBOLS);
	assert_non_null(ef);
	assert_build_id(ef, "0123456789abcdef0123456789abcdef01234567");
	for (uint64_t off = 0; off < img.len; off += 0x100) {
		uint64_t a, b;
		int ea = elf_file__offset_to_vaddr(ef, off, &a);

		assert_int_equal(ea, elf_file__offset_to_vaddr(ref, off, &b));
		if (!ea)
			assert_int_equal(a, b);
	}
	elf_file__delete(ef);
	elf_file__delete(ref);
	free(img.data);
}

/* Every prefix, and random byte flips in the headers and tables: never a
 * crash, a leak or a sanitizer report. */
static void test_mem_truncations_and_flips(void **state)
{
	struct image img = load_pie();
	unsigned char *copy = malloc(img.len);
	Elf64_Ehdr *eh = ehdr_of(&img);
	Elf64_Shdr *sym = shdr_of(&img, SHT_SYMTAB);
	const struct {
		uint64_t off, len;
	} zones[] = {
		{ 0, sizeof(Elf64_Ehdr) + 8 * sizeof(Elf64_Phdr) },
		{ eh->e_shoff, (uint64_t)eh->e_shnum * eh->e_shentsize },
		{ sym->sh_offset, sym->sh_size },
	};
	uint64_t seed = 7;

	(void)state;
	assert_non_null(copy);
	for (size_t len = 0; len < img.len; len += len < 2048 ? 1 : 61)
		open_mem_expect(img.data, len, 0);

	for (int iter = 0; iter < 3000; iter++) {
		memcpy(copy, img.data, img.len);
		for (int k = 0; k < 1 + iter % 4; k++) {
			uint64_t z, off;

			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			z = (seed >> 40) % TP_ARRAY_SIZE(zones);
			off = zones[z].off + (seed >> 8) % zones[z].len;
			if (off < img.len)
				copy[off] ^= (unsigned char)(1u << ((seed >> 3) & 7));
		}
		open_mem_expect(copy, img.len, 0);
	}
	free(copy);
	free(img.data);
}

int main(void)
{
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pie),
		cmocka_unit_test(test_nopie),
		cmocka_unit_test(test_aliases_and_labels),
		cmocka_unit_test(test_shared_lib),
		cmocka_unit_test(test_stripped_lib_dynsym),
		cmocka_unit_test(test_debuglink_same_dir),
		cmocka_unit_test(test_debuglink_dot_debug),
		cmocka_unit_test(test_debuglink_debug_root),
		cmocka_unit_test(test_build_id_lookup),
		cmocka_unit_test(test_build_id_missing),
		cmocka_unit_test(test_build_id_mismatch),
		cmocka_unit_test(test_debuglink_bad_crc),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_mem_ok_and_read_only),
		cmocka_unit_test(test_mem_big_endian),
		cmocka_unit_test(test_mem_empty_and_garbage),
		cmocka_unit_test(test_mem_symtab_entsize_zero),
		cmocka_unit_test(test_mem_truncated_section_table),
		cmocka_unit_test(test_mem_bad_sections),
		cmocka_unit_test(test_mem_no_sections),
		cmocka_unit_test(test_mem_truncations_and_flips),
	};

	/* clang-format on */

	return cmocka_run_group_tests(tests, setup_quiet, NULL);
}
