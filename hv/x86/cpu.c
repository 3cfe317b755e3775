/*
 * Per-CPU descriptor tables: the GDT with hv's and the flat ring-3
 * segments, and the TSS with its interrupt stacks for #DF, NMI and #MC
 * (so that a broken stack still gets a register dump).
 */
#include <stdbool.h>
#include <stdint.h>

#include <klib/string.h>

#include <hv/desc.h>
#include <hv/percpu.h>

#define IST_STACK_SIZE	8192

/*
 * The TSS with an I/O permission bitmap right after it: while domain 0
 * runs, iomap_base points at the bitmap, which lets it use every port
 * but hv's; otherwise iomap_base lies past the limit and no port is
 * allowed from ring 3.
 */
struct tss_io {
	struct tss64	tss;
	uint8_t		bitmap[8192];
	uint8_t		end;		/* all ones, as the CPU requires */
} __attribute__((packed));

struct cpu_tables {
	uint64_t	gdt[GDT_ENTRIES] __attribute__((aligned(4096)));
	struct tss_io	tss_io __attribute__((aligned(128)));
	uint8_t		ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));
};

static struct cpu_tables cpu_tables[HV_MAX_CPUS];

/* A code or data descriptor: flat, 4 GiB limit, granularity 4K. */
static uint64_t
seg_desc(unsigned int dpl, int code, int longmode)
{
	uint64_t d = 0x00cf92000000ffffULL;	/* present, data, writable */

	if (code) {
		d |= 1ULL << 43;		/* code */
		if (longmode) {
			d |= 1ULL << 53;	/* L */
			d &= ~(1ULL << 54);	/* D must be 0 with L */
		}
	}
	d |= (uint64_t)dpl << 45;
	return d;
}

/*
 * Ports only hv touches: PICs, PIT, keyboard controller (reset), CMOS,
 * fast A20/reset, debug exit, COM1, ELCR. The PCI reset control at
 * 0xcf9 stays domain 0's: it shares a dword with the configuration
 * address port 0xcf8, which domain 0 needs.
 */
static const struct {
	uint16_t first, last;
} hv_ports[] = {
	{ 0x20, 0x21 }, { 0x40, 0x43 }, { 0x60, 0x64 }, { 0x70, 0x71 },
	{ 0x92, 0x92 }, { 0xa0, 0xa1 }, { 0xf4, 0xf7 }, { 0x3f8, 0x3ff },
	{ 0x4d0, 0x4d1 },
};

static void
iobitmap_init(struct tss_io *t)
{
	unsigned int i, p;

	kmemset(t->bitmap, 0, sizeof(t->bitmap));
	for (i = 0; i < sizeof(hv_ports) / sizeof(hv_ports[0]); i++)
		for (p = hv_ports[i].first; p <= hv_ports[i].last; p++)
			t->bitmap[p / 8] |= 1U << (p % 8);
	t->end = 0xff;
	t->tss.iomap_base = sizeof(*t);		/* none */
}

void
cpu_set_io_access(unsigned int cpu, bool allowed)
{
	cpu_tables[cpu].tss_io.tss.iomap_base = allowed ?
	    __builtin_offsetof(struct tss_io, bitmap) : sizeof(struct tss_io);
}

static void
tss_desc(uint64_t *gdt, unsigned int idx, const struct tss_io *tss)
{
	uint64_t base = (uint64_t)tss, limit = sizeof(*tss) - 1;

	gdt[idx] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
	    (0x89ULL << 40) | (((limit >> 16) & 0xf) << 48) |
	    (((base >> 24) & 0xff) << 56);
	gdt[idx + 1] = base >> 32;
}

static void
load_tables(struct cpu_tables *t)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr = { sizeof(t->gdt) - 1,
	    (uint64_t)t->gdt };

	__asm__ volatile(
	    "lgdt %0\n\t"
	    "pushq %1\n\t"
	    "leaq 1f(%%rip), %%rax\n\t"
	    "pushq %%rax\n\t"
	    "lretq\n"
	    "1:\n\t"
	    "movl %2, %%eax\n\t"
	    "movl %%eax, %%ss\n\t"
	    "movl %%eax, %%ds\n\t"
	    "movl %%eax, %%es\n\t"
	    "xorl %%eax, %%eax\n\t"
	    "movl %%eax, %%fs\n\t"
	    "movl %%eax, %%gs\n\t"
	    "ltr %w3"
	    : : "m"(gdtr), "i"(HV_CS64), "i"(HV_DS), "r"(TSS_SEL)
	    : "rax", "memory");
}

uint64_t *
cpu_gdt(unsigned int cpu)
{
	return cpu_tables[cpu].gdt;
}

void
cpu_set_rsp0(unsigned int cpu, uint64_t rsp0)
{
	cpu_tables[cpu].tss_io.tss.rsp[0] = rsp0;
}

void
cpu_tables_init(unsigned int cpu)
{
	struct cpu_tables *t = &cpu_tables[cpu];
	unsigned int i;

	kmemset(t->gdt, 0, sizeof(t->gdt));
	t->gdt[HV_CS64 >> 3] = seg_desc(0, 1, 1);
	t->gdt[HV_DS >> 3] = seg_desc(0, 0, 0);
	t->gdt[HV_CS32 >> 3] = seg_desc(0, 1, 0);
	t->gdt[GUEST_CS32 >> 3] = seg_desc(3, 1, 0);
	t->gdt[GUEST_DS32 >> 3] = seg_desc(3, 0, 0);
	t->gdt[GUEST_CS64 >> 3] = seg_desc(3, 1, 1);
	kmemset(&t->tss_io.tss, 0, sizeof(t->tss_io.tss));
	for (i = 0; i < 3; i++)
		t->tss_io.tss.ist[i] =
		    (uint64_t)&t->ist_stacks[i][IST_STACK_SIZE];
	iobitmap_init(&t->tss_io);
	tss_desc(t->gdt, TSS_SEL >> 3, &t->tss_io);
	load_tables(t);
}
