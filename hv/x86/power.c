/*
 * Stopping the machine. Under QEMU with isa-debug-exit wired (as the
 * runner does) and `poweroff` on hv's command line, hv leaves QEMU with
 * an exit code that tests read; otherwise it halts for good. The code is
 * written plus one so that QEMU's own failure (status 1) stays apart.
 */
#include <stdbool.h>
#include <stdint.h>

#include <hv/power.h>
#include <hv/x86.h>

#define DEBUG_EXIT_PORT	0xf4

static bool debug_exit;

void
power_set_debug_exit(bool on)
{
	debug_exit = on;
}

void
machine_stop(int code)
{
	__asm__ volatile("cli");
	if (debug_exit)
		outl(DEBUG_EXIT_PORT, (uint32_t)code + 1);
	cpu_halt_forever();
}
