/*
 * The CPU-bound workload of figure P1, one C file built into both the
 * bare kernel (bench/native) and the PV domain (guests/cpubench), so
 * that the same instructions are timed natively and on hv.
 *
 * One unit of work is one pass of a 64-bit mixing hash over a fixed
 * buffer of WORK_BUF_SIZE bytes.  The function touches nothing but its
 * arguments: no globals, no tables, so its code does not depend on
 * where or how (code model) it is linked.
 */

#ifndef XM_BENCH_WORK_H
#define XM_BENCH_WORK_H

#include <stddef.h>
#include <stdint.h>

#define WORK_BUF_SIZE	(64 * 1024)

/* Fill buf (WORK_BUF_SIZE bytes) from seed, the same way everywhere. */
void		work_fill(uint8_t *buf, uint64_t seed);
/* passes hashes of buf; the result depends on every byte and pass. */
uint64_t	work_run(const uint8_t *buf, uint64_t passes);

#endif /* XM_BENCH_WORK_H */
