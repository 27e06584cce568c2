/* libFuzzer target for plugins/hotspot/hs_logc.c and hs_xml.c (and hs_name.c
 * behind them): parse the input as a LogCompilation log, touch every string
 * of every record, check the record invariants, run method names through the
 * name parser, then feed the same input in chunks whose sizes come from the
 * input itself and expect the same records (streaming must not depend on
 * where a chunk ends), and stop early through the callback's value. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hs_logc.h"
#include "hs_name.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned char sink;

struct ctx {
	size_t calls, stop_at;
	uint64_t digest;
};

static void touch(const char *s)
{
	if (!s)
		return;
	for (; *s; s++)
		sink ^= (unsigned char)*s;
}

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static int on_rec(void *p, const struct hs_logc_rec *r)
{
	struct ctx *c = p;
	char key[512];

	if (r->kind < HS_LOGC_ROOT || r->kind >= HS_LOGC__COUNT || !r->method || !r->compiler ||
	    r->level < -1 || r->level > 4 || r->bci < -1)
		__builtin_trap();
	touch(r->method);
	touch(r->compiler);
	touch(r->reason);
	touch(r->action);
	touch(r->witness);
	if (r->kind == HS_LOGC_NMETHOD &&
	    (r->entry < r->address || r->code_end < r->entry || r->code_end > r->address + r->size))
		__builtin_trap();
	if (r->method[0] &&
	    hs_name__from_log(r->method, strlen(r->method), key, sizeof(key)) == 0) {
		if (!strstr(key, "::") || key[strlen(key) - 1] != ')')
			__builtin_trap();
		touch(key);
	}
	c->digest = mix(c->digest, &r->kind, sizeof(r->kind));
	c->digest = mix(c->digest, &r->offset, sizeof(r->offset));
	c->digest = mix(c->digest, r->method, strlen(r->method));
	return ++c->calls == c->stop_at ? 11 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct ctx whole = { 0 }, chunked = { 0 };
	struct hs_logc_stats st, st2;
	struct hs_logc *l;
	size_t total = 0, off = 0, i = 0;

	if (hs_logc__parse(buf, size, on_rec, &whole, &st) != 0)
		__builtin_trap();
	for (int k = 1; k < HS_LOGC__COUNT; k++)
		total += st.records[k];
	if (total != whole.calls || st.xml.bytes != size || st.xml.bad > size ||
	    (st.xml.bad && !st.xml.first_bad_why[0]) ||
	    !memchr(st.xml.first_bad_why, '\0', sizeof(st.xml.first_bad_why)))
		__builtin_trap();
	l = hs_logc__new(on_rec, &chunked);
	if (!l)
		return 0;
	while (off < size) {
		size_t n = 1 + (size_t)(data[i++ % size] % 61);

		if (n > size - off)
			n = size - off;
		if (hs_logc__feed(l, buf + off, n) != 0)
			__builtin_trap();
		off += n;
	}
	hs_logc__finish(l, &st2);
	hs_logc__delete(l);
	if (chunked.calls != whole.calls || chunked.digest != whole.digest ||
	    memcmp(st.records, st2.records, sizeof(st.records)) || st.xml.bad != st2.xml.bad ||
	    st.xml.truncated != st2.xml.truncated)
		__builtin_trap();
	if (whole.calls) {
		struct ctx half = { .stop_at = (whole.calls + 1) / 2 };

		if (hs_logc__parse(buf, size, on_rec, &half, NULL) != 11 ||
		    half.calls != half.stop_at)
			__builtin_trap();
	}
	return 0;
}
