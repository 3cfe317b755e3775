/*
 * hv's C entry point: bring up the boot CPU's tables and the console,
 * read what the loader passed, say what was found.
 */
#include <stdbool.h>
#include <stdint.h>

#include <klib/parse.h>
#include <klib/string.h>

#include <hv/bootmem.h>
#include <hv/domain.h>
#include <hv/domain_build.h>
#include <hv/guest_access.h>
#include <hv/heap.h>
#include <hv/ioapic.h>
#include <hv/mm.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/smp.h>
#include <hv/time.h>
#include <hv/console.h>
#include <hv/desc.h>
#include <hv/layout.h>
#include <hv/multiboot2.h>
#include <hv/paging.h>
#include <hv/power.h>
#include <hv/x86.h>

#ifndef XM_VERSION
#define XM_VERSION "unknown"
#endif

static struct mb2_boot boot_info;
const char *hv_cmdline = "";
uint64_t hv_total_pages;	/* RAM frames the loader reported */
extern char hv_image_end[];

/* Take what the loader put in RAM out of the boot allocator. */
static void
reserve_boot_memory(uint64_t mb2_phys)
{
	uint32_t mb2_size = *(const uint32_t *)phys_to_virt(mb2_phys);
	unsigned int i;

	bootmem_init(&boot_info);
	bootmem_reserve(HV_LOAD_PHYS, virt_to_phys(hv_image_end));
	bootmem_reserve(mb2_phys, mb2_phys + mb2_size);
	for (i = 0; i < boot_info.nr_modules; i++)
		bootmem_reserve(boot_info.modules[i].start,
		    boot_info.modules[i].end);
}

static void
apply_cmdline(const char *cmdline)
{
	char val[32];

	if (kcmdline_get(cmdline, "loglvl", val, sizeof(val))) {
		if (kstrcmp(val, "debug") == 0)
			console_set_level(LOG_DEBUG);
		else if (kstrcmp(val, "warn") == 0)
			console_set_level(LOG_WARN);
		else if (kstrcmp(val, "err") == 0)
			console_set_level(LOG_ERR);
	}
	power_set_debug_exit(kcmdline_get(cmdline, "poweroff", val,
	    sizeof(val)));
}

static void
print_boot_info(const struct mb2_boot *b)
{
	unsigned int i;

	log_info("xm-hv %s (x86-64 PV hypervisor) booting from %s",
	    XM_VERSION, b->loader ? b->loader : "an unnamed loader");
	log_info("command line: %s", b->cmdline ? b->cmdline : "");
	log_info("memory: %lu MiB usable, top of RAM at %p",
	    b->usable_bytes >> 20, (void *)b->top_of_ram);
	for (i = 0; i < b->nr_mmap; i++)
		log_debug("e820 %016lx-%016lx type %u", b->mmap[i].base,
		    b->mmap[i].base + b->mmap[i].length, b->mmap[i].type);
	log_info("modules: %u", b->nr_modules);
	for (i = 0; i < b->nr_modules; i++)
		log_info("module %u: %p-%p (%lu KiB) '%s'", i,
		    (void *)b->modules[i].start, (void *)b->modules[i].end,
		    (b->modules[i].end - b->modules[i].start + 1023) >> 10,
		    b->modules[i].string);
}

/* The frame table, then every free frame to the page allocator. */
static void
memory_init(void)
{
	uint64_t max_mfn = bootmem_max_mfn();
	uint64_t bytes = max_mfn * sizeof(struct page_info);
	uint64_t pa = bootmem_alloc((bytes + PAGE_SIZE - 1) >> PAGE_SHIFT);

	mm_frame_table_init(phys_to_virt(pa), max_mfn);
	hv_total_pages = boot_info.usable_bytes >> PAGE_SHIFT;
	bootmem_release_all(mm_heap_add);
	paging_heap_ready();
	log_info("mm: %lu MiB free for domains", mm_free_count() >> 8);
	guest_access_init((read_cr4() & CR4_SMAP) != 0);
}

/* clock=rtc asks for a wall clock right to the RTC's second edge. */
static bool
clock_rtc(void)
{
	char val[8];

	return kcmdline_get(hv_cmdline, "clock", val, sizeof(val)) &&
	    kstrcmp(val, "rtc") == 0;
}

static unsigned int
cmdline_number(const char *key, unsigned int dflt)
{
	char val[16];
	uint64_t n;

	if (kcmdline_get(hv_cmdline, key, val, sizeof(val)) &&
	    kstrtou64(val, NULL, 10, &n) == 0 && n > 0 && n < 1024)
		return (unsigned int)n;
	return dflt;
}

static uint64_t
cmdline_size(const char *key, uint64_t dflt)
{
	char val[32];
	uint64_t bytes;

	if (kcmdline_get(hv_cmdline, key, val, sizeof(val)) &&
	    kparse_size(val, &bytes) == 0 && bytes >= (1ULL << 20))
		return bytes & ~(PAGE_SIZE - 1);
	return dflt;
}

/*
 * Domain 0 from the first module; with domu=N on hv's command line, the
 * next N modules become unprivileged domains 1..N.  dom0_vcpus=N and
 * domu_vcpus=N give them N vCPUs each (default 1).
 */
static void
build_boot_domains(void)
{
	struct domain_image img;
	uint64_t nr_domu = 0;
	unsigned int i;

	if (kcmdline_get(hv_cmdline, "domu", NULL, 0))
		nr_domu = cmdline_number("domu", 0);
	for (i = 0; i < boot_info.nr_modules && i <= nr_domu; i++) {
		const struct mb2_module *m = &boot_info.modules[i];

		img.kernel = phys_to_virt(m->start);
		img.kernel_size = m->end - m->start;
		img.cmdline = m->string;
		img.id = (uint16_t)i;
		img.privileged = i == 0;
		img.mem_bytes = i == 0 ? cmdline_size("dom0_mem", 32ULL << 20) :
		    cmdline_size("domu_mem", 16ULL << 20);
		img.nr_vcpus = cmdline_number(i == 0 ? "dom0_vcpus" :
		    "domu_vcpus", 1);
		if (img.nr_vcpus > HV_MAX_VCPUS)
			img.nr_vcpus = HV_MAX_VCPUS;
		domain_build(&img);
	}
	if (boot_info.nr_modules > nr_domu + 1)
		log_warn("%lu modules ignored: domu=%lu asks for %lu domUs",
		    boot_info.nr_modules - nr_domu - 1, nr_domu, nr_domu);
}

/* Tests use this to see that hv's own faults are reported. */
static void
debug_fault(void)
{
	volatile uint64_t *bad = (volatile uint64_t *)0x00007ff0deadb000ULL;

	log_warn("debug_fault: reading %p on purpose", (void *)bad);
	(void)*bad;
}

__attribute__((noreturn)) void	hv_main(uint64_t);

void
hv_main(uint64_t mb2_phys)
{
	const char *why = "";

	console_init();
	cpu_tables_init(0);
	traps_init();
	/* The boot page tables map the first 4 GiB; GRUB stays below. */
	if (mb2_phys == 0 || mb2_phys >= (4ULL << 30) ||
	    mb2_parse(phys_to_virt(mb2_phys), (4ULL << 30) - mb2_phys,
	    &boot_info, &why) != 0)
		hv_panic("cannot use the multiboot2 information at %p: %s",
		    (void *)mb2_phys, why);
	hv_cmdline = boot_info.cmdline ? boot_info.cmdline : "";
	apply_cmdline(hv_cmdline);
	print_boot_info(&boot_info);
	reserve_boot_memory(mb2_phys);
	paging_init();
	if (kcmdline_get(hv_cmdline, "debug_fault", NULL, 0))
		debug_fault();
	memory_init();
	time_init(clock_rtc());
	apic_init();
	percpu_init(0, (uint8_t *)hv_alloc_pages(HV_STACK_ORDER) +
	    HV_STACK_SIZE);
	this_cpu()->apic_id = apic_id();
	sched_init(hv_cmdline);
	smp_boot(cmdline_number("maxcpus", HV_MAX_CPUS));
	ioapic_init();
	build_boot_domains();
	log_info("boot complete");
	sched_start_cpu();
}
