#include "json_util.h"
#include "../util/mem.h"

json_t *tp_json_str(const char *s)
{
	json_t *j;
	char *copy;

	if (!s)
		s = "";
	j = json_string(s);
	if (j)
		return j;
	copy = tp_xstrdup(s);
	for (char *c = copy; *c; c++) {
		if ((unsigned char)*c >= 0x80)
			*c = '?';
	}
	j = json_string(copy);
	free(copy);
	return j;
}

int tp_json_write(FILE *f, json_t *root)
{
	int err =
		json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));

	fputc('\n', f);
	json_decref(root);
	return err || ferror(f) ? -1 : 0;
}
