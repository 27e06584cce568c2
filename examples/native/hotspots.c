/* hotspots: a small batch job with three hot functions of clearly different
 * cost, the demo program of the README:
 *
 *   parse_records   ~60 % of the CPU time   text -> struct record
 *   checksum        ~30 %                   CRC-32 over the parsed records
 *   format_output   ~10 %                   struct record -> text
 *
 * It builds a buffer of CSV lines ("id,name,amount\n"), then runs BATCHES
 * (default 300, about 3 s) rounds of parse, checksum and format over it. The
 * hot loops call no library functions, so their samples land on these three
 * names, and their shares hold on any x86-64 or arm64 machine to within a few
 * points.
 *
 *   usage: hotspots [BATCHES]
 *   try:   tierprof record -- ./hotspots && tierprof report
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NRECORDS 20000
#define NAME_MAX_LEN 15
/* Passes per batch, tuned so the three functions take 60/30/10 of the time. */
#define PARSE_PASSES 14
#define CHECKSUM_PASSES 1
#define FORMAT_PASSES 3

struct record {
	uint64_t id;
	int64_t amount_cents;
	char name[NAME_MAX_LEN + 1];
};

__attribute__((noinline)) size_t parse_records(const char *text, size_t len, struct record *out,
					       size_t max);
__attribute__((noinline)) uint32_t checksum(const struct record *recs, size_t n);
__attribute__((noinline)) size_t format_output(const struct record *recs, size_t n, char *out,
					       size_t cap);

/* Parse "id,name,amount\n" lines; amount has two decimals ("-12.34"). */
size_t parse_records(const char *text, size_t len, struct record *out, size_t max)
{
	const char *p = text, *end = text + len;
	size_t n = 0;

	while (p < end && n < max) {
		struct record *r = &out[n];
		size_t k = 0;
		int neg = 0;

		r->id = 0;
		while (p < end && *p >= '0' && *p <= '9')
			r->id = r->id * 10 + (uint64_t)(*p++ - '0');
		if (p < end && *p == ',')
			p++;
		while (p < end && *p != ',' && k < NAME_MAX_LEN)
			r->name[k++] = *p++;
		r->name[k] = '\0';
		while (p < end && *p != ',')
			p++;
		if (p < end)
			p++;
		if (p < end && *p == '-') {
			neg = 1;
			p++;
		}
		r->amount_cents = 0;
		while (p < end && ((*p >= '0' && *p <= '9') || *p == '.')) {
			if (*p != '.')
				r->amount_cents = r->amount_cents * 10 + (*p - '0');
			p++;
		}
		if (neg)
			r->amount_cents = -r->amount_cents;
		while (p < end && *p != '\n')
			p++;
		p++;
		n++;
	}
	return n;
}

/* Bitwise CRC-32 (IEEE) of the records' numeric fields. */
uint32_t checksum(const struct record *recs, size_t n)
{
	uint32_t crc = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		uint64_t words[2] = { recs[i].id, (uint64_t)recs[i].amount_cents };
		const unsigned char *b = (const unsigned char *)words;

		for (size_t j = 0; j < sizeof(words); j++) {
			crc ^= b[j];
			for (int bit = 0; bit < 8; bit++)
				crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
		}
	}
	return ~crc;
}

/* Write "name: amount\n" lines, the report the batch job produces. */
size_t format_output(const struct record *recs, size_t n, char *out, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 64 < cap; i++) {
		char digits[24];
		int64_t a = recs[i].amount_cents;
		uint64_t u = a < 0 ? (uint64_t)-a : (uint64_t)a;
		int d = 0;

		for (const char *s = recs[i].name; *s; s++)
			out[o++] = *s;
		out[o++] = ':';
		out[o++] = ' ';
		if (a < 0)
			out[o++] = '-';
		do {
			digits[d++] = (char)('0' + u % 10);
			u /= 10;
			if (d == 2)
				digits[d++] = '.';
		} while (u || d <= 3);
		while (d)
			out[o++] = digits[--d];
		out[o++] = '\n';
	}
	return o;
}

static char *make_input(size_t *len)
{
	static const char *const names[] = { "alice", "bob",   "carol", "dave", "erin",
					     "frank", "grace", "heidi", "ivan", "judy" };
	size_t cap = (size_t)NRECORDS * 48, n = 0;
	char *buf = malloc(cap);
	uint32_t seed = 12345;

	if (!buf)
		return NULL;
	for (int i = 0; i < NRECORDS; i++) {
		seed = seed * 1103515245u + 12345u;
		n += (size_t)snprintf(buf + n, cap - n, "%d,%s,%s%u.%02u\n", 100000 + i,
				      names[seed % 10], (seed >> 8) % 4 ? "" : "-",
				      (seed >> 12) % 100000, (seed >> 4) % 100);
	}
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	long batches = argc > 1 ? strtol(argv[1], NULL, 10) : 300;
	struct record *recs = calloc(NRECORDS, sizeof(*recs));
	size_t len = 0, nrec = 0, outlen = 0, outcap = (size_t)NRECORDS * 64;
	char *text = make_input(&len), *out = malloc(outcap);
	uint32_t crc = 0;

	if (batches <= 0) {
		fprintf(stderr, "usage: hotspots [BATCHES]\n");
		return 2;
	}
	if (!recs || !text || !out) {
		perror("hotspots");
		return 1;
	}
	for (long b = 0; b < batches; b++) {
		for (int i = 0; i < PARSE_PASSES; i++)
			nrec = parse_records(text, len, recs, NRECORDS);
		for (int i = 0; i < CHECKSUM_PASSES; i++)
			crc = checksum(recs, nrec);
		for (int i = 0; i < FORMAT_PASSES; i++)
			outlen = format_output(recs, nrec, out, outcap);
	}
	printf("%zu records, crc %08x, %zu bytes of output per batch\n", nrec, crc, outlen);
	free(out);
	free(text);
	free(recs);
	return 0;
}
