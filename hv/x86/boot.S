/*
 * hv's entry from a multiboot2 loader (GRUB): 32-bit protected mode,
 * paging off, EAX = the multiboot2 magic, EBX = the boot information.
 * Builds just enough page tables to reach long mode and hv's linked
 * address (identity and direct map of the first 4 GiB, hv's image at
 * HV_VIRT_OFFSET); mm replaces them with the real ones.
 *
 * Everything in the .boot sections runs at its load address.
 */
#include <hv/layout.h>
#include <hv/percpu.h>

#define MB2_MAGIC		0xe85250d6
#define MB2_ARCH_I386		0
#define MB2_LOADER_MAGIC	0x36d76289

#define PTE_P			0x001
#define PTE_W			0x002
#define PTE_PS			0x080

/*
 * From 32-bit protected mode to long mode on the boot page tables, then a
 * far jump to target (64-bit code in .boot). ESI holds CPUID 0x80000001's
 * EDX, for NX.
 */
	.macro	ENTER_LONG_MODE target
	movl	$boot_pml4, %eax
	movl	%eax, %cr3
	movl	%cr4, %eax
	orl	$0x20, %eax		/* PAE */
	movl	%eax, %cr4
	movl	$0xc0000080, %ecx	/* EFER */
	rdmsr
	orl	$0x100, %eax		/* LME */
	btl	$20, %esi
	jnc	1f
	orl	$0x800, %eax		/* NXE */
1:	wrmsr
	movl	%cr0, %eax
	orl	$0x80010001, %eax	/* PG, WP, PE */
	movl	%eax, %cr0
	lgdt	boot_gdt_desc
	ljmp	$0x08, $\target
	.endm

	.section .multiboot, "a"
	.balign 8
mb2_header:
	.long	MB2_MAGIC
	.long	MB2_ARCH_I386
	.long	mb2_header_end - mb2_header
	.long	-(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* End tag. */
	.balign 8
	.short	0, 0
	.long	8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl	hv_start32
hv_start32:
	cli
	cld
	movl	$boot_stack32_top, %esp
	cmpl	$MB2_LOADER_MAGIC, %eax
	jne	boot_fail
	movl	%ebx, %edi

	/* Long mode is required: CPUID 0x80000001 EDX bit 29. */
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	boot_fail
	movl	$0x80000001, %eax
	cpuid
	btl	$29, %edx
	jnc	boot_fail
	movl	%edx, %esi		/* bit 20: NX */

	ENTER_LONG_MODE hv_start64_low

boot_fail:
	/* Say so on COM1 as far as a loader left it usable, then stop. */
	movl	$boot_fail_msg, %esi
	movw	$0x3f8, %dx
2:	lodsb
	testb	%al, %al
	jz	3f
	outb	%al, %dx
	jmp	2b
3:	cli
	hlt
	jmp	3b

	.code64
hv_start64_low:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%edi, %edi		/* zero-extend the info address */
	movabsq	$hv_start64, %rax
	jmp	*%rax

	.section .boot.data, "aw"
	.balign	8
boot_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* 64-bit code */
	.quad	0x00cf92000000ffff	/* data */
boot_gdt_end:
boot_gdt_desc:
	.short	boot_gdt_end - boot_gdt - 1
	.long	boot_gdt
boot_fail_msg:
	.asciz	"xm-hv: not loaded by multiboot2 or no long mode; stopping\r\n"

	.balign	4096
boot_pml4:
	.quad	boot_pdpt_low + (PTE_P | PTE_W)
	.fill	260, 8, 0
	/* 261: hv's image at HV_VIRT_OFFSET */
	.quad	boot_pdpt_hv + (PTE_P | PTE_W)
	/* 262: the direct map, first 4 GiB */
	.quad	boot_pdpt_low + (PTE_P | PTE_W)
	.fill	249, 8, 0
boot_pdpt_low:
	.quad	boot_pd + 0x0000 + (PTE_P | PTE_W)
	.quad	boot_pd + 0x1000 + (PTE_P | PTE_W)
	.quad	boot_pd + 0x2000 + (PTE_P | PTE_W)
	.quad	boot_pd + 0x3000 + (PTE_P | PTE_W)
	.fill	508, 8, 0
boot_pdpt_hv:
	.fill	322, 8, 0
	.quad	boot_pd + (PTE_P | PTE_W)
	.fill	189, 8, 0
	/* 4 GiB in 2 MiB pages. */
boot_pd:
	.set	pa, 0
	.rept	2048
	.quad	pa + (PTE_P | PTE_W | PTE_PS)
	.set	pa, pa + 0x200000
	.endr

	.section .boot.bss, "aw", @nobits
	.balign	16
	.skip	1024
boot_stack32_top:

	.text
	.code64
	.globl	hv_start64
hv_start64:
	leaq	boot_stack_top(%rip), %rsp
	xorl	%ebp, %ebp
	pushq	$0
	popfq
	call	hv_main
	ud2

	.bss
	.balign	16
	.globl	boot_stack
boot_stack:
	.skip	16384
boot_stack_top:

/*
 * Application processors. The BSP copies ap_trampoline to AP_TRAMPOLINE
 * (below 1 MiB, where a SIPI can start a CPU in real mode); it loads a
 * flat 32-bit GDT and jumps to ap_start32 in hv's image, which joins the
 * BSP's way into long mode on the boot page tables, and then to
 * ap_start64 at hv's linked address.
 */
#define AP_TRAMPOLINE	0x8000
#define TRAMP(sym)	((sym) - ap_trampoline + AP_TRAMPOLINE)

	.section .boot.text, "ax"
	.code16
	.globl	ap_trampoline, ap_trampoline_end
ap_trampoline:
	cli
	cld
	xorw	%ax, %ax
	movw	%ax, %ds
	lgdtl	TRAMP(ap_gdt_desc)
	movl	%cr0, %eax
	orl	$1, %eax
	movl	%eax, %cr0
	ljmpl	$0x08, $ap_start32
	.balign	8
ap_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 32-bit code */
	.quad	0x00cf92000000ffff	/* data */
ap_gdt_desc:
	.short	ap_gdt_desc - ap_gdt - 1
	.long	TRAMP(ap_gdt)
ap_trampoline_end:

	.code32
ap_start32:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	$0x80000001, %eax
	cpuid
	movl	%edx, %esi
	ENTER_LONG_MODE ap_start64_low

	.code64
ap_start64_low:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movabsq	$ap_start64, %rax
	jmp	*%rax

	.text
	.code64
/* Take the next AP number and its stack; park CPUs beyond the table. */
ap_start64:
	movl	$1, %eax
	lock xaddl %eax, ap_next(%rip)
	cmpl	$HV_AP_MAX, %eax
	jae	2f
	leaq	ap_stacks(%rip), %rdx
	movq	(%rdx,%rax,8), %rsp
	testq	%rsp, %rsp
	jz	2f
	movl	%eax, %edi
	incl	%edi			/* CPU number: BSP is 0 */
	xorl	%ebp, %ebp
	call	ap_main
2:	cli
	hlt
	jmp	2b

	.data
	.balign	8
	.globl	ap_next, ap_stacks, ap_trampoline_phys, ap_trampoline_size
/* hv's code cannot reach .boot PC-relatively: its address, as data. */
ap_trampoline_phys:
	.quad	ap_trampoline
ap_trampoline_size:
	.quad	ap_trampoline_end - ap_trampoline
ap_next:
	.long	0
	.balign	8
ap_stacks:
	.fill	HV_AP_MAX, 8, 0
