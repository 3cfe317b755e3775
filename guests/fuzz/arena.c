/*
 * Argument memory for one call.  Structured arguments are allocated in
 * the arena, afresh for each top-level call, so that what one entry of
 * a multicall points to never overlaps another's; some blocks are taken
 * from the arena's top, so that an overlong count runs into the guard
 * page after it.  The junk area holds random bytes for pointers that
 * point anywhere, and the sink takes hv's writes that safe.c diverts.
 */

#include <stddef.h>
#include <stdint.h>

#include <guest/mm.h>

#include "fuzz.h"

#define MAX_BLOCKS	256

static size_t	arena_lo, arena_hi;
static struct block {
	size_t	off;
	size_t	len;
}		blocks[MAX_BLOCKS];
static unsigned int nblocks;

void
arena_reset(void)
{
	arena_lo = 0;
	arena_hi = fz.arena_size;
	nblocks = 0;
}

void *
arena_alloc(size_t n)
{
	struct block *b = &blocks[nblocks];

	n = (n + 7) & ~(size_t)7;
	if (n == 0 || n > arena_hi - arena_lo || nblocks == MAX_BLOCKS)
		return NULL;
	nblocks++;
	b->len = n;
	if (rng_one_in(16)) {
		arena_hi -= n;
		b->off = arena_hi;
	} else {
		b->off = arena_lo;
		arena_lo += n;
	}
	return fz.arena + b->off;
}

/*
 * The end of the block p is in, and whether the arena's end (and its
 * guard page) comes right after it.
 */
int
arena_block(uint64_t p, uint64_t *end, int *tail)
{
	uint64_t off = p - (uint64_t)fz.arena;
	unsigned int i;

	for (i = 0; i < nblocks; i++) {
		if (off - blocks[i].off >= blocks[i].len)
			continue;
		*end = (uint64_t)fz.arena + blocks[i].off + blocks[i].len;
		*tail = blocks[i].off + blocks[i].len == fz.arena_size;
		return 1;
	}
	return 0;
}

uint64_t
arena_or_bad(void *a)
{
	if (a == NULL || rng_one_in(24))
		return gen_bad_ptr();
	return (uint64_t)a;
}

/* Anywhere in the area, now and then running past its end. */
static uint64_t
area_ptr(const uint8_t *base, size_t size, size_t len)
{
	if (len >= size)
		return (uint64_t)base;
	if (rng_one_in(16))
		return (uint64_t)base + size - rng_below(len + 1);
	return (uint64_t)base + rng_below(size - len);
}

uint64_t
junk_ptr(size_t len)
{
	return area_ptr(fz.junk, fz.junk_size, len);
}

uint64_t
sink_ptr(size_t len)
{
	return area_ptr(fz.sink, fz.sink_size, len);
}
