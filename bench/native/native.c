/*
 * The bare kernel of figure P1: the workload's driver (bench/cpubench.c)
 * with no hypervisor under it, booted by QEMU's -kernel (PVH entry,
 * boot.S).  Prints on COM1, keeps time by the TSC calibrated against
 * the PIT, and ends the QEMU run through isa-debug-exit at 0xf4 (exit
 * status 1 from QEMU: (0 << 1) | 1).  The command line (-append) is the
 * driver's: passes=N reps=N seed=N.
 */

#include <stdarg.h>
#include <stdint.h>

#include <klib/format.h>
#include <klib/portio.h>

#include "cpubench.h"

#define COM1		0x3f8
#define PIT_CH0		0x40
#define PIT_CMD		0x43
#define PIT_HZ		UINT64_C(1193182)
#define PIT_CAL_TICKS	(PIT_HZ / 10)		/* 100 ms */
#define DEBUG_EXIT	0xf4

/* The part of PVH's hvm_start_info that is read here. */
struct native_start_info {
	uint32_t	magic;
	uint32_t	version;
	uint32_t	flags;
	uint32_t	nr_modules;
	uint64_t	modlist_paddr;
	uint64_t	cmdline_paddr;
};

#define PVH_MAGIC	0x336ec578

static uint64_t	native_tsc_hz;
static uint64_t	native_ns_mul;		/* ns per cycle, 32.32 fixed point */

void	native_main(uint32_t start_info_pa);

static uint64_t
native_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a" (lo), "=d" (hi));
	return ((uint64_t)hi << 32) | lo;
}

static void
native_putc(void *ctx, char c)
{
	(void)ctx;
	if (c == '\n')
		native_putc(ctx, '\r');
	while ((inb(COM1 + 5) & 0x20) == 0)
		;
	outb(COM1, (uint8_t)c);
}

static int
native_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvformat(native_putc, NULL, fmt, ap);
	va_end(ap);
	return n;
}

static uint16_t
pit_read(void)
{
	uint8_t lo, hi;

	outb(PIT_CMD, 0x00);		/* latch channel 0 */
	lo = inb(PIT_CH0);
	hi = inb(PIT_CH0);
	return (uint16_t)(lo | hi << 8);
}

/* TSC cycles per second, against 100 ms of PIT channel 0 (mode 2). */
static uint64_t
native_calibrate(void)
{
	uint64_t elapsed = 0, t0, t1;
	uint16_t prev, cur;

	outb(PIT_CMD, 0x34);		/* channel 0, lo/hi, mode 2 */
	outb(PIT_CH0, 0);
	outb(PIT_CH0, 0);		/* 65536: the longest period */
	prev = pit_read();
	t0 = native_rdtsc();
	while (elapsed < PIT_CAL_TICKS) {
		cur = pit_read();
		elapsed += (uint16_t)(prev - cur);
		prev = cur;
	}
	t1 = native_rdtsc();
	return (t1 - t0) * PIT_HZ / elapsed;
}

static uint64_t
native_now_ns(void)
{
	return (uint64_t)(((unsigned __int128)native_rdtsc() *
	    native_ns_mul) >> 32);
}

void
native_main(uint32_t start_info_pa)
{
	static const struct cpubench_env env = { native_now_ns, native_printf };
	const struct native_start_info *si;
	const char *cmdline = NULL;

	si = (const struct native_start_info *)(uintptr_t)start_info_pa;
	if (si != NULL && si->magic == PVH_MAGIC && si->cmdline_paddr != 0)
		cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
	native_printf("native: xm bare kernel, cmdline \"%s\"\n",
	    cmdline != NULL ? cmdline : "");
	native_tsc_hz = native_calibrate();
	native_ns_mul = (UINT64_C(1000000000) << 32) / native_tsc_hz;
	native_printf("native: tsc_hz %lu\n", native_tsc_hz);
	cpubench_main(cmdline, &env);
	outb(DEBUG_EXIT, 0);
	for (;;)
		__asm__ volatile("cli; hlt");
}
