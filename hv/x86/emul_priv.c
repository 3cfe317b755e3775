/*
 * The privileged instructions Xen emulates for a PV kernel, with the
 * results Xen gives, reached from the #GP they raise in ring 3:
 *
 *   cli, sti		the vCPU's event mask, with a virtual IOPL >= 1
 *			(PHYSDEVOP_set_iopl), as Xen's iopl_ok()
 *   in, out		the same IOPL, for ports not in the domain's TSS
 *			I/O bitmap (those do not fault): they read as all
 *			ones and ignore writes, as Xen's for a domain
 *			without them; an I/O breakpoint they hit is a #DB
 *			after them
 *   mov from CR0	the host's CR0 with the vCPU's virtual TS
 *   mov to CR0		only TS may change (fpu_taskswitch)
 *   mov from/to CR2	vcpu_info's cr2
 *   mov from CR3	the kernel's page-table base
 *   mov from/to CR4	the host's PAE, MCE, OSFXSR, OSXMMEXCPT and the
 *			guest's own DE and TSD (kept, not applied)
 *   mov from/to DRn	as get_debugreg/set_debugreg (hv/x86/debugreg.c);
 *			what those refuse is a #GP (Xen: #UD for DR4/5
 *			with CR4.DE)
 *   clts		fpu_taskswitch(0)
 *   wbinvd		nothing (no cache the domain owns to flush)
 *
 * Kernel mode only, except in/out with IOPL 3.  Anything else stays a
 * #GP for the guest's handler.
 */
#include <stdbool.h>
#include <stdint.h>

#include <klib/string.h>
#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/traps.h>
#include <hv/x86.h>

#define INSN_MAX	15
#define CR0_TS		(UINT64_C(1) << 3)
#define CR4_DE		(UINT64_C(1) << 3)
#define CR4_TSD		(UINT64_C(1) << 2)
#define CR4_MCE		(UINT64_C(1) << 6)
#define CR4_OSXMMEXCPT	(UINT64_C(1) << 10)
/* What a guest sees of the host's CR4, and what it may set itself. */
#define CR4_VISIBLE	(CR4_PAE | CR4_MCE | CR4_OSFXSR | CR4_OSXMMEXCPT)
#define CR4_GUEST	(CR4_DE | CR4_TSD)

struct insn {
	uint8_t		b[INSN_MAX];
	unsigned int	len;		/* bytes read */
	unsigned int	at;		/* next byte */
	bool		opsize;		/* 0x66 */
	uint8_t		rex;
};

static uint64_t *
gpr(struct xm_cpu_user_regs *r, unsigned int n)
{
	uint64_t *regs[16] = { &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp,
	    &r->rbp, &r->rsi, &r->rdi, &r->r8, &r->r9, &r->r10, &r->r11,
	    &r->r12, &r->r13, &r->r14, &r->r15 };

	return regs[n & 15];
}

/*
 * Xen's iopl_ok(): the kernel counts as ring 1 (ring 0 with the
 * architectural_iopl assist), user space as ring 3.
 */
static bool
iopl_ok(const struct vcpu *v)
{
	unsigned int ring = !v->in_kernel ? 3 : (v->domain->vm_assist &
	    (1ULL << XM_VMASST_TYPE_ARCHITECTURAL_IOPL)) ? 0 : 1;

	return v->iopl >= ring;
}

/* Prefixes, then the opcode's first byte; false if it cannot be read. */
static bool
fetch(struct xm_cpu_user_regs *r, struct insn *in)
{
	unsigned int n;

	kmemset(in, 0, sizeof(*in));
	/* The instruction may end near a page end: read what is there. */
	for (n = INSN_MAX; n > 0; n--)
		if (copy_from_guest(in->b, r->rip, n) == 0)
			break;
	in->len = n;
	for (; in->at < in->len; in->at++) {
		uint8_t b = in->b[in->at];

		if (b == 0x66)
			in->opsize = true;
		else if (b == 0x2e || b == 0x3e || b == 0x26 || b == 0x36 ||
		    b == 0x64 || b == 0x65)
			continue;		/* segment: no effect here */
		else
			break;
	}
	if (in->at < in->len && (in->b[in->at] & 0xf0) == 0x40)
		in->rex = in->b[in->at++];
	return in->at < in->len;
}

/*
 * in/out with an immediate port or dx: true if emulated; the I/O
 * breakpoints it hit in *hits (hv/x86/debugreg.c).
 */
static bool
emul_io(struct vcpu *v, struct xm_cpu_user_regs *r, struct insn *in,
    unsigned int *hits)
{
	uint8_t op = in->b[in->at];
	unsigned int size = (op & 1) ? (in->opsize ? 2 : 4) : 1;
	uint16_t port;
	uint64_t val;

	if ((op & 0xf4) != 0xe4 || !iopl_ok(v))
		return false;
	if (op & 0x08)
		port = (uint16_t)r->rdx;
	else if (in->at + 1 < in->len)
		port = in->b[++in->at];
	else
		return false;
	*hits = debugreg_io_match(v, port, size);
	if (!(op & 0x02)) {		/* in: all ones; out: dropped */
		val = size == 4 ? 0xffffffffU : (UINT64_C(1) << (size * 8)) - 1;
		if (size == 4)
			r->rax = val;		/* zero-extends, as the CPU */
		else
			r->rax = (r->rax & ~((UINT64_C(1) << (size * 8)) - 1)) |
			    val;
	}
	in->at++;
	return true;
}

static uint64_t
guest_cr0(const struct vcpu *v)
{
	return (read_cr0() & ~CR0_TS) | (v->fpu_ts ? CR0_TS : 0);
}

/*
 * The ModRM byte of a mov to or from CRn/DRn: n in *nr and the general
 * register it names; NULL when the instruction ends before it.
 */
static uint64_t *
mov_operands(struct xm_cpu_user_regs *r, struct insn *in, unsigned int *nr)
{
	uint8_t modrm;

	if (in->at + 1 >= in->len)
		return NULL;
	modrm = in->b[++in->at];
	*nr = ((modrm >> 3) & 7) | ((in->rex & 4) ? 8 : 0);
	return gpr(r, (modrm & 7) | ((in->rex & 1) ? 8 : 0));
}

/* mov from or to a control register (0f 20 / 0f 22). */
static bool
emul_mov_cr(struct vcpu *v, struct xm_cpu_user_regs *r, struct insn *in,
    bool to_cr)
{
	unsigned int cr;
	uint64_t *reg;

	if ((reg = mov_operands(r, in, &cr)) == NULL)
		return false;
	switch (cr) {
	case 0:
		if (!to_cr)
			*reg = guest_cr0(v);
		else if ((*reg ^ guest_cr0(v)) & ~CR0_TS)
			return false;	/* Xen: unmodifiable CR0 flags */
		else
			vcpu_fpu_taskswitch(v, (*reg & CR0_TS) != 0);
		break;
	case 2:
		if (to_cr)
			v->vcpu_info->arch.cr2 = *reg;
		else
			*reg = v->vcpu_info->arch.cr2;
		break;
	case 3:
		if (to_cr)
			return false;	/* MMUEXT_NEW_BASEPTR is the way */
		*reg = v->kernel_l4 << 12;
		break;
	case 4:
		if (to_cr)
			v->guest_cr4 = *reg & CR4_GUEST;
		else
			*reg = (read_cr4() & CR4_VISIBLE) | v->guest_cr4;
		break;
	default:
		return false;
	}
	in->at++;
	return true;
}

/* mov from or to a debug register (0f 21 / 0f 23), as the hypercalls. */
static bool
emul_mov_dr(struct vcpu *v, struct xm_cpu_user_regs *r, struct insn *in,
    bool to_dr)
{
	unsigned int dr;
	uint64_t *reg;

	if ((reg = mov_operands(r, in, &dr)) == NULL)
		return false;
	if (to_dr ? debugreg_set(v, dr, *reg) != 0 :
	    debugreg_get(v, dr, reg) != 0)
		return false;
	in->at++;
	return true;
}

static bool
emul_0f(struct vcpu *v, struct xm_cpu_user_regs *r, struct insn *in)
{
	if (!v->in_kernel || in->at + 1 >= in->len)
		return false;
	switch (in->b[++in->at]) {
	case 0x06:				/* clts */
		vcpu_fpu_taskswitch(v, false);
		break;
	case 0x09:				/* wbinvd */
		break;
	case 0x20:
		return emul_mov_cr(v, r, in, false);
	case 0x22:
		return emul_mov_cr(v, r, in, true);
	case 0x21:
		return emul_mov_dr(v, r, in, false);
	case 0x23:
		return emul_mov_dr(v, r, in, true);
	default:
		return false;
	}
	in->at++;
	return true;
}

bool
emul_priv_op(struct vcpu *v, struct xm_cpu_user_regs *r)
{
	unsigned int hits = 0;
	struct insn in;
	bool done;

	if (!fetch(r, &in))
		return false;
	switch (in.b[in.at]) {
	case 0xfa:				/* cli */
	case 0xfb:				/* sti */
		if (!v->in_kernel || !iopl_ok(v))
			return false;
		v->vcpu_info->evtchn_upcall_mask = in.b[in.at] == 0xfa;
		in.at++;
		done = true;
		break;
	case 0x0f:
		done = emul_0f(v, r, &in);
		break;
	default:
		done = emul_io(v, r, &in, &hits);
		break;
	}
	if (done)
		r->rip += in.at;
	if (done && hits != 0) {	/* a trap: after the instruction */
		debugreg_io_hit(v, hits);
		guest_raise(v, r, TRAP_DB, 0);
	}
	return done;
}
