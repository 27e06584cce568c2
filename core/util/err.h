/* Error codes: functions return 0 or a negative number, either -errno or one of
 * the project's own codes below, which start where errno cannot reach. */
#ifndef TP_UTIL_ERR_H
#define TP_UTIL_ERR_H

enum tp_err {
	TP_ERR__START = -10000,
	TP_ERR_BAD_MAGIC = TP_ERR__START, /* not a file of the expected kind */
	TP_ERR_BAD_VERSION,		  /* a version this build cannot read */
	TP_ERR_BAD_FORMAT,		  /* structurally invalid input */
	TP_ERR_TRUNCATED,		  /* input ends inside a record */
	TP_ERR_TOO_BIG,			  /* a size field exceeds a sane limit */
	TP_ERR_NO_SYMBOLS,		  /* an ELF file without symbol tables */
	TP_ERR_NOT_FOUND,		  /* a looked-up item does not exist */
	TP_ERR__END,
};

/* Message for a code from either range; never NULL, static storage. */
const char *tp_strerror(int err);

#endif
