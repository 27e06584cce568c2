/* libnofp: a shared library built without frame pointers (-O2
 * -fomit-frame-pointer), as most distribution libraries are. Only its
 * .eh_frame CFI tells who called whom inside it. */
#include "acc_work.h"
#include "libnofp.h"

__attribute__((noinline)) uint64_t nofp_inner(uint64_t n, uint64_t x)
{
	for (uint64_t i = 0; i < n; i++)
		x = acc_mix(x, i);
	return x;
}

/* Not a leaf, yet frameless: the frame-pointer chain skips it too. */
__attribute__((noinline)) uint64_t nofp_outer(uint64_t units, uint64_t x)
{
	for (uint64_t u = 0; u < units; u++)
		x = nofp_inner(ACC_UNIT, x) + 1;
	return x;
}

__attribute__((noinline)) uint64_t nofp_apply(nofp_cb cb, uint64_t units, uint64_t x)
{
	for (uint64_t u = 0; u < units; u++)
		x = cb(x) + 1;
	return x;
}
