/* Parser of HotSpot's PrintCompilation lines (FORMATS.md section 2.1), in the
 * three spellings HotSpot writes them:
 *
 *   stdout, JDK 17     "     44  111 %     3       Workload::runHot @ 2 (21 bytes)"
 *   stdout, JDK 25     "16    2       3       java.lang.Byte::toUnsignedInt (6 bytes)"
 *                      and "made not entrant: <why>" at the end
 *   -Xlog:jit+compilation=debug with decorations
 *                      "[4852868280731ns][28061554ns][32516]    1       3       java..."
 *
 *   line  := [DECOR...] [TS SP+] ID SP FLAGS SP LEVEL SP+ METHOD [" @ " BCI]
 *            " (" (N " bytes" | "native") ")" [SP+ MSG]
 *   FLAGS := 5 chars [%| ][s| ][!| ][b| ][n| ]  (OSR, synchronized, exception
 *            handler, blocking, native); LEVEL := 0-4 or '-' (' ' untiered)
 *
 * TS (ms since VM start) is told from ID by the fixed flag columns after
 * ID. Decorations are bracket groups; "[<n>ns]" groups are, in the order
 * unified logging prints them, timenanos (CLOCK_MONOTONIC) then uptimenanos
 * (since VM start); "[<s.ms>s]" is uptime. Lines of any other shape (the
 * program's own output on stdout, PrintInlining lines) are counted and
 * skipped: they are not errors.
 *
 * The parser keeps no state between calls, does no I/O and allocates
 * nothing. async-signal-safe: yes. */
#ifndef TP_HOTSPOT_HS_PRINTCOMP_H
#define TP_HOTSPOT_HS_PRINTCOMP_H

#include <stddef.h>
#include <stdint.h>

#define HS_PC_OSR (1u << 0)
#define HS_PC_SYNCHRONIZED (1u << 1)
#define HS_PC_EXCEPTION_HANDLER (1u << 2)
#define HS_PC_BLOCKING (1u << 3)
#define HS_PC_NATIVE (1u << 4)

enum hs_pc_msg {
	HS_PC_MSG_NONE = 0,    /* a compilation (task printed when it starts or ends) */
	HS_PC_MSG_NOT_ENTRANT, /* "made not entrant[: why]" */
	HS_PC_MSG_ZOMBIE,      /* "made zombie" */
	HS_PC_MSG_SKIPPED,     /* "COMPILE SKIPPED: why" */
	HS_PC_MSG_OTHER,       /* any other trailing text */
};

struct hs_pc_line {
	uint64_t uptime_ns; /* since VM start; from TS (ms) or a decoration */
	uint64_t mono_ns;   /* timenanos decoration; 0 when absent */
	int has_uptime;
	uint32_t compile_id;
	uint32_t flags;	    /* HS_PC_* */
	int level;	    /* 0..4, -1 for '-' or none */
	const char *method; /* "pkg.Class::name" */
	size_t method_len;
	int64_t osr_bci; /* -1 unless OSR */
	int64_t bytes;	 /* -1 for native */
	enum hs_pc_msg msg;
	const char
		*why; /* text after "made not entrant: ", "COMPILE SKIPPED: ", or the whole MSG */
	size_t why_len;
	unsigned line_no;
};

struct hs_pc_stats {
	size_t lines;	    /* every line */
	size_t compiles;    /* lines with MSG_NONE */
	size_t not_entrant; /* MSG_NOT_ENTRANT */
	size_t skipped;	    /* MSG_SKIPPED */
	size_t other_msgs;  /* MSG_ZOMBIE + MSG_OTHER */
	size_t other_lines; /* not PrintCompilation lines */
	int truncated;	    /* the last line has no newline */
};

/* One line (without its newline) -> *out. 0, or -1 when it is not a
 * PrintCompilation line. */
int hs_pc__parse_line(const char *line, size_t len, struct hs_pc_line *out);

/* Every line of buf; cb gets each PrintCompilation line (line_no from 1) and
 * stops the walk by returning non-zero, which is returned. stats may be NULL;
 * cb may be NULL (just count). Returns 0, or cb's value. */
typedef int (*hs_pc_fn)(void *ctx, const struct hs_pc_line *l);
int hs_pc__parse(const char *buf, size_t len, hs_pc_fn cb, void *ctx, struct hs_pc_stats *stats);

#endif
