#include "args.h"
#include "../util/log.h"
#include "../util/mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int cli_parse_id_list(const char *s, uint32_t **out, size_t *n)
{
	char *copy = tp_xstrdup(s), *save = NULL;
	size_t cap = *n;
	size_t before = *n;

	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(tok, &end, 10);
		if (errno || *end || end == tok || tok[0] == '-' || v == 0 || v > UINT32_MAX) {
			pr_err("invalid id '%s' in '%s'", tok, s);
			free(copy);
			return -1;
		}
		TP_VEC_PUSH(*out, *n, cap, (uint32_t)v);
	}
	free(copy);
	if (*n == before) {
		pr_err("empty id list '%s'", s);
		return -1;
	}
	return 0;
}
