/* Text escaping for the interchange writers. Symbol names are bytes, not
 * always UTF-8, while XML, JSON and proto3 strings must be valid UTF-8: every
 * writer here repairs them the same way (each invalid byte becomes U+FFFD),
 * so a name reads the same in the SVG, in speedscope and in pprof.
 * async-signal-safe: no. */
#ifndef TP_OUTPUT_ESCAPE_H
#define TP_OUTPUT_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* Length of the valid UTF-8 sequence at s (n bytes left, n > 0), or 0 when the
 * byte at s starts no valid sequence (overlong, surrogate, > U+10FFFF, cut). */
size_t utf8__seq_len(const unsigned char *s, size_t n);
/* s with every invalid byte replaced by U+FFFD, in a new string the caller
 * frees; NULL (and nothing allocated) when s is valid already. */
char *utf8__repair(const char *s);

/* Write s as XML character data or an attribute value: & < > " ' escaped,
 * control characters dropped except newline, which stays as is when
 * keep_newline (a <title> tooltip line break) and becomes a space otherwise. */
void escape__xml(FILE *f, const char *s, int keep_newline);
/* Write s as the inside of a JSON string (no quotes). */
void escape__json(FILE *f, const char *s);

#endif
