#include "frame_label.h"
#include "../model/profile.h"
#include "../model/tier.h"
#include "../util/mem.h"

char *frame_label__function(const struct profile *p, uint32_t func)
{
	const struct function *fn = &p->funcs[func];

	if (fn->cause != UNKNOWN_NONE && fn->dso != PROFILE_NO_DSO)
		return tp_xasprintf("%s (%s)", profile__str(p, fn->name),
				    profile__func_dso(p, func));
	return tp_xstrdup(profile__str(p, fn->name));
}

const char *frame_label__tier(const struct profile *p, uint32_t frame)
{
	const struct frame *fr = &p->frames[frame];
	const char *sub = profile__str(p, fr->subtier);

	if (sub[0])
		return sub;
	switch (fr->tier) {
	case TP_TIER_INTERPRETER:
	case TP_TIER_BASELINE:
	case TP_TIER_OPTIMIZED:
	case TP_TIER_RUNTIME:
		return tier__name(fr->tier);
	default:
		return NULL;
	}
}

char *frame_label__with_tier(const struct profile *p, uint32_t frame)
{
	char *name = frame_label__function(p, p->frames[frame].func), *out;
	const char *tier = frame_label__tier(p, frame);

	if (!tier)
		return name;
	out = tp_xasprintf("%s [%s]", name, tier);
	free(name);
	return out;
}
