/*
 * Generators for the vCPU's state: trap tables, callbacks, the kernel
 * stack, the iret hypercall, FPU, segment bases, debug registers and
 * descriptors, timers, vcpu_op and sched_op.  safe.c puts back what the
 * fuzzer itself needs after each of them.
 */

#include <stdint.h>

#include <xm/arch_x86_64.h>
#include <xm/callback.h>
#include <xm/hypercall.h>
#include <xm/sched.h>
#include <xm/vcpu.h>
#include <xm/xen_core.h>

#include <guest/guest.h>
#include <guest/mm.h>
#include <guest/time.h>

#include "fuzz.h"

#define RFLAGS_IF	UINT64_C(0x200)
#define RFLAGS_TF	UINT64_C(0x100)

/* A handler address: its own code, or anywhere. */
static uint64_t
code_addr(void)
{
	if (rng_one_in(2))
		return (uint64_t)guest_image_start + rng_below(PAGE_SIZE * 4);
	return rng_one_in(2) ? gen_ptr() : gen_value();
}

static uint64_t
selector(void)
{
	static const uint64_t sels[] = { XM_FLAT_KERNEL_CS,
	    XM_FLAT_KERNEL_CS & ~3, XM_FLAT_RING3_CS32, XM_FLAT_KERNEL_SS,
	    0, 3, 8, 0x10, 0xe008, 0xe010, 0xfff8, 0xffff };

	return rng_one_in(8) ? rng_next() : RNG_PICK(sels);
}

void
gen_trap_table(struct fz_call *c)
{
	uint64_t n = rng_below(8), i;
	struct xm_trap_info *t = arena_alloc((n + 1) * sizeof(*t));

	c->gen = "set_trap_table";
	c->nr = XM_HYPERCALL_SET_TRAP_TABLE;
	for (i = 0; t != NULL && i <= n; i++) {
		t[i].vector = (uint8_t)(rng_one_in(2) ? rng_below(32) :
		    rng_next());
		t[i].flags = (uint8_t)rng_next();
		t[i].cs = (uint16_t)selector();
		t[i].pad = rng_one_in(8) ? (uint32_t)rng_next() : 0;
		t[i].address = code_addr();
	}
	if (t != NULL && rng_one_in(2))
		t[n].address = 0;		/* the end */
	c->a[0] = rng_one_in(16) ? 0 : arena_or_bad(t);
}

void
gen_callbacks(struct fz_call *c)
{
	struct xm_callback_register *cb;

	c->gen = "callbacks";
	if (rng_one_in(3)) {
		c->nr = XM_HYPERCALL_SET_CALLBACKS;
		c->a[0] = code_addr();
		c->a[1] = code_addr();
		c->a[2] = code_addr();
		return;
	}
	c->nr = XM_HYPERCALL_CALLBACK_OP;
	c->a[0] = rng_one_in(8) ? gen_boundary() : rng_below(2);
	cb = arena_alloc(sizeof(*cb));
	if (cb != NULL) {
		cb->type = (uint16_t)(rng_one_in(8) ? rng_next() :
		    rng_below(8));
		cb->flags = (uint16_t)rng_below(4);
		cb->pad = 0;
		cb->address = code_addr();
	}
	c->a[1] = arena_or_bad(cb);
}

void
gen_stack_switch(struct fz_call *c)
{
	c->gen = "stack_switch";
	c->nr = XM_HYPERCALL_STACK_SWITCH;
	c->a[0] = selector();
	c->a[1] = rng_one_in(2) ? gen_ptr() : gen_value();
}

/* Back to itself in kernel mode; safe.c keeps cs 64-bit, DF clear. */
void
gen_iret(struct fz_call *c)
{
	c->gen = "iret";
	c->kind = FZ_K_IRET;
	c->nr = XM_HYPERCALL_IRET;
	c->a[0] = rng_one_in(4) ? selector() : XM_FLAT_KERNEL_CS & ~3;
	c->a[1] = rng_one_in(4) ? rng_next() : 0x2 | RFLAGS_IF |
	    (rng_one_in(4) ? RFLAGS_TF : 0);
	c->a[2] = selector();
}

void
gen_cpu_state(struct fz_call *c)
{
	c->gen = "cpu_state";
	switch (rng_below(8)) {
	case 0:
		c->nr = XM_HYPERCALL_FPU_TASKSWITCH;
		c->a[0] = rng_one_in(4) ? gen_value() : rng_below(2);
		return;
	case 1:
		c->nr = XM_HYPERCALL_VM_ASSIST;
		c->a[0] = rng_one_in(4) ? gen_value() : rng_below(2);
		c->a[1] = rng_one_in(4) ? gen_value() : rng_below(40);
		return;
	case 2:
		c->nr = XM_HYPERCALL_SET_SEGMENT_BASE;
		c->a[0] = rng_one_in(4) ? gen_value() : rng_below(4);
		c->a[1] = gen_value();
		return;
	case 3:
		c->nr = rng_one_in(2) ? XM_HYPERCALL_SET_DEBUGREG :
		    XM_HYPERCALL_GET_DEBUGREG;
		c->a[0] = rng_one_in(4) ? gen_value() : rng_below(8);
		c->a[1] = gen_value();
		return;
	case 4:
		c->nr = XM_HYPERCALL_UPDATE_DESCRIPTOR;
		c->a[0] = (gen_mfn() << PAGE_SHIFT) | rng_below(PAGE_SIZE);
		c->a[1] = rng_next();
		return;
	case 5:
		c->nr = XM_HYPERCALL_SET_GDT;
		c->a[0] = gen_ptr();
		c->a[1] = gen_count(8192);
		return;
	case 6:
		c->nr = XM_HYPERCALL_NMI_OP;
		c->a[0] = rng_below(3);
		c->a[1] = gen_ptr();
		return;
	}
	c->nr = XM_HYPERCALL_SET_TIMER_OP;
	c->a[0] = gen_value();
}

void
gen_timer(struct fz_call *c)
{
	uint64_t now = monotonic_ns();

	c->gen = "set_timer_op";
	c->nr = XM_HYPERCALL_SET_TIMER_OP;
	switch (rng_below(4)) {
	case 0:
		c->a[0] = 0;
		return;
	case 1:
		c->a[0] = now - rng_below(now);
		return;
	case 2:
		c->a[0] = gen_boundary();
		return;
	}
	c->a[0] = now + rng_below(10 * NSEC_PER_MSEC);
}

/* --- vcpu_op ---------------------------------------------------------- */

static uint64_t
vcpu_id(void)
{
	static const uint64_t ids[] = { 0, 0, 0, 1, 2, 31, 32, 0x7fff,
	    0xffffffff, UINT64_C(0x100000000) };

	return RNG_PICK(ids);
}

static void
vcpu_arg(uint64_t cmd, uint64_t *a)
{
	uint64_t now = monotonic_ns();

	switch (cmd) {
	case XM_VCPUOP_REGISTER_RUNSTATE_MEMORY_AREA:
	case XM_VCPUOP_REGISTER_VCPU_TIME_MEMORY_AREA:
		a[0] = rng_one_in(8) ? 0 : gen_ptr();
		break;
	case XM_VCPUOP_SET_PERIODIC_TIMER:
		a[0] = rng_one_in(4) ? gen_value() :
		    NSEC_PER_MSEC * (1 + rng_below(1000));
		break;
	case XM_VCPUOP_SET_SINGLESHOT_TIMER:
		a[0] = rng_one_in(4) ? gen_value() :
		    now + rng_below(10 * NSEC_PER_MSEC) - NSEC_PER_MSEC;
		a[1] = rng_below(4);
		break;
	case XM_VCPUOP_REGISTER_VCPU_INFO:
		a[0] = rng_one_in(2) ? pool_hot() : gen_mfn();
		a[1] = rng_one_in(4) ? rng_next() :
		    rng_below(PAGE_SIZE / 64) * 64;
		break;
	}
}

void
gen_vcpu_op(struct fz_call *c)
{
	uint64_t *a = arena_alloc(64);

	c->gen = "vcpu_op";
	c->nr = XM_HYPERCALL_VCPU_OP;
	c->a[0] = rng_one_in(16) ? gen_boundary() : rng_below(15);
	c->a[1] = vcpu_id();
	if (a != NULL) {
		rng_fill(a, 64);
		vcpu_arg(c->a[0], a);
	}
	c->a[2] = rng_one_in(4) ? gen_ptr() : arena_or_bad(a);
}

/* --- sched_op --------------------------------------------------------- */

static void
gen_poll(struct fz_call *c)
{
	struct xm_sched_poll *p = arena_alloc(sizeof(*p));
	uint64_t n = 1 + rng_below(4), i;
	uint32_t *ports = arena_alloc(n * sizeof(*ports));

	for (i = 0; ports != NULL && i < n; i++)
		ports[i] = (uint32_t)gen_port();
	if (p != NULL) {
		p->ports = arena_or_bad(ports);
		p->nr_ports = (uint32_t)(rng_one_in(8) ? gen_count(n) : n);
		p->pad = 0;
		p->timeout = monotonic_ns() + rng_below(NSEC_PER_MSEC);
	}
	c->a[1] = arena_or_bad(p);
}

void
gen_sched_op(struct fz_call *c)
{
	static const uint64_t cmds[] = { XM_SCHEDOP_YIELD, XM_SCHEDOP_POLL,
	    XM_SCHEDOP_POLL, XM_SCHEDOP_SHUTDOWN_CODE, XM_SCHEDOP_WATCHDOG,
	    XM_SCHEDOP_PIN_OVERRIDE, 8, 0x7fffffff };
	uint64_t *a;

	c->gen = "sched_op";
	if (rng_one_in(4)) {
		c->kind = FZ_K_BLOCK;
		c->nr = XM_HYPERCALL_SCHED_OP;
		c->a[0] = monotonic_ns() + rng_below(NSEC_PER_MSEC);
		return;
	}
	c->nr = rng_one_in(16) ? XM_HYPERCALL_SCHED_OP_COMPAT :
	    XM_HYPERCALL_SCHED_OP;
	c->a[0] = RNG_PICK(cmds);
	if (c->a[0] == XM_SCHEDOP_POLL) {
		gen_poll(c);
		return;
	}
	a = arena_alloc(16);
	if (a != NULL) {
		a[0] = rng_one_in(2) ? rng_below(8) : rng_next();
		a[1] = rng_next();
	}
	c->a[1] = rng_one_in(4) ? gen_ptr() : arena_or_bad(a);
}
