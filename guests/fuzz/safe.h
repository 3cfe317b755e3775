/*
 * Between safe.c (the rules) and safe_ops.c (the rules applied to each
 * hypercall and sub-operation).  depth is 0 for a top-level call, 1 for
 * an entry of a multicall, and so on.
 */

#ifndef _FUZZ_SAFE_H_
#define _FUZZ_SAFE_H_

#include <stddef.h>
#include <stdint.h>

#include "fuzz.h"

typedef void	safe_fn(struct fz_call *c, int depth);
typedef void	safe_elem_fn(void *entry, int depth, uint32_t *flags);

/* One row per hypercall number; NULL: only live pointers are diverted. */
extern safe_fn *const	safe_rows[XM_HYPERCALL_COUNT];

void		safe_args(struct fz_call *c, int depth);
void		safe_frame(uint64_t *mfn);
void		safe_entry(uint64_t *ptr, uint64_t *val);
void		safe_va_entry(uint64_t va, uint64_t *val);
uint64_t	safe_map_va(uint64_t va);
uint64_t	safe_out_addr(uint64_t p, size_t len, int depth);
void		safe_out(struct fz_call *c, int i, size_t len, int depth);
uint64_t	safe_async_addr(uint64_t p, size_t len);
void		*safe_in(struct fz_call *c, int i, size_t len, int depth);
void		safe_array(uint64_t *pp, uint64_t *pcount, uint64_t count,
		    size_t elem, safe_elem_fn *fn, int depth, uint32_t *flags);
uint64_t	safe_unreadable(void);
/* Its own frame, as far as hv knows (a harmless m2p update says so). */
int		safe_really_own(uint64_t mfn);
void		safe_scrub(void *p, size_t len);

#endif /* _FUZZ_SAFE_H_ */
