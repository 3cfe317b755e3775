/*
 * The driver of figure P1, shared by the bare kernel (bench/native) and
 * the PV domain (guests/cpubench): reads passes=N reps=N seed=N from the
 * kernel's command line, runs the workload (work.h) reps times and
 * prints one line per repetition, which bench/p1_cpu.sh reads:
 *
 *	cpubench: start passes P reps R
 *	cpubench: rep I passes P bytes B tsc T ns N hash H
 *	cpubench: done
 *
 * T is the TSC cycles of the repetition (the same counter under one
 * QEMU, native or not) and N the nanoseconds by the kernel's own clock.
 */

#ifndef XM_BENCH_CPUBENCH_H
#define XM_BENCH_CPUBENCH_H

#include <stdint.h>

struct cpubench_env {
	uint64_t	(*now_ns)(void);
	int		(*print)(const char *fmt, ...)
			    __attribute__((__format__(__printf__, 1, 2)));
};

#define CPUBENCH_PASSES	40000
#define CPUBENCH_REPS	5

void	cpubench_main(const char *cmdline, const struct cpubench_env *env);

#endif /* XM_BENCH_CPUBENCH_H */
