/* An output file written whole or not at all: the data goes to PATH.tmp.PID,
 * renamed over PATH once written and closed without error; on any error the
 * temporary is removed, so a failed run never leaves half a report (a CI job
 * may publish whatever file exists). "-" is stdout; a device or FIFO
 * (/dev/null) is written in place. */
#ifndef TP_CLI_OUT_FILE_H
#define TP_CLI_OUT_FILE_H

#include <stdio.h>

struct out_file {
	const char *path;
	char *tmp;
	FILE *f;
	int direct; /* not a regular file: written in place */
};

/* Returns 0, or -1 after printing "cannot write PATH: why". */
int out_file__open(struct out_file *o, const char *path);
/* Finish: failed says the writer failed. Returns 0 when the file is in
 * place, or -1 after printing why (nothing left behind). */
int out_file__commit(struct out_file *o, int failed);

#endif
