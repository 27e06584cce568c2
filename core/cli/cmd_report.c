#include "cli.h"
#include "../util/log.h"

int cmd_report(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	pr_err("report: not yet built");
	return TP_EXIT_ERROR;
}
