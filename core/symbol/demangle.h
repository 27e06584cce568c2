/* C++ (Itanium ABI) and Rust legacy symbol demangling for display. */
#ifndef TP_SYMBOL_DEMANGLE_H
#define TP_SYMBOL_DEMANGLE_H

/* A malloc'd demangled copy of name, or NULL when it is not mangled or does
 * not demangle. Symbol versions ("@@GLIBC_2.2.5") are kept as a suffix. */
char *tp_demangle(const char *name);

#endif
