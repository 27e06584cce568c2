#include "err.h"

#include <string.h>

const char *tp_strerror(int err)
{
	static const char *const msgs[] = {
		[TP_ERR_BAD_MAGIC - TP_ERR__START] = "bad magic number",
		[TP_ERR_BAD_VERSION - TP_ERR__START] = "unsupported format version",
		[TP_ERR_BAD_FORMAT - TP_ERR__START] = "malformed input",
		[TP_ERR_TRUNCATED - TP_ERR__START] = "truncated input",
		[TP_ERR_TOO_BIG - TP_ERR__START] = "size exceeds limit",
		[TP_ERR_NO_SYMBOLS - TP_ERR__START] = "no symbol table",
		[TP_ERR_NOT_FOUND - TP_ERR__START] = "not found",
	};

	if (err >= TP_ERR__START && err < TP_ERR__END)
		return msgs[err - TP_ERR__START];
	if (err < 0)
		err = -err;
	return strerror(err);
}
