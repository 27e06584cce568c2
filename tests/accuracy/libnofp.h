#ifndef TP_ACC_LIBNOFP_H
#define TP_ACC_LIBNOFP_H

#include <stdint.h>

typedef uint64_t (*nofp_cb)(uint64_t x);

/* units units of work in nofp_inner, called from nofp_outer */
uint64_t nofp_outer(uint64_t units, uint64_t x);
/* cb called units times */
uint64_t nofp_apply(nofp_cb cb, uint64_t units, uint64_t x);
uint64_t nofp_inner(uint64_t n, uint64_t x);

#endif
