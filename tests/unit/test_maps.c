/* /proc/PID/maps parser: the real file of this process, the layouts the
 * kernel produces, and malformed lines that must be counted, never fatal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "proc/maps.h"
#include "util/err.h"
#include "util/file.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int parse_str(const char *text, struct proc_maps *m)
{
	return proc_maps__parse(text, strlen(text), m);
}

static void test_self_maps(void **state)
{
	char exe[PATH_MAX], *text;
	struct proc_maps m;
	size_t len;
	ssize_t n;
	int found_exec = 0, found_stack = 0;

	(void)state;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	assert_int_equal(tp_read_file("/proc/self/maps", &text, &len), 0);
	assert_int_equal(proc_maps__parse(text, len, &m), 0);
	assert_int_equal(m.bad_lines, 0);
	assert_int_equal(m.first_bad_line, 0);
	assert_true(m.n > 5);
	for (size_t i = 0; i < m.n; i++) {
		const struct proc_map *p = &m.maps[i];

		assert_true(p->start < p->end);
		assert_non_null(p->path);
		if (!strcmp(p->path, exe) && (p->prot & PROC_MAP_EXEC)) {
			found_exec = 1;
			assert_true(p->inode != 0);
		}
		if (!strcmp(p->path, "[stack]"))
			found_stack = 1;
	}
	assert_true(found_exec);
	assert_true(found_stack);
	/* The address of a function of this binary lies in an exec mapping of it. */
	{
		uintptr_t pc = (uintptr_t)&test_self_maps;
		int hit = 0;

		for (size_t i = 0; i < m.n; i++) {
			if (pc >= m.maps[i].start && pc < m.maps[i].end) {
				assert_string_equal(m.maps[i].path, exe);
				assert_true(m.maps[i].prot & PROC_MAP_EXEC);
				hit = 1;
			}
		}
		assert_true(hit);
	}
	proc_maps__free(&m);
	free(text);
}

static void test_fields(void **state)
{
	struct proc_maps m;
	const char *text = "55ddd693c000-55ddd6942000 r-xp 00002000 fe:01 247498                   "
			   "  /usr/bin/head\n"
			   "7f444bf48000-7f444bf4f000 r--s 00000000 103:0a 332280   "
			   "/usr/lib/gconv/gconv-modules.cache\n"
			   "7f444bd60000-7f444bd63000 rw-p 00000000 00:00 0 \n"
			   "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                "
			   "  [vsyscall]\n";

	(void)state;
	assert_int_equal(parse_str(text, &m), 0);
	assert_int_equal(m.n, 4);
	assert_int_equal(m.bad_lines, 0);

	assert_int_equal(m.maps[0].start, 0x55ddd693c000ull);
	assert_int_equal(m.maps[0].end, 0x55ddd6942000ull);
	assert_int_equal(m.maps[0].pgoff, 0x2000);
	assert_int_equal(m.maps[0].prot, PROC_MAP_READ | PROC_MAP_EXEC);
	assert_int_equal(m.maps[0].dev_major, 0xfe);
	assert_int_equal(m.maps[0].dev_minor, 1);
	assert_int_equal(m.maps[0].inode, 247498);
	assert_string_equal(m.maps[0].path, "/usr/bin/head");

	assert_int_equal(m.maps[1].prot, PROC_MAP_READ | PROC_MAP_SHARED);
	assert_int_equal(m.maps[1].dev_major, 0x103);
	assert_int_equal(m.maps[1].dev_minor, 0xa);
	assert_string_equal(m.maps[1].path, "/usr/lib/gconv/gconv-modules.cache");

	/* Anonymous memory: the kernel leaves a trailing blank. */
	assert_int_equal(m.maps[2].prot, PROC_MAP_READ | PROC_MAP_WRITE);
	assert_string_equal(m.maps[2].path, "");
	assert_int_equal(m.maps[2].inode, 0);

	assert_int_equal(m.maps[3].start, 0xffffffffff600000ull);
	assert_int_equal(m.maps[3].end, 0xffffffffff601000ull);
	assert_int_equal(m.maps[3].prot, PROC_MAP_EXEC);
	assert_string_equal(m.maps[3].path, "[vsyscall]");
	proc_maps__free(&m);
}

static void test_special_paths(void **state)
{
	struct proc_maps m;
	const char *text = "1000-2000 r-xp 00000000 08:01 42  /opt/my app/lib with spaces.so\n"
			   "2000-3000 r-xp 00000000 08:01 43  /tmp/jit code.so (deleted)\n"
			   "3000-4000 rw-p 00000000 00:00 0   [heap]\n"
			   "4000-5000 rw-p 00000000 00:00 0   [stack]\n"
			   "5000-6000 r-xp 00000000 00:00 0   [vdso]\n"
			   "6000-7000 rw-p 00000000 00:00 0   [anon:v8 code space]\n"
			   "7000-8000 rwxp 00000000 00:00 0   [stack:1234]\n"
			   "8000-9000 r-xp 00000000 00:05 99  /memfd:jit (deleted)\n"
			   "9000-a000 r--p 00000000 08:01 44  /path/with\\012newline";

	(void)state;
	assert_int_equal(parse_str(text, &m), 0);
	assert_int_equal(m.n, 9);
	assert_int_equal(m.bad_lines, 0);
	assert_string_equal(m.maps[0].path, "/opt/my app/lib with spaces.so");
	assert_string_equal(m.maps[1].path, "/tmp/jit code.so (deleted)");
	assert_string_equal(m.maps[2].path, "[heap]");
	assert_string_equal(m.maps[3].path, "[stack]");
	assert_string_equal(m.maps[4].path, "[vdso]");
	assert_string_equal(m.maps[5].path, "[anon:v8 code space]");
	assert_string_equal(m.maps[6].path, "[stack:1234]");
	assert_int_equal(m.maps[6].prot, PROC_MAP_READ | PROC_MAP_WRITE | PROC_MAP_EXEC);
	assert_string_equal(m.maps[7].path, "/memfd:jit (deleted)");
	/* Last line without a newline: still a line, kept whole. */
	assert_int_equal(m.maps[8].start, 0x9000);
	assert_string_equal(m.maps[8].path, "/path/with\\012newline");
	proc_maps__free(&m);
}

static void test_crlf_and_blank_lines(void **state)
{
	struct proc_maps m;
	const char *text = "1000-2000 r-xp 00000000 08:01 42 /lib/a.so\r\n"
			   "\r\n"
			   "2000-3000 rw-p 00000000 00:00 0\r\n"
			   "\n"
			   "3000-4000 r--p 00001000 08:01 42 /lib/a.so\r\n";

	(void)state;
	assert_int_equal(parse_str(text, &m), 0);
	assert_int_equal(m.n, 3);
	assert_int_equal(m.bad_lines, 0);
	assert_string_equal(m.maps[0].path, "/lib/a.so");
	assert_string_equal(m.maps[1].path, "");
	assert_string_equal(m.maps[2].path, "/lib/a.so");
	assert_int_equal(m.maps[2].pgoff, 0x1000);
	proc_maps__free(&m);
}

static void test_shared_strings(void **state)
{
	struct proc_maps m;
	const char *text = "1000-2000 r--p 00000000 08:01 42 /lib/libc.so.6\n"
			   "2000-3000 r-xp 00001000 08:01 42 /lib/libc.so.6\n"
			   "3000-4000 rw-p 00000000 00:00 0\n"
			   "4000-5000 rw-p 00003000 08:01 42 /lib/libc.so.6\n"
			   "5000-6000 r--p 00000000 08:01 43 /lib/libc.so.60\n";

	(void)state;
	assert_int_equal(parse_str(text, &m), 0);
	assert_int_equal(m.n, 5);
	/* Consecutive segments of one file share a copy; an anonymous mapping
	 * in between does not break the run. Every path lives in m.strings. */
	assert_ptr_equal(m.maps[0].path, m.maps[1].path);
	assert_ptr_equal(m.maps[1].path, m.maps[3].path);
	assert_string_equal(m.maps[4].path, "/lib/libc.so.60");
	for (size_t i = 0; i < m.n; i++)
		assert_true(m.maps[i].path >= m.strings);
	proc_maps__free(&m);
	assert_null(m.maps);
	assert_null(m.strings);
	assert_int_equal(m.n, 0);
}

static void test_empty(void **state)
{
	struct proc_maps m;

	(void)state;
	/* An exited process has an empty maps file: nothing, but no error. */
	assert_int_equal(proc_maps__parse("", 0, &m), 0);
	assert_int_equal(m.n, 0);
	assert_int_equal(m.bad_lines, 0);
	proc_maps__free(&m);
	assert_int_equal(proc_maps__parse(NULL, 0, &m), 0);
	proc_maps__free(&m);
	proc_maps__free(NULL);
}

static void test_bad_lines_counted(void **state)
{
	static const char *const bad[] = {
		"1000-2000 r-xp 00000000 08:01",			  /* no inode */
		"1000-2000 r-xp 00000000",				  /* no device */
		"1000-2000 r-xp",					  /* no offset */
		"1000-2000",						  /* no perms */
		"1000 r-xp 00000000 08:01 42 /x",			  /* no end */
		"-2000 r-xp 00000000 08:01 42 /x",			  /* no start */
		"1000-2000 r-xq 00000000 08:01 42 /x",			  /* bad share flag */
		"1000-2000 rwx 00000000 08:01 42 /x",			  /* short perms */
		"1000-2000 xwrp 00000000 08:01 42 /x",			  /* perms out of order */
		"10g0-2000 r-xp 00000000 08:01 42 /x",			  /* bad hex */
		"1000-2000 r-xp 0000z000 08:01 42 /x",			  /* bad hex offset */
		"1000-2000 r-xp 00000000 08-01 42 /x",			  /* bad device */
		"1000-2000 r-xp 00000000 08:01 4x2 /x",			  /* bad inode */
		"1000-2000 r-xp 00000000 08:01 -42 /x",			  /* negative inode */
		"2000-1000 r-xp 00000000 08:01 42 /x",			  /* end < start */
		"2000-2000 r-xp 00000000 08:01 42 /x",			  /* empty range */
		"10000000000000000-10000000000000001 r-xp 0 08:01 42 /x", /* 65-bit */
		"1000-2000 r-xp 100000000000000000 08:01 42 /x",	  /* huge offset */
		"1000-2000 r-xp 0 100000000:01 42 /x",			  /* major > 32 bits */
		"1000-2000 r-xp 0 08:100000000 42 /x",			  /* minor > 32 bits */
		"1000-2000 r-xp 0 08:01 18446744073709551616 /x",	  /* inode 2^64 */
		"1000-2000r-xp 0 08:01 42 /x",				  /* no separator */
		" ",							  /* blanks only */
		"garbage",
	};
	const char *good1 = "1000-2000 r-xp 00000000 08:01 42 /lib/ok.so\n";
	const char *good2 = "ffffffffffffe000-ffffffffffffffff r-xp ffffffffffffffff "
			    "ffffffff:ffffffff 18446744073709551615 /max\n";

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[512];
		struct proc_maps m;

		/* Bad line second, between two good ones. */
		snprintf(text, sizeof(text), "%s%s\n%s", good1, bad[i], good2);
		assert_int_equal(parse_str(text, &m), 0);
		if (m.n != 2 || m.bad_lines != 1)
			fail_msg("line '%s': n=%zu bad=%zu", bad[i], m.n, m.bad_lines);
		assert_int_equal(m.first_bad_line, 2);
		assert_string_equal(m.maps[0].path, "/lib/ok.so");
		assert_string_equal(m.maps[1].path, "/max");
		assert_int_equal(m.maps[1].end, UINT64_MAX);
		assert_int_equal(m.maps[1].pgoff, UINT64_MAX);
		assert_int_equal(m.maps[1].dev_major, UINT32_MAX);
		assert_int_equal(m.maps[1].inode, UINT64_MAX);
		proc_maps__free(&m);
	}
}

static void test_bad_line_numbers(void **state)
{
	struct proc_maps m;
	const char *text = "1000-2000 r-xp 00000000 08:01 42 /a\n"
			   "\n"
			   "junk\n"
			   "2000-3000 r-xp 00000000 08:01 42 /b\n"
			   "3000-2000 r-xp 00000000 08:01 42 /c\n";

	(void)state;
	assert_int_equal(parse_str(text, &m), 0);
	assert_int_equal(m.n, 2);
	assert_int_equal(m.bad_lines, 2);
	assert_int_equal(m.first_bad_line, 3); /* blank lines still count as lines */
	proc_maps__free(&m);

	/* An embedded NUL cannot be in a path: the line is bad. */
	{
		static const char nul[] = "1000-2000 r-xp 0 08:01 42 /a\0b\n"
					  "2000-3000 r-xp 0 08:01 42 /b\n";

		assert_int_equal(proc_maps__parse(nul, sizeof(nul) - 1, &m), 0);
		assert_int_equal(m.n, 1);
		assert_int_equal(m.bad_lines, 1);
		assert_int_equal(m.first_bad_line, 1);
		assert_string_equal(m.maps[0].path, "/b");
		proc_maps__free(&m);
	}
}

static void test_all_bad(void **state)
{
	struct proc_maps m;

	(void)state;
	assert_int_equal(parse_str("hello\nworld\n", &m), TP_ERR_BAD_FORMAT);
	assert_int_equal(m.n, 0);
	assert_null(m.maps);
	assert_null(m.strings);
	assert_int_equal(m.bad_lines, 2);
	assert_int_equal(m.first_bad_line, 1);
	proc_maps__free(&m);

	assert_int_equal(parse_str("\n\n\r\n", &m), TP_ERR_BAD_FORMAT);
	assert_int_equal(m.bad_lines, 0);
	proc_maps__free(&m);

	assert_int_equal(parse_str("2000-1000 r-xp 00000000 08:01 42 /x", &m), TP_ERR_BAD_FORMAT);
	assert_int_equal(m.bad_lines, 1);
	proc_maps__free(&m);
}

/* Many short lines: the entry array is bounded by the text, and every
 * mapping is kept. */
static void test_many_lines(void **state)
{
	enum { N = 20000 };
	char *text = malloc((size_t)N * 64), *p = text;
	struct proc_maps m;

	(void)state;
	for (int i = 0; i < N; i++)
		p += sprintf(p, "%x-%x r-xp 0 0:0 0%s\n", (i + 1) * 0x1000, (i + 2) * 0x1000,
			     i % 3 ? "" : " /lib/x.so");
	assert_int_equal(proc_maps__parse(text, (size_t)(p - text), &m), 0);
	assert_int_equal(m.n, N);
	assert_int_equal(m.bad_lines, 0);
	assert_int_equal(m.maps[N - 1].end, (uint64_t)(N + 1) * 0x1000);
	assert_string_equal(m.maps[0].path, "/lib/x.so");
	assert_string_equal(m.maps[1].path, "");
	proc_maps__free(&m);
	free(text);
}

/* The shortest possible lines, back to back without a final newline, fill the
 * entry array to its bound. */
static void test_minimal_lines(void **state)
{
	const char *text = "0-1 ---p 0 0:0 0\n0-1 ---p 0 0:0 0\n0-1 ---p 0 0:0 0";
	struct proc_maps m;

	(void)state;
	assert_int_equal(parse_str(text, &m), 0);
	assert_int_equal(m.n, 3);
	assert_int_equal(m.maps[2].end, 1);
	assert_int_equal(m.maps[2].prot, 0);
	proc_maps__free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_self_maps),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_special_paths),
		cmocka_unit_test(test_crlf_and_blank_lines),
		cmocka_unit_test(test_shared_strings),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bad_lines_counted),
		cmocka_unit_test(test_bad_line_numbers),
		cmocka_unit_test(test_all_bad),
		cmocka_unit_test(test_many_lines),
		cmocka_unit_test(test_minimal_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
