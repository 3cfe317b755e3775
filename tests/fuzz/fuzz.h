/*
 * What the libFuzzer targets share: a check that aborts (libFuzzer
 * counts an abort as a crash and keeps the input), and a small
 * deterministic PRNG, so that an input always takes the same path.
 */
#ifndef XM_FUZZ_H
#define XM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(e) do {						\
	if (!(e)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #e);					\
		abort();						\
	}								\
} while (0)

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* FNV-1a: a seed that depends on every byte of the input. */
static inline uint64_t
fuzz_hash(const uint8_t *p, size_t n)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	while (n-- > 0)
		h = (h ^ *p++) * UINT64_C(0x100000001b3);
	return h;
}

/* xorshift64; *s must not be 0. */
static inline uint64_t
fuzz_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

#endif
