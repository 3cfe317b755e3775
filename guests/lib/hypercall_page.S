/*
 * The hypercall page: one page at the HYPERCALL_PAGE note's address,
 * which hv fills with a 32-byte stub per hypercall number before the
 * guest runs.  Until then every stub is ud2, so that a guest whose page
 * was not filled dies on its first hypercall instead of reading
 * garbage back as a result.
 */
#include <guest/asm.h>

	.section .text.hypercall_page, "ax", @progbits
	.balign	GUEST_PAGE_SIZE
	.globl	hypercall_page
	.type	hypercall_page, @function
hypercall_page:
	.rept	GUEST_PAGE_SIZE / GUEST_HYPERCALL_STUB
	ud2
	.fill	GUEST_HYPERCALL_STUB - 2, 1, 0xcc
	.endr
	.size	hypercall_page, . - hypercall_page
