/*
 * The workload of figure P1: see work.h.  The hash is a multiply-xorshift
 * mix over 64-bit words (integer only: the kernels have no SSE), chained
 * from pass to pass so that no pass can be skipped or hoisted.
 */

#include <stddef.h>
#include <stdint.h>

#include "work.h"

#define WORK_MUL	UINT64_C(0x9e3779b97f4a7c15)

static inline uint64_t
work_mix(uint64_t h, uint64_t w)
{
	h ^= w;
	h *= WORK_MUL;
	h ^= h >> 29;
	return h;
}

void
work_fill(uint8_t *buf, uint64_t seed)
{
	uint64_t x = seed | 1;
	size_t i;

	for (i = 0; i < WORK_BUF_SIZE; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = (uint8_t)x;
	}
}

uint64_t
work_run(const uint8_t *buf, uint64_t passes)
{
	const volatile uint64_t *w = (const volatile uint64_t *)buf;
	uint64_t h = 0, p;
	size_t i;

	for (p = 0; p < passes; p++) {
		h = work_mix(h, p);
		for (i = 0; i < WORK_BUF_SIZE / sizeof(uint64_t); i++)
			h = work_mix(h, w[i]);
	}
	return h;
}
