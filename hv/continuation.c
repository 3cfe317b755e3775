/*
 * Hypercall continuations: the guest's own syscall, executed again.
 * The hypercall page's stubs and a direct `syscall` both leave rip just
 * past the 2-byte syscall instruction with the number in rax, so moving
 * rip back and putting the number and the new arguments into the
 * registers replays the call from where it stopped.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hv/continuation.h>
#include <hv/domain.h>
#include <hv/percpu.h>
#include <hv/time.h>

#define SYSCALL_INSN_LEN	2

bool
hypercall_preempt_check(void)
{
	struct cpu_info *ci = this_cpu();

	return ci->need_resched || (ci->current != NULL &&
	    ci->current->pause_flag) || apic_irq_pending();
}

long
hypercall_continue(unsigned int nr, uint64_t a1, uint64_t a2, uint64_t a3,
    uint64_t a4, uint64_t a5)
{
	struct cpu_info *ci = this_cpu();
	struct xm_cpu_user_regs *r = &ci->guest_regs;

	if (ci->in_multicall) {
		ci->mc_preempted = true;
		ci->mc_args[0] = a1;
		ci->mc_args[1] = a2;
		ci->mc_args[2] = a3;
		ci->mc_args[3] = a4;
		ci->mc_args[4] = a5;
		return 0;
	}
	r->rip -= SYSCALL_INSN_LEN;
	r->rdi = a1;
	r->rsi = a2;
	r->rdx = a3;
	r->r10 = a4;
	r->r8 = a5;
	return (long)nr;	/* into rax: the number, for the replay */
}
