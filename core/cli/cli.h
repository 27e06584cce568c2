/* Subcommands. Each returns the process exit code: 0 ok, 1 check failed,
 * 2 usage or input error (record passes on the command's own exit code). */
#ifndef TP_CLI_CLI_H
#define TP_CLI_CLI_H

#define TP_EXIT_OK 0
#define TP_EXIT_FAIL 1
#define TP_EXIT_ERROR 2

int cmd_record(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_flame(int argc, char **argv);
int cmd_deopts(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_plugins(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_health(int argc, char **argv);
int cmd_stack_usage(int argc, char **argv);

#endif
