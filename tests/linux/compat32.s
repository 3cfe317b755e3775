# compat32: a 32-bit program for tests/linux/debian.sh, assembled there
# (as --32; ld -m elf_i386): it writes a line through int $0x80, which
# reaches Linux's ia32 entry through vector 0x80 of its trap table, and
# exits 0 the same way.
	.code32
	.text
	.globl	_start
_start:
	movl	$4, %eax		# __NR_write (i386)
	movl	$1, %ebx
	movl	$msg, %ecx
	movl	$(end - msg), %edx
	int	$0x80
	movl	$1, %eax		# __NR_exit
	xorl	%ebx, %ebx
	int	$0x80

	.data
msg:	.ascii	"compat32: int80 ok\n"
end:
