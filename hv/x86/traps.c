/*
 * The IDT and hv's own exceptions. Every vector has a gate; an exception
 * taken in hv is a bug in hv, so it prints a register dump with the
 * faulting address and stops the machine.
 */
#include <stdint.h>

#include <hv/console.h>
#include <hv/desc.h>
#include <hv/power.h>
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

static const char *const exception_names[32] = {
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
traps_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)idt };
	unsigned int v;

	for (v = 0; v < 256; v++)
		idt_set(v, (uint64_t)trap_stubs + v * TRAP_STUB_SIZE, 0, 0);
	idt[8].ist = IST_DF;
	idt[2].ist = IST_NMI;
	idt[18].ist = IST_MC;
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

static void
dump_frame(const struct trap_frame *f)
{
	hv_printf("(hv) error: RIP %04lx:%p RFLAGS %016lx error %lx\n",
	    f->cs, (void *)f->rip, f->rflags, f->error_code);
	hv_printf("(hv) error: RSP %04lx:%p CR2 %p CR3 %p\n",
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

void
trap_dispatch(struct trap_frame *f)
{
	if (f->vector < 32) {
		log_err("exception %lu (%s) in hv", f->vector,
		    exception_names[f->vector]);
		if (f->vector == 14)
			log_err("page fault at %p (%s, %s, %s)",
			    (void *)read_cr2(),
			    (f->error_code & 1) ? "protection" : "not present",
			    (f->error_code & 2) ? "write" : "read",
			    (f->error_code & 16) ? "fetch" : "data");
		dump_frame(f);
		hv_panic("unhandled exception %lu", f->vector);
	}
	log_warn("unexpected interrupt, vector %lu", f->vector);
}
