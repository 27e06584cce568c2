#include "out_file.h"
#include "../util/file.h"
#include "../util/log.h"
#include "../util/mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int out_file__open(struct out_file *o, const char *path)
{
	memset(o, 0, sizeof(*o));
	o->path = path;
	if (!strcmp(path, "-")) {
		o->f = stdout;
		return 0;
	}
	if (!*path) {
		pr_err("empty output file name");
		return -1;
	}
	if (tp_path_is_special(path)) {
		o->f = fopen(path, "w");
		if (!o->f) {
			pr_err("cannot write %s: %s", path, strerror(errno));
			return -1;
		}
		o->direct = 1;
		return 0;
	}
	o->tmp = tp_xasprintf("%s.tmp.%d", path, (int)getpid());
	o->f = fopen(o->tmp, "w");
	if (!o->f) {
		pr_err("cannot write %s: %s", path, strerror(errno));
		zfree(&o->tmp);
		return -1;
	}
	return 0;
}

int out_file__commit(struct out_file *o, int failed)
{
	int err = 0;

	if (!o->f)
		return -1;
	if (o->direct) {
		errno = 0;
		err = fclose(o->f) || failed;
		o->f = NULL;
		if (err)
			pr_err("writing %s failed: %s", o->path, strerror(errno ? errno : EIO));
		return err ? -1 : 0;
	}
	if (!o->tmp) {
		if (fflush(o->f) || failed) {
			pr_err("writing stdout failed: %s", strerror(errno ? errno : EIO));
			return -1;
		}
		return 0;
	}
	errno = 0;
	if (fclose(o->f) || failed)
		err = errno ? errno : EIO;
	o->f = NULL;
	if (!err && rename(o->tmp, o->path))
		err = errno;
	if (err) {
		pr_err("writing %s failed: %s", o->path, strerror(err));
		unlink(o->tmp);
	}
	zfree(&o->tmp);
	return err ? -1 : 0;
}
