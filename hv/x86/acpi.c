/*
 * Just enough ACPI to count the CPUs: the RSDP in the BIOS area, the
 * RSDT, and the MADT's enabled local APICs. The tables usually sit in
 * reserved memory outside the direct map, so they are mapped read-only
 * at ACPI_VIRT first.
 */
#include <stdint.h>

#include <klib/string.h>

#include <hv/console.h>
#include <hv/layout.h>
#include <hv/paging.h>
#include <hv/ioapic.h>
#include <hv/smp.h>

#define ACPI_VIRT	0xffff82d040400000ULL
#define ACPI_WINDOW	(2ULL << 20)

struct acpi_header {
	char		sig[4];
	uint32_t	length;
	uint8_t		rev, checksum;
	char		oem[6], oem_table[8];
	uint32_t	oem_rev, creator, creator_rev;
} __attribute__((packed));

struct madt_iso {
	uint8_t		type, length, bus, source;
	uint32_t	gsi;
	uint16_t	flags;
} __attribute__((packed));

static uint64_t window_pa;

static const void *
acpi_map(uint64_t pa, uint64_t len)
{
	if (window_pa == 0) {
		window_pa = pa & ~(ACPI_WINDOW - 1);
		paging_map(ACPI_VIRT, window_pa, ACPI_WINDOW,
		    PTE_P | PTE_G | PTE_NX);
	}
	if (pa < window_pa || pa + len > window_pa + ACPI_WINDOW ||
	    pa + len < pa)
		return NULL;
	return (const void *)(ACPI_VIRT + (pa - window_pa));
}

static uint64_t
find_rsdt(void)
{
	const uint8_t *p = phys_to_virt(0xe0000);
	unsigned int off;
	uint8_t sum;
	unsigned int i;

	for (off = 0; off < 0x20000; off += 16) {
		if (kmemcmp(p + off, "RSD PTR ", 8) != 0)
			continue;
		for (sum = 0, i = 0; i < 20; i++)
			sum += p[off + i];
		if (sum == 0)
			return *(const uint32_t *)(p + off + 16);
	}
	return 0;
}

struct acpi_irq_info acpi_irq = {
	.ioapic_pa = 0xfec00000,	/* the PC default */
};

static void
madt_entry(const uint8_t *e, unsigned int *cpus)
{
	const struct madt_iso *iso;

	switch (e[0]) {
	case 0:			/* processor local APIC */
		if (e[1] >= 8 && (e[4] & 1))
			(*cpus)++;
		break;
	case 1:			/* I/O APIC */
		if (e[1] >= 12)
			acpi_irq.ioapic_pa = *(const uint32_t *)(e + 4);
		break;
	case 2:			/* interrupt source override */
		iso = (const struct madt_iso *)e;
		if (e[1] >= sizeof(*iso) && iso->source < 16) {
			acpi_irq.iso_gsi[iso->source] = iso->gsi;
			acpi_irq.iso_flags[iso->source] = iso->flags;
			acpi_irq.iso_present |= 1U << iso->source;
		}
		break;
	}
}

static unsigned int
parse_madt(const struct acpi_header *madt)
{
	const uint8_t *e = (const uint8_t *)madt + sizeof(*madt) + 8;
	const uint8_t *end = (const uint8_t *)madt + madt->length;
	unsigned int n = 0;

	while (e + 2 <= end && e[1] >= 2 && e + e[1] <= end) {
		madt_entry(e, &n);
		e += e[1];
	}
	return n;
}

/* CPUs the firmware reports, or 0 when it cannot be told. */
unsigned int
acpi_count_cpus(void)
{
	const struct acpi_header *rsdt, *t;
	uint64_t pa = find_rsdt();
	unsigned int i, n;

	if (pa == 0 || (rsdt = acpi_map(pa, sizeof(*rsdt))) == NULL ||
	    kmemcmp(rsdt->sig, "RSDT", 4) != 0 ||
	    acpi_map(pa, rsdt->length) == NULL)
		return 0;
	n = (rsdt->length - sizeof(*rsdt)) / 4;
	for (i = 0; i < n; i++) {
		uint32_t tpa = ((const uint32_t *)(rsdt + 1))[i];

		t = acpi_map(tpa, sizeof(*t));
		if (t != NULL && kmemcmp(t->sig, "APIC", 4) == 0 &&
		    acpi_map(tpa, t->length) != NULL)
			return parse_madt(t);
	}
	return 0;
}
