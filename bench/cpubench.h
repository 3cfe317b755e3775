/*
 * The driver of figure P1, shared by the bare kernel (bench/native) and
 * the PV domain (guests/cpubench): reads passes=N reps=N seed=N from the
 * kernel's command line, runs the workload (work.h) reps times and
 * prints one line per repetition, which the figures read:
 *
 *	cpubench: start passes P reps R
 *	cpubench: rep I passes P bytes B tsc T ns N hash H at E
 *	cpubench: done
 *
 * T is the TSC cycles of the repetition (the same counter under one
 * QEMU, native or not), N its nanoseconds by the kernel's own clock and
 * E that clock when it ended: on hv, system time, which every domain
 * shares, so that figures P5 and P6 can count the work that all the
 * domains did in one window.  reps is a count, so a domain that should
 * run for as long as it is measured is given a large one.
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
