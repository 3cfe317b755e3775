/*
 * The driver of figure P1: see cpubench.h.
 */

#include <stdint.h>

#include <klib/parse.h>

#include "cpubench.h"
#include "work.h"

static uint8_t	cpubench_buf[WORK_BUF_SIZE] __attribute__((__aligned__(64)));

static uint64_t
cpubench_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a" (lo), "=d" (hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* KEY=N from cmdline, def without one or when N is not a number. */
static uint64_t
cpubench_arg(const char *cmdline, const char *key, uint64_t def)
{
	char val[24];
	uint64_t n;

	if (cmdline == NULL ||
	    !kcmdline_get(cmdline, key, val, sizeof(val)) ||
	    kstrtou64(val, NULL, 0, &n) < 0 || n == 0)
		return def;
	return n;
}

void
cpubench_main(const char *cmdline, const struct cpubench_env *env)
{
	uint64_t passes, reps, r, t0, n0, t1, n1, h;

	passes = cpubench_arg(cmdline, "passes", CPUBENCH_PASSES);
	reps = cpubench_arg(cmdline, "reps", CPUBENCH_REPS);
	env->print("cpubench: start passes %lu reps %lu\n", passes, reps);
	work_fill(cpubench_buf, cpubench_arg(cmdline, "seed", 1));
	for (r = 0; r < reps; r++) {
		n0 = env->now_ns();
		t0 = cpubench_rdtsc();
		h = work_run(cpubench_buf, passes);
		t1 = cpubench_rdtsc();
		n1 = env->now_ns();
		env->print("cpubench: rep %lu passes %lu bytes %lu tsc %lu "
		    "ns %lu hash %#lx at %lu\n", r, passes,
		    passes * (uint64_t)WORK_BUF_SIZE, t1 - t0, n1 - n0, h, n1);
	}
	env->print("cpubench: done\n");
}
