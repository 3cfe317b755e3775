# compat32: a 32-bit program for tests/linux/debian.sh, assembled there
# (as --32; ld -m elf_i386).  It writes one line through each way a
# 32-bit process enters a 64-bit Linux: int $0x80, and the vDSO's
# __kernel_vsyscall (AT_SYSINFO in the auxiliary vector), which takes
# syscall from compatibility mode where the CPU has it (AMD's, QEMU's
# TCG) and int $0x80 elsewhere; then exits 0.  (A syscall of its own
# would not do: Linux returns every fast 32-bit call into the vDSO.)
# A way that does not work leaves its line out, or the process dies.
	.code32
	.text
	.globl	_start
_start:
	movl	$4, %eax		# __NR_write (i386)
	movl	$1, %ebx
	movl	$m_int80, %ecx
	movl	$(e_int80 - m_int80), %edx
	int	$0x80

	movl	(%esp), %eax		# argc
	leal	8(%esp,%eax,4), %esi	# envp, past argv and its NULL
1:	lodsl
	testl	%eax, %eax
	jnz	1b
2:	lodsl				# an auxv entry: type, value
	movl	%eax, %edi
	lodsl
	testl	%edi, %edi
	jz	3f			# AT_NULL: no vDSO
	cmpl	$32, %edi		# AT_SYSINFO
	jne	2b
	movl	%eax, vsyscall
	movl	$4, %eax
	movl	$1, %ebx
	movl	$m_vdso, %ecx
	movl	$(e_vdso - m_vdso), %edx
	call	*vsyscall

3:	movl	$1, %eax		# __NR_exit
	xorl	%ebx, %ebx
	int	$0x80

	.data
vsyscall:	.long	0
m_int80:	.ascii	"compat32: int80 ok\n"
e_int80:
m_vdso:		.ascii	"compat32: vdso ok\n"
e_vdso:
