/* forker: a process tree. The parent forks two children and then works in
 * parent_spin; child 1 works in child_spin; child 2 execs the ratio workload
 * (found next to this binary, or given as the first argument), or a /bin/sh
 * loop when that is missing. A profiler must follow fork and exec and keep
 * the three processes apart.
 *
 *   usage: forker [PATH-TO-RATIO]     (about 1 s of CPU per process)
 */
#include "work.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ONE_SECOND 600000000ull /* iterations: ~1 s */

volatile uint64_t tp_wl_sink;

__attribute__((noinline)) void child_spin(void);
__attribute__((noinline)) void parent_spin(void);

void child_spin(void)
{
	TP_WL_BURN(ONE_SECOND);
}

void parent_spin(void)
{
	TP_WL_BURN(ONE_SECOND);
}

static void exec_second_child(const char *ratio)
{
	char self[PATH_MAX], path[PATH_MAX + 16];
	ssize_t n;

	if (ratio) {
		snprintf(path, sizeof(path), "%s", ratio);
	} else {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		self[n > 0 ? n : 0] = '\0';
		if (strrchr(self, '/'))
			*strrchr(self, '/') = '\0';
		snprintf(path, sizeof(path), "%s/ratio", self);
	}
	execl(path, "ratio", "20", (char *)NULL);
	execl("/bin/sh", "sh", "-c", "i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done",
	      (char *)NULL);
	perror("forker: exec");
	_exit(127);
}

int main(int argc, char **argv)
{
	pid_t kids[2];
	int ok = 1;

	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		if (kids[k] < 0) {
			perror("fork");
			return 1;
		}
		if (kids[k] == 0) {
			if (k == 0) {
				child_spin();
				_exit(0);
			}
			exec_second_child(argc > 1 ? argv[1] : NULL);
		}
	}
	parent_spin();
	for (int k = 0; k < 2; k++) {
		int st;

		if (waitpid(kids[k], &st, 0) != kids[k] || !WIFEXITED(st) || WEXITSTATUS(st))
			ok = 0;
	}
	return ok ? 0 : 1;
}
