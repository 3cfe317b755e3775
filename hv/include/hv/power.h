/* Ending the machine's run. */
#ifndef HV_POWER_H
#define HV_POWER_H

#include <stdbool.h>

/*
 * Exit codes passed to QEMU's isa-debug-exit device; the QEMU runner
 * turns them back into its own exit status.
 */
#define HV_EXIT_OK		0	/* every domain powered off */
#define HV_EXIT_PANIC		1
#define HV_EXIT_SHUTDOWN_BASE	10	/* + the worst other shutdown reason */

void	power_set_debug_exit(bool);
__attribute__((noreturn)) void	machine_stop(int);
void	power_all_domains_done(void);

#endif
