/*
 * cpubench: figure P1's workload (bench/work.c) as a PV domain, timed by
 * the TSC and by the guest's system time; the same driver
 * (bench/cpubench.c) runs in the bare kernel bench/native.  Command
 * line: passes=N reps=N seed=N.  Powers off when done.
 */

#include <guest/console.h>
#include <guest/guest.h>
#include <guest/time.h>

#include "cpubench.h"

int
guest_main(void)
{
	static const struct cpubench_env env = { monotonic_ns, gprintf };

	cpubench_main(guest_cmdline(), &env);
	return 0;
}
