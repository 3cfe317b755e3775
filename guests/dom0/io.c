/*
 * A port read that may fault: the instruction has an entry in the
 * runtime's exception table (.guest_extable), so a #GP resumes at the
 * fixup, which makes the probe return -XM_EFAULT.
 */

#include <stdint.h>

#include <xm/hypercall.h>

#include "io.h"

int
io_probe_inl(uint16_t port, uint32_t *val)
{
	uint32_t v;
	int rc;

	__asm__ volatile(
	    "1:	inl %w2, %0\n"
	    "	xorl %1, %1\n"
	    "2:\n"
	    ".pushsection .text.fixup, \"ax\"\n"
	    "3:	movl %3, %1\n"
	    "	xorl %0, %0\n"
	    "	jmp 2b\n"
	    ".popsection\n"
	    ".pushsection .guest_extable, \"a\"\n"
	    ".balign 8\n"
	    ".quad 1b, 3b\n"
	    ".popsection\n"
	    : "=&a" (v), "=&r" (rc)
	    : "d" (port), "i" (-XM_EFAULT)
	    : "memory");
	*val = v;
	return rc;
}
