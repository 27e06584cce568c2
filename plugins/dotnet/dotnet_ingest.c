/* Side files of a .NET process the core does not read itself: the
 * perfinfo-PID.map list of loaded images, kept per process so that classify
 * can name frames in ReadyToRun code by their image. */
#include "dotnet_state.h"
#include "dotnet_name.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct image_ctx {
	struct dotnet_state *s;
	uint32_t pid;
	int oom;
};

static void on_image(void *ctx, const struct dotnet_image *img)
{
	struct image_ctx *c = ctx;
	struct dotnet_state *s = c->s;
	char *path;

	for (size_t i = 0; i < s->nimages; i++) {
		if (s->images[i].pid == c->pid && strlen(s->images[i].path) == img->path_len &&
		    !memcmp(s->images[i].path, img->path, img->path_len))
			return;
	}
	if (s->nimages == s->images_cap) {
		size_t cap = s->images_cap ? 2 * s->images_cap : 16;
		struct dotnet_image_ref *v = realloc(s->images, cap * sizeof(*v));

		if (!v) {
			c->oom = 1;
			return;
		}
		s->images = v;
		s->images_cap = cap;
	}
	path = malloc(img->path_len + 1);
	if (!path) {
		c->oom = 1;
		return;
	}
	memcpy(path, img->path, img->path_len);
	path[img->path_len] = '\0';
	s->images[s->nimages++] = (struct dotnet_image_ref){ .pid = c->pid, .path = path };
}

int dotnet_ingest(void *state, const struct tp_side_file *file)
{
	struct dotnet_state *s = state;
	struct image_ctx c = { .s = s, .pid = file->pid };
	struct dotnet_perfinfo_stats st;

	if (!file->kind || strcmp(file->kind, DOTNET_PERFINFO_KIND))
		return 0;
	if (dotnet_perfinfo__parse((const char *)file->data, file->len, on_image, &c, &st)) {
		s->api->log(s->host, TP_PLOG_WARN,
			    "%s: not a .NET perfinfo file (no TYPE;...; lines)", file->name);
		return 0;
	}
	if (st.bad_lines)
		s->api->log(s->host, TP_PLOG_WARN,
			    "%s: %zu malformed lines skipped (first: line %zu)", file->name,
			    st.bad_lines, st.first_bad_line);
	return c.oom ? -ENOMEM : 0;
}
