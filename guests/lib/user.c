/*
 * User mode for tests (guest/user.h).  On first use: the kernel's L4 as
 * the user page tables too (MMUEXT_NEW_USER_BASEPTR), a kernel stack
 * for entries from user mode (stack_switch), and the syscall and
 * sysenter callbacks.  While user code runs, the trap path hands any
 * frame from user mode (RPL 3) to user_trap, which records it and
 * returns from user_run.
 */
#include <stdbool.h>
#include <stdint.h>

#include <klib/string.h>
#include <xm/callback.h>
#include <xm/hypercall.h>

#include <guest/events.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/traps.h>
#include <guest/user.h>

struct user_jmp {
	uint64_t	rbx, rbp, r12, r13, r14, r15, rsp;
};

void	user_enter(struct user_jmp *, const uint64_t frame[5]);
void	user_leave(const struct user_jmp *) __attribute__((noreturn));
void	user_syscall_entry(void);
void	user_sysenter_entry(void);

static uint8_t user_kstack[4096] __attribute__((aligned(16)));
static struct user_jmp user_jmp;
static struct user_exit *user_out;
static bool user_ready;

static int
user_trap(struct trap_frame *tf)
{
	struct user_exit *out = user_out;

	if (out == NULL || (tf->cs & 3) != 3)
		return 0;
	user_out = NULL;
	out->vector = tf->vector;
	out->error_code = tf->error_code;
	out->rip = tf->rip;
	out->cs = tf->cs & 0xffff;
	out->rflags = tf->rflags;
	out->rsp = tf->rsp;
	out->ss = tf->ss & 0xffff;
	out->rax = tf->rax;
	user_leave(&user_jmp);
}

static int
user_callback(unsigned int type, void (*fn)(void))
{
	struct xm_callback_register cb = {
		.type = (uint16_t)type,
		.flags = XM_CALLBACKF_MASK_EVENTS,
		.address = (uint64_t)fn,
	};

	return HYPERVISOR_callback_op(XM_CALLBACKOP_REGISTER, &cb);
}

static int
user_init(void)
{
	struct xm_mmuext_op op = { .cmd = XM_MMUEXT_NEW_USER_BASEPTR };
	int rc;

	op.arg1.mfn = virt_to_mfn((void *)guest_start_info->pt_base);
	rc = HYPERVISOR_mmuext_op(&op, 1, NULL, XM_DOMID_SELF);
	if (rc == 0)
		rc = HYPERVISOR_stack_switch(XM_FLAT_KERNEL_SS,
		    (uint64_t)(user_kstack + sizeof(user_kstack)));
	if (rc == 0)
		rc = user_callback(XM_CALLBACKTYPE_SYSCALL, user_syscall_entry);
	if (rc == 0)
		rc = user_callback(XM_CALLBACKTYPE_SYSENTER,
		    user_sysenter_entry);
	if (rc == 0) {
		trap_set_user_hook(user_trap);
		user_ready = true;
	}
	return rc;
}

int
user_run(uint64_t rip, uint16_t cs, uint64_t rsp, struct user_exit *out)
{
	/* rflags: IF clear, so events stay masked in user mode. */
	const uint64_t frame[5] = { rip, cs, 0x2, rsp, XM_FLAT_USER_SS };
	unsigned int irq;
	int rc;

	if (!user_ready && (rc = user_init()) != 0)
		return rc;
	irq = local_irq_save();
	kmemset(out, 0, sizeof(*out));
	user_out = out;
	user_enter(&user_jmp, frame);
	local_irq_restore(irq);
	return 0;
}

uint64_t
user_code(const void *code, size_t len)
{
	static xm_pfn_t pfn;

	if (pfn == 0 && (frame_alloc(&pfn) != 0 ||
	    pt_ensure(USER_CODE_VA, 1) != 0 ||
	    map_frame_at(USER_CODE_VA, pfn_to_mfn(pfn), PTE_KERNEL) != 0))
		return 0;
	kmemset((void *)USER_CODE_VA, 0xcc, PAGE_SIZE);		/* int3 */
	kmemcpy((void *)USER_CODE_VA, code, len);
	return USER_CODE_VA;
}
