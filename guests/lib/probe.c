/*
 * Memory accesses that may fault.  Each probe's faulting instruction
 * has an entry in the exception table (.guest_extable, gathered by the
 * linker script); trap_dispatch() resumes a #PF or #GP there at the
 * entry's fixup, which makes the probe return -XM_EFAULT.
 */

#include <stddef.h>
#include <stdint.h>

#include <xm/hypercall.h>

#include <guest/traps.h>

struct extable_entry {
	uint64_t	insn;
	uint64_t	fixup;
};

extern const struct extable_entry guest_extable_start[];
extern const struct extable_entry guest_extable_end[];

int	extable_fixup(struct trap_frame *tf);

/* insn: "1:" in the asm; fixup: "3:", which jumps back to "2:". */
#define EXTABLE_ENTRY							\
	".pushsection .guest_extable, \"a\"\n"				\
	".balign 8\n"							\
	".quad 1b, 3b\n"						\
	".popsection\n"

int
extable_fixup(struct trap_frame *tf)
{
	const struct extable_entry *e;

	if (tf->vector != TRAP_PF && tf->vector != TRAP_GP)
		return 0;
	for (e = guest_extable_start; e < guest_extable_end; e++) {
		if (e->insn == tf->rip) {
			tf->rip = e->fixup;
			return 1;
		}
	}
	return 0;
}

int
probe_read64(const volatile void *va, uint64_t *val)
{
	uint64_t v;
	int rc;

	__asm__ volatile(
	    "1:	movq (%2), %0\n"
	    "	xorl %1, %1\n"
	    "2:\n"
	    ".pushsection .text.fixup, \"ax\"\n"
	    "3:	movl %3, %1\n"
	    "	xorl %k0, %k0\n"
	    "	jmp 2b\n"
	    ".popsection\n"
	    EXTABLE_ENTRY
	    : "=&r" (v), "=&r" (rc)
	    : "r" (va), "i" (-XM_EFAULT)
	    : "memory");
	*val = v;
	return rc;
}

int
probe_write64(volatile void *va, uint64_t val)
{
	int rc;

	__asm__ volatile(
	    "1:	movq %1, (%2)\n"
	    "	xorl %0, %0\n"
	    "2:\n"
	    ".pushsection .text.fixup, \"ax\"\n"
	    "3:	movl %3, %0\n"
	    "	jmp 2b\n"
	    ".popsection\n"
	    EXTABLE_ENTRY
	    : "=&r" (rc)
	    : "r" (val), "r" (va), "i" (-XM_EFAULT)
	    : "memory");
	return rc;
}
