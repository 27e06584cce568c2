/* One replaceable log sink for the whole core. Library code never writes to
 * stderr directly; the CLI installs the sink and sets the verbosity.
 * async-signal-safe: no. */
#ifndef TP_UTIL_LOG_H
#define TP_UTIL_LOG_H

#include <stdarg.h>

enum tp_log_level {
	TP_LOG_ERROR = 0,
	TP_LOG_WARN = 1,
	TP_LOG_INFO = 2,
	TP_LOG_DEBUG = 3,
};

typedef void (*tp_log_fn)(enum tp_log_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Replace the sink (NULL restores the default stderr sink). */
void tp_log_set_sink(tp_log_fn fn);
/* Messages above this level are dropped. Default: TP_LOG_WARN. */
void tp_log_set_level(enum tp_log_level level);
enum tp_log_level tp_log_get_level(void);

void tp_log(enum tp_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define pr_err(...) tp_log(TP_LOG_ERROR, __VA_ARGS__)
#define pr_warn(...) tp_log(TP_LOG_WARN, __VA_ARGS__)
#define pr_info(...) tp_log(TP_LOG_INFO, __VA_ARGS__)
#define pr_debug(...) tp_log(TP_LOG_DEBUG, __VA_ARGS__)

#endif
