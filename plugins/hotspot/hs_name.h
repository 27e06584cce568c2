/* Java method names in the three spellings HotSpot writes, reduced to one
 * identity (FORMATS.md section 2):
 *
 *   perf map             int Workload.runHot(int, int)         (return type, '.')
 *   LogCompilation       Workload runHot (II)I                 (JVM descriptor)
 *   PrintCompilation     Workload::runHot                      (no signature)
 *
 * The key is "pkg.Class::method(T1, T2)" in Java source types (arrays as
 * "int[]", nested classes with '$'): what the perf map and the log both say
 * once the return type is dropped and the descriptor spelled out.
 * PrintCompilation names lack the parameter list; hs_name__short() gives the
 * "pkg.Class::method" prefix a full key shares with them.
 *
 * Pure functions over borrowed input; they write into caller buffers and
 * never allocate. async-signal-safe: yes. */
#ifndef TP_HOTSPOT_HS_NAME_H
#define TP_HOTSPOT_HS_NAME_H

#include <stddef.h>

/* A perf map NAME that is a compiled method ("RET pkg.Class.name(ARGS)")
 * -> key. 0, or -1 when the name is a code blob ("Interpreter",
 * "StubRoutines (1)", "I2C/C2I adapters") or the key does not fit. */
int hs_name__from_perfmap(const char *s, size_t n, char *key, size_t key_size);

/* A LogCompilation method attribute ("Class name (DESC)RET", attribute
 * entities already decoded) -> key. 0, or -1 when malformed or too long. */
int hs_name__from_log(const char *s, size_t n, char *key, size_t key_size);

/* Length of a key's "pkg.Class::method" part (up to its '('). */
size_t hs_name__short(const char *key, size_t n);

/* Our own names for code we add (ingest): "KEY [TAG]" where TAG is the
 * compiler and level ("C1 L3", "C2", "native wrapper") and " OSR" for
 * on-stack-replacement code. Parses such a name: *key_len, *level (0..4, -1
 * unknown) and *osr. 0, or -1 when the name is not in that form. */
int hs_name__parse_tagged(const char *s, size_t n, size_t *key_len, int *level, int *osr);

#endif
