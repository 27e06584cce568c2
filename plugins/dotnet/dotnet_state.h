/* State shared by the .NET plugin's callbacks (dotnet_plugin.c: lifecycle,
 * detect, launch, collect; dotnet_classify.c; dotnet_ingest.c). */
#ifndef TP_DOTNET_STATE_H
#define TP_DOTNET_STATE_H

#include <tierprof/plugin.h>

#define DOTNET_RUNTIME "dotnet"
#define DOTNET_PERFINFO_KIND "dotnet-perfinfo" /* perfinfo-PID.map: loaded images */

/* An assembly image a process loaded (perfinfo-PID.map): its code that is
 * not in a perf map or jitdump is ReadyToRun code run from the mapped file. */
struct dotnet_image_ref {
	uint32_t pid;
	char *path;
};

struct dotnet_state {
	const struct tp_host_api *api;
	void *host;
	struct dotnet_image_ref *images;
	size_t nimages, images_cap;
};

/* A process (or command) that is a .NET host: "dotnet", or what the host
 * renamed its thread to. */
int dotnet_is_comm(const char *comm);

int dotnet_classify(void *state, const struct tp_frame_info *frame, struct tp_classification *out);
int dotnet_ingest(void *state, const struct tp_side_file *file);

#endif
