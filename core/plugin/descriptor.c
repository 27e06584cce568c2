/* The ABI rules a plugin descriptor must meet before the host calls into it. */
#include "host.h"
#include "../util/err.h"
#include "../util/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define NAME_MAX_LEN 31 /* fits tp_classification.runtime, which defaults to it */
/* Far above any descriptor a future minor could grow to: a larger size means
 * the entry point did not return a descriptor at all. */
#define DESC_MAX_SIZE 65536

static const struct {
	uint64_t cap;
	const char *word;
	const char *cb; /* a callback the capability needs */
	size_t off;	/* of that callback in struct tp_plugin */
} caps[] = {
	{ TP_CAP_DETECT, "detect", "detect", offsetof(struct tp_plugin, detect) },
	{ TP_CAP_PREPARE_LAUNCH, "prepare_launch", "prepare_launch",
	  offsetof(struct tp_plugin, prepare_launch) },
	{ TP_CAP_COLLECT, "collect", "collect", offsetof(struct tp_plugin, collect) },
	{ TP_CAP_CLASSIFY, "classify", "classify", offsetof(struct tp_plugin, classify) },
	{ TP_CAP_INGEST, "ingest", "ingest", offsetof(struct tp_plugin, ingest) },
	{ TP_CAP_REFINE, "refine", "refine_key", offsetof(struct tp_plugin, refine_key) },
	{ TP_CAP_REFINE, "refine", "refine", offsetof(struct tp_plugin, refine) },
};

__attribute__((format(printf, 3, 4))) static int refuse(char *why, size_t whylen, const char *fmt,
							...)
{
	va_list ap;

	if (whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return TP_ERR_BAD_FORMAT;
}

/* Whether the callback at off is set; every callback pointer has one size. */
static int has_callback(const struct tp_plugin *p, size_t off)
{
	void (*fn)(void);

	memcpy(&fn, (const char *)p + off, sizeof(fn));
	return fn != NULL;
}

int plugin_descriptor__validate(const struct tp_plugin *p, char *why, size_t whylen)
{
	size_t len;

	if (whylen)
		why[0] = '\0';
	if (!p)
		return refuse(why, whylen, "the entry point returned NULL");
	/* size, abi_major and abi_minor head every version of the struct. */
	if (p->size < offsetof(struct tp_plugin, name))
		return refuse(why, whylen, "descriptor size %u is too small (ABI 1.0 needs %zu)",
			      p->size, TP_PLUGIN_SIZE_1_0);
	if (p->abi_major != TP_PLUGIN_ABI_MAJOR) {
		refuse(why, whylen, "built for plugin ABI %u.%u; this tierprof speaks ABI %d.%d",
		       p->abi_major, p->abi_minor, TP_PLUGIN_ABI_MAJOR, TP_PLUGIN_ABI_MINOR);
		return TP_ERR_BAD_VERSION;
	}
	if (p->size < TP_PLUGIN_SIZE_1_0)
		return refuse(why, whylen,
			      "descriptor size %u is smaller than ABI 1.0's %zu (built against a "
			      "modified header?)",
			      p->size, TP_PLUGIN_SIZE_1_0);
	if (p->size > DESC_MAX_SIZE)
		return refuse(why, whylen, "implausible descriptor size %u (not a descriptor?)",
			      p->size);

	if (!p->name)
		return refuse(why, whylen, "no name (name is NULL)");
	len = strnlen(p->name, NAME_MAX_LEN + 1);
	if (len == 0)
		return refuse(why, whylen, "empty name");
	if (len > NAME_MAX_LEN)
		return refuse(why, whylen, "name longer than %d characters", NAME_MAX_LEN);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p->name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return refuse(why, whylen,
				      "name '%.*s' has a character outside [a-z0-9_-] at %zu",
				      (int)len, p->name, i);
	}

	if (!p->init)
		return refuse(why, whylen, "no init callback (init is required)");
	for (size_t i = 0; i < TP_ARRAY_SIZE(caps); i++) {
		if (!(p->caps & caps[i].cap))
			continue;
		/* A callback past the descriptor's end is not there at all. */
		if (caps[i].off + sizeof(void (*)(void)) > p->size)
			return refuse(why, whylen,
				      "announces capability %s but its descriptor (size %u) ends "
				      "before %s",
				      caps[i].word, p->size, caps[i].cb);
		if (!has_callback(p, caps[i].off))
			return refuse(why, whylen, "announces capability %s but %s is NULL",
				      caps[i].word, caps[i].cb);
	}
	if ((p->caps & (TP_CAP_PREPARE_LAUNCH | TP_CAP_COLLECT)) && !(p->caps & TP_CAP_DETECT))
		return refuse(why, whylen,
			      "announces %s without detect (the host calls it only for processes "
			      "detect recognises)",
			      p->caps & TP_CAP_PREPARE_LAUNCH ? "prepare_launch" : "collect");
	return 0;
}

char *plugin_caps__str(uint64_t c, char *buf, size_t len)
{
	size_t n = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < TP_ARRAY_SIZE(caps); i++) {
		if (!(c & caps[i].cap))
			continue;
		c &= ~caps[i].cap;
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " " : "", caps[i].word);
		if (n >= len)
			return buf;
	}
	if (c)
		snprintf(buf + n, len - n, "%s0x%llx", n ? " " : "", (unsigned long long)c);
	return buf;
}
