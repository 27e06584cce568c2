#include "log.h"

#include <stdio.h>

__attribute__((format(printf, 2, 0))) static void default_sink(enum tp_log_level level,
							       const char *fmt, va_list ap)
{
	static const char *const prefix[] = { "error: ", "warning: ", "", "debug: " };

	fputs("tierprof: ", stderr);
	fputs(prefix[level], stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static tp_log_fn sink = default_sink;
static enum tp_log_level max_level = TP_LOG_WARN;

void tp_log_set_sink(tp_log_fn fn)
{
	sink = fn ? fn : default_sink;
}

void tp_log_set_level(enum tp_log_level level)
{
	max_level = level;
}

enum tp_log_level tp_log_get_level(void)
{
	return max_level;
}

void tp_log(enum tp_log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level > max_level)
		return;
	va_start(ap, fmt);
	sink(level, fmt, ap);
	va_end(ap);
}
