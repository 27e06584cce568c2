/* Files of tests/fixtures/jit for the JIT symbol-source tests (fixture.h). */
#ifndef TP_TESTS_JIT_FIXTURE_H
#define TP_TESTS_JIT_FIXTURE_H

#include "fixture.h"

static inline char *jit_fixture_read(const char *name, size_t *len)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "jit/%s", name);
	return fixture_read(rel, len);
}

#endif
