/* A streaming reader of the XML subset HotSpot's LogCompilation writes
 * (FORMATS.md section 2.3): elements with attributes, text, <?xml?>,
 * comments, CDATA and DOCTYPE skipped. Logs grow by megabytes a second, so
 * nothing is kept but the markup being read: the input arrives in chunks of
 * any size (hs_xml__feed), one element's markup may span chunks, and each
 * start or end tag goes to a callback as soon as it is complete. Attribute
 * values are handed over decoded (&apos; &quot; &lt; &gt; &amp; &#N; &#xN;).
 *
 * Not a validator: end tags are not matched against start tags (the caller
 * tracks the nesting it cares about). Damaged markup (a '<' not followed by
 * a name, an attribute without '=' or quotes, an unknown entity) is counted
 * with the byte offset of the first case, and the reader resumes after the
 * next '>'. A log cut mid-element (the VM killed) leaves an unfinished
 * element at the end: hs_xml__finish reports it as truncated, not as damage.
 *
 * Ownership: hs_xml__new's result is the caller's (hs_xml__delete). Names and
 * values handed to callbacks live until the callback returns.
 * async-signal-safe: no. */
#ifndef TP_HOTSPOT_HS_XML_H
#define TP_HOTSPOT_HS_XML_H

#include <stddef.h>
#include <stdint.h>

/* Longest markup of one element (start tag with its attributes); longer is
 * damage. HotSpot's longest are <nmethod> and <dependency_failed> lines. */
#define HS_XML_MAX_MARKUP (256u * 1024)
#define HS_XML_MAX_ATTRS 64

struct hs_xml_attr {
	const char *name, *value;
	size_t name_len, value_len;
};

struct hs_xml_callbacks {
	/* A start tag; empty: it was "<name .../>" (no end tag follows). */
	int (*start)(void *ctx, const char *name, size_t name_len, const struct hs_xml_attr *attrs,
		     size_t nattrs, int empty);
	int (*end)(void *ctx, const char *name, size_t name_len);
};

struct hs_xml_stats {
	uint64_t bytes;	 /* fed so far */
	size_t elements; /* start tags handed over */
	size_t bad;	 /* damaged markup skipped */
	uint64_t first_bad_offset;
	char first_bad_why[64];
	int truncated; /* finish: the input ended inside markup */
};

struct hs_xml;

/* NULL on out of memory. cb may be NULL (count only). */
struct hs_xml *hs_xml__new(const struct hs_xml_callbacks *cb, void *ctx);
/* Read a chunk. 0, a callback's non-zero value (reading stops; later calls
 * return it again), or -ENOMEM. */
int hs_xml__feed(struct hs_xml *x, const char *buf, size_t len);
/* End of input: fills stats. */
void hs_xml__finish(struct hs_xml *x, struct hs_xml_stats *stats);
void hs_xml__delete(struct hs_xml *x); /* NULL-safe */

/* Input offset of the '<' of the element being handed to a callback. */
uint64_t hs_xml__offset(const struct hs_xml *x);

/* The value of attribute name, or NULL. */
const struct hs_xml_attr *hs_xml__attr(const struct hs_xml_attr *attrs, size_t n, const char *name);

#endif
