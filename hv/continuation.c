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

#include <hv/console.h>
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
hypercall_continue_args(unsigned int nr, const uint64_t *a, unsigned int n)
{
	struct cpu_info *ci = this_cpu();
	struct xm_cpu_user_regs *r = &ci->guest_regs;
	uint64_t *reg[HYPERCALL_MAX_ARGS] = { &r->rdi, &r->rsi, &r->rdx,
	    &r->r10, &r->r8 };
	unsigned int i, nargs = hypercall_nargs(nr);

	ASSERT(n == nargs);
	if (ci->in_multicall) {
		ci->mc_preempted = true;
		for (i = 0; i < nargs; i++)
			ci->mc_args[i] = a[i];
		return 0;
	}
	/* Only the call's own: the guest may keep values in the others. */
	for (i = 0; i < nargs; i++)
		*reg[i] = a[i];
	r->rip -= SYSCALL_INSN_LEN;
	return (long)nr;	/* into rax: the number, for the replay */
}
