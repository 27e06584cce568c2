/* libFuzzer target for the plugin descriptor validator. The input is a
 * descriptor as a bad plugin could hand one over:
 *   [0..4)   size (LE)          [4..6) abi_major   [6..8) abi_minor
 *   [8..16)  caps (LE)          [16]   callbacks present: init fini detect
 *            prepare_launch collect classify ingest (bits 0..6)
 *   [17]     strings present: name version description (bits 0..2);
 *            callbacks present: refine_key refine (bits 3..4, ABI 1.3)
 *   [18]     length of the reason buffer
 *   [19..)   name, version, description: NUL-separated
 * The descriptor is allocated exactly as large as its size claims (so ASan
 * sees a read past it) and checked against a reference of the ABI rules. */
#include "plugin/host.h"
#include "util/err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void dummy(void)
{
}

static const size_t cb_off[] = {
	offsetof(struct tp_plugin, init),    offsetof(struct tp_plugin, fini),
	offsetof(struct tp_plugin, detect),  offsetof(struct tp_plugin, prepare_launch),
	offsetof(struct tp_plugin, collect), offsetof(struct tp_plugin, classify),
	offsetof(struct tp_plugin, ingest),
};

static uint64_t le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

/* The ABI rules, written again independently of the validator. */
static int reference_ok(const struct tp_plugin *d, uint8_t cbs, uint8_t strs)
{
	static const uint64_t cap_cb[][2] = {
		{ TP_CAP_DETECT, 1u << 2 },  { TP_CAP_PREPARE_LAUNCH, 1u << 3 },
		{ TP_CAP_COLLECT, 1u << 4 }, { TP_CAP_CLASSIFY, 1u << 5 },
		{ TP_CAP_INGEST, 1u << 6 },
	};
	size_t len;

	if (d->size < TP_PLUGIN_SIZE_1_0 || d->size > 65536 || d->abi_major != TP_PLUGIN_ABI_MAJOR)
		return 0;
	if (!d->name || !(len = strlen(d->name)) || len > 31 ||
	    strspn(d->name, "abcdefghijklmnopqrstuvwxyz0123456789_-") != len)
		return 0;
	if (!(cbs & 1))
		return 0;
	for (size_t i = 0; i < sizeof(cap_cb) / sizeof(cap_cb[0]); i++) {
		if ((d->caps & cap_cb[i][0]) && !(cbs & cap_cb[i][1]))
			return 0;
	}
	/* ABI 1.3: refine needs both callbacks, inside the descriptor. */
	if ((d->caps & TP_CAP_REFINE) &&
	    (d->size < offsetof(struct tp_plugin, refine) + sizeof(d->refine) ||
	     (strs & 0x18) != 0x18))
		return 0;
	return !(d->caps & (TP_CAP_PREPARE_LAUNCH | TP_CAP_COLLECT)) || (d->caps & TP_CAP_DETECT);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tp_plugin full;
	const char *str[3] = { NULL, NULL, NULL };
	char *text, *why, *s;
	uint8_t cbs, strs, whylen;
	size_t alloc;
	void *mem;
	int ret;

	if (size < 19)
		return 0;
	memset(&full, 0, sizeof(full));
	full.size = (uint32_t)le(data, 4);
	full.abi_major = (uint16_t)le(data + 4, 2);
	full.abi_minor = (uint16_t)le(data + 6, 2);
	full.caps = le(data + 8, 8);
	cbs = data[16];
	strs = data[17];
	whylen = data[18];

	text = malloc(size - 19 + 1);
	memcpy(text, data + 19, size - 19);
	text[size - 19] = '\0';
	s = text;
	for (int i = 0; i < 3; i++) {
		if (strs & (1u << i))
			str[i] = s;
		if (s < text + (size - 19))
			s += strlen(s) + 1;
	}
	full.name = str[0];
	full.version = str[1];
	full.description = str[2];
	for (size_t i = 0; i < sizeof(cb_off) / sizeof(cb_off[0]); i++) {
		void (*fn)(void) = (cbs & (1u << i)) ? dummy : NULL;

		memcpy((char *)&full + cb_off[i], &fn, sizeof(fn));
	}
	if (strs & 0x08)
		full.refine_key = (int (*)(void *, const struct tp_frame_info *,
					   const struct tp_frame_ctx *, uint64_t *))dummy;
	if (strs & 0x10)
		full.refine = (int (*)(void *, const struct tp_frame_info *, uint64_t,
				       struct tp_classification *))dummy;

	/* As large as the size field says (bounded), but always holding it. */
	alloc = full.size < 4 ? 4 : full.size > sizeof(full) + 64 ? sizeof(full) + 64 : full.size;
	mem = calloc(1, alloc);
	memcpy(mem, &full, alloc < sizeof(full) ? alloc : sizeof(full));
	why = whylen ? malloc(whylen) : NULL;

	ret = plugin_descriptor__validate(mem, why, whylen);
	if (ret != 0 && ret != TP_ERR_BAD_FORMAT && ret != TP_ERR_BAD_VERSION)
		abort();
	if (whylen) {
		if (strnlen(why, whylen) == whylen)
			abort(); /* unterminated reason */
		if ((ret == 0) != (why[0] == '\0') && whylen > 1)
			abort(); /* a refusal says why; an acceptance says nothing */
	}
	if ((ret == TP_ERR_BAD_VERSION) != (full.size >= offsetof(struct tp_plugin, name) &&
					    full.abi_major != TP_PLUGIN_ABI_MAJOR))
		abort();
	if ((ret == 0) != reference_ok(&full, cbs, strs))
		abort();

	free(why);
	free(mem);
	free(text);
	return 0;
}
