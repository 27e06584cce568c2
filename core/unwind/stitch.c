#include "stitch.h"

#include <string.h>

size_t stitch__repair(uint64_t *chain, size_t n, size_t cap, const uint64_t *walked, size_t nw)
{
	size_t j = 1, ins;

	if (n == 0 || nw < 2 || walked[0] != chain[0])
		return n;
	if (n > 1) {
		while (j < nw && walked[j] != chain[1])
			j++;
	} else {
		j = nw;
	}
	ins = j - 1; /* walked[1..j) are missing from the chain */
	if (ins > cap - n)
		ins = cap - n;
	if (!ins)
		return n;
	memmove(&chain[1 + ins], &chain[1], (n - 1) * sizeof(*chain));
	memcpy(&chain[1], &walked[1], ins * sizeof(*chain));
	return n + ins;
}

size_t stitch__continue(uint64_t *walked, size_t nw, size_t cap, const uint64_t *chain, size_t n)
{
	uint64_t last;
	size_t want = 0, seen = 0, k;

	if (nw == 0)
		return nw;
	last = walked[nw - 1];
	for (size_t i = 0; i < nw; i++)
		want += walked[i] == last;
	for (k = 0; k < n; k++) {
		if (chain[k] == last && ++seen == want)
			break;
	}
	if (k >= n)
		return nw;
	for (k++; k < n && nw < cap; k++)
		walked[nw++] = chain[k];
	return nw;
}
