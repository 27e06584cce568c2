/* zlib_calls: the hot path inside Debian's zlib (built without frame
 * pointers): compress_one compresses a buffer once per round, compress_three
 * the same buffer three times. The time is in deflate's internals (static
 * functions a stripped libz names only by the nearest export). True inclusive
 * shares: compress_one 1/4, compress_three 3/4, compress2 nearly all.
 *
 *   usage: zlib_calls [ROUNDS]   (default 150, about 2 s)
 */
#include "acc_work.h"

#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

#define INPUT_BYTES (64 * 1024)

volatile uint64_t acc_sink;

static unsigned char input[INPUT_BYTES];
static unsigned char output[INPUT_BYTES + INPUT_BYTES / 100 + 64];

/* Words from a small vocabulary: text-like, neither random nor trivial. */
static void make_input(void)
{
	static const char *const words[] = { "frame ",	"pointer ", "unwind ",	"stack ",
					     "caller ", "sample ",  "profile ", "leaf " };
	uint64_t x = 1;
	size_t i = 0;

	while (i < INPUT_BYTES) {
		const char *w = words[(x = acc_mix(x, i)) >> 61];

		while (*w && i < INPUT_BYTES)
			input[i++] = (unsigned char)*w++;
	}
}

static void compress_once(void)
{
	uLongf len = sizeof(output);

	if (compress2(output, &len, input, INPUT_BYTES, 6) != Z_OK)
		abort();
	acc_sink ^= len;
}

__attribute__((noinline)) void compress_one(void)
{
	compress_once();
}

__attribute__((noinline)) void compress_three(void)
{
	for (int k = 0; k < 3; k++)
		compress_once();
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 150;

	if (rounds <= 0) {
		fprintf(stderr, "usage: zlib_calls [ROUNDS]\n");
		return 2;
	}
	make_input();
	for (long r = 0; r < rounds; r++) {
		compress_one();
		compress_three();
	}
	return 0;
}
