/*
 * vCPU 1 of tlbshoot: the context vCPU 0 starts it with, and its loop,
 * which does the job in the mailbox over and over.  It never prints
 * (the console buffer is vCPU 0's) and runs with events masked; a fault
 * on its target is fixed up by the probes' exception table.
 */

#include <stdint.h>

#include <klib/string.h>

#include <xm/arch_x86_64.h>
#include <xm/vcpu.h>
#include <xm/xen_core.h>

#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/time.h>
#include <guest/traps.h>
#include <guest/vcpu.h>

#include "tlbshoot.h"

#define STACK_SIZE	16384
#define TIMER_WAIT_NS	(2 * NSEC_PER_SEC)

static uint8_t second_stack[STACK_SIZE] __attribute__((aligned(16)));
static uint64_t write_count;

/*
 * One access to the target.  Whether vCPU 0's removal had returned is
 * read first: an access that gets through after that is one a stale
 * TLB entry let through.
 */
static void
access_once(uint64_t r, uint64_t cmd, volatile uint64_t *target)
{
	uint64_t gone = __atomic_load_n(&mb.removed, __ATOMIC_ACQUIRE);
	uint64_t val;
	int rc;

	if (cmd == CMD_READ)
		rc = probe_read64(target, &val);
	else	/* bit 0 clear: a not-present entry, were it a table */
		rc = probe_write64(target, ++write_count << 1);
	if (rc != 0) {
		__atomic_store_n(&mb.faulted, r, __ATOMIC_RELEASE);
		return;
	}
	mb.round_hits++;
	if (gone == r)
		mb.stale++;
}

static int
port_pending(uint64_t port)
{
	return (guest_shared_info->evtchn_pending[port / 64] >>
	    (port % 64)) & 1;
}

/* Arm a one-shot timer of its own; see its VIRQ_TIMER port go pending. */
static void
timer_job(uint64_t r)
{
	struct xm_vcpu_set_singleshot_timer t = { 0 };
	uint64_t port = mb.timer_port, start = monotonic_ns();

	t.timeout_abs_ns = start + TIMER_DELAY_NS;
	mb.timer_rc = HYPERVISOR_vcpu_op(XM_VCPUOP_SET_SINGLESHOT_TIMER, 1,
	    &t);
	while (mb.timer_rc == 0 && !port_pending(port) &&
	    monotonic_ns() - start < TIMER_WAIT_NS)
		__asm__ volatile("pause" ::: "memory");
	if (port_pending(port))
		__atomic_store_n(&mb.timer_done, r, __ATOMIC_RELEASE);
}

static void __attribute__((noreturn))
second_main(uint64_t vcpu)
{
	uint64_t r = 0, now, cmd = CMD_IDLE, target = 0;

	(void)vcpu;
	traps_init();		/* set_trap_table is per vCPU */
	for (;;) {
		mb.beats++;
		now = __atomic_load_n(&mb.round, __ATOMIC_ACQUIRE);
		if (now != r) {
			r = now;
			cmd = mb.cmd;
			target = mb.target;
			mb.round_hits = 0;
			__atomic_store_n(&mb.ack, r, __ATOMIC_RELEASE);
			if (cmd == CMD_TIMER)
				timer_job(r);
		}
		if (cmd == CMD_READ || cmd == CMD_WRITE)
			access_once(r, cmd, (volatile uint64_t *)target);
		else
			__asm__ volatile("pause" ::: "memory");
	}
}

/* vCPU 1 starts in second_main on its own stack (guest/vcpu.h). */
void
second_context(struct xm_vcpu_guest_context *c)
{
	vcpu_context_init(c, second_main, second_stack + STACK_SIZE, 1);
}
