/*
 * The bare kernel's entry: QEMU's -kernel loads this ELF and, through
 * the PVH note (XEN_ELFNOTE_PHYS32_ENTRY), enters native_entry32 in
 * 32-bit protected mode with paging off and %ebx pointing at the
 * hvm_start_info.  Identity-map the first GiB with 2 MiB pages, enter
 * long mode, clear .bss and call native_main(start_info).
 */

#define XEN_ELFNOTE_PHYS32_ENTRY	18
#define MSR_EFER			0xc0000080
#define EFER_LME			0x100
#define CR4_PAE				0x20
#define CR0_PE_PG			0x80000001
#define PTE_P_W				0x3
#define PDE_P_W_PS			0x83

	.section .note.Xen, "a", @note
	.balign 4
	.long 4, 8, XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.quad native_entry32

	.section .text.entry, "ax"
	.code32
	.globl native_entry32
native_entry32:
	cli
	movl %ebx, native_start_info
	movl $native_stack_top, %esp
	movl $native_pdpt + PTE_P_W, native_pml4
	movl $native_pd + PTE_P_W, native_pdpt
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $PDE_P_W_PS, %eax
	movl %eax, native_pd(,%ecx,8)
	incl %ecx
	cmpl $512, %ecx
	jb 1b
	movl $native_pml4, %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $CR0_PE_PG, %eax
	movl %eax, %cr0
	lgdt native_gdt_desc
	ljmp $0x08, $native_entry64

	.code64
native_entry64:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movq $native_stack_top, %rsp
	movq $__bss_start, %rdi
	movq $__bss_end, %rcx
	subq %rdi, %rcx
	xorl %eax, %eax
	rep stosb
	movl native_start_info, %edi
	call native_main
2:	hlt
	jmp 2b

	.section .data
	.balign 4096
native_pml4:	.fill 512, 8, 0
native_pdpt:	.fill 512, 8, 0
native_pd:	.fill 512, 8, 0
	.balign 16
native_stack:	.fill 16384, 1, 0
native_stack_top:
native_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
native_gdt_desc:
	.word native_gdt_desc - native_gdt - 1
	.long native_gdt
native_start_info:
	.long 0
