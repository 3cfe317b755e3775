/*
 * Writable page tables (VMASST_TYPE_writable_pagetables), as Xen gives
 * them to a PV kernel that turned the assist on (Linux does): the
 * kernel maps its page tables read-only, as hv demands, and still
 * writes an entry with an ordinary instruction; the write faults, and
 * hv performs it as an mmu_update of that entry -- validated, counted,
 * flushed -- and steps over the instruction.  The writes Linux makes
 * are 8-byte, aligned: mov of a register or an immediate, xchg and
 * (lock) cmpxchg.  Anything else, or an entry hv refuses, stays the
 * guest's #PF.
 */
#include <stdbool.h>
#include <stdint.h>

#include <klib/string.h>
#include <xm/hypercall.h>
#include <xm/xen_core.h>

#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/mm.h>
#include <hv/spinlock.h>
#include <hv/traps.h>
#include <hv/x86.h>

#define PF_P		0x01
#define PF_W		0x02
#define PF_RSVD		0x08
#define PF_I		0x10
#define RFLAGS_ZF	(UINT64_C(1) << 6)
#define INSN_MAX	15

enum ptwr_op { PTWR_MOV, PTWR_MOV_IMM, PTWR_XCHG, PTWR_CMPXCHG };

struct ptwr_insn {
	enum ptwr_op	op;
	unsigned int	reg;		/* the register operand */
	uint64_t	imm;
	unsigned int	len;
};

/* The length of a ModRM memory operand from b (at the ModRM byte). */
static int
modrm_len(const uint8_t *b, unsigned int left)
{
	unsigned int mod, rm, n = 1;

	if (left < 1)
		return -1;
	mod = b[0] >> 6;
	rm = b[0] & 7;
	if (mod == 3)
		return -1;			/* a register, not memory */
	if (rm == 4) {				/* SIB */
		if (left < 2)
			return -1;
		if (mod == 0 && (b[1] & 7) == 5)
			n += 4;
		n++;
	} else if (mod == 0 && rm == 5)
		n += 4;				/* rip-relative */
	n += mod == 1 ? 1 : mod == 2 ? 4 : 0;
	return n <= left ? (int)n : -1;
}

/* A 64-bit store hv emulates, or false. */
static bool
decode(const uint8_t *b, unsigned int n, struct ptwr_insn *in)
{
	unsigned int at = 0, rex;
	int m;

	in->imm = 0;
	if (at < n && b[at] == 0xf0)		/* lock */
		at++;
	if (at >= n || (b[at] & 0xf8) != 0x48)	/* REX.W */
		return false;
	rex = b[at++];
	if (at >= n)
		return false;
	if (b[at] == 0x0f) {
		if (++at >= n || b[at] != 0xb1)
			return false;
		in->op = PTWR_CMPXCHG;
	} else if (b[at] == 0x89)
		in->op = PTWR_MOV;
	else if (b[at] == 0x87)
		in->op = PTWR_XCHG;
	else if (b[at] == 0xc7 && at + 1 < n && ((b[at + 1] >> 3) & 7) == 0)
		in->op = PTWR_MOV_IMM;
	else
		return false;
	at++;
	if ((m = modrm_len(b + at, n - at)) < 0)
		return false;
	in->reg = ((b[at] >> 3) & 7) | ((rex & 4) ? 8 : 0);
	at += (unsigned int)m;
	if (in->op == PTWR_MOV_IMM) {
		int32_t imm;

		if (at + 4 > n)
			return false;
		kmemcpy(&imm, b + at, 4);
		in->imm = (uint64_t)(int64_t)imm;
		at += 4;
	}
	in->len = at;
	return true;
}

static uint64_t *
reg(struct xm_cpu_user_regs *r, unsigned int n)
{
	uint64_t *regs[16] = { &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp,
	    &r->rbp, &r->rsi, &r->rdi, &r->r8, &r->r9, &r->r10, &r->r11,
	    &r->r12, &r->r13, &r->r14, &r->r15 };

	return regs[n & 15];
}

/* The machine address of the entry at va, if va maps one of d's tables. */
static bool
table_entry_at(struct vcpu *v, uint64_t va, uint64_t *maddr)
{
	struct domain *d = v->domain;
	uint64_t l4 = v->in_kernel || v->user_l4 == 0 ? v->kernel_l4 :
	    v->user_l4, l1, e, mfn;
	const struct page_info *pg;
	unsigned int slot;

	if (mm_walk_to_l1(&d->mm, l4, va, &l1, &slot) != 0)
		return false;
	e = ((const uint64_t *)mm_map_frame(l1))[slot];
	mfn = (e & 0x000ffffffffff000ULL) >> 12;
	pg = mm_page_info(mfn);
	if (!(e & 1) || pg == NULL || pg->owner != d->id ||
	    pg->type < MM_PGT_L1 || pg->type > MM_PGT_L4)
		return false;
	*maddr = (mfn << 12) | (va & 0xfff);
	return true;
}

/* Perform in on the entry at maddr; 0 or hv's refusal. */
static int
ptwr_apply(struct domain *d, struct xm_cpu_user_regs *r,
    const struct ptwr_insn *in, uint64_t maddr)
{
	uint64_t old, *src = reg(r, in->reg);
	int rc = 0;

	spin_lock(&d->lock);
	old = ((const uint64_t *)mm_map_frame(maddr >> 12))[(maddr & 0xfff) /
	    8];
	switch (in->op) {
	case PTWR_MOV:
		rc = mm_pt_update(&d->mm, maddr, *src);
		break;
	case PTWR_MOV_IMM:
		rc = mm_pt_update(&d->mm, maddr, in->imm);
		break;
	case PTWR_XCHG:
		if ((rc = mm_pt_update(&d->mm, maddr, *src)) == 0)
			*src = old;
		break;
	case PTWR_CMPXCHG:
		if (old != r->rax) {
			r->rax = old;
			r->rflags &= ~RFLAGS_ZF;
		} else if ((rc = mm_pt_update(&d->mm, maddr, *src)) == 0)
			r->rflags |= RFLAGS_ZF;
		break;
	}
	spin_unlock(&d->lock);
	write_cr3(read_cr3());		/* as after an mmu_update */
	return rc;
}

bool
ptwr_emulate(struct vcpu *v, struct xm_cpu_user_regs *r, uint32_t err,
    uint64_t cr2)
{
	uint8_t b[INSN_MAX];
	struct ptwr_insn in;
	uint64_t maddr;
	unsigned int n;

	if (!(v->domain->vm_assist &
	    (1ULL << XM_VMASST_TYPE_WRITABLE_PAGETABLES)) || !v->in_kernel ||
	    (err & (PF_P | PF_W | PF_RSVD | PF_I)) != (PF_P | PF_W) ||
	    (cr2 & 7) != 0)
		return false;
	for (n = INSN_MAX; n > 0; n--)
		if (copy_from_guest(b, r->rip, n) == 0)
			break;
	if (n == 0 || !decode(b, n, &in) || !table_entry_at(v, cr2, &maddr))
		return false;
	if (ptwr_apply(v->domain, r, &in, maddr) != 0)
		return false;
	r->rip += in.len;
	return true;
}
