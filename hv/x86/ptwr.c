/*
 * Writable page tables (VMASST_TYPE_writable_pagetables), as Xen gives
 * them to a PV kernel that turned the assist on (Linux does): the
 * kernel maps its page tables read-only, as hv demands, and still
 * writes an entry with an ordinary instruction; the write faults, and
 * hv performs it as an mmu_update of that entry -- validated, counted,
 * flushed -- and steps over the instruction.  The forms Linux's pte
 * helpers use: mov of a register or an immediate, xchg, cmpxchg, and/or
 * (byte, dword or qword; set_bit and clear_bit are byte-wide) and
 * bts/btr, with lock and segment prefixes; the operand lies within one
 * entry.  Anything else, or an entry hv refuses, stays the guest's #PF.
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
#define RFLAGS_CF	(UINT64_C(1) << 0)
#define RFLAGS_PF	(UINT64_C(1) << 2)
#define RFLAGS_ZF	(UINT64_C(1) << 6)
#define RFLAGS_SF	(UINT64_C(1) << 7)
#define RFLAGS_OF	(UINT64_C(1) << 11)
#define INSN_MAX	15

enum ptwr_op {
	PTWR_MOV, PTWR_XCHG, PTWR_CMPXCHG, PTWR_AND, PTWR_OR, PTWR_BTS,
	PTWR_BTR,
};

/* One store into an entry: what, how wide, from which register or imm. */
struct ptwr_insn {
	enum ptwr_op	op;
	unsigned int	size;		/* 1, 4 or 8 bytes */
	bool		use_imm;
	unsigned int	reg;		/* the register operand */
	uint64_t	imm;		/* sign-extended to 64 bits */
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

/* The opcode (at b) and its ModRM reg field: in's op, size, imm bytes. */
static bool
decode_op(const uint8_t *b, unsigned int left, bool wide,
    struct ptwr_insn *in, unsigned int *imm_bytes, unsigned int *op_len)
{
	unsigned int ext = left > 1 ? (b[1] >> 3) & 7 : 8;

	in->size = wide ? 8 : 4;
	*imm_bytes = 0;
	*op_len = 1;
	switch (b[0]) {
	case 0x89: in->op = PTWR_MOV; return true;
	case 0x87: in->op = PTWR_XCHG; return true;
	case 0x09: in->op = PTWR_OR; return true;
	case 0x21: in->op = PTWR_AND; return true;
	case 0xc7: in->op = PTWR_MOV; *imm_bytes = 4; return ext == 0;
	case 0x80: in->size = 1; *imm_bytes = 1; break;
	case 0x83: *imm_bytes = 1; break;
	case 0x81: *imm_bytes = 4; break;
	case 0x0f:
		*op_len = 2;
		if (left < 2)
			return false;
		ext = left > 2 ? (b[2] >> 3) & 7 : 8;
		switch (b[1]) {
		case 0xb1: in->op = PTWR_CMPXCHG; return true;
		case 0xab: in->op = PTWR_BTS; return true;
		case 0xb3: in->op = PTWR_BTR; return true;
		case 0xba:
			*imm_bytes = 1;
			in->op = ext == 5 ? PTWR_BTS : PTWR_BTR;
			return ext == 5 || ext == 6;
		}
		return false;
	default:
		return false;
	}
	in->op = ext == 1 ? PTWR_OR : PTWR_AND;	/* 80, 81, 83: /1 or /4 */
	return ext == 1 || ext == 4;
}

/* A store hv emulates (the forms Linux's pte helpers use), or false. */
static bool
decode(const uint8_t *b, unsigned int n, struct ptwr_insn *in)
{
	unsigned int at = 0, rex = 0, imm_bytes, op_len, i;
	int m;

	kmemset(in, 0, sizeof(*in));
	while (at < n && (b[at] == 0xf0 || b[at] == 0x2e || b[at] == 0x3e ||
	    b[at] == 0x26 || b[at] == 0x36 || b[at] == 0x64 || b[at] == 0x65))
		at++;			/* lock, segments: no effect here */
	if (at < n && (b[at] & 0xf0) == 0x40)
		rex = b[at++];
	if (at >= n || !decode_op(b + at, n - at, (rex & 8) != 0, in,
	    &imm_bytes, &op_len))
		return false;
	at += op_len;
	if ((m = modrm_len(b + at, n - at)) < 0)
		return false;
	in->reg = ((b[at] >> 3) & 7) | ((rex & 4) ? 8 : 0);
	at += (unsigned int)m;
	if (imm_bytes > 0) {
		if (at + imm_bytes > n)
			return false;
		for (i = imm_bytes; i-- > 0;)
			in->imm = in->imm << 8 | b[at + i];
		if (in->imm & (UINT64_C(1) << (imm_bytes * 8 - 1)))
			in->imm |= ~UINT64_C(0) << (imm_bytes * 8);
		in->use_imm = true;
		at += imm_bytes;
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

static uint64_t
size_mask(unsigned int size)
{
	return size == 8 ? ~UINT64_C(0) : (UINT64_C(1) << (size * 8)) - 1;
}

/* rflags after an and/or with result res of size bytes. */
static uint64_t
logic_flags(uint64_t rflags, uint64_t res, unsigned int size)
{
	uint8_t low = (uint8_t)res;

	rflags &= ~(RFLAGS_CF | RFLAGS_PF | RFLAGS_ZF | RFLAGS_SF |
	    RFLAGS_OF);
	if ((res & size_mask(size)) == 0)
		rflags |= RFLAGS_ZF;
	if (res & (UINT64_C(1) << (size * 8 - 1)))
		rflags |= RFLAGS_SF;
	if (!__builtin_parity(low))
		rflags |= RFLAGS_PF;
	return rflags;
}

/*
 * The operand's new value from its old one; false to leave it (a
 * cmpxchg that does not match).  Registers and flags as the CPU's.
 */
static bool
ptwr_compute(struct xm_cpu_user_regs *r, const struct ptwr_insn *in,
    uint64_t old, uint64_t *new)
{
	uint64_t mask = size_mask(in->size), *src = reg(r, in->reg);
	uint64_t val = (in->use_imm ? in->imm : *src) & mask, bit;

	switch (in->op) {
	case PTWR_MOV:
		*new = val;
		return true;
	case PTWR_XCHG:
		*new = val;
		*src = in->size == 4 ? old : (*src & ~mask) | old;
		return true;
	case PTWR_CMPXCHG:
		if (old != (r->rax & mask)) {
			r->rax = in->size == 4 ? old : old | (r->rax & ~mask);
			r->rflags &= ~RFLAGS_ZF;
			return false;
		}
		r->rflags |= RFLAGS_ZF;
		*new = val;
		return true;
	case PTWR_AND:
	case PTWR_OR:
		*new = in->op == PTWR_AND ? old & val : old | val;
		r->rflags = logic_flags(r->rflags, *new, in->size);
		return true;
	case PTWR_BTS:
	case PTWR_BTR:
		bit = UINT64_C(1) << (val & (in->size * 8 - 1));
		r->rflags = (r->rflags & ~RFLAGS_CF) |
		    ((old & bit) ? RFLAGS_CF : 0);
		*new = in->op == PTWR_BTS ? old | bit : old & ~bit;
		return true;
	}
	return false;
}

/*
 * Perform in at va, byte offset off into the entry at maddr (8-byte
 * aligned): read the entry, merge the operand, write it back through
 * mm_pt_update.  0, or hv's refusal.
 */
static int
ptwr_apply(struct domain *d, struct xm_cpu_user_regs *r,
    const struct ptwr_insn *in, uint64_t maddr, unsigned int off)
{
	uint64_t entry, old, new, mask = size_mask(in->size);
	int rc = 0;

	spin_lock(&d->lock);
	entry = ((const uint64_t *)mm_map_frame(maddr >> 12))[(maddr &
	    0xfff) / 8];
	old = (entry >> (off * 8)) & mask;
	if (ptwr_compute(r, in, old, &new))
		rc = mm_pt_update(&d->mm, maddr, (entry & ~(mask <<
		    (off * 8))) | ((new & mask) << (off * 8)));
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
	unsigned int n, off = cr2 & 7;

	if (!(v->domain->vm_assist &
	    (1ULL << XM_VMASST_TYPE_WRITABLE_PAGETABLES)) || !v->in_kernel ||
	    (err & (PF_P | PF_W | PF_RSVD | PF_I)) != (PF_P | PF_W))
		return false;
	for (n = INSN_MAX; n > 0; n--)
		if (copy_from_guest(b, r->rip, n) == 0)
			break;
	/* The operand lies within one entry, as the ABI's writes do. */
	if (n == 0 || !decode(b, n, &in) || (off & (in.size - 1)) != 0 ||
	    !table_entry_at(v, cr2 & ~UINT64_C(7), &maddr))
		return false;
	if (ptwr_apply(v->domain, r, &in, maddr, off) != 0)
		return false;
	r->rip += in.len;
	return true;
}
