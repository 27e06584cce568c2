/* Option-value parsing shared by the subcommands. */
#ifndef TP_CLI_ARGS_H
#define TP_CLI_ARGS_H

#include <stddef.h>
#include <stdint.h>

/* Append the ids of a comma-separated list ("12,40") to *out. Ids are decimal
 * and non-zero (no process or thread has id 0). Returns 0, or -1 after
 * printing which element is wrong. */
int cli_parse_id_list(const char *s, uint32_t **out, size_t *n);

#endif
