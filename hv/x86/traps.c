/*
 * The IDT and hv's own exceptions. Every vector has a gate; an exception
 * taken in hv is a bug in hv, so it prints a register dump with the
 * faulting address and stops the machine.
 */
#include <stdbool.h>
#include <stdint.h>

#include <xm/arch_x86_64.h>

#include <hv/console.h>
#include <hv/desc.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/irq.h>
#include <hv/percpu.h>
#include <hv/power.h>
#include <hv/traps.h>
#include <hv/x86.h>

#define TRAP_STUB_SIZE	16

struct idt_gate {
	uint16_t	offset_lo;
	uint16_t	selector;
	uint8_t		ist;
	uint8_t		type_attr;
	uint16_t	offset_mid;
	uint32_t	offset_hi;
	uint32_t	reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate is 16 bytes");

extern char trap_stubs[];
static struct idt_gate idt[256] __attribute__((aligned(4096)));

const char *const exception_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound range", "#UD invalid opcode",
	"#NM device not available", "#DF double fault",
	"coprocessor overrun", "#TS invalid TSS", "#NP segment not present",
	"#SS stack fault", "#GP general protection", "#PF page fault",
	"reserved 15", "#MF x87 error", "#AC alignment check",
	"#MC machine check", "#XM SIMD error", "#VE virtualization",
	"#CP control protection", "reserved 22", "reserved 23",
	"reserved 24", "reserved 25", "reserved 26", "reserved 27",
	"#HV hypervisor injection", "#VC VMM communication",
	"#SX security", "reserved 31",
};

static void
idt_set(unsigned int vec, uint64_t handler, unsigned int ist,
    unsigned int dpl)
{
	struct idt_gate *g = &idt[vec];

	g->offset_lo = handler & 0xffff;
	g->selector = HV_CS64;
	g->ist = ist;
	g->type_attr = 0x8e | (dpl << 5);	/* present, interrupt gate */
	g->offset_mid = (handler >> 16) & 0xffff;
	g->offset_hi = handler >> 32;
	g->reserved = 0;
}

void
traps_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)idt };

	__asm__ volatile("lidt %0" : : "m"(idtr));
}

void
traps_init(void)
{
	unsigned int v;

	for (v = 0; v < 256; v++)
		idt_set(v, (uint64_t)trap_stubs + v * TRAP_STUB_SIZE, 0, 0);
	/* int3 and into are allowed from guests, as on real hardware. */
	idt[3].type_attr |= 3 << 5;
	idt[4].type_attr |= 3 << 5;
	idt[8].ist = IST_DF;
	idt[2].ist = IST_NMI;
	idt[18].ist = IST_MC;
	traps_load();
}

void
dump_frame(const struct xm_cpu_user_regs *f)
{
	hv_printf("(hv) error: RIP %04x:%p RFLAGS %016lx error %x\n",
	    f->cs, (void *)f->rip, f->rflags, f->error_code);
	hv_printf("(hv) error: RSP %04x:%p CR2 %p CR3 %p\n",
	    f->ss, (void *)f->rsp, (void *)read_cr2(), (void *)read_cr3());
	hv_printf("(hv) error: RAX %016lx RBX %016lx RCX %016lx\n",
	    f->rax, f->rbx, f->rcx);
	hv_printf("(hv) error: RDX %016lx RSI %016lx RDI %016lx\n",
	    f->rdx, f->rsi, f->rdi);
	hv_printf("(hv) error: RBP %016lx R8  %016lx R9  %016lx\n",
	    f->rbp, f->r8, f->r9);
	hv_printf("(hv) error: R10 %016lx R11 %016lx R12 %016lx\n",
	    f->r10, f->r11, f->r12);
	hv_printf("(hv) error: R13 %016lx R14 %016lx R15 %016lx\n",
	    f->r13, f->r14, f->r15);
	hv_printf("(hv) error: CR0 %016lx CR4 %016lx\n", read_cr0(),
	    read_cr4());
}

/* hv's invariant: it runs with AC clear, so that SMAP stays armed. */
static void
check_ac_clear(unsigned int vec)
{
	static bool told;
	uint64_t fl;

	__asm__ volatile("pushfq; popq %0" : "=r"(fl));
	if (hv_smap_on && (fl & (1ULL << 18)) && !told) {
		told = true;
		log_err("AC set in hv after entry (vector %u): SMAP is off",
		    vec);
	}
}

void
trap_dispatch(struct xm_cpu_user_regs *f)
{
	unsigned int vec = f->entry_vector;

	check_ac_clear(vec);

	if (vec >= 32) {
		irq_dispatch(vec, f);
		return;
	}
	if (f->cs & 3) {
		guest_exception(f);
		return;
	}
	if (vec == 1) {
		/*
		 * A guest's watchpoint on memory hv touched for it: a trap,
		 * after the access (mid-way through a rep movs, whose
		 * guest-access fixup must not run).
		 */
		debugreg_trap(current_vcpu());
		return;
	}
	/*
	 * hv's own access to guest memory, write-protected by log-dirty;
	 * not before this CPU has its per-CPU data (a fault while booting).
	 */
	if (vec == 14 && rdmsr(MSR_GS_BASE) != 0 && current_vcpu() != NULL &&
	    logdirty_fault(current_vcpu(), read_cr2(), (uint32_t)f->error_code))
		return;
	if (extable_fixup(f))
		return;
	{
		log_err("exception %u (%s) in hv", vec, exception_names[vec]);
		if (vec == 14)
			log_err("page fault at %p (%s, %s, %s)",
			    (void *)read_cr2(),
			    (f->error_code & 1) ? "protection" : "not present",
			    (f->error_code & 2) ? "write" : "read",
			    (f->error_code & 16) ? "fetch" : "data");
		dump_frame(f);
		hv_panic("unhandled exception %u", vec);
	}
}

struct extable_entry {
	uint64_t	insn;
	uint64_t	fixup;
};
extern const struct extable_entry hv_extable_start[], hv_extable_end[];

/* A fault at an instruction that expects one (guest access) resumes. */
bool
extable_fixup(struct xm_cpu_user_regs *f)
{
	const struct extable_entry *e;

	for (e = hv_extable_start; e < hv_extable_end; e++) {
		if (e->insn == f->rip) {
			f->rip = e->fixup;
			return true;
		}
	}
	return false;
}
