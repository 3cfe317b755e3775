/*
 * Start of day and end of a guest kernel: keep what hv handed over,
 * install traps, map shared_info, set up events, run guest_main(), and
 * turn its result into a shutdown.
 */

#include <stdint.h>

#include <klib/parse.h>
#include <klib/string.h>

#include <xm/sched.h>
#include <xm/xen_core.h>

#include <guest/console.h>
#include <guest/events.h>
#include <guest/guest.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/traps.h>

struct xm_start_info	*guest_start_info;
struct xm_shared_info	*guest_shared_info;
uint64_t		 guest_boot_sp;

/*
 * The virtual page shared_info is mapped at.  The frame behind it at
 * boot is simply no longer mapped there.
 */
static uint8_t shared_info_page[PAGE_SIZE]
    __attribute__((aligned(PAGE_SIZE), section(".bss.page_aligned")));

/* Masked events until shared_info is mapped. */
static struct xm_vcpu_info early_vcpu_info = {
	.evtchn_upcall_mask = 1,
};

static char cmdline[XM_MAX_GUEST_CMDLINE];

struct xm_vcpu_info *
guest_vcpu_info(void)
{
	if (guest_shared_info == NULL)
		return &early_vcpu_info;
	return &guest_shared_info->vcpu_info[0];
}

const char *
guest_cmdline(void)
{
	return cmdline;
}

uint64_t
guest_cmdline_num(const char *key, uint64_t dflt, uint64_t max)
{
	char val[24];
	uint64_t n;

	if (!kcmdline_get(cmdline, key, val, sizeof(val)) ||
	    kstrtou64(val, NULL, 0, &n) < 0 || n > max)
		return dflt;
	return n;
}

int
shared_info_map(void)
{
	uint64_t pte;
	int rc;

	pte = (guest_start_info->shared_info & PTE_ADDR_MASK) | PTE_KERNEL;
	rc = HYPERVISOR_update_va_mapping((uint64_t)shared_info_page, pte,
	    XM_UVMF_INVLPG | XM_UVMF_LOCAL);
	if (rc == 0)
		guest_shared_info = (struct xm_shared_info *)shared_info_page;
	return rc;
}

/*
 * The stand-in is vcpu_info from here on, masked: hv still delivers by
 * the real one's mask, which the caller has set.
 */
int
shared_info_unmap(void)
{
	early_vcpu_info.evtchn_upcall_mask = 1;
	guest_shared_info = NULL;
	return unmap_at((uint64_t)shared_info_page);
}

static void
shared_info_init(void)
{
	int rc;

	if ((rc = shared_info_map()) < 0) {
		gprintf("guest: cannot map shared_info at %016lx (%d)\n",
		    guest_start_info->shared_info, rc);
		guest_shutdown(XM_SHUTDOWN_CRASH);
	}
}

void
guest_start(struct xm_start_info *si, uint64_t boot_sp)
{
	guest_start_info = si;
	guest_boot_sp = boot_sp;
	kmemcpy(cmdline, si->cmd_line, sizeof(cmdline) - 1);
	traps_init();
	if (kstrncmp(si->magic, "xen-3.0-", 8) != 0)
		gprintf("guest: odd start_info magic \"%.*s\"\n",
		    XM_START_INFO_MAGIC_LEN, si->magic);
	shared_info_init();
	p2m_publish();
	events_init();
	console_ring_init();
	guest_exit(guest_main());
}

void
guest_shutdown(unsigned int reason)
{
	struct xm_sched_shutdown arg = { .reason = reason };

	console_flush();
	for (;;) {
		HYPERVISOR_sched_op(XM_SCHEDOP_SHUTDOWN, &arg);
		/* Not reached, unless hv refused. */
		HYPERVISOR_sched_op(XM_SCHEDOP_YIELD, NULL);
	}
}

void
guest_exit(int code)
{
	if (code == 0)
		guest_shutdown(XM_SHUTDOWN_POWEROFF);
	console_flush();
	gprintf("guest: exit code %d\n", code);
	guest_shutdown(XM_SHUTDOWN_CRASH);
}
