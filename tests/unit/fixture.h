/* Reads a file of tests/fixtures ("v8/x.log", "jit/x.map") into memory for
 * the parser tests; names ending in .gz are inflated (the larger captures
 * are stored gzip -9n). Header-only: each test is one file. */
#ifndef TP_TESTS_FIXTURE_H
#define TP_TESTS_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Whole file, NUL-terminated (the parsers are not told), or NULL with a
 * message on stderr. */
static inline char *fixture_read(const char *name, size_t *len)
{
	char path[1024];
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	gzFile f;
	int got;

	snprintf(path, sizeof(path), "%s/tests/fixtures/%s", TP_SOURCE_DIR, name);
	/* gzopen reads plain files as they are. */
	f = gzopen(path, "rb");
	if (!f || !buf) {
		fprintf(stderr, "cannot open fixture %s\n", path);
		if (f)
			gzclose(f);
		free(buf);
		return NULL;
	}
	while ((got = gzread(f, buf + n, (unsigned)(cap - n))) > 0) {
		n += (size_t)got;
		if (n == cap) {
			char *nb = realloc(buf, 2 * cap + 1);

			if (!nb) {
				got = -1;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	gzclose(f);
	if (got < 0) {
		fprintf(stderr, "cannot read fixture %s\n", path);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

#endif
