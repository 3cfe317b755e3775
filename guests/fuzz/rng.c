/*
 * The fuzzer's only source of randomness: splitmix64 from the seed on
 * its command line, so that a seed names a run and a failure replays.
 */

#include <stddef.h>
#include <stdint.h>

#include "fuzz.h"

static uint64_t	rng_state;

void
rng_seed(uint64_t seed)
{
	rng_state = seed;
}

uint64_t
rng_next(void)
{
	uint64_t z;

	z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* The bias of a plain modulo is far below what matters here. */
uint64_t
rng_below(uint64_t n)
{
	return n == 0 ? 0 : rng_next() % n;
}

int
rng_one_in(uint64_t n)
{
	return rng_below(n) == 0;
}

void
rng_fill(void *p, size_t n)
{
	uint8_t *b = p;
	uint64_t r = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i % 8 == 0)
			r = rng_next();
		b[i] = (uint8_t)r;
		r >>= 8;
	}
}

uint64_t
rng_pick(const uint64_t *v, size_t n)
{
	return v[rng_below(n)];
}
