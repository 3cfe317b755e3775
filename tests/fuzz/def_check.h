/*
 * The round trip that both definition targets check: a definition that
 * was read (from XML or JSON) is written in both forms, each form read
 * back (the XML against schemas/domain.rng too) and written again, and
 * every writing must give the same text: no form loses or changes
 * anything, and neither writes what the readers refuse.
 */
#ifndef XM_FUZZ_DEF_CHECK_H
#define XM_FUZZ_DEF_CHECK_H

#include <stddef.h>

#include "domain_def.h"

/* Parse the fuzz input with parse, then check its round trip. */
void	def_fuzz_one(int (*parse)(struct xm_domain_def *, const char *,
	    size_t, char *, size_t), const char *text, size_t len);

#endif
